// Copyright (c) 2026 The ns3-ipsec authors
// SPDX-License-Identifier: GPL-2.0-only

// IPsec SA idle timers: deletion exactly the idle time after the last packet, none while
// traffic flows, entry over global precedence, the IOS range, and no timer by default.

#include "ipsec-test-network.h"

#include "ns3/core-module.h"
#include "ns3/test.h"

using namespace ns3;
using namespace ns3::ipsectest;

namespace
{

/// UDP port of the test traffic.
constexpr uint16_t PORT = 9;

/**
 * Records the time of the last packet an IPsec stack protected or decrypted.
 */
struct LastPacketRecorder
{
    Time last; //!< time of the last packet

    /**
     * Connects to a stack's Encrypt and Decrypt traces.
     * \param stack the stack
     */
    void Connect(Ptr<IpsecStack> stack)
    {
        auto record = [this](Ptr<const Packet>, Ptr<const IpsecSecurityAssociation>) {
            last = Simulator::Now();
        };
        Callback<void, Ptr<const Packet>, Ptr<const IpsecSecurityAssociation>> callback(record);
        stack->TraceConnectWithoutContext("Encrypt", callback);
        stack->TraceConnectWithoutContext("Decrypt", callback);
    }
};

/**
 * Schedules UDP datagrams from host A to host B.
 * \param net the network
 * \param count the number of datagrams
 * \param first the time of the first
 * \param interval the time between two
 */
void
SendSeries(TwoSiteNetwork& net, uint32_t count, Time first, Time interval)
{
    for (uint32_t i = 0; i < count; ++i)
    {
        net.SendUdp(net.hostA,
                    PORT,
                    TwoSiteNetwork::HOST_B,
                    PORT,
                    MakePayload(i, 100),
                    first + interval * i);
    }
}

} // namespace

/**
 * \ingroup ipsec
 * With a global idle time of 60 s, each gateway deletes its set exactly 60 s after the last
 * packet it protected or decrypted, and never while packets come every 30 s.
 */
class IpsecIdleDeletionTestCase : public TestCase
{
  public:
    IpsecIdleDeletionTestCase()
        : TestCase("idle deletion after last packet")
    {
    }

  private:
    void DoRun() override
    {
        TwoSiteNetwork net(true);
        IkeTunnel ike(net);
        Ptr<IpsecStack> stackA = TwoSiteNetwork::Stack(net.gatewayA);
        Ptr<IpsecStack> stackB = TwoSiteNetwork::Stack(net.gatewayB);
        NS_TEST_EXPECT_MSG_EQ(stackA->SetIdleTime(Seconds(60)), "", "60 s is valid");
        NS_TEST_EXPECT_MSG_EQ(stackB->SetIdleTime(Seconds(60)), "", "60 s is valid");
        LastPacketRecorder lastA;
        lastA.Connect(stackA);
        LastPacketRecorder lastB;
        lastB.Connect(stackB);
        const auto& received = net.Listen(net.hostB, PORT);

        // Packets every 30 s from 1 s to 301 s: the first acquires, none finds the SAs gone.
        SendSeries(net, 11, Seconds(1), Seconds(30));
        Simulator::Stop(Seconds(500));
        Simulator::Run();

        NS_TEST_EXPECT_MSG_EQ(received.size(), 10u, "every packet after the first arrives");
        NS_TEST_EXPECT_MSG_EQ(ike.keyManagerA->acquires, 1u, "the SAs were never idle");
        NS_TEST_ASSERT_MSG_EQ(ike.keyManagerA->deletions.size(), 1u, "one deletion on A");
        NS_TEST_EXPECT_MSG_EQ(ike.keyManagerA->deletions[0].first,
                              lastA.last + Seconds(60),
                              "A deletes exactly 60 s after its last packet");
        NS_TEST_EXPECT_MSG_EQ(static_cast<int>(ike.keyManagerA->deletions[0].second),
                              static_cast<int>(IpsecSaDeleteReason::IDLE),
                              "reason IDLE");
        NS_TEST_ASSERT_MSG_EQ(ike.keyManagerB->deletions.size(), 1u, "one deletion on B");
        NS_TEST_EXPECT_MSG_EQ(ike.keyManagerB->deletions[0].first,
                              lastB.last + Seconds(60),
                              "B deletes exactly 60 s after its last packet");
        NS_TEST_EXPECT_MSG_EQ(stackA->GetDeletedCount(IpsecSaDeleteReason::IDLE),
                              2u,
                              "both SAs of A's set");
        NS_TEST_EXPECT_MSG_EQ(stackA->GetSadb()->GetSaCount(), 0u, "A's SADB is empty");
        Simulator::Destroy();
    }
};

/**
 * \ingroup ipsec
 * An entry's idle time takes precedence over the global one.
 */
class IpsecIdlePrecedenceTestCase : public TestCase
{
  public:
    IpsecIdlePrecedenceTestCase()
        : TestCase("entry idle time over global")
    {
    }

  private:
    void DoRun() override
    {
        TwoSiteNetwork net(true);
        IkeTunnel ike(net);
        Ptr<IpsecStack> stackA = TwoSiteNetwork::Stack(net.gatewayA);
        Ptr<IpsecStack> stackB = TwoSiteNetwork::Stack(net.gatewayB);
        stackA->SetIdleTime(Seconds(300));
        stackB->SetIdleTime(Seconds(300));
        NS_TEST_EXPECT_MSG_EQ(ike.entryA->SetIdleTime(Seconds(90)), "", "90 s is valid");
        LastPacketRecorder lastA;
        lastA.Connect(stackA);
        LastPacketRecorder lastB;
        lastB.Connect(stackB);
        net.Listen(net.hostB, PORT);
        SendSeries(net, 3, Seconds(1), Seconds(1));
        Simulator::Stop(Seconds(1000));
        Simulator::Run();

        NS_TEST_ASSERT_MSG_EQ(ike.keyManagerA->deletions.size(), 1u, "one deletion on A");
        NS_TEST_EXPECT_MSG_EQ(ike.keyManagerA->deletions[0].first,
                              lastA.last + Seconds(90),
                              "A uses its entry's 90 s");
        NS_TEST_ASSERT_MSG_EQ(ike.keyManagerB->deletions.size(), 1u, "one deletion on B");
        NS_TEST_EXPECT_MSG_EQ(ike.keyManagerB->deletions[0].first,
                              lastB.last + Seconds(300),
                              "B uses the global 300 s");
        Simulator::Destroy();
    }
};

/**
 * \ingroup ipsec
 * Without an idle time a set lives until its lifetime, and idle times outside 60..86400 s
 * are rejected without a change.
 */
class IpsecNoIdleTimerTestCase : public TestCase
{
  public:
    IpsecNoIdleTimerTestCase()
        : TestCase("no idle timer and range")
    {
    }

  private:
    void DoRun() override
    {
        TwoSiteNetwork net(true);
        IkeTunnel ike(net);
        Ptr<IpsecStack> stackA = TwoSiteNetwork::Stack(net.gatewayA);

        NS_TEST_EXPECT_MSG_NE(stackA->SetIdleTime(Seconds(59)), "", "59 s is rejected");
        NS_TEST_EXPECT_MSG_NE(stackA->SetIdleTime(Seconds(86401)), "", "86401 s is rejected");
        NS_TEST_EXPECT_MSG_EQ(stackA->GetIdleTime().has_value(), false, "nothing changed");
        NS_TEST_EXPECT_MSG_NE(ike.entryA->SetIdleTime(Seconds(59)), "", "entry: 59 s rejected");
        NS_TEST_EXPECT_MSG_EQ(ike.entryA->GetIdleTime().has_value(), false, "entry unchanged");
        NS_TEST_EXPECT_MSG_EQ(stackA->SetIdleTime(Seconds(86400)), "", "86400 s is valid");
        stackA->ClearIdleTime();

        ike.entryA->SetLifetimeSeconds(Seconds(600));
        net.Listen(net.hostB, PORT);
        SendSeries(net, 2, Seconds(1), Seconds(1));
        Simulator::Stop(Seconds(700));
        Simulator::Run();

        // Idle from 2 s on, the set still lives until its 600 s lifetime.
        NS_TEST_ASSERT_MSG_EQ(ike.keyManagerA->deletions.size(), 1u, "one deletion on A");
        NS_TEST_EXPECT_MSG_EQ(ike.keyManagerA->deletions[0].first,
                              Seconds(1) + MilliSeconds(1) + NanoSeconds(10400) + Seconds(600),
                              "deleted at the lifetime");
        NS_TEST_EXPECT_MSG_EQ(static_cast<int>(ike.keyManagerA->deletions[0].second),
                              static_cast<int>(IpsecSaDeleteReason::HARD_EXPIRED),
                              "reason HARD_EXPIRED");
        Simulator::Destroy();
    }
};

/**
 * \ingroup ipsec
 * IPsec SA idle timers.
 */
class IpsecIdleTimerTestSuite : public TestSuite
{
  public:
    IpsecIdleTimerTestSuite()
        : TestSuite("ipsec-idle-timer", UNIT)
    {
        AddTestCase(new IpsecIdleDeletionTestCase, TestCase::QUICK);
        AddTestCase(new IpsecIdlePrecedenceTestCase, TestCase::QUICK);
        AddTestCase(new IpsecNoIdleTimerTestCase, TestCase::QUICK);
    }
};

/// Registers the suite.
static IpsecIdleTimerTestSuite g_ipsecIdleTimerTestSuite;
