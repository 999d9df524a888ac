"""``NotebookTracer``: a LangChain callback handler that records every run as it starts and ends.

It does not subclass ``BaseTracer``: that base builds a pydantic ``Run`` and an
ordering string per run on the caller's thread (about 66 µs here) and keeps an
``order_map`` entry per run forever. Each callback here stamps a time, keeps
references and appends one tuple to the recorder's queue; the recorder prepares
them, and the store's helper process builds LangSmith-shaped records.
"""

from __future__ import annotations

import time
from typing import Any, Callable
from uuid import UUID

from langchain_core.callbacks.base import BaseCallbackHandler
from pydantic import BaseModel

from ..pipeline import events as ev
from ..pipeline.failures import report
from ..pipeline.langchain_shapes import run_name

_START, _END, _TOKEN = ev.START, ev.END, ev.TOKEN
_IN_CHAIN, _OUT_CHAIN = ev.IN_CHAIN, ev.OUT_CHAIN


def _copy(value: Any) -> Any:
    """The payload as it is now: a program may change it after the run (LangGraph sets a
    message's id once the tool that made it has ended). One level deep, to stay cheap."""
    if type(value) is dict:
        return value.copy()
    if isinstance(value, BaseModel):
        try:
            return _model_copy(value)
        except Exception:
            return value
    return value


_set = object.__setattr__
# pydantic's own shallow copy (``__copy__``) goes through ``copy.copy`` for each of these;
# set directly they cost a third less, on the program's thread. Only while BaseModel keeps
# its state in exactly these slots.
_MODEL_STATE = ("__dict__", "__pydantic_fields_set__", "__pydantic_extra__", "__pydantic_private__")
_SLOTS_KNOWN = getattr(BaseModel, "__slots__", None) == _MODEL_STATE


def _model_copy(value: BaseModel) -> BaseModel:
    """``value.model_copy()``: a shallow copy of its fields, the fields set and extra values."""
    cls = type(value)
    private = getattr(value, "__pydantic_private__", None)
    if not _SLOTS_KNOWN or private is not None or cls.__copy__ is not BaseModel.__copy__:
        return value.model_copy()  # private values, or a copy of its own: pydantic's way
    copied = cls.__new__(cls)
    _set(copied, "__dict__", value.__dict__.copy())
    _set(copied, "__pydantic_fields_set__", value.__pydantic_fields_set__.copy())
    extra = value.__pydantic_extra__
    _set(copied, "__pydantic_extra__", None if extra is None else extra.copy())
    _set(copied, "__pydantic_private__", None)
    return copied


class NotebookTracer(BaseCallbackHandler):
    """Records LangChain runs for nbtrace: ``config={"callbacks": [NotebookTracer()]}``.

    Usually not needed by hand: with tracing on, nbtrace attaches one to every run.
    """

    name = "nbtrace"
    run_inline = True  # called on the run's own thread/task: no executor hop, exact ordering
    raise_error = False

    def __init__(self, recorder: Any = None, route: Callable[[], ev.Route] | None = None) -> None:
        from .. import runtime

        super().__init__()
        self._emit = (recorder or runtime.recorder()).emit
        self._route = route or runtime.route_root

    # -- starts ----------------------------------------------------------------
    def _start(
        self,
        run_id: UUID,
        parent_run_id: UUID | None,
        run_type: str,
        serialized: Any,
        in_kind: str,
        payload: Any,
        tags: Any,
        metadata: Any,
        kwargs: dict[str, Any],
    ) -> None:
        try:
            # The name now, so the event does not keep LangChain's ``serialized`` dict alive.
            name = kwargs.pop("name", None) or run_name(None, serialized, "Retriever" if run_type == "retriever" else "Unnamed")
            route = self._route() if parent_run_id is None else None
            self._emit(
                (_START, run_id.int, None if parent_run_id is None else parent_run_id.int, time.time_ns() // 1000,
                 run_type, name, in_kind, payload, tags or None, metadata or None, kwargs or None, route)
            )
        except Exception as error:
            report("capturing a run start", error)

    def on_chain_start(self, serialized: Any, inputs: Any, *, run_id: UUID, parent_run_id: UUID | None = None,
                       tags: Any = None, metadata: Any = None, **kwargs: Any) -> None:
        # The most frequent callback, so _start is written out here.
        try:
            run_type = kwargs.pop("run_type", None) or "chain"
            name = kwargs.pop("name", None) or run_name(None, serialized)
            self._emit(
                (_START, run_id.int, None if parent_run_id is None else parent_run_id.int, time.time_ns() // 1000,
                 run_type, name, _IN_CHAIN, inputs.copy() if type(inputs) is dict else _copy(inputs),
                 tags or None, metadata or None, kwargs or None, self._route() if parent_run_id is None else None)
            )
        except Exception as error:
            report("capturing a run start", error)

    def on_chat_model_start(self, serialized: Any, messages: Any, *, run_id: UUID, parent_run_id: UUID | None = None,
                            tags: Any = None, metadata: Any = None, **kwargs: Any) -> None:
        # Copied: ``model.generate(history)`` passes the caller's own lists, which it may append to later.
        batches = [list(batch) for batch in messages]
        self._start(run_id, parent_run_id, "llm", serialized, ev.IN_MESSAGES, batches, tags, metadata, kwargs)

    def on_llm_start(self, serialized: Any, prompts: Any, *, run_id: UUID, parent_run_id: UUID | None = None,
                     tags: Any = None, metadata: Any = None, **kwargs: Any) -> None:
        self._start(run_id, parent_run_id, "llm", serialized, ev.IN_PROMPTS, list(prompts), tags, metadata, kwargs)

    def on_tool_start(self, serialized: Any, input_str: Any, *, run_id: UUID, parent_run_id: UUID | None = None,
                      tags: Any = None, metadata: Any = None, inputs: Any = None, **kwargs: Any) -> None:
        kwargs["inputs"] = _copy(inputs)
        self._start(run_id, parent_run_id, "tool", serialized, ev.IN_TOOL, input_str, tags, metadata, kwargs)

    def on_retriever_start(self, serialized: Any, query: Any, *, run_id: UUID, parent_run_id: UUID | None = None,
                           tags: Any = None, metadata: Any = None, **kwargs: Any) -> None:
        self._start(run_id, parent_run_id, "retriever", serialized, ev.IN_QUERY, query, tags, metadata, kwargs)

    # -- ends ----------------------------------------------------------------
    def _end(self, run_id: UUID, out_kind: str, payload: Any, error: Any, inputs: Any = None) -> None:
        try:
            self._emit((_END, run_id.int, time.time_ns() // 1000, out_kind, payload, error, inputs))
        except Exception as failure:
            report("capturing a run end", failure)

    def on_chain_end(self, outputs: Any, *, run_id: UUID, inputs: Any = None, **kwargs: Any) -> None:
        try:
            self._emit((_END, run_id.int, time.time_ns() // 1000, _OUT_CHAIN, _copy(outputs), None,
                        None if inputs is None else _copy(inputs)))
        except Exception as failure:
            report("capturing a run end", failure)

    def on_chain_error(self, error: BaseException, *, run_id: UUID, inputs: Any = None, **kwargs: Any) -> None:
        self._end(run_id, ev.OUT_CHAIN, None, error, _copy(inputs))

    def on_llm_end(self, response: Any, *, run_id: UUID, **kwargs: Any) -> None:
        self._end(run_id, ev.OUT_LLM, response, None)

    def on_llm_error(self, error: BaseException, *, run_id: UUID, **kwargs: Any) -> None:
        self._end(run_id, ev.OUT_LLM, kwargs.get("response"), error)

    def on_llm_new_token(self, token: Any, *, run_id: UUID, **kwargs: Any) -> None:
        try:
            self._emit((_TOKEN, run_id.int, time.time_ns() // 1000, token))
        except Exception as error:
            report("capturing a streamed token", error)

    def on_tool_end(self, output: Any, *, run_id: UUID, **kwargs: Any) -> None:
        self._end(run_id, ev.OUT_TOOL, _copy(output), None)

    def on_tool_error(self, error: BaseException, *, run_id: UUID, **kwargs: Any) -> None:
        self._end(run_id, ev.OUT_TOOL, None, error)

    def on_retriever_end(self, documents: Any, *, run_id: UUID, **kwargs: Any) -> None:
        self._end(run_id, ev.OUT_DOCUMENTS, list(documents), None)

    def on_retriever_error(self, error: BaseException, *, run_id: UUID, **kwargs: Any) -> None:
        self._end(run_id, ev.OUT_DOCUMENTS, None, error)

    def __copy__(self) -> "NotebookTracer":
        return self

    def __deepcopy__(self, memo: Any = None) -> "NotebookTracer":
        return self
