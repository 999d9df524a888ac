"""nbtrace's own failures: logged once per kind, never raised into the user's program."""

from __future__ import annotations

import logging
import threading

logger = logging.getLogger("nbtrace")

_seen: set[str] = set()
_lock = threading.Lock()


def report(where: str, error: BaseException | None = None) -> None:
    with _lock:
        first = where not in _seen
        _seen.add(where)
    try:
        if first:
            logger.warning("nbtrace: %s failed; tracing goes on without it (%r)", where, error, exc_info=error)
        else:
            logger.debug("nbtrace: %s failed again (%r)", where, error)
    except Exception:
        pass


def warn_once(key: str, message: str) -> None:
    with _lock:
        if key in _seen:
            return
        _seen.add(key)
    try:
        logger.warning(message)
    except Exception:
        pass
