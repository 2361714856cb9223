// Copyright (c) 2026 The ns3-ipsec authors
// SPDX-License-Identifier: GPL-2.0-only

#ifndef IPSEC_SIM_SCENARIO_UDP_SOURCE_H
#define IPSEC_SIM_SCENARIO_UDP_SOURCE_H

#include "ns3/address.h"
#include "ns3/application.h"
#include "ns3/event-id.h"
#include "ns3/ipv4-address.h"
#include "ns3/nstime.h"
#include "ns3/socket.h"
#include "ns3/traced-callback.h"

#include <cstdint>

namespace ns3
{

/**
 * \ingroup ipsec
 * Sends UDP packets of a fixed size at a fixed interval, optionally in on/off periods,
 * with a chosen DSCP and DF bit.
 *
 * Each payload starts with a SeqTsSizeHeader, so a PacketSink with EnableSeqTsSizeHeader
 * measures one-way delay. ns-3.37's Ipv4L3Protocol allows fragmentation of every packet
 * of a UDP socket. Packets with DF therefore go out through a raw socket that writes the
 * UDP and IPv4 headers itself, which ns-3's OnOffApplication cannot do.
 */
class ScenarioUdpSource : public Application
{
  public:
    /**
     * \brief Get the type ID.
     * \return the object TypeId
     */
    static TypeId GetTypeId();
    ScenarioUdpSource();

    /**
     * TracedCallback signature for a sent packet.
     * \param packet the UDP payload
     */
    typedef void (*TxTracedCallback)(Ptr<const Packet> packet);

  protected:
    void DoDispose() override;

  private:
    void StartApplication() override;
    void StopApplication() override;

    /// Sends one packet and schedules the next.
    void Send();

    /**
     * Sends a payload with UDP and IPv4 headers of its own, DF set, through the raw socket.
     * \param packet the UDP payload
     */
    void SendWithDontFragment(Ptr<Packet> packet);

    Address m_remote;      //!< destination address and port
    uint32_t m_size;       //!< UDP payload bytes
    Time m_interval;       //!< time between packets while on
    Time m_onTime;         //!< length of an on period, zero for always on
    Time m_offTime;        //!< length of an off period
    uint8_t m_dscp;        //!< DSCP of the packets
    bool m_dontFragment;   //!< DF bit of the packets
    uint64_t m_maxPackets; //!< packets to send, zero for no limit

    Ptr<Socket> m_socket; //!< the UDP socket, or a raw IPv4 socket with DF
    Ipv4Address m_source; //!< source address of packets sent with DF
    EventId m_sendEvent;  //!< next transmission
    Time m_periodStart;   //!< start of the current on period
    uint64_t m_sent;      //!< packets sent so far

    TracedCallback<Ptr<const Packet>> m_txTrace; //!< every packet sent
};

} // namespace ns3

#endif // IPSEC_SIM_SCENARIO_UDP_SOURCE_H
