// Copyright (c) 2026 The ns3-ipsec authors
// SPDX-License-Identifier: GPL-2.0-only

#include "ipsec-crypto-engine.h"

#include "ns3/assert.h"
#include "ns3/ipv4-l3-protocol.h"
#include "ns3/log.h"
#include "ns3/simulator.h"
#include "ns3/uinteger.h"

#include <algorithm>

namespace ns3
{

NS_LOG_COMPONENT_DEFINE("IpsecCryptoEngine");

NS_OBJECT_ENSURE_REGISTERED(IpsecCryptoEngine);

IpsecCryptoJob::IpsecCryptoJob(Ptr<Packet> packet,
                               const Ipv4Header& header,
                               bool encrypt,
                               StartFunction start)
    : Ipv4QueueDiscItem(packet, Address(), Ipv4L3Protocol::PROT_NUMBER, header),
      m_encrypt(encrypt),
      m_start(std::move(start))
{
}

bool
IpsecCryptoJob::IsEncrypt() const
{
    return m_encrypt;
}

const IpsecCryptoJob::StartFunction&
IpsecCryptoJob::GetStart() const
{
    return m_start;
}

TypeId
IpsecCryptoEngine::GetTypeId()
{
    static TypeId tid =
        TypeId("ns3::IpsecCryptoEngine")
            .SetParent<Object>()
            .SetGroupName("Ipsec")
            .AddConstructor<IpsecCryptoEngine>()
            .AddAttribute("EncryptPacketTime",
                          "Fixed time (s) a worker spends encrypting any packet.",
                          TimeValue(Seconds(0)),
                          MakeTimeAccessor(&IpsecCryptoEngine::m_encryptPacketTime),
                          MakeTimeChecker(Seconds(0)))
            .AddAttribute("EncryptRate",
                          "Bytes a worker encrypts per second, as a data rate (b/s); 0 means "
                          "no per-byte cost.",
                          DataRateValue(DataRate(0)),
                          MakeDataRateAccessor(&IpsecCryptoEngine::m_encryptRate),
                          MakeDataRateChecker())
            .AddAttribute("DecryptPacketTime",
                          "Fixed time (s) a worker spends decrypting any packet.",
                          TimeValue(Seconds(0)),
                          MakeTimeAccessor(&IpsecCryptoEngine::m_decryptPacketTime),
                          MakeTimeChecker(Seconds(0)))
            .AddAttribute("DecryptRate",
                          "Bytes a worker decrypts per second, as a data rate (b/s); 0 means "
                          "no per-byte cost.",
                          DataRateValue(DataRate(0)),
                          MakeDataRateAccessor(&IpsecCryptoEngine::m_decryptRate),
                          MakeDataRateChecker())
            .AddAttribute("Workers",
                          "Packets the engine serves in parallel.",
                          UintegerValue(1),
                          MakeUintegerAccessor(&IpsecCryptoEngine::m_workers),
                          MakeUintegerChecker<uint32_t>(1, 64))
            .AddAttribute("QueueLimit",
                          "Packets that may wait in the engine's own queue (without a queue "
                          "disc); more are dropped.",
                          UintegerValue(1000),
                          MakeUintegerAccessor(&IpsecCryptoEngine::m_queueLimit),
                          MakeUintegerChecker<uint32_t>(1))
            .AddAttribute("SaCapacity",
                          "SAs the engine can hold; 0 means no limit.",
                          UintegerValue(0),
                          MakeUintegerAccessor(&IpsecCryptoEngine::m_saCapacity),
                          MakeUintegerChecker<uint32_t>())
            .AddTraceSource("Enqueue",
                            "A packet was queued for the engine.",
                            MakeTraceSourceAccessor(&IpsecCryptoEngine::m_enqueueTrace),
                            "ns3::IpsecCryptoEngine::JobTracedCallback")
            .AddTraceSource("Start",
                            "A worker took a packet.",
                            MakeTraceSourceAccessor(&IpsecCryptoEngine::m_startTrace),
                            "ns3::IpsecCryptoEngine::JobTracedCallback")
            .AddTraceSource("Finish",
                            "A worker finished a packet.",
                            MakeTraceSourceAccessor(&IpsecCryptoEngine::m_finishTrace),
                            "ns3::IpsecCryptoEngine::JobTracedCallback")
            .AddTraceSource("Drop",
                            "A packet was dropped because the engine's queue was full.",
                            MakeTraceSourceAccessor(&IpsecCryptoEngine::m_dropTrace),
                            "ns3::IpsecCryptoEngine::JobTracedCallback");
    return tid;
}

IpsecCryptoEngine::IpsecCryptoEngine()
    : m_workers(1),
      m_queueLimit(1000),
      m_saCapacity(0),
      m_busyWorkers(0),
      m_saCount(0),
      m_served{0, 0},
      m_bytes{0, 0},
      m_drops(0),
      m_received(0),
      m_peakQueue(0)
{
    NS_LOG_FUNCTION(this);
}

IpsecCryptoEngine::~IpsecCryptoEngine()
{
    NS_LOG_FUNCTION(this);
}

void
IpsecCryptoEngine::DoDispose()
{
    NS_LOG_FUNCTION(this);
    for (auto& event : m_pending)
    {
        event.Cancel();
    }
    m_pending.clear();
    m_busyWorkers = 0;
    m_fifo.clear();
    m_queueDisc = nullptr;
    Object::DoDispose();
}

bool
IpsecCryptoEngine::IsEnabled() const
{
    return !m_encryptPacketTime.IsZero() || !m_decryptPacketTime.IsZero() ||
           m_encryptRate.GetBitRate() != 0 || m_decryptRate.GetBitRate() != 0;
}

Time
IpsecCryptoEngine::GetServiceTime(uint32_t bytes, bool encrypt) const
{
    const DataRate& rate = encrypt ? m_encryptRate : m_decryptRate;
    Time perPacket = encrypt ? m_encryptPacketTime : m_decryptPacketTime;
    if (rate.GetBitRate() == 0)
    {
        return perPacket;
    }
    return perPacket + rate.CalculateBytesTxTime(bytes);
}

void
IpsecCryptoEngine::SetQueueDisc(Ptr<QueueDisc> queueDisc)
{
    NS_LOG_FUNCTION(this << queueDisc);
    m_queueDisc = queueDisc;
    if (m_queueDisc)
    {
        m_queueDisc->Initialize();
    }
}

Ptr<QueueDisc>
IpsecCryptoEngine::GetQueueDisc() const
{
    return m_queueDisc;
}

uint32_t
IpsecCryptoEngine::GetQueueLength() const
{
    return m_queueDisc ? m_queueDisc->GetNPackets() : static_cast<uint32_t>(m_fifo.size());
}

bool
IpsecCryptoEngine::Submit(Ptr<IpsecCryptoJob> job)
{
    NS_LOG_FUNCTION(this << job);
    bool encrypt = job->IsEncrypt();

    // Off: no time passes, so the job starts and ends now.
    if (!IsEnabled())
    {
        m_served[encrypt ? 0 : 1]++;
        m_bytes[encrypt ? 0 : 1] += job->GetSize();
        std::function<void()> finish = job->GetStart()();
        finish();
        return true;
    }

    bool queued;
    if (m_queueDisc)
    {
        queued = m_queueDisc->Enqueue(job);
    }
    else
    {
        queued = m_fifo.size() < m_queueLimit;
        if (queued)
        {
            m_fifo.push_back(job);
        }
    }
    if (!queued)
    {
        ++m_drops;
        NS_LOG_LOGIC("crypto engine queue full; " << (encrypt ? "encryption" : "decryption")
                                                  << " job dropped");
        m_dropTrace(job->GetPacket(), encrypt);
        return false;
    }
    ++m_received;
    m_enqueueTrace(job->GetPacket(), encrypt);

    // Only jobs still waiting after dispatch count towards the peak, not those started now.
    Dispatch();
    m_peakQueue = std::max(m_peakQueue, GetQueueLength());
    return true;
}

Ptr<IpsecCryptoJob>
IpsecCryptoEngine::Next()
{
    if (m_queueDisc)
    {
        Ptr<QueueDiscItem> item = m_queueDisc->Dequeue();
        return item ? DynamicCast<IpsecCryptoJob>(item) : nullptr;
    }
    if (m_fifo.empty())
    {
        return nullptr;
    }
    Ptr<IpsecCryptoJob> job = m_fifo.front();
    m_fifo.pop_front();
    return job;
}

void
IpsecCryptoEngine::Dispatch()
{
    while (m_busyWorkers < m_workers)
    {
        Ptr<IpsecCryptoJob> job = Next();
        if (!job)
        {
            return;
        }

        // The start work runs now (an outbound packet takes its sequence number here), the
        // rest when the worker is done.
        ++m_busyWorkers;
        bool encrypt = job->IsEncrypt();
        m_startTrace(job->GetPacket(), encrypt);
        Time service = GetServiceTime(job->GetSize(), encrypt);
        std::function<void()> finish = job->GetStart()();
        m_pending.push_back(
            Simulator::Schedule(service, &IpsecCryptoEngine::Finish, this, job, finish));
    }
}

void
IpsecCryptoEngine::Finish(Ptr<IpsecCryptoJob> job, std::function<void()> finish)
{
    // Forget finished events, so the list keeps only those DoDispose must cancel.
    m_pending.remove_if([](const EventId& event) {
        return event.IsExpired();
    });
    --m_busyWorkers;
    bool encrypt = job->IsEncrypt();
    m_served[encrypt ? 0 : 1]++;
    m_bytes[encrypt ? 0 : 1] += job->GetSize();
    m_finishTrace(job->GetPacket(), encrypt);
    finish();
    Dispatch();
}

void
IpsecCryptoEngine::CountBypassed(uint32_t bytes, bool encrypt)
{
    m_served[encrypt ? 0 : 1]++;
    m_bytes[encrypt ? 0 : 1] += bytes;
}

bool
IpsecCryptoEngine::ReserveSa()
{
    if (m_saCapacity != 0 && m_saCount >= m_saCapacity)
    {
        return false;
    }
    ++m_saCount;
    return true;
}

bool
IpsecCryptoEngine::ReserveSas(uint32_t count)
{
    if (m_saCapacity != 0 && m_saCount + count > m_saCapacity)
    {
        return false;
    }
    m_saCount += count;
    return true;
}

void
IpsecCryptoEngine::ReleaseSa()
{
    if (m_saCount > 0)
    {
        --m_saCount;
    }
}

void
IpsecCryptoEngine::ReleaseSas(uint32_t count)
{
    NS_ASSERT_MSG(count <= m_saCount,
                  "releasing " << count << " SAs but only " << m_saCount << " are reserved");
    m_saCount -= std::min(count, m_saCount);
}

uint32_t
IpsecCryptoEngine::GetSaCount() const
{
    return m_saCount;
}

uint32_t
IpsecCryptoEngine::GetSaCapacity() const
{
    return m_saCapacity;
}

void
IpsecCryptoEngine::Reset()
{
    NS_LOG_FUNCTION(this);
    NS_LOG_INFO("crypto engine reset: " << GetQueueLength() << " waiting and " << m_busyWorkers
                                        << " started packets abandoned");
    for (auto& event : m_pending)
    {
        event.Cancel();
    }
    m_pending.clear();
    m_busyWorkers = 0;
    m_fifo.clear();
    while (m_queueDisc && m_queueDisc->Dequeue())
    {
    }
}

const uint64_t*
IpsecCryptoEngine::GetServedCounts() const
{
    return m_served;
}

uint64_t
IpsecCryptoEngine::GetDropCount() const
{
    return m_drops;
}

uint32_t
IpsecCryptoEngine::GetPeakQueueLength() const
{
    return m_peakQueue;
}

void
IpsecCryptoEngine::Show(std::ostream& os) const
{
    os << "crypto engine: " << m_workers << " worker(s), " << m_busyWorkers << " busy\n";
    os << "  encrypted: " << m_served[0] << " packets, " << m_bytes[0] << " bytes\n";
    os << "  decrypted: " << m_served[1] << " packets, " << m_bytes[1] << " bytes\n";
    if (m_queueDisc)
    {
        const QueueDisc::Stats& stats = m_queueDisc->GetStats();
        os << "  queue disc " << m_queueDisc->GetInstanceTypeId().GetName() << ": "
           << stats.nTotalReceivedPackets << " packets, " << stats.nTotalReceivedBytes << " bytes, "
           << stats.nTotalDroppedPackets << " drops, depth " << m_queueDisc->GetNPackets()
           << ", peak " << m_peakQueue << "\n";
        return;
    }
    os << "  queue: " << m_received + m_drops << " packets, " << m_drops << " drops, depth "
       << m_fifo.size() << ", peak " << m_peakQueue << "\n";
}

} // namespace ns3
