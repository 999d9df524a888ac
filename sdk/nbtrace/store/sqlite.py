"""The default store: one SQLite file (``NBTRACE_DB``) shared by every kernel, script and the server.

WAL mode lets readers (the Sessions sidebar) read while kernels write; each
batch from the recorder is one transaction; ``busy_timeout`` makes concurrent
writers wait their turn instead of failing.
"""

from __future__ import annotations

import os
import sqlite3
import threading
from datetime import datetime, timezone
from typing import Any, Callable, Iterable, Sequence

from ..pipeline.failures import report
from ..pipeline.records import PAYLOAD_FIELDS, implied_events
from ..pipeline.serialize import Json, decode_json, encode_json
from ..settings import DEFAULT_SESSION
from .base import BatchNotWritten, PayloadForm, SessionInfo, TraceSummary, announce_new_session
from .batch_writer import HelperGone, HelperProcessWriter
from .batch_writer_process import Statement, connect, run_batch
from .schema import MIGRATIONS, SCHEMA_VERSION
from .writers import INTERRUPTED, this_writer, writer_is_gone

_RUN_COLUMNS = (
    "id, trace_id, parent_run_id, dotted_order, session_id, name, run_type, start_time, end_time, "
    "error, inputs, outputs, tags, extra, events, prompt_tokens, completion_tokens, total_tokens, writer"
)
_UPSERT_RUN = f"""
INSERT INTO runs ({_RUN_COLUMNS}) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
ON CONFLICT(id) DO UPDATE SET
    end_time = excluded.end_time, error = excluded.error, inputs = excluded.inputs,
    outputs = excluded.outputs, tags = excluded.tags, extra = excluded.extra, events = excluded.events,
    prompt_tokens = excluded.prompt_tokens, completion_tokens = excluded.completion_tokens,
    total_tokens = excluded.total_tokens
"""
_UPSERT_RUN_PAYLOADS = (10, 11, 13)  # inputs, outputs, extra: where secret keys are masked
_END_RUN = """
UPDATE runs SET end_time = ?, error = ?, outputs = ?, inputs = COALESCE(?, inputs), extra = ?, events = ?,
    prompt_tokens = ?, completion_tokens = ?, total_tokens = ?
WHERE id = ?
"""
_END_RUN_PAYLOADS = (2, 3, 4)  # outputs, inputs, extra
_UPSERT_TRACE = """
INSERT INTO traces (trace_id, session_id, name, run_type, start_time, end_time, error) VALUES (?, ?, ?, ?, ?, ?, ?)
ON CONFLICT(trace_id) DO UPDATE SET end_time = excluded.end_time, error = excluded.error
"""


def _json(value: Any) -> str | None:
    if value is None:
        return None
    if isinstance(value, Json):  # encoded once by the recorder
        return value[:]
    return encode_json(value)


def _events_json(record: dict[str, Any]) -> str | None:
    """NULL when the events are only the start and end (or error) that the run's times already say."""
    events = record.get("events")
    if not events:
        return None
    if len(events) <= 2 and all(e.get("name") in ("start", "end", "error") and len(e) == 2 for e in events):
        return None
    return _json(events)


def _now() -> str:
    return datetime.now(timezone.utc).strftime("%Y-%m-%dT%H:%M:%S.%fZ")


class SqliteStore:
    shared = True  # other processes (the server, the CLI) read what it holds

    def __init__(self, path: str, *, timeout: float = 10.0, helper_process: bool = False) -> None:
        """``helper_process``: write batches in a helper process (what a kernel does,
        see ``batch_writer``); else in this one (the server, the CLI, tests)."""
        self.path = path
        directory = os.path.dirname(os.path.abspath(path))
        os.makedirs(directory, exist_ok=True)
        self._lock = threading.RLock()
        self._db = connect(path, timeout)
        self._session_ids: dict[str, int] = {}
        self._writer = this_writer()
        self.migrate()
        self.create_session(DEFAULT_SESSION)
        self._helper: HelperProcessWriter | None = None
        self._pending: tuple[list, Sequence] | None = None  # (statements, changes) the helper has not answered yet
        if helper_process:
            try:
                self._helper = HelperProcessWriter(path, timeout)
            except HelperGone as error:
                report("starting the process that writes the trace store", error)

    @property
    def helper(self) -> HelperProcessWriter | None:
        return self._helper

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
    def _session_id(self, name: str) -> int:
        cached = self._session_ids.get(name)
        if cached is not None:
            return cached
        created = self._db.execute("INSERT OR IGNORE INTO sessions (name, created_at) VALUES (?, ?)", (name, _now()))
        if created.rowcount == 1:
            announce_new_session(name)
        (session_id,) = self._db.execute("SELECT id FROM sessions WHERE name = ?", (name,)).fetchone()
        self._session_ids[name] = session_id
        return session_id

    def write(self, changes: Sequence[tuple[str, dict[str, Any]]]) -> None:
        # The last record of a run in a batch holds all of it; a run whose start
        # is in this batch is inserted whole, one that only ended gets a patch.
        latest: dict[str, dict[str, Any]] = {}
        started: set[str] = set()
        for op, record in changes:
            latest[record["id"]] = record
            if op == "start":
                started.add(record["id"])
        with self._lock:
            statements = self._statements(latest, started)
            if not statements:
                return
            self._settle()  # the batch before this one (and the helper may be gone after it)
            if self._helper is not None:
                try:
                    self._helper.send(statements)
                    self._pending = (statements, changes)
                    return
                except HelperGone as error:
                    self._lose_helper(error)
            self._run_here(statements)

    def sync(self) -> None:
        """Return once every batch written so far is committed (raises BatchNotWritten if one failed)."""
        with self._lock:
            self._settle()

    def _settle(self) -> None:
        pending, self._pending = self._pending, None
        if pending is None or self._helper is None:
            return
        statements, changes = pending
        try:
            self._helper.receive()
        except HelperGone as error:
            self._lose_helper(error)
            try:
                self._run_here(statements)
            except Exception as failure:
                raise BatchNotWritten(failure, changes) from failure
        except sqlite3.Error as error:
            raise BatchNotWritten(error, changes) from error

    def _run_here(self, statements: list[Statement]) -> None:
        try:
            run_batch(self._db, statements)
        except BaseException:
            self._session_ids.clear()
            raise

    def _lose_helper(self, error: Exception) -> None:
        report("writing through the trace store's helper process (now writing in the kernel)", error)
        if self._helper is not None:
            self._helper.close(0.5)
        self._helper = None

    def _statements(self, latest: dict[str, dict[str, Any]], started: set[str]) -> list[Statement]:
        full_rows, end_rows, trace_rows = [], [], []
        session_ids = self._session_ids
        writer = self._writer
        for run_id, r in latest.items():
            session_name = r["session_name"]
            session_id = session_ids.get(session_name) or self._session_id(session_name)
            row_inputs, row_outputs, row_extra = _json(r.get("inputs")), _json(r.get("outputs")), _json(r.get("extra"))
            row_events = _events_json(r)
            if run_id in started:
                tags = r.get("tags")
                full_rows.append((
                    run_id, r["trace_id"], r["parent_run_id"], r["dotted_order"], session_id, r["name"],
                    r["run_type"], r["start_time"], r.get("end_time"), r.get("error"), row_inputs,
                    row_outputs, encode_json(tags) if tags else None, row_extra, row_events,
                    r.get("prompt_tokens"), r.get("completion_tokens"), r.get("total_tokens"), writer,
                ))
            else:
                end_rows.append((
                    r.get("end_time"), r.get("error"), row_outputs, row_inputs, row_extra, row_events,
                    r.get("prompt_tokens"), r.get("completion_tokens"), r.get("total_tokens"), run_id,
                ))
            if r["parent_run_id"] is None:
                trace_rows.append((
                    r["trace_id"], session_id, r["name"], r["run_type"], r["start_time"], r.get("end_time"), r.get("error"),
                ))
        statements: list[Statement] = []
        if full_rows:
            statements.append((_UPSERT_RUN, full_rows, _UPSERT_RUN_PAYLOADS))
        if end_rows:
            statements.append((_END_RUN, end_rows, _END_RUN_PAYLOADS))
        if trace_rows:
            statements.append((_UPSERT_TRACE, trace_rows, ()))
        return statements

    def close_orphaned_runs(self) -> int:
        """End as interrupted the open runs whose writing process has died; how many were closed."""
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
            cursor = self._db.execute("INSERT OR IGNORE INTO sessions (name, created_at) VALUES (?, ?)", (name, _now()))
            return cursor.rowcount == 1

    def rename_session(self, old: str, new: str) -> bool:
        """False if ``old`` does not exist; raises ValueError if ``new`` does."""
        with self._lock:
            if self._db.execute("SELECT 1 FROM sessions WHERE name = ?", (new,)).fetchone():
                raise ValueError(f"a session named {new!r} exists already")
            cursor = self._db.execute("UPDATE sessions SET name = ? WHERE name = ?", (new, old))
            self._session_ids.clear()
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
            self._session_ids.clear()
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
            try:
                self._settle()
            finally:
                if self._helper is not None:
                    self._helper.close()
                    self._helper = None
                self._db.close()


def _load(text: str | None) -> Any:
    return None if text is None else decode_json(text)


def _as_text(text: str | None) -> str | None:
    return text  # not wrapped in Json: that would copy every payload


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
