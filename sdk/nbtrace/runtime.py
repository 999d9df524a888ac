"""The process-wide pieces, made on first use: recorder, store, cell router, default tracer."""

from __future__ import annotations

import atexit
import sys
import threading
from typing import Any

from .pipeline.events import Route
from .pipeline.recorder import Recorder
from .settings import current_session

_lock = threading.RLock()
_recorder: Recorder | None = None
_tracer: Any = None
_router: Any = None
_router_checked = False


def open_store() -> Any:
    """The SQLite store at ``NBTRACE_DB``; memory (with one warning) if that file cannot be used."""
    from .pipeline.failures import warn_once
    from .settings import store_path
    from .store import MemoryStore, SqliteStore
    from .store.resilient import ResilientStore

    path = store_path()
    try:
        store = SqliteStore(path)
    except Exception as error:
        warn_once(
            "store-open",
            f"nbtrace: cannot use the trace store {path} ({error}); keeping this kernel's traces "
            "in memory only. Set NBTRACE_DB to a writable file to keep them.",
        )
        return MemoryStore()
    try:
        store.close_orphaned_runs()  # left open by a kernel that was restarted or crashed
    except Exception:
        pass
    return ResilientStore(store, path)


def open_assembly_line(store: Any) -> Any:
    """For a SQLite store, its helper process, which assembles and writes this process's
    runs off its GIL; None (the recorder assembles in-process) for a store in memory or
    when the helper cannot start."""
    from .pipeline.failures import report
    from .store import SqliteStore
    from .store.helper import HelperAssembly, HelperGone

    primary = getattr(store, "active", store)
    if not isinstance(primary, SqliteStore):
        return None
    try:
        return HelperAssembly(primary.path, primary.timeout, primary.writer)
    except HelperGone as error:
        report("starting the process that writes the trace store", error)
        return None


def recorder() -> Recorder:
    global _recorder
    if _recorder is None:
        with _lock:
            if _recorder is None:
                store = open_store()
                _recorder = Recorder(store, line=open_assembly_line(store))
                # At exit (last registered, first run): flush the recorder and close its
                # helper process, then close the store.
                atexit.register(store.close)
                atexit.register(_recorder.close, 5.0)
    return _recorder


def default_tracer() -> Any:
    global _tracer
    if _tracer is None:
        with _lock:
            if _tracer is None:
                from .capture.langchain_tracer import NotebookTracer

                _tracer = NotebookTracer()
    return _tracer


def _kernel_shell() -> Any:
    if "ipykernel" not in sys.modules:
        return None
    try:
        from IPython import get_ipython

        shell = get_ipython()
    except Exception:
        return None
    if shell is None or getattr(shell, "kernel", None) is None or not hasattr(shell, "get_parent"):
        return None
    return shell


def router() -> Any:
    """The cell router when running in a Jupyter kernel, else None."""
    global _router, _router_checked
    if not _router_checked:
        with _lock:
            if not _router_checked:
                shell = _kernel_shell()
                if shell is not None:
                    from .comm.cells import CellRouter
                    from .comm.widget import TraceWidget

                    rec = recorder()
                    _router = CellRouter(shell, lambda: TraceWidget(replay=rec.replay_to), rec.save_snapshot)
                _router_checked = True
    return _router


def route_root() -> Route:
    active = _router if _router_checked else router()
    if active is None:
        return Route(None, current_session())
    return active.route_root()
