// Copyright (c) 2026 The ns3-ipsec authors
// SPDX-License-Identifier: GPL-2.0-only

#include "ipsec-helper.h"

#include "ns3/abort.h"
#include "ns3/data-rate.h"
#include "ns3/ipsec-crypto-engine.h"
#include "ns3/ipv4.h"
#include "ns3/log.h"
#include "ns3/pcap-file-wrapper.h"
#include "ns3/point-to-point-net-device.h"
#include "ns3/simulator.h"
#include "ns3/trace-helper.h"
#include "ns3/traffic-control-helper.h"

#include <cstdio>
#include <fstream>
#include <iomanip>
#include <map>
#include <memory>
#include <set>
#include <sstream>
#include <tuple>

namespace ns3
{

NS_LOG_COMPONENT_DEFINE("IpsecHelper");

namespace
{

/// Writes a captured frame to a pcap file.
void
WriteFrame(Ptr<PcapFileWrapper> file, Ptr<const Packet> packet)
{
    file->Write(Simulator::Now(), packet);
}

/// Writes the key line of an AH SA: "IPv4","source","destination","0xSPI","algorithm","0xkey".
void
WriteAhKeyLine(std::ostream& os, Ptr<const IpsecSecurityAssociation> sa)
{
    if (sa->GetProtocol() != IpsecProtocol::AH || sa->IsModelled())
    {
        return;
    }
    bool inbound = sa->GetDirection() == IpsecDirection::INBOUND;
    std::ostringstream key;
    for (uint8_t byte : sa->GetIntegrityKey())
    {
        key << std::hex << std::setw(2) << std::setfill('0') << static_cast<int>(byte);
    }
    char spi[16];
    std::snprintf(spi, sizeof(spi), "0x%08X", sa->GetSpi());
    bool sha1 = sa->GetTransformSet().GetAhIntegrity() == IpsecIntegrity::HMAC_SHA1_96;
    os << "\"IPv4\",\"" << (inbound ? sa->GetPeerAddress() : sa->GetLocalAddress()) << "\",\""
       << (inbound ? sa->GetLocalAddress() : sa->GetPeerAddress()) << "\",\"" << spi << "\",\""
       << (sha1 ? "HMAC-SHA-1-96" : "HMAC-SHA-256-128") << "\",\"0x" << key.str() << "\"\n";
}

/// Appends an SA to the key files as soon as the SADB learns it.
void
WriteSaLine(std::shared_ptr<std::ofstream> espFile,
            std::shared_ptr<std::ofstream> ahFile,
            Ptr<const IpsecSecurityAssociation> sa)
{
    IpsecStack::WriteWiresharkEspSa(*espFile, sa);
    WriteAhKeyLine(*ahFile, sa);
    espFile->flush();
    ahFile->flush();
}

/// \return the IPv4 address of an interface's device, aborting if it has none
Ipv4Address
GetInterfaceAddress(Ptr<NetDevice> device)
{
    Ptr<IpsecNetDevice> ipsecDevice = DynamicCast<IpsecNetDevice>(device);
    NS_ABORT_MSG_IF(!ipsecDevice, "device " << device << " is not an IpsecNetDevice");
    Ipv4Address address = ipsecDevice->GetIpv4Address();
    NS_ABORT_MSG_IF(address == Ipv4Address::GetAny(),
                    "interface " << ipsecDevice->GetInterfaceName()
                                 << " has no IPv4 address: assign addresses to the IPsec "
                                    "devices before applying a crypto map");
    return address;
}

/// \return the mirror image of one access-list line: sources and destinations swapped
std::string
MirrorAccessListLine(const Ipv4AccessListEntry& entry)
{
    auto address = [](Ipv4Address address, Ipv4Address wildcard) {
        std::ostringstream text;
        if (wildcard.Get() == 0xffffffffu)
        {
            text << "any";
        }
        else if (wildcard.Get() == 0)
        {
            text << "host " << address;
        }
        else
        {
            text << address << " " << wildcard;
        }
        return text.str();
    };
    auto ports = [](Ipv4AccessListEntry::PortOperator op, uint16_t low, uint16_t high) {
        std::ostringstream text;
        switch (op)
        {
        case Ipv4AccessListEntry::PortOperator::ANY:
            break;
        case Ipv4AccessListEntry::PortOperator::EQ:
            text << " eq " << low;
            break;
        case Ipv4AccessListEntry::PortOperator::NEQ:
            text << " neq " << low;
            break;
        case Ipv4AccessListEntry::PortOperator::LT:
            text << " lt " << low;
            break;
        case Ipv4AccessListEntry::PortOperator::GT:
            text << " gt " << low;
            break;
        case Ipv4AccessListEntry::PortOperator::RANGE:
            text << " range " << low << " " << high;
            break;
        }
        return text.str();
    };

    std::ostringstream line;
    line << (entry.permit ? "permit " : "deny ");
    line << (entry.protocol < 0 ? std::string("ip") : std::to_string(entry.protocol)) << " ";
    line << address(entry.destination, entry.destinationWildcard)
         << ports(entry.destinationPortOperator,
                  entry.destinationPortLow,
                  entry.destinationPortHigh)
         << " ";
    line << address(entry.source, entry.sourceWildcard)
         << ports(entry.sourcePortOperator, entry.sourcePortLow, entry.sourcePortHigh);
    if (entry.dscp >= 0)
    {
        line << " dscp " << entry.dscp;
    }
    return line.str();
}

} // namespace

IpsecHelper::IpsecHelper()
    : m_tunnelReplayWindowSize(0),
      m_tunnelReplayDisable(false),
      m_tunnelExtended(false),
      m_tunnelClassMode(CryptoMapEntry::TrafficClassMode::SEPARATE_SAS),
      m_tunnelCount(0)
{
    m_stackFactory.SetTypeId(IpsecStack::GetTypeId());
    m_random = CreateObject<UniformRandomVariable>();
}

void
IpsecHelper::SetStackAttribute(const std::string& name, const AttributeValue& value)
{
    m_stackFactory.Set(name, value);
}

Ptr<IpsecStack>
IpsecHelper::Install(Ptr<Node> node) const
{
    Ptr<IpsecStack> stack = node->GetObject<IpsecStack>();
    if (stack)
    {
        return stack;
    }
    stack = m_stackFactory.Create<IpsecStack>();
    stack->Install(node);
    CreateObject<IkeDaemon>()->Install(node);

    // A router sends an INVALID_SPI notification over an existing IKE SA for a packet with
    // an unknown SPI even without `crypto isakmp invalid-spi-recovery`, so every node gets
    // the handler. Recovery stays off until SetInvalidSpiRecovery turns it on.
    GetInvalidSpiHandler(node);
    return stack;
}

void
IpsecHelper::Install(NodeContainer nodes) const
{
    for (auto it = nodes.Begin(); it != nodes.End(); ++it)
    {
        Install(*it);
    }
}

Ptr<IpsecNetDevice>
IpsecHelper::InstallDevice(Ptr<NetDevice> lower, const std::string& interfaceName) const
{
    Ptr<Node> node = lower->GetNode();
    NS_ABORT_MSG_IF(!node, "the lower device must be on a node");
    NS_ABORT_MSG_IF(node->GetObject<Ipv4>() &&
                        node->GetObject<Ipv4>()->GetInterfaceForDevice(lower) >= 0,
                    "device " << lower->GetIfIndex() << " of node " << node->GetId()
                              << " already has IPv4: stack the IPsec device before assigning "
                                 "addresses");
    Install(node);

    auto device = CreateObject<IpsecNetDevice>();
    node->AddDevice(device);
    device->SetLowerDevice(lower);

    std::string name = interfaceName;
    if (name.empty())
    {
        bool serial = DynamicCast<PointToPointNetDevice>(lower) != nullptr;
        name = (serial ? "Serial0/" : "GigabitEthernet0/") + std::to_string(lower->GetIfIndex());
    }
    device->SetInterfaceName(name);
    return device;
}

NetDeviceContainer
IpsecHelper::InstallDevices(NetDeviceContainer lower) const
{
    NetDeviceContainer devices;
    for (auto it = lower.Begin(); it != lower.End(); ++it)
    {
        devices.Add(InstallDevice(*it));
    }
    return devices;
}

void
IpsecHelper::ApplyCryptoMap(Ptr<NetDevice> device, Ptr<CryptoMap> cryptoMap) const
{
    Ptr<IpsecNetDevice> ipsecDevice = DynamicCast<IpsecNetDevice>(device);
    NS_ABORT_MSG_IF(!ipsecDevice, "crypto maps apply to IpsecNetDevice interfaces only");
    Ipv4Address local = GetInterfaceAddress(device);

    // Check every entry first, so a bad map leaves nothing half configured.
    for (const auto& entry : cryptoMap->GetEntries())
    {
        std::string problem = entry->Validate();
        NS_ABORT_MSG_IF(!problem.empty(), "crypto map " << cryptoMap->GetName() << ": " << problem);
    }

    Ptr<IpsecStack> stack = device->GetNode()->GetObject<IpsecStack>();
    for (const auto& entry : cryptoMap->GetEntries())
    {
        if (entry->GetKeyManagement() == CryptoMapEntry::KeyManagement::MANUAL)
        {
            stack->InstallManualSas(cryptoMap, entry, local);
        }
    }
    ipsecDevice->SetCryptoMap(cryptoMap);
}

std::vector<uint8_t>
IpsecHelper::DrawKey(uint32_t length)
{
    std::vector<uint8_t> key(length);
    for (auto& byte : key)
    {
        byte = static_cast<uint8_t>(m_random->GetInteger(0, 255));
    }
    return key;
}

uint32_t
IpsecHelper::DrawSpi()
{
    return m_random->GetInteger(256, 0xffffffffu);
}

IpsecManualKey
IpsecHelper::DrawManualKey(const IpsecTransformSet& transformSet, IpsecProtocol protocol)
{
    IpsecManualKey key;
    key.spi = DrawSpi();
    if (protocol == IpsecProtocol::ESP)
    {
        key.encryptionKey = DrawKey(transformSet.GetEspEncryptionKeyLength());
        key.integrityKey = DrawKey(transformSet.GetEspIntegrityKeyLength());
    }
    else
    {
        key.integrityKey = DrawKey(transformSet.GetAhIntegrityKeyLength());
    }
    return key;
}

void
IpsecHelper::SetTunnelReplayWindowSize(uint32_t size)
{
    NS_ABORT_MSG_IF(size > 0x80000000u,
                    "replay window size " << size << " is invalid: use 1 to 2147483648 packets");
    m_tunnelReplayWindowSize = size;
}

void
IpsecHelper::SetTunnelReplayDisable(bool disable)
{
    m_tunnelReplayDisable = disable;
}

void
IpsecHelper::SetTunnelExtendedSequenceNumbers(bool enabled)
{
    m_tunnelExtended = enabled;
}

void
IpsecHelper::SetTunnelTrafficClasses(const std::vector<std::vector<uint8_t>>& dscpGroups,
                                     CryptoMapEntry::TrafficClassMode mode)
{
    // Check the groups now, on a scratch entry, so a mistake names the call that made it.
    CryptoMapEntry probe(1, CryptoMapEntry::KeyManagement::MANUAL);
    std::string problem = probe.SetTrafficClasses(dscpGroups, mode);
    NS_ABORT_MSG_IF(!problem.empty(), problem);
    m_tunnelDscpGroups = dscpGroups;
    m_tunnelClassMode = mode;
}

Ptr<CryptoMapEntry>
IpsecHelper::MakeTunnelEntry(CryptoMapEntry::KeyManagement keyManagement,
                             Ptr<Ipv4AccessList> accessList,
                             Ipv4Address peer,
                             const IpsecTransformSet& transformSet) const
{
    auto entry = Create<CryptoMapEntry>(10, keyManagement);
    entry->SetAccessList(accessList);
    entry->AddPeer(peer);
    entry->AddTransformSet(transformSet);
    if (!m_tunnelDscpGroups.empty())
    {
        entry->SetTrafficClasses(m_tunnelDscpGroups, m_tunnelClassMode);
    }
    if (m_tunnelReplayWindowSize != 0)
    {
        entry->SetReplayWindowSize(m_tunnelReplayWindowSize);
    }
    if (m_tunnelReplayDisable)
    {
        entry->SetReplayDisable();
    }
    entry->SetExtendedSequenceNumbers(m_tunnelExtended);
    return entry;
}

Ptr<CryptoMap>
IpsecHelper::CreateManualTunnel(Ptr<NetDevice> first,
                                Ptr<NetDevice> second,
                                const std::string& accessListLine,
                                const std::string& transforms,
                                IpsecMode mode)
{
    Ipv4Address firstAddress = GetInterfaceAddress(first);
    Ipv4Address secondAddress = GetInterfaceAddress(second);
    ++m_tunnelCount;
    std::string name = "ipsec-manual-" + std::to_string(m_tunnelCount);

    IpsecTransformSet transformSet = IpsecTransformSet::FromString(name, transforms);
    transformSet.SetMode(mode);
    auto firstList = Create<Ipv4AccessList>(std::to_string(100 + m_tunnelCount));
    firstList->Add(accessListLine);
    auto secondList = Create<Ipv4AccessList>(std::to_string(100 + m_tunnelCount));
    secondList->Add(MirrorAccessListLine(firstList->GetEntries().front()));

    // One key per SA, direction and keyed traffic class. What one side sends with, the other
    // receives with.
    bool separate = m_tunnelClassMode == CryptoMapEntry::TrafficClassMode::SEPARATE_SAS;
    uint32_t keyedClasses = separate ? static_cast<uint32_t>(m_tunnelDscpGroups.size()) + 1 : 1;
    std::map<std::tuple<IpsecProtocol, int, uint32_t>, IpsecManualKey> keys;
    for (uint32_t trafficClass = 0; trafficClass < keyedClasses; ++trafficClass)
    {
        for (IpsecProtocol protocol : {IpsecProtocol::ESP, IpsecProtocol::AH})
        {
            bool used =
                protocol == IpsecProtocol::ESP ? transformSet.HasEsp() : transformSet.HasAh();
            for (int direction = 0; used && direction < 2; ++direction)
            {
                keys[{protocol, direction, trafficClass}] = DrawManualKey(transformSet, protocol);
            }
        }
    }

    auto build = [&](Ptr<Ipv4AccessList> list, Ipv4Address peer, int sendDirection) {
        Ptr<CryptoMapEntry> entry =
            MakeTunnelEntry(CryptoMapEntry::KeyManagement::MANUAL, list, peer, transformSet);
        for (const auto& [index, key] : keys)
        {
            IpsecDirection direction = std::get<1>(index) == sendDirection
                                           ? IpsecDirection::OUTBOUND
                                           : IpsecDirection::INBOUND;
            entry->SetSessionKey(direction, std::get<0>(index), key, std::get<2>(index));
        }
        auto cryptoMap = Create<CryptoMap>(name);
        cryptoMap->AddEntry(entry);
        return cryptoMap;
    };
    Ptr<CryptoMap> firstMap = build(firstList, secondAddress, 0);
    Ptr<CryptoMap> secondMap = build(secondList, firstAddress, 1);
    ApplyCryptoMap(first, firstMap);
    ApplyCryptoMap(second, secondMap);
    return firstMap;
}

NetDeviceContainer
IpsecHelper::CreateTunnelInterfaces(Ptr<Node> first,
                                    Ptr<Node> second,
                                    Ipv4Address sourceFirst,
                                    Ipv4Address sourceSecond,
                                    const std::string& transforms,
                                    Ipv4Address tunnelAddressFirst,
                                    Ipv4Address tunnelAddressSecond,
                                    Ipv4Mask mask,
                                    uint16_t ipMtu)
{
    IpsecTransformSet transformSet = IpsecTransformSet::FromString("vti", transforms);
    transformSet.SetMode(IpsecMode::TUNNEL);
    std::vector<IpsecProtocol> protocols;
    if (transformSet.HasEsp())
    {
        protocols.push_back(IpsecProtocol::ESP);
    }
    if (transformSet.HasAh())
    {
        protocols.push_back(IpsecProtocol::AH);
    }

    // One key per protocol and direction: index 0 protects first -> second, 1 the reverse.
    std::map<std::pair<IpsecProtocol, int>, IpsecManualKey> keys;
    for (IpsecProtocol protocol : protocols)
    {
        for (int direction = 0; direction < 2; ++direction)
        {
            keys[{protocol, direction}] = DrawManualKey(transformSet, protocol);
        }
    }

    auto build = [&](Ptr<Node> node,
                     Ipv4Address source,
                     Ipv4Address destination,
                     Ipv4Address tunnelAddress,
                     int sendDirection) {
        Ptr<IpsecStack> stack = Install(node);
        Ptr<Ipv4> ipv4 = node->GetObject<Ipv4>();
        NS_ABORT_MSG_IF(ipv4->GetInterfaceForAddress(source) < 0,
                        "tunnel source " << source << " is not an address of node "
                                         << node->GetId());

        // Tunnel interfaces are numbered per node from Tunnel0, as IOS users usually do.
        uint32_t tunnels = 0;
        for (uint32_t i = 0; i < node->GetNDevices(); ++i)
        {
            tunnels += DynamicCast<IpsecTunnelNetDevice>(node->GetDevice(i)) ? 1 : 0;
        }
        auto device = CreateObject<IpsecTunnelNetDevice>();
        node->AddDevice(device);
        device->SetInterfaceName("Tunnel" + std::to_string(tunnels));
        device->SetMtu(ipMtu);
        device->SetTunnelEndpoints(source, destination);

        auto outbound = Create<IpsecSaBundle>();
        std::vector<Ptr<IpsecSecurityAssociation>> inbound;
        for (IpsecProtocol protocol : protocols)
        {
            const IpsecManualKey& out = keys[{protocol, sendDirection}];
            const IpsecManualKey& in = keys[{protocol, 1 - sendDirection}];
            NS_ABORT_MSG_IF(stack->GetSadb()->FindInbound(in.spi, protocol),
                            "inbound SPI " << in.spi << " is already used on node "
                                           << node->GetId());
            Ptr<IpsecSecurityAssociation> sa = stack->CreateSa(IpsecDirection::OUTBOUND,
                                                               protocol,
                                                               out.spi,
                                                               transformSet,
                                                               out.encryptionKey,
                                                               out.integrityKey,
                                                               source,
                                                               destination,
                                                               nullptr,
                                                               nullptr);
            (protocol == IpsecProtocol::ESP ? outbound->esp : outbound->ah) = sa;
            inbound.push_back(stack->CreateSa(IpsecDirection::INBOUND,
                                              protocol,
                                              in.spi,
                                              transformSet,
                                              in.encryptionKey,
                                              in.integrityKey,
                                              source,
                                              destination,
                                              nullptr,
                                              nullptr));
        }
        device->SetProtection(outbound, inbound);
        for (const auto& sa : inbound)
        {
            stack->GetSadb()->AddInbound(sa);
        }

        // The tunnel interface: its own IPv4 interface and address, up.
        uint32_t interface = ipv4->AddInterface(device);
        ipv4->AddAddress(interface, Ipv4InterfaceAddress(tunnelAddress, mask));
        ipv4->SetUp(interface);
        return device;
    };

    NetDeviceContainer devices;
    devices.Add(build(first, sourceFirst, sourceSecond, tunnelAddressFirst, 0));
    devices.Add(build(second, sourceSecond, sourceFirst, tunnelAddressSecond, 1));
    return devices;
}

void
IpsecHelper::EnablePcapWithKeys(const std::string& prefix, Ptr<NetDevice> device)
{
    Ptr<IpsecNetDevice> ipsecDevice = DynamicCast<IpsecNetDevice>(device);
    NS_ABORT_MSG_IF(!ipsecDevice, "EnablePcapWithKeys needs an IpsecNetDevice");
    Ptr<NetDevice> lower = ipsecDevice->GetLowerDevice();
    Ptr<Node> node = device->GetNode();

    bool pointToPoint = DynamicCast<PointToPointNetDevice>(lower) != nullptr;
    PcapHelper pcapHelper;
    std::string fileName = prefix + "-" + std::to_string(node->GetId()) + "-" +
                           std::to_string(lower->GetIfIndex()) + ".pcap";
    Ptr<PcapFileWrapper> file =
        pcapHelper.CreateFile(fileName,
                              std::ios::out,
                              pointToPoint ? PcapHelper::DLT_PPP : PcapHelper::DLT_EN10MB);
    bool hooked =
        lower->TraceConnectWithoutContext("PromiscSniffer", MakeBoundCallback(&WriteFrame, file));
    NS_ABORT_MSG_IF(!hooked,
                    "device type " << lower->GetInstanceTypeId().GetName()
                                   << " has no PromiscSniffer trace to capture");

    // Keys of SAs that exist now, then of every SA the node creates later (IKE rekeys).
    // The first capture with a prefix starts its key files; later ones (other devices) append.
    static std::set<std::string> startedPrefixes;
    std::ios::openmode mode =
        startedPrefixes.insert(prefix).second ? std::ios::trunc : std::ios::app;
    auto espKeys = std::make_shared<std::ofstream>(prefix + "-esp_sa", std::ios::out | mode);
    auto ahKeys = std::make_shared<std::ofstream>(prefix + "-ah_sa", std::ios::out | mode);
    Ptr<IpsecSadb> sadb = node->GetObject<IpsecStack>()->GetSadb();
    for (const auto& list : {sadb->GetInboundSas(), sadb->GetOutboundSas()})
    {
        for (const auto& sa : list)
        {
            WriteSaLine(espKeys, ahKeys, sa);
        }
    }
    sadb->TraceConnectWithoutContext("SaAdded", MakeBoundCallback(&WriteSaLine, espKeys, ahKeys));
}

namespace
{

/// \return the data rate of a point-to-point device, or 0 for other devices
uint64_t
GetDeviceRate(Ptr<NetDevice> device)
{
    Ptr<PointToPointNetDevice> pointToPoint = DynamicCast<PointToPointNetDevice>(device);
    if (!pointToPoint)
    {
        return 0;
    }
    DataRateValue rate;
    pointToPoint->GetAttribute("DataRate", rate);
    return rate.Get().GetBitRate();
}

} // namespace

Ptr<PolicyMapQueueDisc>
IpsecHelper::ApplyServicePolicy(Ptr<NetDevice> device,
                                Ptr<PolicyMap> policy,
                                std::string& warning) const
{
    Ptr<IpsecNetDevice> ipsecDevice = DynamicCast<IpsecNetDevice>(device);
    NS_ABORT_MSG_IF(!ipsecDevice, "service policies apply to IpsecNetDevice interfaces only");
    std::string problem = policy->Validate();
    NS_ABORT_MSG_IF(!problem.empty(), "policy-map " << policy->GetName() << ": " << problem);

    // The engine's encryption rate is what the policy shares; without one, the link's.
    Ptr<IpsecCryptoEngine> engine = ipsecDevice->GetCryptoEngine();
    DataRateValue engineRate;
    engine->GetAttribute("EncryptRate", engineRate);
    uint64_t rate = engineRate.Get().GetBitRate();
    if (rate == 0)
    {
        rate = GetDeviceRate(ipsecDevice->GetLowerDevice());
    }
    warning = rate == 0 ? "" : policy->CheckRate(rate);
    if (!warning.empty())
    {
        NS_LOG_WARN("policy-map " << policy->GetName() << ": " << warning);
    }

    auto queueDisc = CreateObject<PolicyMapQueueDisc>();
    if (rate != 0)
    {
        queueDisc->SetAttribute("LinkRate", DataRateValue(DataRate(rate)));
    }
    queueDisc->SetPolicyMap(policy);
    engine->SetQueueDisc(queueDisc);
    return queueDisc;
}

Ptr<PolicyMapQueueDisc>
IpsecHelper::InstallEgressPolicy(Ptr<NetDevice> device, Ptr<PolicyMap> policy) const
{
    Ptr<IpsecNetDevice> ipsecDevice = DynamicCast<IpsecNetDevice>(device);
    NS_ABORT_MSG_IF(!ipsecDevice, "egress policies apply to IpsecNetDevice interfaces only");
    std::string problem = policy->Validate();
    NS_ABORT_MSG_IF(!problem.empty(), "policy-map " << policy->GetName() << ": " << problem);

    Ptr<NetDevice> lower = ipsecDevice->GetLowerDevice();
    TrafficControlHelper trafficControl;
    uint64_t rate = GetDeviceRate(lower);
    if (rate != 0)
    {
        trafficControl.SetRootQueueDisc("ns3::PolicyMapQueueDisc",
                                        "LinkRate",
                                        DataRateValue(DataRate(rate)));
    }
    else
    {
        trafficControl.SetRootQueueDisc("ns3::PolicyMapQueueDisc");
    }
    Ptr<PolicyMapQueueDisc> queueDisc =
        DynamicCast<PolicyMapQueueDisc>(trafficControl.Install(lower).Get(0));
    queueDisc->SetPolicyMap(policy);
    return queueDisc;
}

void
IpsecHelper::ShowCryptoIpsecSa(Ptr<Node> node, std::ostream& os)
{
    Ptr<IpsecStack> stack = node->GetObject<IpsecStack>();
    NS_ABORT_MSG_IF(!stack, "node " << node->GetId() << " has no IPsec stack");
    stack->ShowCryptoIpsecSa(os);
}

int64_t
IpsecHelper::AssignStreams(int64_t stream)
{
    m_random->SetStream(stream);
    return 1;
}

// IKE.

Ptr<IkeDaemon>
IpsecHelper::GetIkeDaemon(Ptr<Node> node)
{
    Ptr<IkeDaemon> daemon = node->GetObject<IkeDaemon>();
    NS_ABORT_MSG_IF(!daemon,
                    "node " << node->GetId() << " has no IKE daemon: call IpsecHelper::Install");
    return daemon;
}

Ptr<CryptoMap>
IpsecHelper::CreateIsakmpTunnel(Ptr<NetDevice> first,
                                Ptr<NetDevice> second,
                                const std::string& accessListLine,
                                const std::string& transforms,
                                const std::string& preSharedKey,
                                IpsecMode mode)
{
    Ipv4Address firstAddress = GetInterfaceAddress(first);
    Ipv4Address secondAddress = GetInterfaceAddress(second);
    ++m_tunnelCount;
    std::string name = "ipsec-isakmp-" + std::to_string(m_tunnelCount);
    IpsecTransformSet transformSet = IpsecTransformSet::FromString(name, transforms);
    transformSet.SetMode(mode);
    auto firstList = Create<Ipv4AccessList>(std::to_string(100 + m_tunnelCount));
    firstList->Add(accessListLine);
    auto secondList = Create<Ipv4AccessList>(std::to_string(100 + m_tunnelCount));
    secondList->Add(MirrorAccessListLine(firstList->GetEntries().front()));

    auto build = [&](Ptr<NetDevice> device, Ptr<Ipv4AccessList> list, Ipv4Address peer) {
        Ptr<CryptoMapEntry> entry =
            MakeTunnelEntry(CryptoMapEntry::KeyManagement::ISAKMP, list, peer, transformSet);
        auto cryptoMap = Create<CryptoMap>(name);
        cryptoMap->AddEntry(entry);

        // The peer's key and, on a gateway without one, a default phase 1 policy.
        Ptr<IkeDaemon> daemon = GetIkeDaemon(device->GetNode());
        std::string problem = daemon->GetKeyTable().Add(preSharedKey, peer);
        NS_ABORT_MSG_IF(!problem.empty(), problem);
        if (daemon->GetPolicies().empty())
        {
            IsakmpPolicy policy(10);
            policy.SetEncryption("aes");
            policy.SetGroup(2);
            daemon->AddPolicy(policy);
        }
        ApplyCryptoMap(device, cryptoMap);
        return cryptoMap;
    };
    Ptr<CryptoMap> firstMap = build(first, firstList, secondAddress);
    build(second, secondList, firstAddress);
    return firstMap;
}

void
IpsecHelper::ShowCryptoIsakmpSa(Ptr<Node> node, std::ostream& os)
{
    GetIkeDaemon(node)->ShowCryptoIsakmpSa(os);
}

// Invalid SPI handling.

Ptr<IkeInvalidSpiHandler>
IpsecHelper::GetInvalidSpiHandler(Ptr<Node> node)
{
    Ptr<IkeInvalidSpiHandler> handler = node->GetObject<IkeInvalidSpiHandler>();
    if (!handler)
    {
        handler = CreateObject<IkeInvalidSpiHandler>();
        handler->Install(node);
    }
    return handler;
}

void
IpsecHelper::SetInvalidSpiRecovery(Ptr<Node> node, bool enabled)
{
    GetInvalidSpiHandler(node)->SetRecoveryEnabled(enabled);
}

// SA lifetimes and reboots.

void
IpsecHelper::ScheduleReboot(Ptr<Node> node, Time at, Time bootTime)
{
    Ptr<IpsecStack> stack = node->GetObject<IpsecStack>();
    NS_ABORT_MSG_IF(!stack,
                    "node " << node->GetId() << " has no IPsec stack: call IpsecHelper::Install");
    Simulator::Schedule(at - Simulator::Now(), &IpsecStack::Reboot, stack, bootTime);
}

// Dead peer detection and failover.

std::string
IpsecHelper::SetIsakmpKeepalive(Ptr<Node> node, uint32_t seconds, uint32_t retry, DpdMode mode)
{
    return GetIsakmpKeepalive(node)->Configure(seconds, retry, mode);
}

Ptr<IsakmpKeepalive>
IpsecHelper::GetIsakmpKeepalive(Ptr<Node> node)
{
    Ptr<IsakmpKeepalive> keepalive = node->GetObject<IsakmpKeepalive>();
    if (!keepalive)
    {
        keepalive = CreateObject<IsakmpKeepalive>();
        keepalive->Install(node);
    }
    return keepalive;
}

Ptr<CryptoMap>
IpsecHelper::CreateIsakmpFailoverTunnels(Ptr<NetDevice> branch,
                                         NetDeviceContainer hubs,
                                         const std::string& accessListLine,
                                         const std::string& transforms,
                                         const std::string& preSharedKey)
{
    NS_ABORT_MSG_IF(hubs.GetN() == 0, "CreateIsakmpFailoverTunnels: no hub device given");
    ++m_tunnelCount;
    std::string name = "ipsec-isakmp-" + std::to_string(m_tunnelCount);
    IpsecTransformSet transformSet = IpsecTransformSet::FromString(name, transforms);
    auto branchList = Create<Ipv4AccessList>(std::to_string(100 + m_tunnelCount));
    branchList->Add(accessListLine);
    auto hubList = Create<Ipv4AccessList>(std::to_string(100 + m_tunnelCount));
    hubList->Add(MirrorAccessListLine(branchList->GetEntries().front()));

    // One side of one pair: the entry, the keys of its peers and a default policy.
    auto build = [&](Ptr<NetDevice> device,
                     Ptr<Ipv4AccessList> list,
                     const std::vector<Ipv4Address>& peers) {
        auto entry = Create<CryptoMapEntry>(10, CryptoMapEntry::KeyManagement::ISAKMP);
        entry->SetAccessList(list);
        entry->AddTransformSet(transformSet);
        Ptr<IkeDaemon> daemon = GetIkeDaemon(device->GetNode());
        for (Ipv4Address peer : peers)
        {
            entry->AddPeer(peer);
            std::string problem = daemon->GetKeyTable().Add(preSharedKey, peer);
            NS_ABORT_MSG_IF(!problem.empty(), problem);
        }
        if (daemon->GetPolicies().empty())
        {
            IsakmpPolicy policy(10);
            policy.SetEncryption("aes");
            policy.SetGroup(2);
            daemon->AddPolicy(policy);
        }
        auto cryptoMap = Create<CryptoMap>(name);
        cryptoMap->AddEntry(entry);
        ApplyCryptoMap(device, cryptoMap);
        return cryptoMap;
    };

    std::vector<Ipv4Address> hubAddresses;
    for (uint32_t i = 0; i < hubs.GetN(); ++i)
    {
        hubAddresses.push_back(GetInterfaceAddress(hubs.Get(i)));
    }
    Ptr<CryptoMap> branchMap = build(branch, branchList, hubAddresses);
    for (uint32_t i = 0; i < hubs.GetN(); ++i)
    {
        build(hubs.Get(i), hubList, {GetInterfaceAddress(branch)});
    }
    return branchMap;
}

} // namespace ns3
