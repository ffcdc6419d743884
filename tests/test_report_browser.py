"""The report as a person sees it: opened from disk in headless Chromium (Playwright)."""

from __future__ import annotations

import pytest
from test_report_fixtures import enriched, seed_frame

from socialscan.report import render_report

pytestmark = pytest.mark.browser

CHROMIUM = "/usr/bin/chromium"
ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking"]


@pytest.fixture(scope="module")
def browser():
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        yield b
        b.close()


class Visit:
    """A page opened on a report, recording errors, requests and dialogs."""

    def __init__(self, browser, path):
        self.errors: list[str] = []
        self.requests: list[str] = []
        self.dialogs: list[str] = []
        self.page = browser.new_page(viewport={"width": 1280, "height": 900})
        self.page.on("pageerror", lambda e: self.errors.append(str(e)))
        self.page.on("console", lambda m: self.errors.append(m.text) if m.type == "error" else None)
        self.page.on("request", lambda r: self.requests.append(r.url))
        self.page.on("dialog", lambda d: (self.dialogs.append(d.message), d.dismiss()))
        self.url = path.resolve().as_uri()
        self.page.goto(self.url)
        self.page.wait_for_selector("#explorer[data-ready]", state="attached", timeout=30_000)
        self.page.wait_for_selector("body[data-figures=drawn]", state="attached", timeout=30_000)

    def rows(self) -> int:
        return self.page.locator("#explorer tbody tr").count()

    def count_text(self) -> str:
        return self.page.locator("#explorer .count").inner_text()


@pytest.fixture(scope="module")
def seed_visit(browser, seed_path, tmp_path_factory):
    df, table = enriched(seed_path)
    path = render_report(df, tmp_path_factory.mktemp("b") / "seed.html", topic_table=table)
    v = Visit(browser, path)
    yield df, v
    v.page.close()


def test_loads_without_errors_or_network(seed_visit):
    _, v = seed_visit
    assert v.errors == []
    assert all(u == v.url or u.startswith("data:") for u in v.requests), v.requests


def test_every_figure_is_drawn(seed_visit):
    _, v = seed_visit
    expected = v.page.locator("script.fig-data").count()
    assert expected == 9
    assert v.page.locator(".js-plotly-plot").count() == expected
    assert v.page.locator("#fig-map .gl-container, #fig-map canvas").count() >= 1  # WebGL scatter


def test_hostile_posts_show_as_text_and_never_run(seed_visit):
    _, v = seed_visit
    assert v.page.evaluate("typeof window.__xss") == "undefined"
    assert v.dialogs == []
    v.page.fill("#explorer input[type=search]", "onerror")
    v.page.wait_for_function("document.querySelectorAll('#explorer tbody tr').length === 1")
    cell = v.page.locator("#explorer tbody td.text").first
    assert '<img src=x onerror="window.__xss = 2; alert(2)">' in cell.inner_text()
    assert v.page.locator("#explorer tbody img").count() == 0
    assert v.page.evaluate("typeof window.__xss") == "undefined" and v.dialogs == []


def test_explorer_searches_and_filters(seed_visit):
    df, v = seed_visit
    page = v.page
    search = page.locator("#explorer input[type=search]")
    search.fill("")
    page.wait_for_function(
        f"document.querySelector('#explorer .count').textContent.startsWith('{len(df)} of')"
    )
    assert v.rows() == min(50, len(df))

    search.fill("fine TUNING")
    expected = sum(("fine" in t.lower() and "tuning" in t.lower()) for t in df["text"])
    page.wait_for_function(
        f"document.querySelector('#explorer .count').textContent.startsWith('{expected} of')"
    )
    assert v.rows() == expected

    search.fill("")
    page.select_option("#explorer select[name=label]", label="advice")
    want = sum("advice" in labs for labs in df["labels"])
    assert v.count_text().startswith(f"{want} of") and v.rows() == want

    page.select_option("#explorer select[name=kind]", label="reply")
    want = sum(
        ("advice" in labs) and k == "reply"
        for labs, k in zip(df["labels"], df["kind"], strict=True)
    )
    assert v.count_text().startswith(f"{want} of")

    page.select_option("#explorer select[name=label]", value="")
    page.select_option("#explorer select[name=kind]", value="")
    page.locator("button[data-filter-topic='1']").click()
    assert v.count_text().startswith(f"{int((df['topic'] == 1).sum())} of")
    assert v.errors == []


def test_a_dot_on_the_map_opens_its_post_in_the_explorer(seed_visit):
    df, v = seed_visit
    page = v.page
    row = int(df.index[df["text"].str.contains("CloudSurfer")][0])
    point = page.evaluate(
        """(row) => {
          const gd = document.getElementById('fig-map');
          for (const trace of gd.data) {
            const k = trace.customdata.findIndex(c => c[3] === row);
            if (k >= 0) { gd.emit('plotly_click', {points: [{customdata: trace.customdata[k]}]});
                          return trace.customdata[k]; }
          }
          return null;
        }""",
        row,
    )
    assert point is not None, "every record of the seed is on the map"
    assert v.rows() == 1
    assert "CloudSurfer" in page.locator("#explorer tbody tr.picked td.text").inner_text()
    assert v.count_text().startswith("1 record, picked on the map")
    page.select_option("#explorer select[name=kind]", value="")
    page.dispatch_event("#explorer select[name=kind]", "change")
    assert v.count_text().startswith(f"{len(df)} of")
    assert v.errors == []


def test_explorer_pages_large_inputs(browser, tmp_path):
    df = many_posts(120)
    v = Visit(browser, render_report(df, tmp_path / "many.html"))
    assert v.rows() == 50
    assert "page 1 of 3" in v.page.locator("#explorer .page-info").inner_text()
    v.page.click("#explorer button.next")
    v.page.click("#explorer button.next")
    assert v.rows() == 20 and v.page.locator("#explorer button.next").is_disabled()
    assert v.errors == []
    v.page.close()


def many_posts(n: int):
    import socialscan

    return socialscan.to_frame(
        socialscan.parse(
            "\n".join(f"post number {i} about things" for i in range(n)), format="lines"
        )
    )


def test_report_without_stages_works_in_the_browser(browser, seed_path, tmp_path):
    v = Visit(browser, render_report(seed_frame(seed_path), tmp_path / "plain.html"))
    assert v.errors == []
    assert v.page.locator(".js-plotly-plot").count() == 4
    assert v.page.locator("#explorer select[name=label]").is_disabled()
    assert v.page.get_by_text("Claims were not tagged").is_visible()
    v.page.close()


def test_screenshot(seed_visit, tmp_path):
    _, v = seed_visit
    shot = tmp_path / "report.png"
    v.page.screenshot(path=str(shot), full_page=False)
    data = shot.read_bytes()
    assert data[:8] == b"\x89PNG\r\n\x1a\n" and len(data) > 20_000
