// Copyright (c) 2026 The ns3-ipsec authors
// SPDX-License-Identifier: GPL-2.0-only

#ifndef IPSEC_KEY_MANAGER_H
#define IPSEC_KEY_MANAGER_H

#include "crypto-map.h"
#include "ipsec-security-association.h"

#include "ns3/ipv4-address.h"
#include "ns3/object.h"
#include "ns3/packet.h"

#include <cstdint>
#include <vector>

namespace ns3
{

class IpsecNetDevice;

/**
 * \ingroup ipsec
 * Why the IPsec stack removed SAs, as reported to the key manager.
 */
enum class IpsecSaDeleteReason : uint8_t
{
    HARD_EXPIRED, //!< the time or volume lifetime ran out
    IDLE,         //!< no traffic for the idle time
    CLEARED,      //!< an operator command (`clear crypto sa`, `clear crypto session`)
    PEER_DELETE,  //!< the peer sent a DELETE or an INVALID_SPI notification
    PEER_DEAD,    //!< dead peer detection declared the peer dead
    REBOOT,       //!< the node rebooted
};

/**
 * \ingroup ipsec
 * \param reason a delete reason
 * \return its name, e.g. "idle"
 */
const char* IpsecSaDeleteReasonName(IpsecSaDeleteReason reason);

/**
 * \ingroup ipsec
 * The interface between the IPsec stack and the protocol that negotiates its SAs (IKE).
 *
 * The stack calls these methods, in the spirit of the PF_KEY messages of RFC 2367:
 * ACQUIRE when traffic needs an SA, soft EXPIRE when an SA in use should be replaced,
 * and DELETE when the stack removed SAs. The key manager installs SAs through
 * IpsecStack::InstallSas and removes them through IpsecStack::DeleteSa.
 */
class IpsecKeyManager : public Object
{
  public:
    /**
     * \brief Get the type ID.
     * \return the object TypeId
     */
    static TypeId GetTypeId();

    /**
     * Requests SAs for traffic that matched a crypto map entry with no outbound SA.
     *
     * Called for every such packet, so a negotiation already under way for the same entry,
     * peer and traffic class must not start another one.
     *
     * \param device the interface carrying the crypto map (its address is the local endpoint)
     * \param cryptoMap the crypto map
     * \param entry the matching entry; its current peer is the one to negotiate with
     * \param trafficClass the traffic class (SEPARATE_SAS mode), else 0
     * \param packet the packet that needs the SA
     * \return true if the key manager kept the packet to send once the SAs exist; false
     *         and the stack drops and counts it (as IOS does)
     */
    virtual bool Acquire(Ptr<IpsecNetDevice> device,
                         Ptr<CryptoMap> cryptoMap,
                         Ptr<CryptoMapEntry> entry,
                         uint32_t trafficClass,
                         Ptr<const Packet> packet) = 0;

    /**
     * Reports that an SA set reached its soft lifetime while in use, so a replacement should
     * be negotiated before the hard lifetime removes it. Called at most once per set, with
     * the set's outbound SA if it carried packets, else an inbound SA that did. A set that
     * carried no packet is not reported.
     * \param sa the SA
     */
    virtual void SoftExpired(Ptr<IpsecSecurityAssociation> sa) = 0;

    /**
     * Reports SAs the stack removed on its own (lifetime, idle timer, operator command).
     * The key manager tells the peer (DELETE notification for the inbound SPIs) unless the
     * reason makes that pointless, and removes the IKE SA when the idle timer removed the
     * last IPsec SA to a peer.
     * \param sas the removed SAs, inbound and outbound
     * \param reason why they were removed
     */
    virtual void SasDeleted(const std::vector<Ptr<IpsecSecurityAssociation>>& sas,
                            IpsecSaDeleteReason reason) = 0;

    /**
     * Reports an inbound ESP or AH packet whose SPI matches no SA.
     * \param source the outer source address (the sender)
     * \param destination the outer destination address (this node)
     * \param protocol ESP or AH
     * \param spi the unknown SPI
     */
    virtual void InvalidSpi(Ipv4Address source,
                            Ipv4Address destination,
                            IpsecProtocol protocol,
                            uint32_t spi) = 0;

    /**
     * Reports the first outbound packet on an SA after IpsecSecurityAssociation::WatchSend
     * was called on it (used by on-demand dead peer detection).
     * \param sa the outbound SA
     */
    virtual void SendObserved(Ptr<IpsecSecurityAssociation> sa) = 0;

    /**
     * Forgets all negotiation state (IKE SAs, exchanges under way, timers), as a rebooting
     * node does. Sends nothing.
     */
    virtual void Reset() = 0;
};

} // namespace ns3

#endif // IPSEC_KEY_MANAGER_H
