"""Shared fixtures: the fake runs once per session (the plugin's ``runware_mock``)."""

from __future__ import annotations

from typing import Any, Iterator

import httpx
import pytest
from hypothesis import settings as hypothesis_settings

from contracts import profiles

from contracts.examples import animate_task
from contracts.server import LiveServer

API_KEY = "test-key"

profiles.register()
hypothesis_settings.load_profile("ci")


@pytest.fixture(scope="session")
def server(runware_mock: LiveServer) -> LiveServer:
    return runware_mock


@pytest.fixture(scope="session")
def api(server: LiveServer) -> Iterator[httpx.Client]:
    with httpx.Client(base_url=server.base_url, headers={"Authorization": f"Bearer {API_KEY}"}, timeout=120) as client:
        yield client


@pytest.fixture(scope="session")
def image_url(server: LiveServer) -> str:
    return server.fixture_url("character-portrait.png")


@pytest.fixture(scope="session")
def video_url(server: LiveServer) -> str:
    return server.fixture_url("landscape-16x9-audio.mp4")


@pytest.fixture
def task(image_url: str, video_url: str):
    """Build the guide's task with overrides: ``task(resolution="1080p")``."""

    def build(**fields: Any) -> dict[str, Any]:
        return animate_task(image_url, video_url, **fields)

    return build


def post(api: httpx.Client, *tasks: Any) -> httpx.Response:
    return api.post("/v1", json=list(tasks))
