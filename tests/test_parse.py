"""Parsing raw dumps: the seed corpus, kinds, spans, and nothing lost."""

from __future__ import annotations

import socialscan
from socialscan.readers.stats import ParseStats


def spans(posts):
    return [(p.line_start, p.line_end) for p in posts]


def covered_lines(posts):
    return [n for p in posts for n in range(p.line_start, p.line_end + 1)]


def test_seed_replies_and_link_lines_are_their_own_units(seed_path):
    posts = socialscan.parse(seed_path)
    by_span = {(p.line_start, p.line_end): p for p in posts}
    # the units a person sees whatever the thread above does
    assert by_span[(33, 33)].kind == "reply" and by_span[(33, 33)].reply_to == ["ChloeMaal"]
    assert by_span[(34, 35)].kind == "reply" and by_span[(34, 35)].links == [
        "https://t.co/gGdaM0KWsx"
    ]
    assert by_span[(36, 38)].kind == "post" and by_span[(36, 38)].text.endswith(
        "Give it a try\nhttps://t.co/GssGsBQDpl"
    )
    assert by_span[(39, 39)].kind == "reply"
    # the closing post: one record, or records of one thread
    tail = [p for p in posts if p.line_start >= 40]
    assert tail[0].line_start == 40 and tail[-1].line_end == 42
    assert len(tail) == 1 or len({p.thread_id for p in tail} - {None}) == 1


def test_seed_fine_tuning_thread_never_merges_into_the_replies(seed_path):
    posts = socialscan.parse(seed_path)
    head = [p for p in posts if p.line_start <= 27]
    assert head[0].line_start == 1
    assert all(p.line_end < 33 for p in head)


def test_every_seed_line_lands_in_exactly_one_record_verbatim(seed_path):
    lines = seed_path.read_text(encoding="utf-8").splitlines()
    posts = socialscan.parse(seed_path)
    assert covered_lines(posts) == list(range(1, len(lines) + 1))
    for p in posts:
        assert p.text == "\n".join(lines[p.line_start - 1 : p.line_end])


def test_ids_are_stable_across_runs(seed_path):
    assert [p.id for p in socialscan.parse(seed_path)] == [
        p.id for p in socialscan.parse(seed_path)
    ]


def test_text_input_and_link_attachment():
    posts = socialscan.parse(
        "@ann Totally agree with this take on pricing.\nhttps://t.co/abc\nOur cat learned to open the fridge today."
    )
    assert [(p.kind, p.line_start, p.line_end) for p in posts] == [("reply", 1, 2), ("post", 3, 3)]
    assert posts[0].source == "<text>"


def test_a_bare_link_line_belongs_to_the_post_above_as_a_scheme_link_does():
    posts = socialscan.parse(
        "Shipped our eval harness for RAG pipelines today.\npic.twitter.com/AbCdEf123\n"
        "@karpathy totally agree, tokenization is the root of half the bugs"
    )
    assert [(p.kind, p.line_start, p.line_end) for p in posts] == [("post", 1, 2), ("reply", 3, 3)]
    assert posts[0].links == ["pic.twitter.com/AbCdEf123"]


def test_a_link_line_with_nothing_above_is_a_link_record():
    posts = socialscan.parse("https://t.co/abc\n@bob Loved your talk at the meetup yesterday.")
    assert posts[0].kind == "link" and posts[0].links == ["https://t.co/abc"]


def test_bom_crlf_and_lone_cr_parse_like_lf(tmp_path):
    text = "@ann Totally agree with this take on pricing.\nhttps://t.co/abc\n@bob_dev I think you are wrong here, the API got cheaper.\n"
    plain = tmp_path / "lf.txt"
    plain.write_bytes(text.encode())
    crlf = tmp_path / "crlf.txt"
    crlf.write_bytes(b"\xef\xbb\xbf" + text.replace("\n", "\r\n").encode())
    cr = tmp_path / "cr.txt"
    cr.write_bytes(text.replace("\n", "\r").encode())
    expected = [(p.kind, p.line_start, p.line_end, p.text) for p in socialscan.parse(plain)]
    for path in (crlf, cr):
        assert [
            (p.kind, p.line_start, p.line_end, p.text) for p in socialscan.parse(path)
        ] == expected


def test_undecodable_bytes_are_replaced_and_counted(tmp_path):
    path = tmp_path / "bad.txt"
    path.write_bytes("caf\u00e9 ok\n".encode() + b"bad \xff\xfe bytes \xe2\x82\n")
    stats = ParseStats()
    posts = socialscan.parse(path, stats=stats)
    joined = "\n".join(p.text for p in posts)
    assert joined.count("\ufffd") == 3 and stats.bytes_replaced == 3
    assert "café ok" in joined


def test_literal_replacement_characters_are_not_counted(tmp_path):
    path = tmp_path / "lit.txt"
    path.write_text("already \ufffd here\n", encoding="utf-8")
    stats = ParseStats()
    socialscan.parse(path, stats=stats)
    assert stats.bytes_replaced == 0


def test_blank_lines_between_posts_belong_to_no_record(tmp_path):
    path = tmp_path / "gaps.txt"
    path.write_text(
        "\n\n@ann Thanks for sharing the slides!\n\n\n@bob Where can I find the recording?\n\n",
        encoding="utf-8",
    )
    posts = socialscan.parse(path)
    assert spans(posts) == [(3, 3), (6, 6)]


def test_lines_format_is_one_post_a_line(tmp_path):
    path = tmp_path / "lines.txt"
    path.write_text("one\ntwo\n\nthree\n", encoding="utf-8")
    assert spans(socialscan.parse(path, format="lines")) == [(1, 1), (2, 2), (4, 4)]


def test_to_frame_has_the_documented_columns(seed_path):
    df = socialscan.to_frame(socialscan.parse(seed_path))
    assert list(df.columns) == list(socialscan.COLUMNS)
    assert df["line_start"].dtype == "int64"
    assert all(isinstance(v, list) for v in df["links"])


THREAD = """@maria_k Thanks, that helped a lot with my setup!
We just shipped offline topic modelling in socialscan. Here is what changed 🧵 1/3
https://t.co/a1b2c3d4e5
Parsing now streams, so a 1 GB dump stays in flat memory. 2/3
https://t.co/f6g7h8i9j0
Next up: a Dask engine for the really big archives. 3/3
"""


def test_numbered_posts_share_a_thread_id():
    posts = socialscan.parse(THREAD)
    assert [(p.line_start, p.line_end) for p in posts] == [(1, 1), (2, 3), (4, 5), (6, 6)]
    assert posts[0].thread_id is None
    assert len({p.thread_id for p in posts[1:]}) == 1 and posts[1].thread_id == posts[1].id


# One author's posts on one theme, pasted with a blank line between each two: the topic
# carries across every gap, so only the dump's use of blank lines says where posts end.
BLANK_DELIMITED = [
    "Prompting tips that changed how I use LLMs:\n- give it a role\n- show two examples\n"
    "- ask for the format you want",
    "Shipped our eval harness today\nit runs every prompt change against 300 real support tickets",
    "Fine-tuning is not a shortcut.\nMost of the work is still cleaning the data",
    "Hot take: small models + retrieval beat big models for support bots.\n"
    "Cheaper, faster, easier to debug.",
    "Who else is going to the AI meetup in Berlin next week?\nDM me",
    "@sam_builds agreed, the evals are the product",
    "We wrote up everything we learned fine-tuning a 1B model for triage\nhttps://t.co/AbCdEf123",
]


def test_blank_lines_delimit_posts_when_the_dump_uses_them_that_way():
    posts = socialscan.parse("\n\n".join(BLANK_DELIMITED))
    assert [p.text for p in posts] == BLANK_DELIMITED


def test_parse_to_writes_the_format_the_output_is_named_for_and_refuses_unknown_ones(
    tmp_path, seed_path
):
    import csv

    import pytest

    from socialscan.errors import UnknownFormat

    n = socialscan.parse_to(seed_path, tmp_path / "posts.csv", segmenter="fast")
    rows = list(csv.DictReader((tmp_path / "posts.csv").open(encoding="utf-8")))
    assert len(rows) == n and rows[0]["line_start"] == "1"  # CSV, not JSONL named .csv
    with pytest.raises(UnknownFormat, match=r"posts\.xlsx: no output format writes \.xlsx"):
        socialscan.parse_to(seed_path, tmp_path / "posts.xlsx")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["posts.csv"]
    assert (
        socialscan.parse_to(seed_path, tmp_path / "posts.xlsx", to="jsonl", segmenter="fast") == n
    )


def test_parse_to_takes_the_fast_path_for_text_that_is_one_post_a_line(tmp_path, shared_data):
    path = shared_data / "tweeteval" / "hate" / "val_text.txt"
    stats = ParseStats()
    auto = tmp_path / "auto.jsonl"
    socialscan.parse_to(path, auto, stats=stats)
    socialscan.parse_to(path, tmp_path / "lines.jsonl", format="lines")
    assert auto.read_bytes() == (tmp_path / "lines.jsonl").read_bytes()
    assert stats.read_as_lines == [str(path)] and not stats.segmenters
