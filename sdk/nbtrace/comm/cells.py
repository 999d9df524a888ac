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
    """Also keeps each cell's saved output current: when a cell finishes executing (IPython's
    ``post_execute``, while JupyterLab still routes the cell's display updates to it), its view's
    display is updated with a snapshot of its runs, final if they have all ended."""

    def __init__(self, shell: Any, make_view: Callable[[], Any], finish: Callable[[Any], None] | None = None) -> None:
        self._shell = shell
        self._make_view = make_view
        self._finish = finish
        self._views: dict[str, Any] = {}
        self._lock = threading.Lock()
        if finish is not None:
            shell.events.register("post_execute", self._on_post_execute)

    def _on_post_execute(self) -> None:
        msg_id = self._current_cell()
        view = self._views.get(msg_id) if msg_id else None
        if view is not None and self._finish is not None:
            try:
                self._finish(view)
                if view.comm is None:  # closed: settled into its snapshot
                    with self._lock:
                        self._views.pop(msg_id, None)
            except Exception as error:
                from ..pipeline.failures import report

                report("saving a snapshot of the trace in the notebook", error)

    def route_root(self) -> Route:
        session = current_session()
        msg_id = self._current_cell()
        if msg_id is None:
            return Route(None, session)
        view = self._views.get(msg_id)
        if view is None:
            view = self._open_view(msg_id)
        return Route(view, session)

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
                view.show()
            return view
