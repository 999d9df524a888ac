"""Per-run tracer overhead in instructions executed, counted by Valgrind: a measure that the
host's drifting speed does not move (as CodSpeed and iai measure on noisy CI machines).

    .venv/bin/python bench/instruction_counts.py [--calls 30] [--rounds 3] [--workload NAME]

Needs Valgrind (Debian: ``apt-get install valgrind``; ``scripts/setup.sh --tests`` installs it).
The script runs itself under ``valgrind --tool=callgrind``, where the variants of
``tracer_overhead.py`` take turns as they do there, each turn ending with its own flush and
the process let go quiet. After each turn Callgrind dumps its count (``callgrind_control
--dump``), so each turn's instructions (every thread of this process) are read from a dump
of their own. A variant's figure is (its turn - the no-tracing turn of the same round) / runs;
ratios as in ``tracer_overhead.py``. The same code gives the same counts to within a few
percent, whatever the host is doing (how many runs each of nbtrace's batches gathers depends on
timing).

What it does not say:
- Instructions are not time: an instruction of the interpreter's loop, of SQLite or of
  orjson takes a different number of cycles, and waits (the flush, the GIL) are none.
- Other processes are not counted, as in ``tracer_overhead.py --cpu``: the store's helper
  process (on the other core) and the stub endpoint that LangSmith's tracer posts to.
- Valgrind runs the program about fifty times slower, one thread at a time: nbtrace's
  worker, which gathers a batch for 10 ms, gets smaller batches than at full speed, so its
  per-batch work counts more often per run (against nbtrace).
"""

from __future__ import annotations

import argparse
import itertools
import os
import re
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

IN_VALGRIND = "NBTRACE_BENCH_IN_VALGRIND"  # names the folder the turns are dumped in


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--calls", type=int, default=30, help="calls per turn (the fan-out chain takes a quarter)")
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--workload", help="only this one (default: all)")
    args = parser.parse_args()
    folder = os.environ.get(IN_VALGRIND)
    if folder:
        take_turns(args, Path(folder))
    else:
        sys.exit(run_under_valgrind(sys.argv[1:]))


def run_under_valgrind(argv: list[str]) -> int:
    missing = [tool for tool in ("valgrind", "callgrind_control") if shutil.which(tool) is None]
    if missing:
        print(f"needs {' and '.join(missing)} (Debian: apt-get install valgrind)", file=sys.stderr)
        return 2
    version = subprocess.run(["valgrind", "--version"], capture_output=True, text=True).stdout.strip()
    with tempfile.TemporaryDirectory(prefix="nbtrace-instructions-") as folder:
        print(f"{version} (callgrind), python {sys.version.split()[0]}; instructions of this process's threads", flush=True)
        done = subprocess.run(
            # Instrumented from the first turn on: the imports before it run several times faster.
            ["valgrind", "--tool=callgrind", "--instr-atstart=no", "--dump-line=no", "--compress-strings=no",
             f"--callgrind-out-file={folder}/turn.%p", f"--log-file={folder}/valgrind.log",
             # sys.executable, not its resolved path: the venv is found from the name it is run by
             sys.executable, __file__, *argv],
            env={**os.environ, IN_VALGRIND: folder},
        )
        if done.returncode != 0:
            print(Path(folder, "valgrind.log").read_text()[-3_000:], file=sys.stderr)
        return done.returncode


def take_turns(args: argparse.Namespace, folder: Path) -> None:
    """In Valgrind: the variants' turns, each followed by a dump of its count."""
    sys.path.insert(0, str(Path(__file__).resolve().parent))
    from stub_server import start as start_stub
    from tracer_overhead import one_turn, report, variants
    from turns import shuffled
    from workloads import WORKLOADS, count_runs

    if args.workload and args.workload not in WORKLOADS:
        raise SystemExit(f"--workload: one of {', '.join(WORKLOADS)}")
    stub_url, stub = start_stub()
    table, set_sink, view = variants(stub_url)
    callgrind_control("--instr=on")
    for workload, (make, value) in WORKLOADS.items():
        if args.workload and workload != args.workload:
            continue
        chain = make()
        runs_per_call = count_runs(chain, value)
        calls = max(1, args.calls // 4) if runs_per_call > 10 else args.calls
        print(f"\n{workload}: {calls} calls per turn, {args.rounds} rounds after one to warm up", flush=True)
        counted: dict[str, list[float]] = {name: [] for name in table}
        for round_ in range(args.rounds + 1):  # the first round warms every path up, and is not counted
            for name in shuffled(list(table)):
                dump_count(folder)  # what came before the turn goes into a dump of its own
                one_turn(table[name], name, chain, value, calls, set_sink, view, cpu=True)
                count = dump_count(folder)
                if round_:
                    counted[name].append(count)
        report(workload, runs_per_call, calls, counted, unit="instructions", scale=1, precision=0)
    stub.terminate()


_dump_numbers = itertools.count(1)


def dump_count(folder: Path) -> int:
    """Have Callgrind dump what it counted since its last dump; that count."""
    tag = f"turn{next(_dump_numbers)}"
    callgrind_control("--dump=" + tag)
    for dump in folder.glob(f"turn.{os.getpid()}.*"):
        text = dump.read_text(errors="replace")
        if f"Trigger: dump {tag}\n" in text:
            dump.unlink()
            found = re.search(r"^summary: (\d+)", text, re.MULTILINE)
            if found is None:
                raise RuntimeError(f"Callgrind's dump {dump.name} has no summary line")
            return int(found.group(1))
    raise RuntimeError(f"Callgrind wrote no dump for {tag}")


def callgrind_control(command: str) -> None:
    subprocess.run(["callgrind_control", command, str(os.getpid())], check=True, capture_output=True)


if __name__ == "__main__":
    main()
