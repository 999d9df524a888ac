"""Who wrote a run: host, pid and the process's start time, so a reused pid is not mistaken for the writer."""

from __future__ import annotations

import os
import socket
from functools import lru_cache


def _start_ticks(pid: int) -> str | None:
    try:
        with open(f"/proc/{pid}/stat", "rb") as stat:
            fields = stat.read().rsplit(b")", 1)[1].split()
        return fields[19].decode()  # field 22 of stat: start time in clock ticks since boot
    except (OSError, IndexError):
        return None


@lru_cache(maxsize=1)
def _host() -> str:
    return socket.gethostname()


def this_writer() -> str:
    pid = os.getpid()
    return f"{_host()}:{pid}:{_start_ticks(pid) or '?'}"


def writer_is_gone(writer: str) -> bool:
    """True only when sure: same host, and no process with that pid and start time."""
    try:
        host, pid_text, ticks = writer.rsplit(":", 2)
        pid = int(pid_text)
    except ValueError:
        return False
    if host != _host():
        return False
    if ticks != "?":
        return _start_ticks(pid) != ticks
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return True
    except OSError:
        return False
    return False
