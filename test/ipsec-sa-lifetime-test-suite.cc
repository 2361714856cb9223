// Copyright (c) 2026 The ns3-ipsec authors
// SPDX-License-Identifier: GPL-2.0-only

// SA acquisition, time and volume lifetimes, soft expiry and rekeying, and crypto engine
// SA capacity, on the two-site network with a mock key manager that installs fixed-key SAs.

#include "ipsec-test-network.h"

#include "ns3/core-module.h"
#include "ns3/test.h"

#include <sstream>

using namespace ns3;
using namespace ns3::ipsectest;

namespace
{

/// UDP port of the test traffic.
constexpr uint16_t PORT = 9;

/**
 * Schedules UDP datagrams from host A to host B.
 * \param net the network
 * \param count the number of datagrams
 * \param first the time of the first
 * \param interval the time between two
 * \param size the payload size in bytes
 */
void
SendSeries(TwoSiteNetwork& net, uint32_t count, Time first, Time interval, uint32_t size)
{
    for (uint32_t i = 0; i < count; ++i)
    {
        net.SendUdp(net.hostA,
                    PORT,
                    TwoSiteNetwork::HOST_B,
                    PORT,
                    MakePayload(i, size),
                    first + interval * i);
    }
}

} // namespace

/**
 * \ingroup ipsec
 * Acquire is called once per packet that finds no SA, NO_SA counts each, and manually
 * keyed entries never call it.
 */
class IpsecAcquireTestCase : public TestCase
{
  public:
    IpsecAcquireTestCase()
        : TestCase("acquire per NO_SA packet")
    {
    }

  private:
    void DoRun() override
    {
        // An ipsec-isakmp entry whose key manager never installs SAs: every packet requests SAs.
        {
            TwoSiteNetwork net(true);
            IkeTunnel ike(net);
            ike.keyManagerA->negotiateOnAcquire = false;
            net.Listen(net.hostB, PORT);
            SendSeries(net, 3, Seconds(1), Seconds(1), 100);
            Simulator::Run();
            Ptr<IpsecStack> stackA = TwoSiteNetwork::Stack(net.gatewayA);
            NS_TEST_EXPECT_MSG_EQ(ike.keyManagerA->acquires, 3u, "one Acquire per packet");
            NS_TEST_EXPECT_MSG_EQ(stackA->GetDropCount(IpsecDropReason::NO_SA),
                                  3u,
                                  "every packet is dropped as NO_SA");
            NS_TEST_EXPECT_MSG_EQ(net.Received(net.hostB, PORT).size(), 0u, "nothing arrives");
            Simulator::Destroy();
        }

        // A manual entry without SAs (cleared) drops without asking the key manager.
        {
            TwoSiteNetwork net(true);
            net.ipsec.CreateManualTunnel(net.wan.Get(0),
                                         net.wan.Get(1),
                                         TwoSiteNetwork::LAN_TO_LAN,
                                         "esp-aes esp-sha-hmac");
            Ptr<IpsecStack> stackA = TwoSiteNetwork::Stack(net.gatewayA);
            auto keyManager = CreateObject<MockKeyManager>();
            stackA->SetKeyManager(keyManager);
            stackA->ClearSas();
            net.Listen(net.hostB, PORT);
            SendSeries(net, 2, Seconds(1), Seconds(1), 100);
            Simulator::Run();
            NS_TEST_EXPECT_MSG_EQ(keyManager->acquires, 0u, "manual entries never acquire");
            NS_TEST_EXPECT_MSG_EQ(stackA->GetDropCount(IpsecDropReason::NO_SA),
                                  2u,
                                  "both packets are dropped as NO_SA");
            Simulator::Destroy();
        }
    }
};

/**
 * \ingroup ipsec
 * A set expires exactly at its time lifetime, after one soft expiry 30 s before, and
 * `show crypto ipsec sa` prints the live remaining lifetimes.
 */
class IpsecTimeLifetimeTestCase : public TestCase
{
  public:
    IpsecTimeLifetimeTestCase()
        : TestCase("time lifetime expiry")
    {
    }

  private:
    void DoRun() override
    {
        TwoSiteNetwork net(true);
        IkeTunnel ike(net);
        NS_TEST_EXPECT_MSG_EQ(ike.entryA->SetLifetimeSeconds(Seconds(120)), "", "120 s is valid");
        NS_TEST_EXPECT_MSG_EQ(ike.entryB->SetLifetimeSeconds(Seconds(120)), "", "120 s is valid");
        NS_TEST_EXPECT_MSG_NE(ike.entryA->SetLifetimeSeconds(Seconds(119)),
                              "",
                              "119 s is below the IOS range");
        Ptr<IpsecStack> stackA = TwoSiteNetwork::Stack(net.gatewayA);
        Ptr<IpsecStack> stackB = TwoSiteNetwork::Stack(net.gatewayB);
        net.Listen(net.hostB, PORT);

        // The packet at 1 s acquires and is dropped. The SAs date from its arrival at gateway
        // A: 1 s + 1 ms LAN delay + 10.4 us on the wire (130 bytes at 100 Mb/s).
        SendSeries(net, 2, Seconds(1), Seconds(1), 100);
        Time installed = Seconds(1) + MilliSeconds(1) + NanoSeconds(10400);

        // At 61 s the outbound SA has 60 s left and 128 bytes used: 4607999 whole kilobytes.
        std::string shown;
        Simulator::Schedule(Seconds(61), [&]() {
            std::ostringstream os;
            stackA->ShowCryptoIpsecSa(os);
            shown = os.str();
        });
        Simulator::Stop(Seconds(200));
        Simulator::Run();

        NS_TEST_EXPECT_MSG_EQ(net.Received(net.hostB, PORT).size(), 1u, "the second arrives");
        NS_TEST_EXPECT_MSG_NE(shown.find("remaining key lifetime (k/sec): (4607999/60)"),
                              std::string::npos,
                              "show prints the live remaining lifetime");

        NS_TEST_ASSERT_MSG_EQ(ike.keyManagerA->softExpiryTimes.size(), 1u, "one soft expiry");
        NS_TEST_EXPECT_MSG_EQ(ike.keyManagerA->softExpiryTimes[0],
                              installed + Seconds(90),
                              "soft expiry 30 s before the lifetime");
        NS_TEST_EXPECT_MSG_EQ(ike.keyManagerA->softExpirySpis[0],
                              0x1000u,
                              "the outbound SA is reported");
        NS_TEST_ASSERT_MSG_EQ(ike.keyManagerA->deletions.size(), 1u, "one deletion");
        NS_TEST_EXPECT_MSG_EQ(ike.keyManagerA->deletions[0].first,
                              installed + Seconds(120),
                              "hard expiry exactly at the lifetime");
        NS_TEST_EXPECT_MSG_EQ(static_cast<int>(ike.keyManagerA->deletions[0].second),
                              static_cast<int>(IpsecSaDeleteReason::HARD_EXPIRED),
                              "reason HARD_EXPIRED");
        NS_TEST_EXPECT_MSG_EQ(stackA->GetExpiredCount(IpsecLifetimeKind::TIME), 1u, "counted");
        NS_TEST_EXPECT_MSG_EQ(stackA->GetDeletedCount(IpsecSaDeleteReason::HARD_EXPIRED),
                              2u,
                              "both SAs of the set are deleted");
        NS_TEST_EXPECT_MSG_EQ(stackA->GetSadb()->GetSaCount(), 0u, "the SADB is empty");
        NS_TEST_EXPECT_MSG_EQ(stackA->GetCryptoEngine()->GetSaCount(), 0u, "capacity released");
        NS_TEST_EXPECT_MSG_EQ(stackB->GetSadb()->GetSaCount(), 0u, "the peer's SAs expired too");
        Simulator::Destroy();
    }
};

/**
 * \ingroup ipsec
 * A set expires on the packet that reaches its volume lifetime, which still passes, and the
 * next packet acquires new SAs.
 *
 * The lifetime is 2560 KB (2621440 bytes) and each inner packet is 1400 bytes (1372
 * bytes of UDP payload). The soft lifetime (90 %: 2359296 bytes) is reached by protected
 * packet 1686 (2360400 bytes). The hard one is reached by packet 1873 (2622400 bytes),
 * because 1872 packets make 2620800.
 */
class IpsecVolumeLifetimeTestCase : public TestCase
{
  public:
    IpsecVolumeLifetimeTestCase()
        : TestCase("volume lifetime expiry")
    {
    }

  private:
    void DoRun() override
    {
        TwoSiteNetwork net(true);
        IkeTunnel ike(net);
        NS_TEST_EXPECT_MSG_EQ(ike.entryA->SetLifetimeKilobytes(2560), "", "2560 KB is valid");
        NS_TEST_EXPECT_MSG_EQ(ike.entryB->SetLifetimeKilobytes(2560), "", "2560 KB is valid");
        NS_TEST_EXPECT_MSG_NE(ike.entryA->SetLifetimeKilobytes(2559),
                              "",
                              "2559 KB is below the IOS range");
        Ptr<IpsecStack> stackA = TwoSiteNetwork::Stack(net.gatewayA);
        uint32_t protectedAtSoft = 0;
        uint32_t encrypted = 0;
        stackA->TraceConnectWithoutContext(
            "Encrypt",
            Callback<void, Ptr<const Packet>, Ptr<const IpsecSecurityAssociation>>(
                [&encrypted](Ptr<const Packet>, Ptr<const IpsecSecurityAssociation>) {
                    ++encrypted;
                }));
        stackA->TraceConnectWithoutContext(
            "SoftExpired",
            Callback<void, Ptr<const IpsecSecurityAssociation>, IpsecLifetimeKind>(
                [&](Ptr<const IpsecSecurityAssociation>, IpsecLifetimeKind kind) {
                    protectedAtSoft = encrypted;
                }));
        const auto& received = net.Listen(net.hostB, PORT);

        // Packet 0 acquires; 1 to 1873 use the first set; 1874 acquires again; 1875 passes.
        SendSeries(net, 1876, Seconds(1), MilliSeconds(2), 1372);
        Simulator::Stop(Seconds(10));
        Simulator::Run();

        NS_TEST_EXPECT_MSG_EQ(protectedAtSoft, 1686u, "soft expiry on packet 1686");
        NS_TEST_EXPECT_MSG_EQ(ike.keyManagerA->softExpiryTimes.size(), 1u, "reported once");
        NS_TEST_EXPECT_MSG_EQ(stackA->GetExpiredCount(IpsecLifetimeKind::VOLUME),
                              1u,
                              "one volume expiry");
        NS_TEST_EXPECT_MSG_EQ(ike.keyManagerA->acquires, 2u, "the packet after it acquires");
        NS_TEST_EXPECT_MSG_EQ(stackA->GetDropCount(IpsecDropReason::NO_SA), 2u, "two NO_SA");
        NS_TEST_EXPECT_MSG_EQ(received.size(), 1874u, "the packet reaching the limit passes");
        bool lastDelivered = received.size() > 1872 && received[1872] == MakePayload(1873, 1372);
        NS_TEST_EXPECT_MSG_EQ(lastDelivered, true, "packet 1873 is delivered");
        Simulator::Destroy();
    }
};

/**
 * \ingroup ipsec
 * A key manager that rekeys at the soft lifetime keeps traffic flowing: no packet is lost
 * while the old set receives until it expires.
 */
class IpsecRekeyTestCase : public TestCase
{
  public:
    IpsecRekeyTestCase()
        : TestCase("rekey loses no packet")
    {
    }

  private:
    void DoRun() override
    {
        TwoSiteNetwork net(true);
        IkeTunnel ike(net);
        ike.entryA->SetLifetimeSeconds(Seconds(120));
        ike.entryB->SetLifetimeSeconds(Seconds(120));
        ike.keyManagerA->rekeyOnSoftExpiry = true;
        Ptr<IpsecStack> stackA = TwoSiteNetwork::Stack(net.gatewayA);
        const auto& received = net.Listen(net.hostB, PORT);

        // One packet every 0.5 s from 1 s to 200.5 s; the first acquires.
        SendSeries(net, 400, Seconds(1), MilliSeconds(500), 100);
        Simulator::Stop(Seconds(205));
        Simulator::Run();

        NS_TEST_EXPECT_MSG_EQ(received.size(), 399u, "only the acquiring packet is lost");
        NS_TEST_EXPECT_MSG_EQ(ike.keyManagerA->negotiations, 3u, "two rekeys by 200 s");
        NS_TEST_EXPECT_MSG_EQ(stackA->GetExpiredCount(IpsecLifetimeKind::TIME),
                              1u,
                              "the first set expired at 121 s");
        NS_TEST_EXPECT_MSG_EQ(stackA->GetDropCount(IpsecDropReason::NO_SA), 1u, "one NO_SA");
        Simulator::Destroy();
    }
};

/**
 * \ingroup ipsec
 * A crypto engine with room for 4 SAs takes two peers of 2 SAs each and rejects the third
 * until a deletion frees room.
 */
class IpsecSaCapacityTestCase : public TestCase
{
  public:
    IpsecSaCapacityTestCase()
        : TestCase("crypto engine SA capacity")
    {
    }

  private:
    void DoRun() override
    {
        Ptr<Node> node = CreateObject<Node>();
        InternetStackHelper internet;
        internet.Install(node);
        IpsecHelper helper;
        Ptr<IpsecStack> stack = helper.Install(node);
        stack->GetCryptoEngine()->SetAttribute("SaCapacity", UintegerValue(4));
        uint32_t traced = 0;
        stack->TraceConnectWithoutContext(
            "SaCapacityRejected",
            Callback<void, Ipv4Address, uint32_t, uint32_t>(
                [&traced](Ipv4Address, uint32_t requested, uint32_t capacity) {
                    ++traced;
                }));

        IpsecTransformSet set = IpsecTransformSet::FromString("TS", "esp-aes esp-sha-hmac");
        auto entry = Create<CryptoMapEntry>(10, CryptoMapEntry::KeyManagement::ISAKMP);
        entry->AddTransformSet(set);
        auto map = Create<CryptoMap>("VPN");
        map->AddEntry(entry);
        Ipv4Address local("192.0.2.1");
        uint32_t spi = 0x2000;
        auto install = [&](Ipv4Address peer) {
            auto make = [&](IpsecDirection direction) {
                return stack->CreateSa(direction,
                                       IpsecProtocol::ESP,
                                       spi++,
                                       set,
                                       MakeKey(16, 1),
                                       MakeKey(20, 2),
                                       local,
                                       peer,
                                       map,
                                       entry);
            };
            auto bundle = Create<IpsecSaBundle>();
            bundle->esp = make(IpsecDirection::OUTBOUND);
            return stack->InstallSas(map, entry, peer, 0, {make(IpsecDirection::INBOUND)}, bundle);
        };

        NS_TEST_EXPECT_MSG_EQ(install(Ipv4Address("198.51.100.1")), true, "first peer fits");
        NS_TEST_EXPECT_MSG_EQ(install(Ipv4Address("198.51.100.2")), true, "second peer fits");
        NS_TEST_EXPECT_MSG_EQ(install(Ipv4Address("198.51.100.3")), false, "third is rejected");
        NS_TEST_EXPECT_MSG_EQ(stack->GetCapacityRejectedCount(), 1u, "the rejection is counted");
        NS_TEST_EXPECT_MSG_EQ(traced, 1u, "the rejection is traced");
        NS_TEST_EXPECT_MSG_EQ(stack->GetSadb()->GetSaCount(), 4u, "nothing of it installed");
        const auto& lines = stack->GetSyslog()->GetLines();
        NS_TEST_ASSERT_MSG_EQ(lines.size(), 1u, "one log line");
        NS_TEST_EXPECT_MSG_NE(lines.back().find("%CRYPTO-4-SA_CAPACITY"),
                              std::string::npos,
                              "logged with the module's mnemonic");
        NS_TEST_EXPECT_MSG_NE(lines.back().find("198.51.100.3"),
                              std::string::npos,
                              "the line names the peer");

        // Deleting the first peer's SAs frees two places.
        stack->DeleteSasOfPeer(Ipv4Address("198.51.100.1"), IpsecSaDeleteReason::CLEARED);
        NS_TEST_EXPECT_MSG_EQ(stack->GetCryptoEngine()->GetSaCount(), 2u, "two places freed");
        NS_TEST_EXPECT_MSG_EQ(install(Ipv4Address("198.51.100.3")), true, "now it fits");
        NS_TEST_EXPECT_MSG_EQ(stack->GetCryptoEngine()->GetSaCount(), 4u, "engine full again");
        Simulator::Destroy();
    }
};

/**
 * \ingroup ipsec
 * SA lifetimes, acquisition and crypto engine SA capacity.
 */
class IpsecSaLifetimeTestSuite : public TestSuite
{
  public:
    IpsecSaLifetimeTestSuite()
        : TestSuite("ipsec-sa-lifetime", UNIT)
    {
        AddTestCase(new IpsecAcquireTestCase, TestCase::QUICK);
        AddTestCase(new IpsecTimeLifetimeTestCase, TestCase::QUICK);
        AddTestCase(new IpsecVolumeLifetimeTestCase, TestCase::QUICK);
        AddTestCase(new IpsecRekeyTestCase, TestCase::QUICK);
        AddTestCase(new IpsecSaCapacityTestCase, TestCase::QUICK);
    }
};

/// Registers the suite.
static IpsecSaLifetimeTestSuite g_ipsecSaLifetimeTestSuite;
