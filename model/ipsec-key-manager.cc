// Copyright (c) 2026 The ns3-ipsec authors
// SPDX-License-Identifier: GPL-2.0-only

#include "ipsec-key-manager.h"

namespace ns3
{

NS_OBJECT_ENSURE_REGISTERED(IpsecKeyManager);

const char*
IpsecSaDeleteReasonName(IpsecSaDeleteReason reason)
{
    switch (reason)
    {
    case IpsecSaDeleteReason::HARD_EXPIRED:
        return "hard-expired";
    case IpsecSaDeleteReason::IDLE:
        return "idle";
    case IpsecSaDeleteReason::CLEARED:
        return "cleared";
    case IpsecSaDeleteReason::PEER_DELETE:
        return "peer-delete";
    case IpsecSaDeleteReason::PEER_DEAD:
        return "peer-dead";
    case IpsecSaDeleteReason::REBOOT:
        return "reboot";
    }
    return "unknown";
}

TypeId
IpsecKeyManager::GetTypeId()
{
    static TypeId tid = TypeId("ns3::IpsecKeyManager").SetParent<Object>().SetGroupName("Ipsec");
    return tid;
}

} // namespace ns3
