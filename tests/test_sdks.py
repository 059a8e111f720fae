"""The official SDKs, unmodified, complete an animate task against the fake and get a
clean error for a bad key. The video each returns is downloaded and probed."""

from __future__ import annotations

import asyncio
import importlib.util
import sys
from fractions import Fraction
from pathlib import Path

import httpx
import pytest

from contracts.probe import Expected, check_output
from contracts.server import LiveServer
from mock_server import fixtures

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture(scope="module")
def keyed_server(tmp_path_factory):
    with LiveServer(tmp_path_factory.mktemp("sdk"), api_keys=frozenset({"good-key"})) as srv:
        yield srv


def _client(server: LiveServer, transport: str, key: str):
    from runware import Runware  # runware-sdk

    options = {"api_key": key, "validate": False}
    if transport == "rest":
        options.update(transport="rest", http_base_url=server.rest_url)
    else:
        options.update(ws_base_url=server.ws_url, max_reconnect_attempts=0)
    return Runware(**options)


async def _animate(server: LiveServer, transport: str, key: str, **fields) -> list[dict]:
    async with _client(server, transport, key) as client:
        return await client.run({
            "taskType": "videoInference",  # explicit: no lookup on Runware's schema host
            "model": "prunaai:p-video@animate",
            "inputs": {"referenceImages": [server.fixture_url("character-portrait.png")],
                       "referenceVideos": [server.fixture_url("portrait-9x16.mp4")]},
            **fields,
        })


@pytest.mark.parametrize("transport", ["websocket", "rest"])
def test_runware_sdk_animates(keyed_server, tmp_path, transport):
    results = asyncio.run(asyncio.wait_for(
        _animate(keyed_server, transport, "good-key", resolution="1080p", fps=24, includeCost=True), 60))
    (item,) = results
    assert item["status"] == "success" and item["cost"] == pytest.approx(0.12)
    path = tmp_path / "sdk.mp4"
    path.write_bytes(httpx.get(item["videoURL"]).content)
    spec = fixtures.VIDEOS["portrait-9x16.mp4"]
    assert check_output(path, Expected("MP4", 1080, 1920, Fraction(24), spec.duration, True)) == []


@pytest.mark.parametrize("transport", ["websocket", "rest"])
def test_runware_sdk_bad_key_is_a_clean_error(keyed_server, transport):
    from runware import RunwareError

    with pytest.raises(RunwareError) as info:
        asyncio.run(asyncio.wait_for(_animate(keyed_server, transport, "wrong-key"), 30))
    assert "Invalid API key" in str(info.value)


@pytest.mark.parametrize("transport", ["websocket", "rest"])
def test_runware_sdk_sees_validation_errors(keyed_server, transport):
    from runware import RunwareError

    with pytest.raises(RunwareError) as info:
        asyncio.run(asyncio.wait_for(_animate(keyed_server, transport, "good-key", fps=30), 30))
    assert "fps" in str(info.value)


def _check_sdks_module():
    spec = importlib.util.spec_from_file_location("check_sdks", ROOT / "scripts" / "check_sdks.py")
    module = importlib.util.module_from_spec(spec)
    sys.modules["check_sdks"] = module
    spec.loader.exec_module(module)
    return module


@pytest.mark.parametrize("runner", ["legacy-python", "js"])
def test_sdks_in_their_own_environments(runner):
    """PyPI runware 0.5.24 and npm @runware/sdk-js 1.3 (built by scripts/check_sdks.py)."""
    check = _check_sdks_module()
    with LiveServer(time_scale=0.0, api_keys=frozenset({check.KEY})) as server:
        try:
            result = check.RUNNERS[runner](server)
        except check.EnvironmentUnavailable as exc:
            pytest.skip(f"{runner} SDK environment unavailable here: {exc}")
    assert result.ok, result.detail
