// Copyright (c) 2026 The ns3-ipsec authors
// SPDX-License-Identifier: GPL-2.0-only

// End-to-end tests of the IPsec data path in a two-site network: delivery and wire sizes
// for every transform, tampering, inbound policy, transport mode, fragmentation after
// encryption, invalid SPIs and their log line, determinism and `show crypto ipsec sa`.
//
// Every case builds this network (the addresses are fixed, so expected log lines and sizes
// can be written out):
//
// clang-format off
//
//   host A              gateway A                     gateway B              host B
//   10.1.1.2 ---------- 10.1.1.1 | 192.0.2.1 ====== 192.0.2.2 | 10.2.2.1 ---------- 10.2.2.2
//            100 Mb/s, 1 ms      IpsecNetDevice  10 Mb/s, 5 ms  IpsecNetDevice   100 Mb/s, 1 ms
//
// clang-format on
//
// Sizes used throughout (UDP payload p gives an inner IPv4 packet of p + 28 bytes):
//  - ESP overhead = 8 (SPI, sequence) + IV + padding + 2 (pad length, next header) + ICV,
//    where the padded payload is a multiple of 16 for AES-CBC and of 4 otherwise;
//  - AH overhead = 12 + ICV (24 with SHA-1-96, 28 with SHA-256-128);
//  - a point-to-point frame is the IPv4 packet plus a 2-byte PPP header.

#include "ipsec-test-network.h"

#include "ns3/applications-module.h"
#include "ns3/core-module.h"
#include "ns3/internet-module.h"
#include "ns3/ipsec-module.h"
#include "ns3/network-module.h"
#include "ns3/point-to-point-module.h"
#include "ns3/test.h"

#include <cstdio>
#include <map>
#include <sstream>
#include <string>
#include <utility>
#include <vector>

using namespace ns3;
using namespace ns3::ipsectest;

namespace
{

/**
 * Builds a manually keyed ESP crypto map entry by hand, as `crypto map NAME SEQ ipsec-manual`.
 * \param sequence the entry sequence number
 * \param accessListLines the `match address` lines, from this gateway's point of view
 * \param peer the peer's WAN address
 * \param transforms the ESP transform list
 * \param outboundSpi the SPI this gateway sends with
 * \param inboundSpi the SPI this gateway receives with
 * \param outboundKeyStart first byte of the outbound keys
 * \param inboundKeyStart first byte of the inbound keys
 * \return the entry
 */
Ptr<CryptoMapEntry>
MakeEspEntry(uint32_t sequence,
             const std::vector<std::string>& accessListLines,
             Ipv4Address peer,
             const std::string& transforms,
             uint32_t outboundSpi,
             uint32_t inboundSpi,
             uint8_t outboundKeyStart,
             uint8_t inboundKeyStart)
{
    IpsecTransformSet set = IpsecTransformSet::FromString("TS", transforms);
    auto accessList = Create<Ipv4AccessList>(std::to_string(100 + sequence));
    for (const auto& line : accessListLines)
    {
        accessList->Add(line);
    }
    auto entry = Create<CryptoMapEntry>(sequence, CryptoMapEntry::KeyManagement::MANUAL);
    entry->SetAccessList(accessList);
    entry->AddPeer(peer);
    entry->AddTransformSet(set);

    IpsecManualKey outbound;
    outbound.spi = outboundSpi;
    outbound.encryptionKey = MakeKey(set.GetEspEncryptionKeyLength(), outboundKeyStart);
    outbound.integrityKey = MakeKey(set.GetEspIntegrityKeyLength(), outboundKeyStart + 64);
    entry->SetSessionKey(IpsecDirection::OUTBOUND, IpsecProtocol::ESP, outbound);
    IpsecManualKey inbound;
    inbound.spi = inboundSpi;
    inbound.encryptionKey = MakeKey(set.GetEspEncryptionKeyLength(), inboundKeyStart);
    inbound.integrityKey = MakeKey(set.GetEspIntegrityKeyLength(), inboundKeyStart + 64);
    entry->SetSessionKey(IpsecDirection::INBOUND, IpsecProtocol::ESP, inbound);
    return entry;
}

/**
 * \ingroup ipsec
 * A receive error model that flips one bit of every IPsec packet instead of dropping it:
 * for the k-th ESP or AH packet it flips bit (k mod 8) of byte k after the outer IPv4
 * header, and the packet goes on up the stack.
 */
class IpsecTamperErrorModel : public ErrorModel
{
  public:
    /**
     * \brief Get the type ID.
     * \return the object TypeId
     */
    static TypeId GetTypeId()
    {
        static TypeId tid = TypeId("ns3::IpsecTamperErrorModel")
                                .SetParent<ErrorModel>()
                                .SetGroupName("Ipsec")
                                .AddConstructor<IpsecTamperErrorModel>();
        return tid;
    }

    /// \return the number of packets modified
    uint32_t GetTamperedCount() const
    {
        return m_count;
    }

  private:
    bool DoCorrupt(Ptr<Packet> packet) override
    {
        // The packet still has its PPP header; the outer IPv4 protocol is at byte 2 + 9.
        std::vector<uint8_t> bytes = PacketBytes(packet);
        uint32_t ipsecStart = PPP_HEADER_SIZE + IPV4_HEADER_SIZE;
        if (bytes.size() <= ipsecStart ||
            (bytes[PPP_HEADER_SIZE + 9] != 50 && bytes[PPP_HEADER_SIZE + 9] != 51))
        {
            return false;
        }
        uint32_t k = m_count++;
        if (ipsecStart + k >= bytes.size())
        {
            return false;
        }
        bytes[ipsecStart + k] ^= static_cast<uint8_t>(1u << (k % 8));

        // The packet is changed in place: the receiving device keeps this Ptr.
        packet->RemoveAtEnd(packet->GetSize());
        packet->AddAtEnd(Create<Packet>(bytes.data(), bytes.size()));
        return false;
    }

    void DoReset() override
    {
        m_count = 0;
    }

    uint32_t m_count{0}; //!< IPsec packets seen so far
};

/// Drop reasons an inbound packet can get on the receiving gateway.
const IpsecDropReason INBOUND_REASONS[] = {IpsecDropReason::INVALID_SPI,
                                           IpsecDropReason::MALFORMED,
                                           IpsecDropReason::REPLAY_DUPLICATE,
                                           IpsecDropReason::REPLAY_TOO_OLD,
                                           IpsecDropReason::AUTHENTICATION_FAILED,
                                           IpsecDropReason::POLICY_MISMATCH,
                                           IpsecDropReason::UNPROTECTED};

} // namespace

/**
 * \ingroup ipsec
 * UDP packets of many sizes cross the tunnel for one transform set, with real and with
 * modelled crypto: all arrive intact, the SA counters are exact, and every outer packet has
 * the size IpsecTransformSet::GetEncapsulatedSize predicts. Both modes must give the same
 * sizes and counters.
 */
class IpsecDeliveryTestCase : public TestCase
{
  public:
    /**
     * \param transforms the transform list
     * \param sizeFor100 the outer packet size for a 100-byte UDP payload, computed by hand
     */
    IpsecDeliveryTestCase(const std::string& transforms, uint32_t sizeFor100)
        : TestCase("delivery " + transforms),
          m_transforms(transforms),
          m_sizeFor100(sizeFor100)
    {
    }

  private:
    /// What one run measured.
    struct Outcome
    {
        std::vector<uint32_t> outerSizes; //!< outer IPv4 packet sizes on the WAN
        IpsecSaCounters espOut;           //!< counters of A's outbound ESP SA
        IpsecSaCounters espIn;            //!< counters of B's inbound ESP SA
        IpsecSaCounters ahOut;            //!< counters of A's outbound AH SA
        IpsecSaCounters ahIn;             //!< counters of B's inbound AH SA
    };

    /**
     * Runs the scenario once.
     * \param modelled true for modelled crypto
     * \param[out] outcome what it measured
     */
    void RunOnce(bool modelled, Outcome& outcome)
    {
        std::string mode = modelled ? " (modelled)" : " (real)";
        TwoSiteNetwork net(modelled);
        net.ipsec.CreateManualTunnel(net.wan.Get(0),
                                     net.wan.Get(1),
                                     TwoSiteNetwork::LAN_TO_LAN,
                                     m_transforms);
        net.Listen(net.hostB, 9);
        for (uint32_t i = 0; i < m_payloadSizes.size(); ++i)
        {
            net.SendUdp(net.hostA,
                        5000,
                        TwoSiteNetwork::HOST_B,
                        9,
                        MakePayload(i, m_payloadSizes[i]),
                        Seconds(1) + MilliSeconds(10 * i));
        }
        Simulator::Run();

        uint32_t n = m_payloadSizes.size();
        const auto& got = net.Received(net.hostB, 9);
        NS_TEST_EXPECT_MSG_EQ(got.size(), n, "packets delivered to host B" << mode);
        for (uint32_t i = 0; i < got.size() && i < n; ++i)
        {
            NS_TEST_EXPECT_MSG_EQ((got[i] == MakePayload(i, m_payloadSizes[i])),
                                  true,
                                  "payload " << i << " intact" << mode);
        }

        // Every protected packet is one frame, as no outer packet exceeds 1500 bytes.
        IpsecTransformSet set = IpsecTransformSet::FromString("TS", m_transforms);
        uint8_t outerProtocol = set.HasAh() ? 51 : 50;
        auto frames = TwoSiteNetwork::Select(net.framesAToB, outerProtocol);
        NS_TEST_EXPECT_MSG_EQ(frames.size(), n, "IPsec frames on the WAN" << mode);
        NS_TEST_EXPECT_MSG_EQ(net.framesAToB.size(), n, "all WAN frames are IPsec" << mode);
        for (uint32_t i = 0; i < frames.size() && i < n; ++i)
        {
            uint32_t inner = m_payloadSizes[i] + UDP_HEADER_SIZE + IPV4_HEADER_SIZE;
            outcome.outerSizes.push_back(frames[i].size());
            NS_TEST_EXPECT_MSG_EQ(frames[i].size(),
                                  set.GetEncapsulatedSize(inner),
                                  "outer size for a " << inner << "-byte inner packet" << mode);
            if (m_payloadSizes[i] == 100)
            {
                NS_TEST_EXPECT_MSG_EQ(frames[i].size(),
                                      m_sizeFor100,
                                      "outer size for 100 bytes, by hand" << mode);
            }
        }

        Ptr<IpsecStack> stackA = TwoSiteNetwork::Stack(net.gatewayA);
        Ptr<IpsecStack> stackB = TwoSiteNetwork::Stack(net.gatewayB);
        if (set.HasEsp())
        {
            auto out = FindSa(stackA, IpsecDirection::OUTBOUND, IpsecProtocol::ESP);
            auto in = FindSa(stackB, IpsecDirection::INBOUND, IpsecProtocol::ESP);
            NS_TEST_ASSERT_MSG_NE(out, nullptr, "A's outbound ESP SA" << mode);
            NS_TEST_ASSERT_MSG_NE(in, nullptr, "B's inbound ESP SA" << mode);
            outcome.espOut = out->GetCounters();
            outcome.espIn = in->GetCounters();
            NS_TEST_EXPECT_MSG_EQ(outcome.espOut.encaps, n, "ESP encaps" << mode);
            NS_TEST_EXPECT_MSG_EQ(outcome.espOut.encrypt, n, "ESP encrypt" << mode);
            NS_TEST_EXPECT_MSG_EQ(outcome.espOut.digest, n, "ESP digest" << mode);
            NS_TEST_EXPECT_MSG_EQ(outcome.espOut.sendErrors, 0, "ESP send errors" << mode);
            NS_TEST_EXPECT_MSG_EQ(outcome.espIn.decaps, n, "ESP decaps" << mode);
            NS_TEST_EXPECT_MSG_EQ(outcome.espIn.decrypt, n, "ESP decrypt" << mode);
            NS_TEST_EXPECT_MSG_EQ(outcome.espIn.verify, n, "ESP verify" << mode);
            NS_TEST_EXPECT_MSG_EQ(outcome.espIn.recvErrors, 0, "ESP receive errors" << mode);
        }
        if (set.HasAh())
        {
            auto out = FindSa(stackA, IpsecDirection::OUTBOUND, IpsecProtocol::AH);
            auto in = FindSa(stackB, IpsecDirection::INBOUND, IpsecProtocol::AH);
            NS_TEST_ASSERT_MSG_NE(out, nullptr, "A's outbound AH SA" << mode);
            NS_TEST_ASSERT_MSG_NE(in, nullptr, "B's inbound AH SA" << mode);
            outcome.ahOut = out->GetCounters();
            outcome.ahIn = in->GetCounters();
            NS_TEST_EXPECT_MSG_EQ(outcome.ahOut.encaps, n, "AH encaps" << mode);
            NS_TEST_EXPECT_MSG_EQ(outcome.ahOut.digest, n, "AH digest" << mode);
            NS_TEST_EXPECT_MSG_EQ(outcome.ahOut.encrypt, 0, "AH encrypts nothing" << mode);
            NS_TEST_EXPECT_MSG_EQ(outcome.ahIn.decaps, n, "AH decaps" << mode);
            NS_TEST_EXPECT_MSG_EQ(outcome.ahIn.verify, n, "AH verify" << mode);
            NS_TEST_EXPECT_MSG_EQ(outcome.ahIn.recvErrors, 0, "AH receive errors" << mode);
        }
        for (IpsecDropReason reason : INBOUND_REASONS)
        {
            NS_TEST_EXPECT_MSG_EQ(stackB->GetDropCount(reason),
                                  0,
                                  "B drops as " << IpsecDropReasonName(reason) << mode);
        }
        Simulator::Destroy();
    }

    /**
     * Checks that two counter sets are equal.
     * \param real the counters with real crypto
     * \param modelled the counters with modelled crypto
     * \param what which SA
     */
    void ExpectSameCounters(const IpsecSaCounters& real,
                            const IpsecSaCounters& modelled,
                            const std::string& what)
    {
        NS_TEST_EXPECT_MSG_EQ(modelled.encaps, real.encaps, what << " encaps, modelled vs real");
        NS_TEST_EXPECT_MSG_EQ(modelled.encrypt, real.encrypt, what << " encrypt, modelled vs real");
        NS_TEST_EXPECT_MSG_EQ(modelled.digest, real.digest, what << " digest, modelled vs real");
        NS_TEST_EXPECT_MSG_EQ(modelled.decaps, real.decaps, what << " decaps, modelled vs real");
        NS_TEST_EXPECT_MSG_EQ(modelled.decrypt, real.decrypt, what << " decrypt, modelled vs real");
        NS_TEST_EXPECT_MSG_EQ(modelled.verify, real.verify, what << " verify, modelled vs real");
        NS_TEST_EXPECT_MSG_EQ(modelled.bytes, real.bytes, what << " bytes, modelled vs real");
    }

    void DoRun() override
    {
        Outcome real;
        Outcome modelled;
        RunOnce(false, real);
        RunOnce(true, modelled);
        NS_TEST_EXPECT_MSG_EQ((modelled.outerSizes == real.outerSizes),
                              true,
                              "outer sizes, modelled vs real");
        ExpectSameCounters(real.espOut, modelled.espOut, "outbound ESP");
        ExpectSameCounters(real.espIn, modelled.espIn, "inbound ESP");
        ExpectSameCounters(real.ahOut, modelled.ahOut, "outbound AH");
        ExpectSameCounters(real.ahIn, modelled.ahIn, "inbound AH");
    }

    std::string m_transforms; //!< transform list
    uint32_t m_sizeFor100;    //!< outer size for a 100-byte payload, by hand
    /// UDP payload sizes: every padding length of both alignments, then larger packets.
    std::vector<uint32_t> m_payloadSizes{1,  2,  3,  4,  5,  6,  7,   8,   9,    10,  11,
                                         12, 13, 14, 15, 16, 17, 100, 500, 1000, 1300};
};

/**
 * \ingroup ipsec
 * Flips one bit in every byte position of the IPsec part of N packets, one position per
 * packet: no packet reaches host B, every one is dropped and counted by reason, and the
 * inbound SAs count a receive error for each one they were found for.
 */
class IpsecTamperTestCase : public TestCase
{
  public:
    /**
     * \param transforms the transform list
     * \param modelled true for modelled crypto
     * \param ipsecLength the IPsec part of the packet (outer packet minus 20), by hand
     * \param malformed packets expected to be dropped as malformed
     */
    IpsecTamperTestCase(const std::string& transforms,
                        bool modelled,
                        uint32_t ipsecLength,
                        uint32_t malformed)
        : TestCase("tamper " + transforms + (modelled ? " modelled" : " real")),
          m_transforms(transforms),
          m_modelled(modelled),
          m_ipsecLength(ipsecLength),
          m_malformed(malformed)
    {
    }

  private:
    void DoRun() override
    {
        TwoSiteNetwork net(m_modelled);
        net.ipsec.CreateManualTunnel(net.wan.Get(0),
                                     net.wan.Get(1),
                                     TwoSiteNetwork::LAN_TO_LAN,
                                     m_transforms);
        auto tamper = CreateObject<IpsecTamperErrorModel>();
        net.wanLower.Get(1)->SetAttribute("ReceiveErrorModel", PointerValue(tamper));
        net.Listen(net.hostB, 9);

        // A 20-byte payload gives a 48-byte inner packet; one packet per byte position.
        uint32_t n = m_ipsecLength;
        for (uint32_t k = 0; k < n; ++k)
        {
            net.SendUdp(net.hostA,
                        5000,
                        TwoSiteNetwork::HOST_B,
                        9,
                        MakePayload(k, 20),
                        Seconds(1) + MilliSeconds(k));
        }
        Simulator::Run();

        auto frames = net.framesAToB;
        NS_TEST_ASSERT_MSG_EQ(frames.size(), n, "frames sent");
        NS_TEST_EXPECT_MSG_EQ(frames[0].size(),
                              IPV4_HEADER_SIZE + m_ipsecLength,
                              "outer packet size, by hand");
        NS_TEST_EXPECT_MSG_EQ(tamper->GetTamperedCount(), n, "packets tampered with");
        NS_TEST_EXPECT_MSG_EQ(net.Received(net.hostB, 9).size(), 0, "packets delivered to host B");

        // Flipping a bit of the SPI (bytes 0-3 of ESP, 4-7 of AH) finds no SA. Every other
        // byte is covered by the ICV or GCM tag, except AH's payload length field (byte 1),
        // which is checked first and makes the packet malformed. No sequence number is
        // accepted, so the replay window stays empty and no replay drop occurs.
        Ptr<IpsecStack> stackB = TwoSiteNetwork::Stack(net.gatewayB);
        uint64_t total = 0;
        for (IpsecDropReason reason : INBOUND_REASONS)
        {
            total += stackB->GetDropCount(reason);
        }
        NS_TEST_EXPECT_MSG_EQ(total, n, "drops on B, all reasons");
        uint64_t invalidSpi = stackB->GetDropCount(IpsecDropReason::INVALID_SPI);
        NS_TEST_EXPECT_MSG_EQ(invalidSpi, 4, "invalid-spi drops");
        NS_TEST_EXPECT_MSG_EQ(stackB->GetDropCount(IpsecDropReason::MALFORMED),
                              m_malformed,
                              "malformed drops");
        NS_TEST_EXPECT_MSG_EQ(stackB->GetDropCount(IpsecDropReason::AUTHENTICATION_FAILED),
                              n - 4 - m_malformed,
                              "authentication-failed drops");
        NS_TEST_EXPECT_MSG_EQ(stackB->GetDropCount(IpsecDropReason::REPLAY_DUPLICATE) +
                                  stackB->GetDropCount(IpsecDropReason::REPLAY_TOO_OLD),
                              0,
                              "replay drops");

        uint64_t recvErrors = 0;
        uint64_t decaps = 0;
        for (const auto& sa : stackB->GetSadb()->GetInboundSas())
        {
            recvErrors += sa->GetCounters().recvErrors;
            decaps += sa->GetCounters().decaps;
        }
        NS_TEST_EXPECT_MSG_EQ(recvErrors, n - invalidSpi, "receive errors on B's inbound SAs");
        NS_TEST_EXPECT_MSG_EQ(decaps, 0, "decapsulations on B");
        Simulator::Destroy();
    }

    std::string m_transforms; //!< transform list
    bool m_modelled;          //!< modelled crypto
    uint32_t m_ipsecLength;   //!< IPsec part of each packet
    uint32_t m_malformed;     //!< expected malformed drops
};

/**
 * \ingroup ipsec
 * Gateway A has no crypto map, so it sends in clear what gateway B's crypto map requires
 * to arrive protected: B drops every such packet as unprotected.
 */
class IpsecUnprotectedTestCase : public TestCase
{
  public:
    IpsecUnprotectedTestCase()
        : TestCase("clear packet must be protected")
    {
    }

  private:
    void DoRun() override
    {
        TwoSiteNetwork net(false);
        net.ipsec.CreateManualTunnel(net.wan.Get(0),
                                     net.wan.Get(1),
                                     TwoSiteNetwork::LAN_TO_LAN,
                                     "esp-aes esp-sha-hmac");
        net.DeviceA()->SetCryptoMap(nullptr);
        net.Listen(net.hostB, 9);
        const uint32_t n = 5;
        for (uint32_t i = 0; i < n; ++i)
        {
            net.SendUdp(net.hostA,
                        5000,
                        TwoSiteNetwork::HOST_B,
                        9,
                        MakePayload(i, 100),
                        Seconds(1) + MilliSeconds(10 * i));
        }
        Simulator::Run();

        NS_TEST_EXPECT_MSG_EQ(TwoSiteNetwork::Select(net.framesAToB, 17).size(),
                              n,
                              "clear UDP frames on the WAN");
        NS_TEST_EXPECT_MSG_EQ(net.Received(net.hostB, 9).size(), 0, "packets delivered to host B");
        Ptr<IpsecStack> stackB = TwoSiteNetwork::Stack(net.gatewayB);
        NS_TEST_EXPECT_MSG_EQ(stackB->GetDropCount(IpsecDropReason::UNPROTECTED),
                              n,
                              "unprotected drops on B");
        NS_TEST_EXPECT_MSG_EQ(
            FindSa(stackB, IpsecDirection::INBOUND, IpsecProtocol::ESP)->GetCounters().decaps,
            0,
            "decapsulations on B");
        Simulator::Destroy();
    }
};

/**
 * \ingroup ipsec
 * Gateway A protects all LAN-to-LAN traffic, but gateway B's entry admits only UDP from
 * port 9: packets to port 9 are delivered, packets to port 10 are decrypted and then
 * dropped because they are outside the SA's selectors.
 */
class IpsecPolicyMismatchTestCase : public TestCase
{
  public:
    IpsecPolicyMismatchTestCase()
        : TestCase("decrypted packet outside selectors")
    {
    }

  private:
    void DoRun() override
    {
        TwoSiteNetwork net(false);
        auto mapA = Create<CryptoMap>("VPN");
        mapA->AddEntry(MakeEspEntry(10,
                                    {TwoSiteNetwork::LAN_TO_LAN},
                                    TwoSiteNetwork::WAN_B,
                                    "esp-aes esp-sha-hmac",
                                    0x1001,
                                    0x2001,
                                    1,
                                    101));
        auto mapB = Create<CryptoMap>("VPN");
        mapB->AddEntry(MakeEspEntry(10,
                                    {"permit udp 10.2.2.0 0.0.0.255 eq 9 10.1.1.0 0.0.0.255"},
                                    TwoSiteNetwork::WAN_A,
                                    "esp-aes esp-sha-hmac",
                                    0x2001,
                                    0x1001,
                                    101,
                                    1));
        net.ipsec.ApplyCryptoMap(net.wan.Get(0), mapA);
        net.ipsec.ApplyCryptoMap(net.wan.Get(1), mapB);
        net.Listen(net.hostB, 9);
        net.Listen(net.hostB, 10);

        // 4 packets to port 9 (inside B's selectors), then 6 to port 10 (outside).
        for (uint32_t i = 0; i < 10; ++i)
        {
            net.SendUdp(net.hostA,
                        5000,
                        TwoSiteNetwork::HOST_B,
                        i < 4 ? 9 : 10,
                        MakePayload(i, 100),
                        Seconds(1) + MilliSeconds(10 * i));
        }
        Simulator::Run();

        NS_TEST_EXPECT_MSG_EQ(TwoSiteNetwork::Select(net.framesAToB, 50).size(),
                              10,
                              "ESP frames on the WAN");
        NS_TEST_EXPECT_MSG_EQ(net.Received(net.hostB, 9).size(), 4, "delivered to port 9");
        NS_TEST_EXPECT_MSG_EQ(net.Received(net.hostB, 10).size(), 0, "delivered to port 10");
        Ptr<IpsecStack> stackB = TwoSiteNetwork::Stack(net.gatewayB);
        NS_TEST_EXPECT_MSG_EQ(stackB->GetDropCount(IpsecDropReason::POLICY_MISMATCH),
                              6,
                              "policy-mismatch drops on B");
        NS_TEST_EXPECT_MSG_EQ(stackB->GetDropCount(IpsecDropReason::UNPROTECTED),
                              0,
                              "unprotected drops on B");

        // The selector check follows verification and decryption, so all 10 count as
        // decapsulated and the 6 mismatches as receive errors.
        auto in = FindSa(stackB, IpsecDirection::INBOUND, IpsecProtocol::ESP);
        NS_TEST_ASSERT_MSG_NE(in, nullptr, "B's inbound SA");
        NS_TEST_EXPECT_MSG_EQ(in->GetSpi(), 0x1001, "B's inbound SPI");
        NS_TEST_EXPECT_MSG_EQ(in->GetCounters().decaps, 10, "decaps on B");
        NS_TEST_EXPECT_MSG_EQ(in->GetCounters().recvErrors, 6, "receive errors on B");
        Simulator::Destroy();
    }
};

/**
 * \ingroup ipsec
 * Traffic that no entry permits passes in clear both ways and is delivered, next to a
 * protected flow: only UDP to port 9 is in the access list.
 */
class IpsecClearTrafficTestCase : public TestCase
{
  public:
    IpsecClearTrafficTestCase()
        : TestCase("unmatched traffic passes in clear")
    {
    }

  private:
    void DoRun() override
    {
        TwoSiteNetwork net(false);
        net.ipsec.CreateManualTunnel(net.wan.Get(0),
                                     net.wan.Get(1),
                                     "permit udp 10.1.1.0 0.0.0.255 10.2.2.0 0.0.0.255 eq 9",
                                     "esp-aes esp-sha-hmac");
        net.Listen(net.hostB, 9);
        net.Listen(net.hostB, 5000);
        net.Listen(net.hostA, 6000);

        // A to B: 3 packets to port 9 (protected) and 4 to port 5000 (clear); B to A: 5
        // packets from port 5000 to port 6000 (clear, as B's mirrored list needs port 9).
        for (uint32_t i = 0; i < 3; ++i)
        {
            net.SendUdp(net.hostA,
                        5000,
                        TwoSiteNetwork::HOST_B,
                        9,
                        MakePayload(i, 100),
                        Seconds(1) + MilliSeconds(10 * i));
        }
        for (uint32_t i = 0; i < 4; ++i)
        {
            net.SendUdp(net.hostA,
                        5001,
                        TwoSiteNetwork::HOST_B,
                        5000,
                        MakePayload(i, 200),
                        Seconds(2) + MilliSeconds(10 * i));
        }
        for (uint32_t i = 0; i < 5; ++i)
        {
            net.SendUdp(net.hostB,
                        5000,
                        TwoSiteNetwork::HOST_A,
                        6000,
                        MakePayload(i, 300),
                        Seconds(3) + MilliSeconds(10 * i));
        }
        Simulator::Run();

        NS_TEST_EXPECT_MSG_EQ(net.Received(net.hostB, 9).size(), 3, "protected packets delivered");
        NS_TEST_EXPECT_MSG_EQ(net.Received(net.hostB, 5000).size(),
                              4,
                              "clear packets delivered A to B");
        NS_TEST_EXPECT_MSG_EQ(net.Received(net.hostA, 6000).size(),
                              5,
                              "clear packets delivered B to A");
        NS_TEST_EXPECT_MSG_EQ(TwoSiteNetwork::Select(net.framesAToB, 50).size(),
                              3,
                              "ESP frames A to B");
        auto clearAToB = TwoSiteNetwork::Select(net.framesAToB, 17);
        NS_TEST_ASSERT_MSG_EQ(clearAToB.size(), 4, "clear UDP frames A to B");
        NS_TEST_EXPECT_MSG_EQ(clearAToB[0].size(), 228, "clear frame is the inner packet");
        NS_TEST_EXPECT_MSG_EQ(net.framesBToA.size(), 5, "frames B to A");
        NS_TEST_EXPECT_MSG_EQ(TwoSiteNetwork::Select(net.framesBToA, 17).size(),
                              5,
                              "clear UDP frames B to A");

        Ptr<IpsecStack> stackA = TwoSiteNetwork::Stack(net.gatewayA);
        Ptr<IpsecStack> stackB = TwoSiteNetwork::Stack(net.gatewayB);
        NS_TEST_EXPECT_MSG_EQ(
            FindSa(stackA, IpsecDirection::OUTBOUND, IpsecProtocol::ESP)->GetCounters().encaps,
            3,
            "A's encaps");
        NS_TEST_EXPECT_MSG_EQ(
            FindSa(stackB, IpsecDirection::OUTBOUND, IpsecProtocol::ESP)->GetCounters().encaps,
            0,
            "B's encaps");
        NS_TEST_EXPECT_MSG_EQ(stackA->GetDropCount(IpsecDropReason::UNPROTECTED),
                              0,
                              "unprotected drops on A");
        NS_TEST_EXPECT_MSG_EQ(stackB->GetDropCount(IpsecDropReason::UNPROTECTED),
                              0,
                              "unprotected drops on B");
        Simulator::Destroy();
    }
};

/**
 * \ingroup ipsec
 * A deny line only means "not this entry": a packet that entry 10 denies is protected by
 * the later entry 20, and a packet entry 10 permits uses entry 10's SA.
 */
class IpsecDenyLineTestCase : public TestCase
{
  public:
    IpsecDenyLineTestCase()
        : TestCase("deny line falls through to next entry")
    {
    }

  private:
    void DoRun() override
    {
        TwoSiteNetwork net(false);
        const std::string transforms = "esp-aes esp-sha-hmac";
        auto mapA = Create<CryptoMap>("VPN");
        mapA->AddEntry(
            MakeEspEntry(10,
                         {"deny udp host 10.1.1.2 host 10.2.2.2 eq 9", TwoSiteNetwork::LAN_TO_LAN},
                         TwoSiteNetwork::WAN_B,
                         transforms,
                         0x1010,
                         0x2010,
                         1,
                         11));
        mapA->AddEntry(MakeEspEntry(20,
                                    {TwoSiteNetwork::LAN_TO_LAN},
                                    TwoSiteNetwork::WAN_B,
                                    transforms,
                                    0x1020,
                                    0x2020,
                                    21,
                                    31));
        auto mapB = Create<CryptoMap>("VPN");
        mapB->AddEntry(MakeEspEntry(10,
                                    {"deny udp host 10.2.2.2 eq 9 host 10.1.1.2",
                                     "permit ip 10.2.2.0 0.0.0.255 10.1.1.0 0.0.0.255"},
                                    TwoSiteNetwork::WAN_A,
                                    transforms,
                                    0x2010,
                                    0x1010,
                                    11,
                                    1));
        mapB->AddEntry(MakeEspEntry(20,
                                    {"permit ip 10.2.2.0 0.0.0.255 10.1.1.0 0.0.0.255"},
                                    TwoSiteNetwork::WAN_A,
                                    transforms,
                                    0x2020,
                                    0x1020,
                                    31,
                                    21));
        net.ipsec.ApplyCryptoMap(net.wan.Get(0), mapA);
        net.ipsec.ApplyCryptoMap(net.wan.Get(1), mapB);
        net.Listen(net.hostB, 9);
        net.Listen(net.hostB, 10);

        // 3 packets to port 9 (denied by entry 10, so entry 20), 2 to port 10 (entry 10).
        for (uint32_t i = 0; i < 5; ++i)
        {
            net.SendUdp(net.hostA,
                        5000,
                        TwoSiteNetwork::HOST_B,
                        i < 3 ? 9 : 10,
                        MakePayload(i, 100),
                        Seconds(1) + MilliSeconds(10 * i));
        }
        Simulator::Run();

        NS_TEST_EXPECT_MSG_EQ(net.Received(net.hostB, 9).size(), 3, "delivered to port 9");
        NS_TEST_EXPECT_MSG_EQ(net.Received(net.hostB, 10).size(), 2, "delivered to port 10");
        auto frames = TwoSiteNetwork::Select(net.framesAToB, 50);
        NS_TEST_ASSERT_MSG_EQ(frames.size(), 5, "ESP frames on the WAN");
        const uint32_t expectedSpi[] = {0x1020, 0x1020, 0x1020, 0x1010, 0x1010};
        for (uint32_t i = 0; i < 5; ++i)
        {
            const uint8_t* esp = frames[i].data() + IPV4_HEADER_SIZE;
            uint32_t spi = (uint32_t(esp[0]) << 24) | (uint32_t(esp[1]) << 16) |
                           (uint32_t(esp[2]) << 8) | esp[3];
            NS_TEST_EXPECT_MSG_EQ(spi, expectedSpi[i], "SPI of ESP frame " << i);
        }
        NS_TEST_EXPECT_MSG_EQ(mapA->GetEntry(10)->GetOutboundBundle()->esp->GetCounters().encaps,
                              2,
                              "entry 10 encaps");
        NS_TEST_EXPECT_MSG_EQ(mapA->GetEntry(20)->GetOutboundBundle()->esp->GetCounters().encaps,
                              3,
                              "entry 20 encaps");
        Ptr<IpsecStack> stackB = TwoSiteNetwork::Stack(net.gatewayB);
        for (IpsecDropReason reason : INBOUND_REASONS)
        {
            NS_TEST_EXPECT_MSG_EQ(stackB->GetDropCount(reason),
                                  0,
                                  "B drops as " << IpsecDropReasonName(reason));
        }
        Simulator::Destroy();
    }
};

/**
 * \ingroup ipsec
 * Transport mode between the gateways' own WAN addresses: delivered, counted, and the
 * outer packet is the inner one plus ESP, with no second IPv4 header.
 */
class IpsecTransportModeTestCase : public TestCase
{
  public:
    IpsecTransportModeTestCase()
        : TestCase("transport mode gateway to gateway")
    {
    }

  private:
    void DoRun() override
    {
        TwoSiteNetwork net(false);
        net.ipsec.CreateManualTunnel(net.wan.Get(0),
                                     net.wan.Get(1),
                                     "permit udp host 192.0.2.1 host 192.0.2.2",
                                     "esp-aes esp-sha-hmac",
                                     IpsecMode::TRANSPORT);
        net.Listen(net.gatewayB, 9);
        const uint32_t n = 4;
        for (uint32_t i = 0; i < n; ++i)
        {
            net.SendUdp(net.gatewayA,
                        5000,
                        TwoSiteNetwork::WAN_B,
                        9,
                        MakePayload(i, 100),
                        Seconds(1) + MilliSeconds(10 * i));
        }
        Simulator::Run();

        const auto& got = net.Received(net.gatewayB, 9);
        NS_TEST_ASSERT_MSG_EQ(got.size(), n, "packets delivered to gateway B");
        for (uint32_t i = 0; i < n; ++i)
        {
            NS_TEST_EXPECT_MSG_EQ((got[i] == MakePayload(i, 100)), true, "payload " << i);
        }

        // Inner 128 bytes; ESP protects the 108-byte UDP datagram: 108 + 2 padded to 112,
        // plus 8 + 16 (IV) + 12 (ICV) = 148, after the original 20-byte header: 168.
        IpsecTransformSet set = IpsecTransformSet::FromString("TS", "esp-aes esp-sha-hmac");
        set.SetMode(IpsecMode::TRANSPORT);
        auto frames = TwoSiteNetwork::Select(net.framesAToB, 50);
        NS_TEST_ASSERT_MSG_EQ(frames.size(), n, "ESP frames on the WAN");
        NS_TEST_EXPECT_MSG_EQ(frames[0].size(), 168, "outer size, by hand");
        NS_TEST_EXPECT_MSG_EQ(frames[0].size(), set.GetEncapsulatedSize(128), "outer size");
        Ipv4Address source(uint32_t(frames[0][12]) << 24 | uint32_t(frames[0][13]) << 16 |
                           uint32_t(frames[0][14]) << 8 | frames[0][15]);
        NS_TEST_EXPECT_MSG_EQ(source, TwoSiteNetwork::WAN_A, "outer source");

        auto out = FindSa(TwoSiteNetwork::Stack(net.gatewayA),
                          IpsecDirection::OUTBOUND,
                          IpsecProtocol::ESP);
        auto in = FindSa(TwoSiteNetwork::Stack(net.gatewayB),
                         IpsecDirection::INBOUND,
                         IpsecProtocol::ESP);
        NS_TEST_EXPECT_MSG_EQ((out->GetMode() == IpsecMode::TRANSPORT), true, "SA mode");
        NS_TEST_EXPECT_MSG_EQ(out->GetCounters().encaps, n, "encaps");
        NS_TEST_EXPECT_MSG_EQ(out->GetCounters().encrypt, n, "encrypt");
        NS_TEST_EXPECT_MSG_EQ(in->GetCounters().decaps, n, "decaps");
        NS_TEST_EXPECT_MSG_EQ(in->GetCounters().decrypt, n, "decrypt");
        NS_TEST_EXPECT_MSG_EQ(in->GetCounters().verify, n, "verify");
        Simulator::Destroy();
    }
};

/**
 * \ingroup ipsec
 * A full-size inner packet grows past the WAN MTU when protected: gateway A sends the
 * outer packet as two fragments and gateway B reassembles it before decrypting.
 */
class IpsecPostFragmentationTestCase : public TestCase
{
  public:
    IpsecPostFragmentationTestCase()
        : TestCase("fragment after encryption")
    {
    }

  private:
    void DoRun() override
    {
        TwoSiteNetwork net(false);
        // Pre-fragmentation (on by default, as in IOS) would split the inner packet instead.
        TwoSiteNetwork::Stack(net.gatewayA)->SetAttribute("PreFragmentation", BooleanValue(false));
        net.ipsec.CreateManualTunnel(net.wan.Get(0),
                                     net.wan.Get(1),
                                     TwoSiteNetwork::LAN_TO_LAN,
                                     "esp-aes esp-sha-hmac");
        net.Listen(net.hostB, 9);
        const uint32_t n = 3;
        for (uint32_t i = 0; i < n; ++i)
        {
            net.SendUdp(net.hostA,
                        5000,
                        TwoSiteNetwork::HOST_B,
                        9,
                        MakePayload(i, 1472),
                        Seconds(1) + MilliSeconds(10 * i));
        }
        Simulator::Run();

        // Inner 1500 bytes: 1502 padded to 1504, ESP 8 + 16 + 1504 + 12 = 1540, outer 1560.
        // Fragments carry (1500 - 20) rounded down to 8 = 1480 bytes, then 60: IPv4 packets
        // of 1500 and 80 bytes.
        const auto& got = net.Received(net.hostB, 9);
        NS_TEST_ASSERT_MSG_EQ(got.size(), n, "packets delivered once each");
        for (uint32_t i = 0; i < n; ++i)
        {
            NS_TEST_EXPECT_MSG_EQ((got[i] == MakePayload(i, 1472)), true, "payload " << i);
        }
        NS_TEST_ASSERT_MSG_EQ(net.framesAToB.size(), 2 * n, "WAN frames");
        for (uint32_t i = 0; i < n; ++i)
        {
            NS_TEST_EXPECT_MSG_EQ(net.framesAToB[2 * i].size(), 1500, "first fragment " << i);
            NS_TEST_EXPECT_MSG_EQ(net.framesAToB[2 * i + 1].size(), 80, "last fragment " << i);
        }
        NS_TEST_EXPECT_MSG_EQ(net.DeviceA()->GetPostEncryptionFragmentedCount(),
                              n,
                              "packets fragmented after encryption");
        auto in = FindSa(TwoSiteNetwork::Stack(net.gatewayB),
                         IpsecDirection::INBOUND,
                         IpsecProtocol::ESP);
        NS_TEST_EXPECT_MSG_EQ(in->GetCounters().decaps, n, "decaps on B");
        Simulator::Destroy();
    }
};

/**
 * \ingroup ipsec
 * An inner packet with DF set gives an outer packet with DF set: a small one is delivered
 * with DF on the wire, a full-size one cannot be fragmented after encryption and is dropped.
 */
class IpsecDontFragmentTestCase : public TestCase
{
  public:
    IpsecDontFragmentTestCase()
        : TestCase("df copied to outer header")
    {
    }

  private:
    void DoRun() override
    {
        TwoSiteNetwork net(false);
        net.ipsec.CreateManualTunnel(net.wan.Get(0),
                                     net.wan.Get(1),
                                     TwoSiteNetwork::LAN_TO_LAN,
                                     "esp-aes esp-sha-hmac");
        net.Listen(net.hostB, 9);

        // 2 small packets (outer 200 bytes) fit; 3 of 1500 bytes (outer 1560) do not.
        for (uint32_t i = 0; i < 2; ++i)
        {
            net.SendRaw(TwoSiteNetwork::HOST_B,
                        9,
                        MakePayload(i, 100),
                        true,
                        0,
                        Seconds(1) + MilliSeconds(10 * i));
        }
        for (uint32_t i = 0; i < 3; ++i)
        {
            net.SendRaw(TwoSiteNetwork::HOST_B,
                        9,
                        MakePayload(i, 1472),
                        true,
                        0,
                        Seconds(2) + MilliSeconds(10 * i));
        }
        Simulator::Run();

        NS_TEST_EXPECT_MSG_EQ(net.Received(net.hostB, 9).size(), 2, "small DF packets delivered");
        NS_TEST_ASSERT_MSG_EQ(net.framesAToB.size(), 2, "WAN frames");
        for (const auto& frame : net.framesAToB)
        {
            NS_TEST_EXPECT_MSG_EQ(frame.size(), 200, "outer size");
            NS_TEST_EXPECT_MSG_EQ((frame[6] & 0x40), 0x40, "outer DF bit");
        }
        NS_TEST_EXPECT_MSG_EQ(TwoSiteNetwork::Stack(net.gatewayA)
                                  ->GetDropCount(IpsecDropReason::FRAGMENTATION_NEEDED),
                              3,
                              "fragmentation-needed drops on A");
        NS_TEST_EXPECT_MSG_EQ(net.DeviceA()->GetPostEncryptionFragmentedCount(),
                              0,
                              "packets fragmented after encryption");
        Simulator::Destroy();
    }
};

/**
 * \ingroup ipsec
 * Gateway B loses its SAs mid-run: later packets are dropped as invalid SPI and logged
 * once, in IOS's format, with the other nine messages rate-limited.
 */
class IpsecInvalidSpiTestCase : public TestCase
{
  public:
    IpsecInvalidSpiTestCase()
        : TestCase("invalid spi after sa cleared")
    {
    }

  private:
    void DoRun() override
    {
        TwoSiteNetwork net(false);
        Ptr<CryptoMap> mapA = net.ipsec.CreateManualTunnel(net.wan.Get(0),
                                                           net.wan.Get(1),
                                                           TwoSiteNetwork::LAN_TO_LAN,
                                                           "esp-aes esp-sha-hmac");
        uint32_t spi = mapA->GetEntries().front()->GetOutboundBundle()->esp->GetSpi();
        net.Listen(net.hostB, 9);

        // 3 packets before the SAs are cleared at 1.5 s, then 10 in 0.5 s from 2 s on.
        for (uint32_t i = 0; i < 3; ++i)
        {
            net.SendUdp(net.hostA,
                        5000,
                        TwoSiteNetwork::HOST_B,
                        9,
                        MakePayload(i, 100),
                        Seconds(1) + MilliSeconds(50 * i));
        }
        Ptr<IpsecSadb> sadbB = TwoSiteNetwork::Stack(net.gatewayB)->GetSadb();
        Simulator::Schedule(Seconds(1.5), &IpsecSadb::Clear, sadbB);
        for (uint32_t i = 0; i < 10; ++i)
        {
            net.SendUdp(net.hostA,
                        5000,
                        TwoSiteNetwork::HOST_B,
                        9,
                        MakePayload(i, 100),
                        Seconds(2) + MilliSeconds(50 * i));
        }
        Simulator::Run();

        Ptr<IpsecStack> stackB = TwoSiteNetwork::Stack(net.gatewayB);
        NS_TEST_EXPECT_MSG_EQ(net.Received(net.hostB, 9).size(),
                              3,
                              "packets delivered before the clear");
        NS_TEST_EXPECT_MSG_EQ(stackB->GetDropCount(IpsecDropReason::INVALID_SPI),
                              10,
                              "invalid-spi drops");

        // The first packet after the clear leaves host A at 2 s and reaches gateway B after
        // 130 bytes at 100 Mb/s (10.4 us), 1 ms, 202 bytes at 10 Mb/s (161.6 us) and 5 ms:
        // at 2.006172 s, printed as 00:00:02.006.
        char expected[256];
        std::snprintf(expected,
                      sizeof(expected),
                      "*Mar  1 00:00:02.006: %%CRYPTO-4-RECV_PKT_INV_SPI: decaps: rec'd IPSEC "
                      "packet has invalid spi for destaddr=192.0.2.2, prot=50, spi=0x%X(%u), "
                      "srcaddr=192.0.2.1",
                      spi,
                      spi);
        Ptr<IpsecSyslog> syslog = stackB->GetSyslog();
        NS_TEST_ASSERT_MSG_EQ(syslog->GetLines().size(), 1, "stored log lines");
        NS_TEST_EXPECT_MSG_EQ(syslog->GetLines().front(), std::string(expected), "log line");
        NS_TEST_EXPECT_MSG_EQ(syslog->GetLoggedCount(), 1, "messages logged");
        NS_TEST_EXPECT_MSG_EQ(syslog->GetRateLimitedCount(), 9, "messages rate-limited");
        Simulator::Destroy();
    }
};

/**
 * \ingroup ipsec
 * Two runs with the same seed and run number put the same bytes on the WAN; a different
 * run number draws other keys and SPIs, so the bytes differ.
 */
class IpsecDeterminismTestCase : public TestCase
{
  public:
    IpsecDeterminismTestCase()
        : TestCase("same seed gives same wan bytes")
    {
    }

  private:
    /**
     * Runs a short tunnel scenario.
     * \param run the RngRun number
     * \return the WAN frames from A to B
     */
    std::vector<std::vector<uint8_t>> RunOnce(uint64_t run)
    {
        RngSeedManager::SetSeed(7);
        RngSeedManager::SetRun(run);
        TwoSiteNetwork net(false);
        net.ipsec.CreateManualTunnel(net.wan.Get(0),
                                     net.wan.Get(1),
                                     TwoSiteNetwork::LAN_TO_LAN,
                                     "ah-sha-hmac esp-aes esp-sha-hmac");
        net.Listen(net.hostB, 9);
        for (uint32_t i = 0; i < 5; ++i)
        {
            net.SendUdp(net.hostA,
                        5000,
                        TwoSiteNetwork::HOST_B,
                        9,
                        MakePayload(i, 50 + 37 * i),
                        Seconds(1) + MilliSeconds(10 * i));
        }
        Simulator::Run();
        std::vector<std::vector<uint8_t>> frames = net.framesAToB;
        Simulator::Destroy();
        return frames;
    }

    void DoRun() override
    {
        auto first = RunOnce(1);
        auto second = RunOnce(1);
        auto other = RunOnce(2);
        RngSeedManager::SetSeed(1);
        RngSeedManager::SetRun(1);

        NS_TEST_ASSERT_MSG_EQ(first.size(), 5, "frames in the first run");
        NS_TEST_EXPECT_MSG_EQ((first == second), true, "same run number, same bytes");
        NS_TEST_EXPECT_MSG_EQ((first == other), false, "other run number, other bytes");
    }
};

/**
 * \ingroup ipsec
 * `show crypto ipsec sa` prints the live counters and the outbound SPI of each gateway.
 */
class IpsecShowSaTestCase : public TestCase
{
  public:
    IpsecShowSaTestCase()
        : TestCase("show crypto ipsec sa counters")
    {
    }

  private:
    /**
     * \param text a multi-line text
     * \param line a line
     * \return true if the text has exactly this line
     */
    static bool HasLine(const std::string& text, const std::string& line)
    {
        std::istringstream stream(text);
        std::string current;
        while (std::getline(stream, current))
        {
            if (current == line)
            {
                return true;
            }
        }
        return false;
    }

    void DoRun() override
    {
        TwoSiteNetwork net(false);
        net.ipsec.CreateManualTunnel(net.wan.Get(0),
                                     net.wan.Get(1),
                                     TwoSiteNetwork::LAN_TO_LAN,
                                     "esp-aes esp-sha-hmac");
        net.Listen(net.hostB, 9);
        for (uint32_t i = 0; i < 7; ++i)
        {
            net.SendUdp(net.hostA,
                        5000,
                        TwoSiteNetwork::HOST_B,
                        9,
                        MakePayload(i, 100),
                        Seconds(1) + MilliSeconds(10 * i));
        }
        Simulator::Run();

        std::ostringstream showA;
        std::ostringstream showB;
        IpsecHelper::ShowCryptoIpsecSa(net.gatewayA, showA);
        IpsecHelper::ShowCryptoIpsecSa(net.gatewayB, showB);
        char spiA[16];
        char spiB[16];
        std::snprintf(spiA,
                      sizeof(spiA),
                      "%X",
                      FindSa(TwoSiteNetwork::Stack(net.gatewayA),
                             IpsecDirection::OUTBOUND,
                             IpsecProtocol::ESP)
                          ->GetSpi());
        std::snprintf(spiB,
                      sizeof(spiB),
                      "%X",
                      FindSa(TwoSiteNetwork::Stack(net.gatewayB),
                             IpsecDirection::OUTBOUND,
                             IpsecProtocol::ESP)
                          ->GetSpi());

        NS_TEST_EXPECT_MSG_EQ(
            HasLine(showA.str(), "    #pkts encaps: 7, #pkts encrypt: 7, #pkts digest: 7"),
            true,
            "A's encaps line in:\n"
                << showA.str());
        NS_TEST_EXPECT_MSG_EQ(
            HasLine(showA.str(), "    #pkts decaps: 0, #pkts decrypt: 0, #pkts verify: 0"),
            true,
            "A's decaps line");
        NS_TEST_EXPECT_MSG_EQ(
            HasLine(showA.str(), std::string("    current outbound spi: ") + spiA),
            true,
            "A's outbound SPI " << spiA);
        NS_TEST_EXPECT_MSG_EQ(
            HasLine(showB.str(), "    #pkts decaps: 7, #pkts decrypt: 7, #pkts verify: 7"),
            true,
            "B's decaps line in:\n"
                << showB.str());
        NS_TEST_EXPECT_MSG_EQ(
            HasLine(showB.str(), "    #pkts encaps: 0, #pkts encrypt: 0, #pkts digest: 0"),
            true,
            "B's encaps line");
        NS_TEST_EXPECT_MSG_EQ(
            HasLine(showB.str(), std::string("    current outbound spi: ") + spiB),
            true,
            "B's outbound SPI " << spiB);
        Simulator::Destroy();
    }
};

/**
 * \ingroup ipsec
 * Gateway B's entry requires the AH+ESP bundle, but gateway A sends with the bundle's ESP
 * SA alone: RFC 4301 section 5.2 requires the receiver to check that the SAs applied are
 * the ones its policy calls for, so B must deliver none of these packets.
 */
class IpsecBundleBypassTestCase : public TestCase
{
  public:
    IpsecBundleBypassTestCase()
        : TestCase("esp alone where bundle required")
    {
    }

  private:
    void DoRun() override
    {
        TwoSiteNetwork net(false);
        auto mapA = Create<CryptoMap>("VPN");
        mapA->AddEntry(MakeEspEntry(10,
                                    {TwoSiteNetwork::LAN_TO_LAN},
                                    TwoSiteNetwork::WAN_B,
                                    "esp-aes esp-sha-hmac",
                                    0x1001,
                                    0x2001,
                                    1,
                                    101));
        Ptr<CryptoMapEntry> entryB =
            MakeEspEntry(10,
                         {"permit ip 10.2.2.0 0.0.0.255 10.1.1.0 0.0.0.255"},
                         TwoSiteNetwork::WAN_A,
                         "ah-sha-hmac esp-aes esp-sha-hmac",
                         0x2001,
                         0x1001,
                         101,
                         1);
        IpsecManualKey ahOut;
        ahOut.spi = 0x2002;
        ahOut.integrityKey = MakeKey(20, 201);
        entryB->SetSessionKey(IpsecDirection::OUTBOUND, IpsecProtocol::AH, ahOut);
        IpsecManualKey ahIn;
        ahIn.spi = 0x1002;
        ahIn.integrityKey = MakeKey(20, 221);
        entryB->SetSessionKey(IpsecDirection::INBOUND, IpsecProtocol::AH, ahIn);
        auto mapB = Create<CryptoMap>("VPN");
        mapB->AddEntry(entryB);
        net.ipsec.ApplyCryptoMap(net.wan.Get(0), mapA);
        net.ipsec.ApplyCryptoMap(net.wan.Get(1), mapB);
        net.Listen(net.hostB, 9);
        for (uint32_t i = 0; i < 4; ++i)
        {
            net.SendUdp(net.hostA,
                        5000,
                        TwoSiteNetwork::HOST_B,
                        9,
                        MakePayload(i, 100),
                        Seconds(1) + MilliSeconds(10 * i));
        }
        Simulator::Run();

        NS_TEST_EXPECT_MSG_EQ(TwoSiteNetwork::Select(net.framesAToB, 50).size(),
                              4,
                              "ESP-only frames on the WAN");
        NS_TEST_EXPECT_MSG_EQ(net.Received(net.hostB, 9).size(),
                              0,
                              "packets delivered without the required AH");
        Simulator::Destroy();
    }
};

namespace
{

/**
 * Injects a frame into gateway B's WAN device as if it came off the link.
 * \param net the network
 * \param payload the IPv4 payload
 * \param header its IPv4 header
 * \param at the simulated time
 */
void
InjectAtGatewayB(TwoSiteNetwork& net, Ptr<Packet> payload, const Ipv4Header& header, Time at)
{
    payload->AddHeader(header);
    PppHeader ppp;
    ppp.SetProtocol(0x0021);
    payload->AddHeader(ppp);
    Ptr<PointToPointNetDevice> device = DynamicCast<PointToPointNetDevice>(net.wanLower.Get(1));
    Simulator::Schedule(at, [device, payload]() {
        device->Receive(payload);
    });
}

} // namespace

/**
 * \ingroup ipsec
 * A decrypted inner packet whose TCP header is cut short is dropped as malformed: ns-3's
 * queue discs would otherwise parse the header past the end of the packet.
 *
 * Gateway A's SA protects a 26-byte inner IPv4 packet that claims TCP but carries 6 bytes.
 */
class IpsecTruncatedInnerTestCase : public TestCase
{
  public:
    IpsecTruncatedInnerTestCase()
        : TestCase("truncated inner tcp header")
    {
    }

  private:
    void DoRun() override
    {
        TwoSiteNetwork net(false);
        net.ipsec.CreateManualTunnel(net.wan.Get(0),
                                     net.wan.Get(1),
                                     TwoSiteNetwork::LAN_TO_LAN,
                                     "esp-aes esp-sha-hmac");
        std::vector<uint8_t> inner = {0x45, 0, 0, 26, 0, 1, 0, 0,    64,   6,    0,    0,    10,
                                      1,    1, 2, 10, 2, 2, 2, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff};
        Ptr<IpsecSaBundle> bundle =
            net.DeviceA()->GetCryptoMap()->GetEntries().front()->GetOutboundBundle();
        Ipv4Header outer;
        Ptr<Packet> payload =
            TwoSiteNetwork::Stack(net.gatewayA)
                ->Protect(bundle, Create<Packet>(inner.data(), inner.size()), outer);
        InjectAtGatewayB(net, payload, outer, Seconds(1));
        Simulator::Run();

        Ptr<IpsecStack> stackB = TwoSiteNetwork::Stack(net.gatewayB);
        NS_TEST_EXPECT_MSG_EQ(stackB->GetDropCount(IpsecDropReason::MALFORMED), 1, "dropped");
        NS_TEST_EXPECT_MSG_EQ(net.framesToHostB.size(), 0, "nothing forwarded to host B");
        Simulator::Destroy();
    }
};

/**
 * \ingroup ipsec
 * ESP without integrity has no anti-replay, so a forged packet cannot lock out the peer.
 *
 * With `esp-null` alone nothing is authenticated. A forged dummy packet (next header 59)
 * with sequence number 2^31 arrives first; had it moved a replay window, host A's packets
 * numbered from 1 would all be too old.
 */
class IpsecNullWithoutIntegrityTestCase : public TestCase
{
  public:
    IpsecNullWithoutIntegrityTestCase()
        : TestCase("esp-null without integrity")
    {
    }

  private:
    void DoRun() override
    {
        TwoSiteNetwork net(false);
        net.ipsec.CreateManualTunnel(net.wan.Get(0),
                                     net.wan.Get(1),
                                     TwoSiteNetwork::LAN_TO_LAN,
                                     "esp-null");
        Ptr<IpsecStack> stackB = TwoSiteNetwork::Stack(net.gatewayB);
        Ptr<IpsecSecurityAssociation> inbound =
            FindSa(stackB, IpsecDirection::INBOUND, IpsecProtocol::ESP);
        NS_TEST_ASSERT_MSG_EQ(inbound->GetReplayWindow().IsEnabled(), false, "no replay check");

        // SPI, sequence 2^31, then padding 1 2, pad length 2 and next header 59.
        uint32_t spi = inbound->GetSpi();
        std::vector<uint8_t> forged = {uint8_t(spi >> 24),
                                       uint8_t(spi >> 16),
                                       uint8_t(spi >> 8),
                                       uint8_t(spi),
                                       0x80,
                                       0,
                                       0,
                                       0,
                                       1,
                                       2,
                                       2,
                                       59};
        Ipv4Header header;
        header.SetSource(TwoSiteNetwork::WAN_A);
        header.SetDestination(TwoSiteNetwork::WAN_B);
        header.SetProtocol(50);
        header.SetTtl(64);
        header.SetPayloadSize(forged.size());
        InjectAtGatewayB(net, Create<Packet>(forged.data(), forged.size()), header, Seconds(0.5));

        net.Listen(net.hostB, 9);
        for (uint32_t i = 0; i < 5; ++i)
        {
            net.SendUdp(net.hostA,
                        5000,
                        TwoSiteNetwork::HOST_B,
                        9,
                        MakePayload(i, 100),
                        Seconds(1) + MilliSeconds(10 * i));
        }
        Simulator::Run();

        NS_TEST_EXPECT_MSG_EQ(net.Received(net.hostB, 9).size(), 5, "genuine packets delivered");
        NS_TEST_EXPECT_MSG_EQ(stackB->GetDropCount(IpsecDropReason::REPLAY_TOO_OLD), 0, "no drops");
        Simulator::Destroy();
    }
};

/**
 * \ingroup ipsec
 * End-to-end tests of the IPsec data path.
 */
class IpsecDataPathTestSuite : public TestSuite
{
  public:
    IpsecDataPathTestSuite()
        : TestSuite("ipsec-data-path", UNIT)
    {
        // Outer sizes for a 100-byte payload (inner 128), tunnel mode, by hand:
        // AES-CBC pads 130 to 144, others pad 130 to 132; each adds 20 (outer IPv4) + 8.
        AddTestCase(new IpsecDeliveryTestCase("esp-aes esp-sha-hmac", 20 + 8 + 16 + 144 + 12),
                    TestCase::QUICK);
        AddTestCase(
            new IpsecDeliveryTestCase("esp-aes 256 esp-sha256-hmac", 20 + 8 + 16 + 144 + 16),
            TestCase::QUICK);
        AddTestCase(new IpsecDeliveryTestCase("esp-gcm", 20 + 8 + 8 + 132 + 16), TestCase::QUICK);
        AddTestCase(new IpsecDeliveryTestCase("esp-gcm 256", 20 + 8 + 8 + 132 + 16),
                    TestCase::QUICK);
        AddTestCase(new IpsecDeliveryTestCase("esp-null esp-sha-hmac", 20 + 8 + 132 + 12),
                    TestCase::QUICK);
        AddTestCase(new IpsecDeliveryTestCase("esp-null esp-sha256-hmac", 20 + 8 + 132 + 16),
                    TestCase::QUICK);
        AddTestCase(new IpsecDeliveryTestCase("ah-sha-hmac", 20 + 24 + 128), TestCase::QUICK);
        AddTestCase(new IpsecDeliveryTestCase("ah-sha256-hmac", 20 + 28 + 128), TestCase::QUICK);
        AddTestCase(new IpsecDeliveryTestCase("ah-sha-hmac esp-aes esp-sha-hmac",
                                              20 + 24 + 8 + 16 + 144 + 12),
                    TestCase::QUICK);

        AddTestCase(new IpsecUnprotectedTestCase, TestCase::QUICK);
        AddTestCase(new IpsecPolicyMismatchTestCase, TestCase::QUICK);
        AddTestCase(new IpsecClearTrafficTestCase, TestCase::QUICK);
        AddTestCase(new IpsecDenyLineTestCase, TestCase::QUICK);
        AddTestCase(new IpsecTransportModeTestCase, TestCase::QUICK);
        AddTestCase(new IpsecPostFragmentationTestCase, TestCase::QUICK);
        AddTestCase(new IpsecDontFragmentTestCase, TestCase::QUICK);
        AddTestCase(new IpsecInvalidSpiTestCase, TestCase::QUICK);
        AddTestCase(new IpsecDeterminismTestCase, TestCase::QUICK);
        AddTestCase(new IpsecShowSaTestCase, TestCase::QUICK);

        // IPsec part for a 20-byte payload (inner 48): ESP-CBC 8 + 16 + 64 + 12 = 100,
        // ESP-GCM 8 + 8 + 52 + 16 = 84, ESP-NULL 8 + 52 + 12 = 72, AH 24 + 48 = 72, and
        // the bundle 24 + 100 = 124. AH's payload length byte gives the one malformed drop.
        for (bool modelled : {false, true})
        {
            AddTestCase(new IpsecTamperTestCase("esp-aes esp-sha-hmac", modelled, 100, 0),
                        TestCase::QUICK);
            AddTestCase(new IpsecTamperTestCase("esp-null esp-sha-hmac", modelled, 72, 0),
                        TestCase::QUICK);
            AddTestCase(new IpsecTamperTestCase("ah-sha-hmac", modelled, 72, 1), TestCase::QUICK);
            AddTestCase(
                new IpsecTamperTestCase("ah-sha-hmac esp-aes esp-sha-hmac", modelled, 124, 1),
                TestCase::QUICK);
        }
        AddTestCase(new IpsecTamperTestCase("esp-gcm", false, 84, 0), TestCase::QUICK);

        // The modelled GCM tag must cover the IV, as real GCM does through its nonce.
        AddTestCase(new IpsecTamperTestCase("esp-gcm", true, 84, 0), TestCase::QUICK);

        // A packet must pass every SA of its bundle: ESP alone does not satisfy AH+ESP.
        AddTestCase(new IpsecBundleBypassTestCase, TestCase::QUICK);
        AddTestCase(new IpsecTruncatedInnerTestCase, TestCase::QUICK);
        AddTestCase(new IpsecNullWithoutIntegrityTestCase, TestCase::QUICK);
    }
};

/// Registers the suite.
static IpsecDataPathTestSuite g_ipsecDataPathTestSuite;
