"""Microsecond timestamps in LangSmith's two spellings."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone

_EPOCH = datetime(1970, 1, 1, tzinfo=timezone.utc)


def to_datetime(t_us: int) -> datetime:
    return _EPOCH + timedelta(microseconds=t_us)


def iso(t_us: int) -> str:
    """``2026-11-24T10:15:00.123456Z``"""
    return f"{to_datetime(t_us):%Y-%m-%dT%H:%M:%S.%f}Z"


def dotted_segment(t_us: int, run_id: str) -> str:
    """One level of ``dotted_order``: start time then run id, so that sorting is execution order."""
    return f"{to_datetime(t_us):%Y%m%dT%H%M%S%fZ}{run_id}"
