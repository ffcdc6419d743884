"""The label editor as a person uses it: headless Chromium on a report opened from disk.

A person works through the review queue with the keyboard (a new label, ``giveaway``, for the
posts that are one; the model's labels accepted on the others), reloads the page and finds the
labels kept, exports ``labels.jsonl``, trains from the shipped model on it, and tags again: the
posts they corrected now carry the label they gave.

The posts are the training half of ``corpora/giveaway.jsonl`` (real posts, none kept for blind
evaluation), read by pointer from ``../shared/data``; who is a giveaway is that corpus's
reading, standing in for the person's.
"""

from __future__ import annotations

import csv
import json
import time
from pathlib import Path

import pytest
from click.testing import CliRunner

import socialscan
from socialscan.claims import tag_texts
from socialscan.claims.corpus import resolve_pointers, split_of, text_key
from socialscan.cli import main

pytestmark = pytest.mark.browser

ROOT = Path(__file__).resolve().parents[1]
NEW = "giveaway"
#: The export's fields, in order: what ``socialscan train claims`` reads, and where from.
FIELDS = [
    "text",
    "labels",
    "rejected",
    "source",
    "line_start",
    "line_end",
    "post_id",
    "report_id",
    "decided_by",
]


@pytest.fixture(scope="module")
def giveaways(shared_data, tmp_path_factory):
    """A CSV of the corpus's training posts, its report (every post in the review queue) and
    the frame the report shows."""
    from training.claims.sources import reserved_pointers

    rows = [json.loads(line) for line in (ROOT / "corpora" / "giveaway.jsonl").open("rb")]
    rows = [r for r in rows if r["split"] == "train"]
    assert not {r["pointer"] for r in rows} & reserved_pointers(shared_data)
    texts = resolve_pointers([r["pointer"] for r in rows], shared_data)
    folder = tmp_path_factory.mktemp("giveaways")
    posts = folder / "posts.csv"
    with posts.open("w", newline="", encoding="utf-8") as fh:
        w = csv.writer(fh)
        w.writerow(["text"])
        w.writerows([texts[r["pointer"]]] for r in rows)
    truth = {text_key(texts[r["pointer"]]): NEW in r["labels"] for r in rows}
    report = folder / "posts.html"
    result = socialscan.scan(posts, topics=False, report=report, review=len(rows))
    return result.frame, report, truth


class Page:
    """One tab on a report, recording errors, requests and dialogs."""

    def __init__(self, context, path: Path):
        self.errors: list[str] = []
        self.requests: list[str] = []
        self.dialogs: list[str] = []
        self.page = context.new_page()
        self.page.on("pageerror", lambda e: self.errors.append(str(e)))
        self.page.on("console", lambda m: self.errors.append(m.text) if m.type == "error" else None)
        self.page.on("request", lambda r: self.requests.append(r.url))
        self.page.on("dialog", lambda d: (self.dialogs.append(d.message), d.dismiss()))
        self.url = path.resolve().as_uri()
        self.open()

    def open(self) -> None:
        self.page.goto(self.url)
        self.page.wait_for_selector("#explorer[data-ready]", state="attached", timeout=60_000)

    def press(self, *keys: str) -> None:
        for k in keys:
            self.page.keyboard.press(k)

    def current(self) -> int:
        """The frame row of the current post (the one the editor is on)."""
        return int(self.page.get_attribute("#explorer tbody tr.current", "data-row"))

    def label_count(self) -> str:
        return self.page.locator("#explorer .label-count").inner_text()

    def offline(self) -> bool:
        """Nothing but the file itself, inline data and the export's own blob was requested."""
        return all(u == self.url or u.startswith(("data:", "blob:")) for u in self.requests)


def label_queue(tab: Page, df, truth: dict[str, bool], n: int) -> tuple[float, int]:
    """Work through n posts of the review queue as a person would, keyboard only: a giveaway
    gets the new label (``n`` + typing it the first time, its number key after), then ``a``
    accepts the post as shown; a mistake is rejected and undone on the way. Returns the
    seconds it took and the keys pressed."""
    keys = 0
    added = False
    t0 = time.perf_counter()
    for k in range(n):
        i = tab.current()
        if k == 5:  # a slip: reject, undo, go back and forth; the post is unchanged
            tab.press("x", "u", "j", "k")
            keys += 4
            assert tab.current() == i
        if truth[text_key(df["text"].iat[i])]:
            if not added:
                tab.press("n")
                tab.page.keyboard.type(NEW)
                tab.press("Enter")
                keys += 2 + len(NEW)
                added = True
            else:
                tab.press("5")
                keys += 1
        tab.press("a")
        keys += 1
    return time.perf_counter() - t0, keys


@pytest.fixture(scope="module")
def labelled(browser, giveaways, tmp_path_factory):
    """The person's session: the queue labelled by keyboard, the page reloaded, the export."""
    df, report, truth = giveaways
    context = browser.new_context(viewport={"width": 1280, "height": 900}, accept_downloads=True)
    tab = Page(context, report)
    tab.press("r")  # the review queue, its first post current
    queue = tab.page.evaluate("document.querySelectorAll('#explorer tbody tr').length")
    assert queue == 50, "the queue's first page"
    n = int(tab.page.locator("select[name=view] option[value=review]").inner_text()[14:-1])
    seconds, keys = label_queue(tab, df, truth, 100)
    print(f"\nlabelled 100 posts with the keyboard in {seconds:.1f} s ({keys} keys)")
    rest, _ = label_queue(tab, df, truth, n - 100)
    assert tab.label_count() == f"{n} posts labelled (kept in this browser)"
    tab.page.reload()
    tab.page.wait_for_selector("#explorer[data-ready]", state="attached", timeout=60_000)
    kept = tab.label_count()
    with tab.page.expect_download() as download:
        tab.page.click("#explorer button.export")
    out = tmp_path_factory.mktemp("export") / "labels.jsonl"
    download.value.save_as(out)
    yield {"tab": tab, "n": n, "kept": kept, "file": out, "name": download.value.suggested_filename}
    context.close()


def test_labels_are_kept_after_a_reload(labelled, giveaways):
    df, _, truth = giveaways
    tab = labelled["tab"]
    assert labelled["kept"] == f"{labelled['n']} posts labelled (kept in this browser)"
    # the first giveaway in the explorer shows the label the person gave, marked as theirs
    row = next(i for i in range(len(df)) if truth[text_key(df["text"].iat[i])])
    tab.page.fill("#explorer input[type=search]", df["text"].iat[row].split("\n")[0][:60])
    cell = tab.page.locator(f'#explorer tbody tr[data-row="{row}"] td.tags')
    cell.wait_for()
    assert NEW in cell.inner_text() and "labelled" in cell.inner_text()
    assert tab.errors == [] and tab.dialogs == [] and tab.offline(), tab.requests


def test_the_export_is_one_line_per_post_the_person_decided(labelled, giveaways):
    df, _, truth = giveaways
    assert labelled["name"] == "labels.jsonl"
    records = [json.loads(line) for line in labelled["file"].read_text("utf-8").splitlines()]
    assert len(records) == labelled["n"]
    by_id = {pid: i for i, pid in enumerate(df["id"])}
    report_ids = {r["report_id"] for r in records}
    assert len(report_ids) == 1
    stored = labelled["tab"].page.evaluate("Object.keys(localStorage)")
    assert stored == [f"socialscan:labels:{report_ids.pop()}"]
    for r in records:
        assert list(r) == FIELDS and r["decided_by"] == "person"
        i = by_id[r["post_id"]]
        assert r["text"] == df["text"].iat[i]
        assert (r["line_start"], r["line_end"]) == (df["line_start"].iat[i], df["line_end"].iat[i])
        assert r["source"] == df["source"].iat[i]
        assert (NEW in r["labels"]) == truth[text_key(r["text"])]
        # the model's labels were accepted as shown: the person turned none off
        assert set(r["labels"]) - {NEW} == set(df["labels"].iat[i]) and r["rejected"] == []


def test_training_on_the_export_teaches_the_tagger_the_new_label(labelled, tmp_path):
    records = [json.loads(line) for line in labelled["file"].read_text("utf-8").splitlines()]
    corrected = [r["text"] for r in records if NEW in r["labels"]]
    assert len(corrected) >= 30
    assert not any(NEW in [c.label for c in cs] for cs in tag_texts(corrected))
    model = tmp_path / "my-model"
    argv = ["train", "claims", str(labelled["file"]), "--from", "default", "-o", str(model)]
    result = CliRunner().invoke(main, [*argv, "--no-curve"])
    assert result.exit_code == 0, result.output
    seen = [t for t in corrected if split_of(t) == "train"]  # the posts it was trained on
    tagged = tag_texts(seen, model=str(model))
    carry = [NEW in {c.label for c in cs} for cs in tagged]
    print(f"\n{sum(carry)} of {len(seen)} corrected training posts now carry {NEW}")
    assert sum(carry) >= 0.8 * len(seen)


def test_clear_takes_two_clicks_and_empties_the_store(browser, giveaways):
    _, report, _ = giveaways
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    tab = Page(context, report)
    tab.press("j", "1", "a", "x")
    assert tab.label_count() == "2 posts labelled (kept in this browser)"
    clear = tab.page.locator("#explorer button.clear")
    clear.click()
    assert clear.inner_text() == "Clear 2 labels? Click again"
    assert tab.label_count().startswith("2 posts")
    clear.click()
    assert tab.label_count() == "No posts labelled yet."
    assert tab.page.locator("#explorer button.export").is_disabled()
    tab.open()
    assert tab.label_count() == "No posts labelled yet."
    assert tab.dialogs == [] and tab.errors == []
    context.close()


def test_hostile_posts_and_labels_stay_text(browser, seed_path, tmp_path):
    from report_fixtures import seed_frame

    df = socialscan.tag_frame(seed_frame(seed_path))
    path = socialscan.render_report(df, tmp_path / "hostile.html", review=5)
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    tab = Page(context, path)
    tab.page.fill("#explorer input[type=search]", "onerror")
    tab.page.wait_for_function("document.querySelectorAll('#explorer tbody tr').length === 1")
    tab.page.locator("#explorer tbody td.text").click()  # the editor on the hostile post
    tab.press("n")
    tab.page.keyboard.type('<img src=x onerror="window.__xss=9">')
    tab.press("Enter")
    tags = tab.page.locator("#explorer tbody tr.current td.tags").inner_text()
    assert "img_srcx_onerrorwindow__xss9" in tags
    assert tab.page.locator("#explorer tbody img").count() == 0
    assert tab.page.evaluate("typeof window.__xss") == "undefined" and tab.dialogs == []
    assert tab.errors == [] and tab.offline()
    context.close()


def test_a_screenshot_of_the_editor(browser, giveaways, tmp_path):
    """The README's picture (docs/label-editor.png is made by docs/make_label_editor_screenshot.py)."""
    _, report, _ = giveaways
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    tab = Page(context, report)
    tab.press("r", "j", "1")
    shot = tmp_path / "editor.png"
    tab.page.locator("#explorer tbody tr.current").screenshot(path=str(shot))
    data = shot.read_bytes()
    assert data[:8] == b"\x89PNG\r\n\x1a\n" and len(data) > 5_000
    context.close()
