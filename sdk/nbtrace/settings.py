"""When tracing is on, and which session runs go to.

Read on every chain run (not only at import), so that setting an environment
variable in a notebook cell takes effect on the next run.
"""

from __future__ import annotations

import os
import threading
from contextlib import contextmanager
from contextvars import ContextVar
from typing import Any, Callable, Iterator, TypeVar

DEFAULT_SESSION = "default"

_FALSE = {"", "0", "false", "no", "off"}
_TRUE = {"1", "true", "yes", "on"}
T = TypeVar("T")

_lock = threading.Lock()
_explicit_enabled: bool | None = None  # set by enable() / disable()
_explicit_session: str | None = None  # set by set_session() / set_tracing_callback_manager()
_scoped_session: ContextVar[str | None] = ContextVar("nbtrace_scoped_session", default=None)


def env_reading(name: str, parse: Callable[[str | None], T]) -> T:
    """``parse(os.environ.get(name))``, parsed again only when the variable changed.

    Tracing reads a few variables on every chain run (the hook twice per configured
    run). ``os.environ.get`` costs up to a microsecond for a variable that is set
    (decoding its bytes) and raises and catches a KeyError for one that is not. On
    POSIX ``os.environ`` keeps its values as bytes in a dict: the object stored there
    only changes when the variable is set again, so it keys the parsed value (held
    here, so it cannot be freed and its identity reused).
    """
    raw = _raw_value(name)
    kept = _readings.get(name)
    if kept is not None and kept[0] is raw and kept[1] is parse:
        return kept[2]
    value = parse(None if raw is None else _decode(raw))
    _readings[name] = (raw, parse, value)
    return value


_readings: dict[str, tuple[object, Callable[[str | None], Any], Any]] = {}
_ENCODE_KEY = getattr(os.environ, "encodekey", None) if os.name == "posix" else None
_encoded_keys: dict[str, bytes] = {}


def _raw_value(name: str) -> object:
    """What ``os.environ`` stores for ``name`` (its bytes on POSIX), or None."""
    environ = os.environ
    data = getattr(environ, "_data", None)
    if type(data) is not dict or _ENCODE_KEY is None:
        return environ.get(name)
    key = _encoded_keys.get(name)
    if key is None:
        key = _encoded_keys[name] = _ENCODE_KEY(name)
    return data.get(key)


def _decode(raw: object) -> str:
    return raw if isinstance(raw, str) else os.environ.decodevalue(raw)  # type: ignore[attr-defined]


def _flag(value: str | None) -> bool | None:
    if value is None:
        return None
    value = value.strip().lower()
    if value in _TRUE:
        return True
    if value in _FALSE:
        return False
    return None


def _names_langchain(value: str | None) -> bool:
    return value is not None and value.strip().lower() == "langchain"


def _session_name(value: str | None) -> str:
    return (value or "").strip() or DEFAULT_SESSION


def env_flag(name: str) -> bool | None:
    """A yes/no variable: True, False, or None when unset or neither."""
    return env_reading(name, _flag)


def legacy_handler_requested() -> bool:
    """The seed walkthrough's switch: ``LANGCHAIN_HANDLER=langchain``."""
    return env_reading("LANGCHAIN_HANDLER", _names_langchain)


def tracing_enabled() -> bool:
    """``NBTRACE_TRACING=false`` wins; then enable()/disable(); then the environment."""
    env = env_reading("NBTRACE_TRACING", _flag)
    if env is False:
        return False
    if _explicit_enabled is not None:
        return _explicit_enabled
    return env is True or legacy_handler_requested()


def set_enabled(enabled: bool | None) -> None:
    global _explicit_enabled
    with _lock:
        _explicit_enabled = enabled


def validate_session_name(name: object) -> str:
    if not isinstance(name, str):
        raise TypeError(f"a session name is a string, not {type(name).__name__}")
    cleaned = name.strip()
    if not cleaned:
        raise ValueError("a session name cannot be empty")
    if len(cleaned) > 200:
        raise ValueError("a session name has at most 200 characters")
    if any(ch in cleaned for ch in "/\\") or any(ord(ch) < 32 for ch in cleaned):
        raise ValueError("a session name cannot contain '/', '\\' or control characters")
    return cleaned


def current_session() -> str:
    """``with session(...)`` scope, then set_session(), then ``LANGCHAIN_SESSION``, then default."""
    scoped = _scoped_session.get()
    if scoped is not None:
        return scoped
    if _explicit_session is not None:
        return _explicit_session
    return env_reading("LANGCHAIN_SESSION", _session_name)


def set_session(name: str | None) -> None:
    """Record to ``name`` from now on in this process (``None``: back to the environment)."""
    global _explicit_session
    with _lock:
        _explicit_session = None if name is None else validate_session_name(name)


@contextmanager
def scoped_session(name: str) -> Iterator[str]:
    token = _scoped_session.set(validate_session_name(name))
    try:
        yield _scoped_session.get() or DEFAULT_SESSION
    finally:
        _scoped_session.reset(token)


def store_path() -> str:
    """``NBTRACE_DB``, else ``nbtrace.sqlite`` in the user's Jupyter data directory."""
    env = os.environ.get("NBTRACE_DB", "").strip()
    if env:
        return os.path.expanduser(env)
    try:
        from jupyter_core.paths import jupyter_data_dir

        base = jupyter_data_dir()
    except Exception:
        base = os.path.join(os.path.expanduser("~"), ".local", "share", "jupyter")
    return os.path.join(base, "nbtrace", "nbtrace.sqlite")
