// Copyright (c) 2026 The ns3-ipsec authors
// SPDX-License-Identifier: GPL-2.0-only

#ifndef DEAD_PEER_DETECTION_H
#define DEAD_PEER_DETECTION_H

#include "ns3/callback.h"
#include "ns3/event-id.h"
#include "ns3/ipv4-address.h"
#include "ns3/nstime.h"
#include "ns3/object.h"
#include "ns3/random-variable-stream.h"
#include "ns3/traced-callback.h"

#include <cstdint>
#include <string>

namespace ns3
{

/**
 * \ingroup ipsec
 * When dead peer detection sends R-U-THERE messages, as the last keyword of
 * `crypto isakmp keepalive` selects it.
 */
enum DpdMode
{
    DPD_ON_DEMAND, //!< only when there is traffic to send and the peer was silent (default)
    DPD_PERIODIC,  //!< every interval, idle or not, unless the peer proved itself alive
};

/**
 * \ingroup ipsec
 * The settings of `crypto isakmp keepalive <seconds> [<retry-seconds>] [periodic |
 * on-demand]`.
 *
 * A parser fills the fields from the command and calls Validate(). The ranges are those of
 * the IOS command: 10..3600 seconds for the interval and 2..60 seconds for the retry
 * interval, which defaults to 2 seconds.
 */
struct DpdConfig
{
    static constexpr uint32_t MIN_INTERVAL = 10;   //!< smallest interval (seconds)
    static constexpr uint32_t MAX_INTERVAL = 3600; //!< largest interval (seconds)
    static constexpr uint32_t MIN_RETRY = 2;       //!< smallest retry interval (seconds)
    static constexpr uint32_t MAX_RETRY = 60;      //!< largest retry interval (seconds)
    static constexpr uint32_t DEFAULT_RETRY = 2;   //!< retry interval when none is given

    /// Seconds between R-U-THERE messages (periodic) or of silence before one (on-demand).
    /// It is 0 when the command gave none, which Validate() rejects.
    uint32_t interval{0};
    uint32_t retry{DEFAULT_RETRY}; //!< seconds between retransmissions of an unanswered one
    DpdMode mode{DPD_ON_DEMAND};   //!< periodic or on-demand

    /**
     * Checks the values against the ranges of the IOS command.
     * \return an empty string if the settings are valid, else the reason, which names the
     *         allowed range, e.g. "keepalive interval 5 is out of range 10..3600 seconds"
     */
    std::string Validate() const;
};

/**
 * \ingroup ipsec
 * Dead peer detection (DPD, RFC 3706) for one IKE SA, as a timer state machine.
 *
 * The detector sends nothing itself. The IKE SA that owns it feeds it the DPD messages it
 * receives and a few hints, and carries out what the detector requests through callbacks:
 *
 *  - inputs: Start() and Stop(); ReceiveRuThere() and ReceiveRuThereAck() with the
 *    sequence number of the notification; NotifyOutboundTraffic() when the outbound SA
 *    reports traffic after a send watch (IpsecKeyManager::SendObserved);
 *  - outputs: the send-R-U-THERE, send-R-U-THERE-ACK, arm-send-watch and peer-dead
 *    callbacks;
 *  - lazy evidence: the last-inbound callback returns the time of the last packet received
 *    from the peer (for example the latest IpsecSecurityAssociation::GetLastUsedTime of the
 *    inbound SAs to it). The detector calls it only when a timer expires, so the packet
 *    path needs no per-packet call.
 *
 * States:
 *  - STOPPED: not started, or stopped. R-U-THERE messages from the peer are still acknowledged.
 *  - WATCHING: the peer is believed alive and a timer runs (the next periodic message, or
 *    the on-demand check of the peer's silence).
 *  - ARMED (on-demand only): nothing came from the peer for the interval, so the detector
 *    asked for a send watch. The next outbound packet starts a probe; with nothing to
 *    send, the detector stays here and sends nothing.
 *  - PROBING: the first R-U-THERE of a round is unanswered.
 *  - RETRYING: at least one retransmission was sent and is unanswered.
 *  - DEAD: MaxUnansweredMessages went unanswered and the peer-dead callback ran. The
 *    detector does nothing more until Start() is called again.
 *
 * A round ends when an R-U-THERE-ACK carries the sequence number of one of the round's
 * R-U-THERE messages, or when, at a retransmission time, the proof-of-life rule finds
 * evidence from the peer newer than the round's first message. Either way the detector
 * goes back to WATCHING. With MaxUnansweredMessages = N and retry interval r, a silent
 * peer gets messages at t, t + r, ..., t + (N - 1) r and is declared dead at t + N r; the
 * default N = 5 reproduces the router's debug trace (dead 5 r after the first message).
 *
 * Sequence numbers start at a random value (AssignStreams fixes the stream) and grow by one
 * for every R-U-THERE sent, retransmissions included: each retransmission is a new
 * informational exchange, as the new IKE message ID of each retransmission in the router's
 * trace shows, and the R-U-THERE-ACK echoes the sequence number of the message it answers
 * (RFC 3706). An ACK is accepted for any sequence number of the current round, so a late
 * answer to an earlier transmission still proves the peer alive. Other ACKs are ignored
 * and counted.
 *
 * Proof of life. In on-demand mode anything received from the peer counts (the
 * last-inbound callback, R-U-THERE and R-U-THERE-ACK). In periodic mode the ProofOfLife
 * attribute decides: HELLO_ONLY counts only the peer's own R-U-THERE (the router guide:
 * "unless the router receives a hello message from the peer"); ANY_INBOUND also counts
 * the last-inbound callback, as RFC 3706 allows. The ACK that answers the detector's own
 * message ends a round but, with the FIXED_SCHEDULE timer, is not proof of life for the
 * next interval, so an idle tunnel to a live peer costs one R-U-THERE per interval.
 */
class DeadPeerDetector : public Object
{
  public:
    /// Detector states (see the class description).
    enum State
    {
        STOPPED,  //!< not started or stopped
        WATCHING, //!< peer believed alive, timer running
        ARMED,    //!< on-demand: peer silent for the interval, waiting for traffic to send
        PROBING,  //!< first R-U-THERE of a round unanswered
        RETRYING, //!< retransmissions unanswered
        DEAD,     //!< peer declared dead
    };

    /// Proof-of-life rule of periodic mode.
    enum ProofOfLife
    {
        HELLO_ONLY,  //!< only an R-U-THERE from the peer
        ANY_INBOUND, //!< also any authenticated inbound IPsec or IKE traffic
    };

    /// Rule that sets the time of the next periodic R-U-THERE.
    enum TimerReset
    {
        FIXED_SCHEDULE,    //!< every interval after Start(), whatever the peer sends
        LAST_PROOF_OF_LIFE //!< one interval after the last proof of life, ACKs included
    };

    /// Reason an R-U-THERE-ACK was ignored.
    enum AckIgnoreReason
    {
        WRONG_SEQUENCE,      //!< the sequence number matches no R-U-THERE of the round
        NO_PROBE_OUTSTANDING //!< no R-U-THERE is waiting for an answer
    };

    /**
     * \brief Get the type ID.
     * \return the object TypeId
     */
    static TypeId GetTypeId();
    DeadPeerDetector();
    ~DeadPeerDetector() override;

    /**
     * TracedCallback signature for state changes.
     * \param oldState the state left
     * \param newState the state entered
     */
    typedef void (*StateTracedCallback)(State oldState, State newState);

    /**
     * TracedCallback signature for an R-U-THERE sent.
     * \param sequence the sequence number
     * \param attempt 1 for the first message of a round, 2 and up for retransmissions
     */
    typedef void (*RuThereSentTracedCallback)(uint32_t sequence, uint32_t attempt);

    /**
     * TracedCallback signature for DPD messages received or acknowledged.
     * \param sequence the sequence number
     */
    typedef void (*SequenceTracedCallback)(uint32_t sequence);

    /**
     * TracedCallback signature for an ignored R-U-THERE-ACK.
     * \param sequence the sequence number it carried
     * \param reason why it was ignored
     */
    typedef void (*AckIgnoredTracedCallback)(uint32_t sequence, AckIgnoreReason reason);

    /**
     * Applies the settings of `crypto isakmp keepalive`. Aborts if they are invalid, so
     * parsers call DpdConfig::Validate() first to report the error.
     * \param config the settings
     */
    void SetConfig(const DpdConfig& config);
    /// \return the current settings, with the intervals rounded down to whole seconds
    DpdConfig GetConfig() const;

    /**
     * Sets the peer address used in log messages.
     * \param peer the IKE peer
     */
    void SetPeerAddress(Ipv4Address peer);
    /// \return the IKE peer address
    Ipv4Address GetPeerAddress() const;

    /**
     * Sets the function that sends an R-U-THERE notification to the peer.
     * \param callback called with the sequence number to send
     */
    void SetSendRuThereCallback(Callback<void, uint32_t> callback);
    /**
     * Sets the function that sends an R-U-THERE-ACK notification to the peer.
     * \param callback called with the sequence number to echo
     */
    void SetSendAckCallback(Callback<void, uint32_t> callback);
    /**
     * Sets the function that arms a send watch on the outbound SA to the peer
     * (IpsecSecurityAssociation::WatchSend). The IKE SA then calls NotifyOutboundTraffic()
     * on the next outbound packet. Called in on-demand mode only, once per silent interval.
     * \param callback the function
     */
    void SetArmSendWatchCallback(Callback<void> callback);
    /**
     * Sets the function called once when the peer is declared dead. The IKE side deletes
     * the IKE and IPsec SAs and logs the session-down message (FormatSessionDownText).
     * \param callback the function
     */
    void SetPeerDeadCallback(Callback<void> callback);
    /**
     * Sets the function that returns the time of the last packet received from the peer.
     * It should cover inbound IPsec SAs and IKE messages other than DPD ones, because the
     * detector counts the DPD messages itself. Without it, only DPD messages are evidence.
     * \param callback the function
     */
    void SetLastInboundTimeCallback(Callback<Time> callback);

    /// Starts detection (from STOPPED or DEAD), as when the IKE SA is established.
    void Start();
    /// Stops detection and cancels its timer. R-U-THERE messages are still acknowledged.
    void Stop();

    /**
     * Handles an R-U-THERE from the peer: records it as proof of life and acknowledges it
     * with an R-U-THERE-ACK of the same sequence number, unless the peer was declared dead.
     * \param sequence the sequence number of the notification
     */
    void ReceiveRuThere(uint32_t sequence);
    /**
     * Handles an R-U-THERE-ACK from the peer. An ACK for an R-U-THERE of the current round
     * ends the round, and any other is ignored and counted.
     * \param sequence the sequence number of the notification
     */
    void ReceiveRuThereAck(uint32_t sequence);
    /**
     * Reports traffic waiting to go to the peer after a send watch was armed. Starts a
     * probe in on-demand mode if the peer is still silent. Other states ignore it.
     */
    void NotifyOutboundTraffic();

    /// \return the current state
    State GetState() const;
    /**
     * \param state a state
     * \return its name, e.g. "PROBING"
     */
    static const char* GetStateName(State state);

    /// \return the number of R-U-THERE messages sent, retransmissions included
    uint64_t GetRuThereSent() const;
    /// \return the number of those that were retransmissions
    uint64_t GetRuThereRetransmitted() const;
    /// \return the number of R-U-THERE messages received from the peer
    uint64_t GetRuThereReceived() const;
    /// \return the number of R-U-THERE-ACK messages sent
    uint64_t GetAckSent() const;
    /// \return the number of R-U-THERE-ACK messages accepted
    uint64_t GetAckReceived() const;
    /// \return the number of R-U-THERE-ACK messages ignored
    uint64_t GetAckIgnored() const;
    /// \return the number of periodic timer expiries that sent nothing (proof of life seen)
    uint64_t GetTicksSkipped() const;
    /// \return the number of times the peer was declared dead
    uint64_t GetDeadCount() const;

    /**
     * Formats the text of the session-down log message, for IpsecSyslog::Log with
     * facility CRYPTO, severity 5 and mnemonic SESSION_STATUS.
     * \param peer the IKE peer
     * \return e.g. "Crypto tunnel is DOWN. Peer 10.2.80.209:500 Id: 10.2.80.209"
     */
    static std::string FormatSessionDownText(Ipv4Address peer);

    /**
     * Assigns a fixed random variable stream number to the random variables used by this
     * model (the initial sequence number).
     * \param stream first stream index to use
     * \return the number of stream indices assigned
     */
    int64_t AssignStreams(int64_t stream);

  protected:
    void DoDispose() override;

  private:
    /**
     * Enters a state and fires the State trace.
     * \param state the new state
     */
    void SetState(State state);

    /**
     * Returns the latest evidence that the peer is alive, never earlier than Start().
     * \param includeAck true to count accepted R-U-THERE-ACK messages
     * \param includeInbound true to count the last-inbound callback
     * \return the simulated time of the latest evidence
     */
    Time GetLastProofOfLife(bool includeAck, bool includeInbound) const;
    /// \return true if the configured rule counts inbound traffic as proof of life
    bool CountsInboundTraffic() const;

    /**
     * Schedules the single timer of the detector, cancelling the pending one.
     * \param when the absolute simulated time (now if earlier)
     * \param handler the member function to run
     */
    void ScheduleTimer(Time when, void (DeadPeerDetector::*handler)());
    /// Schedules the next periodic expiry or on-demand check after a round or Start().
    void ScheduleNextCheck();

    /// Handles the periodic timer: sends an R-U-THERE unless the peer proved itself alive.
    void HandlePeriodicTimer();
    /// Handles the on-demand timer: arms the send watch if the peer stayed silent.
    void HandleOnDemandTimer();
    /// Handles the retransmission timer: retransmits, ends the round, or declares death.
    void HandleRetryTimer();

    /// Starts a round with its first R-U-THERE.
    void StartRound();
    /// Sends the next R-U-THERE of the current round.
    void SendRuThere();
    /**
     * Ends the current round because the peer proved itself alive.
     * \param why a short description for the log
     */
    void EndRound(const char* why);
    /// Declares the peer dead and runs the peer-dead callback.
    void DeclareDead();

    /**
     * Formats a sequence number as the router's debug output does.
     * \param sequence the sequence number
     * \return e.g. "0x9"
     */
    static std::string FormatSequence(uint32_t sequence);

    Time m_interval;                  //!< periodic interval or on-demand silence
    Time m_retryInterval;             //!< time between retransmissions
    DpdMode m_mode;                   //!< periodic or on-demand
    uint32_t m_maxUnanswered;         //!< unanswered messages before the peer is dead
    ProofOfLife m_proofOfLife;        //!< periodic-mode proof-of-life rule
    TimerReset m_timerReset;          //!< periodic-mode timer rule
    Ipv4Address m_peer;               //!< peer address for log messages
    State m_state;                    //!< current state
    EventId m_timer;                  //!< the one pending timer of any state
    Time m_startTime;                 //!< when Start() was last called
    Time m_lastHello;                 //!< last R-U-THERE received
    Time m_lastAck;                   //!< last R-U-THERE-ACK accepted
    Time m_roundStart;                //!< first R-U-THERE of the current round
    uint32_t m_roundFirstSequence;    //!< sequence number of that message
    uint32_t m_lastSequence;          //!< sequence number of the latest R-U-THERE sent
    uint32_t m_roundAttempts;         //!< messages sent in the current round
    bool m_sequenceDrawn;             //!< true once the random initial number was drawn
    Ptr<UniformRandomVariable> m_rng; //!< draws the initial sequence number

    Callback<void, uint32_t> m_sendRuThere; //!< sends an R-U-THERE
    Callback<void, uint32_t> m_sendAck;     //!< sends an R-U-THERE-ACK
    Callback<void> m_armSendWatch;          //!< arms the outbound send watch
    Callback<void> m_peerDead;              //!< reports the peer dead
    Callback<Time> m_lastInbound;           //!< returns the last inbound packet time

    uint64_t m_ruThereSent;          //!< R-U-THERE messages sent
    uint64_t m_ruThereRetransmitted; //!< of which retransmissions
    uint64_t m_ruThereReceived;      //!< R-U-THERE messages received
    uint64_t m_ackSent;              //!< R-U-THERE-ACK messages sent
    uint64_t m_ackReceived;          //!< R-U-THERE-ACK messages accepted
    uint64_t m_ackIgnored;           //!< R-U-THERE-ACK messages ignored
    uint64_t m_ticksSkipped;         //!< periodic expiries without a message
    uint64_t m_deadCount;            //!< times the peer was declared dead

    TracedCallback<State, State> m_stateTrace;                   //!< state changes
    TracedCallback<uint32_t, uint32_t> m_ruThereSentTrace;       //!< R-U-THERE sent
    TracedCallback<uint32_t> m_ruThereReceivedTrace;             //!< R-U-THERE received
    TracedCallback<uint32_t> m_ackSentTrace;                     //!< R-U-THERE-ACK sent
    TracedCallback<uint32_t> m_ackReceivedTrace;                 //!< R-U-THERE-ACK accepted
    TracedCallback<uint32_t, AckIgnoreReason> m_ackIgnoredTrace; //!< R-U-THERE-ACK ignored
};

} // namespace ns3

#endif // DEAD_PEER_DETECTION_H
