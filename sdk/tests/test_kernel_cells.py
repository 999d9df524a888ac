"""In a real kernel: each cell's traces go to a view displayed under that cell."""

from __future__ import annotations

import os

import pytest

from .kernel_session import KernelSession, displayed_models, protocol_message

SETUP = """
import nbtrace, time, asyncio
from concurrent.futures import ThreadPoolExecutor
from langchain_core.runnables import RunnableLambda
nbtrace.enable()
def chain(name):
    return (RunnableLambda(str.upper, name="upper") | RunnableLambda(str.lower, name="lower")).with_config(run_name=name)
"""


@pytest.fixture(scope="module")
def kernel(tmp_path_factory):
    env = dict(os.environ)
    env["NBTRACE_DB"] = str(tmp_path_factory.mktemp("store") / "runs.sqlite")
    for name in ("NBTRACE_TRACING", "LANGCHAIN_HANDLER", "LANGCHAIN_SESSION"):
        env.pop(name, None)
    session = KernelSession(env)
    session.run(SETUP)
    yield session
    session.close()


def names(runs: dict) -> set[str]:
    return {run["name"] for run in runs.values()}


def test_a_cells_trace_view_is_displayed_under_that_cell(kernel: KernelSession) -> None:
    result = kernel.run('chain("first_chain").invoke("Hi")')
    models = displayed_models(result)
    assert len(models) == 1
    kernel.collect(0.5)
    assert names(kernel.runs_of(models[0])) == {"first_chain", "upper", "lower"}


def test_two_cells_keep_their_own_traces(kernel: KernelSession) -> None:
    one = displayed_models(kernel.run('chain("cell_one").invoke("a")'))
    two = displayed_models(kernel.run('chain("cell_two").invoke("b"); chain("cell_two_again").invoke("c")'))
    kernel.collect(0.5)
    assert len(one) == 1 and len(two) == 1 and one != two
    assert {r["name"] for r in kernel.runs_of(one[0]).values() if r["parent_run_id"] is None} == {"cell_one"}
    assert {r["name"] for r in kernel.runs_of(two[0]).values() if r["parent_run_id"] is None} == {"cell_two", "cell_two_again"}


def test_runs_in_threads_and_tasks_land_under_the_cell_that_started_them(kernel: KernelSession) -> None:
    result = kernel.run(
        """
        with ThreadPoolExecutor(2) as pool:
            list(pool.map(lambda n: chain(n).invoke("x"), ["in_thread_1", "in_thread_2"]))
        async def main():
            await asyncio.gather(chain("in_task_1").ainvoke("y"), chain("in_task_2").ainvoke("z"))
        await main()
        """
    )
    models = displayed_models(result)
    assert len(models) == 1
    kernel.collect(0.5)
    roots = {r["name"] for r in kernel.runs_of(models[0]).values() if r["parent_run_id"] is None}
    assert roots == {"in_thread_1", "in_thread_2", "in_task_1", "in_task_2"}


def test_runs_arrive_while_the_cell_is_still_running(kernel: KernelSession) -> None:
    result = kernel.run(
        """
        def slow(x):
            time.sleep(1.0)
            return x
        (RunnableLambda(slow, name="slow_step") | RunnableLambda(str.upper, name="upper")).with_config(run_name="slow_chain").invoke("x")
        """
    )
    model = displayed_models(result)[0]
    kernel.collect(0.5)
    messages = [
        m for m in kernel.all_iopub
        if m["msg_type"] == "comm_msg" and m["content"]["comm_id"] == model
    ]
    first_start = next(m for m in messages if any(e["op"] == "start" for e in protocol_message(m)["events"]))
    busy_until = next(
        m for m in kernel.all_iopub
        if m["msg_type"] == "status" and m["content"]["execution_state"] == "idle" and m["parent_header"].get("msg_id") == result.msg_id
    )
    # the start reached the front end a good while before the cell finished
    assert first_start["header"]["date"] < busy_until["header"]["date"]
    starts = [e for m in messages for e in protocol_message(m)["events"] if e["op"] == "start"]
    ends = [e for m in messages for e in protocol_message(m)["events"] if e["op"] == "end"]
    # a run that ends in the batch of its start comes as one start that carries its end
    ended = {e["run"]["id"] for e in ends} | {e["run"]["id"] for e in starts if e["run"].get("end_time")}
    assert len(starts) == 3 and ended == {e["run"]["id"] for e in starts}
    slow_chain = next(e["run"] for e in starts if e["run"]["name"] == "slow_chain")
    assert slow_chain.get("end_time") is None  # it was seen running, then ended
    assert slow_chain["id"] in {e["run"]["id"] for e in ends}


def test_a_finished_cell_settles_into_its_snapshot_and_closes_its_widget(kernel: KernelSession) -> None:
    result = kernel.run('chain("settles").invoke("q")')
    model = displayed_models(result)[0]
    updates = [m for m in result.iopub if m["msg_type"] == "update_display_data"]
    assert len(updates) == 1
    data = updates[0]["content"]["data"]
    assert "application/vnd.jupyter.widget-view+json" not in data
    snapshot = data["application/vnd.nbtrace.trace+json"]
    assert snapshot["final"] is True and {r["name"] for r in snapshot["runs"]} == {"settles", "upper", "lower"}
    assert updates[0]["content"]["transient"]["display_id"] == f"nbtrace-{model}"
    assert any(m["msg_type"] == "comm_close" and m["content"]["comm_id"] == model for m in result.iopub)


def test_a_trace_still_running_when_its_cell_ends_keeps_its_live_widget_and_answers_sync(kernel: KernelSession, protocol_validator) -> None:
    result = kernel.run(
        """
        import threading
        release = threading.Event()
        def wait_for_release(x):
            release.wait(30)
            return x
        import contextvars
        outlives = (RunnableLambda(str.upper, name="upper") | RunnableLambda(wait_for_release, name="waits")).with_config(run_name="outlives_cell")
        # run in a thread started from this cell, with the cell's context, so it belongs under this cell
        background = threading.Thread(target=contextvars.copy_context().run, args=(outlives.invoke, "q"))
        background.start()
        time.sleep(0.5)
        """
    )
    model = displayed_models(result)[0]
    update = next(m for m in result.iopub if m["msg_type"] == "update_display_data")
    assert "application/vnd.jupyter.widget-view+json" in update["content"]["data"]
    assert update["content"]["data"]["application/vnd.nbtrace.trace+json"]["final"] is False

    before = len(kernel.runs_messages(model))
    kernel.send_custom(model, {"protocol": 1, "kind": "sync"})
    kernel.collect(1.0)
    replies = kernel.runs_messages(model)[before:]
    assert len(replies) == 1 and replies[0]["replay"] is True
    protocol_validator.validate(replies[0])
    replayed = {e["run"]["name"]: e["run"] for e in replies[0]["events"]}
    assert set(replayed) == {"outlives_cell", "upper", "waits"}
    assert replayed["waits"]["end_time"] is None and replayed["upper"]["end_time"]

    kernel.run("release.set(); background.join()")
    kernel.collect(0.5)
    assert kernel.runs_of(model)["%s" % replayed["outlives_cell"]["id"]]["end_time"]


def test_no_view_without_a_trace(kernel: KernelSession) -> None:
    assert displayed_models(kernel.run("1 + 1")) == []
