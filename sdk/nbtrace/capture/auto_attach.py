"""Attach the process-wide ``NotebookTracer`` to every LangChain run while tracing is on.

``langchain_core`` asks each registered configure hook's variable for a handler
(``var.get()``) every time it configures callbacks. A real ``ContextVar`` would
have to be set in every thread and task the user starts; this stand-in answers
from process-wide state instead, and reads the environment at that moment, so
``os.environ["LANGCHAIN_HANDLER"] = "langchain"`` works whenever it is set.
"""

from __future__ import annotations

import threading
from typing import Any

from .. import runtime
from ..settings import tracing_enabled
from .langchain_tracer import NotebookTracer

_installed = False
_lock = threading.Lock()


class _ActiveTracerSlot:
    """Asked twice per configured run, so it is kept to a flag check and a global read."""

    def get(self, default: Any = None) -> Any:
        try:
            if tracing_enabled():
                return runtime._tracer or runtime.default_tracer()
        except Exception:
            return default
        return default


def install() -> None:
    global _installed
    with _lock:
        if _installed:
            return
        from langchain_core.tracers.context import register_configure_hook

        # handle_class=NotebookTracer: a run that already has one (passed by hand) gets no second.
        register_configure_hook(_ActiveTracerSlot(), True, NotebookTracer, None)  # type: ignore[arg-type]
        _installed = True
