"""Secret-looking keys are masked wherever content leaves the recorder: the SQLite file
(written by the helper process or in-process), the memory store, messages with payloads."""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path

import pytest

import nbtrace
from nbtrace.pipeline.secret_keys import MASK, is_secret_key, masked_json
from nbtrace.pipeline.serialize import Serializer
from nbtrace.store import MemoryStore, SqliteStore

from .conftest import resilient_recorder

SECRET = "sk-live-123"
PROSE = "The author explains the key idea: each token gets a score. " * 80


def masked(value: object) -> object:
    return json.loads(masked_json(Serializer().encode(value)))


@pytest.mark.parametrize("key", ["api_key", "OPENAI_API_KEY", "apiKey", "token", "access_token", "Authorization", "password", "client_secret", "private-key"])
def test_secret_keys_are_masked(key) -> None:
    assert is_secret_key(key)
    out = masked({"nested": [{key: SECRET}]})
    assert out["nested"][0][key] == MASK
    assert SECRET not in json.dumps(out)


@pytest.mark.parametrize("key", ["max_tokens", "prompt_tokens", "total_tokens", "token_usage", "topic", "input"])
def test_ordinary_keys_are_kept(key) -> None:
    assert not is_secret_key(key)
    assert masked({key: 7}) == {key: 7}


@pytest.mark.parametrize(
    ("payload", "path"),
    [
        ({"messages": [{"content": PROSE, "additional_kwargs": {"headers": {"Authorization": "Bearer sk-1"}}}]}, ("messages", 0, "additional_kwargs", "headers", "Authorization")),
        ({"note": 'a value with \\":" inside', 'api":key': "sk-2"}, ('api":key',)),
        ([[{"x": PROSE}], {"deep": [{"password": "sk-3"}]}], (1, "deep", 0, "password")),
        ({"credentials": {"user": "ann", "pin": 1234}}, ("credentials",)),
    ],
    ids=["under long prose that says key and token", "a key that holds a quote and a colon", "inside lists", "a whole object under a secret key"],
)
def test_secret_keys_are_found_anywhere(payload, path) -> None:
    out = masked(payload)
    for step in path:
        out = out[step]
    assert out == MASK


def test_text_with_nothing_to_mask_is_returned_as_it_is() -> None:
    payload = {"messages": [[{"content": PROSE, "type": "human"}]], "token_usage": {"total_tokens": 9}}
    text = Serializer().encode(payload)
    assert masked_json(text) is text
    assert masked_json(None) is None


def record(run_id: str, **fields: object) -> dict:
    run = {
        "id": run_id, "trace_id": run_id, "parent_run_id": None, "dotted_order": f"20261125T000000000000Z{run_id}",
        "name": "step", "run_type": "chain", "start_time": "2026-11-25T00:00:00.000000Z", "end_time": None,
        "inputs": None, "outputs": None, "error": None, "tags": [], "extra": Serializer().encode({}), "events": None,
        "session_name": "default",
    }
    run.update(fields)
    return run


def secret_payloads() -> list[tuple[str, dict]]:
    start = record("r1", inputs=Serializer().encode({"q": 1, "api_key": SECRET}),
                   extra=Serializer().encode({"metadata": {"access_token": SECRET}}))
    end = {**start, "end_time": "2026-11-25T00:00:01.000000Z", "outputs": Serializer().encode({"password": SECRET})}
    return [("start", start), ("end", end)]


def test_the_sqlite_file_never_holds_a_secret(tmp_path: Path) -> None:
    path = tmp_path / "runs.sqlite"
    store = SqliteStore(str(path))
    for change in secret_payloads():  # a start, then its end in a later batch
        store.write([change])
    run = store.runs_for_traces(["r1"])[0]
    store.close()
    assert_masked_everywhere(run, tmp_path)
    assert sqlite3.connect(path).execute("SELECT inputs FROM runs").fetchone()[0] == '{"q":1,"api_key":"***"}'


def test_the_helper_process_never_writes_a_secret_either(clean_env, monkeypatch, tmp_path: Path) -> None:
    path = tmp_path / "kernel.sqlite"
    store = SqliteStore(str(path))
    recorder = resilient_recorder(monkeypatch, store, helper=True)
    with nbtrace.trace("step", inputs={"q": 1, "api_key": SECRET}, metadata={"access_token": SECRET}) as run:
        with nbtrace.trace("open_across_batches"):
            assert recorder.flush(10)
        run.end(outputs={"password": SECRET})
    assert recorder.flush(10)
    recorder.close()
    (run,) = [r for r in store.runs_for_session("default") if r["name"] == "step"]
    store.close()
    assert_masked_everywhere(run, tmp_path)


def assert_masked_everywhere(run: dict, folder: Path) -> None:
    """The run reads back masked, and no file of the store (WAL included) holds the secret."""
    assert run["inputs"] == {"q": 1, "api_key": MASK}
    assert run["outputs"] == {"password": MASK}
    assert run["extra"]["metadata"] == {"access_token": MASK}
    raw = b"".join(p.read_bytes() for p in folder.iterdir())
    assert SECRET.encode() not in raw and b"step" in raw


def test_the_memory_store_never_holds_a_secret() -> None:
    store = MemoryStore()
    store.write(secret_payloads())
    for form in ("data", "json"):
        assert SECRET not in json.dumps(store.runs_for_traces(["r1"], payloads=form))
