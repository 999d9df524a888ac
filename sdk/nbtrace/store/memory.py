"""A store in memory: for tests, and where the SQLite file cannot be written."""

from __future__ import annotations

import threading
from typing import Any, Iterable, Sequence

from ..settings import DEFAULT_SESSION
from .base import SessionInfo


class MemoryStore:
    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._runs: dict[str, dict[str, Any]] = {}
        self._traces: dict[str, list[str]] = {}
        self._sessions: dict[str, list[str]] = {DEFAULT_SESSION: []}  # session -> trace ids

    def write(self, changes: Sequence[tuple[str, dict[str, Any]]]) -> None:
        with self._lock:
            for _op, record in changes:
                run_id = record["id"]
                known = self._runs.get(run_id)
                if known is None:
                    self._runs[run_id] = dict(record)
                    trace_id = record["trace_id"]
                    members = self._traces.setdefault(trace_id, [])
                    members.append(run_id)
                    if record["parent_run_id"] is None:
                        self._sessions.setdefault(record["session_name"], []).append(trace_id)
                else:
                    known.update(record)

    def runs_for_traces(self, trace_ids: Iterable[str]) -> list[dict[str, Any]]:
        with self._lock:
            out = []
            for trace_id in trace_ids:
                runs = [dict(self._runs[r]) for r in self._traces.get(trace_id, ())]
                out.extend(sorted(runs, key=lambda run: run["dotted_order"]))
            return out

    def runs_for_session(self, session: str) -> list[dict[str, Any]]:
        with self._lock:
            traces = list(self._sessions.get(session, ()))
        return self.runs_for_traces(traces)

    def create_session(self, name: str) -> bool:
        with self._lock:
            if name in self._sessions:
                return False
            self._sessions[name] = []
            return True

    def list_sessions(self) -> list[SessionInfo]:
        with self._lock:
            infos: list[SessionInfo] = []
            for name, traces in self._sessions.items():
                run_ids = [r for t in traces for r in self._traces.get(t, ())]
                times = [self._runs[r].get("end_time") or self._runs[r]["start_time"] for r in run_ids]
                infos.append(
                    SessionInfo(name=name, run_count=len(run_ids), trace_count=len(traces), last_activity=max(times, default=None))
                )
        infos.sort(key=lambda s: (s["name"] != DEFAULT_SESSION, s["name"]))
        return infos

    def close(self) -> None:
        pass
