"""How much a notebook file grows per traced run (the saved snapshot + static HTML of a cell's
output), how long the kernel takes to build that output from the SQLite store at the cell's end,
and what JupyterLab then spends sanitizing its static HTML (bench/browser/sanitize_cost.mjs, with
the repo's Node.js packages; skipped without them).

    .venv/bin/python bench/notebook_size.py
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any, Callable

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO / "sdk"))

from nbtrace.output.bundle import trace_bundle  # noqa: E402
from nbtrace.output.static_html import MAX_HTML_RUNS  # noqa: E402
from nbtrace.pipeline.assembly import PAYLOAD_TEXT_FIELDS  # noqa: E402
from langchain_core.utils.uuid import uuid7  # noqa: E402
from store_throughput import make_runs  # noqa: E402
from nbtrace.pipeline.serialize import Serializer, payload_data  # noqa: E402
from nbtrace.store import SqliteStore  # noqa: E402


def main() -> None:
    print(f"{'runs':>7} {'payload per run':>16} {'output bytes':>13} {'bytes per run':>14}")
    for count, payload in ((100, 200), (1_000, 200), (1_000, 20_000), (10_000, 200)):
        runs = [{k: payload_data(v) if k in PAYLOAD_TEXT_FIELDS else v for k, v in run.items()} for run in make_runs(count, uuid7)]
        for run in runs:
            run["inputs"] = {"prompt": "x" * payload}
        output = {"output_type": "display_data", "data": trace_bundle(None, runs, final=True), "metadata": {}}
        size = len(json.dumps(output, indent=1))
        print(f"{count:>7,} {payload:>14,} B {size:>13,} {size / count:>14,.0f}")


def best_ms(call: Callable[[], Any]) -> float:
    times = []
    for _ in range(3):
        started = time.perf_counter()
        call()
        times.append(time.perf_counter() - started)
    return min(times) * 1e3


def chat_inputs(content: str) -> dict[str, Any]:
    message = {"lc": 1, "type": "constructor", "id": ["langchain", "schema", "messages", "HumanMessage"],
               "kwargs": {"content": content, "type": "human"}}
    return {"messages": [[message]]}


def cell_end() -> None:
    """What Recorder.save_snapshot does once a cell's runs have ended: read them, build the output.
    The kernel reads payloads as stored text and decodes only those the snapshot keeps whole;
    reading them decoded is shown for comparison."""
    print("\nat the cell's end: its runs read from the SQLite store, its saved output built (best of 3)")
    print(f"{'runs':>7} {'prompt per run':>15} {'read ms':>8} {'build ms':>9} {'read decoded ms':>16}")
    encode = Serializer().encode
    for count, chars in ((1_000, 2_000), (10_000, 2_000)):
        runs = make_runs(count, uuid7, per_trace=count)  # one trace, as an agent's cell makes
        for run in runs:
            run["inputs"] = encode(chat_inputs("x" * chars))
        with tempfile.TemporaryDirectory() as folder:
            store = SqliteStore(os.path.join(folder, "cell.sqlite"))
            store.write([("start", run) for run in runs])
            trace_ids = list(dict.fromkeys(run["trace_id"] for run in runs))
            stored = store.runs_for_traces(trace_ids, payloads="json")
            read = best_ms(lambda: store.runs_for_traces(trace_ids, payloads="json"))
            build = best_ms(lambda: trace_bundle(None, stored[:2_000], final=True, total_runs=len(stored)))
            decoded = best_ms(lambda: store.runs_for_traces(trace_ids))
            store.close()
        print(f"{count:>7,} {chars:>13,} c {read:>8.0f} {build:>9.0f} {decoded:>16.0f}")


def sanitizing() -> None:
    """JupyterLab's table of contents sanitizes each code cell's text/html outputs whenever they
    change and when the notebook opens: for a traced cell, the static HTML fallback."""
    script = REPO / "bench" / "browser" / "sanitize_cost.mjs"
    node = shutil.which("node")
    if node is None or not (REPO / "node_modules" / "@jupyterlab" / "apputils").is_dir():
        print("\nJupyterLab's sanitizer: skipped (needs node and the repo's node_modules: scripts/setup.sh)")
        return
    print("\nJupyterLab's sanitizer on a traced cell's static HTML (its table of contents runs it; median of 30)")
    print(f"{'runs':>7} {'rows shown':>11} {'HTML chars':>11} {'sanitize ms':>12}")
    with tempfile.TemporaryDirectory() as folder:
        files = {}
        for count in (10, 100, 1_000):
            runs = make_runs(count, uuid7, per_trace=count)
            path = Path(folder) / f"trace-{count}.html"
            path.write_text(trace_bundle(None, runs, final=True)["text/html"])
            files[str(path)] = count
        result = subprocess.run([node, str(script), *files], capture_output=True, text=True, cwd=REPO, check=True)
    for line in result.stdout.splitlines():
        path, chars, ms = line.split("\t")
        count = files[path]
        print(f"{count:>7,} {min(count, MAX_HTML_RUNS):>11,} {int(chars):>11,} {float(ms):>12.1f}")


if __name__ == "__main__":
    main()
    cell_end()
    sanitizing()
