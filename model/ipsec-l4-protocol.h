// Copyright (c) 2026 The ns3-ipsec authors
// SPDX-License-Identifier: GPL-2.0-only

#ifndef IPSEC_L4_PROTOCOL_H
#define IPSEC_L4_PROTOCOL_H

#include "ipsec-transform-set.h"

#include "ns3/ip-l4-protocol.h"

namespace ns3
{

class IpsecStack;

/**
 * \ingroup ipsec
 * The ESP (50) or AH (51) protocol handler that Ipv4L3Protocol delivers to.
 *
 * IPv4 treats ESP and AH like any upper-layer protocol: it reassembles fragments and
 * delivers the payload addressed to the node here. This handler only passes the packet
 * to the node's IpsecStack; it never makes IPv4 send an ICMP error, because a
 * router drops bad IPsec packets silently and counts them.
 */
class IpsecL4Protocol : public IpL4Protocol
{
  public:
    /**
     * \brief Get the type ID.
     * \return the object TypeId
     */
    static TypeId GetTypeId();
    IpsecL4Protocol();
    ~IpsecL4Protocol() override;

    /**
     * Sets the protocol this handler serves and the stack it delivers to.
     * \param protocol ESP or AH
     * \param stack the node's IPsec stack
     */
    void Setup(IpsecProtocol protocol, Ptr<IpsecStack> stack);

    int GetProtocolNumber() const override;
    enum RxStatus Receive(Ptr<Packet> p,
                          const Ipv4Header& header,
                          Ptr<Ipv4Interface> incomingInterface) override;
    enum RxStatus Receive(Ptr<Packet> p,
                          const Ipv6Header& header,
                          Ptr<Ipv6Interface> incomingInterface) override;
    void SetDownTarget(IpL4Protocol::DownTargetCallback cb) override;
    void SetDownTarget6(IpL4Protocol::DownTargetCallback6 cb) override;
    IpL4Protocol::DownTargetCallback GetDownTarget() const override;
    IpL4Protocol::DownTargetCallback6 GetDownTarget6() const override;

  protected:
    void DoDispose() override;

  private:
    IpsecProtocol m_protocol;                        //!< ESP or AH
    Ptr<IpsecStack> m_stack;                         //!< the node's IPsec stack
    IpL4Protocol::DownTargetCallback m_downTarget;   //!< IPv4 send callback (unused)
    IpL4Protocol::DownTargetCallback6 m_downTarget6; //!< IPv6 send callback (unused)
};

} // namespace ns3

#endif // IPSEC_L4_PROTOCOL_H
