// Copyright (c) 2026 The ns3-ipsec authors
// SPDX-License-Identifier: GPL-2.0-only

#include "policy-map-queue-disc.h"

#include "ipsec-pre-classify-tag.h"

#include "ns3/abort.h"
#include "ns3/drop-tail-queue.h"
#include "ns3/ipv4-queue-disc-item.h"
#include "ns3/log.h"
#include "ns3/net-device-queue-interface.h"
#include "ns3/net-device.h"
#include "ns3/node.h"
#include "ns3/simulator.h"
#include "ns3/uinteger.h"

#include <algorithm>
#include <cstring>

namespace ns3
{

NS_LOG_COMPONENT_DEFINE("PolicyMapQueueDisc");

NS_OBJECT_ENSURE_REGISTERED(PolicyMapQueueDisc);

namespace
{

/// Time whose worth of the priority rate fills the policer bucket (the IOS default burst).
const double PRIORITY_BURST_SECONDS = 0.2;

} // namespace

TypeId
PolicyMapQueueDisc::GetTypeId()
{
    static TypeId tid =
        TypeId("ns3::PolicyMapQueueDisc")
            .SetParent<QueueDisc>()
            .SetGroupName("Ipsec")
            .AddConstructor<PolicyMapQueueDisc>()
            .AddAttribute("LinkRate",
                          "Rate in bit/s that `bandwidth percent` refers to and that sets the "
                          "weight of classes without a bandwidth command.",
                          DataRateValue(DataRate("1544kbps")),
                          MakeDataRateAccessor(&PolicyMapQueueDisc::m_linkRate),
                          MakeDataRateChecker())
            .AddAttribute("QuantumBase",
                          "Deficit round robin quantum in bytes of the class with the smallest "
                          "bandwidth and of each fair-queue flow.",
                          UintegerValue(1500),
                          MakeUintegerAccessor(&PolicyMapQueueDisc::m_quantumBase),
                          MakeUintegerChecker<uint32_t>(64, 65535))
            .AddTraceSource("ClassEnqueue",
                            "A packet was queued in a class.",
                            MakeTraceSourceAccessor(&PolicyMapQueueDisc::m_classEnqueueTrace),
                            "ns3::PolicyMapQueueDisc::ClassTracedCallback")
            .AddTraceSource("ClassDequeue",
                            "A packet left a class for transmission.",
                            MakeTraceSourceAccessor(&PolicyMapQueueDisc::m_classDequeueTrace),
                            "ns3::PolicyMapQueueDisc::ClassTracedCallback")
            .AddTraceSource("ClassDrop",
                            "A class dropped a packet, with the reason.",
                            MakeTraceSourceAccessor(&PolicyMapQueueDisc::m_classDropTrace),
                            "ns3::PolicyMapQueueDisc::ClassDropTracedCallback");
    return tid;
}

PolicyMapQueueDisc::PolicyMapQueueDisc()
    : QueueDisc(QueueDiscSizePolicy::NO_LIMITS),
      m_quantumBase(1500),
      m_depth(0)
{
    NS_LOG_FUNCTION(this);
}

PolicyMapQueueDisc::~PolicyMapQueueDisc()
{
    NS_LOG_FUNCTION(this);
}

void
PolicyMapQueueDisc::DoDispose()
{
    NS_LOG_FUNCTION(this);
    m_policy = nullptr;
    m_classes.clear();
    m_activeClasses.clear();
    m_inputInterface = InputInterfaceCallback();
    QueueDisc::DoDispose();
}

void
PolicyMapQueueDisc::SetPolicyMap(Ptr<PolicyMap> policy)
{
    NS_LOG_FUNCTION(this << policy);
    NS_ABORT_MSG_IF(!policy, "PolicyMapQueueDisc::SetPolicyMap: the policy is null");
    NS_ABORT_MSG_IF(!m_classes.empty(),
                    "PolicyMapQueueDisc::SetPolicyMap: the queue disc is already initialized; "
                    "set the policy before the simulation starts");
    std::string error = policy->Validate();
    NS_ABORT_MSG_IF(!error.empty(), "PolicyMapQueueDisc::SetPolicyMap: " << error);
    m_policy = policy;
}

Ptr<PolicyMap>
PolicyMapQueueDisc::GetPolicyMap() const
{
    return m_policy;
}

void
PolicyMapQueueDisc::SetInputInterfaceCallback(InputInterfaceCallback callback)
{
    NS_LOG_FUNCTION(this);
    m_inputInterface = callback;
}

bool
PolicyMapQueueDisc::CheckConfig()
{
    NS_LOG_FUNCTION(this);

    if (!m_policy)
    {
        NS_LOG_ERROR("no policy map: call SetPolicyMap before the queue disc is initialized");
        return false;
    }
    if (GetNQueueDiscClasses() > 0 || GetNPacketFilters() > 0)
    {
        NS_LOG_ERROR("PolicyMapQueueDisc takes no queue disc classes and no packet filters");
        return false;
    }
    std::string warning = m_policy->CheckRate(m_linkRate.GetBitRate());
    if (!warning.empty())
    {
        NS_LOG_WARN(warning);
    }

    // One internal queue per class, or one per flow queue for a fair-queue class-default.
    const std::vector<PolicyMap::Class>& classes = m_policy->GetClasses();
    m_classes.assign(classes.size(), ClassState());
    for (std::size_t i = 0; i < classes.size(); ++i)
    {
        ClassState& state = m_classes[i];
        state.firstQueue = GetNInternalQueues();
        state.queues = classes[i].fairQueue ? classes[i].dynamicQueues : 1;
        state.flowLimit =
            classes[i].fairQueue ? std::max(1u, classes[i].queueLimit / 4) : classes[i].queueLimit;
        state.flowDepth.assign(state.queues, 0);
        state.flowDeficit.assign(state.queues, 0);
        for (uint32_t q = 0; q < state.queues; ++q)
        {
            Ptr<DropTailQueue<QueueDiscItem>> queue = CreateObject<DropTailQueue<QueueDiscItem>>();
            queue->SetMaxSize(QueueSize(QueueSizeUnit::PACKETS, state.flowLimit));
            AddInternalQueue(queue);
        }
    }
    return true;
}

void
PolicyMapQueueDisc::InitializeParams()
{
    NS_LOG_FUNCTION(this);

    // Classes without a bandwidth command share what the guarantees leave of the link.
    uint64_t linkRate = m_linkRate.GetBitRate();
    uint64_t guaranteed = 0;
    for (std::size_t i = 0; i < m_classes.size(); ++i)
    {
        guaranteed += m_policy->GetGuaranteedRate(i, linkRate);
    }
    uint64_t unallocated = guaranteed < linkRate ? linkRate - guaranteed : 0;
    unallocated = std::max<uint64_t>(unallocated, std::max<uint64_t>(linkRate / 100, 1));

    std::vector<uint64_t> weights(m_classes.size(), 0);
    uint64_t smallest = UINT64_MAX;
    const std::vector<PolicyMap::Class>& classes = m_policy->GetClasses();
    for (std::size_t i = 0; i < m_classes.size(); ++i)
    {
        ClassState& state = m_classes[i];
        if (classes[i].action == PolicyMap::Action::PRIORITY)
        {
            state.byteRate = classes[i].kbps * 1000 / 8.0;
            state.burst = state.byteRate * PRIORITY_BURST_SECONDS;
            state.tokens = state.burst;
            state.lastRefill = Simulator::Now();
            continue;
        }
        weights[i] = classes[i].action == PolicyMap::Action::BANDWIDTH
                         ? m_policy->GetGuaranteedRate(i, linkRate)
                         : unallocated;
        weights[i] = std::max<uint64_t>(weights[i], 1);
        smallest = std::min(smallest, weights[i]);
    }

    // The class with the smallest weight gets QuantumBase bytes; the others in proportion.
    for (std::size_t i = 0; i < m_classes.size(); ++i)
    {
        if (weights[i] == 0)
        {
            continue;
        }
        double ratio = static_cast<double>(weights[i]) / static_cast<double>(smallest);
        m_classes[i].quantum = static_cast<uint64_t>(m_quantumBase * ratio + 0.5);
        NS_LOG_DEBUG("class " << classes[i].name << " weight " << weights[i] << " bit/s quantum "
                              << m_classes[i].quantum << " bytes");
    }
}

Ipv4FlowTuple
PolicyMapQueueDisc::GetFlowTuple(Ptr<const QueueDiscItem> item)
{
    Ipv4FlowTuple tuple;

    Ptr<const Ipv4QueueDiscItem> ipv4Item = DynamicCast<const Ipv4QueueDiscItem>(item);
    if (!ipv4Item)
    {
        return tuple;
    }

    const Ipv4Header& header = ipv4Item->GetHeader();
    tuple.source = header.GetSource();
    tuple.destination = header.GetDestination();
    tuple.protocol = header.GetProtocol();
    tuple.dscp = header.GetTos() >> 2;

    // Only the first fragment of a TCP or UDP packet carries the ports.
    bool portsPresent = tuple.protocol == 6 || tuple.protocol == 17;
    Ptr<Packet> packet = ipv4Item->GetPacket();
    if (portsPresent && header.GetFragmentOffset() == 0 && packet->GetSize() >= 4)
    {
        uint8_t ports[4];
        packet->CopyData(ports, 4);
        tuple.sourcePort = static_cast<uint16_t>((ports[0] << 8) | ports[1]);
        tuple.destinationPort = static_cast<uint16_t>((ports[2] << 8) | ports[3]);
        tuple.hasPorts = true;
    }
    return tuple;
}

bool
PolicyMapQueueDisc::IsLocalTag(const IpsecPreClassifyTag& tag) const
{
    // The inner fields travel with the packet to later hops, which must see only the outer
    // header. A queue disc not attached to a device is in front of the local crypto engine.
    Ptr<NetDeviceQueueInterface> queues = GetNetDeviceQueueInterface();
    Ptr<NetDevice> device = queues ? queues->GetObject<NetDevice>() : nullptr;
    return !device || !device->GetNode() || device->GetNode()->GetId() == tag.GetNodeId();
}

uint32_t
PolicyMapQueueDisc::HashFlow(const Ipv4FlowTuple& tuple, uint32_t queues)
{
    NS_ASSERT_MSG(queues > 0, "no flow queues");

    uint8_t bytes[13];
    uint32_t source = tuple.source.Get();
    uint32_t destination = tuple.destination.Get();
    for (int i = 0; i < 4; ++i)
    {
        bytes[i] = static_cast<uint8_t>(source >> (24 - 8 * i));
        bytes[4 + i] = static_cast<uint8_t>(destination >> (24 - 8 * i));
    }
    bytes[8] = tuple.protocol;
    bytes[9] = static_cast<uint8_t>(tuple.sourcePort >> 8);
    bytes[10] = static_cast<uint8_t>(tuple.sourcePort);
    bytes[11] = static_cast<uint8_t>(tuple.destinationPort >> 8);
    bytes[12] = static_cast<uint8_t>(tuple.destinationPort);

    // 32-bit FNV-1a: offset basis 2166136261, prime 16777619.
    uint32_t hash = 2166136261u;
    for (uint8_t byte : bytes)
    {
        hash ^= byte;
        hash *= 16777619u;
    }
    return hash % queues;
}

std::size_t
PolicyMapQueueDisc::Classify(Ptr<const QueueDiscItem> item) const
{
    // With `qos pre-classify` a protected packet carries its inner fields: classify on those.
    Ipv4FlowTuple tuple;
    IpsecPreClassifyTag preClassify;
    if (item->GetPacket()->PeekPacketTag(preClassify) && IsLocalTag(preClassify))
    {
        tuple = preClassify.GetTuple();
    }
    else
    {
        tuple = GetFlowTuple(item);
    }
    std::string inputInterface = m_inputInterface.IsNull() ? "" : m_inputInterface(item);
    const std::vector<PolicyMap::Class>& classes = m_policy->GetClasses();

    // The first class that matches wins; class-default is last and takes the rest.
    for (std::size_t i = 0; i + 1 < classes.size(); ++i)
    {
        if (classes[i].classMap->Match(tuple, inputInterface))
        {
            return i;
        }
    }
    return classes.size() - 1;
}

void
PolicyMapQueueDisc::CountDrop(std::size_t index, Ptr<const QueueDiscItem> item, const char* reason)
{
    ClassStats& stats = m_classes[index].stats;
    stats.drops++;
    stats.dropBytes += item->GetSize();
    if (std::strcmp(reason, POLICER_DROP) == 0)
    {
        stats.policerDrops++;
    }
    m_classDropTrace(m_policy->GetClasses()[index].name, item, reason);
}

bool
PolicyMapQueueDisc::DoEnqueue(Ptr<QueueDiscItem> item)
{
    NS_LOG_FUNCTION(this << item);

    std::size_t index = Classify(item);
    ClassState& state = m_classes[index];
    const PolicyMap::Class& config = m_policy->GetClasses()[index];
    state.stats.matchedPackets++;
    state.stats.matchedBytes += item->GetSize();

    // The class limit covers all its flow queues; each flow queue also has its own limit.
    uint32_t flow = state.queues > 1 ? HashFlow(GetFlowTuple(item), state.queues) : 0;
    if (state.stats.depth >= config.queueLimit || state.flowDepth[flow] >= state.flowLimit)
    {
        NS_LOG_LOGIC("class " << config.name << " full at " << state.stats.depth << " packets");
        DropBeforeEnqueue(item, QUEUE_LIMIT_DROP);
        CountDrop(index, item, QUEUE_LIMIT_DROP);
        return false;
    }

    // The internal queue has room for flowLimit packets, checked above, so it accepts the packet.
    // Should it refuse anyway, QueueDisc has already counted the drop through its callback.
    if (!GetInternalQueue(state.firstQueue + flow)->Enqueue(item))
    {
        NS_LOG_WARN("internal queue of class " << config.name << " refused a packet");
        CountDrop(index, item, QUEUE_LIMIT_DROP);
        return false;
    }

    // A class or flow that was empty joins the back of its round-robin list.
    bool priority = config.action == PolicyMap::Action::PRIORITY;
    if (!priority && state.stats.depth == 0)
    {
        state.deficit = 0;
        m_activeClasses.push_back(index);
    }
    if (state.flowDepth[flow] == 0 && state.queues > 1)
    {
        state.flowDeficit[flow] = 0;
        state.activeFlows.push_back(flow);
    }
    state.flowDepth[flow]++;
    state.stats.depth++;
    m_depth++;
    m_classEnqueueTrace(config.name, item);
    return true;
}

std::size_t
PolicyMapQueueDisc::SelectQueue(std::size_t index)
{
    ClassState& state = m_classes[index];
    if (state.queues == 1)
    {
        return state.firstQueue;
    }

    // Deficit round robin among the backlogged flows: a flow whose deficit does not cover
    // its head packet gets a quantum and moves to the back.
    NS_ASSERT_MSG(!state.activeFlows.empty(), "class has packets but no active flow");
    while (true)
    {
        uint32_t flow = state.activeFlows.front();
        uint32_t size = GetInternalQueue(state.firstQueue + flow)->Peek()->GetSize();
        if (state.flowDeficit[flow] >= static_cast<int64_t>(size))
        {
            return state.firstQueue + flow;
        }
        state.flowDeficit[flow] += m_quantumBase;
        state.activeFlows.pop_front();
        state.activeFlows.push_back(flow);
    }
}

Ptr<QueueDiscItem>
PolicyMapQueueDisc::TakeHead(std::size_t index, std::size_t queue)
{
    ClassState& state = m_classes[index];
    Ptr<QueueDiscItem> item = GetInternalQueue(queue)->Dequeue();
    NS_ASSERT_MSG(item, "selected queue is empty");

    uint32_t flow = static_cast<uint32_t>(queue - state.firstQueue);
    state.flowDepth[flow]--;
    state.stats.depth--;
    m_depth--;
    if (state.queues > 1)
    {
        state.flowDeficit[flow] -= item->GetSize();
        if (state.flowDepth[flow] == 0)
        {
            NS_ASSERT_MSG(state.activeFlows.front() == flow, "served flow is not at the front");
            state.activeFlows.pop_front();
            state.flowDeficit[flow] = 0;
        }
    }
    return item;
}

Ptr<QueueDiscItem>
PolicyMapQueueDisc::DequeuePriority(std::size_t& index)
{
    const std::vector<PolicyMap::Class>& classes = m_policy->GetClasses();
    for (std::size_t i = 0; i < m_classes.size(); ++i)
    {
        ClassState& state = m_classes[i];
        if (classes[i].action != PolicyMap::Action::PRIORITY)
        {
            continue;
        }

        // Refill the policer bucket for the time since the last refill.
        Time now = Simulator::Now();
        state.tokens =
            std::min(state.burst,
                     state.tokens + (now - state.lastRefill).GetSeconds() * state.byteRate);
        state.lastRefill = now;

        while (state.stats.depth > 0)
        {
            Ptr<QueueDiscItem> item = TakeHead(i, state.firstQueue);
            double size = item->GetSize();

            // The policer applies only while other classes have packets waiting.
            bool congested = m_depth > state.stats.depth;
            if (congested && state.tokens < size)
            {
                NS_LOG_LOGIC("class " << classes[i].name << " policed: " << state.tokens
                                      << " tokens for " << size << " bytes");
                DropAfterDequeue(item, POLICER_DROP);
                CountDrop(i, item, POLICER_DROP);
                continue;
            }
            state.tokens = std::max(0.0, state.tokens - size);
            index = i;
            return item;
        }
    }
    return nullptr;
}

Ptr<QueueDiscItem>
PolicyMapQueueDisc::DoDequeue()
{
    NS_LOG_FUNCTION(this);

    // Strict priority first.
    std::size_t index = 0;
    Ptr<QueueDiscItem> item = DequeuePriority(index);
    if (!item)
    {
        // Deficit round robin among the backlogged classes, as for flows in SelectQueue.
        while (!m_activeClasses.empty())
        {
            index = m_activeClasses.front();
            ClassState& state = m_classes[index];
            std::size_t queue = SelectQueue(index);
            uint32_t size = GetInternalQueue(queue)->Peek()->GetSize();
            if (state.deficit < static_cast<int64_t>(size))
            {
                state.deficit += static_cast<int64_t>(state.quantum);
                m_activeClasses.pop_front();
                m_activeClasses.push_back(index);
                continue;
            }

            item = TakeHead(index, queue);
            state.deficit -= item->GetSize();
            if (state.stats.depth == 0)
            {
                m_activeClasses.pop_front();
                state.deficit = 0;
            }
            break;
        }
    }
    if (!item)
    {
        return nullptr;
    }

    ClassStats& stats = m_classes[index].stats;
    stats.transmittedPackets++;
    stats.transmittedBytes += item->GetSize();
    m_classDequeueTrace(m_policy->GetClasses()[index].name, item);
    return item;
}

PolicyMapQueueDisc::ClassStats
PolicyMapQueueDisc::GetClassStats(const std::string& className) const
{
    NS_ABORT_MSG_IF(!m_policy, "PolicyMapQueueDisc::GetClassStats: no policy map");
    int32_t index = m_policy->FindClass(className);
    NS_ABORT_MSG_IF(index < 0,
                    "PolicyMapQueueDisc::GetClassStats: class " << className << " not found");
    if (m_classes.empty())
    {
        return ClassStats();
    }
    return m_classes[index].stats;
}

void
PolicyMapQueueDisc::Show(std::ostream& os) const
{
    if (!m_policy)
    {
        os << "  Service-policy output: none\n";
        return;
    }

    const std::vector<PolicyMap::Class>& classes = m_policy->GetClasses();
    uint64_t linkRate = m_linkRate.GetBitRate();
    os << "\n  Service-policy output: " << m_policy->GetName() << "\n";
    for (std::size_t i = 0; i < classes.size(); ++i)
    {
        const PolicyMap::Class& config = classes[i];
        ClassStats stats = m_classes.empty() ? ClassStats() : m_classes[i].stats;
        bool isDefault = !config.classMap;
        os << "\n    Class-map: " << config.name << " ("
           << (isDefault ? "match-any" : config.classMap->GetMatchModeName()) << ")\n";
        os << "      " << stats.matchedPackets << " packets, " << stats.matchedBytes << " bytes\n";
        if (isDefault)
        {
            os << "      Match: any\n";
        }
        else
        {
            for (const ClassMap::Statement& statement : config.classMap->GetStatements())
            {
                // IOS prints each statement without its leading "match".
                std::string text = statement.text.substr(statement.text.find("match") + 6);
                os << "      Match: " << text << "\n";
            }
        }
        os << "      Queueing\n";
        if (config.action == PolicyMap::Action::PRIORITY)
        {
            uint64_t burst = config.kbps * 1000 / 8 * 2 / 10;
            os << "        Strict Priority\n";
            os << "        Bandwidth " << config.kbps << " (kbps) Burst " << burst << " (Bytes)\n";
            os << "        (pkts matched/bytes matched) " << stats.matchedPackets << "/"
               << stats.matchedBytes << "\n";
            os << "        (total drops/bytes drops) " << stats.drops << "/" << stats.dropBytes
               << "\n";
            os << "        (pkts output/bytes output) " << stats.transmittedPackets << "/"
               << stats.transmittedBytes << "\n";
            continue;
        }
        os << "        queue limit " << config.queueLimit << " packets\n";
        os << "        (queue depth/total drops/no-buffer drops) " << stats.depth << "/"
           << stats.drops << "/0\n";
        os << "        (pkts output/bytes output) " << stats.transmittedPackets << "/"
           << stats.transmittedBytes << "\n";
        if (config.action == PolicyMap::Action::BANDWIDTH && config.percent > 0)
        {
            os << "        bandwidth " << config.percent << "% ("
               << m_policy->GetGuaranteedRate(i, linkRate) / 1000 << " kbps)\n";
        }
        else if (config.action == PolicyMap::Action::BANDWIDTH)
        {
            os << "        bandwidth " << config.kbps << " kbps\n";
        }
        if (config.fairQueue)
        {
            os << "        Fair-queue: per-flow queue limit " << std::max(1u, config.queueLimit / 4)
               << "\n";
            os << "        Maximum Number of Hashed Queues " << config.dynamicQueues << "\n";
        }
    }
}

} // namespace ns3
