// Copyright (c) 2026 The ns3-ipsec authors
// SPDX-License-Identifier: GPL-2.0-only

// Scenario-specific metric hooks, named in a scenario's `[scenario] hooks` key. A new
// scenario that needs metrics the generic collectors lack adds a hook here.

#include "scenario-metrics.h"
#include "scenario-topology.h"

#include "ns3/ike-daemon.h"
#include "ns3/ike-invalid-spi-handler.h"
#include "ns3/ipsec-net-device.h"
#include "ns3/ipsec-sadb.h"
#include "ns3/ipsec-security-association.h"
#include "ns3/ipsec-stack.h"
#include "ns3/isakmp-keepalive.h"
#include "ns3/packet.h"
#include "ns3/simulator.h"

#include <algorithm>
#include <optional>
#include <set>
#include <sstream>

namespace ns3
{

namespace
{

/// Bytes of the PPP header in front of each frame on a point-to-point link.
constexpr uint32_t PPP_HEADER_SIZE = 2;

/**
 * \ingroup ipsec
 * Metrics of the fragmentation study: `outcome`, `fragments.per_packet` and `goodput_mbps`.
 *
 * `outcome` is "dropped" when any router dropped a packet for DF (fragmentation needed),
 * else "before-encryption" or "after-encryption" when a router fragmented that way, else
 * "unfragmented". `fragments.per_packet` is the number of ESP or AH frames (fragments
 * included) that left the routers' crypto map interfaces, divided by the packets all flows
 * sent. `goodput_mbps` is the sum of the flows' `throughput_mbps`.
 */
class FragmentationHook : public MetricHook
{
  public:
    void Connect(ScenarioTopology& topology) override
    {
        for (const ScenarioRouter& router : topology.GetRouters())
        {
            Ptr<IpsecStack> stack = router.node->GetObject<IpsecStack>();
            if (!stack)
            {
                continue;
            }
            for (const Ptr<IpsecNetDevice>& device : stack->GetDevices())
            {
                if (device->GetCryptoMap())
                {
                    device->GetLowerDevice()->TraceConnectWithoutContext(
                        "PhyTxBegin",
                        MakeCallback(&FragmentationHook::CountFrame, this));
                }
            }
        }
    }

    void Collect(const ScenarioTopology& topology, MetricSet& metrics) override
    {
        double sent = 0;
        double goodput = 0;
        for (const auto& [key, value] : metrics)
        {
            if (key.size() > 5 && key.compare(key.size() - 5, 5, ".sent") == 0)
            {
                sent += value.number;
            }
            if (key.size() > 16 && key.compare(key.size() - 16, 16, ".throughput_mbps") == 0)
            {
                goodput += value.number;
            }
        }
        metrics["fragments.per_packet"] = sent > 0 ? static_cast<double>(m_frames) / sent : 0.0;
        metrics["goodput_mbps"] = goodput;

        if (metrics["drops.fragmentation_needed"].number > 0)
        {
            metrics["outcome"] = "dropped";
        }
        else if (metrics["fragments.before_encryption"].number > 0)
        {
            metrics["outcome"] = "before-encryption";
        }
        else if (metrics["fragments.after_encryption"].number > 0)
        {
            metrics["outcome"] = "after-encryption";
        }
        else
        {
            metrics["outcome"] = "unfragmented";
        }
    }

  private:
    /// Counts a frame that carries ESP or AH, whole or a fragment.
    void CountFrame(Ptr<const Packet> frame)
    {
        uint8_t bytes[PPP_HEADER_SIZE + 10];
        if (frame->CopyData(bytes, sizeof(bytes)) != sizeof(bytes))
        {
            return;
        }
        const uint8_t* ip = bytes + PPP_HEADER_SIZE;
        if ((ip[0] >> 4) == 4 && (ip[9] == 50 || ip[9] == 51))
        {
            ++m_frames;
        }
    }

    uint64_t m_frames{0}; //!< ESP and AH frames sent
};

/**
 * Sums the flows' `NAME.sent` minus `NAME.received`.
 * \param metrics the metrics collected so far
 * \return the packets the flows lost
 */
double
FlowLoss(const MetricSet& metrics)
{
    double lost = 0;
    for (const auto& [key, value] : metrics)
    {
        if (key.size() > 5 && key.compare(key.size() - 5, 5, ".sent") == 0)
        {
            std::string flow = key.substr(0, key.size() - 5);
            auto received = metrics.find(flow + ".received");
            if (received != metrics.end() && !value.isText)
            {
                lost += value.number - received->second.number;
            }
        }
    }
    return lost;
}

/**
 * \ingroup ipsec
 * Metrics of the IKE setup study.
 *
 * `setup.time_ms` runs from the first ISAKMP message any router sent (main mode message 1
 * goes out when the first packet matches an entry without SAs) to the first packet any
 * router protected; -1 if none was protected. `packets.dropped_during_setup` counts the
 * packets the routers dropped for want of an SA before that first protected packet, and
 * `ike.messages` every ISAKMP message sent, retransmissions included.
 */
class IkeSetupHook : public MetricHook
{
  public:
    void Connect(ScenarioTopology& topology) override
    {
        for (const ScenarioRouter& router : topology.GetRouters())
        {
            Ptr<IkeDaemon> daemon = router.node->GetObject<IkeDaemon>();
            if (daemon)
            {
                daemon->TraceConnectWithoutContext("MessageSent",
                                                   MakeCallback(&IkeSetupHook::IkeSent, this));
            }
            Ptr<IpsecStack> stack = router.node->GetObject<IpsecStack>();
            if (stack)
            {
                stack->TraceConnectWithoutContext("Encrypt",
                                                  MakeCallback(&IkeSetupHook::Protected, this));
                stack->TraceConnectWithoutContext("Drop",
                                                  MakeCallback(&IkeSetupHook::Dropped, this));
            }
        }
    }

    void Collect(const ScenarioTopology& topology, MetricSet& metrics) override
    {
        metrics["setup.time_ms"] =
            m_protected && m_firstIke ? (*m_protected - *m_firstIke).GetSeconds() * 1000.0 : -1.0;
        metrics["packets.dropped_during_setup"] = static_cast<double>(m_setupDrops);
        metrics["ike.messages"] = static_cast<double>(m_ikeMessages);
    }

  private:
    /// Records an ISAKMP message sent.
    void IkeSent(Ptr<const Packet> packet, Ipv4Address peer)
    {
        ++m_ikeMessages;
        if (!m_firstIke)
        {
            m_firstIke = Simulator::Now();
        }
    }

    /// Records the first protected packet.
    void Protected(Ptr<const Packet> packet, Ptr<const IpsecSecurityAssociation> sa)
    {
        if (!m_protected)
        {
            m_protected = Simulator::Now();
        }
    }

    /// Counts a packet dropped for want of an SA while the first SAs are negotiated.
    void Dropped(Ptr<const Packet> packet,
                 IpsecDropReason reason,
                 Ptr<const IpsecSecurityAssociation> sa)
    {
        if (reason == IpsecDropReason::NO_SA && !m_protected)
        {
            ++m_setupDrops;
        }
    }

    std::optional<Time> m_firstIke;  //!< first ISAKMP message
    std::optional<Time> m_protected; //!< first protected packet
    uint64_t m_setupDrops{0};        //!< NO_SA drops before the first protected packet
    uint64_t m_ikeMessages{0};       //!< ISAKMP messages sent
};

/// Interval at which the idle-timer hook samples the number of SAs.
const Time SA_SAMPLE_INTERVAL = MilliSeconds(100);

/**
 * \ingroup ipsec
 * Metrics of the idle timer study.
 *
 * `sa.peak` is the largest number of inbound SAs one router held, sampled every 100 ms.
 * `spokes.refused` is the number of distinct peers for which a crypto engine rejected an SA
 * set for lack of room, `sa.rejected` the number of SA sets rejected. `sa.deleted_idle` counts
 * inbound SAs deleted by the idle timer, and `ike.deleted` the IKE SAs deleted (by their
 * lifetime, a DELETE, or a clear command).
 */
class IdleTimerHook : public MetricHook
{
  public:
    void Connect(ScenarioTopology& topology) override
    {
        for (const ScenarioRouter& router : topology.GetRouters())
        {
            Ptr<IpsecStack> stack = router.node->GetObject<IpsecStack>();
            if (!stack)
            {
                continue;
            }
            m_stacks.push_back(stack);
            stack->TraceConnectWithoutContext("SaDeleted",
                                              MakeCallback(&IdleTimerHook::SaDeleted, this));
            stack->TraceConnectWithoutContext("SaCapacityRejected",
                                              MakeCallback(&IdleTimerHook::Rejected, this));
            Ptr<IkeDaemon> daemon = router.node->GetObject<IkeDaemon>();
            if (daemon)
            {
                daemon->TraceConnectWithoutContext("StateChange",
                                                   MakeCallback(&IdleTimerHook::IkeState, this));
            }
        }
        Simulator::Schedule(SA_SAMPLE_INTERVAL, &IdleTimerHook::Sample, this);
    }

    void Collect(const ScenarioTopology& topology, MetricSet& metrics) override
    {
        metrics["sa.peak"] = static_cast<double>(m_peak);
        metrics["spokes.refused"] = static_cast<double>(m_rejectedPeers.size());
        metrics["sa.rejected"] = static_cast<double>(m_rejected);
        metrics["sa.deleted_idle"] = static_cast<double>(m_idleDeleted);
        metrics["ike.deleted"] = static_cast<double>(m_ikeDeleted);
    }

  private:
    /// Samples the routers' inbound SA counts; the run's stop time ends the sampling.
    void Sample()
    {
        for (const Ptr<IpsecStack>& stack : m_stacks)
        {
            m_peak = std::max<uint64_t>(m_peak, stack->GetSadb()->GetInboundSas().size());
        }
        Simulator::Schedule(SA_SAMPLE_INTERVAL, &IdleTimerHook::Sample, this);
    }

    /// Counts an inbound SA deleted by the idle timer.
    void SaDeleted(Ptr<const IpsecSecurityAssociation> sa, IpsecSaDeleteReason reason)
    {
        if (reason == IpsecSaDeleteReason::IDLE && sa->GetDirection() == IpsecDirection::INBOUND)
        {
            ++m_idleDeleted;
        }
    }

    /// Records an SA set the crypto engine rejected.
    void Rejected(Ipv4Address peer, uint32_t requested, uint32_t capacity)
    {
        ++m_rejected;
        m_rejectedPeers.insert(peer.Get());
    }

    /// Counts a deleted IKE SA.
    void IkeState(Ptr<const IkeSa> sa, IkeSaState oldState, IkeSaState newState, bool deleted)
    {
        if (deleted)
        {
            ++m_ikeDeleted;
        }
    }

    std::vector<Ptr<IpsecStack>> m_stacks; //!< the routers' stacks
    uint64_t m_peak{0};                    //!< maximum inbound SAs on one router
    std::set<uint32_t> m_rejectedPeers;    //!< peers rejected at least once
    uint64_t m_rejected{0};                //!< SA sets rejected
    uint64_t m_idleDeleted{0};             //!< inbound SAs deleted as idle
    uint64_t m_ikeDeleted{0};              //!< IKE SAs deleted
};

/**
 * \ingroup ipsec
 * Metrics of the dead peer detection study. The fault is the first reboot of a router.
 *
 * `dpd.detection_s` runs from the fault to the first time a router declared a peer dead,
 * and `failover.time_s` from the fault to the first packet protected for a peer other than
 * the dead one. Both are -1 when it did not happen. `packets.lost` is the flows' sent minus
 * received packets. `dpd.messages` counts the R-U-THERE and R-U-THERE-ACK messages sent,
 * retransmissions included.
 */
class DpdHook : public MetricHook
{
  public:
    void Connect(ScenarioTopology& topology) override
    {
        for (const ScenarioRouter& router : topology.GetRouters())
        {
            Ptr<IpsecStack> stack = router.node->GetObject<IpsecStack>();
            if (!stack)
            {
                continue;
            }
            stack->TraceConnectWithoutContext("RebootStart", MakeCallback(&DpdHook::Fault, this));
            stack->TraceConnectWithoutContext("Encrypt", MakeCallback(&DpdHook::Protected, this));
            Ptr<IsakmpKeepalive> keepalive = router.node->GetObject<IsakmpKeepalive>();
            if (keepalive)
            {
                keepalive->TraceConnectWithoutContext("PeerDead",
                                                      MakeCallback(&DpdHook::PeerDead, this));
                keepalive->TraceConnectWithoutContext("DpdMessageSent",
                                                      MakeCallback(&DpdHook::DpdSent, this));
            }
        }
    }

    void Collect(const ScenarioTopology& topology, MetricSet& metrics) override
    {
        auto since = [this](const std::optional<Time>& time) {
            return time && m_fault ? (*time - *m_fault).GetSeconds() : -1.0;
        };
        metrics["dpd.detection_s"] = since(m_dead);
        metrics["failover.time_s"] = since(m_failedOver);
        metrics["packets.lost"] = FlowLoss(metrics);
        metrics["dpd.messages"] = static_cast<double>(m_messages);
    }

  private:
    /// Records the first reboot as the fault.
    void Fault(Time bootTime)
    {
        if (!m_fault)
        {
            m_fault = Simulator::Now();
        }
    }

    /// Records the first peer declared dead.
    void PeerDead(Ipv4Address peer, Time firstUnanswered)
    {
        if (!m_dead && m_fault)
        {
            m_dead = Simulator::Now();
            m_deadPeer = peer;
        }
    }

    /// Records the first packet protected for another peer after a peer was declared dead.
    void Protected(Ptr<const Packet> packet, Ptr<const IpsecSecurityAssociation> sa)
    {
        if (m_dead && !m_failedOver && sa->GetPeerAddress() != m_deadPeer)
        {
            m_failedOver = Simulator::Now();
        }
    }

    /// Counts a DPD message sent.
    void DpdSent(Ipv4Address peer, uint16_t type, uint32_t sequence)
    {
        ++m_messages;
    }

    std::optional<Time> m_fault;      //!< first reboot
    std::optional<Time> m_dead;       //!< first peer declared dead after it
    Ipv4Address m_deadPeer;           //!< that peer
    std::optional<Time> m_failedOver; //!< first packet protected for another peer
    uint64_t m_messages{0};           //!< DPD messages sent
};

/**
 * \ingroup ipsec
 * Metrics of the invalid SPI study.
 *
 * `blackhole.duration_s` runs from the first packet a router dropped for an unknown SPI to
 * the next packet that router decrypted, or to the end of the run if none (0 if no packet
 * had an unknown SPI). `packets.lost` is the flows' sent minus received packets.
 * `recovery.started` counts the invalid SPI recoveries the routers started, and
 * `recovery.suppressed` the invalid SPI events that started none because recovery is off,
 * the rate limit applies or a recovery is already running. `invalid_spi.notifies` counts
 * the INVALID_SPI notifications sent.
 */
class InvalidSpiHook : public MetricHook
{
  public:
    void Connect(ScenarioTopology& topology) override
    {
        for (const ScenarioRouter& router : topology.GetRouters())
        {
            Ptr<IpsecStack> stack = router.node->GetObject<IpsecStack>();
            if (!stack)
            {
                continue;
            }
            uint32_t id = router.node->GetId();
            stack->TraceConnectWithoutContext(
                "Drop",
                MakeBoundCallback(&InvalidSpiHook::Dropped, this, id));
            stack->TraceConnectWithoutContext(
                "Decrypt",
                MakeBoundCallback(&InvalidSpiHook::Decrypted, this, id));
        }
    }

    void Collect(const ScenarioTopology& topology, MetricSet& metrics) override
    {
        double blackHole = 0;
        if (m_start)
        {
            blackHole = ((m_end ? *m_end : Simulator::Now()) - *m_start).GetSeconds();
        }
        uint64_t started = 0;
        uint64_t suppressed = 0;
        uint64_t notifies = 0;
        for (const ScenarioRouter& router : topology.GetRouters())
        {
            Ptr<IkeInvalidSpiHandler> handler = router.node->GetObject<IkeInvalidSpiHandler>();
            if (handler)
            {
                started += handler->GetRecoveriesStarted();
                suppressed += handler->GetRecoveriesSuppressed();
                notifies += handler->GetNotifiesSent();
            }
        }
        metrics["blackhole.duration_s"] = blackHole;
        metrics["packets.lost"] = FlowLoss(metrics);
        metrics["recovery.started"] = static_cast<double>(started);
        metrics["recovery.suppressed"] = static_cast<double>(suppressed);
        metrics["invalid_spi.notifies"] = static_cast<double>(notifies);
    }

  private:
    /// Records the first packet dropped for an unknown SPI.
    static void Dropped(InvalidSpiHook* hook,
                        uint32_t node,
                        Ptr<const Packet> packet,
                        IpsecDropReason reason,
                        Ptr<const IpsecSecurityAssociation> sa)
    {
        if (reason == IpsecDropReason::INVALID_SPI && !hook->m_start)
        {
            hook->m_start = Simulator::Now();
            hook->m_node = node;
        }
    }

    /// Records the first packet the same router decrypted after that drop.
    static void Decrypted(InvalidSpiHook* hook,
                          uint32_t node,
                          Ptr<const Packet> packet,
                          Ptr<const IpsecSecurityAssociation> sa)
    {
        if (hook->m_start && !hook->m_end && node == hook->m_node)
        {
            hook->m_end = Simulator::Now();
        }
    }

    std::optional<Time> m_start; //!< first unknown-SPI drop
    std::optional<Time> m_end;   //!< next decryption on that router
    uint32_t m_node{0};          //!< that router's node
};

/**
 * \ingroup ipsec
 * Reports the replay window of every inbound SA at the end of the run, as
 * `replay.window.ROUTER.PEER` (the peer's address with '_' for '.'): the window size in
 * packets, 0 when replay checking is disabled. With several inbound SAs per peer (ESP and
 * AH, or rekeys) the largest size is reported.
 */
class ReplayWindowHook : public MetricHook
{
  public:
    void Connect(ScenarioTopology& topology) override
    {
    }

    void Collect(const ScenarioTopology& topology, MetricSet& metrics) override
    {
        for (const ScenarioRouter& router : topology.GetRouters())
        {
            Ptr<IpsecStack> stack = router.node->GetObject<IpsecStack>();
            if (!stack)
            {
                continue;
            }
            for (const auto& sa : stack->GetSadb()->GetInboundSas())
            {
                std::ostringstream peer;
                peer << sa->GetPeerAddress();
                std::string name = peer.str();
                std::replace(name.begin(), name.end(), '.', '_');
                const AntiReplayWindow& window = sa->GetReplayWindow();
                double size = window.IsEnabled() ? window.GetSize() : 0;
                MetricValue& value = metrics["replay.window." + router.name + "." + name];
                value.number = std::max(value.number, size);
            }
        }
    }
};
} // namespace

const std::map<std::string, ScenarioMetrics::HookFactory>&
ScenarioMetrics::GetHookFactories()
{
    static const std::map<std::string, HookFactory> factories = {
        {"fragmentation",
         []() {
             return std::make_unique<FragmentationHook>();
         }},
        {"ike-setup",
         []() {
             return std::make_unique<IkeSetupHook>();
         }},
        {"idle-timer",
         []() {
             return std::make_unique<IdleTimerHook>();
         }},
        {"dpd",
         []() {
             return std::make_unique<DpdHook>();
         }},
        {"invalid-spi",
         []() {
             return std::make_unique<InvalidSpiHook>();
         }},
        {"replay-windows",
         []() {
             return std::make_unique<ReplayWindowHook>();
         }},
    };
    return factories;
}

} // namespace ns3
