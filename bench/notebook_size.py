"""How much a notebook file grows per traced run (the saved snapshot + static HTML of a cell's output).

    .venv/bin/python bench/notebook_size.py
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "sdk"))

from nbtrace.output.bundle import trace_bundle  # noqa: E402
from store_throughput import make_runs  # noqa: E402
from nbtrace.pipeline.serialize import plain  # noqa: E402


def main() -> None:
    print(f"{'runs':>7} {'payload per run':>16} {'output bytes':>13} {'bytes per run':>14}")
    for count, payload in ((100, 200), (1_000, 200), (1_000, 20_000), (10_000, 200)):
        runs = [{k: plain(v) for k, v in run.items()} for run in make_runs(count)]
        for run in runs:
            run["inputs"] = {"prompt": "x" * payload}
        output = {"output_type": "display_data", "data": trace_bundle(None, runs, final=True), "metadata": {}}
        size = len(json.dumps(output, indent=1))
        print(f"{count:>7,} {payload:>14,} B {size:>13,} {size / count:>14,.0f}")


if __name__ == "__main__":
    main()
