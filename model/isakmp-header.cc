// Copyright (c) 2026 The ns3-ipsec authors
// SPDX-License-Identifier: GPL-2.0-only

#include "isakmp-header.h"

namespace ns3
{

namespace
{

/// Attribute format bit: set for TV (basic) attributes.
constexpr uint16_t ATTRIBUTE_FORMAT_TV = 0x8000;

/// Bytes of a proposal header without its SPI.
constexpr uint32_t PROPOSAL_HEADER_SIZE = 8;
/// Bytes of a transform header.
constexpr uint32_t TRANSFORM_HEADER_SIZE = 8;

/// Appends a 16-bit value in network byte order.
void
PutU16(std::vector<uint8_t>& out, uint32_t value)
{
    out.push_back(static_cast<uint8_t>(value >> 8));
    out.push_back(static_cast<uint8_t>(value));
}

/// Appends a 32-bit value in network byte order.
void
PutU32(std::vector<uint8_t>& out, uint32_t value)
{
    PutU16(out, value >> 16);
    PutU16(out, value & 0xffff);
}

/// Appends a 64-bit value in network byte order.
void
PutU64(std::vector<uint8_t>& out, uint64_t value)
{
    PutU32(out, static_cast<uint32_t>(value >> 32));
    PutU32(out, static_cast<uint32_t>(value));
}

/// Overwrites a 16-bit length field written earlier.
void
PatchU16(std::vector<uint8_t>& out, uint32_t at, uint32_t value)
{
    out[at] = static_cast<uint8_t>(value >> 8);
    out[at + 1] = static_cast<uint8_t>(value);
}

/// Reads a 16-bit value in network byte order.
uint32_t
GetU16(const uint8_t* p)
{
    return (uint32_t(p[0]) << 8) | p[1];
}

/// Reads a 32-bit value in network byte order.
uint32_t
GetU32(const uint8_t* p)
{
    return (GetU16(p) << 16) | GetU16(p + 2);
}

/// Appends one attribute in TV or TLV form.
void
PutAttribute(std::vector<uint8_t>& out, const IsakmpAttribute& attribute)
{
    if (!attribute.variable && attribute.value <= 0xffff)
    {
        PutU16(out, ATTRIBUTE_FORMAT_TV | attribute.type);
        PutU16(out, attribute.value);
        return;
    }

    // Variable attributes take the fewest bytes that hold the value: 2 or 4.
    PutU16(out, attribute.type & 0x7fff);
    if (attribute.value <= 0xffff)
    {
        PutU16(out, 2);
        PutU16(out, attribute.value);
    }
    else
    {
        PutU16(out, 4);
        PutU32(out, attribute.value);
    }
}

/// Appends proposal payloads with their transforms, lengths filled in.
void
PutProposals(std::vector<uint8_t>& out, const std::vector<IsakmpProposal>& proposals)
{
    for (size_t i = 0; i < proposals.size(); ++i)
    {
        const IsakmpProposal& proposal = proposals[i];
        uint32_t start = out.size();
        out.push_back(i + 1 < proposals.size() ? ISAKMP_PROPOSAL : ISAKMP_NONE);
        out.push_back(0);
        PutU16(out, 0);
        out.push_back(proposal.number);
        out.push_back(proposal.protocol);
        out.push_back(static_cast<uint8_t>(proposal.spi.size()));
        out.push_back(static_cast<uint8_t>(proposal.transforms.size()));
        out.insert(out.end(), proposal.spi.begin(), proposal.spi.end());
        for (size_t t = 0; t < proposal.transforms.size(); ++t)
        {
            const IsakmpTransform& transform = proposal.transforms[t];
            uint32_t transformStart = out.size();
            out.push_back(t + 1 < proposal.transforms.size() ? ISAKMP_TRANSFORM : ISAKMP_NONE);
            out.push_back(0);
            PutU16(out, 0);
            out.push_back(transform.number);
            out.push_back(transform.id);
            PutU16(out, 0);
            for (const auto& attribute : transform.attributes)
            {
                PutAttribute(out, attribute);
            }
            PatchU16(out, transformStart + 2, out.size() - transformStart);
        }
        PatchU16(out, start + 2, out.size() - start);
    }
}

/// Reads the attributes of one transform.
IsakmpParseError
ParseAttributes(const uint8_t* p, uint32_t size, IsakmpTransform& transform)
{
    uint32_t at = 0;
    while (at < size)
    {
        if (transform.attributes.size() >= IsakmpMessage::MAX_ATTRIBUTES)
        {
            return IsakmpParseError::TOO_MANY;
        }
        if (size - at < 4)
        {
            return IsakmpParseError::BAD_PAYLOAD_LENGTH;
        }
        IsakmpAttribute attribute;
        uint32_t typeField = GetU16(p + at);
        attribute.type = typeField & 0x7fff;
        if (typeField & ATTRIBUTE_FORMAT_TV)
        {
            attribute.value = GetU16(p + at + 2);
            at += 4;
        }
        else
        {
            // Only 1 to 4 value bytes are meaningful for the attributes used in IKEv1 here.
            uint32_t length = GetU16(p + at + 2);
            if (length == 0 || length > 4)
            {
                return IsakmpParseError::BAD_PAYLOAD;
            }
            if (size - at - 4 < length)
            {
                return IsakmpParseError::BAD_PAYLOAD_LENGTH;
            }
            for (uint32_t i = 0; i < length; ++i)
            {
                attribute.value = (attribute.value << 8) | p[at + 4 + i];
            }
            attribute.variable = true;
            at += 4 + length;
        }
        transform.attributes.push_back(attribute);
    }
    return IsakmpParseError::NONE;
}

/// Reads the proposals of an SA payload body (after DOI and situation).
IsakmpParseError
ParseProposals(const uint8_t* p, uint32_t size, IsakmpPayload& payload)
{
    uint32_t at = 0;
    uint8_t next = ISAKMP_PROPOSAL;
    while (next == ISAKMP_PROPOSAL)
    {
        if (payload.proposals.size() >= IsakmpMessage::MAX_PROPOSALS)
        {
            return IsakmpParseError::TOO_MANY;
        }
        if (size - at < PROPOSAL_HEADER_SIZE)
        {
            return IsakmpParseError::BAD_PAYLOAD_LENGTH;
        }
        const uint8_t* q = p + at;
        next = q[0];
        uint32_t length = GetU16(q + 2);
        if (next != ISAKMP_PROPOSAL && next != ISAKMP_NONE)
        {
            return IsakmpParseError::BAD_PAYLOAD;
        }
        if (length < PROPOSAL_HEADER_SIZE || length > size - at)
        {
            return IsakmpParseError::BAD_PAYLOAD_LENGTH;
        }
        IsakmpProposal proposal;
        proposal.number = q[4];
        proposal.protocol = q[5];
        uint32_t spiSize = q[6];
        uint32_t transformCount = q[7];
        if (spiSize > 16 || PROPOSAL_HEADER_SIZE + spiSize > length)
        {
            return IsakmpParseError::BAD_PAYLOAD;
        }
        if (transformCount == 0 || transformCount > IsakmpMessage::MAX_TRANSFORMS)
        {
            return IsakmpParseError::TOO_MANY;
        }
        proposal.spi.assign(q + PROPOSAL_HEADER_SIZE, q + PROPOSAL_HEADER_SIZE + spiSize);

        // Transforms fill the rest of the proposal exactly.
        uint32_t tAt = PROPOSAL_HEADER_SIZE + spiSize;
        uint8_t tNext = ISAKMP_TRANSFORM;
        while (tNext == ISAKMP_TRANSFORM)
        {
            if (proposal.transforms.size() >= transformCount)
            {
                return IsakmpParseError::BAD_PAYLOAD;
            }
            if (length - tAt < TRANSFORM_HEADER_SIZE)
            {
                return IsakmpParseError::BAD_PAYLOAD_LENGTH;
            }
            const uint8_t* t = q + tAt;
            tNext = t[0];
            uint32_t tLength = GetU16(t + 2);
            if (tNext != ISAKMP_TRANSFORM && tNext != ISAKMP_NONE)
            {
                return IsakmpParseError::BAD_PAYLOAD;
            }
            if (tLength < TRANSFORM_HEADER_SIZE || tLength > length - tAt)
            {
                return IsakmpParseError::BAD_PAYLOAD_LENGTH;
            }
            IsakmpTransform transform;
            transform.number = t[4];
            transform.id = t[5];
            IsakmpParseError error = ParseAttributes(t + TRANSFORM_HEADER_SIZE,
                                                     tLength - TRANSFORM_HEADER_SIZE,
                                                     transform);
            if (error != IsakmpParseError::NONE)
            {
                return error;
            }
            proposal.transforms.push_back(transform);
            tAt += tLength;
        }
        if (tAt != length || proposal.transforms.size() != transformCount)
        {
            return IsakmpParseError::BAD_PAYLOAD;
        }
        payload.proposals.push_back(proposal);
        at += length;
    }
    if (at != size)
    {
        return IsakmpParseError::BAD_PAYLOAD_LENGTH;
    }
    return IsakmpParseError::NONE;
}

/// Reads the body of one payload of a known type.
IsakmpParseError
ParseBody(const uint8_t* p, uint32_t size, IsakmpPayload& payload)
{
    switch (payload.type)
    {
    case ISAKMP_SA:
        if (size < 8 + PROPOSAL_HEADER_SIZE)
        {
            return IsakmpParseError::BAD_PAYLOAD_LENGTH;
        }
        payload.doi = GetU32(p);
        payload.situation = GetU32(p + 4);
        return ParseProposals(p + 8, size - 8, payload);
    case ISAKMP_KEY_EXCHANGE:
    case ISAKMP_HASH:
    case ISAKMP_NONCE:
    case ISAKMP_VENDOR_ID:
        if (size == 0)
        {
            return IsakmpParseError::BAD_PAYLOAD_LENGTH;
        }
        payload.data.assign(p, p + size);
        return IsakmpParseError::NONE;
    case ISAKMP_ID:
        if (size < 4)
        {
            return IsakmpParseError::BAD_PAYLOAD_LENGTH;
        }
        payload.idType = p[0];
        payload.idProtocol = p[1];
        payload.idPort = GetU16(p + 2);
        payload.data.assign(p + 4, p + size);
        return IsakmpParseError::NONE;
    case ISAKMP_NOTIFICATION: {
        if (size < 8)
        {
            return IsakmpParseError::BAD_PAYLOAD_LENGTH;
        }
        payload.doi = GetU32(p);
        payload.protocol = p[4];
        uint32_t spiSize = p[5];
        payload.notifyType = GetU16(p + 6);
        if (spiSize > size - 8)
        {
            return IsakmpParseError::BAD_PAYLOAD_LENGTH;
        }
        payload.spi.assign(p + 8, p + 8 + spiSize);
        payload.data.assign(p + 8 + spiSize, p + size);
        return IsakmpParseError::NONE;
    }
    case ISAKMP_DELETE: {
        if (size < 8)
        {
            return IsakmpParseError::BAD_PAYLOAD_LENGTH;
        }
        payload.doi = GetU32(p);
        payload.protocol = p[4];
        payload.spiSize = p[5];
        uint32_t count = GetU16(p + 6);

        // The SPI count must describe the rest of the payload exactly.
        if (payload.spiSize == 0 || count == 0 || uint64_t(count) * payload.spiSize != size - 8)
        {
            return IsakmpParseError::BAD_PAYLOAD;
        }
        for (uint32_t i = 0; i < count; ++i)
        {
            const uint8_t* spi = p + 8 + i * payload.spiSize;
            payload.spis.emplace_back(spi, spi + payload.spiSize);
        }
        return IsakmpParseError::NONE;
    }
    default:
        return IsakmpParseError::UNKNOWN_PAYLOAD;
    }
}

} // namespace

const char*
IsakmpParseErrorName(IsakmpParseError error)
{
    switch (error)
    {
    case IsakmpParseError::NONE:
        return "none";
    case IsakmpParseError::TRUNCATED:
        return "truncated";
    case IsakmpParseError::BAD_VERSION:
        return "bad-version";
    case IsakmpParseError::BAD_LENGTH:
        return "bad-length";
    case IsakmpParseError::BAD_PAYLOAD_LENGTH:
        return "bad-payload-length";
    case IsakmpParseError::TOO_MANY:
        return "too-many";
    case IsakmpParseError::BAD_PAYLOAD:
        return "bad-payload";
    case IsakmpParseError::UNKNOWN_PAYLOAD:
        return "unknown-payload";
    }
    return "unknown";
}

bool
IsakmpTransform::FindAttribute(uint16_t type, uint32_t& value) const
{
    for (const auto& attribute : attributes)
    {
        if (attribute.type == type)
        {
            value = attribute.value;
            return true;
        }
    }
    return false;
}

std::vector<uint8_t>
IsakmpMessage::SerializeBody(const IsakmpPayload& payload)
{
    std::vector<uint8_t> out;
    switch (payload.type)
    {
    case ISAKMP_SA:
        PutU32(out, payload.doi);
        PutU32(out, payload.situation);
        PutProposals(out, payload.proposals);
        break;
    case ISAKMP_ID:
        out.push_back(payload.idType);
        out.push_back(payload.idProtocol);
        PutU16(out, payload.idPort);
        out.insert(out.end(), payload.data.begin(), payload.data.end());
        break;
    case ISAKMP_NOTIFICATION:
        PutU32(out, payload.doi);
        out.push_back(payload.protocol);
        out.push_back(static_cast<uint8_t>(payload.spi.size()));
        PutU16(out, payload.notifyType);
        out.insert(out.end(), payload.spi.begin(), payload.spi.end());
        out.insert(out.end(), payload.data.begin(), payload.data.end());
        break;
    case ISAKMP_DELETE:
        PutU32(out, payload.doi);
        out.push_back(payload.protocol);
        out.push_back(payload.spiSize);
        PutU16(out, payload.spis.size());
        for (const auto& spi : payload.spis)
        {
            out.insert(out.end(), spi.begin(), spi.end());
        }
        break;
    default:
        out = payload.data;
        break;
    }
    return out;
}

std::vector<uint8_t>
IsakmpMessage::Serialize(uint32_t blockSize)
{
    std::vector<uint8_t> out;
    out.reserve(ISAKMP_HEADER_SIZE + 256);
    PutU64(out, initiatorCookie);
    PutU64(out, responderCookie);
    out.push_back(payloads.empty() ? uint8_t(ISAKMP_NONE) : payloads.front().type);
    out.push_back(version);
    out.push_back(exchangeType);
    out.push_back(blockSize > 0 ? (flags | ISAKMP_FLAG_ENCRYPTED) : flags);
    PutU32(out, messageId);
    PutU32(out, 0);

    for (size_t i = 0; i < payloads.size(); ++i)
    {
        IsakmpPayload& payload = payloads[i];
        std::vector<uint8_t> body = SerializeBody(payload);
        payload.offset = out.size();
        payload.length = ISAKMP_PAYLOAD_HEADER_SIZE + body.size();
        out.push_back(i + 1 < payloads.size() ? payloads[i + 1].type : uint8_t(ISAKMP_NONE));
        out.push_back(0);
        PutU16(out, payload.length);
        out.insert(out.end(), body.begin(), body.end());
    }

    // The encrypted part (everything after the header) is padded to the block size.
    if (blockSize > 0)
    {
        uint32_t encrypted = out.size() - ISAKMP_HEADER_SIZE;
        uint32_t padding = (blockSize - encrypted % blockSize) % blockSize;
        out.insert(out.end(), padding, 0);
    }
    uint32_t length = out.size();
    out[24] = static_cast<uint8_t>(length >> 24);
    out[25] = static_cast<uint8_t>(length >> 16);
    out[26] = static_cast<uint8_t>(length >> 8);
    out[27] = static_cast<uint8_t>(length);
    return out;
}

IsakmpParseError
IsakmpMessage::Parse(const uint8_t* bytes,
                     uint32_t size,
                     IsakmpMessage& message,
                     uint32_t& payloadsEnd)
{
    message = IsakmpMessage();
    payloadsEnd = 0;
    if (size < ISAKMP_HEADER_SIZE)
    {
        return IsakmpParseError::TRUNCATED;
    }

    // Header.
    message.initiatorCookie = (uint64_t(GetU32(bytes)) << 32) | GetU32(bytes + 4);
    message.responderCookie = (uint64_t(GetU32(bytes + 8)) << 32) | GetU32(bytes + 12);
    uint8_t next = bytes[16];
    message.version = bytes[17];
    message.exchangeType = bytes[18];
    message.flags = bytes[19];
    message.messageId = GetU32(bytes + 20);
    uint32_t length = GetU32(bytes + 24);
    if ((message.version >> 4) != 1)
    {
        return IsakmpParseError::BAD_VERSION;
    }
    if (length > size)
    {
        return IsakmpParseError::TRUNCATED;
    }
    if (length < size || length > MAX_SIZE)
    {
        return IsakmpParseError::BAD_LENGTH;
    }

    // Payload chain: each generic header must fit, and each length must stay inside.
    uint32_t at = ISAKMP_HEADER_SIZE;
    while (next != ISAKMP_NONE)
    {
        if (message.payloads.size() >= MAX_PAYLOADS)
        {
            return IsakmpParseError::TOO_MANY;
        }
        if (length - at < ISAKMP_PAYLOAD_HEADER_SIZE)
        {
            return IsakmpParseError::BAD_PAYLOAD_LENGTH;
        }
        uint32_t payloadLength = GetU16(bytes + at + 2);
        if (payloadLength < ISAKMP_PAYLOAD_HEADER_SIZE || payloadLength > length - at)
        {
            return IsakmpParseError::BAD_PAYLOAD_LENGTH;
        }
        IsakmpPayload payload;
        payload.type = next;
        payload.offset = at;
        payload.length = payloadLength;
        IsakmpParseError error = ParseBody(bytes + at + ISAKMP_PAYLOAD_HEADER_SIZE,
                                           payloadLength - ISAKMP_PAYLOAD_HEADER_SIZE,
                                           payload);
        if (error != IsakmpParseError::NONE)
        {
            return error;
        }
        next = bytes[at];
        message.payloads.push_back(std::move(payload));
        at += payloadLength;
    }

    // Only an encrypted message may carry padding after its last payload.
    if (at != length && !(message.flags & ISAKMP_FLAG_ENCRYPTED))
    {
        return IsakmpParseError::BAD_LENGTH;
    }
    payloadsEnd = at;
    return IsakmpParseError::NONE;
}

const IsakmpPayload*
IsakmpMessage::Find(uint8_t type) const
{
    for (const auto& payload : payloads)
    {
        if (payload.type == type)
        {
            return &payload;
        }
    }
    return nullptr;
}

uint32_t
IsakmpMessage::Count(uint8_t type) const
{
    uint32_t count = 0;
    for (const auto& payload : payloads)
    {
        count += payload.type == type ? 1 : 0;
    }
    return count;
}

} // namespace ns3
