"""Where a SQLite store's batches are written: in a helper process, or right here.

A kernel's store writes through ``HelperProcessWriter`` (see
``batch_writer_process``): it hands a batch over and reads the answer when the
next batch comes or someone needs the store settled (``SqliteStore.sync``), so
SQLite works in another process while the traced program and the recorder go
on. If the helper cannot start or dies, the store writes in-process from then
on; every statement is an upsert, so a batch the helper may or may not have
committed is simply written again.
"""

from __future__ import annotations

import os
import sqlite3
import subprocess
import sys
from typing import Any

from . import batch_writer_process as process

_SCRIPT = process.__file__


class HelperGone(Exception):
    """The helper process did not answer: it could not start, or it died."""


class HelperProcessWriter:
    def __init__(self, path: str, timeout: float) -> None:
        try:
            self._process = subprocess.Popen(
                [sys.executable, "-I", "-S", _SCRIPT, path, repr(timeout)],
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

    @property
    def pid(self) -> int:
        return self._process.pid

    def send(self, statements: list[process.Statement]) -> None:
        """Hand over one batch; ``receive`` tells how it went. Raises HelperGone."""
        try:
            process.write_frame(self._process.stdin, statements)  # type: ignore[arg-type]
        except (OSError, ValueError) as error:
            raise HelperGone(str(error)) from error

    def receive(self) -> None:
        """Wait for the answer to the batch sent last: returns once it is committed, raises
        the sqlite3 error the helper met, or HelperGone."""
        try:
            ok, reply = process.read_frame(self._process.stdout)  # type: ignore[arg-type]
        except (OSError, ValueError, EOFError) as error:
            raise HelperGone(str(error)) from error
        if not ok:
            raise HelperGone(f"the helper process ended (exit status {self._process.poll()})")
        if reply is not None:
            kind, message = reply
            error_class: Any = getattr(sqlite3, kind, None)
            if not (isinstance(error_class, type) and issubclass(error_class, sqlite3.Error)):
                error_class = sqlite3.Error
            raise error_class(message)

    def close(self, timeout: float = 5.0) -> None:
        try:
            if self._process.stdin is not None:
                self._process.stdin.close()
            self._process.wait(timeout)
        except Exception:
            self._process.kill()
            self._process.wait(1.0)
        finally:
            if self._process.stdout is not None:
                self._process.stdout.close()
