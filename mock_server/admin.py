"""The control API under ``/__admin/``: what the fake saw and did, for tests and the kit."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Request

router = APIRouter(prefix="/__admin", tags=["admin"])


@router.get("/deliveries")
async def deliveries(request: Request, taskUUID: str | None = None) -> dict[str, Any]:
    """Every webhook POST and upload PUT attempt: status, time, error."""
    return {"deliveries": request.app.state.services.store.deliveries(taskUUID)}
