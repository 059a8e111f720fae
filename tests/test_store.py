"""State survives a restart; work cut off by a stop is finished after it."""

from __future__ import annotations

import time

import httpx

from contracts.examples import animate_task, get_response
from contracts.server import LiveServer
from mock_server.store import Store

HEADERS = {"Authorization": "Bearer k"}


def test_restart_keeps_results(tmp_path):
    with LiveServer(tmp_path) as first:
        body = animate_task(first.fixture_url("character-square.jpg"), first.fixture_url("square-noaudio.mp4"))
        (item,) = httpx.post(first.rest_url, json=[body], headers=HEADERS, timeout=60).json()["data"]
        port = first.port
    with LiveServer(tmp_path, port=port) as second:
        (again,) = httpx.post(second.rest_url, json=[get_response(body["taskUUID"])], headers=HEADERS).json()["data"]
        assert again["status"] == "success"
        assert again["videoUUID"] == item["videoUUID"]
        assert httpx.get(again["videoURL"]).status_code == 200
        # The UUID is still taken after the restart.
        conflict = httpx.post(second.rest_url, json=[body], headers=HEADERS).json()["errors"][0]
        assert conflict["code"] == "conflictTaskUUID"


def test_pending_task_is_finished_after_restart(tmp_path):
    with LiveServer(tmp_path) as first:
        image, video = first.fixture_url("character-square.jpg"), first.fixture_url("square-noaudio.mp4")
        httpx.get(image), httpx.get(video)  # render fixtures while the server is up
        port = first.port
    # Simulate a stop between the ack and the end of generation.
    body = animate_task(image, video, deliveryMethod="async")
    store = Store(tmp_path)
    store.create_task(body["taskUUID"], "videoInference", "k", body, f"http://127.0.0.1:{port}")
    (tmp_path / "media" / ".half-written.mp4.tmp").write_bytes(b"partial")
    store.close()
    with LiveServer(tmp_path, port=port) as second:
        deadline = time.monotonic() + 20
        while time.monotonic() < deadline:
            (item,) = httpx.post(second.rest_url, json=[get_response(body["taskUUID"])], headers=HEADERS).json()["data"]
            if item["status"] == "success":
                break
            time.sleep(0.05)
        assert item["status"] == "success"
        assert httpx.get(item["videoURL"]).status_code == 200
    assert not list((tmp_path / "media").glob(".*.tmp"))
