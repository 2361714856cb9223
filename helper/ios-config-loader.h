// Copyright (c) 2026 The ns3-ipsec authors
// SPDX-License-Identifier: GPL-2.0-only

#ifndef IOS_CONFIG_LOADER_H
#define IOS_CONFIG_LOADER_H

#include "ios-config.h"

#include "ns3/crypto-map.h"
#include "ns3/ipv4-access-list.h"
#include "ns3/net-device.h"
#include "ns3/node.h"
#include "ns3/policy-map.h"
#include "ns3/ptr.h"

#include <map>
#include <string>

namespace ns3
{

/**
 * \ingroup ipsec
 * Applies a parsed IOS configuration (IosConfig) to a router node.
 *
 * Typical use, after InternetStackHelper::Install and before any address is assigned:
 * \code
 *   IosConfig config = IosConfig::Load("router-a.cfg");
 *   IosConfigLoader::Apply(config, routerA, {{"FastEthernet0/0", wan.Get(0)},
 *                                            {"FastEthernet0/1", lan.Get(0)}});
 * \endcode
 *
 * Apply() checks everything it can before it changes the node, so a configuration it
 * rejects leaves the node as it was. Each call builds its own access lists, crypto maps
 * and policy maps, so one configuration may be applied to several nodes.
 *
 * IKE settings go to the node's IkeDaemon: `crypto isakmp policy` sections (which must use
 * `authentication pre-share`, the only method the daemon implements), `crypto isakmp key`,
 * `crypto isakmp keepalive` (an IsakmpKeepalive) and `crypto isakmp invalid-spi-recovery`
 * (the IkeInvalidSpiHandler, installed on every node with IKE settings so that it sends
 * INVALID_SPI notifications even without recovery). Entries with `ipsec-isakmp` get their
 * SAs from the daemon when traffic first matches them.
 */
class IosConfigLoader
{
  public:
    /**
     * Applies a configuration to a router node.
     *
     * The node needs IPv4 (InternetStackHelper) and no addresses yet. An interface that
     * carries a crypto map, a service policy or its own `crypto ipsec df-bit` gets an
     * IpsecNetDevice on top of its device. Every connected interface gets its addresses,
     * `ip mtu` and up/down state, then come static routes, global IPsec settings, crypto
     * maps (with the SAs of `ipsec-manual` entries) and service policies.
     *
     * An interface of the file may stay unconnected when it is shut down or has no
     * address, crypto map or service policy. Such an interface is skipped.
     *
     * \param config the configuration
     * \param node the router node
     * \param lowerDevices the node's devices by IOS interface name; abbreviated names are
     *        accepted ("Fa0/0")
     * \throws IosConfigError if anything cannot be applied, before any change
     */
    static void Apply(const IosConfig& config,
                      Ptr<Node> node,
                      const std::map<std::string, Ptr<NetDevice>>& lowerDevices);

    /**
     * Builds an access list.
     * \param config the configuration
     * \param name the list name or number; it must exist in config
     * \return a new access list
     */
    static Ptr<Ipv4AccessList> BuildAccessList(const IosConfig& config, const std::string& name);

    /**
     * Builds a crypto map with its entries, access lists and transform sets.
     * \param config the configuration
     * \param name the crypto map tag; it must exist in config
     * \return a new crypto map
     * \throws IosConfigError if an entry fails CryptoMapEntry::Validate()
     */
    static Ptr<CryptoMap> BuildCryptoMap(const IosConfig& config, const std::string& name);

    /**
     * Builds a policy map with its class maps and their access lists.
     * \param config the configuration
     * \param name the policy name; it must exist in config
     * \return a new policy map
     * \throws IosConfigError if a statement or the policy is invalid
     */
    static Ptr<PolicyMap> BuildPolicyMap(const IosConfig& config, const std::string& name);

  private:
    /**
     * Checks the IKE part of the configuration against what the IKE daemon implements,
     * before Apply() changes the node.
     * \param config the configuration
     * \throws IosConfigError with the line of the first setting the daemon cannot take
     */
    static void CheckIke(const IosConfig& config);

    /**
     * \param config the configuration
     * \return true if the configuration has any IKE setting or `ipsec-isakmp` entry
     */
    static bool HasIke(const IosConfig& config);

    /**
     * Applies the IKE part of the configuration, checked by CheckIke(): ISAKMP policies,
     * pre-shared keys, dead peer detection and invalid SPI recovery.
     * \param config the configuration
     * \param node the router node (its IpsecStack and IkeDaemon are installed)
     */
    static void ApplyIke(const IosConfig& config, Ptr<Node> node);
};

} // namespace ns3

#endif // IOS_CONFIG_LOADER_H
