// Copyright (c) 2026 The ns3-ipsec authors
// SPDX-License-Identifier: GPL-2.0-only

// Tests of AntiReplayWindow: hand-computed cases of RFC 4303 section 3.4.3 and appendix A,
// and differential runs against a reference model on long random packet sequences.

#include "ns3/anti-replay-window.h"
#include "ns3/test.h"

#include <algorithm>
#include <cstdint>
#include <ostream>
#include <random>
#include <set>
#include <sstream>
#include <string>
#include <vector>

using namespace ns3;

namespace
{

/// Shorter name for the verdict type.
using Verdict = AntiReplayWindow::Verdict;

/// 2^32, the first sequence number whose high half is 1.
constexpr uint64_t TWO_POW_32 = uint64_t{1} << 32;

/// Largest sequence number without ESN.
constexpr uint64_t MAX_SEQUENCE_32 = TWO_POW_32 - 1;

/**
 * Prints a verdict by name, so failed assertions show it.
 * \param os the output stream
 * \param verdict the verdict
 * \return the output stream
 */
std::ostream&
operator<<(std::ostream& os, Verdict verdict)
{
    switch (verdict)
    {
    case Verdict::NEW:
        return os << "NEW";
    case Verdict::DUPLICATE:
        return os << "DUPLICATE";
    case Verdict::TOO_OLD:
        return os << "TOO_OLD";
    }
    return os << "unknown verdict " << static_cast<int>(verdict);
}

/**
 * \ingroup ipsec
 * Default construction and the first packet.
 */
class ReplayDefaultTestCase : public TestCase
{
  public:
    ReplayDefaultTestCase()
        : TestCase("default window")
    {
    }

  private:
    void DoRun() override
    {
        AntiReplayWindow window;
        NS_TEST_ASSERT_MSG_EQ(window.GetSize(), 64u, "IOS default size is 64 packets");
        NS_TEST_ASSERT_MSG_EQ(window.IsEnabled(), true, "Checking is on by default");
        NS_TEST_ASSERT_MSG_EQ(window.IsExtended(), false, "ESN is off by default");
        NS_TEST_ASSERT_MSG_EQ(window.GetTop(), 0u, "No packet accepted yet");

        // RFC 4303 section 3.3.3: the first packet carries 1, and 0 is never sent.
        NS_TEST_ASSERT_MSG_EQ(window.Check(0), Verdict::TOO_OLD, "0 is invalid");
        NS_TEST_ASSERT_MSG_EQ(window.Check(1), Verdict::NEW, "First packet");
        window.Update(1);
        NS_TEST_ASSERT_MSG_EQ(window.GetTop(), 1u, "Top follows the first packet");
        NS_TEST_ASSERT_MSG_EQ(window.Check(1), Verdict::DUPLICATE, "Replayed first packet");
        NS_TEST_ASSERT_MSG_EQ(window.Check(0), Verdict::TOO_OLD, "0 is still invalid");
        NS_TEST_ASSERT_MSG_EQ(window.Check(2), Verdict::NEW, "Next packet");

        // Without ESN the packet field is the whole number.
        NS_TEST_ASSERT_MSG_EQ(window.InferSequenceNumber(7), 7u, "No inference without ESN");
        NS_TEST_ASSERT_MSG_EQ(window.InferSequenceNumber(0xffffffff),
                              MAX_SEQUENCE_32,
                              "No inference without ESN");
    }
};

/**
 * \ingroup ipsec
 * Lower edge of the window: top - size + 1 is inside, top - size is too old.
 */
class ReplayEdgeTestCase : public TestCase
{
  public:
    /**
     * Creates the case for one window size.
     * \param size the window size in packets
     */
    explicit ReplayEdgeTestCase(uint32_t size)
        : TestCase("window edge size " + std::to_string(size)),
          m_size(size)
    {
    }

  private:
    void DoRun() override
    {
        AntiReplayWindow window;
        window.Configure(m_size, true, false);
        const uint64_t top = 100000;
        window.Update(top);
        NS_TEST_ASSERT_MSG_EQ(window.GetTop(), top, "Top after the first packet");

        // The window is edge .. top. With size 1 the edge is the top itself.
        const uint64_t edge = top - m_size + 1;
        const Verdict edgeVerdict = m_size == 1 ? Verdict::DUPLICATE : Verdict::NEW;
        NS_TEST_ASSERT_MSG_EQ(window.Check(edge), edgeVerdict, "Lowest number in window");
        NS_TEST_ASSERT_MSG_EQ(window.Check(edge - 1), Verdict::TOO_OLD, "Just below window");
        NS_TEST_ASSERT_MSG_EQ(window.Check(top), Verdict::DUPLICATE, "Top replayed");
        NS_TEST_ASSERT_MSG_EQ(window.Check(top + 1), Verdict::NEW, "Above the top");

        // Accepting the edge marks it without moving the top.
        window.Update(edge);
        NS_TEST_ASSERT_MSG_EQ(window.GetTop(), top, "Edge does not move the top");
        NS_TEST_ASSERT_MSG_EQ(window.Check(edge), Verdict::DUPLICATE, "Edge replayed");

        // One step up pushes the old edge out of the window.
        window.Update(top + 1);
        NS_TEST_ASSERT_MSG_EQ(window.Check(edge), Verdict::TOO_OLD, "Old edge left window");
        NS_TEST_ASSERT_MSG_EQ(window.Check(top + 1), Verdict::DUPLICATE, "New top replayed");
        if (m_size > 2)
        {
            NS_TEST_ASSERT_MSG_EQ(window.Check(edge + 1), Verdict::NEW, "New edge unseen");
        }
    }

    uint32_t m_size; //!< window size in packets
};

/**
 * \ingroup ipsec
 * Duplicates inside the window, in and out of order.
 */
class ReplayDuplicateTestCase : public TestCase
{
  public:
    ReplayDuplicateTestCase()
        : TestCase("duplicate in window")
    {
    }

  private:
    void DoRun() override
    {
        AntiReplayWindow window;
        window.Update(5);
        NS_TEST_ASSERT_MSG_EQ(window.Check(5), Verdict::DUPLICATE, "Top replayed");
        NS_TEST_ASSERT_MSG_EQ(window.Check(4), Verdict::NEW, "Late packet below the top");
        window.Update(4);
        NS_TEST_ASSERT_MSG_EQ(window.Check(4), Verdict::DUPLICATE, "Late packet replayed");
        NS_TEST_ASSERT_MSG_EQ(window.Check(3), Verdict::NEW, "Other late packet");
        NS_TEST_ASSERT_MSG_EQ(window.GetTop(), 5u, "Late packets leave the top");

        // A duplicate stays a duplicate while the top moves, until it leaves the window.
        window.Update(68);
        NS_TEST_ASSERT_MSG_EQ(window.Check(5), Verdict::DUPLICATE, "5 is the edge at top 68");
        NS_TEST_ASSERT_MSG_EQ(window.Check(4), Verdict::TOO_OLD, "4 is below the edge");
    }
};

/**
 * \ingroup ipsec
 * Jumps of the top by less than, exactly and more than the bitmap ring.
 */
class ReplayJumpTestCase : public TestCase
{
  public:
    ReplayJumpTestCase()
        : TestCase("jump clears bitmap")
    {
    }

  private:
    void DoRun() override
    {
        // Size 64 uses one word of 64 bits. A jump far ahead clears all old numbers.
        AntiReplayWindow window;
        for (uint64_t seq = 1; seq <= 64; ++seq)
        {
            window.Update(seq);
        }
        window.Update(1000);
        NS_TEST_ASSERT_MSG_EQ(window.Check(936), Verdict::TOO_OLD, "Below the new window");
        for (uint64_t seq = 937; seq < 1000; ++seq)
        {
            NS_TEST_ASSERT_MSG_EQ(window.Check(seq), Verdict::NEW, "Unseen after jump " << seq);
        }
        NS_TEST_ASSERT_MSG_EQ(window.Check(1000), Verdict::DUPLICATE, "New top replayed");

        // A jump of exactly the ring, 64 bits, reuses the top's own bit.
        window.Update(1064);
        NS_TEST_ASSERT_MSG_EQ(window.Check(1000), Verdict::TOO_OLD, "Old top left window");
        NS_TEST_ASSERT_MSG_EQ(window.Check(1001), Verdict::NEW, "Edge after 64-step jump");
        NS_TEST_ASSERT_MSG_EQ(window.Check(1064), Verdict::DUPLICATE, "Top replayed");

        // Size 100 uses two words, a ring of 128 bits. A jump by 50 clears the bits of
        // 101 .. 150 and keeps 51 .. 100, which straddle a word boundary.
        window.Configure(100, true, false);
        for (uint64_t seq = 1; seq <= 100; ++seq)
        {
            window.Update(seq);
        }
        window.Update(150);
        NS_TEST_ASSERT_MSG_EQ(window.Check(50), Verdict::TOO_OLD, "Below window 51 .. 150");
        for (uint64_t seq = 51; seq <= 100; ++seq)
        {
            NS_TEST_ASSERT_MSG_EQ(window.Check(seq), Verdict::DUPLICATE, "Kept " << seq);
        }
        for (uint64_t seq = 101; seq < 150; ++seq)
        {
            NS_TEST_ASSERT_MSG_EQ(window.Check(seq), Verdict::NEW, "Cleared " << seq);
        }

        // Jumping 200 ahead, beyond the ring, leaves only the new top marked.
        window.Update(350);
        for (uint64_t seq = 251; seq < 350; ++seq)
        {
            NS_TEST_ASSERT_MSG_EQ(window.Check(seq), Verdict::NEW, "Unseen " << seq);
        }
        NS_TEST_ASSERT_MSG_EQ(window.Check(350), Verdict::DUPLICATE, "Top replayed");
    }
};

/**
 * \ingroup ipsec
 * A disabled window accepts everything but still follows the top for ESN.
 */
class ReplayDisabledTestCase : public TestCase
{
  public:
    ReplayDisabledTestCase()
        : TestCase("disabled accepts duplicates")
    {
    }

  private:
    void DoRun() override
    {
        AntiReplayWindow window;
        window.Configure(64, false, false);
        NS_TEST_ASSERT_MSG_EQ(window.IsEnabled(), false, "Checking is off");
        NS_TEST_ASSERT_MSG_EQ(window.GetBitmapBytes(), 0u, "No bitmap when disabled");
        window.Update(5);
        NS_TEST_ASSERT_MSG_EQ(window.Check(5), Verdict::NEW, "Duplicate accepted");
        window.Update(5);
        window.Update(3);
        NS_TEST_ASSERT_MSG_EQ(window.GetTop(), 5u, "Top is the highest number");
        NS_TEST_ASSERT_MSG_EQ(window.Check(1), Verdict::NEW, "Old number accepted");

        // ESN inference still uses the top: after 2^32 - 10, low 5 means 2^32 + 5.
        window.Configure(64, false, true);
        window.Update(TWO_POW_32 - 10);
        NS_TEST_ASSERT_MSG_EQ(window.InferSequenceNumber(5), TWO_POW_32 + 5, "Next block");
        NS_TEST_ASSERT_MSG_EQ(window.InferSequenceNumber(0xfffffff0),
                              TWO_POW_32 - 16,
                              "Same block");

        // A size of 0 is out of range and falls back to 64 for inference.
        window.Configure(0, false, true);
        NS_TEST_ASSERT_MSG_EQ(window.GetSize(), 64u, "Fallback size when disabled");

        // The largest size, 2^31, needs no bitmap when disabled. With the top at 2^31 the
        // window is 1 .. 2^31, so low 0 lies in the next block.
        window.Configure(uint32_t{1} << 31, false, true);
        window.Update(uint64_t{1} << 31);
        NS_TEST_ASSERT_MSG_EQ(window.InferSequenceNumber(0), TWO_POW_32, "Below the window");
        NS_TEST_ASSERT_MSG_EQ(window.InferSequenceNumber(1), 1u, "Lowest in the window");
    }
};

/**
 * \ingroup ipsec
 * Bitmap memory is about size / 8 bytes.
 */
class ReplayMemoryTestCase : public TestCase
{
  public:
    ReplayMemoryTestCase()
        : TestCase("bitmap memory")
    {
    }

  private:
    void DoRun() override
    {
        AntiReplayWindow window;
        NS_TEST_ASSERT_MSG_EQ(window.GetBitmapBytes(), 8u, "Size 64 takes one word");

        // Expected bytes: the smallest power of two of 64-bit words holding `size` bits.
        const std::vector<std::pair<uint32_t, uint64_t>> cases = {
            {1, 8},
            {2, 8},
            {63, 8},
            {64, 8},
            {65, 16},
            {1024, 128},
            {4096, 512},
            {65536, 8192},
        };
        for (const auto& [size, bytes] : cases)
        {
            window.Configure(size, true, false);
            NS_TEST_ASSERT_MSG_EQ(window.GetBitmapBytes(), bytes, "Bitmap of size " << size);
        }

        window.Configure(1024, true, true);
        NS_TEST_ASSERT_MSG_LT_OR_EQ(window.GetBitmapBytes(), 136u, "Size 1024 with ESN");
        window.Configure(65536, true, true);
        NS_TEST_ASSERT_MSG_LT_OR_EQ(window.GetBitmapBytes(), 8200u, "Size 65536 with ESN");
    }
};

/**
 * \ingroup ipsec
 * Check() changes nothing, and Configure() resets the window.
 */
class ReplayCheckPureTestCase : public TestCase
{
  public:
    ReplayCheckPureTestCase()
        : TestCase("check leaves state")
    {
    }

  private:
    void DoRun() override
    {
        AntiReplayWindow window;
        window.Configure(128, true, false);
        for (uint64_t seq : {10, 12, 200, 150})
        {
            window.Update(seq);
        }

        // Numbers above, inside (seen and unseen), at the edge and below the window.
        for (uint64_t seq : {0, 1, 72, 73, 74, 150, 151, 199, 200, 201, 100000})
        {
            Verdict first = window.Check(seq);
            Verdict second = window.Check(seq);
            NS_TEST_ASSERT_MSG_EQ(second, first, "Second check of " << seq);
            NS_TEST_ASSERT_MSG_EQ(window.GetTop(), 200u, "Top after checking " << seq);
        }
        NS_TEST_ASSERT_MSG_EQ(window.Check(72), Verdict::TOO_OLD, "Edge is 73 at top 200");
        NS_TEST_ASSERT_MSG_EQ(window.Check(73), Verdict::NEW, "Edge unseen");
        NS_TEST_ASSERT_MSG_EQ(window.Check(150), Verdict::DUPLICATE, "Seen below top");
        NS_TEST_ASSERT_MSG_EQ(window.Check(100000), Verdict::NEW, "Far above top");

        // Configure() clears the accepted numbers and the top.
        window.Configure(128, true, false);
        NS_TEST_ASSERT_MSG_EQ(window.GetTop(), 0u, "Top reset");
        NS_TEST_ASSERT_MSG_EQ(window.Check(200), Verdict::NEW, "Old top forgotten");
        NS_TEST_ASSERT_MSG_EQ(window.Check(12), Verdict::NEW, "Old number forgotten");
    }
};

/**
 * \ingroup ipsec
 * ESN inference of RFC 4303 appendix A.2.2, computed by hand.
 */
class ReplayEsnInferenceTestCase : public TestCase
{
  public:
    ReplayEsnInferenceTestCase()
        : TestCase("esn inference cases")
    {
    }

  private:
    void DoRun() override
    {
        AntiReplayWindow window;
        window.Configure(64, true, true);

        // Before any packet the top is 0, and the window is Tl - W + 1 = 2^32 - 63 of a
        // block -1 that does not exist. Numbers there are too old and map to 0.
        NS_TEST_ASSERT_MSG_EQ(window.InferSequenceNumber(1), 1u, "First packet");
        NS_TEST_ASSERT_MSG_EQ(window.InferSequenceNumber(0), 0u, "0 stays invalid");
        NS_TEST_ASSERT_MSG_EQ(window.InferSequenceNumber(0xffffffc1), 0u, "Block -1");
        NS_TEST_ASSERT_MSG_EQ(window.InferSequenceNumber(0xffffffc0),
                              0xffffffc0u,
                              "Just below block -1 part means far ahead");
        window.Update(5);
        NS_TEST_ASSERT_MSG_EQ(window.InferSequenceNumber(0xfffffff0), 0u, "Before packet 1");
        NS_TEST_ASSERT_MSG_EQ(window.Check(0), Verdict::TOO_OLD, "Stand-in is too old");

        // Case A: top 2^32 + 1000, window 2^32 + 937 .. 2^32 + 1000 inside block 1.
        window.Update(TWO_POW_32 + 1000);
        NS_TEST_ASSERT_MSG_EQ(window.InferSequenceNumber(950), TWO_POW_32 + 950, "In window");
        NS_TEST_ASSERT_MSG_EQ(window.InferSequenceNumber(937), TWO_POW_32 + 937, "Edge");
        NS_TEST_ASSERT_MSG_EQ(window.InferSequenceNumber(936),
                              2 * TWO_POW_32 + 936,
                              "Below the edge means the next block");
        NS_TEST_ASSERT_MSG_EQ(window.InferSequenceNumber(2000), TWO_POW_32 + 2000, "Above top");

        // Case B: top 2^33 + 10, window 2^33 - 53 .. 2^33 + 10 spans blocks 1 and 2.
        window.Update(2 * TWO_POW_32 + 10);
        NS_TEST_ASSERT_MSG_EQ(window.InferSequenceNumber(0xffffffcb),
                              2 * TWO_POW_32 - 53,
                              "Edge in block 1");
        NS_TEST_ASSERT_MSG_EQ(window.InferSequenceNumber(0xffffffec),
                              2 * TWO_POW_32 - 20,
                              "Block 1 part of the window");
        NS_TEST_ASSERT_MSG_EQ(window.InferSequenceNumber(0xffffffca),
                              3 * TWO_POW_32 - 54,
                              "Below the edge means ahead in block 2");
        NS_TEST_ASSERT_MSG_EQ(window.InferSequenceNumber(0), 2 * TWO_POW_32, "Block 2 start");
        NS_TEST_ASSERT_MSG_EQ(window.InferSequenceNumber(11), 2 * TWO_POW_32 + 11, "Above top");

        // Size 1, case A always: the window is the top alone.
        window.Configure(1, true, true);
        window.Update(TWO_POW_32);
        NS_TEST_ASSERT_MSG_EQ(window.InferSequenceNumber(0), TWO_POW_32, "Top itself");
        NS_TEST_ASSERT_MSG_EQ(window.InferSequenceNumber(0xffffffff),
                              2 * TWO_POW_32 - 1,
                              "Anything else is ahead");
    }
};

/// Reference model: the set of accepted numbers and the top.
class ReferenceWindow
{
  public:
    /**
     * Creates an empty window.
     * \param size the window size in packets
     */
    explicit ReferenceWindow(uint32_t size)
        : m_size(size)
    {
    }

    /**
     * Classifies a number as RFC 4303 section 3.4.3 describes.
     * \param seq the full sequence number
     * \return the verdict
     */
    Verdict Classify(uint64_t seq) const
    {
        if (seq == 0 || seq + m_size <= m_top)
        {
            return Verdict::TOO_OLD;
        }
        return m_accepted.count(seq) ? Verdict::DUPLICATE : Verdict::NEW;
    }

    /**
     * Records an accepted number and drops numbers that fell below the window.
     * \param seq the full sequence number
     */
    void Accept(uint64_t seq)
    {
        m_accepted.insert(seq);
        if (seq > m_top)
        {
            m_top = seq;
            if (m_top > m_size)
            {
                m_accepted.erase(m_accepted.begin(), m_accepted.upper_bound(m_top - m_size));
            }
        }
    }

    /// \return the highest accepted number
    uint64_t GetTop() const
    {
        return m_top;
    }

  private:
    uint32_t m_size;               //!< window size in packets
    uint64_t m_top{0};             //!< highest accepted number
    std::set<uint64_t> m_accepted; //!< accepted numbers inside the window
};

/// Sender-side plan of one random packet sequence.
struct TrafficPlan
{
    uint32_t size;       //!< window size of the receiver, which scales gaps and ages
    uint64_t start;      //!< first number after the priming packets
    uint64_t stop;       //!< the sender stops before exceeding this number
    uint32_t maxPackets; //!< the sender stops after this many packets
    uint64_t maxGap;     //!< largest run of lost numbers in one gap
    bool bigJumps;       //!< whether the top sometimes jumps several windows ahead
    uint64_t seed;       //!< seed of the random sequence
};

/**
 * Generates the 64-bit sequence numbers a receiver gets, in arrival order.
 *
 * Priming packets climb from 1 to the start in steps of 2^31, small enough for ESN
 * inference to follow. After that the sequence mixes in-order runs with local
 * reordering, losses, late arrivals of lost numbers, duplicates, numbers far below the
 * window, and (if enabled) jumps of several windows.
 *
 * \param plan the plan
 * \return the sequence numbers
 */
std::vector<uint64_t>
GenerateTraffic(const TrafficPlan& plan)
{
    std::mt19937_64 rng(plan.seed);
    auto uniform = [&rng](uint64_t low, uint64_t high) {
        return std::uniform_int_distribution<uint64_t>(low, high)(rng);
    };

    std::vector<uint64_t> sent;
    uint64_t highest = 0;
    auto send = [&sent, &highest](uint64_t seq) {
        sent.push_back(seq);
        highest = std::max(highest, seq);
    };

    uint64_t next = 1;
    if (plan.start > 1)
    {
        const uint64_t step = uint64_t{1} << 31;
        for (; next < plan.start; next += step)
        {
            send(next);
        }
        next = plan.start;
    }

    std::vector<uint64_t> late;
    const std::vector<uint64_t> depths = {0, 0, 1, 2, 7, 31};
    while (sent.size() < plan.maxPackets && next <= plan.stop)
    {
        uint64_t event = uniform(0, 99);
        if (event < 55)
        {
            // In-order run, with each number swapped with one up to `depth` places later.
            uint64_t length = std::min(uniform(1, 200), plan.stop - next + 1);
            std::vector<uint64_t> run(length);
            for (uint64_t i = 0; i < length; ++i)
            {
                run[i] = next + i;
            }
            uint64_t depth = depths[uniform(0, depths.size() - 1)];
            for (uint64_t i = 0; i + 1 < length && depth > 0; ++i)
            {
                std::swap(run[i], run[std::min(length - 1, i + uniform(0, depth))]);
            }
            for (uint64_t seq : run)
            {
                send(seq);
            }
            next += length;
        }
        else if (event < 70 || (event >= 96 && plan.bigJumps))
        {
            // Loss: skip numbers, a few of which arrive late.
            uint64_t gap = event < 70 ? uniform(1, plan.maxGap)
                                      : uniform(plan.size, 16 * uint64_t{plan.size} + 64);
            for (int i = 0; i < 4 && late.size() < 256; ++i)
            {
                late.push_back(next + uniform(0, gap - 1));
            }
            next += gap;
        }
        else if (event < 80)
        {
            // Late arrival of a lost number, inside the window or not.
            if (!late.empty())
            {
                uint64_t index = uniform(0, late.size() - 1);
                if (late[index] <= plan.stop)
                {
                    send(late[index]);
                }
                late[index] = late.back();
                late.pop_back();
            }
        }
        else if (event < 90)
        {
            // Duplicates of the last packet, of recent ones or of older ones.
            uint64_t reach = event < 83 ? 0 : (event < 87 ? 63 : 4095);
            for (uint64_t count = uniform(1, 8); count > 0 && !sent.empty(); --count)
            {
                uint64_t back = uniform(0, std::min<uint64_t>(reach, sent.size() - 1));
                send(sent[sent.size() - 1 - back]);
            }
        }
        else if (event < 96)
        {
            // A number below the window, or the invalid 0 if there is none.
            uint64_t age = uniform(plan.size, 4 * uint64_t{plan.size} + 1000);
            send(age < highest ? highest - age : 0);
        }
    }
    return sent;
}

/**
 * \ingroup ipsec
 * Differential run: AntiReplayWindow against ReferenceWindow on a random sequence.
 *
 * The receiver gets only the low 32 bits with ESN and infers the rest. A wrong inference
 * stands for an ICV failure, so the packet is dropped, and the reference must then find
 * the true number too old.
 */
class ReplayDifferentialTestCase : public TestCase
{
  public:
    /**
     * Creates the case.
     * \param name the test name
     * \param plan the sender's plan
     * \param extended true for ESN
     * \param minTop the receiver's top must reach at least this number
     */
    ReplayDifferentialTestCase(const std::string& name,
                               const TrafficPlan& plan,
                               bool extended,
                               uint64_t minTop)
        : TestCase(name),
          m_plan(plan),
          m_extended(extended),
          m_minTop(minTop)
    {
    }

  private:
    void DoRun() override
    {
        std::vector<uint64_t> traffic = GenerateTraffic(m_plan);
        AntiReplayWindow window;
        window.Configure(m_plan.size, true, m_extended);
        ReferenceWindow reference(m_plan.size);

        uint64_t accepted = 0;
        uint64_t duplicates = 0;
        uint64_t tooOld = 0;
        for (size_t i = 0; i < traffic.size(); ++i)
        {
            const uint64_t seq = traffic[i];
            const Verdict expected = reference.Classify(seq);

            uint64_t inferred = window.InferSequenceNumber(static_cast<uint32_t>(seq));
            if (inferred != seq)
            {
                // Only numbers below the window may be mistaken, and their ICV fails.
                NS_TEST_ASSERT_MSG_EQ(m_extended, true, "Inference changed packet " << i);
                NS_TEST_ASSERT_MSG_EQ(expected,
                                      Verdict::TOO_OLD,
                                      "Packet " << i << " seq " << seq << " inferred as "
                                                << inferred << " at top " << window.GetTop());
                ++tooOld;
                continue;
            }

            Verdict verdict = window.Check(seq);
            NS_TEST_ASSERT_MSG_EQ(verdict,
                                  expected,
                                  "Packet " << i << " seq " << seq << " at top "
                                            << window.GetTop());
            NS_TEST_ASSERT_MSG_EQ(window.Check(seq), verdict, "Repeated check of " << seq);

            if (verdict == Verdict::NEW)
            {
                window.Update(seq);
                reference.Accept(seq);
                ++accepted;
            }
            else if (verdict == Verdict::DUPLICATE)
            {
                ++duplicates;
            }
            else
            {
                ++tooOld;
            }
            NS_TEST_ASSERT_MSG_EQ(window.GetTop(), reference.GetTop(), "Top after " << seq);
        }

        // The sequence must have exercised every verdict and reached its target.
        NS_TEST_ASSERT_MSG_GT(accepted, 0u, "No packet accepted");
        NS_TEST_ASSERT_MSG_GT(duplicates, 0u, "No duplicate seen");
        NS_TEST_ASSERT_MSG_GT(tooOld, 0u, "No old packet seen");
        NS_TEST_ASSERT_MSG_GT_OR_EQ(window.GetTop(), m_minTop, "Top stayed too low");
    }

    TrafficPlan m_plan; //!< sender's plan
    bool m_extended;    //!< ESN on the receiver
    uint64_t m_minTop;  //!< lowest acceptable final top
};

/**
 * \ingroup ipsec
 * Anti-replay window test suite.
 */
class ReplayWindowTestSuite : public TestSuite
{
  public:
    ReplayWindowTestSuite()
        : TestSuite("ipsec-anti-replay-window", UNIT)
    {
        AddTestCase(new ReplayDefaultTestCase, TestCase::QUICK);
        for (uint32_t size : {1, 2, 63, 64, 65, 1024, 65536})
        {
            AddTestCase(new ReplayEdgeTestCase(size), TestCase::QUICK);
        }
        AddTestCase(new ReplayDuplicateTestCase, TestCase::QUICK);
        AddTestCase(new ReplayJumpTestCase, TestCase::QUICK);
        AddTestCase(new ReplayDisabledTestCase, TestCase::QUICK);
        AddTestCase(new ReplayMemoryTestCase, TestCase::QUICK);
        AddTestCase(new ReplayCheckPureTestCase, TestCase::QUICK);
        AddTestCase(new ReplayEsnInferenceTestCase, TestCase::QUICK);

        for (uint32_t size : {1, 2, 63, 64, 65, 1024, 4096, 65536})
        {
            AddDifferentialCases(size);
        }
    }

  private:
    /**
     * Adds the differential runs for one window size.
     * \param size the window size in packets
     */
    void AddDifferentialCases(uint32_t size)
    {
        const std::string suffix = " size " + std::to_string(size);
        const uint64_t wide = 2 * uint64_t{size} + 50;

        // From packet 1, with gaps and jumps of several windows.
        TrafficPlan fromOne{size, 1, MAX_SEQUENCE_32, 40000, wide, true, 1000 + size};
        AddTestCase(new ReplayDifferentialTestCase("random" + suffix, fromOne, false, 1),
                    TestCase::QUICK);
        fromOne.seed = 2000 + size;
        AddTestCase(new ReplayDifferentialTestCase("random esn" + suffix, fromOne, true, 1),
                    TestCase::QUICK);

        // Up to the last 32-bit number, which a non-ESN SA must not exceed.
        TrafficPlan top32{size,
                          MAX_SEQUENCE_32 - 4 * uint64_t{size} - 20000,
                          MAX_SEQUENCE_32,
                          1000000,
                          wide,
                          false,
                          3000 + size};
        AddTestCase(new ReplayDifferentialTestCase("up to 2^32-1" + suffix,
                                                   top32,
                                                   false,
                                                   MAX_SEQUENCE_32 - wide),
                    TestCase::QUICK);

        // Across 2^32 and 2^33 with ESN, starting just low enough for the first packet to
        // be inferred into the right block. Small gaps keep the window straddling the
        // boundary for many packets.
        for (uint64_t block : {1, 2})
        {
            const uint64_t boundary = block * TWO_POW_32;
            TrafficPlan across{size,
                               boundary - size - 20000,
                               boundary + 2 * uint64_t{size} + 20000,
                               1000000,
                               256,
                               false,
                               4000 + 10 * size + block};
            AddTestCase(new ReplayDifferentialTestCase("esn across " + std::to_string(block) +
                                                           "*2^32" + suffix,
                                                       across,
                                                       true,
                                                       boundary + 2 * uint64_t{size}),
                        TestCase::QUICK);
        }
    }
};

/// Registers the suite.
ReplayWindowTestSuite g_replayWindowTestSuite;

} // namespace
