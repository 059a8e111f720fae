"""Run the fake in a background thread on a free port: for tests, the kit and benchmarks.

A real uvicorn server over a real socket (as httpx's own tests do) rather than an
in-process transport, so that what is tested is what clients see.
"""

from __future__ import annotations

import socket
import tempfile
import threading
import time
from pathlib import Path
from typing import Any

import uvicorn

from contracts.admin import Admin, Faults, Jobs, Journal
from mock_server.app import create_app
from mock_server.config import Settings


def free_port(host: str = "127.0.0.1") -> int:
    with socket.socket() as sock:
        sock.bind((host, 0))
        return sock.getsockname()[1]


class RemoteServer:
    """An already-running fake (``--runware-mock-url``): the same attributes as LiveServer."""

    def __init__(self, base_url: str) -> None:
        self.base_url = base_url.rstrip("/")
        self.rest_url = f"{self.base_url}/v1"
        self.ws_url = self.base_url.replace("http", "ws", 1) + "/v1"
        self.admin = Admin(self.base_url)
        self.journal, self.faults, self.jobs = self.admin.journal, self.admin.faults, self.admin.jobs

    def fixture_url(self, name: str) -> str:
        return f"{self.base_url}/fixtures/{name}"

    def close(self) -> None:
        self.admin.close()


class LiveServer:
    """``with LiveServer(time_scale=0) as server: server.rest_url``."""

    def __init__(
        self,
        data_dir: Path | None = None,
        *,
        time_scale: float = 0.0,
        api_keys: frozenset[str] = frozenset(),
        host: str = "127.0.0.1",
        port: int | None = None,
        **settings: Any,
    ) -> None:
        self._tmp = None
        if data_dir is None:
            self._tmp = tempfile.TemporaryDirectory(prefix="runware-mock-")
            data_dir = Path(self._tmp.name)
        self.settings = Settings(data_dir=Path(data_dir), time_scale=time_scale, api_keys=api_keys, **settings)
        self.host, self.port = host, port or free_port(host)
        self.app = create_app(self.settings)
        self._admin: Admin | None = None
        self._server: uvicorn.Server | None = None
        self._thread: threading.Thread | None = None

    @property
    def base_url(self) -> str:
        return f"http://{self.host}:{self.port}"

    @property
    def rest_url(self) -> str:
        return f"{self.base_url}/v1"

    @property
    def ws_url(self) -> str:
        return f"ws://{self.host}:{self.port}/v1"

    def fixture_url(self, name: str) -> str:
        return f"{self.base_url}/fixtures/{name}"

    @property
    def services(self):
        return self.app.state.services

    @property
    def admin(self) -> Admin:
        """The control API client (journal, faults, jobs, time scale, reset)."""
        if self._admin is None:
            self._admin = Admin(self.base_url)
        return self._admin

    @property
    def journal(self) -> Journal:
        return self.admin.journal

    @property
    def faults(self) -> Faults:
        return self.admin.faults

    @property
    def jobs(self) -> Jobs:
        return self.admin.jobs

    def start(self) -> "LiveServer":
        config = uvicorn.Config(self.app, host=self.host, port=self.port, log_level="warning", lifespan="on",
                                **self.settings.uvicorn_options())
        self._server = uvicorn.Server(config)
        self._thread = threading.Thread(target=self._server.run, name=f"runware-mock:{self.port}", daemon=True)
        self._thread.start()
        deadline = time.monotonic() + 20
        while not self._server.started:
            if not self._thread.is_alive() or time.monotonic() > deadline:
                raise RuntimeError("the fake server did not start")
            time.sleep(0.01)
        return self

    def stop(self) -> None:
        if self._server is not None:
            self._server.should_exit = True
        if self._thread is not None:
            self._thread.join(timeout=20)
        self._server = self._thread = None

    def close(self) -> None:
        if self._admin is not None:
            self._admin.close()
            self._admin = None
        self.stop()
        if self._tmp is not None:
            self._tmp.cleanup()

    def __enter__(self) -> "LiveServer":
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.close()
