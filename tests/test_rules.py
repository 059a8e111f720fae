"""Every rule of the animate task, good and bad, with its exact error code and parameter.

The same table runs against the pure validator and over HTTP, so the transport cannot
drift from the rules.
"""

from __future__ import annotations

import copy
from typing import Any

import pytest

from contracts.cases import INVALID_CASES
from contracts.errors import ApiError
from contracts.examples import animate_task
from contracts.rules import validate_animate
from tests.conftest import post

IMG, VID = "https://example.com/a.png", "https://example.com/b.mp4"
BAD = INVALID_CASES


GOOD: list[tuple[str, dict[str, Any]]] = [
    ("defaults", {}),
    ("1080p", {"resolution": "1080p"}),
    ("fps 24", {"fps": 24}),
    ("fps 48", {"fps": 48}),
    ("seed max", {"seed": 2**63 - 1}),
    ("no audio", {"settings": {"preserveAudio": False}}),
    ("prompt at limit", {"positivePrompt": "p" * 3000}),
    ("every format", {"outputFormat": "WEBM"}),
    ("quality bounds", {"outputQuality": 20}),
    ("quality top", {"outputQuality": 99}),
    ("numberResults cap", {"numberResults": 4}),
    ("async with all options", {"deliveryMethod": "async", "includeCost": True, "ttl": 60, "outputType": "URL",
                                "webhookURL": "http://127.0.0.1:9/hook"}),
]


@pytest.mark.parametrize("case", BAD, ids=[b.name for b in BAD])
def test_bad_task_is_rejected_with_its_code(case):
    task = case.apply(animate_task(IMG, VID))
    with pytest.raises(ApiError) as info:
        validate_animate(task)
    assert (info.value.code, info.value.parameter) == (case.code, case.parameter)
    assert info.value.item()["taskType"] == "videoInference"


@pytest.mark.parametrize("name,fields", GOOD, ids=[g[0] for g in GOOD])
def test_good_task_is_accepted_with_defaults(name, fields):
    task = validate_animate(animate_task(IMG, VID, **copy.deepcopy(fields)))
    assert task.resolution == fields.get("resolution", "720p")
    assert task.settings.preserveAudio is fields.get("settings", {}).get("preserveAudio", True)
    assert task.outputQuality == fields.get("outputQuality", 95)
    assert task.outputFormat == fields.get("outputFormat", "MP4")


@pytest.mark.parametrize("case", BAD, ids=[b.name for b in BAD])
def test_bad_task_over_http(api, task, case):
    body = case.apply(task())
    code, parameter = case.code, case.parameter
    response = post(api, body)
    assert response.status_code == 400, response.text
    (error,) = response.json()["errors"]
    assert (error["code"], error["parameter"]) == (code, parameter)
    assert error["documentation"].startswith("https://")
    if isinstance(body.get("taskUUID"), str) and code not in ("invalidTaskUUID",):
        assert error["taskUUID"] == body["taskUUID"]
