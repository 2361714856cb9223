// Copyright (c) 2026 The ns3-ipsec authors
// SPDX-License-Identifier: GPL-2.0-only

#ifndef IPV4_ACCESS_LIST_H
#define IPV4_ACCESS_LIST_H

#include "ns3/ipv4-address.h"
#include "ns3/simple-ref-count.h"

#include <cstdint>
#include <string>
#include <vector>

namespace ns3
{

/**
 * \ingroup ipsec
 * The fields of a packet that an extended access list looks at.
 */
struct Ipv4FlowTuple
{
    Ipv4Address source;          //!< source address
    Ipv4Address destination;     //!< destination address
    uint8_t protocol{0};         //!< IP protocol number
    uint16_t sourcePort{0};      //!< TCP/UDP source port, 0 if none
    uint16_t destinationPort{0}; //!< TCP/UDP destination port, 0 if none
    uint8_t dscp{0};             //!< DSCP (upper six bits of the TOS byte)
    bool hasPorts{false};        //!< true if the ports are known (TCP/UDP, first fragment)

    /// \return the tuple with source and destination swapped (the reverse direction)
    Ipv4FlowTuple Mirror() const;
};

/**
 * \ingroup ipsec
 * One line of an extended IPv4 access list:
 * `permit|deny PROTOCOL SOURCE [PORTS] DESTINATION [PORTS] [dscp VALUE]`.
 *
 * Ipv4AccessList stores each address with the bits under its wildcard cleared, as IOS
 * does, and Matches() ignores those bits in any case.
 */
struct Ipv4AccessListEntry
{
    /// Port comparison of an entry.
    enum class PortOperator : uint8_t
    {
        ANY,   //!< no port condition
        EQ,    //!< port equal to low
        NEQ,   //!< port different from low
        LT,    //!< port below low
        GT,    //!< port above low
        RANGE, //!< low <= port <= high
    };

    bool permit{true};          //!< permit or deny
    int16_t protocol{-1};       //!< IP protocol number, -1 for `ip` (any)
    Ipv4Address source;         //!< source address
    Ipv4Address sourceWildcard; //!< source wildcard (set bits are "don't care")
    PortOperator sourcePortOperator{PortOperator::ANY};      //!< source port comparison
    uint16_t sourcePortLow{0};                               //!< source port or range start
    uint16_t sourcePortHigh{0};                              //!< source range end
    Ipv4Address destination;                                 //!< destination address
    Ipv4Address destinationWildcard;                         //!< destination wildcard
    PortOperator destinationPortOperator{PortOperator::ANY}; //!< destination port comparison
    uint16_t destinationPortLow{0};                          //!< destination port or range start
    uint16_t destinationPortHigh{0};                         //!< destination range end
    int16_t dscp{-1};                                        //!< DSCP to match, -1 for any
    std::string text;                                        //!< the line as configured

    /**
     * Tests whether a packet matches this line.
     * \param tuple the packet's fields
     * \return true on a match
     */
    bool Matches(const Ipv4FlowTuple& tuple) const;
};

/**
 * \ingroup ipsec
 * An extended IPv4 access list (`ip access-list extended NAME` or `access-list 100-199`).
 *
 * Lines are evaluated in order; the first line that matches decides permit or deny, and a
 * packet that matches no line is denied (the implicit deny at the end).
 *
 * The parser accepts the IOS syntax of one line: protocol `ip`, `tcp`, `udp`, `icmp`,
 * `esp`, `ahp`, `gre`, `ospf`, another IOS protocol keyword or a number 0..255; addresses
 * as `any`, `host A.B.C.D` or `A.B.C.D WILDCARD`; for tcp and udp, port conditions `eq`,
 * `neq`, `lt`, `gt` with a number or an IOS port name of that protocol, and
 * `range LOW HIGH`; an optional `dscp VALUE` (0..63 or a name such as `ef`, `af41`, `cs3`)
 * and an optional `log` at the end, which is accepted and ignored. Keywords are lowercase.
 *
 * Other IOS options (ICMP types, `established`, `fragments`, `precedence`, `tos`,
 * `time-range`, object groups) are rejected as invalid. A line with a port condition does
 * not match a packet without ports (a non-first fragment), whereas IOS lets a permit line
 * match such a fragment on its addresses and protocol.
 */
class Ipv4AccessList : public SimpleRefCount<Ipv4AccessList>
{
  public:
    /// Result of evaluating a packet against the list.
    enum class Action : uint8_t
    {
        PERMIT, //!< a permit line matched
        DENY,   //!< a deny line matched, or the implicit deny
    };

    /**
     * Creates an empty list (which denies everything).
     * \param name the list name or number
     */
    explicit Ipv4AccessList(const std::string& name);

    /// \return the list name or number
    const std::string& GetName() const;

    /**
     * Parses and appends one line in IOS syntax, without the leading
     * `access-list NUMBER` (e.g. "permit udp host 10.0.0.1 any range 16384 20000").
     * \param line the line
     * \return an empty string on success, else a one-line reason naming the bad word
     */
    std::string AddLine(const std::string& line);

    /**
     * Appends one line and aborts the simulation with the reason if it is invalid.
     * \param line the line in IOS syntax
     */
    void Add(const std::string& line);

    /**
     * Appends a parsed entry.
     * \param entry the entry
     */
    void AddEntry(const Ipv4AccessListEntry& entry);

    /// \return the entries in order
    const std::vector<Ipv4AccessListEntry>& GetEntries() const;

    /**
     * Evaluates a packet.
     * \param tuple the packet's fields
     * \return PERMIT or DENY
     */
    Action Evaluate(const Ipv4FlowTuple& tuple) const;

    /**
     * Evaluates a packet and reports which line matched.
     * \param tuple the packet's fields
     * \param[out] matchedLine index of the matching line, or -1 for the implicit deny
     * \return PERMIT or DENY
     */
    Action Evaluate(const Ipv4FlowTuple& tuple, int32_t& matchedLine) const;

  private:
    std::string m_name;                         //!< list name or number
    std::vector<Ipv4AccessListEntry> m_entries; //!< lines in order
};

} // namespace ns3

#endif // IPV4_ACCESS_LIST_H
