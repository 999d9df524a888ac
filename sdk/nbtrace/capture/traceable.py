"""``@nbtrace.traceable`` and ``with nbtrace.trace(...)``: runs for plain Python code.

Sync functions, async functions, generators and async generators each get a
thin wrapper around one shared path (``RunHandle``). A generator's run ends when
it is exhausted (or closed, or raises); its output is the list of what it yielded.
Its context is entered only while its body runs, never between two ``next()``.
With tracing off, the wrapped function is called as is.
"""

from __future__ import annotations

import functools
import inspect
from contextlib import contextmanager
from typing import Any, Callable, Iterator, TypeVar, overload

from ..pipeline.assembly import RUN_TYPES
from ..pipeline.failures import report
from ..settings import tracing_enabled
from .run_handle import RunHandle

F = TypeVar("F", bound=Callable[..., Any])


def _inputs_of(signature: inspect.Signature | None, args: tuple, kwargs: dict) -> dict[str, Any]:
    if signature is not None:
        try:
            bound = signature.bind_partial(*args, **kwargs)
            inputs = dict(bound.arguments)
            for name, param in signature.parameters.items():
                if param.kind is inspect.Parameter.VAR_KEYWORD and name in inputs:
                    inputs.update(inputs.pop(name))
            inputs.pop("self", None)
            inputs.pop("cls", None)
            return inputs
        except Exception:
            pass
    return {"args": list(args), **kwargs} if args else dict(kwargs)


def _start(name: str, run_type: str, inputs: Any, metadata: dict | None, tags: list[str] | None) -> RunHandle | None:
    try:
        return RunHandle(name, run_type, inputs, metadata=metadata, tags=tags)
    except Exception as error:
        report("starting a traced run", error)
        return None


@overload
def traceable(func: F) -> F: ...
@overload
def traceable(*, name: str | None = None, run_type: str = "chain", metadata: dict | None = None,
              tags: list[str] | None = None) -> Callable[[F], F]: ...


def traceable(func: Any = None, *, name: str | None = None, run_type: str = "chain",
              metadata: dict | None = None, tags: list[str] | None = None) -> Any:
    """Record each call of a function as a run (bare ``@traceable`` or ``@traceable(name=...)``)."""
    if run_type not in RUN_TYPES:
        raise ValueError(f"run_type must be one of {', '.join(RUN_TYPES)}")

    def decorate(fn: Callable[..., Any]) -> Callable[..., Any]:
        run_name = name or getattr(fn, "__name__", None) or "traceable"
        try:
            signature: inspect.Signature | None = inspect.signature(fn)
        except (TypeError, ValueError):
            signature = None

        def begin(args: tuple, kwargs: dict) -> RunHandle | None:
            if not tracing_enabled():
                return None
            return _start(run_name, run_type, _inputs_of(signature, args, kwargs), metadata, tags)

        if inspect.isasyncgenfunction(fn):
            wrapper = _async_generator_wrapper(fn, begin)
        elif inspect.iscoroutinefunction(fn):
            wrapper = _async_wrapper(fn, begin)
        elif inspect.isgeneratorfunction(fn):
            wrapper = _generator_wrapper(fn, begin)
        else:
            wrapper = _sync_wrapper(fn, begin)
        return functools.wraps(fn)(wrapper)

    return decorate(func) if func is not None else decorate


def _sync_wrapper(fn: Callable[..., Any], begin: Callable[[tuple, dict], RunHandle | None]) -> Callable[..., Any]:
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        run = begin(args, kwargs)
        if run is None:
            return fn(*args, **kwargs)
        run.enter()
        try:
            result = fn(*args, **kwargs)
        except BaseException as error:
            run.leave()
            run.end(error=error)
            raise
        run.leave()
        run.end(result)
        return result

    return wrapper


def _async_wrapper(fn: Callable[..., Any], begin: Callable[[tuple, dict], RunHandle | None]) -> Callable[..., Any]:
    async def wrapper(*args: Any, **kwargs: Any) -> Any:
        run = begin(args, kwargs)
        if run is None:
            return await fn(*args, **kwargs)
        run.enter()
        try:
            result = await fn(*args, **kwargs)
        except BaseException as error:
            run.leave()
            run.end(error=error)
            raise
        run.leave()
        run.end(result)
        return result

    return wrapper


def _generator_wrapper(fn: Callable[..., Any], begin: Callable[[tuple, dict], RunHandle | None]) -> Callable[..., Any]:
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        run = begin(args, kwargs)
        if run is None:
            return (yield from fn(*args, **kwargs))
        items: list[Any] = []
        run.enter()
        try:
            generator = fn(*args, **kwargs)
        finally:
            run.leave()
        try:
            while True:
                run.enter()
                try:
                    item = next(generator)
                except StopIteration as stop:
                    run.leave()
                    run.end(items)
                    return stop.value
                run.leave()
                items.append(item)
                yield item
        except GeneratorExit:
            generator.close()
            run.end(items)
            raise
        except BaseException as error:
            run.leave()
            run.end(error=error)
            raise

    return wrapper


def _async_generator_wrapper(fn: Callable[..., Any], begin: Callable[[tuple, dict], RunHandle | None]) -> Callable[..., Any]:
    async def wrapper(*args: Any, **kwargs: Any) -> Any:
        run = begin(args, kwargs)
        if run is None:
            async for item in fn(*args, **kwargs):
                yield item
            return
        items: list[Any] = []
        generator = fn(*args, **kwargs)
        try:
            while True:
                run.enter()
                try:
                    item = await generator.__anext__()
                except StopAsyncIteration:
                    run.leave()
                    run.end(items)
                    return
                run.leave()
                items.append(item)
                yield item
        except GeneratorExit:
            await generator.aclose()
            run.end(items)
            raise
        except BaseException as error:
            run.leave()
            run.end(error=error)
            raise

    return wrapper


class _NoRun:
    """What ``trace()`` yields while tracing is off: the same calls, doing nothing."""

    id = None

    def end(self, outputs: Any = None, error: BaseException | None = None) -> None:
        pass

    def set_outputs(self, outputs: Any) -> None:
        pass


@contextmanager
def trace(name: str, run_type: str = "chain", inputs: Any = None, *, metadata: dict | None = None,
          tags: list[str] | None = None) -> Iterator[Any]:
    """``with nbtrace.trace("retrieve", run_type="retriever", inputs={"q": q}) as run: ... run.end(outputs=...)``

    Ends by itself when the block ends (with the exception as error if one is raised).
    """
    if run_type not in RUN_TYPES:
        raise ValueError(f"run_type must be one of {', '.join(RUN_TYPES)}")
    run = _start(name, run_type, inputs if inputs is not None else {}, metadata, tags) if tracing_enabled() else None
    if run is None:
        yield _NoRun()
        return
    run.enter()
    try:
        yield run
    except BaseException as error:
        run.leave()
        run.end(error=error)
        raise
    run.leave()
    run.end()
