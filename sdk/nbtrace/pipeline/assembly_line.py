"""Where the recorder's prepared batches are assembled and stored: here, or in a helper.

Either way the recorder hands on batches of prepared events and gets back what each
view is to be sent (``assembly.Delivery``):

- ``InProcessAssembly``: assembles in the kernel and writes to the store (a store in
  memory, the server's and the CLI's SQLite, or a kernel whose helper has failed);
- ``store.helper.HelperAssembly``: a kernel's SQLite store, whose helper process
  assembles and writes off the kernel's GIL. When it fails it raises
  ``AssemblyFailed`` with what it did not finish and the open traces rebuilt from
  its ``OpenRunJournal``, and the recorder goes on in-process from there.
"""

from __future__ import annotations

from typing import Any, Iterable, Protocol

from . import events as ev
from .assembly import Delivery, RunAssembler, deliveries, stored
from .failures import report
from .serialize import decode_json


def views_get_payloads(store: Any) -> bool:
    """Whether views get inputs/outputs in their messages: only from a store no server can
    read (one in memory); else Explore loads them from the store."""
    return not getattr(store, "shared", False)


class AssemblyLine(Protocol):
    def submit(self, batch: list[tuple]) -> list[Delivery]:
        """Hand on one batch of prepared events; the deliveries of the batches finished
        meanwhile (this one's, or earlier ones'). Raises AssemblyFailed."""

    def settle(self) -> list[Delivery]:
        """Wait until every batch handed on is assembled and stored; their deliveries.
        Raises AssemblyFailed."""

    @property
    def open_count(self) -> int:
        """Runs started and not ended, as this line keeps them (nothing once traces end)."""

    def close(self) -> None:
        """The process is ending: end the runs still open as interrupted, and stop."""


class AssemblyFailed(Exception):
    """A line gave up: ``unassembled`` batches are neither stored nor delivered; ``assembler``
    holds the traces that were open before them. ``store_refused``: the store's file refused
    the batch (rather than the helper failing)."""

    def __init__(self, error: BaseException, unassembled: list[list[tuple]], assembler: RunAssembler,
                 *, store_refused: bool) -> None:
        super().__init__(str(error))
        self.error = error
        self.unassembled = unassembled
        self.assembler = assembler
        self.store_refused = store_refused


class InProcessAssembly:
    def __init__(self, store: Any, assembler: RunAssembler | None = None) -> None:
        self.store = store
        self.assembler = assembler or RunAssembler()

    def submit(self, batch: list[tuple]) -> list[Delivery]:
        changes = self.assembler.apply(batch, _report_problem)
        try:
            self.store.write(stored(changes))
        except Exception as error:
            report("writing runs to the store", error)
        return deliveries(changes, decode_json if views_get_payloads(self.store) else None)

    def settle(self) -> list[Delivery]:
        try:
            self.store.sync()
        except Exception as error:
            report("writing runs to the store", error)
        return []

    @property
    def open_count(self) -> int:
        return self.assembler.open_count

    def close(self) -> None:
        """The process is ending: its runs still open end as interrupted."""
        changes = self.assembler.interrupt_open()
        if changes:
            try:
                self.store.write(stored(changes))
            except Exception as error:
                report("writing runs to the store", error)


def _report_problem(error: Exception) -> None:
    report("building a run record", error)


class OpenRunJournal:
    """The prepared events of the runs still open after the batches recorded so far: the
    state an assembler elsewhere holds, kept so it can be rebuilt here if that one fails.
    A run that starts under a parent that had already ended (a thread outliving its
    parent) becomes a root of its own in the rebuilt state."""

    def __init__(self) -> None:
        self._events: dict[Any, list[tuple]] = {}

    def __len__(self) -> int:
        return len(self._events)

    def record(self, batch: Iterable[tuple]) -> None:
        events = self._events
        for event in batch:
            kind = event[0]
            if kind == ev.START:
                events[event[1]] = [event]
            elif kind == ev.END:
                events.pop(event[1], None)
            else:
                kept = events.get(event[1])
                if kept is not None:
                    kept.append(event)

    def rebuilt(self) -> RunAssembler:
        """A fresh assembler holding the open runs (nothing is stored or sent again)."""
        assembler = RunAssembler()
        assembler.apply([event for kept in self._events.values() for event in kept], _report_problem)
        return assembler
