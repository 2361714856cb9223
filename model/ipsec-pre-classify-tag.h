// Copyright (c) 2026 The ns3-ipsec authors
// SPDX-License-Identifier: GPL-2.0-only

#ifndef IPSEC_PRE_CLASSIFY_TAG_H
#define IPSEC_PRE_CLASSIFY_TAG_H

#include "ipv4-access-list.h"

#include "ns3/tag.h"

namespace ns3
{

/**
 * \ingroup ipsec
 * The inner packet's fields, carried on a protected packet so that egress classification
 * can look at the inner header (IOS `qos pre-classify` on a crypto map).
 *
 * Without the tag an egress queue disc classifies on the outer header alone, which in tunnel mode
 * carries the inner DSCP but not the inner addresses, protocol or ports.
 */
class IpsecPreClassifyTag : public Tag
{
  public:
    IpsecPreClassifyTag();

    /**
     * \brief Get the type ID.
     * \return the object TypeId
     */
    static TypeId GetTypeId();
    TypeId GetInstanceTypeId() const override;
    uint32_t GetSerializedSize() const override;
    void Serialize(TagBuffer buffer) const override;
    void Deserialize(TagBuffer buffer) override;
    void Print(std::ostream& os) const override;

    /// \param tuple the inner packet's fields
    void SetTuple(const Ipv4FlowTuple& tuple);
    /// \return the inner packet's fields
    const Ipv4FlowTuple& GetTuple() const;
    /// \param nodeId the node that protected the packet
    void SetNodeId(uint32_t nodeId);
    /// \return the node that protected the packet
    uint32_t GetNodeId() const;

  private:
    Ipv4FlowTuple m_tuple; //!< inner packet's fields
    uint32_t m_nodeId{0};  //!< node that protected the packet
};

} // namespace ns3

#endif // IPSEC_PRE_CLASSIFY_TAG_H
