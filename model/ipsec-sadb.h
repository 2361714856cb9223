// Copyright (c) 2026 The ns3-ipsec authors
// SPDX-License-Identifier: GPL-2.0-only

#ifndef IPSEC_SADB_H
#define IPSEC_SADB_H

#include "ipsec-security-association.h"

#include "ns3/object.h"
#include "ns3/traced-callback.h"

#include <cstdint>
#include <map>
#include <tuple>
#include <unordered_map>
#include <utility>
#include <vector>

namespace ns3
{

class CryptoMapEntry;

/**
 * \ingroup ipsec
 * The security association database (SADB) of one node.
 *
 * Inbound SAs are found by SPI and protocol, with one hash lookup per packet. Outbound SA
 * bundles are found by crypto map entry and peer. The entry also caches its bundle in use,
 * so the per-packet path needs no lookup at all.
 */
class IpsecSadb : public Object
{
  public:
    /**
     * \brief Get the type ID.
     * \return the object TypeId
     */
    static TypeId GetTypeId();
    IpsecSadb();
    ~IpsecSadb() override;

    /**
     * TracedCallback signature for SA creation and deletion.
     * \param sa the SA
     */
    typedef void (*SaTracedCallback)(Ptr<const IpsecSecurityAssociation> sa);

    /**
     * Adds an inbound SA. An SA with the same SPI and protocol must not exist.
     * \param sa the SA
     */
    void AddInbound(Ptr<IpsecSecurityAssociation> sa);

    /**
     * Finds an inbound SA.
     * \param spi the SPI from the packet
     * \param protocol ESP or AH
     * \return the SA, or nullptr
     */
    Ptr<IpsecSecurityAssociation> FindInbound(uint32_t spi, IpsecProtocol protocol) const;

    /**
     * Adds or replaces the outbound bundle of a crypto map entry and peer, and makes it the
     * entry's bundle in use. A replaced bundle stays in the SADB, listed by GetOutboundSas,
     * but carries no more traffic, until Remove deletes it (after a rekey the IPsec stack
     * keeps the old SAs until their own lifetime ends).
     * \param entry the crypto map entry
     * \param peer the peer address
     * \param bundle the SAs
     * \param trafficClass the traffic class the bundle carries (0 without classes)
     */
    void SetOutbound(Ptr<CryptoMapEntry> entry,
                     Ipv4Address peer,
                     Ptr<IpsecSaBundle> bundle,
                     uint32_t trafficClass = 0);

    /**
     * Finds the outbound bundle of a crypto map entry and peer.
     * \param entry the crypto map entry
     * \param peer the peer address
     * \param trafficClass the traffic class (0 without classes)
     * \return the bundle, or nullptr
     */
    Ptr<IpsecSaBundle> FindOutbound(Ptr<const CryptoMapEntry> entry,
                                    Ipv4Address peer,
                                    uint32_t trafficClass = 0) const;

    /**
     * Removes one SA (inbound or outbound) and clears any cached reference to it.
     * \param sa the SA
     */
    void Remove(Ptr<IpsecSecurityAssociation> sa);

    /// Removes every SA (`clear crypto sa`, or a reboot).
    void Clear();

    /// \return true if the SPI is in use by an inbound SA of either protocol
    bool IsSpiInUse(uint32_t spi) const;

    /// \return the inbound SAs, ordered by protocol and SPI
    std::vector<Ptr<IpsecSecurityAssociation>> GetInboundSas() const;
    /// \return the outbound SAs, in the order they were added
    std::vector<Ptr<IpsecSecurityAssociation>> GetOutboundSas() const;
    /// \return the number of SAs in both directions
    uint32_t GetSaCount() const;

  protected:
    void DoDispose() override;

  private:
    /// \return the inbound map key of an SPI and protocol
    static uint64_t MakeKey(uint32_t spi, IpsecProtocol protocol);

    /// Outbound map key: crypto map entry, peer address and traffic class.
    typedef std::tuple<const CryptoMapEntry*, uint32_t, uint32_t> OutboundKey;

    std::unordered_map<uint64_t, Ptr<IpsecSecurityAssociation>> m_inbound; //!< by SPI and protocol
    std::map<OutboundKey, Ptr<IpsecSaBundle>> m_outbound;                  //!< by entry and peer
    std::map<OutboundKey, Ptr<CryptoMapEntry>> m_outboundEntries; //!< entries with a cached bundle
    std::vector<Ptr<IpsecSaBundle>> m_replaced; //!< replaced bundles that carry no traffic
    TracedCallback<Ptr<const IpsecSecurityAssociation>> m_saAddedTrace;   //!< SA added
    TracedCallback<Ptr<const IpsecSecurityAssociation>> m_saRemovedTrace; //!< SA removed
};

} // namespace ns3

#endif // IPSEC_SADB_H
