"""The default store: one SQLite file (``NBTRACE_DB``) shared by every kernel, script and the server.

WAL mode lets readers (the Sessions sidebar) read while kernels write; each
batch from the recorder is one transaction; ``busy_timeout`` makes concurrent
writers wait their turn instead of failing.
"""

from __future__ import annotations

import os
import threading
from typing import Any, Callable, Iterable, Sequence

from ..pipeline.assembly import PAYLOAD_FIELDS, implied_events
from ..pipeline.events import INTERRUPTED
from ..pipeline.serialize import decode_json, encode_json
from ..pipeline.timefmt import now_iso
from ..settings import DEFAULT_SESSION
from .base import PayloadForm, SessionInfo, TraceSummary, announce_new_session
from .schema import MIGRATIONS, SCHEMA_VERSION
from .sqlite_writes import connect, write_runs
from .writers import this_writer, writer_is_gone


class SqliteStore:
    shared = True  # other processes (the server, the CLI) read what it holds

    def __init__(self, path: str, *, timeout: float = 10.0) -> None:
        """Writes happen in this process; a kernel's runs are written by the store's helper
        process instead (``helper.HelperAssembly``), which this store's reads see."""
        self.path = path
        self.timeout = timeout
        directory = os.path.dirname(os.path.abspath(path))
        os.makedirs(directory, exist_ok=True)
        self._lock = threading.RLock()
        self._db = connect(path, timeout)
        self.writer = this_writer()
        self.migrate()
        self.create_session(DEFAULT_SESSION)

    # -- schema ------------------------------------------------------------------
    def schema_version(self) -> int:
        return int(self._db.execute("PRAGMA user_version").fetchone()[0])

    def migrate(self) -> None:
        with self._lock:
            self._db.execute("BEGIN IMMEDIATE")
            try:
                version = self.schema_version()
                if version > SCHEMA_VERSION:
                    raise RuntimeError(
                        f"{self.path} has schema version {version}; this nbtrace knows up to {SCHEMA_VERSION}. "
                        "Upgrade nbtrace, or point NBTRACE_DB at another file."
                    )
                for step in range(version, SCHEMA_VERSION):
                    for statement in MIGRATIONS[step]:
                        self._db.execute(statement)
                    self._db.execute(f"PRAGMA user_version = {step + 1}")
                self._db.execute("COMMIT")
            except BaseException:
                self._db.execute("ROLLBACK")
                raise

    # -- writes ------------------------------------------------------------------
    def write(self, changes: Sequence[tuple[str, dict[str, Any]]]) -> None:
        with self._lock:
            for name in write_runs(self._db, changes, self.writer, encode_json):
                announce_new_session(name)

    def sync(self) -> None:
        """Nothing to wait for: ``write`` returns once its batch is committed."""

    def close_orphaned_runs(self) -> int:
        """End as interrupted the open runs whose writing process has died; how many were closed.
        A kernel's helper ends them as the kernel goes, so this finds those whose helper died
        with it; it can only end them at the last time their trace was seen."""
        with self._lock:
            writers = [w for (w,) in self._db.execute("SELECT DISTINCT writer FROM runs WHERE end_time IS NULL AND writer IS NOT NULL")]
            gone = [w for w in writers if writer_is_gone(w)]
            if not gone:
                return 0
            closed = 0
            self._db.execute("BEGIN IMMEDIATE")
            try:
                for writer in gone:
                    traces = [t for (t,) in self._db.execute(
                        "SELECT DISTINCT trace_id FROM runs WHERE writer = ? AND end_time IS NULL", (writer,))]
                    for trace_id in traces:
                        (last,) = self._db.execute(
                            "SELECT MAX(COALESCE(end_time, start_time)) FROM runs WHERE trace_id = ?", (trace_id,)
                        ).fetchone()
                        cursor = self._db.execute(
                            "UPDATE runs SET end_time = ?, error = ? WHERE trace_id = ? AND writer = ? AND end_time IS NULL",
                            (last, INTERRUPTED, trace_id, writer),
                        )
                        closed += cursor.rowcount
                        self._db.execute(
                            "UPDATE traces SET end_time = ?, error = ? WHERE trace_id = ? AND end_time IS NULL",
                            (last, INTERRUPTED, trace_id),
                        )
                self._db.execute("COMMIT")
            except BaseException:
                self._db.execute("ROLLBACK")
                raise
            return closed

    # -- sessions ----------------------------------------------------------------
    def create_session(self, name: str) -> bool:
        with self._lock:
            cursor = self._db.execute("INSERT OR IGNORE INTO sessions (name, created_at) VALUES (?, ?)", (name, now_iso()))
            return cursor.rowcount == 1

    def rename_session(self, old: str, new: str) -> bool:
        """False if ``old`` does not exist; raises ValueError if ``new`` does."""
        with self._lock:
            if self._db.execute("SELECT 1 FROM sessions WHERE name = ?", (new,)).fetchone():
                raise ValueError(f"a session named {new!r} exists already")
            cursor = self._db.execute("UPDATE sessions SET name = ? WHERE name = ?", (new, old))
            return cursor.rowcount == 1

    def delete_session(self, name: str) -> bool:
        with self._lock:
            self._db.execute("BEGIN IMMEDIATE")
            try:
                row = self._db.execute("SELECT id FROM sessions WHERE name = ?", (name,)).fetchone()
                if row is not None:
                    self._db.execute("DELETE FROM runs WHERE session_id = ?", row)
                    self._db.execute("DELETE FROM traces WHERE session_id = ?", row)
                    self._db.execute("DELETE FROM sessions WHERE id = ?", row)
                self._db.execute("COMMIT")
            except BaseException:
                self._db.execute("ROLLBACK")
                raise
            if name == DEFAULT_SESSION:
                self.create_session(DEFAULT_SESSION)
            return row is not None

    def list_sessions(self) -> list[SessionInfo]:
        with self._lock:
            rows = self._db.execute(
                """SELECT s.name,
                          (SELECT COUNT(*) FROM runs r WHERE r.session_id = s.id),
                          (SELECT COUNT(*) FROM traces t WHERE t.session_id = s.id),
                          (SELECT MAX(COALESCE(t.end_time, t.start_time)) FROM traces t WHERE t.session_id = s.id),
                          s.created_at
                   FROM sessions s
                   ORDER BY s.name = ? DESC, s.name COLLATE NOCASE""",
                (DEFAULT_SESSION,),
            ).fetchall()
        return [
            SessionInfo(name=name, run_count=runs, trace_count=traces, last_activity=last, created_at=created)
            for name, runs, traces, last, created in rows
        ]

    # -- reads -------------------------------------------------------------------
    def list_traces(self, session: str, *, limit: int = 50, offset: int = 0) -> tuple[list[TraceSummary], int]:
        """A page of a session's traces, newest first, and how many there are in all."""
        with self._lock:
            row = self._db.execute("SELECT id FROM sessions WHERE name = ?", (session,)).fetchone()
            if row is None:
                raise KeyError(session)
            (total,) = self._db.execute("SELECT COUNT(*) FROM traces WHERE session_id = ?", row).fetchone()
            rows = self._db.execute(
                """SELECT t.trace_id, t.name, t.run_type, t.start_time, t.end_time, t.error,
                          (SELECT COUNT(*) FROM runs r WHERE r.trace_id = t.trace_id),
                          (SELECT SUM(r.total_tokens) FROM runs r WHERE r.trace_id = t.trace_id)
                   FROM traces t WHERE t.session_id = ?
                   ORDER BY t.start_time DESC, t.trace_id DESC LIMIT ? OFFSET ?""",
                (row[0], limit, offset),
            ).fetchall()
        return [
            TraceSummary(
                trace_id=trace_id, name=name, run_type=run_type, start_time=start, end_time=end,
                error=error, run_count=count, total_tokens=tokens, session_name=session,
            )
            for trace_id, name, run_type, start, end, error, count, tokens in rows
        ], total

    def runs_for_traces(self, trace_ids: Iterable[str], *, payloads: PayloadForm = "data") -> list[dict[str, Any]]:
        out: list[dict[str, Any]] = []
        with self._lock:
            for trace_id in trace_ids:
                out.extend(self._select_runs("r.trace_id = ? ORDER BY r.dotted_order", (trace_id,), payloads))
        return out

    def runs_for_session(self, session: str) -> list[dict[str, Any]]:
        with self._lock:
            return self._select_runs(
                "s.name = ? ORDER BY (SELECT start_time FROM traces t WHERE t.trace_id = r.trace_id), r.trace_id, r.dotted_order",
                (session,),
            )

    def get_run(self, run_id: str) -> dict[str, Any] | None:
        with self._lock:
            rows = self._select_runs("r.id = ?", (run_id,))
        return rows[0] if rows else None

    def _select_runs(self, where: str, params: tuple, payloads: PayloadForm = "data") -> list[dict[str, Any]]:
        fields = "NULL, NULL, r.tags, NULL, NULL" if payloads == "none" else "r.inputs, r.outputs, r.tags, r.extra, r.events"
        cursor = self._db.execute(
            f"""SELECT r.id, r.trace_id, r.parent_run_id, r.dotted_order, s.name, r.name, r.run_type,
                       r.start_time, r.end_time, r.error, {fields},
                       r.prompt_tokens, r.completion_tokens, r.total_tokens
                FROM runs r JOIN sessions s ON s.id = r.session_id WHERE {where}""",
            params,
        )
        if payloads == "none":
            return [_run_skeleton(row) for row in cursor]
        if payloads == "json":
            return [_run_record(row, _as_text) for row in cursor]
        return [_run_record(row) for row in cursor]

    def close(self) -> None:
        with self._lock:
            self._db.close()


def _load(text: str | None) -> Any:
    return None if text is None else decode_json(text)


def _as_text(text: str | None) -> str | None:
    return text


def _nothing(text: str | None) -> None:
    return None


def _run_skeleton(row: tuple) -> dict[str, Any]:
    """A run without inputs, outputs, extra and events: what a trace view's tree draws."""
    run = _run_record(row, _nothing)
    for key in PAYLOAD_FIELDS:
        del run[key]
    return run


def _run_record(row: tuple, payload: Callable[[str | None], Any] = _load) -> dict[str, Any]:
    (run_id, trace_id, parent, dotted, session, name, run_type, start, end, error, inputs, outputs, tags, extra,
     events, prompt_tokens, completion_tokens, total_tokens) = row
    run = {
        "id": run_id,
        "trace_id": trace_id,
        "parent_run_id": parent,
        "dotted_order": dotted,
        "name": name,
        "run_type": run_type,
        "start_time": start,
        "end_time": end,
        "inputs": payload(inputs) or payload("{}"),
        "outputs": payload(outputs),
        "error": error,
        "tags": _load(tags) or [],
        "extra": payload(extra) or payload("{}"),
        "events": _load(events),
        "session_name": session,
        "prompt_tokens": prompt_tokens,
        "completion_tokens": completion_tokens,
        "total_tokens": total_tokens,
    }
    if run["events"] is None:
        run["events"] = implied_events(run)
    return run
