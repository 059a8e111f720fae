"""The REST transport: envelope, authentication, batches and the async flow."""

from __future__ import annotations

import time
import uuid

import httpx
import pytest

from contracts.examples import animate_task, get_response
from contracts.server import LiveServer
from tests.conftest import post


def test_guide_request_end_to_end(api, task):
    body = task(resolution="720p", positivePrompt="a person dancing", seed=42)
    response = post(api, body)
    assert response.status_code == 200
    payload = response.json()
    assert set(payload) == {"data"}
    (item,) = payload["data"]
    assert item["taskType"] == "videoInference"
    assert item["taskUUID"] == body["taskUUID"]
    assert item["seed"] == 42
    assert "cost" not in item
    uuid.UUID(item["videoUUID"])
    assert httpx.get(item["videoURL"]).status_code == 200


@pytest.mark.parametrize("headers,first", [
    ({}, None),
    ({"Authorization": "Bearer"}, None),
    ({"Authorization": "Basic abc"}, None),
    ({}, {"taskType": "authentication", "apiKey": ""}),
    ({}, {"taskType": "authentication", "apiKey": 5}),
])
def test_missing_key_is_401(server, task, headers, first):
    tasks = ([first] if first else []) + [task()]
    response = httpx.post(server.rest_url, json=tasks, headers=headers)
    assert response.status_code == 401
    (error,) = response.json()["errors"]
    assert (error["code"], error["parameter"], error["taskType"]) == ("invalidApiKey", "apiKey", "authentication")


def test_authentication_task_is_accepted(server, task):
    body = task()
    response = httpx.post(server.rest_url, json=[{"taskType": "authentication", "apiKey": "k"}, body], timeout=60)
    assert response.status_code == 200
    assert [i["taskUUID"] for i in response.json()["data"]] == [body["taskUUID"]]


def test_configured_keys(tmp_path, image_url, video_url):
    with LiveServer(tmp_path, api_keys=frozenset({"good"})) as other:
        bad = httpx.post(other.rest_url, json=[{"taskType": "ping", "ping": True}], headers={"Authorization": "Bearer nope"})
        assert bad.status_code == 401 and bad.json()["errors"][0]["code"] == "invalidApiKey"
        good = httpx.post(other.rest_url, json=[{"taskType": "ping", "ping": True}], headers={"Authorization": "Bearer good"})
        assert good.status_code == 200 and good.json() == {"data": [{"taskType": "ping", "pong": True}]}


@pytest.mark.parametrize("content,code", [
    (b"not json", "invalidJSON"),
    (b"\xff\xfe", "invalidJSON"),
    (b"{}", "invalidRequestBody"),
    (b"[]", "invalidRequestBody"),
    (b'"x"', "invalidRequestBody"),
    (b"null", "invalidRequestBody"),
])
def test_bad_body_is_400(api, content, code):
    response = api.post("/v1", content=content, headers={"Content-Type": "application/json"})
    assert response.status_code == 400
    (error,) = response.json()["errors"]
    assert error["code"] == code


def test_non_object_task_and_unknown_task_type(api):
    response = post(api, 5, {"taskType": "imageInference", "taskUUID": str(uuid.uuid4())}, {"noType": 1})
    assert response.status_code == 400
    codes = [(e["code"], e.get("parameter")) for e in response.json()["errors"]]
    assert codes == [("invalidTask", "taskType"), ("invalidTaskType", "taskType"), ("invalidTask", "taskType")]


def test_batch_answers_each_task_on_its_own(api, task):
    good, bad = task(), task(resolution="4k")
    response = post(api, good, bad)
    assert response.status_code == 200
    payload = response.json()
    assert [i["taskUUID"] for i in payload["data"]] == [good["taskUUID"]]
    assert [(e["code"], e["taskUUID"]) for e in payload["errors"]] == [("invalidResolution", bad["taskUUID"])]


def test_reused_task_uuid_is_a_conflict(api, task):
    body = task()
    assert post(api, body).status_code == 200
    again = post(api, body)
    assert again.status_code == 400
    (error,) = again.json()["errors"]
    assert (error["code"], error["parameter"], error["taskUUID"]) == ("conflictTaskUUID", "taskUUID", body["taskUUID"])


def test_invalid_task_does_not_reserve_its_uuid(api, task):
    body = task(fps=30)
    assert post(api, body).json()["errors"][0]["code"] == "invalidFps"
    del body["fps"]
    assert post(api, body).status_code == 200


def test_unknown_task_in_get_response(api):
    missing = str(uuid.uuid4())
    response = post(api, get_response(missing))
    assert response.status_code == 400
    (error,) = response.json()["errors"]
    assert (error["code"], error["parameter"], error["taskUUID"]) == ("taskNotFound", "taskUUID", missing)


def test_cost_number_results_and_seeds(api, task):
    body = task(includeCost=True, numberResults=3, resolution="1080p", seed=7)
    items = post(api, body).json()["data"]
    assert len(items) == 3
    assert [i["seed"] for i in items] == [7, 8, 9]
    assert len({i["videoUUID"] for i in items}) == 3
    assert len({httpx.get(i["videoURL"]).content for i in items}) == 3
    for item in items:  # 3 s source at 1080p: 3 × $0.06
        assert item["cost"] == pytest.approx(0.18)


def test_random_seeds_differ(api, task):
    items = post(api, task(numberResults=2)).json()["data"]
    assert items[0]["seed"] != items[1]["seed"]
    assert all(isinstance(i["seed"], int) and i["seed"] >= 1 for i in items)


def test_ttl_expires_the_output_url(api, task):
    (item,) = post(api, task(ttl=1)).json()["data"]
    assert httpx.get(item["videoURL"]).status_code == 200
    time.sleep(1.2)
    assert httpx.get(item["videoURL"]).status_code == 404


def test_unknown_media_is_404(server):
    assert httpx.get(f"{server.base_url}/media/{uuid.uuid4()}.mp4").status_code == 404
    assert httpx.get(f"{server.base_url}/fixtures/nope.mp4").status_code == 404


def test_health(server):
    assert httpx.get(f"{server.base_url}/health").json() == {"status": "ok"}


@pytest.fixture(scope="module")
def slow_server(tmp_path_factory):
    """A server where a 3 s source takes 3 s to generate (time scale 0.2)."""
    with LiveServer(tmp_path_factory.mktemp("slow"), time_scale=0.2) as srv:
        yield srv


def test_async_flow_processing_then_success(slow_server):
    headers = {"Authorization": "Bearer k"}
    body = animate_task(slow_server.fixture_url("character-square.jpg"),
                        slow_server.fixture_url("landscape-16x9-audio.mp4"),
                        deliveryMethod="async", includeCost=True)
    ack = httpx.post(slow_server.rest_url, json=[body], headers=headers)
    assert ack.status_code == 200
    assert ack.json() == {"data": [{"taskType": "videoInference", "taskUUID": body["taskUUID"]}]}
    seen_progress = []
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        (item,) = httpx.post(slow_server.rest_url, json=[get_response(body["taskUUID"])], headers=headers).json()["data"]
        assert item["taskType"] == "videoInference" and item["taskUUID"] == body["taskUUID"]
        if item["status"] == "success":
            break
        assert item["status"] == "processing"
        seen_progress.append(item["progress"])
        time.sleep(0.3)
    else:
        pytest.fail("never finished")
    assert seen_progress and 0 <= min(seen_progress) and max(seen_progress) <= 99
    assert seen_progress == sorted(seen_progress)
    assert item["cost"] == pytest.approx(0.09)
    assert {"videoUUID", "videoURL", "seed"} <= set(item)
    assert httpx.get(item["videoURL"]).status_code == 200


def test_sync_waits_for_simulated_time(slow_server):
    body = animate_task(slow_server.fixture_url("character-square.jpg"), slow_server.fixture_url("square-noaudio.mp4"))
    started = time.monotonic()
    response = httpx.post(slow_server.rest_url, json=[body], headers={"Authorization": "Bearer k"}, timeout=30)
    assert response.status_code == 200
    assert time.monotonic() - started >= 2 * 5 * 0.2 - 0.1  # 2 s source × 5 × 0.2


def test_failed_async_generation_is_an_error_item(api, server, task):
    body = task(deliveryMethod="async")
    body["inputs"]["referenceImages"] = [f"{server.base_url}/fixtures/missing.png"]
    assert post(api, body).status_code == 200
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline:
        response = post(api, get_response(body["taskUUID"]))
        if "errors" in response.json():
            break
        time.sleep(0.05)
    assert response.status_code == 400
    (error,) = response.json()["errors"]
    assert error["taskUUID"] == body["taskUUID"]
    assert (error["code"], error["parameter"], error["taskType"]) == (
        "mediaFetchFailed", "inputs.referenceImages", "videoInference")
