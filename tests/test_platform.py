"""Webhooks, upload endpoints, task details and dry runs."""

from __future__ import annotations

import json
import time
import uuid

import httpx
import pytest

from contracts.examples import animate_task
from contracts.server import LiveServer
from tests.conftest import post
from tests.receiver import Receiver


@pytest.fixture(scope="module")
def fast_retry_server(tmp_path_factory):
    with LiveServer(tmp_path_factory.mktemp("deliveries"), delivery_first_backoff=0.05) as srv:
        yield srv


def _deliveries(server, task_uuid: str, count: int) -> list[dict]:
    deadline = time.monotonic() + 20
    while time.monotonic() < deadline:
        rows = httpx.get(f"{server.base_url}/__admin/deliveries", params={"taskUUID": task_uuid}).json()["deliveries"]
        if len(rows) >= count:
            return rows
        time.sleep(0.05)
    return rows


def test_webhook_posts_each_item_and_retries_failures(fast_retry_server):
    srv = fast_retry_server
    with Receiver(statuses=[500, 503]) as hook:
        task = animate_task(srv.fixture_url("character-square.jpg"), srv.fixture_url("square-noaudio.mp4"),
                            webhookURL=hook.url("hook"), numberResults=2)
        items = httpx.post(srv.rest_url, json=[task], headers={"Authorization": "Bearer k"}, timeout=60).json()["data"]
        received = hook.wait_for(4)
        rows = _deliveries(srv, task["taskUUID"], 4)
    bodies = [json.loads(r.body) for r in received if r.method == "POST"]
    assert [b["videoUUID"] for b in bodies[2:]] == [items[0]["videoUUID"], items[1]["videoUUID"]]
    assert all(b == bodies[0] for b in bodies[:3])  # the first item, retried twice
    assert [(r["attempt"], r["status"], r["ok"]) for r in rows] == [(1, 500, False), (2, 503, False), (3, 200, True),
                                                                    (1, 200, True)]
    assert rows[0]["error"] == "HTTP 500" and rows[0]["kind"] == "webhook"


def test_webhook_gives_up_after_bounded_attempts(fast_retry_server):
    srv = fast_retry_server
    task = animate_task(srv.fixture_url("character-square.jpg"), srv.fixture_url("square-noaudio.mp4"),
                        webhookURL="http://127.0.0.1:1/never")
    assert httpx.post(srv.rest_url, json=[task], headers={"Authorization": "Bearer k"}, timeout=60).status_code == 200
    rows = _deliveries(srv, task["taskUUID"], 4)
    time.sleep(1.0)
    rows = _deliveries(srv, task["taskUUID"], 4)
    assert [r["attempt"] for r in rows] == [1, 2, 3, 4]
    assert all(not r["ok"] and r["status"] is None and r["error"] for r in rows)


def test_upload_endpoint_receives_the_file(fast_retry_server):
    srv = fast_retry_server
    with Receiver() as sink:
        task = animate_task(srv.fixture_url("character-square.jpg"), srv.fixture_url("square-noaudio.mp4"),
                            uploadEndpoint=sink.url("bucket/out.mp4"))
        (item,) = httpx.post(srv.rest_url, json=[task], headers={"Authorization": "Bearer k"}, timeout=60).json()["data"]
        (put,) = sink.wait_for(1)
    assert put.method == "PUT" and put.path == "/bucket/out.mp4" and put.content_type == "video/mp4"
    assert put.body == httpx.get(item["videoURL"]).content
    (row,) = _deliveries(srv, task["taskUUID"], 1)
    assert (row["kind"], row["ok"]) == ("upload", True)


def test_get_task_details_returns_request_and_response(api, task):
    body = task(seed=5)
    (item,) = post(api, body).json()["data"]
    (details,) = post(api, {"taskType": "getTaskDetails", "taskUUID": body["taskUUID"]}).json()["data"]
    assert details["request"] == body
    assert details["response"]["data"][0]["videoUUID"] == item["videoUUID"]
    missing = post(api, {"taskType": "getTaskDetails", "taskUUID": str(uuid.uuid4())})
    assert missing.json()["errors"][0]["code"] == "taskNotFound"


def test_dry_run_validates_and_prices_without_running(api, task):
    body = task(resolution="1080p", numberResults=2)
    response = api.post("/v1", json=[body], headers={"X-Runware-Dry-Run": "1"})
    assert response.status_code == 200
    (item,) = response.json()["data"]
    assert item == {"taskType": "videoInference", "taskUUID": body["taskUUID"], "dryRun": True,
                    "cost": pytest.approx(0.36)}  # 3 s × $0.06 × 2
    # Nothing ran: the UUID is still free and polling knows nothing.
    assert post(api, {"taskType": "getResponse", "taskUUID": body["taskUUID"]}).json()["errors"][0]["code"] == "taskNotFound"
    assert post(api, body).status_code == 200
    bad = api.post("/v1", json=[task(fps=12)], headers={"X-Runware-Dry-Run": "1"})
    assert bad.json()["errors"][0]["code"] == "invalidFps"
