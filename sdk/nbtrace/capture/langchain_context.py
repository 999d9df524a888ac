"""The current run, as LangChain itself keeps it.

LangChain passes the running step's child config down in the context variable
``var_child_runnable_config``; its callback manager's ``parent_run_id`` is the
run that anything started now belongs to. nbtrace's own runs (``traceable``,
``trace``) read their parent from there and put themselves there, so LangChain
runs nest under them and they under LangChain runs, through every thread pool
and asyncio task that LangChain already carries its context through.
"""

from __future__ import annotations

from contextvars import Token
from typing import Any
from uuid import UUID

from langchain_core.callbacks.base import BaseCallbackManager
from langchain_core.callbacks.manager import CallbackManager
from langchain_core.runnables.config import var_child_runnable_config


def current_parent_id() -> UUID | None:
    config = var_child_runnable_config.get()
    if not config:
        return None
    callbacks = config.get("callbacks")
    if isinstance(callbacks, BaseCallbackManager):
        return callbacks.parent_run_id
    return None


def enter_run(run_id: UUID) -> Token:
    """Make ``run_id`` the parent of whatever starts in this context from now on."""
    config: dict[str, Any] = dict(var_child_runnable_config.get() or {})
    callbacks = config.get("callbacks")
    if isinstance(callbacks, BaseCallbackManager):
        manager = callbacks.copy()
    else:
        handlers = list(callbacks) if isinstance(callbacks, list) else []
        manager = CallbackManager(handlers=handlers, inheritable_handlers=list(handlers))
    manager.parent_run_id = run_id
    config["callbacks"] = manager
    return var_child_runnable_config.set(config)  # type: ignore[arg-type]


def leave_run(token: Token) -> None:
    var_child_runnable_config.reset(token)
