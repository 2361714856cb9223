// Copyright (c) 2026 The ns3-ipsec authors
// SPDX-License-Identifier: GPL-2.0-only

#ifndef INVALID_SPI_RECOVERY_H
#define INVALID_SPI_RECOVERY_H

#include "ipsec-transform-set.h"

#include "ns3/ipv4-address.h"
#include "ns3/nstime.h"
#include "ns3/object.h"
#include "ns3/traced-callback.h"

#include <array>
#include <cstdint>
#include <unordered_map>
#include <vector>

namespace ns3
{

/**
 * \ingroup ipsec
 * Why InvalidSpiRecovery did not start a recovery for an invalid-SPI event.
 */
enum class InvalidSpiSuppressReason : uint8_t
{
    DISABLED,    //!< `crypto isakmp invalid-spi-recovery` is not configured
    IN_PROGRESS, //!< a recovery with this source is still under way
    SOURCE_RATE, //!< the last recovery with this source started less than SourceInterval ago
    TOTAL_RATE,  //!< the node-wide token bucket is empty
};

/// Number of InvalidSpiSuppressReason values.
constexpr std::size_t INVALID_SPI_SUPPRESS_REASON_COUNT = 4;

/**
 * \ingroup ipsec
 * \param reason a suppression reason
 * \return its name, e.g. "source-rate"
 */
const char* InvalidSpiSuppressReasonName(InvalidSpiSuppressReason reason);

/**
 * \ingroup ipsec
 * The admission control of invalid SPI recovery (`crypto isakmp invalid-spi-recovery`) on
 * one node. It decides whether an inbound ESP or AH packet with an unknown SPI may start a
 * recovery: an IKE SA set up with the sender to send it an INVALID_SPI notification.
 *
 * The key manager calls Admit() for every invalid-SPI event and starts a recovery only
 * when it returns true. It then calls RecoveryFinished() once for that recovery, with
 * success or failure. Admit() checks, in this order:
 *  1. the feature is enabled (Enabled, off by default as on IOS);
 *  2. no recovery with the source is in progress;
 *  3. the last recovery with the source started at least SourceInterval ago;
 *  4. the node-wide token bucket (TotalRate tokens per second, at most Burst tokens,
 *     full at start) has a token.
 * A suppression counts against the first check that fails. Events that a per-source
 * check suppresses take no token, so a peer that keeps sending on a stale SA does not
 * starve recoveries with other peers.
 *
 * The table of sources has a fixed capacity (MaxSources). Only sources with an admitted
 * recovery are entered, so a flood that the token bucket suppresses adds nothing to it.
 * When the table is full, the entry whose last recovery started earliest is evicted to
 * make room, so a new source is never refused because of the table. Evicting an entry
 * forgets its per-source limit, but the token bucket still bounds the total number of
 * recoveries. A table of at least Burst + TotalRate * SourceInterval entries never evicts
 * a source that SourceInterval still limits, because no more recoveries can start within
 * one SourceInterval. The defaults (1024 >= 20 + 10 * 10) meet this. An evicted recovery
 * that is still in progress is not tracked any more: its RecoveryFinished() call is
 * ignored.
 *
 * Once the table holds MaxSources entries, Admit() allocates no memory: an eviction reuses
 * the evicted entry and its hash node.
 *
 * NOTE: IOS documents that it limits these recoveries but not how or with which numbers,
 * so the defaults here are chosen values, not ones measured on a router.
 */
class InvalidSpiRecovery : public Object
{
  public:
    /**
     * \brief Get the type ID.
     * \return the object TypeId
     */
    static TypeId GetTypeId();
    InvalidSpiRecovery();
    ~InvalidSpiRecovery() override;

    /**
     * TracedCallback signature for an admitted recovery.
     * \param source the outer source address of the packet (the peer to notify)
     * \param protocol ESP or AH
     * \param spi the unknown SPI
     */
    typedef void (*StartedTracedCallback)(Ipv4Address source, IpsecProtocol protocol, uint32_t spi);

    /**
     * TracedCallback signature for a suppressed recovery.
     * \param source the outer source address of the packet
     * \param protocol ESP or AH
     * \param spi the unknown SPI
     * \param reason the check that failed
     */
    typedef void (*SuppressedTracedCallback)(Ipv4Address source,
                                             IpsecProtocol protocol,
                                             uint32_t spi,
                                             InvalidSpiSuppressReason reason);

    /**
     * TracedCallback signature for the end of a recovery.
     * \param source the peer
     * \param success true if the INVALID_SPI notification was sent
     */
    typedef void (*FinishedTracedCallback)(Ipv4Address source, bool success);

    /**
     * TracedCallback signature for a source removed from a full table.
     * \param source the evicted source
     * \param inProgress true if its recovery was still in progress
     */
    typedef void (*EvictedTracedCallback)(Ipv4Address source, bool inProgress);

    /**
     * Decides whether an invalid-SPI event may start a recovery, and records the start if so.
     * \param source the outer source address of the packet
     * \param protocol ESP or AH
     * \param spi the unknown SPI
     * \return true if the caller should set up an IKE SA with the source and send it an
     *         INVALID_SPI notification, false if the caller should only drop the packet
     */
    bool Admit(Ipv4Address source, IpsecProtocol protocol, uint32_t spi);

    /**
     * Records the end of a recovery that Admit() started, so the source may be admitted
     * again once SourceInterval has passed since the start. A call for a source with no
     * recovery in progress (evicted, or after Reset()) is logged and ignored.
     * \param source the peer passed to Admit()
     * \param success true if the notification was sent, false if the IKE exchange failed
     */
    void RecoveryFinished(Ipv4Address source, bool success);

    /**
     * Forgets every source and fills the token bucket, as a rebooting node does. The
     * counters keep counting.
     */
    void Reset();

    /// \return true if invalid SPI recovery is configured
    bool IsEnabled() const;
    /// \param enabled true for `crypto isakmp invalid-spi-recovery`
    void SetEnabled(bool enabled);

    /// \return the number of recoveries admitted
    uint64_t GetStartedCount() const;
    /**
     * \param reason a suppression reason
     * \return the number of events suppressed for it
     */
    uint64_t GetSuppressedCount(InvalidSpiSuppressReason reason) const;
    /// \return the number of events suppressed for any reason
    uint64_t GetSuppressedCount() const;
    /// \return the number of recoveries reported finished with success
    uint64_t GetSucceededCount() const;
    /// \return the number of recoveries reported finished with failure
    uint64_t GetFailedCount() const;
    /// \return the number of sources evicted from the full table
    uint64_t GetEvictedCount() const;
    /// \return the number of sources in the table now (at most MaxSources)
    uint32_t GetTrackedCount() const;
    /// \return the number of tracked sources with a recovery in progress
    uint32_t GetInProgressCount() const;
    /**
     * \param source a source address
     * \return true if a recovery with the source is in progress
     */
    bool IsInProgress(Ipv4Address source) const;

  protected:
    void DoDispose() override;

  private:
    /// Index meaning "no entry" in the list links.
    static constexpr uint32_t NONE = UINT32_MAX;

    /// One tracked source. The entries form a list ordered by last start, oldest first.
    struct Entry
    {
        Ipv4Address source; //!< the peer
        Time lastStart;     //!< when its last recovery was admitted
        bool inProgress;    //!< its recovery has not been reported finished
        uint32_t previous;  //!< index of the entry started just before, or NONE
        uint32_t next;      //!< index of the entry started just after, or NONE
    };

    /**
     * Counts and reports a suppressed event.
     * \param source the outer source address
     * \param protocol ESP or AH
     * \param spi the unknown SPI
     * \param reason the check that failed
     * \return false, for Admit() to return
     */
    bool Suppress(Ipv4Address source,
                  IpsecProtocol protocol,
                  uint32_t spi,
                  InvalidSpiSuppressReason reason);

    /**
     * Takes a token from the node-wide bucket if one is there.
     * \param now the current simulated time
     * \return true if a token was taken
     */
    bool TakeToken(Time now);

    /**
     * Finds or makes the table entry of a source being admitted, evicting the oldest
     * entry if the table is full.
     * \param source the source
     * \return the index of its entry
     */
    uint32_t Track(Ipv4Address source);

    /**
     * Removes an entry from the start-order list.
     * \param index the entry
     */
    void Unlink(uint32_t index);

    /**
     * Appends an entry to the start-order list as the newest.
     * \param index the entry
     */
    void LinkNewest(uint32_t index);

    /**
     * Sets the node-wide rate and recomputes the token interval.
     * \param rate recoveries per second
     */
    void SetTotalRate(double rate);
    /// \return the node-wide rate in recoveries per second
    double GetTotalRate() const;

    bool m_enabled;        //!< `crypto isakmp invalid-spi-recovery` is configured
    Time m_sourceInterval; //!< minimum time between two recovery starts for one source
    double m_totalRate;    //!< token bucket refill rate (recoveries per second)
    Time m_tokenInterval;  //!< 1 / m_totalRate: the time that makes one token
    uint32_t m_burst;      //!< token bucket depth (recoveries)
    uint32_t m_maxSources; //!< table capacity (sources)

    /// The time at which the token bucket has Burst tokens again if no token is taken.
    /// This is the generic cell rate algorithm form of a token bucket, which keeps the
    /// bucket in integer nanoseconds and so admits at exact times.
    Time m_bucketFullAt;
    std::vector<Entry> m_entries;                   //!< table entries, at most m_maxSources
    std::unordered_map<uint32_t, uint32_t> m_index; //!< entry index by source address
    uint32_t m_oldest;                              //!< list head: earliest last start
    uint32_t m_newest;                              //!< list tail: latest last start
    uint32_t m_inProgress;                          //!< entries with inProgress set

    uint64_t m_started;                                                   //!< recoveries admitted
    std::array<uint64_t, INVALID_SPI_SUPPRESS_REASON_COUNT> m_suppressed; //!< by reason
    uint64_t m_succeeded;                                                 //!< finished with success
    uint64_t m_failed;                                                    //!< finished with failure
    uint64_t m_evicted;                                                   //!< entries evicted

    /// A recovery was admitted.
    TracedCallback<Ipv4Address, IpsecProtocol, uint32_t> m_startedTrace;
    /// An invalid-SPI event did not start a recovery.
    TracedCallback<Ipv4Address, IpsecProtocol, uint32_t, InvalidSpiSuppressReason>
        m_suppressedTrace;
    /// A recovery was reported finished.
    TracedCallback<Ipv4Address, bool> m_finishedTrace;
    /// A source was evicted from the full table.
    TracedCallback<Ipv4Address, bool> m_evictedTrace;
};

} // namespace ns3

#endif // INVALID_SPI_RECOVERY_H
