// Copyright (c) 2026 The ns3-ipsec authors
// SPDX-License-Identifier: GPL-2.0-only

#include "anti-replay-window.h"

#include "ns3/abort.h"
#include "ns3/assert.h"
#include "ns3/log.h"

#include <algorithm>
#include <limits>

namespace ns3
{

NS_LOG_COMPONENT_DEFINE("AntiReplayWindow");

namespace
{

/// Window size of a default-constructed window, the IOS default.
constexpr uint32_t DEFAULT_SIZE = 64;

/// Largest window size that Configure() accepts (2^31).
constexpr uint32_t MAX_SIZE = uint32_t{1} << 31;

/// Bits in one bitmap word.
constexpr uint64_t WORD_BITS = 64;

/**
 * Computes the number of bitmap words for a window.
 *
 * The count is the smallest power of two with room for `size` bits, so a ring index is a
 * mask and the ring has at least as many bits as the window.
 *
 * \param size the window size in packets, 1 to 2^31
 * \return the number of 64-bit words
 */
uint64_t
RingWordCount(uint32_t size)
{
    uint64_t needed = (uint64_t{size} + WORD_BITS - 1) / WORD_BITS;
    uint64_t count = 1;
    while (count < needed)
    {
        count <<= 1;
    }
    return count;
}

} // namespace

AntiReplayWindow::AntiReplayWindow()
    : m_size(0),
      m_enabled(false),
      m_extended(false),
      m_top(0),
      m_wordMask(0)
{
    NS_LOG_FUNCTION(this);
    Configure(DEFAULT_SIZE, true, false);
}

void
AntiReplayWindow::Configure(uint32_t size, bool enabled, bool extendedSequenceNumbers)
{
    NS_LOG_FUNCTION(this << size << enabled << extendedSequenceNumbers);

    // A disabled window still needs a size, because ESN inference decides with it which
    // numbers lie behind the top.
    if (size == 0 || size > MAX_SIZE)
    {
        NS_ABORT_MSG_IF(enabled,
                        "Invalid anti-replay window size " << size << ": use 1 to 2^31 packets");
        NS_LOG_WARN("Anti-replay window size " << size << " is out of range, using " << DEFAULT_SIZE
                                               << " for ESN inference");
        size = DEFAULT_SIZE;
    }

    m_size = size;
    m_enabled = enabled;
    m_extended = extendedSequenceNumbers;
    m_top = 0;

    // A disabled window keeps no bitmap.
    m_words.clear();
    m_wordMask = 0;
    if (m_enabled)
    {
        uint64_t count = RingWordCount(m_size);
        m_words.assign(count, 0);
        m_words.shrink_to_fit();
        m_wordMask = count - 1;
    }
}

uint32_t
AntiReplayWindow::GetSize() const
{
    return m_size;
}

bool
AntiReplayWindow::IsEnabled() const
{
    return m_enabled;
}

bool
AntiReplayWindow::IsExtended() const
{
    return m_extended;
}

uint64_t
AntiReplayWindow::GetTop() const
{
    return m_top;
}

uint64_t
AntiReplayWindow::GetBitmapBytes() const
{
    return m_words.size() * sizeof(uint64_t);
}

uint64_t
AntiReplayWindow::InferSequenceNumber(uint32_t low) const
{
    NS_LOG_FUNCTION(this << low);

    if (!m_extended)
    {
        return low;
    }

    // RFC 4303 appendix A.2.2, with Tl and Th the low and high halves of the top and W
    // the window size. The window's lower edge is Tl - W + 1, taken modulo 2^32.
    uint32_t topLow = static_cast<uint32_t>(m_top);
    uint32_t topHigh = static_cast<uint32_t>(m_top >> 32);
    uint32_t bottomLow = topLow - (m_size - 1);
    uint32_t high;
    if (topLow >= m_size - 1)
    {
        // Case A: the whole window lies in block Th. A number below the window is taken
        // to be from the next block.
        high = low >= bottomLow ? topHigh : topHigh + 1;
    }
    else if (low >= bottomLow)
    {
        // Case B: the window spans the start of block Th, and the number lies in its part
        // in block Th - 1. Before the first wrap there is no block -1, so the number is
        // behind the first packet. The function returns the invalid number 0 instead,
        // which an enabled window rejects as too old and whose ICV check fails otherwise.
        if (topHigh == 0)
        {
            NS_LOG_LOGIC("ESN " << low << " is below sequence number 1, top " << m_top);
            return 0;
        }
        high = topHigh - 1;
    }
    else
    {
        // Case B: the number lies in block Th, in or above the window.
        high = topHigh;
    }

    // NOTE: Th + 1 wraps to block 0 when Th is 2^32 - 1, after 2^64 packets, which no SA
    // reaches because RFC 4303 forbids cycling the counter.
    return (uint64_t{high} << 32) | low;
}

AntiReplayWindow::Verdict
AntiReplayWindow::Check(uint64_t sequence) const
{
    NS_LOG_FUNCTION(this << sequence);
    NS_ASSERT_MSG(m_extended || sequence <= std::numeric_limits<uint32_t>::max(),
                  "Sequence number " << sequence << " exceeds 32 bits on a non-ESN SA");

    if (!m_enabled)
    {
        return Verdict::NEW;
    }

    // RFC 4303 section 3.3.3 starts the counter at 1, so 0 is never sent.
    if (sequence == 0)
    {
        NS_LOG_LOGIC("Sequence number 0 is invalid, top " << m_top);
        return Verdict::TOO_OLD;
    }

    if (sequence > m_top)
    {
        return Verdict::NEW;
    }

    // The window is top - size + 1 .. top. The difference cannot underflow here.
    if (m_top - sequence >= m_size)
    {
        NS_LOG_LOGIC("Sequence number " << sequence << " is below the window edge "
                                        << m_top - m_size + 1);
        return Verdict::TOO_OLD;
    }

    if (IsMarked(sequence))
    {
        NS_LOG_LOGIC("Sequence number " << sequence << " is a duplicate, top " << m_top);
        return Verdict::DUPLICATE;
    }
    return Verdict::NEW;
}

void
AntiReplayWindow::Update(uint64_t sequence)
{
    NS_LOG_FUNCTION(this << sequence);

    // A disabled window only follows the top, which ESN inference needs.
    if (!m_enabled)
    {
        m_top = std::max(m_top, sequence);
        return;
    }

    if (sequence == 0)
    {
        NS_LOG_WARN("Ignoring update with the invalid sequence number 0");
        return;
    }

    if (sequence > m_top)
    {
        Advance(m_top, sequence);
        m_top = sequence;
        Mark(sequence);
        return;
    }

    // A number that fell out of the window since Check() leaves no trace, because its bit
    // now belongs to a newer number.
    if (m_top - sequence >= m_size)
    {
        NS_LOG_WARN("Ignoring update with sequence number " << sequence << " below the window edge "
                                                            << m_top - m_size + 1);
        return;
    }
    Mark(sequence);
}

bool
AntiReplayWindow::IsMarked(uint64_t sequence) const
{
    uint64_t word = m_words[(sequence / WORD_BITS) & m_wordMask];
    return (word >> (sequence % WORD_BITS)) & 1;
}

void
AntiReplayWindow::Mark(uint64_t sequence)
{
    m_words[(sequence / WORD_BITS) & m_wordMask] |= uint64_t{1} << (sequence % WORD_BITS);
}

void
AntiReplayWindow::Advance(uint64_t oldTop, uint64_t newTop)
{
    // The ring has ringBits >= size bits, and number s owns bit s mod ringBits. The
    // numbers oldTop + 1 .. newTop that enter the window reuse the bits of
    // oldTop + 1 - ringBits .. newTop - ringBits, which are all below the new window, so
    // clearing exactly those bits keeps every bit of the window intact. The ring cannot
    // clear whole words only, because the ring may have exactly `size` bits, and then the
    // word of the top also contains the oldest numbers of the window.
    uint64_t ringBits = m_words.size() * WORD_BITS;
    uint64_t distance = newTop - oldTop;

    // A jump of a whole ring or more leaves no number of the old window inside the new
    // one. Clearing every word costs size / 64 steps, but only on such a jump, and only
    // an authenticated packet can cause it.
    if (distance >= ringBits)
    {
        std::fill(m_words.begin(), m_words.end(), 0);
        return;
    }

    // Clear the range word by word, with masks on the partial words at both ends.
    uint64_t next = oldTop + 1;
    uint64_t remaining = distance;
    while (remaining > 0)
    {
        uint64_t bit = next % WORD_BITS;
        uint64_t count = std::min(WORD_BITS - bit, remaining);
        uint64_t mask = count == WORD_BITS ? ~uint64_t{0} : ((uint64_t{1} << count) - 1) << bit;
        m_words[(next / WORD_BITS) & m_wordMask] &= ~mask;
        next += count;
        remaining -= count;
    }
}

} // namespace ns3
