"""One task dispatcher for every transport: a task behaves the same over REST or WebSocket.

The transports parse frames and authenticate; the dispatcher answers a list of task
objects with ``data`` items and ``errors`` items, each task on its own.
"""

from __future__ import annotations

import asyncio
import json
import logging
import time
from dataclasses import dataclass, field
from typing import Any

from contracts import choices
from contracts.errors import CATALOGUE, CODE_FOR_STATUS, ApiError
from contracts.models import GetResponseTask, GetTaskDetailsTask, PingTask
from contracts.rules import validate_task
from mock_server.animate import AnimateService, Context
from mock_server.control_store import Fault
from mock_server.store import Store, TaskRow
from mock_server.uploads import UploadService


log = logging.getLogger("runware_mock")


def parse_tasks(raw: bytes | str, max_bytes: int = choices.REQUEST_MAX_BYTES) -> list[Any]:
    """The body as a list of tasks, or the error naming what is wrong with it."""
    if len(raw) > max_bytes:
        raise ApiError("requestTooLarge", None)
    try:
        body = json.loads(raw)
    except (ValueError, UnicodeDecodeError, RecursionError):
        raise ApiError("invalidJSON", None) from None
    if not isinstance(body, list) or not body:
        raise ApiError("invalidRequestBody", None)
    if len(body) > choices.BATCH_MAX_TASKS:
        raise ApiError("invalidRequestBody", None, f"At most {choices.BATCH_MAX_TASKS} tasks per request.")
    return body


@dataclass
class Outcome:
    """What a batch produced: success items and error items, side by side."""

    data: list[dict[str, Any]] = field(default_factory=list)
    errors: list[ApiError] = field(default_factory=list)

    def extend(self, other: "Outcome") -> None:
        self.data.extend(other.data)
        self.errors.extend(other.errors)

    def envelope(self) -> dict[str, Any]:
        body: dict[str, Any] = {}
        if self.data or not self.errors:
            body["data"] = self.data
        if self.errors:
            body["errors"] = [e.item() for e in self.errors]
        return body

    @property
    def status(self) -> int:
        """HTTP status: 200 when anything succeeded, else the first error's status."""
        if not self.errors or any(item.get("status") != "error" for item in self.data):
            return 200
        return self.errors[0].status


class Dispatcher:
    """Routes each task to its handler by ``taskType``."""

    def __init__(self, store: Store, animate: AnimateService, uploads: UploadService) -> None:
        self.store = store
        self.animate = animate
        self.uploads = uploads

    async def run(self, tasks: list[Any], ctx: Context) -> Outcome:
        """Answer every task of a batch concurrently; order of items follows the batch."""
        outcomes = await asyncio.gather(*(self.one(task, ctx) for task in tasks))
        total = Outcome()
        for outcome in outcomes:
            total.extend(outcome)
        return total

    async def one(self, task: Any, ctx: Context) -> Outcome:
        received = time.time()
        try:
            outcome = await self._answer(task, ctx)
        except Exception as exc:  # a bug must still reach the client as an error item, never silence
            log.exception("task %r failed", _str_field(task, "taskUUID"))
            outcome = Outcome(errors=[ApiError("internalError", None, f"Internal error: {type(exc).__name__}.",
                                               task_type=_str_field(task, "taskType"),
                                               task_uuid=_str_field(task, "taskUUID"))])
        invalid = any(not e.task_failure for e in outcome.errors)
        self.journal(ctx, task, "invalid" if invalid else "valid", [e.code for e in outcome.errors], received)
        return outcome

    def journal(self, ctx: Context, task: Any, verdict: str, codes: list[str], at: float | None = None) -> None:
        """Record a task as received and what the fake made of it."""
        self.store.journal_add(ctx.transport, ctx.api_key, _str_field(task, "taskUUID"),
                               _str_field(task, "taskType"), task, verdict, codes, at)

    def take_fault(self, task: Any, ctx: Context) -> Fault | None:
        """The fault plan this task triggers, consumed and journaled, if any."""
        fault = self.store.fault_take(_str_field(task, "taskType"), ctx.transport)
        if fault is not None:
            self.journal(ctx, task, "fault", [fault_error(fault, task).code] if fault.action == "error" else [])
        return fault

    async def _answer(self, task: Any, ctx: Context) -> Outcome:
        if not isinstance(task, dict) or not isinstance(task.get("taskType"), str):
            return Outcome(errors=[ApiError("invalidTask", "taskType")])
        task_type = task["taskType"]
        handler = getattr(self, "_" + task_type, None) if task_type in HANDLED else None
        if handler is None:
            uuid_ = task.get("taskUUID") if isinstance(task.get("taskUUID"), str) else None
            return Outcome(errors=[ApiError("invalidTaskType", "taskType", f"Unknown taskType {task_type!r}.",
                                            task_type=task_type, task_uuid=uuid_)])
        try:
            return Outcome(data=await handler(task, ctx))
        except ApiError as err:
            uuid_ = task.get("taskUUID") if isinstance(task.get("taskUUID"), str) else None
            return Outcome(errors=[err.for_task(task_type, uuid_)])

    # -- handlers -----------------------------------------------------------------------

    async def _videoInference(self, task: dict[str, Any], ctx: Context) -> list[dict[str, Any]]:
        return await self.animate.submit(task, ctx)

    def _known_task(self, model: type[GetResponseTask] | type[GetTaskDetailsTask], task: dict[str, Any]) -> TaskRow:
        task_uuid = validate_task(model, task).taskUUID
        row = self.store.get_task(task_uuid)
        if row is None:
            raise ApiError("taskNotFound", "taskUUID", task_type=task["taskType"], task_uuid=task_uuid)
        return row

    async def _getResponse(self, task: dict[str, Any], ctx: Context) -> list[dict[str, Any]]:
        return self.animate.poll(self._known_task(GetResponseTask, task))

    async def _getTaskDetails(self, task: dict[str, Any], ctx: Context) -> list[dict[str, Any]]:
        """The original request and what polling it answers now."""
        row = self._known_task(GetTaskDetailsTask, task)
        task_uuid = row.task_uuid
        try:
            response: dict[str, Any] = {"data": self.animate.poll(row, count_poll=False)}
        except ApiError as err:
            response = {"errors": [err.item()]}
        return [{"taskType": "getTaskDetails", "taskUUID": task_uuid, "request": row.request, "response": response}]

    async def _imageUpload(self, task: dict[str, Any], ctx: Context) -> list[dict[str, Any]]:
        return await self.uploads.image_upload(task, ctx.base_url)

    async def _mediaStorage(self, task: dict[str, Any], ctx: Context) -> list[dict[str, Any]]:
        return await self.uploads.media_storage(task, ctx.base_url)

    async def _ping(self, task: dict[str, Any], ctx: Context) -> list[dict[str, Any]]:
        validate_task(PingTask, task)
        return [{"taskType": "ping", "pong": True}]

    async def _authentication(self, task: dict[str, Any], ctx: Context) -> list[dict[str, Any]]:
        # The request is already authenticated; a further authentication task adds nothing
        # but must still be well formed.
        if not self.animate.settings.key_ok(task.get("apiKey")):
            raise ApiError("invalidApiKey", "apiKey")
        return []


def _str_field(task: Any, name: str) -> str | None:
    value = task.get(name) if isinstance(task, dict) else None
    return value if isinstance(value, str) else None


def fault_error(fault: Fault, task: Any) -> ApiError:
    """The error an ``error`` fault answers for this task."""
    code = fault.code or CODE_FOR_STATUS.get(fault.status or 503, "serviceUnavailable")
    return ApiError(code, None, f"{CATALOGUE[code].message} (injected by a fault plan)",
                    task_type=_str_field(task, "taskType"), task_uuid=_str_field(task, "taskUUID"),
                    status=fault.status)


HANDLED = frozenset({"videoInference", "getResponse", "getTaskDetails", "imageUpload", "mediaStorage", "ping", "authentication"})
