"""``scan``: the pipeline in one call, and the ``scan`` / ``report`` commands."""

from __future__ import annotations

import json

import pytest
from click.testing import CliRunner

from socialscan import scan
from socialscan.cli import main

FAST = ["--format", "lines", "--no-topics", "--no-claims"]


def test_scan_returns_the_frame_stats_and_notes(seed_path):
    r = scan(seed_path, format="lines", claims=False, topics=False)
    assert len(r.frame) == 42 and r.stats.lines == 42
    assert r.frame["kind"].value_counts().to_dict() == {"post": 37, "reply": 3, "link": 2}
    assert r.notes == ["Claims were skipped (claims=False).", "Topics were skipped (topics=False)."]
    assert r.report is None and set(r.timings) == {"parse"}


def test_scan_tags_claims_and_its_json_carries_them(seed_path):
    r = scan(seed_path, format="lines", topics=False)
    assert {"claims", "labels"} <= set(r.frame.columns)
    d = json.loads(r.to_json())
    assert d["labels"] == r.labels and set(d["label_counts"]) >= set(r.labels)
    privacy = d["evidence"].get("privacy_statement")
    assert privacy and 32 in [e["line_start"] for e in privacy]
    assert d["counts"]["claims"] == sum(len(c) for c in r.frame["claims"])


def test_scan_writes_the_report_when_asked(seed_path, tmp_path):
    r = scan(
        seed_path,
        format="lines",
        claims=False,
        topics=False,
        report=tmp_path / "r.html",
        title="Seed <dump>",
    )
    html = r.report.read_text()
    assert "<title>Seed &lt;dump&gt; · socialscan report</title>" in html
    assert "report" in r.timings


def test_cli_scan_prints_a_plain_summary_when_piped(seed_path):
    res = CliRunner().invoke(main, ["scan", str(seed_path), *FAST])
    assert res.exit_code == 0, res.output
    lines = res.output.splitlines()
    assert lines[0].endswith(
        "seed_dump.txt: 42 lines, 42 records (37 posts, 3 replies, 0 threads, 2 link lines)"
    )
    assert "Claims: not tagged." in lines and "Topics: not modelled." in lines
    assert "Most mentioned: @chloemaal (1), @harrystebbings (1), @rachel_l_woods (1)" in lines
    assert "─" not in res.output and "\x1b[" not in res.output  # no box drawing, no colours


def test_cli_scan_json_parses(seed_path):
    res = CliRunner().invoke(main, ["scan", str(seed_path), *FAST, "--json"])
    assert res.exit_code == 0, res.output
    d = json.loads(res.output)
    assert d["counts"]["records"] == 42 and d["domains"] == [{"name": "t.co", "count": 2}]
    assert d["report"] is None


def test_cli_scan_with_report_and_report_command(seed_path, tmp_path):
    runner = CliRunner()
    res = runner.invoke(main, ["scan", str(seed_path), *FAST, "--report", str(tmp_path / "a.html")])
    assert res.exit_code == 0 and res.output.rstrip().endswith(f"Report: {tmp_path / 'a.html'}")
    res = runner.invoke(
        main, ["report", str(seed_path), *FAST, "-o", str(tmp_path / "b.html"), "--quiet"]
    )
    assert res.exit_code == 0 and res.output == ""
    for name in ("a.html", "b.html"):
        assert "Post explorer" in (tmp_path / name).read_text()


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (
            ["report", "{seed}", *FAST, "-o", "{tmp}/no/such/dir/r.html"],
            "Error: {tmp}/no/such/dir/r.html: directory",
        ),
        (["scan", "{tmp}/missing.txt", *FAST], "Error: {tmp}/missing.txt: no such file"),
    ],
)
def test_cli_errors_are_one_line_and_exit_2(seed_path, tmp_path, args, message):
    args = [a.format(seed=seed_path, tmp=tmp_path) for a in args]
    res = CliRunner().invoke(main, args)
    assert res.exit_code == 2
    assert res.output.startswith(message.format(tmp=tmp_path))


@pytest.mark.parametrize("command", ["scan", "report"])
def test_commands_have_help(command):
    res = CliRunner().invoke(main, [command, "--help"])
    assert res.exit_code == 0 and "--no-topics" in res.output and len(res.output.splitlines()) > 10


def test_scan_is_the_function_on_the_package_even_after_the_cli_ran(seed_path):
    import socialscan

    CliRunner().invoke(main, ["scan", str(seed_path), *FAST])
    assert callable(socialscan.scan) and socialscan.ScanResult.__name__ == "ScanResult"


@pytest.mark.slow
def test_full_pipeline_on_the_seed_dump_fills_every_section(seed_path, tmp_path):
    r = scan(seed_path, report=tmp_path / "seed.html")
    assert r.notes == []
    assert {"claims", "labels", "topic", "x", "y"} <= set(r.frame.columns)
    html = r.report.read_text()
    for slot in ("fig-claims", "fig-map", "fig-sizes"):
        assert f'data-target="{slot}"' in html
    d = json.loads(r.to_json())
    assert d["counts"]["topics"] >= 1 and d["topics"][0]["terms"]


def test_the_seed_dump_scan_finds_its_themes_and_hides_none_as_outliers(seed_path):
    r = scan(seed_path, claims=False)
    topic = dict(zip(r.frame["line_start"], r.frame["topic"], strict=True))
    assert -1 not in topic.values() and len(set(topic.values())) >= 2
    inside = r.frame[r.frame["line_end"] <= 27]  # records of the fine-tuning post (lines 1-27)
    label = dict(zip(r.frame["topic"], r.frame["topic_label"], strict=False))
    # the post's theme is fine tuning: its first record's topic says so and holds most of its
    # lines, however the segmenter and linker cut it (its last lines turn to cost)
    theme = topic[1]
    assert "fine tuning" in label[theme]
    lines = (inside["line_end"] - inside["line_start"] + 1).groupby(inside["topic"]).sum()
    assert lines[theme] > 27 / 2
    # the post on founders, far from AI, is not in the fine-tuning theme
    assert topic[40] != theme
    # every record of one thread has the thread's topic and point on the map
    for _, group in r.frame.dropna(subset=["thread_id"]).groupby("thread_id"):
        assert group["topic"].nunique() == 1 and group[["x", "y"]].drop_duplicates().shape[0] == 1


def test_the_summary_says_claims_are_sentences_and_label_counts_are_records(seed_path):
    from socialscan.report.terminal import format_plain

    result = scan(seed_path, topics=False)
    c = result.summary().counts
    text = format_plain(result.summary())
    assert f"Claims: {c['claims']} claim sentences in {c['labelled_posts']} records" in text
    assert c["claims"] > c["labelled_posts"]  # a post can carry several claim sentences


def test_an_input_with_no_records_is_named_in_the_summary(tmp_path, seed_path):
    from socialscan.report.terminal import headline

    empty = tmp_path / "empty.txt"
    empty.write_text("\n\n")
    assert headline(scan(empty).summary()).startswith(f"{empty}: 2 lines, 0 records")
    both = scan([seed_path, empty], claims=False, topics=False).summary()
    assert both.sources == [str(seed_path), str(empty)]
