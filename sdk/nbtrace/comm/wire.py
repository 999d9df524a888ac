"""How a 'runs' message travels on a trace widget's comm: as UTF-8 JSON in the custom
message's one binary buffer, beside the content ``IN_BUFFER``.

Not as the content itself: the kernel walks a comm message's content value by value
(``json_clean``) before it encodes it, about 9 µs per run here, and the events from the
store's helper process arrive as JSON text that would have to be decoded first. A
buffer is sent as it is. The browser side is ``src/widget/wire.ts``; the message inside
is the protocol's (``protocol/schema.json``).
"""

from __future__ import annotations

from typing import Any

from orjson import Fragment

from ..pipeline.serialize import encode_json
from ..protocol import PROTOCOL_VERSION

IN_BUFFER = {"protocol": PROTOCOL_VERSION, "encoding": "json-buffer"}


def runs_message(events: list[dict[str, Any]] | bytes, *, replay: bool) -> bytes:
    """The 'runs' message's JSON: ``events`` as a list, or as its JSON text already."""
    message: dict[str, Any] = {
        "protocol": PROTOCOL_VERSION,
        "kind": "runs",
        "events": Fragment(events) if isinstance(events, bytes) else events,
    }
    if replay:
        message["replay"] = True
    return encode_json(message).encode("utf-8")
