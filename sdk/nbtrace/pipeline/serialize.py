"""Turn anything a program passes around into bounded, JSON-safe data.

Run content is untrusted and arbitrary: cycles, objects whose ``repr`` raises,
bytes, NaN, pydantic models, numpy arrays, 10 MB strings. Whatever comes in,
this returns plain JSON values and never raises. It records values faithfully:
secret-looking keys are masked where content leaves the recorder (``secret_keys``).
"""

from __future__ import annotations

import base64
import dataclasses
import datetime as _dt
import enum
import json
import math
import uuid
from decimal import Decimal
from pathlib import PurePath
from typing import Any

from orjson import Fragment
from orjson import dumps as _orjson_dumps
from orjson import loads as _orjson_loads

from .assembly import PAYLOAD_TEXT_FIELDS
from .json_text import compact_json as encode_json  # plain data only: raises on anything else

MAX_DEPTH = 40
MAX_ITEMS = 10_000

_encode = json.JSONEncoder(allow_nan=False, check_circular=True, ensure_ascii=False, separators=(",", ":")).encode


def _common_objects(value: Any) -> Any:
    """What orjson should do with the objects chains pass around most that it does not
    know (pydantic models such as messages and prompt values, sets, decimals, paths);
    anything else makes it give up, and the value takes the careful walk."""
    serializer = getattr(value, "__pydantic_serializer__", None)
    if serializer is not None and not isinstance(value, type):
        # model_dump() without its Python wrapper. serialize_as_any: a field declared as a base
        # class dumps what it holds (a prompt value's AIMessage keeps its tool_calls), and faster.
        return serializer.to_python(value, serialize_as_any=True)
    if hasattr(value, "model_dump") and not isinstance(value, type):
        return value.model_dump()
    if isinstance(value, (Decimal, PurePath)):
        return str(value)
    if isinstance(value, (set, frozenset)):
        return _sorted_if_possible(value)
    raise TypeError(type(value).__name__)


def decode_json(text: str | bytes) -> Any:
    """JSON text back to data: orjson, or the json module for what orjson does not read
    (integers past 64 bits, which the careful walk may have written)."""
    try:
        return _orjson_loads(text)
    except ValueError:
        return json.loads(text)


def safe_repr(value: Any, limit: int = 2_000) -> str:
    try:
        text = repr(value)
    except Exception:
        try:
            return f"<{type(value).__name__} object (repr failed)>"
        except Exception:
            return "<object (repr failed)>"
    if not isinstance(text, str):
        return f"<{type(value).__name__} object>"
    return truncate(text, limit)


def safe_str(value: Any, limit: int = 2_000) -> str:
    try:
        text = str(value)
        if isinstance(text, str):
            return truncate(text, limit)
    except Exception:
        pass
    return safe_repr(value, limit)


def truncate(text: str, limit: int) -> str:
    if len(text) <= limit:
        return text
    return f"{text[:limit]}… [truncated by nbtrace: {len(text):,} characters in all]"


def payload_data(value: Any) -> Any:
    """A payload field as a record may hold it (read with ``payloads="json"``, or as the
    recorder writes it): its JSON text decoded, or the data itself."""
    return decode_json(value) if isinstance(value, str) else value


def payloads_embedded(record: dict[str, Any]) -> dict[str, Any]:
    """``record`` read with ``payloads="json"``, ready for ``encode_json``: its payloads'
    JSON text written out as it is, never decoded (orjson fragments)."""
    out = dict(record)
    for key in PAYLOAD_TEXT_FIELDS:
        value = out.get(key)
        if isinstance(value, str):
            out[key] = Fragment(str.__str__(value))
    return out


class _Budget:
    """Characters a field may still spend; past it, values become a marker."""

    __slots__ = ("left",)

    def __init__(self, left: int) -> None:
        self.left = left


class Serializer:
    def __init__(
        self,
        *,
        max_field_chars: int = 1_000_000,
    ) -> None:
        self.max_field_chars = max_field_chars

    def field(self, value: Any) -> Any:
        """One run field (``inputs``, ``outputs``, ``extra``…) as bounded, plain JSON data."""
        text = self._safe_text(value)
        if text is not None:
            return decode_json(text)
        return self._walk(value)

    def encode(self, value: Any) -> str:
        """One run field as bounded JSON text, encoded once for the store."""
        text = self._safe_text(value)
        if text is None:
            text = _encode(self._walk(value))
        return text

    def _walk(self, value: Any) -> Any:
        try:
            return self._convert(value, 0, set(), _Budget(self.max_field_chars))
        except Exception:
            return safe_repr(value)

    def _safe_text(self, value: Any) -> str | None:
        """The JSON text of ``value`` within the bound, else None.

        orjson decides that about ten times faster than the json module and far faster
        than the walk; anything it refuses (unknown objects, bytes, cycles, lone surrogates,
        integers past 64 bits, keys that are not strings) or too long takes the walk. It writes NaN and infinities as null, as JSON.stringify,
        pandas and LangSmith do; the walk does the same. Not pydantic_core's ``to_json``:
        it iterates generators, iterators and open files to write them, which would
        consume the traced program's own.
        """
        try:
            text = _orjson_dumps(value, default=_common_objects).decode()
        except Exception:
            return None
        if len(text) > self.max_field_chars + 2:
            return None
        return text

    def _string(self, text: str, budget: _Budget) -> str:
        limit = max(budget.left, 0)
        budget.left -= min(len(text), limit) + 2
        return encodable(truncate(text, limit))

    def _convert(self, value: Any, depth: int, path: set[int], budget: _Budget) -> Any:
        if value is None or value is True or value is False:
            return value
        kind = type(value)
        if kind is str:
            return self._string(value, budget)
        if kind is int:
            budget.left -= 8
            return value
        if kind is float:
            budget.left -= 8
            return value if math.isfinite(value) else None  # as orjson writes them
        if isinstance(value, str):  # str subclasses, e.g. langchain_core's TextAccessor
            return self._string(str.__str__(value), budget)
        if isinstance(value, int) and not isinstance(value, enum.Enum):
            budget.left -= 8
            return int(value)
        if isinstance(value, float):
            return self._convert(float(value), depth, path, budget)
        if budget.left <= 0:
            return "… [truncated by nbtrace]"
        if depth >= MAX_DEPTH:
            return f"<{kind.__qualname__}: nested too deep>"
        if kind is dict or isinstance(value, dict):
            return self._mapping(value, depth, path, budget)
        if kind in (list, tuple) or isinstance(value, (list, tuple, set, frozenset)):
            return self._sequence(value, depth, path, budget)
        return self._other(value, depth, path, budget)

    def _enter(self, value: Any, path: set[int]) -> bool:
        key = id(value)
        if key in path:
            return False
        path.add(key)
        return True

    def _mapping(self, value: Any, depth: int, path: set[int], budget: _Budget) -> Any:
        if not self._enter(value, path):
            return "<cycle>"
        try:
            out: dict[str, Any] = {}
            for index, (key, item) in enumerate(list(value.items())):
                if index >= MAX_ITEMS:
                    out["…"] = f"[truncated by nbtrace: {len(value):,} entries in all]"
                    break
                name = encodable(key if isinstance(key, str) else safe_str(key, 200))
                budget.left -= len(name) + 4
                out[name] = self._convert(item, depth + 1, path, budget)
                if budget.left <= 0:
                    out["…"] = "[truncated by nbtrace]"
                    break
            return out
        finally:
            path.discard(id(value))

    def _sequence(self, value: Any, depth: int, path: set[int], budget: _Budget) -> Any:
        if not self._enter(value, path):
            return "<cycle>"
        try:
            items = value if isinstance(value, (list, tuple)) else _sorted_if_possible(value)
            out = []
            for index, item in enumerate(items):
                if index >= MAX_ITEMS or budget.left <= 0:
                    out.append(f"… [truncated by nbtrace: {len(value):,} items in all]")
                    break
                out.append(self._convert(item, depth + 1, path, budget))
            return out
        finally:
            path.discard(id(value))

    def _other(self, value: Any, depth: int, path: set[int], budget: _Budget) -> Any:
        if isinstance(value, (bytes, bytearray, memoryview)):
            raw = bytes(value[:48])
            budget.left -= 80
            return {"__nbtrace__": "bytes", "size": len(value), "head_base64": base64.b64encode(raw).decode()}
        if isinstance(value, BaseException):
            return {"__nbtrace__": "exception", "type": type(value).__qualname__, "message": safe_str(value)}
        if isinstance(value, (_dt.datetime, _dt.date, _dt.time)):
            return value.isoformat()
        if isinstance(value, (uuid.UUID, Decimal, PurePath)):
            return str(value)
        if isinstance(value, enum.Enum):
            return self._convert(value.value, depth + 1, path, budget)
        if not self._enter(value, path):
            return "<cycle>"
        try:
            plain = _plain_form(value)
            if plain is not _NOTHING:
                return self._convert(plain, depth + 1, path, budget)
        finally:
            path.discard(id(value))
        return self._string(safe_repr(value), budget)


_NOTHING = object()


def encodable(text: str) -> str:
    """``text`` with lone surrogates (from bad decoding upstream) replaced: the store, the
    helper's pipe and the comm must encode every string as UTF-8."""
    if text.isascii():
        return text
    try:
        text.encode("utf-8")
        return text
    except UnicodeEncodeError:
        return text.encode("utf-16", "surrogatepass").decode("utf-16", "replace")


def _plain_form(value: Any) -> Any:
    """pydantic models, dataclasses and numpy values as plain containers, else _NOTHING."""
    try:
        dump = getattr(value, "model_dump", None)
        if callable(dump) and not isinstance(value, type):
            try:
                return dump(serialize_as_any=True)  # as _common_objects does
            except TypeError:  # a model_dump of another kind
                return dump()
        if dataclasses.is_dataclass(value) and not isinstance(value, type):
            return {f.name: getattr(value, f.name, None) for f in dataclasses.fields(value)}
        module = type(value).__module__
        if module == "numpy" or module.startswith("numpy."):
            return _numpy_form(value)
        legacy_dict = getattr(value, "dict", None)
        if callable(legacy_dict) and hasattr(value, "__fields__"):
            return legacy_dict()
    except Exception:
        return _NOTHING
    return _NOTHING


def _numpy_form(value: Any) -> Any:
    size = int(getattr(value, "size", 1))
    if getattr(value, "ndim", 0) == 0:
        return value.item()
    if size <= 1_000:
        return value.tolist()
    flat = value.ravel()[:20].tolist()
    return {"__nbtrace__": "ndarray", "shape": list(value.shape), "dtype": str(value.dtype), "head": flat}


def _sorted_if_possible(items: Any) -> list[Any]:
    try:
        return sorted(items)
    except Exception:
        return list(items)
