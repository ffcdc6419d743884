"""The HTML report, read as a file: self-contained, escaped, and complete whatever the stages gave."""

from __future__ import annotations

import base64
import gzip
import json
import re

import pandas as pd
import pytest
from report_fixtures import XSS_POSTS, add_claims, add_topics, enriched, seed_frame

import socialscan
from socialscan.errors import UnwritableOutput
from socialscan.records import ANALYSED_CHARS
from socialscan.report import figures, render_report
from socialscan.report.colors import label_colors, topic_color
from socialscan.report.render import FIGURES, map_caption, topic_name
from socialscan.report.scripts import script_json
from socialscan.results import StageResult, summarize
from socialscan.text.entities import decode_entities


def explorer_data(html: str) -> dict:
    """Decode the explorer's embedded posts the way the page does."""
    m = re.search(r'<script type="application/octet-stream" id="posts-data">([^<]*)</script>', html)
    assert m, "no explorer data"
    return json.loads(gzip.decompress(base64.b64decode(m.group(1))))


def figure_specs(html: str) -> dict[str, dict]:
    found = re.findall(
        r'<script type="application/json" class="fig-data" data-target="fig-(\w+)">(.*?)</script>',
        html,
        re.S,
    )
    return {name: json.loads(body) for name, body in found}


@pytest.fixture(scope="module")
def full_report(tmp_path_factory, seed_path):
    df, table = enriched(seed_path)
    out = render_report(
        df, tmp_path_factory.mktemp("r") / "seed.html", topic_table=table, labels=["advice", "tip"]
    )
    return df, out.read_text(encoding="utf-8")


def test_plotly_is_inlined_once_and_nothing_is_fetched(full_report):
    _, html = full_report
    assert html.count("plotly.js v") >= 1
    assert len(html) < 6_000_000, "plotly.js (~4.8 MB) must appear once, not once per figure"
    assert "cdn.plot.ly" not in html.split("<script>window.PlotlyConfig")[0]
    assert not re.search(r"<(script|link|img|iframe)[^>]+(src|href)=[\"']?(https?:)?//", html, re.I)
    assert "@import" not in html and "@font-face" not in html


def test_hostile_posts_appear_only_escaped(full_report):
    _, html = full_report
    for payload in ("<script>window.__xss", "<img src=x onerror", "</script><!--"):
        assert payload not in html
    # the self-promotion evidence quotes the first payload, as text
    assert "&lt;script&gt;window.__xss = 1; alert(1)&lt;/script&gt;" in html


def test_explorer_holds_every_record_with_its_line_span_labels_and_topic(full_report):
    df, html = full_report
    d = explorer_data(html)
    assert d["t"] == df["text"].tolist()
    assert d["a"] == df["line_start"].tolist() and d["b"] == df["line_end"].tolist()
    # one post a line: shown as X shows it, character references decoded
    assert d["t"][-3:] == [decode_entities(t) for t in XSS_POSTS]
    i = d["labels"].index("privacy_statement")
    privacy_rows = [r for r, bits in enumerate(d["l"]) if bits >> i & 1]
    assert privacy_rows == [r for r, labs in enumerate(df["labels"]) if "privacy_statement" in labs]
    assert d["p"] == df["topic"].tolist()


def test_every_figure_slot_that_has_data_is_drawn(full_report):
    _, html = full_report
    specs = figure_specs(html)
    assert set(specs) == {
        "kinds",
        "claims",
        "map",
        "sizes",
        "hierarchy",
        "bylabel",
        "domains",
        "mentions",
        "replies",
    }
    assert set(specs) <= set(FIGURES)
    assert "The input carries no timestamps" in html  # the over-time slot explains its absence
    assert all(f'id="fig-{name}"' in html for name in specs)


def test_one_colour_per_topic_and_label_across_figures(full_report):
    df, html = full_report
    specs = figure_specs(html)
    map_colours = {t["name"]: t["marker"]["color"] for t in specs["map"]["data"]}
    by_label = {t["name"]: t["marker"]["color"] for t in specs["bylabel"]["data"]}
    for name, colour in by_label.items():
        assert map_colours[name] == colour
    assert map_colours["outliers"] == topic_color(-1)
    labels = specs["claims"]["data"][0]
    colours = label_colors(summarize(df, labels=["advice", "tip"]).labels)
    assert labels["marker"]["color"] == [colours[y] for y in labels["y"]]


def test_hover_text_is_escaped_and_truncated(full_report):
    _, html = full_report
    spec = figure_specs(html)["map"]
    hovers = [c[0] for t in spec["data"] for c in t["customdata"]]
    assert any(h.startswith("Totally safe post &lt;script&gt;") for h in hovers)
    assert max(len(h) for h in hovers) <= figures.HOVER_CHARS + 40  # entities lengthen escaped text


def test_a_plain_parse_still_renders_and_says_what_is_missing(tmp_path, seed_path):
    skipped = StageResult("topics", ran=False, note="Topics were skipped (topics=False).")
    out = render_report(
        seed_frame(seed_path),
        tmp_path / "plain.html",
        notes=[skipped.note],
        stages={"topics": skipped},
    )
    html = out.read_text()
    assert '<p class="missing">Claims were not tagged. The other' in html
    assert '<p class="missing">Topics were skipped (topics=False). The other' in html
    assert set(figure_specs(html)) == {"kinds", "domains", "mentions", "replies"}
    assert explorer_data(html)["p"] == [None] * 45


@pytest.mark.parametrize(
    ("notes", "claims_says", "topics_says"),
    [
        # a note about the input that names claims and topics is not why a stage was skipped
        (
            ["1 record longer than 25,000 characters: claims and topics read the first 25,000."],
            "Claims were not tagged.",
            "Topics were not modelled.",
        ),
        (["A topic-free parse warning about claim lines."], "Claims were not tagged.", "Topics were not modelled."),
        ([], "Claims were not tagged.", "Topics were not modelled."),
    ],
)  # fmt: skip
def test_without_stage_results_the_report_never_reads_a_reason_from_the_notes(
    tmp_path, seed_path, notes, claims_says, topics_says
):
    html = render_report(seed_frame(seed_path), tmp_path / "r.html", notes=notes).read_text()
    assert f'<p class="missing">{claims_says} The other' in html
    assert f'<p class="missing">{topics_says} The other' in html


def test_a_scan_says_why_each_stage_was_skipped_even_beside_a_note_naming_both(tmp_path):
    text = "Fine tuning is for behaviour. " + "x" * ANALYSED_CHARS + "\n@ann agreed\n"
    r = socialscan.scan(
        text, format="lines", claims=False, topics=False, report=tmp_path / "long.html"
    )
    assert [s.ran for s in r.stages.values()] == [False, False]
    assert "claims and topics read the first" in r.notes[0]  # the long-record note comes first
    html = r.report.read_text()
    assert '<p class="missing">Claims were skipped (claims=False). The other' in html
    assert '<p class="missing">Topics were skipped (topics=False). The other' in html


def _topics_only(df, topics):
    df = df.copy()
    df["topic"], df["x"], df["y"] = topics, range(len(df)), [0.5] * len(df)
    return df


@pytest.mark.parametrize(
    ("case", "make", "drawn", "absent"),
    [
        (
            "no claims found",
            lambda df: add_claims(df.assign(text="nothing here"))[
                df.columns.tolist() + ["claims", "labels"]
            ],
            {"kinds"},
            {"claims"},
        ),
        (
            "one topic",
            lambda df: _topics_only(df, [0] * len(df)),
            {"map", "sizes"},
            {"hierarchy", "bylabel"},
        ),
        (
            "all outliers",
            lambda df: _topics_only(df, [-1] * len(df)),
            {"map", "sizes"},
            {"hierarchy"},
        ),
        (
            "three topics",
            lambda df: add_topics(df, n_topics=3)[0],
            {"map", "sizes"},
            {"hierarchy", "time"},
        ),
        ("no records", lambda df: df.iloc[0:0], set(), {"kinds", "domains", "map"}),
    ],
)
def test_degenerate_stage_outputs_never_break_the_report(
    tmp_path, seed_path, case, make, drawn, absent
):
    df = make(seed_frame(seed_path))
    html = render_report(df, tmp_path / "r.html").read_text()
    specs = figure_specs(html)
    assert drawn <= set(specs), case
    assert not (absent & set(specs)), case
    assert len(explorer_data(html)["t"]) == len(df)


def test_timestamps_bring_topics_over_time(tmp_path, seed_path):
    df, table = enriched(seed_path)
    df["created_at"] = pd.date_range("2023-01-01", periods=len(df), freq="6h").strftime(
        "%Y-%m-%dT%H:%M:%S.000Z"
    )
    df["author"] = "ann"
    html = render_report(df, tmp_path / "t.html", topic_table=table).read_text()
    spec = figure_specs(html)["time"]
    assert {t["name"] for t in spec["data"]} == {
        topic_name(t, None, terms) for t, terms in zip(table["topic"], table["terms"], strict=True)
    }
    assert explorer_data(html)["ts"][0] == "2023-01-01 00:00"


def test_the_report_is_written_atomically(tmp_path, seed_path):
    with pytest.raises(UnwritableOutput):
        render_report(seed_frame(seed_path), tmp_path / "missing" / "r.html")
    target = tmp_path / "r.html"
    target.write_text("old")
    bad = seed_frame(seed_path).drop(columns=["line_start"])
    with pytest.raises(KeyError):
        render_report(bad, target)
    assert target.read_text() == "old" and list(tmp_path.iterdir()) == [target]


@pytest.mark.parametrize(
    ("value", "inside"),
    [
        ("</script><script>alert(1)</script>", "\\u003c/script\\u003e"),
        ("<!-- x -->", "\\u003c!-- x --\\u003e"),
        ("a & b", "a \\u0026 b"),
    ],
)
def test_script_json_cannot_close_its_script_element(value, inside):
    encoded = script_json({"text": value})
    assert "<" not in encoded and ">" not in encoded and inside in encoded
    assert json.loads(encoded) == {"text": value}


def test_map_is_webgl_and_sampled_per_topic_for_large_corpora():
    n = 30_000
    df = pd.DataFrame(
        {"x": range(n), "y": range(n), "topic": [i % 7 - 1 for i in range(n)], "text": ["post"] * n}
    )
    fig = figures.topic_map(df, max_points=3000)
    assert {t.type for t in fig.data} == {"scattergl"}
    assert 2900 <= sum(len(t.x) for t in fig.data) <= 3100
    assert len(fig.data) == 7


def many_topics_frame(n_topics: int = 40, per_topic: int = 30) -> pd.DataFrame:
    rows = [
        {
            "x": float(t),
            "y": float(i),
            "topic": t,
            "text": f"post {i} of topic {t}",
            "created_at": f"2024-01-{1 + i % 28:02d}T10:00:00Z",
            "labels": ["advice"] if i % 3 == 0 else [],
        }
        for t in range(-1, n_topics)
        for i in range(per_topic + max(t, 0))  # topics grow with their number
    ]
    return pd.DataFrame(rows)


def test_many_topics_share_one_trace_beyond_the_largest_ones():
    df = many_topics_frame()
    fig = figures.topic_map(df)
    names = [t.name for t in fig.data]
    assert len(fig.data) == figures.TOPIC_TRACES + 2  # leading topics, other topics, outliers
    assert names[-2:] == [figures.OTHER_TOPICS, "topic -1"]
    assert sum(len(t.x) for t in fig.data) == len(df), "every point is still drawn"
    other = fig.data[-2]
    small = df[df["topic"].between(0, 40 - figures.TOPIC_TRACES - 1)]
    assert sorted(set(other.marker.color)) == sorted({topic_color(t) for t in small["topic"]})
    assert {row[2] for row in other.customdata} == {f"topic {t}" for t in small["topic"]}


def test_over_time_and_by_label_keep_every_post_when_topics_are_folded():
    df = many_topics_frame()
    over_time = figures.topics_over_time(df)
    assert len(over_time.data) == figures.TOPIC_TRACES + 2
    assert sum(sum(t.y) for t in over_time.data) == len(df)
    by_label = figures.topics_by_label(df)
    assert len(by_label.data) == figures.TOPIC_TRACES + 2
    assert sum(sum(t.x) for t in by_label.data) == sum(len(v) for v in df["labels"])


def test_hierarchy_draws_all_links_in_one_trace():
    df = many_topics_frame(n_topics=6)
    df["text"] = [f"word{t} other{t} shared text" for t in df["topic"]]
    fig = figures.topic_hierarchy(df)
    assert len(fig.data) == 2  # the links, then the leaf markers
    assert fig.data[0].x.count(None) == 6 - 1  # a binary tree over 6 leaves has 5 links


# --- The report as a person sees it (the browser tests measure the page; these, the figures) --


def thread_frame() -> pd.DataFrame:
    """A long post cut into three records (one thread, one point, as the topics stage gives it),
    then two posts of their own."""
    import socialscan

    text = "Fine tuning is\nfor tasks,\nnot knowledge.\nGive it a try\nlol"
    df = socialscan.to_frame(socialscan.parse(text, format="lines"))
    df["thread_id"] = [df["id"][0]] * 3 + [None, None]
    df["topic"] = [0, 0, 0, 1, 0]
    df["x"], df["y"] = [0.1, 0.1, 0.1, 2.0, 1.0], [0.5, 0.5, 0.5, 1.0, 3.0]
    return df


def test_a_thread_is_one_dot_on_the_map_holding_its_records():
    fig = figures.topic_map(thread_frame())
    dots = [c for t in fig.data for c in t.customdata]
    assert len(dots) == 3 and fig.layout.meta["dots"] == 3
    assert fig.layout.meta["records"] == 5 and fig.layout.meta["threads"] == 1
    thread = next(c for c in dots if c[4] == 3)
    assert thread[0] == "Fine tuning is for tasks, not knowledge."
    assert thread[1] == "3 records · lines 1–3" and thread[3] == 0  # opens rows 0-2
    sizes = {
        int(c[4]): s for t in fig.data for c, s in zip(t.customdata, t.marker.size, strict=True)
    }
    assert sizes[3] > sizes[1]


def test_records_of_a_thread_placed_apart_stay_apart():
    df = thread_frame()
    df.loc[1, "x"] = 9.0  # another stage placed this record on its own
    assert figures.map_points(df)["records"].tolist() == [1, 1, 1, 1, 1]


def test_the_map_caption_counts_what_is_drawn(tmp_path):
    html = render_report(thread_frame(), tmp_path / "t.html").read_text()
    assert "3 dots for 5 records: a dot is one record, or one thread of records (1 here" in html
    assert explorer_data(html)["th"] == [0, 0, 0, -1, -1]
    sampled = figures.topic_map(many_topics_frame(), max_points=100).layout.meta
    assert sampled["dots"] < sampled["all_dots"] == len(many_topics_frame())
    assert "drawn, a sample of" in map_caption(dict(sampled))


def test_only_figures_worth_zooming_get_the_toolbar_and_room_above_for_it(full_report):
    _, html = full_report
    specs = figure_specs(html)
    with_toolbar = {n for n, s in specs.items() if s["layout"]["meta"]["toolbar"]}
    assert with_toolbar == {"map"}  # (over time has one too; the seed has no dates)
    assert specs["map"]["layout"]["margin"]["t"] >= figures.TOOLBAR_ROOM
    assert figures.topics_over_time(many_topics_frame()).layout.meta["toolbar"] is True


def test_legends_below_a_plot_sit_in_the_figures_own_coordinates(full_report):
    _, html = full_report
    for name in ("bylabel", "kinds"):
        legend = figure_specs(html)[name]["layout"]["legend"]
        assert (legend["yref"], legend["y"], legend["yanchor"]) == ("container", 0, "bottom")
        assert legend["maxheight"] == 1  # it never scrolls; report.js grows the figure instead


def test_long_topic_names_are_cut_on_axes_and_legends_and_whole_in_hovers():
    long = "artificialintelligence, machinelearning, artificalintelligence"
    table = pd.DataFrame({"topic": [0, 1], "size": [1304, 7], "label": [long, "bard, rival"]})
    sizes = figures.topic_sizes(table)
    assert sizes.data[0].y[-1] == long and sizes.layout.yaxis.ticktext[-1].endswith("…")
    assert len(sizes.layout.yaxis.ticktext[-1]) <= figures.NAME_CHARS
    assert sizes.data[0].text[-1] == "1,304"
    assert sizes.layout.margin.r >= figures.LABEL_CHAR_PX * len("1,304")  # the label fits
    df = many_topics_frame(n_topics=3)
    by_label = figures.topics_by_label(df, labels={0: long})
    assert by_label.data[0].name == figures.short_name(long)
    assert long in by_label.data[0].hovertemplate
