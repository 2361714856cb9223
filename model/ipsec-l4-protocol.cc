// Copyright (c) 2026 The ns3-ipsec authors
// SPDX-License-Identifier: GPL-2.0-only

#include "ipsec-l4-protocol.h"

#include "ipsec-stack.h"

#include "ns3/ipv4-interface.h"
#include "ns3/log.h"

namespace ns3
{

NS_LOG_COMPONENT_DEFINE("IpsecL4Protocol");

NS_OBJECT_ENSURE_REGISTERED(IpsecL4Protocol);

TypeId
IpsecL4Protocol::GetTypeId()
{
    static TypeId tid = TypeId("ns3::IpsecL4Protocol")
                            .SetParent<IpL4Protocol>()
                            .SetGroupName("Ipsec")
                            .AddConstructor<IpsecL4Protocol>();
    return tid;
}

IpsecL4Protocol::IpsecL4Protocol()
    : m_protocol(IpsecProtocol::ESP)
{
    NS_LOG_FUNCTION(this);
}

IpsecL4Protocol::~IpsecL4Protocol()
{
    NS_LOG_FUNCTION(this);
}

void
IpsecL4Protocol::DoDispose()
{
    NS_LOG_FUNCTION(this);
    m_stack = nullptr;
    m_downTarget = IpL4Protocol::DownTargetCallback();
    m_downTarget6 = IpL4Protocol::DownTargetCallback6();
    IpL4Protocol::DoDispose();
}

void
IpsecL4Protocol::Setup(IpsecProtocol protocol, Ptr<IpsecStack> stack)
{
    m_protocol = protocol;
    m_stack = stack;
}

int
IpsecL4Protocol::GetProtocolNumber() const
{
    return static_cast<int>(m_protocol);
}

enum IpL4Protocol::RxStatus
IpsecL4Protocol::Receive(Ptr<Packet> p,
                         const Ipv4Header& header,
                         Ptr<Ipv4Interface> incomingInterface)
{
    NS_LOG_FUNCTION(this << p << header << incomingInterface);
    if (m_stack)
    {
        m_stack->Receive(m_protocol, p, header, incomingInterface);
    }
    return IpL4Protocol::RX_OK;
}

enum IpL4Protocol::RxStatus
IpsecL4Protocol::Receive(Ptr<Packet> p,
                         const Ipv6Header& header,
                         Ptr<Ipv6Interface> incomingInterface)
{
    NS_LOG_FUNCTION(this << p);
    NS_LOG_LOGIC("IPv6 IPsec is not modelled; packet dropped");
    return IpL4Protocol::RX_OK;
}

void
IpsecL4Protocol::SetDownTarget(IpL4Protocol::DownTargetCallback cb)
{
    m_downTarget = cb;
}

void
IpsecL4Protocol::SetDownTarget6(IpL4Protocol::DownTargetCallback6 cb)
{
    m_downTarget6 = cb;
}

IpL4Protocol::DownTargetCallback
IpsecL4Protocol::GetDownTarget() const
{
    return m_downTarget;
}

IpL4Protocol::DownTargetCallback6
IpsecL4Protocol::GetDownTarget6() const
{
    return m_downTarget6;
}

} // namespace ns3
