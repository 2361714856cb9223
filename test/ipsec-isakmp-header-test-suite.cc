// Copyright (c) 2026 The ns3-ipsec authors
// SPDX-License-Identifier: GPL-2.0-only

#include "ns3/isakmp-header.h"
#include "ns3/isakmp-policy.h"
#include "ns3/test.h"

#include <cstdint>
#include <random>
#include <vector>

/**
 * \file
 * \ingroup ipsec
 * ISAKMP wire format: round trips, exact sizes, and rejection of hostile input.
 */

namespace ns3
{
namespace
{

/// A main mode MM1 with one AES-128/SHA/group 2 transform and one 16-byte vendor ID.
IsakmpMessage
MakeMm1()
{
    IsakmpMessage message;
    message.initiatorCookie = 0x0102030405060708ULL;
    message.exchangeType = ISAKMP_EXCHANGE_MAIN_MODE;
    IsakmpPayload sa;
    sa.type = ISAKMP_SA;
    IsakmpProposal proposal;
    IsakmpTransform transform;
    transform.id = 1;
    transform.attributes = {{1, 7, false},
                            {14, 128, false},
                            {2, 2, false},
                            {3, 1, false},
                            {4, 2, false},
                            {11, 1, false},
                            {12, 86400, true}};
    proposal.transforms.push_back(transform);
    sa.proposals.push_back(proposal);
    IsakmpPayload vid;
    vid.type = ISAKMP_VENDOR_ID;
    vid.data.assign(16, 0xaf);
    message.payloads = {sa, vid};
    return message;
}

/**
 * \ingroup ipsec
 * Serializes MM1 and reads it back.
 */
class IsakmpMm1RoundTripTestCase : public TestCase
{
  public:
    IsakmpMm1RoundTripTestCase()
        : TestCase("MM1 round trip and size")
    {
    }

  private:
    void DoRun() override
    {
        IsakmpMessage message = MakeMm1();
        std::vector<uint8_t> bytes = message.Serialize();

        // 28 header + SA (4 generic + 8 DOI/situation + 8 proposal + transform of 8 and
        // six 4-byte TV attributes and one 8-byte TLV lifetime = 40) + VID (4 + 16).
        NS_TEST_ASSERT_MSG_EQ(bytes.size(), 28u + 60u + 20u, "MM1 size");
        NS_TEST_ASSERT_MSG_EQ(bytes[17], 0x10, "version byte");
        NS_TEST_ASSERT_MSG_EQ(message.payloads[0].offset, 28u, "SA offset");
        NS_TEST_ASSERT_MSG_EQ(message.payloads[0].length, 60u, "SA length");

        IsakmpMessage parsed;
        uint32_t end = 0;
        IsakmpParseError error = IsakmpMessage::Parse(bytes.data(), bytes.size(), parsed, end);
        NS_TEST_ASSERT_MSG_EQ(static_cast<int>(error), 0, "parse error");
        NS_TEST_ASSERT_MSG_EQ(end, bytes.size(), "payloads end");
        NS_TEST_ASSERT_MSG_EQ(parsed.initiatorCookie, 0x0102030405060708ULL, "cookie");
        NS_TEST_ASSERT_MSG_EQ(parsed.payloads.size(), 2u, "payload count");
        const IsakmpPayload* sa = parsed.Find(ISAKMP_SA);
        NS_TEST_ASSERT_MSG_NE(sa, nullptr, "SA payload");
        NS_TEST_ASSERT_MSG_EQ(sa->proposals.size(), 1u, "proposals");
        NS_TEST_ASSERT_MSG_EQ(sa->proposals[0].transforms.size(), 1u, "transforms");
        uint32_t lifetime = 0;
        NS_TEST_ASSERT_MSG_EQ(sa->proposals[0].transforms[0].FindAttribute(12, lifetime),
                              true,
                              "lifetime attribute");
        NS_TEST_ASSERT_MSG_EQ(lifetime, 86400u, "lifetime value");
        NS_TEST_ASSERT_MSG_EQ(parsed.Find(ISAKMP_VENDOR_ID)->data.size(), 16u, "VID");

        // Serializing the parsed message gives the same bytes.
        NS_TEST_ASSERT_MSG_EQ((parsed.Serialize() == bytes), true, "identical bytes");
    }
};

/**
 * \ingroup ipsec
 * KE, nonce and padded encrypted messages have the sizes RFC 2409 gives them.
 */
class IsakmpSizesTestCase : public TestCase
{
  public:
    IsakmpSizesTestCase()
        : TestCase("KE, nonce and padding sizes")
    {
    }

  private:
    void DoRun() override
    {
        // KE data is the group's modulus: 768, 1024, 1536 and 2048 bits.
        const uint32_t groups[] = {1, 2, 5, 14};
        const uint32_t moduli[] = {96, 128, 192, 256};
        for (int i = 0; i < 4; ++i)
        {
            IsakmpPolicy policy;
            NS_TEST_ASSERT_MSG_EQ(policy.SetGroup(groups[i]), "", "group accepted");
            NS_TEST_ASSERT_MSG_EQ(policy.GetModulusSize(), moduli[i], "modulus size");

            // MM3: 28 + KE (4 + modulus) + nonce (4 + 16).
            IsakmpMessage mm3;
            mm3.exchangeType = ISAKMP_EXCHANGE_MAIN_MODE;
            IsakmpPayload ke;
            ke.type = ISAKMP_KEY_EXCHANGE;
            ke.data.assign(policy.GetModulusSize(), 1);
            IsakmpPayload nonce;
            nonce.type = ISAKMP_NONCE;
            nonce.data.assign(16, 2);
            mm3.payloads = {ke, nonce};
            NS_TEST_ASSERT_MSG_EQ(mm3.Serialize().size(), 28 + 4 + moduli[i] + 20, "MM3 size");
        }

        // MM5: ID (4 + 4 + 4) and HASH (4 + 20) = 36 bytes, padded to 48 for AES and 40 for
        // 3DES, with the encrypted flag set.
        IsakmpMessage mm5;
        mm5.exchangeType = ISAKMP_EXCHANGE_MAIN_MODE;
        IsakmpPayload id;
        id.type = ISAKMP_ID;
        id.idType = 1;
        id.data.assign(4, 9);
        IsakmpPayload hash;
        hash.type = ISAKMP_HASH;
        hash.data.assign(20, 3);
        mm5.payloads = {id, hash};
        std::vector<uint8_t> aes = mm5.Serialize(16);
        NS_TEST_ASSERT_MSG_EQ(aes.size(), 28u + 48u, "MM5 with AES padding");
        NS_TEST_ASSERT_MSG_EQ((aes[19] & ISAKMP_FLAG_ENCRYPTED), ISAKMP_FLAG_ENCRYPTED, "E flag");
        NS_TEST_ASSERT_MSG_EQ(mm5.Serialize(8).size(), 28u + 40u, "MM5 with 3DES padding");

        // The padding is accepted because the E flag is set, and excluded from payloadsEnd.
        IsakmpMessage parsed;
        uint32_t end = 0;
        NS_TEST_ASSERT_MSG_EQ(
            static_cast<int>(IsakmpMessage::Parse(aes.data(), aes.size(), parsed, end)),
            0,
            "padded message accepted");
        NS_TEST_ASSERT_MSG_EQ(end, 28u + 36u, "payloads end before padding");

        // HASH sizes follow the PRF.
        IsakmpPolicy policy;
        NS_TEST_ASSERT_MSG_EQ(policy.GetHashSize(), 20u, "sha");
        policy.SetHash("sha256");
        NS_TEST_ASSERT_MSG_EQ(policy.GetHashSize(), 32u, "sha256");
        policy.SetHash("md5");
        NS_TEST_ASSERT_MSG_EQ(policy.GetHashSize(), 16u, "md5");
    }
};

/**
 * \ingroup ipsec
 * Notification and delete payloads survive a round trip.
 */
class IsakmpNotifyDeleteTestCase : public TestCase
{
  public:
    IsakmpNotifyDeleteTestCase()
        : TestCase("notify and delete round trip")
    {
    }

  private:
    void DoRun() override
    {
        IsakmpMessage message;
        message.exchangeType = ISAKMP_EXCHANGE_INFORMATIONAL;
        message.messageId = 0xdeadbeef;
        IsakmpPayload notify;
        notify.type = ISAKMP_NOTIFICATION;
        notify.protocol = ISAKMP_PROTO_ISAKMP;
        notify.notifyType = ISAKMP_NOTIFY_R_U_THERE;
        notify.spi.assign(16, 0x11);
        notify.data = {0, 0, 0, 7};
        IsakmpPayload del;
        del.type = ISAKMP_DELETE;
        del.protocol = ISAKMP_PROTO_IPSEC_ESP;
        del.spiSize = 4;
        del.spis = {{1, 2, 3, 4}, {5, 6, 7, 8}};
        message.payloads = {notify, del};
        std::vector<uint8_t> bytes = message.Serialize();

        // 28 + notify (4 + 8 + 16 SPI + 4 data) + delete (4 + 8 + 2 x 4).
        NS_TEST_ASSERT_MSG_EQ(bytes.size(), 28u + 32u + 20u, "size");
        IsakmpMessage parsed;
        uint32_t end = 0;
        NS_TEST_ASSERT_MSG_EQ(
            static_cast<int>(IsakmpMessage::Parse(bytes.data(), bytes.size(), parsed, end)),
            0,
            "parse");
        NS_TEST_ASSERT_MSG_EQ(parsed.messageId, 0xdeadbeefU, "message ID");
        const IsakmpPayload* n = parsed.Find(ISAKMP_NOTIFICATION);
        NS_TEST_ASSERT_MSG_EQ(n->notifyType, ISAKMP_NOTIFY_R_U_THERE, "notify type");
        NS_TEST_ASSERT_MSG_EQ(n->spi.size(), 16u, "notify SPI size");
        NS_TEST_ASSERT_MSG_EQ(n->data.size(), 4u, "notify data");
        NS_TEST_ASSERT_MSG_EQ(+n->data[3], 7, "sequence byte");
        const IsakmpPayload* d = parsed.Find(ISAKMP_DELETE);
        NS_TEST_ASSERT_MSG_EQ(d->spis.size(), 2u, "delete SPI count");
        NS_TEST_ASSERT_MSG_EQ(+d->spis[1][3], 8, "second SPI");
    }
};

/**
 * \ingroup ipsec
 * Hand-made hostile messages are rejected with the right reason.
 */
class IsakmpRejectTestCase : public TestCase
{
  public:
    IsakmpRejectTestCase()
        : TestCase("hostile messages rejected")
    {
    }

  private:
    /// Parses bytes and returns the error.
    static IsakmpParseError Check(const std::vector<uint8_t>& bytes)
    {
        IsakmpMessage parsed;
        uint32_t end = 0;
        return IsakmpMessage::Parse(bytes.data(), bytes.size(), parsed, end);
    }

    void DoRun() override
    {
        IsakmpMessage message = MakeMm1();
        const std::vector<uint8_t> good = message.Serialize();

        std::vector<uint8_t> bytes(good.begin(), good.begin() + 27);
        NS_TEST_ASSERT_MSG_EQ((Check(bytes) == IsakmpParseError::TRUNCATED), true, "short header");

        bytes = good;
        bytes[17] = 0x20;
        NS_TEST_ASSERT_MSG_EQ((Check(bytes) == IsakmpParseError::BAD_VERSION), true, "version 2");

        bytes = good;
        bytes.push_back(0);
        NS_TEST_ASSERT_MSG_EQ((Check(bytes) == IsakmpParseError::BAD_LENGTH), true, "extra byte");

        // A payload length of 0 would loop for ever in a naive parser.
        bytes = good;
        bytes[28 + 2] = 0;
        bytes[28 + 3] = 0;
        NS_TEST_ASSERT_MSG_EQ((Check(bytes) == IsakmpParseError::BAD_PAYLOAD_LENGTH),
                              true,
                              "zero payload length");

        // A payload length past the end.
        bytes = good;
        bytes[28 + 2] = 0xff;
        NS_TEST_ASSERT_MSG_EQ((Check(bytes) == IsakmpParseError::BAD_PAYLOAD_LENGTH),
                              true,
                              "payload past the end");

        // A transform count that disagrees with the transforms present.
        bytes = good;
        bytes[28 + 12 + 7] = 2;
        NS_TEST_ASSERT_MSG_EQ((Check(bytes) == IsakmpParseError::BAD_PAYLOAD),
                              true,
                              "transform count");

        // Unknown payload type.
        bytes = good;
        bytes[16] = 99;
        NS_TEST_ASSERT_MSG_EQ((Check(bytes) == IsakmpParseError::UNKNOWN_PAYLOAD),
                              true,
                              "unknown payload");

        // More payloads than the bound.
        IsakmpMessage many;
        for (uint32_t i = 0; i < IsakmpMessage::MAX_PAYLOADS + 1; ++i)
        {
            IsakmpPayload vid;
            vid.type = ISAKMP_VENDOR_ID;
            vid.data.assign(1, i);
            many.payloads.push_back(vid);
        }
        NS_TEST_ASSERT_MSG_EQ((Check(many.Serialize()) == IsakmpParseError::TOO_MANY),
                              true,
                              "too many payloads");

        // A delete whose SPI count does not fill the payload.
        IsakmpMessage del;
        IsakmpPayload payload;
        payload.type = ISAKMP_DELETE;
        payload.spis = {{1, 2, 3, 4}};
        del.payloads = {payload};
        bytes = del.Serialize();
        bytes[28 + 4 + 7] = 3;
        NS_TEST_ASSERT_MSG_EQ((Check(bytes) == IsakmpParseError::BAD_PAYLOAD),
                              true,
                              "delete count");
    }
};

/**
 * \ingroup ipsec
 * Every truncation of valid messages, and random bytes and bit flips, are handled without
 * a crash; truncations are always rejected.
 */
class IsakmpFuzzTestCase : public TestCase
{
  public:
    IsakmpFuzzTestCase()
        : TestCase("fuzz truncations and random bytes")
    {
    }

  private:
    void DoRun() override
    {
        IsakmpMessage mm1 = MakeMm1();
        std::vector<uint8_t> good = mm1.Serialize();

        // Truncations keep the length field of the whole message, so each one is rejected.
        uint32_t rejected = 0;
        for (uint32_t size = 0; size < good.size(); ++size)
        {
            IsakmpMessage parsed;
            uint32_t end = 0;
            rejected +=
                IsakmpMessage::Parse(good.data(), size, parsed, end) != IsakmpParseError::NONE ? 1
                                                                                               : 0;
        }
        NS_TEST_ASSERT_MSG_EQ(rejected, good.size(), "every truncation rejected");

        // Random bit flips of the valid message, and random datagrams with a valid-looking
        // header, from a fixed seed. Accepted results must respect the bounds.
        std::mt19937 generator(12345);
        uint32_t accepted = 0;
        for (uint32_t round = 0; round < 20000; ++round)
        {
            std::vector<uint8_t> bytes = good;
            if (round % 2 == 0)
            {
                uint32_t flips = 1 + generator() % 4;
                for (uint32_t f = 0; f < flips; ++f)
                {
                    bytes[generator() % bytes.size()] ^= 1u << (generator() % 8);
                }
            }
            else
            {
                bytes.resize(28 + generator() % 200);
                for (uint32_t i = 16; i < bytes.size(); ++i)
                {
                    bytes[i] = generator();
                }
                bytes[16] = 1 + generator() % 13;
                bytes[17] = 0x10;
                bytes[24] = 0;
                bytes[25] = 0;
                bytes[26] = bytes.size() >> 8;
                bytes[27] = bytes.size() & 0xff;
            }
            IsakmpMessage parsed;
            uint32_t end = 0;
            if (IsakmpMessage::Parse(bytes.data(), bytes.size(), parsed, end) ==
                IsakmpParseError::NONE)
            {
                ++accepted;
                NS_TEST_ASSERT_MSG_LT_OR_EQ(parsed.payloads.size(),
                                            IsakmpMessage::MAX_PAYLOADS,
                                            "payload bound");
                NS_TEST_ASSERT_MSG_LT_OR_EQ(end, bytes.size(), "payloads inside the datagram");
            }
        }
        NS_TEST_ASSERT_MSG_LT(accepted, 20000u, "most random input rejected");
    }
};

/**
 * \ingroup ipsec
 * The ISAKMP wire format suite.
 */
class IpsecIsakmpHeaderTestSuite : public TestSuite
{
  public:
    IpsecIsakmpHeaderTestSuite()
        : TestSuite("ipsec-isakmp-header", UNIT)
    {
        AddTestCase(new IsakmpMm1RoundTripTestCase, TestCase::QUICK);
        AddTestCase(new IsakmpSizesTestCase, TestCase::QUICK);
        AddTestCase(new IsakmpNotifyDeleteTestCase, TestCase::QUICK);
        AddTestCase(new IsakmpRejectTestCase, TestCase::QUICK);
        AddTestCase(new IsakmpFuzzTestCase, TestCase::QUICK);
    }
};

/// Registers the suite.
static IpsecIsakmpHeaderTestSuite g_ipsecIsakmpHeaderTestSuite;

} // namespace
} // namespace ns3
