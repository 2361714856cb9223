// Copyright (c) 2026 The ns3-ipsec authors
// SPDX-License-Identifier: GPL-2.0-only

#ifndef POLICY_MAP_H
#define POLICY_MAP_H

#include "class-map.h"

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
 * A Cisco IOS modular QoS policy map for low latency queueing (LLQ) and class-based
 * weighted fair queueing (CBWFQ): `policy-map NAME` with `class NAME` sections.
 *
 * Per class, ConfigureClass() accepts `priority KBPS` (strict priority, policed to KBPS
 * under congestion), `bandwidth KBPS`, `bandwidth percent P` and `queue-limit N`
 * (packets, default 64). The class `class-default` is always present, listed last, takes
 * the packets no other class matches, and accepts `bandwidth ...`, `fair-queue [N]` (flow
 * fair queueing over N dynamic queues, N a power of two 16..4096, default 16) and
 * `queue-limit N`, but not `priority`.
 *
 * Rules enforced with an error:
 * - at most 64 classes, class-default included;
 * - a class map appears once;
 * - `priority` and `bandwidth` are exclusive in one class;
 * - all `bandwidth` commands of a policy use the same style (kbps or percent);
 * - percent values add up to 100 at most;
 * - `bandwidth` and `fair-queue` are exclusive in class-default.
 *
 * As in IOS, a
 * policy whose guarantees exceed the rate of the interface or engine is accepted with a
 * warning (CheckRate()).
 */
class PolicyMap : public SimpleRefCount<PolicyMap>
{
  public:
    /// Queueing action of a class.
    enum class Action : uint8_t
    {
        NONE,      //!< no queueing command: served from the unallocated bandwidth
        PRIORITY,  //!< `priority KBPS`
        BANDWIDTH, //!< `bandwidth KBPS` or `bandwidth percent P`
    };

    /// One class of the policy and its commands.
    struct Class
    {
        std::string name;            //!< class name
        Ptr<ClassMap> classMap;      //!< match criteria; null for class-default
        Action action{Action::NONE}; //!< queueing action
        uint64_t kbps{0};            //!< priority or bandwidth in kbit/s
        uint32_t percent{0};         //!< bandwidth in percent of the rate, or 0
        uint32_t queueLimit{64};     //!< queue limit in packets
        bool fairQueue{false};       //!< `fair-queue` configured (class-default)
        uint32_t dynamicQueues{16};  //!< number of fair-queue flow queues
    };

    /// Class maps by name, as `class NAME` looks them up.
    typedef std::map<std::string, Ptr<ClassMap>> ClassMapTable;

    /// Largest number of classes in a policy, class-default included.
    static constexpr uint32_t MAX_CLASSES = 64;

    /// Name of the class that takes unmatched packets.
    static const std::string DEFAULT_CLASS;

    /**
     * Creates a policy that holds only class-default.
     * \param name the policy name
     */
    explicit PolicyMap(const std::string& name);

    /// \return the policy name
    const std::string& GetName() const;

    /**
     * Appends a class before class-default (`class NAME` under `policy-map`).
     * \param classMap the class map
     * \return an empty string on success, else a one-line reason
     */
    std::string AddClass(Ptr<ClassMap> classMap);

    /**
     * Appends a class by name. The name "class-default" is accepted and changes nothing.
     * \param name the class map name
     * \param classMaps the defined class maps
     * \return an empty string on success, else a one-line reason (e.g. an unknown class)
     */
    std::string AddClass(const std::string& name, const ClassMapTable& classMaps);

    /**
     * Applies one command in the section of a class, e.g. "priority 50".
     *
     * An invalid command leaves the policy unchanged.
     * \param className the class name (class-default included)
     * \param line the command in IOS syntax
     * \return an empty string on success, else a one-line reason naming the invalid word
     */
    std::string ConfigureClass(const std::string& className, const std::string& line);

    /**
     * Checks the whole policy against the rules in the class description.
     * \return an empty string if the policy is valid, else the first problem found
     */
    std::string Validate() const;

    /**
     * Compares the sum of priority and bandwidth guarantees with a rate.
     * \param rateBps the rate of the interface or crypto engine in bit/s, which percent
     *        values refer to
     * \return an empty string if the guarantees fit, else a warning with both numbers
     */
    std::string CheckRate(uint64_t rateBps) const;

    /**
     * Computes the guaranteed rate of a class.
     * \param index the class index
     * \param rateBps the rate that percent values refer to, in bit/s
     * \return the priority or bandwidth rate in bit/s, 0 for a class without one
     */
    uint64_t GetGuaranteedRate(std::size_t index, uint64_t rateBps) const;

    /// \return the classes in policy order, class-default last
    const std::vector<Class>& GetClasses() const;

    /**
     * Finds a class by name.
     * \param name the class name
     * \return its index, or -1 when the policy has no such class
     */
    int32_t FindClass(const std::string& name) const;

  private:
    std::string m_name;           //!< policy name
    std::vector<Class> m_classes; //!< classes in order, class-default last
};

} // namespace ns3

#endif // POLICY_MAP_H
