// Copyright (c) 2026 The ns3-ipsec authors
// SPDX-License-Identifier: GPL-2.0-only

#include "ike-invalid-spi-handler.h"

#include "crypto-map.h"
#include "ipsec-net-device.h"
#include "ipsec-security-association.h"
#include "ipsec-stack.h"

#include "ns3/abort.h"
#include "ns3/log.h"
#include "ns3/packet.h"
#include "ns3/pointer.h"
#include "ns3/simulator.h"

#include <vector>

namespace ns3
{

NS_LOG_COMPONENT_DEFINE("IkeInvalidSpiHandler");

NS_OBJECT_ENSURE_REGISTERED(IkeInvalidSpiHandler);

namespace
{

/// Name of an IPsec protocol for log messages.
const char*
ProtocolName(IpsecProtocol protocol)
{
    return protocol == IpsecProtocol::AH ? "AH" : "ESP";
}

} // namespace

TypeId
IkeInvalidSpiHandler::GetTypeId()
{
    static TypeId tid =
        TypeId("ns3::IkeInvalidSpiHandler")
            .SetParent<Object>()
            .SetGroupName("Ipsec")
            .AddConstructor<IkeInvalidSpiHandler>()
            .AddAttribute("NotifyInterval",
                          "Minimum simulated time between two INVALID_SPI notifications to one "
                          "peer over an existing IKE SA (s); stale packets in between are only "
                          "dropped.",
                          TimeValue(Seconds(1)),
                          MakeTimeAccessor(&IkeInvalidSpiHandler::m_notifyInterval),
                          MakeTimeChecker(Seconds(0)))
            .AddAttribute("Recovery",
                          "The admission control of invalid SPI recovery; its Enabled attribute "
                          "is `crypto isakmp invalid-spi-recovery`.",
                          PointerValue(),
                          MakePointerAccessor(&IkeInvalidSpiHandler::m_guard),
                          MakePointerChecker<InvalidSpiRecovery>())
            .AddTraceSource("NotifySent",
                            "An INVALID_SPI notification was sent to the sender of a stale "
                            "packet.",
                            MakeTraceSourceAccessor(&IkeInvalidSpiHandler::m_notifySentTrace),
                            "ns3::IkeInvalidSpiHandler::NotifyTracedCallback")
            .AddTraceSource("NotifySuppressed",
                            "An INVALID_SPI notification was not sent because the last one to "
                            "the peer is less than NotifyInterval old.",
                            MakeTraceSourceAccessor(&IkeInvalidSpiHandler::m_notifySuppressedTrace),
                            "ns3::IkeInvalidSpiHandler::NotifyTracedCallback")
            .AddTraceSource("NotifyReceived",
                            "An authenticated INVALID_SPI notification arrived; whether it "
                            "deleted an outbound SA.",
                            MakeTraceSourceAccessor(&IkeInvalidSpiHandler::m_staleSaTrace),
                            "ns3::IkeInvalidSpiHandler::StaleSaTracedCallback")
            .AddTraceSource("BlackHoleEnded",
                            "A packet from a crypto map peer was decrypted after invalid-SPI "
                            "drops; the duration and the drop count.",
                            MakeTraceSourceAccessor(&IkeInvalidSpiHandler::m_blackHoleTrace),
                            "ns3::IkeInvalidSpiHandler::BlackHoleTracedCallback");
    return tid;
}

IkeInvalidSpiHandler::IkeInvalidSpiHandler()
    : m_notifyInterval(Seconds(1)),
      m_decryptConnected(false),
      m_peersKnown(false),
      m_notifiesSent(0),
      m_notifiesSuppressed(0),
      m_notifiesReceived(0),
      m_staleSasDeleted(0),
      m_blackHolesEnded(0),
      m_lastBlackHoleDuration(Seconds(0)),
      m_lastBlackHoleDrops(0)
{
    NS_LOG_FUNCTION(this);
    m_guard = CreateObject<InvalidSpiRecovery>();
}

IkeInvalidSpiHandler::~IkeInvalidSpiHandler()
{
    NS_LOG_FUNCTION(this);
}

void
IkeInvalidSpiHandler::DoDispose()
{
    NS_LOG_FUNCTION(this);

    // The stack's Decrypt trace calls this handler through a plain pointer, so a stack
    // that outlives the handler must not keep the connection.
    if (m_decryptConnected && m_stack)
    {
        m_stack->TraceDisconnectWithoutContext(
            "Decrypt",
            MakeCallback(&IkeInvalidSpiHandler::HandleDecrypt, this));
        m_decryptConnected = false;
    }

    m_node = nullptr;
    m_daemon = nullptr;
    m_stack = nullptr;
    if (m_guard)
    {
        m_guard->Dispose();
        m_guard = nullptr;
    }
    m_pending.clear();
    m_blackHoles.clear();
    m_lastNotify.clear();
    Object::DoDispose();
}

void
IkeInvalidSpiHandler::Install(Ptr<Node> node)
{
    NS_LOG_FUNCTION(this << node);
    m_stack = node->GetObject<IpsecStack>();
    m_daemon = node->GetObject<IkeDaemon>();
    NS_ABORT_MSG_IF(!m_stack || !m_daemon,
                    "node " << node->GetId()
                            << " has no IPsec stack or IKE daemon: call IpsecHelper::Install "
                               "before installing invalid SPI handling");
    NS_ABORT_MSG_IF(node->GetObject<IkeInvalidSpiHandler>(),
                    "node " << node->GetId() << " already has invalid SPI handling");
    m_node = node;
    node->AggregateObject(this);

    m_daemon->TraceConnectWithoutContext(
        "InvalidSpi",
        MakeCallback(&IkeInvalidSpiHandler::HandleInvalidSpi, this));
    m_daemon->TraceConnectWithoutContext("NotifyReceived",
                                         MakeCallback(&IkeInvalidSpiHandler::HandleNotify, this));
    m_daemon->TraceConnectWithoutContext(
        "StateChange",
        MakeCallback(&IkeInvalidSpiHandler::HandleStateChange, this));
    m_daemon->TraceConnectWithoutContext(
        "ExchangeFailed",
        MakeCallback(&IkeInvalidSpiHandler::HandleExchangeFailed, this));
    m_stack->TraceConnectWithoutContext("RebootStart",
                                        MakeCallback(&IkeInvalidSpiHandler::HandleReboot, this));
}

Ptr<InvalidSpiRecovery>
IkeInvalidSpiHandler::GetRecovery() const
{
    return m_guard;
}

bool
IkeInvalidSpiHandler::IsRecoveryEnabled() const
{
    return m_guard->IsEnabled();
}

void
IkeInvalidSpiHandler::SetRecoveryEnabled(bool enabled)
{
    NS_LOG_FUNCTION(this << enabled);
    m_guard->SetEnabled(enabled);
}

void
IkeInvalidSpiHandler::HandleInvalidSpi(Ipv4Address source,
                                       Ipv4Address destination,
                                       IpsecProtocol protocol,
                                       uint32_t spi)
{
    NS_LOG_FUNCTION(this << source << destination << ProtocolName(protocol) << spi);
    RecordDrop(source);

    // An established IKE SA carries the notification at once, rate-limited per peer.
    Ptr<IkeSa> ikeSa = m_daemon->FindIkeSa(source, true);
    if (ikeSa)
    {
        Time now = Simulator::Now();
        auto last = m_lastNotify.find(source.Get());
        if (last != m_lastNotify.end() && now - last->second < m_notifyInterval)
        {
            ++m_notifiesSuppressed;
            NS_LOG_LOGIC("INVALID_SPI to " << source << " suppressed: last one sent at "
                                           << last->second.As(Time::S));
            m_notifySuppressedTrace(source, protocol, spi);
            return;
        }
        SendInvalidSpi(ikeSa, protocol, spi);
        return;
    }

    // Without one, only an admitted recovery may start main mode.
    if (!m_guard->Admit(source, protocol, spi))
    {
        return;
    }
    NS_LOG_INFO("node " << m_node->GetId() << ": invalid SPI recovery with " << source
                        << ": starting main mode for " << ProtocolName(protocol) << " SPI 0x"
                        << std::hex << spi << std::dec);
    m_pending[source.Get()] = PendingRecovery{protocol, spi};
    Ptr<IkeSa> started = m_daemon->StartMainMode(destination, source);
    if (!started)
    {
        // No pre-shared key or policy for the sender: the daemon counted the failure.
        m_pending.erase(source.Get());
        m_guard->RecoveryFinished(source, false);
    }
}

void
IkeInvalidSpiHandler::SendInvalidSpi(Ptr<IkeSa> sa, IpsecProtocol protocol, uint32_t spi)
{
    Ipv4Address peer = sa->GetPeerAddress();
    std::vector<uint8_t> spiField = {static_cast<uint8_t>(spi >> 24),
                                     static_cast<uint8_t>(spi >> 16),
                                     static_cast<uint8_t>(spi >> 8),
                                     static_cast<uint8_t>(spi)};
    uint8_t isakmpProtocol =
        protocol == IpsecProtocol::AH ? ISAKMP_PROTO_IPSEC_AH : ISAKMP_PROTO_IPSEC_ESP;
    if (!m_daemon->SendNotify(sa, ISAKMP_NOTIFY_INVALID_SPI, isakmpProtocol, spiField, {}))
    {
        NS_LOG_WARN("INVALID_SPI to " << peer << " not sent: IKE SA not established");
        return;
    }
    m_lastNotify[peer.Get()] = Simulator::Now();
    ++m_notifiesSent;
    NS_LOG_INFO("node " << m_node->GetId() << ": INVALID_SPI sent to " << peer << " for "
                        << ProtocolName(protocol) << " SPI 0x" << std::hex << spi << std::dec);
    m_notifySentTrace(peer, protocol, spi);
}

void
IkeInvalidSpiHandler::HandleNotify(Ptr<IkeSa> sa, const IsakmpPayload& notify)
{
    if (notify.notifyType != ISAKMP_NOTIFY_INVALID_SPI)
    {
        return;
    }
    NS_LOG_FUNCTION(this << sa->GetPeerAddress());

    // Only IPsec protocols with a 4-byte SPI name an SA of ours.
    if ((notify.protocol != ISAKMP_PROTO_IPSEC_ESP && notify.protocol != ISAKMP_PROTO_IPSEC_AH) ||
        notify.spi.size() != 4)
    {
        NS_LOG_LOGIC("INVALID_SPI from " << sa->GetPeerAddress() << " with protocol "
                                         << +notify.protocol << " and a " << notify.spi.size()
                                         << "-byte SPI ignored");
        return;
    }
    IpsecProtocol protocol =
        notify.protocol == ISAKMP_PROTO_IPSEC_AH ? IpsecProtocol::AH : IpsecProtocol::ESP;
    uint32_t spi = (uint32_t(notify.spi[0]) << 24) | (uint32_t(notify.spi[1]) << 16) |
                   (uint32_t(notify.spi[2]) << 8) | notify.spi[3];
    ++m_notifiesReceived;

    // The SA must be one we send to this peer, so a peer can only delete its own SAs.
    Ipv4Address peer = sa->GetPeerAddress();
    Ptr<IpsecSecurityAssociation> outbound = m_stack->FindOutboundSa(spi, protocol, peer);
    NS_LOG_INFO("node " << m_node->GetId() << ": INVALID_SPI from " << peer << " for "
                        << ProtocolName(protocol) << " SPI 0x" << std::hex << spi << std::dec
                        << (outbound ? ": deleting the outbound SA set" : ": no such SA"));
    if (outbound)
    {
        m_daemon->DeleteStaleOutboundSa(outbound);
        ++m_staleSasDeleted;
    }
    m_staleSaTrace(peer, protocol, spi, outbound != nullptr);
}

void
IkeInvalidSpiHandler::HandleStateChange(Ptr<const IkeSa> sa,
                                        IkeSaState oldState,
                                        IkeSaState newState,
                                        bool deleted)
{
    // A new or deleted IKE SA may come with a changed configuration.
    m_peersKnown = false;

    Ipv4Address peer = sa->GetPeerAddress();
    if (m_pending.find(peer.Get()) == m_pending.end())
    {
        return;
    }

    // The daemon is still inside its state change; act once it has finished.
    if (!deleted && newState == IkeSaState::QM_IDLE)
    {
        Simulator::ScheduleNow(&IkeInvalidSpiHandler::CompleteRecovery, this, peer);
    }
    else if (deleted)
    {
        Simulator::ScheduleNow(&IkeInvalidSpiHandler::CheckRecoveryFailed, this, peer);
    }
}

void
IkeInvalidSpiHandler::HandleExchangeFailed(Ipv4Address peer, IkeFailure failure)
{
    if (m_pending.find(peer.Get()) != m_pending.end())
    {
        NS_LOG_LOGIC("exchange with " << peer << " failed (" << IkeFailureName(failure)
                                      << ") during invalid SPI recovery");
        Simulator::ScheduleNow(&IkeInvalidSpiHandler::CheckRecoveryFailed, this, peer);
    }
}

void
IkeInvalidSpiHandler::CompleteRecovery(Ipv4Address peer)
{
    auto pending = m_pending.find(peer.Get());
    Ptr<IkeSa> ikeSa = m_daemon->FindIkeSa(peer, true);
    if (pending == m_pending.end() || !ikeSa)
    {
        return;
    }
    PendingRecovery recovery = pending->second;
    m_pending.erase(pending);
    SendInvalidSpi(ikeSa, recovery.protocol, recovery.spi);
    m_guard->RecoveryFinished(peer, true);
}

void
IkeInvalidSpiHandler::CheckRecoveryFailed(Ipv4Address peer)
{
    auto pending = m_pending.find(peer.Get());
    if (pending == m_pending.end() || m_daemon->FindIkeSa(peer, false))
    {
        return;
    }
    NS_LOG_INFO("node " << m_node->GetId() << ": invalid SPI recovery with " << peer
                        << " failed: no IKE SA");
    m_pending.erase(pending);
    m_guard->RecoveryFinished(peer, false);
}

void
IkeInvalidSpiHandler::HandleReboot(Time bootTime)
{
    NS_LOG_FUNCTION(this << bootTime);

    // The recoveries in progress end with the daemon's state. The guard then clears its
    // sources and refills its bucket, because a booting router starts with empty tables.
    for (const auto& [address, recovery] : m_pending)
    {
        m_guard->RecoveryFinished(Ipv4Address(address), false);
    }
    m_pending.clear();
    m_guard->Reset();
    m_lastNotify.clear();
}

void
IkeInvalidSpiHandler::RefreshPeers()
{
    m_peers.clear();
    for (const auto& device : m_stack->GetDevices())
    {
        Ptr<CryptoMap> cryptoMap = device->GetCryptoMap();
        if (!cryptoMap)
        {
            continue;
        }
        for (const auto& entry : cryptoMap->GetEntries())
        {
            for (const auto& peer : entry->GetPeers())
            {
                m_peers.insert(peer.Get());
            }
        }
    }
    m_peersKnown = true;
}

void
IkeInvalidSpiHandler::RecordDrop(Ipv4Address source)
{
    if (!m_peersKnown)
    {
        RefreshPeers();
    }
    if (m_peers.find(source.Get()) == m_peers.end())
    {
        return;
    }

    auto [hole, opened] = m_blackHoles.try_emplace(source.Get(), BlackHole{Simulator::Now(), 0});
    ++hole->second.drops;
    if (opened)
    {
        NS_LOG_DEBUG("black hole with " << source << " opened");
    }
    if (!m_decryptConnected)
    {
        m_stack->TraceConnectWithoutContext(
            "Decrypt",
            MakeCallback(&IkeInvalidSpiHandler::HandleDecrypt, this));
        m_decryptConnected = true;
    }
}

void
IkeInvalidSpiHandler::HandleDecrypt(Ptr<const Packet> packet,
                                    Ptr<const IpsecSecurityAssociation> sa)
{
    auto hole = m_blackHoles.find(sa->GetPeerAddress().Get());
    if (hole == m_blackHoles.end())
    {
        return;
    }

    m_lastBlackHoleDuration = Simulator::Now() - hole->second.firstDrop;
    m_lastBlackHoleDrops = hole->second.drops;
    ++m_blackHolesEnded;
    NS_LOG_INFO("node " << m_node->GetId() << ": black hole with " << sa->GetPeerAddress()
                        << " ended after " << m_lastBlackHoleDuration.As(Time::S) << ", "
                        << m_lastBlackHoleDrops << " invalid-SPI drops");
    m_blackHoleTrace(sa->GetPeerAddress(), m_lastBlackHoleDuration, m_lastBlackHoleDrops);
    m_blackHoles.erase(hole);

    // With no black hole open, decrypted packets need no look-up. The stack is still
    // iterating over its Decrypt callbacks, which a disconnection now would invalidate.
    if (m_blackHoles.empty())
    {
        Simulator::ScheduleNow(&IkeInvalidSpiHandler::DisconnectDecrypt, this);
    }
}

void
IkeInvalidSpiHandler::DisconnectDecrypt()
{
    if (m_blackHoles.empty() && m_decryptConnected)
    {
        m_stack->TraceDisconnectWithoutContext(
            "Decrypt",
            MakeCallback(&IkeInvalidSpiHandler::HandleDecrypt, this));
        m_decryptConnected = false;
    }
}

uint64_t
IkeInvalidSpiHandler::GetNotifiesSent() const
{
    return m_notifiesSent;
}

uint64_t
IkeInvalidSpiHandler::GetNotifiesSuppressed() const
{
    return m_notifiesSuppressed;
}

uint64_t
IkeInvalidSpiHandler::GetNotifiesReceived() const
{
    return m_notifiesReceived;
}

uint64_t
IkeInvalidSpiHandler::GetStaleSasDeleted() const
{
    return m_staleSasDeleted;
}

uint64_t
IkeInvalidSpiHandler::GetRecoveriesStarted() const
{
    return m_guard->GetStartedCount();
}

uint64_t
IkeInvalidSpiHandler::GetRecoveriesSuppressed() const
{
    return m_guard->GetSuppressedCount();
}

uint64_t
IkeInvalidSpiHandler::GetBlackHolesEnded() const
{
    return m_blackHolesEnded;
}

Time
IkeInvalidSpiHandler::GetLastBlackHoleDuration() const
{
    return m_lastBlackHoleDuration;
}

uint64_t
IkeInvalidSpiHandler::GetLastBlackHoleDrops() const
{
    return m_lastBlackHoleDrops;
}

} // namespace ns3
