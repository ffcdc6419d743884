"""The progress display of ``socialscan parse``: lines done / total, lines/s and an ETA on a
terminal; on a pipe or with ``-q`` stderr holds what it always held (the summary, or nothing).

A terminal is a StringIO that says it is one; the display's clock runs fifty times faster than
the wall clock, so a parse of a second reads as a run of many seconds.
"""

from __future__ import annotations

import io
import random
import re
import sys
import time

import pytest
from click.testing import CliRunner

from socialscan import progress
from socialscan.api import parse_to
from socialscan.api.parsing import input_lines
from socialscan.cli import main
from socialscan.readers import pool
from socialscan.readers.stats import ParseStats

FRAME = re.compile(
    r"parsing ([\d,]+)(?:/([\d,]+))? lines (?:\x1b\[[\d;]*m)?([\d,.]+|-) lines/s"
    r"(?:(?:\x1b\[[\d;]*m)* (?:\x1b\[[\d;]*m)?ETA ((?:\d+:)?\d+:\d\d|-:--))?"
)
WORDS = [
    "model",
    "data",
    "training",
    "prompt",
    "launch",
    "today",
    "thread",
    "people",
    "think",
    "really",
    "great",
    "open",
    "source",
    "release",
    "paper",
    "benchmark",
    "results",
    "token",
    "context",
    "window",
    "agents",
    "fine-tuning",
    "GPU",
    "eval",
]


class Terminal(io.StringIO):
    """stderr as a terminal sees it."""

    def isatty(self) -> bool:
        return True


def synthetic_dump(path, posts: int, seed: int = 7):
    """Posts of one to three lines, some with a link line, some with a blank line after."""
    rng = random.Random(seed)
    out = []
    for i in range(posts):
        for _ in range(rng.randint(1, 3)):
            words = " ".join(rng.choice(WORDS) for _ in range(rng.randint(4, 14)))
            out.append(words.capitalize() + rng.choice([".", "!", "?", ""]))
        if rng.random() < 0.3:
            out.append(f"https://t.co/{i:08x}")
        if rng.random() < 0.5:
            out.append("")
    path.write_text("\n".join(out) + "\n", encoding="utf-8")
    return path


def on_terminal(monkeypatch) -> Terminal:
    """From here on in the test, stderr is a terminal of 120 columns (set in the test's body:
    pytest puts its own stderr back between a fixture and the test)."""
    tty = Terminal()
    monkeypatch.setenv("TERM", "xterm")
    monkeypatch.setenv("COLUMNS", "120")
    for name in ("NO_COLOR", "FORCE_COLOR", "TTY_COMPATIBLE", "TTY_INTERACTIVE"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setattr(sys, "stderr", tty)
    return tty


def frames(text: str) -> list[tuple[int, int | None, str, str | None]]:
    """(lines done, total, lines/s, ETA) of every frame drawn."""
    return [
        (int(m[1].replace(",", "")), int(m[2].replace(",", "")) if m[2] else None, m[3], m[4])
        for m in FRAME.finditer(text)
    ]


def seconds(eta: str) -> int:
    parts = [int(p) for p in eta.split(":")]
    return sum(p * 60**i for i, p in enumerate(reversed(parts)))


def run(args: list[str]) -> None:
    try:
        main(args, standalone_mode=False)
    finally:
        sys.stderr.flush()


def test_a_long_dump_parse_on_a_terminal_counts_lines_with_a_rate_and_a_falling_eta(
    tmp_path, monkeypatch
):
    dump = synthetic_dump(tmp_path / "timeline.txt", 1000)
    total = len(dump.read_text(encoding="utf-8").splitlines())
    monkeypatch.setattr(progress, "clock", lambda: 50 * time.perf_counter())

    out = tmp_path / "out.jsonl"
    terminal = on_terminal(monkeypatch)
    run(["parse", str(dump), "--format", "dump", "--segmenter", "fast", "-o", str(out)])

    text = terminal.getvalue()
    drawn = frames(text)
    assert len(drawn) >= 3, text[:500]
    done = [d for d, *_ in drawn]
    assert done == sorted(done) and done[-1] == total
    assert {t for _, t, _, _ in drawn} == {total}
    rates = [r for _, _, r, _ in drawn if r != "-"]
    assert rates and all(float(r.replace(",", "")) > 0 for r in rates)
    etas = [seconds(e) for *_, e in drawn if e not in (None, "-:--")]
    assert len(etas) >= 2 and etas[0] > etas[-1] == 0
    # the line is cleared, and the summary follows as it does on a pipe
    cleared, summary = text.rsplit("\x1b[2K", 1)
    assert re.fullmatch(rf"{total:,} lines read: [\d,]+ records? \([^\x1b]*\n", summary)
    assert len(out.read_text(encoding="utf-8").splitlines()) > 10


def test_the_eta_counts_down_at_a_steady_rate_and_stdin_gets_none(monkeypatch):
    terminal = on_terminal(monkeypatch)
    now = [0.0]
    monkeypatch.setattr(progress, "clock", lambda: now[0])
    with progress.counting("parsing", total=10_000) as bar:
        for _ in range(10):
            now[0] += 1.0
            bar.advance(1_000)
    with progress.counting("parsing", total=None) as bar:  # stdin: no total to count down
        for _ in range(3):
            now[0] += 1.0
            bar.advance(500)
    every = frames(terminal.getvalue())  # start, refresh and stop may draw one frame twice
    drawn = [f for i, f in enumerate(every) if i == 0 or f != every[i - 1]]
    timed = [f for f in drawn if f[1] is not None]
    assert [(d, r, e) for d, _, r, e in timed] == [
        (1_000 * k, "1,000", f"0:{10 - k:02d}") for k in range(1, 11)
    ]
    assert [(d, t, r, e) for d, t, r, e in drawn if t is None] == [
        (500 * k, None, "500", None) for k in range(1, 4)
    ]


def test_a_short_run_on_a_terminal_prints_nothing_but_the_summary(tmp_path, monkeypatch):
    dump = synthetic_dump(tmp_path / "short.txt", 30)
    terminal = on_terminal(monkeypatch)
    run(["parse", str(dump), "--format", "dump", "--segmenter", "fast", "-o", str(tmp_path / "o")])
    assert terminal.getvalue().count("\n") == 1 and "\x1b" not in terminal.getvalue()
    assert terminal.getvalue().startswith(f"{input_lines([dump]):,} lines read: ")


def test_quiet_on_a_terminal_writes_nothing_to_stderr(tmp_path, monkeypatch):
    dump = synthetic_dump(tmp_path / "timeline.txt", 300)
    monkeypatch.setattr(progress, "clock", lambda: 1000 * time.perf_counter())
    terminal = on_terminal(monkeypatch)
    run(["parse", str(dump), "--segmenter", "fast", "-q", "-o", str(tmp_path / "o.jsonl")])
    assert terminal.getvalue() == ""


@pytest.mark.parametrize("quiet", [False, True])
def test_piped_stderr_holds_the_summary_only(tmp_path, monkeypatch, quiet):
    dump = synthetic_dump(tmp_path / "timeline.txt", 300)
    monkeypatch.setattr(progress, "clock", lambda: 1000 * time.perf_counter())
    args = ["parse", str(dump), "--segmenter", "fast", "-o", str(tmp_path / "o.jsonl")]
    result = CliRunner().invoke(main, args + ["-q"] * quiet)
    stats = ParseStats()
    parse_to(dump, tmp_path / "again.jsonl", segmenter="fast", stats=stats)
    assert result.exit_code == 0
    assert result.stderr == ("" if quiet else stats.summary() + "\n")


def lines_input(path, n: int):
    """One post a line, CRLF, some blank, a reply now and then, no break after the last."""
    rows = [
        "" if i % 7 == 3 else f"@ann post {i} about {WORDS[i % len(WORDS)]}" * (1 + i % 3)
        for i in range(n)
    ]
    path.write_bytes("\r\n".join(rows).encode("utf-8"))
    return path


@pytest.mark.parametrize(
    "fmt, workers, make",
    [
        ("dump", 1, lambda p: synthetic_dump(p, 400)),
        ("lines", 1, lambda p: lines_input(p, 5_000)),  # blocks, this process
        ("lines", 2, lambda p: lines_input(p, 5_000)),  # blocks, both cores
        ("jsonl", 1, None),
    ],
)
def test_the_lines_reported_add_up_to_the_lines_read_on_every_path(
    tmp_path, monkeypatch, shared_data, fmt, workers, make
):
    monkeypatch.setattr(pool, "BLOCK_BYTES", 4096)
    monkeypatch.setattr(pool, "PARALLEL_MIN_BYTES", 8192)
    if make is None:
        inputs = [
            shared_data / "twarc-jsonl" / "kpop.jsonl",
            shared_data / "twarc-jsonl" / "flat.jsonl",
        ]
    else:
        inputs = [make(tmp_path / "a.txt"), make(tmp_path / "b.txt")]
    reported: list[int] = []
    stats = ParseStats()
    parse_to(
        inputs,
        tmp_path / "out.jsonl",
        format=fmt,
        workers=workers,
        segmenter="fast",
        stats=stats,
        on_lines=reported.append,
    )
    assert all(n > 0 for n in reported) and len(reported) > 2
    assert sum(reported) == stats.lines == input_lines(inputs)


def test_records_written_to_stdout_stay_on_stdout_while_the_display_is_up(tmp_path, monkeypatch):
    # rich's display redirects sys.stdout onto its console (stderr) unless told not to: CSV
    # written through sys.stdout went to the terminal and `> posts.csv` got nothing
    dump = synthetic_dump(tmp_path / "timeline.txt", 300)
    monkeypatch.setattr(progress, "clock", lambda: 1000 * time.perf_counter())
    terminal = on_terminal(monkeypatch)
    stdout = io.StringIO()
    monkeypatch.setattr(sys, "stdout", stdout)
    run(["parse", str(dump), "--format", "dump", "--segmenter", "fast", "--to", "csv"])
    with progress.progress("tagging") as bar:  # the staged display of tag, topics and scan
        bar.advance()
        print("a record", file=sys.stdout)
    assert stdout.getvalue().startswith("id,kind,thread_id,text,")
    assert stdout.getvalue().endswith("\na record\n") and "id,kind" not in terminal.getvalue()
    assert "lines/s" in terminal.getvalue()
