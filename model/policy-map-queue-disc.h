// Copyright (c) 2026 The ns3-ipsec authors
// SPDX-License-Identifier: GPL-2.0-only

#ifndef POLICY_MAP_QUEUE_DISC_H
#define POLICY_MAP_QUEUE_DISC_H

#include "ipsec-pre-classify-tag.h"
#include "policy-map.h"

#include "ns3/callback.h"
#include "ns3/data-rate.h"
#include "ns3/nstime.h"
#include "ns3/queue-disc.h"
#include "ns3/traced-callback.h"

#include <deque>
#include <ostream>
#include <string>
#include <vector>

namespace ns3
{

/**
 * \ingroup ipsec
 * A queue disc that runs a PolicyMap: low latency queueing (LLQ) with class-based
 * weighted fair queueing (CBWFQ), as `service-policy output` does on an IOS interface or
 * in front of a crypto engine.
 *
 * Enqueue classifies an Ipv4QueueDiscItem by its IPv4 header and the first 4 payload bytes
 * (the ports). It tries the classes in policy order, and unmatched packets go to
 * class-default. Each class has its own queue of `queue-limit` packets, and a full queue
 * drops the arriving
 * packet ("Queue limit exceeded"). With `fair-queue N`, class-default hashes each flow
 * (addresses, protocol, ports) into one of N queues, each limited to a quarter of the
 * class limit (at least 1 packet), as IOS reports "per-flow queue limit 16" for the
 * default limit of 64.
 *
 * Dequeue serves the priority classes first, in policy order. A priority class is policed
 * by a token bucket of its rate with a burst of 200 ms at that rate (the IOS default), but
 * only while packets of other classes wait. Then a packet beyond its tokens is dropped
 * ("Priority rate exceeded"). When nothing else waits, priority traffic may use the whole
 * link, and the packets it sends still take tokens (down to zero), so a bucket emptied
 * that way refills at the class rate once congestion begins.
 *
 * The other classes share what is left by deficit round robin in bytes. A class's
 * quantum is QuantumBase bytes times its weight divided by the smallest weight, so the
 * smallest class sends about one QuantumBase per round. The weight of a bandwidth class
 * is its rate, where percent refers to LinkRate. A class without a bandwidth command gets
 * the unallocated rate (LinkRate minus all guarantees, at least 1 % of LinkRate). Because
 * round robin skips empty classes, the capacity that a class does not use goes to the
 * backlogged classes in proportion to their weights. Flows within a fair-queue
 * class-default share it by deficit round robin with a quantum of QuantumBase bytes.
 *
 * Set the policy with SetPolicyMap() before the queue disc is initialised. On a device,
 * that is after TrafficControlHelper::Install and before the simulation starts. Standalone,
 * it is before Initialize().
 *
 * NOTE: the policer runs when a packet is dequeued, not when it arrives, so a priority
 * burst queued before congestion began is policed when it reaches the head.
 */
class PolicyMapQueueDisc : public QueueDisc
{
  public:
    /**
     * \brief Get the type ID.
     * \return the object TypeId
     */
    static TypeId GetTypeId();

    PolicyMapQueueDisc();
    ~PolicyMapQueueDisc() override;

    /// Counters of one class, as `show policy-map interface` prints them.
    struct ClassStats
    {
        uint64_t matchedPackets{0};     //!< packets classified into the class
        uint64_t matchedBytes{0};       //!< bytes classified into the class
        uint64_t transmittedPackets{0}; //!< packets dequeued for transmission
        uint64_t transmittedBytes{0};   //!< bytes dequeued for transmission
        uint64_t drops{0};              //!< packets dropped (queue limit or policer)
        uint64_t dropBytes{0};          //!< bytes dropped
        uint64_t policerDrops{0};       //!< priority packets dropped by the policer
        uint32_t depth{0};              //!< packets waiting now
    };

    /// Function that returns the name of the interface a packet arrived on.
    typedef Callback<std::string, Ptr<const QueueDiscItem>> InputInterfaceCallback;

    /**
     * TracedCallback signature for a packet that enters or leaves the queue of a class.
     * \param [in] className the class name
     * \param [in] item the packet
     */
    typedef void (*ClassTracedCallback)(const std::string& className,
                                        Ptr<const QueueDiscItem> item);

    /**
     * TracedCallback signature for a packet dropped by a class.
     * \param [in] className the class name
     * \param [in] item the packet
     * \param [in] reason QUEUE_LIMIT_DROP or POLICER_DROP
     */
    typedef void (*ClassDropTracedCallback)(const std::string& className,
                                            Ptr<const QueueDiscItem> item,
                                            const char* reason);

    static constexpr const char* QUEUE_LIMIT_DROP = "Queue limit exceeded"; //!< drop reason
    static constexpr const char* POLICER_DROP = "Priority rate exceeded";   //!< drop reason

    /**
     * Sets the policy to run. Call it before the queue disc is initialised.
     * \param policy a valid policy (PolicyMap::Validate() returns no error)
     */
    void SetPolicyMap(Ptr<PolicyMap> policy);

    /// \return the policy, or nullptr
    Ptr<PolicyMap> GetPolicyMap() const;

    /**
     * Sets the function that returns a packet's input interface for
     * `match input-interface`. Without it the name is empty, so such statements match
     * nothing.
     * \param callback the function
     */
    void SetInputInterfaceCallback(InputInterfaceCallback callback);

    /**
     * Gets the counters of a class.
     * \param className the class name
     * \return the counters
     */
    ClassStats GetClassStats(const std::string& className) const;

    /**
     * Prints the policy and its counters in the layout of `show policy-map interface`.
     * \param os the output stream
     */
    void Show(std::ostream& os) const;

    /**
     * Reads the fields that class maps match on from a queued packet.
     * \param item the packet, an Ipv4QueueDiscItem (other items give an empty tuple)
     * \return the fields
     */
    static Ipv4FlowTuple GetFlowTuple(Ptr<const QueueDiscItem> item);

    /**
     * Hashes a flow into one of the fair-queue flow queues (FNV-1a over addresses,
     * protocol and ports).
     * \param tuple the packet's fields
     * \param queues the number of flow queues
     * \return the flow queue index, 0..queues-1
     */
    static uint32_t HashFlow(const Ipv4FlowTuple& tuple, uint32_t queues);

  protected:
    void DoDispose() override;

  private:
    /// Scheduling state of one class.
    struct ClassState
    {
        std::size_t firstQueue{0};        //!< index of its first internal queue
        uint32_t queues{1};               //!< internal queues (flow queues with fair-queue)
        uint32_t flowLimit{0};            //!< packet limit of one flow queue
        std::vector<uint32_t> flowDepth;  //!< packets in each flow queue
        std::vector<int64_t> flowDeficit; //!< deficit of each flow queue, bytes
        std::deque<uint32_t> activeFlows; //!< backlogged flow queues in round-robin order
        int64_t deficit{0};               //!< deficit of the class, bytes
        uint64_t quantum{0};              //!< round-robin quantum, bytes
        double tokens{0};                 //!< priority policer tokens, bytes
        double burst{0};                  //!< priority policer bucket size, bytes
        double byteRate{0};               //!< priority rate, bytes per second
        Time lastRefill;                  //!< time of the last token refill
        ClassStats stats;                 //!< counters
    };

    bool DoEnqueue(Ptr<QueueDiscItem> item) override;
    Ptr<QueueDiscItem> DoDequeue() override;
    bool CheckConfig() override;
    void InitializeParams() override;

    /**
     * Finds the class of a packet.
     * \param item the packet
     * \return the class index
     */
    std::size_t Classify(Ptr<const QueueDiscItem> item) const;

    /**
     * \param tag a pre-classify tag on a packet
     * \return true if the tag was added on this queue disc's node, the only place where the
     *         inner fields may be used
     */
    bool IsLocalTag(const IpsecPreClassifyTag& tag) const;

    /**
     * Chooses the internal queue that a class serves next (the flow queue for fair-queue).
     * \param index the class index (must hold packets)
     * \return the internal queue index
     */
    std::size_t SelectQueue(std::size_t index);

    /**
     * Removes the head packet of a class and updates its counters and round-robin state.
     * \param index the class index
     * \param queue the internal queue chosen by SelectQueue()
     * \return the packet
     */
    Ptr<QueueDiscItem> TakeHead(std::size_t index, std::size_t queue);

    /**
     * Serves the priority classes.
     * \param[out] index the class of the packet returned
     * \return a packet, or nullptr when no priority class may send
     */
    Ptr<QueueDiscItem> DequeuePriority(std::size_t& index);

    /**
     * Records a drop in the counters and the trace.
     * \param index the class index
     * \param item the packet
     * \param reason the drop reason
     */
    void CountDrop(std::size_t index, Ptr<const QueueDiscItem> item, const char* reason);

    Ptr<PolicyMap> m_policy;                 //!< policy run by the queue disc
    DataRate m_linkRate;                     //!< rate that percent refers to
    uint32_t m_quantumBase;                  //!< quantum of the smallest class, bytes
    InputInterfaceCallback m_inputInterface; //!< input interface of a packet
    std::vector<ClassState> m_classes;       //!< state per class, policy order
    std::deque<std::size_t> m_activeClasses; //!< backlogged non-priority classes
    uint32_t m_depth;                        //!< packets waiting in all classes
    /// Trace of a packet queued in a class.
    TracedCallback<const std::string&, Ptr<const QueueDiscItem>> m_classEnqueueTrace;
    /// Trace of a packet dequeued from a class.
    TracedCallback<const std::string&, Ptr<const QueueDiscItem>> m_classDequeueTrace;
    /// Trace of a packet dropped by a class.
    TracedCallback<const std::string&, Ptr<const QueueDiscItem>, const char*> m_classDropTrace;
};

} // namespace ns3

#endif // POLICY_MAP_QUEUE_DISC_H
