// Copyright (c) 2026 The ns3-ipsec authors
// SPDX-License-Identifier: GPL-2.0-only

#include "reordering-histogram.h"

namespace ns3
{

ReorderingHistogram::ReorderingHistogram()
    : m_count(0),
      m_duplicates(0),
      m_maxDepth(0)
{
    m_bins.fill(0);
}

uint32_t
ReorderingHistogram::GetBin(uint64_t depth)
{
    if (depth == 0)
    {
        return 0;
    }
    return 64 - static_cast<uint32_t>(__builtin_clzll(depth));
}

uint64_t
ReorderingHistogram::GetBinLowerBound(uint32_t bin)
{
    return bin == 0 ? 0 : uint64_t{1} << (bin - 1);
}

void
ReorderingHistogram::Record(uint64_t depth, bool duplicate)
{
    m_bins[GetBin(depth)]++;
    m_count++;
    if (duplicate)
    {
        m_duplicates++;
        return;
    }
    if (depth > m_maxDepth)
    {
        m_maxDepth = depth;
    }
}

const std::array<uint64_t, ReorderingHistogram::BIN_COUNT>&
ReorderingHistogram::GetBins() const
{
    return m_bins;
}

uint64_t
ReorderingHistogram::GetCount() const
{
    return m_count;
}

uint64_t
ReorderingHistogram::GetDuplicateCount() const
{
    return m_duplicates;
}

uint64_t
ReorderingHistogram::GetMaxDepth() const
{
    return m_maxDepth;
}

uint64_t
ReorderingHistogram::GetMinimumWindow() const
{
    return m_maxDepth + 1;
}

void
ReorderingHistogram::Print(std::ostream& os) const
{
    for (uint32_t bin = 0; bin < BIN_COUNT; ++bin)
    {
        if (m_bins[bin] == 0)
        {
            continue;
        }
        uint64_t low = GetBinLowerBound(bin);
        uint64_t high = bin == 0 ? 0 : (low << 1) - 1;
        os << "depth " << low << "-" << high << ": " << m_bins[bin] << "\n";
    }
}

} // namespace ns3
