"""The shipped example requests are what the docs say they are."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from contracts.errors import ApiError
from contracts.examples import example_requests
from contracts.rules import validate_animate

REQUESTS = Path(__file__).resolve().parent.parent / "fixtures" / "requests"


def _strip(tasks):
    return [{k: v for k, v in t.items() if k != "taskUUID"} for t in tasks]


@pytest.mark.parametrize("name", sorted(example_requests()))
def test_committed_file_matches_builder(name):
    committed = json.loads((REQUESTS / f"{name}.json").read_text())
    assert _strip(committed) == _strip(example_requests()[name])


def test_examples_validate_as_documented():
    examples = example_requests()
    for name in ("animate-guide", "animate-async", "animate-1080p48-webm"):
        (task,) = examples[name]
        validate_animate(task)
    good, bad = examples["batch-with-a-bad-task"]
    validate_animate(good)
    with pytest.raises(ApiError) as info:
        validate_animate(bad)
    assert info.value.code == "invalidFps"
    assert examples["get-response"][0]["taskUUID"] == examples["animate-async"][0]["taskUUID"]


def test_guide_example_over_http(api, server):
    (task,) = example_requests(server.base_url)["animate-guide"]
    response = api.post("/v1", json=[task])
    assert response.status_code == 200
    assert response.json()["data"][0]["taskUUID"] == task["taskUUID"]
