// Copyright (c) 2026 The ns3-ipsec authors
// SPDX-License-Identifier: GPL-2.0-only

#ifndef IPSEC_SYSLOG_H
#define IPSEC_SYSLOG_H

#include "ns3/nstime.h"
#include "ns3/object.h"
#include "ns3/traced-callback.h"

#include <cstdint>
#include <deque>
#include <functional>
#include <map>
#include <ostream>
#include <string>
#include <string_view>

namespace ns3
{

/**
 * \ingroup ipsec
 * The router log of one node: messages in IOS format with simulated timestamps.
 *
 * A message reads `*Mar  1 00:00:12.345: %FACILITY-SEVERITY-MNEMONIC: text`. The time is
 * the simulated time counted from midnight on March 1, which is what an IOS router shows
 * when its clock was never set. Runs longer than 31 days print day 32 and on rather than
 * rolling over to April. Repeats of one message kind are rate-limited as a router
 * rate-limits its log: within RateLimitInterval of the last logged message of the same
 * kind a message is counted as rate-limited and not stored.
 *
 * Stored messages go to a bounded buffer (`show logging`), to the Message trace source,
 * and, if PrintToStandardOutput is set, to standard output.
 */
class IpsecSyslog : public Object
{
  public:
    /**
     * \brief Get the type ID.
     * \return the object TypeId
     */
    static TypeId GetTypeId();
    IpsecSyslog();
    ~IpsecSyslog() override;

    /**
     * TracedCallback signature for a logged message.
     * \param line the whole log line, timestamp included
     */
    typedef void (*MessageTracedCallback)(const std::string& line);

    /**
     * Logs a message unless it is rate-limited.
     * \param facility the facility, e.g. "CRYPTO"
     * \param severity the IOS severity 0..7
     * \param mnemonic the mnemonic, e.g. "PKT_REPLAY_ERR"; also the rate-limit key
     * \param text the message text
     * \return true if the message was logged, false if rate-limited
     */
    bool Log(const std::string& facility,
             uint8_t severity,
             const std::string& mnemonic,
             const std::string& text);

    /**
     * Counts a message as rate-limited if one of the same mnemonic was stored less than
     * RateLimitInterval ago. A caller whose text is costly to build calls this first and
     * builds the text for Log() only when it returns false.
     * \param mnemonic the mnemonic, as Log() takes it
     * \return true if the message is rate-limited (and now counted as such)
     */
    bool CountIfRateLimited(std::string_view mnemonic);

    /**
     * Formats a simulated time as an IOS log timestamp.
     * \param time the simulated time
     * \return e.g. "*Mar  1 00:00:12.345"
     */
    static std::string FormatTimestamp(Time time);

    /// \return the stored lines, oldest first
    const std::deque<std::string>& GetLines() const;
    /// \return the number of messages logged
    uint64_t GetLoggedCount() const;
    /// \return the number of messages suppressed by rate limiting
    uint64_t GetRateLimitedCount() const;
    /**
     * Prints the log buffer as `show logging` does.
     * \param os the output stream
     */
    void Show(std::ostream& os) const;
    /// Removes every stored line (`clear logging`).
    void Clear();

  private:
    Time m_rateLimitInterval;        //!< minimum time between messages of one kind
    uint32_t m_bufferSize;           //!< lines kept in the buffer
    bool m_print;                    //!< echo lines to standard output
    std::deque<std::string> m_lines; //!< buffered lines
    std::map<std::string, Time, std::less<>> m_lastLogged; //!< last logged time per mnemonic
    uint64_t m_logged;                                     //!< messages logged
    uint64_t m_rateLimited;                                //!< messages rate-limited
    TracedCallback<const std::string&> m_messageTrace;     //!< every logged line
};

} // namespace ns3

#endif // IPSEC_SYSLOG_H
