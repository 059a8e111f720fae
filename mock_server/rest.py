"""The REST transport: ``POST /v1`` with a JSON array of tasks, plus media and health.

Thin on purpose: parse, authenticate, hand the tasks to the shared dispatcher, wrap
the outcome in the envelope.
"""

from __future__ import annotations

import asyncio
import time
from pathlib import Path
from typing import Any

from fastapi import APIRouter, HTTPException, Request
from fastapi.responses import FileResponse, JSONResponse, Response

from contracts.errors import ApiError
from mock_server import fixtures
from mock_server.animate import Context
from mock_server.app import Services
from mock_server.control_store import Fault
from mock_server.dispatcher import Outcome, fault_error, parse_tasks

router = APIRouter()


def services(request: Request) -> Services:
    return request.app.state.services


def _error(err: ApiError) -> JSONResponse:
    return JSONResponse({"errors": [err.item()]}, status_code=err.status)


def base_url(request: Request, svc: Services) -> str:
    return svc.settings.public_url.rstrip("/") or str(request.base_url).rstrip("/")


def authenticate(tasks: list[Any], header: str | None, svc: Services) -> tuple[str, list[Any]]:
    """The API key (Bearer header, or a leading authentication task) and the other tasks.

    A leading authentication task must carry a valid key even when a header is sent."""
    key: Any = None
    if header and header.lower().startswith("bearer "):
        key = header[7:].strip()
    first = tasks[0]
    if isinstance(first, dict) and first.get("taskType") == "authentication":
        if not svc.settings.key_ok(first.get("apiKey")):
            raise ApiError("invalidApiKey", "apiKey", task_type="authentication")
        key = key or first["apiKey"]
        tasks = tasks[1:]
    if not svc.settings.key_ok(key):
        raise ApiError("invalidApiKey", "apiKey", task_type="authentication")
    return key, tasks


@router.post("/v1")
async def post_tasks(request: Request) -> Response:
    svc = services(request)
    raw = await request.body()
    try:
        tasks = parse_tasks(raw)
        key, tasks = authenticate(tasks, request.headers.get("authorization"), svc)
    except ApiError as err:
        svc.store.journal_add("rest", None, None, None, raw.decode("utf-8", "replace"), "invalid", [err.code])
        return _error(err)
    dry_run = request.headers.get("x-runware-dry-run", "").strip().lower() in ("1", "true")
    ctx = Context(key, "rest", base_url(request, svc), dry_run)
    for task in tasks:
        fault = svc.dispatcher.take_fault(task, ctx)
        if fault is None:
            continue
        if fault.action == "latency":
            await asyncio.sleep(fault.latency)
            break
        return _fault_response(fault, task)
    outcome: Outcome = await svc.dispatcher.run(tasks, ctx)
    return JSONResponse(outcome.envelope(), status_code=outcome.status)


def _fault_response(fault: Fault, task: Any) -> Response:
    """What an injected fault answers over REST (the whole request fails)."""
    if fault.action == "error":
        err = fault_error(fault, task)
        return JSONResponse({"errors": [err.item()]}, status_code=err.status)
    if fault.action == "malformed":
        return Response("<html><body>upstream error</body></html>", status_code=fault.status or 200,
                        media_type="application/json")
    return Response(b"", status_code=502)  # "close": REST has no socket to drop mid-task


@router.get("/health")
async def health() -> dict[str, str]:
    return {"status": "ok"}


@router.api_route("/media/{filename}", methods=["GET", "HEAD"])
async def media(filename: str, request: Request) -> FileResponse:
    """An upload or output. Starlette's FileResponse answers Range requests (browsers seek)."""
    svc = services(request)
    row = svc.store.media_by_filename(filename)
    if row is None or (row.expires_at is not None and row.expires_at <= time.time()):
        raise HTTPException(404, "not found")
    path = svc.store.media_path(row.filename)
    if not path.exists():
        raise HTTPException(404, "not found")
    return FileResponse(path, media_type=row.content_type)


@router.api_route("/fixtures/{name}", methods=["GET", "HEAD"])
async def fixture(name: str, request: Request) -> FileResponse:
    """Source media for offline examples, rendered on first request."""
    svc = services(request)
    try:
        path = await _ensure_fixture(svc, name)
    except KeyError:
        raise HTTPException(404, f"no fixture {name}; known: {', '.join(fixtures.names())}") from None
    return FileResponse(path, media_type=fixtures.CONTENT_TYPES.get(path.suffix, "application/octet-stream"))


async def _ensure_fixture(svc: Services, name: str) -> Path:
    return await asyncio.to_thread(fixtures.ensure, svc.store.data_dir / "fixtures", name)
