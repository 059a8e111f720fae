"""Invalid animate tasks as data: each a change to a valid task and the exact error it must
get. Used by the test suite, the hypothesis strategies and ``runware-mock verify``."""

from __future__ import annotations

import copy
from dataclasses import dataclass
from typing import Any

from contracts import choices

IMG, VID = "https://example.com/a.png", "https://example.com/b.mp4"


class _Drop:
    def __repr__(self) -> str:
        return "DROP"


#: Sentinel value: remove the key instead of setting it.
DROP: Any = _Drop()


@dataclass(frozen=True)
class InvalidCase:
    name: str
    path: str  # dotted, e.g. "settings.preserveAudio"
    value: Any
    code: str
    parameter: str

    def apply(self, task: dict[str, Any]) -> dict[str, Any]:
        """A copy of ``task`` with this case's change."""
        out = copy.deepcopy(task)
        *parents, leaf = self.path.split(".")
        target = out
        for part in parents:
            if not isinstance(target.get(part), dict):
                target[part] = {}
            target = target[part]
        if self.value is DROP:
            target.pop(leaf, None)
        else:
            target[leaf] = copy.deepcopy(self.value)
        return out


def _c(name: str, path: str, value: Any, code: str, parameter: str | None = None) -> InvalidCase:
    return InvalidCase(name, path, value, code, parameter or path)


INVALID_CASES: tuple[InvalidCase, ...] = (
    _c("no images", "inputs.referenceImages", [], "invalidReferenceImages"),
    _c("two images", "inputs.referenceImages", [IMG, IMG], "invalidReferenceImages"),
    _c("image not a list", "inputs.referenceImages", IMG, "invalidReferenceImages"),
    _c("image not a string", "inputs.referenceImages", [42], "invalidReferenceImages"),
    _c("images missing", "inputs.referenceImages", DROP, "missingReferenceImages"),
    _c("no videos", "inputs.referenceVideos", [], "invalidReferenceVideos"),
    _c("two videos", "inputs.referenceVideos", [VID, VID], "invalidReferenceVideos"),
    _c("video not a list", "inputs.referenceVideos", {"url": VID}, "invalidReferenceVideos"),
    _c("video null", "inputs.referenceVideos", [None], "invalidReferenceVideos"),
    _c("videos missing", "inputs.referenceVideos", DROP, "missingReferenceVideos"),
    _c("inputs missing", "inputs", DROP, "missingInputs"),
    _c("inputs a list", "inputs", [IMG, VID], "invalidInputs"),
    _c("frameImages", "inputs.frameImages", [IMG], "unsupportedParameter"),
    _c("resolution 480p", "resolution", "480p", "invalidResolution"),
    _c("resolution number", "resolution", 720, "invalidResolution"),
    _c("fps 30", "fps", 30, "invalidFps"),
    _c("fps float", "fps", 24.0, "invalidFps"),
    _c("fps string", "fps", "24", "invalidFps"),
    _c("fps bool", "fps", True, "invalidFps"),
    _c("seed bool", "seed", True, "invalidSeed"),
    _c("seed float", "seed", 1.5, "invalidSeed"),
    _c("seed integral float", "seed", 7.0, "invalidSeed"),
    _c("seed string", "seed", "7", "invalidSeed"),
    _c("seed zero", "seed", 0, "invalidSeed"),
    _c("seed too big", "seed", choices.SEED_MAX + 1, "invalidSeed"),
    _c("preserveAudio string", "settings.preserveAudio", "true", "invalidPreserveAudio"),
    _c("preserveAudio int", "settings.preserveAudio", 1, "invalidPreserveAudio"),
    _c("settings a string", "settings", "x", "invalidSettings"),
    _c("unknown setting", "settings.denoise", 1, "unsupportedParameter"),
    _c("prompt empty", "positivePrompt", "", "invalidPositivePrompt"),
    _c("prompt too long", "positivePrompt", "x" * (choices.PROMPT_MAX_LENGTH + 1), "invalidPositivePrompt"),
    _c("prompt number", "positivePrompt", 5, "invalidPositivePrompt"),
    _c("outputType base64", "outputType", "base64Data", "invalidOutputType"),
    _c("outputFormat gif", "outputFormat", "GIF", "invalidOutputFormat"),
    _c("outputFormat lower", "outputFormat", "mp4", "invalidOutputFormat"),
    _c("quality below", "outputQuality", choices.OUTPUT_QUALITY_MIN - 1, "invalidOutputQuality"),
    _c("quality above", "outputQuality", choices.OUTPUT_QUALITY_MAX + 1, "invalidOutputQuality"),
    _c("quality float", "outputQuality", 80.0, "invalidOutputQuality"),
    _c("numberResults 0", "numberResults", 0, "invalidNumberResults"),
    _c("numberResults over cap", "numberResults", choices.NUMBER_RESULTS_MAX + 1, "invalidNumberResults"),
    _c("numberResults bool", "numberResults", True, "invalidNumberResults"),
    _c("deliveryMethod", "deliveryMethod", "later", "invalidDeliveryMethod"),
    _c("webhookURL", "webhookURL", "ftp://x", "invalidWebhookURL"),
    _c("uploadEndpoint", "uploadEndpoint", 5, "invalidUploadEndpoint"),
    _c("includeCost", "includeCost", "yes", "invalidIncludeCost"),
    _c("ttl zero", "ttl", 0, "invalidTtl"),
    _c("ttl float", "ttl", 60.5, "invalidTtl"),
    _c("width", "width", 1280, "unsupportedParameter"),
    _c("height", "height", 720, "unsupportedParameter"),
    _c("duration", "duration", 5, "unsupportedParameter"),
    _c("unknown key", "steps", 20, "unsupportedParameter"),
    _c("unknown model", "model", "runware:100@1", "invalidModel"),
    _c("model missing", "model", DROP, "missingModel"),
    _c("model not a string", "model", 3, "invalidModel"),
    _c("taskUUID missing", "taskUUID", DROP, "missingTaskUUID"),
    _c("taskUUID not uuid", "taskUUID", "abc", "invalidTaskUUID"),
    _c("taskUUID v1", "taskUUID", "c232ab00-9414-11ec-b3c8-9f6bdeced846", "invalidTaskUUID"),
    _c("taskUUID number", "taskUUID", 12, "invalidTaskUUID"),
)
