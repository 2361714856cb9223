// Copyright (c) 2026 The ns3-ipsec authors
// SPDX-License-Identifier: GPL-2.0-only

#ifndef IKE_DAEMON_H
#define IKE_DAEMON_H

#include "crypto-map.h"
#include "ike-sa.h"
#include "ipsec-key-manager.h"
#include "isakmp-header.h"
#include "isakmp-policy.h"

#include "ns3/event-id.h"
#include "ns3/ipv4-address.h"
#include "ns3/node.h"
#include "ns3/nstime.h"
#include "ns3/packet.h"
#include "ns3/random-variable-stream.h"
#include "ns3/socket.h"
#include "ns3/traced-callback.h"

#include <cstdint>
#include <map>
#include <optional>
#include <ostream>
#include <set>
#include <string>
#include <tuple>
#include <vector>

namespace ns3
{

class IpsecStack;
class IpsecNetDevice;

/**
 * \ingroup ipsec
 * Why an IKE exchange failed.
 */
enum class IkeFailure : uint8_t
{
    NO_PRESHARED_KEY,   //!< no `crypto isakmp key` matches the peer
    NO_PHASE1_PROPOSAL, //!< no common phase 1 policy (or the peer said NO-PROPOSAL-CHOSEN)
    AUTHENTICATION,     //!< HASH_I or HASH_R did not verify (pre-shared key mismatch)
    RETRANSMIT_LIMIT,   //!< the peer did not answer within the retransmission limit
    NO_MATCHING_ENTRY,  //!< no crypto map entry mirrors the proxy identities and peer
    NO_TRANSFORM_SET,   //!< no common transform set (or the peer said NO-PROPOSAL-CHOSEN)
    ENGINE_FULL,        //!< the crypto engine had no room for the negotiated SAs
    HALF_OPEN_LIMIT,    //!< too many half-open exchanges with the peer or in total
};

/**
 * \ingroup ipsec
 * \param failure a failure kind
 * \return its name, e.g. "authentication"
 */
const char* IkeFailureName(IkeFailure failure);

/**
 * \ingroup ipsec
 * Why the IKE daemon dropped a received message.
 */
enum class IkeDropReason : uint8_t
{
    MALFORMED,      //!< the parser rejected it
    UNKNOWN_COOKIE, //!< no IKE SA has its cookies
    UNEXPECTED,     //!< not a message the IKE SA's state expects
    BAD_HASH,       //!< the HASH of a quick mode or informational message did not verify
    REJECTED,       //!< refused by a limit or a failed negotiation
};

/**
 * \ingroup ipsec
 * \param reason a drop reason
 * \return its name, e.g. "unknown-cookie"
 */
const char* IkeDropReasonName(IkeDropReason reason);

/**
 * \ingroup ipsec
 * IKEv1 (RFC 2409) with pre-shared keys: the key manager of a node's IPsec stack.
 *
 * The daemon is aggregated to the node and listens on UDP port 500. When traffic matches
 * an `ipsec-isakmp` crypto map entry without SAs, the stack calls Acquire(). The daemon then
 * runs main mode (6 messages) with the entry's current peer, unless an IKE SA to it exists,
 * and quick mode (3 messages), and installs the SAs with IpsecStack::InstallSas. The initiator
 * installs inbound and outbound SAs when QM2 arrives and then sends QM3; the responder
 * installs its inbound SAs when it sends QM2 and its outbound bundle when QM3 arrives.
 *
 * Cryptography:
 * - Diffie-Hellman is modelled. The KE payload carries as many random bytes (from the
 *   daemon's random stream) as the group's modulus, and the shared secret g^xy is
 *   SHA-256(counter | KEi | KEr) expanded to the modulus size. Both sides agree on it, but
 *   anyone who captures the two KE payloads can compute it, so it is not secret.
 * - Everything above it is RFC 2409 section 5 with HMAC from OpenSSL: SKEYID =
 *   prf(pre-shared key, Ni_b | Nr_b), SKEYID_d, SKEYID_a, SKEYID_e, HASH_I and HASH_R,
 *   quick mode HASH(1), HASH(2), HASH(3), informational HASH(1), and KEYMAT =
 *   prf(SKEYID_d, protocol | SPI | Ni_b | Nr_b) expanded. A wrong pre-shared key therefore
 *   fails authentication in MM5, and the IPsec keys are real keys both peers agree on.
 * - Messages 5 and 6, quick mode and informational messages have the encrypted flag set
 *   and are padded to the cipher block size, so their sizes are real, but their payloads
 *   travel in clear (the encryption with SKEYID_e is not performed).
 *
 * Processing delays: DiffieHellmanDelay is charged once per side, for the shared secret
 * (responder between MM3 and MM4, initiator between MM4 and MM5). AuthenticationDelay is
 * charged for computing HASH_I (initiator, before MM5) and HASH_R (responder, before MM6).
 *
 * Retransmission: the sender of a message that expects an answer (MM1..MM5 and QM1, QM2)
 * sends it again after RetransmitInterval, multiplied by RetransmitBackoff after each
 * attempt, and gives up after RetransmitLimit retransmissions. A duplicate of the last
 * message received is answered with the last message sent.
 *
 * IKE SA lifetime: the agreed policy lifetime, counted from QM_IDLE. When it ends the IKE SA
 * is deleted (with a DELETE to the peer) and the IPsec SAs live on; a new IKE SA is made
 * when an exchange next needs one (rekey, INVALID_SPI recovery, new traffic). A deleted IKE
 * SA stays in `show crypto isakmp sa` as MM_NO_STATE "(deleted)" for DeletedHoldTime.
 *
 * Hooks for dead peer detection and INVALID_SPI recovery, which are built on top:
 * the NotifyReceived trace source (every authenticated notification), SendNotify(),
 * StartMainMode() (an IKE SA without traffic), GetIkeSas() and FindIkeSa(), and the
 * vendor IDs: AddLocalVendorId() to announce one in main mode, IkeSa::GetPeerVendorIds()
 * for the peer's.
 *
 * Traffic classes (SEPARATE_SAS): the class index travels in a private-use phase 2
 * attribute (type 32001, RFC 2407 section 4.5 reserves 32001..32767 for private use) so that
 * the responder installs the bundle for the same class.
 */
class IkeDaemon : public IpsecKeyManager
{
  public:
    /**
     * \brief Get the type ID.
     * \return the object TypeId
     */
    static TypeId GetTypeId();
    IkeDaemon();
    ~IkeDaemon() override;

    /// UDP port of ISAKMP.
    static constexpr uint16_t ISAKMP_PORT = 500;
    /// Private-use phase 2 attribute carrying the traffic class.
    static constexpr uint16_t TRAFFIC_CLASS_ATTRIBUTE = 32001;

    /**
     * TracedCallback signature for IKE SA state changes.
     * \param sa the IKE SA
     * \param oldState the state before
     * \param newState the state after
     * \param deleted true if the change deletes the SA
     */
    typedef void (*StateTracedCallback)(Ptr<const IkeSa> sa,
                                        IkeSaState oldState,
                                        IkeSaState newState,
                                        bool deleted);
    /**
     * TracedCallback signature for failed exchanges.
     * \param peer the peer address
     * \param failure why it failed
     */
    typedef void (*FailureTracedCallback)(Ipv4Address peer, IkeFailure failure);
    /**
     * TracedCallback signature for ISAKMP messages sent or received.
     * \param packet the UDP payload
     * \param peer the peer address
     */
    typedef void (*MessageTracedCallback)(Ptr<const Packet> packet, Ipv4Address peer);
    /**
     * TracedCallback signature for retransmissions.
     * \param peer the peer address
     * \param attempt the retransmission number, from 1
     */
    typedef void (*RetransmitTracedCallback)(Ipv4Address peer, uint32_t attempt);
    /**
     * TracedCallback signature for dropped messages.
     * \param packet the UDP payload
     * \param source the sender
     * \param reason why it was dropped
     */
    typedef void (*DropTracedCallback)(Ptr<const Packet> packet,
                                       Ipv4Address source,
                                       IkeDropReason reason);
    /**
     * TracedCallback signature for authenticated notifications received.
     * \param sa the IKE SA they came over
     * \param notify the notification payload (type, protocol, SPI, data)
     */
    typedef void (*NotifyTracedCallback)(Ptr<IkeSa> sa, const IsakmpPayload& notify);
    /**
     * TracedCallback signature for inbound packets with an unknown SPI
     * (IpsecKeyManager::InvalidSpi). \param source the sender \param destination this node's
     * address \param protocol ESP or AH \param spi the unknown SPI
     */
    typedef void (*InvalidSpiTracedCallback)(Ipv4Address source,
                                             Ipv4Address destination,
                                             IpsecProtocol protocol,
                                             uint32_t spi);
    /**
     * TracedCallback signature for SendObserved reports.
     * \param sa the outbound SA that carried a packet
     */
    typedef void (*SaTracedCallback)(Ptr<IpsecSecurityAssociation> sa);
    /**
     * TracedCallback signature for quick mode exchanges that installed SAs.
     * \param sa the IKE SA
     * \param initiator true on the quick mode initiator
     * \param outboundSpi the outbound ESP SPI (AH if the set has no ESP)
     */
    typedef void (*QuickModeTracedCallback)(Ptr<const IkeSa> sa,
                                            bool initiator,
                                            uint32_t outboundSpi);

    /**
     * Attaches the daemon to a node with an IPsec stack: aggregates it, opens UDP port 500
     * and becomes the stack's key manager.
     * \param node the node
     */
    void Install(Ptr<Node> node);

    /**
     * Adds a phase 1 policy (`crypto isakmp policy`), replacing one of the same priority.
     * \param policy the policy
     */
    void AddPolicy(const IsakmpPolicy& policy);
    /// \return the policies in priority order
    const std::vector<IsakmpPolicy>& GetPolicies() const;
    /// \return the pre-shared key table (`crypto isakmp key`)
    IsakmpKeyTable& GetKeyTable();

    /**
     * Announces a vendor ID in every main mode message 1 and 2 this node sends (dead peer
     * detection announces the RFC 3706 vendor ID this way).
     * \param vendorId the vendor ID bytes
     */
    void AddLocalVendorId(const std::vector<uint8_t>& vendorId);

    // Inherited from IpsecKeyManager.
    bool Acquire(Ptr<IpsecNetDevice> device,
                 Ptr<CryptoMap> cryptoMap,
                 Ptr<CryptoMapEntry> entry,
                 uint32_t trafficClass,
                 Ptr<const Packet> packet) override;
    void SoftExpired(Ptr<IpsecSecurityAssociation> sa) override;
    void SasDeleted(const std::vector<Ptr<IpsecSecurityAssociation>>& sas,
                    IpsecSaDeleteReason reason) override;
    void InvalidSpi(Ipv4Address source,
                    Ipv4Address destination,
                    IpsecProtocol protocol,
                    uint32_t spi) override;
    void SendObserved(Ptr<IpsecSecurityAssociation> sa) override;
    void Reset() override;

    /**
     * Starts main mode with a peer, without traffic, unless an IKE SA to it is established
     * or under way.
     * \param local the local address
     * \param peer the peer address
     * \return the IKE SA (established, under way or new), or nullptr if no pre-shared key
     *         or policy allows it
     */
    Ptr<IkeSa> StartMainMode(Ipv4Address local, Ipv4Address peer);

    /**
     * Finds the newest IKE SA to a peer that is not deleted.
     * \param peer the peer address
     * \param established true to accept only QM_IDLE SAs
     * \return the IKE SA, or nullptr
     */
    Ptr<IkeSa> FindIkeSa(Ipv4Address peer, bool established = true) const;
    /// \return every IKE SA, deleted ones still listed included, oldest first
    const std::vector<Ptr<IkeSa>>& GetIkeSas() const;

    /**
     * Sends a notification over an established IKE SA in an informational exchange
     * protected by HASH(1).
     * \param sa the IKE SA
     * \param type the notify message type
     * \param protocol the protocol ID (ISAKMP_PROTO_*)
     * \param spi the SPI field (e.g. the cookies for R-U-THERE, 4 bytes for INVALID-SPI)
     * \param data the notification data
     * \return false if the SA is not established
     */
    bool SendNotify(Ptr<IkeSa> sa,
                    uint16_t type,
                    uint8_t protocol,
                    const std::vector<uint8_t>& spi,
                    const std::vector<uint8_t>& data);

    /**
     * Deletes an IKE SA, telling the peer with a DELETE if it is established. IPsec SAs
     * stay.
     * \param sa the IKE SA
     * \param notifyPeer false to delete silently
     */
    void DeleteIkeSa(Ptr<IkeSa> sa, bool notifyPeer = true);

    /**
     * Deletes an outbound SA with its set (IpsecStack::DeleteSa with PEER_DELETE) because
     * the peer no longer has it, as a DELETE or an INVALID_SPI notification from the peer
     * reports, and forgets the daemon's record of the set.
     * \param outbound the outbound SA
     */
    void DeleteStaleOutboundSa(Ptr<IpsecSecurityAssociation> outbound);

    /// Deletes every IKE SA with a DELETE to each peer (`clear crypto isakmp`).
    void ClearIsakmp();

    /**
     * Deletes the IPsec SAs and IKE SAs of one peer or of all (`clear crypto session
     * [remote ADDR]`). DELETE messages go out for both.
     * \param peer the peer, or nothing for all
     */
    void ClearSession(std::optional<Ipv4Address> peer = std::nullopt);

    /**
     * Prints `show crypto isakmp sa`, laid out as IOS does.
     * \param os the output stream
     */
    void ShowCryptoIsakmpSa(std::ostream& os) const;

    /**
     * \param failure a failure kind
     * \return how many exchanges failed for it
     */
    uint64_t GetFailureCount(IkeFailure failure) const;
    /**
     * \param reason a drop reason
     * \return how many received messages were dropped for it
     */
    uint64_t GetDropCount(IkeDropReason reason) const;
    /// \return the number of ISAKMP messages sent, retransmissions included
    uint64_t GetMessagesSent() const;
    /// \return the number of ISAKMP messages received (dropped ones included)
    uint64_t GetMessagesReceived() const;
    /// \return the number of retransmissions (by timer or in reply to a duplicate)
    uint64_t GetRetransmissions() const;
    /// \return the number of quick mode exchanges that installed SAs, both roles
    uint64_t GetQuickModesCompleted() const;

    /**
     * Assigns fixed random variable streams.
     * \param stream first stream index to use
     * \return the number of stream indices assigned
     */
    int64_t AssignStreams(int64_t stream);

  protected:
    void DoDispose() override;

  private:
    /// A quick mode exchange, or an acquire waiting for phase 1 (message ID 0).
    struct QuickMode;

    /// Record of an installed SA set, kept to rekey and delete it.
    struct SetRecord
    {
        Ptr<CryptoMap> cryptoMap;                       //!< the crypto map
        Ptr<CryptoMapEntry> entry;                      //!< the entry
        uint32_t trafficClass{0};                       //!< the traffic class
        Ipv4Address local;                              //!< local address
        Ipv4Address peer;                               //!< peer address
        bool rekeyed{false};                            //!< a replacement was negotiated
        std::vector<Ptr<IpsecSecurityAssociation>> sas; //!< the SAs of the set
    };

    /// Key of an acquire: entry, peer and traffic class.
    typedef std::tuple<const CryptoMapEntry*, uint32_t, uint32_t> AcquireKey;

    /**
     * Receives datagrams on UDP port 500.
     * \param socket the socket
     */
    void HandleRead(Ptr<Socket> socket);
    /**
     * Processes one ISAKMP datagram.
     * \param packet the UDP payload
     * \param source the sender
     * \param local the address it was sent to
     */
    void Receive(Ptr<Packet> packet, Ipv4Address source, Ipv4Address local);

    /**
     * Counts and traces a dropped message.
     * \param bytes the message
     * \param source the sender
     * \param reason why
     */
    void Drop(const std::vector<uint8_t>& bytes, Ipv4Address source, IkeDropReason reason);
    /**
     * Counts, traces and logs a failed exchange.
     * \param peer the peer
     * \param failure why
     */
    void Fail(Ipv4Address peer, IkeFailure failure);

    /**
     * Sends bytes to a peer's port 500.
     * \param peer the peer
     * \param bytes the message
     */
    void SendBytes(Ipv4Address peer, const std::vector<uint8_t>& bytes);
    /**
     * Sends a main mode message and arms its retransmission.
     * \param sa the IKE SA
     * \param bytes the message
     * \param retransmit true if an answer is expected
     */
    void SendPhase1(Ptr<IkeSa> sa, const std::vector<uint8_t>& bytes, bool retransmit);
    /**
     * Retransmits the last main mode message, or gives up.
     * \param sa the IKE SA
     */
    void RetransmitPhase1(Ptr<IkeSa> sa);
    /**
     * \param attempt retransmissions already made
     * \return the wait before the next one
     */
    Time GetRetransmitWait(uint32_t attempt) const;

    /**
     * Changes an IKE SA's state and traces it.
     * \param sa the IKE SA
     * \param state the new state
     */
    void SetState(Ptr<IkeSa> sa, IkeSaState state);

    /**
     * Handles a main mode message.
     * \param message the parsed message
     * \param bytes its bytes
     * \param source the sender
     * \param local the local address
     */
    void ReceiveMainMode(const IsakmpMessage& message,
                         const std::vector<uint8_t>& bytes,
                         Ipv4Address source,
                         Ipv4Address local);
    /**
     * Handles MM1 on the responder: picks a policy and replies with MM2.
     * \param message the parsed message
     * \param bytes its bytes
     * \param source the sender
     * \param local the local address
     */
    void ReceiveMm1(const IsakmpMessage& message,
                    const std::vector<uint8_t>& bytes,
                    Ipv4Address source,
                    Ipv4Address local);
    /**
     * Builds MM1 and sends it.
     * \param sa the IKE SA
     */
    void SendMm1(Ptr<IkeSa> sa);
    /**
     * Sends MM3 (initiator: KE and nonce).
     * \param sa the IKE SA
     */
    void SendMm3(Ptr<IkeSa> sa);
    /**
     * Sends MM4 (responder: KE and nonce), after the Diffie-Hellman delay.
     * \param sa the IKE SA
     */
    void SendMm4(Ptr<IkeSa> sa);
    /**
     * Sends MM5 (initiator: ID and HASH_I), after the Diffie-Hellman and authentication
     * delays.
     * \param sa the IKE SA
     */
    void SendMm5(Ptr<IkeSa> sa);
    /**
     * Checks HASH_I and sends MM6 (responder), after the authentication delay.
     * \param sa the IKE SA
     * \param message MM5
     */
    void SendMm6(Ptr<IkeSa> sa, IsakmpMessage message);
    /**
     * Makes the IKE SA usable: QM_IDLE, lifetime, waiting quick modes.
     * \param sa the IKE SA
     */
    void Establish(Ptr<IkeSa> sa);

    /**
     * Computes g^xy and the SKEYID family from the exchanged values.
     * \param sa the IKE SA
     */
    void DeriveKeys(Ptr<IkeSa> sa);
    /**
     * Computes HASH_I or HASH_R (RFC 2409 section 5).
     * \param sa the IKE SA
     * \param ofInitiator true for HASH_I
     * \param idBody the ID payload body of that side
     * \return the hash
     */
    std::vector<uint8_t> ComputeMainModeHash(Ptr<IkeSa> sa,
                                             bool ofInitiator,
                                             const std::vector<uint8_t>& idBody) const;
    /**
     * Computes the PRF (HMAC with the IKE SA's hash).
     * \param sa the IKE SA (its policy chooses the hash)
     * \param key the key
     * \param data the data
     * \return the output
     */
    static std::vector<uint8_t> Prf(Ptr<const IkeSa> sa,
                                    const std::vector<uint8_t>& key,
                                    const std::vector<uint8_t>& data);
    /**
     * Builds the ID payload of this node for main mode (ID_IPV4_ADDR, UDP 500).
     * \param address the local address
     * \return the payload
     */
    static IsakmpPayload MakeIdentity(Ipv4Address address);

    /**
     * Starts quick mode for an acquire or a rekey, after main mode if no IKE SA exists.
     * \param local the local address
     * \param cryptoMap the crypto map
     * \param entry the entry
     * \param trafficClass the traffic class
     * \param peer the peer
     * \param device the crypto map interface (for queued packets), or nullptr
     * \param packet the packet to queue, or nullptr
     * \return true if the packet was queued
     */
    bool StartNegotiation(Ipv4Address local,
                          Ptr<CryptoMap> cryptoMap,
                          Ptr<CryptoMapEntry> entry,
                          uint32_t trafficClass,
                          Ipv4Address peer,
                          Ptr<IpsecNetDevice> device,
                          Ptr<const Packet> packet);
    /**
     * Sends QM1.
     * \param qm the exchange
     */
    void SendQm1(Ptr<QuickMode> qm);
    /**
     * Handles a quick mode message.
     * \param sa the IKE SA
     * \param message the parsed message
     * \param bytes its bytes
     * \param payloadsEnd where its payloads end
     */
    void ReceiveQuickMode(Ptr<IkeSa> sa,
                          const IsakmpMessage& message,
                          const std::vector<uint8_t>& bytes,
                          uint32_t payloadsEnd);
    /**
     * Handles QM1 on the responder.
     * \param sa the IKE SA
     * \param message the parsed message
     * \param bytes its bytes
     */
    void ReceiveQm1(Ptr<IkeSa> sa, const IsakmpMessage& message, const std::vector<uint8_t>& bytes);
    /**
     * Handles QM2 on the initiator.
     * \param qm the exchange
     * \param message the parsed message
     */
    void ReceiveQm2(Ptr<QuickMode> qm, const IsakmpMessage& message);
    /**
     * Handles QM3 on the responder.
     * \param qm the exchange
     */
    void ReceiveQm3(Ptr<QuickMode> qm);
    /**
     * Sends a quick mode message and arms its retransmission.
     * \param qm the exchange
     * \param bytes the message
     * \param retransmit true if an answer is expected
     */
    void SendPhase2(Ptr<QuickMode> qm, const std::vector<uint8_t>& bytes, bool retransmit);
    /**
     * Retransmits the last quick mode message, or gives up.
     * \param qm the exchange
     */
    void RetransmitPhase2(Ptr<QuickMode> qm);
    /**
     * Ends an exchange: removes it, and on failure releases its SPIs and the acquire.
     * \param qm the exchange
     */
    void FinishQuickMode(Ptr<QuickMode> qm);
    /**
     * Writes a message whose first payload is a HASH over the message ID and the rest
     * (quick mode HASH(1), HASH(2); informational HASH(1)), padded to the block size.
     * \param sa the IKE SA
     * \param message the message, HASH payload first with empty data
     * \param prefix bytes hashed between the message ID and the payloads (Ni_b for HASH(2))
     * \return the bytes
     */
    std::vector<uint8_t> SerializeWithHash(Ptr<IkeSa> sa,
                                           IsakmpMessage& message,
                                           const std::vector<uint8_t>& prefix);
    /**
     * Checks such a HASH in a received message.
     * \param sa the IKE SA
     * \param message the parsed message
     * \param bytes its bytes
     * \param payloadsEnd where its payloads end
     * \param prefix bytes hashed between the message ID and the payloads
     * \return true if the HASH verifies
     */
    bool VerifyHash(Ptr<IkeSa> sa,
                    const IsakmpMessage& message,
                    const std::vector<uint8_t>& bytes,
                    uint32_t payloadsEnd,
                    const std::vector<uint8_t>& prefix) const;
    /**
     * Computes quick mode HASH(3) = prf(SKEYID_a, 0 | M-ID | Ni_b | Nr_b).
     * \param qm the exchange
     * \return the hash
     */
    std::vector<uint8_t> ComputeHash3(Ptr<QuickMode> qm) const;
    /**
     * Computes the keying material of one SPI (RFC 2409 section 5.5).
     * \param qm the exchange
     * \param protocol ISAKMP_PROTO_IPSEC_ESP or _AH
     * \param spi the SPI
     * \param length the bytes needed
     * \return the keying material
     */
    std::vector<uint8_t> ComputeKeymat(Ptr<QuickMode> qm,
                                       uint8_t protocol,
                                       uint32_t spi,
                                       uint32_t length) const;
    /**
     * Creates the SAs of one direction of the chosen transform set.
     * \param qm the exchange
     * \param direction inbound (our SPIs) or outbound (the peer's)
     * \param[out] inbound the inbound SAs
     * \return the outbound bundle (when outbound)
     */
    Ptr<IpsecSaBundle> CreateSas(Ptr<QuickMode> qm,
                                 IpsecDirection direction,
                                 std::vector<Ptr<IpsecSecurityAssociation>>& inbound);
    /**
     * Installs SAs through the stack and records the set for rekey and delete.
     * \param qm the exchange
     * \param inbound the inbound SAs
     * \param outbound the outbound bundle
     * \return false if the crypto engine had no room
     */
    bool InstallSet(Ptr<QuickMode> qm,
                    const std::vector<Ptr<IpsecSecurityAssociation>>& inbound,
                    Ptr<IpsecSaBundle> outbound);
    /**
     * Sends the packets queued for an acquire, once its outbound SAs are installed.
     * \param qm the exchange
     */
    void FlushQueue(Ptr<QuickMode> qm);

    /**
     * Builds the quick mode proposals of a crypto map entry's transform sets.
     * \param qm the exchange (its SPIs are drawn here)
     * \return the proposals
     */
    std::vector<IsakmpProposal> MakeProposals(Ptr<QuickMode> qm);
    /**
     * Reads a transform set out of the proposals of one proposal number.
     * \param proposals the proposals sharing one number
     * \param[out] set the transform set
     * \param[out] lifetime the proposed time lifetime (0 if none)
     * \param[out] kilobytes the proposed volume lifetime (0 if none)
     * \param[out] trafficClass the traffic class attribute (0 if none)
     * \return false if a transform is not one this model implements
     */
    static bool ReadTransformSet(const std::vector<const IsakmpProposal*>& proposals,
                                 IpsecTransformSet& set,
                                 uint32_t& lifetime,
                                 uint32_t& kilobytes,
                                 uint32_t& trafficClass);
    /**
     * Tests whether two transform sets negotiate the same SAs (algorithms and mode).
     * \param a a transform set
     * \param b another
     * \return true if they agree
     */
    static bool SameTransforms(const IpsecTransformSet& a, const IpsecTransformSet& b);
    /**
     * Builds the quick mode ID payloads of an entry (the first permit line of its ACL).
     * \param entry the entry
     * \param[out] local the local proxy identity (IDci on the initiator)
     * \param[out] remote the remote proxy identity
     * \return false if the ACL has no permit line
     */
    static bool MakeProxyIdentities(Ptr<const CryptoMapEntry> entry,
                                    IsakmpPayload& local,
                                    IsakmpPayload& remote);
    /**
     * Finds the responder's crypto map entry for a QM1.
     * \param initiator the initiator's address
     * \param idci the initiator's proxy identity
     * \param idcr the responder's proxy identity
     * \param[out] cryptoMap the crypto map
     * \param[out] local the local address of its interface
     * \return the entry, or nullptr
     */
    Ptr<CryptoMapEntry> FindResponderEntry(Ipv4Address initiator,
                                           const IsakmpPayload& idci,
                                           const IsakmpPayload& idcr,
                                           Ptr<CryptoMap>& cryptoMap,
                                           Ipv4Address& local) const;
    /// \return a fresh SPI, unused on the node and not reserved by an exchange
    uint32_t DrawSpi();
    /// \return a fresh nonzero cookie
    uint64_t DrawCookie();
    /**
     * Draws random bytes.
     * \param length how many
     * \return the bytes
     */
    std::vector<uint8_t> DrawBytes(uint32_t length);

    /**
     * Handles an informational message.
     * \param message the parsed message
     * \param bytes its bytes
     * \param payloadsEnd where its payloads end
     * \param source the sender
     */
    void ReceiveInformational(const IsakmpMessage& message,
                              const std::vector<uint8_t>& bytes,
                              uint32_t payloadsEnd,
                              Ipv4Address source);
    /**
     * Sends an informational exchange with the given payloads over an established IKE SA.
     * \param sa the IKE SA
     * \param payloads the NOTIFICATION or DELETE payloads
     */
    void SendInformational(Ptr<IkeSa> sa, const std::vector<IsakmpPayload>& payloads);
    /**
     * Sends DELETE for the inbound SPIs of removed SAs to their peers.
     * \param sas the removed SAs
     */
    void SendDeletes(const std::vector<Ptr<IpsecSecurityAssociation>>& sas);
    /**
     * Finds an IKE SA by cookies.
     * \param initiatorCookie CKY-I
     * \param responderCookie CKY-R
     * \param peer the peer address
     * \return the IKE SA (not deleted), or nullptr
     */
    Ptr<IkeSa> FindByCookies(uint64_t initiatorCookie,
                             uint64_t responderCookie,
                             Ipv4Address peer) const;
    /**
     * Removes a deleted IKE SA from the list.
     * \param sa the IKE SA
     */
    void Purge(Ptr<IkeSa> sa);
    /**
     * Deletes, without a message, the oldest half-open responder exchange with a peer.
     * \param peer the peer address
     */
    void EvictOldestHalfOpen(Ipv4Address peer);

    /**
     * Counts the half-open IKE SAs (not yet QM_IDLE, not deleted) this node answers.
     * \param peer a peer, or 0.0.0.0 for every peer
     * \return the count
     */
    uint32_t CountHalfOpen(Ipv4Address peer) const;

    Ptr<Node> m_node;                                //!< the node
    Ptr<IpsecStack> m_stack;                         //!< the node's IPsec stack
    Ptr<Socket> m_socket;                            //!< UDP port 500
    Ptr<UniformRandomVariable> m_random;             //!< cookies, SPIs, nonces, KE values
    std::vector<IsakmpPolicy> m_policies;            //!< phase 1 policies by priority
    IsakmpKeyTable m_keys;                           //!< pre-shared keys
    std::vector<std::vector<uint8_t>> m_vendorIds;   //!< vendor IDs this node announces
    std::vector<Ptr<IkeSa>> m_ikeSas;                //!< IKE SAs, oldest first
    std::vector<Ptr<QuickMode>> m_quickModes;        //!< quick modes under way or waiting
    std::map<AcquireKey, Ptr<QuickMode>> m_acquires; //!< negotiations by entry, peer, class
    std::map<uint32_t, SetRecord> m_sets;            //!< installed sets by set number
    std::map<Ptr<IpsecSecurityAssociation>, uint32_t> m_setOfSa; //!< set number of each SA
    uint32_t m_nextSetId;                                        //!< next set number
    std::set<uint32_t> m_reservedSpis;         //!< SPIs offered in exchanges under way
    uint32_t m_nextConnectionId;               //!< next conn-id
    Time m_dhDelay;                            //!< Diffie-Hellman processing time
    Time m_authDelay;                          //!< HASH_I/HASH_R processing time
    Time m_retransmitInterval;                 //!< first retransmission wait
    double m_retransmitBackoff;                //!< wait multiplier per attempt
    uint32_t m_retransmitLimit;                //!< retransmissions before giving up
    Time m_deletedHoldTime;                    //!< how long deleted SAs stay listed
    uint32_t m_queueLimit;                     //!< packets kept per acquire
    uint32_t m_maxHalfOpenPerPeer;             //!< half-open responder SAs per peer
    uint32_t m_maxHalfOpen;                    //!< half-open responder SAs in total
    uint32_t m_nonceLength;                    //!< nonce bytes
    std::map<IkeFailure, uint64_t> m_failures; //!< failures per kind
    std::map<IkeDropReason, uint64_t> m_drops; //!< drops per reason
    uint64_t m_sent;                           //!< messages sent
    uint64_t m_received;                       //!< messages received
    uint64_t m_retransmissions;                //!< retransmissions
    uint64_t m_quickModesCompleted;            //!< quick modes that installed SAs
    TracedCallback<Ptr<const IkeSa>, IkeSaState, IkeSaState, bool> m_stateTrace; //!< state
    TracedCallback<Ipv4Address, IkeFailure> m_failureTrace;                    //!< failed exchange
    TracedCallback<Ptr<const Packet>, Ipv4Address> m_sentTrace;                //!< message sent
    TracedCallback<Ptr<const Packet>, Ipv4Address> m_receivedTrace;            //!< message received
    TracedCallback<Ipv4Address, uint32_t> m_retransmitTrace;                   //!< retransmission
    TracedCallback<Ptr<const Packet>, Ipv4Address, IkeDropReason> m_dropTrace; //!< drop
    TracedCallback<Ptr<IkeSa>, const IsakmpPayload&> m_notifyTrace;            //!< notification
    TracedCallback<Ptr<const IkeSa>, bool, uint32_t> m_quickModeTrace;         //!< SAs installed
    TracedCallback<Ipv4Address, Ipv4Address, IpsecProtocol, uint32_t>
        m_invalidSpiTrace; //!< InvalidSpi() calls, for recovery built on top
    TracedCallback<Ptr<IpsecSecurityAssociation>>
        m_sendObservedTrace; //!< SendObserved() calls, for dead peer detection built on top
};

} // namespace ns3

#endif // IKE_DAEMON_H
