# Copyright (c) 2026 The ns3-ipsec authors
# SPDX-License-Identifier: GPL-2.0-only
"""Check the ipsec-sim scenario runner from outside: options, outputs and bad input.

The program is taken from the IPSEC_SIM environment variable (CTest sets it), else from
build/ipsec-sim in the source tree. Every run simulates a few seconds only.
"""

import csv
import io
import json
import os
import re
import shutil
import subprocess
from pathlib import Path

import pytest

SOURCE_DIR = Path(__file__).resolve().parents[2]
PROGRAM = os.environ.get("IPSEC_SIM", str(SOURCE_DIR / "build" / "ipsec-sim"))

# Simulated seconds of traffic per run in these tests.
SHORT = "2"

REPLAY_QOS_KEYS = [
    "voice.sent",
    "voice.received",
    "data.sent",
    "data.received",
    "replay.drops",
    "replay.drops.duplicate",
    "replay.drops.too_old",
    "replay.min_window_no_drop",
]
LLQ_CRYPTO_KEYS = [
    "voice.loss",
    "voice.delay.mean_ms",
    "voice.delay.p99_ms",
    "voice.jitter_ms",
    "data.throughput_mbps",
]
PREFRAG_KEYS = [
    "outcome",
    "fragments.per_packet",
    "decryptor.reassemblies",
    "icmp.frag_needed",
    "goodput_mbps",
]
IKE_SETUP_KEYS = [
    "setup.time_ms",
    "ping.sent",
    "ping.received",
    "packets.dropped_during_setup",
]
IDLE_TIMER_KEYS = ["sa.peak", "spokes.refused", "sa.deleted_idle", "ike.deleted"]
DPD_FAILOVER_KEYS = ["dpd.detection_s", "failover.time_s", "packets.lost", "dpd.messages"]
INVALID_SPI_KEYS = [
    "blackhole.duration_s",
    "packets.lost",
    "ping.sent",
    "ping.received",
    "recovery.started",
    "recovery.suppressed",
]
GUIDE_REPLAY_KEYS = [
    "replay.window.gateway1.192_165_201_2",
    "replay.window.hub.172_17_150_2",
]


def run_sim(*arguments, check=True):
    """Run ipsec-sim with arguments; return the completed process."""
    result = subprocess.run(
        [PROGRAM, *arguments], capture_output=True, text=True, timeout=120
    )
    if check:
        assert result.returncode == 0, result.stderr
    return result


def run_json(*arguments):
    """Run ipsec-sim with --format json; return the parsed document."""
    return json.loads(run_sim(*arguments, "--format", "json").stdout)


def scenario_directory():
    """Return the built-in scenario directory that --list-scenarios reports."""
    listing = run_sim("--list-scenarios").stdout
    match = re.search(r"Built-in scenarios \((.*)\):", listing)
    assert match, listing
    return Path(match.group(1))


def copy_scenario(name, destination):
    """Copy a built-in scenario to destination; return the path of its scenario.ini."""
    target = destination / name
    shutil.copytree(scenario_directory() / name, target)
    return target / "scenario.ini"


def assert_bad_input(result, *fragments):
    """Check exit status 2 and one stderr line that contains every fragment."""
    assert result.returncode == 2, result.stdout + result.stderr
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    for fragment in fragments:
        assert fragment in lines[0], lines[0]


def test_help_lists_options_and_examples():
    result = run_sim("--help")
    for option in ["--list-scenarios", "--scenario", "--set", "--sweep", "--runs",
                   "--seed", "--duration", "--output", "--pcap", "--format",
                   "--progress", "Examples:", "[traffic.NAME]"]:
        assert option in result.stdout


def test_list_names_builtin_scenarios():
    listing = run_sim("--list-scenarios").stdout
    for name in ["replay-qos", "llq-crypto", "prefrag", "ike-setup", "idle-timer",
                 "dpd-failover", "invalid-spi", "guide-replay"]:
        assert re.search(rf"^  {name}\b", listing, re.MULTILINE), listing
    assert "replay.window = 64" in listing


def test_default_run_prints_table():
    result = run_sim("--duration", SHORT)
    assert result.stdout.startswith("scenario replay-qos\n")
    rows = {line.split()[0] for line in result.stdout.splitlines()[1:] if line.split()}
    for key in REPLAY_QOS_KEYS:
        assert key in rows


@pytest.mark.parametrize(
    "scenario, keys",
    [("replay-qos", REPLAY_QOS_KEYS), ("llq-crypto", LLQ_CRYPTO_KEYS),
     ("prefrag", PREFRAG_KEYS), ("ike-setup", IKE_SETUP_KEYS),
     ("idle-timer", IDLE_TIMER_KEYS), ("dpd-failover", DPD_FAILOVER_KEYS),
     ("invalid-spi", INVALID_SPI_KEYS), ("guide-replay", GUIDE_REPLAY_KEYS)],
)
def test_scenario_metric_keys(scenario, keys):
    document = run_json("--scenario", scenario, "--duration", SHORT)
    assert document["scenario"] == scenario
    assert len(document["runs"]) == 1
    metrics = document["runs"][0]["metrics"]
    for key in keys:
        assert key in metrics


def test_replay_qos_window_removes_drops():
    small = run_json("--duration", "3")["runs"][0]["metrics"]
    large = run_json("--duration", "3", "--set", "replay.window=1024")["runs"][0]["metrics"]
    assert small["voice.received"] == small["voice.sent"]
    assert small["replay.drops.too_old"] > 0
    assert small["replay.min_window_no_drop"] > 64
    assert large["replay.drops"] == 0


def test_prefrag_outcomes():
    before = run_json("--scenario", "prefrag", "--duration", SHORT)["runs"][0]["metrics"]
    after = run_json("--scenario", "prefrag", "--duration", SHORT,
                     "--set", "prefrag=off")["runs"][0]["metrics"]
    dropped = run_json("--scenario", "prefrag", "--duration", SHORT,
                       "--set", "inner_df=1")["runs"][0]["metrics"]
    assert before["outcome"] == "before-encryption"
    assert before["decryptor.reassemblies"] == 0
    assert after["outcome"] == "after-encryption"
    assert after["decryptor.reassemblies"] == 100
    assert dropped["outcome"] == "dropped"
    assert dropped["icmp.frag_needed"] > 0


def test_sweep_gives_one_row_per_value():
    result = run_sim("--sweep", "replay.window=64,1024", "--duration", SHORT,
                     "--format", "csv")
    rows = list(csv.DictReader(io.StringIO(result.stdout)))
    assert len(rows) == 2
    assert [row["replay.window"] for row in rows] == ["64", "1024"]


def test_same_seed_gives_identical_json(tmp_path):
    arguments = ["--duration", SHORT, "--seed", "7", "--runs", "2", "--format", "json"]
    first = run_sim(*arguments, "--output", str(tmp_path / "a")).stdout
    second = run_sim(*arguments, "--output", str(tmp_path / "b")).stdout
    assert first == second
    document = json.loads(first)
    assert [(run["seed"], run["run"]) for run in document["runs"]] == [(7, 1), (7, 2)]
    assert (tmp_path / "a" / "results.json").read_bytes() == \
        (tmp_path / "b" / "results.json").read_bytes()


def test_output_directory_contents(tmp_path):
    run_sim("--duration", SHORT, "--output", str(tmp_path))
    for name in ["results.csv", "results.json", "summary.txt"]:
        assert (tmp_path / name).is_file()
    show = (tmp_path / "run-1-gatewayA.txt").read_text()
    assert "show crypto ipsec sa" in show
    assert "show crypto eng qos" in show
    assert "show policy-map interface" in show


def test_link_down_event_loses_voice(tmp_path):
    ini = copy_scenario("replay-qos", tmp_path)
    with ini.open("a") as scenario:
        scenario.write("\n[event.cut]\nat = 1.5\naction = link-down\ntarget = wan\n"
                       "\n[event.restore]\nat = 2\naction = link-up\ntarget = wan\n")
    metrics = run_json(str(ini), "--duration", "3")["runs"][0]["metrics"]
    assert metrics["voice.sent"] == 100
    assert 0 < metrics["voice.received"] < 100


def test_unknown_option_is_rejected():
    assert_bad_input(run_sim("--no-such-option", check=False), "--no-such-option")


def test_unknown_set_key_is_rejected():
    assert_bad_input(run_sim("--set", "no.such.key=1", check=False),
                     "--set no.such.key", "replay.window")


def test_malformed_ini_line_names_file_and_line(tmp_path):
    ini = copy_scenario("replay-qos", tmp_path)
    lines = ini.read_text().splitlines()
    lines.insert(3, "this line has no equals sign")
    ini.write_text("\n".join(lines) + "\n")
    assert_bad_input(run_sim(str(ini), "--duration", SHORT, check=False),
                     f"{ini}:4:", "malformed")


def test_ios_error_names_file_and_line(tmp_path):
    ini = copy_scenario("replay-qos", tmp_path)
    config = ini.parent / "gatewayA.cfg"
    lines = config.read_text().splitlines()
    lines.insert(1, "crypto isakmp keepalive 5")
    config.write_text("\n".join(lines) + "\n")
    assert_bad_input(run_sim(str(ini), "--duration", SHORT, check=False),
                     f"{config}:2:", "keepalive")


def test_ike_setup_drops_first_packet():
    metrics = run_json("--scenario", "ike-setup", "--set", "ping.count=5")["runs"][0]["metrics"]
    assert metrics["ping.sent"] == 5
    assert metrics["ping.received"] == 4
    assert metrics["packets.dropped_during_setup"] == 1
    # The next echo request, 100 ms later, is the first protected packet.
    assert metrics["setup.time_ms"] == 100


def test_ike_setup_queue_keeps_first_packet():
    metrics = run_json("--scenario", "ike-setup", "--set", "ping.count=5",
                       "--set", "ike.queue=5")["runs"][0]["metrics"]
    assert metrics["ping.received"] == 5
    assert metrics["packets.dropped_during_setup"] == 0
    assert metrics["ike.messages"] == 9
    # Main mode and quick mode take 4 round trips of 20 ms before QM2 installs the SAs.
    assert 80 < metrics["setup.time_ms"] < 100


def test_invalid_spi_recovery_matches_guide():
    metrics = run_json("--scenario", "invalid-spi")["runs"][0]["metrics"]
    assert metrics["ping.sent"] == 30
    assert metrics["ping.received"] == 28
    assert metrics["recovery.started"] >= 1


def test_invalid_spi_without_recovery_is_a_black_hole():
    metrics = run_json("--scenario", "invalid-spi", "--set", "recovery=off")["runs"][0]["metrics"]
    assert metrics["ping.received"] < 28
    assert metrics["recovery.started"] == 0
    assert metrics["blackhole.duration_s"] > 10


def test_guide_replay_shows_configured_windows(tmp_path):
    metrics = run_json("--scenario", "guide-replay", "--output",
                       str(tmp_path))["runs"][0]["metrics"]
    assert metrics["replay.window.gateway1.192_165_201_2"] == 1024
    assert metrics["replay.window.gateway2.192_165_200_2"] == 64
    assert metrics["replay.window.hub.172_17_150_2"] == 0
    assert metrics["replay.window.hub.172_17_150_3"] == 64
    assert metrics["replay.window.hub.172_17_150_4"] == 64
    # As on IOS, the packet that starts IKE is dropped; the others cross every tunnel.
    for flow in ["gateway", "peer2", "peer3", "peer4"]:
        assert metrics[f"{flow}.received"] == metrics[f"{flow}.sent"] - 1
    show = (tmp_path / "run-1-gateway1.txt").read_text()
    assert "replay window size: 1024" in show
    show = (tmp_path / "run-1-hub.txt").read_text()
    assert "replay detection support: N" in show


def test_out_of_range_keepalive_names_file_and_line(tmp_path):
    ini = copy_scenario("dpd-failover", tmp_path)
    config = ini.parent / "branch.cfg"
    lines = config.read_text().splitlines()
    number = next(index for index, line in enumerate(lines, 1) if "keepalive" in line)
    lines[number - 1] = "crypto isakmp keepalive 5"
    config.write_text("\n".join(lines) + "\n")
    assert_bad_input(run_sim(str(ini), "--duration", SHORT, check=False),
                     f"{config}:{number}:", "keepalive seconds", "10 to 3600")


def test_keepalive_parameter_out_of_range():
    result = run_sim("--scenario", "dpd-failover", "--set", "dpd.interval=5", check=False)
    assert_bad_input(result, "dpd-failover/branch.cfg:8:",
                     'invalid keepalive seconds "5": expected a number from 10 to 3600')


def test_unimplemented_isakmp_group_is_rejected():
    result = run_sim("--scenario", "ike-setup", "--set", "ike.group=19", check=False)
    assert_bad_input(result, "ike-setup/gatewayA.cfg:7:", "expected 1, 2, 5 or 14")


def test_when_condition_selects_events():
    reboot = run_json("--scenario", "invalid-spi", "--set", "fault=reboot",
                      "--set", "recovery=off", "--duration", "10")["runs"][0]["metrics"]
    assert reboot["drops.invalid_spi"] > 0


def test_malformed_when_names_file_and_line(tmp_path):
    ini = copy_scenario("invalid-spi", tmp_path)
    text = ini.read_text().replace("when = ${fault} == reboot", "when = ${fault} reboot")
    ini.write_text(text)
    number = text.splitlines().index("when = ${fault} reboot") + 1
    assert_bad_input(run_sim(str(ini), check=False), f"{ini}:{number}:", "WORD == WORD")


def line_of(path, text):
    """Return the number, from 1, of the first line of a file that equals text."""
    return path.read_text().splitlines().index(text) + 1


@pytest.mark.parametrize("value", ["soon", "5 ms", "nan", "5msx", "ms", "1e999s", "2000000"])
def test_bad_time_parameter_names_file_and_line(value):
    result = run_sim("--scenario", "ike-setup", "--set", f"wan.delay={value}", check=False)
    ini = scenario_directory() / "ike-setup" / "scenario.ini"
    number = line_of(ini, "delay = ${wan.delay}")
    assert_bad_input(result, f"{ini}:{number}:", f"delay = '{value}' is invalid",
                     "0 to 1000000 s", "ms")


@pytest.mark.parametrize("value", ["2 Mbps", "fast", "0bps", "-2Mbps"])
def test_bad_rate_parameter_names_file_and_line(value):
    result = run_sim("--scenario", "llq-crypto", "--set", f"data.rate={value}", check=False)
    assert_bad_input(result, "llq-crypto/scenario.ini:", f"'{value}' is invalid", "2Mbps")


def test_time_with_units_is_accepted():
    metrics = run_json("--scenario", "ike-setup", "--set", "ping.count=5",
                       "--set", "wan.delay=0.01")["runs"][0]["metrics"]
    assert metrics["setup.time_ms"] == 100


@pytest.mark.parametrize("key, value, fragments", [
    ("engine.DecryptPacketTime", "soon", ["DecryptPacketTime", "a time such as"]),
    ("engine.DecryptPacketTime", "5 us", ["DecryptPacketTime", "a time such as"]),
    ("engine.SaCapacity", "two", ["SaCapacity", "a whole number"]),
    ("engine.SaCapacity", "2x", ["SaCapacity", "a whole number"]),
    ("engine.SaCapacity", "-1", ["SaCapacity", "a whole number"]),
    ("stack.DfBit", "sett", ["DfBit", "one of copy, set, clear"]),
    ("stack.CryptoEngine", "x", ["CryptoEngine", "cannot be set from a scenario file"]),
    ("engine.NoSuchAttribute", "1", ["has no attribute 'NoSuchAttribute'"]),
])
def test_bad_attribute_value_names_file_and_line(tmp_path, key, value, fragments):
    ini = copy_scenario("llq-crypto", tmp_path)
    text = ini.read_text().replace("[router.gatewayA]\n", f"[router.gatewayA]\n{key} = {value}\n")
    ini.write_text(text)
    number = line_of(ini, f"{key} = {value}")
    assert_bad_input(run_sim(str(ini), "--duration", SHORT, check=False),
                     f"{ini}:{number}:", *fragments)


def test_good_attribute_values_are_accepted(tmp_path):
    ini = copy_scenario("llq-crypto", tmp_path)
    keys = "engine.DecryptPacketTime = 20us\nengine.SaCapacity = 100\nstack.DfBit = clear\n"
    ini.write_text(ini.read_text().replace("[router.gatewayA]\n", f"[router.gatewayA]\n{keys}"))
    assert run_sim(str(ini), "--duration", SHORT).returncode == 0


@pytest.mark.parametrize("option, scenario, assignment, allowed", [
    ("--set", "invalid-spi", "recovery=of", "on|off"),
    ("--set", "invalid-spi", "fault=reboo", "clear|reboot"),
    ("--set", "replay-qos", "replay.cure=per-class", "none|per-class-sa|seq-spaces"),
    ("--set", "dpd-failover", "dpd.mode=ondemand", "periodic|on-demand|off"),
    ("--set", "prefrag", "inner_df=2", "0|1"),
    ("--sweep", "llq-crypto", "llq=on,of", "on|off"),
])
def test_parameter_value_outside_choices(option, scenario, assignment, allowed):
    name, value = assignment.split("=")
    result = run_sim("--scenario", scenario, option, assignment, check=False)
    assert_bad_input(result, f"{option} {name}=", f"invalid value of parameter '{name}'",
                     f"use {allowed}")


def test_default_outside_choices_names_file_and_line(tmp_path):
    ini = copy_scenario("invalid-spi", tmp_path)
    ini.write_text(ini.read_text().replace("\nrecovery = on\n", "\nrecovery = yes\n"))
    number = line_of(ini, "recovery = yes")
    assert_bad_input(run_sim(str(ini), check=False), f"{ini}:{number}:",
                     "'recovery' = 'yes' is not one of its choices: use on|off")


def test_list_shows_parameter_choices():
    listing = run_sim("--list-scenarios").stdout
    assert "replay.cure = none" in listing
    assert "(choices: none|per-class-sa|seq-spaces)" in listing
    assert "# choices" not in listing


def test_notes_name_original_config_lines(tmp_path):
    result = run_sim("--scenario", "guide-replay", "--output", str(tmp_path))
    directory = scenario_directory() / "guide-replay"
    assert "/tmp/ipsec-sim-" not in result.stderr
    notes = [line for line in (tmp_path / "summary.txt").read_text().splitlines()
             if line.startswith("note: ")]
    assert notes
    for note in notes:
        match = re.match(r"note: (.*\.cfg):(\d+): line not applied: (.*)$", note)
        assert match, note
        config = Path(match.group(1))
        assert config.parent == directory, note
        assert config.read_text().splitlines()[int(match.group(2)) - 1].strip() == \
            match.group(3).strip(), note


def append_section(ini, text):
    """Append INI text to a scenario file; return the number of its first line."""
    before = ini.read_text()
    ini.write_text(before + "\n" + text)
    return len(before.splitlines()) + 2


@pytest.mark.parametrize("path, reason", [
    (".", "is not a regular file"),
    ("/dev/null", "is not a regular file"),
    ("/dev/zero", "is not a regular file"),
])
def test_scenario_path_not_regular_file(path, reason):
    result = run_sim(path, check=False)
    assert_bad_input(result, f"{path}: the scenario file {reason}")


@pytest.mark.parametrize("text, reason", [
    ("", "is empty"),
    ("# only a comment\n", "missing [scenario] section"),
    ("[parameters]\nx = 1\n", "missing [scenario] section"),
    ("[scenario]\nname = none\n", "no [router.NAME] or [host.NAME]"),
])
def test_scenario_without_content(tmp_path, text, reason):
    ini = tmp_path / "scenario.ini"
    ini.write_text(text)
    assert_bad_input(run_sim(str(ini), check=False), str(ini), reason)


def test_scenario_file_above_size_limit(tmp_path):
    ini = tmp_path / "scenario.ini"
    ini.write_text("[scenario]\n" + "# padding line\n" * 80000)
    assert_bad_input(run_sim(str(ini), check=False), str(ini), "larger than 1 MiB")


def test_scenario_line_above_length_limit(tmp_path):
    ini = copy_scenario("replay-qos", tmp_path)
    lines = ini.read_text().splitlines()
    lines.insert(1, "# " + "x" * 5000)
    ini.write_text("\n".join(lines) + "\n")
    assert_bad_input(run_sim(str(ini), check=False), f"{ini}:2:", "longer than 4096")


def prepare_config(tmp_path, kind):
    """Replace gatewayA's configuration by a bad one; return the INI and its config line."""
    ini = copy_scenario("replay-qos", tmp_path)
    config = ini.parent / "gatewayA.cfg"
    number = line_of(ini, "config = gatewayA.cfg")
    if kind == "directory":
        config.unlink()
        config.mkdir()
    elif kind == "empty":
        config.write_text("")
    elif kind == "device":
        config.unlink()
        config.symlink_to("/dev/zero")
    elif kind == "unset":
        ini.write_text(ini.read_text().replace("config = gatewayA.cfg", "config ="))
    return ini, number


@pytest.mark.parametrize("kind, reason", [
    ("directory", "cannot be read: it is not a regular file"),
    ("device", "cannot be read: it is not a regular file"),
    ("empty", "the file is empty"),
    ("unset", "name an IOS configuration file"),
])
def test_bad_config_file_names_ini_line(tmp_path, kind, reason):
    ini, number = prepare_config(tmp_path, kind)
    result = run_sim(str(ini), "--duration", SHORT, check=False)
    assert_bad_input(result, f"{ini}:{number}:", "[router.gatewayA] config", reason)


def test_config_line_above_length_limit(tmp_path):
    ini = copy_scenario("replay-qos", tmp_path)
    config = ini.parent / "gatewayA.cfg"
    lines = config.read_text().splitlines()
    lines.insert(2, "! " + "x" * 5000)
    config.write_text("\n".join(lines) + "\n")
    assert_bad_input(run_sim(str(ini), "--duration", SHORT, check=False),
                     f"{config}:3:", "longer than 4096")


@pytest.mark.parametrize("text, key", [
    ("type = udp\nsource = hostA\ndestination = hostB\nstart = 50\ncount = -1\n", "count"),
    ("type = tcp\nsource = hostA\ndestination = hostB\nstart = 50\non = soon\n", "on"),
    ("type = ping\nsource = hostA\ndestination = hostB\nwhen = a == b\nsize = 5\n", "size"),
])
def test_unused_traffic_value_is_rejected(tmp_path, text, key):
    ini = copy_scenario("replay-qos", tmp_path)
    first = append_section(ini, "[traffic.late]\n" + text)
    number = first + text.splitlines().index(
        next(line for line in text.splitlines() if line.startswith(key + " "))) + 1
    result = run_sim(str(ini), "--duration", SHORT, check=False)
    assert_bad_input(result, f"{ini}:{number}:", f"[traffic.late] {key} =", "is invalid")


def test_inactive_event_value_is_rejected(tmp_path):
    ini = copy_scenario("replay-qos", tmp_path)
    first = append_section(ini, "[event.never]\nwhen = a == b\nat = later\n"
                                "action = reboot\ntarget = gatewayA\n")
    result = run_sim(str(ini), "--duration", SHORT, check=False)
    assert_bad_input(result, f"{ini}:{first + 2}:", "[event.never] at = 'later'")


def test_file_duration_checked_with_option(tmp_path):
    ini = copy_scenario("replay-qos", tmp_path)
    ini.write_text(ini.read_text().replace("duration = 10", "duration = soon"))
    number = line_of(ini, "duration = soon")
    result = run_sim(str(ini), "--duration", SHORT, check=False)
    assert_bad_input(result, f"{ini}:{number}:", "duration = 'soon' is invalid")


def test_sweep_value_checked_before_first_run(tmp_path):
    result = run_sim("--scenario", "llq-crypto", "--duration", SHORT,
                     "--sweep", "data.rate=1Mbps,fast", "--output", str(tmp_path),
                     check=False)
    assert_bad_input(result, "'fast' is invalid")
    assert not list(tmp_path.glob("run-*"))


def test_repeated_set_is_rejected():
    result = run_sim("--set", "replay.window=64", "--set", "replay.window=128",
                     "--duration", SHORT, check=False)
    assert_bad_input(result, "--set replay.window", "give it once")


@pytest.mark.parametrize("value", ["0x10", "inf", "nan", "1e400"])
def test_hex_or_special_number_is_rejected(tmp_path, value):
    ini = copy_scenario("replay-qos", tmp_path)
    first = append_section(ini, "[traffic.extra]\ntype = udp\nsource = hostA\n"
                                f"destination = hostB\ncount = {value}\n")
    result = run_sim(str(ini), "--duration", SHORT, check=False)
    assert_bad_input(result, f"{ini}:{first + 4}:", "use a number")


@pytest.mark.parametrize("value", ["0x2", "inf"])
def test_hex_duration_option_is_rejected(value):
    assert_bad_input(run_sim("--duration", value, check=False), "--duration", "is invalid")
