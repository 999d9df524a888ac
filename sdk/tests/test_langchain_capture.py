"""What the tracer records for real LangChain chains, as the browser would receive it."""

from __future__ import annotations

import asyncio
import os

import pytest
from langchain_core.runnables import RunnableLambda

import nbtrace
from nbtrace import runtime

from .chains import JOKE, failing_chain, joke_chain, parallel_chain
from .conftest import RecordingSink, flushed


def by_name(runs: dict) -> dict:
    return {run["name"]: run for run in runs.values()}


def test_prompt_model_parser_chain_is_one_tree_of_four_runs(traced: RecordingSink) -> None:
    nbtrace.enable()
    usage = {"input_tokens": 12, "output_tokens": 8, "total_tokens": 20}
    assert joke_chain(usage=usage).invoke({"topic": "bears"}) == JOKE

    runs = by_name(flushed(traced).runs())
    assert set(runs) == {"RunnableSequence", "ChatPromptTemplate", "GenericFakeChatModel", "StrOutputParser"}
    root = runs["RunnableSequence"]
    assert root["parent_run_id"] is None and root["trace_id"] == root["id"] and root["run_type"] == "chain"
    assert root["inputs"] == {"topic": "bears"} and root["outputs"] == {"output": JOKE}
    expected_types = {"ChatPromptTemplate": "prompt", "GenericFakeChatModel": "llm", "StrOutputParser": "parser"}
    for name, run_type in expected_types.items():
        child = runs[name]
        assert child["run_type"] == run_type
        assert child["parent_run_id"] == root["id"] and child["trace_id"] == root["id"]
        assert child["dotted_order"].startswith(root["dotted_order"] + ".")
        assert child["dotted_order"].endswith(child["id"])
        assert child["session_name"] == "default"
        assert child["end_time"] >= child["start_time"] and child["error"] is None

    llm = runs["GenericFakeChatModel"]
    sent = [m["kwargs"]["content"] for m in llm["inputs"]["messages"][0]]
    assert sent == ["You are a comedian.", "Tell me a joke about bears"]
    assert llm["outputs"]["generations"][0][0]["message"]["kwargs"]["content"] == JOKE
    assert (llm["prompt_tokens"], llm["completion_tokens"], llm["total_tokens"]) == (12, 8, 20)
    order = sorted(runs.values(), key=lambda r: r["dotted_order"])
    assert [r["name"] for r in order] == ["RunnableSequence", "ChatPromptTemplate", "GenericFakeChatModel", "StrOutputParser"]


def test_a_run_is_reported_when_it_starts_not_only_when_the_trace_ends(traced: RecordingSink) -> None:
    nbtrace.enable()
    seen_while_running: list[dict] = []

    def look(value: str) -> str:
        nbtrace.flush(timeout=5)
        seen_while_running.append(traced.runs())
        return value

    (RunnableLambda(look, name="look") | RunnableLambda(str.upper, name="upper")).invoke("x")
    during = by_name(seen_while_running[0])
    assert set(during) == {"RunnableSequence", "look"}
    assert during["RunnableSequence"]["end_time"] is None and during["look"]["end_time"] is None
    after = by_name(flushed(traced).runs())
    assert after["RunnableSequence"]["end_time"] is not None and after["upper"]["outputs"] == {"output": "X"}
    ops = [(e["op"], e["run"]["id"]) for e in traced.events]
    root_id = after["RunnableSequence"]["id"]
    assert ops.index(("start", root_id)) < ops.index(("end", root_id))


def test_end_events_are_patches_not_whole_runs(traced: RecordingSink) -> None:
    nbtrace.enable()

    def upper_after_a_batch(text: str) -> str:
        nbtrace.flush()  # the start goes out in a batch of its own
        return text.upper()

    RunnableLambda(upper_after_a_batch, name="upper").invoke("x")
    flushed(traced)
    end = next(e for e in traced.events if e["op"] == "end")
    assert set(end["run"]) <= {"id", "end_time", "outputs", "error", "events", "inputs", "extra",
                               "prompt_tokens", "completion_tokens", "total_tokens"}
    assert "name" not in end["run"] and "start_time" not in end["run"]


def test_a_run_that_ends_within_its_batch_is_sent_once_with_its_end(traced: RecordingSink) -> None:
    nbtrace.enable()
    RunnableLambda(str.upper, name="upper").invoke("x")
    flushed(traced)
    assert [e["op"] for e in traced.events] == ["start"]
    run = traced.events[0]["run"]
    assert run["name"] == "upper" and run["end_time"] is not None and run["error"] is None
    assert traced.runs()[run["id"]]["outputs"] == {"output": "X"}


def test_runnable_parallel_branches_are_siblings(traced: RecordingSink) -> None:
    nbtrace.enable()
    assert parallel_chain().invoke("abc") == {"upper": "ABC", "length": 3}
    runs = by_name(flushed(traced).runs())
    root = next(r for r in runs.values() if r["parent_run_id"] is None)
    assert root["name"].startswith("RunnableParallel")
    assert runs["upper"]["parent_run_id"] == root["id"] == runs["length"]["parent_run_id"]
    assert root["outputs"] == {"upper": "ABC", "length": 3}


def test_a_failing_step_records_the_error_and_the_user_still_gets_the_exception(traced: RecordingSink) -> None:
    nbtrace.enable()
    with pytest.raises(ValueError, match="the parser gave up"):
        failing_chain().invoke("hi")
    runs = by_name(flushed(traced).runs())
    assert runs["shout"]["error"] is None and runs["shout"]["outputs"] == {"output": "hi!"}
    assert runs["explode"]["error"].startswith("ValueError('the parser gave up')")
    assert "Traceback" in runs["explode"]["error"]
    assert runs["RunnableSequence"]["error"].startswith("ValueError('the parser gave up')")
    assert runs["explode"]["end_time"] is not None


def test_tracing_off_records_nothing(traced: RecordingSink) -> None:
    joke_chain().invoke({"topic": "bears"})
    assert flushed(traced).messages == []


def test_nbtrace_tracing_false_wins_over_everything(traced: RecordingSink, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("NBTRACE_TRACING", "false")
    monkeypatch.setenv("LANGCHAIN_HANDLER", "langchain")
    nbtrace.enable()
    joke_chain().invoke({"topic": "bears"})
    assert flushed(traced).messages == []


def test_nbtrace_tracing_true_turns_it_on(traced: RecordingSink, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("NBTRACE_TRACING", "true")
    joke_chain().invoke({"topic": "bears"})
    assert len(flushed(traced).runs()) == 4


def test_disable_stops_tracing(traced: RecordingSink) -> None:
    nbtrace.enable()
    nbtrace.disable()
    joke_chain().invoke({"topic": "bears"})
    assert flushed(traced).messages == []


def test_a_tracer_passed_by_hand_is_not_doubled_by_the_automatic_one(traced: RecordingSink) -> None:
    nbtrace.enable()
    joke_chain().invoke({"topic": "bears"}, config={"callbacks": [nbtrace.NotebookTracer()]})
    starts = [e for e in flushed(traced).events if e["op"] == "start"]
    assert len(starts) == 4


def test_a_tracer_passed_by_hand_records_with_tracing_off(traced: RecordingSink) -> None:
    joke_chain().invoke({"topic": "bears"}, config={"callbacks": [nbtrace.NotebookTracer()]})
    assert len(flushed(traced).runs()) == 4


def test_async_and_batch_runs_are_recorded(traced: RecordingSink) -> None:
    nbtrace.enable()
    chain = RunnableLambda(str.upper, name="upper")
    assert asyncio.run(chain.ainvoke("a")) == "A"
    assert chain.batch(["b", "c"]) == ["B", "C"]
    runs = flushed(traced).runs().values()
    assert sorted(r["outputs"]["output"] for r in runs) == ["A", "B", "C"]
    assert all(r["parent_run_id"] is None for r in runs)


def test_a_failure_inside_nbtrace_never_reaches_the_chain(traced: RecordingSink, monkeypatch: pytest.MonkeyPatch, caplog) -> None:
    nbtrace.enable()

    def broken_emit(event: tuple) -> None:
        raise RuntimeError("the queue is on fire")

    monkeypatch.setattr(runtime.default_tracer(), "_emit", broken_emit)
    for _ in range(3):
        assert joke_chain().invoke({"topic": "bears"}) == JOKE
    warnings = [r for r in caplog.records if r.name == "nbtrace" and r.levelname == "WARNING"]
    assert len(warnings) <= 2  # once per kind of failure (start, end), not once per run


def test_a_payload_that_cannot_be_serialized_still_leaves_the_chain_alone(traced: RecordingSink) -> None:
    nbtrace.enable()

    class Hostile:
        def __repr__(self) -> str:
            raise RuntimeError("no repr for you")

        def model_dump(self) -> dict:
            raise RuntimeError("no dump either")

    hostile = Hostile()
    out = RunnableLambda(lambda x: x, name="identity").invoke(hostile)
    assert out is hostile
    run = next(iter(flushed(traced).runs().values()))
    assert run["outputs"] == {"output": "<Hostile object (repr failed)>"}


def test_finished_traces_leave_no_state_behind(traced: RecordingSink) -> None:
    nbtrace.enable()
    for _ in range(50):
        joke_chain().invoke({"topic": "bears"})
    flushed(traced)
    assembler = runtime.recorder().assembler
    assert assembler.open_count == 0
    assert assembler._order == {}


def test_every_message_sent_validates_against_the_protocol_schema(traced: RecordingSink, protocol_validator) -> None:
    nbtrace.enable()
    joke_chain(usage={"input_tokens": 1, "output_tokens": 2, "total_tokens": 3}).invoke({"topic": "bears"})
    parallel_chain().invoke("abc")
    with pytest.raises(ValueError):
        failing_chain().invoke("x")
    for message in flushed(traced).messages:
        protocol_validator.validate(message)
    assert len(traced.messages) >= 1


def test_the_legacy_langchain_handler_line_turns_nbtrace_on(traced: RecordingSink, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("LANGCHAIN_HANDLER", "langchain")  # set after import, as in a notebook cell
    assert joke_chain().invoke({"topic": "bears"}) == JOKE
    assert len(flushed(traced).runs()) == 4


def test_without_the_shim_this_langchain_version_would_raise(clean_env: None, monkeypatch: pytest.MonkeyPatch) -> None:
    """Proves the shim is needed (and works) against the langchain-core we pin."""
    from langchain_core.callbacks import manager
    from langchain_core.utils.env import env_var_is_set

    from nbtrace.capture import legacy_handler

    assert manager.env_var_is_set is legacy_handler._env_var_is_set
    monkeypatch.setenv("LANGCHAIN_HANDLER", "langchain")
    monkeypatch.setattr(manager, "env_var_is_set", env_var_is_set)
    with pytest.raises(RuntimeError, match="LangChainTracerV1 is no longer supported"):
        joke_chain().invoke({"topic": "bears"})


def test_other_langchain_handler_values_keep_langchains_own_error(clean_env: None, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("LANGCHAIN_HANDLER", "something-else")
    with pytest.raises(RuntimeError, match="no longer supported"):
        joke_chain().invoke({"topic": "bears"})
    assert os.environ["LANGCHAIN_HANDLER"] == "something-else"


@pytest.mark.parametrize("helper", [False, True], ids=["written in-process", "written by the helper"])
def test_with_a_shared_store_views_get_what_the_tree_draws_and_the_store_gets_everything(
    clean_env, monkeypatch, tmp_path, protocol_validator, helper
) -> None:
    """Payloads are encoded once, for the store; Explore loads them from there."""
    from nbtrace.pipeline.recorder import Recorder
    from nbtrace.store import SqliteStore

    from .conftest import RecordingSink, SinkRouter

    sink = RecordingSink()
    store = SqliteStore(str(tmp_path / "shared.sqlite"))
    line = runtime.open_assembly_line(store) if helper else None
    recorder = Recorder(store, line=line, batch_interval=0.001)
    monkeypatch.setattr(runtime, "_recorder", recorder)
    monkeypatch.setattr(runtime, "_tracer", None)
    monkeypatch.setattr(runtime, "_router", SinkRouter(sink))
    monkeypatch.setattr(runtime, "_router_checked", True)
    nbtrace.enable()
    joke_chain(usage={"input_tokens": 3, "output_tokens": 4, "total_tokens": 7}).invoke({"topic": "bears"})
    assert recorder.flush(5)
    for message in sink.messages:
        protocol_validator.validate(message)
        for event in message["events"]:
            assert not {"inputs", "outputs", "extra", "events"} & set(event["run"])
    sent = by_name(sink.runs())
    assert sent["GenericFakeChatModel"]["total_tokens"] == 7 and sent["RunnableSequence"]["end_time"]
    stored = {r["name"]: r for r in recorder.store.runs_for_session("default")}
    assert stored["RunnableSequence"]["inputs"] == {"topic": "bears"}
    assert stored["RunnableSequence"]["outputs"] == {"output": JOKE}
    assert stored["GenericFakeChatModel"]["inputs"]["messages"][0][0]["kwargs"]["content"] == "You are a comedian."
    recorder.close()


def test_an_output_the_program_changes_after_the_run_is_recorded_as_it_was(traced) -> None:
    from langchain_core.messages import ToolMessage

    nbtrace.enable()
    message = ToolMessage("42", tool_call_id="call_1")
    result = {"answer": 1}
    RunnableLambda(lambda _: message, name="makes_message").invoke("x")
    RunnableLambda(lambda _: result, name="makes_dict").invoke("x")
    message.id = "assigned-later"  # as LangGraph's add_messages does
    result["answer"] = 2
    runs = by_name(flushed(traced).runs())
    assert runs["makes_message"]["outputs"]["output"]["id"] is None
    assert runs["makes_dict"]["outputs"] == {"answer": 1}


def test_a_model_with_extra_and_private_state_is_recorded_as_it_was(traced) -> None:
    from pydantic import BaseModel, ConfigDict, PrivateAttr

    class Answer(BaseModel):
        model_config = ConfigDict(extra="allow")
        text: str

    class CachedAnswer(Answer):
        _cache: dict = PrivateAttr(default_factory=dict)

    plain = Answer(text="first", source="doc-1")
    with_private = CachedAnswer(text="first", source="doc-1")
    with_private._cache["k"] = 1
    nbtrace.enable()
    runtime.recorder().batch_interval = 0.5  # the worker looks at the runs well after the calls
    RunnableLambda(lambda _: plain, name="plain").invoke("x")
    RunnableLambda(lambda _: with_private, name="with_private").invoke("x")
    for answer in (plain, with_private):
        answer.text = "changed"
        answer.source = "doc-2"
    runs = by_name(flushed(traced).runs())
    for name in ("plain", "with_private"):
        assert runs[name]["outputs"]["output"] == {"text": "first", "source": "doc-1"}


def test_a_message_list_the_caller_changes_afterwards_is_recorded_as_it_was(traced: RecordingSink) -> None:
    from langchain_core.language_models.fake_chat_models import FakeListChatModel
    from langchain_core.messages import HumanMessage

    nbtrace.enable()
    runtime.recorder().batch_interval = 0.5  # the worker looks at the run well after the call
    history = [HumanMessage("first")]
    FakeListChatModel(responses=["ok"]).generate([history])
    history.append(HumanMessage("added after the call"))
    (llm,) = [r for r in flushed(traced).runs().values() if r["run_type"] == "llm"]
    assert [m["kwargs"]["content"] for m in llm["inputs"]["messages"][0]] == ["first"]
