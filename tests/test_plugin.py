"""The pytest plugin, used the way the README shows, plus its options in a child pytest."""

from __future__ import annotations

import subprocess
import sys
import textwrap
import uuid

import httpx

from contracts.server import LiveServer


def test_fixture_exposes_urls_and_control_api(runware_mock):
    assert runware_mock.rest_url.endswith("/v1") and runware_mock.ws_url.startswith("ws://")
    runware_mock.faults.add("error", taskType="ping", status=429)
    response = httpx.post(runware_mock.rest_url, json=[{"taskType": "ping", "ping": True}],
                          headers={"Authorization": "Bearer plugin"})
    assert response.status_code == 429
    assert runware_mock.journal.entries(api_key="plugin")[-1]["verdict"] == "fault"
    assert runware_mock.jobs.list() == []


def test_conform_fixture_runs_the_kit(runware_mock_conform):
    report = runware_mock_conform(client="tests.clients.faulty:good", examples=2, scenario_kinds=("plain",))
    assert report.ok


def test_options_point_at_an_external_server_and_client(tmp_path):
    test_file = tmp_path / "test_external.py"
    test_file.write_text(textwrap.dedent("""
        def test_uses_external(runware_mock, runware_mock_conform):
            assert runware_mock.base_url == "{url}"
            report = runware_mock_conform(examples=2, scenario_kinds=("plain",))
            assert report.ok
    """))
    with LiveServer(tmp_path / "data") as external:
        code = test_file.read_text().replace("{url}", external.base_url)
        test_file.write_text(code)
        done = subprocess.run([sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", str(test_file),
                               f"--runware-mock-url={external.base_url}",
                               "--runware-mock-client=tests.clients.faulty:good"],
                              capture_output=True, text=True, timeout=300)
        assert done.returncode == 0, done.stdout[-2000:] + done.stderr[-2000:]
        assert external.journal.entries()  # the child's client talked to this server


def test_readme_example(runware_mock):
    task = {
        "taskType": "videoInference", "taskUUID": str(uuid.uuid4()),
        "model": "prunaai:p-video@animate",
        "inputs": {"referenceImages": [runware_mock.fixture_url("character-portrait.png")],
                   "referenceVideos": [runware_mock.fixture_url("landscape-16x9-audio.mp4")]},
    }
    reply = httpx.post(runware_mock.rest_url, json=[task], headers={"Authorization": "Bearer k"}).json()
    assert reply["data"][0]["videoURL"].endswith(".mp4")
