// Copyright (c) 2026 The ns3-ipsec authors
// SPDX-License-Identifier: GPL-2.0-only

// Tests of the IOS configuration parser (IosConfig) and loader (IosConfigLoader).
// They load the example configurations of the IPsec Data Plane Configuration Guide
// (IOS 15SY) and check one error message per kind of bad line. They apply the guide's
// invalid SPI recovery routers to two nodes, run a manually keyed tunnel, and fuzz lines.

#include "ns3/core-module.h"
#include "ns3/internet-module.h"
#include "ns3/ios-config-loader.h"
#include "ns3/ios-config.h"
#include "ns3/ipsec-module.h"
#include "ns3/network-module.h"
#include "ns3/point-to-point-module.h"
#include "ns3/test.h"

#include <fstream>
#include <random>
#include <sstream>

using namespace ns3;

namespace
{

/**
 * \return the directory of the test configurations
 */
std::string
DataDirectory()
{
    std::string source = __FILE__;
    return source.substr(0, source.find_last_of('/')) + "/data/ios/";
}

/**
 * Reads a test configuration file.
 * \param name the file name under test/data/ios
 * \return its text
 */
std::string
ReadData(const std::string& name)
{
    std::ifstream in(DataDirectory() + name);
    NS_ABORT_MSG_IF(!in, "cannot read test configuration " << name);
    std::ostringstream text;
    text << in.rdbuf();
    return text.str();
}

/**
 * Parses a test configuration under its bare file name, so messages are predictable.
 * \param name the file name under test/data/ios
 * \return the configuration
 */
IosConfig
ParseData(const std::string& name)
{
    std::istringstream in(ReadData(name));
    return IosConfig::Parse(in, name);
}

/**
 * Parses text and returns the error message, or "no error".
 * \param text the configuration
 * \return IosConfigError::what(), or "no error"
 */
std::string
ParseError(const std::string& text)
{
    std::istringstream in(text);
    try
    {
        IosConfig::Parse(in, "bad.cfg");
    }
    catch (const IosConfigError& error)
    {
        return error.what();
    }
    return "no error";
}

/**
 * \param address an address
 * \return it in dotted-quad form
 */
std::string
ToString(Ipv4Address address)
{
    std::ostringstream text;
    text << address;
    return text.str();
}

} // namespace

/**
 * \ingroup ipsec
 * Every example configuration of the guide loads, with the entries, peers and access
 * list lines it shows.
 */
class IosConfigGuideExamplesTestCase : public TestCase
{
  public:
    IosConfigGuideExamplesTestCase()
        : TestCase("guide examples load")
    {
    }

  private:
    void DoRun() override
    {
        // Global anti-replay window: one entry, window 1024, one ACL line and a remark.
        IosConfig global = ParseData("global-replay-window.cfg");
        NS_TEST_EXPECT_MSG_EQ(global.GetHostname(), "VPN-Gateway1", "hostname");
        std::vector<std::string> names = global.GetInterfaceNames();
        NS_TEST_ASSERT_MSG_EQ(names.size(), 2, "two interfaces");
        NS_TEST_EXPECT_MSG_EQ(names[0], "Ethernet0/0", "first interface");
        NS_TEST_EXPECT_MSG_EQ(names[1], "Serial1/0", "second interface");
        NS_TEST_EXPECT_MSG_EQ(global.GetInterface("Serial1/0")->cryptoMap, "mymap", "crypto map");
        NS_TEST_EXPECT_MSG_EQ(*global.GetGlobalReplayWindowSize(), 1024, "global window");
        const IosCryptoMapConfig& mymap = global.GetCryptoMaps().at("mymap");
        NS_TEST_ASSERT_MSG_EQ(mymap.entries.size(), 1, "one entry");
        NS_TEST_ASSERT_MSG_EQ(mymap.entries[0].peers.size(), 1, "one peer");
        NS_TEST_EXPECT_MSG_EQ(ToString(mymap.entries[0].peers[0]), "192.165.201.2", "peer");
        NS_TEST_EXPECT_MSG_EQ(global.GetAccessLists().at("101").entries.size(), 1, "ACL lines");
        NS_TEST_EXPECT_MSG_EQ(global.GetAccessLists().at("101").entries[0].text,
                              "permit ip 192.168.1.0 0.0.0.255 172.16.2.0 0.0.0.255",
                              "ACL line");
        NS_TEST_EXPECT_MSG_EQ(global.GetIsakmpPolicies().at(10).encryption, "aes", "IKE cipher");
        NS_TEST_EXPECT_MSG_EQ(global.GetIsakmpPolicies().at(10).group, 14, "IKE group");
        NS_TEST_EXPECT_MSG_EQ(global.GetIsakmpKeys().size(), 1, "one key");
        NS_TEST_ASSERT_MSG_EQ(global.GetStaticRoutes().size(), 1, "one route");
        NS_TEST_EXPECT_MSG_EQ(ToString(global.GetStaticRoutes()[0].nextHop),
                              "192.165.200.1",
                              "route next hop");
        // version, 3 service lines, 2 boot markers, clock, aaa, ip subnet-zero, ip audit,
        // ftp-server, serial restart-delay, ip classless, 2 ip http, control-plane,
        // 3 line sections and end.
        NS_TEST_EXPECT_MSG_EQ(global.GetIgnoredLines().size(), 20, "ignored lines");
        NS_TEST_EXPECT_MSG_EQ(global.GetIgnoredLines()[0],
                              "global-replay-window.cfg:4: version 12.3",
                              "first ignored line");

        // Per crypto map replay settings: three entries, the first without replay checks.
        IosConfig perMap = ParseData("crypto-map-replay.cfg");
        const IosCryptoMapConfig& eth0 = perMap.GetCryptoMaps().at("ETH0");
        NS_TEST_ASSERT_MSG_EQ(eth0.entries.size(), 3, "three entries");
        const uint32_t sequences[] = {17, 18, 19};
        const char* peers[] = {"172.17.150.2", "192.168.1.3", "192.168.1.4"};
        const char* lists[] = {"170", "180", "190"};
        for (uint32_t i = 0; i < 3; ++i)
        {
            const IosCryptoMapEntryConfig& entry = eth0.entries[i];
            NS_TEST_EXPECT_MSG_EQ(entry.sequence, sequences[i], "sequence order");
            NS_TEST_ASSERT_MSG_EQ(entry.peers.size(), 1, "one peer per entry");
            NS_TEST_EXPECT_MSG_EQ(ToString(entry.peers[0]), peers[i], "peer");
            NS_TEST_EXPECT_MSG_EQ(entry.accessList.text, lists[i], "match address");
            NS_TEST_EXPECT_MSG_EQ(entry.replayDisable, (i == 0), "replay disable");
            NS_TEST_EXPECT_MSG_EQ(perMap.GetAccessLists().at(lists[i]).entries.size(),
                                  1,
                                  "ACL lines");
        }
        NS_TEST_EXPECT_MSG_EQ(perMap.GetIsakmpKeys().size(), 3, "three keys");
        NS_TEST_EXPECT_MSG_EQ(perMap.GetTransformSets().size(), 3, "three transform sets");
        NS_TEST_EXPECT_MSG_EQ(perMap.GetStaticRoutes().size(), 3, "three routes");
        NS_TEST_EXPECT_MSG_EQ(perMap.GetIsakmpPolicies().at(1).encryption, "aes", "encr aes");

        // The invalid SPI recovery routers.
        for (const char* name : {"invalid-spi-router-a.cfg", "invalid-spi-router-b.cfg"})
        {
            IosConfig router = ParseData(name);
            const IosCryptoMapConfig& testtag1 = router.GetCryptoMaps().at("testtag1");
            NS_TEST_ASSERT_MSG_EQ(testtag1.entries.size(), 1, "one entry");
            NS_TEST_EXPECT_MSG_EQ(testtag1.entries[0].peers.size(), 1, "one peer");
            NS_TEST_EXPECT_MSG_EQ(router.GetAccessLists().at("150").entries.size(), 1, "ACL");
            NS_TEST_EXPECT_MSG_EQ(router.IsInvalidSpiRecovery(), true, "recovery on");
            NS_TEST_EXPECT_MSG_EQ(router.GetIsakmpPolicies().at(1).lifetimeSeconds, 180, "IKE");
            NS_TEST_EXPECT_MSG_EQ(router.GetIsakmpKeys().at(0).key, "1234", "type 0 key");
            const IpsecTransformSet& auth2 = router.GetTransformSets().at("auth2").transformSet;
            NS_TEST_EXPECT_MSG_EQ(auth2.HasAh(), true, "auth2 has AH");
            NS_TEST_EXPECT_MSG_EQ(auth2.HasEsp(), true, "auth2 has ESP");
        }
        NS_TEST_EXPECT_MSG_EQ(ParseData("invalid-spi-router-a.cfg").GetInterfaceNames().size(),
                              6,
                              "router A interfaces");
        NS_TEST_EXPECT_MSG_EQ(ParseData("invalid-spi-router-b.cfg").GetInterfaceNames().size(),
                              13,
                              "router B interfaces");

        // Dead peer detection.
        IosConfig periodic = ParseData("dpd-periodic.cfg");
        NS_TEST_ASSERT_MSG_EQ(periodic.GetKeepalive().has_value(), true, "keepalive");
        NS_TEST_EXPECT_MSG_EQ(periodic.GetKeepalive()->seconds, 10, "interval");
        NS_TEST_EXPECT_MSG_EQ(periodic.GetKeepalive()->retrySeconds, 2, "default retry");
        NS_TEST_EXPECT_MSG_EQ(periodic.GetKeepalive()->periodic, true, "periodic");
        NS_TEST_EXPECT_MSG_EQ(periodic.GetIsakmpKeys().at(0).mask.GetPrefixLength(), 24, "mask");
        NS_TEST_EXPECT_MSG_EQ(periodic.GetCryptoMaps().at("test").entries.size(), 1, "entry");

        IosConfig ezvpn = ParseData("dpd-ezvpn.cfg");
        NS_TEST_EXPECT_MSG_EQ(ezvpn.GetKeepalive()->seconds, 30, "interval");
        NS_TEST_EXPECT_MSG_EQ(ezvpn.GetKeepalive()->retrySeconds, 20, "retry");
        NS_TEST_EXPECT_MSG_EQ(ezvpn.GetCryptoMaps().size(), 0, "no crypto map");
        // The ezvpn section (5 lines) and two lines in each interface.
        NS_TEST_EXPECT_MSG_EQ(ezvpn.GetIgnoredLines().size(), 9, "ignored ezvpn lines");

        IosConfig failover = ParseData("dpd-multiple-peers.cfg");
        const IosCryptoMapEntryConfig& green = failover.GetCryptoMaps().at("green").entries.at(0);
        NS_TEST_ASSERT_MSG_EQ(green.peers.size(), 3, "three peers");
        NS_TEST_EXPECT_MSG_EQ(ToString(green.peers[0]), "10.0.0.1", "first peer");
        NS_TEST_EXPECT_MSG_EQ(ToString(green.peers[1]), "10.0.0.2", "second peer");
        NS_TEST_EXPECT_MSG_EQ(ToString(green.peers[2]), "10.0.0.3", "third peer");

        // Idle timers.
        IosConfig idleGlobal = ParseData("idle-time-global.cfg");
        NS_TEST_EXPECT_MSG_EQ(*idleGlobal.GetGlobalIdleTimeSeconds(), 600, "global idle time");
        IosConfig idleMap = ParseData("idle-time-crypto-map.cfg");
        NS_TEST_EXPECT_MSG_EQ(*idleMap.GetCryptoMaps().at("test").entries.at(0).idleTimeSeconds,
                              600,
                              "entry idle time");

        // LLQ: two ACL lines, two class maps, three classes, the abbreviated interface.
        IosConfig llq = ParseData("llq.cfg");
        NS_TEST_EXPECT_MSG_EQ(llq.GetAccessLists().at("102").entries.size(), 2, "voice ACL");
        NS_TEST_EXPECT_MSG_EQ(llq.GetClassMaps().size(), 2, "class maps");
        const IosPolicyMapConfig& policy1 = llq.GetPolicyMaps().at("policy1");
        NS_TEST_ASSERT_MSG_EQ(policy1.classes.size(), 3, "classes");
        NS_TEST_EXPECT_MSG_EQ(policy1.classes[0].commands.at(0).text, "priority 50", "voice");
        NS_TEST_EXPECT_MSG_EQ(policy1.classes[1].commands.at(0).text, "bandwidth 20", "bar");
        NS_TEST_EXPECT_MSG_EQ(policy1.classes[2].name, "class-default", "default class");
        NS_TEST_ASSERT_MSG_EQ(llq.GetInterfaceNames().size(), 1, "one interface");
        NS_TEST_EXPECT_MSG_EQ(llq.GetInterfaceNames()[0], "FastEthernet0/0", "fas0/0 expanded");
        NS_TEST_EXPECT_MSG_EQ(llq.GetInterface("FastEthernet0/0")->servicePolicy,
                              "policy1",
                              "service policy");
    }
};

/**
 * \ingroup ipsec
 * Each kind of bad line gives the exact "FILE:LINE: reason".
 */
class IosConfigBadLinesTestCase : public TestCase
{
  public:
    IosConfigBadLinesTestCase()
        : TestCase("bad lines give file, line and reason")
    {
    }

  private:
    void DoRun() override
    {
        // A complete entry to build the bad cases on; its lines are 1 to 6.
        const std::string base = "crypto ipsec transform-set ts esp-aes esp-sha-hmac\n"
                                 "access-list 101 permit ip 10.1.0.0 0.0.255.255 any\n"
                                 "crypto map m 10 ipsec-isakmp\n"
                                 " set peer 192.0.2.2\n"
                                 " set transform-set ts\n"
                                 " match address 101\n";
        NS_TEST_EXPECT_MSG_EQ(ParseError(base), "no error", "the base is valid");

        struct Case
        {
            std::string text;     //!< configuration
            std::string expected; //!< IosConfigError::what()
        };

        const std::vector<Case> cases = {
            // Unknown commands inside supported crypto sections.
            {base + " set pfs group14\n",
             "bad.cfg:7: unknown crypto map command \"set pfs group14\": supported are set peer, "
             "set transform-set, match address, set security-association "
             "lifetime|idle-time|replay, set session-key, qos pre-classify and description"},
            {"crypto ipsec transform-set ts esp-aes\n mode tunel\n",
             "bad.cfg:2: invalid transform-set command \"mode tunel\": expected mode tunnel or "
             "mode transport"},
            {"crypto isakmp policy 1\n encryption aes\n prf sha\n",
             "bad.cfg:3: unknown isakmp policy command \"prf sha\": supported are encryption, "
             "hash, authentication pre-share, group and lifetime"},
            // Out-of-range values.
            {"crypto isakmp keepalive 5\n",
             "bad.cfg:1: invalid keepalive seconds \"5\": expected a number from 10 to 3600"},
            {"crypto isakmp keepalive 3601 2 periodic\n",
             "bad.cfg:1: invalid keepalive seconds \"3601\": expected a number from 10 to 3600"},
            {"crypto isakmp keepalive 10 61\n",
             "bad.cfg:1: invalid keepalive retry seconds \"61\": expected a number from 2 to 60"},
            {"crypto isakmp keepalive 10 1 periodic\n",
             "bad.cfg:1: invalid keepalive retry seconds \"1\": expected a number from 2 to 60"},
            {"crypto isakmp keepalive 10 periodically\n",
             "bad.cfg:1: invalid keepalive mode \"periodically\": expected periodic or on-demand"},
            {"crypto isakmp keepalive\n",
             "bad.cfg:1: missing keepalive interval: expected crypto isakmp keepalive SECONDS "
             "(10-3600) [RETRY (2-60)] [periodic|on-demand]"},
            {"crypto ipsec security-association replay window-size 100\n",
             "bad.cfg:1: invalid replay window-size \"100\": expected 64, 128, 256, 512 or 1024"},
            {base + " set security-association lifetime seconds 100\n",
             "bad.cfg:7: invalid lifetime seconds \"100\": expected a number from 120 to 86400"},
            {base + " set security-association idle-time 30\n",
             "bad.cfg:7: invalid idle-time seconds \"30\": expected a number from 60 to 86400"},
            {"crypto ipsec security-association lifetime kilobytes 100\n",
             "bad.cfg:1: invalid lifetime kilobytes \"100\": expected a number from 2560 to "
             "4294967295"},
            {"crypto isakmp policy 1\n group 3\n",
             "bad.cfg:2: invalid Diffie-Hellman group \"3\": expected 1, 2, 5 or 14"},
            // Values IOS has but the IKE daemon does not implement.
            {"crypto isakmp policy 1\n group 19\n",
             "bad.cfg:2: invalid Diffie-Hellman group \"19\": expected 1, 2, 5 or 14"},
            {"crypto isakmp policy 1\n hash sha384\n",
             "bad.cfg:2: invalid isakmp hash \"sha384\": expected sha, sha256 or md5"},
            {"crypto isakmp policy 1\n lifetime 59\n",
             "bad.cfg:2: invalid isakmp lifetime seconds \"59\": expected a number from 60 to "
             "86400"},
            {"crypto map m 0 ipsec-isakmp\n",
             "bad.cfg:1: invalid crypto map sequence number \"0\": expected a number from 1 to "
             "65535"},
            // Malformed values.
            {"interface Ethernet0\n ip address 10.0.0.256 255.255.255.0\n",
             "bad.cfg:2: invalid ip address line: expected ip address A.B.C.D MASK [secondary], "
             "with a contiguous mask such as 255.255.255.0"},
            {"interface Ethernet0\n ip address 10.0.0.1 255.0.255.0\n",
             "bad.cfg:2: invalid ip address line: expected ip address A.B.C.D MASK [secondary], "
             "with a contiguous mask such as 255.255.255.0"},
            {"ip route 10.3.3.3 255.0.0.0 10.2.0.1\n",
             "bad.cfg:1: inconsistent address and mask: 10.3.3.3 has bits set outside "
             "255.0.0.0; write the network address, e.g. 10.0.0.0"},
            {"access-list 101 permit ip 10.0.0.0 0.0.0.255 anywhere\n",
             "bad.cfg:1: invalid access list 101 line: " +
                 Create<Ipv4AccessList>("101")->AddLine("permit ip 10.0.0.0 0.0.0.255 "
                                                        "anywhere")},
            {"access-list 300 permit ip any any\n",
             "bad.cfg:1: invalid access-list number \"300\": expected 1-99 or 1300-1999 "
             "(standard), 100-199 or 2000-2699 (extended)"},
            {"access-list 10 permit 10.0.0.0 0.0.0.255 any\n",
             "bad.cfg:1: invalid standard access list line \"permit 10.0.0.0 0.0.0.255 any\": "
             "expected permit|deny any, host A.B.C.D or A.B.C.D [WILDCARD]"},
            {"crypto isakmp key secret address 10.0.0\n",
             "bad.cfg:1: invalid peer address \"10.0.0\" in crypto isakmp key"},
            {"crypto ipsec df-bit sometimes\n",
             "bad.cfg:1: invalid crypto ipsec df-bit: expected clear, set or copy"},
            // Window size together with disable, per entry and globally.
            {base + " set security-association replay disable\n"
                    " set security-association replay window-size 128\n",
             "bad.cfg:8: replay window-size conflicts with replay disable in this crypto map "
             "entry: configure one of them"},
            {"crypto ipsec security-association replay window-size 256\n"
             "crypto ipsec security-association replay disable\n",
             "bad.cfg:2: replay disable conflicts with replay window-size on line 1: "
             "configure one of them"},
            // Entries without peer or access list.
            {"crypto ipsec transform-set ts esp-aes\n"
             "access-list 101 permit ip any any\n"
             "crypto map m 10 ipsec-isakmp\n"
             " set transform-set ts\n"
             " match address 101\n",
             "bad.cfg:3: crypto map m 10 has no peer: add set peer A.B.C.D"},
            {"crypto ipsec transform-set ts esp-aes\n"
             "crypto map m 10 ipsec-isakmp\n"
             " set peer 192.0.2.2\n"
             " set transform-set ts\n",
             "bad.cfg:2: crypto map m 10 has no access list: add match address ACL"},
            // References to undefined objects.
            {"crypto map m 10 ipsec-isakmp\n"
             " set peer 192.0.2.2\n"
             " set transform-set missing\n"
             " match address 101\n"
             "access-list 101 permit ip any any\n",
             "bad.cfg:3: transform set missing not found: define it with crypto ipsec "
             "transform-set"},
            {"crypto ipsec transform-set ts esp-aes\n"
             "crypto map m 10 ipsec-isakmp\n"
             " set peer 192.0.2.2\n"
             " set transform-set ts\n"
             " match address 199\n",
             "bad.cfg:5: access list 199 not found: define it with access-list or ip "
             "access-list extended"},
            {base + "interface Serial0\n crypto map other\n",
             "bad.cfg:8: crypto map other not found: define it with crypto map other SEQ "
             "ipsec-isakmp|ipsec-manual"},
            {"class-map voice\n match access-group 102\n",
             "bad.cfg:2: access list 102 not found: define it with access-list or ip "
             "access-list"},
            {"policy-map p\n class bar\n  bandwidth 20\n",
             "bad.cfg:2: invalid policy-map p class: class map \"bar\" not found: define it "
             "with class-map first"},
            {"interface Serial0\n service-policy output p\n",
             "bad.cfg:2: policy-map p not found: define it with policy-map p"},
            {"ip route 10.0.0.0 255.0.0.0 Serial9/9\n",
             "bad.cfg:1: interface Serial9/9 of ip route not found: add interface Serial9/9 or "
             "give a next-hop address"},
            // Manual keying.
            {base + " set session-key inbound esp 300 cipher 00112233\n",
             "bad.cfg:7: set session-key is valid only in ipsec-manual crypto map entries"},
            {"crypto ipsec transform-set ts esp-aes esp-sha-hmac\n"
             "access-list 101 permit ip any any\n"
             "crypto map m 10 ipsec-manual\n"
             " set peer 192.0.2.2\n"
             " set transform-set ts\n"
             " match address 101\n"
             " set session-key inbound esp 300 cipher 00112233445566778899aabbccddeeff "
             "authenticator 00112233445566778899aabbccddeeff00112233\n"
             " set session-key outbound esp 301 cipher 0011 authenticator "
             "00112233445566778899aabbccddeeff00112233\n",
             "bad.cfg:3: crypto map m 10: set session-key outbound esp has 2 cipher and 20 "
             "authenticator bytes, but transform set ts needs 16 and 20"},
            {"crypto map m 10 ipsec-manual\n set session-key inbound esp 255 cipher 00\n",
             "bad.cfg:2: invalid SPI \"255\": expected a number from 256 to 4294967295"},
            {"crypto map m 10 ipsec-manual\n set peer 192.0.2.2\n set peer 192.0.2.3\n",
             "bad.cfg:3: an ipsec-manual crypto map entry takes one peer: remove the second "
             "set peer"},
            // Section commands at the top level.
            {"set peer 192.0.2.2\n",
             "bad.cfg:1: \"set\" is valid only inside a section: indent it under the crypto "
             "map, transform-set, isakmp policy, class-map, policy-map, access list or "
             "interface line it belongs to"},
            {base + "!\n set peer 192.0.2.3\n",
             "bad.cfg:8: \"set\" is valid only inside a section: indent it under the crypto "
             "map, transform-set, isakmp policy, class-map, policy-map, access list or "
             "interface line it belongs to"},
            {"crypto map m\n",
             "bad.cfg:1: crypto map m without a sequence number is an interface command: "
             "indent it under interface NAME, or write crypto map NAME SEQ "
             "ipsec-isakmp|ipsec-manual"},
            {"crypto isakmp policy 1\n authentication rsa-sig\n",
             "bad.cfg:2: authentication rsa-sig is not modelled: use authentication pre-share "
             "with crypto isakmp key"},
        };
        for (const auto& testCase : cases)
        {
            NS_TEST_EXPECT_MSG_EQ(ParseError(testCase.text), testCase.expected, testCase.text);
        }

        // The error carries its parts separately for callers that format their own message.
        std::istringstream in("crypto isakmp keepalive 5\n");
        try
        {
            IosConfig::Parse(in, "parts.cfg");
            NS_TEST_EXPECT_MSG_EQ(true, false, "no exception");
        }
        catch (const IosConfigError& error)
        {
            NS_TEST_EXPECT_MSG_EQ(error.file, "parts.cfg", "file");
            NS_TEST_EXPECT_MSG_EQ(error.line, 1, "line");
            NS_TEST_EXPECT_MSG_EQ(error.reason,
                                  "invalid keepalive seconds \"5\": expected a number from 10 to "
                                  "3600",
                                  "reason");
        }

        // A file that does not exist.
        try
        {
            IosConfig::Load(DataDirectory() + "missing.cfg");
            NS_TEST_EXPECT_MSG_EQ(true, false, "no exception");
        }
        catch (const IosConfigError& error)
        {
            NS_TEST_EXPECT_MSG_EQ(error.line, 0, "no line");
            NS_TEST_EXPECT_MSG_EQ(error.reason, "cannot open the file for reading", "reason");
        }
    }
};

/**
 * \ingroup ipsec
 * Two routers joined by a point-to-point link, each with a LAN device of its own, as
 * the invalid SPI recovery example wires them.
 */
struct IosTestRouters
{
    NodeContainer nodes;       //!< router A, router B
    NetDeviceContainer wan;    //!< A's FastEthernet0/0, B's Ethernet1/0
    Ptr<SimpleNetDevice> lanA; //!< A's FastEthernet0/1
    Ptr<SimpleNetDevice> lanB; //!< B's Ethernet1/1

    IosTestRouters()
    {
        nodes.Create(2);
        InternetStackHelper internet;
        internet.Install(nodes);
        PointToPointHelper link;
        link.SetDeviceAttribute("DataRate", StringValue("10Mbps"));
        link.SetChannelAttribute("Delay", StringValue("1ms"));
        wan = link.Install(nodes);
        lanA = MakeLan(nodes.Get(0));
        lanB = MakeLan(nodes.Get(1));
    }

    /**
     * Adds a LAN device on a channel of its own.
     * \param node the node
     * \return the device
     */
    static Ptr<SimpleNetDevice> MakeLan(Ptr<Node> node)
    {
        auto device = CreateObject<SimpleNetDevice>();
        device->SetAddress(Mac48Address::Allocate());
        device->SetChannel(CreateObject<SimpleChannel>());
        node->AddDevice(device);
        return device;
    }

    /// \return router A's devices by interface name
    std::map<std::string, Ptr<NetDevice>> DevicesA() const
    {
        return {{"FastEthernet0/0", wan.Get(0)}, {"Fa0/1", lanA}};
    }

    /// \return router B's devices by interface name
    std::map<std::string, Ptr<NetDevice>> DevicesB() const
    {
        return {{"Ethernet1/0", wan.Get(1)}, {"Ethernet1/1", lanB}};
    }
};

/**
 * \ingroup ipsec
 * Finds the IPsec device of a node.
 * \param node the node
 * \return its first IpsecNetDevice, or nullptr
 */
static Ptr<IpsecNetDevice>
FindIpsecDevice(Ptr<Node> node)
{
    for (uint32_t i = 0; i < node->GetNDevices(); ++i)
    {
        if (auto device = DynamicCast<IpsecNetDevice>(node->GetDevice(i)))
        {
            return device;
        }
    }
    return nullptr;
}

/**
 * \ingroup ipsec
 * The guide's invalid SPI routers, applied to two nodes: interfaces, addresses, routes,
 * crypto maps, access lists and transform sets exist with the file's values.
 */
class IosConfigApplyGuideRoutersTestCase : public TestCase
{
  public:
    IosConfigApplyGuideRoutersTestCase()
        : TestCase("apply the invalid SPI routers")
    {
    }

  private:
    void DoRun() override
    {
        IosTestRouters routers;
        IosConfig configA = ParseData("invalid-spi-router-a.cfg");
        IosConfig configB = ParseData("invalid-spi-router-b.cfg");
        IosConfigLoader::Apply(configA, routers.nodes.Get(0), routers.DevicesA());
        IosConfigLoader::Apply(configB, routers.nodes.Get(1), routers.DevicesB());

        // Router A: the crypto map interface carries an IPsec device with testtag1.
        Ptr<IpsecNetDevice> deviceA = FindIpsecDevice(routers.nodes.Get(0));
        NS_TEST_ASSERT_MSG_NE(deviceA, nullptr, "IPsec device on A");
        NS_TEST_EXPECT_MSG_EQ(deviceA->GetInterfaceName(), "FastEthernet0/0", "name");
        NS_TEST_EXPECT_MSG_EQ(deviceA->GetLowerDevice(), routers.wan.Get(0), "lower device");
        NS_TEST_EXPECT_MSG_EQ(ToString(deviceA->GetIpv4Address()), "10.1.1.1", "address");
        Ptr<CryptoMap> mapA = deviceA->GetCryptoMap();
        NS_TEST_ASSERT_MSG_NE(mapA, nullptr, "crypto map on A");
        NS_TEST_EXPECT_MSG_EQ(mapA->GetName(), "testtag1", "crypto map tag");
        NS_TEST_ASSERT_MSG_EQ(mapA->GetEntries().size(), 1, "one entry");
        Ptr<CryptoMapEntry> entryA = mapA->GetEntry(10);
        NS_TEST_ASSERT_MSG_NE(entryA, nullptr, "entry 10");
        NS_TEST_EXPECT_MSG_EQ((entryA->GetKeyManagement() == CryptoMapEntry::KeyManagement::ISAKMP),
                              true,
                              "ipsec-isakmp");
        NS_TEST_ASSERT_MSG_EQ(entryA->GetPeers().size(), 1, "one peer");
        NS_TEST_EXPECT_MSG_EQ(ToString(entryA->GetPeers()[0]), "10.2.2.2", "peer");
        NS_TEST_EXPECT_MSG_EQ(entryA->GetAccessList()->GetName(), "150", "ACL name");
        NS_TEST_ASSERT_MSG_EQ(entryA->GetAccessList()->GetEntries().size(), 1, "ACL lines");
        NS_TEST_EXPECT_MSG_EQ(entryA->GetAccessList()->GetEntries()[0].text,
                              "permit ip host 10.0.0.1 host 10.0.2.2",
                              "ACL line");
        NS_TEST_ASSERT_MSG_EQ(entryA->GetTransformSets().size(), 1, "one transform set");
        const IpsecTransformSet& auth2 = entryA->GetTransformSets()[0];
        NS_TEST_EXPECT_MSG_EQ(auth2.GetName(), "auth2", "transform set name");
        NS_TEST_EXPECT_MSG_EQ(auth2.GetDescription(),
                              "ah-sha-hmac esp-aes esp-sha-hmac",
                              "transforms");
        NS_TEST_EXPECT_MSG_EQ((auth2.GetMode() == IpsecMode::TUNNEL), true, "tunnel mode");

        // The ACL protects A's LAN address towards B's, and not the reverse direction.
        Ipv4FlowTuple tuple;
        tuple.source = Ipv4Address("10.0.0.1");
        tuple.destination = Ipv4Address("10.0.2.2");
        NS_TEST_EXPECT_MSG_EQ(mapA->Lookup(tuple), entryA, "outbound match");
        NS_TEST_EXPECT_MSG_EQ(mapA->Lookup(tuple.Mirror()), nullptr, "reverse not matched");

        // Router B: the mirrored configuration.
        Ptr<IpsecNetDevice> deviceB = FindIpsecDevice(routers.nodes.Get(1));
        NS_TEST_ASSERT_MSG_NE(deviceB, nullptr, "IPsec device on B");
        NS_TEST_EXPECT_MSG_EQ(deviceB->GetInterfaceName(), "Ethernet1/0", "name");
        Ptr<CryptoMapEntry> entryB = deviceB->GetCryptoMap()->GetEntry(10);
        NS_TEST_EXPECT_MSG_EQ(ToString(entryB->GetPeers()[0]), "10.1.1.1", "peer");
        NS_TEST_EXPECT_MSG_EQ(entryB->GetAccessList()->GetEntries()[0].text,
                              "permit ip host 10.0.2.2 host 10.0.0.1",
                              "ACL line");

        // Interfaces: loopback, the IPsec WAN and the LAN; B's unconnected ones are skipped.
        Ptr<Ipv4> ipv4A = routers.nodes.Get(0)->GetObject<Ipv4>();
        NS_TEST_ASSERT_MSG_EQ(ipv4A->GetNInterfaces(), 3, "A's IPv4 interfaces");
        int32_t lanIndex = ipv4A->GetInterfaceForDevice(routers.lanA);
        NS_TEST_ASSERT_MSG_GT(lanIndex, 0, "LAN interface");
        NS_TEST_EXPECT_MSG_EQ(ToString(ipv4A->GetAddress(lanIndex, 0).GetLocal()),
                              "10.0.0.1",
                              "LAN address");
        NS_TEST_EXPECT_MSG_EQ(ipv4A->GetAddress(lanIndex, 0).GetMask().GetPrefixLength(),
                              24,
                              "LAN mask");
        NS_TEST_EXPECT_MSG_EQ(ipv4A->IsUp(lanIndex), true, "LAN up");
        NS_TEST_EXPECT_MSG_EQ(routers.nodes.Get(1)->GetObject<Ipv4>()->GetNInterfaces(),
                              3,
                              "B's IPv4 interfaces");

        // The static route sends B's LAN to B over the WAN.
        Ipv4StaticRoutingHelper routingHelper;
        Ptr<Ipv4StaticRouting> routing = routingHelper.GetStaticRouting(ipv4A);
        bool found = false;
        for (uint32_t i = 0; i < routing->GetNRoutes(); ++i)
        {
            Ipv4RoutingTableEntry route = routing->GetRoute(i);
            if (route.GetDestNetwork() == Ipv4Address("10.0.2.0"))
            {
                found = true;
                NS_TEST_EXPECT_MSG_EQ(ToString(route.GetGateway()), "10.2.2.2", "gateway");
                NS_TEST_EXPECT_MSG_EQ(route.GetInterface(),
                                      static_cast<uint32_t>(ipv4A->GetInterfaceForDevice(deviceA)),
                                      "out of the WAN");
            }
        }
        NS_TEST_EXPECT_MSG_EQ(found, true, "route to B's LAN");

        Simulator::Destroy();
    }
};

/**
 * \ingroup ipsec
 * A configuration that cannot be applied raises an error and leaves the node unchanged.
 */
class IosConfigApplyErrorsTestCase : public TestCase
{
  public:
    IosConfigApplyErrorsTestCase()
        : TestCase("apply errors change nothing")
    {
    }

  private:
    void DoRun() override
    {
        IosConfig configA = ParseData("invalid-spi-router-a.cfg");

        // FastEthernet0/1 has an address but no device.
        IosTestRouters routers;
        Ptr<Node> node = routers.nodes.Get(0);
        std::string message = "no error";
        try
        {
            IosConfigLoader::Apply(configA, node, {{"FastEthernet0/0", routers.wan.Get(0)}});
        }
        catch (const IosConfigError& error)
        {
            message = error.what();
        }
        NS_TEST_EXPECT_MSG_EQ(message,
                              "invalid-spi-router-a.cfg:67: interface FastEthernet0/1 is not "
                              "connected: give a device of node 0 for it, or shut it down",
                              "unconnected interface");
        NS_TEST_EXPECT_MSG_EQ(node->GetObject<Ipv4>()->GetNInterfaces(), 1, "only loopback");
        NS_TEST_EXPECT_MSG_EQ(node->GetObject<IpsecStack>(), nullptr, "no IPsec stack");
        NS_TEST_EXPECT_MSG_EQ(node->GetNDevices(), 3, "no device added");

        // A device for an interface the file does not have.
        message = "no error";
        auto devices = routers.DevicesA();
        devices["Serial7/0"] = routers.lanB;
        try
        {
            IosConfigLoader::Apply(configA, node, devices);
        }
        catch (const IosConfigError& error)
        {
            message = error.what();
        }
        NS_TEST_EXPECT_MSG_EQ(message,
                              "invalid-spi-router-a.cfg: a device is given for Serial7/0, but "
                              "the configuration has no interface Serial7/0",
                              "unknown interface");
        NS_TEST_EXPECT_MSG_EQ(node->GetObject<Ipv4>()->GetNInterfaces(), 1, "only loopback");

        // A device of another node.
        message = "no error";
        devices = routers.DevicesA();
        devices["FastEthernet0/1"] = routers.lanB;
        devices.erase("Fa0/1");
        try
        {
            IosConfigLoader::Apply(configA, node, devices);
        }
        catch (const IosConfigError& error)
        {
            message = error.what();
        }
        NS_TEST_EXPECT_MSG_EQ(message,
                              "invalid-spi-router-a.cfg:67: the device given for interface "
                              "FastEthernet0/1 is not on node 0",
                              "foreign device");

        // An ip mtu above the device's MTU (1500 bytes on a point-to-point link).
        std::string text = ReadData("invalid-spi-router-a.cfg");
        text.replace(text.find(" crypto map testtag1\n"),
                     std::string(" crypto map testtag1\n").size(),
                     " crypto map testtag1\n ip mtu 1600\n");
        std::istringstream in(text);
        IosConfig bigMtu = IosConfig::Parse(in, "mtu.cfg");
        message = "no error";
        try
        {
            IosConfigLoader::Apply(bigMtu, node, routers.DevicesA());
        }
        catch (const IosConfigError& error)
        {
            message = error.what();
        }
        NS_TEST_EXPECT_MSG_EQ(message,
                              "mtu.cfg:66: ip mtu 1600 exceeds the MTU of the device connected "
                              "to FastEthernet0/0: use 68 to 1500",
                              "ip mtu too large");
        NS_TEST_EXPECT_MSG_EQ(node->GetObject<IpsecStack>(), nullptr, "still no IPsec stack");

        Simulator::Destroy();
    }
};

/**
 * \ingroup ipsec
 * The IKE settings of the invalid SPI routers reach the node's IKE daemon, keepalive and
 * invalid SPI handler, and a policy the daemon cannot use is rejected before any change.
 */
class IosConfigApplyIkeTestCase : public TestCase
{
  public:
    IosConfigApplyIkeTestCase()
        : TestCase("apply IKE settings")
    {
    }

  private:
    void DoRun() override
    {
        // Router A with keepalive added after its invalid-spi-recovery line.
        std::string text = ReadData("invalid-spi-router-a.cfg");
        const std::string recovery = "crypto isakmp invalid-spi-recovery\n";
        text.replace(text.find(recovery),
                     recovery.size(),
                     recovery + "crypto isakmp keepalive 15 4 periodic\n");
        std::istringstream in(text);
        IosConfig configA = IosConfig::Parse(in, "ike.cfg");
        IosTestRouters routers;
        Ptr<Node> nodeA = routers.nodes.Get(0);
        IosConfigLoader::Apply(configA, nodeA, routers.DevicesA());

        // crypto isakmp policy 1: aes (128-bit), sha by default, group 14, lifetime 180.
        Ptr<IkeDaemon> daemon = nodeA->GetObject<IkeDaemon>();
        NS_TEST_ASSERT_MSG_NE(daemon, nullptr, "IKE daemon on A");
        NS_TEST_ASSERT_MSG_EQ(daemon->GetPolicies().size(), 1, "one policy");
        const IsakmpPolicy& policy = daemon->GetPolicies()[0];
        NS_TEST_EXPECT_MSG_EQ(policy.GetPriority(), 1, "priority");
        NS_TEST_EXPECT_MSG_EQ((policy.GetEncryption() == IsakmpPolicy::Encryption::AES128),
                              true,
                              "aes 128");
        NS_TEST_EXPECT_MSG_EQ((policy.GetHash() == IsakmpPolicy::Hash::SHA1), true, "sha");
        NS_TEST_EXPECT_MSG_EQ(policy.GetGroup(), 14, "group");
        NS_TEST_EXPECT_MSG_EQ(policy.GetLifetimeSeconds(), 180, "lifetime");

        // crypto isakmp key 0 1234 address 10.2.2.2
        std::string key;
        NS_TEST_EXPECT_MSG_EQ(daemon->GetKeyTable().GetSize(), 1, "one key");
        NS_TEST_EXPECT_MSG_EQ(daemon->GetKeyTable().Find(Ipv4Address("10.2.2.2"), key),
                              true,
                              "key for B");
        NS_TEST_EXPECT_MSG_EQ(key, "1234", "key text");

        // Keepalive and recovery.
        Ptr<IsakmpKeepalive> keepalive = nodeA->GetObject<IsakmpKeepalive>();
        NS_TEST_ASSERT_MSG_NE(keepalive, nullptr, "keepalive on A");
        NS_TEST_EXPECT_MSG_EQ(keepalive->IsEnabled(), true, "keepalive enabled");
        NS_TEST_EXPECT_MSG_EQ(keepalive->GetConfig().interval, 15, "interval");
        NS_TEST_EXPECT_MSG_EQ(keepalive->GetConfig().retry, 4, "retry");
        NS_TEST_EXPECT_MSG_EQ(keepalive->GetConfig().mode, DPD_PERIODIC, "periodic");
        Ptr<IkeInvalidSpiHandler> handler = nodeA->GetObject<IkeInvalidSpiHandler>();
        NS_TEST_ASSERT_MSG_NE(handler, nullptr, "invalid SPI handler on A");
        NS_TEST_EXPECT_MSG_EQ(handler->IsRecoveryEnabled(), true, "recovery on");

        // Without invalid-spi-recovery the handler still exists, with recovery off.
        text = ReadData("invalid-spi-router-b.cfg");
        text.replace(text.find(recovery), recovery.size(), "!\n");
        std::istringstream inB(text);
        IosConfig configB = IosConfig::Parse(inB, "ike-b.cfg");
        Ptr<Node> nodeB = routers.nodes.Get(1);
        IosConfigLoader::Apply(configB, nodeB, routers.DevicesB());
        handler = nodeB->GetObject<IkeInvalidSpiHandler>();
        NS_TEST_ASSERT_MSG_NE(handler, nullptr, "invalid SPI handler on B");
        NS_TEST_EXPECT_MSG_EQ(handler->IsRecoveryEnabled(), false, "recovery off");
        NS_TEST_EXPECT_MSG_EQ(nodeB->GetObject<IsakmpKeepalive>(), nullptr, "no keepalive on B");

        // A policy without `authentication pre-share` uses rsa-sig, which the daemon lacks.
        text = ReadData("invalid-spi-router-a.cfg");
        const std::string preShare = " authentication pre-share\n";
        text.replace(text.find(preShare), preShare.size(), "");
        std::istringstream inRsa(text);
        IosConfig rsa = IosConfig::Parse(inRsa, "rsa.cfg");
        IosTestRouters other;
        Ptr<Node> node = other.nodes.Get(0);
        std::string message = "no error";
        try
        {
            IosConfigLoader::Apply(rsa, node, other.DevicesA());
        }
        catch (const IosConfigError& error)
        {
            message = error.what();
        }
        NS_TEST_EXPECT_MSG_EQ(message,
                              "rsa.cfg:40: isakmp policy 1 authenticates with rsa-sig (the IOS "
                              "default when no authentication line is given): add "
                              "authentication pre-share",
                              "rsa-sig rejected");
        NS_TEST_EXPECT_MSG_EQ(node->GetObject<IpsecStack>(), nullptr, "no IPsec stack");
        NS_TEST_EXPECT_MSG_EQ(node->GetObject<Ipv4>()->GetNInterfaces(), 1, "only loopback");

        Simulator::Destroy();
    }
};

/**
 * \ingroup ipsec
 * The invalid SPI routers keyed manually carry protected traffic from A's LAN address
 * to B's.
 */
class IosConfigManualTunnelTestCase : public TestCase
{
  public:
    IosConfigManualTunnelTestCase()
        : TestCase("manual tunnel carries traffic")
    {
    }

  private:
    void DoRun() override
    {
        IosTestRouters routers;
        IosConfigLoader::Apply(ParseData("manual-router-a.cfg"),
                               routers.nodes.Get(0),
                               routers.DevicesA());
        IosConfigLoader::Apply(ParseData("manual-router-b.cfg"),
                               routers.nodes.Get(1),
                               routers.DevicesB());

        // The SADB of B contains the two inbound SAs of the AH+ESP bundle, with A's SPIs.
        Ptr<IpsecStack> stackA = routers.nodes.Get(0)->GetObject<IpsecStack>();
        Ptr<IpsecStack> stackB = routers.nodes.Get(1)->GetObject<IpsecStack>();
        NS_TEST_ASSERT_MSG_NE(stackB, nullptr, "stack on B");
        NS_TEST_EXPECT_MSG_NE(stackB->GetSadb()->FindInbound(1001, IpsecProtocol::AH),
                              nullptr,
                              "AH SA from A");
        NS_TEST_EXPECT_MSG_NE(stackB->GetSadb()->FindInbound(1002, IpsecProtocol::ESP),
                              nullptr,
                              "ESP SA from A");

        uint32_t encrypted = 0;
        uint32_t decrypted = 0;
        uint32_t received = 0;
        stackA->TraceConnectWithoutContext(
            "Encrypt",
            MakeBoundCallback(&IosConfigManualTunnelTestCase::Count, &encrypted));
        stackB->TraceConnectWithoutContext(
            "Decrypt",
            MakeBoundCallback(&IosConfigManualTunnelTestCase::Count, &decrypted));

        // A sends five datagrams from its LAN address, which the crypto map ACL protects.
        Ptr<Socket> sink =
            Socket::CreateSocket(routers.nodes.Get(1), UdpSocketFactory::GetTypeId());
        sink->Bind(InetSocketAddress(Ipv4Address::GetAny(), 9));
        sink->SetRecvCallback([&received](Ptr<Socket> socket) {
            while (socket->Recv())
            {
                ++received;
            }
        });
        Ptr<Socket> source =
            Socket::CreateSocket(routers.nodes.Get(0), UdpSocketFactory::GetTypeId());
        source->Bind(InetSocketAddress(Ipv4Address("10.0.0.1"), 0));
        source->Connect(InetSocketAddress(Ipv4Address("10.0.2.2"), 9));
        for (uint32_t i = 0; i < 5; ++i)
        {
            Simulator::Schedule(Seconds(1 + 0.1 * i), [source]() {
                source->Send(Create<Packet>(100));
            });
        }
        Simulator::Stop(Seconds(5));
        Simulator::Run();

        NS_TEST_EXPECT_MSG_EQ(encrypted, 5, "A protected every datagram");
        NS_TEST_EXPECT_MSG_EQ(decrypted, 5, "B unprotected every datagram");
        NS_TEST_EXPECT_MSG_EQ(received, 5, "B's socket received every datagram");

        source->Close();
        sink->Close();
        Simulator::Destroy();
    }

    /**
     * Counts trace calls.
     * \param count the counter
     * \param packet the packet
     * \param sa the SA
     */
    static void Count(uint32_t* count,
                      Ptr<const Packet> packet,
                      Ptr<const IpsecSecurityAssociation> sa)
    {
        ++*count;
    }
};

/**
 * \ingroup ipsec
 * The LLQ example applied to a node: the policy queues in front of the crypto engine.
 */
class IosConfigApplyServicePolicyTestCase : public TestCase
{
  public:
    IosConfigApplyServicePolicyTestCase()
        : TestCase("apply the LLQ example")
    {
    }

  private:
    void DoRun() override
    {
        IosTestRouters routers;
        IosConfigLoader::Apply(ParseData("llq.cfg"),
                               routers.nodes.Get(0),
                               {{"fas0/0", routers.wan.Get(0)}});
        Ptr<IpsecNetDevice> device = FindIpsecDevice(routers.nodes.Get(0));
        NS_TEST_ASSERT_MSG_NE(device, nullptr, "IPsec device");
        NS_TEST_EXPECT_MSG_EQ(device->GetInterfaceName(), "FastEthernet0/0", "name");
        Ptr<PolicyMapQueueDisc> queue =
            DynamicCast<PolicyMapQueueDisc>(device->GetCryptoEngine()->GetQueueDisc());
        NS_TEST_ASSERT_MSG_NE(queue, nullptr, "queue in front of the engine");
        Ptr<PolicyMap> policy = queue->GetPolicyMap();
        NS_TEST_EXPECT_MSG_EQ(policy->GetName(), "policy1", "policy name");
        NS_TEST_ASSERT_MSG_EQ(policy->GetClasses().size(), 3, "three classes");
        NS_TEST_EXPECT_MSG_EQ((policy->GetClasses()[0].action == PolicyMap::Action::PRIORITY),
                              true,
                              "voice is priority");
        NS_TEST_EXPECT_MSG_EQ(policy->GetClasses()[0].kbps, 50, "voice rate");
        NS_TEST_EXPECT_MSG_EQ(policy->GetClasses()[1].kbps, 20, "bar bandwidth");
        NS_TEST_EXPECT_MSG_EQ(policy->GetClasses()[2].fairQueue, true, "fair-queue");

        // The voice class matches the guide's RTP ports through access list 102.
        Ipv4FlowTuple voice;
        voice.source = Ipv4Address("10.10.10.10");
        voice.destination = Ipv4Address("10.10.10.20");
        voice.protocol = 17;
        voice.sourcePort = 5000;
        voice.destinationPort = 16500;
        voice.hasPorts = true;
        NS_TEST_EXPECT_MSG_EQ(policy->GetClasses()[0].classMap->Match(voice, ""), true, "voice");
        voice.destinationPort = 21000;
        NS_TEST_EXPECT_MSG_EQ(policy->GetClasses()[0].classMap->Match(voice, ""), false, "gap");

        Simulator::Destroy();
    }
};

/**
 * \ingroup ipsec
 * Random mutations of the guide's lines either parse or raise IosConfigError; nothing
 * else escapes and nothing crashes.
 */
class IosConfigFuzzTestCase : public TestCase
{
  public:
    IosConfigFuzzTestCase()
        : TestCase("fuzzed lines never crash")
    {
    }

  private:
    void DoRun() override
    {
        std::vector<std::string> files = {"global-replay-window.cfg",
                                          "crypto-map-replay.cfg",
                                          "invalid-spi-router-a.cfg",
                                          "manual-router-b.cfg",
                                          "dpd-periodic.cfg",
                                          "dpd-multiple-peers.cfg",
                                          "llq.cfg"};
        const std::vector<std::string> words = {
            "",      "0",         "-1",          "65536", "4294967296", "99999999999999999999",
            "1.2.3", "256.0.0.1", "255.0.255.0", "any",   "host",       "set",
            "match", "!",         "crypto",      "map",   "disable",    "window-size",
            "esp",   "ah",        "0xzz",        "abc",   "class",      "interface",
            "\t",    "ip"};

        // A fixed seed keeps the run reproducible.
        std::mt19937 random(12345);
        uint32_t parsed = 0;
        uint32_t rejected = 0;
        for (uint32_t iteration = 0; iteration < 2000; ++iteration)
        {
            std::istringstream original(ReadData(files[iteration % files.size()]));
            std::vector<std::string> lines;
            std::string line;
            while (std::getline(original, line))
            {
                lines.push_back(line);
            }

            // Mutate a few lines: replace, drop, duplicate a word, cut or re-indent the line.
            uint32_t mutations = 1 + random() % 3;
            for (uint32_t m = 0; m < mutations; ++m)
            {
                std::string& target = lines[random() % lines.size()];
                std::istringstream split(target);
                std::vector<std::string> lineWords;
                std::string word;
                while (split >> word)
                {
                    lineWords.push_back(word);
                }
                bool indented = !target.empty() && (target[0] == ' ' || target[0] == '\t');
                uint32_t position = lineWords.empty() ? 0 : random() % lineWords.size();
                switch (random() % 5)
                {
                case 0:
                    if (!lineWords.empty())
                    {
                        lineWords[position] = words[random() % words.size()];
                    }
                    break;
                case 1:
                    if (!lineWords.empty())
                    {
                        lineWords.erase(lineWords.begin() + position);
                    }
                    break;
                case 2:
                    lineWords.insert(lineWords.begin() + position, words[random() % words.size()]);
                    break;
                case 3:
                    lineWords.resize(position);
                    break;
                default:
                    indented = !indented;
                    break;
                }
                target = indented ? " " : "";
                for (std::size_t i = 0; i < lineWords.size(); ++i)
                {
                    target += (i == 0 ? "" : " ") + lineWords[i];
                }
            }

            std::string text;
            for (const auto& mutated : lines)
            {
                text += mutated + "\n";
            }
            std::istringstream in(text);
            try
            {
                IosConfig::Parse(in, "fuzz.cfg");
                ++parsed;
            }
            catch (const IosConfigError& error)
            {
                ++rejected;
                NS_TEST_EXPECT_MSG_EQ(std::string(error.what()).rfind("fuzz.cfg:", 0),
                                      0,
                                      "message starts with the file name");
                NS_TEST_EXPECT_MSG_EQ(error.reason.empty(), false, "a reason is given");
            }
        }
        NS_TEST_EXPECT_MSG_EQ(parsed + rejected, 2000, "every run ended");
        NS_TEST_EXPECT_MSG_GT(parsed, 0, "some mutations still parse");
        NS_TEST_EXPECT_MSG_GT(rejected, 0, "some mutations are rejected");
    }
};

/**
 * \ingroup ipsec
 * Interface names abbreviated as IOS accepts them are expanded.
 */
class IosConfigInterfaceNameTestCase : public TestCase
{
  public:
    IosConfigInterfaceNameTestCase()
        : TestCase("interface name abbreviations")
    {
    }

  private:
    void DoRun() override
    {
        NS_TEST_EXPECT_MSG_EQ(IosConfig::NormalizeInterfaceName("fas0/0"), "FastEthernet0/0", "");
        NS_TEST_EXPECT_MSG_EQ(IosConfig::NormalizeInterfaceName("Fa0/1"), "FastEthernet0/1", "");
        NS_TEST_EXPECT_MSG_EQ(IosConfig::NormalizeInterfaceName("Gi0/1"), "GigabitEthernet0/1", "");
        NS_TEST_EXPECT_MSG_EQ(IosConfig::NormalizeInterfaceName("e1/0"), "Ethernet1/0", "");
        NS_TEST_EXPECT_MSG_EQ(IosConfig::NormalizeInterfaceName("ethernet0"), "Ethernet0", "");
        NS_TEST_EXPECT_MSG_EQ(IosConfig::NormalizeInterfaceName("s0/0"), "Serial0/0", "");
        NS_TEST_EXPECT_MSG_EQ(IosConfig::NormalizeInterfaceName("Tu0"), "Tunnel0", "");
        // "t" could be Tunnel or TenGigabitEthernet, so it stays as written.
        NS_TEST_EXPECT_MSG_EQ(IosConfig::NormalizeInterfaceName("t0"), "t0", "ambiguous");
        NS_TEST_EXPECT_MSG_EQ(IosConfig::NormalizeInterfaceName("Wlan0"), "Wlan0", "unknown");
    }
};

/**
 * \ingroup ipsec
 * Tests of the IOS configuration parser and loader.
 */
class IpsecIosConfigTestSuite : public TestSuite
{
  public:
    IpsecIosConfigTestSuite()
        : TestSuite("ipsec-ios-config", UNIT)
    {
        AddTestCase(new IosConfigGuideExamplesTestCase, TestCase::QUICK);
        AddTestCase(new IosConfigBadLinesTestCase, TestCase::QUICK);
        AddTestCase(new IosConfigInterfaceNameTestCase, TestCase::QUICK);
        AddTestCase(new IosConfigApplyGuideRoutersTestCase, TestCase::QUICK);
        AddTestCase(new IosConfigApplyErrorsTestCase, TestCase::QUICK);
        AddTestCase(new IosConfigApplyIkeTestCase, TestCase::QUICK);
        AddTestCase(new IosConfigManualTunnelTestCase, TestCase::QUICK);
        AddTestCase(new IosConfigApplyServicePolicyTestCase, TestCase::QUICK);
        AddTestCase(new IosConfigFuzzTestCase, TestCase::QUICK);
    }
};

/// The suite's registration.
static IpsecIosConfigTestSuite g_ipsecIosConfigTestSuite;
