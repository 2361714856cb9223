// Copyright (c) 2026 The ns3-ipsec authors
// SPDX-License-Identifier: GPL-2.0-only

#ifndef ANTI_REPLAY_WINDOW_H
#define ANTI_REPLAY_WINDOW_H

#include <cstdint>
#include <vector>

namespace ns3
{

/**
 * \ingroup ipsec
 * Receiver-side anti-replay window of an inbound SA (RFC 4303 section 3.4.3 and
 * appendix A).
 *
 * The window remembers the highest accepted sequence number (the top) and which of the
 * `size` numbers ending at the top were accepted. A number above the top is new; one
 * inside the window is new the first time and a duplicate afterwards; one at
 * `top - size` or below is too old.
 *
 * Checking and updating are separate steps: Check() runs before the ICV is verified and
 * changes nothing, Update() runs only after the ICV verified, so a forged packet never
 * moves the window.
 *
 * The bitmap is a ring of 64-bit words indexed by sequence number, so the cost of a check
 * or an update does not depend on the window size. The number of words is the smallest
 * power of two with room for `size` bits. The memory is size / 8 bytes for a power-of-two
 * size of 64 or more, less than twice that for other sizes above 64, and 8 bytes below.
 * Advancing the top by d packets clears min(d, ring bits) bits, a word at a time. A jump
 * of the whole ring or more clears every word, which costs size / 64 steps but needs an
 * authenticated packet that far ahead.
 *
 * With extended sequence numbers (ESN) only the low 32 bits travel in the packet, and
 * InferSequenceNumber() infers the high 32 bits from the window as RFC 4303 appendix A.2
 * describes, including when the window straddles a multiple of 2^32.
 */
class AntiReplayWindow
{
  public:
    /// Outcome of a check.
    enum class Verdict : uint8_t
    {
        NEW,       //!< Not seen before and inside or above the window: accept.
        DUPLICATE, //!< Inside the window and already accepted: drop.
        TOO_OLD,   //!< At top - size or below, or the invalid number 0: drop.
    };

    /// Creates a window of 64 packets, enabled, without ESN (the IOS default).
    AntiReplayWindow();

    /**
     * Resets the window to its initial state with a new configuration.
     * \param size the window size in packets, 1 to 2^31. A disabled window uses it only for
     *        ESN inference and replaces an out-of-range value with 64.
     * \param enabled false to accept every authentic packet, duplicates included
     * \param extendedSequenceNumbers true for 64-bit ESN (RFC 4303 appendix A)
     */
    void Configure(uint32_t size, bool enabled, bool extendedSequenceNumbers);

    /// \return the window size in packets
    uint32_t GetSize() const;
    /// \return true if replay checking is on
    bool IsEnabled() const;
    /// \return true if the SA uses extended sequence numbers
    bool IsExtended() const;
    /// \return the highest sequence number accepted so far (0 before the first packet)
    uint64_t GetTop() const;
    /// \return the bytes the bitmap occupies
    uint64_t GetBitmapBytes() const;

    /**
     * Infers the full sequence number of a received packet.
     *
     * Without ESN this is the 32-bit number itself. With ESN the high half is chosen so
     * the number lies in or above the window (RFC 4303 appendix A.2.2). Before the first
     * wrap of the low half, a number that would need a negative high half returns 0, an
     * invalid number that Check() reports as too old.
     *
     * \param low the 32-bit sequence number field of the packet
     * \return the 64-bit sequence number that the ICV covers
     */
    uint64_t InferSequenceNumber(uint32_t low) const;

    /**
     * Checks a sequence number without changing the window.
     * \param sequence the full sequence number (from InferSequenceNumber)
     * \return the verdict; always NEW when checking is disabled
     */
    Verdict Check(uint64_t sequence) const;

    /**
     * Records an authenticated packet: advances the top or marks the number as seen.
     * Call only after the ICV verified and Check() returned NEW.
     * \param sequence the full sequence number
     */
    void Update(uint64_t sequence);

  private:
    /// \return true if the bit of a sequence number inside the window is set
    bool IsMarked(uint64_t sequence) const;
    /// Sets the bit of a sequence number.
    void Mark(uint64_t sequence);
    /// Clears the bits of the numbers in (oldTop, newTop] that enter the window.
    void Advance(uint64_t oldTop, uint64_t newTop);

    uint32_t m_size;               //!< window size in packets
    bool m_enabled;                //!< replay checking on
    bool m_extended;               //!< 64-bit ESN
    uint64_t m_top;                //!< highest accepted sequence number
    std::vector<uint64_t> m_words; //!< ring of bitmap words, a power of two in number
    uint64_t m_wordMask;           //!< m_words.size() - 1
};

} // namespace ns3

#endif // ANTI_REPLAY_WINDOW_H
