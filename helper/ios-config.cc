// Copyright (c) 2026 The ns3-ipsec authors
// SPDX-License-Identifier: GPL-2.0-only

#include "ios-config.h"

#include "ns3/class-map.h"
#include "ns3/ipv4-access-list.h"
#include "ns3/log.h"
#include "ns3/policy-map.h"

#include <algorithm>
#include <cctype>
#include <fstream>
#include <sstream>

namespace ns3
{

NS_LOG_COMPONENT_DEFINE("IosConfig");

namespace
{

/// Smallest SPI that `set session-key` accepts, because RFC 4303 reserves 1 to 255 and 0.
constexpr uint32_t MIN_MANUAL_SPI = 256;

/**
 * Splits a line into words separated by blanks.
 * \param line the line
 * \return the words
 */
std::vector<std::string>
SplitWords(const std::string& line)
{
    std::vector<std::string> words;
    std::istringstream stream(line);
    std::string word;
    while (stream >> word)
    {
        words.push_back(word);
    }
    return words;
}

/**
 * Joins words with single spaces.
 * \param words the words
 * \param first index of the first word to join
 * \return the joined text
 */
std::string
JoinWords(const std::vector<std::string>& words, std::size_t first)
{
    std::string text;
    for (std::size_t i = first; i < words.size(); ++i)
    {
        text += (i == first ? "" : " ") + words[i];
    }
    return text;
}

/**
 * Parses a decimal number within bounds.
 * \param word the word
 * \param low the smallest value allowed
 * \param high the largest value allowed
 * \param[out] value the number
 * \return false if the word is not a decimal number within bounds
 */
bool
ParseNumber(const std::string& word, uint64_t low, uint64_t high, uint64_t& value)
{
    if (word.empty() || word.size() > 19)
    {
        return false;
    }
    uint64_t number = 0;
    for (char c : word)
    {
        if (!std::isdigit(static_cast<unsigned char>(c)))
        {
            return false;
        }
        number = number * 10 + static_cast<uint64_t>(c - '0');
    }
    if (number < low || number > high)
    {
        return false;
    }
    value = number;
    return true;
}

/**
 * Parses a dotted-quad IPv4 address strictly (four decimal bytes).
 * \param word the word
 * \param[out] value the address as a 32-bit number
 * \return false if the word is not an IPv4 address
 */
bool
ParseDottedQuad(const std::string& word, uint32_t& value)
{
    std::vector<std::string> parts;
    std::string part;
    for (char c : word)
    {
        if (c == '.')
        {
            parts.push_back(part);
            part.clear();
        }
        else
        {
            part += c;
        }
    }
    parts.push_back(part);
    if (parts.size() != 4)
    {
        return false;
    }
    uint32_t result = 0;
    for (const auto& byte : parts)
    {
        uint64_t number = 0;
        if (byte.size() > 3 || !ParseNumber(byte, 0, 255, number))
        {
            return false;
        }
        result = (result << 8) | static_cast<uint32_t>(number);
    }
    value = result;
    return true;
}

/**
 * Parses an IPv4 address.
 * \param word the word
 * \param[out] address the address
 * \return false if the word is not an IPv4 address
 */
bool
ParseAddress(const std::string& word, Ipv4Address& address)
{
    uint32_t value = 0;
    if (!ParseDottedQuad(word, value))
    {
        return false;
    }
    address = Ipv4Address(value);
    return true;
}

/**
 * Parses a network mask: a dotted quad whose set bits are contiguous from the top.
 * \param word the word
 * \param[out] mask the mask
 * \return false if the word is not a contiguous mask
 */
bool
ParseMask(const std::string& word, Ipv4Mask& mask)
{
    uint32_t value = 0;
    if (!ParseDottedQuad(word, value))
    {
        return false;
    }

    // A contiguous mask is ones then zeros, so its complement plus one is a power of two.
    uint32_t inverse = ~value;
    if ((inverse & (inverse + 1)) != 0)
    {
        return false;
    }
    mask = Ipv4Mask(value);
    return true;
}

/**
 * Parses a key written in hexadecimal, as `set session-key` takes it.
 * \param word the word, an even number of hex digits, optionally after "0x"
 * \param[out] key the bytes
 * \return false if the word is not such a key
 */
bool
ParseHexKey(const std::string& word, std::vector<uint8_t>& key)
{
    std::string digits = word;
    if (digits.size() > 2 && digits[0] == '0' && (digits[1] == 'x' || digits[1] == 'X'))
    {
        digits = digits.substr(2);
    }
    if (digits.empty() || digits.size() % 2 != 0)
    {
        return false;
    }
    std::vector<uint8_t> bytes;
    for (std::size_t i = 0; i < digits.size(); i += 2)
    {
        if (!std::isxdigit(static_cast<unsigned char>(digits[i])) ||
            !std::isxdigit(static_cast<unsigned char>(digits[i + 1])))
        {
            return false;
        }
        bytes.push_back(static_cast<uint8_t>(std::stoul(digits.substr(i, 2), nullptr, 16)));
    }
    key = bytes;
    return true;
}

/**
 * Tells whether an access list number is a standard list (1..99, 1300..1999).
 * \param number the number
 * \return true for a standard list number
 */
bool
IsStandardAclNumber(uint64_t number)
{
    return (number >= 1 && number <= 99) || (number >= 1300 && number <= 1999);
}

/**
 * Tells whether an access list number is an extended list (100..199, 2000..2699).
 * \param number the number
 * \return true for an extended list number
 */
bool
IsExtendedAclNumber(uint64_t number)
{
    return (number >= 100 && number <= 199) || (number >= 2000 && number <= 2699);
}

/// Replay window sizes IOS accepts, in packets.
const std::vector<uint32_t> IOS_REPLAY_WINDOW_SIZES = {64, 128, 256, 512, 1024};

} // namespace

IosConfigError::IosConfigError(const std::string& fileName,
                               uint32_t lineNumber,
                               const std::string& why)
    : std::runtime_error(lineNumber == 0
                             ? fileName + ": " + why
                             : fileName + ":" + std::to_string(lineNumber) + ": " + why),
      file(fileName),
      line(lineNumber),
      reason(why)
{
}

/**
 * \ingroup ipsec
 * The line-by-line parser behind IosConfig::Parse. It fills an IosConfig, keeps the
 * section that is open, and checks references once the whole file is read.
 */
class IosConfigParser
{
  public:
    /**
     * Creates a parser that fills a configuration.
     * \param config the configuration to fill
     */
    explicit IosConfigParser(IosConfig& config);

    /**
     * Parses every line of a stream.
     * \param in the stream
     */
    void Run(std::istream& in);

  private:
    /// Kind of the section that is open.
    enum class Section : uint8_t
    {
        NONE,          //!< top level
        IGNORED,       //!< a section outside the subset; its lines are collected
        INTERFACE,     //!< `interface NAME`
        ACCESS_LIST,   //!< `ip access-list standard|extended NAME`
        TRANSFORM_SET, //!< `crypto ipsec transform-set`
        CRYPTO_MAP,    //!< `crypto map NAME SEQ`
        ISAKMP_POLICY, //!< `crypto isakmp policy N`
        CLASS_MAP,     //!< `class-map NAME`
        POLICY_MAP,    //!< `policy-map NAME`
    };

    /**
     * Throws the error of the current line.
     * \param reason the reason
     */
    [[noreturn]] void Fail(const std::string& reason) const;

    /**
     * Throws an error of another line.
     * \param line the line number
     * \param reason the reason
     */
    [[noreturn]] void FailAt(uint32_t line, const std::string& reason) const;

    /// Records the current line as outside the supported subset.
    void Ignore();

    /// Closes the open section, checking the policy map it may have been.
    void CloseSection();

    /**
     * Handles a top-level command.
     * \param words the words of the line
     */
    void TopLevel(const std::vector<std::string>& words);
    /**
     * Handles a `crypto ...` top-level command.
     * \param words the words of the line
     */
    void TopLevelCrypto(const std::vector<std::string>& words);
    /**
     * Handles `crypto ipsec security-association ...` (global SA settings).
     * \param words the words of the line
     */
    void GlobalSaSetting(const std::vector<std::string>& words);
    /**
     * Handles `crypto isakmp key ...`.
     * \param words the words of the line
     */
    void IsakmpKey(const std::vector<std::string>& words);
    /**
     * Handles `crypto isakmp keepalive ...`.
     * \param words the words of the line
     */
    void IsakmpKeepalive(const std::vector<std::string>& words);
    /**
     * Handles `crypto map NAME SEQ [ipsec-isakmp|ipsec-manual]`.
     * \param words the words of the line
     */
    void OpenCryptoMapEntry(const std::vector<std::string>& words);
    /**
     * Handles `access-list NUMBER ...`.
     * \param words the words of the line
     */
    void NumberedAccessList(const std::vector<std::string>& words);
    /**
     * Appends one permit, deny or remark line to an access list.
     * \param list the access list
     * \param words the line's words from `permit`, `deny` or `remark` on
     */
    void AddAccessListLine(IosAccessListConfig& list, const std::vector<std::string>& words);
    /**
     * Handles `ip route ...`.
     * \param words the words of the line
     */
    void StaticRoute(const std::vector<std::string>& words);

    /**
     * Handles a line inside the open section.
     * \param words the words of the line
     */
    void InSection(const std::vector<std::string>& words);
    /**
     * Handles a line of an interface section.
     * \param words the words of the line
     */
    void InInterface(const std::vector<std::string>& words);
    /**
     * Handles a line of a crypto map entry.
     * \param words the words of the line
     */
    void InCryptoMapEntry(const std::vector<std::string>& words);
    /**
     * Handles `set security-association ...` in a crypto map entry.
     * \param words the words of the line
     */
    void EntrySaSetting(const std::vector<std::string>& words);
    /**
     * Handles `set session-key ...` in a crypto map entry.
     * \param words the words of the line
     */
    void SessionKey(const std::vector<std::string>& words);
    /**
     * Handles a line of an ISAKMP policy.
     * \param words the words of the line
     */
    void InIsakmpPolicy(const std::vector<std::string>& words);
    /**
     * Handles a line of a class map.
     * \param words the words of the line
     */
    void InClassMap(const std::vector<std::string>& words);
    /**
     * Handles a line of a policy map.
     * \param words the words of the line
     */
    void InPolicyMap(const std::vector<std::string>& words);

    /**
     * Parses a number or fails with a message naming the setting and its range.
     * \param word the word
     * \param low the smallest value allowed
     * \param high the largest value allowed
     * \param what the setting, e.g. "lifetime seconds"
     * \return the number
     */
    uint64_t Number(const std::string& word, uint64_t low, uint64_t high, const std::string& what);
    /**
     * Parses a replay window size or fails naming the sizes IOS accepts.
     * \param words the words of the line
     * \param index the index of the size word
     * \return the size
     */
    uint32_t ReplayWindowSize(const std::vector<std::string>& words, std::size_t index);
    /**
     * Parses the policy of `crypto ipsec df-bit`.
     * \param words the words of the line
     * \param index index of the policy word
     * \return the policy
     */
    IpsecDfBitPolicy DfBit(const std::vector<std::string>& words, std::size_t index);

    /// Checks the references between sections once the whole file is read.
    void CheckReferences() const;
    /**
     * Checks one crypto map entry for completeness and its references.
     * \param map the crypto map
     * \param entry the entry
     */
    void CheckEntry(const IosCryptoMapConfig& map, const IosCryptoMapEntryConfig& entry) const;

    /// \return the crypto map entry that is open
    IosCryptoMapEntryConfig& CurrentEntry();

    IosConfig& m_config;                              //!< the configuration being filled
    uint32_t m_line;                                  //!< current line number
    std::string m_text;                               //!< current line, trimmed
    Section m_section;                                //!< open section
    std::size_t m_interface;                          //!< open interface index
    std::string m_name;                               //!< name of the open section
    uint32_t m_sequence;                              //!< open crypto map entry
    std::map<std::string, Ptr<ClassMap>> m_classMaps; //!< class maps, to check policy maps
    std::map<std::string, Ptr<PolicyMap>> m_policies; //!< policy maps being checked
    std::vector<IosConfigLine> m_aclReferences;       //!< `match access-group` list names
};

IosConfigParser::IosConfigParser(IosConfig& config)
    : m_config(config),
      m_line(0),
      m_section(Section::NONE),
      m_interface(0),
      m_sequence(0)
{
}

void
IosConfigParser::Fail(const std::string& reason) const
{
    FailAt(m_line, reason);
}

void
IosConfigParser::FailAt(uint32_t line, const std::string& reason) const
{
    NS_LOG_DEBUG(m_config.m_fileName << ":" << line << ": rejected: " << reason);
    throw IosConfigError(m_config.m_fileName, line, reason);
}

void
IosConfigParser::Ignore()
{
    m_config.m_ignored.push_back(m_config.m_fileName + ":" + std::to_string(m_line) + ": " +
                                 m_text);
}

void
IosConfigParser::Run(std::istream& in)
{
    std::string raw;
    while (std::getline(in, raw))
    {
        ++m_line;

        // Lines may come from Windows files. The indentation decides the section.
        if (!raw.empty() && raw.back() == '\r')
        {
            raw.pop_back();
        }
        std::size_t start = raw.find_first_not_of(" \t");
        if (start == std::string::npos)
        {
            continue;
        }
        std::size_t end = raw.find_last_not_of(" \t");
        m_text = raw.substr(start, end - start + 1);
        std::vector<std::string> words = SplitWords(m_text);

        if (m_text[0] == '!')
        {
            CloseSection();
            continue;
        }
        if (start > 0 && m_section != Section::NONE)
        {
            InSection(words);
            continue;
        }
        CloseSection();
        if (words[0] == "end")
        {
            // IOS leaves configuration mode at `end`, so what follows is not configuration.
            Ignore();
            break;
        }
        TopLevel(words);
    }
    CloseSection();
    CheckReferences();
}

void
IosConfigParser::CloseSection()
{
    if (m_section == Section::POLICY_MAP)
    {
        auto policy = m_policies.at(m_name);
        std::string problem = policy->Validate();
        if (!problem.empty())
        {
            FailAt(m_config.m_policyMaps.at(m_name).line,
                   "invalid policy-map " + m_name + ": " + problem);
        }
    }
    m_section = Section::NONE;
}

uint64_t
IosConfigParser::Number(const std::string& word,
                        uint64_t low,
                        uint64_t high,
                        const std::string& what)
{
    uint64_t value = 0;
    if (!ParseNumber(word, low, high, value))
    {
        Fail("invalid " + what + " \"" + word + "\": expected a number from " +
             std::to_string(low) + " to " + std::to_string(high));
    }
    return value;
}

uint32_t
IosConfigParser::ReplayWindowSize(const std::vector<std::string>& words, std::size_t index)
{
    uint64_t size = 0;
    if (words.size() != index + 1 || !ParseNumber(words[index], 1, 1u << 31, size) ||
        std::find(IOS_REPLAY_WINDOW_SIZES.begin(), IOS_REPLAY_WINDOW_SIZES.end(), size) ==
            IOS_REPLAY_WINDOW_SIZES.end())
    {
        Fail("invalid replay window-size" +
             (words.size() > index ? " \"" + JoinWords(words, index) + "\"" : std::string()) +
             ": expected 64, 128, 256, 512 or 1024");
    }
    return static_cast<uint32_t>(size);
}

IpsecDfBitPolicy
IosConfigParser::DfBit(const std::vector<std::string>& words, std::size_t index)
{
    if (words.size() == index + 1)
    {
        if (words[index] == "clear")
        {
            return DF_BIT_CLEAR;
        }
        if (words[index] == "set")
        {
            return DF_BIT_SET;
        }
        if (words[index] == "copy")
        {
            return DF_BIT_COPY;
        }
    }
    Fail("invalid crypto ipsec df-bit: expected clear, set or copy");
}

void
IosConfigParser::TopLevel(const std::vector<std::string>& words)
{
    const std::string& command = words[0];
    if (command == "hostname")
    {
        if (words.size() != 2)
        {
            Fail("invalid hostname: expected hostname NAME");
        }
        m_config.m_hostname = words[1];
        return;
    }
    if (command == "interface")
    {
        if (words.size() != 2)
        {
            Fail("invalid interface line: expected interface NAME (subinterface types such "
                 "as point-to-point are not supported)");
        }
        std::string name = IosConfig::NormalizeInterfaceName(words[1]);
        auto& interfaces = m_config.m_interfaces;
        auto found = std::find_if(interfaces.begin(), interfaces.end(), [&name](const auto& i) {
            return i.name == name;
        });
        if (found == interfaces.end())
        {
            IosInterfaceConfig interface;
            interface.name = name;
            interface.line = m_line;
            interfaces.push_back(interface);
            found = interfaces.end() - 1;
        }
        m_interface = static_cast<std::size_t>(found - interfaces.begin());
        m_section = Section::INTERFACE;
        return;
    }
    if (command == "access-list")
    {
        NumberedAccessList(words);
        return;
    }
    if (command == "ip" && words.size() >= 2)
    {
        if (words[1] == "access-list" && words.size() >= 3 &&
            (words[2] == "standard" || words[2] == "extended"))
        {
            if (words.size() != 4)
            {
                Fail("invalid ip access-list line: expected ip access-list standard|extended "
                     "NAME");
            }
            uint64_t number = 0;
            bool standard = words[2] == "standard";
            if (ParseNumber(words[3], 0, 99999, number) &&
                (standard ? !IsStandardAclNumber(number) : !IsExtendedAclNumber(number)))
            {
                Fail("access list number " + words[3] + " is not a " + words[2] +
                     " list number: use " +
                     (standard ? "1-99 or 1300-1999" : "100-199 or 2000-2699") + " or a name");
            }
            auto& list = m_config.m_accessLists[words[3]];
            if (list.name.empty())
            {
                list.name = words[3];
                list.standard = standard;
                list.line = m_line;
            }
            else if (list.standard != standard)
            {
                Fail("access list " + words[3] + " is already defined as " +
                     (list.standard ? "standard" : "extended"));
            }
            m_name = words[3];
            m_section = Section::ACCESS_LIST;
            return;
        }
        if (words[1] == "route")
        {
            StaticRoute(words);
            return;
        }
        if (words[1] == "address" || words[1] == "mtu")
        {
            Fail("ip " + words[1] + " is an interface command: indent it under interface NAME");
        }
        Ignore();
        m_section = Section::IGNORED;
        return;
    }
    if (command == "crypto")
    {
        TopLevelCrypto(words);
        return;
    }
    if (command == "class-map" && !(words.size() > 1 && words[1] == "type"))
    {
        std::string error;
        Ptr<ClassMap> classMap = ClassMap::Parse(m_text, error);
        if (!classMap)
        {
            Fail(error);
        }
        const std::string& name = classMap->GetName();
        if (m_classMaps.count(name) != 0 &&
            m_classMaps[name]->GetMatchMode() != classMap->GetMatchMode())
        {
            Fail("class-map " + name + " is already defined as " +
                 m_classMaps[name]->GetMatchModeName());
        }
        if (m_classMaps.count(name) == 0)
        {
            m_classMaps[name] = classMap;
            auto& config = m_config.m_classMaps[name];
            config.name = name;
            config.header = {m_text, m_line};
        }
        m_name = name;
        m_section = Section::CLASS_MAP;
        return;
    }
    if (command == "policy-map" && !(words.size() > 1 && words[1] == "type"))
    {
        if (words.size() != 2)
        {
            Fail("invalid policy-map line: expected policy-map NAME");
        }
        auto& config = m_config.m_policyMaps[words[1]];
        if (config.name.empty())
        {
            config.name = words[1];
            config.line = m_line;
            m_policies[words[1]] = Create<PolicyMap>(words[1]);
        }
        m_name = words[1];
        m_section = Section::POLICY_MAP;
        return;
    }

    // Commands that belong in a section are errors at the top level, because silently
    // ignoring them would lose configuration whose indentation was lost.
    static const std::vector<std::string> sectionOnly = {"set",
                                                         "match",
                                                         "mode",
                                                         "encryption",
                                                         "encr",
                                                         "hash",
                                                         "authentication",
                                                         "group",
                                                         "lifetime",
                                                         "priority",
                                                         "bandwidth",
                                                         "fair-queue",
                                                         "queue-limit",
                                                         "class",
                                                         "qos",
                                                         "service-policy",
                                                         "permit",
                                                         "deny"};
    if (std::find(sectionOnly.begin(), sectionOnly.end(), command) != sectionOnly.end())
    {
        Fail("\"" + command +
             "\" is valid only inside a section: indent it under the "
             "crypto map, transform-set, isakmp policy, class-map, policy-map, access list "
             "or interface line it belongs to");
    }
    Ignore();
    m_section = Section::IGNORED;
}

void
IosConfigParser::TopLevelCrypto(const std::vector<std::string>& words)
{
    if (words.size() >= 2 && words[1] == "map")
    {
        if (words.size() == 3)
        {
            Fail("crypto map " + words[2] +
                 " without a sequence number is an interface "
                 "command: indent it under interface NAME, or write crypto map NAME SEQ "
                 "ipsec-isakmp|ipsec-manual");
        }
        uint64_t sequence = 0;
        if (words.size() >= 4 && ParseNumber(words[3], 0, UINT64_MAX / 10, sequence))
        {
            OpenCryptoMapEntry(words);
            return;
        }
        if (words.size() < 3)
        {
            Fail("invalid crypto map line: expected crypto map NAME SEQ "
                 "ipsec-isakmp|ipsec-manual");
        }
    }
    else if (words.size() >= 3 && words[1] == "ipsec" && words[2] == "transform-set")
    {
        if (words.size() < 5)
        {
            Fail("invalid transform-set line: expected crypto ipsec transform-set NAME "
                 "TRANSFORM [TRANSFORM [TRANSFORM]]");
        }
        IpsecTransformSet set;
        std::string problem = IpsecTransformSet::Parse(words[3], JoinWords(words, 4), set);
        if (!problem.empty())
        {
            Fail("invalid transform-set " + words[3] + ": " + problem);
        }
        m_config.m_transformSets[words[3]] = {set, m_line};
        m_name = words[3];
        m_section = Section::TRANSFORM_SET;
        return;
    }
    else if (words.size() >= 3 && words[1] == "ipsec" && words[2] == "security-association")
    {
        GlobalSaSetting(words);
        return;
    }
    else if (words.size() >= 3 && words[1] == "ipsec" && words[2] == "df-bit")
    {
        m_config.m_dfBit = DfBit(words, 3);
        return;
    }
    else if (words.size() >= 3 && words[1] == "isakmp" && words[2] == "policy")
    {
        if (words.size() != 4)
        {
            Fail("invalid crypto isakmp policy line: expected crypto isakmp policy PRIORITY");
        }
        uint32_t priority = Number(words[3], 1, 10000, "isakmp policy priority");
        auto& policy = m_config.m_isakmpPolicies[priority];
        if (policy.line == 0)
        {
            policy.priority = priority;
            policy.line = m_line;
        }
        m_sequence = priority;
        m_section = Section::ISAKMP_POLICY;
        return;
    }
    else if (words.size() >= 3 && words[1] == "isakmp" && words[2] == "key")
    {
        IsakmpKey(words);
        return;
    }
    else if (words.size() >= 3 && words[1] == "isakmp" && words[2] == "keepalive")
    {
        IsakmpKeepalive(words);
        return;
    }
    else if (words.size() >= 3 && words[1] == "isakmp" && words[2] == "invalid-spi-recovery")
    {
        if (words.size() != 3)
        {
            Fail("invalid word \"" + words[3] +
                 "\": crypto isakmp invalid-spi-recovery takes "
                 "no arguments");
        }
        m_config.m_invalidSpiRecovery = true;
        return;
    }

    // Other crypto commands (ezvpn clients, PKI, profiles, `crypto map NAME local-address`)
    // exist on routers but are outside the subset.
    Ignore();
    m_section = Section::IGNORED;
}

void
IosConfigParser::GlobalSaSetting(const std::vector<std::string>& words)
{
    // crypto ipsec security-association lifetime|idle-time|replay ...
    const std::string setting = words.size() > 3 ? words[3] : "";
    if (setting == "lifetime" && words.size() == 6 && words[4] == "seconds")
    {
        m_config.m_lifetimeSeconds = Number(words[5], 120, 86400, "lifetime seconds");
    }
    else if (setting == "lifetime" && words.size() == 6 && words[4] == "kilobytes")
    {
        m_config.m_lifetimeKilobytes = Number(words[5], 2560, 4294967295ULL, "lifetime kilobytes");
    }
    else if (setting == "idle-time" && words.size() == 5)
    {
        m_config.m_idleTimeSeconds = Number(words[4], 60, 86400, "idle-time seconds");
    }
    else if (setting == "replay" && words.size() >= 5 && words[4] == "window-size")
    {
        if (m_config.m_replayDisable)
        {
            Fail("replay window-size conflicts with replay disable on line " +
                 std::to_string(m_config.m_replayLine) + ": configure one of them");
        }
        m_config.m_replayWindowSize = ReplayWindowSize(words, 5);
        m_config.m_replayLine = m_line;
    }
    else if (setting == "replay" && words.size() == 5 && words[4] == "disable")
    {
        if (m_config.m_replayWindowSize)
        {
            Fail("replay disable conflicts with replay window-size on line " +
                 std::to_string(m_config.m_replayLine) + ": configure one of them");
        }
        m_config.m_replayDisable = true;
        m_config.m_replayLine = m_line;
    }
    else
    {
        Fail("invalid crypto ipsec security-association line: expected lifetime seconds "
             "120-86400, lifetime kilobytes 2560-4294967295, idle-time 60-86400, replay "
             "window-size 64|128|256|512|1024 or replay disable");
    }
}

void
IosConfigParser::IsakmpKey(const std::vector<std::string>& words)
{
    // crypto isakmp key [0|6] KEY address A [MASK] [no-xauth]
    std::size_t index = 3;
    if (words.size() > 5 && (words[3] == "0" || words[3] == "6") && words[4] != "address")
    {
        if (words[3] == "6")
        {
            Fail("encrypted pre-shared keys (type 6) are not supported: write the key in "
                 "clear text or after type 0");
        }
        index = 4;
    }
    const char* usage = "invalid crypto isakmp key line: expected crypto isakmp key [0] KEY "
                        "address A.B.C.D [MASK] [no-xauth]";
    if (words.size() < index + 3 || words[index + 1] != "address")
    {
        Fail(usage);
    }
    IosIsakmpKeyConfig key;
    key.key = words[index];
    key.line = m_line;
    if (!ParseAddress(words[index + 2], key.peer))
    {
        Fail("invalid peer address \"" + words[index + 2] + "\" in crypto isakmp key");
    }
    std::size_t next = index + 3;
    if (next < words.size() && words[next] != "no-xauth")
    {
        if (!ParseMask(words[next], key.mask))
        {
            Fail("invalid mask \"" + words[next] +
                 "\" in crypto isakmp key: expected a "
                 "contiguous mask such as 255.255.255.0");
        }
        ++next;
    }
    if (next < words.size() && words[next] == "no-xauth")
    {
        ++next;
    }
    if (next != words.size())
    {
        Fail(usage);
    }
    m_config.m_isakmpKeys.push_back(key);
}

void
IosConfigParser::IsakmpKeepalive(const std::vector<std::string>& words)
{
    // crypto isakmp keepalive SECONDS [RETRY] [periodic|on-demand]
    if (words.size() < 4)
    {
        Fail("missing keepalive interval: expected crypto isakmp keepalive SECONDS (10-3600) "
             "[RETRY (2-60)] [periodic|on-demand]");
    }
    IosKeepaliveConfig keepalive;
    keepalive.line = m_line;
    keepalive.seconds = Number(words[3], 10, 3600, "keepalive seconds");
    std::size_t next = 4;
    uint64_t retry = 0;
    if (next < words.size() && ParseNumber(words[next], 0, UINT64_MAX / 10, retry))
    {
        keepalive.retrySeconds = Number(words[next], 2, 60, "keepalive retry seconds");
        ++next;
    }
    if (next < words.size())
    {
        if (words[next] != "periodic" && words[next] != "on-demand")
        {
            Fail("invalid keepalive mode \"" + words[next] +
                 "\": expected periodic or "
                 "on-demand");
        }
        keepalive.periodic = words[next] == "periodic";
        ++next;
    }
    if (next != words.size())
    {
        Fail("invalid word \"" + words[next] + "\" after the keepalive mode");
    }
    m_config.m_keepalive = keepalive;
}

void
IosConfigParser::OpenCryptoMapEntry(const std::vector<std::string>& words)
{
    // crypto map NAME SEQ [ipsec-isakmp|ipsec-manual]
    uint32_t sequence = Number(words[3], 1, 65535, "crypto map sequence number");
    auto keyManagement = CryptoMapEntry::KeyManagement::ISAKMP;
    if (words.size() >= 5)
    {
        if (words[4] == "ipsec-manual")
        {
            keyManagement = CryptoMapEntry::KeyManagement::MANUAL;
        }
        else if (words[4] != "ipsec-isakmp")
        {
            Fail("invalid crypto map type \"" + words[4] +
                 "\": expected ipsec-isakmp or "
                 "ipsec-manual");
        }
    }
    if (words.size() > 5)
    {
        Fail("invalid word \"" + words[5] +
             "\": dynamic crypto maps and profiles are not "
             "supported, expected crypto map NAME SEQ ipsec-isakmp|ipsec-manual");
    }

    auto& map = m_config.m_cryptoMaps[words[2]];
    if (map.name.empty())
    {
        map.name = words[2];
        map.line = m_line;
    }
    auto found = std::find_if(map.entries.begin(), map.entries.end(), [sequence](const auto& e) {
        return e.sequence == sequence;
    });
    if (found != map.entries.end() && found->keyManagement != keyManagement)
    {
        Fail("crypto map " + words[2] + " " + std::to_string(sequence) +
             " already exists with the other key management: remove it before changing "
             "ipsec-isakmp to ipsec-manual or back");
    }
    if (found == map.entries.end())
    {
        IosCryptoMapEntryConfig entry;
        entry.sequence = sequence;
        entry.keyManagement = keyManagement;
        entry.line = m_line;
        auto position =
            std::find_if(map.entries.begin(), map.entries.end(), [sequence](const auto& e) {
                return e.sequence > sequence;
            });
        map.entries.insert(position, entry);
    }
    m_name = words[2];
    m_sequence = sequence;
    m_section = Section::CRYPTO_MAP;
}

void
IosConfigParser::NumberedAccessList(const std::vector<std::string>& words)
{
    uint64_t number = 0;
    if (words.size() < 3 || !ParseNumber(words[1], 0, 99999, number) ||
        (!IsStandardAclNumber(number) && !IsExtendedAclNumber(number)))
    {
        Fail("invalid access-list number" +
             (words.size() > 1 ? " \"" + words[1] + "\"" : std::string()) +
             ": expected 1-99 or 1300-1999 (standard), 100-199 or 2000-2699 (extended)");
    }
    auto& list = m_config.m_accessLists[words[1]];
    if (list.name.empty())
    {
        list.name = words[1];
        list.standard = IsStandardAclNumber(number);
        list.line = m_line;
    }
    AddAccessListLine(list, std::vector<std::string>(words.begin() + 2, words.end()));
}

void
IosConfigParser::AddAccessListLine(IosAccessListConfig& list,
                                   const std::vector<std::string>& lineWords)
{
    std::vector<std::string> words = lineWords;

    // Named lists may carry IOS sequence numbers in front of each line. Lines keep file order.
    uint64_t sequence = 0;
    if (!words.empty() && ParseNumber(words[0], 1, 2147483647, sequence))
    {
        words.erase(words.begin());
    }
    if (words.empty())
    {
        Fail("missing access list line: expected permit, deny or remark");
    }
    if (words[0] == "remark")
    {
        return;
    }
    if (words[0] != "permit" && words[0] != "deny")
    {
        Fail("invalid access list action \"" + words[0] + "\": expected permit, deny or remark");
    }

    // A standard line names only the source, so it becomes an extended `ip` line to any.
    std::string text = JoinWords(words, 0);
    if (list.standard)
    {
        std::vector<std::string> source(words.begin() + 1, words.end());
        if (!source.empty() && source.back() == "log")
        {
            source.pop_back();
        }
        Ipv4Address address;
        if (source.size() == 1 && ParseAddress(source[0], address))
        {
            source.push_back("0.0.0.0");
        }
        bool valid = (source.size() == 1 && source[0] == "any") ||
                     (source.size() == 2 && source[0] == "host") ||
                     (source.size() == 2 && ParseAddress(source[0], address));
        if (!valid)
        {
            Fail("invalid standard access list line \"" + text +
                 "\": expected permit|deny "
                 "any, host A.B.C.D or A.B.C.D [WILDCARD]");
        }
        text = words[0] + " ip " + JoinWords(source, 0) + " any";
    }

    Ptr<Ipv4AccessList> scratch = Create<Ipv4AccessList>(list.name);
    std::string problem = scratch->AddLine(text);
    if (!problem.empty())
    {
        Fail("invalid access list " + list.name + " line: " + problem);
    }
    list.entries.push_back({text, m_line});
}

void
IosConfigParser::StaticRoute(const std::vector<std::string>& words)
{
    // ip route PREFIX MASK {NEXTHOP | INTERFACE [NEXTHOP]} [DISTANCE]
    const char* usage = "invalid ip route line: expected ip route PREFIX MASK NEXTHOP|INTERFACE "
                        "[NEXTHOP] [DISTANCE 1-255]";
    if (words.size() < 5)
    {
        Fail(usage);
    }
    IosStaticRouteConfig route;
    route.line = m_line;
    if (!ParseAddress(words[2], route.prefix))
    {
        Fail("invalid route prefix \"" + words[2] + "\": expected A.B.C.D");
    }
    if (!ParseMask(words[3], route.mask))
    {
        Fail("invalid route mask \"" + words[3] +
             "\": expected a contiguous mask such as "
             "255.255.255.0");
    }
    if (route.prefix.CombineMask(route.mask) != route.prefix)
    {
        Fail("inconsistent address and mask: " + words[2] + " has bits set outside " + words[3] +
             "; write the network address, e.g. " + [&route]() {
                 std::ostringstream network;
                 network << route.prefix.CombineMask(route.mask);
                 return network.str();
             }());
    }
    std::size_t next = 4;
    if (ParseAddress(words[next], route.nextHop))
    {
        route.hasNextHop = true;
        ++next;
    }
    else
    {
        route.interfaceName = IosConfig::NormalizeInterfaceName(words[next]);
        ++next;
        if (next < words.size() && ParseAddress(words[next], route.nextHop))
        {
            route.hasNextHop = true;
            ++next;
        }
    }
    if (next < words.size())
    {
        route.distance = Number(words[next], 1, 255, "administrative distance");
        ++next;
    }
    if (next != words.size())
    {
        Fail(usage);
    }
    m_config.m_routes.push_back(route);
}

void
IosConfigParser::InSection(const std::vector<std::string>& words)
{
    switch (m_section)
    {
    case Section::IGNORED:
        Ignore();
        return;
    case Section::INTERFACE:
        InInterface(words);
        return;
    case Section::ACCESS_LIST:
        AddAccessListLine(m_config.m_accessLists.at(m_name), words);
        return;
    case Section::TRANSFORM_SET:
        if (words.size() == 2 && words[0] == "mode" &&
            (words[1] == "tunnel" || words[1] == "transport"))
        {
            m_config.m_transformSets.at(m_name).transformSet.SetMode(
                words[1] == "tunnel" ? IpsecMode::TUNNEL : IpsecMode::TRANSPORT);
            return;
        }
        Fail("invalid transform-set command \"" + m_text +
             "\": expected mode tunnel or "
             "mode transport");
    case Section::CRYPTO_MAP:
        InCryptoMapEntry(words);
        return;
    case Section::ISAKMP_POLICY:
        InIsakmpPolicy(words);
        return;
    case Section::CLASS_MAP:
        InClassMap(words);
        return;
    case Section::POLICY_MAP:
        InPolicyMap(words);
        return;
    case Section::NONE:
        break;
    }
    NS_ASSERT_MSG(false, "a section line with no section open");
}

void
IosConfigParser::InInterface(const std::vector<std::string>& words)
{
    IosInterfaceConfig& interface = m_config.m_interfaces[m_interface];
    if (words[0] == "ip" && words.size() >= 2 && words[1] == "address")
    {
        bool secondary = words.size() == 5 && words[4] == "secondary";
        std::pair<Ipv4Address, Ipv4Mask> address;
        if ((words.size() != 4 && !secondary) || !ParseAddress(words[2], address.first) ||
            !ParseMask(words[3], address.second))
        {
            Fail("invalid ip address line: expected ip address A.B.C.D MASK [secondary], with "
                 "a contiguous mask such as 255.255.255.0");
        }
        if (address.second.GetPrefixLength() > 30 && address.second.GetPrefixLength() < 32)
        {
            Fail("invalid mask " + words[3] + " for an interface: use /30 or shorter, or /32");
        }
        if (secondary && interface.addresses.empty())
        {
            Fail("secondary address without a primary one: configure ip address A.B.C.D MASK "
                 "first");
        }
        if (!secondary && !interface.addresses.empty())
        {
            interface.addresses[0] = address;
        }
        else
        {
            interface.addresses.push_back(address);
        }
        return;
    }
    if (m_text == "no ip address")
    {
        interface.addresses.clear();
        return;
    }
    if (words[0] == "ip" && words.size() >= 2 && words[1] == "mtu")
    {
        if (words.size() != 3)
        {
            Fail("invalid ip mtu line: expected ip mtu BYTES");
        }
        interface.ipMtu = static_cast<uint16_t>(Number(words[2], 68, 65535, "ip mtu"));
        interface.ipMtuLine = m_line;
        return;
    }
    if (words[0] == "crypto" && words.size() >= 2 && words[1] == "map")
    {
        if (words.size() != 3)
        {
            Fail("invalid interface crypto map line: expected crypto map NAME");
        }
        interface.cryptoMap = words[2];
        interface.cryptoMapLine = m_line;
        return;
    }
    if (m_text == "no crypto map")
    {
        interface.cryptoMap.clear();
        return;
    }
    if (words[0] == "crypto" && words.size() >= 3 && words[1] == "ipsec" && words[2] == "df-bit")
    {
        interface.dfBit = DfBit(words, 3);
        return;
    }
    if (words[0] == "service-policy")
    {
        if (words.size() != 3 || (words[1] != "output" && words[1] != "input"))
        {
            Fail("invalid service-policy line: expected service-policy output NAME");
        }
        if (words[1] == "input")
        {
            Fail("service-policy input is not supported: the model queues only in front of "
                 "the crypto engine, use service-policy output NAME");
        }
        interface.servicePolicy = words[2];
        interface.servicePolicyLine = m_line;
        return;
    }
    if (m_text == "shutdown" || m_text == "no shutdown")
    {
        interface.shutdown = m_text == "shutdown";
        return;
    }
    if (words[0] == "description")
    {
        interface.description = JoinWords(words, 1);
        return;
    }
    Ignore();
}

IosCryptoMapEntryConfig&
IosConfigParser::CurrentEntry()
{
    auto& entries = m_config.m_cryptoMaps.at(m_name).entries;
    for (auto& entry : entries)
    {
        if (entry.sequence == m_sequence)
        {
            return entry;
        }
    }
    NS_ASSERT_MSG(false, "the open crypto map entry is missing");
    return entries.front();
}

void
IosConfigParser::InCryptoMapEntry(const std::vector<std::string>& words)
{
    IosCryptoMapEntryConfig& entry = CurrentEntry();
    bool manual = entry.keyManagement == CryptoMapEntry::KeyManagement::MANUAL;
    if (words[0] == "set" && words.size() >= 2 && words[1] == "peer")
    {
        Ipv4Address peer;
        if (words.size() != 3 || !ParseAddress(words[2], peer))
        {
            Fail("invalid set peer line: expected set peer A.B.C.D (host names are not "
                 "supported)");
        }
        if (std::find(entry.peers.begin(), entry.peers.end(), peer) != entry.peers.end())
        {
            Fail("peer " + words[2] + " is already listed in this crypto map entry");
        }
        if (manual && !entry.peers.empty())
        {
            Fail("an ipsec-manual crypto map entry takes one peer: remove the second set peer");
        }
        entry.peers.push_back(peer);
        return;
    }
    if (words[0] == "set" && words.size() >= 2 && words[1] == "transform-set")
    {
        if (words.size() < 3)
        {
            Fail("missing transform set name: expected set transform-set NAME [NAME ...]");
        }
        if (manual && (words.size() > 3 || !entry.transformSets.empty()))
        {
            Fail("an ipsec-manual crypto map entry takes one transform set");
        }
        if (entry.transformSets.size() + words.size() - 2 > 6)
        {
            Fail("too many transform sets: a crypto map entry takes at most 6");
        }
        for (std::size_t i = 2; i < words.size(); ++i)
        {
            entry.transformSets.push_back({words[i], m_line});
        }
        return;
    }
    if (words[0] == "match" && words.size() >= 2 && words[1] == "address")
    {
        if (words.size() != 3)
        {
            Fail("invalid match address line: expected match address ACL");
        }
        entry.accessList = {words[2], m_line};
        return;
    }
    if (words[0] == "set" && words.size() >= 2 && words[1] == "security-association")
    {
        EntrySaSetting(words);
        return;
    }
    if (words[0] == "set" && words.size() >= 2 && words[1] == "session-key")
    {
        SessionKey(words);
        return;
    }
    if (m_text == "qos pre-classify")
    {
        m_config.m_cryptoMaps.at(m_name).qosPreClassify = true;
        return;
    }
    if (words[0] == "description")
    {
        return;
    }
    Fail("unknown crypto map command \"" + m_text +
         "\": supported are set peer, "
         "set transform-set, match address, set security-association lifetime|idle-time|"
         "replay, set session-key, qos pre-classify and description");
}

void
IosConfigParser::EntrySaSetting(const std::vector<std::string>& words)
{
    // set security-association lifetime|idle-time|replay ...
    IosCryptoMapEntryConfig& entry = CurrentEntry();
    const std::string setting = words.size() > 2 ? words[2] : "";
    if (setting == "lifetime" && words.size() == 5 && words[3] == "seconds")
    {
        entry.lifetimeSeconds = Number(words[4], 120, 86400, "lifetime seconds");
    }
    else if (setting == "lifetime" && words.size() == 5 && words[3] == "kilobytes")
    {
        entry.lifetimeKilobytes = Number(words[4], 2560, 4294967295ULL, "lifetime kilobytes");
    }
    else if (setting == "idle-time" && (words.size() == 4 || words.size() == 5))
    {
        if (words.size() == 5 && words[4] != "default")
        {
            Fail("invalid word \"" + words[4] +
                 "\": expected set security-association "
                 "idle-time SECONDS [default]");
        }
        entry.idleTimeSeconds = Number(words[3], 60, 86400, "idle-time seconds");
    }
    else if (setting == "replay" && words.size() >= 4 && words[3] == "window-size")
    {
        if (entry.replayDisable)
        {
            Fail("replay window-size conflicts with replay disable in this crypto map entry: "
                 "configure one of them");
        }
        entry.replayWindowSize = ReplayWindowSize(words, 4);
    }
    else if (setting == "replay" && words.size() == 4 && words[3] == "disable")
    {
        if (entry.replayWindowSize)
        {
            Fail("replay disable conflicts with replay window-size in this crypto map entry: "
                 "configure one of them");
        }
        entry.replayDisable = true;
    }
    else
    {
        Fail("invalid set security-association line: expected lifetime seconds 120-86400, "
             "lifetime kilobytes 2560-4294967295, idle-time 60-86400, replay window-size "
             "64|128|256|512|1024 or replay disable");
    }
}

void
IosConfigParser::SessionKey(const std::vector<std::string>& words)
{
    // set session-key inbound|outbound esp SPI [cipher HEX] [authenticator HEX]
    // set session-key inbound|outbound ah SPI HEX
    IosCryptoMapEntryConfig& entry = CurrentEntry();
    if (entry.keyManagement != CryptoMapEntry::KeyManagement::MANUAL)
    {
        Fail("set session-key is valid only in ipsec-manual crypto map entries");
    }
    const char* usage = "invalid set session-key line: expected set session-key "
                        "inbound|outbound esp SPI [cipher HEX] [authenticator HEX], or "
                        "set session-key inbound|outbound ah SPI HEX";
    if (words.size() < 6 || (words[2] != "inbound" && words[2] != "outbound") ||
        (words[3] != "esp" && words[3] != "ah"))
    {
        Fail(usage);
    }
    IpsecDirection direction =
        words[2] == "inbound" ? IpsecDirection::INBOUND : IpsecDirection::OUTBOUND;
    bool ah = words[3] == "ah";
    IpsecManualKey key;
    key.spi = static_cast<uint32_t>(Number(words[4], MIN_MANUAL_SPI, 4294967295ULL, "SPI"));

    if (ah)
    {
        if (words.size() != 6 || !ParseHexKey(words[5], key.integrityKey))
        {
            Fail("invalid AH session key: expected set session-key inbound|outbound ah SPI "
                 "HEX, with an even number of hex digits");
        }
    }
    else
    {
        std::size_t next = 5;
        if (next + 1 < words.size() && words[next] == "cipher")
        {
            if (!ParseHexKey(words[next + 1], key.encryptionKey))
            {
                Fail("invalid cipher key \"" + words[next + 1] +
                     "\": expected an even number "
                     "of hex digits");
            }
            next += 2;
        }
        if (next + 1 < words.size() && words[next] == "authenticator")
        {
            if (!ParseHexKey(words[next + 1], key.integrityKey))
            {
                Fail("invalid authenticator key \"" + words[next + 1] +
                     "\": expected an even "
                     "number of hex digits");
            }
            next += 2;
        }
        if (next != words.size() || next == 5)
        {
            Fail(usage);
        }
    }

    std::size_t index = (direction == IpsecDirection::INBOUND ? 0 : 2) + (ah ? 1 : 0);
    entry.sessionKeys[index] = key;
}

void
IosConfigParser::InIsakmpPolicy(const std::vector<std::string>& words)
{
    IosIsakmpPolicyConfig& policy = m_config.m_isakmpPolicies.at(m_sequence);
    const std::string& command = words[0];
    if (command == "encryption" || command == "encr")
    {
        if (words.size() == 2 && (words[1] == "des" || words[1] == "3des"))
        {
            policy.encryption = words[1];
            policy.encryptionKeyBits = words[1] == "des" ? 56 : 168;
            return;
        }
        if ((words.size() == 2 || words.size() == 3) && words[1] == "aes")
        {
            uint32_t bits = 128;
            if (words.size() == 3)
            {
                if (words[2] != "128" && words[2] != "192" && words[2] != "256")
                {
                    Fail("invalid AES key size \"" + words[2] + "\": expected 128, 192 or 256");
                }
                bits = static_cast<uint32_t>(std::stoul(words[2]));
            }
            policy.encryption = "aes";
            policy.encryptionKeyBits = static_cast<uint16_t>(bits);
            return;
        }
        Fail("invalid isakmp encryption \"" + JoinWords(words, 1) +
             "\": expected des, 3des "
             "or aes [128|192|256]");
    }
    if (command == "hash")
    {
        // The IKE daemon implements these three (IsakmpPolicy::SetHash).
        if (words.size() == 2 && (words[1] == "sha" || words[1] == "sha256" || words[1] == "md5"))
        {
            policy.hash = words[1];
            return;
        }
        Fail("invalid isakmp hash \"" + JoinWords(words, 1) + "\": expected sha, sha256 or md5");
    }
    if (command == "authentication")
    {
        if (words.size() == 2 && words[1] == "pre-share")
        {
            policy.authentication = words[1];
            return;
        }
        if (words.size() == 2 && (words[1] == "rsa-sig" || words[1] == "rsa-encr"))
        {
            Fail("authentication " + words[1] +
                 " is not modelled: use authentication "
                 "pre-share with crypto isakmp key");
        }
        Fail("invalid isakmp authentication \"" + JoinWords(words, 1) +
             "\": expected "
             "pre-share");
    }
    if (command == "group")
    {
        // The IKE daemon implements the MODP groups 1, 2, 5 and 14 (IsakmpPolicy::SetGroup).
        static const std::vector<std::string> groups = {"1", "2", "5", "14"};
        if (words.size() != 2 || std::find(groups.begin(), groups.end(), words[1]) == groups.end())
        {
            Fail("invalid Diffie-Hellman group \"" + JoinWords(words, 1) +
                 "\": expected 1, 2, 5 or 14");
        }
        policy.group = static_cast<uint32_t>(std::stoul(words[1]));
        return;
    }
    if (command == "lifetime")
    {
        if (words.size() != 2)
        {
            Fail("invalid isakmp lifetime: expected lifetime SECONDS (60-86400)");
        }
        policy.lifetimeSeconds = Number(words[1], 60, 86400, "isakmp lifetime seconds");
        return;
    }
    Fail("unknown isakmp policy command \"" + m_text +
         "\": supported are encryption, hash, "
         "authentication pre-share, group and lifetime");
}

void
IosConfigParser::InClassMap(const std::vector<std::string>& words)
{
    if (words[0] == "description")
    {
        return;
    }
    if (words[0] != "match")
    {
        Fail("unknown class-map command \"" + m_text + "\": expected match or description");
    }

    // Access lists are usually defined after the class maps that use them, so the name
    // is checked at the end and a placeholder list is used for the syntax check here.
    std::string text = m_text;
    ClassMap::AccessListTable placeholders;
    if (words.size() >= 3 && words[1] == "access-group")
    {
        const std::string& listName = words[2] == "name" && words.size() >= 4 ? words[3] : words[2];
        placeholders[listName] = Create<Ipv4AccessList>(listName);
        m_aclReferences.push_back({listName, m_line});
    }
    if (words.size() == 3 && words[1] == "input-interface")
    {
        text = "match input-interface " + IosConfig::NormalizeInterfaceName(words[2]);
    }
    std::string problem = m_classMaps.at(m_name)->AddMatch(text, placeholders);
    if (!problem.empty())
    {
        Fail("invalid class-map " + m_name + " statement: " + problem);
    }
    m_config.m_classMaps.at(m_name).matches.push_back({text, m_line});
}

void
IosConfigParser::InPolicyMap(const std::vector<std::string>& words)
{
    Ptr<PolicyMap> policy = m_policies.at(m_name);
    IosPolicyMapConfig& config = m_config.m_policyMaps.at(m_name);
    if (words[0] == "description")
    {
        return;
    }
    if (words[0] == "class")
    {
        if (words.size() != 2)
        {
            Fail("invalid class line: expected class NAME or class class-default");
        }
        if (words[1] != PolicyMap::DEFAULT_CLASS)
        {
            std::string problem = policy->AddClass(words[1], m_classMaps);
            if (!problem.empty())
            {
                Fail("invalid policy-map " + m_name + " class: " + problem);
            }
        }
        IosPolicyClassConfig policyClass;
        policyClass.name = words[1];
        policyClass.line = m_line;
        config.classes.push_back(policyClass);
        return;
    }
    if (config.classes.empty())
    {
        Fail("\"" + m_text +
             "\" needs a class: write class NAME or class class-default before "
             "it");
    }
    IosPolicyClassConfig& current = config.classes.back();
    std::string problem = policy->ConfigureClass(current.name, m_text);
    if (!problem.empty())
    {
        Fail("invalid policy-map " + m_name + " class " + current.name + " command: " + problem);
    }
    current.commands.push_back({m_text, m_line});
}

void
IosConfigParser::CheckEntry(const IosCryptoMapConfig& map,
                            const IosCryptoMapEntryConfig& entry) const
{
    const std::string label = "crypto map " + map.name + " " + std::to_string(entry.sequence);
    if (entry.peers.empty())
    {
        FailAt(entry.line, label + " has no peer: add set peer A.B.C.D");
    }
    if (entry.accessList.text.empty())
    {
        FailAt(entry.line, label + " has no access list: add match address ACL");
    }
    if (m_config.m_accessLists.count(entry.accessList.text) == 0)
    {
        FailAt(entry.accessList.line,
               "access list " + entry.accessList.text +
                   " not found: define it with "
                   "access-list or ip access-list extended");
    }
    if (entry.transformSets.empty())
    {
        FailAt(entry.line, label + " has no transform set: add set transform-set NAME");
    }
    for (const auto& name : entry.transformSets)
    {
        if (m_config.m_transformSets.count(name.text) == 0)
        {
            FailAt(name.line,
                   "transform set " + name.text +
                       " not found: define it with crypto ipsec "
                       "transform-set");
        }
    }
    if (entry.keyManagement != CryptoMapEntry::KeyManagement::MANUAL)
    {
        return;
    }

    // Manual keying needs every SA of the transform set in both directions, with keys of
    // the lengths its algorithms take.
    const IpsecTransformSet& set =
        m_config.m_transformSets.at(entry.transformSets.front().text).transformSet;
    for (uint32_t index = 0; index < 4; ++index)
    {
        bool ah = (index % 2) == 1;
        const char* direction = index < 2 ? "inbound" : "outbound";
        if (ah ? !set.HasAh() : !set.HasEsp())
        {
            if (entry.sessionKeys[index])
            {
                FailAt(entry.line,
                       label + " has an " + std::string(ah ? "ah" : "esp") +
                           " session key "
                           "but transform set " +
                           set.GetName() + " has no " + (ah ? "AH" : "ESP") + " transform");
            }
            continue;
        }
        const auto& key = entry.sessionKeys[index];
        std::string setSession =
            std::string("set session-key ") + direction + (ah ? " ah" : " esp");
        if (!key)
        {
            FailAt(entry.line,
                   label + " has no " + setSession + " for transform set " + set.GetName());
        }
        uint32_t cipherBytes = ah ? 0 : set.GetEspEncryptionKeyLength();
        uint32_t authBytes = ah ? set.GetAhIntegrityKeyLength() : set.GetEspIntegrityKeyLength();
        if (key->encryptionKey.size() != cipherBytes || key->integrityKey.size() != authBytes)
        {
            std::ostringstream reason;
            reason << label << ": " << setSession << " has " << key->encryptionKey.size()
                   << " cipher and " << key->integrityKey.size()
                   << " authenticator bytes, but transform set " << set.GetName() << " needs "
                   << cipherBytes << " and " << authBytes;
            FailAt(entry.line, reason.str());
        }
    }
}

void
IosConfigParser::CheckReferences() const
{
    for (const auto& [name, map] : m_config.m_cryptoMaps)
    {
        for (const auto& entry : map.entries)
        {
            CheckEntry(map, entry);
        }
    }
    for (const auto& reference : m_aclReferences)
    {
        if (m_config.m_accessLists.count(reference.text) == 0)
        {
            FailAt(reference.line,
                   "access list " + reference.text +
                       " not found: define it with access-list "
                       "or ip access-list");
        }
    }
    for (const auto& interface : m_config.m_interfaces)
    {
        if (!interface.cryptoMap.empty() && m_config.m_cryptoMaps.count(interface.cryptoMap) == 0)
        {
            FailAt(interface.cryptoMapLine,
                   "crypto map " + interface.cryptoMap +
                       " not found: define it with crypto "
                       "map " +
                       interface.cryptoMap + " SEQ ipsec-isakmp|ipsec-manual");
        }
        if (!interface.servicePolicy.empty() &&
            m_config.m_policyMaps.count(interface.servicePolicy) == 0)
        {
            FailAt(interface.servicePolicyLine,
                   "policy-map " + interface.servicePolicy +
                       " not found: define it with "
                       "policy-map " +
                       interface.servicePolicy);
        }
    }
    for (const auto& route : m_config.m_routes)
    {
        if (!route.interfaceName.empty() && !m_config.GetInterface(route.interfaceName))
        {
            FailAt(route.line,
                   "interface " + route.interfaceName +
                       " of ip route not found: add "
                       "interface " +
                       route.interfaceName + " or give a next-hop address");
        }
    }
}

IosConfig::IosConfig()
    : m_invalidSpiRecovery(false),
      m_replayLine(0),
      m_replayDisable(false)
{
}

IosConfig
IosConfig::Parse(std::istream& in, const std::string& fileName)
{
    NS_LOG_FUNCTION(fileName);

    IosConfig config;
    config.m_fileName = fileName;
    IosConfigParser parser(config);
    parser.Run(in);
    NS_LOG_INFO(fileName << ": " << config.m_interfaces.size() << " interfaces, "
                         << config.m_cryptoMaps.size() << " crypto maps, "
                         << config.m_accessLists.size() << " access lists, "
                         << config.m_ignored.size() << " lines outside the supported subset");
    return config;
}

IosConfig
IosConfig::Load(const std::string& path)
{
    NS_LOG_FUNCTION(path);

    std::ifstream in(path);
    if (!in)
    {
        throw IosConfigError(path, 0, "cannot open the file for reading");
    }
    return Parse(in, path);
}

std::string
IosConfig::NormalizeInterfaceName(const std::string& name)
{
    static const std::vector<std::string> types = {"Ethernet",
                                                   "FastEthernet",
                                                   "GigabitEthernet",
                                                   "TenGigabitEthernet",
                                                   "Serial",
                                                   "Loopback",
                                                   "Tunnel",
                                                   "Dialer",
                                                   "ATM",
                                                   "POS",
                                                   "Virtual-Template",
                                                   "Vlan"};
    std::size_t split = 0;
    while (split < name.size() &&
           (std::isalpha(static_cast<unsigned char>(name[split])) || name[split] == '-'))
    {
        ++split;
    }
    if (split == 0)
    {
        return name;
    }
    std::string prefix = name.substr(0, split);
    std::transform(prefix.begin(), prefix.end(), prefix.begin(), [](unsigned char c) {
        return static_cast<char>(std::tolower(c));
    });

    // IOS accepts any unambiguous prefix of a type; a whole type name always wins.
    std::string match;
    uint32_t matches = 0;
    for (const auto& type : types)
    {
        std::string lower = type;
        std::transform(lower.begin(), lower.end(), lower.begin(), [](unsigned char c) {
            return static_cast<char>(std::tolower(c));
        });
        if (lower == prefix)
        {
            return type + name.substr(split);
        }
        if (lower.compare(0, prefix.size(), prefix) == 0)
        {
            match = type;
            ++matches;
        }
    }
    return matches == 1 ? match + name.substr(split) : name;
}

const std::string&
IosConfig::GetFileName() const
{
    return m_fileName;
}

const std::string&
IosConfig::GetHostname() const
{
    return m_hostname;
}

std::vector<std::string>
IosConfig::GetInterfaceNames() const
{
    std::vector<std::string> names;
    for (const auto& interface : m_interfaces)
    {
        names.push_back(interface.name);
    }
    return names;
}

const IosInterfaceConfig*
IosConfig::GetInterface(const std::string& name) const
{
    for (const auto& interface : m_interfaces)
    {
        if (interface.name == name)
        {
            return &interface;
        }
    }
    return nullptr;
}

const std::vector<IosInterfaceConfig>&
IosConfig::GetInterfaces() const
{
    return m_interfaces;
}

const std::vector<std::string>&
IosConfig::GetIgnoredLines() const
{
    return m_ignored;
}

const std::map<std::string, IosAccessListConfig>&
IosConfig::GetAccessLists() const
{
    return m_accessLists;
}

const std::map<std::string, IosTransformSetConfig>&
IosConfig::GetTransformSets() const
{
    return m_transformSets;
}

const std::map<std::string, IosCryptoMapConfig>&
IosConfig::GetCryptoMaps() const
{
    return m_cryptoMaps;
}

const std::map<std::string, IosClassMapConfig>&
IosConfig::GetClassMaps() const
{
    return m_classMaps;
}

const std::map<std::string, IosPolicyMapConfig>&
IosConfig::GetPolicyMaps() const
{
    return m_policyMaps;
}

const std::vector<IosStaticRouteConfig>&
IosConfig::GetStaticRoutes() const
{
    return m_routes;
}

const std::map<uint32_t, IosIsakmpPolicyConfig>&
IosConfig::GetIsakmpPolicies() const
{
    return m_isakmpPolicies;
}

const std::vector<IosIsakmpKeyConfig>&
IosConfig::GetIsakmpKeys() const
{
    return m_isakmpKeys;
}

const std::optional<IosKeepaliveConfig>&
IosConfig::GetKeepalive() const
{
    return m_keepalive;
}

bool
IosConfig::IsInvalidSpiRecovery() const
{
    return m_invalidSpiRecovery;
}

const std::optional<uint32_t>&
IosConfig::GetGlobalLifetimeSeconds() const
{
    return m_lifetimeSeconds;
}

const std::optional<uint64_t>&
IosConfig::GetGlobalLifetimeKilobytes() const
{
    return m_lifetimeKilobytes;
}

const std::optional<uint32_t>&
IosConfig::GetGlobalIdleTimeSeconds() const
{
    return m_idleTimeSeconds;
}

const std::optional<uint32_t>&
IosConfig::GetGlobalReplayWindowSize() const
{
    return m_replayWindowSize;
}

bool
IosConfig::IsGlobalReplayDisabled() const
{
    return m_replayDisable;
}

const std::optional<IpsecDfBitPolicy>&
IosConfig::GetGlobalDfBit() const
{
    return m_dfBit;
}

} // namespace ns3
