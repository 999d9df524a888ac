"""A kernel's runs are assembled and written by the store's helper process, and none is lost when it fails."""

from __future__ import annotations

import io
import os
import signal
import sqlite3
import time
from datetime import datetime
from typing import Any

import pytest
from langchain_core.runnables import RunnableLambda

import nbtrace
from nbtrace import runtime
from nbtrace.pipeline import events as ev
from nbtrace.pipeline.events import INTERRUPTED
from nbtrace.pipeline.recorder import Recorder
from nbtrace.store import SqliteStore, helper_process, sqlite_writes
from nbtrace.store.helper import HelperAssembly

from .conftest import install_recorder, nbtrace_warnings


def stored(path: str) -> dict[str, dict]:
    return {r["name"]: r for r in SqliteStore(path).runs_for_session("default")}


def test_the_helper_runs_in_its_own_process_group_and_ends_with_the_recorder(through_helper) -> None:
    recorder, _, path, _ = through_helper
    helper = recorder.line
    assert isinstance(helper, HelperAssembly) and helper.pid != os.getpid()
    if hasattr(os, "getpgid"):  # interrupting the kernel's process group must not reach it
        assert os.getpgid(helper.pid) != os.getpgid(0)
    (RunnableLambda(str.upper, name="one") | RunnableLambda(str.lower, name="two")).invoke("x")
    assert recorder.flush(10)
    assert set(stored(path)) == {"RunnableSequence", "one", "two"}  # committed, visible to another reader
    recorder.close()
    assert helper._process.poll() is not None


def test_the_runtime_writes_a_sqlite_store_through_a_helper(clean_env, monkeypatch, tmp_path) -> None:
    monkeypatch.setenv("NBTRACE_DB", str(tmp_path / "runtime.sqlite"))
    store = runtime.open_store()
    line = runtime.open_assembly_line(store)
    try:
        assert isinstance(line, HelperAssembly)
    finally:
        line.close()
        store.close()


def test_views_get_the_tree_as_the_helper_assembled_it(through_helper) -> None:
    recorder, _, path, sink = through_helper
    RunnableLambda(lambda x: RunnableLambda(str.upper, name="inner").invoke(x), name="outer").invoke("x")
    assert recorder.flush(10)
    runs = {r["name"]: r for r in sink.runs().values()}
    assert runs["inner"]["parent_run_id"] == runs["outer"]["id"]
    assert runs["outer"]["end_time"] and runs["inner"]["end_time"]
    assert sink.trace_ids == [runs["outer"]["id"]]
    assert "inputs" not in runs["outer"]  # Explore reads payloads from the store
    assert stored(path)["outer"]["inputs"] == {"input": "x"}


def test_when_the_helper_dies_mid_trace_the_trace_goes_on_whole(through_helper, caplog) -> None:
    recorder, _, path, sink = through_helper
    helper = recorder.line
    with nbtrace.trace("outer", inputs={"q": 1}) as outer:
        with nbtrace.trace("before"):
            pass
        with nbtrace.trace("open_across") as across:
            assert recorder.flush(10)
            os.kill(helper.pid, signal.SIGKILL)
            helper._process.wait(10)
            with nbtrace.trace("during"):  # its batch finds the helper gone
                pass
            assert recorder.flush(10)
            with nbtrace.trace("after"):
                pass
            across.end(outputs={"ok": True})
        outer.end(outputs={"a": 2})
    assert recorder.flush(10)
    assert not isinstance(recorder.line, HelperAssembly)
    runs = stored(path)
    assert set(runs) == {"outer", "before", "open_across", "during", "after"}
    root = runs["outer"]
    for name in ("before", "open_across"):
        assert runs[name]["parent_run_id"] == root["id"]
    for name in ("during", "after"):
        assert runs[name]["parent_run_id"] == runs["open_across"]["id"]
        assert runs[name]["dotted_order"].startswith(runs["open_across"]["dotted_order"] + ".")
    assert all(r["trace_id"] == root["id"] and r["end_time"] for r in runs.values())
    assert runs["open_across"]["outputs"] == {"ok": True} and root["outputs"] == {"a": 2}
    seen = {r["name"]: r for r in sink.runs().values()}
    assert set(seen) == set(runs) and all(r["end_time"] for r in seen.values())
    reports = [m for m in nbtrace_warnings(caplog) if "helper process" in m]
    assert len(reports) == 1


def seconds(iso_time: str) -> float:
    return datetime.fromisoformat(iso_time.replace("Z", "+00:00")).timestamp()


def start_two_runs_and_leave_them_open() -> tuple[float, list]:
    """An outer run with a finished child and an open one: the time after they are
    recorded, and their context managers (kept, or collecting them would end the runs)."""
    left_open = [nbtrace.trace("outer")]
    left_open[0].__enter__()
    with nbtrace.trace("finished"):
        pass
    left_open.append(nbtrace.trace("open_inside"))
    left_open[1].__enter__()
    assert nbtrace.flush(10)
    return time.time(), left_open


def test_runs_still_open_when_the_kernel_ends_are_ended_as_interrupted_then(through_helper) -> None:
    recorder, _, path, _ = through_helper
    recorded, _left_open = start_two_runs_and_leave_them_open()
    time.sleep(0.3)
    recorder.close()  # what the kernel does at exit; a killed kernel closes the pipe all the same
    runs = stored(path)
    assert runs["finished"]["error"] is None
    for name in ("outer", "open_inside"):
        assert runs[name]["error"] == INTERRUPTED
        # at the moment the kernel went, not at the last time a run was seen
        assert seconds(runs[name]["end_time"]) >= recorded + 0.3
    ((trace,), _) = SqliteStore(path).list_traces("default")
    assert trace["error"] == INTERRUPTED and trace["end_time"] == runs["outer"]["end_time"]


def test_runs_still_open_when_a_process_without_the_helper_ends_are_ended_as_interrupted(clean_env, monkeypatch, tmp_path) -> None:
    path = str(tmp_path / "in-process.sqlite")
    store = SqliteStore(path)
    recorder = install_recorder(monkeypatch, Recorder(store, batch_interval=0.001), None)
    nbtrace.enable()
    _, _left_open = start_two_runs_and_leave_them_open()
    recorder.close()
    runs = stored(path)
    assert runs["finished"]["error"] is None
    assert runs["outer"]["error"] == runs["open_inside"]["error"] == INTERRUPTED


def test_a_helper_the_kernel_gives_up_on_leaves_its_open_runs_to_the_kernel(tmp_path) -> None:
    path = str(tmp_path / "detached.sqlite")
    store = SqliteStore(path)
    helper = HelperAssembly(path, store.timeout, store.writer)
    helper.submit([(ev.START, 7, None, time.time_ns() // 1000, "chain", "carried_on", None, None, None, None, "default")])
    helper.settle()
    helper.close(detach=True)  # as after a batch the file refused: the kernel assembles for itself from here
    assert helper._process.returncode == 0
    assert stored(path)["carried_on"]["end_time"] is None


def open_run(key: int, name: str, parent: int | None = None) -> tuple:
    return (ev.START, key, parent, time.time_ns() // 1000, "chain", name, None, None, None, None, None if parent else "default")


def test_a_helper_ending_runs_in_a_locked_file_is_left_to_finish_not_killed(tmp_path) -> None:
    path = str(tmp_path / "locked.sqlite")
    store = SqliteStore(path)
    helper = HelperAssembly(path, store.timeout, store.writer)
    helper.submit([open_run(7, "open_at_exit")])
    helper.settle()
    other_writer = sqlite3.connect(path, isolation_level=None)
    other_writer.execute("BEGIN IMMEDIATE")
    helper.close(0.3)  # the kernel exits; the helper waits its turn at the file
    assert helper._process.poll() is None
    other_writer.execute("COMMIT")
    assert helper._process.wait(10) == 0
    assert stored(path)["open_at_exit"]["error"] == INTERRUPTED


def test_a_batch_the_file_refused_is_written_with_the_interrupts_if_the_kernel_is_gone(tmp_path, monkeypatch) -> None:
    path = str(tmp_path / "refused.sqlite")
    store = SqliteStore(path)
    assembling = helper_process.Assembling(sqlite_writes.connect(path, 1.0), store.writer)
    write_runs = sqlite_writes.write_runs
    refusals = iter([sqlite3.OperationalError("database is locked")])

    def refuse_once(*args: Any) -> Any:
        for refusal in refusals:
            raise refusal
        return write_runs(*args)

    monkeypatch.setattr(sqlite_writes, "write_runs", refuse_once)
    with pytest.raises(sqlite3.OperationalError):
        assembling.apply([open_run(1, "root"), open_run(2, "done", 1),
                          (ev.END, 2, time.time_ns() // 1000, '{"output":"ok"}', None, None, None, None, None, 0)])
    assembling.end_open_runs()  # the kernel never read the error: it is gone
    runs = stored(path)
    assert runs["root"]["error"] == INTERRUPTED
    assert runs["done"]["error"] is None and runs["done"]["outputs"] == {"output": "ok"}


def fork_a_child_that_exits_while(recorder: Recorder, path: str) -> None:
    """A run open in this process while a forked child closes its copy of the recorder (as
    atexit does in a child that exits normally); the run is still open in the file after."""
    with nbtrace.trace("parent_run"):
        assert recorder.flush(10)
        child = os.fork()
        if child == 0:
            try:
                recorder.close(1.0)
            finally:
                os._exit(0)
        os.waitpid(child, 0)
        assert stored(path)["parent_run"]["end_time"] is None
    assert recorder.flush(10)
    run = stored(path)["parent_run"]
    assert run["end_time"] and run["error"] is None


@pytest.mark.skipif(not hasattr(os, "fork"), reason="needs os.fork")
def test_a_forked_child_exiting_leaves_its_parents_helper_and_runs_alone(through_helper) -> None:
    recorder, _, path, _ = through_helper
    fork_a_child_that_exits_while(recorder, path)
    assert recorder.line._process.poll() is None


@pytest.mark.skipif(not hasattr(os, "fork"), reason="needs os.fork")
def test_a_forked_child_exiting_leaves_its_parents_runs_alone_without_a_helper(clean_env, monkeypatch, tmp_path) -> None:
    path = str(tmp_path / "in-process.sqlite")
    recorder = install_recorder(monkeypatch, Recorder(SqliteStore(path), batch_interval=0.001), None)
    nbtrace.enable()
    fork_a_child_that_exits_while(recorder, path)


def test_finished_traces_leave_nothing_behind_in_the_kernel(through_helper) -> None:
    recorder, _, path, _ = through_helper
    for index in range(50):
        RunnableLambda(lambda x: RunnableLambda(str.upper, name="inner").invoke(x), name=f"outer_{index}").invoke("x")
    assert recorder.flush(10)
    assert recorder.line.open_count == 0
    assert len(SqliteStore(path).runs_for_session("default")) == 100


@pytest.mark.parametrize("value", ["plain", "héllo wörld", "emoji 🎉", "nul \x00 byte"])
def test_text_reaches_the_file_unchanged_through_the_helper(through_helper, value) -> None:
    recorder, _, path, _ = through_helper
    RunnableLambda(lambda x: x, name=value).invoke({"text": value})
    assert recorder.flush(10)
    (run,) = SqliteStore(path).runs_for_session("default")
    assert run["name"] == value and run["inputs"] == {"text": value}


def test_text_that_is_not_valid_unicode_is_kept_readable_not_lost(through_helper) -> None:
    recorder, _, path, sink = through_helper
    broken = "bad \udcff bytes"  # a lone surrogate, as bytes decoded with surrogateescape leave
    RunnableLambda(lambda x: x, name=broken).with_config(tags=[broken]).invoke({"text": broken})
    assert recorder.flush(10)
    assert isinstance(recorder.line, HelperAssembly)  # nothing failed
    (run,) = SqliteStore(path).runs_for_session("default")
    assert run["name"] == "bad \ufffd bytes" and run["tags"] == ["bad \ufffd bytes"]
    assert run["inputs"] == {"text": "bad \ufffd bytes"}
    assert [r["name"] for r in sink.runs().values()] == ["bad \ufffd bytes"]


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
    batch = [(0, index, None, 1, "chain", "x" * 300, "{}", None, "{}", None, "default") for index in range(200)]
    pipe = PipeTakingPartOfEachWrite()
    helper_process.write_frame(pipe, batch)
    assert helper_process.read_frame(io.BytesIO(bytes(pipe.received))) == (True, batch)


def test_the_helper_encodes_with_orjson_when_the_kernel_has_it(through_helper) -> None:
    recorder, _, _, _ = through_helper
    maps = f"/proc/{recorder.line.pid}/maps"
    if not os.path.exists(maps):
        pytest.skip("needs Linux's /proc to see what another process has loaded")
    RunnableLambda(lambda x: x, name="one").invoke("x")
    assert recorder.flush(10)
    with open(maps) as loaded:
        assert "orjson" in loaded.read()  # json's encoder costs the helper ~3 µs per run more
