// Copyright (c) 2026 The ns3-ipsec authors
// SPDX-License-Identifier: GPL-2.0-only

#ifndef IPSEC_CIPHER_H
#define IPSEC_CIPHER_H

#include "ipsec-transform-set.h"

#include <cstdint>
#include <vector>

namespace ns3
{

/**
 * \ingroup ipsec
 * ESP encryption of one SA: AES-CBC, AES-GCM or NULL, through OpenSSL 3 EVP.
 *
 * The OpenSSL contexts are created and keyed once, in the constructor, and only re-armed
 * with a new IV per packet, so the per-packet path allocates nothing.
 *
 * In modelled mode no cipher work is done: the data stays in clear and GCM's tag is a
 * cheap keyed checksum, so sizes and integrity enforcement are unchanged.
 *
 * IVs are deterministic so that equal seeds give identical captures: AES-CBC uses the
 * encryption, under a second key derived from the SA key, of the 64-bit sequence number
 * (unpredictable to an observer, as RFC 3602 requires); AES-GCM uses the 64-bit sequence
 * number itself, which RFC 4106 section 3.1 allows because it never repeats under one key.
 */
class IpsecCipher
{
  public:
    /**
     * Creates the cipher contexts.
     * \param algorithm the encryption algorithm (not NONE)
     * \param key the key: 16/24/32 bytes for AES-CBC, 20/28/36 for AES-GCM (key then salt),
     *        empty for NULL
     * \param modelled true to skip the cipher work (modelled-crypto mode)
     */
    IpsecCipher(IpsecEncryption algorithm, const std::vector<uint8_t>& key, bool modelled);
    ~IpsecCipher();
    IpsecCipher(const IpsecCipher&) = delete;
    IpsecCipher& operator=(const IpsecCipher&) = delete;

    /// \return the algorithm
    IpsecEncryption GetAlgorithm() const;
    /// \return the IV length in bytes carried in each packet
    uint32_t GetIvLength() const;
    /// \return the length in bytes the encrypted part is padded to a multiple of
    uint32_t GetPadAlignment() const;
    /// \return the length of the authentication tag produced by the cipher itself (16 for GCM)
    uint32_t GetTagLength() const;
    /// \return true if the cipher also authenticates (AES-GCM)
    bool IsAead() const;

    /**
     * Writes the IV for a packet.
     * \param sequence the packet's 64-bit sequence number (ESN or not)
     * \param[out] iv GetIvLength() bytes
     */
    void MakeIv(uint64_t sequence, uint8_t* iv);

    /**
     * Encrypts in place.
     * \param iv the packet's IV (GetIvLength() bytes)
     * \param data the plaintext, replaced by the ciphertext
     * \param length the length, a multiple of GetPadAlignment()
     * \param aad additional authenticated data (GCM: SPI and sequence number), or nullptr
     * \param aadLength its length in bytes
     * \param[out] tag GetTagLength() bytes (GCM only; may be nullptr otherwise)
     * \return false if the length is not a multiple of GetPadAlignment() or OpenSSL reported
     *         an error
     */
    bool Encrypt(const uint8_t* iv,
                 uint8_t* data,
                 uint32_t length,
                 const uint8_t* aad,
                 uint32_t aadLength,
                 uint8_t* tag);

    /**
     * Decrypts in place and, for GCM, verifies the tag.
     * \param iv the packet's IV
     * \param data the ciphertext, replaced by the plaintext
     * \param length the length, a multiple of GetPadAlignment()
     * \param aad additional authenticated data, or nullptr
     * \param aadLength its length in bytes
     * \param tag the received tag (GCM only)
     * \return false if the length is invalid, the tag does not verify, or OpenSSL failed
     */
    bool Decrypt(const uint8_t* iv,
                 uint8_t* data,
                 uint32_t length,
                 const uint8_t* aad,
                 uint32_t aadLength,
                 const uint8_t* tag);

  private:
    IpsecEncryption m_algorithm; //!< algorithm
    bool m_modelled;             //!< true to skip cipher work
    std::vector<uint8_t> m_key;  //!< encryption key (without GCM salt)
    uint8_t m_salt[4];           //!< GCM salt (RFC 4106 section 4)
    void* m_encryptContext;      //!< EVP_CIPHER_CTX keyed for encryption
    void* m_decryptContext;      //!< EVP_CIPHER_CTX keyed for decryption
    void* m_ivContext;           //!< EVP_CIPHER_CTX (AES-ECB) that derives CBC IVs
    uint64_t m_modelKey;         //!< key folded to 64 bits for the modelled GCM tag
};

} // namespace ns3

#endif // IPSEC_CIPHER_H
