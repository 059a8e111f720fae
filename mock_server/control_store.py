"""The control side of the store: the request journal, fault plans and job lifecycle rules.

A mixin of :class:`mock_server.store.Store`, so there is still one store object and
one database; this module only keeps the control tables' SQL apart from the service's.
"""

from __future__ import annotations

import json
import sqlite3
import threading
import time
from dataclasses import dataclass
from typing import Any

CONTROL_SCHEMA = """
CREATE TABLE IF NOT EXISTS journal (
    id         INTEGER PRIMARY KEY AUTOINCREMENT,
    at         REAL NOT NULL,
    transport  TEXT NOT NULL,            -- rest | ws
    api_key    TEXT,
    task_uuid  TEXT,
    task_type  TEXT,
    body       TEXT NOT NULL,            -- the task as received (JSON), or the raw frame
    verdict    TEXT NOT NULL,            -- valid | invalid | fault
    codes      TEXT NOT NULL             -- JSON list of error codes answered
);
CREATE INDEX IF NOT EXISTS journal_task ON journal(task_uuid);
CREATE TABLE IF NOT EXISTS faults (
    id         INTEGER PRIMARY KEY AUTOINCREMENT,
    task_type  TEXT,                     -- NULL matches any
    transport  TEXT,                     -- NULL matches any
    remaining  INTEGER NOT NULL,
    action     TEXT NOT NULL,            -- error | latency | close | malformed
    status     INTEGER,
    code       TEXT,
    latency    REAL NOT NULL DEFAULT 0
);
CREATE TABLE IF NOT EXISTS job_rules (
    id         INTEGER PRIMARY KEY AUTOINCREMENT,
    task_uuid  TEXT,                     -- NULL: the next tasks, whatever their UUID
    remaining  INTEGER NOT NULL,
    polls      INTEGER NOT NULL DEFAULT 0,
    seconds    REAL NOT NULL DEFAULT 0,
    error      TEXT                      -- NULL: success after the hold
);
"""

#: Columns added to ``tasks`` for the lifecycle rules (older data dirs get them on open).
TASK_HOLD_COLUMNS = {
    "polls": "INTEGER NOT NULL DEFAULT 0",
    "hold_polls": "INTEGER NOT NULL DEFAULT 0",
    "hold_until": "REAL",
    "forced_error": "TEXT",
}


@dataclass(frozen=True)
class Fault:
    """One planned misbehaviour: the next ``remaining`` matching tasks get ``action``."""

    id: int
    task_type: str | None
    transport: str | None
    remaining: int
    action: str
    status: int | None = None
    code: str | None = None
    latency: float = 0.0

    def wire(self) -> dict[str, Any]:
        return {"id": self.id, "taskType": self.task_type, "transport": self.transport, "remaining": self.remaining,
                "action": self.action, "status": self.status, "code": self.code, "latency": self.latency}


@dataclass(frozen=True)
class Hold:
    """What a job rule imposes on one task."""

    polls: int
    until: float | None
    error: str | None


class ControlStore:
    _db: sqlite3.Connection
    _lock: threading.RLock

    #: Remaining uses of all faults / job rules. Kept beside the tables so the hot path
    #: (every task checks both) costs no query while nothing is planned.
    _armed_faults: int
    _armed_rules: int
    #: Journal rows not yet written. The journal sits on every task's path, so recording
    #: only appends here; the store's background writer serialises and writes them in
    #: batches (off the event loop), and every read flushes first.
    _journal_pending: list[tuple[Any, ...]]

    def _init_control(self) -> None:
        self._db.executescript(CONTROL_SCHEMA)
        self._armed_faults = self._db.execute("SELECT COALESCE(SUM(remaining), 0) FROM faults").fetchone()[0]
        self._armed_rules = self._db.execute("SELECT COALESCE(SUM(remaining), 0) FROM job_rules").fetchone()[0]
        existing = {row[1] for row in self._db.execute("PRAGMA table_info(tasks)")}
        for column, decl in TASK_HOLD_COLUMNS.items():
            if column not in existing:
                self._db.execute(f"ALTER TABLE tasks ADD COLUMN {column} {decl}")
        self._journal_pending = []

    # -- journal ---------------------------------------------------------------------------

    def journal_add(self, transport: str, api_key: str | None, task_uuid: str | None, task_type: str | None,
                    body: Any, verdict: str, codes: list[str], at: float | None = None) -> None:
        """Record a task and the fake's verdict; ``at`` is when it arrived (entries are
        listed in arrival order even when a slow task is answered after a fast one)."""
        # list.append is atomic under the GIL: no lock on the hot path.
        self._journal_pending.append((at or time.time(), transport, api_key, task_uuid, task_type, body, verdict,
                                      codes))

    def journal_flush(self) -> None:
        with self._lock:
            pending, self._journal_pending = self._journal_pending, []
            if pending:
                rows = [(at, transport, key, task_uuid, task_type,
                         (body if isinstance(body, str) else json.dumps(body))[:100_000], verdict, json.dumps(codes))
                        for at, transport, key, task_uuid, task_type, body, verdict, codes in pending]
                self._db.executemany(
                    "INSERT INTO journal (at, transport, api_key, task_uuid, task_type, body, verdict, codes)"
                    " VALUES (?,?,?,?,?,?,?,?)", rows)

    def journal(self, task_uuid: str | None = None, api_key: str | None = None, since: float | None = None,
                until: float | None = None) -> list[dict[str, Any]]:
        clauses, args = [], []
        for column, value, op in (("task_uuid", task_uuid, "="), ("api_key", api_key, "="),
                                  ("at", since, ">="), ("at", until, "<=")):
            if value is not None:
                clauses.append(f"{column} {op} ?")
                args.append(value)
        where = f" WHERE {' AND '.join(clauses)}" if clauses else ""
        with self._lock:
            self.journal_flush()
            rows = self._db.execute(
                "SELECT id, at, transport, api_key, task_uuid, task_type, body, verdict, codes FROM journal"
                + where + " ORDER BY at, id", args).fetchall()
        entries = []
        for row in rows:
            try:
                body = json.loads(row[6])
            except ValueError:
                body = row[6]
            entries.append({"id": row[0], "at": row[1], "transport": row[2], "apiKey": row[3], "taskUUID": row[4],
                            "taskType": row[5], "body": body, "verdict": row[7], "codes": json.loads(row[8])})
        return entries

    def journal_clear(self) -> None:
        with self._lock:
            self._journal_pending = []
            self._db.execute("DELETE FROM journal")

    # -- faults ----------------------------------------------------------------------------

    def fault_add(self, action: str, count: int, task_type: str | None = None, transport: str | None = None,
                  status: int | None = None, code: str | None = None, latency: float = 0.0) -> Fault:
        with self._lock:
            cursor = self._db.execute(
                "INSERT INTO faults (task_type, transport, remaining, action, status, code, latency)"
                " VALUES (?,?,?,?,?,?,?)", (task_type, transport, count, action, status, code, latency))
            fault_id = cursor.lastrowid
            self._armed_faults += count
        return Fault(int(fault_id or 0), task_type, transport, count, action, status, code, latency)

    def faults(self) -> list[Fault]:
        with self._lock:
            rows = self._db.execute(
                "SELECT id, task_type, transport, remaining, action, status, code, latency FROM faults"
                " WHERE remaining > 0 ORDER BY id").fetchall()
        return [Fault(*row) for row in rows]

    def fault_take(self, task_type: str | None, transport: str) -> Fault | None:
        """Consume one use of the oldest fault matching this task, if any."""
        if not self._armed_faults:
            return None
        with self._lock:
            row = self._db.execute(
                "SELECT id, task_type, transport, remaining, action, status, code, latency FROM faults"
                " WHERE remaining > 0 AND (task_type IS NULL OR task_type = ?) AND (transport IS NULL OR transport = ?)"
                " ORDER BY id LIMIT 1", (task_type, transport)).fetchone()
            if row is None:
                return None
            self._db.execute("UPDATE faults SET remaining = remaining - 1 WHERE id = ?", (row[0],))
            self._armed_faults -= 1
        return Fault(*row)

    def faults_clear(self) -> None:
        with self._lock:
            self._db.execute("DELETE FROM faults")
            self._armed_faults = 0

    # -- job lifecycle ---------------------------------------------------------------------

    def job_rule_add(self, count: int = 1, task_uuid: str | None = None, polls: int = 0, seconds: float = 0.0,
                     error: str | None = None) -> dict[str, Any]:
        with self._lock:
            cursor = self._db.execute(
                "INSERT INTO job_rules (task_uuid, remaining, polls, seconds, error) VALUES (?,?,?,?,?)",
                (task_uuid, count, polls, seconds, error))
            self._armed_rules += count
        return {"id": cursor.lastrowid, "taskUUID": task_uuid, "remaining": count, "polls": polls,
                "seconds": seconds, "error": error}

    def job_rules(self) -> list[dict[str, Any]]:
        with self._lock:
            rows = self._db.execute("SELECT id, task_uuid, remaining, polls, seconds, error FROM job_rules"
                                    " WHERE remaining > 0 ORDER BY id").fetchall()
        return [{"id": r[0], "taskUUID": r[1], "remaining": r[2], "polls": r[3], "seconds": r[4], "error": r[5]}
                for r in rows]

    def job_rules_clear(self) -> None:
        with self._lock:
            self._db.execute("DELETE FROM job_rules")
            self._armed_rules = 0

    def apply_job_rule(self, task_uuid: str) -> Hold | None:
        """Attach the first matching rule (this UUID first, then any) to a new task."""
        if not self._armed_rules:
            return None
        with self._lock:
            row = self._db.execute(
                "SELECT id, polls, seconds, error FROM job_rules WHERE remaining > 0"
                " AND (task_uuid = ? OR task_uuid IS NULL) ORDER BY task_uuid IS NULL, id LIMIT 1",
                (task_uuid,)).fetchone()
            if row is None:
                return None
            self._db.execute("UPDATE job_rules SET remaining = remaining - 1 WHERE id = ?", (row[0],))
            self._armed_rules -= 1
            until = time.time() + row[2] if row[2] else None
            self._db.execute("UPDATE tasks SET hold_polls = ?, hold_until = ?, forced_error = ? WHERE task_uuid = ?",
                             (row[1], until, row[3], task_uuid))
        return Hold(row[1], until, row[3])

    def count_poll(self, task_uuid: str) -> int:
        """Record one getResponse for a task; return how many came before it."""
        with self._lock:
            row = self._db.execute("SELECT polls FROM tasks WHERE task_uuid = ?", (task_uuid,)).fetchone()
            self._db.execute("UPDATE tasks SET polls = polls + 1 WHERE task_uuid = ?", (task_uuid,))
        return int(row[0]) if row else 0

    def hold_of(self, task_uuid: str) -> Hold | None:
        with self._lock:
            row = self._db.execute("SELECT hold_polls, hold_until, forced_error FROM tasks WHERE task_uuid = ?",
                                   (task_uuid,)).fetchone()
        if row is None or (not row[0] and row[1] is None and row[2] is None):
            return None
        return Hold(row[0], row[1], row[2])


