// Copyright (c) 2026 The ns3-ipsec authors
// SPDX-License-Identifier: GPL-2.0-only

#include "spi-flood-application.h"

#include "ah-header.h"
#include "esp-header.h"

#include "ns3/abort.h"
#include "ns3/boolean.h"
#include "ns3/enum.h"
#include "ns3/inet-socket-address.h"
#include "ns3/ipv4-header.h"
#include "ns3/ipv4-raw-socket-factory.h"
#include "ns3/ipv4-route.h"
#include "ns3/ipv4-routing-protocol.h"
#include "ns3/ipv4.h"
#include "ns3/log.h"
#include "ns3/simulator.h"
#include "ns3/uinteger.h"

namespace ns3
{

NS_LOG_COMPONENT_DEFINE("SpiFloodApplication");

NS_OBJECT_ENSURE_REGISTERED(SpiFloodApplication);

namespace
{

/// Smallest SPI that is not reserved (RFC 4303 section 2.1).
constexpr uint32_t MIN_SPI = 256;
/// ICV length of an AH header from the flood: HMAC-SHA-1-96 (bytes).
constexpr uint32_t AH_ICV_SIZE = 12;
/// Next header value of the AH header: IPv4, as in tunnel mode.
constexpr uint8_t AH_NEXT_HEADER_IPV4 = 4;

} // namespace

TypeId
SpiFloodApplication::GetTypeId()
{
    static TypeId tid =
        TypeId("ns3::SpiFloodApplication")
            .SetParent<Application>()
            .SetGroupName("Ipsec")
            .AddConstructor<SpiFloodApplication>()
            .AddAttribute("Remote",
                          "Destination address of the flood (the target gateway).",
                          Ipv4AddressValue(Ipv4Address("127.0.0.1")),
                          MakeIpv4AddressAccessor(&SpiFloodApplication::m_remote),
                          MakeIpv4AddressChecker())
            .AddAttribute("Protocol",
                          "IPsec protocol of the packets: ESP (IP protocol 50) or AH (51).",
                          EnumValue(static_cast<int>(IpsecProtocol::ESP)),
                          MakeEnumAccessor(&SpiFloodApplication::SetProtocolAttribute,
                                           &SpiFloodApplication::GetProtocolAttribute),
                          MakeEnumChecker(static_cast<int>(IpsecProtocol::ESP),
                                          "ESP",
                                          static_cast<int>(IpsecProtocol::AH),
                                          "AH"))
            .AddAttribute("Interval",
                          "Simulated time between two packets (s).",
                          TimeValue(MilliSeconds(1)),
                          MakeTimeAccessor(&SpiFloodApplication::m_interval),
                          MakeTimeChecker(NanoSeconds(1)))
            .AddAttribute("PayloadSize",
                          "Random bytes after the ESP header, or after the AH header and its "
                          "12-byte ICV (bytes).",
                          UintegerValue(64),
                          MakeUintegerAccessor(&SpiFloodApplication::m_payloadSize),
                          MakeUintegerChecker<uint32_t>(0, 65000))
            .AddAttribute("MaxPackets",
                          "Number of packets to send before stopping (packets); 0 sends until "
                          "StopTime.",
                          UintegerValue(0),
                          MakeUintegerAccessor(&SpiFloodApplication::m_maxPackets),
                          MakeUintegerChecker<uint64_t>())
            .AddAttribute("Source",
                          "Spoofed source address of the packets; 0.0.0.0 sends with the "
                          "node's own address.",
                          Ipv4AddressValue(Ipv4Address::GetAny()),
                          MakeIpv4AddressAccessor(&SpiFloodApplication::m_source),
                          MakeIpv4AddressChecker())
            .AddAttribute("SourceRandomBits",
                          "Number of low bits of the spoofed Source drawn at random for each "
                          "packet (bits); 0 keeps one source. Ignored without Source.",
                          UintegerValue(0),
                          MakeUintegerAccessor(&SpiFloodApplication::m_sourceRandomBits),
                          MakeUintegerChecker<uint32_t>(0, 32))
            .AddAttribute("Ttl",
                          "TTL of packets with a spoofed source (hops).",
                          UintegerValue(64),
                          MakeUintegerAccessor(&SpiFloodApplication::m_ttl),
                          MakeUintegerChecker<uint8_t>(1))
            .AddTraceSource("Tx",
                            "A flood packet was handed to the socket.",
                            MakeTraceSourceAccessor(&SpiFloodApplication::m_txTrace),
                            "ns3::SpiFloodApplication::TxTracedCallback");
    return tid;
}

SpiFloodApplication::SpiFloodApplication()
    : m_protocol(IpsecProtocol::ESP),
      m_interval(MilliSeconds(1)),
      m_payloadSize(64),
      m_maxPackets(0),
      m_sourceRandomBits(0),
      m_ttl(64),
      m_fields(CreateObject<UniformRandomVariable>()),
      m_payload(CreateObject<UniformRandomVariable>()),
      m_identification(0),
      m_sent(0),
      m_sendFailures(0)
{
    NS_LOG_FUNCTION(this);
}

SpiFloodApplication::~SpiFloodApplication()
{
    NS_LOG_FUNCTION(this);
}

void
SpiFloodApplication::DoDispose()
{
    NS_LOG_FUNCTION(this);
    m_sendEvent.Cancel();
    if (m_socket)
    {
        m_socket->Close();
    }
    m_socket = nullptr;
    m_fields = nullptr;
    m_payload = nullptr;
    Application::DoDispose();
}

void
SpiFloodApplication::SetProtocol(IpsecProtocol protocol)
{
    NS_LOG_FUNCTION(this << static_cast<int>(protocol));
    m_protocol = protocol;
}

IpsecProtocol
SpiFloodApplication::GetProtocol() const
{
    return m_protocol;
}

void
SpiFloodApplication::SetProtocolAttribute(IpsecProtocol protocol)
{
    SetProtocol(protocol);
}

int
SpiFloodApplication::GetProtocolAttribute() const
{
    return static_cast<int>(m_protocol);
}

uint64_t
SpiFloodApplication::GetSentCount() const
{
    return m_sent;
}

uint64_t
SpiFloodApplication::GetSendFailureCount() const
{
    return m_sendFailures;
}

int64_t
SpiFloodApplication::AssignStreams(int64_t stream)
{
    NS_LOG_FUNCTION(this << stream);
    m_fields->SetStream(stream);
    m_payload->SetStream(stream + 1);
    return 2;
}

void
SpiFloodApplication::StartApplication()
{
    NS_LOG_FUNCTION(this);

    // A spoofed source needs a hand-written IPv4 header; otherwise IPv4 writes its own.
    if (!m_socket)
    {
        m_socket = Socket::CreateSocket(GetNode(), Ipv4RawSocketFactory::GetTypeId());
        m_socket->SetAttribute("Protocol", UintegerValue(static_cast<uint16_t>(m_protocol)));
        m_socket->SetAttribute("IpHeaderInclude", BooleanValue(m_source != Ipv4Address::GetAny()));

        // ns-3's raw socket looks up the interface of a hand-written source address unless
        // the socket is bound to a device, and a spoofed address belongs to no interface.
        // So the socket is bound to the device of the route to Remote.
        if (m_source != Ipv4Address::GetAny())
        {
            m_socket->BindToNetDevice(FindOutputDevice());
        }
    }

    NS_LOG_INFO("flood of " << (m_protocol == IpsecProtocol::ESP ? "ESP" : "AH") << " to "
                            << m_remote << " starts, one packet every " << m_interval.As(Time::US));
    m_sendEvent.Cancel();
    m_sendEvent = Simulator::ScheduleNow(&SpiFloodApplication::SendPacket, this);
}

void
SpiFloodApplication::StopApplication()
{
    NS_LOG_FUNCTION(this);
    m_sendEvent.Cancel();
    NS_LOG_INFO("flood to " << m_remote << " stops: " << m_sent << " packets sent, "
                            << m_sendFailures << " rejected by the socket");
}

void
SpiFloodApplication::SendPacket()
{
    NS_LOG_FUNCTION(this);

    uint32_t spi = 0;
    Ptr<Packet> packet = BuildPacket(spi);

    // The trace shows the IPsec packet alone, whichever way the IPv4 header is written.
    Ipv4Address source = Ipv4Address::GetAny();
    Ptr<Packet> wire = packet;
    if (m_source != Ipv4Address::GetAny())
    {
        source = DrawSource();
        Ipv4Header header;
        header.SetSource(source);
        header.SetDestination(m_remote);
        header.SetProtocol(static_cast<uint8_t>(m_protocol));
        header.SetTtl(m_ttl);
        header.SetPayloadSize(packet->GetSize());
        header.SetIdentification(m_identification++);
        header.SetMayFragment();
        wire = packet->Copy();
        wire->AddHeader(header);
    }

    if (m_socket->SendTo(wire, 0, InetSocketAddress(m_remote, 0)) < 0)
    {
        ++m_sendFailures;
        NS_LOG_WARN("flood packet to " << m_remote << " rejected by the raw socket, error "
                                       << m_socket->GetErrno());
    }
    else
    {
        ++m_sent;
        NS_LOG_LOGIC("sent " << (m_protocol == IpsecProtocol::ESP ? "ESP" : "AH") << " spi " << spi
                             << " from " << source << " to " << m_remote);
        m_txTrace(packet, source, spi);
    }

    if (m_maxPackets != 0 && m_sent + m_sendFailures >= m_maxPackets)
    {
        NS_LOG_INFO("flood to " << m_remote << " sent its " << m_maxPackets << " packets");
        return;
    }
    m_sendEvent = Simulator::Schedule(m_interval, &SpiFloodApplication::SendPacket, this);
}

Ptr<Packet>
SpiFloodApplication::BuildPacket(uint32_t& spi)
{
    spi = m_fields->GetInteger(MIN_SPI, UINT32_MAX);
    uint32_t sequence = m_fields->GetInteger(1, UINT32_MAX);

    // The random bytes stand for the IV, ciphertext and ICV of ESP, or the AH ICV and the
    // protected payload.
    uint32_t icvSize = m_protocol == IpsecProtocol::AH ? AH_ICV_SIZE : 0;
    m_buffer.resize(icvSize + m_payloadSize);
    for (auto& byte : m_buffer)
    {
        byte = static_cast<uint8_t>(m_payload->GetInteger(0, 255));
    }

    if (m_protocol == IpsecProtocol::ESP)
    {
        Ptr<Packet> packet = Create<Packet>(m_buffer.data(), m_payloadSize);
        EspHeader esp;
        esp.SetSpi(spi);
        esp.SetSequenceNumber(sequence);
        packet->AddHeader(esp);
        return packet;
    }

    Ptr<Packet> packet = Create<Packet>(m_buffer.data() + icvSize, m_payloadSize);
    AhHeader ah;
    ah.SetNextHeader(AH_NEXT_HEADER_IPV4);
    ah.SetSpi(spi);
    ah.SetSequenceNumber(sequence);
    ah.SetIcv(std::vector<uint8_t>(m_buffer.begin(), m_buffer.begin() + icvSize));
    packet->AddHeader(ah);
    return packet;
}

Ptr<NetDevice>
SpiFloodApplication::FindOutputDevice() const
{
    Ptr<Ipv4> ipv4 = GetNode()->GetObject<Ipv4>();
    NS_ABORT_MSG_IF(!ipv4 || !ipv4->GetRoutingProtocol(),
                    "SpiFloodApplication: node " << GetNode()->GetId()
                                                 << " has no IPv4 routing; install the "
                                                    "internet stack first");
    Ipv4Header header;
    header.SetDestination(m_remote);
    header.SetProtocol(static_cast<uint8_t>(m_protocol));
    Socket::SocketErrno error = Socket::ERROR_NOTERROR;
    Ptr<Ipv4Route> route =
        ipv4->GetRoutingProtocol()->RouteOutput(Create<Packet>(), header, nullptr, error);
    NS_ABORT_MSG_IF(!route,
                    "SpiFloodApplication: node " << GetNode()->GetId() << " has no route to "
                                                 << m_remote << "; add one before StartTime");
    return route->GetOutputDevice();
}

Ipv4Address
SpiFloodApplication::DrawSource()
{
    if (m_sourceRandomBits == 0)
    {
        return m_source;
    }

    // The mask keeps the high 32 - SourceRandomBits bits of Source.
    uint32_t randomMask =
        m_sourceRandomBits >= 32 ? UINT32_MAX : (uint32_t{1} << m_sourceRandomBits) - 1;
    uint32_t random = m_fields->GetInteger(0, UINT32_MAX) & randomMask;
    return Ipv4Address((m_source.Get() & ~randomMask) | random);
}

} // namespace ns3
