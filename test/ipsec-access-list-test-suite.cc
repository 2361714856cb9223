// Copyright (c) 2026 The ns3-ipsec authors
// SPDX-License-Identifier: GPL-2.0-only

// Tests of the extended IPv4 access list: IOS line parsing, first-match evaluation with
// the implicit deny, address wildcards, port conditions, DSCP and parser errors.

#include "ns3/ipv4-access-list.h"
#include "ns3/test.h"

#include <string>
#include <vector>

using namespace ns3;

namespace
{

constexpr uint8_t ICMP = 1;  //!< ICMP
constexpr uint8_t TCP = 6;   //!< TCP
constexpr uint8_t UDP = 17;  //!< UDP
constexpr uint8_t ESP = 50;  //!< ESP
constexpr uint8_t AH = 51;   //!< AH
constexpr uint8_t OSPF = 89; //!< OSPF

/**
 * Builds a flow tuple.
 * \param source source address
 * \param destination destination address
 * \param protocol IP protocol number
 * \param sourcePort source port
 * \param destinationPort destination port
 * \param hasPorts whether the ports are known
 * \param dscp DSCP of the packet
 * \return the tuple
 */
Ipv4FlowTuple
MakeTuple(const char* source,
          const char* destination,
          uint8_t protocol,
          uint16_t sourcePort = 0,
          uint16_t destinationPort = 0,
          bool hasPorts = true,
          uint8_t dscp = 0)
{
    Ipv4FlowTuple tuple;
    tuple.source = Ipv4Address(source);
    tuple.destination = Ipv4Address(destination);
    tuple.protocol = protocol;
    tuple.sourcePort = sourcePort;
    tuple.destinationPort = destinationPort;
    tuple.hasPorts = hasPorts;
    tuple.dscp = dscp;
    return tuple;
}

/**
 * Names an action, so that failed checks print PERMIT or DENY.
 * \param action the action
 * \return "PERMIT" or "DENY"
 */
std::string
ActionName(Ipv4AccessList::Action action)
{
    return action == Ipv4AccessList::Action::PERMIT ? "PERMIT" : "DENY";
}

/**
 * Evaluates a tuple against a list built from a single line.
 * \param line the line in IOS syntax, which must be valid
 * \param tuple the packet's fields
 * \return true if the line matched and permitted the packet
 */
bool
SingleLinePermits(const std::string& line, const Ipv4FlowTuple& tuple)
{
    Ipv4AccessList list("single");
    list.Add(line);
    int32_t matchedLine = -2;
    const Ipv4AccessList::Action action = list.Evaluate(tuple, matchedLine);
    return action == Ipv4AccessList::Action::PERMIT && matchedLine == 0;
}

} // namespace

/**
 * \ingroup ipsec
 * Checks that the first matching line decides and that unmatched packets are denied.
 */
class AccessListOrderTestCase : public TestCase
{
  public:
    AccessListOrderTestCase()
        : TestCase("first match and implicit deny")
    {
    }

  private:
    void DoRun() override
    {
        // An empty list denies everything through the implicit deny.
        Ipv4AccessList empty("empty");
        int32_t matchedLine = 7;
        Ipv4FlowTuple tuple = MakeTuple("10.0.0.1", "10.9.9.9", TCP, 1000, 80);
        NS_TEST_EXPECT_MSG_EQ(ActionName(empty.Evaluate(tuple, matchedLine)), "DENY", "empty list");
        NS_TEST_EXPECT_MSG_EQ(matchedLine, -1, "empty list has no matching line");

        // A host deny before a subnet permit takes the host out of the subnet.
        Ipv4AccessList list("101");
        NS_TEST_EXPECT_MSG_EQ(list.GetName(), "101", "name");
        NS_TEST_EXPECT_MSG_EQ(list.AddLine("deny ip host 10.0.0.1 any"), "", "line 0");
        NS_TEST_EXPECT_MSG_EQ(list.AddLine("permit ip 10.0.0.0 0.0.0.255 any"), "", "line 1");
        NS_TEST_EXPECT_MSG_EQ(list.AddLine("permit ip host 10.0.0.1 any"), "", "line 2");
        NS_TEST_ASSERT_MSG_EQ(list.GetEntries().size(), 3, "three lines");

        NS_TEST_EXPECT_MSG_EQ(ActionName(list.Evaluate(tuple, matchedLine)), "DENY", "host");
        NS_TEST_EXPECT_MSG_EQ(matchedLine, 0, "the deny line is first, so line 2 never runs");

        tuple.source = Ipv4Address("10.0.0.2");
        NS_TEST_EXPECT_MSG_EQ(ActionName(list.Evaluate(tuple, matchedLine)), "PERMIT", "subnet");
        NS_TEST_EXPECT_MSG_EQ(matchedLine, 1, "subnet line");

        tuple.source = Ipv4Address("10.0.1.2");
        NS_TEST_EXPECT_MSG_EQ(ActionName(list.Evaluate(tuple, matchedLine)),
                              "DENY",
                              "outside the subnet");
        NS_TEST_EXPECT_MSG_EQ(matchedLine, -1, "implicit deny");

        // The overload without a line index gives the same decisions.
        NS_TEST_EXPECT_MSG_EQ(ActionName(list.Evaluate(tuple)), "DENY", "implicit deny");
        tuple.source = Ipv4Address("10.0.0.2");
        NS_TEST_EXPECT_MSG_EQ(ActionName(list.Evaluate(tuple)), "PERMIT", "subnet");

        // A later deny cannot override an earlier permit.
        Ipv4AccessList permitFirst("permit-first");
        permitFirst.Add("permit udp any any");
        permitFirst.Add("deny udp host 10.0.0.2 any");
        tuple.protocol = UDP;
        NS_TEST_EXPECT_MSG_EQ(ActionName(permitFirst.Evaluate(tuple, matchedLine)),
                              "PERMIT",
                              "permit first");
        NS_TEST_EXPECT_MSG_EQ(matchedLine, 0, "permit first");

        // AddEntry appends a line built in code.
        Ipv4AccessListEntry entry;
        entry.permit = false;
        entry.protocol = TCP;
        entry.source = Ipv4Address("10.0.0.2");
        entry.sourceWildcard = Ipv4Address("0.0.0.0");
        entry.destination = Ipv4Address("0.0.0.0");
        entry.destinationWildcard = Ipv4Address("255.255.255.255");
        Ipv4AccessList built("built");
        built.AddEntry(entry);
        built.Add("permit ip any any");
        tuple.protocol = TCP;
        NS_TEST_EXPECT_MSG_EQ(ActionName(built.Evaluate(tuple, matchedLine)), "DENY", "entry");
        NS_TEST_EXPECT_MSG_EQ(matchedLine, 0, "entry is line 0");
        tuple.protocol = UDP;
        NS_TEST_EXPECT_MSG_EQ(ActionName(built.Evaluate(tuple, matchedLine)),
                              "PERMIT",
                              "entry is for tcp only");
        NS_TEST_EXPECT_MSG_EQ(matchedLine, 1, "second line");
    }
};

/**
 * \ingroup ipsec
 * Checks `any`, `host` and wildcard masks, contiguous and not.
 */
class AccessListAddressTestCase : public TestCase
{
  public:
    AccessListAddressTestCase()
        : TestCase("host, any and wildcards")
    {
    }

  private:
    void DoRun() override
    {
        /// One address check: line, packet source and destination, expected result.
        struct AddressCase
        {
            const char* line;        //!< access-list line
            const char* source;      //!< packet source
            const char* destination; //!< packet destination
            bool permitted;          //!< expected result
        };

        const std::vector<AddressCase> cases = {
            {"permit ip any any", "0.0.0.0", "255.255.255.255", true},
            {"permit ip any any", "192.0.2.1", "198.51.100.7", true},
            {"permit ip host 10.0.0.1 any", "10.0.0.1", "1.2.3.4", true},
            {"permit ip host 10.0.0.1 any", "10.0.0.2", "1.2.3.4", false},
            {"permit ip host 10.0.0.1 any", "11.0.0.1", "1.2.3.4", false},
            {"permit ip any host 10.0.0.1", "1.2.3.4", "10.0.0.1", true},
            {"permit ip any host 10.0.0.1", "10.0.0.1", "1.2.3.4", false},
            {"permit ip 10.0.0.1 0.0.0.0 any", "10.0.0.1", "1.2.3.4", true},
            {"permit ip 10.0.0.1 0.0.0.0 any", "10.0.0.0", "1.2.3.4", false},
            // A /24 as a contiguous wildcard, checked at both edges and just outside.
            {"permit ip 10.1.2.0 0.0.0.255 any", "10.1.2.0", "1.2.3.4", true},
            {"permit ip 10.1.2.0 0.0.0.255 any", "10.1.2.255", "1.2.3.4", true},
            {"permit ip 10.1.2.0 0.0.0.255 any", "10.1.1.255", "1.2.3.4", false},
            {"permit ip 10.1.2.0 0.0.0.255 any", "10.1.3.0", "1.2.3.4", false},
            {"permit ip any 172.16.0.0 0.15.255.255", "1.2.3.4", "172.31.255.255", true},
            {"permit ip any 172.16.0.0 0.15.255.255", "1.2.3.4", "172.32.0.0", false},
            // A non-contiguous wildcard leaves the third octet free and checks the others.
            {"permit ip 10.1.0.5 0.0.255.0 any", "10.1.0.5", "1.2.3.4", true},
            {"permit ip 10.1.0.5 0.0.255.0 any", "10.1.77.5", "1.2.3.4", true},
            {"permit ip 10.1.0.5 0.0.255.0 any", "10.1.255.5", "1.2.3.4", true},
            {"permit ip 10.1.0.5 0.0.255.0 any", "10.1.77.6", "1.2.3.4", false},
            {"permit ip 10.1.0.5 0.0.255.0 any", "10.2.77.5", "1.2.3.4", false},
            // Wildcard 0.0.0.254 matches the odd addresses only.
            {"permit ip any 10.0.0.1 0.0.0.254", "1.2.3.4", "10.0.0.7", true},
            {"permit ip any 10.0.0.1 0.0.0.254", "1.2.3.4", "10.0.0.8", false},
            // Address bits under the wildcard are ignored: 10.0.0.77 0.0.0.255 is 10.0.0.0/24.
            {"permit ip 10.0.0.77 0.0.0.255 any", "10.0.0.1", "1.2.3.4", true},
            {"permit ip 10.0.0.77 0.0.0.255 any", "10.0.1.77", "1.2.3.4", false},
            {"permit ip any 10.0.0.77 0.0.0.255", "1.2.3.4", "10.0.0.200", true},
        };

        for (const auto& c : cases)
        {
            const Ipv4FlowTuple tuple = MakeTuple(c.source, c.destination, TCP, 1000, 80);
            NS_TEST_EXPECT_MSG_EQ(SingleLinePermits(c.line, tuple),
                                  c.permitted,
                                  "'" << c.line << "' for " << c.source << " -> " << c.destination);
        }

        // The stored addresses have the don't-care bits cleared, as IOS shows them.
        Ipv4AccessList list("stored");
        list.Add("permit ip 10.0.0.77 0.0.0.255 10.1.2.3 0.0.255.0");
        const Ipv4AccessListEntry& entry = list.GetEntries().at(0);
        NS_TEST_EXPECT_MSG_EQ(entry.source, Ipv4Address("10.0.0.0"), "source");
        NS_TEST_EXPECT_MSG_EQ(entry.sourceWildcard, Ipv4Address("0.0.0.255"), "wildcard");
        NS_TEST_EXPECT_MSG_EQ(entry.destination, Ipv4Address("10.1.0.3"), "destination");
        NS_TEST_EXPECT_MSG_EQ(entry.destinationWildcard,
                              Ipv4Address("0.0.255.0"),
                              "destination wildcard");

        // `any` and `host` are stored as their address and wildcard pairs.
        list.Add("permit ip any host 192.0.2.9");
        const Ipv4AccessListEntry& shorthand = list.GetEntries().at(1);
        NS_TEST_EXPECT_MSG_EQ(shorthand.source, Ipv4Address("0.0.0.0"), "any address");
        NS_TEST_EXPECT_MSG_EQ(shorthand.sourceWildcard,
                              Ipv4Address("255.255.255.255"),
                              "any wildcard");
        NS_TEST_EXPECT_MSG_EQ(shorthand.destination, Ipv4Address("192.0.2.9"), "host address");
        NS_TEST_EXPECT_MSG_EQ(shorthand.destinationWildcard,
                              Ipv4Address("0.0.0.0"),
                              "host wildcard");
    }
};

/**
 * \ingroup ipsec
 * Checks every port operator at the edges of its condition, on both ports.
 */
class AccessListPortTestCase : public TestCase
{
  public:
    AccessListPortTestCase()
        : TestCase("port operators")
    {
    }

  private:
    void DoRun() override
    {
        /// One port check: line, packet ports, expected result.
        struct PortCase
        {
            const char* line;         //!< access-list line
            uint16_t sourcePort;      //!< packet source port
            uint16_t destinationPort; //!< packet destination port
            bool permitted;           //!< expected result
        };

        const std::vector<PortCase> cases = {
            {"permit tcp any any eq 80", 1000, 79, false},
            {"permit tcp any any eq 80", 1000, 80, true},
            {"permit tcp any any eq 80", 1000, 81, false},
            {"permit tcp any any neq 80", 1000, 79, true},
            {"permit tcp any any neq 80", 1000, 80, false},
            {"permit tcp any any neq 80", 1000, 81, true},
            {"permit tcp any any lt 1024", 1000, 0, true},
            {"permit tcp any any lt 1024", 1000, 1023, true},
            {"permit tcp any any lt 1024", 1000, 1024, false},
            {"permit tcp any any gt 1023", 1000, 1023, false},
            {"permit tcp any any gt 1023", 1000, 1024, true},
            {"permit tcp any any gt 1023", 1000, 65535, true},
            {"permit udp any any range 16384 20000", 1000, 16383, false},
            {"permit udp any any range 16384 20000", 1000, 16384, true},
            {"permit udp any any range 16384 20000", 1000, 18000, true},
            {"permit udp any any range 16384 20000", 1000, 20000, true},
            {"permit udp any any range 16384 20000", 1000, 20001, false},
            {"permit udp any any range 5000 5000", 1000, 4999, false},
            {"permit udp any any range 5000 5000", 1000, 5000, true},
            {"permit udp any any range 5000 5000", 1000, 5001, false},
            {"permit udp any any range 0 65535", 1000, 0, true},
            {"permit udp any any range 0 65535", 1000, 65535, true},
            {"permit tcp any any lt 0", 1000, 0, false},
            {"permit tcp any any gt 65535", 1000, 65535, false},
            // Source port conditions.
            {"permit tcp any eq 179 any", 179, 1000, true},
            {"permit tcp any eq 179 any", 178, 1000, false},
            {"permit tcp any eq 179 any", 1000, 179, false},
            {"permit udp any neq 53 any", 53, 1000, false},
            {"permit udp any neq 53 any", 54, 1000, true},
            {"permit udp any lt 100 any", 99, 1000, true},
            {"permit udp any lt 100 any", 100, 1000, false},
            {"permit udp any gt 100 any", 100, 1000, false},
            {"permit udp any gt 100 any", 101, 1000, true},
            {"permit udp any range 10 20 any", 9, 1000, false},
            {"permit udp any range 10 20 any", 10, 1000, true},
            {"permit udp any range 10 20 any", 20, 1000, true},
            {"permit udp any range 10 20 any", 21, 1000, false},
            // Both ports must satisfy their conditions.
            {"permit udp any eq 500 any eq 500", 500, 500, true},
            {"permit udp any eq 500 any eq 500", 500, 4500, false},
            {"permit udp any eq 500 any eq 500", 4500, 500, false},
        };

        for (const auto& c : cases)
        {
            const uint8_t protocol =
                std::string(c.line).find(" tcp ") != std::string::npos ? TCP : UDP;
            const Ipv4FlowTuple tuple =
                MakeTuple("10.0.0.1", "10.0.0.2", protocol, c.sourcePort, c.destinationPort);
            NS_TEST_EXPECT_MSG_EQ(SingleLinePermits(c.line, tuple),
                                  c.permitted,
                                  "'" << c.line << "' for ports " << c.sourcePort << " -> "
                                      << c.destinationPort);
        }

        // The parsed operators and bounds.
        Ipv4AccessList list("ports");
        list.Add("permit udp any range 10 20 any gt 1023");
        const Ipv4AccessListEntry& entry = list.GetEntries().at(0);
        using PortOperator = Ipv4AccessListEntry::PortOperator;
        NS_TEST_EXPECT_MSG_EQ(static_cast<int>(entry.sourcePortOperator),
                              static_cast<int>(PortOperator::RANGE),
                              "source operator");
        NS_TEST_EXPECT_MSG_EQ(entry.sourcePortLow, 10, "source range start");
        NS_TEST_EXPECT_MSG_EQ(entry.sourcePortHigh, 20, "source range end");
        NS_TEST_EXPECT_MSG_EQ(static_cast<int>(entry.destinationPortOperator),
                              static_cast<int>(PortOperator::GT),
                              "destination operator");
        NS_TEST_EXPECT_MSG_EQ(entry.destinationPortLow, 1023, "destination port");

        // A packet without ports (a non-first fragment) does not match a port condition,
        // but still matches a line without one.
        const Ipv4FlowTuple fragment = MakeTuple("10.0.0.1", "10.0.0.2", UDP, 0, 0, false);
        NS_TEST_EXPECT_MSG_EQ(SingleLinePermits("permit udp any any range 0 65535", fragment),
                              false,
                              "fragment against a port condition");
        NS_TEST_EXPECT_MSG_EQ(SingleLinePermits("permit udp any neq 5 any", fragment),
                              false,
                              "fragment against a source port condition");
        NS_TEST_EXPECT_MSG_EQ(SingleLinePermits("permit udp any any", fragment),
                              true,
                              "fragment against a line without ports");

        // Ports are compared only for the protocol of the line.
        const Ipv4FlowTuple tcpTuple = MakeTuple("10.0.0.1", "10.0.0.2", TCP, 1000, 80);
        NS_TEST_EXPECT_MSG_EQ(SingleLinePermits("permit udp any any eq 80", tcpTuple),
                              false,
                              "udp line, tcp packet");

        // Numeric protocols 6 and 17 take port conditions like tcp and udp.
        NS_TEST_EXPECT_MSG_EQ(SingleLinePermits("permit 6 any any eq 80", tcpTuple),
                              true,
                              "protocol 6 with a port");
    }
};

/**
 * \ingroup ipsec
 * Checks IOS port names and that each is accepted only for its protocol.
 */
class AccessListPortNameTestCase : public TestCase
{
  public:
    AccessListPortNameTestCase()
        : TestCase("named ports")
    {
    }

  private:
    void DoRun() override
    {
        /// A port name, its number and the protocols IOS defines it for.
        struct PortNameCase
        {
            const char* name; //!< IOS keyword
            uint16_t port;    //!< port number
            bool tcp;         //!< valid after tcp
            bool udp;         //!< valid after udp
        };

        const std::vector<PortNameCase> cases = {
            {"bgp", 179, true, false},
            {"domain", 53, true, true},
            {"echo", 7, true, true},
            {"ftp", 21, true, false},
            {"ftp-data", 20, true, false},
            {"isakmp", 500, false, true},
            {"non500-isakmp", 4500, false, true},
            {"ntp", 123, false, true},
            {"smtp", 25, true, false},
            {"snmp", 161, false, true},
            {"ssh", 22, true, false},
            {"syslog", 514, false, true},
            {"telnet", 23, true, false},
            {"tftp", 69, false, true},
            {"www", 80, true, false},
            {"https", 443, true, false},
            {"cmd", 514, true, false},
        };

        for (const auto& c : cases)
        {
            for (const std::string protocol : {"tcp", "udp"})
            {
                const bool valid = (protocol == "tcp") ? c.tcp : c.udp;
                const std::string line = "permit " + protocol + " any any eq " + c.name;
                Ipv4AccessList list("names");
                const std::string reason = list.AddLine(line);
                if (!valid)
                {
                    NS_TEST_EXPECT_MSG_NE(reason.find(std::string("'") + c.name + "'"),
                                          std::string::npos,
                                          "'" << line << "' rejected with: " << reason);
                    NS_TEST_EXPECT_MSG_EQ(list.GetEntries().size(), 0, line);
                    continue;
                }
                NS_TEST_EXPECT_MSG_EQ(reason, "", line);
                NS_TEST_ASSERT_MSG_EQ(list.GetEntries().size(), 1, line);
                NS_TEST_EXPECT_MSG_EQ(list.GetEntries()[0].destinationPortLow, c.port, line);
            }
        }

        // Names work in ranges and as source ports, and match like the numbers.
        Ipv4AccessList list("names");
        list.Add("permit udp any eq isakmp any range isakmp non500-isakmp");
        const Ipv4AccessListEntry& entry = list.GetEntries().at(0);
        NS_TEST_EXPECT_MSG_EQ(entry.sourcePortLow, 500, "source isakmp");
        NS_TEST_EXPECT_MSG_EQ(entry.destinationPortLow, 500, "range start");
        NS_TEST_EXPECT_MSG_EQ(entry.destinationPortHigh, 4500, "range end");
        NS_TEST_EXPECT_MSG_EQ(SingleLinePermits("permit tcp any any eq www",
                                                MakeTuple("10.0.0.1", "10.0.0.2", TCP, 40000, 80)),
                              true,
                              "www matches port 80");
    }
};

/**
 * \ingroup ipsec
 * Checks the `dscp` option with numbers and names.
 */
class AccessListDscpTestCase : public TestCase
{
  public:
    AccessListDscpTestCase()
        : TestCase("dscp values and matching")
    {
    }

  private:
    void DoRun() override
    {
        /// A DSCP word and its code point.
        struct DscpCase
        {
            const char* word; //!< number or name
            int16_t value;    //!< code point
        };

        // afXY is 8 * X + 2 * Y (RFC 2597), csN is 8 * N (RFC 2474) and ef is 46 (RFC 3246).
        const std::vector<DscpCase> cases = {
            {"0", 0},     {"63", 63},   {"default", 0}, {"ef", 46},   {"af11", 10}, {"af12", 12},
            {"af13", 14}, {"af21", 18}, {"af22", 20},   {"af23", 22}, {"af31", 26}, {"af32", 28},
            {"af33", 30}, {"af41", 34}, {"af42", 36},   {"af43", 38}, {"cs0", 0},   {"cs1", 8},
            {"cs2", 16},  {"cs3", 24},  {"cs4", 32},    {"cs5", 40},  {"cs6", 48},  {"cs7", 56},
        };

        for (const auto& c : cases)
        {
            Ipv4AccessList list("dscp");
            const std::string line = std::string("permit ip any any dscp ") + c.word;
            NS_TEST_EXPECT_MSG_EQ(list.AddLine(line), "", line);
            NS_TEST_ASSERT_MSG_EQ(list.GetEntries().size(), 1, line);
            NS_TEST_EXPECT_MSG_EQ(list.GetEntries()[0].dscp, c.value, line);
        }

        // A line without dscp matches every DSCP.
        Ipv4AccessList plain("plain");
        plain.Add("permit ip any any");
        NS_TEST_EXPECT_MSG_EQ(plain.GetEntries()[0].dscp, -1, "no dscp condition");

        // EF voice is permitted and best effort falls through to the implicit deny.
        Ipv4AccessList list("voice");
        list.Add("permit udp any any range 16384 32767 dscp ef log");
        Ipv4FlowTuple tuple = MakeTuple("10.0.0.1", "10.0.0.2", UDP, 16384, 16384, true, 46);
        int32_t matchedLine = -2;
        NS_TEST_EXPECT_MSG_EQ(ActionName(list.Evaluate(tuple, matchedLine)), "PERMIT", "ef");
        NS_TEST_EXPECT_MSG_EQ(matchedLine, 0, "ef");
        tuple.dscp = 0;
        NS_TEST_EXPECT_MSG_EQ(ActionName(list.Evaluate(tuple, matchedLine)), "DENY", "be");
        NS_TEST_EXPECT_MSG_EQ(matchedLine, -1, "best effort");
        tuple.dscp = 34;
        NS_TEST_EXPECT_MSG_EQ(ActionName(list.Evaluate(tuple)), "DENY", "af41");
        NS_TEST_EXPECT_MSG_EQ(SingleLinePermits("permit ip any any", tuple), true, "any dscp");
    }
};

/**
 * \ingroup ipsec
 * Checks protocol keywords and numbers.
 */
class AccessListProtocolTestCase : public TestCase
{
  public:
    AccessListProtocolTestCase()
        : TestCase("protocol keywords and numbers")
    {
    }

  private:
    void DoRun() override
    {
        /// A protocol word and the number the entry stores.
        struct ProtocolCase
        {
            const char* word; //!< keyword or number
            int16_t number;   //!< protocol number, -1 for any
        };

        const std::vector<ProtocolCase> cases = {
            {"ip", -1},
            {"tcp", 6},
            {"udp", 17},
            {"icmp", 1},
            {"esp", 50},
            {"ahp", 51},
            {"gre", 47},
            {"ospf", 89},
            {"0", 0},
            {"112", 112},
            {"255", 255},
            {"50", 50},
        };

        for (const auto& c : cases)
        {
            Ipv4AccessList list("protocols");
            const std::string line = std::string("permit ") + c.word + " any any";
            NS_TEST_EXPECT_MSG_EQ(list.AddLine(line), "", line);
            NS_TEST_ASSERT_MSG_EQ(list.GetEntries().size(), 1, line);
            NS_TEST_EXPECT_MSG_EQ(list.GetEntries()[0].protocol, c.number, line);
        }

        // Each protocol line matches its own protocol only, and `ip` matches all of them.
        const Ipv4FlowTuple esp = MakeTuple("10.0.0.1", "10.0.0.2", ESP, 0, 0, false);
        const Ipv4FlowTuple ah = MakeTuple("10.0.0.1", "10.0.0.2", AH, 0, 0, false);
        const Ipv4FlowTuple ospf = MakeTuple("10.0.0.1", "224.0.0.5", OSPF, 0, 0, false);
        const Ipv4FlowTuple icmp = MakeTuple("10.0.0.1", "10.0.0.2", ICMP, 0, 0, false);
        NS_TEST_EXPECT_MSG_EQ(SingleLinePermits("permit esp any any", esp), true, "esp");
        NS_TEST_EXPECT_MSG_EQ(SingleLinePermits("permit esp any any", ah), false, "esp vs ah");
        NS_TEST_EXPECT_MSG_EQ(SingleLinePermits("permit ahp any any", ah), true, "ahp");
        NS_TEST_EXPECT_MSG_EQ(SingleLinePermits("permit 51 any any", ah), true, "51");
        NS_TEST_EXPECT_MSG_EQ(SingleLinePermits("permit 51 any any", esp), false, "51 vs esp");
        NS_TEST_EXPECT_MSG_EQ(SingleLinePermits("permit ospf any any", ospf), true, "ospf");
        NS_TEST_EXPECT_MSG_EQ(SingleLinePermits("permit icmp any any", icmp), true, "icmp");
        NS_TEST_EXPECT_MSG_EQ(SingleLinePermits("permit icmp any any", esp), false, "icmp");
        NS_TEST_EXPECT_MSG_EQ(SingleLinePermits("permit ip any any", esp), true, "ip, esp");
        NS_TEST_EXPECT_MSG_EQ(SingleLinePermits("permit ip any any", ospf), true, "ip, ospf");
    }
};

/**
 * \ingroup ipsec
 * Checks Ipv4FlowTuple::Mirror.
 */
class AccessListMirrorTestCase : public TestCase
{
  public:
    AccessListMirrorTestCase()
        : TestCase("flow tuple mirror")
    {
    }

  private:
    void DoRun() override
    {
        const Ipv4FlowTuple tuple =
            MakeTuple("10.0.50.2", "10.0.51.2", UDP, 16500, 16600, true, 46);
        const Ipv4FlowTuple mirrored = tuple.Mirror();
        NS_TEST_EXPECT_MSG_EQ(mirrored.source, Ipv4Address("10.0.51.2"), "source");
        NS_TEST_EXPECT_MSG_EQ(mirrored.destination, Ipv4Address("10.0.50.2"), "destination");
        NS_TEST_EXPECT_MSG_EQ(mirrored.sourcePort, 16600, "source port");
        NS_TEST_EXPECT_MSG_EQ(mirrored.destinationPort, 16500, "destination port");
        NS_TEST_EXPECT_MSG_EQ(+mirrored.protocol, +UDP, "protocol");
        NS_TEST_EXPECT_MSG_EQ(+mirrored.dscp, 46, "dscp");
        NS_TEST_EXPECT_MSG_EQ(mirrored.hasPorts, true, "ports known");

        // Mirroring twice gives the original tuple back.
        const Ipv4FlowTuple twice = mirrored.Mirror();
        NS_TEST_EXPECT_MSG_EQ(twice.source, tuple.source, "source");
        NS_TEST_EXPECT_MSG_EQ(twice.destination, tuple.destination, "destination");
        NS_TEST_EXPECT_MSG_EQ(twice.sourcePort, tuple.sourcePort, "source port");
        NS_TEST_EXPECT_MSG_EQ(twice.destinationPort, tuple.destinationPort, "destination port");

        // A line for one direction does not match the other.
        const std::string line = "permit udp host 10.0.50.2 eq 16500 host 10.0.51.2";
        NS_TEST_EXPECT_MSG_EQ(SingleLinePermits(line, tuple), true, "forward");
        NS_TEST_EXPECT_MSG_EQ(SingleLinePermits(line, mirrored), false, "reverse");
    }
};

/**
 * \ingroup ipsec
 * Checks a full line, every field it sets and the LLQ reference lines.
 */
class AccessListParseTestCase : public TestCase
{
  public:
    AccessListParseTestCase()
        : TestCase("parsed fields and LLQ lines")
    {
    }

  private:
    void DoRun() override
    {
        using PortOperator = Ipv4AccessListEntry::PortOperator;

        // Runs of spaces and tabs separate words like one space.
        const std::string full =
            "deny  tcp 10.0.0.0 0.0.255.255 gt 1023\thost 192.168.1.1 eq www dscp af41 log";
        Ipv4AccessList list("full");
        NS_TEST_EXPECT_MSG_EQ(list.AddLine(full), "", "full line");
        NS_TEST_ASSERT_MSG_EQ(list.GetEntries().size(), 1, "one entry");
        const Ipv4AccessListEntry& entry = list.GetEntries()[0];
        NS_TEST_EXPECT_MSG_EQ(entry.permit, false, "deny");
        NS_TEST_EXPECT_MSG_EQ(entry.protocol, 6, "tcp");
        NS_TEST_EXPECT_MSG_EQ(entry.source, Ipv4Address("10.0.0.0"), "source");
        NS_TEST_EXPECT_MSG_EQ(entry.sourceWildcard, Ipv4Address("0.0.255.255"), "wildcard");
        NS_TEST_EXPECT_MSG_EQ(static_cast<int>(entry.sourcePortOperator),
                              static_cast<int>(PortOperator::GT),
                              "gt");
        NS_TEST_EXPECT_MSG_EQ(entry.sourcePortLow, 1023, "source port");
        NS_TEST_EXPECT_MSG_EQ(entry.destination, Ipv4Address("192.168.1.1"), "destination");
        NS_TEST_EXPECT_MSG_EQ(entry.destinationWildcard, Ipv4Address("0.0.0.0"), "host");
        NS_TEST_EXPECT_MSG_EQ(static_cast<int>(entry.destinationPortOperator),
                              static_cast<int>(PortOperator::EQ),
                              "eq");
        NS_TEST_EXPECT_MSG_EQ(entry.destinationPortLow, 80, "www");
        NS_TEST_EXPECT_MSG_EQ(entry.dscp, 34, "af41");
        NS_TEST_EXPECT_MSG_EQ(entry.text, full, "text as configured");

        // The voice ports of the LLQ reference configuration, one range per line.
        Ipv4AccessList llq("llq");
        NS_TEST_EXPECT_MSG_EQ(
            llq.AddLine("permit udp host 10.0.50.2 host 10.0.51.2 range 16384 20000"),
            "",
            "first LLQ line");
        NS_TEST_EXPECT_MSG_EQ(
            llq.AddLine("permit udp host 10.0.50.2 host 10.0.51.2 range 53000 56000"),
            "",
            "second LLQ line");
        NS_TEST_ASSERT_MSG_EQ(llq.GetEntries().size(), 2, "two LLQ lines");
        const Ipv4AccessListEntry& second = llq.GetEntries()[1];
        NS_TEST_EXPECT_MSG_EQ(second.protocol, 17, "udp");
        NS_TEST_EXPECT_MSG_EQ(second.source, Ipv4Address("10.0.50.2"), "source");
        NS_TEST_EXPECT_MSG_EQ(second.destination, Ipv4Address("10.0.51.2"), "destination");
        NS_TEST_EXPECT_MSG_EQ(static_cast<int>(second.sourcePortOperator),
                              static_cast<int>(PortOperator::ANY),
                              "no source ports");
        NS_TEST_EXPECT_MSG_EQ(static_cast<int>(second.destinationPortOperator),
                              static_cast<int>(PortOperator::RANGE),
                              "range");
        NS_TEST_EXPECT_MSG_EQ(second.destinationPortLow, 53000, "range start");
        NS_TEST_EXPECT_MSG_EQ(second.destinationPortHigh, 56000, "range end");

        /// A packet for the LLQ list and the expected line, -1 for the implicit deny.
        struct LlqCase
        {
            const char* source;       //!< packet source
            const char* destination;  //!< packet destination
            uint8_t protocol;         //!< IP protocol number
            uint16_t destinationPort; //!< packet destination port
            int32_t line;             //!< expected matching line
        };

        const std::vector<LlqCase> cases = {
            {"10.0.50.2", "10.0.51.2", UDP, 16384, 0},
            {"10.0.50.2", "10.0.51.2", UDP, 20000, 0},
            {"10.0.50.2", "10.0.51.2", UDP, 20001, -1},
            {"10.0.50.2", "10.0.51.2", UDP, 52999, -1},
            {"10.0.50.2", "10.0.51.2", UDP, 53000, 1},
            {"10.0.50.2", "10.0.51.2", UDP, 56000, 1},
            {"10.0.50.2", "10.0.51.2", UDP, 56001, -1},
            {"10.0.50.2", "10.0.51.2", TCP, 16384, -1},
            {"10.0.50.3", "10.0.51.2", UDP, 16384, -1},
            {"10.0.51.2", "10.0.50.2", UDP, 16384, -1},
        };

        for (const auto& c : cases)
        {
            const Ipv4FlowTuple tuple =
                MakeTuple(c.source, c.destination, c.protocol, 5000, c.destinationPort);
            int32_t matchedLine = -2;
            const Ipv4AccessList::Action action = llq.Evaluate(tuple, matchedLine);
            NS_TEST_EXPECT_MSG_EQ(matchedLine,
                                  c.line,
                                  c.source << " -> " << c.destination << " port "
                                           << c.destinationPort);
            const std::string expectedAction = (c.line >= 0) ? "PERMIT" : "DENY";
            NS_TEST_EXPECT_MSG_EQ(ActionName(action),
                                  expectedAction,
                                  c.source << " -> " << c.destination << " port "
                                           << c.destinationPort);
        }
    }
};

/**
 * \ingroup ipsec
 * Checks that invalid lines are rejected with a reason that quotes the bad word, and that
 * they leave the list unchanged.
 */
class AccessListErrorTestCase : public TestCase
{
  public:
    AccessListErrorTestCase()
        : TestCase("parser errors")
    {
    }

  private:
    void DoRun() override
    {
        /// An invalid line and the quoted text its reason must contain.
        struct ErrorCase
        {
            const char* line;   //!< invalid line
            const char* quoted; //!< text that must appear in the reason
        };

        const std::vector<ErrorCase> cases = {
            // Unknown words in the action and protocol.
            {"allow ip any any", "'allow'"},
            {"permit foo any any", "'foo'"},
            {"permit 256 any any", "'256'"},
            {"permit -1 any any", "'-1'"},
            {"PERMIT ip any any", "'PERMIT'"},
            // Bad addresses and wildcards.
            {"permit ip 10.0.0.256 0.0.0.255 any", "'10.0.0.256'"},
            {"permit ip 10.0.0 0.0.0.255 any", "'10.0.0'"},
            {"permit ip 1.2.3.4.5 0.0.0.0 any", "'1.2.3.4.5'"},
            {"permit ip 1..3.4 0.0.0.0 any", "'1..3.4'"},
            {"permit ip host 10.0.0 any", "'10.0.0'"},
            {"permit ip any host any", "'any'"},
            {"permit ip 10.0.0.0 any any", "'any'"},
            {"permit ip any 10.0.0.0 0.0.0.x", "'0.0.0.x'"},
            {"permit ip any 0010.0.0.1 0.0.0.0", "'0010.0.0.1'"},
            // Port operators on protocols without ports.
            {"permit ip any any eq 80", "'eq'"},
            {"permit ip any eq 80 any", "'eq'"},
            {"permit esp any any range 1 2", "'range'"},
            {"permit icmp any any lt 5", "'lt'"},
            // Bad ports and ranges.
            {"permit tcp any any eq 65536", "'65536'"},
            {"permit tcp any any gt 99999999999", "'99999999999'"},
            {"permit tcp any any eq -1", "'-1'"},
            {"permit udp any any range 2000 1000", "'2000 1000'"},
            {"permit udp any any range 16384 70000", "'70000'"},
            {"permit tcp any any eq http", "'http'"},
            {"permit tcp any any eq snmp", "'snmp'"},
            {"permit udp any any eq www", "'www'"},
            {"permit udp any any eq bgp", "'bgp'"},
            // Missing words name the word before the gap.
            {"", "empty line"},
            {"   ", "empty line"},
            {"permit", "'permit'"},
            {"permit udp", "'udp'"},
            {"permit udp any", "'any'"},
            {"permit udp host", "'host'"},
            {"permit udp 10.0.0.0", "'10.0.0.0'"},
            {"permit udp any any eq", "'eq'"},
            {"permit udp any any range 10", "'10'"},
            {"permit ip any any dscp", "'dscp'"},
            // Bad options and trailing words.
            {"permit ip any any dscp 64", "'64'"},
            {"permit ip any any dscp af44", "'af44'"},
            {"permit ip any any dscp cs8", "'cs8'"},
            {"permit ip any any dscp ef dscp 0", "'dscp'"},
            {"permit ip any any foo", "'foo'"},
            {"permit ip any any log extra", "'extra'"},
            {"permit tcp any any established", "'established'"},
            {"permit tcp any any eq 80 81", "'81'"},
            {"permit icmp any any echo-reply", "'echo-reply'"},
        };

        for (const auto& c : cases)
        {
            // A valid line first, so that "unchanged" means one entry, not zero.
            Ipv4AccessList list("errors");
            list.Add("permit ip host 192.0.2.1 any");
            const std::string reason = list.AddLine(c.line);

            NS_TEST_EXPECT_MSG_NE(reason, "", "'" << c.line << "' must be rejected");
            NS_TEST_EXPECT_MSG_NE(reason.find(c.quoted),
                                  std::string::npos,
                                  "reason for '" << c.line << "' must contain " << c.quoted
                                                 << ", got: " << reason);
            NS_TEST_EXPECT_MSG_NE(reason.find("expected"),
                                  std::string::npos,
                                  "reason for '" << c.line
                                                 << "' must say what was expected: " << reason);
            NS_TEST_EXPECT_MSG_EQ(reason.find('\n'),
                                  std::string::npos,
                                  "reason for '" << c.line << "' must be one line");
            NS_TEST_EXPECT_MSG_EQ(list.GetEntries().size(),
                                  1,
                                  "'" << c.line << "' must leave the list unchanged");
            NS_TEST_EXPECT_MSG_EQ(list.GetEntries()[0].text,
                                  "permit ip host 192.0.2.1 any",
                                  "'" << c.line << "' must leave the first line in place");
        }
    }
};

/**
 * \ingroup ipsec
 * Test suite for Ipv4AccessList.
 */
class IpsecAccessListTestSuite : public TestSuite
{
  public:
    IpsecAccessListTestSuite()
        : TestSuite("ipsec-access-list", UNIT)
    {
        AddTestCase(new AccessListOrderTestCase, TestCase::QUICK);
        AddTestCase(new AccessListAddressTestCase, TestCase::QUICK);
        AddTestCase(new AccessListPortTestCase, TestCase::QUICK);
        AddTestCase(new AccessListPortNameTestCase, TestCase::QUICK);
        AddTestCase(new AccessListDscpTestCase, TestCase::QUICK);
        AddTestCase(new AccessListProtocolTestCase, TestCase::QUICK);
        AddTestCase(new AccessListMirrorTestCase, TestCase::QUICK);
        AddTestCase(new AccessListParseTestCase, TestCase::QUICK);
        AddTestCase(new AccessListErrorTestCase, TestCase::QUICK);
    }
};

/// Registers the suite with the test runner.
static IpsecAccessListTestSuite g_ipsecAccessListTestSuite;
