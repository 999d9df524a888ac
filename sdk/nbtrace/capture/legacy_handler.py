"""``os.environ["LANGCHAIN_HANDLER"] = "langchain"``: the seed walkthrough's switch, kept working.

Current ``langchain_core`` raises "Tracing using LangChainTracerV1 is no longer
supported" on every run while that variable is set. With nbtrace imported the
variable means "trace with nbtrace" instead: the check that raises is told the
variable is unset, and ``settings.tracing_enabled`` reads it. Nothing else in
LangChain changes. Tested against the langchain-core floor in pyproject.toml.
"""

from __future__ import annotations

from typing import Callable

from ..pipeline.failures import warn_once
from ..settings import legacy_handler_requested

_original: Callable[[str], bool] | None = None


def _env_var_is_set(name: str) -> bool:
    if name == "LANGCHAIN_HANDLER" and legacy_handler_requested():
        return False
    assert _original is not None
    return _original(name)


def install() -> bool:
    """True when the shim is in place (or already was)."""
    global _original
    try:
        from langchain_core.callbacks import manager
    except Exception:
        return False
    current = getattr(manager, "env_var_is_set", None)
    if current is _env_var_is_set:
        return True
    if not callable(current):
        warn_once(
            "legacy-handler",
            "nbtrace: this langchain_core has no callbacks.manager.env_var_is_set; "
            "LANGCHAIN_HANDLER=langchain may raise there. Use nbtrace.enable() instead.",
        )
        return False
    _original = current
    manager.env_var_is_set = _env_var_is_set  # type: ignore[attr-defined]
    return True
