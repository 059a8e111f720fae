"""A tiny HTTP receiver for webhook and upload tests: answers a scripted list of
statuses and records every request. Runs on uvicorn in a thread, like the fake."""

from __future__ import annotations

import threading
import time
from dataclasses import dataclass, field

import uvicorn
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from contracts.server import free_port


@dataclass
class Received:
    method: str
    path: str
    body: bytes
    content_type: str | None
    at: float


@dataclass
class Receiver:
    statuses: list[int] = field(default_factory=list)  # answered in order, then 200
    received: list[Received] = field(default_factory=list)

    def __post_init__(self) -> None:
        self.port = free_port()

        async def endpoint(request: Request) -> Response:
            self.received.append(Received(request.method, request.url.path, await request.body(),
                                          request.headers.get("content-type"), time.time()))
            status = self.statuses.pop(0) if self.statuses else 200
            return Response(status_code=status)

        app = Starlette(routes=[Route("/{path:path}", endpoint, methods=["POST", "PUT"])])
        self._server = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=self.port, log_level="warning"))
        self._thread = threading.Thread(target=self._server.run, daemon=True)

    def url(self, path: str) -> str:
        return f"http://127.0.0.1:{self.port}/{path}"

    def __enter__(self) -> "Receiver":
        self._thread.start()
        while not self._server.started:
            time.sleep(0.01)
        return self

    def __exit__(self, *exc: object) -> None:
        self._server.should_exit = True
        self._thread.join(timeout=10)

    def wait_for(self, count: int, timeout: float = 20) -> list[Received]:
        deadline = time.monotonic() + timeout
        while len(self.received) < count and time.monotonic() < deadline:
            time.sleep(0.02)
        return self.received
