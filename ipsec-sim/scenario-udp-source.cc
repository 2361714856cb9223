// Copyright (c) 2026 The ns3-ipsec authors
// SPDX-License-Identifier: GPL-2.0-only

#include "scenario-udp-source.h"

#include "ns3/address-utils.h"
#include "ns3/boolean.h"
#include "ns3/inet-socket-address.h"
#include "ns3/ipv4-header.h"
#include "ns3/ipv4-raw-socket-factory.h"
#include "ns3/ipv4.h"
#include "ns3/log.h"
#include "ns3/packet.h"
#include "ns3/seq-ts-size-header.h"
#include "ns3/simulator.h"
#include "ns3/udp-header.h"
#include "ns3/udp-l4-protocol.h"
#include "ns3/udp-socket-factory.h"
#include "ns3/udp-socket.h"
#include "ns3/uinteger.h"

namespace ns3
{

NS_LOG_COMPONENT_DEFINE("ScenarioUdpSource");

NS_OBJECT_ENSURE_REGISTERED(ScenarioUdpSource);

namespace
{

/// UDP source port of packets sent with DF through the raw socket.
constexpr uint16_t DF_SOURCE_PORT = 49153;

} // namespace

TypeId
ScenarioUdpSource::GetTypeId()
{
    static TypeId tid =
        TypeId("ns3::ScenarioUdpSource")
            .SetParent<Application>()
            .SetGroupName("Ipsec")
            .AddConstructor<ScenarioUdpSource>()
            .AddAttribute("Remote",
                          "Destination address and UDP port.",
                          AddressValue(),
                          MakeAddressAccessor(&ScenarioUdpSource::m_remote),
                          MakeAddressChecker())
            .AddAttribute("PacketSize",
                          "UDP payload size in bytes, at least the 20-byte sequence and "
                          "timestamp header.",
                          UintegerValue(160),
                          MakeUintegerAccessor(&ScenarioUdpSource::m_size),
                          MakeUintegerChecker<uint32_t>(20, 65507))
            .AddAttribute("Interval",
                          "Time between packets while on (s).",
                          TimeValue(MilliSeconds(20)),
                          MakeTimeAccessor(&ScenarioUdpSource::m_interval),
                          MakeTimeChecker(NanoSeconds(1)))
            .AddAttribute("OnTime",
                          "Length of each on period (s); zero sends without pause.",
                          TimeValue(Seconds(0)),
                          MakeTimeAccessor(&ScenarioUdpSource::m_onTime),
                          MakeTimeChecker(Seconds(0)))
            .AddAttribute("OffTime",
                          "Length of each off period (s).",
                          TimeValue(Seconds(0)),
                          MakeTimeAccessor(&ScenarioUdpSource::m_offTime),
                          MakeTimeChecker(Seconds(0)))
            .AddAttribute("Dscp",
                          "DSCP of the packets (0 to 63).",
                          UintegerValue(0),
                          MakeUintegerAccessor(&ScenarioUdpSource::m_dscp),
                          MakeUintegerChecker<uint8_t>(0, 63))
            .AddAttribute("DontFragment",
                          "Set the DF bit on the packets.",
                          BooleanValue(false),
                          MakeBooleanAccessor(&ScenarioUdpSource::m_dontFragment),
                          MakeBooleanChecker())
            .AddAttribute("MaxPackets",
                          "Number of packets to send; zero sends until the stop time.",
                          UintegerValue(0),
                          MakeUintegerAccessor(&ScenarioUdpSource::m_maxPackets),
                          MakeUintegerChecker<uint64_t>())
            .AddTraceSource("Tx",
                            "A packet was sent.",
                            MakeTraceSourceAccessor(&ScenarioUdpSource::m_txTrace),
                            "ns3::ScenarioUdpSource::TxTracedCallback");
    return tid;
}

ScenarioUdpSource::ScenarioUdpSource()
    : m_size(160),
      m_dscp(0),
      m_dontFragment(false),
      m_maxPackets(0),
      m_sent(0)
{
    NS_LOG_FUNCTION(this);
}

void
ScenarioUdpSource::DoDispose()
{
    NS_LOG_FUNCTION(this);
    m_sendEvent.Cancel();
    m_socket = nullptr;
    Application::DoDispose();
}

void
ScenarioUdpSource::StartApplication()
{
    NS_LOG_FUNCTION(this);
    // ns-3.37's IPv4 sets DF only on packets whose header the sender writes, so packets
    // with DF go out through a raw socket with their own UDP and IPv4 headers.
    if (m_dontFragment)
    {
        m_socket = Socket::CreateSocket(GetNode(), Ipv4RawSocketFactory::GetTypeId());
        m_socket->SetAttribute("Protocol", UintegerValue(UdpL4Protocol::PROT_NUMBER));
        m_socket->SetAttribute("IpHeaderInclude", BooleanValue(true));
        Ptr<Ipv4> ipv4 = GetNode()->GetObject<Ipv4>();
        NS_ABORT_MSG_IF(ipv4->GetNInterfaces() < 2, "a DF source needs an IPv4 interface");
        m_source = ipv4->GetAddress(1, 0).GetLocal();
    }
    else
    {
        m_socket = Socket::CreateSocket(GetNode(), UdpSocketFactory::GetTypeId());
        m_socket->Bind();
        m_socket->Connect(m_remote);
        m_socket->SetIpTos(static_cast<uint8_t>(m_dscp << 2));
    }
    m_periodStart = Simulator::Now();
    Send();
}

void
ScenarioUdpSource::StopApplication()
{
    NS_LOG_FUNCTION(this);
    m_sendEvent.Cancel();
    if (m_socket)
    {
        m_socket->Close();
    }
}

void
ScenarioUdpSource::Send()
{
    NS_LOG_FUNCTION(this);

    // In an off period, wait for the next on period.
    Time now = Simulator::Now();
    if (!m_onTime.IsZero() && now - m_periodStart >= m_onTime)
    {
        m_periodStart = now + m_offTime;
        m_sendEvent = Simulator::Schedule(m_offTime, &ScenarioUdpSource::Send, this);
        return;
    }

    SeqTsSizeHeader header;
    header.SetSeq(static_cast<uint32_t>(m_sent));
    header.SetSize(m_size);
    Ptr<Packet> packet = Create<Packet>(m_size - header.GetSerializedSize());
    packet->AddHeader(header);
    m_txTrace(packet);
    if (m_dontFragment)
    {
        SendWithDontFragment(packet);
    }
    else
    {
        m_socket->Send(packet);
    }
    ++m_sent;
    NS_LOG_DEBUG("sent packet " << m_sent << " of " << m_size << " bytes");

    if (m_maxPackets == 0 || m_sent < m_maxPackets)
    {
        m_sendEvent = Simulator::Schedule(m_interval, &ScenarioUdpSource::Send, this);
    }
}

void
ScenarioUdpSource::SendWithDontFragment(Ptr<Packet> packet)
{
    InetSocketAddress remote = InetSocketAddress::ConvertFrom(m_remote);

    UdpHeader udp;
    udp.SetSourcePort(DF_SOURCE_PORT);
    udp.SetDestinationPort(remote.GetPort());
    packet->AddHeader(udp);

    Ipv4Header ip;
    ip.SetSource(m_source);
    ip.SetDestination(remote.GetIpv4());
    ip.SetProtocol(UdpL4Protocol::PROT_NUMBER);
    ip.SetTtl(64);
    ip.SetTos(static_cast<uint8_t>(m_dscp << 2));
    ip.SetPayloadSize(packet->GetSize());
    ip.SetIdentification(static_cast<uint16_t>(m_sent));
    ip.SetDontFragment();
    packet->AddHeader(ip);
    m_socket->SendTo(packet, 0, InetSocketAddress(remote.GetIpv4(), 0));
}

} // namespace ns3
