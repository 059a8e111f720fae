"""``webhookURL`` and ``uploadEndpoint``: pushing finished results to the client.

Each finished item is POSTed as JSON to the webhook; each finished file is PUT as raw
bytes to the upload endpoint. Non-2xx answers, timeouts and refused connections are
retried with doubling backoff a bounded number of times. Every attempt is recorded in
the store (``GET /__admin/deliveries``), so a test can see exactly what was tried.
"""

from __future__ import annotations

import asyncio
from typing import Any, Awaitable, Callable

import httpx

from contracts import choices
from mock_server.config import Settings
from mock_server.store import Store


class Deliverer:
    def __init__(self, settings: Settings, store: Store, http: httpx.AsyncClient) -> None:
        self.settings = settings
        self.store = store
        self.http = http

    async def deliver(
        self,
        task_uuid: str,
        webhook_url: str | None,
        upload_endpoint: str | None,
        items: list[dict[str, Any]],
    ) -> None:
        """Push every item (webhook) and every output file (upload), in order."""
        for item in items:
            if webhook_url:
                await self._attempts(task_uuid, "webhook", webhook_url,
                                     lambda item=item: self.http.post(webhook_url, json=item,
                                                                      timeout=choices.DELIVERY_TIMEOUT_SECONDS))
            if upload_endpoint and "videoUUID" in item:
                row = self.store.get_media(item["videoUUID"])
                if row is None:
                    continue
                data = self.store.media_path(row.filename).read_bytes()
                await self._attempts(task_uuid, "upload", upload_endpoint,
                                     lambda data=data, ctype=row.content_type: self.http.put(
                                         upload_endpoint, content=data, headers={"Content-Type": ctype},
                                         timeout=choices.DELIVERY_TIMEOUT_SECONDS))

    async def _attempts(
        self, task_uuid: str, kind: str, url: str, send: Callable[[], Awaitable[httpx.Response]]
    ) -> bool:
        delay = self.settings.delivery_first_backoff
        for attempt in range(1, choices.DELIVERY_ATTEMPTS + 1):
            status: int | None = None
            error: str | None = None
            try:
                response = await send()
                status = response.status_code
                if 200 <= status < 300:
                    self.store.record_delivery(task_uuid, kind, url, attempt, status, None, True)
                    return True
                error = f"HTTP {status}"
            except httpx.HTTPError as exc:
                error = f"{type(exc).__name__}: {exc}" if str(exc) else type(exc).__name__
            self.store.record_delivery(task_uuid, kind, url, attempt, status, error, False)
            if attempt < choices.DELIVERY_ATTEMPTS:
                await asyncio.sleep(delay)
                delay *= 2
        return False
