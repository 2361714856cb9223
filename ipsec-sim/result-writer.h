// Copyright (c) 2026 The ns3-ipsec authors
// SPDX-License-Identifier: GPL-2.0-only

#ifndef IPSEC_SIM_RESULT_WRITER_H
#define IPSEC_SIM_RESULT_WRITER_H

#include "scenario-metrics.h"

#include <cstdint>
#include <map>
#include <ostream>
#include <string>
#include <vector>

namespace ns3
{

/**
 * \ingroup ipsec
 * The metrics of one run with the seed, run number and swept parameter values behind them.
 */
struct RunRecord
{
    uint32_t seed{1};                         //!< ns-3 RngSeed
    uint64_t run{1};                          //!< ns-3 RngRun
    std::map<std::string, std::string> swept; //!< swept parameter values of this run
    MetricSet metrics;                        //!< the metrics
};

/**
 * \ingroup ipsec
 * Everything one invocation of ipsec-sim produced.
 */
struct SimResults
{
    std::string scenario;                          //!< scenario name
    std::map<std::string, std::string> parameters; //!< parameter values, `--set` applied
    std::vector<std::string> sweptNames;           //!< swept parameters in command-line order
    std::vector<RunRecord> runs;                   //!< runs in execution order
};

/**
 * \ingroup ipsec
 * Writes results as a text table, CSV, JSON and gnuplot plots.
 *
 * The outputs contain no wall-clock time, so the same seed and runs give byte-identical
 * files.
 */
class ResultWriter
{
  public:
    /**
     * Writes one row per metric and one column per run, headed by the swept values.
     * \param results the results
     * \param os the output stream
     */
    static void WriteTable(const SimResults& results, std::ostream& os);

    /**
     * Writes a header line and one line per run: seed, run, swept parameters, metrics.
     * \param results the results
     * \param os the output stream
     */
    static void WriteCsv(const SimResults& results, std::ostream& os);

    /**
     * Writes `{"scenario": ..., "parameters": {...}, "runs": [{"seed", "run",
     * "parameters", "metrics"}]}`.
     * \param results the results
     * \param os the output stream
     */
    static void WriteJson(const SimResults& results, std::ostream& os);

    /**
     * Plots every numeric metric that varies over the first swept parameter, averaged over
     * runs, as PNG files made by gnuplot.
     * \param results the results
     * \param directory the output directory
     * \return a note for summary.txt: what was plotted, or why nothing was
     */
    static std::string WritePlots(const SimResults& results, const std::string& directory);

  private:
    /**
     * \param text a string
     * \return the string as a JSON string literal
     */
    static std::string QuoteJson(const std::string& text);
    /**
     * \param text a CSV field
     * \return the field, quoted if it contains a comma, quote or line break
     */
    static std::string QuoteCsv(const std::string& text);
    /**
     * \param results the results
     * \return the union of the metric keys of every run, sorted
     */
    static std::vector<std::string> GetMetricKeys(const SimResults& results);
};

} // namespace ns3

#endif // IPSEC_SIM_RESULT_WRITER_H
