// Copyright (c) 2026 The ns3-ipsec authors
// SPDX-License-Identifier: GPL-2.0-only

// Tests of the crypto engine: service times, queueing, parallel workers, queue limits and
// a priority queue disc on a standalone engine, then the engine's delays and reordering in
// a two-site network, and `show crypto eng qos`.
//
// The end-to-end cases build this network (the addresses are fixed):
//
// clang-format off
//
//   host A              gateway A                     gateway B              host B
//   10.1.1.2 ---------- 10.1.1.1 | 192.0.2.1 ====== 192.0.2.2 | 10.2.2.1 ---------- 10.2.2.2
//            100 Mb/s, 1 ms      IpsecNetDevice  10 Mb/s, 5 ms  IpsecNetDevice   100 Mb/s, 1 ms
//
// clang-format on
//
// Link times used by the hand computations follow. A point-to-point frame is the IPv4 packet
// plus a 2-byte PPP header, and it arrives one propagation delay after its last bit is sent.
//  - UDP payload 100: inner 128 bytes, LAN frame 130 bytes = 10.4 us at 100 Mb/s; with
//    esp-aes esp-sha-hmac the outer packet is 20 + 8 + 16 + 144 + 12 = 200 bytes, a WAN
//    frame of 202 bytes = 161.6 us at 10 Mb/s;
//  - UDP payload 972: inner 1000 bytes, LAN frame 80.16 us; outer 20 + 8 + 16 + 1008 + 12 =
//    1064 bytes (1000 + 2 padded to 1008), WAN frame 1066 bytes = 852.8 us;
//  - UDP payload 72: inner 100 bytes, LAN frame 8.16 us; outer 20 + 8 + 16 + 112 + 12 = 168
//    bytes (100 + 2 padded to 112), WAN frame 170 bytes = 136 us.
// A job's size is its IPv4 packet: the inner packet for encryption, the outer for decryption.

#include "ipsec-test-network.h"

#include "ns3/core-module.h"
#include "ns3/internet-module.h"
#include "ns3/ipsec-module.h"
#include "ns3/network-module.h"
#include "ns3/point-to-point-module.h"
#include "ns3/prio-queue-disc.h"
#include "ns3/test.h"
#include "ns3/traffic-control-module.h"

#include <map>
#include <sstream>
#include <string>
#include <utility>
#include <vector>

using namespace ns3;
using namespace ns3::ipsectest;

namespace
{

/// The transform set of every end-to-end case.
const std::string TRANSFORMS = "esp-aes esp-sha-hmac";

/**
 * Start and finish times of standalone jobs, by job name, in the order they happened.
 */
struct JobLog
{
    std::vector<std::pair<std::string, Time>> starts;   //!< job name and start time
    std::vector<std::pair<std::string, Time>> finishes; //!< job name and finish time
};

/**
 * Makes a job of a given IPv4 size whose start and finish are written to a log.
 * \param name the job's name in the log
 * \param bytes the job size in bytes, IPv4 header included (at least 20)
 * \param encrypt true for encryption
 * \param log where the start and finish times go
 * \param priority the SocketPriorityTag value put on the packet, or -1 for no tag
 * \return the job
 */
Ptr<IpsecCryptoJob>
MakeJob(const std::string& name, uint32_t bytes, bool encrypt, JobLog* log, int priority = -1)
{
    Ptr<Packet> packet = Create<Packet>(bytes - IPV4_HEADER_SIZE);
    if (priority >= 0)
    {
        SocketPriorityTag tag;
        tag.SetPriority(static_cast<uint8_t>(priority));
        packet->AddPacketTag(tag);
    }
    Ipv4Header header;
    header.SetPayloadSize(bytes - IPV4_HEADER_SIZE);
    auto start = [name, log]() -> std::function<void()> {
        log->starts.emplace_back(name, Simulator::Now());
        return [name, log]() {
            log->finishes.emplace_back(name, Simulator::Now());
        };
    };
    return Create<IpsecCryptoJob>(packet, header, encrypt, start);
}

/**
 * Counts calls of an engine trace source, by direction.
 * \param counts [0] encryption, [1] decryption
 * \param packet the packet
 * \param encrypt the direction
 */
void
CountJob(std::vector<uint32_t>* counts, Ptr<const Packet> packet, bool encrypt)
{
    (*counts)[encrypt ? 0 : 1]++;
}

/**
 * Records the time and direction of each job an engine finishes.
 * \param finishes where to record them
 * \param packet the packet
 * \param encrypt the direction
 */
void
RecordFinish(std::vector<std::pair<Time, bool>>* finishes, Ptr<const Packet> packet, bool encrypt)
{
    finishes->emplace_back(Simulator::Now(), encrypt);
}

/**
 * \ingroup ipsec
 * The two-site network with a manual ESP tunnel between the gateways, and UDP receivers
 * on port 9 that record arrival times.
 */
class EngineNetwork : public ipsectest::TwoSiteNetwork
{
  public:
    /// A datagram recorded by a receiver.
    struct Arrival
    {
        Time at;                      //!< arrival time
        std::vector<uint8_t> payload; //!< UDP payload
    };

    /// Builds the network and the tunnel (esp-aes esp-sha-hmac, real crypto).
    EngineNetwork();

    /**
     * Opens a UDP socket on port 9 of a node that records every datagram it receives.
     * \param node the node
     */
    void Listen(Ptr<Node> node);

    /**
     * Schedules one UDP datagram from port 5000 to port 9.
     * \param from the sending node
     * \param to the destination address
     * \param payload the payload
     * \param at the simulated send time
     */
    void SendUdp(Ptr<Node> from, Ipv4Address to, const std::vector<uint8_t>& payload, Time at);

    /**
     * \param node a node
     * \return the datagrams Listen() recorded on it, in order
     */
    std::vector<Arrival> Received(Ptr<Node> node);

    /**
     * \param node a gateway
     * \return its crypto engine
     */
    static Ptr<IpsecCryptoEngine> Engine(Ptr<Node> node);

    /**
     * Sets an attribute of a node's crypto engine through the configuration path.
     * \param node the node
     * \param name the attribute name
     * \param value the value
     */
    static void SetEngineAttribute(Ptr<Node> node,
                                   const std::string& name,
                                   const AttributeValue& value);
};

EngineNetwork::EngineNetwork()
    : TwoSiteNetwork(false)
{
    ipsec.CreateManualTunnel(wan.Get(0), wan.Get(1), LAN_TO_LAN, TRANSFORMS);
}

void
EngineNetwork::Listen(Ptr<Node> node)
{
    TwoSiteNetwork::Listen(node, 9);
}

void
EngineNetwork::SendUdp(Ptr<Node> from, Ipv4Address to, const std::vector<uint8_t>& payload, Time at)
{
    TwoSiteNetwork::SendUdp(from, 5000, to, 9, payload, at);
}

std::vector<EngineNetwork::Arrival>
EngineNetwork::Received(Ptr<Node> node)
{
    const auto& payloads = TwoSiteNetwork::Received(node, 9);
    const auto& times = ReceiveTimes(node, 9);
    std::vector<Arrival> arrivals;
    for (size_t i = 0; i < payloads.size(); ++i)
    {
        arrivals.push_back({times[i], payloads[i]});
    }
    return arrivals;
}

Ptr<IpsecCryptoEngine>
EngineNetwork::Engine(Ptr<Node> node)
{
    return node->GetObject<IpsecStack>()->GetCryptoEngine();
}

void
EngineNetwork::SetEngineAttribute(Ptr<Node> node,
                                  const std::string& name,
                                  const AttributeValue& value)
{
    std::ostringstream path;
    path << "/NodeList/" << node->GetId() << "/$ns3::IpsecStack/CryptoEngine/" << name;
    Config::Set(path.str(), value);
}

} // namespace

/**
 * \ingroup ipsec
 * GetServiceTime is the fixed cost plus bytes * 8 / rate, with separate costs for each
 * direction.
 */
class IpsecEngineServiceTimeTestCase : public TestCase
{
  public:
    IpsecEngineServiceTimeTestCase()
        : TestCase("service time per direction")
    {
    }

  private:
    void DoRun() override
    {
        // Encryption: 10 us + 1 us per byte (8 Mb/s). Decryption: 20 us + 0.5 us per byte.
        Ptr<IpsecCryptoEngine> engine = CreateObject<IpsecCryptoEngine>();
        engine->SetAttribute("EncryptPacketTime", TimeValue(MicroSeconds(10)));
        engine->SetAttribute("EncryptRate", DataRateValue(DataRate("8Mbps")));
        engine->SetAttribute("DecryptPacketTime", TimeValue(MicroSeconds(20)));
        engine->SetAttribute("DecryptRate", DataRateValue(DataRate("16Mbps")));
        NS_TEST_EXPECT_MSG_EQ(engine->IsEnabled(), true, "costs set, so the engine is on");

        NS_TEST_EXPECT_MSG_EQ(engine->GetServiceTime(0, true), MicroSeconds(10), "encrypt 0 B");
        NS_TEST_EXPECT_MSG_EQ(engine->GetServiceTime(100, true),
                              MicroSeconds(110),
                              "encrypt 100 B: 10 + 100");
        NS_TEST_EXPECT_MSG_EQ(engine->GetServiceTime(1500, true),
                              MicroSeconds(1510),
                              "encrypt 1500 B: 10 + 1500");
        NS_TEST_EXPECT_MSG_EQ(engine->GetServiceTime(1, false),
                              NanoSeconds(20500),
                              "decrypt 1 B: 20 + 0.5");
        NS_TEST_EXPECT_MSG_EQ(engine->GetServiceTime(100, false),
                              MicroSeconds(70),
                              "decrypt 100 B: 20 + 50");
        NS_TEST_EXPECT_MSG_EQ(engine->GetServiceTime(1500, false),
                              MicroSeconds(770),
                              "decrypt 1500 B: 20 + 750");

        // A rate alone is a cost too, and one direction's cost does not leak into the other.
        Ptr<IpsecCryptoEngine> rateOnly = CreateObject<IpsecCryptoEngine>();
        rateOnly->SetAttribute("EncryptRate", DataRateValue(DataRate("8Mbps")));
        NS_TEST_EXPECT_MSG_EQ(rateOnly->IsEnabled(), true, "a rate alone turns the engine on");
        NS_TEST_EXPECT_MSG_EQ(rateOnly->GetServiceTime(250, true),
                              MicroSeconds(250),
                              "encrypt 250 B at 1 us per byte");
        NS_TEST_EXPECT_MSG_EQ(rateOnly->GetServiceTime(250, false),
                              Seconds(0),
                              "decryption has no cost");

        engine->Dispose();
        rateOnly->Dispose();
        Simulator::Destroy();
    }
};

/**
 * \ingroup ipsec
 * One worker serves jobs submitted at t = 0 one after the other, each for its own
 * service time, and counts them per direction.
 */
class IpsecEngineOneWorkerTestCase : public TestCase
{
  public:
    IpsecEngineOneWorkerTestCase()
        : TestCase("one worker serves in order")
    {
    }

  private:
    void DoRun() override
    {
        // Encryption 100 us + 1 us per byte; decryption 50 us, no per-byte cost.
        Ptr<IpsecCryptoEngine> engine = CreateObject<IpsecCryptoEngine>();
        engine->SetAttribute("EncryptPacketTime", TimeValue(MicroSeconds(100)));
        engine->SetAttribute("EncryptRate", DataRateValue(DataRate("8Mbps")));
        engine->SetAttribute("DecryptPacketTime", TimeValue(MicroSeconds(50)));
        JobLog log;

        // The first job finds the worker free and starts at once, so it never waits.
        NS_TEST_EXPECT_MSG_EQ(engine->Submit(MakeJob("e100", 100, true, &log)),
                              true,
                              "first job accepted");
        NS_TEST_EXPECT_MSG_EQ(log.starts.size(), 1, "first job started at once");
        NS_TEST_EXPECT_MSG_EQ(engine->GetQueueLength(), 0, "nothing waits behind a free worker");

        // Service times: e100 100 + 100 = 200 us, d300 50 us, e50 100 + 50 = 150 us, so
        // they finish at 200, 250 and 400 us.
        engine->Submit(MakeJob("d300", 300, false, &log));
        engine->Submit(MakeJob("e50", 50, true, &log));
        NS_TEST_EXPECT_MSG_EQ(engine->GetQueueLength(), 2, "two jobs wait");
        NS_TEST_EXPECT_MSG_EQ(engine->GetPeakQueueLength(), 2, "peak before the run");
        NS_TEST_EXPECT_MSG_EQ(engine->GetServedCounts()[0], 0, "nothing served before the run");
        Simulator::Run();

        const std::vector<std::pair<std::string, Time>> starts{{"e100", MicroSeconds(0)},
                                                               {"d300", MicroSeconds(200)},
                                                               {"e50", MicroSeconds(250)}};
        const std::vector<std::pair<std::string, Time>> finishes{{"e100", MicroSeconds(200)},
                                                                 {"d300", MicroSeconds(250)},
                                                                 {"e50", MicroSeconds(400)}};
        NS_TEST_ASSERT_MSG_EQ(log.starts.size(), 3, "jobs started");
        NS_TEST_ASSERT_MSG_EQ(log.finishes.size(), 3, "jobs finished");
        for (uint32_t i = 0; i < 3; ++i)
        {
            NS_TEST_EXPECT_MSG_EQ(log.starts[i].first, starts[i].first, "start order " << i);
            NS_TEST_EXPECT_MSG_EQ(log.starts[i].second, starts[i].second, "start of " << i);
            NS_TEST_EXPECT_MSG_EQ(log.finishes[i].first, finishes[i].first, "finish order " << i);
            NS_TEST_EXPECT_MSG_EQ(log.finishes[i].second, finishes[i].second, "finish of " << i);
        }
        NS_TEST_EXPECT_MSG_EQ(engine->GetServedCounts()[0], 2, "encryptions served");
        NS_TEST_EXPECT_MSG_EQ(engine->GetServedCounts()[1], 1, "decryptions served");
        NS_TEST_EXPECT_MSG_EQ(engine->GetQueueLength(), 0, "queue empty after the run");
        NS_TEST_EXPECT_MSG_EQ(engine->GetPeakQueueLength(), 2, "peak after the run");
        NS_TEST_EXPECT_MSG_EQ(engine->GetDropCount(), 0, "no drops");

        engine->Dispose();
        Simulator::Destroy();
    }
};

/**
 * \ingroup ipsec
 * With two workers a short job submitted after a long one finishes first, and a third job
 * waits until a worker becomes free.
 */
class IpsecEngineTwoWorkersTestCase : public TestCase
{
  public:
    IpsecEngineTwoWorkersTestCase()
        : TestCase("two workers reorder jobs")
    {
    }

  private:
    void DoRun() override
    {
        // 1 us per byte: L (1000 B) runs 0-1000 us on one worker, S (100 B) 0-100 us on
        // the other, and M (300 B) takes S's worker at 100 us and finishes at 400 us.
        Ptr<IpsecCryptoEngine> engine = CreateObject<IpsecCryptoEngine>();
        engine->SetAttribute("Workers", UintegerValue(2));
        engine->SetAttribute("EncryptRate", DataRateValue(DataRate("8Mbps")));
        JobLog log;
        engine->Submit(MakeJob("L", 1000, true, &log));
        engine->Submit(MakeJob("S", 100, true, &log));
        engine->Submit(MakeJob("M", 300, true, &log));
        NS_TEST_EXPECT_MSG_EQ(log.starts.size(), 2, "two jobs start at once");
        NS_TEST_EXPECT_MSG_EQ(engine->GetQueueLength(), 1, "the third job waits");
        Simulator::Run();

        const std::vector<std::pair<std::string, Time>> starts{{"L", MicroSeconds(0)},
                                                               {"S", MicroSeconds(0)},
                                                               {"M", MicroSeconds(100)}};
        const std::vector<std::pair<std::string, Time>> finishes{{"S", MicroSeconds(100)},
                                                                 {"M", MicroSeconds(400)},
                                                                 {"L", MicroSeconds(1000)}};
        NS_TEST_ASSERT_MSG_EQ(log.starts.size(), 3, "jobs started");
        NS_TEST_ASSERT_MSG_EQ(log.finishes.size(), 3, "jobs finished");
        for (uint32_t i = 0; i < 3; ++i)
        {
            NS_TEST_EXPECT_MSG_EQ(log.starts[i].first, starts[i].first, "start order " << i);
            NS_TEST_EXPECT_MSG_EQ(log.starts[i].second, starts[i].second, "start of " << i);
            NS_TEST_EXPECT_MSG_EQ(log.finishes[i].first, finishes[i].first, "finish order " << i);
            NS_TEST_EXPECT_MSG_EQ(log.finishes[i].second, finishes[i].second, "finish of " << i);
        }
        NS_TEST_EXPECT_MSG_EQ(engine->GetServedCounts()[0], 3, "encryptions served");
        NS_TEST_EXPECT_MSG_EQ(engine->GetPeakQueueLength(), 1, "only M waited");

        engine->Dispose();
        Simulator::Destroy();
    }
};

/**
 * \ingroup ipsec
 * Jobs beyond QueueLimit are dropped, counted, traced and never run.
 */
class IpsecEngineQueueLimitTestCase : public TestCase
{
  public:
    IpsecEngineQueueLimitTestCase()
        : TestCase("queue limit drops jobs")
    {
    }

  private:
    void DoRun() override
    {
        // One worker takes job 0; jobs 1 and 2 fill the 2-packet queue; jobs 3 (encrypt)
        // and 4 (decrypt) find it full. Each job takes 1 ms.
        Ptr<IpsecCryptoEngine> engine = CreateObject<IpsecCryptoEngine>();
        engine->SetAttribute("EncryptPacketTime", TimeValue(MilliSeconds(1)));
        engine->SetAttribute("DecryptPacketTime", TimeValue(MilliSeconds(1)));
        engine->SetAttribute("QueueLimit", UintegerValue(2));
        std::vector<uint32_t> enqueued(2, 0);
        std::vector<uint32_t> started(2, 0);
        std::vector<uint32_t> finished(2, 0);
        std::vector<uint32_t> dropped(2, 0);
        engine->TraceConnectWithoutContext("Enqueue", MakeBoundCallback(&CountJob, &enqueued));
        engine->TraceConnectWithoutContext("Start", MakeBoundCallback(&CountJob, &started));
        engine->TraceConnectWithoutContext("Finish", MakeBoundCallback(&CountJob, &finished));
        engine->TraceConnectWithoutContext("Drop", MakeBoundCallback(&CountJob, &dropped));

        JobLog log;
        const std::vector<bool> encrypt{true, true, false, true, false};
        const std::vector<bool> accepted{true, true, true, false, false};
        for (uint32_t i = 0; i < encrypt.size(); ++i)
        {
            NS_TEST_EXPECT_MSG_EQ(engine->Submit(MakeJob(std::to_string(i), 60, encrypt[i], &log)),
                                  accepted[i],
                                  "Submit result of job " << i);
        }
        NS_TEST_EXPECT_MSG_EQ(engine->GetDropCount(), 2, "queue-full drops");
        NS_TEST_EXPECT_MSG_EQ(dropped[0], 1, "encryption drop traced");
        NS_TEST_EXPECT_MSG_EQ(dropped[1], 1, "decryption drop traced");
        NS_TEST_EXPECT_MSG_EQ(engine->GetQueueLength(), 2, "queue full");
        NS_TEST_EXPECT_MSG_EQ(engine->GetPeakQueueLength(), 2, "peak at the limit");
        Simulator::Run();

        // Jobs 0 to 2 finish at 1, 2 and 3 ms; the dropped jobs never start.
        NS_TEST_ASSERT_MSG_EQ(log.finishes.size(), 3, "jobs finished");
        for (uint32_t i = 0; i < 3; ++i)
        {
            NS_TEST_EXPECT_MSG_EQ(log.finishes[i].first, std::to_string(i), "finish order " << i);
            NS_TEST_EXPECT_MSG_EQ(log.finishes[i].second,
                                  MilliSeconds(i + 1),
                                  "finish of job " << i);
        }
        NS_TEST_EXPECT_MSG_EQ(enqueued[0] + enqueued[1], 3, "jobs queued");
        NS_TEST_EXPECT_MSG_EQ(started[0], 2, "encryptions started");
        NS_TEST_EXPECT_MSG_EQ(started[1], 1, "decryptions started");
        NS_TEST_EXPECT_MSG_EQ(finished[0] + finished[1], 3, "jobs finished, traced");
        NS_TEST_EXPECT_MSG_EQ(engine->GetServedCounts()[0], 2, "encryptions served");
        NS_TEST_EXPECT_MSG_EQ(engine->GetServedCounts()[1], 1, "decryptions served");
        NS_TEST_EXPECT_MSG_EQ(engine->GetDropCount(), 2, "drops after the run");

        engine->Dispose();
        Simulator::Destroy();
    }
};

/**
 * \ingroup ipsec
 * An engine with every cost zero is off: a job starts and finishes inside Submit, nothing
 * is queued and no simulated time passes.
 */
class IpsecEngineOffTestCase : public TestCase
{
  public:
    IpsecEngineOffTestCase()
        : TestCase("engine off runs jobs at once")
    {
    }

  private:
    void DoRun() override
    {
        Ptr<IpsecCryptoEngine> engine = CreateObject<IpsecCryptoEngine>();
        NS_TEST_EXPECT_MSG_EQ(engine->IsEnabled(), false, "default engine is off");
        NS_TEST_EXPECT_MSG_EQ(engine->GetServiceTime(1500, true), Seconds(0), "no encrypt cost");
        NS_TEST_EXPECT_MSG_EQ(engine->GetServiceTime(1500, false), Seconds(0), "no decrypt cost");

        // Queued jobs would fire Enqueue; an engine that is off must not queue any.
        std::vector<uint32_t> enqueued(2, 0);
        engine->TraceConnectWithoutContext("Enqueue", MakeBoundCallback(&CountJob, &enqueued));
        JobLog log;
        for (uint32_t i = 0; i < 3; ++i)
        {
            NS_TEST_EXPECT_MSG_EQ(engine->Submit(MakeJob(std::to_string(i), 1500, i != 1, &log)),
                                  true,
                                  "job " << i << " accepted");
            NS_TEST_EXPECT_MSG_EQ(log.finishes.size(), i + 1, "job " << i << " done in Submit");
        }
        NS_TEST_EXPECT_MSG_EQ(Simulator::GetEventCount(), 0, "no event scheduled");
        Simulator::Run();

        for (uint32_t i = 0; i < log.finishes.size(); ++i)
        {
            NS_TEST_EXPECT_MSG_EQ(log.finishes[i].second, Seconds(0), "finish time of " << i);
        }
        NS_TEST_EXPECT_MSG_EQ(enqueued[0] + enqueued[1], 0, "nothing queued");
        NS_TEST_EXPECT_MSG_EQ(engine->GetQueueLength(), 0, "queue length");
        NS_TEST_EXPECT_MSG_EQ(engine->GetPeakQueueLength(), 0, "peak queue length");
        NS_TEST_EXPECT_MSG_EQ(engine->GetServedCounts()[0], 2, "encryptions served");
        NS_TEST_EXPECT_MSG_EQ(engine->GetServedCounts()[1], 1, "decryptions served");

        engine->Dispose();
        Simulator::Destroy();
    }
};

/**
 * \ingroup ipsec
 * With a PrioQueueDisc in front of the workers (LLQ), a high-priority job submitted after
 * several low-priority ones is served as soon as the worker is free.
 *
 * PrioQueueDisc (ns-3.37) has no packet filter here, so it takes the band from the
 * packet's SocketPriorityTag through its default priomap "1 2 2 2 1 2 0 0 1 1 1 1 1 1 1 1":
 * priority 6 goes to band 0, served first, and priority 0 to band 1. Without child queue
 * discs it creates only two bands, so priorities that map to band 2 must not be used.
 */
class IpsecEnginePrioQueueDiscTestCase : public TestCase
{
  public:
    IpsecEnginePrioQueueDiscTestCase()
        : TestCase("prio queue disc serves high first")
    {
    }

  private:
    void DoRun() override
    {
        Ptr<IpsecCryptoEngine> engine = CreateObject<IpsecCryptoEngine>();
        engine->SetAttribute("EncryptPacketTime", TimeValue(MilliSeconds(1)));
        Ptr<PrioQueueDisc> prio = CreateObject<PrioQueueDisc>();
        engine->SetQueueDisc(prio);
        NS_TEST_EXPECT_MSG_EQ(engine->GetQueueDisc(), prio, "queue disc set");

        // low0 takes the worker at once; low1 to low3 and high wait. Each takes 1 ms, so
        // low0 ends at 1 ms, high at 2 ms, then low1, low2, low3 at 3, 4 and 5 ms.
        JobLog log;
        for (uint32_t i = 0; i < 4; ++i)
        {
            engine->Submit(MakeJob("low" + std::to_string(i), 100, true, &log, 0));
        }
        engine->Submit(MakeJob("high", 100, true, &log, 6));
        NS_TEST_EXPECT_MSG_EQ(engine->GetQueueLength(), 4, "jobs waiting in the queue disc");
        NS_TEST_EXPECT_MSG_EQ(prio->GetQueueDiscClass(0)->GetQueueDisc()->GetNPackets(),
                              1,
                              "high in band 0");
        NS_TEST_EXPECT_MSG_EQ(prio->GetQueueDiscClass(1)->GetQueueDisc()->GetNPackets(),
                              3,
                              "low1 to low3 in band 1");
        Simulator::Run();

        const std::vector<std::string> order{"low0", "high", "low1", "low2", "low3"};
        NS_TEST_ASSERT_MSG_EQ(log.finishes.size(), order.size(), "jobs finished");
        for (uint32_t i = 0; i < order.size(); ++i)
        {
            NS_TEST_EXPECT_MSG_EQ(log.finishes[i].first, order[i], "finish order " << i);
            NS_TEST_EXPECT_MSG_EQ(log.finishes[i].second,
                                  MilliSeconds(i + 1),
                                  "finish of " << order[i]);
        }
        NS_TEST_EXPECT_MSG_EQ(engine->GetPeakQueueLength(), 4, "peak queue length");
        NS_TEST_EXPECT_MSG_EQ(prio->GetStats().nTotalReceivedPackets, 5, "queue disc received");
        NS_TEST_EXPECT_MSG_EQ(engine->GetServedCounts()[0], 5, "encryptions served");

        engine->Dispose();
        Simulator::Destroy();
    }
};

/**
 * \ingroup ipsec
 * Gateway A's engine (one worker, 1 ms per encryption) spaces 5 packets sent at the same
 * instant 1 ms apart; with a decryption cost on gateway B as well, B's engine becomes the
 * bottleneck and spaces them by its own service time.
 */
class IpsecEngineSerialTestCase : public TestCase
{
  public:
    /**
     * \param decryptTime gateway B's DecryptPacketTime, zero to leave B's engine off
     */
    explicit IpsecEngineSerialTestCase(Time decryptTime)
        : TestCase(decryptTime.IsZero() ? "encrypt delay end to end"
                                        : "encrypt and decrypt delay end to end"),
          m_decryptTime(decryptTime)
    {
    }

  private:
    void DoRun() override
    {
        EngineNetwork net;
        EngineNetwork::SetEngineAttribute(net.gatewayA,
                                          "EncryptPacketTime",
                                          TimeValue(MilliSeconds(1)));
        if (!m_decryptTime.IsZero())
        {
            EngineNetwork::SetEngineAttribute(net.gatewayB,
                                              "DecryptPacketTime",
                                              TimeValue(m_decryptTime));
        }
        NS_TEST_EXPECT_MSG_EQ(EngineNetwork::Engine(net.gatewayA)->GetServiceTime(128, true),
                              MilliSeconds(1),
                              "attribute path reached gateway A's engine");
        net.Listen(net.hostB);
        const uint32_t count = 5;
        const Time sent = Seconds(1);
        for (uint32_t i = 0; i < count; ++i)
        {
            net.SendUdp(net.hostA, EngineNetwork::HOST_B, MakePayload(i, 100), sent);
        }
        Simulator::Run();

        // Packet k reaches gateway A at sent + 1000 + 10.4 (k + 1) us, so packet 0 finds
        // the worker free at sent + 1010.4 us and the others queue behind it: packet k
        // leaves the engine, and starts on the idle WAN, at sent + 1010.4 + 1000 (k + 1) us.
        const Time firstArrival = sent + MicroSeconds(1000) + NanoSeconds(10400);
        NS_TEST_ASSERT_MSG_EQ(net.framesAToB.size(), count, "frames on the WAN");
        for (uint32_t k = 0; k < count; ++k)
        {
            NS_TEST_EXPECT_MSG_EQ(net.frameTimesAToB[k],
                                  firstArrival + MilliSeconds(k + 1),
                                  "WAN start of packet " << k);
        }

        // Without a decryption cost, host B gets packet k after the WAN frame (161.6 us),
        // the WAN delay (5 ms), the LAN frame (10.4 us) and the LAN delay (1 ms): 6172 us.
        // With one, packet 0 reaches gateway B at sent + 1010.4 + 1000 + 5161.6 = sent +
        // 7172 us; B's worker takes longer than the 1 ms between arrivals, so packet k
        // leaves B's engine at sent + 7172 us + (k + 1) * decryptTime, then 1010.4 us of LAN.
        const auto& got = net.Received(net.hostB);
        NS_TEST_ASSERT_MSG_EQ(got.size(), count, "packets delivered to host B");
        for (uint32_t k = 0; k < count; ++k)
        {
            Time expected = m_decryptTime.IsZero()
                                ? firstArrival + MilliSeconds(k + 1) + MicroSeconds(6172)
                                : sent + MicroSeconds(7172) + m_decryptTime * (k + 1) +
                                      MicroSeconds(1010) + NanoSeconds(400);
            NS_TEST_EXPECT_MSG_EQ(got[k].at, expected, "arrival of packet " << k);
            NS_TEST_EXPECT_MSG_EQ((got[k].payload == MakePayload(k, 100)),
                                  true,
                                  "packet " << k << " in order and intact");
        }
        NS_TEST_EXPECT_MSG_EQ(EngineNetwork::Engine(net.gatewayA)->GetServedCounts()[0],
                              count,
                              "gateway A encryptions");
        // NOTE: the stack bypasses an engine that is off, so only an engine that is on
        // counts the packets it served.
        if (!m_decryptTime.IsZero())
        {
            NS_TEST_EXPECT_MSG_EQ(EngineNetwork::Engine(net.gatewayB)->GetServedCounts()[1],
                                  count,
                                  "gateway B decryptions");
        }
        Simulator::Destroy();
    }

    Time m_decryptTime; //!< gateway B's decryption cost per packet
};

/**
 * \ingroup ipsec
 * Encryption of outbound packets and decryption of inbound ones share gateway A's single
 * worker: jobs of both directions are served one after the other in arrival order.
 */
class IpsecEngineSharedTestCase : public TestCase
{
  public:
    IpsecEngineSharedTestCase()
        : TestCase("both directions share engine")
    {
    }

  private:
    void DoRun() override
    {
        EngineNetwork net;
        Ptr<IpsecCryptoEngine> engine = EngineNetwork::Engine(net.gatewayA);
        engine->SetAttribute("EncryptPacketTime", TimeValue(MilliSeconds(1)));
        engine->SetAttribute("DecryptPacketTime", TimeValue(MicroSeconds(500)));
        std::vector<std::pair<Time, bool>> finishes;
        engine->TraceConnectWithoutContext("Finish", MakeBoundCallback(&RecordFinish, &finishes));
        net.Listen(net.hostA);
        net.Listen(net.hostB);

        // Host A sends 3 packets at t = 1 s; host B sends 3 packets 5.3 ms earlier.
        const Time t = Seconds(1);
        for (uint32_t i = 0; i < 3; ++i)
        {
            net.SendUdp(net.hostA, EngineNetwork::HOST_B, MakePayload(i, 100), t);
            net.SendUdp(net.hostB,
                        EngineNetwork::HOST_A,
                        MakePayload(10 + i, 100),
                        t - MicroSeconds(5300));
        }
        Simulator::Run();

        // Times in us after t. Outbound packet k reaches gateway A at 1010.4 + 10.4 k:
        // 1010.4, 1020.8, 1031.2. Inbound packet j leaves gateway B's WAN 1010.4 + 161.6
        // (j + 1) us after host B sent it (the WAN serialises them), so it reaches gateway A
        // at -5300 + 6172 + 161.6 j: 872.0, 1033.6, 1195.2. The worker serves in arrival
        // order: in0 872.0-1372.0 (0.5 ms), out0 -2372.0, out1 -3372.0, out2 -4372.0 (1 ms
        // each), in1 -4872.0, in2 -5372.0.
        const std::vector<std::pair<Time, bool>> expected{
            {t + MicroSeconds(1372), false},
            {t + MicroSeconds(2372), true},
            {t + MicroSeconds(3372), true},
            {t + MicroSeconds(4372), true},
            {t + MicroSeconds(4872), false},
            {t + MicroSeconds(5372), false},
        };
        NS_TEST_ASSERT_MSG_EQ(finishes.size(), expected.size(), "jobs finished");
        for (uint32_t i = 0; i < expected.size(); ++i)
        {
            NS_TEST_EXPECT_MSG_EQ(finishes[i].second, expected[i].second, "direction of job " << i);
            NS_TEST_EXPECT_MSG_EQ(finishes[i].first, expected[i].first, "finish of job " << i);
        }
        NS_TEST_EXPECT_MSG_EQ(engine->GetServedCounts()[0], 3, "encryptions");
        NS_TEST_EXPECT_MSG_EQ(engine->GetServedCounts()[1], 3, "decryptions");
        NS_TEST_EXPECT_MSG_EQ(engine->GetPeakQueueLength(), 5, "out0-out2, in1, in2 waited");

        // Host B gets out k 6172 us after it leaves the engine (WAN, then LAN B); host A
        // gets in j 1010.4 us after it leaves the engine (LAN A).
        const std::vector<Time> toB{t + MicroSeconds(8544),
                                    t + MicroSeconds(9544),
                                    t + MicroSeconds(10544)};
        const std::vector<Time> toA{t + MicroSeconds(2382) + NanoSeconds(400),
                                    t + MicroSeconds(5882) + NanoSeconds(400),
                                    t + MicroSeconds(6382) + NanoSeconds(400)};
        const auto& gotB = net.Received(net.hostB);
        const auto& gotA = net.Received(net.hostA);
        NS_TEST_ASSERT_MSG_EQ(gotB.size(), 3, "packets delivered to host B");
        NS_TEST_ASSERT_MSG_EQ(gotA.size(), 3, "packets delivered to host A");
        for (uint32_t i = 0; i < 3; ++i)
        {
            NS_TEST_EXPECT_MSG_EQ(gotB[i].at, toB[i], "arrival at host B of " << i);
            NS_TEST_EXPECT_MSG_EQ((gotB[i].payload == MakePayload(i, 100)),
                                  true,
                                  "payload at host B " << i);
            NS_TEST_EXPECT_MSG_EQ(gotA[i].at, toA[i], "arrival at host A of " << i);
            NS_TEST_EXPECT_MSG_EQ((gotA[i].payload == MakePayload(10 + i, 100)),
                                  true,
                                  "payload at host A " << i);
        }
        Simulator::Destroy();
    }
};

/**
 * \ingroup ipsec
 * Two workers with a per-byte cost send a short packet before a long one that was sent
 * first: the long packet keeps its lower sequence number and arrives 1 below the window
 * top, which the receiver still accepts and records at depth 1.
 */
class IpsecEngineReorderTestCase : public TestCase
{
  public:
    IpsecEngineReorderTestCase()
        : TestCase("parallel workers reorder packets")
    {
    }

  private:
    void DoRun() override
    {
        EngineNetwork net;
        EngineNetwork::SetEngineAttribute(net.gatewayA, "Workers", UintegerValue(2));
        EngineNetwork::SetEngineAttribute(net.gatewayA,
                                          "EncryptRate",
                                          DataRateValue(DataRate("8Mbps")));
        net.Listen(net.hostB);
        const Time t = Seconds(1);
        const std::vector<uint8_t> longPayload = MakePayload(1, 972);
        const std::vector<uint8_t> shortPayload = MakePayload(2, 72);
        net.SendUdp(net.hostA, EngineNetwork::HOST_B, longPayload, t);
        net.SendUdp(net.hostA, EngineNetwork::HOST_B, shortPayload, t);
        Simulator::Run();

        // Times in us after t. The long packet (1000 B inner) reaches gateway A at 80.16 +
        // 1000 = 1080.16 and takes worker 1 for 1000 us (sequence number 1); the short one
        // (100 B) follows its 8.16 us LAN frame at 1088.32 and takes worker 2 for 100 us
        // (sequence number 2). The short packet leaves at 1188.32, the long one at 2080.16.
        NS_TEST_ASSERT_MSG_EQ(net.framesAToB.size(), 2, "frames on the WAN");
        const std::pair<Time, std::vector<uint8_t>> first{net.frameTimesAToB[0], net.framesAToB[0]};
        const std::pair<Time, std::vector<uint8_t>> second{net.frameTimesAToB[1],
                                                           net.framesAToB[1]};
        NS_TEST_EXPECT_MSG_EQ(first.first, t + NanoSeconds(1188320), "short packet leaves");
        NS_TEST_EXPECT_MSG_EQ(first.second.size(), 168, "short packet's outer size");
        NS_TEST_EXPECT_MSG_EQ(second.first, t + NanoSeconds(2080160), "long packet leaves");
        NS_TEST_EXPECT_MSG_EQ(second.second.size(), 1064, "long packet's outer size");

        // The ESP sequence number follows the 4-byte SPI after the outer IPv4 header.
        auto sequenceOf = [](const std::vector<uint8_t>& frame) {
            uint32_t at = IPV4_HEADER_SIZE + 4;
            return (uint32_t{frame[at]} << 24) | (uint32_t{frame[at + 1]} << 16) |
                   (uint32_t{frame[at + 2]} << 8) | uint32_t{frame[at + 3]};
        };
        NS_TEST_EXPECT_MSG_EQ(sequenceOf(first.second), 2, "short packet's sequence number");
        NS_TEST_EXPECT_MSG_EQ(sequenceOf(second.second), 1, "long packet's sequence number");

        // Short: 1188.32 + 136 (WAN frame) + 5000 + 8.16 (LAN frame) + 1000 = 7332.48.
        // Long: 2080.16 + 852.8 + 5000 + 80.16 + 1000 = 9013.12.
        const auto& got = net.Received(net.hostB);
        NS_TEST_ASSERT_MSG_EQ(got.size(), 2, "both packets delivered");
        NS_TEST_EXPECT_MSG_EQ((got[0].payload == shortPayload), true, "short packet first");
        NS_TEST_EXPECT_MSG_EQ(got[0].at, t + NanoSeconds(7332480), "short packet arrives");
        NS_TEST_EXPECT_MSG_EQ((got[1].payload == longPayload), true, "long packet second");
        NS_TEST_EXPECT_MSG_EQ(got[1].at, t + NanoSeconds(9013120), "long packet arrives");

        // Sequence number 2 arrives above the top (depth 0), then 1 arrives at depth 1.
        Ptr<IpsecStack> stackB = net.gatewayB->GetObject<IpsecStack>();
        Ptr<IpsecSecurityAssociation> inbound =
            FindSa(stackB, IpsecDirection::INBOUND, IpsecProtocol::ESP);
        NS_TEST_ASSERT_MSG_NE(inbound, nullptr, "gateway B's inbound ESP SA");
        const ReorderingHistogram& histogram = inbound->GetReorderingHistogram();
        NS_TEST_EXPECT_MSG_EQ(histogram.GetCount(), 2, "packets recorded");
        NS_TEST_EXPECT_MSG_EQ(histogram.GetBins()[0], 1, "one packet at depth 0");
        NS_TEST_EXPECT_MSG_EQ(histogram.GetBins()[1], 1, "one packet at depth 1");
        NS_TEST_EXPECT_MSG_EQ(histogram.GetMaxDepth(), 1, "max depth");
        NS_TEST_EXPECT_MSG_EQ(histogram.GetDuplicateCount(), 0, "no duplicates");
        NS_TEST_EXPECT_MSG_EQ(inbound->GetCounters().decaps, 2, "both decapsulated");
        NS_TEST_EXPECT_MSG_EQ(stackB->GetDropCount(IpsecDropReason::REPLAY_TOO_OLD),
                              0,
                              "no replay drops");
        Simulator::Destroy();
    }
};

/**
 * \ingroup ipsec
 * `show crypto eng qos` prints the packets and bytes served per direction and the queue.
 */
class IpsecEngineShowTestCase : public TestCase
{
  public:
    IpsecEngineShowTestCase()
        : TestCase("show prints served counts")
    {
    }

  private:
    void DoRun() override
    {
        // Two encryptions (100 and 200 B) and one decryption (300 B), 1 ms each, one
        // worker; with QueueLimit 2 the fourth job is dropped.
        Ptr<IpsecCryptoEngine> engine = CreateObject<IpsecCryptoEngine>();
        engine->SetAttribute("EncryptPacketTime", TimeValue(MilliSeconds(1)));
        engine->SetAttribute("DecryptPacketTime", TimeValue(MilliSeconds(1)));
        engine->SetAttribute("QueueLimit", UintegerValue(2));
        JobLog log;
        engine->Submit(MakeJob("e100", 100, true, &log));
        engine->Submit(MakeJob("e200", 200, true, &log));
        engine->Submit(MakeJob("d300", 300, false, &log));
        engine->Submit(MakeJob("d400", 400, false, &log));
        Simulator::Run();

        std::ostringstream os;
        engine->Show(os);
        std::string text = os.str();
        NS_TEST_EXPECT_MSG_NE(text.find("crypto engine: 1 worker(s), 0 busy\n"),
                              std::string::npos,
                              "workers line in:\n"
                                  << text);
        NS_TEST_EXPECT_MSG_NE(text.find("  encrypted: 2 packets, 300 bytes\n"),
                              std::string::npos,
                              "encrypted line in:\n"
                                  << text);
        NS_TEST_EXPECT_MSG_NE(text.find("  decrypted: 1 packets, 300 bytes\n"),
                              std::string::npos,
                              "decrypted line in:\n"
                                  << text);
        // Every arriving packet counts, the dropped one too, as in a queue disc's statistics.
        NS_TEST_EXPECT_MSG_NE(text.find("  queue: 4 packets, 1 drops, depth 0, peak 2\n"),
                              std::string::npos,
                              "queue line in:\n"
                                  << text);

        engine->Dispose();
        Simulator::Destroy();
    }
};

/**
 * \ingroup ipsec
 * A job that finds a worker free starts inside Submit and never waits, so it does not
 * count towards the peak queue length ("the largest number of packets that waited").
 */
class IpsecEnginePeakQueueTestCase : public TestCase
{
  public:
    IpsecEnginePeakQueueTestCase()
        : TestCase("job on free worker never waits")
    {
    }

  private:
    void DoRun() override
    {
        // Two workers, 1 ms per job: jobs 0 and 1 start at once, only job 2 waits.
        Ptr<IpsecCryptoEngine> engine = CreateObject<IpsecCryptoEngine>();
        engine->SetAttribute("EncryptPacketTime", TimeValue(MilliSeconds(1)));
        engine->SetAttribute("Workers", UintegerValue(2));
        JobLog log;
        engine->Submit(MakeJob("0", 100, true, &log));
        NS_TEST_EXPECT_MSG_EQ(engine->GetPeakQueueLength(), 0, "peak after job 0");
        engine->Submit(MakeJob("1", 100, true, &log));
        NS_TEST_EXPECT_MSG_EQ(engine->GetPeakQueueLength(), 0, "peak after job 1");
        engine->Submit(MakeJob("2", 100, true, &log));
        NS_TEST_EXPECT_MSG_EQ(engine->GetPeakQueueLength(), 1, "peak after job 2");
        Simulator::Run();

        NS_TEST_EXPECT_MSG_EQ(engine->GetPeakQueueLength(), 1, "peak after the run");

        engine->Dispose();
        Simulator::Destroy();
    }
};

/**
 * \ingroup ipsec
 * An interface with an engine of its own uses it, and the node's engine sees nothing.
 *
 * Gateway A's WAN interface gets an engine with 1 ms per encryption. A packet sent at 1 s
 * reaches gateway A after its 130-byte frame on LAN A (100 + 8 + 20 + 2 bytes of PPP, 10.4 us
 * at 100 Mb/s) and 1 ms, so the engine finishes it at 1.0020104 s and the WAN frame starts
 * then.
 */
class IpsecEnginePerInterfaceTestCase : public TestCase
{
  public:
    IpsecEnginePerInterfaceTestCase()
        : TestCase("interface engine replaces node engine")
    {
    }

  private:
    void DoRun() override
    {
        TwoSiteNetwork net(false);
        net.ipsec.CreateManualTunnel(net.wan.Get(0),
                                     net.wan.Get(1),
                                     TwoSiteNetwork::LAN_TO_LAN,
                                     "esp-aes esp-sha-hmac");
        auto own = CreateObject<IpsecCryptoEngine>();
        own->SetAttribute("EncryptPacketTime", TimeValue(MilliSeconds(1)));
        net.DeviceA()->SetCryptoEngine(own);
        net.Listen(net.hostB, 9);
        net.SendUdp(net.hostA, 5000, TwoSiteNetwork::HOST_B, 9, MakePayload(0, 100), Seconds(1));
        Simulator::Run();

        NS_TEST_EXPECT_MSG_EQ(net.Received(net.hostB, 9).size(), 1, "delivered");
        NS_TEST_ASSERT_MSG_EQ(net.frameTimesAToB.size(), 1, "one WAN frame");
        NS_TEST_EXPECT_MSG_EQ(net.frameTimesAToB[0].GetNanoSeconds(), 1002010400, "after 1 ms");
        NS_TEST_EXPECT_MSG_EQ(own->GetServedCounts()[0], 1, "interface engine encrypted");
        Ptr<IpsecCryptoEngine> nodeEngine = TwoSiteNetwork::Stack(net.gatewayA)->GetCryptoEngine();
        NS_TEST_EXPECT_MSG_EQ(nodeEngine->GetServedCounts()[0], 0, "node engine idle");
        NS_TEST_EXPECT_MSG_EQ((net.DeviceA()->GetCryptoEngine() == own), true, "device engine");
        Simulator::Destroy();
    }
};

/**
 * \ingroup ipsec
 * Tests of the crypto engine, standalone and in a two-site network.
 */
class IpsecCryptoEngineTestSuite : public TestSuite
{
  public:
    IpsecCryptoEngineTestSuite()
        : TestSuite("ipsec-crypto-engine", UNIT)
    {
        AddTestCase(new IpsecEngineServiceTimeTestCase, TestCase::QUICK);
        AddTestCase(new IpsecEngineOneWorkerTestCase, TestCase::QUICK);
        AddTestCase(new IpsecEngineTwoWorkersTestCase, TestCase::QUICK);
        AddTestCase(new IpsecEngineQueueLimitTestCase, TestCase::QUICK);
        AddTestCase(new IpsecEngineOffTestCase, TestCase::QUICK);
        AddTestCase(new IpsecEnginePrioQueueDiscTestCase, TestCase::QUICK);
        AddTestCase(new IpsecEngineSerialTestCase(Seconds(0)), TestCase::QUICK);
        AddTestCase(new IpsecEngineSerialTestCase(MilliSeconds(2)), TestCase::QUICK);
        AddTestCase(new IpsecEngineSharedTestCase, TestCase::QUICK);
        AddTestCase(new IpsecEngineReorderTestCase, TestCase::QUICK);
        AddTestCase(new IpsecEngineShowTestCase, TestCase::QUICK);
        AddTestCase(new IpsecEnginePerInterfaceTestCase, TestCase::QUICK);
        AddTestCase(new IpsecEnginePeakQueueTestCase, TestCase::QUICK);
    }
};

/// Registers the suite.
static IpsecCryptoEngineTestSuite g_ipsecCryptoEngineTestSuite;
