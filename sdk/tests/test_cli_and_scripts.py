"""Outside Jupyter: a plain script records to the store, and the CLI lists and exports it."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import textwrap
import time

import pytest

import nbtrace
from nbtrace.export import RUN_FIELDS

SCRIPT = textwrap.dedent(
    """
    import os, nbtrace
    from langchain_core.runnables import RunnableLambda
    chain = (RunnableLambda(str.upper, name="upper") | RunnableLambda(str.lower, name="lower")).with_config(run_name="script_chain")
    chain.invoke("Hello")
    nbtrace.set_tracing_callback_manager(session_name="nightly")
    chain.invoke("again")
    chain.with_config(run_name="another").invoke("and again")
    """
)


@pytest.fixture(scope="module")
def script_store(tmp_path_factory):
    path = str(tmp_path_factory.mktemp("cli") / "script.sqlite")
    env = dict(os.environ, NBTRACE_DB=path, NBTRACE_TRACING="true")
    started = time.monotonic()
    subprocess.run([sys.executable, "-c", SCRIPT], env=env, check=True, timeout=60)
    return path, time.monotonic() - started


def nbtrace_cli(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "nbtrace", *args], capture_output=True, text=True, timeout=60)


def test_a_script_records_and_flushes_at_exit_promptly(script_store) -> None:
    path, seconds = script_store
    runs = nbtrace.export_runs(session="default", db=path)
    assert [r["name"] for r in runs] == ["script_chain", "upper", "lower"]
    assert seconds < 20


def test_sessions_command_lists_default_first(script_store) -> None:
    path, _ = script_store
    result = nbtrace_cli("sessions", "--db", path, "--json")
    assert result.returncode == 0, result.stderr
    rows = json.loads(result.stdout)
    assert [(r["name"], r["trace_count"], r["run_count"]) for r in rows] == [("default", 1, 3), ("nightly", 2, 6)]
    table = nbtrace_cli("sessions", "--db", path).stdout.splitlines()
    assert table[0].split() == ["SESSION", "TRACES", "RUNS", "LAST", "ACTIVITY"]
    assert table[1].split()[:3] == ["default", "1", "3"]


def test_export_writes_json_lines_with_langsmith_fields(script_store, tmp_path) -> None:
    path, _ = script_store
    result = nbtrace_cli("export", "--session", "nightly", "--db", path)
    assert result.returncode == 0, result.stderr
    lines = [json.loads(line) for line in result.stdout.splitlines()]
    assert len(lines) == 6
    for run in lines:
        assert tuple(run) == RUN_FIELDS
        assert run["session_name"] == "nightly"
    assert [r["name"] for r in lines if r["parent_run_id"] is None] == ["script_chain", "another"]
    assert lines[0]["inputs"] == {"input": "again"} and lines[0]["outputs"] == {"output": "again"}
    out_file = tmp_path / "nightly.jsonl"
    assert nbtrace_cli("export", "--session", "nightly", "--db", path, "-o", str(out_file)).returncode == 0
    assert out_file.read_text().splitlines() == result.stdout.splitlines()


def test_export_of_an_unknown_session_says_so(script_store) -> None:
    path, _ = script_store
    result = nbtrace_cli("export", "--session", "nope", "--db", path)
    assert result.returncode == 2 and "no session named 'nope'" in result.stderr


def test_export_then_import_round_trip_keeps_every_field(script_store, tmp_path) -> None:
    path, _ = script_store
    exported = tmp_path / "nightly.jsonl"
    assert nbtrace_cli("export", "--session", "nightly", "--db", path, "-o", str(exported)).returncode == 0
    other_db = str(tmp_path / "other.sqlite")
    result = nbtrace_cli("import", str(exported), "--db", other_db)
    assert result.returncode == 0 and "6 runs in 2 traces" in result.stderr
    again = nbtrace_cli("export", "--session", "nightly", "--db", other_db).stdout.splitlines()
    assert again == exported.read_text().splitlines()


def test_import_into_another_session_and_bad_files(script_store, tmp_path) -> None:
    path, _ = script_store
    exported = tmp_path / "default.jsonl"
    nbtrace_cli("export", "--session", "default", "--db", path, "-o", str(exported))
    other_db = str(tmp_path / "renamed.sqlite")
    assert nbtrace_cli("import", str(exported), "--session", "imported", "--db", other_db).returncode == 0
    runs = nbtrace.export_runs(session="imported", db=other_db)
    assert [r["name"] for r in runs] == ["script_chain", "upper", "lower"]
    bad = tmp_path / "bad.jsonl"
    bad.write_text('{"id": "x"}\n')
    result = nbtrace_cli("import", str(bad), "--db", other_db)
    assert result.returncode == 2 and "bad.jsonl:1: missing" in result.stderr


def test_an_imported_run_whose_payload_is_not_an_object_is_refused(tmp_path) -> None:
    from nbtrace.importing import read_runs

    run = {"id": "r", "trace_id": "r", "dotted_order": "1", "name": "n", "run_type": "chain",
           "start_time": "2026-11-25T10:00:00.000000Z", "outputs": "just text"}
    bad = tmp_path / "text-output.jsonl"
    bad.write_text(json.dumps(run) + "\n")
    with pytest.raises(ValueError, match="text-output.jsonl:1: outputs must be a JSON object"):
        read_runs(bad)


def test_load_runs_brings_a_file_into_this_process(traced, script_store, tmp_path) -> None:
    path, _ = script_store
    exported = tmp_path / "t.jsonl"
    nbtrace_cli("export", "--session", "default", "--db", path, "-o", str(exported))
    runs = nbtrace.load_runs(exported, session="loaded", show=False)
    assert len(runs) == 3
    from nbtrace import runtime

    assert [r["name"] for r in runtime.recorder().store.runs_for_session("loaded")] == ["script_chain", "upper", "lower"]
