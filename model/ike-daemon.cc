// Copyright (c) 2026 The ns3-ipsec authors
// SPDX-License-Identifier: GPL-2.0-only

#include "ike-daemon.h"

#include "ipsec-net-device.h"
#include "ipsec-stack.h"

#include "ns3/double.h"
#include "ns3/inet-socket-address.h"
#include "ns3/ipv4-packet-info-tag.h"
#include "ns3/log.h"
#include "ns3/simulator.h"
#include "ns3/udp-socket-factory.h"
#include "ns3/uinteger.h"

#include <algorithm>
#include <cmath>
#include <iomanip>
#include <openssl/evp.h>
#include <openssl/hmac.h>
#include <sstream>

namespace ns3
{

NS_LOG_COMPONENT_DEFINE("IkeDaemon");

NS_OBJECT_ENSURE_REGISTERED(IkeDaemon);

/// Quick mode exchange state.
struct IkeDaemon::QuickMode : public SimpleRefCount<IkeDaemon::QuickMode>
{
    Ptr<IkeSa> ikeSa;                    //!< the IKE SA it runs over
    uint32_t messageId{0};               //!< message ID, 0 until QM1
    bool initiator{true};                //!< this node sent QM1
    Ptr<CryptoMap> cryptoMap;            //!< crypto map
    Ptr<CryptoMapEntry> entry;           //!< crypto map entry
    uint32_t trafficClass{0};            //!< traffic class
    Ipv4Address local;                   //!< local address
    Ipv4Address peer;                    //!< peer address
    Ptr<IpsecNetDevice> device;          //!< interface of queued packets
    std::vector<Ptr<Packet>> queue;      //!< packets waiting for the SAs
    bool hasAcquireKey{false};           //!< registered in m_acquires
    AcquireKey acquireKey;               //!< its key there
    std::vector<uint8_t> nonceInitiator; //!< Ni_b
    std::vector<uint8_t> nonceResponder; //!< Nr_b
    IpsecTransformSet chosen;            //!< the agreed transform set
    uint32_t localEspSpi{0};             //!< our inbound ESP SPI
    uint32_t localAhSpi{0};              //!< our inbound AH SPI
    uint32_t peerEspSpi{0};              //!< the peer's inbound ESP SPI
    uint32_t peerAhSpi{0};               //!< the peer's inbound AH SPI
    uint32_t lifetime{0};                //!< agreed time lifetime in seconds
    uint32_t kilobytes{0};               //!< agreed volume lifetime in kilobytes
    uint32_t setId{0};                   //!< set number of the installed SAs
    std::vector<uint8_t> lastSent;       //!< last message sent
    std::vector<uint8_t> lastReceived;   //!< last message received
    uint32_t retransmissions{0};         //!< retransmissions of lastSent
    EventId retransmitEvent;             //!< next retransmission
    bool finished{false};                //!< SAs installed or the exchange failed
};

namespace
{

// RFC 2409 appendix A phase 1 attribute types.
constexpr uint16_t P1_ENCRYPTION = 1;     //!< encryption algorithm
constexpr uint16_t P1_HASH = 2;           //!< hash algorithm
constexpr uint16_t P1_AUTHENTICATION = 3; //!< authentication method
constexpr uint16_t P1_GROUP = 4;          //!< group description
constexpr uint16_t P1_LIFE_TYPE = 11;     //!< life type
constexpr uint16_t P1_LIFE_DURATION = 12; //!< life duration
constexpr uint16_t P1_KEY_LENGTH = 14;    //!< key length

// RFC 2407 section 4.5 phase 2 attribute types.
constexpr uint16_t P2_LIFE_TYPE = 1;      //!< SA life type
constexpr uint16_t P2_LIFE_DURATION = 2;  //!< SA life duration
constexpr uint16_t P2_ENCAPSULATION = 4;  //!< encapsulation mode
constexpr uint16_t P2_AUTHENTICATION = 5; //!< authentication algorithm
constexpr uint16_t P2_KEY_LENGTH = 6;     //!< key length

// RFC 2407 section 4.4 transform IDs, with RFC 4106 (GCM) and RFC 4868 (SHA-256).
constexpr uint8_t ESP_NULL = 11;           //!< ESP_NULL
constexpr uint8_t ESP_AES = 12;            //!< ESP_AES (CBC)
constexpr uint8_t ESP_AES_GCM = 20;        //!< ESP_AES-GCM with a 16-byte ICV
constexpr uint8_t AH_SHA = 3;              //!< AH_SHA
constexpr uint8_t AH_SHA256 = 5;           //!< AH_SHA2-256
constexpr uint8_t AUTH_SHA = 2;            //!< HMAC-SHA
constexpr uint8_t AUTH_SHA256 = 5;         //!< HMAC-SHA2-256
constexpr uint8_t KEY_IKE = 1;             //!< phase 1 transform ID
constexpr uint8_t ID_IPV4_ADDR = 1;        //!< ID type of one address
constexpr uint8_t ID_IPV4_SUBNET = 4;      //!< ID type of an address and mask
constexpr uint16_t NOTIFY_INVALID_ID = 18; //!< INVALID-ID-INFORMATION

/**
 * Cancels an event and releases it. The daemon's events hold the IKE SA or quick mode
 * that stores their EventId, so keeping a cancelled or expired event would keep both alive.
 * \param event the event
 */
void
ReleaseEvent(EventId& event)
{
    event.Cancel();
    event = EventId();
}

/// Appends a 32-bit value in network byte order.
void
AppendU32(std::vector<uint8_t>& out, uint32_t value)
{
    for (int shift = 24; shift >= 0; shift -= 8)
    {
        out.push_back(static_cast<uint8_t>(value >> shift));
    }
}

/// Appends a 64-bit value in network byte order.
void
AppendU64(std::vector<uint8_t>& out, uint64_t value)
{
    AppendU32(out, static_cast<uint32_t>(value >> 32));
    AppendU32(out, static_cast<uint32_t>(value));
}

/// Appends bytes.
void
Append(std::vector<uint8_t>& out, const std::vector<uint8_t>& bytes)
{
    out.insert(out.end(), bytes.begin(), bytes.end());
}

/// Reads a 4-byte SPI field; 0 if the field has another size.
uint32_t
ReadSpi(const std::vector<uint8_t>& bytes)
{
    if (bytes.size() != 4)
    {
        return 0;
    }
    return (uint32_t(bytes[0]) << 24) | (uint32_t(bytes[1]) << 16) | (uint32_t(bytes[2]) << 8) |
           bytes[3];
}

/// Writes an SPI as a 4-byte field.
std::vector<uint8_t>
SpiBytes(uint32_t spi)
{
    std::vector<uint8_t> out;
    AppendU32(out, spi);
    return out;
}

/// Raw body bytes (after the generic header) of a payload of a serialized message.
std::vector<uint8_t>
BodyOf(const std::vector<uint8_t>& bytes, const IsakmpPayload& payload)
{
    return std::vector<uint8_t>(bytes.begin() + payload.offset + ISAKMP_PAYLOAD_HEADER_SIZE,
                                bytes.begin() + payload.offset + payload.length);
}

/// The phase 1 transform that offers a policy.
IsakmpTransform
PolicyTransform(const IsakmpPolicy& policy, uint8_t number)
{
    IsakmpTransform transform;
    transform.number = number;
    transform.id = KEY_IKE;
    transform.attributes.push_back({P1_ENCRYPTION, policy.GetEncryptionAttribute(), false});
    if (policy.GetKeyLengthAttribute() != 0)
    {
        transform.attributes.push_back({P1_KEY_LENGTH, policy.GetKeyLengthAttribute(), false});
    }
    transform.attributes.push_back({P1_HASH, policy.GetHashAttribute(), false});
    transform.attributes.push_back({P1_AUTHENTICATION, 1, false});
    transform.attributes.push_back({P1_GROUP, policy.GetGroup(), false});
    transform.attributes.push_back({P1_LIFE_TYPE, 1, false});
    transform.attributes.push_back({P1_LIFE_DURATION, policy.GetLifetimeSeconds(), true});
    return transform;
}

/// Reads the policy a phase 1 transform offers.
bool
TransformPolicy(const IsakmpTransform& transform, IsakmpPolicy& policy)
{
    uint32_t encryption = 0;
    uint32_t keyLength = 0;
    uint32_t hash = 0;
    uint32_t authentication = 0;
    uint32_t group = 0;
    uint32_t lifetime = 0;
    if (transform.id != KEY_IKE || !transform.FindAttribute(P1_ENCRYPTION, encryption) ||
        !transform.FindAttribute(P1_HASH, hash) ||
        !transform.FindAttribute(P1_AUTHENTICATION, authentication) ||
        !transform.FindAttribute(P1_GROUP, group))
    {
        return false;
    }
    transform.FindAttribute(P1_KEY_LENGTH, keyLength);
    transform.FindAttribute(P1_LIFE_DURATION, lifetime);
    return IsakmpPolicy::FromAttributes(encryption,
                                        keyLength,
                                        hash,
                                        authentication,
                                        group,
                                        lifetime,
                                        policy);
}

/// Adds the lifetime, mode and traffic class attributes of a phase 2 transform.
void
AddPhase2Attributes(IsakmpTransform& transform,
                    const IpsecTransformSet& set,
                    uint32_t lifetime,
                    uint32_t kilobytes,
                    bool sendClass,
                    uint32_t trafficClass)
{
    transform.attributes.push_back({P2_LIFE_TYPE, 1, false});
    transform.attributes.push_back({P2_LIFE_DURATION, lifetime, true});
    transform.attributes.push_back({P2_LIFE_TYPE, 2, false});
    transform.attributes.push_back({P2_LIFE_DURATION, kilobytes, true});
    transform.attributes.push_back(
        {P2_ENCAPSULATION, set.GetMode() == IpsecMode::TUNNEL ? 1u : 2u, false});
    if (sendClass)
    {
        transform.attributes.push_back({IkeDaemon::TRAFFIC_CLASS_ATTRIBUTE, trafficClass, false});
    }
}

/// The proposals (AH and/or ESP, one number) of one transform set.
std::vector<IsakmpProposal>
BuildProposals(const IpsecTransformSet& set,
               uint8_t number,
               uint32_t espSpi,
               uint32_t ahSpi,
               uint32_t lifetime,
               uint32_t kilobytes,
               bool sendClass,
               uint32_t trafficClass)
{
    std::vector<IsakmpProposal> proposals;
    if (set.HasAh())
    {
        IsakmpProposal proposal;
        proposal.number = number;
        proposal.protocol = ISAKMP_PROTO_IPSEC_AH;
        proposal.spi = SpiBytes(ahSpi);
        IsakmpTransform transform;
        bool sha256 = set.GetAhIntegrity() == IpsecIntegrity::HMAC_SHA256_128;
        transform.id = sha256 ? AH_SHA256 : AH_SHA;
        transform.attributes.push_back({P2_AUTHENTICATION, sha256 ? AUTH_SHA256 : AUTH_SHA, false});
        AddPhase2Attributes(transform, set, lifetime, kilobytes, sendClass, trafficClass);
        proposal.transforms.push_back(transform);
        proposals.push_back(proposal);
    }
    if (set.HasEsp())
    {
        IsakmpProposal proposal;
        proposal.number = number;
        proposal.protocol = ISAKMP_PROTO_IPSEC_ESP;
        proposal.spi = SpiBytes(espSpi);
        IsakmpTransform transform;
        switch (set.GetEspEncryption())
        {
        case IpsecEncryption::AES_CBC:
            transform.id = ESP_AES;
            break;
        case IpsecEncryption::AES_GCM:
            transform.id = ESP_AES_GCM;
            break;
        default:
            transform.id = ESP_NULL;
            break;
        }
        if (set.GetEncryptionKeyBits() != 0)
        {
            transform.attributes.push_back({P2_KEY_LENGTH, set.GetEncryptionKeyBits(), false});
        }
        if (set.GetEspIntegrity() != IpsecIntegrity::NONE)
        {
            bool sha256 = set.GetEspIntegrity() == IpsecIntegrity::HMAC_SHA256_128;
            transform.attributes.push_back(
                {P2_AUTHENTICATION, sha256 ? AUTH_SHA256 : AUTH_SHA, false});
        }
        AddPhase2Attributes(transform, set, lifetime, kilobytes, sendClass, trafficClass);
        proposal.transforms.push_back(transform);
        proposals.push_back(proposal);
    }
    return proposals;
}

/// Formats an address and mask as a proxy identity, for logs.
std::string
DescribeIdentity(const IsakmpPayload& id)
{
    std::ostringstream os;
    if (id.data.size() >= 4)
    {
        os << Ipv4Address::Deserialize(id.data.data());
    }
    if (id.idType == ID_IPV4_SUBNET && id.data.size() == 8)
    {
        os << "/" << Ipv4Address::Deserialize(id.data.data() + 4);
    }
    os << "/" << +id.idProtocol << "/" << id.idPort;
    return os.str();
}

} // namespace

const char*
IkeFailureName(IkeFailure failure)
{
    switch (failure)
    {
    case IkeFailure::NO_PRESHARED_KEY:
        return "no-preshared-key";
    case IkeFailure::NO_PHASE1_PROPOSAL:
        return "no-phase1-proposal";
    case IkeFailure::AUTHENTICATION:
        return "authentication";
    case IkeFailure::RETRANSMIT_LIMIT:
        return "retransmit-limit";
    case IkeFailure::NO_MATCHING_ENTRY:
        return "no-matching-entry";
    case IkeFailure::NO_TRANSFORM_SET:
        return "no-transform-set";
    case IkeFailure::ENGINE_FULL:
        return "engine-full";
    case IkeFailure::HALF_OPEN_LIMIT:
        return "half-open-limit";
    }
    return "unknown";
}

const char*
IkeDropReasonName(IkeDropReason reason)
{
    switch (reason)
    {
    case IkeDropReason::MALFORMED:
        return "malformed";
    case IkeDropReason::UNKNOWN_COOKIE:
        return "unknown-cookie";
    case IkeDropReason::UNEXPECTED:
        return "unexpected";
    case IkeDropReason::BAD_HASH:
        return "bad-hash";
    case IkeDropReason::REJECTED:
        return "rejected";
    }
    return "unknown";
}

TypeId
IkeDaemon::GetTypeId()
{
    static TypeId tid =
        TypeId("ns3::IkeDaemon")
            .SetParent<IpsecKeyManager>()
            .SetGroupName("Ipsec")
            .AddConstructor<IkeDaemon>()
            .AddAttribute("DiffieHellmanDelay",
                          "Processing time in seconds to compute the Diffie-Hellman shared "
                          "secret, charged once per side per main mode (responder before MM4, "
                          "initiator before MM5).",
                          TimeValue(Seconds(0)),
                          MakeTimeAccessor(&IkeDaemon::m_dhDelay),
                          MakeTimeChecker(Seconds(0)))
            .AddAttribute("AuthenticationDelay",
                          "Processing time in seconds to compute HASH_I (initiator, before MM5) "
                          "or check HASH_I and compute HASH_R (responder, before MM6).",
                          TimeValue(Seconds(0)),
                          MakeTimeAccessor(&IkeDaemon::m_authDelay),
                          MakeTimeChecker(Seconds(0)))
            .AddAttribute("RetransmitInterval",
                          "Wait in seconds before the first retransmission of an unanswered "
                          "ISAKMP message.",
                          TimeValue(Seconds(10)),
                          MakeTimeAccessor(&IkeDaemon::m_retransmitInterval),
                          MakeTimeChecker(MilliSeconds(1)))
            .AddAttribute("RetransmitBackoff",
                          "Factor (dimensionless) by which the wait grows after each "
                          "retransmission.",
                          DoubleValue(1.0),
                          MakeDoubleAccessor(&IkeDaemon::m_retransmitBackoff),
                          MakeDoubleChecker<double>(1.0, 10.0))
            .AddAttribute("RetransmitLimit",
                          "Number of retransmissions of one message before the exchange is "
                          "given up.",
                          UintegerValue(5),
                          MakeUintegerAccessor(&IkeDaemon::m_retransmitLimit),
                          MakeUintegerChecker<uint32_t>(0, 100))
            .AddAttribute("DeletedHoldTime",
                          "Time in seconds a deleted IKE SA stays listed as (deleted) in "
                          "show crypto isakmp sa.",
                          TimeValue(Seconds(10)),
                          MakeTimeAccessor(&IkeDaemon::m_deletedHoldTime),
                          MakeTimeChecker(Seconds(0)))
            .AddAttribute("AcquireQueueLimit",
                          "Packets kept per crypto map entry, peer and traffic class while its "
                          "SAs are negotiated, sent once they exist; 0 drops them as IOS does.",
                          UintegerValue(0),
                          MakeUintegerAccessor(&IkeDaemon::m_queueLimit),
                          MakeUintegerChecker<uint32_t>(0, 10000))
            .AddAttribute("MaxHalfOpenPerPeer",
                          "Number of responder IKE SAs not yet in QM_IDLE allowed per peer "
                          "address; MM1 beyond it is dropped.",
                          UintegerValue(4),
                          MakeUintegerAccessor(&IkeDaemon::m_maxHalfOpenPerPeer),
                          MakeUintegerChecker<uint32_t>(1, 100000))
            .AddAttribute("MaxHalfOpen",
                          "Number of responder IKE SAs not yet in QM_IDLE allowed in total; "
                          "MM1 beyond it is dropped.",
                          UintegerValue(64),
                          MakeUintegerAccessor(&IkeDaemon::m_maxHalfOpen),
                          MakeUintegerChecker<uint32_t>(1, 1000000))
            .AddAttribute("NonceLength",
                          "Length in bytes of the nonces this node sends (RFC 2409 allows 8 to "
                          "256).",
                          UintegerValue(16),
                          MakeUintegerAccessor(&IkeDaemon::m_nonceLength),
                          MakeUintegerChecker<uint32_t>(8, 256))
            .AddTraceSource("StateChange",
                            "An IKE SA changed state or was deleted.",
                            MakeTraceSourceAccessor(&IkeDaemon::m_stateTrace),
                            "ns3::IkeDaemon::StateTracedCallback")
            .AddTraceSource("ExchangeFailed",
                            "A main mode or quick mode exchange failed.",
                            MakeTraceSourceAccessor(&IkeDaemon::m_failureTrace),
                            "ns3::IkeDaemon::FailureTracedCallback")
            .AddTraceSource("MessageSent",
                            "An ISAKMP message was sent (retransmissions included).",
                            MakeTraceSourceAccessor(&IkeDaemon::m_sentTrace),
                            "ns3::IkeDaemon::MessageTracedCallback")
            .AddTraceSource("MessageReceived",
                            "An ISAKMP message was received, before any check.",
                            MakeTraceSourceAccessor(&IkeDaemon::m_receivedTrace),
                            "ns3::IkeDaemon::MessageTracedCallback")
            .AddTraceSource("Retransmission",
                            "An ISAKMP message was sent again.",
                            MakeTraceSourceAccessor(&IkeDaemon::m_retransmitTrace),
                            "ns3::IkeDaemon::RetransmitTracedCallback")
            .AddTraceSource("Drop",
                            "A received ISAKMP message was dropped.",
                            MakeTraceSourceAccessor(&IkeDaemon::m_dropTrace),
                            "ns3::IkeDaemon::DropTracedCallback")
            .AddTraceSource("NotifyReceived",
                            "An authenticated notification arrived over an IKE SA.",
                            MakeTraceSourceAccessor(&IkeDaemon::m_notifyTrace),
                            "ns3::IkeDaemon::NotifyTracedCallback")
            .AddTraceSource("QuickModeDone",
                            "A quick mode exchange installed its SAs.",
                            MakeTraceSourceAccessor(&IkeDaemon::m_quickModeTrace),
                            "ns3::IkeDaemon::QuickModeTracedCallback")
            .AddTraceSource("InvalidSpi",
                            "The stack reported an inbound packet with an unknown SPI.",
                            MakeTraceSourceAccessor(&IkeDaemon::m_invalidSpiTrace),
                            "ns3::IkeDaemon::InvalidSpiTracedCallback")
            .AddTraceSource("SendObserved",
                            "The stack reported a packet sent on a watched outbound SA.",
                            MakeTraceSourceAccessor(&IkeDaemon::m_sendObservedTrace),
                            "ns3::IkeDaemon::SaTracedCallback");
    return tid;
}

IkeDaemon::IkeDaemon()
    : m_nextSetId(1),
      m_nextConnectionId(1),
      m_retransmitBackoff(1.0),
      m_retransmitLimit(5),
      m_queueLimit(0),
      m_maxHalfOpenPerPeer(4),
      m_maxHalfOpen(64),
      m_nonceLength(16),
      m_sent(0),
      m_received(0),
      m_retransmissions(0),
      m_quickModesCompleted(0)
{
    NS_LOG_FUNCTION(this);
    m_random = CreateObject<UniformRandomVariable>();
}

IkeDaemon::~IkeDaemon()
{
    NS_LOG_FUNCTION(this);
}

void
IkeDaemon::DoDispose()
{
    NS_LOG_FUNCTION(this);
    Reset();
    if (m_socket)
    {
        m_socket->Close();
        m_socket->SetRecvCallback(MakeNullCallback<void, Ptr<Socket>>());
        m_socket = nullptr;
    }
    m_stack = nullptr;
    m_node = nullptr;
    m_random = nullptr;
    IpsecKeyManager::DoDispose();
}

int64_t
IkeDaemon::AssignStreams(int64_t stream)
{
    m_random->SetStream(stream);
    return 1;
}

void
IkeDaemon::Install(Ptr<Node> node)
{
    NS_LOG_FUNCTION(this << node->GetId());
    m_node = node;
    m_stack = node->GetObject<IpsecStack>();
    NS_ABORT_MSG_IF(!m_stack, "install the IPsec stack on node " << node->GetId() << " first");
    node->AggregateObject(this);

    // One socket on port 500 of every address; the packet info tag gives the local address.
    m_socket = Socket::CreateSocket(node, UdpSocketFactory::GetTypeId());
    m_socket->Bind(InetSocketAddress(Ipv4Address::GetAny(), ISAKMP_PORT));
    m_socket->SetRecvPktInfo(true);
    m_socket->SetRecvCallback(MakeCallback(&IkeDaemon::HandleRead, this));
    m_stack->SetKeyManager(this);
}

void
IkeDaemon::AddPolicy(const IsakmpPolicy& policy)
{
    NS_LOG_FUNCTION(this << policy.GetPriority() << policy.GetDescription());
    m_policies.erase(std::remove_if(m_policies.begin(),
                                    m_policies.end(),
                                    [&policy](const IsakmpPolicy& p) {
                                        return p.GetPriority() == policy.GetPriority();
                                    }),
                     m_policies.end());
    m_policies.push_back(policy);
    std::sort(m_policies.begin(),
              m_policies.end(),
              [](const IsakmpPolicy& a, const IsakmpPolicy& b) {
                  return a.GetPriority() < b.GetPriority();
              });
}

const std::vector<IsakmpPolicy>&
IkeDaemon::GetPolicies() const
{
    return m_policies;
}

IsakmpKeyTable&
IkeDaemon::GetKeyTable()
{
    return m_keys;
}

void
IkeDaemon::AddLocalVendorId(const std::vector<uint8_t>& vendorId)
{
    if (std::find(m_vendorIds.begin(), m_vendorIds.end(), vendorId) == m_vendorIds.end())
    {
        m_vendorIds.push_back(vendorId);
    }
}

// ---------------------------------------------------------------------------------------
// Randomness and counters.

uint32_t
IkeDaemon::DrawSpi()
{
    // SPIs below 256 are reserved (RFC 4303 section 2.1).
    while (true)
    {
        uint32_t spi = m_random->GetInteger(256, 0xffffffffU);
        if (!m_stack->GetSadb()->IsSpiInUse(spi) && m_reservedSpis.count(spi) == 0)
        {
            m_reservedSpis.insert(spi);
            return spi;
        }
    }
}

uint64_t
IkeDaemon::DrawCookie()
{
    uint64_t cookie = 0;
    while (cookie == 0)
    {
        cookie = (uint64_t(m_random->GetInteger(0, 0xffffffffU)) << 32) |
                 m_random->GetInteger(0, 0xffffffffU);
    }
    return cookie;
}

std::vector<uint8_t>
IkeDaemon::DrawBytes(uint32_t length)
{
    std::vector<uint8_t> bytes(length);
    for (auto& byte : bytes)
    {
        byte = static_cast<uint8_t>(m_random->GetInteger(0, 255));
    }
    return bytes;
}

void
IkeDaemon::Drop(const std::vector<uint8_t>& bytes, Ipv4Address source, IkeDropReason reason)
{
    NS_LOG_DEBUG("node " << m_node->GetId() << ": ISAKMP message of " << bytes.size()
                         << " bytes from " << source << " dropped: " << IkeDropReasonName(reason));
    ++m_drops[reason];
    m_dropTrace(Create<Packet>(bytes.data(), bytes.size()), source, reason);
}

void
IkeDaemon::Fail(Ipv4Address peer, IkeFailure failure)
{
    NS_LOG_WARN("node " << m_node->GetId() << ": IKE exchange with " << peer
                        << " failed: " << IkeFailureName(failure));
    ++m_failures[failure];
    m_failureTrace(peer, failure);

    std::ostringstream address;
    address << peer;
    Ptr<IpsecSyslog> syslog = m_stack->GetSyslog();
    switch (failure)
    {
    case IkeFailure::NO_PRESHARED_KEY:
    case IkeFailure::NO_PHASE1_PROPOSAL:
        syslog->Log("CRYPTO",
                    6,
                    "IKMP_MODE_FAILURE",
                    "Processing of Main mode failed with peer at " + address.str());
        break;
    case IkeFailure::AUTHENTICATION:
        syslog->Log("CRYPTO",
                    4,
                    "IKMP_BAD_MESSAGE",
                    "IKE message from " + address.str() +
                        " failed its sanity check or is malformed");
        break;
    case IkeFailure::NO_MATCHING_ENTRY:
    case IkeFailure::NO_TRANSFORM_SET:
        syslog->Log("CRYPTO",
                    6,
                    "IKMP_MODE_FAILURE",
                    "Processing of Quick mode failed with peer at " + address.str());
        break;
    default:
        // Retransmission give-up, engine capacity (logged by the stack) and the half-open
        // limit appear in IOS debug output only.
        break;
    }
}

uint64_t
IkeDaemon::GetFailureCount(IkeFailure failure) const
{
    auto it = m_failures.find(failure);
    return it == m_failures.end() ? 0 : it->second;
}

uint64_t
IkeDaemon::GetDropCount(IkeDropReason reason) const
{
    auto it = m_drops.find(reason);
    return it == m_drops.end() ? 0 : it->second;
}

uint64_t
IkeDaemon::GetMessagesSent() const
{
    return m_sent;
}

uint64_t
IkeDaemon::GetMessagesReceived() const
{
    return m_received;
}

uint64_t
IkeDaemon::GetRetransmissions() const
{
    return m_retransmissions;
}

uint64_t
IkeDaemon::GetQuickModesCompleted() const
{
    return m_quickModesCompleted;
}

// ---------------------------------------------------------------------------------------
// Sending and retransmission.

void
IkeDaemon::SendBytes(Ipv4Address peer, const std::vector<uint8_t>& bytes)
{
    Ptr<Packet> packet = Create<Packet>(bytes.data(), bytes.size());
    ++m_sent;
    m_sentTrace(packet, peer);
    m_socket->SendTo(packet, 0, InetSocketAddress(peer, ISAKMP_PORT));
}

Time
IkeDaemon::GetRetransmitWait(uint32_t attempt) const
{
    return Seconds(m_retransmitInterval.GetSeconds() * std::pow(m_retransmitBackoff, attempt));
}

void
IkeDaemon::SendPhase1(Ptr<IkeSa> sa, const std::vector<uint8_t>& bytes, bool retransmit)
{
    sa->m_lastSent = bytes;
    sa->m_retransmissions = 0;
    ReleaseEvent(sa->m_retransmitEvent);
    SendBytes(sa->m_peer, bytes);
    if (!retransmit)
    {
        return;
    }

    // The initiator repeats on a timer. The responder only replies to repeats (see
    // ReceiveMainMode), so the two never cross. It gives up when the initiator's whole
    // schedule has passed.
    Time wait = GetRetransmitWait(0);
    if (!sa->m_initiator)
    {
        for (uint32_t attempt = 1; attempt <= m_retransmitLimit; ++attempt)
        {
            wait += GetRetransmitWait(attempt);
        }
        sa->m_retransmissions = m_retransmitLimit;
    }
    sa->m_retransmitEvent = Simulator::Schedule(wait, &IkeDaemon::RetransmitPhase1, this, sa);
}

void
IkeDaemon::RetransmitPhase1(Ptr<IkeSa> sa)
{
    NS_LOG_FUNCTION(this << sa->m_peer << sa->m_retransmissions);
    if (sa->m_retransmissions >= m_retransmitLimit)
    {
        // Giving up deletes the half-open SA silently, so a new acquire starts over.
        Fail(sa->m_peer, IkeFailure::RETRANSMIT_LIMIT);
        DeleteIkeSa(sa, false);
        return;
    }
    ++sa->m_retransmissions;
    ++m_retransmissions;
    m_retransmitTrace(sa->m_peer, sa->m_retransmissions);
    NS_LOG_DEBUG("node " << m_node->GetId() << ": retransmission " << sa->m_retransmissions
                         << " of main mode message to " << sa->m_peer);
    SendBytes(sa->m_peer, sa->m_lastSent);
    sa->m_retransmitEvent = Simulator::Schedule(GetRetransmitWait(sa->m_retransmissions),
                                                &IkeDaemon::RetransmitPhase1,
                                                this,
                                                sa);
}

void
IkeDaemon::SendPhase2(Ptr<QuickMode> qm, const std::vector<uint8_t>& bytes, bool retransmit)
{
    qm->lastSent = bytes;
    qm->retransmissions = 0;
    ReleaseEvent(qm->retransmitEvent);
    SendBytes(qm->peer, bytes);
    if (retransmit)
    {
        qm->retransmitEvent =
            Simulator::Schedule(GetRetransmitWait(0), &IkeDaemon::RetransmitPhase2, this, qm);
    }
}

void
IkeDaemon::RetransmitPhase2(Ptr<QuickMode> qm)
{
    NS_LOG_FUNCTION(this << qm->peer << qm->retransmissions);
    if (qm->retransmissions >= m_retransmitLimit)
    {
        Fail(qm->peer, IkeFailure::RETRANSMIT_LIMIT);
        FinishQuickMode(qm);
        return;
    }
    ++qm->retransmissions;
    ++m_retransmissions;
    m_retransmitTrace(qm->peer, qm->retransmissions);
    SendBytes(qm->peer, qm->lastSent);
    qm->retransmitEvent = Simulator::Schedule(GetRetransmitWait(qm->retransmissions),
                                              &IkeDaemon::RetransmitPhase2,
                                              this,
                                              qm);
}

void
IkeDaemon::SetState(Ptr<IkeSa> sa, IkeSaState state)
{
    NS_LOG_INFO("node " << m_node->GetId() << ": IKE SA " << sa->m_connectionId << " with "
                        << sa->m_peer << ": " << IkeSaStateName(sa->m_state) << " -> "
                        << IkeSaStateName(state));
    IkeSaState old = sa->m_state;
    sa->m_state = state;
    m_stateTrace(sa, old, state, false);
}

// ---------------------------------------------------------------------------------------
// Key derivation (RFC 2409 section 5).

std::vector<uint8_t>
IkeDaemon::Prf(Ptr<const IkeSa> sa,
               const std::vector<uint8_t>& key,
               const std::vector<uint8_t>& data)
{
    const EVP_MD* md = EVP_sha1();
    switch (sa->m_policy.GetHash())
    {
    case IsakmpPolicy::Hash::SHA256:
        md = EVP_sha256();
        break;
    case IsakmpPolicy::Hash::MD5:
        md = EVP_md5();
        break;
    default:
        break;
    }
    std::vector<uint8_t> out(EVP_MAX_MD_SIZE);
    unsigned int length = 0;
    HMAC(md, key.data(), key.size(), data.data(), data.size(), out.data(), &length);
    out.resize(length);
    return out;
}

void
IkeDaemon::DeriveKeys(Ptr<IkeSa> sa)
{
    // Modelled Diffie-Hellman: both sides hash the two public values in the same order, so
    // they agree, but the result is no secret (see the class documentation).
    uint32_t modulus = sa->m_policy.GetModulusSize();
    sa->m_sharedSecret.clear();
    for (uint32_t counter = 0; sa->m_sharedSecret.size() < modulus; ++counter)
    {
        std::vector<uint8_t> input;
        AppendU32(input, counter);
        Append(input, sa->m_keInitiator);
        Append(input, sa->m_keResponder);
        uint8_t digest[EVP_MAX_MD_SIZE];
        unsigned int length = 0;
        EVP_Digest(input.data(), input.size(), digest, &length, EVP_sha256(), nullptr);
        sa->m_sharedSecret.insert(sa->m_sharedSecret.end(), digest, digest + length);
    }
    sa->m_sharedSecret.resize(modulus);

    // SKEYID = prf(pre-shared-key, Ni_b | Nr_b).
    std::vector<uint8_t> nonces = sa->m_nonceInitiator;
    Append(nonces, sa->m_nonceResponder);
    std::vector<uint8_t> psk(sa->m_preSharedKey.begin(), sa->m_preSharedKey.end());
    sa->m_skeyid = Prf(sa, psk, nonces);

    // SKEYID_d, _a, _e = prf(SKEYID, [previous |] g^xy | CKY-I | CKY-R | 0, 1, 2).
    std::vector<uint8_t> tail = sa->m_sharedSecret;
    AppendU64(tail, sa->m_initiatorCookie);
    AppendU64(tail, sa->m_responderCookie);
    std::vector<uint8_t> input = tail;
    input.push_back(0);
    sa->m_skeyidD = Prf(sa, sa->m_skeyid, input);
    input = sa->m_skeyidD;
    Append(input, tail);
    input.push_back(1);
    sa->m_skeyidA = Prf(sa, sa->m_skeyid, input);
    input = sa->m_skeyidA;
    Append(input, tail);
    input.push_back(2);
    sa->m_skeyidE = Prf(sa, sa->m_skeyid, input);
}

std::vector<uint8_t>
IkeDaemon::ComputeMainModeHash(Ptr<IkeSa> sa,
                               bool ofInitiator,
                               const std::vector<uint8_t>& idBody) const
{
    // HASH_I = prf(SKEYID, g^xi | g^xr | CKY-I | CKY-R | SAi_b | IDii_b); HASH_R swaps the
    // KE values and the cookies and uses IDir_b.
    std::vector<uint8_t> input;
    if (ofInitiator)
    {
        Append(input, sa->m_keInitiator);
        Append(input, sa->m_keResponder);
        AppendU64(input, sa->m_initiatorCookie);
        AppendU64(input, sa->m_responderCookie);
    }
    else
    {
        Append(input, sa->m_keResponder);
        Append(input, sa->m_keInitiator);
        AppendU64(input, sa->m_responderCookie);
        AppendU64(input, sa->m_initiatorCookie);
    }
    Append(input, sa->m_saBody);
    Append(input, idBody);
    return Prf(sa, sa->m_skeyid, input);
}

IsakmpPayload
IkeDaemon::MakeIdentity(Ipv4Address address)
{
    IsakmpPayload id;
    id.type = ISAKMP_ID;
    id.idType = ID_IPV4_ADDR;
    id.idProtocol = 17;
    id.idPort = ISAKMP_PORT;
    id.data.resize(4);
    address.Serialize(id.data.data());
    return id;
}

std::vector<uint8_t>
IkeDaemon::SerializeWithHash(Ptr<IkeSa> sa,
                             IsakmpMessage& message,
                             const std::vector<uint8_t>& prefix)
{
    // Serialize with a zero HASH of the right size, hash what follows it, then fill it in.
    message.payloads.front().data.assign(sa->m_policy.GetHashSize(), 0);
    std::vector<uint8_t> bytes = message.Serialize(sa->m_policy.GetBlockSize());
    const IsakmpPayload& hash = message.payloads.front();
    const IsakmpPayload& last = message.payloads.back();
    std::vector<uint8_t> input;
    AppendU32(input, message.messageId);
    Append(input, prefix);
    input.insert(input.end(),
                 bytes.begin() + hash.offset + hash.length,
                 bytes.begin() + last.offset + last.length);
    std::vector<uint8_t> value = Prf(sa, sa->m_skeyidA, input);
    std::copy(value.begin(), value.end(), bytes.begin() + hash.offset + ISAKMP_PAYLOAD_HEADER_SIZE);
    message.payloads.front().data = value;
    return bytes;
}

bool
IkeDaemon::VerifyHash(Ptr<IkeSa> sa,
                      const IsakmpMessage& message,
                      const std::vector<uint8_t>& bytes,
                      uint32_t payloadsEnd,
                      const std::vector<uint8_t>& prefix) const
{
    if (message.payloads.empty() || message.payloads.front().type != ISAKMP_HASH)
    {
        return false;
    }
    const IsakmpPayload& hash = message.payloads.front();
    std::vector<uint8_t> input;
    AppendU32(input, message.messageId);
    Append(input, prefix);
    input.insert(input.end(),
                 bytes.begin() + hash.offset + hash.length,
                 bytes.begin() + payloadsEnd);
    return Prf(sa, sa->m_skeyidA, input) == hash.data;
}

std::vector<uint8_t>
IkeDaemon::ComputeHash3(Ptr<QuickMode> qm) const
{
    std::vector<uint8_t> input;
    input.push_back(0);
    AppendU32(input, qm->messageId);
    Append(input, qm->nonceInitiator);
    Append(input, qm->nonceResponder);
    return Prf(qm->ikeSa, qm->ikeSa->m_skeyidA, input);
}

std::vector<uint8_t>
IkeDaemon::ComputeKeymat(Ptr<QuickMode> qm, uint8_t protocol, uint32_t spi, uint32_t length) const
{
    // KEYMAT = K1 | K2 | ... with K1 = prf(SKEYID_d, protocol | SPI | Ni_b | Nr_b) and
    // Kn = prf(SKEYID_d, Kn-1 | protocol | SPI | Ni_b | Nr_b) (RFC 2409 section 5.5).
    std::vector<uint8_t> seed;
    seed.push_back(protocol);
    AppendU32(seed, spi);
    Append(seed, qm->nonceInitiator);
    Append(seed, qm->nonceResponder);
    std::vector<uint8_t> keymat;
    std::vector<uint8_t> block;
    while (keymat.size() < length)
    {
        std::vector<uint8_t> input = block;
        Append(input, seed);
        block = Prf(qm->ikeSa, qm->ikeSa->m_skeyidD, input);
        Append(keymat, block);
    }
    keymat.resize(length);
    return keymat;
}

// ---------------------------------------------------------------------------------------
// Receiving.

void
IkeDaemon::HandleRead(Ptr<Socket> socket)
{
    Address from;
    Ptr<Packet> packet;
    while ((packet = socket->RecvFrom(from)))
    {
        Ipv4Address local;
        Ipv4PacketInfoTag tag;
        if (packet->RemovePacketTag(tag))
        {
            local = tag.GetAddress();
        }
        if (InetSocketAddress::IsMatchingType(from))
        {
            Receive(packet, InetSocketAddress::ConvertFrom(from).GetIpv4(), local);
        }
    }
}

void
IkeDaemon::Receive(Ptr<Packet> packet, Ipv4Address source, Ipv4Address local)
{
    NS_LOG_FUNCTION(this << packet->GetSize() << source << local);
    ++m_received;
    m_receivedTrace(packet, source);

    std::vector<uint8_t> bytes(packet->GetSize());
    packet->CopyData(bytes.data(), bytes.size());
    IsakmpMessage message;
    uint32_t payloadsEnd = 0;
    IsakmpParseError error = IsakmpMessage::Parse(bytes.data(), bytes.size(), message, payloadsEnd);
    if (error != IsakmpParseError::NONE)
    {
        NS_LOG_DEBUG("malformed ISAKMP message from " << source << ": "
                                                      << IsakmpParseErrorName(error));
        Drop(bytes, source, IkeDropReason::MALFORMED);
        return;
    }

    switch (message.exchangeType)
    {
    case ISAKMP_EXCHANGE_MAIN_MODE:
        ReceiveMainMode(message, bytes, source, local);
        return;
    case ISAKMP_EXCHANGE_QUICK_MODE: {
        Ptr<IkeSa> sa = FindByCookies(message.initiatorCookie, message.responderCookie, source);
        if (!sa)
        {
            Drop(bytes, source, IkeDropReason::UNKNOWN_COOKIE);
            return;
        }
        if (!sa->IsEstablished() || message.messageId == 0)
        {
            Drop(bytes, source, IkeDropReason::UNEXPECTED);
            return;
        }
        ReceiveQuickMode(sa, message, bytes, payloadsEnd);
        return;
    }
    case ISAKMP_EXCHANGE_INFORMATIONAL:
        ReceiveInformational(message, bytes, payloadsEnd, source);
        return;
    default:
        Drop(bytes, source, IkeDropReason::UNEXPECTED);
        return;
    }
}

Ptr<IkeSa>
IkeDaemon::FindByCookies(uint64_t initiatorCookie, uint64_t responderCookie, Ipv4Address peer) const
{
    for (const auto& sa : m_ikeSas)
    {
        if (!sa->m_deleted && sa->m_peer == peer && sa->m_initiatorCookie == initiatorCookie &&
            sa->m_responderCookie == responderCookie)
        {
            return sa;
        }
    }
    return nullptr;
}

uint32_t
IkeDaemon::CountHalfOpen(Ipv4Address peer) const
{
    uint32_t count = 0;
    for (const auto& sa : m_ikeSas)
    {
        if (!sa->m_deleted && !sa->m_initiator && sa->m_state != IkeSaState::QM_IDLE &&
            (peer == Ipv4Address::GetAny() || sa->m_peer == peer))
        {
            ++count;
        }
    }
    return count;
}

void
IkeDaemon::EvictOldestHalfOpen(Ipv4Address peer)
{
    for (const auto& sa : m_ikeSas)
    {
        if (!sa->m_deleted && !sa->m_initiator && sa->m_state != IkeSaState::QM_IDLE &&
            sa->m_peer == peer)
        {
            NS_LOG_INFO("node " << m_node->GetId() << ": half-open limit for " << peer
                                << ": dropping the oldest half-open exchange");
            ++m_failures[IkeFailure::HALF_OPEN_LIMIT];
            m_failureTrace(peer, IkeFailure::HALF_OPEN_LIMIT);
            DeleteIkeSa(sa, false);
            return;
        }
    }
}

void
IkeDaemon::ReceiveMainMode(const IsakmpMessage& message,
                           const std::vector<uint8_t>& bytes,
                           Ipv4Address source,
                           Ipv4Address local)
{
    if (message.messageId != 0)
    {
        Drop(bytes, source, IkeDropReason::MALFORMED);
        return;
    }

    // MM1 carries no responder cookie yet; a repeat of it finds the SA it created.
    Ptr<IkeSa> sa;
    if (message.responderCookie == 0)
    {
        for (const auto& candidate : m_ikeSas)
        {
            if (!candidate->m_deleted && !candidate->m_initiator && candidate->m_peer == source &&
                candidate->m_initiatorCookie == message.initiatorCookie)
            {
                sa = candidate;
            }
        }
        if (!sa)
        {
            ReceiveMm1(message, bytes, source, local);
            return;
        }
    }
    else
    {
        sa = FindByCookies(message.initiatorCookie, message.responderCookie, source);
        if (!sa && message.Find(ISAKMP_SA))
        {
            // MM2 carries the responder cookie that the initiator does not know yet.
            for (const auto& candidate : m_ikeSas)
            {
                if (!candidate->m_deleted && candidate->m_initiator &&
                    candidate->m_peer == source && candidate->m_responderCookie == 0 &&
                    candidate->m_initiatorCookie == message.initiatorCookie)
                {
                    sa = candidate;
                }
            }
        }
    }
    if (!sa)
    {
        Drop(bytes, source, IkeDropReason::UNKNOWN_COOKIE);
        return;
    }

    // A repeat of the last message received means our answer was lost: send it again.
    if (bytes == sa->m_lastReceived)
    {
        if (!sa->m_lastSent.empty() && !sa->m_processingEvent.IsRunning())
        {
            ++m_retransmissions;
            m_retransmitTrace(sa->m_peer, 0);
            SendBytes(sa->m_peer, sa->m_lastSent);
        }
        return;
    }
    if (sa->m_processingEvent.IsRunning())
    {
        Drop(bytes, source, IkeDropReason::UNEXPECTED);
        return;
    }

    const IsakmpPayload* saPayload = message.Find(ISAKMP_SA);
    const IsakmpPayload* ke = message.Find(ISAKMP_KEY_EXCHANGE);
    const IsakmpPayload* nonce = message.Find(ISAKMP_NONCE);
    const IsakmpPayload* id = message.Find(ISAKMP_ID);
    const IsakmpPayload* hash = message.Find(ISAKMP_HASH);
    uint32_t modulus = sa->m_policy.GetModulusSize();
    bool nonceOk = nonce && nonce->data.size() >= 8 && nonce->data.size() <= 256;

    // Initiator, MM2: the responder's choice among our policies.
    if (sa->m_initiator && sa->m_state == IkeSaState::MM_NO_STATE && saPayload)
    {
        IsakmpPolicy chosen;
        bool ok = saPayload->proposals.size() == 1 &&
                  saPayload->proposals[0].transforms.size() == 1 &&
                  TransformPolicy(saPayload->proposals[0].transforms[0], chosen);
        bool offered = false;
        for (const auto& policy : m_policies)
        {
            offered = offered || (ok && policy.SameAlgorithms(chosen));
        }
        if (!offered)
        {
            Drop(bytes, source, IkeDropReason::UNEXPECTED);
            return;
        }
        ReleaseEvent(sa->m_retransmitEvent);
        sa->m_lastReceived = bytes;
        sa->m_policy = chosen;
        sa->m_responderCookie = message.responderCookie;
        for (const auto& payload : message.payloads)
        {
            if (payload.type == ISAKMP_VENDOR_ID && !sa->HasPeerVendorId(payload.data))
            {
                sa->m_peerVendorIds.push_back(payload.data);
            }
        }
        SetState(sa, IkeSaState::MM_SA_SETUP);
        SendMm3(sa);
        return;
    }

    // Responder, MM3: the initiator's KE and nonce.
    if (!sa->m_initiator && sa->m_state == IkeSaState::MM_SA_SETUP && ke && nonceOk &&
        ke->data.size() == modulus)
    {
        ReleaseEvent(sa->m_retransmitEvent);
        sa->m_lastReceived = bytes;
        sa->m_keInitiator = ke->data;
        sa->m_nonceInitiator = nonce->data;
        sa->m_processingEvent = Simulator::Schedule(m_dhDelay, &IkeDaemon::SendMm4, this, sa);
        return;
    }

    // Initiator, MM4: the responder's KE and nonce.
    if (sa->m_initiator && sa->m_state == IkeSaState::MM_SA_SETUP && ke && nonceOk &&
        ke->data.size() == modulus)
    {
        ReleaseEvent(sa->m_retransmitEvent);
        sa->m_lastReceived = bytes;
        sa->m_keResponder = ke->data;
        sa->m_nonceResponder = nonce->data;
        SetState(sa, IkeSaState::MM_KEY_EXCH);
        sa->m_processingEvent =
            Simulator::Schedule(m_dhDelay + m_authDelay, &IkeDaemon::SendMm5, this, sa);
        return;
    }

    // Responder, MM5: the initiator's identity and HASH_I.
    if (!sa->m_initiator && sa->m_state == IkeSaState::MM_KEY_EXCH && id && hash)
    {
        ReleaseEvent(sa->m_retransmitEvent);
        sa->m_lastReceived = bytes;
        sa->m_processingEvent =
            Simulator::Schedule(m_authDelay, &IkeDaemon::SendMm6, this, sa, message);
        return;
    }

    // Initiator, MM6: the responder's identity and HASH_R.
    if (sa->m_initiator && sa->m_state == IkeSaState::MM_KEY_EXCH && id && hash)
    {
        std::vector<uint8_t> expected = ComputeMainModeHash(sa, false, BodyOf(bytes, *id));
        if (expected != hash->data)
        {
            // The pre-shared keys differ: every later message would fail too.
            Drop(bytes, source, IkeDropReason::BAD_HASH);
            Fail(source, IkeFailure::AUTHENTICATION);
            DeleteIkeSa(sa, false);
            return;
        }
        ReleaseEvent(sa->m_retransmitEvent);
        sa->m_lastReceived = bytes;
        Establish(sa);
        return;
    }

    Drop(bytes, source, IkeDropReason::UNEXPECTED);
}

void
IkeDaemon::ReceiveMm1(const IsakmpMessage& message,
                      const std::vector<uint8_t>& bytes,
                      Ipv4Address source,
                      Ipv4Address local)
{
    NS_LOG_FUNCTION(this << source);
    const IsakmpPayload* saPayload = message.Find(ISAKMP_SA);
    if (!saPayload || saPayload->proposals.size() != 1 ||
        saPayload->proposals[0].protocol != ISAKMP_PROTO_ISAKMP)
    {
        Drop(bytes, source, IkeDropReason::UNEXPECTED);
        return;
    }

    // Half-open limits protect the responder from MM1 floods with random cookies. At the
    // per-peer limit the oldest half-open exchange with that address gives way, because
    // MM1s spoofed with a real peer's address would otherwise lock that peer out until
    // the held exchanges time out.
    if (CountHalfOpen(source) >= m_maxHalfOpenPerPeer)
    {
        EvictOldestHalfOpen(source);
    }
    if (CountHalfOpen(source) >= m_maxHalfOpenPerPeer ||
        CountHalfOpen(Ipv4Address::GetAny()) >= m_maxHalfOpen)
    {
        ++m_failures[IkeFailure::HALF_OPEN_LIMIT];
        m_failureTrace(source, IkeFailure::HALF_OPEN_LIMIT);
        Drop(bytes, source, IkeDropReason::REJECTED);
        return;
    }

    // Walk the initiator's transforms in its order of preference against our policies.
    const IsakmpTransform* chosenTransform = nullptr;
    IsakmpPolicy chosen;
    for (const auto& transform : saPayload->proposals[0].transforms)
    {
        IsakmpPolicy offered;
        if (!TransformPolicy(transform, offered))
        {
            continue;
        }
        for (const auto& policy : m_policies)
        {
            if (policy.SameAlgorithms(offered))
            {
                chosen = offered;
                chosen.SetLifetime(std::max<uint32_t>(
                    60,
                    std::min(offered.GetLifetimeSeconds(), policy.GetLifetimeSeconds())));
                chosenTransform = &transform;
                break;
            }
        }
        if (chosenTransform)
        {
            break;
        }
    }

    std::string key;
    if (!chosenTransform)
    {
        // Tell the initiator in an unprotected informational message (no keys exist yet).
        IsakmpMessage notify;
        notify.initiatorCookie = message.initiatorCookie;
        notify.exchangeType = ISAKMP_EXCHANGE_INFORMATIONAL;
        IsakmpPayload payload;
        payload.type = ISAKMP_NOTIFICATION;
        payload.protocol = ISAKMP_PROTO_ISAKMP;
        payload.notifyType = ISAKMP_NOTIFY_NO_PROPOSAL_CHOSEN;
        notify.payloads.push_back(payload);
        SendBytes(source, notify.Serialize());
        Fail(source, IkeFailure::NO_PHASE1_PROPOSAL);
        Drop(bytes, source, IkeDropReason::REJECTED);
        return;
    }
    if (!m_keys.Find(source, key))
    {
        Fail(source, IkeFailure::NO_PRESHARED_KEY);
        Drop(bytes, source, IkeDropReason::REJECTED);
        return;
    }

    // New responder SA in MM_SA_SETUP, answering MM2 with the chosen transform.
    auto sa = Create<IkeSa>(false, local, source, m_nextConnectionId++);
    sa->m_initiatorCookie = message.initiatorCookie;
    sa->m_responderCookie = DrawCookie();
    sa->m_policy = chosen;
    sa->m_preSharedKey = key;
    sa->m_saBody = BodyOf(bytes, *saPayload);
    sa->m_lastReceived = bytes;
    for (const auto& payload : message.payloads)
    {
        if (payload.type == ISAKMP_VENDOR_ID && !sa->HasPeerVendorId(payload.data))
        {
            sa->m_peerVendorIds.push_back(payload.data);
        }
    }
    m_ikeSas.push_back(sa);
    m_stateTrace(sa, IkeSaState::MM_NO_STATE, IkeSaState::MM_NO_STATE, false);
    NS_LOG_INFO("node " << m_node->GetId() << ": MM1 from " << source << ", policy "
                        << chosen.GetDescription());

    IsakmpMessage reply;
    reply.initiatorCookie = sa->m_initiatorCookie;
    reply.responderCookie = sa->m_responderCookie;
    reply.exchangeType = ISAKMP_EXCHANGE_MAIN_MODE;
    IsakmpPayload sap;
    sap.type = ISAKMP_SA;
    IsakmpProposal proposal;
    proposal.protocol = ISAKMP_PROTO_ISAKMP;
    proposal.transforms.push_back(*chosenTransform);
    sap.proposals.push_back(proposal);
    reply.payloads.push_back(sap);
    for (const auto& vendorId : m_vendorIds)
    {
        IsakmpPayload vid;
        vid.type = ISAKMP_VENDOR_ID;
        vid.data = vendorId;
        reply.payloads.push_back(vid);
    }
    SetState(sa, IkeSaState::MM_SA_SETUP);
    SendPhase1(sa, reply.Serialize(), true);
}

// ---------------------------------------------------------------------------------------
// Main mode messages.

Ptr<IkeSa>
IkeDaemon::StartMainMode(Ipv4Address local, Ipv4Address peer)
{
    NS_LOG_FUNCTION(this << local << peer);
    Ptr<IkeSa> existing = FindIkeSa(peer, false);
    if (existing)
    {
        return existing;
    }
    std::string key;
    if (!m_keys.Find(peer, key))
    {
        Fail(peer, IkeFailure::NO_PRESHARED_KEY);
        return nullptr;
    }
    if (m_policies.empty())
    {
        Fail(peer, IkeFailure::NO_PHASE1_PROPOSAL);
        return nullptr;
    }

    auto sa = Create<IkeSa>(true, local, peer, m_nextConnectionId++);
    sa->m_initiatorCookie = DrawCookie();
    sa->m_preSharedKey = key;
    m_ikeSas.push_back(sa);
    m_stateTrace(sa, IkeSaState::MM_NO_STATE, IkeSaState::MM_NO_STATE, false);
    SendMm1(sa);
    return sa;
}

void
IkeDaemon::SendMm1(Ptr<IkeSa> sa)
{
    NS_LOG_FUNCTION(this << sa->m_peer);
    // One proposal with one transform per policy, in priority order.
    IsakmpMessage message;
    message.initiatorCookie = sa->m_initiatorCookie;
    message.exchangeType = ISAKMP_EXCHANGE_MAIN_MODE;
    IsakmpPayload sap;
    sap.type = ISAKMP_SA;
    IsakmpProposal proposal;
    proposal.protocol = ISAKMP_PROTO_ISAKMP;
    uint8_t number = 1;
    for (const auto& policy : m_policies)
    {
        proposal.transforms.push_back(PolicyTransform(policy, number++));
    }
    sap.proposals.push_back(proposal);
    message.payloads.push_back(sap);
    for (const auto& vendorId : m_vendorIds)
    {
        IsakmpPayload vid;
        vid.type = ISAKMP_VENDOR_ID;
        vid.data = vendorId;
        message.payloads.push_back(vid);
    }
    std::vector<uint8_t> bytes = message.Serialize();
    sa->m_saBody = BodyOf(bytes, message.payloads.front());
    NS_LOG_INFO("node " << m_node->GetId() << ": MM1 to " << sa->m_peer << ", " << m_policies.size()
                        << " policies");
    SendPhase1(sa, bytes, true);
}

void
IkeDaemon::SendMm3(Ptr<IkeSa> sa)
{
    NS_LOG_FUNCTION(this << sa->m_peer);
    sa->m_keInitiator = DrawBytes(sa->m_policy.GetModulusSize());
    sa->m_nonceInitiator = DrawBytes(m_nonceLength);
    IsakmpMessage message;
    message.initiatorCookie = sa->m_initiatorCookie;
    message.responderCookie = sa->m_responderCookie;
    message.exchangeType = ISAKMP_EXCHANGE_MAIN_MODE;
    IsakmpPayload ke;
    ke.type = ISAKMP_KEY_EXCHANGE;
    ke.data = sa->m_keInitiator;
    IsakmpPayload nonce;
    nonce.type = ISAKMP_NONCE;
    nonce.data = sa->m_nonceInitiator;
    message.payloads = {ke, nonce};
    SendPhase1(sa, message.Serialize(), true);
}

void
IkeDaemon::SendMm4(Ptr<IkeSa> sa)
{
    NS_LOG_FUNCTION(this << sa->m_peer);
    sa->m_keResponder = DrawBytes(sa->m_policy.GetModulusSize());
    sa->m_nonceResponder = DrawBytes(m_nonceLength);
    DeriveKeys(sa);
    IsakmpMessage message;
    message.initiatorCookie = sa->m_initiatorCookie;
    message.responderCookie = sa->m_responderCookie;
    message.exchangeType = ISAKMP_EXCHANGE_MAIN_MODE;
    IsakmpPayload ke;
    ke.type = ISAKMP_KEY_EXCHANGE;
    ke.data = sa->m_keResponder;
    IsakmpPayload nonce;
    nonce.type = ISAKMP_NONCE;
    nonce.data = sa->m_nonceResponder;
    message.payloads = {ke, nonce};
    SetState(sa, IkeSaState::MM_KEY_EXCH);
    SendPhase1(sa, message.Serialize(), true);
}

void
IkeDaemon::SendMm5(Ptr<IkeSa> sa)
{
    NS_LOG_FUNCTION(this << sa->m_peer);
    DeriveKeys(sa);
    IsakmpMessage message;
    message.initiatorCookie = sa->m_initiatorCookie;
    message.responderCookie = sa->m_responderCookie;
    message.exchangeType = ISAKMP_EXCHANGE_MAIN_MODE;
    IsakmpPayload id = MakeIdentity(sa->m_local);
    IsakmpPayload hash;
    hash.type = ISAKMP_HASH;
    hash.data = ComputeMainModeHash(sa, true, IsakmpMessage::SerializeBody(id));
    message.payloads = {id, hash};
    SendPhase1(sa, message.Serialize(sa->m_policy.GetBlockSize()), true);
}

void
IkeDaemon::SendMm6(Ptr<IkeSa> sa, IsakmpMessage message)
{
    NS_LOG_FUNCTION(this << sa->m_peer);
    const IsakmpPayload* id = message.Find(ISAKMP_ID);
    const IsakmpPayload* hash = message.Find(ISAKMP_HASH);
    std::vector<uint8_t> expected = ComputeMainModeHash(sa, true, BodyOf(sa->m_lastReceived, *id));
    if (expected != hash->data)
    {
        // With real encryption a wrong key garbles MM5; IOS reports it as a bad message.
        Drop(sa->m_lastReceived, sa->m_peer, IkeDropReason::BAD_HASH);
        Fail(sa->m_peer, IkeFailure::AUTHENTICATION);
        DeleteIkeSa(sa, false);
        return;
    }

    IsakmpMessage reply;
    reply.initiatorCookie = sa->m_initiatorCookie;
    reply.responderCookie = sa->m_responderCookie;
    reply.exchangeType = ISAKMP_EXCHANGE_MAIN_MODE;
    IsakmpPayload ownId = MakeIdentity(sa->m_local);
    IsakmpPayload ownHash;
    ownHash.type = ISAKMP_HASH;
    ownHash.data = ComputeMainModeHash(sa, false, IsakmpMessage::SerializeBody(ownId));
    reply.payloads = {ownId, ownHash};

    // MM6 ends main mode; if it is lost, the initiator's repeated MM5 brings it again.
    SendPhase1(sa, reply.Serialize(sa->m_policy.GetBlockSize()), false);
    Establish(sa);
}

void
IkeDaemon::Establish(Ptr<IkeSa> sa)
{
    NS_LOG_FUNCTION(this << sa->m_peer);
    sa->m_establishedTime = Simulator::Now();
    SetState(sa, IkeSaState::QM_IDLE);
    NS_LOG_INFO("node " << m_node->GetId() << ": IKE SA " << sa->m_connectionId << " with "
                        << sa->m_peer << " established, " << sa->m_policy.GetDescription());

    // The IKE SA expires at its lifetime; the IPsec SAs negotiated over it do not.
    sa->m_expireEvent = Simulator::Schedule(Seconds(sa->m_policy.GetLifetimeSeconds()),
                                            &IkeDaemon::DeleteIkeSa,
                                            this,
                                            sa,
                                            true);

    // Start the quick modes that waited for this peer.
    std::vector<Ptr<QuickMode>> waiting;
    for (const auto& qm : m_quickModes)
    {
        if (qm->messageId == 0 && !qm->finished && qm->peer == sa->m_peer)
        {
            waiting.push_back(qm);
        }
    }
    for (const auto& qm : waiting)
    {
        qm->ikeSa = sa;
        SendQm1(qm);
    }
}

// ---------------------------------------------------------------------------------------
// Acquire, rekey and quick mode.

bool
IkeDaemon::Acquire(Ptr<IpsecNetDevice> device,
                   Ptr<CryptoMap> cryptoMap,
                   Ptr<CryptoMapEntry> entry,
                   uint32_t trafficClass,
                   Ptr<const Packet> packet)
{
    NS_LOG_FUNCTION(this << cryptoMap->GetName() << entry->GetSequence() << trafficClass);
    Ipv4Address peer = entry->GetCurrentPeer();
    return StartNegotiation(device->GetIpv4Address(),
                            cryptoMap,
                            entry,
                            trafficClass,
                            peer,
                            device,
                            packet);
}

bool
IkeDaemon::StartNegotiation(Ipv4Address local,
                            Ptr<CryptoMap> cryptoMap,
                            Ptr<CryptoMapEntry> entry,
                            uint32_t trafficClass,
                            Ipv4Address peer,
                            Ptr<IpsecNetDevice> device,
                            Ptr<const Packet> packet)
{
    // One negotiation per entry, peer and class: later packets only join its queue.
    AcquireKey key(PeekPointer(entry), peer.Get(), trafficClass);
    auto found = m_acquires.find(key);
    if (found != m_acquires.end())
    {
        Ptr<QuickMode> qm = found->second;
        if (packet && qm->queue.size() < m_queueLimit)
        {
            qm->queue.push_back(packet->Copy());
            return true;
        }
        return false;
    }

    NS_LOG_INFO("node " << m_node->GetId() << ": negotiating SAs for crypto map "
                        << cryptoMap->GetName() << " " << entry->GetSequence() << " with " << peer
                        << (packet ? "" : " (rekey)"));
    auto qm = Create<QuickMode>();
    qm->cryptoMap = cryptoMap;
    qm->entry = entry;
    qm->trafficClass = trafficClass;
    qm->local = local;
    qm->peer = peer;
    qm->device = device;
    qm->hasAcquireKey = true;
    qm->acquireKey = key;

    // Quick mode now over an established IKE SA, else after main mode.
    Ptr<IkeSa> sa = FindIkeSa(peer, true);
    if (!sa)
    {
        sa = StartMainMode(local, peer);
        if (!sa)
        {
            return false;
        }
    }
    m_acquires[key] = qm;
    m_quickModes.push_back(qm);
    bool queued = false;
    if (packet && m_queueLimit > 0)
    {
        qm->queue.push_back(packet->Copy());
        queued = true;
    }
    if (sa->IsEstablished())
    {
        qm->ikeSa = sa;
        SendQm1(qm);
    }
    return queued;
}

std::vector<IsakmpProposal>
IkeDaemon::MakeProposals(Ptr<QuickMode> qm)
{
    Time lifetime =
        qm->entry->GetLifetimeSeconds() ? *qm->entry->GetLifetimeSeconds() : m_stack->GetLifetime();
    uint64_t kilobytes = qm->entry->GetLifetimeKilobytes() ? *qm->entry->GetLifetimeKilobytes()
                                                           : m_stack->GetLifetimeKilobytes();
    qm->lifetime = static_cast<uint32_t>(lifetime.GetSeconds());
    qm->kilobytes = static_cast<uint32_t>(std::min<uint64_t>(kilobytes, 0xffffffffU));
    bool sendClass = qm->entry->GetTrafficClassCount() > 1;
    std::vector<IsakmpProposal> proposals;
    uint8_t number = 1;
    for (const auto& set : qm->entry->GetTransformSets())
    {
        if (set.HasEsp() && qm->localEspSpi == 0)
        {
            qm->localEspSpi = DrawSpi();
        }
        if (set.HasAh() && qm->localAhSpi == 0)
        {
            qm->localAhSpi = DrawSpi();
        }
        for (const auto& proposal : BuildProposals(set,
                                                   number,
                                                   qm->localEspSpi,
                                                   qm->localAhSpi,
                                                   qm->lifetime,
                                                   qm->kilobytes,
                                                   sendClass,
                                                   qm->trafficClass))
        {
            proposals.push_back(proposal);
        }
        ++number;
    }
    return proposals;
}

bool
IkeDaemon::MakeProxyIdentities(Ptr<const CryptoMapEntry> entry,
                               IsakmpPayload& local,
                               IsakmpPayload& remote)
{
    Ptr<Ipv4AccessList> acl = entry->GetAccessList();
    if (!acl)
    {
        return false;
    }
    for (const auto& line : acl->GetEntries())
    {
        if (!line.permit)
        {
            continue;
        }

        // The first permit line gives the proxy identities, as IOS proposes them.
        auto fill = [&line](IsakmpPayload& id,
                            Ipv4Address address,
                            Ipv4Address wildcard,
                            Ipv4AccessListEntry::PortOperator op,
                            uint16_t port) {
            id.type = ISAKMP_ID;
            id.idProtocol = line.protocol < 0 ? 0 : static_cast<uint8_t>(line.protocol);
            id.idPort = op == Ipv4AccessListEntry::PortOperator::EQ ? port : 0;
            id.data.resize(wildcard.Get() == 0 ? 4 : 8);
            address.Serialize(id.data.data());
            id.idType = ID_IPV4_ADDR;
            if (wildcard.Get() != 0)
            {
                id.idType = ID_IPV4_SUBNET;
                Ipv4Address(~wildcard.Get()).Serialize(id.data.data() + 4);
            }
        };
        fill(local, line.source, line.sourceWildcard, line.sourcePortOperator, line.sourcePortLow);
        fill(remote,
             line.destination,
             line.destinationWildcard,
             line.destinationPortOperator,
             line.destinationPortLow);
        return true;
    }
    return false;
}

void
IkeDaemon::SendQm1(Ptr<QuickMode> qm)
{
    NS_LOG_FUNCTION(this << qm->peer);
    Ptr<IkeSa> sa = qm->ikeSa;
    do
    {
        qm->messageId = m_random->GetInteger(1, 0xffffffffU);
    } while (std::any_of(m_quickModes.begin(), m_quickModes.end(), [&qm](const Ptr<QuickMode>& o) {
        return o != qm && o->ikeSa == qm->ikeSa && o->messageId == qm->messageId;
    }));
    qm->nonceInitiator = DrawBytes(m_nonceLength);

    // HASH(1) | SA | Ni | IDci | IDcr.
    IsakmpMessage message;
    message.initiatorCookie = sa->m_initiatorCookie;
    message.responderCookie = sa->m_responderCookie;
    message.exchangeType = ISAKMP_EXCHANGE_QUICK_MODE;
    message.messageId = qm->messageId;
    IsakmpPayload hash;
    hash.type = ISAKMP_HASH;
    IsakmpPayload sap;
    sap.type = ISAKMP_SA;
    sap.proposals = MakeProposals(qm);
    IsakmpPayload nonce;
    nonce.type = ISAKMP_NONCE;
    nonce.data = qm->nonceInitiator;
    IsakmpPayload idci;
    IsakmpPayload idcr;
    MakeProxyIdentities(qm->entry, idci, idcr);
    message.payloads = {hash, sap, nonce, idci, idcr};
    NS_LOG_INFO("node " << m_node->GetId() << ": QM1 to " << qm->peer << ", message ID "
                        << qm->messageId << ", " << qm->entry->GetTransformSets().size()
                        << " transform sets, " << DescribeIdentity(idci) << " -> "
                        << DescribeIdentity(idcr));
    SendPhase2(qm, SerializeWithHash(sa, message, {}), true);
}

void
IkeDaemon::ReceiveQuickMode(Ptr<IkeSa> sa,
                            const IsakmpMessage& message,
                            const std::vector<uint8_t>& bytes,
                            uint32_t payloadsEnd)
{
    Ptr<QuickMode> qm;
    for (const auto& candidate : m_quickModes)
    {
        if (candidate->ikeSa == sa && candidate->messageId == message.messageId)
        {
            qm = candidate;
        }
    }

    // A repeat of the last message received: our answer was lost.
    if (qm && bytes == qm->lastReceived && !qm->lastSent.empty())
    {
        ++m_retransmissions;
        m_retransmitTrace(qm->peer, 0);
        SendBytes(qm->peer, qm->lastSent);
        return;
    }
    if (qm && qm->finished)
    {
        Drop(bytes, sa->m_peer, IkeDropReason::UNEXPECTED);
        return;
    }

    // QM1 and QM2 hash what follows HASH; QM2 with Ni_b in front; QM3 is HASH(3) alone.
    if (!qm)
    {
        if (!VerifyHash(sa, message, bytes, payloadsEnd, {}))
        {
            Drop(bytes, sa->m_peer, IkeDropReason::BAD_HASH);
            return;
        }
        ReceiveQm1(sa, message, bytes);
        return;
    }
    if (qm->initiator)
    {
        if (!VerifyHash(sa, message, bytes, payloadsEnd, qm->nonceInitiator))
        {
            Drop(bytes, sa->m_peer, IkeDropReason::BAD_HASH);
            return;
        }
        qm->lastReceived = bytes;
        ReceiveQm2(qm, message);
        return;
    }
    if (message.payloads.size() != 1 || message.payloads[0].type != ISAKMP_HASH ||
        message.payloads[0].data != ComputeHash3(qm))
    {
        Drop(bytes, sa->m_peer, IkeDropReason::BAD_HASH);
        return;
    }
    qm->lastReceived = bytes;
    ReceiveQm3(qm);
}

bool
IkeDaemon::ReadTransformSet(const std::vector<const IsakmpProposal*>& proposals,
                            IpsecTransformSet& set,
                            uint32_t& lifetime,
                            uint32_t& kilobytes,
                            uint32_t& trafficClass)
{
    std::string words;
    IpsecMode mode = IpsecMode::TUNNEL;
    lifetime = 0;
    kilobytes = 0;
    trafficClass = 0;
    for (const IsakmpProposal* proposal : proposals)
    {
        if (proposal->transforms.size() != 1 || proposal->spi.size() != 4)
        {
            return false;
        }
        const IsakmpTransform& transform = proposal->transforms[0];
        uint32_t authentication = 0;
        uint32_t keyLength = 0;
        transform.FindAttribute(P2_AUTHENTICATION, authentication);
        transform.FindAttribute(P2_KEY_LENGTH, keyLength);
        if (keyLength != 0 && keyLength != 128 && keyLength != 192 && keyLength != 256)
        {
            return false;
        }
        std::string bits = keyLength ? " " + std::to_string(keyLength) : "";

        // Lifetime attributes come in pairs: a life type, then its duration.
        uint32_t lifeType = 0;
        for (const auto& attribute : transform.attributes)
        {
            if (attribute.type == P2_LIFE_TYPE)
            {
                lifeType = attribute.value;
            }
            else if (attribute.type == P2_LIFE_DURATION && lifeType == 1)
            {
                lifetime = attribute.value;
            }
            else if (attribute.type == P2_LIFE_DURATION && lifeType == 2)
            {
                kilobytes = attribute.value;
            }
            else if (attribute.type == P2_ENCAPSULATION)
            {
                mode = attribute.value == 2 ? IpsecMode::TRANSPORT : IpsecMode::TUNNEL;
            }
            else if (attribute.type == TRAFFIC_CLASS_ATTRIBUTE)
            {
                trafficClass = attribute.value;
            }
        }

        if (proposal->protocol == ISAKMP_PROTO_IPSEC_AH)
        {
            if (transform.id == AH_SHA && authentication == AUTH_SHA)
            {
                words += " ah-sha-hmac";
            }
            else if (transform.id == AH_SHA256 && authentication == AUTH_SHA256)
            {
                words += " ah-sha256-hmac";
            }
            else
            {
                return false;
            }
        }
        else if (proposal->protocol == ISAKMP_PROTO_IPSEC_ESP)
        {
            if (transform.id == ESP_AES)
            {
                words += " esp-aes" + bits;
            }
            else if (transform.id == ESP_AES_GCM)
            {
                words += " esp-gcm" + bits;
            }
            else if (transform.id == ESP_NULL)
            {
                words += " esp-null";
            }
            else
            {
                return false;
            }
            if (authentication == AUTH_SHA)
            {
                words += " esp-sha-hmac";
            }
            else if (authentication == AUTH_SHA256)
            {
                words += " esp-sha256-hmac";
            }
            else if (authentication != 0)
            {
                return false;
            }
        }
        else
        {
            return false;
        }
    }
    if (words.empty() || !IpsecTransformSet::Parse("offered", words.substr(1), set).empty())
    {
        return false;
    }
    set.SetMode(mode);
    return true;
}

bool
IkeDaemon::SameTransforms(const IpsecTransformSet& a, const IpsecTransformSet& b)
{
    return a.HasAh() == b.HasAh() && a.GetAhIntegrity() == b.GetAhIntegrity() &&
           a.HasEsp() == b.HasEsp() && a.GetEspEncryption() == b.GetEspEncryption() &&
           a.GetEncryptionKeyBits() == b.GetEncryptionKeyBits() &&
           a.GetEspIntegrity() == b.GetEspIntegrity() && a.GetMode() == b.GetMode();
}

Ptr<CryptoMapEntry>
IkeDaemon::FindResponderEntry(Ipv4Address initiator,
                              const IsakmpPayload& idci,
                              const IsakmpPayload& idcr,
                              Ptr<CryptoMap>& cryptoMap,
                              Ipv4Address& local) const
{
    for (const auto& device : m_stack->GetDevices())
    {
        Ptr<CryptoMap> candidateMap = device->GetCryptoMap();
        if (!candidateMap)
        {
            continue;
        }
        for (const auto& entry : candidateMap->GetEntries())
        {
            if (entry->GetKeyManagement() != CryptoMapEntry::KeyManagement::ISAKMP)
            {
                continue;
            }
            const auto& peers = entry->GetPeers();
            if (std::find(peers.begin(), peers.end(), initiator) == peers.end())
            {
                continue;
            }

            // Our entry sees the traffic mirrored: our local side is the initiator's remote.
            IsakmpPayload ownLocal;
            IsakmpPayload ownRemote;
            if (!MakeProxyIdentities(entry, ownLocal, ownRemote))
            {
                continue;
            }
            if (ownLocal.idType == idcr.idType && ownLocal.data == idcr.data &&
                ownLocal.idProtocol == idcr.idProtocol && ownLocal.idPort == idcr.idPort &&
                ownRemote.idType == idci.idType && ownRemote.data == idci.data &&
                ownRemote.idProtocol == idci.idProtocol && ownRemote.idPort == idci.idPort)
            {
                cryptoMap = candidateMap;
                local = device->GetIpv4Address();
                return entry;
            }
        }
    }
    return nullptr;
}

void
IkeDaemon::ReceiveQm1(Ptr<IkeSa> sa,
                      const IsakmpMessage& message,
                      const std::vector<uint8_t>& bytes)
{
    NS_LOG_FUNCTION(this << sa->m_peer << message.messageId);
    const IsakmpPayload* sap = message.Find(ISAKMP_SA);
    const IsakmpPayload* nonce = message.Find(ISAKMP_NONCE);
    std::vector<const IsakmpPayload*> ids;
    for (const auto& payload : message.payloads)
    {
        if (payload.type == ISAKMP_ID)
        {
            ids.push_back(&payload);
        }
    }
    if (!sap || !nonce || nonce->data.size() < 8 || nonce->data.size() > 256 || ids.size() != 2)
    {
        Drop(bytes, sa->m_peer, IkeDropReason::UNEXPECTED);
        return;
    }

    // Rejects the exchange with a notification over the IKE SA.
    auto reject = [this, sa, sap](uint16_t type, IkeFailure failure) {
        IsakmpPayload notify;
        notify.type = ISAKMP_NOTIFICATION;
        notify.notifyType = type;
        notify.protocol =
            sap->proposals.empty() ? uint8_t(ISAKMP_PROTO_IPSEC_ESP) : sap->proposals[0].protocol;
        notify.spi = sap->proposals.empty() ? std::vector<uint8_t>() : sap->proposals[0].spi;
        SendInformational(sa, {notify});
        Fail(sa->m_peer, failure);
    };

    Ptr<CryptoMap> cryptoMap;
    Ipv4Address local = sa->m_local;
    Ptr<CryptoMapEntry> entry = FindResponderEntry(sa->m_peer, *ids[0], *ids[1], cryptoMap, local);
    if (!entry)
    {
        NS_LOG_DEBUG("no crypto map entry for " << DescribeIdentity(*ids[0]) << " -> "
                                                << DescribeIdentity(*ids[1]) << " from "
                                                << sa->m_peer);
        reject(NOTIFY_INVALID_ID, IkeFailure::NO_MATCHING_ENTRY);
        return;
    }

    // Walk the initiator's proposals (grouped by number) in its order against our sets.
    const IpsecTransformSet* chosen = nullptr;
    uint32_t peerEsp = 0;
    uint32_t peerAh = 0;
    uint32_t offeredLifetime = 0;
    uint32_t offeredKilobytes = 0;
    uint32_t trafficClass = 0;
    for (size_t i = 0; i < sap->proposals.size() && !chosen;)
    {
        std::vector<const IsakmpProposal*> group;
        size_t j = i;
        while (j < sap->proposals.size() && sap->proposals[j].number == sap->proposals[i].number)
        {
            group.push_back(&sap->proposals[j]);
            ++j;
        }
        i = j;
        IpsecTransformSet offered;
        if (!ReadTransformSet(group, offered, offeredLifetime, offeredKilobytes, trafficClass))
        {
            continue;
        }
        for (const auto& own : entry->GetTransformSets())
        {
            if (SameTransforms(own, offered))
            {
                chosen = &own;
                break;
            }
        }
        if (chosen)
        {
            for (const IsakmpProposal* proposal : group)
            {
                uint32_t spi = ReadSpi(proposal->spi);
                (proposal->protocol == ISAKMP_PROTO_IPSEC_ESP ? peerEsp : peerAh) = spi;
            }
        }
    }
    if (!chosen || (chosen->HasEsp() && peerEsp < 256) || (chosen->HasAh() && peerAh < 256) ||
        trafficClass >= entry->GetTrafficClassCount())
    {
        reject(ISAKMP_NOTIFY_NO_PROPOSAL_CHOSEN, IkeFailure::NO_TRANSFORM_SET);
        return;
    }

    // The responder keeps the smaller of the offered lifetimes and its own.
    Time ownLifetime =
        entry->GetLifetimeSeconds() ? *entry->GetLifetimeSeconds() : m_stack->GetLifetime();
    uint64_t ownKilobytes = entry->GetLifetimeKilobytes() ? *entry->GetLifetimeKilobytes()
                                                          : m_stack->GetLifetimeKilobytes();
    auto qm = Create<QuickMode>();
    qm->ikeSa = sa;
    qm->messageId = message.messageId;
    qm->initiator = false;
    qm->cryptoMap = cryptoMap;
    qm->entry = entry;
    qm->trafficClass = trafficClass;
    qm->local = local;
    qm->peer = sa->m_peer;
    qm->chosen = *chosen;
    qm->nonceInitiator = nonce->data;
    qm->nonceResponder = DrawBytes(m_nonceLength);
    qm->peerEspSpi = peerEsp;
    qm->peerAhSpi = peerAh;
    qm->localEspSpi = chosen->HasEsp() ? DrawSpi() : 0;
    qm->localAhSpi = chosen->HasAh() ? DrawSpi() : 0;
    uint32_t own = static_cast<uint32_t>(ownLifetime.GetSeconds());
    qm->lifetime = offeredLifetime ? std::min(offeredLifetime, own) : own;
    uint32_t ownKb = static_cast<uint32_t>(std::min<uint64_t>(ownKilobytes, 0xffffffffU));
    qm->kilobytes = offeredKilobytes ? std::min(offeredKilobytes, ownKb) : ownKb;
    qm->lastReceived = bytes;
    m_quickModes.push_back(qm);

    // Inbound SAs go in now, so the initiator's first packets after QM2 are accepted.
    std::vector<Ptr<IpsecSecurityAssociation>> inbound;
    CreateSas(qm, IpsecDirection::INBOUND, inbound);
    if (!InstallSet(qm, inbound, nullptr))
    {
        Fail(qm->peer, IkeFailure::ENGINE_FULL);
        FinishQuickMode(qm);
        return;
    }

    // HASH(2) | SA | Nr | IDci | IDcr.
    IsakmpMessage reply;
    reply.initiatorCookie = sa->m_initiatorCookie;
    reply.responderCookie = sa->m_responderCookie;
    reply.exchangeType = ISAKMP_EXCHANGE_QUICK_MODE;
    reply.messageId = qm->messageId;
    IsakmpPayload hash;
    hash.type = ISAKMP_HASH;
    IsakmpPayload replySa;
    replySa.type = ISAKMP_SA;
    replySa.proposals = BuildProposals(*chosen,
                                       sap->proposals.front().number,
                                       qm->localEspSpi,
                                       qm->localAhSpi,
                                       qm->lifetime,
                                       qm->kilobytes,
                                       entry->GetTrafficClassCount() > 1,
                                       trafficClass);
    IsakmpPayload nr;
    nr.type = ISAKMP_NONCE;
    nr.data = qm->nonceResponder;
    reply.payloads = {hash, replySa, nr, *ids[0], *ids[1]};
    NS_LOG_INFO("node " << m_node->GetId() << ": QM2 to " << qm->peer << ", transform set "
                        << chosen->GetName() << ", lifetime " << qm->lifetime << " s/"
                        << qm->kilobytes << " KB");
    SendPhase2(qm, SerializeWithHash(sa, reply, qm->nonceInitiator), true);
}

void
IkeDaemon::ReceiveQm2(Ptr<QuickMode> qm, const IsakmpMessage& message)
{
    NS_LOG_FUNCTION(this << qm->peer << qm->messageId);
    const IsakmpPayload* sap = message.Find(ISAKMP_SA);
    const IsakmpPayload* nonce = message.Find(ISAKMP_NONCE);
    if (!sap || sap->proposals.empty() || !nonce || nonce->data.size() < 8 ||
        nonce->data.size() > 256)
    {
        Drop(qm->lastReceived, qm->peer, IkeDropReason::UNEXPECTED);
        return;
    }

    // The answer must be one of our transform sets, by its proposal number.
    std::vector<const IsakmpProposal*> group;
    for (const auto& proposal : sap->proposals)
    {
        group.push_back(&proposal);
    }
    IpsecTransformSet answered;
    uint32_t lifetime = 0;
    uint32_t kilobytes = 0;
    uint32_t trafficClass = 0;
    uint32_t index = sap->proposals.front().number - 1;
    const auto& sets = qm->entry->GetTransformSets();
    if (!ReadTransformSet(group, answered, lifetime, kilobytes, trafficClass) ||
        index >= sets.size() || !SameTransforms(sets[index], answered))
    {
        Drop(qm->lastReceived, qm->peer, IkeDropReason::UNEXPECTED);
        return;
    }
    for (const auto& proposal : sap->proposals)
    {
        (proposal.protocol == ISAKMP_PROTO_IPSEC_ESP ? qm->peerEspSpi : qm->peerAhSpi) =
            ReadSpi(proposal.spi);
    }
    ReleaseEvent(qm->retransmitEvent);
    qm->chosen = sets[index];
    qm->nonceResponder = nonce->data;
    qm->lifetime = lifetime ? lifetime : qm->lifetime;
    qm->kilobytes = kilobytes ? kilobytes : qm->kilobytes;

    // Both directions now, then QM3.
    std::vector<Ptr<IpsecSecurityAssociation>> inbound;
    CreateSas(qm, IpsecDirection::INBOUND, inbound);
    std::vector<Ptr<IpsecSecurityAssociation>> unused;
    Ptr<IpsecSaBundle> outbound = CreateSas(qm, IpsecDirection::OUTBOUND, unused);
    if (!InstallSet(qm, inbound, outbound))
    {
        Fail(qm->peer, IkeFailure::ENGINE_FULL);
        FinishQuickMode(qm);
        return;
    }

    Ptr<IkeSa> sa = qm->ikeSa;
    IsakmpMessage reply;
    reply.initiatorCookie = sa->m_initiatorCookie;
    reply.responderCookie = sa->m_responderCookie;
    reply.exchangeType = ISAKMP_EXCHANGE_QUICK_MODE;
    reply.messageId = qm->messageId;
    IsakmpPayload hash;
    hash.type = ISAKMP_HASH;
    hash.data = ComputeHash3(qm);
    reply.payloads = {hash};
    SendPhase2(qm, reply.Serialize(sa->m_policy.GetBlockSize()), false);

    ++m_quickModesCompleted;
    m_quickModeTrace(sa, true, outbound->esp ? outbound->esp->GetSpi() : outbound->ah->GetSpi());
    FlushQueue(qm);
    FinishQuickMode(qm);
}

void
IkeDaemon::ReceiveQm3(Ptr<QuickMode> qm)
{
    NS_LOG_FUNCTION(this << qm->peer << qm->messageId);
    ReleaseEvent(qm->retransmitEvent);
    std::vector<Ptr<IpsecSecurityAssociation>> unused;
    Ptr<IpsecSaBundle> outbound = CreateSas(qm, IpsecDirection::OUTBOUND, unused);
    if (!InstallSet(qm, {}, outbound))
    {
        Fail(qm->peer, IkeFailure::ENGINE_FULL);
        FinishQuickMode(qm);
        return;
    }
    ++m_quickModesCompleted;
    m_quickModeTrace(qm->ikeSa,
                     false,
                     outbound->esp ? outbound->esp->GetSpi() : outbound->ah->GetSpi());
    FinishQuickMode(qm);
}

Ptr<IpsecSaBundle>
IkeDaemon::CreateSas(Ptr<QuickMode> qm,
                     IpsecDirection direction,
                     std::vector<Ptr<IpsecSecurityAssociation>>& inbound)
{
    const IpsecTransformSet& set = qm->chosen;
    bool in = direction == IpsecDirection::INBOUND;
    auto bundle = Create<IpsecSaBundle>();

    // Each direction is keyed by the SPI its receiver chose, so both peers derive the same
    // keys for it.
    if (set.HasEsp())
    {
        uint32_t spi = in ? qm->localEspSpi : qm->peerEspSpi;
        uint32_t encryptionLength = set.GetEspEncryptionKeyLength();
        uint32_t integrityLength = set.GetEspIntegrityKeyLength();
        std::vector<uint8_t> keymat =
            ComputeKeymat(qm, ISAKMP_PROTO_IPSEC_ESP, spi, encryptionLength + integrityLength);
        std::vector<uint8_t> encryption(keymat.begin(), keymat.begin() + encryptionLength);
        std::vector<uint8_t> integrity(keymat.begin() + encryptionLength, keymat.end());
        Ptr<IpsecSecurityAssociation> sa = m_stack->CreateSa(direction,
                                                             IpsecProtocol::ESP,
                                                             spi,
                                                             set,
                                                             encryption,
                                                             integrity,
                                                             qm->local,
                                                             qm->peer,
                                                             qm->cryptoMap,
                                                             qm->entry);
        sa->SetLifetime(Seconds(qm->lifetime), qm->kilobytes);
        (in ? inbound.push_back(sa) : void(bundle->esp = sa));
    }
    if (set.HasAh())
    {
        uint32_t spi = in ? qm->localAhSpi : qm->peerAhSpi;
        std::vector<uint8_t> keymat =
            ComputeKeymat(qm, ISAKMP_PROTO_IPSEC_AH, spi, set.GetAhIntegrityKeyLength());
        Ptr<IpsecSecurityAssociation> sa = m_stack->CreateSa(direction,
                                                             IpsecProtocol::AH,
                                                             spi,
                                                             set,
                                                             {},
                                                             keymat,
                                                             qm->local,
                                                             qm->peer,
                                                             qm->cryptoMap,
                                                             qm->entry);
        sa->SetLifetime(Seconds(qm->lifetime), qm->kilobytes);
        (in ? inbound.push_back(sa) : void(bundle->ah = sa));
    }
    return in ? nullptr : bundle;
}

bool
IkeDaemon::InstallSet(Ptr<QuickMode> qm,
                      const std::vector<Ptr<IpsecSecurityAssociation>>& inbound,
                      Ptr<IpsecSaBundle> outbound)
{
    NS_LOG_FUNCTION(this << qm->peer << inbound.size() << bool(outbound));
    if (!m_stack
             ->InstallSas(qm->cryptoMap, qm->entry, qm->peer, qm->trafficClass, inbound, outbound))
    {
        return false;
    }

    // Remember the set for rekeying at soft expiry and for DELETE messages.
    if (qm->setId == 0)
    {
        // A new set replaces the older ones of the same entry, peer and class, so their
        // soft expiry must not start another negotiation.
        for (auto& [id, other] : m_sets)
        {
            if (other.entry == qm->entry && other.peer == qm->peer &&
                other.trafficClass == qm->trafficClass)
            {
                other.rekeyed = true;
            }
        }
        qm->setId = m_nextSetId++;
        SetRecord record;
        record.cryptoMap = qm->cryptoMap;
        record.entry = qm->entry;
        record.trafficClass = qm->trafficClass;
        record.local = qm->local;
        record.peer = qm->peer;
        m_sets[qm->setId] = record;
    }
    SetRecord& record = m_sets[qm->setId];
    std::vector<Ptr<IpsecSecurityAssociation>> added = inbound;
    if (outbound && outbound->esp)
    {
        added.push_back(outbound->esp);
    }
    if (outbound && outbound->ah)
    {
        added.push_back(outbound->ah);
    }
    for (const auto& sa : added)
    {
        record.sas.push_back(sa);
        m_setOfSa[sa] = qm->setId;
        m_reservedSpis.erase(sa->GetSpi());
    }
    NS_LOG_INFO("node " << m_node->GetId() << ": installed " << inbound.size() << " inbound SAs"
                        << (outbound ? " and the outbound bundle" : "") << " with " << qm->peer
                        << " for crypto map " << qm->cryptoMap->GetName() << " "
                        << qm->entry->GetSequence());
    return true;
}

void
IkeDaemon::FlushQueue(Ptr<QuickMode> qm)
{
    if (!qm->device)
    {
        qm->queue.clear();
        return;
    }
    for (const auto& packet : qm->queue)
    {
        qm->device->Send(packet, qm->device->GetBroadcast(), 0x0800);
    }
    qm->queue.clear();
}

void
IkeDaemon::FinishQuickMode(Ptr<QuickMode> qm)
{
    if (qm->finished)
    {
        return;
    }
    qm->finished = true;
    ReleaseEvent(qm->retransmitEvent);
    qm->queue.clear();
    if (qm->setId == 0)
    {
        m_reservedSpis.erase(qm->localEspSpi);
        m_reservedSpis.erase(qm->localAhSpi);
    }
    if (qm->hasAcquireKey)
    {
        auto it = m_acquires.find(qm->acquireKey);
        if (it != m_acquires.end() && it->second == qm)
        {
            m_acquires.erase(it);
        }
    }

    // The finished exchange stays a while to answer a repeated last message, then goes.
    Time linger = GetRetransmitWait(0) * (m_retransmitLimit + 1);
    Simulator::Schedule(linger, [this, qm]() {
        m_quickModes.erase(std::remove(m_quickModes.begin(), m_quickModes.end(), qm),
                           m_quickModes.end());
    });
}

// ---------------------------------------------------------------------------------------
// Informational exchanges.

void
IkeDaemon::SendInformational(Ptr<IkeSa> sa, const std::vector<IsakmpPayload>& payloads)
{
    if (!sa->IsEstablished())
    {
        return;
    }
    IsakmpMessage message;
    message.initiatorCookie = sa->m_initiatorCookie;
    message.responderCookie = sa->m_responderCookie;
    message.exchangeType = ISAKMP_EXCHANGE_INFORMATIONAL;
    message.messageId = m_random->GetInteger(1, 0xffffffffU);
    IsakmpPayload hash;
    hash.type = ISAKMP_HASH;
    message.payloads.push_back(hash);
    for (const auto& payload : payloads)
    {
        message.payloads.push_back(payload);
    }
    SendBytes(sa->m_peer, SerializeWithHash(sa, message, {}));
}

bool
IkeDaemon::SendNotify(Ptr<IkeSa> sa,
                      uint16_t type,
                      uint8_t protocol,
                      const std::vector<uint8_t>& spi,
                      const std::vector<uint8_t>& data)
{
    NS_LOG_FUNCTION(this << sa->m_peer << type);
    if (!sa->IsEstablished())
    {
        return false;
    }
    IsakmpPayload notify;
    notify.type = ISAKMP_NOTIFICATION;
    notify.notifyType = type;
    notify.protocol = protocol;
    notify.spi = spi;
    notify.data = data;
    SendInformational(sa, {notify});
    return true;
}

void
IkeDaemon::ReceiveInformational(const IsakmpMessage& message,
                                const std::vector<uint8_t>& bytes,
                                uint32_t payloadsEnd,
                                Ipv4Address source)
{
    // An unprotected NO-PROPOSAL-CHOSEN answers our MM1 before any key exists.
    if (message.responderCookie == 0)
    {
        const IsakmpPayload* notify = message.Find(ISAKMP_NOTIFICATION);
        for (const auto& sa : m_ikeSas)
        {
            if (!sa->m_deleted && sa->m_initiator && sa->m_peer == source &&
                sa->m_state == IkeSaState::MM_NO_STATE &&
                sa->m_initiatorCookie == message.initiatorCookie && notify &&
                notify->notifyType == ISAKMP_NOTIFY_NO_PROPOSAL_CHOSEN)
            {
                Fail(source, IkeFailure::NO_PHASE1_PROPOSAL);
                DeleteIkeSa(sa, false);
                return;
            }
        }
        Drop(bytes, source, IkeDropReason::UNKNOWN_COOKIE);
        return;
    }

    Ptr<IkeSa> sa = FindByCookies(message.initiatorCookie, message.responderCookie, source);
    if (!sa)
    {
        Drop(bytes, source, IkeDropReason::UNKNOWN_COOKIE);
        return;
    }
    if (!sa->IsEstablished() || message.messageId == 0)
    {
        Drop(bytes, source, IkeDropReason::UNEXPECTED);
        return;
    }
    if (!VerifyHash(sa, message, bytes, payloadsEnd, {}))
    {
        Drop(bytes, source, IkeDropReason::BAD_HASH);
        return;
    }

    for (const auto& payload : message.payloads)
    {
        if (payload.type == ISAKMP_NOTIFICATION)
        {
            NS_LOG_DEBUG("node " << m_node->GetId() << ": notify " << payload.notifyType << " from "
                                 << source);

            // A rejected quick mode names the SPI we offered in QM1.
            if (payload.notifyType == ISAKMP_NOTIFY_NO_PROPOSAL_CHOSEN ||
                payload.notifyType == NOTIFY_INVALID_ID)
            {
                uint32_t spi = ReadSpi(payload.spi);
                std::vector<Ptr<QuickMode>> rejected;
                for (const auto& qm : m_quickModes)
                {
                    if (qm->ikeSa == sa && qm->initiator && !qm->finished && spi != 0 &&
                        (qm->localEspSpi == spi || qm->localAhSpi == spi))
                    {
                        rejected.push_back(qm);
                    }
                }
                for (const auto& qm : rejected)
                {
                    Fail(source,
                         payload.notifyType == NOTIFY_INVALID_ID ? IkeFailure::NO_MATCHING_ENTRY
                                                                 : IkeFailure::NO_TRANSFORM_SET);
                    FinishQuickMode(qm);
                }
            }
            m_notifyTrace(sa, payload);
        }
        else if (payload.type == ISAKMP_DELETE)
        {
            if (payload.protocol == ISAKMP_PROTO_ISAKMP)
            {
                NS_LOG_INFO("node " << m_node->GetId() << ": peer " << source << " deleted IKE SA "
                                    << sa->m_connectionId);
                DeleteIkeSa(sa, false);
                return;
            }
            IpsecProtocol protocol =
                payload.protocol == ISAKMP_PROTO_IPSEC_AH ? IpsecProtocol::AH : IpsecProtocol::ESP;
            for (const auto& spiBytes : payload.spis)
            {
                uint32_t spi = ReadSpi(spiBytes);
                Ptr<IpsecSecurityAssociation> outbound =
                    m_stack->FindOutboundSa(spi, protocol, source);
                NS_LOG_INFO("node " << m_node->GetId() << ": DELETE from " << source << " for SPI "
                                    << spi << (outbound ? "" : " (unknown)"));
                if (outbound)
                {
                    DeleteStaleOutboundSa(outbound);
                }
            }
        }
    }
}

// ---------------------------------------------------------------------------------------
// Reports from the stack.

void
IkeDaemon::SoftExpired(Ptr<IpsecSecurityAssociation> sa)
{
    NS_LOG_FUNCTION(this << sa->GetSpi());
    auto it = m_setOfSa.find(sa);
    if (it == m_setOfSa.end())
    {
        return;
    }
    SetRecord& record = m_sets[it->second];
    if (record.rekeyed)
    {
        return;
    }
    record.rekeyed = true;
    NS_LOG_INFO("node " << m_node->GetId() << ": SA " << sa->GetSpi()
                        << " reached its soft lifetime, rekeying with " << record.peer);
    StartNegotiation(record.local,
                     record.cryptoMap,
                     record.entry,
                     record.trafficClass,
                     record.peer,
                     nullptr,
                     nullptr);
}

void
IkeDaemon::SendDeletes(const std::vector<Ptr<IpsecSecurityAssociation>>& sas)
{
    // One informational exchange per peer, one DELETE payload per protocol.
    std::map<uint32_t, std::map<uint8_t, std::vector<std::vector<uint8_t>>>> byPeer;
    for (const auto& sa : sas)
    {
        if (sa->GetDirection() != IpsecDirection::INBOUND)
        {
            continue;
        }
        uint8_t protocol =
            sa->GetProtocol() == IpsecProtocol::AH ? ISAKMP_PROTO_IPSEC_AH : ISAKMP_PROTO_IPSEC_ESP;
        byPeer[sa->GetPeerAddress().Get()][protocol].push_back(SpiBytes(sa->GetSpi()));
    }
    for (const auto& [peer, protocols] : byPeer)
    {
        Ptr<IkeSa> ikeSa = FindIkeSa(Ipv4Address(peer), true);
        if (!ikeSa)
        {
            NS_LOG_DEBUG("no IKE SA to " << Ipv4Address(peer) << ": DELETE not sent");
            continue;
        }
        std::vector<IsakmpPayload> payloads;
        for (const auto& [protocol, spis] : protocols)
        {
            IsakmpPayload payload;
            payload.type = ISAKMP_DELETE;
            payload.protocol = protocol;
            payload.spiSize = 4;
            payload.spis = spis;
            payloads.push_back(payload);
        }
        NS_LOG_INFO("node " << m_node->GetId() << ": DELETE to " << Ipv4Address(peer));
        SendInformational(ikeSa, payloads);
    }
}

void
IkeDaemon::SasDeleted(const std::vector<Ptr<IpsecSecurityAssociation>>& sas,
                      IpsecSaDeleteReason reason)
{
    NS_LOG_FUNCTION(this << sas.size() << IpsecSaDeleteReasonName(reason));
    if (reason == IpsecSaDeleteReason::HARD_EXPIRED || reason == IpsecSaDeleteReason::IDLE ||
        reason == IpsecSaDeleteReason::CLEARED)
    {
        SendDeletes(sas);
    }

    std::set<uint32_t> peers;
    for (const auto& sa : sas)
    {
        peers.insert(sa->GetPeerAddress().Get());
        auto it = m_setOfSa.find(sa);
        if (it != m_setOfSa.end())
        {
            uint32_t setId = it->second;
            m_setOfSa.erase(it);
            auto set = m_sets.find(setId);
            if (set != m_sets.end())
            {
                auto& members = set->second.sas;
                members.erase(std::remove(members.begin(), members.end(), sa), members.end());
                if (members.empty())
                {
                    m_sets.erase(set);
                }
            }
        }
    }

    // The idle timer removing the last IPsec SA to a peer takes the IKE SA with it.
    if (reason != IpsecSaDeleteReason::IDLE)
    {
        return;
    }
    for (uint32_t peer : peers)
    {
        bool remaining = false;
        for (const auto& [sa, setId] : m_setOfSa)
        {
            remaining = remaining || sa->GetPeerAddress().Get() == peer;
        }
        Ptr<IkeSa> ikeSa = FindIkeSa(Ipv4Address(peer), false);
        if (!remaining && ikeSa)
        {
            NS_LOG_INFO("node " << m_node->GetId() << ": last SA to " << Ipv4Address(peer)
                                << " idle: deleting the IKE SA");
            DeleteIkeSa(ikeSa, true);
        }
    }
}

void
IkeDaemon::InvalidSpi(Ipv4Address source,
                      Ipv4Address destination,
                      IpsecProtocol protocol,
                      uint32_t spi)
{
    NS_LOG_FUNCTION(this << source << destination << spi);
    m_invalidSpiTrace(source, destination, protocol, spi);
}

void
IkeDaemon::SendObserved(Ptr<IpsecSecurityAssociation> sa)
{
    m_sendObservedTrace(sa);
}

// ---------------------------------------------------------------------------------------
// IKE SA table and operator commands.

Ptr<IkeSa>
IkeDaemon::FindIkeSa(Ipv4Address peer, bool established) const
{
    for (auto it = m_ikeSas.rbegin(); it != m_ikeSas.rend(); ++it)
    {
        const Ptr<IkeSa>& sa = *it;
        if (!sa->m_deleted && sa->m_peer == peer && (!established || sa->IsEstablished()))
        {
            return sa;
        }
    }
    return nullptr;
}

const std::vector<Ptr<IkeSa>>&
IkeDaemon::GetIkeSas() const
{
    return m_ikeSas;
}

void
IkeDaemon::DeleteIkeSa(Ptr<IkeSa> sa, bool notifyPeer)
{
    NS_LOG_FUNCTION(this << sa->m_peer << notifyPeer);
    if (sa->m_deleted)
    {
        return;
    }
    if (notifyPeer && sa->IsEstablished())
    {
        IsakmpPayload payload;
        payload.type = ISAKMP_DELETE;
        payload.protocol = ISAKMP_PROTO_ISAKMP;
        payload.spiSize = 16;
        payload.spis.push_back(sa->GetCookieBytes());
        SendInformational(sa, {payload});
    }

    // Quick modes over it or waiting for it end too; the next packet starts over.
    std::vector<Ptr<QuickMode>> ending;
    for (const auto& qm : m_quickModes)
    {
        bool waiting = qm->messageId == 0 && qm->peer == sa->m_peer;
        if (!qm->finished && (qm->ikeSa == sa || (waiting && !sa->IsEstablished())))
        {
            ending.push_back(qm);
        }
    }
    for (const auto& qm : ending)
    {
        FinishQuickMode(qm);
    }

    sa->CancelEvents();
    IkeSaState old = sa->m_state;
    sa->m_deleted = true;
    sa->m_state = IkeSaState::MM_NO_STATE;
    NS_LOG_INFO("node " << m_node->GetId() << ": IKE SA " << sa->m_connectionId << " with "
                        << sa->m_peer << " deleted (was " << IkeSaStateName(old) << ")");
    m_stateTrace(sa, old, IkeSaState::MM_NO_STATE, true);
    sa->m_expireEvent = Simulator::Schedule(m_deletedHoldTime, &IkeDaemon::Purge, this, sa);
}

void
IkeDaemon::DeleteStaleOutboundSa(Ptr<IpsecSecurityAssociation> outbound)
{
    NS_LOG_FUNCTION(this << outbound->GetSpi());

    // The stack does not report peer deletes back, so the set record goes here.
    auto it = m_setOfSa.find(outbound);
    if (it != m_setOfSa.end())
    {
        uint32_t setId = it->second;
        for (const auto& member : m_sets[setId].sas)
        {
            m_setOfSa.erase(member);
        }
        m_sets.erase(setId);
    }
    m_stack->DeleteSa(outbound, IpsecSaDeleteReason::PEER_DELETE);
}

void
IkeDaemon::Purge(Ptr<IkeSa> sa)
{
    // The running purge event is the SA's expiry event. The scheduler keeps its own
    // reference until the event returns, so releasing it here is safe.
    sa->CancelEvents();
    m_ikeSas.erase(std::remove(m_ikeSas.begin(), m_ikeSas.end(), sa), m_ikeSas.end());
}

void
IkeDaemon::ClearIsakmp()
{
    NS_LOG_FUNCTION(this);
    std::vector<Ptr<IkeSa>> all = m_ikeSas;
    for (const auto& sa : all)
    {
        DeleteIkeSa(sa, true);
    }
}

void
IkeDaemon::ClearSession(std::optional<Ipv4Address> peer)
{
    NS_LOG_FUNCTION(this);
    std::set<uint32_t> peers;
    if (peer)
    {
        peers.insert(peer->Get());
    }
    else
    {
        for (const auto& sa : m_ikeSas)
        {
            peers.insert(sa->m_peer.Get());
        }
        for (const auto& sa : m_stack->GetSadb()->GetInboundSas())
        {
            peers.insert(sa->GetPeerAddress().Get());
        }
        for (const auto& sa : m_stack->GetSadb()->GetOutboundSas())
        {
            peers.insert(sa->GetPeerAddress().Get());
        }
    }

    // IPsec SAs first, so their DELETE still travels over the IKE SA.
    for (uint32_t address : peers)
    {
        m_stack->DeleteSasOfPeer(Ipv4Address(address), IpsecSaDeleteReason::CLEARED);
        std::vector<Ptr<IkeSa>> all = m_ikeSas;
        for (const auto& sa : all)
        {
            if (sa->m_peer.Get() == address)
            {
                DeleteIkeSa(sa, true);
            }
        }
    }
}

void
IkeDaemon::ShowCryptoIsakmpSa(std::ostream& os) const
{
    os << "  f_vrf/i_vrf  dst          src          state          conn-id slot\n";
    for (const auto& sa : m_ikeSas)
    {
        // As in the guide's examples, dst is the peer and src this router.
        std::ostringstream dst;
        std::ostringstream src;
        dst << sa->m_peer;
        src << sa->m_local;
        os << "  " << std::left << std::setw(12) << "/" << std::setw(14) << dst.str()
           << std::setw(13) << src.str() << std::setw(15) << IkeSaStateName(sa->m_state)
           << std::setw(9) << sa->m_connectionId << "0" << (sa->m_deleted ? " (deleted)" : "")
           << std::right << "\n";
    }
}

void
IkeDaemon::Reset()
{
    NS_LOG_FUNCTION(this);
    for (const auto& sa : m_ikeSas)
    {
        sa->CancelEvents();
    }
    for (const auto& qm : m_quickModes)
    {
        ReleaseEvent(qm->retransmitEvent);
        qm->finished = true;
    }
    m_ikeSas.clear();
    m_quickModes.clear();
    m_acquires.clear();
    m_sets.clear();
    m_setOfSa.clear();
    m_reservedSpis.clear();
}

} // namespace ns3
