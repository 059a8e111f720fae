"""How the conform kit runs a client under test: as a Python callable or a command line.

Both run in a child process, so a client that hangs is killed at its deadline and a
client that crashes cannot take the kit down with it.

- **Python callable** ``package.module:function``, called as
  ``function(job: dict, server: dict) -> str`` returning the video URL, or raising to
  report a failure. ``job`` holds only what the job asks for (``image``, ``video``, and
  any of ``resolution``, ``fps``, ``preserveAudio``, ``positivePrompt``, ``seed``);
  ``server`` holds ``restURL``, ``wsURL``, ``baseURL`` and ``apiKey``.
- **Command line template**, e.g. ``my-cli animate --job {job} --api {rest_url}``:
  placeholders ``{job}`` (path of a JSON file with the job), ``{image}``, ``{video}``,
  ``{resolution}``, ``{fps}``, ``{preserve_audio}``, ``{prompt}``, ``{seed}``, ``{rest_url}``,
  ``{ws_url}``, ``{base_url}``, ``{api_key}`` (absent values are empty strings). The last
  non-empty line of stdout is the video URL; a non-zero exit reports a failure.
"""

from __future__ import annotations

import json
import os
import shlex
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any


@dataclass(frozen=True)
class ClientOutcome:
    video_url: str | None
    error: str | None  # what the client reported (exception text, stderr tail)
    seconds: float
    hung: bool  # killed at the deadline

    @property
    def reported_failure(self) -> bool:
        return self.error is not None and not self.hung


class Adapter:
    name: str

    def command(self, job_file: Path, job: dict[str, Any], server: dict[str, str]) -> list[str]:
        raise NotImplementedError

    def run(self, job: dict[str, Any], server: dict[str, str], deadline: float) -> ClientOutcome:
        with tempfile.TemporaryDirectory(prefix="conform-job-") as tmp:
            job_file = Path(tmp) / "job.json"
            job_file.write_text(json.dumps({"job": job, "server": server}))
            started = time.monotonic()
            proc = subprocess.Popen(self.command(job_file, job, server), stdout=subprocess.PIPE,
                                    stderr=subprocess.PIPE, text=True, cwd=os.getcwd(),
                                    env={**os.environ, "PYTHONPATH": _pythonpath()})
            try:
                out, err = proc.communicate(timeout=deadline)
            except subprocess.TimeoutExpired:
                proc.kill()
                proc.communicate()
                return ClientOutcome(None, f"no answer within {deadline:g}s", time.monotonic() - started, True)
        seconds = time.monotonic() - started
        lines = [line.strip() for line in out.splitlines() if line.strip()]
        if proc.returncode != 0:
            return ClientOutcome(None, (err.strip() or out.strip())[-600:] or f"exit {proc.returncode}", seconds, False)
        return ClientOutcome(lines[-1] if lines else None, None if lines else "no video URL printed", seconds, False)


def _pythonpath() -> str:
    parts = [os.getcwd(), *sys.path]
    return os.pathsep.join(p for p in parts if p)


class PythonAdapter(Adapter):
    """``module:function`` run by ``python -m contracts.adapters``."""

    def __init__(self, target: str) -> None:
        if ":" not in target:
            raise ValueError(f"expected module:function, got {target!r}")
        self.target = target
        self.name = target

    def command(self, job_file: Path, job: dict[str, Any], server: dict[str, str]) -> list[str]:
        return [sys.executable, "-m", "contracts.adapters", self.target, str(job_file)]


class CommandAdapter(Adapter):
    def __init__(self, template: str) -> None:
        self.template = template
        self.name = template

    def command(self, job_file: Path, job: dict[str, Any], server: dict[str, str]) -> list[str]:
        values = {
            "job": str(job_file), "image": job.get("image", ""), "video": job.get("video", ""),
            "resolution": job.get("resolution", ""), "fps": job.get("fps", ""),
            "preserve_audio": job.get("preserveAudio", ""), "prompt": job.get("positivePrompt", ""),
            "seed": job.get("seed", ""), "rest_url": server["restURL"], "ws_url": server["wsURL"],
            "base_url": server["baseURL"], "api_key": server["apiKey"],
        }
        return [part.format(**{k: "" if v is None else str(v) for k, v in values.items()})
                for part in shlex.split(self.template)]


def adapter_for(python: str | None = None, command: str | None = None) -> Adapter:
    if bool(python) == bool(command):
        raise ValueError("give exactly one of a Python callable (module:function) or a command template")
    return PythonAdapter(python) if python else CommandAdapter(command or "")


def _main(argv: list[str]) -> int:
    """Child-process side of :class:`PythonAdapter`."""
    import importlib

    target, job_file = argv
    module_name, function_name = target.split(":", 1)
    payload = json.loads(Path(job_file).read_text())
    function = getattr(importlib.import_module(module_name), function_name)
    try:
        url = function(payload["job"], payload["server"])
    except Exception as exc:  # the client reported a failure: that is an outcome, not a crash
        print(f"{type(exc).__name__}: {exc}", file=sys.stderr)
        return 3
    print(url)
    return 0


if __name__ == "__main__":
    sys.exit(_main(sys.argv[1:]))
