// Copyright (c) 2026 The ns3-ipsec authors
// SPDX-License-Identifier: GPL-2.0-only

#ifndef ISAKMP_HEADER_H
#define ISAKMP_HEADER_H

#include <cstdint>
#include <string>
#include <vector>

namespace ns3
{

/// \ingroup ipsec
/// ISAKMP payload types (RFC 2408 section 3.1).
enum IsakmpPayloadType : uint8_t
{
    ISAKMP_NONE = 0,          //!< no next payload
    ISAKMP_SA = 1,            //!< security association
    ISAKMP_PROPOSAL = 2,      //!< proposal (inside an SA payload only)
    ISAKMP_TRANSFORM = 3,     //!< transform (inside a proposal only)
    ISAKMP_KEY_EXCHANGE = 4,  //!< key exchange
    ISAKMP_ID = 5,            //!< identification
    ISAKMP_HASH = 8,          //!< hash
    ISAKMP_NONCE = 10,        //!< nonce
    ISAKMP_NOTIFICATION = 11, //!< notification
    ISAKMP_DELETE = 12,       //!< delete
    ISAKMP_VENDOR_ID = 13,    //!< vendor ID
};

/// \ingroup ipsec
/// ISAKMP exchange types (RFC 2408 section 3.1, RFC 2409 section 5).
enum IsakmpExchangeType : uint8_t
{
    ISAKMP_EXCHANGE_MAIN_MODE = 2,     //!< identity protection, IKEv1 main mode
    ISAKMP_EXCHANGE_INFORMATIONAL = 5, //!< informational
    ISAKMP_EXCHANGE_QUICK_MODE = 32,   //!< IKEv1 quick mode
};

/// \ingroup ipsec
/// Flag bit of the ISAKMP header: the payloads are encrypted.
constexpr uint8_t ISAKMP_FLAG_ENCRYPTED = 0x01;
/// \ingroup ipsec
/// ISAKMP version 1.0 as the header carries it (major in the high nibble).
constexpr uint8_t ISAKMP_VERSION = 0x10;
/// \ingroup ipsec
/// Bytes of the ISAKMP header.
constexpr uint32_t ISAKMP_HEADER_SIZE = 28;
/// \ingroup ipsec
/// Bytes of the generic payload header (next payload, reserved, length).
constexpr uint32_t ISAKMP_PAYLOAD_HEADER_SIZE = 4;

/// \ingroup ipsec
/// Protocol identifiers of proposals, notifications and deletes (RFC 2407 section 4.4.1).
enum IsakmpProtocolId : uint8_t
{
    ISAKMP_PROTO_ISAKMP = 1,    //!< the IKE SA itself
    ISAKMP_PROTO_IPSEC_AH = 2,  //!< AH
    ISAKMP_PROTO_IPSEC_ESP = 3, //!< ESP
};

/// \ingroup ipsec
/// Notify message types used here (RFC 2408 section 3.14.1, RFC 3706).
enum IsakmpNotifyType : uint16_t
{
    ISAKMP_NOTIFY_INVALID_PAYLOAD_TYPE = 1,   //!< INVALID-PAYLOAD-TYPE
    ISAKMP_NOTIFY_INVALID_SPI = 11,           //!< INVALID-SPI
    ISAKMP_NOTIFY_NO_PROPOSAL_CHOSEN = 14,    //!< NO-PROPOSAL-CHOSEN
    ISAKMP_NOTIFY_AUTHENTICATION_FAILED = 24, //!< AUTHENTICATION-FAILED
    ISAKMP_NOTIFY_R_U_THERE = 36136,          //!< dead peer detection request (RFC 3706)
    ISAKMP_NOTIFY_R_U_THERE_ACK = 36137,      //!< dead peer detection reply (RFC 3706)
};

/**
 * \ingroup ipsec
 * One data attribute of a transform (RFC 2408 section 3.3).
 *
 * Basic attributes are sent in TV form (16-bit value); variable ones in TLV form. Values
 * of variable attributes are limited to 4 bytes here, which covers every lifetime.
 */
struct IsakmpAttribute
{
    uint16_t type{0};     //!< attribute type, without the AF bit
    uint32_t value{0};    //!< attribute value
    bool variable{false}; //!< true to send as TLV (lifetime durations)
};

/// \ingroup ipsec
/// One transform of a proposal (RFC 2408 section 3.6).
struct IsakmpTransform
{
    uint8_t number{1};                       //!< transform number
    uint8_t id{0};                           //!< transform ID (KEY_IKE, ESP_AES, ...)
    std::vector<IsakmpAttribute> attributes; //!< SA attributes

    /**
     * Finds an attribute.
     * \param type the attribute type
     * \param[out] value its value
     * \return true if present
     */
    bool FindAttribute(uint16_t type, uint32_t& value) const;
};

/// \ingroup ipsec
/// One proposal of an SA payload (RFC 2408 section 3.5).
struct IsakmpProposal
{
    uint8_t number{1};                       //!< proposal number (equal numbers form a bundle)
    uint8_t protocol{ISAKMP_PROTO_ISAKMP};   //!< protocol ID
    std::vector<uint8_t> spi;                //!< SPI (empty in phase 1, 4 bytes in phase 2)
    std::vector<IsakmpTransform> transforms; //!< transforms in order of preference
};

/**
 * \ingroup ipsec
 * One payload of an ISAKMP message. The fields used depend on the type:
 * SA: doi, situation, proposals; KE, NONCE, HASH, VENDOR_ID: data; ID: idType,
 * idProtocol, idPort, data; NOTIFICATION: doi, protocol, spi, notifyType, data;
 * DELETE: doi, protocol, spiSize, spis.
 */
struct IsakmpPayload
{
    uint8_t type{ISAKMP_NONE};              //!< payload type
    uint32_t doi{1};                        //!< domain of interpretation (1 = IPsec)
    uint32_t situation{1};                  //!< SA situation (1 = SIT_IDENTITY_ONLY)
    std::vector<IsakmpProposal> proposals;  //!< SA proposals
    std::vector<uint8_t> data;              //!< payload data
    uint8_t idType{0};                      //!< ID type (1 = IPV4_ADDR, 4 = IPV4_ADDR_SUBNET)
    uint8_t idProtocol{0};                  //!< ID protocol (0 = any)
    uint16_t idPort{0};                     //!< ID port (0 = any)
    uint8_t protocol{0};                    //!< protocol ID of a notification or delete
    uint16_t notifyType{0};                 //!< notify message type
    std::vector<uint8_t> spi;               //!< SPI of a notification
    uint8_t spiSize{4};                     //!< SPI size of a delete
    std::vector<std::vector<uint8_t>> spis; //!< SPIs of a delete
    uint32_t offset{0};                     //!< where the payload starts in the message
    uint32_t length{0};                     //!< payload length, generic header included
};

/// \ingroup ipsec
/// Why a received ISAKMP message was rejected.
enum class IsakmpParseError : uint8_t
{
    NONE,               //!< the message is well formed
    TRUNCATED,          //!< shorter than its header or its length field
    BAD_VERSION,        //!< major version other than 1
    BAD_LENGTH,         //!< header length inconsistent with the datagram
    BAD_PAYLOAD_LENGTH, //!< a payload length too small or past the end
    TOO_MANY,           //!< more payloads, proposals, transforms or attributes than allowed
    BAD_PAYLOAD,        //!< a payload's fields are inconsistent
    UNKNOWN_PAYLOAD,    //!< a payload type this implementation does not handle
};

/**
 * \ingroup ipsec
 * \param error a parse error
 * \return its name, e.g. "bad-payload-length"
 */
const char* IsakmpParseErrorName(IsakmpParseError error);

/**
 * \ingroup ipsec
 * An ISAKMP message (RFC 2408): the 28-byte header and a chain of payloads, with a
 * serializer and a parser over byte buffers.
 *
 * The parser trusts no length: every length is checked against the bytes that remain,
 * counts of payloads, proposals, transforms and attributes are bounded (MAX_PAYLOADS and
 * friends), and nothing is allocated beyond the size of the datagram. Trailing bytes after
 * the last payload are accepted only when the encrypted flag is set, because encrypted
 * messages carry padding up to the cipher block size (RFC 2409 section 5.3).
 */
class IsakmpMessage
{
  public:
    /// Most payloads accepted in one message.
    static constexpr uint32_t MAX_PAYLOADS = 32;
    /// Most proposals accepted in one SA payload.
    static constexpr uint32_t MAX_PROPOSALS = 16;
    /// Most transforms accepted in one proposal.
    static constexpr uint32_t MAX_TRANSFORMS = 32;
    /// Most attributes accepted in one transform.
    static constexpr uint32_t MAX_ATTRIBUTES = 32;
    /// Largest message accepted or sent in bytes (what one UDP datagram carries).
    static constexpr uint32_t MAX_SIZE = 65507;

    uint64_t initiatorCookie{0};         //!< initiator cookie
    uint64_t responderCookie{0};         //!< responder cookie (0 in the first message)
    uint8_t version{ISAKMP_VERSION};     //!< version byte
    uint8_t exchangeType{0};             //!< exchange type
    uint8_t flags{0};                    //!< flags (ISAKMP_FLAG_ENCRYPTED)
    uint32_t messageId{0};               //!< message ID (0 in phase 1)
    std::vector<IsakmpPayload> payloads; //!< payloads in order

    /**
     * Writes the message. With a block size, the payloads are padded with zeros to a
     * multiple of it and the encrypted flag is set (the padding an encrypted message
     * carries). Sets each payload's offset and length.
     * \param blockSize the cipher block size in bytes, or 0 for no padding
     * \return the bytes, header length field included
     */
    std::vector<uint8_t> Serialize(uint32_t blockSize = 0);

    /**
     * Reads a message.
     * \param bytes the datagram
     * \param size its size in bytes
     * \param[out] message the message; its payloads carry offset and length
     * \param[out] payloadsEnd where the last payload ends (before any padding)
     * \return NONE, or why the message was rejected
     */
    static IsakmpParseError Parse(const uint8_t* bytes,
                                  uint32_t size,
                                  IsakmpMessage& message,
                                  uint32_t& payloadsEnd);

    /**
     * Writes one payload's body (without the generic header), e.g. SAi_b for HASH_I.
     * \param payload the payload
     * \return the body bytes
     */
    static std::vector<uint8_t> SerializeBody(const IsakmpPayload& payload);

    /**
     * Finds the first payload of a type.
     * \param type the payload type
     * \return the payload, or nullptr
     */
    const IsakmpPayload* Find(uint8_t type) const;

    /**
     * Counts the payloads of a type.
     * \param type the payload type
     * \return how many the message has
     */
    uint32_t Count(uint8_t type) const;
};

} // namespace ns3

#endif // ISAKMP_HEADER_H
