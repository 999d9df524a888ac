"""What one call of a workload costs nbtrace on the program's side, in CPU time: the
callbacks (the user's thread) and preparing their events (the worker, or the user's thread
once events pile up), each timed over the same captured call again and again.

    .venv/bin/python bench/capture_cost.py [--workload NAME] [--against REV] [--rounds 60]

With ``--against REV`` the same is measured for the SDK of another git revision, imported
side by side (its ``sdk/nbtrace`` extracted to a temporary folder under another name), the
two taking turns in blocks: a change too small for tracer_overhead.py to tell apart shows
here as a ratio with its quartiles. The prepared events of both are compared too.
"""

from __future__ import annotations

import argparse
import importlib
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any, Callable

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(Path(__file__).resolve().parent))

from langchain_core.callbacks.base import BaseCallbackHandler  # noqa: E402

from workloads import WORKLOADS  # noqa: E402

_CALLBACKS = ("on_chain_start", "on_chain_end", "on_chain_error", "on_chat_model_start", "on_llm_start",
              "on_llm_end", "on_llm_error", "on_tool_start", "on_tool_end", "on_retriever_start", "on_retriever_end")


def captured_call(chain: Any, value: Any) -> list[tuple[str, tuple, dict]]:
    """The callbacks LangChain makes for one call, with their arguments."""
    calls: list[tuple[str, tuple, dict]] = []

    class Recording(BaseCallbackHandler):
        run_inline = True

    for name in _CALLBACKS:
        setattr(Recording, name, lambda self, *args, _name=name, **kwargs: calls.append((_name, args, kwargs)))
    chain.invoke(value, config={"callbacks": [Recording()]})
    return calls


def extracted_sdk(revision: str) -> str:
    """``revision``'s SDK as an importable package of another name; its name."""
    folder = Path(tempfile.mkdtemp(prefix="nbtrace-rev-"))
    archive = subprocess.run(["git", "-C", str(REPO), "archive", revision, "sdk/nbtrace"], capture_output=True, check=True)
    subprocess.run(["tar", "-x", "-C", str(folder)], input=archive.stdout, check=True)
    (folder / "sdk" / "nbtrace").rename(folder / "nbtrace_at_revision")
    sys.path.insert(0, str(folder))
    return "nbtrace_at_revision"


class _Events:
    def __init__(self) -> None:
        self.events: list[tuple] = []

    def emit(self, event: tuple) -> None:
        self.events.append(event)


def measures(package: str, calls: list[tuple[str, tuple, dict]]) -> tuple[Callable[[], None], Callable[[], list]]:
    """(one call's callbacks, one call's events prepared) with ``package``'s SDK."""
    tracer_module = importlib.import_module(f"{package}.capture.langchain_tracer")
    events_module = importlib.import_module(f"{package}.pipeline.events")
    preparing = importlib.import_module(f"{package}.pipeline.preparing")
    sink = _Events()
    tracer = tracer_module.NotebookTracer(recorder=sink, route=lambda: events_module.Route(None, "bench"))
    bound = [(getattr(tracer, name), args, kwargs) for name, args, kwargs in calls]

    def callbacks() -> None:
        for method, args, kwargs in bound:
            method(*args, **dict(kwargs))  # the handler may pop from its kwargs
        sink.events.clear()

    for method, args, kwargs in bound:
        method(*args, **dict(kwargs))
    events = list(sink.events)
    preparer = preparing.EventPreparer()

    def prepare() -> list:
        return [preparer.prepare(event, lambda view: 1) for event in events]

    return callbacks, prepare


def _without_times(prepared: list) -> list:
    """Prepared events with their timestamps left out (START: field 3, END and TOKEN: field 2)."""
    return [tuple(v for i, v in enumerate(event) if i != (3 if event[0] == 0 else 2)) for event in prepared]


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--workload", choices=list(WORKLOADS), default="prompt | model | parser")
    parser.add_argument("--against", metavar="REV", help="also measure this git revision's SDK, taking turns")
    parser.add_argument("--rounds", type=int, default=60)
    parser.add_argument("--block", type=int, default=300, help="calls per turn")
    args = parser.parse_args()
    make, value = WORKLOADS[args.workload]
    calls = captured_call(make(), value)
    sdks = {"this checkout": measures("nbtrace", calls)}
    if args.against:
        sdks[args.against] = measures(extracted_sdk(args.against), calls)
        ours, theirs = (prepare() for _, prepare in sdks.values())
        same = _without_times(ours) == _without_times(theirs)
        print(f"prepared events {'the same' if same else 'DIFFERENT'} for both")
    print(f"{args.workload}: {len(calls)} callbacks per call; CPU µs per call, medians of {args.rounds} rounds of {args.block}")
    for part, index in (("callbacks", 0), ("preparing", 1)):
        spent: dict[str, list[float]] = {name: [] for name in sdks}
        for round_ in range(args.rounds):
            for name in (list(sdks) if round_ % 2 == 0 else list(reversed(sdks))):
                step = sdks[name][index]
                started = time.thread_time()
                for _ in range(args.block):
                    step()
                spent[name].append((time.thread_time() - started) / args.block * 1e6)
        figures = "  ".join(f"{name} {statistics.median(values):7.1f}" for name, values in spent.items())
        line = f"  {part:<10} {figures}"
        if args.against:
            ratios = [a / b for a, b in zip(spent["this checkout"], spent[args.against])]
            low, _, high = statistics.quantiles(ratios, n=4) if len(ratios) > 1 else (ratios[0],) * 3
            line += f"   this checkout / {args.against}: {statistics.median(ratios):.3f} (quartiles {low:.3f}–{high:.3f})"
        print(line)


if __name__ == "__main__":
    main()
