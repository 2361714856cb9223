// Copyright (c) 2026 The ns3-ipsec authors
// SPDX-License-Identifier: GPL-2.0-only

// Invalid SPI recovery: how long the IPsec "black hole" lasts after a router loses its SAs.
//
// Purpose: Router B loses its IKE and IPsec SAs mid-run, either by `clear crypto isakmp`
// followed by `clear crypto sa` (--fault=clear) or by a reboot (--fault=reboot). Router A
// does not know and keeps encrypting host 1's pings with its old SAs, which B drops as
// invalid SPIs. The run is repeated three times:
//  - recovery off: B only drops (the IOS default);
//  - recovery on: `crypto isakmp invalid-spi-recovery` on both routers, so B sets up an IKE
//    SA with A and sends it an INVALID_SPI notification, and A renegotiates;
//  - recovery off with dead peer detection: `crypto isakmp keepalive 10` on both routers,
//    so A may find out through R-U-THERE messages over its IKE SA.
// The configuration is the IOS invalid SPI recovery example: ISAKMP policy 1 (aes,
// pre-share, group 14, lifetime 180 s), key 1234, transform set auth2 (ah-sha-hmac esp-aes
// esp-sha-hmac), crypto map testtag1 with access list 150 from host to host.
//
// Topology:
//
// clang-format off
//
//   host 1         Router A                  core                  Router B          host 2
//   10.0.0.2 --- 10.0.0.1 | 10.1.1.1 ---- 10.1.1.254 | 10.2.2.254 ---- 10.2.2.2 | 10.0.2.2 --- 10.0.2.3
//      LAN 100 Mb/s, 1 ms   crypto map      WAN 10 Mb/s, 5 ms each      crypto map   LAN
//                           testtag1                                    testtag1
//
// clang-format on
//
// Host 1 pings host 2 (100-byte datagrams, one every 2 s; a reply later than 2 s counts as
// lost, as on IOS). The fault hits B at 10 s (a reboot keeps B off the network for
// --boot-time); pinging goes on for --pings more pings.
//
// Expected output (--fault=clear, default settings): recovery off loses every ping after
// the fault and the black hole does not end; recovery on loses 2 pings, with a black hole
// of 4 s as seen by B (first invalid SPI to first decrypted packet) and 1 recovery started.
// With --fault=clear, DPD cannot help: `clear crypto isakmp` deleted A's IKE SA too (B sent
// a DELETE), so A has nothing to send R-U-THERE over. With --fault=reboot it can, once A's
// R-U-THERE messages go unanswered.
//
// What to try:
// clang-format off
//   --fault=reboot --boot-time=30s                  a longer reboot
//   --pings=100                                     a longer observation
//   NS_LOG="IkeInvalidSpiHandler=level_info|prefix_time"   the recovery step by step
// clang-format on

#include "ns3/applications-module.h"
#include "ns3/core-module.h"
#include "ns3/internet-apps-module.h"
#include "ns3/internet-module.h"
#include "ns3/ipsec-module.h"
#include "ns3/network-module.h"
#include "ns3/point-to-point-module.h"

#include <cstdint>
#include <iomanip>
#include <iostream>
#include <string>
#include <vector>

using namespace ns3;

NS_LOG_COMPONENT_DEFINE("IpsecInvalidSpiRecoveryExample");

namespace
{

/// Fault that removes Router B's state (--fault).
enum class Fault
{
    CLEAR,  //!< `clear crypto isakmp` then `clear crypto sa`
    REBOOT, //!< a reboot
};

/// Router configuration of one run.
enum class Variant
{
    OFF,      //!< neither recovery nor DPD
    RECOVERY, //!< `crypto isakmp invalid-spi-recovery`
    DPD,      //!< `crypto isakmp keepalive 10`, no recovery
};

/// Settings of a run.
struct RunSettings
{
    Fault fault{Fault::CLEAR}; //!< how B loses its state
    Time faultTime;            //!< when
    Time bootTime;             //!< how long a reboot keeps B off the network
    uint32_t pings{30};        //!< pings after the fault
    Time interval;             //!< time between pings, also the ping timeout
};

/// Measurements of one run.
struct RunResult
{
    uint32_t sent{0};            //!< pings sent after the fault
    uint32_t answered{0};        //!< of those, answered within the timeout
    Time firstAnswered;          //!< send time of the first answered ping after the fault
    bool blackHoleEnded{false};  //!< B decrypted a packet from A after invalid SPIs
    Time blackHole;              //!< B's first invalid SPI to first decrypted packet
    uint64_t invalidSpiDrops{0}; //!< packets B dropped as invalid SPIs
    uint64_t started{0};         //!< recoveries B started
    uint64_t suppressed{0};      //!< invalid-SPI events that started none (any reason)
    uint64_t notifies{0};        //!< INVALID_SPI notifications B sent
};

/// Per-ping bookkeeping of one run.
struct PingLog
{
    std::vector<Time> sendTimes; //!< send time of each ping, in order
    std::vector<Time> rtts;      //!< RTT of each ping answered, by sequence
    std::vector<bool> answered;  //!< whether each ping was answered in time
};

/// Records a ping's send time from host 1's IPv4 Tx trace (ICMP echo requests only).
void
RecordPingSent(PingLog* log, Ptr<const Packet> packet, Ptr<Ipv4>, uint32_t)
{
    Ipv4Header header;
    Ptr<Packet> copy = packet->Copy();
    copy->RemoveHeader(header);
    uint8_t type = 0xff;
    if (header.GetProtocol() == 1 && copy->CopyData(&type, 1) == 1 && type == 8)
    {
        log->sendTimes.push_back(Simulator::Now());
        log->answered.push_back(false);
    }
}

/// Marks the ping a reply belongs to: the one sent RTT before now.
void
RecordRtt(PingLog* log, Time timeout, Time rtt)
{
    Time sent = Simulator::Now() - rtt;
    for (size_t i = 0; i < log->sendTimes.size(); ++i)
    {
        if (log->sendTimes[i] == sent && rtt < timeout)
        {
            log->answered[i] = true;
        }
    }
}

/// Records the end of B's black hole.
void
RecordBlackHole(RunResult* result, Ipv4Address, Time duration, uint64_t)
{
    if (!result->blackHoleEnded)
    {
        result->blackHoleEnded = true;
        result->blackHole = duration;
    }
}

/// `clear crypto isakmp` then `clear crypto sa` on a router.
void
ClearRouter(Ptr<Node> router)
{
    IpsecHelper::GetIkeDaemon(router)->ClearIsakmp();
    router->GetObject<IpsecStack>()->ClearSas();
}

/**
 * Builds the network, runs one variant and measures it.
 * \param settings the run settings
 * \param variant the router configuration
 * \return the measurements
 */
RunResult
RunOnce(const RunSettings& settings, Variant variant)
{
    NodeContainer nodes;
    nodes.Create(5);
    Ptr<Node> host1 = nodes.Get(0);
    Ptr<Node> routerA = nodes.Get(1);
    Ptr<Node> core = nodes.Get(2);
    Ptr<Node> routerB = nodes.Get(3);
    Ptr<Node> host2 = nodes.Get(4);

    PointToPointHelper lan;
    lan.SetDeviceAttribute("DataRate", StringValue("100Mbps"));
    lan.SetChannelAttribute("Delay", StringValue("1ms"));
    PointToPointHelper wan;
    wan.SetDeviceAttribute("DataRate", StringValue("10Mbps"));
    wan.SetChannelAttribute("Delay", StringValue("5ms"));
    NetDeviceContainer lanA = lan.Install(routerA, host1);
    NetDeviceContainer lanB = lan.Install(routerB, host2);
    NetDeviceContainer wanA = wan.Install(routerA, core);
    NetDeviceContainer wanB = wan.Install(routerB, core);

    InternetStackHelper internet;
    internet.Install(nodes);

    // The IPsec devices go on the routers' WAN interfaces before addresses are assigned.
    IpsecHelper ipsec;
    ipsec.SetStackAttribute("ModelledCrypto", BooleanValue(true));
    ipsec.AssignStreams(1);
    Ptr<NetDevice> cryptoA = ipsec.InstallDevice(wanA.Get(0));
    Ptr<NetDevice> cryptoB = ipsec.InstallDevice(wanB.Get(0));

    Ipv4AddressHelper address;
    address.SetBase("10.0.0.0", "255.255.255.0");
    address.Assign(lanA);
    address.SetBase("10.0.2.0", "255.255.255.0", "0.0.0.2");
    address.Assign(lanB);
    address.SetBase("10.1.1.0", "255.255.255.0");
    address.Assign(NetDeviceContainer(cryptoA));
    address.SetBase("10.1.1.0", "255.255.255.0", "0.0.0.254");
    address.Assign(NetDeviceContainer(wanA.Get(1)));
    address.SetBase("10.2.2.0", "255.255.255.0", "0.0.0.2");
    address.Assign(NetDeviceContainer(cryptoB));
    address.SetBase("10.2.2.0", "255.255.255.0", "0.0.0.254");
    address.Assign(NetDeviceContainer(wanB.Get(1)));

    // Hosts use their router; routers send everything else to the core.
    Ipv4StaticRoutingHelper routing;
    auto interfaceOf = [](Ptr<NetDevice> device) {
        return static_cast<uint32_t>(
            device->GetNode()->GetObject<Ipv4>()->GetInterfaceForDevice(device));
    };
    routing.GetStaticRouting(host1->GetObject<Ipv4>())
        ->SetDefaultRoute(Ipv4Address("10.0.0.1"), interfaceOf(lanA.Get(1)));
    routing.GetStaticRouting(host2->GetObject<Ipv4>())
        ->SetDefaultRoute(Ipv4Address("10.0.2.2"), interfaceOf(lanB.Get(1)));
    routing.GetStaticRouting(routerA->GetObject<Ipv4>())
        ->SetDefaultRoute(Ipv4Address("10.1.1.254"), interfaceOf(cryptoA));
    routing.GetStaticRouting(routerB->GetObject<Ipv4>())
        ->SetDefaultRoute(Ipv4Address("10.2.2.254"), interfaceOf(cryptoB));

    // The guide's configuration on both routers.
    struct Side
    {
        Ptr<Node> router;
        Ptr<NetDevice> device;
        Ipv4Address peer;
        std::string aclLine;
    };

    std::vector<Side> sides = {
        {routerA, cryptoA, Ipv4Address("10.2.2.2"), "permit ip host 10.0.0.2 host 10.0.2.3"},
        {routerB, cryptoB, Ipv4Address("10.1.1.1"), "permit ip host 10.0.2.3 host 10.0.0.2"},
    };
    for (const auto& side : sides)
    {
        Ptr<IkeDaemon> daemon = IpsecHelper::GetIkeDaemon(side.router);
        IsakmpPolicy policy(1);
        policy.SetEncryption("aes");
        policy.SetAuthentication("pre-share");
        policy.SetGroup(14);
        policy.SetLifetime(180);
        daemon->AddPolicy(policy);
        daemon->GetKeyTable().Add("1234", side.peer);

        auto acl = Create<Ipv4AccessList>("150");
        acl->Add(side.aclLine);
        auto entry = Create<CryptoMapEntry>(10, CryptoMapEntry::KeyManagement::ISAKMP);
        entry->SetAccessList(acl);
        entry->AddPeer(side.peer);
        entry->AddTransformSet(
            IpsecTransformSet::FromString("auth2", "ah-sha-hmac esp-aes esp-sha-hmac"));
        auto cryptoMap = Create<CryptoMap>("testtag1");
        cryptoMap->AddEntry(entry);
        ipsec.ApplyCryptoMap(side.device, cryptoMap);

        IpsecHelper::SetInvalidSpiRecovery(side.router, variant == Variant::RECOVERY);
        if (variant == Variant::DPD)
        {
            Ptr<IsakmpKeepalive> keepalive = CreateObject<IsakmpKeepalive>();
            keepalive->Install(side.router);
            std::string problem = keepalive->Configure(10);
            NS_ABORT_MSG_IF(!problem.empty(), problem);
        }
    }

    // Pings from 1 s bring the SAs up; the fault hits B at faultTime.
    Ptr<V4Ping> ping = CreateObject<V4Ping>();
    ping->SetAttribute("Remote", Ipv4AddressValue(Ipv4Address("10.0.2.3")));
    ping->SetAttribute("Interval", TimeValue(settings.interval));
    ping->SetAttribute("Size", UintegerValue(72));
    host1->AddApplication(ping);
    ping->SetStartTime(Seconds(1));
    Time lastPing = settings.faultTime + settings.interval * settings.pings;
    ping->SetStopTime(lastPing + settings.interval / 2);

    PingLog log;
    host1->GetObject<Ipv4L3Protocol>()->TraceConnectWithoutContext(
        "Tx",
        MakeBoundCallback(&RecordPingSent, &log));
    ping->TraceConnectWithoutContext("Rtt", MakeBoundCallback(&RecordRtt, &log, settings.interval));

    RunResult result;
    Ptr<IkeInvalidSpiHandler> handler = IpsecHelper::GetInvalidSpiHandler(routerB);
    handler->TraceConnectWithoutContext("BlackHoleEnded",
                                        MakeBoundCallback(&RecordBlackHole, &result));
    if (settings.fault == Fault::CLEAR)
    {
        Simulator::Schedule(settings.faultTime, &ClearRouter, routerB);
    }
    else
    {
        IpsecHelper::ScheduleReboot(routerB, settings.faultTime, settings.bootTime);
    }
    Simulator::Stop(lastPing + settings.interval * 2);
    Simulator::Run();

    // Only pings sent after the fault count.
    for (size_t i = 0; i < log.sendTimes.size(); ++i)
    {
        if (log.sendTimes[i] <= settings.faultTime)
        {
            continue;
        }
        ++result.sent;
        if (log.answered[i])
        {
            if (result.answered == 0)
            {
                result.firstAnswered = log.sendTimes[i];
            }
            ++result.answered;
        }
    }
    result.invalidSpiDrops =
        routerB->GetObject<IpsecStack>()->GetDropCount(IpsecDropReason::INVALID_SPI);
    result.started = handler->GetRecoveriesStarted();
    result.suppressed = handler->GetRecoveriesSuppressed();
    result.notifies = handler->GetNotifiesSent();
    Simulator::Destroy();
    return result;
}

/// Prints one row of the comparison.
void
PrintRow(const std::string& name, const RunResult& result, const RunSettings& settings)
{
    std::ostringstream blackHole;
    if (result.blackHoleEnded)
    {
        blackHole << std::fixed << std::setprecision(3) << result.blackHole.GetSeconds() << " s";
    }
    else
    {
        blackHole << "not ended";
    }
    std::ostringstream outage;
    if (result.answered > 0)
    {
        outage << std::fixed << std::setprecision(1)
               << (result.firstAnswered - settings.faultTime).GetSeconds() << " s";
    }
    else
    {
        outage << "never";
    }
    std::cout << std::left << std::setw(14) << name << std::right << std::setw(6) << result.sent
              << std::setw(10) << result.answered << std::setw(7) << result.sent - result.answered
              << std::setw(14) << outage.str() << std::setw(14) << blackHole.str() << std::setw(9)
              << result.invalidSpiDrops << std::setw(9) << result.started << std::setw(12)
              << result.suppressed << std::setw(9) << result.notifies << "\n";
}

} // namespace

int
main(int argc, char* argv[])
{
    std::string fault = "clear";
    RunSettings settings;
    settings.faultTime = Seconds(10);
    settings.bootTime = Seconds(5);
    settings.interval = Seconds(2);
    bool quick = false;

    CommandLine cmd(__FILE__);
    cmd.AddValue("fault", "How Router B loses its SAs: clear or reboot", fault);
    cmd.AddValue("boot-time",
                 "Time a reboot keeps Router B off the network (s)",
                 settings.bootTime);
    cmd.AddValue("pings", "Number of pings after the fault", settings.pings);
    cmd.AddValue("quick", "Short run for automated tests (10 pings)", quick);
    cmd.Parse(argc, argv);

    if (fault == "clear")
    {
        settings.fault = Fault::CLEAR;
    }
    else if (fault == "reboot")
    {
        settings.fault = Fault::REBOOT;
    }
    else
    {
        std::cerr << "invalid --fault=" << fault << ": use clear or reboot\n";
        return 1;
    }
    if (quick)
    {
        settings.pings = 10;
    }

    std::cout << "Router B " << (settings.fault == Fault::CLEAR ? "cleared" : "rebooted") << " at "
              << settings.faultTime.GetSeconds() << " s; " << settings.pings
              << " pings of 100 bytes after it, one every " << settings.interval.GetSeconds()
              << " s (timeout " << settings.interval.GetSeconds() << " s)\n\n";
    std::cout << std::left << std::setw(14) << "variant" << std::right << std::setw(6) << "sent"
              << std::setw(10) << "received" << std::setw(7) << "lost" << std::setw(14)
              << "first reply" << std::setw(14) << "black hole" << std::setw(9) << "inv-spi"
              << std::setw(9) << "started" << std::setw(12) << "suppressed" << std::setw(9)
              << "notifies"
              << "\n";
    PrintRow("off", RunOnce(settings, Variant::OFF), settings);
    PrintRow("recovery", RunOnce(settings, Variant::RECOVERY), settings);
    PrintRow("off + DPD", RunOnce(settings, Variant::DPD), settings);
    std::cout << "\nfirst reply: time from the fault to the first ping answered after it.\n"
              << "black hole: on Router B, from the first invalid-SPI drop to the first "
                 "packet from A decrypted again.\n"
              << "inv-spi: packets Router B dropped as invalid SPIs; started/suppressed: "
                 "invalid SPI recoveries (suppressed counts every event that started none, "
                 "including those with recovery off).\n";
    return 0;
}
