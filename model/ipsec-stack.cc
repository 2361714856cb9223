// Copyright (c) 2026 The ns3-ipsec authors
// SPDX-License-Identifier: GPL-2.0-only

#include "ipsec-stack.h"

#include "ah-header.h"
#include "esp-header.h"
#include "ipsec-crypto-engine.h"
#include "ipsec-l4-protocol.h"
#include "ipsec-net-device.h"
#include "ipsec-tunnel-net-device.h"

#include "ns3/abort.h"
#include "ns3/boolean.h"
#include "ns3/double.h"
#include "ns3/enum.h"
#include "ns3/ipv4-interface.h"
#include "ns3/ipv4-l3-protocol.h"
#include "ns3/log.h"
#include "ns3/loopback-net-device.h"
#include "ns3/pointer.h"
#include "ns3/simulator.h"
#include "ns3/socket.h"
#include "ns3/uinteger.h"

#include <algorithm>
#include <cstdio>
#include <iomanip>
#include <limits>
#include <sstream>

namespace ns3
{

NS_LOG_COMPONENT_DEFINE("IpsecStack");

NS_OBJECT_ENSURE_REGISTERED(IpsecStack);

namespace
{

/// Bytes kept free in front of a packet in the scratch buffer for AH, ESP header and IV.
constexpr uint32_t HEADROOM = 128;
/// Bytes kept free behind a packet for ESP padding, trailer and ICV.
constexpr uint32_t TAILROOM = 64;
/// Largest IPv4 packet.
constexpr uint32_t MAX_IPV4_PACKET = 65535;
/// IP protocol number of IPv4-in-IPv4, ESP's next header in tunnel mode.
constexpr uint8_t IP_IN_IP = 4;
/// IP protocol number RFC 4303 reserves for dummy (traffic-flow confidentiality) packets.
constexpr uint8_t NO_NEXT_HEADER = 59;

void
WriteU32(uint8_t* bytes, uint32_t value)
{
    bytes[0] = static_cast<uint8_t>(value >> 24);
    bytes[1] = static_cast<uint8_t>(value >> 16);
    bytes[2] = static_cast<uint8_t>(value >> 8);
    bytes[3] = static_cast<uint8_t>(value);
}

uint32_t
ReadU32(const uint8_t* bytes)
{
    return (static_cast<uint32_t>(bytes[0]) << 24) | (static_cast<uint32_t>(bytes[1]) << 16) |
           (static_cast<uint32_t>(bytes[2]) << 8) | bytes[3];
}

uint16_t
ReadU16(const uint8_t* bytes)
{
    return static_cast<uint16_t>((bytes[0] << 8) | bytes[1]);
}

/**
 * Writes ESP's additional authenticated data for AES-GCM (RFC 4106 section 5).
 * \return its length: 8 bytes, or 12 with extended sequence numbers
 */
uint32_t
WriteGcmAad(uint8_t* aad, uint32_t spi, uint64_t sequence, bool extended)
{
    WriteU32(aad, spi);
    if (extended)
    {
        WriteU32(aad + 4, static_cast<uint32_t>(sequence >> 32));
        WriteU32(aad + 8, static_cast<uint32_t>(sequence));
        return 12;
    }
    WriteU32(aad + 4, static_cast<uint32_t>(sequence));
    return 8;
}

/// Formats an SPI as IOS does: "0x1214F0D(18960141)".
std::string
FormatSpi(uint32_t spi)
{
    std::ostringstream text;
    text << "0x" << std::uppercase << std::hex << spi << std::dec << "(" << spi << ")";
    return text.str();
}

/// Formats an access-list address and wildcard as IOS's "addr/mask".
std::string
FormatIdent(Ipv4Address address, Ipv4Address wildcard, int16_t protocol, uint16_t port)
{
    std::ostringstream text;
    text << "(" << address << "/" << Ipv4Address(~wildcard.Get()) << "/"
         << (protocol < 0 ? 0 : protocol) << "/" << port << ")";
    return text.str();
}

} // namespace

bool
ReadIpv4FlowTuple(const uint8_t* bytes,
                  uint32_t length,
                  Ipv4FlowTuple& tuple,
                  uint32_t& headerLength)
{
    if (length < 20 || (bytes[0] >> 4) != 4)
    {
        return false;
    }
    headerLength = (bytes[0] & 0x0f) * 4u;
    if (headerLength < 20 || headerLength > length)
    {
        return false;
    }

    tuple.dscp = bytes[1] >> 2;
    tuple.protocol = bytes[9];
    tuple.source = Ipv4Address(ReadU32(bytes + 12));
    tuple.destination = Ipv4Address(ReadU32(bytes + 16));

    // Only the first fragment carries the ports; later fragments match port-less lines only.
    bool firstFragment = (ReadU16(bytes + 6) & 0x1fff) == 0;
    bool hasPortsField = tuple.protocol == 6 || tuple.protocol == 17;
    tuple.hasPorts = hasPortsField && firstFragment && length >= headerLength + 4;
    tuple.sourcePort = tuple.hasPorts ? ReadU16(bytes + headerLength) : 0;
    tuple.destinationPort = tuple.hasPorts ? ReadU16(bytes + headerLength + 2) : 0;
    return true;
}

namespace
{

/**
 * Checks that a decrypted packet's TCP or UDP header is whole. ns-3's queue discs and sockets
 * parse these headers without bounds checks, so a truncated one would be read past its end.
 * \return false for a TCP header shorter than 20 bytes or than its data offset, or a UDP
 *         header shorter than 8 bytes; true otherwise, and for other protocols
 */
bool
HasTransportHeader(uint8_t protocol, const uint8_t* data, uint32_t length)
{
    if (protocol == 17)
    {
        return length >= 8;
    }
    if (protocol == 6)
    {
        return length >= 20 && (data[12] >> 4) * 4u >= 20 && (data[12] >> 4) * 4u <= length;
    }
    return true;
}

} // namespace

const char*
IpsecDropReasonName(IpsecDropReason reason)
{
    switch (reason)
    {
    case IpsecDropReason::NO_SA:
        return "no-sa";
    case IpsecDropReason::SEQUENCE_EXHAUSTED:
        return "sequence-exhausted";
    case IpsecDropReason::PACKET_TOO_BIG:
        return "packet-too-big";
    case IpsecDropReason::FRAGMENTATION_NEEDED:
        return "fragmentation-needed";
    case IpsecDropReason::INVALID_SPI:
        return "invalid-spi";
    case IpsecDropReason::MALFORMED:
        return "malformed";
    case IpsecDropReason::REPLAY_DUPLICATE:
        return "replay-duplicate";
    case IpsecDropReason::REPLAY_TOO_OLD:
        return "replay-too-old";
    case IpsecDropReason::AUTHENTICATION_FAILED:
        return "authentication-failed";
    case IpsecDropReason::POLICY_MISMATCH:
        return "policy-mismatch";
    case IpsecDropReason::UNPROTECTED:
        return "unprotected";
    case IpsecDropReason::REASSEMBLY_QUEUE_FULL:
        return "reassembly-queue-full";
    case IpsecDropReason::CRYPTO_QUEUE_FULL:
        return "crypto-queue-full";
    }
    return "unknown";
}

const char*
IpsecLifetimeKindName(IpsecLifetimeKind kind)
{
    return kind == IpsecLifetimeKind::TIME ? "time" : "volume";
}

TypeId
IpsecStack::GetTypeId()
{
    static TypeId tid =
        TypeId("ns3::IpsecStack")
            .SetParent<Object>()
            .SetGroupName("Ipsec")
            .AddConstructor<IpsecStack>()
            .AddAttribute("ModelledCrypto",
                          "Skip cipher work: packets keep their real sizes, counters and "
                          "integrity enforcement, but payloads stay in clear and the ICV is a "
                          "cheap keyed checksum. Applies to SAs created afterwards.",
                          BooleanValue(false),
                          MakeBooleanAccessor(&IpsecStack::m_modelledCrypto),
                          MakeBooleanChecker())
            .AddAttribute("SaLifetime",
                          "Global IPsec SA time lifetime (s), as `crypto ipsec "
                          "security-association lifetime seconds`.",
                          TimeValue(Seconds(3600)),
                          MakeTimeAccessor(&IpsecStack::m_lifetime),
                          MakeTimeChecker(Seconds(120), Seconds(86400)))
            .AddAttribute("SaLifetimeKilobytes",
                          "Global IPsec SA volume lifetime (kilobytes), as `crypto ipsec "
                          "security-association lifetime kilobytes`.",
                          UintegerValue(4608000),
                          MakeUintegerAccessor(&IpsecStack::m_lifetimeKilobytes),
                          MakeUintegerChecker<uint64_t>(2560, 4294967295ULL))
            .AddAttribute("SoftLifetimeMargin",
                          "Time (s) before the hard time lifetime at which an SA set that "
                          "carried traffic is reported to the key manager for rekeying. The "
                          "default is a chosen value; the IOS guide the module follows gives "
                          "none.",
                          TimeValue(Seconds(30)),
                          MakeTimeAccessor(&IpsecStack::m_softLifetimeMargin),
                          MakeTimeChecker(Seconds(0)))
            .AddAttribute("SoftVolumeFraction",
                          "Share (0 to 1) of the volume lifetime at which an SA set is "
                          "reported to the key manager for rekeying; 1 reports no soft volume "
                          "lifetime. The default is a chosen value; the IOS guide the module "
                          "follows gives none.",
                          DoubleValue(0.9),
                          MakeDoubleAccessor(&IpsecStack::m_softVolumeFraction),
                          MakeDoubleChecker<double>(0.0, 1.0))
            .AddAttribute("ReplayWindowSize",
                          "Global anti-replay window size (packets), as `crypto ipsec "
                          "security-association replay window-size N`; 0 keeps the default of "
                          "64. A crypto map entry's own setting takes precedence. Applies to SAs "
                          "created afterwards; conflicts with ReplayDisable.",
                          UintegerValue(0),
                          MakeUintegerAccessor(&IpsecStack::SetReplayWindowSizeAttribute,
                                               &IpsecStack::GetReplayWindowSizeAttribute),
                          MakeUintegerChecker<uint32_t>(0, 0x80000000u))
            .AddAttribute("ReplayDisable",
                          "Disable anti-replay checking globally, as `crypto ipsec "
                          "security-association replay disable`. A crypto map entry's own "
                          "setting takes precedence. Conflicts with ReplayWindowSize.",
                          BooleanValue(false),
                          MakeBooleanAccessor(&IpsecStack::SetReplayDisableAttribute,
                                              &IpsecStack::GetReplayDisableAttribute),
                          MakeBooleanChecker())
            .AddAttribute("OuterTtl",
                          "TTL of the outer IPv4 header in tunnel mode (hops).",
                          UintegerValue(64),
                          MakeUintegerAccessor(&IpsecStack::m_outerTtl),
                          MakeUintegerChecker<uint8_t>(1))
            .AddAttribute(
                "DfBit",
                "Global outer DF bit of tunnel-mode packets, as `crypto ipsec df-bit`: "
                "copy the inner DF bit, set it or clear it. An interface can override it.",
                EnumValue(DF_BIT_COPY),
                MakeEnumAccessor(&IpsecStack::m_dfBit),
                MakeEnumChecker(DF_BIT_COPY, "copy", DF_BIT_SET, "set", DF_BIT_CLEAR, "clear"))
            .AddAttribute("PreFragmentation",
                          "Fragment a tunnel-mode packet before encryption when its protected "
                          "size would exceed the egress MTU (IOS `crypto ipsec fragmentation "
                          "before-encryption`, on by default). An interface can override it.",
                          BooleanValue(true),
                          MakeBooleanAccessor(&IpsecStack::m_preFragmentation),
                          MakeBooleanChecker())
            .AddAttribute("ReassemblyDelay",
                          "Extra processing time (s) of an IPsec packet this node had to "
                          "reassemble before decrypting (the slow path). Packets on the slow "
                          "path are served one at a time in arrival order. The default is an "
                          "estimate; set it from measurements of the router studied.",
                          TimeValue(MicroSeconds(50)),
                          MakeTimeAccessor(&IpsecStack::m_reassemblyDelay),
                          MakeTimeChecker(Seconds(0)))
            .AddAttribute("ReassemblyQueueLimit",
                          "Packets that may wait on the slow path; more are dropped.",
                          UintegerValue(100),
                          MakeUintegerAccessor(&IpsecStack::m_reassemblyQueueLimit),
                          MakeUintegerChecker<uint32_t>(1))
            .AddAttribute("CryptoEngine",
                          "The node's crypto engine (rates, workers, queue, SA capacity).",
                          PointerValue(),
                          MakePointerAccessor(&IpsecStack::m_cryptoEngine),
                          MakePointerChecker<IpsecCryptoEngine>())
            .AddTraceSource("Encrypt",
                            "An outbound packet was protected; the outer packet and its SA.",
                            MakeTraceSourceAccessor(&IpsecStack::m_encryptTrace),
                            "ns3::IpsecStack::PacketSaTracedCallback")
            .AddTraceSource("Decrypt",
                            "An inbound packet was verified and decrypted; the inner packet "
                            "and its SA.",
                            MakeTraceSourceAccessor(&IpsecStack::m_decryptTrace),
                            "ns3::IpsecStack::PacketSaTracedCallback")
            .AddTraceSource("Drop",
                            "The IPsec code dropped a packet, with the reason.",
                            MakeTraceSourceAccessor(&IpsecStack::m_dropTrace),
                            "ns3::IpsecStack::DropTracedCallback")
            .AddTraceSource("ReplayDrop",
                            "An inbound packet failed the replay check, with its sequence "
                            "number and the window top.",
                            MakeTraceSourceAccessor(&IpsecStack::m_replayDropTrace),
                            "ns3::IpsecStack::ReplayDropTracedCallback")
            .AddTraceSource("SaDeleted",
                            "An SA was deleted, with the reason (once per SA of the set).",
                            MakeTraceSourceAccessor(&IpsecStack::m_saDeletedTrace),
                            "ns3::IpsecStack::SaDeletedTracedCallback")
            .AddTraceSource("SaExpired",
                            "An SA set reached its hard time or volume lifetime; the SA that "
                            "reached it first.",
                            MakeTraceSourceAccessor(&IpsecStack::m_saExpiredTrace),
                            "ns3::IpsecStack::SaExpiredTracedCallback")
            .AddTraceSource("SoftExpired",
                            "An SA set that carried traffic reached its soft lifetime and was "
                            "reported to the key manager; the SA reported.",
                            MakeTraceSourceAccessor(&IpsecStack::m_softExpiredTrace),
                            "ns3::IpsecStack::SaExpiredTracedCallback")
            .AddTraceSource("SaCapacityRejected",
                            "The crypto engine had no room for an SA set, which was not "
                            "installed.",
                            MakeTraceSourceAccessor(&IpsecStack::m_capacityTrace),
                            "ns3::IpsecStack::SaCapacityTracedCallback")
            .AddTraceSource("RebootStart",
                            "The node started a reboot, with the boot time.",
                            MakeTraceSourceAccessor(&IpsecStack::m_rebootStartTrace),
                            "ns3::IpsecStack::RebootTracedCallback")
            .AddTraceSource("RebootEnd",
                            "The node finished a reboot, with the boot time.",
                            MakeTraceSourceAccessor(&IpsecStack::m_rebootEndTrace),
                            "ns3::IpsecStack::RebootTracedCallback");
    return tid;
}

IpsecStack::IpsecStack()
    : m_modelledCrypto(false),
      m_replayWindowSize(64),
      m_replayWindowSizeSet(false),
      m_replayDisabled(false),
      m_lifetime(Seconds(3600)),
      m_lifetimeKilobytes(4608000),
      m_outerTtl(64),
      m_dfBit(DF_BIT_COPY),
      m_preFragmentation(true),
      m_reassemblyDelay(MicroSeconds(50)),
      m_reassemblyQueueLimit(100),
      m_slowPathQueued(0),
      m_reassembled(0),
      m_identification(0),
      m_nextConnectionId(1),
      m_nextFlowId(1),
      m_scratch(HEADROOM + MAX_IPV4_PACKET + TAILROOM),
      m_nextSetId(1),
      m_softLifetimeMargin(Seconds(30)),
      m_softVolumeFraction(0.9),
      m_expired{0, 0},
      m_softExpired(0),
      m_capacityRejected(0),
      m_rebooting(false),
      m_bootCount(0)
{
    NS_LOG_FUNCTION(this);
    m_sadb = CreateObject<IpsecSadb>();
    m_syslog = CreateObject<IpsecSyslog>();
    m_cryptoEngine = CreateObject<IpsecCryptoEngine>();
}

IpsecStack::~IpsecStack()
{
    NS_LOG_FUNCTION(this);
}

void
IpsecStack::DoDispose()
{
    NS_LOG_FUNCTION(this);
    for (auto& [id, set] : m_sets)
    {
        set.lifetimeEvent.Cancel();
        set.idleEvent.Cancel();
    }
    m_sets.clear();
    m_pendingSets.clear();
    m_rebootEndEvent.Cancel();
    m_downInterfaces.clear();
    m_keyManager = nullptr;
    m_node = nullptr;
    m_ipv4 = nullptr;
    m_sadb->Dispose();
    m_sadb = nullptr;
    m_syslog = nullptr;
    m_cryptoEngine->Dispose();
    m_cryptoEngine = nullptr;
    m_espProtocol = nullptr;
    m_ahProtocol = nullptr;
    m_devices.clear();
    Object::DoDispose();
}

void
IpsecStack::Install(Ptr<Node> node)
{
    NS_LOG_FUNCTION(this << node);
    m_ipv4 = node->GetObject<Ipv4L3Protocol>();
    NS_ABORT_MSG_IF(!m_ipv4,
                    "node " << node->GetId()
                            << " has no IPv4 stack: call InternetStackHelper::Install first");
    NS_ABORT_MSG_IF(node->GetObject<IpsecStack>(),
                    "node " << node->GetId() << " already has an IPsec stack");
    m_node = node;
    node->AggregateObject(this);

    m_espProtocol = CreateObject<IpsecL4Protocol>();
    m_espProtocol->Setup(IpsecProtocol::ESP, this);
    m_ipv4->Insert(m_espProtocol);
    m_ahProtocol = CreateObject<IpsecL4Protocol>();
    m_ahProtocol->Setup(IpsecProtocol::AH, this);
    m_ipv4->Insert(m_ahProtocol);
}

Ptr<Node>
IpsecStack::GetNode() const
{
    return m_node;
}

Ptr<IpsecSadb>
IpsecStack::GetSadb() const
{
    return m_sadb;
}

Ptr<IpsecSyslog>
IpsecStack::GetSyslog() const
{
    return m_syslog;
}

bool
IpsecStack::IsModelledCrypto() const
{
    return m_modelledCrypto;
}

void
IpsecStack::AddDevice(Ptr<IpsecNetDevice> device)
{
    m_devices.push_back(device);
}

const std::vector<Ptr<IpsecNetDevice>>&
IpsecStack::GetDevices() const
{
    return m_devices;
}

std::string
IpsecStack::SetGlobalReplayWindowSize(uint32_t size)
{
    NS_LOG_FUNCTION(this << size);
    if (m_replayDisabled)
    {
        return "crypto ipsec security-association replay window-size " + std::to_string(size) +
               " conflicts with the global replay disable: configure only one";
    }
    if (size == 0 || size > 0x80000000u)
    {
        return "replay window size " + std::to_string(size) +
               " is invalid: use 1 to 2147483648 packets";
    }
    m_replayWindowSize = size;
    m_replayWindowSizeSet = true;
    return "";
}

std::string
IpsecStack::SetGlobalReplayDisable()
{
    NS_LOG_FUNCTION(this);
    if (m_replayWindowSizeSet)
    {
        return "crypto ipsec security-association replay disable conflicts with the global "
               "window-size " +
               std::to_string(m_replayWindowSize) + ": configure only one";
    }
    m_replayDisabled = true;
    return "";
}

void
IpsecStack::SetReplayWindowSizeAttribute(uint32_t size)
{
    // Zero is the attribute's "not configured" value, which keeps the IOS default.
    if (size == 0)
    {
        return;
    }
    std::string problem = SetGlobalReplayWindowSize(size);
    NS_ABORT_MSG_IF(!problem.empty(), problem);
}

uint32_t
IpsecStack::GetReplayWindowSizeAttribute() const
{
    return m_replayWindowSizeSet ? m_replayWindowSize : 0;
}

void
IpsecStack::SetReplayDisableAttribute(bool disable)
{
    if (!disable)
    {
        return;
    }
    std::string problem = SetGlobalReplayDisable();
    NS_ABORT_MSG_IF(!problem.empty(), problem);
}

bool
IpsecStack::GetReplayDisableAttribute() const
{
    return m_replayDisabled;
}

void
IpsecStack::ResolveReplaySettings(Ptr<const CryptoMapEntry> entry,
                                  uint32_t& size,
                                  bool& enabled) const
{
    // IOS precedence: the entry's own setting, else the global one, else 64 packets.
    if (entry && entry->IsReplayDisabled())
    {
        size = 64;
        enabled = false;
        return;
    }
    if (entry && entry->GetReplayWindowSize())
    {
        size = *entry->GetReplayWindowSize();
        enabled = true;
        return;
    }
    size = m_replayWindowSize;
    enabled = !m_replayDisabled;
}

Ptr<IpsecSecurityAssociation>
IpsecStack::CreateSa(IpsecDirection direction,
                     IpsecProtocol protocol,
                     uint32_t spi,
                     const IpsecTransformSet& transformSet,
                     const std::vector<uint8_t>& encryptionKey,
                     const std::vector<uint8_t>& integrityKey,
                     Ipv4Address localAddress,
                     Ipv4Address peerAddress,
                     Ptr<const CryptoMap> cryptoMap,
                     Ptr<const CryptoMapEntry> entry)
{
    NS_LOG_FUNCTION(this << spi << localAddress << peerAddress);
    auto sa = Create<IpsecSecurityAssociation>(direction,
                                               protocol,
                                               spi,
                                               transformSet,
                                               encryptionKey,
                                               integrityKey,
                                               localAddress,
                                               peerAddress,
                                               m_modelledCrypto);
    sa->SetConnectionId(m_nextConnectionId++);
    sa->SetFlowId(m_nextFlowId);
    if (cryptoMap)
    {
        sa->SetCryptoMapName(cryptoMap->GetName());
    }
    if (entry)
    {
        sa->SetSelectors(entry->GetAccessList());
        sa->SetCryptoMapSequence(entry->GetSequence());
    }

    // Replay settings and lifetimes are fixed when the SA is made, as on a router.
    uint32_t windowSize;
    bool replayEnabled;
    ResolveReplaySettings(entry, windowSize, replayEnabled);
    bool extended = entry && entry->IsExtendedSequenceNumbers();
    sa->SetExtendedSequenceNumbers(extended);

    // Without integrity nothing is authenticated, so a forged number could move the window and
    // lock out the real peer: RFC 4303 offers anti-replay only together with integrity.
    bool authenticated = protocol == IpsecProtocol::AH ||
                         transformSet.GetEspIntegrity() != IpsecIntegrity::NONE ||
                         transformSet.GetEspEncryption() == IpsecEncryption::AES_GCM;
    if (!authenticated && replayEnabled)
    {
        NS_LOG_WARN("SA " << FormatSpi(spi) << " has no integrity transform ("
                          << transformSet.GetDescription() << "): replay checking is off");
        replayEnabled = false;
    }
    sa->ConfigureReplayWindow(windowSize, replayEnabled);
    if (entry && entry->GetTrafficClassMode() == CryptoMapEntry::TrafficClassMode::SEQUENCE_SPACES)
    {
        sa->SetSequenceSpaces(entry->GetTrafficClassCount());
    }

    Time lifetime =
        entry && entry->GetLifetimeSeconds() ? *entry->GetLifetimeSeconds() : m_lifetime;
    uint64_t kilobytes = entry && entry->GetLifetimeKilobytes() ? *entry->GetLifetimeKilobytes()
                                                                : m_lifetimeKilobytes;
    sa->SetLifetime(lifetime, kilobytes);

    NS_LOG_INFO("node " << (m_node ? m_node->GetId() : 0) << ": "
                        << (direction == IpsecDirection::INBOUND ? "inbound " : "outbound ")
                        << (protocol == IpsecProtocol::ESP ? "ESP" : "AH") << " SA created, spi "
                        << FormatSpi(spi) << ", " << localAddress << " <-> " << peerAddress
                        << ", transform " << transformSet.GetDescription() << ", replay window "
                        << (replayEnabled ? std::to_string(windowSize) : "disabled"));
    return sa;
}

bool
IpsecStack::InstallManualSas(Ptr<CryptoMap> cryptoMap,
                             Ptr<CryptoMapEntry> entry,
                             Ipv4Address localAddress)
{
    NS_LOG_FUNCTION(this << cryptoMap->GetName() << entry->GetSequence() << localAddress);
    std::string problem = entry->Validate();
    NS_ABORT_MSG_IF(!problem.empty(), "crypto map " << cryptoMap->GetName() << ": " << problem);
    NS_ABORT_MSG_IF(entry->GetKeyManagement() != CryptoMapEntry::KeyManagement::MANUAL,
                    "crypto map " << cryptoMap->GetName() << " " << entry->GetSequence()
                                  << " is not ipsec-manual");

    const IpsecTransformSet& transformSet = entry->GetTransformSets().front();
    Ipv4Address peer = entry->GetCurrentPeer();
    std::vector<IpsecProtocol> protocols;
    if (transformSet.HasEsp())
    {
        protocols.push_back(IpsecProtocol::ESP);
    }
    if (transformSet.HasAh())
    {
        protocols.push_back(IpsecProtocol::AH);
    }

    // One bundle per traffic class when the entry separates classes into SAs of their own.
    bool separate = entry->GetTrafficClassMode() == CryptoMapEntry::TrafficClassMode::SEPARATE_SAS;
    uint32_t bundles = separate ? entry->GetTrafficClassCount() : 1;
    Ptr<IpsecCryptoEngine> engine = FindEngine(cryptoMap);
    bool complete = true;
    for (uint32_t trafficClass = 0; trafficClass < bundles; ++trafficClass)
    {
        // Manual SAs hold engine places too: one per SA, inbound and outbound.
        uint32_t count = 2 * static_cast<uint32_t>(protocols.size());
        if (!ReserveCapacity(engine, count, peer))
        {
            complete = false;
            continue;
        }
        uint32_t id = m_nextSetId++;
        SaSet& set = m_sets[id];
        set.cryptoMap = cryptoMap;
        set.entry = entry;
        set.peer = peer;
        set.trafficClass = trafficClass;
        set.engine = engine;
        set.reserved = count;
        set.manual = true;

        auto bundle = Create<IpsecSaBundle>();
        for (IpsecProtocol protocol : protocols)
        {
            const IpsecManualKey& in =
                *entry->GetSessionKey(IpsecDirection::INBOUND, protocol, trafficClass);
            const IpsecManualKey& out =
                *entry->GetSessionKey(IpsecDirection::OUTBOUND, protocol, trafficClass);
            NS_ABORT_MSG_IF(m_sadb->FindInbound(in.spi, protocol),
                            "crypto map " << cryptoMap->GetName() << " " << entry->GetSequence()
                                          << ": inbound SPI " << in.spi
                                          << " is already used by another SA of this node");
            Ptr<IpsecSecurityAssociation> inbound = CreateSa(IpsecDirection::INBOUND,
                                                             protocol,
                                                             in.spi,
                                                             transformSet,
                                                             in.encryptionKey,
                                                             in.integrityKey,
                                                             localAddress,
                                                             peer,
                                                             cryptoMap,
                                                             entry);
            inbound->SetSetId(id);
            set.inbound.push_back(inbound);
            m_sadb->AddInbound(inbound);
            Ptr<IpsecSecurityAssociation> outbound = CreateSa(IpsecDirection::OUTBOUND,
                                                              protocol,
                                                              out.spi,
                                                              transformSet,
                                                              out.encryptionKey,
                                                              out.integrityKey,
                                                              localAddress,
                                                              peer,
                                                              cryptoMap,
                                                              entry);
            outbound->SetSetId(id);
            (protocol == IpsecProtocol::ESP ? bundle->esp : bundle->ah) = outbound;
        }
        set.outbound = bundle;
        m_sadb->SetOutbound(entry, peer, bundle, trafficClass);
        ++m_nextFlowId;
    }
    return complete;
}

void
IpsecStack::SetKeyManager(Ptr<IpsecKeyManager> keyManager)
{
    NS_LOG_FUNCTION(this << keyManager);
    m_keyManager = keyManager;
}

Ptr<IpsecKeyManager>
IpsecStack::GetKeyManager() const
{
    return m_keyManager;
}

std::vector<Ptr<IpsecSecurityAssociation>>
IpsecStack::GetMembers(const SaSet& set)
{
    std::vector<Ptr<IpsecSecurityAssociation>> members = set.inbound;
    if (set.outbound && set.outbound->esp)
    {
        members.push_back(set.outbound->esp);
    }
    if (set.outbound && set.outbound->ah)
    {
        members.push_back(set.outbound->ah);
    }
    return members;
}

Ptr<IpsecCryptoEngine>
IpsecStack::FindEngine(Ptr<const CryptoMap> cryptoMap) const
{
    for (const auto& device : m_devices)
    {
        if (device->GetCryptoMap() == cryptoMap)
        {
            return device->GetCryptoEngine();
        }
    }
    return m_cryptoEngine;
}

bool
IpsecStack::ReserveCapacity(Ptr<IpsecCryptoEngine> engine, uint32_t count, Ipv4Address peer)
{
    if (engine->ReserveSas(count))
    {
        return true;
    }

    // The message is this module's own: IOS logs no such line in the guide it follows.
    std::ostringstream text;
    text << "SA setup with peer " << peer << " rejected: " << count
         << " SAs needed, crypto engine holds " << engine->GetSaCount() << " of "
         << engine->GetSaCapacity();
    m_syslog->Log("CRYPTO", 4, "SA_CAPACITY", text.str());
    NS_LOG_WARN("node " << (m_node ? m_node->GetId() : 0) << ": " << text.str());
    ++m_capacityRejected;
    m_capacityTrace(peer, count, engine->GetSaCapacity());
    return false;
}

bool
IpsecStack::InstallSas(Ptr<CryptoMap> cryptoMap,
                       Ptr<CryptoMapEntry> entry,
                       Ipv4Address peer,
                       uint32_t trafficClass,
                       const std::vector<Ptr<IpsecSecurityAssociation>>& inbound,
                       Ptr<IpsecSaBundle> outbound)
{
    NS_LOG_FUNCTION(this << cryptoMap->GetName() << entry->GetSequence() << peer << trafficClass
                         << inbound.size() << outbound);
    bool hasOutbound = outbound && (outbound->esp || outbound->ah);
    if (!hasOutbound)
    {
        outbound = nullptr;
    }
    for (const auto& sa : inbound)
    {
        NS_ABORT_MSG_IF(sa->GetDirection() != IpsecDirection::INBOUND,
                        "InstallSas: SA " << FormatSpi(sa->GetSpi()) << " is not inbound");
        NS_ABORT_MSG_IF(m_sadb->FindInbound(sa->GetSpi(), sa->GetProtocol()),
                        "InstallSas: inbound SPI " << FormatSpi(sa->GetSpi())
                                                   << " is already used by another SA");
    }
    uint32_t count = static_cast<uint32_t>(inbound.size());
    if (hasOutbound)
    {
        count += (outbound->esp ? 1 : 0) + (outbound->ah ? 1 : 0);
    }
    if (count == 0)
    {
        return true;
    }

    // A call with one half completes the set of the same entry, peer and class that lacks it.
    PendingKey key(PeekPointer(entry), peer.Get(), trafficClass);
    uint32_t id = 0;
    auto pending = m_pendingSets.find(key);
    if (pending != m_pendingSets.end() && (inbound.empty() != !hasOutbound))
    {
        const SaSet& candidate = m_sets.at(pending->second);
        bool fills = inbound.empty() ? !candidate.outbound : candidate.inbound.empty();
        if (fills)
        {
            id = pending->second;
        }
    }

    Ptr<IpsecCryptoEngine> engine = id ? m_sets.at(id).engine : FindEngine(cryptoMap);
    if (!ReserveCapacity(engine, count, peer))
    {
        return false;
    }
    if (id == 0)
    {
        id = m_nextSetId++;
        SaSet& created = m_sets[id];
        created.cryptoMap = cryptoMap;
        created.entry = entry;
        created.peer = peer;
        created.trafficClass = trafficClass;
        created.engine = engine;
        created.idleTime = entry->GetIdleTime() ? entry->GetIdleTime() : m_idleTime;
    }
    SaSet& set = m_sets.at(id);
    set.reserved += count;

    for (const auto& sa : inbound)
    {
        sa->SetSetId(id);
        set.inbound.push_back(sa);
        m_sadb->AddInbound(sa);
    }
    if (hasOutbound)
    {
        for (const auto& sa : {outbound->esp, outbound->ah})
        {
            if (sa)
            {
                sa->SetSetId(id);
            }
        }
        set.outbound = outbound;
        m_sadb->SetOutbound(entry, peer, outbound, trafficClass);
    }

    // A set with both halves is complete; one with a single half waits for the other.
    if (!set.inbound.empty() && set.outbound)
    {
        m_pendingSets.erase(key);
        ++m_nextFlowId;
    }
    else
    {
        m_pendingSets[key] = id;
    }
    NS_LOG_INFO("node " << (m_node ? m_node->GetId() : 0) << ": SA set " << id << " with " << peer
                        << " (crypto map " << cryptoMap->GetName() << " " << entry->GetSequence()
                        << ", class " << trafficClass << "): " << inbound.size() << " inbound SAs"
                        << (hasOutbound ? " and the outbound bundle" : "") << " installed, "
                        << engine->GetSaCount() << " SAs on the crypto engine");
    StartTimers(id);
    return true;
}

void
IpsecStack::StartTimers(uint32_t id)
{
    SaSet& set = m_sets.at(id);
    std::vector<Ptr<IpsecSecurityAssociation>> members = GetMembers(set);

    // Volume marks: the soft share of each SA's volume lifetime, then the whole of it.
    for (const auto& sa : members)
    {
        uint64_t hard = sa->GetLifetimeKilobytes() * 1024;
        bool soft = !set.softDone && m_softVolumeFraction < 1.0;
        sa->SetVolumeMark(soft ? static_cast<uint64_t>(hard * m_softVolumeFraction) : hard);
    }

    // One lifetime event per set, at the soft lifetime first and then at the hard one.
    Time hard = Time::Max();
    for (const auto& sa : members)
    {
        hard = std::min(hard, sa->GetCreationTime() + sa->GetLifetime());
    }
    Time at = set.softDone ? hard : std::max(Simulator::Now(), hard - m_softLifetimeMargin);
    set.lifetimeEvent.Cancel();
    set.lifetimeEvent =
        Simulator::Schedule(at - Simulator::Now(), &IpsecStack::HandleLifetimeEvent, this, id);

    if (set.idleTime && !set.idleEvent.IsRunning())
    {
        Time last = Time::Min();
        for (const auto& sa : members)
        {
            last = std::max(last, sa->GetLastUsedTime());
        }
        Time idleAt = std::max(Simulator::Now(), last + *set.idleTime);
        set.idleEvent =
            Simulator::Schedule(idleAt - Simulator::Now(), &IpsecStack::HandleIdleEvent, this, id);
    }
}

void
IpsecStack::HandleLifetimeEvent(uint32_t id)
{
    NS_LOG_FUNCTION(this << id);
    SaSet& set = m_sets.at(id);
    std::vector<Ptr<IpsecSecurityAssociation>> members = GetMembers(set);
    Time hard = Time::Max();
    Ptr<IpsecSecurityAssociation> first;
    for (const auto& sa : members)
    {
        if (sa->GetCreationTime() + sa->GetLifetime() < hard)
        {
            hard = sa->GetCreationTime() + sa->GetLifetime();
            first = sa;
        }
    }
    if (Simulator::Now() >= hard)
    {
        ExpireSet(id, IpsecLifetimeKind::TIME, first);
        return;
    }

    // The soft lifetime: report the set if it is in use, then wait for the hard one.
    if (!set.softDone)
    {
        ReportSoftExpiry(set, IpsecLifetimeKind::TIME, nullptr);
    }
    set.lifetimeEvent =
        Simulator::Schedule(hard - Simulator::Now(), &IpsecStack::HandleLifetimeEvent, this, id);
}

void
IpsecStack::ReportSoftExpiry(SaSet& set, IpsecLifetimeKind kind, Ptr<IpsecSecurityAssociation> sa)
{
    set.softDone = true;
    std::vector<Ptr<IpsecSecurityAssociation>> members = GetMembers(set);
    for (const auto& member : members)
    {
        member->SetVolumeMark(member->GetLifetimeKilobytes() * 1024);
    }

    // A set that carried no traffic is not rekeyed, because the next packet after it expires
    // requests new SAs anyway. The SA reported is the outbound one when it was used.
    if (!sa)
    {
        for (const auto& member : members)
        {
            const IpsecSaCounters& counters = member->GetCounters();
            bool used = counters.encaps + counters.decaps > 0;
            if (used && (!sa || member->GetDirection() == IpsecDirection::OUTBOUND))
            {
                sa = member;
            }
        }
    }
    if (!sa)
    {
        NS_LOG_INFO("node " << (m_node ? m_node->GetId() : 0) << ": SA set with " << set.peer
                            << " reached its soft " << IpsecLifetimeKindName(kind)
                            << " lifetime unused; not reported");
        return;
    }
    NS_LOG_INFO("node " << (m_node ? m_node->GetId() : 0) << ": SA " << FormatSpi(sa->GetSpi())
                        << " to " << set.peer << " reached its soft " << IpsecLifetimeKindName(kind)
                        << " lifetime; rekey requested");
    ++m_softExpired;
    m_softExpiredTrace(sa, kind);
    if (m_keyManager && !set.manual)
    {
        m_keyManager->SoftExpired(sa);
    }
}

void
IpsecStack::HandleVolumeMark(Ptr<IpsecSecurityAssociation> sa)
{
    NS_LOG_FUNCTION(this << sa->GetSpi() << sa->GetCounters().bytes);
    auto found = m_sets.find(sa->GetSetId());
    if (found == m_sets.end() || found->second.manual)
    {
        sa->SetVolumeMark(std::numeric_limits<uint64_t>::max());
        return;
    }
    if (sa->GetCounters().bytes >= sa->GetLifetimeKilobytes() * 1024)
    {
        NS_LOG_INFO("node " << (m_node ? m_node->GetId() : 0) << ": SA " << FormatSpi(sa->GetSpi())
                            << " reached its volume lifetime after " << sa->GetCounters().bytes
                            << " bytes");
        ExpireSet(found->first, IpsecLifetimeKind::VOLUME, sa);
        return;
    }
    ReportSoftExpiry(found->second, IpsecLifetimeKind::VOLUME, sa);
}

void
IpsecStack::ExpireSet(uint32_t id, IpsecLifetimeKind kind, Ptr<IpsecSecurityAssociation> sa)
{
    SaSet& set = m_sets.at(id);
    NS_LOG_INFO("node " << (m_node ? m_node->GetId() : 0) << ": SA set " << id << " with "
                        << set.peer << " reached its hard " << IpsecLifetimeKindName(kind)
                        << " lifetime on SA " << FormatSpi(sa->GetSpi()));
    m_saExpiredTrace(sa, kind);
    m_expired[kind == IpsecLifetimeKind::TIME ? 0 : 1]++;
    RemoveSet(id, IpsecSaDeleteReason::HARD_EXPIRED);
}

void
IpsecStack::HandleIdleEvent(uint32_t id)
{
    NS_LOG_FUNCTION(this << id);
    SaSet& set = m_sets.at(id);
    Time last = Time::Min();
    for (const auto& sa : GetMembers(set))
    {
        last = std::max(last, sa->GetLastUsedTime());
    }

    // Packets came since the event was armed: wait for the idle time after the latest one.
    Time idleAt = last + *set.idleTime;
    if (idleAt > Simulator::Now())
    {
        set.idleEvent =
            Simulator::Schedule(idleAt - Simulator::Now(), &IpsecStack::HandleIdleEvent, this, id);
        return;
    }
    NS_LOG_INFO("node " << (m_node ? m_node->GetId() : 0) << ": SA set " << id << " with "
                        << set.peer << " idle since " << last.As(Time::S) << "; deleted");
    RemoveSet(id, IpsecSaDeleteReason::IDLE);
}

void
IpsecStack::RemoveSet(uint32_t id, IpsecSaDeleteReason reason)
{
    auto found = m_sets.find(id);
    if (found == m_sets.end())
    {
        return;
    }
    SaSet set = found->second;
    m_sets.erase(found);
    set.lifetimeEvent.Cancel();
    set.idleEvent.Cancel();
    auto pending =
        m_pendingSets.find(PendingKey(PeekPointer(set.entry), set.peer.Get(), set.trafficClass));
    if (pending != m_pendingSets.end() && pending->second == id)
    {
        m_pendingSets.erase(pending);
    }

    std::vector<Ptr<IpsecSecurityAssociation>> members = GetMembers(set);
    for (const auto& sa : members)
    {
        m_sadb->Remove(sa);
        sa->SetSetId(0);
        sa->SetVolumeMark(std::numeric_limits<uint64_t>::max());
    }
    set.engine->ReleaseSas(set.reserved);
    NS_LOG_INFO("node " << (m_node ? m_node->GetId() : 0) << ": SA set " << id << " with "
                        << set.peer << " deleted (" << IpsecSaDeleteReasonName(reason) << "), "
                        << members.size() << " SAs");
    for (const auto& sa : members)
    {
        m_deleted[reason]++;
        m_saDeletedTrace(sa, reason);
    }

    // A peer that sent the DELETE or is dead needs no notification, and after a reboot
    // nothing is sent. Manually keyed SAs do not belong to the key manager.
    bool tell = reason != IpsecSaDeleteReason::PEER_DELETE &&
                reason != IpsecSaDeleteReason::PEER_DEAD && reason != IpsecSaDeleteReason::REBOOT;
    if (tell && !set.manual && m_keyManager)
    {
        m_keyManager->SasDeleted(members, reason);
    }
}

void
IpsecStack::DeleteSa(Ptr<IpsecSecurityAssociation> sa, IpsecSaDeleteReason reason)
{
    NS_LOG_FUNCTION(this << sa->GetSpi() << IpsecSaDeleteReasonName(reason));
    if (m_sets.count(sa->GetSetId()))
    {
        RemoveSet(sa->GetSetId(), reason);
        return;
    }
    m_sadb->Remove(sa);
    m_deleted[reason]++;
    m_saDeletedTrace(sa, reason);
}

void
IpsecStack::DeleteSasOfPeer(Ipv4Address peer, IpsecSaDeleteReason reason)
{
    NS_LOG_FUNCTION(this << peer << IpsecSaDeleteReasonName(reason));
    std::vector<uint32_t> ids;
    for (const auto& [id, set] : m_sets)
    {
        if (set.peer == peer)
        {
            ids.push_back(id);
        }
    }
    for (uint32_t id : ids)
    {
        RemoveSet(id, reason);
    }
}

Ptr<IpsecSecurityAssociation>
IpsecStack::FindOutboundSa(uint32_t spi, IpsecProtocol protocol, Ipv4Address peer) const
{
    for (const auto& sa : m_sadb->GetOutboundSas())
    {
        if (sa->GetSpi() == spi && sa->GetProtocol() == protocol && sa->GetPeerAddress() == peer)
        {
            return sa;
        }
    }
    return nullptr;
}

void
IpsecStack::ReportSendObserved(Ptr<IpsecSaBundle> bundle)
{
    for (const auto& sa : {bundle->esp, bundle->ah})
    {
        if (sa && sa->IsSendWatched())
        {
            sa->ClearSendWatch();
            NS_LOG_LOGIC("outbound packet on watched SA " << FormatSpi(sa->GetSpi()));
            if (m_keyManager)
            {
                m_keyManager->SendObserved(sa);
            }
        }
    }
}

Time
IpsecStack::GetLifetime() const
{
    return m_lifetime;
}

uint64_t
IpsecStack::GetLifetimeKilobytes() const
{
    return m_lifetimeKilobytes;
}

std::string
IpsecStack::SetLifetime(Time lifetime)
{
    NS_LOG_FUNCTION(this << lifetime);
    std::string problem = CheckLifetimeSeconds(lifetime);
    if (problem.empty())
    {
        m_lifetime = lifetime;
    }
    return problem;
}

std::string
IpsecStack::SetLifetimeKilobytes(uint64_t kilobytes)
{
    NS_LOG_FUNCTION(this << kilobytes);
    std::string problem = CheckLifetimeKilobytes(kilobytes);
    if (problem.empty())
    {
        m_lifetimeKilobytes = kilobytes;
    }
    return problem;
}

std::string
IpsecStack::SetIdleTime(Time idleTime)
{
    NS_LOG_FUNCTION(this << idleTime);
    std::string problem = CheckIdleTime(idleTime);
    if (problem.empty())
    {
        m_idleTime = idleTime;
    }
    return problem;
}

void
IpsecStack::ClearIdleTime()
{
    m_idleTime.reset();
}

std::optional<Time>
IpsecStack::GetIdleTime() const
{
    return m_idleTime;
}

uint64_t
IpsecStack::GetExpiredCount(IpsecLifetimeKind kind) const
{
    return m_expired[kind == IpsecLifetimeKind::TIME ? 0 : 1];
}

uint64_t
IpsecStack::GetSoftExpiredCount() const
{
    return m_softExpired;
}

uint64_t
IpsecStack::GetDeletedCount(IpsecSaDeleteReason reason) const
{
    auto found = m_deleted.find(reason);
    return found == m_deleted.end() ? 0 : found->second;
}

uint64_t
IpsecStack::GetCapacityRejectedCount() const
{
    return m_capacityRejected;
}

uint32_t
IpsecStack::GetSaSetCount() const
{
    return static_cast<uint32_t>(m_sets.size());
}

bool
IpsecStack::IsRebooting() const
{
    return m_rebooting;
}

void
IpsecStack::Reboot(Time bootTime)
{
    NS_LOG_FUNCTION(this << bootTime);
    NS_LOG_INFO("node " << (m_node ? m_node->GetId() : 0) << ": reboot for " << bootTime.As(Time::S)
                        << ", " << m_sadb->GetSaCount() << " SAs dropped");
    m_rebootStartTrace(bootTime);
    m_rebooting = true;
    m_bootTime = bootTime;
    ++m_bootCount;

    // Off the network without telling routing: Ipv4L3Protocol::SetDown would make static
    // routing delete the interface's routes, which a reloading router keeps in its
    // configuration. A down Ipv4Interface neither sends nor accepts packets.
    for (uint32_t i = 0; i < m_ipv4->GetNInterfaces(); ++i)
    {
        Ptr<Ipv4Interface> interface = m_ipv4->GetInterface(i);
        if (DynamicCast<LoopbackNetDevice>(interface->GetDevice()) || !interface->IsUp())
        {
            continue;
        }
        interface->SetDown();
        m_downInterfaces.push_back(interface);
    }

    // All IPsec state goes, with no message to anyone.
    std::vector<uint32_t> ids;
    for (const auto& [id, set] : m_sets)
    {
        ids.push_back(id);
    }
    for (uint32_t id : ids)
    {
        RemoveSet(id, IpsecSaDeleteReason::REBOOT);
    }
    m_sadb->Clear();
    m_cryptoEngine->Reset();
    for (const auto& device : m_devices)
    {
        if (device->GetCryptoEngine() != m_cryptoEngine)
        {
            device->GetCryptoEngine()->Reset();
        }
    }
    m_slowPathQueued = 0;
    m_slowPathFreeAt = Seconds(0);
    m_fragmentedOuter.clear();
    m_fragmentedOrder.clear();
    if (m_keyManager)
    {
        m_keyManager->Reset();
    }

    m_rebootEndEvent.Cancel();
    m_rebootEndEvent = Simulator::Schedule(bootTime, &IpsecStack::EndReboot, this);
}

void
IpsecStack::EndReboot()
{
    NS_LOG_FUNCTION(this);
    for (const auto& interface : m_downInterfaces)
    {
        interface->SetUp();
    }
    m_downInterfaces.clear();

    // The startup configuration's manual SAs exist again, with fresh counters and windows.
    for (const auto& device : m_devices)
    {
        Ptr<CryptoMap> cryptoMap = device->GetCryptoMap();
        if (!cryptoMap)
        {
            continue;
        }
        for (const auto& entry : cryptoMap->GetEntries())
        {
            if (entry->GetKeyManagement() == CryptoMapEntry::KeyManagement::MANUAL)
            {
                InstallManualSas(cryptoMap, entry, device->GetIpv4Address());
            }
        }
    }
    m_rebooting = false;
    NS_LOG_INFO("node " << (m_node ? m_node->GetId() : 0) << ": reboot finished");
    m_rebootEndTrace(m_bootTime);
}

void
IpsecStack::WriteAhPseudoHeader(const Ipv4Header& header, uint16_t totalLength, uint8_t* bytes)
{
    // Immutable fields keep their values; TOS, flags, offset, TTL and checksum count as zero.
    bytes[0] = 0x45;
    bytes[1] = 0;
    bytes[2] = static_cast<uint8_t>(totalLength >> 8);
    bytes[3] = static_cast<uint8_t>(totalLength);
    bytes[4] = static_cast<uint8_t>(header.GetIdentification() >> 8);
    bytes[5] = static_cast<uint8_t>(header.GetIdentification());
    bytes[6] = 0;
    bytes[7] = 0;
    bytes[8] = 0;
    bytes[9] = static_cast<uint8_t>(IpsecProtocol::AH);
    bytes[10] = 0;
    bytes[11] = 0;
    WriteU32(bytes + 12, header.GetSource().Get());
    WriteU32(bytes + 16, header.GetDestination().Get());
}

Ptr<Packet>
IpsecStack::Protect(Ptr<IpsecSaBundle> bundle,
                    Ptr<const Packet> packet,
                    Ipv4Header& outerHeader,
                    uint32_t space)
{
    NS_LOG_FUNCTION(this << packet);
    Ptr<IpsecSecurityAssociation> esp = bundle->esp;
    Ptr<IpsecSecurityAssociation> ah = bundle->ah;
    Ptr<IpsecSecurityAssociation> first = esp ? esp : ah;
    uint8_t* buffer = m_scratch.data();
    uint32_t size = packet->GetSize();

    // Copy the inner packet once; ESP and AH are then built around it in place.
    if (size + HEADROOM + TAILROOM > m_scratch.size())
    {
        first->GetCounters().sendErrors++;
        NotifyDrop(packet, IpsecDropReason::PACKET_TOO_BIG, first);
        return nullptr;
    }
    packet->CopyData(buffer + HEADROOM, size);
    Ipv4FlowTuple inner;
    uint32_t innerHeaderLength = 0;
    if (!ReadIpv4FlowTuple(buffer + HEADROOM, size, inner, innerHeaderLength))
    {
        first->GetCounters().sendErrors++;
        NotifyDrop(packet, IpsecDropReason::MALFORMED, first);
        return nullptr;
    }
    const uint8_t* innerHeader = buffer + HEADROOM;
    uint8_t innerTos = innerHeader[1];
    uint16_t innerIdentification = ReadU16(innerHeader + 4);
    bool innerDontFragment = (innerHeader[6] & 0x40) != 0;
    uint8_t innerTtl = innerHeader[8];

    // Tunnel mode protects the whole inner packet; transport mode only what follows its header.
    bool tunnel = first->GetMode() == IpsecMode::TUNNEL;
    uint32_t start = tunnel ? HEADROOM : HEADROOM + innerHeaderLength;
    uint32_t length = tunnel ? size : size - innerHeaderLength;
    uint8_t nextHeader = tunnel ? IP_IN_IP : inner.protocol;
    bool espVolumeMark = false;
    bool ahVolumeMark = false;

    if (esp)
    {
        uint64_t sequence = esp->NextSequenceNumber(space);
        if (sequence == 0)
        {
            esp->GetCounters().sendErrors++;
            NotifyDrop(packet, IpsecDropReason::SEQUENCE_EXHAUSTED, esp);
            return nullptr;
        }
        IpsecCipher* cipher = esp->GetCipher();
        IpsecIntegrityCheck* integrity = esp->GetIntegrityCheck();
        uint32_t ivLength = cipher->GetIvLength();
        uint32_t alignment = cipher->GetPadAlignment();
        uint32_t tagLength = cipher->GetTagLength();

        // Trailer: monotonic padding 1, 2, 3, ... (RFC 4303 section 2.4), pad length, next header.
        uint32_t padded = (length + 2 + alignment - 1) / alignment * alignment;
        uint32_t padLength = padded - length - 2;
        uint8_t* trailer = buffer + start + length;
        for (uint32_t i = 0; i < padLength; ++i)
        {
            trailer[i] = static_cast<uint8_t>(i + 1);
        }
        trailer[padLength] = static_cast<uint8_t>(padLength);
        trailer[padLength + 1] = nextHeader;

        uint32_t header = start - EspHeader::SIZE - ivLength;
        WriteU32(buffer + header, esp->GetSpi());
        WriteU32(buffer + header + 4, static_cast<uint32_t>(sequence));
        cipher->MakeIv(sequence, buffer + header + EspHeader::SIZE);

        uint8_t aad[12];
        uint32_t aadLength =
            WriteGcmAad(aad, esp->GetSpi(), sequence, esp->IsExtendedSequenceNumbers());
        uint8_t* icv = buffer + start + padded;
        if (!cipher->Encrypt(buffer + header + EspHeader::SIZE,
                             buffer + start,
                             padded,
                             cipher->IsAead() ? aad : nullptr,
                             cipher->IsAead() ? aadLength : 0,
                             icv))
        {
            esp->GetCounters().sendErrors++;
            NotifyDrop(packet, IpsecDropReason::MALFORMED, esp);
            return nullptr;
        }
        uint32_t icvLength = tagLength;
        if (integrity)
        {
            // With ESN the high half of the sequence number is covered but not sent (RFC
            // 4303 2.2.1).
            integrity->Begin();
            integrity->Update(buffer + header, EspHeader::SIZE + ivLength + padded);
            if (esp->IsExtendedSequenceNumbers())
            {
                uint8_t high[4];
                WriteU32(high, static_cast<uint32_t>(sequence >> 32));
                integrity->Update(high, 4);
            }
            integrity->Finish(icv + tagLength);
            icvLength += integrity->GetIcvLength();
        }

        IpsecSaCounters& counters = esp->GetCounters();
        counters.encaps++;
        counters.encrypt++;
        counters.digest += icvLength > 0 ? 1 : 0;
        espVolumeMark = esp->AddBytes(length);
        esp->Touch();

        start = header;
        length = EspHeader::SIZE + ivLength + padded + icvLength;
        nextHeader = static_cast<uint8_t>(IpsecProtocol::ESP);
    }

    // The outer header: new in tunnel mode (DSCP and ECN copied from the inner packet, as
    // RFC 4301 section 5.1.2 allows), the inner one in transport mode.
    outerHeader = Ipv4Header();
    outerHeader.SetTos(innerTos);
    if (tunnel)
    {
        outerHeader.SetSource(first->GetLocalAddress());
        outerHeader.SetDestination(first->GetPeerAddress());
        outerHeader.SetTtl(m_outerTtl);
        outerHeader.SetIdentification(m_identification++);
    }
    else
    {
        outerHeader.SetSource(inner.source);
        outerHeader.SetDestination(inner.destination);
        outerHeader.SetTtl(innerTtl);
        outerHeader.SetIdentification(innerIdentification);
    }
    if (innerDontFragment)
    {
        outerHeader.SetDontFragment();
    }
    else
    {
        outerHeader.SetMayFragment();
    }

    if (ah)
    {
        uint64_t sequence = ah->NextSequenceNumber(space);
        if (sequence == 0)
        {
            ah->GetCounters().sendErrors++;
            NotifyDrop(packet, IpsecDropReason::SEQUENCE_EXHAUSTED, ah);
            return nullptr;
        }
        IpsecIntegrityCheck* integrity = ah->GetIntegrityCheck();
        uint32_t ahLength = AhHeader::FIXED_SIZE + integrity->GetIcvLength();
        uint32_t header = start - ahLength;
        uint8_t* ahBytes = buffer + header;
        ahBytes[0] = nextHeader;
        ahBytes[1] = static_cast<uint8_t>(ahLength / 4 - 2);
        ahBytes[2] = 0;
        ahBytes[3] = 0;
        WriteU32(ahBytes + 4, ah->GetSpi());
        WriteU32(ahBytes + 8, static_cast<uint32_t>(sequence));
        std::fill(ahBytes + AhHeader::FIXED_SIZE, ahBytes + ahLength, 0);

        // The ICV covers the outer header's immutable fields, AH with a zero ICV, and the payload.
        uint8_t pseudoHeader[20];
        WriteAhPseudoHeader(outerHeader,
                            static_cast<uint16_t>(20 + ahLength + length),
                            pseudoHeader);
        integrity->Begin();
        integrity->Update(pseudoHeader, sizeof(pseudoHeader));
        integrity->Update(ahBytes, ahLength + length);
        if (ah->IsExtendedSequenceNumbers())
        {
            uint8_t high[4];
            WriteU32(high, static_cast<uint32_t>(sequence >> 32));
            integrity->Update(high, 4);
        }
        integrity->Finish(ahBytes + AhHeader::FIXED_SIZE);

        IpsecSaCounters& counters = ah->GetCounters();
        counters.encaps++;
        counters.digest++;
        ahVolumeMark = ah->AddBytes(length);
        ah->Touch();

        start = header;
        length += ahLength;
        nextHeader = static_cast<uint8_t>(IpsecProtocol::AH);
    }

    if (length + 20 > MAX_IPV4_PACKET)
    {
        first->GetCounters().sendErrors++;
        NotifyDrop(packet, IpsecDropReason::PACKET_TOO_BIG, first);
        return nullptr;
    }
    outerHeader.SetProtocol(nextHeader);
    outerHeader.SetPayloadSize(length);
    if (Node::ChecksumEnabled())
    {
        outerHeader.EnableChecksum();
    }

    Ptr<Packet> result = Create<Packet>(buffer + start, length);

    // Keep the socket priority so priority queue discs below still tell classes apart.
    // (IpsecNetDevice::SendDown derives one from the TOS when the packet carries none.)
    SocketPriorityTag priority;
    if (packet->PeekPacketTag(priority))
    {
        result->AddPacketTag(priority);
    }
    NS_LOG_LOGIC("protected " << size << " bytes into " << length + 20 << " with spi "
                              << FormatSpi(first->GetSpi()));
    m_encryptTrace(result, first);

    // Rare events, each behind one flag test: a dead peer detection watch, a volume mark.
    if ((esp && esp->IsSendWatched()) || (ah && ah->IsSendWatched()))
    {
        ReportSendObserved(bundle);
    }
    if (espVolumeMark)
    {
        HandleVolumeMark(esp);
    }
    if (ahVolumeMark)
    {
        HandleVolumeMark(ah);
    }
    return result;
}

namespace
{

/// \return the key that identifies an outer packet among those seen as fragments
uint64_t
FragmentKey(Ipv4Address source, uint16_t identification, uint8_t protocol)
{
    return (static_cast<uint64_t>(source.Get()) << 32) |
           (static_cast<uint64_t>(identification) << 8) | protocol;
}

/// Outer packets remembered as fragmented. Older ones are forgotten, because their
/// reassembly timed out or failed.
constexpr size_t MAX_FRAGMENTED_OUTER = 4096;

} // namespace

IpsecDfBitPolicy
IpsecStack::GetDfBitPolicy() const
{
    return m_dfBit;
}

bool
IpsecStack::IsPreFragmentationEnabled() const
{
    return m_preFragmentation;
}

void
IpsecStack::NotifyOuterFragment(Ipv4Address source, uint16_t identification, uint8_t protocol)
{
    uint64_t key = FragmentKey(source, identification, protocol);
    if (!m_fragmentedOuter.insert(key).second)
    {
        return;
    }
    m_fragmentedOrder.push_back(key);
    if (m_fragmentedOrder.size() > MAX_FRAGMENTED_OUTER)
    {
        m_fragmentedOuter.erase(m_fragmentedOrder.front());
        m_fragmentedOrder.pop_front();
    }
}

uint64_t
IpsecStack::GetReassembledCount() const
{
    return m_reassembled;
}

void
IpsecStack::Receive(IpsecProtocol protocol,
                    Ptr<Packet> packet,
                    const Ipv4Header& outerHeader,
                    Ptr<Ipv4Interface> incomingInterface)
{
    NS_LOG_FUNCTION(this << packet << outerHeader);

    // A packet IPv4 had to reassemble takes the slow path: one at a time, at extra cost.
    uint64_t key = FragmentKey(outerHeader.GetSource(),
                               outerHeader.GetIdentification(),
                               static_cast<uint8_t>(protocol));
    if (m_fragmentedOuter.erase(key) == 0)
    {
        SubmitToEngine(protocol, packet, outerHeader, incomingInterface);
        return;
    }
    ++m_reassembled;
    if (m_reassemblyDelay.IsZero())
    {
        SubmitToEngine(protocol, packet, outerHeader, incomingInterface);
        return;
    }
    if (m_slowPathQueued >= m_reassemblyQueueLimit)
    {
        NotifyDrop(packet, IpsecDropReason::REASSEMBLY_QUEUE_FULL, nullptr);
        return;
    }
    Time start = std::max(Simulator::Now(), m_slowPathFreeAt);
    m_slowPathFreeAt = start + m_reassemblyDelay;
    ++m_slowPathQueued;
    NS_LOG_LOGIC("reassembled packet from " << outerHeader.GetSource() << " on the slow path until "
                                            << m_slowPathFreeAt.As(Time::US));
    Ipv4Header header = outerHeader;
    uint32_t bootCount = m_bootCount;
    Simulator::Schedule(m_slowPathFreeAt - Simulator::Now(), [=]() {
        // A reboot since then dropped the slow path's packets.
        if (bootCount != m_bootCount)
        {
            return;
        }
        --m_slowPathQueued;
        SubmitToEngine(protocol, packet, header, incomingInterface);
    });
}

void
IpsecStack::SubmitToEngine(IpsecProtocol protocol,
                           Ptr<Packet> packet,
                           const Ipv4Header& outerHeader,
                           Ptr<Ipv4Interface> incomingInterface)
{
    // An interface with an engine of its own decrypts there, every other on the node's.
    Ptr<IpsecNetDevice> device = DynamicCast<IpsecNetDevice>(incomingInterface->GetDevice());
    Ptr<IpsecCryptoEngine> engine = device ? device->GetCryptoEngine() : m_cryptoEngine;
    if (!engine->IsEnabled())
    {
        engine->CountBypassed(packet->GetSize(), false);
        ReceiveNow(protocol, packet, outerHeader, incomingInterface);
        return;
    }

    // Decryption happens when the worker is done. The outer TOS gives the priority LLQ reads.
    Ipv4Header header = outerHeader;
    Ptr<Packet> copy = packet->Copy();
    SocketPriorityTag priority;
    priority.SetPriority(Socket::IpTos2Priority(header.GetTos()));
    copy->ReplacePacketTag(priority);
    auto start = [this, protocol, packet, header, incomingInterface]() -> std::function<void()> {
        return [this, protocol, packet, header, incomingInterface]() {
            ReceiveNow(protocol, packet, header, incomingInterface);
        };
    };
    if (!engine->Submit(Create<IpsecCryptoJob>(copy, header, false, start)))
    {
        NotifyDrop(packet, IpsecDropReason::CRYPTO_QUEUE_FULL, nullptr);
    }
}

Ptr<IpsecCryptoEngine>
IpsecStack::GetCryptoEngine() const
{
    return m_cryptoEngine;
}

void
IpsecStack::ReceiveNow(IpsecProtocol protocol,
                       Ptr<Packet> packet,
                       Ipv4Header outerHeader,
                       Ptr<Ipv4Interface> incomingInterface)
{
    uint32_t size = packet->GetSize();
    if (size + HEADROOM > m_scratch.size())
    {
        NotifyDrop(packet, IpsecDropReason::MALFORMED, nullptr);
        return;
    }
    packet->CopyData(m_scratch.data() + HEADROOM, size);
    if (protocol == IpsecProtocol::ESP)
    {
        ReceiveEspAt(HEADROOM, size, outerHeader, incomingInterface, packet, nullptr);
    }
    else
    {
        ReceiveAhAt(HEADROOM, size, outerHeader, incomingInterface, packet);
    }
}

bool
IpsecStack::CheckReplay(Ptr<IpsecSecurityAssociation> sa,
                        uint32_t low,
                        Ptr<const Packet> packet,
                        uint64_t& sequence,
                        uint32_t& space)
{
    // With sequence-number spaces the top bits choose the window; a forged index is invalid.
    space = sa->GetSequenceSpace(low);
    if (space >= sa->GetSequenceSpaceCount())
    {
        sa->GetCounters().recvErrors++;
        NotifyDrop(packet, IpsecDropReason::MALFORMED, sa);
        return false;
    }
    const AntiReplayWindow& window = sa->GetReplayWindow(space);
    sequence = window.InferSequenceNumber(low);
    AntiReplayWindow::Verdict verdict = window.Check(sequence);
    if (verdict == AntiReplayWindow::Verdict::NEW)
    {
        return true;
    }

    IpsecDropReason reason = verdict == AntiReplayWindow::Verdict::DUPLICATE
                                 ? IpsecDropReason::REPLAY_DUPLICATE
                                 : IpsecDropReason::REPLAY_TOO_OLD;
    IpsecSaCounters& counters = sa->GetCounters();
    (reason == IpsecDropReason::REPLAY_DUPLICATE ? counters.replayDuplicate
                                                 : counters.replayTooOld)++;
    counters.recvErrors++;
    sa->RecordReplayDrop(sequence, space, reason == IpsecDropReason::REPLAY_DUPLICATE);
    NS_LOG_DEBUG("replay drop on spi " << FormatSpi(sa->GetSpi()) << ": seq " << sequence
                                       << ", window top " << window.GetTop() << ", size "
                                       << window.GetSize() << ", " << IpsecDropReasonName(reason));
    m_syslog->Log("CRYPTO",
                  4,
                  "PKT_REPLAY_ERR",
                  "decrypt: replay check failed connection id=" +
                      std::to_string(sa->GetConnectionId()));
    m_replayDropTrace(packet, sa, sequence, window.GetTop(), reason);
    NotifyDrop(packet, reason, sa);
    return false;
}

void
IpsecStack::ReceiveEspAt(uint32_t offset,
                         uint32_t length,
                         const Ipv4Header& outerHeader,
                         Ptr<Ipv4Interface> incomingInterface,
                         Ptr<const Packet> packet,
                         Ptr<IpsecSecurityAssociation> ahSa)
{
    uint8_t* data = m_scratch.data() + offset;
    if (length < EspHeader::SIZE)
    {
        NotifyDrop(packet, IpsecDropReason::MALFORMED, nullptr);
        return;
    }

    // Find the SA by SPI, protocol and destination (RFC 4301 section 4.1).
    uint32_t spi = ReadU32(data);
    Ptr<IpsecSecurityAssociation> sa = m_sadb->FindInbound(spi, IpsecProtocol::ESP);
    if (!sa || sa->GetLocalAddress() != outerHeader.GetDestination())
    {
        NotifyInvalidSpi(packet, outerHeader, IpsecProtocol::ESP, spi);
        return;
    }
    IpsecCipher* cipher = sa->GetCipher();
    IpsecIntegrityCheck* integrity = sa->GetIntegrityCheck();
    uint32_t ivLength = cipher->GetIvLength();
    uint32_t alignment = cipher->GetPadAlignment();
    uint32_t tagLength = cipher->GetTagLength();
    uint32_t hmacLength = integrity ? integrity->GetIcvLength() : 0;
    uint32_t overhead = EspHeader::SIZE + ivLength + tagLength + hmacLength;
    if (length < overhead + alignment || (length - overhead) % alignment != 0)
    {
        sa->GetCounters().recvErrors++;
        NotifyDrop(packet, IpsecDropReason::MALFORMED, sa);
        return;
    }
    uint32_t encrypted = length - overhead;

    // The replay check runs before verification to drop early, without touching the window.
    uint64_t sequence;
    uint32_t space;
    if (!CheckReplay(sa, ReadU32(data + 4), packet, sequence, space))
    {
        return;
    }

    if (integrity)
    {
        uint8_t expected[32];
        integrity->Begin();
        integrity->Update(data, length - hmacLength);
        if (sa->IsExtendedSequenceNumbers())
        {
            uint8_t high[4];
            WriteU32(high, static_cast<uint32_t>(sequence >> 32));
            integrity->Update(high, 4);
        }
        integrity->Finish(expected);
        if (!integrity->Equal(expected, data + length - hmacLength))
        {
            sa->GetCounters().recvErrors++;
            NS_LOG_DEBUG("ICV mismatch on spi " << FormatSpi(spi) << " seq " << sequence);
            NotifyDrop(packet, IpsecDropReason::AUTHENTICATION_FAILED, sa);
            return;
        }
    }

    uint8_t aad[12];
    uint32_t aadLength = WriteGcmAad(aad, spi, sequence, sa->IsExtendedSequenceNumbers());
    uint8_t* payload = data + EspHeader::SIZE + ivLength;
    if (!cipher->Decrypt(data + EspHeader::SIZE,
                         payload,
                         encrypted,
                         cipher->IsAead() ? aad : nullptr,
                         cipher->IsAead() ? aadLength : 0,
                         payload + encrypted))
    {
        sa->GetCounters().recvErrors++;
        NS_LOG_DEBUG("decryption or tag check failed on spi " << FormatSpi(spi) << " seq "
                                                              << sequence);
        NotifyDrop(packet, IpsecDropReason::AUTHENTICATION_FAILED, sa);
        return;
    }

    // Padding must be the monotonic sequence ESP's default scheme writes.
    uint8_t padLength = payload[encrypted - 2];
    uint8_t nextHeader = payload[encrypted - 1];
    bool paddingValid = padLength + 2u <= encrypted;
    for (uint32_t i = 0; paddingValid && i < padLength; ++i)
    {
        paddingValid = payload[encrypted - 2 - padLength + i] == i + 1;
    }
    if (!paddingValid)
    {
        sa->GetCounters().recvErrors++;
        NotifyDrop(packet, IpsecDropReason::MALFORMED, sa);
        return;
    }

    // Only an authentic packet moves the window (RFC 4303 section 3.4.3).
    sa->AcceptSequenceNumber(sequence, space);
    IpsecSaCounters& counters = sa->GetCounters();
    counters.decaps++;
    counters.decrypt++;
    counters.verify += (integrity || cipher->IsAead()) ? 1 : 0;
    bool volumeMark = sa->AddBytes(encrypted - padLength - 2);
    sa->Touch();

    // A dummy packet (RFC 4303 section 2.6) is discarded silently after verification.
    if (nextHeader != NO_NEXT_HEADER)
    {
        Deliver(sa,
                ahSa,
                nextHeader,
                offset + EspHeader::SIZE + ivLength,
                encrypted - padLength - 2,
                outerHeader,
                incomingInterface,
                packet);
    }

    // The packet that reaches the volume lifetime is delivered; its set goes after it.
    if (volumeMark)
    {
        HandleVolumeMark(sa);
    }
}

void
IpsecStack::ReceiveAhAt(uint32_t offset,
                        uint32_t length,
                        const Ipv4Header& outerHeader,
                        Ptr<Ipv4Interface> incomingInterface,
                        Ptr<const Packet> packet)
{
    uint8_t* data = m_scratch.data() + offset;
    if (length < AhHeader::FIXED_SIZE)
    {
        NotifyDrop(packet, IpsecDropReason::MALFORMED, nullptr);
        return;
    }
    uint32_t spi = ReadU32(data + 4);
    Ptr<IpsecSecurityAssociation> sa = m_sadb->FindInbound(spi, IpsecProtocol::AH);
    if (!sa || sa->GetLocalAddress() != outerHeader.GetDestination())
    {
        NotifyInvalidSpi(packet, outerHeader, IpsecProtocol::AH, spi);
        return;
    }
    IpsecIntegrityCheck* integrity = sa->GetIntegrityCheck();
    uint32_t icvLength = integrity->GetIcvLength();
    uint32_t ahLength = (static_cast<uint32_t>(data[1]) + 2) * 4;
    if (ahLength != AhHeader::FIXED_SIZE + icvLength || ahLength > length)
    {
        sa->GetCounters().recvErrors++;
        NotifyDrop(packet, IpsecDropReason::MALFORMED, sa);
        return;
    }

    uint64_t sequence;
    uint32_t space;
    if (!CheckReplay(sa, ReadU32(data + 8), packet, sequence, space))
    {
        return;
    }

    // Verify over the pseudo header, AH with its ICV zeroed, and the payload.
    uint8_t received[32];
    std::copy(data + AhHeader::FIXED_SIZE, data + ahLength, received);
    std::fill(data + AhHeader::FIXED_SIZE, data + ahLength, 0);
    uint8_t pseudoHeader[20];
    WriteAhPseudoHeader(outerHeader, static_cast<uint16_t>(20 + length), pseudoHeader);
    uint8_t expected[32];
    integrity->Begin();
    integrity->Update(pseudoHeader, sizeof(pseudoHeader));
    integrity->Update(data, length);
    if (sa->IsExtendedSequenceNumbers())
    {
        uint8_t high[4];
        WriteU32(high, static_cast<uint32_t>(sequence >> 32));
        integrity->Update(high, 4);
    }
    integrity->Finish(expected);
    if (!integrity->Equal(expected, received))
    {
        sa->GetCounters().recvErrors++;
        NS_LOG_DEBUG("AH ICV mismatch on spi " << FormatSpi(spi) << " seq " << sequence);
        NotifyDrop(packet, IpsecDropReason::AUTHENTICATION_FAILED, sa);
        return;
    }

    sa->AcceptSequenceNumber(sequence, space);
    IpsecSaCounters& counters = sa->GetCounters();
    counters.decaps++;
    counters.verify++;
    bool volumeMark = sa->AddBytes(length - ahLength);
    sa->Touch();

    uint8_t nextHeader = data[0];
    if (nextHeader == static_cast<uint8_t>(IpsecProtocol::ESP))
    {
        ReceiveEspAt(offset + ahLength,
                     length - ahLength,
                     outerHeader,
                     incomingInterface,
                     packet,
                     sa);
    }
    else
    {
        Deliver(sa,
                nullptr,
                nextHeader,
                offset + ahLength,
                length - ahLength,
                outerHeader,
                incomingInterface,
                packet);
    }

    // Only after the inner ESP SA was used, because deleting the set removes it too.
    if (volumeMark)
    {
        HandleVolumeMark(sa);
    }
}

void
IpsecStack::Deliver(Ptr<IpsecSecurityAssociation> sa,
                    Ptr<IpsecSecurityAssociation> ahSa,
                    uint8_t nextHeader,
                    uint32_t offset,
                    uint32_t length,
                    const Ipv4Header& outerHeader,
                    Ptr<Ipv4Interface> incomingInterface,
                    Ptr<const Packet> packet)
{
    const uint8_t* data = m_scratch.data() + offset;
    Ptr<Packet> inner;
    Ipv4FlowTuple tuple;
    bool tunnel = sa->GetMode() == IpsecMode::TUNNEL;

    // RFC 4301 section 5.2: the packet must have passed every SA of the transform set, so
    // stripping AH from an AH+ESP bundle, or ESP from it, does not get a packet through.
    const IpsecTransformSet& set = sa->GetTransformSet();
    bool passedAh = ahSa || sa->GetProtocol() == IpsecProtocol::AH;
    bool passedEsp = sa->GetProtocol() == IpsecProtocol::ESP;
    bool sameEntry = !ahSa || (ahSa->GetCryptoMapName() == sa->GetCryptoMapName() &&
                               ahSa->GetCryptoMapSequence() == sa->GetCryptoMapSequence());
    if (set.HasAh() != passedAh || set.HasEsp() != passedEsp || !sameEntry)
    {
        sa->GetCounters().recvErrors++;
        NS_LOG_DEBUG("packet on spi " << FormatSpi(sa->GetSpi())
                                      << " did not pass every SA of transform set "
                                      << set.GetDescription());
        NotifyDrop(packet, IpsecDropReason::POLICY_MISMATCH, sa);
        return;
    }

    if (tunnel)
    {
        uint32_t headerLength = 0;
        if (nextHeader != IP_IN_IP || !ReadIpv4FlowTuple(data, length, tuple, headerLength))
        {
            sa->GetCounters().recvErrors++;
            NotifyDrop(packet, IpsecDropReason::MALFORMED, sa);
            return;
        }
        uint16_t totalLength = ReadU16(data + 2);
        bool firstFragment = (ReadU16(data + 6) & 0x1fff) == 0;
        if (totalLength < headerLength || totalLength > length ||
            (firstFragment &&
             !HasTransportHeader(tuple.protocol, data + headerLength, totalLength - headerLength)))
        {
            sa->GetCounters().recvErrors++;
            NotifyDrop(packet, IpsecDropReason::MALFORMED, sa);
            return;
        }
        inner = Create<Packet>(data, totalLength);
    }
    else
    {
        if (!HasTransportHeader(nextHeader, data, length))
        {
            sa->GetCounters().recvErrors++;
            NotifyDrop(packet, IpsecDropReason::MALFORMED, sa);
            return;
        }
        tuple.source = outerHeader.GetSource();
        tuple.destination = outerHeader.GetDestination();
        tuple.protocol = nextHeader;
        tuple.dscp = outerHeader.GetDscp();
        tuple.hasPorts = (nextHeader == 6 || nextHeader == 17) && length >= 4;
        tuple.sourcePort = tuple.hasPorts ? ReadU16(data) : 0;
        tuple.destinationPort = tuple.hasPorts ? ReadU16(data + 2) : 0;
    }

    // RFC 4301 section 5.2: what comes out of an SA must match that SA's selectors.
    Ptr<const Ipv4AccessList> selectors = sa->GetSelectors();
    if (selectors && selectors->Evaluate(tuple.Mirror()) != Ipv4AccessList::Action::PERMIT)
    {
        sa->GetCounters().recvErrors++;
        NS_LOG_DEBUG("decrypted packet " << tuple.source << " -> " << tuple.destination
                                         << " is outside the selectors of spi "
                                         << FormatSpi(sa->GetSpi()));
        NotifyDrop(packet, IpsecDropReason::POLICY_MISMATCH, sa);
        return;
    }

    if (!tunnel)
    {
        Ipv4Header header = outerHeader;
        header.SetProtocol(nextHeader);
        header.SetPayloadSize(length);
        header.SetFragmentOffset(0);
        header.SetLastFragment();
        if (Node::ChecksumEnabled())
        {
            header.EnableChecksum();
        }
        inner = Create<Packet>(data, length);
        inner->AddHeader(header);
    }

    m_decryptTrace(inner, sa);

    // A virtual tunnel interface's SAs deliver on that interface, crypto maps on the one the
    // outer packet used.
    Ptr<NetDevice> device =
        sa->GetTunnelDevice() ? sa->GetTunnelDevice() : incomingInterface->GetDevice();
    m_ipv4->Receive(device,
                    inner,
                    Ipv4L3Protocol::PROT_NUMBER,
                    device->GetAddress(),
                    device->GetAddress(),
                    NetDevice::PACKET_HOST);
}

void
IpsecStack::NotifyInvalidSpi(Ptr<const Packet> packet,
                             const Ipv4Header& outerHeader,
                             IpsecProtocol protocol,
                             uint32_t spi)
{
    NS_LOG_DEBUG("invalid SPI " << FormatSpi(spi) << " from " << outerHeader.GetSource());

    // A flood of stale packets is mostly rate-limited, so the text is built only for the
    // messages the log stores.
    if (!m_syslog->CountIfRateLimited("RECV_PKT_INV_SPI"))
    {
        std::ostringstream text;
        text << "decaps: rec'd IPSEC packet has invalid spi for destaddr="
             << outerHeader.GetDestination() << ", prot=" << static_cast<int>(protocol)
             << ", spi=" << FormatSpi(spi) << ", srcaddr=" << outerHeader.GetSource();
        m_syslog->Log("CRYPTO", 4, "RECV_PKT_INV_SPI", text.str());
    }
    NotifyDrop(packet, IpsecDropReason::INVALID_SPI, nullptr);

    // Every such packet goes to the key manager, which rate-limits its recovery itself.
    if (m_keyManager)
    {
        m_keyManager->InvalidSpi(outerHeader.GetSource(),
                                 outerHeader.GetDestination(),
                                 protocol,
                                 spi);
    }
}

void
IpsecStack::NotifyDrop(Ptr<const Packet> packet,
                       IpsecDropReason reason,
                       Ptr<const IpsecSecurityAssociation> sa)
{
    NS_LOG_LOGIC("drop: " << IpsecDropReasonName(reason)
                          << (sa ? ", spi " + FormatSpi(sa->GetSpi()) : std::string()));
    m_drops[reason]++;
    m_dropTrace(packet, reason, sa);
}

uint64_t
IpsecStack::GetDropCount(IpsecDropReason reason) const
{
    auto found = m_drops.find(reason);
    return found == m_drops.end() ? 0 : found->second;
}

void
IpsecStack::ClearSas()
{
    NS_LOG_FUNCTION(this);
    NS_LOG_INFO("node " << (m_node ? m_node->GetId() : 0) << ": clear crypto sa, "
                        << m_sadb->GetSaCount() << " SAs deleted");
    std::vector<uint32_t> ids;
    for (const auto& [id, set] : m_sets)
    {
        ids.push_back(id);
    }
    for (uint32_t id : ids)
    {
        RemoveSet(id, IpsecSaDeleteReason::CLEARED);
    }

    // SAs in no set (those of virtual tunnel interfaces) go too.
    for (const auto& sa : m_sadb->GetInboundSas())
    {
        m_deleted[IpsecSaDeleteReason::CLEARED]++;
        m_saDeletedTrace(sa, IpsecSaDeleteReason::CLEARED);
    }
    m_sadb->Clear();
}

void
IpsecStack::ShowSaList(std::ostream& os,
                       const std::vector<Ptr<IpsecSecurityAssociation>>& sas) const
{
    for (const auto& sa : sas)
    {
        const IpsecTransformSet& set = sa->GetTransformSet();
        bool esp = sa->GetProtocol() == IpsecProtocol::ESP;
        os << "    spi: " << FormatSpi(sa->GetSpi()) << "\n";
        os << "      transform: " << (esp ? set.GetEspDescription() : set.GetAhDescription())
           << ",\n";
        os << "      in use settings ={"
           << (sa->GetMode() == IpsecMode::TUNNEL ? "Tunnel" : "Transport") << ", }\n";
        os << "      slot: 0, conn id: " << sa->GetConnectionId()
           << ", flow_id: " << sa->GetFlowId() << ", crypto map: " << sa->GetCryptoMapName()
           << "\n";
        os << "      crypto engine type: " << (sa->IsModelled() ? "Modelled" : "Software") << "\n";
        os << "      sa timing: remaining key lifetime (k/sec): (" << sa->GetRemainingKilobytes()
           << "/" << sa->GetRemainingSeconds() << ")\n";
        if (esp)
        {
            os << "      IV size: " << sa->GetCipher()->GetIvLength() << " bytes\n";
        }
        const AntiReplayWindow& window = sa->GetReplayWindow();
        os << "      replay detection support: " << (window.IsEnabled() ? "Y" : "N") << "\n";
        if (window.IsEnabled() && sa->GetDirection() == IpsecDirection::INBOUND)
        {
            // Not in the guide's layout: later IOS releases print the window size here.
            os << "      replay window size: " << window.GetSize() << "\n";
        }
    }
}

void
IpsecStack::ShowCryptoIpsecSa(std::ostream& os) const
{
    std::vector<Ptr<IpsecSecurityAssociation>> inbound = m_sadb->GetInboundSas();
    std::vector<Ptr<IpsecSecurityAssociation>> outbound = m_sadb->GetOutboundSas();

    for (const auto& device : m_devices)
    {
        Ptr<CryptoMap> cryptoMap = device->GetCryptoMap();
        if (!cryptoMap)
        {
            continue;
        }
        os << "interface: " << device->GetInterfaceName() << "\n";
        os << "  Crypto map tag: " << cryptoMap->GetName() << ", local addr. "
           << device->GetIpv4Address() << "\n";

        for (const auto& entry : cryptoMap->GetEntries())
        {
            Ptr<Ipv4AccessList> acl = entry->GetAccessList();
            if (!acl)
            {
                continue;
            }

            // The SAs of this entry, found by the crypto map name and entry they record.
            auto select = [&](const std::vector<Ptr<IpsecSecurityAssociation>>& all,
                              IpsecProtocol protocol) {
                std::vector<Ptr<IpsecSecurityAssociation>> chosen;
                for (const auto& sa : all)
                {
                    if (sa->GetCryptoMapName() == cryptoMap->GetName() &&
                        sa->GetCryptoMapSequence() == entry->GetSequence() &&
                        sa->GetProtocol() == protocol)
                    {
                        chosen.push_back(sa);
                    }
                }
                return chosen;
            };
            auto inEsp = select(inbound, IpsecProtocol::ESP);
            auto inAh = select(inbound, IpsecProtocol::AH);
            auto outEsp = select(outbound, IpsecProtocol::ESP);
            auto outAh = select(outbound, IpsecProtocol::AH);

            // A bundle counts each packet once, on its ESP SA when it has one.
            IpsecSaCounters total;
            for (const auto& sa : outEsp.empty() ? outAh : outEsp)
            {
                total.encaps += sa->GetCounters().encaps;
                total.encrypt += sa->GetCounters().encrypt;
                total.digest += sa->GetCounters().digest;
            }
            for (const auto& sa : inEsp.empty() ? inAh : inEsp)
            {
                total.decaps += sa->GetCounters().decaps;
                total.decrypt += sa->GetCounters().decrypt;
                total.verify += sa->GetCounters().verify;
            }
            for (const auto& list : {inEsp, inAh, outEsp, outAh})
            {
                for (const auto& sa : list)
                {
                    total.recvErrors += sa->GetCounters().recvErrors;
                    total.sendErrors += sa->GetCounters().sendErrors;
                }
            }
            Ptr<IpsecSaBundle> bundle = entry->GetOutboundBundle();
            Ptr<IpsecSecurityAssociation> current;
            if (bundle)
            {
                current = bundle->esp ? bundle->esp : bundle->ah;
            }
            uint16_t mediaMtu = device->GetLowerDevice() ? device->GetLowerDevice()->GetMtu() : 0;
            bool isakmp = entry->GetKeyManagement() == CryptoMapEntry::KeyManagement::ISAKMP;

            for (const auto& line : acl->GetEntries())
            {
                if (!line.permit)
                {
                    continue;
                }
                uint16_t sourcePort =
                    line.sourcePortOperator == Ipv4AccessListEntry::PortOperator::EQ
                        ? line.sourcePortLow
                        : 0;
                uint16_t destinationPort =
                    line.destinationPortOperator == Ipv4AccessListEntry::PortOperator::EQ
                        ? line.destinationPortLow
                        : 0;
                os << "  protected vrf:\n";
                os << "  local ident (addr/mask/prot/port): "
                   << FormatIdent(line.source, line.sourceWildcard, line.protocol, sourcePort)
                   << "\n";
                os << "  remote ident (addr/mask/prot/port): "
                   << FormatIdent(line.destination,
                                  line.destinationWildcard,
                                  line.protocol,
                                  destinationPort)
                   << "\n";
                os << "  current_peer: " << entry->GetCurrentPeer() << ":" << (isakmp ? 500 : 0)
                   << "\n";
                os << "    PERMIT, flags={origin_is_acl,}\n";
                os << "    #pkts encaps: " << total.encaps << ", #pkts encrypt: " << total.encrypt
                   << ", #pkts digest: " << total.digest << "\n";
                os << "    #pkts decaps: " << total.decaps << ", #pkts decrypt: " << total.decrypt
                   << ", #pkts verify: " << total.verify << "\n";
                os << "    #pkts compressed: 0, #pkts decompressed: 0\n";
                os << "    #pkts not compressed: 0, #pkts compr. failed: 0\n";
                os << "    #pkts not decompressed: 0, #pkts decompress failed: 0\n";
                os << "    #send errors " << total.sendErrors << ", #recv errors "
                   << total.recvErrors << "\n";
                os << "    local crypto endpt.: " << device->GetIpv4Address()
                   << ", remote crypto endpt.: " << entry->GetCurrentPeer() << "\n";
                os << "    path mtu " << device->GetMtu() << ", media mtu " << mediaMtu << "\n";
                os << "    current outbound spi: " << std::uppercase << std::hex
                   << (current ? current->GetSpi() : 0) << std::dec << std::nouppercase << "\n";
                os << "  inbound esp sas:\n";
                ShowSaList(os, inEsp);
                os << "  inbound ah sas:\n";
                ShowSaList(os, inAh);
                os << "  inbound pcp sas:\n";
                os << "  outbound esp sas:\n";
                ShowSaList(os, outEsp);
                os << "  outbound ah sas:\n";
                ShowSaList(os, outAh);
                os << "  outbound pcp sas:\n";
            }
        }
    }

    // Virtual tunnel interfaces: the SAs of each tunnel under its interface name.
    for (uint32_t i = 0; m_node && i < m_node->GetNDevices(); ++i)
    {
        Ptr<IpsecTunnelNetDevice> tunnel = DynamicCast<IpsecTunnelNetDevice>(m_node->GetDevice(i));
        if (tunnel)
        {
            ShowTunnel(os, tunnel);
        }
    }
}

void
IpsecStack::ShowTunnel(std::ostream& os, Ptr<IpsecTunnelNetDevice> tunnel) const
{
    std::vector<Ptr<IpsecSecurityAssociation>> inEsp;
    std::vector<Ptr<IpsecSecurityAssociation>> inAh;
    for (const auto& sa : tunnel->GetInboundSas())
    {
        (sa->GetProtocol() == IpsecProtocol::ESP ? inEsp : inAh).push_back(sa);
    }
    std::vector<Ptr<IpsecSecurityAssociation>> outEsp;
    std::vector<Ptr<IpsecSecurityAssociation>> outAh;
    Ptr<IpsecSaBundle> bundle = tunnel->GetOutboundBundle();
    if (bundle && bundle->esp)
    {
        outEsp.push_back(bundle->esp);
    }
    if (bundle && bundle->ah)
    {
        outAh.push_back(bundle->ah);
    }
    Ptr<IpsecSecurityAssociation> outbound = outEsp.empty() ? nullptr : outEsp.front();
    if (!outbound && !outAh.empty())
    {
        outbound = outAh.front();
    }
    Ptr<IpsecSecurityAssociation> inbound = inEsp.empty() ? nullptr : inEsp.front();
    if (!inbound && !inAh.empty())
    {
        inbound = inAh.front();
    }
    IpsecSaCounters none;
    const IpsecSaCounters& sent = outbound ? outbound->GetCounters() : none;
    const IpsecSaCounters& received = inbound ? inbound->GetCounters() : none;

    os << "interface: " << tunnel->GetInterfaceName() << "\n";
    os << "  Crypto map tag: " << tunnel->GetInterfaceName() << "-head-0, local addr "
       << tunnel->GetTunnelSource() << "\n";
    os << "  protected vrf:\n";
    os << "  local ident (addr/mask/prot/port): (0.0.0.0/0.0.0.0/0/0)\n";
    os << "  remote ident (addr/mask/prot/port): (0.0.0.0/0.0.0.0/0/0)\n";
    os << "  current_peer: " << tunnel->GetTunnelDestination() << ":0\n";
    os << "    PERMIT, flags={origin_is_acl,}\n";
    os << "    #pkts encaps: " << sent.encaps << ", #pkts encrypt: " << sent.encrypt
       << ", #pkts digest: " << sent.digest << "\n";
    os << "    #pkts decaps: " << received.decaps << ", #pkts decrypt: " << received.decrypt
       << ", #pkts verify: " << received.verify << "\n";
    os << "    #pkts compressed: 0, #pkts decompressed: 0\n";
    os << "    #pkts not compressed: 0, #pkts compr. failed: 0\n";
    os << "    #pkts not decompressed: 0, #pkts decompress failed: 0\n";
    os << "    #send errors " << sent.sendErrors << ", #recv errors " << received.recvErrors
       << "\n";
    os << "    local crypto endpt.: " << tunnel->GetTunnelSource()
       << ", remote crypto endpt.: " << tunnel->GetTunnelDestination() << "\n";
    os << "    path mtu " << tunnel->GetMtu() << ", media mtu " << tunnel->GetMtu() << "\n";
    os << "    current outbound spi: " << std::uppercase << std::hex
       << (outbound ? outbound->GetSpi() : 0) << std::dec << std::nouppercase << "\n";
    os << "  inbound esp sas:\n";
    ShowSaList(os, inEsp);
    os << "  inbound ah sas:\n";
    ShowSaList(os, inAh);
    os << "  inbound pcp sas:\n";
    os << "  outbound esp sas:\n";
    ShowSaList(os, outEsp);
    os << "  outbound ah sas:\n";
    ShowSaList(os, outAh);
    os << "  outbound pcp sas:\n";
}

void
IpsecStack::WriteWiresharkEspSa(std::ostream& os) const
{
    for (const auto& sa : m_sadb->GetInboundSas())
    {
        WriteWiresharkEspSa(os, sa);
    }
    for (const auto& sa : m_sadb->GetOutboundSas())
    {
        WriteWiresharkEspSa(os, sa);
    }
}

void
IpsecStack::WriteWiresharkEspSa(std::ostream& os, Ptr<const IpsecSecurityAssociation> sa)
{
    auto hex = [](const std::vector<uint8_t>& bytes) {
        std::ostringstream text;
        text << "0x";
        for (uint8_t byte : bytes)
        {
            text << std::hex << std::setw(2) << std::setfill('0') << static_cast<int>(byte);
        }
        return text.str();
    };

    // Modelled SAs carry no real ciphertext or HMAC, so Wireshark could not use them.
    if (sa->GetProtocol() != IpsecProtocol::ESP || sa->IsModelled())
    {
        return;
    }
    bool inbound = sa->GetDirection() == IpsecDirection::INBOUND;
    Ipv4Address source = inbound ? sa->GetPeerAddress() : sa->GetLocalAddress();
    Ipv4Address destination = inbound ? sa->GetLocalAddress() : sa->GetPeerAddress();
    const IpsecTransformSet& set = sa->GetTransformSet();

    std::string encryption = "NULL";
    std::string encryptionKey;
    switch (set.GetEspEncryption())
    {
    case IpsecEncryption::AES_CBC:
        encryption = "AES-CBC [RFC3602]";
        encryptionKey = hex(sa->GetEncryptionKey());
        break;
    case IpsecEncryption::AES_GCM:
        encryption = "AES-GCM with 16 octet ICV [RFC4106]";
        encryptionKey = hex(sa->GetEncryptionKey());
        break;
    default:
        break;
    }
    std::string authentication = "NULL";
    switch (set.GetEspIntegrity())
    {
    case IpsecIntegrity::HMAC_SHA1_96:
        authentication = "HMAC-SHA-1-96 [RFC2404]";
        break;
    case IpsecIntegrity::HMAC_SHA256_128:
        authentication = "HMAC-SHA-256-128 [RFC4868]";
        break;
    default:
        break;
    }
    std::string authenticationKey =
        set.GetEspIntegrity() == IpsecIntegrity::NONE ? "" : hex(sa->GetIntegrityKey());
    char spi[16];
    std::snprintf(spi, sizeof(spi), "0x%08X", sa->GetSpi());
    os << "\"IPv4\",\"" << source << "\",\"" << destination << "\",\"" << spi << "\",\""
       << encryption << "\",\"" << encryptionKey << "\",\"" << authentication << "\",\""
       << authenticationKey << "\"\n";
}

} // namespace ns3
