// Copyright (c) 2026 The ns3-ipsec authors
// SPDX-License-Identifier: GPL-2.0-only

#ifndef IPSEC_SIM_DSCP_PACKET_FILTER_H
#define IPSEC_SIM_DSCP_PACKET_FILTER_H

#include "ns3/ipv4-packet-filter.h"

#include <array>
#include <cstdint>
#include <vector>

namespace ns3
{

/**
 * \ingroup ipsec
 * Puts IPv4 packets whose DSCP is in a list in band 0 of a PrioQueueDisc and every other
 * IPv4 packet in band 1.
 *
 * The socket priority cannot do this below an IPsec device in ns-3.37. The traffic-control
 * layer removes the SocketPriorityTag when it hands a forwarded packet to the IPsec device,
 * which has no queue disc, so the encrypted packet reaches the queue disc below untagged.
 * The outer header carries the inner DSCP in tunnel mode (RFC 4301), so the DSCP works.
 */
class DscpPacketFilter : public Ipv4PacketFilter
{
  public:
    /**
     * \brief Get the type ID.
     * \return the object TypeId
     */
    static TypeId GetTypeId();
    DscpPacketFilter();

    /// \param dscps the DSCP values (0 to 63) that go to band 0
    void SetPriorityDscps(const std::vector<uint8_t>& dscps);

  private:
    int32_t DoClassify(Ptr<QueueDiscItem> item) const override;

    std::array<bool, 64> m_priority; //!< true for each DSCP of band 0
};

} // namespace ns3

#endif // IPSEC_SIM_DSCP_PACKET_FILTER_H
