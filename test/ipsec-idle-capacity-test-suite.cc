// Copyright (c) 2026 The ns3-ipsec authors
// SPDX-License-Identifier: GPL-2.0-only

#include "ns3/core-module.h"
#include "ns3/internet-module.h"
#include "ns3/ipsec-module.h"
#include "ns3/network-module.h"
#include "ns3/point-to-point-module.h"
#include "ns3/test.h"

#include <sstream>
#include <string>
#include <vector>

/**
 * \file
 * \ingroup ipsec
 * SA idle timers, crypto engine SA capacity and SA lifetimes with SAs that IKE negotiated,
 * on a hub with spokes: spokes rejected for lack of room without an idle timer and served
 * with one, the IKE SA deleted with the last idle IPsec SA, time expiry of a negotiated set,
 * and a volume rekey without loss.
 */

namespace ns3
{
namespace
{

/// UDP port of the hub host's receiver.
constexpr uint16_t PORT = 9000;
/// Pre-shared key of every peer.
const std::string KEY = "hub-key";
/// WAN address of the hub.
const Ipv4Address HUB_WAN("192.0.2.1");
/// Address of the host behind the hub.
const Ipv4Address HUB_HOST("10.0.0.2");

/**
 * \ingroup ipsec
 * A hub gateway with a host behind it, a core router, and spokes with a host behind each.
 *
 * Every link is point-to-point: LANs at 100 Mb/s with 1 ms delay, WAN links (hub to core,
 * core to each spoke) at 10 Mb/s with 5 ms delay. Spoke k (from 1) has WAN address
 * 172.16.0.(4k - 3) and LAN 10.1.k.0/24 with its host at 10.1.k.2. The hub's crypto map
 * has `ipsec-isakmp` entry 10 k for spoke k, each spoke one entry for the hub, all with
 * `esp-aes esp-sha-hmac`, phase 1 policy 10 (aes, sha, pre-share, group 2) and modelled
 * crypto.
 */
class HubNetwork
{
  public:
    /**
     * Builds the network and the IKE configuration.
     * \param spokes the number of spokes
     */
    explicit HubNetwork(uint32_t spokes);

    /**
     * Schedules UDP datagrams from the host behind spoke k to the host behind the hub.
     * \param k the spoke, from 1
     * \param count the number of datagrams
     * \param start the time of the first
     * \param interval the time between two
     * \param size the payload size in bytes
     */
    void Send(uint32_t k, uint32_t count, Time start, Time interval, uint32_t size = 100);

    /**
     * \param k the spoke, from 1
     * \return the datagrams from spoke k's host that the hub host received
     */
    uint32_t Delivered(uint32_t k) const;

    /// \return the hub's IPsec stack
    Ptr<IpsecStack> HubStack() const;
    /// \return the hub's IKE daemon
    Ptr<IkeDaemon> HubIke() const;
    /**
     * \param k the spoke, from 1
     * \return spoke k's IPsec stack
     */
    Ptr<IpsecStack> SpokeStack(uint32_t k) const;
    /**
     * \param k the spoke, from 1
     * \return spoke k's IKE daemon
     */
    Ptr<IkeDaemon> SpokeIke(uint32_t k) const;
    /**
     * \param k the spoke, from 1
     * \return spoke k's WAN address
     */
    static Ipv4Address SpokeWan(uint32_t k);

  private:
    /**
     * Counts the datagrams waiting on the hub host's socket by sending spoke.
     * \param socket the socket
     */
    void Receive(Ptr<Socket> socket);

    Ptr<Node> m_hubHost;                //!< host behind the hub
    Ptr<Node> m_hub;                    //!< hub gateway
    NodeContainer m_spokes;             //!< spoke gateways
    NodeContainer m_spokeHosts;         //!< hosts behind the spokes
    std::vector<Ptr<Socket>> m_senders; //!< one sending socket per spoke host
    Ptr<Socket> m_receiver;             //!< the hub host's socket
    std::vector<uint32_t> m_delivered;  //!< datagrams received per spoke (index k)
};

HubNetwork::HubNetwork(uint32_t spokes)
    : m_delivered(spokes + 1, 0)
{
    m_hubHost = CreateObject<Node>();
    m_hub = CreateObject<Node>();
    Ptr<Node> core = CreateObject<Node>();
    m_spokes.Create(spokes);
    m_spokeHosts.Create(spokes);
    InternetStackHelper internet;
    internet.Install(NodeContainer(m_hubHost, m_hub, core));
    internet.Install(m_spokes);
    internet.Install(m_spokeHosts);

    PointToPointHelper lan;
    lan.SetDeviceAttribute("DataRate", StringValue("100Mbps"));
    lan.SetChannelAttribute("Delay", StringValue("1ms"));
    PointToPointHelper wan;
    wan.SetDeviceAttribute("DataRate", StringValue("10Mbps"));
    wan.SetChannelAttribute("Delay", StringValue("5ms"));
    IpsecHelper ipsec;
    ipsec.SetStackAttribute("ModelledCrypto", BooleanValue(true));
    Ipv4StaticRoutingHelper routing;

    // The hub: LAN on interface 1, the IPsec WAN device on interface 2.
    Ipv4AddressHelper address("10.0.0.0", "255.255.255.0");
    address.Assign(lan.Install(m_hub, m_hubHost));
    NetDeviceContainer hubWanLower = wan.Install(m_hub, core);
    Ptr<NetDevice> hubWan = ipsec.InstallDevice(hubWanLower.Get(0));
    address.SetBase("192.0.2.0", "255.255.255.252");
    address.Assign(NetDeviceContainer(hubWan, hubWanLower.Get(1)));
    routing.GetStaticRouting(m_hubHost->GetObject<Ipv4>())
        ->SetDefaultRoute(Ipv4Address("10.0.0.1"), 1);
    routing.GetStaticRouting(m_hub->GetObject<Ipv4>())
        ->SetDefaultRoute(Ipv4Address("192.0.2.2"), 2);

    IsakmpPolicy policy(10);
    policy.SetEncryption("aes");
    policy.SetGroup(2);
    IpsecTransformSet transformSet = IpsecTransformSet::FromString("SET", "esp-aes esp-sha-hmac");
    HubIke()->AddPolicy(policy);
    HubIke()->AssignStreams(10);
    auto hubMap = Create<CryptoMap>("SPOKES");

    // Spoke k: WAN on interface 1, LAN on interface 2; its entry mirrors the hub's.
    for (uint32_t k = 1; k <= spokes; ++k)
    {
        Ptr<Node> spoke = m_spokes.Get(k - 1);
        Ptr<Node> host = m_spokeHosts.Get(k - 1);
        NetDeviceContainer spokeWanLower = wan.Install(spoke, core);
        Ptr<NetDevice> spokeWan = ipsec.InstallDevice(spokeWanLower.Get(0));
        address.SetBase(Ipv4Address(SpokeWan(k).Get() - 1), "255.255.255.252");
        address.Assign(NetDeviceContainer(spokeWan, spokeWanLower.Get(1)));
        std::string lanNetwork = "10.1." + std::to_string(k) + ".0";
        address.SetBase(lanNetwork.c_str(), "255.255.255.0");
        address.Assign(lan.Install(spoke, host));
        routing.GetStaticRouting(spoke->GetObject<Ipv4>())
            ->SetDefaultRoute(Ipv4Address(SpokeWan(k).Get() + 1), 1);
        routing.GetStaticRouting(host->GetObject<Ipv4>())
            ->SetDefaultRoute(Ipv4Address(Ipv4Address(lanNetwork.c_str()).Get() + 1), 1);

        auto hubList = Create<Ipv4AccessList>(std::to_string(100 + k));
        hubList->Add("permit ip 10.0.0.0 0.0.0.255 " + lanNetwork + " 0.0.0.255");
        auto hubEntry = Create<CryptoMapEntry>(10 * k, CryptoMapEntry::KeyManagement::ISAKMP);
        hubEntry->SetAccessList(hubList);
        hubEntry->AddPeer(SpokeWan(k));
        hubEntry->AddTransformSet(transformSet);
        hubMap->AddEntry(hubEntry);
        HubIke()->GetKeyTable().Add(KEY, SpokeWan(k));

        Ptr<IkeDaemon> spokeIke = SpokeIke(k);
        spokeIke->AddPolicy(policy);
        spokeIke->AssignStreams(20 + 10 * k);
        spokeIke->GetKeyTable().Add(KEY, HUB_WAN);
        auto spokeList = Create<Ipv4AccessList>("101");
        spokeList->Add("permit ip " + lanNetwork + " 0.0.0.255 10.0.0.0 0.0.0.255");
        auto spokeEntry = Create<CryptoMapEntry>(10, CryptoMapEntry::KeyManagement::ISAKMP);
        spokeEntry->SetAccessList(spokeList);
        spokeEntry->AddPeer(HUB_WAN);
        spokeEntry->AddTransformSet(transformSet);
        auto spokeMap = Create<CryptoMap>("HUB");
        spokeMap->AddEntry(spokeEntry);
        ipsec.ApplyCryptoMap(spokeWan, spokeMap);

        Ptr<Socket> sender = Socket::CreateSocket(host, UdpSocketFactory::GetTypeId());
        sender->Bind(InetSocketAddress(Ipv4Address::GetAny(), 5000));
        m_senders.push_back(sender);
    }
    ipsec.ApplyCryptoMap(hubWan, hubMap);

    m_receiver = Socket::CreateSocket(m_hubHost, UdpSocketFactory::GetTypeId());
    m_receiver->Bind(InetSocketAddress(Ipv4Address::GetAny(), PORT));
    m_receiver->SetRecvCallback(MakeCallback(&HubNetwork::Receive, this));
}

void
HubNetwork::Send(uint32_t k, uint32_t count, Time start, Time interval, uint32_t size)
{
    Ptr<Socket> socket = m_senders[k - 1];
    for (uint32_t i = 0; i < count; ++i)
    {
        Simulator::Schedule(start + interval * i, [socket, size]() {
            socket->SendTo(Create<Packet>(size), 0, InetSocketAddress(HUB_HOST, PORT));
        });
    }
}

void
HubNetwork::Receive(Ptr<Socket> socket)
{
    Address from;
    while (Ptr<Packet> packet = socket->RecvFrom(from))
    {
        // Host k is 10.1.k.2: the third byte of the source names the spoke.
        uint32_t k = (InetSocketAddress::ConvertFrom(from).GetIpv4().Get() >> 8) & 0xff;
        if (k < m_delivered.size())
        {
            ++m_delivered[k];
        }
    }
}

uint32_t
HubNetwork::Delivered(uint32_t k) const
{
    return m_delivered[k];
}

Ptr<IpsecStack>
HubNetwork::HubStack() const
{
    return m_hub->GetObject<IpsecStack>();
}

Ptr<IkeDaemon>
HubNetwork::HubIke() const
{
    return IpsecHelper::GetIkeDaemon(m_hub);
}

Ptr<IpsecStack>
HubNetwork::SpokeStack(uint32_t k) const
{
    return m_spokes.Get(k - 1)->GetObject<IpsecStack>();
}

Ptr<IkeDaemon>
HubNetwork::SpokeIke(uint32_t k) const
{
    return IpsecHelper::GetIkeDaemon(m_spokes.Get(k - 1));
}

Ipv4Address
HubNetwork::SpokeWan(uint32_t k)
{
    return Ipv4Address(Ipv4Address("172.16.0.0").Get() + 4 * k - 3);
}

/// Header line of `show crypto isakmp sa`.
const std::string SHOW_HEADER =
    "  f_vrf/i_vrf  dst          src          state          conn-id slot\n";

/// \return `show crypto isakmp sa` of an IKE daemon
std::string
ShowIsakmp(Ptr<IkeDaemon> daemon)
{
    std::ostringstream os;
    daemon->ShowCryptoIsakmpSa(os);
    return os.str();
}

/// Events recorded from the hub's traces.
struct HubRecord
{
    std::vector<Ipv4Address> rejectedPeers; //!< peer of each SA set the hub's engine rejected
    std::vector<Time> idleDeletions;        //!< when the hub deleted an SA by idle timer
    std::vector<Time> expiries;             //!< when the hub deleted an SA at its hard lifetime
    std::vector<Time> ikeDeletions;         //!< when the hub deleted an IKE SA
    std::vector<Ptr<const IpsecSecurityAssociation>> expired; //!< SAs of those expiries
    Time lastDecrypt; //!< when the hub last decrypted a packet
};

/// Records a capacity rejection.
void
RecordRejection(HubRecord* record, Ipv4Address peer, uint32_t, uint32_t)
{
    record->rejectedPeers.push_back(peer);
}

/// Records an SA deletion by reason.
void
RecordDeletion(HubRecord* record,
               Ptr<const IpsecSecurityAssociation> sa,
               IpsecSaDeleteReason reason)
{
    if (reason == IpsecSaDeleteReason::IDLE)
    {
        record->idleDeletions.push_back(Simulator::Now());
    }
    if (reason == IpsecSaDeleteReason::HARD_EXPIRED)
    {
        record->expiries.push_back(Simulator::Now());
        record->expired.push_back(sa);
    }
}

/// Records an IKE SA deletion.
void
RecordIkeState(HubRecord* record, Ptr<const IkeSa>, IkeSaState, IkeSaState, bool deleted)
{
    if (deleted)
    {
        record->ikeDeletions.push_back(Simulator::Now());
    }
}

/// Records a decrypted packet.
void
RecordDecrypt(HubRecord* record, Ptr<const Packet>, Ptr<const IpsecSecurityAssociation>)
{
    record->lastDecrypt = Simulator::Now();
}

/// Connects a record to the hub's traces.
void
Connect(HubNetwork& net, HubRecord& record)
{
    net.HubStack()->TraceConnectWithoutContext("SaCapacityRejected",
                                               MakeBoundCallback(&RecordRejection, &record));
    net.HubStack()->TraceConnectWithoutContext("SaDeleted",
                                               MakeBoundCallback(&RecordDeletion, &record));
    net.HubStack()->TraceConnectWithoutContext("Decrypt",
                                               MakeBoundCallback(&RecordDecrypt, &record));
    net.HubIke()->TraceConnectWithoutContext("StateChange",
                                             MakeBoundCallback(&RecordIkeState, &record));
}

/**
 * Datagrams lost while a spoke negotiates, when its host sends one every 10 ms: the datagram
 * crosses the spoke LAN (128 bytes at
 * 100 Mb/s, 10.24 us, plus 1 ms); then main mode and quick mode up to QM2 cross two WAN
 * hops each way. Frames carry UDP 8, IPv4 20 and PPP 2 bytes around the ISAKMP message
 * (sizes as in the IKE suite: 88, 88, 180, 180, 76, 76, 172, 172), so the eight messages
 * put 2 x (118 + 118 + 210 + 210 + 106 + 106 + 202 + 202) = 2544 bytes on 10 Mb/s links
 * (2.0352 ms) and wait 16 x 5 ms: QM2 reaches the spoke 82.0352 ms after the datagram
 * reached it. With packets every 10 ms from then on, packets 0 to 8 find no SA.
 */
constexpr uint32_t LOST_WHILE_NEGOTIATING = 9;

/**
 * \ingroup ipsec
 * Without an idle timer the hub, with room for two spokes' SAs (4), keeps the first two
 * spokes' sets for their whole lifetime, so the third spoke is rejected at every attempt.
 */
class CapacityWithoutIdleTestCase : public TestCase
{
  public:
    CapacityWithoutIdleTestCase()
        : TestCase("capacity rejects late spoke")
    {
    }

  private:
    void DoRun() override
    {
        HubNetwork net(3);
        net.HubStack()->GetCryptoEngine()->SetAttribute("SaCapacity", UintegerValue(4));
        HubRecord record;
        Connect(net, record);

        // Spokes 1 and 2 send one short burst each; spoke 3 starts after they went quiet.
        net.Send(1, 20, Seconds(1), MilliSeconds(10));
        net.Send(2, 20, Seconds(2), MilliSeconds(10));
        net.Send(3, 20, Seconds(100), MilliSeconds(10));
        Simulator::Stop(Seconds(200));
        Simulator::Run();

        NS_TEST_EXPECT_MSG_EQ(net.Delivered(1), 20 - LOST_WHILE_NEGOTIATING, "spoke 1 served");
        NS_TEST_EXPECT_MSG_EQ(net.Delivered(2), 20 - LOST_WHILE_NEGOTIATING, "spoke 2 served");
        NS_TEST_EXPECT_MSG_EQ(net.Delivered(3), 0u, "spoke 3 rejected");

        // Spoke 3's QM1 is rejected when it arrives. The spoke sends it five more times
        // (RetransmitLimit), which the hub takes as repeats of the exchange that failed and
        // drops, and then gives up; spoke 3's packets all came during that exchange.
        NS_TEST_EXPECT_MSG_EQ(record.rejectedPeers.size(), 1u, "one rejection");
        NS_TEST_EXPECT_MSG_EQ(net.SpokeIke(3)->GetRetransmissions(), 5u, "QM1 repeated");
        NS_TEST_EXPECT_MSG_EQ(net.SpokeIke(3)->GetFailureCount(IkeFailure::RETRANSMIT_LIMIT),
                              1u,
                              "spoke 3 gives up");
        NS_TEST_EXPECT_MSG_EQ(net.HubStack()->GetCapacityRejectedCount(),
                              record.rejectedPeers.size(),
                              "counter matches trace");
        uint32_t otherPeers = 0;
        for (const auto& peer : record.rejectedPeers)
        {
            otherPeers += peer == HubNetwork::SpokeWan(3) ? 0 : 1;
        }
        NS_TEST_EXPECT_MSG_EQ(otherPeers, 0u, "only spoke 3 rejected");
        NS_TEST_EXPECT_MSG_EQ(net.HubIke()->GetFailureCount(IkeFailure::ENGINE_FULL),
                              record.rejectedPeers.size(),
                              "IKE counts each rejection");
        NS_TEST_EXPECT_MSG_EQ(net.HubStack()->GetSadb()->GetSaCount(), 4u, "hub full");
        NS_TEST_EXPECT_MSG_EQ(record.idleDeletions.size(), 0u, "no idle deletion");
        Simulator::Destroy();
    }
};

/**
 * \ingroup ipsec
 * The same schedule with a 60 s idle time on the hub: the first two spokes' sets go 60 s
 * after their last packets, with their IKE SAs, and the third spoke is served.
 */
class CapacityWithIdleTestCase : public TestCase
{
  public:
    CapacityWithIdleTestCase()
        : TestCase("idle timer serves late spoke")
    {
    }

  private:
    void DoRun() override
    {
        HubNetwork net(3);
        net.HubStack()->GetCryptoEngine()->SetAttribute("SaCapacity", UintegerValue(4));
        NS_TEST_ASSERT_MSG_EQ(net.HubStack()->SetIdleTime(Seconds(60)), "", "60 s is valid");
        HubRecord record;
        Connect(net, record);
        net.Send(1, 20, Seconds(1), MilliSeconds(10));
        net.Send(2, 20, Seconds(2), MilliSeconds(10));
        net.Send(3, 20, Seconds(100), MilliSeconds(10));
        Simulator::Stop(Seconds(140));
        Simulator::Run();

        for (uint32_t k = 1; k <= 3; ++k)
        {
            NS_TEST_EXPECT_MSG_EQ(net.Delivered(k), 20 - LOST_WHILE_NEGOTIATING, "spoke " << k);
        }
        NS_TEST_EXPECT_MSG_EQ(record.rejectedPeers.size(), 0u, "no rejection");

        // Two SAs each for spokes 1 and 2, about 61 s and 62 s; spoke 3's set stays.
        NS_TEST_EXPECT_MSG_EQ(record.idleDeletions.size(), 4u, "spokes 1 and 2 idle");
        NS_TEST_EXPECT_MSG_EQ(record.ikeDeletions.size(), 2u, "their IKE SAs deleted");
        NS_TEST_EXPECT_MSG_EQ(net.HubStack()->GetSadb()->GetSaCount(), 2u, "spoke 3's SAs");
        for (uint32_t k = 1; k <= 2; ++k)
        {
            NS_TEST_EXPECT_MSG_EQ(net.SpokeStack(k)->GetSadb()->GetSaCount(),
                                  0u,
                                  "spoke " << k << " deleted its SAs on DELETE");
            NS_TEST_EXPECT_MSG_EQ(
                net.SpokeStack(k)->GetDeletedCount(IpsecSaDeleteReason::PEER_DELETE),
                2u,
                "spoke " << k << " by the hub's DELETE");
            NS_TEST_EXPECT_MSG_EQ((net.SpokeIke(k)->FindIkeSa(HUB_WAN, false) == nullptr),
                                  true,
                                  "spoke " << k << " IKE SA gone");
        }
        Simulator::Destroy();
    }
};

/**
 * \ingroup ipsec
 * With IKE-made SAs and a 60 s idle time on the hub: no deletion while a packet comes every
 * 20 s, then the IPsec SAs and the IKE SA go exactly 60 s after the last decrypted packet,
 * the spoke learns it from DELETE messages, and `show crypto isakmp sa` ends up empty.
 */
class IdleDeletesIkeSaTestCase : public TestCase
{
  public:
    IdleDeletesIkeSaTestCase()
        : TestCase("idle deletion takes IKE SA")
    {
    }

  private:
    void DoRun() override
    {
        HubNetwork net(1);
        net.HubStack()->SetIdleTime(Seconds(60));
        HubRecord record;
        Connect(net, record);
        uint64_t sentBefore = 0;
        std::string showAfterHold;

        // Two packets 10 ms apart start the tunnel; then one packet every 20 s to 181 s.
        net.Send(1, 10, Seconds(1), MilliSeconds(10));
        net.Send(1, 9, Seconds(21), Seconds(20));
        Simulator::Schedule(Seconds(200), [&]() {
            sentBefore = net.HubIke()->GetMessagesSent();
        });
        Simulator::Schedule(Seconds(260), [&]() {
            showAfterHold = ShowIsakmp(net.HubIke());
        });
        Simulator::Stop(Seconds(300));
        Simulator::Run();

        NS_TEST_EXPECT_MSG_EQ(net.Delivered(1), 10 - LOST_WHILE_NEGOTIATING + 9, "delivered");
        NS_TEST_EXPECT_MSG_EQ(net.SpokeIke(1)->GetQuickModesCompleted(), 1u, "one negotiation");
        NS_TEST_ASSERT_MSG_EQ(record.idleDeletions.size(), 2u, "both SAs deleted by idle");
        NS_TEST_EXPECT_MSG_EQ(record.idleDeletions[0],
                              record.lastDecrypt + Seconds(60),
                              "60 s after the last packet");
        NS_TEST_EXPECT_MSG_EQ(record.idleDeletions[1], record.idleDeletions[0], "set as a whole");
        NS_TEST_ASSERT_MSG_EQ(record.ikeDeletions.size(), 1u, "IKE SA deleted");
        NS_TEST_EXPECT_MSG_EQ(record.ikeDeletions[0], record.idleDeletions[0], "at the same time");

        // The hub sent two informational messages: DELETE for the ESP SA, DELETE for the
        // IKE SA; the spoke acted on both.
        NS_TEST_EXPECT_MSG_EQ(net.HubIke()->GetMessagesSent() - sentBefore, 2u, "two DELETEs");
        NS_TEST_EXPECT_MSG_EQ(net.SpokeStack(1)->GetDeletedCount(IpsecSaDeleteReason::PEER_DELETE),
                              2u,
                              "spoke's SAs deleted by DELETE");
        NS_TEST_EXPECT_MSG_EQ(net.SpokeStack(1)->GetSadb()->GetSaCount(), 0u, "spoke empty");
        NS_TEST_EXPECT_MSG_EQ((net.SpokeIke(1)->FindIkeSa(HUB_WAN, false) == nullptr),
                              true,
                              "spoke's IKE SA deleted");
        NS_TEST_EXPECT_MSG_EQ(net.HubStack()->GetSadb()->GetSaCount(), 0u, "hub empty");

        // The deleted row disappears after DeletedHoldTime (10 s).
        NS_TEST_EXPECT_MSG_EQ(showAfterHold, SHOW_HEADER, "show crypto isakmp sa empty");
        Simulator::Destroy();
    }
};

/**
 * \ingroup ipsec
 * A negotiated set with a 120 s lifetime: it carried traffic, so it is rekeyed at its soft
 * lifetime (30 s before), and it is deleted exactly 120 s after its first SA was made; the
 * new set carried nothing and is not rekeyed.
 */
class TimeLifetimeIkeTestCase : public TestCase
{
  public:
    TimeLifetimeIkeTestCase()
        : TestCase("time lifetime with IKE")
    {
    }

  private:
    void DoRun() override
    {
        HubNetwork net(1);
        for (Ptr<IpsecStack> stack : {net.HubStack(), net.SpokeStack(1)})
        {
            stack->SetLifetime(Seconds(120));
        }
        HubRecord record;
        Connect(net, record);
        std::vector<Time> created;
        net.HubStack()->GetSadb()->TraceConnectWithoutContext(
            "SaAdded",
            MakeCallback(+[](std::vector<Time>* times, Ptr<const IpsecSecurityAssociation>) {
                times->push_back(Simulator::Now());
            }).Bind(&created));
        net.Send(1, 10, Seconds(1), MilliSeconds(10));
        uint64_t quickModesAt150 = 0;
        Simulator::Schedule(Seconds(150), [&]() {
            quickModesAt150 = net.SpokeIke(1)->GetQuickModesCompleted();
        });
        Simulator::Stop(Seconds(400));
        Simulator::Run();

        // The hub's first SA is its inbound SA, made when QM1 arrived; the set it heads
        // expires 120 s later, outbound SA included.
        NS_TEST_ASSERT_MSG_GT_OR_EQ(created.size(), 1u, "SAs made");
        NS_TEST_ASSERT_MSG_EQ(record.expiries.size(), 4u, "first set and one rekeyed set");
        NS_TEST_EXPECT_MSG_EQ(record.expiries[0], created[0] + Seconds(120), "first set");
        NS_TEST_EXPECT_MSG_EQ(record.expiries[1], created[0] + Seconds(120), "as a whole");
        NS_TEST_EXPECT_MSG_EQ(record.expired[2]->GetCreationTime() + Seconds(120),
                              record.expiries[2],
                              "rekeyed set at its own lifetime");

        // Both peers rekey the used set at their soft lifetime; the new sets carry nothing,
        // so neither is rekeyed again.
        NS_TEST_EXPECT_MSG_EQ(quickModesAt150, 3u, "spoke: first set and two rekeys");
        NS_TEST_EXPECT_MSG_EQ(net.SpokeIke(1)->GetQuickModesCompleted(),
                              quickModesAt150,
                              "unused sets not rekeyed");
        NS_TEST_EXPECT_MSG_EQ(net.HubStack()->GetSoftExpiredCount(), 1u, "used set reported");
        Simulator::Destroy();
    }
};

/**
 * \ingroup ipsec
 * A volume lifetime of 2560 KB under continuous traffic: the new set is negotiated at the
 * soft volume (90 %) and no packet after the first negotiation is lost.
 */
class VolumeRekeyTestCase : public TestCase
{
  public:
    VolumeRekeyTestCase()
        : TestCase("volume rekey loses no packet")
    {
    }

  private:
    void DoRun() override
    {
        HubNetwork net(1);
        for (Ptr<IpsecStack> stack : {net.HubStack(), net.SpokeStack(1)})
        {
            stack->SetLifetimeKilobytes(2560);
        }
        net.HubStack()->GetCryptoEngine()->SetAttribute("SaCapacity", UintegerValue(4));
        HubRecord record;
        Connect(net, record);
        net.Send(1, 3000, Seconds(1), MilliSeconds(2), 1000);
        Simulator::Stop(Seconds(10));
        Simulator::Run();

        NS_TEST_EXPECT_MSG_EQ(record.rejectedPeers.size(), 0u, "room for the rekey");
        NS_TEST_EXPECT_MSG_EQ(net.SpokeIke(1)->GetQuickModesCompleted(), 2u, "one rekey");

        // QM2 reaches the spoke 82.0352 ms after the first datagram (see
        // LOST_WHILE_NEGOTIATING); at one datagram every 2 ms, datagrams 0 to 41 find no SA.
        NS_TEST_EXPECT_MSG_EQ(net.Delivered(1), 3000u - 42u, "no loss after the first set");
        Simulator::Destroy();
    }
};

/**
 * \ingroup ipsec
 * Idle timers and SA capacity with IKE on a hub with spokes.
 */
class IpsecIdleCapacityTestSuite : public TestSuite
{
  public:
    IpsecIdleCapacityTestSuite()
        : TestSuite("ipsec-idle-capacity", UNIT)
    {
        AddTestCase(new CapacityWithoutIdleTestCase, TestCase::QUICK);
        AddTestCase(new CapacityWithIdleTestCase, TestCase::QUICK);
        AddTestCase(new IdleDeletesIkeSaTestCase, TestCase::QUICK);
        AddTestCase(new TimeLifetimeIkeTestCase, TestCase::QUICK);
        AddTestCase(new VolumeRekeyTestCase, TestCase::QUICK);
    }
};

/// Registers the suite.
static IpsecIdleCapacityTestSuite g_ipsecIdleCapacityTestSuite;

} // namespace
} // namespace ns3
