// Copyright (c) 2026 The ns3-ipsec authors
// SPDX-License-Identifier: GPL-2.0-only

// IPsec SA idle timers on a hub whose crypto engine has room for fewer SAs than its spokes need.
//
// Purpose: a router keeps the SAs of a peer until their lifetime ends, whether the peer
// still sends or not. When the crypto engine can hold only a few SA sets, spokes that come
// later are rejected for lack of room. `crypto ipsec security-association idle-time` on
// the hub deletes the SAs of spokes that have gone quiet, and the IKE SA with the last of
// them, which frees room for the others. The example runs the same traffic twice, without
// and with the idle timer, and prints what happened in each run.
//
// Each spoke gateway has an `ipsec-isakmp` crypto map entry for the hub, and the hub one
// entry per spoke, all in one crypto map on its WAN interface. IKE (main mode and quick
// mode with a pre-shared key) negotiates the SAs when a spoke's first packet arrives. The
// host behind each spoke sends UDP to the host behind the hub in on/off bursts whose
// lengths are exponential draws from fixed random streams, so both runs see the same
// schedule. Only the hub has an SA capacity (SaCapacity) and an idle time; the spokes
// learn of deletions from the hub's DELETE messages.
//
// Topology (spoke k of N; every link is point-to-point):
//
// clang-format off
//
//   hub host          hub                      core                 spoke k           host k
//   10.0.0.2 ------ 10.0.0.1 | 192.0.2.1 ==== router ==== 172.16.x.y | 10.1.k.1 ------ 10.1.k.2
//            LAN 100 Mb/s    crypto map      WAN 10 Mb/s, 5 ms each  crypto map   LAN 100 Mb/s
//                            (N entries)     (ESP and IKE on the wire) (1 entry)
//
// clang-format on
//
// Output: for each run, a line every --report seconds with the hub's IPsec SAs, SA sets,
// established IKE SAs and the capacity rejections so far; then the capacity rejections,
// the spokes rejected at least once, the SAs the idle timer removed, the IKE SAs the hub
// deleted, and the packets each spoke sent and the hub host received. The default run
// (8 spokes, room for 8 SAs, idle time 60 s, 1800 s, seed 1 run 1) ends with:
//
//   no idle time:  22 rejections, spokes 4 to 7 rejected and never served,
//                  0 SAs removed by the idle timer, 7466 of 20301 packets delivered
//   idle time 60:  3 rejections (spokes 4, 7 and 8 once each, at a busy moment),
//                  70 SAs removed by the idle timer, 35 IKE SAs deleted,
//                  19866 of 20301 packets delivered (the rest wait for negotiation)
//
// What to try:
// clang-format off
//   --idle-time=300 --both=0         one run with a 300 s idle time (0 = no idle timer)
//   --capacity=4                     room for two spokes only: refusals even with the timer
//   --off-mean=60                    busier spokes: the idle timer frees less room
//   --spokes=50 --capacity=40        a larger hub
//   --RngRun=2                       another on/off schedule
//   NS_LOG="IpsecStack=level_info|prefix_time:IkeDaemon=level_info|prefix_time"
// clang-format on

#include "ns3/applications-module.h"
#include "ns3/core-module.h"
#include "ns3/internet-module.h"
#include "ns3/ipsec-module.h"
#include "ns3/network-module.h"
#include "ns3/point-to-point-module.h"

#include <iomanip>
#include <iostream>
#include <map>
#include <string>
#include <vector>

using namespace ns3;

NS_LOG_COMPONENT_DEFINE("IpsecSaIdleTimer");

namespace
{

/// UDP port of the hub host's sink.
constexpr uint16_t SINK_PORT = 9000;
/// Pre-shared key of every IKE peer.
const std::string PRESHARED_KEY = "idle-timer-key";
/// Largest number of spokes: spoke k uses LAN 10.1.k.0/24.
constexpr uint32_t MAX_SPOKES = 250;

/// Settings of one run, from the command line.
struct StudyConfig
{
    uint32_t spokes{8};                //!< number of spokes
    uint32_t capacity{8};              //!< hub crypto engine SaCapacity, 0 for no limit
    Time idleTime{Seconds(0)};         //!< hub idle time, 0 for none
    Time lifetime{Seconds(3600)};      //!< SA time lifetime on every gateway
    Time duration{Seconds(1800)};      //!< simulated time of the run
    Time report{Seconds(120)};         //!< time between two SA count lines
    double onMean{10};                 //!< mean burst length in seconds
    double offMean{240};               //!< mean silence between bursts in seconds
    DataRate rate{DataRate("64kbps")}; //!< sending rate during a burst
    uint32_t packetSize{200};          //!< UDP payload size in bytes
    std::string transforms{"esp-aes esp-sha-hmac"}; //!< transform set of every entry
};

/// Counters of one run.
struct StudyResult
{
    uint64_t rejections{0};           //!< SA sets the hub's engine had no room for
    uint32_t spokesRejected{0};       //!< spokes with at least one rejection
    uint64_t idleDeleted{0};          //!< hub SAs deleted by the idle timer
    uint64_t ikeDeleted{0};           //!< IKE SAs the hub deleted
    std::vector<uint64_t> sent;       //!< packets sent by each spoke's host (index k - 1)
    std::vector<uint64_t> delivered;  //!< packets from each spoke the hub host received
    std::vector<uint64_t> rejectedBy; //!< rejections per spoke
};

/**
 * \ingroup ipsec
 * Builds the hub-and-spoke network for one run, runs it and collects the counts.
 */
class HubAndSpokeStudy
{
  public:
    /**
     * \param config the settings of the run
     */
    explicit HubAndSpokeStudy(const StudyConfig& config);

    /**
     * Builds the network, runs the simulation and destroys it.
     * \return the counts of the run
     */
    StudyResult Run();

  private:
    /// Creates nodes, links, addresses and routes.
    void BuildNetwork();
    /// Configures IKE and the crypto maps on the hub and the spokes.
    void ConfigureIpsec();
    /// Installs the hub host's sink and the spoke hosts' on/off sources.
    void InstallTraffic();
    /// Prints one line of SA counts and schedules the next.
    void PrintCounts();

    /**
     * Counts a packet sent by a spoke host.
     * \param index the spoke index (k - 1)
     * \param packet the packet
     */
    void CountSent(uint32_t index, Ptr<const Packet> packet);
    /**
     * Counts a packet the hub host received.
     * \param packet the packet
     * \param from the sender's socket address
     */
    void CountDelivered(Ptr<const Packet> packet, const Address& from);
    /**
     * Counts an SA set the hub's engine had no room for.
     * \param peer the spoke's WAN address
     * \param requested the SAs the set needed
     * \param capacity the engine's SaCapacity
     */
    void CountRejection(Ipv4Address peer, uint32_t requested, uint32_t capacity);
    /**
     * Counts IKE SAs the hub deletes.
     * \param sa the IKE SA
     * \param oldState the state before
     * \param newState the state after
     * \param deleted true if the change deletes the SA
     */
    void CountIkeState(Ptr<const IkeSa> sa, IkeSaState oldState, IkeSaState newState, bool deleted);

    StudyConfig m_config;                          //!< settings
    StudyResult m_result;                          //!< counts
    NodeContainer m_hubSide;                       //!< hub host (0) and hub (1)
    Ptr<Node> m_core;                              //!< core router
    NodeContainer m_spokes;                        //!< spoke gateways
    NodeContainer m_spokeHosts;                    //!< hosts behind the spokes
    Ptr<NetDevice> m_hubWan;                       //!< hub's IPsec WAN device
    std::vector<Ptr<NetDevice>> m_spokeWans;       //!< spokes' IPsec WAN devices
    std::vector<Ipv4Address> m_spokeAddresses;     //!< spokes' WAN addresses
    std::map<uint32_t, uint32_t> m_spokeOfAddress; //!< spoke index by WAN address
    IpsecHelper m_ipsec;                           //!< IPsec helper
};

HubAndSpokeStudy::HubAndSpokeStudy(const StudyConfig& config)
    : m_config(config)
{
    m_result.sent.assign(config.spokes, 0);
    m_result.delivered.assign(config.spokes, 0);
    m_result.rejectedBy.assign(config.spokes, 0);
}

StudyResult
HubAndSpokeStudy::Run()
{
    BuildNetwork();
    ConfigureIpsec();
    InstallTraffic();

    std::cout << "\n=== idle time "
              << (m_config.idleTime.IsZero()
                      ? std::string("none")
                      : std::to_string(m_config.idleTime.GetInteger() / Seconds(1).GetInteger()) +
                            " s")
              << ", " << m_config.spokes << " spokes, hub SaCapacity " << m_config.capacity
              << " ===\n";
    std::cout << "  time(s)  IPsec SAs  SA sets  IKE SAs  rejections\n";
    Simulator::Schedule(Seconds(0), &HubAndSpokeStudy::PrintCounts, this);
    Simulator::Stop(m_config.duration);
    Simulator::Run();

    Ptr<IpsecStack> hubStack = m_hubSide.Get(1)->GetObject<IpsecStack>();
    m_result.idleDeleted = hubStack->GetDeletedCount(IpsecSaDeleteReason::IDLE);
    for (uint64_t count : m_result.rejectedBy)
    {
        m_result.spokesRejected += count > 0 ? 1 : 0;
    }
    Simulator::Destroy();
    return m_result;
}

void
HubAndSpokeStudy::BuildNetwork()
{
    m_hubSide.Create(2);
    m_core = CreateObject<Node>();
    m_spokes.Create(m_config.spokes);
    m_spokeHosts.Create(m_config.spokes);

    PointToPointHelper lan;
    lan.SetDeviceAttribute("DataRate", StringValue("100Mbps"));
    lan.SetChannelAttribute("Delay", StringValue("1ms"));
    PointToPointHelper wan;
    wan.SetDeviceAttribute("DataRate", StringValue("10Mbps"));
    wan.SetChannelAttribute("Delay", StringValue("5ms"));

    InternetStackHelper internet;
    internet.Install(m_hubSide);
    internet.Install(m_core);
    internet.Install(m_spokes);
    internet.Install(m_spokeHosts);

    // Modelled crypto: the study is about SA state, so the cipher work is not performed.
    m_ipsec.SetStackAttribute("ModelledCrypto", BooleanValue(true));
    m_ipsec.AssignStreams(1);

    // The hub side: LAN, then the WAN to the core with an IPsec device on the hub's end.
    Ipv4AddressHelper address;
    address.SetBase("10.0.0.0", "255.255.255.0");
    NetDeviceContainer hubLan = lan.Install(m_hubSide.Get(1), m_hubSide.Get(0));
    address.Assign(hubLan);
    NetDeviceContainer hubWanLower = wan.Install(m_hubSide.Get(1), m_core);
    m_hubWan = m_ipsec.InstallDevice(hubWanLower.Get(0));
    NetDeviceContainer hubWanDevices(m_hubWan, hubWanLower.Get(1));
    address.SetBase("192.0.2.0", "255.255.255.252");
    address.Assign(hubWanDevices);

    Ipv4StaticRoutingHelper routing;
    auto staticRouting = [&routing](Ptr<Node> node) {
        return routing.GetStaticRouting(node->GetObject<Ipv4>());
    };
    staticRouting(m_hubSide.Get(0))->SetDefaultRoute(Ipv4Address("10.0.0.1"), 1);
    staticRouting(m_hubSide.Get(1))->SetDefaultRoute(Ipv4Address("192.0.2.2"), 2);

    // Spoke k: WAN 172.16.0.0/16 cut into /30s, LAN 10.1.k.0/24. The core needs only its
    // connected routes, because it carries nothing but ESP and IKE between WAN addresses.
    for (uint32_t index = 0; index < m_config.spokes; ++index)
    {
        Ptr<Node> spoke = m_spokes.Get(index);
        uint32_t k = index + 1;
        NetDeviceContainer spokeWanLower = wan.Install(spoke, m_core);
        Ptr<NetDevice> spokeWan = m_ipsec.InstallDevice(spokeWanLower.Get(0));
        NetDeviceContainer spokeWanDevices(spokeWan, spokeWanLower.Get(1));
        Ipv4Address wanNetwork(Ipv4Address("172.16.0.0").Get() + 4 * index);
        address.SetBase(wanNetwork, "255.255.255.252");
        Ipv4InterfaceContainer wanInterfaces = address.Assign(spokeWanDevices);

        std::string lanNetwork = "10.1." + std::to_string(k) + ".0";
        address.SetBase(lanNetwork.c_str(), "255.255.255.0");
        address.Assign(lan.Install(spoke, m_spokeHosts.Get(index)));

        staticRouting(spoke)->SetDefaultRoute(wanInterfaces.GetAddress(1), 1);
        staticRouting(m_spokeHosts.Get(index))
            ->SetDefaultRoute(Ipv4Address(Ipv4Address(lanNetwork.c_str()).Get() + 1), 1);
        m_spokeWans.push_back(spokeWan);
        m_spokeAddresses.push_back(wanInterfaces.GetAddress(0));
        m_spokeOfAddress[wanInterfaces.GetAddress(0).Get()] = index;
    }
}

void
HubAndSpokeStudy::ConfigureIpsec()
{
    // Phase 1 policy 10 (aes, sha, pre-share, group 2) on every gateway.
    IsakmpPolicy policy(10);
    policy.SetEncryption("aes");
    policy.SetGroup(2);
    IpsecTransformSet transformSet =
        IpsecTransformSet::FromString("SPOKE-SET", m_config.transforms);
    const Ipv4Address hubAddress("192.0.2.1");

    // The hub: one crypto map, entry 10 k for spoke k, and the capacity and idle time.
    Ptr<Node> hub = m_hubSide.Get(1);
    Ptr<IkeDaemon> hubIke = IpsecHelper::GetIkeDaemon(hub);
    hubIke->AddPolicy(policy);
    hubIke->AssignStreams(100);
    Ptr<IpsecStack> hubStack = hub->GetObject<IpsecStack>();
    hubStack->SetLifetime(m_config.lifetime);
    if (!m_config.idleTime.IsZero())
    {
        std::string problem = hubStack->SetIdleTime(m_config.idleTime);
        NS_ABORT_MSG_IF(!problem.empty(), problem);
    }
    hubStack->GetCryptoEngine()->SetAttribute("SaCapacity", UintegerValue(m_config.capacity));
    auto hubMap = Create<CryptoMap>("SPOKES");
    for (uint32_t index = 0; index < m_config.spokes; ++index)
    {
        uint32_t k = index + 1;
        auto list = Create<Ipv4AccessList>(std::to_string(100 + k));
        list->Add("permit ip 10.0.0.0 0.0.0.255 10.1." + std::to_string(k) + ".0 0.0.0.255");
        auto entry = Create<CryptoMapEntry>(10 * k, CryptoMapEntry::KeyManagement::ISAKMP);
        entry->SetAccessList(list);
        entry->AddPeer(m_spokeAddresses[index]);
        entry->AddTransformSet(transformSet);
        hubMap->AddEntry(entry);
        hubIke->GetKeyTable().Add(PRESHARED_KEY, m_spokeAddresses[index]);
    }
    m_ipsec.ApplyCryptoMap(m_hubWan, hubMap);

    // Each spoke: one entry for the hub, no capacity limit and no idle time.
    for (uint32_t index = 0; index < m_config.spokes; ++index)
    {
        uint32_t k = index + 1;
        Ptr<Node> spoke = m_spokes.Get(index);
        Ptr<IkeDaemon> spokeIke = IpsecHelper::GetIkeDaemon(spoke);
        spokeIke->AddPolicy(policy);
        spokeIke->AssignStreams(200 + 10 * index);
        spokeIke->GetKeyTable().Add(PRESHARED_KEY, hubAddress);
        spoke->GetObject<IpsecStack>()->SetLifetime(m_config.lifetime);
        auto list = Create<Ipv4AccessList>("101");
        list->Add("permit ip 10.1." + std::to_string(k) + ".0 0.0.0.255 10.0.0.0 0.0.0.255");
        auto entry = Create<CryptoMapEntry>(10, CryptoMapEntry::KeyManagement::ISAKMP);
        entry->SetAccessList(list);
        entry->AddPeer(hubAddress);
        entry->AddTransformSet(transformSet);
        auto spokeMap = Create<CryptoMap>("HUB");
        spokeMap->AddEntry(entry);
        m_ipsec.ApplyCryptoMap(m_spokeWans[index], spokeMap);
    }

    hubStack->TraceConnectWithoutContext("SaCapacityRejected",
                                         MakeCallback(&HubAndSpokeStudy::CountRejection, this));
    hubIke->TraceConnectWithoutContext("StateChange",
                                       MakeCallback(&HubAndSpokeStudy::CountIkeState, this));
}

void
HubAndSpokeStudy::InstallTraffic()
{
    PacketSinkHelper sink("ns3::UdpSocketFactory",
                          InetSocketAddress(Ipv4Address::GetAny(), SINK_PORT));
    ApplicationContainer sinks = sink.Install(m_hubSide.Get(0));
    sinks.Get(0)->TraceConnectWithoutContext("Rx",
                                             MakeCallback(&HubAndSpokeStudy::CountDelivered, this));

    // Bursts of exponential length; each host draws from streams of its own, so the
    // schedule of a run depends only on the seed, the run number and the spoke count.
    OnOffHelper onOff("ns3::UdpSocketFactory",
                      InetSocketAddress(Ipv4Address("10.0.0.2"), SINK_PORT));
    std::ostringstream onTime;
    onTime << "ns3::ExponentialRandomVariable[Mean=" << m_config.onMean << "]";
    std::ostringstream offTime;
    offTime << "ns3::ExponentialRandomVariable[Mean=" << m_config.offMean << "]";
    onOff.SetAttribute("OnTime", StringValue(onTime.str()));
    onOff.SetAttribute("OffTime", StringValue(offTime.str()));
    onOff.SetAttribute("DataRate", DataRateValue(m_config.rate));
    onOff.SetAttribute("PacketSize", UintegerValue(m_config.packetSize));
    for (uint32_t index = 0; index < m_config.spokes; ++index)
    {
        ApplicationContainer source = onOff.Install(m_spokeHosts.Get(index));
        onOff.AssignStreams(m_spokeHosts.Get(index), 1000 + 10 * index);
        source.Get(0)->TraceConnectWithoutContext(
            "Tx",
            MakeCallback(&HubAndSpokeStudy::CountSent, this).Bind(index));
        source.Start(Seconds(1));
    }
}

void
HubAndSpokeStudy::PrintCounts()
{
    Ptr<Node> hub = m_hubSide.Get(1);
    Ptr<IpsecStack> stack = hub->GetObject<IpsecStack>();
    uint32_t ikeSas = 0;
    for (const auto& sa : IpsecHelper::GetIkeDaemon(hub)->GetIkeSas())
    {
        ikeSas += (sa->IsEstablished() && !sa->IsDeleted()) ? 1 : 0;
    }
    std::cout << std::setw(9) << Simulator::Now().GetSeconds() << std::setw(11)
              << stack->GetSadb()->GetSaCount() << std::setw(9) << stack->GetSaSetCount()
              << std::setw(9) << ikeSas << std::setw(12) << m_result.rejections << "\n";
    if (Simulator::Now() + m_config.report < m_config.duration)
    {
        Simulator::Schedule(m_config.report, &HubAndSpokeStudy::PrintCounts, this);
    }
}

void
HubAndSpokeStudy::CountSent(uint32_t index, Ptr<const Packet> packet)
{
    ++m_result.sent[index];
}

void
HubAndSpokeStudy::CountDelivered(Ptr<const Packet> packet, const Address& from)
{
    // Host k is 10.1.k.2, so the third byte of the source names the spoke.
    uint32_t source = InetSocketAddress::ConvertFrom(from).GetIpv4().Get();
    uint32_t k = (source >> 8) & 0xff;
    if (k >= 1 && k <= m_config.spokes)
    {
        ++m_result.delivered[k - 1];
    }
}

void
HubAndSpokeStudy::CountRejection(Ipv4Address peer, uint32_t requested, uint32_t capacity)
{
    ++m_result.rejections;
    auto it = m_spokeOfAddress.find(peer.Get());
    if (it != m_spokeOfAddress.end())
    {
        ++m_result.rejectedBy[it->second];
    }
}

void
HubAndSpokeStudy::CountIkeState(Ptr<const IkeSa> sa,
                                IkeSaState oldState,
                                IkeSaState newState,
                                bool deleted)
{
    m_result.ikeDeleted += deleted ? 1 : 0;
}

/**
 * Prints the summary of one run.
 * \param config the run's settings
 * \param result its counts
 */
void
PrintSummary(const StudyConfig& config, const StudyResult& result)
{
    std::cout << "capacity rejections: " << result.rejections << "\n";
    std::cout << "spokes rejected at least once: " << result.spokesRejected << " of "
              << config.spokes << "\n";
    std::cout << "SAs removed by the idle timer: " << result.idleDeleted << "\n";
    std::cout << "IKE SAs deleted by the hub: " << result.ikeDeleted << "\n";
    std::cout << "  spoke      sent  delivered  rejections\n";
    uint64_t sent = 0;
    uint64_t delivered = 0;
    for (uint32_t index = 0; index < config.spokes; ++index)
    {
        std::cout << std::setw(7) << index + 1 << std::setw(10) << result.sent[index]
                  << std::setw(11) << result.delivered[index] << std::setw(12)
                  << result.rejectedBy[index] << "\n";
        sent += result.sent[index];
        delivered += result.delivered[index];
    }
    std::cout << "  total" << std::setw(10) << sent << std::setw(11) << delivered << "\n";
}

/// Prints a usage error for one option and returns the exit status for bad input.
int
BadOption(const std::string& message)
{
    std::cerr << "ipsec-sa-idle-timer: " << message << std::endl;
    return 2;
}

} // namespace

int
main(int argc, char* argv[])
{
    StudyConfig config;
    uint32_t spokes = config.spokes;
    uint32_t capacity = config.capacity;
    double idleSeconds = 60;
    double lifetimeSeconds = 3600;
    double durationSeconds = 1800;
    double reportSeconds = 120;
    bool both = true;
    bool quick = false;

    CommandLine cmd(__FILE__);
    cmd.AddValue("spokes", "Number of spokes (1 to 250)", spokes);
    cmd.AddValue("capacity",
                 "SAs the hub's crypto engine can hold (SaCapacity); each spoke needs 2; "
                 "0 for no limit",
                 capacity);
    cmd.AddValue("idle-time",
                 "Hub idle time in seconds (60 to 86400), 0 for no idle timer",
                 idleSeconds);
    cmd.AddValue("both",
                 "Run without the idle timer first, then with --idle-time; 0 for one run",
                 both);
    cmd.AddValue("lifetime",
                 "SA time lifetime on every gateway in seconds (120 to 86400)",
                 lifetimeSeconds);
    cmd.AddValue("duration", "Simulated time of each run in seconds", durationSeconds);
    cmd.AddValue("report", "Time between two lines of SA counts in seconds", reportSeconds);
    cmd.AddValue("on-mean", "Mean burst length in seconds (exponential)", config.onMean);
    cmd.AddValue("off-mean",
                 "Mean silence between bursts in seconds (exponential)",
                 config.offMean);
    cmd.AddValue("rate", "Sending rate of a host during a burst, e.g. 64kbps", config.rate);
    cmd.AddValue("size", "UDP payload size in bytes", config.packetSize);
    cmd.AddValue("quick", "Short run for automated tests (4 spokes, 400 s)", quick);
    cmd.Parse(argc, argv);
    if (quick)
    {
        spokes = 4;
        capacity = 4;
        durationSeconds = 400;
        reportSeconds = 100;
    }

    // Bad input stops here with one line, before anything is built.
    if (spokes < 1 || spokes > MAX_SPOKES)
    {
        return BadOption("--spokes=" + std::to_string(spokes) + " is invalid: use 1 to 250");
    }
    if (idleSeconds != 0 && (idleSeconds < 60 || idleSeconds > 86400))
    {
        return BadOption("--idle-time=" + std::to_string(idleSeconds) +
                         " is invalid: use 0 or 60 to 86400 seconds");
    }
    if (lifetimeSeconds < 120 || lifetimeSeconds > 86400)
    {
        return BadOption("--lifetime=" + std::to_string(lifetimeSeconds) +
                         " is invalid: use 120 to 86400 seconds");
    }
    if (!(durationSeconds > 1) || !(reportSeconds > 0))
    {
        return BadOption("--duration must exceed 1 second and --report 0 seconds");
    }
    if (!(config.onMean > 0) || !(config.offMean > 0))
    {
        return BadOption("--on-mean and --off-mean must be above 0 seconds");
    }
    if (config.packetSize < 12 || config.packetSize > 1400)
    {
        return BadOption("--size=" + std::to_string(config.packetSize) +
                         " is invalid: use 12 to 1400 bytes");
    }
    if (config.rate.GetBitRate() == 0)
    {
        return BadOption("--rate must be above 0 bits per second");
    }
    config.spokes = spokes;
    config.capacity = capacity;
    config.lifetime = Seconds(lifetimeSeconds);
    config.duration = Seconds(durationSeconds);
    config.report = Seconds(reportSeconds);

    std::vector<Time> idleTimes;
    if (both)
    {
        idleTimes.push_back(Seconds(0));
    }
    if (!both || idleSeconds != 0)
    {
        idleTimes.push_back(Seconds(idleSeconds));
    }
    for (Time idleTime : idleTimes)
    {
        config.idleTime = idleTime;
        HubAndSpokeStudy study(config);
        StudyResult result = study.Run();
        PrintSummary(config, result);
    }
    return 0;
}
