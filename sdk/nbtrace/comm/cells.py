"""Which cell a trace belongs to, and the trace view displayed under it.

The cell is the ``execute_request`` in the kernel's parent header when the
trace's root run starts. ipykernel keeps that header in a context variable,
so threads and asyncio tasks started from a cell name the cell that started
them. The view is displayed right then, on that same thread, so it lands under
that cell, in order with the cell's other output; later runs of the trace
reach it over its comm, whichever thread they end on.
"""

from __future__ import annotations

import threading
from typing import Any, Callable

from ..pipeline.events import Route
from ..settings import current_session


class CellRouter:
    def __init__(self, shell: Any, make_view: Callable[[], Any]) -> None:
        self._shell = shell
        self._make_view = make_view
        self._views: dict[str, Any] = {}
        self._lock = threading.Lock()

    def route_root(self) -> Route:
        session = current_session()
        msg_id = self._current_cell()
        if msg_id is None:
            return Route(None, session)
        view = self._views.get(msg_id)
        if view is None:
            view = self._open_view(msg_id)
        return Route(view, session)

    def view_for(self, msg_id: str) -> Any:
        return self._views.get(msg_id)

    def _current_cell(self) -> str | None:
        parent = self._shell.get_parent()
        if not parent:
            return None
        header = parent.get("header") or {}
        if header.get("msg_type") != "execute_request":
            return None
        return header.get("msg_id")

    def _open_view(self, msg_id: str) -> Any:
        with self._lock:
            view = self._views.get(msg_id)
            if view is None:
                view = self._make_view()
                self._views[msg_id] = view
                display_view(view)
            return view


def display_view(view: Any) -> None:
    from IPython.display import display

    bundle = {
        "text/plain": "nbtrace trace view (shown by the nbtrace JupyterLab extension)",
        "application/vnd.jupyter.widget-view+json": {
            "version_major": 2,
            "version_minor": 0,
            "model_id": view.model_id,
        },
    }
    display(bundle, raw=True)
