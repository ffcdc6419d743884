"""Text as the platform shows it, and counts a person believes: entities decoded, retweets'
links expanded, repeated tweet ids dropped, retweets and repeated texts marked and counted once,
distinct evidence, products folded and filtered, cut lists that say so."""

from __future__ import annotations

import csv
import io
import json
import re

import orjson
import pyarrow.parquet as pq
import pytest
from click.testing import CliRunner

import socialscan
from socialscan.api import iter_parse, parse_to
from socialscan.cli import main
from socialscan.readers import pool
from socialscan.readers.repeats import same_text
from socialscan.readers.stats import ParseStats
from socialscan.records import COLUMNS
from socialscan.report.terminal import format_plain
from socialscan.results import Summary, summarize

ENTITY = re.compile(r"&(?:amp|lt|gt|quot|#\d+);")


@pytest.fixture(scope="module")
def chatgpt_csvs(shared_data):
    return sorted((shared_data / "chatgpt-tweets").glob("*.csv"))


@pytest.fixture(scope="module")
def twarc_files(shared_data):
    return sorted((shared_data / "twarc-jsonl").glob("*.jsonl"))


# -- 1. HTML entities ---------------------------------------------------------------------------


def test_the_chatgpt_csvs_reach_the_records_decoded(chatgpt_csvs):
    raw = [
        row["Tweet"]
        for f in chatgpt_csvs
        for row in csv.DictReader(io.StringIO(f.read_text(encoding="utf-8")))
    ]
    posts = socialscan.parse(chatgpt_csvs)
    assert sum(bool(ENTITY.search(t)) for t in raw) > 1000  # the files carry them
    # decoded once, as X shows a bot's doubly escaped "&amp;amp;": only those keep one
    twice = [t for t in raw if re.search(r"&amp;(?:amp|lt|gt|quot|#\d+);", t)]
    assert len([p.text for p in posts if ENTITY.search(p.text)]) <= len(twice) < 50
    escaped = [t for t in raw if "&amp;" in t]
    texts = {p.text for p in posts}
    assert all(t.replace("&amp;", "&").replace("&gt;", ">").replace("&lt;", "<") in texts
               for t in escaped[:200])  # fmt: skip


@pytest.mark.parametrize(
    ("line", "text"),
    [
        ("Q&amp;A with the team &gt;&gt; tomorrow", "Q&A with the team >> tomorrow"),
        ("it&#39;s 1 &lt; 2 &#x1F680;", "it's 1 < 2 🚀"),
        ("AT&T and R&D &notify stay", "AT&T and R&D &notify stay"),
        ("LINK =&amp;gt; https://t.co/x", "LINK =&gt; https://t.co/x"),
    ],
)
def test_one_post_a_line_is_decoded_on_both_paths_with_the_ids_of_the_lines(tmp_path, line, text):
    path = tmp_path / "lines.txt"
    path.write_text(f"{line}\nplain post\n", encoding="utf-8")
    (post, _) = socialscan.parse(path, format="lines")
    assert post.text == text
    verbatim = socialscan.parse(path.read_text(encoding="utf-8").replace("&", "&"), format="lines")
    assert post.id == socialscan.records.stable_id("lines.txt", 1, line)
    parse_to(path, tmp_path / "fast.jsonl", format="lines")
    fast = [orjson.loads(x) for x in (tmp_path / "fast.jsonl").read_bytes().splitlines()]
    assert fast[0]["text"] == text and fast[0]["id"] == post.id and verbatim


def test_a_raw_dump_keeps_its_text_verbatim(tmp_path):
    path = tmp_path / "dump.txt"
    path.write_text("Q&amp;A today: fine tuning &gt; prompting\n\nAnother post here.\n")
    posts = socialscan.parse(path, format="dump")
    assert "Q&amp;A today: fine tuning &gt; prompting" in posts[0].text


def test_topic_text_and_evidence_see_no_entity_words(chatgpt_csvs):
    df = socialscan.to_frame(socialscan.parse(chatgpt_csvs[-1]))  # South America
    words = re.findall(r"\w+", " ".join(df["text"]).lower())
    assert words.count("amp") < 3 and words.count("gt") < 3


# -- 2. retweets' links ------------------------------------------------------------------------


def test_retweets_take_the_expanded_links_the_input_carries(twarc_files):
    posts = list(iter_parse(twarc_files, dedupe=False))
    links = [u for p in posts for u in p.links]
    short = [u for u in links if "//t.co/" in u.split("#")[0]]
    # 427 t.co of 938 links before; what stays is cut in the text itself ("https://t.co/IKv")
    assert len(links) > 900 and len(short) <= 10
    assert all(len(u) < 22 for u in short)
    rts = [p for p in posts if p.is_retweet]
    assert len(rts) > 700 and sum(bool(p.links) for p in rts) > 300


def test_a_v1_retweet_uses_its_retweeted_status_entities():
    tweet = {
        "id_str": "2",
        "full_text": "RT @ann: Try Notion AI https://t.co/short…",
        "user": {"screen_name": "bo"},
        "entities": {"urls": []},
        "retweeted_status": {
            "id_str": "1",
            "full_text": "Try Notion AI https://t.co/short1 and more https://t.co/pic",
            "entities": {
                "urls": [{"url": "https://t.co/short1", "expanded_url": "https://notion.so/ai"}],
                "media": [{"url": "https://t.co/pic", "expanded_url": "https://x.com/ann/photo/1"}],
            },
        },
    }
    from socialscan.readers.tweets import tweet_to_post

    post = tweet_to_post(tweet, source="x", line_start=1, line_end=1)
    assert post.is_retweet and post.text.startswith("RT @ann: Try Notion AI https://t.co/short1")
    assert post.links == ["https://notion.so/ai", "https://x.com/ann/photo/1"]


# -- 3. the same tweet id twice ----------------------------------------------------------------


def test_repeated_tweet_ids_are_dropped_and_counted(twarc_files):
    stats = ParseStats()
    posts = socialscan.parse(twarc_files, stats=stats)
    kept = socialscan.parse(twarc_files, dedupe=False)
    assert len({p.tweet_id for p in posts}) == len(posts)
    assert stats.duplicate_ids == len(kept) - len(posts) > 100
    assert stats.records == len(posts)
    assert f"{stats.duplicate_ids} duplicate ids dropped" in stats.summary()


def test_a_file_given_twice_is_read_once_unless_asked(tmp_path, shared_data):
    path = shared_data / "twarc-jsonl" / "brexit.jsonl"
    once = socialscan.parse(path)
    runner = CliRunner()
    r = runner.invoke(main, ["parse", str(path), str(path), "-o", str(tmp_path / "o.jsonl")])
    assert r.exit_code == 0, r.output
    assert len((tmp_path / "o.jsonl").read_bytes().splitlines()) == len(once)
    assert f"{len(once)} duplicate ids dropped" in r.stderr
    r = runner.invoke(
        main,
        ["parse", str(path), str(path), "--keep-duplicate-ids", "-o", str(tmp_path / "k.jsonl")],
    )
    assert r.exit_code == 0 and "duplicate" not in r.stderr
    assert len((tmp_path / "k.jsonl").read_bytes().splitlines()) == 2 * len(once)


def test_a_raw_dump_that_names_one_status_twice_keeps_both_records(tmp_path):
    """A dump's record gets a tweet id from a status link it quotes; the same link posted
    twice is two posts, and a dump loses no line."""
    path = tmp_path / "dump.txt"
    status = "https://x.com/sama/status/1631"
    path.write_text(f"{status}\nSo this happened today, worth a read\n\n{status}\n")
    stats = ParseStats()
    posts = socialscan.parse(path, format="dump", stats=stats)
    lines = [n for p in posts for n in range(p.line_start, p.line_end + 1)]
    assert lines == [1, 2, 4] and stats.duplicate_ids == 0


# -- 4. retweets and repeated texts marked -----------------------------------------------------


def test_same_text_sets_aside_retweet_prefix_links_case_and_spacing():
    assert same_text("RT @bot: Try  NOTION AI\nhttps://t.co/a") == same_text(
        "try notion ai https://t.co/b"
    )
    assert same_text("Try Notion AI") != same_text("Try Notion")


def test_repeats_are_marked_with_the_first_records_id(chatgpt_csvs):
    posts = socialscan.parse(chatgpt_csvs)
    ids = {p.id: p for p in posts}
    repeats = [p for p in posts if p.duplicate_of]
    assert len(repeats) > 400  # bots posting one plug with a new link each time
    order = {p.id: i for i, p in enumerate(posts)}
    for p in repeats:
        first = ids[p.duplicate_of]
        assert first.duplicate_of is None and order[first.id] < order[p.id]
        assert same_text(first.text) == same_text(p.text)
    assert all(p.is_retweet == p.text.startswith("RT @") for p in posts)


@pytest.mark.parametrize("to", ["jsonl", "csv", "parquet"])
def test_the_new_columns_flow_through_every_writer(tmp_path, shared_data, to):
    path = shared_data / "twarc-jsonl" / "kpop.jsonl"
    out = tmp_path / f"o.{to}"
    parse_to(path, out, to=to)
    if to == "jsonl":
        rows = [orjson.loads(x) for x in out.read_bytes().splitlines()]
        assert list(rows[0]) == list(COLUMNS)
        flags = [r["is_retweet"] for r in rows]
        dups = [r["duplicate_of"] for r in rows]
    elif to == "csv":
        rows = list(csv.DictReader(io.StringIO(out.read_text(encoding="utf-8"))))
        assert list(rows[0]) == list(COLUMNS)
        flags = [r["is_retweet"] == "True" for r in rows]
        dups = [r["duplicate_of"] or None for r in rows]
    else:
        table = pq.read_table(out)
        assert table.column_names == list(COLUMNS)
        assert str(table.schema.field("is_retweet").type) == "bool"
        flags = table.column("is_retweet").to_pylist()
        dups = table.column("duplicate_of").to_pylist()
    df = socialscan.to_frame(socialscan.parse(path))
    assert df["is_retweet"].dtype == bool
    assert flags == df["is_retweet"].tolist() and any(flags) and not all(flags)
    assert dups == [None if v is None else v for v in df["duplicate_of"]] and any(dups)


def test_cross_block_repeats_are_the_same_on_the_fast_path(tmp_path, shared_data, monkeypatch):
    monkeypatch.setattr(pool, "BLOCK_BYTES", 500)
    monkeypatch.setattr(pool, "PARALLEL_MIN_BYTES", 2048)
    tweets = (shared_data / "tweeteval" / "emotion" / "val_text.txt").read_text().splitlines()
    lines = []
    for i, t in enumerate(tweets[:300]):
        lines.append(t)
        if i % 40 == 7:
            lines += ["RT @ann: " + tweets[i // 2].upper(), "thread 1/2", "thread 2/2"]
    path = tmp_path / "lines.txt"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    want = [p.to_dict() for p in iter_parse(path, format="lines")]
    assert sum(bool(r["duplicate_of"]) for r in want) > 10
    for to, workers in (("jsonl", 1), ("jsonl", 2), ("csv", 2), ("parquet", 2)):
        out = tmp_path / f"fast.{to}"
        parse_to(path, out, to=to, format="lines", workers=workers)
        ref = tmp_path / f"ref.{to}"
        socialscan.export.write_records(iter(want), ref, to=to, columns=COLUMNS)
        if to == "parquet":
            assert pq.read_table(out).equals(pq.read_table(ref))
        else:
            assert out.read_bytes() == ref.read_bytes(), (to, workers)


def test_the_dask_dataset_schema_has_the_new_columns():
    from socialscan.distributed.dataset import schema_for

    schema = schema_for(None)
    assert schema.names == list(COLUMNS)
    assert str(schema.field("is_retweet").type) == "bool"


def _tagged(texts, labels, products=None, dup=None):
    import pandas as pd

    claims = [
        [
            {
                "label": lab,
                "score": 0.9 - i / 1000,
                "text": t.split(". ")[0],
                "attributes": {"products": products[i]} if products else {},
            }
        ]
        for i, (t, lab) in enumerate(zip(texts, labels, strict=True))
    ]
    return pd.DataFrame(
        {
            "id": [str(i) for i in range(len(texts))],
            "kind": ["post"] * len(texts),
            "text": texts,
            "line_start": range(1, len(texts) + 1),
            "line_end": range(1, len(texts) + 1),
            "source": ["x"] * len(texts),
            "claims": claims,
            "labels": [[lab] for lab in labels],
            "duplicate_of": dup or [None] * len(texts),
        }
    )


def test_claims_and_products_count_a_text_once_with_the_repeats_beside():
    texts = ["Try Notion AI now. It writes"] * 31 + ["Get Canva Pro. Designs"] * 2 + ["Other"]
    dup = [None] + ["0"] * 30 + [None, "31", None]
    prods = [["Notion AI"]] * 31 + [["Canva"]] * 2 + [["notion  ai"]]
    df = _tagged(texts, ["product_plug"] * 34, prods, dup)
    s = summarize(df, labels=["product_plug"])
    assert s.label_counts == {"product_plug": 3} and s.label_repeats == {"product_plug": 34}
    assert s.products == [("Notion AI", 2, 32), ("Canva", 1, 2)]
    assert s.plugs["posts"] == 3 and s.plugs["with_repeats"] == 34
    plain = format_plain(s)
    assert "product_plug 3 (34 with repeats)" in " ".join(plain.split())
    assert "Notion AI 2 (32 with repeats)" in plain
    d = s.to_dict()
    assert d["products"][0] == {"name": "Notion AI", "count": 2, "with_repeats": 32}


def test_the_chatgpt_csvs_count_repeated_plugs_once():
    texts = ["Master course in ChatGPT 1 hour 🆓 LINK => https://t.co/abc #udemy"] * 6
    texts = [t.replace("abc", f"a{i}") for i, t in enumerate(texts)]
    posts = socialscan.parse("\n".join(texts), format="lines")
    assert [p.duplicate_of for p in posts] == [None] + [posts[0].id] * 5


# -- 5. distinct evidence ----------------------------------------------------------------------


def test_evidence_lists_distinct_sentences():
    texts = ["Buy Vassbot today. a"] * 3 + ["buy  VASSBOT today. b", "Vassbot writes code. c"]
    s = summarize(_tagged(texts, ["product_plug"] * 5), labels=["product_plug"])
    shown = [e["text"] for e in s.evidence["product_plug"]]
    assert shown == ["Buy Vassbot today", "Vassbot writes code"]


# -- 6. products -------------------------------------------------------------------------------


def test_products_on_the_chatgpt_csvs_are_folded_and_free_of_dates_tags_and_greetings(
    chatgpt_csvs,
):
    from socialscan.claims import tag_frame

    df = tag_frame(socialscan.to_frame(socialscan.parse(chatgpt_csvs[:2])))  # Africa, Asia
    s = summarize(df, labels=["product_plug"])
    names = [n for n, _, _ in s.products] + [n for n, _, _ in __import__(
        "socialscan.results.ranking", fromlist=["x"]).product_counts(df)[:30]]  # fmt: skip
    folded = [re.sub(r"\W", "", n.casefold()) for n, _, _ in s.products]
    assert len(folded) == len(set(folded))
    months = {"january", "february", "feb", "december", "march", "aug", "monday"}
    bad = {"congrats", "let", "link", "need", "video", "text", "m", "t", "get"}
    assert not [n for n in names if n.casefold() in months | bad]
    assert not [n for n in names if not n[:1].isalnum()]  # no "🏼Get"
    assert s.products[0][0] == "ChatGPT"


@pytest.mark.parametrize(
    ("text", "found", "not_found"),
    [
        ("Congrats! Try Notion AI for notes https://t.co/AbCdEf9", ["Notion AI"], ["Congrats"]),
        ("Aug 5: Canva Pro is here, BUY NOW, use the LINK", ["Canva Pro"], ["Aug", "LINK"]),
        ("#ai #chatgpt Let's go: @OpenAI rocks, buy $AGIX", [], ["Let", "OpenAI", "AGIX"]),
        ("Shirts Size : M - XL : 22,000 NGN", [], ["M"]),
        ("👈🏼Get the #CompanyLogoAPI on Monday via pic.twitter.com/AbC12", [], ["Get", "AbC12"]),
    ],
)
def test_products_are_names_not_tags_dates_or_shouting(text, found, not_found):
    import spacy

    from socialscan.claims.attributes import products

    names = products(spacy.blank("en")(text)[:])
    assert all(n in names for n in found)
    assert not [n for n in names if any(w in n.split() for w in not_found)]
    assert not [n for n in names if n in ("Monday", "Get")]


# -- 7. cut lists say so -----------------------------------------------------------------------


def _summary(n_topics=20, n_domains=30):
    counts = {
        "records": 100, "posts": 100, "replies": 0, "threads": 0, "links": 0, "lines": 100,
        "handles": 0, "domains": n_domains, "bytes_replaced": 0, "claims": 0, "topics": n_topics,
    }  # fmt: skip
    topics = [
        {"topic": i, "size": 5, "label": f"t{i}", "terms": ["a", "b"], "representative": []}
        for i in range(n_topics)
    ]
    domains = [(f"d{i}.com", 30 - i) for i in range(10)]
    return Summary(
        counts=counts,
        topics=topics,
        has_topics=True,
        domains=domains,
        totals={"domains": n_domains, "mentions": 0, "reply_targets": 0},
    )


def test_the_plain_summary_says_how_many_it_leaves_out():
    text = format_plain(_summary())
    assert "and 8 more topics" in text
    line = next(x for x in text.splitlines() if x.startswith("Top domains"))
    shown = line.count(".com")
    assert line.endswith(f"and {30 - shown} more")
    assert "more" not in format_plain(_summary(n_topics=5, n_domains=3)).split("Top domains")[1]


def test_the_rich_summary_says_how_many_it_leaves_out():
    from rich.console import Console

    from socialscan.report.terminal import print_rich

    buf = io.StringIO()
    print_rich(_summary(), Console(file=buf, width=120, color_system=None))
    out = buf.getvalue()
    assert "and 5 more topics" in out and "and 22 more" in out


def test_scan_json_carries_the_repeat_counts(chatgpt_csvs):
    r = socialscan.scan(chatgpt_csvs[-2], claims=False, topics=False)  # Oceania
    d = json.loads(r.to_json())
    assert d["counts"]["repeats"] == sum(isinstance(v, str) for v in r.frame["duplicate_of"]) > 0
    assert "totals" in d
