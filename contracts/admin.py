"""The control API's wire models and a small Python client for it.

The fake serves these under ``/__admin/`` (see ``mock_server/admin.py``); tests, the
conform kit and the pytest fixture drive the fake through :class:`Admin`.
"""

from __future__ import annotations

from typing import Any, Literal

import httpx
from pydantic import BaseModel, ConfigDict, Field

FaultAction = Literal["error", "latency", "close", "malformed"]


class FaultPlan(BaseModel):
    """The next ``count`` requests matching ``taskType``/``transport`` get ``action``.

    - ``error``: answer HTTP ``status`` with error ``code`` (either may be left out);
    - ``latency``: answer normally after ``latency`` seconds;
    - ``close``: close the WebSocket without answering (REST: an empty 502);
    - ``malformed``: answer a body that is not JSON (HTTP ``status``, default 200).
    """

    model_config = ConfigDict(extra="forbid")
    action: FaultAction
    count: int = Field(1, ge=1)
    taskType: str | None = None
    transport: Literal["rest", "ws"] | None = None
    status: int | None = Field(None, ge=200, le=599)
    code: str | None = None
    latency: float = Field(0.0, ge=0, le=600)


class JobRule(BaseModel):
    """The next ``count`` animate tasks (or the one with ``taskUUID``) stay ``processing``
    for ``polls`` getResponse calls and/or ``seconds``, then succeed or fail with ``error``."""

    model_config = ConfigDict(extra="forbid")
    count: int = Field(1, ge=1)
    taskUUID: str | None = None
    polls: int = Field(0, ge=0)
    seconds: float = Field(0.0, ge=0)
    error: str | None = None


class TimeScale(BaseModel):
    model_config = ConfigDict(extra="forbid")
    timeScale: float = Field(ge=0)


class _Part:
    def __init__(self, http: httpx.Client) -> None:
        self._http = http

    def _ok(self, response: httpx.Response) -> Any:
        response.raise_for_status()
        return response.json() if response.content else None


class Journal(_Part):
    def entries(self, task_uuid: str | None = None, api_key: str | None = None, since: float | None = None,
                until: float | None = None) -> list[dict[str, Any]]:
        params = {k: v for k, v in {"taskUUID": task_uuid, "apiKey": api_key, "since": since, "until": until}.items()
                  if v is not None}
        return self._ok(self._http.get("/__admin/journal", params=params))["journal"]

    __call__ = entries

    def clear(self) -> None:
        self._ok(self._http.delete("/__admin/journal"))


class Faults(_Part):
    def add(self, action: FaultAction, count: int = 1, **fields: Any) -> dict[str, Any]:
        plan = FaultPlan(action=action, count=count, **fields)
        return self._ok(self._http.post("/__admin/faults", json=plan.model_dump(exclude_none=True)))

    def list(self) -> list[dict[str, Any]]:
        return self._ok(self._http.get("/__admin/faults"))["faults"]

    def clear(self) -> None:
        self._ok(self._http.delete("/__admin/faults"))


class Jobs(_Part):
    def hold(self, count: int = 1, **fields: Any) -> dict[str, Any]:
        rule = JobRule(count=count, **fields)
        return self._ok(self._http.post("/__admin/jobs", json=rule.model_dump(exclude_none=True)))

    def list(self) -> list[dict[str, Any]]:
        return self._ok(self._http.get("/__admin/jobs"))["rules"]

    def clear(self) -> None:
        self._ok(self._http.delete("/__admin/jobs"))


class Admin:
    """``Admin("http://127.0.0.1:8000")``: journal, faults, jobs, time scale, reset."""

    def __init__(self, base_url: str, timeout: float = 30) -> None:
        self._http = httpx.Client(base_url=base_url.rstrip("/"), timeout=timeout)
        self.journal = Journal(self._http)
        self.faults = Faults(self._http)
        self.jobs = Jobs(self._http)

    @property
    def time_scale(self) -> float:
        return float(self._http.get("/__admin/time-scale").json()["timeScale"])

    @time_scale.setter
    def time_scale(self, value: float) -> None:
        self._http.put("/__admin/time-scale", json={"timeScale": value}).raise_for_status()

    def deliveries(self, task_uuid: str | None = None) -> list[dict[str, Any]]:
        params = {"taskUUID": task_uuid} if task_uuid else {}
        return self._http.get("/__admin/deliveries", params=params).json()["deliveries"]

    def reset(self) -> None:
        """Forget all tasks, media, journal entries, faults and rules."""
        self._http.post("/__admin/reset").raise_for_status()

    def close(self) -> None:
        self._http.close()
