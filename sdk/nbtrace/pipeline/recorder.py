"""The batching worker between capture and delivery.

``emit`` is what the user's thread calls: one deque append. A daemon thread
wakes when there is work, waits ``batch_interval`` for a batch to gather,
prepares the events (``preparing``: the one step that touches the program's
objects), hands them to its assembly line (``assembly_line``: in a kernel, the
SQLite store's helper process builds and writes the records) and sends each
trace view one message per batch with what the line gave back.

A program that never lets go of the GIL (CPU-bound, no I/O) keeps the worker
waiting for it up to the switch interval each time, while the events pile up
holding the program's payloads alive. Past ``PREPARE_ON_EMIT_AFTER`` waiting
events, the thread that emits prepares them itself: CPU the worker would have
taken from it under the GIL anyway, but the payloads are freed at once instead
of living through garbage collections (which a backlog of ~20 calls' payloads
starts, full ones included). It never waits for the worker nor does any I/O.
"""

from __future__ import annotations

import os
import threading
import weakref
from collections import deque
from typing import Any, Callable, Iterable

from . import events as ev
from ..output.snapshot import DEFAULT_MAX_RUNS
from .assembly import Delivery, RunAssembler
from .assembly_line import AssemblyFailed, AssemblyLine, InProcessAssembly, views_get_payloads
from .failures import report
from .preparing import EventPreparer
from .privacy import Privacy
from .serialize import Serializer

# A batch's events go on in chunks of this many, so the helper assembles and writes
# one chunk while the next is prepared.
MAX_EVENTS_PER_BATCH = 500
# Waiting events past which the emitting thread prepares them (about 8 per LangChain call).
PREPARE_ON_EMIT_AFTER = 64


class ViewKeys:
    """Small ints standing for the views runs go to, so prepared events (which may leave
    the process) never hold a view. A view nothing else holds any more gets nothing."""

    def __init__(self) -> None:
        self._keys: weakref.WeakKeyDictionary[Any, int] = weakref.WeakKeyDictionary()
        self._views: weakref.WeakValueDictionary[int, Any] = weakref.WeakValueDictionary()
        self._last = 0

    def key(self, view: Any) -> int:
        found = self._keys.get(view)
        if found is None:
            self._last += 1
            found = self._keys[view] = self._last
            self._views[found] = view
        return found

    def view(self, key: int) -> Any:
        return self._views.get(key)


class Recorder:
    def __init__(
        self,
        store: Any,
        *,
        line: AssemblyLine | None = None,
        serializer: Serializer | None = None,
        privacy: Privacy | None = None,
        batch_interval: float = 0.01,
    ) -> None:
        self.store = store
        self.batch_interval = batch_interval
        self.preparer = EventPreparer(serializer or Serializer(), privacy)
        self._line: AssemblyLine = line or InProcessAssembly(store)
        self._views = ViewKeys()
        self._queue: deque[tuple] = deque()
        # Prepared events (and flush markers), in order, waiting to be handed on. Whoever
        # prepares holds _preparing: the worker, or a thread helping from emit.
        self._prepared: list[tuple] = []
        self._preparing = threading.Lock()
        self._wake = threading.Event()
        self._urgent = threading.Event()
        self._awake = False
        self._closed = False
        self._pid = os.getpid()
        self._thread = threading.Thread(target=self._loop, name="nbtrace-recorder", daemon=True)
        self._thread.start()

    # -- the user's thread -------------------------------------------------
    def emit(self, event: tuple) -> None:
        queue = self._queue
        queue.append(event)
        if not self._awake:
            self._awake = True
            self._wake.set()
        elif len(queue) > PREPARE_ON_EMIT_AFTER:
            self._prepare_here()

    def _prepare_here(self) -> None:
        """The emitting thread prepares what waits (see the module's docstring)."""
        if not self._preparing.acquire(blocking=False):
            return  # being prepared already
        try:
            self._prepare_waiting(MAX_EVENTS_PER_BATCH)
        except Exception as error:
            report("building a run record", error)
        finally:
            self._preparing.release()

    # -- any thread --------------------------------------------------------
    def flush(self, timeout: float | None = None) -> bool:
        """True once everything emitted before this call is stored and sent."""
        if threading.current_thread() is self._thread:
            return False
        if not self._thread.is_alive():
            return not self._queue and not self._prepared
        done = threading.Event()
        self._queue.append((ev.FLUSH, done))
        self._awake = True
        self._urgent.set()
        self._wake.set()
        return done.wait(timeout)

    def close(self, timeout: float = 5.0) -> None:
        if os.getpid() != self._pid:
            return  # a forked child's copy: the parent's worker, helper and open runs are the parent's
        self.flush(timeout)
        self._closed = True
        self._wake.set()
        self._urgent.set()
        self._thread.join(timeout)
        if not self._thread.is_alive():
            self._line.close()

    @property
    def line(self) -> AssemblyLine:
        return self._line

    @property
    def assembler(self) -> RunAssembler | None:
        """The open traces, when they are assembled in this process."""
        return getattr(self._line, "assembler", None)

    def replay_to(self, sink: Any, trace_ids: Iterable[str]) -> None:
        """Send ``sink`` every stored run of these traces (answers a view's 'sync')."""
        try:
            self.flush(2.0)
            records = self.store.runs_for_traces(list(trace_ids), payloads="data" if views_get_payloads(self.store) else "none")
            events = [{"op": "start", "run": record} for record in records]
            for start in range(0, max(len(events), 1), MAX_EVENTS_PER_BATCH):
                sink.deliver(events[start : start + MAX_EVENTS_PER_BATCH], replay=True)
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

    def _prepare_waiting(self, limit: int) -> None:
        """Prepare up to ``limit`` waiting events onto ``_prepared``; hold ``_preparing``."""
        queue = self._queue
        prepared = self._prepared
        prepare = self.preparer.prepare
        view_key = self._views.key
        for _ in range(limit):
            if not queue:
                break
            event = queue.popleft()
            if event[0] == ev.FLUSH:
                prepared.append(event)
                continue
            try:
                prepared.append(prepare(event, view_key))
            except Exception as error:
                report("building a run record", error)

    def _take_prepared(self) -> list[tuple]:
        """What was prepared so far, after preparing up to a chunk more of what waits."""
        with self._preparing:
            self._prepare_waiting(MAX_EVENTS_PER_BATCH)
            taken, self._prepared = self._prepared, []
        return taken

    def _drain(self) -> None:
        batch: list[tuple] = []
        waiting: list[threading.Event] = []
        self.preparer.privacy.read_environment()
        while True:
            taken = self._take_prepared()
            if not taken:  # nothing waits, as seen under the lock a helping thread holds
                break
            for item in taken:
                if item[0] == ev.FLUSH:
                    waiting.append(item[1])
                    continue
                batch.append(item)
                if len(batch) >= MAX_EVENTS_PER_BATCH:
                    self._hand_on(batch)
                    batch = []
        if batch:
            self._hand_on(batch)
        # Settled at once rather than at the next batch: the views get this batch now, and
        # its events do not live on into older GC generations (and full collections).
        # The wait is for the helper, with the GIL released; the program runs meanwhile.
        self._settle()
        for done in waiting:
            done.set()

    def _hand_on(self, batch: list[tuple]) -> None:
        self._through_line(lambda: self._line.submit(batch))

    def _settle(self) -> None:
        self._through_line(lambda: self._line.settle())

    def _through_line(self, step: Callable[[], list[Delivery]]) -> None:
        try:
            done = step()
        except AssemblyFailed as failure:
            done = self._assemble_here(failure)
        self._deliver(done)

    def _assemble_here(self, failure: AssemblyFailed) -> list[Delivery]:
        """The line gave up: assemble in this process from now on, starting with what it left."""
        degrade = getattr(self.store, "degrade", None)
        if failure.store_refused and degrade is not None:
            degrade(failure.error)  # the file refused it: memory from now on, with one warning
        else:
            report("writing through the trace store's helper process (now done in the kernel)", failure.error)
        self._line = InProcessAssembly(self.store, failure.assembler)
        done: list[Delivery] = []
        for batch in failure.unassembled:
            done.extend(self._line.submit(batch))
        return done

    def _deliver(self, done: list[Delivery]) -> None:
        for key, trace_ids, events in done:
            view = self._views.view(key)
            if view is None:
                continue
            try:
                for trace_id in trace_ids:
                    view.add_trace(trace_id)
                view.deliver(events, replay=False)
            except Exception as error:
                report("sending runs to the notebook", error)
