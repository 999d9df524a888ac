"""Whatever a program passes around is stored as bounded, JSON-safe data, and nothing raises."""

from __future__ import annotations

import dataclasses
import json
import math

import pydantic
import pytest

from nbtrace.pipeline.serialize import Serializer, decode_json


class ReprRaises:
    def __repr__(self) -> str:
        raise RuntimeError("boom")


class StrRaises(Exception):
    def __str__(self) -> str:
        raise RuntimeError("boom")


class Point(pydantic.BaseModel):
    x: int
    y: float


@dataclasses.dataclass
class Box:
    label: str
    items: list


def cyclic() -> dict:
    d: dict = {"name": "loop"}
    d["self"] = d
    return d


CASES = [
    ("plain", {"a": [1, 2.5, "s", None, True]}, {"a": [1, 2.5, "s", None, True]}),
    ("nan and infinities", [math.nan, math.inf, -math.inf], [None, None, None]),
    ("nan beside an object only the walk knows", [math.nan, ReprRaises()], [None, "<ReprRaises object (repr failed)>"]),
    ("tuple and set", {"t": (1, 2), "s": {3, 1, 2}}, {"t": [1, 2], "s": [1, 2, 3]}),
    ("pydantic model", Point(x=1, y=2.0), {"x": 1, "y": 2.0}),
    ("dataclass", Box("b", [1]), {"label": "b", "items": [1]}),
    ("cycle", cyclic(), {"name": "loop", "self": "<cycle>"}),
    ("repr raises", ReprRaises(), "<ReprRaises object (repr failed)>"),
    ("non-string keys", {1: "one", (2, 3): "pair"}, {"1": "one", "(2, 3)": "pair"}),
    ("a lone surrogate", {"s": "bad \ud800 text"}, {"s": "bad \ufffd text"}),
    ("an integer past 64 bits", {"n": 2**70}, {"n": 2**70}),
]


@pytest.mark.parametrize(("label", "value", "expected"), CASES, ids=[c[0] for c in CASES])
def test_bad_values_become_safe_json(label, value, expected) -> None:
    out = Serializer().field(value)
    assert out == expected
    json.dumps(out, allow_nan=False)


def test_bytes_keep_their_size_and_a_head() -> None:
    out = Serializer().field(b"\x00\x01binary" * 100)
    assert out["__nbtrace__"] == "bytes" and out["size"] == 800 and out["head_base64"]


def test_every_encoded_payload_is_valid_utf8_json() -> None:
    for value in ({"s": "\udc80"}, ["ok", "\ud83d"], {"k\ud800": 1}):
        text = Serializer().encode(value)
        text.encode("utf-8")
        json.loads(text)


def test_an_exception_whose_str_raises_is_still_recorded() -> None:
    out = Serializer().field({"error": StrRaises("x")})
    assert out["error"]["type"] == "StrRaises"
    json.dumps(out)


def test_a_huge_string_is_truncated_with_a_visible_marker_and_its_size() -> None:
    out = Serializer(max_field_chars=1_000).field({"text": "x" * 10_000_000})
    assert len(out["text"]) < 1_200
    assert "truncated by nbtrace: 10,000,000 characters in all" in out["text"]


def test_many_medium_strings_are_bounded_as_a_whole() -> None:
    out = Serializer(max_field_chars=10_000).field(["y" * 1_000] * 1_000)
    assert len(json.dumps(out)) < 20_000


def test_numpy_arrays_become_lists_or_summaries() -> None:
    np = pytest.importorskip("numpy")
    assert Serializer().field(np.arange(3)) == [0, 1, 2]
    big = Serializer().field(np.zeros((100, 100)))
    assert big["__nbtrace__"] == "ndarray" and big["shape"] == [100, 100]
    assert Serializer().field(np.float64("nan")) is None


def test_values_are_recorded_as_they_are_secret_looking_keys_included() -> None:
    # Masking happens where content leaves the recorder (test_secret_keys.py), not here.
    payload = {"api_key": "sk-live-123", "max_tokens": 7}
    assert Serializer().field(payload) == payload
    assert Serializer().field({"odd": ReprRaises(), "api_key": "sk-live-123"})["api_key"] == "sk-live-123"


def test_iterators_and_files_are_recorded_without_being_consumed(tmp_path) -> None:
    import itertools

    def numbers():
        yield 1
        yield 2

    generator, endless, mapped = numbers(), itertools.count(), map(str, [1, 2])
    path = tmp_path / "notes.txt"
    path.write_text("line 1\nline 2\n")
    with path.open() as handle:
        for value in (generator, endless, mapped, handle, {"nested": numbers()}):
            text = Serializer().encode({"value": value})
            json.loads(text)
        assert handle.read() == "line 1\nline 2\n"
    assert list(generator) == [1, 2] and list(mapped) == ["1", "2"] and next(endless) == 0


def test_an_integer_past_64_bits_survives_encoding_and_reading_back() -> None:
    assert decode_json(Serializer().encode({"n": 2**70, "m": -(2**65)})) == {"n": 2**70, "m": -(2**65)}


@pytest.mark.parametrize("beside", [None, b"bytes take the careful walk"], ids=["fast path", "careful walk"])
def test_a_prompt_value_keeps_what_its_messages_hold(beside) -> None:
    """A field declared as BaseMessage holds an AIMessage: its tool calls are part of the record."""
    from langchain_core.messages import AIMessage, HumanMessage
    from langchain_core.prompt_values import ChatPromptValue

    calls = [{"name": "multiply", "args": {"a": 6, "b": 7}, "id": "call_1", "type": "tool_call"}]
    value = ChatPromptValue(messages=[HumanMessage("6 times 7?"), AIMessage("", tool_calls=calls)])
    data = Serializer().field({"output": value, "beside": beside})
    assert data["output"]["messages"][1]["tool_calls"] == calls
    assert data["output"]["messages"][0]["content"] == "6 times 7?"
