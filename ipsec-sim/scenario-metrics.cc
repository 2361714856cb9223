// Copyright (c) 2026 The ns3-ipsec authors
// SPDX-License-Identifier: GPL-2.0-only

#include "scenario-metrics.h"

#include "scenario-topology.h"

#include "ns3/ipsec-crypto-engine.h"
#include "ns3/ipsec-net-device.h"
#include "ns3/ipsec-sadb.h"
#include "ns3/ipsec-stack.h"
#include "ns3/reordering-histogram.h"

#include <algorithm>
#include <cmath>
#include <iomanip>
#include <sstream>

namespace ns3
{

MetricValue::MetricValue(double value)
    : number(value)
{
}

MetricValue::MetricValue(const std::string& value)
    : isText(true),
      text(value)
{
}

MetricValue::MetricValue(const char* value)
    : isText(true),
      text(value)
{
}

std::string
MetricValue::Format() const
{
    if (isText)
    {
        return text;
    }
    if (!std::isfinite(number))
    {
        return "nan";
    }
    std::ostringstream out;
    if (number == std::floor(number) && std::fabs(number) < 1e15)
    {
        out << static_cast<int64_t>(number);
    }
    else
    {
        out << std::setprecision(6) << number;
    }
    return out.str();
}

std::string
ScenarioMetrics::ConnectHooks(const std::vector<std::string>& names, ScenarioTopology& topology)
{
    const std::map<std::string, HookFactory>& factories = GetHookFactories();
    for (const std::string& name : names)
    {
        auto found = factories.find(name);
        if (found == factories.end())
        {
            return name;
        }
        m_hooks.push_back(found->second());
        m_hooks.back()->Connect(topology);
    }
    return "";
}

void
ScenarioMetrics::Collect(const ScenarioTopology& topology, MetricSet& metrics) const
{
    uint64_t drops[static_cast<int>(IpsecDropReason::CRYPTO_QUEUE_FULL) + 1] = {};
    uint64_t beforeEncryption = 0;
    uint64_t afterEncryption = 0;
    uint64_t fragmentationNeeded = 0;
    uint64_t reassemblies = 0;
    uint64_t engineDrops = 0;
    uint64_t inboundSas = 0;
    uint64_t minimumWindow = 0;

    for (const ScenarioRouter& router : topology.GetRouters())
    {
        Ptr<IpsecStack> stack = router.node->GetObject<IpsecStack>();
        if (!stack)
        {
            continue;
        }
        for (int reason = 0; reason <= static_cast<int>(IpsecDropReason::CRYPTO_QUEUE_FULL);
             ++reason)
        {
            drops[reason] += stack->GetDropCount(static_cast<IpsecDropReason>(reason));
        }
        for (const Ptr<IpsecNetDevice>& device : stack->GetDevices())
        {
            beforeEncryption += device->GetPreEncryptionFragmentedCount();
            afterEncryption += device->GetPostEncryptionFragmentedCount();
            fragmentationNeeded += device->GetFragmentationNeededCount();
        }
        reassemblies += stack->GetReassembledCount();
        engineDrops += stack->GetCryptoEngine()->GetDropCount();

        // One window that would have dropped nothing on any inbound SA of any router.
        for (const auto& sa : stack->GetSadb()->GetInboundSas())
        {
            ++inboundSas;
            minimumWindow =
                std::max(minimumWindow, sa->GetReorderingHistogram().GetMinimumWindow());
        }
    }

    auto count = [&drops](IpsecDropReason reason) {
        return static_cast<double>(drops[static_cast<int>(reason)]);
    };
    metrics["replay.drops.duplicate"] = count(IpsecDropReason::REPLAY_DUPLICATE);
    metrics["replay.drops.too_old"] = count(IpsecDropReason::REPLAY_TOO_OLD);
    metrics["replay.drops"] =
        count(IpsecDropReason::REPLAY_DUPLICATE) + count(IpsecDropReason::REPLAY_TOO_OLD);
    metrics["replay.min_window_no_drop"] = static_cast<double>(minimumWindow);
    for (int reason = 0; reason <= static_cast<int>(IpsecDropReason::CRYPTO_QUEUE_FULL); ++reason)
    {
        // Keys use '_' inside words, as the other metric keys do.
        std::string name = IpsecDropReasonName(static_cast<IpsecDropReason>(reason));
        std::replace(name.begin(), name.end(), '-', '_');
        metrics["drops." + name] = static_cast<double>(drops[reason]);
    }
    metrics["fragments.before_encryption"] = static_cast<double>(beforeEncryption);
    metrics["fragments.after_encryption"] = static_cast<double>(afterEncryption);
    metrics["decryptor.reassemblies"] = static_cast<double>(reassemblies);
    metrics["icmp.frag_needed"] = static_cast<double>(fragmentationNeeded);
    metrics["engine.drops"] = static_cast<double>(engineDrops);
    metrics["sa.inbound"] = static_cast<double>(inboundSas);

    for (const auto& hook : m_hooks)
    {
        hook->Collect(topology, metrics);
    }
}

} // namespace ns3
