"""The MIME bundle of a cell's trace output: live widget, saved snapshot, static HTML, text."""

from __future__ import annotations

from typing import Any

from .snapshot import DEFAULT_MAX_RUNS, MIME_TYPE, build_snapshot
from .static_html import render_html
from .summary import text_summary

WIDGET_MIME_TYPE = "application/vnd.jupyter.widget-view+json"


def trace_bundle(
    model_id: str | None,
    runs: list[dict[str, Any]],
    *,
    final: bool,
    total_runs: int | None = None,
    field_limit: int | None = None,
    max_runs: int = DEFAULT_MAX_RUNS,
) -> dict[str, Any]:
    """Renderers pick, in order: the live widget (while its model exists), nbtrace's snapshot
    (JupyterLab with nbtrace, e.g. a reopened notebook), static HTML, plain text."""
    snapshot = build_snapshot(runs, final=final, field_limit=field_limit, max_runs=max_runs)
    if total_runs is not None and total_runs > len(runs):
        snapshot["run_count"] = total_runs
        snapshot["omitted_runs"] = total_runs - len(snapshot["runs"])
    bundle: dict[str, Any] = {}
    if model_id is not None:
        bundle[WIDGET_MIME_TYPE] = {"version_major": 2, "version_minor": 0, "model_id": model_id}
    bundle[MIME_TYPE] = snapshot
    bundle["text/html"] = render_html(runs, total_runs=snapshot["run_count"])
    bundle["text/plain"] = text_summary(runs)
    return bundle
