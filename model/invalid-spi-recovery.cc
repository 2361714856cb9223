// Copyright (c) 2026 The ns3-ipsec authors
// SPDX-License-Identifier: GPL-2.0-only

#include "invalid-spi-recovery.h"

#include "ns3/abort.h"
#include "ns3/boolean.h"
#include "ns3/double.h"
#include "ns3/log.h"
#include "ns3/simulator.h"
#include "ns3/uinteger.h"

#include <numeric>

namespace ns3
{

NS_LOG_COMPONENT_DEFINE("InvalidSpiRecovery");

NS_OBJECT_ENSURE_REGISTERED(InvalidSpiRecovery);

const char*
InvalidSpiSuppressReasonName(InvalidSpiSuppressReason reason)
{
    switch (reason)
    {
    case InvalidSpiSuppressReason::DISABLED:
        return "disabled";
    case InvalidSpiSuppressReason::IN_PROGRESS:
        return "in-progress";
    case InvalidSpiSuppressReason::SOURCE_RATE:
        return "source-rate";
    case InvalidSpiSuppressReason::TOTAL_RATE:
        return "total-rate";
    }
    return "unknown";
}

TypeId
InvalidSpiRecovery::GetTypeId()
{
    static TypeId tid =
        TypeId("ns3::InvalidSpiRecovery")
            .SetParent<Object>()
            .SetGroupName("Ipsec")
            .AddConstructor<InvalidSpiRecovery>()
            .AddAttribute("Enabled",
                          "Whether an invalid SPI may start a recovery (`crypto isakmp "
                          "invalid-spi-recovery`); off by default, as on IOS.",
                          BooleanValue(false),
                          MakeBooleanAccessor(&InvalidSpiRecovery::m_enabled),
                          MakeBooleanChecker())
            .AddAttribute("SourceInterval",
                          "Minimum simulated time between the starts of two recoveries with "
                          "one source address (s).",
                          TimeValue(Seconds(10)),
                          MakeTimeAccessor(&InvalidSpiRecovery::m_sourceInterval),
                          MakeTimeChecker(Seconds(0)))
            .AddAttribute("TotalRate",
                          "Rate at which the node-wide token bucket refills (recoveries per "
                          "second); must be above 0.",
                          DoubleValue(10),
                          MakeDoubleAccessor(&InvalidSpiRecovery::SetTotalRate,
                                             &InvalidSpiRecovery::GetTotalRate),
                          MakeDoubleChecker<double>(0))
            .AddAttribute("Burst",
                          "Depth of the node-wide token bucket (recoveries): how many may "
                          "start at once after a quiet period.",
                          UintegerValue(20),
                          MakeUintegerAccessor(&InvalidSpiRecovery::m_burst),
                          MakeUintegerChecker<uint32_t>(1))
            .AddAttribute("MaxSources",
                          "Capacity of the table of sources with a recovery (sources); when "
                          "full, the source whose last recovery started earliest is evicted. "
                          "A change applies to an empty table, that is before the first "
                          "recovery or after Reset().",
                          UintegerValue(1024),
                          MakeUintegerAccessor(&InvalidSpiRecovery::m_maxSources),
                          MakeUintegerChecker<uint32_t>(1, 1000000))
            .AddTraceSource("Started",
                            "An invalid SPI started a recovery with its source.",
                            MakeTraceSourceAccessor(&InvalidSpiRecovery::m_startedTrace),
                            "ns3::InvalidSpiRecovery::StartedTracedCallback")
            .AddTraceSource("Suppressed",
                            "An invalid SPI did not start a recovery, with the reason.",
                            MakeTraceSourceAccessor(&InvalidSpiRecovery::m_suppressedTrace),
                            "ns3::InvalidSpiRecovery::SuppressedTracedCallback")
            .AddTraceSource("Finished",
                            "A recovery was reported finished, with its outcome.",
                            MakeTraceSourceAccessor(&InvalidSpiRecovery::m_finishedTrace),
                            "ns3::InvalidSpiRecovery::FinishedTracedCallback")
            .AddTraceSource("Evicted",
                            "A source was removed from the full table to make room.",
                            MakeTraceSourceAccessor(&InvalidSpiRecovery::m_evictedTrace),
                            "ns3::InvalidSpiRecovery::EvictedTracedCallback");
    return tid;
}

InvalidSpiRecovery::InvalidSpiRecovery()
    : m_enabled(false),
      m_sourceInterval(Seconds(10)),
      m_totalRate(10),
      m_tokenInterval(MilliSeconds(100)),
      m_burst(20),
      m_maxSources(1024),
      m_bucketFullAt(Seconds(0)),
      m_oldest(NONE),
      m_newest(NONE),
      m_inProgress(0),
      m_started(0),
      m_suppressed{},
      m_succeeded(0),
      m_failed(0),
      m_evicted(0)
{
    NS_LOG_FUNCTION(this);
}

InvalidSpiRecovery::~InvalidSpiRecovery()
{
    NS_LOG_FUNCTION(this);
}

void
InvalidSpiRecovery::DoDispose()
{
    NS_LOG_FUNCTION(this);
    m_entries.clear();
    m_index.clear();
    Object::DoDispose();
}

void
InvalidSpiRecovery::SetTotalRate(double rate)
{
    NS_LOG_FUNCTION(this << rate);
    NS_ABORT_MSG_IF(!(rate > 0),
                    "InvalidSpiRecovery: TotalRate " << rate
                                                     << " is invalid; use a rate above 0 "
                                                        "(recoveries per second)");
    m_totalRate = rate;
    m_tokenInterval = Seconds(1.0 / rate);
}

double
InvalidSpiRecovery::GetTotalRate() const
{
    return m_totalRate;
}

bool
InvalidSpiRecovery::Admit(Ipv4Address source, IpsecProtocol protocol, uint32_t spi)
{
    NS_LOG_FUNCTION(this << source << static_cast<int>(protocol) << spi);

    // The default configuration only drops, so this check comes before any lookup.
    if (!m_enabled)
    {
        return Suppress(source, protocol, spi, InvalidSpiSuppressReason::DISABLED);
    }

    // Per-source checks come first so that a peer sending on a stale SA takes no token.
    Time now = Simulator::Now();
    auto found = m_index.find(source.Get());
    if (found != m_index.end())
    {
        const Entry& entry = m_entries[found->second];
        if (entry.inProgress)
        {
            return Suppress(source, protocol, spi, InvalidSpiSuppressReason::IN_PROGRESS);
        }
        if (now - entry.lastStart < m_sourceInterval)
        {
            return Suppress(source, protocol, spi, InvalidSpiSuppressReason::SOURCE_RATE);
        }
    }

    if (!TakeToken(now))
    {
        return Suppress(source, protocol, spi, InvalidSpiSuppressReason::TOTAL_RATE);
    }

    // The entry becomes the newest of the start-order list.
    uint32_t index = Track(source);
    Entry& entry = m_entries[index];
    entry.lastStart = now;
    entry.inProgress = true;
    ++m_inProgress;
    Unlink(index);
    LinkNewest(index);

    ++m_started;
    NS_LOG_DEBUG("recovery started with "
                 << source << " for " << (protocol == IpsecProtocol::ESP ? "ESP" : "AH") << " spi "
                 << spi << ": " << m_index.size() << " sources tracked, " << m_inProgress
                 << " in progress");
    m_startedTrace(source, protocol, spi);
    return true;
}

bool
InvalidSpiRecovery::Suppress(Ipv4Address source,
                             IpsecProtocol protocol,
                             uint32_t spi,
                             InvalidSpiSuppressReason reason)
{
    ++m_suppressed[static_cast<std::size_t>(reason)];
    NS_LOG_LOGIC("recovery with " << source << " for spi " << spi
                                  << " suppressed: " << InvalidSpiSuppressReasonName(reason));
    m_suppressedTrace(source, protocol, spi, reason);
    return false;
}

bool
InvalidSpiRecovery::TakeToken(Time now)
{
    // The bucket lacks (m_bucketFullAt - now) / m_tokenInterval tokens, so at least one is
    // left while that shortfall is at most Burst - 1 tokens.
    Time start = std::max(m_bucketFullAt, now);
    if (start - now > m_tokenInterval * static_cast<int64_t>(m_burst - 1))
    {
        return false;
    }
    m_bucketFullAt = start + m_tokenInterval;
    return true;
}

uint32_t
InvalidSpiRecovery::Track(Ipv4Address source)
{
    auto found = m_index.find(source.Get());
    if (found != m_index.end())
    {
        return found->second;
    }

    // Reserving the whole capacity once keeps later inserts from allocating or rehashing.
    if (m_entries.empty())
    {
        m_entries.reserve(m_maxSources);
        m_index.reserve(m_maxSources);
    }

    if (m_entries.size() < m_maxSources)
    {
        uint32_t index = static_cast<uint32_t>(m_entries.size());
        m_entries.push_back(Entry{source, Seconds(0), false, NONE, NONE});
        m_index.emplace(source.Get(), index);
        LinkNewest(index);
        return index;
    }

    // The table is full: the oldest entry is reused, hash node included, so nothing is
    // allocated.
    uint32_t index = m_oldest;
    Entry& oldest = m_entries[index];
    NS_LOG_DEBUG("source table full (" << m_maxSources << " sources): evicting " << oldest.source
                                       << ", last recovery started at "
                                       << oldest.lastStart.As(Time::S)
                                       << (oldest.inProgress ? ", still in progress" : ""));
    m_evictedTrace(oldest.source, oldest.inProgress);
    ++m_evicted;
    if (oldest.inProgress)
    {
        --m_inProgress;
    }
    auto node = m_index.extract(oldest.source.Get());
    NS_ASSERT_MSG(!node.empty(), "table entry of " << oldest.source << " has no index");
    node.key() = source.Get();
    m_index.insert(std::move(node));
    oldest.source = source;
    oldest.inProgress = false;
    return index;
}

void
InvalidSpiRecovery::Unlink(uint32_t index)
{
    Entry& entry = m_entries[index];
    if (entry.previous != NONE)
    {
        m_entries[entry.previous].next = entry.next;
    }
    else
    {
        m_oldest = entry.next;
    }
    if (entry.next != NONE)
    {
        m_entries[entry.next].previous = entry.previous;
    }
    else
    {
        m_newest = entry.previous;
    }
    entry.previous = NONE;
    entry.next = NONE;
}

void
InvalidSpiRecovery::LinkNewest(uint32_t index)
{
    Entry& entry = m_entries[index];
    entry.previous = m_newest;
    entry.next = NONE;
    if (m_newest != NONE)
    {
        m_entries[m_newest].next = index;
    }
    else
    {
        m_oldest = index;
    }
    m_newest = index;
}

void
InvalidSpiRecovery::RecoveryFinished(Ipv4Address source, bool success)
{
    NS_LOG_FUNCTION(this << source << success);

    auto found = m_index.find(source.Get());
    if (found == m_index.end() || !m_entries[found->second].inProgress)
    {
        NS_LOG_LOGIC("recovery with " << source
                                      << " reported finished but none is in progress; ignored");
        return;
    }

    m_entries[found->second].inProgress = false;
    --m_inProgress;
    (success ? m_succeeded : m_failed)++;
    NS_LOG_DEBUG("recovery with " << source << (success ? " succeeded" : " failed"));
    m_finishedTrace(source, success);
}

void
InvalidSpiRecovery::Reset()
{
    NS_LOG_FUNCTION(this);
    NS_LOG_DEBUG("reset: forgetting " << m_index.size() << " sources");

    // Releasing the memory lets a new MaxSources take effect at the next reservation.
    std::vector<Entry>().swap(m_entries);
    std::unordered_map<uint32_t, uint32_t>().swap(m_index);
    m_oldest = NONE;
    m_newest = NONE;
    m_inProgress = 0;
    m_bucketFullAt = Seconds(0);
}

bool
InvalidSpiRecovery::IsEnabled() const
{
    return m_enabled;
}

void
InvalidSpiRecovery::SetEnabled(bool enabled)
{
    NS_LOG_FUNCTION(this << enabled);
    m_enabled = enabled;
}

uint64_t
InvalidSpiRecovery::GetStartedCount() const
{
    return m_started;
}

uint64_t
InvalidSpiRecovery::GetSuppressedCount(InvalidSpiSuppressReason reason) const
{
    return m_suppressed[static_cast<std::size_t>(reason)];
}

uint64_t
InvalidSpiRecovery::GetSuppressedCount() const
{
    return std::accumulate(m_suppressed.begin(), m_suppressed.end(), uint64_t{0});
}

uint64_t
InvalidSpiRecovery::GetSucceededCount() const
{
    return m_succeeded;
}

uint64_t
InvalidSpiRecovery::GetFailedCount() const
{
    return m_failed;
}

uint64_t
InvalidSpiRecovery::GetEvictedCount() const
{
    return m_evicted;
}

uint32_t
InvalidSpiRecovery::GetTrackedCount() const
{
    return static_cast<uint32_t>(m_index.size());
}

uint32_t
InvalidSpiRecovery::GetInProgressCount() const
{
    return m_inProgress;
}

bool
InvalidSpiRecovery::IsInProgress(Ipv4Address source) const
{
    auto found = m_index.find(source.Get());
    return found != m_index.end() && m_entries[found->second].inProgress;
}

} // namespace ns3
