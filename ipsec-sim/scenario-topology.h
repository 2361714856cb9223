// Copyright (c) 2026 The ns3-ipsec authors
// SPDX-License-Identifier: GPL-2.0-only

#ifndef IPSEC_SIM_SCENARIO_TOPOLOGY_H
#define IPSEC_SIM_SCENARIO_TOPOLOGY_H

#include "scenario-file.h"

#include "ns3/error-model.h"
#include "ns3/ipv4-address.h"
#include "ns3/net-device.h"
#include "ns3/node.h"
#include "ns3/queue-disc.h"

#include <map>
#include <string>
#include <vector>

namespace ns3
{

class IpsecStack;

/**
 * \ingroup ipsec
 * A router of a scenario: a node configured from an IOS configuration file.
 */
struct ScenarioRouter
{
    std::string name;                                   //!< section name, e.g. "gatewayA"
    std::string hostname;                               //!< `hostname` of the configuration
    std::string configPath;                             //!< the IOS file as written
    Ptr<Node> node;                                     //!< the node
    std::map<std::string, Ptr<NetDevice>> lowerDevices; //!< interface name to real device
    std::vector<std::string> ignoredLines;              //!< lines the parser did not apply
    std::vector<Ptr<QueueDisc>> egressQueues;           //!< priority queues on its links
};

/**
 * \ingroup ipsec
 * A host of a scenario: a node with one interface, an address and a default gateway.
 */
struct ScenarioHost
{
    std::string name;    //!< section name
    Ptr<Node> node;      //!< the node
    Ipv4Address address; //!< its address
};

/**
 * \ingroup ipsec
 * A point-to-point link of a scenario.
 */
struct ScenarioLink
{
    std::string name;                             //!< section name
    double loss{0};                               //!< packet loss probability, 0 to 1
    std::vector<Ptr<NetDevice>> devices;          //!< the two devices
    std::vector<Ptr<RateErrorModel>> errorModels; //!< receive error models of both devices
};

/**
 * \ingroup ipsec
 * Builds the nodes, links and configurations of a scenario file.
 *
 * Every link is a point-to-point link between two endpoints: `ROUTER:INTERFACE` or a host
 * name. Hosts get their address and a default route. Routers get an IPv4 stack and then
 * their IOS configuration with the scenario's parameters substituted. The configuration
 * creates their IPsec interfaces, addresses and crypto maps. Settings that IOS lines cannot express
 * (crypto engine attributes, traffic classes of crypto map entries) come from module
 * keys in the router section and are applied after the configuration.
 */
class ScenarioTopology
{
  public:
    /**
     * Builds everything the scenario file describes.
     * \param file the resolved scenario file
     * \throw SimInputError for bad values, naming FILE:LINE
     */
    void Build(const ScenarioFile& file);

    /**
     * Reads the IOS configuration file that a router section's `config` key names.
     * \param file the resolved scenario file
     * \param section the `[router.NAME]` section
     * \param text set to the configuration, before parameter substitution
     * \return the path of the configuration, relative paths taken from the INI's directory
     * \throw SimInputError naming the INI line of `config` when the key is missing or empty
     *        or the file cannot be read, or CONFIG:LINE for a line that is too long
     */
    static std::string ReadRouterConfig(const ScenarioFile& file,
                                        const ScenarioSection& section,
                                        std::string& text);

    /// \return the routers in file order
    const std::vector<ScenarioRouter>& GetRouters() const;
    /// \return the hosts in file order
    const std::vector<ScenarioHost>& GetHosts() const;
    /**
     * \param name a router or host name
     * \return its node, or nullptr
     */
    Ptr<Node> FindNode(const std::string& name) const;
    /**
     * \param name a host name
     * \return the host, or nullptr
     */
    const ScenarioHost* FindHost(const std::string& name) const;
    /**
     * \param name a router name
     * \return the router, or nullptr
     */
    const ScenarioRouter* FindRouter(const std::string& name) const;
    /**
     * \param name a link name
     * \return the link, or nullptr
     */
    ScenarioLink* FindLink(const std::string& name);

    /**
     * Takes a link down (every frame lost) or up again (back to its configured loss).
     * \param name the link name
     * \param up true to bring it up
     */
    void SetLinkUp(const std::string& name, bool up);

    /**
     * Writes pcaps of every router interface that carries a crypto map, with key files.
     * \param prefix path prefix of the files
     */
    void EnablePcap(const std::string& prefix) const;

  private:
    /**
     * \param name a router name
     * \return the router, or nullptr
     */
    ScenarioRouter* FindMutableRouter(const std::string& name);

    /**
     * Creates the link of one section.
     * \param file the scenario file, for messages
     * \param section the `[link.NAME]` section
     */
    void BuildLink(const ScenarioFile& file, const ScenarioSection& section);

    /**
     * Loads a router's IOS configuration with the parameters substituted and applies it.
     * \param file the scenario file
     * \param section the `[router.NAME]` section
     * \param router the router
     */
    void ConfigureRouter(const ScenarioFile& file,
                         const ScenarioSection& section,
                         ScenarioRouter& router);

    /**
     * Removes root queue discs from the node's IPsec devices that have no device queue.
     * \param node the router
     */
    void RemoveIdleQueueDiscs(Ptr<Node> node);

    /**
     * Installs a router's IPsec stack and sets the attributes of its `engine.NAME` and
     * `stack.NAME` keys, before the IOS configuration.
     * \param file the scenario file
     * \param section the `[router.NAME]` section
     * \param router the router
     */
    void SetAttributes(const ScenarioFile& file,
                       const ScenarioSection& section,
                       ScenarioRouter& router);

    /**
     * Applies the traffic classes of a router section to its crypto map entries, after
     * the IOS configuration.
     * \param file the scenario file
     * \param section the `[router.NAME]` section
     * \param router the router
     */
    void ApplyModuleKeys(const ScenarioFile& file,
                         const ScenarioSection& section,
                         ScenarioRouter& router);

    /**
     * Addresses a host and gives it a default route.
     * \param file the scenario file
     * \param section the `[host.NAME]` section
     * \param host the host
     */
    void ConfigureHost(const ScenarioFile& file,
                       const ScenarioSection& section,
                       ScenarioHost& host);

    std::vector<ScenarioRouter> m_routers;               //!< routers in file order
    std::vector<ScenarioHost> m_hosts;                   //!< hosts in file order
    std::vector<ScenarioLink> m_links;                   //!< links in file order
    std::map<std::string, Ptr<NetDevice>> m_hostDevices; //!< host name to its device
};

} // namespace ns3

#endif // IPSEC_SIM_SCENARIO_TOPOLOGY_H
