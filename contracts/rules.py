"""Business rules of the animate task beyond what a schema says, and the mapping from
schema violations to error codes.

``validate_animate`` is the only entry point the server uses: it returns a typed
:class:`~contracts.models.AnimateTask` or raises :class:`~contracts.errors.ApiError`
naming the exact code and parameter.
"""

from __future__ import annotations

import uuid
from typing import Any, TypeVar

from pydantic import BaseModel, ValidationError

from contracts.choices import ANIMATE_MODEL
from contracts.errors import ApiError
from contracts.models import AnimateTask

#: Keys that other videoInference models take but this one does not: the source video
#: decides aspect ratio and length.
REJECTED_FOR_ANIMATE = ("width", "height", "duration")

#: Parameter (dotted path) → error code for an invalid value.
INVALID_CODES: dict[str, str] = {
    "taskUUID": "invalidTaskUUID",
    "model": "invalidModel",
    "inputs": "invalidInputs",
    "inputs.referenceImages": "invalidReferenceImages",
    "inputs.referenceVideos": "invalidReferenceVideos",
    "positivePrompt": "invalidPositivePrompt",
    "resolution": "invalidResolution",
    "fps": "invalidFps",
    "seed": "invalidSeed",
    "settings": "invalidSettings",
    "settings.preserveAudio": "invalidPreserveAudio",
    "outputType": "invalidOutputType",
    "outputFormat": "invalidOutputFormat",
    "outputQuality": "invalidOutputQuality",
    "deliveryMethod": "invalidDeliveryMethod",
    "webhookURL": "invalidWebhookURL",
    "uploadEndpoint": "invalidUploadEndpoint",
    "includeCost": "invalidIncludeCost",
    "numberResults": "invalidNumberResults",
    "ttl": "invalidTtl",
}

#: Parameter → error code when a required value is absent.
MISSING_CODES: dict[str, str] = {
    "taskUUID": "missingTaskUUID",
    "model": "missingModel",
    "inputs": "missingInputs",
    "inputs.referenceImages": "missingReferenceImages",
    "inputs.referenceVideos": "missingReferenceVideos",
}


def is_uuid_v4(value: Any) -> bool:
    """True for a canonical UUID v4 string (what every official SDK sends)."""
    if not isinstance(value, str):
        return False
    try:
        parsed = uuid.UUID(value)
    except ValueError:
        return False
    return parsed.version == 4 and str(parsed) == value


def check_task_uuid(task: dict[str, Any]) -> str:
    """The task's UUID, or the error for a missing or malformed one."""
    if "taskUUID" not in task:
        raise ApiError("missingTaskUUID", "taskUUID")
    value = task["taskUUID"]
    if not is_uuid_v4(value):
        raise ApiError("invalidTaskUUID", "taskUUID")
    return value


def _parameter(loc: tuple[Any, ...]) -> str:
    # List indices name the array, not the element: "inputs.referenceImages".
    return ".".join(str(part) for part in loc if not isinstance(part, int))


def _first_error(exc: ValidationError) -> ApiError:
    errors = exc.errors()
    # Unknown keys first: they say the client speaks another contract.
    errors.sort(key=lambda e: 0 if e["type"] == "extra_forbidden" else 1)
    err = errors[0]
    parameter = _parameter(err["loc"])
    if err["type"] == "extra_forbidden":
        return ApiError(
            "unsupportedParameter", parameter, f"{parameter} is not supported by {ANIMATE_MODEL}."
        )
    if err["type"] == "missing" and parameter in MISSING_CODES:
        return ApiError(MISSING_CODES[parameter], parameter)
    code = INVALID_CODES.get(parameter)
    if code is None:  # a nested key under a known object
        head = parameter.split(".")[0]
        code = INVALID_CODES.get(head, "invalidTask")
    base = ApiError(code, parameter)
    return ApiError(code, parameter, f"{base.message} ({err['msg']})")


#: Parameter → (code when missing, code when invalid) for the other task types.
OTHER_TASK_CODES: dict[str, tuple[str, str]] = {
    "taskUUID": ("missingTaskUUID", "invalidTaskUUID"),
    "image": ("missingImage", "invalidImage"),
    "media": ("missingMedia", "invalidMedia"),
    "operation": ("invalidOperation", "invalidOperation"),
}

ModelT = TypeVar("ModelT", bound=BaseModel)


def validate_task(model: type[ModelT], task: dict[str, Any]) -> ModelT:
    """Validate a non-animate task against its model, with the same error conventions:
    unknown keys are ``unsupportedParameter``, each known field has its own codes."""
    try:
        return model.model_validate(task)
    except ValidationError as exc:
        errors = sorted(exc.errors(), key=lambda e: (e["type"] != "extra_forbidden", _parameter(e["loc"]) != "taskUUID"))
        err = errors[0]
        parameter = _parameter(err["loc"])
        raw_uuid = task.get("taskUUID") if isinstance(task.get("taskUUID"), str) else None
        task_type = task.get("taskType") if isinstance(task.get("taskType"), str) else None
        if err["type"] == "extra_forbidden":
            raise ApiError("unsupportedParameter", parameter, f"{parameter} is not a parameter of {task_type}.",
                           task_type=task_type, task_uuid=raw_uuid) from None
        missing, invalid = OTHER_TASK_CODES.get(parameter, ("invalidParameter", "invalidParameter"))
        code = missing if err["type"] == "missing" else invalid
        raise ApiError(code, parameter, f"{ApiError(code).message} ({err['msg']})",
                       task_type=task_type, task_uuid=raw_uuid) from None


def validate_animate(task: dict[str, Any]) -> AnimateTask:
    """Validate a raw ``videoInference`` task for the animate model.

    Order matters for which single error is answered: the task UUID (so the error can
    name its task), then the model (rules depend on it), then keys the model rejects,
    then the schema.
    """
    raw_uuid = task.get("taskUUID") if isinstance(task.get("taskUUID"), str) else None
    try:
        check_task_uuid(task)
        if "model" not in task:
            raise ApiError("missingModel", "model")
        if task["model"] != ANIMATE_MODEL:
            raise ApiError("invalidModel", "model", f"Unknown model {task['model']!r}; this fake serves {ANIMATE_MODEL}.")
        for key in REJECTED_FOR_ANIMATE:
            if key in task:
                raise ApiError(
                    "unsupportedParameter", key, f"{key} is not supported by {ANIMATE_MODEL}: the source video decides it."
                )
        if "inputs" in task and not isinstance(task["inputs"], dict):
            raise ApiError("invalidInputs", "inputs")
        if "settings" in task and not isinstance(task["settings"], dict):
            raise ApiError("invalidSettings", "settings")
        try:
            return AnimateTask.model_validate(task)
        except ValidationError as exc:
            raise _first_error(exc) from None
    except ApiError as err:
        raise err.for_task("videoInference", raw_uuid) from None
