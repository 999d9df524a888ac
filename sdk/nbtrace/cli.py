"""The ``nbtrace`` command: list sessions, export a session's runs as JSON Lines."""

from __future__ import annotations

import argparse
import json
import sys
from typing import Sequence

from ._version_info import __version__
from .export import export_runs
from .settings import store_path
from .store import SqliteStore


def _sessions(args: argparse.Namespace) -> int:
    store = SqliteStore(args.db or store_path())
    rows = store.list_sessions()
    if args.json:
        print(json.dumps(rows, indent=2))
        return 0
    width = max([len(r["name"]) for r in rows] + [7])
    print(f"{'SESSION':<{width}}  {'TRACES':>7}  {'RUNS':>8}  LAST ACTIVITY")
    for row in rows:
        print(f"{row['name']:<{width}}  {row['trace_count']:>7}  {row['run_count']:>8}  {row['last_activity'] or '-'}")
    return 0


def _export(args: argparse.Namespace) -> int:
    runs = export_runs(session=args.session, db=args.db)
    out = open(args.output, "w", encoding="utf-8") if args.output else sys.stdout
    try:
        for run in runs:
            out.write(json.dumps(run, ensure_ascii=False) + "\n")
    finally:
        if args.output:
            out.close()
    if args.output:
        print(f"{len(runs)} runs written to {args.output}", file=sys.stderr)
    return 0


def _import(args: argparse.Namespace) -> int:
    from .importing import import_runs

    runs = import_runs(args.file, session=args.session, db=args.db or store_path())
    traces = {run["trace_id"] for run in runs}
    print(f"{len(runs)} runs in {len(traces)} traces imported into {args.db or store_path()}", file=sys.stderr)
    return 0


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="nbtrace", description="nbtrace's trace store, from the command line.")
    parser.add_argument("--version", action="version", version=f"nbtrace {__version__}")
    commands = parser.add_subparsers(dest="command", required=True)

    sessions = commands.add_parser("sessions", help="list sessions with their trace and run counts")
    sessions.add_argument("--db", help="the SQLite store (default: NBTRACE_DB, else the Jupyter data dir)")
    sessions.add_argument("--json", action="store_true", help="print JSON instead of a table")
    sessions.set_defaults(run=_sessions)

    export = commands.add_parser("export", help="write a session's runs as JSON Lines, one run per line")
    export.add_argument("--session", required=True)
    export.add_argument("--db", help="the SQLite store (default: NBTRACE_DB, else the Jupyter data dir)")
    export.add_argument("-o", "--output", help="a file to write (default: standard output)")
    export.set_defaults(run=_export)

    importing = commands.add_parser("import", help="bring runs from a JSON Lines file back into the store")
    importing.add_argument("file")
    importing.add_argument("--session", help="record them to this session instead of the one in the file")
    importing.add_argument("--db", help="the SQLite store (default: NBTRACE_DB, else the Jupyter data dir)")
    importing.set_defaults(run=_import)

    args = parser.parse_args(argv)
    try:
        return int(args.run(args))
    except KeyError as missing:
        print(f"nbtrace: no session named {missing}", file=sys.stderr)
        return 2
    except (OSError, ValueError) as error:
        print(f"nbtrace: {error}", file=sys.stderr)
        return 2
    except BrokenPipeError:
        return 0


if __name__ == "__main__":
    sys.exit(main())
