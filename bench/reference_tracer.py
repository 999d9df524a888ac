"""The machine's speed in the unit issue #7 set its targets in: what LangChain's own tracer
machinery costs per run (a ``BaseTracer`` whose ``_persist_run`` does nothing, on prompt | fake
chat model | parser, over no tracing). It was 66 µs when the issue was written; the host has
since run at a third to a quarter of that speed, and drifts by half within seconds.

A figure taken in turns with this reference, a few seconds apart, is a ratio that the drift
moves far less than it moves either figure, and that compares with the issue's targets.
"""

from __future__ import annotations

import time
from typing import Any

from langchain_core.tracers.base import BaseTracer

import nbtrace
from workloads import WORKLOADS, count_runs

ISSUE_REFERENCE_US = 66.0  # the no-op BaseTracer's µs per run in issue #7


class NoOpTracer(BaseTracer):
    """LangChain's own tracer machinery with nothing persisted: the floor of its callbacks."""

    def _persist_run(self, run: Any) -> None:
        pass


class ReferenceTurns:
    """Turns of the reference: no tracing, then the no-op BaseTracer (the order alternating)."""

    def __init__(self, calls: int = 40) -> None:
        make, self.value = WORKLOADS["prompt | model | parser"]
        self.chain = make()
        self.runs = count_runs(self.chain, self.value) * calls
        self.calls = calls
        self.tracer = NoOpTracer()
        self.turns = 0
        nbtrace.disable()
        for _ in range(10):  # warm up both paths
            self.chain.invoke(self.value)
            self.chain.invoke(self.value, config={"callbacks": [self.tracer]})

    def take(self) -> float:
        """One pair of turns: the no-op BaseTracer's µs per run over no tracing."""
        nbtrace.disable()
        spent = {}
        self.turns += 1
        order = ("off", "tracer") if self.turns % 2 else ("tracer", "off")
        for variant in order:
            config = {"callbacks": [self.tracer]} if variant == "tracer" else {}
            started = time.perf_counter()
            for _ in range(self.calls):
                self.chain.invoke(self.value, config=config)
            spent[variant] = time.perf_counter() - started
        return (spent["tracer"] - spent["off"]) / self.runs * 1e6
