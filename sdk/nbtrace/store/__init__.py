"""Where runs are kept: one interface (``RunStore``), several backends, and the helper process
that assembles and writes a kernel's runs into the SQLite file (``helper``)."""

from .base import RunStore, SessionInfo, TraceSummary
from .memory import MemoryStore
from .sqlite import SqliteStore

__all__ = ["MemoryStore", "RunStore", "SessionInfo", "SqliteStore", "TraceSummary"]
