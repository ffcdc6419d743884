"""The report as a person sees it: opened from disk in headless Chromium (Playwright)."""

from __future__ import annotations

import re

import pandas as pd
import pytest
from report_fixtures import enriched, seed_frame

from socialscan.report import render_report

pytestmark = pytest.mark.browser


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


# --- The report as a person sees it: layout measured in the page -------------------------------

#: Per drawn figure, boxes that must not overlap (toolbar, legend, axis titles, tick labels, bar
#: value labels, bars, the plot area) and texts that must not be cut off by the figure's edge.
FIGURE_FAULTS = """() => {
  const faults = [];
  const box = (e) => e.getBoundingClientRect();
  const seen = (b) => b.width > 0.5 && b.height > 0.5;
  const meet = (a, b) => a.left < b.right - 1 && b.left < a.right - 1 &&
                         a.top < b.bottom - 1 && b.top < a.bottom - 1;
  const all = (gd, sel) => Array.from(gd.querySelectorAll(sel)).map(box).filter(seen);
  const at = (b) => [b.left, b.top, b.right, b.bottom].map(Math.round).join(",");
  let figures = 0, toolbars = 0;
  document.querySelectorAll(".js-plotly-plot").forEach((gd) => {
    figures += 1;
    const fig = box(gd);
    const parts = {
      "plot area": all(gd, ".nsewdrag"),
      "legend": all(gd, ".legend .bg"),
      "axis title": all(gd, ".g-xtitle text, .g-ytitle text"),
      "tick label": all(gd, ".xtick text, .ytick text"),
      "value label": all(gd, ".bartext"),
      "bar": all(gd, ".bars .point path"),
      // its box whether shown (hover, touch screens) or not yet
      "toolbar": all(gd, ".modebar"),
    };
    toolbars += parts["toolbar"].length;
    [
      ["toolbar", "plot area"], ["toolbar", "legend"], ["toolbar", "value label"],
      ["toolbar", "bar"], ["toolbar", "axis title"], ["toolbar", "tick label"],
      ["legend", "axis title"], ["legend", "tick label"], ["legend", "plot area"],
      ["legend", "value label"], ["axis title", "tick label"], ["value label", "tick label"],
    ].forEach(([a, b]) => parts[a].forEach((x) => parts[b].forEach((y) => {
      if (meet(x, y)) faults.push(`${gd.id}: ${a} ${at(x)} overlaps ${b} ${at(y)}`);
    })));
    ["legend", "axis title", "tick label", "value label"].forEach((k) => parts[k].forEach((b) => {
      if (b.left < fig.left - 1 || b.right > fig.right + 1 || b.top < fig.top - 1 ||
          b.bottom > fig.bottom + 1) faults.push(`${gd.id}: ${k} ${at(b)} is cut by ${at(fig)}`);
    }));
    const bar = gd.querySelector(".legend .scrollbar");
    if (bar && seen(box(bar))) faults.push(`${gd.id}: its legend scrolls`);
  });
  return {faults, figures, toolbars};
}"""

#: Chips (labels, topics, kinds, terms) that reach past their table cell, card or the explorer.
CHIP_FAULTS = """() => {
  const faults = [];
  const box = (e) => e.getBoundingClientRect();
  document.querySelectorAll(".chip").forEach((c) => {
    const b = box(c);
    if (!b.width) return;
    for (const sel of ["td", ".card", "#explorer"]) {
      const edge = c.closest(sel);
      if (edge && (b.right > box(edge).right + 0.5 || b.left < box(edge).left - 0.5))
        faults.push(`${c.textContent} ends at ${Math.round(b.right)}, past its ${sel} ` +
                    `(${Math.round(box(edge).right)})`);
    }
  });
  return {faults, chips: document.querySelectorAll("#explorer .chip").length};
}"""

#: Words broken across lines in table cells although a line could hold them. A word here is a
#: run of letters or digits, so a break after a hyphen is allowed, and so is a word wider than
#: its cell in a fixed-layout table (the explorer) or wider than the whole table in an
#: auto-layout one; "chatg|pt" in a column squeezed to 56 px is not.
WORD_BREAKS = """() => {
  const faults = [];
  let words = 0;
  document.querySelectorAll("table td").forEach((td) => {
    const style = getComputedStyle(td), table = td.closest("table");
    const room = getComputedStyle(table).tableLayout === "fixed"
      ? td.clientWidth - parseFloat(style.paddingLeft) - parseFloat(style.paddingRight)
      : table.clientWidth;
    const walk = document.createTreeWalker(td, NodeFilter.SHOW_TEXT);
    for (let n = walk.nextNode(); n; n = walk.nextNode()) {
      for (const m of n.data.matchAll(/[\\p{L}\\p{N}]+/gu)) {
        words += 1;
        const r = document.createRange();
        r.setStart(n, m.index);
        r.setEnd(n, m.index + m[0].length);
        const rects = Array.from(r.getClientRects()).filter((x) => x.width > 0);
        const lines = new Set(rects.map((x) => Math.round(x.top)));
        const width = rects.reduce((s, x) => s + x.width, 0);
        if (lines.size > 1 && width <= room)
          faults.push(`"${m[0]}" breaks over ${lines.size} lines where ${Math.round(room)} px could hold it`);
      }
    }
  });
  return {faults, words};
}"""

WIDTHS = (1280, 900, 760)  # two columns of cards; two narrow ones; one column


def _open(browser, path, width: int) -> Visit:
    v = Visit.__new__(Visit)
    v.errors, v.requests, v.dialogs = [], [], []
    v.page = browser.new_page(viewport={"width": width, "height": 900})
    v.page.on("pageerror", lambda e: v.errors.append(str(e)))
    v.url = path.resolve().as_uri()
    v.page.goto(v.url)
    v.page.wait_for_selector("#explorer[data-ready]", state="attached", timeout=60_000)
    v.page.wait_for_selector("body[data-figures=drawn]", state="attached", timeout=60_000)
    v.page.wait_for_timeout(100)  # a legend that wrapped onto more lines grows its figure
    return v


@pytest.fixture(scope="module")
def seed_report(tmp_path_factory, seed_path):
    """The report a new user gets first: ``socialscan scan corpora/seed_dump.txt --report``."""
    import socialscan

    out = tmp_path_factory.mktemp("seed") / "seed.html"
    result = socialscan.scan(seed_path, report=out)
    return result.frame, out


@pytest.fixture(scope="module")
def tweets_report(tmp_path_factory, shared_data):
    """``socialscan report chatgpt-tweets/Oceania.csv``: 315 real posts, dates, 5 topics."""
    import socialscan

    out = tmp_path_factory.mktemp("tweets") / "oceania.html"
    result = socialscan.scan(shared_data / "chatgpt-tweets" / "Oceania.csv", report=out)
    return result.frame, out


@pytest.fixture(scope="module")
def long_names_report(tmp_path_factory, seed_path):
    """Hand-made topics with long names and many of them (the shape of a large real corpus)."""
    df, table = enriched(seed_path, n_topics=14)
    words = ["artificialintelligence", "machinelearning", "cybersecurity", "entrepreneurship"]
    table["label"] = [
        "outliers" if t < 0 else ", ".join(words[t % 4 :] + words[: t % 4]) for t in table["topic"]
    ]
    df["created_at"] = pd.date_range("2023-01-01", periods=len(df), freq="7h").strftime(
        "%Y-%m-%dT%H:%M:%SZ"
    )
    out = render_report(df, tmp_path_factory.mktemp("long") / "long.html", topic_table=table)
    return df, out


REPORTS = ("seed_report", "tweets_report", "long_names_report")


@pytest.mark.parametrize("width", WIDTHS)
@pytest.mark.parametrize("report", REPORTS)
def test_figures_keep_toolbar_legends_titles_and_labels_apart(browser, request, report, width):
    _, path = request.getfixturevalue(report)
    v = _open(browser, path, width)
    v.page.hover("#fig-map")  # the toolbar shows on hover (always, on a touch screen)
    found = v.page.evaluate(FIGURE_FAULTS)
    assert found["faults"] == []
    assert found["figures"] >= 6 and found["toolbars"] >= 1, "the figures and the map's toolbar"
    assert v.errors == []
    v.page.close()


@pytest.mark.parametrize("width", WIDTHS)
@pytest.mark.parametrize("report", REPORTS)
def test_chips_stay_inside_their_cells_cards_and_the_explorer(browser, request, report, width):
    _, path = request.getfixturevalue(report)
    v = _open(browser, path, width)
    found = v.page.evaluate(CHIP_FAULTS)
    assert found["faults"] == []
    assert found["chips"] > 20
    v.page.close()


@pytest.mark.parametrize("width", WIDTHS)
@pytest.mark.parametrize("report", REPORTS)
def test_table_cells_never_break_a_word_that_fits(browser, request, report, width):
    _, path = request.getfixturevalue(report)
    v = _open(browser, path, width)
    found = v.page.evaluate(WORD_BREAKS)
    assert found["faults"] == []
    assert found["words"] > 500
    v.page.close()


@pytest.mark.parametrize("width", WIDTHS)
def test_the_privacy_actor_reads_on_one_line(browser, seed_report, width):
    _, path = seed_report
    v = _open(browser, path, width)
    lines = v.page.evaluate(
        """() => Array.from(document.querySelectorAll('#claims table.plain tr'))
             .filter((tr) => tr.cells.length === 3 && tr.cells[0].tagName === 'TD')
             .map((tr) => { const r = document.createRange(); r.selectNodeContents(tr.cells[0]);
                            return [tr.cells[0].textContent,
                                    new Set(Array.from(r.getClientRects()).map(x => x.top)).size]; })"""
    )
    assert ["openai", 1] in [[a.lower(), n] for a, n in lines], lines  # not "open" over "ai"
    v.page.close()


def _map_counts(page) -> dict:
    """Dots the map draws (plotly's count of each trace's points) and the records they hold."""
    return page.evaluate(
        """() => {
          const gd = document.getElementById('fig-map');
          let dots = 0, records = 0;
          gd._fullData.forEach((t) => {
            dots += t._length;
            records += t.customdata.reduce((s, c) => s + c[4], 0);
          });
          return {dots, records, caption: document.querySelector('.map-caption').textContent};
        }"""
    )


@pytest.mark.parametrize("report", REPORTS)
def test_the_map_caption_says_how_many_dots_and_records_it_draws(browser, request, report):
    df, path = request.getfixturevalue(report)
    v = _open(browser, path, 1280)
    seen = _map_counts(v.page)
    said = re.match(r"([\d,]+) dots? for ([\d,]+) records?", seen["caption"])
    assert said, seen["caption"]
    assert int(said[1].replace(",", "")) == seen["dots"]
    assert int(said[2].replace(",", "")) == seen["records"] == len(df)
    # one dot per thread: records that share a thread_id are one post
    threads = (
        df["thread_id"].where(df["thread_id"].notna(), df["id"]) if "thread_id" in df else None
    )
    assert seen["dots"] == (threads.nunique() if threads is not None else len(df))
    v.page.close()


def test_the_seeds_first_thread_is_one_dot_and_one_block_in_the_explorer(browser, seed_report):
    df, path = seed_report
    first = df.index[df["thread_id"] == df["thread_id"].iloc[0]].tolist()
    k = len(first)
    assert k >= 3 and first == list(range(k)), "the seed's first post opens with a thread"
    v = _open(browser, path, 1280)
    page = v.page
    rows = page.locator("#explorer tbody tr")
    assert [rows.nth(i).get_attribute("class") for i in range(k + 1)][:k] == [
        "thread thread-open",
        *["thread thread-cont thread-open"] * (k - 2),
        "thread thread-cont",
    ]
    assert rows.nth(k).get_attribute("class") != "thread thread-cont"  # the next record
    links = page.locator("#explorer tbody tr.thread button.thread-link").all_inner_texts()
    assert links[:k] == [f"thread {j}/{k}" for j in range(1, k + 1)]
    # no rule between a thread's rows; its left rule runs down all of them
    inside = page.evaluate(
        f"""() => Array.from(document.querySelectorAll('#explorer tbody tr')).slice(0, {k})
             .map(r => [getComputedStyle(r.cells[0]).borderBottomColor,
                        getComputedStyle(r.cells[0]).boxShadow])"""
    )
    assert all(b == "rgba(0, 0, 0, 0)" for b, _ in inside[: k - 1])
    assert all("inset" in s for _, s in inside)

    # a line of the thread's second record: its thread link opens the whole thread
    second = df.loc[first[1], "text"].splitlines()[0]
    page.locator("#explorer input[type=search]").fill(second)
    page.wait_for_function("document.querySelectorAll('#explorer tbody tr').length === 1")
    page.click("#explorer tbody button.thread-link")
    assert v.rows() == k
    assert v.count_text().startswith(f"{k} records of one thread")

    point = page.evaluate(
        """() => {
          const gd = document.getElementById('fig-map');
          for (const t of gd.data) for (const c of t.customdata) if (c[3] === 0) {
            gd.emit('plotly_click', {points: [{customdata: c}]}); return c; }
          return null;
        }"""
    )
    assert point[4] == k and f"{k} records" in point[1]  # one dot, its hover says what it holds
    assert v.rows() == k and page.locator("#explorer tbody tr.picked").count() == k
    assert v.count_text().startswith(f"{k} records of one thread, picked on the map")
    assert v.errors == []
    page.close()
