"""A kernel's SQLite store, assembled and written by a helper process (see ``helper_process``).

The recorder hands each batch of prepared events over a pipe and reads the
answer (what each view is to be sent) when the next batch comes or it settles,
so the records are built and SQLite works in another process while the traced
program and the recorder go on. One batch is in flight at a time.

If the helper cannot start, dies, or the file refuses a batch, the batch in
flight goes back to the recorder (``AssemblyFailed``) with the open traces
rebuilt from the journal of answered batches, and the kernel assembles for
itself from then on (the helper is told to leave those runs open). Every
statement is an upsert, so a batch the helper may or may not have committed is
simply written again. When the kernel ends, the helper ends the runs still open
as interrupted.
"""

from __future__ import annotations

import os
import sqlite3
import subprocess
import sys
from typing import Any

from ..pipeline.assembly import Delivery
from ..pipeline.assembly_line import AssemblyFailed, OpenRunJournal
from ..pipeline.failures import report
from . import helper_process as process
from .base import announce_new_session

_SCRIPT = process.__file__


class HelperGone(Exception):
    """The helper process did not answer: it could not start, or it died."""


class HelperAssembly:
    def __init__(self, path: str, timeout: float, writer: str) -> None:
        try:
            self._process = subprocess.Popen(
                [sys.executable, "-I", "-S", _SCRIPT, path, repr(timeout), writer, _orjson_folder()],
                stdin=subprocess.PIPE,
                stdout=subprocess.PIPE,
                stderr=subprocess.DEVNULL,
                bufsize=0,
                # Its own process group: interrupting the kernel (a signal to the kernel's
                # group) must not stop it. It ends when its input closes instead.
                start_new_session=os.name == "posix",
                creationflags=getattr(subprocess, "CREATE_NEW_PROCESS_GROUP", 0) if os.name == "nt" else 0,
            )
        except (OSError, ValueError) as error:
            raise HelperGone(f"cannot start {sys.executable}: {error}") from error
        self._pending: list[tuple] | None = None  # the batch handed over, not answered yet
        self._journal = OpenRunJournal()

    @property
    def pid(self) -> int:
        return self._process.pid

    @property
    def open_count(self) -> int:
        """Runs the journal keeps (started, not ended, as of the batches answered)."""
        return len(self._journal)

    def submit(self, batch: list[tuple]) -> list[Delivery]:
        try:
            done = self.settle()
        except AssemblyFailed as failure:
            failure.unassembled.append(batch)
            raise
        try:
            process.write_frame(self._process.stdin, batch)  # type: ignore[arg-type]
        except (OSError, ValueError) as error:  # gone, or a value marshal cannot write
            raise self._failed(error, batch) from error
        self._pending = batch
        return done

    def settle(self) -> list[Delivery]:
        batch, self._pending = self._pending, None
        if batch is None:
            return []
        try:
            ok, reply = process.read_frame(self._process.stdout)  # type: ignore[arg-type]
        except (OSError, ValueError, EOFError) as error:
            raise self._failed(error, batch) from error
        if not ok:
            raise self._failed(HelperGone(f"the helper process ended (exit status {self._process.poll()})"), batch)
        if reply[0] != "ok":
            _, kind, message = reply
            error = _error_named(kind, message)
            raise self._failed(error, batch, store_refused=isinstance(error, sqlite3.Error))
        _, deliveries, problems, created = reply
        self._journal.record(batch)
        for problem in problems:
            report("building a run record", RuntimeError(problem))
        for name in created:
            announce_new_session(name)
        return deliveries

    def _failed(self, error: BaseException, batch: list[tuple], *, store_refused: bool = False) -> AssemblyFailed:
        self.close(0.5, detach=True)
        return AssemblyFailed(error, [batch], self._journal.rebuilt(), store_refused=store_refused)

    def close(self, timeout: float = 5.0, *, detach: bool = False) -> None:
        """Stop the helper, waiting up to ``timeout`` for it. It ends the runs still open as
        interrupted, unless ``detach``: the recorder goes on with them in this process (and
        a helper that does not stop then is killed). One still ending runs (the file locked
        by another writer) is left to finish: it runs in a session of its own."""
        try:
            stdin = self._process.stdin
            if stdin is not None and not stdin.closed:
                if detach:
                    try:
                        process.write_frame(stdin, process.DETACH)
                    except (OSError, ValueError):
                        pass  # gone already
                stdin.close()
            self._process.wait(timeout)
        except subprocess.TimeoutExpired:
            if detach:
                self._kill()
        except Exception:
            self._kill()
        finally:
            if self._process.stdout is not None:
                self._process.stdout.close()

    def _kill(self) -> None:
        try:
            self._process.kill()
            self._process.wait(1.0)
        except Exception:
            pass


def _orjson_folder() -> str:
    """Where orjson is installed, for the helper to encode JSON with it ('' if it is not)."""
    try:
        import orjson
    except ImportError:
        return ""
    if not getattr(orjson, "__file__", None):
        return ""
    # orjson is a package (a folder holding the compiled module) or a lone compiled module.
    location = os.path.dirname(os.path.abspath(orjson.__file__))
    return os.path.dirname(location) if os.path.basename(location) == "orjson" else location


def _error_named(kind: str, message: str) -> BaseException:
    """The helper's error as the sqlite3 exception it was (or a RuntimeError)."""
    error_class: Any = getattr(sqlite3, kind, None)
    if isinstance(error_class, type) and issubclass(error_class, sqlite3.Error):
        return error_class(message)
    return RuntimeError(f"{kind}: {message}")
