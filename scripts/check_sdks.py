#!/usr/bin/env python3
"""Run the official SDKs that cannot share the test suite's environment against the fake.

- PyPI ``runware`` 0.5.24 (same import name as ``runware-sdk``): installed into its own
  virtual environment;
- npm ``@runware/sdk-js`` 1.3.x (Node): installed into its own folder.

Both are cached under ``.sdk-envs/`` (ignored by git). Each SDK completes an animate task
over WebSocket, its ``videoURL`` is downloaded and probed against the contract, and a
wrong key must give a clean error. Exit status 0 only if every selected SDK passes.

    .venv/bin/python scripts/check_sdks.py [--only legacy-python|js]
"""

from __future__ import annotations

import argparse
import json
import shutil
import subprocess
import sys
import tempfile
import time
import venv
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

import httpx  # noqa: E402

from contracts.geometry import output_size  # noqa: E402
from contracts.probe import Expected, check_output  # noqa: E402
from contracts.server import LiveServer  # noqa: E402
from mock_server import fixtures  # noqa: E402

ENVS = ROOT / ".sdk-envs"
CHECKS = ROOT / "scripts" / "sdk_checks"
LEGACY_PIN = "runware==0.5.24"
JS_PIN = "@runware/sdk-js@~1.3.2"
KEY = "any-key"
IMAGE, VIDEO = "character-square.jpg", "square-noaudio.mp4"


class EnvironmentUnavailable(RuntimeError):
    """The SDK's environment could not be built here (no node, no registry)."""


@dataclass
class Result:
    sdk: str
    ok: bool
    detail: str
    seconds: float


def legacy_python_env() -> Path:
    python = ENVS / "legacy-python" / "bin" / "python"
    if not python.exists():
        venv.create(ENVS / "legacy-python", with_pip=True)
        done = subprocess.run([str(python), "-m", "pip", "install", "--quiet", LEGACY_PIN],
                              capture_output=True, text=True, timeout=600)
        if done.returncode != 0:
            shutil.rmtree(ENVS / "legacy-python", ignore_errors=True)
            raise EnvironmentUnavailable(f"pip install {LEGACY_PIN} failed: {done.stderr.strip()[-300:]}")
    return python


def js_env() -> Path:
    node, npm = shutil.which("node"), shutil.which("npm")
    if not node or not npm:
        raise EnvironmentUnavailable("node/npm are not installed")
    folder = ENVS / "js"
    if not (folder / "node_modules" / "@runware" / "sdk-js").exists():
        folder.mkdir(parents=True, exist_ok=True)
        (folder / "package.json").write_text('{"name": "runware-mock-sdk-check", "private": true, "type": "module"}\n')
        done = subprocess.run([npm, "install", "--silent", "--no-audit", "--no-fund", JS_PIN],
                              cwd=folder, capture_output=True, text=True, timeout=600)
        if done.returncode != 0:
            raise EnvironmentUnavailable(f"npm install {JS_PIN} failed: {done.stderr.strip()[-300:]}")
    shutil.copy(CHECKS / "js_check.mjs", folder / "js_check.mjs")
    return folder


def _verify(sdk: str, server: LiveServer, out: dict, started: float) -> Result:
    seconds = time.monotonic() - started
    if not out.get("ok"):
        return Result(sdk, False, f"no video: {out}", seconds)
    if not out.get("badKeyError") or "invalidApiKey" not in out["badKeyError"] and "Invalid API key" not in out["badKeyError"]:
        return Result(sdk, False, f"a wrong key did not give a clean invalidApiKey error: {out.get('badKeyError')}", seconds)
    spec = fixtures.VIDEOS[VIDEO]
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "out.mp4"
        path.write_bytes(httpx.get(out["videoURL"], timeout=60).content)
        width, height = output_size(spec.width, spec.height, "720p", spec.rotation)
        problems = check_output(path, Expected("MP4", width, height, spec.rate, spec.duration, spec.audio is not None))
    if problems:
        return Result(sdk, False, "video breaks the contract: " + "; ".join(problems), seconds)
    return Result(sdk, True, f"video {width}x{height} OK; wrong key -> {out['badKeyError'][:80]}", seconds)


def run_legacy_python(server: LiveServer) -> Result:
    python = legacy_python_env()
    started = time.monotonic()
    done = subprocess.run([str(python), str(CHECKS / "legacy_python.py"), server.ws_url,
                           server.fixture_url(IMAGE), server.fixture_url(VIDEO), "--bad-key-url", server.ws_url],
                          capture_output=True, text=True, timeout=300)
    if done.returncode != 0:
        return Result("runware 0.5.24 (ws)", False, done.stderr.strip()[-800:], time.monotonic() - started)
    return _verify("runware 0.5.24 (ws)", server, json.loads(done.stdout.strip().splitlines()[-1]), started)


def run_js(server: LiveServer) -> Result:
    folder = js_env()
    started = time.monotonic()
    done = subprocess.run(["node", "js_check.mjs", server.ws_url, server.fixture_url(IMAGE),
                           server.fixture_url(VIDEO), server.ws_url],
                          cwd=folder, capture_output=True, text=True, timeout=300)
    if done.returncode != 0:
        return Result("@runware/sdk-js 1.3 (ws)", False, done.stderr.strip()[-800:], time.monotonic() - started)
    return _verify("@runware/sdk-js 1.3 (ws)", server, json.loads(done.stdout.strip().splitlines()[-1]), started)


RUNNERS = {"legacy-python": run_legacy_python, "js": run_js}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--only", choices=sorted(RUNNERS), action="append")
    args = parser.parse_args()
    failed = False
    with LiveServer(time_scale=0.0, api_keys=frozenset({KEY})) as server:
        for name in args.only or sorted(RUNNERS):
            try:
                result = RUNNERS[name](server)
            except EnvironmentUnavailable as exc:
                print(f"SKIP {name}: {exc}")
                continue
            failed |= not result.ok
            print(f"{'PASS' if result.ok else 'FAIL'} {result.sdk} in {result.seconds:.1f}s: {result.detail}")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
