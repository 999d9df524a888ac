"""The store's plain JSON (tags, events, what views are sent) is the same text whichever encoder wrote it."""

from __future__ import annotations

import json

import pytest

from nbtrace.pipeline import json_text


@pytest.fixture(params=["orjson", "standard library"])
def encoder(request, monkeypatch):
    if request.param == "standard library":
        monkeypatch.setattr(json_text, "orjson", None)  # as in a helper process not told where orjson is
    return json_text


@pytest.mark.parametrize(
    "value",
    [
        {"op": "start", "run": {"id": "a", "tags": ["seq:step:1"], "name": "héllo 🎉", "end_time": None}},
        [{"name": "new_token", "kwargs": {"token": "a\nb\"c"}}],
        {"big": 2**70, "small": -(2**70)},  # past 64 bits: orjson refuses, json writes it
        {1: "key that is not a string"},
    ],
)
def test_compact_json_round_trips(encoder, value) -> None:
    text = encoder.compact_json(value)
    assert text == json.dumps(value, ensure_ascii=False, separators=(",", ":"))
    assert encoder.compact_json_bytes(value) == text.encode("utf-8")


def test_broken_text_is_replaced_not_raised(encoder) -> None:
    assert json.loads(encoder.compact_json_bytes(["bad \udcff"])) == ["bad ?"]
