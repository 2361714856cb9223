// Copyright (c) 2026 The ns3-ipsec authors
// SPDX-License-Identifier: GPL-2.0-only

#include "ah-header.h"

#include "ns3/log.h"

namespace ns3
{

NS_OBJECT_ENSURE_REGISTERED(AhHeader);

AhHeader::AhHeader()
    : m_nextHeader(0),
      m_spi(0),
      m_sequence(0),
      m_icv(12, 0)
{
}

TypeId
AhHeader::GetTypeId()
{
    static TypeId tid = TypeId("ns3::AhHeader")
                            .SetParent<Header>()
                            .SetGroupName("Ipsec")
                            .AddConstructor<AhHeader>();
    return tid;
}

TypeId
AhHeader::GetInstanceTypeId() const
{
    return GetTypeId();
}

void
AhHeader::Print(std::ostream& os) const
{
    os << "AH next=" << +m_nextHeader << " spi=0x" << std::hex << m_spi << std::dec
       << " seq=" << m_sequence << " icv=" << m_icv.size() << "B";
}

uint32_t
AhHeader::GetSerializedSize() const
{
    return FIXED_SIZE + static_cast<uint32_t>(m_icv.size());
}

void
AhHeader::Serialize(Buffer::Iterator start) const
{
    start.WriteU8(m_nextHeader);
    start.WriteU8(static_cast<uint8_t>(GetSerializedSize() / 4 - 2));
    start.WriteU16(0);
    start.WriteHtonU32(m_spi);
    start.WriteHtonU32(m_sequence);
    start.Write(m_icv.data(), static_cast<uint32_t>(m_icv.size()));
}

uint32_t
AhHeader::Deserialize(Buffer::Iterator start)
{
    m_nextHeader = start.ReadU8();
    uint32_t length = (static_cast<uint32_t>(start.ReadU8()) + 2) * 4;
    start.ReadU16();
    m_spi = start.ReadNtohU32();
    m_sequence = start.ReadNtohU32();

    // A length below the fixed part is malformed; the ICV is then read as empty.
    uint32_t icvLength = length > FIXED_SIZE ? length - FIXED_SIZE : 0;
    m_icv.resize(icvLength);
    start.Read(m_icv.data(), icvLength);
    return FIXED_SIZE + icvLength;
}

void
AhHeader::SetNextHeader(uint8_t nextHeader)
{
    m_nextHeader = nextHeader;
}

uint8_t
AhHeader::GetNextHeader() const
{
    return m_nextHeader;
}

void
AhHeader::SetSpi(uint32_t spi)
{
    m_spi = spi;
}

uint32_t
AhHeader::GetSpi() const
{
    return m_spi;
}

void
AhHeader::SetSequenceNumber(uint32_t sequence)
{
    m_sequence = sequence;
}

uint32_t
AhHeader::GetSequenceNumber() const
{
    return m_sequence;
}

void
AhHeader::SetIcv(const std::vector<uint8_t>& icv)
{
    NS_ASSERT_MSG(icv.size() % 4 == 0, "the AH ICV must keep the header a multiple of 4 bytes");
    m_icv = icv;
}

const std::vector<uint8_t>&
AhHeader::GetIcv() const
{
    return m_icv;
}

} // namespace ns3
