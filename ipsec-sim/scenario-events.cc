// Copyright (c) 2026 The ns3-ipsec authors
// SPDX-License-Identifier: GPL-2.0-only

#include "scenario-events.h"

#include "ns3/ike-daemon.h"
#include "ns3/ipsec-net-device.h"
#include "ns3/ipsec-stack.h"
#include "ns3/log.h"
#include "ns3/simulator.h"

#include <cstdio>
#include <optional>

namespace ns3
{

NS_LOG_COMPONENT_DEFINE("IpsecSimEvents");

namespace
{

/**
 * Reads a dotted-quad IPv4 address.
 * \param text the text
 * \param address the address read
 * \return true if text is four numbers 0 to 255 separated by dots
 */
bool
IsIpv4Address(const std::string& text, Ipv4Address& address)
{
    unsigned parts[4];
    char end;
    if (std::sscanf(text.c_str(),
                    "%u.%u.%u.%u%c",
                    &parts[0],
                    &parts[1],
                    &parts[2],
                    &parts[3],
                    &end) != 4)
    {
        return false;
    }
    for (unsigned part : parts)
    {
        if (part > 255)
        {
            return false;
        }
    }
    address = Ipv4Address(text.c_str());
    return true;
}

} // namespace

void
ScenarioEvents::CheckEventValues(const ScenarioFile& file, const ScenarioSection& section)
{
    file.GetTime(section, "at", Seconds(0));
    file.GetChoice(section,
                   "action",
                   "",
                   {"reboot",
                    "clear-crypto-sa",
                    "clear-crypto-isakmp",
                    "clear-crypto-session",
                    "link-down",
                    "link-up"});
    file.GetTime(section, "downtime", Seconds(0));
    Ipv4Address address;
    if (section.Has("peer") && !section.Get("peer").empty() &&
        !IsIpv4Address(section.Get("peer"), address))
    {
        throw file.ValueError(section, "peer", "use an IPv4 address A.B.C.D");
    }
}

void
ScenarioEvents::Schedule(const ScenarioFile& file, ScenarioTopology& topology)
{
    for (const ScenarioSection* section : file.GetSections("event"))
    {
        CheckEventValues(file, *section);
        if (!file.IsActive(*section))
        {
            continue;
        }
        Time at = file.GetTime(*section, "at", Seconds(0));
        std::string action = file.GetChoice(*section,
                                            "action",
                                            "",
                                            {"reboot",
                                             "clear-crypto-sa",
                                             "clear-crypto-isakmp",
                                             "clear-crypto-session",
                                             "link-down",
                                             "link-up"});
        std::string target = section->Get("target");

        if (action == "link-down" || action == "link-up")
        {
            if (!topology.FindLink(target))
            {
                throw file.ValueError(*section, "target", "name a [link.NAME]");
            }
            Simulator::Schedule(at,
                                &ScenarioTopology::SetLinkUp,
                                &topology,
                                target,
                                action == "link-up");
            continue;
        }

        const ScenarioRouter* router = topology.FindRouter(target);
        if (!router)
        {
            throw file.ValueError(*section, "target", "name a [router.NAME]");
        }
        if (action == "clear-crypto-sa")
        {
            Simulator::Schedule(at, &ScenarioEvents::ClearSas, router->node);
            continue;
        }
        if (action == "clear-crypto-isakmp" || action == "clear-crypto-session")
        {
            Ptr<IkeDaemon> daemon = router->node->GetObject<IkeDaemon>();
            if (!daemon)
            {
                throw file.ValueError(*section, "target", "name a router with IKE settings");
            }
            if (action == "clear-crypto-isakmp")
            {
                Simulator::Schedule(at, &IkeDaemon::ClearIsakmp, daemon);
                continue;
            }
            // `clear crypto session [remote PEER]`.
            std::optional<Ipv4Address> peer;
            std::string peerText = section->Get("peer");
            if (!peerText.empty())
            {
                Ipv4Address address;
                if (!IsIpv4Address(peerText, address))
                {
                    throw file.ValueError(*section, "peer", "use an IPv4 address A.B.C.D");
                }
                peer = address;
            }
            Simulator::Schedule(at, &IkeDaemon::ClearSession, daemon, peer);
            continue;
        }

        // A reboot is the stack's own: off the network for the downtime, then manual SAs
        // are installed again.
        Time downtime = file.GetTime(*section, "downtime", Seconds(0));
        Ptr<IpsecStack> stack = router->node->GetObject<IpsecStack>();
        if (!stack)
        {
            throw file.ValueError(*section, "target", "name a router with an IPsec stack");
        }
        Simulator::Schedule(at, &IpsecStack::Reboot, stack, downtime);
    }
}

void
ScenarioEvents::ClearSas(Ptr<Node> node)
{
    NS_LOG_FUNCTION(node->GetId());
    Ptr<IpsecStack> stack = node->GetObject<IpsecStack>();
    if (!stack)
    {
        return;
    }
    stack->ClearSas();
    NS_LOG_INFO("node " << node->GetId() << ": IPsec SAs cleared");

    // Manually keyed entries have no negotiation to wait for, so their SAs come back at once.
    for (const Ptr<IpsecNetDevice>& device : stack->GetDevices())
    {
        Ptr<CryptoMap> cryptoMap = device->GetCryptoMap();
        if (!cryptoMap)
        {
            continue;
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

} // namespace ns3
