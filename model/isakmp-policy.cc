// Copyright (c) 2026 The ns3-ipsec authors
// SPDX-License-Identifier: GPL-2.0-only

#include "isakmp-policy.h"

#include <sstream>

namespace ns3
{

IsakmpPolicy::IsakmpPolicy(uint16_t priority)
    : m_priority(priority),
      m_encryption(Encryption::DES),
      m_hash(Hash::SHA1),
      m_group(1),
      m_lifetime(86400)
{
}

uint16_t
IsakmpPolicy::GetPriority() const
{
    return m_priority;
}

std::string
IsakmpPolicy::SetEncryption(const std::string& words)
{
    if (words == "des")
    {
        m_encryption = Encryption::DES;
    }
    else if (words == "3des")
    {
        m_encryption = Encryption::DES3;
    }
    else if (words == "aes" || words == "aes 128")
    {
        m_encryption = Encryption::AES128;
    }
    else if (words == "aes 192")
    {
        m_encryption = Encryption::AES192;
    }
    else if (words == "aes 256")
    {
        m_encryption = Encryption::AES256;
    }
    else
    {
        return "invalid encryption '" + words + "': expected des, 3des, aes, aes 192 or aes 256";
    }
    return "";
}

std::string
IsakmpPolicy::SetHash(const std::string& word)
{
    if (word == "sha")
    {
        m_hash = Hash::SHA1;
    }
    else if (word == "sha256")
    {
        m_hash = Hash::SHA256;
    }
    else if (word == "md5")
    {
        m_hash = Hash::MD5;
    }
    else
    {
        return "invalid hash '" + word + "': expected sha, sha256 or md5";
    }
    return "";
}

std::string
IsakmpPolicy::SetAuthentication(const std::string& word)
{
    if (word != "pre-share")
    {
        return "invalid authentication '" + word + "': only pre-share is supported";
    }
    return "";
}

std::string
IsakmpPolicy::SetGroup(uint32_t group)
{
    if (group != 1 && group != 2 && group != 5 && group != 14)
    {
        return "invalid group " + std::to_string(group) + ": expected 1, 2, 5 or 14";
    }
    m_group = group;
    return "";
}

std::string
IsakmpPolicy::SetLifetime(uint32_t seconds)
{
    if (seconds < 60 || seconds > 86400)
    {
        return "invalid lifetime " + std::to_string(seconds) + ": expected 60 to 86400 seconds";
    }
    m_lifetime = seconds;
    return "";
}

IsakmpPolicy::Encryption
IsakmpPolicy::GetEncryption() const
{
    return m_encryption;
}

IsakmpPolicy::Hash
IsakmpPolicy::GetHash() const
{
    return m_hash;
}

uint32_t
IsakmpPolicy::GetGroup() const
{
    return m_group;
}

uint32_t
IsakmpPolicy::GetLifetimeSeconds() const
{
    return m_lifetime;
}

uint32_t
IsakmpPolicy::GetModulusSize() const
{
    // Modulus sizes of the MODP groups: RFC 2409 section 6 (768 and 1024 bits) and RFC 3526
    // (1536 and 2048 bits).
    switch (m_group)
    {
    case 1:
        return 96;
    case 2:
        return 128;
    case 5:
        return 192;
    default:
        return 256;
    }
}

uint32_t
IsakmpPolicy::GetHashSize() const
{
    switch (m_hash)
    {
    case Hash::SHA1:
        return 20;
    case Hash::SHA256:
        return 32;
    default:
        return 16;
    }
}

uint32_t
IsakmpPolicy::GetBlockSize() const
{
    return (m_encryption == Encryption::DES || m_encryption == Encryption::DES3) ? 8 : 16;
}

uint16_t
IsakmpPolicy::GetEncryptionAttribute() const
{
    switch (m_encryption)
    {
    case Encryption::DES:
        return 1;
    case Encryption::DES3:
        return 5;
    default:
        return 7;
    }
}

uint16_t
IsakmpPolicy::GetKeyLengthAttribute() const
{
    switch (m_encryption)
    {
    case Encryption::AES128:
        return 128;
    case Encryption::AES192:
        return 192;
    case Encryption::AES256:
        return 256;
    default:
        return 0;
    }
}

uint16_t
IsakmpPolicy::GetHashAttribute() const
{
    switch (m_hash)
    {
    case Hash::MD5:
        return 1;
    case Hash::SHA1:
        return 2;
    default:
        return 4;
    }
}

bool
IsakmpPolicy::SameAlgorithms(const IsakmpPolicy& other) const
{
    return m_encryption == other.m_encryption && m_hash == other.m_hash && m_group == other.m_group;
}

bool
IsakmpPolicy::FromAttributes(uint32_t encryption,
                             uint32_t keyLength,
                             uint32_t hash,
                             uint32_t authentication,
                             uint32_t group,
                             uint32_t lifetime,
                             IsakmpPolicy& policy)
{
    IsakmpPolicy result;
    switch (encryption)
    {
    case 1:
        result.m_encryption = Encryption::DES;
        break;
    case 5:
        result.m_encryption = Encryption::DES3;
        break;
    case 7:
        if (keyLength == 128 || keyLength == 0)
        {
            result.m_encryption = Encryption::AES128;
        }
        else if (keyLength == 192)
        {
            result.m_encryption = Encryption::AES192;
        }
        else if (keyLength == 256)
        {
            result.m_encryption = Encryption::AES256;
        }
        else
        {
            return false;
        }
        break;
    default:
        return false;
    }
    switch (hash)
    {
    case 1:
        result.m_hash = Hash::MD5;
        break;
    case 2:
        result.m_hash = Hash::SHA1;
        break;
    case 4:
        result.m_hash = Hash::SHA256;
        break;
    default:
        return false;
    }

    // Authentication method 1 is pre-shared key (RFC 2409 appendix A).
    if (authentication != 1 || !result.SetGroup(group).empty())
    {
        return false;
    }

    // A transform without a life duration gets the default of 86400 s. Other values are kept
    // as offered, and the responder then takes the smaller of them and its own.
    result.m_lifetime = lifetime == 0 ? 86400 : lifetime;
    policy = result;
    return true;
}

std::string
IsakmpPolicy::GetDescription() const
{
    static const char* const encryptionNames[] = {"des", "3des", "aes", "aes 192", "aes 256"};
    static const char* const hashNames[] = {"sha", "sha256", "md5"};
    std::ostringstream os;
    os << encryptionNames[static_cast<int>(m_encryption)] << ", "
       << hashNames[static_cast<int>(m_hash)] << ", group " << m_group << ", lifetime "
       << m_lifetime << " s";
    return os.str();
}

std::string
IsakmpKeyTable::Add(const std::string& key, Ipv4Address address, Ipv4Mask mask)
{
    if (key.empty() || key.size() > 128)
    {
        return "invalid pre-shared key: expected 1 to 128 characters";
    }
    if (key.find_first_of(" \t") != std::string::npos)
    {
        return "invalid pre-shared key: it must not contain spaces";
    }
    Ipv4Address network = address.CombineMask(mask);
    for (auto& entry : m_entries)
    {
        if (entry.address == network && entry.mask == mask)
        {
            entry.key = key;
            return "";
        }
    }
    m_entries.push_back({key, network, mask});
    return "";
}

bool
IsakmpKeyTable::Find(Ipv4Address peer, std::string& key) const
{
    int32_t best = -1;
    for (const auto& entry : m_entries)
    {
        int32_t prefix = entry.mask.GetPrefixLength();
        if (entry.mask.IsMatch(peer, entry.address) && prefix > best)
        {
            best = prefix;
            key = entry.key;
        }
    }
    return best >= 0;
}

uint32_t
IsakmpKeyTable::GetSize() const
{
    return m_entries.size();
}

} // namespace ns3
