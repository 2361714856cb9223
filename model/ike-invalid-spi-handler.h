// Copyright (c) 2026 The ns3-ipsec authors
// SPDX-License-Identifier: GPL-2.0-only

#ifndef IKE_INVALID_SPI_HANDLER_H
#define IKE_INVALID_SPI_HANDLER_H

#include "ike-daemon.h"
#include "ike-sa.h"
#include "invalid-spi-recovery.h"
#include "ipsec-transform-set.h"
#include "isakmp-header.h"

#include "ns3/ipv4-address.h"
#include "ns3/node.h"
#include "ns3/nstime.h"
#include "ns3/object.h"
#include "ns3/traced-callback.h"

#include <cstdint>
#include <map>
#include <unordered_map>
#include <unordered_set>

namespace ns3
{

class IpsecStack;
class IpsecSecurityAssociation;
class Packet;

/**
 * \ingroup ipsec
 * INVALID_SPI notifications over IKE and invalid SPI recovery on one node: the glue between
 * the IPsec stack's invalid-SPI reports, the IKE daemon and the admission control
 * (InvalidSpiRecovery).
 *
 * Receiver side. The stack drops, counts, traces and logs every inbound ESP or AH packet
 * whose SPI matches no inbound SA (`%CRYPTO-4-RECV_PKT_INV_SPI`) and reports it to the IKE
 * daemon, whose InvalidSpi trace source calls this handler. Then:
 *  - with an established IKE SA to the sender, the handler sends an INVALID_SPI
 *    notification over it: notify message type 11 of RFC 2408, protocol 3 for ESP or 2
 *    for AH, and the 4-byte SPI in the SPI field. It sends at most one per NotifyInterval
 *    per sender, so a stream of stale packets does not become a stream of notifications;
 *  - without one, and if the guard admits the event (`crypto isakmp invalid-spi-recovery`
 *    configured, rate limits not exceeded), it starts main mode with the sender
 *    (IkeDaemon::StartMainMode) and sends the notification once the IKE SA is established.
 *    The handler reports the outcome to the guard (RecoveryFinished): success when the
 *    notification is sent, failure when main mode fails or gives up or the node reboots.
 *
 * Sender side. An INVALID_SPI notification that arrives over an authenticated IKE SA (the
 * daemon's NotifyReceived trace source fires only after HASH(1) verified) names one of this
 * node's outbound SAs to that peer. The handler deletes that SA with its set through
 * IkeDaemon::DeleteStaleOutboundSa (IpsecStack::DeleteSa with PEER_DELETE), so the next
 * packet for the peer finds no SA and triggers a new negotiation. A notification naming an
 * SPI this node does not use towards that peer is counted and ignored.
 *
 * Black-hole metrics. For senders that are peers of a crypto map entry of this node, the
 * handler records the first invalid-SPI drop and counts the drops until the first packet
 * from that peer is decrypted again; the BlackHoleEnded trace source then reports the
 * duration and the count. Other sources (a flood with random or spoofed addresses) get no
 * record, so the table cannot grow beyond the configured peers. The handler listens to the
 * stack's Decrypt trace source only while a black hole is open.
 *
 * NOTE: the set of crypto map peers is read at the first invalid-SPI event and again after
 * each IKE SA state change; a crypto map changed between those moments is seen late.
 */
class IkeInvalidSpiHandler : public Object
{
  public:
    /**
     * \brief Get the type ID.
     * \return the object TypeId
     */
    static TypeId GetTypeId();
    IkeInvalidSpiHandler();
    ~IkeInvalidSpiHandler() override;

    /**
     * TracedCallback signature for INVALID_SPI notifications sent or suppressed.
     * \param peer the peer the stale packet came from
     * \param protocol ESP or AH
     * \param spi the unknown SPI
     */
    typedef void (*NotifyTracedCallback)(Ipv4Address peer, IpsecProtocol protocol, uint32_t spi);

    /**
     * TracedCallback signature for received INVALID_SPI notifications.
     * \param peer the peer that sent the notification
     * \param protocol ESP or AH
     * \param spi the SPI the notification names
     * \param deleted true if an outbound SA with that SPI existed and was deleted
     */
    typedef void (*StaleSaTracedCallback)(Ipv4Address peer,
                                          IpsecProtocol protocol,
                                          uint32_t spi,
                                          bool deleted);

    /**
     * TracedCallback signature for the end of a black hole.
     * \param peer the peer
     * \param duration from the first invalid-SPI drop to the first decrypted packet
     * \param dropped invalid-SPI drops from the peer in that time
     */
    typedef void (*BlackHoleTracedCallback)(Ipv4Address peer, Time duration, uint64_t dropped);

    /**
     * Attaches the handler to a node with an IPsec stack and an IKE daemon: aggregates it
     * and connects it to their trace sources.
     * \param node the node
     */
    void Install(Ptr<Node> node);

    /// \return the admission control of recoveries (its Enabled attribute is the command)
    Ptr<InvalidSpiRecovery> GetRecovery() const;

    /// \return true if `crypto isakmp invalid-spi-recovery` is configured
    bool IsRecoveryEnabled() const;
    /// \param enabled true for `crypto isakmp invalid-spi-recovery`
    void SetRecoveryEnabled(bool enabled);

    /// \return the number of INVALID_SPI notifications sent
    uint64_t GetNotifiesSent() const;
    /// \return the number of notifications not sent because of NotifyInterval
    uint64_t GetNotifiesSuppressed() const;
    /// \return the number of INVALID_SPI notifications received over an authenticated IKE SA
    uint64_t GetNotifiesReceived() const;
    /// \return the number of outbound SAs deleted because of a received notification
    uint64_t GetStaleSasDeleted() const;
    /// \return the number of recoveries started (the guard's admitted events)
    uint64_t GetRecoveriesStarted() const;
    /// \return the number of invalid-SPI events that did not start a recovery
    uint64_t GetRecoveriesSuppressed() const;
    /// \return the number of black holes that ended with a decrypted packet
    uint64_t GetBlackHolesEnded() const;
    /// \return the duration of the last black hole that ended (0 if none)
    Time GetLastBlackHoleDuration() const;
    /// \return the invalid-SPI drops of the last black hole that ended
    uint64_t GetLastBlackHoleDrops() const;

  protected:
    void DoDispose() override;

  private:
    /// A recovery admitted by the guard, waiting for its IKE SA.
    struct PendingRecovery
    {
        IpsecProtocol protocol; //!< protocol of the stale packet
        uint32_t spi;           //!< its SPI
    };

    /// An open black hole with one peer.
    struct BlackHole
    {
        Time firstDrop;   //!< time of the first invalid-SPI drop
        uint64_t drops{}; //!< invalid-SPI drops since then
    };

    /**
     * Handles the daemon's InvalidSpi report of a dropped packet.
     * \param source the outer source address
     * \param destination this node's address the packet was sent to
     * \param protocol ESP or AH
     * \param spi the unknown SPI
     */
    void HandleInvalidSpi(Ipv4Address source,
                          Ipv4Address destination,
                          IpsecProtocol protocol,
                          uint32_t spi);

    /**
     * Handles an authenticated notification from the daemon.
     * \param sa the IKE SA it came over
     * \param notify the notification payload
     */
    void HandleNotify(Ptr<IkeSa> sa, const IsakmpPayload& notify);

    /**
     * Follows IKE SA state changes: an established SA completes a pending recovery, a
     * deleted one may end it with failure.
     * \param sa the IKE SA
     * \param oldState the state before
     * \param newState the state after
     * \param deleted true if the change deletes the SA
     */
    void HandleStateChange(Ptr<const IkeSa> sa,
                           IkeSaState oldState,
                           IkeSaState newState,
                           bool deleted);

    /**
     * Notes a failed IKE exchange with a peer.
     * \param peer the peer
     * \param failure why it failed
     */
    void HandleExchangeFailed(Ipv4Address peer, IkeFailure failure);

    /**
     * Drops every pending recovery, as a rebooting node loses them.
     * \param bootTime the boot time (unused)
     */
    void HandleReboot(Time bootTime);

    /**
     * Ends an open black hole when a packet from its peer is decrypted.
     * \param packet the inner packet
     * \param sa the inbound SA
     */
    void HandleDecrypt(Ptr<const Packet> packet, Ptr<const IpsecSecurityAssociation> sa);

    /// Stops listening to the stack's Decrypt trace source if no black hole is open.
    void DisconnectDecrypt();

    /**
     * Sends an INVALID_SPI notification over an established IKE SA.
     * \param sa the IKE SA
     * \param protocol ESP or AH
     * \param spi the unknown SPI
     */
    void SendInvalidSpi(Ptr<IkeSa> sa, IpsecProtocol protocol, uint32_t spi);

    /**
     * Completes a pending recovery with a peer if it has an established IKE SA now.
     * \param peer the peer
     */
    void CompleteRecovery(Ipv4Address peer);

    /**
     * Ends a pending recovery with failure if no IKE SA with the peer is established or
     * under way any more.
     * \param peer the peer
     */
    void CheckRecoveryFailed(Ipv4Address peer);

    /**
     * Opens or extends the black-hole record of a crypto map peer.
     * \param source the sender of the dropped packet
     */
    void RecordDrop(Ipv4Address source);

    /// Reads the peers of every crypto map entry on the node's IPsec interfaces.
    void RefreshPeers();

    Ptr<Node> m_node;                     //!< the node
    Ptr<IkeDaemon> m_daemon;              //!< the node's IKE daemon
    Ptr<IpsecStack> m_stack;              //!< the node's IPsec stack
    Ptr<InvalidSpiRecovery> m_guard;      //!< admission control of recoveries
    Time m_notifyInterval;                //!< minimum time between notifications to one peer
    bool m_decryptConnected;              //!< listening to the stack's Decrypt trace
    bool m_peersKnown;                    //!< m_peers has been read
    std::unordered_set<uint32_t> m_peers; //!< crypto map peers of the node
    std::unordered_map<uint32_t, Time> m_lastNotify;      //!< last notification by peer
    std::map<uint32_t, PendingRecovery> m_pending;        //!< recoveries by peer
    std::unordered_map<uint32_t, BlackHole> m_blackHoles; //!< open black holes by peer

    uint64_t m_notifiesSent;       //!< notifications sent
    uint64_t m_notifiesSuppressed; //!< notifications suppressed by NotifyInterval
    uint64_t m_notifiesReceived;   //!< notifications received
    uint64_t m_staleSasDeleted;    //!< outbound SAs deleted on notification
    uint64_t m_blackHolesEnded;    //!< black holes that ended
    Time m_lastBlackHoleDuration;  //!< duration of the last black hole that ended
    uint64_t m_lastBlackHoleDrops; //!< drops of the last black hole that ended

    /// An INVALID_SPI notification was sent.
    TracedCallback<Ipv4Address, IpsecProtocol, uint32_t> m_notifySentTrace;
    /// An INVALID_SPI notification was not sent because of NotifyInterval.
    TracedCallback<Ipv4Address, IpsecProtocol, uint32_t> m_notifySuppressedTrace;
    /// An INVALID_SPI notification was received.
    TracedCallback<Ipv4Address, IpsecProtocol, uint32_t, bool> m_staleSaTrace;
    /// A black hole ended.
    TracedCallback<Ipv4Address, Time, uint64_t> m_blackHoleTrace;
};

} // namespace ns3

#endif // IKE_INVALID_SPI_HANDLER_H
