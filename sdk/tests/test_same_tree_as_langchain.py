"""For the same chain, nbtrace records the same tree as LangChain's own tracer.

Each chain runs once with both nbtrace and langchain_core's RunCollectorCallbackHandler
attached; ids, parents, trace ids, dotted_order ancestry, names, run types and errors
must agree for every run (and inputs/outputs for every non-LLM run).
"""

from __future__ import annotations

import asyncio
import json
from typing import Any, Callable

import pytest
from langchain_core.callbacks import CallbackManagerForRetrieverRun
from langchain_core.documents import Document
from langchain_core.language_models.fake import FakeListLLM
from langchain_core.messages import AIMessage
from langchain_core.retrievers import BaseRetriever
from langchain_core.runnables import RunnableLambda, RunnableParallel, RunnablePassthrough
from langchain_core.tools import tool
from langchain_core.tracers.run_collector import RunCollectorCallbackHandler

import nbtrace
from nbtrace.pipeline.serialize import Serializer

from .chains import failing_chain, joke_chain, parallel_chain
from .conftest import flushed


class BearDocs(BaseRetriever):
    def _get_relevant_documents(self, query: str, *, run_manager: CallbackManagerForRetrieverRun) -> list[Document]:
        return [Document(page_content=f"Bears and {query}", metadata={"source": "zoo"})]


@tool
def multiply(a: int, b: int) -> int:
    """Multiply two integers."""
    return a * b


def agent():
    from langchain.agents import create_agent
    from langchain_core.language_models.fake_chat_models import GenericFakeChatModel

    class ToolCallingFake(GenericFakeChatModel):
        def bind_tools(self, tools: Any, **kwargs: Any) -> "ToolCallingFake":
            return self

    model = ToolCallingFake(messages=iter([
        AIMessage("", tool_calls=[{"name": "multiply", "args": {"a": 6, "b": 7}, "id": "call_1"}]),
        AIMessage("6 times 7 is 42."),
    ]))
    return create_agent(model, [multiply])


def deep_chain(depth: int = 12):
    chain = RunnableLambda(lambda x: x + 1, name="level_0")
    for level in range(1, depth):
        inner = chain
        chain = RunnableLambda(lambda x, inner=inner: inner.invoke(x) + 1, name=f"level_{level}")
    return RunnableParallel(deep=chain, wide=RunnableParallel({f"leaf_{i}": RunnablePassthrough() for i in range(8)}))


def retriever_chain():
    return {"context": BearDocs(), "question": RunnablePassthrough()} | RunnableLambda(
        lambda d: f"{d['question']}: {d['context'][0].page_content}", name="answer"
    )


def completion_chain():
    return RunnableLambda(lambda t: f"Write about {t}", name="make_prompt") | FakeListLLM(responses=["A short poem."])


CASES: dict[str, Callable[[dict], Any]] = {
    "prompt | model | parser": lambda cfg: joke_chain().invoke({"topic": "bears"}, config=cfg),
    "parallel": lambda cfg: parallel_chain().invoke("abc", config=cfg),
    "retriever": lambda cfg: retriever_chain().invoke("honey", config=cfg),
    "tool": lambda cfg: multiply.invoke({"a": 3, "b": 4}, config=cfg),
    "completion llm": lambda cfg: completion_chain().invoke("the sea", config=cfg),
    "langgraph agent": lambda cfg: agent().invoke({"messages": [("human", "What is 6 times 7?")]}, config=cfg),
    "streaming": lambda cfg: list(joke_chain().stream({"topic": "bears"}, config=cfg)),
    "async": lambda cfg: asyncio.run(joke_chain().ainvoke({"topic": "bears"}, config=cfg)),
    "batch": lambda cfg: RunnableLambda(str.upper, name="shout").batch(["a", "b", "c"], config=cfg),
    "deep": lambda cfg: deep_chain().invoke(0, config=cfg),
    "failing": lambda cfg: failing_chain().invoke("x", config=cfg),
}


MIN_RUNS = {
    "prompt | model | parser": 4, "parallel": 3, "retriever": 5, "tool": 1, "completion llm": 3,
    "langgraph agent": 7, "streaming": 4, "async": 4, "batch": 3, "deep": 20, "failing": 3,
}


def flatten(runs: list) -> list:
    out = []
    for run in runs:
        out.append(run)
        out.extend(flatten(run.child_runs))
    return out


def as_json(value: Any) -> Any:
    """What the value is once sent or stored (tuples become lists), without message ids.

    LangGraph gives a tool's message its id after the tool run has ended, on the same
    object. LangChain's collector keeps that object and so shows the later id; nbtrace
    records the message as it was when the run ended. Ids aside, they must agree.
    """
    return _without_message_ids(json.loads(json.dumps(value)))


def _without_message_ids(value: Any) -> Any:
    if isinstance(value, dict):
        is_message = value.get("type") in {"ai", "human", "system", "tool"} and "content" in value
        return {k: _without_message_ids(v) for k, v in value.items() if not (is_message and k == "id")}
    if isinstance(value, list):
        return [_without_message_ids(v) for v in value]
    return value


def ancestry(dotted_order: str) -> list[str]:
    return [segment[-36:] for segment in dotted_order.split(".")]


def their_runs(case: str) -> dict[str, Any]:
    """Runs ``case`` with nbtrace on and LangChain's run collector attached; the collector's runs by id."""
    nbtrace.enable()
    collector = RunCollectorCallbackHandler()
    try:
        CASES[case]({"callbacks": [collector]})
    except ValueError:
        assert case == "failing"
    theirs = {str(run.id): run for run in flatten(collector.traced_runs)}
    assert len(theirs) >= MIN_RUNS[case], (case, len(theirs))
    return theirs


@pytest.mark.parametrize("case", list(CASES), ids=list(CASES))
def test_same_tree_as_langchains_run_collector(traced, case: str) -> None:
    theirs = their_runs(case)
    assert_same_runs(flushed(traced).runs(), theirs, case)


@pytest.mark.parametrize("case", list(CASES), ids=list(CASES))
def test_same_tree_when_the_helper_process_assembles_it(through_helper, case: str) -> None:
    """As a kernel records: the store's helper builds the records; the file holds them
    whole and the view what its tree draws of them."""
    theirs = their_runs(case)
    assert through_helper.recorder.flush(10)
    stored = {run["id"]: run for run in through_helper.store.runs_for_traces(through_helper.sink.trace_ids)}
    assert_same_runs(stored, theirs, case)
    for run_id, seen in through_helper.sink.runs().items():
        assert seen == {key: stored[run_id][key] for key in seen}, run_id


def assert_same_runs(ours: dict[str, dict[str, Any]], theirs: dict[str, Any], case: str) -> None:
    assert set(ours) == set(theirs), case

    serializer = Serializer()
    for run_id, their in theirs.items():
        mine = ours[run_id]
        assert mine["name"] == their.name
        assert mine["run_type"] == their.run_type
        assert mine["parent_run_id"] == (str(their.parent_run_id) if their.parent_run_id else None)
        assert mine["trace_id"] == str(their.trace_id)
        assert ancestry(mine["dotted_order"]) == ancestry(their.dotted_order)
        assert (mine["error"] is None) == (their.error is None)
        if their.error:
            assert mine["error"].splitlines()[0] == their.error.splitlines()[0]
        if their.run_type != "llm":
            assert as_json(mine["inputs"]) == as_json(serializer.field(their.inputs)), their.name
            assert as_json(mine["outputs"]) == (as_json(serializer.field(their.outputs)) if their.outputs else None) or not their.outputs, their.name
        their_tokens = [e for e in their.events if e["name"] == "new_token"]
        assert len([e for e in mine["events"] if e["name"] == "new_token"]) == len(their_tokens)
