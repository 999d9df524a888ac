"""nbtrace's fast message serialization gives exactly what LangChain's dumpd gives."""

from __future__ import annotations

import pytest
from langchain_core.load import dumpd
from langchain_core.messages import (
    AIMessage,
    AIMessageChunk,
    ChatMessage,
    FunctionMessage,
    HumanMessage,
    SystemMessage,
    ToolMessage,
)
from langchain_core.outputs import ChatGeneration, Generation, LLMResult

from nbtrace.pipeline.langchain_shapes import _dumpd, llm_result

MESSAGES = [
    SystemMessage("You are terse."),
    HumanMessage("hi", name="ann", id="m1"),
    HumanMessage(content=[{"type": "text", "text": "look"}, {"type": "image_url", "image_url": {"url": "data:x"}}]),
    AIMessage(
        "",
        tool_calls=[{"name": "f", "args": {"a": 1}, "id": "c1"}],
        usage_metadata={"input_tokens": 1, "output_tokens": 2, "total_tokens": 3},
        response_metadata={"model_name": "x", "finish_reason": "tool_calls"},
        id="run-1",
    ),
    AIMessage("plain answer"),
    AIMessageChunk(content="partial"),
    ToolMessage("42", tool_call_id="c1"),
    ToolMessage("boom", tool_call_id="c2", status="error", artifact={"raw": 1}),
    ChatMessage(role="critic", content="c"),
    FunctionMessage(name="fn", content="r"),
]


@pytest.mark.parametrize("message", MESSAGES, ids=lambda m: type(m).__name__)
def test_messages_serialize_exactly_like_dumpd(message) -> None:
    assert _dumpd(message) == dumpd(message)


def test_llm_results_serialize_exactly_like_langchains_tracer() -> None:
    result = LLMResult(
        generations=[[ChatGeneration(message=MESSAGES[3], generation_info={"finish_reason": "stop"})], [Generation(text="t")]],
        llm_output={"token_usage": {"total_tokens": 3}, "model_name": "x"},
    )
    expected = result.model_dump()
    for i, generations in enumerate(result.generations):
        for j, generation in enumerate(generations):
            if "message" in expected["generations"][i][j]:
                expected["generations"][i][j]["message"] = dumpd(generation.message)
    assert llm_result(result) == expected
