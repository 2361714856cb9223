// Copyright (c) 2026 The ns3-ipsec authors
// SPDX-License-Identifier: GPL-2.0-only

#include "scenario-file.h"

#include "ns3/enum.h"

#include <algorithm>
#include <boost/program_options.hpp>
#include <cctype>
#include <cmath>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <regex>
#include <sstream>

namespace ns3
{

namespace
{

/// Section types a scenario file may contain, and whether they take a `.name` part.
const std::map<std::string, bool> g_sectionTypes = {
    {"scenario", false},
    {"parameters", false},
    {"router", true},
    {"host", true},
    {"link", true},
    {"traffic", true},
    {"event", true},
};

/// \return the text without leading and trailing blanks
std::string
Trim(const std::string& text)
{
    const char* blanks = " \t\r\n";
    std::size_t first = text.find_first_not_of(blanks);
    if (first == std::string::npos)
    {
        return "";
    }
    std::size_t last = text.find_last_not_of(blanks);
    return text.substr(first, last - first + 1);
}

/// \return true if a key or section name uses only letters, digits and `_.-/`
bool
IsValidName(const std::string& name)
{
    if (name.empty())
    {
        return false;
    }
    return std::all_of(name.begin(), name.end(), [](char c) {
        return std::isalnum(static_cast<unsigned char>(c)) || c == '_' || c == '.' || c == '-' ||
               c == '/';
    });
}

/// \return the names joined with the separator
std::string
JoinNames(const std::vector<std::string>& names, const std::string& separator = ", ")
{
    std::string joined;
    for (const std::string& name : names)
    {
        joined += (joined.empty() ? "" : separator) + name;
    }
    return joined;
}

/// \return the words of a text separated by '|', each trimmed, with empty words kept
std::vector<std::string>
SplitChoices(const std::string& text)
{
    std::vector<std::string> words;
    std::istringstream items(text);
    for (std::string word; std::getline(items, word, '|');)
    {
        words.push_back(Trim(word));
    }
    return words;
}

/// Comment prefix that declares the values a parameter allows.
const std::string CHOICES_PREFIX = "choices:";

/// An unsigned decimal number as ns-3's time and rate parsers read it: 20, 1.5, .5, 2e3.
const std::string NUMBER_PATTERN = "([0-9]+\\.?[0-9]*|\\.[0-9]+)([eE][+-]?[0-9]+)?";

/**
 * Splits a time such as "20ms" into its number and its ns-3 unit.
 * \param text the time
 * \param number set to the number
 * \param seconds set to the time in seconds, as a double
 * \param unit set to the unit, empty for a bare number
 * \return true if the text has that form and a finite value
 */
bool
SplitTime(const std::string& text, double& number, double& seconds, std::string& unit)
{
    static const std::regex pattern(NUMBER_PATTERN + "(y|d|h|min|s|ms|us|ns|ps|fs)?");
    static const std::map<std::string, double> secondsPerUnit = {
        {"", 1},
        {"y", 365 * 86400.0},
        {"d", 86400},
        {"h", 3600},
        {"min", 60},
        {"s", 1},
        {"ms", 1e-3},
        {"us", 1e-6},
        {"ns", 1e-9},
        {"ps", 1e-12},
        {"fs", 1e-15},
    };
    std::smatch match;
    if (!std::regex_match(text, match, pattern))
    {
        return false;
    }
    unit = match[3].str();
    number = std::strtod(text.c_str(), nullptr);
    seconds = number * secondsPerUnit.at(unit);
    return std::isfinite(seconds);
}

} // namespace

SimInputError::SimInputError(const std::string& message)
    : std::runtime_error(message)
{
}

bool
ScenarioSection::Has(const std::string& key) const
{
    return values.count(key) != 0;
}

std::string
ScenarioSection::Get(const std::string& key, const std::string& fallback) const
{
    auto found = values.find(key);
    return found == values.end() ? fallback : found->second.value;
}

uint32_t
ScenarioSection::LineOf(const std::string& key) const
{
    auto found = values.find(key);
    return found == values.end() ? line : found->second.line;
}

const std::vector<std::string>&
ScenarioFile::GetAllowedKeys(const std::string& type)
{
    // A trailing "*" accepts any key with that prefix, e.g. every engine attribute.
    static const std::map<std::string, std::vector<std::string>> allowed = {
        {"scenario", {"name", "description", "duration", "drain", "hooks"}},
        {"parameters", {"*"}},
        {"router",
         {"config", "engine.*", "stack.*", "ike.*", "traffic-classes", "traffic-class-mode"}},
        {"host", {"address", "gateway"}},
        {"link",
         {"endpoints",
          "rate",
          "delay",
          "loss",
          "mtu",
          "queue",
          "priority-queue",
          "priority-queue.dscp",
          "priority-queue.limits"}},
        {"traffic",
         {"type",
          "source",
          "destination",
          "start",
          "stop",
          "dscp",
          "df",
          "count",
          "size",
          "interval",
          "timeout",
          "rate",
          "port",
          "on",
          "off",
          "max-bytes",
          "when"}},
        {"event", {"at", "action", "target", "downtime", "peer", "when"}},
    };
    static const std::vector<std::string> none;
    auto found = allowed.find(type);
    return found == allowed.end() ? none : found->second;
}

ScenarioFile
ScenarioFile::Load(const std::string& path)
{
    std::string text;
    uint32_t badLine = 0;
    std::string problem = ReadInputFile(path, text, badLine);
    if (!problem.empty())
    {
        std::string where = badLine ? path + ":" + std::to_string(badLine) : path;
        throw SimInputError(where + ": the scenario file " + problem +
                            ": give the path of a .ini file or a name from --list-scenarios");
    }
    std::istringstream contents(text);

    ScenarioFile file;
    file.m_path = path;

    // Scan line by line first: Boost's parser reports no line numbers, so every malformed
    // line is rejected here with its number, and the line of each key is kept.
    std::map<std::string, ScenarioEntry*> entryOfOption;
    std::vector<std::string> comment;
    std::istringstream lines(contents.str());
    std::string raw;
    uint32_t number = 0;
    while (std::getline(lines, raw))
    {
        ++number;
        std::string line = Trim(raw);
        std::string where = path + ":" + std::to_string(number) + ": ";
        if (line.empty())
        {
            comment.clear();
            continue;
        }
        if (line[0] == '#')
        {
            comment.push_back(Trim(line.substr(1)));
            continue;
        }

        // Boost strips everything from a '#' on, so this scan does the same.
        line = Trim(line.substr(0, line.find('#')));
        if (line.front() == '[')
        {
            comment.clear();
            if (line.back() != ']')
            {
                throw SimInputError(where + "malformed section header '" + line +
                                    "': write [type] or [type.name]");
            }
            std::string header = Trim(line.substr(1, line.size() - 2));
            std::size_t dot = header.find('.');
            ScenarioSection section;
            section.type = header.substr(0, dot);
            section.name = dot == std::string::npos ? "" : header.substr(dot + 1);
            section.line = number;
            auto type = g_sectionTypes.find(section.type);
            if (type == g_sectionTypes.end())
            {
                throw SimInputError(where + "unknown section [" + header +
                                    "]: use [scenario], [parameters], [router.NAME], "
                                    "[host.NAME], [link.NAME], [traffic.NAME] or [event.NAME]");
            }
            if (type->second != (dot != std::string::npos) ||
                (type->second && !IsValidName(section.name)))
            {
                throw SimInputError(where + "malformed section header [" + header + "]: " +
                                    (type->second ? "write [" + section.type + ".NAME]"
                                                  : "write [" + section.type + "]"));
            }
            for (const ScenarioSection& other : file.m_sections)
            {
                if (other.type == section.type && other.name == section.name)
                {
                    throw SimInputError(where + "section [" + header +
                                        "] repeats the one at line " + std::to_string(other.line));
                }
            }
            file.m_sections.push_back(section);
            continue;
        }

        std::size_t equals = line.find('=');
        if (equals == std::string::npos || !IsValidName(Trim(line.substr(0, equals))))
        {
            throw SimInputError(where + "malformed line '" + line +
                                "': expected 'key = value', '[section]' or a '#' comment");
        }
        if (file.m_sections.empty())
        {
            throw SimInputError(where + "'" + line +
                                "' is outside any section: put it "
                                "below a [section] header");
        }
        std::string key = Trim(line.substr(0, equals));
        ScenarioSection& section = file.m_sections.back();
        if (section.values.count(key))
        {
            throw SimInputError(where + "key '" + key + "' repeats line " +
                                std::to_string(section.values[key].line) +
                                ": give each key once per section");
        }
        section.values[key].line = number;
        if (section.type == "parameters")
        {
            // A `# choices: A|B|C` line declares the allowed values; the others describe it.
            ScenarioParameter parameter{key, "", "", number, {}};
            for (const std::string& text : comment)
            {
                if (text.compare(0, CHOICES_PREFIX.size(), CHOICES_PREFIX) == 0)
                {
                    parameter.choices = SplitChoices(text.substr(CHOICES_PREFIX.size()));
                    bool hasEmpty =
                        std::find(parameter.choices.begin(), parameter.choices.end(), "") !=
                        parameter.choices.end();
                    if (hasEmpty)
                    {
                        throw SimInputError(where + "parameter '" + key +
                                            "' has an empty value in its '# choices:' line: "
                                            "write '# choices: A|B|C'");
                    }
                    continue;
                }
                parameter.description += (parameter.description.empty() ? "" : " ") + text;
            }
            file.m_parameters.push_back(parameter);
        }
        comment.clear();
    }

    // Boost now reads the values, which the scan has shown to be well formed.
    for (ScenarioSection& section : file.m_sections)
    {
        std::string prefix = section.type + (section.name.empty() ? "" : "." + section.name);
        for (auto& [key, entry] : section.values)
        {
            entryOfOption[prefix + "." + key] = &entry;
        }
    }
    std::istringstream boostInput(contents.str());
    boost::program_options::options_description noDeclaredOptions;
    try
    {
        auto parsed =
            boost::program_options::parse_config_file(boostInput, noDeclaredOptions, true);
        for (const auto& option : parsed.options)
        {
            auto found = entryOfOption.find(option.string_key);
            if (found != entryOfOption.end() && !option.value.empty())
            {
                found->second->value = option.value.front();
            }
        }
    }
    catch (const boost::program_options::error& error)
    {
        throw SimInputError(path + ": " + error.what());
    }

    for (ScenarioParameter& parameter : file.m_parameters)
    {
        parameter.defaultValue = file.GetSection("parameters").Get(parameter.name);
        file.m_values[parameter.name] = parameter.defaultValue;
        if (!parameter.choices.empty() &&
            std::find(parameter.choices.begin(), parameter.choices.end(), parameter.defaultValue) ==
                parameter.choices.end())
        {
            throw SimInputError(path + ":" + std::to_string(parameter.line) + ": parameter '" +
                                parameter.name + "' = '" + parameter.defaultValue +
                                "' is not one of its choices: use " +
                                JoinNames(parameter.choices, "|"));
        }
    }
    file.CheckKeys();

    // A file without these sections would run an empty simulation and print zero metrics.
    if (file.GetSection("scenario").type.empty())
    {
        throw SimInputError(path + ": missing [scenario] section: is this a scenario file?");
    }
    if (file.GetSections("router").empty() && file.GetSections("host").empty())
    {
        throw SimInputError(path + ": no [router.NAME] or [host.NAME] sections: the "
                                   "scenario has no nodes to simulate");
    }
    return file;
}

void
ScenarioFile::CheckKeys() const
{
    for (const ScenarioSection& section : m_sections)
    {
        const std::vector<std::string>& allowed = GetAllowedKeys(section.type);
        for (const auto& [key, entry] : section.values)
        {
            bool known = std::any_of(allowed.begin(), allowed.end(), [&](const std::string& a) {
                bool prefix = !a.empty() && a.back() == '*';
                return prefix ? key.compare(0, a.size() - 1, a, 0, a.size() - 1) == 0 : a == key;
            });
            if (!known)
            {
                std::string header =
                    section.type + (section.name.empty() ? "" : "." + section.name);
                throw SimInputError(m_path + ":" + std::to_string(entry.line) + ": unknown key '" +
                                    key + "' in [" + header + "]: use " + JoinNames(allowed));
            }
        }
    }
}

void
ScenarioFile::Override(const std::map<std::string, std::string>& overrides,
                       const std::string& option)
{
    for (const auto& [name, value] : overrides)
    {
        if (!m_values.count(name))
        {
            std::vector<std::string> names;
            for (const ScenarioParameter& parameter : m_parameters)
            {
                names.push_back(parameter.name);
            }
            throw SimInputError(
                option + " " + name + ": unknown parameter of scenario '" + GetName() + "': use " +
                (names.empty() ? std::string("none (it has no parameters)") : JoinNames(names)));
        }
        auto parameter = std::find_if(m_parameters.begin(),
                                      m_parameters.end(),
                                      [&name](const ScenarioParameter& p) {
                                          return p.name == name;
                                      });
        const std::vector<std::string>& choices = parameter->choices;
        if (!choices.empty() && std::find(choices.begin(), choices.end(), value) == choices.end())
        {
            throw SimInputError(option + " " + name + "=" + value +
                                ": invalid value of parameter '" + name + "': use " +
                                JoinNames(choices, "|"));
        }
        m_values[name] = value;
    }
}

void
ScenarioFile::Resolve()
{
    for (ScenarioSection& section : m_sections)
    {
        if (section.type == "parameters")
        {
            continue;
        }
        for (auto& [key, entry] : section.values)
        {
            entry.value = SubstituteValue(entry.value, m_path, entry.line);
        }
    }
}

std::string
ScenarioFile::SubstituteValue(const std::string& value,
                              const std::string& file,
                              uint32_t line) const
{
    std::string result;
    std::size_t position = 0;
    while (true)
    {
        std::size_t start = value.find("${", position);
        if (start == std::string::npos)
        {
            result += value.substr(position);
            return result;
        }
        std::size_t end = value.find('}', start);
        std::string where = file + ":" + std::to_string(line) + ": ";
        if (end == std::string::npos)
        {
            throw SimInputError(where + "'${' without a closing '}': write ${name}");
        }
        std::string name = value.substr(start + 2, end - start - 2);
        auto found = m_values.find(name);
        if (found == m_values.end())
        {
            throw SimInputError(where + "${" + name +
                                "} names no parameter: define it under [parameters]");
        }
        result += value.substr(position, start - position) + found->second;
        position = end + 1;
    }
}

std::string
ScenarioFile::SubstituteText(const std::string& text, const std::string& file) const
{
    std::ostringstream result;
    std::istringstream lines(text);
    std::string line;
    uint32_t number = 0;
    while (std::getline(lines, line))
    {
        ++number;

        // A conditional line is kept only when its parameter has the given value (or, with
        // `!=`, any other value).
        std::size_t indent = line.find_first_not_of(" \t");
        if (indent != std::string::npos && line.compare(indent, 3, "!?{") == 0)
        {
            std::size_t close = line.find('}', indent);
            std::size_t equals = line.find('=', indent);
            std::string where = file + ":" + std::to_string(number) + ": ";
            if (close == std::string::npos || equals == std::string::npos || equals > close)
            {
                throw SimInputError(where + "malformed conditional line: write "
                                            "'!?{name=value} command'");
            }
            // `!?{name!=value}` keeps the line when the parameter has any other value.
            bool negated = equals > indent + 3 && line[equals - 1] == '!';
            std::string name = line.substr(indent + 3, equals - indent - 3 - (negated ? 1 : 0));
            std::string expected = line.substr(equals + 1, close - equals - 1);
            auto found = m_values.find(name);
            if (found == m_values.end())
            {
                throw SimInputError(where + "!?{" + name +
                                    "=...} names no parameter: define it under [parameters]");
            }
            if ((found->second == expected) == negated)
            {
                result << "!\n";
                continue;
            }
            line = line.substr(0, indent) + Trim(line.substr(close + 1));
        }
        result << SubstituteValue(line, file, number) << "\n";
    }
    return result.str();
}

const std::string&
ScenarioFile::GetPath() const
{
    return m_path;
}

std::string
ScenarioFile::GetDirectory() const
{
    std::size_t slash = m_path.rfind('/');
    return slash == std::string::npos ? "." : m_path.substr(0, slash);
}

std::string
ScenarioFile::GetName() const
{
    std::string name = GetSection("scenario").Get("name");
    if (!name.empty())
    {
        return name;
    }
    std::string directory = GetDirectory();
    std::size_t slash = directory.rfind('/');
    return slash == std::string::npos ? directory : directory.substr(slash + 1);
}

std::string
ScenarioFile::GetDescription() const
{
    return GetSection("scenario").Get("description");
}

const std::vector<ScenarioParameter>&
ScenarioFile::GetParameters() const
{
    return m_parameters;
}

const std::map<std::string, std::string>&
ScenarioFile::GetParameterValues() const
{
    return m_values;
}

std::vector<const ScenarioSection*>
ScenarioFile::GetSections(const std::string& type) const
{
    std::vector<const ScenarioSection*> sections;
    for (const ScenarioSection& section : m_sections)
    {
        if (section.type == type)
        {
            sections.push_back(&section);
        }
    }
    return sections;
}

const ScenarioSection&
ScenarioFile::GetSection(const std::string& type) const
{
    for (const ScenarioSection& section : m_sections)
    {
        if (section.type == type)
        {
            return section;
        }
    }
    return m_empty;
}

SimInputError
ScenarioFile::ValueError(const ScenarioSection& section,
                         const std::string& key,
                         const std::string& reason) const
{
    std::string header = section.type + (section.name.empty() ? "" : "." + section.name);
    return SimInputError(m_path + ":" + std::to_string(section.LineOf(key)) + ": [" + header +
                         "] " + key + " = '" + section.Get(key) + "' is invalid: " + reason);
}

Time
ScenarioFile::GetTime(const ScenarioSection& section, const std::string& key, Time fallback) const
{
    if (!section.Has(key))
    {
        return fallback;
    }
    std::string text = section.Get(key);

    // ns-3.37 aborts on a time it cannot parse, so the text is matched against the form
    // it reads before ns-3 parses it. A bare number is seconds.
    double number = 0;
    double seconds = 0;
    std::string unit;
    if (!SplitTime(text, number, seconds, unit) || seconds > 1e6)
    {
        throw ValueError(section,
                         key,
                         "use a time from 0 to 1000000 s such as 20ms, 1.5s or 2min (a number "
                         "of seconds, or with a unit y, d, h, min, s, ms, us, ns, ps or fs)");
    }
    if (unit.empty())
    {
        return Seconds(number);
    }
    TimeValue value;
    value.DeserializeFromString(text, MakeTimeChecker());
    return value.Get();
}

DataRate
ScenarioFile::GetRate(const ScenarioSection& section,
                      const std::string& key,
                      DataRate fallback) const
{
    if (!section.Has(key))
    {
        return fallback;
    }
    // ns-3.37 aborts on a rate with a blank inside, so only NUMBER UNIT without one is
    // passed to its parser, which rejects unknown units itself.
    static const std::regex pattern(NUMBER_PATTERN + "[A-Za-z/]+");
    DataRateValue value;
    if (!std::regex_match(section.Get(key), pattern) ||
        !value.DeserializeFromString(section.Get(key), MakeDataRateChecker()) ||
        value.Get().GetBitRate() == 0)
    {
        throw ValueError(section, key, "use a rate above 0 with a unit, e.g. 2Mbps or 500kbps");
    }
    return value.Get();
}

double
ScenarioFile::GetNumber(const ScenarioSection& section,
                        const std::string& key,
                        double fallback,
                        double minimum,
                        double maximum) const
{
    if (!section.Has(key))
    {
        return fallback;
    }
    // strtod() alone would also take hexadecimal numbers, "inf" and "nan".
    static const std::regex decimal("[+-]?" + NUMBER_PATTERN);
    std::string text = section.Get(key);
    double number = std::strtod(text.c_str(), nullptr);
    if (!std::regex_match(text, decimal) || !(number >= minimum) || number > maximum)
    {
        std::ostringstream range;
        range << "use a number from " << minimum << " to " << maximum;
        throw ValueError(section, key, range.str());
    }
    return number;
}

std::string
ScenarioFile::GetChoice(const ScenarioSection& section,
                        const std::string& key,
                        const std::string& fallback,
                        const std::vector<std::string>& choices) const
{
    std::string word = section.Get(key, fallback);
    if (std::find(choices.begin(), choices.end(), word) == choices.end())
    {
        throw ValueError(section, key, "use " + JoinNames(choices));
    }
    return word;
}

bool
ScenarioFile::IsActive(const ScenarioSection& section) const
{
    // `when = ${mode} == busy`: after substitution both sides are plain words.
    std::string condition = section.Get("when");
    if (condition.empty())
    {
        return true;
    }
    for (const char* op : {"==", "!="})
    {
        std::size_t at = condition.find(op);
        if (at == std::string::npos)
        {
            continue;
        }
        auto trim = [](std::string word) {
            word.erase(0, word.find_first_not_of(" \t"));
            word.erase(word.find_last_not_of(" \t") + 1);
            return word;
        };
        bool equal = trim(condition.substr(0, at)) == trim(condition.substr(at + 2));
        return std::string(op) == "==" ? equal : !equal;
    }
    throw ValueError(section, "when", "use WORD == WORD or WORD != WORD, e.g. ${traffic} == busy");
}

bool
IsParsableAttributeText(Ptr<const AttributeChecker> checker,
                        const std::string& text,
                        std::string& allowed)
{
    static const std::regex number("[+-]?" + NUMBER_PATTERN);
    static const std::regex unsignedInteger("\\+?[0-9]{1,19}");
    static const std::regex signedInteger("[+-]?[0-9]{1,18}");
    static const std::regex rate(NUMBER_PATTERN + "[A-Za-z/]+");
    // Value type names come with or without the namespace, e.g. "ns3::TimeValue" but
    // "DataRateValue" in ns-3.37.
    std::string type = checker->GetValueTypeName();
    if (type.compare(0, 5, "ns3::") != 0)
    {
        type = "ns3::" + type;
    }
    std::string range = checker->HasUnderlyingTypeInformation()
                            ? " (" + checker->GetUnderlyingTypeInformation() + ")"
                            : "";

    if (type == "ns3::TimeValue")
    {
        allowed = "a time such as 20ms, 1.5s or 2min";
        double value = 0;
        double seconds = 0;
        std::string unit;
        std::string magnitude =
            !text.empty() && (text[0] == '-' || text[0] == '+') ? text.substr(1) : text;
        return SplitTime(magnitude, value, seconds, unit) && std::fabs(seconds) < 9e9;
    }
    if (type == "ns3::DataRateValue")
    {
        allowed = "a rate such as 2Mbps or 500kbps";
        return std::regex_match(text, rate);
    }
    if (type == "ns3::UintegerValue")
    {
        allowed = "a whole number" + range;
        return std::regex_match(text, unsignedInteger);
    }
    if (type == "ns3::IntegerValue")
    {
        allowed = "a whole number" + range;
        return std::regex_match(text, signedInteger);
    }
    if (type == "ns3::DoubleValue")
    {
        allowed = "a number" + range;
        return std::regex_match(text, number) && std::isfinite(std::strtod(text.c_str(), nullptr));
    }
    if (type == "ns3::EnumValue")
    {
        // The checker lists its names as NAME|NAME|..., and ns-3.37 accepts an unknown name.
        std::vector<std::string> names = SplitChoices(checker->GetUnderlyingTypeInformation());
        allowed = "one of " + JoinNames(names);
        return std::find(names.begin(), names.end(), text) != names.end();
    }
    if (type == "ns3::BooleanValue")
    {
        allowed = "true or false (or on or off)";
        return true;
    }
    if (type == "ns3::StringValue" || type == "ns3::QueueSizeValue")
    {
        allowed = type == "ns3::StringValue" ? "any text" : "a queue size such as 100p";
        return true;
    }

    // Pointers, object factories and other composite values have parsers that can abort
    // on nested text, and no scenario needs them.
    allowed = "nothing: attributes of type " + type + " cannot be set from a scenario file";
    return false;
}

std::string
ReadInputFile(const std::string& path, std::string& contents, uint32_t& badLine)
{
    badLine = 0;
    std::error_code error;
    std::filesystem::file_status status = std::filesystem::status(path, error);
    if (!std::filesystem::exists(status))
    {
        return "does not exist";
    }
    if (!std::filesystem::is_regular_file(status))
    {
        return "is not a regular file (a directory, device or pipe)";
    }
    std::uintmax_t size = std::filesystem::file_size(path, error);
    if (error)
    {
        return "cannot be read: " + error.message();
    }
    if (size > MAX_INPUT_FILE_BYTES)
    {
        return "is larger than 1 MiB (" + std::to_string(size) + " bytes)";
    }
    if (size == 0)
    {
        return "is empty";
    }

    // The read stops after the limit in case the file grew since its size was taken.
    std::ifstream in(path, std::ios::binary);
    std::string text(MAX_INPUT_FILE_BYTES + 1, '\0');
    in.read(text.data(), static_cast<std::streamsize>(text.size()));
    if (in.bad() || (!in && !in.eof()))
    {
        return "cannot be read";
    }
    text.resize(static_cast<std::size_t>(in.gcount()));
    if (text.size() > MAX_INPUT_FILE_BYTES)
    {
        return "is larger than 1 MiB";
    }
    if (text.empty())
    {
        return "is empty";
    }

    std::size_t lineStart = 0;
    uint32_t line = 1;
    while (lineStart < text.size())
    {
        std::size_t lineEnd = text.find('\n', lineStart);
        std::size_t length = (lineEnd == std::string::npos ? text.size() : lineEnd) - lineStart;
        if (length > MAX_INPUT_LINE_LENGTH)
        {
            badLine = line;
            return "has a line longer than " + std::to_string(MAX_INPUT_LINE_LENGTH) +
                   " characters";
        }
        if (lineEnd == std::string::npos)
        {
            break;
        }
        lineStart = lineEnd + 1;
        ++line;
    }
    contents = std::move(text);
    return "";
}

} // namespace ns3
