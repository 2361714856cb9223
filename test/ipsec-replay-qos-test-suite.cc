// Copyright (c) 2026 The ns3-ipsec authors
// SPDX-License-Identifier: GPL-2.0-only

// Replay drops caused by QoS on the encrypting gateway, checked against a reference
// replay checker.
//
// Every case builds this network:
//
// clang-format off
//
//   host A              gateway A                          gateway B              host B
//   10.1.1.2 ---------- 10.1.1.1 | 192.0.2.1 =========== 192.0.2.2 | 10.2.2.1 ---------- 10.2.2.2
//            100 Mb/s, 1 ms      PrioQueueDisc  2 Mb/s, 5 ms                100 Mb/s, 1 ms
//                                below IPsec
//
// clang-format on
//
// Host A sends voice (DSCP EF, 160-byte UDP payload, 50 packets/s) and bulk data (best
// effort, 1000-byte payload, 3 Mb/s) for 2 s, through one crypto map entry. Gateway A's WAN
// device has a PrioQueueDisc: EF in band 0 (100 packets), the rest in band 1 (200 packets).
// Data arrives faster than the WAN sends it, so band 1 fills and overflows while voice
// passes it, and gateway B receives queued data after voice with higher sequence numbers.
//
// Each case records the order in which ESP packets reach gateway B's WAN device. The SPI
// and 32-bit sequence number are read from the frame before IPsec processing. A reference
// replay checker then runs over that order. Per window it keeps the set of accepted
// numbers and their maximum (the top), and a number is new iff it is not in the set and
// above top - N.
// The module's replay drops must be exactly the reference's, and the reordering
// histogram's smallest window must be the reference's maximum depth plus one.

#include "ipsec-test-network.h"

#include "ns3/applications-module.h"
#include "ns3/core-module.h"
#include "ns3/internet-module.h"
#include "ns3/ipsec-module.h"
#include "ns3/network-module.h"
#include "ns3/point-to-point-module.h"
#include "ns3/test.h"
#include "ns3/traffic-control-module.h"

#include <algorithm>
#include <array>
#include <map>
#include <set>
#include <string>
#include <utility>
#include <vector>

using namespace ns3;

namespace
{

/// DSCP of voice: Expedited Forwarding (RFC 3246).
constexpr uint8_t VOICE_DSCP = 46;
/// Bytes of the PPP header in front of each frame on a point-to-point link.
constexpr uint32_t PPP_HEADER_SIZE = 2;
/// Bytes of an IPv4 header without options.
constexpr uint32_t IPV4_HEADER_SIZE = 20;
/// Index of the voice class in per-class arrays.
constexpr uint32_t VOICE = 0;
/// Index of the data class in per-class arrays.
constexpr uint32_t DATA = 1;
/// Packets band 1 (data) of gateway A's queue disc holds.
constexpr uint32_t DATA_QUEUE_LIMIT = 200;

/// An ESP packet as it reached gateway B's WAN device.
struct Arrival
{
    uint32_t spi;      //!< ESP SPI
    uint32_t sequence; //!< 32-bit ESP sequence number field
    uint32_t flow;     //!< VOICE or DATA, from the outer DSCP
};

/// Key of one packet: SPI and 32-bit sequence number.
using PacketKey = std::pair<uint32_t, uint32_t>;

/// Replay configuration of one case.
struct ReplayConfig
{
    uint32_t window{64};  //!< replay window size (packets)
    bool disabled{false}; //!< replay checking disabled
    bool classes{false};  //!< voice gets its own traffic class
    CryptoMapEntry::TrafficClassMode mode{
        CryptoMapEntry::TrafficClassMode::SEPARATE_SAS}; //!< treatment of the classes
};

/// What one run of the scenario produced.
struct RunResult
{
    std::vector<Arrival> arrivals;              //!< ESP packets at gateway B, in order
    std::set<PacketKey> moduleDrops;            //!< packets the module's replay check dropped
    uint64_t counterDrops{0};                   //!< replayDuplicate + replayTooOld of B's SAs
    std::map<uint32_t, uint64_t> minimumWindow; //!< histogram smallest window, per inbound SPI
    std::array<uint64_t, 2> sent{};             //!< packets each application sent
    std::array<uint64_t, 2> leftGatewayA{};     //!< ESP packets that left gateway A's WAN
    std::array<uint64_t, 2> received{};         //!< packets each sink received
    uint64_t queueDiscDrops{0};                 //!< drops in gateway A's queue disc
};

/// What the reference replay checker computed.
struct ReferenceResult
{
    std::set<PacketKey> drops;             //!< packets it dropped
    std::array<uint64_t, 2> flowDrops{};   //!< drops per flow
    std::map<uint32_t, uint64_t> maxDepth; //!< largest depth of a non-duplicate, per SPI
};

/**
 * Reads the outer DSCP, SPI and sequence number of a PPP frame carrying an unfragmented
 * ESP packet.
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
    arrival.flow = esp.dscp == VOICE_DSCP ? VOICE : DATA;
    return true;
}

/**
 * Runs the reference replay checker over an arrival order.
 * \param arrivals the ESP packets in the order gateway B received them
 * \param config the replay configuration
 * \return the packets it drops and the depths it saw
 */
ReferenceResult
RunReference(const std::vector<Arrival>& arrivals, const ReplayConfig& config)
{
    // One window per SA and, with sequence-number spaces for two classes, per top bit.
    bool spaces =
        config.classes && config.mode == CryptoMapEntry::TrafficClassMode::SEQUENCE_SPACES;
    ipsectest::ReferenceReplayChecker checker(config.window, config.disabled);
    ReferenceResult result;
    for (const Arrival& arrival : arrivals)
    {
        uint32_t space = spaces ? arrival.sequence >> 31 : 0;
        ipsectest::ReferenceReplayChecker::Verdict verdict =
            checker.Receive(arrival.spi, space, arrival.sequence);
        if (verdict.dropped)
        {
            result.drops.insert({arrival.spi, arrival.sequence});
            result.flowDrops[arrival.flow]++;
        }

        // The smallest window is about packets that were not duplicates.
        uint64_t& maxDepth = result.maxDepth[arrival.spi];
        if (config.disabled || !verdict.duplicate)
        {
            maxDepth = std::max(maxDepth, verdict.depth);
        }
    }
    return result;
}

/**
 * Puts ESP packets whose outer DSCP is EF in band 0 and other IPv4 packets in band 1.
 * Gateway A cannot use the socket priority for this: ns-3.37's traffic-control layer
 * removes the SocketPriorityTag before the IPsec device receives the packet.
 */
class QosTestEfFilter : public Ipv4PacketFilter
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

NS_OBJECT_ENSURE_REGISTERED(QosTestEfFilter);

TypeId
QosTestEfFilter::GetTypeId()
{
    static TypeId tid = TypeId("ns3::IpsecReplayQosTestEfFilter")
                            .SetParent<Ipv4PacketFilter>()
                            .SetGroupName("Ipsec")
                            .AddConstructor<QosTestEfFilter>();
    return tid;
}

int32_t
QosTestEfFilter::DoClassify(Ptr<QueueDiscItem> item) const
{
    Ptr<Ipv4QueueDiscItem> ipv4 = DynamicCast<Ipv4QueueDiscItem>(item);
    return ipv4->GetHeader().GetDscp() == VOICE_DSCP ? 0 : 1;
}

/**
 * Builds the two-site network with QoS on gateway A, runs 2 s of voice and data, and
 * collects what gateway B received and dropped. Ends with Simulator::Destroy().
 * \param config the replay configuration of the tunnel
 * \return the observations
 */
RunResult
RunScenario(const ReplayConfig& config)
{
    RunResult result;

    NodeContainer hostA;
    NodeContainer gateways;
    NodeContainer hostB;
    hostA.Create(1);
    gateways.Create(2);
    hostB.Create(1);

    // A one-packet device queue keeps the WAN backlog in the queue disc.
    PointToPointHelper lan;
    lan.SetDeviceAttribute("DataRate", StringValue("100Mbps"));
    lan.SetChannelAttribute("Delay", StringValue("1ms"));
    PointToPointHelper wan;
    wan.SetDeviceAttribute("DataRate", StringValue("2Mbps"));
    wan.SetChannelAttribute("Delay", StringValue("5ms"));
    wan.SetQueue("ns3::DropTailQueue", "MaxSize", StringValue("1p"));
    NetDeviceContainer lanA = lan.Install(gateways.Get(0), hostA.Get(0));
    NetDeviceContainer lanB = lan.Install(gateways.Get(1), hostB.Get(0));
    NetDeviceContainer wanDevices = wan.Install(gateways.Get(0), gateways.Get(1));

    InternetStackHelper internet;
    internet.InstallAll();

    TrafficControlHelper trafficControl;
    uint16_t root = trafficControl.SetRootQueueDisc("ns3::PrioQueueDisc");
    TrafficControlHelper::ClassIdList bands =
        trafficControl.AddQueueDiscClasses(root, 2, "ns3::QueueDiscClass");
    trafficControl.AddChildQueueDisc(root,
                                     bands[0],
                                     "ns3::FifoQueueDisc",
                                     "MaxSize",
                                     QueueSizeValue(QueueSize("100p")));
    trafficControl.AddChildQueueDisc(
        root,
        bands[1],
        "ns3::FifoQueueDisc",
        "MaxSize",
        QueueSizeValue(QueueSize(QueueSizeUnit::PACKETS, DATA_QUEUE_LIMIT)));
    Ptr<QueueDisc> prio = trafficControl.Install(wanDevices.Get(0)).Get(0);
    prio->AddPacketFilter(CreateObject<QosTestEfFilter>());

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

    Ipv4StaticRoutingHelper routing;
    routing.GetStaticRouting(hostA.Get(0)->GetObject<Ipv4>())
        ->SetDefaultRoute(Ipv4Address("10.1.1.1"), 1);
    routing.GetStaticRouting(hostB.Get(0)->GetObject<Ipv4>())
        ->SetDefaultRoute(Ipv4Address("10.2.2.1"), 1);
    routing.GetStaticRouting(gateways.Get(0)->GetObject<Ipv4>())
        ->AddNetworkRouteTo("10.2.2.0", "255.255.255.0", wanAddresses.GetAddress(1), 2);
    routing.GetStaticRouting(gateways.Get(1)->GetObject<Ipv4>())
        ->AddNetworkRouteTo("10.1.1.0", "255.255.255.0", wanAddresses.GetAddress(0), 2);

    if (config.disabled)
    {
        ipsec.SetTunnelReplayDisable(true);
    }
    else
    {
        ipsec.SetTunnelReplayWindowSize(config.window);
    }
    if (config.classes)
    {
        ipsec.SetTunnelTrafficClasses({{VOICE_DSCP}}, config.mode);
    }
    ipsec.CreateManualTunnel(wanInterfaces.Get(0),
                             wanInterfaces.Get(1),
                             "permit ip 10.1.1.0 0.0.0.255 10.2.2.0 0.0.0.255",
                             "esp-aes esp-sha-hmac");

    // Voice: 160 bytes every 20 ms with TOS 0xb8. Data: 1000 bytes at 3 Mb/s.
    Ipv4Address hostBAddress = lanBInterfaces.GetAddress(1);
    InetSocketAddress voiceDestination(hostBAddress, 5000);
    voiceDestination.SetTos(VOICE_DSCP << 2);
    OnOffHelper voice("ns3::UdpSocketFactory", voiceDestination);
    voice.SetConstantRate(DataRate("64kbps"), 160);
    OnOffHelper data("ns3::UdpSocketFactory", InetSocketAddress(hostBAddress, 5001));
    data.SetConstantRate(DataRate("3Mbps"), 1000);
    ApplicationContainer senders;
    senders.Add(voice.Install(hostA.Get(0)));
    senders.Add(data.Install(hostA.Get(0)));
    senders.Start(Seconds(1.0));
    senders.Stop(Seconds(3.0));
    PacketSinkHelper voiceSink("ns3::UdpSocketFactory",
                               InetSocketAddress(Ipv4Address::GetAny(), 5000));
    PacketSinkHelper dataSink("ns3::UdpSocketFactory",
                              InetSocketAddress(Ipv4Address::GetAny(), 5001));
    ApplicationContainer sinks;
    sinks.Add(voiceSink.Install(hostB.Get(0)));
    sinks.Add(dataSink.Install(hostB.Get(0)));
    sinks.Start(Seconds(0.5));

    // Observers: applications, both ends of the WAN, and gateway B's replay check.
    for (uint32_t flow : {VOICE, DATA})
    {
        senders.Get(flow)->TraceConnectWithoutContext(
            "Tx",
            MakeCallback(+[](uint64_t* count, Ptr<const Packet>) {
                ++*count;
            }).Bind(&result.sent[flow]));
        sinks.Get(flow)->TraceConnectWithoutContext(
            "Rx",
            MakeCallback(+[](uint64_t* count, Ptr<const Packet>, const Address&) {
                ++*count;
            }).Bind(&result.received[flow]));
    }
    wanDevices.Get(0)->TraceConnectWithoutContext(
        "PhyTxBegin",
        MakeCallback(+[](std::array<uint64_t, 2>* counts, Ptr<const Packet> frame) {
            Arrival esp;
            if (ReadEspFrame(frame, esp))
            {
                (*counts)[esp.flow]++;
            }
        }).Bind(&result.leftGatewayA));
    wanDevices.Get(1)->TraceConnectWithoutContext(
        "MacRx",
        MakeCallback(+[](std::vector<Arrival>* arrivals, Ptr<const Packet> frame) {
            Arrival esp;
            if (ReadEspFrame(frame, esp))
            {
                arrivals->push_back(esp);
            }
        }).Bind(&result.arrivals));
    Ptr<IpsecStack> stackB = gateways.Get(1)->GetObject<IpsecStack>();
    stackB->TraceConnectWithoutContext(
        "ReplayDrop",
        MakeCallback(+[](std::set<PacketKey>* drops,
                         Ptr<const Packet>,
                         Ptr<const IpsecSecurityAssociation> sa,
                         uint64_t sequence,
                         uint64_t,
                         IpsecDropReason) {
            drops->insert({sa->GetSpi(), static_cast<uint32_t>(sequence)});
        }).Bind(&result.moduleDrops));

    // A full band 1 drains in 200 * 1100 * 8 / 2e6 = 0.88 s, well before the stop.
    Simulator::Stop(Seconds(5.0));
    Simulator::Run();

    for (const auto& sa : stackB->GetSadb()->GetInboundSas())
    {
        result.counterDrops += sa->GetCounters().replayDuplicate + sa->GetCounters().replayTooOld;
        result.minimumWindow[sa->GetSpi()] = sa->GetReorderingHistogram().GetMinimumWindow();
    }
    result.queueDiscDrops = prio->GetStats().nTotalDroppedPackets;
    Simulator::Destroy();
    return result;
}

/**
 * \ingroup ipsec
 * Runs the QoS scenario with one replay configuration and checks the module against the
 * reference replay checker.
 */
class ReplayQosTestCase : public TestCase
{
  public:
    /// What a case expects of the reference result, beyond matching the module.
    enum class Expectation : uint8_t
    {
        DATA_DROPS,    //!< the reference drops data packets and no voice
        NO_DROPS_DEEP, //!< no drops, although data arrives more than 64 packets deep
        NO_DROPS,      //!< the reference drops nothing
    };

    /**
     * Creates the case.
     * \param name the test name
     * \param config the replay configuration
     * \param expectation what the reference must find
     */
    ReplayQosTestCase(const std::string& name, const ReplayConfig& config, Expectation expectation)
        : TestCase(name),
          m_config(config),
          m_expectation(expectation)
    {
    }

  private:
    void DoRun() override;

    ReplayConfig m_config;     //!< replay configuration of the tunnel
    Expectation m_expectation; //!< what the reference must find
};

void
ReplayQosTestCase::DoRun()
{
    RunResult run = RunScenario(m_config);
    ReferenceResult reference = RunReference(run.arrivals, m_config);

    // The scenario did what the study needs: voice in band 0 with DSCP EF on the wire,
    // data overflowing band 1, and every packet that left gateway A reaching gateway B.
    NS_TEST_ASSERT_MSG_GT(run.sent[VOICE], 0, "no voice was sent");
    NS_TEST_ASSERT_MSG_EQ(run.leftGatewayA[VOICE],
                          run.sent[VOICE],
                          "voice packets were lost before the WAN or lost DSCP EF");
    NS_TEST_ASSERT_MSG_GT(run.queueDiscDrops, 0, "band 1 never overflowed");
    NS_TEST_ASSERT_MSG_EQ(run.leftGatewayA[DATA] + run.queueDiscDrops,
                          run.sent[DATA],
                          "data packets were lost outside the queue disc");
    NS_TEST_ASSERT_MSG_EQ(run.arrivals.size(),
                          run.leftGatewayA[VOICE] + run.leftGatewayA[DATA],
                          "ESP packets were lost on the WAN");

    // The module drops exactly the packets the reference drops.
    NS_TEST_ASSERT_MSG_EQ(run.moduleDrops.size(),
                          reference.drops.size(),
                          "replay drop count differs from the reference");
    NS_TEST_ASSERT_MSG_EQ((run.moduleDrops == reference.drops),
                          true,
                          "replay-dropped packets differ from the reference");
    NS_TEST_ASSERT_MSG_EQ(run.counterDrops,
                          reference.drops.size(),
                          "replayDuplicate + replayTooOld differs from the reference");

    // Host B gets what left gateway A minus the replay drops.
    for (uint32_t flow : {VOICE, DATA})
    {
        NS_TEST_ASSERT_MSG_EQ(run.received[flow],
                              run.leftGatewayA[flow] - reference.flowDrops[flow],
                              "flow " << flow << ": received differs from left A minus drops");
    }

    // Each inbound SA's histogram gives the reference's smallest window.
    NS_TEST_ASSERT_MSG_EQ(run.minimumWindow.size(),
                          reference.maxDepth.size(),
                          "inbound SA count differs from the SPIs on the wire");
    for (const auto& [spi, maxDepth] : reference.maxDepth)
    {
        NS_TEST_ASSERT_MSG_EQ(run.minimumWindow.count(spi), 1, "no inbound SA for SPI " << spi);
        NS_TEST_ASSERT_MSG_EQ(run.minimumWindow[spi],
                              maxDepth + 1,
                              "smallest window of SPI " << spi << " differs from the reference");
    }

    if (m_expectation == Expectation::DATA_DROPS)
    {
        NS_TEST_ASSERT_MSG_GT(reference.flowDrops[DATA], 0, "QoS caused no replay drops");
        NS_TEST_ASSERT_MSG_EQ(reference.flowDrops[VOICE], 0, "voice was replay-dropped");
    }
    else
    {
        NS_TEST_ASSERT_MSG_EQ(reference.drops.size(), 0, "the reference dropped packets");
    }
    if (m_expectation == Expectation::NO_DROPS_DEEP)
    {
        uint64_t deepest = 0;
        for (const auto& [spi, maxDepth] : reference.maxDepth)
        {
            deepest = std::max(deepest, maxDepth);
        }
        NS_TEST_ASSERT_MSG_GT(deepest, 64, "reordering too shallow to need a larger window");
        if (!m_config.disabled)
        {
            NS_TEST_ASSERT_MSG_LT(deepest, m_config.window, "reordering deeper than the window");
        }
    }
}

/**
 * \ingroup ipsec
 * Checks the class split on the wire: one SA per class, or one sequence-number space per
 * class, with voice reordered against nothing in its own class.
 */
class ReplayQosClassSplitTestCase : public TestCase
{
  public:
    /**
     * Creates the case.
     * \param mode separate SAs or sequence-number spaces
     */
    explicit ReplayQosClassSplitTestCase(CryptoMapEntry::TrafficClassMode mode)
        : TestCase(mode == CryptoMapEntry::TrafficClassMode::SEPARATE_SAS
                       ? "class split: one SA per class"
                       : "class split: sequence spaces"),
          m_mode(mode)
    {
    }

  private:
    void DoRun() override;

    CryptoMapEntry::TrafficClassMode m_mode; //!< separate SAs or sequence-number spaces
};

void
ReplayQosClassSplitTestCase::DoRun()
{
    ReplayConfig config;
    config.classes = true;
    config.mode = m_mode;
    RunResult run = RunScenario(config);

    // Voice is class 0 (the first DSCP group), data the default class 1.
    std::array<std::set<uint32_t>, 2> spis;
    std::array<std::set<uint32_t>, 2> spaces;
    for (const Arrival& arrival : run.arrivals)
    {
        spis[arrival.flow].insert(arrival.spi);
        spaces[arrival.flow].insert(arrival.sequence >> 31);
    }
    NS_TEST_ASSERT_MSG_EQ(spis[VOICE].size(), 1, "voice uses more than one SPI");
    NS_TEST_ASSERT_MSG_EQ(spis[DATA].size(), 1, "data uses more than one SPI");
    if (m_mode == CryptoMapEntry::TrafficClassMode::SEPARATE_SAS)
    {
        NS_TEST_ASSERT_MSG_NE(*spis[VOICE].begin(), *spis[DATA].begin(), "classes share an SA");
        NS_TEST_ASSERT_MSG_EQ(run.minimumWindow.size(), 2, "gateway B needs two inbound SAs");
    }
    else
    {
        NS_TEST_ASSERT_MSG_EQ(*spis[VOICE].begin(), *spis[DATA].begin(), "classes use two SAs");
        NS_TEST_ASSERT_MSG_EQ((spaces[VOICE] == std::set<uint32_t>{0}), true, "voice not space 0");
        NS_TEST_ASSERT_MSG_EQ((spaces[DATA] == std::set<uint32_t>{1}), true, "data not space 1");
    }

    // Within a class the queue is FIFO, so no packet arrives below its window's top.
    for (const auto& [spi, window] : run.minimumWindow)
    {
        NS_TEST_ASSERT_MSG_EQ(window, 1, "SPI " << spi << " saw reordering within a class");
    }
}

/**
 * \ingroup ipsec
 * Replay drops that priority queueing after encryption causes, and their cures.
 */
class IpsecReplayQosTestSuite : public TestSuite
{
  public:
    IpsecReplayQosTestSuite()
        : TestSuite("ipsec-replay-qos", UNIT)
    {
        using Expectation = ReplayQosTestCase::Expectation;
        using Mode = CryptoMapEntry::TrafficClassMode;

        ReplayConfig window64;
        AddTestCase(
            new ReplayQosTestCase("window 64 drops data", window64, Expectation::DATA_DROPS),
            TestCase::QUICK);

        ReplayConfig window1024;
        window1024.window = 1024;
        AddTestCase(
            new ReplayQosTestCase("window 1024 drops none", window1024, Expectation::NO_DROPS_DEEP),
            TestCase::QUICK);

        ReplayConfig perClassSa;
        perClassSa.classes = true;
        perClassSa.mode = Mode::SEPARATE_SAS;
        AddTestCase(
            new ReplayQosTestCase("per-class SA drops none", perClassSa, Expectation::NO_DROPS),
            TestCase::QUICK);

        ReplayConfig sequenceSpaces;
        sequenceSpaces.classes = true;
        sequenceSpaces.mode = Mode::SEQUENCE_SPACES;
        AddTestCase(new ReplayQosTestCase("sequence spaces drop none",
                                          sequenceSpaces,
                                          Expectation::NO_DROPS),
                    TestCase::QUICK);

        ReplayConfig disabled;
        disabled.disabled = true;
        AddTestCase(new ReplayQosTestCase("replay disabled drops none",
                                          disabled,
                                          Expectation::NO_DROPS_DEEP),
                    TestCase::QUICK);

        AddTestCase(new ReplayQosClassSplitTestCase(Mode::SEPARATE_SAS), TestCase::QUICK);
        AddTestCase(new ReplayQosClassSplitTestCase(Mode::SEQUENCE_SPACES), TestCase::QUICK);
    }
};

/// Registers the suite.
static IpsecReplayQosTestSuite g_ipsecReplayQosTestSuite;

} // namespace
