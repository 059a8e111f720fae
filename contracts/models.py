"""Pydantic models of the wire contract: the animate task, its results and the envelopes.

The request model is strict (no coercion: ``true`` is not an integer, ``24.0`` is not a
frame rate) and forbids unknown keys, so that schema violations map one-to-one onto
error codes in :mod:`contracts.rules`. The same models produce the JSON Schema.
"""

from __future__ import annotations

from typing import Annotated, Any, Literal

from pydantic import AfterValidator, BaseModel, ConfigDict, Field, StrictBool, StrictInt, StrictStr

from contracts import choices


def _allowed_fps(value: int) -> int:
    if value not in (24, 48):
        raise ValueError("fps must be 24 or 48")
    return value


def _http_url(value: str) -> str:
    if not value.lower().startswith(("http://", "https://")) or len(value) < 10:
        raise ValueError("must be an http(s) URL")
    return value


HttpUrlStr = Annotated[StrictStr, AfterValidator(_http_url), Field(json_schema_extra={"pattern": "^[Hh][Tt][Tt][Pp][Ss]?://"})]
#: A canonical (lower-case) UUID v4, as every official SDK sends (checked in contracts.rules).
UUID4_PATTERN = "^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$"
TaskUUID = Annotated[StrictStr, Field(json_schema_extra={"format": "uuid", "pattern": UUID4_PATTERN})]
Fps = Annotated[StrictInt, AfterValidator(_allowed_fps), Field(json_schema_extra={"enum": [24, 48]})]


class _Strict(BaseModel):
    model_config = ConfigDict(strict=True, extra="forbid")


class _Result(BaseModel):
    """A reply item: exactly the documented keys, nothing else (not strict: built by the fake)."""

    model_config = ConfigDict(extra="forbid")


class AnimateInputs(_Strict):
    """Exactly one image (who is on screen) and exactly one video (what happens)."""

    referenceImages: list[StrictStr] = Field(min_length=1, max_length=1)
    referenceVideos: list[StrictStr] = Field(min_length=1, max_length=1)


class AnimateSettings(_Strict):
    preserveAudio: StrictBool = True


class AnimateTask(_Strict):
    """A ``videoInference`` task for ``prunaai:p-video@animate``, with the contract's defaults."""

    taskType: Literal["videoInference"]
    taskUUID: TaskUUID
    model: Literal["prunaai:p-video@animate"]
    inputs: AnimateInputs
    positivePrompt: StrictStr | None = Field(None, min_length=1, max_length=choices.PROMPT_MAX_LENGTH)
    resolution: Literal["720p", "1080p"] = "720p"
    fps: Fps | None = None
    seed: StrictInt | None = Field(None, ge=choices.SEED_MIN, le=choices.SEED_MAX)
    settings: AnimateSettings = Field(default_factory=AnimateSettings)
    outputType: Literal["URL"] = "URL"
    outputFormat: Literal["MP4", "MOV", "WEBM"] = "MP4"
    outputQuality: StrictInt = Field(
        choices.OUTPUT_QUALITY_DEFAULT, ge=choices.OUTPUT_QUALITY_MIN, le=choices.OUTPUT_QUALITY_MAX
    )
    deliveryMethod: Literal["sync", "async"] = "sync"
    webhookURL: HttpUrlStr | None = None
    uploadEndpoint: HttpUrlStr | None = None
    includeCost: StrictBool = False
    numberResults: StrictInt = Field(1, ge=1, le=choices.NUMBER_RESULTS_MAX)
    ttl: StrictInt | None = Field(None, ge=choices.TTL_MIN, le=choices.TTL_MAX)


class GetResponseTask(_Strict):
    """Poll an async task: one item per generation."""

    taskType: Literal["getResponse"]
    taskUUID: TaskUUID


class GetTaskDetailsTask(_Strict):
    """The original request of a task and what polling it answers now."""

    taskType: Literal["getTaskDetails"]
    taskUUID: TaskUUID


class AuthenticationTask(BaseModel):
    """Authenticates a WebSocket (first frame) or, as the first REST task, a request."""

    model_config = ConfigDict(extra="allow")
    taskType: Literal["authentication"]
    apiKey: StrictStr
    connectionSessionUUID: StrictStr | None = None


class PingTask(BaseModel):
    model_config = ConfigDict(extra="allow")
    taskType: Literal["ping"]
    ping: Literal[True] = True


class ImageUploadTask(_Strict):
    """Host an image on the service: URL, data URI or base64."""

    taskType: Literal["imageUpload"]
    taskUUID: TaskUUID
    image: StrictStr


class MediaStorageTask(_Strict):
    """Host an image or video (``upload``), or remove it (``delete`` with its mediaUUID)."""

    taskType: Literal["mediaStorage"]
    taskUUID: TaskUUID
    operation: Literal["upload", "delete"] = "upload"
    media: StrictStr


#: Every task the service answers, in the order the OpenAPI document lists them.
TASK_MODELS: tuple[type[BaseModel], ...] = (
    AnimateTask, GetResponseTask, GetTaskDetailsTask, ImageUploadTask, MediaStorageTask, AuthenticationTask, PingTask,
)


class VideoResult(_Result):
    """A finished generation, as delivered synchronously, by webhook or through getResponse."""

    taskType: Literal["videoInference"] = "videoInference"
    taskUUID: str
    status: Literal["success"] | None = None
    videoUUID: str
    videoURL: str
    seed: int
    cost: float | None = None


class ProcessingItem(_Result):
    taskType: Literal["videoInference"] = "videoInference"
    taskUUID: str
    status: Literal["processing"] = "processing"
    progress: int = Field(ge=0, le=100)


class DryRunItem(_Result):
    """The answer to a task sent with ``X-Runware-Dry-Run: 1``: validated and priced."""

    taskType: str
    taskUUID: str
    dryRun: Literal[True] = True
    cost: float


class AuthenticationResult(_Result):
    taskType: Literal["authentication"] = "authentication"
    connectionSessionUUID: str


class PongItem(_Result):
    taskType: Literal["ping"] = "ping"
    pong: Literal[True] = True


class ImageUploadResult(_Result):
    taskType: Literal["imageUpload"] = "imageUpload"
    taskUUID: str
    imageUUID: str
    imageURL: str


class MediaStorageResult(_Result):
    taskType: Literal["mediaStorage"] = "mediaStorage"
    taskUUID: str
    operation: Literal["upload", "delete"]
    mediaUUID: str
    mediaURL: str | None = None


class TaskDetailsResult(_Result):
    taskType: Literal["getTaskDetails"] = "getTaskDetails"
    taskUUID: str
    request: dict[str, Any]
    response: dict[str, Any]


class AckItem(_Result):
    taskType: str
    taskUUID: str


class ErrorItem(_Result):
    code: str
    message: str
    parameter: str | None = None
    taskType: str | None = None
    taskUUID: str | None = None
    documentation: str | None = None


#: Every item a ``data`` array may carry.
RESULT_MODELS: tuple[type[BaseModel], ...] = (
    VideoResult, ProcessingItem, AckItem, DryRunItem, ImageUploadResult, MediaStorageResult, TaskDetailsResult,
    AuthenticationResult, PongItem,
)


def dump(model: BaseModel) -> dict[str, Any]:
    """Wire form of a model: fields left unset (None) are not sent."""
    return model.model_dump(exclude_none=True)
