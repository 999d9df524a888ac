"""What the host did to a measurement: the CPU time it took from this (virtual) machine.

On a shared host the hypervisor runs other guests on our cores now and then; that time
("steal" in /proc/stat) passes on the wall clock while nothing here runs, so wall-time
figures taken meanwhile carry it at random. CPU-time figures do not.
"""

from __future__ import annotations

from pathlib import Path

_STAT = Path("/proc/stat")


def cpu_ticks() -> tuple[int, int] | None:
    """(busy, stolen) clock ticks of all cores so far, or None where /proc/stat is missing."""
    try:
        fields = [int(x) for x in _STAT.read_text().split("\n", 1)[0].split()[1:9]]
    except (OSError, ValueError):
        return None
    user, nice, system, _idle, _iowait, irq, softirq, steal = fields
    return user + nice + system + irq + softirq, steal


def stolen_since(start: tuple[int, int] | None) -> str:
    """A line saying what share of the machine's busy time the host took since ``start``."""
    end = cpu_ticks()
    if start is None or end is None:
        return "time taken by the host: unknown here (no /proc/stat)"
    busy, stolen = end[0] - start[0], end[1] - start[1]
    share = stolen / (busy + stolen) if busy + stolen else 0.0
    return f"time taken by the host (steal) while measuring: {share:.0%} of this machine's busy CPU time"
