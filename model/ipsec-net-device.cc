// Copyright (c) 2026 The ns3-ipsec authors
// SPDX-License-Identifier: GPL-2.0-only

#include "ipsec-net-device.h"

#include "ipsec-crypto-engine.h"
#include "ipsec-pre-classify-tag.h"
#include "ipsec-stack.h"

#include "ns3/abort.h"
#include "ns3/channel.h"
#include "ns3/enum.h"
#include "ns3/icmpv4-l4-protocol.h"
#include "ns3/ipv4-l3-protocol.h"
#include "ns3/ipv4-queue-disc-item.h"
#include "ns3/log.h"
#include "ns3/node.h"
#include "ns3/socket.h"
#include "ns3/string.h"
#include "ns3/traffic-control-layer.h"
#include "ns3/uinteger.h"

#include <memory>

namespace ns3
{

NS_LOG_COMPONENT_DEFINE("IpsecNetDevice");

NS_OBJECT_ENSURE_REGISTERED(IpsecNetDevice);

namespace
{

/// Bytes of a packet read to classify it: a full IPv4 header with options, and the ports.
constexpr uint32_t CLASSIFY_BYTES = 64;

/// \return true for IKE traffic, which a crypto map never protects
bool
IsKeyExchange(const Ipv4FlowTuple& tuple)
{
    return tuple.protocol == 17 && tuple.hasPorts &&
           (tuple.destinationPort == 500 || tuple.destinationPort == 4500 ||
            tuple.sourcePort == 500 || tuple.sourcePort == 4500);
}

/// \return true for ESP and AH, which reach the IPsec stack through IPv4
bool
IsIpsec(const Ipv4FlowTuple& tuple)
{
    return tuple.protocol == static_cast<uint8_t>(IpsecProtocol::ESP) ||
           tuple.protocol == static_cast<uint8_t>(IpsecProtocol::AH);
}

} // namespace

TypeId
IpsecNetDevice::GetTypeId()
{
    static TypeId tid =
        TypeId("ns3::IpsecNetDevice")
            .SetParent<NetDevice>()
            .SetGroupName("Ipsec")
            .AddConstructor<IpsecNetDevice>()
            .AddAttribute("InterfaceName",
                          "Interface name printed by `show` commands, e.g. Serial0/0.",
                          StringValue(""),
                          MakeStringAccessor(&IpsecNetDevice::m_interfaceName),
                          MakeStringChecker())
            .AddAttribute("Mtu",
                          "IP MTU of the interface (bytes, IOS `ip mtu`); 0 uses the lower "
                          "device's MTU.",
                          UintegerValue(0),
                          MakeUintegerAccessor(&IpsecNetDevice::m_mtu),
                          MakeUintegerChecker<uint16_t>())
            .AddAttribute("DfBit",
                          "Outer DF bit of tunnel-mode packets on this interface (IOS interface "
                          "`crypto ipsec df-bit`): global follows the node's setting.",
                          EnumValue(DF_BIT_GLOBAL),
                          MakeEnumAccessor(&IpsecNetDevice::m_dfBit),
                          MakeEnumChecker(DF_BIT_GLOBAL,
                                          "global",
                                          DF_BIT_INTERFACE_COPY,
                                          "copy",
                                          DF_BIT_INTERFACE_SET,
                                          "set",
                                          DF_BIT_INTERFACE_CLEAR,
                                          "clear"))
            .AddAttribute("PreFragmentation",
                          "Fragmentation before encryption on this interface (IOS interface "
                          "`crypto ipsec fragmentation`): global follows the node's setting.",
                          EnumValue(PRE_FRAGMENTATION_GLOBAL),
                          MakeEnumAccessor(&IpsecNetDevice::m_preFragmentation),
                          MakeEnumChecker(PRE_FRAGMENTATION_GLOBAL,
                                          "global",
                                          PRE_FRAGMENTATION_ENABLED,
                                          "before-encryption",
                                          PRE_FRAGMENTATION_DISABLED,
                                          "after-encryption"))
            .AddTraceSource("ClearTx",
                            "An outbound IPv4 packet left in clear (no crypto map entry "
                            "permits it).",
                            MakeTraceSourceAccessor(&IpsecNetDevice::m_clearTxTrace),
                            "ns3::IpsecNetDevice::PacketTracedCallback")
            .AddTraceSource("ClearRx",
                            "An inbound clear frame was accepted and passed up.",
                            MakeTraceSourceAccessor(&IpsecNetDevice::m_clearRxTrace),
                            "ns3::IpsecNetDevice::PacketTracedCallback");
    return tid;
}

IpsecNetDevice::IpsecNetDevice()
    : m_ifIndex(0),
      m_mtu(0),
      m_dfBit(DF_BIT_GLOBAL),
      m_preFragmentation(PRE_FRAGMENTATION_GLOBAL),
      m_preFragmented(0),
      m_postFragmented(0),
      m_icmpFragmentationNeeded(0)
{
    NS_LOG_FUNCTION(this);
}

IpsecNetDevice::~IpsecNetDevice()
{
    NS_LOG_FUNCTION(this);
}

void
IpsecNetDevice::DoDispose()
{
    NS_LOG_FUNCTION(this);
    m_lower = nullptr;
    m_node = nullptr;
    m_stack = nullptr;
    m_trafficControl = nullptr;
    m_cryptoMap = nullptr;
    m_cryptoEngine = nullptr;
    m_rxCallback = NetDevice::ReceiveCallback();
    m_promiscCallback = NetDevice::PromiscReceiveCallback();
    NetDevice::DoDispose();
}

void
IpsecNetDevice::SetLowerDevice(Ptr<NetDevice> lower)
{
    NS_LOG_FUNCTION(this << lower);
    NS_ABORT_MSG_IF(!m_node, "add the IPsec device to its node before stacking it");
    NS_ABORT_MSG_IF(lower->GetNode() != m_node,
                    "the lower device must be on the same node as the IPsec device");
    m_lower = lower;

    // From now on the lower device delivers to this device, never to the node directly.
    m_lower->SetReceiveCallback(MakeCallback(&IpsecNetDevice::ReceiveFromLower, this));
}

Ptr<NetDevice>
IpsecNetDevice::GetLowerDevice() const
{
    return m_lower;
}

void
IpsecNetDevice::SetCryptoMap(Ptr<CryptoMap> cryptoMap)
{
    NS_LOG_FUNCTION(this << (cryptoMap ? cryptoMap->GetName() : "none"));
    m_cryptoMap = cryptoMap;
}

Ptr<CryptoMap>
IpsecNetDevice::GetCryptoMap() const
{
    return m_cryptoMap;
}

void
IpsecNetDevice::SetInterfaceName(const std::string& name)
{
    m_interfaceName = name;
}

const std::string&
IpsecNetDevice::GetInterfaceName() const
{
    return m_interfaceName;
}

Ipv4Address
IpsecNetDevice::GetIpv4Address() const
{
    Ptr<Ipv4> ipv4 = m_node ? m_node->GetObject<Ipv4>() : nullptr;
    if (!ipv4)
    {
        return Ipv4Address::GetAny();
    }
    int32_t interface = ipv4->GetInterfaceForDevice(this);
    if (interface < 0 || ipv4->GetNAddresses(interface) == 0)
    {
        return Ipv4Address::GetAny();
    }
    return ipv4->GetAddress(interface, 0).GetLocal();
}

void
IpsecNetDevice::SetCryptoEngine(Ptr<IpsecCryptoEngine> engine)
{
    m_cryptoEngine = engine;
}

Ptr<IpsecCryptoEngine>
IpsecNetDevice::GetCryptoEngine() const
{
    return m_cryptoEngine ? m_cryptoEngine : m_stack->GetCryptoEngine();
}

uint64_t
IpsecNetDevice::GetPostEncryptionFragmentedCount() const
{
    return m_postFragmented;
}

uint64_t
IpsecNetDevice::GetPreEncryptionFragmentedCount() const
{
    return m_preFragmented;
}

uint64_t
IpsecNetDevice::GetFragmentationNeededCount() const
{
    return m_icmpFragmentationNeeded;
}

bool
IpsecNetDevice::Send(Ptr<Packet> packet, const Address& dest, uint16_t protocolNumber)
{
    NS_LOG_FUNCTION(this << packet << dest << protocolNumber);
    NS_ASSERT_MSG(m_lower, "IPsec device used before SetLowerDevice");

    // Frames other than IPv4 (ARP) go straight to the lower device, past any queue disc.
    if (protocolNumber != Ipv4L3Protocol::PROT_NUMBER)
    {
        return m_lower->Send(packet, dest, protocolNumber);
    }
    if (!m_cryptoMap)
    {
        SendClear(packet, dest);
        return true;
    }

    uint8_t head[CLASSIFY_BYTES];
    uint32_t copied = packet->CopyData(head, CLASSIFY_BYTES);
    Ipv4FlowTuple tuple;
    uint32_t headerLength = 0;
    Ptr<CryptoMapEntry> entry;
    if (ReadIpv4FlowTuple(head, copied, tuple, headerLength) && !IsKeyExchange(tuple) &&
        !IsIpsec(tuple))
    {
        entry = m_cryptoMap->Lookup(tuple);
    }

    if (!entry)
    {
        SendClear(packet, dest);
        return true;
    }

    // The packet's DSCP picks its traffic class: its own bundle, or its sequence-number space.
    uint32_t trafficClass = entry->GetTrafficClass(tuple.dscp);
    bool separate = entry->GetTrafficClassMode() == CryptoMapEntry::TrafficClassMode::SEPARATE_SAS;
    Ptr<IpsecSaBundle> bundle = entry->GetOutboundBundle(separate ? trafficClass : 0);
    if (!bundle)
    {
        // IKE entries ask the key manager, which may keep the packet until the SAs exist.
        Ptr<IpsecKeyManager> keyManager = m_stack->GetKeyManager();
        bool isakmp = entry->GetKeyManagement() == CryptoMapEntry::KeyManagement::ISAKMP;
        if (isakmp && keyManager &&
            keyManager->Acquire(this, m_cryptoMap, entry, separate ? trafficClass : 0, packet))
        {
            NS_LOG_LOGIC("crypto map " << m_cryptoMap->GetName() << " " << entry->GetSequence()
                                       << " has no SA; the key manager kept the packet");
            return true;
        }
        NS_LOG_LOGIC("crypto map " << m_cryptoMap->GetName() << " " << entry->GetSequence()
                                   << " matched " << tuple.source << " -> " << tuple.destination
                                   << " but has no SA; packet dropped");
        m_stack->NotifyDrop(packet, IpsecDropReason::NO_SA, nullptr);
        return true;
    }

    std::optional<Ipv4FlowTuple> preClassify;
    if (m_cryptoMap->IsQosPreClassify())
    {
        preClassify = tuple;
    }
    SendProtected(bundle,
                  packet,
                  head,
                  headerLength,
                  dest,
                  separate ? 0 : trafficClass,
                  preClassify);
    return true;
}

IpsecDfBitPolicy
IpsecNetDevice::GetEffectiveDfBitPolicy() const
{
    return m_dfBit == DF_BIT_GLOBAL ? m_stack->GetDfBitPolicy()
                                    : static_cast<IpsecDfBitPolicy>(m_dfBit - 1);
}

bool
IpsecNetDevice::IsPreFragmentationEnabled() const
{
    return m_preFragmentation == PRE_FRAGMENTATION_GLOBAL
               ? m_stack->IsPreFragmentationEnabled()
               : m_preFragmentation == PRE_FRAGMENTATION_ENABLED;
}

void
IpsecNetDevice::SendProtected(Ptr<IpsecSaBundle> bundle,
                              Ptr<Packet> packet,
                              const uint8_t* head,
                              uint32_t headerLength,
                              const Address& dest,
                              uint32_t space,
                              const std::optional<Ipv4FlowTuple>& preClassify)
{
    Ptr<IpsecSecurityAssociation> first = bundle->esp ? bundle->esp : bundle->ah;
    const IpsecTransformSet& set = first->GetTransformSet();
    bool tunnel = set.GetMode() == IpsecMode::TUNNEL;
    bool innerDontFragment = (head[6] & 0x40) != 0;
    IpsecDfBitPolicy policy = GetEffectiveDfBitPolicy();
    uint32_t mtu = m_lower->GetMtu();

    // The size the packet will have once protected decides everything else.
    bool fits = set.GetEncapsulatedSize(packet->GetSize(), headerLength) <= mtu;
    if (!fits && innerDontFragment && (!tunnel || policy != DF_BIT_CLEAR))
    {
        // DF on the inner packet and no df-bit clear to override it (df-bit applies only to
        // tunnel mode, whose outer header it sets): neither side may fragment it.
        SendFragmentationNeeded(packet, set, headerLength, first);
        return;
    }
    if (!fits && tunnel && IsPreFragmentationEnabled())
    {
        ++m_preFragmented;
        for (const auto& fragment : FragmentBeforeEncryption(packet, set, headerLength, mtu))
        {
            ProtectAndSend(bundle, fragment, dest, space, policy, preClassify);
        }
        return;
    }
    ProtectAndSend(bundle, packet, dest, space, fits ? policy : DF_BIT_CLEAR, preClassify);
}

void
IpsecNetDevice::ProtectAndSend(Ptr<IpsecSaBundle> bundle,
                               Ptr<const Packet> packet,
                               const Address& dest,
                               uint32_t space,
                               IpsecDfBitPolicy policy,
                               const std::optional<Ipv4FlowTuple>& preClassify)
{
    Ptr<IpsecCryptoEngine> engine = GetCryptoEngine();
    if (!engine->IsEnabled())
    {
        engine->CountBypassed(packet->GetSize(), true);
        Ipv4Header outerHeader;
        Ptr<Packet> outer =
            ProtectWithPolicy(bundle, packet, space, policy, preClassify, outerHeader);
        if (outer)
        {
            SendOuter(outer, outerHeader, dest, bundle->esp ? bundle->esp : bundle->ah);
        }
        return;
    }

    // With a modelled engine the packet takes its sequence number when a worker starts it
    // and leaves when the worker is done.
    Ptr<Packet> payload = packet->Copy();
    Ipv4Header header;
    payload->RemoveHeader(header);
    SocketPriorityTag priority;
    if (!payload->PeekPacketTag(priority))
    {
        priority.SetPriority(Socket::IpTos2Priority(header.GetTos()));
        payload->AddPacketTag(priority);
    }
    auto start =
        [this, bundle, packet, dest, space, policy, preClassify]() -> std::function<void()> {
        auto outerHeader = std::make_shared<Ipv4Header>();
        Ptr<Packet> outer =
            ProtectWithPolicy(bundle, packet, space, policy, preClassify, *outerHeader);
        if (!outer)
        {
            return []() {
            };
        }
        return [this, outer, outerHeader, dest, bundle]() {
            SendOuter(outer, *outerHeader, dest, bundle->esp ? bundle->esp : bundle->ah);
        };
    };
    if (!engine->Submit(Create<IpsecCryptoJob>(payload, header, true, start)))
    {
        m_stack->NotifyDrop(packet, IpsecDropReason::CRYPTO_QUEUE_FULL, nullptr);
    }
}

Ptr<Packet>
IpsecNetDevice::ProtectWithPolicy(Ptr<IpsecSaBundle> bundle,
                                  Ptr<const Packet> packet,
                                  uint32_t space,
                                  IpsecDfBitPolicy policy,
                                  const std::optional<Ipv4FlowTuple>& preClassify,
                                  Ipv4Header& outerHeader)
{
    Ptr<Packet> outer = m_stack->Protect(bundle, packet, outerHeader, space);
    if (!outer)
    {
        return nullptr;
    }
    if (preClassify)
    {
        IpsecPreClassifyTag tag;
        tag.SetTuple(*preClassify);
        tag.SetNodeId(m_node->GetId());
        outer->AddPacketTag(tag);
    }
    Ptr<IpsecSecurityAssociation> first = bundle->esp ? bundle->esp : bundle->ah;

    // Protect copied the inner DF bit; df-bit set or clear overrides it in tunnel mode.
    if (first->GetMode() == IpsecMode::TUNNEL && policy == DF_BIT_SET)
    {
        outerHeader.SetDontFragment();
    }
    else if (first->GetMode() == IpsecMode::TUNNEL && policy == DF_BIT_CLEAR)
    {
        outerHeader.SetMayFragment();
    }
    return outer;
}

std::vector<Ptr<Packet>>
IpsecNetDevice::FragmentBeforeEncryption(Ptr<const Packet> packet,
                                         const IpsecTransformSet& set,
                                         uint32_t headerLength,
                                         uint32_t mtu) const
{
    Ptr<Packet> payload = packet->Copy();
    Ipv4Header header;
    payload->RemoveHeader(header);
    uint32_t length = payload->GetSize();

    // The largest 8-byte multiple of data whose protected fragment fits the MTU...
    uint32_t largest = (mtu - headerLength) & ~7u;
    while (largest > 8 && set.GetEncapsulatedSize(headerLength + largest, headerLength) > mtu)
    {
        largest -= 8;
    }

    // ...then as many fragments as that needs, made equal in size (RFC 791 offsets in 8s).
    uint32_t count = (length + largest - 1) / largest;
    uint32_t each = ((length + count - 1) / count + 7) & ~7u;
    uint16_t baseOffset = header.GetFragmentOffset();
    bool moreAfter = !header.IsLastFragment();
    std::vector<Ptr<Packet>> fragments;
    for (uint32_t offset = 0; offset < length; offset += each)
    {
        uint32_t size = std::min(each, length - offset);
        Ptr<Packet> fragment = payload->CreateFragment(offset, size);
        Ipv4Header fragmentHeader = header;
        fragmentHeader.SetFragmentOffset(static_cast<uint16_t>(baseOffset + offset));
        fragmentHeader.SetPayloadSize(static_cast<uint16_t>(size));
        fragmentHeader.SetMayFragment();
        if (offset + size < length || moreAfter)
        {
            fragmentHeader.SetMoreFragments();
        }
        else
        {
            fragmentHeader.SetLastFragment();
        }
        if (Node::ChecksumEnabled())
        {
            fragmentHeader.EnableChecksum();
        }
        fragment->AddHeader(fragmentHeader);
        fragments.push_back(fragment);
    }
    NS_LOG_LOGIC("fragmented " << packet->GetSize() << " bytes before encryption into "
                               << fragments.size() << " fragments of " << each << " data bytes");
    return fragments;
}

void
IpsecNetDevice::SendFragmentationNeeded(Ptr<const Packet> packet,
                                        const IpsecTransformSet& set,
                                        uint32_t headerLength,
                                        Ptr<IpsecSecurityAssociation> sa)
{
    // The usable MTU is the largest inner packet whose protected form fits the egress MTU.
    uint32_t mtu = m_lower->GetMtu();
    uint32_t usable = mtu;
    while (usable > headerLength && set.GetEncapsulatedSize(usable, headerLength) > mtu)
    {
        --usable;
    }
    NS_LOG_LOGIC("packet of " << packet->GetSize() << " bytes with DF set exceeds MTU " << mtu
                              << " once protected; ICMP fragmentation needed, MTU " << usable);
    sa->GetCounters().sendErrors++;
    m_stack->NotifyDrop(packet, IpsecDropReason::FRAGMENTATION_NEEDED, sa);

    Ptr<Icmpv4L4Protocol> icmp = m_node->GetObject<Icmpv4L4Protocol>();
    if (icmp)
    {
        Ptr<Packet> data = packet->Copy();
        Ipv4Header header;
        data->RemoveHeader(header);
        icmp->SendDestUnreachFragNeeded(header, data, static_cast<uint16_t>(usable));
        ++m_icmpFragmentationNeeded;
    }
}

void
IpsecNetDevice::SendClear(Ptr<Packet> packet, const Address& dest)
{
    m_clearTxTrace(packet);
    Ipv4Header header;
    packet->RemoveHeader(header);
    SendDown(packet, header, dest);
}

void
IpsecNetDevice::SendOuter(Ptr<Packet> payload,
                          Ipv4Header header,
                          const Address& dest,
                          Ptr<IpsecSecurityAssociation> sa)
{
    uint32_t mtu = m_lower->GetMtu();
    uint32_t size = payload->GetSize();
    if (size + header.GetSerializedSize() <= mtu)
    {
        SendDown(payload, header, dest);
        return;
    }
    if (header.IsDontFragment())
    {
        NS_LOG_LOGIC("outer packet of " << size + header.GetSerializedSize()
                                        << " bytes exceeds MTU " << mtu << " with DF set");
        // SendProtected predicts sizes, so this only catches a prediction that was wrong.
        sa->GetCounters().sendErrors++;
        m_stack->NotifyDrop(payload, IpsecDropReason::FRAGMENTATION_NEEDED, sa);
        return;
    }

    // Fragment after encryption: the far gateway must reassemble before it can decrypt.
    ++m_postFragmented;
    uint32_t chunk = (mtu - header.GetSerializedSize()) & ~7u;
    for (uint32_t offset = 0; offset < size; offset += chunk)
    {
        uint32_t length = std::min(chunk, size - offset);
        Ipv4Header fragmentHeader = header;
        fragmentHeader.SetFragmentOffset(static_cast<uint16_t>(offset));
        fragmentHeader.SetPayloadSize(static_cast<uint16_t>(length));
        if (offset + length < size)
        {
            fragmentHeader.SetMoreFragments();
        }
        else
        {
            fragmentHeader.SetLastFragment();
        }
        SendDown(payload->CreateFragment(offset, length), fragmentHeader, dest);
    }
}

void
IpsecNetDevice::SendDown(Ptr<Packet> payload, const Ipv4Header& header, const Address& dest)
{
    if (!m_trafficControl)
    {
        m_trafficControl = m_node->GetObject<TrafficControlLayer>();
    }

    // Traffic control removes the socket priority before this device. A queue disc below may
    // classify on it, so it is derived from the TOS as IPv4 does for its own packets. Without
    // a queue disc nothing reads it, and the per-packet tag allocation is skipped.
    SocketPriorityTag priority;
    if (m_trafficControl && m_trafficControl->GetRootQueueDiscOnDevice(m_lower) &&
        !payload->PeekPacketTag(priority))
    {
        priority.SetPriority(Socket::IpTos2Priority(header.GetTos()));
        payload->AddPacketTag(priority);
    }

    // The traffic-control layer gives a queue disc on the lower device the packet after encryption.
    if (m_trafficControl)
    {
        m_trafficControl->Send(
            m_lower,
            Create<Ipv4QueueDiscItem>(payload, dest, Ipv4L3Protocol::PROT_NUMBER, header));
        return;
    }
    payload->AddHeader(header);
    m_lower->Send(payload, dest, Ipv4L3Protocol::PROT_NUMBER);
}

bool
IpsecNetDevice::ReceiveFromLower(Ptr<NetDevice> device,
                                 Ptr<const Packet> packet,
                                 uint16_t protocol,
                                 const Address& sender)
{
    NS_LOG_FUNCTION(this << packet << protocol);

    // Clear traffic that the crypto map requires protected is dropped (RFC 4301 section 5.2).
    if (protocol == Ipv4L3Protocol::PROT_NUMBER && m_cryptoMap)
    {
        uint8_t head[CLASSIFY_BYTES];
        uint32_t copied = packet->CopyData(head, CLASSIFY_BYTES);
        Ipv4FlowTuple tuple;
        uint32_t headerLength = 0;
        bool parsed = ReadIpv4FlowTuple(head, copied, tuple, headerLength);

        // Fragments of ESP and AH tell the stack which packets IPv4 will have reassembled.
        bool fragment = parsed && ((head[6] & 0x20) != 0 || ((head[6] & 0x1f) | head[7]) != 0);
        if (fragment && IsIpsec(tuple))
        {
            m_stack->NotifyOuterFragment(tuple.source,
                                         static_cast<uint16_t>((head[4] << 8) | head[5]),
                                         tuple.protocol);
        }
        if (parsed && !IsIpsec(tuple) && !IsKeyExchange(tuple) && m_cryptoMap->LookupInbound(tuple))
        {
            NS_LOG_LOGIC("clear packet " << tuple.source << " -> " << tuple.destination
                                         << " must arrive protected; dropped");
            m_stack->NotifyDrop(packet, IpsecDropReason::UNPROTECTED, nullptr);
            return true;
        }
        m_clearRxTrace(packet);
    }
    if (!m_rxCallback.IsNull())
    {
        m_rxCallback(this, packet, protocol, sender);
    }
    return true;
}

void
IpsecNetDevice::SetIfIndex(const uint32_t index)
{
    m_ifIndex = index;
}

uint32_t
IpsecNetDevice::GetIfIndex() const
{
    return m_ifIndex;
}

Ptr<Channel>
IpsecNetDevice::GetChannel() const
{
    return m_lower ? m_lower->GetChannel() : nullptr;
}

void
IpsecNetDevice::SetAddress(Address address)
{
    m_lower->SetAddress(address);
}

Address
IpsecNetDevice::GetAddress() const
{
    return m_lower ? m_lower->GetAddress() : Address();
}

bool
IpsecNetDevice::SetMtu(const uint16_t mtu)
{
    m_mtu = mtu;
    return true;
}

uint16_t
IpsecNetDevice::GetMtu() const
{
    if (m_mtu != 0 || !m_lower)
    {
        return m_mtu != 0 ? m_mtu : 1500;
    }
    return m_lower->GetMtu();
}

bool
IpsecNetDevice::IsLinkUp() const
{
    return m_lower && m_lower->IsLinkUp();
}

void
IpsecNetDevice::AddLinkChangeCallback(Callback<void> callback)
{
    m_lower->AddLinkChangeCallback(callback);
}

bool
IpsecNetDevice::IsBroadcast() const
{
    return m_lower->IsBroadcast();
}

Address
IpsecNetDevice::GetBroadcast() const
{
    return m_lower->GetBroadcast();
}

bool
IpsecNetDevice::IsMulticast() const
{
    return m_lower->IsMulticast();
}

Address
IpsecNetDevice::GetMulticast(Ipv4Address multicastGroup) const
{
    return m_lower->GetMulticast(multicastGroup);
}

Address
IpsecNetDevice::GetMulticast(Ipv6Address addr) const
{
    return m_lower->GetMulticast(addr);
}

bool
IpsecNetDevice::IsBridge() const
{
    return false;
}

bool
IpsecNetDevice::IsPointToPoint() const
{
    return m_lower->IsPointToPoint();
}

bool
IpsecNetDevice::SendFrom(Ptr<Packet> packet,
                         const Address& source,
                         const Address& dest,
                         uint16_t protocolNumber)
{
    // The lower devices this models (point-to-point, CSMA) send from their own address.
    return Send(packet, dest, protocolNumber);
}

Ptr<Node>
IpsecNetDevice::GetNode() const
{
    return m_node;
}

void
IpsecNetDevice::SetNode(Ptr<Node> node)
{
    m_node = node;
    m_stack = node->GetObject<IpsecStack>();
    NS_ABORT_MSG_IF(!m_stack,
                    "node " << node->GetId()
                            << " has no IPsec stack: install one with IpsecHelper first");
    m_stack->AddDevice(this);
}

bool
IpsecNetDevice::NeedsArp() const
{
    return m_lower->NeedsArp();
}

void
IpsecNetDevice::SetReceiveCallback(NetDevice::ReceiveCallback cb)
{
    m_rxCallback = cb;
}

void
IpsecNetDevice::SetPromiscReceiveCallback(NetDevice::PromiscReceiveCallback cb)
{
    // Promiscuous reception goes past the IPsec policy on purpose: it serves sniffers.
    m_promiscCallback = cb;
}

bool
IpsecNetDevice::SupportsSendFrom() const
{
    return false;
}

} // namespace ns3
