// Copyright (c) 2026 The ns3-ipsec authors
// SPDX-License-Identifier: GPL-2.0-only

#include "ipsec-transform-set.h"

#include "ns3/abort.h"
#include "ns3/assert.h"
#include "ns3/log.h"

#include <sstream>
#include <vector>

namespace ns3
{

NS_LOG_COMPONENT_DEFINE("IpsecTransformSet");

namespace
{

/// Transform list accepted by Parse(), quoted in every error message.
const char* const VALID_TRANSFORMS =
    "ah-sha-hmac, ah-sha256-hmac, esp-null, esp-aes [128|192|256], "
    "esp-gcm [128|192|256], esp-sha-hmac, esp-sha256-hmac";

/// Bytes of the ESP header before the IV: SPI (4) and sequence number (4), RFC 4303 section 2.
const uint32_t ESP_HEADER_SIZE = 8;
/// Bytes of the ESP trailer after the padding: pad length (1) and next header (1).
const uint32_t ESP_TRAILER_SIZE = 2;
/// Bytes of the AH header without its ICV (RFC 4302 section 2).
const uint32_t AH_FIXED_SIZE = 12;
/// Bytes of the outer IPv4 header added in tunnel mode (no options).
const uint32_t OUTER_IPV4_HEADER_SIZE = 20;

/**
 * Builds the one-line error message of Parse().
 * \param name the transform set name
 * \param problem what is wrong, naming the offending word
 * \return the message
 */
std::string
FormatError(const std::string& name, const std::string& problem)
{
    return "transform set \"" + name + "\": " + problem +
           ". Valid transforms are: " + VALID_TRANSFORMS;
}

/**
 * Returns the IOS name of an integrity transform.
 * \param algorithm the integrity algorithm
 * \param protocolPrefix "ah" or "esp"
 * \return the name, e.g. "esp-sha-hmac", or an empty string for NONE
 */
std::string
GetIntegrityName(IpsecIntegrity algorithm, const std::string& protocolPrefix)
{
    switch (algorithm)
    {
    case IpsecIntegrity::HMAC_SHA1_96:
        return protocolPrefix + "-sha-hmac";
    case IpsecIntegrity::HMAC_SHA256_128:
        return protocolPrefix + "-sha256-hmac";
    case IpsecIntegrity::NONE:
        break;
    }
    return "";
}

} // namespace

uint32_t
GetIntegrityIcvLength(IpsecIntegrity algorithm)
{
    switch (algorithm)
    {
    case IpsecIntegrity::HMAC_SHA1_96:
        return 12; // RFC 2404 section 2: 96 of the 160 HMAC-SHA-1 bits.
    case IpsecIntegrity::HMAC_SHA256_128:
        return 16; // RFC 4868 section 2.3: 128 of the 256 HMAC-SHA-256 bits.
    case IpsecIntegrity::NONE:
        break;
    }
    return 0;
}

uint32_t
GetIntegrityKeyLength(IpsecIntegrity algorithm)
{
    switch (algorithm)
    {
    case IpsecIntegrity::HMAC_SHA1_96:
        return 20;
    case IpsecIntegrity::HMAC_SHA256_128:
        return 32;
    case IpsecIntegrity::NONE:
        break;
    }
    return 0;
}

IpsecTransformSet::IpsecTransformSet()
    : m_name(),
      m_mode(IpsecMode::TUNNEL),
      m_ahIntegrity(IpsecIntegrity::NONE),
      m_espEncryption(IpsecEncryption::NONE),
      m_espIntegrity(IpsecIntegrity::NONE),
      m_keyBits(0)
{
}

std::string
IpsecTransformSet::Parse(const std::string& name,
                         const std::string& transforms,
                         IpsecTransformSet& set)
{
    NS_LOG_FUNCTION(name << transforms);

    std::istringstream stream(transforms);
    std::vector<std::string> words;
    std::string word;
    while (stream >> word)
    {
        words.push_back(word);
    }
    if (words.empty())
    {
        return FormatError(name, "the transform list is empty");
    }

    // Work on a copy so that the caller's set stays unchanged on error.
    IpsecTransformSet parsed;
    parsed.m_name = name;
    parsed.m_mode = set.m_mode;
    std::string encryptionWord;
    std::string integrityWord;

    for (std::size_t i = 0; i < words.size(); ++i)
    {
        const std::string& current = words[i];

        if (current == "ah-sha-hmac" || current == "ah-sha256-hmac")
        {
            if (parsed.m_ahIntegrity != IpsecIntegrity::NONE)
            {
                return FormatError(name,
                                   "duplicate AH transform \"" + current +
                                       "\" (at most one AH transform is allowed)");
            }
            parsed.m_ahIntegrity = (current == "ah-sha-hmac") ? IpsecIntegrity::HMAC_SHA1_96
                                                              : IpsecIntegrity::HMAC_SHA256_128;
        }
        else if (current == "esp-null" || current == "esp-aes" || current == "esp-gcm")
        {
            if (parsed.m_espEncryption != IpsecEncryption::NONE)
            {
                return FormatError(name,
                                   "duplicate ESP encryption transform \"" + current + "\" (\"" +
                                       encryptionWord + "\" is already configured)");
            }
            encryptionWord = current;
            if (current == "esp-null")
            {
                parsed.m_espEncryption = IpsecEncryption::NULL_ENCRYPTION;
                continue;
            }
            parsed.m_espEncryption =
                (current == "esp-aes") ? IpsecEncryption::AES_CBC : IpsecEncryption::AES_GCM;
            parsed.m_keyBits = 128;

            // An optional key size follows the AES transforms. A number that is not a valid
            // size is reported as a key size error, not as an unknown transform.
            if (i + 1 < words.size() &&
                words[i + 1].find_first_not_of("0123456789") == std::string::npos)
            {
                const std::string& size = words[i + 1];
                if (size != "128" && size != "192" && size != "256")
                {
                    return FormatError(name,
                                       "invalid key size \"" + size + "\" for " + current +
                                           " (valid sizes are 128, 192 and 256)");
                }
                parsed.m_keyBits = static_cast<uint16_t>(std::stoi(size));
                ++i;
            }
        }
        else if (current == "esp-sha-hmac" || current == "esp-sha256-hmac")
        {
            if (parsed.m_espIntegrity != IpsecIntegrity::NONE)
            {
                return FormatError(name,
                                   "duplicate ESP integrity transform \"" + current + "\" (\"" +
                                       integrityWord + "\" is already configured)");
            }
            integrityWord = current;
            parsed.m_espIntegrity = (current == "esp-sha-hmac") ? IpsecIntegrity::HMAC_SHA1_96
                                                                : IpsecIntegrity::HMAC_SHA256_128;
        }
        else
        {
            return FormatError(name, "unknown transform \"" + current + "\"");
        }
    }

    // esp-gcm carries its own 16-byte ICV, so IOS rejects a second integrity transform.
    if (parsed.m_espEncryption == IpsecEncryption::AES_GCM &&
        parsed.m_espIntegrity != IpsecIntegrity::NONE)
    {
        return FormatError(name,
                           "\"" + integrityWord +
                               "\" cannot be combined with esp-gcm, which already provides "
                               "integrity");
    }

    // IOS accepts an ESP integrity transform only together with an ESP encryption transform.
    if (parsed.m_espIntegrity != IpsecIntegrity::NONE &&
        parsed.m_espEncryption == IpsecEncryption::NONE)
    {
        return FormatError(name,
                           "\"" + integrityWord +
                               "\" requires an ESP encryption transform (add esp-null or "
                               "esp-aes)");
    }

    set = parsed;
    NS_LOG_DEBUG("transform set " << name << ": " << set.GetDescription());
    return "";
}

IpsecTransformSet
IpsecTransformSet::FromString(const std::string& name, const std::string& transforms)
{
    IpsecTransformSet set;
    std::string error = Parse(name, transforms, set);
    NS_ABORT_MSG_IF(!error.empty(), error);
    return set;
}

const std::string&
IpsecTransformSet::GetName() const
{
    return m_name;
}

IpsecMode
IpsecTransformSet::GetMode() const
{
    return m_mode;
}

void
IpsecTransformSet::SetMode(IpsecMode mode)
{
    m_mode = mode;
}

bool
IpsecTransformSet::HasAh() const
{
    return m_ahIntegrity != IpsecIntegrity::NONE;
}

bool
IpsecTransformSet::HasEsp() const
{
    return m_espEncryption != IpsecEncryption::NONE;
}

IpsecIntegrity
IpsecTransformSet::GetAhIntegrity() const
{
    return m_ahIntegrity;
}

IpsecEncryption
IpsecTransformSet::GetEspEncryption() const
{
    return m_espEncryption;
}

IpsecIntegrity
IpsecTransformSet::GetEspIntegrity() const
{
    return m_espIntegrity;
}

uint16_t
IpsecTransformSet::GetEncryptionKeyBits() const
{
    return m_keyBits;
}

uint32_t
IpsecTransformSet::GetEspEncryptionKeyLength() const
{
    switch (m_espEncryption)
    {
    case IpsecEncryption::AES_CBC:
        return m_keyBits / 8;
    case IpsecEncryption::AES_GCM:
        return m_keyBits / 8 + 4; // RFC 4106 section 8.1: the 4-byte salt follows the key.
    case IpsecEncryption::NULL_ENCRYPTION:
    case IpsecEncryption::NONE:
        break;
    }
    return 0;
}

uint32_t
IpsecTransformSet::GetEspIntegrityKeyLength() const
{
    return GetIntegrityKeyLength(m_espIntegrity);
}

uint32_t
IpsecTransformSet::GetAhIntegrityKeyLength() const
{
    return GetIntegrityKeyLength(m_ahIntegrity);
}

uint32_t
IpsecTransformSet::GetEspIvLength() const
{
    switch (m_espEncryption)
    {
    case IpsecEncryption::AES_CBC:
        return 16;
    case IpsecEncryption::AES_GCM:
        return 8;
    case IpsecEncryption::NULL_ENCRYPTION:
    case IpsecEncryption::NONE:
        break;
    }
    return 0;
}

uint32_t
IpsecTransformSet::GetEspPadAlignment() const
{
    // AES-CBC encrypts whole 16-byte blocks. The others only need the 4-byte alignment of the
    // ESP trailer that RFC 4303 section 2.4 requires.
    return (m_espEncryption == IpsecEncryption::AES_CBC) ? 16 : 4;
}

uint32_t
IpsecTransformSet::GetEspIcvLength() const
{
    if (m_espEncryption == IpsecEncryption::AES_GCM)
    {
        return 16;
    }
    return GetIntegrityIcvLength(m_espIntegrity);
}

uint32_t
IpsecTransformSet::GetAhIcvLength() const
{
    return GetIntegrityIcvLength(m_ahIntegrity);
}

uint32_t
IpsecTransformSet::GetEspOverhead(uint32_t payloadSize) const
{
    if (!HasEsp())
    {
        return 0;
    }

    // The payload, the padding and the 2-byte trailer together fill a multiple of the alignment.
    uint32_t alignment = GetEspPadAlignment();
    uint32_t unpadded = payloadSize + ESP_TRAILER_SIZE;
    uint32_t padded = (unpadded + alignment - 1) / alignment * alignment;
    uint32_t padding = padded - unpadded;

    return ESP_HEADER_SIZE + GetEspIvLength() + padding + ESP_TRAILER_SIZE + GetEspIcvLength();
}

uint32_t
IpsecTransformSet::GetAhOverhead() const
{
    if (!HasAh())
    {
        return 0;
    }
    // 12 + 12 = 24 and 12 + 16 = 28 bytes are both multiples of 4, as RFC 4302 section 2.2
    // requires for IPv4, so AH needs no ICV padding here.
    return AH_FIXED_SIZE + GetAhIcvLength();
}

uint32_t
IpsecTransformSet::GetEncapsulatedSize(uint32_t innerSize, uint32_t innerHeaderSize) const
{
    if (m_mode == IpsecMode::TUNNEL)
    {
        return OUTER_IPV4_HEADER_SIZE + GetAhOverhead() + innerSize + GetEspOverhead(innerSize);
    }

    NS_ASSERT_MSG(innerHeaderSize <= innerSize,
                  "inner header size " << innerHeaderSize << " exceeds packet size " << innerSize);
    return innerSize + GetAhOverhead() + GetEspOverhead(innerSize - innerHeaderSize);
}

std::string
IpsecTransformSet::GetEspDescription() const
{
    // IOS prints each transform followed by one space, and names 192/256-bit AES-CBC
    // "esp-192-aes" / "esp-256-aes".
    std::string description;
    switch (m_espEncryption)
    {
    case IpsecEncryption::NULL_ENCRYPTION:
        description = "esp-null ";
        break;
    case IpsecEncryption::AES_CBC:
        description =
            (m_keyBits == 128) ? "esp-aes " : "esp-" + std::to_string(m_keyBits) + "-aes ";
        break;
    case IpsecEncryption::AES_GCM:
        description =
            (m_keyBits == 128) ? "esp-gcm " : "esp-gcm " + std::to_string(m_keyBits) + " ";
        break;
    case IpsecEncryption::NONE:
        return "";
    }
    if (m_espIntegrity != IpsecIntegrity::NONE)
    {
        description += GetIntegrityName(m_espIntegrity, "esp") + " ";
    }
    return description;
}

std::string
IpsecTransformSet::GetAhDescription() const
{
    if (!HasAh())
    {
        return "";
    }
    return GetIntegrityName(m_ahIntegrity, "ah") + " ";
}

std::string
IpsecTransformSet::GetDescription() const
{
    // Canonical order AH, ESP encryption, ESP integrity, with the key size shown only when it
    // is not the 128-bit default, as `show running-config` prints it.
    std::vector<std::string> parts;
    if (HasAh())
    {
        parts.push_back(GetIntegrityName(m_ahIntegrity, "ah"));
    }
    switch (m_espEncryption)
    {
    case IpsecEncryption::NULL_ENCRYPTION:
        parts.emplace_back("esp-null");
        break;
    case IpsecEncryption::AES_CBC:
    case IpsecEncryption::AES_GCM: {
        std::string word = (m_espEncryption == IpsecEncryption::AES_CBC) ? "esp-aes" : "esp-gcm";
        if (m_keyBits != 128)
        {
            word += " " + std::to_string(m_keyBits);
        }
        parts.push_back(word);
        break;
    }
    case IpsecEncryption::NONE:
        break;
    }
    if (m_espIntegrity != IpsecIntegrity::NONE)
    {
        parts.push_back(GetIntegrityName(m_espIntegrity, "esp"));
    }

    std::string description;
    for (const auto& part : parts)
    {
        description += description.empty() ? part : " " + part;
    }
    return description;
}

} // namespace ns3
