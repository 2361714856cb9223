// Copyright (c) 2026 The ns3-ipsec authors
// SPDX-License-Identifier: GPL-2.0-only

#ifndef IPSEC_SIM_SCENARIO_RUN_H
#define IPSEC_SIM_SCENARIO_RUN_H

#include "scenario-file.h"
#include "scenario-metrics.h"

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

namespace ns3
{

/**
 * \ingroup ipsec
 * Settings of one simulation run that come from the command line.
 */
struct RunSettings
{
    uint32_t seed{1};               //!< ns-3 RngSeed
    uint64_t run{1};                //!< ns-3 RngRun
    std::optional<double> duration; //!< `--duration` in seconds, if given
    std::string outputDirectory;    //!< where `show` outputs and pcaps go, or empty
    std::string runLabel;           //!< names this run's files, e.g. "run-3"
    bool pcap{false};               //!< write pcaps with key files
    bool progress{false};           //!< print progress on standard error
    std::string progressPrefix;     //!< text in front of the progress percentage
};

/**
 * \ingroup ipsec
 * What one run produced.
 */
struct RunResult
{
    MetricSet metrics;              //!< the metrics by key
    std::vector<std::string> notes; //!< warnings for summary.txt, e.g. ignored IOS lines
};

/**
 * \ingroup ipsec
 * Runs one simulation of a scenario: builds the topology, traffic, events and metric
 * collectors, runs the simulator and collects the metrics and `show` outputs.
 *
 * The simulation stops `[scenario] drain` seconds (default 2) after the duration, so that
 * packets still queued arrive; flows stop at the duration at the latest.
 */
class ScenarioRun
{
  public:
    /**
     * Runs the scenario once.
     * \param file the scenario file, with overrides applied and resolved
     * \param settings the command-line settings of this run
     * \return the metrics and notes
     * \throw SimInputError for bad values in the file or an IOS configuration
     */
    static RunResult Execute(const ScenarioFile& file, const RunSettings& settings);

    /**
     * Checks every value of the file that needs no simulation objects: the scenario's
     * duration and drain (also when `--duration` replaces the duration), every traffic and
     * event section, including ones that never start, and that every router's IOS
     * configuration file can be read. Call it for every sweep combination before the
     * first run, so bad input fails before any run.
     * \param file a resolved scenario file
     * \throw SimInputError naming FILE:LINE for a bad value
     */
    static void CheckValues(const ScenarioFile& file);

    /**
     * \param file a resolved scenario file
     * \param settings the settings with a possible `--duration`
     * \return the duration in seconds: `--duration`, else `[scenario] duration`, else 10
     */
    static double GetDuration(const ScenarioFile& file, const RunSettings& settings);
};

} // namespace ns3

#endif // IPSEC_SIM_SCENARIO_RUN_H
