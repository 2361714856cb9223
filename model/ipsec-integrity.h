// Copyright (c) 2026 The ns3-ipsec authors
// SPDX-License-Identifier: GPL-2.0-only

#ifndef IPSEC_INTEGRITY_H
#define IPSEC_INTEGRITY_H

#include "ipsec-transform-set.h"

#include <cstdint>
#include <vector>

namespace ns3
{

/**
 * \ingroup ipsec
 * Cheap keyed 64-bit checksum that replaces an HMAC or a GCM tag in modelled-crypto mode.
 *
 * The input is absorbed eight bytes at a time (little-endian words, the last one padded with
 * zeros), each step being state = Mix(state XOR word) with a bijective Mix, and the total
 * length is absorbed last. Because every step is a bijection of the state, a change confined
 * to one byte always changes the final state, so a modelled ICV detects any single-byte
 * change. It is not a MAC: anyone can forge it.
 */
class IpsecModelChecksum
{
  public:
    /**
     * Folds a key of any length into a 64-bit checksum key.
     * \param key the key bytes
     * \return the folded key
     */
    static uint64_t FoldKey(const std::vector<uint8_t>& key);

    /**
     * Starts a new checksum.
     * \param key the folded key from FoldKey()
     */
    void Begin(uint64_t key);
    /**
     * Absorbs bytes. Split input gives the same result as one call over the whole input.
     * \param data the bytes
     * \param length their number
     */
    void Update(const uint8_t* data, uint32_t length);
    /**
     * Ends the checksum and writes it: the 64-bit state big-endian in the first 8 bytes,
     * then bytes derived from it.
     * \param[out] out the checksum bytes
     * \param length how many bytes to write (at most 16)
     */
    void Finish(uint8_t* out, uint32_t length);

  private:
    uint64_t m_state = 0;        //!< running state
    uint64_t m_pendingWord = 0;  //!< bytes of an incomplete word, little-endian
    uint32_t m_pendingBytes = 0; //!< number of bytes in m_pendingWord (0 to 7)
    uint64_t m_totalBytes = 0;   //!< bytes absorbed since Begin()
};

/**
 * \ingroup ipsec
 * Integrity check value (ICV) computation of one SA: HMAC-SHA1-96 or HMAC-SHA-256-128.
 *
 * The HMAC inner and outer hash states (RFC 2104) are computed from the key once, in the
 * constructor, and copied by value at each Begin(), so the per-packet path allocates nothing
 * and skips the two key blocks. The ICV can be computed over several pieces (AH covers the
 * IP header, the AH header and the payload) with Begin, Update and Finish.
 *
 * In modelled mode the ICV is a cheap keyed checksum (IpsecModelChecksum) instead of an HMAC.
 * Any single-byte change to the covered bytes always fails verification, and larger changes
 * fail unless they happen to collide, but the value is not cryptographically strong.
 */
class IpsecIntegrityCheck
{
  public:
    /**
     * Creates and keys the MAC context.
     * \param algorithm the integrity algorithm (not NONE)
     * \param key the key (20 bytes for SHA-1, 32 for SHA-256)
     * \param modelled true to replace the HMAC by a keyed checksum
     */
    IpsecIntegrityCheck(IpsecIntegrity algorithm, const std::vector<uint8_t>& key, bool modelled);
    ~IpsecIntegrityCheck();
    IpsecIntegrityCheck(const IpsecIntegrityCheck&) = delete;
    IpsecIntegrityCheck& operator=(const IpsecIntegrityCheck&) = delete;

    /// \return the algorithm
    IpsecIntegrity GetAlgorithm() const;
    /// \return the truncated ICV length in bytes (12 or 16)
    uint32_t GetIcvLength() const;

    /// Starts a new ICV computation with the SA's key.
    void Begin();
    /**
     * Adds bytes to the computation.
     * \param data the bytes
     * \param length their number
     */
    void Update(const uint8_t* data, uint32_t length);
    /**
     * Ends the computation.
     * \param[out] icv GetIcvLength() bytes, the truncated MAC
     */
    void Finish(uint8_t* icv);

    /**
     * Computes the ICV of one contiguous buffer.
     * \param data the bytes
     * \param length their number
     * \param[out] icv GetIcvLength() bytes
     */
    void Compute(const uint8_t* data, uint32_t length, uint8_t* icv);

    /**
     * Compares two ICVs in constant time.
     * \param expected the computed ICV
     * \param received the ICV from the packet
     * \return true if they are equal
     */
    bool Equal(const uint8_t* expected, const uint8_t* received) const;

  private:
    IpsecIntegrity m_algorithm;         //!< algorithm
    bool m_modelled;                    //!< true for the keyed checksum
    uint32_t m_icvLength;               //!< truncated ICV length in bytes
    void* m_hmac;                       //!< precomputed and running SHA states, allocated once
    uint64_t m_modelKey;                //!< key folded to 64 bits for modelled mode
    IpsecModelChecksum m_modelChecksum; //!< running checksum in modelled mode
};

} // namespace ns3

#endif // IPSEC_INTEGRITY_H
