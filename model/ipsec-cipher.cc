// Copyright (c) 2026 The ns3-ipsec authors
// SPDX-License-Identifier: GPL-2.0-only

#include "ipsec-cipher.h"

#include "ipsec-integrity.h"

#include "ns3/abort.h"
#include "ns3/assert.h"
#include "ns3/log.h"

#include <cstring>
#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <string>

namespace ns3
{

NS_LOG_COMPONENT_DEFINE("IpsecCipher");

namespace
{

/// AES block size in bytes, also the AES-CBC IV length (RFC 3602 section 2.4).
const uint32_t AES_BLOCK_SIZE = 16;
/// AES-GCM IV length carried in each packet (RFC 4106 section 3.1).
const uint32_t GCM_IV_SIZE = 8;
/// AES-GCM salt length at the end of the keying material (RFC 4106 section 8.1).
const uint32_t GCM_SALT_SIZE = 4;
/// AES-GCM tag length used by esp-gcm (RFC 4106 section 6: 16-byte ICV).
const uint32_t GCM_TAG_SIZE = 16;

/**
 * Writes a 64-bit value big-endian.
 * \param value the value
 * \param[out] out 8 bytes
 */
void
WriteBigEndian64(uint64_t value, uint8_t* out)
{
    for (int i = 7; i >= 0; --i)
    {
        out[i] = static_cast<uint8_t>(value);
        value >>= 8;
    }
}

/**
 * Creates a cipher context keyed for one direction, or aborts.
 * \param name the OpenSSL cipher name, e.g. "AES-128-CBC"
 * \param key the key
 * \param encrypt true for an encryption context
 * \return the context, with padding disabled because ESP pads the data itself
 */
EVP_CIPHER_CTX*
CreateContext(const std::string& name, const uint8_t* key, bool encrypt)
{
    EVP_CIPHER* cipher = EVP_CIPHER_fetch(nullptr, name.c_str(), nullptr);
    NS_ABORT_MSG_IF(cipher == nullptr, "OpenSSL has no cipher " << name);

    EVP_CIPHER_CTX* context = EVP_CIPHER_CTX_new();
    NS_ABORT_MSG_IF(context == nullptr, "OpenSSL failed to allocate a context for " << name);
    int ok = encrypt ? EVP_EncryptInit_ex(context, cipher, nullptr, key, nullptr)
                     : EVP_DecryptInit_ex(context, cipher, nullptr, key, nullptr);
    NS_ABORT_MSG_IF(ok != 1, "OpenSSL failed to key " << name);
    EVP_CIPHER_CTX_set_padding(context, 0);

    // The context keeps its own reference to the cipher.
    EVP_CIPHER_free(cipher);
    return context;
}

} // namespace

IpsecCipher::IpsecCipher(IpsecEncryption algorithm, const std::vector<uint8_t>& key, bool modelled)
    : m_algorithm(algorithm),
      m_modelled(modelled),
      m_key(),
      m_salt{0, 0, 0, 0},
      m_encryptContext(nullptr),
      m_decryptContext(nullptr),
      m_ivContext(nullptr),
      m_modelKey(IpsecModelChecksum::FoldKey(key))
{
    NS_LOG_FUNCTION(this << static_cast<int>(algorithm) << key.size() << modelled);

    // Check the key length against the algorithm and split off GCM's salt.
    switch (algorithm)
    {
    case IpsecEncryption::NONE:
        NS_ABORT_MSG("IpsecCipher needs an encryption algorithm, not NONE");
        break;
    case IpsecEncryption::NULL_ENCRYPTION:
        NS_ABORT_MSG_IF(!key.empty(),
                        "esp-null takes no key, but " << key.size() << " bytes were given");
        return;
    case IpsecEncryption::AES_CBC:
        NS_ABORT_MSG_IF(key.size() != 16 && key.size() != 24 && key.size() != 32,
                        "invalid AES-CBC key length " << key.size()
                                                      << " bytes, expected 16, 24 or 32");
        m_key = key;
        break;
    case IpsecEncryption::AES_GCM:
        NS_ABORT_MSG_IF(key.size() != 20 && key.size() != 28 && key.size() != 36,
                        "invalid AES-GCM key length "
                            << key.size()
                            << " bytes, expected 20, 28 or 36 (key then 4-byte salt)");
        m_key.assign(key.begin(), key.end() - GCM_SALT_SIZE);
        std::memcpy(m_salt, key.data() + m_key.size(), GCM_SALT_SIZE);
        break;
    }

    if (modelled)
    {
        return;
    }

    // Key the contexts once: per packet they are only re-armed with a new IV.
    std::string bits = std::to_string(m_key.size() * 8);
    std::string name = "AES-" + bits + (algorithm == IpsecEncryption::AES_CBC ? "-CBC" : "-GCM");
    m_encryptContext = CreateContext(name, m_key.data(), true);
    m_decryptContext = CreateContext(name, m_key.data(), false);

    if (algorithm == IpsecEncryption::AES_CBC)
    {
        // The IV key is SHA-256 of the SA key, truncated to the SA key length, so the IVs are
        // unpredictable to an observer but reproducible from the same key.
        uint8_t digest[EVP_MAX_MD_SIZE];
        unsigned int digestLength = 0;
        int ok =
            EVP_Digest(m_key.data(), m_key.size(), digest, &digestLength, EVP_sha256(), nullptr);
        NS_ABORT_MSG_IF(ok != 1, "OpenSSL failed to derive the AES-CBC IV key");
        m_ivContext = CreateContext("AES-" + bits + "-ECB", digest, true);
        OPENSSL_cleanse(digest, sizeof(digest));
    }
}

IpsecCipher::~IpsecCipher()
{
    NS_LOG_FUNCTION(this);
    EVP_CIPHER_CTX_free(static_cast<EVP_CIPHER_CTX*>(m_encryptContext));
    EVP_CIPHER_CTX_free(static_cast<EVP_CIPHER_CTX*>(m_decryptContext));
    EVP_CIPHER_CTX_free(static_cast<EVP_CIPHER_CTX*>(m_ivContext));
    OPENSSL_cleanse(m_key.data(), m_key.size());
    OPENSSL_cleanse(m_salt, sizeof(m_salt));
}

IpsecEncryption
IpsecCipher::GetAlgorithm() const
{
    return m_algorithm;
}

uint32_t
IpsecCipher::GetIvLength() const
{
    switch (m_algorithm)
    {
    case IpsecEncryption::AES_CBC:
        return AES_BLOCK_SIZE;
    case IpsecEncryption::AES_GCM:
        return GCM_IV_SIZE;
    case IpsecEncryption::NULL_ENCRYPTION:
    case IpsecEncryption::NONE:
        break;
    }
    return 0;
}

uint32_t
IpsecCipher::GetPadAlignment() const
{
    return (m_algorithm == IpsecEncryption::AES_CBC) ? AES_BLOCK_SIZE : 4;
}

uint32_t
IpsecCipher::GetTagLength() const
{
    return IsAead() ? GCM_TAG_SIZE : 0;
}

bool
IpsecCipher::IsAead() const
{
    return m_algorithm == IpsecEncryption::AES_GCM;
}

void
IpsecCipher::MakeIv(uint64_t sequence, uint8_t* iv)
{
    NS_LOG_FUNCTION(this << sequence);
    switch (m_algorithm)
    {
    case IpsecEncryption::AES_GCM:
        // RFC 4106 section 3.1 allows a counter as IV: it never repeats under one key.
        WriteBigEndian64(sequence, iv);
        return;
    case IpsecEncryption::AES_CBC:
        break;
    case IpsecEncryption::NULL_ENCRYPTION:
    case IpsecEncryption::NONE:
        return;
    }

    // AES-CBC: the IV is the encryption of [sequence | 8 zero bytes] under the IV key, so
    // consecutive IVs are unrelated. Modelled mode writes the block itself.
    uint8_t block[AES_BLOCK_SIZE] = {};
    WriteBigEndian64(sequence, block);
    if (m_modelled)
    {
        std::memcpy(iv, block, AES_BLOCK_SIZE);
        return;
    }
    int outLength = 0;
    int ok = EVP_EncryptUpdate(static_cast<EVP_CIPHER_CTX*>(m_ivContext),
                               iv,
                               &outLength,
                               block,
                               AES_BLOCK_SIZE);
    NS_ABORT_MSG_IF(ok != 1 || outLength != static_cast<int>(AES_BLOCK_SIZE),
                    "OpenSSL failed to derive the AES-CBC IV for sequence " << sequence);
}

bool
IpsecCipher::Encrypt(const uint8_t* iv,
                     uint8_t* data,
                     uint32_t length,
                     const uint8_t* aad,
                     uint32_t aadLength,
                     uint8_t* tag)
{
    NS_LOG_FUNCTION(this << length << aadLength);

    if (length % GetPadAlignment() != 0)
    {
        NS_LOG_DEBUG("encrypt: length " << length << " is not a multiple of " << GetPadAlignment());
        return false;
    }
    if (m_algorithm == IpsecEncryption::NULL_ENCRYPTION)
    {
        return true;
    }
    if (m_modelled)
    {
        if (IsAead())
        {
            IpsecModelChecksum checksum;
            checksum.Begin(m_modelKey);
            checksum.Update(aad, aad == nullptr ? 0 : aadLength);
            checksum.Update(data, length);
            // Real GCM covers the IV through the nonce, so the modelled tag covers it too.
            checksum.Update(iv, GetIvLength());
            checksum.Finish(tag, GCM_TAG_SIZE);
        }
        return true;
    }

    auto context = static_cast<EVP_CIPHER_CTX*>(m_encryptContext);
    int outLength = 0;
    int finalLength = 0;

    if (m_algorithm == IpsecEncryption::AES_CBC)
    {
        // Re-arm the keyed context with this packet's IV: no allocation, no key schedule.
        if (EVP_EncryptInit_ex(context, nullptr, nullptr, nullptr, iv) != 1 ||
            EVP_EncryptUpdate(context, data, &outLength, data, length) != 1 ||
            EVP_EncryptFinal_ex(context, data + outLength, &finalLength) != 1)
        {
            NS_LOG_DEBUG("encrypt: OpenSSL AES-CBC failed");
            return false;
        }
        return static_cast<uint32_t>(outLength + finalLength) == length;
    }

    // AES-GCM: the 12-byte nonce is salt || IV (RFC 4106 section 4).
    uint8_t nonce[GCM_SALT_SIZE + GCM_IV_SIZE];
    std::memcpy(nonce, m_salt, GCM_SALT_SIZE);
    std::memcpy(nonce + GCM_SALT_SIZE, iv, GCM_IV_SIZE);

    if (EVP_EncryptInit_ex(context, nullptr, nullptr, nullptr, nonce) != 1)
    {
        return false;
    }
    if (aad != nullptr && aadLength > 0 &&
        EVP_EncryptUpdate(context, nullptr, &outLength, aad, aadLength) != 1)
    {
        return false;
    }
    if (length > 0 && EVP_EncryptUpdate(context, data, &outLength, data, length) != 1)
    {
        return false;
    }
    if (EVP_EncryptFinal_ex(context, data + length, &finalLength) != 1 ||
        EVP_CIPHER_CTX_ctrl(context, EVP_CTRL_AEAD_GET_TAG, GCM_TAG_SIZE, tag) != 1)
    {
        NS_LOG_DEBUG("encrypt: OpenSSL AES-GCM failed");
        return false;
    }
    return true;
}

bool
IpsecCipher::Decrypt(const uint8_t* iv,
                     uint8_t* data,
                     uint32_t length,
                     const uint8_t* aad,
                     uint32_t aadLength,
                     const uint8_t* tag)
{
    NS_LOG_FUNCTION(this << length << aadLength);

    if (length % GetPadAlignment() != 0)
    {
        NS_LOG_DEBUG("decrypt: length " << length << " is not a multiple of " << GetPadAlignment());
        return false;
    }
    if (m_algorithm == IpsecEncryption::NULL_ENCRYPTION)
    {
        return true;
    }
    if (m_modelled)
    {
        if (!IsAead())
        {
            return true;
        }
        uint8_t expected[GCM_TAG_SIZE];
        IpsecModelChecksum checksum;
        checksum.Begin(m_modelKey);
        checksum.Update(aad, aad == nullptr ? 0 : aadLength);
        checksum.Update(data, length);
        // Real GCM covers the IV through the nonce, so the modelled tag covers it too.
        checksum.Update(iv, GetIvLength());
        checksum.Finish(expected, GCM_TAG_SIZE);
        bool valid = CRYPTO_memcmp(expected, tag, GCM_TAG_SIZE) == 0;
        NS_LOG_DEBUG("decrypt: modelled GCM tag " << (valid ? "verified" : "mismatch"));
        return valid;
    }

    auto context = static_cast<EVP_CIPHER_CTX*>(m_decryptContext);
    int outLength = 0;
    int finalLength = 0;

    if (m_algorithm == IpsecEncryption::AES_CBC)
    {
        if (EVP_DecryptInit_ex(context, nullptr, nullptr, nullptr, iv) != 1 ||
            EVP_DecryptUpdate(context, data, &outLength, data, length) != 1 ||
            EVP_DecryptFinal_ex(context, data + outLength, &finalLength) != 1)
        {
            NS_LOG_DEBUG("decrypt: OpenSSL AES-CBC failed");
            return false;
        }
        return static_cast<uint32_t>(outLength + finalLength) == length;
    }

    uint8_t nonce[GCM_SALT_SIZE + GCM_IV_SIZE];
    std::memcpy(nonce, m_salt, GCM_SALT_SIZE);
    std::memcpy(nonce + GCM_SALT_SIZE, iv, GCM_IV_SIZE);

    // EVP_CTRL_AEAD_SET_TAG takes a non-const pointer, so the received tag is copied.
    uint8_t receivedTag[GCM_TAG_SIZE];
    std::memcpy(receivedTag, tag, GCM_TAG_SIZE);

    if (EVP_DecryptInit_ex(context, nullptr, nullptr, nullptr, nonce) != 1)
    {
        return false;
    }
    if (aad != nullptr && aadLength > 0 &&
        EVP_DecryptUpdate(context, nullptr, &outLength, aad, aadLength) != 1)
    {
        return false;
    }
    if (length > 0 && EVP_DecryptUpdate(context, data, &outLength, data, length) != 1)
    {
        return false;
    }
    if (EVP_CIPHER_CTX_ctrl(context, EVP_CTRL_AEAD_SET_TAG, GCM_TAG_SIZE, receivedTag) != 1)
    {
        return false;
    }

    // The tag is checked here: a mismatch makes EVP_DecryptFinal_ex fail.
    if (EVP_DecryptFinal_ex(context, data + length, &finalLength) != 1)
    {
        NS_LOG_DEBUG("decrypt: AES-GCM tag mismatch");
        return false;
    }
    return true;
}

} // namespace ns3
