// Copyright (c) 2026 The ns3-ipsec authors
// SPDX-License-Identifier: GPL-2.0-only

// Low latency queueing (LLQ) in front of the crypto engine, priority queueing after
// encryption, and `qos pre-classify`.
//
// Every case builds this network:
//
// clang-format off
//
//   host A              gateway A                          gateway B              host B
//   10.1.1.2 ---------- 10.1.1.1 | 192.0.2.1 =========== 192.0.2.2 | 10.2.2.1 ---------- 10.2.2.2
//            100 Mb/s, 1 ms      engine, policies   WAN, 5 ms              100 Mb/s, 1 ms
//
// clang-format on
//
// Host A sends one G.729-like voice call (20-byte UDP payload every 20 ms from port 16384
// to port 16384) and bulk data (1000-byte UDP payload, port 9000 to 9000) through one
// crypto map entry (esp-aes esp-sha-hmac, tunnel mode). Access list 102 is the voice
// list of the IOS LLQ configuration guide: `permit udp host 10.1.1.2 host 10.2.2.2 range
// 16384 20000` and `... range 53000 56000`.
//
// The LLQ cases model gateway A's crypto engine with one worker, a 20 us fixed cost and a
// 2 Mb/s per-byte cost, and offer it 4 Mb/s of data. The engine is the bottleneck,
// because a 10 Mb/s WAN carries everything the engine encrypts. The other cases turn the engine off
// and make the WAN the bottleneck.

#include "ipsec-test-network.h"

#include "ns3/core-module.h"
#include "ns3/internet-module.h"
#include "ns3/ipsec-module.h"
#include "ns3/network-module.h"
#include "ns3/point-to-point-module.h"
#include "ns3/test.h"
#include "ns3/traffic-control-module.h"

#include <algorithm>
#include <cmath>
#include <deque>
#include <map>
#include <memory>
#include <set>
#include <sstream>
#include <string>
#include <utility>
#include <vector>

using namespace ns3;

namespace
{

/// DSCP of voice in the egress cases: Expedited Forwarding (RFC 3246).
constexpr uint8_t VOICE_DSCP = 46;
/// UDP port of the voice call at both ends (the first port of the IOS voice range).
constexpr uint16_t VOICE_PORT = 16384;
/// UDP port of the data flow at both ends (outside both voice ranges).
constexpr uint16_t DATA_PORT = 9000;
/// UDP payload bytes of a voice packet (one 20 ms G.729 frame pair).
constexpr uint32_t VOICE_PAYLOAD = 20;
/// UDP payload bytes of a data packet.
constexpr uint32_t DATA_PAYLOAD = 1000;
/// Bytes of a UDP header.
constexpr uint32_t UDP_HEADER_SIZE = 8;
/// Bytes of an IPv4 header without options.
constexpr uint32_t IPV4_HEADER_SIZE = 20;
/// Bytes of the PPP header in front of each frame on a point-to-point link.
constexpr uint32_t PPP_HEADER_SIZE = 2;
/// Bytes of an inner voice packet: IPv4 + UDP + payload. Engine jobs and queue disc items
/// count the IPv4 header too.
constexpr uint32_t VOICE_IP_SIZE = IPV4_HEADER_SIZE + UDP_HEADER_SIZE + VOICE_PAYLOAD;
/// Bytes of an inner data packet: IPv4 + UDP + payload.
constexpr uint32_t DATA_IP_SIZE = IPV4_HEADER_SIZE + UDP_HEADER_SIZE + DATA_PAYLOAD;
/// Interval between voice packets (50 packets/s).
const Time VOICE_INTERVAL = MilliSeconds(20);
/// Time both flows start.
const Time TRAFFIC_START = Seconds(1);

/// Where the case puts a policy map.
enum class PolicyPlace : uint8_t
{
    NONE,           //!< no policy
    SERVICE_POLICY, //!< ApplyServicePolicy: LLQ in front of gateway A's crypto engine
    EGRESS_DSCP,    //!< InstallEgressPolicy, voice class `match dscp ef`
    EGRESS_ACL,     //!< InstallEgressPolicy, voice class `match access-group 102`
};

/// Settings of one run.
struct Scenario
{
    PolicyPlace place{PolicyPlace::NONE}; //!< where the policy goes
    bool engine{false};                   //!< model gateway A's crypto engine
    bool preClassify{false};              //!< `qos pre-classify` on gateway A's crypto map
    uint32_t replayWindow{64};            //!< replay window size of the tunnel
    std::string wanRate{"10Mbps"};        //!< WAN link rate
    DataRate dataRate{"4Mbps"};           //!< data flow rate (UDP payload bytes)
    uint8_t voiceTos{0};                  //!< TOS byte of the voice packets
    Time duration{Seconds(2)};            //!< time both flows send
};

/// An ESP packet as it reached gateway B's WAN device.
struct Arrival
{
    uint32_t spi;      //!< ESP SPI
    uint32_t sequence; //!< 32-bit ESP sequence number field
};

/// Key of one ESP packet: SPI and 32-bit sequence number.
using PacketKey = std::pair<uint32_t, uint32_t>;

/// Observations of one run.
struct Outcome
{
    uint64_t voiceSent{0};                       //!< voice packets host A sent
    uint64_t voiceReceived{0};                   //!< voice packets host B received
    uint64_t dataSent{0};                        //!< data packets host A sent
    uint64_t dataReceived{0};                    //!< data packets host B received
    std::vector<Time> voiceEngineDelays;         //!< engine queueing + service per voice packet
    uint64_t voiceEngineDrops{0};                //!< voice packets the engine queue dropped
    Time voiceService;                           //!< engine service time of a voice packet
    Time dataService;                            //!< engine service time of a data packet
    std::vector<Arrival> arrivals;               //!< ESP packets at gateway B, in order
    std::set<PacketKey> moduleDrops;             //!< packets gateway B's replay check dropped
    PolicyMapQueueDisc::ClassStats voiceStats;   //!< counters of class voice
    PolicyMapQueueDisc::ClassStats barStats;     //!< counters of class bar (LLQ policy only)
    PolicyMapQueueDisc::ClassStats defaultStats; //!< counters of class-default
    std::string engineShow;                      //!< `show crypto eng qos` of gateway A
    std::string policyShow;                      //!< `show policy-map interface` of the policy
};

/**
 * Reads the SPI and sequence number of a PPP frame that carries an unfragmented ESP packet.
 * \param frame the frame, PPP header included
 * \param arrival the fields read
 * \return false for other frames
 */
bool
ReadEspFrame(Ptr<const Packet> frame, Arrival& arrival)
{
    ipsectest::EspArrival esp;
    if (!ipsectest::ReadEspFrame(frame, esp))
    {
        return false;
    }
    arrival.spi = esp.spi;
    arrival.sequence = esp.sequence;
    return true;
}

/**
 * Runs a reference replay checker over an arrival order. Per SA it keeps the set of
 * accepted sequence numbers and their maximum (the top). A number is accepted iff it is
 * not 0, not in the set and above top - window.
 * \param arrivals the ESP packets in the order gateway B received them
 * \param window the replay window size
 * \return the packets the reference drops
 */
std::set<PacketKey>
RunReferenceReplayCheck(const std::vector<Arrival>& arrivals, uint32_t window)
{
    ipsectest::ReferenceReplayChecker checker(window);
    std::set<PacketKey> drops;
    for (const Arrival& arrival : arrivals)
    {
        if (checker.Receive(arrival.spi, 0, arrival.sequence).dropped)
        {
            drops.insert({arrival.spi, arrival.sequence});
        }
    }
    return drops;
}

/**
 * Builds access list 102 of the IOS LLQ guide for the voice call from host A to host B.
 * \return the list
 */
Ptr<Ipv4AccessList>
MakeVoiceAccessList()
{
    auto list = Create<Ipv4AccessList>("102");
    list->Add("permit udp host 10.1.1.2 host 10.2.2.2 range 16384 20000");
    list->Add("permit udp host 10.1.1.2 host 10.2.2.2 range 53000 56000");
    return list;
}

/**
 * Builds the policy map of a case.
 * \param place where the policy goes (not NONE)
 * \return the policy
 */
Ptr<PolicyMap>
MakePolicy(PolicyPlace place)
{
    auto voice = Create<ClassMap>("voice");
    if (place == PolicyPlace::EGRESS_DSCP)
    {
        NS_ABORT_IF(!voice->AddMatch("match dscp ef").empty());
    }
    else
    {
        voice->AddAccessGroup(MakeVoiceAccessList());
    }
    auto policy = Create<PolicyMap>("policy1");
    NS_ABORT_IF(!policy->AddClass(voice).empty());

    if (place == PolicyPlace::SERVICE_POLICY)
    {
        // The guide's policy1. Class bar (DSCP AF21 here) carries no traffic in these cases.
        auto bar = Create<ClassMap>("bar");
        NS_ABORT_IF(!bar->AddMatch("match dscp af21").empty());
        NS_ABORT_IF(!policy->AddClass(bar).empty());
        NS_ABORT_IF(!policy->ConfigureClass("voice", "priority 50").empty());
        NS_ABORT_IF(!policy->ConfigureClass("bar", "bandwidth 20").empty());
        NS_ABORT_IF(!policy->ConfigureClass(PolicyMap::DEFAULT_CLASS, "fair-queue").empty());
        return policy;
    }

    // After encryption a voice packet is 120 bytes (outer IPv4 20, ESP header 8, IV 16,
    // inner 48 padded with the ESP trailer to 64, ICV 12), so 50 packets/s are 48 kb/s,
    // and `priority 64` leaves room. A 200-packet class-default lets the data backlog grow far
    // deeper than a 64-packet replay window but shallower than 1024.
    NS_ABORT_IF(!policy->ConfigureClass("voice", "priority 64").empty());
    NS_ABORT_IF(!policy->ConfigureClass(PolicyMap::DEFAULT_CLASS, "queue-limit 200").empty());
    return policy;
}

/**
 * Schedules constant-rate UDP datagrams from a socket bound to a port to the same port
 * on host B.
 * \param host the sending host
 * \param port the source and destination port
 * \param tos the TOS byte
 * \param payload the payload size in bytes
 * \param interval the time between datagrams
 * \param duration the sending time
 * \param sent counts the datagrams sent
 */
void
ScheduleFlow(Ptr<Node> host,
             uint16_t port,
             uint8_t tos,
             uint32_t payload,
             Time interval,
             Time duration,
             uint64_t* sent)
{
    Ptr<Socket> socket = Socket::CreateSocket(host, UdpSocketFactory::GetTypeId());
    socket->Bind(InetSocketAddress(Ipv4Address::GetAny(), port));
    // Connect sets the socket's TOS from the address, so the TOS goes there.
    InetSocketAddress destination(Ipv4Address("10.2.2.2"), port);
    destination.SetTos(tos);
    socket->Connect(destination);
    for (Time at = TRAFFIC_START; at < TRAFFIC_START + duration; at += interval)
    {
        Simulator::Schedule(at, [socket, payload, sent]() {
            if (socket->Send(Create<Packet>(payload)) >= 0)
            {
                ++*sent;
            }
        });
    }
}

/**
 * Opens a UDP socket on host B that counts the datagrams reaching a port.
 * \param host host B
 * \param port the port
 * \param received the counter
 */
void
CountArrivals(Ptr<Node> host, uint16_t port, uint64_t* received)
{
    Ptr<Socket> socket = Socket::CreateSocket(host, UdpSocketFactory::GetTypeId());
    socket->Bind(InetSocketAddress(Ipv4Address::GetAny(), port));
    socket->SetRecvCallback(MakeBoundCallback(
        +[](uint64_t* count, Ptr<Socket> receiver) {
            while (receiver->Recv())
            {
                ++*count;
            }
        },
        received));
}

/**
 * Builds the network of a case, runs it until every queue has drained, and collects the
 * observations. Ends with Simulator::Destroy().
 * \param scenario the settings
 * \return the observations
 */
Outcome
RunScenario(const Scenario& scenario)
{
    Outcome outcome;

    NodeContainer nodes;
    nodes.Create(4);
    Ptr<Node> hostA = nodes.Get(0);
    Ptr<Node> gatewayA = nodes.Get(1);
    Ptr<Node> gatewayB = nodes.Get(2);
    Ptr<Node> hostB = nodes.Get(3);

    // A one-packet device queue keeps the WAN backlog in the egress queue disc.
    PointToPointHelper lan;
    lan.SetDeviceAttribute("DataRate", StringValue("100Mbps"));
    lan.SetChannelAttribute("Delay", StringValue("1ms"));
    PointToPointHelper wan;
    wan.SetDeviceAttribute("DataRate", StringValue(scenario.wanRate));
    wan.SetChannelAttribute("Delay", StringValue("5ms"));
    wan.SetQueue("ns3::DropTailQueue", "MaxSize", StringValue("1p"));
    NetDeviceContainer lanA = lan.Install(gatewayA, hostA);
    NetDeviceContainer lanB = lan.Install(gatewayB, hostB);
    NetDeviceContainer wanLower = wan.Install(gatewayA, gatewayB);

    InternetStackHelper internet;
    internet.Install(nodes);

    IpsecHelper ipsec;
    ipsec.AssignStreams(1);
    NetDeviceContainer wanDevices = ipsec.InstallDevices(wanLower);

    // Egress policies go on before the addresses, as InstallEgressPolicy requires.
    Ptr<PolicyMapQueueDisc> policyQueue;
    bool egress =
        scenario.place == PolicyPlace::EGRESS_DSCP || scenario.place == PolicyPlace::EGRESS_ACL;
    if (egress)
    {
        policyQueue = ipsec.InstallEgressPolicy(wanDevices.Get(0), MakePolicy(scenario.place));
    }

    Ipv4AddressHelper address;
    address.SetBase("10.1.1.0", "255.255.255.0");
    address.Assign(lanA);
    address.SetBase("10.2.2.0", "255.255.255.0");
    address.Assign(lanB);
    address.SetBase("192.0.2.0", "255.255.255.252");
    address.Assign(wanDevices);

    Ipv4StaticRoutingHelper routing;
    routing.GetStaticRouting(hostA->GetObject<Ipv4>())->SetDefaultRoute("10.1.1.1", 1);
    routing.GetStaticRouting(hostB->GetObject<Ipv4>())->SetDefaultRoute("10.2.2.1", 1);
    routing.GetStaticRouting(gatewayA->GetObject<Ipv4>())
        ->AddNetworkRouteTo("10.2.2.0", "255.255.255.0", "192.0.2.2", 2);
    routing.GetStaticRouting(gatewayB->GetObject<Ipv4>())
        ->AddNetworkRouteTo("10.1.1.0", "255.255.255.0", "192.0.2.1", 2);

    // The helper returns the first device's map, which is gateway A's.
    ipsec.SetTunnelReplayWindowSize(scenario.replayWindow);
    Ptr<CryptoMap> cryptoMapA =
        ipsec.CreateManualTunnel(wanDevices.Get(0),
                                 wanDevices.Get(1),
                                 "permit ip 10.1.1.0 0.0.0.255 10.2.2.0 0.0.0.255",
                                 "esp-aes esp-sha-hmac");
    cryptoMapA->SetQosPreClassify(scenario.preClassify);

    // Gateway A's engine: one worker, 20 us + 4 us per byte. Its own FIFO has room for 64 packets,
    // as each class queue of the policy does by default, so LLQ off and on queue alike.
    Ptr<IpsecCryptoEngine> engine = gatewayA->GetObject<IpsecStack>()->GetCryptoEngine();
    if (scenario.engine)
    {
        engine->SetAttribute("EncryptPacketTime", TimeValue(MicroSeconds(20)));
        engine->SetAttribute("EncryptRate", DataRateValue(DataRate("2Mbps")));
        engine->SetAttribute("Workers", UintegerValue(1));
        engine->SetAttribute("QueueLimit", UintegerValue(64));
    }
    outcome.voiceService = engine->GetServiceTime(VOICE_IP_SIZE, true);
    outcome.dataService = engine->GetServiceTime(DATA_IP_SIZE, true);
    if (scenario.place == PolicyPlace::SERVICE_POLICY)
    {
        std::string warning;
        policyQueue =
            ipsec.ApplyServicePolicy(wanDevices.Get(0), MakePolicy(scenario.place), warning);
        NS_ABORT_MSG_IF(!warning.empty(), warning);
    }

    // Voice: 20 bytes every 20 ms. Data: 1000 bytes at the data rate.
    ScheduleFlow(hostA,
                 VOICE_PORT,
                 scenario.voiceTos,
                 VOICE_PAYLOAD,
                 VOICE_INTERVAL,
                 scenario.duration,
                 &outcome.voiceSent);
    ScheduleFlow(hostA,
                 DATA_PORT,
                 0,
                 DATA_PAYLOAD,
                 scenario.dataRate.CalculateBytesTxTime(DATA_PAYLOAD),
                 scenario.duration,
                 &outcome.dataSent);
    CountArrivals(hostB, VOICE_PORT, &outcome.voiceReceived);
    CountArrivals(hostB, DATA_PORT, &outcome.dataReceived);

    // Voice jobs are the 28-byte engine payloads (UDP header and payload). They leave the
    // engine in their own order in every configuration, so a FIFO of enqueue times pairs
    // each finish with its enqueue.
    auto voiceEnqueued = std::make_shared<std::deque<Time>>();
    auto isVoiceJob = [](Ptr<const Packet> packet, bool encrypt) {
        return encrypt && packet->GetSize() == UDP_HEADER_SIZE + VOICE_PAYLOAD;
    };
    engine->TraceConnectWithoutContext(
        "Enqueue",
        Callback<void, Ptr<const Packet>, bool>(
            [voiceEnqueued, isVoiceJob](Ptr<const Packet> packet, bool encrypt) {
                if (isVoiceJob(packet, encrypt))
                {
                    voiceEnqueued->push_back(Simulator::Now());
                }
            }));
    engine->TraceConnectWithoutContext(
        "Finish",
        Callback<void, Ptr<const Packet>, bool>(
            [voiceEnqueued, isVoiceJob, &outcome](Ptr<const Packet> packet, bool encrypt) {
                if (isVoiceJob(packet, encrypt))
                {
                    outcome.voiceEngineDelays.push_back(Simulator::Now() - voiceEnqueued->front());
                    voiceEnqueued->pop_front();
                }
            }));
    engine->TraceConnectWithoutContext(
        "Drop",
        Callback<void, Ptr<const Packet>, bool>(
            [isVoiceJob, &outcome](Ptr<const Packet> packet, bool encrypt) {
                if (isVoiceJob(packet, encrypt))
                {
                    ++outcome.voiceEngineDrops;
                }
            }));
    wanLower.Get(1)->TraceConnectWithoutContext(
        "MacRx",
        Callback<void, Ptr<const Packet>>([&outcome](Ptr<const Packet> frame) {
            Arrival arrival;
            if (ReadEspFrame(frame, arrival))
            {
                outcome.arrivals.push_back(arrival);
            }
        }));
    Ptr<IpsecStack> stackB = gatewayB->GetObject<IpsecStack>();
    stackB->TraceConnectWithoutContext(
        "ReplayDrop",
        Callback<void,
                 Ptr<const Packet>,
                 Ptr<const IpsecSecurityAssociation>,
                 uint64_t,
                 uint64_t,
                 IpsecDropReason>([&outcome](Ptr<const Packet>,
                                             Ptr<const IpsecSecurityAssociation> sa,
                                             uint64_t sequence,
                                             uint64_t,
                                             IpsecDropReason) {
            outcome.moduleDrops.insert({sa->GetSpi(), static_cast<uint32_t>(sequence)});
        }));

    // Three seconds after the senders stop, every queue has drained: a full 64-packet engine
    // queue takes 64 * 4.132 ms = 0.26 s, a full 200-packet class-default on a 2 Mb/s WAN
    // 200 * 1098 * 8 / 2e6 = 0.88 s.
    Simulator::Stop(TRAFFIC_START + scenario.duration + Seconds(3));
    Simulator::Run();

    if (policyQueue)
    {
        outcome.voiceStats = policyQueue->GetClassStats("voice");
        if (scenario.place == PolicyPlace::SERVICE_POLICY)
        {
            outcome.barStats = policyQueue->GetClassStats("bar");
        }
        outcome.defaultStats = policyQueue->GetClassStats(PolicyMap::DEFAULT_CLASS);
        std::ostringstream policyShow;
        policyQueue->Show(policyShow);
        outcome.policyShow = policyShow.str();
    }
    std::ostringstream engineShow;
    engine->Show(engineShow);
    outcome.engineShow = engineShow.str();
    Simulator::Destroy();
    return outcome;
}

/**
 * Computes the 99th percentile of delays: the smallest sample that at least 99 % of the
 * samples do not exceed.
 * \param delays the samples (not empty)
 * \return the percentile
 */
Time
Percentile99(std::vector<Time> delays)
{
    std::sort(delays.begin(), delays.end());
    auto rank = static_cast<std::size_t>(std::ceil(0.99 * static_cast<double>(delays.size())));
    return delays[std::max<std::size_t>(rank, 1) - 1];
}

/**
 * \ingroup ipsec
 * LLQ in front of an overloaded crypto engine keeps voice loss-free with a delay bounded by
 * one data packet's service time plus its own, and without LLQ voice waits behind the data backlog.
 */
class LlqVoiceDelayTestCase : public TestCase
{
  public:
    LlqVoiceDelayTestCase()
        : TestCase("voice delay with and without LLQ")
    {
    }

  private:
    void DoRun() override;
};

void
LlqVoiceDelayTestCase::DoRun()
{
    Scenario llqOn;
    llqOn.place = PolicyPlace::SERVICE_POLICY;
    llqOn.engine = true;
    Outcome on = RunScenario(llqOn);

    // The engine serves a data job in 20 us + 1028 * 8 / 2e6 s = 4132 us and a voice job in
    // 20 us + 48 * 8 / 2e6 s = 212 us. Data offered at 4 Mb/s (500 packets/s) is twice what
    // the engine encrypts (242 packets/s), so the data class is never empty.
    NS_TEST_ASSERT_MSG_EQ(on.dataService, MicroSeconds(4132), "data service time");
    NS_TEST_ASSERT_MSG_EQ(on.voiceService, MicroSeconds(212), "voice service time");
    NS_TEST_ASSERT_MSG_GT(on.dataSent, on.dataReceived, "the engine was not overloaded");

    // With LLQ, a voice packet waits at most for the data packet in service, because there
    // is one worker and service is not preempted. The priority class is served first and
    // contains at most one packet of the call, so the voice packet is served next. At 48
    // bytes every 20 ms voice uses 19.2 kb/s of the 50 kb/s priority rate, so the policer
    // never drops it.
    Time bound = on.dataService + on.voiceService;
    NS_TEST_ASSERT_MSG_EQ(on.voiceSent, 100, "2 s of voice at 50 packets/s");
    NS_TEST_ASSERT_MSG_EQ(on.voiceReceived, on.voiceSent, "LLQ on: voice was lost");
    NS_TEST_ASSERT_MSG_EQ(on.voiceEngineDrops, 0, "LLQ on: the engine dropped voice");
    NS_TEST_ASSERT_MSG_EQ(on.voiceEngineDelays.size(), on.voiceSent, "voice jobs not all seen");
    NS_TEST_ASSERT_MSG_LT_OR_EQ(Percentile99(on.voiceEngineDelays),
                                bound,
                                "LLQ on: voice 99th-percentile engine delay above the bound");
    NS_TEST_ASSERT_MSG_EQ(on.voiceStats.policerDrops, 0, "LLQ on: voice was policed");

    // Without LLQ the engine's 64-packet FIFO is full of data in steady state. A voice packet
    // either finds it full and is dropped, or waits behind up to 63 data packets, about
    // 63 * 4.132 ms = 260 ms. The drop pattern depends on the phase of arrivals against
    // service ends, so the check is on the delay: at least 10 times the LLQ bound, which
    // is at least 10 times LLQ's own 99th percentile.
    Scenario llqOff = llqOn;
    llqOff.place = PolicyPlace::NONE;
    Outcome off = RunScenario(llqOff);
    NS_TEST_ASSERT_MSG_EQ(off.voiceSent, on.voiceSent, "LLQ off sent other voice");
    NS_TEST_ASSERT_MSG_EQ(off.voiceReceived + off.voiceEngineDrops,
                          off.voiceSent,
                          "LLQ off: voice lost outside the engine queue");
    NS_TEST_ASSERT_MSG_GT(off.voiceEngineDelays.size(), 0, "LLQ off: no voice got through");
    NS_TEST_ASSERT_MSG_GT_OR_EQ(Percentile99(off.voiceEngineDelays),
                                10 * bound,
                                "LLQ off: voice delay not 10 times the LLQ bound");
}

/**
 * \ingroup ipsec
 * A priority policy after encryption reorders one SA's packets: gateway B drops exactly
 * what a reference replay checker drops, some with a 64-packet window and none with 1024.
 */
class LlqEgressReplayTestCase : public TestCase
{
  public:
    /**
     * Creates the case.
     * \param window the replay window size
     */
    explicit LlqEgressReplayTestCase(uint32_t window)
        : TestCase("egress priority, window " + std::to_string(window)),
          m_window(window)
    {
    }

  private:
    void DoRun() override;

    uint32_t m_window; //!< replay window size of the tunnel
};

void
LlqEgressReplayTestCase::DoRun()
{
    // Data at 3 Mb/s against a 2 Mb/s WAN fills the 200-packet class-default while EF voice
    // passes it in the priority class.
    Scenario scenario;
    scenario.place = PolicyPlace::EGRESS_DSCP;
    scenario.replayWindow = m_window;
    scenario.wanRate = "2Mbps";
    scenario.dataRate = DataRate("3Mbps");
    scenario.voiceTos = VOICE_DSCP << 2;
    Outcome outcome = RunScenario(scenario);

    NS_TEST_ASSERT_MSG_EQ(outcome.voiceStats.matchedPackets,
                          outcome.voiceSent,
                          "voice not all in the priority class");
    NS_TEST_ASSERT_MSG_GT(outcome.defaultStats.drops, 0, "class-default never overflowed");
    NS_TEST_ASSERT_MSG_EQ(outcome.arrivals.size(),
                          outcome.voiceSent + outcome.dataSent - outcome.defaultStats.drops -
                              outcome.voiceStats.drops,
                          "ESP packets lost between the queue disc and gateway B");

    std::set<PacketKey> reference = RunReferenceReplayCheck(outcome.arrivals, m_window);
    NS_TEST_ASSERT_MSG_EQ(outcome.moduleDrops.size(),
                          reference.size(),
                          "replay drop count differs from the reference");
    NS_TEST_ASSERT_MSG_EQ((outcome.moduleDrops == reference),
                          true,
                          "replay-dropped packets differ from the reference");
    NS_TEST_ASSERT_MSG_EQ(outcome.voiceReceived + outcome.dataReceived + reference.size(),
                          outcome.arrivals.size(),
                          "host B did not receive every ESP packet the replay check accepted");
    if (m_window == 64)
    {
        NS_TEST_ASSERT_MSG_GT(reference.size(), 0, "window 64: reordering caused no drops");
    }
    else
    {
        NS_TEST_ASSERT_MSG_EQ(reference.size(), 0, "window 1024: the reference dropped packets");
    }
}

/**
 * \ingroup ipsec
 * An egress class that matches the inner UDP ports matches protected voice only with
 * `qos pre-classify`; otherwise the outer ESP header has no ports and voice lands in
 * class-default.
 */
class LlqPreClassifyTestCase : public TestCase
{
  public:
    /**
     * Creates the case.
     * \param preClassify whether gateway A's crypto map has `qos pre-classify`
     */
    explicit LlqPreClassifyTestCase(bool preClassify)
        : TestCase(preClassify ? "pre-classify matches inner ports"
                               : "no pre-classify, outer header"),
          m_preClassify(preClassify)
    {
    }

  private:
    void DoRun() override;

    bool m_preClassify; //!< `qos pre-classify` on gateway A's crypto map
};

void
LlqPreClassifyTestCase::DoRun()
{
    // No congestion: 1 Mb/s of data on a 10 Mb/s WAN, so only the classification counts.
    Scenario scenario;
    scenario.place = PolicyPlace::EGRESS_ACL;
    scenario.preClassify = m_preClassify;
    scenario.dataRate = DataRate("1Mbps");
    scenario.duration = Seconds(1);
    Outcome outcome = RunScenario(scenario);

    NS_TEST_ASSERT_MSG_EQ(outcome.voiceSent, 50, "1 s of voice at 50 packets/s");
    NS_TEST_ASSERT_MSG_EQ(outcome.dataSent, 125, "1 s of 1000-byte data at 1 Mb/s");
    NS_TEST_ASSERT_MSG_EQ(outcome.voiceReceived, outcome.voiceSent, "voice was lost");
    NS_TEST_ASSERT_MSG_EQ(outcome.dataReceived, outcome.dataSent, "data was lost");
    if (m_preClassify)
    {
        NS_TEST_ASSERT_MSG_EQ(outcome.voiceStats.matchedPackets,
                              outcome.voiceSent,
                              "pre-classify: voice not in the priority class");
        NS_TEST_ASSERT_MSG_EQ(outcome.defaultStats.matchedPackets,
                              outcome.dataSent,
                              "pre-classify: class-default got other than data");
    }
    else
    {
        NS_TEST_ASSERT_MSG_EQ(outcome.voiceStats.matchedPackets,
                              0,
                              "no pre-classify: the outer ESP header matched the voice list");
        NS_TEST_ASSERT_MSG_EQ(outcome.defaultStats.matchedPackets,
                              outcome.voiceSent + outcome.dataSent,
                              "no pre-classify: class-default did not get every packet");
    }
}

/**
 * \ingroup ipsec
 * `show crypto eng qos` and `show policy-map interface` print the counts of an LLQ run.
 */
class LlqShowTestCase : public TestCase
{
  public:
    LlqShowTestCase()
        : TestCase("show output counts")
    {
    }

  private:
    void DoRun() override;
};

void
LlqShowTestCase::DoRun()
{
    Scenario scenario;
    scenario.place = PolicyPlace::SERVICE_POLICY;
    scenario.engine = true;
    scenario.duration = Seconds(1);
    Outcome outcome = RunScenario(scenario);

    // Every packet the engine encrypted reached host B (a 10 Mb/s WAN, no decryption cost),
    // and every packet the queue disc did not drop was encrypted.
    uint64_t dataDrops = outcome.dataSent - outcome.dataReceived;
    uint64_t encrypted = outcome.voiceReceived + outcome.dataReceived;
    uint64_t encryptedBytes =
        outcome.voiceReceived * VOICE_IP_SIZE + outcome.dataReceived * DATA_IP_SIZE;
    NS_TEST_ASSERT_MSG_EQ(outcome.voiceReceived, 50, "1 s of voice, none lost");
    NS_TEST_ASSERT_MSG_GT(dataDrops, 0, "the engine was not overloaded");
    NS_TEST_ASSERT_MSG_EQ(outcome.defaultStats.drops, dataDrops, "class-default drops");
    NS_TEST_ASSERT_MSG_EQ(outcome.barStats.matchedPackets, 0, "class bar matched a packet");

    std::ostringstream engineLine;
    engineLine << "  encrypted: " << encrypted << " packets, " << encryptedBytes << " bytes\n";
    NS_TEST_ASSERT_MSG_NE(outcome.engineShow.find(engineLine.str()),
                          std::string::npos,
                          "show crypto eng qos lacks '" << engineLine.str() << "' in\n"
                                                        << outcome.engineShow);
    std::ostringstream queueLine;
    queueLine << "  queue disc ns3::PolicyMapQueueDisc: " << outcome.voiceSent + outcome.dataSent
              << " packets, " << outcome.voiceSent * VOICE_IP_SIZE + outcome.dataSent * DATA_IP_SIZE
              << " bytes, " << dataDrops << " drops, depth 0";
    NS_TEST_ASSERT_MSG_NE(outcome.engineShow.find(queueLine.str()),
                          std::string::npos,
                          "show crypto eng qos lacks '" << queueLine.str() << "' in\n"
                                                        << outcome.engineShow);

    // Class voice: matched and output are all 50 voice packets of 48 bytes, no drops.
    std::ostringstream voiceBlock;
    voiceBlock << "    Class-map: voice (match-all)\n"
               << "      50 packets, 2400 bytes\n"
               << "      Match: access-group 102\n"
               << "      Queueing\n"
               << "        Strict Priority\n"
               << "        Bandwidth 50 (kbps) Burst 1250 (Bytes)\n"
               << "        (pkts matched/bytes matched) 50/2400\n"
               << "        (total drops/bytes drops) 0/0\n"
               << "        (pkts output/bytes output) 50/2400\n";
    NS_TEST_ASSERT_MSG_NE(outcome.policyShow.find(voiceBlock.str()),
                          std::string::npos,
                          "show policy-map interface lacks the voice block in\n"
                              << outcome.policyShow);
    std::ostringstream defaultLines;
    defaultLines << "        (queue depth/total drops/no-buffer drops) 0/" << dataDrops << "/0\n"
                 << "        (pkts output/bytes output) " << outcome.dataReceived << "/"
                 << outcome.dataReceived * DATA_IP_SIZE << "\n";
    NS_TEST_ASSERT_MSG_NE(outcome.policyShow.find(defaultLines.str()),
                          std::string::npos,
                          "show policy-map interface lacks '" << defaultLines.str() << "' in\n"
                                                              << outcome.policyShow);
}

/**
 * \ingroup ipsec
 * Low latency queueing with IPsec: LLQ in front of the crypto engine, priority queueing
 * after encryption and its replay drops, and `qos pre-classify`.
 */
class IpsecLlqTestSuite : public TestSuite
{
  public:
    IpsecLlqTestSuite()
        : TestSuite("ipsec-llq", UNIT)
    {
        AddTestCase(new LlqVoiceDelayTestCase(), TestCase::QUICK);
        AddTestCase(new LlqEgressReplayTestCase(64), TestCase::QUICK);
        AddTestCase(new LlqEgressReplayTestCase(1024), TestCase::QUICK);
        AddTestCase(new LlqPreClassifyTestCase(true), TestCase::QUICK);
        AddTestCase(new LlqPreClassifyTestCase(false), TestCase::QUICK);
        AddTestCase(new LlqShowTestCase(), TestCase::QUICK);
    }
};

/// Registers the suite.
static IpsecLlqTestSuite g_ipsecLlqTestSuite;

} // namespace
