"""The SQLite store at scale: batched writes, listing a 100,000-run session, exporting it.

    .venv/bin/python bench/store_throughput.py [--runs 100000]

Writes twice: with run ids ordered by time (UUIDv7, as LangChain 1.x and nbtrace make
them), and with random ids (UUIDv4: older LangChain, other producers, imports), which
land all over the store's id index and cost it more. Each write is taken in ten parts, with a
turn of the machine's reference between them (``reference_tracer``), so that its runs/s can be
put in the unit issue #7 set its target in, whatever speed the host runs at today.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import time
import uuid
from pathlib import Path
from typing import Callable

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "sdk"))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from langchain_core.utils.uuid import uuid7  # noqa: E402

from nbtrace.export import export_runs  # noqa: E402
from nbtrace.pipeline import events as ev  # noqa: E402
from nbtrace.pipeline.serialize import Serializer  # noqa: E402
from nbtrace.store import SqliteStore  # noqa: E402
from nbtrace.store.helper import HelperAssembly  # noqa: E402
from reference_tracer import ISSUE_REFERENCE_US, ReferenceTurns  # noqa: E402


def make_runs(count: int, new_id: Callable[[], uuid.UUID], per_trace: int = 10) -> list[dict]:
    """Runs shaped like an agent's: a root per trace, children with small payloads, encoded as the recorder does."""
    encode = Serializer().encode
    runs = []
    base = time.time()
    for i in range(count):
        run_id = str(new_id())
        root = runs[-(i % per_trace)] if i % per_trace else None
        start = time.strftime("%Y-%m-%dT%H:%M:%S", time.gmtime(base + i // per_trace)) + f".{i % 1_000_000:06d}Z"
        segment = start.replace("-", "").replace(":", "").replace(".", "") + run_id
        runs.append({
            "id": run_id,
            "trace_id": root["trace_id"] if root else run_id,
            "parent_run_id": root["id"] if root else None,
            "dotted_order": f"{root['dotted_order']}.{segment}" if root else segment,
            "name": "agent" if root is None else f"step_{i % per_trace}",
            "run_type": "chain" if root is None else ("llm" if i % 3 == 0 else "tool"),
            "start_time": start, "end_time": start, "error": None,
            "inputs": encode({"messages": [{"role": "user", "content": f"question {i}"}]}),
            "outputs": encode({"output": f"answer {i}"}),
            "tags": [], "extra": encode({"metadata": {"ls_provider": "fake"}}),
            "events": [{"name": "start", "time": start}, {"name": "end", "time": start}],
            "session_name": "big", "prompt_tokens": 10, "completion_tokens": 5, "total_tokens": 15,
        })
    return runs


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=100_000)
    parser.add_argument("--batch", type=int, default=2_000)
    args = parser.parse_args()
    folder = tempfile.mkdtemp(prefix="nbtrace-store-bench-")
    path = os.path.join(folder, "store.sqlite")
    store = SqliteStore(path)
    reference = ReferenceTurns()
    write(store, make_runs(args.runs, uuid7), args.batch, "ids ordered by time (UUIDv7)", reference)
    random_ids = SqliteStore(os.path.join(folder, "random-ids.sqlite"))
    write(random_ids, make_runs(args.runs, uuid.uuid4), args.batch, "random ids (UUIDv4)", reference)
    random_ids.close()

    samples = []
    for _ in range(5):
        started = time.perf_counter()
        page, total = store.list_traces("big", limit=50)
        samples.append(time.perf_counter() - started)
    print(f"first page of the session's traces (50 of {total:,} traces, {args.runs:,} runs): {min(samples) * 1e3:.1f} ms")
    started = time.perf_counter()
    sessions = store.list_sessions()
    print(f"list sessions ({sessions[1]['run_count']:,} runs counted): {(time.perf_counter() - started) * 1e3:.1f} ms")
    started = time.perf_counter()
    exported = export_runs(session="big", db=path)
    print(f"export the session: {len(exported):,} runs in {time.perf_counter() - started:.2f} s")
    on_disk = sum(os.path.getsize(p) for p in (path, path + "-wal") if os.path.exists(p))  # not checkpointed yet: the WAL
    print(f"store file: {on_disk / args.runs:,.0f} bytes per run")

    # What a kernel does: hand prepared events to the helper process, which assembles and writes them.
    helper_path = os.path.join(os.path.dirname(path), "helper.sqlite")
    kernel_store = SqliteStore(helper_path)
    helper = HelperAssembly(helper_path, kernel_store.timeout, kernel_store.writer)
    events = prepared_events(args.runs)
    started, cpu = time.perf_counter(), time.thread_time()
    for i in range(0, len(events), args.batch):
        helper.submit(events[i : i + args.batch])
    helper.settle()
    seconds, cpu = time.perf_counter() - started, time.thread_time() - cpu
    written = len(kernel_store.runs_for_session("big"))
    print(
        f"through the helper process (prepared events, assembled and written there): {written:,} runs, "
        f"{written / seconds:,.0f} runs/s; the kernel's thread spent {cpu / written * 1e6:.1f} µs of CPU per run"
    )
    helper.close()
    kernel_store.close()


def write(store: SqliteStore, runs: list[dict], batch: int, ids: str, reference: ReferenceTurns) -> None:
    """Writes in ten parts, each followed by a turn of the machine's reference (not timed here)."""
    seconds, ratios, references = 0.0, [], []
    part = max(batch, -(-len(runs) // 10 // batch) * batch)
    for first in range(0, len(runs), part):
        chunk = runs[first : first + part]
        started = time.perf_counter()
        for i in range(0, len(chunk), batch):
            store.write([("start", run) for run in chunk[i : i + batch]])
        spent = time.perf_counter() - started
        seconds += spent
        references.append(reference.take())
        ratios.append(spent / len(chunk) * 1e6 / references[-1])
    print(f"write, {ids}: {len(runs):,} runs in batches of {batch:,}: {seconds:.2f} s = {len(runs) / seconds:,.0f} runs/s")
    ratio, reference_us = statistics.median(ratios), statistics.median(references)
    print(
        f"  in issue #7's unit: a run written costs {ratio:.3f}x a run of the no-op BaseTracer (its turns between the parts:"
        f" {reference_us:.0f} µs per run); at the issue's {ISSUE_REFERENCE_US:.0f} µs that is {1e6 / (ratio * ISSUE_REFERENCE_US):,.0f} runs/s"
        f" (the target, 50,000 runs/s, is {1e6 / 50_000 / ISSUE_REFERENCE_US:.3f}x)"
    )


def prepared_events(count: int, per_trace: int = 10) -> list[tuple]:
    """The events the recorder prepares for runs shaped as ``make_runs``'s: a start and an end each."""
    encode = Serializer().encode
    events: list[tuple] = []
    t_us = time.time_ns() // 1000
    root = 0
    for i in range(count):
        key = uuid7().int  # as LangChain's run ids
        t_us += 1
        if i % per_trace == 0:
            root = key
            events.append((ev.START, key, None, t_us, "chain", "agent", encode({"messages": [{"role": "user", "content": f"question {i}"}]}),
                           None, encode({"metadata": {"ls_provider": "fake"}}), None, "big"))
        else:
            events.append((ev.START, key, root, t_us, "llm" if i % 3 == 0 else "tool", f"step_{i % per_trace}",
                           encode({"messages": [{"role": "user", "content": f"question {i}"}]}), None,
                           encode({"metadata": {"ls_provider": "fake"}}), None, None))
            events.append((ev.END, key, t_us, encode({"output": f"answer {i}"}), None, None, 10, 5, 15, 0))
        if i % per_trace == per_trace - 1:
            events.append((ev.END, root, t_us, encode({"output": "done"}), None, None, None, None, None, 0))
    return events


if __name__ == "__main__":
    main()
