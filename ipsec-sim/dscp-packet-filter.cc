// Copyright (c) 2026 The ns3-ipsec authors
// SPDX-License-Identifier: GPL-2.0-only

#include "dscp-packet-filter.h"

#include "ns3/ipv4-queue-disc-item.h"
#include "ns3/log.h"

namespace ns3
{

NS_LOG_COMPONENT_DEFINE("DscpPacketFilter");

NS_OBJECT_ENSURE_REGISTERED(DscpPacketFilter);

TypeId
DscpPacketFilter::GetTypeId()
{
    static TypeId tid = TypeId("ns3::DscpPacketFilter")
                            .SetParent<Ipv4PacketFilter>()
                            .SetGroupName("Ipsec")
                            .AddConstructor<DscpPacketFilter>();
    return tid;
}

DscpPacketFilter::DscpPacketFilter()
{
    m_priority.fill(false);
}

void
DscpPacketFilter::SetPriorityDscps(const std::vector<uint8_t>& dscps)
{
    NS_LOG_FUNCTION(this);
    m_priority.fill(false);
    for (uint8_t dscp : dscps)
    {
        NS_ASSERT_MSG(dscp < 64, "DSCP " << +dscp << " is out of range");
        m_priority[dscp] = true;
    }
}

int32_t
DscpPacketFilter::DoClassify(Ptr<QueueDiscItem> item) const
{
    Ptr<Ipv4QueueDiscItem> ipv4 = DynamicCast<Ipv4QueueDiscItem>(item);
    if (!ipv4)
    {
        return 1;
    }
    return m_priority[ipv4->GetHeader().GetDscp()] ? 0 : 1;
}

} // namespace ns3
