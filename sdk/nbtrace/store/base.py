"""The one interface every store backend implements (SQLite now; PostgreSQL later)."""

from __future__ import annotations

from typing import Any, Iterable, Protocol, Sequence, TypedDict


class SessionInfo(TypedDict):
    name: str
    run_count: int
    trace_count: int
    last_activity: str | None


class RunStore(Protocol):
    def write(self, changes: Sequence[tuple[str, dict[str, Any]]]) -> None:
        """Apply ('start' | 'end', whole record after the change) in order, as one batch."""

    def runs_for_traces(self, trace_ids: Iterable[str]) -> list[dict[str, Any]]:
        """Every run of these traces, in ``dotted_order``."""

    def runs_for_session(self, session: str) -> list[dict[str, Any]]:
        """Every run recorded to ``session``, in ``dotted_order`` within each trace, oldest trace first."""

    def create_session(self, name: str) -> bool:
        """True if it was created, False if it existed already."""

    def list_sessions(self) -> list[SessionInfo]:
        """Every session, ``default`` first and always present."""

    def close(self) -> None: ...
