"""Runs back from a JSON Lines file (``nbtrace export`` or "Download trace") into a store and a view."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from .export import RUN_FIELDS
from .settings import validate_session_name

_REQUIRED = ("id", "trace_id", "dotted_order", "name", "run_type", "start_time")
_DEFAULTS: dict[str, Any] = {
    "parent_run_id": None, "end_time": None, "inputs": {}, "outputs": None, "error": None, "tags": [],
    "extra": {}, "events": [], "session_name": "default", "prompt_tokens": None, "completion_tokens": None,
    "total_tokens": None,
}


def read_runs(path: str | Path, session: str | None = None) -> list[dict[str, Any]]:
    """Parse and check a JSON Lines file of runs; ``session`` overrides their session."""
    override = validate_session_name(session) if session is not None else None
    runs = []
    with open(path, encoding="utf-8") as lines:
        for number, line in enumerate(lines, 1):
            if not line.strip():
                continue
            try:
                record = json.loads(line)
            except ValueError as error:
                raise ValueError(f"{path}:{number}: not JSON ({error})") from None
            if not isinstance(record, dict):
                raise ValueError(f"{path}:{number}: a run is a JSON object")
            missing = [key for key in _REQUIRED if not isinstance(record.get(key), str)]
            if missing:
                raise ValueError(f"{path}:{number}: missing {', '.join(missing)}")
            run = {key: record.get(key, _DEFAULTS.get(key)) for key in RUN_FIELDS}
            wrong = [key for key in ("inputs", "outputs", "extra") if not isinstance(run[key], dict)
                     and not (key == "outputs" and run[key] is None)]
            if wrong:
                raise ValueError(f"{path}:{number}: {', '.join(wrong)} must be a JSON object")
            if override:
                run["session_name"] = override
            else:
                run["session_name"] = validate_session_name(run["session_name"] or "default")
            runs.append(run)
    return runs


def import_runs(path: str | Path, *, session: str | None = None, db: str | None = None) -> list[dict[str, Any]]:
    """Write the file's runs into the store at ``db`` (default: this process's store)."""
    runs = read_runs(path, session)
    changes = [("start", run) for run in sorted(runs, key=lambda r: r["dotted_order"])]
    if db is None:
        from . import runtime

        runtime.recorder().store.write(changes)
    else:
        from .store import SqliteStore

        store = SqliteStore(db)
        try:
            store.write(changes)
        finally:
            store.close()
    return runs


def load_runs(path: str | Path, *, session: str | None = None, show: bool = True) -> list[dict[str, Any]]:
    """Bring a downloaded or exported trace back: into this process's store, and under this cell."""
    runs = import_runs(path, session=session)
    if show:
        _show(runs)
    return runs


def _show(runs: list[dict[str, Any]]) -> None:
    from . import runtime

    if runtime.router() is None:
        return
    from IPython.display import display

    from .output.bundle import trace_bundle

    display(trace_bundle(None, runs, final=True), raw=True)
