// Copyright (c) 2026 The ns3-ipsec authors
// SPDX-License-Identifier: GPL-2.0-only

#ifndef SPI_FLOOD_APPLICATION_H
#define SPI_FLOOD_APPLICATION_H

#include "ipsec-transform-set.h"

#include "ns3/application.h"
#include "ns3/event-id.h"
#include "ns3/ipv4-address.h"
#include "ns3/net-device.h"
#include "ns3/nstime.h"
#include "ns3/packet.h"
#include "ns3/random-variable-stream.h"
#include "ns3/socket.h"
#include "ns3/traced-callback.h"

#include <cstdint>
#include <vector>

namespace ns3
{

/**
 * \ingroup ipsec
 * A hostile source that floods a target with ESP or AH packets carrying random SPIs.
 *
 * What it models: an attacker, anywhere on the path to a gateway, that sends IPsec
 * packets for SAs that do not exist. Each packet has a real ESP header (RFC 4303 section 2)
 * or AH header (RFC 4302 section 2) with an SPI drawn uniformly from 256..2^32-1 (0..255
 * are reserved) and a sequence number drawn uniformly from 1..2^32-1. Random bytes of
 * PayloadSize follow the ESP header, where the IV, ciphertext and ICV would be. An AH
 * header carries a random 12-byte ICV (the length of HMAC-SHA-1-96), next header 4
 * (IPv4, tunnel mode) and PayloadSize random bytes after it. The target can only find no
 * SA and drop the packet as an invalid SPI, which also exercises invalid SPI recovery.
 *
 * The packets leave through a raw IPv4 socket with the IP protocol 50 or 51. With Source
 * left at 0.0.0.0 the node's own address is the source. Otherwise the application writes
 * the IPv4 header itself (IpHeaderInclude) with Source as the source address, and
 * SourceRandomBits low bits of it drawn at random for each packet, so a flood can come
 * from up to 2^32 spoofed addresses.
 *
 * Packets go out one every Interval from StartTime until StopTime or until MaxPackets
 * were sent. Counting and the Tx trace cover packets the socket accepted; a packet the
 * socket rejects (no route, for example) is counted as a send failure.
 *
 * Limits:
 *  - IPv4 only. ESP in UDP (NAT traversal, port 4500) is not sent.
 *  - Spoofed packets leave through the device of the node's route to Remote, looked up
 *    once when the socket is made; a later route change does not move them.
 *  - The source address is not checked against the node's addresses or routes, because
 *    a spoofing attacker does not care about replies.
 */
class SpiFloodApplication : public Application
{
  public:
    /**
     * \brief Get the type ID.
     * \return the object TypeId
     */
    static TypeId GetTypeId();
    SpiFloodApplication();
    ~SpiFloodApplication() override;

    /**
     * TracedCallback signature for a sent packet.
     * \param packet the ESP or AH packet, without the IPv4 header
     * \param source the source address written, or 0.0.0.0 for the node's own address
     * \param spi the SPI written
     */
    typedef void (*TxTracedCallback)(Ptr<const Packet> packet, Ipv4Address source, uint32_t spi);

    /**
     * Sets the protocol of the flood.
     * \param protocol ESP or AH
     */
    void SetProtocol(IpsecProtocol protocol);
    /// \return the protocol of the flood
    IpsecProtocol GetProtocol() const;

    /// \return the number of packets the socket accepted
    uint64_t GetSentCount() const;
    /// \return the number of packets the socket rejected
    uint64_t GetSendFailureCount() const;

    /**
     * Assigns fixed random variable streams to this application.
     * \param stream the first stream index
     * \return the number of streams assigned (2)
     */
    int64_t AssignStreams(int64_t stream);

  protected:
    void DoDispose() override;

  private:
    void StartApplication() override;
    void StopApplication() override;

    /// Builds and sends one packet, then schedules the next.
    void SendPacket();

    /**
     * Builds the ESP or AH packet with random fields.
     * \param[out] spi the SPI written
     * \return the packet, without the IPv4 header
     */
    Ptr<Packet> BuildPacket(uint32_t& spi);

    /**
     * Finds the device of the node's route to Remote, which spoofed packets leave through.
     * \return the output device
     */
    Ptr<NetDevice> FindOutputDevice() const;

    /// \return the source address of the next packet (spoofed only)
    Ipv4Address DrawSource();

    /**
     * Sets the protocol from its IP number (Protocol attribute).
     * \param protocol ESP or AH
     */
    void SetProtocolAttribute(IpsecProtocol protocol);
    /// \return the IP protocol number (Protocol attribute)
    int GetProtocolAttribute() const;

    Ipv4Address m_remote;                 //!< target address
    IpsecProtocol m_protocol;             //!< ESP or AH
    Time m_interval;                      //!< time between two packets
    uint32_t m_payloadSize;               //!< random bytes after the header (bytes)
    uint64_t m_maxPackets;                //!< packets to send, 0 for no limit
    Ipv4Address m_source;                 //!< spoofed source, or 0.0.0.0 for the real one
    uint32_t m_sourceRandomBits;          //!< low bits of m_source drawn per packet
    uint8_t m_ttl;                        //!< TTL of spoofed packets
    Ptr<UniformRandomVariable> m_fields;  //!< draws SPIs, sequence numbers and sources
    Ptr<UniformRandomVariable> m_payload; //!< draws payload and ICV bytes
    Ptr<Socket> m_socket;                 //!< raw IPv4 socket
    EventId m_sendEvent;                  //!< next transmission
    std::vector<uint8_t> m_buffer;        //!< reused buffer for the random bytes
    uint16_t m_identification;            //!< IPv4 identification of spoofed packets
    uint64_t m_sent;                      //!< packets the socket accepted
    uint64_t m_sendFailures;              //!< packets the socket rejected
    TracedCallback<Ptr<const Packet>, Ipv4Address, uint32_t> m_txTrace; //!< packet sent
};

} // namespace ns3

#endif // SPI_FLOOD_APPLICATION_H
