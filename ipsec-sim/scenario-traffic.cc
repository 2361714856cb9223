// Copyright (c) 2026 The ns3-ipsec authors
// SPDX-License-Identifier: GPL-2.0-only

#include "scenario-traffic.h"

#include "scenario-udp-source.h"

#include "ns3/boolean.h"
#include "ns3/bulk-send-helper.h"
#include "ns3/class-map.h"
#include "ns3/inet-socket-address.h"
#include "ns3/log.h"
#include "ns3/packet-sink-helper.h"
#include "ns3/packet-sink.h"
#include "ns3/simulator.h"
#include "ns3/uinteger.h"
#include "ns3/v4ping.h"

#include <algorithm>
#include <cmath>

namespace ns3
{

NS_LOG_COMPONENT_DEFINE("IpsecSimTraffic");

namespace
{

/// First UDP or TCP port given to flows that set none; each flow takes the next one.
constexpr uint16_t FIRST_PORT = 5000;
/// DSCP of voice: Expedited Forwarding (RFC 3246).
constexpr uint8_t VOICE_DSCP = 46;

} // namespace

FlowCollector::FlowCollector(const std::string& name)
    : m_name(name)
{
}

void
FlowCollector::CountSent()
{
    ++m_sent;
}

void
FlowCollector::CountReceived(uint32_t bytes, Time delay)
{
    Time now = Simulator::Now();
    if (m_received == 0)
    {
        m_firstArrival = now;
    }
    m_lastArrival = now;
    ++m_received;
    m_bytes += bytes;
    m_delays.push_back(delay);
}

const std::string&
FlowCollector::GetName() const
{
    return m_name;
}

void
FlowCollector::Collect(MetricSet& metrics) const
{
    metrics[m_name + ".sent"] = static_cast<double>(m_sent);
    metrics[m_name + ".received"] = static_cast<double>(m_received);
    metrics[m_name + ".loss"] =
        m_sent == 0
            ? 0.0
            : 1.0 - static_cast<double>(std::min(m_received, m_sent)) / static_cast<double>(m_sent);

    // Delays in ms: the mean, the smallest delay that 99 % of the packets do not exceed, and
    // the jitter as the mean absolute difference of consecutive delays in arrival order.
    double meanMs = 0;
    double p99Ms = 0;
    double jitterMs = 0;
    if (!m_delays.empty())
    {
        std::vector<Time> sorted = m_delays;
        std::sort(sorted.begin(), sorted.end());
        for (const Time& delay : m_delays)
        {
            meanMs += delay.GetSeconds() * 1000;
        }
        meanMs /= static_cast<double>(m_delays.size());
        auto rank = static_cast<std::size_t>(std::ceil(0.99 * static_cast<double>(sorted.size())));
        p99Ms = sorted[std::max<std::size_t>(rank, 1) - 1].GetSeconds() * 1000;
        for (std::size_t i = 1; i < m_delays.size(); ++i)
        {
            jitterMs += std::abs((m_delays[i] - m_delays[i - 1]).GetSeconds()) * 1000;
        }
        if (m_delays.size() > 1)
        {
            jitterMs /= static_cast<double>(m_delays.size() - 1);
        }
    }
    metrics[m_name + ".delay.mean_ms"] = meanMs;
    metrics[m_name + ".delay.p99_ms"] = p99Ms;
    metrics[m_name + ".jitter_ms"] = jitterMs;

    // Throughput counts payload bits from the first to the last arrival.
    double seconds = (m_lastArrival - m_firstArrival).GetSeconds();
    metrics[m_name + ".throughput_mbps"] =
        seconds > 0 ? static_cast<double>(m_bytes) * 8 / seconds / 1e6 : 0.0;
}

void
ScenarioTraffic::Install(const ScenarioFile& file, ScenarioTopology& topology, Time defaultStop)
{
    uint16_t port = FIRST_PORT;
    for (const ScenarioSection* section : file.GetSections("traffic"))
    {
        // A switched-off flow keeps its port, so the other flows' ports do not move.
        if (!file.IsActive(*section))
        {
            CheckFlowValues(file, *section);
            ++port;
            continue;
        }
        CheckFlowValues(file, *section);
        InstallFlow(file, *section, topology, defaultStop, port++);
    }
}

void
ScenarioTraffic::CheckFlowValues(const ScenarioFile& file, const ScenarioSection& section)
{
    std::string type =
        file.GetChoice(section, "type", "", {"ping", "voice", "udp", "onoff", "tcp"});
    Time start = file.GetTime(section, "start", Seconds(1));
    Time stop = file.GetTime(section, "stop", Seconds(0));
    if (section.Has("stop") && stop <= start)
    {
        throw file.ValueError(section, "stop", "use a time after start");
    }
    uint8_t dscp = 0;
    if (section.Has("dscp") && !ClassMap::ParseDscp(section.Get("dscp"), dscp))
    {
        throw file.ValueError(section, "dscp", "use a DSCP number 0 to 63 or a name such as ef");
    }
    file.GetNumber(section, "port", 1, 1, 65535);
    file.GetChoice(section, "df", "0", {"0", "1"});
    file.GetNumber(section, "max-bytes", 0, 0, 1e15);
    for (const char* key : {"interval", "timeout", "on", "off"})
    {
        file.GetTime(section, key, Seconds(1));
    }
    file.GetRate(section, "rate", DataRate("1Mbps"));

    // The ranges of count and size depend on the type, as InstallFlow() applies them.
    if (type == "ping")
    {
        file.GetNumber(section, "count", 5, 1, 1e6);
        file.GetNumber(section, "size", 56, 16, 65000);
    }
    else if (type == "tcp")
    {
        file.GetNumber(section, "count", 0, 0, 1e12);
        file.GetNumber(section, "size", 1000, 24, 65000);
    }
    else
    {
        file.GetNumber(section, "count", 0, 0, 1e12);
        file.GetNumber(section, "size", 1000, 20, 65507);
    }
}

void
ScenarioTraffic::InstallFlow(const ScenarioFile& file,
                             const ScenarioSection& section,
                             ScenarioTopology& topology,
                             Time defaultStop,
                             uint16_t defaultPort)
{
    NS_LOG_FUNCTION(this << section.name);
    std::string type =
        file.GetChoice(section, "type", "", {"ping", "voice", "udp", "onoff", "tcp"});

    // Endpoints: the source is any node, the destination a host (or a router's address).
    Ptr<Node> source = topology.FindNode(section.Get("source"));
    if (!source)
    {
        throw file.ValueError(section, "source", "name a [host.NAME] or [router.NAME]");
    }
    const ScenarioHost* destination = topology.FindHost(section.Get("destination"));
    if (!destination)
    {
        throw file.ValueError(section, "destination", "name a [host.NAME]");
    }
    Time start = file.GetTime(section, "start", Seconds(1));
    Time stop = file.GetTime(section, "stop", defaultStop);
    if (section.Has("stop") && stop <= start)
    {
        throw file.ValueError(section, "stop", "use a time after start");
    }
    uint8_t dscp = type == "voice" ? VOICE_DSCP : 0;
    if (section.Has("dscp") && !ClassMap::ParseDscp(section.Get("dscp"), dscp))
    {
        throw file.ValueError(section, "dscp", "use a DSCP number 0 to 63 or a name such as ef");
    }
    auto port = static_cast<uint16_t>(file.GetNumber(section, "port", defaultPort, 1, 65535));

    m_flows.push_back(std::make_unique<FlowCollector>(section.name));
    FlowCollector* collector = m_flows.back().get();

    // Every flow stops at the duration at the latest, so --duration shortens every flow.
    stop = std::min(stop, defaultStop);
    if (stop <= start)
    {
        NS_LOG_WARN("flow " << section.name << " starts at " << start.As(Time::S)
                            << ", not before the end of the duration: it sends nothing");
        return;
    }

    if (type == "ping")
    {
        // NOTE: a reply that arrives after the stop time is lost, because V4Ping closes its
        // socket when it stops. The stop time is at most start + count * interval.
        auto count = static_cast<uint32_t>(file.GetNumber(section, "count", 5, 1, 1e6));
        Time interval = file.GetTime(section, "interval", Seconds(1));
        Time timeout = file.GetTime(section, "timeout", Seconds(2));
        Ptr<V4Ping> ping = CreateObject<V4Ping>();
        ping->SetAttribute("Remote", Ipv4AddressValue(destination->address));
        ping->SetAttribute("Interval", TimeValue(interval));
        ping->SetAttribute(
            "Size",
            UintegerValue(static_cast<uint32_t>(file.GetNumber(section, "size", 56, 16, 65000))));
        ping->SetStartTime(start);
        Time pingStop = std::min(stop, start + interval * count);
        ping->SetStopTime(pingStop);
        source->AddApplication(ping);
        for (uint32_t i = 0; i < count && start + interval * i < pingStop; ++i)
        {
            Simulator::Schedule(start + interval * i, &FlowCollector::CountSent, collector);
        }
        ping->TraceConnectWithoutContext(
            "Rtt",
            MakeCallback(+[](FlowCollector* flow, Time timeout, Time rtt) {
                if (rtt <= timeout)
                {
                    flow->CountReceived(0, rtt);
                }
            }).Bind(collector, timeout));
        return;
    }

    // Every other flow ends in a packet sink that reads the sequence and timestamp header.
    std::string factory = type == "tcp" ? "ns3::TcpSocketFactory" : "ns3::UdpSocketFactory";
    PacketSinkHelper sinkHelper(factory, InetSocketAddress(Ipv4Address::GetAny(), port));
    sinkHelper.SetAttribute("EnableSeqTsSizeHeader", BooleanValue(true));
    Ptr<Application> sink = sinkHelper.Install(destination->node).Get(0);
    sink->SetStartTime(Seconds(0));
    sink->TraceConnectWithoutContext("RxWithSeqTsSize",
                                     MakeCallback(+[](FlowCollector* flow,
                                                      Ptr<const Packet> packet,
                                                      const Address&,
                                                      const Address&,
                                                      const SeqTsSizeHeader& header) {
                                         flow->CountReceived(
                                             static_cast<uint32_t>(header.GetSize()),
                                             Simulator::Now() - header.GetTs());
                                     }).Bind(collector));

    InetSocketAddress remote(destination->address, port);
    if (type == "tcp")
    {
        remote.SetTos(static_cast<uint8_t>(dscp << 2));
        BulkSendHelper bulk("ns3::TcpSocketFactory", remote);
        bulk.SetAttribute(
            "MaxBytes",
            UintegerValue(static_cast<uint64_t>(file.GetNumber(section, "max-bytes", 0, 0, 1e15))));
        bulk.SetAttribute(
            "SendSize",
            UintegerValue(static_cast<uint32_t>(file.GetNumber(section, "size", 1000, 24, 65000))));
        bulk.SetAttribute("EnableSeqTsSizeHeader", BooleanValue(true));
        Ptr<Application> sender = bulk.Install(source).Get(0);
        sender->SetStartTime(start);
        sender->SetStopTime(stop);
        sender->TraceConnectWithoutContext(
            "Tx",
            MakeCallback(+[](FlowCollector* flow, Ptr<const Packet>) {
                flow->CountSent();
            }).Bind(collector));
        return;
    }

    // Voice is G.711 with 20 ms packetisation: 160 bytes every 20 ms (64 kb/s).
    uint32_t size = type == "voice" ? 160 : 1000;
    size = static_cast<uint32_t>(file.GetNumber(section, "size", size, 20, 65507));
    Time interval = MilliSeconds(20);
    if (type != "voice" || section.Has("rate"))
    {
        DataRate rate = file.GetRate(section, "rate", DataRate("1Mbps"));
        interval = rate.CalculateBytesTxTime(size);
    }
    if (section.Has("interval"))
    {
        interval = file.GetTime(section, "interval", interval);
    }
    if (interval.IsZero())
    {
        throw file.ValueError(section, "interval", "use a time above 0");
    }
    Ptr<ScenarioUdpSource> sender = CreateObject<ScenarioUdpSource>();
    sender->SetAttribute("Remote", AddressValue(remote));
    sender->SetAttribute("PacketSize", UintegerValue(size));
    sender->SetAttribute("Interval", TimeValue(interval));
    sender->SetAttribute("Dscp", UintegerValue(dscp));
    sender->SetAttribute("DontFragment",
                         BooleanValue(file.GetChoice(section, "df", "0", {"0", "1"}) == "1"));
    sender->SetAttribute(
        "MaxPackets",
        UintegerValue(static_cast<uint64_t>(file.GetNumber(section, "count", 0, 0, 1e12))));
    if (type == "onoff")
    {
        sender->SetAttribute("OnTime", TimeValue(file.GetTime(section, "on", Seconds(1))));
        sender->SetAttribute("OffTime", TimeValue(file.GetTime(section, "off", Seconds(1))));
    }
    sender->SetStartTime(start);
    sender->SetStopTime(stop);
    source->AddApplication(sender);
    sender->TraceConnectWithoutContext("Tx",
                                       MakeCallback(+[](FlowCollector* flow, Ptr<const Packet>) {
                                           flow->CountSent();
                                       }).Bind(collector));
}

void
ScenarioTraffic::Collect(MetricSet& metrics) const
{
    for (const auto& flow : m_flows)
    {
        flow->Collect(metrics);
    }
}

} // namespace ns3
