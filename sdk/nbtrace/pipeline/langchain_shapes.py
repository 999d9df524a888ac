"""LangChain payloads in the shapes LangChain's own tracer records (``langchain_core.tracers.core``)."""

from __future__ import annotations

import traceback
from typing import Any, TypeAlias

from pydantic import BaseModel

from . import events as ev


def run_name(name: str | None, serialized: Any, default: str = "Unnamed") -> str:
    if name:
        return str(name)
    if isinstance(serialized, dict):
        if serialized.get("name"):
            return str(serialized["name"])
        ident = serialized.get("id")
        if isinstance(ident, list) and ident:
            return str(ident[-1])
    return default


def _dumpd(value: Any) -> Any:
    """LangChain's ``dumpd`` shape; messages take a faster path to the same result."""
    try:
        fast = _message_dumpd(value)
        if fast is not None:
            return fast
        from langchain_core.load import dumpd

        return dumpd(value)
    except Exception:
        return value


# What the fast path needs of a message class: (lc_id, the fields whose default is truthy,
# whether the class adds lc_attributes); None for a class that does not take it.
_MessageClass: TypeAlias = "tuple[list[Any], tuple[tuple[str, Any], ...], bool] | None"
_message_classes: dict[type, _MessageClass] = {}  # classes are few: they stay
_UNKNOWN = object()


def _message_fields(cls: type) -> _MessageClass:
    known = _message_classes.get(cls, _UNKNOWN)
    if known is _UNKNOWN:
        known = _message_classes[cls] = _message_class_fields(cls)
    return known  # type: ignore[return-value]


def _message_class_fields(cls: type) -> _MessageClass:
    """For a message class whose ``to_json`` is LangChain's own and that declares no
    secrets; None for any other class."""
    from langchain_core.load.serializable import Serializable
    from langchain_core.messages import BaseMessage

    if not issubclass(cls, BaseMessage) or cls.to_json is not Serializable.to_json or not cls.is_lc_serializable():
        return None
    for klass in cls.__mro__:
        if klass is Serializable:
            break
        if "lc_secrets" in vars(klass):
            return None
    truthy_defaults = tuple(
        (name, info.default)
        for name, info in cls.model_fields.items()
        if not info.exclude and info.default_factory is None and not info.is_required() and _truthy(info.default)
    )
    return cls.lc_id(), truthy_defaults, cls.lc_attributes is not Serializable.lc_attributes


def _truthy(value: Any) -> bool:
    try:
        return bool(value)
    except Exception:
        return False


def _message_dumpd(value: Any) -> dict[str, Any] | None:
    """``dumpd(message)``: LangChain keeps a field that is required, truthy, or not its
    default (``langchain_core.load.serializable._is_field_useful``). pydantic's
    ``exclude_defaults`` keeps the last two save a truthy default (a message's ``type``),
    added back here. None where this does not apply."""
    known = _message_fields(type(value))
    if known is None:
        return None
    lc_id, truthy_defaults, adds_attributes = known
    kwargs = value.__pydantic_serializer__.to_python(value, exclude_defaults=True)
    for name, default in truthy_defaults:
        if name not in kwargs:
            kwargs[name] = default
    if adds_attributes:
        kwargs.update(value.lc_attributes)  # e.g. AIMessage's tool_calls, merged last as to_json does
    # lc_id is shared: what reads this encodes it, and a mask function gets a decoded copy.
    return {"lc": 1, "type": "constructor", "id": lc_id, "kwargs": kwargs}


def inputs(kind: str, payload: Any, extra_inputs: Any = None) -> Any:
    if kind == ev.IN_CHAIN:
        return payload if isinstance(payload, dict) else {"input": payload}
    if kind == ev.IN_MESSAGES:
        return {"messages": [[_dumpd(m) for m in batch] for batch in payload]}
    if kind == ev.IN_PROMPTS:
        return {"prompts": payload}
    if kind == ev.IN_TOOL:
        return extra_inputs if isinstance(extra_inputs, dict) else {"input": payload}
    if kind == ev.IN_QUERY:
        return {"query": payload}
    return payload if isinstance(payload, dict) else {"input": payload}


def outputs(kind: str, payload: Any) -> Any:
    if kind == ev.OUT_CHAIN:
        return payload if isinstance(payload, dict) else {"output": payload}
    if kind == ev.OUT_LLM:
        return llm_result(payload)
    if kind == ev.OUT_TOOL:
        return {"output": payload}
    if kind == ev.OUT_DOCUMENTS:
        return {"documents": payload}
    return payload


def generated_anything(response: Any) -> bool:
    """Whether a failed call's ``LLMResult`` holds text or tool calls the model had generated.
    LangChain reports a call that failed before that with no generation, or with an empty
    message carrying the provider's error response, which the error already says."""
    generations = getattr(response, "generations", None)
    if not isinstance(generations, list):
        return False
    for batch in generations:
        for generation in batch if isinstance(batch, list) else ():
            message = getattr(generation, "message", None)
            if getattr(generation, "text", None) or getattr(message, "content", None) or getattr(message, "tool_calls", None):
                return True
    return False


def llm_result(response: Any) -> Any:
    """``LLMResult.model_dump()`` with each message in ``dumpd`` shape, as LangChain's tracer records it."""
    generations = [[_generation(generation) for generation in batch] for batch in response.generations]
    return {"generations": generations, **_model_dump(response, _GENERATIONS)}


def _generation(generation: Any) -> Any:
    message = getattr(generation, "message", None)
    if message is None:
        return _model_dump(generation)
    out = _model_dump(generation, _MESSAGE)
    out["message"] = _dumpd(message)
    return out


_GENERATIONS = {"generations"}
_MESSAGE = {"message"}


def _model_dump(model: Any, exclude: set[str] | None = None) -> Any:
    """``model.model_dump(exclude=exclude)``, without its Python wrapper where it is pydantic's own."""
    if type(model).model_dump is BaseModel.model_dump:
        return model.__pydantic_serializer__.to_python(model, exclude=exclude)
    return model.model_dump(exclude=exclude)


def tool_call_count(response: Any) -> int:
    count = 0
    for generations in getattr(response, "generations", None) or []:
        for generation in generations:
            calls = getattr(getattr(generation, "message", None), "tool_calls", None)
            if calls:
                count += len(calls)
    return count


def token_usage(response: Any) -> tuple[int | None, int | None, int | None]:
    """(prompt, completion, total) from ``llm_output`` or the messages' ``usage_metadata``."""
    llm_output = getattr(response, "llm_output", None) or {}
    usage = llm_output.get("token_usage") or llm_output.get("usage") if isinstance(llm_output, dict) else None
    if isinstance(usage, dict):
        prompt = _int(usage.get("prompt_tokens", usage.get("input_tokens")))
        completion = _int(usage.get("completion_tokens", usage.get("output_tokens")))
        total = _int(usage.get("total_tokens"))
        if total is None and prompt is not None and completion is not None:
            total = prompt + completion
        if prompt is not None or completion is not None or total is not None:
            return prompt, completion, total
    prompt = completion = total = 0
    found = False
    for generations in getattr(response, "generations", None) or []:
        for generation in generations:
            meta = getattr(getattr(generation, "message", None), "usage_metadata", None)
            if isinstance(meta, dict):
                found = True
                prompt += _int(meta.get("input_tokens")) or 0
                completion += _int(meta.get("output_tokens")) or 0
                total += _int(meta.get("total_tokens")) or 0
    if not found:
        return None, None, None
    return prompt, completion, total or prompt + completion


def _int(value: Any) -> int | None:
    if isinstance(value, bool) or not isinstance(value, int):
        return None
    return int(value) if value >= 0 else None


def stacktrace(error: BaseException) -> str:
    """The same text LangChain's tracer stores in ``error``."""
    message = repr(error)
    try:
        lines = traceback.format_exception(error)
        return (message + "\n\n".join(lines)).strip()
    except Exception:
        return message
