// Copyright (c) 2026 The ns3-ipsec authors
// SPDX-License-Identifier: GPL-2.0-only

#ifndef REORDERING_HISTOGRAM_H
#define REORDERING_HISTOGRAM_H

#include <array>
#include <cstdint>
#include <ostream>

namespace ns3
{

/**
 * \ingroup ipsec
 * Reordering depth of the packets an inbound SA received: how far below the replay
 * window's top (the highest sequence number accepted so far) each packet arrived.
 *
 * A packet above the top has depth 0. A packet with sequence number s below the top t has
 * depth t - s, and a window of at least t - s + 1 packets accepts it. The largest depth of
 * the packets that were not duplicates therefore gives the smallest window that would have
 * dropped none of them, which is what a window-sizing study reads off.
 *
 * Depths are counted in power-of-two bins. Bin 0 counts depth 0, and bin k (k >= 1) counts
 * depths 2^(k-1) to 2^k - 1. Recording costs one bit scan and one increment.
 */
class ReorderingHistogram
{
  public:
    /// Number of bins: depth 0, then one bin per power of two up to 2^64.
    static constexpr uint32_t BIN_COUNT = 65;

    ReorderingHistogram();

    /**
     * Records one packet.
     * \param depth the packet's depth below the window top (0 if above it)
     * \param duplicate true if the sequence number was already accepted
     */
    void Record(uint64_t depth, bool duplicate);

    /**
     * \param depth a depth
     * \return the bin that counts it
     */
    static uint32_t GetBin(uint64_t depth);
    /**
     * \param bin a bin index
     * \return the smallest depth the bin counts
     */
    static uint64_t GetBinLowerBound(uint32_t bin);

    /// \return the packet count of each bin
    const std::array<uint64_t, BIN_COUNT>& GetBins() const;
    /// \return the number of packets recorded
    uint64_t GetCount() const;
    /// \return the number of duplicates recorded
    uint64_t GetDuplicateCount() const;
    /// \return the largest depth of a packet that was not a duplicate
    uint64_t GetMaxDepth() const;
    /**
     * \return the smallest window size (packets) that would have accepted every packet that
     *         was not a duplicate: the largest depth plus one
     */
    uint64_t GetMinimumWindow() const;

    /**
     * Prints the non-empty bins, one per line: "depth LOW-HIGH: COUNT".
     * \param os the output stream
     */
    void Print(std::ostream& os) const;

  private:
    std::array<uint64_t, BIN_COUNT> m_bins; //!< packets per bin
    uint64_t m_count;                       //!< packets recorded
    uint64_t m_duplicates;                  //!< duplicates recorded
    uint64_t m_maxDepth;                    //!< largest depth of a non-duplicate
};

} // namespace ns3

#endif // REORDERING_HISTOGRAM_H
