"""Turns captured events into prepared events: plain data that can leave the kernel.

Runs in the recorder's worker thread, and is the only step that must touch the
traced program's objects: payloads become JSON text in LangChain's shapes (hidden
or masked as configured), errors their traceback text, LLM results their token
counts. The rest (ids, times, dotted order, records) is ``assembly``'s, which a
SQLite store runs in its helper process. The shapes are listed in ``events``.
"""

from __future__ import annotations

from typing import Any, Callable
from uuid import UUID

from . import events as ev
from . import langchain_shapes as shapes
from .failures import report
from .privacy import HIDDEN_INPUTS, HIDDEN_OUTPUTS, MASK_FAILED, Privacy
from .serialize import Serializer, encodable, encode_json, safe_repr, safe_str

_EMPTY_OBJECT = "{}"
RouteKey = Callable[[Any], "int | None"]  # a route's view -> its key (None: no view)


class EventPreparer:
    def __init__(self, serializer: Serializer | None = None, privacy: Privacy | None = None) -> None:
        self.serializer = serializer or Serializer()
        self.privacy = privacy or Privacy()

    def prepare(self, event: tuple, route_key: RouteKey) -> tuple:
        kind = event[0]
        if kind == ev.START:
            return self._start(event, route_key)
        if kind == ev.END:
            return self._end(event)
        return self._token(event)

    def _start(self, event: tuple, route_key: RouteKey) -> tuple:
        (_, run_id, parent_id, t_us, run_type, name, in_kind, payload, tags, metadata, extra, route) = event
        if extra:
            extra_inputs = extra.pop("inputs", None)
            if metadata:
                extra["metadata"] = metadata
            extra_json = self._payload(extra)
        else:
            extra_inputs = None
            extra_json = self._payload({"metadata": metadata}) if metadata else _EMPTY_OBJECT
        inputs = self._payload(
            shapes.inputs(in_kind, payload, extra_inputs), HIDDEN_INPUTS if self.privacy.inputs_hidden() else None
        )
        return (
            ev.START, _key(run_id), None if parent_id is None else _key(parent_id), t_us, _text(run_type),
            "Unnamed" if name is None else _text(name), inputs,
            [_text(t) for t in tags] if tags else None, extra_json,
            None if route is None or route.sink is None else route_key(route.sink),
            None if route is None else _text(route.session),
        )

    def _end(self, event: tuple) -> tuple:
        (_, run_id, t_us, out_kind, payload, error, new_inputs) = event
        error_text = None if error is None else _error_text(error)
        outputs = None
        # A model call that failed keeps what it had generated (a stream cut short), as LangSmith does.
        if error is None or (out_kind == ev.OUT_LLM and shapes.generated_anything(payload)):
            outputs = self._payload(
                shapes.outputs(out_kind, payload), HIDDEN_OUTPUTS if self.privacy.outputs_hidden() else None
            )
        prompt = completion = total = None
        tool_calls = 0
        if out_kind == ev.OUT_LLM and payload is not None:
            prompt, completion, total = shapes.token_usage(payload)
            tool_calls = shapes.tool_call_count(payload)
        inputs = None
        if new_inputs is not None and not self.privacy.inputs_hidden():
            inputs = self._payload(shapes.inputs(ev.IN_CHAIN, new_inputs))
        return (ev.END, _key(run_id), t_us, outputs, error_text, inputs, prompt, completion, total, tool_calls)

    def _token(self, event: tuple) -> tuple:
        (_, run_id, t_us, token) = event
        # A mask cannot see what a stream splits across tokens (an email in three pieces):
        # masked, the text shows once the run ends, its outputs masked whole.
        if self.privacy.outputs_hidden() or self.privacy.mask is not None:
            return (ev.TOKEN, _key(run_id), t_us, "", "")
        return (ev.TOKEN, _key(run_id), t_us, _token_text(token), self.serializer.field(token))

    def _payload(self, value: Any, hidden: dict[str, Any] | None = None) -> str:
        """A payload field as JSON text: hidden, masked by the user's function, or as it is."""
        if hidden is not None:
            return encode_json(hidden)
        if self.privacy.mask is None:
            return self.serializer.encode(value)
        try:
            return encode_json(self.privacy.apply_mask(self.serializer.field(value)))
        except Exception as error:  # the mask returned something that is not JSON
            report("the mask function passed to nbtrace.configure", error)
            return encode_json(MASK_FAILED)


def _key(run_id: Any) -> Any:
    """A run's key: its id's int (NotebookTracer sends ints), or the id as text."""
    if type(run_id) is int:
        return run_id
    return run_id.int if type(run_id) is UUID else str(run_id)


def _text(value: Any) -> str:
    """``value`` as a plain str that every writer can encode: the helper's pipe takes no
    subclass, and UTF-8 no lone surrogate."""
    text = value if type(value) is str else str.__str__(safe_str(value))
    return text if text.isascii() else encodable(text)


def _token_text(token: Any) -> str:
    return _text(ev.token_text(token))


def _error_text(error: Any) -> str:
    if isinstance(error, BaseException):
        try:
            return _text(shapes.stacktrace(error))
        except Exception:
            return _text(safe_repr(error))
    return _text(error if isinstance(error, str) else safe_repr(error))
