// Copyright (c) 2026 The ns3-ipsec authors
// SPDX-License-Identifier: GPL-2.0-only

// Tests of what a gateway does with a tunnel-mode packet whose protected size exceeds the
// egress MTU: fragment before encryption, fragment after encryption, or drop it and send
// ICMP "fragmentation needed". IOS decides from `crypto ipsec fragmentation` (pre-fragmentation),
// `crypto ipsec df-bit` and the inner DF bit:
//
// | pre-frag | df-bit       | inner DF | result                                             |
// |----------|--------------|----------|----------------------------------------------------|
// | on       | clear        | 0 or 1   | fragment before encryption                         |
// | on       | set or copy  | 0        | fragment before encryption                         |
// | on       | set or copy  | 1        | drop, ICMP fragmentation needed with the usable MTU |
// | off      | clear        | 0 or 1   | fragment after encryption, reassemble at the peer  |
// | off      | set or copy  | 0        | fragment after encryption, reassemble at the peer  |
// | off      | set or copy  | 1        | drop, ICMP fragmentation needed with the usable MTU |
//
// Every case builds this network (the addresses are fixed, so sizes can be written out):
//
// clang-format off
//
//   host A              gateway A                     gateway B              host B
//   10.1.1.2 ---------- 10.1.1.1 | 192.0.2.1 ====== 192.0.2.2 | 10.2.2.1 ---------- 10.2.2.2
//            100 Mb/s, 1 ms      IpsecNetDevice  10 Mb/s, 5 ms  IpsecNetDevice   100 Mb/s, 1 ms
//
// clang-format on
//
// Sizes used throughout, for esp-aes esp-sha-hmac in tunnel mode (RFC 4303, RFC 3602):
//  - a UDP payload of p bytes gives an inner IPv4 packet of p + 28 bytes;
//  - an inner packet of n bytes gives an outer packet of 20 + 8 + 16 + pad16(n + 2) + 12
//    bytes, where pad16 rounds up to a multiple of 16;
//  - a 100-byte payload: inner 128, pad16(130) = 144, outer 56 + 144 = 200;
//  - a 1472-byte payload: inner 1500, pad16(1502) = 1504, outer 56 + 1504 = 1560 > 1500;
//  - the usable MTU is the largest inner size n with 56 + pad16(n + 2) <= 1500, so
//    pad16(n + 2) <= 1440 and n = 1438 (outer 1496; n = 1439 gives 56 + 1456 = 1512);
//  - a point-to-point frame is the IPv4 packet plus a 2-byte PPP header.

#include "ipsec-test-network.h"

#include "ns3/core-module.h"
#include "ns3/internet-module.h"
#include "ns3/ipsec-module.h"
#include "ns3/network-module.h"
#include "ns3/point-to-point-module.h"
#include "ns3/test.h"

#include <map>
#include <string>
#include <utility>
#include <vector>

using namespace ns3;
using namespace ns3::ipsectest;

namespace
{

/// UDP payload that fits the WAN MTU once protected: outer packet of 200 bytes.
constexpr uint32_t SMALL_PAYLOAD = 100;
/// UDP payload of a full-size inner packet (1500 bytes): outer packet of 1560 bytes.
constexpr uint32_t LARGE_PAYLOAD = 1472;
/// The transform set of every case that does not name its own.
const std::string ESP_AES_SHA = "esp-aes esp-sha-hmac";

/**
 * \param packet an IPv4 packet, header first
 * \return true if its DF bit is set
 */
bool
IsDontFragment(const std::vector<uint8_t>& packet)
{
    return (packet[6] & 0x40) != 0;
}

/**
 * \param packet an IPv4 packet, header first
 * \return true if its MF bit is set
 */
bool
HasMoreFragments(const std::vector<uint8_t>& packet)
{
    return (packet[6] & 0x20) != 0;
}

/**
 * \param packet an IPv4 packet, header first
 * \return its fragment offset in 8-byte units
 */
uint32_t
FragmentOffset(const std::vector<uint8_t>& packet)
{
    return (static_cast<uint32_t>(packet[6] & 0x1f) << 8) | packet[7];
}

/// Action of a gateway on an inner packet too large for the WAN once protected.
enum class Outcome
{
    PRE_FRAGMENT,  //!< fragments the inner packet, then protects each fragment
    POST_FRAGMENT, //!< protects the packet, then fragments the outer packet
    DROP,          //!< drops it and sends ICMP fragmentation needed
};

/// \return the name of an outcome, for test names and messages
std::string
OutcomeName(Outcome outcome)
{
    switch (outcome)
    {
    case Outcome::PRE_FRAGMENT:
        return "fragment before encryption";
    case Outcome::POST_FRAGMENT:
        return "fragment after encryption";
    case Outcome::DROP:
        return "drop";
    }
    return "";
}

/// \return the name of a df-bit policy as IOS spells it
std::string
DfBitName(IpsecDfBitPolicy policy)
{
    switch (policy)
    {
    case DF_BIT_COPY:
        return "copy";
    case DF_BIT_SET:
        return "set";
    case DF_BIT_CLEAR:
        return "clear";
    }
    return "";
}

/// Configuration of one run of the two-packet scenario.
struct Scenario
{
    IpsecDfBitPolicy stackDfBit = DF_BIT_COPY; //!< gateway A's global df-bit
    IpsecNetDevice::DfBitSetting deviceDfBit = IpsecNetDevice::DF_BIT_GLOBAL; //!< A's interface
    bool stackPreFragmentationA = true; //!< gateway A's global pre-fragmentation
    IpsecNetDevice::PreFragmentationSetting devicePreFragmentation =
        IpsecNetDevice::PRE_FRAGMENTATION_GLOBAL; //!< gateway A's interface pre-fragmentation
    bool stackPreFragmentationB = true;           //!< gateway B's global pre-fragmentation
    bool innerDontFragment = false;               //!< DF bit of both inner packets
};

/// Observations from one run of the two-packet scenario.
struct Observation
{
    std::vector<std::vector<uint8_t>> wanFrames;     //!< A's WAN frames, PPP header removed
    std::vector<std::vector<uint8_t>> framesToHostB; //!< B's LAN frames, PPP header removed
    std::vector<std::vector<uint8_t>> delivered;     //!< payloads host B received
    std::vector<std::vector<uint8_t>> icmpAtHostA;   //!< ICMP messages host A received
    uint64_t preFragmentedA = 0;                     //!< A's pre-encryption fragmentations
    uint64_t postFragmentedA = 0;                    //!< A's post-encryption fragmentations
    uint64_t fragmentationNeededA = 0;               //!< ICMP messages A's device sent
    uint64_t fragmentationNeededDropsA = 0;          //!< A's FRAGMENTATION_NEEDED drops
    uint64_t reassembledB = 0;                       //!< packets B reassembled before decrypting
    uint64_t preFragmentedB = 0;                     //!< B's pre-encryption fragmentations
    IpsecDfBitPolicy effectiveDfBitA = DF_BIT_COPY;  //!< df-bit in force on A's interface
    bool effectivePreFragmentationA = false; //!< pre-fragmentation in force on A's interface
};

/**
 * Runs the scenario most cases share, through an esp-aes esp-sha-hmac tunnel from gateway
 * A to gateway B. Host A sends a 100-byte UDP payload, which fits once protected, at 1 s,
 * then a 1472-byte one, which does not, at 2 s. Both carry the given inner DF bit.
 * \param scenario the configuration
 * \return what the run observed
 */
Observation
RunScenario(const Scenario& scenario)
{
    TwoSiteNetwork net(false);
    Ptr<IpsecStack> stackA = TwoSiteNetwork::Stack(net.gatewayA);
    Ptr<IpsecStack> stackB = TwoSiteNetwork::Stack(net.gatewayB);
    stackA->SetAttribute("DfBit", EnumValue(scenario.stackDfBit));
    stackA->SetAttribute("PreFragmentation", BooleanValue(scenario.stackPreFragmentationA));
    stackB->SetAttribute("PreFragmentation", BooleanValue(scenario.stackPreFragmentationB));
    net.DeviceA()->SetAttribute("DfBit", EnumValue(scenario.deviceDfBit));
    net.DeviceA()->SetAttribute("PreFragmentation", EnumValue(scenario.devicePreFragmentation));
    net.ipsec.CreateManualTunnel(net.wan.Get(0),
                                 net.wan.Get(1),
                                 TwoSiteNetwork::LAN_TO_LAN,
                                 ESP_AES_SHA);
    net.Listen(net.hostB, 9);
    net.SendRaw(TwoSiteNetwork::HOST_B,
                9,
                MakePayload(0, SMALL_PAYLOAD),
                scenario.innerDontFragment,
                Seconds(1));
    net.SendRaw(TwoSiteNetwork::HOST_B,
                9,
                MakePayload(1, LARGE_PAYLOAD),
                scenario.innerDontFragment,
                Seconds(2));
    Simulator::Run();

    Observation seen;
    seen.wanFrames = net.framesAToB;
    seen.framesToHostB = net.framesToHostB;
    seen.delivered = net.Received(net.hostB, 9);
    seen.icmpAtHostA = net.icmpAtHostA;
    seen.preFragmentedA = net.DeviceA()->GetPreEncryptionFragmentedCount();
    seen.postFragmentedA = net.DeviceA()->GetPostEncryptionFragmentedCount();
    seen.fragmentationNeededA = net.DeviceA()->GetFragmentationNeededCount();
    seen.fragmentationNeededDropsA = stackA->GetDropCount(IpsecDropReason::FRAGMENTATION_NEEDED);
    seen.reassembledB = stackB->GetReassembledCount();
    seen.preFragmentedB = net.DeviceB()->GetPreEncryptionFragmentedCount();
    seen.effectiveDfBitA = net.DeviceA()->GetEffectiveDfBitPolicy();
    seen.effectivePreFragmentationA = net.DeviceA()->IsPreFragmentationEnabled();
    Simulator::Destroy();
    return seen;
}

/// Expected results of one run of the two-packet scenario.
struct Expectation
{
    Outcome outcome;        //!< what gateway A does with the 1472-byte packet
    bool smallDfBit;        //!< outer DF bit of the 100-byte packet, which fits
    bool largeDfBit;        //!< outer DF bit of the large packet's WAN frames
    IpsecDfBitPolicy dfBit; //!< df-bit in force on gateway A's WAN interface
    bool preFragmentation;  //!< pre-fragmentation in force on gateway A's WAN interface
};

/**
 * \ingroup ipsec
 * Runs the two-packet scenario for one configuration and checks every WAN frame, the
 * frames gateway B forwards to host B, the counters of both gateways, delivery, and the
 * ICMP message host A receives when the packet is dropped.
 *
 * Expected sizes for the 1472-byte payload (inner 1500, outer 1560 > 1500):
 *  - fragment before encryption: the largest 8-byte multiple d with 20 + d <= 1438 (the
 *    usable MTU) is 1416, so the 1480 bytes after the inner header need 2 fragments, made
 *    equal as ceil(1480 / 2) = 740 rounded up to 8 = 744 data bytes, then 736. The inner
 *    fragments are 764 and 756 bytes (the second at offset 744 / 8 = 93), and each
 *    protects to 56 + pad16(766 or 758) = 56 + 768 = 824 bytes;
 *  - fragment after encryption: the 1560-byte outer packet splits at 1500 - 20 = 1480 data
 *    bytes, giving IPv4 packets of 1500 and 20 + 80 - 20 = 80 bytes (offset 1480 / 8 = 185);
 *  - drop: ICMP type 3 code 4 (RFC 792) with next-hop MTU 1438 (RFC 1191).
 */
class IpsecFragmentationScenarioTestCase : public TestCase
{
  public:
    /**
     * \param name the test name
     * \param scenario the configuration
     * \param expected what the run must show
     */
    IpsecFragmentationScenarioTestCase(const std::string& name,
                                       const Scenario& scenario,
                                       const Expectation& expected)
        : TestCase(name),
          m_scenario(scenario),
          m_expected(expected)
    {
    }

  private:
    void DoRun() override
    {
        Observation seen = RunScenario(m_scenario);
        std::string outcome = " (" + OutcomeName(m_expected.outcome) + ")";

        NS_TEST_EXPECT_MSG_EQ(seen.effectiveDfBitA, m_expected.dfBit, "df-bit in force on A");
        NS_TEST_EXPECT_MSG_EQ(seen.effectivePreFragmentationA,
                              m_expected.preFragmentation,
                              "pre-fragmentation in force on A");

        // The 100-byte packet fits (outer 200 bytes): its DF bit shows the df-bit policy.
        NS_TEST_ASSERT_MSG_GT(seen.wanFrames.size(), 0, "WAN frames");
        NS_TEST_EXPECT_MSG_EQ(seen.wanFrames[0].size(), 200, "outer size of the small packet");
        NS_TEST_EXPECT_MSG_EQ(IsDontFragment(seen.wanFrames[0]),
                              m_expected.smallDfBit,
                              "outer DF bit of the small packet");
        NS_TEST_ASSERT_MSG_GT(seen.delivered.size(), 0, "payloads delivered to host B");
        NS_TEST_EXPECT_MSG_EQ((seen.delivered[0] == MakePayload(0, SMALL_PAYLOAD)),
                              true,
                              "small payload intact");
        NS_TEST_EXPECT_MSG_EQ(seen.preFragmentedB, 0, "gateway B fragmented nothing");

        switch (m_expected.outcome)
        {
        case Outcome::PRE_FRAGMENT:
            CheckPreFragmented(seen);
            break;
        case Outcome::POST_FRAGMENT:
            CheckPostFragmented(seen);
            break;
        case Outcome::DROP:
            CheckDropped(seen);
            break;
        }
        if (m_expected.outcome != Outcome::DROP)
        {
            NS_TEST_ASSERT_MSG_EQ(seen.delivered.size(), 2, "payloads delivered" << outcome);
            NS_TEST_EXPECT_MSG_EQ((seen.delivered[1] == MakePayload(1, LARGE_PAYLOAD)),
                                  true,
                                  "large payload intact" << outcome);
            NS_TEST_EXPECT_MSG_EQ(seen.icmpAtHostA.size(), 0, "ICMP at host A" << outcome);
            NS_TEST_EXPECT_MSG_EQ(seen.fragmentationNeededA, 0, "ICMP sent by A" << outcome);
            NS_TEST_EXPECT_MSG_EQ(seen.fragmentationNeededDropsA, 0, "drops on A" << outcome);
        }
    }

    /**
     * Checks two ESP packets of 824 bytes on the WAN, and two inner fragments that host B
     * reassembles.
     * \param seen what the run observed
     */
    void CheckPreFragmented(const Observation& seen)
    {
        NS_TEST_EXPECT_MSG_EQ(seen.preFragmentedA, 1, "packets fragmented before encryption");
        NS_TEST_EXPECT_MSG_EQ(seen.postFragmentedA, 0, "packets fragmented after encryption");
        NS_TEST_EXPECT_MSG_EQ(seen.reassembledB, 0, "packets gateway B reassembled");

        NS_TEST_ASSERT_MSG_EQ(seen.wanFrames.size(), 3, "WAN frames: small packet + 2 ESP");
        for (uint32_t i = 1; i < 3; ++i)
        {
            const auto& frame = seen.wanFrames[i];
            NS_TEST_EXPECT_MSG_EQ(frame.size(), 824, "ESP packet " << i << " size");
            NS_TEST_EXPECT_MSG_EQ(+frame[9], 50, "ESP packet " << i << " protocol");
            NS_TEST_EXPECT_MSG_EQ(HasMoreFragments(frame), false, "ESP packet " << i << " MF");
            NS_TEST_EXPECT_MSG_EQ(FragmentOffset(frame), 0, "ESP packet " << i << " offset");
            NS_TEST_EXPECT_MSG_EQ(IsDontFragment(frame),
                                  m_expected.largeDfBit,
                                  "ESP packet " << i << " outer DF bit");
        }

        // Gateway B forwards the decrypted inner fragments, and host B reassembles them.
        NS_TEST_ASSERT_MSG_EQ(seen.framesToHostB.size(), 3, "frames to host B");
        const auto& first = seen.framesToHostB[1];
        const auto& second = seen.framesToHostB[2];
        NS_TEST_EXPECT_MSG_EQ(first.size(), 764, "first inner fragment size");
        NS_TEST_EXPECT_MSG_EQ(FragmentOffset(first), 0, "first inner fragment offset");
        NS_TEST_EXPECT_MSG_EQ(HasMoreFragments(first), true, "first inner fragment MF");
        NS_TEST_EXPECT_MSG_EQ(IsDontFragment(first), false, "first inner fragment DF");
        NS_TEST_EXPECT_MSG_EQ(second.size(), 756, "second inner fragment size");
        NS_TEST_EXPECT_MSG_EQ(FragmentOffset(second), 93, "second inner fragment offset");
        NS_TEST_EXPECT_MSG_EQ(HasMoreFragments(second), false, "second inner fragment MF");
        NS_TEST_EXPECT_MSG_EQ(IsDontFragment(second), false, "second inner fragment DF");
    }

    /**
     * Checks one 1560-byte ESP packet sent as fragments of 1500 and 80 bytes, which
     * gateway B reassembles before decrypting.
     * \param seen what the run observed
     */
    void CheckPostFragmented(const Observation& seen)
    {
        NS_TEST_EXPECT_MSG_EQ(seen.preFragmentedA, 0, "packets fragmented before encryption");
        NS_TEST_EXPECT_MSG_EQ(seen.postFragmentedA, 1, "packets fragmented after encryption");
        NS_TEST_EXPECT_MSG_EQ(seen.reassembledB, 1, "packets gateway B reassembled");

        NS_TEST_ASSERT_MSG_EQ(seen.wanFrames.size(), 3, "WAN frames: small packet + 2 fragments");
        const auto& first = seen.wanFrames[1];
        const auto& second = seen.wanFrames[2];
        NS_TEST_EXPECT_MSG_EQ(first.size(), 1500, "first outer fragment size");
        NS_TEST_EXPECT_MSG_EQ(FragmentOffset(first), 0, "first outer fragment offset");
        NS_TEST_EXPECT_MSG_EQ(HasMoreFragments(first), true, "first outer fragment MF");
        NS_TEST_EXPECT_MSG_EQ(IsDontFragment(first), false, "first outer fragment DF");
        NS_TEST_EXPECT_MSG_EQ(second.size(), 80, "second outer fragment size");
        NS_TEST_EXPECT_MSG_EQ(FragmentOffset(second), 185, "second outer fragment offset");
        NS_TEST_EXPECT_MSG_EQ(HasMoreFragments(second), false, "second outer fragment MF");
        NS_TEST_EXPECT_MSG_EQ(IsDontFragment(second), false, "second outer fragment DF");

        // Gateway B forwards the whole 1500-byte inner packet.
        NS_TEST_ASSERT_MSG_EQ(seen.framesToHostB.size(), 2, "frames to host B");
        NS_TEST_EXPECT_MSG_EQ(seen.framesToHostB[1].size(), 1500, "inner packet size");
    }

    /**
     * Checks that nothing went on the WAN for the large packet and that host A received
     * ICMP fragmentation needed with the usable MTU, quoting the dropped packet's header.
     * \param seen what the run observed
     */
    void CheckDropped(const Observation& seen)
    {
        NS_TEST_EXPECT_MSG_EQ(seen.wanFrames.size(), 1, "WAN frames: the small packet only");
        NS_TEST_EXPECT_MSG_EQ(seen.delivered.size(), 1, "payloads delivered: the small one");
        NS_TEST_EXPECT_MSG_EQ(seen.preFragmentedA, 0, "packets fragmented before encryption");
        NS_TEST_EXPECT_MSG_EQ(seen.postFragmentedA, 0, "packets fragmented after encryption");
        NS_TEST_EXPECT_MSG_EQ(seen.reassembledB, 0, "packets gateway B reassembled");
        NS_TEST_EXPECT_MSG_EQ(seen.fragmentationNeededDropsA, 1, "FRAGMENTATION_NEEDED drops");
        NS_TEST_EXPECT_MSG_EQ(seen.fragmentationNeededA, 1, "ICMP messages sent by A");

        // ICMP: type, code, checksum, 2 unused bytes, next-hop MTU, then the inner header.
        NS_TEST_ASSERT_MSG_EQ(seen.icmpAtHostA.size(), 1, "ICMP messages at host A");
        const auto& icmp = seen.icmpAtHostA[0];
        NS_TEST_ASSERT_MSG_GT_OR_EQ(icmp.size(), 8 + IPV4_HEADER_SIZE, "ICMP message size");
        NS_TEST_EXPECT_MSG_EQ(+icmp[0], 3, "ICMP type destination unreachable");
        NS_TEST_EXPECT_MSG_EQ(+icmp[1], 4, "ICMP code fragmentation needed");
        NS_TEST_EXPECT_MSG_EQ(ReadU16(icmp, 6), 1438, "next-hop MTU");
        NS_TEST_EXPECT_MSG_EQ(ReadU16(icmp, 8 + 2), 1500, "quoted total length");
        Ipv4Address quotedDestination(uint32_t(icmp[8 + 16]) << 24 | uint32_t(icmp[8 + 17]) << 16 |
                                      uint32_t(icmp[8 + 18]) << 8 | icmp[8 + 19]);
        NS_TEST_EXPECT_MSG_EQ(quotedDestination, TwoSiteNetwork::HOST_B, "quoted destination");
    }

    Scenario m_scenario;    //!< the configuration
    Expectation m_expected; //!< what the run must show
};

/**
 * \ingroup ipsec
 * With pre-fragmentation off and a WAN MTU of 9000 bytes, every UDP payload from 1 to
 * 1472 bytes crosses the tunnel as one packet. Its size (the WAN frame minus its PPP
 * header) is what IpsecTransformSet::GetEncapsulatedSize predicts for the inner packet.
 */
class IpsecSizePredictionTestCase : public TestCase
{
  public:
    /**
     * \param transforms the transform list
     * \param sizeFor100 the outer size for a 100-byte payload (inner 128), computed by hand
     */
    IpsecSizePredictionTestCase(const std::string& transforms, uint32_t sizeFor100)
        : TestCase("size prediction " + transforms),
          m_transforms(transforms),
          m_sizeFor100(sizeFor100)
    {
    }

  private:
    void DoRun() override
    {
        TwoSiteNetwork net(false, "10Mbps", 9000);
        TwoSiteNetwork::Stack(net.gatewayA)->SetAttribute("PreFragmentation", BooleanValue(false));
        net.ipsec.CreateManualTunnel(net.wan.Get(0),
                                     net.wan.Get(1),
                                     TwoSiteNetwork::LAN_TO_LAN,
                                     m_transforms);
        net.Listen(net.hostB, 9);

        // One packet every 2 ms: the largest frame (about 1600 bytes) takes 1.3 ms at 10 Mb/s.
        for (uint32_t payload = 1; payload <= LARGE_PAYLOAD; ++payload)
        {
            net.SendUdp(net.hostA,
                        5000,
                        TwoSiteNetwork::HOST_B,
                        9,
                        MakePayload(payload, payload),
                        Seconds(1) + MilliSeconds(2 * payload));
        }
        Simulator::Run();

        IpsecTransformSet set = IpsecTransformSet::FromString("TS", m_transforms);
        NS_TEST_EXPECT_MSG_EQ(net.Received(net.hostB, 9).size(),
                              LARGE_PAYLOAD,
                              "payloads delivered to host B");
        NS_TEST_ASSERT_MSG_EQ(net.framesAToB.size(), LARGE_PAYLOAD, "WAN frames");
        for (uint32_t payload = 1; payload <= LARGE_PAYLOAD; ++payload)
        {
            uint32_t inner = payload + UDP_HEADER_SIZE + IPV4_HEADER_SIZE;
            NS_TEST_EXPECT_MSG_EQ(net.framesAToB[payload - 1].size(),
                                  set.GetEncapsulatedSize(inner),
                                  "outer size for a " << inner << "-byte inner packet");
        }
        NS_TEST_EXPECT_MSG_EQ(net.framesAToB[SMALL_PAYLOAD - 1].size(),
                              m_sizeFor100,
                              "outer size for a 100-byte payload, by hand");
        NS_TEST_EXPECT_MSG_EQ(net.DeviceA()->GetPostEncryptionFragmentedCount(),
                              0,
                              "packets fragmented after encryption");
        NS_TEST_EXPECT_MSG_EQ(TwoSiteNetwork::Stack(net.gatewayB)->GetReassembledCount(),
                              0,
                              "packets gateway B reassembled");
        Simulator::Destroy();
    }

    std::string m_transforms; //!< transform list
    uint32_t m_sizeFor100;    //!< outer size for a 100-byte payload, by hand
};

/**
 * \ingroup ipsec
 * Transport mode never fragments before encryption, even with pre-fragmentation on both
 * globally and on the interface: a 1472-byte UDP payload from gateway A to gateway B
 * (inner 1500 bytes) is protected whole and fragmented after encryption.
 *
 * ESP protects the 1480-byte UDP datagram: 8 + 16 + pad16(1482) = 1488 + 12 = 1524 bytes
 * after the original 20-byte header, 1544 in all. Fragments carry 1480 data bytes, then
 * 44: IPv4 packets of 1500 and 64 bytes.
 */
class IpsecTransportModeTestCase : public TestCase
{
  public:
    IpsecTransportModeTestCase()
        : TestCase("transport mode never pre-fragments")
    {
    }

  private:
    void DoRun() override
    {
        TwoSiteNetwork net(false);
        TwoSiteNetwork::Stack(net.gatewayA)->SetAttribute("PreFragmentation", BooleanValue(true));
        net.DeviceA()->SetAttribute("PreFragmentation",
                                    EnumValue(IpsecNetDevice::PRE_FRAGMENTATION_ENABLED));
        net.ipsec.CreateManualTunnel(net.wan.Get(0),
                                     net.wan.Get(1),
                                     "permit udp host 192.0.2.1 host 192.0.2.2",
                                     ESP_AES_SHA,
                                     IpsecMode::TRANSPORT);
        net.Listen(net.gatewayB, 9);
        net.SendUdp(net.gatewayA,
                    5000,
                    TwoSiteNetwork::WAN_B,
                    9,
                    MakePayload(0, LARGE_PAYLOAD),
                    Seconds(1));
        Simulator::Run();

        IpsecTransformSet set = IpsecTransformSet::FromString("TS", ESP_AES_SHA);
        set.SetMode(IpsecMode::TRANSPORT);
        NS_TEST_EXPECT_MSG_EQ(set.GetEncapsulatedSize(1500), 1544, "predicted outer size");

        const auto& got = net.Received(net.gatewayB, 9);
        NS_TEST_ASSERT_MSG_EQ(got.size(), 1, "packets delivered to gateway B");
        NS_TEST_EXPECT_MSG_EQ((got[0] == MakePayload(0, LARGE_PAYLOAD)), true, "payload intact");
        NS_TEST_ASSERT_MSG_EQ(net.framesAToB.size(), 2, "WAN frames");
        NS_TEST_EXPECT_MSG_EQ(net.framesAToB[0].size(), 1500, "first fragment size");
        NS_TEST_EXPECT_MSG_EQ(net.framesAToB[1].size(), 64, "second fragment size");
        NS_TEST_EXPECT_MSG_EQ(FragmentOffset(net.framesAToB[1]), 185, "second fragment offset");
        NS_TEST_EXPECT_MSG_EQ(net.DeviceA()->GetPreEncryptionFragmentedCount(),
                              0,
                              "packets fragmented before encryption");
        NS_TEST_EXPECT_MSG_EQ(net.DeviceA()->GetPostEncryptionFragmentedCount(),
                              1,
                              "packets fragmented after encryption");
        NS_TEST_EXPECT_MSG_EQ(TwoSiteNetwork::Stack(net.gatewayB)->GetReassembledCount(),
                              1,
                              "packets gateway B reassembled");
        Simulator::Destroy();
    }
};

/**
 * \ingroup ipsec
 * df-bit clear does not apply to transport mode: an oversized inner packet with DF set is
 * dropped with ICMP fragmentation needed, as the inner header is the one sent.
 *
 * The access list makes host A's packets to gateway B's WAN address use a transport-mode
 * SA, so the raw sender can set DF. The 1500-byte packet becomes 1544 bytes (> 1500).
 */
class IpsecTransportDontFragmentTestCase : public TestCase
{
  public:
    IpsecTransportDontFragmentTestCase()
        : TestCase("transport mode DF ignores df-bit clear")
    {
    }

  private:
    void DoRun() override
    {
        TwoSiteNetwork net(false);
        TwoSiteNetwork::Stack(net.gatewayA)->SetAttribute("DfBit", EnumValue(DF_BIT_CLEAR));
        net.ipsec.CreateManualTunnel(net.wan.Get(0),
                                     net.wan.Get(1),
                                     "permit udp host 10.1.1.2 host 192.0.2.2",
                                     ESP_AES_SHA,
                                     IpsecMode::TRANSPORT);
        net.Listen(net.gatewayB, 9);
        net.SendRaw(TwoSiteNetwork::WAN_B, 9, MakePayload(0, LARGE_PAYLOAD), true, Seconds(1));
        Simulator::Run();

        NS_TEST_EXPECT_MSG_EQ(net.framesAToB.size(), 0, "nothing on the WAN");
        NS_TEST_EXPECT_MSG_EQ(net.DeviceA()->GetFragmentationNeededCount(), 1, "ICMP sent");
        NS_TEST_EXPECT_MSG_EQ(net.icmpAtHostA.size(), 1, "ICMP received by host A");
        Simulator::Destroy();
    }
};

/**
 * \ingroup ipsec
 * The slow path serves reassembled packets one at a time, ReassemblyDelay (1 ms) each.
 *
 * Host A sends a burst of N 1472-byte payloads at 1 s with pre-fragmentation off. The WAN
 * runs at 100 Mb/s here, so the slow path, not the WAN, is the bottleneck. Timeline:
 *  - host A to gateway A: 1502-byte frames take 120.16 us at 100 Mb/s, plus 1 ms, so
 *    packet 0 reaches gateway A at 1.00112016 s and the others follow 120.16 us apart;
 *  - on the WAN each packet is a 1502-byte and an 82-byte frame, 120.16 + 6.56 = 126.72 us,
 *    longer than the spacing on LAN A, so the WAN stays busy and packet k's last fragment
 *    reaches gateway B at R0 + k * 126.72 us, R0 = 1.00112016 + 0.00012672 + 0.005 =
 *    1.00624688 s;
 *  - arrivals are closer than 1 ms, so packet k leaves the slow path at R0 + (k + 1) ms;
 *  - LAN B adds 120.16 us + 1 ms: host B receives packet k at 1.00836704 s + k ms.
 *
 * With ReassemblyQueueLimit = 2 and a burst of 10, the slow path holds packets 0 (until
 * R0 + 1 ms) and 1 (until R0 + 2 ms), so packets 2 to 7 (arriving up to R0 + 887.04 us)
 * are dropped. Packet 8 arrives at R0 + 1013.76 us, after packet 0 left, and leaves at
 * R0 + 3 ms; packet 9 (R0 + 1140.48 us) finds 1 and 8 and is dropped: 3 delivered, 7
 * dropped as REASSEMBLY_QUEUE_FULL, 10 reassembled by IPv4.
 */
class IpsecSlowPathTestCase : public TestCase
{
  public:
    /**
     * \param queueLimit gateway B's ReassemblyQueueLimit
     * \param burst the number of packets host A sends at once
     * \param delivered the indices of the packets host B must receive, in order
     * \param times their arrival times at host B, in nanoseconds
     */
    IpsecSlowPathTestCase(uint32_t queueLimit,
                          uint32_t burst,
                          const std::vector<uint32_t>& delivered,
                          const std::vector<int64_t>& times)
        : TestCase("slow path limit " + std::to_string(queueLimit) + " burst " +
                   std::to_string(burst)),
          m_queueLimit(queueLimit),
          m_burst(burst),
          m_delivered(delivered),
          m_times(times)
    {
    }

  private:
    void DoRun() override
    {
        TwoSiteNetwork net(false, "100Mbps");
        Ptr<IpsecStack> stackB = TwoSiteNetwork::Stack(net.gatewayB);
        TwoSiteNetwork::Stack(net.gatewayA)->SetAttribute("PreFragmentation", BooleanValue(false));
        stackB->SetAttribute("ReassemblyDelay", TimeValue(MilliSeconds(1)));
        stackB->SetAttribute("ReassemblyQueueLimit", UintegerValue(m_queueLimit));
        net.ipsec.CreateManualTunnel(net.wan.Get(0),
                                     net.wan.Get(1),
                                     TwoSiteNetwork::LAN_TO_LAN,
                                     ESP_AES_SHA);
        net.Listen(net.hostB, 9);
        for (uint32_t i = 0; i < m_burst; ++i)
        {
            net.SendUdp(net.hostA,
                        5000,
                        TwoSiteNetwork::HOST_B,
                        9,
                        MakePayload(i, LARGE_PAYLOAD),
                        Seconds(1));
        }
        Simulator::Run();

        NS_TEST_EXPECT_MSG_EQ(net.framesAToB.size(), 2 * m_burst, "WAN frames");
        NS_TEST_EXPECT_MSG_EQ(stackB->GetReassembledCount(), m_burst, "packets reassembled");
        NS_TEST_EXPECT_MSG_EQ(stackB->GetDropCount(IpsecDropReason::REASSEMBLY_QUEUE_FULL),
                              m_burst - m_delivered.size(),
                              "REASSEMBLY_QUEUE_FULL drops");
        const auto& got = net.Received(net.hostB, 9);
        const auto& times = net.ReceiveTimes(net.hostB, 9);
        NS_TEST_ASSERT_MSG_EQ(got.size(), m_delivered.size(), "payloads delivered to host B");
        for (uint32_t i = 0; i < got.size(); ++i)
        {
            NS_TEST_EXPECT_MSG_EQ((got[i] == MakePayload(m_delivered[i], LARGE_PAYLOAD)),
                                  true,
                                  "payload " << i << " is packet " << m_delivered[i]);
            NS_TEST_EXPECT_MSG_EQ(times[i].GetNanoSeconds(),
                                  m_times[i],
                                  "arrival time of packet " << m_delivered[i]);
        }
        for (uint32_t i = 1; i < times.size(); ++i)
        {
            NS_TEST_EXPECT_MSG_GT_OR_EQ(times[i] - times[i - 1],
                                        MilliSeconds(1),
                                        "spacing before payload " << i);
        }
        Simulator::Destroy();
    }

    uint32_t m_queueLimit;             //!< gateway B's ReassemblyQueueLimit
    uint32_t m_burst;                  //!< packets sent at once
    std::vector<uint32_t> m_delivered; //!< indices of the packets delivered, in order
    std::vector<int64_t> m_times;      //!< their arrival times at host B in nanoseconds
};

/**
 * \ingroup ipsec
 * Pre-fragmentation, df-bit, size prediction and the reassembly slow path.
 */
class IpsecPreFragmentationTestSuite : public TestSuite
{
  public:
    IpsecPreFragmentationTestSuite()
        : TestSuite("ipsec-prefragmentation", UNIT)
    {
        // The twelve rows of the decision table. The small packet's outer DF bit follows
        // df-bit: clear gives 0, set gives 1, copy gives the inner DF bit. Inner fragments
        // have DF clear, so their outer DF bit is 1 only with df-bit set.
        for (bool preFragmentation : {true, false})
        {
            for (IpsecDfBitPolicy dfBit : {DF_BIT_CLEAR, DF_BIT_SET, DF_BIT_COPY})
            {
                for (bool innerDf : {false, true})
                {
                    Outcome outcome =
                        preFragmentation ? Outcome::PRE_FRAGMENT : Outcome::POST_FRAGMENT;
                    if (dfBit != DF_BIT_CLEAR && innerDf)
                    {
                        outcome = Outcome::DROP;
                    }
                    Scenario scenario;
                    scenario.stackDfBit = dfBit;
                    scenario.stackPreFragmentationA = preFragmentation;
                    scenario.innerDontFragment = innerDf;
                    Expectation expected{outcome,
                                         dfBit == DF_BIT_SET || (dfBit == DF_BIT_COPY && innerDf),
                                         outcome == Outcome::PRE_FRAGMENT && dfBit == DF_BIT_SET,
                                         dfBit,
                                         preFragmentation};
                    std::string name = std::string("pre-frag ") +
                                       (preFragmentation ? "on" : "off") + " df-bit " +
                                       DfBitName(dfBit) + " inner DF " + (innerDf ? "1" : "0");
                    AddTestCase(new IpsecFragmentationScenarioTestCase(name, scenario, expected),
                                TestCase::QUICK);
                }
            }
        }

        // Interface settings override the node's: each case sets the opposite globally.
        Scenario scenario;
        scenario.stackDfBit = DF_BIT_CLEAR;
        scenario.deviceDfBit = IpsecNetDevice::DF_BIT_INTERFACE_SET;
        scenario.innerDontFragment = true;
        AddTestCase(
            new IpsecFragmentationScenarioTestCase("interface df-bit set over clear",
                                                   scenario,
                                                   {Outcome::DROP, true, false, DF_BIT_SET, true}),
            TestCase::QUICK);

        scenario = Scenario();
        scenario.stackDfBit = DF_BIT_SET;
        scenario.deviceDfBit = IpsecNetDevice::DF_BIT_INTERFACE_CLEAR;
        scenario.innerDontFragment = true;
        AddTestCase(new IpsecFragmentationScenarioTestCase(
                        "interface df-bit clear over set",
                        scenario,
                        {Outcome::PRE_FRAGMENT, false, false, DF_BIT_CLEAR, true}),
                    TestCase::QUICK);

        scenario = Scenario();
        scenario.stackDfBit = DF_BIT_SET;
        scenario.deviceDfBit = IpsecNetDevice::DF_BIT_INTERFACE_COPY;
        AddTestCase(new IpsecFragmentationScenarioTestCase(
                        "interface df-bit copy over set",
                        scenario,
                        {Outcome::PRE_FRAGMENT, false, false, DF_BIT_COPY, true}),
                    TestCase::QUICK);

        scenario = Scenario();
        scenario.stackPreFragmentationA = false;
        scenario.devicePreFragmentation = IpsecNetDevice::PRE_FRAGMENTATION_ENABLED;
        AddTestCase(new IpsecFragmentationScenarioTestCase(
                        "interface pre-frag on over off",
                        scenario,
                        {Outcome::PRE_FRAGMENT, false, false, DF_BIT_COPY, true}),
                    TestCase::QUICK);

        scenario = Scenario();
        scenario.stackPreFragmentationA = true;
        scenario.devicePreFragmentation = IpsecNetDevice::PRE_FRAGMENTATION_DISABLED;
        AddTestCase(new IpsecFragmentationScenarioTestCase(
                        "interface pre-frag off over on",
                        scenario,
                        {Outcome::POST_FRAGMENT, false, false, DF_BIT_COPY, false}),
                    TestCase::QUICK);

        // Pre-fragmentation is an encryptor's setting: on at the decryptor only, it changes
        // nothing for one-way traffic.
        scenario = Scenario();
        scenario.stackPreFragmentationA = false;
        scenario.stackPreFragmentationB = true;
        AddTestCase(new IpsecFragmentationScenarioTestCase(
                        "pre-frag on decryptor only",
                        scenario,
                        {Outcome::POST_FRAGMENT, false, false, DF_BIT_COPY, false}),
                    TestCase::QUICK);

        // Outer sizes for a 100-byte payload (inner 128), from RFC 4303 and RFC 4302.
        // ESP-CBC is 20 + 8 + 16 + pad16(130) + ICV and GCM 20 + 8 + 8 + pad4(130) + 16.
        // NULL is 20 + 8 + pad4(130) + 12, AH 20 + 24 + 128, and AH+ESP 20 + 24 + ESP.
        AddTestCase(new IpsecSizePredictionTestCase(ESP_AES_SHA, 20 + 8 + 16 + 144 + 12),
                    TestCase::QUICK);
        AddTestCase(
            new IpsecSizePredictionTestCase("esp-aes 256 esp-sha256-hmac", 20 + 8 + 16 + 144 + 16),
            TestCase::QUICK);
        AddTestCase(new IpsecSizePredictionTestCase("esp-gcm", 20 + 8 + 8 + 132 + 16),
                    TestCase::QUICK);
        AddTestCase(new IpsecSizePredictionTestCase("esp-null esp-sha-hmac", 20 + 8 + 132 + 12),
                    TestCase::QUICK);
        AddTestCase(new IpsecSizePredictionTestCase("ah-sha-hmac", 20 + 24 + 128), TestCase::QUICK);
        AddTestCase(new IpsecSizePredictionTestCase("ah-sha-hmac esp-aes esp-sha-hmac",
                                                    20 + 24 + 8 + 16 + 144 + 12),
                    TestCase::QUICK);

        AddTestCase(new IpsecTransportModeTestCase, TestCase::QUICK);
        AddTestCase(new IpsecTransportDontFragmentTestCase, TestCase::QUICK);

        // Times from the derivation on IpsecSlowPathTestCase: 1.00836704 s + k ms.
        const int64_t first = 1008367040;
        const int64_t ms = 1000000;
        AddTestCase(new IpsecSlowPathTestCase(
                        100,
                        5,
                        {0, 1, 2, 3, 4},
                        {first, first + ms, first + 2 * ms, first + 3 * ms, first + 4 * ms}),
                    TestCase::QUICK);
        AddTestCase(
            new IpsecSlowPathTestCase(2, 10, {0, 1, 8}, {first, first + ms, first + 2 * ms}),
            TestCase::QUICK);
    }
};

/// Registers the suite.
static IpsecPreFragmentationTestSuite g_ipsecPreFragmentationTestSuite;

} // namespace
