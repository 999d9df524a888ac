"""The public functions, re-exported by ``nbtrace``."""

from __future__ import annotations

from contextlib import contextmanager
from typing import Iterator

from . import runtime, settings
from .pipeline.failures import report
from .store.base import SessionInfo


def enable() -> None:
    """Trace every LangChain run from now on (``NBTRACE_TRACING=false`` still wins)."""
    settings.set_enabled(True)


def disable() -> None:
    """Stop tracing (runs passed a ``NotebookTracer`` by hand are still recorded)."""
    settings.set_enabled(False)


def set_session(name: str | None) -> None:
    """Record the next traces to session ``name``; it is created if it does not exist."""
    settings.set_session(name)
    if name is not None:
        _ensure_session(settings.current_session())


def set_tracing_callback_manager(session_name: str | None = None) -> None:
    """The seed walkthrough's call: switch sessions mid-notebook, and trace from now on."""
    set_session(session_name)
    enable()


@contextmanager
def session(name: str) -> Iterator[str]:
    """``with nbtrace.session("eval"):`` records the traces started inside to ``eval``."""
    with settings.scoped_session(name) as scoped:
        _ensure_session(scoped)
        yield scoped


def create_session(name: str) -> bool:
    """Create a session; False if it existed already."""
    return bool(runtime.recorder().store.create_session(settings.validate_session_name(name)))


def list_sessions() -> list[SessionInfo]:
    """Every session with its run count and last activity, ``default`` first."""
    return runtime.recorder().store.list_sessions()


def flush(timeout: float | None = None) -> bool:
    """Return once everything recorded so far is stored and sent (False on timeout)."""
    return runtime.recorder().flush(timeout)


def _ensure_session(name: str) -> None:
    try:
        runtime.recorder().store.create_session(name)
    except Exception as error:
        report("creating a session", error)
