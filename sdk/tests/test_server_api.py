"""The REST API the Sessions sidebar uses, through a real jupyter_server."""

from __future__ import annotations

import json

import pytest
from tornado.httpclient import HTTPClientError

from nbtrace.store import SqliteStore

from .records import run_record

pytest_plugins = ("pytest_jupyter.jupyter_server",)


@pytest.fixture
def store_path(tmp_path, monkeypatch):
    path = str(tmp_path / "server.sqlite")
    monkeypatch.setenv("NBTRACE_DB", path)
    return path


@pytest.fixture
def jp_server_config(store_path):
    return {"ServerApp": {"jpserver_extensions": {"nbtrace.server": True}}}


@pytest.fixture
def recorded(store_path):
    """A store with a trace in 'default' and two in 'research', as kernels would leave it."""
    store = SqliteStore(store_path)
    root = run_record(name="agent", session="default")
    store.write([("start", root), ("start", run_record(parent=root, name="ChatModel", run_type="llm", tokens=30))])
    for hour in (9, 10):
        store.write([("start", run_record(name=f"lookup_{hour}", session="research", start=f"2026-11-24T{hour:02d}:00:00.000000Z"))])
    store.close()
    return root


async def get_json(jp_fetch, *parts, **kwargs):
    response = await jp_fetch("nbtrace", "api", *parts, **kwargs)
    return response.code, (json.loads(response.body) if response.body else None)


async def expect_error(jp_fetch, code, *parts, **kwargs):
    with pytest.raises(HTTPClientError) as caught:
        await jp_fetch("nbtrace", "api", *parts, **kwargs)
    assert caught.value.code == code
    return caught.value


async def test_sessions_lists_default_first_with_counts(jp_fetch, recorded) -> None:
    code, body = await get_json(jp_fetch, "sessions")
    assert code == 200
    sessions = body["sessions"]
    assert [s["name"] for s in sessions] == ["default", "research"]
    assert sessions[0]["run_count"] == 2 and sessions[1]["trace_count"] == 2
    assert sessions[1]["last_activity"] == "2026-11-24T10:00:01.000000Z"


async def test_default_is_listed_in_an_empty_store(jp_fetch, store_path) -> None:
    _, body = await get_json(jp_fetch, "sessions")
    assert body["sessions"] == [{**body["sessions"][0], "name": "default", "run_count": 0, "trace_count": 0}]


async def test_create_a_session_then_it_is_listed_and_empty(jp_fetch, store_path) -> None:
    code, body = await get_json(jp_fetch, "sessions", method="POST", body=json.dumps({"name": "my_session"}))
    assert code == 201 and body["session"]["name"] == "my_session" and body["session"]["run_count"] == 0
    _, listed = await get_json(jp_fetch, "sessions")
    assert "my_session" in [s["name"] for s in listed["sessions"]]
    _, traces = await get_json(jp_fetch, "sessions", "my_session", "traces")
    assert traces == {"traces": [], "total": 0, "limit": 50, "offset": 0}
    await expect_error(jp_fetch, 409, "sessions", method="POST", body=json.dumps({"name": "my_session"}))


@pytest.mark.parametrize(
    "body",
    ["not json", json.dumps([1]), json.dumps({}), json.dumps({"name": ""}), json.dumps({"name": "   "}),
     json.dumps({"name": 7}), json.dumps({"name": "a/b"}), json.dumps({"name": "x" * 10_000})],
)
async def test_bad_session_bodies_get_400_and_change_nothing(jp_fetch, store_path, body) -> None:
    error = await expect_error(jp_fetch, 400, "sessions", method="POST", body=body)
    assert error.response.body
    _, listed = await get_json(jp_fetch, "sessions")
    assert [s["name"] for s in listed["sessions"]] == ["default"]


async def test_names_with_quotes_and_spaces_work(jp_fetch, store_path) -> None:
    name = 'it\'s "quoted" & spaced'
    await get_json(jp_fetch, "sessions", method="POST", body=json.dumps({"name": name}))
    code, body = await get_json(jp_fetch, "sessions", name, "traces")  # jp_fetch URL-quotes parts
    assert code == 200 and body["total"] == 0


async def test_a_sessions_traces_newest_first_paged(jp_fetch, recorded) -> None:
    _, body = await get_json(jp_fetch, "sessions", "research", "traces", params={"limit": 1})
    assert body["total"] == 2 and [t["name"] for t in body["traces"]] == ["lookup_10"]
    _, body = await get_json(jp_fetch, "sessions", "research", "traces", params={"limit": 1, "offset": 1})
    assert [t["name"] for t in body["traces"]] == ["lookup_9"]
    await expect_error(jp_fetch, 400, "sessions", "research", "traces", params={"limit": "lots"})
    await expect_error(jp_fetch, 400, "sessions", "research", "traces", params={"limit": 0})
    await expect_error(jp_fetch, 404, "sessions", "nope", "traces")


async def test_a_traces_runs_and_one_run(jp_fetch, recorded) -> None:
    _, body = await get_json(jp_fetch, "traces", recorded["trace_id"], "runs")
    assert [r["name"] for r in body["runs"]] == ["agent", "ChatModel"]
    assert body["runs"][1]["total_tokens"] == 30 and body["runs"][1]["session_name"] == "default"
    _, one = await get_json(jp_fetch, "runs", recorded["id"])
    assert one["run"]["inputs"] == recorded["inputs"]
    await expect_error(jp_fetch, 404, "runs", "00000000-0000-4000-8000-000000000000")
    await expect_error(jp_fetch, 404, "traces", "00000000-0000-4000-8000-000000000000", "runs")
    await expect_error(jp_fetch, 404, "runs", "not-a-uuid")


async def test_rename_and_delete(jp_fetch, recorded) -> None:
    code, _ = await get_json(jp_fetch, "sessions", "research", method="PATCH", body=json.dumps({"name": "archive"}))
    assert code == 200
    _, listed = await get_json(jp_fetch, "sessions")
    assert [s["name"] for s in listed["sessions"]] == ["default", "archive"]
    await expect_error(jp_fetch, 409, "sessions", "archive", method="PATCH", body=json.dumps({"name": "default"}))
    await expect_error(jp_fetch, 400, "sessions", "default", method="PATCH", body=json.dumps({"name": "x"}))
    await expect_error(jp_fetch, 404, "sessions", "ghost", method="PATCH", body=json.dumps({"name": "x"}))
    await expect_error(jp_fetch, 400, "sessions", "default", method="DELETE")
    code, _ = await get_json(jp_fetch, "sessions", "archive", method="DELETE")
    assert code == 204
    await expect_error(jp_fetch, 404, "sessions", "archive", method="DELETE")
    _, listed = await get_json(jp_fetch, "sessions")
    assert [s["name"] for s in listed["sessions"]] == ["default"]


async def test_info_reports_versions(jp_fetch, store_path) -> None:
    _, body = await get_json(jp_fetch, "info")
    assert body["protocol"] == 1 and body["store"] == store_path and body["version"]


@pytest.mark.parametrize(
    ("method", "parts", "body"),
    [("GET", ("sessions",), None), ("POST", ("sessions",), '{"name": "x"}'), ("GET", ("info",), None),
     ("DELETE", ("sessions", "research"), None)],
)
async def test_requests_without_credentials_are_refused(jp_fetch, recorded, method, parts, body) -> None:
    with pytest.raises(HTTPClientError) as caught:
        await jp_fetch("nbtrace", "api", *parts, method=method, body=body, headers={"Authorization": ""})
    assert caught.value.code == 403
    _, listed = await get_json(jp_fetch, "sessions")
    assert [s["name"] for s in listed["sessions"]] == ["default", "research"]
