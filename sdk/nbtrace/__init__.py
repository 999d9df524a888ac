"""nbtrace: see every run of your LLM chains and agents inline, under the cell that ran them.

Turn it on with ``%load_ext nbtrace``, ``nbtrace.enable()``, ``NBTRACE_TRACING=true``
or the seed walkthrough's ``os.environ["LANGCHAIN_HANDLER"] = "langchain"``.
"""

from __future__ import annotations

from typing import Any

from ._version_info import __version__
from .api import (
    configure,
    create_session,
    disable,
    enable,
    flush,
    list_sessions,
    session,
    set_session,
    set_tracing_callback_manager,
)
from .capture import auto_attach as _auto_attach
from .capture import legacy_handler as _legacy_handler
from .capture.langchain_tracer import NotebookTracer
from .capture.traceable import trace, traceable
from .export import export_runs
from .importing import load_runs

_legacy_handler.install()
_auto_attach.install()


def load_ipython_extension(ipython: Any) -> None:
    """``%load_ext nbtrace``: trace every LangChain run in this kernel."""
    enable()


def unload_ipython_extension(ipython: Any) -> None:
    disable()


def _jupyter_labextension_paths() -> list[dict[str, str]]:
    return [{"src": "labextension", "dest": "nbtrace"}]


__all__ = [
    "NotebookTracer",
    "__version__",
    "configure",
    "create_session",
    "disable",
    "enable",
    "export_runs",
    "flush",
    "list_sessions",
    "load_runs",
    "session",
    "set_session",
    "set_tracing_callback_manager",
    "trace",
    "traceable",
]
