"""The control API: journal, faults, job lifecycle, time scale, reset."""

from __future__ import annotations

import json
import time
import uuid

import httpx
import pytest
from websockets.exceptions import ConnectionClosed
from websockets.sync.client import connect

from contracts.examples import animate_task, get_response
from contracts.server import LiveServer

HEADERS = {"Authorization": "Bearer journal-key"}


@pytest.fixture
def srv(tmp_path):
    with LiveServer(tmp_path) as server:
        yield server


def _post(server, *tasks, headers=HEADERS):
    return httpx.post(server.rest_url, json=list(tasks), headers=headers, timeout=60)


def _task(server, **fields):
    return animate_task(server.fixture_url("character-square.jpg"), server.fixture_url("square-noaudio.mp4"), **fields)


def test_journal_records_every_task_with_its_verdict(srv):
    good, bad = _task(srv), _task(srv, fps=30)
    _post(srv, good, bad)
    httpx.post(srv.rest_url, content=b"nope", headers=HEADERS)
    entries = srv.journal.entries()
    assert [(e["taskUUID"], e["verdict"], e["codes"]) for e in entries] == [
        (good["taskUUID"], "valid", []), (bad["taskUUID"], "invalid", ["invalidFps"]), (None, "invalid", ["invalidJSON"])]
    assert entries[0]["body"] == good and entries[0]["transport"] == "rest" and entries[0]["apiKey"] == "journal-key"
    assert srv.journal.entries(task_uuid=bad["taskUUID"])[0]["codes"] == ["invalidFps"]
    assert srv.journal.entries(api_key="other") == []
    assert len(srv.journal.entries(since=entries[1]["at"])) == 2
    srv.journal.clear()
    assert srv.journal.entries() == []


def test_journal_records_websocket_tasks(srv):
    with connect(srv.ws_url) as ws:
        ws.send(json.dumps([{"taskType": "authentication", "apiKey": "ws-key"}]))
        ws.recv(timeout=5)
        ws.send(json.dumps([{"taskType": "ping", "ping": True}]))
        ws.recv(timeout=5)
    (entry,) = srv.journal.entries(api_key="ws-key")
    assert (entry["transport"], entry["taskType"], entry["verdict"]) == ("ws", "ping", "valid")


@pytest.mark.parametrize("status,code,expected_code", [(429, None, "queueFull"), (503, None, "serviceUnavailable"),
                                                       (504, None, "timeoutQueue"), (None, "insufficientCredits", "insufficientCredits")])
def test_error_fault_answers_then_clears(srv, status, code, expected_code):
    fields = {k: v for k, v in {"status": status, "code": code}.items() if v}
    srv.faults.add("error", count=2, taskType="videoInference", **fields)
    for _ in range(2):
        body = _task(srv)
        response = _post(srv, body)
        assert response.status_code == (status or 402)
        (error,) = response.json()["errors"]
        assert (error["code"], error["taskUUID"]) == (expected_code, body["taskUUID"])
    assert _post(srv, _task(srv)).status_code == 200
    assert srv.faults.list() == []
    verdicts = [e["verdict"] for e in srv.journal.entries()]
    assert verdicts == ["fault", "fault", "valid"]


def test_fault_matches_task_type_and_transport(srv):
    srv.faults.add("error", taskType="getResponse", transport="ws", status=503)
    assert _post(srv, {"taskType": "ping", "ping": True}).status_code == 200
    unknown = _post(srv, get_response(str(uuid.uuid4())))
    assert unknown.json()["errors"][0]["code"] == "taskNotFound"  # REST is not matched
    (fault,) = srv.faults.list()
    assert fault["remaining"] == 1
    srv.faults.clear()
    assert srv.faults.list() == []


def test_latency_and_malformed_faults(srv):
    srv.faults.add("latency", latency=0.5)
    started = time.monotonic()
    assert _post(srv, {"taskType": "ping", "ping": True}).status_code == 200
    assert time.monotonic() - started >= 0.5
    srv.faults.add("malformed")
    response = _post(srv, {"taskType": "ping", "ping": True})
    with pytest.raises(ValueError):
        response.json()


def test_websocket_close_and_malformed_faults(srv):
    srv.faults.add("malformed", transport="ws", taskType="ping")
    srv.faults.add("close", transport="ws", taskType="ping")
    with connect(srv.ws_url) as ws:
        ws.send(json.dumps([{"taskType": "authentication", "apiKey": "k"}]))
        ws.recv(timeout=5)
        ws.send(json.dumps([{"taskType": "ping", "ping": True}]))
        assert ws.recv(timeout=5) == "<html>upstream error</html>"
        ws.send(json.dumps([{"taskType": "ping", "ping": True}]))
        with pytest.raises(ConnectionClosed):
            ws.recv(timeout=5)


def test_job_held_for_polls_then_succeeds(srv):
    srv.jobs.hold(polls=3)
    body = _task(srv, deliveryMethod="async")
    _post(srv, body)
    # Generation itself takes a few ms after the ack, so wait for it before polling.
    deadline = time.monotonic() + 10
    while srv.services.store.get_task(body["taskUUID"]).state == "pending" and time.monotonic() < deadline:
        time.sleep(0.02)
    statuses = [_post(srv, get_response(body["taskUUID"])).json()["data"][0]["status"] for _ in range(4)]
    assert statuses == ["processing", "processing", "processing", "success"]


def test_job_held_for_seconds_then_fails_with_chosen_error(srv):
    body = _task(srv, deliveryMethod="async")
    srv.jobs.hold(taskUUID=body["taskUUID"], seconds=1.5, error="inferenceFailed")
    _post(srv, body)
    first = _post(srv, get_response(body["taskUUID"])).json()["data"][0]
    assert first["status"] == "processing"
    time.sleep(1.6)
    failed = _post(srv, get_response(body["taskUUID"]))
    (error,) = failed.json()["errors"]
    assert (failed.status_code, error["code"], error["taskUUID"]) == (500, "inferenceFailed", body["taskUUID"])


def test_job_rule_applies_to_sync_delivery(srv):
    srv.jobs.hold(error="inferenceFailed")
    body = _task(srv)
    (error,) = _post(srv, body).json()["errors"]
    assert (error["code"], error["taskUUID"]) == ("inferenceFailed", body["taskUUID"])
    assert srv.jobs.list() == []


def test_time_scale_and_reset(srv):
    srv.admin.time_scale = 0.05
    assert srv.admin.time_scale == 0.05
    (item,) = _post(srv, _task(srv)).json()["data"]
    srv.faults.add("latency", count=5)
    srv.admin.reset()
    assert srv.journal.entries() == [] and srv.faults.list() == []
    assert httpx.get(item["videoURL"]).status_code == 404


def test_admin_rejects_unknown_codes(srv):
    with pytest.raises(httpx.HTTPStatusError):
        srv.faults.add("error", code="noSuchCode")
    with pytest.raises(httpx.HTTPStatusError):
        srv.jobs.hold(error="noSuchCode")
