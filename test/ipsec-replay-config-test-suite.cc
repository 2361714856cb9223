// Copyright (c) 2026 The ns3-ipsec authors
// SPDX-License-Identifier: GPL-2.0-only

// Tests of the anti-replay configuration and of the sequence numbers around it: IOS
// precedence (crypto map entry, then global, then 64), the size-plus-disable conflict,
// settings that apply only to SAs created afterwards, sender exhaustion, sequence-number
// spaces, traffic classes, the reordering histogram, and extended sequence numbers across
// 2^32 in a running tunnel.

#include "ns3/applications-module.h"
#include "ns3/core-module.h"
#include "ns3/internet-module.h"
#include "ns3/ipsec-module.h"
#include "ns3/network-module.h"
#include "ns3/point-to-point-module.h"
#include "ns3/test.h"

#include <limits>
#include <sstream>
#include <string>
#include <vector>

using namespace ns3;

namespace
{

/// Transform set used by the unit cases.
const char* const TRANSFORMS = "esp-aes esp-sha-hmac";

/// \return a key of the given length whose bytes count up from first
std::vector<uint8_t>
CountingKey(uint32_t length, uint8_t first)
{
    std::vector<uint8_t> key(length);
    for (uint32_t i = 0; i < length; ++i)
    {
        key[i] = static_cast<uint8_t>(first + i);
    }
    return key;
}

/**
 * Creates an SA through a stack, as manual keying and IKE do, so the stack's replay
 * settings and the entry's overrides apply.
 * \param stack the stack
 * \param direction inbound or outbound
 * \param entry the crypto map entry, or nullptr
 * \return the SA
 */
Ptr<IpsecSecurityAssociation>
MakeSa(Ptr<IpsecStack> stack, IpsecDirection direction, Ptr<CryptoMapEntry> entry)
{
    IpsecTransformSet set = IpsecTransformSet::FromString("test", TRANSFORMS);
    auto cryptoMap = Create<CryptoMap>("test-map");
    return stack->CreateSa(direction,
                           IpsecProtocol::ESP,
                           0x1000,
                           set,
                           CountingKey(set.GetEspEncryptionKeyLength(), 1),
                           CountingKey(set.GetEspIntegrityKeyLength(), 101),
                           Ipv4Address("192.0.2.1"),
                           Ipv4Address("192.0.2.2"),
                           cryptoMap,
                           entry);
}

/// \return an IPv4 packet (UDP payload behind a header) from 10.1.1.2 to 10.2.2.2
Ptr<Packet>
MakeInnerPacket(uint8_t tos)
{
    Ptr<Packet> packet = Create<Packet>(100);
    Ipv4Header header;
    header.SetSource(Ipv4Address("10.1.1.2"));
    header.SetDestination(Ipv4Address("10.2.2.2"));
    header.SetProtocol(17);
    header.SetPayloadSize(100);
    header.SetTtl(64);
    header.SetTos(tos);
    packet->AddHeader(header);
    return packet;
}

} // namespace

/**
 * \ingroup ipsec
 * The replay window of a new SA follows IOS precedence: entry, then global, then 64.
 */
class IpsecReplayPrecedenceTestCase : public TestCase
{
  public:
    IpsecReplayPrecedenceTestCase()
        : TestCase("replay precedence entry global default")
    {
    }

  private:
    void DoRun() override
    {
        // Nothing configured: 64 packets, checking on.
        auto stack = CreateObject<IpsecStack>();
        Ptr<IpsecSecurityAssociation> sa = MakeSa(stack, IpsecDirection::INBOUND, nullptr);
        NS_TEST_EXPECT_MSG_EQ(sa->GetReplayWindow().GetSize(), 64, "IOS default size");
        NS_TEST_EXPECT_MSG_EQ(sa->GetReplayWindow().IsEnabled(), true, "checking on by default");

        // Global size, no entry setting.
        NS_TEST_EXPECT_MSG_EQ(stack->SetGlobalReplayWindowSize(1024), "", "global size accepted");
        auto plainEntry = Create<CryptoMapEntry>(10, CryptoMapEntry::KeyManagement::MANUAL);
        sa = MakeSa(stack, IpsecDirection::INBOUND, plainEntry);
        NS_TEST_EXPECT_MSG_EQ(sa->GetReplayWindow().GetSize(), 1024, "global size applies");

        // The entry's size wins over the global one.
        auto sizedEntry = Create<CryptoMapEntry>(20, CryptoMapEntry::KeyManagement::MANUAL);
        sizedEntry->SetReplayWindowSize(128);
        sa = MakeSa(stack, IpsecDirection::INBOUND, sizedEntry);
        NS_TEST_EXPECT_MSG_EQ(sa->GetReplayWindow().GetSize(), 128, "entry size wins");

        // The entry's disable wins over the global size.
        auto disabledEntry = Create<CryptoMapEntry>(30, CryptoMapEntry::KeyManagement::MANUAL);
        disabledEntry->SetReplayDisable();
        sa = MakeSa(stack, IpsecDirection::INBOUND, disabledEntry);
        NS_TEST_EXPECT_MSG_EQ(sa->GetReplayWindow().IsEnabled(), false, "entry disable wins");

        // Global disable, and an entry size that overrides it.
        auto disabledStack = CreateObject<IpsecStack>();
        NS_TEST_EXPECT_MSG_EQ(disabledStack->SetGlobalReplayDisable(), "", "global disable");
        sa = MakeSa(disabledStack, IpsecDirection::INBOUND, plainEntry);
        NS_TEST_EXPECT_MSG_EQ(sa->GetReplayWindow().IsEnabled(), false, "global disable applies");
        sa = MakeSa(disabledStack, IpsecDirection::INBOUND, sizedEntry);
        NS_TEST_EXPECT_MSG_EQ(sa->GetReplayWindow().IsEnabled(), true, "entry size wins");
        NS_TEST_EXPECT_MSG_EQ(sa->GetReplayWindow().GetSize(), 128, "entry size value");
    }
};

/**
 * \ingroup ipsec
 * A window size and disable on the same scope are rejected, and the rejected setting
 * changes nothing.
 */
class IpsecReplayConflictTestCase : public TestCase
{
  public:
    IpsecReplayConflictTestCase()
        : TestCase("replay size and disable conflict")
    {
    }

  private:
    void DoRun() override
    {
        // Global scope, size first.
        auto stack = CreateObject<IpsecStack>();
        NS_TEST_EXPECT_MSG_EQ(stack->SetGlobalReplayWindowSize(256), "", "size accepted");
        std::string problem = stack->SetGlobalReplayDisable();
        NS_TEST_EXPECT_MSG_NE(problem, "", "disable after size rejected");
        NS_TEST_EXPECT_MSG_NE(problem.find("configure only one"), std::string::npos, problem);
        Ptr<IpsecSecurityAssociation> sa = MakeSa(stack, IpsecDirection::INBOUND, nullptr);
        NS_TEST_EXPECT_MSG_EQ(sa->GetReplayWindow().IsEnabled(), true, "disable not applied");
        NS_TEST_EXPECT_MSG_EQ(sa->GetReplayWindow().GetSize(), 256, "size kept");

        // Global scope, disable first.
        auto other = CreateObject<IpsecStack>();
        NS_TEST_EXPECT_MSG_EQ(other->SetGlobalReplayDisable(), "", "disable accepted");
        NS_TEST_EXPECT_MSG_NE(other->SetGlobalReplayWindowSize(512), "", "size rejected");
        sa = MakeSa(other, IpsecDirection::INBOUND, nullptr);
        NS_TEST_EXPECT_MSG_EQ(sa->GetReplayWindow().IsEnabled(), false, "still disabled");

        // Out-of-range sizes.
        NS_TEST_EXPECT_MSG_NE(CreateObject<IpsecStack>()->SetGlobalReplayWindowSize(0),
                              "",
                              "size 0 rejected");

        // Entry scope: Validate names the conflict.
        auto entry = Create<CryptoMapEntry>(10, CryptoMapEntry::KeyManagement::MANUAL);
        entry->AddPeer(Ipv4Address("192.0.2.2"));
        auto list = Create<Ipv4AccessList>("101");
        list->Add("permit ip any any");
        entry->SetAccessList(list);
        entry->AddTransformSet(IpsecTransformSet::FromString("test", TRANSFORMS));
        entry->SetReplayWindowSize(128);
        entry->SetReplayDisable();
        problem = entry->Validate();
        NS_TEST_EXPECT_MSG_NE(problem.find("replay window-size and replay disable"),
                              std::string::npos,
                              problem);
    }
};

/**
 * \ingroup ipsec
 * Changing the settings affects SAs created afterwards, never existing ones; the
 * attributes set the global scope too.
 */
class IpsecReplayLaterSasTestCase : public TestCase
{
  public:
    IpsecReplayLaterSasTestCase()
        : TestCase("replay settings apply to later SAs")
    {
    }

  private:
    void DoRun() override
    {
        auto stack = CreateObject<IpsecStack>();
        Ptr<IpsecSecurityAssociation> before = MakeSa(stack, IpsecDirection::INBOUND, nullptr);
        stack->SetGlobalReplayWindowSize(4096);
        Ptr<IpsecSecurityAssociation> after = MakeSa(stack, IpsecDirection::INBOUND, nullptr);
        NS_TEST_EXPECT_MSG_EQ(before->GetReplayWindow().GetSize(), 64, "existing SA unchanged");
        NS_TEST_EXPECT_MSG_EQ(after->GetReplayWindow().GetSize(), 4096, "new SA changed");

        // The attributes: 0 keeps the default, a size sets the global scope.
        auto attributed =
            CreateObjectWithAttributes<IpsecStack>("ReplayWindowSize", UintegerValue(256));
        Ptr<IpsecSecurityAssociation> sa = MakeSa(attributed, IpsecDirection::INBOUND, nullptr);
        NS_TEST_EXPECT_MSG_EQ(sa->GetReplayWindow().GetSize(), 256, "ReplayWindowSize attribute");
        auto disabled = CreateObjectWithAttributes<IpsecStack>("ReplayDisable", BooleanValue(true));
        sa = MakeSa(disabled, IpsecDirection::INBOUND, nullptr);
        NS_TEST_EXPECT_MSG_EQ(sa->GetReplayWindow().IsEnabled(), false, "ReplayDisable attribute");
    }
};

/**
 * \ingroup ipsec
 * The sender numbers from 1, stops at 2^32 - 1 without ESN (the packet is dropped and
 * counted as a send error) and goes on past it with ESN.
 */
class IpsecSequenceExhaustionTestCase : public TestCase
{
  public:
    IpsecSequenceExhaustionTestCase()
        : TestCase("sender sequence exhaustion")
    {
    }

  private:
    void DoRun() override
    {
        auto stack = CreateObject<IpsecStack>();
        Ptr<IpsecSecurityAssociation> sa = MakeSa(stack, IpsecDirection::OUTBOUND, nullptr);
        NS_TEST_EXPECT_MSG_EQ(sa->NextSequenceNumber(), 1, "numbers start at 1");
        NS_TEST_EXPECT_MSG_EQ(sa->NextSequenceNumber(), 2, "then count up");

        // Two numbers left before the 32-bit counter would cycle.
        sa->SetLastSequenceNumber(0xfffffffdu);
        auto bundle = Create<IpsecSaBundle>();
        bundle->esp = sa;
        Ipv4Header outer;
        NS_TEST_EXPECT_MSG_NE(stack->Protect(bundle, MakeInnerPacket(0), outer), nullptr, "2^32-2");
        NS_TEST_EXPECT_MSG_NE(stack->Protect(bundle, MakeInnerPacket(0), outer), nullptr, "2^32-1");
        NS_TEST_EXPECT_MSG_EQ(stack->Protect(bundle, MakeInnerPacket(0), outer), nullptr, "cycle");
        NS_TEST_EXPECT_MSG_EQ(stack->GetDropCount(IpsecDropReason::SEQUENCE_EXHAUSTED),
                              1,
                              "exhaustion counted");
        NS_TEST_EXPECT_MSG_EQ(sa->GetCounters().sendErrors, 1, "send error counted");
        NS_TEST_EXPECT_MSG_EQ(sa->GetCounters().encaps, 2, "two packets protected");

        // With ESN the counter goes on into the high half.
        Ptr<IpsecSecurityAssociation> extended = MakeSa(stack, IpsecDirection::OUTBOUND, nullptr);
        extended->SetExtendedSequenceNumbers(true);
        extended->SetLastSequenceNumber(0xffffffffu);
        NS_TEST_EXPECT_MSG_EQ(extended->NextSequenceNumber(), 0x100000000ULL, "ESN past 2^32");
    }
};

/**
 * \ingroup ipsec
 * Sequence-number spaces: the class index sits in the top bits, each space counts from 1
 * and exhausts on its own, and each has its own window.
 */
class IpsecSequenceSpacesTestCase : public TestCase
{
  public:
    IpsecSequenceSpacesTestCase()
        : TestCase("sequence-number spaces")
    {
    }

  private:
    void DoRun() override
    {
        auto stack = CreateObject<IpsecStack>();
        Ptr<IpsecSecurityAssociation> sender = MakeSa(stack, IpsecDirection::OUTBOUND, nullptr);
        sender->SetSequenceSpaces(2);
        NS_TEST_EXPECT_MSG_EQ(sender->NextSequenceNumber(0), 1, "space 0 starts at 1");
        NS_TEST_EXPECT_MSG_EQ(sender->NextSequenceNumber(1), 0x80000001u, "space 1 top bit");
        NS_TEST_EXPECT_MSG_EQ(sender->NextSequenceNumber(1), 0x80000002u, "space 1 counts");
        NS_TEST_EXPECT_MSG_EQ(sender->GetSequenceSpace(0x80000002u), 1, "space read back");
        NS_TEST_EXPECT_MSG_EQ(sender->GetSequenceSpace(2), 0, "space 0 read back");

        // Each space has 2^31 - 1 numbers.
        sender->SetLastSequenceNumber(0x7ffffffeu, 0);
        NS_TEST_EXPECT_MSG_EQ(sender->NextSequenceNumber(0), 0x7fffffffu, "last of space 0");
        NS_TEST_EXPECT_MSG_EQ(sender->NextSequenceNumber(0), 0, "space 0 exhausted");
        NS_TEST_EXPECT_MSG_EQ(sender->NextSequenceNumber(1), 0x80000003u, "space 1 goes on");

        // Three spaces take two bits.
        Ptr<IpsecSecurityAssociation> three = MakeSa(stack, IpsecDirection::OUTBOUND, nullptr);
        three->SetSequenceSpaces(3);
        NS_TEST_EXPECT_MSG_EQ(three->NextSequenceNumber(2), 0x80000001u, "space 2 of 3");
        NS_TEST_EXPECT_MSG_EQ(three->NextSequenceNumber(1), 0x40000001u, "space 1 of 3");

        // Receiver windows are independent: space 1 far ahead does not age space 0.
        Ptr<IpsecSecurityAssociation> receiver = MakeSa(stack, IpsecDirection::INBOUND, nullptr);
        receiver->SetSequenceSpaces(2);
        receiver->AcceptSequenceNumber(0x80000000u + 500, 1);
        NS_TEST_EXPECT_MSG_EQ(receiver->GetReplayWindow(1).GetTop(), 0x80000000u + 500, "top 1");
        NS_TEST_EXPECT_MSG_EQ(receiver->GetReplayWindow(0).GetTop(), 0, "top 0 untouched");
        NS_TEST_EXPECT_MSG_EQ(static_cast<int>(receiver->GetReplayWindow(0).Check(1)),
                              static_cast<int>(AntiReplayWindow::Verdict::NEW),
                              "space 0 accepts its first packet");
        NS_TEST_EXPECT_MSG_EQ(receiver->GetReplayWindow(0).GetSize(), 64, "spaces share the size");
    }
};

/**
 * \ingroup ipsec
 * Traffic classes on a crypto map entry: DSCP mapping, rejected groups leave the entry
 * unchanged, per-class keys are required, and spaces exclude ESN.
 */
class IpsecTrafficClassesTestCase : public TestCase
{
  public:
    IpsecTrafficClassesTestCase()
        : TestCase("traffic classes on an entry")
    {
    }

  private:
    void DoRun() override
    {
        auto entry = Create<CryptoMapEntry>(10, CryptoMapEntry::KeyManagement::MANUAL);
        NS_TEST_EXPECT_MSG_EQ(entry->GetTrafficClassCount(), 1, "one class by default");
        NS_TEST_EXPECT_MSG_EQ(entry->GetTrafficClass(46), 0, "everything in class 0");

        // EF and CS5 in class 0, AF41 in class 1, the rest in the default class 2.
        using Mode = CryptoMapEntry::TrafficClassMode;
        NS_TEST_EXPECT_MSG_EQ(entry->SetTrafficClasses({{46, 40}, {34}}, Mode::SEPARATE_SAS),
                              "",
                              "groups accepted");
        NS_TEST_EXPECT_MSG_EQ(entry->GetTrafficClassCount(), 3, "two groups and the default");
        NS_TEST_EXPECT_MSG_EQ(entry->GetTrafficClass(46), 0, "EF");
        NS_TEST_EXPECT_MSG_EQ(entry->GetTrafficClass(40), 0, "CS5");
        NS_TEST_EXPECT_MSG_EQ(entry->GetTrafficClass(34), 1, "AF41");
        NS_TEST_EXPECT_MSG_EQ(entry->GetTrafficClass(0), 2, "best effort");

        // Invalid groups are rejected and change nothing.
        NS_TEST_EXPECT_MSG_NE(entry->SetTrafficClasses({{64}}, Mode::SEPARATE_SAS), "", "DSCP 64");
        NS_TEST_EXPECT_MSG_NE(entry->SetTrafficClasses({{10}, {10}}, Mode::SEPARATE_SAS),
                              "",
                              "DSCP in two groups");
        std::vector<std::vector<uint8_t>> tooMany(CryptoMapEntry::MAX_TRAFFIC_CLASSES);
        for (uint32_t i = 0; i < tooMany.size(); ++i)
        {
            tooMany[i] = {static_cast<uint8_t>(i)};
        }
        NS_TEST_EXPECT_MSG_NE(entry->SetTrafficClasses(tooMany, Mode::SEPARATE_SAS), "", "count");
        NS_TEST_EXPECT_MSG_EQ(entry->GetTrafficClassCount(), 3, "unchanged after errors");
        NS_TEST_EXPECT_MSG_EQ(entry->GetTrafficClass(34), 1, "mapping unchanged");

        // Manual keying needs keys for every class of its own.
        IpsecTransformSet set = IpsecTransformSet::FromString("test", TRANSFORMS);
        entry->AddPeer(Ipv4Address("192.0.2.2"));
        auto list = Create<Ipv4AccessList>("101");
        list->Add("permit ip any any");
        entry->SetAccessList(list);
        entry->AddTransformSet(set);
        IpsecManualKey key;
        key.encryptionKey = CountingKey(set.GetEspEncryptionKeyLength(), 1);
        key.integrityKey = CountingKey(set.GetEspIntegrityKeyLength(), 50);
        for (uint32_t trafficClass = 0; trafficClass < 2; ++trafficClass)
        {
            for (auto direction : {IpsecDirection::INBOUND, IpsecDirection::OUTBOUND})
            {
                key.spi = 1000 + trafficClass * 10 + (direction == IpsecDirection::INBOUND);
                entry->SetSessionKey(direction, IpsecProtocol::ESP, key, trafficClass);
            }
        }
        std::string problem = entry->Validate();
        NS_TEST_EXPECT_MSG_NE(problem.find("traffic class 2"), std::string::npos, problem);

        // One SA with spaces needs only class 0's keys, but cannot use ESN.
        entry->SetTrafficClasses({{46, 40}, {34}}, Mode::SEQUENCE_SPACES);
        NS_TEST_EXPECT_MSG_EQ(entry->Validate(), "", "spaces need one set of keys");
        entry->SetExtendedSequenceNumbers(true);
        problem = entry->Validate();
        NS_TEST_EXPECT_MSG_NE(problem.find("extended sequence numbers"),
                              std::string::npos,
                              problem);
    }
};

/**
 * \ingroup ipsec
 * The reordering histogram: bins, the largest depth and the smallest window without drops.
 */
class IpsecReorderingHistogramTestCase : public TestCase
{
  public:
    IpsecReorderingHistogramTestCase()
        : TestCase("reordering histogram depths")
    {
    }

  private:
    void DoRun() override
    {
        NS_TEST_EXPECT_MSG_EQ(ReorderingHistogram::GetBin(0), 0, "depth 0");
        NS_TEST_EXPECT_MSG_EQ(ReorderingHistogram::GetBin(1), 1, "depth 1");
        NS_TEST_EXPECT_MSG_EQ(ReorderingHistogram::GetBin(2), 2, "depth 2");
        NS_TEST_EXPECT_MSG_EQ(ReorderingHistogram::GetBin(3), 2, "depth 3");
        NS_TEST_EXPECT_MSG_EQ(ReorderingHistogram::GetBin(64), 7, "depth 64");
        NS_TEST_EXPECT_MSG_EQ(ReorderingHistogram::GetBinLowerBound(7), 64, "bin 7 starts at 64");

        // Accepted 1..10 in order, then 5 late (depth 5), then 3 twice (depth 7, then a duplicate).
        auto stack = CreateObject<IpsecStack>();
        Ptr<IpsecSecurityAssociation> sa = MakeSa(stack, IpsecDirection::INBOUND, nullptr);
        for (uint64_t sequence = 1; sequence <= 10; ++sequence)
        {
            if (sequence != 5 && sequence != 3)
            {
                sa->AcceptSequenceNumber(sequence, 0);
            }
        }
        sa->AcceptSequenceNumber(5, 0);
        sa->AcceptSequenceNumber(3, 0);
        sa->RecordReplayDrop(3, 0, true);

        const ReorderingHistogram& histogram = sa->GetReorderingHistogram();
        NS_TEST_EXPECT_MSG_EQ(histogram.GetCount(), 11, "10 accepted and one duplicate");
        NS_TEST_EXPECT_MSG_EQ(histogram.GetDuplicateCount(), 1, "one duplicate");
        NS_TEST_EXPECT_MSG_EQ(histogram.GetBins()[0], 8, "in-order packets at depth 0");
        NS_TEST_EXPECT_MSG_EQ(histogram.GetBins()[3], 3, "depths 5, 7 and the duplicate's 7");
        NS_TEST_EXPECT_MSG_EQ(histogram.GetMaxDepth(), 7, "duplicates do not count");
        NS_TEST_EXPECT_MSG_EQ(histogram.GetMinimumWindow(), 8, "a window of 8 drops nothing");
    }
};

/**
 * \ingroup ipsec
 * A running tunnel with ESN goes across sequence number 2^32 without loss; without ESN the
 * sender stops at 2^32 - 1.
 */
class IpsecEsnAcrossWrapTestCase : public TestCase
{
  public:
    /**
     * \param extended true for ESN
     */
    explicit IpsecEsnAcrossWrapTestCase(bool extended)
        : TestCase(extended ? "esn tunnel across 2^32" : "32-bit tunnel stops at 2^32"),
          m_extended(extended),
          m_received(0)
    {
    }

  private:
    void DoRun() override
    {
        RngSeedManager::SetSeed(1);
        RngSeedManager::SetRun(1);
        NodeContainer nodes;
        nodes.Create(2);
        PointToPointHelper link;
        link.SetDeviceAttribute("DataRate", StringValue("10Mbps"));
        link.SetChannelAttribute("Delay", StringValue("5ms"));
        NetDeviceContainer lower = link.Install(nodes);
        InternetStackHelper internet;
        internet.Install(nodes);

        IpsecHelper ipsec;
        ipsec.AssignStreams(1);
        ipsec.SetTunnelExtendedSequenceNumbers(m_extended);
        NetDeviceContainer wan = ipsec.InstallDevices(lower);
        Ipv4AddressHelper address;
        address.SetBase("192.0.2.0", "255.255.255.252");
        address.Assign(wan);
        ipsec.CreateManualTunnel(wan.Get(0),
                                 wan.Get(1),
                                 "permit udp host 192.0.2.1 host 192.0.2.2",
                                 TRANSFORMS,
                                 IpsecMode::TRANSPORT);

        // Both ends start as if 2^32 - 5 packets had already passed.
        Ptr<IpsecStack> sender = nodes.Get(0)->GetObject<IpsecStack>();
        Ptr<IpsecStack> receiver = nodes.Get(1)->GetObject<IpsecStack>();
        Ptr<IpsecSecurityAssociation> outbound = sender->GetSadb()->GetOutboundSas().front();
        Ptr<IpsecSecurityAssociation> inbound = receiver->GetSadb()->GetInboundSas().front();
        const uint64_t start = 0xfffffffbULL;
        outbound->SetLastSequenceNumber(start);
        inbound->AcceptSequenceNumber(start, 0);

        Ptr<Socket> sink = Socket::CreateSocket(nodes.Get(1), UdpSocketFactory::GetTypeId());
        sink->Bind(InetSocketAddress(Ipv4Address::GetAny(), 9));
        sink->SetRecvCallback(MakeCallback(&IpsecEsnAcrossWrapTestCase::Receive, this));
        Ptr<Socket> source = Socket::CreateSocket(nodes.Get(0), UdpSocketFactory::GetTypeId());
        for (uint32_t i = 0; i < 10; ++i)
        {
            Simulator::Schedule(MilliSeconds(100 + 10 * i), [source]() {
                source->SendTo(Create<Packet>(64), 0, InetSocketAddress("192.0.2.2", 9));
            });
        }
        Simulator::Run();

        // Numbers 2^32-4 .. 2^32-1 fit in 32 bits; with ESN 2^32 .. 2^32+5 follow.
        if (m_extended)
        {
            NS_TEST_EXPECT_MSG_EQ(m_received, 10, "all ten delivered across 2^32");
            NS_TEST_EXPECT_MSG_EQ(inbound->GetReplayWindow().GetTop(), start + 10, "window top");
            NS_TEST_EXPECT_MSG_EQ(inbound->GetCounters().recvErrors, 0, "no receive errors");
        }
        else
        {
            NS_TEST_EXPECT_MSG_EQ(m_received, 4, "only the numbers below 2^32");
            NS_TEST_EXPECT_MSG_EQ(sender->GetDropCount(IpsecDropReason::SEQUENCE_EXHAUSTED),
                                  6,
                                  "the rest dropped at the sender");
            NS_TEST_EXPECT_MSG_EQ(inbound->GetReplayWindow().GetTop(), 0xffffffffULL, "top");
        }
        // `show crypto ipsec sa` reports replay detection and the receiving window.
        std::ostringstream show;
        receiver->ShowCryptoIpsecSa(show);
        NS_TEST_EXPECT_MSG_NE(show.str().find("replay detection support: Y"),
                              std::string::npos,
                              show.str());
        NS_TEST_EXPECT_MSG_NE(show.str().find("replay window size: 64"),
                              std::string::npos,
                              show.str());
        NS_TEST_EXPECT_MSG_NE(show.str().find("path mtu 1500, media mtu 1500"),
                              std::string::npos,
                              show.str());

        sink->Close();
        source->Close();
        Simulator::Destroy();
    }

    /// Counts packets delivered to the receiving socket.
    void Receive(Ptr<Socket> socket)
    {
        while (socket->Recv())
        {
            ++m_received;
        }
    }

    bool m_extended;     //!< ESN on the tunnel
    uint32_t m_received; //!< packets delivered
};

/**
 * \ingroup ipsec
 * Anti-replay configuration and sequence-number tests.
 */
class IpsecReplayConfigTestSuite : public TestSuite
{
  public:
    IpsecReplayConfigTestSuite()
        : TestSuite("ipsec-replay-config", UNIT)
    {
        AddTestCase(new IpsecReplayPrecedenceTestCase, TestCase::QUICK);
        AddTestCase(new IpsecReplayConflictTestCase, TestCase::QUICK);
        AddTestCase(new IpsecReplayLaterSasTestCase, TestCase::QUICK);
        AddTestCase(new IpsecSequenceExhaustionTestCase, TestCase::QUICK);
        AddTestCase(new IpsecSequenceSpacesTestCase, TestCase::QUICK);
        AddTestCase(new IpsecTrafficClassesTestCase, TestCase::QUICK);
        AddTestCase(new IpsecReorderingHistogramTestCase, TestCase::QUICK);
        AddTestCase(new IpsecEsnAcrossWrapTestCase(true), TestCase::QUICK);
        AddTestCase(new IpsecEsnAcrossWrapTestCase(false), TestCase::QUICK);
    }
};

/// Registers the suite.
static IpsecReplayConfigTestSuite g_ipsecReplayConfigTestSuite;
