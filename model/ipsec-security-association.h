// Copyright (c) 2026 The ns3-ipsec authors
// SPDX-License-Identifier: GPL-2.0-only

#ifndef IPSEC_SECURITY_ASSOCIATION_H
#define IPSEC_SECURITY_ASSOCIATION_H

#include "anti-replay-window.h"
#include "ipsec-cipher.h"
#include "ipsec-integrity.h"
#include "ipsec-transform-set.h"
#include "ipv4-access-list.h"
#include "reordering-histogram.h"

#include "ns3/ipv4-address.h"
#include "ns3/net-device.h"
#include "ns3/nstime.h"
#include "ns3/ptr.h"
#include "ns3/simple-ref-count.h"

#include <cstdint>
#include <limits>
#include <memory>
#include <string>
#include <vector>

namespace ns3
{

/**
 * \ingroup ipsec
 * Direction of an SA, seen from the node that owns it.
 */
enum class IpsecDirection : uint8_t
{
    INBOUND,  //!< decrypts and verifies packets from the peer
    OUTBOUND, //!< encrypts and authenticates packets to the peer
};

/**
 * \ingroup ipsec
 * Packet counters of an SA, named as `show crypto ipsec sa` prints them.
 */
struct IpsecSaCounters
{
    uint64_t encaps{0};          //!< packets encapsulated (outbound)
    uint64_t encrypt{0};         //!< packets encrypted (outbound)
    uint64_t digest{0};          //!< packets given an ICV (outbound)
    uint64_t decaps{0};          //!< packets decapsulated (inbound)
    uint64_t decrypt{0};         //!< packets decrypted (inbound)
    uint64_t verify{0};          //!< packets whose ICV verified (inbound)
    uint64_t sendErrors{0};      //!< outbound packets that could not be protected
    uint64_t recvErrors{0};      //!< inbound packets dropped after the SA was found
    uint64_t replayDuplicate{0}; //!< inbound packets dropped as duplicates
    uint64_t replayTooOld{0};    //!< inbound packets dropped below the replay window
    uint64_t bytes{0}; //!< payload bytes protected or verified, without this SA's own overhead
};

/**
 * \ingroup ipsec
 * One IPsec security association: one direction, one protocol (ESP or AH), one SPI.
 *
 * An SA contains its keys and the OpenSSL contexts made from them, its traffic selectors
 * (the crypto map entry's access list), the sequence number counter (outbound) or the
 * anti-replay window (inbound), its lifetimes and its counters. SAs are made by manual
 * keying or by a key manager through IpsecStack::CreateSa, and kept in the node's
 * IpsecSadb (IpsecSadb::AddInbound, IpsecSadb::SetOutbound).
 */
class IpsecSecurityAssociation : public SimpleRefCount<IpsecSecurityAssociation>
{
  public:
    /**
     * Creates an SA and keys its cipher and integrity contexts.
     * \param direction inbound or outbound
     * \param protocol ESP or AH
     * \param spi the security parameter index
     * \param transformSet the transform set (algorithms, mode)
     * \param encryptionKey the ESP encryption key (GCM: key then 4-byte salt), empty for AH
     * \param integrityKey the integrity key, empty for esp-gcm and esp-null without integrity
     * \param localAddress the local tunnel endpoint
     * \param peerAddress the remote tunnel endpoint
     * \param modelled true for modelled crypto (no cipher work, cheap integrity check)
     */
    IpsecSecurityAssociation(IpsecDirection direction,
                             IpsecProtocol protocol,
                             uint32_t spi,
                             const IpsecTransformSet& transformSet,
                             const std::vector<uint8_t>& encryptionKey,
                             const std::vector<uint8_t>& integrityKey,
                             Ipv4Address localAddress,
                             Ipv4Address peerAddress,
                             bool modelled);

    /// \return inbound or outbound
    IpsecDirection GetDirection() const;
    /// \return ESP or AH
    IpsecProtocol GetProtocol() const;
    /// \return the security parameter index
    uint32_t GetSpi() const;
    /// \return the encapsulation mode
    IpsecMode GetMode() const;
    /// \return the transform set the SA was made from
    const IpsecTransformSet& GetTransformSet() const;
    /// \return the local tunnel endpoint
    Ipv4Address GetLocalAddress() const;
    /// \return the remote tunnel endpoint (the peer)
    Ipv4Address GetPeerAddress() const;
    /// \return true if the SA uses modelled crypto
    bool IsModelled() const;

    /// \return the ESP encryption key (GCM: key then salt)
    const std::vector<uint8_t>& GetEncryptionKey() const;
    /// \return the integrity key
    const std::vector<uint8_t>& GetIntegrityKey() const;
    /// \return the ESP cipher, or nullptr for AH
    IpsecCipher* GetCipher() const;
    /// \return the integrity check, or nullptr for esp-gcm and esp-null without integrity
    IpsecIntegrityCheck* GetIntegrityCheck() const;
    /// \return the ICV length in bytes carried in each packet (cipher tag or HMAC)
    uint32_t GetIcvLength() const;

    /**
     * Sets the traffic selectors: the access list of the crypto map entry, written from
     * this node's point of view (source = local protected network).
     * \param selectors the access list
     */
    void SetSelectors(Ptr<const Ipv4AccessList> selectors);
    /// \return the traffic selectors, or nullptr if any traffic is allowed
    Ptr<const Ipv4AccessList> GetSelectors() const;

    /**
     * Uses 64-bit extended sequence numbers (RFC 4303 appendix A) instead of 32-bit ones.
     * Applies to the sender's counter and the receiver's window.
     * \param enabled true for ESN
     */
    void SetExtendedSequenceNumbers(bool enabled);
    /// \return true with ESN
    bool IsExtendedSequenceNumbers() const;

    /**
     * Splits the 32-bit sequence number field into spaces, one per traffic class: the space
     * index goes in the top ceil(log2(count)) bits and each space counts from 1 on its own,
     * with its own replay window. Not available with ESN.
     * \param count the number of spaces, 1 (no split) to 16
     */
    void SetSequenceSpaces(uint32_t count);
    /// \return the number of sequence-number spaces (1 without a split)
    uint32_t GetSequenceSpaceCount() const;
    /**
     * \param low the 32-bit sequence number field of a packet
     * \return the space the number belongs to (0 without a split)
     */
    uint32_t GetSequenceSpace(uint32_t low) const;

    /**
     * Assigns the next outbound sequence number.
     *
     * Numbers start at 1 in every space. Without ESN a counter that would cycle (past
     * 2^32 - 1, or past the space's share of the field) returns 0 instead: the SA is
     * exhausted and must be replaced (RFC 4303 section 3.3.3).
     *
     * \param space the sequence-number space (the traffic class), 0 without a split
     * \return the sequence number as sent, space bits included, or 0 if exhausted
     */
    uint64_t NextSequenceNumber(uint32_t space = 0);
    /**
     * \param space the sequence-number space
     * \return the last counter value assigned in the space (0 before the first packet)
     */
    uint64_t GetLastSequenceNumber(uint32_t space = 0) const;
    /**
     * Sets the last assigned counter value, so the next packet gets one more.
     * Lets tests and studies start an SA near 2^32.
     * \param sequence the last assigned number
     * \param space the sequence-number space
     */
    void SetLastSequenceNumber(uint64_t sequence, uint32_t space = 0);

    /**
     * Configures the replay window of every sequence-number space.
     * \param size the window size in packets
     * \param enabled false to disable replay checking
     */
    void ConfigureReplayWindow(uint32_t size, bool enabled);
    /**
     * \param space the sequence-number space
     * \return the anti-replay window of the space (inbound SAs)
     */
    AntiReplayWindow& GetReplayWindow(uint32_t space = 0);
    /**
     * \param space the sequence-number space
     * \return the anti-replay window of the space (inbound SAs)
     */
    const AntiReplayWindow& GetReplayWindow(uint32_t space = 0) const;

    /**
     * Records an authenticated packet: its reordering depth, then the window update.
     * \param sequence the full sequence number, already checked as new
     * \param space its sequence-number space
     */
    void AcceptSequenceNumber(uint64_t sequence, uint32_t space);
    /**
     * Records a packet that failed the replay check in the reordering histogram.
     * \param sequence the full sequence number
     * \param space its sequence-number space
     * \param duplicate true for a duplicate, false for a packet below the window
     */
    void RecordReplayDrop(uint64_t sequence, uint32_t space, bool duplicate);
    /// \return how far below the window top the SA's packets arrived
    const ReorderingHistogram& GetReorderingHistogram() const;

    /// \return the counters
    IpsecSaCounters& GetCounters();
    /// \return the counters
    const IpsecSaCounters& GetCounters() const;

    /// \param id the connection id shown in `show crypto ipsec sa` and log lines
    void SetConnectionId(uint32_t id);
    /// \return the connection id
    uint32_t GetConnectionId() const;
    /// \param id the flow id shown in `show crypto ipsec sa`
    void SetFlowId(uint32_t id);
    /// \return the flow id
    uint32_t GetFlowId() const;
    /// \param name the crypto map the SA belongs to (for `show crypto ipsec sa`)
    void SetCryptoMapName(const std::string& name);
    /// \return the crypto map name
    const std::string& GetCryptoMapName() const;
    /// \param sequence the crypto map entry the SA belongs to
    void SetCryptoMapSequence(uint32_t sequence);
    /// \return the crypto map entry sequence number
    uint32_t GetCryptoMapSequence() const;

    /**
     * Sets the device whose interface decrypted inner packets arrive on (a virtual tunnel
     * interface). Without one they arrive on the interface the outer packet came in on.
     * \param device the device, or nullptr
     */
    void SetTunnelDevice(Ptr<NetDevice> device);
    /// \return the device inner packets arrive on, or nullptr
    Ptr<NetDevice> GetTunnelDevice() const;

    /// \return the simulated time at which the SA was created
    Time GetCreationTime() const;
    /**
     * Sets the lifetimes; the SA expires at whichever is reached first.
     * \param seconds the time lifetime
     * \param kilobytes the volume lifetime in kilobytes (1024 bytes)
     */
    void SetLifetime(Time seconds, uint64_t kilobytes);
    /// \return the time lifetime
    Time GetLifetime() const;
    /// \return the volume lifetime in kilobytes
    uint64_t GetLifetimeKilobytes() const;
    /// \return the seconds left before the time lifetime ends, rounded down (0 if over)
    int64_t GetRemainingSeconds() const;
    /// \return the kilobytes left before the volume lifetime ends, rounded down (0 if over)
    uint64_t GetRemainingKilobytes() const;
    /// \return the simulated time of the last packet, or the creation time
    Time GetLastUsedTime() const;
    /// Records that a packet used the SA now (for idle timers).
    void Touch();

    /**
     * Counts the payload bytes of one packet against the volume lifetime.
     *
     * The count is the protected payload without this SA's own overhead: the inner IPv4
     * packet in tunnel mode, the transport payload in transport mode, and for the AH SA of
     * an AH+ESP bundle the ESP packet it covers. The check is one compare with the next
     * volume mark, so the packet path schedules nothing and looks nothing up.
     *
     * \param bytes the payload bytes of the packet
     * \return true if the count reached the volume mark, so the IPsec stack must act
     *         (soft or hard volume lifetime)
     */
    bool AddBytes(uint64_t bytes)
    {
        m_counters.bytes += bytes;
        return m_counters.bytes >= m_volumeMark;
    }

    /**
     * Sets the byte count at which AddBytes returns true next.
     * \param bytes the byte count; UINT64_MAX for never
     */
    void SetVolumeMark(uint64_t bytes);
    /// \return the byte count at which AddBytes returns true next
    uint64_t GetVolumeMark() const;

    /**
     * Asks to hear about the next outbound packet on this SA: the IPsec stack then calls
     * IpsecKeyManager::SendObserved once and clears the request. Dead peer detection in
     * on-demand mode uses it to learn that there is traffic to send.
     */
    void WatchSend();

    /// \return true while a WatchSend request is waiting for the next outbound packet
    bool IsSendWatched() const
    {
        return m_sendWatched;
    }

    /// Clears a WatchSend request (done by the IPsec stack when it reports the packet).
    void ClearSendWatch();

    /**
     * Sets the id of the SA set (the SAs negotiated together) in the node's IPsec stack.
     * \param id the set id; 0 for an SA that belongs to no set (manual keying of a virtual
     *        tunnel interface, or added to the SADB directly)
     */
    void SetSetId(uint32_t id);
    /// \return the SA set id, 0 if none
    uint32_t GetSetId() const;

  private:
    IpsecDirection m_direction;                       //!< inbound or outbound
    IpsecProtocol m_protocol;                         //!< ESP or AH
    uint32_t m_spi;                                   //!< security parameter index
    IpsecTransformSet m_transformSet;                 //!< algorithms and mode
    std::vector<uint8_t> m_encryptionKey;             //!< ESP encryption key
    std::vector<uint8_t> m_integrityKey;              //!< integrity key
    std::unique_ptr<IpsecCipher> m_cipher;            //!< ESP cipher contexts
    std::unique_ptr<IpsecIntegrityCheck> m_integrity; //!< MAC context
    Ipv4Address m_localAddress;                       //!< local tunnel endpoint
    Ipv4Address m_peerAddress;                        //!< remote tunnel endpoint
    bool m_modelled;                                  //!< modelled crypto
    Ptr<const Ipv4AccessList> m_selectors;            //!< traffic selectors
    bool m_extended;                                  //!< 64-bit ESN
    std::vector<uint64_t> m_sequences;                //!< last assigned counter, per space
    std::vector<AntiReplayWindow> m_replayWindows;    //!< receiver window, per space
    uint32_t m_spaceShift;                            //!< bit position of the space index
    ReorderingHistogram m_reordering;                 //!< reordering depths of inbound packets
    IpsecSaCounters m_counters;                       //!< counters
    uint32_t m_connectionId;                          //!< connection id
    uint32_t m_flowId;                                //!< flow id
    std::string m_cryptoMapName;                      //!< owning crypto map
    Ptr<NetDevice> m_tunnelDevice;                    //!< interface of inner packets, or nullptr
    uint32_t m_cryptoMapSequence;                     //!< owning crypto map entry
    Time m_creationTime;                              //!< creation time
    Time m_lifetime;                                  //!< time lifetime
    uint64_t m_lifetimeKilobytes;                     //!< volume lifetime
    Time m_lastUsed;                                  //!< time of the last packet
    uint64_t m_volumeMark;                            //!< byte count of the next volume check
    bool m_sendWatched;                               //!< report the next outbound packet
    uint32_t m_setId;                                 //!< SA set in the IPsec stack, 0 if none
};

/**
 * \ingroup ipsec
 * The SAs that protect one direction of traffic to one peer: ESP, AH, or both (the
 * AH+ESP bundle, where ESP is applied first and AH covers the result).
 */
struct IpsecSaBundle : public SimpleRefCount<IpsecSaBundle>
{
    Ptr<IpsecSecurityAssociation> esp; //!< ESP SA, or nullptr
    Ptr<IpsecSecurityAssociation> ah;  //!< AH SA, or nullptr
};

} // namespace ns3

#endif // IPSEC_SECURITY_ASSOCIATION_H
