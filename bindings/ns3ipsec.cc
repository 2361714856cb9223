// Copyright (c) 2026 The ns3-ipsec authors
// SPDX-License-Identifier: GPL-2.0-only

// ns3ipsec: Python bindings (pybind11) for the ipsec-sim scenario runner and the IOS
// configuration parser, so that studies can be scripted in Python without parsing the
// program's output.

#include "result-writer.h"
#include "scenario-file.h"
#include "scenario-run.h"

#include "ns3/config.h"
#include "ns3/ios-config.h"
#include "ns3/ipv4-address-generator.h"
#include "ns3/ipv6-address-generator.h"
#include "ns3/mac48-address.h"
#include "ns3/names.h"
#include "ns3/simulator.h"

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <cstdlib>
#include <filesystem>
#include <pybind11/pybind11.h>
#include <pybind11/stl.h>
#include <sstream>
#include <string>
#include <vector>

namespace py = pybind11;

namespace
{

/// Name of the scenario that run() uses when none is given, as in ipsec-sim.
const char* const DEFAULT_SCENARIO = "replay-qos";

/**
 * \ingroup ipsec
 * Finds the built-in scenarios: IPSEC_SIM_SCENARIOS when it is set, else the source tree
 * the module was built from.
 * \return the directory
 */
std::string
GetScenarioDirectory()
{
    if (const char* fromEnvironment = std::getenv("IPSEC_SIM_SCENARIOS"))
    {
        return fromEnvironment;
    }
    return IPSEC_SIM_SOURCE_SCENARIOS;
}

/**
 * \ingroup ipsec
 * Lists the built-in scenarios: the subdirectories that contain a scenario.ini.
 * \param directory the scenario directory
 * \return the names, sorted
 */
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
 * \ingroup ipsec
 * Finds the scenario file for a built-in name or a path. A text that contains '/' or ends
 * in ".ini" is a path, and anything else must be a built-in name.
 * \param nameOrPath a built-in scenario name or the path of an INI file
 * \return the path of the scenario file
 * \throw ns3::SimInputError with ipsec-sim's message for an unknown name
 */
std::string
FindScenarioPath(const std::string& nameOrPath)
{
    bool isPath = nameOrPath.find('/') != std::string::npos ||
                  (nameOrPath.size() > 4 && nameOrPath.substr(nameOrPath.size() - 4) == ".ini");
    if (isPath)
    {
        return nameOrPath;
    }

    std::string directory = GetScenarioDirectory();
    std::vector<std::string> names = ListScenarioNames(directory);
    if (std::find(names.begin(), names.end(), nameOrPath) == names.end())
    {
        std::string known;
        for (const std::string& name : names)
        {
            known += (known.empty() ? "" : ", ") + name;
        }
        throw ns3::SimInputError(
            "--scenario '" + nameOrPath + "' is not a built-in scenario: use " +
            (known.empty() ? "a SCENARIO.ini file (none found in " + directory + ")" : known));
    }
    return directory + "/" + nameOrPath + "/scenario.ini";
}

/**
 * \ingroup ipsec
 * Converts a Python value given for a scenario parameter to the text a `--set` would carry.
 * Booleans become "true" and "false", the words scenario files use.
 * \param value the value
 * \return the text
 */
std::string
ToParameterText(const py::handle& value)
{
    if (py::isinstance<py::bool_>(value))
    {
        return value.cast<bool>() ? "true" : "false";
    }
    return py::str(value).cast<std::string>();
}

/**
 * \ingroup ipsec
 * Converts a metric to the Python value that json.loads() gives for ipsec-sim's JSON
 * output: the value is formatted as the program formats it, so both agree digit for digit.
 * \param value the metric
 * \return an int, a float, a str, or None for NaN (JSON null)
 */
py::object
ToPython(const ns3::MetricValue& value)
{
    std::string text = value.Format();
    if (value.isText)
    {
        return py::str(text);
    }
    if (text == "nan")
    {
        return py::none();
    }
    if (text.find_first_of(".eE") == std::string::npos)
    {
        return py::int_(std::stoll(text));
    }
    return py::float_(std::stod(text));
}

/**
 * \ingroup ipsec
 * Clears the ns-3 state that outlives a run, so that every run starts as the first run of
 * a fresh ipsec-sim process: attribute defaults and global values (Config::Reset), the
 * simulator and its objects, object names, and the address allocators.
 */
void
ResetNs3State()
{
    ns3::Simulator::Destroy();
    ns3::Names::Clear();
    ns3::Config::Reset();
    ns3::Ipv4AddressGenerator::Reset();
    ns3::Ipv6AddressGenerator::Reset();
    ns3::Mac48Address::ResetAllocationIndex();
}

/**
 * \ingroup ipsec
 * Lists the built-in scenarios.
 * \return the description of every scenario by name
 */
std::map<std::string, std::string>
PyListScenarios()
{
    std::string directory = GetScenarioDirectory();
    std::map<std::string, std::string> scenarios;
    for (const std::string& name : ListScenarioNames(directory))
    {
        ns3::ScenarioFile file = ns3::ScenarioFile::Load(directory + "/" + name + "/scenario.ini");
        scenarios[name] = file.GetDescription();
    }
    return scenarios;
}

/**
 * \ingroup ipsec
 * Reads the parameters of a scenario.
 * \param nameOrPath a built-in scenario name or the path of an INI file
 * \return the default of every parameter by name
 */
std::map<std::string, std::string>
PyScenarioParameters(const std::string& nameOrPath)
{
    ns3::ScenarioFile file = ns3::ScenarioFile::Load(FindScenarioPath(nameOrPath));
    std::map<std::string, std::string> parameters;
    for (const ns3::ScenarioParameter& parameter : file.GetParameters())
    {
        parameters[parameter.name] = parameter.defaultValue;
    }
    return parameters;
}

/**
 * \ingroup ipsec
 * Runs a scenario once, like `ipsec-sim --format json` with one run.
 * \param scenario a built-in scenario name or the path of an INI file
 * \param overrides parameter values, as `--set` gives them, or None
 * \param seed the ns-3 RngSeed, 1 or more
 * \param run the ns-3 RngRun, 1 or more
 * \param duration the simulated seconds of traffic, or None for the scenario's own
 * \return the metrics by flat key
 */
py::dict
PyRun(const std::string& scenario,
      const std::optional<py::dict>& overrides,
      int64_t seed,
      int64_t run,
      const std::optional<double>& duration)
{
    // The checks and messages are those of ipsec-sim's --seed and --duration.
    if (seed < 1 || seed > UINT32_MAX)
    {
        throw ns3::SimInputError("--seed '" + std::to_string(seed) +
                                 "' is invalid: use a whole number from 1 to " +
                                 std::to_string(UINT32_MAX));
    }
    if (run < 1)
    {
        throw ns3::SimInputError("run '" + std::to_string(run) +
                                 "' is invalid: use a whole number from 1 (the ns-3 RngRun)");
    }
    if (duration && (!(*duration > 0) || *duration > 1e6))
    {
        std::ostringstream text;
        text << *duration;
        throw ns3::SimInputError("--duration '" + text.str() +
                                 "' is invalid: use seconds above 0 and up to 1000000");
    }

    ns3::ScenarioFile file = ns3::ScenarioFile::Load(FindScenarioPath(scenario));
    std::map<std::string, std::string> sets;
    if (overrides)
    {
        for (const auto& [name, value] : *overrides)
        {
            sets[py::str(name).cast<std::string>()] = ToParameterText(value);
        }
    }
    file.Override(sets, "--set");
    file.Resolve();

    ns3::RunSettings settings;
    settings.seed = static_cast<uint32_t>(seed);
    settings.run = static_cast<uint64_t>(run);
    settings.duration = duration;
    settings.runLabel = "run-1";

    // NOTE: an ns-3 fatal error (NS_FATAL_ERROR, NS_ABORT_MSG) inside the run ends the
    // Python process, as it ends ipsec-sim. One such input is a scenario time value that
    // ns-3 cannot parse, e.g. "duration = soon".

    // A run that failed part-way may have left objects behind, so the state is cleared
    // before the run as well as after it.
    ResetNs3State();
    ns3::RunResult result;
    try
    {
        result = ns3::ScenarioRun::Execute(file, settings);
    }
    catch (...)
    {
        ResetNs3State();
        throw;
    }
    ResetNs3State();

    // Notes are the warnings ipsec-sim prints on standard error, e.g. IOS lines that no
    // router applied. As there, a few are shown in full and the rest are counted, so that a
    // sweep does not bury its output under repeated notes.
    constexpr std::size_t shownNotes = 5;
    std::vector<std::string> warnings(result.notes.begin(),
                                      result.notes.begin() +
                                          std::min(result.notes.size(), shownNotes));
    if (result.notes.size() > shownNotes)
    {
        warnings.push_back(std::to_string(result.notes.size() - shownNotes) +
                           " more notes: ipsec-sim --output DIR writes all of them to "
                           "summary.txt");
    }
    for (const std::string& warning : warnings)
    {
        if (PyErr_WarnEx(PyExc_UserWarning, warning.c_str(), 1) != 0)
        {
            throw py::error_already_set();
        }
    }

    py::dict metrics;
    for (const auto& [key, value] : result.metrics)
    {
        metrics[py::str(key)] = ToPython(value);
    }
    return metrics;
}

/**
 * \ingroup ipsec
 * Formats an address and mask as A.B.C.D/LEN.
 * \param address the address
 * \param mask the mask
 * \return the text
 */
std::string
FormatPrefix(const ns3::Ipv4Address& address, const ns3::Ipv4Mask& mask)
{
    std::ostringstream text;
    text << address << "/" << +mask.GetPrefixLength();
    return text.str();
}

/**
 * \ingroup ipsec
 * Summarises one crypto map entry.
 * \param entry the entry
 * \return the entry as a dict
 */
py::dict
SummariseCryptoMapEntry(const ns3::IosCryptoMapEntryConfig& entry)
{
    py::dict summary;
    summary["sequence"] = entry.sequence;
    summary["key_management"] = entry.keyManagement == ns3::CryptoMapEntry::KeyManagement::ISAKMP
                                    ? "ipsec-isakmp"
                                    : "ipsec-manual";
    summary["line"] = entry.line;

    py::list peers;
    for (const ns3::Ipv4Address& peer : entry.peers)
    {
        std::ostringstream text;
        text << peer;
        peers.append(text.str());
    }
    summary["peers"] = peers;

    py::list transformSets;
    for (const ns3::IosConfigLine& name : entry.transformSets)
    {
        transformSets.append(name.text);
    }
    summary["transform_sets"] = transformSets;
    summary["access_list"] = entry.accessList.text;

    // Unset values are None, so that a study can tell them from the global defaults.
    auto optional = [](const auto& value) -> py::object {
        return value ? py::cast(*value) : py::none();
    };
    summary["lifetime_seconds"] = optional(entry.lifetimeSeconds);
    summary["lifetime_kilobytes"] = optional(entry.lifetimeKilobytes);
    summary["idle_time_seconds"] = optional(entry.idleTimeSeconds);
    summary["replay_window_size"] = optional(entry.replayWindowSize);
    summary["replay_disable"] = entry.replayDisable;
    return summary;
}

/**
 * \ingroup ipsec
 * Parses an IOS configuration file and summarises it.
 * \param path the configuration file
 * \return hostname, interfaces, crypto maps and the count of ignored lines
 */
py::dict
PyLoadIosConfig(const std::string& path)
{
    ns3::IosConfig config = ns3::IosConfig::Load(path);

    py::list interfaces;
    for (const ns3::IosInterfaceConfig& interface : config.GetInterfaces())
    {
        py::dict summary;
        summary["name"] = interface.name;
        summary["description"] = interface.description;
        py::list addresses;
        for (const auto& [address, mask] : interface.addresses)
        {
            addresses.append(FormatPrefix(address, mask));
        }
        summary["addresses"] = addresses;
        summary["ip_mtu"] = interface.ipMtu;
        summary["crypto_map"] = interface.cryptoMap;
        summary["service_policy"] = interface.servicePolicy;
        summary["shutdown"] = interface.shutdown;
        interfaces.append(summary);
    }

    py::dict cryptoMaps;
    for (const auto& [name, cryptoMap] : config.GetCryptoMaps())
    {
        py::list entries;
        for (const ns3::IosCryptoMapEntryConfig& entry : cryptoMap.entries)
        {
            entries.append(SummariseCryptoMapEntry(entry));
        }
        py::dict summary;
        summary["qos_pre_classify"] = cryptoMap.qosPreClassify;
        summary["entries"] = entries;
        cryptoMaps[py::str(name)] = summary;
    }

    py::list transformSets;
    for (const auto& [name, transformSet] : config.GetTransformSets())
    {
        transformSets.append(name);
    }

    py::dict summary;
    summary["file"] = config.GetFileName();
    summary["hostname"] = config.GetHostname();
    summary["interfaces"] = interfaces;
    summary["crypto_maps"] = cryptoMaps;
    summary["transform_sets"] = transformSets;
    summary["ignored_lines"] = config.GetIgnoredLines().size();
    return summary;
}

} // namespace

PYBIND11_MODULE(ns3ipsec, module)
{
    module.doc() =
        "Run ns3-ipsec scenarios and read IOS configurations from Python.\n\n"
        "run() simulates one scenario run in this process and returns the metrics that\n"
        "'ipsec-sim --format json' prints for it. Bad input raises ValueError with the\n"
        "one-line message ipsec-sim prints, but an ns-3 fatal error inside a run ends the\n"
        "process as it ends the program. ns-3 is not thread-safe, so the functions keep\n"
        "the GIL while they run: call them from one thread at a time.";

    // Bad input becomes ValueError, with the message ipsec-sim would print.
    py::register_exception_translator([](std::exception_ptr pointer) {
        try
        {
            if (pointer)
            {
                std::rethrow_exception(pointer);
            }
        }
        catch (const ns3::SimInputError& error)
        {
            PyErr_SetString(PyExc_ValueError, error.what());
        }
        catch (const ns3::IosConfigError& error)
        {
            PyErr_SetString(PyExc_ValueError, error.what());
        }
    });

    module.def("list_scenarios",
               &PyListScenarios,
               "Return the built-in scenarios as {name: description}.\n\n"
               "The scenarios are read from $IPSEC_SIM_SCENARIOS when it is set, else from\n"
               "the source tree the module was built from.");

    module.def("scenario_parameters",
               &PyScenarioParameters,
               py::arg("name_or_path"),
               "Return the parameters of a scenario as {name: default value}.\n\n"
               "name_or_path is a built-in scenario name or the path of a scenario INI file\n"
               "(a text containing '/' or ending in '.ini'). Raises ValueError for an\n"
               "unknown name or a bad file.");

    module.def("run",
               &PyRun,
               py::arg("scenario") = DEFAULT_SCENARIO,
               py::arg("set") = py::none(),
               py::arg("seed") = 1,
               py::arg("run") = 1,
               py::arg("duration") = py::none(),
               "Run a scenario once and return its metrics as {key: value}.\n\n"
               "scenario: a built-in scenario name or the path of a scenario INI file.\n"
               "set: parameter values by name, as ipsec-sim --set gives them; bool values\n"
               "    become 'true' or 'false', other values their str().\n"
               "seed, run: the ns-3 RngSeed and RngRun (whole numbers from 1).\n"
               "duration: simulated seconds after which every flow stops, replacing the\n"
               "    scenario's [scenario] duration; None keeps it.\n\n"
               "Values are those 'ipsec-sim --format json' prints: int, float (6 significant\n"
               "digits), str for outcome words, and None where the program writes null\n"
               "(NaN). Notes that ipsec-sim prints on standard error, such as IOS lines no\n"
               "router applied, are issued as UserWarning: the first five in full, then\n"
               "one with the count of the rest.\n\n"
               "Every call starts from a clean ns-3 state: the simulator is destroyed and\n"
               "attribute defaults, global values, object names and address allocators are\n"
               "reset, before and after the run. Raises ValueError for bad input.");

    module.def("load_ios_config",
               &PyLoadIosConfig,
               py::arg("path"),
               "Parse a Cisco IOS configuration file and return a summary dict.\n\n"
               "Keys: file, hostname, interfaces (list of dicts: name, description,\n"
               "addresses as 'A.B.C.D/LEN', ip_mtu (0 when not set), crypto_map,\n"
               "service_policy, shutdown), crypto_maps ({tag: {qos_pre_classify, entries}},\n"
               "each entry with sequence, key_management, line, peers, transform_sets,\n"
               "access_list and the security-association settings, None when not set),\n"
               "transform_sets (names) and ignored_lines (the number of lines outside the\n"
               "supported subset). Raises ValueError 'FILE:LINE: reason' for an invalid\n"
               "line, or 'FILE: reason' for an unreadable file.");
}
