// Copyright (c) 2026 The ns3-ipsec authors
// SPDX-License-Identifier: GPL-2.0-only

// Dead peer detection (`crypto isakmp keepalive`) and stateless failover through three hubs.
//
// Purpose: a branch router lists three hubs in its crypto map (`set peer` three times). It
// negotiates with the first. When that hub fails, dead peer detection (RFC 3706) declares it
// dead, the branch deletes its IKE and IPsec SAs and moves the crypto map entry to the next
// hub, and the next packet negotiates with that one. The example measures what a failover
// study wants: the detection time (fault to tunnel down), the failover time (fault to the
// first datagram delivered through the next hub), the datagrams lost in between, and the DPD
// messages each tunnel cost.
//
// Host A sends a 100-byte UDP datagram every --interval to host B. Host B has an address on
// each hub's LAN and accepts the protected traffic through any hub. At --fault-time hub 1
// fails: with --fault=reboot it reboots (IpsecStack::Reboot, off the network for 300 s),
// with --fault=link its WAN link drops every frame in both directions, and with --fault=ike
// it drops only IKE (UDP 500) while it still forwards ESP. Every router has keepalive
// configured, so each announces DPD support; the hubs use on-demand mode and, with one-way
// traffic, send nothing.
//
// Topology (every link point-to-point):
//
// clang-format off
//
//                                                        +== hub 1 198.51.100.6  --+
//   host A ------ branch 192.0.2.1 ===== core router ====+== hub 2 198.51.100.10 --+---- host B
//   10.1.1.2      10.1.1.1 (crypto map,                  +== hub 3 198.51.100.14 --+    10.2.1.2
//        100 Mb/s, 1 ms    peers hub 1, 2, 3)  10 Mb/s, 5 ms each           100 Mb/s, 1 ms
//
// clang-format on
//
// Output: the timeline (IKE SAs up, R-U-THERE messages, tunnel down, failover, SAs installed,
// first datagram through each hub), then the metrics. The default run (periodic 10 s, retry
// 2 s, hub 1 rebooting at 20 s) prints, among others:
//
//   detection time: 11.062463 s
//   failover time: 11.212344 s
//   datagrams sent 790, delivered 677, lost after the fault 112
//
// The IKE SA with hub 1 is up at 1.062463 s, so the periodic R-U-THERE at 21.062463 s is the
// first one after the fault. It and four retransmissions go unanswered, and hub 1 is dead
// 10 s later. Hub 2's SAs are then negotiated in 121 ms, and the datagram sent at 31.2 s is
// the first through hub 2.
//
// What to try:
// clang-format off
//   --mode=on-demand               no messages while the tunnel is busy; detection after
//                                  10 s of silence plus five retries
//   --fault-time=25                the fault lands just after a periodic message
//   --fault=ike                    IKE dead, ESP still forwarded: DPD tears the tunnel down
//   --seconds=30 --retry=5         slower detection, fewer messages
//   --max-unanswered=3             Config::SetDefault on ns3::DeadPeerDetector
//   NS_LOG="IsakmpKeepalive=level_info|prefix_time:DeadPeerDetector=level_debug|prefix_time"
// clang-format on

#include "ns3/core-module.h"
#include "ns3/internet-module.h"
#include "ns3/ipsec-module.h"
#include "ns3/network-module.h"
#include "ns3/point-to-point-module.h"

#include <iomanip>
#include <iostream>
#include <map>
#include <set>
#include <sstream>
#include <string>
#include <vector>

using namespace ns3;

NS_LOG_COMPONENT_DEFINE("IpsecDpdFailoverExample");

namespace
{

/// UDP port of host B.
constexpr uint16_t DPD_EXAMPLE_PORT = 9000;

/**
 * Drops every frame a device receives from a start time on, or only IKE (UDP port 500).
 */
class DpdExampleFaultModel : public ErrorModel
{
  public:
    /**
     * \param from the simulated time of the fault
     * \param ikeOnly true to drop only UDP port 500
     */
    DpdExampleFaultModel(Time from, bool ikeOnly)
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

        // PPP 2 bytes and an IPv4 header of 20 bytes come before the UDP header.
        uint8_t bytes[26];
        if (packet->GetSize() < sizeof(bytes))
        {
            return false;
        }
        packet->CopyData(bytes, sizeof(bytes));
        uint32_t port = (uint32_t(bytes[24]) << 8) | bytes[25];
        return bytes[11] == 17 && port == IkeDaemon::ISAKMP_PORT;
    }

    void DoReset() override
    {
    }

    Time m_from;    //!< fault time
    bool m_ikeOnly; //!< drop only IKE
};

/// Events and counts the study records.
struct DpdExampleRecord
{
    std::vector<std::string> timeline;            //!< events in order
    std::vector<Time> arrivals;                   //!< datagrams at host B
    std::vector<uint32_t> arrivalHub;             //!< hub that delivered each (1..3)
    std::map<uint32_t, uint64_t> deliveredPerHub; //!< count by hub
    Time down;                                    //!< first peer declared dead
    Time sasWithNextHub;                          //!< SAs installed after the first death
    uint32_t sent{0};                             //!< datagrams sent
    std::vector<Time> sendTimes;                  //!< send time of each datagram
    std::set<uint32_t> received;                  //!< indices of the datagrams received
    std::map<uint32_t, uint32_t> hubOfDevice;     //!< hub (1..3) of each host B device
};

/// Prints a time in seconds with microseconds.
std::string
FormatTime(Time time)
{
    std::ostringstream text;
    text << std::fixed << std::setprecision(6) << time.GetSeconds();
    return text.str();
}

void
DpdExampleAddEvent(DpdExampleRecord* record, const std::string& text)
{
    record->timeline.push_back(FormatTime(Simulator::Now()) + "  " + text);
}

void
DpdExampleDpdSent(DpdExampleRecord* record, Ipv4Address peer, uint16_t type, uint32_t sequence)
{
    std::ostringstream text;
    text << "branch: " << (type == ISAKMP_NOTIFY_R_U_THERE ? "R-U-THERE" : "R-U-THERE-ACK")
         << " to " << peer << ", sequence 0x" << std::hex << sequence;
    DpdExampleAddEvent(record, text.str());
}

void
DpdExampleDpdReceived(DpdExampleRecord* record, Ipv4Address peer, uint16_t type, uint32_t sequence)
{
    std::ostringstream text;
    text << "branch: " << (type == ISAKMP_NOTIFY_R_U_THERE ? "R-U-THERE" : "R-U-THERE-ACK")
         << " from " << peer << ", sequence 0x" << std::hex << sequence;
    DpdExampleAddEvent(record, text.str());
}

void
DpdExamplePeerDead(DpdExampleRecord* record, Ipv4Address peer, Time firstUnanswered)
{
    if (record->down.IsZero())
    {
        record->down = Simulator::Now();
    }
    std::ostringstream text;
    text << "branch: %CRYPTO-5-SESSION_STATUS: Crypto tunnel is DOWN. Peer " << peer
         << ":500 Id: " << peer << " (first unanswered R-U-THERE at " << FormatTime(firstUnanswered)
         << ")";
    DpdExampleAddEvent(record, text.str());
}

void
DpdExampleFailover(DpdExampleRecord* record,
                   const std::string& mapName,
                   uint32_t sequence,
                   Ipv4Address oldPeer,
                   Ipv4Address newPeer)
{
    std::ostringstream text;
    text << "branch: crypto map " << mapName << " " << sequence << " fails over from " << oldPeer
         << " to " << newPeer;
    DpdExampleAddEvent(record, text.str());
}

void
DpdExampleSasInstalled(DpdExampleRecord* record, Ipv4Address peer, bool initiator)
{
    if (!initiator)
    {
        return;
    }
    if (!record->down.IsZero() && record->sasWithNextHub.IsZero())
    {
        record->sasWithNextHub = Simulator::Now();
    }
    std::ostringstream text;
    text << "branch: IPsec SAs installed with " << peer;
    DpdExampleAddEvent(record, text.str());
}

/// Sends the next datagram from host A.
void
DpdExampleSend(Ptr<Socket> socket, Ipv4Address to, DpdExampleRecord* record)
{
    // The first 4 bytes carry the datagram's index, so the receiver can tell which arrived.
    std::vector<uint8_t> payload(100, 0);
    for (uint32_t i = 0; i < 4; ++i)
    {
        payload[i] = uint8_t(record->sent >> (24 - 8 * i));
    }
    record->sendTimes.push_back(Simulator::Now());
    socket->SendTo(Create<Packet>(payload.data(), payload.size()),
                   0,
                   InetSocketAddress(to, DPD_EXAMPLE_PORT));
    ++record->sent;
}

/// Reads datagrams at host B, noting the hub link each came in on.
void
DpdExampleReceive(DpdExampleRecord* record, Ptr<Socket> socket)
{
    Address from;
    while (Ptr<Packet> packet = socket->RecvFrom(from))
    {
        // The tag names the receiving device by its index on host B.
        Ipv4PacketInfoTag info;
        uint32_t hub = 0;
        if (packet->RemovePacketTag(info))
        {
            hub = record->hubOfDevice[info.GetRecvIf()];
        }
        if (record->deliveredPerHub[hub]++ == 0)
        {
            std::ostringstream text;
            text << "host B: first datagram through hub " << hub;
            DpdExampleAddEvent(record, text.str());
        }
        uint8_t index[4] = {0, 0, 0, 0};
        packet->CopyData(index, 4);
        record->received.insert((uint32_t(index[0]) << 24) | (uint32_t(index[1]) << 16) |
                                (uint32_t(index[2]) << 8) | index[3]);
        record->arrivals.push_back(Simulator::Now());
        record->arrivalHub.push_back(hub);
    }
}

} // namespace

int
main(int argc, char* argv[])
{
    std::string mode = "periodic";
    std::string fault = "reboot";
    double faultTime = 20;
    uint32_t seconds = 10;
    uint32_t retry = 2;
    uint32_t maxUnanswered = 5;
    double interval = 0.1;
    double stopTime = 80;
    bool quick = false;

    CommandLine cmd(__FILE__);
    cmd.AddValue("mode", "DPD mode of the branch: periodic or on-demand", mode);
    cmd.AddValue("fault", "How hub 1 fails: reboot, link or ike", fault);
    cmd.AddValue("fault-time", "Simulated time of hub 1's failure (s)", faultTime);
    cmd.AddValue("seconds", "crypto isakmp keepalive interval (s, 10..3600)", seconds);
    cmd.AddValue("retry", "crypto isakmp keepalive retry interval (s, 2..60)", retry);
    cmd.AddValue("max-unanswered",
                 "Unanswered R-U-THERE messages before a peer is dead (messages)",
                 maxUnanswered);
    cmd.AddValue("interval", "Time between datagrams of host A (s)", interval);
    cmd.AddValue("stop", "Simulated run time (s)", stopTime);
    cmd.AddValue("quick", "Short run for automated tests (fault at 15 s, 40 s)", quick);
    cmd.Parse(argc, argv);
    if (quick)
    {
        faultTime = 15;
        stopTime = 40;
    }
    if (mode != "periodic" && mode != "on-demand")
    {
        std::cerr << "invalid --mode=" << mode << ": use periodic or on-demand\n";
        return 1;
    }
    if (fault != "reboot" && fault != "link" && fault != "ike")
    {
        std::cerr << "invalid --fault=" << fault << ": use reboot, link or ike\n";
        return 1;
    }
    Config::SetDefault("ns3::DeadPeerDetector::MaxUnansweredMessages",
                       UintegerValue(maxUnanswered));

    // Nodes and links.
    Ptr<Node> hostA = CreateObject<Node>();
    Ptr<Node> branch = CreateObject<Node>();
    Ptr<Node> core = CreateObject<Node>();
    Ptr<Node> hostB = CreateObject<Node>();
    NodeContainer hubs;
    hubs.Create(3);
    PointToPointHelper lan;
    lan.SetDeviceAttribute("DataRate", StringValue("100Mbps"));
    lan.SetChannelAttribute("Delay", StringValue("1ms"));
    PointToPointHelper wan;
    wan.SetDeviceAttribute("DataRate", StringValue("10Mbps"));
    wan.SetChannelAttribute("Delay", StringValue("5ms"));
    NetDeviceContainer lanA = lan.Install(branch, hostA);
    NetDeviceContainer branchWan = wan.Install(branch, core);
    std::vector<NetDeviceContainer> hubWans;
    std::vector<NetDeviceContainer> hubLans;
    for (uint32_t i = 0; i < 3; ++i)
    {
        hubWans.push_back(wan.Install(core, hubs.Get(i)));
        hubLans.push_back(lan.Install(hubs.Get(i), hostB));
    }
    InternetStackHelper internet;
    internet.Install(NodeContainer(hostA, branch, core, hostB));
    internet.Install(hubs);

    // IPsec devices on the WAN sides of the branch and the hubs, before addresses.
    IpsecHelper ipsec;
    ipsec.SetStackAttribute("ModelledCrypto", BooleanValue(true));
    ipsec.AssignStreams(1);
    Ptr<NetDevice> branchDevice = ipsec.InstallDevice(branchWan.Get(0));
    NetDeviceContainer hubDevices;
    for (uint32_t i = 0; i < 3; ++i)
    {
        hubDevices.Add(ipsec.InstallDevice(hubWans[i].Get(1)));
    }

    Ipv4AddressHelper address;
    address.SetBase("10.1.1.0", "255.255.255.0");
    address.Assign(lanA);
    address.SetBase("192.0.2.0", "255.255.255.252");
    address.Assign(NetDeviceContainer(branchDevice, branchWan.Get(1)));
    for (uint32_t i = 0; i < 3; ++i)
    {
        std::string wanBase = "198.51.100." + std::to_string(4 * (i + 1));
        address.SetBase(wanBase.c_str(), "255.255.255.252");
        address.Assign(NetDeviceContainer(hubWans[i].Get(0), hubDevices.Get(i)));
        std::string lanBase = "10.2." + std::to_string(i + 1) + ".0";
        address.SetBase(lanBase.c_str(), "255.255.255.0");
        address.Assign(hubLans[i]);
    }

    // Static routes: the branch sends everything to the core, each hub reaches host B's
    // first address over its own LAN link (host B accepts it on every interface).
    Ipv4Address hostBAddress("10.2.1.2");
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
        std::string coreSide = "198.51.100." + std::to_string(4 * (i + 1) + 1);
        hubRouting->SetDefaultRoute(coreSide.c_str(), interfaceOf(hubDevices.Get(i)));
        std::string hostOnLink = "10.2." + std::to_string(i + 1) + ".2";
        hubRouting->AddHostRouteTo(hostBAddress,
                                   Ipv4Address(hostOnLink.c_str()),
                                   interfaceOf(hubLans[i].Get(0)));
    }

    // Crypto maps (branch: set peer hub 1, hub 2, hub 3) and keepalive everywhere.
    ipsec.CreateIsakmpFailoverTunnels(branchDevice,
                                      hubDevices,
                                      "permit ip 10.1.1.0 0.0.0.255 10.2.0.0 0.0.255.255",
                                      "esp-aes esp-sha-hmac",
                                      "cisco123");
    DpdMode branchMode = mode == "periodic" ? DPD_PERIODIC : DPD_ON_DEMAND;
    std::string problem = IpsecHelper::SetIsakmpKeepalive(branch, seconds, retry, branchMode);
    if (!problem.empty())
    {
        std::cerr << "crypto isakmp keepalive " << seconds << " " << retry << ": " << problem
                  << "\n";
        return 1;
    }
    for (uint32_t i = 0; i < 3; ++i)
    {
        IpsecHelper::SetIsakmpKeepalive(hubs.Get(i), seconds, retry, DPD_ON_DEMAND);
    }

    DpdExampleRecord record;
    for (uint32_t i = 0; i < 3; ++i)
    {
        record.hubOfDevice[hubLans[i].Get(1)->GetIfIndex()] = i + 1;
    }
    Ptr<IsakmpKeepalive> keepalive = IpsecHelper::GetIsakmpKeepalive(branch);
    keepalive->TraceConnectWithoutContext("DpdMessageSent",
                                          MakeBoundCallback(&DpdExampleDpdSent, &record));
    keepalive->TraceConnectWithoutContext("DpdMessageReceived",
                                          MakeBoundCallback(&DpdExampleDpdReceived, &record));
    keepalive->TraceConnectWithoutContext("PeerDead",
                                          MakeBoundCallback(&DpdExamplePeerDead, &record));
    keepalive->TraceConnectWithoutContext("Failover",
                                          MakeBoundCallback(&DpdExampleFailover, &record));
    keepalive->TraceConnectWithoutContext("SasInstalled",
                                          MakeBoundCallback(&DpdExampleSasInstalled, &record));

    // Traffic: host A to host B; host B notes the hub link of each arrival.
    Ptr<Socket> sink = Socket::CreateSocket(hostB, UdpSocketFactory::GetTypeId());
    sink->Bind(InetSocketAddress(Ipv4Address::GetAny(), DPD_EXAMPLE_PORT));
    sink->SetRecvPktInfo(true);
    sink->SetRecvCallback(MakeBoundCallback(&DpdExampleReceive, &record));
    Ptr<Socket> sender = Socket::CreateSocket(hostA, UdpSocketFactory::GetTypeId());
    sender->Bind();
    for (Time at = Seconds(1); at < Seconds(stopTime); at += Seconds(interval))
    {
        Simulator::Schedule(at, &DpdExampleSend, sender, hostBAddress, &record);
    }

    // The fault.
    Time fault0 = Seconds(faultTime);
    if (fault == "reboot")
    {
        IpsecHelper::ScheduleReboot(hubs.Get(0), fault0, Seconds(300));
    }
    else
    {
        bool ikeOnly = fault == "ike";
        hubWans[0].Get(1)->SetAttribute(
            "ReceiveErrorModel",
            PointerValue(Create<DpdExampleFaultModel>(fault0, ikeOnly)));
        if (!ikeOnly)
        {
            hubWans[0].Get(0)->SetAttribute(
                "ReceiveErrorModel",
                PointerValue(Create<DpdExampleFaultModel>(fault0, false)));
        }
    }
    Simulator::Schedule(fault0, &DpdExampleAddEvent, &record, "hub 1 fails (" + fault + ")");

    Simulator::Stop(Seconds(stopTime));
    Simulator::Run();

    // Timeline.
    std::cout << "Timeline (s):\n";
    for (const auto& line : record.timeline)
    {
        std::cout << "  " << line << "\n";
    }

    // Metrics: detection and failover times from the fault, and the datagrams sent from the
    // fault on that never arrived (the last 100 ms of the run may still be in flight).
    Time firstAfter;
    for (size_t i = 0; i < record.arrivals.size(); ++i)
    {
        if (record.arrivals[i] > fault0 && record.arrivalHub[i] != 1)
        {
            firstAfter = record.arrivals[i];
            break;
        }
    }
    uint64_t delivered = record.arrivals.size();
    uint64_t lost = 0;
    for (uint32_t index = 0; index < record.sent; ++index)
    {
        Time sentAt = record.sendTimes[index];
        if (sentAt >= fault0 && sentAt < Seconds(stopTime) - MilliSeconds(100) &&
            record.received.count(index) == 0)
        {
            ++lost;
        }
    }

    IsakmpKeepalive::PeerCounters counters[3];
    for (uint32_t i = 0; i < 3; ++i)
    {
        std::string hub = "198.51.100." + std::to_string(4 * (i + 1) + 2);
        counters[i] = keepalive->GetCounters(Ipv4Address(hub.c_str()));
    }

    std::cout << "\nMetrics (mode " << mode << ", keepalive " << seconds << " " << retry
              << ", fault " << fault << " at " << faultTime << " s):\n";
    if (record.down.IsZero())
    {
        std::cout << "  hub 1 not declared dead within the run\n";
    }
    else
    {
        std::cout << "  detection time: " << FormatTime(record.down - fault0) << " s\n";
    }
    if (!record.sasWithNextHub.IsZero())
    {
        std::cout << "  SAs with the next hub: " << FormatTime(record.sasWithNextHub - fault0)
                  << " s after the fault\n";
    }
    if (firstAfter.IsZero())
    {
        std::cout << "  no datagram delivered through another hub within the run\n";
    }
    else
    {
        std::cout << "  failover time: " << FormatTime(firstAfter - fault0) << " s\n";
    }
    std::cout << "  datagrams sent " << record.sent << ", delivered " << delivered
              << ", lost after the fault " << lost << "\n";
    for (uint32_t i = 0; i < 3; ++i)
    {
        std::cout << "  hub " << i + 1 << ": delivered " << record.deliveredPerHub[i + 1]
                  << ", R-U-THERE sent " << counters[i].ruThereSent << ", ACKs received "
                  << counters[i].ackReceived << ", R-U-THERE received "
                  << counters[i].ruThereReceived << ", ACKs sent " << counters[i].ackSent << "\n";
    }
    std::cout << "\nshow crypto ipsec sa (branch, end of run):\n";
    IpsecHelper::ShowCryptoIpsecSa(branch, std::cout);

    Simulator::Destroy();
    return 0;
}
