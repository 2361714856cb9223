// Copyright (c) 2026 The ns3-ipsec authors
// SPDX-License-Identifier: GPL-2.0-only

// Measures the per-packet cost of AntiReplayWindow::Check() followed by Update() for window
// sizes from 64 to 65536 packets, with packets in order and locally reordered.
//
// After the Google Benchmark runs, a second pass times the same loop with std::chrono for
// the smallest and the largest window and prints the ratio of their per-packet costs. A
// ratio near 1 shows that the cost does not grow with the window.

#include "ns3/anti-replay-window.h"

#include <algorithm>
#include <benchmark/benchmark.h>
#include <chrono>
#include <cstdint>
#include <cstdio>
#include <random>
#include <vector>

using namespace ns3;

namespace
{

/// Packets in one pre-generated pattern.
constexpr uint64_t PATTERN_LENGTH = 1 << 16;

/// Largest distance by which a reordered packet moves, smaller than the smallest window.
constexpr uint64_t REORDER_DISTANCE = 32;

/// Seed of the reordered pattern, fixed so every run measures the same sequence.
constexpr uint64_t PATTERN_SEED = 20260101;

/**
 * Builds the offsets 1 .. PATTERN_LENGTH of one pattern in arrival order.
 * \param reordered true to swap each packet with one up to REORDER_DISTANCE places later
 * \return the offsets
 */
std::vector<uint64_t>
MakePattern(bool reordered)
{
    std::vector<uint64_t> pattern(PATTERN_LENGTH);
    for (uint64_t i = 0; i < PATTERN_LENGTH; ++i)
    {
        pattern[i] = i + 1;
    }

    if (reordered)
    {
        std::mt19937_64 rng(PATTERN_SEED);
        std::uniform_int_distribution<uint64_t> distance(0, REORDER_DISTANCE);
        for (uint64_t i = 0; i + 1 < PATTERN_LENGTH; ++i)
        {
            std::swap(pattern[i], pattern[std::min(PATTERN_LENGTH - 1, i + distance(rng))]);
        }
    }
    return pattern;
}

/// Feeds a window with a pattern repeated at rising offsets, one packet at a time.
class PacketFeeder
{
  public:
    /**
     * Creates a feeder with a fresh window.
     * \param size the window size in packets
     * \param reordered true for the reordered pattern
     */
    PacketFeeder(uint32_t size, bool reordered)
        : m_pattern(MakePattern(reordered))
    {
        // ESN keeps the numbers in 64 bits, so long runs never reach the 32-bit limit.
        m_window.Configure(size, true, true);
    }

    /**
     * Checks the next packet and records it when new.
     * \return true if the window accepted the packet
     */
    bool ProcessNext()
    {
        uint64_t sequence = m_base + m_pattern[m_index];
        bool accepted = m_window.Check(sequence) == AntiReplayWindow::Verdict::NEW;
        if (accepted)
        {
            m_window.Update(sequence);
        }

        // The next pass starts above every number of this one, as a sender's would.
        if (++m_index == m_pattern.size())
        {
            m_index = 0;
            m_base += PATTERN_LENGTH;
        }
        return accepted;
    }

  private:
    AntiReplayWindow m_window;       //!< window under test
    std::vector<uint64_t> m_pattern; //!< offsets in arrival order
    size_t m_index{0};               //!< next position in the pattern
    uint64_t m_base{0};              //!< offset added to the pattern in this pass
};

/**
 * Benchmarks Check() and Update() per packet.
 * \param state the benchmark state: range(0) is the window size, range(1) is 1 for the
 *        reordered pattern
 */
void
BenchCheckUpdate(benchmark::State& state)
{
    PacketFeeder feeder(static_cast<uint32_t>(state.range(0)), state.range(1) != 0);
    for (auto _ : state)
    {
        benchmark::DoNotOptimize(feeder.ProcessNext());
    }
    state.SetItemsProcessed(static_cast<int64_t>(state.iterations()));
}

BENCHMARK(BenchCheckUpdate)
    ->ArgNames({"window", "reordered"})
    ->ArgsProduct({{64, 128, 256, 512, 1024, 4096, 65536}, {0, 1}});

/**
 * Times a feeder over many packets with std::chrono.
 * \param size the window size in packets
 * \param reordered true for the reordered pattern
 * \return the lowest of five runs in nanoseconds per packet
 */
double
MeasureNanosecondsPerPacket(uint32_t size, bool reordered)
{
    const uint64_t packets = 20 * PATTERN_LENGTH * 16;
    PacketFeeder feeder(size, reordered);
    double best = 0;
    for (int run = 0; run < 5; ++run)
    {
        auto start = std::chrono::steady_clock::now();
        uint64_t accepted = 0;
        for (uint64_t i = 0; i < packets; ++i)
        {
            accepted += feeder.ProcessNext();
        }
        auto stop = std::chrono::steady_clock::now();
        benchmark::DoNotOptimize(accepted);

        double nanoseconds = std::chrono::duration<double, std::nano>(stop - start).count();
        double perPacket = nanoseconds / static_cast<double>(packets);
        best = run == 0 ? perPacket : std::min(best, perPacket);
    }
    return best;
}

} // namespace

int
main(int argc, char** argv)
{
    benchmark::Initialize(&argc, argv);
    if (benchmark::ReportUnrecognizedArguments(argc, argv))
    {
        return 1;
    }
    benchmark::RunSpecifiedBenchmarks();
    benchmark::Shutdown();

    // Ratio of the largest to the smallest window, for each pattern.
    for (bool reordered : {false, true})
    {
        const char* name = reordered ? "reordered" : "in-order";
        double small = MeasureNanosecondsPerPacket(64, reordered);
        double large = MeasureNanosecondsPerPacket(65536, reordered);
        std::printf("%s: %.2f ns/packet at window 64, %.2f ns/packet at window 65536\n",
                    name,
                    small,
                    large);
        std::printf("ratio 65536/64 %s: %.2f\n", name, large / small);
    }
    return 0;
}
