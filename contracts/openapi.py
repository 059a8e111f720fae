"""The contract as data: an OpenAPI 3.1 document of ``POST /v1`` and JSON Schemas of
every task and result, generated from the pydantic models and the error catalogue.

``runware-mock schema`` prints it and the fake serves it at ``/openapi.json``, so the
document, the validation and the kit can never disagree.
"""

from __future__ import annotations

from typing import Any

from pydantic.json_schema import models_json_schema

from contracts import choices
from contracts.errors import CATALOGUE
from contracts.models import RESULT_MODELS, TASK_MODELS, ErrorItem

REF = "#/components/schemas/{model}"


def component_schemas() -> dict[str, Any]:
    """JSON Schema of every task, result and the error item, keyed by model name."""
    models = [(m, "validation") for m in TASK_MODELS] + [(m, "serialization") for m in (*RESULT_MODELS, ErrorItem)]
    _, top = models_json_schema(models, ref_template=REF)
    return top.get("$defs", {})


def _ref(name: str) -> dict[str, str]:
    return {"$ref": REF.format(model=name)}


def error_statuses() -> list[int]:
    return sorted({spec.status for spec in CATALOGUE.values()} | {502})


def openapi_document(server_url: str | None = None) -> dict[str, Any]:
    """The OpenAPI 3.1 document of the task API."""
    schemas = component_schemas()
    schemas["ErrorEnvelope"] = {
        "type": "object",
        "required": ["errors"],
        "properties": {"errors": {"type": "array", "minItems": 1, "items": _ref("ErrorItem")}},
    }
    schemas["Envelope"] = {
        "type": "object",
        "description": "A batch may succeed partly: data and errors side by side.",
        "properties": {
            "data": {"type": "array", "items": {"anyOf": [_ref(m.__name__) for m in RESULT_MODELS]}},
            "errors": {"type": "array", "items": _ref("ErrorItem")},
        },
        "anyOf": [{"required": ["data"]}, {"required": ["errors"]}],
    }
    schemas["Task"] = {"oneOf": [_ref(m.__name__) for m in TASK_MODELS],
                       "discriminator": {"propertyName": "taskType"}}
    codes_by_status: dict[int, list[str]] = {}
    for spec in CATALOGUE.values():
        codes_by_status.setdefault(spec.status, []).append(spec.code)
    responses: dict[str, Any] = {
        "200": {"description": "Every task answered; errors of individual tasks may ride along.",
                "content": {"application/json": {"schema": _ref("Envelope")}}},
    }
    for status in error_statuses():
        codes = ", ".join(sorted(codes_by_status.get(status, []))) or "injected fault"
        responses[str(status)] = {"description": f"Error codes: {codes}.",
                                  "content": {"application/json": {"schema": _ref("ErrorEnvelope")}}}
    document: dict[str, Any] = {
        "openapi": "3.1.0",
        "info": {
            "title": "Runware task API: P-Video-Animate (runware-mock)",
            "version": "0.1.0",
            "description": "POST /v1 takes a JSON array of tasks. The same tasks travel over WebSocket at /v1.",
        },
        "paths": {
            "/v1": {
                "post": {
                    "operationId": "runTasks",
                    "summary": "Run a batch of tasks",
                    "security": [{"bearer": []}],
                    "parameters": [{
                        "name": "X-Runware-Dry-Run", "in": "header", "required": False,
                        "description": "\"1\" or \"true\": validate and price the tasks without running them;"
                                       " any other value is ignored.",
                        "schema": {"type": "string"},
                    }],
                    "requestBody": {
                        "required": True,
                        "content": {"application/json": {"schema": {
                            "type": "array", "minItems": 1, "maxItems": choices.BATCH_MAX_TASKS,
                            "items": _ref("Task"),
                        }}},
                    },
                    "responses": responses,
                }
            }
        },
        "components": {
            "schemas": schemas,
            "securitySchemes": {"bearer": {"type": "http", "scheme": "bearer"}},
        },
    }
    if server_url:
        document["servers"] = [{"url": server_url}]
    return document


def task_schemas() -> dict[str, Any]:
    """Standalone JSON Schemas (2020-12) of each task and result, for other tools."""
    schemas = component_schemas()
    out = {}
    for name, schema in schemas.items():
        out[name] = {"$schema": "https://json-schema.org/draft/2020-12/schema", **schema,
                     "$defs": {k: v for k, v in schemas.items() if k != name}}
    return out
