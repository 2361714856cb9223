// Copyright (c) 2026 The ns3-ipsec authors
// SPDX-License-Identifier: GPL-2.0-only

// Two sites joined by an IPsec tunnel between their gateways.
//
// Purpose: the smallest complete use of the module. Host A sends UDP echo requests and
// pings to host B. Gateway A's crypto map protects traffic from LAN A to LAN B with ESP
// (and optionally AH) in tunnel mode over a point-to-point WAN. The SAs are keyed manually
// and use real AES and HMAC from OpenSSL. At the end both gateways print
// `show crypto ipsec sa`, as the router would.
//
// Topology:
//
// clang-format off
//
//   host A              gateway A                     gateway B              host B
//   10.1.1.2 ---------- 10.1.1.1 | 192.0.2.1 ====== 192.0.2.2 | 10.2.2.1 ---------- 10.2.2.2
//            LAN A 100 Mb/s      Serial0/1   WAN 10 Mb/s, 5 ms  Serial0/1      LAN B 100 Mb/s
//                                crypto map  (ESP/AH on the wire) crypto map
//
// clang-format on
//
// Expected output: 10 of 10 echo replies and pings, then for each gateway a
// `show crypto ipsec sa` block with "#pkts encaps: 20, #pkts encrypt: 20" (10 echo
// requests and 10 pings one way, the replies the other way) and no errors.
//
// What to try:
// clang-format off
//   --transforms=ah-sha-hmac,esp-aes,esp-sha-hmac   the AH+ESP bundle (commas for spaces)
//   --transforms=esp-gcm,256                        AES-GCM with a 256-bit key
//   --modelled=1                                    modelled crypto (no cipher work)
//   --ike=1                                         SAs negotiated by IKE, not manual keys
//   --ipsec=0                                       no IPsec, for a baseline
//   --size=1460                                     outer packets fragmented after encryption
//   --pcap=two-site                                 WAN pcap and key files for Wireshark
//   --packets=50000 --interval=0.001                a timing run (wall time on stderr)
//   NS_LOG="IpsecStack=level_info|prefix_time"      SA creation and drops
// clang-format on

#include "ns3/applications-module.h"
#include "ns3/core-module.h"
#include "ns3/internet-apps-module.h"
#include "ns3/internet-module.h"
#include "ns3/ipsec-module.h"
#include "ns3/network-module.h"
#include "ns3/point-to-point-module.h"

#include <algorithm>
#include <chrono>
#include <iostream>

using namespace ns3;

NS_LOG_COMPONENT_DEFINE("IpsecTwoSite");

namespace
{

/// Transform list from --transforms, with spaces (the default is IOS's usual pair).
std::string g_transforms = "esp-aes esp-sha-hmac";
/// ICMP echo requests host A sent.
uint32_t g_pingRequests = 0;
/// ICMP echo replies that reached host A's IPv4 layer.
uint32_t g_pingReplies = 0;

/// Stores --transforms whole: ns-3's CommandLine would stop a plain string at a space.
bool
SetTransforms(const std::string& value)
{
    g_transforms = value;
    std::replace(g_transforms.begin(), g_transforms.end(), ',', ' ');
    return true;
}

/// \return the ICMP type of a packet whose IPv4 header is given, or -1 for other protocols
int
IcmpType(const Ipv4Header& header, Ptr<const Packet> packet)
{
    uint8_t type = 0;
    if (header.GetProtocol() != 1 || packet->CopyData(&type, 1) != 1)
    {
        return -1;
    }
    return type;
}

/// Counts the echo requests (ICMP type 8) host A sends.
void
CountPingRequest(const Ipv4Header& header, Ptr<const Packet> packet, uint32_t interface)
{
    g_pingRequests += IcmpType(header, packet) == 8 ? 1 : 0;
}

/// Counts the echo replies (ICMP type 0) delivered to host A. Replies that arrive after the
/// pinger stopped are counted too, because the pinger no longer receives them.
void
CountPingReply(const Ipv4Header& header, Ptr<const Packet> packet, uint32_t interface)
{
    g_pingReplies += IcmpType(header, packet) == 0 ? 1 : 0;
}

/// Prints a usage error for one option and returns the exit status for bad input.
int
BadOption(const std::string& message)
{
    std::cerr << "ipsec-two-site: " << message << std::endl;
    return 2;
}

} // namespace

int
main(int argc, char* argv[])
{
    bool useIpsec = true;
    bool modelled = false;
    bool ike = false;
    bool quick = false;
    int64_t packets = 10;
    int64_t size = 512;
    double interval = 0.1;
    std::string pcapPrefix;

    CommandLine cmd(__FILE__);
    cmd.AddValue("transforms",
                 "IOS transform set, commas or quoted spaces between words "
                 "(default esp-aes,esp-sha-hmac), e.g. esp-aes,256,esp-sha-hmac",
                 MakeCallback(&SetTransforms));
    cmd.AddValue("ipsec", "Protect LAN-to-LAN traffic with IPsec", useIpsec);
    cmd.AddValue("modelled", "Use modelled crypto instead of OpenSSL", modelled);
    cmd.AddValue("ike",
                 "Negotiate the SAs with IKE (ipsec-isakmp) instead of keying them manually",
                 ike);
    cmd.AddValue("packets", "Number of UDP echo requests and of pings", packets);
    cmd.AddValue("size", "UDP echo payload size (bytes)", size);
    cmd.AddValue("interval", "Time between two echo requests, and between two pings (s)", interval);
    cmd.AddValue("pcap",
                 "Write PREFIX-1-1.pcap (gateway A's WAN), PREFIX-esp_sa (ESP keys for "
                 "Wireshark) and PREFIX-ah_sa (AH keys)",
                 pcapPrefix);
    cmd.AddValue("quick", "Short run for automated tests", quick);
    cmd.Parse(argc, argv);
    if (quick)
    {
        packets = 3;
    }

    // Bad input stops here with one line, before anything is built.
    if (packets < 1 || packets > 10000000)
    {
        return BadOption("--packets=" + std::to_string(packets) + " is invalid: use 1 to 10000000");
    }
    if (size < 0 || size > 65507)
    {
        return BadOption("--size=" + std::to_string(size) +
                         " is invalid: a UDP payload in one IPv4 datagram is 0 to 65507 bytes");
    }
    if (!(interval > 0))
    {
        return BadOption("--interval=" + std::to_string(interval) +
                         " is invalid: use a time above 0 seconds");
    }
    IpsecTransformSet checked;
    std::string problem = IpsecTransformSet::Parse("two-site", g_transforms, checked);
    if (!problem.empty())
    {
        return BadOption("--transforms=" + g_transforms + " is invalid: " + problem);
    }
    std::string transforms = g_transforms;

    auto wallStart = std::chrono::steady_clock::now();

    NodeContainer hostA;
    NodeContainer gateways;
    NodeContainer hostB;
    hostA.Create(1);
    gateways.Create(2);
    hostB.Create(1);

    PointToPointHelper lan;
    lan.SetDeviceAttribute("DataRate", StringValue("100Mbps"));
    lan.SetChannelAttribute("Delay", StringValue("1ms"));
    PointToPointHelper wan;
    wan.SetDeviceAttribute("DataRate", StringValue("10Mbps"));
    wan.SetChannelAttribute("Delay", StringValue("5ms"));
    NetDeviceContainer lanA = lan.Install(gateways.Get(0), hostA.Get(0));
    NetDeviceContainer lanB = lan.Install(gateways.Get(1), hostB.Get(0));
    NetDeviceContainer wanDevices = wan.Install(gateways.Get(0), gateways.Get(1));

    InternetStackHelper internet;
    internet.InstallAll();

    // The WAN interfaces get IPsec devices, and their addresses, before anything else.
    IpsecHelper ipsec;
    ipsec.SetStackAttribute("ModelledCrypto", BooleanValue(modelled));
    ipsec.AssignStreams(1);
    NetDeviceContainer wanInterfaces = useIpsec ? ipsec.InstallDevices(wanDevices) : wanDevices;

    Ipv4AddressHelper address;
    address.SetBase("10.1.1.0", "255.255.255.0");
    Ipv4InterfaceContainer lanAInterfaces = address.Assign(lanA);
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

    if (useIpsec)
    {
        std::string acl = "permit ip 10.1.1.0 0.0.0.255 10.2.2.0 0.0.0.255";
        if (ike)
        {
            // IOS drops packets while IKE negotiates. Keeping a few lets every echo and ping
            // of this short run get its reply, so the exit status still means success.
            IpsecHelper::GetIkeDaemon(gateways.Get(0))
                ->SetAttribute("AcquireQueueLimit", UintegerValue(16));
            ipsec.CreateIsakmpTunnel(wanInterfaces.Get(0),
                                     wanInterfaces.Get(1),
                                     acl,
                                     transforms,
                                     "two-site-key");
        }
        else
        {
            ipsec.CreateManualTunnel(wanInterfaces.Get(0), wanInterfaces.Get(1), acl, transforms);
        }
        if (!pcapPrefix.empty())
        {
            ipsec.EnablePcapWithKeys(pcapPrefix, wanInterfaces.Get(0));
        }
    }
    else if (!pcapPrefix.empty())
    {
        wan.EnablePcap(pcapPrefix, wanDevices.Get(0));
    }

    // Traffic: UDP echo, then pings, from host A to host B.
    UdpEchoServerHelper echoServer(9);
    echoServer.Install(hostB.Get(0)).Start(Seconds(0.5));
    UdpEchoClientHelper echoClient(lanBInterfaces.GetAddress(1), 9);
    echoClient.SetAttribute("MaxPackets", UintegerValue(static_cast<uint32_t>(packets)));
    echoClient.SetAttribute("Interval", TimeValue(Seconds(interval)));
    echoClient.SetAttribute("PacketSize", UintegerValue(size));
    ApplicationContainer clients = echoClient.Install(hostA.Get(0));
    // A recognisable payload lets an outside decoder (tshark) prove decryption worked.
    std::string pattern = "ns3-ipsec two-site echo payload ";
    echoClient.SetFill(clients.Get(0),
                       reinterpret_cast<uint8_t*>(pattern.data()),
                       static_cast<uint32_t>(pattern.size()),
                       static_cast<uint32_t>(size));
    clients.Start(Seconds(1.0));

    // Pings follow the echo requests, so the two flows never share a sequence of SA numbers.
    Time pingStart = Seconds(1.5 + interval * packets);
    V4PingHelper ping(lanBInterfaces.GetAddress(1));
    ping.SetAttribute("Interval", TimeValue(Seconds(interval)));
    ApplicationContainer pings = ping.Install(hostA.Get(0));
    pings.Start(pingStart);
    // V4Ping has no packet count: it sends one ping per interval until it stops.
    pings.Stop(pingStart + Seconds(interval * (packets - 0.5)));
    Ptr<Ipv4L3Protocol> hostAIpv4 = hostA.Get(0)->GetObject<Ipv4L3Protocol>();
    hostAIpv4->TraceConnectWithoutContext("SendOutgoing", MakeCallback(&CountPingRequest));
    hostAIpv4->TraceConnectWithoutContext("LocalDeliver", MakeCallback(&CountPingReply));

    uint32_t echoReplies = 0;
    Config::ConnectWithoutContext("/NodeList/0/ApplicationList/*/$ns3::UdpEchoClient/Rx",
                                  MakeCallback(+[](uint32_t* count, Ptr<const Packet>) {
                                      ++*count;
                                  }).Bind(&echoReplies));

    // Late enough for the last replies to arrive.
    Simulator::Stop(pingStart + Seconds(interval * packets + 2.0));
    Simulator::Run();

    std::cout << "UDP echo: " << packets << " sent, " << echoReplies << " replies\n";
    std::cout << "ping: " << g_pingRequests << " sent, " << g_pingReplies << " replies\n";
    if (useIpsec)
    {
        for (uint32_t i = 0; i < 2; ++i)
        {
            std::cout << "\nGateway " << char('A' + i) << "# show crypto ipsec sa\n";
            IpsecHelper::ShowCryptoIpsecSa(gateways.Get(i), std::cout);
            if (ike)
            {
                std::cout << "\nGateway " << char('A' + i) << "# show crypto isakmp sa\n";
                IpsecHelper::ShowCryptoIsakmpSa(gateways.Get(i), std::cout);
            }
        }
    }
    Simulator::Destroy();

    double wallSeconds =
        std::chrono::duration<double>(std::chrono::steady_clock::now() - wallStart).count();
    std::cerr << "wall time: " << wallSeconds << " s\n";
    bool complete = echoReplies == packets && g_pingReplies == packets;
    if (!complete)
    {
        std::cerr << "ipsec-two-site: " << packets - echoReplies << " echo requests and "
                  << packets - g_pingReplies << " pings got no reply\n";
    }
    return complete ? 0 : 1;
}
