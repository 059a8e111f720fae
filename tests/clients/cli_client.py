"""A command-line client for the command adapter: ``python -m tests.clients.cli_client JOB``.
Prints the video URL; exits 1 on failure."""

from __future__ import annotations

import json
import sys
from pathlib import Path

from tests.clients.reference import AnimateFailed, animate

if __name__ == "__main__":
    payload = json.loads(Path(sys.argv[1]).read_text())
    try:
        print(animate(payload["job"], payload["server"]))
    except AnimateFailed as exc:
        print(f"failed: {exc}", file=sys.stderr)
        sys.exit(1)
