"""The WebSocket transport over a real socket: auth, ping, both deliveries, malformed
frames, idle close and session resume."""

from __future__ import annotations

import json
import time
import uuid

import pytest
from websockets.exceptions import ConnectionClosed
from websockets.sync.client import connect

from contracts.examples import animate_task, get_response
from contracts.server import LiveServer


def _auth(ws, key: str = "k", session: str | None = None) -> dict:
    task = {"taskType": "authentication", "apiKey": key}
    if session:
        task["connectionSessionUUID"] = session
    ws.send(json.dumps([task]))
    return json.loads(ws.recv(timeout=10))


def _recv(ws, timeout: float = 30) -> dict:
    return json.loads(ws.recv(timeout=timeout))


def _recv_for(ws, task_uuid: str, timeout: float = 30) -> dict:
    """The next frame about this task (other frames are skipped)."""
    deadline = time.monotonic() + timeout
    while True:
        frame = _recv(ws, max(0.1, deadline - time.monotonic()))
        items = frame.get("data", []) + frame.get("errors", [])
        if any(i.get("taskUUID") == task_uuid for i in items):
            return frame


@pytest.fixture
def ws(server):
    with connect(server.ws_url + "?sdk=js&version=1.3.2") as sock:
        yield sock


def test_authentication_reply_has_session_and_no_task_uuid(ws):
    reply = _auth(ws)
    (item,) = reply["data"]
    assert set(item) == {"taskType", "connectionSessionUUID"}
    assert item["taskType"] == "authentication"
    assert uuid.UUID(item["connectionSessionUUID"]).version == 4
    assert set(reply) == {"data"}


def test_bad_key_is_invalid_api_key(tmp_path):
    with LiveServer(tmp_path, api_keys=frozenset({"good"})) as srv, connect(srv.ws_url) as sock:
        reply = _auth(sock, "bad")
        (error,) = reply["errors"]
        assert (error["code"], error["parameter"], error["taskType"]) == ("invalidApiKey", "apiKey", "authentication")
        assert "data" not in reply
        assert _auth(sock, "good")["data"][0]["taskType"] == "authentication"


def test_task_before_authentication_is_an_error(ws):
    task_uuid = str(uuid.uuid4())
    ws.send(json.dumps([{"taskType": "getResponse", "taskUUID": task_uuid}]))
    (error,) = _recv(ws)["errors"]
    assert (error["code"], error["taskUUID"]) == ("invalidApiKey", task_uuid)


def test_ping_is_exact(ws):
    _auth(ws)
    ws.send(json.dumps([{"taskType": "ping", "ping": True}]))
    assert _recv(ws) == {"data": [{"taskType": "ping", "pong": True}]}


def test_sync_animate_pushes_the_finished_item(ws, server):
    _auth(ws)
    task = animate_task(server.fixture_url("character-square.jpg"), server.fixture_url("portrait-9x16.mp4"),
                        includeCost=True)
    ws.send(json.dumps([task]))
    (item,) = _recv_for(ws, task["taskUUID"])["data"]
    assert item["taskType"] == "videoInference" and {"videoUUID", "videoURL", "seed", "cost"} <= set(item)


def test_async_animate_acks_then_polls(ws, server):
    _auth(ws)
    task = animate_task(server.fixture_url("character-square.jpg"), server.fixture_url("portrait-9x16.mp4"),
                        deliveryMethod="async")
    ws.send(json.dumps([task]))
    assert _recv_for(ws, task["taskUUID"]) == {"data": [{"taskType": "videoInference", "taskUUID": task["taskUUID"]}]}
    deadline = time.monotonic() + 20
    while time.monotonic() < deadline:
        ws.send(json.dumps([get_response(task["taskUUID"])]))
        (item,) = _recv_for(ws, task["taskUUID"])["data"]
        if item["status"] == "success":
            break
        time.sleep(0.05)
    assert item["status"] == "success" and item["videoURL"]


def test_failures_reach_the_client_with_their_task_uuid(ws, server):
    _auth(ws)
    bad = animate_task(server.fixture_url("character-square.jpg"), server.fixture_url("nope.mp4"))
    invalid = animate_task("x", "y", fps=25)
    ws.send(json.dumps([bad, invalid]))
    first, second = _recv(ws), _recv(ws)
    errors = {e["taskUUID"]: e["code"] for f in (first, second) for e in f["errors"]}
    assert errors == {bad["taskUUID"]: "mediaFetchFailed", invalid["taskUUID"]: "invalidFps"}


@pytest.mark.parametrize("raw,code", [("not json", "invalidJSON"), ('{"taskType":"ping"}', "invalidRequestBody"),
                                      ("[]", "invalidRequestBody"), ("[1]", "invalidTask")])
def test_malformed_frames_get_an_errors_frame_and_the_socket_stays_up(ws, raw, code):
    _auth(ws)
    ws.send(raw)
    assert _recv(ws)["errors"][0]["code"] == code
    ws.send(json.dumps([{"taskType": "ping", "ping": True}]))
    assert _recv(ws) == {"data": [{"taskType": "ping", "pong": True}]}


def test_too_large_frame(tmp_path):
    with LiveServer(tmp_path, ws_max_frame_bytes=2000) as srv, connect(srv.ws_url) as sock:
        _auth(sock)
        sock.send(json.dumps([{"taskType": "ping", "ping": True, "pad": "x" * 3000}]))
        assert _recv(sock)["errors"][0]["code"] == "requestTooLarge"
        sock.send(json.dumps([{"taskType": "ping", "ping": True}]))
        assert _recv(sock) == {"data": [{"taskType": "ping", "pong": True}]}


def test_idle_connection_is_closed(tmp_path):
    with LiveServer(tmp_path, ws_idle_seconds=0.5) as srv, connect(srv.ws_url) as sock:
        _auth(sock)
        started = time.monotonic()
        with pytest.raises(ConnectionClosed):
            sock.recv(timeout=10)
        assert 0.4 <= time.monotonic() - started < 5


def test_undelivered_result_is_replayed_on_resume(tmp_path):
    # Time scale 0.2: a 2 s source takes 2 s; the socket drops before that.
    with LiveServer(tmp_path, time_scale=0.2) as srv:
        image, video = srv.fixture_url("character-square.jpg"), srv.fixture_url("square-noaudio.mp4")
        task = animate_task(image, video)
        with connect(srv.ws_url) as sock:
            session = _auth(sock)["data"][0]["connectionSessionUUID"]
            sock.send(json.dumps([task]))
            time.sleep(0.3)
        time.sleep(2.5)  # the result is ready after 2 s
        with connect(srv.ws_url) as sock:
            reply = _auth(sock, session=session)
            assert reply["data"][0]["connectionSessionUUID"] == session
            (item,) = _recv_for(sock, task["taskUUID"], timeout=10)["data"]
            assert item["videoURL"]
        # A new session (or another key) does not get it.
        with connect(srv.ws_url) as sock:
            assert _auth(sock, session=str(uuid.uuid4()))["data"][0]["connectionSessionUUID"] != session


def test_rest_and_ws_share_the_dispatcher(ws, api, server):
    """A task UUID used over REST is a conflict over WebSocket."""
    _auth(ws)
    task = animate_task(server.fixture_url("character-square.jpg"), server.fixture_url("square-noaudio.mp4"))
    assert api.post("/v1", json=[task]).status_code == 200
    ws.send(json.dumps([task]))
    assert _recv_for(ws, task["taskUUID"])["errors"][0]["code"] == "conflictTaskUUID"


def test_an_internal_bug_still_answers_with_an_error_item(ws, server, monkeypatch):
    """Whatever breaks inside a handler, the client hears about its task."""
    def boom(*args, **kwargs):
        raise RuntimeError("simulated bug")

    monkeypatch.setattr(server.services.dispatcher, "_ping", boom)
    _auth(ws)
    ws.send(json.dumps([{"taskType": "ping", "ping": True}]))
    (error,) = _recv(ws)["errors"]
    assert (error["code"], error["taskType"]) == ("internalError", "ping")


def test_result_finishing_after_a_resume_reaches_the_new_socket(tmp_path):
    with LiveServer(tmp_path, time_scale=0.3) as srv:  # a 2 s source takes 3 s
        task = animate_task(srv.fixture_url("character-square.jpg"), srv.fixture_url("square-noaudio.mp4"))
        with connect(srv.ws_url) as sock:
            session = _auth(sock)["data"][0]["connectionSessionUUID"]
            sock.send(json.dumps([task]))
            time.sleep(0.3)
        with connect(srv.ws_url) as sock:  # resumed well before the result is ready
            assert _auth(sock, session=session)["data"][0]["connectionSessionUUID"] == session
            (item,) = _recv_for(sock, task["taskUUID"], timeout=15)["data"]
            assert item["videoURL"]
