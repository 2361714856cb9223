// Copyright (c) 2026 The ns3-ipsec authors
// SPDX-License-Identifier: GPL-2.0-only

#include "crypto-map.h"

#include "ns3/log.h"

#include <algorithm>
#include <sstream>

namespace ns3
{

NS_LOG_COMPONENT_DEFINE("CryptoMap");

namespace
{

/// \return the index of a protocol in CryptoMapEntry's key table
int
ProtocolIndex(IpsecProtocol protocol)
{
    return protocol == IpsecProtocol::ESP ? 0 : 1;
}

/// \return the index of a direction in CryptoMapEntry's key table
int
DirectionIndex(IpsecDirection direction)
{
    return direction == IpsecDirection::INBOUND ? 0 : 1;
}

} // namespace

CryptoMapEntry::CryptoMapEntry(uint32_t sequence, KeyManagement keyManagement)
    : m_sequence(sequence),
      m_keyManagement(keyManagement),
      m_currentPeer(0),
      m_replayDisable(false),
      m_extendedSequenceNumbers(false)
{
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
                              const IpsecManualKey& key)
{
    m_keys[DirectionIndex(direction)][ProtocolIndex(protocol)] = key;
}

const std::optional<IpsecManualKey>&
CryptoMapEntry::GetSessionKey(IpsecDirection direction, IpsecProtocol protocol) const
{
    return m_keys[DirectionIndex(direction)][ProtocolIndex(protocol)];
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

void
CryptoMapEntry::SetIdleTime(Time idleTime)
{
    m_idleTime = idleTime;
}

std::optional<Time>
CryptoMapEntry::GetIdleTime() const
{
    return m_idleTime;
}

void
CryptoMapEntry::SetLifetimeSeconds(Time seconds)
{
    m_lifetimeSeconds = seconds;
}

void
CryptoMapEntry::SetLifetimeKilobytes(uint64_t kilobytes)
{
    m_lifetimeKilobytes = kilobytes;
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
    if (!reason.str().empty() || m_keyManagement != KeyManagement::MANUAL)
    {
        return reason.str();
    }

    // Manual keying needs the keys of every SA the transform set implies, in both directions.
    const IpsecTransformSet& set = m_transformSets.front();
    for (IpsecDirection direction : {IpsecDirection::INBOUND, IpsecDirection::OUTBOUND})
    {
        const char* directionName = direction == IpsecDirection::INBOUND ? "inbound" : "outbound";
        if (set.HasEsp())
        {
            const auto& key = GetSessionKey(direction, IpsecProtocol::ESP);
            if (!key)
            {
                reason << "crypto map entry " << m_sequence << " has no `set session-key "
                       << directionName << " esp` for transform set " << set.GetName();
                return reason.str();
            }
            if (key->encryptionKey.size() != set.GetEspEncryptionKeyLength() ||
                key->integrityKey.size() != set.GetEspIntegrityKeyLength())
            {
                reason << "crypto map entry " << m_sequence << ": " << directionName
                       << " esp session key has " << key->encryptionKey.size() << " cipher and "
                       << key->integrityKey.size() << " authenticator bytes, transform set "
                       << set.GetName() << " needs " << set.GetEspEncryptionKeyLength() << " and "
                       << set.GetEspIntegrityKeyLength();
                return reason.str();
            }
        }
        if (set.HasAh())
        {
            const auto& key = GetSessionKey(direction, IpsecProtocol::AH);
            if (!key)
            {
                reason << "crypto map entry " << m_sequence << " has no `set session-key "
                       << directionName << " ah` for transform set " << set.GetName();
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
    return "";
}

void
CryptoMapEntry::SetOutboundBundle(Ptr<IpsecSaBundle> bundle)
{
    m_outbound = bundle;
}

Ptr<IpsecSaBundle>
CryptoMapEntry::GetOutboundBundle() const
{
    return m_outbound;
}

CryptoMap::CryptoMap(const std::string& name)
    : m_name(name)
{
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
