"""The helper process that writes a kernel's batches of runs into the SQLite file.

A kernel's recorder works under the GIL: SQLite's work done there (binding,
B-trees, the WAL) is time the traced program waits for. So the kernel builds
each batch's rows and hands them here over a pipe; this process runs them in
one transaction and answers. The kernel keeps its own connection for reads.
Secret-looking keys in the payloads are masked here too (``run_batch``), which
keeps that scan off the kernel as well.

Run as ``python -I -S batch_writer_process.py DB TIMEOUT``, so it imports only
the standard library: nothing of nbtrace, LangChain or the user's packages.
It exits when its input closes (the kernel ended, or closed the store).

Frames both ways: an 8-byte big-endian length, then ``marshal`` data. In:
``[(sql, [row, ...], payload column indexes), ...]``. Out: ``None``, or ``(error class name, message)``.
"""

from __future__ import annotations

import marshal
import os
import sqlite3
import struct
import sys
from typing import IO, Any, Callable

_LENGTH = struct.Struct(">Q")
Statement = tuple[str, list[tuple], tuple[int, ...]]  # sql, its rows, which columns hold payload JSON


def _load_masking() -> Callable[[Any], Any]:
    if __package__:
        from ..pipeline.secret_keys import masked_json

        return masked_json
    # Run as the helper's script (python -I): nbtrace is not importable, so the module is
    # loaded by its path; it needs the standard library only.
    import importlib.util

    path = os.path.join(os.path.dirname(os.path.abspath(__file__)), os.pardir, "pipeline", "secret_keys.py")
    spec = importlib.util.spec_from_file_location("nbtrace_secret_keys", path)
    module = importlib.util.module_from_spec(spec)  # type: ignore[arg-type]
    spec.loader.exec_module(module)  # type: ignore[union-attr]
    return module.masked_json


_masked_json = _load_masking()


def connect(path: str, timeout: float) -> sqlite3.Connection:
    """A connection set up the way every nbtrace writer and reader uses the file."""
    db = sqlite3.connect(path, timeout=timeout, check_same_thread=False, isolation_level=None)
    db.execute("PRAGMA journal_mode=WAL")
    db.execute("PRAGMA synchronous=NORMAL")
    db.execute("PRAGMA foreign_keys=ON")
    return db


def run_batch(db: sqlite3.Connection, statements: list[Statement]) -> None:
    """Every statement over its rows (their payloads' secrets masked), in one transaction."""
    statements = [(sql, masked_rows(rows, columns)) for sql, rows, columns in statements]
    db.execute("BEGIN IMMEDIATE")
    try:
        for sql, rows in statements:
            db.executemany(sql, rows)
        db.execute("COMMIT")
    except BaseException:
        db.execute("ROLLBACK")
        raise


def masked_rows(rows: list[tuple], columns: tuple[int, ...]) -> list[tuple]:
    """``rows`` with secret-looking keys masked in the JSON text of these columns."""
    out = []
    for row in rows:
        for column in columns:
            text = row[column]
            masked = _masked_json(text)
            if masked is not text:
                row = (*row[:column], masked, *row[column + 1 :])
        out.append(row)
    return out


def write_frame(stream: IO[bytes], value: Any) -> None:
    payload = marshal.dumps(value)
    _write_all(stream, _LENGTH.pack(len(payload)))
    _write_all(stream, payload)
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
    path, timeout = argv[1], float(argv[2])
    db = connect(path, timeout)
    source, sink = sys.stdin.buffer, sys.stdout.buffer
    while True:
        ok, statements = read_frame(source)
        if not ok:
            db.close()
            return 0
        try:
            run_batch(db, statements)
            reply = None
        except Exception as error:
            reply = (type(error).__name__, str(error))
        write_frame(sink, reply)


if __name__ == "__main__":
    sys.exit(main(sys.argv))
