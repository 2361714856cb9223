// Copyright (c) 2026 The ns3-ipsec authors
// SPDX-License-Identifier: GPL-2.0-only

#ifndef IPSEC_SIM_SCENARIO_EVENTS_H
#define IPSEC_SIM_SCENARIO_EVENTS_H

#include "scenario-file.h"
#include "scenario-topology.h"

#include "ns3/node.h"

namespace ns3
{

/**
 * \ingroup ipsec
 * Schedules the `[event.NAME]` sections of a scenario.
 *
 * Actions:
 *  - `link-down`, `link-up` (target: a link): every frame on the link is lost while it is
 *    down; up restores the link's configured loss;
 *  - `clear-crypto-sa` (target: a router): deletes every IPsec SA of the router, as
 *    `clear crypto sa` does. Manually keyed SAs are installed again at once, with sequence
 *    numbers from 1;
 *  - `clear-crypto-isakmp` (target: a router with IKE settings): IkeDaemon::ClearIsakmp,
 *    which deletes every IKE SA with a DELETE to its peer and keeps the IPsec SAs;
 *  - `clear-crypto-session` (target: a router with IKE settings): IkeDaemon::ClearSession
 *    for every peer, or for the `peer` key's address only;
 *  - `reboot` (target: a router): IpsecStack::Reboot, so the router is off the network
 *    for `downtime` (default 0 s) and loses its IPsec state; when it comes back, it
 *    installs its manual SAs again.
 *
 * A section whose `when` condition is false (ScenarioFile::IsActive) is skipped.
 */
class ScenarioEvents
{
  public:
    /**
     * Schedules every event of the scenario file.
     * \param file the resolved scenario file
     * \param topology the built topology, which must outlive the simulation
     * \throw SimInputError naming FILE:LINE for a bad value
     */
    static void Schedule(const ScenarioFile& file, ScenarioTopology& topology);

    /**
     * Checks the values of an `[event.NAME]` section that need no topology (at, action,
     * downtime, peer), also for an event that its `when` condition switches off.
     * \param file the resolved scenario file
     * \param section the event section
     * \throw SimInputError naming FILE:LINE for a bad value
     */
    static void CheckEventValues(const ScenarioFile& file, const ScenarioSection& section);

  private:
    /**
     * Deletes the SAs of a router and installs its manually keyed SAs again.
     * \param node the router
     */
    static void ClearSas(Ptr<Node> node);
};

} // namespace ns3

#endif // IPSEC_SIM_SCENARIO_EVENTS_H
