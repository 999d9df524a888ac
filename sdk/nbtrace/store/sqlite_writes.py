"""How run records go into the SQLite file: one transaction per batch, secrets masked.

Used in-process (the server, the CLI, imports, a kernel whose helper has failed)
and by the kernel's helper process (``helper_process``). Standard library only,
so that process can load it by its path.
"""

from __future__ import annotations

import sqlite3
from typing import Any, Callable, Sequence

from ..pipeline.json_text import compact_json
from ..pipeline.secret_keys import masked_json
from ..pipeline.timefmt import now_iso

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
_END_RUN = """
UPDATE runs SET end_time = ?, error = ?, outputs = ?, inputs = COALESCE(?, inputs), extra = ?, events = ?,
    prompt_tokens = ?, completion_tokens = ?, total_tokens = ?
WHERE id = ?
"""
_UPSERT_TRACE = """
INSERT INTO traces (trace_id, session_id, name, run_type, start_time, end_time, error) VALUES (?, ?, ?, ?, ?, ?, ?)
ON CONFLICT(trace_id) DO UPDATE SET end_time = excluded.end_time, error = excluded.error
"""


def connect(path: str, timeout: float) -> sqlite3.Connection:
    """A connection set up the way every nbtrace writer and reader uses the file."""
    db = sqlite3.connect(path, timeout=timeout, check_same_thread=False, isolation_level=None)
    db.execute("PRAGMA journal_mode=WAL")
    db.execute("PRAGMA synchronous=NORMAL")
    db.execute("PRAGMA foreign_keys=ON")
    # Checkpoints every ~40 MB of WAL instead of every 4 MB, and a 16 MB page cache: an
    # index page that many batches touch (ids that are not time-ordered land all over the
    # id index) is copied back into the file once rather than at every fourth commit.
    # The WAL file is cut back to 64 MB after a checkpoint.
    db.execute("PRAGMA wal_autocheckpoint=10000")
    db.execute("PRAGMA journal_size_limit=67108864")
    db.execute("PRAGMA cache_size=-16384")
    return db


def write_runs(
    db: sqlite3.Connection,
    changes: Sequence[tuple[str, dict[str, Any]]],
    writer: str,
    encode: Callable[[Any], str] = compact_json,
) -> list[str]:
    """Write ``changes`` (('start' | 'end', whole record after it), in order) in one
    transaction; the names of the sessions it had to create. The last record of a run
    holds all of it: a run whose start is in the batch is inserted whole, one that only
    ended gets a patch. A payload field is JSON text already, or data to ``encode``."""
    latest: dict[str, dict[str, Any]] = {}
    started: set[str] = set()
    for op, record in changes:
        latest[record["id"]] = record
        if op == "start":
            started.add(record["id"])
    if not latest:
        return []
    created: list[str] = []
    db.execute("BEGIN IMMEDIATE")
    try:
        # Looked up in the transaction, not cached: the sidebar may have deleted a session since.
        session_ids: dict[str, int] = {}
        for record in latest.values():
            name = record["session_name"]
            if name not in session_ids:
                session_ids[name] = _session_id(db, name, created)
        for sql, rows in _statements(latest, started, session_ids.__getitem__, writer, encode):
            db.executemany(sql, rows)
        db.execute("COMMIT")
    except BaseException:
        db.execute("ROLLBACK")
        raise
    return created


def _session_id(db: sqlite3.Connection, name: str, created: list[str]) -> int:
    found = db.execute("SELECT id FROM sessions WHERE name = ?", (name,)).fetchone()
    if found is not None:
        return found[0]
    created.append(name)
    return db.execute("INSERT INTO sessions (name, created_at) VALUES (?, ?)", (name, now_iso())).lastrowid


def _statements(
    latest: dict[str, dict[str, Any]],
    started: set[str],
    session_id: Callable[[str], int],
    writer: str,
    encode: Callable[[Any], str],
) -> list[tuple[str, list[tuple]]]:
    def payload(value: Any) -> str | None:
        """A payload field's JSON text, secret-looking keys masked."""
        if value is None:
            return None
        if not isinstance(value, str):  # payload fields hold objects, so a str is their JSON text
            value = encode(value)
        return masked_json(value)

    full_rows, end_rows, trace_rows = [], [], []
    for run_id, r in latest.items():
        session = session_id(r["session_name"])
        row_inputs, row_outputs, row_extra = payload(r.get("inputs")), payload(r.get("outputs")), payload(r.get("extra"))
        row_events = _events_text(r.get("events"), encode)
        if run_id in started:
            tags = r.get("tags")
            full_rows.append((
                run_id, r["trace_id"], r["parent_run_id"], r["dotted_order"], session, r["name"],
                r["run_type"], r["start_time"], r.get("end_time"), r.get("error"), row_inputs,
                row_outputs, encode(tags) if tags else None, row_extra, row_events,
                r.get("prompt_tokens"), r.get("completion_tokens"), r.get("total_tokens"), writer,
            ))
        else:
            end_rows.append((
                r.get("end_time"), r.get("error"), row_outputs, row_inputs, row_extra, row_events,
                r.get("prompt_tokens"), r.get("completion_tokens"), r.get("total_tokens"), run_id,
            ))
        if r["parent_run_id"] is None:
            trace_rows.append((
                r["trace_id"], session, r["name"], r["run_type"], r["start_time"], r.get("end_time"), r.get("error"),
            ))
    statements = []
    if full_rows:
        statements.append((_UPSERT_RUN, full_rows))
    if end_rows:
        statements.append((_END_RUN, end_rows))
    if trace_rows:
        statements.append((_UPSERT_TRACE, trace_rows))
    return statements


def _events_text(events: Any, encode: Callable[[Any], str]) -> str | None:
    """NULL when the events are only the start and end (or error) that the run's times already say."""
    if not events:
        return None
    if len(events) <= 2 and all(e.get("name") in ("start", "end", "error") and len(e) == 2 for e in events):
        return None
    return encode(events)
