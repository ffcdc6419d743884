"""Hostile and broken input: never a crash, never a loss, one-line errors, exit codes."""

from __future__ import annotations

import json
import socket
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

import socialscan
from socialscan.cli import main
from socialscan.readers.stats import ParseStats

ROOT = Path(__file__).resolve().parents[1]


def parse_file(tmp_path, data: bytes, **kw):
    path = tmp_path / "input.txt"
    path.write_bytes(data)
    return socialscan.parse(path, **kw)


def test_nul_bytes_in_text_are_kept(tmp_path):
    posts = parse_file(
        tmp_path, b"@ann hello\x00 there, this is fine\n@bob and another reply here\n"
    )
    assert "\x00" in posts[0].text


def test_a_10_mb_single_line_is_one_record(tmp_path):
    line = ("word " * 2_000_000).strip()
    posts = parse_file(tmp_path, line.encode() + b"\n")
    assert len(posts) == 1 and posts[0].text == line and posts[0].line_end == 1


@pytest.mark.parametrize("char", ["\u200b", "\u200d", "\u202e", "\u2066", "\ufeff"])
def test_zero_width_and_bidi_characters_stay_verbatim(tmp_path, char):
    text = f"@ann look{char}here, nothing to see\n"
    (post,) = parse_file(tmp_path, text.encode())
    assert post.text == text.rstrip("\n")


def test_an_empty_file_gives_no_records_and_exit_0(tmp_path):
    path = tmp_path / "empty.txt"
    path.write_bytes(b"")
    result = CliRunner().invoke(main, ["parse", str(path)])
    assert result.exit_code == 0 and result.stdout == ""
    assert "0 lines read: 0 records" in result.stderr


def test_only_blank_lines_give_no_records(tmp_path):
    assert parse_file(tmp_path, b"\n  \n\t\n") == []


def test_malformed_jsonl_is_skipped_with_line_numbers_and_strict_fails(tmp_path):
    path = tmp_path / "x.jsonl"
    good = json.dumps({"id": "1", "text": "a fine tweet"})
    path.write_text(f"{good}\n{{broken\n{good.replace('1', '2')}\nnot json either\n")
    stats = ParseStats()
    posts = socialscan.parse(path, stats=stats)
    assert [p.tweet_id for p in posts] == ["1", "2"] and stats.skipped_lines == [2, 4]
    result = CliRunner().invoke(main, ["parse", str(path), "--strict"])
    assert (
        result.exit_code == 2
        and result.stderr.startswith("Error: ")
        and ":2: not valid JSON" in result.stderr
    )


def test_csv_without_text_column_exits_2(tmp_path):
    path = tmp_path / "x.csv"
    path.write_text("name,age\nann,3\n")
    result = CliRunner().invoke(main, ["parse", str(path)])
    assert result.exit_code == 2 and "no text column" in result.stderr


def test_internal_faults_exit_1_with_one_line_and_traceback_only_under_debug(
    tmp_path, monkeypatch, seed_path
):
    import socialscan.api.parsing

    def boom(*a, **k):
        raise RuntimeError("something broke")

    # every parse path reads with iter_posts
    monkeypatch.setattr(socialscan.api.parsing, "iter_posts", boom)
    result = CliRunner().invoke(main, ["parse", str(seed_path)])
    assert result.exit_code == 1
    assert result.stderr.startswith("Error: internal error: RuntimeError: something broke")
    assert "Traceback" not in result.stderr
    result = CliRunner().invoke(main, ["--debug", "parse", str(seed_path)])
    assert result.exit_code == 1 and "Traceback" in result.stderr


def test_utf16_with_bom_is_decoded(tmp_path):
    posts = parse_file(tmp_path, "@ann héllo from windows notepad\r\n".encode("utf-16"))
    assert posts[0].text == "@ann héllo from windows notepad"


@pytest.mark.parametrize("codec", ["utf-16-le", "utf-16-be"])
def test_utf16_without_bom_is_decoded_in_any_script(tmp_path, codec):
    text = "@ann héllo from a windows tool\r\nПривет, это второй пост без BOM\r\n"
    posts = parse_file(tmp_path, text.encode(codec))
    assert [p.text for p in posts] == text.strip().split("\r\n")


@pytest.mark.parametrize("bom", [True, False])
def test_a_utf16_jsonl_export_is_detected_as_jsonl(tmp_path, bom):
    line = '{"id": "7", "text": "héllo from a UTF-16 export", "author_id": "1"}\n'
    path = tmp_path / "tweets.jsonl"
    path.write_bytes(line.encode("utf-16" if bom else "utf-16-le"))
    (post,) = socialscan.parse(path)
    assert (post.tweet_id, post.text) == ("7", "héllo from a UTF-16 export")


def test_random_bytes_are_refused_as_binary_but_legacy_code_pages_are_read(tmp_path):
    import random

    noise = tmp_path / "noise.txt"
    noise.write_bytes(random.Random(0).randbytes(3000))
    result = CliRunner().invoke(main, ["parse", str(noise)])
    assert result.exit_code == 2 and "binary" in result.stderr
    # cp1251: every letter is an invalid UTF-8 byte, replaced and counted, never refused
    text = "Привет мир, это тест\nвторая строка\n"
    posts = parse_file(tmp_path, text.encode("cp1251"))
    assert sum(p.text.count("\ufffd") for p in posts) == sum(not c.isascii() for c in text)


def test_parse_runs_with_the_network_disabled(monkeypatch, seed_path):
    def refuse(*a, **k):
        raise AssertionError("socialscan tried to open a network connection")

    monkeypatch.setattr(socket.socket, "connect", refuse)
    monkeypatch.setattr(socket, "create_connection", refuse)
    posts = socialscan.parse(seed_path)
    covered = [n for p in posts for n in range(p.line_start, p.line_end + 1)]
    assert covered == list(range(1, 43)) and len(posts) >= 6  # segmented, every line once


@pytest.mark.slow
def test_the_whole_pipeline_runs_with_sockets_disabled(tmp_path, seed_path):
    """parse, tag, topics and report in a fresh process where any socket use fails."""
    out = tmp_path / "report.html"
    code = f"""
import socket
def refuse(*a, **k):
    raise OSError("network disabled by the test")
socket.socket.connect = refuse
socket.socket.connect_ex = refuse
socket.create_connection = refuse
socket.getaddrinfo = refuse
import sys
from socialscan.cli import main
sys.argv = ["socialscan", "scan", {str(seed_path)!r}, "--report", {str(out)!r}, "--quiet", "--json"]
main()
"""
    env = {
        "PATH": "/usr/bin:/bin",
        "HOME": str(tmp_path),
        "SOCIALSCAN_CACHE_DIR": str(tmp_path / "cache"),
    }
    proc = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, env=env, cwd=ROOT
    )
    assert proc.returncode == 0, proc.stderr[-2000:]
    summary = json.loads(proc.stdout)
    assert summary and out.exists() and out.stat().st_size > 100_000


@pytest.mark.slow
def test_memory_stays_flat_as_the_input_grows(tmp_path):
    """Peak RSS of parsing 8x more lines grows by far less than 8x (streaming)."""
    lines = (ROOT.parent / "shared" / "data" / "tweeteval" / "hate" / "train_text.txt").read_bytes()
    small, large = tmp_path / "small.txt", tmp_path / "large.txt"
    small.write_bytes(lines)
    large.write_bytes(lines * 8)
    probe = (
        "import resource, sys\n"
        "from socialscan.api import iter_parse\n"
        "n = sum(1 for _ in iter_parse(sys.argv[1], format=sys.argv[2]))\n"
        "print(n, resource.getrusage(resource.RUSAGE_SELF).ru_maxrss)\n"
    )

    def peak(path, fmt):
        out = subprocess.run(
            [sys.executable, "-c", probe, str(path), fmt],
            capture_output=True,
            text=True,
            check=True,
        )
        n, rss = out.stdout.split()
        return int(n), int(rss)

    for fmt in ("lines", "dump"):
        n_small, rss_small = peak(small, fmt)
        n_large, rss_large = peak(large, fmt)
        assert n_large > 5 * n_small
        assert rss_large < 1.25 * rss_small, (fmt, rss_small, rss_large)
