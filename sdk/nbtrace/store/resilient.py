"""A store that degrades to memory instead of failing.

When the SQLite file cannot be written (locked past the timeout, read-only, disk
full), the failed batch and everything after it go to a MemoryStore, with one
warning. The kernel's traces keep working (views, replay, export in-process);
only their persistence is lost, and the warning says so.
"""

from __future__ import annotations

import threading
from typing import Any, Iterable, Sequence

from ..pipeline.failures import warn_once
from .base import PayloadForm
from .memory import MemoryStore


class ResilientStore:
    def __init__(self, primary: Any, description: str) -> None:
        self._primary = primary
        self._active = primary
        self._description = description
        self._degraded = False
        self._lock = threading.Lock()

    @property
    def degraded(self) -> bool:
        return self._degraded

    @property
    def active(self) -> Any:
        return self._active

    def write(self, changes: Sequence[tuple[str, dict[str, Any]]]) -> None:
        try:
            self._active.write(changes)
        except Exception as error:
            if self._degraded:
                raise
            self.degrade(error)
            self._active.write(changes)

    def sync(self) -> None:
        self._active.sync()

    def degrade(self, error: BaseException) -> None:
        """Give up on the file (it refused a batch: ``error``): memory from now on, said once."""
        with self._lock:
            if self._degraded:
                return
            previous = self._active
            memory = MemoryStore()
            for session in _safe(lambda: previous.list_sessions(), []):
                memory.create_session(session["name"])
            self._active = memory
            self._degraded = True
        warn_once(
            "store-degraded",
            f"nbtrace: cannot write to the trace store {self._description} ({error}); from now on this "
            "kernel keeps its traces in memory only (they still show in the notebook). "
            "Free the file or point NBTRACE_DB at a writable one, then restart the kernel.",
        )

    def __getattr__(self, name: str) -> Any:
        return getattr(self._active, name)

    def runs_for_traces(self, trace_ids: Iterable[str], *, payloads: PayloadForm = "data") -> list[dict[str, Any]]:
        return self._active.runs_for_traces(trace_ids, payloads=payloads)

    def close(self) -> None:
        _safe(self._active.close, None)
        if self._primary is not self._active:
            _safe(self._primary.close, None)


def _safe(call: Any, default: Any) -> Any:
    try:
        return call()
    except Exception:
        return default
