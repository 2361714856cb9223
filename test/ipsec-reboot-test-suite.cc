// Copyright (c) 2026 The ns3-ipsec authors
// SPDX-License-Identifier: GPL-2.0-only

// A gateway reboot: silent while booting, no IPsec state afterwards (the peer's packets on
// its old SA are dropped as invalid SPIs), configuration and routes kept.

#include "ipsec-test-network.h"

#include "ns3/core-module.h"
#include "ns3/internet-apps-module.h"
#include "ns3/test.h"

using namespace ns3;
using namespace ns3::ipsectest;

namespace
{

/// UDP port of the test traffic.
constexpr uint16_t PORT = 9;

} // namespace

/**
 * \ingroup ipsec
 * Gateway B reboots at 5 s for 10 s while gateway A pings it every second and host A sends
 * to host B every second over SAs negotiated at 1 s.
 *
 * Expected: the 10 pings sent from 5 s to 14 s are lost and the other 14 of 24 get a reply.
 * UDP packets from 2 s to 4 s arrive; those from 5 s to 14 s are dropped by B's IPv4 (its
 * interfaces are down); those from 15 s to 20 s still use A's old SA and are dropped by B
 * as INVALID_SPI (6). B's routes survive: after host B's packet at 21 s acquires new SAs,
 * its packet at 22 s reaches host A and host A's packet at 23 s reaches host B.
 */
class IpsecRebootTestCase : public TestCase
{
  public:
    IpsecRebootTestCase()
        : TestCase("reboot drops state keeps routes")
    {
    }

  private:
    void DoRun() override
    {
        TwoSiteNetwork net(true);
        IkeTunnel ike(net);
        Ptr<IpsecStack> stackB = TwoSiteNetwork::Stack(net.gatewayB);
        const auto& atHostB = net.Listen(net.hostB, PORT);
        const auto& atHostA = net.Listen(net.hostA, PORT);

        // Pings from gateway A to gateway B's WAN address, every second from 2 s to 25 s.
        V4PingHelper ping(TwoSiteNetwork::WAN_B);
        ping.SetAttribute("Interval", TimeValue(Seconds(1)));
        ApplicationContainer pinger = ping.Install(net.gatewayA);
        pinger.Start(Seconds(2));
        pinger.Stop(Seconds(25.5));
        uint32_t replies = 0;
        pinger.Get(0)->TraceConnectWithoutContext("Rtt", Callback<void, Time>([&replies](Time) {
                                                      ++replies;
                                                  }));

        std::vector<Time> rebootTimes;
        auto record = [&rebootTimes](Time) {
            rebootTimes.push_back(Simulator::Now());
        };
        stackB->TraceConnectWithoutContext("RebootStart", Callback<void, Time>(record));
        stackB->TraceConnectWithoutContext("RebootEnd", Callback<void, Time>(record));

        for (uint32_t i = 0; i < 20; ++i)
        {
            net.SendUdp(net.hostA,
                        PORT,
                        TwoSiteNetwork::HOST_B,
                        PORT,
                        MakePayload(i, 100),
                        Seconds(1 + i));
        }
        net.SendUdp(net.hostB,
                    PORT,
                    TwoSiteNetwork::HOST_A,
                    PORT,
                    MakePayload(50, 100),
                    Seconds(21));
        net.SendUdp(net.hostB,
                    PORT,
                    TwoSiteNetwork::HOST_A,
                    PORT,
                    MakePayload(51, 100),
                    Seconds(22));
        net.SendUdp(net.hostA,
                    PORT,
                    TwoSiteNetwork::HOST_B,
                    PORT,
                    MakePayload(52, 100),
                    Seconds(23));

        Ptr<Ipv4StaticRouting> routing =
            Ipv4StaticRoutingHelper().GetStaticRouting(net.gatewayB->GetObject<Ipv4>());
        uint32_t routesBefore = routing->GetNRoutes();
        uint32_t routesDuring = 0;
        uint32_t routesAfter = 0;
        uint32_t sasAfterBoot = 99;
        bool rebootingDuring = false;
        Simulator::Schedule(Seconds(10), [&]() {
            routesDuring = routing->GetNRoutes();
            rebootingDuring = stackB->IsRebooting();
        });
        Simulator::Schedule(Seconds(20.5), [&]() {
            routesAfter = routing->GetNRoutes();
            sasAfterBoot = stackB->GetSadb()->GetSaCount();
        });
        IpsecHelper::ScheduleReboot(net.gatewayB, Seconds(5), Seconds(10));
        Simulator::Stop(Seconds(30));
        Simulator::Run();

        NS_TEST_EXPECT_MSG_EQ(replies, 14u, "pings sent while booting are lost");
        NS_TEST_ASSERT_MSG_EQ(rebootTimes.size(), 2u, "reboot start and end traced");
        NS_TEST_EXPECT_MSG_EQ(rebootTimes[0], Seconds(5), "reboot starts at 5 s");
        NS_TEST_EXPECT_MSG_EQ(rebootTimes[1], Seconds(15), "reboot ends at 15 s");
        NS_TEST_EXPECT_MSG_EQ(rebootingDuring, true, "IsRebooting during the boot");
        NS_TEST_EXPECT_MSG_EQ(sasAfterBoot, 0u, "the SADB is empty after the boot");
        NS_TEST_EXPECT_MSG_EQ(stackB->GetDeletedCount(IpsecSaDeleteReason::REBOOT),
                              2u,
                              "B's two SAs deleted by the reboot");
        NS_TEST_EXPECT_MSG_EQ(ike.keyManagerB->resets, 1u, "the key manager was reset");
        NS_TEST_EXPECT_MSG_EQ(ike.keyManagerB->deletions.size(), 0u, "no SasDeleted on reboot");

        NS_TEST_EXPECT_MSG_EQ(stackB->GetDropCount(IpsecDropReason::INVALID_SPI),
                              6u,
                              "packets on the old SA are invalid SPIs");
        NS_TEST_ASSERT_MSG_EQ(ike.keyManagerB->invalidSpis.size(), 6u, "each one reported");
        NS_TEST_EXPECT_MSG_EQ(ike.keyManagerB->invalidSpis[0], 0x1000u, "the old SA's SPI");

        NS_TEST_EXPECT_MSG_EQ(routesDuring, routesBefore, "routes kept while booting");
        NS_TEST_EXPECT_MSG_EQ(routesAfter, routesBefore, "routes kept after the boot");
        NS_TEST_EXPECT_MSG_EQ(atHostA.size(), 1u, "host B reaches host A after new SAs");
        NS_TEST_EXPECT_MSG_EQ(atHostB.size(), 4u, "3 before the reboot, 1 after new SAs");
        Simulator::Destroy();
    }
};

/**
 * \ingroup ipsec
 * A manually keyed gateway comes back from a reboot with its configured SAs.
 */
class IpsecRebootManualTestCase : public TestCase
{
  public:
    IpsecRebootManualTestCase()
        : TestCase("reboot restores manual SAs")
    {
    }

  private:
    void DoRun() override
    {
        TwoSiteNetwork net(true);
        net.ipsec.CreateManualTunnel(net.wan.Get(0),
                                     net.wan.Get(1),
                                     TwoSiteNetwork::LAN_TO_LAN,
                                     "esp-aes esp-sha-hmac");
        Ptr<IpsecStack> stackB = TwoSiteNetwork::Stack(net.gatewayB);
        const auto& atHostB = net.Listen(net.hostB, PORT);
        for (uint32_t i = 0; i < 10; ++i)
        {
            net.SendUdp(net.hostA,
                        PORT,
                        TwoSiteNetwork::HOST_B,
                        PORT,
                        MakePayload(i, 100),
                        Seconds(1 + i));
        }
        IpsecHelper::ScheduleReboot(net.gatewayB, Seconds(3.5), Seconds(3));
        Simulator::Run();

        // Packets at 4, 5 and 6 s arrive while B boots; the others arrive.
        NS_TEST_EXPECT_MSG_EQ(atHostB.size(), 7u, "only packets during the boot are lost");
        NS_TEST_EXPECT_MSG_EQ(stackB->GetSadb()->GetSaCount(), 2u, "manual SAs reinstalled");
        NS_TEST_EXPECT_MSG_EQ(stackB->GetDropCount(IpsecDropReason::INVALID_SPI), 0u, "none");
        Simulator::Destroy();
    }
};

/**
 * \ingroup ipsec
 * Node reboots.
 */
class IpsecRebootTestSuite : public TestSuite
{
  public:
    IpsecRebootTestSuite()
        : TestSuite("ipsec-reboot", UNIT)
    {
        AddTestCase(new IpsecRebootTestCase, TestCase::QUICK);
        AddTestCase(new IpsecRebootManualTestCase, TestCase::QUICK);
    }
};

/// Registers the suite.
static IpsecRebootTestSuite g_ipsecRebootTestSuite;
