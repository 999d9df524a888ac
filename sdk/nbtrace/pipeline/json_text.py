"""Compact JSON text for the modules the store's helper process loads by path
(``store/helper_process``), where the serializer is not imported.

With orjson when it can be imported (in the kernel; in the helper once the kernel has
told it where orjson is), about ten times faster than the standard library's encoder,
which takes what orjson refuses (integers past 64 bits, keys that are not strings,
broken text). The helper's JSON is small plain data: tags, events, what each view is sent.
"""

from __future__ import annotations

import json
from typing import Any

try:
    import orjson
except ImportError:  # the helper, not told where orjson is
    orjson = None  # type: ignore[assignment]

_standard = json.JSONEncoder(ensure_ascii=False, separators=(",", ":")).encode


def compact_json(value: Any) -> str:
    return compact_json_bytes(value).decode("utf-8")


def compact_json_bytes(value: Any) -> bytes:
    """The same, as UTF-8 (text the standard library's encoder leaves broken is replaced)."""
    if orjson is not None:
        try:
            return orjson.dumps(value)
        except TypeError:  # orjson.JSONEncodeError is one
            pass
    return _standard(value).encode("utf-8", "replace")
