"""Run records for store tests, shaped as the recorder writes them."""

from __future__ import annotations

import uuid
from datetime import datetime, timedelta
from typing import Any


def run_record(
    *, trace_id: str | None = None, parent: dict[str, Any] | None = None, name: str = "step",
    run_type: str = "chain", session: str = "default", start: str = "2026-11-24T10:00:00.000000Z",
    end: str | None = "1s after start", error: str | None = None, tokens: int | None = None,
) -> dict[str, Any]:
    run_id = str(uuid.uuid4())
    if end == "1s after start":
        later = datetime.strptime(start, "%Y-%m-%dT%H:%M:%S.%fZ") + timedelta(seconds=1)
        end = later.strftime("%Y-%m-%dT%H:%M:%S.%fZ")
    segment = start.replace("-", "").replace(":", "").replace(".", "") + run_id
    return {
        "id": run_id,
        "trace_id": parent["trace_id"] if parent else (trace_id or run_id),
        "parent_run_id": parent["id"] if parent else None,
        "dotted_order": f"{parent['dotted_order']}.{segment}" if parent else segment,
        "name": name,
        "run_type": run_type,
        "start_time": start,
        "end_time": end,
        "inputs": {"question": "why?", "n": 1},
        "outputs": {"output": "because"} if end and not error else None,
        "error": error,
        "tags": ["t"],
        "extra": {"metadata": {"k": "v"}},
        "events": [{"name": "start", "time": start}] + ([{"name": "error" if error else "end", "time": end}] if end else []),
        "session_name": session,
        "prompt_tokens": None if tokens is None else tokens // 2,
        "completion_tokens": None if tokens is None else tokens - tokens // 2,
        "total_tokens": tokens,
    }
