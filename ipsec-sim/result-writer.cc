// Copyright (c) 2026 The ns3-ipsec authors
// SPDX-License-Identifier: GPL-2.0-only

#include "result-writer.h"

#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <iomanip>
#include <set>
#include <sstream>

namespace ns3
{

namespace
{

/// Most plots one invocation writes, so a sweep of a busy scenario stays browsable.
constexpr std::size_t MAX_PLOTS = 24;

/// \return the metric key as a file name: letters, digits, '.', '_' and '-' only
std::string
FileNameOf(const std::string& key)
{
    std::string name = key;
    for (char& c : name)
    {
        if (!std::isalnum(static_cast<unsigned char>(c)) && c != '.' && c != '_' && c != '-')
        {
            c = '_';
        }
    }
    return name;
}

} // namespace

std::vector<std::string>
ResultWriter::GetMetricKeys(const SimResults& results)
{
    std::set<std::string> keys;
    for (const RunRecord& run : results.runs)
    {
        for (const auto& [key, value] : run.metrics)
        {
            keys.insert(key);
        }
    }
    return {keys.begin(), keys.end()};
}

void
ResultWriter::WriteTable(const SimResults& results, std::ostream& os)
{
    std::vector<std::string> keys = GetMetricKeys(results);

    // The header rows name each run's seed, run number and swept values.
    std::vector<std::string> labels = {"seed", "run"};
    labels.insert(labels.end(), results.sweptNames.begin(), results.sweptNames.end());
    std::vector<std::vector<std::string>> rows;
    for (const std::string& label : labels)
    {
        std::vector<std::string> row = {label};
        for (const RunRecord& run : results.runs)
        {
            if (label == "seed")
            {
                row.push_back(std::to_string(run.seed));
            }
            else if (label == "run")
            {
                row.push_back(std::to_string(run.run));
            }
            else
            {
                row.push_back(run.swept.at(label));
            }
        }
        rows.push_back(row);
    }
    std::size_t headerRows = rows.size();
    for (const std::string& key : keys)
    {
        std::vector<std::string> row = {key};
        for (const RunRecord& run : results.runs)
        {
            auto found = run.metrics.find(key);
            row.push_back(found == run.metrics.end() ? "-" : found->second.Format());
        }
        rows.push_back(row);
    }

    std::vector<std::size_t> widths(results.runs.size() + 1, 0);
    for (const auto& row : rows)
    {
        for (std::size_t column = 0; column < row.size(); ++column)
        {
            widths[column] = std::max(widths[column], row[column].size());
        }
    }
    os << "scenario " << results.scenario << "\n";
    for (std::size_t index = 0; index < rows.size(); ++index)
    {
        if (index == headerRows)
        {
            std::size_t total = 0;
            for (std::size_t width : widths)
            {
                total += width + 2;
            }
            os << std::string(total - 2, '-') << "\n";
        }
        const auto& row = rows[index];
        os << std::left << std::setw(static_cast<int>(widths[0])) << row[0];
        for (std::size_t column = 1; column < row.size(); ++column)
        {
            os << "  " << std::right << std::setw(static_cast<int>(widths[column])) << row[column];
        }
        os << "\n";
    }
}

std::string
ResultWriter::QuoteCsv(const std::string& text)
{
    if (text.find_first_of(",\"\n") == std::string::npos)
    {
        return text;
    }
    std::string quoted = "\"";
    for (char c : text)
    {
        quoted += c == '"' ? std::string("\"\"") : std::string(1, c);
    }
    return quoted + "\"";
}

void
ResultWriter::WriteCsv(const SimResults& results, std::ostream& os)
{
    std::vector<std::string> keys = GetMetricKeys(results);
    os << "seed,run";
    for (const std::string& name : results.sweptNames)
    {
        os << "," << QuoteCsv(name);
    }
    for (const std::string& key : keys)
    {
        os << "," << QuoteCsv(key);
    }
    os << "\n";
    for (const RunRecord& run : results.runs)
    {
        os << run.seed << "," << run.run;
        for (const std::string& name : results.sweptNames)
        {
            os << "," << QuoteCsv(run.swept.at(name));
        }
        for (const std::string& key : keys)
        {
            auto found = run.metrics.find(key);
            os << "," << (found == run.metrics.end() ? "" : QuoteCsv(found->second.Format()));
        }
        os << "\n";
    }
}

std::string
ResultWriter::QuoteJson(const std::string& text)
{
    std::ostringstream quoted;
    quoted << '"';
    for (char c : text)
    {
        switch (c)
        {
        case '"':
            quoted << "\\\"";
            break;
        case '\\':
            quoted << "\\\\";
            break;
        case '\n':
            quoted << "\\n";
            break;
        case '\t':
            quoted << "\\t";
            break;
        default:
            if (static_cast<unsigned char>(c) < 0x20)
            {
                quoted << "\\u" << std::hex << std::setw(4) << std::setfill('0')
                       << static_cast<int>(c) << std::dec << std::setfill(' ');
            }
            else
            {
                quoted << c;
            }
        }
    }
    quoted << '"';
    return quoted.str();
}

void
ResultWriter::WriteJson(const SimResults& results, std::ostream& os)
{
    auto writeStrings = [&os](const std::map<std::string, std::string>& values,
                              const std::string& indent) {
        os << "{";
        bool first = true;
        for (const auto& [name, value] : values)
        {
            os << (first ? "\n" : ",\n") << indent << "  " << QuoteJson(name) << ": "
               << QuoteJson(value);
            first = false;
        }
        os << (first ? "}" : "\n" + indent + "}");
    };

    os << "{\n  \"scenario\": " << QuoteJson(results.scenario) << ",\n  \"parameters\": ";
    writeStrings(results.parameters, "  ");
    os << ",\n  \"runs\": [";
    for (std::size_t index = 0; index < results.runs.size(); ++index)
    {
        const RunRecord& run = results.runs[index];
        os << (index == 0 ? "\n" : ",\n") << "    {\n      \"seed\": " << run.seed
           << ",\n      \"run\": " << run.run << ",\n      \"parameters\": ";
        writeStrings(run.swept, "      ");
        os << ",\n      \"metrics\": {";
        bool first = true;
        for (const auto& [key, value] : run.metrics)
        {
            // NaN has no JSON form, so it becomes null.
            std::string text = value.Format();
            std::string json = value.isText ? QuoteJson(text) : (text == "nan" ? "null" : text);
            os << (first ? "\n" : ",\n") << "        " << QuoteJson(key) << ": " << json;
            first = false;
        }
        os << (first ? "}" : "\n      }") << "\n    }";
    }
    os << (results.runs.empty() ? "]" : "\n  ]") << "\n}\n";
}

std::string
ResultWriter::WritePlots(const SimResults& results, const std::string& directory)
{
    if (results.sweptNames.empty())
    {
        return "plots: none, because no parameter was swept";
    }
    if (std::system("command -v gnuplot >/dev/null 2>&1") != 0)
    {
        return "plots: skipped, because gnuplot is not on PATH";
    }

    // Average every numeric metric over the runs of each value of the first swept
    // parameter, keeping the values in the order they were first run.
    const std::string& xName = results.sweptNames.front();
    std::vector<std::string> xValues;
    std::map<std::string, std::map<std::string, std::pair<double, uint32_t>>> sums;
    for (const RunRecord& run : results.runs)
    {
        const std::string& x = run.swept.at(xName);
        if (std::find(xValues.begin(), xValues.end(), x) == xValues.end())
        {
            xValues.push_back(x);
        }
        for (const auto& [key, value] : run.metrics)
        {
            if (!value.isText)
            {
                auto& sum = sums[key][x];
                sum.first += value.number;
                sum.second++;
            }
        }
    }

    std::size_t plotted = 0;
    for (const auto& [key, byX] : sums)
    {
        double low = byX.begin()->second.first / byX.begin()->second.second;
        bool varies = false;
        for (const auto& [x, sum] : byX)
        {
            varies = varies || sum.first / sum.second != low;
        }
        if (!varies || plotted == MAX_PLOTS)
        {
            continue;
        }
        std::string base = directory + "/plot-" + FileNameOf(key);
        {
            std::ofstream data(base + ".dat");
            for (std::size_t index = 0; index < xValues.size(); ++index)
            {
                auto found = byX.find(xValues[index]);
                if (found != byX.end())
                {
                    data << index << " \"" << xValues[index] << "\" "
                         << found->second.first / found->second.second << "\n";
                }
            }
            std::ofstream script(base + ".gp");
            script << "set terminal png size 800,500\n"
                   << "set output '" << base << ".png'\n"
                   << "set title '" << results.scenario << ": " << key << "' noenhanced\n"
                   << "set xlabel '" << xName << "' noenhanced\n"
                   << "set ylabel '" << key << "' noenhanced\n"
                   << "set grid\nunset key\n"
                   << "plot '" << base << ".dat' using 1:3:xticlabels(2) with linespoints\n";
        }
        std::string command = "gnuplot '" + base + ".gp' >/dev/null 2>&1";
        if (std::system(command.c_str()) == 0)
        {
            ++plotted;
        }
        std::remove((base + ".gp").c_str());
    }
    return "plots: " + std::to_string(plotted) + " PNG files of metrics against " + xName;
}

} // namespace ns3
