// Copyright (c) 2026 The ns3-ipsec authors
// SPDX-License-Identifier: GPL-2.0-only

#include "ipsec-pre-classify-tag.h"

namespace ns3
{

NS_OBJECT_ENSURE_REGISTERED(IpsecPreClassifyTag);

IpsecPreClassifyTag::IpsecPreClassifyTag() = default;

TypeId
IpsecPreClassifyTag::GetTypeId()
{
    static TypeId tid = TypeId("ns3::IpsecPreClassifyTag")
                            .SetParent<Tag>()
                            .SetGroupName("Ipsec")
                            .AddConstructor<IpsecPreClassifyTag>();
    return tid;
}

TypeId
IpsecPreClassifyTag::GetInstanceTypeId() const
{
    return GetTypeId();
}

uint32_t
IpsecPreClassifyTag::GetSerializedSize() const
{
    return 4 + 4 + 1 + 2 + 2 + 1 + 1 + 4;
}

void
IpsecPreClassifyTag::Serialize(TagBuffer buffer) const
{
    buffer.WriteU32(m_tuple.source.Get());
    buffer.WriteU32(m_tuple.destination.Get());
    buffer.WriteU8(m_tuple.protocol);
    buffer.WriteU16(m_tuple.sourcePort);
    buffer.WriteU16(m_tuple.destinationPort);
    buffer.WriteU8(m_tuple.dscp);
    buffer.WriteU8(m_tuple.hasPorts ? 1 : 0);
    buffer.WriteU32(m_nodeId);
}

void
IpsecPreClassifyTag::Deserialize(TagBuffer buffer)
{
    m_tuple.source = Ipv4Address(buffer.ReadU32());
    m_tuple.destination = Ipv4Address(buffer.ReadU32());
    m_tuple.protocol = buffer.ReadU8();
    m_tuple.sourcePort = buffer.ReadU16();
    m_tuple.destinationPort = buffer.ReadU16();
    m_tuple.dscp = buffer.ReadU8();
    m_tuple.hasPorts = buffer.ReadU8() != 0;
    m_nodeId = buffer.ReadU32();
}

void
IpsecPreClassifyTag::Print(std::ostream& os) const
{
    os << "inner " << m_tuple.source << " -> " << m_tuple.destination << " proto "
       << +m_tuple.protocol << " dscp " << +m_tuple.dscp;
}

void
IpsecPreClassifyTag::SetTuple(const Ipv4FlowTuple& tuple)
{
    m_tuple = tuple;
}

const Ipv4FlowTuple&
IpsecPreClassifyTag::GetTuple() const
{
    return m_tuple;
}

void
IpsecPreClassifyTag::SetNodeId(uint32_t nodeId)
{
    m_nodeId = nodeId;
}

uint32_t
IpsecPreClassifyTag::GetNodeId() const
{
    return m_nodeId;
}

} // namespace ns3
