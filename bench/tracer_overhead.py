"""Per-run tracer overhead, side by side in one process: nbtrace against LangChain's floor and LangSmith.

    .venv/bin/python bench/tracer_overhead.py [--calls 300] [--repeats 7] [--workload NAME]

Keep calls x runs per call under 10,000 per repetition: past that LangSmith's client
drops runs (its queue holds 10,000) and its flush stalls.

Each variant runs the same workload `calls` times per repetition; repetitions are
interleaved across variants; the figure is the median over repetitions of
(time with the tracer - time without) / runs, in microseconds per run. Every
variant's own flush is inside its timing (LangSmith: its client's flush; nbtrace:
until every run is in the SQLite store and sent).
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path
from typing import Any, Callable

sys.path.insert(0, str(Path(__file__).resolve().parent))

os.environ.pop("LANGCHAIN_TRACING_V2", None)
os.environ.pop("LANGSMITH_TRACING", None)
os.environ["NBTRACE_DB"] = os.path.join(tempfile.mkdtemp(prefix="nbtrace-bench-"), "bench.sqlite")

from jupyter_client.session import Session  # noqa: E402
from langchain_core.tracers.base import BaseTracer  # noqa: E402

import nbtrace  # noqa: E402
from nbtrace import runtime  # noqa: E402
from nbtrace.pipeline.events import Route  # noqa: E402
from stub_server import start as start_stub  # noqa: E402
from workloads import WORKLOADS, count_runs  # noqa: E402


class NoOpTracer(BaseTracer):
    """LangChain's own tracer machinery with nothing persisted: the floor of its callbacks."""

    def _persist_run(self, run: Any) -> None:
        pass


# How the kernel encodes every message it sends (orjson when installed, as it is with LangChain).
_pack = Session().pack


class FrontEndStandIn:
    """What a trace view costs the kernel per batch: building and JSON-encoding its message (as the comm does)."""

    def __init__(self) -> None:
        self.trace_ids: list[str] = []
        self.bytes = 0

    def add_trace(self, trace_id: str) -> None:
        self.trace_ids.append(trace_id)

    def deliver(self, events: list, *, replay: bool) -> None:
        self.bytes += len(_pack({"protocol": 1, "kind": "runs", "events": events}))


def variants(stub_url: str) -> dict[str, tuple[Callable[[], dict], Callable[[], None]]]:
    """name -> (config for one call, flush after the calls)."""
    from langsmith import Client
    from langchain_core.tracers.langchain import LangChainTracer

    noop = NoOpTracer()
    client = Client(api_url=stub_url, api_key="bench-key", auto_batch_tracing=True)
    langsmith = LangChainTracer(client=client, project_name="bench")
    view = FrontEndStandIn()

    def nbtrace_on(sink: Any) -> Callable[[], dict]:
        def config() -> dict:
            return {}
        return config

    def set_sink(sink: Any) -> None:
        runtime._router = type("Router", (), {"route_root": staticmethod(lambda: Route(sink, "bench"))})()
        runtime._router_checked = True

    def nbtrace_store_only() -> dict:
        return {}

    return {
        "no tracing": (lambda: {}, lambda: None),
        "LangChain BaseTracer, no-op persist": (lambda: {"callbacks": [noop]}, lambda: None),
        "LangSmith LangChainTracer (stub HTTP)": (lambda: {"callbacks": [langsmith]}, lambda: client.flush()),
        "nbtrace, store only": (nbtrace_store_only, lambda: nbtrace.flush()),
        "nbtrace, store + front end": (nbtrace_on(view), lambda: nbtrace.flush()),
    }, set_sink, view


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--calls", type=int, default=300)
    parser.add_argument("--repeats", type=int, default=7)
    parser.add_argument("--workload", choices=list(WORKLOADS), help="only this one (default: all)")
    args = parser.parse_args()

    stub_url, server = start_stub()
    table, set_sink, view = variants(stub_url)
    print(f"python {sys.version.split()[0]}, {os.cpu_count()} cores; {args.calls} calls x {args.repeats} interleaved repetitions")
    for workload, (make, value) in WORKLOADS.items():
        if args.workload and workload != args.workload:
            continue
        chain = make()
        runs_per_call = count_runs(chain, value)
        timings: dict[str, list[float]] = {name: [] for name in table}
        for name, (config, flush) in table.items():  # warm up every path once
            nbtrace.enable() if name.startswith("nbtrace") else nbtrace.disable()
            set_sink(view if name.endswith("front end") else None)
            for _ in range(20):
                chain.invoke(value, config=config())
            flush()
        for _ in range(args.repeats):
            for name, (config, flush) in table.items():
                nbtrace.enable() if name.startswith("nbtrace") else nbtrace.disable()
                set_sink(view if name.endswith("front end") else None)
                started = time.perf_counter()
                for _ in range(args.calls):
                    chain.invoke(value, config=config())
                flush()
                timings[name].append(time.perf_counter() - started)
        base = statistics.median(timings["no tracing"])
        print(f"\n{workload}: {runs_per_call} runs per call; no tracing {base / args.calls * 1e6:,.0f} µs per call")
        print(f"  {'variant':<40} {'µs/run over no tracing':>24}")
        results = {}
        for name, samples in timings.items():
            if name == "no tracing":
                continue
            per_run = (statistics.median(samples) - base) / (args.calls * runs_per_call) * 1e6
            results[name] = per_run
            print(f"  {name:<40} {per_run:>24.1f}")
        floor = results["LangChain BaseTracer, no-op persist"]
        smith = results["LangSmith LangChainTracer (stub HTTP)"]
        for name in ("nbtrace, store only", "nbtrace, store + front end"):
            print(f"  {name}: {results[name] / floor:.2f}x the no-op BaseTracer, {results[name] / smith:.2f}x LangSmith's tracer")
    server.shutdown()


if __name__ == "__main__":
    main()
