// Copyright (c) 2026 The ns3-ipsec authors
// SPDX-License-Identifier: GPL-2.0-only

#ifndef IKE_SA_H
#define IKE_SA_H

#include "isakmp-policy.h"

#include "ns3/event-id.h"
#include "ns3/ipv4-address.h"
#include "ns3/nstime.h"
#include "ns3/simple-ref-count.h"

#include <cstdint>
#include <string>
#include <vector>

namespace ns3
{

/**
 * \ingroup ipsec
 * State of an IKE SA, named as `show crypto isakmp sa` prints it.
 */
enum class IkeSaState : uint8_t
{
    MM_NO_STATE, //!< main mode started (MM1 sent or received), or the SA was deleted
    MM_SA_SETUP, //!< policy agreed (MM2 sent or received)
    MM_KEY_EXCH, //!< Diffie-Hellman values exchanged (MM3 and MM4)
    QM_IDLE,     //!< authenticated: quick mode and informational exchanges may run
};

/**
 * \ingroup ipsec
 * \param state an IKE SA state
 * \return its name, e.g. "QM_IDLE"
 */
const char* IkeSaStateName(IkeSaState state);

/**
 * \ingroup ipsec
 * One IKE (ISAKMP) SA: the phase 1 control channel between this node and one peer,
 * identified by the initiator's and the responder's cookies.
 *
 * It contains the agreed policy, the exchanged nonces and Diffie-Hellman values and the keys
 * derived from them (RFC 2409 section 5): SKEYID, SKEYID_d (keying material of IPsec SAs),
 * SKEYID_a (HASH of quick mode and informational messages) and SKEYID_e (encryption). The
 * IkeDaemon creates and changes it; other code reads it through the getters.
 */
class IkeSa : public SimpleRefCount<IkeSa>
{
  public:
    /**
     * Creates an IKE SA in MM_NO_STATE.
     * \param initiator true if this node sent MM1
     * \param local the local address
     * \param peer the peer address
     * \param connectionId the conn-id shown in `show crypto isakmp sa`
     */
    IkeSa(bool initiator, Ipv4Address local, Ipv4Address peer, uint32_t connectionId);

    /// \return the state
    IkeSaState GetState() const;
    /// \return true once deleted (still listed as "(deleted)" for a while)
    bool IsDeleted() const;
    /// \return true when established (QM_IDLE) and not deleted
    bool IsEstablished() const;
    /// \return true if this node initiated main mode
    bool IsInitiator() const;
    /// \return the local address
    Ipv4Address GetLocalAddress() const;
    /// \return the peer address
    Ipv4Address GetPeerAddress() const;
    /// \return the initiator cookie
    uint64_t GetInitiatorCookie() const;
    /// \return the responder cookie (0 until MM2)
    uint64_t GetResponderCookie() const;
    /// \return the conn-id
    uint32_t GetConnectionId() const;
    /// \return the agreed policy (meaningful from MM_SA_SETUP on)
    const IsakmpPolicy& GetPolicy() const;
    /// \return the simulated time at which the SA reached QM_IDLE (0 before)
    Time GetEstablishedTime() const;
    /// \return the vendor IDs the peer announced in main mode
    const std::vector<std::vector<uint8_t>>& GetPeerVendorIds() const;
    /**
     * Tests whether the peer announced a vendor ID.
     * \param vendorId the vendor ID bytes
     * \return true if announced
     */
    bool HasPeerVendorId(const std::vector<uint8_t>& vendorId) const;
    /// \return the 16 bytes CKY-I | CKY-R (the SPI of notifications about this IKE SA)
    std::vector<uint8_t> GetCookieBytes() const;

  private:
    friend class IkeDaemon;

    /**
     * Cancels the retransmission, processing and expiry events and releases them. The
     * events hold this SA as an argument, so an EventId that keeps a cancelled or expired
     * event would keep the SA alive in a reference cycle.
     */
    void CancelEvents();

    IkeSaState m_state;                                //!< state
    bool m_deleted;                                    //!< deleted, listed until purged
    bool m_initiator;                                  //!< this node sent MM1
    Ipv4Address m_local;                               //!< local address
    Ipv4Address m_peer;                                //!< peer address
    uint64_t m_initiatorCookie;                        //!< CKY-I
    uint64_t m_responderCookie;                        //!< CKY-R
    uint32_t m_connectionId;                           //!< conn-id
    IsakmpPolicy m_policy;                             //!< agreed policy
    std::string m_preSharedKey;                        //!< key of the peer
    std::vector<uint8_t> m_saBody;                     //!< SAi_b: body of the MM1 SA payload
    std::vector<uint8_t> m_nonceInitiator;             //!< Ni_b
    std::vector<uint8_t> m_nonceResponder;             //!< Nr_b
    std::vector<uint8_t> m_keInitiator;                //!< g^xi
    std::vector<uint8_t> m_keResponder;                //!< g^xr
    std::vector<uint8_t> m_sharedSecret;               //!< g^xy (modelled, see IkeDaemon)
    std::vector<uint8_t> m_skeyid;                     //!< SKEYID
    std::vector<uint8_t> m_skeyidD;                    //!< SKEYID_d
    std::vector<uint8_t> m_skeyidA;                    //!< SKEYID_a
    std::vector<uint8_t> m_skeyidE;                    //!< SKEYID_e
    std::vector<std::vector<uint8_t>> m_peerVendorIds; //!< vendor IDs the peer announced
    std::vector<uint8_t> m_lastSent;                   //!< last message sent, for resending
    std::vector<uint8_t> m_lastReceived;               //!< last message received
    uint32_t m_retransmissions;                        //!< retransmissions of m_lastSent
    EventId m_retransmitEvent;                         //!< next retransmission
    EventId m_processingEvent;                         //!< delayed step (DH or authentication)
    EventId m_expireEvent;                             //!< lifetime end, or purge once deleted
    Time m_createdTime;                                //!< creation time
    Time m_establishedTime;                            //!< time QM_IDLE was reached
};

} // namespace ns3

#endif // IKE_SA_H
