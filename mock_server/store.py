"""The one home of all state: a SQLite database plus a media folder in a data directory.

Tasks (the request, its status and its results), media (uploads, fetched inputs and
outputs) and delivery attempts survive a restart. SQLite comes from the standard
library, so there is nothing to install or configure.
"""

from __future__ import annotations

import json
import os
import sqlite3
import threading
import time
import uuid
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from contracts.errors import ApiError

SCHEMA = """
CREATE TABLE IF NOT EXISTS tasks (
    task_uuid   TEXT PRIMARY KEY,
    task_type   TEXT NOT NULL,
    api_key     TEXT,
    base_url    TEXT,                   -- where this task's outputs are served
    request     TEXT NOT NULL,
    created_at  REAL NOT NULL,
    ready_at    REAL,
    state       TEXT NOT NULL,          -- pending | done | failed
    results     TEXT,                   -- JSON list of result items
    error       TEXT                    -- JSON error item
);
CREATE TABLE IF NOT EXISTS media (
    media_uuid   TEXT PRIMARY KEY,
    kind         TEXT NOT NULL,         -- image | video | output
    filename     TEXT NOT NULL,
    content_type TEXT NOT NULL,
    digest       TEXT,
    created_at   REAL NOT NULL,
    expires_at   REAL
);
CREATE INDEX IF NOT EXISTS media_digest ON media(digest);
"""


def default_data_dir() -> Path:
    """A per-user default: ``$XDG_DATA_HOME/runware-mock`` or ``~/.local/share/runware-mock``."""
    base = os.environ.get("XDG_DATA_HOME") or str(Path.home() / ".local" / "share")
    return Path(base) / "runware-mock"


@dataclass(frozen=True)
class MediaRow:
    media_uuid: str
    kind: str
    filename: str
    content_type: str
    digest: str | None
    created_at: float
    expires_at: float | None


@dataclass(frozen=True)
class TaskRow:
    task_uuid: str
    task_type: str
    api_key: str | None
    base_url: str
    request: dict[str, Any]
    created_at: float
    ready_at: float | None
    state: str
    results: list[dict[str, Any]] | None
    error: dict[str, Any] | None


class Store:
    """Thread-safe access to the database and the media folder."""

    def __init__(self, data_dir: Path) -> None:
        self.data_dir = Path(data_dir)
        self.media_dir = self.data_dir / "media"
        self.media_dir.mkdir(parents=True, exist_ok=True)
        self._lock = threading.RLock()
        self._db = sqlite3.connect(self.data_dir / "runware-mock.sqlite3", check_same_thread=False, isolation_level=None)
        self._db.execute("PRAGMA journal_mode=WAL")
        self._db.executescript(SCHEMA)
        self._sweep_temp_files()

    def _sweep_temp_files(self) -> None:
        # A crash mid-render leaves only dot-prefixed temp files; they are never served.
        for leftover in self.media_dir.glob(".*.tmp"):
            leftover.unlink(missing_ok=True)

    def close(self) -> None:
        with self._lock:
            self._db.close()

    # -- tasks --------------------------------------------------------------------------

    def create_task(
        self, task_uuid: str, task_type: str, api_key: str | None, request: dict[str, Any], base_url: str
    ) -> None:
        """Reserve a task UUID; a reused one is ``conflictTaskUUID``."""
        with self._lock:
            try:
                self._db.execute(
                    "INSERT INTO tasks (task_uuid, task_type, api_key, base_url, request, created_at, state)"
                    " VALUES (?,?,?,?,?,?,?)",
                    (task_uuid, task_type, api_key, base_url, json.dumps(request), time.time(), "pending"),
                )
            except sqlite3.IntegrityError:
                raise ApiError("conflictTaskUUID", "taskUUID", task_type=task_type, task_uuid=task_uuid) from None

    def finish_task(self, task_uuid: str, results: list[dict[str, Any]], ready_at: float) -> None:
        with self._lock:
            self._db.execute(
                "UPDATE tasks SET state='done', results=?, ready_at=? WHERE task_uuid=?",
                (json.dumps(results), ready_at, task_uuid),
            )

    def fail_task(self, task_uuid: str, error: dict[str, Any], ready_at: float) -> None:
        with self._lock:
            self._db.execute(
                "UPDATE tasks SET state='failed', error=?, ready_at=? WHERE task_uuid=?",
                (json.dumps(error), ready_at, task_uuid),
            )

    def get_task(self, task_uuid: str) -> TaskRow | None:
        with self._lock:
            row = self._db.execute(
                "SELECT task_uuid, task_type, api_key, base_url, request, created_at, ready_at, state, results, error"
                " FROM tasks WHERE task_uuid=?",
                (task_uuid,),
            ).fetchone()
        return _task(row) if row else None

    def pending_tasks(self) -> list[TaskRow]:
        with self._lock:
            rows = self._db.execute(
                "SELECT task_uuid, task_type, api_key, base_url, request, created_at, ready_at, state, results, error"
                " FROM tasks WHERE state='pending' ORDER BY created_at"
            ).fetchall()
        return [_task(r) for r in rows]

    # -- media --------------------------------------------------------------------------

    def media_path(self, filename: str) -> Path:
        return self.media_dir / filename

    def new_media_path(self, extension: str) -> tuple[str, Path]:
        media_uuid = str(uuid.uuid4())
        return media_uuid, self.media_dir / f"{media_uuid}.{extension}"

    def add_media(
        self,
        media_uuid: str,
        kind: str,
        filename: str,
        content_type: str,
        digest: str | None = None,
        expires_at: float | None = None,
    ) -> MediaRow:
        row = MediaRow(media_uuid, kind, filename, content_type, digest, time.time(), expires_at)
        with self._lock:
            self._db.execute(
                "INSERT INTO media (media_uuid, kind, filename, content_type, digest, created_at, expires_at)"
                " VALUES (?,?,?,?,?,?,?)",
                (row.media_uuid, row.kind, row.filename, row.content_type, row.digest, row.created_at, row.expires_at),
            )
        return row

    def get_media(self, media_uuid: str) -> MediaRow | None:
        with self._lock:
            row = self._db.execute(
                "SELECT media_uuid, kind, filename, content_type, digest, created_at, expires_at FROM media"
                " WHERE media_uuid=?",
                (media_uuid,),
            ).fetchone()
        return MediaRow(*row) if row else None

    def media_by_filename(self, filename: str) -> MediaRow | None:
        media_uuid = filename.rsplit(".", 1)[0]
        row = self.get_media(media_uuid)
        return row if row and row.filename == filename else None

    def delete_media(self, media_uuid: str) -> bool:
        row = self.get_media(media_uuid)
        if row is None:
            return False
        with self._lock:
            self._db.execute("DELETE FROM media WHERE media_uuid=?", (media_uuid,))
        self.media_path(row.filename).unlink(missing_ok=True)
        return True


def _task(row: tuple[Any, ...]) -> TaskRow:
    return TaskRow(
        task_uuid=row[0],
        task_type=row[1],
        api_key=row[2],
        base_url=row[3],
        request=json.loads(row[4]),
        created_at=row[5],
        ready_at=row[6],
        state=row[7],
        results=json.loads(row[8]) if row[8] else None,
        error=json.loads(row[9]) if row[9] else None,
    )
