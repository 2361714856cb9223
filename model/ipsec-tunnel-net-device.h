// Copyright (c) 2026 The ns3-ipsec authors
// SPDX-License-Identifier: GPL-2.0-only

#ifndef IPSEC_TUNNEL_NET_DEVICE_H
#define IPSEC_TUNNEL_NET_DEVICE_H

#include "ipsec-security-association.h"

#include "ns3/ipv4-address.h"
#include "ns3/ipv4-header.h"
#include "ns3/ipv4-route.h"
#include "ns3/mac48-address.h"
#include "ns3/net-device.h"
#include "ns3/traced-callback.h"

#include <cstdint>
#include <string>
#include <vector>

namespace ns3
{

class IpsecStack;
class Ipv4L3Protocol;

/**
 * \ingroup ipsec
 * A route-based virtual tunnel interface, as IOS configures it with `interface Tunnel0`,
 * `tunnel mode ipsec ipv4`, `tunnel source`, `tunnel destination`,
 * `tunnel protection ipsec profile P` and `ip mtu N`.
 *
 * The device has its own IPv4 interface and address. Static routes send the traffic to
 * protect into it, so no access list selects that traffic. Every packet routed into the
 * tunnel is protected with the tunnel's outbound SA bundle (tunnel mode). The outer packet
 * goes back to IPv4, addressed from the tunnel source to the tunnel destination.
 *
 * Packet path, outbound: IPv4 forwards an inner packet to the tunnel interface and, if it
 * is larger than the tunnel's MTU (`ip mtu`), fragments it first, so each fragment is
 * encrypted on its own ("fragmentation before encryption"). Send() receives each packet
 * with its IPv4 header, calls IpsecStack::Protect(), finds a route to the tunnel
 * destination and hands the outer packet to Ipv4L3Protocol::SendWithHeader(). If the
 * outer packet is larger than the egress interface's MTU and its DF bit is clear, IPv4
 * fragments it ("fragmentation after encryption") and the far gateway reassembles it
 * before it decrypts.
 *
 * Packet path, inbound: ESP or AH addressed to the tunnel source reaches the node's
 * IpsecStack, which finds the inbound SA by SPI. The inbound SAs given to
 * SetProtection() name this device as their tunnel device, so the stack re-injects the
 * inner packet into IPv4 as if it had arrived on this interface.
 *
 * The MTU: with the Mtu attribute at 0 (the default) the device reports the largest inner
 * packet whose protected packet still fits the egress interface's MTU, as IOS derives a
 * tunnel's IP MTU from the transport MTU and the transform set's overhead. For
 * esp-aes esp-sha-hmac over a 1500-byte link that is 1438 bytes:
 * 20 (outer IPv4) + 8 (SPI, sequence) + 16 (IV) + 1440 (1438 + 2 trailer bytes, padded to
 * 16) + 12 (ICV) = 1496. A non-zero Mtu is the configured `ip mtu`.
 *
 * Limitations:
 * - SAs come from manual keying only (IpsecHelper::CreateTunnelInterfaces); there is no
 *   IPsec profile and no IKE.
 * - The outbound bundle lives in the device, not in the SADB, so `clear crypto sa`
 *   (IpsecStack::ClearSas) removes the inbound SAs but not the outbound ones.
 * - IpsecStack::ShowCryptoIpsecSa prints the SAs of crypto map interfaces only.
 * - IPv4 fragments an inner packet bigger than the tunnel MTU even when its DF bit is set,
 *   because ns-3.37's IPv4 forwarding does not check DF.
 */
class IpsecTunnelNetDevice : public NetDevice
{
  public:
    /**
     * \brief Get the type ID.
     * \return the object TypeId
     */
    static TypeId GetTypeId();
    IpsecTunnelNetDevice();
    ~IpsecTunnelNetDevice() override;

    /**
     * TracedCallback signature for packets entering or leaving the tunnel.
     * \param packet the inner IPv4 packet, header included
     */
    typedef void (*PacketTracedCallback)(Ptr<const Packet> packet);

    /**
     * TracedCallback signature for packets the device dropped.
     * \param packet the inner IPv4 packet, header included
     * \param reason why, e.g. "no-route-to-destination"
     */
    typedef void (*DropTracedCallback)(Ptr<const Packet> packet, const std::string& reason);

    /**
     * Sets the name printed in log lines, e.g. "Tunnel0".
     * \param name the interface name
     */
    void SetInterfaceName(const std::string& name);
    /// \return the interface name
    const std::string& GetInterfaceName() const;

    /**
     * Sets the tunnel endpoints (`tunnel source`, `tunnel destination`). They must be the
     * local and peer addresses of the SAs given to SetProtection().
     * \param source the local address the outer packets come from
     * \param destination the peer gateway's address
     */
    void SetTunnelEndpoints(Ipv4Address source, Ipv4Address destination);
    /// \return the tunnel source
    Ipv4Address GetTunnelSource() const;
    /// \return the tunnel destination
    Ipv4Address GetTunnelDestination() const;

    /**
     * Protects the tunnel with SAs (`tunnel protection`). The device keeps the outbound
     * bundle itself, because no crypto map entry exists to key it in the SADB, and marks
     * each inbound SA with this device so the stack delivers decrypted packets here. The
     * caller adds the inbound SAs to the SADB (IpsecSadb::AddInbound).
     *
     * The device must be on a node with an IpsecStack. Every SA must be in tunnel mode,
     * with the tunnel endpoints as its local and peer addresses.
     *
     * \param outbound the SAs that protect packets sent into the tunnel
     * \param inbound the SAs that verify packets from the peer
     */
    void SetProtection(Ptr<IpsecSaBundle> outbound,
                       const std::vector<Ptr<IpsecSecurityAssociation>>& inbound);
    /// \return the outbound SA bundle, or nullptr before SetProtection()
    Ptr<IpsecSaBundle> GetOutboundBundle() const;
    /// \return the inbound SAs given to SetProtection()
    const std::vector<Ptr<IpsecSecurityAssociation>>& GetInboundSas() const;

    /**
     * Computes the largest inner packet whose protected packet fits a given MTU, for the
     * outbound bundle's transforms.
     * \param transportMtu the MTU of the interface the outer packets leave on, in bytes
     * \return the largest inner IPv4 packet in bytes (transportMtu if no bundle is set)
     */
    uint32_t GetMaxInnerPacketSize(uint32_t transportMtu) const;

    /// \return how many outer packets were larger than the egress MTU, so IPv4 fragmented
    ///         them after encryption
    uint64_t GetPostEncryptionFragmentedCount() const;

    // NetDevice
    void SetIfIndex(const uint32_t index) override;
    uint32_t GetIfIndex() const override;
    Ptr<Channel> GetChannel() const override;
    void SetAddress(Address address) override;
    Address GetAddress() const override;
    /**
     * Sets the IP MTU (`ip mtu`).
     * \param mtu the MTU in bytes, 68 or more, or 0 to derive it from the egress interface
     * \return true
     */
    bool SetMtu(const uint16_t mtu) override;
    /**
     * \return the configured `ip mtu`, or with none the largest inner packet that fits the
     *         egress interface after protection (see GetMaxInnerPacketSize())
     */
    uint16_t GetMtu() const override;
    bool IsLinkUp() const override;
    void AddLinkChangeCallback(Callback<void> callback) override;
    bool IsBroadcast() const override;
    Address GetBroadcast() const override;
    bool IsMulticast() const override;
    Address GetMulticast(Ipv4Address multicastGroup) const override;
    Address GetMulticast(Ipv6Address address) const override;
    bool IsBridge() const override;
    bool IsPointToPoint() const override;
    /**
     * Protects an inner IPv4 packet and sends the outer packet to the tunnel destination.
     * \param packet the inner packet, IPv4 header included
     * \param dest ignored: every packet goes to the tunnel destination
     * \param protocolNumber must be IPv4 (0x0800)
     * \return true if the outer packet was handed to IPv4
     */
    bool Send(Ptr<Packet> packet, const Address& dest, uint16_t protocolNumber) override;
    /// Not supported: a tunnel has no link-layer source address. \return false
    bool SendFrom(Ptr<Packet> packet,
                  const Address& source,
                  const Address& dest,
                  uint16_t protocolNumber) override;
    Ptr<Node> GetNode() const override;
    void SetNode(Ptr<Node> node) override;
    bool NeedsArp() const override;
    void SetReceiveCallback(NetDevice::ReceiveCallback cb) override;
    void SetPromiscReceiveCallback(NetDevice::PromiscReceiveCallback cb) override;
    bool SupportsSendFrom() const override;

  protected:
    void DoDispose() override;

  private:
    /**
     * Fires the Rx trace for a packet that one of this tunnel's SAs decrypted.
     * \param packet the inner packet
     * \param sa the SA that decrypted it
     */
    void NotifyDecrypt(Ptr<const Packet> packet, Ptr<const IpsecSecurityAssociation> sa);

    /// \return the configured `ip mtu`, 0 if it is derived (the Mtu attribute)
    uint16_t GetConfiguredMtu() const;

    /**
     * Finds the route of the outer packets.
     * \param header the outer header
     * \return the route, or nullptr if there is none
     */
    Ptr<Ipv4Route> RouteToDestination(const Ipv4Header& header) const;

    /**
     * Logs and traces the drop of an outbound packet.
     * \param packet the inner packet
     * \param reason why
     */
    void DropOutbound(Ptr<const Packet> packet, const std::string& reason);

    Ptr<Node> m_node;                                     //!< the node
    Ptr<IpsecStack> m_stack;                              //!< the node's IPsec stack
    Ptr<Ipv4L3Protocol> m_ipv4;                           //!< the node's IPv4
    uint32_t m_ifIndex;                                   //!< interface index on the node
    Mac48Address m_address;                               //!< placeholder link address
    uint16_t m_mtu;                                       //!< `ip mtu`, 0 to derive it
    std::string m_interfaceName;                          //!< e.g. Tunnel0
    Ipv4Address m_source;                                 //!< tunnel source
    Ipv4Address m_destination;                            //!< tunnel destination
    Ptr<IpsecSaBundle> m_outbound;                        //!< outbound SAs
    std::vector<Ptr<IpsecSecurityAssociation>> m_inbound; //!< inbound SAs
    bool m_decryptConnected;                              //!< listening to the stack
    uint64_t m_postFragmented;                            //!< outer packets over the MTU
    NetDevice::ReceiveCallback m_rxCallback;              //!< unused: IPv4 receives directly
    NetDevice::PromiscReceiveCallback m_promiscCallback;  //!< unused
    TracedCallback<Ptr<const Packet>> m_txTrace;          //!< inner packets sent
    TracedCallback<Ptr<const Packet>> m_rxTrace;          //!< inner packets received
    TracedCallback<Ptr<const Packet>, const std::string&> m_dropTrace; //!< outbound drops
};

} // namespace ns3

#endif // IPSEC_TUNNEL_NET_DEVICE_H
