"""Where runs are kept: one interface (``RunStore``), several backends."""

from .base import RunStore, SessionInfo
from .memory import MemoryStore

__all__ = ["MemoryStore", "RunStore", "SessionInfo"]
