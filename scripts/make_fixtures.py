#!/usr/bin/env python3
"""Write the fixtures to disk: source media into fixtures/media/ (not committed) and the
example requests into fixtures/requests/ (committed; regenerate after changing
contracts/examples.py)."""

from __future__ import annotations

import json
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from contracts.examples import example_requests  # noqa: E402
from mock_server import fixtures  # noqa: E402


def main() -> None:
    media = ROOT / "fixtures" / "media"
    for name in fixtures.names():
        path = fixtures.ensure(media, name)
        print(f"{path.relative_to(ROOT)}  {path.stat().st_size} bytes")
    requests = ROOT / "fixtures" / "requests"
    requests.mkdir(parents=True, exist_ok=True)
    for name, tasks in example_requests().items():
        path = requests / f"{name}.json"
        path.write_text(json.dumps(tasks, indent=2) + "\n")
        print(f"{path.relative_to(ROOT)}")


if __name__ == "__main__":
    main()
