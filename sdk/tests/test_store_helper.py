"""A kernel's store writes through a helper process, and keeps every run when the helper fails."""

from __future__ import annotations

import io
import os
import signal

import pytest

from nbtrace import runtime
from nbtrace.store import SqliteStore, batch_writer_process

from .records import run_record


def names(store) -> list[str]:
    return sorted(r["name"] for r in store.runs_for_session("default"))


def test_the_kernel_store_writes_through_a_helper_in_its_own_process_group(tmp_path) -> None:
    path = str(tmp_path / "helper.sqlite")
    store = SqliteStore(path, helper_process=True)
    helper = store.helper
    assert helper is not None and helper.pid != os.getpid()
    if hasattr(os, "getpgid"):  # interrupting the kernel's process group must not reach it
        assert os.getpgid(helper.pid) != os.getpgid(0)
    store.write([("start", run_record(name="one")), ("start", run_record(name="two"))])
    store.sync()
    assert names(SqliteStore(path)) == ["one", "two"]  # committed, visible to another reader
    store.close()
    assert helper._process.poll() is not None  # it ends when the store closes


def test_the_runtime_opens_the_store_with_a_helper(clean_env, monkeypatch, tmp_path) -> None:
    monkeypatch.setenv("NBTRACE_DB", str(tmp_path / "runtime.sqlite"))
    store = runtime.open_store()
    try:
        assert store.active.helper is not None
    finally:
        store.close()


def test_when_the_helper_dies_the_kernel_writes_itself_and_loses_nothing(tmp_path, caplog) -> None:
    path = str(tmp_path / "dies.sqlite")
    store = SqliteStore(path, helper_process=True)
    store.write([("start", run_record(name="before"))])
    store.sync()
    helper = store.helper
    assert helper is not None
    store.write([("start", run_record(name="in_flight"))])  # handed over, answer not read yet
    os.kill(helper.pid, signal.SIGKILL)
    helper._process.wait(10)
    store.sync()
    store.write([("start", run_record(name="after"))])
    store.sync()
    assert store.helper is None
    assert names(SqliteStore(path)) == ["after", "before", "in_flight"]
    reports = [r for r in caplog.records if r.name == "nbtrace" and "helper process" in r.getMessage()]
    assert len(reports) == 1
    store.close()


@pytest.mark.parametrize("value", ["plain", "héllo wörld", "emoji 🎉", "nul \x00 byte"])
def test_text_reaches_the_file_unchanged_through_the_helper(tmp_path, value) -> None:
    path = str(tmp_path / "text.sqlite")
    store = SqliteStore(path, helper_process=True)
    record = run_record(name=value)
    record["inputs"] = {"text": value}
    store.write([("start", record)])
    store.sync()
    (run,) = SqliteStore(path).runs_for_session("default")
    assert run["name"] == value and run["inputs"] == {"text": value}
    store.close()


class PipeTakingPartOfEachWrite(io.RawIOBase):
    """What an unbuffered pipe does when a signal arrives mid-write: it takes part of the data."""

    def __init__(self) -> None:
        self.received = bytearray()

    def writable(self) -> bool:
        return True

    def write(self, data) -> int:
        taken = bytes(data[:1000])
        self.received += taken
        return len(taken)


def test_a_batch_larger_than_one_write_reaches_the_helper_whole() -> None:
    rows = [("x" * 300, index) for index in range(200)]
    pipe = PipeTakingPartOfEachWrite()
    batch_writer_process.write_frame(pipe, [("INSERT", rows)])
    assert batch_writer_process.read_frame(io.BytesIO(bytes(pipe.received))) == (True, [("INSERT", rows)])
