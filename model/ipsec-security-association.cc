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
      m_sequence(0),
      m_connectionId(0),
      m_flowId(0),
      m_cryptoMapSequence(0),
      m_creationTime(Simulator::Now()),
      m_lifetime(Seconds(3600)),
      m_lifetimeKilobytes(4608000),
      m_lastUsed(Simulator::Now())
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
    m_extended = enabled;
    m_replayWindow.Configure(m_replayWindow.GetSize(), m_replayWindow.IsEnabled(), enabled);
}

bool
IpsecSecurityAssociation::IsExtendedSequenceNumbers() const
{
    return m_extended;
}

uint64_t
IpsecSecurityAssociation::NextSequenceNumber()
{
    uint64_t limit =
        m_extended ? std::numeric_limits<uint64_t>::max() : std::numeric_limits<uint32_t>::max();
    if (m_sequence >= limit)
    {
        return 0;
    }
    return ++m_sequence;
}

uint64_t
IpsecSecurityAssociation::GetLastSequenceNumber() const
{
    return m_sequence;
}

void
IpsecSecurityAssociation::SetLastSequenceNumber(uint64_t sequence)
{
    m_sequence = sequence;
}

AntiReplayWindow&
IpsecSecurityAssociation::GetReplayWindow()
{
    return m_replayWindow;
}

const AntiReplayWindow&
IpsecSecurityAssociation::GetReplayWindow() const
{
    return m_replayWindow;
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
    uint64_t used = m_counters.bytes / 1024;
    return used < m_lifetimeKilobytes ? m_lifetimeKilobytes - used : 0;
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

} // namespace ns3
