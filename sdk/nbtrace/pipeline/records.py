"""Turns captured events into run records with LangSmith's fields.

Runs in the worker thread only. Keeps state for open traces alone: once every
run of a trace has ended its entries go, so a kernel that traces a million runs
holds nothing per finished run (unlike ``BaseTracer.order_map``).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from . import events as ev
from . import langchain_shapes as shapes
from .failures import report
from .privacy import HIDDEN_INPUTS, HIDDEN_OUTPUTS, MASK_FAILED, Privacy
from .serialize import Json, Serializer, encode_json, plain, safe_repr
from .timefmt import dotted_segment, iso

RUN_TYPES = {"chain", "llm", "tool", "retriever", "embedding", "prompt", "parser"}


@dataclass
class TraceState:
    trace_id: str
    route: ev.Route
    open_runs: int = 0
    members: list[Any] = field(default_factory=list)


@dataclass
class OpenRun:
    record: dict[str, Any]
    trace: TraceState


PAYLOAD_FIELDS = ("inputs", "outputs", "extra", "events")


@dataclass
class Change:
    """One event's outcome: what changed (``patch``: the whole run for a start, the end
    fields for an end, ``{"id", "text"}`` for streamed text), the whole record after it,
    and where it goes. Payload fields hold ``Json`` text, encoded once."""

    op: str
    patch: dict[str, Any]
    record: dict[str, Any]
    route: ev.Route

    def wire(self, with_payloads: bool) -> dict[str, Any]:
        """The protocol event: without payloads the view gets what its tree draws and
        Explore loads the rest from the store; with them, everything as data."""
        if self.op == "stream":
            return {"op": "stream", "run": self.patch}
        if with_payloads:
            run = {key: plain(value) for key, value in self.patch.items()}
        else:
            run = {key: value for key, value in self.patch.items() if key not in PAYLOAD_FIELDS}
        return {"op": self.op, "run": run}


class RecordBuilder:
    def __init__(self, serializer: Serializer, privacy: Privacy | None = None) -> None:
        self.serializer = serializer
        self.privacy = privacy or Privacy()
        self._streamed: dict[Any, list[str]] = {}
        self._order: dict[Any, tuple[TraceState, str]] = {}
        self._open: dict[Any, OpenRun] = {}
        self._last_route: ev.Route | None = None

    @property
    def open_count(self) -> int:
        return len(self._open)

    def start(self, event: tuple) -> Change:
        (_, run_id, parent_id, t_us, run_type, name, serialized, in_kind, payload, tags, metadata, extra, route) = event
        rid = str(run_id)
        segment = dotted_segment(t_us, rid)
        parent = self._order.get(parent_id) if parent_id is not None else None
        if parent is not None:
            trace, parent_dotted = parent
            dotted = f"{parent_dotted}.{segment}"
            parent_str: str | None = str(parent_id)
        else:
            if route is None:  # parent unknown to us: a root, as LangChain's tracer does
                route = self._last_route or ev.Route(None, "default")
            trace = TraceState(trace_id=rid, route=route)
            self._last_route = route
            dotted = segment
            parent_str = None
        trace.open_runs += 1
        trace.members.append(run_id)
        self._order[run_id] = (trace, dotted)

        privacy = self.privacy
        extra_record = dict(extra) if extra else {}
        if metadata:
            extra_record["metadata"] = metadata
        record: dict[str, Any] = {
            "id": rid,
            "trace_id": trace.trace_id,
            "parent_run_id": parent_str,
            "dotted_order": dotted,
            "name": shapes.run_name(name, serialized, "Retriever" if run_type == "retriever" else "Unnamed"),
            "run_type": run_type if run_type in RUN_TYPES else "chain",
            "start_time": iso(t_us),
            "end_time": None,
            "inputs": self._payload(
                shapes.inputs(in_kind, payload, extra.get("inputs") if extra else None),
                HIDDEN_INPUTS if privacy.inputs_hidden() else None,
            ),
            "outputs": None,
            "error": None,
            "tags": [str(t) for t in tags] if tags else [],
            "extra": self._payload(_without(extra_record, "inputs")),
            "events": [{"name": "start", "time": iso(t_us)}],
            "session_name": trace.route.session,
        }
        self._open[run_id] = OpenRun(record, trace)
        return Change("start", record, record, trace.route)

    def end(self, event: tuple) -> Change | None:
        (_, run_id, t_us, out_kind, payload, error, new_inputs) = event
        open_run = self._open.pop(run_id, None)
        if open_run is None:
            return None
        record, trace = open_run.record, open_run.trace
        when = iso(t_us)
        patch: dict[str, Any] = {"id": record["id"], "end_time": when}
        if error is not None:
            patch["error"] = _error_text(error)
            record["events"].append({"name": "error", "time": when})
        else:
            patch["outputs"] = self._outputs(shapes.outputs(out_kind, payload))
            record["events"].append({"name": "end", "time": when})
        if out_kind == ev.OUT_LLM and payload is not None:
            self._llm_details(payload, record, patch)
        if new_inputs is not None and not self.privacy.inputs_hidden():
            patch["inputs"] = self._payload(shapes.inputs(ev.IN_CHAIN, new_inputs))
        patch["events"] = record["events"]
        record.update(patch)
        self._streamed.pop(run_id, None)

        trace.open_runs -= 1
        if trace.open_runs <= 0:
            for member in trace.members:
                self._order.pop(member, None)
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
        open_run = self._open.get(run_id)
        if open_run is None:
            return
        hidden = self.privacy.outputs_hidden()
        text = "" if hidden else _token_text(token)
        open_run.record["events"].append(
            {"name": "new_token", "time": iso(t_us), "kwargs": {"token": text if hidden else self.serializer.field(token)}}
        )
        if text:
            self._streamed.setdefault(run_id, []).append(text)

    def stream_changes(self) -> list[Change]:
        """One 'stream' event per run that streamed text since the last call (the text added)."""
        changes = []
        for run_id, pieces in self._streamed.items():
            open_run = self._open.get(run_id)
            if open_run is None:
                continue
            patch = {"id": open_run.record["id"], "text": "".join(pieces)}
            changes.append(Change("stream", patch, open_run.record, open_run.trace.route))
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


def _token_text(token: Any) -> str:
    if isinstance(token, str):
        return token
    if isinstance(token, list):  # content blocks
        return "".join(b if isinstance(b, str) else str(b.get("text", "")) for b in token if isinstance(b, (str, dict)))
    return ""


def _without(mapping: dict[str, Any], key: str) -> dict[str, Any]:
    if key in mapping:
        mapping = dict(mapping)
        mapping.pop(key)
    return mapping


def _error_text(error: Any) -> str:
    if isinstance(error, BaseException):
        try:
            return shapes.stacktrace(error)
        except Exception:
            return safe_repr(error)
    return safe_repr(error) if not isinstance(error, str) else error
