"""Compact JSON text of plain data, for the kernel (``serialize.encode_json``) and for the
modules the store's helper process loads by path (``store/helper_process``).

With orjson when it can be imported (in the kernel; in the helper once the kernel has
told it where orjson is), about ten times faster than the standard library's encoder,
which takes what orjson refuses (integers past 64 bits, broken text). Anything that is
not plain data raises ``TypeError``.
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
            return orjson.dumps(value, option=orjson.OPT_NON_STR_KEYS)
        except TypeError:  # orjson.JSONEncodeError is one
            pass
    return _standard(value).encode("utf-8", "replace")
