// Copyright (c) 2026 The ns3-ipsec authors
// SPDX-License-Identifier: GPL-2.0-only

#include "policy-map.h"

#include "ns3/assert.h"
#include "ns3/log.h"

#include <algorithm>
#include <sstream>

namespace ns3
{

NS_LOG_COMPONENT_DEFINE("PolicyMap");

const std::string PolicyMap::DEFAULT_CLASS = "class-default";

namespace
{

/**
 * Parses a decimal number within bounds.
 * \param word the text
 * \param low smallest value allowed
 * \param high largest value allowed
 * \param[out] value the number
 * \return false if the word is not a number in [low, high]
 */
bool
ParsePolicyNumber(const std::string& word, uint64_t low, uint64_t high, uint64_t& value)
{
    if (word.empty() || word.size() > 12 || !std::all_of(word.begin(), word.end(), [](char c) {
            return c >= '0' && c <= '9';
        }))
    {
        return false;
    }
    value = std::stoull(word);
    return value >= low && value <= high;
}

} // namespace

PolicyMap::PolicyMap(const std::string& name)
    : m_name(name)
{
    NS_LOG_FUNCTION(this << name);

    Class defaultClass;
    defaultClass.name = DEFAULT_CLASS;
    m_classes.push_back(defaultClass);
}

const std::string&
PolicyMap::GetName() const
{
    return m_name;
}

std::string
PolicyMap::AddClass(Ptr<ClassMap> classMap)
{
    NS_LOG_FUNCTION(this << classMap);

    if (!classMap)
    {
        return "missing class map";
    }
    if (FindClass(classMap->GetName()) >= 0)
    {
        return "class \"" + classMap->GetName() + "\" is already in policy " + m_name;
    }
    if (m_classes.size() >= MAX_CLASSES)
    {
        return "too many classes in policy " + m_name + ": at most " + std::to_string(MAX_CLASSES) +
               " counting class-default";
    }

    // class-default stays last, so a new class goes just before it.
    Class entry;
    entry.name = classMap->GetName();
    entry.classMap = classMap;
    m_classes.insert(m_classes.end() - 1, entry);
    return "";
}

std::string
PolicyMap::AddClass(const std::string& name, const ClassMapTable& classMaps)
{
    NS_LOG_FUNCTION(this << name);

    if (name == DEFAULT_CLASS)
    {
        return "";
    }
    auto found = classMaps.find(name);
    if (found == classMaps.end() || !found->second)
    {
        return "class map \"" + name + "\" not found: define it with class-map first";
    }
    return AddClass(found->second);
}

std::string
PolicyMap::ConfigureClass(const std::string& className, const std::string& line)
{
    NS_LOG_FUNCTION(this << className << line);

    int32_t index = FindClass(className);
    if (index < 0)
    {
        return "class \"" + className + "\" not found in policy " + m_name;
    }

    std::istringstream stream(line);
    std::vector<std::string> words;
    std::string word;
    while (stream >> word)
    {
        words.push_back(word);
    }
    if (words.empty())
    {
        return "missing command: expected priority, bandwidth, queue-limit or fair-queue";
    }

    // Work on a copy so that an invalid command changes nothing.
    Class updated = m_classes[index];
    bool isDefault = className == DEFAULT_CLASS;
    const std::string& command = words[0];
    uint64_t number = 0;
    if (command == "priority")
    {
        if (isDefault)
        {
            return "invalid command \"priority\" in class-default: use bandwidth or fair-queue";
        }
        if (words.size() != 2 || !ParsePolicyNumber(words[1], 8, 2000000000, number))
        {
            return "invalid priority: expected priority KBPS with KBPS 8..2000000000";
        }
        if (updated.action == Action::BANDWIDTH)
        {
            return "invalid command \"priority\" in class " + className +
                   ": the class already has bandwidth";
        }
        updated.action = Action::PRIORITY;
        updated.kbps = number;
    }
    else if (command == "bandwidth")
    {
        if (updated.action == Action::PRIORITY)
        {
            return "invalid command \"bandwidth\" in class " + className +
                   ": the class already has priority";
        }
        if (updated.fairQueue)
        {
            return "invalid command \"bandwidth\" in class-default: fair-queue is configured";
        }
        bool percent = words.size() == 3 && words[1] == "percent";
        if (percent && !ParsePolicyNumber(words[2], 1, 100, number))
        {
            return "invalid bandwidth percent \"" + words[2] + "\": expected 1..100";
        }
        if (!percent && (words.size() != 2 || !ParsePolicyNumber(words[1], 8, 2000000000, number)))
        {
            return "invalid bandwidth: expected bandwidth KBPS (8..2000000000) or "
                   "bandwidth percent P (1..100)";
        }

        // IOS requires one style of bandwidth across the classes of a policy.
        uint64_t percentTotal = percent ? number : 0;
        for (std::size_t i = 0; i < m_classes.size(); ++i)
        {
            const Class& other = m_classes[i];
            if (static_cast<int32_t>(i) == index || other.action != Action::BANDWIDTH)
            {
                continue;
            }
            bool otherPercent = other.percent > 0;
            if (otherPercent != percent)
            {
                return std::string("invalid bandwidth style: class ") + other.name + " uses " +
                       (otherPercent ? "percent" : "kbps") + ", so every class must";
            }
            percentTotal += other.percent;
        }
        if (percentTotal > 100)
        {
            return "invalid bandwidth percent: the classes of policy " + m_name + " would total " +
                   std::to_string(percentTotal) + " %, more than 100 %";
        }
        updated.action = Action::BANDWIDTH;
        updated.kbps = percent ? 0 : number;
        updated.percent = percent ? static_cast<uint32_t>(number) : 0;
    }
    else if (command == "queue-limit")
    {
        if (words.size() != 2 || !ParsePolicyNumber(words[1], 1, 32767, number))
        {
            return "invalid queue-limit: expected queue-limit PACKETS with PACKETS 1..32767";
        }
        updated.queueLimit = static_cast<uint32_t>(number);
    }
    else if (command == "fair-queue")
    {
        if (!isDefault)
        {
            return "invalid command \"fair-queue\" in class " + className +
                   ": it is allowed in class-default only";
        }
        if (updated.action == Action::BANDWIDTH)
        {
            return "invalid command \"fair-queue\" in class-default: bandwidth is configured";
        }
        number = 16;
        if (words.size() > 2 ||
            (words.size() == 2 && !ParsePolicyNumber(words[1], 16, 4096, number)) ||
            (number & (number - 1)) != 0)
        {
            return "invalid fair-queue: expected fair-queue [QUEUES] with QUEUES a power of two "
                   "16..4096";
        }
        updated.fairQueue = true;
        updated.dynamicQueues = static_cast<uint32_t>(number);
    }
    else
    {
        return "invalid command \"" + command +
               "\": expected priority, bandwidth, queue-limit or fair-queue";
    }

    m_classes[index] = updated;
    return "";
}

std::string
PolicyMap::Validate() const
{
    if (m_classes.size() > MAX_CLASSES)
    {
        return "too many classes in policy " + m_name + ": " + std::to_string(m_classes.size()) +
               ", at most " + std::to_string(MAX_CLASSES);
    }
    uint32_t percentClasses = 0;
    uint32_t kbpsClasses = 0;
    uint64_t percentTotal = 0;
    for (const Class& entry : m_classes)
    {
        if (entry.action != Action::BANDWIDTH)
        {
            continue;
        }
        if (entry.percent > 0)
        {
            percentClasses++;
            percentTotal += entry.percent;
        }
        else
        {
            kbpsClasses++;
        }
    }
    if (percentClasses > 0 && kbpsClasses > 0)
    {
        return "invalid policy " + m_name + ": bandwidth in kbps and in percent are mixed";
    }
    if (percentTotal > 100)
    {
        return "invalid policy " + m_name + ": bandwidth percent totals " +
               std::to_string(percentTotal) + " %, more than 100 %";
    }
    return "";
}

uint64_t
PolicyMap::GetGuaranteedRate(std::size_t index, uint64_t rateBps) const
{
    NS_ASSERT_MSG(index < m_classes.size(), "class index " << index << " out of range");

    const Class& entry = m_classes[index];
    if (entry.action == Action::NONE)
    {
        return 0;
    }
    if (entry.percent > 0)
    {
        return rateBps / 100 * entry.percent + rateBps % 100 * entry.percent / 100;
    }
    return entry.kbps * 1000;
}

std::string
PolicyMap::CheckRate(uint64_t rateBps) const
{
    NS_LOG_FUNCTION(this << rateBps);

    uint64_t total = 0;
    for (std::size_t i = 0; i < m_classes.size(); ++i)
    {
        total += GetGuaranteedRate(i, rateBps);
    }
    if (total <= rateBps)
    {
        return "";
    }

    // IOS accepts such a policy and only warns, so this is not an error.
    return "warning: policy " + m_name + " guarantees " + std::to_string(total / 1000) +
           " kbps, more than the " + std::to_string(rateBps / 1000) + " kbps available";
}

const std::vector<PolicyMap::Class>&
PolicyMap::GetClasses() const
{
    return m_classes;
}

int32_t
PolicyMap::FindClass(const std::string& name) const
{
    for (std::size_t i = 0; i < m_classes.size(); ++i)
    {
        if (m_classes[i].name == name)
        {
            return static_cast<int32_t>(i);
        }
    }
    return -1;
}

} // namespace ns3
