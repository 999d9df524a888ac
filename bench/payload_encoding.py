"""What one payload costs to encode (the kernel's worker) and to mask (the store's helper process).

    .venv/bin/python bench/payload_encoding.py

Each figure is the best of 5 repetitions, in microseconds per payload: LangChain's
shapes as the tracer records them, long text (prose that says "key" and "token" makes
the masking look for secret keys), retrieval results, and values only the careful
walk handles. The masking runs where the SQLite store writes, in its helper process.
"""

from __future__ import annotations

import dataclasses
import timeit
from typing import Any

from langchain_core.documents import Document
from langchain_core.messages import AIMessage, HumanMessage, SystemMessage
from langchain_core.outputs import ChatGeneration, LLMResult

from nbtrace.pipeline import events as ev
from nbtrace.pipeline import langchain_shapes as shapes
from nbtrace.pipeline.secret_keys import masked_json
from nbtrace.pipeline.serialize import Serializer

PROSE = "The author explains how the key idea works: each token is scored against the query. " * 50


@dataclasses.dataclass
class Ticket:
    title: str
    labels: set[str]
    raw: bytes


def payloads() -> dict[str, Any]:
    history = [SystemMessage("You are terse."), HumanMessage("Say hi"), AIMessage("hi", id="run-1")]
    result = LLMResult(generations=[[ChatGeneration(message=AIMessage("ok", id="run-2"))]])
    documents = [Document(page_content=PROSE, metadata={"source": f"doc{i}.md", "score": 0.5}) for i in range(20)]
    return {
        "chain inputs {'topic': ...}": {"topic": "bears"},
        "chat model inputs, 3 messages": shapes.inputs(ev.IN_MESSAGES, [history]),
        "chat model output (LLMResult)": shapes.outputs(ev.OUT_LLM, result),
        "a message as a chain's input": {"input": AIMessage("ok", id="run-3")},
        f"prose, {len(PROSE):,} characters": {"input": PROSE},
        f"20 retrieved documents, {20 * len(PROSE) // 1000} kB": {"documents": documents},
        "a secret key under prose": {"input": PROSE, "headers": {"Authorization": "Bearer sk-1"}},
        "a dataclass with a set and bytes (the walk)": {"ticket": Ticket("t", {"b", "a"}, b"\x00" * 64)},
    }


def main() -> None:
    serializer = Serializer()
    print(f"{'payload':<48} {'encode µs':>9} {'mask µs':>9} {'JSON chars':>11}")
    for name, value in payloads().items():
        text = str(serializer.encode(value))
        encoding = min(timeit.repeat(lambda: serializer.encode(value), number=200, repeat=5)) / 200
        masking = min(timeit.repeat(lambda: masked_json(text), number=200, repeat=5)) / 200
        print(f"{name:<48} {encoding * 1e6:>9.1f} {masking * 1e6:>9.1f} {len(text):>11,}")


if __name__ == "__main__":
    main()
