"""The control API under ``/__admin/``: what the fake saw, what it should do next.

Separate from the service API (as moto keeps its control API apart): nothing here is
part of Runware's contract, and ``/openapi.json`` does not describe it.
"""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, HTTPException, Request

from contracts.admin import FaultPlan, JobRule, TimeScale
from contracts.errors import CATALOGUE

router = APIRouter(prefix="/__admin", include_in_schema=False)


def _svc(request: Request):
    return request.app.state.services


@router.get("/deliveries")
async def deliveries(request: Request, taskUUID: str | None = None) -> dict[str, Any]:
    """Every webhook POST and upload PUT attempt: status, time, error."""
    return {"deliveries": _svc(request).store.deliveries(taskUUID)}


@router.get("/journal")
async def journal(request: Request, taskUUID: str | None = None, apiKey: str | None = None,
                  since: float | None = None, until: float | None = None) -> dict[str, Any]:
    """Every task received, with the fake's verdict, oldest first."""
    return {"journal": _svc(request).store.journal(taskUUID, apiKey, since, until)}


@router.delete("/journal")
async def clear_journal(request: Request) -> dict[str, Any]:
    _svc(request).store.journal_clear()
    return {"cleared": True}


def _known_code(code: str | None) -> None:
    if code is not None and code not in CATALOGUE:
        raise HTTPException(422, f"unknown error code {code!r}; see contracts/errors.py")


@router.post("/faults")
async def add_fault(plan: FaultPlan, request: Request) -> dict[str, Any]:
    _known_code(plan.code)
    fault = _svc(request).store.fault_add(plan.action, plan.count, plan.taskType, plan.transport, plan.status,
                                          plan.code, plan.latency)
    return fault.wire()


@router.get("/faults")
async def list_faults(request: Request) -> dict[str, Any]:
    return {"faults": [f.wire() for f in _svc(request).store.faults()]}


@router.delete("/faults")
async def clear_faults(request: Request) -> dict[str, Any]:
    _svc(request).store.faults_clear()
    return {"cleared": True}


@router.post("/jobs")
async def add_job_rule(rule: JobRule, request: Request) -> dict[str, Any]:
    _known_code(rule.error)
    return _svc(request).store.job_rule_add(rule.count, rule.taskUUID, rule.polls, rule.seconds, rule.error)


@router.get("/jobs")
async def list_job_rules(request: Request) -> dict[str, Any]:
    return {"rules": _svc(request).store.job_rules()}


@router.delete("/jobs")
async def clear_job_rules(request: Request) -> dict[str, Any]:
    _svc(request).store.job_rules_clear()
    return {"cleared": True}


@router.get("/time-scale")
async def get_time_scale(request: Request) -> dict[str, float]:
    return {"timeScale": _svc(request).settings.time_scale}


@router.put("/time-scale")
async def set_time_scale(body: TimeScale, request: Request) -> dict[str, float]:
    _svc(request).settings.time_scale = body.timeScale
    return {"timeScale": body.timeScale}


@router.post("/reset")
async def reset(request: Request) -> dict[str, Any]:
    _svc(request).store.reset()
    return {"reset": True}
