// Copyright (c) 2026 The ns3-ipsec authors
// SPDX-License-Identifier: GPL-2.0-only

#include "crypto-map.h"

#include "ns3/abort.h"
#include "ns3/log.h"

#include <algorithm>
#include <sstream>

namespace ns3
{

NS_LOG_COMPONENT_DEFINE("CryptoMap");

namespace
{

/// \return the index of a direction and protocol in CryptoMapEntry's key table
int
KeyIndex(IpsecDirection direction, IpsecProtocol protocol)
{
    return (direction == IpsecDirection::INBOUND ? 0 : 2) +
           (protocol == IpsecProtocol::ESP ? 0 : 1);
}

/// An absent key, returned for classes the entry does not have.
const std::optional<IpsecManualKey> NO_KEY;

} // namespace

std::string
CheckIdleTime(Time idleTime)
{
    if (idleTime < Seconds(60) || idleTime > Seconds(86400))
    {
        return "SA idle time " + std::to_string(idleTime.GetSeconds()) +
               " s is invalid: use 60 to 86400 seconds";
    }
    return "";
}

std::string
CheckLifetimeSeconds(Time lifetime)
{
    if (lifetime < Seconds(120) || lifetime > Seconds(86400))
    {
        return "SA lifetime " + std::to_string(lifetime.GetSeconds()) +
               " s is invalid: use 120 to 86400 seconds";
    }
    return "";
}

std::string
CheckLifetimeKilobytes(uint64_t kilobytes)
{
    if (kilobytes < 2560 || kilobytes > 4294967295ULL)
    {
        return "SA lifetime " + std::to_string(kilobytes) +
               " kilobytes is invalid: use 2560 to 4294967295 kilobytes";
    }
    return "";
}

CryptoMapEntry::CryptoMapEntry(uint32_t sequence, KeyManagement keyManagement)
    : m_sequence(sequence),
      m_keyManagement(keyManagement),
      m_currentPeer(0),
      m_keys(1),
      m_classCount(1),
      m_classMode(TrafficClassMode::SEPARATE_SAS),
      m_replayDisable(false),
      m_extendedSequenceNumbers(false),
      m_outbound(1)
{
    m_classOfDscp.fill(0);
}

uint32_t
CryptoMapEntry::GetSequence() const
{
    return m_sequence;
}

CryptoMapEntry::KeyManagement
CryptoMapEntry::GetKeyManagement() const
{
    return m_keyManagement;
}

void
CryptoMapEntry::SetAccessList(Ptr<Ipv4AccessList> accessList)
{
    m_accessList = accessList;
}

Ptr<Ipv4AccessList>
CryptoMapEntry::GetAccessList() const
{
    return m_accessList;
}

void
CryptoMapEntry::AddPeer(Ipv4Address peer)
{
    m_peers.push_back(peer);
}

const std::vector<Ipv4Address>&
CryptoMapEntry::GetPeers() const
{
    return m_peers;
}

Ipv4Address
CryptoMapEntry::GetCurrentPeer() const
{
    return m_peers.empty() ? Ipv4Address::GetAny() : m_peers[m_currentPeer];
}

void
CryptoMapEntry::AdvancePeer()
{
    if (!m_peers.empty())
    {
        m_currentPeer = (m_currentPeer + 1) % m_peers.size();
    }
}

void
CryptoMapEntry::AddTransformSet(const IpsecTransformSet& transformSet)
{
    m_transformSets.push_back(transformSet);
}

const std::vector<IpsecTransformSet>&
CryptoMapEntry::GetTransformSets() const
{
    return m_transformSets;
}

void
CryptoMapEntry::SetSessionKey(IpsecDirection direction,
                              IpsecProtocol protocol,
                              const IpsecManualKey& key,
                              uint32_t trafficClass)
{
    NS_ABORT_MSG_IF(trafficClass >= MAX_TRAFFIC_CLASSES,
                    "traffic class " << trafficClass << " is invalid: use 0 to "
                                     << MAX_TRAFFIC_CLASSES - 1);
    if (trafficClass >= m_keys.size())
    {
        m_keys.resize(trafficClass + 1);
    }
    m_keys[trafficClass][KeyIndex(direction, protocol)] = key;
}

const std::optional<IpsecManualKey>&
CryptoMapEntry::GetSessionKey(IpsecDirection direction,
                              IpsecProtocol protocol,
                              uint32_t trafficClass) const
{
    if (trafficClass >= m_keys.size())
    {
        return NO_KEY;
    }
    return m_keys[trafficClass][KeyIndex(direction, protocol)];
}

std::string
CryptoMapEntry::SetTrafficClasses(const std::vector<std::vector<uint8_t>>& dscpGroups,
                                  TrafficClassMode mode)
{
    uint32_t classCount = static_cast<uint32_t>(dscpGroups.size()) + 1;
    if (classCount > MAX_TRAFFIC_CLASSES)
    {
        return "crypto map entry " + std::to_string(m_sequence) + ": " +
               std::to_string(dscpGroups.size()) + " DSCP groups are too many: use at most " +
               std::to_string(MAX_TRAFFIC_CLASSES - 1) + " (the default class is added)";
    }

    // Build the table aside, so an invalid group leaves the entry unchanged.
    std::array<uint8_t, 64> classOfDscp;
    classOfDscp.fill(static_cast<uint8_t>(classCount - 1));
    std::array<bool, 64> listed{};
    for (uint32_t group = 0; group < dscpGroups.size(); ++group)
    {
        for (uint8_t dscp : dscpGroups[group])
        {
            if (dscp > 63 || listed[dscp])
            {
                return "crypto map entry " + std::to_string(m_sequence) + ": DSCP " +
                       std::to_string(dscp) +
                       (dscp > 63 ? " is invalid: use 0 to 63" : " is listed in two groups");
            }
            listed[dscp] = true;
            classOfDscp[dscp] = static_cast<uint8_t>(group);
        }
    }
    m_classOfDscp = classOfDscp;
    m_classCount = classCount;
    m_classMode = mode;
    m_outbound.assign(classCount, nullptr);
    if (m_keys.size() < classCount)
    {
        m_keys.resize(classCount);
    }
    return "";
}

uint32_t
CryptoMapEntry::GetTrafficClassCount() const
{
    return m_classCount;
}

CryptoMapEntry::TrafficClassMode
CryptoMapEntry::GetTrafficClassMode() const
{
    return m_classMode;
}

uint32_t
CryptoMapEntry::GetTrafficClass(uint8_t dscp) const
{
    return m_classOfDscp[dscp & 0x3f];
}

void
CryptoMapEntry::SetReplayWindowSize(uint32_t size)
{
    m_replayWindowSize = size;
}

void
CryptoMapEntry::SetReplayDisable()
{
    m_replayDisable = true;
}

std::optional<uint32_t>
CryptoMapEntry::GetReplayWindowSize() const
{
    return m_replayWindowSize;
}

bool
CryptoMapEntry::IsReplayDisabled() const
{
    return m_replayDisable;
}

void
CryptoMapEntry::SetExtendedSequenceNumbers(bool enabled)
{
    m_extendedSequenceNumbers = enabled;
}

bool
CryptoMapEntry::IsExtendedSequenceNumbers() const
{
    return m_extendedSequenceNumbers;
}

std::string
CryptoMapEntry::SetIdleTime(Time idleTime)
{
    std::string problem = CheckIdleTime(idleTime);
    if (problem.empty())
    {
        m_idleTime = idleTime;
    }
    return problem;
}

std::optional<Time>
CryptoMapEntry::GetIdleTime() const
{
    return m_idleTime;
}

std::string
CryptoMapEntry::SetLifetimeSeconds(Time seconds)
{
    std::string problem = CheckLifetimeSeconds(seconds);
    if (problem.empty())
    {
        m_lifetimeSeconds = seconds;
    }
    return problem;
}

std::string
CryptoMapEntry::SetLifetimeKilobytes(uint64_t kilobytes)
{
    std::string problem = CheckLifetimeKilobytes(kilobytes);
    if (problem.empty())
    {
        m_lifetimeKilobytes = kilobytes;
    }
    return problem;
}

std::optional<Time>
CryptoMapEntry::GetLifetimeSeconds() const
{
    return m_lifetimeSeconds;
}

std::optional<uint64_t>
CryptoMapEntry::GetLifetimeKilobytes() const
{
    return m_lifetimeKilobytes;
}

std::string
CryptoMapEntry::Validate() const
{
    std::ostringstream reason;
    if (m_peers.empty())
    {
        reason << "crypto map entry " << m_sequence << " has no peer: add `set peer ADDRESS`";
    }
    else if (!m_accessList)
    {
        reason << "crypto map entry " << m_sequence
               << " has no access list: add `match address ACL`";
    }
    else if (m_transformSets.empty())
    {
        reason << "crypto map entry " << m_sequence
               << " has no transform set: add `set transform-set NAME`";
    }
    else if (m_replayDisable && m_replayWindowSize)
    {
        reason << "crypto map entry " << m_sequence
               << " sets both replay window-size and replay disable: keep one";
    }
    else if (m_classMode == TrafficClassMode::SEQUENCE_SPACES && m_classCount > 1 &&
             m_extendedSequenceNumbers)
    {
        reason << "crypto map entry " << m_sequence
               << " combines sequence-number spaces with extended sequence numbers: keep one";
    }
    if (!reason.str().empty() || m_keyManagement != KeyManagement::MANUAL)
    {
        return reason.str();
    }

    // Manual keying needs the keys of every SA the transform set implies, in both directions,
    // and for every class that gets SAs of its own.
    const IpsecTransformSet& set = m_transformSets.front();
    uint32_t keyedClasses = m_classMode == TrafficClassMode::SEPARATE_SAS ? m_classCount : 1;
    for (uint32_t trafficClass = 0; trafficClass < keyedClasses; ++trafficClass)
    {
        for (IpsecDirection direction : {IpsecDirection::INBOUND, IpsecDirection::OUTBOUND})
        {
            const char* directionName =
                direction == IpsecDirection::INBOUND ? "inbound" : "outbound";
            if (set.HasEsp())
            {
                const auto& key = GetSessionKey(direction, IpsecProtocol::ESP, trafficClass);
                if (!key)
                {
                    reason << "crypto map entry " << m_sequence << " has no `set session-key "
                           << directionName << " esp` for transform set " << set.GetName()
                           << (keyedClasses > 1
                                   ? " and traffic class " + std::to_string(trafficClass)
                                   : std::string());
                    return reason.str();
                }
                if (key->encryptionKey.size() != set.GetEspEncryptionKeyLength() ||
                    key->integrityKey.size() != set.GetEspIntegrityKeyLength())
                {
                    reason << "crypto map entry " << m_sequence << ": " << directionName
                           << " esp session key has " << key->encryptionKey.size() << " cipher and "
                           << key->integrityKey.size() << " authenticator bytes, transform set "
                           << set.GetName() << " needs " << set.GetEspEncryptionKeyLength()
                           << " and " << set.GetEspIntegrityKeyLength();
                    return reason.str();
                }
            }
            if (set.HasAh())
            {
                const auto& key = GetSessionKey(direction, IpsecProtocol::AH, trafficClass);
                if (!key)
                {
                    reason << "crypto map entry " << m_sequence << " has no `set session-key "
                           << directionName << " ah` for transform set " << set.GetName()
                           << (keyedClasses > 1
                                   ? " and traffic class " + std::to_string(trafficClass)
                                   : std::string());
                    return reason.str();
                }
                if (key->integrityKey.size() != set.GetAhIntegrityKeyLength())
                {
                    reason << "crypto map entry " << m_sequence << ": " << directionName
                           << " ah session key has " << key->integrityKey.size()
                           << " bytes, transform set " << set.GetName() << " needs "
                           << set.GetAhIntegrityKeyLength();
                    return reason.str();
                }
            }
        }
    }
    return "";
}

void
CryptoMapEntry::SetOutboundBundle(Ptr<IpsecSaBundle> bundle, uint32_t trafficClass)
{
    NS_ASSERT_MSG(trafficClass < m_outbound.size(),
                  "traffic class " << trafficClass << " out of range");
    m_outbound[trafficClass] = bundle;
}

Ptr<IpsecSaBundle>
CryptoMapEntry::GetOutboundBundle(uint32_t trafficClass) const
{
    return m_outbound[trafficClass];
}

CryptoMap::CryptoMap(const std::string& name)
    : m_name(name),
      m_qosPreClassify(false)
{
}

void
CryptoMap::SetQosPreClassify(bool enabled)
{
    m_qosPreClassify = enabled;
}

bool
CryptoMap::IsQosPreClassify() const
{
    return m_qosPreClassify;
}

const std::string&
CryptoMap::GetName() const
{
    return m_name;
}

void
CryptoMap::AddEntry(Ptr<CryptoMapEntry> entry)
{
    auto position = std::lower_bound(m_entries.begin(),
                                     m_entries.end(),
                                     entry->GetSequence(),
                                     [](const Ptr<CryptoMapEntry>& existing, uint32_t sequence) {
                                         return existing->GetSequence() < sequence;
                                     });
    if (position != m_entries.end() && (*position)->GetSequence() == entry->GetSequence())
    {
        *position = entry;
        return;
    }
    m_entries.insert(position, entry);
}

Ptr<CryptoMapEntry>
CryptoMap::GetEntry(uint32_t sequence) const
{
    for (const auto& entry : m_entries)
    {
        if (entry->GetSequence() == sequence)
        {
            return entry;
        }
    }
    return nullptr;
}

const std::vector<Ptr<CryptoMapEntry>>&
CryptoMap::GetEntries() const
{
    return m_entries;
}

Ptr<CryptoMapEntry>
CryptoMap::Lookup(const Ipv4FlowTuple& tuple) const
{
    for (const auto& entry : m_entries)
    {
        // A deny line only means "not this entry": evaluation goes on with the next one.
        if (entry->GetAccessList() &&
            entry->GetAccessList()->Evaluate(tuple) == Ipv4AccessList::Action::PERMIT)
        {
            return entry;
        }
    }
    return nullptr;
}

Ptr<CryptoMapEntry>
CryptoMap::LookupInbound(const Ipv4FlowTuple& tuple) const
{
    return Lookup(tuple.Mirror());
}

} // namespace ns3
