"""A store in memory: for tests, and where the SQLite file cannot be opened or written."""

from __future__ import annotations

import json
import threading
from typing import Any, Iterable, Sequence

from ..pipeline.assembly import PAYLOAD_FIELDS, PAYLOAD_TEXT_FIELDS, implied_events
from ..pipeline.secret_keys import mask_secret_keys
from ..pipeline.timefmt import now_iso
from ..pipeline.serialize import payload_data
from ..settings import DEFAULT_SESSION
from .base import PayloadForm, SessionInfo, TraceSummary, announce_new_session


def _plain_record(record: dict[str, Any]) -> dict[str, Any]:
    """A copy of ``record`` as plain data, secrets masked: it owns nothing the program or the recorder does."""
    run = {**record, **{key: payload_data(record[key]) for key in PAYLOAD_TEXT_FIELDS if key in record}}
    run = json.loads(json.dumps(run))
    if run.get("events") is None:
        run["events"] = implied_events(run)
    for key in PAYLOAD_TEXT_FIELDS:  # not events: a streamed token's kwargs say "token"
        mask_secret_keys(run.get(key))
    return run


class MemoryStore:
    shared = False  # nothing outside this process can read it

    def __init__(self) -> None:
        self._lock = threading.RLock()
        self._runs: dict[str, dict[str, Any]] = {}
        self._traces: dict[str, list[str]] = {}  # trace id -> run ids
        self._sessions: dict[str, dict[str, Any]] = {}  # name -> {"created_at", "traces": [trace ids]}
        self.create_session(DEFAULT_SESSION)

    def write(self, changes: Sequence[tuple[str, dict[str, Any]]]) -> None:
        changes = [(op, _plain_record(record)) for op, record in changes]
        with self._lock:
            for _op, record in changes:
                known = self._runs.get(record["id"])
                if known is not None:
                    known.update(record)
                    continue
                self._runs[record["id"]] = dict(record)
                self._traces.setdefault(record["trace_id"], []).append(record["id"])
                if record["parent_run_id"] is None:
                    if self.create_session(record["session_name"]):
                        announce_new_session(record["session_name"])
                    self._sessions[record["session_name"]]["traces"].append(record["trace_id"])

    def create_session(self, name: str) -> bool:
        with self._lock:
            if name in self._sessions:
                return False
            self._sessions[name] = {"created_at": now_iso(), "traces": []}
            return True

    def rename_session(self, old: str, new: str) -> bool:
        with self._lock:
            if new in self._sessions:
                raise ValueError(f"a session named {new!r} exists already")
            if old not in self._sessions:
                return False
            self._sessions[new] = self._sessions.pop(old)
            for trace_id in self._sessions[new]["traces"]:
                for run_id in self._traces.get(trace_id, ()):
                    self._runs[run_id]["session_name"] = new
            if old == DEFAULT_SESSION:
                self.create_session(DEFAULT_SESSION)
            return True

    def delete_session(self, name: str) -> bool:
        with self._lock:
            session = self._sessions.pop(name, None)
            if session is not None:
                for trace_id in session["traces"]:
                    for run_id in self._traces.pop(trace_id, ()):
                        self._runs.pop(run_id, None)
            if name == DEFAULT_SESSION:
                self.create_session(DEFAULT_SESSION)
            return session is not None

    def list_sessions(self) -> list[SessionInfo]:
        with self._lock:
            infos = []
            for name, session in self._sessions.items():
                roots = [self._runs[t] for t in session["traces"] if t in self._runs]
                infos.append(SessionInfo(
                    name=name,
                    run_count=sum(len(self._traces.get(t, ())) for t in session["traces"]),
                    trace_count=len(session["traces"]),
                    last_activity=max((r.get("end_time") or r["start_time"] for r in roots), default=None),
                    created_at=session["created_at"],
                ))
        infos.sort(key=lambda s: (s["name"] != DEFAULT_SESSION, s["name"].lower()))
        return infos

    def list_traces(self, session: str, *, limit: int = 50, offset: int = 0) -> tuple[list[TraceSummary], int]:
        with self._lock:
            if session not in self._sessions:
                raise KeyError(session)
            roots = [self._runs[t] for t in self._sessions[session]["traces"] if t in self._runs]
            roots.sort(key=lambda r: (r["start_time"], r["id"]), reverse=True)
            page = []
            for root in roots[offset : offset + limit]:
                members = [self._runs[r] for r in self._traces.get(root["trace_id"], ())]
                tokens = [m["total_tokens"] for m in members if m.get("total_tokens") is not None]
                page.append(TraceSummary(
                    trace_id=root["trace_id"], name=root["name"], run_type=root["run_type"],
                    start_time=root["start_time"], end_time=root.get("end_time"), error=root.get("error"),
                    run_count=len(members), total_tokens=sum(tokens) if tokens else None, session_name=session,
                ))
            return page, len(roots)

    def runs_for_traces(self, trace_ids: Iterable[str], *, payloads: PayloadForm = "data") -> list[dict[str, Any]]:
        # Payloads are held as data here, so "json" gives data too (``payload_data`` reads both).
        with self._lock:
            out = []
            for trace_id in trace_ids:
                runs = [dict(self._runs[r]) for r in self._traces.get(trace_id, ())]
                out.extend(sorted(runs, key=lambda run: run["dotted_order"]))
        if payloads == "none":
            for run in out:
                for key in PAYLOAD_FIELDS:
                    run.pop(key, None)
        return out

    def runs_for_session(self, session: str) -> list[dict[str, Any]]:
        with self._lock:
            roots = [self._runs[t] for t in self._sessions.get(session, {}).get("traces", ()) if t in self._runs]
            roots.sort(key=lambda r: (r["start_time"], r["id"]))
            return self.runs_for_traces([r["trace_id"] for r in roots])

    def get_run(self, run_id: str) -> dict[str, Any] | None:
        with self._lock:
            run = self._runs.get(run_id)
            return dict(run) if run is not None else None

    def sync(self) -> None:
        pass  # every write is done when it returns

    def close(self) -> None:
        pass
