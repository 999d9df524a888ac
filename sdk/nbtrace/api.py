"""The public functions, re-exported by ``nbtrace``."""

from __future__ import annotations

from contextlib import contextmanager
from typing import Any, Callable, Iterator

from . import runtime, settings
from .pipeline.failures import report
from .store.base import SessionInfo, announce_new_session


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


_UNSET: Any = object()


def configure(
    *,
    mask: Callable[[Any], Any] | None = _UNSET,
    hide_inputs: bool | None = _UNSET,
    hide_outputs: bool | None = _UNSET,
    max_field_bytes: int = _UNSET,
) -> None:
    """Change what of a run's content is kept, for runs recorded from now on.

    mask: called with every inputs / outputs / extra payload (plain JSON data, secret
        keys already masked) and returns what to keep; ``None`` removes it.
    hide_inputs / hide_outputs: replace inputs / outputs entirely (``None``: follow
        ``NBTRACE_HIDE_INPUTS`` / ``NBTRACE_HIDE_OUTPUTS``).
    max_field_bytes: the bound of one field (default 1,000,000 characters); longer
        content is truncated with a marker that gives its original size.

    NBTRACE_HIDE_INPUTS / NBTRACE_HIDE_OUTPUTS are read when a run is recorded,
    which happens off the user's thread within a batch interval (about 10 ms).
    """
    recorder = runtime.recorder()
    recorder.flush(10)  # runs recorded before this call keep the settings they were recorded under
    preparer = recorder.preparer
    if mask is not _UNSET:
        if mask is not None and not callable(mask):
            raise TypeError("mask must be a function or None")
        preparer.privacy.mask = mask
    if hide_inputs is not _UNSET:
        preparer.privacy.hide_inputs = hide_inputs
    if hide_outputs is not _UNSET:
        preparer.privacy.hide_outputs = hide_outputs
    if max_field_bytes is not _UNSET:
        if not isinstance(max_field_bytes, int) or max_field_bytes < 100:
            raise ValueError("max_field_bytes must be a whole number of at least 100")
        preparer.serializer.max_field_chars = max_field_bytes


def flush(timeout: float | None = None) -> bool:
    """Return once everything recorded so far is stored and sent (False on timeout)."""
    return runtime.recorder().flush(timeout)


def _ensure_session(name: str) -> None:
    try:
        if runtime.recorder().store.create_session(name):
            announce_new_session(name)
    except Exception as error:
        report("creating a session", error)
