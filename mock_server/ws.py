"""The WebSocket transport at ``/v1``: the official SDKs' default.

Every client frame is a JSON array of tasks; every server frame is a JSON object,
``{"data": [...]}`` or ``{"errors": [...]}``. The first task must be ``authentication``.
Tasks run concurrently on the shared dispatcher, each answered in its own frame as soon
as it is ready, so a slow generation never holds up a ping. Frames that cannot be sent
because the socket dropped are kept in the store and replayed when the client
re-authenticates with its old ``connectionSessionUUID``.
"""

from __future__ import annotations

import asyncio
import contextlib
import uuid
from typing import Any

from fastapi import APIRouter, WebSocket
from starlette.websockets import WebSocketDisconnect, WebSocketState

from contracts.errors import ApiError
from mock_server.animate import Context
from mock_server.app import Services
from mock_server.dispatcher import Outcome, fault_error, parse_tasks

router = APIRouter()


class SessionHub:
    """The live socket of each session. Sockets cannot live in the store; everything that
    outlives a socket (sessions, undelivered frames) does."""

    def __init__(self) -> None:
        self.live: dict[str, Connection] = {}

    def attach(self, session_uuid: str, connection: "Connection") -> None:
        self.live[session_uuid] = connection

    def detach(self, session_uuid: str | None, connection: "Connection") -> None:
        if session_uuid is not None and self.live.get(session_uuid) is connection:
            del self.live[session_uuid]

    def successor(self, session_uuid: str, connection: "Connection") -> "Connection | None":
        """The socket that resumed this session after ``connection`` dropped, if any."""
        other = self.live.get(session_uuid)
        return other if other is not None and other is not connection and other.open else None


@router.websocket("/v1")
async def websocket_endpoint(websocket: WebSocket) -> None:
    await Connection(websocket, websocket.app.state.services, websocket.app.state.ws_hub).serve()


def _http_base(websocket: WebSocket, services: Services) -> str:
    if services.settings.public_url:
        return services.settings.public_url.rstrip("/")
    url = websocket.base_url
    scheme = "https" if url.scheme == "wss" else "http"
    return str(url.replace(scheme=scheme)).rstrip("/")


class Connection:
    """One client socket: authentication state, a send lock and its running tasks."""

    def __init__(self, websocket: WebSocket, services: Services, hub: SessionHub) -> None:
        self.ws = websocket
        self.svc = services
        self.hub = hub
        self.settings = services.settings
        self.session_uuid: str | None = None
        self.api_key: str | None = None
        self.open = True
        self._send_lock = asyncio.Lock()
        self._tasks: set[asyncio.Task[None]] = set()
        self._ctx: Context | None = None

    async def serve(self) -> None:
        await self.ws.accept()
        try:
            while True:
                try:
                    message = await asyncio.wait_for(self.ws.receive(), timeout=self.settings.ws_idle_seconds)
                except asyncio.TimeoutError:
                    await self.ws.close(code=1000, reason="idle timeout")
                    break
                if message["type"] == "websocket.disconnect":
                    break
                raw = message.get("text")
                if raw is None:
                    raw = message.get("bytes") or b""
                await self.frame(raw)
        except WebSocketDisconnect:
            pass
        finally:
            self.open = False  # tasks still running keep their results for a resume
            self.hub.detach(self.session_uuid, self)

    async def frame(self, raw: str | bytes) -> None:
        try:
            tasks = parse_tasks(raw, self.settings.ws_max_frame_bytes)
        except ApiError as err:
            text = raw if isinstance(raw, str) else raw.decode("utf-8", "replace")
            self.svc.store.journal_add("ws", self.api_key, None, None, text[:10_000], "invalid", [err.code])
            await self.send({"errors": [err.item()]})
            return
        if isinstance(tasks[0], dict) and tasks[0].get("taskType") == "authentication":
            if not await self.authenticate(tasks[0]):
                return
            tasks = tasks[1:]
        if not tasks:
            return
        if self.api_key is None:
            errors = [ApiError("invalidApiKey", "apiKey", "Authenticate first: send an authentication task.",
                               task_type=_field(t, "taskType"), task_uuid=_field(t, "taskUUID")) for t in tasks]
            for task, err in zip(tasks, errors):
                self.svc.store.journal_add("ws", None, err.task_uuid, err.task_type, task, "invalid", [err.code])
            await self.send({"errors": [e.item() for e in errors]})
            return
        if self._ctx is None or self._ctx.api_key != self.api_key:
            self._ctx = Context(self.api_key, "ws", _http_base(self.ws, self.svc))
        ctx = self._ctx
        for task in tasks:
            job = asyncio.create_task(self.run_task(task, ctx))
            self._tasks.add(job)
            job.add_done_callback(self._tasks.discard)

    async def authenticate(self, task: dict[str, Any]) -> bool:
        key = task.get("apiKey")
        if not self.settings.key_ok(key):
            self.svc.store.journal_add("ws", None, None, "authentication", {**task, "apiKey": "***"}, "invalid",
                                       ["invalidApiKey"])
            await self.send({"errors": [ApiError("invalidApiKey", "apiKey", task_type="authentication").item()]})
            return False
        resume = task.get("connectionSessionUUID")
        replay: list[dict[str, Any]] = []
        if isinstance(resume, str) and self.svc.store.session_key(resume, self.settings.ws_resume_seconds) == key:
            self.session_uuid = resume
            self.hub.attach(resume, self)  # from now on, late results of the old socket come here
            replay = self.svc.store.take_undelivered(resume)
        else:
            self.session_uuid = str(uuid.uuid4())
        self.api_key = key
        self.svc.store.touch_session(self.session_uuid, key)
        self.hub.attach(self.session_uuid, self)
        await self.send({"data": [{"taskType": "authentication", "connectionSessionUUID": self.session_uuid}]})
        for frame in replay:
            await self.send(frame)
        return True

    async def run_task(self, task: Any, ctx: Context) -> None:
        fault = self.svc.dispatcher.take_fault(task, ctx)
        if fault is not None:
            if fault.action == "latency":
                await asyncio.sleep(fault.latency)
            elif fault.action == "error":
                await self.send({"errors": [fault_error(fault, task).item()]})
                return
            elif fault.action == "malformed":
                await self.send_raw("<html>upstream error</html>")
                return
            else:  # close: drop the socket without answering
                self.open = False
                with contextlib.suppress(RuntimeError, OSError):
                    await self.ws.close(code=1011, reason="fault plan: connection dropped")
                return
        outcome: Outcome = await self.svc.dispatcher.one(task, ctx)
        if outcome.data:
            await self.send({"data": outcome.data})
        if outcome.errors:
            await self.send({"errors": [e.item() for e in outcome.errors]})

    async def send_raw(self, text: str) -> None:
        async with self._send_lock:
            if self.open:
                with contextlib.suppress(WebSocketDisconnect, RuntimeError, OSError):
                    await self.ws.send_text(text)

    async def send(self, frame: dict[str, Any]) -> None:
        """Send a frame; when the socket is gone, to the socket that resumed its session, or
        keep it in the store for a resume."""
        async with self._send_lock:
            if self.open and self.ws.application_state == WebSocketState.CONNECTED:
                try:
                    await self.ws.send_json(frame)
                    return
                except (WebSocketDisconnect, RuntimeError, OSError):
                    self.open = False
        if self.session_uuid is None:
            return
        successor = self.hub.successor(self.session_uuid, self)
        if successor is not None:
            await successor.send(frame)
        else:
            self.svc.store.keep_undelivered(self.session_uuid, frame, self.settings.ws_resume_seconds)


def _field(task: Any, name: str) -> str | None:
    value = task.get(name) if isinstance(task, dict) else None
    return value if isinstance(value, str) else None
