"""Turns captured events into run records with LangSmith's fields.

Runs in the worker thread only. Keeps state for open traces alone: once every
run of a trace has ended its entries go, so a kernel that traces a million runs
holds nothing per finished run (unlike ``BaseTracer.order_map``).
"""

from __future__ import annotations

from operator import itemgetter
from typing import Any
from uuid import UUID

from . import events as ev
from . import langchain_shapes as shapes
from .failures import report
from .privacy import HIDDEN_INPUTS, HIDDEN_OUTPUTS, MASK_FAILED, Privacy
from .secret_keys import mask_secret_keys
from .serialize import PAYLOAD_TEXT_FIELDS, Json, Serializer, encode_json, plain, safe_repr
from .timefmt import iso, start_stamps

RUN_TYPES = {"chain", "llm", "tool", "retriever", "embedding", "prompt", "parser"}
PAYLOAD_FIELDS = (*PAYLOAD_TEXT_FIELDS, "events")
# What a view's tree draws of a run (everything but the payload fields).
_SKELETON = (
    "id", "trace_id", "parent_run_id", "dotted_order", "name", "run_type",
    "start_time", "end_time", "error", "tags", "session_name",
)
_TOKENS = ("prompt_tokens", "completion_tokens", "total_tokens")
_skeleton_of = itemgetter(*_SKELETON)
_tokens_of = itemgetter(*_TOKENS)
_EMPTY_OBJECT = Json("{}")


class TraceState:
    __slots__ = ("trace_id", "route", "open_runs", "members")

    def __init__(self, trace_id: str, route: ev.Route) -> None:
        self.trace_id = trace_id
        self.route = route
        self.open_runs = 0
        self.members: list[Any] = []


def implied_events(run: dict[str, Any]) -> list[dict[str, Any]]:
    """The events of a run that recorded none but its start and end (``events`` is None)."""
    events = [{"name": "start", "time": run["start_time"]}]
    if run.get("end_time"):
        events.append({"name": "error" if run.get("error") else "end", "time": run["end_time"]})
    return events


class Change:
    """One event's outcome: what changed (``patch``: the whole run for a start, the end
    fields for an end, ``{"id", "text"}`` for streamed text), the whole record after it,
    and where it goes. Payload fields hold ``Json`` text, encoded once. A start whose
    run ends in the same batch is sent and stored once, with its end in the record."""

    __slots__ = ("op", "patch", "record", "route")

    def __init__(self, op: str, patch: dict[str, Any], record: dict[str, Any], route: ev.Route) -> None:
        self.op = op
        self.patch = patch
        self.record = record
        self.route = route

    def wire(self, with_payloads: bool) -> dict[str, Any]:
        """The protocol event: without payloads the view gets what its tree draws and
        Explore loads the rest from the store; with them, everything as data."""
        if self.op == "stream":
            return {"op": "stream", "run": self.patch}
        patch = self.patch
        if with_payloads:
            run = {key: plain(value) for key, value in patch.items()}
            if "events" in run and run["events"] is None:
                run["events"] = implied_events(self.record)
            for key in PAYLOAD_TEXT_FIELDS:  # not events: a streamed token's kwargs say "token"
                mask_secret_keys(run.get(key))
        elif self.op == "start":  # every record has these keys: pick them in C
            run = dict(zip(_SKELETON, _skeleton_of(patch)))
            if "total_tokens" in patch:
                run.update(zip(_TOKENS, _tokens_of(patch)))
        else:
            run = {key: value for key, value in patch.items() if key not in PAYLOAD_FIELDS}
        return {"op": self.op, "run": run}


class RecordBuilder:
    def __init__(self, serializer: Serializer, privacy: Privacy | None = None) -> None:
        self.serializer = serializer
        self.privacy = privacy or Privacy()
        # Keyed by _key(run id).
        self._streamed: dict[Any, list[str]] = {}
        self._order: dict[Any, tuple[TraceState, str, str]] = {}  # -> (trace, dotted_order, id)
        self._open: dict[Any, tuple[dict[str, Any], TraceState]] = {}  # -> (record, trace)
        self._last_route: ev.Route | None = None

    @property
    def open_count(self) -> int:
        return len(self._open)

    def start(self, event: tuple) -> Change:
        (_, run_id, parent_id, t_us, run_type, name, in_kind, payload, tags, metadata, extra, route) = event
        key = _key(run_id)
        rid = uuid_text(key) if type(key) is int else str(run_id)
        when, segment = start_stamps(t_us, rid)
        parent = self._order.get(_key(parent_id)) if parent_id is not None else None
        parent_str: str | None
        if parent is not None:
            trace, parent_dotted, parent_str = parent
            dotted = f"{parent_dotted}.{segment}"
        else:
            if route is None:  # parent unknown to us: a root, as LangChain's tracer does
                route = self._last_route or ev.Route(None, "default")
            trace = TraceState(rid, route)
            self._last_route = route
            dotted = segment
            parent_str = None
        trace.open_runs += 1
        trace.members.append(key)
        self._order[key] = (trace, dotted, rid)

        if extra:
            extra_inputs = extra.pop("inputs", None)
            if metadata:
                extra["metadata"] = metadata
            extra_json = self._payload(extra)
        else:
            extra_inputs = None
            extra_json = self._payload({"metadata": metadata}) if metadata else _EMPTY_OBJECT
        record: dict[str, Any] = {
            "id": rid,
            "trace_id": trace.trace_id,
            "parent_run_id": parent_str,
            "dotted_order": dotted,
            "name": name if type(name) is str else ("Unnamed" if name is None else str(name)),
            "run_type": run_type if run_type in RUN_TYPES else "chain",
            "start_time": when,
            "end_time": None,
            "inputs": self._payload(
                shapes.inputs(in_kind, payload, extra_inputs),
                HIDDEN_INPUTS if self.privacy.inputs_hidden() else None,
            ),
            "outputs": None,
            "error": None,
            "tags": [str(t) for t in tags] if tags else [],
            "extra": extra_json,
            "events": None,  # only start and end until something else happens (see implied_events)
            "session_name": trace.route.session,
        }
        self._open[key] = (record, trace)
        return Change("start", record, record, trace.route)

    def end(self, event: tuple) -> Change | None:
        (_, run_id, t_us, out_kind, payload, error, new_inputs) = event
        key = _key(run_id)
        open_run = self._open.pop(key, None)
        if open_run is None:
            return None
        record, trace = open_run
        when = iso(t_us)
        patch: dict[str, Any] = {"id": record["id"], "end_time": when}
        if error is not None:
            patch["error"] = _error_text(error)
        else:
            patch["outputs"] = self._outputs(shapes.outputs(out_kind, payload))
        events = record["events"]
        if events is not None:
            events.append({"name": "end" if error is None else "error", "time": when})
            patch["events"] = events
        if out_kind == ev.OUT_LLM and payload is not None:
            self._llm_details(payload, record, patch)
        if new_inputs is not None and not self.privacy.inputs_hidden():
            patch["inputs"] = self._payload(shapes.inputs(ev.IN_CHAIN, new_inputs))
        record.update(patch)
        if self._streamed:
            self._streamed.pop(key, None)

        trace.open_runs -= 1
        if trace.open_runs <= 0:
            order = self._order
            for member in trace.members:
                order.pop(member, None)
            trace.members.clear()
        return Change("end", patch, record, trace.route)

    def _outputs(self, outputs: Any) -> Json:
        return self._payload(outputs, HIDDEN_OUTPUTS if self.privacy.outputs_hidden() else None)

    def _payload(self, value: Any, hidden: dict[str, Any] | None = None) -> Json:
        """A payload field as JSON text: hidden, masked by the user's function, or as it is."""
        if hidden is not None:
            return Json(encode_json(hidden))
        mask = self.privacy.mask
        if mask is None:
            return self.serializer.encode(value)
        try:
            return Json(encode_json(self.privacy.apply_mask(self.serializer.field(value))))
        except Exception as error:  # the mask returned something that is not JSON
            report("the mask function passed to nbtrace.configure", error)
            return Json(encode_json(MASK_FAILED))

    def token(self, event: tuple) -> None:
        """Record a streamed token; its text waits in ``_streamed`` for ``stream_changes``."""
        (_, run_id, t_us, token) = event
        key = _key(run_id)
        open_run = self._open.get(key)
        if open_run is None:
            return
        record = open_run[0]
        hidden = self.privacy.outputs_hidden()
        text = "" if hidden else _token_text(token)
        if record["events"] is None:
            record["events"] = [{"name": "start", "time": record["start_time"]}]
        record["events"].append(
            {"name": "new_token", "time": iso(t_us), "kwargs": {"token": text if hidden else self.serializer.field(token)}}
        )
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
            changes.append(Change("stream", {"id": record["id"], "text": "".join(pieces)}, record, trace.route))
        self._streamed.clear()
        return changes

    def _llm_details(self, response: Any, record: dict[str, Any], patch: dict[str, Any]) -> None:
        prompt, completion, total = shapes.token_usage(response)
        if total is not None:
            patch["prompt_tokens"] = prompt
            patch["completion_tokens"] = completion
            patch["total_tokens"] = total
        calls = shapes.tool_call_count(response)
        if calls:
            extra = dict(plain(record.get("extra")) or {})
            extra["tool_call_count"] = calls
            patch["extra"] = Json(encode_json(extra))


def _key(run_id: Any) -> Any:
    """How the builder keys a run: by its id's int (NotebookTracer sends ints; a UUID hashes in Python)."""
    return run_id.int if type(run_id) is UUID else run_id


def uuid_text(value: int) -> str:
    """``str(UUID(int=value))``, without making the UUID."""
    h = "%032x" % value
    return f"{h[:8]}-{h[8:12]}-{h[12:16]}-{h[16:20]}-{h[20:]}"


def _token_text(token: Any) -> str:
    if isinstance(token, str):
        return token
    if isinstance(token, list):  # content blocks
        return "".join(b if isinstance(b, str) else str(b.get("text", "")) for b in token if isinstance(b, (str, dict)))
    return ""


def _error_text(error: Any) -> str:
    if isinstance(error, BaseException):
        try:
            return shapes.stacktrace(error)
        except Exception:
            return safe_repr(error)
    return safe_repr(error) if not isinstance(error, str) else error
