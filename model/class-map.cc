// Copyright (c) 2026 The ns3-ipsec authors
// SPDX-License-Identifier: GPL-2.0-only

#include "class-map.h"

#include "ns3/abort.h"
#include "ns3/log.h"

#include <algorithm>
#include <sstream>

namespace ns3
{

NS_LOG_COMPONENT_DEFINE("ClassMap");

namespace
{

/**
 * Splits a line into words separated by blanks.
 * \param line the line
 * \return the words
 */
std::vector<std::string>
SplitWords(const std::string& line)
{
    std::istringstream stream(line);
    std::vector<std::string> words;
    std::string word;
    while (stream >> word)
    {
        words.push_back(word);
    }
    return words;
}

/**
 * Parses a decimal number within bounds.
 * \param word the text
 * \param low smallest value allowed
 * \param high largest value allowed
 * \param[out] value the number
 * \return false if the word is not a number in [low, high]
 */
bool
ParseNumber(const std::string& word, uint32_t low, uint32_t high, uint32_t& value)
{
    if (word.empty() || word.size() > 9 || !std::all_of(word.begin(), word.end(), [](char c) {
            return c >= '0' && c <= '9';
        }))
    {
        return false;
    }
    value = static_cast<uint32_t>(std::stoul(word));
    return value >= low && value <= high;
}

} // namespace

ClassMap::ClassMap(const std::string& name, MatchMode mode)
    : m_name(name),
      m_mode(mode)
{
    NS_LOG_FUNCTION(this << name);
}

Ptr<ClassMap>
ClassMap::Parse(const std::string& line, std::string& error)
{
    NS_LOG_FUNCTION(line);

    std::vector<std::string> words = SplitWords(line);
    error.clear();
    if (words.empty() || words[0] != "class-map")
    {
        error = "invalid class map line \"" + line + "\": expected \"class-map\"";
        return nullptr;
    }

    // IOS takes the match mode before the name and defaults to match-all.
    MatchMode mode = MatchMode::MATCH_ALL;
    std::size_t next = 1;
    if (words.size() > 1 && (words[1] == "match-all" || words[1] == "match-any"))
    {
        mode = words[1] == "match-any" ? MatchMode::MATCH_ANY : MatchMode::MATCH_ALL;
        next = 2;
    }
    if (words.size() <= next)
    {
        error = "missing class map name: expected class-map [match-all|match-any] NAME";
        return nullptr;
    }
    if (words.size() > next + 1)
    {
        error = "invalid word \"" + words[next + 1] + "\" after the class map name";
        return nullptr;
    }
    if (words[next] == "class-default")
    {
        error = "invalid class map name \"class-default\": the name is reserved";
        return nullptr;
    }
    return Create<ClassMap>(words[next], mode);
}

const std::string&
ClassMap::GetName() const
{
    return m_name;
}

ClassMap::MatchMode
ClassMap::GetMatchMode() const
{
    return m_mode;
}

std::string
ClassMap::GetMatchModeName() const
{
    return m_mode == MatchMode::MATCH_ANY ? "match-any" : "match-all";
}

bool
ClassMap::ParseDscp(const std::string& word, uint8_t& value)
{
    uint32_t number = 0;
    if (ParseNumber(word, 0, 63, number))
    {
        value = static_cast<uint8_t>(number);
        return true;
    }
    if (word == "default")
    {
        value = 0;
        return true;
    }
    if (word == "ef")
    {
        value = 46;
        return true;
    }

    // csN is precedence N shifted into the DSCP field (RFC 2474).
    if (word.size() == 3 && word[0] == 'c' && word[1] == 's' && word[2] >= '0' && word[2] <= '7')
    {
        value = static_cast<uint8_t>((word[2] - '0') << 3);
        return true;
    }

    // afXY is class X (1..4) with drop precedence Y (1..3): DSCP 8X + 2Y (RFC 2597).
    if (word.size() == 4 && word[0] == 'a' && word[1] == 'f' && word[2] >= '1' && word[2] <= '4' &&
        word[3] >= '1' && word[3] <= '3')
    {
        value = static_cast<uint8_t>(8 * (word[2] - '0') + 2 * (word[3] - '0'));
        return true;
    }
    return false;
}

std::string
ClassMap::AddMatch(const std::string& line, const AccessListTable& accessLists)
{
    NS_LOG_FUNCTION(this << line);

    std::vector<std::string> words = SplitWords(line);
    if (words.empty() || words[0] != "match")
    {
        return "invalid match statement \"" + line + "\": expected \"match\"";
    }
    if (words.size() < 2)
    {
        return "missing match criterion: expected access-group, input-interface, protocol, "
               "dscp, precedence or any";
    }

    Statement statement;
    statement.text = line;
    const std::string& criterion = words[1];
    if (criterion == "any")
    {
        if (words.size() > 2)
        {
            return "invalid word \"" + words[2] + "\" after \"match any\"";
        }
        statement.criterion = Criterion::ANY;
    }
    else if (criterion == "access-group")
    {
        // IOS writes a named list as "access-group name NAME" and a numbered one bare.
        std::size_t nameIndex = words.size() > 2 && words[2] == "name" ? 3 : 2;
        if (words.size() <= nameIndex)
        {
            return "missing access list: expected match access-group NUMBER or "
                   "match access-group name NAME";
        }
        if (words.size() > nameIndex + 1)
        {
            return "invalid word \"" + words[nameIndex + 1] + "\" after the access list name";
        }
        auto found = accessLists.find(words[nameIndex]);
        if (found == accessLists.end() || !found->second)
        {
            return "access list \"" + words[nameIndex] + "\" not found: define it first";
        }
        statement.criterion = Criterion::ACCESS_GROUP;
        statement.accessList = found->second;
    }
    else if (criterion == "input-interface")
    {
        if (words.size() != 3)
        {
            return words.size() < 3 ? "missing interface name: expected match input-interface NAME"
                                    : "invalid word \"" + words[3] + "\" after the interface name";
        }
        statement.criterion = Criterion::INPUT_INTERFACE;
        statement.interfaceName = words[2];
    }
    else if (criterion == "protocol")
    {
        if (words.size() != 3)
        {
            return words.size() < 3 ? "missing protocol: expected ip, tcp, udp, icmp or 0..255"
                                    : "invalid word \"" + words[3] + "\" after the protocol";
        }
        statement.criterion = Criterion::PROTOCOL;
        uint32_t number = 0;
        const std::string& name = words[2];
        if (name == "ip")
        {
            statement.protocol = -1;
        }
        else if (name == "tcp")
        {
            statement.protocol = 6;
        }
        else if (name == "udp")
        {
            statement.protocol = 17;
        }
        else if (name == "icmp")
        {
            statement.protocol = 1;
        }
        else if (ParseNumber(name, 0, 255, number))
        {
            statement.protocol = static_cast<int16_t>(number);
        }
        else
        {
            return "invalid protocol \"" + name + "\": expected ip, tcp, udp, icmp or 0..255";
        }
    }
    else if (criterion == "dscp" || criterion == "precedence")
    {
        bool dscp = criterion == "dscp";
        std::size_t maxValues = dscp ? 8 : 4;
        if (words.size() < 3)
        {
            return dscp ? "missing DSCP value: expected 0..63, ef, afXY, csN or default"
                        : "missing precedence value: expected 0..7";
        }
        if (words.size() - 2 > maxValues)
        {
            return "too many values: match " + criterion + " takes at most " +
                   std::to_string(maxValues);
        }
        statement.criterion = dscp ? Criterion::DSCP : Criterion::PRECEDENCE;
        for (std::size_t i = 2; i < words.size(); ++i)
        {
            uint8_t value = 0;
            uint32_t number = 0;
            if (dscp && !ParseDscp(words[i], value))
            {
                return "invalid DSCP value \"" + words[i] +
                       "\": expected 0..63, ef, af11..af43, cs0..cs7 or default";
            }
            if (!dscp)
            {
                if (!ParseNumber(words[i], 0, 7, number))
                {
                    return "invalid precedence value \"" + words[i] + "\": expected 0..7";
                }
                value = static_cast<uint8_t>(number);
            }
            statement.values.push_back(value);
        }
    }
    else
    {
        return "invalid match criterion \"" + criterion +
               "\": expected access-group, input-interface, protocol, dscp, precedence or any";
    }

    m_statements.push_back(statement);
    return "";
}

void
ClassMap::AddAccessGroup(Ptr<Ipv4AccessList> accessList)
{
    NS_LOG_FUNCTION(this << accessList);
    NS_ABORT_MSG_IF(!accessList, "ClassMap::AddAccessGroup: the access list is null");

    Statement statement;
    statement.criterion = Criterion::ACCESS_GROUP;
    statement.accessList = accessList;
    statement.text = "match access-group " + accessList->GetName();
    m_statements.push_back(statement);
}

const std::vector<ClassMap::Statement>&
ClassMap::GetStatements() const
{
    return m_statements;
}

bool
ClassMap::MatchStatement(const Statement& statement,
                         const Ipv4FlowTuple& tuple,
                         const std::string& inputInterface)
{
    switch (statement.criterion)
    {
    case Criterion::ANY:
        return true;
    case Criterion::ACCESS_GROUP:
        return statement.accessList->Evaluate(tuple) == Ipv4AccessList::Action::PERMIT;
    case Criterion::INPUT_INTERFACE:
        return statement.interfaceName == inputInterface;
    case Criterion::PROTOCOL:
        return statement.protocol < 0 || statement.protocol == tuple.protocol;
    case Criterion::DSCP:
        return std::find(statement.values.begin(), statement.values.end(), tuple.dscp) !=
               statement.values.end();
    case Criterion::PRECEDENCE: {
        // The IP precedence is the upper three bits of the DSCP field.
        uint8_t precedence = tuple.dscp >> 3;
        return std::find(statement.values.begin(), statement.values.end(), precedence) !=
               statement.values.end();
    }
    }
    return false;
}

bool
ClassMap::Match(const Ipv4FlowTuple& tuple, const std::string& inputInterface) const
{
    if (m_statements.empty())
    {
        return false;
    }
    for (const Statement& statement : m_statements)
    {
        bool matched = MatchStatement(statement, tuple, inputInterface);
        if (m_mode == MatchMode::MATCH_ANY && matched)
        {
            return true;
        }
        if (m_mode == MatchMode::MATCH_ALL && !matched)
        {
            return false;
        }
    }
    return m_mode == MatchMode::MATCH_ALL;
}

} // namespace ns3
