// Copyright (c) 2026 The ns3-ipsec authors
// SPDX-License-Identifier: GPL-2.0-only

#include "ike-sa.h"

#include "ns3/simulator.h"

#include <algorithm>

namespace ns3
{

const char*
IkeSaStateName(IkeSaState state)
{
    switch (state)
    {
    case IkeSaState::MM_NO_STATE:
        return "MM_NO_STATE";
    case IkeSaState::MM_SA_SETUP:
        return "MM_SA_SETUP";
    case IkeSaState::MM_KEY_EXCH:
        return "MM_KEY_EXCH";
    case IkeSaState::QM_IDLE:
        return "QM_IDLE";
    }
    return "UNKNOWN";
}

IkeSa::IkeSa(bool initiator, Ipv4Address local, Ipv4Address peer, uint32_t connectionId)
    : m_state(IkeSaState::MM_NO_STATE),
      m_deleted(false),
      m_initiator(initiator),
      m_local(local),
      m_peer(peer),
      m_initiatorCookie(0),
      m_responderCookie(0),
      m_connectionId(connectionId),
      m_retransmissions(0),
      m_createdTime(Simulator::Now()),
      m_establishedTime(Seconds(0))
{
}

IkeSaState
IkeSa::GetState() const
{
    return m_state;
}

bool
IkeSa::IsDeleted() const
{
    return m_deleted;
}

bool
IkeSa::IsEstablished() const
{
    return !m_deleted && m_state == IkeSaState::QM_IDLE;
}

bool
IkeSa::IsInitiator() const
{
    return m_initiator;
}

Ipv4Address
IkeSa::GetLocalAddress() const
{
    return m_local;
}

Ipv4Address
IkeSa::GetPeerAddress() const
{
    return m_peer;
}

uint64_t
IkeSa::GetInitiatorCookie() const
{
    return m_initiatorCookie;
}

uint64_t
IkeSa::GetResponderCookie() const
{
    return m_responderCookie;
}

uint32_t
IkeSa::GetConnectionId() const
{
    return m_connectionId;
}

const IsakmpPolicy&
IkeSa::GetPolicy() const
{
    return m_policy;
}

Time
IkeSa::GetEstablishedTime() const
{
    return m_establishedTime;
}

const std::vector<std::vector<uint8_t>>&
IkeSa::GetPeerVendorIds() const
{
    return m_peerVendorIds;
}

bool
IkeSa::HasPeerVendorId(const std::vector<uint8_t>& vendorId) const
{
    return std::find(m_peerVendorIds.begin(), m_peerVendorIds.end(), vendorId) !=
           m_peerVendorIds.end();
}

void
IkeSa::CancelEvents()
{
    m_retransmitEvent.Cancel();
    m_processingEvent.Cancel();
    m_expireEvent.Cancel();
    m_retransmitEvent = EventId();
    m_processingEvent = EventId();
    m_expireEvent = EventId();
}

std::vector<uint8_t>
IkeSa::GetCookieBytes() const
{
    std::vector<uint8_t> bytes(16);
    for (int i = 0; i < 8; ++i)
    {
        bytes[i] = static_cast<uint8_t>(m_initiatorCookie >> (56 - 8 * i));
        bytes[8 + i] = static_cast<uint8_t>(m_responderCookie >> (56 - 8 * i));
    }
    return bytes;
}

} // namespace ns3
