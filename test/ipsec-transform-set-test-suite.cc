// Copyright (c) 2026 The ns3-ipsec authors
// SPDX-License-Identifier: GPL-2.0-only

// Tests of IpsecTransformSet: parsing of IOS transform lists, key and ICV lengths, the
// descriptions IOS prints, and the per-packet overheads, all computed by hand in comments.

#include "ns3/abort.h"
#include "ns3/ipsec-transform-set.h"
#include "ns3/test.h"

#include <string>
#include <vector>

using namespace ns3;

namespace
{

/**
 * Parses a transform list that must be valid.
 * \param transforms the transform list
 * \return the transform set
 */
IpsecTransformSet
ParseValid(const std::string& transforms)
{
    IpsecTransformSet set;
    std::string error = IpsecTransformSet::Parse("TS", transforms, set);
    NS_ABORT_MSG_IF(!error.empty(), "test list \"" << transforms << "\" rejected: " << error);
    return set;
}

} // namespace

/**
 * \ingroup ipsec
 * Valid transform lists give the expected algorithms, key lengths and descriptions.
 */
class IpsecTransformSetParseTestCase : public TestCase
{
  public:
    IpsecTransformSetParseTestCase()
        : TestCase("parse valid transform lists")
    {
    }

  private:
    void DoRun() override
    {
        IpsecTransformSet set;
        std::string error = IpsecTransformSet::Parse("VPN", "esp-aes esp-sha-hmac", set);
        NS_TEST_ASSERT_MSG_EQ(error, "", "esp-aes esp-sha-hmac rejected");
        NS_TEST_EXPECT_MSG_EQ(set.GetName(), "VPN", "name");
        NS_TEST_EXPECT_MSG_EQ((set.GetMode() == IpsecMode::TUNNEL), true, "default mode");
        NS_TEST_EXPECT_MSG_EQ(set.HasEsp(), true, "HasEsp");
        NS_TEST_EXPECT_MSG_EQ(set.HasAh(), false, "HasAh");
        NS_TEST_EXPECT_MSG_EQ((set.GetEspEncryption() == IpsecEncryption::AES_CBC),
                              true,
                              "encryption");
        NS_TEST_EXPECT_MSG_EQ((set.GetEspIntegrity() == IpsecIntegrity::HMAC_SHA1_96),
                              true,
                              "integrity");
        NS_TEST_EXPECT_MSG_EQ(set.GetEncryptionKeyBits(), 128, "default AES key size");
        NS_TEST_EXPECT_MSG_EQ(set.GetEspEncryptionKeyLength(), 16, "AES-128 key length");
        NS_TEST_EXPECT_MSG_EQ(set.GetEspIntegrityKeyLength(), 20, "SHA-1 key length");
        NS_TEST_EXPECT_MSG_EQ(set.GetAhIntegrityKeyLength(), 0, "AH key length without AH");
        NS_TEST_EXPECT_MSG_EQ(set.GetEspIvLength(), 16, "AES-CBC IV length");
        NS_TEST_EXPECT_MSG_EQ(set.GetEspPadAlignment(), 16, "AES-CBC alignment");
        NS_TEST_EXPECT_MSG_EQ(set.GetEspIcvLength(), 12, "SHA1-96 ICV length");
        NS_TEST_EXPECT_MSG_EQ(set.GetAhIcvLength(), 0, "AH ICV without AH");
        NS_TEST_EXPECT_MSG_EQ(set.GetEspDescription(), "esp-aes esp-sha-hmac ", "ESP description");
        NS_TEST_EXPECT_MSG_EQ(set.GetAhDescription(), "", "AH description without AH");
        NS_TEST_EXPECT_MSG_EQ(set.GetDescription(), "esp-aes esp-sha-hmac", "description");

        set = ParseValid("esp-aes 256 esp-sha-hmac");
        NS_TEST_EXPECT_MSG_EQ(set.GetEncryptionKeyBits(), 256, "AES-256 key size");
        NS_TEST_EXPECT_MSG_EQ(set.GetEspEncryptionKeyLength(), 32, "AES-256 key length");
        NS_TEST_EXPECT_MSG_EQ(set.GetEspDescription(),
                              "esp-256-aes esp-sha-hmac ",
                              "AES-256 ESP description");
        NS_TEST_EXPECT_MSG_EQ(set.GetDescription(),
                              "esp-aes 256 esp-sha-hmac",
                              "AES-256 description");

        set = ParseValid("esp-aes 192 esp-sha256-hmac");
        NS_TEST_EXPECT_MSG_EQ(set.GetEspEncryptionKeyLength(), 24, "AES-192 key length");
        NS_TEST_EXPECT_MSG_EQ(set.GetEspIntegrityKeyLength(), 32, "SHA-256 key length");
        NS_TEST_EXPECT_MSG_EQ(set.GetEspIcvLength(), 16, "SHA-256-128 ICV length");
        NS_TEST_EXPECT_MSG_EQ(set.GetEspDescription(),
                              "esp-192-aes esp-sha256-hmac ",
                              "AES-192 ESP description");

        set = ParseValid("esp-aes 128");
        NS_TEST_EXPECT_MSG_EQ(set.GetEncryptionKeyBits(), 128, "explicit AES-128");
        NS_TEST_EXPECT_MSG_EQ(set.GetEspIcvLength(), 0, "ICV without integrity");
        NS_TEST_EXPECT_MSG_EQ(set.GetEspDescription(), "esp-aes ", "esp-aes alone");

        set = ParseValid("esp-gcm");
        NS_TEST_EXPECT_MSG_EQ((set.GetEspEncryption() == IpsecEncryption::AES_GCM),
                              true,
                              "GCM encryption");
        NS_TEST_EXPECT_MSG_EQ((set.GetEspIntegrity() == IpsecIntegrity::NONE),
                              true,
                              "GCM has no separate integrity");
        NS_TEST_EXPECT_MSG_EQ(set.GetEspEncryptionKeyLength(), 20, "GCM-128 key plus salt");
        NS_TEST_EXPECT_MSG_EQ(set.GetEspIntegrityKeyLength(), 0, "GCM integrity key");
        NS_TEST_EXPECT_MSG_EQ(set.GetEspIvLength(), 8, "GCM IV length");
        NS_TEST_EXPECT_MSG_EQ(set.GetEspPadAlignment(), 4, "GCM alignment");
        NS_TEST_EXPECT_MSG_EQ(set.GetEspIcvLength(), 16, "GCM ICV length");
        NS_TEST_EXPECT_MSG_EQ(set.GetEspDescription(), "esp-gcm ", "GCM ESP description");

        set = ParseValid("ah-sha256-hmac esp-gcm 256");
        NS_TEST_EXPECT_MSG_EQ(set.GetEspEncryptionKeyLength(), 36, "GCM-256 key plus salt");
        NS_TEST_EXPECT_MSG_EQ(set.GetAhIcvLength(), 16, "AH SHA-256 ICV");
        NS_TEST_EXPECT_MSG_EQ(set.GetAhIntegrityKeyLength(), 32, "AH SHA-256 key");
        NS_TEST_EXPECT_MSG_EQ(set.GetAhDescription(), "ah-sha256-hmac ", "AH SHA-256 description");
        NS_TEST_EXPECT_MSG_EQ(set.GetDescription(),
                              "ah-sha256-hmac esp-gcm 256",
                              "AH and GCM-256 description");

        set = ParseValid("ah-sha-hmac");
        NS_TEST_EXPECT_MSG_EQ(set.HasAh(), true, "AH only: HasAh");
        NS_TEST_EXPECT_MSG_EQ(set.HasEsp(), false, "AH only: HasEsp");
        NS_TEST_EXPECT_MSG_EQ(set.GetAhIcvLength(), 12, "AH SHA-1 ICV");
        NS_TEST_EXPECT_MSG_EQ(set.GetAhIntegrityKeyLength(), 20, "AH SHA-1 key");
        NS_TEST_EXPECT_MSG_EQ(set.GetEspIvLength(), 0, "AH only: ESP IV");
        NS_TEST_EXPECT_MSG_EQ(set.GetEspEncryptionKeyLength(), 0, "AH only: ESP key");
        NS_TEST_EXPECT_MSG_EQ(set.GetAhDescription(), "ah-sha-hmac ", "AH description");
        NS_TEST_EXPECT_MSG_EQ(set.GetEspDescription(), "", "AH only: ESP description");

        set = ParseValid("ah-sha-hmac esp-aes esp-sha-hmac");
        NS_TEST_EXPECT_MSG_EQ(set.GetDescription(),
                              "ah-sha-hmac esp-aes esp-sha-hmac",
                              "bundle description");

        set = ParseValid("esp-null esp-sha-hmac");
        NS_TEST_EXPECT_MSG_EQ((set.GetEspEncryption() == IpsecEncryption::NULL_ENCRYPTION),
                              true,
                              "esp-null encryption");
        NS_TEST_EXPECT_MSG_EQ(set.GetEspIvLength(), 0, "esp-null IV");
        NS_TEST_EXPECT_MSG_EQ(set.GetEspPadAlignment(), 4, "esp-null alignment");
        NS_TEST_EXPECT_MSG_EQ(set.GetEspEncryptionKeyLength(), 0, "esp-null key");
        NS_TEST_EXPECT_MSG_EQ(set.GetEncryptionKeyBits(), 0, "esp-null key bits");
        NS_TEST_EXPECT_MSG_EQ(set.GetEspDescription(),
                              "esp-null esp-sha-hmac ",
                              "esp-null description");

        // Order and extra spaces do not matter, and the description is canonical.
        set = ParseValid("  esp-sha-hmac   esp-aes  ");
        NS_TEST_EXPECT_MSG_EQ(set.GetDescription(), "esp-aes esp-sha-hmac", "reordered list");

        set = IpsecTransformSet::FromString("FROM", "esp-gcm 192");
        NS_TEST_EXPECT_MSG_EQ(set.GetName(), "FROM", "FromString name");
        NS_TEST_EXPECT_MSG_EQ(set.GetEspEncryptionKeyLength(), 28, "GCM-192 key plus salt");
    }
};

/**
 * \ingroup ipsec
 * Invalid transform lists give a one-line error naming the bad word and leave the set
 * unchanged.
 */
class IpsecTransformSetErrorTestCase : public TestCase
{
  public:
    IpsecTransformSetErrorTestCase()
        : TestCase("parse invalid transform lists")
    {
    }

  private:
    void DoRun() override
    {
        struct InvalidList
        {
            std::string transforms; //!< the list
            std::string badWord;    //!< text the error must contain
        };

        std::vector<InvalidList> lists = {
            {"", "empty"},
            {"   ", "empty"},
            {"esp-des", "\"esp-des\""},
            {"esp-aes esp-aes", "\"esp-aes\""},
            {"esp-aes esp-null", "\"esp-null\""},
            {"esp-gcm esp-aes 256", "\"esp-aes\""},
            {"ah-sha-hmac ah-sha256-hmac", "\"ah-sha256-hmac\""},
            {"esp-aes esp-sha-hmac esp-sha256-hmac", "\"esp-sha256-hmac\""},
            {"esp-gcm esp-sha-hmac", "\"esp-sha-hmac\""},
            {"esp-sha256-hmac esp-gcm", "\"esp-sha256-hmac\""},
            {"esp-sha-hmac", "esp-null"},
            {"ah-sha-hmac esp-sha256-hmac", "\"esp-sha256-hmac\""},
            {"esp-aes 512", "\"512\""},
            {"esp-gcm 64 ", "\"64\""},
            {"256 esp-aes", "\"256\""},
            {"esp-null 128", "\"128\""},
            {"esp-aes esp-md5-hmac", "\"esp-md5-hmac\""},
        };

        for (const auto& list : lists)
        {
            IpsecTransformSet set = ParseValid("ah-sha-hmac");
            std::string error = IpsecTransformSet::Parse("BAD", list.transforms, set);

            NS_TEST_EXPECT_MSG_NE(error, "", "\"" << list.transforms << "\" accepted");
            NS_TEST_EXPECT_MSG_NE(error.find(list.badWord),
                                  std::string::npos,
                                  "error for \"" << list.transforms << "\" does not name "
                                                 << list.badWord << ": " << error);
            NS_TEST_EXPECT_MSG_NE(error.find("esp-aes [128|192|256]"),
                                  std::string::npos,
                                  "error does not list the valid transforms: " << error);
            NS_TEST_EXPECT_MSG_NE(error.find("BAD"),
                                  std::string::npos,
                                  "error does not name the transform set: " << error);
            NS_TEST_EXPECT_MSG_EQ(error.find('\n'),
                                  std::string::npos,
                                  "error is not one line: " << error);

            // The set keeps its previous content.
            NS_TEST_EXPECT_MSG_EQ(set.GetName(), "TS", "name changed on error");
            NS_TEST_EXPECT_MSG_EQ(set.GetDescription(),
                                  "ah-sha-hmac",
                                  "transforms changed on error for \"" << list.transforms << "\"");
        }
    }
};

/**
 * \ingroup ipsec
 * Integrity helpers give the RFC 2404 and RFC 4868 key and ICV lengths.
 */
class IpsecIntegrityLengthTestCase : public TestCase
{
  public:
    IpsecIntegrityLengthTestCase()
        : TestCase("integrity key and ICV lengths")
    {
    }

  private:
    void DoRun() override
    {
        NS_TEST_EXPECT_MSG_EQ(GetIntegrityIcvLength(IpsecIntegrity::NONE), 0, "NONE ICV");
        NS_TEST_EXPECT_MSG_EQ(GetIntegrityIcvLength(IpsecIntegrity::HMAC_SHA1_96),
                              12,
                              "SHA1-96 ICV");
        NS_TEST_EXPECT_MSG_EQ(GetIntegrityIcvLength(IpsecIntegrity::HMAC_SHA256_128),
                              16,
                              "SHA-256-128 ICV");
        NS_TEST_EXPECT_MSG_EQ(GetIntegrityKeyLength(IpsecIntegrity::NONE), 0, "NONE key");
        NS_TEST_EXPECT_MSG_EQ(GetIntegrityKeyLength(IpsecIntegrity::HMAC_SHA1_96), 20, "SHA-1 key");
        NS_TEST_EXPECT_MSG_EQ(GetIntegrityKeyLength(IpsecIntegrity::HMAC_SHA256_128),
                              32,
                              "SHA-256 key");
    }
};

/**
 * \ingroup ipsec
 * ESP and AH overheads for each transform and several payload sizes.
 *
 * ESP overhead = 8 (SPI, sequence) + IV + padding + 2 (pad length, next header) + ICV, where
 * the padding makes payload + padding + 2 a multiple of the alignment.
 */
class IpsecTransformSetOverheadTestCase : public TestCase
{
  public:
    IpsecTransformSetOverheadTestCase()
        : TestCase("ESP and AH overheads")
    {
    }

  private:
    void DoRun() override
    {
        IpsecTransformSet set = ParseValid("esp-aes esp-sha-hmac");
        // 100 + 2 = 102, padded to 112: 10 bytes. 8 + 16 + 10 + 2 + 12 = 48.
        NS_TEST_EXPECT_MSG_EQ(set.GetEspOverhead(100), 48, "esp-aes sha1, 100 bytes");
        // 14 + 2 = 16 needs no padding. 8 + 16 + 0 + 2 + 12 = 38.
        NS_TEST_EXPECT_MSG_EQ(set.GetEspOverhead(14), 38, "esp-aes sha1, 14 bytes");
        // 15 + 2 = 17, padded to 32: 15 bytes. 8 + 16 + 15 + 2 + 12 = 53.
        NS_TEST_EXPECT_MSG_EQ(set.GetEspOverhead(15), 53, "esp-aes sha1, 15 bytes");
        // 1400 + 2 = 1402, padded to 1408: 6 bytes. 8 + 16 + 6 + 2 + 12 = 44.
        NS_TEST_EXPECT_MSG_EQ(set.GetEspOverhead(1400), 44, "esp-aes sha1, 1400 bytes");
        NS_TEST_EXPECT_MSG_EQ(set.GetAhOverhead(), 0, "no AH");

        set = ParseValid("esp-aes 256 esp-sha256-hmac");
        // 100: padding 10 as above. 8 + 16 + 10 + 2 + 16 = 52.
        NS_TEST_EXPECT_MSG_EQ(set.GetEspOverhead(100), 52, "esp-aes 256 sha256, 100 bytes");

        set = ParseValid("esp-gcm");
        // 100 + 2 = 102, padded to 104: 2 bytes. 8 + 8 + 2 + 2 + 16 = 36.
        NS_TEST_EXPECT_MSG_EQ(set.GetEspOverhead(100), 36, "esp-gcm, 100 bytes");
        // 101 + 2 = 103 -> 104: 1 byte. 8 + 8 + 1 + 2 + 16 = 35.
        NS_TEST_EXPECT_MSG_EQ(set.GetEspOverhead(101), 35, "esp-gcm, 101 bytes");
        // 102 + 2 = 104: no padding. 8 + 8 + 0 + 2 + 16 = 34.
        NS_TEST_EXPECT_MSG_EQ(set.GetEspOverhead(102), 34, "esp-gcm, 102 bytes");
        // 103 + 2 = 105 -> 108: 3 bytes. 8 + 8 + 3 + 2 + 16 = 37.
        NS_TEST_EXPECT_MSG_EQ(set.GetEspOverhead(103), 37, "esp-gcm, 103 bytes");

        set = ParseValid("esp-null esp-sha-hmac");
        // 100 + 2 = 102 -> 104: 2 bytes. 8 + 0 + 2 + 2 + 12 = 24.
        NS_TEST_EXPECT_MSG_EQ(set.GetEspOverhead(100), 24, "esp-null sha1, 100 bytes");
        // 66 + 2 = 68: no padding. 8 + 0 + 0 + 2 + 12 = 22.
        NS_TEST_EXPECT_MSG_EQ(set.GetEspOverhead(66), 22, "esp-null sha1, 66 bytes");

        set = ParseValid("esp-null");
        // 8 + 0 + 2 + 2 + 0 = 12.
        NS_TEST_EXPECT_MSG_EQ(set.GetEspOverhead(100), 12, "esp-null alone, 100 bytes");

        set = ParseValid("ah-sha-hmac");
        NS_TEST_EXPECT_MSG_EQ(set.GetAhOverhead(), 24, "AH SHA-1: 12 + 12");
        NS_TEST_EXPECT_MSG_EQ(set.GetEspOverhead(100), 0, "no ESP");

        set = ParseValid("ah-sha256-hmac");
        NS_TEST_EXPECT_MSG_EQ(set.GetAhOverhead(), 28, "AH SHA-256: 12 + 16");
    }
};

/**
 * \ingroup ipsec
 * Encapsulated packet sizes in tunnel and transport mode.
 */
class IpsecTransformSetSizeTestCase : public TestCase
{
  public:
    IpsecTransformSetSizeTestCase()
        : TestCase("encapsulated packet sizes")
    {
    }

  private:
    void DoRun() override
    {
        IpsecTransformSet set = ParseValid("esp-aes esp-sha-hmac");
        // Tunnel: 20 + 8 + 16 + 100 + 10 + 2 + 12 = 168.
        NS_TEST_EXPECT_MSG_EQ(set.GetEncapsulatedSize(100), 168, "esp-aes sha1 tunnel, 100");
        // Tunnel: 20 + 1400 + 44 = 1464.
        NS_TEST_EXPECT_MSG_EQ(set.GetEncapsulatedSize(1400), 1464, "esp-aes sha1 tunnel, 1400");

        set.SetMode(IpsecMode::TRANSPORT);
        NS_TEST_EXPECT_MSG_EQ((set.GetMode() == IpsecMode::TRANSPORT), true, "SetMode");
        // Transport: ESP protects 80 bytes, 80 + 2 = 82 -> 96: 14 bytes of padding.
        // 100 + 8 + 16 + 14 + 2 + 12 = 152.
        NS_TEST_EXPECT_MSG_EQ(set.GetEncapsulatedSize(100), 152, "esp-aes sha1 transport, 100");
        // A 24-byte header leaves 76 bytes, 76 + 2 = 78 -> 80: 2 bytes of padding.
        // 100 + 8 + 16 + 2 + 2 + 12 = 140.
        NS_TEST_EXPECT_MSG_EQ(set.GetEncapsulatedSize(100, 24),
                              140,
                              "esp-aes sha1 transport, 24-byte header");

        // RFC 3602 section 4 case 5: an 84-byte ping in transport mode with esp-aes alone
        // becomes a 124-byte (0x7c) packet. 64 + 2 = 66 -> 80: 14 bytes of padding.
        // 84 + 8 + 16 + 14 + 2 = 124.
        set = ParseValid("esp-aes");
        set.SetMode(IpsecMode::TRANSPORT);
        NS_TEST_EXPECT_MSG_EQ(set.GetEncapsulatedSize(84), 0x7c, "RFC 3602 case 5 size");

        set = ParseValid("ah-sha-hmac esp-aes esp-sha-hmac");
        // Tunnel: 20 + 24 + 100 + 48 = 192.
        NS_TEST_EXPECT_MSG_EQ(set.GetEncapsulatedSize(100), 192, "AH+ESP tunnel, 100");

        set = ParseValid("ah-sha-hmac");
        // Tunnel: 20 + 24 + 100 = 144. Transport: 100 + 24 = 124.
        NS_TEST_EXPECT_MSG_EQ(set.GetEncapsulatedSize(100), 144, "AH tunnel, 100");
        set.SetMode(IpsecMode::TRANSPORT);
        NS_TEST_EXPECT_MSG_EQ(set.GetEncapsulatedSize(100), 124, "AH transport, 100");

        set = ParseValid("esp-gcm 256");
        // Tunnel: 20 + 100 + 36 = 156.
        NS_TEST_EXPECT_MSG_EQ(set.GetEncapsulatedSize(100), 156, "esp-gcm 256 tunnel, 100");
    }
};

/**
 * \ingroup ipsec
 * Transform set tests.
 */
class IpsecTransformSetTestSuite : public TestSuite
{
  public:
    IpsecTransformSetTestSuite()
        : TestSuite("ipsec-transform-set", UNIT)
    {
        AddTestCase(new IpsecTransformSetParseTestCase(), TestCase::QUICK);
        AddTestCase(new IpsecTransformSetErrorTestCase(), TestCase::QUICK);
        AddTestCase(new IpsecIntegrityLengthTestCase(), TestCase::QUICK);
        AddTestCase(new IpsecTransformSetOverheadTestCase(), TestCase::QUICK);
        AddTestCase(new IpsecTransformSetSizeTestCase(), TestCase::QUICK);
    }
};

/// Registers the suite.
static IpsecTransformSetTestSuite g_ipsecTransformSetTestSuite;
