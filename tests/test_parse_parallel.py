"""One-post-a-line input in blocks and on two processes: the same bytes as the line-by-line path."""

from __future__ import annotations

import io
import itertools
import subprocess
import sys

import orjson
import pyarrow.parquet as pq
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import socialscan
from socialscan.api import iter_parse, parse_to
from socialscan.errors import InputNotFound, UnreadableInput
from socialscan.export import write_records
from socialscan.export.encode import line_encoder
from socialscan.export.writers import write_jsonl
from socialscan.readers import pool
from socialscan.readers.stats import ParseStats
from socialscan.records import COLUMNS

COUNTS = ("lines", "blank_lines", "bytes_replaced", "posts", "replies", "links", "threads")


def reference(path, out, to="jsonl"):
    """The line-by-line path: Posts from iter_parse, written by write_records."""
    stats = ParseStats()
    records = (p.to_dict() for p in iter_parse(path, format="lines", stats=stats))
    write_records(records, out, to=to, columns=COLUMNS)
    return stats


def fast(path, out, to="jsonl", workers=1):
    stats = ParseStats()
    n = parse_to(path, out, to=to, format="lines", stats=stats, workers=workers)
    assert n == stats.records
    return stats


def same_counts(a: ParseStats, b: ParseStats) -> None:
    assert {k: getattr(a, k) for k in COUNTS} == {k: getattr(b, k) for k in COUNTS}


@pytest.fixture
def small_blocks(monkeypatch):
    """Blocks of ~300 bytes and a pool from 1 KB up, so a small file is cut many times."""
    monkeypatch.setattr(pool, "BLOCK_BYTES", 300)
    monkeypatch.setattr(pool, "PARALLEL_MIN_BYTES", 1024)


@pytest.fixture(scope="module")
def messy_lines(tmp_path_factory, shared_data):
    """Real tweets with what block cuts must survive: a BOM, CRLF, lone CR, bad bytes, blank
    lines, link lines, and numbered threads that run over many cuts."""
    tweets = (shared_data / "tweeteval" / "emoji" / "test_text.txt").read_bytes().splitlines()
    lines: list[bytes] = []
    for i, t in enumerate(tweets[:1500]):
        lines.append(t)
        if i % 97 == 0:
            lines += [b"", b"   "]
        if i % 211 == 0:
            lines += [b"https://t.co/abc", b"www.x"]
        if i % 331 == 0:
            lines += [f"a long thread, part {k}/12".encode() for k in range(1, 13)]
        if i % 401 == 0:
            lines.append(b"caf\xe9 \xff\xfe broken bytes 1/2")
    breaks = itertools.cycle([b"\n", b"\n", b"\r\n", b"\n", b"\r"])
    data = b"\xef\xbb\xbf" + b"".join(line + next(breaks) for line in lines)
    path = tmp_path_factory.mktemp("lines") / "messy.txt"
    path.write_bytes(data + "🧵 last 2/2".encode())  # no final line break
    return path


@pytest.mark.parametrize("workers", [1, 2])
@pytest.mark.parametrize("to", ["jsonl", "csv"])
def test_blocks_give_the_same_bytes_as_line_by_line(
    messy_lines, tmp_path, small_blocks, to, workers
):
    want = reference(messy_lines, tmp_path / f"ref.{to}", to)
    got = fast(messy_lines, tmp_path / f"out.{to}", to, workers)
    assert (tmp_path / f"out.{to}").read_bytes() == (tmp_path / f"ref.{to}").read_bytes()
    same_counts(got, want)
    assert want.threads >= 5 and want.bytes_replaced > 0 and want.links > 0


def test_parquet_from_two_processes_holds_the_same_table(messy_lines, tmp_path, small_blocks):
    reference(messy_lines, tmp_path / "ref.parquet", "parquet")
    fast(messy_lines, tmp_path / "out.parquet", "parquet", workers=2)
    want = pq.read_table(tmp_path / "ref.parquet")
    got = pq.read_table(tmp_path / "out.parquet")
    assert got.equals(want) and got.column_names == list(COLUMNS)


def test_small_inputs_never_start_a_process(tmp_path, seed_path):
    workers = pool.make_workers(2)
    encoder = line_encoder("jsonl", str(seed_path))
    items = list(pool.iter_line_items(seed_path, encoder, ParseStats(), workers))
    assert items and workers.pool is None


def test_stdin_switches_to_the_pool_once_past_the_threshold(
    messy_lines, tmp_path, small_blocks, monkeypatch
):
    """A pipe has no size: its first bytes are parsed here, the rest by the workers."""
    data = messy_lines.read_bytes()
    monkeypatch.setattr(pool, "open_binary", lambda source: io.BufferedReader(io.BytesIO(data)))
    started = []
    real_get = pool._Workers.get
    monkeypatch.setattr(pool._Workers, "get", lambda self: started.append(1) or real_get(self))
    workers = pool.make_workers(2)
    try:
        stats = ParseStats()
        out = io.BytesIO()
        write_jsonl(pool.iter_line_items("-", line_encoder("jsonl", "-"), stats, workers), out)
    finally:
        workers.close()
    assert started
    # a file named "-" gets the ids stdin gets (the name is hashed into them)
    named = tmp_path / "-"
    named.write_bytes(data)
    reference(named, tmp_path / "ref.jsonl")
    want = (tmp_path / "ref.jsonl").read_bytes().replace(orjson.dumps(str(named)), b'"-"')
    assert out.getvalue() == want
    assert stats.records == want.count(b"\n")


LINE = st.sampled_from(
    [
        "a plain post",
        "@ann a reply",
        "@ann @bo 1/3 a numbered reply",
        "step 1/4 of a thread",
        "🧵 on tuning",
        "50/50 odds",
        "https://t.co/x",
        "https://t.co/x 2/2",
        "",
        "  ",
        "#tag $TSLA 🚀 www.example.com",
        "caf\udcff",
    ]
)


@settings(
    max_examples=80, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    lines=st.lists(LINE, max_size=40),
    breaks=st.lists(st.sampled_from(["\n", "\r\n", "\r"]), min_size=40, max_size=40),
    block=st.integers(min_value=1, max_value=120),
    bom=st.booleans(),
)
def test_any_cut_links_threads_as_one_pass(tmp_path, monkeypatch, lines, breaks, block, bom):
    data = "".join(line + br for line, br in zip(lines, breaks, strict=False))
    path = tmp_path / "in.txt"
    path.write_bytes(b"\xef\xbb\xbf" * bom + data.encode("utf-8", "surrogateescape"))
    monkeypatch.setattr(pool, "BLOCK_BYTES", block)
    want = reference(path, tmp_path / "ref.jsonl")
    got = fast(path, tmp_path / "out.jsonl")
    assert (tmp_path / "out.jsonl").read_bytes() == (tmp_path / "ref.jsonl").read_bytes()
    same_counts(got, want)


def test_several_inputs_keep_their_order_and_threads_stop_at_a_file(tmp_path, small_blocks):
    a, b = tmp_path / "a.txt", tmp_path / "b.txt"
    a.write_text("intro\n" + "".join(f"a post here {k}/30\n" for k in range(1, 31)))
    b.write_text("continues? 2/2\nplain\n")
    reference([a, b], tmp_path / "ref.jsonl")
    stats = ParseStats()
    parse_to([a, b], tmp_path / "out.jsonl", format="lines", stats=stats, workers=2)
    assert (tmp_path / "out.jsonl").read_bytes() == (tmp_path / "ref.jsonl").read_bytes()
    assert stats.threads == 1 and stats.lines == 33  # lines of both files


def test_utf16_input_takes_the_line_by_line_reader(tmp_path):
    path = tmp_path / "notepad.txt"
    path.write_bytes("@ann héllo\r\nsecond 1/2\r\nthird 2/2\r\n".encode("utf-16"))
    reference(path, tmp_path / "ref.jsonl")
    fast(path, tmp_path / "out.jsonl", workers=2)
    assert (tmp_path / "out.jsonl").read_bytes() == (tmp_path / "ref.jsonl").read_bytes()


@pytest.mark.parametrize(
    ("make", "error"),
    [
        (lambda p: p, InputNotFound),
        (lambda p: p.mkdir() or p, UnreadableInput),
        (lambda p: p.write_bytes(b"\x89PNG\r\n\x1a\n" + bytes(200)) and p, UnreadableInput),
    ],
)
def test_bad_inputs_raise_and_leave_no_output(tmp_path, make, error):
    bad = make(tmp_path / "in.txt")
    with pytest.raises(error):
        parse_to(bad, tmp_path / "out.jsonl", format="lines")
    assert not list(tmp_path.glob("out.jsonl*")) and not list(tmp_path.glob(".out.jsonl*"))


def test_cli_parse_lines_from_a_pipe_matches_the_file_records(tmp_path, seed_path):
    out = subprocess.run(
        [sys.executable, "-m", "socialscan", "parse", "-", "--format", "lines", "-q"],
        input=seed_path.read_bytes(),
        capture_output=True,
        check=True,
    ).stdout
    posts = [socialscan.Post.from_dict(orjson.loads(x)) for x in out.splitlines()]
    want = socialscan.parse(seed_path, format="lines")
    assert [(p.text, p.line_start, p.kind) for p in posts] == [
        (p.text, p.line_start, p.kind) for p in want
    ]
    assert {p.source for p in posts} == {"-"}


@pytest.mark.parametrize("target", ["file", "pipe", "memory"])
def test_spooled_blocks_are_copied_into_any_output_and_deleted(tmp_path, target):
    """Workers hand JSONL back as files; the writer moves them into files, pipes or buffers."""
    import os
    import threading

    from socialscan.export.writers import Spooled

    spool = tmp_path / "block.jsonl"
    spool.write_bytes(b'{"a":1}\n' * 50_000)
    records = [{"b": 0}, Spooled(str(spool), 50_000), {"c": 2}]
    want = b'{"b":0}\n' + b'{"a":1}\n' * 50_000 + b'{"c":2}\n'
    if target == "file":
        with open(tmp_path / "out.jsonl", "wb") as fh:
            n = write_jsonl(records, fh)
        got = (tmp_path / "out.jsonl").read_bytes()
    elif target == "memory":
        fh = io.BytesIO()
        n = write_jsonl(records, fh)
        got = fh.getvalue()
    else:
        r, w = os.pipe()
        chunks: list[bytes] = []
        reader = threading.Thread(target=lambda: chunks.append(os.fdopen(r, "rb").read()))
        reader.start()
        with os.fdopen(w, "wb") as fh:
            n = write_jsonl(records, fh)
        reader.join()
        got = chunks[0]
    assert got == want and n == 50_002 and not spool.exists()


RECORDS = [
    ("0123456789abcdef", "post", "a plain post", 1, [], [], [], [], [], [], False, None),
    (
        "0123456789abcdef",
        "reply",
        '=1+"x"\t\\ é 🚀 \u2028 100% %s',
        7,
        ["https://t.co/x"],
        ["ann", "bo"],
        ["AI"],
        ["TSLA"],
        ["🚀", "🚀"],
        ["ann"],
        True,
        None,
    ),
    (
        "fedcba9876543210",
        "link",
        "https://t.co/x",
        12,
        ["https://t.co/x"],
        [],
        [],
        [],
        [],
        [],
        False,
        "0123456789abcdee",
    ),  # fmt: skip
]
SOURCES = ["a.txt", "-", 'we%ird\n"name".txt', "=cmd|' /C calc'!A0.txt"]


def written(to, records, source, columns=COLUMNS):
    """What the writers write for these records' Posts (the dict path)."""
    from socialscan.export.encode import line_record_dict

    out = io.BytesIO() if to == "jsonl" else io.StringIO()
    dicts = [line_record_dict(rec, tid, source) for rec, tid in records]
    if to == "jsonl":
        write_jsonl(dicts, out)
        return out.getvalue()
    from socialscan.export.writers import write_csv

    write_csv(dicts, out, columns)
    return out.getvalue().split("\n", 1)[1]  # the rows, without the header


@pytest.mark.parametrize("source", SOURCES)
@pytest.mark.parametrize("to", ["jsonl", "csv"])
def test_line_encoders_write_what_the_writers_write(to, source):
    records = [(rec, tid) for rec in RECORDS for tid in (None, "fedcba9876543210")]
    enc = line_encoder(to, source)
    got = enc.join([enc.one(rec, tid) for rec, tid in records])
    assert got.data == written(to, records, source) and got.count == len(records)


@pytest.mark.parametrize("source", SOURCES)
@pytest.mark.parametrize("to", ["jsonl", "csv", "parquet"])
def test_line_encoders_mark_repeats_from_earlier_blocks_as_the_writers_would(to, source):
    records = [(rec, None) for rec in RECORDS[:2]]
    enc = line_encoder(to, source)
    body = enc.patch(enc.join([enc.one(rec, tid) for rec, tid in records]), {1: "00000000000000aa"})
    marked = [records[0], ((*records[1][0][:-1], "00000000000000aa"), None)]
    if to == "parquet":
        from socialscan.export.encode import line_record_dict

        assert body == [line_record_dict(rec, tid, source) for rec, tid in marked]
    else:
        assert body.data == written(to, marked, source)


def test_line_encoders_survive_pickling_into_workers():
    import pickle

    enc = pickle.loads(pickle.dumps(line_encoder("jsonl", "a.txt")))
    assert enc.join([enc.one(RECORDS[1], None)]).data == written(
        "jsonl", [(RECORDS[1], None)], "a.txt"
    )


@pytest.mark.parametrize("to", ["jsonl", "csv"])
def test_line_encoders_follow_the_column_list(monkeypatch, to):
    """A new column order (duplicate_of first, source last) needs no edit in the encoders."""
    from socialscan import records
    from socialscan.export import encode

    columns = (
        "duplicate_of",
        *(c for c in COLUMNS if c not in ("duplicate_of", "source")),
        "source",
    )
    monkeypatch.setattr(records, "COLUMNS", columns)
    monkeypatch.setattr(encode, "COLUMNS", columns)
    records_ = [(rec, None) for rec in RECORDS]
    enc = line_encoder(to, "a.txt")
    body = enc.join([enc.one(rec, tid) for rec, tid in records_])
    assert body.data == written(to, records_, "a.txt", columns)
    marked = [records_[0], ((*RECORDS[1][:-1], "00000000000000aa"), None), records_[2]]
    assert enc.patch(body, {1: "00000000000000aa"}).data == written(to, marked, "a.txt", columns)
