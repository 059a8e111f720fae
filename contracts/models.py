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


HttpUrlStr = Annotated[StrictStr, AfterValidator(_http_url)]
Fps = Annotated[StrictInt, AfterValidator(_allowed_fps), Field(json_schema_extra={"enum": [24, 48]})]


class _Strict(BaseModel):
    model_config = ConfigDict(strict=True, extra="forbid")


class AnimateInputs(_Strict):
    """Exactly one image (who is on screen) and exactly one video (what happens)."""

    referenceImages: list[StrictStr] = Field(min_length=1, max_length=1)
    referenceVideos: list[StrictStr] = Field(min_length=1, max_length=1)


class AnimateSettings(_Strict):
    preserveAudio: StrictBool = True


class AnimateTask(_Strict):
    """A ``videoInference`` task for ``prunaai:p-video@animate``, with the contract's defaults."""

    taskType: Literal["videoInference"]
    taskUUID: StrictStr
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
    taskType: Literal["getResponse"]
    taskUUID: StrictStr


class AuthenticationTask(BaseModel):
    model_config = ConfigDict(extra="allow")
    taskType: Literal["authentication"]
    apiKey: StrictStr
    connectionSessionUUID: StrictStr | None = None


class VideoResult(BaseModel):
    """A finished generation, as delivered synchronously, by webhook or through getResponse."""

    model_config = ConfigDict(extra="forbid")
    taskType: Literal["videoInference"] = "videoInference"
    taskUUID: str
    status: Literal["success"] | None = None
    videoUUID: str
    videoURL: str
    seed: int
    cost: float | None = None


class ProcessingItem(BaseModel):
    model_config = ConfigDict(extra="forbid")
    taskType: Literal["videoInference"] = "videoInference"
    taskUUID: str
    status: Literal["processing"] = "processing"
    progress: int = Field(ge=0, le=100)


class AckItem(BaseModel):
    model_config = ConfigDict(extra="forbid")
    taskType: str
    taskUUID: str


class ErrorItem(BaseModel):
    model_config = ConfigDict(extra="forbid")
    code: str
    message: str
    parameter: str | None = None
    taskType: str | None = None
    taskUUID: str | None = None
    documentation: str | None = None


class Envelope(BaseModel):
    """The reply: ``data`` and/or ``errors`` (a batch may succeed partly)."""

    data: list[dict[str, Any]] | None = None
    errors: list[ErrorItem] | None = None


def dump(model: BaseModel) -> dict[str, Any]:
    """Wire form of a model: fields left unset (None) are not sent."""
    return model.model_dump(exclude_none=True)
