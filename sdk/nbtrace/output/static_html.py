"""The trace as plain HTML, for places without the nbtrace extension (nbconvert, notebook viewers).

Nested <details>/<summary> lists that expand without JavaScript; inline styles only,
and few of them: JupyterLab's table of contents sanitizes every HTML output of a cell
each time its outputs change (and at a notebook's opening), and its sanitizer parses
each style attribute, so a finished run's row has none (bench/notebook_size.py times
it). Every piece of run content escaped. No script, ever.
"""

from __future__ import annotations

from html import escape
from typing import Any

from .summary import children_index, latency, status

MAX_HTML_RUNS = 300  # a readable fallback, not a copy: the snapshot beside it holds every run
_STATUS_COLOR = {"error": "#cf222e", "running": "#9a6700"}
_BOX = "font-family:system-ui,sans-serif;font-size:13px;line-height:1.5;border:1px solid #d0d7de;border-radius:6px;padding:6px 10px;"
_LIST = "list-style:none;margin:0;padding-left:18px;"


def _row(run: dict[str, Any]) -> str:
    state = status(run)
    tokens = f" · {run['total_tokens']:,} tokens" if run.get("run_type") == "llm" and run.get("total_tokens") else ""
    error = ""
    if run.get("error"):
        first_line = run["error"].splitlines()[0][:300]
        error = f'<div style="color:{_STATUS_COLOR["error"]};font-family:monospace;white-space:pre-wrap">{escape(first_line)}</div>'
    shown_state = state if state == "ok" else f'<span style="color:{_STATUS_COLOR[state]}">{state}</span>'
    return (
        f'<b>{escape(run["name"])}</b> <small>{escape(run["run_type"])}</small> {shown_state} '
        f"<small>{escape(latency(run))}{escape(tokens)}</small>{error}"
    )


def render_html(runs: list[dict[str, Any]], *, total_runs: int | None = None) -> str:
    shown = runs[:MAX_HTML_RUNS]
    roots, children = children_index(shown)
    sessions = sorted({r["session_name"] for r in roots})
    total = total_runs if total_runs is not None else len(runs)
    header = f"nbtrace · session: {', '.join(sessions) or 'default'} · {total:,} runs"

    parts = [f'<div class="nbtrace-static" style="{_BOX}"><div style="color:#57606a">{escape(header)}</div>']
    stack: list[tuple[dict[str, Any], int]] = [(root, 0) for root in reversed(roots)]
    # iterative pre-order walk: deep traces must not hit Python's recursion limit
    open_lists = 0
    parts.append(f'<ul style="{_LIST}padding-left:0">')
    closers: list[int] = []
    while stack:
        run, depth = stack.pop()
        while closers and closers[-1] >= depth + 1:
            parts.append("</ul></details></li>")
            closers.pop()
            open_lists -= 1
        kids = children.get(run["id"], [])
        if kids:
            parts.append(f"<li><details><summary>{_row(run)}</summary><ul style=\"{_LIST}\">")
            closers.append(depth + 1)
            open_lists += 1
            stack.extend((kid, depth + 1) for kid in reversed(kids))
        else:
            parts.append(f"<li>{_row(run)}</li>")
    parts.extend("</ul></details></li>" for _ in range(open_lists))
    parts.append("</ul>")
    if total > len(shown):
        parts.append(
            f'<div style="color:#57606a">… and {total - len(shown):,} more runs: open the notebook in '
            "JupyterLab with nbtrace to see them all</div>"
        )
    parts.append("</div>")
    return "".join(parts)
