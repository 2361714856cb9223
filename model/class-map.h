// Copyright (c) 2026 The ns3-ipsec authors
// SPDX-License-Identifier: GPL-2.0-only

#ifndef CLASS_MAP_H
#define CLASS_MAP_H

#include "ipv4-access-list.h"

#include "ns3/ptr.h"
#include "ns3/simple-ref-count.h"

#include <cstdint>
#include <map>
#include <string>
#include <vector>

namespace ns3
{

/**
 * \ingroup ipsec
 * A Cisco IOS modular QoS class map: `class-map [match-all|match-any] NAME` and its
 * `match` statements.
 *
 * Supported statements (keywords are lowercase, as IOS prints them):
 * - `match access-group NUMBER` or `match access-group name NAME`: the access list
 *   permits the packet;
 * - `match input-interface NAME`: the packet arrived on the interface of that name, which
 *   the caller of Match() supplies;
 * - `match protocol ip|tcp|udp|icmp|NUMBER` (NUMBER 0..255, and `ip` matches every packet);
 * - `match dscp VALUE...`: up to 8 values, each 0..63 or a name (`default`, `ef`,
 *   `af11`..`af43`, `cs0`..`cs7`);
 * - `match precedence VALUE...`: up to 4 values 0..7 (the upper three DSCP bits);
 * - `match any`.
 *
 * A `match-all` class (the IOS default) matches a packet when every statement matches,
 * a `match-any` class when one does. A class without statements matches nothing.
 * Other IOS criteria (`match not`, `match class-map`, NBAR protocols, `match cos`) are
 * rejected as invalid.
 */
class ClassMap : public SimpleRefCount<ClassMap>
{
  public:
    /// Combination rule of the statements of a class map.
    enum class MatchMode : uint8_t
    {
        MATCH_ALL, //!< every statement must match (the IOS default)
        MATCH_ANY, //!< one statement is enough
    };

    /// Kind of a match statement.
    enum class Criterion : uint8_t
    {
        ACCESS_GROUP,    //!< `match access-group`
        INPUT_INTERFACE, //!< `match input-interface`
        PROTOCOL,        //!< `match protocol`
        DSCP,            //!< `match dscp`
        PRECEDENCE,      //!< `match precedence`
        ANY,             //!< `match any`
    };

    /// One parsed match statement.
    struct Statement
    {
        Criterion criterion{Criterion::ANY}; //!< kind of statement
        Ptr<Ipv4AccessList> accessList;      //!< list of an ACCESS_GROUP statement
        std::string interfaceName;           //!< name of an INPUT_INTERFACE statement
        int16_t protocol{-1};                //!< protocol number, -1 for `ip` (any)
        std::vector<uint8_t> values;         //!< DSCP or precedence values
        std::string text;                    //!< the statement as configured
    };

    /// Access lists by name or number, as `match access-group` looks them up.
    typedef std::map<std::string, Ptr<Ipv4AccessList>> AccessListTable;

    /**
     * Creates a class map without statements.
     * \param name the class name
     * \param mode match-all or match-any
     */
    explicit ClassMap(const std::string& name, MatchMode mode = MatchMode::MATCH_ALL);

    /**
     * Parses a `class-map [match-all|match-any] NAME` line.
     * \param line the line
     * \param[out] error a one-line reason when the line is invalid, else empty
     * \return the new class map, or nullptr when the line is invalid
     */
    static Ptr<ClassMap> Parse(const std::string& line, std::string& error);

    /// \return the class name
    const std::string& GetName() const;

    /// \return match-all or match-any
    MatchMode GetMatchMode() const;

    /// \return "match-all" or "match-any"
    std::string GetMatchModeName() const;

    /**
     * Parses and appends one match statement, e.g. "match dscp ef cs5".
     *
     * An invalid statement leaves the class map unchanged.
     * \param line the statement in IOS syntax
     * \param accessLists the access lists that `match access-group` may name
     * \return an empty string on success, else a one-line reason naming the invalid word and
     *         what is allowed there
     */
    std::string AddMatch(const std::string& line, const AccessListTable& accessLists = {});

    /**
     * Appends a `match access-group` statement for a list object.
     * \param accessList the access list
     */
    void AddAccessGroup(Ptr<Ipv4AccessList> accessList);

    /// \return the statements in order
    const std::vector<Statement>& GetStatements() const;

    /**
     * Tests whether a packet belongs to the class.
     * \param tuple the packet's fields
     * \param inputInterface the name of the interface the packet arrived on, or empty
     * \return true on a match
     */
    bool Match(const Ipv4FlowTuple& tuple, const std::string& inputInterface) const;

    /**
     * Parses a DSCP value as `match dscp` accepts it.
     * \param word a number 0..63 or a name such as "ef", "af41", "cs3", "default"
     * \param[out] value the DSCP
     * \return false if the word is not a DSCP value
     */
    static bool ParseDscp(const std::string& word, uint8_t& value);

  private:
    /**
     * Tests one statement.
     * \param statement the statement
     * \param tuple the packet's fields
     * \param inputInterface the input interface name
     * \return true on a match
     */
    static bool MatchStatement(const Statement& statement,
                               const Ipv4FlowTuple& tuple,
                               const std::string& inputInterface);

    std::string m_name;                  //!< class name
    MatchMode m_mode;                    //!< how the statements combine
    std::vector<Statement> m_statements; //!< statements in order
};

} // namespace ns3

#endif // CLASS_MAP_H
