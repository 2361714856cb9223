// Copyright (c) 2026 The ns3-ipsec authors
// SPDX-License-Identifier: GPL-2.0-only

#ifndef IPSEC_CRYPTO_ENGINE_H
#define IPSEC_CRYPTO_ENGINE_H

#include "ns3/data-rate.h"
#include "ns3/event-id.h"
#include "ns3/ipv4-queue-disc-item.h"
#include "ns3/nstime.h"
#include "ns3/object.h"
#include "ns3/queue-disc.h"
#include "ns3/traced-callback.h"

#include <cstdint>
#include <deque>
#include <functional>
#include <list>
#include <ostream>
#include <vector>

namespace ns3
{

/**
 * \ingroup ipsec
 * A packet waiting for the crypto engine, with the work to do when a worker takes it.
 *
 * The item is an Ipv4QueueDiscItem, so a queue disc in front of the engine (LLQ) can
 * classify it by its IPv4 header: the inner header before encryption, the outer header
 * before decryption.
 */
class IpsecCryptoJob : public Ipv4QueueDiscItem
{
  public:
    /// Work run when a worker starts the job; it returns the work to run when it ends.
    typedef std::function<std::function<void()>()> StartFunction;

    /**
     * Creates a job.
     * \param packet the packet without its IPv4 header
     * \param header its IPv4 header (classified by a queue disc in front of the engine)
     * \param encrypt true for encryption, false for decryption
     * \param start the work to run when a worker takes the job
     */
    IpsecCryptoJob(Ptr<Packet> packet, const Ipv4Header& header, bool encrypt, StartFunction start);

    /// \return true for encryption, false for decryption
    bool IsEncrypt() const;
    /// \return the work to run when a worker takes the job
    const StartFunction& GetStart() const;

  private:
    bool m_encrypt;        //!< encryption or decryption
    StartFunction m_start; //!< work at the start of service
};

/**
 * \ingroup ipsec
 * The crypto engine of a node: a finite number of workers that encrypt and decrypt at a
 * finite rate, a queue in front of them, and a limit on the SAs it holds.
 *
 * The service time of a packet is a fixed cost plus a cost per byte, set separately for
 * encryption and decryption. Each worker serves one packet at a time. An outbound packet
 * gets its sequence number when a worker takes it, so with several workers a short packet
 * can finish before a long one that started earlier. Packets then leave the engine out of
 * sequence order, as on a real multi-core engine, and can cause replay drops.
 *
 * Waiting packets are held in the engine's own FIFO queue (QueueLimit packets), or in a
 * queue disc set with SetQueueDisc, such as a priority queue for low latency queueing
 * (LLQ). Both directions share the engine, so a decrypting gateway can be the bottleneck.
 *
 * With every cost zero (the default) the engine is off: packets are processed at once
 * and nothing is queued, which is the cheapest mode for studies that do not need it.
 */
class IpsecCryptoEngine : public Object
{
  public:
    /**
     * \brief Get the type ID.
     * \return the object TypeId
     */
    static TypeId GetTypeId();
    IpsecCryptoEngine();
    ~IpsecCryptoEngine() override;

    /**
     * TracedCallback signature for engine events.
     * \param packet the packet
     * \param encrypt true for encryption, false for decryption
     */
    typedef void (*JobTracedCallback)(Ptr<const Packet> packet, bool encrypt);

    /// \return true if the engine models time (some cost is not zero)
    bool IsEnabled() const;

    /**
     * Computes the service time of a packet.
     * \param bytes the packet size in bytes
     * \param encrypt true for encryption, false for decryption
     * \return the time one worker spends on it
     */
    Time GetServiceTime(uint32_t bytes, bool encrypt) const;

    /**
     * Puts a queue disc in front of the workers, e.g. a priority queue for LLQ. The engine
     * initialises it; its items are IpsecCryptoJob objects carrying a SocketPriorityTag
     * derived from their TOS. An ns-3.37 PrioQueueDisc needs its three child queue discs
     * (or a Priomap using only its bands) before it is set here, because its default
     * Priomap names a band it does not create by itself.
     * \param queueDisc the queue disc, or nullptr for the engine's own FIFO queue
     */
    void SetQueueDisc(Ptr<QueueDisc> queueDisc);
    /// \return the queue disc in front of the workers, or nullptr
    Ptr<QueueDisc> GetQueueDisc() const;

    /**
     * Submits a packet. If the engine is off, the job starts and ends at once.
     * \param job the job
     * \return false if the queue was full and the job was dropped
     */
    bool Submit(Ptr<IpsecCryptoJob> job);

    /**
     * Counts a packet processed while the engine is off, so its statistics stay complete
     * without the cost of a job.
     * \param bytes the packet size in bytes
     * \param encrypt true for encryption, false for decryption
     */
    void CountBypassed(uint32_t bytes, bool encrypt);

    /**
     * Reserves room for one more SA, as creating an SA does on a real engine.
     * \return false if the engine already has SaCapacity SAs
     */
    bool ReserveSa();
    /**
     * Reserves room for several SAs at once (the SAs negotiated together), or for none.
     * \param count the number of SAs
     * \return false, and nothing reserved, if fewer than count places are free
     */
    bool ReserveSas(uint32_t count);
    /// Releases the room of an SA that was deleted.
    void ReleaseSa();
    /**
     * Releases the room of several SAs that were deleted.
     * \param count the number of SAs
     */
    void ReleaseSas(uint32_t count);
    /// \return the number of SAs reserved on the engine
    uint32_t GetSaCount() const;
    /// \return the SaCapacity attribute: SAs the engine can hold, 0 for no limit
    uint32_t GetSaCapacity() const;

    /**
     * Drops every waiting packet and abandons the packets workers are serving, as a reboot
     * does. Their work never runs. Counters and statistics stay.
     */
    void Reset();

    /// \return packets served, per direction: [0] encryption, [1] decryption
    const uint64_t* GetServedCounts() const;
    /// \return packets dropped because the queue was full
    uint64_t GetDropCount() const;
    /// \return the largest number of packets that waited at once
    uint32_t GetPeakQueueLength() const;
    /// \return the number of packets waiting now
    uint32_t GetQueueLength() const;

    /**
     * Prints `show crypto eng qos`: per queue, packets, bytes, drops, and depth.
     * \param os the output stream
     */
    void Show(std::ostream& os) const;

  protected:
    void DoDispose() override;

  private:
    /// Starts waiting jobs while workers are free.
    void Dispatch();
    /// \return the next waiting job, or nullptr
    Ptr<IpsecCryptoJob> Next();
    /**
     * Ends a job on a worker.
     * \param job the job
     * \param finish the work to run now
     */
    void Finish(Ptr<IpsecCryptoJob> job, std::function<void()> finish);

    Time m_encryptPacketTime;               //!< fixed encryption cost per packet
    DataRate m_encryptRate;                 //!< encryption rate for the per-byte cost
    Time m_decryptPacketTime;               //!< fixed decryption cost per packet
    DataRate m_decryptRate;                 //!< decryption rate for the per-byte cost
    uint32_t m_workers;                     //!< parallel workers
    uint32_t m_queueLimit;                  //!< FIFO queue size in packets
    uint32_t m_saCapacity;                  //!< SAs the engine holds, 0 for no limit
    uint32_t m_busyWorkers;                 //!< workers serving a packet
    uint32_t m_saCount;                     //!< SAs held
    Ptr<QueueDisc> m_queueDisc;             //!< queue disc in front, or nullptr
    std::deque<Ptr<IpsecCryptoJob>> m_fifo; //!< own FIFO queue
    std::list<EventId> m_pending;           //!< scheduled ends of service
    uint64_t m_served[2];                   //!< packets served per direction
    uint64_t m_bytes[2];                    //!< bytes served per direction
    uint64_t m_drops;                       //!< queue-full drops
    uint64_t m_received;                    //!< jobs queued (drops excluded)
    uint32_t m_peakQueue;                   //!< largest queue length seen
    TracedCallback<Ptr<const Packet>, bool> m_enqueueTrace; //!< job queued
    TracedCallback<Ptr<const Packet>, bool> m_startTrace;   //!< job taken by a worker
    TracedCallback<Ptr<const Packet>, bool> m_finishTrace;  //!< job finished
    TracedCallback<Ptr<const Packet>, bool> m_dropTrace;    //!< job dropped, queue full
};

} // namespace ns3

#endif // IPSEC_CRYPTO_ENGINE_H
