"""The helper process that assembles a kernel's runs and writes them into the SQLite file.

A kernel's recorder works under the GIL: whatever it does per run is time the
traced program waits for. So it hands each batch here over a pipe as prepared
events (``pipeline/preparing``: plain data, payloads already JSON text). This
process assembles the records (``pipeline/assembly``), masks secret-looking keys
and writes them in one transaction (``sqlite_writes``), then answers with what
each of the kernel's views is to be sent. The kernel keeps its own connection
for reads, and its side of this is ``helper``.

Run as ``python -I -S helper_process.py DB TIMEOUT WRITER [ORJSON_DIR]``. It loads
those few modules of nbtrace by their paths, which need nothing but the standard
library: importing ``nbtrace`` itself would import LangChain and the user's packages.
If the kernel names the folder orjson is installed in, the JSON is written with it
(``pipeline/json_text``); that folder goes last on the path and nothing else is
imported from it.
It exits when its input closes. Unless the kernel said ``DETACH`` first (it gave up on
this process and goes on assembling for itself), the kernel has ended: the runs still
open are ended then as interrupted, at the moment it went, since nothing else ever will.

Frames both ways: an 8-byte big-endian length, then ``marshal`` data. In: a list
of prepared events. Out: ``("ok", deliveries with each view's events as JSON bytes,
problems, created sessions)`` or ``("error", sqlite3 error class name, message)``; after an error
the kernel assembles for itself and closes this process.
"""

from __future__ import annotations

import importlib
import marshal
import os
import sqlite3
import struct
import sys
import types
from typing import IO, Any

_LENGTH = struct.Struct(">Q")
DETACH = "detach"  # the frame a kernel sends before it closes this process and goes on without it


def _plain_modules() -> tuple[Any, Any, Any]:
    """``assembly``, ``json_text`` and ``sqlite_writes``: part of nbtrace in the kernel, loaded by path here."""
    if __package__:
        from ..pipeline import assembly, json_text
        from . import sqlite_writes

        return assembly, json_text, sqlite_writes
    if len(sys.argv) > 4 and sys.argv[4]:
        sys.path.append(sys.argv[4])
    # Packages of their own whose __init__ files never run (they import the rest of nbtrace).
    root = os.path.normpath(os.path.join(os.path.dirname(os.path.abspath(__file__)), os.pardir))
    for name, folder in (("nbtrace_helper", root), ("nbtrace_helper.pipeline", os.path.join(root, "pipeline")),
                         ("nbtrace_helper.store", os.path.join(root, "store"))):
        package = types.ModuleType(name)
        package.__path__ = [folder]
        sys.modules[name] = package
    return (
        importlib.import_module("nbtrace_helper.pipeline.assembly"),
        importlib.import_module("nbtrace_helper.pipeline.json_text"),
        importlib.import_module("nbtrace_helper.store.sqlite_writes"),
    )


assembly, json_text, sqlite_writes = _plain_modules()


class Assembling:
    """The helper's side: the open traces, and the file."""

    def __init__(self, db: sqlite3.Connection, writer: str) -> None:
        self.db = db
        self.writer = writer
        self.assembler = assembly.RunAssembler()
        # A batch assembled but refused by the file: the kernel takes it over after the
        # error, unless it is gone, and then it is written with the runs it left open.
        self.unwritten: list[tuple[str, dict[str, Any]]] = []

    def apply(self, batch: list[tuple]) -> tuple:
        problems: list[str] = []
        changes = self.assembler.apply(batch, lambda error: problems.append(f"{type(error).__name__}: {error}"))
        self.unwritten = assembly.stored(changes)
        created = sqlite_writes.write_runs(self.db, self.unwritten, self.writer)
        self.unwritten = []
        # Each view's events as JSON text, which the kernel sends on as it is (comm/wire).
        deliveries = [
            (key, trace_ids, json_text.compact_json_bytes(events))
            for key, trace_ids, events in assembly.deliveries(changes)
        ]
        return ("ok", deliveries, problems, created)

    def end_open_runs(self) -> None:
        """The kernel is gone: its runs still open end as interrupted, now."""
        changes = self.unwritten + assembly.stored(self.assembler.interrupt_open())
        if changes:
            sqlite_writes.write_runs(self.db, changes, self.writer)


def write_frame(stream: IO[bytes], value: Any) -> None:
    payload = marshal.dumps(value)
    # One write for the length and the data: each write lets the traced program take the
    # GIL, and the kernel's worker then waits up to the switch interval (5 ms) to get it back.
    _write_all(stream, _LENGTH.pack(len(payload)) + payload)
    stream.flush()


def _write_all(stream: IO[bytes], data: bytes) -> None:
    # An unbuffered pipe may take part of a large write (a signal arrived meanwhile):
    # the rest must follow, or the reader waits forever for the frame's end.
    view = memoryview(data)
    while view:
        written = stream.write(view)
        view = view[written if written is not None else 0 :]


def read_frame(stream: IO[bytes]) -> tuple[bool, Any]:
    """(True, value), or (False, None) once the other side has closed the pipe."""
    head = _read_exactly(stream, _LENGTH.size)
    if head is None:
        return False, None
    payload = _read_exactly(stream, _LENGTH.unpack(head)[0])
    if payload is None:
        return False, None
    return True, marshal.loads(payload)


def _read_exactly(stream: IO[bytes], size: int) -> bytes | None:
    parts = []
    while size > 0:
        part = stream.read(size)
        if not part:
            return None
        parts.append(part)
        size -= len(part)
    return b"".join(parts)


def main(argv: list[str]) -> int:
    path, timeout, writer = argv[1], float(argv[2]), argv[3]
    assembling = Assembling(sqlite_writes.connect(path, timeout), writer)
    source, sink = sys.stdin.buffer, sys.stdout.buffer
    try:
        while True:
            ok, batch = read_frame(source)
            if batch == DETACH:
                return 0
            if not ok:
                break
            try:
                reply = assembling.apply(batch)
            except Exception as error:
                reply = ("error", type(error).__name__, str(error))
            try:
                write_frame(sink, reply)
            except OSError:  # the kernel went while this batch was being written
                break
        assembling.end_open_runs()
        return 0
    finally:
        assembling.db.close()


if __name__ == "__main__":
    sys.exit(main(sys.argv))
