"""When tracing is on, and which session runs go to.

Read on every chain run (not only at import), so that setting an environment
variable in a notebook cell takes effect on the next run.
"""

from __future__ import annotations

import os
import threading
from contextlib import contextmanager
from contextvars import ContextVar
from typing import Iterator

DEFAULT_SESSION = "default"

_FALSE = {"", "0", "false", "no", "off"}
_TRUE = {"1", "true", "yes", "on"}

_lock = threading.Lock()
_explicit_enabled: bool | None = None  # set by enable() / disable()
_explicit_session: str | None = None  # set by set_session() / set_tracing_callback_manager()
_scoped_session: ContextVar[str | None] = ContextVar("nbtrace_scoped_session", default=None)


def getenv(name: str) -> str | None:
    """``os.environ.get(name)``, fast for a name that is not set.

    Tracing reads a few variables on every chain run; ``os.environ.get`` raises and
    catches a KeyError for each one that is missing (about half a microsecond). On
    POSIX ``os.environ`` keeps its values in a dict of bytes, read here directly.
    """
    environ = os.environ
    data = getattr(environ, "_data", None)
    if type(data) is not dict or _ENCODE_KEY is None:
        return environ.get(name)
    key = _encoded_keys.get(name)
    if key is None:
        key = _encoded_keys[name] = _ENCODE_KEY(name)
    raw = data.get(key)
    return None if raw is None else environ.decodevalue(raw)  # type: ignore[attr-defined]


_ENCODE_KEY = getattr(os.environ, "encodekey", None) if os.name == "posix" else None
_encoded_keys: dict[str, bytes] = {}


def _env_flag(name: str) -> bool | None:
    value = getenv(name)
    if value is None:
        return None
    value = value.strip().lower()
    if value in _TRUE:
        return True
    if value in _FALSE:
        return False
    return None


def legacy_handler_requested() -> bool:
    """The seed walkthrough's switch: ``LANGCHAIN_HANDLER=langchain``."""
    value = getenv("LANGCHAIN_HANDLER")
    return value is not None and value.strip().lower() == "langchain"


def tracing_enabled() -> bool:
    """``NBTRACE_TRACING=false`` wins; then enable()/disable(); then the environment."""
    env = _env_flag("NBTRACE_TRACING")
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
    env = (getenv("LANGCHAIN_SESSION") or "").strip()
    return env or DEFAULT_SESSION


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
