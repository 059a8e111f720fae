"""The Dockerfile, the CLI and the README's promises."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import time
from pathlib import Path

import httpx

from contracts.server import free_port

ROOT = Path(__file__).resolve().parent.parent


def _tool(name: str) -> str:
    found = shutil.which(name) or str(Path(sys.executable).parent / name)
    assert Path(found).exists(), f"{name} is not installed (it comes with the test extras)"
    return found


def test_dockerfile_passes_hadolint():
    result = subprocess.run([_tool("hadolint"), str(ROOT / "Dockerfile")], capture_output=True, text=True)
    assert result.returncode == 0, result.stdout + result.stderr


def test_dockerfile_runs_as_non_root_with_healthcheck_on_all_interfaces():
    text = (ROOT / "Dockerfile").read_text()
    assert "\nUSER 10001" in text and "--uid 10001" in text
    assert "HEALTHCHECK" in text and "/health" in text
    assert '"--host", "0.0.0.0"' in text
    assert text.startswith("#") and "FROM python:3.11-slim" in text


def test_ci_runs_the_readme_test_command():
    readme = (ROOT / "README.md").read_text()
    ci = (ROOT / ".ci" / "run").read_text()
    assert "make test" in ci and "make test" in readme and "make serve" in readme


def test_cli_serve_starts_and_prints_banner(tmp_path):
    port = free_port()
    env = {**os.environ, "XDG_DATA_HOME": str(tmp_path)}
    proc = subprocess.Popen(
        [_tool("runware-mock"), "serve", "--port", str(port), "--time-scale", "0"],
        stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, env=env,
    )
    try:
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            try:
                if httpx.get(f"http://127.0.0.1:{port}/health").status_code == 200:
                    break
            except httpx.TransportError:
                time.sleep(0.1)
        else:
            raise AssertionError("server did not come up")
        # The default data dir is per user (XDG), created on first start.
        assert (tmp_path / "runware-mock" / "runware-mock.sqlite3").exists()
    finally:
        proc.terminate()
        out, _ = proc.communicate(timeout=20)
    assert f"http://127.0.0.1:{port}/v1" in out
