"""A program that keeps the GIL: events pile up while the worker waits, and the
emitting thread prepares them itself, so the program's payloads do not stay alive."""

from __future__ import annotations

import gc
import weakref

import pytest
from langchain_core.runnables import RunnableLambda

import nbtrace
from nbtrace import runtime
from nbtrace.pipeline.recorder import PREPARE_ON_EMIT_AFTER, Recorder
from nbtrace.store import MemoryStore

from .chains import parallel_chain
from .conftest import RecordingSink, SinkRouter, flushed, install_recorder


class Payload:
    """A value a chain passes on; a weak reference tells when nothing holds it any more."""

    def __init__(self, number: int) -> None:
        self.number = number

    def __repr__(self) -> str:
        return f"Payload({self.number})"


@pytest.fixture
def stalled(clean_env: None, monkeypatch: pytest.MonkeyPatch) -> RecordingSink:
    """A recorder whose worker, once woken, waits a minute before it drains (as if the
    program never let it have the GIL); only a flush hurries it."""
    sink = RecordingSink()
    recorder = install_recorder(monkeypatch, Recorder(MemoryStore(), batch_interval=60.0), SinkRouter(sink))
    nbtrace.enable()
    yield sink
    recorder.close(2.0)


def test_payloads_are_let_go_while_the_worker_waits(stalled: RecordingSink) -> None:
    step = RunnableLambda(lambda value: value["payload"].number, name="step")
    kept = []
    gc.disable()  # only our references may keep the payloads alive, not a pending collection
    try:
        for number in range(100):
            payload = Payload(number)
            kept.append(weakref.ref(payload))
            assert step.invoke({"payload": payload}) == number
            del payload
        alive = [ref for ref in kept if ref() is not None]
    finally:
        gc.enable()
    # Only what waits (fewer than PREPARE_ON_EMIT_AFTER events, two per call) is still held.
    assert len(alive) <= PREPARE_ON_EMIT_AFTER // 2 + 1
    assert len(runtime.recorder()._queue) <= PREPARE_ON_EMIT_AFTER + 1

    runs = sorted(flushed(stalled).runs().values(), key=lambda run: run["inputs"]["payload"])
    assert len(runs) == 100
    assert all(run["end_time"] and not run["error"] for run in runs)
    assert [run["inputs"] for run in runs[:2]] == [{"payload": "Payload(0)"}, {"payload": "Payload(1)"}]
    assert [run["outputs"] for run in runs[-1:]] == [{"output": 99}]


def test_threads_emitting_at_once_keep_every_tree_whole(stalled: RecordingSink) -> None:
    chain = parallel_chain()
    results = chain.batch([f"text {i}" for i in range(60)], config={"max_concurrency": 4})
    assert results[0] == {"upper": "TEXT 0", "length": 6}

    runs = flushed(stalled).runs()
    roots = [run for run in runs.values() if run["parent_run_id"] is None]
    assert len(roots) == 60 and len(runs) == 60 * 3
    for run in runs.values():
        assert run["end_time"] and not run["error"]
        if run["parent_run_id"] is not None:
            parent = runs[run["parent_run_id"]]
            assert run["trace_id"] == parent["trace_id"]
            assert run["dotted_order"].startswith(parent["dotted_order"] + ".")
    assert sorted(run["name"] for run in runs.values() if run["parent_run_id"]) == ["length"] * 60 + ["upper"] * 60
