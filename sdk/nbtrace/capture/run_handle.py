"""One run started by nbtrace itself: the path ``traceable`` and ``trace`` share."""

from __future__ import annotations

import time
from typing import Any

from langchain_core.utils.uuid import uuid7

from .. import runtime
from ..pipeline import events as ev
from ..pipeline.failures import report
from . import langchain_context

_UNSET = object()


class RunHandle:
    """A started run; ``end()`` it once (later calls are ignored)."""

    __slots__ = ("id", "name", "run_type", "_emit", "_ended", "_token", "_outputs")

    def __init__(self, name: str, run_type: str, inputs: Any, *, metadata: dict | None = None,
                 tags: list[str] | None = None) -> None:
        # Time-ordered, as LangChain's own run ids: sortable, and the store's id index grows at its end.
        self.id = uuid7()
        self.name = name
        self.run_type = run_type
        self._ended = False
        self._token: Any = None
        self._outputs: Any = _UNSET
        recorder = runtime.recorder()
        self._emit = recorder.emit
        parent = langchain_context.current_parent_id()
        route = runtime.route_root() if parent is None else None
        self._emit((ev.START, self.id, parent, time.time_ns() // 1000, run_type, name, ev.IN_CHAIN,
                    inputs, list(tags) if tags else None, dict(metadata) if metadata else None, None, route))

    def enter(self) -> None:
        try:
            self._token = langchain_context.enter_run(self.id)
        except Exception as error:
            report("entering a traced run's context", error)

    def leave(self) -> None:
        if self._token is not None:
            try:
                langchain_context.leave_run(self._token)
            except Exception as error:  # a context left in another task cannot be reset
                report("leaving a traced run's context", error)
            self._token = None

    def set_outputs(self, outputs: Any) -> None:
        self._outputs = outputs

    def end(self, outputs: Any = _UNSET, error: BaseException | None = None) -> None:
        if self._ended:
            return
        self._ended = True
        if outputs is _UNSET:
            outputs = None if self._outputs is _UNSET else self._outputs
        try:
            self._emit((ev.END, self.id, time.time_ns() // 1000, ev.OUT_CHAIN, outputs, error, None))
        except Exception as failure:
            report("capturing a run end", failure)
