"""Plain Python runs: the decorator and the context manager, nested with LangChain both ways."""

from __future__ import annotations

import asyncio
import uuid
import contextvars
from concurrent.futures import ThreadPoolExecutor

import pytest
from langchain_core.runnables import RunnableLambda

import nbtrace

from .chains import joke_chain
from .conftest import RecordingSink, flushed


def tree(sink: RecordingSink) -> dict[str, dict]:
    return {run["name"]: run for run in flushed(sink).runs().values()}


def parent_name(runs: dict[str, dict], name: str) -> str | None:
    parent = runs[name]["parent_run_id"]
    return next((n for n, r in runs.items() if r["id"] == parent), None)


def test_bare_decorator_records_inputs_output_and_name(traced) -> None:
    nbtrace.enable()

    @nbtrace.traceable
    def add(a, b=2, **extra):
        return a + b

    assert add(1, b=5, note="x") == 6
    run = tree(traced)["add"]
    assert run["run_type"] == "chain" and run["parent_run_id"] is None
    assert run["inputs"] == {"a": 1, "b": 5, "note": "x"} and run["outputs"] == {"output": 6}


def test_decorator_options(traced) -> None:
    nbtrace.enable()

    @nbtrace.traceable(name="search", run_type="retriever", metadata={"index": "docs"}, tags=["fast"])
    def find(query):
        return ["doc1"]

    find("bears")
    run = tree(traced)["search"]
    assert run["run_type"] == "retriever" and run["tags"] == ["fast"]
    assert run["extra"]["metadata"] == {"index": "docs"}


def test_errors_are_recorded_and_still_raised(traced) -> None:
    nbtrace.enable()

    @nbtrace.traceable
    def fails():
        raise KeyError("missing")

    with pytest.raises(KeyError):
        fails()
    run = tree(traced)["fails"]
    assert run["error"].startswith("KeyError('missing')") and run["end_time"]


def test_generators_end_when_exhausted_with_what_they_yielded(traced) -> None:
    nbtrace.enable()

    @nbtrace.traceable
    def count(n):
        for i in range(n):
            yield i
        return "done"

    gen = count(3)
    assert next(gen) == 0
    nbtrace.flush()
    assert traced.runs()[next(iter(traced.runs()))]["end_time"] is None
    assert list(gen) == [1, 2]
    run = tree(traced)["count"]
    assert run["outputs"] == {"output": [0, 1, 2]} and run["end_time"]


def test_a_generator_closed_early_ends_with_what_it_yielded(traced) -> None:
    nbtrace.enable()

    @nbtrace.traceable
    def forever():
        i = 0
        while True:
            yield i
            i += 1

    gen = forever()
    next(gen), next(gen)
    gen.close()
    assert tree(traced)["forever"]["outputs"] == {"output": [0, 1]}


def test_async_functions_and_async_generators(traced) -> None:
    nbtrace.enable()

    @nbtrace.traceable
    async def double(x):
        await asyncio.sleep(0)
        return 2 * x

    @nbtrace.traceable
    async def stream(n):
        for i in range(n):
            yield await double(i)

    async def main():
        return [item async for item in stream(3)]

    assert asyncio.run(main()) == [0, 2, 4]
    runs = flushed(traced).runs().values()
    streams = [r for r in runs if r["name"] == "stream"]
    doubles = [r for r in runs if r["name"] == "double"]
    assert streams[0]["outputs"] == {"output": [0, 2, 4]}
    assert len(doubles) == 3 and all(d["parent_run_id"] == streams[0]["id"] for d in doubles)


def test_langchain_runs_nest_under_a_traceable_and_traceables_under_langchain(traced) -> None:
    nbtrace.enable()

    @nbtrace.traceable(name="inner_helper")
    def helper(text):
        return text.upper()

    @nbtrace.traceable(name="pipeline")
    def pipeline(topic):
        joke = joke_chain().invoke({"topic": topic})
        return RunnableLambda(helper, name="call_helper").invoke(joke)

    pipeline("bears")
    runs = tree(traced)
    assert runs["pipeline"]["parent_run_id"] is None
    assert parent_name(runs, "RunnableSequence") == "pipeline"
    assert parent_name(runs, "GenericFakeChatModel") == "RunnableSequence"
    assert parent_name(runs, "call_helper") == "pipeline"
    assert parent_name(runs, "inner_helper") == "call_helper"
    trace_ids = {r["trace_id"] for r in runs.values()}
    assert trace_ids == {runs["pipeline"]["id"]}
    assert runs["inner_helper"]["dotted_order"].startswith(runs["call_helper"]["dotted_order"] + ".")


def test_the_trace_context_manager(traced) -> None:
    nbtrace.enable()
    with nbtrace.trace("retrieve", run_type="retriever", inputs={"query": "bears"}) as run:
        RunnableLambda(str.upper, name="normalize").invoke("x")
        run.end(outputs={"documents": ["d1"]})
    with pytest.raises(ValueError):
        with nbtrace.trace("doomed"):
            raise ValueError("nope")
    with nbtrace.trace("auto_end", inputs={"a": 1}) as run:
        run.set_outputs({"b": 2})
    runs = tree(traced)
    assert runs["retrieve"]["run_type"] == "retriever" and runs["retrieve"]["outputs"] == {"documents": ["d1"]}
    assert parent_name(runs, "normalize") == "retrieve"
    assert runs["doomed"]["error"].startswith("ValueError('nope')")
    assert runs["auto_end"]["outputs"] == {"b": 2}


def test_nesting_follows_threads_of_langchains_batch_and_asyncio_tasks(traced) -> None:
    nbtrace.enable()

    @nbtrace.traceable
    def leaf(x):
        return x

    @nbtrace.traceable
    def fan_out(items):
        RunnableLambda(leaf, name="batched").batch(items)  # LangChain's thread pool
        with ThreadPoolExecutor(2) as pool:  # a context-carrying submit, as LangChain does it
            futures = [pool.submit(contextvars.copy_context().run, leaf, i) for i in items]
            [f.result() for f in futures]
        return len(items)

    @nbtrace.traceable
    async def gather(items):
        return await asyncio.gather(*(asyncio.create_task(RunnableLambda(leaf, name="in_task").ainvoke(i)) for i in items))

    fan_out([1, 2])
    asyncio.run(gather([3, 4]))
    runs = flushed(traced).runs().values()
    by_id = {r["id"]: r for r in runs}
    leaves = [r for r in runs if r["name"] == "leaf"]
    assert len(leaves) == 6
    for run in leaves:
        ancestors = []
        parent = run["parent_run_id"]
        while parent:
            ancestors.append(by_id[parent]["name"])
            parent = by_id[parent]["parent_run_id"]
        assert ancestors[-1] in {"fan_out", "gather"}
        assert run["trace_id"] == by_id[run["dotted_order"].split(".")[0][-36:]]["id"]


def test_with_tracing_off_the_function_runs_untouched(traced) -> None:
    @nbtrace.traceable
    def plain(x):
        return x + 1

    @nbtrace.traceable
    def gen():
        yield 1
        return "r"

    assert plain(1) == 2
    assert list(gen()) == [1]
    with nbtrace.trace("nothing") as run:
        run.end(outputs=1)
    assert flushed(traced).messages == []


def test_bad_run_type_is_a_clear_error() -> None:
    with pytest.raises(ValueError, match="run_type"):
        nbtrace.traceable(run_type="agent")


def test_a_bare_thread_pool_does_not_carry_context_so_its_calls_are_traces_of_their_own(traced) -> None:
    """Python's ThreadPoolExecutor.submit does not copy contextvars (LangSmith behaves the same)."""
    nbtrace.enable()

    @nbtrace.traceable
    def work(x):
        return x

    @nbtrace.traceable
    def outer():
        with ThreadPoolExecutor(2) as pool:
            return list(pool.map(work, [1, 2]))

    assert outer() == [1, 2]
    runs = flushed(traced).runs().values()
    assert sorted(r["name"] for r in runs if r["parent_run_id"] is None) == ["outer", "work", "work"]


def test_run_ids_are_time_ordered_like_langchains(traced) -> None:
    """nbtrace's own runs get UUIDv7 ids, as LangChain's do: they sort by start time."""
    nbtrace.enable()

    @nbtrace.traceable
    def step(i):
        return i

    for i in range(20):
        step(i)
    runs = sorted(flushed(traced).runs().values(), key=lambda run: run["inputs"]["i"])
    ids = [run["id"] for run in runs]
    assert all(uuid.UUID(run_id).version == 7 for run_id in ids)
    assert ids == sorted(ids)
