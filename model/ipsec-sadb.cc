// Copyright (c) 2026 The ns3-ipsec authors
// SPDX-License-Identifier: GPL-2.0-only

#include "ipsec-sadb.h"

#include "crypto-map.h"

#include "ns3/abort.h"
#include "ns3/log.h"

#include <algorithm>

namespace ns3
{

NS_LOG_COMPONENT_DEFINE("IpsecSadb");

NS_OBJECT_ENSURE_REGISTERED(IpsecSadb);

TypeId
IpsecSadb::GetTypeId()
{
    static TypeId tid = TypeId("ns3::IpsecSadb")
                            .SetParent<Object>()
                            .SetGroupName("Ipsec")
                            .AddConstructor<IpsecSadb>()
                            .AddTraceSource("SaAdded",
                                            "An SA was added to the SADB.",
                                            MakeTraceSourceAccessor(&IpsecSadb::m_saAddedTrace),
                                            "ns3::IpsecSadb::SaTracedCallback")
                            .AddTraceSource("SaRemoved",
                                            "An SA was removed from the SADB.",
                                            MakeTraceSourceAccessor(&IpsecSadb::m_saRemovedTrace),
                                            "ns3::IpsecSadb::SaTracedCallback");
    return tid;
}

IpsecSadb::IpsecSadb()
{
    NS_LOG_FUNCTION(this);
}

IpsecSadb::~IpsecSadb()
{
    NS_LOG_FUNCTION(this);
}

void
IpsecSadb::DoDispose()
{
    NS_LOG_FUNCTION(this);
    for (auto& [key, entry] : m_outboundEntries)
    {
        entry->SetOutboundBundle(nullptr, std::get<2>(key));
    }
    m_inbound.clear();
    m_outbound.clear();
    m_outboundEntries.clear();
    m_replaced.clear();
    Object::DoDispose();
}

uint64_t
IpsecSadb::MakeKey(uint32_t spi, IpsecProtocol protocol)
{
    return (static_cast<uint64_t>(protocol) << 32) | spi;
}

void
IpsecSadb::AddInbound(Ptr<IpsecSecurityAssociation> sa)
{
    NS_LOG_FUNCTION(this << sa->GetSpi());
    NS_ABORT_MSG_IF(sa->GetDirection() != IpsecDirection::INBOUND,
                    "SA with SPI " << sa->GetSpi() << " is not inbound");

    auto inserted = m_inbound.emplace(MakeKey(sa->GetSpi(), sa->GetProtocol()), sa);
    NS_ABORT_MSG_IF(!inserted.second,
                    "duplicate inbound SPI " << sa->GetSpi()
                                             << ": each inbound SA needs its own SPI");
    m_saAddedTrace(sa);
}

Ptr<IpsecSecurityAssociation>
IpsecSadb::FindInbound(uint32_t spi, IpsecProtocol protocol) const
{
    auto found = m_inbound.find(MakeKey(spi, protocol));
    return found == m_inbound.end() ? nullptr : found->second;
}

void
IpsecSadb::SetOutbound(Ptr<CryptoMapEntry> entry,
                       Ipv4Address peer,
                       Ptr<IpsecSaBundle> bundle,
                       uint32_t trafficClass)
{
    NS_LOG_FUNCTION(this << entry->GetSequence() << peer << trafficClass);
    OutboundKey key(PeekPointer(entry), peer.Get(), trafficClass);
    auto older = m_outbound.find(key);
    if (older != m_outbound.end() && older->second != bundle)
    {
        m_replaced.push_back(older->second);
    }
    m_outbound[key] = bundle;
    m_outboundEntries[key] = entry;
    entry->SetOutboundBundle(bundle, trafficClass);
    for (const auto& sa : {bundle->esp, bundle->ah})
    {
        if (sa)
        {
            m_saAddedTrace(sa);
        }
    }
}

Ptr<IpsecSaBundle>
IpsecSadb::FindOutbound(Ptr<const CryptoMapEntry> entry,
                        Ipv4Address peer,
                        uint32_t trafficClass) const
{
    auto found = m_outbound.find(OutboundKey(PeekPointer(entry), peer.Get(), trafficClass));
    return found == m_outbound.end() ? nullptr : found->second;
}

void
IpsecSadb::Remove(Ptr<IpsecSecurityAssociation> sa)
{
    NS_LOG_FUNCTION(this << sa->GetSpi());
    if (sa->GetDirection() == IpsecDirection::INBOUND)
    {
        if (m_inbound.erase(MakeKey(sa->GetSpi(), sa->GetProtocol())) > 0)
        {
            m_saRemovedTrace(sa);
        }
        return;
    }

    // An outbound bundle goes as a whole: half a bundle cannot protect a packet.
    for (auto it = m_outbound.begin(); it != m_outbound.end(); ++it)
    {
        Ptr<IpsecSaBundle> bundle = it->second;
        if (bundle->esp != sa && bundle->ah != sa)
        {
            continue;
        }
        Ptr<CryptoMapEntry> entry = m_outboundEntries[it->first];
        uint32_t trafficClass = std::get<2>(it->first);
        if (entry->GetOutboundBundle(trafficClass) == bundle)
        {
            entry->SetOutboundBundle(nullptr, trafficClass);
        }
        m_outboundEntries.erase(it->first);
        m_outbound.erase(it);
        for (const auto& member : {bundle->esp, bundle->ah})
        {
            if (member)
            {
                m_saRemovedTrace(member);
            }
        }
        return;
    }

    for (auto it = m_replaced.begin(); it != m_replaced.end(); ++it)
    {
        Ptr<IpsecSaBundle> bundle = *it;
        if (bundle->esp != sa && bundle->ah != sa)
        {
            continue;
        }
        m_replaced.erase(it);
        for (const auto& member : {bundle->esp, bundle->ah})
        {
            if (member)
            {
                m_saRemovedTrace(member);
            }
        }
        return;
    }
}

void
IpsecSadb::Clear()
{
    NS_LOG_FUNCTION(this);
    for (const auto& sa : GetInboundSas())
    {
        m_saRemovedTrace(sa);
    }
    for (const auto& sa : GetOutboundSas())
    {
        m_saRemovedTrace(sa);
    }
    for (auto& [key, entry] : m_outboundEntries)
    {
        entry->SetOutboundBundle(nullptr, std::get<2>(key));
    }
    m_inbound.clear();
    m_outbound.clear();
    m_outboundEntries.clear();
    m_replaced.clear();
}

bool
IpsecSadb::IsSpiInUse(uint32_t spi) const
{
    return FindInbound(spi, IpsecProtocol::ESP) || FindInbound(spi, IpsecProtocol::AH);
}

std::vector<Ptr<IpsecSecurityAssociation>>
IpsecSadb::GetInboundSas() const
{
    std::vector<Ptr<IpsecSecurityAssociation>> sas;
    sas.reserve(m_inbound.size());
    for (const auto& [key, sa] : m_inbound)
    {
        sas.push_back(sa);
    }

    // The hash map's order is arbitrary; sorting keeps `show` output reproducible.
    std::sort(sas.begin(), sas.end(), [](const auto& a, const auto& b) {
        return MakeKey(a->GetSpi(), a->GetProtocol()) < MakeKey(b->GetSpi(), b->GetProtocol());
    });
    return sas;
}

std::vector<Ptr<IpsecSecurityAssociation>>
IpsecSadb::GetOutboundSas() const
{
    std::vector<Ptr<IpsecSecurityAssociation>> sas;
    auto add = [&sas](const Ptr<IpsecSaBundle>& bundle) {
        for (const auto& sa : {bundle->esp, bundle->ah})
        {
            if (sa)
            {
                sas.push_back(sa);
            }
        }
    };
    for (const auto& [key, bundle] : m_outbound)
    {
        add(bundle);
    }
    for (const auto& bundle : m_replaced)
    {
        add(bundle);
    }

    // The map is keyed by pointer; sorting by SPI keeps `show` output reproducible.
    std::sort(sas.begin(), sas.end(), [](const auto& a, const auto& b) {
        return MakeKey(a->GetSpi(), a->GetProtocol()) < MakeKey(b->GetSpi(), b->GetProtocol());
    });
    return sas;
}

uint32_t
IpsecSadb::GetSaCount() const
{
    return static_cast<uint32_t>(m_inbound.size() + GetOutboundSas().size());
}

} // namespace ns3
