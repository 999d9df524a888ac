"""The events a run goes through: captured on the user's thread, prepared by the worker
(or by the thread that emits them, once they pile up: see ``recorder``).

Captured (``capture/``): the user's thread only stamps a time and keeps references
(with a shallow copy of top-level dicts, so a program that reuses its input dict
does not rewrite history). Prepared (``preparing``): the worker turns those into
plain data, payloads as JSON text, that can leave the kernel; ``assembly`` builds
the records from them. Standard library only: the store's helper process loads it.
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


# The error of a run whose process ended before it did (``$defs/Interrupted`` in protocol/schema.json).
INTERRUPTED = "Interrupted: the process that ran this run ended before it finished (kernel restart or crash)."


def token_text(token: Any) -> str:
    """The text a streamed token adds: a string, or the text of its content blocks."""
    if isinstance(token, str):
        return token
    if isinstance(token, list):
        return "".join(b if isinstance(b, str) else str(b.get("text", "")) for b in token if isinstance(b, (str, dict)))
    return ""


class Route(NamedTuple):
    """Where a trace goes: the view under a cell (or None) and the session name."""

    sink: Any
    session: str


# Captured:
# (START, run_id, parent_run_id, t_us, run_type, name, in_kind, inputs, tags, metadata, extra, route)
# (END, run_id, t_us, out_kind, outputs, error, inputs)
# (TOKEN, run_id, t_us, token)
# (FLUSH, threading.Event)
#
# Prepared (run and parent keys: the id's int, or its text for an id that is not a UUID;
# payloads as JSON text; the route key and session are set on roots only):
# (START, key, parent key, t_us, run_type, name, inputs, tags, extra, route key, session)
# (END, key, t_us, outputs, error text, inputs, prompt_tokens, completion_tokens, total_tokens, tool calls)
# (TOKEN, key, t_us, text, token)
