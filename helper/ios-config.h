// Copyright (c) 2026 The ns3-ipsec authors
// SPDX-License-Identifier: GPL-2.0-only

#ifndef IOS_CONFIG_H
#define IOS_CONFIG_H

#include "ns3/crypto-map.h"
#include "ns3/ipsec-security-association.h"
#include "ns3/ipsec-stack.h"
#include "ns3/ipsec-transform-set.h"
#include "ns3/ipv4-address.h"

#include <array>
#include <cstdint>
#include <istream>
#include <map>
#include <optional>
#include <stdexcept>
#include <string>
#include <utility>
#include <vector>

namespace ns3
{

/**
 * \ingroup ipsec
 * A configuration line that IosConfig rejects, or one that IosConfigLoader cannot apply.
 *
 * what() is "FILE:LINE: reason", or "FILE: reason" when no single line is at fault
 * (line 0).
 */
struct IosConfigError : public std::runtime_error
{
    /**
     * Creates the error.
     * \param fileName the configuration file name
     * \param lineNumber the line at fault (1 is the first), or 0
     * \param why the reason, saying what is allowed
     */
    IosConfigError(const std::string& fileName, uint32_t lineNumber, const std::string& why);

    std::string file;   //!< configuration file name
    uint32_t line;      //!< line at fault, 1-based, or 0
    std::string reason; //!< what is wrong and what is allowed
};

/**
 * \ingroup ipsec
 * A configuration line kept with its line number, for errors found after parsing.
 */
struct IosConfigLine
{
    std::string text; //!< the command, trimmed
    uint32_t line{0}; //!< line number in the file
};

/**
 * \ingroup ipsec
 * One `interface NAME` section.
 */
struct IosInterfaceConfig
{
    std::string name;        //!< full IOS name, e.g. "FastEthernet0/0"
    uint32_t line{0};        //!< line of `interface NAME`
    std::string description; //!< `description` text
    /// `ip address A M` first, then `ip address A M secondary` lines, in file order
    std::vector<std::pair<Ipv4Address, Ipv4Mask>> addresses;
    uint16_t ipMtu{0};                     //!< `ip mtu` in bytes, 0 when not configured
    uint32_t ipMtuLine{0};                 //!< line of `ip mtu`
    std::string cryptoMap;                 //!< `crypto map NAME`, or empty
    uint32_t cryptoMapLine{0};             //!< line of `crypto map NAME`
    std::string servicePolicy;             //!< `service-policy output NAME`, or empty
    uint32_t servicePolicyLine{0};         //!< line of `service-policy output`
    bool shutdown{false};                  //!< `shutdown` (administratively down)
    std::optional<IpsecDfBitPolicy> dfBit; //!< interface `crypto ipsec df-bit`
};

/**
 * \ingroup ipsec
 * One numbered or named access list, its lines rewritten in the extended syntax that
 * Ipv4AccessList::AddLine parses (a standard line `permit A W` becomes
 * `permit ip A W any`).
 */
struct IosAccessListConfig
{
    std::string name;                   //!< number or name
    bool standard{false};               //!< standard (source only) or extended
    uint32_t line{0};                   //!< first line that defines it
    std::vector<IosConfigLine> entries; //!< permit and deny lines, extended syntax
};

/**
 * \ingroup ipsec
 * One `crypto ipsec transform-set` and its `mode`.
 */
struct IosTransformSetConfig
{
    IpsecTransformSet transformSet; //!< the parsed set, mode included
    uint32_t line{0};               //!< line of `crypto ipsec transform-set`
};

/**
 * \ingroup ipsec
 * One crypto map entry: `crypto map NAME SEQ ipsec-isakmp|ipsec-manual` and its section.
 */
struct IosCryptoMapEntryConfig
{
    uint32_t sequence{0};                                                               //!< SEQ
    CryptoMapEntry::KeyManagement keyManagement{CryptoMapEntry::KeyManagement::ISAKMP}; //!< keying
    uint32_t line{0};                          //!< line of `crypto map NAME SEQ`
    std::vector<Ipv4Address> peers;            //!< `set peer`, in order
    std::vector<IosConfigLine> transformSets;  //!< `set transform-set` names, in order
    IosConfigLine accessList;                  //!< `match address` name, or empty text
    std::optional<uint32_t> lifetimeSeconds;   //!< `set security-association lifetime seconds`
    std::optional<uint64_t> lifetimeKilobytes; //!< `... lifetime kilobytes`
    std::optional<uint32_t> idleTimeSeconds;   //!< `set security-association idle-time`
    std::optional<uint32_t> replayWindowSize;  //!< `... replay window-size N`
    bool replayDisable{false};                 //!< `... replay disable`
    /// `set session-key`: index direction * 2 + (AH ? 1 : 0), direction INBOUND = 0
    std::array<std::optional<IpsecManualKey>, 4> sessionKeys;
};

/**
 * \ingroup ipsec
 * All entries of one crypto map tag.
 */
struct IosCryptoMapConfig
{
    std::string name;                             //!< crypto map tag
    uint32_t line{0};                             //!< first line naming it
    bool qosPreClassify{false};                   //!< `qos pre-classify` in one of its entries
    std::vector<IosCryptoMapEntryConfig> entries; //!< entries in ascending sequence order
};

/**
 * \ingroup ipsec
 * One `crypto isakmp policy N` section. Unset fields keep the IOS defaults.
 */
struct IosIsakmpPolicyConfig
{
    uint32_t priority{0};                  //!< N, 1..10000
    uint32_t line{0};                      //!< line of `crypto isakmp policy`
    std::string encryption{"des"};         //!< des, 3des or aes
    uint16_t encryptionKeyBits{56};        //!< key size in bits (56, 168, 128, 192, 256)
    std::string hash{"sha"};               //!< sha, sha256 or md5
    std::string authentication{"rsa-sig"}; //!< pre-share, rsa-sig or rsa-encr
    uint32_t group{1};                     //!< Diffie-Hellman group
    uint32_t lifetimeSeconds{86400};       //!< IKE SA lifetime in seconds
};

/**
 * \ingroup ipsec
 * One `crypto isakmp key KEY address A [M]` line.
 */
struct IosIsakmpKeyConfig
{
    std::string key;                  //!< the pre-shared key
    Ipv4Address peer;                 //!< peer address
    Ipv4Mask mask{"255.255.255.255"}; //!< peer mask (host mask unless given)
    uint32_t line{0};                 //!< line number
};

/**
 * \ingroup ipsec
 * `crypto isakmp keepalive S [R] [periodic|on-demand]`: dead peer detection.
 */
struct IosKeepaliveConfig
{
    uint32_t seconds{0};      //!< interval in seconds, 10..3600
    uint32_t retrySeconds{2}; //!< retry interval in seconds, 2..60
    bool periodic{false};     //!< periodic, else on-demand (the default)
    uint32_t line{0};         //!< line number
};

/**
 * \ingroup ipsec
 * One `class-map [match-all|match-any] NAME` section, kept as lines because its
 * `match access-group` statements may name access lists defined further down.
 */
struct IosClassMapConfig
{
    std::string name;                   //!< class name
    IosConfigLine header;               //!< the `class-map` line
    std::vector<IosConfigLine> matches; //!< `match` statements in order
};

/**
 * \ingroup ipsec
 * One class section of a policy map.
 */
struct IosPolicyClassConfig
{
    std::string name;                    //!< class name (class-default included)
    uint32_t line{0};                    //!< line of `class NAME`
    std::vector<IosConfigLine> commands; //!< `priority`, `bandwidth`, ... in order
};

/**
 * \ingroup ipsec
 * One `policy-map NAME` section.
 */
struct IosPolicyMapConfig
{
    std::string name;                          //!< policy name
    uint32_t line{0};                          //!< line of `policy-map NAME`
    std::vector<IosPolicyClassConfig> classes; //!< class sections in order
};

/**
 * \ingroup ipsec
 * One `ip route PREFIX MASK {NEXTHOP | INTERFACE [NEXTHOP]} [DISTANCE]` line.
 */
struct IosStaticRouteConfig
{
    Ipv4Address prefix;        //!< destination network
    Ipv4Mask mask;             //!< destination mask
    std::string interfaceName; //!< outgoing interface, or empty
    bool hasNextHop{false};    //!< true if a next hop is given
    Ipv4Address nextHop;       //!< next hop address
    uint32_t distance{1};      //!< administrative distance, used as the route metric
    uint32_t line{0};          //!< line number
};

/**
 * \ingroup ipsec
 * A router configuration in Cisco IOS syntax, parsed and cross-checked.
 *
 * The parser reads the lines that `show running-config` prints. A top-level command
 * starts at column 0 and may open a section (interface, access list, transform set,
 * crypto map entry, ISAKMP policy, class map, policy map). The section's commands are
 * indented, and a `!` line or the next top-level command closes it.
 *
 * Supported: `hostname`; `interface` with `ip address A M [secondary]`, `no ip address`,
 * `ip mtu`, `crypto map`, `service-policy output`, `shutdown`, `no shutdown`,
 * `description` and `crypto ipsec df-bit`; numbered (`access-list N ...`, 1..199,
 * 1300..2699) and named (`ip access-list standard|extended NAME`) access lists, with
 * `remark`; `crypto ipsec transform-set` with `mode tunnel|transport`; crypto map
 * entries with `set peer`, `set transform-set`, `match address`,
 * `set security-association lifetime|idle-time|replay`, `set session-key` and
 * `qos pre-classify`; `crypto isakmp policy|key|keepalive|invalid-spi-recovery`;
 * global `crypto ipsec security-association lifetime|idle-time|replay` and
 * `crypto ipsec df-bit`; `class-map` and `policy-map`; `ip route`.
 *
 * Other commands a router accepts (`version`, `line vty`, `logging`, unknown interface
 * commands, ...) are collected by GetIgnoredLines(). Inside a crypto map entry,
 * transform set or ISAKMP policy, an unknown command is an error, and so is any
 * malformed or out-of-range value and any reference to an undefined transform set,
 * access list, class map, policy map or crypto map. Keywords are lowercase; interface
 * names may be abbreviated as IOS allows ("fas0/0", "Gi0/1") and are stored in full.
 *
 * IosConfig holds plain values. IosConfigLoader builds the model objects from them for
 * each node, so one configuration can be applied to several nodes.
 */
class IosConfig
{
  public:
    IosConfig();

    /**
     * Parses a configuration and checks every reference in it.
     * \param in the configuration text
     * \param fileName the name used in error messages
     * \return the configuration
     * \throws IosConfigError at the first invalid line
     */
    static IosConfig Parse(std::istream& in, const std::string& fileName);

    /**
     * Reads and parses a configuration file.
     * \param path the file
     * \return the configuration
     * \throws IosConfigError if the file cannot be read or a line is invalid
     */
    static IosConfig Load(const std::string& path);

    /**
     * Expands an abbreviated IOS interface type to its full name, as IOS prints it:
     * "fas0/0" and "Fa0/0" become "FastEthernet0/0". Unknown types are kept as written.
     * \param name the name as typed
     * \return the full name
     */
    static std::string NormalizeInterfaceName(const std::string& name);

    /// \return the file name given to Parse() or Load()
    const std::string& GetFileName() const;
    /// \return the `hostname`, or empty
    const std::string& GetHostname() const;
    /// \return the interface names in file order
    std::vector<std::string> GetInterfaceNames() const;
    /**
     * \param name a full interface name
     * \return the interface, or nullptr
     */
    const IosInterfaceConfig* GetInterface(const std::string& name) const;
    /// \return the interfaces in file order
    const std::vector<IosInterfaceConfig>& GetInterfaces() const;
    /**
     * \return "FILE:LINE: text" of every line outside the supported subset, in file order;
     *         `!` comment lines and blank lines are not listed
     */
    const std::vector<std::string>& GetIgnoredLines() const;

    /// \return the access lists by name or number
    const std::map<std::string, IosAccessListConfig>& GetAccessLists() const;
    /// \return the transform sets by name
    const std::map<std::string, IosTransformSetConfig>& GetTransformSets() const;
    /// \return the crypto maps by tag
    const std::map<std::string, IosCryptoMapConfig>& GetCryptoMaps() const;
    /// \return the class maps by name
    const std::map<std::string, IosClassMapConfig>& GetClassMaps() const;
    /// \return the policy maps by name
    const std::map<std::string, IosPolicyMapConfig>& GetPolicyMaps() const;
    /// \return the static routes in file order
    const std::vector<IosStaticRouteConfig>& GetStaticRoutes() const;

    /// \return the ISAKMP policies by priority
    const std::map<uint32_t, IosIsakmpPolicyConfig>& GetIsakmpPolicies() const;
    /// \return the pre-shared keys in file order
    const std::vector<IosIsakmpKeyConfig>& GetIsakmpKeys() const;
    /// \return `crypto isakmp keepalive`, if configured
    const std::optional<IosKeepaliveConfig>& GetKeepalive() const;
    /// \return true with `crypto isakmp invalid-spi-recovery`
    bool IsInvalidSpiRecovery() const;

    /// \return global `crypto ipsec security-association lifetime seconds`, if configured
    const std::optional<uint32_t>& GetGlobalLifetimeSeconds() const;
    /// \return global `... lifetime kilobytes`, if configured
    const std::optional<uint64_t>& GetGlobalLifetimeKilobytes() const;
    /// \return global `crypto ipsec security-association idle-time`, if configured
    const std::optional<uint32_t>& GetGlobalIdleTimeSeconds() const;
    /// \return global `... replay window-size`, if configured
    const std::optional<uint32_t>& GetGlobalReplayWindowSize() const;
    /// \return true with global `... replay disable`
    bool IsGlobalReplayDisabled() const;
    /// \return global `crypto ipsec df-bit`, if configured
    const std::optional<IpsecDfBitPolicy>& GetGlobalDfBit() const;

  private:
    friend class IosConfigParser;

    std::string m_fileName;                                       //!< name for messages
    std::string m_hostname;                                       //!< `hostname`
    std::vector<IosInterfaceConfig> m_interfaces;                 //!< interfaces in file order
    std::vector<std::string> m_ignored;                           //!< lines outside the subset
    std::map<std::string, IosAccessListConfig> m_accessLists;     //!< access lists
    std::map<std::string, IosTransformSetConfig> m_transformSets; //!< transform sets
    std::map<std::string, IosCryptoMapConfig> m_cryptoMaps;       //!< crypto maps
    std::map<std::string, IosClassMapConfig> m_classMaps;         //!< class maps
    std::map<std::string, IosPolicyMapConfig> m_policyMaps;       //!< policy maps
    std::vector<IosStaticRouteConfig> m_routes;                   //!< `ip route` lines
    std::map<uint32_t, IosIsakmpPolicyConfig> m_isakmpPolicies;   //!< ISAKMP policies
    std::vector<IosIsakmpKeyConfig> m_isakmpKeys;                 //!< pre-shared keys
    std::optional<IosKeepaliveConfig> m_keepalive;                //!< DPD settings
    bool m_invalidSpiRecovery;                                    //!< invalid SPI recovery
    std::optional<uint32_t> m_lifetimeSeconds;                    //!< global time lifetime
    std::optional<uint64_t> m_lifetimeKilobytes;                  //!< global volume lifetime
    std::optional<uint32_t> m_idleTimeSeconds;                    //!< global idle time
    std::optional<uint32_t> m_replayWindowSize;                   //!< global window size
    uint32_t m_replayLine;                                        //!< line of the global replay
    bool m_replayDisable;                                         //!< global replay disable
    std::optional<IpsecDfBitPolicy> m_dfBit;                      //!< global df-bit
};

} // namespace ns3

#endif // IOS_CONFIG_H
