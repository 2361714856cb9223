// Copyright (c) 2026 The ns3-ipsec authors
// SPDX-License-Identifier: GPL-2.0-only

#ifndef ESP_HEADER_H
#define ESP_HEADER_H

#include "ns3/header.h"

#include <cstdint>

namespace ns3
{

/**
 * \ingroup ipsec
 * The clear part of an ESP header (RFC 4303 section 2): SPI and sequence number.
 *
 * The IV, the encrypted payload with its padding, pad length and next header, and the ICV
 * follow it in the packet as bytes, because encryption makes them opaque. This class lets
 * a trace sink or a test read the SPI and sequence number of an ESP packet with
 * `PeekHeader`.
 */
class EspHeader : public Header
{
  public:
    /// ESP header size in bytes on the wire.
    static constexpr uint32_t SIZE = 8;

    EspHeader();

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

    /// \param spi the security parameter index
    void SetSpi(uint32_t spi);
    /// \return the security parameter index
    uint32_t GetSpi() const;
    /// \param sequence the low 32 bits of the sequence number
    void SetSequenceNumber(uint32_t sequence);
    /// \return the low 32 bits of the sequence number
    uint32_t GetSequenceNumber() const;

  private:
    uint32_t m_spi;      //!< security parameter index
    uint32_t m_sequence; //!< sequence number (low 32 bits with ESN)
};

} // namespace ns3

#endif // ESP_HEADER_H
