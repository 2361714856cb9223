// Copyright (c) 2026 The ns3-ipsec authors
// SPDX-License-Identifier: GPL-2.0-only

// Tests of low latency queueing: class map parsing and matching, policy map validation,
// and the PolicyMapQueueDisc scheduler (strict priority, conditional policer, CBWFQ
// shares, fair-queue in class-default), standalone and as a device's root queue disc.
//
// The scheduler tests drive the queue disc standalone. Sources enqueue packets of 1000
// bytes (20-byte IPv4 header and 980 bytes of payload) at a fixed rate. A "link" dequeues
// one packet and stays busy for size * 8 / rate seconds, so a 1000-byte packet takes 8 ms
// at 1 Mb/s. Shares are then ratios of transmitted bytes.

#include "ns3/class-map.h"
#include "ns3/data-rate.h"
#include "ns3/internet-stack-helper.h"
#include "ns3/ipsec-crypto-engine.h"
#include "ns3/ipv4-access-list.h"
#include "ns3/ipv4-address-helper.h"
#include "ns3/ipv4-queue-disc-item.h"
#include "ns3/point-to-point-helper.h"
#include "ns3/policy-map-queue-disc.h"
#include "ns3/policy-map.h"
#include "ns3/simulator.h"
#include "ns3/socket.h"
#include "ns3/string.h"
#include "ns3/test.h"
#include "ns3/traffic-control-helper.h"
#include "ns3/udp-socket-factory.h"

#include <algorithm>
#include <cmath>
#include <sstream>
#include <string>
#include <vector>

using namespace ns3;

namespace
{

constexpr uint8_t TCP = 6;             //!< TCP protocol number
constexpr uint8_t UDP = 17;            //!< UDP protocol number
constexpr uint8_t EF = 46;             //!< DSCP EF
constexpr uint32_t PACKET_SIZE = 1000; //!< size of every test packet with its IPv4 header

/**
 * Builds a flow tuple.
 * \param protocol IP protocol number
 * \param destinationPort destination port
 * \param dscp DSCP
 * \return the tuple, from 10.0.0.1 port 1000 to 10.0.0.2
 */
Ipv4FlowTuple
MakeTuple(uint8_t protocol, uint16_t destinationPort, uint8_t dscp)
{
    Ipv4FlowTuple tuple;
    tuple.source = Ipv4Address("10.0.0.1");
    tuple.destination = Ipv4Address("10.0.0.2");
    tuple.protocol = protocol;
    tuple.sourcePort = 1000;
    tuple.destinationPort = destinationPort;
    tuple.hasPorts = true;
    tuple.dscp = dscp;
    return tuple;
}

/**
 * Builds a queued IPv4 packet of PACKET_SIZE bytes.
 * \param protocol IP protocol number
 * \param sourcePort source port
 * \param destinationPort destination port
 * \param dscp DSCP
 * \return the item
 */
Ptr<Ipv4QueueDiscItem>
MakeItem(uint8_t protocol, uint16_t sourcePort, uint16_t destinationPort, uint8_t dscp)
{
    std::vector<uint8_t> payload(PACKET_SIZE - 20, 0);
    payload[0] = static_cast<uint8_t>(sourcePort >> 8);
    payload[1] = static_cast<uint8_t>(sourcePort);
    payload[2] = static_cast<uint8_t>(destinationPort >> 8);
    payload[3] = static_cast<uint8_t>(destinationPort);
    Ptr<Packet> packet = Create<Packet>(payload.data(), payload.size());

    Ipv4Header header;
    header.SetSource(Ipv4Address("10.0.0.1"));
    header.SetDestination(Ipv4Address("10.0.0.2"));
    header.SetProtocol(protocol);
    header.SetTos(static_cast<uint8_t>(dscp << 2));
    header.SetPayloadSize(payload.size());
    header.SetTtl(64);
    return Create<Ipv4QueueDiscItem>(packet, Address(), 0x0800, header);
}

/**
 * Checks that a value lies within a relative tolerance of its expectation.
 * \param actual measured value
 * \param expected expected value
 * \param tolerance relative tolerance, e.g. 0.05
 * \return true if |actual - expected| <= tolerance * expected
 */
bool
IsWithin(double actual, double expected, double tolerance)
{
    return std::abs(actual - expected) <= tolerance * expected;
}

/**
 * A fixed-rate link that dequeues from a standalone queue disc, and constant-rate
 * sources that enqueue into it.
 */
class LinkHarness
{
  public:
    /**
     * Creates the harness.
     * \param queueDisc an initialized queue disc
     * \param linkRate the link rate
     */
    LinkHarness(Ptr<PolicyMapQueueDisc> queueDisc, DataRate linkRate)
        : m_queueDisc(queueDisc),
          m_linkRate(linkRate)
    {
    }

    /**
     * Adds a constant-rate source of PACKET_SIZE packets from time 0 until stop.
     * \param protocol IP protocol number
     * \param sourcePort source port
     * \param destinationPort destination port
     * \param dscp DSCP
     * \param rate offered rate
     * \param stop time of the last packet (exclusive)
     */
    void AddSource(uint8_t protocol,
                   uint16_t sourcePort,
                   uint16_t destinationPort,
                   uint8_t dscp,
                   DataRate rate,
                   Time stop)
    {
        Time interval = rate.CalculateBytesTxTime(PACKET_SIZE);
        Simulator::Schedule(Seconds(0),
                            &LinkHarness::Generate,
                            this,
                            protocol,
                            sourcePort,
                            destinationPort,
                            dscp,
                            interval,
                            stop);
    }

  private:
    /**
     * Enqueues one packet and schedules the next.
     * \param protocol IP protocol number
     * \param sourcePort source port
     * \param destinationPort destination port
     * \param dscp DSCP
     * \param interval time between packets
     * \param stop time of the last packet (exclusive)
     */
    void Generate(uint8_t protocol,
                  uint16_t sourcePort,
                  uint16_t destinationPort,
                  uint8_t dscp,
                  Time interval,
                  Time stop)
    {
        if (Simulator::Now() >= stop)
        {
            return;
        }
        m_queueDisc->Enqueue(MakeItem(protocol, sourcePort, destinationPort, dscp));
        if (!m_busy)
        {
            Transmit();
        }
        Simulator::Schedule(interval,
                            &LinkHarness::Generate,
                            this,
                            protocol,
                            sourcePort,
                            destinationPort,
                            dscp,
                            interval,
                            stop);
    }

    /// Dequeues one packet and stays busy for its transmission time.
    void Transmit()
    {
        Ptr<QueueDiscItem> item = m_queueDisc->Dequeue();
        m_busy = item != nullptr;
        if (item)
        {
            Simulator::Schedule(m_linkRate.CalculateBytesTxTime(item->GetSize()),
                                &LinkHarness::Transmit,
                                this);
        }
    }

    Ptr<PolicyMapQueueDisc> m_queueDisc; //!< queue disc under test
    DataRate m_linkRate;                 //!< link rate
    bool m_busy{false};                  //!< a packet is being transmitted
};

/**
 * Builds a queue disc for a policy and initializes it for standalone use.
 * \param policy the policy
 * \param linkRate the LinkRate attribute
 * \return the queue disc
 */
Ptr<PolicyMapQueueDisc>
MakeQueueDisc(Ptr<PolicyMap> policy, DataRate linkRate)
{
    Ptr<PolicyMapQueueDisc> queueDisc = CreateObject<PolicyMapQueueDisc>();
    queueDisc->SetAttribute("LinkRate", DataRateValue(linkRate));
    queueDisc->SetPolicyMap(policy);
    queueDisc->Initialize();
    return queueDisc;
}

/**
 * Builds a class map that matches one UDP destination port.
 * \param name the class name
 * \param port the destination port
 * \return the class map
 */
Ptr<ClassMap>
MakePortClass(const std::string& name, uint16_t port)
{
    Ptr<Ipv4AccessList> accessList = Create<Ipv4AccessList>(name + "-acl");
    accessList->Add("permit udp any any eq " + std::to_string(port));
    Ptr<ClassMap> classMap = Create<ClassMap>(name);
    classMap->AddAccessGroup(accessList);
    return classMap;
}

} // namespace

/**
 * \ingroup ipsec
 * Class map header and match statement errors, and DSCP names.
 */
class ClassMapParseTestCase : public TestCase
{
  public:
    ClassMapParseTestCase()
        : TestCase("class map parsing and errors")
    {
    }

  private:
    void DoRun() override
    {
        std::string error;
        Ptr<ClassMap> voice = ClassMap::Parse("class-map match-any voice", error);
        NS_TEST_ASSERT_MSG_NE(voice, nullptr, error);
        NS_TEST_EXPECT_MSG_EQ(voice->GetName(), "voice", "name");
        NS_TEST_EXPECT_MSG_EQ(voice->GetMatchModeName(), "match-any", "mode");
        Ptr<ClassMap> data = ClassMap::Parse("class-map data", error);
        NS_TEST_ASSERT_MSG_NE(data, nullptr, error);
        NS_TEST_EXPECT_MSG_EQ(data->GetMatchModeName(), "match-all", "IOS default mode");
        NS_TEST_EXPECT_MSG_EQ(ClassMap::Parse("class-map", error), nullptr, "missing name");
        NS_TEST_EXPECT_MSG_NE(error.find("missing class map name"), std::string::npos, error);
        NS_TEST_EXPECT_MSG_EQ(ClassMap::Parse("class-map match-some x", error),
                              nullptr,
                              "unknown mode leaves an extra word");
        NS_TEST_EXPECT_MSG_NE(error.find("\"x\""), std::string::npos, error);
        NS_TEST_EXPECT_MSG_EQ(ClassMap::Parse("class-map class-default", error),
                              nullptr,
                              "reserved name");

        // DSCP names: EF 46, AF41 = 8*4 + 2*1 = 34, CS5 = 5 << 3 = 40, default 0.
        uint8_t value = 99;
        NS_TEST_EXPECT_MSG_EQ(ClassMap::ParseDscp("ef", value), true, "ef");
        NS_TEST_EXPECT_MSG_EQ(+value, 46, "ef value");
        NS_TEST_EXPECT_MSG_EQ(ClassMap::ParseDscp("af41", value), true, "af41");
        NS_TEST_EXPECT_MSG_EQ(+value, 34, "af41 value");
        NS_TEST_EXPECT_MSG_EQ(ClassMap::ParseDscp("cs5", value), true, "cs5");
        NS_TEST_EXPECT_MSG_EQ(+value, 40, "cs5 value");
        NS_TEST_EXPECT_MSG_EQ(ClassMap::ParseDscp("default", value), true, "default");
        NS_TEST_EXPECT_MSG_EQ(+value, 0, "default value");
        NS_TEST_EXPECT_MSG_EQ(ClassMap::ParseDscp("af44", value), false, "af44");
        NS_TEST_EXPECT_MSG_EQ(ClassMap::ParseDscp("64", value), false, "64");

        // Each invalid statement names the bad word and leaves the class map unchanged.
        ClassMap::AccessListTable lists;
        lists["102"] = Create<Ipv4AccessList>("102");

        struct BadLine
        {
            const char* line; //!< statement
            const char* word; //!< text the error must contain
        };

        const BadLine badLines[] = {
            {"match dscp foo", "\"foo\""},
            {"match dscp 64", "\"64\""},
            {"match precedence 8", "\"8\""},
            {"match protocol gre", "\"gre\""},
            {"match protocol", "missing protocol"},
            {"match access-group 103", "\"103\" not found"},
            {"match access-group name", "missing access list"},
            {"match cos 5", "\"cos\""},
            {"match", "missing match criterion"},
            {"dscp ef", "expected \"match\""},
            {"match input-interface", "missing interface name"},
            {"match any thing", "\"thing\""},
            {"match precedence 1 2 3 4 5", "at most 4"},
        };
        for (const BadLine& bad : badLines)
        {
            std::string reason = data->AddMatch(bad.line, lists);
            NS_TEST_EXPECT_MSG_NE(reason.find(bad.word),
                                  std::string::npos,
                                  bad.line << ": " << reason);
            NS_TEST_EXPECT_MSG_EQ(reason.find('\n'), std::string::npos, "one-line error");
        }
        NS_TEST_EXPECT_MSG_EQ(data->GetStatements().size(), 0, "errors change nothing");

        NS_TEST_EXPECT_MSG_EQ(data->AddMatch("match access-group 102", lists), "", "numbered");
        NS_TEST_EXPECT_MSG_EQ(data->AddMatch("match access-group name 102", lists), "", "named");
        NS_TEST_EXPECT_MSG_EQ(data->AddMatch("match dscp ef af41 cs5 0", lists), "", "dscp");
        NS_TEST_EXPECT_MSG_EQ(data->AddMatch("match protocol 47", lists), "", "number");
        NS_TEST_EXPECT_MSG_EQ(data->GetStatements().size(), 4, "four statements");
    }
};

/**
 * \ingroup ipsec
 * match-all needs every statement and match-any one. Each criterion is checked.
 */
class ClassMapMatchTestCase : public TestCase
{
  public:
    ClassMapMatchTestCase()
        : TestCase("class map match-all and match-any")
    {
    }

  private:
    void DoRun() override
    {
        ClassMap::AccessListTable lists;
        lists["voice"] = Create<Ipv4AccessList>("voice");
        lists["voice"]->Add("permit udp host 10.0.0.1 any range 16384 20000");

        Ptr<ClassMap> all = Create<ClassMap>("all", ClassMap::MatchMode::MATCH_ALL);
        NS_TEST_ASSERT_MSG_EQ(all->AddMatch("match protocol udp"), "", "protocol");
        NS_TEST_ASSERT_MSG_EQ(all->AddMatch("match dscp ef"), "", "dscp");
        Ptr<ClassMap> any = Create<ClassMap>("any", ClassMap::MatchMode::MATCH_ANY);
        NS_TEST_ASSERT_MSG_EQ(any->AddMatch("match protocol udp"), "", "protocol");
        NS_TEST_ASSERT_MSG_EQ(any->AddMatch("match dscp ef"), "", "dscp");

        NS_TEST_EXPECT_MSG_EQ(all->Match(MakeTuple(UDP, 9, EF), ""), true, "all: udp+ef");
        NS_TEST_EXPECT_MSG_EQ(all->Match(MakeTuple(UDP, 9, 0), ""), false, "all: udp only");
        NS_TEST_EXPECT_MSG_EQ(all->Match(MakeTuple(TCP, 9, EF), ""), false, "all: ef only");
        NS_TEST_EXPECT_MSG_EQ(any->Match(MakeTuple(UDP, 9, 0), ""), true, "any: udp only");
        NS_TEST_EXPECT_MSG_EQ(any->Match(MakeTuple(TCP, 9, EF), ""), true, "any: ef only");
        NS_TEST_EXPECT_MSG_EQ(any->Match(MakeTuple(TCP, 9, 0), ""), false, "any: neither");

        // EF (46) has precedence 46 >> 3 = 5.
        Ptr<ClassMap> precedence = Create<ClassMap>("precedence");
        NS_TEST_ASSERT_MSG_EQ(precedence->AddMatch("match precedence 5"), "", "precedence");
        NS_TEST_EXPECT_MSG_EQ(precedence->Match(MakeTuple(TCP, 9, EF), ""), true, "prec 5");
        NS_TEST_EXPECT_MSG_EQ(precedence->Match(MakeTuple(TCP, 9, 34), ""), false, "prec 4");

        Ptr<ClassMap> acl = Create<ClassMap>("acl");
        NS_TEST_ASSERT_MSG_EQ(acl->AddMatch("match access-group name voice", lists), "", "acl");
        NS_TEST_ASSERT_MSG_EQ(acl->AddMatch("match input-interface Tunnel0"), "", "interface");
        NS_TEST_EXPECT_MSG_EQ(acl->Match(MakeTuple(UDP, 16384, 0), "Tunnel0"), true, "both");
        NS_TEST_EXPECT_MSG_EQ(acl->Match(MakeTuple(UDP, 16384, 0), "Tunnel1"), false, "iface");
        NS_TEST_EXPECT_MSG_EQ(acl->Match(MakeTuple(UDP, 20001, 0), "Tunnel0"), false, "port");

        Ptr<ClassMap> empty = Create<ClassMap>("empty");
        NS_TEST_EXPECT_MSG_EQ(empty->Match(MakeTuple(UDP, 9, 0), ""), false, "no statements");
    }
};

/**
 * \ingroup ipsec
 * Policy map errors: unknown class, bandwidth styles, percent total, class count, and the
 * rate warning.
 */
class PolicyMapValidationTestCase : public TestCase
{
  public:
    PolicyMapValidationTestCase()
        : TestCase("policy map validation")
    {
    }

  private:
    void DoRun() override
    {
        PolicyMap::ClassMapTable classMaps;
        classMaps["voice"] = Create<ClassMap>("voice");
        classMaps["video"] = Create<ClassMap>("video");
        classMaps["data"] = Create<ClassMap>("data");

        Ptr<PolicyMap> policy = Create<PolicyMap>("policy1");
        NS_TEST_EXPECT_MSG_NE(policy->AddClass("bar", classMaps).find("not found"),
                              std::string::npos,
                              "unknown class");
        NS_TEST_ASSERT_MSG_EQ(policy->AddClass("voice", classMaps), "", "voice");
        NS_TEST_ASSERT_MSG_EQ(policy->AddClass("video", classMaps), "", "video");
        NS_TEST_ASSERT_MSG_EQ(policy->AddClass("data", classMaps), "", "data");
        NS_TEST_EXPECT_MSG_NE(policy->AddClass("data", classMaps), "", "duplicate class");
        NS_TEST_EXPECT_MSG_EQ(policy->AddClass("class-default", classMaps), "", "default");
        NS_TEST_EXPECT_MSG_EQ(policy->GetClasses().size(), 4, "three classes and default");
        NS_TEST_EXPECT_MSG_EQ(policy->GetClasses().back().name, "class-default", "last");
        NS_TEST_EXPECT_MSG_NE(policy->ConfigureClass("bar", "bandwidth 20"), "", "no class");

        NS_TEST_EXPECT_MSG_EQ(policy->ConfigureClass("voice", "priority 50"), "", "priority");
        NS_TEST_EXPECT_MSG_EQ(policy->ConfigureClass("video", "bandwidth percent 60"), "", "%");

        // Mixing kbps with percent is rejected in both orders, and changes nothing.
        std::string mixed = policy->ConfigureClass("data", "bandwidth 20");
        NS_TEST_EXPECT_MSG_NE(mixed.find("style"), std::string::npos, mixed);
        NS_TEST_EXPECT_MSG_EQ((policy->GetClasses()[2].action == PolicyMap::Action::NONE),
                              true,
                              "rejected command changes nothing");
        NS_TEST_EXPECT_MSG_NE(policy->ConfigureClass("class-default", "bandwidth 20"),
                              "",
                              "kbps after percent");

        // 60 % + 50 % = 110 % is more than 100 %, but 60 % + 40 % = 100 % is allowed.
        std::string over = policy->ConfigureClass("data", "bandwidth percent 50");
        NS_TEST_EXPECT_MSG_NE(over.find("110"), std::string::npos, over);
        NS_TEST_EXPECT_MSG_EQ(policy->ConfigureClass("data", "bandwidth percent 40"), "", "100%");

        NS_TEST_EXPECT_MSG_NE(policy->ConfigureClass("voice", "bandwidth percent 1"),
                              "",
                              "priority and bandwidth in one class");
        NS_TEST_EXPECT_MSG_NE(policy->ConfigureClass("class-default", "priority 10"),
                              "",
                              "priority in class-default");
        NS_TEST_EXPECT_MSG_NE(policy->ConfigureClass("data", "fair-queue"),
                              "",
                              "fair-queue outside class-default");
        NS_TEST_EXPECT_MSG_NE(policy->ConfigureClass("class-default", "fair-queue 20"),
                              "",
                              "20 is not a power of two");
        NS_TEST_EXPECT_MSG_EQ(policy->ConfigureClass("class-default", "fair-queue 64"), "", "fq");
        NS_TEST_EXPECT_MSG_EQ(policy->GetClasses()[3].dynamicQueues, 64, "dynamic queues");
        NS_TEST_EXPECT_MSG_NE(policy->ConfigureClass("data", "queue-limit 0"), "", "limit 0");
        NS_TEST_EXPECT_MSG_EQ(policy->ConfigureClass("data", "queue-limit 10"), "", "limit");
        NS_TEST_EXPECT_MSG_NE(policy->ConfigureClass("data", "shape average 1000"),
                              "",
                              "unknown command");
        NS_TEST_EXPECT_MSG_EQ(policy->Validate(), "", "valid policy");

        // Guarantees: 50 kbps priority + 100 % of the rate. At 1000 kb/s that is 1050 kb/s.
        std::string warning = policy->CheckRate(1000000);
        NS_TEST_EXPECT_MSG_NE(warning.find("1050 kbps"), std::string::npos, warning);

        // A kbps policy of 50 + 20 = 70 kb/s fits 100 kb/s and exceeds 64 kb/s.
        Ptr<PolicyMap> small = Create<PolicyMap>("small");
        small->AddClass(classMaps["voice"]);
        small->AddClass(classMaps["data"]);
        small->ConfigureClass("voice", "priority 50");
        small->ConfigureClass("data", "bandwidth 20");
        NS_TEST_EXPECT_MSG_EQ(small->CheckRate(100000), "", "fits");
        NS_TEST_EXPECT_MSG_NE(small->CheckRate(64000), "", "exceeds");

        // 63 classes plus class-default make 64; the next class is rejected.
        Ptr<PolicyMap> big = Create<PolicyMap>("big");
        for (int i = 0; i < 63; ++i)
        {
            big->AddClass(Create<ClassMap>("c" + std::to_string(i)));
        }
        NS_TEST_EXPECT_MSG_EQ(big->GetClasses().size(), 64, "64 classes");
        std::string tooMany = big->AddClass(Create<ClassMap>("c63"));
        NS_TEST_EXPECT_MSG_NE(tooMany.find("too many"), std::string::npos, tooMany);
    }
};

/**
 * \ingroup ipsec
 * Priority packets leave first, and the policer drops beyond the burst only under
 * congestion.
 */
class StrictPriorityTestCase : public TestCase
{
  public:
    StrictPriorityTestCase()
        : TestCase("strict priority served first")
    {
    }

  private:
    /**
     * Records a dequeue.
     * \param className the class
     * \param item the packet
     */
    void Dequeued(const std::string& className, Ptr<const QueueDiscItem> item)
    {
        m_order.push_back(className);
    }

    /**
     * Records a drop.
     * \param className the class
     * \param item the packet
     * \param reason the reason
     */
    void Dropped(const std::string& className, Ptr<const QueueDiscItem> item, const char* reason)
    {
        m_drops.push_back(className + ":" + reason);
    }

    void DoRun() override
    {
        Ptr<PolicyMap> policy = Create<PolicyMap>("llq");
        policy->AddClass(MakePortClass("voice", 5000));
        NS_TEST_ASSERT_MSG_EQ(policy->ConfigureClass("voice", "priority 1000"), "", "priority");
        Ptr<PolicyMapQueueDisc> queueDisc = MakeQueueDisc(policy, DataRate("2Mbps"));
        queueDisc->TraceConnectWithoutContext(
            "ClassDequeue",
            MakeCallback(&StrictPriorityTestCase::Dequeued, this));
        queueDisc->TraceConnectWithoutContext("ClassDrop",
                                              MakeCallback(&StrictPriorityTestCase::Dropped, this));

        // 5 data packets arrive before 30 voice packets, all at time 0. The bucket contains
        // 200 ms of 1000 kb/s = 25000 bytes = 25 packets, so 25 voice packets leave first.
        // The other 5 exceed it while data waits, so they are dropped. Then data leaves.
        for (int i = 0; i < 5; ++i)
        {
            queueDisc->Enqueue(MakeItem(UDP, 1000, 9, 0));
        }
        for (int i = 0; i < 30; ++i)
        {
            queueDisc->Enqueue(MakeItem(UDP, 1000, 5000, 0));
        }
        while (queueDisc->Dequeue())
        {
        }
        std::vector<std::string> expected(25, "voice");
        expected.insert(expected.end(), 5, "class-default");
        NS_TEST_EXPECT_MSG_EQ(m_order.size(), expected.size(), "packets dequeued");
        for (std::size_t i = 0; i < std::min(expected.size(), m_order.size()); ++i)
        {
            NS_TEST_EXPECT_MSG_EQ(m_order[i], expected[i], "dequeue " << i);
        }
        NS_TEST_EXPECT_MSG_EQ(m_drops.size(), 5, "policed packets");
        NS_TEST_EXPECT_MSG_EQ((m_drops.empty() ? "" : m_drops[0]),
                              "voice:Priority rate exceeded",
                              "drop reason");

        PolicyMapQueueDisc::ClassStats voice = queueDisc->GetClassStats("voice");
        NS_TEST_EXPECT_MSG_EQ(voice.matchedPackets, 30, "matched");
        NS_TEST_EXPECT_MSG_EQ(voice.transmittedPackets, 25, "transmitted");
        NS_TEST_EXPECT_MSG_EQ(voice.transmittedBytes, 25000, "transmitted bytes");
        NS_TEST_EXPECT_MSG_EQ(voice.policerDrops, 5, "policer drops");
        NS_TEST_EXPECT_MSG_EQ(queueDisc->GetStats().nTotalDroppedPackets, 5, "queue disc drops");

        // Without other traffic the bucket (now empty) does not limit voice: 30 more leave.
        m_order.clear();
        for (int i = 0; i < 30; ++i)
        {
            queueDisc->Enqueue(MakeItem(UDP, 1000, 5000, 0));
        }
        while (queueDisc->Dequeue())
        {
        }
        NS_TEST_EXPECT_MSG_EQ(m_order.size(), 30, "no policing without congestion");
        NS_TEST_EXPECT_MSG_EQ(m_drops.size(), 5, "no new drops");

        std::ostringstream show;
        queueDisc->Show(show);
        NS_TEST_EXPECT_MSG_NE(show.str().find("Class-map: voice (match-all)"),
                              std::string::npos,
                              show.str());
        NS_TEST_EXPECT_MSG_NE(show.str().find("Bandwidth 1000 (kbps) Burst 25000 (Bytes)"),
                              std::string::npos,
                              show.str());
        NS_TEST_EXPECT_MSG_NE(show.str().find("(total drops/bytes drops) 5/5000"),
                              std::string::npos,
                              show.str());
        queueDisc->Dispose();
        Simulator::Destroy();
    }

    std::vector<std::string> m_order; //!< class of each dequeued packet
    std::vector<std::string> m_drops; //!< class and reason of each drop
};

/**
 * \ingroup ipsec
 * The priority class is held to its rate under congestion and not when the link is idle.
 */
class PriorityPolicerTestCase : public TestCase
{
  public:
    PriorityPolicerTestCase()
        : TestCase("priority policed only under congestion")
    {
    }

  private:
    /**
     * Runs voice at 1 Mb/s, with or without saturating data, on a 2 Mb/s link for 10 s.
     * \param withData true to add 2 Mb/s of class-default traffic
     * \return the voice counters
     */
    PolicyMapQueueDisc::ClassStats RunVoice(bool withData)
    {
        Ptr<PolicyMap> policy = Create<PolicyMap>("llq");
        policy->AddClass(MakePortClass("voice", 5000));
        policy->ConfigureClass("voice", "priority 500");
        Ptr<PolicyMapQueueDisc> queueDisc = MakeQueueDisc(policy, DataRate("2Mbps"));
        LinkHarness link(queueDisc, DataRate("2Mbps"));
        link.AddSource(UDP, 1000, 5000, 0, DataRate("1Mbps"), Seconds(10));
        if (withData)
        {
            link.AddSource(UDP, 1000, 9, 0, DataRate("2Mbps"), Seconds(10));
        }
        Simulator::Stop(Seconds(12));
        Simulator::Run();
        PolicyMapQueueDisc::ClassStats stats = queueDisc->GetClassStats("voice");
        queueDisc->Dispose();
        Simulator::Destroy();
        return stats;
    }

    void DoRun() override
    {
        // Voice offers 1000 bytes every 8 ms for 10 s: 1250 packets.
        PolicyMapQueueDisc::ClassStats idle = RunVoice(false);
        NS_TEST_EXPECT_MSG_EQ(idle.matchedPackets, 1250, "offered");
        NS_TEST_EXPECT_MSG_EQ(idle.transmittedPackets, 1250, "idle capacity: not policed");
        NS_TEST_EXPECT_MSG_EQ(idle.drops, 0, "no drops");

        // Data keeps the link congested, so voice gets its 500 kb/s for 10 s (625000 bytes)
        // plus the initial 200 ms burst (12500 bytes): 637.5 packets, within 2 %.
        PolicyMapQueueDisc::ClassStats congested = RunVoice(true);
        NS_TEST_EXPECT_MSG_EQ(congested.matchedPackets, 1250, "offered");
        NS_TEST_EXPECT_MSG_EQ(IsWithin(congested.transmittedPackets, 637.5, 0.02),
                              true,
                              "policed to 500 kb/s: " << congested.transmittedPackets);
        NS_TEST_EXPECT_MSG_EQ(congested.policerDrops + congested.transmittedPackets,
                              1250,
                              "every voice packet is sent or policed");
    }
};

/**
 * \ingroup ipsec
 * Saturated bandwidth classes share the link in proportion to their bandwidth.
 */
class BandwidthShareTestCase : public TestCase
{
  public:
    BandwidthShareTestCase()
        : TestCase("bandwidth shares in proportion")
    {
    }

  private:
    /**
     * Runs three saturated classes on a 3 Mb/s link for 10 s.
     * \param policy the policy (classes a, b and class-default)
     * \param[out] bytes transmitted bytes of a, b and class-default
     */
    void RunShares(Ptr<PolicyMap> policy, std::vector<double>& bytes)
    {
        Ptr<PolicyMapQueueDisc> queueDisc = MakeQueueDisc(policy, DataRate("3Mbps"));
        LinkHarness link(queueDisc, DataRate("3Mbps"));
        link.AddSource(UDP, 1000, 6001, 0, DataRate("3Mbps"), Seconds(10));
        link.AddSource(UDP, 1000, 6002, 0, DataRate("3Mbps"), Seconds(10));
        if (policy->GetClasses().back().action == PolicyMap::Action::BANDWIDTH)
        {
            link.AddSource(UDP, 1000, 9, 0, DataRate("3Mbps"), Seconds(10));
        }
        Simulator::Stop(Seconds(10));
        Simulator::Run();
        bytes.clear();
        for (const char* name : {"a", "b", "class-default"})
        {
            bytes.push_back(queueDisc->GetClassStats(name).transmittedBytes);
        }
        queueDisc->Dispose();
        Simulator::Destroy();
    }

    void DoRun() override
    {
        // a 1200, b 600, class-default 300 kb/s: 2100 of 3000 kb/s, so the 900 kb/s left go
        // in proportion 4:2:1, giving 12/7, 6/7 and 3/7 Mb/s. Over 10 s that is 2142857,
        // 1071429 and 535714 bytes.
        Ptr<PolicyMap> kbps = Create<PolicyMap>("kbps");
        kbps->AddClass(MakePortClass("a", 6001));
        kbps->AddClass(MakePortClass("b", 6002));
        kbps->ConfigureClass("a", "bandwidth 1200");
        kbps->ConfigureClass("b", "bandwidth 600");
        kbps->ConfigureClass("class-default", "bandwidth 300");
        std::vector<double> bytes;
        RunShares(kbps, bytes);
        NS_TEST_EXPECT_MSG_EQ(IsWithin(bytes[0], 2142857, 0.05), true, "a: " << bytes[0]);
        NS_TEST_EXPECT_MSG_EQ(IsWithin(bytes[1], 1071429, 0.05), true, "b: " << bytes[1]);
        NS_TEST_EXPECT_MSG_EQ(IsWithin(bytes[2], 535714, 0.05), true, "default: " << bytes[2]);

        // a 40 % and b 20 % of 3 Mb/s with class-default idle: the unallocated 40 % goes 2:1,
        // giving 2 and 1 Mb/s, 2500000 and 1250000 bytes in 10 s.
        Ptr<PolicyMap> percent = Create<PolicyMap>("percent");
        percent->AddClass(MakePortClass("a", 6001));
        percent->AddClass(MakePortClass("b", 6002));
        percent->ConfigureClass("a", "bandwidth percent 40");
        percent->ConfigureClass("b", "bandwidth percent 20");
        RunShares(percent, bytes);
        NS_TEST_EXPECT_MSG_EQ(IsWithin(bytes[0], 2500000, 0.05), true, "a: " << bytes[0]);
        NS_TEST_EXPECT_MSG_EQ(IsWithin(bytes[1], 1250000, 0.05), true, "b: " << bytes[1]);
        NS_TEST_EXPECT_MSG_EQ(bytes[2], 0, "default idle");
    }
};

/**
 * \ingroup ipsec
 * fair-queue splits class-default evenly among its flows.
 */
class FairQueueTestCase : public TestCase
{
  public:
    FairQueueTestCase()
        : TestCase("fair-queue splits class-default")
    {
    }

  private:
    /**
     * Counts a transmitted packet per destination port.
     * \param className the class
     * \param item the packet
     */
    void Dequeued(const std::string& className, Ptr<const QueueDiscItem> item)
    {
        uint32_t flow = PolicyMapQueueDisc::GetFlowTuple(item).destinationPort - 7001u;
        if (flow < 3)
        {
            m_bytes[flow] += item->GetSize();
        }
    }

    void DoRun() override
    {
        Ptr<PolicyMap> policy = Create<PolicyMap>("fq");
        policy->AddClass(MakePortClass("bulk", 6001));
        policy->ConfigureClass("bulk", "bandwidth 100");
        NS_TEST_ASSERT_MSG_EQ(policy->ConfigureClass("class-default", "fair-queue"), "", "fq");

        // The three flows must land in different flow queues for an even split.
        uint32_t queues[3];
        for (uint16_t i = 0; i < 3; ++i)
        {
            queues[i] = PolicyMapQueueDisc::HashFlow(MakeTuple(UDP, 7001 + i, 0), 16);
        }
        NS_TEST_ASSERT_MSG_NE(queues[0], queues[1], "flows 1 and 2 collide");
        NS_TEST_ASSERT_MSG_NE(queues[0], queues[2], "flows 1 and 3 collide");
        NS_TEST_ASSERT_MSG_NE(queues[1], queues[2], "flows 2 and 3 collide");

        // Flows offering 2, 1 and 0.8 Mb/s share a 1.2 Mb/s link with bulk idle: 400 kb/s
        // each, 500000 bytes in 10 s.
        Ptr<PolicyMapQueueDisc> queueDisc = MakeQueueDisc(policy, DataRate("1200kbps"));
        queueDisc->TraceConnectWithoutContext("ClassDequeue",
                                              MakeCallback(&FairQueueTestCase::Dequeued, this));
        LinkHarness link(queueDisc, DataRate("1200kbps"));
        link.AddSource(UDP, 1000, 7001, 0, DataRate("2Mbps"), Seconds(10));
        link.AddSource(UDP, 1000, 7002, 0, DataRate("1Mbps"), Seconds(10));
        link.AddSource(UDP, 1000, 7003, 0, DataRate("800kbps"), Seconds(10));
        Simulator::Stop(Seconds(10));
        Simulator::Run();
        for (int i = 0; i < 3; ++i)
        {
            NS_TEST_EXPECT_MSG_EQ(IsWithin(m_bytes[i], 500000, 0.05),
                                  true,
                                  "flow " << i << ": " << m_bytes[i]);
        }

        // The default limit of 64 gives 16 packets per flow, and the flows overflow.
        PolicyMapQueueDisc::ClassStats stats = queueDisc->GetClassStats("class-default");
        NS_TEST_EXPECT_MSG_GT(stats.drops, 0, "flow queues overflow");
        std::ostringstream show;
        queueDisc->Show(show);
        NS_TEST_EXPECT_MSG_NE(show.str().find("Fair-queue: per-flow queue limit 16"),
                              std::string::npos,
                              show.str());
        queueDisc->Dispose();
        Simulator::Destroy();
    }

    double m_bytes[3]{0, 0, 0}; //!< transmitted bytes per flow
};

/**
 * \ingroup ipsec
 * The queue disc works as the root queue disc of a point-to-point device.
 */
class RootQueueDiscTestCase : public TestCase
{
  public:
    RootQueueDiscTestCase()
        : TestCase("root queue disc on a device")
    {
    }

  private:
    void DoRun() override
    {
        NodeContainer nodes;
        nodes.Create(2);
        PointToPointHelper pointToPoint;
        pointToPoint.SetDeviceAttribute("DataRate", StringValue("1Mbps"));
        pointToPoint.SetChannelAttribute("Delay", StringValue("1ms"));
        NetDeviceContainer devices = pointToPoint.Install(nodes);
        InternetStackHelper internet;
        internet.Install(nodes);

        Ptr<PolicyMap> policy = Create<PolicyMap>("policy1");
        policy->AddClass(MakePortClass("voice", 5000));
        policy->ConfigureClass("voice", "priority 50");
        policy->ConfigureClass("class-default", "fair-queue");
        TrafficControlHelper tch;
        tch.SetRootQueueDisc("ns3::PolicyMapQueueDisc", "LinkRate", StringValue("1Mbps"));
        QueueDiscContainer installed = tch.Install(devices.Get(0));
        Ptr<PolicyMapQueueDisc> queueDisc = DynamicCast<PolicyMapQueueDisc>(installed.Get(0));
        NS_TEST_ASSERT_MSG_NE(queueDisc, nullptr, "root queue disc type");
        if (!queueDisc)
        {
            Simulator::Destroy();
            return;
        }
        queueDisc->SetPolicyMap(policy);

        Ipv4AddressHelper addresses("10.1.1.0", "255.255.255.0");
        addresses.Assign(devices);

        // 10 packets to port 5000 and 20 to port 9, 972 bytes of UDP payload each
        // (1000 bytes with the IPv4 and UDP headers).
        Ptr<Socket> sink = Socket::CreateSocket(nodes.Get(1), UdpSocketFactory::GetTypeId());
        sink->Bind(InetSocketAddress(Ipv4Address::GetAny(), 5000));
        Ptr<Socket> source = Socket::CreateSocket(nodes.Get(0), UdpSocketFactory::GetTypeId());
        source->Bind();
        for (int i = 0; i < 30; ++i)
        {
            uint16_t port = i < 10 ? 5000 : 9;
            Simulator::Schedule(Seconds(1), [source, port]() {
                source->SendTo(Create<Packet>(972), 0, InetSocketAddress("10.1.1.2", port));
            });
        }
        Simulator::Stop(Seconds(3));
        Simulator::Run();

        PolicyMapQueueDisc::ClassStats voice = queueDisc->GetClassStats("voice");
        PolicyMapQueueDisc::ClassStats other = queueDisc->GetClassStats("class-default");
        NS_TEST_EXPECT_MSG_EQ(voice.matchedPackets, 10, "voice matched");
        NS_TEST_EXPECT_MSG_EQ(voice.matchedBytes, 10000, "voice bytes");
        NS_TEST_EXPECT_MSG_EQ(voice.transmittedPackets, 10, "voice sent");
        NS_TEST_EXPECT_MSG_EQ(other.matchedPackets, 20, "default matched");
        NS_TEST_EXPECT_MSG_EQ(other.transmittedPackets, 20, "default sent");
        NS_TEST_EXPECT_MSG_EQ(queueDisc->GetNPackets(), 0, "queue drained");
        std::ostringstream show;
        queueDisc->Show(show);
        NS_TEST_EXPECT_MSG_NE(show.str().find("Service-policy output: policy1"),
                              std::string::npos,
                              show.str());
        NS_TEST_EXPECT_MSG_NE(show.str().find("10 packets, 10000 bytes"),
                              std::string::npos,
                              show.str());
        sink->Close();
        source->Close();
        Simulator::Destroy();
    }
};

namespace
{

/**
 * Names the input interface of a test packet: Tunnel0 for port 5000, else
 * GigabitEthernet0/0.
 * \param item the packet
 * \return the interface name
 */
std::string
GetTestInputInterface(Ptr<const QueueDiscItem> item)
{
    uint16_t port = PolicyMapQueueDisc::GetFlowTuple(item).destinationPort;
    return port == 5000 ? "Tunnel0" : "GigabitEthernet0/0";
}

} // namespace

/**
 * \ingroup ipsec
 * match input-interface uses the name from the queue disc's callback.
 */
class InputInterfaceTestCase : public TestCase
{
  public:
    InputInterfaceTestCase()
        : TestCase("input interface classification")
    {
    }

  private:
    void DoRun() override
    {
        Ptr<ClassMap> tunnel = Create<ClassMap>("tunnel");
        NS_TEST_ASSERT_MSG_EQ(tunnel->AddMatch("match input-interface Tunnel0"), "", "match");
        Ptr<PolicyMap> policy = Create<PolicyMap>("by-interface");
        policy->AddClass(tunnel);
        policy->ConfigureClass("tunnel", "bandwidth 100");
        Ptr<PolicyMapQueueDisc> queueDisc = CreateObject<PolicyMapQueueDisc>();
        queueDisc->SetPolicyMap(policy);
        queueDisc->SetInputInterfaceCallback(MakeCallback(&GetTestInputInterface));
        queueDisc->Initialize();

        // Two packets from "Tunnel0" (port 5000) and three from "GigabitEthernet0/0".
        for (uint16_t port : {5000, 9, 5000, 9, 9})
        {
            queueDisc->Enqueue(MakeItem(UDP, 1000, port, 0));
        }
        NS_TEST_EXPECT_MSG_EQ(queueDisc->GetClassStats("tunnel").matchedPackets, 2, "tunnel");
        NS_TEST_EXPECT_MSG_EQ(queueDisc->GetClassStats("class-default").matchedPackets,
                              3,
                              "default");
        NS_TEST_EXPECT_MSG_EQ(queueDisc->GetClassStats("tunnel").depth, 2, "tunnel depth");
        NS_TEST_EXPECT_MSG_EQ(queueDisc->GetNPackets(), 5, "queued");
        queueDisc->Dispose();
        Simulator::Destroy();
    }
};

/**
 * \ingroup ipsec
 * The queue disc runs standalone in front of a crypto engine, as LLQ for the engine.
 */
class CryptoEngineLlqTestCase : public TestCase
{
  public:
    CryptoEngineLlqTestCase()
        : TestCase("low latency queueing before crypto engine")
    {
    }

  private:
    void DoRun() override
    {
        Ptr<PolicyMap> policy = Create<PolicyMap>("engine");
        policy->AddClass(MakePortClass("voice", 5000));
        policy->ConfigureClass("voice", "priority 1000");
        Ptr<PolicyMapQueueDisc> queueDisc = CreateObject<PolicyMapQueueDisc>();
        queueDisc->SetPolicyMap(policy);

        // One worker encrypting at 1 Mb/s: a 1000-byte job takes 8 ms.
        Ptr<IpsecCryptoEngine> engine = CreateObject<IpsecCryptoEngine>();
        engine->SetAttribute("EncryptRate", DataRateValue(DataRate("1Mbps")));
        engine->SetQueueDisc(queueDisc);

        // 4 data jobs then 3 voice jobs arrive at once. The free worker takes the first
        // data job at once, then the 3 voice jobs overtake the 3 waiting data jobs.
        std::vector<uint16_t> started;
        for (uint16_t port : {9, 9, 9, 9, 5000, 5000, 5000})
        {
            Ptr<Ipv4QueueDiscItem> item = MakeItem(UDP, 1000, port, 0);
            Ptr<IpsecCryptoJob> job = Create<IpsecCryptoJob>(item->GetPacket(),
                                                             item->GetHeader(),
                                                             true,
                                                             [&started, port]() {
                                                                 started.push_back(port);
                                                                 return std::function<void()>([]() {
                                                                 });
                                                             });
            engine->Submit(job);
        }
        Simulator::Run();

        std::vector<uint16_t> expected{9, 5000, 5000, 5000, 9, 9, 9};
        NS_TEST_EXPECT_MSG_EQ(started.size(), expected.size(), "jobs started");
        for (std::size_t i = 0; i < std::min(started.size(), expected.size()); ++i)
        {
            NS_TEST_EXPECT_MSG_EQ(started[i], expected[i], "job " << i);
        }
        NS_TEST_EXPECT_MSG_EQ(queueDisc->GetClassStats("voice").transmittedPackets, 3, "voice");
        engine->Dispose();
        Simulator::Destroy();
    }
};

/**
 * \ingroup ipsec
 * Suite of class maps, policy maps and the policy map queue disc.
 */
class IpsecPolicyMapTestSuite : public TestSuite
{
  public:
    IpsecPolicyMapTestSuite()
        : TestSuite("ipsec-policy-map", UNIT)
    {
        AddTestCase(new ClassMapParseTestCase, TestCase::QUICK);
        AddTestCase(new ClassMapMatchTestCase, TestCase::QUICK);
        AddTestCase(new PolicyMapValidationTestCase, TestCase::QUICK);
        AddTestCase(new StrictPriorityTestCase, TestCase::QUICK);
        AddTestCase(new PriorityPolicerTestCase, TestCase::QUICK);
        AddTestCase(new BandwidthShareTestCase, TestCase::QUICK);
        AddTestCase(new FairQueueTestCase, TestCase::QUICK);
        AddTestCase(new InputInterfaceTestCase, TestCase::QUICK);
        AddTestCase(new CryptoEngineLlqTestCase, TestCase::QUICK);
        AddTestCase(new RootQueueDiscTestCase, TestCase::QUICK);
    }
};

static IpsecPolicyMapTestSuite g_ipsecPolicyMapTestSuite; //!< registers the suite
