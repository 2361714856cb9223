// Copyright (c) 2026 The ns3-ipsec authors
// SPDX-License-Identifier: GPL-2.0-only

// Tests of the virtual tunnel interface (IpsecTunnelNetDevice): delivery through the tunnel,
// fragmentation before encryption when `ip mtu` is below the egress MTU minus the IPsec
// overhead, fragmentation after encryption when it is above, and the derived MTU.
//
// Every case builds this network. The WAN devices are plain point-to-point devices; the
// tunnel interfaces carry the protection, and static routes send each far LAN into them:
//
// clang-format off
//
//   host A            gateway A                          gateway B            host B
//   10.1.1.2 -------- 10.1.1.1 | 192.0.2.1 ======== 192.0.2.2 | 10.2.2.1 -------- 10.2.2.2
//                      Tunnel0 172.16.0.1/30  <-->  Tunnel0 172.16.0.2/30
//            100 Mb/s, 1 ms          10 Mb/s, 5 ms, MTU 1500          100 Mb/s, 1 ms
//
// clang-format on
//
// Sizes with esp-aes esp-sha-hmac in tunnel mode: an inner IPv4 packet of n bytes becomes
// an outer packet of 20 (outer IPv4) + 8 (SPI, sequence) + 16 (IV) + pad16(n + 2) + 12 (ICV)
// bytes. pad16 rounds up to a multiple of 16. A UDP payload of p bytes gives an inner
// packet of p + 28 bytes.

#include "ipsec-test-network.h"

#include "ns3/applications-module.h"
#include "ns3/core-module.h"
#include "ns3/internet-module.h"
#include "ns3/ipsec-module.h"
#include "ns3/network-module.h"
#include "ns3/point-to-point-module.h"
#include "ns3/test.h"

#include <map>
#include <sstream>
#include <string>
#include <vector>

using namespace ns3;
using namespace ns3::ipsectest;

namespace
{

/// UDP port host B listens on.
constexpr uint16_t PORT = 9;
/// IP protocol number of ESP.
constexpr uint8_t ESP_PROTOCOL = 50;

/**
 * Makes a recognisable UDP payload: byte i is (i * 3 + 1) mod 256.
 * \param size the payload size in bytes
 * \return the payload
 */
std::vector<uint8_t>
MakePayload(uint32_t size)
{
    std::vector<uint8_t> payload(size);
    for (uint32_t i = 0; i < size; ++i)
    {
        payload[i] = static_cast<uint8_t>(i * 3 + 1);
    }
    return payload;
}

/**
 * The fields of a WAN frame's IPv4 header that the cases check.
 */
struct WanPacket
{
    uint32_t totalLength;    //!< IPv4 total length in bytes
    uint8_t protocol;        //!< IP protocol number
    bool moreFragments;      //!< MF flag
    uint32_t fragmentOffset; //!< fragment offset in bytes
};

/**
 * Reads the IPv4 header of a frame with its PPP header removed.
 * \param bytes the IPv4 packet
 * \return the fields
 */
WanPacket
ReadWanPacket(const std::vector<uint8_t>& bytes)
{
    WanPacket packet;
    packet.totalLength = (static_cast<uint32_t>(bytes[2]) << 8) | bytes[3];
    packet.protocol = bytes[9];
    packet.moreFragments = (bytes[6] & 0x20) != 0;
    packet.fragmentOffset = (((static_cast<uint32_t>(bytes[6]) & 0x1f) << 8) | bytes[7]) * 8;
    return packet;
}

/**
 * \ingroup ipsec
 * The two-site network of every case: plain WAN devices, a tunnel interface on each
 * gateway, static routes into the tunnels, a UDP receiver on host B and counters of the
 * tunnel and IPv4 trace sources.
 */
class VtiNetwork : public ipsectest::TwoSiteNetwork
{
  public:
    /**
     * Builds the network.
     * \param ipMtu the tunnels' `ip mtu` in bytes, 0 to derive it
     */
    explicit VtiNetwork(uint16_t ipMtu);

    /**
     * Schedules one UDP datagram from host A to host B.
     * \param payload the payload
     * \param at the simulated send time
     */
    void SendFromHostA(const std::vector<uint8_t>& payload, Time at);

    /// \return the tunnel device of gateway A
    Ptr<IpsecTunnelNetDevice> TunnelA() const;
    /// \return the tunnel device of gateway B
    Ptr<IpsecTunnelNetDevice> TunnelB() const;

    NetDeviceContainer tunnels;                        //!< the tunnel devices (A, B)
    const std::vector<std::vector<uint8_t>>& received; //!< payloads host B received, in order
    uint32_t tunnelTxA{0};                             //!< Tx trace calls of gateway A's tunnel
    uint32_t tunnelRxB{0};                             //!< Rx trace calls of gateway B's tunnel
    std::map<uint32_t, uint32_t> ipv4RxB; //!< packets gateway B's IPv4 received, by interface

  private:
    /**
     * Counts one call of a tunnel trace source.
     * \param count the counter
     * \param packet the inner packet
     */
    static void CountPacket(uint32_t* count, Ptr<const Packet> packet);

    /**
     * Counts a packet that IPv4 received, by interface.
     * \param counts the counters
     * \param packet the packet
     * \param ipv4 the IPv4 stack
     * \param interface the interface index
     */
    static void CountIpv4Rx(std::map<uint32_t, uint32_t>* counts,
                            Ptr<const Packet> packet,
                            Ptr<Ipv4> ipv4,
                            uint32_t interface);

    Ptr<Socket> m_sender; //!< host A's socket, bound to an ephemeral port
};

VtiNetwork::VtiNetwork(uint16_t ipMtu)
    : TwoSiteNetwork(false, "10Mbps", 1500, false),
      received(Listen(hostB, PORT))
{
    // The tunnels run between the WAN addresses and number their own /30.
    tunnels = ipsec.CreateTunnelInterfaces(gatewayA,
                                           gatewayB,
                                           WAN_A,
                                           WAN_B,
                                           "esp-aes esp-sha-hmac",
                                           Ipv4Address("172.16.0.1"),
                                           Ipv4Address("172.16.0.2"),
                                           Ipv4Mask("255.255.255.252"),
                                           ipMtu);

    // Each far LAN is reached through the tunnel, and the WAN stays a connected route.
    Ipv4StaticRoutingHelper routing;
    auto interfaceOf = [](Ptr<NetDevice> device) {
        return static_cast<uint32_t>(
            device->GetNode()->GetObject<Ipv4>()->GetInterfaceForDevice(device));
    };
    routing.GetStaticRouting(gatewayA->GetObject<Ipv4>())
        ->AddNetworkRouteTo("10.2.2.0", "255.255.255.0", "172.16.0.2", interfaceOf(tunnels.Get(0)));
    routing.GetStaticRouting(gatewayB->GetObject<Ipv4>())
        ->AddNetworkRouteTo("10.1.1.0", "255.255.255.0", "172.16.0.1", interfaceOf(tunnels.Get(1)));

    tunnels.Get(0)->TraceConnectWithoutContext("Tx", MakeBoundCallback(&CountPacket, &tunnelTxA));
    tunnels.Get(1)->TraceConnectWithoutContext("Rx", MakeBoundCallback(&CountPacket, &tunnelRxB));
    gatewayB->GetObject<Ipv4L3Protocol>()->TraceConnectWithoutContext(
        "Rx",
        MakeBoundCallback(&CountIpv4Rx, &ipv4RxB));

    m_sender = Socket::CreateSocket(hostA, UdpSocketFactory::GetTypeId());
    m_sender->Bind();
}

void
VtiNetwork::CountPacket(uint32_t* count, Ptr<const Packet> packet)
{
    ++*count;
}

void
VtiNetwork::CountIpv4Rx(std::map<uint32_t, uint32_t>* counts,
                        Ptr<const Packet> packet,
                        Ptr<Ipv4> ipv4,
                        uint32_t interface)
{
    ++(*counts)[interface];
}

void
VtiNetwork::SendFromHostA(const std::vector<uint8_t>& payload, Time at)
{
    Ptr<Socket> socket = m_sender;
    Ptr<Packet> packet = Create<Packet>(payload.data(), payload.size());
    Simulator::Schedule(at, [socket, packet]() {
        socket->SendTo(packet, 0, InetSocketAddress(HOST_B, PORT));
    });
}

Ptr<IpsecTunnelNetDevice>
VtiNetwork::TunnelA() const
{
    return DynamicCast<IpsecTunnelNetDevice>(tunnels.Get(0));
}

Ptr<IpsecTunnelNetDevice>
VtiNetwork::TunnelB() const
{
    return DynamicCast<IpsecTunnelNetDevice>(tunnels.Get(1));
}

/**
 * \ingroup ipsec
 * A small datagram crosses the tunnel as one ESP packet and the SA counters count it.
 */
class VtiDeliveryTestCase : public TestCase
{
  public:
    VtiDeliveryTestCase()
        : TestCase("vti delivers through ESP")
    {
    }

  private:
    void DoRun() override
    {
        VtiNetwork network(0);
        std::vector<uint8_t> payload = MakePayload(100);
        network.SendFromHostA(payload, Seconds(1));
        Simulator::Run();

        // Inner packet 128 bytes: 20 + 8 + 16 + pad16(130) = 144 + 12 = 200 bytes on the WAN.
        NS_TEST_ASSERT_MSG_EQ(network.framesAToB.size(), 1, "WAN packets from gateway A");
        WanPacket wan = ReadWanPacket(network.framesAToB.at(0));
        NS_TEST_ASSERT_MSG_EQ(+wan.protocol, +ESP_PROTOCOL, "the WAN packet is ESP");
        NS_TEST_ASSERT_MSG_EQ(wan.totalLength, 200, "ESP packet size");
        NS_TEST_ASSERT_MSG_EQ(network.received.size(), 1, "datagrams delivered to host B");
        NS_TEST_ASSERT_MSG_EQ((network.received.at(0) == payload), true, "payload intact");
        NS_TEST_ASSERT_MSG_EQ(network.tunnelTxA, 1, "Tx trace of gateway A's tunnel");
        NS_TEST_ASSERT_MSG_EQ(network.tunnelRxB, 1, "Rx trace of gateway B's tunnel");

        // The ESP packet arrives on the WAN interface, the inner packet on the tunnel's.
        Ptr<Ipv4> ipv4B = network.gatewayB->GetObject<Ipv4>();
        uint32_t wanInterface = ipv4B->GetInterfaceForAddress(Ipv4Address("192.0.2.2"));
        uint32_t tunnelInterface = ipv4B->GetInterfaceForDevice(network.TunnelB());
        NS_TEST_ASSERT_MSG_EQ(network.ipv4RxB[wanInterface], 1, "packets in on the WAN");
        NS_TEST_ASSERT_MSG_EQ(network.ipv4RxB[tunnelInterface], 1, "packets in on Tunnel0");

        const IpsecSaCounters& out = network.TunnelA()->GetOutboundBundle()->esp->GetCounters();
        NS_TEST_ASSERT_MSG_EQ(out.encaps, 1, "gateway A encaps");
        NS_TEST_ASSERT_MSG_EQ(out.encrypt, 1, "gateway A encrypt");
        NS_TEST_ASSERT_MSG_EQ(out.digest, 1, "gateway A digest");
        NS_TEST_ASSERT_MSG_EQ(out.bytes, 128, "gateway A protected bytes");
        const IpsecSaCounters& in = network.TunnelB()->GetInboundSas().at(0)->GetCounters();
        NS_TEST_ASSERT_MSG_EQ(in.decaps, 1, "gateway B decaps");
        NS_TEST_ASSERT_MSG_EQ(in.decrypt, 1, "gateway B decrypt");
        NS_TEST_ASSERT_MSG_EQ(in.verify, 1, "gateway B verify");
        NS_TEST_ASSERT_MSG_EQ(in.recvErrors, 0, "gateway B receive errors");
        const IpsecSaCounters& unused = network.TunnelB()->GetOutboundBundle()->esp->GetCounters();
        NS_TEST_ASSERT_MSG_EQ(unused.encaps, 0, "gateway B sent nothing");

        // `show crypto ipsec sa` lists the tunnel's SAs under its interface name.
        std::ostringstream show;
        network.gatewayA->GetObject<IpsecStack>()->ShowCryptoIpsecSa(show);
        NS_TEST_EXPECT_MSG_NE(show.str().find("interface: Tunnel0"), std::string::npos, show.str());
        NS_TEST_EXPECT_MSG_NE(show.str().find("#pkts encaps: 1, #pkts encrypt: 1"),
                              std::string::npos,
                              show.str());

        Simulator::Destroy();
    }
};

/**
 * \ingroup ipsec
 * With `ip mtu 1300`, IPv4 fragments a 1428-byte inner packet before encryption: two ESP
 * packets that each fit the 1500-byte WAN, none fragmented, and host B reassembles.
 */
class VtiFragmentBeforeEncryptionTestCase : public TestCase
{
  public:
    VtiFragmentBeforeEncryptionTestCase()
        : TestCase("vti ip mtu below egress")
    {
    }

  private:
    void DoRun() override
    {
        VtiNetwork network(1300);
        NS_TEST_ASSERT_MSG_EQ(network.TunnelA()->GetMtu(), 1300, "configured ip mtu");
        std::vector<uint8_t> payload = MakePayload(1400);
        network.SendFromHostA(payload, Seconds(1));
        Simulator::Run();

        // Inner 1428 bytes at MTU 1300: fragments of 20 + 1280 and 20 + 128 bytes.
        // ESP: 20 + 8 + 16 + pad16(1302) = 1312 + 12 = 1368, and 20 + 8 + 16 + 160 + 12 = 216.
        NS_TEST_ASSERT_MSG_EQ(network.framesAToB.size(), 2, "WAN packets from gateway A");
        const uint32_t expectedLengths[] = {1368, 216};
        for (uint32_t i = 0; i < 2; ++i)
        {
            WanPacket wan = ReadWanPacket(network.framesAToB.at(i));
            NS_TEST_ASSERT_MSG_EQ(+wan.protocol, +ESP_PROTOCOL, "WAN packet " << i << " is ESP");
            NS_TEST_ASSERT_MSG_EQ(wan.totalLength, expectedLengths[i], "ESP packet " << i);
            NS_TEST_ASSERT_MSG_EQ(wan.moreFragments, false, "ESP packet " << i << " MF");
            NS_TEST_ASSERT_MSG_EQ(wan.fragmentOffset, 0, "ESP packet " << i << " offset");
        }
        NS_TEST_ASSERT_MSG_EQ(network.TunnelA()->GetPostEncryptionFragmentedCount(),
                              0,
                              "outer packets over the WAN MTU");
        NS_TEST_ASSERT_MSG_EQ(network.received.size(), 1, "datagrams delivered to host B");
        NS_TEST_ASSERT_MSG_EQ((network.received.at(0) == payload), true, "payload intact");
        const IpsecSaCounters& out = network.TunnelA()->GetOutboundBundle()->esp->GetCounters();
        NS_TEST_ASSERT_MSG_EQ(out.encaps, 2, "gateway A encaps");
        const IpsecSaCounters& in = network.TunnelB()->GetInboundSas().at(0)->GetCounters();
        NS_TEST_ASSERT_MSG_EQ(in.decaps, 2, "gateway B decaps");
        NS_TEST_ASSERT_MSG_EQ(in.verify, 2, "gateway B verify");

        Simulator::Destroy();
    }
};

/**
 * \ingroup ipsec
 * With `ip mtu 1500` on a 1500-byte WAN, a 1480-byte inner packet passes the tunnel whole.
 * IPv4 fragments its 1544-byte ESP packet after encryption, so gateway B reassembles it
 * before it decrypts.
 */
class VtiFragmentAfterEncryptionTestCase : public TestCase
{
  public:
    VtiFragmentAfterEncryptionTestCase()
        : TestCase("vti ip mtu above egress")
    {
    }

  private:
    void DoRun() override
    {
        VtiNetwork network(1500);
        std::vector<uint8_t> payload = MakePayload(1452);
        network.SendFromHostA(payload, Seconds(1));
        Simulator::Run();

        // ESP: 20 + 8 + 16 + pad16(1482) = 1488 + 12 = 1544 bytes, over 1500. IPv4 sends
        // 20 + 1480 bytes (MF, offset 0), then 20 + 44 bytes (offset 1480).
        NS_TEST_ASSERT_MSG_EQ(network.framesAToB.size(), 2, "WAN packets from gateway A");
        WanPacket first = ReadWanPacket(network.framesAToB.at(0));
        WanPacket second = ReadWanPacket(network.framesAToB.at(1));
        NS_TEST_ASSERT_MSG_EQ(+first.protocol, +ESP_PROTOCOL, "first fragment is ESP");
        NS_TEST_ASSERT_MSG_EQ(first.totalLength, 1500, "first fragment size");
        NS_TEST_ASSERT_MSG_EQ(first.moreFragments, true, "first fragment MF");
        NS_TEST_ASSERT_MSG_EQ(first.fragmentOffset, 0, "first fragment offset");
        NS_TEST_ASSERT_MSG_EQ(+second.protocol, +ESP_PROTOCOL, "second fragment is ESP");
        NS_TEST_ASSERT_MSG_EQ(second.totalLength, 64, "second fragment size");
        NS_TEST_ASSERT_MSG_EQ(second.moreFragments, false, "second fragment MF");
        NS_TEST_ASSERT_MSG_EQ(second.fragmentOffset, 1480, "second fragment offset");
        NS_TEST_ASSERT_MSG_EQ(network.TunnelA()->GetPostEncryptionFragmentedCount(),
                              1,
                              "outer packets over the WAN MTU");

        NS_TEST_ASSERT_MSG_EQ(network.received.size(), 1, "datagrams delivered to host B");
        NS_TEST_ASSERT_MSG_EQ((network.received.at(0) == payload), true, "payload intact");
        const IpsecSaCounters& out = network.TunnelA()->GetOutboundBundle()->esp->GetCounters();
        NS_TEST_ASSERT_MSG_EQ(out.encaps, 1, "gateway A encaps");
        const IpsecSaCounters& in = network.TunnelB()->GetInboundSas().at(0)->GetCounters();
        NS_TEST_ASSERT_MSG_EQ(in.decaps, 1, "gateway B decaps");
        NS_TEST_ASSERT_MSG_EQ(in.verify, 1, "gateway B verify");

        Simulator::Destroy();
    }
};

/**
 * \ingroup ipsec
 * Without `ip mtu` the tunnel's MTU is the largest inner packet whose ESP packet fits the
 * WAN, and such a packet crosses the WAN unfragmented.
 */
class VtiDerivedMtuTestCase : public TestCase
{
  public:
    VtiDerivedMtuTestCase()
        : TestCase("vti derived mtu")
    {
    }

  private:
    void DoRun() override
    {
        VtiNetwork network(0);

        // 1500 - 20 - 8 - 16 - 12 = 1444, rounded down to 16 is 1440, minus the 2-byte
        // trailer is 1438. 1439 would pad to 1456 and make a 1512-byte packet.
        NS_TEST_ASSERT_MSG_EQ(network.TunnelA()->GetMtu(), 1438, "derived tunnel MTU");
        NS_TEST_ASSERT_MSG_EQ(network.TunnelA()->GetMaxInnerPacketSize(1400),
                              1342,
                              "largest inner packet for a 1400-byte link");

        // A 1438-byte inner packet (1410-byte payload) becomes one 1496-byte ESP packet.
        std::vector<uint8_t> payload = MakePayload(1410);
        network.SendFromHostA(payload, Seconds(1));
        Simulator::Run();

        NS_TEST_ASSERT_MSG_EQ(network.framesAToB.size(), 1, "WAN packets from gateway A");
        WanPacket wan = ReadWanPacket(network.framesAToB.at(0));
        NS_TEST_ASSERT_MSG_EQ(wan.totalLength, 1496, "ESP packet size");
        NS_TEST_ASSERT_MSG_EQ(wan.moreFragments, false, "ESP packet MF");
        NS_TEST_ASSERT_MSG_EQ(network.received.size(), 1, "datagrams delivered to host B");
        NS_TEST_ASSERT_MSG_EQ((network.received.at(0) == payload), true, "payload intact");

        Simulator::Destroy();
    }
};

/**
 * \ingroup ipsec
 * The virtual tunnel interface suite.
 */
class IpsecVtiTestSuite : public TestSuite
{
  public:
    IpsecVtiTestSuite()
        : TestSuite("ipsec-vti", UNIT)
    {
        AddTestCase(new VtiDeliveryTestCase(), TestCase::QUICK);
        AddTestCase(new VtiFragmentBeforeEncryptionTestCase(), TestCase::QUICK);
        AddTestCase(new VtiFragmentAfterEncryptionTestCase(), TestCase::QUICK);
        AddTestCase(new VtiDerivedMtuTestCase(), TestCase::QUICK);
    }
};

static IpsecVtiTestSuite g_ipsecVtiTestSuite; //!< registers the suite

} // namespace
