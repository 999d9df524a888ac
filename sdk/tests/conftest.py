from __future__ import annotations

import json
import logging
import threading
from pathlib import Path
from typing import Any, NamedTuple

import pytest

import nbtrace
from nbtrace import runtime, settings
from nbtrace.comm.wire import runs_message
from nbtrace.pipeline.recorder import Recorder
from nbtrace.store import MemoryStore

REPO = Path(__file__).resolve().parents[2]
PROTOCOL_DIR = REPO / "protocol"


def resilient_recorder(monkeypatch: pytest.MonkeyPatch, store: Any, *, helper: bool = False) -> Recorder:
    """This process's recorder, writing to ``store`` (a SQLite one through its helper
    process, as a kernel does, with ``helper``), with tracing on."""
    line = runtime.open_assembly_line(store) if helper else None
    assert (line is not None) == helper
    recorder = install_recorder(monkeypatch, Recorder(store, line=line, batch_interval=0.001), None)
    nbtrace.enable()
    return recorder


def install_recorder(monkeypatch: pytest.MonkeyPatch, recorder: Recorder, router: Any) -> Recorder:
    """Make ``recorder`` this process's, its traces routed by ``router`` (None: no view)."""
    monkeypatch.setattr(runtime, "_recorder", recorder)
    monkeypatch.setattr(runtime, "_tracer", None)
    monkeypatch.setattr(runtime, "_router", router)
    monkeypatch.setattr(runtime, "_router_checked", True)
    return recorder


def nbtrace_warnings(caplog: pytest.LogCaptureFixture) -> list[str]:
    return [r.getMessage() for r in caplog.records if r.name == "nbtrace" and r.levelno >= logging.WARNING]


class RecordingSink:
    """Stands in for a trace view: keeps every message it would have sent."""

    def __init__(self) -> None:
        self.messages: list[dict[str, Any]] = []
        self.trace_ids: list[str] = []
        self._lock = threading.Lock()

    def add_trace(self, trace_id: str) -> None:
        self.trace_ids.append(trace_id)

    def deliver(self, events: list[dict[str, Any]] | bytes, *, replay: bool) -> None:
        with self._lock:
            # what the widget puts on the wire (in the custom message's buffer)
            self.messages.append(json.loads(runs_message(events, replay=replay)))

    @property
    def events(self) -> list[dict[str, Any]]:
        return [event for message in self.messages for event in message["events"]]

    def runs(self) -> dict[str, dict[str, Any]]:
        """Every run the browser would hold after applying the messages."""
        runs: dict[str, dict[str, Any]] = {}
        for event in self.events:
            runs.setdefault(event["run"]["id"], {}).update(event["run"])
        return runs


@pytest.fixture(autouse=True, scope="session")
def _private_store(tmp_path_factory: pytest.TempPathFactory) -> None:
    """No test may touch the user's real trace store."""
    import os

    os.environ["NBTRACE_DB"] = str(tmp_path_factory.mktemp("nbtrace-store") / "tests.sqlite")


@pytest.fixture(autouse=True)
def _fresh_warnings() -> None:
    """Each test sees nbtrace's once-per-process warnings afresh."""
    from nbtrace.pipeline import failures

    failures._seen.clear()


@pytest.fixture
def clean_env(monkeypatch: pytest.MonkeyPatch) -> None:
    for name in ("NBTRACE_TRACING", "LANGCHAIN_HANDLER", "LANGCHAIN_SESSION", "LANGCHAIN_TRACING", "LANGCHAIN_TRACING_V2", "LANGSMITH_TRACING"):
        monkeypatch.delenv(name, raising=False)
    settings.set_enabled(None)
    settings.set_session(None)
    yield
    settings.set_enabled(None)
    settings.set_session(None)


@pytest.fixture
def traced(clean_env: None, monkeypatch: pytest.MonkeyPatch) -> RecordingSink:
    """A fresh process runtime whose traces all go to one RecordingSink."""
    sink = RecordingSink()
    recorder = install_recorder(monkeypatch, Recorder(MemoryStore(), batch_interval=0.001), SinkRouter(sink))
    yield sink
    recorder.close(2.0)


class HelperSetUp(NamedTuple):
    recorder: Recorder
    store: Any
    path: str
    sink: RecordingSink


@pytest.fixture
def through_helper(clean_env: None, monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> HelperSetUp:
    """As ``traced``, but recording as a kernel does: to a SQLite file that the store's
    helper process assembles and writes."""
    from nbtrace.store import SqliteStore

    path = str(tmp_path / "kernel.sqlite")
    store = SqliteStore(path)
    sink = RecordingSink()
    recorder = resilient_recorder(monkeypatch, store, helper=True)
    monkeypatch.setattr(runtime, "_router", SinkRouter(sink))
    yield HelperSetUp(recorder, store, path, sink)
    recorder.close(2.0)
    store.close()


class SinkRouter:
    """Routes every trace to one sink."""

    def __init__(self, sink: RecordingSink) -> None:
        self.sink = sink

    def route_root(self):
        from nbtrace.pipeline.events import Route

        return Route(self.sink, settings.current_session())


def flushed(sink: RecordingSink) -> RecordingSink:
    assert nbtrace.flush(timeout=5)
    return sink


@pytest.fixture(scope="session")
def protocol_validator():
    from jsonschema import Draft202012Validator

    schema = json.loads((PROTOCOL_DIR / "schema.json").read_text())
    Draft202012Validator.check_schema(schema)
    return Draft202012Validator(schema)
