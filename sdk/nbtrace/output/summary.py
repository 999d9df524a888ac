"""Per-run facts shared by the static HTML and the text summary."""

from __future__ import annotations

from datetime import datetime
from typing import Any


def status(run: dict[str, Any]) -> str:
    if run.get("error"):
        return "error"
    return "ok" if run.get("end_time") else "running"


def _parse(iso: str) -> datetime:
    return datetime.strptime(iso.rstrip("Z").replace("+00:00", ""), "%Y-%m-%dT%H:%M:%S.%f")


def latency(run: dict[str, Any]) -> str:
    if not run.get("end_time"):
        return ""
    try:
        seconds = (_parse(run["end_time"]) - _parse(run["start_time"])).total_seconds()
    except (KeyError, ValueError):
        return ""
    if seconds < 1:
        return f"{seconds * 1000:.0f} ms" if seconds >= 0.01 else f"{seconds * 1000:.1f} ms"
    if seconds < 60:
        return f"{seconds:.2f} s"
    return f"{int(seconds // 60)}m {seconds % 60:02.0f}s"


def children_index(runs: list[dict[str, Any]]) -> tuple[list[dict[str, Any]], dict[str, list[dict[str, Any]]]]:
    """Roots and children by parent id, each in dotted_order."""
    ids = {run["id"] for run in runs}
    roots: list[dict[str, Any]] = []
    children: dict[str, list[dict[str, Any]]] = {}
    for run in sorted(runs, key=lambda r: r["dotted_order"]):
        parent = run.get("parent_run_id")
        if parent and parent in ids:
            children.setdefault(parent, []).append(run)
        else:
            roots.append(run)
    return roots, children


def text_summary(runs: list[dict[str, Any]]) -> str:
    roots, _ = children_index(runs)
    if not roots:
        return "nbtrace: no runs yet"
    sessions = sorted({r["session_name"] for r in roots})
    lines = [f"nbtrace: {len(roots)} trace{'s' if len(roots) != 1 else ''}, {len(runs)} runs (session {', '.join(sessions)})"]
    for root in roots[:20]:
        lines.append(f"  {root['name']} [{root['run_type']}] {status(root)} {latency(root)}".rstrip())
    if len(roots) > 20:
        lines.append(f"  … {len(roots) - 20} more traces")
    return "\n".join(lines)
