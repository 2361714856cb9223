// Copyright (c) 2026 The ns3-ipsec authors
// SPDX-License-Identifier: GPL-2.0-only

#include "ipv4-access-list.h"

#include "ns3/abort.h"
#include "ns3/log.h"

#include <cstddef>
#include <utility>

namespace ns3
{

NS_LOG_COMPONENT_DEFINE("Ipv4AccessList");

namespace
{

/// IP protocol number of TCP.
constexpr int16_t TCP_PROTOCOL = 6;

/// IP protocol number of UDP.
constexpr int16_t UDP_PROTOCOL = 17;

/// An IOS keyword and the number it stands for.
struct NamedNumber
{
    const char* name; //!< keyword as IOS prints it
    uint16_t value;   //!< protocol number, port or DSCP
};

/// Protocol keywords of IOS extended access lists, except `ip`, `tcp` and `udp`.
constexpr NamedNumber PROTOCOL_NAMES[] = {
    {"icmp", 1},
    {"igmp", 2},
    {"nos", 4},
    {"gre", 47},
    {"esp", 50},
    {"ahp", 51},
    {"eigrp", 88},
    {"ospf", 89},
    {"ipinip", 94},
    {"pim", 103},
    {"pcp", 108},
};

/**
 * TCP port names of IOS extended access lists. IOS keeps separate lists for TCP and UDP,
 * so a name such as `www` is valid only after tcp and `snmp` only after udp.
 */
constexpr NamedNumber TCP_PORT_NAMES[] = {
    {"bgp", 179},     {"chargen", 19},      {"cmd", 514},      {"daytime", 13}, {"discard", 9},
    {"domain", 53},   {"echo", 7},          {"exec", 512},     {"finger", 79},  {"ftp", 21},
    {"ftp-data", 20}, {"gopher", 70},       {"hostname", 101}, {"https", 443},  {"ident", 113},
    {"irc", 194},     {"klogin", 543},      {"kshell", 544},   {"login", 513},  {"lpd", 515},
    {"nntp", 119},    {"pim-auto-rp", 496}, {"pop2", 109},     {"pop3", 110},   {"smtp", 25},
    {"ssh", 22},      {"sunrpc", 111},      {"tacacs", 49},    {"talk", 517},   {"telnet", 23},
    {"time", 37},     {"uucp", 540},        {"whois", 43},     {"www", 80},
};

/// UDP port names of IOS extended access lists.
constexpr NamedNumber UDP_PORT_NAMES[] = {
    {"biff", 512},        {"bootpc", 68},
    {"bootps", 67},       {"discard", 9},
    {"dnsix", 195},       {"domain", 53},
    {"echo", 7},          {"isakmp", 500},
    {"mobile-ip", 434},   {"nameserver", 42},
    {"netbios-dgm", 138}, {"netbios-ns", 137},
    {"netbios-ss", 139},  {"non500-isakmp", 4500},
    {"ntp", 123},         {"pim-auto-rp", 496},
    {"rip", 520},         {"snmp", 161},
    {"snmptrap", 162},    {"sunrpc", 111},
    {"syslog", 514},      {"tacacs", 49},
    {"talk", 517},        {"tftp", 69},
    {"time", 37},         {"who", 513},
    {"xdmcp", 177},
};

/// DSCP names with fixed code points (RFC 2474 class selectors, RFC 3246 EF).
constexpr NamedNumber DSCP_NAMES[] = {
    {"default", 0},
    {"ef", 46},
    {"cs0", 0},
    {"cs1", 8},
    {"cs2", 16},
    {"cs3", 24},
    {"cs4", 32},
    {"cs5", 40},
    {"cs6", 48},
    {"cs7", 56},
};

/**
 * Looks up a keyword in a table.
 * \param table the table
 * \param word the keyword
 * \param[out] value the number of the keyword when found
 * \return true if the keyword is in the table
 */
template<std::size_t N>
bool
LookUp(const NamedNumber (&table)[N], const std::string& word, uint16_t& value)
{
    for (const auto& entry : table)
    {
        if (word == entry.name)
        {
            value = entry.value;
            return true;
        }
    }
    return false;
}

/**
 * Parses a decimal number made of digits only, without sign or spaces.
 * \param word the text
 * \param maximum the largest accepted value
 * \param[out] value the number on success
 * \return true if the text is a number in 0..maximum
 */
bool
ParseNumber(const std::string& word, uint32_t maximum, uint32_t& value)
{
    if (word.empty())
    {
        return false;
    }

    // Checking the bound at every digit keeps long inputs from overflowing.
    uint32_t result = 0;
    for (char c : word)
    {
        if (c < '0' || c > '9')
        {
            return false;
        }
        result = result * 10 + static_cast<uint32_t>(c - '0');
        if (result > maximum)
        {
            return false;
        }
    }

    value = result;
    return true;
}

/**
 * Parses a dotted-quad IPv4 address. Unlike the Ipv4Address constructor, it rejects
 * anything but four decimal numbers 0..255 separated by dots.
 * \param word the text
 * \param[out] address the address on success
 * \return true on success
 */
bool
ParseDottedQuad(const std::string& word, Ipv4Address& address)
{
    uint32_t host = 0;
    std::size_t start = 0;
    for (int part = 0; part < 4; ++part)
    {
        std::size_t end = word.find('.', start);
        if (part == 3)
        {
            // The last part runs to the end of the word, so a fifth dot is an error.
            if (end != std::string::npos)
            {
                return false;
            }
            end = word.size();
        }
        else if (end == std::string::npos)
        {
            return false;
        }

        // At most three digits, so that "0010" is not read as 10.
        uint32_t octet = 0;
        const std::string digits = word.substr(start, end - start);
        if (digits.size() > 3 || !ParseNumber(digits, 255, octet))
        {
            return false;
        }
        host = (host << 8) | octet;
        start = end + 1;
    }

    address = Ipv4Address(host);
    return true;
}

/**
 * Tests a port against a port condition of an entry.
 * \param op the comparison
 * \param low the port, or the start of the range
 * \param high the end of the range
 * \param port the packet's port
 * \return true if the port satisfies the condition
 */
bool
PortMatches(Ipv4AccessListEntry::PortOperator op, uint16_t low, uint16_t high, uint16_t port)
{
    switch (op)
    {
    case Ipv4AccessListEntry::PortOperator::ANY:
        return true;
    case Ipv4AccessListEntry::PortOperator::EQ:
        return port == low;
    case Ipv4AccessListEntry::PortOperator::NEQ:
        return port != low;
    case Ipv4AccessListEntry::PortOperator::LT:
        return port < low;
    case Ipv4AccessListEntry::PortOperator::GT:
        return port > low;
    case Ipv4AccessListEntry::PortOperator::RANGE:
        return port >= low && port <= high;
    }
    return false;
}

/**
 * Tests an address against an entry's address and IOS wildcard, ignoring the wildcard bits.
 * \param address the packet's address
 * \param pattern the entry's address
 * \param wildcard the entry's wildcard
 * \return true if the address matches
 */
bool
AddressMatches(Ipv4Address address, Ipv4Address pattern, Ipv4Address wildcard)
{
    return ((address.Get() ^ pattern.Get()) & ~wildcard.Get()) == 0;
}

/**
 * Parses one line of an extended access list into an entry.
 *
 * Each step reads the words it needs from the front of the line and returns an empty
 * string, or a one-line reason that quotes the bad word and states what was expected.
 */
class AccessListLineParser
{
  public:
    /**
     * Splits the line into words.
     * \param line the line in IOS syntax
     */
    explicit AccessListLineParser(const std::string& line);

    /**
     * Parses the whole line.
     * \param[out] entry the entry, which is only partly filled in on error
     * \return an empty string on success, else the reason
     */
    std::string Parse(Ipv4AccessListEntry& entry);

  private:
    /// Side of the line being parsed.
    enum class Side : uint8_t
    {
        SOURCE,      //!< the source address and ports
        DESTINATION, //!< the destination address and ports
    };

    /// \return true if every word has been read
    bool AtEnd() const;

    /// \return the next word without reading it (call only if AtEnd() is false)
    const std::string& Peek() const;

    /// \return the next word, which is then read (call only if AtEnd() is false)
    const std::string& Next();

    /**
     * Builds the reason for a missing word.
     * \param what the missing part of the line
     * \param expected what the line could contain there
     * \return the reason
     */
    std::string Missing(const std::string& what, const std::string& expected) const;

    /**
     * Parses `permit` or `deny`.
     * \param[out] entry the entry
     * \return an empty string on success, else the reason
     */
    std::string ParseAction(Ipv4AccessListEntry& entry);

    /**
     * Parses the protocol keyword or number.
     * \param[out] entry the entry
     * \return an empty string on success, else the reason
     */
    std::string ParseProtocol(Ipv4AccessListEntry& entry);

    /**
     * Parses `any`, `host A.B.C.D` or `A.B.C.D WILDCARD`.
     * \param side source or destination
     * \param[out] address the address
     * \param[out] wildcard the wildcard
     * \return an empty string on success, else the reason
     */
    std::string ParseAddress(Side side, Ipv4Address& address, Ipv4Address& wildcard);

    /**
     * Parses an optional port condition after an address.
     * \param side source or destination
     * \param protocol the protocol of the entry, which selects the port names
     * \param[out] op the comparison, left unchanged if there is no condition
     * \param[out] low the port or the start of the range
     * \param[out] high the end of the range
     * \return an empty string on success, else the reason
     */
    std::string ParsePorts(Side side,
                           int16_t protocol,
                           Ipv4AccessListEntry::PortOperator& op,
                           uint16_t& low,
                           uint16_t& high);

    /**
     * Parses one port number or name.
     * \param protocol TCP_PROTOCOL or UDP_PROTOCOL
     * \param[out] port the port
     * \return an empty string on success, else the reason
     */
    std::string ParsePort(int16_t protocol, uint16_t& port);

    /**
     * Parses the optional `dscp VALUE` and `log` at the end of the line.
     * \param[out] entry the entry
     * \return an empty string on success, else the reason
     */
    std::string ParseOptions(Ipv4AccessListEntry& entry);

    std::vector<std::string> m_words; //!< the words of the line
    std::size_t m_next{0};            //!< index of the next word to read
};

AccessListLineParser::AccessListLineParser(const std::string& line)
{
    // Words are separated by any run of spaces or tabs.
    std::size_t start = line.find_first_not_of(" \t");
    while (start != std::string::npos)
    {
        std::size_t end = line.find_first_of(" \t", start);
        if (end == std::string::npos)
        {
            end = line.size();
        }
        m_words.push_back(line.substr(start, end - start));
        start = line.find_first_not_of(" \t", end);
    }
}

bool
AccessListLineParser::AtEnd() const
{
    return m_next >= m_words.size();
}

const std::string&
AccessListLineParser::Peek() const
{
    return m_words[m_next];
}

const std::string&
AccessListLineParser::Next()
{
    return m_words[m_next++];
}

std::string
AccessListLineParser::Missing(const std::string& what, const std::string& expected) const
{
    if (m_next == 0)
    {
        return "missing " + what + " in an empty line: expected " + expected;
    }
    return "missing " + what + " after '" + m_words[m_next - 1] + "': expected " + expected;
}

std::string
AccessListLineParser::Parse(Ipv4AccessListEntry& entry)
{
    std::string reason = ParseAction(entry);
    if (reason.empty())
    {
        reason = ParseProtocol(entry);
    }
    if (reason.empty())
    {
        reason = ParseAddress(Side::SOURCE, entry.source, entry.sourceWildcard);
    }
    if (reason.empty())
    {
        reason = ParsePorts(Side::SOURCE,
                            entry.protocol,
                            entry.sourcePortOperator,
                            entry.sourcePortLow,
                            entry.sourcePortHigh);
    }
    if (reason.empty())
    {
        reason = ParseAddress(Side::DESTINATION, entry.destination, entry.destinationWildcard);
    }
    if (reason.empty())
    {
        reason = ParsePorts(Side::DESTINATION,
                            entry.protocol,
                            entry.destinationPortOperator,
                            entry.destinationPortLow,
                            entry.destinationPortHigh);
    }
    if (reason.empty())
    {
        reason = ParseOptions(entry);
    }
    return reason;
}

std::string
AccessListLineParser::ParseAction(Ipv4AccessListEntry& entry)
{
    if (AtEnd())
    {
        return Missing("action", "permit or deny");
    }

    const std::string& word = Next();
    if (word == "permit")
    {
        entry.permit = true;
        return "";
    }
    if (word == "deny")
    {
        entry.permit = false;
        return "";
    }
    return "invalid action '" + word + "': expected permit or deny";
}

std::string
AccessListLineParser::ParseProtocol(Ipv4AccessListEntry& entry)
{
    const std::string expected = "ip, tcp, udp, icmp, esp, ahp, gre, ospf, another IOS "
                                 "protocol keyword or a number 0..255";
    if (AtEnd())
    {
        return Missing("protocol", expected);
    }

    const std::string& word = Next();
    uint16_t named = 0;
    uint32_t number = 0;
    if (word == "ip")
    {
        entry.protocol = -1;
    }
    else if (word == "tcp")
    {
        entry.protocol = TCP_PROTOCOL;
    }
    else if (word == "udp")
    {
        entry.protocol = UDP_PROTOCOL;
    }
    else if (LookUp(PROTOCOL_NAMES, word, named))
    {
        entry.protocol = static_cast<int16_t>(named);
    }
    else if (ParseNumber(word, 255, number))
    {
        entry.protocol = static_cast<int16_t>(number);
    }
    else
    {
        return "invalid protocol '" + word + "': expected " + expected;
    }
    return "";
}

std::string
AccessListLineParser::ParseAddress(Side side, Ipv4Address& address, Ipv4Address& wildcard)
{
    const std::string name = (side == Side::SOURCE) ? "source" : "destination";
    const std::string expected = "any, host A.B.C.D or A.B.C.D WILDCARD";
    if (AtEnd())
    {
        return Missing(name + " address", expected);
    }

    // `any` is shorthand for 0.0.0.0 255.255.255.255.
    const std::string& word = Next();
    if (word == "any")
    {
        address = Ipv4Address(0U);
        wildcard = Ipv4Address(0xffffffffU);
        return "";
    }

    // `host A.B.C.D` is shorthand for A.B.C.D 0.0.0.0.
    if (word == "host")
    {
        if (AtEnd())
        {
            return Missing(name + " host address", "A.B.C.D");
        }
        const std::string& host = Next();
        if (!ParseDottedQuad(host, address))
        {
            return "invalid " + name + " host address '" + host + "': expected A.B.C.D";
        }
        wildcard = Ipv4Address(0U);
        return "";
    }

    if (!ParseDottedQuad(word, address))
    {
        return "invalid " + name + " address '" + word + "': expected " + expected;
    }
    if (AtEnd())
    {
        return Missing(name + " wildcard", "A.B.C.D with set bits as don't-care bits");
    }
    const std::string& mask = Next();
    if (!ParseDottedQuad(mask, wildcard))
    {
        return "invalid " + name + " wildcard '" + mask +
               "': expected A.B.C.D with set bits as don't-care bits";
    }
    return "";
}

std::string
AccessListLineParser::ParsePorts(Side side,
                                 int16_t protocol,
                                 Ipv4AccessListEntry::PortOperator& op,
                                 uint16_t& low,
                                 uint16_t& high)
{
    using PortOperator = Ipv4AccessListEntry::PortOperator;

    // A port condition is optional, so any word that is not an operator is left for the
    // next step.
    if (AtEnd())
    {
        return "";
    }
    const std::string& word = Peek();
    PortOperator parsed = PortOperator::ANY;
    if (word == "eq")
    {
        parsed = PortOperator::EQ;
    }
    else if (word == "neq")
    {
        parsed = PortOperator::NEQ;
    }
    else if (word == "lt")
    {
        parsed = PortOperator::LT;
    }
    else if (word == "gt")
    {
        parsed = PortOperator::GT;
    }
    else if (word == "range")
    {
        parsed = PortOperator::RANGE;
    }
    else
    {
        return "";
    }
    const std::string& operatorWord = Next();

    // IOS offers port operators only for tcp and udp, whose headers start with the ports.
    if (protocol != TCP_PROTOCOL && protocol != UDP_PROTOCOL)
    {
        const std::string next = (side == Side::SOURCE) ? "the destination address"
                                                        : "dscp VALUE, log or the end of the line";
        return "invalid port operator '" + operatorWord +
               "': port conditions need protocol tcp or udp, so expected " + next;
    }

    std::string reason = ParsePort(protocol, low);
    if (!reason.empty())
    {
        return reason;
    }
    if (parsed != PortOperator::RANGE)
    {
        op = parsed;
        return "";
    }

    // A range needs a second port that is not below the first.
    const std::string& lowWord = m_words[m_next - 1];
    reason = ParsePort(protocol, high);
    if (!reason.empty())
    {
        return reason;
    }
    if (low > high)
    {
        return "invalid port range '" + lowWord + " " + m_words[m_next - 1] +
               "': expected LOW HIGH with LOW <= HIGH";
    }
    op = parsed;
    return "";
}

std::string
AccessListLineParser::ParsePort(int16_t protocol, uint16_t& port)
{
    const std::string name = (protocol == TCP_PROTOCOL) ? "tcp" : "udp";
    const std::string expected = "a number 0..65535 or a " + name + " port name such as " +
                                 (protocol == TCP_PROTOCOL ? "www" : "isakmp");
    if (AtEnd())
    {
        return Missing("port", expected);
    }

    const std::string& word = Next();
    uint32_t number = 0;
    if (ParseNumber(word, 65535, number))
    {
        port = static_cast<uint16_t>(number);
        return "";
    }

    // Names are looked up in the list of the entry's protocol only.
    const bool named = (protocol == TCP_PROTOCOL) ? LookUp(TCP_PORT_NAMES, word, port)
                                                  : LookUp(UDP_PORT_NAMES, word, port);
    if (named)
    {
        return "";
    }

    // Point at the other protocol's list when the name is only defined there.
    uint16_t other = 0;
    const bool otherNamed = (protocol == TCP_PROTOCOL) ? LookUp(UDP_PORT_NAMES, word, other)
                                                       : LookUp(TCP_PORT_NAMES, word, other);
    if (otherNamed)
    {
        const std::string otherName = (protocol == TCP_PROTOCOL) ? "udp" : "tcp";
        return "invalid " + name + " port '" + word + "': expected " + expected +
               " (IOS defines '" + word + "' only for " + otherName + ", as port " +
               std::to_string(other) + ")";
    }
    return "invalid " + name + " port '" + word + "': expected " + expected;
}

std::string
AccessListLineParser::ParseOptions(Ipv4AccessListEntry& entry)
{
    // `dscp VALUE` may come once, and `log` may only end the line.
    bool dscpSeen = false;
    while (!AtEnd())
    {
        const std::string& word = Next();
        if (word == "log")
        {
            if (!AtEnd())
            {
                return "unexpected '" + Peek() + "' after 'log': expected the end of the line";
            }
            return "";
        }
        if (dscpSeen)
        {
            return "unexpected '" + word + "' after the DSCP value: expected log or the end " +
                   "of the line";
        }
        if (word != "dscp")
        {
            return "unexpected '" + word + "' after the destination: expected dscp VALUE, " +
                   "log or the end of the line";
        }
        dscpSeen = true;

        // Assured-forwarding names afXY stand for 8 * X + 2 * Y (RFC 2597).
        const std::string dscpExpected = "a number 0..63, default, ef, af11..af43 or cs0..cs7";
        if (AtEnd())
        {
            return Missing("DSCP value", dscpExpected);
        }
        const std::string& value = Next();
        uint32_t number = 0;
        uint16_t named = 0;
        if (ParseNumber(value, 63, number))
        {
            entry.dscp = static_cast<int16_t>(number);
        }
        else if (LookUp(DSCP_NAMES, value, named))
        {
            entry.dscp = static_cast<int16_t>(named);
        }
        else if (value.size() == 4 && value[0] == 'a' && value[1] == 'f' && value[2] >= '1' &&
                 value[2] <= '4' && value[3] >= '1' && value[3] <= '3')
        {
            entry.dscp = static_cast<int16_t>(8 * (value[2] - '0') + 2 * (value[3] - '0'));
        }
        else
        {
            return "invalid DSCP value '" + value + "': expected " + dscpExpected;
        }
    }
    return "";
}

} // namespace

Ipv4FlowTuple
Ipv4FlowTuple::Mirror() const
{
    Ipv4FlowTuple mirrored = *this;
    std::swap(mirrored.source, mirrored.destination);
    std::swap(mirrored.sourcePort, mirrored.destinationPort);
    return mirrored;
}

bool
Ipv4AccessListEntry::Matches(const Ipv4FlowTuple& tuple) const
{
    if (protocol >= 0 && tuple.protocol != protocol)
    {
        return false;
    }
    if (!AddressMatches(tuple.source, source, sourceWildcard) ||
        !AddressMatches(tuple.destination, destination, destinationWildcard))
    {
        return false;
    }

    // NOTE: a line with a port condition never matches a packet without ports (a non-first
    // fragment). IOS instead lets a permit line match such a fragment on its addresses and
    // protocol alone, and skips a deny line.
    const bool hasPortCondition =
        sourcePortOperator != PortOperator::ANY || destinationPortOperator != PortOperator::ANY;
    if (hasPortCondition)
    {
        if (!tuple.hasPorts ||
            !PortMatches(sourcePortOperator, sourcePortLow, sourcePortHigh, tuple.sourcePort) ||
            !PortMatches(destinationPortOperator,
                         destinationPortLow,
                         destinationPortHigh,
                         tuple.destinationPort))
        {
            return false;
        }
    }

    return dscp < 0 || tuple.dscp == dscp;
}

Ipv4AccessList::Ipv4AccessList(const std::string& name)
    : m_name(name)
{
    NS_LOG_FUNCTION(this << name);
}

const std::string&
Ipv4AccessList::GetName() const
{
    return m_name;
}

std::string
Ipv4AccessList::AddLine(const std::string& line)
{
    NS_LOG_FUNCTION(this << line);

    // The entry is appended only after the whole line parsed, so that a bad line leaves
    // the list unchanged.
    Ipv4AccessListEntry entry;
    AccessListLineParser parser(line);
    const std::string reason = parser.Parse(entry);
    if (!reason.empty())
    {
        NS_LOG_DEBUG("access list " << m_name << " rejected '" << line << "': " << reason);
        return reason;
    }

    entry.text = line;
    AddEntry(entry);
    return "";
}

void
Ipv4AccessList::Add(const std::string& line)
{
    NS_LOG_FUNCTION(this << line);
    const std::string reason = AddLine(line);
    NS_ABORT_MSG_IF(!reason.empty(),
                    "access list " << m_name << ": invalid line '" << line << "': " << reason);
}

void
Ipv4AccessList::AddEntry(const Ipv4AccessListEntry& entry)
{
    NS_LOG_FUNCTION(this << entry.text);
    using PortOperator = Ipv4AccessListEntry::PortOperator;

    NS_ABORT_MSG_IF(entry.protocol < -1 || entry.protocol > 255,
                    "access list " << m_name << ": invalid protocol " << entry.protocol
                                   << ": expected -1 (any) or 0..255");
    NS_ABORT_MSG_IF(entry.dscp < -1 || entry.dscp > 63,
                    "access list " << m_name << ": invalid DSCP " << entry.dscp
                                   << ": expected -1 (any) or 0..63");
    NS_ABORT_MSG_IF(entry.sourcePortOperator == PortOperator::RANGE &&
                        entry.sourcePortLow > entry.sourcePortHigh,
                    "access list " << m_name << ": invalid source port range "
                                   << entry.sourcePortLow << " " << entry.sourcePortHigh
                                   << ": expected LOW <= HIGH");
    NS_ABORT_MSG_IF(entry.destinationPortOperator == PortOperator::RANGE &&
                        entry.destinationPortLow > entry.destinationPortHigh,
                    "access list " << m_name << ": invalid destination port range "
                                   << entry.destinationPortLow << " " << entry.destinationPortHigh
                                   << ": expected LOW <= HIGH");

    // Like IOS, store the addresses with the don't-care bits cleared, so that
    // 10.0.0.1 0.0.0.255 reads back as 10.0.0.0 0.0.0.255.
    Ipv4AccessListEntry stored = entry;
    stored.source = Ipv4Address(entry.source.Get() & ~entry.sourceWildcard.Get());
    stored.destination = Ipv4Address(entry.destination.Get() & ~entry.destinationWildcard.Get());
    m_entries.push_back(stored);
}

const std::vector<Ipv4AccessListEntry>&
Ipv4AccessList::GetEntries() const
{
    return m_entries;
}

Ipv4AccessList::Action
Ipv4AccessList::Evaluate(const Ipv4FlowTuple& tuple) const
{
    int32_t matchedLine = -1;
    return Evaluate(tuple, matchedLine);
}

Ipv4AccessList::Action
Ipv4AccessList::Evaluate(const Ipv4FlowTuple& tuple, int32_t& matchedLine) const
{
    NS_LOG_FUNCTION(this);

    // First match wins. This runs for every packet, so it only compares numbers.
    for (std::size_t i = 0; i < m_entries.size(); ++i)
    {
        const Ipv4AccessListEntry& entry = m_entries[i];
        if (entry.Matches(tuple))
        {
            matchedLine = static_cast<int32_t>(i);
            NS_LOG_LOGIC("access list " << m_name << " line " << i << " "
                                        << (entry.permit ? "permits" : "denies") << " "
                                        << tuple.source << " -> " << tuple.destination);
            return entry.permit ? Action::PERMIT : Action::DENY;
        }
    }

    // A packet that matches no line meets the implicit deny at the end of every list.
    matchedLine = -1;
    NS_LOG_LOGIC("access list " << m_name << " denies " << tuple.source << " -> "
                                << tuple.destination << " by the implicit deny");
    return Action::DENY;
}

} // namespace ns3
