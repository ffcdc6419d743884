"""--engine dask: the same rows as one process, on a 2-worker LocalCluster bound to 127.0.0.1.

The partition logic (cuts at line boundaries, threads linked across cuts) is also checked
without a cluster, by parsing the pieces one after another in this process.
"""

from __future__ import annotations

import os
from pathlib import Path

import orjson
import pandas as pd
import pytest
from click.testing import CliRunner
from hypothesis import given, settings
from hypothesis import strategies as st

import socialscan
from socialscan.cli import main
from socialscan.distributed import plan_partitions, read_dataset, run_dask
from socialscan.distributed.dataset import read_info
from socialscan.distributed.partitions import link_partitions, parse_partition
from socialscan.distributed.repeats import RepeatWalk, apply_marks, repeat_keys
from socialscan.distributed.stages import assign_topics
from socialscan.errors import InvalidOption, UnwritableOutput
from socialscan.readers.blocks import count_line_breaks
from socialscan.readers.repeats import Repeats
from socialscan.readers.stats import ParseStats
from socialscan.records import Post
from socialscan.results.counts import label_counts

TWARC = [
    "2sets.jsonl",
    "brexit.jsonl",
    "cashtags.jsonl",
    "flat.jsonl",
    "streaming_output_with_error.jsonl",
    "two_tweets.jsonl",
]


@pytest.fixture(scope="module")
def client():
    """One 2-worker cluster for the module (starts in about a second)."""
    from distributed import Client, LocalCluster

    with (
        LocalCluster(
            n_workers=2,
            threads_per_worker=1,
            processes=True,
            dashboard_address=None,
            host="127.0.0.1",
        ) as cluster,
        Client(cluster) as c,
    ):
        yield c


@pytest.fixture(autouse=True)
def _cache(tmp_path_factory, monkeypatch):
    monkeypatch.setenv("SOCIALSCAN_CACHE_DIR", str(tmp_path_factory.getbasetemp() / "cache"))


def one_process(inputs, format="auto", **options):
    """The single-process path the dataset must equal."""
    return socialscan.to_frame(socialscan.parse(inputs, format=format, **options))


def in_order(df):
    return df.sort_values(["source", "line_start"], kind="stable").reset_index(drop=True)


@pytest.fixture(scope="module")
def tweeteval_lines(tmp_path_factory, shared_data):
    """3,000 real tweets, one a line, with what cuts must survive: blank lines, CRLF and lone
    CR breaks, a BOM, and numbered threads (``1/3 2/3 3/3``) placed across the cut points."""
    tweets = (
        (shared_data / "tweeteval" / "stance" / "abortion" / "train_text.txt")
        .read_text(encoding="utf-8")
        .splitlines()
    )
    tweets += (
        (shared_data / "tweeteval" / "emotion" / "train_text.txt")
        .read_text(encoding="utf-8")
        .splitlines()
    )
    out = []
    for i, t in enumerate(tweets[:3000]):
        if i % 50 >= 46:
            t = f"{t} {i % 50 - 45}/4"
        out.append(t.replace("\r", " ").replace("\n", " "))
        if i % 97 == 0:
            out.append("")
    text = "\ufeff" + "\n".join(out[:1000]) + "\r\n" + "\r\n".join(out[1000:2000])
    text += "\r" + "\r".join(out[2000:2100]) + "\n" + "\n".join(out[2100:]) + "\n"
    path = tmp_path_factory.mktemp("lines") / "tweeteval.txt"
    path.write_bytes(text.encode("utf-8"))
    return path


@pytest.fixture(scope="module")
def conversation_jsonl(tmp_path_factory, shared_data):
    """Real twarc tweets one a line (each with its author), grouped so threads cross cuts."""
    rows = []
    for name in TWARC:
        for line in (shared_data / "twarc-jsonl" / name).read_bytes().splitlines():
            try:
                obj = orjson.loads(line)
            except orjson.JSONDecodeError:  # the stream's error line
                continue
            if not isinstance(obj, dict) or not isinstance(obj.get("data"), list):
                continue
            users = {u["id"]: u for u in (obj.get("includes") or {}).get("users", [])}
            for t in obj["data"]:
                if t.get("author_id") in users and t.get("conversation_id"):
                    rows.append((t["conversation_id"], t["author_id"], t, users[t["author_id"]]))
    rows.sort(key=lambda r: (r[0], r[1]))
    path = tmp_path_factory.mktemp("jsonl") / "conversations.jsonl"
    path.write_bytes(
        b"".join(
            orjson.dumps({"data": [t], "includes": {"users": [u]}}) + b"\n" for *_, t, u in rows
        )
    )
    return path


# --- cuts and threads, without a cluster -------------------------------------------------------


@pytest.mark.parametrize(
    ("data", "breaks"),
    [
        (b"one\ntwo\n", 2),
        (b"one\r\ntwo\r\n", 2),
        (b"one\rtwo\rthree\n", 3),
        (b"one\r\r\n", 2),
        (b"\n\n\n", 3),
    ],
)
def test_line_breaks_are_counted_as_the_reader_counts_them(tmp_path, data, breaks):
    p = tmp_path / "x.txt"
    p.write_bytes(data)
    assert count_line_breaks(p, 0, len(data)) == breaks
    assert len(socialscan.parse(str(p), format="lines")) <= breaks


def sequential(inputs, format, partitions, dedupe=True):
    """Parse the planned pieces one after another here, as the workers would, with the
    client's walk over their ids and text keys in between."""
    from socialscan.distributed.partitions import assign_partition_threads

    plan = plan_partitions(inputs, format, partitions)
    parsed = [parse_partition(p) for p in plan]
    links = link_partitions([p.ends() for p in parsed])
    walk = RepeatWalk(dedupe)
    marks = [walk.marks(repeat_keys(p.posts)) for p in parsed]
    posts = [
        q
        for p, link, m in zip(parsed, links, marks, strict=True)
        for q in apply_marks(assign_partition_threads(p, link)[0], m)
    ]
    return plan, socialscan.to_frame(posts)


@pytest.mark.parametrize("partitions", [2, 3, 7, 40])
def test_a_lines_file_cut_in_pieces_parses_like_the_whole(tweeteval_lines, partitions):
    plan, got = sequential(tweeteval_lines, "lines", partitions)
    assert partitions - 1 <= len(plan) <= partitions  # no cut inside the lone-CR stretch
    assert [p.start for p in plan[1:]] == [p.end for p in plan[:-1]]
    expected = one_process(tweeteval_lines, "lines")
    assert expected["thread_id"].notna().sum() >= 40  # the planted threads are there
    pd.testing.assert_frame_equal(got, expected)


@pytest.mark.parametrize("dedupe", [True, False])
def test_conversations_that_cross_cuts_keep_one_thread_id(conversation_jsonl, dedupe):
    expected = one_process(conversation_jsonl, dedupe=dedupe)
    assert expected["thread_id"].notna().sum() >= 100
    for partitions in (2, 5, 23):
        _, got = sequential(conversation_jsonl, "jsonl", partitions, dedupe=dedupe)
        pd.testing.assert_frame_equal(got, expected)


lines_st = st.lists(
    st.sampled_from(
        [
            "Tuning tips 1/3",
            "more on tuning 2/3",
            "last one 3/3",
            "plain post",
            "@ann reply",
            "https://t.co/x",
            "",
            "  ",
            "🧵 thread",
            "café ünïcode",
        ]
    ),
    min_size=1,
    max_size=30,
)


@settings(max_examples=60, deadline=None)
@given(lines=lines_st, breaks=st.sampled_from(["\n", "\r\n", "\r"]), partitions=st.integers(1, 9))
def test_any_cut_of_any_lines_file_parses_like_the_whole(
    tmp_path_factory, lines, breaks, partitions
):
    path = tmp_path_factory.mktemp("prop") / "posts.txt"
    path.write_bytes((breaks.join(lines) + "\n").encode("utf-8"))
    _, got = sequential(path, "lines", partitions)
    pd.testing.assert_frame_equal(got, one_process(path, "lines"))


post_st = st.builds(
    lambda rid, tid, text: Post(
        id=rid, kind="post", text=text, line_start=1, line_end=1, tweet_id=tid
    ),
    st.sampled_from(["1", "2", "3", "a1"]),
    st.sampled_from([None, "", "1", "2", "3"]),
    st.sampled_from(
        [
            "Try Notion AI https://t.co/abc",
            "RT @ann: try  notion ai https://t.co/xyz",
            "RT @ann fine tuning is for behaviour",
            "fine tuning is for behaviour",
            "https://t.co/abc",
            "https://t.co/xyz",
            "",
        ]
    ),
)


@settings(max_examples=200, deadline=None)
@given(
    posts=st.lists(post_st, max_size=25),
    cuts=st.lists(st.integers(0, 25), max_size=4),
    dedupe=st.booleans(),
)
def test_the_clients_walk_marks_repeats_as_one_pass(posts, cuts, dedupe):
    """Whatever Repeats.mark decides (which records to drop, what repeats what), the walk over
    partitions' keys decides the same, however the records are cut into partitions."""
    import copy

    stats_one, stats_walk = ParseStats(posts=len(posts)), ParseStats(posts=len(posts))
    expected = list(Repeats(dedupe, stats_one).mark(copy.deepcopy(posts)))
    bounds = [0, *sorted(min(c, len(posts)) for c in cuts), len(posts)]
    walk = RepeatWalk(dedupe)
    got = []
    for a, b in zip(bounds, bounds[1:], strict=False):
        part = copy.deepcopy(posts[a:b])
        got += apply_marks(part, walk.marks(repeat_keys(part)), stats_walk)
    assert [p.to_dict() for p in got] == [p.to_dict() for p in expected]
    assert stats_walk == stats_one


def test_raw_dumps_csv_and_archives_are_never_cut(seed_path, shared_data):
    csv = next((shared_data / "chatgpt-tweets").glob("*.csv"))
    plan = plan_partitions([seed_path, csv], partitions=16)
    assert [(p.format, p.whole) for p in plan] == [("dump", True), ("csv", True)]


def test_stdin_and_bad_partition_counts_are_refused(seed_path):
    with pytest.raises(InvalidOption, match="stdin"):
        plan_partitions("-")
    with pytest.raises(InvalidOption, match="at least 1"):
        plan_partitions(seed_path, partitions=0)


# --- on a 2-worker LocalCluster ----------------------------------------------------------------


def test_twarc_files_and_a_raw_dump_on_the_cluster_equal_one_process(
    client, tmp_path, shared_data, seed_path, tweeteval_lines
):
    inputs = [str(shared_data / "twarc-jsonl" / n) for n in TWARC] + [
        str(seed_path),
        str(tweeteval_lines),
    ]
    out = tmp_path / "posts.d"
    result = run_dask(inputs, out, partitions=12, client=client)
    assert result.partitions >= 12
    assert len(list(out.glob("part-*.parquet"))) == result.partitions
    got = read_dataset(out)
    stats = ParseStats()
    expected = one_process(inputs, stats=stats)
    pd.testing.assert_frame_equal(in_order(got), in_order(expected))
    # the twarc files overlap: tweets given twice are dropped across partitions, and repeated
    # texts point at their first record in another partition, as in one pass
    assert result.stats.duplicate_ids == stats.duplicate_ids >= 100
    assert got["duplicate_of"].notna().sum() >= 100
    assert result.stats.summary() == stats.summary()
    dump = got[got["source"] == str(seed_path)]
    assert (
        dump[["line_start", "line_end"]].values.tolist()
        == one_process(seed_path)[["line_start", "line_end"]].values.tolist()
    )
    assert result.rows == len(expected) == read_info(out)["rows"]
    # pandas (or Dask, DuckDB, Spark) reads the directory as one table
    assert len(pd.read_parquet(out)) == len(expected)


def test_tagging_on_the_cluster_equals_tag_frame(
    client, tmp_path, tweeteval_lines, seed_path, shared_data
):
    inputs = [tweeteval_lines, seed_path, *(shared_data / "twarc-jsonl" / n for n in TWARC)]
    out = tmp_path / "tagged.d"
    result = run_dask(inputs, out, claims=True, partitions=6, client=client)
    got = read_dataset(out)
    expected = socialscan.tag_frame(one_process(inputs))
    assert set(got.columns) == set(expected.columns)
    assert got["labels"].map(len).sum() >= 5  # real claims were found
    pd.testing.assert_frame_equal(got[list(expected.columns)], expected)
    # what the summary and the report count: a text once, and with its repeats
    once, every = label_counts(got), label_counts(got, repeats=True)
    assert once == label_counts(expected) and every == label_counts(expected, repeats=True)
    assert once["product_plug"] < every["product_plug"]
    assert result.labels == [c[len("score_") :] for c in expected.columns if c.startswith("score_")]


def _agreement(a, b) -> float:
    """Share of posts whose topic in ``b`` is the one matched to their topic in ``a`` (the best
    one-to-one matching of topic ids: ids are ranks by size, which a sample may order apart)."""
    import numpy as np
    from scipy.optimize import linear_sum_assignment

    ua, ia = np.unique(np.asarray(a), return_inverse=True)
    ub, ib = np.unique(np.asarray(b), return_inverse=True)
    m = np.zeros((len(ua), len(ub)), dtype=int)
    np.add.at(m, (ia, ib), 1)
    r, c = linear_sum_assignment(-m)
    return m[r, c].sum() / len(a)


def test_topics_of_data_within_the_sample_are_one_process_topics(client, tmp_path, tweeteval_lines):
    out = tmp_path / "topics.d"
    result = run_dask(
        tweeteval_lines,
        out,
        format="lines",
        topics=True,
        topic_embedder="static",
        partitions=3,
        client=client,
    )
    got = read_dataset(out)
    local = socialscan.fit_topics(one_process(tweeteval_lines, "lines"), embedder="static")
    assert result.sample_size == len(got) == len(local.topics)
    assert got["topic"].tolist() == local.topics and got["topic_label"].tolist() == local.labels
    pd.testing.assert_frame_equal(result.topics.table, local.table)
    assert got["topic"].nunique() >= 5


def test_topics_of_data_beyond_the_sample_are_one_process_topics(
    client, tmp_path, tweeteval_lines, monkeypatch
):
    # one process fits a large corpus on the posts the cluster samples and counts its terms
    # on them; 1,500 of the 3,000 posts stand for the default 20,000 here
    monkeypatch.setattr("socialscan.topics.sample.FIT_SAMPLE", 1500)
    out = tmp_path / "topics.d"
    result = run_dask(
        tweeteval_lines,
        out,
        format="lines",
        topics=True,
        topic_embedder="static",
        sample=1500,
        partitions=3,
        client=client,
    )
    assert result.sample_size == 1500
    got = read_dataset(out)
    local = socialscan.fit_topics(one_process(tweeteval_lines, "lines"), embedder="static")
    assert len(got) == len(local.topics) > result.sample_size
    assert got["topic"].tolist() == local.topics
    assert got["topic_label"].tolist() == local.labels
    # the same table: terms and representatives from the sample, sizes over every record
    pd.testing.assert_frame_equal(result.topics.table, local.table)
    assert result.topics.table["size"].sum() == len(got)
    saved = socialscan.TopicResult.load(out / "_topics")
    pd.testing.assert_frame_equal(saved.table, local.table)
    assert got["topic"].nunique() >= 5
    # the single-process twin: a saved model assigns every unsampled post as the cluster did
    twin = assign_topics(one_process(tweeteval_lines, "lines"), saved)
    assert (twin["topic"] == got["topic"]).mean() >= 0.99


def test_a_named_scheduler_is_used(tmp_path, seed_path):
    from distributed import LocalCluster

    with LocalCluster(
        n_workers=1,
        threads_per_worker=1,
        processes=True,
        dashboard_address=None,
        host="127.0.0.1",
        scheduler_port=0,
    ) as cluster:
        result = run_dask(seed_path, tmp_path / "d", scheduler=cluster.scheduler_address)
    assert result.rows == len(one_process(seed_path))


# --- the command line --------------------------------------------------------------------------


def test_cli_parse_with_the_dask_engine_writes_a_dataset(tmp_path, tweeteval_lines):
    out = tmp_path / "posts.d"
    r = CliRunner().invoke(
        main,
        [
            "parse",
            str(tweeteval_lines),
            "--format",
            "lines",
            "--engine",
            "dask",
            "--partitions",
            "3",
            "-o",
            str(out),
        ],
    )
    assert r.exit_code == 0, r.output
    assert "rows in 3 partitions" in r.stderr
    pd.testing.assert_frame_equal(read_dataset(out), one_process(tweeteval_lines, "lines"))
    assert not [p for p in tmp_path.iterdir() if p.name.startswith(".")]  # no temporary left


def test_cli_keeps_duplicate_ids_when_asked(client, tmp_path, shared_data):
    inputs = [str(shared_data / "twarc-jsonl" / n) for n in TWARC]
    for flag, dedupe in (([], True), (["--keep-duplicate-ids"], False)):
        out = tmp_path / f"posts-{dedupe}.d"
        args = ["parse", *inputs, "--engine", "dask", "--scheduler", client.scheduler.address]
        r = CliRunner().invoke(main, [*args, *flag, "-o", str(out)])
        assert r.exit_code == 0, r.output
        assert ("100 duplicate ids dropped" in r.stderr) is dedupe
        expected = one_process(inputs, dedupe=dedupe)
        pd.testing.assert_frame_equal(read_dataset(out), expected)
        assert expected["duplicate_of"].notna().sum() >= 100


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (
            ["--engine", "dask"],
            "Error: --engine dask writes a Parquet dataset directory: add -o DIR",
        ),
        (
            ["--engine", "dask", "-o", "x.d", "--to", "csv"],
            "Error: --engine dask writes Parquet, not csv",
        ),
        (
            ["--scheduler", "tcp://127.0.0.1:8786"],
            "Error: --scheduler and --partitions need --engine dask",
        ),
        (
            ["--partitions", "4", "-o", "x.jsonl"],
            "Error: --scheduler and --partitions need --engine dask",
        ),
    ],
)
def test_cli_engine_options_are_checked(seed_path, args, message):
    r = CliRunner().invoke(main, ["parse", str(seed_path), *args])
    assert r.exit_code == 2
    assert r.stderr.strip() == message


def test_output_replaces_an_earlier_dataset_but_never_other_files(client, tmp_path, seed_path):
    out = tmp_path / "posts.d"
    run_dask(seed_path, out, client=client)
    run_dask([seed_path, seed_path], out, client=client)  # an earlier dataset is replaced
    assert len(read_dataset(out)) == 2 * len(one_process(seed_path))
    other = tmp_path / "photos"
    other.mkdir()
    (other / "cat.jpg").write_bytes(b"\xff\xd8\xff")
    with pytest.raises(UnwritableOutput, match="not a socialscan dataset"):
        run_dask(seed_path, other, client=client)
    assert os.listdir(other) == ["cat.jpg"]


def test_missing_files_fail_before_any_work(tmp_path):
    r = CliRunner().invoke(
        main, ["parse", str(tmp_path / "nope.jsonl"), "--engine", "dask", "-o", str(tmp_path / "d")]
    )
    assert r.exit_code == 2
    assert "no such file" in r.stderr
    assert not Path(tmp_path / "d").exists()


def test_cli_dask_says_a_plain_text_file_was_read_as_one_post_a_line(tmp_path, shared_data):
    src = shared_data / "tweeteval" / "irony" / "test_text.txt"
    out = tmp_path / "posts.d"
    r = CliRunner().invoke(main, ["parse", str(src), "--engine", "dask", "-o", str(out)])
    assert r.exit_code == 0, r.output
    assert "read as one post a line (--format dump to override)" in r.stderr
    assert " 1 partitions" not in r.stderr
