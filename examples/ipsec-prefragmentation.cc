// Copyright (c) 2026 The ns3-ipsec authors
// SPDX-License-Identifier: GPL-2.0-only

// Fragmentation before and after encryption across the MTU boundary.
//
// Purpose: shows what a gateway does with tunnel-mode packets that grow past the WAN MTU
// when protected, as IOS decides it from `crypto ipsec fragmentation` (pre-fragmentation),
// `crypto ipsec df-bit` and the inner DF bit. Host A sends UDP payloads of each size in a
// sweep across the boundary (1380 to 1470 bytes by default) to host B, once with
// pre-fragmentation on and once with it off. With esp-aes esp-sha-hmac the largest payload
// whose packet fits the tunnel is 1410 bytes. For each size the program prints:
//  - WAN frames per packet: 1 when the packet fits, 2 ESP packets when gateway A
//    fragments before encryption, 1 ESP packet in 2 IPv4 fragments when it fragments after;
//  - reassemblies at the decryptor: outer packets gateway B reassembled before decrypting,
//    each of which takes the slow path (IpsecStack::ReassemblyDelay);
//  - drops: packets the IPsec code of either gateway dropped, for any reason;
//  - ICMP: "fragmentation needed" messages gateway A sent back (df-bit set or copy with the
//    inner DF bit set);
//  - goodput: UDP payload bits host B received per second, measured from its first to its
//    last arrival.
//
// Topology:
//
// clang-format off
//
//   host A              gateway A                     gateway B              host B
//   10.1.1.2 ---------- 10.1.1.1 | 192.0.2.1 ====== 192.0.2.2 | 10.2.2.1 ---------- 10.2.2.2
//            LAN A 100 Mb/s      crypto map  WAN 10 Mb/s, 5 ms  crypto map     LAN B 100 Mb/s
//                                            MTU 1500
//
// clang-format on
//
// Expected output (defaults: esp-aes esp-sha-hmac, df-bit copy, inner DF 0, 100 packets
// per size at 8 Mb/s): the usable MTU is 1438 bytes. Payloads up to 1410 bytes give 1 WAN
// frame per packet either way. From 1420 bytes, pre-fragmentation on gives 2 frames per
// packet and 0 reassemblies at gateway B, and off gives 2 frames per packet and 100
// reassemblies. There are no drops and no ICMP, all 100 packets arrive, and goodput is
// the offered 8 Mb/s:
//
// clang-format off
//   payload  inner  outer  pre-frag  WAN frames  reassembled  drops  ICMP  delivered  goodput
//     bytes  bytes  bytes            per packet  at gateway B                   Mb/s
//      1410   1438   1496        on        1.00            0      0     0    100/100    8.000
//      1410   1438   1496       off        1.00            0      0     0    100/100    8.000
//      1420   1448   1512        on        2.00            0      0     0    100/100    8.000
//      1420   1448   1512       off        2.00          100      0     0    100/100    8.000
// clang-format on
//
// What to try:
// clang-format off
//   --inner-df                                 payloads over 1410 bytes dropped, 1 ICMP each
//   --inner-df --df-bit=clear                  DF ignored: fragmented as without it
//   --df-bit=set                               outer DF set on every packet that fits
//   --rate=12 --min-size=1470                  WAN overloaded: pre-fragmentation sends more bytes
//                                              (8.9 Mb/s goodput on, 9.3 Mb/s off)
//   --transforms=esp-gcm                       a smaller overhead moves the boundary to 1418 bytes
//   --transforms=ah-sha-hmac,esp-aes,esp-sha-hmac   the AH+ESP bundle (commas for spaces)
//   --min-size=1470 --packets=300 --ns3::IpsecStack::ReassemblyDelay=+2ms
//                                              a slow decryptor: goodput 5.88 Mb/s with it off
//   --ns3::IpsecStack::ReassemblyQueueLimit=10 added to the line above: slow-path drops
// clang-format on

#include "ns3/core-module.h"
#include "ns3/internet-module.h"
#include "ns3/ipsec-module.h"
#include "ns3/network-module.h"
#include "ns3/point-to-point-module.h"

#include <algorithm>
#include <iomanip>
#include <iostream>
#include <sstream>
#include <string>
#include <vector>

using namespace ns3;

NS_LOG_COMPONENT_DEFINE("IpsecPreFragmentationExample");

namespace
{

/// Transform list from --transforms, with spaces (the default is IOS's usual pair).
std::string g_transforms = "esp-aes esp-sha-hmac";

/// Stores --transforms whole: ns-3's CommandLine would stop a plain string at a space.
bool
SetTransforms(const std::string& value)
{
    g_transforms = value;
    std::replace(g_transforms.begin(), g_transforms.end(), ',', ' ');
    return true;
}

/// Prints a usage error for one option and returns the exit status for bad input.
int
BadOption(const std::string& message)
{
    std::cerr << "ipsec-prefragmentation: " << message << std::endl;
    return 2;
}

/// Settings shared by every run of the sweep.
struct SweepSettings
{
    std::string transforms; //!< transform list, spaces between words
    IpsecDfBitPolicy dfBit; //!< gateway A's df-bit policy
    bool innerDontFragment; //!< DF bit of the packets host A sends
    uint32_t packets;       //!< packets per run
    double rateMbps;        //!< UDP payload rate host A offers (Mb/s)
};

/// Measurements of one run.
struct RunResult
{
    uint32_t wanFrames = 0;   //!< frames gateway A put on the WAN
    uint64_t reassembled = 0; //!< outer packets gateway B reassembled
    uint64_t drops = 0;       //!< IPsec drops on both gateways
    uint64_t icmp = 0;        //!< ICMP fragmentation needed sent by gateway A
    uint32_t delivered = 0;   //!< payloads host B received
    Time firstArrival;        //!< when host B received the first payload
    Time lastArrival;         //!< when host B received the last payload
};

/**
 * Builds the network, sends one run of packets of one size and measures it.
 * \param settings the sweep settings
 * \param payloadSize the UDP payload size in bytes
 * \param preFragmentation gateway A's pre-fragmentation setting
 * \return what the run measured
 */
RunResult
RunOnce(const SweepSettings& settings, uint32_t payloadSize, bool preFragmentation)
{
    NodeContainer nodes;
    nodes.Create(4);
    Ptr<Node> hostA = nodes.Get(0);
    Ptr<Node> gatewayA = nodes.Get(1);
    Ptr<Node> gatewayB = nodes.Get(2);
    Ptr<Node> hostB = nodes.Get(3);

    PointToPointHelper lan;
    lan.SetDeviceAttribute("DataRate", StringValue("100Mbps"));
    lan.SetChannelAttribute("Delay", StringValue("1ms"));
    PointToPointHelper wanLink;
    wanLink.SetDeviceAttribute("DataRate", StringValue("10Mbps"));
    wanLink.SetChannelAttribute("Delay", StringValue("5ms"));
    NetDeviceContainer lanA = lan.Install(gatewayA, hostA);
    NetDeviceContainer lanB = lan.Install(gatewayB, hostB);
    NetDeviceContainer wanLower = wanLink.Install(gatewayA, gatewayB);

    InternetStackHelper internet;
    internet.Install(nodes);

    // The WAN interfaces get IPsec devices before their addresses, so IPv4 uses them.
    IpsecHelper ipsec;
    ipsec.SetStackAttribute("DfBit", EnumValue(settings.dfBit));
    ipsec.SetStackAttribute("PreFragmentation", BooleanValue(preFragmentation));
    ipsec.AssignStreams(1);
    NetDeviceContainer wan = ipsec.InstallDevices(wanLower);

    Ipv4AddressHelper address;
    address.SetBase("10.1.1.0", "255.255.255.0");
    address.Assign(lanA);
    address.SetBase("10.2.2.0", "255.255.255.0");
    address.Assign(lanB);
    address.SetBase("192.0.2.0", "255.255.255.252");
    address.Assign(wan);

    // Static routes: hosts default to their gateway, gateways reach the far LAN over the WAN.
    Ipv4StaticRoutingHelper routing;
    routing.GetStaticRouting(hostA->GetObject<Ipv4>())->SetDefaultRoute(Ipv4Address("10.1.1.1"), 1);
    routing.GetStaticRouting(hostB->GetObject<Ipv4>())->SetDefaultRoute(Ipv4Address("10.2.2.1"), 1);
    routing.GetStaticRouting(gatewayA->GetObject<Ipv4>())
        ->AddNetworkRouteTo("10.2.2.0", "255.255.255.0", Ipv4Address("192.0.2.2"), 2);
    routing.GetStaticRouting(gatewayB->GetObject<Ipv4>())
        ->AddNetworkRouteTo("10.1.1.0", "255.255.255.0", Ipv4Address("192.0.2.1"), 2);

    ipsec.CreateManualTunnel(wan.Get(0),
                             wan.Get(1),
                             "permit ip 10.1.1.0 0.0.0.255 10.2.2.0 0.0.0.255",
                             settings.transforms);

    RunResult result;
    wanLower.Get(0)->TraceConnectWithoutContext(
        "PhyTxBegin",
        MakeCallback(+[](uint32_t* frames, Ptr<const Packet>) {
            ++*frames;
        }).Bind(&result.wanFrames));
    for (Ptr<Node> gateway : {gatewayA, gatewayB})
    {
        gateway->GetObject<IpsecStack>()->TraceConnectWithoutContext(
            "Drop",
            MakeCallback(+[](uint64_t* drops,
                             Ptr<const Packet>,
                             IpsecDropReason,
                             Ptr<const IpsecSecurityAssociation>) {
                ++*drops;
            }).Bind(&result.drops));
    }

    // Host B counts payloads and notes the first and last arrival.
    Ptr<Socket> sink = Socket::CreateSocket(hostB, UdpSocketFactory::GetTypeId());
    sink->Bind(InetSocketAddress(Ipv4Address::GetAny(), 9));
    sink->SetRecvCallback(MakeCallback(+[](RunResult* run, Ptr<Socket> socket) {
                              while (socket->Recv())
                              {
                                  if (run->delivered == 0)
                                  {
                                      run->firstArrival = Simulator::Now();
                                  }
                                  run->lastArrival = Simulator::Now();
                                  ++run->delivered;
                              }
                          }).Bind(&result));

    // Host A sends through a raw socket so that --inner-df chooses the DF bit of each packet.
    Ptr<Socket> source = Socket::CreateSocket(hostA, Ipv4RawSocketFactory::GetTypeId());
    source->SetAttribute("Protocol", UintegerValue(UdpL4Protocol::PROT_NUMBER));
    source->SetAttribute("IpHeaderInclude", BooleanValue(true));
    Time interval = Seconds(payloadSize * 8.0 / (settings.rateMbps * 1e6));
    for (uint32_t i = 0; i < settings.packets; ++i)
    {
        Ptr<Packet> packet = Create<Packet>(payloadSize);
        UdpHeader udp;
        udp.SetSourcePort(4000);
        udp.SetDestinationPort(9);
        packet->AddHeader(udp);
        Ipv4Header header;
        header.SetSource(Ipv4Address("10.1.1.2"));
        header.SetDestination(Ipv4Address("10.2.2.2"));
        header.SetProtocol(UdpL4Protocol::PROT_NUMBER);
        header.SetTtl(64);
        header.SetPayloadSize(packet->GetSize());
        header.SetIdentification(static_cast<uint16_t>(i + 1));
        if (settings.innerDontFragment)
        {
            header.SetDontFragment();
        }
        else
        {
            header.SetMayFragment();
        }
        packet->AddHeader(header);
        Simulator::Schedule(Seconds(1) + interval * i, [source, packet]() {
            source->SendTo(packet, 0, InetSocketAddress(Ipv4Address("10.2.2.2"), 0));
        });
    }
    Simulator::Run();

    result.reassembled = gatewayB->GetObject<IpsecStack>()->GetReassembledCount();
    result.icmp = DynamicCast<IpsecNetDevice>(wan.Get(0))->GetFragmentationNeededCount();
    Simulator::Destroy();
    return result;
}

} // namespace

int
main(int argc, char* argv[])
{
    std::string preFragmentation = "both";
    std::string dfBit = "copy";
    bool innerDontFragment = false;
    bool quick = false;
    int64_t packets = 100;
    double rate = 8;
    int64_t minSize = 1380;
    int64_t maxSize = 1470;
    int64_t step = 10;

    CommandLine cmd(__FILE__);
    cmd.AddValue("prefrag",
                 "Gateway A's pre-fragmentation (fragment before encryption): on, off or both",
                 preFragmentation);
    cmd.AddValue("df-bit", "Gateway A's crypto ipsec df-bit: clear, set or copy", dfBit);
    cmd.AddValue("inner-df", "Set the DF bit on the packets host A sends", innerDontFragment);
    cmd.AddValue("transforms",
                 "IOS transform set, commas or quoted spaces between words "
                 "(default esp-aes,esp-sha-hmac), e.g. esp-aes,256,esp-sha-hmac",
                 MakeCallback(&SetTransforms));
    cmd.AddValue("packets", "Number of packets per size and setting", packets);
    cmd.AddValue("rate", "UDP payload rate host A sends at (Mb/s)", rate);
    cmd.AddValue("min-size", "Smallest UDP payload of the sweep (bytes)", minSize);
    cmd.AddValue("max-size", "Largest UDP payload of the sweep (bytes, at most 1472)", maxSize);
    cmd.AddValue("step", "Step between two payload sizes of the sweep (bytes)", step);
    cmd.AddValue("quick", "Short run for automated tests (5 packets per size)", quick);
    cmd.Parse(argc, argv);
    if (quick)
    {
        packets = 5;
    }

    // Bad input stops here with one line, before anything is built.
    std::vector<bool> preFragmentationSettings;
    if (preFragmentation == "on" || preFragmentation == "both")
    {
        preFragmentationSettings.push_back(true);
    }
    if (preFragmentation == "off" || preFragmentation == "both")
    {
        preFragmentationSettings.push_back(false);
    }
    if (preFragmentationSettings.empty())
    {
        return BadOption("--prefrag=" + preFragmentation + " is invalid: use on, off or both");
    }
    IpsecDfBitPolicy dfBitPolicy;
    if (dfBit == "clear")
    {
        dfBitPolicy = DF_BIT_CLEAR;
    }
    else if (dfBit == "set")
    {
        dfBitPolicy = DF_BIT_SET;
    }
    else if (dfBit == "copy")
    {
        dfBitPolicy = DF_BIT_COPY;
    }
    else
    {
        return BadOption("--df-bit=" + dfBit + " is invalid: use clear, set or copy");
    }
    if (packets < 1 || packets > 1000000)
    {
        return BadOption("--packets=" + std::to_string(packets) + " is invalid: use 1 to 1000000");
    }
    if (!(rate > 0 && rate <= 1000))
    {
        std::ostringstream value;
        value << rate;
        return BadOption("--rate=" + value.str() +
                         " is invalid: use a rate above 0 and up to 1000 Mb/s");
    }
    // Host A's LAN MTU is 1500 bytes, so 1472 bytes is the largest unfragmented payload.
    if (minSize < 1 || minSize > 1472)
    {
        return BadOption("--min-size=" + std::to_string(minSize) +
                         " is invalid: use 1 to 1472 bytes");
    }
    if (maxSize < minSize || maxSize > 1472)
    {
        return BadOption("--max-size=" + std::to_string(maxSize) + " is invalid: use " +
                         std::to_string(minSize) + " (--min-size) to 1472 bytes");
    }
    if (step < 1)
    {
        return BadOption("--step=" + std::to_string(step) + " is invalid: use 1 byte or more");
    }
    IpsecTransformSet set;
    std::string problem = IpsecTransformSet::Parse("prefragmentation", g_transforms, set);
    if (!problem.empty())
    {
        return BadOption("--transforms=" + g_transforms + " is invalid: " + problem);
    }

    SweepSettings settings{g_transforms,
                           dfBitPolicy,
                           innerDontFragment,
                           static_cast<uint32_t>(packets),
                           rate};

    // The usable MTU is the largest inner packet whose protected size fits the WAN MTU.
    const uint32_t wanMtu = 1500;
    uint32_t usableMtu = wanMtu;
    while (usableMtu > 20 && set.GetEncapsulatedSize(usableMtu) > wanMtu)
    {
        --usableMtu;
    }
    std::cout << "transforms " << g_transforms << ", df-bit " << dfBit << ", inner DF "
              << (innerDontFragment ? 1 : 0) << ", " << packets << " packets per run at " << rate
              << " Mb/s of UDP payload\n";
    std::cout << "WAN MTU " << wanMtu << " bytes, usable MTU " << usableMtu
              << " bytes (largest UDP payload that fits: " << usableMtu - 28 << " bytes)\n\n";
    std::cout << "payload  inner  outer  pre-frag  WAN frames  reassembled  drops  ICMP  "
                 "delivered  goodput\n";
    std::cout << "  bytes  bytes  bytes            per packet  at gateway B                "
                 "   Mb/s\n";

    for (int64_t size = minSize; size <= maxSize; size += step)
    {
        uint32_t payloadSize = static_cast<uint32_t>(size);
        uint32_t inner = payloadSize + 28;
        for (bool on : preFragmentationSettings)
        {
            RunResult run = RunOnce(settings, payloadSize, on);

            // Goodput needs two arrivals: n payloads span n - 1 intervals.
            double goodput = 0;
            if (run.delivered > 1 && run.lastArrival > run.firstArrival)
            {
                goodput = (run.delivered - 1) * payloadSize * 8.0 /
                          (run.lastArrival - run.firstArrival).GetSeconds() / 1e6;
            }
            std::cout << std::setw(7) << payloadSize << std::setw(7) << inner << std::setw(7)
                      << set.GetEncapsulatedSize(inner) << std::setw(10) << (on ? "on" : "off")
                      << std::setw(12) << std::fixed << std::setprecision(2)
                      << static_cast<double>(run.wanFrames) / settings.packets << std::setw(13)
                      << run.reassembled << std::setw(7) << run.drops << std::setw(6) << run.icmp
                      << std::setw(11)
                      << (std::to_string(run.delivered) + "/" + std::to_string(settings.packets))
                      << std::setw(9) << std::setprecision(3) << goodput << "\n";
        }
    }
    return 0;
}
