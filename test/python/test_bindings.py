# Copyright (c) 2026 The ns3-ipsec authors
# SPDX-License-Identifier: GPL-2.0-only
"""Check the ns3ipsec Python module against the ipsec-sim program built beside it.

The module must be importable (CTest puts the build directory on PYTHONPATH). Every run
simulates two seconds of traffic, so the whole file runs in a few seconds.
"""

import json
import shutil
import subprocess
import warnings
from pathlib import Path

import pytest

import ns3ipsec

PROGRAM = Path(ns3ipsec.__file__).resolve().parent / "ipsec-sim"

# Simulated seconds of traffic per run in these tests.
SHORT = 2.0


def run_program(*arguments):
    """Run ipsec-sim with arguments; return the completed process."""
    if not PROGRAM.is_file():
        pytest.skip(f"{PROGRAM} is missing: build the ipsec-sim target")
    return subprocess.run(
        [str(PROGRAM), *arguments], capture_output=True, text=True, timeout=60
    )


def program_error(*arguments):
    """Return the one-line message ipsec-sim prints for bad input, without its prefix."""
    result = run_program(*arguments)
    assert result.returncode == 2, result.stdout + result.stderr
    line = result.stderr.strip()
    assert line.startswith("ipsec-sim: "), line
    return line[len("ipsec-sim: "):]


def copy_scenario(name, destination):
    """Copy a built-in scenario to destination; return the path of its scenario.ini.

    The scenario directory is the one that ipsec-sim --list-scenarios reports.
    """
    listing = run_program("--list-scenarios").stdout
    directory = listing.split("(", 1)[1].split("):", 1)[0]
    target = destination / name
    shutil.copytree(Path(directory) / name, target)
    return target / "scenario.ini"


@pytest.fixture(scope="module")
def default_metrics():
    """Metrics of the default scenario with a short duration, run once per module."""
    return ns3ipsec.run(duration=SHORT)


def test_list_scenarios():
    scenarios = ns3ipsec.list_scenarios()
    for name in ["replay-qos", "llq-crypto", "prefrag", "ike-setup", "idle-timer",
                 "dpd-failover", "invalid-spi", "guide-replay"]:
        assert name in scenarios
    assert "replay" in scenarios["replay-qos"]


def test_scenario_parameters_defaults():
    parameters = ns3ipsec.scenario_parameters("replay-qos")
    assert parameters == {
        "replay.window": "64",
        "replay.disable": "false",
        "replay.cure": "none",
        "data.rate": "3Mbps",
        "wan.rate": "2Mbps",
    }


def test_scenario_parameters_from_path(tmp_path):
    path = copy_scenario("replay-qos", tmp_path)
    assert ns3ipsec.scenario_parameters(str(path)) == \
        ns3ipsec.scenario_parameters("replay-qos")


def test_run_matches_program_json(default_metrics):
    result = run_program("--scenario", "replay-qos", "--duration", str(SHORT),
                         "--format", "json")
    assert result.returncode == 0, result.stderr
    document = json.loads(result.stdout)
    assert default_metrics == document["runs"][0]["metrics"]


def test_run_value_types(default_metrics):
    assert isinstance(default_metrics["voice.sent"], int)
    assert default_metrics["voice.sent"] > 0
    assert all(value is None or isinstance(value, (int, float, str))
               for value in default_metrics.values())


def test_repeated_runs_identical(default_metrics):
    # A run of another scenario in between must leave nothing behind either.
    ns3ipsec.run("prefrag", duration=SHORT)
    assert ns3ipsec.run(duration=SHORT) == default_metrics
    assert ns3ipsec.run(duration=SHORT) == default_metrics


@pytest.mark.parametrize("scenario", ["replay-qos", "llq-crypto", "prefrag", "ike-setup",
                                      "idle-timer", "dpd-failover", "invalid-spi",
                                      "guide-replay"])
def test_every_scenario_matches_program(scenario):
    # Each scenario runs after the others in this process, so state left behind by any of
    # them would show up as a difference from a fresh ipsec-sim process.
    result = run_program("--scenario", scenario, "--duration", str(SHORT), "--format", "json")
    assert result.returncode == 0, result.stderr
    expected = json.loads(result.stdout)["runs"][0]["metrics"]
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        assert ns3ipsec.run(scenario, duration=SHORT) == expected

    # Only the IOS lines no router applied become warnings, at most five and a count.
    assert len(caught) <= 6
    for warning in caught:
        assert issubclass(warning.category, UserWarning)
        assert "line not applied" in str(warning.message) or \
            "more notes" in str(warning.message)
    if scenario == "guide-replay":
        assert len(caught) == 6


def test_run_from_path_matches_name(tmp_path, default_metrics):
    path = copy_scenario("replay-qos", tmp_path)
    assert ns3ipsec.run(str(path), duration=SHORT) == default_metrics


def test_sweep_replay_window(default_metrics):
    drops = {}
    for window in [64, 1024]:
        metrics = ns3ipsec.run(set={"replay.window": window}, duration=SHORT)
        drops[window] = metrics["replay.drops"]
    assert drops[64] == default_metrics["replay.drops"]
    assert drops[64] > 0
    assert drops[1024] == 0


def test_bool_parameter_disables_replay():
    metrics = ns3ipsec.run(set={"replay.disable": True}, duration=SHORT)
    assert metrics["replay.drops"] == 0


def test_unknown_scenario_error():
    expected = program_error("--scenario", "no-such-scenario")
    with pytest.raises(ValueError) as error:
        ns3ipsec.run("no-such-scenario")
    assert str(error.value) == expected
    with pytest.raises(ValueError) as error:
        ns3ipsec.scenario_parameters("no-such-scenario")
    assert str(error.value) == expected


def test_missing_scenario_file_error(tmp_path):
    path = str(tmp_path / "missing.ini")
    expected = program_error(path)
    with pytest.raises(ValueError) as error:
        ns3ipsec.run(path)
    assert str(error.value) == expected


def test_unknown_parameter_error():
    expected = program_error("--set", "replay.size=64")
    with pytest.raises(ValueError) as error:
        ns3ipsec.run(set={"replay.size": 64})
    assert str(error.value) == expected


def test_bad_scenario_value_error(tmp_path):
    path = copy_scenario("replay-qos", tmp_path)
    text = path.read_text().replace("duration = 10", "duration = -5")
    path.write_text(text)
    line = text.splitlines().index("duration = -5") + 1
    expected = program_error(str(path))
    with pytest.raises(ValueError) as error:
        ns3ipsec.run(str(path))
    assert str(error.value) == expected
    assert str(error.value).startswith(f"{path}:{line}: ")


def test_bad_ios_line_in_scenario_error(tmp_path):
    path = copy_scenario("replay-qos", tmp_path)
    config = path.parent / "gatewayA.cfg"
    config.write_text(config.read_text().replace(" set transform-set TS",
                                                 " set transform-set MISSING"))
    expected = program_error(str(path), "--duration", str(SHORT))
    with pytest.raises(ValueError) as error:
        ns3ipsec.run(str(path), duration=SHORT)
    assert str(error.value) == expected
    assert "MISSING" in str(error.value)


def test_bad_arguments_error():
    with pytest.raises(ValueError, match="--duration '0' is invalid"):
        ns3ipsec.run(duration=0)
    with pytest.raises(ValueError, match="--seed '0' is invalid"):
        ns3ipsec.run(seed=0)
    with pytest.raises(ValueError, match="run '0' is invalid"):
        ns3ipsec.run(run=0)


def test_load_ios_config_summary(tmp_path):
    config = tmp_path / "router.cfg"
    config.write_text(
        "hostname edge\n"
        "!\n"
        "version 15.1\n"
        "crypto ipsec transform-set TS esp-aes esp-sha-hmac\n"
        "!\n"
        "access-list 101 permit ip 10.1.1.0 0.0.0.255 10.2.2.0 0.0.0.255\n"
        "!\n"
        "crypto map VPN 10 ipsec-isakmp\n"
        " set peer 192.0.2.2\n"
        " set peer 192.0.2.6\n"
        " set transform-set TS\n"
        " match address 101\n"
        " set security-association replay window-size 128\n"
        "!\n"
        "interface Serial0/0\n"
        " ip address 192.0.2.1 255.255.255.252\n"
        " crypto map VPN\n"
        "!\n"
        "interface Gi0/1\n"
        " ip address 10.1.1.1 255.255.255.0\n"
        " shutdown\n"
    )
    summary = ns3ipsec.load_ios_config(str(config))

    assert summary["hostname"] == "edge"
    assert summary["ignored_lines"] == 1
    assert summary["transform_sets"] == ["TS"]
    assert [interface["name"] for interface in summary["interfaces"]] == \
        ["Serial0/0", "GigabitEthernet0/1"]
    serial, lan = summary["interfaces"]
    assert serial["addresses"] == ["192.0.2.1/30"]
    assert serial["crypto_map"] == "VPN"
    assert not serial["shutdown"]
    assert lan["shutdown"]

    entries = summary["crypto_maps"]["VPN"]["entries"]
    assert len(entries) == 1
    assert entries[0]["sequence"] == 10
    assert entries[0]["key_management"] == "ipsec-isakmp"
    assert entries[0]["peers"] == ["192.0.2.2", "192.0.2.6"]
    assert entries[0]["transform_sets"] == ["TS"]
    assert entries[0]["access_list"] == "101"
    assert entries[0]["replay_window_size"] == 128
    assert entries[0]["lifetime_seconds"] is None


def test_load_ios_config_line_error(tmp_path):
    config = tmp_path / "router.cfg"
    config.write_text(
        "hostname edge\n"
        "crypto ipsec transform-set TS esp-aes esp-bogus\n"
    )
    with pytest.raises(ValueError) as error:
        ns3ipsec.load_ios_config(str(config))
    assert str(error.value).startswith(f"{config}:2: ")
    assert "esp-bogus" in str(error.value)


def test_load_ios_config_missing_file(tmp_path):
    path = str(tmp_path / "missing.cfg")
    with pytest.raises(ValueError) as error:
        ns3ipsec.load_ios_config(path)
    assert str(error.value).startswith(f"{path}: ")


@pytest.mark.parametrize("scenario, name, value", [
    ("ike-setup", "wan.delay", "soon"),
    ("llq-crypto", "data.rate", "2 Mbps"),
    ("invalid-spi", "recovery", "of"),
])
def test_bad_parameter_value_error(scenario, name, value):
    # ns-3 would abort the Python process on an unparsable time or rate.
    expected = program_error("--scenario", scenario, "--set", f"{name}={value}")
    with pytest.raises(ValueError) as error:
        ns3ipsec.run(scenario, set={name: value}, duration=SHORT)
    assert str(error.value) == expected
