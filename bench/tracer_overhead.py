"""Per-run tracer overhead, side by side in one process: nbtrace against LangChain's floor and LangSmith.

    .venv/bin/python bench/tracer_overhead.py [--calls 300] [--repeats 7] [--workload NAME] [--cpu BLOCK]

Keep calls x runs per call under 10,000 per repetition: past that LangSmith's client
drops runs (its queue holds 10,000) and its flush stalls.

Each variant runs the same workload `calls` times per repetition; repetitions
are interleaved across variants (in an order shuffled every round, and the process
let go quiet after each turn: see ``turns``); the figure is the median
over repetitions of (time with the tracer - time without, in the same
repetition) / runs, in microseconds per run, with its quartiles; ratios are the
median of each repetition's ratio, with a 95% bootstrap interval of that median.
Every variant's own flush is inside its timing (LangSmith: its client's flush;
nbtrace: until every run is in the SQLite store and sent). The stub endpoint runs in a process of its own.

On a shared host the CPU's speed drifts by half from one second to the next
(the same pure-Python loop, timed 30 times here, took 17 to 29 ms): use many
repetitions, and compare figures taken in one run. ``--cpu BLOCK`` measures
instead the CPU time this process spends (its threads, not the stub's nor the
store helper's process), the variants taking turns every BLOCK calls, which the
drift touches far less; waits (flushes, the GIL) do not count there, and what a
tracer's threads still do after its flush counts in its own turn. In wall time
that tail is left out of every variant's time (it only matters for LangSmith's).
"""

from __future__ import annotations

import argparse
import os
import random
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

import nbtrace  # noqa: E402
from nbtrace import runtime  # noqa: E402
from nbtrace.pipeline.events import Route  # noqa: E402
from host import cpu_ticks, stolen_since  # noqa: E402
from stub_server import start as start_stub  # noqa: E402
from comm_stand_in import send_as_the_comm_does  # noqa: E402
from reference_tracer import NoOpTracer  # noqa: E402
from turns import shuffled, wait_until_quiet  # noqa: E402
from workloads import WORKLOADS, count_runs  # noqa: E402


class FrontEndStandIn:
    """What a trace view costs the kernel per batch: building and JSON-encoding its message (as the comm does)."""

    def __init__(self) -> None:
        self.trace_ids: list[str] = []
        self.bytes = 0

    def add_trace(self, trace_id: str) -> None:
        self.trace_ids.append(trace_id)

    def deliver(self, events: list, *, replay: bool) -> None:
        self.bytes += send_as_the_comm_does(events, replay)


_keep_client_alive: list[Any] = []


Variant = tuple[Callable[[], dict], Callable[[], None]]  # (config for one call, flush after the calls)


def variants(stub_url: str) -> tuple[dict[str, Variant], Callable[[Any], None], FrontEndStandIn]:
    """name -> variant; the function that sets where nbtrace's runs go; the stand-in view."""
    from langsmith import Client
    from langchain_core.tracers.langchain import LangChainTracer

    noop = NoOpTracer()
    client = Client(api_url=stub_url, api_key="bench-key", auto_batch_tracing=True)
    # LangSmith's batching thread stops once the client's reference count is no more than
    # 3 + its number of sub-threads, which it scales up under load: with the two references
    # this script holds, a third sub-thread stopped it mid-run and client.flush() waited forever.
    _keep_client_alive.extend([client] * 8)
    langsmith = LangChainTracer(client=client, project_name="bench")
    view = FrontEndStandIn()

    def set_sink(sink: Any) -> None:
        runtime._router = type("Router", (), {"route_root": staticmethod(lambda: Route(sink, "bench"))})()
        runtime._router_checked = True

    # nbtrace attaches itself through its hook (no config); one_turn sets where its runs go.
    return {
        "no tracing": (lambda: {}, lambda: None),
        "LangChain BaseTracer, no-op persist": (lambda: {"callbacks": [noop]}, lambda: None),
        "LangSmith LangChainTracer (stub HTTP)": (lambda: {"callbacks": [langsmith]}, lambda: client.flush()),
        "nbtrace, store only": (lambda: {}, lambda: nbtrace.flush()),
        "nbtrace, store + front end": (lambda: {}, lambda: nbtrace.flush()),
    }, set_sink, view


def cpu_in_turns(table: dict, names: list[str], chain: Any, value: Any, calls: int, block: int,
                 set_sink: Callable[[Any], None], view: Any) -> dict[str, float]:
    """One repetition in CPU time of this process (all its threads; not the stub's, nor the
    store's helper process): the variants take turns every ``block`` calls, each turn ending
    with its flush, so a drift in the CPU's speed falls on every variant alike."""
    spent = dict.fromkeys(names, 0.0)
    for start in range(0, calls, block):
        for name in shuffled(names):
            spent[name] += one_turn(table[name], name, chain, value, min(block, calls - start), set_sink, view, cpu=True)
    return spent


def one_turn(variant: tuple, name: str, chain: Any, value: Any, calls: int,
             set_sink: Callable[[Any], None], view: Any, *, cpu: bool) -> float:
    """``calls`` calls of ``chain`` with this variant, its flush included: this process's
    CPU time up to when it is quiet again, or the wall time up to the flush's end."""
    config, flush = variant
    nbtrace.enable() if name.startswith("nbtrace") else nbtrace.disable()
    set_sink(view if name.endswith("front end") else None)
    clock = time.process_time if cpu else time.perf_counter
    started = clock()
    for _ in range(calls):
        chain.invoke(value, config=config())
    flush()
    flushed = clock()
    wait_until_quiet()
    return (clock() if cpu else flushed) - started


def quartiles(values: list[float]) -> tuple[float, float]:
    """The lower and upper quartiles (a single repetition has none: its value twice)."""
    if len(values) < 2:
        return values[0], values[0]
    low, _, high = statistics.quantiles(values, n=4)
    return low, high


def median_interval(values: list[float], resamples: int = 2_000) -> tuple[float, float]:
    """A 95% bootstrap interval of the median: how sure the figure is, where the quartiles
    say how much single rounds vary."""
    draw = random.Random(11)
    medians = sorted(statistics.median(draw.choices(values, k=len(values))) for _ in range(resamples))
    return medians[int(resamples * 0.025)], medians[int(resamples * 0.975) - 1]


def report(workload: str, runs_per_call: int, calls: int, turns: dict[str, list[float]], *,
           unit: str, scale: float, precision: int) -> None:
    """Print each variant's cost per run over no tracing (``turns``: each variant's measure of
    its turn, in seconds or instructions, one per round) and nbtrace's ratios to the others."""
    runs = calls * runs_per_call
    # Paired by repetition: each variant against the no-tracing run of the same round, so a
    # machine that slows down for a while (a shared host) moves both sides of a ratio.
    overhead = {
        name: [(t - base) / runs * scale for t, base in zip(samples, turns["no tracing"])]
        for name, samples in turns.items() if name != "no tracing"
    }
    base = statistics.median(turns["no tracing"])
    print(f"\n{workload}: {runs_per_call} runs per call; no tracing {base / calls * scale:,.0f} {unit} per call")
    print(f"  {'variant':<40} {unit + '/run over no tracing':>24}   {'quartiles':>15}")
    for name, values in overhead.items():
        low, high = quartiles(values)
        print(f"  {name:<40} {statistics.median(values):>24,.{precision}f}   {low:>6,.{precision}f} – {high:<6,.{precision}f}")
    floor = overhead["LangChain BaseTracer, no-op persist"]
    smith = overhead["LangSmith LangChainTracer (stub HTTP)"]
    for name in ("nbtrace, store only", "nbtrace, store + front end"):
        to_floor = [ours / theirs for ours, theirs in zip(overhead[name], floor)]
        to_smith = [ours / theirs for ours, theirs in zip(overhead[name], smith)]
        low, high = quartiles(to_floor)
        sure_low, sure_high = median_interval(to_floor)
        print(
            f"  {name}: {statistics.median(to_floor):.2f}x the no-op BaseTracer (95% interval of the median "
            f"{sure_low:.2f}–{sure_high:.2f}; rounds' quartiles {low:.2f}–{high:.2f}), "
            f"{statistics.median(to_smith):.2f}x LangSmith's tracer (medians of the rounds' ratios)"
        )


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--calls", type=int, default=300)
    parser.add_argument("--repeats", type=int, default=7)
    parser.add_argument("--workload", choices=list(WORKLOADS), help="only this one (default: all)")
    parser.add_argument(
        "--cpu", type=int, metavar="BLOCK", default=0,
        help="instead: this process's CPU time, the variants taking turns every BLOCK calls",
    )
    args = parser.parse_args()

    host_before = cpu_ticks()
    stub_url, stub = start_stub()
    table, set_sink, view = variants(stub_url)
    measure = f"CPU time, variants taking turns every {args.cpu} calls" if args.cpu else "wall time"
    print(f"python {sys.version.split()[0]}, {os.cpu_count()} cores; {args.calls} calls x {args.repeats} interleaved repetitions; {measure}")
    for workload, (make, value) in WORKLOADS.items():
        if args.workload and workload != args.workload:
            continue
        chain = make()
        runs_per_call = count_runs(chain, value)
        timings: dict[str, list[float]] = {name: [] for name in table}
        for name in table:  # warm up every path once
            one_turn(table[name], name, chain, value, 20, set_sink, view, cpu=False)
        names = list(table)
        for _ in range(args.repeats):
            if args.cpu:
                spent = cpu_in_turns(table, names, chain, value, args.calls, args.cpu, set_sink, view)
                for name in names:
                    timings[name].append(spent[name])
                continue
            for name in shuffled(names):
                timings[name].append(one_turn(table[name], name, chain, value, args.calls, set_sink, view, cpu=False))
        report(workload, runs_per_call, args.calls, timings, unit="µs", scale=1e6, precision=1)
    stub.terminate()
    print(f"\n{stolen_since(host_before)}")


if __name__ == "__main__":
    main()
