// Copyright (c) 2026 The ns3-ipsec authors
// SPDX-License-Identifier: GPL-2.0-only

#ifndef IPSEC_NET_DEVICE_H
#define IPSEC_NET_DEVICE_H

#include "crypto-map.h"
#include "ipsec-stack.h"

#include "ns3/ipv4-header.h"
#include "ns3/net-device.h"
#include "ns3/traced-callback.h"

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace ns3
{

class IpsecStack;
class IpsecCryptoEngine;
class TrafficControlLayer;

/**
 * \ingroup ipsec
 * An interface with a crypto map: a net device stacked on a real device (the lower
 * device, e.g. a PointToPointNetDevice), which IPv4 uses as the interface.
 *
 * Outbound, every IPv4 packet IPv4 sends on the interface is evaluated against the crypto
 * map. A packet an entry permits is protected with that entry's SA bundle, and the outer
 * packet is queued on the lower device through the traffic-control layer. A queue disc on
 * the lower device therefore queues packets after encryption, as a router's egress queue
 * does. Packets no entry permits, IKE (UDP 500 and 4500) and non-IPv4 frames pass in clear.
 *
 * Inbound, frames from the lower device go up to IPv4 as if they had arrived on this
 * device, except clear packets that the crypto map requires to arrive protected (RFC 4301
 * section 5.2), which are dropped and counted. ESP and AH addressed to the node reach the
 * node's IpsecStack through IPv4's protocol handlers, after reassembly.
 *
 * Outer packets larger than the lower device's MTU are fragmented here, after
 * encryption, unless their DF bit is set (then dropped and counted), and the far gateway
 * reassembles them before decrypting.
 *
 * \todo The outer packet uses the link-layer next hop that IPv4 chose for the inner
 * packet, which is right when the crypto map interface faces the peer (the usual case);
 * a peer reached through another next hop on a shared segment is not modelled.
 */
class IpsecNetDevice : public NetDevice
{
  public:
    /**
     * \brief Get the type ID.
     * \return the object TypeId
     */
    static TypeId GetTypeId();
    IpsecNetDevice();
    ~IpsecNetDevice() override;

    /**
     * TracedCallback signature for packets passing in clear.
     * \param packet the packet, IPv4 header included
     */
    typedef void (*PacketTracedCallback)(Ptr<const Packet> packet);

    /**
     * Stacks this device on a real device, which must already be on the same node. Frames
     * the lower device receives are delivered to this device from then on.
     * \param lower the lower device
     */
    void SetLowerDevice(Ptr<NetDevice> lower);
    /// \return the lower device
    Ptr<NetDevice> GetLowerDevice() const;

    /**
     * Applies a crypto map (`crypto map NAME` on the interface), or removes it with nullptr.
     * \param cryptoMap the crypto map
     */
    void SetCryptoMap(Ptr<CryptoMap> cryptoMap);
    /// \return the crypto map, or nullptr
    Ptr<CryptoMap> GetCryptoMap() const;

    /// \param name the interface name shown by `show` commands, e.g. "Serial0/0"
    void SetInterfaceName(const std::string& name);
    /// \return the interface name
    const std::string& GetInterfaceName() const;

    /// \return the first IPv4 address of this interface, or 0.0.0.0
    Ipv4Address GetIpv4Address() const;

    /// Per-interface df-bit setting (`crypto ipsec df-bit` in interface configuration).
    enum DfBitSetting
    {
        DF_BIT_GLOBAL,          //!< follow the node's IpsecStack::DfBit
        DF_BIT_INTERFACE_COPY,  //!< copy the inner DF bit
        DF_BIT_INTERFACE_SET,   //!< always set DF
        DF_BIT_INTERFACE_CLEAR, //!< always clear DF
    };

    /// Per-interface pre-fragmentation setting.
    enum PreFragmentationSetting
    {
        PRE_FRAGMENTATION_GLOBAL,   //!< follow the node's IpsecStack::PreFragmentation
        PRE_FRAGMENTATION_ENABLED,  //!< fragment before encryption
        PRE_FRAGMENTATION_DISABLED, //!< fragment after encryption
    };

    /**
     * Gives this interface a crypto engine of its own, for routers whose engines sit on the
     * interface cards. Without one the interface uses the node's engine.
     * \param engine the engine, or nullptr to use the node's
     */
    void SetCryptoEngine(Ptr<IpsecCryptoEngine> engine);
    /// \return the engine this interface's packets use
    Ptr<IpsecCryptoEngine> GetCryptoEngine() const;

    /// \return the number of outer packets fragmented after encryption
    uint64_t GetPostEncryptionFragmentedCount() const;
    /// \return the number of inner packets fragmented before encryption
    uint64_t GetPreEncryptionFragmentedCount() const;
    /// \return the number of ICMP "fragmentation needed" messages sent
    uint64_t GetFragmentationNeededCount() const;
    /// \return the df-bit policy in force on this interface
    IpsecDfBitPolicy GetEffectiveDfBitPolicy() const;
    /// \return true if this interface fragments before encryption
    bool IsPreFragmentationEnabled() const;

    // NetDevice API
    void SetIfIndex(const uint32_t index) override;
    uint32_t GetIfIndex() const override;
    Ptr<Channel> GetChannel() const override;
    void SetAddress(Address address) override;
    Address GetAddress() const override;
    bool SetMtu(const uint16_t mtu) override;
    uint16_t GetMtu() const override;
    bool IsLinkUp() const override;
    void AddLinkChangeCallback(Callback<void> callback) override;
    bool IsBroadcast() const override;
    Address GetBroadcast() const override;
    bool IsMulticast() const override;
    Address GetMulticast(Ipv4Address multicastGroup) const override;
    Address GetMulticast(Ipv6Address addr) const override;
    bool IsBridge() const override;
    bool IsPointToPoint() const override;
    bool Send(Ptr<Packet> packet, const Address& dest, uint16_t protocolNumber) override;
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
     * Receives a frame from the lower device and applies the inbound clear-packet policy.
     * \param device the lower device
     * \param packet the frame payload
     * \param protocol the EtherType
     * \param sender the sender's link-layer address
     * \return true if the frame was accepted
     */
    bool ReceiveFromLower(Ptr<NetDevice> device,
                          Ptr<const Packet> packet,
                          uint16_t protocol,
                          const Address& sender);

    /**
     * Sends an IPv4 packet unprotected.
     * \param packet the packet, IPv4 header included
     * \param dest the link-layer destination
     */
    void SendClear(Ptr<Packet> packet, const Address& dest);

    /**
     * Protects a packet a crypto map entry matched, choosing between sending it whole,
     * fragmenting it before or after encryption, and dropping it for its DF bit.
     * \param bundle the outbound SAs
     * \param packet the packet, IPv4 header included
     * \param head the packet's first bytes (its IPv4 header)
     * \param headerLength the IPv4 header length in bytes
     * \param dest the link-layer destination
     * \param space the sequence-number space
     * \param preClassify the inner fields to tag the outer packets with (`qos pre-classify`)
     */
    void SendProtected(Ptr<IpsecSaBundle> bundle,
                       Ptr<Packet> packet,
                       const uint8_t* head,
                       uint32_t headerLength,
                       const Address& dest,
                       uint32_t space,
                       const std::optional<Ipv4FlowTuple>& preClassify);

    /**
     * Protects one packet and sends it with the outer DF bit the policy gives.
     * \param bundle the outbound SAs
     * \param packet the packet, IPv4 header included
     * \param dest the link-layer destination
     * \param space the sequence-number space
     * \param policy the df-bit policy to apply
     * \param preClassify the inner fields to tag the outer packet with, if any
     */
    void ProtectAndSend(Ptr<IpsecSaBundle> bundle,
                        Ptr<const Packet> packet,
                        const Address& dest,
                        uint32_t space,
                        IpsecDfBitPolicy policy,
                        const std::optional<Ipv4FlowTuple>& preClassify);

    /**
     * Protects one packet and sets its outer DF bit as the policy gives.
     * \param bundle the outbound SAs
     * \param packet the packet, IPv4 header included
     * \param space the sequence-number space
     * \param policy the df-bit policy to apply
     * \param preClassify the inner fields to tag the outer packet with, if any
     * \param[out] outerHeader the outer IPv4 header
     * \return the outer payload, or nullptr if the packet was dropped
     */
    Ptr<Packet> ProtectWithPolicy(Ptr<IpsecSaBundle> bundle,
                                  Ptr<const Packet> packet,
                                  uint32_t space,
                                  IpsecDfBitPolicy policy,
                                  const std::optional<Ipv4FlowTuple>& preClassify,
                                  Ipv4Header& outerHeader);

    /**
     * Splits an inner packet into equally sized fragments whose protected forms fit the MTU.
     * \param packet the packet, IPv4 header included
     * \param set the transform set that will protect the fragments
     * \param headerLength the IPv4 header length in bytes
     * \param mtu the egress MTU
     * \return the fragments, each with its IPv4 header
     */
    std::vector<Ptr<Packet>> FragmentBeforeEncryption(Ptr<const Packet> packet,
                                                      const IpsecTransformSet& set,
                                                      uint32_t headerLength,
                                                      uint32_t mtu) const;

    /**
     * Drops a packet that may not be fragmented and sends ICMP "fragmentation needed" with
     * the usable MTU to its sender.
     * \param packet the packet, IPv4 header included
     * \param set the transform set that would have protected it
     * \param headerLength the IPv4 header length in bytes
     * \param sa the SA, for its send errors
     */
    void SendFragmentationNeeded(Ptr<const Packet> packet,
                                 const IpsecTransformSet& set,
                                 uint32_t headerLength,
                                 Ptr<IpsecSecurityAssociation> sa);

    /**
     * Queues a packet on the lower device through the traffic-control layer.
     * \param payload the IPv4 payload
     * \param header its IPv4 header
     * \param dest the link-layer destination
     */
    void SendDown(Ptr<Packet> payload, const Ipv4Header& header, const Address& dest);

    /**
     * Sends an outer packet, fragmenting it if it exceeds the lower device's MTU.
     * \param payload the outer payload
     * \param header the outer IPv4 header
     * \param dest the link-layer destination
     * \param sa the SA that protected it, for drop traces
     */
    void SendOuter(Ptr<Packet> payload,
                   Ipv4Header header,
                   const Address& dest,
                   Ptr<IpsecSecurityAssociation> sa);

    Ptr<NetDevice> m_lower;                              //!< the real device
    Ptr<Node> m_node;                                    //!< the node
    Ptr<IpsecStack> m_stack;                             //!< the node's IPsec stack
    Ptr<TrafficControlLayer> m_trafficControl;           //!< the node's traffic-control layer
    Ptr<CryptoMap> m_cryptoMap;                          //!< applied crypto map, or nullptr
    Ptr<IpsecCryptoEngine> m_cryptoEngine;               //!< own engine, or nullptr for the node's
    std::string m_interfaceName;                         //!< name in `show` output
    uint32_t m_ifIndex;                                  //!< interface index on the node
    uint16_t m_mtu;                                      //!< IP MTU, 0 to follow the lower device
    DfBitSetting m_dfBit;                                //!< interface df-bit setting
    PreFragmentationSetting m_preFragmentation;          //!< interface pre-fragmentation setting
    uint64_t m_preFragmented;                            //!< inner packets fragmented
    uint64_t m_postFragmented;                           //!< outer packets fragmented
    uint64_t m_icmpFragmentationNeeded;                  //!< ICMP fragmentation-needed sent
    NetDevice::ReceiveCallback m_rxCallback;             //!< up to the node
    NetDevice::PromiscReceiveCallback m_promiscCallback; //!< promiscuous up to the node
    TracedCallback<Ptr<const Packet>> m_clearTxTrace;    //!< outbound packets sent in clear
    TracedCallback<Ptr<const Packet>> m_clearRxTrace;    //!< inbound clear packets accepted
};

} // namespace ns3

#endif // IPSEC_NET_DEVICE_H
