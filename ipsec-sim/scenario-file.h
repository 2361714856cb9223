// Copyright (c) 2026 The ns3-ipsec authors
// SPDX-License-Identifier: GPL-2.0-only

#ifndef IPSEC_SIM_SCENARIO_FILE_H
#define IPSEC_SIM_SCENARIO_FILE_H

#include "ns3/attribute.h"
#include "ns3/data-rate.h"
#include "ns3/nstime.h"

#include <cstdint>
#include <map>
#include <stdexcept>
#include <string>
#include <vector>

namespace ns3
{

/**
 * \ingroup ipsec
 * Bad input to ipsec-sim: an option, a scenario file line or an IOS configuration line.
 * The message is the one line the program prints before it exits with status 2.
 */
class SimInputError : public std::runtime_error
{
  public:
    /// \param message the complete one-line message, naming the option or FILE:LINE
    explicit SimInputError(const std::string& message);
};

/**
 * \ingroup ipsec
 * One `key = value` line of a scenario file, with where it was written.
 */
struct ScenarioEntry
{
    std::string value; //!< the value after `${name}` substitution
    uint32_t line{0};  //!< line number in the scenario file, from 1
};

/**
 * \ingroup ipsec
 * One `[type.name]` section of a scenario file, e.g. `[router.gatewayA]`.
 */
struct ScenarioSection
{
    std::string type;                            //!< "router", "link", "traffic", ...
    std::string name;                            //!< the part after the dot, or empty
    uint32_t line{0};                            //!< line of the section header
    std::map<std::string, ScenarioEntry> values; //!< keys of the section

    /**
     * \param key a key of the section
     * \return true if the section sets it
     */
    bool Has(const std::string& key) const;
    /**
     * \param key a key of the section
     * \param fallback the value when the key is absent
     * \return the value of the key, or the fallback
     */
    std::string Get(const std::string& key, const std::string& fallback = "") const;
    /**
     * \param key a key of the section
     * \return the line of the key, or the section header's line when it is absent
     */
    uint32_t LineOf(const std::string& key) const;
};

/**
 * \ingroup ipsec
 * A scenario parameter: a name from `[parameters]`, its default and its documentation.
 */
struct ScenarioParameter
{
    std::string name;         //!< e.g. "replay.window"
    std::string defaultValue; //!< the value in the file
    std::string description;  //!< the `#` comment lines just above it, joined
    uint32_t line{0};         //!< line of the parameter in the file
    /// Values allowed by a `# choices: A|B|C` comment line above it; empty allows any value.
    std::vector<std::string> choices;
};

/**
 * \ingroup ipsec
 * A scenario file: an INI file read with Boost.Program_options' config-file parser.
 *
 * Boost's parser reports no line numbers, so the file is first scanned line by line. The
 * scan rejects malformed lines, duplicate keys and keys a section type does not know,
 * naming FILE:LINE, and remembers the line of every key for later messages. Boost then
 * reads the values. Values may contain `${name}` references to parameters, which are
 * replaced after the `--set` overrides are applied; SubstituteText() does the same for the
 * IOS configuration files the routers load.
 */
class ScenarioFile
{
  public:
    /**
     * Reads and checks a scenario file.
     * \param path the INI file
     * \return the file
     * \throw SimInputError naming FILE:LINE on any problem
     */
    static ScenarioFile Load(const std::string& path);

    /**
     * Replaces parameter defaults; call before Resolve().
     * \param overrides parameter name to value, from `--set` and `--sweep`
     * \param option the option name for messages, e.g. "--set"
     * \throw SimInputError for a name the scenario does not define, or a value outside the
     *        parameter's declared choices
     */
    void Override(const std::map<std::string, std::string>& overrides, const std::string& option);

    /**
     * Substitutes the parameters into every value and checks the sections' keys.
     * \throw SimInputError naming FILE:LINE for an unknown `${name}` or a bad value
     */
    void Resolve();

    /**
     * Substitutes `${name}` references and conditional lines in a text.
     *
     * A line that starts with `!?{name=value}` is kept, without that prefix, only when the
     * parameter has that value. Otherwise it becomes an IOS comment (`!`), so line numbers
     * do not change.
     * \param text the text, e.g. an IOS configuration
     * \param file the file name for messages
     * \return the text with every reference replaced
     * \throw SimInputError naming FILE:LINE for an unknown parameter
     */
    std::string SubstituteText(const std::string& text, const std::string& file) const;

    /// \return the path the file was read from
    const std::string& GetPath() const;
    /// \return the directory of the file, for paths relative to it
    std::string GetDirectory() const;
    /// \return `[scenario] name`, or the directory name of the file
    std::string GetName() const;
    /// \return `[scenario] description`
    std::string GetDescription() const;
    /// \return the parameters in file order, with current values applied by Override()
    const std::vector<ScenarioParameter>& GetParameters() const;
    /// \return current parameter values by name
    const std::map<std::string, std::string>& GetParameterValues() const;
    /**
     * \param type a section type, e.g. "link"
     * \return the sections of that type in file order
     */
    std::vector<const ScenarioSection*> GetSections(const std::string& type) const;
    /**
     * \param type a section type without a name part, e.g. "scenario"
     * \return the section, or an empty one when the file has none
     */
    const ScenarioSection& GetSection(const std::string& type) const;

    /**
     * Builds the error for a bad value in the file.
     * \param section the section
     * \param key the key
     * \param reason what is wrong and what is allowed
     * \return the error, naming FILE:LINE
     */
    SimInputError ValueError(const ScenarioSection& section,
                             const std::string& key,
                             const std::string& reason) const;

    /**
     * Reads a time such as "5ms" or "2s"; a bare number is in seconds.
     * \param section the section
     * \param key the key
     * \param fallback the value when the key is absent
     * \return the time, 0 to 1000000 s
     * \throw SimInputError naming FILE:LINE for a bad value
     */
    Time GetTime(const ScenarioSection& section, const std::string& key, Time fallback) const;
    /**
     * Reads a data rate such as "2Mbps".
     * \param section the section
     * \param key the key
     * \param fallback the value when the key is absent
     * \return the rate, above 0
     * \throw SimInputError naming FILE:LINE for a bad value
     */
    DataRate GetRate(const ScenarioSection& section,
                     const std::string& key,
                     DataRate fallback) const;
    /**
     * Reads a number within a range.
     * \param section the section
     * \param key the key
     * \param fallback the value when the key is absent
     * \param minimum the smallest value allowed
     * \param maximum the largest value allowed
     * \return the number
     * \throw SimInputError naming FILE:LINE for a bad value
     */
    double GetNumber(const ScenarioSection& section,
                     const std::string& key,
                     double fallback,
                     double minimum,
                     double maximum) const;
    /**
     * Reads one of a set of words.
     * \param section the section
     * \param key the key
     * \param fallback the value when the key is absent
     * \param choices the words allowed
     * \return the word
     * \throw SimInputError naming FILE:LINE for another word
     */
    std::string GetChoice(const ScenarioSection& section,
                          const std::string& key,
                          const std::string& fallback,
                          const std::vector<std::string>& choices) const;

    /**
     * Evaluates a section's `when` key, `A == B` or `A != B` after parameter substitution,
     * so that a parameter can switch a flow or an event on and off.
     * \param section the section
     * \return true without a `when` key or when the comparison is true
     * \throw SimInputError naming FILE:LINE for a malformed condition
     */
    bool IsActive(const ScenarioSection& section) const;

    /**
     * \param type a section type
     * \return the keys the type accepts, e.g. "at", "action", "target" for "event"
     */
    static const std::vector<std::string>& GetAllowedKeys(const std::string& type);

  private:
    /**
     * Replaces `${name}` references in one value.
     * \param value the value
     * \param file file name for messages
     * \param line line number for messages
     * \return the value with every reference replaced
     */
    std::string SubstituteValue(const std::string& value,
                                const std::string& file,
                                uint32_t line) const;

    /// Checks every section's keys against GetAllowedKeys().
    void CheckKeys() const;

    std::string m_path;                          //!< the file read
    std::vector<ScenarioSection> m_sections;     //!< sections in file order
    std::vector<ScenarioParameter> m_parameters; //!< `[parameters]` in file order
    std::map<std::string, std::string> m_values; //!< current parameter values
    ScenarioSection m_empty;                     //!< returned for a missing section
};

/**
 * \ingroup ipsec
 * Checks that ns-3 can parse a text as a value of an attribute type without aborting.
 *
 * ns-3.37 aborts the process, instead of returning false, on malformed text for several
 * value types: "Can't Parse Time" for a time such as `soon`, and a formatting assertion
 * for an integer or double such as `5x` or a time or rate with a blank inside. An enum
 * value with an unknown name is accepted and yields an undefined value. This function
 * matches the text against the pattern of the checker's type first, so the caller can
 * report the mistake instead.
 * \param checker the attribute's checker
 * \param text the text to check
 * \param allowed set to a description of the values allowed, for messages
 * \return true if DeserializeFromString can be called safely; it may still return false
 */
bool IsParsableAttributeText(Ptr<const AttributeChecker> checker,
                             const std::string& text,
                             std::string& allowed);

/// Largest scenario or IOS configuration file ipsec-sim reads, in bytes (1 MiB).
constexpr std::uintmax_t MAX_INPUT_FILE_BYTES = 1024 * 1024;

/// Maximum line length ipsec-sim reads in a scenario or IOS configuration file, in characters.
constexpr std::size_t MAX_INPUT_LINE_LENGTH = 4096;

/**
 * \ingroup ipsec
 * Reads a whole scenario or IOS configuration file, rejecting input that is not text of a
 * sensible size: a directory, a device such as /dev/zero, an empty file, a file above
 * MAX_INPUT_FILE_BYTES or a line above MAX_INPUT_LINE_LENGTH.
 * \param path the file
 * \param contents set to the file's text on success
 * \param badLine set to the number of a line that is too long, from 1, or to 0 when the
 *        problem concerns the whole file
 * \return an empty string on success, else the reason, e.g. "is empty"
 */
std::string ReadInputFile(const std::string& path, std::string& contents, uint32_t& badLine);

} // namespace ns3

#endif // IPSEC_SIM_SCENARIO_FILE_H
