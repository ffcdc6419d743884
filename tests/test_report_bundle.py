"""Which plotly.js a report inlines: the small partial bundle when it can draw every figure."""

from __future__ import annotations

import re

import plotly.offline
import pytest
from report_fixtures import enriched

from socialscan.report import render_report
from socialscan.report.scripts import PARTIAL_BUNDLE_TRACES, plotly_bundle

FULL = plotly.offline.get_plotlyjs()
PARTIAL_MARK = "partial bundle for socialscan"


def test_partial_bundle_matches_the_installed_plotly_version():
    partial = plotly_bundle(['{"data": [{"type": "bar"}, {"type": "scattergl"}, {}]}'])
    assert PARTIAL_MARK in partial[:200]
    version = re.search(r"plotly\.js v([\d.]+)", FULL[:400]).group(1)
    assert f"plotly.js v{version} " in partial[:200]
    assert len(partial) < len(FULL) / 2


def test_a_trace_type_outside_the_bundle_gets_the_full_library():
    assert plotly_bundle(['{"data": [{"type": "bar"}]}', '{"data": [{"type": "pie"}]}']) == FULL


def test_axis_types_in_the_layout_do_not_count_as_traces():
    fig = '{"data": [{"type": "bar"}], "layout": {"xaxis": {"type": "date"}}}'
    assert PARTIAL_MARK in plotly_bundle([fig])[:200]


def test_a_different_plotly_version_gets_the_full_library(monkeypatch):
    other = "/** plotly.js v0.0.1 */ var Plotly = {};"
    monkeypatch.setattr(plotly.offline, "get_plotlyjs", lambda: other)
    monkeypatch.setattr(plotly.offline, "get_plotlyjs_version", lambda: "0.0.1")
    assert plotly_bundle(['{"data": [{"type": "bar"}]}']) == other


def test_report_inlines_the_partial_bundle_once(seed_path, tmp_path):
    df, table = enriched(seed_path)
    out = render_report(df, tmp_path / "seed.html", topic_table=table)
    html = out.read_text(encoding="utf-8")
    assert html.count(PARTIAL_MARK) == 1
    assert "plotly.js v" in html and FULL[:2000] not in html
    assert out.stat().st_size < 2_500_000


@pytest.mark.browser
def test_partial_bundle_registers_exactly_the_traces_it_claims(tmp_path):
    from playwright.sync_api import sync_playwright

    page_path = tmp_path / "bundle.html"
    page_path.write_text(
        "<!doctype html><html><body><script>"
        + plotly_bundle(['{"data": []}'])
        + "</script></body></html>",
        encoding="utf-8",
    )
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path="/usr/bin/chromium", args=["--no-sandbox"])
        page = browser.new_page()
        errors: list[str] = []
        page.on("pageerror", lambda e: errors.append(str(e)))
        page.goto(page_path.resolve().as_uri())
        traces = set(page.evaluate("Object.keys(Plotly.PlotSchema.get().traces)"))
        browser.close()
    assert not errors
    assert traces >= PARTIAL_BUNDLE_TRACES
    assert "pie" not in traces and "scatter3d" not in traces
