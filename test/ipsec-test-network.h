// Copyright (c) 2026 The ns3-ipsec authors
// SPDX-License-Identifier: GPL-2.0-only

#ifndef IPSEC_TEST_NETWORK_H
#define IPSEC_TEST_NETWORK_H

#include "ns3/internet-module.h"
#include "ns3/ipsec-module.h"
#include "ns3/network-module.h"

#include <cstdint>
#include <map>
#include <set>
#include <string>
#include <utility>
#include <vector>

namespace ns3
{

/**
 * \ingroup ipsec
 * Fixtures and byte helpers shared by the end-to-end test suites.
 */
namespace ipsectest
{

/// Bytes of the PPP header in front of each frame on a point-to-point link.
constexpr uint32_t PPP_HEADER_SIZE = 2;
/// Bytes of an IPv4 header without options.
constexpr uint32_t IPV4_HEADER_SIZE = 20;
/// Bytes of a UDP header.
constexpr uint32_t UDP_HEADER_SIZE = 8;

/**
 * \ingroup ipsec
 * Makes a recognisable UDP payload: byte i of packet `index` is (index * 7 + i) mod 256.
 * \param index the packet number
 * \param size the payload size in bytes
 * \return the payload
 */
std::vector<uint8_t> MakePayload(uint32_t index, uint32_t size);

/**
 * \ingroup ipsec
 * Copies the bytes of a packet.
 * \param packet the packet
 * \return its bytes
 */
std::vector<uint8_t> PacketBytes(Ptr<const Packet> packet);

/**
 * \ingroup ipsec
 * Reads a 16-bit field in network byte order.
 * \param bytes the bytes
 * \param offset where the field starts
 * \return its value
 */
uint32_t ReadU16(const std::vector<uint8_t>& bytes, uint32_t offset);

/**
 * \ingroup ipsec
 * Makes a key whose bytes count up from a start value, so each SA gets a distinct key.
 * \param length the key length in bytes
 * \param first the first byte
 * \return the key
 */
std::vector<uint8_t> MakeKey(uint32_t length, uint8_t first);

/**
 * \ingroup ipsec
 * Finds the first SA of one direction and protocol on a node.
 * \param stack the node's IPsec stack
 * \param direction inbound or outbound
 * \param protocol ESP or AH
 * \return the SA, or nullptr if the node has none
 */
Ptr<IpsecSecurityAssociation> FindSa(Ptr<IpsecStack> stack,
                                     IpsecDirection direction,
                                     IpsecProtocol protocol);

/**
 * \ingroup ipsec
 * The two-site network of the end-to-end suites: hosts, gateways, static routes, UDP and
 * raw senders, and receivers with arrival times. It records every WAN frame in both
 * directions with its start time, every frame gateway B sends to host B and every ICMP
 * message host A receives.
 *
 * \verbatim
   host A              gateway A                     gateway B              host B
   10.1.1.2 ---------- 10.1.1.1 | 192.0.2.1 ====== 192.0.2.2 | 10.2.2.1 ---------- 10.2.2.2
            100 Mb/s, 1 ms                     WAN, 5 ms                   100 Mb/s, 1 ms
   \endverbatim
 *
 * By default each gateway has an IpsecNetDevice on the WAN and a route to the far LAN over
 * it, and no crypto map is applied. With `ipsecOnWan` false the WAN devices stay plain
 * point-to-point devices and the gateways get no route to the far LAN, so a suite can add
 * tunnel interfaces and route through them.
 */
class TwoSiteNetwork
{
  public:
    /**
     * Builds the network without a crypto map.
     * \param modelled true for modelled crypto on both gateways
     * \param wanRate the WAN data rate
     * \param wanMtu the MTU of the WAN point-to-point devices in bytes
     * \param ipsecOnWan false to leave the WAN devices plain and the far LANs unrouted
     */
    explicit TwoSiteNetwork(bool modelled,
                            const std::string& wanRate = "10Mbps",
                            uint16_t wanMtu = 1500,
                            bool ipsecOnWan = true);

    /**
     * Opens a UDP socket on a node that records every payload it receives, and when.
     * \param node the node
     * \param port the UDP port
     * \return the payloads the port receives, the same record as Received() returns
     */
    const std::vector<std::vector<uint8_t>>& Listen(Ptr<Node> node, uint16_t port);

    /**
     * Schedules one UDP datagram from a UDP socket, which leaves the DF bit clear.
     * \param from the sending node
     * \param sourcePort the sending socket's port
     * \param to the destination address
     * \param port the destination port
     * \param payload the payload
     * \param at the simulated send time
     */
    void SendUdp(Ptr<Node> from,
                 uint16_t sourcePort,
                 Ipv4Address to,
                 uint16_t port,
                 const std::vector<uint8_t>& payload,
                 Time at);

    /**
     * Schedules one UDP datagram from host A through a raw socket with a header built by
     * hand, so the test chooses the DF bit. Each packet gets the next identification,
     * starting from 1.
     * \param to the destination address
     * \param port the destination UDP port
     * \param payload the UDP payload
     * \param dontFragment the DF bit of the packet
     * \param at the simulated send time
     */
    void SendRaw(Ipv4Address to,
                 uint16_t port,
                 const std::vector<uint8_t>& payload,
                 bool dontFragment,
                 Time at);

    /**
     * Schedules one UDP datagram from host A through a raw socket, as SendRaw() does, with
     * a given IPv4 identification.
     * \param to the destination address
     * \param port the destination UDP port
     * \param payload the UDP payload
     * \param dontFragment the DF bit of the packet
     * \param identification the IPv4 identification of the packet
     * \param at the simulated send time
     */
    void SendRaw(Ipv4Address to,
                 uint16_t port,
                 const std::vector<uint8_t>& payload,
                 bool dontFragment,
                 uint16_t identification,
                 Time at);

    /**
     * \param node a node
     * \param port a port that Listen() opened on it
     * \return the payloads the port received, in order
     */
    const std::vector<std::vector<uint8_t>>& Received(Ptr<Node> node, uint16_t port);

    /**
     * \param node a node
     * \param port a port that Listen() opened on it
     * \return the arrival times of the payloads, in order
     */
    const std::vector<Time>& ReceiveTimes(Ptr<Node> node, uint16_t port);

    /**
     * \param node a node
     * \return the node's IPsec stack
     */
    static Ptr<IpsecStack> Stack(Ptr<Node> node);

    /// \return the IPsec device of gateway A's WAN interface
    Ptr<IpsecNetDevice> DeviceA() const;
    /// \return the IPsec device of gateway B's WAN interface
    Ptr<IpsecNetDevice> DeviceB() const;

    /**
     * Selects WAN frames by outer IPv4 protocol.
     * \param frames the frames of one direction
     * \param protocol the IP protocol number
     * \return the frames carrying it
     */
    static std::vector<std::vector<uint8_t>> Select(const std::vector<std::vector<uint8_t>>& frames,
                                                    uint8_t protocol);

    Ptr<Node> hostA;             //!< host on LAN A
    Ptr<Node> gatewayA;          //!< gateway of site A
    Ptr<Node> gatewayB;          //!< gateway of site B
    Ptr<Node> hostB;             //!< host on LAN B
    IpsecHelper ipsec;           //!< installs stacks and keys tunnels
    NetDeviceContainer lanA;     //!< the LAN A point-to-point devices (gateway A, host A)
    NetDeviceContainer lanB;     //!< the LAN B point-to-point devices (gateway B, host B)
    NetDeviceContainer wanLower; //!< the WAN point-to-point devices (A, B)
    NetDeviceContainer wan;      //!< the WAN IPv4 devices (A, B): IPsec or point-to-point

    /// IPv4 packets gateway A put on the WAN, PPP header removed, in order.
    std::vector<std::vector<uint8_t>> framesAToB;
    /// Times at which gateway A started each frame of framesAToB.
    std::vector<Time> frameTimesAToB;
    /// IPv4 packets gateway B put on the WAN, PPP header removed, in order.
    std::vector<std::vector<uint8_t>> framesBToA;
    /// IPv4 packets gateway B sent to host B on LAN B, PPP header removed, in order.
    std::vector<std::vector<uint8_t>> framesToHostB;
    /// ICMP messages delivered to host A, IPv4 header removed, in order.
    std::vector<std::vector<uint8_t>> icmpAtHostA;

    static const Ipv4Address HOST_A;     //!< host A's address
    static const Ipv4Address HOST_B;     //!< host B's address
    static const Ipv4Address WAN_A;      //!< gateway A's WAN address
    static const Ipv4Address WAN_B;      //!< gateway B's WAN address
    static const std::string LAN_TO_LAN; //!< access list line protecting LAN A to LAN B

  private:
    /**
     * Records a frame that a device starts to transmit.
     * \param frames where to record it
     * \param packet the frame, PPP header included
     */
    static void RecordFrame(std::vector<std::vector<uint8_t>>* frames, Ptr<const Packet> packet);

    /**
     * Records the start time of a frame that a device starts to transmit.
     * \param times where to record it
     * \param packet the frame
     */
    static void RecordFrameTime(std::vector<Time>* times, Ptr<const Packet> packet);

    /**
     * Records an ICMP message that host A's IPv4 delivers locally.
     * \param header the IPv4 header
     * \param packet the IPv4 payload
     * \param interface the incoming interface
     */
    void RecordIcmp(const Ipv4Header& header, Ptr<const Packet> packet, uint32_t interface);

    /**
     * Reads every datagram waiting on a socket.
     * \param socket the socket
     */
    void Receive(Ptr<Socket> socket);

    /**
     * Returns the sending socket of a node and port, creating it on first use.
     * \param node the node
     * \param port the source port
     * \return the socket
     */
    Ptr<Socket> GetSender(Ptr<Node> node, uint16_t port);

    std::map<std::pair<uint32_t, uint16_t>, Ptr<Socket>> m_senders; //!< sockets by node and port
    std::vector<Ptr<Socket>> m_listeners;                           //!< receiving sockets
    Ptr<Socket> m_rawSocket;                                        //!< host A's raw socket
    uint16_t m_rawIdentification;                                   //!< next raw packet's id
    /// Payloads received, by node id and port, in order.
    std::map<std::pair<uint32_t, uint16_t>, std::vector<std::vector<uint8_t>>> m_received;
    /// Arrival times of the payloads, by node id and port, in order.
    std::map<std::pair<uint32_t, uint16_t>, std::vector<Time>> m_receiveTimes;
};

/**
 * \ingroup ipsec
 * The fields of an ESP packet read off the wire, before any IPsec processing.
 */
struct EspArrival
{
    uint32_t spi{0};      //!< ESP SPI
    uint32_t sequence{0}; //!< 32-bit ESP sequence number field
    uint8_t dscp{0};      //!< outer DSCP
};

/**
 * Reads the outer DSCP, SPI and sequence number of a PPP frame that carries an unfragmented
 * ESP packet.
 * \param frame the frame, PPP header included
 * \param[out] arrival the fields read
 * \return false for other frames
 */
bool ReadEspFrame(Ptr<const Packet> frame, EspArrival& arrival);

/**
 * \ingroup ipsec
 * A simple reference replay checker for tests: per SA and sequence-number space, the set of
 * accepted numbers and their maximum (the top). A number is accepted if it is not 0, not in
 * the set, and above top - window; with checking disabled every number is accepted.
 */
class ReferenceReplayChecker
{
  public:
    /// What the checker decided for one packet.
    struct Verdict
    {
        bool dropped{false};   //!< the packet is dropped
        bool duplicate{false}; //!< it was dropped as a duplicate (not too old)
        uint64_t depth{0};     //!< how far below the top it arrived
    };

    /**
     * \param window the window size in packets
     * \param disabled true to accept every packet
     */
    explicit ReferenceReplayChecker(uint32_t window, bool disabled = false);

    /**
     * Checks one packet and records it if accepted.
     * \param spi the SA's SPI
     * \param space the sequence-number space (0 without spaces)
     * \param sequence the sequence number
     * \return the verdict
     */
    Verdict Receive(uint32_t spi, uint32_t space, uint64_t sequence);

  private:
    /// State of one window.
    struct Window
    {
        std::set<uint64_t> accepted; //!< accepted numbers
        uint64_t top{0};             //!< highest accepted number
    };

    uint32_t m_window;                                         //!< window size
    bool m_disabled;                                           //!< checking disabled
    std::map<std::pair<uint32_t, uint32_t>, Window> m_windows; //!< by SPI and space
};

/**
 * \ingroup ipsec
 * A key manager for tests that replaces IKE: when traffic needs SAs it installs a
 * fixed-key ESP set on both gateways at once (no messages), and it records every call the
 * IPsec stack makes.
 *
 * SPIs count up from 0x1000 for each set, so a test can predict them. Keys are fixed.
 */
class MockKeyManager : public IpsecKeyManager
{
  public:
    /**
     * \brief Get the type ID.
     * \return the object TypeId
     */
    static TypeId GetTypeId();

    /**
     * Describes the peer gateway, so Acquire can install the mirror SAs there.
     * \param local this gateway's stack
     * \param peerStack the peer gateway's stack
     * \param peerMap the peer's crypto map
     * \param peerEntry the peer's crypto map entry
     */
    void SetPeer(Ptr<IpsecStack> local,
                 Ptr<IpsecStack> peerStack,
                 Ptr<CryptoMap> peerMap,
                 Ptr<CryptoMapEntry> peerEntry);

    /**
     * Installs one ESP set in each direction on both gateways, as a finished negotiation
     * would, with the next pair of SPIs.
     * \param cryptoMap this gateway's crypto map
     * \param entry this gateway's entry
     * \return false if either stack rejected its half (crypto engine full)
     */
    bool Negotiate(Ptr<CryptoMap> cryptoMap, Ptr<CryptoMapEntry> entry);

    bool Acquire(Ptr<IpsecNetDevice> device,
                 Ptr<CryptoMap> cryptoMap,
                 Ptr<CryptoMapEntry> entry,
                 uint32_t trafficClass,
                 Ptr<const Packet> packet) override;
    void SoftExpired(Ptr<IpsecSecurityAssociation> sa) override;
    void SasDeleted(const std::vector<Ptr<IpsecSecurityAssociation>>& sas,
                    IpsecSaDeleteReason reason) override;
    void InvalidSpi(Ipv4Address source,
                    Ipv4Address destination,
                    IpsecProtocol protocol,
                    uint32_t spi) override;
    void SendObserved(Ptr<IpsecSecurityAssociation> sa) override;
    void Reset() override;

    bool negotiateOnAcquire{true};        //!< Acquire installs SAs (else it only counts)
    bool rekeyOnSoftExpiry{false};        //!< SoftExpired negotiates a new set
    uint32_t acquires{0};                 //!< Acquire calls
    uint32_t negotiations{0};             //!< sets installed on both sides
    uint32_t rejections{0};               //!< Negotiate calls a stack rejected
    std::vector<Time> softExpiryTimes;    //!< SoftExpired call times
    std::vector<uint32_t> softExpirySpis; //!< SPIs reported soft
    std::vector<std::pair<Time, IpsecSaDeleteReason>> deletions; //!< SasDeleted calls
    std::vector<uint32_t> invalidSpis;                           //!< InvalidSpi SPIs
    uint32_t sendsObserved{0};                                   //!< SendObserved calls
    uint32_t resets{0};                                          //!< Reset calls

  private:
    Ptr<IpsecStack> m_local;         //!< this gateway's stack
    Ptr<IpsecStack> m_peerStack;     //!< the peer's stack
    Ptr<CryptoMap> m_peerMap;        //!< the peer's crypto map
    Ptr<CryptoMapEntry> m_peerEntry; //!< the peer's entry
    Ptr<CryptoMap> m_lastMap;        //!< the crypto map of the last negotiation
    Ptr<CryptoMapEntry> m_lastEntry; //!< the entry of the last negotiation
    uint32_t m_nextSpi{0x1000};      //!< next SPI
};

/**
 * \ingroup ipsec
 * Applies an `ipsec-isakmp` crypto map protecting LAN A to LAN B (esp-aes esp-sha-hmac,
 * tunnel mode) on both WAN devices of a TwoSiteNetwork, with a MockKeyManager on each
 * gateway that installs SAs on both when either acquires.
 */
struct IkeTunnel
{
    /**
     * Builds the crypto maps and key managers.
     * \param net the network
     */
    explicit IkeTunnel(TwoSiteNetwork& net);

    Ptr<CryptoMap> mapA;             //!< gateway A's crypto map
    Ptr<CryptoMapEntry> entryA;      //!< gateway A's entry
    Ptr<CryptoMap> mapB;             //!< gateway B's crypto map
    Ptr<CryptoMapEntry> entryB;      //!< gateway B's entry
    Ptr<MockKeyManager> keyManagerA; //!< gateway A's key manager
    Ptr<MockKeyManager> keyManagerB; //!< gateway B's key manager
};

} // namespace ipsectest
} // namespace ns3

#endif // IPSEC_TEST_NETWORK_H
