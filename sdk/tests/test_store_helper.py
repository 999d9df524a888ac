"""A kernel's runs are assembled and written by the store's helper process, and none is lost when it fails."""

from __future__ import annotations

import io
import os
import signal

import pytest
from langchain_core.runnables import RunnableLambda

import nbtrace
from nbtrace import runtime
from nbtrace.store import SqliteStore, helper_process
from nbtrace.store.helper import HelperAssembly

from .conftest import nbtrace_warnings


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
