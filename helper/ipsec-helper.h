// Copyright (c) 2026 The ns3-ipsec authors
// SPDX-License-Identifier: GPL-2.0-only

#ifndef IPSEC_HELPER_H
#define IPSEC_HELPER_H

#include "ns3/crypto-map.h"
#include "ns3/ike-daemon.h"
#include "ns3/ike-invalid-spi-handler.h"
#include "ns3/ipsec-net-device.h"
#include "ns3/ipsec-stack.h"
#include "ns3/ipsec-tunnel-net-device.h"
#include "ns3/ipv4-address.h"
#include "ns3/isakmp-keepalive.h"
#include "ns3/net-device-container.h"
#include "ns3/node-container.h"
#include "ns3/object-factory.h"
#include "ns3/policy-map-queue-disc.h"
#include "ns3/policy-map.h"
#include "ns3/random-variable-stream.h"

#include <cstdint>
#include <ostream>
#include <string>
#include <vector>

namespace ns3
{

/**
 * \ingroup ipsec
 * Puts IPsec on nodes and interfaces, keys manual tunnels, and writes captures with the
 * keys Wireshark needs.
 *
 * Typical use, before IPv4 addresses are assigned:
 * \code
 *   IpsecHelper ipsec;
 *   NetDeviceContainer wan = pointToPoint.Install(gatewayA, gatewayB);
 *   NetDeviceContainer ipsecWan = ipsec.InstallDevices(wan);      // stack + IPsec devices
 *   Ipv4InterfaceContainer wanIf = address.Assign(ipsecWan);       // addresses on them
 *   ipsec.CreateManualTunnel(ipsecWan.Get(0), ipsecWan.Get(1),
 *                            "permit ip 10.1.1.0 0.0.0.255 10.2.2.0 0.0.0.255",
 *                            "esp-aes esp-sha-hmac");
 * \endcode
 */
class IpsecHelper
{
  public:
    IpsecHelper();

    /**
     * Sets an attribute of the IpsecStack objects made afterwards.
     * \param name the attribute name, e.g. "ModelledCrypto"
     * \param value its value
     */
    void SetStackAttribute(const std::string& name, const AttributeValue& value);

    /**
     * Installs an IPsec stack on a node that has an IPv4 stack, unless it has one, with the
     * node's IKE daemon and invalid SPI handler.
     * \param node the node
     * \return the node's IPsec stack
     */
    Ptr<IpsecStack> Install(Ptr<Node> node) const;

    /**
     * Installs IPsec stacks on nodes.
     * \param nodes the nodes
     */
    void Install(NodeContainer nodes) const;

    /**
     * Stacks an IPsec device on a real device, installing the node's IPsec stack if needed.
     * Assign the interface's IPv4 address to the returned device, not the lower one.
     * \param lower the real device
     * \param interfaceName the name for `show` output; empty picks Serial0/N or
     *        GigabitEthernet0/N from the device type
     * \return the IPsec device
     */
    Ptr<IpsecNetDevice> InstallDevice(Ptr<NetDevice> lower,
                                      const std::string& interfaceName = "") const;

    /**
     * Stacks IPsec devices on real devices.
     * \param lower the real devices
     * \return the IPsec devices, in the same order
     */
    NetDeviceContainer InstallDevices(NetDeviceContainer lower) const;

    /**
     * Applies a crypto map to an interface, after checking every entry, and installs the
     * SAs of its manually keyed entries. The interface needs its IPv4 address.
     * \param device an IPsec device
     * \param cryptoMap the crypto map
     */
    void ApplyCryptoMap(Ptr<NetDevice> device, Ptr<CryptoMap> cryptoMap) const;

    /**
     * Gives the crypto map entries that CreateManualTunnel builds afterwards their own replay
     * window size (`set security-association replay window-size N`).
     * \param size the window size in packets (1 to 2^31), or 0 to leave the entries unset
     */
    void SetTunnelReplayWindowSize(uint32_t size);
    /**
     * Makes the entries that CreateManualTunnel builds afterwards disable replay checking
     * (`set security-association replay disable`), or not.
     * \param disable true to disable replay checking
     */
    void SetTunnelReplayDisable(bool disable);
    /**
     * Makes the SAs of tunnels built afterwards use 64-bit extended sequence numbers.
     * \param enabled true for ESN
     */
    void SetTunnelExtendedSequenceNumbers(bool enabled);
    /**
     * Splits the traffic of tunnels built afterwards into classes by DSCP
     * (see CryptoMapEntry::SetTrafficClasses); an empty list removes the split.
     * \param dscpGroups the DSCP values of each class but the default one
     * \param mode one SA bundle per class, or sequence-number spaces in one SA
     */
    void SetTunnelTrafficClasses(const std::vector<std::vector<uint8_t>>& dscpGroups,
                                 CryptoMapEntry::TrafficClassMode mode);

    /**
     * Builds matching manually keyed crypto maps on two gateways and applies them.
     *
     * Keys and SPIs are drawn from the helper's random stream, so a run is reproducible
     * for a given seed and run number. The access list is written from the first
     * gateway's point of view; the second gets the mirrored list.
     *
     * \param first an IPsec device of the first gateway (with its address assigned)
     * \param second an IPsec device of the second gateway
     * \param accessListLine the protected traffic, as one IOS extended access-list line
     * \param transforms the transform set, e.g. "esp-aes 256 esp-sha-hmac"
     * \param mode tunnel or transport
     * \return the first gateway's crypto map (the second's has the same name)
     */
    Ptr<CryptoMap> CreateManualTunnel(Ptr<NetDevice> first,
                                      Ptr<NetDevice> second,
                                      const std::string& accessListLine,
                                      const std::string& transforms,
                                      IpsecMode mode = IpsecMode::TUNNEL);

    /**
     * Builds a manually keyed virtual tunnel interface on each of two gateways, as IOS
     * `interface Tunnel0` with `tunnel mode ipsec ipv4`, `tunnel source`,
     * `tunnel destination`, `tunnel protection` and `ip mtu`.
     *
     * Each tunnel device is added to its node, gets an IPv4 interface with the given
     * address and is set up. The caller adds the routes into it. The SAs are tunnel mode,
     * with selectors "any" because there is no crypto map. Inbound SAs go to the SADB, and
     * the outbound bundle stays in the device, because the SADB files outbound SAs under a
     * crypto map entry. Replay window and lifetimes are the stacks' global settings, so
     * the helper's SetTunnel* settings do not apply. Keys and SPIs are drawn as in
     * CreateManualTunnel().
     *
     * \param first the first gateway (IPv4 and an address for sourceFirst installed)
     * \param second the second gateway
     * \param sourceFirst the first gateway's tunnel source (an address of its WAN interface)
     * \param sourceSecond the second gateway's tunnel source
     * \param transforms the transform set, e.g. "esp-aes esp-sha-hmac"
     * \param tunnelAddressFirst the first tunnel interface's address, e.g. 172.16.0.1
     * \param tunnelAddressSecond the second tunnel interface's address, e.g. 172.16.0.2
     * \param mask the tunnel subnet's mask, e.g. 255.255.255.252
     * \param ipMtu the tunnels' `ip mtu` in bytes, or 0 to derive it from the egress
     *        interface's MTU minus the IPsec overhead
     * \return the two tunnel devices, first gateway's first
     */
    NetDeviceContainer CreateTunnelInterfaces(Ptr<Node> first,
                                              Ptr<Node> second,
                                              Ipv4Address sourceFirst,
                                              Ipv4Address sourceSecond,
                                              const std::string& transforms,
                                              Ipv4Address tunnelAddressFirst,
                                              Ipv4Address tunnelAddressSecond,
                                              Ipv4Mask mask,
                                              uint16_t ipMtu = 0);

    /**
     * Writes a pcap of a lower device (the WAN side, carrying ESP and AH) and, next to it,
     * PREFIX-esp_sa with every ESP SA the node creates, in Wireshark's `esp_sa` format, and
     * PREFIX-ah_sa with every AH SA as "IPv4","source","destination","0xSPI","algorithm","0xkey"
     * (Wireshark does not verify AH, so other tools read this file).
     * \param prefix the file name prefix; files are PREFIX-NODE-DEVICE.pcap, PREFIX-esp_sa
     *        and PREFIX-ah_sa
     * \param device an IPsec device; its lower device is captured
     */
    void EnablePcapWithKeys(const std::string& prefix, Ptr<NetDevice> device);

    /**
     * Attaches a service policy to an interface (`service-policy output POLICY`): low latency
     * queueing in front of the interface's crypto engine (the node's unless the interface has
     * its own), for every tunnel of the interface.
     *
     * The policy's `percent` bandwidths refer to the engine's encryption rate, or to the
     * lower device's data rate when the engine has no per-byte cost. A policy whose
     * guarantees exceed that rate is accepted, and the warning IOS prints is returned.
     *
     * \param device an IPsec device
     * \param policy the policy map
     * \param[out] warning the over-subscription warning, or empty
     * \return the queue disc now in front of the engine
     */
    Ptr<PolicyMapQueueDisc> ApplyServicePolicy(Ptr<NetDevice> device,
                                               Ptr<PolicyMap> policy,
                                               std::string& warning) const;

    /**
     * Runs a policy map as the egress queue of an interface's lower device, where it queues
     * packets after encryption (the outer header, or the inner one with `qos pre-classify`).
     * Call it before IPv4 addresses are assigned or traffic starts.
     * \param device an IPsec device
     * \param policy the policy map
     * \return the root queue disc installed on the lower device
     */
    Ptr<PolicyMapQueueDisc> InstallEgressPolicy(Ptr<NetDevice> device, Ptr<PolicyMap> policy) const;

    /**
     * Prints `show crypto ipsec sa` for a node.
     * \param node the node
     * \param os the output stream
     */
    static void ShowCryptoIpsecSa(Ptr<Node> node, std::ostream& os);

    /**
     * Assigns fixed random variable streams to the helper's key generator.
     * \param stream first stream index to use
     * \return the number of stream indices assigned
     */
    int64_t AssignStreams(int64_t stream);

    // IKE.

    /**
     * \param node a node with an IPsec stack
     * \return the node's IKE daemon
     */
    static Ptr<IkeDaemon> GetIkeDaemon(Ptr<Node> node);

    /**
     * Builds matching `ipsec-isakmp` crypto maps on two gateways and applies them, so IKE
     * negotiates the SAs when traffic first matches. Each gateway gets the other's
     * pre-shared key (`crypto isakmp key KEY address PEER`) and, if it has no phase 1
     * policy yet, policy 10 (aes, sha, pre-share, group 2, 86400 s). The traffic class and
     * replay settings of SetTunnel* apply as in CreateManualTunnel().
     * \param first an IPsec device of the first gateway (with its address assigned)
     * \param second an IPsec device of the second gateway
     * \param accessListLine the protected traffic, from the first gateway's point of view
     * \param transforms the transform set, e.g. "esp-aes esp-sha-hmac"
     * \param preSharedKey the pre-shared key both gateways use
     * \param mode tunnel or transport
     * \return the first gateway's crypto map (the second's has the same name)
     */
    Ptr<CryptoMap> CreateIsakmpTunnel(Ptr<NetDevice> first,
                                      Ptr<NetDevice> second,
                                      const std::string& accessListLine,
                                      const std::string& transforms,
                                      const std::string& preSharedKey,
                                      IpsecMode mode = IpsecMode::TUNNEL);

    /**
     * Prints `show crypto isakmp sa` for a node.
     * \param node the node
     * \param os the output stream
     */
    static void ShowCryptoIsakmpSa(Ptr<Node> node, std::ostream& os);

    // Invalid SPI handling.

    /**
     * Returns a node's invalid SPI handling (INVALID_SPI notifications over IKE and invalid
     * SPI recovery). Install() gives every node one; this call installs it on a node whose
     * stack was made another way.
     * \param node a node with an IPsec stack and an IKE daemon (IpsecHelper::Install)
     * \return the node's handler
     */
    static Ptr<IkeInvalidSpiHandler> GetInvalidSpiHandler(Ptr<Node> node);

    /**
     * Configures `crypto isakmp invalid-spi-recovery` on a node (or removes it), installing
     * the node's invalid SPI handling if needed.
     * \param node a node with an IPsec stack and an IKE daemon
     * \param enabled true to let an invalid SPI start main mode with its sender
     */
    static void SetInvalidSpiRecovery(Ptr<Node> node, bool enabled);

    // SA lifetimes and reboots.

    /**
     * Schedules a reboot of a node's IPsec router (IpsecStack::Reboot): at the given time
     * the node drops all IPsec state and stays off the network for bootTime.
     * \param node the node, with an IPsec stack
     * \param at the simulated time of the reboot
     * \param bootTime the time the node is off the network
     */
    static void ScheduleReboot(Ptr<Node> node, Time at, Time bootTime);

    // Dead peer detection and failover.

    /**
     * Applies `crypto isakmp keepalive SECONDS [RETRY] [periodic | on-demand]` to a node,
     * attaching an IsakmpKeepalive to it first if it has none.
     * \param node a node with an IPsec stack (IpsecHelper::Install)
     * \param seconds the interval in seconds (10..3600)
     * \param retry the retry interval in seconds (2..60)
     * \param mode periodic or on-demand
     * \return an empty string on success, else the reason (nothing changes)
     */
    static std::string SetIsakmpKeepalive(Ptr<Node> node,
                                          uint32_t seconds,
                                          uint32_t retry = DpdConfig::DEFAULT_RETRY,
                                          DpdMode mode = DPD_ON_DEMAND);
    /**
     * \param node a node with an IPsec stack
     * \return the node's IsakmpKeepalive, attached on first use
     */
    static Ptr<IsakmpKeepalive> GetIsakmpKeepalive(Ptr<Node> node);
    /**
     * Builds an `ipsec-isakmp` crypto map with one entry and several `set peer` lines on a
     * branch, in the order of the hubs, and on each hub a mirrored map whose peer is the
     * branch, then applies them. Keys and phase 1 policies are set up as in
     * CreateIsakmpTunnel(). With keepalive on the branch, a dead hub makes the entry fail over
     * to the next hub.
     * \param branch an IPsec device of the branch (with its address assigned)
     * \param hubs an IPsec device of each hub, in `set peer` order
     * \param accessListLine the protected traffic, from the branch's point of view
     * \param transforms the transform set, e.g. "esp-aes esp-sha-hmac"
     * \param preSharedKey the pre-shared key of every pair
     * \return the branch's crypto map
     */
    Ptr<CryptoMap> CreateIsakmpFailoverTunnels(Ptr<NetDevice> branch,
                                               NetDeviceContainer hubs,
                                               const std::string& accessListLine,
                                               const std::string& transforms,
                                               const std::string& preSharedKey);

  private:
    /**
     * Makes crypto map entry 10 of a helper-built tunnel with the SetTunnel* options.
     * \param keyManagement manual keys or IKE
     * \param accessList the entry's access list
     * \param peer the peer
     * \param transformSet the transform set
     * \return the entry
     */
    Ptr<CryptoMapEntry> MakeTunnelEntry(CryptoMapEntry::KeyManagement keyManagement,
                                        Ptr<Ipv4AccessList> accessList,
                                        Ipv4Address peer,
                                        const IpsecTransformSet& transformSet) const;

    /// \return a key of the given length drawn from the helper's random stream
    std::vector<uint8_t> DrawKey(uint32_t length);
    /// \return a fresh SPI (256 or more) drawn from the helper's random stream
    uint32_t DrawSpi();
    /**
     * Draws the SPI and keys of one manually keyed SA.
     * \param transformSet the transform set (key lengths)
     * \param protocol ESP or AH
     * \return the SPI and keys
     */
    IpsecManualKey DrawManualKey(const IpsecTransformSet& transformSet, IpsecProtocol protocol);

    ObjectFactory m_stackFactory;                         //!< makes IpsecStack objects
    uint32_t m_tunnelReplayWindowSize;                    //!< entry replay window size, 0 for none
    bool m_tunnelReplayDisable;                           //!< entry replay disable
    bool m_tunnelExtended;                                //!< ESN on new tunnels
    std::vector<std::vector<uint8_t>> m_tunnelDscpGroups; //!< traffic classes of new tunnels
    CryptoMapEntry::TrafficClassMode m_tunnelClassMode;   //!< separate SAs or spaces
    Ptr<UniformRandomVariable> m_random;                  //!< keys and SPIs
    uint32_t m_tunnelCount;                               //!< crypto maps created so far
};

} // namespace ns3

#endif // IPSEC_HELPER_H
