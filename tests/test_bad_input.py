"""Nothing malformed ever produces a 500, a hang, or a stray file: hypothesis throws
arbitrary JSON (and arbitrary mutations of a valid task) at the live server."""

from __future__ import annotations

import base64
import io
import json

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from PIL import Image

from tests.conftest import post

json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False, allow_infinity=False) | st.text(max_size=20),
    lambda children: st.lists(children, max_size=4) | st.dictionaries(st.text(max_size=12), children, max_size=4),
    max_leaves=20,
)
FIELDS = ["taskUUID", "model", "inputs", "positivePrompt", "resolution", "fps", "seed", "settings", "outputType",
          "outputFormat", "outputQuality", "deliveryMethod", "includeCost", "numberResults", "ttl", "width"]


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(body=json_values)
def test_arbitrary_json_body_is_4xx(api, body):
    response = api.post("/v1", content=json.dumps(body), headers={"Content-Type": "application/json"})
    assert 400 <= response.status_code < 500 or response.status_code == 200, response.text
    payload = response.json()
    assert set(payload) <= {"data", "errors"}
    for error in payload.get("errors", []):
        assert error["code"] and error["message"]


@settings(max_examples=80, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(field=st.sampled_from(FIELDS), value=json_values)
def test_mutated_task_is_answered_4xx_with_a_code(api, task, field, value):
    body = task()
    body[field] = value
    response = post(api, body)
    if response.status_code == 200:
        return  # the mutation happened to be valid
    assert 400 <= response.status_code < 500, response.text
    (error,) = response.json()["errors"]
    assert error["code"] != "internalError" and error.get("parameter")


def test_deeply_nested_json_is_invalid_json(api):
    response = api.post("/v1", content=b"[" * 100_000, headers={"Content-Type": "application/json"})
    assert response.status_code == 400
    assert response.json()["errors"][0]["code"] == "invalidJSON"


def test_decompression_bomb_image_is_rejected(api, task):
    buf = io.BytesIO()
    Image.new("1", (9000, 9000)).save(buf, format="PNG")  # 81 MP, a few kB
    body = task()
    body["inputs"]["referenceImages"] = [base64.b64encode(buf.getvalue()).decode()]
    response = post(api, body)
    assert response.status_code == 400
    assert response.json()["errors"][0]["code"] == "invalidImage"


def test_no_stray_files_after_bad_input(server):
    media = server.settings.data_dir / "media"
    assert not list(media.glob(".*.tmp"))
