// Copyright (c) 2026 The ns3-ipsec authors
// SPDX-License-Identifier: GPL-2.0-only

#ifndef IPSEC_TRANSFORM_SET_H
#define IPSEC_TRANSFORM_SET_H

#include <cstdint>
#include <string>

namespace ns3
{

/**
 * \defgroup ipsec IPsec
 *
 * An IPsec data plane (ESP, AH, crypto maps, SADB, anti-replay) modelled on the
 * behaviour of VPN routers, with real or modelled cryptography.
 */

/**
 * \ingroup ipsec
 * IPsec security protocol of an SA, with its IP protocol number as value.
 */
enum class IpsecProtocol : uint8_t
{
    ESP = 50, //!< Encapsulating Security Payload (RFC 4303)
    AH = 51,  //!< Authentication Header (RFC 4302)
};

/**
 * \ingroup ipsec
 * Encapsulation mode of an SA.
 */
enum class IpsecMode : uint8_t
{
    TUNNEL,    //!< The whole inner IPv4 packet is protected behind a new outer header.
    TRANSPORT, //!< Only the payload is protected and the original header is kept.
};

/**
 * \ingroup ipsec
 * ESP encryption algorithm of a transform set.
 */
enum class IpsecEncryption : uint8_t
{
    NONE,            //!< No ESP in the transform set.
    NULL_ENCRYPTION, //!< esp-null (RFC 2410): ESP framing without confidentiality.
    AES_CBC,         //!< esp-aes (RFC 3602), 16-byte IV, 16-byte block.
    AES_GCM,         //!< esp-gcm (RFC 4106), 8-byte IV, 16-byte ICV, 4-byte salt in the key.
};

/**
 * \ingroup ipsec
 * Integrity algorithm of an ESP or AH transform.
 */
enum class IpsecIntegrity : uint8_t
{
    NONE,            //!< No integrity transform.
    HMAC_SHA1_96,    //!< esp-sha-hmac / ah-sha-hmac (RFC 2404): 20-byte key, 12-byte ICV.
    HMAC_SHA256_128, //!< esp-sha256-hmac / ah-sha256-hmac (RFC 4868): 32-byte key, 16-byte ICV.
};

/**
 * \ingroup ipsec
 * A named transform set, as `crypto ipsec transform-set NAME T1 [T2 [T3]]` configures it.
 *
 * A transform set chooses the protocols (AH, ESP or the AH+ESP bundle), the algorithms and
 * key sizes, and the mode. From these it predicts the exact size of an encapsulated
 * packet, which pre-fragmentation needs before encryption.
 */
class IpsecTransformSet
{
  public:
    IpsecTransformSet();

    /**
     * Parses the transform list of `crypto ipsec transform-set`.
     *
     * Accepted transforms: `ah-sha-hmac`, `ah-sha256-hmac`, `esp-null`, `esp-aes [128|192|256]`,
     * `esp-gcm [128|192|256]`, `esp-sha-hmac`, `esp-sha256-hmac`. At most one AH transform,
     * one ESP encryption transform and one ESP integrity transform; `esp-gcm` takes no ESP
     * integrity transform.
     *
     * \param name the transform set name
     * \param transforms the transforms, separated by spaces, e.g. "esp-aes 256 esp-sha-hmac"
     * \param[out] set the parsed transform set, unchanged on error
     * \return an empty string on success, else a one-line reason
     */
    static std::string Parse(const std::string& name,
                             const std::string& transforms,
                             IpsecTransformSet& set);

    /**
     * Parses a transform list and aborts the simulation with the reason if it is invalid.
     * \param name the transform set name
     * \param transforms the transforms, separated by spaces
     * \return the transform set
     */
    static IpsecTransformSet FromString(const std::string& name, const std::string& transforms);

    /// \return the transform set name
    const std::string& GetName() const;
    /// \return the encapsulation mode (tunnel by default, as in IOS)
    IpsecMode GetMode() const;
    /// \param mode the encapsulation mode (IOS `mode tunnel` / `mode transport`)
    void SetMode(IpsecMode mode);

    /// \return true if the set includes an AH transform
    bool HasAh() const;
    /// \return true if the set includes an ESP transform
    bool HasEsp() const;
    /// \return the AH integrity algorithm, or NONE
    IpsecIntegrity GetAhIntegrity() const;
    /// \return the ESP encryption algorithm, or NONE
    IpsecEncryption GetEspEncryption() const;
    /// \return the ESP integrity algorithm, or NONE (always NONE with esp-gcm)
    IpsecIntegrity GetEspIntegrity() const;
    /// \return the AES key size in bits (128, 192 or 256), or 0 without AES
    uint16_t GetEncryptionKeyBits() const;

    /// \return the ESP encryption key length in bytes, including GCM's 4-byte salt
    uint32_t GetEspEncryptionKeyLength() const;
    /// \return the ESP integrity key length in bytes
    uint32_t GetEspIntegrityKeyLength() const;
    /// \return the AH integrity key length in bytes
    uint32_t GetAhIntegrityKeyLength() const;

    /// \return the ESP IV length in bytes (16 for AES-CBC, 8 for AES-GCM, 0 for NULL)
    uint32_t GetEspIvLength() const;
    /// \return the alignment of the ESP padded payload in bytes (16 for AES-CBC, else 4)
    uint32_t GetEspPadAlignment() const;
    /// \return the ESP ICV length in bytes (12, 16, or 0)
    uint32_t GetEspIcvLength() const;
    /// \return the AH ICV length in bytes (12 or 16), or 0 without AH
    uint32_t GetAhIcvLength() const;

    /**
     * Computes the ESP header, IV, padding, trailer and ICV bytes added to a payload.
     * \param payloadSize the bytes ESP protects: the whole inner packet in tunnel mode,
     *        the transport payload in transport mode
     * \return the ESP overhead in bytes, or 0 without ESP
     */
    uint32_t GetEspOverhead(uint32_t payloadSize) const;
    /// \return the AH header length in bytes including its ICV, or 0 without AH
    uint32_t GetAhOverhead() const;

    /**
     * Predicts the size of the packet sent on the wire for an inner IPv4 packet.
     *
     * In tunnel mode this adds a 20-byte outer IPv4 header, AH and ESP; in transport mode
     * the inner header is reused and only AH and ESP are added.
     *
     * \param innerSize the inner IPv4 packet size in bytes, header included
     * \param innerHeaderSize the inner IPv4 header size in bytes (20 without options)
     * \return the size of the outer IPv4 packet in bytes, header included
     */
    uint32_t GetEncapsulatedSize(uint32_t innerSize, uint32_t innerHeaderSize = 20) const;

    /// \return the transforms as IOS prints them, e.g. "esp-aes esp-sha-hmac "
    std::string GetEspDescription() const;
    /// \return the AH transform as IOS prints it, e.g. "ah-sha-hmac "
    std::string GetAhDescription() const;
    /// \return the whole transform list as configured, e.g. "ah-sha-hmac esp-aes esp-sha-hmac"
    std::string GetDescription() const;

  private:
    std::string m_name;              //!< transform set name
    IpsecMode m_mode;                //!< encapsulation mode
    IpsecIntegrity m_ahIntegrity;    //!< AH integrity algorithm, NONE without AH
    IpsecEncryption m_espEncryption; //!< ESP encryption, NONE without ESP
    IpsecIntegrity m_espIntegrity;   //!< ESP integrity, NONE if absent
    uint16_t m_keyBits;              //!< AES key size in bits, 0 without AES
};

/// \return the ICV length in bytes of an integrity algorithm (0 for NONE)
uint32_t GetIntegrityIcvLength(IpsecIntegrity algorithm);
/// \return the key length in bytes of an integrity algorithm (0 for NONE)
uint32_t GetIntegrityKeyLength(IpsecIntegrity algorithm);

} // namespace ns3

#endif // IPSEC_TRANSFORM_SET_H
