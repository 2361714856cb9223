// Copyright (c) 2026 The ns3-ipsec authors
// SPDX-License-Identifier: GPL-2.0-only

#ifndef IPSEC_STACK_H
#define IPSEC_STACK_H

#include "crypto-map.h"
#include "ipsec-key-manager.h"
#include "ipsec-sadb.h"
#include "ipsec-security-association.h"
#include "ipsec-syslog.h"

#include "ns3/event-id.h"
#include "ns3/ipv4-header.h"
#include "ns3/node.h"
#include "ns3/object.h"
#include "ns3/packet.h"
#include "ns3/traced-callback.h"

#include <cstdint>
#include <deque>
#include <map>
#include <optional>
#include <ostream>
#include <set>
#include <string>
#include <tuple>
#include <vector>

namespace ns3
{

class Ipv4Interface;
class Ipv4L3Protocol;
class IpsecNetDevice;
class IpsecL4Protocol;
class IpsecCryptoEngine;
class IpsecTunnelNetDevice;

/**
 * \ingroup ipsec
 * Why the IPsec code dropped a packet.
 */
enum class IpsecDropReason : uint8_t
{
    NO_SA,                 //!< outbound: the matching crypto map entry has no SA
    SEQUENCE_EXHAUSTED,    //!< outbound: the 32-bit sequence number would cycle
    PACKET_TOO_BIG,        //!< outbound: larger than the SA can carry (65535 bytes)
    FRAGMENTATION_NEEDED,  //!< outbound: over the MTU with DF set
    INVALID_SPI,           //!< inbound: no SA for the SPI, protocol and destination
    MALFORMED,             //!< inbound: truncated or inconsistent lengths or padding
    REPLAY_DUPLICATE,      //!< inbound: sequence number already accepted
    REPLAY_TOO_OLD,        //!< inbound: sequence number below the replay window
    AUTHENTICATION_FAILED, //!< inbound: ICV (or GCM tag) did not verify
    POLICY_MISMATCH,       //!< inbound: decrypted packet outside the SA's selectors
    UNPROTECTED,           //!< inbound: clear packet that the crypto map requires protected
    REASSEMBLY_QUEUE_FULL, //!< inbound: reassembled packet found the slow-path queue full
    CRYPTO_QUEUE_FULL,     //!< either way: the crypto engine's queue was full
};

/**
 * \ingroup ipsec
 * Which lifetime of an SA ran out.
 */
enum class IpsecLifetimeKind : uint8_t
{
    TIME,   //!< the time lifetime (seconds)
    VOLUME, //!< the volume lifetime (kilobytes)
};

/**
 * \ingroup ipsec
 * \param kind a lifetime kind
 * \return its name, "time" or "volume"
 */
const char* IpsecLifetimeKindName(IpsecLifetimeKind kind);

/**
 * \ingroup ipsec
 * Outer DF bit of tunnel-mode packets, as `crypto ipsec df-bit {clear|set|copy}` sets it.
 */
enum IpsecDfBitPolicy
{
    DF_BIT_COPY,  //!< copy the inner packet's DF bit (the IOS default)
    DF_BIT_SET,   //!< always set DF
    DF_BIT_CLEAR, //!< always clear DF
};

/**
 * \ingroup ipsec
 * Reads the fields an access list looks at from the start of an IPv4 packet.
 * \param bytes the packet, header first
 * \param length the number of bytes available (the header and 4 more give the ports)
 * \param[out] tuple the fields
 * \param[out] headerLength the IPv4 header length in bytes
 * \return false if the bytes are not a plausible IPv4 header
 */
bool ReadIpv4FlowTuple(const uint8_t* bytes,
                       uint32_t length,
                       Ipv4FlowTuple& tuple,
                       uint32_t& headerLength);

/**
 * \ingroup ipsec
 * \param reason a drop reason
 * \return its name, e.g. "replay-duplicate"
 */
const char* IpsecDropReasonName(IpsecDropReason reason);

/**
 * \ingroup ipsec
 * The IPsec stack of one node: configuration, SADB, ESP and AH processing, traces, log
 * and `show` commands.
 *
 * The stack is aggregated to a node by IpsecHelper. It registers ESP (50) and AH (51)
 * handlers with the node's Ipv4L3Protocol, so inbound IPsec packets addressed to the node
 * reach it after IPv4 reassembly. Outbound packets reach it from an IpsecNetDevice, the
 * device that carries a crypto map on one interface.
 *
 * Packet path, outbound: IpsecNetDevice::Send finds the crypto map entry and calls
 * Protect(), which applies ESP then AH in one scratch buffer and returns the outer packet
 * with its IPv4 header. The device fragments it if needed and queues it on the lower
 * device. Inbound: IpsecL4Protocol hands the reassembled payload to ReceiveEsp() or
 * ReceiveAh(), which find the SA by SPI, check the replay window, verify, decrypt, update
 * the window, check the inner packet against the SA's selectors, and re-inject the inner
 * packet into Ipv4L3Protocol as if it had arrived on the same interface. A packet that
 * fails the selector check was authentic, so its sequence number stays used.
 *
 * SA sets: the SAs negotiated together (the inbound SAs and the outbound bundle of one
 * crypto map entry, peer and traffic class) form a set that lives and dies as a whole.
 * A key manager (IKE) installs sets with InstallSas; manual keying makes one set per
 * traffic class. Every SA reserves a place on the crypto engine (SaCapacity), released
 * when its set goes.
 *
 * Lifetimes apply to sets installed with InstallSas, because manually keyed SAs never
 * expire on IOS. A set expires when the first of its SAs reaches its time lifetime, counted
 * from the SA's creation, or its volume lifetime. The volume counts the protected payload
 * without ESP or AH overhead (IpsecSecurityAssociation::AddBytes). Time expiry uses one scheduled
 * event per set; volume expiry is one compare per packet. The packet that reaches the volume
 * lifetime is still processed, then the set is deleted. Before that, at the soft lifetime
 * (SoftLifetimeMargin before the time lifetime, or SoftVolumeFraction of the volume
 * lifetime), a set that carried traffic is reported once to the key manager
 * (IpsecKeyManager::SoftExpired), so it can negotiate a replacement. The replaced
 * outbound bundle carries no more traffic; its inbound SAs keep receiving until the old
 * set expires, so the switch-over loses no packet.
 *
 * Idle timer: with an idle time (the entry's, else the global one) a set that carried no
 * packet in either direction for that long is deleted. One event per set is armed for the
 * idle time after the set's last packet; when it fires early because packets came since,
 * it re-arms itself for the idle time after the latest packet. The deletion therefore
 * happens exactly the idle time after the last packet, at the simulator's time
 * resolution, with no per-packet event.
 *
 * Reboot: Reboot() takes the node off the network for the boot time, by setting its IPv4
 * interfaces down directly (not through Ipv4L3Protocol::SetDown, whose routing
 * notification would make static routing delete the routes), and drops all IPsec state.
 * The configuration stays, and manually keyed SAs are installed again when the boot ends.
 */
class IpsecStack : public Object
{
  public:
    /**
     * \brief Get the type ID.
     * \return the object TypeId
     */
    static TypeId GetTypeId();
    IpsecStack();
    ~IpsecStack() override;

    /**
     * TracedCallback signature for protected and unprotected packets.
     * \param packet the packet: the outer packet after encryption, the inner packet after
     *        decryption
     * \param sa the SA used (the ESP SA of a bundle if there is one)
     */
    typedef void (*PacketSaTracedCallback)(Ptr<const Packet> packet,
                                           Ptr<const IpsecSecurityAssociation> sa);

    /**
     * TracedCallback signature for drops.
     * \param packet the packet as it was when dropped
     * \param reason why it was dropped
     * \param sa the SA involved, or nullptr if none was found
     */
    typedef void (*DropTracedCallback)(Ptr<const Packet> packet,
                                       IpsecDropReason reason,
                                       Ptr<const IpsecSecurityAssociation> sa);

    /**
     * TracedCallback signature for replay drops.
     * \param packet the packet as received
     * \param sa the inbound SA
     * \param sequence the packet's full sequence number
     * \param top the highest sequence number accepted so far (the window top)
     * \param reason REPLAY_DUPLICATE or REPLAY_TOO_OLD
     */
    typedef void (*ReplayDropTracedCallback)(Ptr<const Packet> packet,
                                             Ptr<const IpsecSecurityAssociation> sa,
                                             uint64_t sequence,
                                             uint64_t top,
                                             IpsecDropReason reason);

    /**
     * TracedCallback signature for SA deletions.
     * \param sa the deleted SA
     * \param reason why it was deleted
     */
    typedef void (*SaDeletedTracedCallback)(Ptr<const IpsecSecurityAssociation> sa,
                                            IpsecSaDeleteReason reason);

    /**
     * TracedCallback signature for soft and hard lifetime expiry.
     * \param sa the SA whose lifetime ran out
     * \param kind the time or the volume lifetime
     */
    typedef void (*SaExpiredTracedCallback)(Ptr<const IpsecSecurityAssociation> sa,
                                            IpsecLifetimeKind kind);

    /**
     * TracedCallback signature for SA sets rejected because the crypto engine is full.
     * \param peer the peer of the rejected set
     * \param requested the SAs the set needed
     * \param capacity the engine's SaCapacity
     */
    typedef void (*SaCapacityTracedCallback)(Ipv4Address peer,
                                             uint32_t requested,
                                             uint32_t capacity);

    /**
     * TracedCallback signature for reboot start and end.
     * \param bootTime the time the node is off the network
     */
    typedef void (*RebootTracedCallback)(Time bootTime);

    /**
     * Attaches the stack to a node: aggregates it and registers the ESP and AH handlers.
     * The node must already have an Ipv4L3Protocol (InternetStackHelper::Install).
     * \param node the node
     */
    void Install(Ptr<Node> node);
    /// \return the node
    Ptr<Node> GetNode() const;
    /// \return the SADB
    Ptr<IpsecSadb> GetSadb() const;
    /// \return the router log
    Ptr<IpsecSyslog> GetSyslog() const;

    /// \return the node's crypto engine
    Ptr<IpsecCryptoEngine> GetCryptoEngine() const;

    /// \return true in modelled-crypto mode
    bool IsModelledCrypto() const;

    /**
     * Registers an IPsec device of this node (done by IpsecNetDevice::SetNode).
     * \param device the device
     */
    void AddDevice(Ptr<IpsecNetDevice> device);
    /// \return the IPsec devices of this node
    const std::vector<Ptr<IpsecNetDevice>>& GetDevices() const;

    /**
     * Creates the SAs of a manually keyed crypto map entry (`ipsec-manual`) and installs
     * them: inbound SAs in the SADB, the outbound bundle for the entry's first peer.
     * \param cryptoMap the crypto map
     * \param entry the entry; must pass CryptoMapEntry::Validate()
     * Each traffic class's SAs form a set that reserves crypto engine capacity; a set the
     * engine has no room for is not installed (see InstallSas).
     * \param localAddress the local tunnel endpoint (the crypto map interface's address)
     * \return false if the crypto engine had no room for some of the SAs
     */
    bool InstallManualSas(Ptr<CryptoMap> cryptoMap,
                          Ptr<CryptoMapEntry> entry,
                          Ipv4Address localAddress);

    /**
     * Sets the key manager (IKE) that the stack requests SAs from and notifies of expired,
     * deleted and unknown SAs.
     * \param keyManager the key manager, or nullptr for none (NO_SA packets are dropped)
     */
    void SetKeyManager(Ptr<IpsecKeyManager> keyManager);
    /// \return the key manager, or nullptr
    Ptr<IpsecKeyManager> GetKeyManager() const;

    /**
     * Installs one negotiated SA set, or one half of it.
     *
     * The inbound SAs go into the SADB. The outbound bundle becomes the entry's bundle for
     * the peer and traffic class. A bundle it replaces carries no more traffic but stays,
     * with its set, until that set's lifetime ends. Either part may be missing: a responder
     * installs the inbound SAs first and the outbound bundle one message later. A call with
     * only one part completes the set of the same entry, peer and class that lacks that part,
     * if there is one; otherwise it starts a new set.
     *
     * Every SA reserves a place on the crypto engine of the crypto map's interface (AH and
     * ESP count one each). If the engine lacks room for all of them, nothing is installed:
     * the stack logs `%CRYPTO-4-SA_CAPACITY` (a message of this module, not of IOS), counts
     * and traces the rejection and returns false.
     *
     * Starts the set's lifetime and idle timers when it gets its first SAs.
     *
     * \param cryptoMap the crypto map
     * \param entry the crypto map entry
     * \param peer the peer address
     * \param trafficClass the traffic class (SEPARATE_SAS mode), else 0
     * \param inbound the inbound SAs (from CreateSa), possibly none
     * \param outbound the outbound bundle, or nullptr
     * \return false if the crypto engine had no room and nothing was installed
     */
    bool InstallSas(Ptr<CryptoMap> cryptoMap,
                    Ptr<CryptoMapEntry> entry,
                    Ipv4Address peer,
                    uint32_t trafficClass,
                    const std::vector<Ptr<IpsecSecurityAssociation>>& inbound,
                    Ptr<IpsecSaBundle> outbound);

    /**
     * Deletes an SA and the others of its set (an outbound bundle with its inbound
     * partners), cancels their timers and releases their crypto engine capacity. Tells the
     * key manager (IpsecKeyManager::SasDeleted) unless the reason is PEER_DELETE, PEER_DEAD
     * or REBOOT, or the set was manually keyed. An SA in no set is only removed.
     * \param sa the SA
     * \param reason why it is deleted
     */
    void DeleteSa(Ptr<IpsecSecurityAssociation> sa, IpsecSaDeleteReason reason);

    /**
     * Deletes every SA set with a peer, as DeleteSa does for each.
     * \param peer the peer address
     * \param reason why they are deleted
     */
    void DeleteSasOfPeer(Ipv4Address peer, IpsecSaDeleteReason reason);

    /**
     * Finds an outbound SA, the current one or one replaced by a rekey.
     * \param spi the SPI
     * \param protocol ESP or AH
     * \param peer the peer address
     * \return the SA, or nullptr
     */
    Ptr<IpsecSecurityAssociation> FindOutboundSa(uint32_t spi,
                                                 IpsecProtocol protocol,
                                                 Ipv4Address peer) const;

    /// \return the global time lifetime (`crypto ipsec security-association lifetime seconds`)
    Time GetLifetime() const;
    /// \return the global volume lifetime in kilobytes
    uint64_t GetLifetimeKilobytes() const;
    /**
     * Sets the global time lifetime of SAs created afterwards.
     * \param lifetime 120 to 86400 s
     * \return an empty string on success, else the reason (and nothing changes)
     */
    std::string SetLifetime(Time lifetime);
    /**
     * Sets the global volume lifetime of SAs created afterwards.
     * \param kilobytes 2560 to 4294967295 kilobytes (1024 bytes)
     * \return an empty string on success, else the reason (and nothing changes)
     */
    std::string SetLifetimeKilobytes(uint64_t kilobytes);

    /**
     * Sets the global idle time (`crypto ipsec security-association idle-time`) of SA sets
     * installed afterwards. A crypto map entry's own idle time takes precedence.
     * \param idleTime 60 to 86400 s
     * \return an empty string on success, else the reason (and nothing changes)
     */
    std::string SetIdleTime(Time idleTime);
    /// Removes the global idle time (`no crypto ipsec security-association idle-time`).
    void ClearIdleTime();
    /// \return the global idle time, if configured
    std::optional<Time> GetIdleTime() const;

    /**
     * Reboots the node: for bootTime it sends and receives nothing on any interface but the
     * loopback, and every SA, pending crypto engine packet and key manager state
     * (IpsecKeyManager::Reset) is dropped at once, without IpsecKeyManager::SasDeleted.
     * Crypto maps, access lists, policies, routes and attributes stay. When the boot ends,
     * the interfaces come back up and manually keyed SAs are installed again.
     *
     * NOTE: the inbound SAs of virtual tunnel interfaces are dropped but not installed
     * again, because IpsecHelper::CreateTunnelInterfaces keeps no copy of their keys.
     * \param bootTime the time the node is off the network
     */
    void Reboot(Time bootTime);
    /// \return true while the node is rebooting
    bool IsRebooting() const;

    /**
     * \param kind the time or the volume lifetime
     * \return how many SA sets expired because of it
     */
    uint64_t GetExpiredCount(IpsecLifetimeKind kind) const;
    /// \return how many SA sets were reported to the key manager at their soft lifetime
    uint64_t GetSoftExpiredCount() const;
    /**
     * \param reason a delete reason
     * \return how many SAs were deleted for it
     */
    uint64_t GetDeletedCount(IpsecSaDeleteReason reason) const;
    /// \return how many SA sets the crypto engine had no room for
    uint64_t GetCapacityRejectedCount() const;
    /// \return the number of SA sets (complete or waiting for their other half)
    uint32_t GetSaSetCount() const;

    /**
     * Creates one SA with this node's settings (modelled crypto, replay window, lifetimes)
     * and the entry's overrides; the call a key manager such as IKE makes.
     * \param direction inbound or outbound
     * \param protocol ESP or AH
     * \param spi the SPI
     * \param transformSet the negotiated transform set
     * \param encryptionKey the ESP encryption key
     * \param integrityKey the integrity key
     * \param localAddress the local tunnel endpoint
     * \param peerAddress the peer
     * \param cryptoMap the crypto map
     * \param entry the crypto map entry
     * \return the SA, not yet in the SADB
     */
    Ptr<IpsecSecurityAssociation> CreateSa(IpsecDirection direction,
                                           IpsecProtocol protocol,
                                           uint32_t spi,
                                           const IpsecTransformSet& transformSet,
                                           const std::vector<uint8_t>& encryptionKey,
                                           const std::vector<uint8_t>& integrityKey,
                                           Ipv4Address localAddress,
                                           Ipv4Address peerAddress,
                                           Ptr<const CryptoMap> cryptoMap,
                                           Ptr<const CryptoMapEntry> entry);

    /**
     * Sets the global replay window size
     * (`crypto ipsec security-association replay window-size N`). Applies to SAs created
     * afterwards. Rejected if the global scope already disables replay checking.
     * \param size the window size in packets (1 to 2^31)
     * \return an empty string on success, else the reason (and nothing changes)
     */
    std::string SetGlobalReplayWindowSize(uint32_t size);
    /**
     * Disables replay checking globally (`crypto ipsec security-association replay
     * disable`). Rejected if the global scope already sets a window size.
     * \return an empty string on success, else the reason (and nothing changes)
     */
    std::string SetGlobalReplayDisable();

    /**
     * Resolves the replay settings of a new SA: the entry's own, else the global ones,
     * else a window of 64 packets.
     * \param entry the crypto map entry, or nullptr
     * \param[out] size the window size
     * \param[out] enabled false if replay checking is disabled
     */
    void ResolveReplaySettings(Ptr<const CryptoMapEntry> entry,
                               uint32_t& size,
                               bool& enabled) const;

    /**
     * Protects an outbound packet with an SA bundle.
     *
     * Builds ESP (then AH if the bundle has it) around the packet in tunnel or transport
     * mode and returns the outer payload and header. Drops are traced and counted here.
     *
     * \param bundle the outbound SAs
     * \param packet the packet, IPv4 header included
     * \param[out] outerHeader the IPv4 header of the protected packet
     * \param space the sequence-number space (traffic class) of SAs that split their
     *        sequence numbers, else 0
     * \return the protected payload (without outerHeader), or nullptr if dropped
     */
    Ptr<Packet> Protect(Ptr<IpsecSaBundle> bundle,
                        Ptr<const Packet> packet,
                        Ipv4Header& outerHeader,
                        uint32_t space = 0);

    /**
     * Processes an inbound ESP or AH packet after IPv4 reassembly.
     * \param protocol ESP or AH
     * \param packet the payload after the outer IPv4 header
     * \param outerHeader the outer IPv4 header
     * \param incomingInterface the interface it arrived on
     */
    void Receive(IpsecProtocol protocol,
                 Ptr<Packet> packet,
                 const Ipv4Header& outerHeader,
                 Ptr<Ipv4Interface> incomingInterface);

    /// \return the global df-bit policy (`crypto ipsec df-bit`)
    IpsecDfBitPolicy GetDfBitPolicy() const;
    /// \return true if pre-fragmentation (fragmentation before encryption) is on globally
    bool IsPreFragmentationEnabled() const;

    /**
     * Notes that an outer ESP or AH fragment addressed to this node arrived, so the packet
     * it belongs to takes the slow path once IPv4 has reassembled it.
     * \param source the outer source address
     * \param identification the outer IPv4 identification
     * \param protocol ESP or AH
     */
    void NotifyOuterFragment(Ipv4Address source, uint16_t identification, uint8_t protocol);
    /// \return the number of IPsec packets this node reassembled before decrypting
    uint64_t GetReassembledCount() const;

    /**
     * Reports a drop: the Drop trace source and the node's counter for the reason. Log lines
     * for replay failures and invalid SPIs are written where those are detected.
     * \param packet the packet
     * \param reason the reason
     * \param sa the SA involved, or nullptr
     */
    void NotifyDrop(Ptr<const Packet> packet,
                    IpsecDropReason reason,
                    Ptr<const IpsecSecurityAssociation> sa);

    /**
     * \param reason a drop reason
     * \return how many packets this node dropped for it
     */
    uint64_t GetDropCount(IpsecDropReason reason) const;

    /**
     * Prints `show crypto ipsec sa` from live state, laid out as IOS does.
     * \param os the output stream
     */
    void ShowCryptoIpsecSa(std::ostream& os) const;

    /**
     * Writes the ESP SAs of this node in Wireshark's `esp_sa` format, one SA per line:
     * "IPv4","source","destination","0xSPI","encryption","0xkey","authentication","0xkey".
     * \param os the output stream
     */
    void WriteWiresharkEspSa(std::ostream& os) const;

    /**
     * Writes one ESP SA as a line of Wireshark's `esp_sa` format. AH SAs and modelled SAs
     * write nothing, because Wireshark could not decrypt their packets.
     * \param os the output stream
     * \param sa the SA
     */
    static void WriteWiresharkEspSa(std::ostream& os, Ptr<const IpsecSecurityAssociation> sa);

    /**
     * Deletes every IPsec SA of the node (`clear crypto sa`): each set through DeleteSa with
     * reason CLEARED, so the key manager can tell the peers.
     */
    void ClearSas();

  protected:
    void DoDispose() override;

  private:
    /// Outcome of inbound processing of one protection layer.
    struct InboundResult;

    /// The SAs negotiated together and their timers.
    struct SaSet
    {
        Ptr<CryptoMap> cryptoMap;                           //!< the crypto map
        Ptr<CryptoMapEntry> entry;                          //!< the crypto map entry
        Ipv4Address peer;                                   //!< the peer
        uint32_t trafficClass{0};                           //!< the traffic class
        std::vector<Ptr<IpsecSecurityAssociation>> inbound; //!< inbound SAs
        Ptr<IpsecSaBundle> outbound;                        //!< outbound bundle, or nullptr
        Ptr<IpsecCryptoEngine> engine;                      //!< engine holding the capacity
        uint32_t reserved{0};                               //!< places reserved on the engine
        bool manual{false};                                 //!< manually keyed: never expires
        bool softDone{false};                               //!< soft lifetime handled
        std::optional<Time> idleTime;                       //!< idle time, if any
        EventId lifetimeEvent;                              //!< next soft or hard expiry
        EventId idleEvent;                                  //!< next idle check
    };

    /// Key of a set waiting for its other half: crypto map entry, peer and traffic class.
    typedef std::tuple<const CryptoMapEntry*, uint32_t, uint32_t> PendingKey;

    /**
     * \param set an SA set
     * \return its SAs, inbound first
     */
    static std::vector<Ptr<IpsecSecurityAssociation>> GetMembers(const SaSet& set);

    /**
     * \param cryptoMap a crypto map
     * \return the crypto engine of the interface carrying it, else the node's
     */
    Ptr<IpsecCryptoEngine> FindEngine(Ptr<const CryptoMap> cryptoMap) const;

    /**
     * Reserves crypto engine room for SAs, or logs, counts and traces the rejection.
     * \param engine the engine
     * \param count the SAs
     * \param peer the peer, for the log line
     * \return false if the engine had no room
     */
    bool ReserveCapacity(Ptr<IpsecCryptoEngine> engine, uint32_t count, Ipv4Address peer);

    /**
     * Arms the set's lifetime event (soft then hard) and volume marks, and its idle event.
     * \param id the set id
     */
    void StartTimers(uint32_t id);

    /**
     * Handles the lifetime event of a set: the soft lifetime, then the hard one.
     * \param id the set id
     */
    void HandleLifetimeEvent(uint32_t id);

    /**
     * Handles the idle event of a set: deletes the set or re-arms the event.
     * \param id the set id
     */
    void HandleIdleEvent(uint32_t id);

    /**
     * Handles an SA whose byte count reached its volume mark: soft or hard volume lifetime.
     * \param sa the SA
     */
    void HandleVolumeMark(Ptr<IpsecSecurityAssociation> sa);

    /**
     * Reports a set's soft lifetime to the key manager if the set carried traffic.
     * \param set the set
     * \param kind the lifetime that reached its soft value
     * \param sa the SA that reached it, or nullptr to choose the set's busiest direction
     */
    void ReportSoftExpiry(SaSet& set, IpsecLifetimeKind kind, Ptr<IpsecSecurityAssociation> sa);

    /**
     * Expires a set at its hard lifetime.
     * \param id the set id
     * \param kind the lifetime that ran out
     * \param sa the SA that reached it
     */
    void ExpireSet(uint32_t id, IpsecLifetimeKind kind, Ptr<IpsecSecurityAssociation> sa);

    /**
     * Removes a set: SADB, timers, crypto engine capacity, traces, and the key manager.
     * \param id the set id
     * \param reason why
     */
    void RemoveSet(uint32_t id, IpsecSaDeleteReason reason);

    /**
     * Reports the first outbound packet after IpsecSecurityAssociation::WatchSend.
     * \param bundle the bundle that protected the packet
     */
    void ReportSendObserved(Ptr<IpsecSaBundle> bundle);

    /// Ends a reboot: interfaces up, manually keyed SAs installed again.
    void EndReboot();

    /**
     * Hands an inbound packet to the crypto engine, which processes it now when it is off.
     * \param protocol ESP or AH
     * \param packet the payload after the outer IPv4 header
     * \param outerHeader the outer IPv4 header
     * \param incomingInterface the interface it arrived on
     */
    void SubmitToEngine(IpsecProtocol protocol,
                        Ptr<Packet> packet,
                        const Ipv4Header& outerHeader,
                        Ptr<Ipv4Interface> incomingInterface);

    /**
     * Processes an inbound ESP or AH packet now (the fast path, or the end of the slow one).
     * \param protocol ESP or AH
     * \param packet the payload after the outer IPv4 header
     * \param outerHeader the outer IPv4 header
     * \param incomingInterface the interface it arrived on
     */
    void ReceiveNow(IpsecProtocol protocol,
                    Ptr<Packet> packet,
                    Ipv4Header outerHeader,
                    Ptr<Ipv4Interface> incomingInterface);

    /**
     * Processes an ESP packet held in the scratch buffer.
     * \param offset where the ESP header starts in the scratch buffer
     * \param length the ESP packet length
     * \param outerHeader the outer IPv4 header
     * \param incomingInterface the interface it arrived on
     * \param packet the received packet, for traces
     * \param ahSa the AH SA that verified the packet first (AH+ESP bundle), or nullptr
     */
    void ReceiveEspAt(uint32_t offset,
                      uint32_t length,
                      const Ipv4Header& outerHeader,
                      Ptr<Ipv4Interface> incomingInterface,
                      Ptr<const Packet> packet,
                      Ptr<IpsecSecurityAssociation> ahSa);

    /**
     * Processes an AH packet held in the scratch buffer.
     * \param offset where the AH header starts
     * \param length the AH packet length
     * \param outerHeader the outer IPv4 header
     * \param incomingInterface the interface it arrived on
     * \param packet the received packet, for traces
     */
    void ReceiveAhAt(uint32_t offset,
                     uint32_t length,
                     const Ipv4Header& outerHeader,
                     Ptr<Ipv4Interface> incomingInterface,
                     Ptr<const Packet> packet);

    /**
     * Hands the protected payload of a verified packet up: tunnel mode re-injects the
     * inner IPv4 packet, transport mode rebuilds the original packet.
     * \param sa the innermost SA
     * \param ahSa the AH SA applied before an inner ESP SA, or nullptr
     * \param nextHeader the protocol of the payload
     * \param offset where the payload starts in the scratch buffer
     * \param length the payload length
     * \param outerHeader the outer IPv4 header
     * \param incomingInterface the interface it arrived on
     * \param packet the received packet, for traces
     */
    void Deliver(Ptr<IpsecSecurityAssociation> sa,
                 Ptr<IpsecSecurityAssociation> ahSa,
                 uint8_t nextHeader,
                 uint32_t offset,
                 uint32_t length,
                 const Ipv4Header& outerHeader,
                 Ptr<Ipv4Interface> incomingInterface,
                 Ptr<const Packet> packet);

    /**
     * Checks the replay window before verification; traces, counts and logs a drop.
     * \param sa the inbound SA
     * \param low the sequence number field
     * \param packet the packet, for traces
     * \param[out] sequence the inferred full sequence number
     * \param[out] space the sequence-number space of the packet
     * \return true if the packet may proceed
     */
    bool CheckReplay(Ptr<IpsecSecurityAssociation> sa,
                     uint32_t low,
                     Ptr<const Packet> packet,
                     uint64_t& sequence,
                     uint32_t& space);

    /**
     * Reports an inbound packet with an unknown SPI (log line, counter, trace).
     * \param packet the packet
     * \param outerHeader its outer IPv4 header
     * \param protocol ESP or AH
     * \param spi the unknown SPI
     */
    void NotifyInvalidSpi(Ptr<const Packet> packet,
                          const Ipv4Header& outerHeader,
                          IpsecProtocol protocol,
                          uint32_t spi);

    /**
     * Writes the AH ICV input's IPv4 header, with the mutable fields zeroed
     * (RFC 4302 section 3.3.3.1.1.1).
     * \param header the outer header
     * \param totalLength the outer packet's total length
     * \param[out] bytes 20 bytes
     */
    static void WriteAhPseudoHeader(const Ipv4Header& header, uint16_t totalLength, uint8_t* bytes);

    /// Sets the ReplayWindowSize attribute; aborts on a conflict.
    void SetReplayWindowSizeAttribute(uint32_t size);
    /// \return the ReplayWindowSize attribute (0 if not configured)
    uint32_t GetReplayWindowSizeAttribute() const;
    /// Sets the ReplayDisable attribute; aborts on a conflict.
    void SetReplayDisableAttribute(bool disable);
    /// \return the ReplayDisable attribute
    bool GetReplayDisableAttribute() const;

    /**
     * Prints the `show crypto ipsec sa` block of a virtual tunnel interface.
     * \param os the output stream
     * \param tunnel the tunnel interface
     */
    void ShowTunnel(std::ostream& os, Ptr<IpsecTunnelNetDevice> tunnel) const;

    /**
     * Prints the SAs of one direction and protocol for `show crypto ipsec sa`.
     * \param os the output stream
     * \param sas the SAs
     */
    void ShowSaList(std::ostream& os, const std::vector<Ptr<IpsecSecurityAssociation>>& sas) const;

    Ptr<Node> m_node;                                  //!< the node
    Ptr<Ipv4L3Protocol> m_ipv4;                        //!< the node's IPv4
    Ptr<IpsecSadb> m_sadb;                             //!< security association database
    Ptr<IpsecSyslog> m_syslog;                         //!< router log
    Ptr<IpsecCryptoEngine> m_cryptoEngine;             //!< crypto engine
    Ptr<IpsecL4Protocol> m_espProtocol;                //!< ESP handler registered with IPv4
    Ptr<IpsecL4Protocol> m_ahProtocol;                 //!< AH handler registered with IPv4
    std::vector<Ptr<IpsecNetDevice>> m_devices;        //!< IPsec devices of this node
    bool m_modelledCrypto;                             //!< modelled-crypto mode
    uint32_t m_replayWindowSize;                       //!< global replay window size
    bool m_replayWindowSizeSet;                        //!< global window size configured
    bool m_replayDisabled;                             //!< global replay disable
    Time m_lifetime;                                   //!< global SA time lifetime
    uint64_t m_lifetimeKilobytes;                      //!< global SA volume lifetime
    uint8_t m_outerTtl;                                //!< TTL of tunnel-mode outer headers
    IpsecDfBitPolicy m_dfBit;                          //!< global df-bit policy
    bool m_preFragmentation;                           //!< global pre-fragmentation
    Time m_reassemblyDelay;                            //!< slow-path time per reassembled packet
    uint32_t m_reassemblyQueueLimit;                   //!< slow-path queue size in packets
    Time m_slowPathFreeAt;                             //!< when the slow path finishes its queue
    uint32_t m_slowPathQueued;                         //!< packets waiting on the slow path
    uint64_t m_reassembled;                            //!< packets reassembled before decryption
    std::set<uint64_t> m_fragmentedOuter;              //!< outer packets seen as fragments
    std::deque<uint64_t> m_fragmentedOrder;            //!< the same, oldest first, for eviction
    uint16_t m_identification;                         //!< next outer IPv4 identification
    uint32_t m_nextConnectionId;                       //!< next connection id
    uint32_t m_nextFlowId;                             //!< next flow id
    std::vector<uint8_t> m_scratch;                    //!< per-packet work buffer, reused
    std::map<IpsecDropReason, uint64_t> m_drops;       //!< drops per reason
    Ptr<IpsecKeyManager> m_keyManager;                 //!< key manager, or nullptr
    std::map<uint32_t, SaSet> m_sets;                  //!< SA sets by id
    std::map<PendingKey, uint32_t> m_pendingSets;      //!< sets waiting for their other half
    uint32_t m_nextSetId;                              //!< id of the next set (0 means none)
    std::optional<Time> m_idleTime;                    //!< global idle time
    Time m_softLifetimeMargin;                         //!< soft time lifetime before the hard one
    double m_softVolumeFraction;                       //!< soft volume lifetime, share of the hard
    uint64_t m_expired[2];                             //!< sets expired: [0] time, [1] volume
    uint64_t m_softExpired;                            //!< sets reported at their soft lifetime
    std::map<IpsecSaDeleteReason, uint64_t> m_deleted; //!< SAs deleted per reason
    uint64_t m_capacityRejected;                       //!< sets the crypto engine had no room for
    bool m_rebooting;                                  //!< the node is rebooting
    uint32_t m_bootCount;                              //!< reboots so far; stale events check it
    Time m_bootTime;                                   //!< length of the current reboot
    EventId m_rebootEndEvent;                          //!< end of the current reboot
    std::vector<Ptr<Ipv4Interface>> m_downInterfaces;  //!< interfaces the reboot set down
    TracedCallback<Ptr<const IpsecSecurityAssociation>, IpsecSaDeleteReason>
        m_saDeletedTrace; //!< SA deleted
    TracedCallback<Ptr<const IpsecSecurityAssociation>, IpsecLifetimeKind>
        m_saExpiredTrace; //!< hard lifetime reached
    TracedCallback<Ptr<const IpsecSecurityAssociation>, IpsecLifetimeKind>
        m_softExpiredTrace; //!< soft lifetime reached while in use
    TracedCallback<Ipv4Address, uint32_t, uint32_t> m_capacityTrace; //!< set rejected, engine full
    TracedCallback<Time> m_rebootStartTrace;                         //!< reboot started
    TracedCallback<Time> m_rebootEndTrace;                           //!< reboot ended
    TracedCallback<Ptr<const Packet>, Ptr<const IpsecSecurityAssociation>>
        m_encryptTrace; //!< protected
    TracedCallback<Ptr<const Packet>, Ptr<const IpsecSecurityAssociation>>
        m_decryptTrace; //!< unprotected
    TracedCallback<Ptr<const Packet>, IpsecDropReason, Ptr<const IpsecSecurityAssociation>>
        m_dropTrace; //!< every drop
    TracedCallback<Ptr<const Packet>,
                   Ptr<const IpsecSecurityAssociation>,
                   uint64_t,
                   uint64_t,
                   IpsecDropReason>
        m_replayDropTrace; //!< replay drops with sequence number and window top
};

} // namespace ns3

#endif // IPSEC_STACK_H
