"""The chains the benchmarks run, on LangChain's fake models (offline, deterministic)."""

from __future__ import annotations

from typing import Any

from langchain_core.language_models.fake_chat_models import FakeListChatModel
from langchain_core.output_parsers import StrOutputParser
from langchain_core.prompts import ChatPromptTemplate
from langchain_core.runnables import RunnableLambda, RunnableParallel


def prompt_model_parser():
    """About 4 runs a call: sequence, prompt, chat model, parser."""
    prompt = ChatPromptTemplate.from_messages([("system", "You are terse."), ("human", "Say {word}")])
    return prompt | FakeListChatModel(responses=["ok"]) | StrOutputParser()


def deep_fan_out():
    """32 runs a call (the issue asked for about 40): a chain nested eight deep whose middle fans out to a parallel of 24."""
    fan = RunnableParallel({f"branch_{i}": RunnableLambda(lambda x, i=i: x + i, name=f"branch_{i}") for i in range(24)})
    chain = RunnableLambda(lambda x: x + 1, name="start") | fan | RunnableLambda(lambda d: sum(d.values()), name="sum")
    for level in range(4):
        chain = RunnableLambda(lambda x: x, name=f"pre_{level}") | chain
    return chain


WORKLOADS = {
    "prompt | model | parser": (prompt_model_parser, {"word": "hi"}),
    "deep chain with fan-out": (deep_fan_out, 1),
}


def count_runs(chain: Any, value: Any) -> int:
    """How many runs one call of ``chain`` makes, as LangChain's own run collector sees them."""
    from langchain_core.tracers.run_collector import RunCollectorCallbackHandler

    collector = RunCollectorCallbackHandler()
    chain.invoke(value, config={"callbacks": [collector]})

    def walk(runs: list) -> int:
        return sum(1 + walk(r.child_runs) for r in runs)

    return walk(collector.traced_runs)
