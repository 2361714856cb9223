#!/usr/bin/env python3
# Copyright (c) 2026 The ns3-ipsec authors
# SPDX-License-Identifier: GPL-2.0-only
"""Check the wire format of ipsec-two-site against outside references.

For each transform set the test runs the ipsec-two-site example with --pcap, once with
manually keyed SAs and once with SAs negotiated by IKE (--ike=1, so the keys come from the
IKE key derivation), then:

* decrypts and authenticates every ESP packet of the WAN capture with tshark, using the
  SAs of the PREFIX-esp_sa key file. Every ICV must be reported correct, and the inner UDP
  echo payloads and ICMP echo messages must appear in both directions;
* recomputes every AH ICV in Python (hmac module) from the pcap bytes and the keys of the
  PREFIX-ah_sa file, because Wireshark does not verify AH ICVs.

tshark recipe, checked with tshark 4.0.17 (Debian 12):

* ``-o esp.enable_encryption_decode:TRUE`` and ``-o esp.enable_authentication_check:TRUE``
  turn on ESP decryption and ICV checking.
* One ``-o uat:esp_sa:LINE`` per SA, where LINE has the eight quoted fields of Wireshark's
  esp_sa table: protocol, source, destination, SPI, encryption algorithm, encryption key,
  authentication algorithm, authentication key. The PREFIX-esp_sa file has one such line
  per SA, so its lines are passed unchanged.
* AES-GCM SAs use the encryption algorithm "AES-GCM with 16 octet ICV [RFC4106]", the AES
  key followed by the 4-byte salt as encryption key, and "NULL" with an empty key as
  authentication.
* With ``-V`` each ESP packet shows ``ESP ICV: <hex> (N bytes) <algorithm> [correct]`` (or
  ``[incorrect, should be <hex>]``), then ``ESP Decrypted Data`` and the inner IPv4 packet
  as ordinary dissected layers. For AES-GCM, tshark 4.0.17 checks the GCM tag while it
  decrypts and prints ``ESP ICV: <hex> (16 bytes) <AES-GCM [RFC4106]> [correct]``, so the
  same ICV check applies to every transform set. A wrong GCM key gives
  ``[incorrect, should be <hex>]`` and no inner packet.
* A wrong CBC encryption key still gives ``[correct]`` for nearly every packet, because the
  HMAC key is separate. The inner payload check is what proves that decryption worked.

Exit status: 0 if every transform set passes, 1 otherwise (a missing tshark is a failure).
"""

import argparse
import csv
import dataclasses
import hashlib
import hmac
import os
import re
import struct
import subprocess
import sys
import tempfile
from dataclasses import dataclass
from pathlib import Path

#: Transform sets to test, with commas for spaces as ipsec-two-site's --transforms expects.
TRANSFORM_SETS = [
    "esp-aes,esp-sha-hmac",
    "esp-aes,256,esp-sha256-hmac",
    "esp-gcm",
    "ah-sha-hmac,esp-aes,esp-sha-hmac",
]

#: WAN addresses of gateway A (where the pcap is taken) and gateway B in ipsec-two-site.
GATEWAY_A = "192.0.2.1"
GATEWAY_B = "192.0.2.2"

#: Hosts behind the gateways, the inner source and destination of the tunnelled packets.
HOST_A = "10.1.1.2"
HOST_B = "10.2.2.2"

#: UDP port of the echo server on host B.
ECHO_PORT = 9

#: UDP payload that ipsec-two-site's echo client sends with --size=32: its fill pattern once.
ECHO_PAYLOAD = b"ns3-ipsec two-site echo payload "

# Expected traffic with the example's defaults (packets=10): the UDP echo client sends 10
# requests (MaxPackets=10, one every 0.1 s from 1.0 s), and the pinger sends one request
# every 0.1 s from 3.0 s until it stops at 3.0 + 10 * 0.1 - 0.05 = 3.95 s, so at 3.0, 3.1,
# ..., 3.9 s: 10 pings. Every request gets a reply, so gateway A's WAN carries
# 10 + 10 = 20 ESP packets towards B and 20 back: 40 ESP packets, 20 of them UDP echo.
ECHO_PER_DIRECTION = 10
PINGS_PER_DIRECTION = 10
ESP_PER_DIRECTION = ECHO_PER_DIRECTION + PINGS_PER_DIRECTION
EXPECTED_ESP_PACKETS = 2 * ESP_PER_DIRECTION
EXPECTED_UDP_PAYLOADS = 2 * ECHO_PER_DIRECTION

#: pcap link type of ns-3's point-to-point captures (LINKTYPE_PPP).
LINKTYPE_PPP = 9

#: PPP protocol number of IPv4 (RFC 1332). ns-3 writes only this 2-byte field as PPP header.
PPP_PROTOCOL_IPV4 = 0x0021

IP_PROTOCOL_ESP = 50
IP_PROTOCOL_AH = 51

#: AH integrity algorithms of the ah_sa file: hash function and ICV length in bytes
#: (RFC 2404 truncates HMAC-SHA-1 to 96 bits, RFC 4868 truncates HMAC-SHA-256 to 128 bits).
AH_ALGORITHMS = {
    "HMAC-SHA-1-96": (hashlib.sha1, 12),
    "HMAC-SHA-256-128": (hashlib.sha256, 16),
}

#: Fixed part of the AH header: next header, payload length, reserved, SPI, sequence number.
AH_FIXED_LENGTH = 12


class CheckFailed(Exception):
    """Failed check of one transform set, with the cause in the message."""


@dataclass(frozen=True)
class AhSa:
    """One line of the PREFIX-ah_sa file."""

    source: str
    destination: str
    spi: int
    algorithm: str
    key: bytes


@dataclass
class Ipv4Packet:
    """An IPv4 packet from the pcap with the header fields the checks need."""

    data: bytes
    header_length: int
    protocol: int
    source: str
    destination: str


@dataclass
class DissectedFrame:
    """What tshark's -V output shows for one frame."""

    number: int
    outer_source: str = ""
    outer_destination: str = ""
    has_esp: bool = False
    esp_icv_status: str = ""
    inner_source: str = ""
    inner_destination: str = ""
    udp_ports: tuple = ()
    udp_payload_hex: str = ""
    icmp_type: int = -1


@dataclass
class TransformResult:
    """Counts that the summary line of one transform set reports."""

    esp_packets: int = 0
    esp_icvs_correct: int = 0
    udp_payloads: int = 0
    icmp_messages: int = 0
    ah_icvs_verified: int = 0


# ---------------------------------------------------------------------------------------------
# Running the example and tshark
# ---------------------------------------------------------------------------------------------


def run_example(example, transforms, ike, work_dir):
    """Run ipsec-two-site with a WAN capture and return the file prefix it wrote."""
    prefix = work_dir / transforms.replace(",", "_")
    # A payload of exactly one fill pattern keeps tshark's printed data short and whole.
    command = [
        str(example),
        f"--pcap={prefix}",
        f"--transforms={transforms}",
        f"--size={len(ECHO_PAYLOAD)}",
        f"--ike={1 if ike else 0}",
    ]
    result = subprocess.run(command, cwd=work_dir, capture_output=True, text=True, timeout=600)
    if result.returncode != 0:
        raise CheckFailed(
            f"{' '.join(command)} failed with exit status {result.returncode}:\n"
            f"{result.stdout}{result.stderr}"
        )

    for suffix in ("-1-1.pcap", "-esp_sa", "-ah_sa"):
        path = Path(f"{prefix}{suffix}")
        if not path.is_file():
            raise CheckFailed(f"the example did not write {path}")
    return prefix


def read_esp_sa_lines(path):
    """Return the non-empty lines of an esp_sa file, each one SA in Wireshark's uat format."""
    lines = [line.strip() for line in path.read_text().splitlines() if line.strip()]
    if len(lines) != 2:
        raise CheckFailed(f"{path} has {len(lines)} SAs, expected 2 (one per direction)")
    return lines


def run_tshark(tshark, pcap, esp_sa_lines, config_dir):
    """Run tshark -V on the pcap with ESP decryption and ICV checking and return its output."""
    command = [
        tshark,
        "-r",
        str(pcap),
        "-V",
        "-o",
        "esp.enable_encryption_decode:TRUE",
        "-o",
        "esp.enable_authentication_check:TRUE",
    ]
    for line in esp_sa_lines:
        command += ["-o", f"uat:esp_sa:{line}"]

    # An empty personal configuration directory keeps the user's own esp_sa table and
    # preferences out of the result.
    environment = dict(os.environ, WIRESHARK_CONFIG_DIR=str(config_dir))
    result = subprocess.run(
        command, capture_output=True, text=True, env=environment, timeout=600
    )
    if result.returncode != 0:
        raise CheckFailed(f"tshark failed with exit status {result.returncode}:\n{result.stderr}")
    return result.stdout


# ---------------------------------------------------------------------------------------------
# Checking tshark's output
# ---------------------------------------------------------------------------------------------

FRAME_PATTERN = re.compile(r"^Frame (\d+): ")
IPV4_PATTERN = re.compile(r"^Internet Protocol Version 4, Src: (\S+), Dst: (\S+)$")
ESP_ICV_PATTERN = re.compile(r"^\s+ESP ICV: [0-9a-f]+ \(\d+ bytes\) <[^>]+>(?: \[([^\]]*)\])?")
UDP_PATTERN = re.compile(r"^User Datagram Protocol, Src Port: (\d+), Dst Port: (\d+)$")
DATA_PATTERN = re.compile(r"^\s+Data: (\S+)$")
ICMP_TYPE_PATTERN = re.compile(r"^\s+Type: (\d+) ")
HEX_DUMP_PATTERN = re.compile(r"^[0-9a-f]{4}  ")


def parse_tshark_frames(output):
    """Split tshark -V output into frames and extract the fields the checks use.

    Top-level protocol lines start in column 0 and their fields are indented, so the
    current top-level layer determines which protocol a field line belongs to.
    """
    frames = []
    frame = None
    layer = ""
    ipv4_layers_seen = 0
    for line in output.splitlines():
        match = FRAME_PATTERN.match(line)
        if match:
            frame = DissectedFrame(int(match.group(1)))
            frames.append(frame)
            layer = ""
            ipv4_layers_seen = 0
            continue
        if frame is None:
            continue

        # Blank lines and the hex dump that tshark prints after some layers start in
        # column 0 but are not layers.
        if not line or HEX_DUMP_PATTERN.match(line):
            continue

        if not line[0].isspace():
            layer = line
            match = IPV4_PATTERN.match(line)
            if match:
                # The first IPv4 layer is the outer (tunnel) header, the second the
                # decrypted inner header.
                ipv4_layers_seen += 1
                if ipv4_layers_seen == 1:
                    frame.outer_source, frame.outer_destination = match.groups()
                else:
                    frame.inner_source, frame.inner_destination = match.groups()
            elif line.startswith("Encapsulating Security Payload"):
                frame.has_esp = True
            match = UDP_PATTERN.match(line)
            if match:
                frame.udp_ports = (int(match.group(1)), int(match.group(2)))
            continue

        if layer.startswith("Encapsulating Security Payload"):
            match = ESP_ICV_PATTERN.match(line)
            if match:
                frame.esp_icv_status = match.group(1) or "(no status)"
        elif layer.startswith("Data") and frame.udp_ports:
            match = DATA_PATTERN.match(line)
            if match:
                frame.udp_payload_hex = match.group(1)
        elif layer.startswith("Internet Control Message Protocol") and frame.icmp_type < 0:
            match = ICMP_TYPE_PATTERN.match(line)
            if match:
                frame.icmp_type = int(match.group(1))
    return frames


def direction_of(frame):
    """Return "A->B" or "B->A" for a frame between the gateways, raise CheckFailed otherwise."""
    addresses = (frame.outer_source, frame.outer_destination)
    if addresses == (GATEWAY_A, GATEWAY_B):
        return "A->B"
    if addresses == (GATEWAY_B, GATEWAY_A):
        return "B->A"
    raise CheckFailed(
        f"frame {frame.number}: outer addresses {addresses} are not the two gateways"
    )


def check_esp_frames(output, result):
    """Check tshark's ESP verdicts, the decrypted inner packets and their counts."""
    if "[incorrect" in output:
        line = next(line for line in output.splitlines() if "[incorrect" in line)
        raise CheckFailed(f"tshark reports an incorrect value: {line.strip()}")

    esp_frames = [frame for frame in parse_tshark_frames(output) if frame.has_esp]
    esp_per_direction = {"A->B": 0, "B->A": 0}
    udp_per_direction = {"A->B": 0, "B->A": 0}
    icmp_per_direction = {"A->B": 0, "B->A": 0}
    expected_inner = {"A->B": (HOST_A, HOST_B), "B->A": (HOST_B, HOST_A)}
    expected_icmp_type = {"A->B": 8, "B->A": 0}  # echo request and echo reply (RFC 792)

    for frame in esp_frames:
        direction = direction_of(frame)
        esp_per_direction[direction] += 1

        if frame.esp_icv_status != "correct":
            raise CheckFailed(
                f"frame {frame.number} ({direction}): ESP ICV status is "
                f"'{frame.esp_icv_status or 'missing'}', expected 'correct'"
            )
        result.esp_icvs_correct += 1

        if not frame.inner_source:
            raise CheckFailed(
                f"frame {frame.number} ({direction}): tshark shows no decrypted inner IPv4 "
                "packet. Check the encryption key in the esp_sa file and the ESP padding."
            )
        inner = (frame.inner_source, frame.inner_destination)
        if inner != expected_inner[direction]:
            raise CheckFailed(
                f"frame {frame.number} ({direction}): decrypted inner IPv4 addresses are "
                f"{inner}, expected {expected_inner[direction]}"
            )

        if frame.udp_ports:
            if ECHO_PORT not in frame.udp_ports:
                raise CheckFailed(
                    f"frame {frame.number}: inner UDP ports {frame.udp_ports} do not include "
                    f"the echo port {ECHO_PORT}"
                )
            if frame.udp_payload_hex != ECHO_PAYLOAD.hex():
                raise CheckFailed(
                    f"frame {frame.number} ({direction}): inner UDP payload is "
                    f"'{frame.udp_payload_hex}', expected '{ECHO_PAYLOAD.hex()}'"
                )
            udp_per_direction[direction] += 1
        elif frame.icmp_type == expected_icmp_type[direction]:
            icmp_per_direction[direction] += 1
        else:
            raise CheckFailed(
                f"frame {frame.number} ({direction}): decrypted packet is neither the UDP "
                f"echo nor an ICMP echo of type {expected_icmp_type[direction]}"
            )

    expected_counts = [
        ("ESP packets", esp_per_direction, ESP_PER_DIRECTION),
        ("decrypted UDP echo payloads", udp_per_direction, ECHO_PER_DIRECTION),
        ("decrypted ICMP echo messages", icmp_per_direction, PINGS_PER_DIRECTION),
    ]
    for name, counts, expected in expected_counts:
        for direction, count in counts.items():
            if count != expected:
                raise CheckFailed(f"{count} {name} {direction}, expected {expected}")

    result.esp_packets = len(esp_frames)
    result.udp_payloads = sum(udp_per_direction.values())
    result.icmp_messages = sum(icmp_per_direction.values())
    if result.esp_packets != EXPECTED_ESP_PACKETS:
        raise CheckFailed(f"{result.esp_packets} ESP packets, expected {EXPECTED_ESP_PACKETS}")
    if result.udp_payloads != EXPECTED_UDP_PAYLOADS:
        raise CheckFailed(
            f"{result.udp_payloads} UDP payloads, expected {EXPECTED_UDP_PAYLOADS}"
        )


# ---------------------------------------------------------------------------------------------
# Reading the pcap
# ---------------------------------------------------------------------------------------------


def read_pcap(path):
    """Return the link type and the frames of a classic pcap file (either byte order)."""
    data = path.read_bytes()
    if len(data) < 24:
        raise CheckFailed(f"{path}: too short for a pcap global header")

    # The magic number 0xa1b2c3d4 (microsecond timestamps) or 0xa1b23c4d (nanosecond)
    # gives the byte order of every other header field.
    for byte_order in ("<", ">"):
        (magic,) = struct.unpack_from(byte_order + "I", data, 0)
        if magic in (0xA1B2C3D4, 0xA1B23C4D):
            break
    else:
        raise CheckFailed(f"{path}: invalid pcap magic number {data[:4].hex()}")
    (linktype,) = struct.unpack_from(byte_order + "I", data, 20)

    frames = []
    offset = 24
    while offset < len(data):
        if offset + 16 > len(data):
            raise CheckFailed(f"{path}: truncated record header at byte {offset}")
        _, _, captured, original = struct.unpack_from(byte_order + "IIII", data, offset)
        offset += 16
        if captured != original or offset + captured > len(data):
            raise CheckFailed(f"{path}: frame {len(frames) + 1} is truncated")
        frames.append(data[offset : offset + captured])
        offset += captured
    return linktype, frames


def parse_ipv4_from_ppp(frame, number):
    """Strip the PPP header from a frame and parse the IPv4 header that follows."""
    if len(frame) < 2 + 20 or struct.unpack_from("!H", frame, 0)[0] != PPP_PROTOCOL_IPV4:
        raise CheckFailed(f"pcap frame {number}: not an IPv4 packet in a PPP frame")
    packet = frame[2:]

    version_ihl, _, total_length, _, flags_fragment, _, protocol = struct.unpack_from(
        "!BBHHHBB", packet, 0
    )
    header_length = (version_ihl & 0x0F) * 4
    if version_ihl >> 4 != 4 or total_length > len(packet):
        raise CheckFailed(f"pcap frame {number}: invalid IPv4 header")

    # NOTE: the AH check zeroes no IPv4 options and does not reassemble, so packets with
    # options or fragments are rejected. The example's packets need neither.
    if header_length != 20:
        raise CheckFailed(f"pcap frame {number}: IPv4 options are not supported by this check")
    if flags_fragment & 0x3FFF:
        raise CheckFailed(f"pcap frame {number}: IPv4 fragments are not supported by this check")

    return Ipv4Packet(
        data=packet[:total_length],
        header_length=header_length,
        protocol=protocol,
        source=".".join(str(byte) for byte in packet[12:16]),
        destination=".".join(str(byte) for byte in packet[16:20]),
    )


def count_esp_packets(packets):
    """Count packets that carry ESP, directly or after an AH header."""
    count = 0
    for packet in packets:
        if packet.protocol == IP_PROTOCOL_ESP:
            count += 1
        elif packet.protocol == IP_PROTOCOL_AH:
            if packet.data[packet.header_length] == IP_PROTOCOL_ESP:
                count += 1
    return count


# ---------------------------------------------------------------------------------------------
# Checking AH ICVs
# ---------------------------------------------------------------------------------------------


def read_ah_sas(path):
    """Parse the ah_sa file: "IPv4","source","destination","0xSPI","algorithm","0xkey"."""
    sas = []
    with path.open(newline="") as ah_sa_file:
        for fields in csv.reader(ah_sa_file):
            if not fields:
                continue
            if len(fields) != 6 or fields[0] != "IPv4" or fields[4] not in AH_ALGORITHMS:
                raise CheckFailed(f"{path}: invalid AH SA line {fields}")
            sas.append(
                AhSa(
                    source=fields[1],
                    destination=fields[2],
                    spi=int(fields[3], 16),
                    algorithm=fields[4],
                    key=bytes.fromhex(fields[5].removeprefix("0x")),
                )
            )
    return sas


def split_ah_packet(packet):
    """Return the SPI and the ICV field of an IPv4 AH packet."""
    ah_offset = packet.header_length
    payload_length = packet.data[ah_offset + 1]
    (spi,) = struct.unpack_from("!I", packet.data, ah_offset + 4)

    # The AH payload length is the header length in 32-bit words minus 2 (RFC 4302
    # section 2.2), and the ICV fills the header after the 12 fixed bytes.
    ah_length = (payload_length + 2) * 4
    icv_offset = ah_offset + AH_FIXED_LENGTH
    icv = packet.data[icv_offset : ah_offset + ah_length]
    return spi, icv


def compute_ah_icv(packet, sa, icv_length):
    """Compute the AH ICV of an IPv4 packet as RFC 4302 section 3.3.3 defines it.

    The HMAC covers the IPv4 header with its mutable fields zeroed (type of service, flags
    and fragment offset, TTL and header checksum: RFC 4302 section 3.3.3.1.1.1), the AH
    header with its ICV field zeroed, and everything after the AH header.
    """
    hash_function, truncated_length = AH_ALGORITHMS[sa.algorithm]
    data = bytearray(packet.data)

    data[1] = 0  # type of service
    data[6:8] = b"\x00\x00"  # flags and fragment offset
    data[8] = 0  # TTL
    data[10:12] = b"\x00\x00"  # header checksum

    icv_offset = packet.header_length + AH_FIXED_LENGTH
    data[icv_offset : icv_offset + icv_length] = bytes(icv_length)

    digest = hmac.new(sa.key, bytes(data), hash_function).digest()
    return digest[:truncated_length]


def find_ah_sa(sas, packet, spi):
    """Return the SA that matches the packet's SPI and addresses."""
    for sa in sas:
        if (sa.spi, sa.source, sa.destination) == (spi, packet.source, packet.destination):
            return sa
    raise CheckFailed(
        f"no AH SA for SPI 0x{spi:08X} from {packet.source} to {packet.destination}"
    )


def verify_ah_packet(packet, sas, number):
    """Check one AH packet's ICV against the one computed in Python."""
    spi, icv = split_ah_packet(packet)
    sa = find_ah_sa(sas, packet, spi)
    expected_length = AH_ALGORITHMS[sa.algorithm][1]
    if len(icv) != expected_length:
        raise CheckFailed(
            f"pcap frame {number}: AH ICV field is {len(icv)} bytes, expected "
            f"{expected_length} for {sa.algorithm}"
        )

    computed = compute_ah_icv(packet, sa, expected_length)
    if not hmac.compare_digest(computed, icv):
        raise CheckFailed(
            f"pcap frame {number}: AH ICV {icv.hex()} does not match the computed "
            f"{computed.hex()} (SPI 0x{spi:08X}, {sa.algorithm})"
        )


def check_ah_checker_detects_changes(packet, sas):
    """Check the AH checker on one good packet: a payload change must fail, a TTL change not.

    A changed payload byte proves that the checker can fail, and a changed TTL proves that
    it zeroes the mutable fields that routers change in transit.
    """
    spi, icv = split_ah_packet(packet)
    sa = find_ah_sa(sas, packet, spi)
    icv_length = AH_ALGORITHMS[sa.algorithm][1]

    changed_payload = bytearray(packet.data)
    changed_payload[-1] ^= 0x01
    changed = dataclasses.replace(packet, data=bytes(changed_payload))
    if hmac.compare_digest(compute_ah_icv(changed, sa, icv_length), icv):
        raise CheckFailed("the AH checker accepted a packet with a changed payload byte")

    changed_ttl = bytearray(packet.data)
    changed_ttl[8] = (changed_ttl[8] - 1) % 256
    changed = dataclasses.replace(packet, data=bytes(changed_ttl))
    if not hmac.compare_digest(compute_ah_icv(changed, sa, icv_length), icv):
        raise CheckFailed("the AH checker rejected a packet whose only change is the TTL")


def check_ah_packets(packets, ah_sa_path, uses_ah, result):
    """Verify every AH ICV of the capture, or check that there is no AH if none is used."""
    sas = read_ah_sas(ah_sa_path)
    ah_packets = [
        (number, packet)
        for number, packet in enumerate(packets, start=1)
        if packet.protocol == IP_PROTOCOL_AH
    ]
    if not uses_ah:
        if sas or ah_packets:
            raise CheckFailed(
                f"{len(sas)} AH SAs and {len(ah_packets)} AH packets for a transform set "
                "without AH, expected none"
            )
        return

    if len(sas) != 2:
        raise CheckFailed(f"{ah_sa_path} has {len(sas)} SAs, expected 2 (one per direction)")
    if len(ah_packets) != EXPECTED_ESP_PACKETS:
        raise CheckFailed(f"{len(ah_packets)} AH packets, expected {EXPECTED_ESP_PACKETS}")

    for number, packet in ah_packets:
        verify_ah_packet(packet, sas, number)
        result.ah_icvs_verified += 1

    check_ah_checker_detects_changes(ah_packets[0][1], sas)


# ---------------------------------------------------------------------------------------------
# Driver
# ---------------------------------------------------------------------------------------------


def check_transform_set(example, tshark, transforms, ike, work_dir):
    """Run the example for one transform set and keying and apply every check to its output."""
    result = TransformResult()
    prefix = run_example(example, transforms, ike, work_dir)
    pcap = Path(f"{prefix}-1-1.pcap")

    esp_sa_lines = read_esp_sa_lines(Path(f"{prefix}-esp_sa"))
    output = run_tshark(tshark, pcap, esp_sa_lines, work_dir / "wireshark-config")
    check_esp_frames(output, result)

    linktype, frames = read_pcap(pcap)
    if linktype != LINKTYPE_PPP:
        raise CheckFailed(f"{pcap}: link type {linktype}, expected {LINKTYPE_PPP} (PPP)")
    packets = [parse_ipv4_from_ppp(frame, number) for number, frame in enumerate(frames, 1)]

    # tshark and the Python parser must agree on how many packets carry ESP.
    esp_in_pcap = count_esp_packets(packets)
    if esp_in_pcap != result.esp_packets:
        raise CheckFailed(
            f"the pcap has {esp_in_pcap} ESP packets but tshark dissected {result.esp_packets}"
        )

    uses_ah = any(transform.startswith("ah-") for transform in transforms.split(","))
    check_ah_packets(packets, Path(f"{prefix}-ah_sa"), uses_ah, result)
    return result


def format_summary(label, result):
    """Return the one-line summary of a transform set that passed."""
    summary = (
        f"PASS {label}: {result.esp_packets} ESP packets, "
        f"{result.esp_icvs_correct} ESP ICVs [correct] in tshark, "
        f"{result.udp_payloads} UDP echo payloads and {result.icmp_messages} ICMP echo "
        "messages decrypted"
    )
    if result.ah_icvs_verified:
        summary += f", {result.ah_icvs_verified} AH ICVs verified in Python"
    return summary


def parse_arguments():
    """Parse the command line."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--build-dir",
        required=True,
        type=Path,
        help="CMake build directory that contains the ipsec-two-site program",
    )
    parser.add_argument(
        "--tshark",
        default="",
        help="path of the tshark program; empty (or CMake's *-NOTFOUND) if it is not installed",
    )
    return parser.parse_args()


def main():
    """Check every transform set and return the exit status."""
    arguments = parse_arguments()

    # When tshark is missing, CMake's find_program passes IPSEC_TSHARK-NOTFOUND, and a
    # caller without CMake may pass an empty string.
    if not arguments.tshark or arguments.tshark.endswith("-NOTFOUND"):
        print("FAIL: tshark not found: install it with apt-get install tshark", file=sys.stderr)
        return 1
    example = arguments.build_dir / "ipsec-two-site"
    if not example.is_file():
        print(f"FAIL: {example} not found: build the ipsec-two-site target", file=sys.stderr)
        return 1

    failures = 0
    with tempfile.TemporaryDirectory(prefix="ipsec-tshark-") as temporary:
        for transforms in TRANSFORM_SETS:
            for ike in (False, True):
                label = f"{transforms} ({'IKE' if ike else 'manual keys'})"
                name = transforms.replace(",", "_") + ("-ike" if ike else "")
                work_dir = Path(temporary) / name
                work_dir.mkdir()
                try:
                    result = check_transform_set(
                        example, arguments.tshark, transforms, ike, work_dir
                    )
                except (CheckFailed, subprocess.TimeoutExpired) as error:
                    print(f"FAIL {label}: {error}", file=sys.stderr)
                    failures += 1
                    continue
                print(format_summary(label, result))

    if failures:
        print(f"{failures} of {2 * len(TRANSFORM_SETS)} runs failed", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
