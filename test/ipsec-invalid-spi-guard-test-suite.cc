// Copyright (c) 2026 The ns3-ipsec authors
// SPDX-License-Identifier: GPL-2.0-only

// Tests of the admission control of invalid SPI recovery (InvalidSpiRecovery) and of the
// hostile flood source (SpiFloodApplication).
//
// The guard cases call Admit() at chosen simulated times and compare each decision and
// counter with values worked out by hand. The flood cases run the flood from host A of the
// two-site network against gateway B, which has no SAs:
//
// clang-format off
//
//   host A              gateway A                     gateway B              host B
//   10.1.1.2 ---------- 10.1.1.1 | 192.0.2.1 ====== 192.0.2.2 | 10.2.2.1 ---------- 10.2.2.2
//   SpiFloodApplication          10 Mb/s, 5 ms                IpsecStack, InvalidSpiRecovery
//
// clang-format on
//
// A guard on gateway B is fed from IPv4's LocalDeliver trace with the outer source, protocol
// and SPI of every ESP or AH packet, which is what the key manager passes on for an invalid
// SPI.

#include "ipsec-test-network.h"

#include "ns3/core-module.h"
#include "ns3/internet-module.h"
#include "ns3/ipsec-module.h"
#include "ns3/network-module.h"
#include "ns3/test.h"

#include <cstdint>
#include <set>
#include <vector>

using namespace ns3;
using namespace ns3::ipsectest;

namespace
{

/**
 * Makes a guard with recovery enabled.
 * \param sourceInterval the SourceInterval attribute
 * \param totalRate the TotalRate attribute (recoveries per second)
 * \param burst the Burst attribute (recoveries)
 * \param maxSources the MaxSources attribute (sources)
 * \return the guard
 */
Ptr<InvalidSpiRecovery>
MakeGuard(Time sourceInterval, double totalRate, uint32_t burst, uint32_t maxSources = 1024)
{
    Ptr<InvalidSpiRecovery> guard = CreateObject<InvalidSpiRecovery>();
    guard->SetAttribute("Enabled", BooleanValue(true));
    guard->SetAttribute("SourceInterval", TimeValue(sourceInterval));
    guard->SetAttribute("TotalRate", DoubleValue(totalRate));
    guard->SetAttribute("Burst", UintegerValue(burst));
    guard->SetAttribute("MaxSources", UintegerValue(maxSources));
    return guard;
}

/// One Admit() call planned by a test and its outcome.
struct AdmitCall
{
    Time at;              //!< simulated time of the call
    Ipv4Address source;   //!< source passed
    bool expected;        //!< the decision worked out by hand
    bool admitted{false}; //!< the decision returned
};

/**
 * Schedules every planned Admit() call with ESP and SPI 0x1000 + its index.
 * \param guard the guard
 * \param calls the calls; their outcomes are written back when the simulation runs
 */
void
ScheduleAdmits(Ptr<InvalidSpiRecovery> guard, std::vector<AdmitCall>& calls)
{
    for (uint32_t i = 0; i < calls.size(); ++i)
    {
        AdmitCall* call = &calls[i];
        Simulator::Schedule(call->at, [guard, call, i]() {
            call->admitted = guard->Admit(call->source, IpsecProtocol::ESP, 0x1000 + i);
        });
    }
}

/**
 * Feeds a guard from a node's LocalDeliver trace with every ESP or AH packet.
 * \param guard the guard
 * \param header the outer IPv4 header
 * \param packet the IPv4 payload, starting with the ESP or AH header
 * \param interface the incoming interface
 */
void
FeedGuard(Ptr<InvalidSpiRecovery> guard,
          const Ipv4Header& header,
          Ptr<const Packet> packet,
          uint32_t interface)
{
    uint8_t protocol = header.GetProtocol();
    if (protocol == static_cast<uint8_t>(IpsecProtocol::ESP))
    {
        EspHeader esp;
        packet->PeekHeader(esp);
        guard->Admit(header.GetSource(), IpsecProtocol::ESP, esp.GetSpi());
    }
    else if (protocol == static_cast<uint8_t>(IpsecProtocol::AH))
    {
        AhHeader ah;
        packet->PeekHeader(ah);
        guard->Admit(header.GetSource(), IpsecProtocol::AH, ah.GetSpi());
    }
}

} // namespace

/**
 * \ingroup ipsec
 * With the default attributes the guard admits nothing and counts the events as disabled.
 */
class IpsecGuardDisabledTestCase : public TestCase
{
  public:
    IpsecGuardDisabledTestCase()
        : TestCase("guard off by default")
    {
    }

  private:
    void DoRun() override
    {
        Ptr<InvalidSpiRecovery> guard = CreateObject<InvalidSpiRecovery>();
        NS_TEST_EXPECT_MSG_EQ(guard->IsEnabled(), false, "enabled by default");
        for (uint32_t i = 0; i < 3; ++i)
        {
            NS_TEST_EXPECT_MSG_EQ(guard->Admit(Ipv4Address("192.0.2.1"), IpsecProtocol::AH, 300),
                                  false,
                                  "admitted while disabled");
        }
        NS_TEST_EXPECT_MSG_EQ(guard->GetSuppressedCount(InvalidSpiSuppressReason::DISABLED),
                              3,
                              "suppressed as disabled");
        NS_TEST_EXPECT_MSG_EQ(guard->GetSuppressedCount(), 3, "suppressed in total");
        NS_TEST_EXPECT_MSG_EQ(guard->GetStartedCount(), 0, "started");
        NS_TEST_EXPECT_MSG_EQ(guard->GetTrackedCount(), 0, "tracked sources");

        guard->SetEnabled(true);
        NS_TEST_EXPECT_MSG_EQ(guard->Admit(Ipv4Address("192.0.2.1"), IpsecProtocol::AH, 300),
                              true,
                              "admitted once enabled");
        Simulator::Destroy();
    }
};

/**
 * \ingroup ipsec
 * One source: a recovery in progress blocks the source, and after it finishes the next
 * start waits for SourceInterval (10 s) after the last start, exactly. Another source is
 * independent.
 */
class IpsecGuardSourceRateTestCase : public TestCase
{
  public:
    IpsecGuardSourceRateTestCase()
        : TestCase("guard per-source limit")
    {
    }

  private:
    void DoRun() override
    {
        // The bucket (1000 per second, 100 deep) never limits here.
        Ptr<InvalidSpiRecovery> guard = MakeGuard(Seconds(10), 1000, 100);
        Ipv4Address s("192.0.2.1");
        Ipv4Address t("198.51.100.7");
        std::vector<AdmitCall> calls = {
            {Seconds(0), s, true},
            {Seconds(0.2), s, false}, // in progress
            {Seconds(1), s, false},   // finished at 0.5 s, but 1 s < 10 s after the start
            {Seconds(1), t, true},
            {MilliSeconds(9999), s, false}, // 9.999 s after the start
            {Seconds(10), s, true},         // exactly 10 s after the start
            {Seconds(10.1), s, false},      // in progress again
        };
        ScheduleAdmits(guard, calls);
        Simulator::Schedule(Seconds(0.5), &InvalidSpiRecovery::RecoveryFinished, guard, s, true);
        Simulator::Schedule(Seconds(2), &InvalidSpiRecovery::RecoveryFinished, guard, t, false);
        Simulator::Schedule(Seconds(3),
                            &InvalidSpiRecovery::RecoveryFinished,
                            guard,
                            Ipv4Address("203.0.113.9"),
                            true);

        std::vector<InvalidSpiSuppressReason> reasons;
        guard->TraceConnectWithoutContext(
            "Suppressed",
            MakeCallback(+[](std::vector<InvalidSpiSuppressReason>* out,
                             Ipv4Address,
                             IpsecProtocol,
                             uint32_t,
                             InvalidSpiSuppressReason reason) {
                out->push_back(reason);
            }).Bind(&reasons));
        Simulator::Run();

        for (uint32_t i = 0; i < calls.size(); ++i)
        {
            NS_TEST_EXPECT_MSG_EQ(calls[i].admitted, calls[i].expected, "decision of call " << i);
        }
        NS_TEST_EXPECT_MSG_EQ(guard->GetStartedCount(), 3, "started");
        NS_TEST_EXPECT_MSG_EQ(guard->GetSuppressedCount(InvalidSpiSuppressReason::IN_PROGRESS),
                              2,
                              "suppressed in progress");
        NS_TEST_EXPECT_MSG_EQ(guard->GetSuppressedCount(InvalidSpiSuppressReason::SOURCE_RATE),
                              2,
                              "suppressed by source rate");
        NS_TEST_EXPECT_MSG_EQ(guard->GetSuppressedCount(InvalidSpiSuppressReason::TOTAL_RATE),
                              0,
                              "suppressed by total rate");
        NS_TEST_ASSERT_MSG_EQ(reasons.size(), 4, "Suppressed trace calls");
        NS_TEST_EXPECT_MSG_EQ(static_cast<int>(reasons[0]),
                              static_cast<int>(InvalidSpiSuppressReason::IN_PROGRESS),
                              "first reason");
        NS_TEST_EXPECT_MSG_EQ(static_cast<int>(reasons[1]),
                              static_cast<int>(InvalidSpiSuppressReason::SOURCE_RATE),
                              "second reason");
        NS_TEST_EXPECT_MSG_EQ(guard->GetSucceededCount(), 1, "succeeded");
        NS_TEST_EXPECT_MSG_EQ(guard->GetFailedCount(), 1, "failed");
        NS_TEST_EXPECT_MSG_EQ(guard->GetTrackedCount(), 2, "tracked sources");
        NS_TEST_EXPECT_MSG_EQ(guard->GetInProgressCount(), 1, "in progress");
        NS_TEST_EXPECT_MSG_EQ(guard->IsInProgress(s), true, "s in progress");
        NS_TEST_EXPECT_MSG_EQ(guard->IsInProgress(t), false, "t in progress");
        Simulator::Destroy();
    }
};

/**
 * \ingroup ipsec
 * Distinct sources against a bucket of 3 tokens refilled at 2 per second (one every
 * 500 ms), full at start. The decisions, worked out by hand:
 *  - 1 s: 3 tokens, so 3 taken and 2 suppressed;
 *  - 1.4999 s: 0.9998 tokens, so 1 suppressed;
 *  - 1.5 s: 1 token, so 1 taken and 1 suppressed;
 *  - 3 s: 3 tokens after 1.5 s of refill, so 3 taken and 1 suppressed;
 *  - 10 s: 3 tokens (the cap), so 3 taken and 1 suppressed.
 */
class IpsecGuardTotalRateTestCase : public TestCase
{
  public:
    IpsecGuardTotalRateTestCase()
        : TestCase("guard token bucket")
    {
    }

  private:
    void DoRun() override
    {
        Ptr<InvalidSpiRecovery> guard = MakeGuard(Seconds(10), 2, 3);
        std::vector<AdmitCall> calls;
        uint32_t next = 0;
        auto add = [&calls, &next](Time at, bool expected) {
            calls.push_back({at, Ipv4Address(0x0a000001 + next++), expected});
        };
        for (bool expected : {true, true, true, false, false})
        {
            add(Seconds(1), expected);
        }
        add(MicroSeconds(1499900), false);
        add(Seconds(1.5), true);
        add(Seconds(1.5), false);
        for (bool expected : {true, true, true, false})
        {
            add(Seconds(3), expected);
        }
        for (bool expected : {true, true, true, false})
        {
            add(Seconds(10), expected);
        }
        ScheduleAdmits(guard, calls);
        Simulator::Run();

        for (uint32_t i = 0; i < calls.size(); ++i)
        {
            NS_TEST_EXPECT_MSG_EQ(calls[i].admitted, calls[i].expected, "decision of call " << i);
        }
        NS_TEST_EXPECT_MSG_EQ(guard->GetStartedCount(), 10, "started");
        NS_TEST_EXPECT_MSG_EQ(guard->GetSuppressedCount(InvalidSpiSuppressReason::TOTAL_RATE),
                              6,
                              "suppressed by total rate");
        NS_TEST_EXPECT_MSG_EQ(guard->GetSuppressedCount(), 6, "suppressed in total");
        NS_TEST_EXPECT_MSG_EQ(guard->GetTrackedCount(), 10, "tracked sources");
        Simulator::Destroy();
    }
};

/**
 * \ingroup ipsec
 * Events that a per-source check suppresses take no token: a peer sending on a stale SA
 * does not keep recoveries with other peers from starting. The bucket has room for 1 token
 * and refills one per second.
 */
class IpsecGuardSourceFirstTestCase : public TestCase
{
  public:
    IpsecGuardSourceFirstTestCase()
        : TestCase("guard source checks take no token")
    {
    }

  private:
    void DoRun() override
    {
        Ptr<InvalidSpiRecovery> guard = MakeGuard(Seconds(10), 1, 1);
        Ipv4Address s("192.0.2.1");
        Ipv4Address t("192.0.2.5");
        std::vector<AdmitCall> calls = {{Seconds(0), s, true}};
        for (uint32_t i = 1; i <= 9; ++i)
        {
            calls.push_back({MilliSeconds(100 * i), s, false});
        }
        calls.push_back({Seconds(1), s, false});
        calls.push_back({Seconds(1), t, true});
        ScheduleAdmits(guard, calls);
        Simulator::Schedule(Seconds(0.45), &InvalidSpiRecovery::RecoveryFinished, guard, s, true);
        Simulator::Run();

        for (uint32_t i = 0; i < calls.size(); ++i)
        {
            NS_TEST_EXPECT_MSG_EQ(calls[i].admitted, calls[i].expected, "decision of call " << i);
        }
        NS_TEST_EXPECT_MSG_EQ(guard->GetSuppressedCount(InvalidSpiSuppressReason::IN_PROGRESS),
                              4,
                              "suppressed in progress (0.1 s to 0.4 s)");
        NS_TEST_EXPECT_MSG_EQ(guard->GetSuppressedCount(InvalidSpiSuppressReason::SOURCE_RATE),
                              6,
                              "suppressed by source rate (0.5 s to 1 s)");
        NS_TEST_EXPECT_MSG_EQ(guard->GetSuppressedCount(InvalidSpiSuppressReason::TOTAL_RATE),
                              0,
                              "suppressed by total rate");
        Simulator::Destroy();
    }
};

/**
 * \ingroup ipsec
 * 10 000 distinct sources through a table of 100: the table never has more than 100 entries, the
 * oldest entries go first, and a finished report for an evicted source is ignored.
 */
class IpsecGuardTableTestCase : public TestCase
{
  public:
    IpsecGuardTableTestCase()
        : TestCase("guard table bounded")
    {
    }

  private:
    void DoRun() override
    {
        constexpr uint32_t SOURCES = 10000;
        constexpr uint32_t CAPACITY = 100;
        Ptr<InvalidSpiRecovery> guard = MakeGuard(Seconds(10), 1e6, SOURCES, CAPACITY);
        uint64_t evictedInProgress = 0;
        guard->TraceConnectWithoutContext(
            "Evicted",
            MakeCallback(+[](uint64_t* count, Ipv4Address, bool inProgress) {
                *count += inProgress ? 1 : 0;
            }).Bind(&evictedInProgress));

        // Source i is 10.0.0.0 + i; each call comes 1 ms after the previous one.
        uint32_t maxTracked = 0;
        uint32_t admitted = 0;
        for (uint32_t i = 0; i < SOURCES; ++i)
        {
            Simulator::Schedule(MilliSeconds(i), [&, i]() {
                admitted += guard->Admit(Ipv4Address(0x0a000000 + i), IpsecProtocol::ESP, 256 + i);
                maxTracked = std::max(maxTracked, guard->GetTrackedCount());
            });
        }
        Simulator::Run();

        NS_TEST_EXPECT_MSG_EQ(admitted, SOURCES, "admitted");
        NS_TEST_EXPECT_MSG_EQ(maxTracked, CAPACITY, "largest table");
        NS_TEST_EXPECT_MSG_EQ(guard->GetTrackedCount(), CAPACITY, "tracked sources");
        NS_TEST_EXPECT_MSG_EQ(guard->GetEvictedCount(), SOURCES - CAPACITY, "evicted");
        NS_TEST_EXPECT_MSG_EQ(evictedInProgress, SOURCES - CAPACITY, "evicted in progress");
        NS_TEST_EXPECT_MSG_EQ(guard->GetInProgressCount(), CAPACITY, "in progress");
        NS_TEST_EXPECT_MSG_EQ(guard->IsInProgress(Ipv4Address(0x0a000000 + SOURCES - CAPACITY - 1)),
                              false,
                              "last evicted source");
        NS_TEST_EXPECT_MSG_EQ(guard->IsInProgress(Ipv4Address(0x0a000000 + SOURCES - CAPACITY)),
                              true,
                              "oldest kept source");

        // An evicted source is a new source again.
        guard->RecoveryFinished(Ipv4Address(0x0a000000), true);
        NS_TEST_EXPECT_MSG_EQ(guard->GetSucceededCount(), 0, "finish of evicted source");
        NS_TEST_EXPECT_MSG_EQ(guard->Admit(Ipv4Address(0x0a000000), IpsecProtocol::AH, 999),
                              true,
                              "evicted source admitted again");
        NS_TEST_EXPECT_MSG_EQ(guard->GetTrackedCount(), CAPACITY, "tracked after re-admission");

        guard->Reset();
        NS_TEST_EXPECT_MSG_EQ(guard->GetTrackedCount(), 0, "tracked after reset");
        NS_TEST_EXPECT_MSG_EQ(guard->GetInProgressCount(), 0, "in progress after reset");
        NS_TEST_EXPECT_MSG_EQ(guard->GetStartedCount(), SOURCES + 1, "started after reset");
        Simulator::Destroy();
    }
};

/**
 * \ingroup ipsec
 * 3000 ESP packets from 256 spoofed sources, one every 700 us from 1 s, at gateway B with no
 * SAs: every packet is dropped as an invalid SPI, and the log line is rate-limited to one per
 * second. Arrivals are 700 us apart from the first one at t0, so lines are stored at t0,
 * t0 + 1.0003 s (packet 1429) and t0 + 2.0006 s (packet 2858): 3 logged, 2997 rate-limited.
 * A guard with the defaults (10 per second, burst 20) fed with the same packets starts at
 * most 20 + 10 * 2.0993 recoveries.
 */
class IpsecEspFloodTestCase : public TestCase
{
  public:
    IpsecEspFloodTestCase()
        : TestCase("esp flood from spoofed sources")
    {
    }

  private:
    void DoRun() override
    {
        constexpr uint32_t PACKETS = 3000;
        TwoSiteNetwork net(false);
        net.Listen(net.hostB, 9);

        Ptr<SpiFloodApplication> flood = CreateObject<SpiFloodApplication>();
        flood->SetAttribute("Remote", Ipv4AddressValue(TwoSiteNetwork::WAN_B));
        flood->SetAttribute("Protocol", EnumValue(static_cast<int>(IpsecProtocol::ESP)));
        flood->SetAttribute("Interval", TimeValue(MicroSeconds(700)));
        flood->SetAttribute("MaxPackets", UintegerValue(PACKETS));
        flood->SetAttribute("Source", Ipv4AddressValue(Ipv4Address("198.51.100.0")));
        flood->SetAttribute("SourceRandomBits", UintegerValue(8));
        flood->AssignStreams(100);
        net.hostA->AddApplication(flood);
        flood->SetStartTime(Seconds(1));

        std::set<uint32_t> sources;
        std::set<uint32_t> spis;
        flood->TraceConnectWithoutContext(
            "Tx",
            MakeCallback(+[](std::pair<std::set<uint32_t>*, std::set<uint32_t>*> out,
                             Ptr<const Packet>,
                             Ipv4Address source,
                             uint32_t spi) {
                out.first->insert(source.Get());
                out.second->insert(spi);
            }).Bind(std::make_pair(&sources, &spis)));

        Ptr<InvalidSpiRecovery> guard = CreateObject<InvalidSpiRecovery>();
        guard->SetEnabled(true);
        net.gatewayB->GetObject<Ipv4L3Protocol>()->TraceConnectWithoutContext(
            "LocalDeliver",
            MakeBoundCallback(&FeedGuard, guard));
        Simulator::Run();

        Ptr<IpsecStack> stackB = TwoSiteNetwork::Stack(net.gatewayB);
        NS_TEST_EXPECT_MSG_EQ(flood->GetSentCount(), PACKETS, "packets sent");
        NS_TEST_EXPECT_MSG_EQ(flood->GetSendFailureCount(), 0, "send failures");
        NS_TEST_EXPECT_MSG_EQ(stackB->GetDropCount(IpsecDropReason::INVALID_SPI),
                              flood->GetSentCount(),
                              "invalid-spi drops");
        NS_TEST_EXPECT_MSG_EQ(stackB->GetDropCount(IpsecDropReason::MALFORMED),
                              0,
                              "malformed drops");
        NS_TEST_EXPECT_MSG_EQ(net.Received(net.hostB, 9).size(), 0, "delivered to host B");
        NS_TEST_EXPECT_MSG_GT(sources.size(), std::size_t{250}, "distinct spoofed sources");
        NS_TEST_EXPECT_MSG_LT_OR_EQ(sources.size(), std::size_t{256}, "distinct spoofed sources");
        NS_TEST_EXPECT_MSG_EQ(spis.size(), PACKETS, "distinct SPIs");
        NS_TEST_EXPECT_MSG_GT_OR_EQ(*spis.begin(), 256u, "smallest SPI");

        Ptr<IpsecSyslog> syslog = stackB->GetSyslog();
        NS_TEST_EXPECT_MSG_EQ(syslog->GetLoggedCount(), 3, "RECV_PKT_INV_SPI lines logged");
        NS_TEST_EXPECT_MSG_EQ(syslog->GetRateLimitedCount(), PACKETS - 3, "lines rate-limited");

        NS_TEST_EXPECT_MSG_EQ(guard->GetStartedCount() + guard->GetSuppressedCount(),
                              PACKETS,
                              "guard decisions");
        NS_TEST_EXPECT_MSG_GT_OR_EQ(guard->GetStartedCount(), 20, "recoveries started");
        NS_TEST_EXPECT_MSG_LT_OR_EQ(guard->GetStartedCount(), 40, "recoveries started");
        NS_TEST_EXPECT_MSG_LT_OR_EQ(guard->GetTrackedCount(), 256, "tracked sources");
        Simulator::Destroy();
    }
};

/**
 * \ingroup ipsec
 * 500 AH packets from host A's own address, one every 1 ms from 1 s: every packet is dropped
 * as an invalid SPI, and a guard fed with them starts one recovery and suppresses the other
 * 499 as in progress.
 */
class IpsecAhFloodTestCase : public TestCase
{
  public:
    IpsecAhFloodTestCase()
        : TestCase("ah flood from a real source")
    {
    }

  private:
    void DoRun() override
    {
        constexpr uint32_t PACKETS = 500;
        TwoSiteNetwork net(false);

        Ptr<SpiFloodApplication> flood = CreateObject<SpiFloodApplication>();
        flood->SetAttribute("Remote", Ipv4AddressValue(TwoSiteNetwork::WAN_B));
        flood->SetAttribute("Protocol", EnumValue(static_cast<int>(IpsecProtocol::AH)));
        flood->SetAttribute("PayloadSize", UintegerValue(40));
        flood->AssignStreams(200);
        net.hostA->AddApplication(flood);
        flood->SetStartTime(Seconds(1));
        flood->SetStopTime(Seconds(1.4995));

        std::vector<uint32_t> sizes;
        flood->TraceConnectWithoutContext("Tx",
                                          MakeCallback(+[](std::vector<uint32_t>* out,
                                                           Ptr<const Packet> packet,
                                                           Ipv4Address,
                                                           uint32_t) {
                                              out->push_back(packet->GetSize());
                                          }).Bind(&sizes));

        Ptr<InvalidSpiRecovery> guard = CreateObject<InvalidSpiRecovery>();
        guard->SetEnabled(true);
        net.gatewayB->GetObject<Ipv4L3Protocol>()->TraceConnectWithoutContext(
            "LocalDeliver",
            MakeBoundCallback(&FeedGuard, guard));
        Simulator::Run();

        // 12 fixed bytes, a 12-byte ICV and 40 random bytes.
        NS_TEST_EXPECT_MSG_EQ(flood->GetSentCount(), PACKETS, "packets sent");
        NS_TEST_ASSERT_MSG_EQ(sizes.size(), PACKETS, "Tx trace calls");
        NS_TEST_EXPECT_MSG_EQ(sizes.front(), 64, "AH packet size");
        Ptr<IpsecStack> stackB = TwoSiteNetwork::Stack(net.gatewayB);
        NS_TEST_EXPECT_MSG_EQ(stackB->GetDropCount(IpsecDropReason::INVALID_SPI),
                              PACKETS,
                              "invalid-spi drops");
        NS_TEST_EXPECT_MSG_EQ(stackB->GetSyslog()->GetLoggedCount(), 1, "lines logged");
        NS_TEST_EXPECT_MSG_EQ(guard->GetStartedCount(), 1, "recoveries started");
        NS_TEST_EXPECT_MSG_EQ(guard->GetSuppressedCount(InvalidSpiSuppressReason::IN_PROGRESS),
                              PACKETS - 1,
                              "suppressed in progress");
        NS_TEST_EXPECT_MSG_EQ(guard->IsInProgress(TwoSiteNetwork::HOST_A), true, "host A");
        Simulator::Destroy();
    }
};

/**
 * \ingroup ipsec
 * The invalid SPI recovery guard and the SPI flood source.
 */
class IpsecInvalidSpiGuardTestSuite : public TestSuite
{
  public:
    IpsecInvalidSpiGuardTestSuite()
        : TestSuite("ipsec-invalid-spi-guard", UNIT)
    {
        AddTestCase(new IpsecGuardDisabledTestCase, TestCase::QUICK);
        AddTestCase(new IpsecGuardSourceRateTestCase, TestCase::QUICK);
        AddTestCase(new IpsecGuardTotalRateTestCase, TestCase::QUICK);
        AddTestCase(new IpsecGuardSourceFirstTestCase, TestCase::QUICK);
        AddTestCase(new IpsecGuardTableTestCase, TestCase::QUICK);
        AddTestCase(new IpsecEspFloodTestCase, TestCase::QUICK);
        AddTestCase(new IpsecAhFloodTestCase, TestCase::QUICK);
    }
};

/// Registers the suite.
static IpsecInvalidSpiGuardTestSuite g_ipsecInvalidSpiGuardTestSuite;
