"""Builds the fake: one store, one renderer, one dispatcher, shared by every transport."""

from __future__ import annotations

from contextlib import asynccontextmanager
from dataclasses import dataclass
from typing import AsyncIterator

import httpx
from fastapi import FastAPI

from contracts.openapi import openapi_document
from mock_server.animate import AnimateService
from mock_server.config import Settings
from mock_server.delivery import Deliverer
from mock_server.dispatcher import Dispatcher
from mock_server.inputs import InputResolver
from mock_server.media import Renderer
from mock_server.store import Store
from mock_server.uploads import UploadService


@dataclass
class Services:
    """Everything with state, created once per app and reachable from ``app.state.services``."""

    settings: Settings
    store: Store
    renderer: Renderer
    http: httpx.AsyncClient
    animate: AnimateService
    dispatcher: Dispatcher

    @classmethod
    def create(cls, settings: Settings) -> "Services":
        store = Store(settings.data_dir)
        renderer = Renderer()
        http = httpx.AsyncClient(follow_redirects=True)
        resolver = InputResolver(store, http)
        animate = AnimateService(settings, store, resolver, renderer, Deliverer(settings, store, http))
        dispatcher = Dispatcher(store, animate, UploadService(store, resolver))
        return cls(settings, store, renderer, http, animate, dispatcher)

    async def close(self) -> None:
        await self.animate.shutdown()
        await self.http.aclose()
        self.store.close()


def create_app(settings: Settings | None = None) -> FastAPI:
    """The ASGI app. Services start in the lifespan, so importing this module is free."""
    from mock_server import admin, rest, ws

    settings = settings or Settings()

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        services = Services.create(settings)
        app.state.services = services
        services.animate.resume_pending()
        try:
            yield
        finally:
            await services.close()

    app = FastAPI(
        title="runware-mock",
        summary="A faithful local fake of the Runware videoInference API for P-Video-Animate.",
        version="0.1.0",
        lifespan=lifespan,
    )
    app.openapi = lambda: openapi_document()  # type: ignore[method-assign]
    app.include_router(rest.router)
    app.include_router(ws.router)
    app.state.ws_hub = ws.SessionHub()
    app.include_router(admin.router)
    return app
