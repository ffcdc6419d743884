"""Raw dumps segmented in pieces on two processes: the same bytes as one process.

The segmenter's blocks are made small here (and the pool's threshold nil), so that dumps of a
few hundred lines are cut many times, with a copied timeline's header, a scraper's stamps, a
separator's run, a numbered thread or a long post in progress at the cuts.
"""

from __future__ import annotations

import random
from pathlib import Path

import orjson
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from socialscan.api import parse_to
from socialscan.readers import dump_piece, dump_pool, dump_stitch
from socialscan.readers.stats import ParseStats
from socialscan.segment import segmenter

DATA = Path(__file__).parent / "data"


def parse(path, out, to="jsonl", workers=1, segmenter="fast"):
    stats = ParseStats()
    n = parse_to(path, out, to=to, format="dump", stats=stats, workers=workers, segmenter=segmenter)
    assert n == stats.records
    return stats


@pytest.fixture(scope="module")
def dumps(shared_data):
    """Pieces of real-looking dumps from held-out posts (no reserved one): pasted as they
    come, copied from the X web app, stamped by a scraper, separated by rules, numbered as
    threads, repeated, with runs of blank lines; and the copied pages of tests/data."""
    from training.segments.dumps import blank_separated, make_dumps
    from training.segments.pages import copied_timeline, stamped_export
    from training.segments.sources import pools

    held = pools(shared_data)["heldout"]
    posts = held["chatgpt"] + held["twarc"]
    made = list(make_dumps(posts, 8, 22, "p", size=(15, 40), extra={"threads": (0.3,)}))
    rng = random.Random(22)
    kinds = {
        "pasted": [d.lines for d in made[:2]],
        "blank separated": [blank_separated(made[2]).lines],
        "copied timeline": [copied_timeline(made[3], 1).lines, copied_timeline(made[4], 2).lines],
        "stamped": [stamped_export(made[5], 3).lines, stamped_export(made[6], 4).lines],
        "pages": [
            (DATA / "x_timeline_copy.txt").read_text(encoding="utf-8").splitlines(),
            (DATA / "linkedin_feed_copy.txt").read_text(encoding="utf-8").splitlines(),
        ],
    }
    ruled, repeated = [], []
    for a, b in made[7].spans:
        ruled += [*made[7].lines[a - 1 : b], rng.choice(["---", "* * *", "———"])]
        copies = rng.choice([1, 1, 1, 2, 4])  # the same post again, as timelines hold them
        repeated += [*made[7].lines[a - 1 : b], ""] * copies
    kinds["separated"] = [ruled]
    kinds["repeated"] = [repeated]
    return kinds


def assemble(dumps, picks: list[tuple[str, int, int]]) -> str:
    """Dumps of ``picks`` (kind, which, blank lines after) one after another."""
    out: list[str] = []
    for kind, which, blanks in picks:
        options = dumps[kind]
        out += options[which % len(options)] + [""] * blanks
    return "\n".join(out) + "\n"


KINDS = [
    "pasted",
    "blank separated",
    "copied timeline",
    "stamped",
    "pages",
    "separated",
    "repeated",
]
PICK = st.tuples(st.sampled_from(KINDS), st.integers(0, 3), st.sampled_from([0, 0, 1, 3]))


@pytest.fixture
def pieces(monkeypatch):
    """A pool from 0 bytes up."""
    monkeypatch.setattr(dump_pool, "DUMP_PARALLEL_MIN_BYTES", 0)
    return monkeypatch


@settings(
    max_examples=12,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(
    picks=st.lists(PICK, min_size=1, max_size=5),
    block=st.integers(12, 120),
    per_piece=st.integers(1, 3),
    to=st.sampled_from(["jsonl", "csv"]),
    guess=st.booleans(),
)
def test_a_dump_in_pieces_gives_the_bytes_and_counts_of_one_process(
    dumps, pieces, tmp_path, picks, block, per_piece, to, guess
):
    pieces.setattr(segmenter, "BLOCK_ITEMS", block)
    pieces.setattr(dump_pool, "PIECE_BLOCKS", per_piece)
    # without the guess each piece starts from a blank page: most are decided again here
    pieces.setattr(dump_piece, "GUESS", guess)
    src = tmp_path / "dump.txt"
    src.write_text(assemble(dumps, picks), encoding="utf-8")
    one = parse(src, tmp_path / f"one.{to}", to)
    two = parse(src, tmp_path / f"two.{to}", to, workers=2)
    assert (tmp_path / f"two.{to}").read_bytes() == (tmp_path / f"one.{to}").read_bytes()
    assert two.summary() == one.summary()
    assert two.warnings == one.warnings


def test_threads_and_posts_across_cuts_are_those_of_one_process(dumps, pieces, tmp_path):
    """Many cuts (blocks of 10 lines) through numbered threads, long posts and a timeline."""
    import orjson

    pieces.setattr(segmenter, "BLOCK_ITEMS", 10)
    text = assemble(
        dumps, [("pasted", 0, 1), ("copied timeline", 0, 0), ("pasted", 1, 3), ("stamped", 0, 0)]
    )
    src = tmp_path / "dump.txt"
    src.write_text(text, encoding="utf-8")
    one, two = tmp_path / "one.jsonl", tmp_path / "two.jsonl"
    parse(src, one)
    stats = parse(src, two, workers=2)
    assert two.read_bytes() == one.read_bytes()
    recs = [orjson.loads(line) for line in two.read_bytes().splitlines()]
    threads = {r["thread_id"] for r in recs if r["thread_id"]}
    assert stats.threads == len(threads) > 0
    spans = [(r["line_start"], r["line_end"]) for r in recs]
    assert any(b - a >= 10 for a, b in spans)  # a post longer than a block, across its cuts
    assert all(b[0] > a[1] for a, b in zip(spans, spans[1:], strict=False))


def test_repeated_posts_across_cuts_point_at_the_first(dumps, pieces, tmp_path):
    import orjson

    pieces.setattr(segmenter, "BLOCK_ITEMS", 20)
    src = tmp_path / "dump.txt"
    src.write_text(assemble(dumps, [("repeated", 0, 0)] * 3), encoding="utf-8")
    one, two = tmp_path / "one.jsonl", tmp_path / "two.jsonl"
    parse(src, one)
    parse(src, two, workers=2)
    assert two.read_bytes() == one.read_bytes()
    recs = [orjson.loads(line) for line in two.read_bytes().splitlines()]
    ids = {r["id"] for r in recs}
    dups = [r["duplicate_of"] for r in recs if r["duplicate_of"]]
    assert dups and set(dups) <= ids


def test_parquet_and_an_empty_or_blank_dump(pieces, tmp_path):
    import pyarrow.parquet as pq

    pieces.setattr(segmenter, "BLOCK_ITEMS", 12)
    for text in ["", "\n\n  \n", "one post only\n", "\n".join(f"post {i}." for i in range(90))]:
        src = tmp_path / "d.txt"
        src.write_text(text, encoding="utf-8")
        a = parse(src, tmp_path / "a.parquet", "parquet")
        b = parse(src, tmp_path / "b.parquet", "parquet", workers=2)
        assert pq.read_table(tmp_path / "b.parquet").equals(pq.read_table(tmp_path / "a.parquet"))
        assert b.summary() == a.summary()


def test_the_cli_segments_a_big_dump_on_workers(dumps, pieces, tmp_path):
    """``socialscan parse`` of a dump over the threshold decides its pieces in two other
    processes, and writes what one process writes."""
    from click.testing import CliRunner

    from socialscan.cli import main

    pieces.setattr(segmenter, "BLOCK_ITEMS", 64)
    pids: list[int] = []
    add = dump_stitch.Stitch.add
    pieces.setattr(dump_stitch.Stitch, "add", lambda self, d: pids.append(d.pid) or add(self, d))
    src = tmp_path / "dump.txt"
    src.write_text(assemble(dumps, [(k, 0, 1) for k in KINDS]), encoding="utf-8")
    parse(src, tmp_path / "one.jsonl")
    pids.clear()
    res = CliRunner().invoke(
        main, ["parse", str(src), "--segmenter", "fast", "-o", str(tmp_path / "two.jsonl")]
    )
    assert res.exit_code == 0, res.output
    assert (tmp_path / "two.jsonl").read_bytes() == (tmp_path / "one.jsonl").read_bytes()
    import os

    # a piece whose guessed start was wrong is decided again here
    workers = [pid for pid in pids if pid != os.getpid()]
    assert len(pids) > 4 and len(set(workers)) == 2 and len(workers) > len(pids) / 2


@pytest.mark.parametrize("encoding", ["utf-8", "utf-16"])
def test_stdin_switches_to_the_workers_once_past_the_threshold(dumps, pieces, tmp_path, encoding):
    """A pipe has no size: its first pieces are decided here, the rest by the workers, and the
    records are those of one process (UTF-16 still takes the line-by-line reader)."""
    import io
    import os

    pieces.setattr(segmenter, "BLOCK_ITEMS", 48)
    pieces.setattr(dump_pool, "BLOCK_BYTES", 2048)  # read in small blocks: the switch comes
    pieces.setattr(dump_pool, "DUMP_PARALLEL_MIN_BYTES", 6000)  # after a few of them
    text = assemble(dumps, [(k, 2, 1) for k in KINDS])
    data = text.encode(encoding)
    assert len(data) > 4 * 6000
    pieces.setattr(dump_pool, "open_binary", lambda source: io.BufferedReader(io.BytesIO(data)))
    pieces.setattr("sys.stdin", io.TextIOWrapper(io.BufferedReader(io.BytesIO(data))))
    pids: list[int] = []
    add = dump_stitch.Stitch.add
    pieces.setattr(dump_stitch.Stitch, "add", lambda self, d: pids.append(d.pid) or add(self, d))
    out = tmp_path / "stdin.jsonl"
    piped = parse("-", out, workers=2)
    named = tmp_path / "-"  # a file named "-" gets the ids stdin gets (the name is hashed in)
    named.write_bytes(data)
    one = parse(named, tmp_path / "one.jsonl")
    want = (tmp_path / "one.jsonl").read_bytes().replace(orjson.dumps(str(named)), b'"-"')
    assert out.read_bytes() == want
    assert piped.records == one.records and piped.lines == one.lines
    if encoding == "utf-8":
        assert os.getpid() in pids  # the first pieces, here
        assert len({p for p in pids if p != os.getpid()}) == 2  # the rest on both workers
    else:
        assert not pids


def test_progress_counts_every_line_once_as_pieces_are_written(dumps, pieces, tmp_path):
    """The display's lines (``on_lines``) add up to the lines read, piece by piece."""
    from socialscan.api.parsing import input_lines

    pieces.setattr(segmenter, "BLOCK_ITEMS", 40)
    src = tmp_path / "dump.txt"
    src.write_text(assemble(dumps, [(k, 1, 2) for k in KINDS]), encoding="utf-8")
    steps: list[int] = []
    stats = ParseStats()
    parse_to(
        src, tmp_path / "o.jsonl", format="dump", stats=stats, workers=2, on_lines=steps.append
    )
    assert len(steps) > 5 and all(s > 0 for s in steps)
    assert sum(steps) == stats.lines == input_lines([src])


def test_minilm_in_pieces_gives_the_bytes_of_one_process(dumps, pieces, tmp_path):
    """The accurate segmenter too: each worker loads its own MiniLM (ONNX Runtime does not
    survive a fork), and a post's MiniLM vector depends on its text alone."""
    from socialscan.segment import choice

    assert choice.minilm_ready(), "run `socialscan models --prepare` (make install does)"
    pieces.setattr(segmenter, "BLOCK_ITEMS", 48)
    src = tmp_path / "dump.txt"
    src.write_text(
        assemble(dumps, [("pasted", 0, 1), ("copied timeline", 1, 0), ("stamped", 1, 0)]),
        encoding="utf-8",
    )
    one = parse(src, tmp_path / "one.jsonl", segmenter="minilm")
    two = parse(src, tmp_path / "two.jsonl", workers=2, segmenter="minilm")
    assert (tmp_path / "two.jsonl").read_bytes() == (tmp_path / "one.jsonl").read_bytes()
    assert two.summary() == one.summary()
    assert two.segmenters == {"minilm"}
