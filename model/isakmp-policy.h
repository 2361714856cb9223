// Copyright (c) 2026 The ns3-ipsec authors
// SPDX-License-Identifier: GPL-2.0-only

#ifndef ISAKMP_POLICY_H
#define ISAKMP_POLICY_H

#include "ns3/ipv4-address.h"
#include "ns3/nstime.h"

#include <cstdint>
#include <string>
#include <vector>

namespace ns3
{

/**
 * \ingroup ipsec
 * One IKE phase 1 policy, as `crypto isakmp policy PRIORITY` configures it:
 * `encryption des|3des|aes|aes 192|aes 256`, `hash sha|sha256|md5`,
 * `authentication pre-share`, `group 1|2|5|14` and `lifetime SECONDS` (60..86400, default
 * 86400). The IOS defaults otherwise are des, sha, group 1; pre-share is the only
 * authentication method modelled.
 */
class IsakmpPolicy
{
  public:
    /// Phase 1 encryption algorithm.
    enum class Encryption : uint8_t
    {
        DES,    //!< DES-CBC, 8-byte block
        DES3,   //!< 3DES-CBC, 8-byte block
        AES128, //!< AES-CBC 128, 16-byte block
        AES192, //!< AES-CBC 192
        AES256, //!< AES-CBC 256
    };

    /// Phase 1 hash (and PRF) algorithm.
    enum class Hash : uint8_t
    {
        SHA1,   //!< `sha`: HMAC-SHA1, 20-byte output
        SHA256, //!< `sha256`: HMAC-SHA-256, 32-byte output
        MD5,    //!< `md5`: HMAC-MD5, 16-byte output
    };

    /**
     * Creates a policy with the IOS defaults (des, sha, pre-share, group 1, 86400 s).
     * \param priority the policy priority 1..10000 (lower is preferred)
     */
    explicit IsakmpPolicy(uint16_t priority = 1);

    /// \return the priority
    uint16_t GetPriority() const;

    /**
     * Sets the encryption from its IOS words.
     * \param words "des", "3des", "aes", "aes 192" or "aes 256"
     * \return an empty string on success, else the reason (nothing changes)
     */
    std::string SetEncryption(const std::string& words);
    /**
     * Sets the hash from its IOS word.
     * \param word "sha", "sha256" or "md5"
     * \return an empty string on success, else the reason
     */
    std::string SetHash(const std::string& word);
    /**
     * Sets the authentication method.
     * \param word "pre-share" (the only method modelled)
     * \return an empty string on success, else the reason
     */
    std::string SetAuthentication(const std::string& word);
    /**
     * Sets the Diffie-Hellman group.
     * \param group 1, 2, 5 or 14
     * \return an empty string on success, else the reason
     */
    std::string SetGroup(uint32_t group);
    /**
     * Sets the IKE SA lifetime.
     * \param seconds 60..86400
     * \return an empty string on success, else the reason
     */
    std::string SetLifetime(uint32_t seconds);

    /// \return the encryption algorithm
    Encryption GetEncryption() const;
    /// \return the hash algorithm
    Hash GetHash() const;
    /// \return the Diffie-Hellman group
    uint32_t GetGroup() const;
    /// \return the IKE SA lifetime in seconds
    uint32_t GetLifetimeSeconds() const;

    /// \return the modulus size in bytes of the group (the KE payload data size)
    uint32_t GetModulusSize() const;
    /// \return the PRF output size in bytes (the HASH payload data size)
    uint32_t GetHashSize() const;
    /// \return the cipher block size in bytes (padding of encrypted messages)
    uint32_t GetBlockSize() const;

    /// \return the RFC 2409 appendix A encryption algorithm value (1 DES, 5 3DES, 7 AES)
    uint16_t GetEncryptionAttribute() const;
    /// \return the AES key length in bits, or 0 for DES and 3DES
    uint16_t GetKeyLengthAttribute() const;
    /// \return the RFC 2409 appendix A hash algorithm value (1 MD5, 2 SHA, 4 SHA2-256)
    uint16_t GetHashAttribute() const;

    /**
     * Tests whether the algorithms of two policies are the same (lifetime aside).
     * \param other the other policy
     * \return true if encryption, hash, authentication and group agree
     */
    bool SameAlgorithms(const IsakmpPolicy& other) const;

    /**
     * Builds a policy from the attributes of a received phase 1 transform.
     * \param encryption encryption attribute
     * \param keyLength key length attribute (0 if absent)
     * \param hash hash attribute
     * \param authentication authentication method attribute
     * \param group group description attribute
     * \param lifetime life duration in seconds
     * \param[out] policy the policy
     * \return false if a value is not one this model supports
     */
    static bool FromAttributes(uint32_t encryption,
                               uint32_t keyLength,
                               uint32_t hash,
                               uint32_t authentication,
                               uint32_t group,
                               uint32_t lifetime,
                               IsakmpPolicy& policy);

    /// \return the policy as `show crypto isakmp policy` summarises it, e.g. "aes 256, sha, group
    /// 14"
    std::string GetDescription() const;

  private:
    uint16_t m_priority;     //!< priority, lower is preferred
    Encryption m_encryption; //!< encryption
    Hash m_hash;             //!< hash
    uint32_t m_group;        //!< Diffie-Hellman group
    uint32_t m_lifetime;     //!< lifetime in seconds
};

/**
 * \ingroup ipsec
 * The pre-shared keys of a node: `crypto isakmp key KEY address ADDR [MASK]`.
 * A peer's key is the one whose address and mask match it with the longest mask.
 */
class IsakmpKeyTable
{
  public:
    /**
     * Adds or replaces a key.
     * \param key the key (1..128 characters, no spaces)
     * \param address the peer address
     * \param mask the mask (255.255.255.255 for one host)
     * \return an empty string on success, else the reason
     */
    std::string Add(const std::string& key, Ipv4Address address, Ipv4Mask mask = Ipv4Mask("/32"));

    /**
     * Finds the key of a peer.
     * \param peer the peer address
     * \param[out] key the key
     * \return false if no entry matches
     */
    bool Find(Ipv4Address peer, std::string& key) const;

    /// \return the number of keys
    uint32_t GetSize() const;

  private:
    /// One `crypto isakmp key` line.
    struct Entry
    {
        std::string key;     //!< the key
        Ipv4Address address; //!< peer address
        Ipv4Mask mask;       //!< peer mask
    };

    std::vector<Entry> m_entries; //!< keys in the order added
};

} // namespace ns3

#endif // ISAKMP_POLICY_H
