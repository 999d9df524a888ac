"""What a trace view costs the kernel per batch, as the real comm path does it: the 'runs'
message's JSON for its buffer (``nbtrace.comm.wire``), and ipykernel's ``json_clean`` and the
session's encoding of the small content around it (orjson when installed, as with LangChain)."""

from __future__ import annotations

from typing import Any

from jupyter_client.jsonutil import json_clean
from jupyter_client.session import Session

from nbtrace.comm.wire import IN_BUFFER, runs_message

_pack = Session().pack


def send_as_the_comm_does(events: Any, replay: bool) -> int:
    """Bytes that would go to the browser for one view's batch."""
    buffer = runs_message(events, replay=replay)
    content = json_clean({"data": {"method": "custom", "content": IN_BUFFER}, "comm_id": "view"})
    return len(_pack(content)) + len(buffer)
