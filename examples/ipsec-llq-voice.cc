// Copyright (c) 2026 The ns3-ipsec authors
// SPDX-License-Identifier: GPL-2.0-only

// Low latency queueing (LLQ) for voice in front of an overloaded crypto engine.
//
// Purpose: the LLQ example of Cisco's IOS QoS configuration guide, applied with
// `service-policy output` where the crypto engine is the bottleneck. Gateway A's engine
// encrypts with one worker at 20 us plus 4 us per byte (2 Mb/s), and host A offers it more
// data than that. Without LLQ, voice waits in the engine's 64-packet FIFO behind the data
// backlog, or is dropped when the FIFO is full. With LLQ, the priority class is served
// next whenever the worker is free, so at the default rates voice waits at most for the data
// packet in service (4.132 ms) and its own service (0.212 ms). The WAN (10 Mb/s) carries everything
// the engine encrypts, so the engine, not the link, decides the delay.
//
// Configuration modelled (gateway A):
//
// clang-format off
//   access-list 102 permit udp host 10.1.1.2 host 10.2.2.2 range 16384 20000
//   access-list 102 permit udp host 10.1.1.2 host 10.2.2.2 range 53000 56000
//   class-map voice
//    match access-group 102
//   class-map bar
//    match dscp af21                  (the guide leaves bar's criteria open; no flow here)
//   policy-map policy1
//    class voice
//     priority 50
//    class bar
//     bandwidth 20
//    class class-default
//     fair-queue
//   interface Serial0/0
//    service-policy output policy1    (ApplyServicePolicy: in front of the crypto engine)
// clang-format on
//
// Topology:
//
// clang-format off
//
//   host A              gateway A                          gateway B              host B
//   10.1.1.2 ---------- 10.1.1.1 | 192.0.2.1 =========== 192.0.2.2 | 10.2.2.1 ---------- 10.2.2.2
//            LAN A 100 Mb/s      engine 2 Mb/s   WAN 10 Mb/s, 5 ms           LAN B 100 Mb/s
//                                one worker      (one ESP SA, esp-aes esp-sha-hmac)
//
//   voice: one G.729-like call, 20-byte UDP payload every 20 ms, port 16384 -> 16384
//   data:  UDP, 1000-byte payload, --dataRate (4 Mb/s), port 9000 -> 9000
//
// clang-format on
//
// Voice rate against `priority 50`: a voice packet is 48 bytes in front of the engine
// (IPv4 20 + UDP 8 + payload 20), so 50 packets/s are 19.2 kb/s. Encrypted it is 120 bytes
// (outer IPv4 20, ESP header 8, IV 16, padded inner packet 64, ICV 12), 48 kb/s, which
// would still fit 50 kb/s after encryption.
//
// Expected output (default options, 10 s): with LLQ on, all 500 voice packets arrive with
// a mean delay of 10.04 ms, a 99th percentile of 12.06 ms and a jitter of 1.38 ms. About
// 7.11 ms of that is fixed: 7 ms of propagation and 0.11 ms of serialisation on the three
// links. The rest is the engine (at most 4.344 ms) and at most one data packet ahead on the
// WAN (1098 bytes, 0.88 ms). With LLQ off, 217 of the 500 voice packets are dropped by the
// full engine FIFO and the others take 240.67 ms on average (99th percentile 255.16 ms).
// Data gets 1.93 Mb/s with LLQ and 1.97 Mb/s without, because the engine is saturated
// either way and voice takes its share of the engine's time first.
//
// What to try:
// clang-format off
//   --llq=off                     only the run without the service policy
//   --dataRate=1.5Mbps            an engine that keeps up: LLQ changes little
//   --engineRate=8Mbps            an engine faster than the offered load
//   NS_LOG="PolicyMapQueueDisc=level_logic|prefix_time"   every class decision
// clang-format on

#include "ns3/core-module.h"
#include "ns3/internet-module.h"
#include "ns3/ipsec-module.h"
#include "ns3/network-module.h"
#include "ns3/point-to-point-module.h"
#include "ns3/traffic-control-module.h"

#include <algorithm>
#include <cmath>
#include <iomanip>
#include <iostream>
#include <memory>
#include <sstream>
#include <string>
#include <vector>

using namespace ns3;

NS_LOG_COMPONENT_DEFINE("IpsecLlqVoice");

namespace
{

/// UDP port of the voice call at both ends (the first port of the IOS voice range).
constexpr uint16_t VOICE_PORT = 16384;
/// UDP port of the data flow at both ends (outside both voice ranges).
constexpr uint16_t DATA_PORT = 9000;
/// UDP payload bytes of a voice packet. The first 4 carry its sequence number.
constexpr uint32_t VOICE_PAYLOAD = 20;
/// UDP payload bytes of a data packet.
constexpr uint32_t DATA_PAYLOAD = 1000;
/// Time both flows start.
const Time TRAFFIC_START = Seconds(1);

/// Settings shared by both runs.
struct Settings
{
    double duration{10};          //!< time both flows send (s)
    DataRate dataRate{"4Mbps"};   //!< data flow rate (UDP payload)
    DataRate engineRate{"2Mbps"}; //!< per-byte encryption rate of gateway A's engine
};

/// Measurements of one run.
struct RunResult
{
    uint64_t voiceSent{0};            //!< voice packets host A sent
    std::vector<Time> voiceSendTimes; //!< send time by voice sequence number
    std::vector<Time> voiceDelays;    //!< end-to-end delay of each received voice packet
    uint64_t dataReceivedBytes{0};    //!< data payload bytes host B received
    std::string engineShow;           //!< `show crypto eng qos` of gateway A
    std::string policyShow;           //!< `show policy-map interface` of the service policy
    std::string warning;              //!< over-subscription warning of the service policy
};

/// Prints a usage error for one option and returns the exit status for bad input.
int
BadOption(const std::string& message)
{
    std::cerr << "ipsec-llq-voice: " << message << std::endl;
    return 2;
}

/// \return a number as the command line would show it (no trailing zeros)
std::string
FormatNumber(double value)
{
    std::ostringstream text;
    text << value;
    return text.str();
}

/**
 * Parses a data rate option such as "2Mbps".
 * \param name the option name, for the error message
 * \param text the option value
 * \param rate the parsed rate
 * \return an empty string, or a one-line error
 */
std::string
ParseRate(const std::string& name, const std::string& text, DataRate& rate)
{
    DataRateValue value;
    if (!value.DeserializeFromString(text, MakeDataRateChecker()) || value.Get().GetBitRate() == 0)
    {
        return "--" + name + "=" + text +
               " is invalid: use a rate above 0 with a unit, e.g. 2Mbps or 500kbps";
    }
    rate = value.Get();
    return "";
}

/**
 * Builds policy1 of the IOS LLQ example.
 * \return the policy
 */
Ptr<PolicyMap>
MakePolicy()
{
    auto accessList = Create<Ipv4AccessList>("102");
    accessList->Add("permit udp host 10.1.1.2 host 10.2.2.2 range 16384 20000");
    accessList->Add("permit udp host 10.1.1.2 host 10.2.2.2 range 53000 56000");
    auto voice = Create<ClassMap>("voice");
    voice->AddAccessGroup(accessList);
    auto bar = Create<ClassMap>("bar");
    NS_ABORT_IF(!bar->AddMatch("match dscp af21").empty());

    auto policy = Create<PolicyMap>("policy1");
    NS_ABORT_IF(!policy->AddClass(voice).empty());
    NS_ABORT_IF(!policy->AddClass(bar).empty());
    NS_ABORT_IF(!policy->ConfigureClass("voice", "priority 50").empty());
    NS_ABORT_IF(!policy->ConfigureClass("bar", "bandwidth 20").empty());
    NS_ABORT_IF(!policy->ConfigureClass(PolicyMap::DEFAULT_CLASS, "fair-queue").empty());
    return policy;
}

/**
 * Builds the network, runs both flows, and collects the measurements. Ends with
 * Simulator::Destroy().
 * \param llq true to attach policy1 in front of gateway A's crypto engine
 * \param settings the rates and duration
 * \return the measurements
 */
RunResult
RunOnce(bool llq, const Settings& settings)
{
    auto result = std::make_shared<RunResult>();

    NodeContainer nodes;
    nodes.Create(4);
    Ptr<Node> hostA = nodes.Get(0);
    Ptr<Node> gatewayA = nodes.Get(1);
    Ptr<Node> gatewayB = nodes.Get(2);
    Ptr<Node> hostB = nodes.Get(3);

    PointToPointHelper lan;
    lan.SetDeviceAttribute("DataRate", StringValue("100Mbps"));
    lan.SetChannelAttribute("Delay", StringValue("1ms"));
    PointToPointHelper wan;
    wan.SetDeviceAttribute("DataRate", StringValue("10Mbps"));
    wan.SetChannelAttribute("Delay", StringValue("5ms"));
    NetDeviceContainer lanA = lan.Install(gatewayA, hostA);
    NetDeviceContainer lanB = lan.Install(gatewayB, hostB);
    NetDeviceContainer wanLower = wan.Install(gatewayA, gatewayB);

    InternetStackHelper internet;
    internet.Install(nodes);

    // The WAN interfaces get IPsec devices, and their addresses, before anything else.
    IpsecHelper ipsec;
    ipsec.AssignStreams(1);
    NetDeviceContainer wanDevices = ipsec.InstallDevices(wanLower);

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

    ipsec.CreateManualTunnel(wanDevices.Get(0),
                             wanDevices.Get(1),
                             "permit ip 10.1.1.0 0.0.0.255 10.2.2.0 0.0.0.255",
                             "esp-aes esp-sha-hmac");

    // Gateway A's engine. Its own FIFO has room for 64 packets, as each class queue of policy1 does
    // by default, so the runs with and without LLQ have the same buffer.
    Ptr<IpsecCryptoEngine> engine = gatewayA->GetObject<IpsecStack>()->GetCryptoEngine();
    engine->SetAttribute("EncryptPacketTime", TimeValue(MicroSeconds(20)));
    engine->SetAttribute("EncryptRate", DataRateValue(settings.engineRate));
    engine->SetAttribute("Workers", UintegerValue(1));
    engine->SetAttribute("QueueLimit", UintegerValue(64));
    Ptr<PolicyMapQueueDisc> policyQueue;
    if (llq)
    {
        policyQueue = ipsec.ApplyServicePolicy(wanDevices.Get(0), MakePolicy(), result->warning);
    }

    // Voice: 20 bytes every 20 ms, numbered so host B can find each packet's send time.
    Ptr<Socket> voiceSocket = Socket::CreateSocket(hostA, UdpSocketFactory::GetTypeId());
    voiceSocket->Bind(InetSocketAddress(Ipv4Address::GetAny(), VOICE_PORT));
    voiceSocket->Connect(InetSocketAddress(Ipv4Address("10.2.2.2"), VOICE_PORT));
    Time stop = TRAFFIC_START + Seconds(settings.duration);
    for (Time at = TRAFFIC_START; at < stop; at += MilliSeconds(20))
    {
        Simulator::Schedule(at, [voiceSocket, result]() {
            uint32_t sequence = static_cast<uint32_t>(result->voiceSendTimes.size());
            uint8_t payload[VOICE_PAYLOAD] = {};
            for (int i = 0; i < 4; ++i)
            {
                payload[i] = static_cast<uint8_t>(sequence >> (24 - 8 * i));
            }
            result->voiceSendTimes.push_back(Simulator::Now());
            if (voiceSocket->Send(Create<Packet>(payload, VOICE_PAYLOAD)) >= 0)
            {
                result->voiceSent++;
            }
        });
    }

    // Data: 1000 bytes at the data rate.
    Ptr<Socket> dataSocket = Socket::CreateSocket(hostA, UdpSocketFactory::GetTypeId());
    dataSocket->Bind(InetSocketAddress(Ipv4Address::GetAny(), DATA_PORT));
    dataSocket->Connect(InetSocketAddress(Ipv4Address("10.2.2.2"), DATA_PORT));
    Time dataInterval = settings.dataRate.CalculateBytesTxTime(DATA_PAYLOAD);
    for (Time at = TRAFFIC_START; at < stop; at += dataInterval)
    {
        Simulator::Schedule(at, [dataSocket]() {
            dataSocket->Send(Create<Packet>(DATA_PAYLOAD));
        });
    }

    // Host B: the voice sink computes delays, the data sink counts bytes.
    Ptr<Socket> voiceSink = Socket::CreateSocket(hostB, UdpSocketFactory::GetTypeId());
    voiceSink->Bind(InetSocketAddress(Ipv4Address::GetAny(), VOICE_PORT));
    voiceSink->SetRecvCallback(Callback<void, Ptr<Socket>>([result](Ptr<Socket> socket) {
        while (Ptr<Packet> packet = socket->Recv())
        {
            uint8_t payload[4];
            packet->CopyData(payload, 4);
            uint32_t sequence =
                (uint32_t{payload[0]} << 24) | (payload[1] << 16) | (payload[2] << 8) | payload[3];
            result->voiceDelays.push_back(Simulator::Now() - result->voiceSendTimes[sequence]);
        }
    }));
    Ptr<Socket> dataSink = Socket::CreateSocket(hostB, UdpSocketFactory::GetTypeId());
    dataSink->Bind(InetSocketAddress(Ipv4Address::GetAny(), DATA_PORT));
    dataSink->SetRecvCallback(Callback<void, Ptr<Socket>>([result](Ptr<Socket> socket) {
        while (Ptr<Packet> packet = socket->Recv())
        {
            result->dataReceivedBytes += packet->GetSize();
        }
    }));

    // Two seconds after the senders stop, a full 64-packet engine queue (0.26 s) has drained.
    Simulator::Stop(stop + Seconds(2));
    Simulator::Run();

    std::ostringstream engineShow;
    engine->Show(engineShow);
    result->engineShow = engineShow.str();
    if (policyQueue)
    {
        std::ostringstream policyShow;
        policyQueue->Show(policyShow);
        result->policyShow = policyShow.str();
    }

    // The sockets' callbacks hold the result, so they go before the copy is returned.
    RunResult measured = *result;
    Simulator::Destroy();
    return measured;
}

/**
 * Prints the voice and data figures of one run and the two `show` outputs.
 * \param llq whether the run had the service policy
 * \param result the measurements
 * \param duration the sending time (s)
 */
void
PrintRun(bool llq, const RunResult& result, double duration)
{
    std::vector<Time> sorted = result.voiceDelays;
    std::sort(sorted.begin(), sorted.end());
    double meanMs = 0;
    double jitterMs = 0;
    double p99Ms = 0;
    if (!sorted.empty())
    {
        for (const Time& delay : result.voiceDelays)
        {
            meanMs += delay.GetSeconds() * 1000;
        }
        meanMs /= static_cast<double>(result.voiceDelays.size());

        // The 99th percentile is the smallest delay that 99 % of the packets do not exceed.
        auto rank = static_cast<std::size_t>(std::ceil(0.99 * static_cast<double>(sorted.size())));
        p99Ms = sorted[std::max<std::size_t>(rank, 1) - 1].GetSeconds() * 1000;

        // Jitter: mean absolute difference of consecutive delays, in arrival order.
        for (std::size_t i = 1; i < result.voiceDelays.size(); ++i)
        {
            jitterMs +=
                std::abs((result.voiceDelays[i] - result.voiceDelays[i - 1]).GetSeconds()) * 1000;
        }
        if (result.voiceDelays.size() > 1)
        {
            jitterMs /= static_cast<double>(result.voiceDelays.size() - 1);
        }
    }
    uint64_t received = result.voiceDelays.size();
    uint64_t lost = result.voiceSent - received;
    double lossPercent =
        result.voiceSent == 0 ? 0 : 100.0 * static_cast<double>(lost) / result.voiceSent;

    std::cout << "=== LLQ " << (llq ? "on" : "off") << " ===\n";
    if (!result.warning.empty())
    {
        std::cout << "service-policy warning: " << result.warning << "\n";
    }
    std::cout << std::fixed << std::setprecision(2);
    std::cout << "voice: sent " << result.voiceSent << ", received " << received << ", lost "
              << lost << " (" << lossPercent << " %)\n";
    std::cout << "voice delay: mean " << meanMs << " ms, 99th percentile " << p99Ms
              << " ms, jitter " << jitterMs << " ms\n";
    std::cout << "data throughput: " << result.dataReceivedBytes * 8.0 / duration / 1e6
              << " Mb/s\n";
    std::cout.unsetf(std::ios::floatfield);
    std::cout << std::setprecision(6);
    std::cout << "\ngatewayA# show crypto eng qos\n" << result.engineShow;
    std::cout << "\ngatewayA# show policy-map interface Serial0/0\n";
    std::cout << (llq ? result.policyShow : "  Service-policy output: none\n") << "\n";
}

} // namespace

int
main(int argc, char* argv[])
{
    std::string llq = "both";
    double duration = 10;
    std::string dataRateText = "4Mbps";
    std::string engineRateText = "2Mbps";
    bool quick = false;

    CommandLine cmd(__FILE__);
    cmd.AddValue("llq", "on, off or both: run with the service policy, without, or both", llq);
    cmd.AddValue("duration", "Time both flows send (s)", duration);
    cmd.AddValue("dataRate", "Rate of the bulk data flow (1000-byte UDP payload)", dataRateText);
    cmd.AddValue("engineRate", "Per-byte encryption rate of gateway A's engine", engineRateText);
    cmd.AddValue("quick", "Short run for automated tests (2 s)", quick);
    cmd.Parse(argc, argv);
    if (quick)
    {
        duration = 2;
    }

    // Bad input stops here with one line, before anything is built.
    if (llq != "on" && llq != "off" && llq != "both")
    {
        return BadOption("--llq=" + llq + " is invalid: use on, off or both");
    }
    if (!(duration > 0) || duration > 3600)
    {
        return BadOption("--duration=" + FormatNumber(duration) +
                         " is invalid: use above 0 and up to 3600 seconds");
    }
    Settings settings;
    settings.duration = duration;
    std::string problem = ParseRate("dataRate", dataRateText, settings.dataRate);
    if (problem.empty())
    {
        problem = ParseRate("engineRate", engineRateText, settings.engineRate);
    }
    if (!problem.empty())
    {
        return BadOption(problem);
    }

    std::cout << "engine " << engineRateText << " + 20 us per packet, one worker; data "
              << dataRateText << "; voice 50 packets/s for " << duration << " s\n\n";
    if (llq != "off")
    {
        PrintRun(true, RunOnce(true, settings), duration);
    }
    if (llq != "on")
    {
        PrintRun(false, RunOnce(false, settings), duration);
    }
    return 0;
}
