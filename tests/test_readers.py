"""Structured inputs: twarc JSONL, snscrape, X archive tweets.js, CSV; format detection."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

import socialscan
from socialscan.errors import MalformedInput, MissingColumn
from socialscan.readers import detect_format
from socialscan.readers.stats import ParseStats

DATA = Path(__file__).parent / "data"


@pytest.mark.parametrize(
    ("name", "fmt"),
    [
        ("two_tweets.jsonl", "jsonl"),
        ("tweets.js", "archive"),
        ("twarc.csv", "csv"),
        ("snscrape.jsonl", "jsonl"),
    ],
)
def test_formats_are_detected(name, fmt):
    assert detect_format(DATA / name) == fmt


def test_a_spreadsheet_saved_as_txt_is_read_as_a_table_and_a_dump_with_commas_is_not(tmp_path):
    sheet = tmp_path / "export.txt"
    sheet.write_text(
        "created_at\tusername\ttext\n"
        "2024-01-01\tann\tFine tuning, not prompting\n"
        "2024-01-02\tbob\t@ann agreed\n",
        encoding="utf-8",
    )
    posts = socialscan.parse(sheet)
    assert detect_format(sheet) == "csv"
    assert [(p.author, p.text, p.kind) for p in posts] == [
        ("ann", "Fine tuning, not prompting", "post"),
        ("bob", "@ann agreed", "reply"),
    ]
    dump = tmp_path / "dump.txt"
    dump.write_text("text, please\nI used to be shy, and now\tnot\n", encoding="utf-8")
    assert detect_format(dump) == "dump"


def test_twarc_pages_keep_ids_authors_and_times():
    posts = socialscan.parse(DATA / "two_tweets.jsonl")
    assert len(posts) == 1  # one page: the retweet; the retweeted tweet is only in includes
    first = posts[0]
    assert first.tweet_id == first.id == "1394735776701816833"
    assert first.author == "LachiVeronica"
    assert first.created_at == "2021-05-18T19:24:56.000Z"
    assert first.line_start == first.line_end == 1


def test_a_stream_with_an_error_line_skips_and_counts_it():
    stats = ParseStats()
    posts = socialscan.parse(DATA / "streaming_output_with_error.jsonl", stats=stats)
    assert posts and stats.skipped == 1 and stats.skipped_lines
    assert "1 malformed line skipped (line " in stats.summary()


def test_strict_fails_on_the_error_line():
    with pytest.raises(MalformedInput, match=r":\d+: not valid JSON"):
        socialscan.parse(DATA / "streaming_output_with_error.jsonl", strict=True)


def test_snscrape_lines():
    (p,) = socialscan.parse(DATA / "snscrape.jsonl")
    assert p.kind == "reply" and p.reply_to == ["alice"] and p.in_reply_to_id == "41"
    assert p.author == "bob" and p.cashtags == ["TSLA"] and p.hashtags == ["investing"]
    assert p.links == ["https://example.org/x"] and p.emojis == ["🚀"]


def test_archive_tweets_js():
    posts = socialscan.parse(DATA / "tweets.js")
    assert [p.tweet_id for p in posts] == ["1600000000000000001", "1600000000000000002"]
    assert posts[0].text.startswith("Fine-tuning is for behaviour, not knowledge & facts.")
    assert posts[0].created_at == "2022-12-06T10:00:00+00:00"
    assert posts[1].kind == "reply" and posts[1].links == ["https://example.com/post"]
    assert posts[0].line_start == 2 and posts[1].line_start > posts[0].line_end


def test_truncated_archive_keeps_complete_entries(tmp_path):
    text = (DATA / "tweets.js").read_text()
    cut = tmp_path / "tweets.js"
    cut.write_text(text[: text.index('"@ann agreed')])
    stats = ParseStats()
    posts = socialscan.parse(cut, stats=stats)
    assert len(posts) == 1 and stats.skipped == 1
    with pytest.raises(MalformedInput, match="truncated"):
        socialscan.parse(cut, strict=True)


def test_twarc_csv_rows_span_lines():
    posts = socialscan.parse(DATA / "twarc.csv")
    assert [(p.line_start, p.line_end) for p in posts] == [(2, 3), (4, 4)]
    assert posts[0].text == "First line\nsecond line" and posts[0].author == "ann"
    assert posts[1].in_reply_to_id == "1" and posts[1].kind == "reply"


def test_chatgpt_style_csv_uses_the_tweet_column():
    (p,) = socialscan.parse(DATA / "chatgpt.csv")
    assert p.text.startswith("ChatGPT wrote my cover letter.") and p.hashtags == ["chatgpt"]
    assert p.created_at == "2023-02-24 07:54:12+00:00"


@pytest.mark.parametrize(
    ("name", "content"),
    [
        (
            "posts.tsv",
            "created_at\tusername\ttext\n2023-03-01T14:22:00Z\tsama\thello, world @ann\n",
        ),
        ("posts.csv", "id;Text;Author\n1;hello, world @ann;sama\n"),  # a spreadsheet's export
        (
            "apify.csv",
            'id,fullText,createdAt,author/userName\n1,"hello, world @ann",2023-03-01,sama\n',
        ),
    ],
)
def test_tab_and_semicolon_separated_files_and_other_column_names_parse(tmp_path, name, content):
    path = tmp_path / name
    path.write_text(content, encoding="utf-8")
    (p,) = socialscan.parse(path)
    assert p.text == "hello, world @ann" and p.author == "sama" and p.mentions == ["ann"]
    assert p.line_start == 2


def test_csv_without_text_column(tmp_path):
    path = tmp_path / "x.csv"
    path.write_text("a,b\n1,2\n")
    with pytest.raises(MissingColumn, match="no text column"):
        socialscan.parse(path)


def test_empty_jsonl_gives_no_posts(tmp_path):
    path = tmp_path / "empty.jsonl"
    path.write_text("")
    assert socialscan.parse(path) == []


def test_real_twarc_samples_all_parse(shared_data):
    stats = ParseStats()
    files = sorted((shared_data / "twarc-jsonl").glob("*.jsonl"))
    posts = list(socialscan.iter_parse(files, stats=stats))
    assert len(posts) > 500
    assert stats.skipped == 1  # the one error line in streaming_output_with_error.jsonl
    assert sum(p.kind == "reply" for p in posts) > 100


APIFY = """[
  {
    "type": "tweet",
    "id": "1631000000000000001",
    "fullText": "seeing a lot of confusion about this, so for clarity:\\nopenai never trains on the api",
    "createdAt": "Wed Mar 01 14:22:00 +0000 2023",
    "author": {"userName": "sama", "id": "1605"},
    "conversationId": "1631000000000000001"
  },
  {
    "type": "tweet",
    "id": "1631000000000000002",
    "text": "@karpathy agreed",
    "author": {"userName": "rachel"},
    "inReplyToId": "1617979122625712128"
  }
]
"""


@pytest.mark.parametrize("name", ["tweets.json", "tweets.txt"])
def test_a_pretty_printed_json_array_of_tweets_parses_with_each_objects_lines(tmp_path, name):
    path = tmp_path / name
    path.write_text(APIFY, encoding="utf-8")
    assert detect_format(path) == "jsonl"
    posts = socialscan.parse(path)
    assert [(p.line_start, p.line_end) for p in posts] == [(2, 9), (10, 16)]
    assert [p.author for p in posts] == ["sama", "rachel"]
    assert posts[0].text.endswith("openai never trains on the api")
    assert posts[0].created_at == "2023-03-01T14:22:00+00:00"
    assert posts[1].kind == "reply" and posts[1].in_reply_to_id == "1617979122625712128"


def test_a_json_document_is_never_cut_into_line_ranges(tmp_path):
    from socialscan.distributed.partitions import plan_partitions

    path = tmp_path / "big.json"
    path.write_text(APIFY * 1, encoding="utf-8")
    assert [p.whole for p in plan_partitions(path, partitions=4)] == [True]
    lines = tmp_path / "big.jsonl"
    lines.write_text('{"id": "1", "text": "hi"}\n' * 400, encoding="utf-8")
    assert len(plan_partitions(lines, partitions=4)) > 1


def test_a_truncated_json_array_keeps_its_complete_tweets(tmp_path):
    path = tmp_path / "cut.json"
    path.write_text(APIFY[: APIFY.index('"inReplyToId"')], encoding="utf-8")
    stats = ParseStats()
    posts = list(socialscan.iter_parse(path, stats=stats))
    assert [p.author for p in posts] == ["sama"] and stats.skipped == 1
    with pytest.raises(MalformedInput, match="truncated"):
        socialscan.parse(path, strict=True)


def test_a_retweet_gives_the_retweeted_post_in_full(tmp_path):
    cut = "RT @sama: seeing a lot of confusion about this, so for clarity: openai never trains on…"
    whole = (
        "seeing a lot of confusion about this, so for clarity: openai never trains on anything "
        "ever submitted to the api or uses that data to improve our models in any way."
    )
    v2 = {
        "data": [{"id": "2", "text": cut, "referenced_tweets": [{"type": "retweeted", "id": "1"}]}],
        "includes": {"tweets": [{"id": "1", "text": whole}]},
    }
    v1 = {"id_str": "3", "full_text": cut, "retweeted_status": {"id_str": "1", "full_text": whole}}
    path = tmp_path / "rts.jsonl"
    path.write_text(f"{json.dumps(v2)}\n{json.dumps(v1)}\n", encoding="utf-8")
    posts = socialscan.parse(path)
    assert [p.text for p in posts] == [f"RT @sama: {whole}"] * 2
    assert all(p.mentions == ["sama"] for p in posts)


def test_real_retweets_are_mostly_whole(shared_data):
    files = sorted((shared_data / "twarc-jsonl").glob("*.jsonl"))
    retweets = [p for p in socialscan.iter_parse(files) if p.text.startswith("RT @")]
    cut = [p for p in retweets if p.text.endswith("…")]
    assert len(retweets) > 500 and len(cut) < 0.15 * len(retweets)  # 651 of 815 before


# --- A format that does not fit the input is never a silent empty answer (issue 20) ---

SEED = Path(__file__).resolve().parents[1] / "corpora" / "seed_dump.txt"
TWEETEVAL = Path(__file__).resolve().parents[2] / "shared" / "data" / "tweeteval"


@pytest.mark.parametrize(
    ("path", "forced", "error", "looks_like"),
    [
        (SEED, "jsonl", "nothing in it parses as jsonl (42 of 42 lines", "a raw dump"),
        (SEED, "csv", "no text column", "a raw dump"),
        (SEED, "archive", "not an archive", "a raw dump"),
        (DATA / "twarc.csv", "jsonl", "nothing in it parses as jsonl", "a CSV table"),
        (DATA / "two_tweets.jsonl", "csv", "no text column", "JSON lines"),
        (DATA / "tweets.js", "csv", "no text column", "an X archive's tweets.js"),
        (TWEETEVAL / "irony" / "test_text.txt", "jsonl", "nothing in it", "one post a line"),
    ],
)
def test_a_forced_format_that_fits_nothing_raises_and_names_the_one_that_fits(
    path, forced, error, looks_like
):
    guess = socialscan.readers.resolve_format(path)
    with pytest.raises((MalformedInput, MissingColumn)) as e:
        socialscan.parse(path, format=forced)
    message = str(e.value)
    assert error in message and "\n" not in message
    assert message.endswith(f"it looks like {looks_like}: drop --format or use --format {guess}")


def test_an_input_of_which_nothing_parses_as_its_own_format_raises_without_a_hint(tmp_path):
    path = tmp_path / "cut.jsonl"  # every line cut short, as a copy interrupted by a quota
    lines = (DATA / "two_tweets.jsonl").read_text(encoding="utf-8").splitlines()
    path.write_text("".join(line[: len(line) // 2] + "\n" for line in lines), encoding="utf-8")
    with pytest.raises(MalformedInput, match="nothing in it parses as jsonl") as e:
        socialscan.parse(path)
    assert "looks like" not in str(e.value)


def test_most_lines_skipped_is_a_warning_and_a_few_are_not(tmp_path, shared_data):
    tweets = (shared_data / "twarc-jsonl" / "flat.jsonl").read_text(encoding="utf-8").splitlines()
    text = SEED.read_text(encoding="utf-8").splitlines()
    mostly_bad = tmp_path / "mostly_bad.jsonl"  # 20 tweets, each under a line of a dump
    lines = [x for pair in zip(tweets[:20], text[:20], strict=True) for x in pair] + text[20:30]
    mostly_bad.write_text("\n".join(lines) + "\n", encoding="utf-8")
    stats = ParseStats()
    posts = socialscan.parse(mostly_bad, stats=stats)
    assert len(posts) == 20 and stats.skipped == 30
    assert stats.warnings == [
        f"{mostly_bad}: most lines do not parse as jsonl (30 of 50 skipped: invalid JSON)"
    ]
    a_few_bad = tmp_path / "a_few_bad.jsonl"
    a_few_bad.write_text("\n".join(tweets[:20] + text[:3]) + "\n", encoding="utf-8")
    stats = ParseStats()
    assert len(socialscan.parse(a_few_bad, stats=stats)) == 20
    assert stats.skipped == 3 and stats.warnings == []


def test_text_forced_onto_a_structured_file_parses_with_a_warning():
    stats = ParseStats()
    posts = socialscan.parse(DATA / "two_tweets.jsonl", format="lines", stats=stats)
    assert posts and stats.warnings == [
        f"{DATA / 'two_tweets.jsonl'} was read as one post a line but looks like JSON lines: "
        "drop --format or use --format jsonl"
    ]


@pytest.mark.parametrize("content", [b"", b"\n", b"\n \n\t\n\r\n", b"\xef\xbb\xbf"])
@pytest.mark.parametrize("fmt", ["auto", "dump", "lines", "jsonl", "archive", "csv"])
def test_an_empty_input_holds_no_records_in_every_format(tmp_path, content, fmt):
    path = tmp_path / "empty.txt"
    path.write_bytes(content)
    stats = ParseStats()
    assert socialscan.parse(path, format=fmt, stats=stats) == []
    assert stats.records == 0 and stats.warnings == [] and not stats.segmenters
    assert " read: 0 records (0 posts" in stats.summary()


def test_every_tweeteval_text_file_is_read_as_one_post_a_line():
    files = sorted(TWEETEVAL.glob("**/*_text.txt"))
    assert len(files) == 32
    assert {str(f.relative_to(TWEETEVAL)): socialscan.readers.resolve_format(f) for f in files} == {
        str(f.relative_to(TWEETEVAL)): "lines" for f in files
    }


def _synthetic_dumps(shared_data: Path, tmp_path: Path) -> list[Path]:
    """Dumps pasted from real multi-line posts (twarc samples, chatgpt tweets): as a person
    copies them (links and most hashtags gone, no blank lines) and as a scrape comes out."""
    from training.segments.dumps import edited_dumps, make_dumps
    from training.segments.sources import chatgpt_posts, twarc_posts

    twarc = twarc_posts(sorted((shared_data / "twarc-jsonl").glob("*.jsonl")))
    chatgpt = chatgpt_posts([shared_data / "chatgpt-tweets" / "Oceania.csv"])
    dumps = edited_dumps(twarc, 12, 7, "t") + edited_dumps(chatgpt, 12, 8, "c")
    dumps += list(make_dumps(twarc + chatgpt, 12, 9, "m"))
    paths = []
    for i, dump in enumerate(dumps):
        paths.append(tmp_path / f"dump{i}.txt")
        paths[-1].write_text(dump.text, encoding="utf-8")
    return paths


def test_raw_dumps_stay_dumps(shared_data, tmp_path):
    real = [SEED, DATA / "x_timeline_copy.txt", DATA / "linkedin_feed_copy.txt"]
    dumps = real + _synthetic_dumps(shared_data, tmp_path)
    assert [socialscan.readers.resolve_format(p) for p in dumps] == ["dump"] * len(dumps)


def test_one_post_a_line_is_said_in_the_summary_and_a_forced_format_overrides_it():
    path = TWEETEVAL / "stance" / "climate" / "val_text.txt"
    stats = ParseStats()
    posts = socialscan.parse(path, stats=stats)
    n = sum(1 for line in path.read_text(encoding="utf-8").splitlines() if line.strip())
    assert len(posts) == n and stats.read_as_lines == [str(path)]
    assert stats.summary().endswith("; read as one post a line (--format dump to override)")
    stats = ParseStats()
    socialscan.parse(path, format="dump", stats=stats)
    assert stats.read_as_lines == [] and stats.segmenters
    assert "one post a line" not in stats.summary()


@pytest.mark.parametrize(
    "line",
    [
        "a plain post",
        "@ann @bo_2 a reply with #AI and $TSLA 🚀",
        "https://t.co/abc www.example.org/x",
        "http://ab",  # a link line whose link is too short to keep
        "        RT @ann: a retweet after leading spaces",
        "RT @kat@weatherishappening.network #ChatGPT and its ilk",
        "Q&amp;A on R&D: 1 &lt; 2 1/3",
        "see github.com/openai/evals… (via openai.com).",
        "＠ann fullwidth reply ＃tag",
    ],
)
def test_a_line_reads_as_the_dump_reads_a_one_line_post(line):
    """One post a line is the same reading of a post as a dump's, line by line."""
    from socialscan.readers.dump import make_post
    from socialscan.readers.lines import read_lines_format
    from socialscan.text.entities import decode_entities

    (got,) = read_lines_format(iter([(7, line)]), "in.txt", ParseStats())
    want = make_post([(7, decode_entities(line))], "in.txt", "in.txt")
    want.id = socialscan.records.stable_id("in.txt", 7, line)  # the line as written
    assert got == want


def test_threads_are_joined_the_same_way_by_every_path(tmp_path):
    """The Post reader, the block path and Dask's partitions give one thread the same ids."""
    from socialscan.distributed.partitions import (
        assign_partition_threads,
        link_partitions,
        parse_partition,
        plan_partitions,
    )

    path = tmp_path / "in.txt"
    path.write_text(
        "intro\n" + "".join(f"on tuning, part {k}/9\n" for k in range(1, 10)) + "plain\nlast 1/2\n"
    )
    posts = socialscan.parse(path, format="lines")
    out = tmp_path / "out.jsonl"
    socialscan.parse_to(path, out, format="lines")
    fast = [json.loads(x)["thread_id"] for x in out.read_text().splitlines()]
    parsed = [parse_partition(p) for p in plan_partitions(path, "lines", partitions=4)]
    links = link_partitions([p.ends() for p in parsed])
    dask = [
        q.thread_id
        for p, k in zip(parsed, links, strict=True)
        for q in assign_partition_threads(p, k)[0]
    ]
    assert [p.thread_id for p in posts] == fast == dask
    assert fast[1:10] == [posts[1].id] * 9 and fast[0] is None and fast[10:] == [None, None]
