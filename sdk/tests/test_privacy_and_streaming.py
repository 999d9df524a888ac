"""Secrets never leave the kernel; content can be hidden or masked; streamed text flows live."""

from __future__ import annotations

import json
from itertools import islice
from pathlib import Path
from types import SimpleNamespace
from typing import Any, Iterator

import pytest
from langchain_core.language_models.fake_chat_models import GenericFakeChatModel
from langchain_core.messages import AIMessage
from langchain_core.outputs import ChatGenerationChunk
from langchain_core.output_parsers import StrOutputParser
from langchain_core.prompts import ChatPromptTemplate
from langchain_core.runnables import RunnableLambda

import nbtrace
from nbtrace import runtime

from .conftest import flushed

SECRET = "sk-live-TOPSECRET-4242"


class KeyedFakeModel(GenericFakeChatModel):
    """A chat model holding an API key that it reports among its parameters, as some clients do."""

    api_key: str = SECRET

    @property
    def _identifying_params(self) -> dict[str, Any]:
        return {"model": "keyed-fake", "api_key": self.api_key}


SECRET_CASES: dict[str, Any] = {
    "top-level api_key": lambda: RunnableLambda(lambda d: "ok", name="step").invoke({"api_key": SECRET, "q": 1}),
    "nested Authorization header": lambda: RunnableLambda(lambda d: "ok", name="step").invoke(
        {"request": {"headers": [{"Authorization": f"Bearer {SECRET}"}]}}
    ),
    "password in outputs": lambda: RunnableLambda(lambda d: {"user": "ann", "password": SECRET}, name="step").invoke("x"),
    "token in metadata": lambda: RunnableLambda(lambda d: d, name="step").invoke("x", config={"metadata": {"access_token": SECRET}}),
    "OPENAI_API_KEY in a tool's input": lambda: RunnableLambda(lambda d: d["city"], name="step").invoke(
        {"city": "Paris", "OPENAI_API_KEY": SECRET}
    ),
    "a model's own api_key (invocation params)": lambda: KeyedFakeModel(messages=iter([AIMessage("hi")])).invoke("hello"),
    "client_secret in a pydantic-like object": lambda: RunnableLambda(lambda d: "ok", name="step").invoke(
        {"config": {"oauth": {"client_secret": SECRET, "scope": "read"}}}
    ),
}


@pytest.mark.parametrize("case", list(SECRET_CASES), ids=list(SECRET_CASES))
def test_secrets_appear_nowhere_in_what_is_stored_or_sent(traced, case, tmp_path: Path) -> None:
    nbtrace.enable()
    SECRET_CASES[case]()
    sent = json.dumps(flushed(traced).messages)
    stored = json.dumps(runtime.recorder().store.runs_for_session("default"))
    assert traced.messages, "the run was recorded"
    assert SECRET not in sent
    assert SECRET not in stored
    assert "***" in sent


def test_secrets_are_masked_in_the_sqlite_file_too(clean_env, monkeypatch, tmp_path) -> None:
    from nbtrace.pipeline.recorder import Recorder
    from nbtrace.store import SqliteStore

    path = tmp_path / "secrets.sqlite"
    recorder = Recorder(SqliteStore(str(path)), batch_interval=0.001)
    monkeypatch.setattr(runtime, "_recorder", recorder)
    monkeypatch.setattr(runtime, "_tracer", None)
    monkeypatch.setattr(runtime, "_router_checked", True)
    monkeypatch.setattr(runtime, "_router", None)
    nbtrace.enable()
    RunnableLambda(lambda d: "ok", name="step").invoke({"api_key": SECRET})
    recorder.close()
    recorder.store.close()
    raw = b"".join(p.read_bytes() for p in tmp_path.iterdir())
    assert SECRET.encode() not in raw and b"step" in raw


def test_hide_inputs_and_outputs_from_the_environment(traced, monkeypatch) -> None:
    nbtrace.enable()
    monkeypatch.setenv("NBTRACE_HIDE_INPUTS", "true")
    RunnableLambda(str.upper, name="visible_out").invoke("private question")
    nbtrace.flush()
    monkeypatch.delenv("NBTRACE_HIDE_INPUTS")
    monkeypatch.setenv("NBTRACE_HIDE_OUTPUTS", "1")
    RunnableLambda(str.upper, name="visible_in").invoke("public question")
    runs = {r["name"]: r for r in flushed(traced).runs().values()}
    assert runs["visible_out"]["inputs"]["__nbtrace__"] == "hidden" and runs["visible_out"]["outputs"] == {"output": "PRIVATE QUESTION"}
    assert runs["visible_in"]["inputs"] == {"input": "public question"} and runs["visible_in"]["outputs"]["__nbtrace__"] == "hidden"
    assert "private question" not in json.dumps(traced.messages)


def test_configure_takes_a_custom_mask(traced) -> None:
    nbtrace.enable()

    def redact_emails(value):
        return json.loads(json.dumps(value).replace("ann@example.com", "<email>"))

    nbtrace.configure(mask=redact_emails)
    try:
        RunnableLambda(lambda d: f"mail sent to {d['to']}", name="mailer").invoke({"to": "ann@example.com"})
    finally:
        nbtrace.configure(mask=None)
    run = next(iter(flushed(traced).runs().values()))
    assert run["inputs"] == {"to": "<email>"} and run["outputs"] == {"output": "mail sent to <email>"}


def test_a_mask_that_raises_hides_rather_than_leaks(traced) -> None:
    nbtrace.enable()

    def broken(value):
        raise RuntimeError("mask bug")

    nbtrace.configure(mask=broken)
    try:
        assert RunnableLambda(str.upper, name="step").invoke("secret-ish") == "SECRET-ISH"
    finally:
        nbtrace.configure(mask=None)
    run = next(iter(flushed(traced).runs().values()))
    assert run["inputs"]["__nbtrace__"] == "hidden" and "secret-ish" not in json.dumps(traced.messages)


def test_the_field_bound_is_configurable(traced) -> None:
    nbtrace.enable()
    nbtrace.configure(max_field_bytes=1_000)
    try:
        RunnableLambda(lambda s: len(s), name="measure").invoke("x" * 50_000)
    finally:
        nbtrace.configure(max_field_bytes=1_000_000)
    run = next(iter(flushed(traced).runs().values()))
    assert "50,000 characters in all" in run["inputs"]["input"] and len(run["inputs"]["input"]) < 1_100
    with pytest.raises(ValueError):
        nbtrace.configure(max_field_bytes=5)


def test_streaming_records_token_events_and_sends_the_text_as_it_grows(traced) -> None:
    nbtrace.enable()
    reply = "Why did the bear sit? To rest."
    chain = ChatPromptTemplate.from_messages([("human", "{q}")]) | GenericFakeChatModel(messages=iter([AIMessage(reply)])) | StrOutputParser()
    seen_mid_stream: list[str] = []
    chunks = []
    for chunk in chain.stream({"q": "joke"}):
        chunks.append(chunk)
        if len(chunks) == 3:
            nbtrace.flush(timeout=5)
            seen_mid_stream.append("".join(e["run"]["text"] for e in traced.events if e["op"] == "stream"))
    assert "".join(chunks) == reply
    assert seen_mid_stream[0] and reply.startswith(seen_mid_stream[0])
    runs = {r["name"]: r for r in flushed(traced).runs().values()}
    llm = runs["GenericFakeChatModel"]
    tokens = [e["kwargs"]["token"] for e in llm["events"] if e["name"] == "new_token"]
    assert "".join(tokens) == reply
    assert llm["outputs"]["generations"][0][0]["text"] == reply
    streamed = "".join(e["run"]["text"] for e in traced.events if e["op"] == "stream")
    assert reply.startswith(streamed)


class CutOffModel(GenericFakeChatModel):
    """Streams the first chunks of its reply, then the connection drops."""

    chunks_before: int = 4

    def _stream(self, *args: Any, **kwargs: Any) -> Iterator[ChatGenerationChunk]:
        yield from islice(super()._stream(*args, **kwargs), self.chunks_before)
        raise ConnectionResetError("the provider hung up")


def test_a_stream_cut_short_keeps_what_the_model_had_said(traced) -> None:
    nbtrace.enable()
    model = CutOffModel(messages=iter([AIMessage("The answer is forty two, as everyone knows")]))
    said = []
    with pytest.raises(ConnectionResetError):
        for chunk in model.stream("hi"):
            said.append(chunk.content)
    (llm,) = flushed(traced).runs().values()
    assert "ConnectionResetError: the provider hung up" in llm["error"]
    assert llm["outputs"]["generations"][0][0]["text"] == "".join(said) != ""
    (stored,) = runtime.recorder().store.runs_for_session("default")
    assert stored["outputs"] == llm["outputs"]


class RateLimited(Exception):
    """A provider's HTTP error: LangChain reports it as an empty message holding the response."""

    def __init__(self) -> None:
        super().__init__("Error code: 429 - slow down")
        self.response = SimpleNamespace(status_code=429, headers={"retry-after": "1"}, json=lambda: {"error": "slow down"})


class RateLimitedModel(GenericFakeChatModel):
    def _generate(self, *args: Any, **kwargs: Any) -> Any:
        raise RateLimited()


FAILS_BEFORE_SAYING_ANYTHING = {
    "a stream cut before its first chunk": lambda: list(
        CutOffModel(messages=iter([AIMessage("never said")]), chunks_before=0).stream("hi")
    ),
    "a provider's error response": lambda: RateLimitedModel(messages=iter([])).invoke("hi"),
}


@pytest.mark.parametrize("case", list(FAILS_BEFORE_SAYING_ANYTHING))
def test_a_failed_model_call_with_nothing_generated_has_no_outputs(traced, case) -> None:
    nbtrace.enable()
    with pytest.raises(Exception):
        FAILS_BEFORE_SAYING_ANYTHING[case]()
    (llm,) = flushed(traced).runs().values()
    assert llm["error"] and llm["outputs"] is None


def test_a_masked_stream_shows_its_text_once_masked_whole(traced) -> None:
    nbtrace.enable()
    nbtrace.configure(mask=lambda value: json.loads(json.dumps(value).replace("ann@example.com", "<email>")))
    try:  # the fake model streams word by word: "ann@example.com" arrives in pieces no mask could match
        reply = "".join(chunk.content for chunk in GenericFakeChatModel(messages=iter([AIMessage("write to ann@example.com")])).stream("hi"))
    finally:
        nbtrace.configure(mask=None)
    assert reply == "write to ann@example.com"
    (llm,) = flushed(traced).runs().values()
    assert llm["outputs"]["generations"][0][0]["text"] == "write to <email>"
    assert not [e for e in traced.events if e["op"] == "stream"]
    for seen in (json.dumps(traced.messages), json.dumps(runtime.recorder().store.runs_for_session("default"))):
        assert "ann" not in seen and "example" not in seen


def test_hidden_outputs_stream_nothing(traced, monkeypatch) -> None:
    nbtrace.enable()
    monkeypatch.setenv("NBTRACE_HIDE_OUTPUTS", "true")
    list(GenericFakeChatModel(messages=iter([AIMessage("private reply")])).stream("hi"))
    flushed(traced)
    assert "private" not in json.dumps(traced.messages)
