"""The one protocol file: its examples are valid, its counter-examples are not (jest checks the same files)."""

from __future__ import annotations

import json

import pytest

from nbtrace.comm.wire import IN_BUFFER, runs_message
from nbtrace.protocol import PROTOCOL_VERSION
from nbtrace.pipeline.events import INTERRUPTED

from .conftest import PROTOCOL_DIR

EXAMPLES = sorted((PROTOCOL_DIR / "examples").glob("*.json"))
INVALID = sorted((PROTOCOL_DIR / "invalid").glob("*.json"))


def test_there_are_examples_of_every_message_kind() -> None:
    kinds = {json.loads(path.read_text())["kind"] for path in EXAMPLES}
    assert kinds == {"runs", "sync", "snapshot"}
    assert len(INVALID) >= 5


@pytest.mark.parametrize("path", EXAMPLES, ids=lambda p: p.name)
def test_example_is_valid(path, protocol_validator) -> None:
    message = json.loads(path.read_text())
    protocol_validator.validate(message)
    assert message["protocol"] == PROTOCOL_VERSION


@pytest.mark.parametrize("path", INVALID, ids=lambda p: p.name)
def test_counter_example_is_rejected(path, protocol_validator) -> None:
    assert not protocol_validator.is_valid(json.loads(path.read_text()))


def test_schema_version_matches_the_kernel_side() -> None:
    schema = json.loads((PROTOCOL_DIR / "schema.json").read_text())
    assert schema["$defs"]["ProtocolVersion"]["const"] == PROTOCOL_VERSION


def test_runs_left_open_by_a_dead_kernel_get_the_schemas_interrupted_error() -> None:
    schema = json.loads((PROTOCOL_DIR / "schema.json").read_text())
    assert schema["$defs"]["Interrupted"]["const"] == INTERRUPTED


@pytest.mark.parametrize("path", [p for p in EXAMPLES if p.name.startswith("runs-")], ids=lambda p: p.name)
def test_runs_travel_in_the_comm_buffer_the_same_from_a_list_or_from_json_text(path, protocol_validator) -> None:
    """The widget sends a 'runs' message as JSON in its custom message's buffer; the events
    may come as a list, or as the JSON text the store's helper process answers with."""
    message = json.loads(path.read_text())
    replay = bool(message.get("replay"))
    from_list = runs_message(message["events"], replay=replay)
    from_text = runs_message(json.dumps(message["events"]).encode(), replay=replay)
    assert json.loads(from_list) == json.loads(from_text) == message
    protocol_validator.validate(json.loads(from_text))
    assert IN_BUFFER == {"protocol": PROTOCOL_VERSION, "encoding": "json-buffer"}
