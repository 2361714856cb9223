// Copyright (c) 2026 The ns3-ipsec authors
// SPDX-License-Identifier: GPL-2.0-only

// Known-answer tests of IpsecCipher and IpsecIntegrityCheck, real and modelled.
//
// The expected bytes are published test vectors, named at each vector. AES-CBC vectors are
// from RFC 3602 section 4. AES-GCM vectors are from "The Galois/Counter Mode of Operation
// (GCM)" by McGrew and Viega, appendix B. HMAC-SHA1-96 vectors are the RFC 2202 section 3
// cases truncated to 96 bits as RFC 2404 specifies. HMAC-SHA-256-128 vectors are from
// RFC 4868 section 2.7.2.1.

#include "ns3/abort.h"
#include "ns3/ipsec-cipher.h"
#include "ns3/ipsec-integrity.h"
#include "ns3/test.h"

#include <cstring>
#include <openssl/evp.h>
#include <string>
#include <vector>

using namespace ns3;

namespace
{

/**
 * Decodes hexadecimal digits, skipping spaces.
 * \param hex the digits
 * \return the bytes
 */
std::vector<uint8_t>
FromHex(const std::string& hex)
{
    std::vector<uint8_t> bytes;
    int high = -1;
    for (char c : hex)
    {
        if (c == ' ')
        {
            continue;
        }
        int value = (c >= '0' && c <= '9') ? c - '0' : (c >= 'a' && c <= 'f') ? c - 'a' + 10 : -1;
        NS_ABORT_MSG_IF(value < 0, "invalid hexadecimal digit '" << c << "' in a test vector");
        if (high < 0)
        {
            high = value;
        }
        else
        {
            bytes.push_back(static_cast<uint8_t>(high * 16 + value));
            high = -1;
        }
    }
    NS_ABORT_MSG_IF(high >= 0, "odd number of hexadecimal digits in a test vector");
    return bytes;
}

/**
 * Encodes bytes as lower-case hexadecimal digits.
 * \param data the bytes
 * \param length their number
 * \return the digits
 */
std::string
ToHex(const uint8_t* data, std::size_t length)
{
    static const char* digits = "0123456789abcdef";
    std::string hex;
    for (std::size_t i = 0; i < length; ++i)
    {
        hex += digits[data[i] >> 4];
        hex += digits[data[i] & 0x0f];
    }
    return hex;
}

/**
 * Encodes a byte vector as hexadecimal digits.
 * \param data the bytes
 * \return the digits
 */
std::string
ToHex(const std::vector<uint8_t>& data)
{
    return ToHex(data.data(), data.size());
}

/**
 * Returns the bytes of a text without its terminating zero.
 * \param text the text
 * \return the bytes
 */
std::vector<uint8_t>
FromText(const std::string& text)
{
    return std::vector<uint8_t>(text.begin(), text.end());
}

/// AES-CBC test vector: key, IV, plaintext and ciphertext.
struct CbcVector
{
    const char* name;           //!< the vector's name in its publication
    std::string key;            //!< key, hexadecimal
    std::string iv;             //!< IV, hexadecimal
    std::vector<uint8_t> plain; //!< plaintext bytes
    std::string cipher;         //!< ciphertext, hexadecimal
};

} // namespace

/**
 * \ingroup ipsec
 * AES-CBC against RFC 3602 section 4, cases 1 to 5.
 */
class IpsecAesCbcVectorTestCase : public TestCase
{
  public:
    IpsecAesCbcVectorTestCase()
        : TestCase("AES-CBC RFC 3602 vectors")
    {
    }

  private:
    void DoRun() override
    {
        std::vector<CbcVector> vectors = {
            {"RFC 3602 case 1",
             "06a9214036b8a15b512e03d534120006",
             "3dafba429d9eb430b422da802c9fac41",
             FromText("Single block msg"),
             "e353779c1079aeb82708942dbe77181a"},
            {"RFC 3602 case 2",
             "c286696d887c9aa0611bbb3e2025a45a",
             "562e17996d093d28ddb3ba695a2e6f58",
             FromHex("000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f"),
             "d296cd94c2cccf8a3a863028b5e1dc0a7586602d253cfff91b8266bea6d61ab1"},
            {"RFC 3602 case 3",
             "6c3ea0477630ce21a2ce334aa746c2cd",
             "c782dc4c098c66cbd9cd27d825682c81",
             FromText("This is a 48-byte message (exactly 3 AES blocks)"),
             "d0a02b3836451753d493665d33f0e886"
             "2dea54cdb293abc7506939276772f8d5"
             "021c19216bad525c8579695d83ba2684"},
            {"RFC 3602 case 4",
             "56e47a38c5598974bc46903dba290349",
             "8ce82eefbea0da3c44699ed7db51b7d9",
             FromHex("a0a1a2a3a4a5a6a7a8a9aaabacadaeaf b0b1b2b3b4b5b6b7b8b9babbbcbdbebf"
                     "c0c1c2c3c4c5c6c7c8c9cacbcccdcecf d0d1d2d3d4d5d6d7d8d9dadbdcdddedf"),
             "c30e32ffedc0774e6aff6af0869f71aa0f3af07a9a31a9c684db207eb0ef8e4e"
             "35907aa632c3ffdf868bb7b29d3d46ad83ce9f9a102ee99d49a53e87f4c3da55"},
            // Case 5 is an ESP packet (ping 192.168.123.100, transport mode): the plaintext
            // is the ICMP message, 14 bytes of padding, pad length 0x0e and next header 1.
            {"RFC 3602 case 5",
             "90d382b410eeba7ad938c46cec1a82bf",
             "e96e8c08ab465763fd098d45dd3ff893",
             FromHex("08000ebda70a00008e9c083db95b0700 08090a0b0c0d0e0f1011121314151617"
                     "18191a1b1c1d1e1f2021222324252627 28292a2b2c2d2e2f3031323334353637"
                     "0102030405060708090a0b0c0d0e0e01"),
             "f663c25d325c18c6a9453e194e120849 a4870b66cc6b9965330013b4898dc856"
             "a4699e523a55db080b59ec3a8e4b7e52 775b07d1db34ed9c538ab50c551b874a"
             "a269add047ad2d5913ac19b7cfbad4a6"},
        };

        for (const auto& vector : vectors)
        {
            IpsecCipher cipher(IpsecEncryption::AES_CBC, FromHex(vector.key), false);
            std::vector<uint8_t> iv = FromHex(vector.iv);
            std::vector<uint8_t> data = vector.plain;

            bool encrypted =
                cipher.Encrypt(iv.data(), data.data(), data.size(), nullptr, 0, nullptr);
            NS_TEST_EXPECT_MSG_EQ(encrypted, true, vector.name << ": encryption failed");
            NS_TEST_EXPECT_MSG_EQ(ToHex(data),
                                  ToHex(FromHex(vector.cipher)),
                                  vector.name << ": wrong ciphertext");

            bool decrypted =
                cipher.Decrypt(iv.data(), data.data(), data.size(), nullptr, 0, nullptr);
            NS_TEST_EXPECT_MSG_EQ(decrypted, true, vector.name << ": decryption failed");
            NS_TEST_EXPECT_MSG_EQ(ToHex(data),
                                  ToHex(vector.plain),
                                  vector.name << ": decryption did not restore the plaintext");
        }
    }
};

/**
 * \ingroup ipsec
 * AES-GCM against test cases 2, 3 and 4 of the GCM specification (McGrew and Viega,
 * appendix B). Their 96-bit IV is split into the 4-byte salt, passed as the last key bytes,
 * and the 8-byte ESP IV, as RFC 4106 section 4 builds the nonce.
 */
class IpsecAesGcmVectorTestCase : public TestCase
{
  public:
    IpsecAesGcmVectorTestCase()
        : TestCase("AES-GCM specification vectors")
    {
    }

  private:
    /**
     * Runs one vector and its tamper checks.
     * \param name the vector name
     * \param key the AES key, hexadecimal
     * \param nonce the 12-byte IV of the specification, hexadecimal
     * \param aad the additional authenticated data, hexadecimal (may be empty)
     * \param plain the plaintext, hexadecimal
     * \param cipherText the expected ciphertext, hexadecimal
     * \param tag the expected tag, hexadecimal
     */
    void RunVector(const std::string& name,
                   const std::string& key,
                   const std::string& nonce,
                   const std::string& aad,
                   const std::string& plain,
                   const std::string& cipherText,
                   const std::string& tag)
    {
        std::vector<uint8_t> nonceBytes = FromHex(nonce);
        std::vector<uint8_t> keyAndSalt = FromHex(key);
        keyAndSalt.insert(keyAndSalt.end(), nonceBytes.begin(), nonceBytes.begin() + 4);
        std::vector<uint8_t> iv(nonceBytes.begin() + 4, nonceBytes.end());
        std::vector<uint8_t> aadBytes = FromHex(aad);
        const uint8_t* aadPointer = aadBytes.empty() ? nullptr : aadBytes.data();

        IpsecCipher cipher(IpsecEncryption::AES_GCM, keyAndSalt, false);
        NS_TEST_EXPECT_MSG_EQ(cipher.GetIvLength(), 8, name << ": IV length");
        NS_TEST_EXPECT_MSG_EQ(cipher.GetTagLength(), 16, name << ": tag length");

        std::vector<uint8_t> data = FromHex(plain);
        uint8_t computedTag[16] = {};
        bool encrypted = cipher.Encrypt(iv.data(),
                                        data.data(),
                                        data.size(),
                                        aadPointer,
                                        aadBytes.size(),
                                        computedTag);
        NS_TEST_EXPECT_MSG_EQ(encrypted, true, name << ": encryption failed");
        NS_TEST_EXPECT_MSG_EQ(ToHex(data), cipherText, name << ": wrong ciphertext");
        NS_TEST_EXPECT_MSG_EQ(ToHex(computedTag, 16), tag, name << ": wrong tag");

        // A flipped ciphertext, AAD or tag byte must fail verification.
        std::vector<uint8_t> tampered = data;
        if (!tampered.empty())
        {
            tampered[tampered.size() / 2] ^= 0x01;
            NS_TEST_EXPECT_MSG_EQ(cipher.Decrypt(iv.data(),
                                                 tampered.data(),
                                                 tampered.size(),
                                                 aadPointer,
                                                 aadBytes.size(),
                                                 computedTag),
                                  false,
                                  name << ": flipped ciphertext byte accepted");
        }
        if (!aadBytes.empty())
        {
            std::vector<uint8_t> badAad = aadBytes;
            badAad[0] ^= 0x80;
            tampered = data;
            NS_TEST_EXPECT_MSG_EQ(cipher.Decrypt(iv.data(),
                                                 tampered.data(),
                                                 tampered.size(),
                                                 badAad.data(),
                                                 badAad.size(),
                                                 computedTag),
                                  false,
                                  name << ": flipped AAD byte accepted");
        }
        uint8_t badTag[16];
        std::memcpy(badTag, computedTag, 16);
        badTag[15] ^= 0x01;
        tampered = data;
        NS_TEST_EXPECT_MSG_EQ(cipher.Decrypt(iv.data(),
                                             tampered.data(),
                                             tampered.size(),
                                             aadPointer,
                                             aadBytes.size(),
                                             badTag),
                              false,
                              name << ": flipped tag byte accepted");

        // The untouched packet decrypts back to the plaintext.
        bool decrypted = cipher.Decrypt(iv.data(),
                                        data.data(),
                                        data.size(),
                                        aadPointer,
                                        aadBytes.size(),
                                        computedTag);
        NS_TEST_EXPECT_MSG_EQ(decrypted, true, name << ": valid packet rejected");
        NS_TEST_EXPECT_MSG_EQ(ToHex(data), plain, name << ": plaintext not restored");
    }

    void DoRun() override
    {
        RunVector("GCM test case 2",
                  "00000000000000000000000000000000",
                  "000000000000000000000000",
                  "",
                  "00000000000000000000000000000000",
                  "0388dace60b6a392f328c2b971b2fe78",
                  "ab6e47d42cec13bdf53a67b21257bddf");
        RunVector("GCM test case 3",
                  "feffe9928665731c6d6a8f9467308308",
                  "cafebabefacedbaddecaf888",
                  "",
                  "d9313225f88406e5a55909c5aff5269a86a7a9531534f7da2e4c303d8a318a72"
                  "1c3c0c95956809532fcf0e2449a6b525b16aedf5aa0de657ba637b391aafd255",
                  "42831ec2217774244b7221b784d0d49ce3aa212f2c02a4e035c17e2329aca12e"
                  "21d514b25466931c7d8f6a5aac84aa051ba30b396a0aac973d58e091473f5985",
                  "4d5c2af327cd64a62cf35abd2ba6fab4");
        // Test case 4 has 60 bytes of plaintext, a multiple of ESP's 4-byte alignment.
        RunVector("GCM test case 4",
                  "feffe9928665731c6d6a8f9467308308",
                  "cafebabefacedbaddecaf888",
                  "feedfacedeadbeeffeedfacedeadbeefabaddad2",
                  "d9313225f88406e5a55909c5aff5269a86a7a9531534f7da2e4c303d8a318a72"
                  "1c3c0c95956809532fcf0e2449a6b525b16aedf5aa0de657ba637b39",
                  "42831ec2217774244b7221b784d0d49ce3aa212f2c02a4e035c17e2329aca12e"
                  "21d514b25466931c7d8f6a5aac84aa051ba30b396a0aac973d58e091",
                  "5bc94fbc3221a5db94fae95ae7121a47");
    }
};

/**
 * \ingroup ipsec
 * Lengths that are not a multiple of the pad alignment are rejected.
 */
class IpsecCipherLengthTestCase : public TestCase
{
  public:
    IpsecCipherLengthTestCase()
        : TestCase("cipher rejects unaligned length")
    {
    }

  private:
    void DoRun() override
    {
        uint8_t data[32] = {};
        uint8_t iv[16] = {};
        uint8_t tag[16] = {};

        IpsecCipher cbc(IpsecEncryption::AES_CBC, std::vector<uint8_t>(16, 0x11), false);
        NS_TEST_EXPECT_MSG_EQ(cbc.GetPadAlignment(), 16, "AES-CBC alignment");
        NS_TEST_EXPECT_MSG_EQ(cbc.Encrypt(iv, data, 20, nullptr, 0, nullptr),
                              false,
                              "AES-CBC encrypted 20 bytes");
        NS_TEST_EXPECT_MSG_EQ(cbc.Decrypt(iv, data, 15, nullptr, 0, nullptr),
                              false,
                              "AES-CBC decrypted 15 bytes");

        IpsecCipher gcm(IpsecEncryption::AES_GCM, std::vector<uint8_t>(20, 0x22), false);
        NS_TEST_EXPECT_MSG_EQ(gcm.GetPadAlignment(), 4, "AES-GCM alignment");
        NS_TEST_EXPECT_MSG_EQ(gcm.Decrypt(iv, data, 6, nullptr, 0, tag),
                              false,
                              "AES-GCM decrypted 6 bytes");

        IpsecCipher modelled(IpsecEncryption::AES_CBC, std::vector<uint8_t>(32, 0x33), true);
        NS_TEST_EXPECT_MSG_EQ(modelled.Decrypt(iv, data, 24, nullptr, 0, nullptr),
                              false,
                              "modelled AES-CBC decrypted 24 bytes");
    }
};

/**
 * \ingroup ipsec
 * NULL encryption leaves data unchanged and has no IV.
 */
class IpsecNullCipherTestCase : public TestCase
{
  public:
    IpsecNullCipherTestCase()
        : TestCase("NULL cipher is a no-op")
    {
    }

  private:
    void DoRun() override
    {
        IpsecCipher cipher(IpsecEncryption::NULL_ENCRYPTION, {}, false);
        NS_TEST_EXPECT_MSG_EQ(cipher.GetIvLength(), 0, "IV length");
        NS_TEST_EXPECT_MSG_EQ(cipher.GetPadAlignment(), 4, "alignment");
        NS_TEST_EXPECT_MSG_EQ(cipher.GetTagLength(), 0, "tag length");
        NS_TEST_EXPECT_MSG_EQ(cipher.IsAead(), false, "AEAD");

        std::vector<uint8_t> data = FromText("12345678");
        NS_TEST_EXPECT_MSG_EQ(cipher.Encrypt(nullptr, data.data(), 8, nullptr, 0, nullptr),
                              true,
                              "encrypt");
        NS_TEST_EXPECT_MSG_EQ(ToHex(data), ToHex(FromText("12345678")), "data changed");
        NS_TEST_EXPECT_MSG_EQ(cipher.Decrypt(nullptr, data.data(), 8, nullptr, 0, nullptr),
                              true,
                              "decrypt");
    }
};

/**
 * \ingroup ipsec
 * Deterministic IVs: AES-CBC IVs match a reference AES-ECB encryption under the documented
 * IV key, and AES-GCM IVs are the sequence number.
 */
class IpsecCipherIvTestCase : public TestCase
{
  public:
    IpsecCipherIvTestCase()
        : TestCase("cipher IV derivation")
    {
    }

  private:
    void DoRun() override
    {
        std::vector<uint8_t> key = FromHex("06a9214036b8a15b512e03d534120006");
        IpsecCipher first(IpsecEncryption::AES_CBC, key, false);
        IpsecCipher second(IpsecEncryption::AES_CBC, key, false);

        // Reference: AES-128-ECB under the first 16 bytes of SHA-256(key).
        uint8_t digest[32];
        unsigned int digestLength = 0;
        EVP_Digest(key.data(), key.size(), digest, &digestLength, EVP_sha256(), nullptr);
        EVP_CIPHER_CTX* reference = EVP_CIPHER_CTX_new();
        EVP_EncryptInit_ex(reference, EVP_aes_128_ecb(), nullptr, digest, nullptr);
        EVP_CIPHER_CTX_set_padding(reference, 0);

        for (uint64_t sequence : {1ULL, 2ULL, 0x0123456789abcdefULL})
        {
            uint8_t block[16] = {};
            for (int i = 0; i < 8; ++i)
            {
                block[i] = static_cast<uint8_t>(sequence >> (56 - 8 * i));
            }
            uint8_t expected[16];
            int outLength = 0;
            EVP_EncryptUpdate(reference, expected, &outLength, block, 16);

            uint8_t iv1[16];
            uint8_t iv2[16];
            first.MakeIv(sequence, iv1);
            second.MakeIv(sequence, iv2);
            NS_TEST_EXPECT_MSG_EQ(ToHex(iv1, 16),
                                  ToHex(expected, 16),
                                  "AES-CBC IV for sequence " << sequence);
            NS_TEST_EXPECT_MSG_EQ(ToHex(iv1, 16),
                                  ToHex(iv2, 16),
                                  "same key gave different IVs for sequence " << sequence);
        }
        EVP_CIPHER_CTX_free(reference);

        IpsecCipher gcm(IpsecEncryption::AES_GCM, std::vector<uint8_t>(20, 0x44), false);
        uint8_t gcmIv[8];
        gcm.MakeIv(0x0102030405060708ULL, gcmIv);
        NS_TEST_EXPECT_MSG_EQ(ToHex(gcmIv, 8), "0102030405060708", "AES-GCM IV");

        // Modelled mode writes the sequence number without any cipher call.
        IpsecCipher modelled(IpsecEncryption::AES_CBC, key, true);
        uint8_t modelledIv[16];
        modelled.MakeIv(0x0a0b, modelledIv);
        NS_TEST_EXPECT_MSG_EQ(ToHex(modelledIv, 16),
                              "0000000000000a0b0000000000000000",
                              "modelled AES-CBC IV");
    }
};

/**
 * \ingroup ipsec
 * Real AES-CBC and AES-GCM round trips for every key size, with MakeIv IVs.
 */
class IpsecCipherRoundTripTestCase : public TestCase
{
  public:
    IpsecCipherRoundTripTestCase()
        : TestCase("cipher round trip all sizes")
    {
    }

  private:
    void DoRun() override
    {
        std::vector<uint8_t> plain(96);
        for (std::size_t i = 0; i < plain.size(); ++i)
        {
            plain[i] = static_cast<uint8_t>(i * 7 + 3);
        }
        uint8_t aad[8] = {0, 0, 0x43, 0x21, 0, 0, 0, 5};

        for (uint32_t keyBytes : {16U, 24U, 32U})
        {
            for (IpsecEncryption algorithm : {IpsecEncryption::AES_CBC, IpsecEncryption::AES_GCM})
            {
                bool gcm = (algorithm == IpsecEncryption::AES_GCM);
                std::vector<uint8_t> key(keyBytes + (gcm ? 4 : 0));
                for (std::size_t i = 0; i < key.size(); ++i)
                {
                    key[i] = static_cast<uint8_t>(i + keyBytes);
                }
                IpsecCipher cipher(algorithm, key, false);

                for (uint64_t sequence = 1; sequence <= 3; ++sequence)
                {
                    uint8_t iv[16];
                    uint8_t tag[16];
                    cipher.MakeIv(sequence, iv);
                    std::vector<uint8_t> data = plain;
                    NS_TEST_EXPECT_MSG_EQ(cipher.Encrypt(iv, data.data(), data.size(), aad, 8, tag),
                                          true,
                                          "encrypt, key " << keyBytes << " bytes, GCM " << gcm);
                    NS_TEST_EXPECT_MSG_NE(ToHex(data),
                                          ToHex(plain),
                                          "data still in clear, key " << keyBytes);
                    NS_TEST_EXPECT_MSG_EQ(cipher.Decrypt(iv, data.data(), data.size(), aad, 8, tag),
                                          true,
                                          "decrypt, key " << keyBytes << " bytes, GCM " << gcm);
                    NS_TEST_EXPECT_MSG_EQ(ToHex(data),
                                          ToHex(plain),
                                          "round trip, key " << keyBytes << " bytes, GCM " << gcm);
                }
            }
        }
    }
};

/**
 * \ingroup ipsec
 * Modelled ciphers leave data in clear, and the modelled GCM tag detects tampering.
 */
class IpsecModelledCipherTestCase : public TestCase
{
  public:
    IpsecModelledCipherTestCase()
        : TestCase("modelled cipher checks tag")
    {
    }

  private:
    void DoRun() override
    {
        std::vector<uint8_t> plain = FromText("modelled packet payload, 36 bytes..");
        plain.push_back('!');
        NS_TEST_ASSERT_MSG_EQ(plain.size(), 36, "test payload length");
        uint8_t aad[8] = {0x12, 0x34, 0x56, 0x78, 0, 0, 0, 9};
        uint8_t iv[16];

        IpsecCipher cbc(IpsecEncryption::AES_CBC, std::vector<uint8_t>(16, 1), true);
        std::vector<uint8_t> cbcData(32, 0x5a);
        cbc.MakeIv(1, iv);
        NS_TEST_EXPECT_MSG_EQ(cbc.Encrypt(iv, cbcData.data(), 32, nullptr, 0, nullptr),
                              true,
                              "modelled AES-CBC encrypt");
        NS_TEST_EXPECT_MSG_EQ(ToHex(cbcData),
                              ToHex(std::vector<uint8_t>(32, 0x5a)),
                              "modelled AES-CBC changed the data");

        IpsecCipher gcm(IpsecEncryption::AES_GCM, std::vector<uint8_t>(20, 2), true);
        std::vector<uint8_t> data = plain;
        uint8_t tag[16];
        gcm.MakeIv(9, iv);
        NS_TEST_EXPECT_MSG_EQ(ToHex(iv, 8), "0000000000000009", "modelled AES-GCM IV");
        NS_TEST_EXPECT_MSG_EQ(gcm.Encrypt(iv, data.data(), data.size(), aad, 8, tag),
                              true,
                              "modelled AES-GCM encrypt");
        NS_TEST_EXPECT_MSG_EQ(ToHex(data), ToHex(plain), "modelled AES-GCM changed the data");
        NS_TEST_EXPECT_MSG_EQ(gcm.Decrypt(iv, data.data(), data.size(), aad, 8, tag),
                              true,
                              "modelled AES-GCM rejected a valid packet");

        // Every single flipped byte of the data or the AAD must be detected.
        for (std::size_t i = 0; i < data.size(); ++i)
        {
            std::vector<uint8_t> tampered = data;
            tampered[i] ^= 0x40;
            NS_TEST_EXPECT_MSG_EQ(gcm.Decrypt(iv, tampered.data(), tampered.size(), aad, 8, tag),
                                  false,
                                  "flipped data byte " << i << " accepted");
        }
        for (std::size_t i = 0; i < sizeof(aad); ++i)
        {
            uint8_t badAad[8];
            std::memcpy(badAad, aad, 8);
            badAad[i] ^= 0x01;
            NS_TEST_EXPECT_MSG_EQ(gcm.Decrypt(iv, data.data(), data.size(), badAad, 8, tag),
                                  false,
                                  "flipped AAD byte " << i << " accepted");
        }
        uint8_t badTag[16];
        std::memcpy(badTag, tag, 16);
        badTag[3] ^= 0x10;
        NS_TEST_EXPECT_MSG_EQ(gcm.Decrypt(iv, data.data(), data.size(), aad, 8, badTag),
                              false,
                              "flipped tag byte accepted");

        // A different key gives a different tag.
        IpsecCipher otherKey(IpsecEncryption::AES_GCM, std::vector<uint8_t>(20, 3), true);
        NS_TEST_EXPECT_MSG_EQ(otherKey.Decrypt(iv, data.data(), data.size(), aad, 8, tag),
                              false,
                              "tag verified under another key");
    }
};

/// HMAC test vector.
struct HmacVector
{
    const char* name;          //!< the vector's name in its publication
    IpsecIntegrity algorithm;  //!< integrity algorithm
    std::vector<uint8_t> key;  //!< key bytes
    std::vector<uint8_t> data; //!< message bytes
    std::string icv;           //!< truncated ICV, hexadecimal
};

/**
 * \ingroup ipsec
 * HMAC-SHA1-96 and HMAC-SHA-256-128 known answers, and ICV comparison.
 *
 * The SHA-1 vectors are the RFC 2202 section 3 cases with a 20-byte key (1, 3 and 5),
 * truncated to their first 12 bytes as RFC 2404 section 2 specifies (RFC 2202 itself prints
 * the 96-bit value of case 5). The SHA-256 vectors are AUTH256-1 to AUTH256-3 of RFC 4868
 * section 2.7.2.1, truncated to their first 16 bytes (section 2.3).
 */
class IpsecHmacVectorTestCase : public TestCase
{
  public:
    IpsecHmacVectorTestCase()
        : TestCase("HMAC RFC 2404 and 4868 vectors")
    {
    }

  private:
    void DoRun() override
    {
        std::vector<HmacVector> vectors = {
            {"RFC 2202 case 1",
             IpsecIntegrity::HMAC_SHA1_96,
             std::vector<uint8_t>(20, 0x0b),
             FromText("Hi There"),
             "b617318655057264e28bc0b6"},
            {"RFC 2202 case 3",
             IpsecIntegrity::HMAC_SHA1_96,
             std::vector<uint8_t>(20, 0xaa),
             std::vector<uint8_t>(50, 0xdd),
             "125d7342b9ac11cd91a39af4"},
            {"RFC 2202 case 5",
             IpsecIntegrity::HMAC_SHA1_96,
             std::vector<uint8_t>(20, 0x0c),
             FromText("Test With Truncation"),
             "4c1a03424b55e07fe7f27be1"},
            {"RFC 4868 AUTH256-1",
             IpsecIntegrity::HMAC_SHA256_128,
             std::vector<uint8_t>(32, 0x0b),
             FromText("Hi There"),
             "198a607eb44bfbc69903a0f1cf2bbdc5"},
            {"RFC 4868 AUTH256-2",
             IpsecIntegrity::HMAC_SHA256_128,
             FromText("JefeJefeJefeJefeJefeJefeJefeJefe"),
             FromText("what do ya want for nothing?"),
             "167f928588c5cc2eef8e3093caa0e87c"},
            {"RFC 4868 AUTH256-3",
             IpsecIntegrity::HMAC_SHA256_128,
             std::vector<uint8_t>(32, 0xaa),
             std::vector<uint8_t>(50, 0xdd),
             "cdcb1220d1ecccea91e53aba3092f962"},
        };

        for (const auto& vector : vectors)
        {
            IpsecIntegrityCheck check(vector.algorithm, vector.key, false);
            NS_TEST_EXPECT_MSG_EQ(check.GetIcvLength(),
                                  vector.icv.size() / 2,
                                  vector.name << ": ICV length");

            uint8_t icv[16] = {};
            check.Compute(vector.data.data(), vector.data.size(), icv);
            NS_TEST_EXPECT_MSG_EQ(ToHex(icv, check.GetIcvLength()),
                                  vector.icv,
                                  vector.name << ": wrong ICV");

            // The same context computes the same ICV again (the key is reused, not consumed).
            uint8_t again[16] = {};
            check.Compute(vector.data.data(), vector.data.size(), again);
            NS_TEST_EXPECT_MSG_EQ(ToHex(again, check.GetIcvLength()),
                                  vector.icv,
                                  vector.name << ": second computation differs");

            std::vector<uint8_t> expected = FromHex(vector.icv);
            NS_TEST_EXPECT_MSG_EQ(check.Equal(icv, expected.data()),
                                  true,
                                  vector.name << ": equal ICVs compared unequal");
            for (std::size_t i = 0; i < expected.size(); ++i)
            {
                std::vector<uint8_t> wrong = expected;
                wrong[i] ^= 0x01;
                NS_TEST_EXPECT_MSG_EQ(check.Equal(icv, wrong.data()),
                                      false,
                                      vector.name << ": ICV mismatch in byte " << i
                                                  << " not detected");
            }
        }
    }
};

/**
 * \ingroup ipsec
 * Begin/Update/Finish over pieces equals Compute in one call, and matches OpenSSL's own
 * one-shot HMAC (EVP_Q_mac) for every length from 0 to 200 bytes.
 */
class IpsecHmacPiecesTestCase : public TestCase
{
  public:
    IpsecHmacPiecesTestCase()
        : TestCase("HMAC in pieces equals one call")
    {
    }

  private:
    void DoRun() override
    {
        std::vector<uint8_t> message(200);
        for (std::size_t i = 0; i < message.size(); ++i)
        {
            message[i] = static_cast<uint8_t>(i * 13 + 1);
        }

        for (IpsecIntegrity algorithm :
             {IpsecIntegrity::HMAC_SHA1_96, IpsecIntegrity::HMAC_SHA256_128})
        {
            std::vector<uint8_t> key(GetIntegrityKeyLength(algorithm));
            for (std::size_t i = 0; i < key.size(); ++i)
            {
                key[i] = static_cast<uint8_t>(0xa0 + i);
            }
            const char* digest = (algorithm == IpsecIntegrity::HMAC_SHA1_96) ? "SHA1" : "SHA256";
            IpsecIntegrityCheck check(algorithm, key, false);
            uint32_t icvLength = check.GetIcvLength();

            for (uint32_t length = 0; length <= message.size(); ++length)
            {
                uint8_t reference[EVP_MAX_MD_SIZE];
                std::size_t referenceLength = 0;
                EVP_Q_mac(nullptr,
                          "HMAC",
                          nullptr,
                          digest,
                          nullptr,
                          key.data(),
                          key.size(),
                          message.data(),
                          length,
                          reference,
                          sizeof(reference),
                          &referenceLength);

                uint8_t whole[16];
                check.Compute(message.data(), length, whole);
                NS_TEST_EXPECT_MSG_EQ(ToHex(whole, icvLength),
                                      ToHex(reference, icvLength),
                                      digest << " HMAC differs from EVP_Q_mac for " << length
                                             << " bytes");

                // Three pieces with uneven split points.
                uint32_t first = length / 3;
                uint32_t second = length / 2;
                uint8_t pieces[16];
                check.Begin();
                check.Update(message.data(), first);
                check.Update(message.data() + first, second - first);
                check.Update(message.data() + second, length - second);
                check.Finish(pieces);
                NS_TEST_EXPECT_MSG_EQ(ToHex(pieces, icvLength),
                                      ToHex(whole, icvLength),
                                      digest << " pieces differ from one call for " << length
                                             << " bytes");
            }
        }
    }
};

/**
 * \ingroup ipsec
 * The modelled ICV detects every single-byte change, depends on the key, and is the same
 * however the input is split.
 */
class IpsecModelledIntegrityTestCase : public TestCase
{
  public:
    IpsecModelledIntegrityTestCase()
        : TestCase("modelled ICV detects changes")
    {
    }

  private:
    void DoRun() override
    {
        std::vector<uint8_t> message(77);
        for (std::size_t i = 0; i < message.size(); ++i)
        {
            message[i] = static_cast<uint8_t>(i);
        }

        for (IpsecIntegrity algorithm :
             {IpsecIntegrity::HMAC_SHA1_96, IpsecIntegrity::HMAC_SHA256_128})
        {
            std::vector<uint8_t> key(GetIntegrityKeyLength(algorithm), 0x5c);
            IpsecIntegrityCheck check(algorithm, key, true);
            uint32_t icvLength = check.GetIcvLength();
            NS_TEST_EXPECT_MSG_EQ(icvLength,
                                  GetIntegrityIcvLength(algorithm),
                                  "modelled ICV length");

            uint8_t original[16];
            check.Compute(message.data(), message.size(), original);

            // Each byte position, each of several new values.
            for (std::size_t i = 0; i < message.size(); ++i)
            {
                for (uint8_t delta : {0x01, 0x80, 0xff})
                {
                    std::vector<uint8_t> changed = message;
                    changed[i] ^= delta;
                    uint8_t icv[16];
                    check.Compute(changed.data(), changed.size(), icv);
                    NS_TEST_EXPECT_MSG_EQ(check.Equal(original, icv),
                                          false,
                                          "change of byte " << i << " by " << +delta
                                                            << " not detected");
                }
            }

            // A trailing zero byte changes the length, which must change the ICV too.
            std::vector<uint8_t> longer = message;
            longer.push_back(0);
            uint8_t longerIcv[16];
            check.Compute(longer.data(), longer.size(), longerIcv);
            NS_TEST_EXPECT_MSG_EQ(check.Equal(original, longerIcv),
                                  false,
                                  "appended zero byte not detected");

            // Every split point gives the one-call result.
            for (uint32_t split = 0; split <= message.size(); ++split)
            {
                uint8_t pieces[16];
                check.Begin();
                check.Update(message.data(), split);
                check.Update(message.data() + split, message.size() - split);
                check.Finish(pieces);
                NS_TEST_EXPECT_MSG_EQ(ToHex(pieces, icvLength),
                                      ToHex(original, icvLength),
                                      "split at " << split << " differs from one call");
            }

            // Another key gives another ICV.
            IpsecIntegrityCheck otherKey(algorithm, std::vector<uint8_t>(key.size(), 0x5d), true);
            uint8_t otherIcv[16];
            otherKey.Compute(message.data(), message.size(), otherIcv);
            NS_TEST_EXPECT_MSG_EQ(check.Equal(original, otherIcv),
                                  false,
                                  "ICV did not depend on the key");
        }
    }
};

/**
 * \ingroup ipsec
 * Cipher and integrity-check tests.
 */
class IpsecCryptoTestSuite : public TestSuite
{
  public:
    IpsecCryptoTestSuite()
        : TestSuite("ipsec-crypto", UNIT)
    {
        AddTestCase(new IpsecAesCbcVectorTestCase(), TestCase::QUICK);
        AddTestCase(new IpsecAesGcmVectorTestCase(), TestCase::QUICK);
        AddTestCase(new IpsecCipherLengthTestCase(), TestCase::QUICK);
        AddTestCase(new IpsecNullCipherTestCase(), TestCase::QUICK);
        AddTestCase(new IpsecCipherIvTestCase(), TestCase::QUICK);
        AddTestCase(new IpsecCipherRoundTripTestCase(), TestCase::QUICK);
        AddTestCase(new IpsecModelledCipherTestCase(), TestCase::QUICK);
        AddTestCase(new IpsecHmacVectorTestCase(), TestCase::QUICK);
        AddTestCase(new IpsecHmacPiecesTestCase(), TestCase::QUICK);
        AddTestCase(new IpsecModelledIntegrityTestCase(), TestCase::QUICK);
    }
};

/// Registers the suite.
static IpsecCryptoTestSuite g_ipsecCryptoTestSuite;
