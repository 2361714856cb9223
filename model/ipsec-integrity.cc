// Copyright (c) 2026 The ns3-ipsec authors
// SPDX-License-Identifier: GPL-2.0-only

// SHA1_Init and SHA256_Init are deprecated in OpenSSL 3.0 but still built by default. They are
// used on purpose (see HmacState below), so the deprecation warnings are silenced.
#define OPENSSL_SUPPRESS_DEPRECATED

#include "ipsec-integrity.h"

#include "ns3/abort.h"
#include "ns3/assert.h"
#include "ns3/log.h"

#include <cstring>
#include <openssl/crypto.h>
#include <openssl/sha.h>

namespace ns3
{

NS_LOG_COMPONENT_DEFINE("IpsecIntegrity");

namespace
{

/// Odd multiplier of the checksum mixing step (2^64 divided by the golden ratio).
const uint64_t MIX_MULTIPLIER = 0x9E3779B97F4A7C15ULL;

/// SHA-1 and SHA-256 block size in bytes, the HMAC key block size (RFC 2104 section 2).
const uint32_t HMAC_BLOCK_SIZE = 64;

/**
 * Mixes a 64-bit state. Multiplying by an odd constant and a right xorshift are both
 * bijections, so distinct inputs always give distinct outputs.
 * \param x the state
 * \return the mixed state
 */
uint64_t
Mix(uint64_t x)
{
    x *= MIX_MULTIPLIER;
    x ^= x >> 29;
    x *= MIX_MULTIPLIER;
    x ^= x >> 32;
    return x;
}

/**
 * Loads 8 bytes as a little-endian word, whatever the host byte order, so that modelled
 * checksums are the same on every host.
 * \param data the bytes
 * \return the word
 */
uint64_t
LoadLittleEndian(const uint8_t* data)
{
    uint64_t word;
    std::memcpy(&word, data, sizeof(word));
#if defined(__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_BIG_ENDIAN__
    word = __builtin_bswap64(word);
#endif
    return word;
}

/**
 * HMAC state of one SA, built on the low-level SHA1/SHA256 functions.
 *
 * OpenSSL 3.0's EVP_MAC "HMAC" accepts EVP_MAC_init(ctx, NULL, 0, NULL) and reuses the stored
 * key, but each init and each final duplicates the internal digest context. Counting
 * allocations with CRYPTO_set_mem_functions on OpenSSL 3.0.22 showed two heap allocations per
 * packet, and one each for EVP_DigestInit_ex and EVP_MD_CTX_copy_ex on a provider digest.
 * SHA_CTX and SHA256_CTX, in contrast, are plain values. The states after the inner and outer
 * key blocks are computed once and copied by assignment at each Begin(), which allocates
 * nothing and saves two compression-function calls per packet.
 */
struct HmacState
{
    bool isSha256;          //!< true for SHA-256, false for SHA-1
    SHA_CTX sha1Inner;      //!< SHA-1 state after (key XOR ipad)
    SHA_CTX sha1Outer;      //!< SHA-1 state after (key XOR opad)
    SHA_CTX sha1;           //!< SHA-1 state of the computation in progress
    SHA256_CTX sha256Inner; //!< SHA-256 state after (key XOR ipad)
    SHA256_CTX sha256Outer; //!< SHA-256 state after (key XOR opad)
    SHA256_CTX sha256;      //!< SHA-256 state of the computation in progress
};

} // namespace

uint64_t
IpsecModelChecksum::FoldKey(const std::vector<uint8_t>& key)
{
    // FNV-1a over the key bytes, then one mixing step to spread the last bytes.
    uint64_t folded = 0xCBF29CE484222325ULL;
    for (uint8_t byte : key)
    {
        folded = (folded ^ byte) * 0x100000001B3ULL;
    }
    return Mix(folded);
}

void
IpsecModelChecksum::Begin(uint64_t key)
{
    m_state = key;
    m_pendingWord = 0;
    m_pendingBytes = 0;
    m_totalBytes = 0;
}

void
IpsecModelChecksum::Update(const uint8_t* data, uint32_t length)
{
    m_totalBytes += length;

    // Complete the word left incomplete by the previous call first, so that the words are the
    // same however the input is split.
    while (m_pendingBytes != 0 && length > 0)
    {
        m_pendingWord |= static_cast<uint64_t>(*data) << (8 * m_pendingBytes);
        ++data;
        --length;
        if (++m_pendingBytes == 8)
        {
            m_state = Mix(m_state ^ m_pendingWord);
            m_pendingWord = 0;
            m_pendingBytes = 0;
        }
    }

    while (length >= 8)
    {
        m_state = Mix(m_state ^ LoadLittleEndian(data));
        data += 8;
        length -= 8;
    }

    while (length > 0)
    {
        m_pendingWord |= static_cast<uint64_t>(*data) << (8 * m_pendingBytes);
        ++m_pendingBytes;
        ++data;
        --length;
    }
}

void
IpsecModelChecksum::Finish(uint8_t* out, uint32_t length)
{
    NS_ASSERT_MSG(length <= 16, "a modelled checksum has at most 16 bytes, not " << length);

    // The zero-padded last word and the length are absorbed like any other word, so inputs
    // that differ only in trailing zero bytes still give different checksums.
    if (m_pendingBytes != 0)
    {
        m_state = Mix(m_state ^ m_pendingWord);
    }
    m_state = Mix(m_state ^ m_totalBytes);

    uint64_t second = Mix(m_state ^ MIX_MULTIPLIER);
    for (uint32_t i = 0; i < length; ++i)
    {
        uint64_t word = (i < 8) ? m_state : second;
        out[i] = static_cast<uint8_t>(word >> (56 - 8 * (i % 8)));
    }
}

IpsecIntegrityCheck::IpsecIntegrityCheck(IpsecIntegrity algorithm,
                                         const std::vector<uint8_t>& key,
                                         bool modelled)
    : m_algorithm(algorithm),
      m_modelled(modelled),
      m_icvLength(GetIntegrityIcvLength(algorithm)),
      m_hmac(nullptr),
      m_modelKey(IpsecModelChecksum::FoldKey(key))
{
    NS_LOG_FUNCTION(this << static_cast<int>(algorithm) << key.size() << modelled);

    NS_ABORT_MSG_IF(algorithm == IpsecIntegrity::NONE,
                    "IpsecIntegrityCheck needs an integrity algorithm, not NONE");
    NS_ABORT_MSG_IF(key.size() != GetIntegrityKeyLength(algorithm),
                    "invalid integrity key length " << key.size() << " bytes, expected "
                                                    << GetIntegrityKeyLength(algorithm)
                                                    << " (RFC 2404 / RFC 4868)");

    if (modelled)
    {
        return;
    }

    // Build the inner and outer key blocks of RFC 2104 and hash each once. The key is never
    // longer than the 64-byte block here, so it is only zero-padded, not hashed first.
    auto state = new HmacState();
    state->isSha256 = (algorithm == IpsecIntegrity::HMAC_SHA256_128);
    uint8_t innerBlock[HMAC_BLOCK_SIZE] = {};
    uint8_t outerBlock[HMAC_BLOCK_SIZE] = {};
    std::memcpy(innerBlock, key.data(), key.size());
    std::memcpy(outerBlock, key.data(), key.size());
    for (uint32_t i = 0; i < HMAC_BLOCK_SIZE; ++i)
    {
        innerBlock[i] ^= 0x36;
        outerBlock[i] ^= 0x5c;
    }

    bool ok;
    if (state->isSha256)
    {
        ok = SHA256_Init(&state->sha256Inner) == 1 &&
             SHA256_Update(&state->sha256Inner, innerBlock, HMAC_BLOCK_SIZE) == 1 &&
             SHA256_Init(&state->sha256Outer) == 1 &&
             SHA256_Update(&state->sha256Outer, outerBlock, HMAC_BLOCK_SIZE) == 1;
    }
    else
    {
        ok = SHA1_Init(&state->sha1Inner) == 1 &&
             SHA1_Update(&state->sha1Inner, innerBlock, HMAC_BLOCK_SIZE) == 1 &&
             SHA1_Init(&state->sha1Outer) == 1 &&
             SHA1_Update(&state->sha1Outer, outerBlock, HMAC_BLOCK_SIZE) == 1;
    }
    OPENSSL_cleanse(innerBlock, sizeof(innerBlock));
    OPENSSL_cleanse(outerBlock, sizeof(outerBlock));
    m_hmac = state;
    NS_ABORT_MSG_IF(!ok, "OpenSSL failed to initialise the HMAC hash states");
}

IpsecIntegrityCheck::~IpsecIntegrityCheck()
{
    NS_LOG_FUNCTION(this);
    if (m_hmac != nullptr)
    {
        auto state = static_cast<HmacState*>(m_hmac);
        OPENSSL_cleanse(state, sizeof(HmacState));
        delete state;
        m_hmac = nullptr;
    }
}

IpsecIntegrity
IpsecIntegrityCheck::GetAlgorithm() const
{
    return m_algorithm;
}

uint32_t
IpsecIntegrityCheck::GetIcvLength() const
{
    return m_icvLength;
}

void
IpsecIntegrityCheck::Begin()
{
    NS_LOG_FUNCTION(this);
    if (m_modelled)
    {
        m_modelChecksum.Begin(m_modelKey);
        return;
    }

    auto state = static_cast<HmacState*>(m_hmac);
    if (state->isSha256)
    {
        state->sha256 = state->sha256Inner;
    }
    else
    {
        state->sha1 = state->sha1Inner;
    }
}

void
IpsecIntegrityCheck::Update(const uint8_t* data, uint32_t length)
{
    NS_LOG_FUNCTION(this << length);
    if (m_modelled)
    {
        m_modelChecksum.Update(data, length);
        return;
    }

    auto state = static_cast<HmacState*>(m_hmac);
    if (state->isSha256)
    {
        SHA256_Update(&state->sha256, data, length);
    }
    else
    {
        SHA1_Update(&state->sha1, data, length);
    }
}

void
IpsecIntegrityCheck::Finish(uint8_t* icv)
{
    NS_LOG_FUNCTION(this);
    if (m_modelled)
    {
        m_modelChecksum.Finish(icv, m_icvLength);
        return;
    }

    // HMAC = H((K XOR opad) || H((K XOR ipad) || data)), truncated to the ICV length.
    auto state = static_cast<HmacState*>(m_hmac);
    uint8_t digest[SHA256_DIGEST_LENGTH];
    if (state->isSha256)
    {
        SHA256_Final(digest, &state->sha256);
        state->sha256 = state->sha256Outer;
        SHA256_Update(&state->sha256, digest, SHA256_DIGEST_LENGTH);
        SHA256_Final(digest, &state->sha256);
    }
    else
    {
        SHA1_Final(digest, &state->sha1);
        state->sha1 = state->sha1Outer;
        SHA1_Update(&state->sha1, digest, SHA_DIGEST_LENGTH);
        SHA1_Final(digest, &state->sha1);
    }
    std::memcpy(icv, digest, m_icvLength);
}

void
IpsecIntegrityCheck::Compute(const uint8_t* data, uint32_t length, uint8_t* icv)
{
    Begin();
    Update(data, length);
    Finish(icv);
}

bool
IpsecIntegrityCheck::Equal(const uint8_t* expected, const uint8_t* received) const
{
    // A constant-time comparison keeps the position of the first wrong byte secret.
    return CRYPTO_memcmp(expected, received, m_icvLength) == 0;
}

} // namespace ns3
