// Copyright (c) 2026 The ns3-ipsec authors
// SPDX-License-Identifier: GPL-2.0-only

#include "ipsec-test-network.h"

#include "ns3/core-module.h"
#include "ns3/point-to-point-module.h"

#include <algorithm>

namespace ns3
{
namespace ipsectest
{

std::vector<uint8_t>
MakePayload(uint32_t index, uint32_t size)
{
    std::vector<uint8_t> payload(size);
    for (uint32_t i = 0; i < size; ++i)
    {
        payload[i] = static_cast<uint8_t>(index * 7 + i);
    }
    return payload;
}

std::vector<uint8_t>
PacketBytes(Ptr<const Packet> packet)
{
    std::vector<uint8_t> bytes(packet->GetSize());
    packet->CopyData(bytes.data(), bytes.size());
    return bytes;
}

uint32_t
ReadU16(const std::vector<uint8_t>& bytes, uint32_t offset)
{
    return (static_cast<uint32_t>(bytes[offset]) << 8) | bytes[offset + 1];
}

std::vector<uint8_t>
MakeKey(uint32_t length, uint8_t first)
{
    std::vector<uint8_t> key(length);
    for (uint32_t i = 0; i < length; ++i)
    {
        key[i] = static_cast<uint8_t>(first + i);
    }
    return key;
}

Ptr<IpsecSecurityAssociation>
FindSa(Ptr<IpsecStack> stack, IpsecDirection direction, IpsecProtocol protocol)
{
    auto sas = direction == IpsecDirection::INBOUND ? stack->GetSadb()->GetInboundSas()
                                                    : stack->GetSadb()->GetOutboundSas();
    for (const auto& sa : sas)
    {
        if (sa->GetProtocol() == protocol)
        {
            return sa;
        }
    }
    return nullptr;
}

const Ipv4Address TwoSiteNetwork::HOST_A("10.1.1.2");
const Ipv4Address TwoSiteNetwork::HOST_B("10.2.2.2");
const Ipv4Address TwoSiteNetwork::WAN_A("192.0.2.1");
const Ipv4Address TwoSiteNetwork::WAN_B("192.0.2.2");
const std::string TwoSiteNetwork::LAN_TO_LAN = "permit ip 10.1.1.0 0.0.0.255 10.2.2.0 0.0.0.255";

TwoSiteNetwork::TwoSiteNetwork(bool modelled,
                               const std::string& wanRate,
                               uint16_t wanMtu,
                               bool ipsecOnWan)
    : m_rawIdentification(1)
{
    NodeContainer nodes;
    nodes.Create(4);
    hostA = nodes.Get(0);
    gatewayA = nodes.Get(1);
    gatewayB = nodes.Get(2);
    hostB = nodes.Get(3);

    PointToPointHelper lan;
    lan.SetDeviceAttribute("DataRate", StringValue("100Mbps"));
    lan.SetChannelAttribute("Delay", StringValue("1ms"));
    PointToPointHelper wanLink;
    wanLink.SetDeviceAttribute("DataRate", StringValue(wanRate));
    wanLink.SetDeviceAttribute("Mtu", UintegerValue(wanMtu));
    wanLink.SetChannelAttribute("Delay", StringValue("5ms"));
    lanA = lan.Install(gatewayA, hostA);
    lanB = lan.Install(gatewayB, hostB);
    wanLower = wanLink.Install(gatewayA, gatewayB);

    InternetStackHelper internet;
    internet.Install(nodes);

    // IPsec devices go on the WAN before addresses, so IPv4 uses them as the interfaces.
    ipsec.SetStackAttribute("ModelledCrypto", BooleanValue(modelled));
    ipsec.AssignStreams(1);
    wan = ipsecOnWan ? ipsec.InstallDevices(wanLower) : wanLower;

    // Gateways take .1 on their LANs and hosts take .2. The WAN is 192.0.2.0/30.
    Ipv4AddressHelper address;
    address.SetBase("10.1.1.0", "255.255.255.0");
    address.Assign(lanA);
    address.SetBase("10.2.2.0", "255.255.255.0");
    address.Assign(lanB);
    address.SetBase("192.0.2.0", "255.255.255.252");
    address.Assign(wan);

    // Hosts send everything to their gateway. Without IPsec devices on the WAN the suite
    // routes the far LANs itself, for example through tunnel interfaces.
    Ipv4StaticRoutingHelper routing;
    auto interfaceOf = [](Ptr<NetDevice> device) {
        return static_cast<uint32_t>(
            device->GetNode()->GetObject<Ipv4>()->GetInterfaceForDevice(device));
    };
    routing.GetStaticRouting(hostA->GetObject<Ipv4>())
        ->SetDefaultRoute(Ipv4Address("10.1.1.1"), interfaceOf(lanA.Get(1)));
    routing.GetStaticRouting(hostB->GetObject<Ipv4>())
        ->SetDefaultRoute(Ipv4Address("10.2.2.1"), interfaceOf(lanB.Get(1)));
    if (ipsecOnWan)
    {
        routing.GetStaticRouting(gatewayA->GetObject<Ipv4>())
            ->AddNetworkRouteTo("10.2.2.0", "255.255.255.0", WAN_B, interfaceOf(wan.Get(0)));
        routing.GetStaticRouting(gatewayB->GetObject<Ipv4>())
            ->AddNetworkRouteTo("10.1.1.0", "255.255.255.0", WAN_A, interfaceOf(wan.Get(1)));
    }

    wanLower.Get(0)->TraceConnectWithoutContext("PhyTxBegin",
                                                MakeBoundCallback(&RecordFrame, &framesAToB));
    wanLower.Get(0)->TraceConnectWithoutContext(
        "PhyTxBegin",
        MakeBoundCallback(&RecordFrameTime, &frameTimesAToB));
    wanLower.Get(1)->TraceConnectWithoutContext("PhyTxBegin",
                                                MakeBoundCallback(&RecordFrame, &framesBToA));
    lanB.Get(0)->TraceConnectWithoutContext("PhyTxBegin",
                                            MakeBoundCallback(&RecordFrame, &framesToHostB));
    hostA->GetObject<Ipv4L3Protocol>()->TraceConnectWithoutContext(
        "LocalDeliver",
        MakeCallback(&TwoSiteNetwork::RecordIcmp, this));
}

void
TwoSiteNetwork::RecordFrame(std::vector<std::vector<uint8_t>>* frames, Ptr<const Packet> packet)
{
    std::vector<uint8_t> bytes = PacketBytes(packet);
    frames->emplace_back(bytes.begin() + PPP_HEADER_SIZE, bytes.end());
}

void
TwoSiteNetwork::RecordFrameTime(std::vector<Time>* times, Ptr<const Packet> packet)
{
    times->push_back(Simulator::Now());
}

void
TwoSiteNetwork::RecordIcmp(const Ipv4Header& header, Ptr<const Packet> packet, uint32_t interface)
{
    if (header.GetProtocol() == Icmpv4L4Protocol::PROT_NUMBER)
    {
        icmpAtHostA.push_back(PacketBytes(packet));
    }
}

const std::vector<std::vector<uint8_t>>&
TwoSiteNetwork::Listen(Ptr<Node> node, uint16_t port)
{
    Ptr<Socket> socket = Socket::CreateSocket(node, UdpSocketFactory::GetTypeId());
    socket->Bind(InetSocketAddress(Ipv4Address::GetAny(), port));
    socket->SetRecvCallback(MakeCallback(&TwoSiteNetwork::Receive, this));
    m_listeners.push_back(socket);

    // Map elements keep their address, so the returned reference stays valid.
    m_receiveTimes[{node->GetId(), port}];
    return m_received[{node->GetId(), port}];
}

void
TwoSiteNetwork::Receive(Ptr<Socket> socket)
{
    Address sockName;
    socket->GetSockName(sockName);
    uint16_t port = InetSocketAddress::ConvertFrom(sockName).GetPort();
    std::pair<uint32_t, uint16_t> key{socket->GetNode()->GetId(), port};
    while (Ptr<Packet> packet = socket->Recv())
    {
        m_received[key].push_back(PacketBytes(packet));
        m_receiveTimes[key].push_back(Simulator::Now());
    }
}

Ptr<Socket>
TwoSiteNetwork::GetSender(Ptr<Node> node, uint16_t port)
{
    auto found = m_senders.find({node->GetId(), port});
    if (found != m_senders.end())
    {
        return found->second;
    }
    Ptr<Socket> socket = Socket::CreateSocket(node, UdpSocketFactory::GetTypeId());
    socket->Bind(InetSocketAddress(Ipv4Address::GetAny(), port));
    m_senders[{node->GetId(), port}] = socket;
    return socket;
}

void
TwoSiteNetwork::SendUdp(Ptr<Node> from,
                        uint16_t sourcePort,
                        Ipv4Address to,
                        uint16_t port,
                        const std::vector<uint8_t>& payload,
                        Time at)
{
    Ptr<Socket> socket = GetSender(from, sourcePort);
    Ptr<Packet> packet = Create<Packet>(payload.data(), payload.size());
    Simulator::Schedule(at, [socket, packet, to, port]() {
        socket->SendTo(packet, 0, InetSocketAddress(to, port));
    });
}

void
TwoSiteNetwork::SendRaw(Ipv4Address to,
                        uint16_t port,
                        const std::vector<uint8_t>& payload,
                        bool dontFragment,
                        Time at)
{
    SendRaw(to, port, payload, dontFragment, m_rawIdentification++, at);
}

void
TwoSiteNetwork::SendRaw(Ipv4Address to,
                        uint16_t port,
                        const std::vector<uint8_t>& payload,
                        bool dontFragment,
                        uint16_t identification,
                        Time at)
{
    // A raw socket with IpHeaderInclude sends the header given to it, DF bit included.
    if (!m_rawSocket)
    {
        m_rawSocket = Socket::CreateSocket(hostA, Ipv4RawSocketFactory::GetTypeId());
        m_rawSocket->SetAttribute("Protocol", UintegerValue(UdpL4Protocol::PROT_NUMBER));
        m_rawSocket->SetAttribute("IpHeaderInclude", BooleanValue(true));
    }

    Ptr<Packet> packet = Create<Packet>(payload.data(), payload.size());
    UdpHeader udp;
    udp.SetSourcePort(4000);
    udp.SetDestinationPort(port);
    packet->AddHeader(udp);
    Ipv4Header header;
    header.SetSource(HOST_A);
    header.SetDestination(to);
    header.SetProtocol(UdpL4Protocol::PROT_NUMBER);
    header.SetTtl(64);
    header.SetPayloadSize(packet->GetSize());
    header.SetIdentification(identification);
    if (dontFragment)
    {
        header.SetDontFragment();
    }
    else
    {
        header.SetMayFragment();
    }
    packet->AddHeader(header);

    Ptr<Socket> socket = m_rawSocket;
    Simulator::Schedule(at, [socket, packet, to]() {
        socket->SendTo(packet, 0, InetSocketAddress(to, 0));
    });
}

const std::vector<std::vector<uint8_t>>&
TwoSiteNetwork::Received(Ptr<Node> node, uint16_t port)
{
    return m_received[{node->GetId(), port}];
}

const std::vector<Time>&
TwoSiteNetwork::ReceiveTimes(Ptr<Node> node, uint16_t port)
{
    return m_receiveTimes[{node->GetId(), port}];
}

Ptr<IpsecStack>
TwoSiteNetwork::Stack(Ptr<Node> node)
{
    return node->GetObject<IpsecStack>();
}

Ptr<IpsecNetDevice>
TwoSiteNetwork::DeviceA() const
{
    return DynamicCast<IpsecNetDevice>(wan.Get(0));
}

Ptr<IpsecNetDevice>
TwoSiteNetwork::DeviceB() const
{
    return DynamicCast<IpsecNetDevice>(wan.Get(1));
}

std::vector<std::vector<uint8_t>>
TwoSiteNetwork::Select(const std::vector<std::vector<uint8_t>>& frames, uint8_t protocol)
{
    std::vector<std::vector<uint8_t>> selected;
    for (const auto& frame : frames)
    {
        if (frame.size() >= IPV4_HEADER_SIZE && frame[9] == protocol)
        {
            selected.push_back(frame);
        }
    }
    return selected;
}

bool
ReadEspFrame(Ptr<const Packet> frame, EspArrival& arrival)
{
    constexpr uint32_t length = PPP_HEADER_SIZE + IPV4_HEADER_SIZE + 8;
    uint8_t bytes[length];
    if (frame->CopyData(bytes, length) != length)
    {
        return false;
    }
    const uint8_t* ip = bytes + PPP_HEADER_SIZE;
    bool unfragmented = (ip[6] & 0x3f) == 0 && ip[7] == 0;
    if ((ip[0] >> 4) != 4 || ip[9] != 50 || !unfragmented)
    {
        return false;
    }
    const uint8_t* esp = ip + IPV4_HEADER_SIZE;
    arrival.spi = (uint32_t{esp[0]} << 24) | (esp[1] << 16) | (esp[2] << 8) | esp[3];
    arrival.sequence = (uint32_t{esp[4]} << 24) | (esp[5] << 16) | (esp[6] << 8) | esp[7];
    arrival.dscp = ip[1] >> 2;
    return true;
}

ReferenceReplayChecker::ReferenceReplayChecker(uint32_t window, bool disabled)
    : m_window(window),
      m_disabled(disabled)
{
}

ReferenceReplayChecker::Verdict
ReferenceReplayChecker::Receive(uint32_t spi, uint32_t space, uint64_t sequence)
{
    Window& window = m_windows[{spi, space}];
    Verdict verdict;
    verdict.depth = sequence < window.top ? window.top - sequence : 0;
    bool tooOld = sequence == 0 || sequence + m_window <= window.top;
    verdict.duplicate = !tooOld && window.accepted.count(sequence) != 0;
    verdict.dropped = !m_disabled && (tooOld || verdict.duplicate);
    if (!verdict.dropped)
    {
        window.accepted.insert(sequence);
        window.top = std::max(window.top, sequence);
    }
    return verdict;
}

TypeId
MockKeyManager::GetTypeId()
{
    static TypeId tid = TypeId("ns3::ipsectest::MockKeyManager")
                            .SetParent<IpsecKeyManager>()
                            .SetGroupName("Ipsec")
                            .AddConstructor<MockKeyManager>();
    return tid;
}

void
MockKeyManager::SetPeer(Ptr<IpsecStack> local,
                        Ptr<IpsecStack> peerStack,
                        Ptr<CryptoMap> peerMap,
                        Ptr<CryptoMapEntry> peerEntry)
{
    m_local = local;
    m_peerStack = peerStack;
    m_peerMap = peerMap;
    m_peerEntry = peerEntry;
}

bool
MockKeyManager::Negotiate(Ptr<CryptoMap> cryptoMap, Ptr<CryptoMapEntry> entry)
{
    m_lastMap = cryptoMap;
    m_lastEntry = entry;
    const IpsecTransformSet& set = entry->GetTransformSets().front();
    Ipv4Address localAddress = m_peerEntry->GetCurrentPeer();
    Ipv4Address peerAddress = entry->GetCurrentPeer();
    uint32_t outSpi = m_nextSpi++;
    uint32_t inSpi = m_nextSpi++;
    std::vector<uint8_t> outKey = MakeKey(set.GetEspEncryptionKeyLength(), 0x10);
    std::vector<uint8_t> outAuth = MakeKey(set.GetEspIntegrityKeyLength(), 0x40);
    std::vector<uint8_t> inKey = MakeKey(set.GetEspEncryptionKeyLength(), 0x70);
    std::vector<uint8_t> inAuth = MakeKey(set.GetEspIntegrityKeyLength(), 0xa0);

    // What this gateway sends on outSpi the peer receives on it, and the other way round.
    auto make = [&](Ptr<IpsecStack> stack,
                    IpsecDirection direction,
                    uint32_t spi,
                    const std::vector<uint8_t>& key,
                    const std::vector<uint8_t>& auth,
                    Ipv4Address local,
                    Ipv4Address peer,
                    Ptr<CryptoMap> map,
                    Ptr<CryptoMapEntry> mapEntry) {
        return stack->CreateSa(direction,
                               IpsecProtocol::ESP,
                               spi,
                               set,
                               key,
                               auth,
                               local,
                               peer,
                               map,
                               mapEntry);
    };
    auto localBundle = Create<IpsecSaBundle>();
    localBundle->esp = make(m_local,
                            IpsecDirection::OUTBOUND,
                            outSpi,
                            outKey,
                            outAuth,
                            localAddress,
                            peerAddress,
                            cryptoMap,
                            entry);
    auto localInbound = make(m_local,
                             IpsecDirection::INBOUND,
                             inSpi,
                             inKey,
                             inAuth,
                             localAddress,
                             peerAddress,
                             cryptoMap,
                             entry);
    auto peerBundle = Create<IpsecSaBundle>();
    peerBundle->esp = make(m_peerStack,
                           IpsecDirection::OUTBOUND,
                           inSpi,
                           inKey,
                           inAuth,
                           peerAddress,
                           localAddress,
                           m_peerMap,
                           m_peerEntry);
    auto peerInbound = make(m_peerStack,
                            IpsecDirection::INBOUND,
                            outSpi,
                            outKey,
                            outAuth,
                            peerAddress,
                            localAddress,
                            m_peerMap,
                            m_peerEntry);

    if (!m_local->InstallSas(cryptoMap, entry, peerAddress, 0, {localInbound}, localBundle))
    {
        ++rejections;
        return false;
    }
    if (!m_peerStack
             ->InstallSas(m_peerMap, m_peerEntry, localAddress, 0, {peerInbound}, peerBundle))
    {
        ++rejections;
        return false;
    }
    ++negotiations;
    return true;
}

bool
MockKeyManager::Acquire(Ptr<IpsecNetDevice> device,
                        Ptr<CryptoMap> cryptoMap,
                        Ptr<CryptoMapEntry> entry,
                        uint32_t trafficClass,
                        Ptr<const Packet> packet)
{
    ++acquires;
    if (negotiateOnAcquire)
    {
        Negotiate(cryptoMap, entry);
    }
    return false;
}

void
MockKeyManager::SoftExpired(Ptr<IpsecSecurityAssociation> sa)
{
    softExpiryTimes.push_back(Simulator::Now());
    softExpirySpis.push_back(sa->GetSpi());
    if (rekeyOnSoftExpiry && m_lastMap)
    {
        Negotiate(m_lastMap, m_lastEntry);
    }
}

void
MockKeyManager::SasDeleted(const std::vector<Ptr<IpsecSecurityAssociation>>& sas,
                           IpsecSaDeleteReason reason)
{
    deletions.emplace_back(Simulator::Now(), reason);
}

void
MockKeyManager::InvalidSpi(Ipv4Address source,
                           Ipv4Address destination,
                           IpsecProtocol protocol,
                           uint32_t spi)
{
    invalidSpis.push_back(spi);
}

void
MockKeyManager::SendObserved(Ptr<IpsecSecurityAssociation> sa)
{
    ++sendsObserved;
}

void
MockKeyManager::Reset()
{
    ++resets;
}

IkeTunnel::IkeTunnel(TwoSiteNetwork& net)
{
    IpsecTransformSet set = IpsecTransformSet::FromString("TS", "esp-aes esp-sha-hmac");
    auto build = [&set](const std::string& line, Ipv4Address peer, Ptr<CryptoMapEntry>& entry) {
        auto list = Create<Ipv4AccessList>("101");
        list->Add(line);
        entry = Create<CryptoMapEntry>(10, CryptoMapEntry::KeyManagement::ISAKMP);
        entry->SetAccessList(list);
        entry->AddPeer(peer);
        entry->AddTransformSet(set);
        auto map = Create<CryptoMap>("VPN");
        map->AddEntry(entry);
        return map;
    };
    mapA = build(TwoSiteNetwork::LAN_TO_LAN, TwoSiteNetwork::WAN_B, entryA);
    mapB = build("permit ip 10.2.2.0 0.0.0.255 10.1.1.0 0.0.0.255", TwoSiteNetwork::WAN_A, entryB);
    net.ipsec.ApplyCryptoMap(net.wan.Get(0), mapA);
    net.ipsec.ApplyCryptoMap(net.wan.Get(1), mapB);

    Ptr<IpsecStack> stackA = TwoSiteNetwork::Stack(net.gatewayA);
    Ptr<IpsecStack> stackB = TwoSiteNetwork::Stack(net.gatewayB);
    keyManagerA = CreateObject<MockKeyManager>();
    keyManagerA->SetPeer(stackA, stackB, mapB, entryB);
    keyManagerB = CreateObject<MockKeyManager>();
    keyManagerB->SetPeer(stackB, stackA, mapA, entryA);
    stackA->SetKeyManager(keyManagerA);
    stackB->SetKeyManager(keyManagerB);
}

} // namespace ipsectest
} // namespace ns3
