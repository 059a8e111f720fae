"""The error catalogue: every code the fake answers, with its HTTP status and wording.

A code is defined once here; handlers raise :class:`ApiError` with a code and the
offending parameter, and the transports turn it into the ``errors`` envelope.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from contracts.choices import DOCS_BASE


@dataclass(frozen=True)
class ErrorSpec:
    """One entry of the catalogue."""

    code: str
    status: int
    message: str
    doc: str = "/platform/errors"

    @property
    def documentation(self) -> str:
        return DOCS_BASE + self.doc


_VIDEO_DOC = "/video/video-inference"

_SPECS = [
    # Transport and authentication.
    ErrorSpec("invalidJSON", 400, "The request body is not valid JSON."),
    ErrorSpec("invalidRequestBody", 400, "The request body must be a non-empty JSON array of task objects."),
    ErrorSpec("requestTooLarge", 413, "The request body is too large."),
    ErrorSpec("invalidTask", 400, "Each task must be a JSON object with a taskType."),
    ErrorSpec("invalidApiKey", 401, "Invalid API key. Get one at https://my.runware.ai/signup", "/platform/authentication"),
    ErrorSpec("invalidTaskType", 400, "Unknown taskType."),
    ErrorSpec("invalidParameter", 400, "A parameter of this task has an invalid value."),
    ErrorSpec("missingTaskUUID", 400, "taskUUID is required.", _VIDEO_DOC),
    ErrorSpec("invalidTaskUUID", 400, "taskUUID must be a UUID v4 string.", _VIDEO_DOC),
    ErrorSpec("conflictTaskUUID", 400, "This taskUUID was already used; send a new UUID v4 for each task.", _VIDEO_DOC),
    ErrorSpec("taskNotFound", 400, "No task with this taskUUID exists (or it expired).", "/platform/task-polling"),
    # The animate task's fields.
    ErrorSpec("missingModel", 400, "model is required.", _VIDEO_DOC),
    ErrorSpec("invalidModel", 400, "Unknown model for videoInference.", _VIDEO_DOC),
    ErrorSpec("unsupportedParameter", 400, "This parameter is not supported by this model.", _VIDEO_DOC),
    ErrorSpec("missingInputs", 400, "inputs is required and must be an object.", _VIDEO_DOC),
    ErrorSpec("invalidInputs", 400, "inputs must be an object.", _VIDEO_DOC),
    ErrorSpec("missingReferenceImages", 400, "inputs.referenceImages is required.", _VIDEO_DOC),
    ErrorSpec("invalidReferenceImages", 400, "inputs.referenceImages must be an array of exactly one image.", _VIDEO_DOC),
    ErrorSpec("missingReferenceVideos", 400, "inputs.referenceVideos is required.", _VIDEO_DOC),
    ErrorSpec("invalidReferenceVideos", 400, "inputs.referenceVideos must be an array of exactly one video.", _VIDEO_DOC),
    ErrorSpec("invalidPositivePrompt", 400, "positivePrompt must be a non-empty string within the length limit.", _VIDEO_DOC),
    ErrorSpec("invalidResolution", 400, "resolution must be \"720p\" or \"1080p\".", _VIDEO_DOC),
    ErrorSpec("invalidFps", 400, "fps must be 24 or 48, or omitted to keep the source's rate.", _VIDEO_DOC),
    ErrorSpec("invalidSeed", 400, "seed must be an integer in range.", _VIDEO_DOC),
    ErrorSpec("invalidSettings", 400, "settings must be an object.", _VIDEO_DOC),
    ErrorSpec("invalidPreserveAudio", 400, "settings.preserveAudio must be a boolean.", _VIDEO_DOC),
    ErrorSpec("invalidOutputType", 400, "outputType must be \"URL\".", _VIDEO_DOC),
    ErrorSpec("invalidOutputFormat", 400, "outputFormat must be \"MP4\", \"MOV\" or \"WEBM\".", _VIDEO_DOC),
    ErrorSpec("invalidOutputQuality", 400, "outputQuality must be an integer from 20 to 99.", _VIDEO_DOC),
    ErrorSpec("invalidNumberResults", 400, "numberResults must be an integer from 1 to the limit.", _VIDEO_DOC),
    ErrorSpec("invalidDeliveryMethod", 400, "deliveryMethod must be \"sync\" or \"async\".", _VIDEO_DOC),
    ErrorSpec("invalidWebhookURL", 400, "webhookURL must be an http(s) URL.", _VIDEO_DOC),
    ErrorSpec("invalidUploadEndpoint", 400, "uploadEndpoint must be an http(s) URL.", _VIDEO_DOC),
    ErrorSpec("invalidIncludeCost", 400, "includeCost must be a boolean.", _VIDEO_DOC),
    ErrorSpec("invalidTtl", 400, "ttl must be an integer number of seconds in range.", _VIDEO_DOC),
    # Media resolution.
    ErrorSpec("mediaNotFound", 400, "No uploaded or generated media has this UUID.", _VIDEO_DOC),
    ErrorSpec("mediaFetchFailed", 400, "The media URL could not be downloaded.", _VIDEO_DOC),
    ErrorSpec("invalidImage", 400, "The reference image could not be decoded as an image.", _VIDEO_DOC),
    ErrorSpec("invalidVideo", 400, "The reference video could not be decoded as a video.", _VIDEO_DOC),
    # Uploads.
    ErrorSpec("missingImage", 400, "image is required.", "/utilities/image-upload"),
    ErrorSpec("missingMedia", 400, "media is required.", "/utilities/media-storage"),
    ErrorSpec("invalidMedia", 400, "media must be an image or a video (URL, data URI or base64).", "/utilities/media-storage"),
    ErrorSpec("invalidOperation", 400, "operation must be \"upload\" or \"delete\".", "/utilities/media-storage"),
    # Platform conditions.
    ErrorSpec("insufficientCredits", 402, "Insufficient balance."),
    ErrorSpec("accessDenied", 403, "This key has no permission for this request."),
    ErrorSpec("queueFull", 429, "Too many requests in the queue; retry later.", "/platform/rate-limits"),
    ErrorSpec("serviceUnavailable", 503, "No capacity available right now; retry later."),
    ErrorSpec("timeoutQueue", 504, "The task waited too long in the queue; retry."),
    ErrorSpec("inferenceFailed", 500, "The generation failed."),
    ErrorSpec("internalError", 500, "Internal error."),
]

#: code → spec, the single source of every error the fake can answer.
CATALOGUE: dict[str, ErrorSpec] = {spec.code: spec for spec in _SPECS}

#: The code a fault answers when a plan gives only an HTTP status.
CODE_FOR_STATUS = {400: "invalidRequestBody", 401: "invalidApiKey", 402: "insufficientCredits", 403: "accessDenied",
                   404: "taskNotFound", 413: "requestTooLarge", 429: "queueFull", 500: "internalError",
                   503: "serviceUnavailable", 504: "timeoutQueue"}

#: Codes a well-behaved client should retry (the service is busy, not the request wrong).
TRANSIENT_CODES = frozenset({"queueFull", "serviceUnavailable", "timeoutQueue"})


class ApiError(Exception):
    """A contract violation or failure, answered as one item of the ``errors`` envelope."""

    def __init__(
        self,
        code: str,
        parameter: str | None = None,
        message: str | None = None,
        *,
        task_type: str | None = None,
        task_uuid: str | None = None,
        status: int | None = None,
    ) -> None:
        self.spec = CATALOGUE[code]
        self._status = status
        self.code = code
        self.parameter = parameter
        self.message = message or self.spec.message
        self.task_type = task_type
        self.task_uuid = task_uuid
        #: True when the error reports what happened to a task (a failed generation), not
        #: a fault of the request that carried it: the journal counts such requests valid.
        self.task_failure = False
        super().__init__(f"{code}: {self.message}")

    @property
    def status(self) -> int:
        """The HTTP status: the catalogue's, unless a fault plan chose another."""
        return self._status or self.spec.status

    def for_task(self, task_type: str | None, task_uuid: str | None) -> "ApiError":
        """Fill in the task this error belongs to, keeping what is already set."""
        self.task_type = self.task_type or task_type
        self.task_uuid = self.task_uuid or task_uuid
        return self

    def item(self) -> dict[str, Any]:
        """The error item as it appears in the ``errors`` array."""
        out: dict[str, Any] = {"code": self.code, "message": self.message}
        if self.parameter is not None:
            out["parameter"] = self.parameter
        if self.task_type is not None:
            out["taskType"] = self.task_type
        if self.task_uuid is not None:
            out["taskUUID"] = self.task_uuid
        out["documentation"] = self.spec.documentation
        return out
