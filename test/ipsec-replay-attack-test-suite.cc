// Copyright (c) 2026 The ns3-ipsec authors
// SPDX-License-Identifier: GPL-2.0-only

// Tests of the anti-replay service against an on-path attacker (ReplayAttacker). The attacker
// records the ESP or AH frames gateway B receives on the WAN and injects them again. The cases
// cover exact replays with replay checking on and off, replays below the window, and forged
// sequence numbers and SPIs.
//
// Every case builds this network:
//
// clang-format off
//
//   host A              gateway A                     gateway B              host B
//   10.1.1.2 ---------- 10.1.1.1 | 192.0.2.1 ====== 192.0.2.2 | 10.2.2.1 ---------- 10.2.2.2
//            100 Mb/s, 1 ms      IpsecNetDevice  10 Mb/s, 5 ms  IpsecNetDevice   100 Mb/s, 1 ms
//                                                      ^
//                                                      ReplayAttacker on B's WAN device
//
// clang-format on
//
// Host A sends UDP datagrams to host B from 1 s on. Each datagram needs under 10 ms to
// reach gateway B (1 ms + 5 ms of propagation plus under 0.5 ms of transmission), so the
// originals have all been received before the attacker injects anything.

#include "ipsec-test-network.h"

#include "ns3/applications-module.h"
#include "ns3/core-module.h"
#include "ns3/internet-module.h"
#include "ns3/ipsec-module.h"
#include "ns3/network-module.h"
#include "ns3/point-to-point-module.h"
#include "ns3/test.h"

#include <map>
#include <string>
#include <vector>

using namespace ns3;
using namespace ns3::ipsectest;

namespace
{

/// UDP port host B listens on.
constexpr uint16_t PORT = 9;
/// UDP payload size of every datagram (bytes).
constexpr uint32_t PAYLOAD_SIZE = 100;

/**
 * Makes the payload of datagram `index`, PAYLOAD_SIZE bytes long.
 * \param index the datagram number
 * \return the payload
 */
std::vector<uint8_t>
MakePayload(uint32_t index)
{
    return ipsectest::MakePayload(index, PAYLOAD_SIZE);
}

/**
 * Finds the inbound SA of one protocol on a node.
 * \param node the node
 * \param protocol ESP or AH
 * \return the SA, or nullptr if the node has none
 */
Ptr<IpsecSecurityAssociation>
FindInboundSa(Ptr<Node> node, IpsecProtocol protocol)
{
    return FindSa(node->GetObject<IpsecStack>(), IpsecDirection::INBOUND, protocol);
}

/**
 * Counts a frame (a sink for ReplayAttacker's frame trace sources).
 * \param count the counter
 * \param frame the frame
 */
void
CountFrame(uint32_t* count, Ptr<const Packet> frame)
{
    ++*count;
}

/// One firing of IpsecStack's ReplayDrop trace source.
struct ReplayDropRecord
{
    Ptr<const IpsecSecurityAssociation> sa; //!< the inbound SA
    uint64_t sequence;                      //!< the packet's sequence number
    uint64_t top;                           //!< the window top at the drop
    IpsecDropReason reason;                 //!< duplicate or too old
};

/**
 * \ingroup ipsec
 * The two-site network with a replay attacker on gateway B's WAN device, a UDP receiver
 * on host B and records of the ReplayDrop trace.
 */
class AttackedNetwork : public ipsectest::TwoSiteNetwork
{
  public:
    /**
     * Builds the network, with no crypto map applied yet.
     * \param maxCaptured the attacker's MaxCaptured attribute
     */
    explicit AttackedNetwork(uint32_t maxCaptured = 10000);

    /**
     * Builds the tunnel between the gateways and starts recording replay drops on B.
     * \param transforms the transform list
     */
    void CreateTunnel(const std::string& transforms);

    /**
     * Schedules datagrams from host A to host B, one every `interval`.
     * \param first the number of the first datagram (it picks the payload)
     * \param count the number of datagrams
     * \param start the simulated time of the first one
     * \param interval the time between two datagrams
     */
    void Send(uint32_t first, uint32_t count, Time start, Time interval);

    /// \return gateway B's IPsec stack
    Ptr<IpsecStack> StackB() const;

    Ptr<ReplayAttacker> attacker;                      //!< attacker on B's WAN device
    const std::vector<std::vector<uint8_t>>& received; //!< payloads host B received, in order
    std::vector<ReplayDropRecord> replayDrops;         //!< ReplayDrop firings on gateway B

  private:
    /**
     * Records a replay drop (ReplayDrop sink).
     * \param packet the dropped packet
     * \param sa the inbound SA
     * \param sequence the packet's sequence number
     * \param top the window top
     * \param reason duplicate or too old
     */
    void RecordReplayDrop(Ptr<const Packet> packet,
                          Ptr<const IpsecSecurityAssociation> sa,
                          uint64_t sequence,
                          uint64_t top,
                          IpsecDropReason reason);
};

AttackedNetwork::AttackedNetwork(uint32_t maxCaptured)
    : TwoSiteNetwork(false),
      received(Listen(hostB, PORT))
{
    attacker = CreateObject<ReplayAttacker>();
    attacker->SetAttribute("MaxCaptured", UintegerValue(maxCaptured));
    attacker->Attach(DynamicCast<PointToPointNetDevice>(wanLower.Get(1)));
}

void
AttackedNetwork::CreateTunnel(const std::string& transforms)
{
    ipsec.CreateManualTunnel(wan.Get(0), wan.Get(1), LAN_TO_LAN, transforms);
    StackB()->TraceConnectWithoutContext("ReplayDrop",
                                         MakeCallback(&AttackedNetwork::RecordReplayDrop, this));
}

void
AttackedNetwork::Send(uint32_t first, uint32_t count, Time start, Time interval)
{
    for (uint32_t i = 0; i < count; ++i)
    {
        SendUdp(hostA, 5000, HOST_B, PORT, MakePayload(first + i), start + interval * i);
    }
}

Ptr<IpsecStack>
AttackedNetwork::StackB() const
{
    return gatewayB->GetObject<IpsecStack>();
}

void
AttackedNetwork::RecordReplayDrop(Ptr<const Packet> packet,
                                  Ptr<const IpsecSecurityAssociation> sa,
                                  uint64_t sequence,
                                  uint64_t top,
                                  IpsecDropReason reason)
{
    replayDrops.push_back({sa, sequence, top, reason});
}

} // namespace

/**
 * \ingroup ipsec
 * The attacker replays all N captured packets after the originals: gateway B drops every
 * replay as a duplicate, logs one PKT_REPLAY_ERR line and rate-limits the others, and host
 * B receives each datagram once.
 */
class ReplayDuplicateTestCase : public TestCase
{
  public:
    /**
     * \param transforms the transform list
     * \param protocol the protocol whose inbound SA checks the sequence numbers
     */
    ReplayDuplicateTestCase(const std::string& transforms, IpsecProtocol protocol)
        : TestCase("replayed " + transforms + " dropped"),
          m_transforms(transforms),
          m_protocol(protocol)
    {
    }

  private:
    void DoRun() override
    {
        // 20 originals leave host A at 1.00, 1.01, ..., 1.19 s. The replays go in at 2.00,
        // 2.01, ..., 2.19 s, after the last original arrived at about 1.196 s.
        const uint32_t n = 20;
        AttackedNetwork net;
        net.CreateTunnel(m_transforms);
        net.Send(0, n, Seconds(1), MilliSeconds(10));
        net.attacker->ReplayAll(Seconds(2), MilliSeconds(10));
        uint32_t injectFired = 0;
        net.attacker->TraceConnectWithoutContext("Inject",
                                                 MakeBoundCallback(&CountFrame, &injectFired));
        Simulator::Run();

        // The attacker stored each original once and injected each once; its own injections
        // are not captured again. A stored frame starts with the PPP header for IPv4, 0x0021.
        NS_TEST_EXPECT_MSG_EQ(net.attacker->GetCapturedCount(), n, "frames captured");
        NS_TEST_EXPECT_MSG_EQ(net.attacker->GetMissedCount(), 0, "frames missed");
        NS_TEST_EXPECT_MSG_EQ(net.attacker->GetInjectedCount(), n, "frames injected");
        NS_TEST_EXPECT_MSG_EQ(injectFired, n, "Inject trace firings");
        uint8_t ppp[2];
        net.attacker->GetCaptured(0)->CopyData(ppp, 2);
        NS_TEST_EXPECT_MSG_EQ(+ppp[0], 0x00, "PPP protocol, high byte");
        NS_TEST_EXPECT_MSG_EQ(+ppp[1], 0x21, "PPP protocol, low byte");

        // Host B got each datagram exactly once, in order.
        NS_TEST_ASSERT_MSG_EQ(net.received.size(), n, "datagrams delivered to host B");
        for (uint32_t i = 0; i < n; ++i)
        {
            NS_TEST_EXPECT_MSG_EQ((net.received[i] == MakePayload(i)), true, "datagram " << i);
        }

        // Every replay failed the replay check before verification.
        Ptr<IpsecSecurityAssociation> sa = FindInboundSa(net.gatewayB, m_protocol);
        NS_TEST_ASSERT_MSG_NE(sa, nullptr, "B's inbound SA");
        const IpsecSaCounters& counters = sa->GetCounters();
        NS_TEST_EXPECT_MSG_EQ(counters.replayDuplicate, n, "replay duplicates");
        NS_TEST_EXPECT_MSG_EQ(counters.replayTooOld, 0, "replays too old");
        NS_TEST_EXPECT_MSG_EQ(counters.recvErrors, n, "receive errors");
        NS_TEST_EXPECT_MSG_EQ(counters.decaps, n, "packets decapsulated");
        NS_TEST_EXPECT_MSG_EQ(counters.verify, n, "packets verified");
        NS_TEST_EXPECT_MSG_EQ(sa->GetReplayWindow().GetTop(), n, "window top");
        NS_TEST_EXPECT_MSG_EQ(net.StackB()->GetDropCount(IpsecDropReason::REPLAY_DUPLICATE),
                              n,
                              "replay-duplicate drops on B");
        NS_TEST_EXPECT_MSG_EQ(net.StackB()->GetDropCount(IpsecDropReason::AUTHENTICATION_FAILED),
                              0,
                              "authentication failures on B");

        // The originals arrived in order (depth 0); duplicates do not count towards the
        // maximum depth.
        const ReorderingHistogram& histogram = sa->GetReorderingHistogram();
        NS_TEST_EXPECT_MSG_EQ(histogram.GetCount(), 2 * n, "histogram packets");
        NS_TEST_EXPECT_MSG_EQ(histogram.GetDuplicateCount(), n, "histogram duplicates");
        NS_TEST_EXPECT_MSG_EQ(histogram.GetMaxDepth(), 0, "histogram maximum depth");

        // Replay k (from 0) carries sequence number k + 1; the top stays at n throughout.
        NS_TEST_ASSERT_MSG_EQ(net.replayDrops.size(), n, "ReplayDrop trace firings");
        for (uint32_t k = 0; k < n; ++k)
        {
            const ReplayDropRecord& drop = net.replayDrops[k];
            NS_TEST_EXPECT_MSG_EQ(drop.sequence, k + 1, "sequence of replay " << k);
            NS_TEST_EXPECT_MSG_EQ(drop.top, n, "window top at replay " << k);
            NS_TEST_EXPECT_MSG_EQ((drop.reason == IpsecDropReason::REPLAY_DUPLICATE),
                                  true,
                                  "reason of replay " << k);
            NS_TEST_EXPECT_MSG_EQ(drop.sa, sa, "SA of replay " << k);
        }

        // The first replay is logged at 2.000 s. The other 19 come within the default 1 s
        // rate-limit interval of the same mnemonic, so they are only counted.
        Ptr<IpsecSyslog> syslog = net.StackB()->GetSyslog();
        std::string expected = "*Mar  1 00:00:02.000: %CRYPTO-4-PKT_REPLAY_ERR: decrypt: replay "
                               "check failed connection id=" +
                               std::to_string(sa->GetConnectionId());
        NS_TEST_ASSERT_MSG_EQ(syslog->GetLines().size(), 1, "stored log lines");
        NS_TEST_EXPECT_MSG_EQ(syslog->GetLines().front(), expected, "log line");
        NS_TEST_EXPECT_MSG_EQ(syslog->GetLoggedCount(), 1, "messages logged");
        NS_TEST_EXPECT_MSG_EQ(syslog->GetRateLimitedCount(), n - 1, "messages rate-limited");
        Simulator::Destroy();
    }

    std::string m_transforms; //!< transform list
    IpsecProtocol m_protocol; //!< protocol of the SA that checks replays
};

/**
 * \ingroup ipsec
 * With `set security-association replay disable` on the tunnel, every replay is accepted
 * and host B receives each datagram twice.
 */
class ReplayDisabledTestCase : public TestCase
{
  public:
    ReplayDisabledTestCase()
        : TestCase("replays accepted when disabled")
    {
    }

  private:
    void DoRun() override
    {
        // Same timing as the duplicate case: 20 originals from 1 s, 20 replays from 2 s.
        const uint32_t n = 20;
        AttackedNetwork net;
        net.ipsec.SetTunnelReplayDisable(true);
        net.CreateTunnel("esp-aes esp-sha-hmac");
        net.Send(0, n, Seconds(1), MilliSeconds(10));
        net.attacker->ReplayAll(Seconds(2), MilliSeconds(10));
        Simulator::Run();

        NS_TEST_EXPECT_MSG_EQ(net.attacker->GetInjectedCount(), n, "frames injected");
        NS_TEST_ASSERT_MSG_EQ(net.received.size(), 2 * n, "datagrams delivered to host B");
        for (uint32_t i = 0; i < 2 * n; ++i)
        {
            NS_TEST_EXPECT_MSG_EQ((net.received[i] == MakePayload(i % n)), true, "datagram " << i);
        }

        Ptr<IpsecSecurityAssociation> sa = FindInboundSa(net.gatewayB, IpsecProtocol::ESP);
        NS_TEST_ASSERT_MSG_NE(sa, nullptr, "B's inbound ESP SA");
        NS_TEST_EXPECT_MSG_EQ(sa->GetReplayWindow().IsEnabled(), false, "replay checking");
        NS_TEST_EXPECT_MSG_EQ(sa->GetCounters().decaps, 2 * n, "packets decapsulated");
        NS_TEST_EXPECT_MSG_EQ(sa->GetCounters().replayDuplicate, 0, "replay duplicates");
        NS_TEST_EXPECT_MSG_EQ(sa->GetCounters().recvErrors, 0, "receive errors");
        NS_TEST_EXPECT_MSG_EQ(net.replayDrops.size(), 0, "ReplayDrop trace firings");
        NS_TEST_EXPECT_MSG_EQ(net.StackB()->GetSyslog()->GetLoggedCount(), 0, "messages logged");
        Simulator::Destroy();
    }
};

/**
 * \ingroup ipsec
 * After 100 packets (window top 100) the attacker replays the packet with sequence number
 * s. With a window of w packets, s <= 100 - w is too old and anything above is a duplicate.
 */
class ReplayTooOldTestCase : public TestCase
{
  public:
    /**
     * \param windowSize the tunnel's replay window size, or 0 for the default of 64
     * \param sequence the sequence number of the replayed packet
     * \param tooOld true if the replay must be dropped as too old, false for a duplicate
     */
    ReplayTooOldTestCase(uint32_t windowSize, uint32_t sequence, bool tooOld)
        : TestCase("window " + std::to_string(windowSize) + " replay of seq " +
                   std::to_string(sequence)),
          m_windowSize(windowSize),
          m_sequence(sequence),
          m_tooOld(tooOld)
    {
    }

  private:
    void DoRun() override
    {
        // 100 originals, one every millisecond from 1 s; the replay goes in at 2 s. Packet
        // number s (from 1) is capture number s - 1.
        const uint32_t n = 100;
        AttackedNetwork net;
        net.ipsec.SetTunnelReplayWindowSize(m_windowSize);
        net.CreateTunnel("esp-aes esp-sha-hmac");
        net.Send(0, n, Seconds(1), MilliSeconds(1));
        net.attacker->ReplayAt(Seconds(2), m_sequence - 1);
        Simulator::Run();

        Ptr<IpsecSecurityAssociation> sa = FindInboundSa(net.gatewayB, IpsecProtocol::ESP);
        NS_TEST_ASSERT_MSG_NE(sa, nullptr, "B's inbound ESP SA");
        uint32_t expectedSize = m_windowSize == 0 ? 64 : m_windowSize;
        NS_TEST_EXPECT_MSG_EQ(sa->GetReplayWindow().GetSize(), expectedSize, "window size");
        NS_TEST_EXPECT_MSG_EQ(sa->GetReplayWindow().GetTop(), n, "window top");
        NS_TEST_EXPECT_MSG_EQ(net.received.size(), n, "datagrams delivered to host B");

        // Exactly one of the two counters counts the replay.
        uint64_t expectedTooOld = m_tooOld ? 1 : 0;
        uint64_t expectedDuplicates = 1 - expectedTooOld;
        const IpsecSaCounters& counters = sa->GetCounters();
        NS_TEST_EXPECT_MSG_EQ(counters.replayTooOld, expectedTooOld, "replays too old");
        NS_TEST_EXPECT_MSG_EQ(counters.replayDuplicate, expectedDuplicates, "replay duplicates");
        NS_TEST_ASSERT_MSG_EQ(net.replayDrops.size(), 1, "ReplayDrop trace firings");
        NS_TEST_EXPECT_MSG_EQ(net.replayDrops[0].sequence, m_sequence, "dropped sequence");
        NS_TEST_EXPECT_MSG_EQ(net.replayDrops[0].top, n, "window top at the drop");
        IpsecDropReason reason =
            m_tooOld ? IpsecDropReason::REPLAY_TOO_OLD : IpsecDropReason::REPLAY_DUPLICATE;
        NS_TEST_EXPECT_MSG_EQ((net.replayDrops[0].reason == reason), true, "drop reason");

        // The originals arrived in order, at depth 0. The receiver cannot tell a replay below
        // the window from a genuine late packet, so a too-old replay counts as a non-duplicate
        // at depth 100 - s and raises the maximum depth. A duplicate does not.
        const ReorderingHistogram& histogram = sa->GetReorderingHistogram();
        NS_TEST_EXPECT_MSG_EQ(histogram.GetCount(), n + 1, "histogram packets");
        uint64_t expectedMaxDepth = m_tooOld ? n - m_sequence : 0;
        NS_TEST_EXPECT_MSG_EQ(histogram.GetDuplicateCount(), expectedDuplicates, "duplicates");
        NS_TEST_EXPECT_MSG_EQ(histogram.GetMaxDepth(), expectedMaxDepth, "histogram maximum depth");
        Simulator::Destroy();
    }

    uint32_t m_windowSize; //!< replay window size, 0 for the default
    uint32_t m_sequence;   //!< sequence number of the replayed packet
    bool m_tooOld;         //!< expected verdict
};

/**
 * \ingroup ipsec
 * Captured packets with rewritten sequence numbers (above the top, just above it, and in
 * gaps inside the window) fail the ICV check and never move the window, so the genuine
 * packets that follow are all accepted. A rewritten SPI finds no SA.
 */
class ReplayForgeryTestCase : public TestCase
{
  public:
    /**
     * \param transforms the transform list
     * \param protocol the protocol whose inbound SA checks the sequence numbers
     */
    ReplayForgeryTestCase(const std::string& transforms, IpsecProtocol protocol)
        : TestCase("forged sequence " + transforms),
          m_transforms(transforms),
          m_protocol(protocol)
    {
    }

  private:
    void DoRun() override
    {
        AttackedNetwork net;
        net.CreateTunnel(m_transforms);

        // Gateway B loses its 3rd and 5th frames (sequence numbers 3 and 5), so after the
        // 10 originals the window top is 10 with 3 and 5 unused. The attacker stores the
        // other 8, with sequence numbers 1, 2, 4, 6, 7, 8, 9 and 10, as captures 0 to 7.
        auto loss = CreateObject<ReceiveListErrorModel>();
        loss->SetList({2, 4});
        net.wanLower.Get(1)->SetAttribute("ReceiveErrorModel", PointerValue(loss));
        net.Send(0, 10, Seconds(1), MilliSeconds(10));

        // Forgeries at 2.00 to 2.03 s: far above the top, in the two gaps, and top + 1.
        net.attacker->InjectWithSequence(Seconds(2), 0, 1010);
        net.attacker->InjectWithSequence(Seconds(2.01), 1, 3);
        net.attacker->InjectWithSequence(Seconds(2.02), 2, 5);
        net.attacker->InjectWithSequence(Seconds(2.03), 3, 11);
        // An SPI that no SA has (SPIs drawn by the helper are 256 or more).
        net.attacker->InjectWithSpi(Seconds(2.04), 4, 7);

        // The window top between the forgeries and the next genuine packets.
        Ptr<IpsecSecurityAssociation> sa = FindInboundSa(net.gatewayB, m_protocol);
        NS_TEST_ASSERT_MSG_NE(sa, nullptr, "B's inbound SA");
        uint64_t topAfterForgeries = 0;
        Simulator::Schedule(Seconds(2.5), [&topAfterForgeries, sa]() {
            topAfterForgeries = sa->GetReplayWindow().GetTop();
        });

        // Three genuine packets at 3 s carry sequence numbers 11, 12 and 13. Had the forged
        // 11 been recorded, the first of them would be a duplicate.
        net.Send(10, 3, Seconds(3), MilliSeconds(10));
        Simulator::Run();

        NS_TEST_EXPECT_MSG_EQ(net.attacker->GetCapturedCount(), 11, "frames captured");
        NS_TEST_EXPECT_MSG_EQ(net.attacker->GetInjectedCount(), 5, "frames injected");
        NS_TEST_EXPECT_MSG_EQ(topAfterForgeries, 10, "window top after the forgeries");
        NS_TEST_EXPECT_MSG_EQ(sa->GetReplayWindow().GetTop(), 13, "window top at the end");

        Ptr<IpsecStack> stackB = net.StackB();
        NS_TEST_EXPECT_MSG_EQ(stackB->GetDropCount(IpsecDropReason::AUTHENTICATION_FAILED),
                              4,
                              "authentication failures on B");
        NS_TEST_EXPECT_MSG_EQ(stackB->GetDropCount(IpsecDropReason::INVALID_SPI),
                              1,
                              "invalid-spi drops on B");
        NS_TEST_EXPECT_MSG_EQ(stackB->GetDropCount(IpsecDropReason::REPLAY_DUPLICATE),
                              0,
                              "replay-duplicate drops on B");
        NS_TEST_EXPECT_MSG_EQ(stackB->GetDropCount(IpsecDropReason::REPLAY_TOO_OLD),
                              0,
                              "replay-too-old drops on B");
        NS_TEST_EXPECT_MSG_EQ(net.replayDrops.size(), 0, "ReplayDrop trace firings");

        // 8 originals and 3 later packets were delivered, the forgeries never.
        NS_TEST_ASSERT_MSG_EQ(net.received.size(), 11, "datagrams delivered to host B");
        const uint32_t expectedOrder[] = {0, 1, 3, 5, 6, 7, 8, 9, 10, 11, 12};
        for (uint32_t i = 0; i < 11; ++i)
        {
            NS_TEST_EXPECT_MSG_EQ((net.received[i] == MakePayload(expectedOrder[i])),
                                  true,
                                  "datagram " << i);
        }
        const IpsecSaCounters& counters = sa->GetCounters();
        NS_TEST_EXPECT_MSG_EQ(counters.decaps, 11, "packets decapsulated");
        NS_TEST_EXPECT_MSG_EQ(counters.recvErrors, 4, "receive errors");
        Simulator::Destroy();
    }

    std::string m_transforms; //!< transform list
    IpsecProtocol m_protocol; //!< protocol of the SA that checks replays
};

/**
 * \ingroup ipsec
 * The attacker stores at most MaxCaptured frames and counts the rest as missed.
 */
class ReplayCaptureLimitTestCase : public TestCase
{
  public:
    ReplayCaptureLimitTestCase()
        : TestCase("capture buffer limit")
    {
    }

  private:
    void DoRun() override
    {
        AttackedNetwork net(5);
        net.CreateTunnel("esp-aes esp-sha-hmac");
        net.Send(0, 8, Seconds(1), MilliSeconds(10));
        Simulator::Run();

        NS_TEST_EXPECT_MSG_EQ(net.attacker->GetCapturedCount(), 5, "frames captured");
        NS_TEST_EXPECT_MSG_EQ(net.attacker->GetMissedCount(), 3, "frames missed");
        NS_TEST_EXPECT_MSG_EQ(net.received.size(), 8, "datagrams delivered to host B");
        Simulator::Destroy();
    }
};

/**
 * \ingroup ipsec
 * Replay and forgery attacks on the anti-replay service.
 */
class IpsecReplayAttackTestSuite : public TestSuite
{
  public:
    IpsecReplayAttackTestSuite()
        : TestSuite("ipsec-replay-attack", UNIT)
    {
        AddTestCase(new ReplayDuplicateTestCase("esp-aes esp-sha-hmac", IpsecProtocol::ESP),
                    TestCase::QUICK);
        AddTestCase(new ReplayDuplicateTestCase("ah-sha-hmac", IpsecProtocol::AH), TestCase::QUICK);
        AddTestCase(new ReplayDisabledTestCase, TestCase::QUICK);

        // Top 100: the default window of 64 ends at 37, so 1 is too old; a window of 128
        // covers 1, a duplicate. A window of 8 covers 93 to 100: 92 is too old, 93 is not.
        AddTestCase(new ReplayTooOldTestCase(0, 1, true), TestCase::QUICK);
        AddTestCase(new ReplayTooOldTestCase(128, 1, false), TestCase::QUICK);
        AddTestCase(new ReplayTooOldTestCase(8, 92, true), TestCase::QUICK);
        AddTestCase(new ReplayTooOldTestCase(8, 93, false), TestCase::QUICK);

        AddTestCase(new ReplayForgeryTestCase("esp-aes esp-sha-hmac", IpsecProtocol::ESP),
                    TestCase::QUICK);
        AddTestCase(new ReplayForgeryTestCase("ah-sha-hmac", IpsecProtocol::AH), TestCase::QUICK);
        AddTestCase(new ReplayCaptureLimitTestCase, TestCase::QUICK);
    }
};

/// Registers the suite.
static IpsecReplayAttackTestSuite g_ipsecReplayAttackTestSuite;
