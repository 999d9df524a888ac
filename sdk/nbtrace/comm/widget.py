"""The trace view under a cell: a Jupyter widget whose model lives in the browser's run store.

Runs travel as custom messages (see ``protocol/schema.json``; on the wire, ``wire``),
never as synced traits, so a change sends only the runs that changed.
"""

from __future__ import annotations

import threading
from typing import Any, Callable

import ipywidgets
from traitlets import Unicode

from .._version_info import MODULE_VERSION_RANGE
from ..output.bundle import trace_bundle
from .wire import IN_BUFFER, runs_message

MODULE_NAME = "nbtrace"


class TraceWidget(ipywidgets.DOMWidget):
    _model_name = Unicode("TraceModel").tag(sync=True)
    _model_module = Unicode(MODULE_NAME).tag(sync=True)
    _model_module_version = Unicode(MODULE_VERSION_RANGE).tag(sync=True)
    _view_name = Unicode("TraceView").tag(sync=True)
    _view_module = Unicode(MODULE_NAME).tag(sync=True)
    _view_module_version = Unicode(MODULE_VERSION_RANGE).tag(sync=True)

    def __init__(self, replay: Callable[["TraceWidget", list[str]], None], **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self._replay = replay
        self._trace_ids: list[str] = []
        self._lock = threading.Lock()
        self.display_id = f"nbtrace-{self.model_id}"
        self.on_msg(self._on_message)

    def show(self) -> None:
        """Display under the current cell, with an empty snapshot until the cell finishes."""
        from IPython.display import display

        display(trace_bundle(self.model_id, [], final=False), raw=True, display_id=self.display_id)

    def save_snapshot(self, runs: list[dict[str, Any]], *, final: bool, total_runs: int) -> None:
        """Replace this output's saved copy.

        Once every run has ended and the snapshot holds them all, the output becomes the
        snapshot alone (the extension draws it with the same tree; nbconvert and viewers
        fall back to its HTML) and the widget closes: a finished cell leaves nothing in the
        kernel. Otherwise the live widget stays, with the snapshot beside it.
        """
        from IPython.display import update_display

        settled = final and total_runs <= len(runs)
        bundle = trace_bundle(None if settled else self.model_id, runs, final=final, total_runs=total_runs)
        update_display(bundle, raw=True, display_id=self.display_id)
        if settled:
            self.close()

    @property
    def trace_ids(self) -> list[str]:
        with self._lock:
            return list(self._trace_ids)

    def add_trace(self, trace_id: str) -> None:
        with self._lock:
            self._trace_ids.append(trace_id)

    def deliver(self, events: list[dict[str, Any]] | bytes, *, replay: bool) -> None:
        self.send(IN_BUFFER, buffers=[runs_message(events, replay=replay)])

    def _on_message(self, _widget: Any, content: Any, _buffers: Any) -> None:
        if isinstance(content, dict) and content.get("kind") == "sync":
            self._replay(self, self.trace_ids)
