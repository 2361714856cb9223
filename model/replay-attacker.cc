// Copyright (c) 2026 The ns3-ipsec authors
// SPDX-License-Identifier: GPL-2.0-only

#include "replay-attacker.h"

#include "ns3/abort.h"
#include "ns3/log.h"
#include "ns3/simulator.h"
#include "ns3/uinteger.h"

namespace ns3
{

NS_LOG_COMPONENT_DEFINE("ReplayAttacker");

NS_OBJECT_ENSURE_REGISTERED(ReplayAttacker);

namespace
{

/// Bytes of the PPP header in front of each frame on a point-to-point link.
constexpr uint32_t PPP_HEADER_SIZE = 2;
/// PPP protocol number of IPv4, as ns-3's PppHeader writes it.
constexpr uint16_t PPP_PROTOCOL_IPV4 = 0x0021;
/// Bytes of an IPv4 header without options.
constexpr uint32_t IPV4_MIN_HEADER_SIZE = 20;
/// IP protocol number of ESP.
constexpr uint8_t PROTOCOL_ESP = 50;
/// IP protocol number of AH.
constexpr uint8_t PROTOCOL_AH = 51;
/// Bytes of the ESP header fields the attacker reads: SPI and sequence number.
constexpr uint32_t ESP_FIELDS_SIZE = 8;
/// Bytes of the AH header up to the end of its sequence number field.
constexpr uint32_t AH_FIELDS_SIZE = 12;

/**
 * Reads the IP protocol of a frame if it is IPv4 over PPP.
 * \param bytes the frame, PPP header included
 * \return the IPv4 protocol number, or 0 if the frame is not IPv4
 */
uint8_t
ReadIpv4Protocol(const std::vector<uint8_t>& bytes)
{
    if (bytes.size() < PPP_HEADER_SIZE + IPV4_MIN_HEADER_SIZE)
    {
        return 0;
    }
    uint16_t pppProtocol = static_cast<uint16_t>(bytes[0] << 8 | bytes[1]);
    if (pppProtocol != PPP_PROTOCOL_IPV4 || (bytes[PPP_HEADER_SIZE] >> 4) != 4)
    {
        return 0;
    }
    return bytes[PPP_HEADER_SIZE + 9];
}

/**
 * Copies the bytes of a packet.
 * \param packet the packet
 * \return its bytes
 */
std::vector<uint8_t>
CopyBytes(Ptr<const Packet> packet)
{
    std::vector<uint8_t> bytes(packet->GetSize());
    packet->CopyData(bytes.data(), bytes.size());
    return bytes;
}

} // namespace

TypeId
ReplayAttacker::GetTypeId()
{
    static TypeId tid =
        TypeId("ns3::ReplayAttacker")
            .SetParent<Object>()
            .SetGroupName("Ipsec")
            .AddConstructor<ReplayAttacker>()
            .AddAttribute("MaxCaptured",
                          "Maximum number of ESP and AH frames stored (frames); later frames "
                          "are counted as missed.",
                          UintegerValue(10000),
                          MakeUintegerAccessor(&ReplayAttacker::m_maxCaptured),
                          MakeUintegerChecker<uint32_t>(1))
            .AddTraceSource("Capture",
                            "An ESP or AH frame the victim received was stored.",
                            MakeTraceSourceAccessor(&ReplayAttacker::m_captureTrace),
                            "ns3::ReplayAttacker::FrameTracedCallback")
            .AddTraceSource("Inject",
                            "A frame is about to be handed to the victim, PPP header included.",
                            MakeTraceSourceAccessor(&ReplayAttacker::m_injectTrace),
                            "ns3::ReplayAttacker::FrameTracedCallback");
    return tid;
}

ReplayAttacker::ReplayAttacker()
    : m_victim(nullptr),
      m_maxCaptured(10000),
      m_missed(0),
      m_injected(0),
      m_injecting(false)
{
    NS_LOG_FUNCTION(this);
}

ReplayAttacker::~ReplayAttacker()
{
    NS_LOG_FUNCTION(this);
}

void
ReplayAttacker::DoDispose()
{
    NS_LOG_FUNCTION(this);
    for (auto& event : m_events)
    {
        event.Cancel();
    }
    m_events.clear();
    if (m_victim)
    {
        m_victim->TraceDisconnectWithoutContext("PhyRxEnd",
                                                MakeCallback(&ReplayAttacker::Capture, this));
    }
    m_victim = nullptr;
    m_captured.clear();
    Object::DoDispose();
}

void
ReplayAttacker::Attach(Ptr<PointToPointNetDevice> victim)
{
    NS_LOG_FUNCTION(this << victim);
    NS_ABORT_MSG_IF(!victim, "ReplayAttacker::Attach: the victim device is null");
    NS_ABORT_MSG_IF(m_victim,
                    "ReplayAttacker::Attach: already attached; use one attacker per device");

    // PhyRxEnd fires after the receive error model, with the PPP header still on the frame.
    m_victim = victim;
    m_victim->TraceConnectWithoutContext("PhyRxEnd", MakeCallback(&ReplayAttacker::Capture, this));
}

Ptr<PointToPointNetDevice>
ReplayAttacker::GetVictim() const
{
    return m_victim;
}

uint32_t
ReplayAttacker::GetCapturedCount() const
{
    return m_captured.size();
}

Ptr<const Packet>
ReplayAttacker::GetCaptured(uint32_t index) const
{
    NS_ABORT_MSG_IF(index >= m_captured.size(),
                    "ReplayAttacker::GetCaptured: index "
                        << index << " is invalid: " << m_captured.size() << " frames captured");
    return m_captured[index];
}

uint64_t
ReplayAttacker::GetMissedCount() const
{
    return m_missed;
}

uint64_t
ReplayAttacker::GetInjectedCount() const
{
    return m_injected;
}

void
ReplayAttacker::Capture(Ptr<const Packet> frame)
{
    NS_LOG_FUNCTION(this << frame);

    // The attacker's own injections pass through the same trace and are not stored again.
    if (m_injecting)
    {
        return;
    }

    std::vector<uint8_t> bytes = CopyBytes(frame);
    uint8_t protocol = ReadIpv4Protocol(bytes);
    if (protocol != PROTOCOL_ESP && protocol != PROTOCOL_AH)
    {
        return;
    }
    if (m_captured.size() >= m_maxCaptured)
    {
        ++m_missed;
        NS_LOG_LOGIC("capture buffer full (" << m_maxCaptured << " frames): frame not stored");
        return;
    }

    // A copy, because the device strips the PPP header from the packet it passes up.
    Ptr<Packet> copy = frame->Copy();
    m_captured.push_back(copy);
    NS_LOG_DEBUG("captured frame " << m_captured.size() - 1 << ": protocol " << +protocol << ", "
                                   << bytes.size() << " bytes");
    m_captureTrace(copy);
}

void
ReplayAttacker::ReplayAt(Time when, uint32_t index)
{
    NS_LOG_FUNCTION(this << when << index);
    ScheduleInjection(when, index, false, Field::SEQUENCE, 0);
}

void
ReplayAttacker::ReplayAll(Time start, Time interval)
{
    NS_LOG_FUNCTION(this << start << interval);
    NS_ABORT_MSG_IF(start < Simulator::Now(),
                    "ReplayAttacker::ReplayAll: start " << start.As(Time::S) << " is in the past");
    NS_ABORT_MSG_IF(interval.IsStrictlyNegative(),
                    "ReplayAttacker::ReplayAll: interval " << interval.As(Time::S)
                                                           << " is negative");

    // The frames are counted at the start time, so frames captured before then are included.
    m_events.push_back(Simulator::Schedule(start - Simulator::Now(),
                                           &ReplayAttacker::DoReplayAll,
                                           this,
                                           interval));
}

void
ReplayAttacker::InjectWithSequence(Time when, uint32_t index, uint32_t sequence)
{
    NS_LOG_FUNCTION(this << when << index << sequence);
    ScheduleInjection(when, index, true, Field::SEQUENCE, sequence);
}

void
ReplayAttacker::InjectWithSpi(Time when, uint32_t index, uint32_t spi)
{
    NS_LOG_FUNCTION(this << when << index << spi);
    ScheduleInjection(when, index, true, Field::SPI, spi);
}

void
ReplayAttacker::ScheduleInjection(Time when,
                                  uint32_t index,
                                  bool rewrite,
                                  Field field,
                                  uint32_t value)
{
    NS_LOG_FUNCTION(this << when << index << rewrite << value);
    NS_ABORT_MSG_IF(when < Simulator::Now(),
                    "ReplayAttacker: injection time " << when.As(Time::S) << " is in the past");
    m_events.push_back(Simulator::Schedule(when - Simulator::Now(),
                                           &ReplayAttacker::DoInject,
                                           this,
                                           index,
                                           rewrite,
                                           field,
                                           value));
}

void
ReplayAttacker::DoReplayAll(Time interval)
{
    NS_LOG_FUNCTION(this << interval);
    uint32_t count = m_captured.size();
    NS_LOG_DEBUG("replaying " << count << " frames, one every " << interval.As(Time::US));
    for (uint32_t k = 0; k < count; ++k)
    {
        m_events.push_back(Simulator::Schedule(interval * k,
                                               &ReplayAttacker::DoInject,
                                               this,
                                               k,
                                               false,
                                               Field::SEQUENCE,
                                               0));
    }
}

void
ReplayAttacker::DoInject(uint32_t index, bool rewrite, Field field, uint32_t value)
{
    NS_LOG_FUNCTION(this << index << rewrite << value);
    NS_ABORT_MSG_IF(!m_victim, "ReplayAttacker: Attach() was not called before an injection");
    NS_ABORT_MSG_IF(index >= m_captured.size(),
                    "ReplayAttacker: no captured frame "
                        << index << " at " << Simulator::Now().As(Time::S) << ": "
                        << m_captured.size() << " frames captured");

    // Injecting a copy leaves the stored frame intact for later replays.
    if (!rewrite)
    {
        NS_LOG_DEBUG("replaying frame " << index);
        Deliver(m_captured[index]->Copy());
        return;
    }

    // The ICV is left as it was: without the keys the attacker cannot recompute it.
    std::vector<uint8_t> bytes = CopyBytes(m_captured[index]);
    uint32_t offset = FindFieldOffset(bytes, field);
    bytes[offset] = static_cast<uint8_t>(value >> 24);
    bytes[offset + 1] = static_cast<uint8_t>(value >> 16);
    bytes[offset + 2] = static_cast<uint8_t>(value >> 8);
    bytes[offset + 3] = static_cast<uint8_t>(value);
    NS_LOG_DEBUG("injecting frame " << index << " with " << (field == Field::SPI ? "spi" : "seq")
                                    << " " << value);
    Deliver(Create<Packet>(bytes.data(), bytes.size()));
}

void
ReplayAttacker::Deliver(Ptr<Packet> frame)
{
    NS_LOG_FUNCTION(this << frame);
    m_injectTrace(frame);
    ++m_injected;

    // Receive() fires PhyRxEnd again; the flag keeps Capture() from storing this frame.
    m_injecting = true;
    m_victim->Receive(frame);
    m_injecting = false;
}

uint32_t
ReplayAttacker::FindFieldOffset(const std::vector<uint8_t>& bytes, Field field)
{
    uint8_t protocol = ReadIpv4Protocol(bytes);
    NS_ASSERT_MSG(protocol == PROTOCOL_ESP || protocol == PROTOCOL_AH,
                  "captured frame carries protocol " << +protocol);

    // Only the first fragment of a fragmented outer packet starts with the IPsec header.
    uint32_t ipStart = PPP_HEADER_SIZE;
    uint16_t fragmentOffset =
        static_cast<uint16_t>((bytes[ipStart + 6] & 0x1f) << 8 | bytes[ipStart + 7]);
    NS_ABORT_MSG_IF(fragmentOffset != 0,
                    "ReplayAttacker: cannot rewrite a non-first fragment (fragment offset "
                        << fragmentOffset * 8 << " bytes); it has no ESP or AH header");

    uint32_t ipsecStart = ipStart + (bytes[ipStart] & 0x0f) * 4u;
    uint32_t needed = protocol == PROTOCOL_ESP ? ESP_FIELDS_SIZE : AH_FIELDS_SIZE;
    NS_ABORT_MSG_IF(ipsecStart + needed > bytes.size(),
                    "ReplayAttacker: frame of " << bytes.size() << " bytes is too short for the "
                                                << (protocol == PROTOCOL_ESP ? "ESP" : "AH")
                                                << " header");

    // ESP: SPI at 0, sequence at 4 (RFC 4303 section 2). AH: SPI at 4, sequence at 8
    // (RFC 4302 section 2).
    uint32_t spiOffset = protocol == PROTOCOL_ESP ? 0 : 4;
    return ipsecStart + spiOffset + (field == Field::SPI ? 0 : 4);
}

} // namespace ns3
