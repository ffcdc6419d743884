"""Report size and load time: the seed corpus and 100,000 real tweets, in headless Chromium.

Baseline (same invocation): a page holding nothing but the inlined plotly.js, which every report
carries once; the ratio says what the report adds on top of the library's own parse time.

    .venv/bin/python bench/bench_report.py [--posts 100000]
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import numpy as np  # noqa: E402
import pandas as pd  # noqa: E402

from bench.common import SHARED, env_line, write_results  # noqa: E402

CHROMIUM = "/usr/bin/chromium"
ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking"]
LABELS = ["finetuning_advice", "product_plug", "privacy_statement", "self_promotion"]


def real_tweets(n: int) -> list[str]:
    """ChatGPT tweets (long, multi-line) first, TweetEval to fill up to ``n``."""
    texts: list[str] = []
    for p in sorted((SHARED / "chatgpt-tweets").glob("*.csv")):
        texts += pd.read_csv(p, usecols=["Tweet"])["Tweet"].dropna().astype(str).tolist()
    for p in sorted(SHARED.glob("tweeteval/**/*_text.txt")):
        texts += p.read_text(encoding="utf-8").splitlines()
        if len(texts) >= n:
            break
    return texts[:n]


def synthetic_frame(n: int, n_topics: int = 40, seed: int = 0) -> pd.DataFrame:
    """Real tweet text with claims and topics columns in the stages' shape (random, not modelled)."""
    import socialscan
    from socialscan.text.entities import extract_links, extract_mentions, leading_handles

    rng = np.random.default_rng(seed)
    texts = real_tweets(n)
    posts = []
    line = 1
    for i, t in enumerate(texts):
        span = t.count("\n") + 1
        kind = "reply" if t.startswith("@") else "post"
        posts.append(
            socialscan.Post(
                id=str(i),
                kind=kind,
                text=t,
                line_start=line,
                line_end=line + span - 1,
                source="bench.txt",
                links=extract_links(t),
                mentions=extract_mentions(t),
                reply_to=leading_handles(t),
            )
        )
        line += span
    df = socialscan.to_frame(posts)
    topics = rng.integers(-1, n_topics, size=n)
    centres = rng.normal(0, 8, size=(n_topics + 1, 2))
    xy = centres[topics + 1] + rng.normal(0, 1, size=(n, 2))
    df["topic"], df["x"], df["y"] = topics, xy[:, 0], xy[:, 1]
    claims, labels = [], []
    for t in df["text"]:
        k = rng.random()
        if k < 0.8:
            claims.append([]), labels.append([])
            continue
        lab = LABELS[int(k * 100) % 4]
        attrs = (
            {"products": ["ChatGPT"]}
            if lab == "product_plug"
            else {"actor": "openai", "polarity": "assurance"}
            if lab == "privacy_statement"
            else {}
        )
        claims.append(
            [
                {
                    "label": lab,
                    "score": float(k),
                    "text": t[:140],
                    "start": 0,
                    "end": 140,
                    "evidence": {"cues": [], "example": "", "similarity": k},
                    "attributes": attrs,
                }
            ]
        )
        labels.append([lab])
    df["claims"], df["labels"] = claims, labels
    df["created_at"] = pd.Timestamp("2023-01-01") + pd.to_timedelta(
        rng.integers(0, 86400 * 60, size=n), unit="s"
    )
    df["created_at"] = df["created_at"].dt.strftime("%Y-%m-%dT%H:%M:%S.000Z")
    table = pd.DataFrame(
        {
            "topic": list(range(-1, n_topics)),
            "size": [int((topics == t).sum()) for t in range(-1, n_topics)],
            "label": [f"{t}_word_other" for t in range(-1, n_topics)],
            "terms": [[f"term{t}_{j}" for j in range(10)] for t in range(-1, n_topics)],
            "representative": [[] for _ in range(-1, n_topics)],
        }
    )
    return df, table


MARKS_JS = """() => {
  const m = Object.fromEntries(performance.getEntriesByType('mark').map(e => [e.name, e.startTime]));
  const nav = performance.getEntriesByType('navigation')[0];
  return {explorer: m['socialscan:explorer'], first: m['socialscan:first-view'],
          figures: m['socialscan:figures'], load: nav.loadEventEnd};
}"""


def load_times(
    browser, path: Path, runs: int = 3, search: str | None = None
) -> tuple[float, float | None, list[str]]:
    """Median seconds from navigation start to the first view (explorer ready and the figures in
    the window drawn), read from the page's own performance marks; ``load_times.figures`` is the
    median to every figure drawn. Pages without marks (the baselines) count to their load event."""
    loads, searches, errors, figures = [], [], [], []
    for _ in range(runs):
        page = browser.new_page(viewport={"width": 1280, "height": 900})
        page.on("pageerror", lambda e: errors.append(str(e)))
        page.goto(path.resolve().as_uri())
        page.wait_for_selector("#explorer[data-ready]", state="attached", timeout=120_000)
        if page.locator("script.fig-data").count():
            page.wait_for_selector("body[data-figures=drawn]", state="attached", timeout=120_000)
        m = page.evaluate(MARKS_JS)
        if m["explorer"] is None:
            loads.append(m["load"] / 1000)
        else:
            loads.append(max(m["explorer"], m["first"] or 0) / 1000)
        if m["figures"] is not None:
            figures.append(m["figures"] / 1000)
        if search:
            before = page.locator("#explorer .count").inner_text()
            t = time.perf_counter()
            page.fill("#explorer input[type=search]", search)
            page.wait_for_function(
                f"document.querySelector('#explorer .count').textContent !== {before!r}",
                timeout=60_000,
            )
            searches.append(time.perf_counter() - t)
        page.close()
    load_times.figures = statistics.median(figures) if figures else None  # type: ignore[attr-defined]
    return statistics.median(loads), (statistics.median(searches) if searches else None), errors


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--posts", type=int, default=100_000)
    args = ap.parse_args()
    import plotly.offline
    from playwright.sync_api import sync_playwright

    from socialscan import scan
    from socialscan.report import render_report

    root = Path(__file__).resolve().parents[1]
    work = Path(tempfile.mkdtemp(prefix="bench_report_"))
    rows = []

    bare = work / "plotly_only.html"
    bare.write_text(
        "<!DOCTYPE html><html><body><script>"
        + plotly.offline.get_plotlyjs()
        + "</script><div id='explorer' data-ready='1'></div></body></html>",
        encoding="utf-8",
    )

    from socialscan.report.scripts import plotly_bundle

    partial = work / "partial_only.html"
    partial.write_text(
        "<!DOCTYPE html><html><body><script>"
        + plotly_bundle(['{"data": [{"type": "bar"}]}'])
        + "</script><div id='explorer' data-ready='1'></div></body></html>",
        encoding="utf-8",
    )

    t = time.perf_counter()
    seed = scan(root / "corpora" / "seed_dump.txt", format="lines", report=work / "seed.html")
    seed_render = seed.timings.get("report", time.perf_counter() - t)

    df, table = synthetic_frame(args.posts)
    t = time.perf_counter()
    big = render_report(df, work / "big.html", topic_table=table, labels=LABELS)
    big_render = time.perf_counter() - t

    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        base, _, _ = load_times(browser, bare)
        part, _, _ = load_times(browser, partial)
        seed_load, seed_search, e1 = load_times(browser, seed.report, search="fine tuning")
        seed_fig = load_times.figures
        big_load, big_search, e2 = load_times(browser, big, search="chatgpt is")
        big_fig = load_times.figures
        browser.close()

    mb = lambda p: p.stat().st_size / 1e6  # noqa: E731
    rows.append(
        (
            "full plotly.js only (baseline)",
            "-",
            f"{mb(bare):.2f}",
            "-",
            f"{base:.2f}",
            "1.00",
            "-",
            "-",
        )
    )
    rows.append(
        (
            "partial plotly.js only (scatter, scattergl, bar: what reports inline)",
            "-",
            f"{mb(partial):.2f}",
            "-",
            f"{part:.2f}",
            f"{part / base:.2f}",
            "-",
            "-",
        )
    )
    rows.append(
        (
            "seed_dump.txt (real claims"
            + (", topics)" if seed.topics is not None else ", no topics stage yet)"),
            f"{len(seed.frame):,}",
            f"{mb(seed.report):.2f}",
            f"{seed_render:.2f}",
            f"{seed_load:.2f}",
            f"{seed_load / base:.2f}",
            f"{seed_fig:.2f}",
            f"{seed_search:.3f}",
        )
    )
    rows.append(
        (
            f"{args.posts:,} real tweets (synthetic claims/topics, 40 topics)",
            f"{len(df):,}",
            f"{mb(big):.2f}",
            f"{big_render:.2f}",
            f"{big_load:.2f}",
            f"{big_load / base:.2f}",
            f"{big_fig:.2f}",
            f"{big_search:.3f}",
        )
    )
    lines = [
        "## Report (bench/bench_report.py)",
        "",
        env_line(),
        "",
        "Load = navigation start to the first view: the post explorer ready (posts decoded, page",
        "answering) and the figures in the 1280x900 window drawn, from the page's own performance",
        "marks (`socialscan:explorer`, `socialscan:first-view`); baselines count to their load event.",
        "Figures s = navigation start to every figure drawn (`socialscan:figures`; the ones out of",
        "view are drawn when the browser is idle, or at once when scrolled to). Median of 3,",
        "headless Chromium (`--disable-gpu`, so WebGL is software). Target: < 15 MB and < 3 s for",
        "100,000 posts.",
        "",
        "| report | records | size MB | render s | load s | load / baseline | figures s | search s |",
        "|---|---|---|---|---|---|---|---|",
        *["| " + " | ".join(r) + " |" for r in rows],
        "",
        f"JavaScript errors: {len(e1) + len(e2)}.",
    ]
    write_results("report", lines)


if __name__ == "__main__":
    main()
