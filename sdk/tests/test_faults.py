"""Faults leave no run stuck 'running' and never break the traced program."""

from __future__ import annotations

import os
import sqlite3
import subprocess
import sys
import textwrap
import time
from datetime import datetime

import pytest
from langchain_core.runnables import RunnableLambda

from nbtrace import runtime
from nbtrace.store import SqliteStore
from nbtrace.store.resilient import ResilientStore
from nbtrace.pipeline.events import INTERRUPTED

from .conftest import nbtrace_warnings, resilient_recorder
from .kernel_session import KernelSession
from .records import run_record

DIES_MID_RUN = textwrap.dedent(
    """
    import os, signal, sys, time, nbtrace
    from langchain_core.runnables import RunnableLambda
    from nbtrace import runtime
    nbtrace.enable()
    def die(x):
        nbtrace.flush()
        time.sleep(0.3)
        if sys.argv[1] == "with its helper":  # the machine goes down, say
            os.kill(runtime.recorder().line.pid, signal.SIGKILL)
        os._exit(9)  # the kernel is killed mid-run: no end is ever recorded
    (RunnableLambda(str.upper, name="done_first") | RunnableLambda(die, name="never_ends")).with_config(run_name="doomed").invoke("x")
    """
)


def seconds(iso_time: str) -> float:
    return datetime.fromisoformat(iso_time.replace("Z", "+00:00")).timestamp()


def test_a_killed_process_has_its_open_runs_ended_as_interrupted_when_it_died(tmp_path) -> None:
    path = str(tmp_path / "killed.sqlite")
    env = dict(os.environ, NBTRACE_DB=path)
    assert subprocess.run([sys.executable, "-c", DIES_MID_RUN, "alone"], env=env, timeout=60).returncode == 9
    store = SqliteStore(path)
    deadline = time.monotonic() + 10  # its helper process writes them as it sees the kernel go
    while store.runs_for_session("default")[-1]["end_time"] is None and time.monotonic() < deadline:
        time.sleep(0.05)
    runs = {r["name"]: r for r in store.runs_for_session("default")}
    assert runs["done_first"]["error"] is None
    for name in ("doomed", "never_ends"):
        assert runs[name]["error"] == INTERRUPTED
    # when the process died (0.3 s into the step), not the last time a run was seen
    assert seconds(runs["never_ends"]["end_time"]) - seconds(runs["never_ends"]["start_time"]) >= 0.3
    assert store.close_orphaned_runs() == 0


def test_runs_left_open_by_a_process_dead_with_its_helper_are_closed_as_interrupted(tmp_path) -> None:
    path = str(tmp_path / "dead.sqlite")
    env = dict(os.environ, NBTRACE_DB=path)
    assert subprocess.run([sys.executable, "-c", DIES_MID_RUN, "with its helper"], env=env, timeout=60).returncode == 9
    store = SqliteStore(path)
    before = {r["name"]: r for r in store.runs_for_session("default")}
    assert before["never_ends"]["end_time"] is None and before["done_first"]["end_time"]

    alive = run_record(name="still_running", end=None)
    store.write([("start", alive)])  # written by this, living, process
    assert store.close_orphaned_runs() == 2
    after = {r["name"]: r for r in store.runs_for_session("default")}
    for name in ("doomed", "never_ends"):
        assert after[name]["error"] == INTERRUPTED and after[name]["end_time"]
    assert after["done_first"]["error"] is None
    assert after["still_running"]["end_time"] is None
    page, _ = store.list_traces("default")
    assert {t["name"]: t["error"] for t in page}["doomed"] == INTERRUPTED
    assert store.close_orphaned_runs() == 0


@pytest.mark.parametrize("helper_process", [False, True], ids=["written in-process", "written by the helper"])
def test_a_locked_store_degrades_to_memory_with_one_warning(clean_env, monkeypatch, tmp_path, caplog, helper_process) -> None:
    path = str(tmp_path / "locked.sqlite")
    primary = SqliteStore(path, timeout=0.2)
    store = ResilientStore(primary, path)
    recorder = resilient_recorder(monkeypatch, store, helper=helper_process)
    # A first batch before the lock: with a helper, the failure then comes back from the
    # helper, which holds open state by then.
    RunnableLambda(str.upper, name="before_the_lock").invoke("x")
    assert recorder.flush(10)
    holder = sqlite3.connect(path, isolation_level=None)
    holder.execute("BEGIN EXCLUSIVE")
    try:
        for i in range(3):
            assert RunnableLambda(str.upper, name=f"while_locked_{i}").invoke("x") == "X"
        assert recorder.flush(10)
    finally:
        holder.execute("ROLLBACK")
    assert store.degraded
    names = [r["name"] for r in store.runs_for_session("default")]
    assert names == ["while_locked_0", "while_locked_1", "while_locked_2"]
    assert len([m for m in nbtrace_warnings(caplog) if "in memory only" in m]) == 1
    recorder.close()
    primary.close()


def test_a_full_disk_degrades_the_same_way(clean_env, monkeypatch, tmp_path, caplog) -> None:
    primary = SqliteStore(str(tmp_path / "full.sqlite"))

    def disk_full(changes):
        raise sqlite3.OperationalError("database or disk is full")

    monkeypatch.setattr(primary, "write", disk_full)
    store = ResilientStore(primary, "full.sqlite")
    recorder = resilient_recorder(monkeypatch, store)
    RunnableLambda(str.upper, name="first").invoke("a")
    RunnableLambda(str.upper, name="second").invoke("b")
    assert recorder.flush(10)
    assert [r["name"] for r in store.runs_for_session("default")] == ["first", "second"]
    assert len([m for m in nbtrace_warnings(caplog) if "disk is full" in m]) == 1
    recorder.close()


def test_a_store_path_that_cannot_be_created_falls_back_to_memory(clean_env, monkeypatch, caplog) -> None:
    monkeypatch.setenv("NBTRACE_DB", "/proc/nbtrace-cannot-be-here/traces.sqlite")
    store = runtime.open_store()
    assert type(store).__name__ == "MemoryStore"
    assert any("in memory only" in m for m in nbtrace_warnings(caplog))


@pytest.fixture
def kernel(tmp_path):
    env = dict(os.environ, NBTRACE_DB=str(tmp_path / "kernel.sqlite"))
    for name in ("NBTRACE_TRACING", "LANGCHAIN_HANDLER", "LANGCHAIN_SESSION"):
        env.pop(name, None)
    session = KernelSession(env)
    yield session, env["NBTRACE_DB"]
    session.close()


SLOW_CELL = """
import nbtrace, time
from langchain_core.runnables import RunnableLambda
nbtrace.enable()
def slow(x):
    time.sleep(30)
    return x
(RunnableLambda(str.upper, name="quick") | RunnableLambda(slow, name="slow_step")).with_config(run_name="slow_chain").invoke("x")
"""


def wait_for_start(session: KernelSession, name: str, timeout: float = 30) -> str:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        session.collect(0.2)
        for model in session.trace_models():
            if any(r["name"] == name for r in session.runs_of(model).values()):
                return model
    raise TimeoutError(f"{name} never started")


def test_a_kernel_interrupt_ends_the_open_runs_as_errors(kernel) -> None:
    session, _ = kernel
    msg_id = session.client.execute(SLOW_CELL)
    model = wait_for_start(session, "slow_step")
    session.manager.interrupt_kernel()
    session._drain_until_idle(msg_id, 30)
    session.collect(0.5)
    runs = {r["name"]: r for r in session.runs_of(model).values()}
    for name in ("slow_chain", "slow_step"):
        assert runs[name]["end_time"], name
        assert runs[name]["error"].startswith("KeyboardInterrupt"), runs[name]["error"]
    assert runs["quick"]["error"] is None


def test_after_a_kernel_restart_its_open_runs_are_marked_interrupted(kernel) -> None:
    session, path = kernel
    session.client.execute(SLOW_CELL)
    wait_for_start(session, "slow_step")
    session.manager.restart_kernel(now=True)
    deadline = time.monotonic() + 30
    store = SqliteStore(path)

    def stored() -> dict[str, dict]:
        return {r["name"]: r for r in store.runs_for_session("default")}

    while stored()["slow_step"]["end_time"] is None and time.monotonic() < deadline:
        time.sleep(0.2)  # the killed kernel's helper process ends them
    runs = stored()
    assert runs["slow_step"]["error"] == INTERRUPTED and runs["slow_chain"]["error"] == INTERRUPTED
    assert runs["quick"]["error"] is None
