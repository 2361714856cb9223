// Copyright (c) 2026 The ns3-ipsec authors
// SPDX-License-Identifier: GPL-2.0-only

#include "ipsec-test-network.h"

#include "ns3/error-model.h"
#include "ns3/ike-daemon.h"
#include "ns3/isakmp-keepalive.h"
#include "ns3/point-to-point-module.h"
#include "ns3/pointer.h"
#include "ns3/string.h"
#include "ns3/test.h"

#include <sstream>
#include <string>
#include <vector>

/**
 * \file
 * \ingroup ipsec
 * `crypto isakmp keepalive` over real IKE: the guide's DPD trace, on-demand and periodic
 * behaviour, DPD support negotiation, wrong ACKs, and stateless failover through three hubs.
 */

namespace ns3
{
namespace
{

using ipsectest::MakePayload;
using ipsectest::TwoSiteNetwork;

/// UDP port the receiving hosts listen on.
constexpr uint16_t PORT = 9000;
/// Pre-shared key of the tests.
const std::string KEY = "cisco123";

// Hand computation shared by the two-site cases (TwoSiteNetwork: LANs 100 Mb/s and 1 ms,
// WAN 10 Mb/s and 5 ms; no IKE processing delays). A 100-byte UDP datagram from host A is a
// 130-byte frame (PPP 2 + IPv4 20 + UDP 8), 10.4 us at 100 Mb/s, so a packet that host A
// sends at time s reaches gateway A at s + 1.0104 ms. On the WAN a byte takes 0.8 us. Each ISAKMP
// frame adds 30 bytes (UDP 8, IPv4 20, PPP 2) to the message, and both gateways announce the
// 20-byte DPD vendor ID payload in MM1 and MM2:
//   MM1, MM2: 88 + 20 + 30 = 138 bytes: 110.4 us + 5 ms each
//   MM3, MM4: 180 + 30 = 210 bytes: 168 us + 5 ms each
//   MM5, MM6: 76 + 30 = 106 bytes: 84.8 us + 5 ms each
// Gateway A establishes its IKE SA when MM6 arrives, 2 x (110.4 + 168 + 84.8) us + 30 ms =
// 30.7264 ms after the first packet reaches it.

/// Returns when a datagram that host A sends at `sent` reaches gateway A (two-site network).
Time
AtGatewayA(Time sent)
{
    return sent + NanoSeconds(1010400);
}

/// Returns when gateway A's IKE SA is established after a first packet sent at `sent`.
Time
TwoSiteEstablished(Time sent)
{
    return AtGatewayA(sent) + NanoSeconds(30726400);
}

/**
 * \ingroup ipsec
 * Drops frames a device receives from a start time on: every frame, or only UDP datagrams
 * to port 500 (IKE), which leaves ESP untouched.
 */
class SilenceErrorModel : public ErrorModel
{
  public:
    /**
     * \param from the simulated time dropping starts
     * \param ikeOnly true to drop only UDP port 500
     */
    SilenceErrorModel(Time from, bool ikeOnly)
        : m_from(from),
          m_ikeOnly(ikeOnly)
    {
    }

  private:
    bool DoCorrupt(Ptr<Packet> packet) override
    {
        if (Simulator::Now() < m_from)
        {
            return false;
        }
        if (!m_ikeOnly)
        {
            return true;
        }

        // PPP 2 bytes, IPv4 without options 20 bytes, then the UDP destination port.
        uint8_t bytes[2 + 20 + 4];
        if (packet->GetSize() < sizeof(bytes))
        {
            return false;
        }
        packet->CopyData(bytes, sizeof(bytes));
        bool udp = bytes[2 + 9] == 17;
        uint32_t port = (uint32_t(bytes[2 + 20 + 2]) << 8) | bytes[2 + 20 + 3];
        return udp && port == IkeDaemon::ISAKMP_PORT;
    }

    void DoReset() override
    {
    }

    Time m_from;    //!< start of the silence
    bool m_ikeOnly; //!< drop only IKE
};

/// Makes a device drop received frames from a time on.
void
Silence(Ptr<NetDevice> device, Time from, bool ikeOnly)
{
    device->SetAttribute("ReceiveErrorModel",
                         PointerValue(Create<SilenceErrorModel>(from, ikeOnly)));
}

/// What one node's keepalive reports during a test.
struct DpdRecord
{
    std::vector<Time> ruThereTimes;        //!< R-U-THERE sent
    std::vector<uint32_t> ruThereNumbers;  //!< their sequence numbers
    std::vector<Time> ackTimes;            //!< R-U-THERE-ACK received
    std::vector<Time> deadTimes;           //!< peer declared dead
    std::vector<Ipv4Address> deadPeers;    //!< which peer
    std::vector<Time> firstUnanswered;     //!< first R-U-THERE of the fatal round
    std::vector<Ipv4Address> newPeers;     //!< failover targets
    std::vector<Time> installTimes;        //!< SAs installed (this node initiating)
    std::vector<Ipv4Address> installPeers; //!< with which peer
    std::vector<Time> detectorStarts;      //!< detectors created
};

void
RecordSent(DpdRecord* record, Ipv4Address, uint16_t type, uint32_t sequence)
{
    if (type == ISAKMP_NOTIFY_R_U_THERE)
    {
        record->ruThereTimes.push_back(Simulator::Now());
        record->ruThereNumbers.push_back(sequence);
    }
}

void
RecordReceived(DpdRecord* record, Ipv4Address, uint16_t type, uint32_t)
{
    if (type == ISAKMP_NOTIFY_R_U_THERE_ACK)
    {
        record->ackTimes.push_back(Simulator::Now());
    }
}

void
RecordDead(DpdRecord* record, Ipv4Address peer, Time firstUnanswered)
{
    record->deadTimes.push_back(Simulator::Now());
    record->deadPeers.push_back(peer);
    record->firstUnanswered.push_back(firstUnanswered);
}

void
RecordFailover(DpdRecord* record, const std::string&, uint32_t, Ipv4Address, Ipv4Address newPeer)
{
    record->newPeers.push_back(newPeer);
}

void
RecordInstalled(DpdRecord* record, Ipv4Address peer, bool initiator)
{
    if (initiator)
    {
        record->installTimes.push_back(Simulator::Now());
        record->installPeers.push_back(peer);
    }
}

void
RecordDetector(DpdRecord* record, Ipv4Address, Ptr<DeadPeerDetector>)
{
    record->detectorStarts.push_back(Simulator::Now());
}

void
RecordDecrypt(std::vector<Time>* times, Ptr<const Packet>, Ptr<const IpsecSecurityAssociation>)
{
    times->push_back(Simulator::Now());
}

/// Configures keepalive on a node and connects a record to it.
void
EnableKeepalive(Ptr<Node> node, DpdMode mode, DpdRecord* record)
{
    std::string problem = IpsecHelper::SetIsakmpKeepalive(node, 10, 2, mode);
    NS_ABORT_MSG_IF(!problem.empty(), problem);
    if (!record)
    {
        return;
    }
    Ptr<IsakmpKeepalive> keepalive = IpsecHelper::GetIsakmpKeepalive(node);
    keepalive->TraceConnectWithoutContext("DpdMessageSent", MakeBoundCallback(&RecordSent, record));
    keepalive->TraceConnectWithoutContext("DpdMessageReceived",
                                          MakeBoundCallback(&RecordReceived, record));
    keepalive->TraceConnectWithoutContext("PeerDead", MakeBoundCallback(&RecordDead, record));
    keepalive->TraceConnectWithoutContext("Failover", MakeBoundCallback(&RecordFailover, record));
    keepalive->TraceConnectWithoutContext("SasInstalled",
                                          MakeBoundCallback(&RecordInstalled, record));
    keepalive->TraceConnectWithoutContext("DetectorCreated",
                                          MakeBoundCallback(&RecordDetector, record));
}

/// Sends count 100-byte datagrams from a node to an address, every interval from start.
void
SendStream(TwoSiteNetwork& net,
           Ptr<Node> from,
           Ipv4Address to,
           uint32_t count,
           Time start,
           Time interval)
{
    for (uint32_t i = 0; i < count; ++i)
    {
        net.SendUdp(from, 5000, to, PORT, MakePayload(i, 100), start + interval * i);
    }
}

/// Builds the two-site network with an IKE tunnel and a receiver on host B.
void
BuildTunnel(TwoSiteNetwork& net)
{
    net.Listen(net.hostB, PORT);
    net.Listen(net.hostA, PORT);
    net.ipsec.CreateIsakmpTunnel(net.wan.Get(0),
                                 net.wan.Get(1),
                                 TwoSiteNetwork::LAN_TO_LAN,
                                 "esp-aes esp-sha-hmac",
                                 KEY);
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

/**
 * \ingroup ipsec
 * The guide's debug trace over real IKE: keepalive 10 s periodic, retry 2 s. After the
 * peer goes silent, R-U-THERE at t, t + 2, t + 4, t + 6, t + 8 and the tunnel down at t + 10.
 */
class GuideTraceTestCase : public TestCase
{
  public:
    GuideTraceTestCase()
        : TestCase("guide trace, periodic")
    {
    }

  private:
    void DoRun() override
    {
        TwoSiteNetwork net(true);
        BuildTunnel(net);
        DpdRecord record;
        EnableKeepalive(net.gatewayA, DPD_PERIODIC, &record);
        EnableKeepalive(net.gatewayB, DPD_ON_DEMAND, nullptr);
        SendStream(net, net.hostA, TwoSiteNetwork::HOST_B, 1, Seconds(1), Seconds(0));
        IpsecHelper::ScheduleReboot(net.gatewayB, Seconds(25), Seconds(100));
        Simulator::Stop(Seconds(60));
        Simulator::Run();

        // The detector starts with the IKE SA at TA = 1 s + 1.0104 ms + 30.7264 ms. Periodic
        // R-U-THERE go at TA + 10 s and TA + 20 s and are answered (gateway B has nothing to
        // send, so its on-demand detector sends nothing). Gateway B reboots at 25 s, so the
        // message at TA + 30 s opens the fatal round: retransmissions every 2 s, four of
        // them, and the peer is dead 2 s after the last, at TA + 40 s.
        Time established = TwoSiteEstablished(Seconds(1));
        NS_TEST_ASSERT_MSG_EQ(record.detectorStarts.size(), 1u, "one detector");
        if (!record.detectorStarts.empty())
        {
            NS_TEST_ASSERT_MSG_EQ(record.detectorStarts[0], established, "detector start");
        }
        std::vector<Time> expected = {established + Seconds(10),
                                      established + Seconds(20),
                                      established + Seconds(30),
                                      established + Seconds(32),
                                      established + Seconds(34),
                                      established + Seconds(36),
                                      established + Seconds(38)};
        NS_TEST_ASSERT_MSG_EQ(record.ruThereTimes.size(), expected.size(), "R-U-THERE count");
        for (size_t i = 0; i < expected.size() && i < record.ruThereTimes.size(); ++i)
        {
            NS_TEST_ASSERT_MSG_EQ(record.ruThereTimes[i], expected[i], "R-U-THERE " << i + 1);
        }

        // Each retransmission carries the next sequence number.
        for (size_t i = 1; i < record.ruThereNumbers.size(); ++i)
        {
            NS_TEST_ASSERT_MSG_EQ(record.ruThereNumbers[i],
                                  record.ruThereNumbers[i - 1] + 1,
                                  "sequence " << i + 1);
        }
        NS_TEST_ASSERT_MSG_EQ(record.ackTimes.size(), 2u, "answered before the reboot");

        NS_TEST_ASSERT_MSG_EQ(record.deadTimes.size(), 1u, "declared dead once");
        if (!record.deadTimes.empty())
        {
            NS_TEST_ASSERT_MSG_EQ(record.deadTimes[0], established + Seconds(40), "down time");
            NS_TEST_ASSERT_MSG_EQ(record.firstUnanswered[0],
                                  established + Seconds(30),
                                  "first unanswered");
            NS_TEST_ASSERT_MSG_EQ(record.deadPeers[0], TwoSiteNetwork::WAN_B, "dead peer");
        }
        NS_TEST_ASSERT_MSG_EQ(Logged(net.gatewayA,
                                     "%CRYPTO-5-SESSION_STATUS: Crypto tunnel is DOWN. Peer "
                                     "192.0.2.2:500 Id: 192.0.2.2"),
                              true,
                              "session down logged");

        // The IKE SA and both ESP SAs are gone, with no DELETE to the dead peer.
        NS_TEST_ASSERT_MSG_EQ(
            IpsecHelper::GetIkeDaemon(net.gatewayA)->FindIkeSa(TwoSiteNetwork::WAN_B, false),
            nullptr,
            "IKE SA deleted");
        NS_TEST_ASSERT_MSG_EQ(TwoSiteNetwork::Stack(net.gatewayA)->GetSadb()->GetSaCount(),
                              0u,
                              "IPsec SAs deleted");
        NS_TEST_ASSERT_MSG_EQ(
            TwoSiteNetwork::Stack(net.gatewayA)->GetDeletedCount(IpsecSaDeleteReason::PEER_DEAD),
            2u,
            "deleted as PEER_DEAD");
        IsakmpKeepalive::PeerCounters counters =
            IpsecHelper::GetIsakmpKeepalive(net.gatewayA)->GetCounters(TwoSiteNetwork::WAN_B);
        NS_TEST_ASSERT_MSG_EQ(counters.ruThereSent, 7u, "counter of R-U-THERE sent");
        NS_TEST_ASSERT_MSG_EQ(counters.ackReceived, 2u, "counter of ACKs received");
        NS_TEST_ASSERT_MSG_EQ(counters.deadCount, 1u, "counter of deaths");
        Simulator::Destroy();
    }
};

/**
 * \ingroup ipsec
 * On-demand without traffic: a silent peer costs no DPD message and is not detected.
 */
class OnDemandIdleTestCase : public TestCase
{
  public:
    OnDemandIdleTestCase()
        : TestCase("on-demand, no traffic")
    {
    }

  private:
    void DoRun() override
    {
        TwoSiteNetwork net(true);
        BuildTunnel(net);
        DpdRecord record;
        EnableKeepalive(net.gatewayA, DPD_ON_DEMAND, &record);
        EnableKeepalive(net.gatewayB, DPD_ON_DEMAND, nullptr);
        SendStream(net, net.hostA, TwoSiteNetwork::HOST_B, 1, Seconds(1), Seconds(0));
        IpsecHelper::ScheduleReboot(net.gatewayB, Seconds(5), Seconds(200));
        Simulator::Stop(Seconds(100));
        Simulator::Run();

        NS_TEST_ASSERT_MSG_EQ(record.detectorStarts.size(), 1u, "one detector");
        NS_TEST_ASSERT_MSG_EQ(record.ruThereTimes.size(), 0u, "no R-U-THERE");
        NS_TEST_ASSERT_MSG_EQ(record.deadTimes.size(), 0u, "no detection");
        Ptr<DeadPeerDetector> detector =
            IpsecHelper::GetIsakmpKeepalive(net.gatewayA)->GetDetector(TwoSiteNetwork::WAN_B);
        NS_TEST_ASSERT_MSG_NE(detector, nullptr, "detector still there");
        if (detector)
        {
            NS_TEST_ASSERT_MSG_EQ(detector->GetState(),
                                  DeadPeerDetector::ARMED,
                                  "waiting for traffic to send");
        }
        Simulator::Destroy();
    }
};

/**
 * \ingroup ipsec
 * On-demand with traffic both ways: after the peer falls silent, the first packet to send
 * once the interval has passed starts the probe, and the peer is dead five retry intervals
 * later.
 */
class OnDemandTrafficTestCase : public TestCase
{
  public:
    OnDemandTrafficTestCase()
        : TestCase("on-demand, with traffic")
    {
    }

  private:
    void DoRun() override
    {
        TwoSiteNetwork net(true);
        BuildTunnel(net);
        DpdRecord record;
        EnableKeepalive(net.gatewayA, DPD_ON_DEMAND, &record);
        EnableKeepalive(net.gatewayB, DPD_ON_DEMAND, nullptr);
        std::vector<Time> decrypts;
        TwoSiteNetwork::Stack(net.gatewayA)
            ->TraceConnectWithoutContext("Decrypt", MakeBoundCallback(&RecordDecrypt, &decrypts));
        SendStream(net, net.hostA, TwoSiteNetwork::HOST_B, 1, Seconds(1), Seconds(0));
        SendStream(net, net.hostA, TwoSiteNetwork::HOST_B, 400, Seconds(2), MilliSeconds(100));
        SendStream(net, net.hostB, TwoSiteNetwork::HOST_A, 400, Seconds(2.05), MilliSeconds(100));
        IpsecHelper::ScheduleReboot(net.gatewayB, Seconds(20.02), Seconds(100));
        Simulator::Stop(Seconds(42));
        Simulator::Run();

        // Host B's last datagram before the reboot leaves at 19.95 s and reaches gateway B
        // 1.0104 ms later. It crosses the WAN as a 202-byte ESP frame in 161.6 us + 5 ms:
        // IPv4 20, ESP header 8, IV 16, 130 bytes of payload and trailer padded to 144,
        // ICV 12 and PPP 2. Gateway A decrypts it at L = 19.95 s + 6.172 ms.
        Time lastInbound = Seconds(19.95) + NanoSeconds(6172000);
        NS_TEST_ASSERT_MSG_EQ(decrypts.empty(), false, "traffic from B");
        if (!decrypts.empty())
        {
            NS_TEST_ASSERT_MSG_EQ(decrypts.back(), lastInbound, "last packet from B");
        }

        // At L + 10 s the peer has been silent for the interval, so the detector watches
        // for traffic to send. Host A's next datagram leaves at 30.0 s and reaches gateway A
        // at Q = 30.0010104 s, which starts the round: R-U-THERE at Q, Q + 2 .. Q + 8, dead
        // at Q + 10.
        Time probe = AtGatewayA(Seconds(30));
        std::vector<Time> expected = {probe,
                                      probe + Seconds(2),
                                      probe + Seconds(4),
                                      probe + Seconds(6),
                                      probe + Seconds(8)};
        NS_TEST_ASSERT_MSG_EQ(record.ruThereTimes.size(), expected.size(), "R-U-THERE count");
        for (size_t i = 0; i < expected.size() && i < record.ruThereTimes.size(); ++i)
        {
            NS_TEST_ASSERT_MSG_EQ(record.ruThereTimes[i], expected[i], "R-U-THERE " << i + 1);
        }
        NS_TEST_ASSERT_MSG_EQ(record.deadTimes.size(), 1u, "declared dead once");
        if (!record.deadTimes.empty())
        {
            NS_TEST_ASSERT_MSG_EQ(record.deadTimes[0], probe + Seconds(10), "down time");
        }
        Simulator::Destroy();
    }
};

/**
 * \ingroup ipsec
 * Periodic on a busy tunnel. With HelloOnly every interval costs one R-U-THERE although
 * traffic flows. With AnyInbound the traffic is proof of life, so no message is sent.
 */
class PeriodicBusyTestCase : public TestCase
{
  public:
    /**
     * \param anyInbound true to count inbound traffic as proof of life
     */
    explicit PeriodicBusyTestCase(bool anyInbound)
        : TestCase(anyInbound ? "periodic busy, any inbound" : "periodic busy, hello only"),
          m_anyInbound(anyInbound)
    {
    }

  private:
    void DoRun() override
    {
        TwoSiteNetwork net(true);
        BuildTunnel(net);
        DpdRecord record;
        EnableKeepalive(net.gatewayA, DPD_PERIODIC, &record);
        EnableKeepalive(net.gatewayB, DPD_ON_DEMAND, nullptr);
        if (m_anyInbound)
        {
            IpsecHelper::GetIsakmpKeepalive(net.gatewayA)
                ->SetDetectorAttribute("ProofOfLife", EnumValue(DeadPeerDetector::ANY_INBOUND));
        }
        SendStream(net, net.hostA, TwoSiteNetwork::HOST_B, 1, Seconds(1), Seconds(0));
        SendStream(net, net.hostA, TwoSiteNetwork::HOST_B, 600, Seconds(2), MilliSeconds(100));
        SendStream(net, net.hostB, TwoSiteNetwork::HOST_A, 600, Seconds(2.05), MilliSeconds(100));
        Simulator::Stop(Seconds(62));
        Simulator::Run();

        // Expiries at TA + 10 s .. TA + 60 s, TA = 1.0317368 s: six of them before 62 s.
        // Gateway B receives traffic from A every 100 ms, so it never probes, and gateway A
        // receives no hello.
        Ptr<DeadPeerDetector> detector =
            IpsecHelper::GetIsakmpKeepalive(net.gatewayA)->GetDetector(TwoSiteNetwork::WAN_B);
        NS_TEST_ASSERT_MSG_NE(detector, nullptr, "detector");
        uint32_t expectedMessages = m_anyInbound ? 0 : 6;
        NS_TEST_ASSERT_MSG_EQ(record.ruThereTimes.size(), expectedMessages, "R-U-THERE sent");
        NS_TEST_ASSERT_MSG_EQ(record.ackTimes.size(), expectedMessages, "ACKs received");
        if (detector)
        {
            NS_TEST_ASSERT_MSG_EQ(detector->GetTicksSkipped(),
                                  m_anyInbound ? 6u : 0u,
                                  "expiries without a message");
        }
        NS_TEST_ASSERT_MSG_EQ(record.deadTimes.size(), 0u, "no detection");
        Simulator::Destroy();
    }

    bool m_anyInbound; //!< ProofOfLife is AnyInbound
};

/**
 * \ingroup ipsec
 * A peer whose IKE stops answering while its data plane still forwards (UDP 500 dropped at
 * the peer): periodic DPD declares it dead although ESP still gets through.
 */
class IkeSilentTestCase : public TestCase
{
  public:
    IkeSilentTestCase()
        : TestCase("IKE silent, data forwarded")
    {
    }

  private:
    void DoRun() override
    {
        TwoSiteNetwork net(true);
        BuildTunnel(net);
        DpdRecord record;
        EnableKeepalive(net.gatewayA, DPD_PERIODIC, &record);
        EnableKeepalive(net.gatewayB, DPD_ON_DEMAND, nullptr);
        Silence(net.wanLower.Get(1), Seconds(20), true);
        SendStream(net, net.hostA, TwoSiteNetwork::HOST_B, 1, Seconds(1), Seconds(0));
        SendStream(net, net.hostA, TwoSiteNetwork::HOST_B, 400, Seconds(2), MilliSeconds(100));
        Simulator::Stop(Seconds(42));
        Simulator::Run();

        // TA + 10 s is answered; TA + 20 s = 21.0317368 s is after the silence starts.
        Time established = TwoSiteEstablished(Seconds(1));
        NS_TEST_ASSERT_MSG_EQ(record.ruThereTimes.size(), 6u, "R-U-THERE count");
        NS_TEST_ASSERT_MSG_EQ(record.deadTimes.size(), 1u, "declared dead");
        Time dead = established + Seconds(30);
        if (!record.deadTimes.empty())
        {
            NS_TEST_ASSERT_MSG_EQ(record.deadTimes[0], dead, "down time");
        }

        // Datagrams kept arriving through the silence until the SAs went: host A's datagram
        // sent at 31.0 s is the last one gateway A encrypts before dead = 31.0317368 s, and
        // it reaches host B 1.0104 + 0.1616 + 5 + 1.0104 ms later.
        const std::vector<Time>& arrivals = net.ReceiveTimes(net.hostB, PORT);
        NS_TEST_ASSERT_MSG_EQ(arrivals.empty(), false, "datagrams delivered");
        if (!arrivals.empty())
        {
            NS_TEST_ASSERT_MSG_EQ(arrivals.back(),
                                  Seconds(31) + NanoSeconds(7182400),
                                  "last delivery");
        }
        Simulator::Destroy();
    }
};

/**
 * \ingroup ipsec
 * An R-U-THERE-ACK with a sequence number of no R-U-THERE is ignored and does not save the
 * peer.
 */
class WrongSequenceTestCase : public TestCase
{
  public:
    WrongSequenceTestCase()
        : TestCase("wrong-sequence ACK ignored")
    {
    }

  private:
    /// Sends an R-U-THERE-ACK from gateway B whose number is 7 past A's latest R-U-THERE.
    static void SendWrongAck(TwoSiteNetwork* net, DpdRecord* record)
    {
        Ptr<IkeDaemon> daemon = IpsecHelper::GetIkeDaemon(net->gatewayB);
        Ptr<IkeSa> sa = daemon->FindIkeSa(TwoSiteNetwork::WAN_A, true);
        NS_ABORT_MSG_IF(!sa || record->ruThereNumbers.empty(), "no IKE SA or no R-U-THERE yet");
        uint32_t wrong = record->ruThereNumbers.back() + 7;
        daemon->SendNotify(
            sa,
            ISAKMP_NOTIFY_R_U_THERE_ACK,
            ISAKMP_PROTO_ISAKMP,
            sa->GetCookieBytes(),
            {uint8_t(wrong >> 24), uint8_t(wrong >> 16), uint8_t(wrong >> 8), uint8_t(wrong)});
    }

    void DoRun() override
    {
        TwoSiteNetwork net(true);
        BuildTunnel(net);
        DpdRecord record;
        EnableKeepalive(net.gatewayA, DPD_PERIODIC, &record);
        EnableKeepalive(net.gatewayB, DPD_ON_DEMAND, nullptr);
        Silence(net.wanLower.Get(1), Seconds(15), true);
        SendStream(net, net.hostA, TwoSiteNetwork::HOST_B, 1, Seconds(1), Seconds(0));
        Simulator::Schedule(Seconds(21.5), &SendWrongAck, &net, &record);
        Simulator::Stop(Seconds(40));
        Simulator::Run();

        Ptr<IsakmpKeepalive> keepalive = IpsecHelper::GetIsakmpKeepalive(net.gatewayA);
        IsakmpKeepalive::PeerCounters counters = keepalive->GetCounters(TwoSiteNetwork::WAN_B);
        NS_TEST_ASSERT_MSG_EQ(counters.ackReceived, 2u, "the answer at TA + 10 and the forgery");
        NS_TEST_ASSERT_MSG_EQ(counters.ackIgnored, 1u, "forgery ignored");
        NS_TEST_ASSERT_MSG_EQ(record.deadTimes.size(), 1u, "declared dead anyway");
        if (!record.deadTimes.empty())
        {
            NS_TEST_ASSERT_MSG_EQ(record.deadTimes[0],
                                  TwoSiteEstablished(Seconds(1)) + Seconds(30),
                                  "down time unchanged");
        }
        Simulator::Destroy();
    }
};

/**
 * \ingroup ipsec
 * A peer that did not announce the DPD vendor ID gets no detector and no R-U-THERE.
 */
class NoDpdSupportTestCase : public TestCase
{
  public:
    NoDpdSupportTestCase()
        : TestCase("peer without DPD support")
    {
    }

  private:
    void DoRun() override
    {
        TwoSiteNetwork net(true);
        BuildTunnel(net);
        DpdRecord record;
        EnableKeepalive(net.gatewayA, DPD_PERIODIC, &record);
        SendStream(net, net.hostA, TwoSiteNetwork::HOST_B, 1, Seconds(1), Seconds(0));
        Simulator::Stop(Seconds(60));
        Simulator::Run();

        Ptr<IsakmpKeepalive> keepalive = IpsecHelper::GetIsakmpKeepalive(net.gatewayA);
        Ptr<IkeSa> sa = IpsecHelper::GetIkeDaemon(net.gatewayA)->FindIkeSa(TwoSiteNetwork::WAN_B);
        NS_TEST_ASSERT_MSG_NE(sa, nullptr, "IKE SA established");
        if (sa)
        {
            NS_TEST_ASSERT_MSG_EQ(sa->HasPeerVendorId(IsakmpKeepalive::GetDpdVendorId()),
                                  false,
                                  "no DPD vendor ID from B");
        }
        NS_TEST_ASSERT_MSG_EQ(keepalive->GetPeersWithoutDpd(), 1u, "counted");
        NS_TEST_ASSERT_MSG_EQ(record.detectorStarts.size(), 0u, "no detector");
        NS_TEST_ASSERT_MSG_EQ(record.ruThereTimes.size(), 0u, "no R-U-THERE");
        Simulator::Destroy();
    }
};

/**
 * \ingroup ipsec
 * `crypto isakmp keepalive` values out of range are rejected with the reason and change
 * nothing.
 */
class KeepaliveConfigTestCase : public TestCase
{
  public:
    KeepaliveConfigTestCase()
        : TestCase("keepalive configuration")
    {
    }

  private:
    void DoRun() override
    {
        TwoSiteNetwork net(true);
        Ptr<IsakmpKeepalive> keepalive = IpsecHelper::GetIsakmpKeepalive(net.gatewayA);
        NS_TEST_ASSERT_MSG_EQ(keepalive->IsEnabled(), false, "off by default");
        NS_TEST_ASSERT_MSG_EQ(IpsecHelper::SetIsakmpKeepalive(net.gatewayA, 5),
                              "keepalive interval 5 is out of range 10..3600 seconds",
                              "interval too small");
        NS_TEST_ASSERT_MSG_EQ(IpsecHelper::SetIsakmpKeepalive(net.gatewayA, 3601),
                              "keepalive interval 3601 is out of range 10..3600 seconds",
                              "interval too large");
        NS_TEST_ASSERT_MSG_EQ(IpsecHelper::SetIsakmpKeepalive(net.gatewayA, 10, 61),
                              "keepalive retry interval 61 is out of range 2..60 seconds",
                              "retry too large");
        NS_TEST_ASSERT_MSG_EQ(keepalive->IsEnabled(), false, "still off");

        NS_TEST_ASSERT_MSG_EQ(IpsecHelper::SetIsakmpKeepalive(net.gatewayA, 30, 20, DPD_PERIODIC),
                              "",
                              "keepalive 30 20 periodic");
        NS_TEST_ASSERT_MSG_EQ(keepalive->IsEnabled(), true, "on");
        DpdConfig config = keepalive->GetConfig();
        NS_TEST_ASSERT_MSG_EQ(config.interval, 30u, "interval");
        NS_TEST_ASSERT_MSG_EQ(config.retry, 20u, "retry");
        NS_TEST_ASSERT_MSG_EQ(config.mode, DPD_PERIODIC, "mode");

        NS_TEST_ASSERT_MSG_EQ(IpsecHelper::SetIsakmpKeepalive(net.gatewayA, 9),
                              "keepalive interval 9 is out of range 10..3600 seconds",
                              "rejected later");
        NS_TEST_ASSERT_MSG_EQ(keepalive->GetConfig().interval, 30u, "unchanged after rejection");
        keepalive->Disable();
        NS_TEST_ASSERT_MSG_EQ(keepalive->IsEnabled(), false, "no crypto isakmp keepalive");
        Simulator::Destroy();
    }
};

/**
 * \ingroup ipsec
 * A branch with three hubs in `set peer` order behind a core router, and a host behind the
 * hubs that each hub can reach.
 *
 * \verbatim
                                                       +-- hub 1 198.51.100.6 --+
   host A ---- branch 192.0.2.1 ==== core router ======+-- hub 2 198.51.100.10 -+-- host B
   10.1.1.2    10.1.1.1                                +-- hub 3 198.51.100.14 -+   10.2.1.2
          100 Mb/s, 1 ms    10 Mb/s, 5 ms     10 Mb/s, 5 ms each      100 Mb/s, 1 ms each
   \endverbatim
 *
 * Host B has an address on each hub link (10.2.N.2) and accepts 10.2.1.2 on all of them, so
 * traffic for 10.2.1.2 reaches it through whichever hub decrypts it.
 */
struct HubNetwork
{
    HubNetwork()
    {
        hostA = CreateObject<Node>();
        branch = CreateObject<Node>();
        core = CreateObject<Node>();
        hostB = CreateObject<Node>();
        hubs.Create(3);

        PointToPointHelper lan;
        lan.SetDeviceAttribute("DataRate", StringValue("100Mbps"));
        lan.SetChannelAttribute("Delay", StringValue("1ms"));
        PointToPointHelper wanLink;
        wanLink.SetDeviceAttribute("DataRate", StringValue("10Mbps"));
        wanLink.SetChannelAttribute("Delay", StringValue("5ms"));

        NetDeviceContainer lanA = lan.Install(branch, hostA);
        NetDeviceContainer branchWan = wanLink.Install(branch, core);
        std::vector<NetDeviceContainer> hubWans;
        std::vector<NetDeviceContainer> hubLans;
        for (uint32_t i = 0; i < 3; ++i)
        {
            hubWans.push_back(wanLink.Install(core, hubs.Get(i)));
            hubLans.push_back(lan.Install(hubs.Get(i), hostB));
        }

        InternetStackHelper internet;
        internet.Install(NodeContainer(hostA, branch, core, hostB));
        internet.Install(hubs);

        // IPsec devices go on the branch and hub WAN sides before addresses are assigned.
        ipsec.SetStackAttribute("ModelledCrypto", BooleanValue(true));
        ipsec.AssignStreams(1);
        branchDevice = ipsec.InstallDevice(branchWan.Get(0));
        NetDeviceContainer coreSides;
        for (uint32_t i = 0; i < 3; ++i)
        {
            hubDevices.Add(ipsec.InstallDevice(hubWans[i].Get(1)));
            coreSides.Add(hubWans[i].Get(0));
            hubLower.Add(hubWans[i].Get(1));
            coreLower.Add(hubWans[i].Get(0));
        }

        Ipv4AddressHelper address;
        address.SetBase("10.1.1.0", "255.255.255.0");
        address.Assign(lanA);
        address.SetBase("192.0.2.0", "255.255.255.252");
        address.Assign(NetDeviceContainer(branchDevice, branchWan.Get(1)));
        for (uint32_t i = 0; i < 3; ++i)
        {
            std::ostringstream wanBase;
            wanBase << "198.51.100." << 4 * (i + 1);
            address.SetBase(wanBase.str().c_str(), "255.255.255.252");
            address.Assign(NetDeviceContainer(coreSides.Get(i), hubDevices.Get(i)));
            std::ostringstream lanBase;
            lanBase << "10.2." << i + 1 << ".0";
            address.SetBase(lanBase.str().c_str(), "255.255.255.0");
            address.Assign(hubLans[i]);
        }

        Ipv4StaticRoutingHelper routing;
        auto interfaceOf = [](Ptr<NetDevice> device) {
            return static_cast<uint32_t>(
                device->GetNode()->GetObject<Ipv4>()->GetInterfaceForDevice(device));
        };
        routing.GetStaticRouting(hostA->GetObject<Ipv4>())
            ->SetDefaultRoute("10.1.1.1", interfaceOf(lanA.Get(1)));
        routing.GetStaticRouting(branch->GetObject<Ipv4>())
            ->SetDefaultRoute("192.0.2.2", interfaceOf(branchDevice));
        for (uint32_t i = 0; i < 3; ++i)
        {
            Ptr<Ipv4StaticRouting> hubRouting =
                routing.GetStaticRouting(hubs.Get(i)->GetObject<Ipv4>());
            std::ostringstream gateway;
            gateway << "198.51.100." << 4 * (i + 1) + 1;
            hubRouting->SetDefaultRoute(gateway.str().c_str(), interfaceOf(hubDevices.Get(i)));
            std::ostringstream hostOnLink;
            hostOnLink << "10.2." << i + 1 << ".2";
            hubRouting->AddHostRouteTo(HOST_B,
                                       Ipv4Address(hostOnLink.str().c_str()),
                                       interfaceOf(hubLans[i].Get(0)));
        }
        routing.GetStaticRouting(core->GetObject<Ipv4>())
            ->AddNetworkRouteTo("192.0.2.0", "255.255.255.252", interfaceOf(branchWan.Get(1)));

        ipsec.CreateIsakmpFailoverTunnels(branchDevice,
                                          hubDevices,
                                          "permit ip 10.1.1.0 0.0.0.255 10.2.0.0 0.0.255.255",
                                          "esp-aes esp-sha-hmac",
                                          KEY);

        // Host B counts what arrives, and through which hub.
        sink = Socket::CreateSocket(hostB, UdpSocketFactory::GetTypeId());
        sink->Bind(InetSocketAddress(Ipv4Address::GetAny(), PORT));
        sink->SetRecvCallback(MakeCallback(&HubNetwork::Receive, this));
        sender = Socket::CreateSocket(hostA, UdpSocketFactory::GetTypeId());
        sender->Bind();
    }

    /// Schedules count datagrams from host A to host B every interval from start.
    void Send(uint32_t count, Time start, Time interval)
    {
        for (uint32_t i = 0; i < count; ++i)
        {
            Simulator::Schedule(start + interval * i, &HubNetwork::SendOne, this, i);
        }
    }

    /// Sends datagram i.
    void SendOne(uint32_t i)
    {
        std::vector<uint8_t> payload = MakePayload(i, 100);
        sender->SendTo(Create<Packet>(payload.data(), payload.size()),
                       0,
                       InetSocketAddress(HOST_B, PORT));
    }

    /// Records arrivals at host B.
    void Receive(Ptr<Socket> socket)
    {
        Address from;
        while (Ptr<Packet> packet = socket->RecvFrom(from))
        {
            arrivals.push_back(Simulator::Now());
        }
    }

    static const Ipv4Address HOST_B; //!< host B's address on hub 1's link

    Ptr<Node> hostA;               //!< host behind the branch
    Ptr<Node> branch;              //!< branch router
    Ptr<Node> core;                //!< core router
    Ptr<Node> hostB;               //!< host behind the hubs
    NodeContainer hubs;            //!< the three hubs
    IpsecHelper ipsec;             //!< installs stacks and crypto maps
    Ptr<NetDevice> branchDevice;   //!< the branch's IPsec WAN device
    NetDeviceContainer hubDevices; //!< each hub's IPsec WAN device
    NetDeviceContainer hubLower;   //!< each hub's WAN point-to-point device
    NetDeviceContainer coreLower;  //!< the core's point-to-point device facing each hub
    Ptr<Socket> sink;              //!< host B's UDP socket
    Ptr<Socket> sender;            //!< host A's UDP socket
    std::vector<Time> arrivals;    //!< datagrams received by host B
};

const Ipv4Address HubNetwork::HOST_B("10.2.1.2");

/**
 * \ingroup ipsec
 * Stateless failover: hub 1 reboots, traffic resumes through hub 2 after detection plus
 * one negotiation; hub 2's link goes down, traffic resumes through hub 3.
 */
class FailoverTestCase : public TestCase
{
  public:
    FailoverTestCase()
        : TestCase("failover through three hubs")
    {
    }

  private:
    void DoRun() override
    {
        HubNetwork net;
        DpdRecord record;
        EnableKeepalive(net.branch, DPD_PERIODIC, &record);
        for (uint32_t i = 0; i < 3; ++i)
        {
            EnableKeepalive(net.hubs.Get(i), DPD_ON_DEMAND, nullptr);
        }
        net.Send(800, Seconds(1), MilliSeconds(100));
        IpsecHelper::ScheduleReboot(net.hubs.Get(0), Seconds(20), Seconds(200));
        Silence(net.hubLower.Get(1), Seconds(60), false);
        Silence(net.coreLower.Get(1), Seconds(60), false);
        Simulator::Stop(Seconds(80));
        Simulator::Run();

        // Host A's datagram sent at s reaches the branch at s + 1.0104 ms. Every IKE frame
        // crosses two 10 Mb/s hops (0.8 us a byte on each) and 10 ms of delay:
        //   main mode: 2 x 2 x (138 + 210 + 106) x 0.8 us + 6 x 10 ms = 61.4528 ms
        //   QM1, QM2 (172 + 30 bytes): 2 x 2 x 202 x 0.8 us + 2 x 10 ms = 20.6464 ms
        // Hub 1: the datagram sent at 1 s starts IKE, established at
        //   T1 = 1.0010104 + 0.0614528 = 1.0624632 s.
        // Periodic R-U-THERE go at T1 + 10 s and T1 + 20 s. Hub 1 reboots at 20 s, before
        // T1 + 20 s, so that message opens the fatal round and hub 1 is dead at T1 + 30 s.
        Time mainMode = NanoSeconds(61452800);
        Time quickMode = NanoSeconds(20646400);
        Time toBranch = NanoSeconds(1010400);
        Time hub1Up = Seconds(1) + toBranch + mainMode;
        Time hub1Dead = hub1Up + Seconds(30);

        // The next datagram after that (sent at 31.1 s) starts IKE with hub 2 and is dropped,
        // as no SA exists yet: SAs are installed at 31.1 s + 1.0104 ms + main mode + quick
        // mode. The datagram sent at 31.2 s is the first through hub 2: an ESP frame of 202
        // bytes over two hops (2 x 161.6 us + 10 ms), then 130 bytes at 100 Mb/s + 1 ms.
        Time hub2Up = Seconds(31.1) + toBranch + mainMode;
        Time hub2Sas = hub2Up + quickMode;
        Time espToHost = NanoSeconds(2 * 161600) + MilliSeconds(10) + toBranch;
        Time firstViaHub2 = Seconds(31.2) + toBranch + espToHost;

        // Hub 2's link goes down at 60 s: R-U-THERE at T2 + 10, 20 (answered), T2 + 30 s
        // unanswered, dead at T2 + 40 s. Then hub 3 as before, from the datagram of 71.2 s.
        Time hub2Dead = hub2Up + Seconds(40);
        Time hub3Sas = Seconds(71.2) + toBranch + mainMode + quickMode;
        Time firstViaHub3 = Seconds(71.3) + toBranch + espToHost;

        Ipv4Address hub1("198.51.100.6");
        Ipv4Address hub2("198.51.100.10");
        Ipv4Address hub3("198.51.100.14");
        NS_TEST_ASSERT_MSG_EQ(record.deadTimes.size(), 2u, "two hubs declared dead");
        if (record.deadTimes.size() == 2)
        {
            NS_TEST_ASSERT_MSG_EQ(record.deadPeers[0], hub1, "hub 1 first");
            NS_TEST_ASSERT_MSG_EQ(record.deadTimes[0], hub1Dead, "hub 1 down time");
            NS_TEST_ASSERT_MSG_EQ(record.deadPeers[1], hub2, "then hub 2");
            NS_TEST_ASSERT_MSG_EQ(record.deadTimes[1], hub2Dead, "hub 2 down time");
        }
        NS_TEST_ASSERT_MSG_EQ(record.newPeers.size(), 2u, "two failovers");
        if (record.newPeers.size() == 2)
        {
            NS_TEST_ASSERT_MSG_EQ(record.newPeers[0], hub2, "to hub 2");
            NS_TEST_ASSERT_MSG_EQ(record.newPeers[1], hub3, "to hub 3");
        }
        NS_TEST_ASSERT_MSG_EQ(record.installPeers.size(), 3u, "three negotiations");
        if (record.installPeers.size() == 3)
        {
            NS_TEST_ASSERT_MSG_EQ(record.installPeers[1], hub2, "SAs with hub 2");
            NS_TEST_ASSERT_MSG_EQ(record.installTimes[1], hub2Sas, "hub 2 SA time");
            NS_TEST_ASSERT_MSG_EQ(record.installPeers[2], hub3, "SAs with hub 3");
            NS_TEST_ASSERT_MSG_EQ(record.installTimes[2], hub3Sas, "hub 3 SA time");
        }

        // Delivery: the first arrival after each failure is the predicted one.
        Time afterHub1;
        Time afterHub2;
        for (Time arrival : net.arrivals)
        {
            if (afterHub1.IsZero() && arrival > Seconds(20) + Seconds(1))
            {
                afterHub1 = arrival;
            }
            if (afterHub2.IsZero() && arrival > Seconds(61))
            {
                afterHub2 = arrival;
            }
        }
        NS_TEST_ASSERT_MSG_EQ(afterHub1, firstViaHub2, "first datagram through hub 2");
        NS_TEST_ASSERT_MSG_EQ(afterHub2, firstViaHub3, "first datagram through hub 3");

        // Failover time is within detection plus one negotiation (and the datagram wait).
        NS_TEST_ASSERT_MSG_LT(firstViaHub2 - hub1Dead,
                              mainMode + quickMode + MilliSeconds(100) + espToHost,
                              "resumed within one negotiation");

        std::ostringstream show;
        IpsecHelper::ShowCryptoIpsecSa(net.branch, show);
        NS_TEST_ASSERT_MSG_NE(show.str().find("current_peer: 198.51.100.14:500"),
                              std::string::npos,
                              "show crypto ipsec sa names hub 3");
        Simulator::Destroy();
    }
};

/**
 * \ingroup ipsec
 * The suite.
 */
class IpsecDpdFailoverTestSuite : public TestSuite
{
  public:
    IpsecDpdFailoverTestSuite()
        : TestSuite("ipsec-dpd-failover", UNIT)
    {
        AddTestCase(new KeepaliveConfigTestCase, TestCase::QUICK);
        AddTestCase(new GuideTraceTestCase, TestCase::QUICK);
        AddTestCase(new OnDemandIdleTestCase, TestCase::QUICK);
        AddTestCase(new OnDemandTrafficTestCase, TestCase::QUICK);
        AddTestCase(new PeriodicBusyTestCase(false), TestCase::QUICK);
        AddTestCase(new PeriodicBusyTestCase(true), TestCase::QUICK);
        AddTestCase(new IkeSilentTestCase, TestCase::QUICK);
        AddTestCase(new WrongSequenceTestCase, TestCase::QUICK);
        AddTestCase(new NoDpdSupportTestCase, TestCase::QUICK);
        AddTestCase(new FailoverTestCase, TestCase::QUICK);
    }
};

/// Registers the suite.
static IpsecDpdFailoverTestSuite g_ipsecDpdFailoverTestSuite;

} // namespace
} // namespace ns3
