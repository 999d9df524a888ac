"""Where runs are kept: one interface (``RunStore``), several backends."""

from .base import RunStore, SessionInfo, TraceSummary
from .memory import MemoryStore
from .sqlite import SqliteStore

__all__ = ["MemoryStore", "RunStore", "SessionInfo", "SqliteStore", "TraceSummary"]
