// Copyright (c) 2026 The ns3-ipsec authors
// SPDX-License-Identifier: GPL-2.0-only

#ifndef ISAKMP_KEEPALIVE_H
#define ISAKMP_KEEPALIVE_H

#include "dead-peer-detection.h"
#include "ike-daemon.h"

#include "ns3/ipv4-address.h"
#include "ns3/nstime.h"
#include "ns3/object-factory.h"
#include "ns3/object.h"
#include "ns3/traced-callback.h"

#include <cstdint>
#include <map>
#include <string>
#include <vector>

namespace ns3
{

class IpsecStack;
class IpsecSecurityAssociation;

/**
 * \ingroup ipsec
 * `crypto isakmp keepalive` on one node: dead peer detection (RFC 3706) over the node's
 * IkeDaemon, with stateless failover to the next `set peer` of the crypto map.
 *
 * Wiring. Once configured, the node announces the RFC 3706 vendor ID in main mode. Each IKE
 * SA that reaches QM_IDLE gets one DeadPeerDetector when the peer announced the same vendor
 * ID; a peer that did not gets no R-U-THERE. The detector's messages go out as
 * notifications through IkeDaemon::SendNotify: R-U-THERE is type 36136 and R-U-THERE-ACK
 * 36137, with protocol ISAKMP, the 16 bytes of the cookies in the SPI field and the sequence
 * number in 4 bytes of data. Received ones come from the daemon's NotifyReceived trace. The last
 * inbound evidence is the newest of the peer's inbound IPsec SAs' GetLastUsedTime and the
 * last main mode, quick mode or non-DPD notification from the peer over one of its IKE SAs.
 * In on-demand mode the detector's send watch is armed on every outbound SA to the peer,
 * and the daemon's SendObserved trace wakes the detector.
 *
 * A dead peer. The node logs `%CRYPTO-5-SESSION_STATUS: Crypto tunnel is DOWN. Peer
 * ADDR:500 Id: ADDR`, deletes every IKE SA to the peer without a DELETE (the peer cannot
 * answer), deletes the IPsec SAs to it (IpsecStack::DeleteSasOfPeer with PEER_DEAD), and
 * moves every crypto map entry whose current peer it was to the next listed peer, cycling
 * to the first after the last. The next packet that matches the entry then negotiates
 * with the new peer.
 *
 * A node with keepalive configured acknowledges every R-U-THERE it receives over an established
 * IKE SA, even one without a detector, because it announced support.
 *
 * Detector settings: the interval, retry interval and mode come from the command; the
 * other DeadPeerDetector attributes (MaxUnansweredMessages, ProofOfLife,
 * PeriodicTimerReset) come from Config::SetDefault("ns3::DeadPeerDetector::...") or
 * SetDetectorAttribute(), and apply to detectors created afterwards, as a new
 * configuration does.
 *
 * NOTE: IkeDaemon offers no call to withdraw a vendor ID, so after Disable() the node keeps
 * announcing DPD support and keeps answering R-U-THERE messages, but sends none.
 */
class IsakmpKeepalive : public Object
{
  public:
    /**
     * \brief Get the type ID.
     * \return the object TypeId
     */
    static TypeId GetTypeId();
    IsakmpKeepalive();
    ~IsakmpKeepalive() override;

    /// \return the RFC 3706 vendor ID, AF CA D7 13 68 A1 F1 C9 6B 86 96 FC 77 57 01 00
    static const std::vector<uint8_t>& GetDpdVendorId();

    /// DPD messages of one peer, summed over the detectors of its IKE SAs.
    struct PeerCounters
    {
        uint64_t ruThereSent{0};     //!< R-U-THERE sent, retransmissions included
        uint64_t ruThereReceived{0}; //!< R-U-THERE received
        uint64_t ackSent{0};         //!< R-U-THERE-ACK sent
        uint64_t ackReceived{0};     //!< R-U-THERE-ACK received (accepted or ignored)
        uint64_t ackIgnored{0};      //!< R-U-THERE-ACK ignored (wrong sequence, none due)
        uint64_t deadCount{0};       //!< times the peer was declared dead
    };

    /**
     * TracedCallback signature for a peer declared dead.
     * \param peer the peer
     * \param firstUnanswered the time of the first unanswered R-U-THERE of the last round
     */
    typedef void (*PeerDeadTracedCallback)(Ipv4Address peer, Time firstUnanswered);
    /**
     * TracedCallback signature for a crypto map entry moved to its next peer.
     * \param mapName the crypto map name
     * \param sequence the entry's sequence number
     * \param oldPeer the dead peer
     * \param newPeer the peer the next packet negotiates with
     */
    typedef void (*FailoverTracedCallback)(const std::string& mapName,
                                           uint32_t sequence,
                                           Ipv4Address oldPeer,
                                           Ipv4Address newPeer);
    /**
     * TracedCallback signature for DPD messages sent or received.
     * \param peer the peer
     * \param type 36136 (R-U-THERE) or 36137 (R-U-THERE-ACK)
     * \param sequence the sequence number
     */
    typedef void (*DpdMessageTracedCallback)(Ipv4Address peer, uint16_t type, uint32_t sequence);
    /**
     * TracedCallback signature for IPsec SAs installed by a quick mode with a peer.
     * \param peer the peer
     * \param initiator true if this node initiated the quick mode
     */
    typedef void (*SasInstalledTracedCallback)(Ipv4Address peer, bool initiator);
    /**
     * TracedCallback signature for a detector created for a new IKE SA, so a study can
     * connect to its own trace sources.
     * \param peer the peer
     * \param detector the detector
     */
    typedef void (*DetectorTracedCallback)(Ipv4Address peer, Ptr<DeadPeerDetector> detector);

    /**
     * Attaches keepalive to a node with an IKE daemon (IpsecHelper::Install puts one there),
     * aggregates itself to the node and connects to the daemon's and the stack's traces.
     * Keepalive stays off until Configure().
     * \param node the node
     */
    void Install(Ptr<Node> node);

    /**
     * Applies `crypto isakmp keepalive SECONDS [RETRY] [periodic | on-demand]`. Invalid
     * values are rejected with the reason and change nothing. IKE SAs established
     * afterwards use the new settings; running detectors keep theirs.
     * \param config the settings
     * \return an empty string on success, else the reason (DpdConfig::Validate)
     */
    std::string Configure(const DpdConfig& config);
    /**
     * Applies `crypto isakmp keepalive` from its parts, as Configure() does.
     * \param seconds the interval in seconds (10..3600)
     * \param retry the retry interval in seconds (2..60)
     * \param mode periodic or on-demand
     * \return an empty string on success, else the reason
     */
    std::string Configure(uint32_t seconds,
                          uint32_t retry = DpdConfig::DEFAULT_RETRY,
                          DpdMode mode = DPD_ON_DEMAND);
    /// Applies `no crypto isakmp keepalive`: stops and removes every detector.
    void Disable();
    /// \return true while keepalive is configured
    bool IsEnabled() const;
    /// \return the configured settings (interval 0 if never configured)
    DpdConfig GetConfig() const;

    /**
     * Sets an attribute of the detectors created afterwards, e.g. "MaxUnansweredMessages".
     * The command's Interval, RetryInterval and Mode override the same attributes.
     * \param name the DeadPeerDetector attribute name
     * \param value its value
     */
    void SetDetectorAttribute(const std::string& name, const AttributeValue& value);

    /**
     * \param peer a peer address
     * \return the detector of the newest IKE SA to the peer, or nullptr
     */
    Ptr<DeadPeerDetector> GetDetector(Ipv4Address peer) const;
    /**
     * \param peer a peer address
     * \return the DPD message counts of the peer since the start of the simulation
     */
    PeerCounters GetCounters(Ipv4Address peer) const;
    /// \return how many IKE SAs got no detector because the peer did not announce DPD
    uint64_t GetPeersWithoutDpd() const;

    /**
     * Assigns a fixed random variable stream to the detectors created afterwards, for their
     * initial sequence numbers. Every detector of this node uses the same stream index.
     * \param stream the stream index to use
     * \return the number of stream indices assigned (1)
     */
    int64_t AssignStreams(int64_t stream);

  protected:
    void DoDispose() override;

  private:
    /**
     * Creates or removes detectors as IKE SAs reach QM_IDLE or are deleted.
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
     * Passes R-U-THERE and R-U-THERE-ACK to the detector and records other notifications
     * as evidence that the peer is alive.
     * \param sa the IKE SA the notification came over
     * \param notify the notification payload
     */
    void HandleNotify(Ptr<IkeSa> sa, const IsakmpPayload& notify);
    /**
     * Records main mode and quick mode messages from a peer over one of its IKE SAs.
     * \param packet the UDP payload
     * \param peer the sender
     */
    void HandleMessage(Ptr<const Packet> packet, Ipv4Address peer);
    /**
     * Wakes the detector of the peer of a watched outbound SA.
     * \param sa the outbound SA that carried a packet
     */
    void HandleSendObserved(Ptr<IpsecSecurityAssociation> sa);
    /**
     * Reports new SAs and re-arms a send watch that waits for traffic.
     * \param sa the IKE SA of the quick mode
     * \param initiator true on the initiator
     * \param outboundSpi the outbound SPI
     */
    void HandleQuickModeDone(Ptr<const IkeSa> sa, bool initiator, uint32_t outboundSpi);
    /**
     * Drops every detector, because a reboot clears the IKE SAs without state changes.
     * \param bootTime the boot time
     */
    void HandleReboot(Time bootTime);

    /**
     * Creates and starts the detector of an established IKE SA.
     * \param sa the IKE SA
     */
    void CreateDetector(Ptr<IkeSa> sa);
    /**
     * Stops a detector and releases it once the current event is over, because the
     * detector may be the caller (its peer-dead callback deletes the IKE SA).
     * \param detector the detector
     */
    void RetireDetector(Ptr<DeadPeerDetector> detector);
    /// Disposes of the retired detectors.
    void DisposeRetired();

    /**
     * Sends an R-U-THERE or R-U-THERE-ACK over an IKE SA.
     * \param sa the IKE SA
     * \param type 36136 or 36137
     * \param sequence the sequence number
     */
    void SendDpdMessage(Ptr<IkeSa> sa, uint16_t type, uint32_t sequence);
    /**
     * Sends an R-U-THERE (detector callback).
     * \param sa the IKE SA
     * \param sequence the sequence number
     */
    void SendRuThere(Ptr<IkeSa> sa, uint32_t sequence);
    /**
     * Sends an R-U-THERE-ACK (detector callback).
     * \param sa the IKE SA
     * \param sequence the sequence number
     */
    void SendAck(Ptr<IkeSa> sa, uint32_t sequence);
    /**
     * Records the start of a round (the detector's RuThereSent trace).
     * \param sa the IKE SA
     * \param sequence the sequence number
     * \param attempt 1 for the first R-U-THERE of a round
     */
    void HandleRuThereSent(const IkeSa* sa, uint32_t sequence, uint32_t attempt);
    /**
     * Arms the send watch on every outbound SA to a peer (detector callback).
     * \param peer the peer
     */
    void ArmSendWatch(Ipv4Address peer);
    /**
     * Returns the time of the last packet from a peer (detector callback).
     * \param peer the peer
     * \return the newest inbound SA use or non-DPD IKE message
     */
    Time GetLastInbound(Ipv4Address peer) const;
    /**
     * Tears down the tunnel to a dead peer and moves crypto map entries to their next peer
     * (detector callback).
     * \param sa the IKE SA whose detector declared the peer dead
     */
    void HandlePeerDead(Ptr<IkeSa> sa);
    /**
     * Moves every crypto map entry whose current peer is the dead one to its next peer.
     * \param peer the dead peer
     */
    void AdvancePeers(Ipv4Address peer);

    /// State of keepalive for one established IKE SA.
    struct Tunnel
    {
        Ptr<IkeSa> ikeSa;               //!< the IKE SA
        Ptr<DeadPeerDetector> detector; //!< its detector
        Time roundStart;                //!< first R-U-THERE of the detector's latest round
    };

    Ptr<Node> m_node;                             //!< the node
    Ptr<IkeDaemon> m_daemon;                      //!< the node's IKE daemon
    Ptr<IpsecStack> m_stack;                      //!< the node's IPsec stack
    bool m_enabled;                               //!< keepalive configured
    bool m_announced;                             //!< the DPD vendor ID is announced
    DpdConfig m_config;                           //!< the command's settings
    ObjectFactory m_detectorFactory;              //!< makes DeadPeerDetector objects
    int64_t m_stream;                             //!< stream of the detectors, or -1
    std::map<const IkeSa*, Tunnel> m_tunnels;     //!< detectors by IKE SA
    std::vector<Ptr<DeadPeerDetector>> m_retired; //!< stopped, disposed at the next event
    std::map<uint32_t, Time> m_lastIkeMessage;    //!< last non-DPD IKE message by peer
    std::map<uint32_t, PeerCounters> m_counters;  //!< DPD message counts by peer
    uint64_t m_peersWithoutDpd;                   //!< IKE SAs without DPD support

    TracedCallback<Ipv4Address, Time> m_peerDeadTrace; //!< peer declared dead
    TracedCallback<const std::string&, uint32_t, Ipv4Address, Ipv4Address>
        m_failoverTrace;                                             //!< entry moved to next peer
    TracedCallback<Ipv4Address, uint16_t, uint32_t> m_sentTrace;     //!< DPD message sent
    TracedCallback<Ipv4Address, uint16_t, uint32_t> m_receivedTrace; //!< DPD message received
    TracedCallback<Ipv4Address, bool> m_sasInstalledTrace;           //!< quick mode SAs
    TracedCallback<Ipv4Address, Ptr<DeadPeerDetector>> m_detectorTrace; //!< detector created
};

} // namespace ns3

#endif // ISAKMP_KEEPALIVE_H
