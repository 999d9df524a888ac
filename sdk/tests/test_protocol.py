"""The one protocol file: its examples are valid, its counter-examples are not (jest checks the same files)."""

from __future__ import annotations

import json

import pytest

from nbtrace.protocol import PROTOCOL_VERSION

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
