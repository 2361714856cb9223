// Copyright (c) 2026 The ns3-ipsec authors
// SPDX-License-Identifier: GPL-2.0-only

#include "ipsec-syslog.h"

#include "ns3/boolean.h"
#include "ns3/log.h"
#include "ns3/simulator.h"
#include "ns3/uinteger.h"

#include <cstdio>
#include <iostream>

namespace ns3
{

NS_LOG_COMPONENT_DEFINE("IpsecSyslog");

NS_OBJECT_ENSURE_REGISTERED(IpsecSyslog);

TypeId
IpsecSyslog::GetTypeId()
{
    static TypeId tid =
        TypeId("ns3::IpsecSyslog")
            .SetParent<Object>()
            .SetGroupName("Ipsec")
            .AddConstructor<IpsecSyslog>()
            .AddAttribute("RateLimitInterval",
                          "Minimum simulated time between two stored messages of one mnemonic "
                          "(s); messages in between are counted as rate-limited. Zero logs all.",
                          TimeValue(Seconds(1)),
                          MakeTimeAccessor(&IpsecSyslog::m_rateLimitInterval),
                          MakeTimeChecker(Seconds(0)))
            .AddAttribute("BufferSize",
                          "Number of lines the log buffer keeps (oldest lines are dropped).",
                          UintegerValue(1000),
                          MakeUintegerAccessor(&IpsecSyslog::m_bufferSize),
                          MakeUintegerChecker<uint32_t>(1))
            .AddAttribute("PrintToStandardOutput",
                          "Also print every stored line to standard output.",
                          BooleanValue(false),
                          MakeBooleanAccessor(&IpsecSyslog::m_print),
                          MakeBooleanChecker())
            .AddTraceSource("Message",
                            "A log line was stored.",
                            MakeTraceSourceAccessor(&IpsecSyslog::m_messageTrace),
                            "ns3::IpsecSyslog::MessageTracedCallback");
    return tid;
}

IpsecSyslog::IpsecSyslog()
    : m_logged(0),
      m_rateLimited(0)
{
    NS_LOG_FUNCTION(this);
}

IpsecSyslog::~IpsecSyslog()
{
    NS_LOG_FUNCTION(this);
}

bool
IpsecSyslog::CountIfRateLimited(std::string_view mnemonic)
{
    auto last = m_lastLogged.find(mnemonic);
    if (last != m_lastLogged.end() && Simulator::Now() - last->second < m_rateLimitInterval)
    {
        ++m_rateLimited;
        return true;
    }
    return false;
}

std::string
IpsecSyslog::FormatTimestamp(Time time)
{
    int64_t ms = time.GetMilliSeconds();
    int64_t day = 1 + ms / 86400000;
    int64_t inDay = ms % 86400000;
    char text[48];
    std::snprintf(text,
                  sizeof(text),
                  "*Mar %2lld %02lld:%02lld:%02lld.%03lld",
                  static_cast<long long>(day),
                  static_cast<long long>(inDay / 3600000),
                  static_cast<long long>(inDay / 60000 % 60),
                  static_cast<long long>(inDay / 1000 % 60),
                  static_cast<long long>(inDay % 1000));
    return text;
}

bool
IpsecSyslog::Log(const std::string& facility,
                 uint8_t severity,
                 const std::string& mnemonic,
                 const std::string& text)
{
    // Rate limiting is per mnemonic, as on a router, so one flood does not hide other events.
    if (CountIfRateLimited(mnemonic))
    {
        return false;
    }
    Time now = Simulator::Now();
    m_lastLogged[mnemonic] = now;

    std::string line = FormatTimestamp(now) + ": %" + facility + "-" + std::to_string(severity) +
                       "-" + mnemonic + ": " + text;
    NS_LOG_INFO(line);
    ++m_logged;
    m_lines.push_back(line);
    while (m_lines.size() > m_bufferSize)
    {
        m_lines.pop_front();
    }
    if (m_print)
    {
        std::cout << line << std::endl;
    }
    m_messageTrace(line);
    return true;
}

const std::deque<std::string>&
IpsecSyslog::GetLines() const
{
    return m_lines;
}

uint64_t
IpsecSyslog::GetLoggedCount() const
{
    return m_logged;
}

uint64_t
IpsecSyslog::GetRateLimitedCount() const
{
    return m_rateLimited;
}

void
IpsecSyslog::Show(std::ostream& os) const
{
    os << "Syslog logging: enabled (0 messages dropped, " << m_rateLimited
       << " messages rate-limited, 0 flushes, 0 overruns, xml disabled)\n";
    os << "Buffer logging: level debugging, " << m_logged << " messages logged, xml disabled\n";
    os << "Log Buffer (" << m_bufferSize << " lines):\n";
    for (const auto& line : m_lines)
    {
        os << line << "\n";
    }
}

void
IpsecSyslog::Clear()
{
    m_lines.clear();
}

} // namespace ns3
