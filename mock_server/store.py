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
from mock_server.control_store import ControlStore

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
CREATE TABLE IF NOT EXISTS ws_sessions (
    session_uuid TEXT PRIMARY KEY,
    api_key      TEXT NOT NULL,
    last_seen    REAL NOT NULL
);
CREATE TABLE IF NOT EXISTS undelivered (
    id           INTEGER PRIMARY KEY AUTOINCREMENT,
    session_uuid TEXT NOT NULL,
    frame        TEXT NOT NULL,
    expires_at   REAL NOT NULL
);
CREATE TABLE IF NOT EXISTS deliveries (
    id         INTEGER PRIMARY KEY AUTOINCREMENT,
    task_uuid  TEXT NOT NULL,
    kind       TEXT NOT NULL,           -- webhook | upload
    url        TEXT NOT NULL,
    attempt    INTEGER NOT NULL,
    at         REAL NOT NULL,
    status     INTEGER,                 -- HTTP status, NULL when no answer
    error      TEXT,
    ok         INTEGER NOT NULL
);
CREATE INDEX IF NOT EXISTS deliveries_task ON deliveries(task_uuid);
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


class SessionStore:
    """Mixin of :class:`Store`: WebSocket sessions and the results they could not receive."""

    _db: sqlite3.Connection
    _lock: threading.RLock

    #: Sessions seen but not yet written (every WebSocket authenticates, few ever resume):
    #: written by the store's background writer, flushed before any read.
    _sessions_pending: dict[str, tuple[str, float]]

    def touch_session(self, session_uuid: str, api_key: str) -> None:
        self._sessions_pending[session_uuid] = (api_key, time.time())  # atomic under the GIL

    def flush_sessions(self) -> None:
        with self._lock:
            pending, self._sessions_pending = self._sessions_pending, {}
            if pending:
                self._db.executemany(
                    "INSERT INTO ws_sessions (session_uuid, api_key, last_seen) VALUES (?,?,?)"
                    " ON CONFLICT(session_uuid) DO UPDATE SET last_seen=excluded.last_seen",
                    [(uuid_, key, seen) for uuid_, (key, seen) in pending.items()],
                )

    def session_key(self, session_uuid: str, max_age: float) -> str | None:
        """The API key of a session seen within ``max_age`` seconds, else None."""
        self.flush_sessions()
        with self._lock:
            row = self._db.execute(
                "SELECT api_key FROM ws_sessions WHERE session_uuid=? AND last_seen>=?",
                (session_uuid, time.time() - max_age),
            ).fetchone()
        return row[0] if row else None

    def keep_undelivered(self, session_uuid: str, frame: dict[str, Any], keep_for: float) -> None:
        with self._lock:
            self._db.execute(
                "INSERT INTO undelivered (session_uuid, frame, expires_at) VALUES (?,?,?)",
                (session_uuid, json.dumps(frame), time.time() + keep_for),
            )

    def take_undelivered(self, session_uuid: str) -> list[dict[str, Any]]:
        """Frames kept for a session and not expired, oldest first; they are removed."""
        with self._lock:
            rows = self._db.execute(
                "SELECT id, frame FROM undelivered WHERE session_uuid=? AND expires_at>? ORDER BY id",
                (session_uuid, time.time()),
            ).fetchall()
            self._db.execute("DELETE FROM undelivered WHERE session_uuid=? OR expires_at<=?",
                             (session_uuid, time.time()))
        return [json.loads(frame) for _, frame in rows]

    # -- webhook and upload attempts ------------------------------------------------------

    def record_delivery(
        self, task_uuid: str, kind: str, url: str, attempt: int, status: int | None, error: str | None, ok: bool
    ) -> None:
        with self._lock:
            self._db.execute(
                "INSERT INTO deliveries (task_uuid, kind, url, attempt, at, status, error, ok) VALUES (?,?,?,?,?,?,?,?)",
                (task_uuid, kind, url, attempt, time.time(), status, error, int(ok)),
            )

    def deliveries(self, task_uuid: str | None = None) -> list[dict[str, Any]]:
        query = "SELECT task_uuid, kind, url, attempt, at, status, error, ok FROM deliveries"
        args: tuple[Any, ...] = ()
        if task_uuid:
            query, args = query + " WHERE task_uuid=?", (task_uuid,)
        with self._lock:
            rows = self._db.execute(query + " ORDER BY id", args).fetchall()
        keys = ("taskUUID", "kind", "url", "attempt", "at", "status", "error", "ok")
        return [{**dict(zip(keys, row)), "ok": bool(row[7])} for row in rows]


class Store(SessionStore, ControlStore):
    """Thread-safe access to the database and the media folder."""

    def __init__(self, data_dir: Path) -> None:
        self.data_dir = Path(data_dir)
        self.media_dir = self.data_dir / "media"
        self.media_dir.mkdir(parents=True, exist_ok=True)
        self._lock = threading.RLock()
        self._db = sqlite3.connect(self.data_dir / "runware-mock.sqlite3", check_same_thread=False, isolation_level=None)
        self._db.execute("PRAGMA journal_mode=WAL")
        # WAL + NORMAL: no fsync per write; a crash of the process loses nothing, a power cut
        # may lose the last transactions (acceptable for a fake, and 10x faster).
        self._db.execute("PRAGMA synchronous=NORMAL")
        self._db.executescript(SCHEMA)
        self._init_control()
        self._sessions_pending = {}
        self._writer_wake = threading.Event()
        self._writer_stop = False
        threading.Thread(target=self._writer, name="store-writer", daemon=True).start()
        self._sweep_temp_files()

    def _sweep_temp_files(self) -> None:
        # A crash mid-render leaves only dot-prefixed temp files; they are never served.
        for leftover in self.media_dir.glob(".*.tmp"):
            leftover.unlink(missing_ok=True)

    def reset(self) -> None:
        """Forget everything: tasks, media, sessions, journal, faults, rules."""
        with self._lock:
            for table in ("tasks", "media", "ws_sessions", "undelivered", "deliveries", "journal", "faults",
                          "job_rules"):
                self._db.execute(f"DELETE FROM {table}")
            self._armed_faults = self._armed_rules = 0
            self._journal_pending = []
            self._sessions_pending = {}
        for path in self.media_dir.iterdir():
            if path.is_file():
                path.unlink(missing_ok=True)

    #: How often the background writer writes buffered journal entries and sessions.
    WRITE_BEHIND_SECONDS = 0.25

    def _writer(self) -> None:
        """Write-behind for the hot path's bookkeeping (journal, sessions), off the event loop."""
        while not self._writer_stop:
            self._writer_wake.wait(self.WRITE_BEHIND_SECONDS)
            try:
                self.flush_pending()
            except sqlite3.ProgrammingError:  # closed under us
                return

    def flush_pending(self) -> None:
        self.journal_flush()
        self.flush_sessions()

    def close(self) -> None:
        self._writer_stop = True
        self._writer_wake.set()
        with self._lock:
            self.flush_pending()
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
