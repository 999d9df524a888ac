"""REST endpoints under ``<base_url>/nbtrace/api/``. Every method requires Jupyter's authentication.

GET    info                           versions, for the front end's compatibility check
GET    sessions                       every session: name, run_count, trace_count, last_activity
POST   sessions                       {"name": ...} creates one (201; 409 if it exists)
PATCH  sessions/<name>                {"name": new} renames it
DELETE sessions/<name>                deletes it and its runs (not ``default``)
GET    sessions/<name>/traces         ?limit=&offset=  its traces, newest first, with "total"
GET    traces/<trace_id>/runs         every run of one trace, in tree order
GET    runs/<run_id>                  one run in full
"""

from __future__ import annotations

import json
import re
from typing import Any

from jupyter_server.base.handlers import APIHandler
from jupyter_server.utils import url_path_join
from tornado import web

from .._version_info import __version__
from ..pipeline.serialize import encode_json, payloads_embedded
from ..protocol import PROTOCOL_VERSION
from ..settings import DEFAULT_SESSION, validate_session_name
from .store_access import StoreAccess

_UUID = r"[0-9a-fA-F-]{36}"
MAX_PAGE = 500


class _Base(APIHandler):
    def initialize(self, access: StoreAccess) -> None:
        self.access = access

    def body_name(self) -> str:
        try:
            body = json.loads(self.request.body or b"")
        except ValueError:
            raise web.HTTPError(400, "the body is not JSON") from None
        if not isinstance(body, dict) or "name" not in body:
            raise web.HTTPError(400, 'send {"name": "..."}')
        return session_name(body["name"])

    def reply(self, payload: Any, status: int = 200) -> None:
        self.set_status(status)
        self.finish(encode_json(payload))


def session_name(raw: Any) -> str:
    try:
        return validate_session_name(raw)
    except (TypeError, ValueError) as error:
        raise web.HTTPError(400, str(error)) from None


class InfoHandler(_Base):
    @web.authenticated
    async def get(self) -> None:
        self.reply({"version": __version__, "protocol": PROTOCOL_VERSION, "store": self.access.path})


class SessionsHandler(_Base):
    @web.authenticated
    async def get(self) -> None:
        self.reply({"sessions": await self.access.run(lambda s: s.list_sessions())})

    @web.authenticated
    async def post(self) -> None:
        name = self.body_name()
        created = await self.access.run(lambda s: s.create_session(name))
        if not created:
            raise web.HTTPError(409, f"a session named {name!r} exists already")
        sessions = await self.access.run(lambda s: s.list_sessions())
        self.reply({"session": next(s for s in sessions if s["name"] == name)}, 201)


class SessionHandler(_Base):
    @web.authenticated
    async def patch(self, raw: str) -> None:
        old = session_name(raw)
        new = self.body_name()
        if old == DEFAULT_SESSION:
            raise web.HTTPError(400, "the default session cannot be renamed")

        def rename(store: Any) -> bool:
            return store.rename_session(old, new)

        try:
            found = await self.access.run(rename)
        except ValueError as error:
            raise web.HTTPError(409, str(error)) from None
        if not found:
            raise web.HTTPError(404, f"no session named {old!r}")
        self.reply({"name": new})

    @web.authenticated
    async def delete(self, raw: str) -> None:
        name = session_name(raw)
        if name == DEFAULT_SESSION:
            raise web.HTTPError(400, "the default session cannot be deleted")
        if not await self.access.run(lambda s: s.delete_session(name)):
            raise web.HTTPError(404, f"no session named {name!r}")
        self.set_status(204)
        self.finish()


class SessionTracesHandler(_Base):
    @web.authenticated
    async def get(self, raw: str) -> None:
        name = session_name(raw)
        limit = self._int("limit", 50, 1, MAX_PAGE)
        offset = self._int("offset", 0, 0, 10**9)
        try:
            traces, total = await self.access.run(lambda s: s.list_traces(name, limit=limit, offset=offset))
        except KeyError:
            raise web.HTTPError(404, f"no session named {name!r}") from None
        self.reply({"traces": traces, "total": total, "limit": limit, "offset": offset})

    def _int(self, key: str, default: int, low: int, high: int) -> int:
        raw = self.get_argument(key, str(default))
        if not re.fullmatch(r"\d{1,10}", raw):
            raise web.HTTPError(400, f"{key} must be a whole number")
        value = int(raw)
        if not low <= value <= high:
            raise web.HTTPError(400, f"{key} must be between {low} and {high}")
        return value


class TraceRunsHandler(_Base):
    @web.authenticated
    async def get(self, trace_id: str) -> None:
        runs = await self.access.run(lambda s: s.runs_for_traces([trace_id.lower()], payloads="json"))
        if not runs:
            raise web.HTTPError(404, f"no trace {trace_id}")
        self.reply({"runs": [payloads_embedded(run) for run in runs]})


class RunHandler(_Base):
    @web.authenticated
    async def get(self, run_id: str) -> None:
        run = await self.access.run(lambda s: s.get_run(run_id.lower()))
        if run is None:
            raise web.HTTPError(404, f"no run {run_id}")
        self.reply({"run": run})


def setup_routes(web_app: Any, access: StoreAccess) -> None:
    base = url_path_join(web_app.settings["base_url"], "nbtrace", "api")
    kwargs = {"access": access}
    web_app.add_handlers(
        ".*$",
        [
            (url_path_join(base, "info"), InfoHandler, kwargs),
            (url_path_join(base, "sessions"), SessionsHandler, kwargs),
            (url_path_join(base, r"sessions/([^/]+)"), SessionHandler, kwargs),
            (url_path_join(base, r"sessions/([^/]+)/traces"), SessionTracesHandler, kwargs),
            (url_path_join(base, rf"traces/({_UUID})/runs"), TraceRunsHandler, kwargs),
            (url_path_join(base, rf"runs/({_UUID})"), RunHandler, kwargs),
        ],
    )
