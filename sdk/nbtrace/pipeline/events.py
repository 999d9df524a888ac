"""What the capture side hands to the worker: plain tuples, built on the user's thread.

The user's thread only stamps a time and keeps references (with a shallow copy
of top-level dicts, so a program that reuses its input dict does not rewrite
history). Everything costly happens later in the worker.
"""

from __future__ import annotations

from typing import Any, NamedTuple

START = 0
END = 1
TOKEN = 2
FLUSH = 3

# How the worker turns a captured payload into LangSmith's shape.
IN_CHAIN = "chain"  # dict as is, anything else as {"input": value}
IN_MESSAGES = "messages"  # list[list[BaseMessage]] -> {"messages": [[dumpd(m)]]}
IN_PROMPTS = "prompts"  # list[str] -> {"prompts": [...]}
IN_TOOL = "tool"  # inputs dict if given, else {"input": input_str}
IN_QUERY = "query"  # retriever query -> {"query": q}

OUT_CHAIN = "chain"  # dict as is, anything else as {"output": value}
OUT_LLM = "llm"  # LLMResult -> model_dump with dumpd messages
OUT_TOOL = "tool"  # {"output": value}
OUT_DOCUMENTS = "documents"  # {"documents": docs}


class Route(NamedTuple):
    """Where a trace goes: the view under a cell (or None) and the session name."""

    sink: Any
    session: str


# (START, run_id, parent_run_id, t_us, run_type, name, in_kind, inputs, tags, metadata, extra, route)
# (END, run_id, t_us, out_kind, outputs, error, inputs)
# (TOKEN, run_id, t_us, token)
# (FLUSH, threading.Event)
