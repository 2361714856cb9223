// Copyright (c) 2026 The ns3-ipsec authors
// SPDX-License-Identifier: GPL-2.0-only

#include "ipsec-tunnel-net-device.h"

#include "ipsec-stack.h"

#include "ns3/abort.h"
#include "ns3/channel.h"
#include "ns3/ipv4-l3-protocol.h"
#include "ns3/ipv4-routing-protocol.h"
#include "ns3/log.h"
#include "ns3/node.h"
#include "ns3/string.h"
#include "ns3/uinteger.h"

namespace ns3
{

NS_LOG_COMPONENT_DEFINE("IpsecTunnelNetDevice");

NS_OBJECT_ENSURE_REGISTERED(IpsecTunnelNetDevice);

namespace
{

/// Bytes of an IPv4 header without options, as the outer header of tunnel mode is.
constexpr uint32_t IPV4_HEADER_SIZE = 20;
/// Bytes of the fixed AH fields before the ICV (RFC 4302 section 2).
constexpr uint32_t AH_FIXED_SIZE = 12;
/// Bytes of the ESP SPI and sequence number fields (RFC 4303 section 2).
constexpr uint32_t ESP_HEADER_SIZE = 8;
/// Bytes of the ESP trailer after the padding: pad length and next header.
constexpr uint32_t ESP_TRAILER_SIZE = 2;
/// Smallest MTU an IPv4 interface may have (RFC 791: 60-byte header and 8 bytes of data).
constexpr uint32_t MIN_IPV4_MTU = 68;
/// MTU assumed for the egress interface while no route to the tunnel destination exists.
constexpr uint32_t DEFAULT_TRANSPORT_MTU = 1500;

} // namespace

TypeId
IpsecTunnelNetDevice::GetTypeId()
{
    static TypeId tid =
        TypeId("ns3::IpsecTunnelNetDevice")
            .SetParent<NetDevice>()
            .SetGroupName("Ipsec")
            .AddConstructor<IpsecTunnelNetDevice>()
            .AddAttribute("InterfaceName",
                          "Interface name printed in log lines, e.g. Tunnel0.",
                          StringValue("Tunnel0"),
                          MakeStringAccessor(&IpsecTunnelNetDevice::m_interfaceName),
                          MakeStringChecker())
            .AddAttribute("Mtu",
                          "IP MTU of the tunnel interface (bytes, IOS `ip mtu`); 0 derives it "
                          "from the egress interface's MTU minus the IPsec overhead.",
                          UintegerValue(0),
                          MakeUintegerAccessor(&IpsecTunnelNetDevice::SetMtu,
                                               &IpsecTunnelNetDevice::GetConfiguredMtu),
                          MakeUintegerChecker<uint16_t>())
            .AddTraceSource("Tx",
                            "An inner IPv4 packet entered the tunnel to be protected.",
                            MakeTraceSourceAccessor(&IpsecTunnelNetDevice::m_txTrace),
                            "ns3::IpsecTunnelNetDevice::PacketTracedCallback")
            .AddTraceSource("Rx",
                            "An inner IPv4 packet left the tunnel after decryption.",
                            MakeTraceSourceAccessor(&IpsecTunnelNetDevice::m_rxTrace),
                            "ns3::IpsecTunnelNetDevice::PacketTracedCallback")
            .AddTraceSource("TxDrop",
                            "The device dropped an inner IPv4 packet, with the reason.",
                            MakeTraceSourceAccessor(&IpsecTunnelNetDevice::m_dropTrace),
                            "ns3::IpsecTunnelNetDevice::DropTracedCallback");
    return tid;
}

IpsecTunnelNetDevice::IpsecTunnelNetDevice()
    : m_ifIndex(0),
      m_mtu(0),
      m_interfaceName("Tunnel0"),
      m_decryptConnected(false),
      m_postFragmented(0)
{
    NS_LOG_FUNCTION(this);
}

IpsecTunnelNetDevice::~IpsecTunnelNetDevice()
{
    NS_LOG_FUNCTION(this);
}

void
IpsecTunnelNetDevice::DoDispose()
{
    NS_LOG_FUNCTION(this);
    if (m_decryptConnected && m_stack)
    {
        m_stack->TraceDisconnectWithoutContext(
            "Decrypt",
            MakeCallback(&IpsecTunnelNetDevice::NotifyDecrypt, this));
    }
    m_decryptConnected = false;

    // The inbound SAs point back at this device, so clear that reference.
    for (const auto& sa : m_inbound)
    {
        sa->SetTunnelDevice(nullptr);
    }
    m_inbound.clear();
    m_outbound = nullptr;
    m_stack = nullptr;
    m_ipv4 = nullptr;
    m_node = nullptr;
    m_rxCallback = NetDevice::ReceiveCallback();
    m_promiscCallback = NetDevice::PromiscReceiveCallback();
    NetDevice::DoDispose();
}

void
IpsecTunnelNetDevice::SetInterfaceName(const std::string& name)
{
    m_interfaceName = name;
}

const std::string&
IpsecTunnelNetDevice::GetInterfaceName() const
{
    return m_interfaceName;
}

void
IpsecTunnelNetDevice::SetTunnelEndpoints(Ipv4Address source, Ipv4Address destination)
{
    NS_LOG_FUNCTION(this << source << destination);
    m_source = source;
    m_destination = destination;
}

Ipv4Address
IpsecTunnelNetDevice::GetTunnelSource() const
{
    return m_source;
}

Ipv4Address
IpsecTunnelNetDevice::GetTunnelDestination() const
{
    return m_destination;
}

void
IpsecTunnelNetDevice::SetProtection(Ptr<IpsecSaBundle> outbound,
                                    const std::vector<Ptr<IpsecSecurityAssociation>>& inbound)
{
    NS_LOG_FUNCTION(this << outbound << inbound.size());
    NS_ABORT_MSG_IF(!m_node, "add " << m_interfaceName << " to its node before protecting it");
    m_stack = m_node->GetObject<IpsecStack>();
    m_ipv4 = m_node->GetObject<Ipv4L3Protocol>();
    NS_ABORT_MSG_IF(!m_stack || !m_ipv4,
                    "node " << m_node->GetId() << " needs IPv4 and an IPsec stack before "
                            << m_interfaceName << " can be protected");
    NS_ABORT_MSG_IF(!outbound || (!outbound->esp && !outbound->ah),
                    m_interfaceName << ": the outbound bundle has no SA");

    // A tunnel interface only makes sense in tunnel mode between its own endpoints.
    std::vector<Ptr<IpsecSecurityAssociation>> all = inbound;
    all.push_back(outbound->esp);
    all.push_back(outbound->ah);
    for (const auto& sa : all)
    {
        if (!sa)
        {
            continue;
        }
        NS_ABORT_MSG_IF(sa->GetMode() != IpsecMode::TUNNEL,
                        m_interfaceName << ": SA with SPI " << sa->GetSpi()
                                        << " is not in tunnel mode");
        NS_ABORT_MSG_IF(sa->GetLocalAddress() != m_source || sa->GetPeerAddress() != m_destination,
                        m_interfaceName << ": SA with SPI " << sa->GetSpi() << " joins "
                                        << sa->GetLocalAddress() << " and " << sa->GetPeerAddress()
                                        << ", but the tunnel joins " << m_source << " and "
                                        << m_destination);
    }

    // Decrypted packets of these SAs arrive on this interface, not on the physical one.
    for (const auto& sa : m_inbound)
    {
        sa->SetTunnelDevice(nullptr);
    }
    m_inbound = inbound;
    for (const auto& sa : m_inbound)
    {
        sa->SetTunnelDevice(this);
    }
    m_outbound = outbound;

    if (!m_decryptConnected)
    {
        m_stack->TraceConnectWithoutContext(
            "Decrypt",
            MakeCallback(&IpsecTunnelNetDevice::NotifyDecrypt, this));
        m_decryptConnected = true;
    }
}

Ptr<IpsecSaBundle>
IpsecTunnelNetDevice::GetOutboundBundle() const
{
    return m_outbound;
}

const std::vector<Ptr<IpsecSecurityAssociation>>&
IpsecTunnelNetDevice::GetInboundSas() const
{
    return m_inbound;
}

uint32_t
IpsecTunnelNetDevice::GetMaxInnerPacketSize(uint32_t transportMtu) const
{
    if (!m_outbound)
    {
        return transportMtu;
    }

    // Fixed overhead: outer header, AH, ESP header, IV and ICV. Only the ESP padding varies.
    uint32_t fixed = IPV4_HEADER_SIZE;
    if (m_outbound->ah)
    {
        fixed += AH_FIXED_SIZE + m_outbound->ah->GetIcvLength();
    }
    Ptr<IpsecSecurityAssociation> esp = m_outbound->esp;
    if (esp)
    {
        fixed += ESP_HEADER_SIZE + esp->GetCipher()->GetIvLength() + esp->GetIcvLength();
    }
    if (transportMtu < fixed + MIN_IPV4_MTU + ESP_TRAILER_SIZE)
    {
        NS_LOG_WARN(m_interfaceName << ": the egress MTU of " << transportMtu
                                    << " bytes leaves no room; using " << MIN_IPV4_MTU);
        return MIN_IPV4_MTU;
    }
    if (!esp)
    {
        return transportMtu - fixed;
    }

    // The inner packet and the 2-byte trailer are padded to the cipher's block size.
    uint32_t alignment = esp->GetCipher()->GetPadAlignment();
    uint32_t padded = (transportMtu - fixed) / alignment * alignment;
    return padded - ESP_TRAILER_SIZE;
}

uint64_t
IpsecTunnelNetDevice::GetPostEncryptionFragmentedCount() const
{
    return m_postFragmented;
}

Ptr<Ipv4Route>
IpsecTunnelNetDevice::RouteToDestination(const Ipv4Header& header) const
{
    Ptr<Ipv4L3Protocol> ipv4 = m_ipv4 ? m_ipv4 : m_node->GetObject<Ipv4L3Protocol>();
    if (!ipv4 || !ipv4->GetRoutingProtocol())
    {
        return nullptr;
    }
    Socket::SocketErrno error;
    return ipv4->GetRoutingProtocol()->RouteOutput(nullptr, header, nullptr, error);
}

void
IpsecTunnelNetDevice::DropOutbound(Ptr<const Packet> packet, const std::string& reason)
{
    NS_LOG_LOGIC(m_interfaceName << ": drop: " << reason);
    m_dropTrace(packet, reason);
}

void
IpsecTunnelNetDevice::NotifyDecrypt(Ptr<const Packet> packet,
                                    Ptr<const IpsecSecurityAssociation> sa)
{
    if (sa->GetTunnelDevice() == this)
    {
        m_rxTrace(packet);
    }
}

void
IpsecTunnelNetDevice::SetIfIndex(const uint32_t index)
{
    m_ifIndex = index;
}

uint32_t
IpsecTunnelNetDevice::GetIfIndex() const
{
    return m_ifIndex;
}

Ptr<Channel>
IpsecTunnelNetDevice::GetChannel() const
{
    return nullptr;
}

void
IpsecTunnelNetDevice::SetAddress(Address address)
{
    m_address = Mac48Address::ConvertFrom(address);
}

Address
IpsecTunnelNetDevice::GetAddress() const
{
    return m_address;
}

bool
IpsecTunnelNetDevice::SetMtu(const uint16_t mtu)
{
    NS_LOG_FUNCTION(this << mtu);
    NS_ABORT_MSG_IF(mtu != 0 && mtu < MIN_IPV4_MTU,
                    m_interfaceName << ": ip mtu " << mtu << " is invalid: use " << MIN_IPV4_MTU
                                    << " bytes or more, or 0 to derive it");
    m_mtu = mtu;
    return true;
}

uint16_t
IpsecTunnelNetDevice::GetConfiguredMtu() const
{
    return m_mtu;
}

uint16_t
IpsecTunnelNetDevice::GetMtu() const
{
    if (m_mtu != 0)
    {
        return m_mtu;
    }

    // No `ip mtu`: derive it from the interface the outer packets would leave on now.
    uint32_t transportMtu = DEFAULT_TRANSPORT_MTU;
    if (m_node && m_outbound)
    {
        Ipv4Header header;
        header.SetSource(m_source);
        header.SetDestination(m_destination);
        Ptr<Ipv4Route> route = RouteToDestination(header);
        if (route && route->GetOutputDevice() != this)
        {
            transportMtu = route->GetOutputDevice()->GetMtu();
        }
    }
    return static_cast<uint16_t>(GetMaxInnerPacketSize(transportMtu));
}

bool
IpsecTunnelNetDevice::IsLinkUp() const
{
    return true;
}

void
IpsecTunnelNetDevice::AddLinkChangeCallback(Callback<void> callback)
{
    // The tunnel is always up, so the callback is never called.
}

bool
IpsecTunnelNetDevice::IsBroadcast() const
{
    return false;
}

Address
IpsecTunnelNetDevice::GetBroadcast() const
{
    // IPv4 passes this as the link-layer destination of every packet it sends here.
    return Mac48Address::GetBroadcast();
}

bool
IpsecTunnelNetDevice::IsMulticast() const
{
    return false;
}

Address
IpsecTunnelNetDevice::GetMulticast(Ipv4Address multicastGroup) const
{
    return Mac48Address::GetMulticast(multicastGroup);
}

Address
IpsecTunnelNetDevice::GetMulticast(Ipv6Address address) const
{
    return Mac48Address::GetMulticast(address);
}

bool
IpsecTunnelNetDevice::IsBridge() const
{
    return false;
}

bool
IpsecTunnelNetDevice::IsPointToPoint() const
{
    return true;
}

bool
IpsecTunnelNetDevice::Send(Ptr<Packet> packet, const Address& dest, uint16_t protocolNumber)
{
    NS_LOG_FUNCTION(this << packet << dest << protocolNumber);
    if (protocolNumber != Ipv4L3Protocol::PROT_NUMBER)
    {
        DropOutbound(packet, "not-ipv4");
        return false;
    }
    if (!m_outbound)
    {
        DropOutbound(packet, "no-tunnel-protection");
        return false;
    }
    m_txTrace(packet);

    // Route first, so a packet that cannot leave does not use up a sequence number.
    Ipv4Header routeHeader;
    routeHeader.SetSource(m_source);
    routeHeader.SetDestination(m_destination);
    Ptr<Ipv4Route> route = RouteToDestination(routeHeader);
    if (!route)
    {
        DropOutbound(packet, "no-route-to-tunnel-destination");
        return false;
    }
    if (route->GetOutputDevice() == this)
    {
        // IOS shuts the tunnel down in this case, but this model only drops the packet.
        m_stack->GetSyslog()->Log("TUN",
                                  5,
                                  "RECURDOWN",
                                  m_interfaceName +
                                      " temporarily disabled due to recursive routing");
        DropOutbound(packet, "recursive-routing");
        return false;
    }

    // An inner packet with DF set must not be fragmented after encryption either.
    // NOTE: IOS would also send ICMP "fragmentation needed", but this model only drops.
    uint32_t egressMtu = route->GetOutputDevice()->GetMtu();
    Ipv4Header innerHeader;
    packet->PeekHeader(innerHeader);
    Ptr<IpsecSecurityAssociation> first = m_outbound->esp ? m_outbound->esp : m_outbound->ah;
    if (innerHeader.IsDontFragment() && packet->GetSize() > GetMaxInnerPacketSize(egressMtu))
    {
        first->GetCounters().sendErrors++;
        m_stack->NotifyDrop(packet, IpsecDropReason::FRAGMENTATION_NEEDED, first);
        DropOutbound(packet, "fragmentation-needed");
        return false;
    }

    Ipv4Header outerHeader;
    Ptr<Packet> outer = m_stack->Protect(m_outbound, packet, outerHeader);
    if (!outer)
    {
        // The stack has counted and traced the drop.
        DropOutbound(packet, "protection-failed");
        return false;
    }

    // IPv4 fragments an outer packet over the egress MTU, and the peer reassembles it first.
    if (outer->GetSize() + outerHeader.GetSerializedSize() > egressMtu)
    {
        ++m_postFragmented;
        NS_LOG_LOGIC(m_interfaceName << ": outer packet of "
                                     << outer->GetSize() + outerHeader.GetSerializedSize()
                                     << " bytes exceeds the egress MTU of " << egressMtu);
    }
    m_ipv4->SendWithHeader(outer, outerHeader, route);
    return true;
}

bool
IpsecTunnelNetDevice::SendFrom(Ptr<Packet> packet,
                               const Address& source,
                               const Address& dest,
                               uint16_t protocolNumber)
{
    NS_LOG_FUNCTION(this << packet << source << dest << protocolNumber);
    return false;
}

Ptr<Node>
IpsecTunnelNetDevice::GetNode() const
{
    return m_node;
}

void
IpsecTunnelNetDevice::SetNode(Ptr<Node> node)
{
    NS_LOG_FUNCTION(this << node);
    m_node = node;

    // IPv4 never reads it, but every device needs a link-layer address of its own.
    m_address = Mac48Address::Allocate();
}

bool
IpsecTunnelNetDevice::NeedsArp() const
{
    return false;
}

void
IpsecTunnelNetDevice::SetReceiveCallback(NetDevice::ReceiveCallback cb)
{
    m_rxCallback = cb;
}

void
IpsecTunnelNetDevice::SetPromiscReceiveCallback(NetDevice::PromiscReceiveCallback cb)
{
    m_promiscCallback = cb;
}

bool
IpsecTunnelNetDevice::SupportsSendFrom() const
{
    return false;
}

} // namespace ns3
