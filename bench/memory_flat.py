"""Memory over many traced runs in one process: nbtrace must keep nothing per finished run.

    .venv/bin/python bench/memory_flat.py [--runs 1000000]

Runs the deep fan-out chain (32 runs a call) with nbtrace on, recording to a
throwaway SQLite store, and prints the process's resident memory every tenth of the
way (and the store's helper process's). LangChain's own BaseTracer, kept for the whole process, is shown beside it for
comparison (its order_map keeps an entry per run).
"""

from __future__ import annotations

import argparse
import gc
import os
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
os.environ["NBTRACE_DB"] = os.path.join(tempfile.mkdtemp(prefix="nbtrace-mem-"), "mem.sqlite")

from langchain_core.tracers.base import BaseTracer  # noqa: E402

import nbtrace  # noqa: E402
from nbtrace import runtime  # noqa: E402
from workloads import count_runs, deep_fan_out  # noqa: E402


def rss_mb(pid: int | str = "self") -> float:
    try:
        with open(f"/proc/{pid}/status") as status:
            for line in status:
                if line.startswith("VmRSS:"):
                    return int(line.split()[1]) / 1024
    except OSError:
        pass
    return float("nan")


def helper_rss() -> str:
    """The store's helper process (it assembles and writes the kernel's runs): part of what tracing costs."""
    pid = getattr(runtime.recorder().line, "pid", None)
    return f"; store helper process {rss_mb(pid):.1f} MB" if pid is not None else ""


class KeptBaseTracer(BaseTracer):
    def _persist_run(self, run):  # noqa: ANN001
        pass


def measure(label: str, runs: int, config: dict, flush) -> None:
    chain = deep_fan_out()
    per_call = count_runs(chain, 1)
    calls = runs // per_call
    step = max(calls // 10, 1)
    print(f"\n{label}: {calls * per_call:,} runs")
    start_rss = None
    started = time.perf_counter()
    for i in range(1, calls + 1):
        chain.invoke(1, config=config)
        if i % step == 0:
            flush()
            gc.collect()
            now = rss_mb()
            start_rss = start_rss if start_rss is not None else now
            extra = helper_rss() if label.startswith("nbtrace") else ""
            print(f"  {i * per_call:>9,} runs  RSS {now:8.1f} MB  (+{now - start_rss:6.1f} MB since the first tenth){extra}")
    print(f"  {time.perf_counter() - started:.0f} s")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=1_000_000)
    parser.add_argument("--skip-basetracer", action="store_true")
    args = parser.parse_args()
    nbtrace.enable()
    measure("nbtrace (SQLite store)", args.runs, {}, lambda: nbtrace.flush())
    nbtrace.flush()  # the calls after the last tenth's flush
    print(f"  open runs held by the recorder: {runtime.recorder().line.open_count}")
    nbtrace.disable()
    if not args.skip_basetracer:
        tracer = KeptBaseTracer()
        measure("LangChain BaseTracer kept for the process", min(args.runs, 300_000), {"callbacks": [tracer]}, lambda: None)
        print(f"  order_map entries: {len(tracer.order_map):,}")


if __name__ == "__main__":
    main()
