"""Turns prepared events into run records with LangSmith's fields, and what each view is sent.

A kernel's SQLite store runs this in its helper process, so the traced program's
GIL never waits on it; with a store in memory (or once the helper has failed) the
recorder runs it in the kernel. Hence the standard library only: the helper
loads this file by its path (``store/helper_process``).

Keeps state for open traces alone: once every run of a trace has ended its
entries go, so tracing a million runs holds nothing per finished run (unlike
``BaseTracer.order_map``).
"""

from __future__ import annotations

import json
import time
from operator import itemgetter
from typing import Any, Callable, Iterable

from . import events as ev
from .json_text import compact_json
from .secret_keys import mask_secret_keys
from .timefmt import iso, start_stamps

RUN_TYPES = ("chain", "llm", "tool", "retriever", "embedding", "prompt", "parser")
# A run's payload fields hold objects (or null) as data, so a str there is their JSON text.
PAYLOAD_TEXT_FIELDS = ("inputs", "outputs", "extra")
PAYLOAD_FIELDS = (*PAYLOAD_TEXT_FIELDS, "events")
# What a view's tree draws of a run (everything but the payload fields).
_SKELETON = (
    "id", "trace_id", "parent_run_id", "dotted_order", "name", "run_type",
    "start_time", "end_time", "error", "tags", "session_name",
)
_TOKENS = ("prompt_tokens", "completion_tokens", "total_tokens")
_skeleton_of = itemgetter(*_SKELETON)
_tokens_of = itemgetter(*_TOKENS)

# What a batch sends one view: (route key, ids of the traces it started, protocol events:
# a list, or its UTF-8 JSON text as the store's helper process sends it, never decoded).
Delivery = tuple[int, list[str], "list[dict[str, Any]] | bytes"]


def implied_events(run: dict[str, Any]) -> list[dict[str, Any]]:
    """The events of a run that recorded none but its start and end (``events`` is None)."""
    events = [{"name": "start", "time": run["start_time"]}]
    if run.get("end_time"):
        events.append({"name": "error" if run.get("error") else "end", "time": run["end_time"]})
    return events


def uuid_text(value: int) -> str:
    """``str(UUID(int=value))``, without making the UUID."""
    h = "%032x" % value
    return f"{h[:8]}-{h[8:12]}-{h[12:16]}-{h[16:20]}-{h[20:]}"


def streamed_so_far(record: dict[str, Any]) -> str | None:
    """An open run's streamed text as the outputs of a generation cut short (JSON text), or
    None if it streamed none."""
    tokens = [(e.get("kwargs") or {}).get("token") for e in record["events"] or () if e.get("name") == "new_token"]
    text = "".join(ev.token_text(token) for token in tokens)
    return compact_json({"generations": [[{"text": text, "type": "Generation"}]]}) if text else None


class TraceState:
    __slots__ = ("trace_id", "route_key", "session", "open_runs", "members")

    def __init__(self, trace_id: str, route_key: int | None, session: str) -> None:
        self.trace_id = trace_id
        self.route_key = route_key
        self.session = session
        self.open_runs = 0
        self.members: list[Any] = []


class Change:
    """One event's outcome: what changed (``patch``: the whole run for a start, the end
    fields for an end, ``{"id", "text"}`` for streamed text), the whole record after it,
    and the route key of its trace. Payload fields hold JSON text. A start whose run ends
    in the same batch is stored and sent once, with its end in the record."""

    __slots__ = ("op", "patch", "record", "route_key")

    def __init__(self, op: str, patch: dict[str, Any], record: dict[str, Any], route_key: int | None) -> None:
        self.op = op
        self.patch = patch
        self.record = record
        self.route_key = route_key

    def wire(self, decode: Callable[[str], Any] | None = None) -> dict[str, Any]:
        """The protocol event. Without ``decode``: what the view's tree draws (Explore loads
        the payloads from the store). With it: everything, payloads decoded and their
        secret keys masked (for a store that no server can read)."""
        if self.op == "stream":
            return {"op": "stream", "run": self.patch}
        patch = self.patch
        if decode is not None:
            run = dict(patch)
            for key in PAYLOAD_TEXT_FIELDS:  # not events: a streamed token's kwargs say "token"
                value = run.get(key)
                if isinstance(value, str):
                    run[key] = decode(value)
                    mask_secret_keys(run[key])
            if "events" in run and run["events"] is None:
                run["events"] = implied_events(self.record)
        elif self.op == "start":  # every record has these keys: pick them in C
            run = dict(zip(_SKELETON, _skeleton_of(patch)))
            if "total_tokens" in patch:
                run.update(zip(_TOKENS, _tokens_of(patch)))
        else:
            run = {key: value for key, value in patch.items() if key not in PAYLOAD_FIELDS}
        return {"op": self.op, "run": run}


def deliveries(changes: Iterable[Change], decode: Callable[[str], Any] | None = None) -> list[Delivery]:
    """The changes grouped by route, as each view is sent them."""
    by_route: dict[int, Delivery] = {}
    for change in changes:
        key = change.route_key
        if key is None:
            continue
        entry = by_route.get(key)
        if entry is None:
            entry = by_route[key] = (key, [], [])
        if change.op == "start" and change.record["parent_run_id"] is None:
            entry[1].append(change.record["trace_id"])
        entry[2].append(change.wire(decode))
    return list(by_route.values())


def stored(changes: Iterable[Change]) -> list[tuple[str, dict[str, Any]]]:
    """What a store writes of the changes: (op, whole record); streamed text is the views' alone."""
    return [(change.op, change.record) for change in changes if change.op != "stream"]


class RunAssembler:
    def __init__(self) -> None:
        # Keyed by run key (the id's int, or its text for ids that are not UUIDs).
        self._streamed: dict[Any, list[str]] = {}
        self._order: dict[Any, tuple[TraceState, str, str]] = {}  # -> (trace, dotted_order, id)
        self._open: dict[Any, tuple[dict[str, Any], TraceState]] = {}  # -> (record, trace)
        self._last_route: tuple[int | None, str] = (None, "default")

    @property
    def open_count(self) -> int:
        return len(self._open)

    def apply(self, batch: Iterable[tuple], on_error: Callable[[Exception], None]) -> list[Change]:
        """Every prepared event of ``batch`` in order, then the text streamed meanwhile.
        A run that starts and ends in the batch yields one change. An event that cannot
        be assembled goes to ``on_error`` and the rest go on."""
        changes: list[Change] = []
        started: set[str] = set()
        for event in batch:
            try:
                kind = event[0]
                if kind == ev.START:
                    change = self.start(event)
                    changes.append(change)
                    started.add(change.patch["id"])
                elif kind == ev.END:
                    change = self.end(event)
                    if change is not None and change.patch["id"] not in started:
                        changes.append(change)
                elif kind == ev.TOKEN:
                    self.token(event)
            except Exception as error:
                on_error(error)
        if self._streamed:
            changes.extend(self.stream_changes())
        return changes

    def start(self, event: tuple) -> Change:
        (_, key, parent_key, t_us, run_type, name, inputs, tags, extra, route_key, session) = event
        rid = uuid_text(key) if type(key) is int else str(key)
        when, segment = start_stamps(t_us, rid)
        parent = self._order.get(parent_key) if parent_key is not None else None
        parent_str: str | None
        if parent is not None:
            trace, parent_dotted, parent_str = parent
            dotted = f"{parent_dotted}.{segment}"
        else:
            if session is None:  # parent unknown to us: a root, as LangChain's tracer does
                route_key, session = self._last_route
            trace = TraceState(rid, route_key, session)
            self._last_route = (route_key, session)
            dotted = segment
            parent_str = None
        trace.open_runs += 1
        trace.members.append(key)
        self._order[key] = (trace, dotted, rid)
        record: dict[str, Any] = {
            "id": rid,
            "trace_id": trace.trace_id,
            "parent_run_id": parent_str,
            "dotted_order": dotted,
            "name": name,
            "run_type": run_type if run_type in RUN_TYPES else "chain",
            "start_time": when,
            "end_time": None,
            "inputs": inputs,
            "outputs": None,
            "error": None,
            "tags": tags or [],
            "extra": extra,
            "events": None,  # only start and end until something else happens (see implied_events)
            "session_name": trace.session,
        }
        self._open[key] = (record, trace)
        return Change("start", record, record, trace.route_key)

    def end(self, event: tuple) -> Change | None:
        (_, key, t_us, outputs, error, new_inputs, prompt, completion, total, tool_calls) = event
        open_run = self._open.pop(key, None)
        if open_run is None:
            return None
        record, trace = open_run
        when = iso(t_us)
        patch: dict[str, Any] = {"id": record["id"], "end_time": when}
        if error is not None:
            patch["error"] = error
        if error is None or outputs is not None:
            patch["outputs"] = outputs
        events = record["events"]
        if events is not None:
            events.append({"name": "end" if error is None else "error", "time": when})
            patch["events"] = events
        if total is not None:
            patch["prompt_tokens"] = prompt
            patch["completion_tokens"] = completion
            patch["total_tokens"] = total
        if tool_calls:
            extra = json.loads(record["extra"] or "{}")
            extra["tool_call_count"] = tool_calls
            patch["extra"] = compact_json(extra)
        if new_inputs is not None:
            patch["inputs"] = new_inputs
        record.update(patch)
        if self._streamed:
            self._streamed.pop(key, None)

        trace.open_runs -= 1
        if trace.open_runs <= 0:
            order = self._order
            for member in trace.members:
                order.pop(member, None)
            trace.members.clear()
        return Change("end", patch, record, trace.route_key)

    def interrupt_open(self, t_us: int | None = None) -> list[Change]:
        """End every run still open as interrupted at ``t_us`` (now): the process that ran
        them is ending, so nothing else ever will. A model call keeps the text it had streamed."""
        if t_us is None:
            t_us = time.time_ns() // 1000
        ends = [
            (ev.END, key, t_us, streamed_so_far(record), ev.INTERRUPTED, None, None, None, None, 0)
            for key, (record, _) in self._open.items()
        ]
        return [change for event in ends if (change := self.end(event)) is not None]

    def token(self, event: tuple) -> None:
        """Record a streamed token; its text waits in ``_streamed`` for ``stream_changes``."""
        (_, key, t_us, text, token) = event
        open_run = self._open.get(key)
        if open_run is None:
            return
        record = open_run[0]
        if record["events"] is None:
            record["events"] = [{"name": "start", "time": record["start_time"]}]
        record["events"].append({"name": "new_token", "time": iso(t_us), "kwargs": {"token": token}})
        if text:
            self._streamed.setdefault(key, []).append(text)

    def stream_changes(self) -> list[Change]:
        """One 'stream' event per run that streamed text since the last call (the text added)."""
        changes = []
        for key, pieces in self._streamed.items():
            open_run = self._open.get(key)
            if open_run is None:
                continue
            record, trace = open_run
            changes.append(Change("stream", {"id": record["id"], "text": "".join(pieces)}, record, trace.route_key))
        self._streamed.clear()
        return changes
