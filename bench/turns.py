"""How benchmark variants take turns in one process without charging each other's work.

Two things went wrong when they simply rotated: rotating a list keeps its cyclic order,
so each variant always followed the same neighbour; and a tracer's background threads
go on for a while after its flush returns (LangSmith's client does), so that
neighbour paid for it. Here the order is shuffled every round (seeded: the same
order on every run of a script), and after each turn the process is let go quiet.
"""

from __future__ import annotations

import random
import threading
import time

_order = random.Random(7)


def shuffled(names: list[str]) -> list[str]:
    """The variants in a fresh order for this round."""
    order = list(names)
    _order.shuffle(order)
    return order


def _other_threads_cpu() -> float:
    """CPU seconds the other live threads of this process have used."""
    me = threading.get_ident()
    total = 0.0
    for thread in threading.enumerate():
        if thread.ident is None or thread.ident == me:
            continue
        try:
            total += time.clock_gettime(time.pthread_getcpuclockid(thread.ident))
        except (OSError, AttributeError):  # the thread just ended, or no per-thread clocks here
            pass
    return total


def wait_until_quiet(*, window: float = 0.005, busy: float = 0.0002, limit: float = 2.0) -> None:
    """Return once no other thread of this process used more than ``busy`` seconds of CPU
    over ``window`` (or after ``limit``): what a tracer's threads still do after its flush
    is then done before the next turn starts (and, in CPU time, counted in its own turn)."""
    ends = time.monotonic() + limit
    before = _other_threads_cpu()
    while time.monotonic() < ends:
        time.sleep(window)
        now = _other_threads_cpu()
        if now - before <= busy:
            return
        before = now
