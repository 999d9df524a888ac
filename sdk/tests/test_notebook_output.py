"""Traces live in the notebook: a bounded snapshot, static HTML for nbconvert, updated when the cell ends."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from html.parser import HTMLParser

import nbformat
import pytest

from nbtrace.output.bundle import WIDGET_MIME_TYPE, trace_bundle
from nbtrace.output.snapshot import MIME_TYPE
from nbtrace.pipeline.serialize import encode_json

from .records import run_record

XSS_NAME = '<img src=x onerror="window.__pwned=1"><script>window.__pwned=2</script>'


def trace_of(size: int, payload_chars: int = 0) -> list[dict]:
    root = run_record(name="agent")
    runs = [root]
    for i in range(size - 1):
        run = run_record(parent=root, name=f"step_{i}", run_type="llm" if i % 3 == 0 else "tool", tokens=12)
        run["inputs"] = {"prompt": "x" * payload_chars}
        runs.append(run)
    return runs


def test_the_bundle_offers_widget_snapshot_html_and_text() -> None:
    runs = trace_of(3)
    bundle = trace_bundle("model-1", runs, final=True)
    assert list(bundle) == [WIDGET_MIME_TYPE, MIME_TYPE, "text/html", "text/plain"]
    assert bundle[MIME_TYPE]["final"] is True and bundle[MIME_TYPE]["run_count"] == 3
    assert "agent" in bundle["text/plain"] and "3 runs" in bundle["text/plain"]


def test_the_snapshot_validates_against_the_protocol(protocol_validator) -> None:
    runs = trace_of(5, payload_chars=50_000)
    protocol_validator.validate(trace_bundle(None, runs, final=False)[MIME_TYPE])


def test_a_1000_run_trace_stays_small_and_its_payloads_are_cut_with_a_marker() -> None:
    runs = trace_of(1_000, payload_chars=20_000)
    bundle = trace_bundle("m", runs, final=True)
    size = len(json.dumps(bundle))
    per_run = size / 1_000
    assert per_run < 2_000, per_run  # the cell's 1 MB payload budget shared by 1,000 runs, plus their own fields
    cut = bundle[MIME_TYPE]["runs"][1]["inputs"]
    assert cut["__nbtrace__"] == "truncated" and cut["size"] > 20_000
    few = trace_bundle("m", trace_of(10, payload_chars=3_000), final=True)
    assert few[MIME_TYPE]["runs"][1]["inputs"] == {"prompt": "x" * 3_000}  # small traces keep payloads whole


@pytest.mark.parametrize("payload_chars", [3_000, 20_000], ids=["kept whole", "cut with a marker"])
def test_a_snapshot_from_the_stored_text_equals_the_snapshot_from_the_data(payload_chars) -> None:
    runs = trace_of(50, payload_chars=payload_chars)
    as_stored = [
        {key: encode_json(value) if key in ("inputs", "outputs", "extra") and value is not None else value
         for key, value in run.items()}
        for run in runs
    ]
    from_data, from_text = (trace_bundle(None, r, final=True)[MIME_TYPE] for r in (runs, as_stored))
    from_data.pop("created"), from_text.pop("created")
    assert from_text == from_data


def test_past_max_runs_only_a_count_is_kept() -> None:
    bundle = trace_bundle("m", trace_of(30), final=True, max_runs=10)
    assert bundle[MIME_TYPE]["run_count"] == 30 and bundle[MIME_TYPE]["omitted_runs"] == 20
    assert len(bundle[MIME_TYPE]["runs"]) == 10


def test_static_html_escapes_everything_and_has_no_script() -> None:
    root = run_record(name=XSS_NAME, error=f"ValueError('{XSS_NAME}')")
    html = trace_bundle(None, [root, run_record(parent=root, name="child")], final=True)["text/html"]
    assert "<script" not in html and "<img" not in html
    assert "&lt;img src=x onerror=" in html and "<details>" in html and "<summary>" in html


class _Rows(HTMLParser):
    """Each run's row (its <li>) of the static HTML as its texts, and the colours it is drawn in."""

    def __init__(self) -> None:
        super().__init__()
        self.rows: list[list[str]] = []
        self.colours: list[list[str]] = []
        self.styles = 0

    def handle_starttag(self, tag: str, attrs: list) -> None:
        style = dict(attrs).get("style")
        self.styles += style is not None
        if tag == "li":
            self.rows.append([])
            self.colours.append([])
        if style and "color:" in style and self.rows:
            self.colours[-1].append(style.split("color:")[1].split(";")[0])

    def handle_data(self, data: str) -> None:
        if self.rows and data.strip():
            self.rows[-1].append(data.strip())


def test_static_html_rows_read_name_type_status_and_latency_with_failures_in_red() -> None:
    root = run_record(name="agent")
    failed = run_record(parent=root, name="lookup", run_type="tool", error="KeyError: 'city'\nTraceback ...")
    running = run_record(parent=root, name="answer", run_type="llm", end=None)
    parser = _Rows()
    parser.feed(trace_bundle(None, [root, failed, running], final=False)["text/html"])
    rows = {row[0]: (row, colours) for row, colours in zip(parser.rows, parser.colours)}
    assert rows["agent"][0] == ["agent", "chain", "ok", "1.00 s"] and rows["agent"][1] == []
    assert rows["lookup"][0] == ["lookup", "tool", "error", "1.00 s", "KeyError: 'city'"]
    assert rows["lookup"][1] == ["#cf222e", "#cf222e"]  # the status and the error's first line
    assert rows["answer"][0][:3] == ["answer", "llm", "running"] and rows["answer"][1] == ["#9a6700"]


def test_static_html_of_finished_runs_has_no_style_per_row() -> None:
    # JupyterLab's table of contents sanitizes this HTML whenever the cell's outputs change and
    # when the notebook opens, and its sanitizer parses every style attribute: keep them per list.
    runs = trace_of(300)
    parser = _Rows()
    parser.feed(trace_bundle(None, runs, final=True)["text/html"])
    assert len(parser.rows) == 300
    assert parser.styles <= 5, parser.styles


def test_a_deep_trace_renders_without_recursion() -> None:
    runs = [run_record(name="level_0")]
    for level in range(1, 3_000):
        runs.append(run_record(parent=runs[-1], name=f"level_{level}"))
    html = trace_bundle(None, runs, final=True)["text/html"]
    assert html.count("<details>") == html.count("</details>")


EXAMPLE_CELLS = [
    "import nbtrace\nnbtrace.enable()\nfrom langchain_core.runnables import RunnableLambda",
    f"RunnableLambda(str.upper, name={XSS_NAME!r}).invoke('a')",
    "(RunnableLambda(str.upper, name='outer_step') | RunnableLambda(str.lower, name='inner_step')).with_config(run_name='saved_chain').invoke('B')",
]


@pytest.fixture(scope="module")
def executed_notebook(tmp_path_factory):
    folder = tmp_path_factory.mktemp("nb")
    path = folder / "traced.ipynb"
    nb = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell(src) for src in EXAMPLE_CELLS])
    nbformat.write(nb, path)
    env = dict(os.environ, NBTRACE_DB=str(folder / "store.sqlite"))
    subprocess.run(
        [sys.executable, "-m", "jupyter", "nbconvert", "--to", "notebook", "--execute", "--inplace", str(path)],
        env=env, check=True, capture_output=True, timeout=180,
    )
    return path


def test_an_executed_notebook_holds_a_final_snapshot_under_each_traced_cell(executed_notebook) -> None:
    nb = nbformat.read(executed_notebook, as_version=4)
    outputs = [[o for o in cell.outputs if o.get("output_type") == "display_data"] for cell in nb.cells]
    assert outputs[0] == []
    for index, names in ((1, {XSS_NAME}), (2, {"saved_chain", "outer_step", "inner_step"})):
        (output,) = outputs[index]
        snapshot = output["data"][MIME_TYPE]
        assert snapshot["final"] is True
        assert {run["name"] for run in snapshot["runs"]} == names
        # settled: the saved output is the snapshot (with its HTML), not the widget
        assert WIDGET_MIME_TYPE not in output["data"] and output["data"]["text/html"].startswith("<div")


def test_nbconvert_html_shows_the_tree_as_escaped_text(executed_notebook, tmp_path) -> None:
    subprocess.run(
        [sys.executable, "-m", "jupyter", "nbconvert", "--to", "html", str(executed_notebook), "--output-dir", str(tmp_path)],
        check=True, capture_output=True, timeout=120,
    )
    html = (tmp_path / "traced.html").read_text()
    assert "saved_chain" in html and "outer_step" in html and "inner_step" in html
    assert "&lt;img src=x onerror=" in html
    assert '<img src=x onerror="window.__pwned=1">' not in html
    assert "<script>window.__pwned" not in html
    assert "nbtrace-static" in html
