"""Inputs resolved for real: URL, base64, data URI, uploads and earlier outputs; bad media
is a clear error on its parameter, never a 500."""

from __future__ import annotations

import base64
import io
import uuid

import av
import httpx
import numpy as np
import pytest
from PIL import Image

from tests.conftest import post


def _png() -> bytes:
    buf = io.BytesIO()
    Image.new("RGB", (64, 96), (10, 200, 30)).save(buf, format="PNG")
    return buf.getvalue()


def _audio_only() -> bytes:
    buf = io.BytesIO()
    with av.open(buf, "w", format="mp4") as out:
        stream = out.add_stream("aac", rate=44100)
        stream.layout = "mono"
        for i in range(10):
            frame = av.AudioFrame.from_ndarray(np.zeros((1, 1024), np.float32), format="fltp", layout="mono")
            frame.sample_rate, frame.pts = 44100, i * 1024
            for p in stream.encode(frame):
                out.mux(p)
        for p in stream.encode():
            out.mux(p)
    return buf.getvalue()


def _ok(api, body) -> dict:
    response = post(api, body)
    assert response.status_code == 200, response.text
    return response.json()["data"][0]


def _error(api, body) -> dict:
    response = post(api, body)
    assert response.status_code == 400, response.text
    (error,) = response.json()["errors"]
    assert error["taskUUID"] == body["taskUUID"]
    return error


def test_image_as_base64(api, task):
    body = task()
    body["inputs"]["referenceImages"] = [base64.b64encode(_png()).decode()]
    assert _ok(api, body)["videoURL"]


def test_image_as_data_uri(api, task):
    body = task()
    body["inputs"]["referenceImages"] = ["data:image/png;base64," + base64.b64encode(_png()).decode()]
    assert _ok(api, body)["videoURL"]


def test_image_upload_uuid_works_as_reference(api, task):
    upload = {"taskType": "imageUpload", "taskUUID": str(uuid.uuid4()),
              "image": "data:image/png;base64," + base64.b64encode(_png()).decode()}
    (item,) = post(api, upload).json()["data"]
    assert {"imageUUID", "imageURL", "taskUUID"} <= set(item)
    assert httpx.get(item["imageURL"]).headers["content-type"] == "image/png"
    body = task()
    body["inputs"]["referenceImages"] = [item["imageUUID"]]
    assert _ok(api, body)["videoURL"]


def test_media_storage_video_and_earlier_output_work_as_reference(api, server, task):
    video = httpx.get(server.fixture_url("portrait-9x16.mp4")).content
    store = {"taskType": "mediaStorage", "taskUUID": str(uuid.uuid4()), "operation": "upload",
             "media": base64.b64encode(video).decode()}
    (item,) = post(api, store).json()["data"]
    assert httpx.get(item["mediaURL"]).content == video
    body = task()
    body["inputs"]["referenceVideos"] = [item["mediaUUID"]]
    first = _ok(api, body)
    chained = task()
    chained["inputs"]["referenceVideos"] = [first["videoUUID"]]
    assert _ok(api, chained)["videoURL"]
    delete = {"taskType": "mediaStorage", "taskUUID": str(uuid.uuid4()), "operation": "delete", "media": item["mediaUUID"]}
    assert post(api, delete).status_code == 200
    gone = task()
    gone["inputs"]["referenceVideos"] = [item["mediaUUID"]]
    assert _error(api, gone)["code"] == "mediaNotFound"


@pytest.mark.parametrize("which,value,code", [
    ("image", "not base64 at all!", "invalidImage"),
    ("image", base64.b64encode(b"plain text, not an image").decode(), "invalidImage"),
    ("image", "data:image/png;base64,", "invalidImage"),
    ("image", str(uuid.uuid4()), "mediaNotFound"),
    ("image", "FIXTURE:landscape-16x9-audio.mp4", "invalidImage"),
    ("image", "FIXTURE:nothing.png", "mediaFetchFailed"),
    ("image", "http://127.0.0.1:1/closed.png", "mediaFetchFailed"),
    ("video", "FIXTURE:character-portrait.png", "invalidVideo"),
    ("video", "FIXTURE:nothing.mp4", "mediaFetchFailed"),
    ("video", "AUDIO_ONLY", "invalidVideo"),
    ("video", str(uuid.uuid4()), "mediaNotFound"),
    ("video", "just-a-name.mp4", "invalidReferenceVideos"),
])
def test_bad_media_is_a_clear_error(api, server, task, which, value, code):
    if value.startswith("FIXTURE:"):
        value = server.fixture_url(value.split(":", 1)[1])
    if value == "AUDIO_ONLY":
        # mediaStorage refuses such a file, so place it in the store directly, as if a
        # client had hosted it elsewhere.
        upload = {"taskType": "mediaStorage", "taskUUID": str(uuid.uuid4()), "operation": "upload",
                  "media": base64.b64encode(_audio_only()).decode()}
        assert post(api, upload).json()["errors"][0]["code"] == "invalidMedia"
        store = server.services.store
        media_uuid, path = store.new_media_path("mp4")
        path.write_bytes(_audio_only())
        store.add_media(media_uuid, "video", path.name, "video/mp4")
        value = media_uuid
    body = task()
    key = "referenceImages" if which == "image" else "referenceVideos"
    body["inputs"][key] = [value]
    error = _error(api, body)
    assert (error["code"], error["parameter"]) == (code, f"inputs.{key}")


def test_url_on_another_origin_is_fetched_over_http(api, server, task):
    """``localhost`` is not the fake's own base URL (127.0.0.1), so this goes through httpx."""
    other = server.base_url.replace("127.0.0.1", "localhost")
    body = task()
    body["inputs"] = {"referenceImages": [f"{other}/fixtures/character-landscape.webp"],
                      "referenceVideos": [f"{other}/fixtures/portrait-9x16.mp4"]}
    assert _ok(api, body)["videoURL"]
    missing = task()
    missing["inputs"]["referenceVideos"] = [f"{other}/fixtures/missing.mp4"]
    error = _error(api, missing)
    assert (error["code"], error["parameter"]) == ("mediaFetchFailed", "inputs.referenceVideos")
    assert "404" in error["message"]


def test_expired_output_url_is_not_an_input(api, task):
    import time

    first = _ok(api, task(ttl=1))
    time.sleep(1.2)
    body = task()
    body["inputs"]["referenceVideos"] = [first["videoURL"]]
    assert _error(api, body)["code"] == "mediaFetchFailed"
