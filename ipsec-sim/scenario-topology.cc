// Copyright (c) 2026 The ns3-ipsec authors
// SPDX-License-Identifier: GPL-2.0-only

#include "scenario-topology.h"

#include "dscp-packet-filter.h"

#include "ns3/class-map.h"
#include "ns3/crypto-map.h"
#include "ns3/internet-stack-helper.h"
#include "ns3/ios-config-loader.h"
#include "ns3/ios-config.h"
#include "ns3/ipsec-crypto-engine.h"
#include "ns3/ipsec-helper.h"
#include "ns3/ipsec-net-device.h"
#include "ns3/ipsec-stack.h"
#include "ns3/ipv4-static-routing-helper.h"
#include "ns3/ipv4.h"
#include "ns3/log.h"
#include "ns3/names.h"
#include "ns3/net-device-queue-interface.h"
#include "ns3/point-to-point-helper.h"
#include "ns3/pointer.h"
#include "ns3/prio-queue-disc.h"
#include "ns3/string.h"
#include "ns3/traffic-control-helper.h"
#include "ns3/traffic-control-layer.h"
#include "ns3/uinteger.h"

#include <algorithm>
#include <cstdlib>
#include <fstream>
#include <sstream>

namespace ns3
{

NS_LOG_COMPONENT_DEFINE("IpsecSimTopology");

namespace
{

/// \return the words of a list separated by commas or blanks
std::vector<std::string>
SplitList(const std::string& text, const std::string& separators = ", \t")
{
    std::vector<std::string> words;
    std::size_t position = 0;
    while (position < text.size())
    {
        std::size_t start = text.find_first_not_of(separators, position);
        if (start == std::string::npos)
        {
            break;
        }
        std::size_t end = text.find_first_of(separators, start);
        words.push_back(text.substr(start, end - start));
        position = end == std::string::npos ? text.size() : end;
    }
    return words;
}

/// \return true if the text is a dotted-quad IPv4 address, stored in address
bool
ParseIpv4(const std::string& text, Ipv4Address& address)
{
    std::vector<std::string> parts = SplitList(text, ".");
    if (parts.size() != 4 || std::count(text.begin(), text.end(), '.') != 3)
    {
        return false;
    }
    for (const std::string& part : parts)
    {
        if (part.empty() || part.size() > 3 ||
            part.find_first_not_of("0123456789") != std::string::npos || std::stoi(part) > 255)
        {
            return false;
        }
    }
    address = Ipv4Address(text.c_str());
    return true;
}

/// SPI offset between the traffic classes of a manually keyed entry (class c adds c times it).
constexpr uint32_t CLASS_SPI_STEP = 0x10000000;

} // namespace

void
ScenarioTopology::Build(const ScenarioFile& file)
{
    NS_LOG_FUNCTION(this << file.GetPath());

    // Nodes first, so that links can name them in any order.
    for (const ScenarioSection* section : file.GetSections("router"))
    {
        ScenarioRouter router;
        router.name = section->name;
        router.node = CreateObject<Node>();
        Names::Add(router.name, router.node);
        m_routers.push_back(router);
    }
    for (const ScenarioSection* section : file.GetSections("host"))
    {
        if (FindNode(section->name))
        {
            throw SimInputError(file.GetPath() + ":" + std::to_string(section->line) + ": host '" +
                                section->name +
                                "' has the name of a router: give each node its own name");
        }
        ScenarioHost host;
        host.name = section->name;
        host.node = CreateObject<Node>();
        Names::Add(host.name, host.node);
        m_hosts.push_back(host);
    }

    InternetStackHelper internet;
    for (const ScenarioRouter& router : m_routers)
    {
        internet.Install(router.node);
    }
    for (const ScenarioHost& host : m_hosts)
    {
        internet.Install(host.node);
    }

    // Links, with their queue discs, before any address exists.
    for (const ScenarioSection* section : file.GetSections("link"))
    {
        BuildLink(file, *section);
    }

    std::vector<const ScenarioSection*> routerSections = file.GetSections("router");
    for (std::size_t i = 0; i < routerSections.size(); ++i)
    {
        SetAttributes(file, *routerSections[i], m_routers[i]);
        ConfigureRouter(file, *routerSections[i], m_routers[i]);
        ApplyModuleKeys(file, *routerSections[i], m_routers[i]);
    }
    std::vector<const ScenarioSection*> hostSections = file.GetSections("host");
    for (std::size_t i = 0; i < hostSections.size(); ++i)
    {
        ConfigureHost(file, *hostSections[i], m_hosts[i]);
    }
}

void
ScenarioTopology::BuildLink(const ScenarioFile& file, const ScenarioSection& section)
{
    NS_LOG_FUNCTION(this << section.name);
    std::vector<std::string> endpoints = SplitList(section.Get("endpoints"));
    if (endpoints.size() != 2)
    {
        throw file.ValueError(section,
                              "endpoints",
                              "name two endpoints, each ROUTER:INTERFACE or a host name, "
                              "e.g. gatewayA:Ethernet0/0 hostA");
    }

    // Each endpoint is a router interface (named for the IOS configuration) or a host.
    std::vector<Ptr<Node>> nodes;
    for (const std::string& endpoint : endpoints)
    {
        std::size_t colon = endpoint.find(':');
        std::string nodeName = endpoint.substr(0, colon);
        Ptr<Node> node = FindNode(nodeName);
        bool isRouter = FindRouter(nodeName) != nullptr;
        if (!node || isRouter != (colon != std::string::npos) ||
            (isRouter && colon + 1 >= endpoint.size()))
        {
            throw file.ValueError(section,
                                  "endpoints",
                                  "'" + endpoint +
                                      "' is neither ROUTER:INTERFACE of a [router.NAME] nor "
                                      "the name of a [host.NAME]");
        }
        nodes.push_back(node);
    }

    PointToPointHelper pointToPoint;
    pointToPoint.SetDeviceAttribute(
        "DataRate",
        DataRateValue(file.GetRate(section, "rate", DataRate("100Mbps"))));
    pointToPoint.SetDeviceAttribute(
        "Mtu",
        UintegerValue(static_cast<uint16_t>(file.GetNumber(section, "mtu", 1500, 68, 65535))));
    pointToPoint.SetChannelAttribute("Delay",
                                     TimeValue(file.GetTime(section, "delay", MilliSeconds(1))));
    if (section.Has("queue"))
    {
        QueueSizeValue size;
        if (!size.DeserializeFromString(section.Get("queue"), MakeQueueSizeChecker()))
        {
            throw file.ValueError(section, "queue", "use a device queue size such as 1p or 100p");
        }
        pointToPoint.SetQueue("ns3::DropTailQueue", "MaxSize", size);
    }
    NetDeviceContainer devices = pointToPoint.Install(nodes[0], nodes[1]);

    ScenarioLink link;
    link.name = section.name;
    link.loss = file.GetNumber(section, "loss", 0, 0, 1);
    for (uint32_t i = 0; i < 2; ++i)
    {
        link.devices.push_back(devices.Get(i));

        // Every link gets error models, so link-down events work on any link; a disabled
        // model draws no random numbers.
        Ptr<RateErrorModel> errors = CreateObject<RateErrorModel>();
        errors->SetUnit(RateErrorModel::ERROR_UNIT_PACKET);
        errors->SetRate(link.loss);
        if (link.loss == 0)
        {
            errors->Disable();
        }
        devices.Get(i)->SetAttribute("ReceiveErrorModel", PointerValue(errors));
        link.errorModels.push_back(errors);

        std::size_t colon = endpoints[i].find(':');
        if (colon == std::string::npos)
        {
            if (m_hostDevices.count(endpoints[i]))
            {
                throw file.ValueError(section,
                                      "endpoints",
                                      "host '" + endpoints[i] +
                                          "' is already on another link: a host has one link");
            }
            m_hostDevices[endpoints[i]] = devices.Get(i);
            continue;
        }
        ScenarioRouter* router = FindMutableRouter(endpoints[i].substr(0, colon));
        std::string interface = endpoints[i].substr(colon + 1);
        if (router->lowerDevices.count(interface))
        {
            throw file.ValueError(section,
                                  "endpoints",
                                  "interface " + endpoints[i] + " is already on another link");
        }
        router->lowerDevices[interface] = devices.Get(i);
    }

    // A strict priority queue on one endpoint: listed DSCPs in band 0, the rest in band 1.
    if (section.Has("priority-queue"))
    {
        std::string endpoint = section.Get("priority-queue");
        auto position = std::find(endpoints.begin(), endpoints.end(), endpoint);
        if (position == endpoints.end())
        {
            throw file.ValueError(section, "priority-queue", "name one of the link's endpoints");
        }
        std::vector<uint8_t> dscps;
        for (const std::string& word : SplitList(section.Get("priority-queue.dscp", "ef")))
        {
            uint8_t dscp;
            if (!ClassMap::ParseDscp(word, dscp))
            {
                throw file.ValueError(section,
                                      "priority-queue.dscp",
                                      "use DSCP numbers 0 to 63 or names such as ef, af41");
            }
            dscps.push_back(dscp);
        }
        std::vector<std::string> limits =
            SplitList(section.Get("priority-queue.limits", "100p,400p"));
        QueueSizeValue bandLimits[2];
        if (limits.size() != 2 ||
            !bandLimits[0].DeserializeFromString(limits[0], MakeQueueSizeChecker()) ||
            !bandLimits[1].DeserializeFromString(limits[1], MakeQueueSizeChecker()))
        {
            throw file.ValueError(section,
                                  "priority-queue.limits",
                                  "give the two band sizes, e.g. 100p,400p");
        }
        TrafficControlHelper trafficControl;
        uint16_t root = trafficControl.SetRootQueueDisc("ns3::PrioQueueDisc");
        TrafficControlHelper::ClassIdList bands =
            trafficControl.AddQueueDiscClasses(root, 2, "ns3::QueueDiscClass");
        for (uint32_t band = 0; band < 2; ++band)
        {
            trafficControl.AddChildQueueDisc(root,
                                             bands[band],
                                             "ns3::FifoQueueDisc",
                                             "MaxSize",
                                             bandLimits[band]);
        }
        Ptr<NetDevice> device = devices.Get(position - endpoints.begin());
        Ptr<QueueDisc> queueDisc = trafficControl.Install(device).Get(0);
        Ptr<DscpPacketFilter> filter = CreateObject<DscpPacketFilter>();
        filter->SetPriorityDscps(dscps);
        queueDisc->AddPacketFilter(filter);
        ScenarioRouter* router = FindMutableRouter(endpoint.substr(0, endpoint.find(':')));
        if (router)
        {
            router->egressQueues.push_back(queueDisc);
        }
    }
    m_links.push_back(link);
}

std::string
ScenarioTopology::ReadRouterConfig(const ScenarioFile& file,
                                   const ScenarioSection& section,
                                   std::string& text)
{
    if (!section.Has("config"))
    {
        throw SimInputError(file.GetPath() + ":" + std::to_string(section.line) + ": [router." +
                            section.name + "] has no 'config': name its IOS configuration file");
    }
    std::string path = section.Get("config");
    if (path.empty())
    {
        throw file.ValueError(section,
                              "config",
                              "name an IOS configuration file, relative to the scenario file");
    }
    if (path.front() != '/')
    {
        path = file.GetDirectory() + "/" + path;
    }

    uint32_t badLine = 0;
    std::string problem = ReadInputFile(path, text, badLine);
    if (badLine != 0)
    {
        throw SimInputError(path + ":" + std::to_string(badLine) + ": the configuration " +
                            problem);
    }
    if (!problem.empty())
    {
        throw file.ValueError(section,
                              "config",
                              problem == "is empty" ? "the file is empty"
                                                    : "the file cannot be read: it " + problem);
    }
    return path;
}

void
ScenarioTopology::ConfigureRouter(const ScenarioFile& file,
                                  const ScenarioSection& section,
                                  ScenarioRouter& router)
{
    NS_LOG_FUNCTION(this << router.name);

    // The IOS file is read with the parameters substituted; line numbers stay the same,
    // so errors and ignored lines name the file as written and the right line.
    std::string text;
    router.configPath = ReadRouterConfig(file, section, text);
    std::istringstream substituted(file.SubstituteText(text, router.configPath));

    try
    {
        IosConfig config = IosConfig::Parse(substituted, router.configPath);
        for (const std::string& name : config.GetInterfaceNames())
        {
            if (!router.lowerDevices.count(name) && name.rfind("Tunnel", 0) != 0 &&
                name.rfind("Loopback", 0) != 0)
            {
                NS_LOG_WARN(router.name << ": interface " << name << " is on no link");
            }
        }
        IosConfigLoader::Apply(config, router.node, router.lowerDevices);
        RemoveIdleQueueDiscs(router.node);
        router.hostname = config.GetHostname();
        router.ignoredLines = config.GetIgnoredLines();
    }
    catch (const IosConfigError& error)
    {
        throw SimInputError(router.configPath + ":" + std::to_string(error.line) + ": " +
                            error.reason);
    }
    if (router.hostname.empty())
    {
        router.hostname = router.name;
    }
}

void
ScenarioTopology::RemoveIdleQueueDiscs(Ptr<Node> node)
{
    NS_LOG_FUNCTION(this << node->GetId());
    Ptr<TrafficControlLayer> trafficControl = node->GetObject<TrafficControlLayer>();
    Ptr<IpsecStack> stack = node->GetObject<IpsecStack>();
    if (!trafficControl || !stack)
    {
        return;
    }

    // NOTE: an IPsec device has no NetDeviceQueueInterface, so a queue disc on it never
    // builds a backlog, and Ipv4AddressHelper installs none there. An FqCoDelQueueDisc on
    // one looped forever in DoDequeue under ns-3.37, so such a queue disc is removed.
    for (const Ptr<IpsecNetDevice>& device : stack->GetDevices())
    {
        if (!device->GetObject<NetDeviceQueueInterface>() &&
            trafficControl->GetRootQueueDiscOnDevice(device))
        {
            NS_LOG_WARN("node " << node->GetId() << ": removing the queue disc of "
                                << device->GetInterfaceName()
                                << ", which has no device queue to hold a backlog");
            trafficControl->DeleteRootQueueDiscOnDevice(device);
        }
    }
}

void
ScenarioTopology::SetAttributes(const ScenarioFile& file,
                                const ScenarioSection& section,
                                ScenarioRouter& router)
{
    NS_LOG_FUNCTION(this << router.name);

    // engine.NAME, stack.NAME and ike.NAME set attributes of the node's crypto engine, IPsec
    // stack and IKE daemon, which have no IOS command. They are set before the IOS
    // configuration is applied, so they hold for the SAs it creates, and IOS commands for
    // the same setting override them.
    Ptr<IpsecStack> stack;
    for (const auto& [key, entry] : section.values)
    {
        bool engineKey = key.rfind("engine.", 0) == 0;
        bool stackKey = key.rfind("stack.", 0) == 0;
        bool ikeKey = key.rfind("ike.", 0) == 0;
        if (!engineKey && !stackKey && !ikeKey)
        {
            continue;
        }
        if (!stack)
        {
            stack = IpsecHelper().Install(router.node);
        }
        Ptr<Object> target = Ptr<Object>(stack);
        if (engineKey)
        {
            target = stack->GetCryptoEngine();
        }
        else if (ikeKey)
        {
            target = IpsecHelper::GetIkeDaemon(router.node);
        }
        std::string attribute = key.substr(key.find('.') + 1);

        // Boolean attributes also take on and off, the words the scenario parameters use.
        std::string value = entry.value == "on"    ? "true"
                            : entry.value == "off" ? "false"
                                                   : entry.value;
        // ns-3.37 aborts on text some value types cannot parse, so the attribute and the
        // form of its value are checked before the value is set.
        TypeId typeId = target->GetInstanceTypeId();
        TypeId::AttributeInformation information;
        if (!typeId.LookupAttributeByName(attribute, &information))
        {
            throw file.ValueError(section,
                                  key,
                                  typeId.GetName() + " has no attribute '" + attribute +
                                      "': use one listed in doc/ipsec.rst, Attributes");
        }
        std::string allowed;
        if (!IsParsableAttributeText(information.checker, value, allowed) ||
            !information.checker->Create()->DeserializeFromString(value, information.checker) ||
            !target->SetAttributeFailSafe(attribute, StringValue(value)))
        {
            throw file.ValueError(section,
                                  key,
                                  "attribute " + typeId.GetName() + "::" + attribute + " takes " +
                                      allowed);
        }
    }
}

void
ScenarioTopology::ApplyModuleKeys(const ScenarioFile& file,
                                  const ScenarioSection& section,
                                  ScenarioRouter& router)
{
    NS_LOG_FUNCTION(this << router.name);
    Ptr<IpsecStack> stack = router.node->GetObject<IpsecStack>();

    // Traffic classes of crypto map entries, for the replay cures of RFC 4301 section 4.1
    // and sequence-number spaces.
    std::string mode = file.GetChoice(section,
                                      "traffic-class-mode",
                                      "none",
                                      {"none", "per-class-sa", "seq-spaces"});
    if (mode == "none")
    {
        return;
    }
    std::vector<std::vector<uint8_t>> groups;
    for (const std::string& group : SplitList(section.Get("traffic-classes", "ef"), ";"))
    {
        groups.emplace_back();
        for (const std::string& word : SplitList(group))
        {
            uint8_t dscp;
            if (!ClassMap::ParseDscp(word, dscp))
            {
                throw file.ValueError(section,
                                      "traffic-classes",
                                      "use DSCP numbers or names, commas within a class and "
                                      "';' between classes, e.g. ef;af41,af42");
            }
            groups.back().push_back(dscp);
        }
    }
    if (!stack)
    {
        throw file.ValueError(section,
                              "traffic-class-mode",
                              "the router's configuration creates no IPsec stack");
    }
    auto classMode = mode == "per-class-sa" ? CryptoMapEntry::TrafficClassMode::SEPARATE_SAS
                                            : CryptoMapEntry::TrafficClassMode::SEQUENCE_SPACES;

    // The SAs of manually keyed entries exist already, so they are deleted and installed
    // again with the classes. Each extra class of separate SAs reuses the entry's keys
    // under SPIs moved by CLASS_SPI_STEP, which both peers compute alike.
    stack->ClearSas();
    for (const Ptr<IpsecNetDevice>& device : stack->GetDevices())
    {
        Ptr<CryptoMap> cryptoMap = device->GetCryptoMap();
        if (!cryptoMap)
        {
            continue;
        }
        for (const auto& entry : cryptoMap->GetEntries())
        {
            std::string problem = entry->SetTrafficClasses(groups, classMode);
            if (!problem.empty())
            {
                throw file.ValueError(section, "traffic-classes", problem);
            }
            if (entry->GetKeyManagement() != CryptoMapEntry::KeyManagement::MANUAL ||
                classMode != CryptoMapEntry::TrafficClassMode::SEPARATE_SAS)
            {
                continue;
            }
            for (uint32_t trafficClass = 1; trafficClass <= groups.size(); ++trafficClass)
            {
                for (IpsecDirection direction : {IpsecDirection::INBOUND, IpsecDirection::OUTBOUND})
                {
                    for (IpsecProtocol protocol : {IpsecProtocol::ESP, IpsecProtocol::AH})
                    {
                        const auto& key = entry->GetSessionKey(direction, protocol, 0);
                        if (key)
                        {
                            IpsecManualKey classKey = *key;
                            classKey.spi += trafficClass * CLASS_SPI_STEP;
                            entry->SetSessionKey(direction, protocol, classKey, trafficClass);
                        }
                    }
                }
            }
        }
        for (const auto& entry : cryptoMap->GetEntries())
        {
            if (entry->GetKeyManagement() == CryptoMapEntry::KeyManagement::MANUAL)
            {
                stack->InstallManualSas(cryptoMap, entry, device->GetIpv4Address());
            }
        }
    }
}

void
ScenarioTopology::ConfigureHost(const ScenarioFile& file,
                                const ScenarioSection& section,
                                ScenarioHost& host)
{
    NS_LOG_FUNCTION(this << host.name);
    auto device = m_hostDevices.find(host.name);
    if (device == m_hostDevices.end())
    {
        throw SimInputError(file.GetPath() + ":" + std::to_string(section.line) + ": host '" +
                            host.name + "' is on no link: add it to the endpoints of a [link]");
    }

    // The address is written A.B.C.D/LENGTH.
    std::string text = section.Get("address");
    std::size_t slash = text.find('/');
    Ipv4Address address;
    char* end = nullptr;
    long prefixLength =
        slash == std::string::npos ? 0 : std::strtol(text.c_str() + slash + 1, &end, 10);
    if (slash == std::string::npos || !ParseIpv4(text.substr(0, slash), address) || !end ||
        *end != '\0' || prefixLength < 1 || prefixLength > 32)
    {
        throw file.ValueError(section,
                              "address",
                              "use an IPv4 address with a prefix length, e.g. 10.1.1.2/24");
    }
    host.address = address;

    Ptr<Ipv4> ipv4 = host.node->GetObject<Ipv4>();
    int32_t interface = ipv4->AddInterface(device->second);
    ipv4->AddAddress(
        interface,
        Ipv4InterfaceAddress(address, Ipv4Mask(("/" + std::to_string(prefixLength)).c_str())));
    ipv4->SetUp(interface);

    if (section.Has("gateway"))
    {
        Ipv4Address gateway;
        if (!ParseIpv4(section.Get("gateway"), gateway))
        {
            throw file.ValueError(section, "gateway", "use an IPv4 address, e.g. 10.1.1.1");
        }
        Ipv4StaticRoutingHelper routing;
        routing.GetStaticRouting(ipv4)->SetDefaultRoute(gateway, interface);
    }
}

const std::vector<ScenarioRouter>&
ScenarioTopology::GetRouters() const
{
    return m_routers;
}

const std::vector<ScenarioHost>&
ScenarioTopology::GetHosts() const
{
    return m_hosts;
}

Ptr<Node>
ScenarioTopology::FindNode(const std::string& name) const
{
    if (const ScenarioRouter* router = FindRouter(name))
    {
        return router->node;
    }
    if (const ScenarioHost* host = FindHost(name))
    {
        return host->node;
    }
    return nullptr;
}

const ScenarioHost*
ScenarioTopology::FindHost(const std::string& name) const
{
    for (const ScenarioHost& host : m_hosts)
    {
        if (host.name == name)
        {
            return &host;
        }
    }
    return nullptr;
}

const ScenarioRouter*
ScenarioTopology::FindRouter(const std::string& name) const
{
    for (const ScenarioRouter& router : m_routers)
    {
        if (router.name == name)
        {
            return &router;
        }
    }
    return nullptr;
}

ScenarioRouter*
ScenarioTopology::FindMutableRouter(const std::string& name)
{
    for (ScenarioRouter& router : m_routers)
    {
        if (router.name == name)
        {
            return &router;
        }
    }
    return nullptr;
}

ScenarioLink*
ScenarioTopology::FindLink(const std::string& name)
{
    for (ScenarioLink& link : m_links)
    {
        if (link.name == name)
        {
            return &link;
        }
    }
    return nullptr;
}

void
ScenarioTopology::SetLinkUp(const std::string& name, bool up)
{
    NS_LOG_FUNCTION(this << name << up);
    ScenarioLink* link = FindLink(name);
    NS_ASSERT_MSG(link, "no link " << name);
    for (const Ptr<RateErrorModel>& errors : link->errorModels)
    {
        errors->SetRate(up ? link->loss : 1.0);
        if (up && link->loss == 0)
        {
            errors->Disable();
        }
        else
        {
            errors->Enable();
        }
    }
}

void
ScenarioTopology::EnablePcap(const std::string& prefix) const
{
    NS_LOG_FUNCTION(this << prefix);
    IpsecHelper ipsec;
    for (const ScenarioRouter& router : m_routers)
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
                ipsec.EnablePcapWithKeys(prefix + "-" + router.name, device);
            }
        }
    }
}

} // namespace ns3
