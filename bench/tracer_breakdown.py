"""Where nbtrace's per-run cost goes, part by part (what tracer_overhead.py measures as a whole).

    .venv/bin/python bench/tracer_breakdown.py [--workload NAME] [--calls 300] [--repeats 21]

1. the user's thread: the callbacks alone (events go to a list, nothing else runs),
   beside a do-nothing BaseCallbackHandler, and with nbtrace attached by its hook, in
   CPU time, the variants taking short turns in a shuffled order;
2. draining those events (preparing their payloads, handing them to the store's helper
   process, which assembles and writes the records, and one view's JSON), timed by hand
   on the same events, in CPU time of this thread and of the helper; in the real thing
   the preparing is the worker's, or the user's thread's once events pile up;
3. CPython's cyclic garbage collector: collections and their time during the calls,
   with tracing off and on, over 10x as many calls as the other parts (a full
   collection costs tens of ms here and comes every few thousand calls when it comes);
4. the real thing (the hook, the worker, the helper, flush included): wall time over no
   tracing, store only and with one view, and what makes it up: CPU time of the program's
   threads over no tracing (the calling thread, with what it prepares itself, and any pool
   threads the chain runs on) and of the worker thread (which share the GIL), the waits
   (the flush, GIL hand-overs); and the helper's CPU, spent on the other core (Linux: /proc).
"""

from __future__ import annotations

import argparse
import gc
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))
os.environ.pop("LANGCHAIN_TRACING_V2", None)
os.environ.pop("LANGSMITH_TRACING", None)
os.environ["NBTRACE_DB"] = os.path.join(tempfile.mkdtemp(prefix="nbtrace-bench-"), "bench.sqlite")

from langchain_core.callbacks.base import BaseCallbackHandler  # noqa: E402

import nbtrace  # noqa: E402
from nbtrace import runtime  # noqa: E402
from nbtrace.capture.langchain_tracer import NotebookTracer  # noqa: E402
from nbtrace.pipeline.events import Route  # noqa: E402
from comm_stand_in import send_as_the_comm_does  # noqa: E402
from host import cpu_ticks, stolen_since  # noqa: E402
from turns import shuffled  # noqa: E402
from workloads import WORKLOADS, count_runs  # noqa: E402


class EventList:
    """Stands in for the recorder: keeps the events, does nothing else."""

    def __init__(self) -> None:
        self.events: list[tuple] = []

    def emit(self, event: tuple) -> None:
        self.events.append(event)


class DoNothing(BaseCallbackHandler):
    run_inline = True




class ViewStandIn:
    trace_ids: list[str] = []

    def add_trace(self, trace_id: str) -> None:
        pass

    def deliver(self, events: list, *, replay: bool) -> None:
        send_as_the_comm_does(events, replay)


def route_everything_to(sink: Any) -> None:
    runtime._router = type("Router", (), {"route_root": staticmethod(lambda: Route(sink, "bench"))})()
    runtime._router_checked = True


def user_thread(chain: Any, value: Any, calls: int, runs: int, rounds: int) -> list[tuple]:
    """Part 1 in this process's CPU time, in short turns taken in a shuffled order, each
    against the no-tracing turn of its round. Returns ``calls`` calls' events for part 2."""
    events = EventList()
    explicit = NotebookTracer(recorder=events, route=lambda: Route(None, "bench"))
    hooked = runtime.recorder()
    hooked_events = EventList()
    hooked.emit = hooked_events.emit  # type: ignore[method-assign]
    runtime._tracer = None  # the hook's tracer picks up the patched emit
    variants = {
        "no tracing": (lambda: {}, False),
        "a do-nothing BaseCallbackHandler": (lambda: {"callbacks": [DoNothing()]}, False),
        "NotebookTracer passed by hand": (lambda: {"callbacks": [explicit]}, False),
        "NotebookTracer attached by nbtrace's hook": (lambda: {}, True),
    }
    turn_calls = max(1, calls // 10)
    timings: dict[str, list[float]] = {name: [] for name in variants}
    for _ in range(rounds):
        for name in shuffled(list(variants)):
            config, enabled = variants[name]
            nbtrace.enable() if enabled else nbtrace.disable()
            started = time.process_time()
            for _ in range(turn_calls):
                chain.invoke(value, config=config())
            timings[name].append(time.process_time() - started)
            events.events.clear()
            hooked_events.events.clear()
    nbtrace.disable()
    print(f"\n1. the user's thread (CPU µs per run over no tracing, medians of {rounds} rounds of {turn_calls} calls;"
          " events only collected)")
    for name, samples in timings.items():
        if name != "no tracing":
            over = [(t - base) / (turn_calls * runs) * 1e6 for t, base in zip(samples, timings["no tracing"])]
            print(f"  {name:<45} {statistics.median(over):6.1f}")
    del hooked.emit
    runtime._tracer = None
    for _ in range(calls):
        chain.invoke(value, config={"callbacks": [explicit]})
    return events.events


def worker(events: list[tuple], runs: int) -> None:
    recorder = runtime.recorder()
    helper_pid = getattr(recorder.line, "pid", None)
    print("\n2. draining those events by hand (CPU µs per run, best of 5)")
    for label, sink in (("store only", None), ("store + one view", ViewStandIn())):
        samples, helper_samples = [], []
        for _ in range(5):
            fresh = [e if e[-1] is None or e[0] != 0 else (*e[:-1], Route(sink, "bench")) for e in events]
            recorder._queue.extend(fresh)
            helper_before = process_cpu_seconds(helper_pid) if helper_pid else 0.0
            started = time.thread_time()
            recorder._drain()  # the worker thread is idle: nothing else drains
            samples.append(time.thread_time() - started)
            if helper_pid:
                helper_samples.append(process_cpu_seconds(helper_pid) - helper_before)
        helper_part = f"   (the helper process: {min(helper_samples) / runs * 1e6:.1f})" if helper_samples else ""
        print(f"  {label:<45} {min(samples) / runs * 1e6:6.1f}{helper_part}")
    where = f"in the helper process, pid {helper_pid}" if helper_pid else "in this process"
    print(f"  (records are assembled and SQLite written {where})")


def collections(chain: Any, value: Any, calls: int, runs: int) -> None:
    calls *= 10
    counts: dict[str, list[float]] = {}
    current: list[str | None] = [None]
    began = [0.0]

    def watch(phase: str, info: dict) -> None:
        if phase == "start":
            began[0] = time.perf_counter()
        elif current[0] is not None:
            entry = counts.setdefault(current[0], [0, 0, 0, 0.0, 0.0, 0.0])
            entry[info["generation"]] += 1
            entry[3 + info["generation"]] += time.perf_counter() - began[0]

    route_everything_to(None)
    gc.collect()  # the full collection a fresh process owes would otherwise land in the first phase that allocates
    gc.callbacks.append(watch)
    try:
        for mode in ("tracing off", "tracing on") * 5:
            nbtrace.enable() if mode == "tracing on" else nbtrace.disable()
            current[0] = mode
            for _ in range(calls):
                chain.invoke(value)
            nbtrace.flush()
            current[0] = None
    finally:
        gc.callbacks.remove(watch)
        nbtrace.disable()
    print(f"\n3. CPython's garbage collector over 5 x {calls} calls")
    for mode in ("tracing off", "tracing on"):
        gen0, gen1, gen2, *times = counts.get(mode, [0, 0, 0, 0.0, 0.0, 0.0])
        seconds = sum(times)
        split = "/".join(f"{t * 1e3:.0f}" for t in times)
        print(
            f"  {mode:<12} collections gen0/1/2 {gen0}/{gen1}/{gen2}, {split} ms"
            f" = {seconds / (5 * calls * runs) * 1e6:.1f} µs per run"
        )


def process_cpu_seconds(pid: int) -> float:
    """User + system CPU of another process, from its /proc stat file (in clock ticks)."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def per_thread(chain: Any, value: Any, calls: int, runs: int, repeats: int) -> None:
    """Part 4, store only and with one view, taking turns within each repetition."""
    recorder = runtime.recorder()
    worker_clock = time.pthread_getcpuclockid(recorder._thread.ident)
    helper_pid = getattr(recorder.line, "pid", None) if Path("/proc").is_dir() else None
    sinks = {"store only": None, "with a view": ViewStandIn()}
    keys = ("program", "worker", "helper", "wall", "flush")
    spent = {label: {key: [] for key in keys} for label in sinks}
    off: dict[str, list[float]] = {"program": [], "wall": []}

    def program_cpu() -> float:
        # The process's CPU but the worker's: the calling thread and any pool threads the chain uses.
        return time.process_time() - time.clock_gettime(worker_clock)

    for repetition in range(repeats):
        for mode in ("off", *(sinks if repetition % 2 == 0 else reversed(sinks))):
            nbtrace.enable() if mode != "off" else nbtrace.disable()
            if mode != "off":
                route_everything_to(sinks[mode])
            helper = process_cpu_seconds(helper_pid) if helper_pid else 0.0
            work, program, started = time.clock_gettime(worker_clock), program_cpu(), time.perf_counter()
            for _ in range(calls):
                chain.invoke(value)
            called = time.perf_counter()
            if mode != "off":
                nbtrace.flush()
            ended, program_end = time.perf_counter(), program_cpu()
            if mode == "off":
                off["program"].append(program_end - program)
                off["wall"].append(ended - started)
                continue
            into = spent[mode]
            into["program"].append(program_end - program - off["program"][-1])
            into["wall"].append(ended - started - off["wall"][-1])
            into["flush"].append(ended - called)
            into["worker"].append(time.clock_gettime(worker_clock) - work)
            into["helper"].append(process_cpu_seconds(helper_pid) - helper if helper_pid else 0.0)
    nbtrace.disable()
    table = {}
    for label, values in spent.items():
        per_run = {key: statistics.median(samples) / runs * 1e6 for key, samples in values.items()}
        per_run["helper"] = statistics.fmean(values["helper"]) / runs * 1e6  # a mean: /proc counts in 10 ms ticks
        per_run["waits"] = per_run["wall"] - per_run["program"] - per_run["worker"]
        table[label] = per_run
    print(f"\n4. the real thing (the hook, the worker, the helper, flush included), µs per run, medians of {repeats} x {calls} calls")
    print(f"  {'':<52}{'store only':>12}{'with a view':>13}")
    rows = (
        ("wall time over no tracing", "wall"),
        ("CPU of the program's threads, over no tracing", "program"),
        ("CPU of the worker thread (it takes the GIL)", "worker"),
        ("the rest: waits (the helper, GIL hand-overs)", "waits"),
        ("of the wall time, the flush after the calls", "flush"),
    ) + ((("CPU of the store's helper process (its own)", "helper"),) if helper_pid else ())
    for title, key in rows:
        print(f"  {title:<52}{table['store only'][key]:>12.1f}{table['with a view'][key]:>13.1f}")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--workload", choices=list(WORKLOADS), default="prompt | model | parser")
    parser.add_argument("--calls", type=int, default=300)
    parser.add_argument("--repeats", type=int, default=21, help="rounds of parts 1 and 4")
    args = parser.parse_args()
    make, value = WORKLOADS[args.workload]
    chain = make()
    runs = count_runs(chain, value)
    print(f"{args.workload}: {runs} runs per call, {args.calls} calls")
    events = user_thread(chain, value, args.calls, runs, args.repeats)
    worker(events, runs * args.calls)
    collections(chain, value, args.calls, runs)
    host_before = cpu_ticks()
    per_thread(chain, value, args.calls, runs * args.calls, args.repeats)
    print(f"  {stolen_since(host_before)}")


if __name__ == "__main__":
    main()
