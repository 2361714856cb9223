// Copyright (c) 2026 The ns3-ipsec authors
// SPDX-License-Identifier: GPL-2.0-only

#include "ipsec-test-network.h"

#include "ns3/error-model.h"
#include "ns3/ike-daemon.h"
#include "ns3/pointer.h"
#include "ns3/test.h"

#include <set>
#include <sstream>
#include <string>
#include <vector>

/**
 * \file
 * \ingroup ipsec
 * IKEv1 on the two-site network: negotiation timeline, failures, retransmission, DELETE,
 * rekey, real keys, hostile input and the phase 1 configuration checks.
 */

namespace ns3
{
namespace
{

using ipsectest::MakePayload;
using ipsectest::TwoSiteNetwork;

/// UDP port host B listens on.
constexpr uint16_t PORT = 9000;
/// Pre-shared key of the tests.
const std::string KEY = "cisco123";

/**
 * \ingroup ipsec
 * Drops received frames: the n-th one only, or every one from the n-th on.
 */
class DropFramesErrorModel : public ErrorModel
{
  public:
    /**
     * \param first the first frame to drop, counting from 1
     * \param all true to drop every frame from there on
     */
    DropFramesErrorModel(uint32_t first, bool all)
        : m_first(first),
          m_all(all),
          m_seen(0)
    {
    }

  private:
    bool DoCorrupt(Ptr<Packet> packet) override
    {
        ++m_seen;
        return m_seen == m_first || (m_all && m_seen > m_first);
    }

    void DoReset() override
    {
        m_seen = 0;
    }

    uint32_t m_first; //!< first frame to drop
    bool m_all;       //!< drop all frames after it too
    uint32_t m_seen;  //!< frames seen
};

/// Records what the daemons of one test report.
struct IkeRecord
{
    std::vector<uint32_t> sentSizes;   //!< sizes of the messages gateway A and B sent
    std::vector<Time> quickModeTimes;  //!< when gateway A's quick modes installed SAs
    std::vector<Time> failureTimes;    //!< when gateway A saw an exchange fail
    std::vector<uint16_t> notifyTypes; //!< notifications gateway A received
};

void
RecordSent(IkeRecord* record, Ptr<const Packet> packet, Ipv4Address)
{
    record->sentSizes.push_back(packet->GetSize());
}

void
RecordQuickMode(IkeRecord* record, Ptr<const IkeSa>, bool initiator, uint32_t)
{
    if (initiator)
    {
        record->quickModeTimes.push_back(Simulator::Now());
    }
}

void
RecordFailure(IkeRecord* record, Ipv4Address, IkeFailure)
{
    record->failureTimes.push_back(Simulator::Now());
}

void
RecordNotify(IkeRecord* record, Ptr<IkeSa>, const IsakmpPayload& notify)
{
    record->notifyTypes.push_back(notify.notifyType);
}

/// \return gateway A's or B's IKE daemon
Ptr<IkeDaemon>
Ike(Ptr<Node> node)
{
    return IpsecHelper::GetIkeDaemon(node);
}

/// Connects the record to both daemons (sizes from both, the rest from gateway A).
void
Connect(TwoSiteNetwork& net, IkeRecord& record)
{
    Ike(net.gatewayA)
        ->TraceConnectWithoutContext("MessageSent", MakeBoundCallback(&RecordSent, &record));
    Ike(net.gatewayB)
        ->TraceConnectWithoutContext("MessageSent", MakeBoundCallback(&RecordSent, &record));
    Ike(net.gatewayA)
        ->TraceConnectWithoutContext("QuickModeDone", MakeBoundCallback(&RecordQuickMode, &record));
    Ike(net.gatewayA)
        ->TraceConnectWithoutContext("ExchangeFailed", MakeBoundCallback(&RecordFailure, &record));
    Ike(net.gatewayA)
        ->TraceConnectWithoutContext("NotifyReceived", MakeBoundCallback(&RecordNotify, &record));
}

/// Sends count datagrams of 100 bytes from host A to host B, every interval from start.
void
SendStream(TwoSiteNetwork& net, uint32_t count, Time start, Time interval)
{
    for (uint32_t i = 0; i < count; ++i)
    {
        net.SendUdp(net.hostA,
                    5000,
                    TwoSiteNetwork::HOST_B,
                    PORT,
                    MakePayload(i, 100),
                    start + interval * i);
    }
}

/// \return true if the node's log has a line containing text
bool
Logged(Ptr<Node> node, const std::string& text)
{
    for (const auto& line : TwoSiteNetwork::Stack(node)->GetSyslog()->GetLines())
    {
        if (line.find(text) != std::string::npos)
        {
            return true;
        }
    }
    return false;
}

/// \return `show crypto isakmp sa` of a node
std::string
Show(Ptr<Node> node)
{
    std::ostringstream os;
    IpsecHelper::ShowCryptoIsakmpSa(node, os);
    return os.str();
}

/// Header line of `show crypto isakmp sa`.
const std::string SHOW_HEADER =
    "  f_vrf/i_vrf  dst          src          state          conn-id slot\n";

/**
 * \ingroup ipsec
 * First traffic triggers main mode and quick mode; the SAs exist exactly when the hand
 * computation predicts, and the packets before that are dropped.
 */
class IkeTimelineTestCase : public TestCase
{
  public:
    IkeTimelineTestCase()
        : TestCase("negotiation timeline")
    {
    }

  private:
    void DoRun() override
    {
        TwoSiteNetwork net(true);
        net.Listen(net.hostB, PORT);
        for (Ptr<Node> gateway : {net.gatewayA, net.gatewayB})
        {
            Ike(gateway)->SetAttribute("DiffieHellmanDelay", TimeValue(MilliSeconds(10)));
            Ike(gateway)->SetAttribute("AuthenticationDelay", TimeValue(MilliSeconds(2)));
        }
        net.ipsec.CreateIsakmpTunnel(net.wan.Get(0),
                                     net.wan.Get(1),
                                     TwoSiteNetwork::LAN_TO_LAN,
                                     "esp-aes esp-sha-hmac",
                                     KEY);
        IkeRecord record;
        Connect(net, record);
        SendStream(net, 31, Seconds(1), MilliSeconds(10));
        Simulator::Stop(Seconds(2));
        Simulator::Run();

        // Message sizes (policy aes, sha, group 2; nonces of 16 bytes; 20-byte HASH):
        // MM1, MM2: 28 + SA (4 + 8 + proposal 8 + transform 8 + 6 TV attributes of 4 +
        //   the 86400 s lifetime as an 8-byte TLV) = 28 + 60 = 88.
        // MM3, MM4: 28 + KE (4 + 128) + nonce (4 + 16) = 180.
        // MM5, MM6: 28 + ID (4 + 4 + 4) + HASH (4 + 20); the 36 payload bytes are padded to
        //   the AES block, 48: 76.
        // QM1, QM2: 28 + HASH 24 + SA 66 (4 + 8 + ESP proposal 8 + SPI 4 + transform 8 +
        //   key length 4, auth 4, two life types 4 + 4, 3600 s as a 6-byte TLV,
        //   4608000 KB as an 8-byte TLV, mode 4) + nonce 20 + two subnet IDs of 16 = 142,
        //   padded to 144: 172.
        // QM3: 28 + HASH 24 padded to 32 = 60.
        std::vector<uint32_t> expectedSizes = {88, 88, 180, 180, 76, 76, 172, 172, 60};
        NS_TEST_ASSERT_MSG_EQ(record.sentSizes.size(), expectedSizes.size(), "message count");
        for (size_t i = 0; i < expectedSizes.size() && i < record.sentSizes.size(); ++i)
        {
            NS_TEST_ASSERT_MSG_EQ(record.sentSizes[i], expectedSizes[i], "message " << i + 1);
        }

        // The first packet reaches gateway A at t0 = 1 s + 130 bytes at 100 Mb/s (10.4 us)
        // + 1 ms. Each IKE frame adds UDP 8, IPv4 20 and PPP 2 bytes; at 10 Mb/s a byte takes
        // 0.8 us, and the WAN adds 5 ms. Until QM2 arrives at A:
        //   MM1, MM2: 2 x (118 x 0.8 us + 5 ms) = 10.1888 ms
        //   MM3, MM4: 2 x (210 x 0.8 us + 5 ms) + 10 ms DH at B = 20.336 ms
        //   MM5, MM6: 2 x (106 x 0.8 us + 5 ms) + 10 ms DH + 2 ms at A + 2 ms at B
        //             = 24.1696 ms
        //   QM1, QM2: 2 x (202 x 0.8 us + 5 ms) = 10.3232 ms
        // total 65.0176 ms after t0.
        Time t0 = Seconds(1) + NanoSeconds(10400) + MilliSeconds(1);
        NS_TEST_ASSERT_MSG_EQ(record.quickModeTimes.size(), 1u, "one quick mode");
        if (!record.quickModeTimes.empty())
        {
            NS_TEST_ASSERT_MSG_EQ(record.quickModeTimes[0] - t0,
                                  NanoSeconds(65017600),
                                  "SAs installed 65.0176 ms after the first packet");
        }

        // Packets reach A every 10 ms from t0: those at +0 .. +60 ms (7) find no SA.
        NS_TEST_ASSERT_MSG_EQ(
            TwoSiteNetwork::Stack(net.gatewayA)->GetDropCount(IpsecDropReason::NO_SA),
            7u,
            "packets dropped while negotiating");
        const auto& received = net.Received(net.hostB, PORT);
        NS_TEST_ASSERT_MSG_EQ(received.size(), 24u, "packets delivered");
        if (!received.empty())
        {
            NS_TEST_ASSERT_MSG_EQ((received.front() == MakePayload(7, 100)),
                                  true,
                                  "first protected packet is packet 7");
        }

        // Both IKE SAs are QM_IDLE with conn-id 1.
        NS_TEST_ASSERT_MSG_EQ(Show(net.gatewayA),
                              SHOW_HEADER + "  /           192.0.2.2     192.0.2.1    QM_IDLE"
                                            "        1        0\n",
                              "show on A");
        NS_TEST_ASSERT_MSG_EQ(Show(net.gatewayB),
                              SHOW_HEADER + "  /           192.0.2.1     192.0.2.2    QM_IDLE"
                                            "        1        0\n",
                              "show on B");
        NS_TEST_ASSERT_MSG_EQ(Ike(net.gatewayA)->GetQuickModesCompleted(), 1u, "A quick modes");
        NS_TEST_ASSERT_MSG_EQ(Ike(net.gatewayB)->GetQuickModesCompleted(), 1u, "B quick modes");
        Simulator::Destroy();
    }
};

/**
 * \ingroup ipsec
 * Different pre-shared keys: the responder rejects HASH_I and logs a bad message.
 */
class IkeKeyMismatchTestCase : public TestCase
{
  public:
    IkeKeyMismatchTestCase()
        : TestCase("pre-shared key mismatch")
    {
    }

  private:
    void DoRun() override
    {
        TwoSiteNetwork net(true);
        net.Listen(net.hostB, PORT);
        net.ipsec.CreateIsakmpTunnel(net.wan.Get(0),
                                     net.wan.Get(1),
                                     TwoSiteNetwork::LAN_TO_LAN,
                                     "esp-aes esp-sha-hmac",
                                     KEY);
        Ike(net.gatewayB)->GetKeyTable().Add("wrong-key", TwoSiteNetwork::WAN_A);
        Ike(net.gatewayA)->SetAttribute("RetransmitInterval", TimeValue(Seconds(1)));
        Ike(net.gatewayA)->SetAttribute("RetransmitLimit", UintegerValue(2));
        SendStream(net, 1, Seconds(1), Seconds(0));
        Simulator::Stop(Seconds(10));
        Simulator::Run();

        NS_TEST_ASSERT_MSG_EQ(Ike(net.gatewayB)->GetFailureCount(IkeFailure::AUTHENTICATION),
                              1u,
                              "B rejects HASH_I");
        NS_TEST_ASSERT_MSG_EQ(Logged(net.gatewayB,
                                     "%CRYPTO-4-IKMP_BAD_MESSAGE: IKE message from 192.0.2.1 "
                                     "failed its sanity check or is malformed"),
                              true,
                              "B logs the bad message");

        // B deleted its SA, so A's two MM5 retransmissions find unknown cookies.
        NS_TEST_ASSERT_MSG_EQ(Ike(net.gatewayB)->GetDropCount(IkeDropReason::UNKNOWN_COOKIE),
                              2u,
                              "retransmitted MM5 dropped");
        NS_TEST_ASSERT_MSG_EQ(Ike(net.gatewayA)->GetFailureCount(IkeFailure::RETRANSMIT_LIMIT),
                              1u,
                              "A gives up");
        NS_TEST_ASSERT_MSG_EQ(TwoSiteNetwork::Stack(net.gatewayA)->GetSadb()->GetSaCount(),
                              0u,
                              "no SAs on A");
        NS_TEST_ASSERT_MSG_EQ(net.Received(net.hostB, PORT).size(), 0u, "nothing delivered");
        Simulator::Destroy();
    }
};

/**
 * \ingroup ipsec
 * No common phase 1 policy: NO-PROPOSAL-CHOSEN, a log line and a counter on each side.
 */
class IkeNoPolicyTestCase : public TestCase
{
  public:
    IkeNoPolicyTestCase()
        : TestCase("no common phase 1 policy")
    {
    }

  private:
    void DoRun() override
    {
        TwoSiteNetwork net(true);
        IsakmpPolicy policy(5);
        policy.SetEncryption("3des");
        policy.SetHash("md5");
        policy.SetGroup(5);
        Ike(net.gatewayA)->AddPolicy(policy);
        net.ipsec.CreateIsakmpTunnel(net.wan.Get(0),
                                     net.wan.Get(1),
                                     TwoSiteNetwork::LAN_TO_LAN,
                                     "esp-aes esp-sha-hmac",
                                     KEY);
        SendStream(net, 1, Seconds(1), Seconds(0));
        Simulator::Stop(Seconds(1.5));
        Simulator::Run();

        NS_TEST_ASSERT_MSG_EQ(Ike(net.gatewayB)->GetFailureCount(IkeFailure::NO_PHASE1_PROPOSAL),
                              1u,
                              "B finds no policy");
        NS_TEST_ASSERT_MSG_EQ(Ike(net.gatewayA)->GetFailureCount(IkeFailure::NO_PHASE1_PROPOSAL),
                              1u,
                              "A told by NO-PROPOSAL-CHOSEN");
        NS_TEST_ASSERT_MSG_EQ(Logged(net.gatewayB,
                                     "%CRYPTO-6-IKMP_MODE_FAILURE: Processing of Main mode "
                                     "failed with peer at 192.0.2.1"),
                              true,
                              "B logs the failure");

        // A's SA is listed as deleted until DeletedHoldTime has passed.
        NS_TEST_ASSERT_MSG_EQ(Show(net.gatewayA),
                              SHOW_HEADER + "  /           192.0.2.2     192.0.2.1    MM_NO_STATE"
                                            "    1        0 (deleted)\n",
                              "deleted row on A");
        NS_TEST_ASSERT_MSG_EQ(Show(net.gatewayB), SHOW_HEADER, "nothing on B");
        Simulator::Destroy();
    }
};

/**
 * \ingroup ipsec
 * Phase 1 succeeds but the transform sets differ: NO-PROPOSAL-CHOSEN in quick mode.
 */
class IkeNoTransformSetTestCase : public TestCase
{
  public:
    IkeNoTransformSetTestCase()
        : TestCase("no common transform set")
    {
    }

  private:
    void DoRun() override
    {
        TwoSiteNetwork net(true);
        net.ipsec.CreateIsakmpTunnel(net.wan.Get(0),
                                     net.wan.Get(1),
                                     TwoSiteNetwork::LAN_TO_LAN,
                                     "esp-aes esp-sha-hmac",
                                     KEY);

        // Replace B's entry by one with esp-gcm only.
        Ptr<CryptoMap> mapB = net.DeviceB()->GetCryptoMap();
        Ptr<CryptoMapEntry> old = mapB->GetEntry(10);
        auto entry = Create<CryptoMapEntry>(10, CryptoMapEntry::KeyManagement::ISAKMP);
        entry->SetAccessList(old->GetAccessList());
        entry->AddPeer(TwoSiteNetwork::WAN_A);
        entry->AddTransformSet(IpsecTransformSet::FromString("gcm", "esp-gcm"));
        mapB->AddEntry(entry);

        IkeRecord record;
        Connect(net, record);
        SendStream(net, 1, Seconds(1), Seconds(0));
        Simulator::Stop(Seconds(1.5));
        Simulator::Run();

        NS_TEST_ASSERT_MSG_EQ(Ike(net.gatewayB)->GetFailureCount(IkeFailure::NO_TRANSFORM_SET),
                              1u,
                              "B finds no transform set");
        NS_TEST_ASSERT_MSG_EQ(Ike(net.gatewayA)->GetFailureCount(IkeFailure::NO_TRANSFORM_SET),
                              1u,
                              "A told by NO-PROPOSAL-CHOSEN");
        NS_TEST_ASSERT_MSG_EQ(record.notifyTypes.size(), 1u, "one notification at A");
        if (!record.notifyTypes.empty())
        {
            NS_TEST_ASSERT_MSG_EQ(record.notifyTypes[0],
                                  ISAKMP_NOTIFY_NO_PROPOSAL_CHOSEN,
                                  "NO-PROPOSAL-CHOSEN");
        }
        NS_TEST_ASSERT_MSG_EQ(Logged(net.gatewayB,
                                     "%CRYPTO-6-IKMP_MODE_FAILURE: Processing of Quick mode "
                                     "failed with peer at 192.0.2.1"),
                              true,
                              "B logs the failure");
        NS_TEST_ASSERT_MSG_EQ((Ike(net.gatewayA)->FindIkeSa(TwoSiteNetwork::WAN_B) != nullptr),
                              true,
                              "IKE SA stays");
        NS_TEST_ASSERT_MSG_EQ(TwoSiteNetwork::Stack(net.gatewayB)->GetSadb()->GetSaCount(),
                              0u,
                              "no IPsec SAs on B");
        Simulator::Destroy();
    }
};

/**
 * \ingroup ipsec
 * A lost MM2 is recovered by the initiator's retransmission one interval later.
 */
class IkeRetransmitTestCase : public TestCase
{
  public:
    IkeRetransmitTestCase()
        : TestCase("retransmission after a lost message")
    {
    }

  private:
    void DoRun() override
    {
        TwoSiteNetwork net(true);
        net.ipsec.CreateIsakmpTunnel(net.wan.Get(0),
                                     net.wan.Get(1),
                                     TwoSiteNetwork::LAN_TO_LAN,
                                     "esp-aes esp-sha-hmac",
                                     KEY);
        for (Ptr<Node> gateway : {net.gatewayA, net.gatewayB})
        {
            Ike(gateway)->SetAttribute("RetransmitInterval", TimeValue(Seconds(1)));
        }

        // The first frame A receives on the WAN is MM2.
        Ptr<ErrorModel> loss = CreateObject<DropFramesErrorModel>(1, false);
        net.wanLower.Get(0)->SetAttribute("ReceiveErrorModel", PointerValue(loss));
        IkeRecord record;
        Connect(net, record);
        SendStream(net, 1, Seconds(1), Seconds(0));
        Simulator::Stop(Seconds(3));
        Simulator::Run();

        NS_TEST_ASSERT_MSG_EQ(Ike(net.gatewayA)->GetRetransmissions(), 1u, "A repeats MM1");
        NS_TEST_ASSERT_MSG_EQ(Ike(net.gatewayB)->GetRetransmissions(), 1u, "B repeats MM2");

        // Without delays the exchange takes 8 x 5 ms plus 1.0176 ms of transmission (see the
        // timeline test), here starting 1 s after the first MM1.
        Time t0 = Seconds(1) + NanoSeconds(10400) + MilliSeconds(1);
        NS_TEST_ASSERT_MSG_EQ(record.quickModeTimes.size(), 1u, "SAs installed");
        if (!record.quickModeTimes.empty())
        {
            NS_TEST_ASSERT_MSG_EQ(record.quickModeTimes[0] - t0,
                                  Seconds(1) + NanoSeconds(41017600),
                                  "one interval late");
        }
        Simulator::Destroy();
    }
};

/**
 * \ingroup ipsec
 * A peer that never answers: the initiator gives up after the retransmission limit.
 */
class IkeGiveUpTestCase : public TestCase
{
  public:
    IkeGiveUpTestCase()
        : TestCase("give-up after the limit")
    {
    }

  private:
    void DoRun() override
    {
        TwoSiteNetwork net(true);
        net.ipsec.CreateIsakmpTunnel(net.wan.Get(0),
                                     net.wan.Get(1),
                                     TwoSiteNetwork::LAN_TO_LAN,
                                     "esp-aes esp-sha-hmac",
                                     KEY);
        Ptr<IkeDaemon> a = Ike(net.gatewayA);
        a->SetAttribute("RetransmitInterval", TimeValue(Seconds(1)));
        a->SetAttribute("RetransmitBackoff", DoubleValue(2.0));
        a->SetAttribute("RetransmitLimit", UintegerValue(3));
        Ptr<ErrorModel> loss = CreateObject<DropFramesErrorModel>(1, true);
        net.wanLower.Get(0)->SetAttribute("ReceiveErrorModel", PointerValue(loss));
        IkeRecord record;
        Connect(net, record);
        SendStream(net, 1, Seconds(1), Seconds(0));
        Simulator::Stop(Seconds(30));
        Simulator::Run();

        // MM1 at t0, repeats after 1, 2 and 4 s, give-up 8 s after the last: t0 + 15 s.
        Time t0 = Seconds(1) + NanoSeconds(10400) + MilliSeconds(1);
        NS_TEST_ASSERT_MSG_EQ(a->GetRetransmissions(), 3u, "three retransmissions");
        NS_TEST_ASSERT_MSG_EQ(a->GetFailureCount(IkeFailure::RETRANSMIT_LIMIT), 1u, "gave up");
        NS_TEST_ASSERT_MSG_EQ(record.failureTimes.size(), 1u, "one failure");
        if (!record.failureTimes.empty())
        {
            NS_TEST_ASSERT_MSG_EQ(record.failureTimes[0] - t0, Seconds(15), "give-up time");
        }
        NS_TEST_ASSERT_MSG_EQ(Ike(net.gatewayB)->GetRetransmissions(), 3u, "B answered repeats");
        NS_TEST_ASSERT_MSG_EQ((a->FindIkeSa(TwoSiteNetwork::WAN_B, false) == nullptr),
                              true,
                              "no IKE SA left");
        Simulator::Destroy();
    }
};

/**
 * \ingroup ipsec
 * `clear crypto session` on A deletes everything on both sides through DELETE messages.
 */
class IkeClearDeleteTestCase : public TestCase
{
  public:
    IkeClearDeleteTestCase()
        : TestCase("DELETE on clear")
    {
    }

  private:
    void DoRun() override
    {
        TwoSiteNetwork net(true);
        net.Listen(net.hostB, PORT);
        net.ipsec.CreateIsakmpTunnel(net.wan.Get(0),
                                     net.wan.Get(1),
                                     TwoSiteNetwork::LAN_TO_LAN,
                                     "esp-aes esp-sha-hmac",
                                     KEY);
        SendStream(net, 20, Seconds(1), MilliSeconds(10));
        Simulator::Schedule(Seconds(2), &IkeDaemon::ClearSession, Ike(net.gatewayA), std::nullopt);
        Simulator::Stop(Seconds(3));
        Simulator::Run();

        Ptr<IpsecStack> stackB = TwoSiteNetwork::Stack(net.gatewayB);
        NS_TEST_ASSERT_MSG_EQ(TwoSiteNetwork::Stack(net.gatewayA)->GetSadb()->GetSaCount(),
                              0u,
                              "A cleared");
        NS_TEST_ASSERT_MSG_EQ(stackB->GetSadb()->GetSaCount(), 0u, "B deleted its set");
        NS_TEST_ASSERT_MSG_EQ(Show(net.gatewayB),
                              SHOW_HEADER + "  /           192.0.2.1     192.0.2.2    MM_NO_STATE"
                                            "    1        0 (deleted)\n",
                              "B's IKE SA deleted by the peer");
        NS_TEST_ASSERT_MSG_EQ(Ike(net.gatewayB)->GetDropCount(IkeDropReason::BAD_HASH),
                              0u,
                              "DELETE messages verified");
        Simulator::Destroy();
    }
};

/**
 * \ingroup ipsec
 * Rekey at the soft lifetime under continuous traffic: no packet is lost after the first
 * negotiation, across the soft and the hard lifetime of the first set.
 */
class IkeRekeyTestCase : public TestCase
{
  public:
    IkeRekeyTestCase()
        : TestCase("rekey without loss")
    {
    }

  private:
    void DoRun() override
    {
        TwoSiteNetwork net(true);
        net.Listen(net.hostB, PORT);
        for (Ptr<Node> gateway : {net.gatewayA, net.gatewayB})
        {
            TwoSiteNetwork::Stack(gateway)->SetLifetime(Seconds(120));
        }
        net.ipsec.CreateIsakmpTunnel(net.wan.Get(0),
                                     net.wan.Get(1),
                                     TwoSiteNetwork::LAN_TO_LAN,
                                     "esp-aes esp-sha-hmac",
                                     KEY);
        IkeRecord record;
        Connect(net, record);

        // 150 s of packets every 10 ms; the first set soft-expires 90 s after it was made
        // and hard-expires at 120 s.
        SendStream(net, 15000, Seconds(1), MilliSeconds(10));
        Simulator::Stop(Seconds(153));
        Simulator::Run();

        // Without delays the first exchange ends 41.0176 ms after the first packet (see the
        // retransmission test), so packets 0..4 are dropped and no other.
        NS_TEST_ASSERT_MSG_EQ(
            TwoSiteNetwork::Stack(net.gatewayA)->GetDropCount(IpsecDropReason::NO_SA),
            5u,
            "only the first packets dropped");
        NS_TEST_ASSERT_MSG_EQ(net.Received(net.hostB, PORT).size(), 15000u - 5u, "no loss");
        NS_TEST_ASSERT_MSG_GT_OR_EQ(Ike(net.gatewayA)->GetQuickModesCompleted(), 2u, "rekeyed");
        Simulator::Destroy();
    }
};

/**
 * \ingroup ipsec
 * With real cryptography the negotiated keys agree: packets decrypt on the far side.
 */
class IkeRealCryptoTestCase : public TestCase
{
  public:
    IkeRealCryptoTestCase()
        : TestCase("real crypto with negotiated keys")
    {
    }

  private:
    void DoRun() override
    {
        TwoSiteNetwork net(false);
        net.Listen(net.hostB, PORT);
        net.ipsec.CreateIsakmpTunnel(net.wan.Get(0),
                                     net.wan.Get(1),
                                     TwoSiteNetwork::LAN_TO_LAN,
                                     "esp-aes 256 esp-sha256-hmac",
                                     KEY);
        SendStream(net, 20, Seconds(1), MilliSeconds(10));
        Simulator::Stop(Seconds(2));
        Simulator::Run();

        // Packets 0..4 precede the SAs (41.0176 ms); the other 15 arrive intact.
        const auto& received = net.Received(net.hostB, PORT);
        NS_TEST_ASSERT_MSG_EQ(received.size(), 15u, "delivered");
        for (size_t i = 0; i < received.size(); ++i)
        {
            NS_TEST_ASSERT_MSG_EQ((received[i] == MakePayload(i + 5, 100)), true, "payload " << i);
        }

        // Both ends of each direction hold the same 32-byte AES and SHA-256 keys.
        Ptr<IpsecStack> stackA = TwoSiteNetwork::Stack(net.gatewayA);
        Ptr<IpsecStack> stackB = TwoSiteNetwork::Stack(net.gatewayB);
        auto outboundA = ipsectest::FindSa(stackA, IpsecDirection::OUTBOUND, IpsecProtocol::ESP);
        NS_TEST_ASSERT_MSG_NE(outboundA, nullptr, "A outbound");
        if (outboundA)
        {
            auto inboundB = stackB->GetSadb()->FindInbound(outboundA->GetSpi(), IpsecProtocol::ESP);
            NS_TEST_ASSERT_MSG_NE(inboundB, nullptr, "B inbound with A's SPI");
            NS_TEST_ASSERT_MSG_EQ(outboundA->GetEncryptionKey().size(), 32u, "AES-256 key");
            NS_TEST_ASSERT_MSG_EQ(outboundA->GetIntegrityKey().size(), 32u, "SHA-256 key");
            if (inboundB)
            {
                NS_TEST_ASSERT_MSG_EQ(
                    (outboundA->GetEncryptionKey() == inboundB->GetEncryptionKey()),
                    true,
                    "encryption keys agree");
                NS_TEST_ASSERT_MSG_EQ((outboundA->GetIntegrityKey() == inboundB->GetIntegrityKey()),
                                      true,
                                      "integrity keys agree");
            }
        }
        Simulator::Destroy();
    }
};

/**
 * \ingroup ipsec
 * Malformed and flooding ISAKMP messages from host A are counted and bounded, and the
 * tunnel still comes up.
 */
class IkeHostileTestCase : public TestCase
{
  public:
    IkeHostileTestCase()
        : TestCase("hostile ISAKMP input")
    {
    }

  private:
    void DoRun() override
    {
        TwoSiteNetwork net(true);
        net.Listen(net.hostB, PORT);
        net.ipsec.CreateIsakmpTunnel(net.wan.Get(0),
                                     net.wan.Get(1),
                                     TwoSiteNetwork::LAN_TO_LAN,
                                     "esp-aes esp-sha-hmac",
                                     KEY);
        Ptr<IkeDaemon> a = Ike(net.gatewayA);
        a->GetKeyTable().Add("lan-key", Ipv4Address("10.1.1.0"), Ipv4Mask("255.255.255.0"));
        const Ipv4Address gatewayLan("10.1.1.1");

        // 1. Ten malformed datagrams: short, bad version, a zero payload length.
        std::vector<std::vector<uint8_t>> bad;
        bad.emplace_back(10, 0xff);
        IsakmpMessage valid;
        valid.initiatorCookie = 77;
        valid.exchangeType = ISAKMP_EXCHANGE_MAIN_MODE;
        IsakmpPayload vid;
        vid.type = ISAKMP_VENDOR_ID;
        vid.data.assign(8, 1);
        valid.payloads = {vid};
        std::vector<uint8_t> bytes = valid.Serialize();
        bytes[17] = 0x30;
        bad.push_back(bytes);
        bytes = valid.Serialize();
        bytes[30] = 0;
        bytes[31] = 0;
        bad.push_back(bytes);
        for (uint32_t i = 0; i < 7; ++i)
        {
            bad.push_back(MakePayload(i, 40 + i));
        }
        for (size_t i = 0; i < bad.size(); ++i)
        {
            net.SendUdp(net.hostA, 500, gatewayLan, 500, bad[i], Seconds(0.5) + MilliSeconds(i));
        }

        // 2. A quick mode message with unknown cookies.
        IsakmpMessage stray;
        stray.initiatorCookie = 1;
        stray.responderCookie = 2;
        stray.exchangeType = ISAKMP_EXCHANGE_QUICK_MODE;
        stray.messageId = 5;
        IsakmpPayload hash;
        hash.type = ISAKMP_HASH;
        hash.data.assign(20, 0);
        stray.payloads = {hash};
        net.SendUdp(net.hostA, 500, gatewayLan, 500, stray.Serialize(), Seconds(0.6));

        // 3. Ten valid MM1 with fresh cookies from one address: four half-open SAs at a
        //    time, and each of the last six displaces the oldest (counted as HALF_OPEN_LIMIT).
        for (uint32_t i = 0; i < 10; ++i)
        {
            IsakmpMessage mm1;
            mm1.initiatorCookie = 1000 + i;
            mm1.exchangeType = ISAKMP_EXCHANGE_MAIN_MODE;
            IsakmpPayload sa;
            sa.type = ISAKMP_SA;
            IsakmpProposal proposal;
            IsakmpTransform transform;
            transform.id = 1;
            transform.attributes = {{1, 7, false},
                                    {14, 128, false},
                                    {2, 2, false},
                                    {3, 1, false},
                                    {4, 2, false}};
            proposal.transforms.push_back(transform);
            sa.proposals.push_back(proposal);
            mm1.payloads = {sa};
            net.SendUdp(net.hostA,
                        500,
                        gatewayLan,
                        500,
                        mm1.Serialize(),
                        Seconds(0.7) + MilliSeconds(i));
        }

        // Then real traffic.
        SendStream(net, 20, Seconds(1), MilliSeconds(10));
        Simulator::Stop(Seconds(2));
        Simulator::Run();

        NS_TEST_ASSERT_MSG_EQ(a->GetDropCount(IkeDropReason::MALFORMED), 10u, "malformed");
        NS_TEST_ASSERT_MSG_EQ(a->GetDropCount(IkeDropReason::UNKNOWN_COOKIE), 1u, "stray cookie");
        NS_TEST_ASSERT_MSG_EQ(a->GetFailureCount(IkeFailure::HALF_OPEN_LIMIT),
                              6u,
                              "half-open limit");
        uint32_t halfOpen = 0;
        for (const auto& sa : a->GetIkeSas())
        {
            halfOpen += (!sa->IsInitiator() && !sa->IsDeleted()) ? 1 : 0;
        }
        NS_TEST_ASSERT_MSG_EQ(halfOpen, 4u, "four half-open SAs kept");
        std::set<uint64_t> keptCookies;
        for (const auto& sa : a->GetIkeSas())
        {
            if (!sa->IsInitiator() && !sa->IsDeleted())
            {
                keptCookies.insert(sa->GetInitiatorCookie());
            }
        }
        std::set<uint64_t> newestCookies = {1006, 1007, 1008, 1009};
        NS_TEST_ASSERT_MSG_EQ((keptCookies == newestCookies),
                              true,
                              "the newest MM1 of an address displaces its oldest half-open SA");
        NS_TEST_ASSERT_MSG_EQ(net.Received(net.hostB, PORT).size(), 15u, "tunnel works");
        Simulator::Destroy();
    }
};

/**
 * \ingroup ipsec
 * With AcquireQueueLimit the packets that arrive during negotiation wait and are sent once
 * the SAs exist, up to the limit.
 */
class IkeAcquireQueueTestCase : public TestCase
{
  public:
    IkeAcquireQueueTestCase()
        : TestCase("acquire queue keeps packets")
    {
    }

  private:
    void DoRun() override
    {
        TwoSiteNetwork net(true);
        net.Listen(net.hostB, PORT);
        Ike(net.gatewayA)->SetAttribute("AcquireQueueLimit", UintegerValue(3));
        net.ipsec.CreateIsakmpTunnel(net.wan.Get(0),
                                     net.wan.Get(1),
                                     TwoSiteNetwork::LAN_TO_LAN,
                                     "esp-aes esp-sha-hmac",
                                     KEY);
        SendStream(net, 20, Seconds(1), MilliSeconds(10));
        Simulator::Stop(Seconds(2));
        Simulator::Run();

        // Packets 0..4 arrive before the SAs (41.0176 ms): 0..2 are kept, 3 and 4 dropped.
        NS_TEST_ASSERT_MSG_EQ(
            TwoSiteNetwork::Stack(net.gatewayA)->GetDropCount(IpsecDropReason::NO_SA),
            2u,
            "packets beyond the queue dropped");
        const auto& received = net.Received(net.hostB, PORT);
        NS_TEST_ASSERT_MSG_EQ(received.size(), 18u, "queued packets delivered");
        if (received.size() == 18)
        {
            NS_TEST_ASSERT_MSG_EQ((received[0] == MakePayload(0, 100)), true, "packet 0 first");
            NS_TEST_ASSERT_MSG_EQ((received[2] == MakePayload(2, 100)), true, "packet 2 third");
            NS_TEST_ASSERT_MSG_EQ((received[3] == MakePayload(5, 100)), true, "then packet 5");
        }
        Simulator::Destroy();
    }
};

/**
 * \ingroup ipsec
 * Policy and key table values are checked as IOS checks them.
 */
class IkeConfigurationTestCase : public TestCase
{
  public:
    IkeConfigurationTestCase()
        : TestCase("policy and key validation")
    {
    }

  private:
    void DoRun() override
    {
        IsakmpPolicy policy(10);
        NS_TEST_ASSERT_MSG_EQ(policy.GetLifetimeSeconds(), 86400u, "default lifetime");
        NS_TEST_ASSERT_MSG_EQ(policy.SetEncryption("aes 192"), "", "aes 192");
        NS_TEST_ASSERT_MSG_EQ(policy.GetKeyLengthAttribute(), 192u, "key length");
        NS_TEST_ASSERT_MSG_NE(policy.SetEncryption("blowfish"), "", "unknown cipher");
        NS_TEST_ASSERT_MSG_NE(policy.SetHash("sha512"), "", "unknown hash");
        NS_TEST_ASSERT_MSG_NE(policy.SetAuthentication("rsa-sig"), "", "rsa-sig");
        NS_TEST_ASSERT_MSG_EQ(policy.SetAuthentication("pre-share"), "", "pre-share");
        NS_TEST_ASSERT_MSG_NE(policy.SetGroup(3), "", "group 3");
        NS_TEST_ASSERT_MSG_NE(policy.SetLifetime(59), "", "lifetime below 60");
        NS_TEST_ASSERT_MSG_NE(policy.SetLifetime(86401), "", "lifetime above 86400");
        NS_TEST_ASSERT_MSG_EQ(policy.SetLifetime(60), "", "lifetime 60");
        NS_TEST_ASSERT_MSG_EQ(policy.GetEncryptionAttribute(), 7u, "AES value");

        IsakmpKeyTable keys;
        NS_TEST_ASSERT_MSG_EQ(keys.Add("wide", Ipv4Address("10.0.0.0"), Ipv4Mask("255.0.0.0")),
                              "",
                              "wide key");
        NS_TEST_ASSERT_MSG_EQ(keys.Add("narrow", Ipv4Address("10.1.1.1")), "", "host key");
        NS_TEST_ASSERT_MSG_NE(keys.Add("has space", Ipv4Address("10.1.1.2")), "", "space");
        NS_TEST_ASSERT_MSG_NE(keys.Add("", Ipv4Address("10.1.1.2")), "", "empty key");
        std::string key;
        NS_TEST_ASSERT_MSG_EQ(keys.Find(Ipv4Address("10.1.1.1"), key), true, "host found");
        NS_TEST_ASSERT_MSG_EQ(key, "narrow", "longest match");
        NS_TEST_ASSERT_MSG_EQ(keys.Find(Ipv4Address("10.9.9.9"), key), true, "net found");
        NS_TEST_ASSERT_MSG_EQ(key, "wide", "network key");
        NS_TEST_ASSERT_MSG_EQ(keys.Find(Ipv4Address("192.0.2.1"), key), false, "no key");
    }
};

/**
 * \ingroup ipsec
 * The IKE suite.
 */
class IpsecIkeTestSuite : public TestSuite
{
  public:
    IpsecIkeTestSuite()
        : TestSuite("ipsec-ike", UNIT)
    {
        AddTestCase(new IkeConfigurationTestCase, TestCase::QUICK);
        AddTestCase(new IkeTimelineTestCase, TestCase::QUICK);
        AddTestCase(new IkeKeyMismatchTestCase, TestCase::QUICK);
        AddTestCase(new IkeNoPolicyTestCase, TestCase::QUICK);
        AddTestCase(new IkeNoTransformSetTestCase, TestCase::QUICK);
        AddTestCase(new IkeRetransmitTestCase, TestCase::QUICK);
        AddTestCase(new IkeGiveUpTestCase, TestCase::QUICK);
        AddTestCase(new IkeClearDeleteTestCase, TestCase::QUICK);
        AddTestCase(new IkeRekeyTestCase, TestCase::QUICK);
        AddTestCase(new IkeRealCryptoTestCase, TestCase::QUICK);
        AddTestCase(new IkeHostileTestCase, TestCase::QUICK);
        AddTestCase(new IkeAcquireQueueTestCase, TestCase::QUICK);
    }
};

/// Registers the suite.
static IpsecIkeTestSuite g_ipsecIkeTestSuite;

} // namespace
} // namespace ns3
