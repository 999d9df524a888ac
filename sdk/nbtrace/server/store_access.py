"""The server's handle on the store: opened on first use, queried off the event loop."""

from __future__ import annotations

import asyncio
import threading
from typing import Any, Callable, TypeVar

from ..settings import store_path
from ..store import SqliteStore

T = TypeVar("T")


class StoreAccess:
    def __init__(self, path: str | None = None) -> None:
        self.path = path or store_path()
        self._store: SqliteStore | None = None
        self._lock = threading.Lock()

    def store(self) -> SqliteStore:
        with self._lock:
            if self._store is None:
                self._store = SqliteStore(self.path)
            return self._store

    async def run(self, work: Callable[[SqliteStore], T]) -> T:
        return await asyncio.to_thread(lambda: work(self.store()))
