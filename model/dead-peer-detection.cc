// Copyright (c) 2026 The ns3-ipsec authors
// SPDX-License-Identifier: GPL-2.0-only

#include "dead-peer-detection.h"

#include "ns3/abort.h"
#include "ns3/enum.h"
#include "ns3/log.h"
#include "ns3/simulator.h"
#include "ns3/uinteger.h"

#include <algorithm>
#include <sstream>

namespace ns3
{

NS_LOG_COMPONENT_DEFINE("DeadPeerDetector");

NS_OBJECT_ENSURE_REGISTERED(DeadPeerDetector);

std::string
DpdConfig::Validate() const
{
    std::ostringstream reason;
    if (interval == 0)
    {
        reason << "keepalive interval missing: give " << MIN_INTERVAL << ".." << MAX_INTERVAL
               << " seconds";
    }
    else if (interval < MIN_INTERVAL || interval > MAX_INTERVAL)
    {
        reason << "keepalive interval " << interval << " is out of range " << MIN_INTERVAL << ".."
               << MAX_INTERVAL << " seconds";
    }
    else if (retry < MIN_RETRY || retry > MAX_RETRY)
    {
        reason << "keepalive retry interval " << retry << " is out of range " << MIN_RETRY << ".."
               << MAX_RETRY << " seconds";
    }
    return reason.str();
}

TypeId
DeadPeerDetector::GetTypeId()
{
    static TypeId tid =
        TypeId("ns3::DeadPeerDetector")
            .SetParent<Object>()
            .SetGroupName("Ipsec")
            .AddConstructor<DeadPeerDetector>()
            .AddAttribute(
                "Interval",
                "Time between periodic R-U-THERE messages, or of silence from the "
                "peer before an on-demand one (seconds, 10..3600).",
                TimeValue(Seconds(10)),
                MakeTimeAccessor(&DeadPeerDetector::m_interval),
                MakeTimeChecker(Seconds(DpdConfig::MIN_INTERVAL), Seconds(DpdConfig::MAX_INTERVAL)))
            .AddAttribute(
                "RetryInterval",
                "Time between retransmissions of an unanswered R-U-THERE "
                "(seconds, 2..60).",
                TimeValue(Seconds(DpdConfig::DEFAULT_RETRY)),
                MakeTimeAccessor(&DeadPeerDetector::m_retryInterval),
                MakeTimeChecker(Seconds(DpdConfig::MIN_RETRY), Seconds(DpdConfig::MAX_RETRY)))
            .AddAttribute("Mode",
                          "When R-U-THERE messages are sent: on-demand (only with traffic "
                          "to send after the peer was silent for Interval) or periodic.",
                          EnumValue(DPD_ON_DEMAND),
                          MakeEnumAccessor(&DeadPeerDetector::m_mode),
                          MakeEnumChecker(DPD_ON_DEMAND, "OnDemand", DPD_PERIODIC, "Periodic"))
            .AddAttribute("MaxUnansweredMessages",
                          "Number of unanswered R-U-THERE messages (messages), the first "
                          "included, after which the peer is declared dead one RetryInterval "
                          "after the last; 5 reproduces the router's debug trace.",
                          UintegerValue(5),
                          MakeUintegerAccessor(&DeadPeerDetector::m_maxUnanswered),
                          MakeUintegerChecker<uint32_t>(1, 100))
            .AddAttribute("ProofOfLife",
                          "What proves the peer alive in periodic mode: only its own "
                          "R-U-THERE (HelloOnly) or also any inbound traffic from it "
                          "(AnyInbound, as RFC 3706 allows).",
                          EnumValue(HELLO_ONLY),
                          MakeEnumAccessor(&DeadPeerDetector::m_proofOfLife),
                          MakeEnumChecker(HELLO_ONLY, "HelloOnly", ANY_INBOUND, "AnyInbound"))
            .AddAttribute("PeriodicTimerReset",
                          "What sets the next periodic R-U-THERE: a fixed schedule of one "
                          "Interval after Start() and after each other (FixedSchedule), or "
                          "one Interval after the last proof of life, ACKs included "
                          "(LastProofOfLife).",
                          EnumValue(FIXED_SCHEDULE),
                          MakeEnumAccessor(&DeadPeerDetector::m_timerReset),
                          MakeEnumChecker(FIXED_SCHEDULE,
                                          "FixedSchedule",
                                          LAST_PROOF_OF_LIFE,
                                          "LastProofOfLife"))
            .AddTraceSource("State",
                            "The detector changed state.",
                            MakeTraceSourceAccessor(&DeadPeerDetector::m_stateTrace),
                            "ns3::DeadPeerDetector::StateTracedCallback")
            .AddTraceSource("RuThereSent",
                            "An R-U-THERE was sent (attempt 1) or retransmitted (2 and up).",
                            MakeTraceSourceAccessor(&DeadPeerDetector::m_ruThereSentTrace),
                            "ns3::DeadPeerDetector::RuThereSentTracedCallback")
            .AddTraceSource("RuThereReceived",
                            "An R-U-THERE arrived from the peer.",
                            MakeTraceSourceAccessor(&DeadPeerDetector::m_ruThereReceivedTrace),
                            "ns3::DeadPeerDetector::SequenceTracedCallback")
            .AddTraceSource("AckSent",
                            "An R-U-THERE-ACK was sent to the peer.",
                            MakeTraceSourceAccessor(&DeadPeerDetector::m_ackSentTrace),
                            "ns3::DeadPeerDetector::SequenceTracedCallback")
            .AddTraceSource("AckReceived",
                            "An R-U-THERE-ACK for the current round arrived and ended it.",
                            MakeTraceSourceAccessor(&DeadPeerDetector::m_ackReceivedTrace),
                            "ns3::DeadPeerDetector::SequenceTracedCallback")
            .AddTraceSource("AckIgnored",
                            "An R-U-THERE-ACK was ignored: wrong sequence number or no "
                            "R-U-THERE outstanding.",
                            MakeTraceSourceAccessor(&DeadPeerDetector::m_ackIgnoredTrace),
                            "ns3::DeadPeerDetector::AckIgnoredTracedCallback");
    return tid;
}

DeadPeerDetector::DeadPeerDetector()
    : m_interval(Seconds(10)),
      m_retryInterval(Seconds(DpdConfig::DEFAULT_RETRY)),
      m_mode(DPD_ON_DEMAND),
      m_maxUnanswered(5),
      m_proofOfLife(HELLO_ONLY),
      m_timerReset(FIXED_SCHEDULE),
      m_state(STOPPED),
      m_roundFirstSequence(0),
      m_lastSequence(0),
      m_roundAttempts(0),
      m_sequenceDrawn(false),
      m_rng(CreateObject<UniformRandomVariable>()),
      m_ruThereSent(0),
      m_ruThereRetransmitted(0),
      m_ruThereReceived(0),
      m_ackSent(0),
      m_ackReceived(0),
      m_ackIgnored(0),
      m_ticksSkipped(0),
      m_deadCount(0)
{
    NS_LOG_FUNCTION(this);
}

DeadPeerDetector::~DeadPeerDetector()
{
    NS_LOG_FUNCTION(this);
}

void
DeadPeerDetector::DoDispose()
{
    NS_LOG_FUNCTION(this);
    m_timer.Cancel();
    m_rng = nullptr;
    m_sendRuThere = MakeNullCallback<void, uint32_t>();
    m_sendAck = MakeNullCallback<void, uint32_t>();
    m_armSendWatch = MakeNullCallback<void>();
    m_peerDead = MakeNullCallback<void>();
    m_lastInbound = MakeNullCallback<Time>();
    Object::DoDispose();
}

void
DeadPeerDetector::SetConfig(const DpdConfig& config)
{
    NS_LOG_FUNCTION(this << config.interval << config.retry << config.mode);
    std::string error = config.Validate();
    NS_ABORT_MSG_IF(!error.empty(), "DeadPeerDetector::SetConfig: " << error);
    m_interval = Seconds(config.interval);
    m_retryInterval = Seconds(config.retry);
    m_mode = config.mode;
}

DpdConfig
DeadPeerDetector::GetConfig() const
{
    DpdConfig config;
    config.interval = static_cast<uint32_t>(m_interval.GetSeconds());
    config.retry = static_cast<uint32_t>(m_retryInterval.GetSeconds());
    config.mode = m_mode;
    return config;
}

void
DeadPeerDetector::SetPeerAddress(Ipv4Address peer)
{
    m_peer = peer;
}

Ipv4Address
DeadPeerDetector::GetPeerAddress() const
{
    return m_peer;
}

void
DeadPeerDetector::SetSendRuThereCallback(Callback<void, uint32_t> callback)
{
    m_sendRuThere = callback;
}

void
DeadPeerDetector::SetSendAckCallback(Callback<void, uint32_t> callback)
{
    m_sendAck = callback;
}

void
DeadPeerDetector::SetArmSendWatchCallback(Callback<void> callback)
{
    m_armSendWatch = callback;
}

void
DeadPeerDetector::SetPeerDeadCallback(Callback<void> callback)
{
    m_peerDead = callback;
}

void
DeadPeerDetector::SetLastInboundTimeCallback(Callback<Time> callback)
{
    m_lastInbound = callback;
}

void
DeadPeerDetector::Start()
{
    NS_LOG_FUNCTION(this);
    NS_ABORT_MSG_IF(m_state != STOPPED && m_state != DEAD,
                    "DeadPeerDetector::Start: already running for peer " << m_peer);

    // The IKE SA has just been established, which is itself proof that the peer is alive.
    m_startTime = Simulator::Now();
    m_roundAttempts = 0;
    NS_LOG_DEBUG("DPD to peer " << m_peer << " started: "
                                << (m_mode == DPD_PERIODIC ? "periodic" : "on-demand")
                                << ", interval " << m_interval.As(Time::S) << ", retry "
                                << m_retryInterval.As(Time::S));
    SetState(WATCHING);
    ScheduleTimer(m_startTime + m_interval,
                  m_mode == DPD_PERIODIC ? &DeadPeerDetector::HandlePeriodicTimer
                                         : &DeadPeerDetector::HandleOnDemandTimer);
}

void
DeadPeerDetector::Stop()
{
    NS_LOG_FUNCTION(this);
    m_timer.Cancel();
    SetState(STOPPED);
}

void
DeadPeerDetector::ReceiveRuThere(uint32_t sequence)
{
    NS_LOG_FUNCTION(this << sequence);
    if (m_state == DEAD)
    {
        NS_LOG_DEBUG("DPD/R_U_THERE from dead peer "
                     << m_peer << ", sequence " << FormatSequence(sequence) << " not answered");
        return;
    }

    // The hello is proof of life under every rule. It is only recorded here, because the
    // timers read it when they expire.
    m_lastHello = Simulator::Now();
    ++m_ruThereReceived;
    m_ruThereReceivedTrace(sequence);
    NS_LOG_DEBUG("DPD/R_U_THERE received from peer " << m_peer << ", sequence "
                                                     << FormatSequence(sequence));

    // Acknowledge even when stopped, because a router without keepalive configured still
    // acknowledges R-U-THERE messages.
    ++m_ackSent;
    m_ackSentTrace(sequence);
    NS_LOG_DEBUG("DPD/R_U_THERE_ACK sent to peer " << m_peer << ", sequence "
                                                   << FormatSequence(sequence));
    if (!m_sendAck.IsNull())
    {
        m_sendAck(sequence);
    }
}

void
DeadPeerDetector::ReceiveRuThereAck(uint32_t sequence)
{
    NS_LOG_FUNCTION(this << sequence);
    if (m_state != PROBING && m_state != RETRYING)
    {
        ++m_ackIgnored;
        m_ackIgnoredTrace(sequence, NO_PROBE_OUTSTANDING);
        NS_LOG_DEBUG("DPD/R_U_THERE_ACK from peer " << m_peer << ", sequence "
                                                    << FormatSequence(sequence)
                                                    << " ignored: no R-U-THERE outstanding");
        return;
    }

    // Unsigned differences keep the round's range correct across the 2^32 wrap.
    uint32_t offset = sequence - m_roundFirstSequence;
    uint32_t roundSpan = m_lastSequence - m_roundFirstSequence;
    if (offset > roundSpan)
    {
        ++m_ackIgnored;
        m_ackIgnoredTrace(sequence, WRONG_SEQUENCE);
        NS_LOG_DEBUG("DPD/R_U_THERE_ACK from peer "
                     << m_peer << ", sequence " << FormatSequence(sequence) << " ignored: expected "
                     << FormatSequence(m_roundFirstSequence) << ".."
                     << FormatSequence(m_lastSequence));
        return;
    }

    m_lastAck = Simulator::Now();
    ++m_ackReceived;
    m_ackReceivedTrace(sequence);
    NS_LOG_DEBUG("DPD/R_U_THERE_ACK received from peer " << m_peer << ", sequence "
                                                         << FormatSequence(sequence));
    EndRound("R-U-THERE-ACK received");
}

void
DeadPeerDetector::NotifyOutboundTraffic()
{
    NS_LOG_FUNCTION(this);
    if (m_state != ARMED)
    {
        NS_LOG_LOGIC("DPD to peer " << m_peer << ": outbound traffic ignored in state "
                                    << GetStateName(m_state));
        return;
    }

    // Traffic may have come from the peer while the watch was armed. Then the peer is not
    // questionable, and the silence timer restarts from that traffic.
    Time lastProof = GetLastProofOfLife(true, true);
    if (lastProof + m_interval > Simulator::Now())
    {
        NS_LOG_LOGIC("DPD to peer " << m_peer << ": peer heard at " << lastProof.As(Time::S)
                                    << ", no R-U-THERE needed");
        SetState(WATCHING);
        ScheduleTimer(lastProof + m_interval, &DeadPeerDetector::HandleOnDemandTimer);
        return;
    }
    StartRound();
}

DeadPeerDetector::State
DeadPeerDetector::GetState() const
{
    return m_state;
}

const char*
DeadPeerDetector::GetStateName(State state)
{
    switch (state)
    {
    case STOPPED:
        return "STOPPED";
    case WATCHING:
        return "WATCHING";
    case ARMED:
        return "ARMED";
    case PROBING:
        return "PROBING";
    case RETRYING:
        return "RETRYING";
    case DEAD:
        return "DEAD";
    }
    return "UNKNOWN";
}

uint64_t
DeadPeerDetector::GetRuThereSent() const
{
    return m_ruThereSent;
}

uint64_t
DeadPeerDetector::GetRuThereRetransmitted() const
{
    return m_ruThereRetransmitted;
}

uint64_t
DeadPeerDetector::GetRuThereReceived() const
{
    return m_ruThereReceived;
}

uint64_t
DeadPeerDetector::GetAckSent() const
{
    return m_ackSent;
}

uint64_t
DeadPeerDetector::GetAckReceived() const
{
    return m_ackReceived;
}

uint64_t
DeadPeerDetector::GetAckIgnored() const
{
    return m_ackIgnored;
}

uint64_t
DeadPeerDetector::GetTicksSkipped() const
{
    return m_ticksSkipped;
}

uint64_t
DeadPeerDetector::GetDeadCount() const
{
    return m_deadCount;
}

std::string
DeadPeerDetector::FormatSessionDownText(Ipv4Address peer)
{
    std::ostringstream text;
    text << "Crypto tunnel is DOWN. Peer " << peer << ":500 Id: " << peer;
    return text.str();
}

int64_t
DeadPeerDetector::AssignStreams(int64_t stream)
{
    NS_LOG_FUNCTION(this << stream);
    m_rng->SetStream(stream);
    return 1;
}

void
DeadPeerDetector::SetState(State state)
{
    if (state == m_state)
    {
        return;
    }
    NS_LOG_INFO("DPD to peer " << m_peer << ": " << GetStateName(m_state) << " -> "
                               << GetStateName(state));
    State old = m_state;
    m_state = state;
    m_stateTrace(old, state);
}

Time
DeadPeerDetector::GetLastProofOfLife(bool includeAck, bool includeInbound) const
{
    Time last = std::max(m_startTime, m_lastHello);
    if (includeAck)
    {
        last = std::max(last, m_lastAck);
    }
    if (includeInbound && !m_lastInbound.IsNull())
    {
        last = std::max(last, m_lastInbound());
    }
    return last;
}

bool
DeadPeerDetector::CountsInboundTraffic() const
{
    return m_mode == DPD_ON_DEMAND || m_proofOfLife == ANY_INBOUND;
}

void
DeadPeerDetector::ScheduleTimer(Time when, void (DeadPeerDetector::*handler)())
{
    m_timer.Cancel();
    Time delay = std::max(when - Simulator::Now(), Time(0));
    m_timer = Simulator::Schedule(delay, handler, this);
}

void
DeadPeerDetector::ScheduleNextCheck()
{
    Time now = Simulator::Now();
    if (m_mode == DPD_ON_DEMAND)
    {
        ScheduleTimer(GetLastProofOfLife(true, true) + m_interval,
                      &DeadPeerDetector::HandleOnDemandTimer);
        return;
    }

    if (m_timerReset == LAST_PROOF_OF_LIFE)
    {
        ScheduleTimer(GetLastProofOfLife(true, CountsInboundTraffic()) + m_interval,
                      &DeadPeerDetector::HandlePeriodicTimer);
        return;
    }

    // A fixed schedule resumes at the first multiple of the interval after Start() that is
    // still ahead, so a long round skips the expiries it covered.
    int64_t elapsed = (now - m_startTime).GetTimeStep();
    int64_t periods = elapsed / m_interval.GetTimeStep() + 1;
    ScheduleTimer(m_startTime + m_interval * periods, &DeadPeerDetector::HandlePeriodicTimer);
}

void
DeadPeerDetector::HandlePeriodicTimer()
{
    NS_LOG_FUNCTION(this);
    Time now = Simulator::Now();

    if (m_timerReset == FIXED_SCHEDULE)
    {
        // The ACK of our own message is left out because it belongs to the previous expiry.
        // Counting it would halve the rate of messages to a live peer.
        Time lastProof = GetLastProofOfLife(false, CountsInboundTraffic());
        if (lastProof > now - m_interval)
        {
            ++m_ticksSkipped;
            NS_LOG_LOGIC("DPD to peer " << m_peer << ": peer proved alive at "
                                        << lastProof.As(Time::S) << ", no R-U-THERE");
            ScheduleTimer(now + m_interval, &DeadPeerDetector::HandlePeriodicTimer);
            return;
        }
    }
    else
    {
        Time lastProof = GetLastProofOfLife(true, CountsInboundTraffic());
        if (lastProof + m_interval > now)
        {
            ++m_ticksSkipped;
            NS_LOG_LOGIC("DPD to peer " << m_peer << ": peer proved alive at "
                                        << lastProof.As(Time::S) << ", timer restarted");
            ScheduleTimer(lastProof + m_interval, &DeadPeerDetector::HandlePeriodicTimer);
            return;
        }
    }
    StartRound();
}

void
DeadPeerDetector::HandleOnDemandTimer()
{
    NS_LOG_FUNCTION(this);
    Time now = Simulator::Now();

    // The inbound evidence is read only now, so a busy tunnel costs one call per interval.
    Time lastProof = GetLastProofOfLife(true, true);
    if (lastProof + m_interval > now)
    {
        ScheduleTimer(lastProof + m_interval, &DeadPeerDetector::HandleOnDemandTimer);
        return;
    }

    // The peer is questionable, but a message is only worth sending with traffic waiting.
    NS_LOG_LOGIC("DPD to peer " << m_peer << ": silent since " << lastProof.As(Time::S)
                                << ", watching for outbound traffic");
    SetState(ARMED);
    if (!m_armSendWatch.IsNull())
    {
        m_armSendWatch();
    }
}

void
DeadPeerDetector::HandleRetryTimer()
{
    NS_LOG_FUNCTION(this);

    // Evidence newer than the round's first message proves the peer alive even when its
    // ACKs are lost, so the detector does not tear down a tunnel that carries traffic.
    Time lastProof = GetLastProofOfLife(false, CountsInboundTraffic());
    if (lastProof > m_roundStart)
    {
        EndRound("peer heard during the round");
        return;
    }

    if (m_roundAttempts >= m_maxUnanswered)
    {
        DeclareDead();
        return;
    }
    SendRuThere();
    SetState(RETRYING);
    ScheduleTimer(Simulator::Now() + m_retryInterval, &DeadPeerDetector::HandleRetryTimer);
}

void
DeadPeerDetector::StartRound()
{
    NS_LOG_FUNCTION(this);
    m_roundStart = Simulator::Now();
    m_roundAttempts = 0;
    SendRuThere();
    SetState(PROBING);
    ScheduleTimer(m_roundStart + m_retryInterval, &DeadPeerDetector::HandleRetryTimer);
}

void
DeadPeerDetector::SendRuThere()
{
    // The initial number is drawn at the first message, after AssignStreams() had a chance
    // to fix the stream.
    if (!m_sequenceDrawn)
    {
        m_lastSequence = m_rng->GetInteger(0, UINT32_MAX);
        m_sequenceDrawn = true;
    }
    else
    {
        ++m_lastSequence;
    }
    if (m_roundAttempts == 0)
    {
        m_roundFirstSequence = m_lastSequence;
    }
    else
    {
        ++m_ruThereRetransmitted;
    }

    ++m_roundAttempts;
    ++m_ruThereSent;
    m_ruThereSentTrace(m_lastSequence, m_roundAttempts);
    NS_LOG_DEBUG("DPD/R_U_THERE sent to peer " << m_peer << ", sequence "
                                               << FormatSequence(m_lastSequence) << " (attempt "
                                               << m_roundAttempts << ")");
    if (!m_sendRuThere.IsNull())
    {
        m_sendRuThere(m_lastSequence);
    }
}

void
DeadPeerDetector::EndRound(const char* why)
{
    NS_LOG_FUNCTION(this << why);
    NS_LOG_LOGIC("DPD to peer " << m_peer << ": alive (" << why << ") after " << m_roundAttempts
                                << " R-U-THERE");
    m_roundAttempts = 0;
    SetState(WATCHING);
    ScheduleNextCheck();
}

void
DeadPeerDetector::DeclareDead()
{
    NS_LOG_FUNCTION(this);
    NS_LOG_INFO("DPD: peer " << m_peer << " not responding! " << m_roundAttempts
                             << " R-U-THERE unanswered since " << m_roundStart.As(Time::S));
    m_timer.Cancel();
    ++m_deadCount;
    SetState(DEAD);
    if (!m_peerDead.IsNull())
    {
        m_peerDead();
    }
}

std::string
DeadPeerDetector::FormatSequence(uint32_t sequence)
{
    std::ostringstream text;
    text << "0x" << std::hex << sequence;
    return text.str();
}

} // namespace ns3
