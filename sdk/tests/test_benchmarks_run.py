"""The benchmark scripts the README lists run and print their figures (never their timings: those
are not assertions). A script that stopped running would otherwise go unnoticed until someone
wanted its numbers; these run each one at a tiny size."""

from __future__ import annotations

import os
import re
import subprocess
import sys

import pytest

from .conftest import REPO

BENCH = REPO / "bench"


def run_bench(script: str, *args: str, tmp_path, timeout: float = 240) -> str:
    env = {**os.environ, "NBTRACE_DB": str(tmp_path / "bench.sqlite")}
    for name in ("NBTRACE_TRACING", "LANGCHAIN_SESSION", "LANGCHAIN_HANDLER", "LANGCHAIN_TRACING_V2"):
        env.pop(name, None)
    done = subprocess.run(
        [sys.executable, str(BENCH / script), *args], capture_output=True, text=True, timeout=timeout, cwd=REPO, env=env
    )
    assert done.returncode == 0, done.stderr[-3_000:]
    return done.stdout


@pytest.mark.parametrize("mode", [[], ["--cpu", "1"]], ids=["wall time", "cpu time"])
def test_tracer_overhead_compares_nbtrace_with_the_no_op_tracer_and_langsmith(mode, tmp_path) -> None:
    out = run_bench("tracer_overhead.py", "--calls", "2", "--repeats", "2", *mode, tmp_path=tmp_path)
    for workload in ("prompt | model | parser", "deep chain with fan-out"):
        assert f"{workload}:" in out
    for variant in ("LangChain BaseTracer, no-op persist", "LangSmith LangChainTracer (stub HTTP)",
                    "nbtrace, store only", "nbtrace, store + front end"):
        assert variant in out
    assert out.count("x the no-op BaseTracer") == 4


def test_instruction_counts_compare_nbtrace_with_the_no_op_tracer_and_langsmith(tmp_path) -> None:
    # Valgrind comes with `scripts/setup.sh --tests`; a bare checkout's pytest says it is missing.
    out = run_bench("instruction_counts.py", "--calls", "1", "--rounds", "1", "--workload", "prompt | model | parser",
                    tmp_path=tmp_path, timeout=280)  # under pytest's --timeout=300
    assert "(callgrind)" in out and "instructions/run over no tracing" in out
    assert out.count("x the no-op BaseTracer") == 2
    figures = re.findall(r"^  (nbtrace, store only|LangChain BaseTracer, no-op persist) +([\d,]+) ", out, re.MULTILINE)
    assert len(figures) == 2 and all(int(count.replace(",", "")) > 0 for _, count in figures)


def test_tracer_breakdown_prints_all_four_parts(tmp_path) -> None:
    out = run_bench("tracer_breakdown.py", "--calls", "2", "--repeats", "1", tmp_path=tmp_path)
    for part in ("1. the user's thread", "2. draining those events", "3. CPython's garbage collector", "4. the real thing"):
        assert part in out
    assert "CPU of the store's helper process" in out


def test_payload_encoding_covers_each_shape(tmp_path) -> None:
    out = run_bench("payload_encoding.py", tmp_path=tmp_path)
    assert "chat model inputs, 3 messages" in out and "20 retrieved documents" in out


def test_store_throughput_writes_lists_and_exports(tmp_path) -> None:
    out = run_bench("store_throughput.py", "--runs", "1000", "--batch", "250", tmp_path=tmp_path)
    assert "export the session: 1,000 runs" in out
    assert out.count("in issue #7's unit: a run written costs") == 2
    assert "through the helper process" in out and "runs/s" in out


def test_memory_flat_leaves_no_open_runs(tmp_path) -> None:
    out = run_bench("memory_flat.py", "--runs", "1000", "--skip-basetracer", tmp_path=tmp_path)
    assert "open runs held by the recorder: 0" in out


def test_notebook_size_reports_bytes_per_run_and_the_cell_end(tmp_path) -> None:
    out = run_bench("notebook_size.py", tmp_path=tmp_path)
    assert "bytes per run" in out and "at the cell's end" in out
    assert "JupyterLab's sanitizer" in out


def test_capture_cost_compares_this_checkout_with_a_revision(tmp_path) -> None:
    out = run_bench("capture_cost.py", "--rounds", "2", "--block", "2", "--against", "HEAD", tmp_path=tmp_path)
    assert "prepared events the same for both" in out
    assert "callbacks" in out and "preparing" in out and "this checkout / HEAD" in out
