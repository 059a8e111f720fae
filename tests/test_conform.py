"""The conform kit on real and broken clients: each faulty client is caught with the right
property named; the reference client and the official SDK are judged honestly."""

from __future__ import annotations

import subprocess
import sys
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

from contracts.adapters import CommandAdapter, PythonAdapter
from contracts.conform import PROPERTIES, Conformer
from contracts.report import write_html, write_junit

ROOT = Path(__file__).resolve().parent.parent


def _conform(server, target: str, scenarios: tuple[str, ...], examples: int = 3, deadline: float = 10):
    return Conformer(PythonAdapter(target), server.base_url, examples=examples, deadline=deadline,
                     scenario_kinds=scenarios).run()


@pytest.mark.parametrize("client,scenarios,broken", [
    ("two_images", ("plain",), "requests-valid"),
    ("reuses_uuid", ("plain",), "task-uuid-unique"),
    ("ignores_429", ("transient-submit",), "transient-retried"),
    ("tight_loop", ("slow",), "polling-not-abusive"),  # held for >= 1 poll: at least two polls
    ("never_gives_up", ("failed",), "permanent-reported"),
])
def test_faulty_client_is_caught_by_the_right_property(server, client, scenarios, broken):
    report = _conform(server, f"tests.clients.faulty:{client}", scenarios)
    assert not report.ok
    assert report.failures()[broken] > 0, report.failures()
    example = report.counterexamples[broken]
    assert broken in example.failed and example.reasons[broken]


def test_reference_client_conforms_under_every_scenario(server):
    report = _conform(server, "tests.clients.faulty:good",
                      ("plain", "transient-submit", "transient-poll", "dropped-poll", "slow", "failed"), examples=8)
    assert report.ok, {k: v for k, v in report.failures().items() if v}
    checked = report.checked()
    assert checked["right-video"] > 0 and checked["parameters-as-asked"] == len(report.examples)


def test_command_line_adapter(server):
    adapter = CommandAdapter(f"{sys.executable} -m tests.clients.cli_client {{job}}")
    report = Conformer(adapter, server.base_url, examples=3, deadline=10, scenario_kinds=("plain", "failed")).run()
    assert report.ok, report.failures()


def test_official_runware_sdk_over_rest_conforms(server):
    report = _conform(server, "tests.clients.runware_sdk:rest",
                      ("plain", "transient-submit", "transient-poll", "slow", "failed"), examples=6, deadline=20)
    assert report.checked()["right-video"] > 0 and report.checked()["transient-retried"] > 0
    assert report.ok, {k: v for k, v in report.failures().items() if v}


def test_official_runware_sdk_over_websocket(server):
    """runware-sdk 1.8 over WebSocket handles slow and failed jobs well ..."""
    report = _conform(server, "tests.clients.runware_sdk:websocket", ("plain", "slow", "failed"), examples=4,
                      deadline=20)
    assert report.ok, {k: v for k, v in report.failures().items() if v}


def test_official_runware_sdk_over_websocket_does_not_retry_transient_errors(server):
    """... but raises on a 429/503/504-class error item instead of retrying (its REST
    transport retries): the kit's finding on runware-sdk 1.8, reported in the README."""
    report = _conform(server, "tests.clients.runware_sdk:websocket", ("transient-submit",), examples=2, deadline=20)
    failures = {k for k, v in report.failures().items() if v}
    assert failures == {"transient-retried", "right-video"}
    assert "retry later" in report.counterexamples["transient-retried"].outcome.error or \
        "queue" in report.counterexamples["transient-retried"].outcome.error


def test_reports(server, tmp_path):
    report = _conform(server, "tests.clients.faulty:two_images", ("plain",), examples=2)
    write_junit(report, tmp_path / "conform.xml")
    write_html(report, tmp_path / "conform.html")
    suite = ET.parse(tmp_path / "conform.xml").getroot()
    assert suite.get("tests") == str(len(PROPERTIES))
    failed = {case.get("name") for case in suite if case.find("failure") is not None}
    assert "requests-valid" in failed
    page = (tmp_path / "conform.html").read_text()
    assert "breaks the contract" in page and "<script" not in page and "http" not in page.split("<body>")[0]


def test_cli_conform_exit_status(tmp_path):
    exe = str(Path(sys.executable).parent / "runware-mock")
    done = subprocess.run([exe, "conform", "--client", "tests.clients.faulty:two_images", "--examples", "2",
                           "--scenario", "plain", "--junit", str(tmp_path / "j.xml")],
                          capture_output=True, text=True, cwd=ROOT, timeout=300)
    assert done.returncode == 1, done.stdout + done.stderr
    assert "requests-valid" in done.stdout + done.stderr
    assert (tmp_path / "j.xml").exists()
