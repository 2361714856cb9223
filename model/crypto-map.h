// Copyright (c) 2026 The ns3-ipsec authors
// SPDX-License-Identifier: GPL-2.0-only

#ifndef CRYPTO_MAP_H
#define CRYPTO_MAP_H

#include "ipsec-security-association.h"
#include "ipsec-transform-set.h"
#include "ipv4-access-list.h"

#include "ns3/ipv4-address.h"
#include "ns3/nstime.h"
#include "ns3/ptr.h"
#include "ns3/simple-ref-count.h"

#include <array>
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

namespace ns3
{

/**
 * \ingroup ipsec
 * Keys of one manually keyed SA, as `set session-key {inbound|outbound} {esp|ah} SPI ...`
 * configures them.
 */
struct IpsecManualKey
{
    uint32_t spi{0};                    //!< security parameter index (256 or more)
    std::vector<uint8_t> encryptionKey; //!< ESP `cipher` key (GCM: key then salt)
    std::vector<uint8_t> integrityKey;  //!< ESP `authenticator` key or the AH key
};

/**
 * \ingroup ipsec
 * Checks an SA idle time against the range IOS accepts for
 * `crypto ipsec security-association idle-time` and `set security-association idle-time`.
 * \param idleTime the idle time
 * \return an empty string if it is 60 to 86400 s, else the reason
 */
std::string CheckIdleTime(Time idleTime);

/**
 * \ingroup ipsec
 * Checks an SA time lifetime against the range IOS accepts for
 * `security-association lifetime seconds`.
 * \param lifetime the time lifetime
 * \return an empty string if it is 120 to 86400 s, else the reason
 */
std::string CheckLifetimeSeconds(Time lifetime);

/**
 * \ingroup ipsec
 * Checks an SA volume lifetime against the range IOS accepts for
 * `security-association lifetime kilobytes`.
 * \param kilobytes the volume lifetime in kilobytes (1024 bytes)
 * \return an empty string if it is 2560 to 4294967295, else the reason
 */
std::string CheckLifetimeKilobytes(uint64_t kilobytes);

/**
 * \ingroup ipsec
 * One entry of a crypto map: `crypto map NAME SEQ {ipsec-manual|ipsec-isakmp}`.
 *
 * The entry's access list (`match address`) chooses the traffic it protects, written
 * from this router's point of view: a permit line protects matching outbound packets and
 * requires the mirrored inbound packets to arrive protected. The entry also names its
 * peers in order (`set peer`), its transform sets, optional per-entry overrides of the
 * global SA settings, and for manual keying the keys of each SA.
 *
 * The entry caches the outbound SA bundle in use, so the per-packet path finds it without
 * a lookup. The node's IpsecSadb remains the owner of every SA.
 */
class CryptoMapEntry : public SimpleRefCount<CryptoMapEntry>
{
  public:
    /// Key management of the entry's SAs.
    enum class KeyManagement : uint8_t
    {
        MANUAL, //!< `ipsec-manual`: keys from `set session-key`
        ISAKMP, //!< `ipsec-isakmp`: SAs negotiated by IKE when traffic first matches
    };

    /// Treatment of the entry's traffic classes (see SetTrafficClasses).
    enum class TrafficClassMode : uint8_t
    {
        SEPARATE_SAS,    //!< one SA bundle per class, as RFC 4301 section 4.1 advises
        SEQUENCE_SPACES, //!< one SA with one sequence-number space per class
    };

    /// Largest number of traffic classes, including the default class.
    static constexpr uint32_t MAX_TRAFFIC_CLASSES = 16;

    /**
     * Creates an entry.
     * \param sequence the sequence number (entries are evaluated in ascending order)
     * \param keyManagement manual keying or IKE
     */
    CryptoMapEntry(uint32_t sequence, KeyManagement keyManagement);

    /// \return the sequence number
    uint32_t GetSequence() const;
    /// \return manual keying or IKE
    KeyManagement GetKeyManagement() const;

    /// \param accessList the `match address` access list
    void SetAccessList(Ptr<Ipv4AccessList> accessList);
    /// \return the access list, or nullptr if none is set
    Ptr<Ipv4AccessList> GetAccessList() const;

    /// \param peer one more `set peer` address (peers are tried in the order added)
    void AddPeer(Ipv4Address peer);
    /// \return the peers in order
    const std::vector<Ipv4Address>& GetPeers() const;
    /// \return the peer in use (the first until failover moves on)
    Ipv4Address GetCurrentPeer() const;
    /// Moves to the next listed peer, cycling to the first after the last.
    void AdvancePeer();

    /// \param transformSet one more `set transform-set` (manual keying uses only the first)
    void AddTransformSet(const IpsecTransformSet& transformSet);
    /// \return the transform sets in order of preference
    const std::vector<IpsecTransformSet>& GetTransformSets() const;

    /**
     * Sets the keys of one manually keyed SA.
     * \param direction inbound or outbound
     * \param protocol ESP or AH
     * \param key the SPI and keys
     * \param trafficClass the traffic class the SA carries (SEPARATE_SAS mode), else 0
     */
    void SetSessionKey(IpsecDirection direction,
                       IpsecProtocol protocol,
                       const IpsecManualKey& key,
                       uint32_t trafficClass = 0);
    /**
     * \param direction inbound or outbound
     * \param protocol ESP or AH
     * \param trafficClass the traffic class (SEPARATE_SAS mode), else 0
     * \return the manual key, if configured
     */
    const std::optional<IpsecManualKey>& GetSessionKey(IpsecDirection direction,
                                                       IpsecProtocol protocol,
                                                       uint32_t trafficClass = 0) const;

    /**
     * Splits the entry's traffic into classes by DSCP, so that QoS reordering of one class
     * behind another cannot cause replay drops.
     *
     * Group i lists the DSCP values of class i; every DSCP not listed belongs to the last,
     * default class (index dscpGroups.size()). With SEPARATE_SAS each class gets its own SA
     * bundle (and, for manual keying, its own keys). With SEQUENCE_SPACES one SA carries
     * every class and puts the class index in the high bits of the 32-bit sequence number
     * field, with one replay window per class. Extended sequence numbers are then not
     * available, because the field has no room for both.
     *
     * \param dscpGroups the DSCP values (0..63) of each class but the default one
     * \param mode separate SAs or sequence-number spaces
     * \return an empty string on success, else a one-line reason (nothing is changed)
     */
    std::string SetTrafficClasses(const std::vector<std::vector<uint8_t>>& dscpGroups,
                                  TrafficClassMode mode);
    /// \return the number of traffic classes (1 when none are configured)
    uint32_t GetTrafficClassCount() const;
    /// \return separate SAs or sequence-number spaces
    TrafficClassMode GetTrafficClassMode() const;
    /**
     * \param dscp a DSCP value (0..63)
     * \return its traffic class
     */
    uint32_t GetTrafficClass(uint8_t dscp) const;

    /// \param size `set security-association replay window-size N` for this entry
    void SetReplayWindowSize(uint32_t size);
    /// Sets `set security-association replay disable` for this entry.
    void SetReplayDisable();
    /// \return the entry's replay window size, if configured
    std::optional<uint32_t> GetReplayWindowSize() const;
    /// \return true if the entry disables replay checking
    bool IsReplayDisabled() const;

    /// \param enabled true to use 64-bit extended sequence numbers on this entry's SAs
    void SetExtendedSequenceNumbers(bool enabled);
    /// \return true with extended sequence numbers
    bool IsExtendedSequenceNumbers() const;

    /**
     * Sets `set security-association idle-time S`: the entry's SA sets that carry no
     * traffic for this long are deleted. Overrides the global idle time.
     * \param idleTime the idle time, 60 to 86400 s as IOS accepts
     * \return an empty string on success, else the reason (and nothing changes)
     */
    std::string SetIdleTime(Time idleTime);
    /// \return the entry's idle time, if configured
    std::optional<Time> GetIdleTime() const;
    /**
     * Sets `set security-association lifetime seconds S`.
     * \param seconds the time lifetime, 120 to 86400 s as IOS accepts
     * \return an empty string on success, else the reason (and nothing changes)
     */
    std::string SetLifetimeSeconds(Time seconds);
    /**
     * Sets `set security-association lifetime kilobytes K`.
     * \param kilobytes the volume lifetime in kilobytes (1024 bytes), 2560 to 4294967295
     * \return an empty string on success, else the reason (and nothing changes)
     */
    std::string SetLifetimeKilobytes(uint64_t kilobytes);
    /// \return the entry's time lifetime, if configured
    std::optional<Time> GetLifetimeSeconds() const;
    /// \return the entry's volume lifetime, if configured
    std::optional<uint64_t> GetLifetimeKilobytes() const;

    /**
     * Checks the entry for the mistakes IOS rejects: no peer, no access list, no transform
     * set, both a replay window size and replay disable, or, for manual keying, missing or
     * wrongly sized keys.
     * \return an empty string if the entry is complete, else a one-line reason
     */
    std::string Validate() const;

    /**
     * \param bundle the outbound SA bundle in use, or nullptr when there is none
     * \param trafficClass the class it carries (SEPARATE_SAS mode), else 0
     */
    void SetOutboundBundle(Ptr<IpsecSaBundle> bundle, uint32_t trafficClass = 0);
    /**
     * \param trafficClass the traffic class (SEPARATE_SAS mode), else 0
     * \return the outbound SA bundle in use, or nullptr
     */
    Ptr<IpsecSaBundle> GetOutboundBundle(uint32_t trafficClass = 0) const;

  private:
    uint32_t m_sequence;                            //!< entry sequence number
    KeyManagement m_keyManagement;                  //!< manual or IKE
    Ptr<Ipv4AccessList> m_accessList;               //!< `match address`
    std::vector<Ipv4Address> m_peers;               //!< `set peer` in order
    uint32_t m_currentPeer;                         //!< index of the peer in use
    std::vector<IpsecTransformSet> m_transformSets; //!< `set transform-set`
    std::vector<std::array<std::optional<IpsecManualKey>, 4>>
        m_keys;                                  //!< per class: [direction*2+protocol]
    std::array<uint8_t, 64> m_classOfDscp;       //!< traffic class of each DSCP
    uint32_t m_classCount;                       //!< number of traffic classes
    TrafficClassMode m_classMode;                //!< separate SAs or sequence spaces
    std::optional<uint32_t> m_replayWindowSize;  //!< per-entry window size
    bool m_replayDisable;                        //!< per-entry replay disable
    bool m_extendedSequenceNumbers;              //!< 64-bit ESN
    std::optional<Time> m_idleTime;              //!< per-entry idle time
    std::optional<Time> m_lifetimeSeconds;       //!< per-entry time lifetime
    std::optional<uint64_t> m_lifetimeKilobytes; //!< per-entry volume lifetime
    std::vector<Ptr<IpsecSaBundle>> m_outbound;  //!< outbound bundle in use, per class
};

/**
 * \ingroup ipsec
 * A crypto map: the ordered entries that one `crypto map NAME` applies to an interface.
 *
 * An outbound packet is evaluated against the entries in ascending sequence order; the
 * first entry whose access list permits it protects it. A packet no entry permits leaves
 * in clear.
 */
class CryptoMap : public SimpleRefCount<CryptoMap>
{
  public:
    /**
     * Creates an empty crypto map.
     * \param name the crypto map tag
     */
    explicit CryptoMap(const std::string& name);

    /// \return the crypto map tag
    const std::string& GetName() const;

    /**
     * Sets `qos pre-classify`: egress classification of protected packets looks at the
     * inner header (carried in an IpsecPreClassifyTag) instead of the outer one.
     * \param enabled true to classify on the inner header
     */
    void SetQosPreClassify(bool enabled);
    /// \return true with `qos pre-classify`
    bool IsQosPreClassify() const;

    /**
     * Adds an entry, replacing an entry with the same sequence number.
     * \param entry the entry
     */
    void AddEntry(Ptr<CryptoMapEntry> entry);
    /**
     * \param sequence an entry sequence number
     * \return the entry, or nullptr
     */
    Ptr<CryptoMapEntry> GetEntry(uint32_t sequence) const;
    /// \return the entries in ascending sequence order
    const std::vector<Ptr<CryptoMapEntry>>& GetEntries() const;

    /**
     * Finds the entry that protects an outbound packet.
     * \param tuple the packet's fields
     * \return the first entry whose access list permits the packet, or nullptr
     */
    Ptr<CryptoMapEntry> Lookup(const Ipv4FlowTuple& tuple) const;

    /**
     * Finds the entry that requires an inbound clear packet to have arrived protected.
     * \param tuple the inbound packet's fields
     * \return the first entry whose access list permits the mirrored packet, or nullptr
     */
    Ptr<CryptoMapEntry> LookupInbound(const Ipv4FlowTuple& tuple) const;

  private:
    std::string m_name;                         //!< crypto map tag
    bool m_qosPreClassify;                      //!< classify egress on the inner header
    std::vector<Ptr<CryptoMapEntry>> m_entries; //!< entries in ascending sequence order
};

} // namespace ns3

#endif // CRYPTO_MAP_H
