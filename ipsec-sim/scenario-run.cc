// Copyright (c) 2026 The ns3-ipsec authors
// SPDX-License-Identifier: GPL-2.0-only

#include "scenario-run.h"

#include "scenario-events.h"
#include "scenario-topology.h"
#include "scenario-traffic.h"

#include "ns3/ike-daemon.h"
#include "ns3/ipsec-crypto-engine.h"
#include "ns3/ipsec-helper.h"
#include "ns3/ipsec-net-device.h"
#include "ns3/ipsec-stack.h"
#include "ns3/ipsec-syslog.h"
#include "ns3/log.h"
#include "ns3/names.h"
#include "ns3/policy-map-queue-disc.h"
#include "ns3/rng-seed-manager.h"
#include "ns3/simulator.h"
#include "ns3/traffic-control-layer.h"

#include <cstdlib>
#include <fstream>
#include <iostream>
#include <sstream>

namespace ns3
{

NS_LOG_COMPONENT_DEFINE("IpsecSimRun");

namespace
{

/// Number of progress updates per run.
constexpr uint32_t PROGRESS_STEPS = 50;

/// Prints the progress line of a run on standard error and schedules the next update.
void
PrintProgress(std::string prefix, Time end, uint32_t step)
{
    std::cerr << "\r" << prefix << " " << (step * 100 / PROGRESS_STEPS) << " %" << std::flush;
    if (step < PROGRESS_STEPS)
    {
        Simulator::Schedule(end / PROGRESS_STEPS, &PrintProgress, prefix, end, step + 1);
    }
}

/**
 * Writes the `show` outputs and log lines of every router to DIRECTORY/LABEL-ROUTER.txt.
 * \param topology the topology after the run
 * \param directory the output directory
 * \param label the run label
 */
void
WriteShowOutputs(const ScenarioTopology& topology,
                 const std::string& directory,
                 const std::string& label)
{
    for (const ScenarioRouter& router : topology.GetRouters())
    {
        Ptr<IpsecStack> stack = router.node->GetObject<IpsecStack>();
        std::ofstream out(directory + "/" + label + "-" + router.name + ".txt");
        std::string prompt = router.hostname + "#";
        if (!stack)
        {
            out << "! " << router.name << " has no IPsec stack\n";
            continue;
        }

        out << prompt << " show crypto ipsec sa\n";
        IpsecHelper::ShowCryptoIpsecSa(router.node, out);

        if (Ptr<IkeDaemon> daemon = router.node->GetObject<IkeDaemon>())
        {
            out << "\n" << prompt << " show crypto isakmp sa\n";
            daemon->ShowCryptoIsakmpSa(out);
        }

        out << "\n" << prompt << " show crypto eng qos\n";
        stack->GetCryptoEngine()->Show(out);

        // Policy maps run in front of crypto engines and on egress queues.
        out << "\n" << prompt << " show policy-map interface\n";
        std::vector<Ptr<QueueDisc>> queueDiscs = {stack->GetCryptoEngine()->GetQueueDisc()};
        Ptr<TrafficControlLayer> trafficControl = router.node->GetObject<TrafficControlLayer>();
        for (const Ptr<IpsecNetDevice>& device : stack->GetDevices())
        {
            Ptr<IpsecCryptoEngine> engine = device->GetCryptoEngine();
            if (engine && engine != stack->GetCryptoEngine())
            {
                queueDiscs.push_back(engine->GetQueueDisc());
            }
            if (trafficControl)
            {
                queueDiscs.push_back(
                    trafficControl->GetRootQueueDiscOnDevice(device->GetLowerDevice()));
            }
        }
        for (const Ptr<QueueDisc>& queueDisc : queueDiscs)
        {
            if (Ptr<PolicyMapQueueDisc> policy = DynamicCast<PolicyMapQueueDisc>(queueDisc))
            {
                policy->Show(out);
            }
        }

        out << "\n" << prompt << " show logging\n";
        stack->GetSyslog()->Show(out);
    }
}

} // namespace

double
ScenarioRun::GetDuration(const ScenarioFile& file, const RunSettings& settings)
{
    // The file's duration is read even when --duration replaces it, so a bad value is
    // reported whichever option the next run uses.
    const ScenarioSection& scenario = file.GetSection("scenario");
    double fileDuration = file.GetTime(scenario, "duration", Seconds(10)).GetSeconds();
    return settings.duration ? *settings.duration : fileDuration;
}

void
ScenarioRun::CheckValues(const ScenarioFile& file)
{
    const ScenarioSection& scenario = file.GetSection("scenario");
    file.GetTime(scenario, "duration", Seconds(10));
    file.GetTime(scenario, "drain", Seconds(2));
    for (const ScenarioSection* section : file.GetSections("router"))
    {
        std::string text;
        ScenarioTopology::ReadRouterConfig(file, *section, text);
    }
    for (const ScenarioSection* section : file.GetSections("traffic"))
    {
        file.IsActive(*section);
        ScenarioTraffic::CheckFlowValues(file, *section);
    }
    for (const ScenarioSection* section : file.GetSections("event"))
    {
        file.IsActive(*section);
        ScenarioEvents::CheckEventValues(file, *section);
    }
}

RunResult
ScenarioRun::Execute(const ScenarioFile& file, const RunSettings& settings)
{
    NS_LOG_FUNCTION(file.GetName() << settings.seed << settings.run);
    RngSeedManager::SetSeed(settings.seed);
    RngSeedManager::SetRun(settings.run);

    Time duration = Seconds(GetDuration(file, settings));
    Time drain = file.GetTime(file.GetSection("scenario"), "drain", Seconds(2));

    RunResult result;
    ScenarioTopology topology;
    ScenarioTraffic traffic;
    ScenarioMetrics metrics;
    try
    {
        topology.Build(file);
        traffic.Install(file, topology, duration);
        ScenarioEvents::Schedule(file, topology);

        std::vector<std::string> hooks;
        std::istringstream hookNames(file.GetSection("scenario").Get("hooks"));
        for (std::string name; std::getline(hookNames, name, ',');)
        {
            name.erase(0, name.find_first_not_of(" \t"));
            name.erase(name.find_last_not_of(" \t") + 1);
            if (!name.empty())
            {
                hooks.push_back(name);
            }
        }
        std::string unknown = metrics.ConnectHooks(hooks, topology);
        if (!unknown.empty())
        {
            std::string known;
            for (const auto& [name, factory] : ScenarioMetrics::GetHookFactories())
            {
                known += (known.empty() ? "" : ", ") + name;
            }
            throw file.ValueError(file.GetSection("scenario"), "hooks", "use " + known);
        }
    }
    catch (...)
    {
        Simulator::Destroy();
        Names::Clear();
        throw;
    }
    // The parser reports each ignored line as CONFIG:LINE: TEXT, CONFIG being the
    // configuration file as written; the note puts what happened before the text.
    for (const ScenarioRouter& router : topology.GetRouters())
    {
        for (const std::string& line : router.ignoredLines)
        {
            std::size_t text = line.find(": ", router.configPath.size());
            result.notes.push_back(text == std::string::npos
                                       ? line + ": line not applied"
                                       : line.substr(0, text) +
                                             ": line not applied: " + line.substr(text + 2));
        }
    }
    if (settings.pcap && !settings.outputDirectory.empty())
    {
        topology.EnablePcap(settings.outputDirectory + "/" + settings.runLabel);
    }
    if (settings.progress)
    {
        Simulator::Schedule(Seconds(0),
                            &PrintProgress,
                            settings.progressPrefix,
                            duration + drain,
                            0);
    }

    Simulator::Stop(duration + drain);
    Simulator::Run();
    if (settings.progress)
    {
        std::cerr << "\r" << settings.progressPrefix << " 100 %" << std::flush;
    }

    traffic.Collect(result.metrics);
    metrics.Collect(topology, result.metrics);
    if (!settings.outputDirectory.empty())
    {
        WriteShowOutputs(topology, settings.outputDirectory, settings.runLabel);
    }
    Simulator::Destroy();
    Names::Clear();
    return result;
}

} // namespace ns3
