"""Both store backends keep runs and sessions the same way; SQLite also across processes and versions."""

from __future__ import annotations

import sqlite3
import subprocess
import sys
import textwrap

import pytest

from nbtrace.pipeline.assembly import PAYLOAD_FIELDS
from nbtrace.pipeline.serialize import payload_data
from nbtrace.store import MemoryStore, SqliteStore
from nbtrace.store.schema import MIGRATIONS, SCHEMA_VERSION

from .records import run_record


@pytest.fixture(params=["sqlite", "memory"])
def store(request, tmp_path):
    made = SqliteStore(str(tmp_path / "runs.sqlite")) if request.param == "sqlite" else MemoryStore()
    yield made
    made.close()


def write_trace(store, session="default", start="2026-11-24T10:00:00.000000Z", name="root", children=2, error=None):
    root = run_record(name=name, session=session, start=start, error=error)
    kids = [run_record(parent=root, name=f"child{i}", run_type="llm", session=session, start=start, tokens=10) for i in range(children)]
    store.write([("start", root)] + [("start", k) for k in kids])
    return root, kids


def test_round_trip_keeps_every_field(store) -> None:
    root, kids = write_trace(store)
    back = store.runs_for_traces([root["trace_id"]])
    assert [r["id"] for r in back] == [r["id"] for r in sorted([root, *kids], key=lambda r: r["dotted_order"])]
    assert back[0] == root
    assert store.get_run(kids[0]["id"]) == kids[0]


def test_runs_come_with_their_payloads_as_data_as_stored_text_or_without_them(store) -> None:
    root, kids = write_trace(store)
    data = store.runs_for_traces([root["trace_id"]])
    as_stored = store.runs_for_traces([root["trace_id"]], payloads="json")
    skeletons = store.runs_for_traces([root["trace_id"]], payloads="none")
    for whole, stored, skeleton in zip(data, as_stored, skeletons):
        assert {key: payload_data(stored[key]) for key in ("inputs", "outputs", "extra")} == {
            key: whole[key] for key in ("inputs", "outputs", "extra")
        }
        assert skeleton == {key: value for key, value in whole.items() if key not in PAYLOAD_FIELDS}


def test_an_end_patches_the_started_run(store) -> None:
    running = run_record(end=None)
    store.write([("start", running)])
    assert store.get_run(running["id"])["end_time"] is None
    ended = dict(
        running,
        end_time="2026-11-24T10:00:05.000000Z",
        outputs={"output": 42},
        total_tokens=7,
        events=running["events"] + [{"name": "end", "time": "2026-11-24T10:00:05.000000Z"}],
    )
    store.write([("end", ended)])
    assert store.get_run(running["id"]) == ended


def test_default_is_always_there_and_listed_first(store) -> None:
    store.create_session("alpha")
    names = [s["name"] for s in store.list_sessions()]
    assert names[0] == "default" and "alpha" in names
    assert store.create_session("alpha") is False


def test_sessions_count_runs_and_traces(store) -> None:
    write_trace(store, session="mine", children=3)
    write_trace(store, session="mine", children=1, start="2026-11-24T11:00:00.000000Z")
    info = {s["name"]: s for s in store.list_sessions()}
    assert info["mine"]["run_count"] == 6 and info["mine"]["trace_count"] == 2
    assert info["mine"]["last_activity"] == "2026-11-24T11:00:01.000000Z"
    assert info["default"]["run_count"] == 0


def test_traces_list_newest_first_in_pages_with_totals(store) -> None:
    for hour in range(10, 15):
        write_trace(store, session="s", start=f"2026-11-24T{hour}:00:00.000000Z", name=f"at{hour}")
    page, total = store.list_traces("s", limit=2, offset=1)
    assert total == 5 and [t["name"] for t in page] == ["at13", "at12"]
    assert page[0]["run_count"] == 3 and page[0]["total_tokens"] == 20
    with pytest.raises(KeyError):
        store.list_traces("no such session")


def test_rename_and_delete(store) -> None:
    root, _ = write_trace(store, session="old")
    assert store.rename_session("old", "new") is True
    assert store.get_run(root["id"])["session_name"] == "new"
    with pytest.raises(ValueError):
        store.rename_session("new", "default")
    assert store.rename_session("missing", "x") is False
    assert store.delete_session("new") is True
    assert store.get_run(root["id"]) is None
    assert "new" not in [s["name"] for s in store.list_sessions()]


def test_deleting_default_empties_it_but_keeps_it(store) -> None:
    write_trace(store)
    store.delete_session("default")
    assert store.list_sessions()[0]["name"] == "default" and store.list_sessions()[0]["run_count"] == 0


def test_export_order_is_oldest_trace_first_then_tree_order(store) -> None:
    late, _ = write_trace(store, start="2026-11-24T12:00:00.000000Z", name="late")
    early, _ = write_trace(store, start="2026-11-24T09:00:00.000000Z", name="early")
    runs = store.runs_for_session("default")
    assert [r["name"] for r in runs][:1] == ["early"] and runs[3]["name"] == "late"


def test_a_new_file_gets_the_current_schema(tmp_path) -> None:
    store = SqliteStore(str(tmp_path / "new.sqlite"))
    assert store.schema_version() == SCHEMA_VERSION
    journal = sqlite3.connect(tmp_path / "new.sqlite").execute("PRAGMA journal_mode").fetchone()[0]
    assert journal == "wal"


def test_a_store_from_the_previous_schema_version_is_migrated_with_its_runs(tmp_path) -> None:
    path = tmp_path / "old.sqlite"
    db = sqlite3.connect(path)
    for statement in MIGRATIONS[0]:
        db.execute(statement)
    db.execute("PRAGMA user_version = 1")
    db.execute("INSERT INTO sessions (id, name, created_at) VALUES (1, 'legacy', '2026-01-01T00:00:00Z')")
    db.execute(
        "INSERT INTO runs (id, trace_id, parent_run_id, dotted_order, session_id, name, run_type, start_time, end_time, inputs) "
        "VALUES ('00000000-0000-4000-8000-000000000001', '00000000-0000-4000-8000-000000000001', NULL, "
        "'20260101T000000000000Z00000000-0000-4000-8000-000000000001', 1, 'old_chain', 'chain', "
        "'2026-01-01T00:00:00.000000Z', '2026-01-01T00:00:01.000000Z', '{\"q\": 1}')"
    )
    db.commit()
    db.close()

    store = SqliteStore(str(path))
    assert store.schema_version() == SCHEMA_VERSION
    page, total = store.list_traces("legacy")
    assert total == 1 and page[0]["name"] == "old_chain" and page[0]["run_count"] == 1
    assert store.get_run("00000000-0000-4000-8000-000000000001")["inputs"] == {"q": 1}


def test_a_store_from_a_newer_nbtrace_is_refused_clearly(tmp_path) -> None:
    path = tmp_path / "future.sqlite"
    sqlite3.connect(path).execute(f"PRAGMA user_version = {SCHEMA_VERSION + 1}")
    with pytest.raises(RuntimeError, match="Upgrade nbtrace"):
        SqliteStore(str(path))


WRITER = textwrap.dedent(
    """
    import sys
    sys.path.insert(0, {tests!r})
    from nbtrace.store import SqliteStore
    from records import run_record
    store = SqliteStore({path!r})
    for batch in range(100):
        runs = []
        for i in range(10):
            root = run_record(name=f"{{sys.argv[1]}}-{{batch}}-{{i}}", session=sys.argv[1])
            runs.append(("start", root))
        store.write(runs)
    """
)


def test_two_processes_writing_1000_runs_each_at_once_lose_none(tmp_path) -> None:
    from pathlib import Path

    path = str(tmp_path / "shared.sqlite")
    SqliteStore(path).close()
    script = WRITER.format(tests=str(Path(__file__).parent), path=path)
    writers = [subprocess.Popen([sys.executable, "-c", script, name]) for name in ("kernel_a", "kernel_b")]
    assert [w.wait(timeout=120) for w in writers] == [0, 0]
    counts = {s["name"]: s["run_count"] for s in SqliteStore(path).list_sessions()}
    assert counts["kernel_a"] == 1000 and counts["kernel_b"] == 1000
