"""The batching worker between capture and delivery.

``emit`` is the only thing the user's thread calls: one deque append. A daemon
thread wakes when there is work, waits ``batch_interval`` for a batch to
gather, then builds records, writes them to the store in one call and sends
each trace view one message for the whole batch.
"""

from __future__ import annotations

import threading
from collections import deque
from typing import Any, Iterable

from . import events as ev
from .failures import report
from ..output.snapshot import DEFAULT_MAX_RUNS
from .privacy import Privacy
from .records import Change, RecordBuilder
from .serialize import Serializer

# A batch's changes go out (to the store, to each view) in chunks of this many, so the
# store's helper process writes one chunk while the next is built.
MAX_EVENTS_PER_MESSAGE = 500


class Recorder:
    def __init__(
        self,
        store: Any,
        *,
        serializer: Serializer | None = None,
        privacy: Privacy | None = None,
        batch_interval: float = 0.01,
    ) -> None:
        self.store = store
        self.batch_interval = batch_interval
        self.builder = RecordBuilder(serializer or Serializer(), privacy)
        self._queue: deque[tuple] = deque()
        self._wake = threading.Event()
        self._urgent = threading.Event()
        self._awake = False
        self._closed = False
        self._thread = threading.Thread(target=self._loop, name="nbtrace-recorder", daemon=True)
        self._thread.start()

    # -- the user's thread -------------------------------------------------
    def emit(self, event: tuple) -> None:
        self._queue.append(event)
        if not self._awake:
            self._awake = True
            self._wake.set()

    # -- any thread --------------------------------------------------------
    def flush(self, timeout: float | None = None) -> bool:
        """True once everything emitted before this call is stored and sent."""
        if threading.current_thread() is self._thread:
            return False
        if not self._thread.is_alive():
            return not self._queue
        done = threading.Event()
        self._queue.append((ev.FLUSH, done))
        self._awake = True
        self._urgent.set()
        self._wake.set()
        return done.wait(timeout)

    def close(self, timeout: float = 5.0) -> None:
        self.flush(timeout)
        self._closed = True
        self._wake.set()
        self._urgent.set()

    @property
    def sends_payloads(self) -> bool:
        """Whether views get inputs/outputs in their messages: only when no server can read
        them from the store (a store in memory), else Explore loads them from there."""
        return not getattr(self.store, "shared", False)

    def replay_to(self, sink: Any, trace_ids: Iterable[str]) -> None:
        """Send ``sink`` every stored run of these traces (answers a view's 'sync')."""
        try:
            self._sync_store()
            records = self.store.runs_for_traces(list(trace_ids), payloads="data" if self.sends_payloads else "none")
            events = [{"op": "start", "run": record} for record in records]
            for start in range(0, max(len(events), 1), MAX_EVENTS_PER_MESSAGE):
                sink.deliver(events[start : start + MAX_EVENTS_PER_MESSAGE], replay=True)
        except Exception as error:
            report("replaying a trace to its view", error)

    def save_snapshot(self, sink: Any, *, max_runs: int = DEFAULT_MAX_RUNS, flush_timeout: float = 2.0) -> None:
        """Write ``sink``'s runs as they are now into its saved output (final once all have ended)."""
        self.flush(flush_timeout)
        trace_ids = sink.trace_ids
        runs = self.store.runs_for_traces(trace_ids, payloads="json")  # most payloads are only measured
        final = all(run.get("end_time") for run in runs)
        sink.save_snapshot(runs[:max_runs], final=final, total_runs=len(runs))

    # -- the worker thread -------------------------------------------------
    def _loop(self) -> None:
        while not self._closed:
            self._wake.wait()
            if not self._urgent.is_set():
                self._urgent.wait(self.batch_interval)
            self._urgent.clear()
            self._wake.clear()
            self._awake = False
            try:
                self._drain()
            except Exception as error:  # never let the worker die
                report("recording a batch of runs", error)

    def _drain(self) -> None:
        queue = self._queue
        changes: list[Change] = []
        started: set[str] = set()  # runs whose start is in ``changes``: their end rides along
        waiting: list[threading.Event] = []
        builder = self.builder
        builder.privacy.read_environment()
        while queue:
            event = queue.popleft()
            kind = event[0]
            try:
                if kind == ev.START:
                    change = builder.start(event)
                    changes.append(change)
                    started.add(change.patch["id"])
                elif kind == ev.END:
                    change = builder.end(event)
                    if change is not None and change.patch["id"] not in started:
                        changes.append(change)
                elif kind == ev.TOKEN:
                    builder.token(event)
                elif kind == ev.FLUSH:
                    waiting.append(event[1])
            except Exception as error:
                report("building a run record", error)
            if len(changes) >= MAX_EVENTS_PER_MESSAGE:
                self._deliver(changes)
                changes = []
                started = set()
        changes.extend(builder.stream_changes())
        if changes:
            self._deliver(changes)
        # Settled at once rather than at the next batch: until the store answers it keeps the
        # batch's records, which would live on into older GC generations (and full collections).
        # The wait is the helper's, with the GIL released; the program runs meanwhile.
        self._sync_store()
        for done in waiting:
            done.set()

    def _sync_store(self) -> None:
        """Wait until the store has committed every batch (a store may write in the background)."""
        try:
            self.store.sync()
        except Exception as error:
            report("writing runs to the store", error)

    def _deliver(self, changes: list[Change]) -> None:
        try:
            self.store.write([(change.op, change.record) for change in changes if change.op != "stream"])
        except Exception as error:
            report("writing runs to the store", error)
        by_sink: dict[int, tuple[Any, list[dict[str, Any]]]] = {}
        with_payloads = self.sends_payloads
        for change in changes:
            sink = change.route.sink
            if sink is None:
                continue
            if change.op == "start" and change.record["parent_run_id"] is None:
                sink.add_trace(change.record["trace_id"])
            wire = change.wire(with_payloads)
            entry = by_sink.get(id(sink))
            if entry is None:
                by_sink[id(sink)] = (sink, [wire])
            else:
                entry[1].append(wire)
        for sink, wire_events in by_sink.values():
            try:
                sink.deliver(wire_events, replay=False)
            except Exception as error:
                report("sending runs to the notebook", error)

