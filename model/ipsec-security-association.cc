// Copyright (c) 2026 The ns3-ipsec authors
// SPDX-License-Identifier: GPL-2.0-only

#include "ipsec-security-association.h"

#include "ns3/abort.h"
#include "ns3/log.h"
#include "ns3/simulator.h"

#include <limits>

namespace ns3
{

NS_LOG_COMPONENT_DEFINE("IpsecSecurityAssociation");

IpsecSecurityAssociation::IpsecSecurityAssociation(IpsecDirection direction,
                                                   IpsecProtocol protocol,
                                                   uint32_t spi,
                                                   const IpsecTransformSet& transformSet,
                                                   const std::vector<uint8_t>& encryptionKey,
                                                   const std::vector<uint8_t>& integrityKey,
                                                   Ipv4Address localAddress,
                                                   Ipv4Address peerAddress,
                                                   bool modelled)
    : m_direction(direction),
      m_protocol(protocol),
      m_spi(spi),
      m_transformSet(transformSet),
      m_encryptionKey(encryptionKey),
      m_integrityKey(integrityKey),
      m_localAddress(localAddress),
      m_peerAddress(peerAddress),
      m_modelled(modelled),
      m_extended(false),
      m_sequences(1, 0),
      m_replayWindows(1),
      m_spaceShift(32),
      m_connectionId(0),
      m_flowId(0),
      m_cryptoMapSequence(0),
      m_creationTime(Simulator::Now()),
      m_lifetime(Seconds(3600)),
      m_lifetimeKilobytes(4608000),
      m_lastUsed(Simulator::Now()),
      m_volumeMark(std::numeric_limits<uint64_t>::max()),
      m_sendWatched(false),
      m_setId(0)
{
    NS_LOG_FUNCTION(this << spi);

    // SPIs 1..255 are reserved by IANA and 0 means "no SA" (RFC 4303 section 2.1).
    NS_ABORT_MSG_IF(spi < 256,
                    "invalid SPI " << spi << ": SPIs 0..255 are reserved, use 256 or more");

    if (protocol == IpsecProtocol::ESP)
    {
        NS_ABORT_MSG_IF(!transformSet.HasEsp(),
                        "transform set " << transformSet.GetName() << " has no ESP transform");
        m_cipher =
            std::make_unique<IpsecCipher>(transformSet.GetEspEncryption(), encryptionKey, modelled);
        if (transformSet.GetEspIntegrity() != IpsecIntegrity::NONE)
        {
            m_integrity = std::make_unique<IpsecIntegrityCheck>(transformSet.GetEspIntegrity(),
                                                                integrityKey,
                                                                modelled);
        }
    }
    else
    {
        NS_ABORT_MSG_IF(!transformSet.HasAh(),
                        "transform set " << transformSet.GetName() << " has no AH transform");
        m_integrity = std::make_unique<IpsecIntegrityCheck>(transformSet.GetAhIntegrity(),
                                                            integrityKey,
                                                            modelled);
    }
}

IpsecDirection
IpsecSecurityAssociation::GetDirection() const
{
    return m_direction;
}

IpsecProtocol
IpsecSecurityAssociation::GetProtocol() const
{
    return m_protocol;
}

uint32_t
IpsecSecurityAssociation::GetSpi() const
{
    return m_spi;
}

IpsecMode
IpsecSecurityAssociation::GetMode() const
{
    return m_transformSet.GetMode();
}

const IpsecTransformSet&
IpsecSecurityAssociation::GetTransformSet() const
{
    return m_transformSet;
}

Ipv4Address
IpsecSecurityAssociation::GetLocalAddress() const
{
    return m_localAddress;
}

Ipv4Address
IpsecSecurityAssociation::GetPeerAddress() const
{
    return m_peerAddress;
}

bool
IpsecSecurityAssociation::IsModelled() const
{
    return m_modelled;
}

const std::vector<uint8_t>&
IpsecSecurityAssociation::GetEncryptionKey() const
{
    return m_encryptionKey;
}

const std::vector<uint8_t>&
IpsecSecurityAssociation::GetIntegrityKey() const
{
    return m_integrityKey;
}

IpsecCipher*
IpsecSecurityAssociation::GetCipher() const
{
    return m_cipher.get();
}

IpsecIntegrityCheck*
IpsecSecurityAssociation::GetIntegrityCheck() const
{
    return m_integrity.get();
}

uint32_t
IpsecSecurityAssociation::GetIcvLength() const
{
    uint32_t length = m_integrity ? m_integrity->GetIcvLength() : 0;
    if (m_cipher)
    {
        length += m_cipher->GetTagLength();
    }
    return length;
}

void
IpsecSecurityAssociation::SetSelectors(Ptr<const Ipv4AccessList> selectors)
{
    m_selectors = selectors;
}

Ptr<const Ipv4AccessList>
IpsecSecurityAssociation::GetSelectors() const
{
    return m_selectors;
}

void
IpsecSecurityAssociation::SetExtendedSequenceNumbers(bool enabled)
{
    NS_ABORT_MSG_IF(enabled && m_sequences.size() > 1,
                    "SA " << m_spi << ": extended sequence numbers and sequence-number spaces "
                          << "cannot be combined");
    m_extended = enabled;
    for (auto& window : m_replayWindows)
    {
        window.Configure(window.GetSize(), window.IsEnabled(), enabled);
    }
}

bool
IpsecSecurityAssociation::IsExtendedSequenceNumbers() const
{
    return m_extended;
}

void
IpsecSecurityAssociation::SetSequenceSpaces(uint32_t count)
{
    NS_ABORT_MSG_IF(count < 1 || count > 16,
                    "SA " << m_spi << ": " << count
                          << " sequence-number spaces are invalid: use 1 to 16");
    NS_ABORT_MSG_IF(count > 1 && m_extended,
                    "SA " << m_spi << ": sequence-number spaces and extended sequence numbers "
                          << "cannot be combined");
    uint32_t bits = 0;
    while ((1u << bits) < count)
    {
        ++bits;
    }
    m_spaceShift = 32 - bits;
    m_sequences.assign(count, 0);
    AntiReplayWindow first = m_replayWindows.front();
    m_replayWindows.assign(count, first);
    for (auto& window : m_replayWindows)
    {
        window.Configure(first.GetSize(), first.IsEnabled(), false);
    }
}

uint32_t
IpsecSecurityAssociation::GetSequenceSpaceCount() const
{
    return static_cast<uint32_t>(m_sequences.size());
}

uint32_t
IpsecSecurityAssociation::GetSequenceSpace(uint32_t low) const
{
    return m_spaceShift >= 32 ? 0 : low >> m_spaceShift;
}

uint64_t
IpsecSecurityAssociation::NextSequenceNumber(uint32_t space)
{
    NS_ASSERT_MSG(space < m_sequences.size(), "sequence-number space " << space << " out of range");
    uint64_t& counter = m_sequences[space];
    uint64_t limit =
        m_extended ? std::numeric_limits<uint64_t>::max() : (uint64_t{1} << m_spaceShift) - 1;
    if (counter >= limit)
    {
        return 0;
    }
    ++counter;
    return m_spaceShift >= 32 ? counter : (uint64_t{space} << m_spaceShift) | counter;
}

uint64_t
IpsecSecurityAssociation::GetLastSequenceNumber(uint32_t space) const
{
    return m_sequences[space];
}

void
IpsecSecurityAssociation::SetLastSequenceNumber(uint64_t sequence, uint32_t space)
{
    m_sequences[space] = sequence;
}

void
IpsecSecurityAssociation::ConfigureReplayWindow(uint32_t size, bool enabled)
{
    for (auto& window : m_replayWindows)
    {
        window.Configure(size, enabled, m_extended);
    }
}

AntiReplayWindow&
IpsecSecurityAssociation::GetReplayWindow(uint32_t space)
{
    return m_replayWindows[space];
}

const AntiReplayWindow&
IpsecSecurityAssociation::GetReplayWindow(uint32_t space) const
{
    return m_replayWindows[space];
}

void
IpsecSecurityAssociation::AcceptSequenceNumber(uint64_t sequence, uint32_t space)
{
    AntiReplayWindow& window = m_replayWindows[space];
    uint64_t top = window.GetTop();
    m_reordering.Record(sequence < top ? top - sequence : 0, false);
    window.Update(sequence);
}

void
IpsecSecurityAssociation::RecordReplayDrop(uint64_t sequence, uint32_t space, bool duplicate)
{
    uint64_t top = m_replayWindows[space].GetTop();
    m_reordering.Record(sequence < top ? top - sequence : 0, duplicate);
}

const ReorderingHistogram&
IpsecSecurityAssociation::GetReorderingHistogram() const
{
    return m_reordering;
}

IpsecSaCounters&
IpsecSecurityAssociation::GetCounters()
{
    return m_counters;
}

const IpsecSaCounters&
IpsecSecurityAssociation::GetCounters() const
{
    return m_counters;
}

void
IpsecSecurityAssociation::SetConnectionId(uint32_t id)
{
    m_connectionId = id;
}

uint32_t
IpsecSecurityAssociation::GetConnectionId() const
{
    return m_connectionId;
}

void
IpsecSecurityAssociation::SetFlowId(uint32_t id)
{
    m_flowId = id;
}

uint32_t
IpsecSecurityAssociation::GetFlowId() const
{
    return m_flowId;
}

void
IpsecSecurityAssociation::SetCryptoMapName(const std::string& name)
{
    m_cryptoMapName = name;
}

const std::string&
IpsecSecurityAssociation::GetCryptoMapName() const
{
    return m_cryptoMapName;
}

void
IpsecSecurityAssociation::SetCryptoMapSequence(uint32_t sequence)
{
    m_cryptoMapSequence = sequence;
}

uint32_t
IpsecSecurityAssociation::GetCryptoMapSequence() const
{
    return m_cryptoMapSequence;
}

void
IpsecSecurityAssociation::SetTunnelDevice(Ptr<NetDevice> device)
{
    m_tunnelDevice = device;
}

Ptr<NetDevice>
IpsecSecurityAssociation::GetTunnelDevice() const
{
    return m_tunnelDevice;
}

Time
IpsecSecurityAssociation::GetCreationTime() const
{
    return m_creationTime;
}

void
IpsecSecurityAssociation::SetLifetime(Time seconds, uint64_t kilobytes)
{
    m_lifetime = seconds;
    m_lifetimeKilobytes = kilobytes;
}

Time
IpsecSecurityAssociation::GetLifetime() const
{
    return m_lifetime;
}

uint64_t
IpsecSecurityAssociation::GetLifetimeKilobytes() const
{
    return m_lifetimeKilobytes;
}

int64_t
IpsecSecurityAssociation::GetRemainingSeconds() const
{
    Time left = m_creationTime + m_lifetime - Simulator::Now();
    return left.IsStrictlyPositive() ? left.GetSeconds() : 0;
}

uint64_t
IpsecSecurityAssociation::GetRemainingKilobytes() const
{
    // Bytes left, then whole kilobytes, so a partly used kilobyte no longer counts.
    uint64_t limit = m_lifetimeKilobytes * 1024;
    return m_counters.bytes < limit ? (limit - m_counters.bytes) / 1024 : 0;
}

Time
IpsecSecurityAssociation::GetLastUsedTime() const
{
    return m_lastUsed;
}

void
IpsecSecurityAssociation::Touch()
{
    m_lastUsed = Simulator::Now();
}

void
IpsecSecurityAssociation::SetVolumeMark(uint64_t bytes)
{
    m_volumeMark = bytes;
}

uint64_t
IpsecSecurityAssociation::GetVolumeMark() const
{
    return m_volumeMark;
}

void
IpsecSecurityAssociation::WatchSend()
{
    NS_LOG_FUNCTION(this << m_spi);
    m_sendWatched = true;
}

void
IpsecSecurityAssociation::ClearSendWatch()
{
    m_sendWatched = false;
}

void
IpsecSecurityAssociation::SetSetId(uint32_t id)
{
    m_setId = id;
}

uint32_t
IpsecSecurityAssociation::GetSetId() const
{
    return m_setId;
}

} // namespace ns3
