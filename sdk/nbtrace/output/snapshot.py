"""The bounded copy of a cell's runs saved in the notebook (``kind: "snapshot"`` in protocol/schema.json)."""

from __future__ import annotations

from typing import Any

from ..pipeline.serialize import PAYLOAD_TEXT_FIELDS, encode_json, payload_data
from ..pipeline.timefmt import now_iso
from ..protocol import PROTOCOL_VERSION

MIME_TYPE = "application/vnd.nbtrace.trace+json"
MAX_FIELD_LIMIT = 4_000  # characters of JSON per payload field of a run, at most
MIN_FIELD_LIMIT = 200
PAYLOAD_BUDGET = 1_000_000  # characters of payload a cell's snapshot keeps in all (the store keeps everything)
DEFAULT_MAX_RUNS = 2_000  # about 1 MB of run fields; past it, a count (Explore loads the rest)


def field_limit_for(run_count: int, budget: int = PAYLOAD_BUDGET) -> int:
    """Each run's share of the budget over its three payload fields, within [MIN, MAX]."""
    if run_count <= 0:
        return MAX_FIELD_LIMIT
    return max(MIN_FIELD_LIMIT, min(MAX_FIELD_LIMIT, budget // (3 * run_count)))


def _bounded(value: Any, limit: int) -> Any:
    """``value`` (data, or its JSON text as the SQLite store holds it) if its JSON fits in
    ``limit`` characters, else a marker with its size and a preview: a payload too big to
    keep is never decoded."""
    if value is None:
        return None
    text = value if isinstance(value, str) else encode_json(value)
    if len(text) <= limit:
        return payload_data(value)
    return {"__nbtrace__": "truncated", "size": len(text), "preview": text[: max(limit - 200, 0)]}


def snapshot_run(run: dict[str, Any], limit: int) -> dict[str, Any]:
    out = {key: value for key, value in run.items() if key not in PAYLOAD_TEXT_FIELDS and key != "events"}
    for key in PAYLOAD_TEXT_FIELDS:
        if key in run:
            out[key] = _bounded(run[key], limit)
    if run.get("error") and len(run["error"]) > limit:
        out["error"] = run["error"][:limit] + f"… [truncated by nbtrace: {len(run['error']):,} characters in all]"
    # start/end/error only repeat the run's times, and tokens are in its outputs
    out["events"] = [e for e in run.get("events") or [] if e.get("name") not in ("new_token", "start", "end", "error")]
    return out


def build_snapshot(
    runs: list[dict[str, Any]],
    *,
    final: bool,
    field_limit: int | None = None,
    max_runs: int = DEFAULT_MAX_RUNS,
) -> dict[str, Any]:
    kept = runs[:max_runs]
    if field_limit is None:
        field_limit = field_limit_for(len(kept))
    sessions: list[str] = []
    for run in runs:
        if run.get("parent_run_id") is None and run["session_name"] not in sessions:
            sessions.append(run["session_name"])
    return {
        "protocol": PROTOCOL_VERSION,
        "kind": "snapshot",
        "final": final,
        "created": now_iso(),
        "sessions": sessions,
        "run_count": len(runs),
        "omitted_runs": len(runs) - len(kept),
        "field_limit": field_limit,
        "runs": [snapshot_run(run, field_limit) for run in kept],
    }
