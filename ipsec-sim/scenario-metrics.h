// Copyright (c) 2026 The ns3-ipsec authors
// SPDX-License-Identifier: GPL-2.0-only

#ifndef IPSEC_SIM_SCENARIO_METRICS_H
#define IPSEC_SIM_SCENARIO_METRICS_H

#include <functional>
#include <map>
#include <memory>
#include <string>
#include <vector>

namespace ns3
{

class ScenarioTopology;

/**
 * \ingroup ipsec
 * One metric of a run: a number or, for outcomes, a word.
 */
struct MetricValue
{
    bool isText{false}; //!< true for a word
    double number{0};   //!< the number, when not a word
    std::string text;   //!< the word, when isText

    MetricValue() = default;
    /// \param value a number
    MetricValue(double value);
    /// \param value a word
    MetricValue(const std::string& value);
    /// \param value a word
    MetricValue(const char* value);

    /**
     * Formats the value the same way on every run: integers without a fraction, other
     * numbers with 6 significant digits, words as they are.
     * \return the text
     */
    std::string Format() const;
};

/**
 * \ingroup ipsec
 * The metrics of one run by flat dotted key, e.g. "voice.delay.p99_ms", sorted by key.
 */
typedef std::map<std::string, MetricValue> MetricSet;

/**
 * \ingroup ipsec
 * A scenario-specific metric collector, named in `[scenario] hooks`.
 *
 * A hook connects to traces once the topology is built, before the simulation runs, and
 * adds its metrics after the run. Hooks register themselves in the registry of
 * ScenarioMetrics::GetHookFactories().
 */
class MetricHook
{
  public:
    virtual ~MetricHook() = default;

    /**
     * Connects to trace sources of the topology.
     * \param topology the built topology
     */
    virtual void Connect(ScenarioTopology& topology) = 0;

    /**
     * Adds the hook's metrics.
     * \param topology the topology after the run
     * \param metrics the metric set, which already contains the generic metrics
     */
    virtual void Collect(const ScenarioTopology& topology, MetricSet& metrics) = 0;
};

/**
 * \ingroup ipsec
 * Collects the generic IPsec metrics of a run, summed over every router, and runs the
 * scenario's metric hooks.
 *
 * Generic keys: `replay.drops`, `replay.drops.duplicate`, `replay.drops.too_old`,
 * `replay.min_window_no_drop`, `drops.<reason>` for every IpsecDropReason (its name with
 * '_' for '-'), `fragments.before_encryption`, `fragments.after_encryption`,
 * `decryptor.reassemblies`, `icmp.frag_needed`, `sa.inbound` and `engine.drops`.
 * `replay.min_window_no_drop` is the largest of the inbound SAs' smallest windows with no
 * drop, so it is one window size that would have dropped nothing on any SA.
 */
class ScenarioMetrics
{
  public:
    /// A function that creates a hook.
    typedef std::function<std::unique_ptr<MetricHook>()> HookFactory;

    /// \return the hook factories by name
    static const std::map<std::string, HookFactory>& GetHookFactories();

    /**
     * Creates the named hooks and connects them.
     * \param names the hook names from `[scenario] hooks`
     * \param topology the built topology
     * \return the first unknown name, or empty when all are known
     */
    std::string ConnectHooks(const std::vector<std::string>& names, ScenarioTopology& topology);

    /**
     * Adds the generic IPsec metrics and those of the hooks.
     * \param topology the topology after the run
     * \param metrics the metric set
     */
    void Collect(const ScenarioTopology& topology, MetricSet& metrics) const;

  private:
    std::vector<std::unique_ptr<MetricHook>> m_hooks; //!< hooks of the scenario
};

} // namespace ns3

#endif // IPSEC_SIM_SCENARIO_METRICS_H
