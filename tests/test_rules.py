"""Every rule of the animate task, good and bad, with its exact error code and parameter.

The same table runs against the pure validator and over HTTP, so the transport cannot
drift from the rules.
"""

from __future__ import annotations

import copy
from typing import Any, Callable

import pytest

from contracts.errors import ApiError
from contracts.examples import animate_task
from contracts.rules import validate_animate
from tests.conftest import post

IMG, VID = "https://example.com/a.png", "https://example.com/b.mp4"


def _set(path: str, value: Any) -> Callable[[dict], None]:
    def apply(task: dict) -> None:
        *parents, leaf = path.split(".")
        target = task
        for p in parents:
            target = target.setdefault(p, {})
        target[leaf] = value
    return apply


def _drop(path: str) -> Callable[[dict], None]:
    def apply(task: dict) -> None:
        *parents, leaf = path.split(".")
        target = task
        for p in parents:
            target = target[p]
        del target[leaf]
    return apply


BAD: list[tuple[str, Callable[[dict], None], str, str]] = [
    ("no images", _set("inputs.referenceImages", []), "invalidReferenceImages", "inputs.referenceImages"),
    ("two images", _set("inputs.referenceImages", [IMG, IMG]), "invalidReferenceImages", "inputs.referenceImages"),
    ("image not a list", _set("inputs.referenceImages", IMG), "invalidReferenceImages", "inputs.referenceImages"),
    ("image not a string", _set("inputs.referenceImages", [42]), "invalidReferenceImages", "inputs.referenceImages"),
    ("images missing", _drop("inputs.referenceImages"), "missingReferenceImages", "inputs.referenceImages"),
    ("no videos", _set("inputs.referenceVideos", []), "invalidReferenceVideos", "inputs.referenceVideos"),
    ("two videos", _set("inputs.referenceVideos", [VID, VID]), "invalidReferenceVideos", "inputs.referenceVideos"),
    ("video not a list", _set("inputs.referenceVideos", {"url": VID}), "invalidReferenceVideos", "inputs.referenceVideos"),
    ("video null", _set("inputs.referenceVideos", [None]), "invalidReferenceVideos", "inputs.referenceVideos"),
    ("videos missing", _drop("inputs.referenceVideos"), "missingReferenceVideos", "inputs.referenceVideos"),
    ("inputs missing", _drop("inputs"), "missingInputs", "inputs"),
    ("inputs a list", _set("inputs", [IMG, VID]), "invalidInputs", "inputs"),
    ("frameImages", _set("inputs.frameImages", [IMG]), "unsupportedParameter", "inputs.frameImages"),
    ("resolution 480p", _set("resolution", "480p"), "invalidResolution", "resolution"),
    ("resolution number", _set("resolution", 720), "invalidResolution", "resolution"),
    ("fps 30", _set("fps", 30), "invalidFps", "fps"),
    ("fps float", _set("fps", 24.0), "invalidFps", "fps"),
    ("fps string", _set("fps", "24"), "invalidFps", "fps"),
    ("fps bool", _set("fps", True), "invalidFps", "fps"),
    ("seed bool", _set("seed", True), "invalidSeed", "seed"),
    ("seed float", _set("seed", 1.5), "invalidSeed", "seed"),
    ("seed integral float", _set("seed", 7.0), "invalidSeed", "seed"),
    ("seed string", _set("seed", "7"), "invalidSeed", "seed"),
    ("seed zero", _set("seed", 0), "invalidSeed", "seed"),
    ("seed too big", _set("seed", 2**63), "invalidSeed", "seed"),
    ("preserveAudio string", _set("settings.preserveAudio", "true"), "invalidPreserveAudio", "settings.preserveAudio"),
    ("preserveAudio int", _set("settings.preserveAudio", 1), "invalidPreserveAudio", "settings.preserveAudio"),
    ("settings a string", _set("settings", "x"), "invalidSettings", "settings"),
    ("unknown setting", _set("settings.denoise", 1), "unsupportedParameter", "settings.denoise"),
    ("prompt empty", _set("positivePrompt", ""), "invalidPositivePrompt", "positivePrompt"),
    ("prompt too long", _set("positivePrompt", "x" * 3001), "invalidPositivePrompt", "positivePrompt"),
    ("prompt number", _set("positivePrompt", 5), "invalidPositivePrompt", "positivePrompt"),
    ("outputType base64", _set("outputType", "base64Data"), "invalidOutputType", "outputType"),
    ("outputFormat gif", _set("outputFormat", "GIF"), "invalidOutputFormat", "outputFormat"),
    ("outputFormat lower", _set("outputFormat", "mp4"), "invalidOutputFormat", "outputFormat"),
    ("quality 19", _set("outputQuality", 19), "invalidOutputQuality", "outputQuality"),
    ("quality 100", _set("outputQuality", 100), "invalidOutputQuality", "outputQuality"),
    ("quality float", _set("outputQuality", 80.0), "invalidOutputQuality", "outputQuality"),
    ("numberResults 0", _set("numberResults", 0), "invalidNumberResults", "numberResults"),
    ("numberResults over cap", _set("numberResults", 5), "invalidNumberResults", "numberResults"),
    ("numberResults bool", _set("numberResults", True), "invalidNumberResults", "numberResults"),
    ("deliveryMethod", _set("deliveryMethod", "later"), "invalidDeliveryMethod", "deliveryMethod"),
    ("webhookURL", _set("webhookURL", "ftp://x"), "invalidWebhookURL", "webhookURL"),
    ("uploadEndpoint", _set("uploadEndpoint", 5), "invalidUploadEndpoint", "uploadEndpoint"),
    ("includeCost", _set("includeCost", "yes"), "invalidIncludeCost", "includeCost"),
    ("ttl zero", _set("ttl", 0), "invalidTtl", "ttl"),
    ("ttl float", _set("ttl", 60.5), "invalidTtl", "ttl"),
    ("width", _set("width", 1280), "unsupportedParameter", "width"),
    ("height", _set("height", 720), "unsupportedParameter", "height"),
    ("duration", _set("duration", 5), "unsupportedParameter", "duration"),
    ("unknown key", _set("steps", 20), "unsupportedParameter", "steps"),
    ("unknown model", _set("model", "runware:100@1"), "invalidModel", "model"),
    ("model missing", _drop("model"), "missingModel", "model"),
    ("model not a string", _set("model", 3), "invalidModel", "model"),
    ("taskUUID missing", _drop("taskUUID"), "missingTaskUUID", "taskUUID"),
    ("taskUUID not uuid", _set("taskUUID", "abc"), "invalidTaskUUID", "taskUUID"),
    ("taskUUID v1", _set("taskUUID", "c232ab00-9414-11ec-b3c8-9f6bdeced846"), "invalidTaskUUID", "taskUUID"),
    ("taskUUID number", _set("taskUUID", 12), "invalidTaskUUID", "taskUUID"),
]

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


@pytest.mark.parametrize("name,mutate,code,parameter", BAD, ids=[b[0] for b in BAD])
def test_bad_task_is_rejected_with_its_code(name, mutate, code, parameter):
    task = animate_task(IMG, VID)
    mutate(task)
    with pytest.raises(ApiError) as info:
        validate_animate(task)
    assert (info.value.code, info.value.parameter) == (code, parameter)
    assert info.value.item()["taskType"] == "videoInference"


@pytest.mark.parametrize("name,fields", GOOD, ids=[g[0] for g in GOOD])
def test_good_task_is_accepted_with_defaults(name, fields):
    task = validate_animate(animate_task(IMG, VID, **copy.deepcopy(fields)))
    assert task.resolution == fields.get("resolution", "720p")
    assert task.settings.preserveAudio is fields.get("settings", {}).get("preserveAudio", True)
    assert task.outputQuality == fields.get("outputQuality", 95)
    assert task.outputFormat == fields.get("outputFormat", "MP4")


@pytest.mark.parametrize("name,mutate,code,parameter", BAD, ids=[b[0] for b in BAD])
def test_bad_task_over_http(api, task, name, mutate, code, parameter):
    body = task()
    mutate(body)
    response = post(api, body)
    assert response.status_code == 400, response.text
    (error,) = response.json()["errors"]
    assert (error["code"], error["parameter"]) == (code, parameter)
    assert error["documentation"].startswith("https://")
    if isinstance(body.get("taskUUID"), str) and code not in ("invalidTaskUUID",):
        assert error["taskUUID"] == body["taskUUID"]
