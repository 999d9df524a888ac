"""The server's handle on the store: opened on first use, queried off the event loop."""

from __future__ import annotations

import asyncio
import threading
import time
from typing import Callable, TypeVar

from ..settings import store_path
from ..store import SqliteStore

T = TypeVar("T")


class StoreAccess:
    SWEEP_EVERY = 5.0  # seconds between looks for runs left open by dead kernels

    def __init__(self, path: str | None = None) -> None:
        self.path = path or store_path()
        self._store: SqliteStore | None = None
        self._lock = threading.Lock()
        self._swept_at = 0.0

    def store(self) -> SqliteStore:
        with self._lock:
            if self._store is None:
                self._store = SqliteStore(self.path)
            return self._store

    def _sweep(self, store: SqliteStore) -> None:
        now = time.monotonic()
        if now - self._swept_at >= self.SWEEP_EVERY:
            self._swept_at = now
            store.close_orphaned_runs()

    async def run(self, work: Callable[[SqliteStore], T]) -> T:
        def call() -> T:
            store = self.store()
            self._sweep(store)
            return work(store)

        return await asyncio.to_thread(call)
