// Copyright (c) 2026 The ns3-ipsec authors
// SPDX-License-Identifier: GPL-2.0-only

#ifndef REPLAY_ATTACKER_H
#define REPLAY_ATTACKER_H

#include "ns3/event-id.h"
#include "ns3/nstime.h"
#include "ns3/object.h"
#include "ns3/packet.h"
#include "ns3/point-to-point-net-device.h"
#include "ns3/traced-callback.h"

#include <cstdint>
#include <vector>

namespace ns3
{

/**
 * \ingroup ipsec
 * A hostile on-path node on a point-to-point link that records the ESP and AH frames a
 * victim device receives and injects copies of them into that device later.
 *
 * What it models: an attacker with a tap on the wire in front of the victim. It is
 * handed every frame the victim's PHY delivers (the "PhyRxEnd" trace of PointToPointNetDevice,
 * which carries the 2-byte PPP header) and keeps a copy of each frame whose PPP protocol
 * is IPv4 (0x0021) and whose IPv4 protocol is ESP (50) or AH (51). An injected frame goes
 * through PointToPointNetDevice::Receive, the same entry point the channel uses, so the
 * victim's receive error model, traces and upper layers treat it as a frame off the wire.
 *
 * Attacks:
 *  - ReplayAt() and ReplayAll() inject exact duplicates, the replay attack that the
 *    anti-replay window of RFC 4303 section 3.4.3 and RFC 4302 section 3.4.3 stops;
 *  - InjectWithSequence() rewrites the 32-bit sequence number field of a captured packet
 *    and InjectWithSpi() its SPI, without recomputing the ICV. The result is a forgery,
 *    which the receiver must reject at the ICV check without moving its window.
 *
 * Limits:
 *  - The attacker cannot compute an ICV, because it has no keys, so every rewritten packet
 *    fails authentication unless the SA has no integrity protection (esp-null without an
 *    integrity transform).
 *  - With extended sequence numbers only the low 32 bits travel in the packet, so
 *    InjectWithSequence() sets those bits alone; the receiver infers the high bits.
 *  - Only IPv4 over PPP framing is recognised. ESP in UDP (NAT traversal, port 4500) and
 *    IPv6 are not captured.
 *  - A fragmented outer packet is captured fragment by fragment. Each fragment can be
 *    replayed, but only a first fragment carries the ESP or AH header, so rewriting a
 *    later fragment is rejected.
 *  - The attacker neither delays nor drops the original frames: it only adds frames.
 *  - Injection takes no transmission time and ignores whether the link is busy.
 */
class ReplayAttacker : public Object
{
  public:
    /**
     * \brief Get the type ID.
     * \return the object TypeId
     */
    static TypeId GetTypeId();
    ReplayAttacker();
    ~ReplayAttacker() override;

    /**
     * TracedCallback signature for captured and injected frames.
     * \param frame the frame, PPP header included
     */
    typedef void (*FrameTracedCallback)(Ptr<const Packet> frame);

    /**
     * Starts recording the ESP and AH frames that a device receives. Call once.
     * \param victim the receiving device on the attacked link
     */
    void Attach(Ptr<PointToPointNetDevice> victim);
    /// \return the attacked device, or nullptr before Attach()
    Ptr<PointToPointNetDevice> GetVictim() const;

    /// \return the number of frames stored so far
    uint32_t GetCapturedCount() const;
    /**
     * \param index the capture order, from 0
     * \return the stored frame, PPP header included
     */
    Ptr<const Packet> GetCaptured(uint32_t index) const;
    /// \return the number of ESP and AH frames not stored because MaxCaptured was reached
    uint64_t GetMissedCount() const;
    /// \return the number of frames injected so far
    uint64_t GetInjectedCount() const;

    /**
     * Schedules the injection of an exact copy of one captured frame.
     *
     * The index is checked when the injection runs, so a frame captured between this call
     * and `when` can be named.
     *
     * \param when the absolute simulated time of the injection (not in the past)
     * \param index the capture order of the frame
     */
    void ReplayAt(Time when, uint32_t index);

    /**
     * Schedules the injection of every frame captured by `start`, in capture order: frame k
     * goes in at start + k * interval.
     * \param start the absolute simulated time of the first injection (not in the past)
     * \param interval the time between two injections
     */
    void ReplayAll(Time start, Time interval);

    /**
     * Schedules the injection of a captured frame whose ESP or AH sequence number field is
     * replaced, leaving the ICV as it was (a forgery).
     * \param when the absolute simulated time of the injection (not in the past)
     * \param index the capture order of the frame
     * \param sequence the 32-bit value to write into the sequence number field
     */
    void InjectWithSequence(Time when, uint32_t index, uint32_t sequence);

    /**
     * Schedules the injection of a captured frame whose ESP or AH SPI is replaced, leaving
     * the ICV as it was.
     * \param when the absolute simulated time of the injection (not in the past)
     * \param index the capture order of the frame
     * \param spi the value to write into the SPI field
     */
    void InjectWithSpi(Time when, uint32_t index, uint32_t spi);

  protected:
    void DoDispose() override;

  private:
    /// A field of the ESP or AH header that the attacker can rewrite.
    enum class Field : uint8_t
    {
        SPI,      //!< the security parameter index
        SEQUENCE, //!< the 32-bit sequence number field
    };

    /**
     * Stores a frame the victim received if it carries ESP or AH (PhyRxEnd sink).
     * \param frame the frame, PPP header included
     */
    void Capture(Ptr<const Packet> frame);

    /**
     * Schedules one injection after checking the time.
     * \param when the absolute simulated time
     * \param index the capture order
     * \param rewrite true to replace a field
     * \param field the field to replace
     * \param value its new value
     */
    void ScheduleInjection(Time when, uint32_t index, bool rewrite, Field field, uint32_t value);

    /**
     * Injects a copy of a captured frame, with one field replaced if asked.
     * \param index the capture order
     * \param rewrite true to replace a field
     * \param field the field to replace
     * \param value its new value
     */
    void DoInject(uint32_t index, bool rewrite, Field field, uint32_t value);

    /**
     * Schedules one replay per frame captured so far (the start event of ReplayAll).
     * \param interval the time between two injections
     */
    void DoReplayAll(Time interval);

    /**
     * Hands a frame to the victim as if the channel had delivered it.
     * \param frame the frame, PPP header included
     */
    void Deliver(Ptr<Packet> frame);

    /**
     * Finds the offset of a field of the ESP or AH header in a frame.
     * \param bytes the frame, PPP header included
     * \param field the field
     * \return the byte offset of the field in the frame
     */
    static uint32_t FindFieldOffset(const std::vector<uint8_t>& bytes, Field field);

    Ptr<PointToPointNetDevice> m_victim;              //!< attacked device
    uint32_t m_maxCaptured;                           //!< capture buffer limit (frames)
    std::vector<Ptr<Packet>> m_captured;              //!< captured frames, in order
    uint64_t m_missed;                                //!< frames not stored: buffer full
    uint64_t m_injected;                              //!< frames injected
    bool m_injecting;                                 //!< true while an injected frame is delivered
    std::vector<EventId> m_events;                    //!< scheduled injections
    TracedCallback<Ptr<const Packet>> m_captureTrace; //!< frame stored
    TracedCallback<Ptr<const Packet>> m_injectTrace;  //!< frame injected
};

} // namespace ns3

#endif // REPLAY_ATTACKER_H
