// Copyright (c) 2026 The ns3-ipsec authors
// SPDX-License-Identifier: GPL-2.0-only

#ifndef IPSEC_SIM_SCENARIO_TRAFFIC_H
#define IPSEC_SIM_SCENARIO_TRAFFIC_H

#include "scenario-file.h"
#include "scenario-metrics.h"
#include "scenario-topology.h"

#include "ns3/address.h"
#include "ns3/nstime.h"
#include "ns3/packet.h"
#include "ns3/seq-ts-size-header.h"

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

namespace ns3
{

/**
 * \ingroup ipsec
 * Counts and delays of one traffic flow, fed by its source's and sink's trace sources.
 */
class FlowCollector
{
  public:
    /// \param name the flow name, the prefix of its metrics
    explicit FlowCollector(const std::string& name);

    /// Counts a packet the source sent.
    void CountSent();
    /**
     * Counts a packet that arrived, with its one-way delay or round-trip time.
     * \param bytes the payload bytes
     * \param delay the delay
     */
    void CountReceived(uint32_t bytes, Time delay);

    /**
     * Adds `<flow>.sent`, `.received`, `.loss`, `.delay.mean_ms`, `.delay.p99_ms`,
     * `.jitter_ms` and `.throughput_mbps` to a metric set.
     * \param metrics the metric set
     */
    void Collect(MetricSet& metrics) const;

    /// \return the flow name
    const std::string& GetName() const;

  private:
    std::string m_name;         //!< flow name
    uint64_t m_sent{0};         //!< packets sent
    uint64_t m_received{0};     //!< packets received
    uint64_t m_bytes{0};        //!< payload bytes received
    Time m_firstArrival;        //!< time of the first arrival
    Time m_lastArrival;         //!< time of the last arrival
    std::vector<Time> m_delays; //!< delay of each arrival, in arrival order
};

/**
 * \ingroup ipsec
 * Installs the `[traffic.NAME]` flows of a scenario and collects their metrics.
 *
 * Flow types: `ping` (ICMP echo, round-trip time as delay), `voice` (G.711 with 20 ms
 * packetisation: 160-byte payloads every 20 ms, DSCP EF), `udp` (constant rate), `onoff`
 * (constant rate in on and off periods) and `tcp` (bulk transfer). UDP flows carry a
 * sequence and timestamp header, so delays are one way.
 */
class ScenarioTraffic
{
  public:
    /**
     * Installs every flow of the scenario file.
     * \param file the resolved scenario file
     * \param topology the built topology
     * \param defaultStop the stop time of flows that set none
     * \throw SimInputError naming FILE:LINE for a bad value
     */
    void Install(const ScenarioFile& file, ScenarioTopology& topology, Time defaultStop);

    /**
     * Checks every value of a `[traffic.NAME]` section that needs no topology, including
     * keys its type ignores and flows that never start, so a mistake is reported before
     * any run whatever the duration or `when` condition.
     * \param file the resolved scenario file
     * \param section the traffic section
     * \throw SimInputError naming FILE:LINE for a bad value
     */
    static void CheckFlowValues(const ScenarioFile& file, const ScenarioSection& section);

    /**
     * Adds the metrics of every flow.
     * \param metrics the metric set
     */
    void Collect(MetricSet& metrics) const;

  private:
    /**
     * Installs one flow.
     * \param file the scenario file, for messages
     * \param section its `[traffic.NAME]` section
     * \param topology the topology
     * \param defaultStop stop time when the section sets none
     * \param port the UDP or TCP port of the flow
     */
    void InstallFlow(const ScenarioFile& file,
                     const ScenarioSection& section,
                     ScenarioTopology& topology,
                     Time defaultStop,
                     uint16_t port);

    std::vector<std::unique_ptr<FlowCollector>> m_flows; //!< one per flow, in file order
};

} // namespace ns3

#endif // IPSEC_SIM_SCENARIO_TRAFFIC_H
