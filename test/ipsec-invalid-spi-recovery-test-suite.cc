// Copyright (c) 2026 The ns3-ipsec authors
// SPDX-License-Identifier: GPL-2.0-only

// Tests of INVALID_SPI notifications over IKE and of invalid SPI recovery
// (IkeInvalidSpiHandler) on the two-site network, configured as the two routers of the IOS
// invalid SPI recovery example:
//
//   crypto isakmp policy 1: encryption aes, authentication pre-share, group 14, lifetime 180
//   crypto isakmp key 1234 address PEER
//   crypto isakmp invalid-spi-recovery          (on or off, per case)
//   crypto ipsec transform-set auth2 ah-sha-hmac esp-aes esp-sha-hmac
//   crypto map testtag1 10 ipsec-isakmp: set peer PEER, set transform-set auth2,
//                                        match address 150 (host to host)
//
// clang-format off
//
//   host A              gateway A ("Router A")        gateway B ("Router B")  host B
//   10.1.1.2 ---------- 10.1.1.1 | 192.0.2.1 ====== 192.0.2.2 | 10.2.2.1 ---------- 10.2.2.2
//   pings               sender of the stale SA        receiver: cleared or rebooted
//
// clang-format on

#include "ipsec-test-network.h"

#include "ns3/core-module.h"
#include "ns3/internet-apps-module.h"
#include "ns3/internet-module.h"
#include "ns3/ipsec-module.h"
#include "ns3/network-module.h"
#include "ns3/test.h"

#include <cstdint>
#include <cstdio>
#include <sstream>
#include <string>
#include <vector>

using namespace ns3;
using namespace ns3::ipsectest;

namespace
{

/// Pre-shared key of the guide's routers.
const std::string KEY = "1234";
/// The guide's transform set auth2.
const std::string AUTH2 = "ah-sha-hmac esp-aes esp-sha-hmac";
/// UDP port host B listens on.
constexpr uint16_t PORT = 9000;
/// Data bytes of each ping: with 8 bytes of ICMP and 20 of IPv4, a 100-byte datagram.
constexpr uint32_t PING_DATA = 72;
/// Number of pings of the guide's test.
constexpr uint32_t PING_COUNT = 30;
/// Time between pings and the timeout of each (IOS waits for a reply or the timeout).
const Time PING_INTERVAL = Seconds(2);

/// What damages the receiver's state.
enum class Fault
{
    CLEAR,  //!< `clear crypto isakmp` then `clear crypto sa` on gateway B
    REBOOT, //!< gateway B reboots
};

/**
 * Configures both gateways as the guide's routers: ISAKMP policy 1, the pre-shared key,
 * crypto map testtag1 with one host-to-host entry, and invalid SPI handling.
 * \param net the network
 * \param transforms the transform set of entry 10
 * \param recovery true for `crypto isakmp invalid-spi-recovery` on both gateways
 */
void
ConfigureGuideRouters(TwoSiteNetwork& net, const std::string& transforms, bool recovery)
{
    struct Side
    {
        Ptr<Node> gateway;
        Ptr<NetDevice> device;
        Ipv4Address peer;
        std::string aclLine;
    };

    std::vector<Side> sides = {
        {net.gatewayA,
         net.wan.Get(0),
         TwoSiteNetwork::WAN_B,
         "permit ip host 10.1.1.2 host 10.2.2.2"},
        {net.gatewayB,
         net.wan.Get(1),
         TwoSiteNetwork::WAN_A,
         "permit ip host 10.2.2.2 host 10.1.1.2"},
    };
    for (const auto& side : sides)
    {
        Ptr<IkeDaemon> daemon = IpsecHelper::GetIkeDaemon(side.gateway);
        IsakmpPolicy policy(1);
        policy.SetEncryption("aes");
        policy.SetAuthentication("pre-share");
        policy.SetGroup(14);
        policy.SetLifetime(180);
        daemon->AddPolicy(policy);
        daemon->GetKeyTable().Add(KEY, side.peer);

        auto acl = Create<Ipv4AccessList>("150");
        acl->Add(side.aclLine);
        auto entry = Create<CryptoMapEntry>(10, CryptoMapEntry::KeyManagement::ISAKMP);
        entry->SetAccessList(acl);
        entry->AddPeer(side.peer);
        entry->AddTransformSet(IpsecTransformSet::FromString("auth2", transforms));
        auto cryptoMap = Create<CryptoMap>("testtag1");
        cryptoMap->AddEntry(entry);
        net.ipsec.ApplyCryptoMap(side.device, cryptoMap);

        IpsecHelper::SetInvalidSpiRecovery(side.gateway, recovery);
    }
}

/// \return a node's invalid SPI handler
Ptr<IkeInvalidSpiHandler>
Handler(Ptr<Node> node)
{
    return IpsecHelper::GetInvalidSpiHandler(node);
}

/// \return `show crypto isakmp sa` of a node
std::string
ShowIsakmp(Ptr<Node> node)
{
    std::ostringstream os;
    IpsecHelper::ShowCryptoIsakmpSa(node, os);
    return os.str();
}

/// Header line of `show crypto isakmp sa`.
const std::string SHOW_HEADER =
    "  f_vrf/i_vrf  dst          src          state          conn-id slot\n";

/**
 * Formats an SPI as the IOS log does: 0x, upper-case hex without leading zeros, then the
 * decimal value in brackets.
 * \param spi the SPI
 * \return e.g. "0x1214F0D(18960141)"
 */
std::string
IosSpi(uint32_t spi)
{
    char text[32];
    std::snprintf(text, sizeof(text), "0x%X(%u)", spi, spi);
    return text;
}

/// \return the lines of a node's log that contain text
std::vector<std::string>
LogLines(Ptr<Node> node, const std::string& text)
{
    std::vector<std::string> lines;
    for (const auto& line : TwoSiteNetwork::Stack(node)->GetSyslog()->GetLines())
    {
        if (line.find(text) != std::string::npos)
        {
            lines.push_back(line);
        }
    }
    return lines;
}

/// Records the round-trip times that V4Ping reports.
void
RecordRtt(std::vector<Time>* rtts, Time rtt)
{
    rtts->push_back(rtt);
}

/**
 * Starts IOS-style pings from host A to host B: count pings of 100 bytes, one every
 * PING_INTERVAL from start.
 * \param net the network
 * \param start the time of the first ping
 * \param count the number of pings
 * \param rtts receives the round-trip time of every reply
 */
void
StartPings(TwoSiteNetwork& net, Time start, uint32_t count, std::vector<Time>& rtts)
{
    Ptr<V4Ping> ping = CreateObject<V4Ping>();
    ping->SetAttribute("Remote", Ipv4AddressValue(TwoSiteNetwork::HOST_B));
    ping->SetAttribute("Interval", TimeValue(PING_INTERVAL));
    ping->SetAttribute("Size", UintegerValue(PING_DATA));
    ping->TraceConnectWithoutContext("Rtt", MakeBoundCallback(&RecordRtt, &rtts));
    net.hostA->AddApplication(ping);

    // The last ping leaves at start + (count - 1) intervals; stopping half an interval
    // later sends no more.
    ping->SetStartTime(start);
    ping->SetStopTime(start + PING_INTERVAL * (count - 1) + PING_INTERVAL / 2);
}

/// \return how many replies came within the ping timeout
uint32_t
CountSuccesses(const std::vector<Time>& rtts)
{
    uint32_t successes = 0;
    for (const auto& rtt : rtts)
    {
        successes += rtt < PING_INTERVAL ? 1 : 0;
    }
    return successes;
}

/// Brings the SAs up: one datagram starts IKE (and is dropped), the next one uses them.
void
BringUpSas(TwoSiteNetwork& net)
{
    net.Listen(net.hostB, PORT);
    net.SendUdp(net.hostA, 5000, TwoSiteNetwork::HOST_B, PORT, MakePayload(0, 100), Seconds(1));
    net.SendUdp(net.hostA, 5000, TwoSiteNetwork::HOST_B, PORT, MakePayload(1, 100), Seconds(2));
}

/// `clear crypto isakmp` then `clear crypto sa` on a gateway, as in the guide's step 2.
void
ClearGateway(Ptr<Node> gateway)
{
    IpsecHelper::GetIkeDaemon(gateway)->ClearIsakmp();
    TwoSiteNetwork::Stack(gateway)->ClearSas();
}

/// Stores gateway A's outbound SPI of one protocol.
void
SaveOutboundSpi(Ptr<Node> gateway, IpsecProtocol protocol, uint32_t* spi)
{
    Ptr<IpsecSecurityAssociation> sa =
        FindSa(TwoSiteNetwork::Stack(gateway), IpsecDirection::OUTBOUND, protocol);
    *spi = sa ? sa->GetSpi() : 0;
}

/// Stores `show crypto isakmp sa` of a node.
void
SaveShow(Ptr<Node> node, std::string* text)
{
    *text = ShowIsakmp(node);
}

/**
 * \ingroup ipsec
 * The guide's outcome: after the receiver loses its SAs, 30 pings of 100 bytes with a 2 s
 * timeout succeed 28 times with recovery and never without it.
 *
 * Why the first two pings are lost with recovery: ping 1 reaches gateway B on the stale AH
 * SA and is dropped as an invalid SPI, which starts main mode from B to A. Once the IKE SA
 * is up, B sends INVALID_SPI and A deletes the stale set. Ping 2, two seconds later, finds
 * no SA on A, which starts quick mode and drops it while negotiating (IOS does not queue
 * packets, AcquireQueueLimit 0). Ping 3 and every later one use the new SAs.
 */
class GuideOutcomeTestCase : public TestCase
{
  public:
    /**
     * \param fault how gateway B loses its state
     * \param recovery true for `crypto isakmp invalid-spi-recovery`
     */
    GuideOutcomeTestCase(Fault fault, bool recovery)
        : TestCase(std::string("guide pings, ") + (fault == Fault::CLEAR ? "clear" : "reboot") +
                   (recovery ? ", recovery on" : ", recovery off")),
          m_fault(fault),
          m_recovery(recovery)
    {
    }

  private:
    void DoRun() override
    {
        TwoSiteNetwork net(true);
        ConfigureGuideRouters(net, AUTH2, m_recovery);
        BringUpSas(net);

        // The receiver loses its state at 4 s; after a reboot it is back on the network at
        // 5 s. The sender's SAs have the default 3600 s lifetime, so they outlive the test.
        uint32_t staleAhSpi = 0;
        Simulator::Schedule(Seconds(3),
                            &SaveOutboundSpi,
                            net.gatewayA,
                            IpsecProtocol::AH,
                            &staleAhSpi);
        if (m_fault == Fault::CLEAR)
        {
            Simulator::Schedule(Seconds(4), &ClearGateway, net.gatewayB);
        }
        else
        {
            IpsecHelper::ScheduleReboot(net.gatewayB, Seconds(4), Seconds(1));
        }
        std::vector<Time> rtts;
        StartPings(net, Seconds(6), PING_COUNT, rtts);
        std::string showAfterRecovery;
        Simulator::Schedule(Seconds(6.5), &SaveShow, net.gatewayA, &showAfterRecovery);
        Simulator::Stop(Seconds(70));
        Simulator::Run();

        NS_TEST_ASSERT_MSG_EQ(net.Received(net.hostB, PORT).size(), 1u, "SAs up before");
        NS_TEST_ASSERT_MSG_NE(staleAhSpi, 0u, "A had an outbound AH SA");
        NS_TEST_EXPECT_MSG_EQ(CountSuccesses(rtts), m_recovery ? 28u : 0u, "pings answered");

        // Ping 1 is an AH packet on the stale SA, logged with the guide's format.
        std::string expected = "%CRYPTO-4-RECV_PKT_INV_SPI: decaps: rec'd IPSEC packet has "
                               "invalid spi for destaddr=192.0.2.2, prot=51, spi=" +
                               IosSpi(staleAhSpi) + ", srcaddr=192.0.2.1";
        std::vector<std::string> lines = LogLines(net.gatewayB, "RECV_PKT_INV_SPI");
        NS_TEST_ASSERT_MSG_EQ(lines.empty(), false, "invalid SPI logged");
        NS_TEST_EXPECT_MSG_EQ(lines.front().substr(lines.front().find('%')),
                              expected,
                              "log line format");
        NS_TEST_EXPECT_MSG_EQ(lines.front().substr(0, 17), "*Mar  1 00:00:06.", "log time");
        NS_TEST_EXPECT_MSG_EQ(lines.size(), m_recovery ? 1u : PING_COUNT, "log lines");

        Ptr<IkeInvalidSpiHandler> receiver = Handler(net.gatewayB);
        Ptr<IkeInvalidSpiHandler> sender = Handler(net.gatewayA);
        if (m_recovery)
        {
            CheckRecovered(net, receiver, sender, showAfterRecovery);
        }
        else
        {
            // Without an IKE SA nothing is sent; every stale packet is a suppressed event.
            NS_TEST_EXPECT_MSG_EQ(receiver->GetRecoveriesStarted(), 0u, "no recovery");
            NS_TEST_EXPECT_MSG_EQ(
                receiver->GetRecovery()->GetSuppressedCount(InvalidSpiSuppressReason::DISABLED),
                uint64_t{PING_COUNT},
                "every stale packet suppressed as disabled");
            NS_TEST_EXPECT_MSG_EQ(receiver->GetNotifiesSent(), 0u, "no notification");
            NS_TEST_EXPECT_MSG_EQ(receiver->GetBlackHolesEnded(), 0u, "black hole stays");
            NS_TEST_EXPECT_MSG_EQ(sender->GetStaleSasDeleted(), 0u, "stale SA kept");
        }
        Simulator::Destroy();
    }

    /**
     * Checks the counters and `show` outputs of a recovered run.
     * \param net the network
     * \param receiver gateway B's handler
     * \param sender gateway A's handler
     * \param showAfterRecovery gateway A's `show crypto isakmp sa` at 6.5 s
     */
    void CheckRecovered(TwoSiteNetwork& net,
                        Ptr<IkeInvalidSpiHandler> receiver,
                        Ptr<IkeInvalidSpiHandler> sender,
                        const std::string& showAfterRecovery)
    {
        NS_TEST_EXPECT_MSG_EQ(receiver->GetRecoveriesStarted(), 1u, "one recovery");
        NS_TEST_EXPECT_MSG_EQ(receiver->GetRecovery()->GetSucceededCount(), 1u, "it succeeded");
        NS_TEST_EXPECT_MSG_EQ(receiver->GetRecovery()->IsInProgress(TwoSiteNetwork::WAN_A),
                              false,
                              "source not blocked");
        NS_TEST_EXPECT_MSG_EQ(receiver->GetNotifiesSent(), 1u, "one INVALID_SPI sent");
        NS_TEST_EXPECT_MSG_EQ(sender->GetNotifiesReceived(), 1u, "one INVALID_SPI received");
        NS_TEST_EXPECT_MSG_EQ(sender->GetStaleSasDeleted(), 1u, "stale set deleted");

        // Ping 1 reached B at 6 s plus the path to B; ping 3, the first one decrypted, at
        // 10 s plus the same path.
        NS_TEST_EXPECT_MSG_EQ(receiver->GetBlackHolesEnded(), 1u, "black hole ended");
        NS_TEST_EXPECT_MSG_EQ(receiver->GetLastBlackHoleDuration(), Seconds(4), "black hole");
        NS_TEST_EXPECT_MSG_EQ(receiver->GetLastBlackHoleDrops(), 1u, "invalid-SPI drops");

        // The responder's new IKE SA is A's conn-id 2. After `clear crypto isakmp`, the old
        // one (deleted by B's DELETE) is still listed as deleted at 6.5 s, as in the guide.
        // After a reboot, A keeps the old one until its 180 s lifetime ends, because B could
        // not send a DELETE.
        std::string oldRow =
            m_fault == Fault::CLEAR
                ? "  /           192.0.2.2     192.0.2.1    MM_NO_STATE    1        0 (deleted)\n"
                : "  /           192.0.2.2     192.0.2.1    QM_IDLE        1        0\n";
        std::string newRow = "  /           192.0.2.2     192.0.2.1    QM_IDLE        2        0\n";
        NS_TEST_EXPECT_MSG_EQ(showAfterRecovery, SHOW_HEADER + oldRow + newRow, "show on A");
        std::string finalRows = m_fault == Fault::CLEAR ? newRow : oldRow + newRow;
        NS_TEST_EXPECT_MSG_EQ(ShowIsakmp(net.gatewayA), SHOW_HEADER + finalRows, "show on A");
    }

    Fault m_fault;   //!< how gateway B loses its state
    bool m_recovery; //!< recovery configured
};

/// Records INVALID_SPI notifications received.
struct NotifyRecord
{
    std::vector<IpsecProtocol> protocols; //!< protocol of each
    std::vector<uint32_t> spis;           //!< SPI of each
    std::vector<bool> deleted;            //!< whether each deleted an SA
};

/// Appends a received notification to the record.
void
RecordNotify(NotifyRecord* record, Ipv4Address, IpsecProtocol protocol, uint32_t spi, bool deleted)
{
    record->protocols.push_back(protocol);
    record->spis.push_back(spi);
    record->deleted.push_back(deleted);
}

/// Deletes a gateway's SAs without telling the peer, as lost state would. The IKE SA stays.
void
ForgetSas(Ptr<Node> gateway)
{
    Ptr<IpsecStack> stack = TwoSiteNetwork::Stack(gateway);
    Ptr<IpsecSecurityAssociation> sa = stack->GetSadb()->GetInboundSas().front();
    stack->DeleteSa(sa, IpsecSaDeleteReason::PEER_DELETE);
}

/**
 * \ingroup ipsec
 * With an established IKE SA, the receiver of a stale packet sends INVALID_SPI at once,
 * even without recovery configured. The sender deletes the named SA with its set and
 * renegotiates. The bundle's first stale packet is AH, an ESP-only set's is ESP.
 */
class NotifyOverIkeSaTestCase : public TestCase
{
  public:
    /**
     * \param transforms the transform set
     * \param protocol the outer protocol of the first stale packet
     */
    NotifyOverIkeSaTestCase(const std::string& transforms, IpsecProtocol protocol)
        : TestCase(std::string("notify over IKE SA, ") +
                   (protocol == IpsecProtocol::AH ? "AH" : "ESP")),
          m_transforms(transforms),
          m_protocol(protocol)
    {
    }

  private:
    void DoRun() override
    {
        TwoSiteNetwork net(true);
        ConfigureGuideRouters(net, m_transforms, false);
        BringUpSas(net);
        NotifyRecord record;
        Handler(net.gatewayA)
            ->TraceConnectWithoutContext("NotifyReceived",
                                         MakeBoundCallback(&RecordNotify, &record));

        // B loses its SAs at 3 s. From 4 s host A sends a datagram every 2 ms for 1 s.
        uint32_t staleSpi = 0;
        Simulator::Schedule(Seconds(3.5), &SaveOutboundSpi, net.gatewayA, m_protocol, &staleSpi);
        Simulator::Schedule(Seconds(3), &ForgetSas, net.gatewayB);
        constexpr uint32_t COUNT = 500;
        for (uint32_t i = 0; i < COUNT; ++i)
        {
            net.SendUdp(net.hostA,
                        5000,
                        TwoSiteNetwork::HOST_B,
                        PORT,
                        MakePayload(i + 2, 100),
                        Seconds(4) + MilliSeconds(2) * i);
        }
        Simulator::Stop(Seconds(6));
        Simulator::Run();

        Ptr<IkeInvalidSpiHandler> receiver = Handler(net.gatewayB);
        Ptr<IkeInvalidSpiHandler> sender = Handler(net.gatewayA);
        uint64_t invalid =
            TwoSiteNetwork::Stack(net.gatewayB)->GetDropCount(IpsecDropReason::INVALID_SPI);
        NS_TEST_ASSERT_MSG_GT(invalid, 1u, "stale packets in flight when A deletes");
        NS_TEST_EXPECT_MSG_EQ(receiver->GetNotifiesSent(), 1u, "one INVALID_SPI sent");
        NS_TEST_EXPECT_MSG_EQ(receiver->GetNotifiesSuppressed(),
                              invalid - 1,
                              "later stale packets within NotifyInterval");
        NS_TEST_EXPECT_MSG_EQ(receiver->GetRecoveriesStarted(), 0u, "no main mode needed");
        NS_TEST_ASSERT_MSG_EQ(record.spis.size(), 1u, "A received one notification");
        NS_TEST_EXPECT_MSG_EQ((record.protocols[0] == m_protocol), true, "its protocol");
        NS_TEST_EXPECT_MSG_EQ(record.spis[0], staleSpi, "its SPI is A's stale outbound SPI");
        NS_TEST_EXPECT_MSG_EQ(record.deleted[0], true, "the stale set was deleted");
        NS_TEST_EXPECT_MSG_EQ(Ike(net.gatewayA)->GetQuickModesCompleted(), 2u, "renegotiated");

        // Exact format for ESP (prot=50) and AH (prot=51), one line: the rest is rate-limited.
        std::string expected = "%CRYPTO-4-RECV_PKT_INV_SPI: decaps: rec'd IPSEC packet has "
                               "invalid spi for destaddr=192.0.2.2, prot=" +
                               std::to_string(static_cast<int>(m_protocol)) +
                               ", spi=" + IosSpi(staleSpi) + ", srcaddr=192.0.2.1";
        std::vector<std::string> lines = LogLines(net.gatewayB, "RECV_PKT_INV_SPI");
        NS_TEST_ASSERT_MSG_EQ(lines.size(), 1u, "one log line");
        NS_TEST_EXPECT_MSG_EQ(lines[0].substr(lines[0].find('%')), expected, "log line format");

        // Datagrams lost: the stale ones on B, and those A dropped while quick mode ran (the
        // first datagram of the bring-up is A's other drop).
        uint64_t delivered = net.Received(net.hostB, PORT).size() - 1;
        uint64_t negotiating =
            TwoSiteNetwork::Stack(net.gatewayA)->GetDropCount(IpsecDropReason::NO_SA) - 1;
        NS_TEST_EXPECT_MSG_GT(negotiating, 0u, "drops while renegotiating");
        NS_TEST_EXPECT_MSG_EQ(delivered + invalid + negotiating,
                              uint64_t{COUNT},
                              "every loss accounted");
        Simulator::Destroy();
    }

    /// \return a node's IKE daemon
    static Ptr<IkeDaemon> Ike(Ptr<Node> node)
    {
        return IpsecHelper::GetIkeDaemon(node);
    }

    std::string m_transforms; //!< transform set
    IpsecProtocol m_protocol; //!< protocol of the first stale packet
};

/**
 * \ingroup ipsec
 * A hostile node floods gateway B with random SPIs from 16 spoofed sources while B's state
 * with A is cleared. Each flood source starts at most one recovery per SourceInterval
 * (each fails at once: B has no pre-shared key for it), the rest are counted as suppressed,
 * and A's recovery in the middle of the flood succeeds.
 */
class FloodTestCase : public TestCase
{
  public:
    FloodTestCase()
        : TestCase("flood and real recovery")
    {
    }

  private:
    void DoRun() override
    {
        TwoSiteNetwork net(true);
        ConfigureGuideRouters(net, AUTH2, true);
        BringUpSas(net);
        Simulator::Schedule(Seconds(4), &ClearGateway, net.gatewayB);

        // Host A floods from 5 s to 9 s, 1000 packets per second, from 198.51.100.0/28.
        constexpr uint64_t FLOOD_PACKETS = 4000;
        Ptr<SpiFloodApplication> flood = CreateObject<SpiFloodApplication>();
        flood->SetAttribute("Remote", Ipv4AddressValue(TwoSiteNetwork::WAN_B));
        flood->SetAttribute("Protocol", EnumValue(static_cast<int>(IpsecProtocol::ESP)));
        flood->SetAttribute("Interval", TimeValue(MilliSeconds(1)));
        flood->SetAttribute("MaxPackets", UintegerValue(FLOOD_PACKETS));
        flood->SetAttribute("Source", Ipv4AddressValue(Ipv4Address("198.51.100.0")));
        flood->SetAttribute("SourceRandomBits", UintegerValue(4));
        flood->AssignStreams(100);
        net.hostA->AddApplication(flood);
        flood->SetStartTime(Seconds(5));

        std::vector<Time> rtts;
        StartPings(net, Seconds(6), 5, rtts);
        Simulator::Stop(Seconds(20));
        Simulator::Run();

        NS_TEST_ASSERT_MSG_EQ(flood->GetSentCount(), FLOOD_PACKETS, "flood sent");
        Ptr<IkeInvalidSpiHandler> receiver = Handler(net.gatewayB);
        Ptr<InvalidSpiRecovery> guard = receiver->GetRecovery();

        // 16 flood sources, each admitted once within the 4 s (SourceInterval 10 s), plus A.
        // The flood's recoveries fail at once, so none is ever in progress.
        NS_TEST_EXPECT_MSG_EQ(guard->GetStartedCount(), 17u, "recoveries started");
        NS_TEST_EXPECT_MSG_EQ(guard->GetFailedCount(), 16u, "flood recoveries failed");
        NS_TEST_EXPECT_MSG_EQ(guard->GetSucceededCount(), 1u, "A's recovery succeeded");
        NS_TEST_EXPECT_MSG_EQ(guard->GetSuppressedCount(InvalidSpiSuppressReason::SOURCE_RATE),
                              FLOOD_PACKETS - 16,
                              "flood packets suppressed per source");
        NS_TEST_EXPECT_MSG_EQ(guard->GetSuppressedCount(InvalidSpiSuppressReason::TOTAL_RATE),
                              0u,
                              "bucket never empty");
        NS_TEST_EXPECT_MSG_EQ(
            IpsecHelper::GetIkeDaemon(net.gatewayB)->GetFailureCount(IkeFailure::NO_PRESHARED_KEY),
            16u,
            "no main mode to flood sources");
        NS_TEST_EXPECT_MSG_EQ(CountSuccesses(rtts), 3u, "pings 3 to 5 answered");
        NS_TEST_EXPECT_MSG_EQ(receiver->GetLastBlackHoleDuration(), Seconds(4), "black hole");
        Simulator::Destroy();
    }
};

/// Replaces a gateway's pre-shared key for a peer with one the peer does not have.
void
ChangeKey(Ptr<Node> gateway, Ipv4Address peer)
{
    IpsecHelper::GetIkeDaemon(gateway)->GetKeyTable().Add("wrong", peer);
}

/**
 * \ingroup ipsec
 * A recovery whose main mode fails (the sender has another pre-shared key) is reported
 * failed after the retransmission limit, and the source is admitted again SourceInterval
 * after the last start, so it is never blocked for good.
 */
class RecoveryFailureTestCase : public TestCase
{
  public:
    RecoveryFailureTestCase()
        : TestCase("failed recovery retried")
    {
    }

  private:
    void DoRun() override
    {
        TwoSiteNetwork net(true);
        ConfigureGuideRouters(net, AUTH2, true);
        BringUpSas(net);
        Simulator::Schedule(Seconds(4), &ClearGateway, net.gatewayB);
        Ptr<IkeDaemon> receiverDaemon = IpsecHelper::GetIkeDaemon(net.gatewayB);
        receiverDaemon->SetAttribute("RetransmitInterval", TimeValue(Seconds(1)));
        receiverDaemon->SetAttribute("RetransmitLimit", UintegerValue(2));
        Simulator::Schedule(Seconds(3), &ChangeKey, net.gatewayA, TwoSiteNetwork::WAN_B);

        std::vector<Time> rtts;
        StartPings(net, Seconds(6), PING_COUNT, rtts);
        Simulator::Stop(Seconds(70));
        Simulator::Run();

        // Pings at 6, 16, ..., 56 s start a recovery that gives up about 3 s later (MM5
        // sent, retransmitted at +1 s and +2 s, given up at +3 s). Of the three pings in
        // between, the first finds it in progress and the other two come within
        // SourceInterval of its start.
        Ptr<InvalidSpiRecovery> guard = Handler(net.gatewayB)->GetRecovery();
        NS_TEST_EXPECT_MSG_EQ(guard->GetStartedCount(), 6u, "recoveries started");
        NS_TEST_EXPECT_MSG_EQ(guard->GetFailedCount(), 6u, "recoveries failed");
        NS_TEST_EXPECT_MSG_EQ(guard->GetSuppressedCount(InvalidSpiSuppressReason::IN_PROGRESS),
                              6u,
                              "suppressed while in progress");
        NS_TEST_EXPECT_MSG_EQ(guard->GetSuppressedCount(InvalidSpiSuppressReason::SOURCE_RATE),
                              18u,
                              "suppressed by SourceInterval");
        NS_TEST_EXPECT_MSG_EQ(guard->GetInProgressCount(), 0u, "none left in progress");
        NS_TEST_EXPECT_MSG_EQ(CountSuccesses(rtts), 0u, "no ping answered");
        Simulator::Destroy();
    }
};

/**
 * \ingroup ipsec
 * The INVALID_SPI notifications and recovery over IKE.
 */
class InvalidSpiRecoveryTestSuite : public TestSuite
{
  public:
    InvalidSpiRecoveryTestSuite()
        : TestSuite("ipsec-invalid-spi-recovery", UNIT)
    {
        AddTestCase(new GuideOutcomeTestCase(Fault::CLEAR, true), TestCase::QUICK);
        AddTestCase(new GuideOutcomeTestCase(Fault::CLEAR, false), TestCase::QUICK);
        AddTestCase(new GuideOutcomeTestCase(Fault::REBOOT, true), TestCase::QUICK);
        AddTestCase(new GuideOutcomeTestCase(Fault::REBOOT, false), TestCase::QUICK);
        AddTestCase(new NotifyOverIkeSaTestCase(AUTH2, IpsecProtocol::AH), TestCase::QUICK);
        AddTestCase(new NotifyOverIkeSaTestCase("esp-aes esp-sha-hmac", IpsecProtocol::ESP),
                    TestCase::QUICK);
        AddTestCase(new FloodTestCase(), TestCase::QUICK);
        AddTestCase(new RecoveryFailureTestCase(), TestCase::QUICK);
    }
};

/// The suite's registration.
static InvalidSpiRecoveryTestSuite g_invalidSpiRecoveryTestSuite;

} // namespace
