"""The jupyter_server extension: sessions and stored runs over REST, for the Sessions sidebar and Explore.

It reads the same store the kernels write (``NBTRACE_DB``), so traces recorded
by any kernel or a plain script are listed too.
"""

from __future__ import annotations

from typing import Any


def _jupyter_server_extension_points() -> list[dict[str, str]]:
    return [{"module": "nbtrace.server"}]


def _load_jupyter_server_extension(server_app: Any) -> None:
    from .routes import setup_routes
    from .store_access import StoreAccess

    access = StoreAccess()
    setup_routes(server_app.web_app, access)
    server_app.log.info("nbtrace: serving sessions from %s", access.path)
