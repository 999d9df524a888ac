"""The one interface every store backend implements (SQLite now; PostgreSQL later)."""

from __future__ import annotations

import logging
from typing import Any, Iterable, Literal, Protocol, Sequence, TypedDict

logger = logging.getLogger("nbtrace")


def announce_new_session(name: str) -> None:
    """The seed's UI made you create a session before recording to it; nbtrace creates it, and says so."""
    logger.info("nbtrace: session %r did not exist, so it was created", name)


class SessionInfo(TypedDict):
    name: str
    run_count: int
    trace_count: int
    last_activity: str | None
    created_at: str | None


class TraceSummary(TypedDict):
    """One row of a session's trace list: the root run plus its trace's totals."""

    trace_id: str
    name: str
    run_type: str
    start_time: str
    end_time: str | None
    error: str | None
    run_count: int
    total_tokens: int | None
    session_name: str


PayloadForm = Literal["data", "json", "none"]


class RunStore(Protocol):
    def write(self, changes: Sequence[tuple[str, dict[str, Any]]]) -> None:
        """Apply ('start' | 'end', whole record after the change) in order, as one batch.
        Payload fields (inputs, outputs, extra) hold data, or their JSON text as a ``str``.

        A store may hand the batch on and return before it is committed; then ``sync``
        waits for it, and raises if it failed."""

    def sync(self) -> None:
        """Return once every batch written so far is committed."""

    def runs_for_traces(self, trace_ids: Iterable[str], *, payloads: PayloadForm = "data") -> list[dict[str, Any]]:
        """Every run of these traces, in ``dotted_order``. ``payloads``: ``"data"`` decodes
        inputs, outputs, extra and events; ``"json"`` leaves inputs, outputs and extra as the
        store holds them: JSON text (a ``str``) from SQLite, data from memory (see
        ``serialize.payload_data``); ``"none"`` leaves those four fields out (what a trace
        view's tree needs)."""

    def runs_for_session(self, session: str) -> list[dict[str, Any]]:
        """Every run recorded to ``session``, in ``dotted_order`` within each trace, oldest trace first."""

    def create_session(self, name: str) -> bool:
        """True if it was created, False if it existed already."""

    def list_sessions(self) -> list[SessionInfo]:
        """Every session, ``default`` first and always present."""

    def rename_session(self, old: str, new: str) -> bool:
        """False if ``old`` does not exist; ValueError if ``new`` exists."""

    def delete_session(self, name: str) -> bool:
        """Delete a session and its runs (``default`` is emptied and stays)."""

    def list_traces(self, session: str, *, limit: int = 50, offset: int = 0) -> tuple[list[TraceSummary], int]:
        """A page of a session's traces, newest first, and their total count (KeyError: no such session)."""

    def get_run(self, run_id: str) -> dict[str, Any] | None:
        """One run in full."""

    def close(self) -> None: ...
