"""Runs out of the store, in LangSmith's field names."""

from __future__ import annotations

from typing import Any

from .settings import store_path

RUN_FIELDS = (
    "id", "trace_id", "parent_run_id", "dotted_order", "name", "run_type", "start_time", "end_time",
    "inputs", "outputs", "error", "tags", "extra", "events", "session_name",
    "prompt_tokens", "completion_tokens", "total_tokens",
)


def export_runs(session: str = "default", db: str | None = None) -> list[dict[str, Any]]:
    """Every run of ``session`` (oldest trace first, each in tree order) from the store at ``db``.

    Without ``db``, reads ``NBTRACE_DB`` after waiting for this process's pending runs.
    """
    from .store import SqliteStore

    if db is None:
        from . import runtime

        runtime.recorder().flush(10)
    store = SqliteStore(db or store_path())
    try:
        if session not in {s["name"] for s in store.list_sessions()}:
            raise KeyError(session)
        return [{field: run.get(field) for field in RUN_FIELDS} for run in store.runs_for_session(session)]
    finally:
        store.close()
