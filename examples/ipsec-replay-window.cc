// Copyright (c) 2026 The ns3-ipsec authors
// SPDX-License-Identifier: GPL-2.0-only

// Anti-replay drops caused by QoS on the encrypting gateway.
//
// Purpose: a priority queue after encryption reorders the packets of one SA after they got
// their sequence numbers. Gateway A's WAN device has a PrioQueueDisc: voice (DSCP EF, TOS
// 0xb8) goes to band 0, bulk data (best effort) to band 1. The data flow sends faster than
// the WAN carries, so band 1 contains hundreds of packets while voice passes them. Gateway B
// receives each queued data packet after voice packets with much higher sequence numbers,
// and a 64-packet replay window (the IOS default) drops it as too old although nothing was
// replayed. The example prints per class what was sent, what left gateway A's WAN, what
// host B received and the replay drops, then gateway B's reordering histogram per inbound
// SA with the smallest window that would have dropped nothing.
//
// Topology:
//
// clang-format off
//
//   host A              gateway A                          gateway B              host B
//   10.1.1.2 ---------- 10.1.1.1 | 192.0.2.1 =========== 192.0.2.2 | 10.2.2.1 ---------- 10.2.2.2
//            LAN A 100 Mb/s      PrioQueueDisc  WAN 2 Mb/s, 5 ms          LAN B 100 Mb/s
//                                below IPsec    (one SA for all LAN A -> LAN B traffic)
//
//   voice: UDP, 160-byte payload, 50 packets/s, TOS 0xb8   -> band 0 (100 packets)
//   data:  UDP, 1000-byte payload, 3 Mb/s, TOS 0           -> band 1 (400 packets)
//
// clang-format on
//
// Expected output (default options, 10 s): all 499 voice packets arrive. Of 3749 data
// packets, 1185 overflow band 1 and 2564 leave gateway A, but gateway B drops 2442 of
// those as "too old" and host B receives 122. The histogram reports "smallest window with
// no drops: 786". The depth exceeds the 400-packet band because packets that overflow it
// were encrypted first and used sequence numbers too. --cure=window (1024 packets),
// --cure=per-class-sa (voice gets its own SA) and --cure=seq-spaces (voice gets its own
// sequence-number space in the SA) each bring the replay drops to 0, and host B receives
// all 2564. With a split the smallest window is 1, because each band is FIFO.
//
// What to try:
// clang-format off
//   --cure=window                  a 1024-packet replay window
//   --cure=per-class-sa            one SA per class (RFC 4301 section 4.1)
//   --cure=seq-spaces              one sequence-number space per class in one SA
//   --disable=1                    no replay checking at all
//   --window=512 --dataRate=2.5Mbps  a window just large enough, or a smaller queue depth
//   NS_LOG="IpsecStack=level_debug|prefix_time"  every replay drop with its window top
// clang-format on

#include "ns3/applications-module.h"
#include "ns3/core-module.h"
#include "ns3/internet-module.h"
#include "ns3/ipsec-module.h"
#include "ns3/network-module.h"
#include "ns3/point-to-point-module.h"
#include "ns3/traffic-control-module.h"

#include <array>
#include <iomanip>
#include <iostream>
#include <map>
#include <sstream>
#include <string>
#include <utility>

using namespace ns3;

NS_LOG_COMPONENT_DEFINE("IpsecReplayWindow");

namespace
{

/// DSCP of voice: Expedited Forwarding (RFC 3246), TOS byte 0xb8.
constexpr uint8_t VOICE_DSCP = 46;
/// UDP port of the voice flow at host B.
constexpr uint16_t VOICE_PORT = 5000;
/// UDP port of the data flow at host B.
constexpr uint16_t DATA_PORT = 5001;
/// Bytes of the PPP header in front of each frame on the WAN.
constexpr uint32_t PPP_HEADER_SIZE = 2;
/// Bytes of an IPv4 header without options.
constexpr uint32_t IPV4_HEADER_SIZE = 20;
/// Index of the voice class in the per-class counters.
constexpr uint32_t VOICE = 0;
/// Index of the data class in the per-class counters.
constexpr uint32_t DATA = 1;

/// Packet counts of one traffic class.
struct ClassCounts
{
    uint64_t sent{0};            //!< packets the application at host A sent
    uint64_t leftGatewayA{0};    //!< ESP packets that left gateway A's WAN device
    uint64_t received{0};        //!< packets delivered to the sink at host B
    uint64_t replayDuplicate{0}; //!< replay drops at gateway B as duplicates
    uint64_t replayTooOld{0};    //!< replay drops at gateway B below the window
};

/// Counts of the voice class [VOICE] and the data class [DATA].
std::array<ClassCounts, 2> g_counts;
/// Traffic class of every ESP packet gateway B received, by SPI and 32-bit sequence number.
std::map<std::pair<uint32_t, uint32_t>, uint32_t> g_classOfPacket;

/// Fields of an ESP frame on the WAN that this example reads.
struct EspFrame
{
    uint8_t dscp{0};      //!< DSCP of the outer IPv4 header
    uint32_t spi{0};      //!< ESP SPI
    uint32_t sequence{0}; //!< 32-bit ESP sequence number field
};

/**
 * Reads the outer DSCP, SPI and sequence number of a PPP frame that carries an
 * unfragmented ESP packet.
 * \param frame the frame, PPP header included
 * \param esp the fields read
 * \return false for other frames
 */
bool
ReadEspFrame(Ptr<const Packet> frame, EspFrame& esp)
{
    constexpr uint32_t length = PPP_HEADER_SIZE + IPV4_HEADER_SIZE + 8;
    uint8_t bytes[length];
    if (frame->CopyData(bytes, length) != length)
    {
        return false;
    }
    const uint8_t* ip = bytes + PPP_HEADER_SIZE;
    bool isEsp = ip[9] == 50;
    bool firstFragment = ((ip[6] & 0x1f) | ip[7]) == 0;
    if ((ip[0] >> 4) != 4 || !isEsp || !firstFragment)
    {
        return false;
    }
    const uint8_t* header = ip + IPV4_HEADER_SIZE;
    esp.dscp = ip[1] >> 2;
    esp.spi = (uint32_t{header[0]} << 24) | (header[1] << 16) | (header[2] << 8) | header[3];
    esp.sequence = (uint32_t{header[4]} << 24) | (header[5] << 16) | (header[6] << 8) | header[7];
    return true;
}

/// \return the traffic class of a DSCP in this study
uint32_t
ClassOfDscp(uint8_t dscp)
{
    return dscp == VOICE_DSCP ? VOICE : DATA;
}

/// Counts an ESP frame as it starts to leave gateway A's WAN device.
void
CountLeavingGatewayA(Ptr<const Packet> frame)
{
    EspFrame esp;
    if (ReadEspFrame(frame, esp))
    {
        g_counts[ClassOfDscp(esp.dscp)].leftGatewayA++;
    }
}

/// Remembers the class of an ESP frame gateway B's WAN device received, before decryption.
void
RememberArrival(Ptr<const Packet> frame)
{
    EspFrame esp;
    if (ReadEspFrame(frame, esp))
    {
        g_classOfPacket[{esp.spi, esp.sequence}] = ClassOfDscp(esp.dscp);
    }
}

/// Counts a replay drop at gateway B in the class of the dropped packet.
void
CountReplayDrop(Ptr<const Packet> packet,
                Ptr<const IpsecSecurityAssociation> sa,
                uint64_t sequence,
                uint64_t top,
                IpsecDropReason reason)
{
    auto found = g_classOfPacket.find({sa->GetSpi(), static_cast<uint32_t>(sequence)});
    NS_ABORT_MSG_IF(found == g_classOfPacket.end(),
                    "replay drop of a packet that gateway B's WAN device never received");
    ClassCounts& counts = g_counts[found->second];
    (reason == IpsecDropReason::REPLAY_DUPLICATE ? counts.replayDuplicate : counts.replayTooOld)++;
}

/// Prints a usage error for one option and returns the exit status for bad input.
int
BadOption(const std::string& message)
{
    std::cerr << "ipsec-replay-window: " << message << std::endl;
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

} // namespace

namespace ns3
{

/**
 * \ingroup ipsec
 * Puts ESP packets whose outer DSCP is EF in band 0 of a PrioQueueDisc and every other
 * IPv4 packet in band 1.
 *
 * The socket priority cannot do this on gateway A in ns-3.37. The traffic-control layer
 * removes the SocketPriorityTag when it hands a forwarded packet to the IPsec device,
 * because that device has no queue disc. The encrypted packet therefore reaches the queue
 * disc below without a tag.
 * The outer header carries the inner DSCP, so classifying by DSCP works.
 */
class EfPacketFilter : public Ipv4PacketFilter
{
  public:
    /**
     * \brief Get the type ID.
     * \return the object TypeId
     */
    static TypeId GetTypeId();

  private:
    int32_t DoClassify(Ptr<QueueDiscItem> item) const override;
};

NS_OBJECT_ENSURE_REGISTERED(EfPacketFilter);

TypeId
EfPacketFilter::GetTypeId()
{
    static TypeId tid = TypeId("ns3::EfPacketFilter")
                            .SetParent<Ipv4PacketFilter>()
                            .SetGroupName("Ipsec")
                            .AddConstructor<EfPacketFilter>();
    return tid;
}

int32_t
EfPacketFilter::DoClassify(Ptr<QueueDiscItem> item) const
{
    Ptr<Ipv4QueueDiscItem> ipv4 = DynamicCast<Ipv4QueueDiscItem>(item);
    return ipv4->GetHeader().GetDscp() == VOICE_DSCP ? 0 : 1;
}

} // namespace ns3

int
main(int argc, char* argv[])
{
    int64_t window = 64;
    bool disable = false;
    std::string cure = "none";
    double voiceRate = 50;
    std::string dataRateText = "3Mbps";
    std::string wanRateText = "2Mbps";
    double duration = 10;
    bool quick = false;

    CommandLine cmd(__FILE__);
    cmd.AddValue("window", "Replay window size at both gateways (packets, 1 to 2^31)", window);
    cmd.AddValue("disable", "Disable replay checking", disable);
    cmd.AddValue("cure",
                 "none, window (a 1024-packet window unless --window sets another), "
                 "per-class-sa (one SA per class) or seq-spaces (one sequence space per class)",
                 cure);
    cmd.AddValue("voiceRate", "Voice packets per second (160-byte UDP payload)", voiceRate);
    cmd.AddValue("dataRate", "Rate of the bulk data flow (1000-byte UDP payload)", dataRateText);
    cmd.AddValue("wanRate", "WAN link rate", wanRateText);
    cmd.AddValue("duration", "Time both flows send (s)", duration);
    cmd.AddValue("quick", "Short run for automated tests (2 s)", quick);
    cmd.Parse(argc, argv);
    if (quick)
    {
        duration = 2;
    }

    // Bad input stops here with one line, before anything is built.
    if (window < 1 || window > (int64_t{1} << 31))
    {
        return BadOption("--window=" + std::to_string(window) +
                         " is invalid: use 1 to 2147483648 packets");
    }
    if (cure != "none" && cure != "window" && cure != "per-class-sa" && cure != "seq-spaces")
    {
        return BadOption("--cure=" + cure +
                         " is invalid: use none, window, per-class-sa or seq-spaces");
    }
    if (disable && cure == "window")
    {
        return BadOption("--disable with --cure=window is invalid: a disabled check has no "
                         "window, so choose one");
    }
    if (!(voiceRate > 0) || voiceRate > 10000)
    {
        return BadOption("--voiceRate=" + FormatNumber(voiceRate) +
                         " is invalid: use above 0 and up to 10000 packets per second");
    }
    DataRate dataRate;
    DataRate wanRate;
    std::string problem = ParseRate("dataRate", dataRateText, dataRate);
    if (problem.empty())
    {
        problem = ParseRate("wanRate", wanRateText, wanRate);
    }
    if (!problem.empty())
    {
        return BadOption(problem);
    }
    if (!(duration > 0) || duration > 3600)
    {
        return BadOption("--duration=" + FormatNumber(duration) +
                         " is invalid: use above 0 and up to 3600 seconds");
    }
    if (cure == "window" && window == 64)
    {
        window = 1024;
    }

    NodeContainer hostA;
    NodeContainer gateways;
    NodeContainer hostB;
    hostA.Create(1);
    gateways.Create(2);
    hostB.Create(1);

    // A one-packet device queue on the WAN keeps the backlog in the queue disc, where the
    // priority bands reorder it.
    PointToPointHelper lan;
    lan.SetDeviceAttribute("DataRate", StringValue("100Mbps"));
    lan.SetChannelAttribute("Delay", StringValue("1ms"));
    PointToPointHelper wan;
    wan.SetDeviceAttribute("DataRate", DataRateValue(wanRate));
    wan.SetChannelAttribute("Delay", StringValue("5ms"));
    wan.SetQueue("ns3::DropTailQueue", "MaxSize", StringValue("1p"));
    NetDeviceContainer lanA = lan.Install(gateways.Get(0), hostA.Get(0));
    NetDeviceContainer lanB = lan.Install(gateways.Get(1), hostB.Get(0));
    NetDeviceContainer wanDevices = wan.Install(gateways.Get(0), gateways.Get(1));

    InternetStackHelper internet;
    internet.InstallAll();

    // Strict priority below IPsec on gateway A: EF goes to band 0, everything else to band 1.
    TrafficControlHelper trafficControl;
    uint16_t root = trafficControl.SetRootQueueDisc("ns3::PrioQueueDisc");
    TrafficControlHelper::ClassIdList bands =
        trafficControl.AddQueueDiscClasses(root, 2, "ns3::QueueDiscClass");
    trafficControl.AddChildQueueDisc(root,
                                     bands[0],
                                     "ns3::FifoQueueDisc",
                                     "MaxSize",
                                     QueueSizeValue(QueueSize("100p")));
    trafficControl.AddChildQueueDisc(root,
                                     bands[1],
                                     "ns3::FifoQueueDisc",
                                     "MaxSize",
                                     QueueSizeValue(QueueSize("400p")));
    QueueDiscContainer queueDiscs = trafficControl.Install(wanDevices.Get(0));
    Ptr<PrioQueueDisc> prio = DynamicCast<PrioQueueDisc>(queueDiscs.Get(0));
    prio->AddPacketFilter(CreateObject<EfPacketFilter>());

    // The WAN interfaces get IPsec devices, and their addresses, before anything else.
    IpsecHelper ipsec;
    ipsec.AssignStreams(1);
    NetDeviceContainer wanInterfaces = ipsec.InstallDevices(wanDevices);

    Ipv4AddressHelper address;
    address.SetBase("10.1.1.0", "255.255.255.0");
    address.Assign(lanA);
    address.SetBase("10.2.2.0", "255.255.255.0");
    Ipv4InterfaceContainer lanBInterfaces = address.Assign(lanB);
    address.SetBase("192.0.2.0", "255.255.255.252");
    Ipv4InterfaceContainer wanAddresses = address.Assign(wanInterfaces);

    // Static routes: hosts default to their gateway, gateways reach the far LAN over the WAN.
    Ipv4StaticRoutingHelper routing;
    routing.GetStaticRouting(hostA.Get(0)->GetObject<Ipv4>())
        ->SetDefaultRoute(Ipv4Address("10.1.1.1"), 1);
    routing.GetStaticRouting(hostB.Get(0)->GetObject<Ipv4>())
        ->SetDefaultRoute(Ipv4Address("10.2.2.1"), 1);
    routing.GetStaticRouting(gateways.Get(0)->GetObject<Ipv4>())
        ->AddNetworkRouteTo("10.2.2.0", "255.255.255.0", wanAddresses.GetAddress(1), 2);
    routing.GetStaticRouting(gateways.Get(1)->GetObject<Ipv4>())
        ->AddNetworkRouteTo("10.1.1.0", "255.255.255.0", wanAddresses.GetAddress(0), 2);

    // One crypto map entry protects all LAN A -> LAN B traffic, voice and data alike.
    if (disable)
    {
        ipsec.SetTunnelReplayDisable(true);
    }
    else
    {
        ipsec.SetTunnelReplayWindowSize(static_cast<uint32_t>(window));
    }
    if (cure == "per-class-sa")
    {
        ipsec.SetTunnelTrafficClasses({{VOICE_DSCP}},
                                      CryptoMapEntry::TrafficClassMode::SEPARATE_SAS);
    }
    else if (cure == "seq-spaces")
    {
        ipsec.SetTunnelTrafficClasses({{VOICE_DSCP}},
                                      CryptoMapEntry::TrafficClassMode::SEQUENCE_SPACES);
    }
    ipsec.CreateManualTunnel(wanInterfaces.Get(0),
                             wanInterfaces.Get(1),
                             "permit ip 10.1.1.0 0.0.0.255 10.2.2.0 0.0.0.255",
                             "esp-aes esp-sha-hmac");

    // Traffic: constant-rate voice and data from host A to two sinks at host B. The voice
    // socket's TOS gives its packets DSCP EF, which the IPsec device copies to the outer
    // header.
    Ipv4Address hostBAddress = lanBInterfaces.GetAddress(1);
    InetSocketAddress voiceDestination(hostBAddress, VOICE_PORT);
    voiceDestination.SetTos(VOICE_DSCP << 2);
    OnOffHelper voice("ns3::UdpSocketFactory", voiceDestination);
    voice.SetConstantRate(DataRate(static_cast<uint64_t>(160 * 8 * voiceRate)), 160);
    OnOffHelper data("ns3::UdpSocketFactory", InetSocketAddress(hostBAddress, DATA_PORT));
    data.SetConstantRate(dataRate, 1000);
    ApplicationContainer senders;
    senders.Add(voice.Install(hostA.Get(0)));
    senders.Add(data.Install(hostA.Get(0)));
    senders.Start(Seconds(1.0));
    senders.Stop(Seconds(1.0 + duration));

    PacketSinkHelper voiceSink("ns3::UdpSocketFactory",
                               InetSocketAddress(Ipv4Address::GetAny(), VOICE_PORT));
    PacketSinkHelper dataSink("ns3::UdpSocketFactory",
                              InetSocketAddress(Ipv4Address::GetAny(), DATA_PORT));
    ApplicationContainer sinks;
    sinks.Add(voiceSink.Install(hostB.Get(0)));
    sinks.Add(dataSink.Install(hostB.Get(0)));
    sinks.Start(Seconds(0.5));

    for (uint32_t flow : {VOICE, DATA})
    {
        senders.Get(flow)->TraceConnectWithoutContext(
            "Tx",
            MakeCallback(+[](ClassCounts* counts, Ptr<const Packet>) {
                counts->sent++;
            }).Bind(&g_counts[flow]));
        sinks.Get(flow)->TraceConnectWithoutContext(
            "Rx",
            MakeCallback(+[](ClassCounts* counts, Ptr<const Packet>, const Address&) {
                counts->received++;
            }).Bind(&g_counts[flow]));
    }
    wanDevices.Get(0)->TraceConnectWithoutContext("PhyTxBegin",
                                                  MakeCallback(&CountLeavingGatewayA));
    wanDevices.Get(1)->TraceConnectWithoutContext("MacRx", MakeCallback(&RememberArrival));
    Ptr<IpsecStack> stackB = gateways.Get(1)->GetObject<IpsecStack>();
    stackB->TraceConnectWithoutContext("ReplayDrop", MakeCallback(&CountReplayDrop));

    // Long enough after the senders stop for a full band 1 to drain over the WAN.
    double drainSeconds = 400.0 * 1100 * 8 / wanRate.GetBitRate() + 1.0;
    Simulator::Stop(Seconds(1.0 + duration + drainSeconds));
    Simulator::Run();

    std::cout << "cure " << cure << ", replay "
              << (disable ? std::string("disabled") : "window " + std::to_string(window))
              << ", WAN " << wanRateText << ", data " << dataRateText << ", voice " << voiceRate
              << " packets/s for " << duration << " s\n\n";
    std::cout << "class  sent  left-A  received  replay-duplicate  replay-too-old\n";
    const char* names[] = {"voice", "data "};
    for (uint32_t flow : {VOICE, DATA})
    {
        const ClassCounts& counts = g_counts[flow];
        std::cout << names[flow] << std::setw(6) << counts.sent << std::setw(8)
                  << counts.leftGatewayA << std::setw(10) << counts.received << std::setw(18)
                  << counts.replayDuplicate << std::setw(16) << counts.replayTooOld << "\n";
    }
    std::cout << "queue disc drops at gateway A: " << prio->GetStats().nTotalDroppedPackets << "\n";
    std::cout << "packets queued in band 0 (voice): "
              << prio->GetQueueDiscClass(0)->GetQueueDisc()->GetStats().nTotalEnqueuedPackets
              << ", band 1 (data): "
              << prio->GetQueueDiscClass(1)->GetQueueDisc()->GetStats().nTotalEnqueuedPackets
              << "\n";

    for (const auto& sa : stackB->GetSadb()->GetInboundSas())
    {
        const IpsecSaCounters& counters = sa->GetCounters();
        const ReorderingHistogram& histogram = sa->GetReorderingHistogram();
        std::cout << "\ngateway B inbound SA 0x" << std::hex << sa->GetSpi() << std::dec << ": "
                  << counters.decaps << " decapsulated, " << counters.replayDuplicate
                  << " duplicates, " << counters.replayTooOld << " too old\n";
        histogram.Print(std::cout);
        std::cout << "smallest window with no drops: " << histogram.GetMinimumWindow() << "\n";
    }
    Simulator::Destroy();
    return 0;
}
