// Copyright (c) 2026 The ns3-ipsec authors
// SPDX-License-Identifier: GPL-2.0-only

// Tests of dead peer detection (RFC 3706): two detectors joined by a test channel with a
// fixed one-way delay of 5 ms, with optional data traffic every 100 ms in both directions.
// Expected times are computed by hand in each case, to the microsecond.

#include "ns3/core-module.h"
#include "ns3/ipsec-module.h"
#include "ns3/test.h"

#include <string>
#include <utility>
#include <vector>

using namespace ns3;

namespace
{

/// One-way delay of the test channel (both DPD messages and data).
const Time CHANNEL_DELAY = MilliSeconds(5);
/// Time between data packets when traffic runs; the first goes at DATA_OFFSET.
const Time DATA_PERIOD = MilliSeconds(100);
/// Time of the first data packet, chosen so no data packet is sent at a DPD timer expiry.
const Time DATA_OFFSET = MilliSeconds(50);

/**
 * \param mode periodic or on-demand
 * \return the settings of `crypto isakmp keepalive 10 2 <mode>`
 */
DpdConfig
Keepalive10Retry2(DpdMode mode)
{
    DpdConfig config;
    config.interval = 10;
    config.retry = 2;
    config.mode = mode;
    return config;
}

/**
 * Two detectors, A and B, for the two ends of one IKE SA. DPD messages and data packets
 * cross a channel of fixed delay while the link is up. Taking the link down models B
 * failing: B stops its detector and its traffic, and nothing crosses in either direction.
 */
class DpdPair
{
  public:
    /**
     * Creates the detectors and wires their callbacks to the channel.
     * \param configA settings of A
     * \param configB settings of B
     */
    DpdPair(const DpdConfig& configA, const DpdConfig& configB)
    {
        a = CreateObject<DeadPeerDetector>();
        b = CreateObject<DeadPeerDetector>();
        a->SetConfig(configA);
        b->SetConfig(configB);
        a->SetPeerAddress(Ipv4Address("192.0.2.2"));
        b->SetPeerAddress(Ipv4Address("192.0.2.1"));
        a->AssignStreams(1);
        b->AssignStreams(2);

        a->SetSendRuThereCallback(MakeCallback(&DpdPair::SendRuThereFromA, this));
        b->SetSendRuThereCallback(MakeCallback(&DpdPair::SendRuThereFromB, this));
        a->SetSendAckCallback(MakeCallback(&DpdPair::SendAckFromA, this));
        b->SetSendAckCallback(MakeCallback(&DpdPair::SendAckFromB, this));
        a->SetArmSendWatchCallback(MakeCallback(&DpdPair::ArmWatchA, this));
        b->SetArmSendWatchCallback(MakeCallback(&DpdPair::ArmWatchB, this));
        a->SetPeerDeadCallback(MakeCallback(&DpdPair::PeerDeadAtA, this));
        b->SetPeerDeadCallback(MakeCallback(&DpdPair::PeerDeadAtB, this));
        a->SetLastInboundTimeCallback(MakeCallback(&DpdPair::GetLastInboundA, this));
        b->SetLastInboundTimeCallback(MakeCallback(&DpdPair::GetLastInboundB, this));
        a->TraceConnectWithoutContext("State", MakeCallback(&DpdPair::RecordStateA, this));
        a->TraceConnectWithoutContext("AckIgnored",
                                      MakeCallback(&DpdPair::RecordAckIgnoredA, this));
    }

    /// Starts both detectors now.
    void Start()
    {
        a->Start();
        b->Start();
    }

    /**
     * Runs data traffic in both directions every DATA_PERIOD from DATA_OFFSET on.
     */
    void StartTraffic()
    {
        Simulator::Schedule(DATA_OFFSET, &DpdPair::SendDataFromA, this);
        Simulator::Schedule(DATA_OFFSET, &DpdPair::SendDataFromB, this);
    }

    /**
     * Takes the link down and stops B at a given time.
     * \param when the absolute simulated time
     */
    void FailPeerAt(Time when)
    {
        Simulator::Schedule(when, &DpdPair::FailPeer, this);
    }

    Ptr<DeadPeerDetector> a;              //!< detector of A
    Ptr<DeadPeerDetector> b;              //!< detector of B
    bool linkUp{true};                    //!< true while the channel delivers
    uint32_t ackSequenceError{0};         //!< added to B's ACK sequence numbers
    std::vector<Time> sentTimesA;         //!< R-U-THERE send times of A
    std::vector<uint32_t> sentSequencesA; //!< R-U-THERE sequence numbers of A
    std::vector<Time> sentTimesB;         //!< R-U-THERE send times of B
    std::vector<uint32_t> ackSequencesB;  //!< R-U-THERE-ACK sequence numbers of B
    std::vector<std::pair<Time, DeadPeerDetector::State>> statesA; //!< A's states entered
    std::vector<Time> watchArmedA;                                 //!< times A armed its send watch
    uint32_t wrongSequenceAcksA{0}; //!< ACKs A ignored for wrong sequence
    Time deadAtA{Seconds(-1)};      //!< when A declared B dead, -1 s if never
    Time deadAtB{Seconds(-1)};      //!< when B declared A dead, -1 s if never

  private:
    /// Takes the link down and stops B with its traffic.
    void FailPeer()
    {
        linkUp = false;
        b->Stop();
    }

    /// Sends A's R-U-THERE over the channel.
    void SendRuThereFromA(uint32_t sequence)
    {
        sentTimesA.push_back(Simulator::Now());
        sentSequencesA.push_back(sequence);
        if (linkUp)
        {
            Simulator::Schedule(CHANNEL_DELAY, &DeadPeerDetector::ReceiveRuThere, b, sequence);
        }
    }

    /// Sends B's R-U-THERE over the channel.
    void SendRuThereFromB(uint32_t sequence)
    {
        sentTimesB.push_back(Simulator::Now());
        if (linkUp)
        {
            Simulator::Schedule(CHANNEL_DELAY, &DeadPeerDetector::ReceiveRuThere, a, sequence);
        }
    }

    /// Sends A's R-U-THERE-ACK over the channel.
    void SendAckFromA(uint32_t sequence)
    {
        if (linkUp)
        {
            Simulator::Schedule(CHANNEL_DELAY, &DeadPeerDetector::ReceiveRuThereAck, b, sequence);
        }
    }

    /// Sends B's R-U-THERE-ACK over the channel, with the configured sequence error.
    void SendAckFromB(uint32_t sequence)
    {
        ackSequencesB.push_back(sequence);
        if (linkUp)
        {
            Simulator::Schedule(CHANNEL_DELAY,
                                &DeadPeerDetector::ReceiveRuThereAck,
                                a,
                                sequence + ackSequenceError);
        }
    }

    /// Records A's send watch; the next data packet of A reports outbound traffic.
    void ArmWatchA()
    {
        m_watchA = true;
        watchArmedA.push_back(Simulator::Now());
    }

    /// Records B's send watch.
    void ArmWatchB()
    {
        m_watchB = true;
    }

    /// Records A declaring B dead.
    void PeerDeadAtA()
    {
        deadAtA = Simulator::Now();
    }

    /// Records B declaring A dead.
    void PeerDeadAtB()
    {
        deadAtB = Simulator::Now();
    }

    /// \return the arrival time of the last data packet at A
    Time GetLastInboundA()
    {
        return m_lastInboundA;
    }

    /// \return the arrival time of the last data packet at B
    Time GetLastInboundB()
    {
        return m_lastInboundB;
    }

    /// Records a state A entered.
    void RecordStateA(DeadPeerDetector::State, DeadPeerDetector::State state)
    {
        statesA.emplace_back(Simulator::Now(), state);
    }

    /// Counts the ACKs A ignored for a wrong sequence number.
    void RecordAckIgnoredA(uint32_t, DeadPeerDetector::AckIgnoreReason reason)
    {
        if (reason == DeadPeerDetector::WRONG_SEQUENCE)
        {
            ++wrongSequenceAcksA;
        }
    }

    /// Sends a data packet from A and schedules the next one. A keeps sending after B fails.
    void SendDataFromA()
    {
        if (m_watchA)
        {
            m_watchA = false;
            a->NotifyOutboundTraffic();
        }
        if (linkUp)
        {
            Simulator::Schedule(CHANNEL_DELAY, &DpdPair::ReceiveDataAtB, this);
        }
        Simulator::Schedule(DATA_PERIOD, &DpdPair::SendDataFromA, this);
    }

    /// Sends a data packet from B and schedules the next one, until B fails.
    void SendDataFromB()
    {
        if (!linkUp)
        {
            return;
        }
        if (m_watchB)
        {
            m_watchB = false;
            b->NotifyOutboundTraffic();
        }
        Simulator::Schedule(CHANNEL_DELAY, &DpdPair::ReceiveDataAtA, this);
        Simulator::Schedule(DATA_PERIOD, &DpdPair::SendDataFromB, this);
    }

    /// Records the arrival of a data packet at A.
    void ReceiveDataAtA()
    {
        m_lastInboundA = Simulator::Now();
    }

    /// Records the arrival of a data packet at B.
    void ReceiveDataAtB()
    {
        m_lastInboundB = Simulator::Now();
    }

    bool m_watchA{false}; //!< A's send watch is armed
    bool m_watchB{false}; //!< B's send watch is armed
    Time m_lastInboundA;  //!< last data arrival at A
    Time m_lastInboundB;  //!< last data arrival at B
};

/**
 * \ingroup ipsec
 * The router guide's debug trace: keepalive 10 s periodic, retry 2 s. B acknowledges at
 * 10 s and 20 s and fails at 25 s, so A sends at t = 30 s and retransmits at 32, 34, 36 and
 * 38 s, then declares B dead at 40 s = t + 5 x 2 s.
 */
class DpdGuideTraceTestCase : public TestCase
{
  public:
    DpdGuideTraceTestCase()
        : TestCase("periodic guide trace")
    {
    }

  private:
    void DoRun() override
    {
        DpdPair pair(Keepalive10Retry2(DPD_PERIODIC), Keepalive10Retry2(DPD_ON_DEMAND));
        pair.Start();
        pair.FailPeerAt(Seconds(25));
        Simulator::Stop(Seconds(60));
        Simulator::Run();

        // Two acknowledged messages, then the unanswered round.
        const std::vector<Time> expectedTimes = {Seconds(10),
                                                 Seconds(20),
                                                 Seconds(30),
                                                 Seconds(32),
                                                 Seconds(34),
                                                 Seconds(36),
                                                 Seconds(38)};
        NS_TEST_ASSERT_MSG_EQ(pair.sentTimesA.size(), expectedTimes.size(), "Messages of A");
        for (size_t i = 0; i < expectedTimes.size() && i < pair.sentTimesA.size(); ++i)
        {
            NS_TEST_ASSERT_MSG_EQ(pair.sentTimesA[i], expectedTimes[i], "Send time " << i);
        }
        NS_TEST_ASSERT_MSG_EQ(pair.deadAtA, Seconds(40), "Dead 5 retries after 30 s");
        NS_TEST_ASSERT_MSG_EQ(pair.a->GetState(), DeadPeerDetector::DEAD, "Final state");
        NS_TEST_ASSERT_MSG_EQ(pair.a->GetDeadCount(), 1u, "Declared dead once");
        NS_TEST_ASSERT_MSG_EQ(pair.a->GetRuThereSent(), 7u, "R-U-THERE sent");
        NS_TEST_ASSERT_MSG_EQ(pair.a->GetRuThereRetransmitted(), 4u, "Retransmissions");
        NS_TEST_ASSERT_MSG_EQ(pair.a->GetAckReceived(), 2u, "ACKs accepted");

        // Every message, retransmissions included, takes the next sequence number, and
        // B echoes the numbers it received.
        for (size_t i = 1; i < pair.sentSequencesA.size(); ++i)
        {
            NS_TEST_ASSERT_MSG_EQ(pair.sentSequencesA[i],
                                  pair.sentSequencesA[0] + static_cast<uint32_t>(i),
                                  "Sequence of message " << i);
        }
        NS_TEST_ASSERT_MSG_EQ(pair.ackSequencesB.size(), 2u, "ACKs sent by B");
        if (pair.ackSequencesB.size() == 2 && pair.sentSequencesA.size() >= 2)
        {
            NS_TEST_ASSERT_MSG_EQ(pair.ackSequencesB[0], pair.sentSequencesA[0], "ACK 1");
            NS_TEST_ASSERT_MSG_EQ(pair.ackSequencesB[1], pair.sentSequencesA[1], "ACK 2");
        }

        // ACKs arrive after two channel delays: 10.010 s and 20.010 s.
        using S = DeadPeerDetector::State;
        const std::vector<std::pair<Time, S>> expectedStates = {
            {Seconds(0), DeadPeerDetector::WATCHING},
            {Seconds(10), DeadPeerDetector::PROBING},
            {MilliSeconds(10010), DeadPeerDetector::WATCHING},
            {Seconds(20), DeadPeerDetector::PROBING},
            {MilliSeconds(20010), DeadPeerDetector::WATCHING},
            {Seconds(30), DeadPeerDetector::PROBING},
            {Seconds(32), DeadPeerDetector::RETRYING},
            {Seconds(40), DeadPeerDetector::DEAD},
        };
        NS_TEST_ASSERT_MSG_EQ(pair.statesA.size(), expectedStates.size(), "States of A");
        for (size_t i = 0; i < expectedStates.size() && i < pair.statesA.size(); ++i)
        {
            NS_TEST_ASSERT_MSG_EQ(pair.statesA[i].first, expectedStates[i].first, "Time " << i);
            NS_TEST_ASSERT_MSG_EQ(pair.statesA[i].second, expectedStates[i].second, "State " << i);
        }

        // B is on-demand with nothing to send, so it never sends a message.
        NS_TEST_ASSERT_MSG_EQ(pair.sentTimesB.size(), 0u, "Messages of B");
        Simulator::Destroy();
    }
};

/**
 * \ingroup ipsec
 * Periodic DPD to a live, idle peer: one R-U-THERE per interval, each acknowledged. With the
 * fixed schedule the messages go at 10, 20, ..., 100 s. When the timer restarts at the
 * last proof of life, each ACK (10 ms after its message) moves the next message, so
 * message k goes at 10 s + k x 10.010 s.
 */
class DpdPeriodicLivePeerTestCase : public TestCase
{
  public:
    /**
     * Creates the case for one timer rule.
     * \param reset the periodic timer rule
     */
    explicit DpdPeriodicLivePeerTestCase(DeadPeerDetector::TimerReset reset)
        : TestCase(reset == DeadPeerDetector::FIXED_SCHEDULE ? "periodic live peer fixed"
                                                             : "periodic live peer restart"),
          m_reset(reset)
    {
    }

  private:
    void DoRun() override
    {
        DpdPair pair(Keepalive10Retry2(DPD_PERIODIC), Keepalive10Retry2(DPD_ON_DEMAND));
        pair.a->SetAttribute("PeriodicTimerReset", EnumValue(m_reset));
        pair.Start();
        Simulator::Stop(MilliSeconds(100500));
        Simulator::Run();

        NS_TEST_ASSERT_MSG_EQ(pair.sentTimesA.size(), 10u, "One message per interval");
        for (size_t k = 0; k < pair.sentTimesA.size(); ++k)
        {
            Time expected = m_reset == DeadPeerDetector::FIXED_SCHEDULE
                                ? Seconds(10) * static_cast<int64_t>(k + 1)
                                : Seconds(10) + MilliSeconds(10010) * static_cast<int64_t>(k);
            NS_TEST_ASSERT_MSG_EQ(pair.sentTimesA[k], expected, "Send time " << k);
        }
        NS_TEST_ASSERT_MSG_EQ(pair.a->GetAckReceived(), 10u, "Every message answered");
        NS_TEST_ASSERT_MSG_EQ(pair.a->GetRuThereRetransmitted(), 0u, "No retransmission");
        NS_TEST_ASSERT_MSG_EQ(pair.deadAtA, Seconds(-1), "Peer never dead");
        NS_TEST_ASSERT_MSG_EQ(pair.a->GetState(), DeadPeerDetector::WATCHING, "Final state");
        NS_TEST_ASSERT_MSG_EQ(pair.b->GetAckSent(), 10u, "B acknowledged every message");
        NS_TEST_ASSERT_MSG_EQ(pair.sentTimesB.size(), 0u, "Messages of B");
        Simulator::Destroy();
    }

    DeadPeerDetector::TimerReset m_reset; //!< periodic timer rule under test
};

/**
 * \ingroup ipsec
 * Periodic DPD on a busy tunnel (data every 100 ms both ways) over 100.5 s. Under
 * HELLO_ONLY data is no proof of life, so A still sends 10 messages; under ANY_INBOUND
 * every expiry finds recent data and A sends none. B, on-demand, always hears from A.
 */
class DpdBusyTunnelTestCase : public TestCase
{
  public:
    /**
     * Creates the case for one proof-of-life rule.
     * \param rule the rule of A
     */
    explicit DpdBusyTunnelTestCase(DeadPeerDetector::ProofOfLife rule)
        : TestCase(rule == DeadPeerDetector::HELLO_ONLY ? "busy tunnel hello only"
                                                        : "busy tunnel any inbound"),
          m_rule(rule)
    {
    }

  private:
    void DoRun() override
    {
        DpdPair pair(Keepalive10Retry2(DPD_PERIODIC), Keepalive10Retry2(DPD_ON_DEMAND));
        pair.a->SetAttribute("ProofOfLife", EnumValue(m_rule));
        pair.Start();
        pair.StartTraffic();
        Simulator::Stop(MilliSeconds(100500));
        Simulator::Run();

        bool helloOnly = m_rule == DeadPeerDetector::HELLO_ONLY;
        NS_TEST_ASSERT_MSG_EQ(pair.a->GetRuThereSent(), helloOnly ? 10u : 0u, "Messages of A");
        NS_TEST_ASSERT_MSG_EQ(pair.a->GetTicksSkipped(), helloOnly ? 0u : 10u, "Skipped");
        NS_TEST_ASSERT_MSG_EQ(pair.b->GetRuThereSent(), 0u, "Messages of B");
        NS_TEST_ASSERT_MSG_EQ(pair.deadAtA, Seconds(-1), "A never declares B dead");
        NS_TEST_ASSERT_MSG_EQ(pair.deadAtB, Seconds(-1), "B never declares A dead");
        Simulator::Destroy();
    }

    DeadPeerDetector::ProofOfLife m_rule; //!< proof-of-life rule under test
};

/**
 * \ingroup ipsec
 * On-demand DPD with nothing to send: B fails at 5 s, A arms its send watch once at 10 s
 * and then waits. No message goes out in 1000 s and B is never declared dead.
 */
class DpdOnDemandIdleTestCase : public TestCase
{
  public:
    DpdOnDemandIdleTestCase()
        : TestCase("on-demand nothing to send")
    {
    }

  private:
    void DoRun() override
    {
        DpdPair pair(Keepalive10Retry2(DPD_ON_DEMAND), Keepalive10Retry2(DPD_ON_DEMAND));
        pair.Start();
        pair.FailPeerAt(Seconds(5));
        Simulator::Stop(Seconds(1000));
        Simulator::Run();

        NS_TEST_ASSERT_MSG_EQ(pair.a->GetRuThereSent(), 0u, "Messages of A");
        NS_TEST_ASSERT_MSG_EQ(pair.sentTimesB.size(), 0u, "Messages of B");
        NS_TEST_ASSERT_MSG_EQ(pair.deadAtA, Seconds(-1), "Peer never dead");
        NS_TEST_ASSERT_MSG_EQ(pair.a->GetState(), DeadPeerDetector::ARMED, "Final state");
        NS_TEST_ASSERT_MSG_EQ(pair.watchArmedA.size(), 1u, "Send watch armed once");
        if (!pair.watchArmedA.empty())
        {
            NS_TEST_ASSERT_MSG_EQ(pair.watchArmedA[0], Seconds(10), "Watch armed at 10 s");
        }
        Simulator::Destroy();
    }
};

/**
 * \ingroup ipsec
 * On-demand DPD with traffic. B's last data packet leaves at 29.950 s and reaches A at
 * 29.955 s; B fails at 30 s. A's silence timer runs out at 39.955 s and arms the send
 * watch, A's next data packet (40.050 s) triggers the first R-U-THERE, retransmissions
 * follow every 2 s, and B is declared dead at 50.050 s.
 */
class DpdOnDemandTrafficTestCase : public TestCase
{
  public:
    DpdOnDemandTrafficTestCase()
        : TestCase("on-demand with traffic")
    {
    }

  private:
    void DoRun() override
    {
        DpdPair pair(Keepalive10Retry2(DPD_ON_DEMAND), Keepalive10Retry2(DPD_ON_DEMAND));
        pair.Start();
        pair.StartTraffic();
        pair.FailPeerAt(Seconds(30));
        Simulator::Stop(Seconds(100));
        Simulator::Run();

        NS_TEST_ASSERT_MSG_EQ(pair.watchArmedA.size(), 1u, "Send watch armed once");
        if (!pair.watchArmedA.empty())
        {
            NS_TEST_ASSERT_MSG_EQ(pair.watchArmedA[0], MilliSeconds(39955), "Watch armed");
        }
        const std::vector<Time> expectedTimes = {MilliSeconds(40050),
                                                 MilliSeconds(42050),
                                                 MilliSeconds(44050),
                                                 MilliSeconds(46050),
                                                 MilliSeconds(48050)};
        NS_TEST_ASSERT_MSG_EQ(pair.sentTimesA.size(), expectedTimes.size(), "Messages of A");
        for (size_t i = 0; i < expectedTimes.size() && i < pair.sentTimesA.size(); ++i)
        {
            NS_TEST_ASSERT_MSG_EQ(pair.sentTimesA[i], expectedTimes[i], "Send time " << i);
        }
        NS_TEST_ASSERT_MSG_EQ(pair.deadAtA, MilliSeconds(50050), "Detection time");
        NS_TEST_ASSERT_MSG_EQ(pair.sentTimesB.size(), 0u, "B, always hearing A, sent none");
        Simulator::Destroy();
    }
};

/**
 * \ingroup ipsec
 * An R-U-THERE-ACK with the wrong sequence number is ignored. B acknowledges every message, but
 * the channel adds 0x1000 to the number. A sends at 10, 12, 14, 16 and 18 s, declares B
 * dead on time at 20 s, and counts five ignored ACKs.
 */
class DpdWrongSequenceTestCase : public TestCase
{
  public:
    DpdWrongSequenceTestCase()
        : TestCase("wrong sequence ack ignored")
    {
    }

  private:
    void DoRun() override
    {
        DpdPair pair(Keepalive10Retry2(DPD_PERIODIC), Keepalive10Retry2(DPD_ON_DEMAND));
        pair.ackSequenceError = 0x1000;
        pair.Start();
        Simulator::Stop(Seconds(30));
        Simulator::Run();

        NS_TEST_ASSERT_MSG_EQ(pair.sentTimesA.size(), 5u, "Messages of A");
        NS_TEST_ASSERT_MSG_EQ(pair.b->GetAckSent(), 5u, "B acknowledged every message");
        NS_TEST_ASSERT_MSG_EQ(pair.a->GetAckReceived(), 0u, "No ACK accepted");
        NS_TEST_ASSERT_MSG_EQ(pair.a->GetAckIgnored(), 5u, "ACKs ignored");
        NS_TEST_ASSERT_MSG_EQ(pair.wrongSequenceAcksA, 5u, "Ignored for wrong sequence");
        NS_TEST_ASSERT_MSG_EQ(pair.deadAtA, Seconds(20), "Dead on time");
        Simulator::Destroy();
    }
};

/**
 * \ingroup ipsec
 * The guide's rule that a hello from the peer replaces the router's own: A and B are both
 * periodic, B starts 3 s after A. A sends at 10, 20, ..., 100 s. Each message reaches B
 * within the interval before one of B's expiries at 13, 23, ..., 93 s, so B skips all
 * nine and sends nothing.
 */
class DpdPeerHelloTestCase : public TestCase
{
  public:
    DpdPeerHelloTestCase()
        : TestCase("periodic peer hello skips")
    {
    }

  private:
    void DoRun() override
    {
        DpdPair pair(Keepalive10Retry2(DPD_PERIODIC), Keepalive10Retry2(DPD_PERIODIC));
        Simulator::Schedule(Seconds(0), &DeadPeerDetector::Start, pair.a);
        Simulator::Schedule(Seconds(3), &DeadPeerDetector::Start, pair.b);
        Simulator::Stop(MilliSeconds(100500));
        Simulator::Run();

        NS_TEST_ASSERT_MSG_EQ(pair.a->GetRuThereSent(), 10u, "Messages of A");
        NS_TEST_ASSERT_MSG_EQ(pair.a->GetTicksSkipped(), 0u, "A skipped nothing");
        NS_TEST_ASSERT_MSG_EQ(pair.b->GetRuThereSent(), 0u, "Messages of B");
        NS_TEST_ASSERT_MSG_EQ(pair.b->GetTicksSkipped(), 9u, "B skipped every expiry");
        NS_TEST_ASSERT_MSG_EQ(pair.b->GetRuThereReceived(), 10u, "Hellos B received");
        Simulator::Destroy();
    }
};

/**
 * \ingroup ipsec
 * Range checks of `crypto isakmp keepalive`: the reason names the allowed range.
 */
class DpdConfigTestCase : public TestCase
{
  public:
    DpdConfigTestCase()
        : TestCase("keepalive config ranges")
    {
    }

  private:
    /**
     * Builds a configuration.
     * \param interval the interval in seconds, 0 for missing
     * \param retry the retry interval in seconds
     * \return the configuration
     */
    static DpdConfig Make(uint32_t interval, uint32_t retry)
    {
        DpdConfig config;
        config.interval = interval;
        config.retry = retry;
        return config;
    }

    void DoRun() override
    {
        DpdConfig defaults;
        NS_TEST_ASSERT_MSG_EQ(defaults.retry, 2u, "Default retry");
        NS_TEST_ASSERT_MSG_EQ(defaults.mode, DPD_ON_DEMAND, "Default mode");

        // Accepted edges of both ranges.
        NS_TEST_ASSERT_MSG_EQ(Make(10, 2).Validate(), "", "Smallest values");
        NS_TEST_ASSERT_MSG_EQ(Make(3600, 60).Validate(), "", "Largest values");

        // Rejected values, with the range in the reason.
        NS_TEST_ASSERT_MSG_EQ(Make(0, 2).Validate(),
                              "keepalive interval missing: give 10..3600 seconds",
                              "Missing interval");
        NS_TEST_ASSERT_MSG_EQ(Make(9, 2).Validate(),
                              "keepalive interval 9 is out of range 10..3600 seconds",
                              "Interval too short");
        NS_TEST_ASSERT_MSG_EQ(Make(3601, 2).Validate(),
                              "keepalive interval 3601 is out of range 10..3600 seconds",
                              "Interval too long");
        NS_TEST_ASSERT_MSG_EQ(Make(10, 1).Validate(),
                              "keepalive retry interval 1 is out of range 2..60 seconds",
                              "Retry too short");
        NS_TEST_ASSERT_MSG_EQ(Make(10, 61).Validate(),
                              "keepalive retry interval 61 is out of range 2..60 seconds",
                              "Retry too long");

        // The attribute checkers enforce the same ranges.
        Ptr<DeadPeerDetector> detector = CreateObject<DeadPeerDetector>();
        NS_TEST_ASSERT_MSG_EQ(detector->SetAttributeFailSafe("Interval", TimeValue(Seconds(9))),
                              false,
                              "Interval attribute below range");
        NS_TEST_ASSERT_MSG_EQ(
            detector->SetAttributeFailSafe("RetryInterval", TimeValue(Seconds(61))),
            false,
            "Retry attribute above range");
        detector->SetConfig(Make(30, 20));
        NS_TEST_ASSERT_MSG_EQ(detector->GetConfig().interval, 30u, "Interval applied");
        NS_TEST_ASSERT_MSG_EQ(detector->GetConfig().retry, 20u, "Retry applied");

        // The session-down text of the router log.
        NS_TEST_ASSERT_MSG_EQ(DeadPeerDetector::FormatSessionDownText(Ipv4Address("10.2.80.209")),
                              "Crypto tunnel is DOWN. Peer 10.2.80.209:500 Id: 10.2.80.209",
                              "Session-down text");
    }
};

/**
 * \ingroup ipsec
 * Dead peer detection tests.
 */
class DpdTestSuite : public TestSuite
{
  public:
    DpdTestSuite()
        : TestSuite("ipsec-dpd", UNIT)
    {
        AddTestCase(new DpdGuideTraceTestCase, TestCase::QUICK);
        AddTestCase(new DpdPeriodicLivePeerTestCase(DeadPeerDetector::FIXED_SCHEDULE),
                    TestCase::QUICK);
        AddTestCase(new DpdPeriodicLivePeerTestCase(DeadPeerDetector::LAST_PROOF_OF_LIFE),
                    TestCase::QUICK);
        AddTestCase(new DpdBusyTunnelTestCase(DeadPeerDetector::HELLO_ONLY), TestCase::QUICK);
        AddTestCase(new DpdBusyTunnelTestCase(DeadPeerDetector::ANY_INBOUND), TestCase::QUICK);
        AddTestCase(new DpdOnDemandIdleTestCase, TestCase::QUICK);
        AddTestCase(new DpdOnDemandTrafficTestCase, TestCase::QUICK);
        AddTestCase(new DpdWrongSequenceTestCase, TestCase::QUICK);
        AddTestCase(new DpdPeerHelloTestCase, TestCase::QUICK);
        AddTestCase(new DpdConfigTestCase, TestCase::QUICK);
    }
};

/// Registers the suite.
DpdTestSuite g_dpdTestSuite;

} // namespace
