// Copyright (c) 2026 The ns3-ipsec authors
// SPDX-License-Identifier: GPL-2.0-only

#include "isakmp-keepalive.h"

#include "crypto-map.h"
#include "ipsec-net-device.h"
#include "ipsec-sadb.h"
#include "ipsec-security-association.h"
#include "ipsec-stack.h"
#include "ipsec-syslog.h"
#include "isakmp-header.h"

#include "ns3/abort.h"
#include "ns3/log.h"
#include "ns3/simulator.h"

#include <algorithm>

namespace ns3
{

NS_LOG_COMPONENT_DEFINE("IsakmpKeepalive");

NS_OBJECT_ENSURE_REGISTERED(IsakmpKeepalive);

namespace
{

/// Byte offset of the exchange type in the ISAKMP header (RFC 2408 section 3.1).
constexpr uint32_t EXCHANGE_TYPE_OFFSET = 18;

/**
 * Writes a sequence number as the 4 bytes of notification data, most significant first.
 * \param sequence the sequence number
 * \return the bytes
 */
std::vector<uint8_t>
SequenceBytes(uint32_t sequence)
{
    return {static_cast<uint8_t>(sequence >> 24),
            static_cast<uint8_t>(sequence >> 16),
            static_cast<uint8_t>(sequence >> 8),
            static_cast<uint8_t>(sequence)};
}

} // namespace

TypeId
IsakmpKeepalive::GetTypeId()
{
    static TypeId tid =
        TypeId("ns3::IsakmpKeepalive")
            .SetParent<Object>()
            .SetGroupName("Ipsec")
            .AddConstructor<IsakmpKeepalive>()
            .AddTraceSource("PeerDead",
                            "Dead peer detection declared a peer dead, with the time of the "
                            "first unanswered R-U-THERE of the last round.",
                            MakeTraceSourceAccessor(&IsakmpKeepalive::m_peerDeadTrace),
                            "ns3::IsakmpKeepalive::PeerDeadTracedCallback")
            .AddTraceSource("Failover",
                            "A crypto map entry moved from a dead peer to its next listed peer.",
                            MakeTraceSourceAccessor(&IsakmpKeepalive::m_failoverTrace),
                            "ns3::IsakmpKeepalive::FailoverTracedCallback")
            .AddTraceSource("DpdMessageSent",
                            "An R-U-THERE or R-U-THERE-ACK was sent to a peer.",
                            MakeTraceSourceAccessor(&IsakmpKeepalive::m_sentTrace),
                            "ns3::IsakmpKeepalive::DpdMessageTracedCallback")
            .AddTraceSource("DpdMessageReceived",
                            "An authenticated R-U-THERE or R-U-THERE-ACK arrived from a peer.",
                            MakeTraceSourceAccessor(&IsakmpKeepalive::m_receivedTrace),
                            "ns3::IsakmpKeepalive::DpdMessageTracedCallback")
            .AddTraceSource("SasInstalled",
                            "A quick mode installed IPsec SAs with a peer.",
                            MakeTraceSourceAccessor(&IsakmpKeepalive::m_sasInstalledTrace),
                            "ns3::IsakmpKeepalive::SasInstalledTracedCallback")
            .AddTraceSource("DetectorCreated",
                            "An IKE SA with a peer that supports DPD got its detector.",
                            MakeTraceSourceAccessor(&IsakmpKeepalive::m_detectorTrace),
                            "ns3::IsakmpKeepalive::DetectorTracedCallback");
    return tid;
}

IsakmpKeepalive::IsakmpKeepalive()
    : m_enabled(false),
      m_announced(false),
      m_stream(-1),
      m_peersWithoutDpd(0)
{
    NS_LOG_FUNCTION(this);
    m_detectorFactory.SetTypeId(DeadPeerDetector::GetTypeId());
}

IsakmpKeepalive::~IsakmpKeepalive()
{
    NS_LOG_FUNCTION(this);
}

void
IsakmpKeepalive::DoDispose()
{
    NS_LOG_FUNCTION(this);
    for (auto& [key, tunnel] : m_tunnels)
    {
        tunnel.detector->Dispose();
    }
    m_tunnels.clear();
    DisposeRetired();
    m_daemon = nullptr;
    m_stack = nullptr;
    m_node = nullptr;
    Object::DoDispose();
}

const std::vector<uint8_t>&
IsakmpKeepalive::GetDpdVendorId()
{
    // The vendor ID that announces DPD support (RFC 3706).
    static const std::vector<uint8_t> vendorId = {0xaf,
                                                  0xca,
                                                  0xd7,
                                                  0x13,
                                                  0x68,
                                                  0xa1,
                                                  0xf1,
                                                  0xc9,
                                                  0x6b,
                                                  0x86,
                                                  0x96,
                                                  0xfc,
                                                  0x77,
                                                  0x57,
                                                  0x01,
                                                  0x00};
    return vendorId;
}

void
IsakmpKeepalive::Install(Ptr<Node> node)
{
    NS_LOG_FUNCTION(this << node->GetId());
    m_node = node;
    m_daemon = node->GetObject<IkeDaemon>();
    m_stack = node->GetObject<IpsecStack>();
    NS_ABORT_MSG_IF(!m_daemon || !m_stack,
                    "node " << node->GetId()
                            << " has no IKE daemon: call IpsecHelper::Install before keepalive");
    node->AggregateObject(this);

    m_daemon->TraceConnectWithoutContext("StateChange",
                                         MakeCallback(&IsakmpKeepalive::HandleStateChange, this));
    m_daemon->TraceConnectWithoutContext("NotifyReceived",
                                         MakeCallback(&IsakmpKeepalive::HandleNotify, this));
    m_daemon->TraceConnectWithoutContext("MessageReceived",
                                         MakeCallback(&IsakmpKeepalive::HandleMessage, this));
    m_daemon->TraceConnectWithoutContext("SendObserved",
                                         MakeCallback(&IsakmpKeepalive::HandleSendObserved, this));
    m_daemon->TraceConnectWithoutContext("QuickModeDone",
                                         MakeCallback(&IsakmpKeepalive::HandleQuickModeDone, this));
    m_stack->TraceConnectWithoutContext("RebootStart",
                                        MakeCallback(&IsakmpKeepalive::HandleReboot, this));
}

std::string
IsakmpKeepalive::Configure(const DpdConfig& config)
{
    NS_LOG_FUNCTION(this << config.interval << config.retry << config.mode);
    NS_ABORT_MSG_IF(!m_daemon, "IsakmpKeepalive::Configure: call Install first");
    std::string reason = config.Validate();
    if (!reason.empty())
    {
        NS_LOG_WARN("node " << m_node->GetId() << ": crypto isakmp keepalive rejected: " << reason);
        return reason;
    }

    m_config = config;
    m_enabled = true;
    if (!m_announced)
    {
        m_daemon->AddLocalVendorId(GetDpdVendorId());
        m_announced = true;
    }
    NS_LOG_INFO("node " << m_node->GetId() << ": crypto isakmp keepalive " << config.interval << " "
                        << config.retry << " "
                        << (config.mode == DPD_PERIODIC ? "periodic" : "on-demand"));
    return "";
}

std::string
IsakmpKeepalive::Configure(uint32_t seconds, uint32_t retry, DpdMode mode)
{
    DpdConfig config;
    config.interval = seconds;
    config.retry = retry;
    config.mode = mode;
    return Configure(config);
}

void
IsakmpKeepalive::Disable()
{
    NS_LOG_FUNCTION(this);
    m_enabled = false;
    for (auto& [key, tunnel] : m_tunnels)
    {
        RetireDetector(tunnel.detector);
    }
    m_tunnels.clear();
}

bool
IsakmpKeepalive::IsEnabled() const
{
    return m_enabled;
}

DpdConfig
IsakmpKeepalive::GetConfig() const
{
    return m_config;
}

void
IsakmpKeepalive::SetDetectorAttribute(const std::string& name, const AttributeValue& value)
{
    m_detectorFactory.Set(name, value);
}

Ptr<DeadPeerDetector>
IsakmpKeepalive::GetDetector(Ipv4Address peer) const
{
    // The newest IKE SA wins, as IkeDaemon::FindIkeSa picks it for new exchanges.
    Ptr<DeadPeerDetector> found;
    Time newest = Seconds(-1);
    for (const auto& [key, tunnel] : m_tunnels)
    {
        if (tunnel.ikeSa->GetPeerAddress() == peer && tunnel.ikeSa->GetEstablishedTime() > newest)
        {
            newest = tunnel.ikeSa->GetEstablishedTime();
            found = tunnel.detector;
        }
    }
    return found;
}

IsakmpKeepalive::PeerCounters
IsakmpKeepalive::GetCounters(Ipv4Address peer) const
{
    auto it = m_counters.find(peer.Get());
    return it == m_counters.end() ? PeerCounters() : it->second;
}

uint64_t
IsakmpKeepalive::GetPeersWithoutDpd() const
{
    return m_peersWithoutDpd;
}

int64_t
IsakmpKeepalive::AssignStreams(int64_t stream)
{
    NS_LOG_FUNCTION(this << stream);
    m_stream = stream;
    return 1;
}

void
IsakmpKeepalive::HandleStateChange(Ptr<const IkeSa> sa,
                                   IkeSaState oldState,
                                   IkeSaState newState,
                                   bool deleted)
{
    if (deleted)
    {
        auto it = m_tunnels.find(PeekPointer(sa));
        if (it != m_tunnels.end())
        {
            NS_LOG_LOGIC("node " << m_node->GetId() << ": IKE SA " << sa->GetConnectionId()
                                 << " with " << sa->GetPeerAddress()
                                 << " deleted, its detector stops");
            RetireDetector(it->second.detector);
            m_tunnels.erase(it);
        }
        return;
    }
    if (newState != IkeSaState::QM_IDLE || oldState == IkeSaState::QM_IDLE || !m_enabled)
    {
        return;
    }

    // The trace hands out a const SA, but sending needs the daemon's own pointer.
    for (const auto& candidate : m_daemon->GetIkeSas())
    {
        if (PeekPointer(candidate) == PeekPointer(sa))
        {
            CreateDetector(candidate);
            return;
        }
    }
}

void
IsakmpKeepalive::CreateDetector(Ptr<IkeSa> sa)
{
    NS_LOG_FUNCTION(this << sa->GetPeerAddress());
    Ipv4Address peer = sa->GetPeerAddress();
    if (!sa->HasPeerVendorId(GetDpdVendorId()))
    {
        ++m_peersWithoutDpd;
        NS_LOG_INFO("node " << m_node->GetId() << ": peer " << peer
                            << " did not announce DPD support: no keepalive on IKE SA "
                            << sa->GetConnectionId());
        return;
    }

    Ptr<DeadPeerDetector> detector = m_detectorFactory.Create<DeadPeerDetector>();
    detector->SetConfig(m_config);
    detector->SetPeerAddress(peer);
    if (m_stream >= 0)
    {
        detector->AssignStreams(m_stream);
    }
    detector->SetSendRuThereCallback(MakeCallback(&IsakmpKeepalive::SendRuThere, this, sa));
    detector->SetSendAckCallback(MakeCallback(&IsakmpKeepalive::SendAck, this, sa));
    detector->SetArmSendWatchCallback(MakeCallback(&IsakmpKeepalive::ArmSendWatch, this, peer));
    detector->SetPeerDeadCallback(MakeCallback(&IsakmpKeepalive::HandlePeerDead, this, sa));
    detector->SetLastInboundTimeCallback(
        MakeCallback(&IsakmpKeepalive::GetLastInbound, this, peer));
    detector->TraceConnectWithoutContext(
        "RuThereSent",
        MakeCallback(&IsakmpKeepalive::HandleRuThereSent, this, PeekPointer(sa)));

    Tunnel& tunnel = m_tunnels[PeekPointer(sa)];
    tunnel.ikeSa = sa;
    tunnel.detector = detector;
    NS_LOG_INFO("node " << m_node->GetId() << ": IKE_DPD is enabled for peer " << peer
                        << ", initializing timers");
    m_detectorTrace(peer, detector);
    detector->Start();
}

void
IsakmpKeepalive::RetireDetector(Ptr<DeadPeerDetector> detector)
{
    detector->Stop();
    if (m_retired.empty())
    {
        Simulator::ScheduleNow(&IsakmpKeepalive::DisposeRetired, this);
    }
    m_retired.push_back(detector);
}

void
IsakmpKeepalive::DisposeRetired()
{
    for (const auto& detector : m_retired)
    {
        detector->Dispose();
    }
    m_retired.clear();
}

void
IsakmpKeepalive::HandleNotify(Ptr<IkeSa> sa, const IsakmpPayload& notify)
{
    Ipv4Address peer = sa->GetPeerAddress();
    if (notify.notifyType != ISAKMP_NOTIFY_R_U_THERE &&
        notify.notifyType != ISAKMP_NOTIFY_R_U_THERE_ACK)
    {
        // An INVALID-SPI or NO-PROPOSAL-CHOSEN passed the HASH check, so the peer is alive.
        m_lastIkeMessage[peer.Get()] = Simulator::Now();
        return;
    }
    if (notify.data.size() != 4)
    {
        NS_LOG_DEBUG("node " << m_node->GetId() << ": DPD notification from " << peer << " with "
                             << notify.data.size() << " data bytes instead of 4 ignored");
        return;
    }

    uint32_t sequence = (uint32_t(notify.data[0]) << 24) | (uint32_t(notify.data[1]) << 16) |
                        (uint32_t(notify.data[2]) << 8) | uint32_t(notify.data[3]);
    m_receivedTrace(peer, notify.notifyType, sequence);
    PeerCounters& counters = m_counters[peer.Get()];
    auto it = m_tunnels.find(PeekPointer(sa));
    if (notify.notifyType == ISAKMP_NOTIFY_R_U_THERE)
    {
        ++counters.ruThereReceived;
        if (it != m_tunnels.end())
        {
            it->second.detector->ReceiveRuThere(sequence);
        }
        else if (m_announced)
        {
            // This node announced DPD support, so it acknowledges even without a detector.
            NS_LOG_DEBUG("node " << m_node->GetId() << ": R-U-THERE from " << peer
                                 << " answered without a detector");
            SendAck(sa, sequence);
        }
        return;
    }

    ++counters.ackReceived;
    if (it == m_tunnels.end())
    {
        ++counters.ackIgnored;
        NS_LOG_DEBUG("node " << m_node->GetId() << ": R-U-THERE-ACK from " << peer
                             << " ignored: no detector on that IKE SA");
        return;
    }
    uint64_t ignoredBefore = it->second.detector->GetAckIgnored();
    it->second.detector->ReceiveRuThereAck(sequence);
    counters.ackIgnored += it->second.detector->GetAckIgnored() - ignoredBefore;
}

void
IsakmpKeepalive::HandleMessage(Ptr<const Packet> packet, Ipv4Address peer)
{
    // Informational exchanges are left out: their DPD messages are the detector's own
    // evidence and reach HandleNotify after the HASH check. Only messages carrying the
    // cookies of an IKE SA with the sender count, so a stray datagram proves nothing.
    uint32_t size = packet->GetSize();
    if (size < ISAKMP_HEADER_SIZE)
    {
        return;
    }
    uint8_t header[ISAKMP_HEADER_SIZE];
    packet->CopyData(header, ISAKMP_HEADER_SIZE);
    if (header[EXCHANGE_TYPE_OFFSET] == ISAKMP_EXCHANGE_INFORMATIONAL)
    {
        return;
    }
    for (const auto& [key, tunnel] : m_tunnels)
    {
        if (tunnel.ikeSa->GetPeerAddress() != peer)
        {
            continue;
        }
        std::vector<uint8_t> cookies = tunnel.ikeSa->GetCookieBytes();
        if (std::equal(cookies.begin(), cookies.end(), header))
        {
            m_lastIkeMessage[peer.Get()] = Simulator::Now();
            return;
        }
    }
}

void
IsakmpKeepalive::HandleSendObserved(Ptr<IpsecSecurityAssociation> sa)
{
    Ipv4Address peer = sa->GetPeerAddress();
    for (const auto& [key, tunnel] : m_tunnels)
    {
        if (tunnel.ikeSa->GetPeerAddress() == peer)
        {
            tunnel.detector->NotifyOutboundTraffic();
        }
    }
}

void
IsakmpKeepalive::HandleQuickModeDone(Ptr<const IkeSa> sa, bool initiator, uint32_t outboundSpi)
{
    Ipv4Address peer = sa->GetPeerAddress();
    NS_LOG_LOGIC("node " << m_node->GetId() << ": SAs installed with " << peer << ", outbound SPI "
                         << outboundSpi);
    m_sasInstalledTrace(peer, initiator);

    // A detector waiting for traffic watches the SAs that existed when it armed the watch.
    // New outbound SAs need the watch too, or their traffic would go unnoticed.
    for (const auto& [key, tunnel] : m_tunnels)
    {
        if (tunnel.ikeSa->GetPeerAddress() == peer &&
            tunnel.detector->GetState() == DeadPeerDetector::ARMED)
        {
            ArmSendWatch(peer);
            return;
        }
    }
}

void
IsakmpKeepalive::HandleReboot(Time bootTime)
{
    NS_LOG_FUNCTION(this << bootTime);
    for (auto& [key, tunnel] : m_tunnels)
    {
        RetireDetector(tunnel.detector);
    }
    m_tunnels.clear();
    m_lastIkeMessage.clear();
}

void
IsakmpKeepalive::SendDpdMessage(Ptr<IkeSa> sa, uint16_t type, uint32_t sequence)
{
    Ipv4Address peer = sa->GetPeerAddress();
    if (!m_daemon->SendNotify(sa,
                              type,
                              ISAKMP_PROTO_ISAKMP,
                              sa->GetCookieBytes(),
                              SequenceBytes(sequence)))
    {
        NS_LOG_DEBUG("node " << m_node->GetId() << ": DPD message " << type << " to " << peer
                             << " not sent: IKE SA not established");
        return;
    }
    m_sentTrace(peer, type, sequence);
}

void
IsakmpKeepalive::SendRuThere(Ptr<IkeSa> sa, uint32_t sequence)
{
    ++m_counters[sa->GetPeerAddress().Get()].ruThereSent;
    SendDpdMessage(sa, ISAKMP_NOTIFY_R_U_THERE, sequence);
}

void
IsakmpKeepalive::SendAck(Ptr<IkeSa> sa, uint32_t sequence)
{
    ++m_counters[sa->GetPeerAddress().Get()].ackSent;
    SendDpdMessage(sa, ISAKMP_NOTIFY_R_U_THERE_ACK, sequence);
}

void
IsakmpKeepalive::HandleRuThereSent(const IkeSa* sa, uint32_t sequence, uint32_t attempt)
{
    auto it = m_tunnels.find(sa);
    if (attempt == 1 && it != m_tunnels.end())
    {
        it->second.roundStart = Simulator::Now();
    }
}

void
IsakmpKeepalive::ArmSendWatch(Ipv4Address peer)
{
    uint32_t armed = 0;
    for (const auto& sa : m_stack->GetSadb()->GetOutboundSas())
    {
        if (sa->GetPeerAddress() == peer)
        {
            sa->WatchSend();
            ++armed;
        }
    }
    NS_LOG_LOGIC("node " << m_node->GetId() << ": send watch armed on " << armed
                         << " outbound SAs to " << peer);
}

Time
IsakmpKeepalive::GetLastInbound(Ipv4Address peer) const
{
    Time last = Seconds(0);
    auto it = m_lastIkeMessage.find(peer.Get());
    if (it != m_lastIkeMessage.end())
    {
        last = it->second;
    }
    for (const auto& sa : m_stack->GetSadb()->GetInboundSas())
    {
        if (sa->GetPeerAddress() == peer)
        {
            last = std::max(last, sa->GetLastUsedTime());
        }
    }
    return last;
}

void
IsakmpKeepalive::HandlePeerDead(Ptr<IkeSa> sa)
{
    Ipv4Address peer = sa->GetPeerAddress();
    NS_LOG_FUNCTION(this << peer);
    Time roundStart;
    auto it = m_tunnels.find(PeekPointer(sa));
    if (it != m_tunnels.end())
    {
        roundStart = it->second.roundStart;
    }
    ++m_counters[peer.Get()].deadCount;

    NS_LOG_INFO("node " << m_node->GetId() << ": peer " << peer
                        << " not responding, deleting its SAs");
    m_stack->GetSyslog()->Log("CRYPTO",
                              5,
                              "SESSION_STATUS",
                              DeadPeerDetector::FormatSessionDownText(peer));
    m_peerDeadTrace(peer, roundStart);

    // A dead peer would not receive a DELETE, so every IKE SA with it is deleted silently.
    // Deleting the detector's own IKE SA retires the detector through the state change.
    std::vector<Ptr<IkeSa>> ikeSas = m_daemon->GetIkeSas();
    for (const auto& ikeSa : ikeSas)
    {
        if (ikeSa->GetPeerAddress() == peer && !ikeSa->IsDeleted())
        {
            m_daemon->DeleteIkeSa(ikeSa, false);
        }
    }
    // The stack does not report PEER_DEAD deletions to its key manager, so they are passed
    // to IkeDaemon::SasDeleted here, which drops its records and sends no DELETE for them.
    std::vector<Ptr<IpsecSecurityAssociation>> sas;
    for (const auto& inbound : m_stack->GetSadb()->GetInboundSas())
    {
        if (inbound->GetPeerAddress() == peer)
        {
            sas.push_back(inbound);
        }
    }
    for (const auto& outbound : m_stack->GetSadb()->GetOutboundSas())
    {
        if (outbound->GetPeerAddress() == peer)
        {
            sas.push_back(outbound);
        }
    }
    m_stack->DeleteSasOfPeer(peer, IpsecSaDeleteReason::PEER_DEAD);
    if (!sas.empty())
    {
        m_daemon->SasDeleted(sas, IpsecSaDeleteReason::PEER_DEAD);
    }
    AdvancePeers(peer);
}

void
IsakmpKeepalive::AdvancePeers(Ipv4Address peer)
{
    for (const auto& device : m_stack->GetDevices())
    {
        Ptr<CryptoMap> cryptoMap = device->GetCryptoMap();
        if (!cryptoMap)
        {
            continue;
        }
        for (const auto& entry : cryptoMap->GetEntries())
        {
            if (entry->GetKeyManagement() != CryptoMapEntry::KeyManagement::ISAKMP ||
                entry->GetPeers().size() < 2 || entry->GetCurrentPeer() != peer)
            {
                continue;
            }
            entry->AdvancePeer();
            NS_LOG_INFO("node " << m_node->GetId() << ": crypto map " << cryptoMap->GetName() << " "
                                << entry->GetSequence() << " fails over from " << peer << " to "
                                << entry->GetCurrentPeer());
            m_failoverTrace(cryptoMap->GetName(),
                            entry->GetSequence(),
                            peer,
                            entry->GetCurrentPeer());
        }
    }
}

} // namespace ns3
