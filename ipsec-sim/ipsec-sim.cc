// Copyright (c) 2026 The ns3-ipsec authors
// SPDX-License-Identifier: GPL-2.0-only

// ipsec-sim: runs IPsec scenarios described by a scenario file (INI) and IOS configuration
// files, with parameter sweeps, and writes a table, CSV, JSON, `show` outputs and plots.
// `ipsec-sim --help` lists the options and the scenario file keys; doc/ipsec-sim.rst is the
// full guide.

#include "result-writer.h"
#include "scenario-file.h"
#include "scenario-run.h"

#include <algorithm>
#include <boost/program_options.hpp>
#include <chrono>
#include <climits>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <sstream>
#include <unistd.h>

using namespace ns3;

namespace
{

/// Name of the scenario that runs when none is given.
const char* const DEFAULT_SCENARIO = "replay-qos";

/// Exit status for bad input.
constexpr int EXIT_BAD_INPUT = 2;

/// Scenario file keys summarised at the end of --help.
const char* const SCENARIO_KEYS_HELP = R"(
Scenario file (INI; doc/ipsec-sim.rst describes every key):
  [scenario]       name, description, duration (s; flows stop then), drain (s after it),
                   hooks (scenario-specific metrics: fragmentation)
  [parameters]     NAME = DEFAULT, one per line; a '#' comment above documents it,
                   and a comment line '# choices: A|B|C' above it limits its values.
                   ${NAME} is replaced in the INI values and in the IOS files, and an
                   IOS line '!?{NAME=VALUE} command' is kept only when NAME is VALUE
                   ('!?{NAME!=VALUE} command': when it is not).
  [router.NAME]    config (IOS file, relative to the INI), engine.ATTRIBUTE,
                   stack.ATTRIBUTE and ike.ATTRIBUTE (crypto engine, IpsecStack and
                   IkeDaemon attributes),
                   traffic-class-mode (none|per-class-sa|seq-spaces), traffic-classes
                   (DSCPs per class: ef;af41,af42)
  [host.NAME]      address (A.B.C.D/LEN), gateway
  [link.NAME]      endpoints (two of ROUTER:INTERFACE or HOST), rate, delay, loss (0-1),
                   mtu, queue (device queue, e.g. 1p), priority-queue (an endpoint),
                   priority-queue.dscp (band 0 DSCPs), priority-queue.limits (100p,400p)
  [traffic.NAME]   type (ping|voice|udp|onoff|tcp), source, destination, start, stop,
                   dscp, df (0|1), count, size, interval, timeout, rate, port, on, off,
                   max-bytes, when (WORD == WORD or WORD != WORD, e.g. ${traffic} == busy)
  [event.NAME]     at, action (reboot|clear-crypto-sa|clear-crypto-isakmp|
                   clear-crypto-session|link-down|link-up), target, downtime (reboot),
                   peer (clear-crypto-session: remote address), when

Examples:
  ipsec-sim                                   # replay-qos with its defaults
  ipsec-sim --list-scenarios
  ipsec-sim --scenario llq-crypto --set llq=off --duration 5
  ipsec-sim --sweep replay.window=64,128,1024 --runs 3 --output results
  ipsec-sim my-study/scenario.ini --format json
)";

/// Prints a one-line error for bad input and returns the exit status.
int
BadInput(const std::string& message)
{
    std::cerr << "ipsec-sim: " << message << std::endl;
    return EXIT_BAD_INPUT;
}

/**
 * Finds the built-in scenarios. IPSEC_SIM_SCENARIOS wins when it is set. A program in its
 * build directory reads the source tree. An installed program finds them from its own
 * path, so `cmake --install --prefix` works with any prefix.
 * \return the directory
 */
std::string
GetScenarioDirectory()
{
    if (const char* fromEnvironment = std::getenv("IPSEC_SIM_SCENARIOS"))
    {
        return fromEnvironment;
    }
    std::error_code error;
    std::filesystem::path program = std::filesystem::read_symlink("/proc/self/exe", error);
    std::filesystem::path buildDirectory =
        std::filesystem::weakly_canonical(IPSEC_SIM_BUILD_DIR, error);
    if (!program.empty() && program.parent_path() == buildDirectory)
    {
        return IPSEC_SIM_SOURCE_SCENARIOS;
    }

    // The install prefix is the program's directory less the components of the bin
    // directory, e.g. PREFIX/bin/ipsec-sim gives PREFIX.
    std::filesystem::path installed(IPSEC_SIM_INSTALLED_SCENARIOS);
    if (installed.is_absolute() || program.empty())
    {
        return installed.string();
    }
    std::filesystem::path prefix = program.parent_path();
    for (const auto& component : std::filesystem::path(IPSEC_SIM_INSTALLED_BINDIR))
    {
        if (!component.empty())
        {
            prefix = prefix.parent_path();
        }
    }
    return (prefix / installed).string();
}

/// \return the names of the built-in scenarios, sorted
std::vector<std::string>
ListScenarioNames(const std::string& directory)
{
    std::vector<std::string> names;
    std::error_code error;
    for (const auto& entry : std::filesystem::directory_iterator(directory, error))
    {
        if (std::filesystem::exists(entry.path() / "scenario.ini"))
        {
            names.push_back(entry.path().filename().string());
        }
    }
    std::sort(names.begin(), names.end());
    return names;
}

/**
 * Splits a `KEY=VALUE` option value.
 * \param option the option name, for messages
 * \param text the value
 * \return the key and value
 * \throw SimInputError when there is no '=' or no key
 */
std::pair<std::string, std::string>
SplitAssignment(const std::string& option, const std::string& text)
{
    std::size_t equals = text.find('=');
    if (equals == std::string::npos || equals == 0)
    {
        throw SimInputError(option + " '" + text + "' is malformed: write " + option +
                            " KEY=VALUE" + (option == "--sweep" ? ",VALUE..." : ""));
    }
    return {text.substr(0, equals), text.substr(equals + 1)};
}

/**
 * Parses a whole number option.
 * \param option the option name, for messages
 * \param text the value
 * \param maximum the largest value allowed
 * \return the number, 1 or more
 * \throw SimInputError for anything else
 */
uint64_t
ParseCount(const std::string& option, const std::string& text, uint64_t maximum)
{
    char* end = nullptr;
    unsigned long long value = std::strtoull(text.c_str(), &end, 10);
    if (text.empty() || text[0] == '-' || !end || *end != '\0' || value < 1 || value > maximum)
    {
        throw SimInputError(option + " '" + text + "' is invalid: use a whole number from 1 to " +
                            std::to_string(maximum));
    }
    return value;
}

/// Prints the built-in scenarios with their descriptions and parameters.
void
PrintScenarioList(const std::string& directory)
{
    std::cout << "Built-in scenarios (" << directory << "):\n";
    for (const std::string& name : ListScenarioNames(directory))
    {
        ScenarioFile file = ScenarioFile::Load(directory + "/" + name + "/scenario.ini");
        std::cout << "\n  " << name << (name == DEFAULT_SCENARIO ? " (default)" : "") << ": "
                  << file.GetDescription() << "\n";
        for (const ScenarioParameter& parameter : file.GetParameters())
        {
            std::string choices;
            for (const std::string& choice : parameter.choices)
            {
                choices += (choices.empty() ? "" : "|") + choice;
            }
            std::cout << "    " << parameter.name << " = " << parameter.defaultValue
                      << (parameter.description.empty() ? "" : "  # " + parameter.description)
                      << (choices.empty() ? "" : " (choices: " + choices + ")") << "\n";
        }
    }
}

/// \return every combination of the swept values, the first sweep varying slowest
std::vector<std::map<std::string, std::string>>
ExpandSweeps(const std::vector<std::pair<std::string, std::vector<std::string>>>& sweeps)
{
    std::vector<std::map<std::string, std::string>> combinations = {{}};
    for (const auto& [name, values] : sweeps)
    {
        std::vector<std::map<std::string, std::string>> next;
        for (const auto& combination : combinations)
        {
            for (const std::string& value : values)
            {
                auto extended = combination;
                extended[name] = value;
                next.push_back(extended);
            }
        }
        combinations = next;
    }
    return combinations;
}

/**
 * Runs the program once the options are parsed.
 * \param options the parsed options
 * \return the exit status
 */
int
RunMain(const boost::program_options::variables_map& options)
{
    std::string scenarioDirectory = GetScenarioDirectory();
    if (options.count("list-scenarios"))
    {
        PrintScenarioList(scenarioDirectory);
        return 0;
    }

    // The scenario: a positional file, --scenario NAME, or the default.
    std::string path;
    if (options.count("scenario-file"))
    {
        auto files = options["scenario-file"].as<std::vector<std::string>>();
        if (files.size() > 1 || options.count("scenario"))
        {
            throw SimInputError("give one scenario: a SCENARIO.ini file or --scenario NAME");
        }
        path = files.front();
    }
    else
    {
        std::string name =
            options.count("scenario") ? options["scenario"].as<std::string>() : DEFAULT_SCENARIO;
        std::vector<std::string> names = ListScenarioNames(scenarioDirectory);
        if (std::find(names.begin(), names.end(), name) == names.end())
        {
            std::string known;
            for (const std::string& n : names)
            {
                known += (known.empty() ? "" : ", ") + n;
            }
            throw SimInputError(
                "--scenario '" + name + "' is not a built-in scenario: use " +
                (known.empty() ? "a SCENARIO.ini file (none found in " + scenarioDirectory + ")"
                               : known));
        }
        path = scenarioDirectory + "/" + name + "/scenario.ini";
    }
    ScenarioFile base = ScenarioFile::Load(path);

    // --set and --sweep values, checked against the scenario's parameters before any run.
    std::map<std::string, std::string> sets;
    if (options.count("set"))
    {
        for (const std::string& text : options["set"].as<std::vector<std::string>>())
        {
            auto [name, value] = SplitAssignment("--set", text);
            if (sets.count(name))
            {
                throw SimInputError("--set " + name + ": the parameter is already given by " +
                                    "another --set: give it once");
            }
            sets[name] = value;
        }
    }
    std::vector<std::pair<std::string, std::vector<std::string>>> sweeps;
    if (options.count("sweep"))
    {
        for (const std::string& text : options["sweep"].as<std::vector<std::string>>())
        {
            auto [name, list] = SplitAssignment("--sweep", text);
            std::vector<std::string> values;
            std::istringstream items(list);
            for (std::string value; std::getline(items, value, ',');)
            {
                if (value.empty())
                {
                    throw SimInputError("--sweep " + text +
                                        ": an empty value: separate values "
                                        "with single commas");
                }
                values.push_back(value);
            }
            if (values.empty())
            {
                throw SimInputError("--sweep " + text + ": no values: write --sweep KEY=V1,V2");
            }
            bool repeated = sets.count(name) ||
                            std::any_of(sweeps.begin(), sweeps.end(), [&name](const auto& s) {
                                return s.first == name;
                            });
            if (repeated)
            {
                throw SimInputError("--sweep " + name + ": the parameter is already given by " +
                                    "--set or another --sweep: give it once");
            }
            sweeps.emplace_back(name, values);
        }
    }
    base.Override(sets, "--set");
    for (const auto& [name, values] : sweeps)
    {
        base.Override({{name, values.front()}}, "--sweep");
    }

    RunSettings settings;
    settings.seed =
        static_cast<uint32_t>(ParseCount("--seed", options["seed"].as<std::string>(), UINT32_MAX));
    uint64_t runs = ParseCount("--runs", options["runs"].as<std::string>(), 100000);
    if (options.count("duration"))
    {
        std::string text = options["duration"].as<std::string>();
        // Only decimal digits: strtod() alone would also take hexadecimal numbers and "inf".
        char* end = nullptr;
        double seconds = std::strtod(text.c_str(), &end);
        bool decimal = text.find_first_not_of("0123456789.eE+-") == std::string::npos;
        if (text.empty() || !decimal || !end || *end != '\0' || !(seconds > 0) || seconds > 1e6)
        {
            throw SimInputError("--duration '" + text +
                                "' is invalid: use seconds above 0 and up to 1000000");
        }
        settings.duration = seconds;
    }
    std::string format = options["format"].as<std::string>();
    if (format != "table" && format != "csv" && format != "json")
    {
        throw SimInputError("--format '" + format + "' is invalid: use table, csv or json");
    }
    settings.pcap = options["pcap"].as<bool>();
    settings.progress = options["progress"].as<bool>();
    std::string output = options.count("output") ? options["output"].as<std::string>() : "";
    if (settings.pcap && output.empty())
    {
        throw SimInputError("--pcap needs --output DIR for the capture files");
    }
    if (!output.empty())
    {
        std::error_code error;
        std::filesystem::create_directories(output, error);
        if (error)
        {
            throw SimInputError("--output '" + output +
                                "': cannot create the directory: " + error.message());
        }
        settings.outputDirectory = output;
    }

    SimResults results;
    results.scenario = base.GetName();
    results.parameters = base.GetParameterValues();
    for (const auto& [name, values] : sweeps)
    {
        results.sweptNames.push_back(name);
        results.parameters.erase(name);
    }

    // Every combination of swept values runs with RngRun 1..N. Each one is checked first,
    // so a bad value in any combination stops the program before the first run.
    std::vector<std::map<std::string, std::string>> combinations = ExpandSweeps(sweeps);
    for (const auto& combination : combinations)
    {
        ScenarioFile file = base;
        file.Override(combination, "--sweep");
        file.Resolve();
        ScenarioRun::CheckValues(file);
    }
    std::vector<std::string> notes;
    std::ostringstream timing;
    uint64_t total = combinations.size() * runs;
    uint64_t index = 0;
    for (const auto& combination : combinations)
    {
        for (uint64_t run = 1; run <= runs; ++run)
        {
            ++index;
            ScenarioFile file = base;
            file.Override(combination, "--sweep");
            file.Resolve();
            settings.run = run;
            settings.runLabel = "run-" + std::to_string(index);
            std::ostringstream prefix;
            prefix << "[" << index << "/" << total << "] " << results.scenario;
            for (const auto& [name, value] : combination)
            {
                prefix << " " << name << "=" << value;
            }
            prefix << " run " << run;
            settings.progressPrefix = prefix.str();

            auto started = std::chrono::steady_clock::now();
            RunResult result = ScenarioRun::Execute(file, settings);
            std::chrono::duration<double> elapsed = std::chrono::steady_clock::now() - started;
            timing << settings.runLabel << ": " << prefix.str().substr(prefix.str().find(']') + 2)
                   << ": " << elapsed.count() << " s wall clock\n";
            for (const std::string& note : result.notes)
            {
                if (std::find(notes.begin(), notes.end(), note) == notes.end())
                {
                    notes.push_back(note);
                }
            }
            results.runs.push_back({settings.seed, run, combination, result.metrics});
        }
    }
    if (settings.progress)
    {
        std::cerr << std::endl;
    }

    if (format == "json")
    {
        ResultWriter::WriteJson(results, std::cout);
    }
    else if (format == "csv")
    {
        ResultWriter::WriteCsv(results, std::cout);
    }
    else
    {
        ResultWriter::WriteTable(results, std::cout);
    }

    if (!output.empty())
    {
        std::ofstream csv(output + "/results.csv");
        ResultWriter::WriteCsv(results, csv);
        std::ofstream json(output + "/results.json");
        ResultWriter::WriteJson(results, json);
        std::string plotNote = ResultWriter::WritePlots(results, output);

        // Wall-clock times go here only, so results.json stays reproducible.
        std::ofstream summary(output + "/summary.txt");
        summary << "scenario " << results.scenario << " (" << path << ")\n"
                << "seed " << settings.seed << ", runs per combination " << runs << ", "
                << combinations.size() << " combinations, duration "
                << ScenarioRun::GetDuration(base, settings) << " s\n\n";
        ResultWriter::WriteTable(results, summary);
        summary << "\n" << timing.str() << plotNote << "\n";
        for (const std::string& note : notes)
        {
            summary << "note: " << note << "\n";
        }
        if (plotNote.find("skipped") != std::string::npos)
        {
            std::cerr << "ipsec-sim: " << plotNote << std::endl;
        }
    }
    // A few notes are shown in full; a long list would hide the results, so it is counted.
    constexpr std::size_t shownNotes = 5;
    for (std::size_t i = 0; i < notes.size() && i < shownNotes; ++i)
    {
        std::cerr << "ipsec-sim: " << notes[i] << std::endl;
    }
    if (notes.size() > shownNotes)
    {
        std::cerr << "ipsec-sim: " << notes.size() - shownNotes << " more notes"
                  << (output.empty() ? "; --output DIR writes all of them to summary.txt"
                                     : " in " + output + "/summary.txt")
                  << std::endl;
    }
    return 0;
}

} // namespace

int
main(int argc, char* argv[])
{
    namespace po = boost::program_options;
    po::options_description visible(
        "Usage: ipsec-sim [OPTIONS] [SCENARIO.ini]\n\n"
        "Runs an IPsec scenario (routers configured by IOS files, hosts, links, traffic and\n"
        "events) and prints its metrics. Without a scenario it runs 'replay-qos'.\n\n"
        "Options");
    // clang-format off
    visible.add_options()
        ("help,h", "print this help and exit")
        ("list-scenarios", "list the built-in scenarios with their parameters")
        ("scenario", po::value<std::string>()->value_name("NAME"),
         "run a built-in scenario (see --list-scenarios)")
        ("set", po::value<std::vector<std::string>>()->value_name("KEY=VALUE")->composing(),
         "set a scenario parameter; repeatable")
        ("sweep", po::value<std::vector<std::string>>()->value_name("KEY=V1,V2,...")->composing(),
         "run each value of a parameter; repeatable, giving every combination")
        ("runs", po::value<std::string>()->value_name("N")->default_value("1"),
         "runs per combination, with ns-3 RngRun 1..N")
        ("seed", po::value<std::string>()->value_name("S")->default_value("1"),
         "ns-3 RngSeed of every run")
        ("duration", po::value<std::string>()->value_name("SECONDS"),
         "simulated time (s) at which every flow stops, replacing [scenario] duration")
        ("output", po::value<std::string>()->value_name("DIR"),
         "write results.csv, results.json, summary.txt, show outputs and plots to DIR")
        ("pcap", po::bool_switch(), "with --output: capture the routers' crypto interfaces")
        ("format", po::value<std::string>()->value_name("table|csv|json")->default_value("table"),
         "format of the results on standard output")
        ("progress", po::bool_switch(), "show one updating progress line on standard error");
    // clang-format on
    po::options_description hidden;
    hidden.add_options()("scenario-file", po::value<std::vector<std::string>>());
    po::options_description all;
    all.add(visible).add(hidden);
    po::positional_options_description positional;
    positional.add("scenario-file", -1);

    try
    {
        po::variables_map options;
        po::store(po::command_line_parser(argc, argv).options(all).positional(positional).run(),
                  options);
        po::notify(options);
        if (options.count("help"))
        {
            std::cout << visible << SCENARIO_KEYS_HELP;
            return 0;
        }
        return RunMain(options);
    }
    catch (const po::unknown_option& error)
    {
        return BadInput("unknown option '" + error.get_option_name() +
                        "': see ipsec-sim --help for the options");
    }
    catch (const po::error& error)
    {
        return BadInput(std::string(error.what()) + ": see ipsec-sim --help");
    }
    catch (const SimInputError& error)
    {
        return BadInput(error.what());
    }
}
