// Copyright (c) 2026 The ns3-ipsec authors
// SPDX-License-Identifier: GPL-2.0-only

#ifndef AH_HEADER_H
#define AH_HEADER_H

#include "ns3/header.h"

#include <cstdint>
#include <vector>

namespace ns3
{

/**
 * \ingroup ipsec
 * The IP Authentication Header (RFC 4302 section 2): next header, payload length, SPI,
 * sequence number and the integrity check value (ICV).
 *
 * The payload length field counts 32-bit words minus 2, so a header with a 12-byte ICV
 * has the value 4 and a length of 24 bytes.
 */
class AhHeader : public Header
{
  public:
    /// Size of the fixed part (before the ICV) in bytes.
    static constexpr uint32_t FIXED_SIZE = 12;

    AhHeader();

    /**
     * \brief Get the type ID.
     * \return the object TypeId
     */
    static TypeId GetTypeId();
    TypeId GetInstanceTypeId() const override;
    void Print(std::ostream& os) const override;
    uint32_t GetSerializedSize() const override;
    void Serialize(Buffer::Iterator start) const override;
    uint32_t Deserialize(Buffer::Iterator start) override;

    /// \param nextHeader the protocol number of what follows (50 for ESP, 4 for IPv4)
    void SetNextHeader(uint8_t nextHeader);
    /// \return the protocol number of what follows
    uint8_t GetNextHeader() const;
    /// \param spi the security parameter index
    void SetSpi(uint32_t spi);
    /// \return the security parameter index
    uint32_t GetSpi() const;
    /// \param sequence the low 32 bits of the sequence number
    void SetSequenceNumber(uint32_t sequence);
    /// \return the low 32 bits of the sequence number
    uint32_t GetSequenceNumber() const;
    /// \param icv the integrity check value (12 or 16 bytes)
    void SetIcv(const std::vector<uint8_t>& icv);
    /// \return the integrity check value
    const std::vector<uint8_t>& GetIcv() const;

  private:
    uint8_t m_nextHeader;       //!< protocol of the protected payload
    uint32_t m_spi;             //!< security parameter index
    uint32_t m_sequence;        //!< sequence number (low 32 bits with ESN)
    std::vector<uint8_t> m_icv; //!< integrity check value
};

} // namespace ns3

#endif // AH_HEADER_H
