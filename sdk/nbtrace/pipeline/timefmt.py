"""Microsecond timestamps in LangSmith's two spellings, formatted fast (the worker does this per run).

The seconds part is formatted once per second and reused; only the microseconds change.
"""

from __future__ import annotations

import time
from datetime import datetime, timedelta, timezone

_EPOCH = datetime(1970, 1, 1, tzinfo=timezone.utc)
_cached_second = -1
_iso_prefix = ""
_dotted_prefix = ""


def to_datetime(t_us: int) -> datetime:
    return _EPOCH + timedelta(microseconds=t_us)


def _prefixes(second: int) -> tuple[str, str]:
    global _cached_second, _iso_prefix, _dotted_prefix
    if second != _cached_second:
        parts = time.gmtime(second)
        _iso_prefix = time.strftime("%Y-%m-%dT%H:%M:%S", parts)
        _dotted_prefix = time.strftime("%Y%m%dT%H%M%S", parts)
        _cached_second = second
    return _iso_prefix, _dotted_prefix


def now_iso() -> str:
    """Now, as ``iso`` spells it. Not through the cache: any thread may ask."""
    second, micros = divmod(time.time_ns() // 1000, 1_000_000)
    return f"{time.strftime('%Y-%m-%dT%H:%M:%S', time.gmtime(second))}.{micros:06d}Z"


def iso(t_us: int) -> str:
    """``2026-11-24T10:15:00.123456Z``"""
    second, micros = divmod(t_us, 1_000_000)
    return f"{_prefixes(second)[0]}.{micros:06d}Z"


def start_stamps(t_us: int, run_id: str) -> tuple[str, str]:
    """A start time in LangSmith's two spellings: ``iso(t_us)``, and the ``dotted_order`` segment
    (start time then run id, so that sorting is execution order)."""
    second, micros = divmod(t_us, 1_000_000)
    iso_prefix, dotted_prefix = _prefixes(second)
    return f"{iso_prefix}.{micros:06d}Z", f"{dotted_prefix}{micros:06d}Z{run_id}"
