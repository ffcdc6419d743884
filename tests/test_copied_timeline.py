"""Timelines copied from the X web app: each post's header (name, @handle, time) starts it,
its counts end it, and the header fills author, date and reply target."""

from __future__ import annotations

import doctest
import re
from pathlib import Path

import pytest

import socialscan
from socialscan.embed.static import StaticEmbedder
from socialscan.segment.model import default_model
from socialscan.segment.segmenter import segment_lines
from socialscan.text.body import body_text, mask, split_post
from socialscan.text.chrome import breaks_between, is_count, signature
from socialscan.text.headers import header_at, header_starts
from training.segments.dumps import Dump
from training.segments.heldout import evaluate, heldout_dumps
from training.segments.pages import copied_timeline
from training.segments.sources import pools

COPY = Path(__file__).parent / "data" / "x_timeline_copy.txt"


@pytest.fixture(scope="module")
def posts():
    return socialscan.parse(COPY, segmenter="fast")


def test_each_header_starts_a_post_and_its_counts_stay_with_it(posts):
    assert [(p.line_start, p.line_end) for p in posts] == [(1, 12), (13, 21), (22, 30), (31, 37)]
    lines = COPY.read_text(encoding="utf-8").splitlines()
    assert all(p.text == "\n".join(lines[p.line_start - 1 : p.line_end]) for p in posts)


def test_the_header_gives_author_date_and_reply_target(posts):
    assert [p.author for p in posts] == ["rachel_l_woods", "rachel_l_woods", "ChloeMaal", "sama"]
    assert [p.created_at for p in posts] == ["2024-01-05", "2024-01-05", None, None]
    assert [p.kind for p in posts] == ["post", "post", "reply", "post"]
    assert posts[2].reply_to == ["HarryStebbings", "sama"]


def test_entities_come_from_the_post_not_from_its_header(posts):
    assert posts[0].mentions == [] and posts[3].mentions == []
    assert posts[1].hashtags == ["LLM"]
    assert posts[2].links == ["https://t.co/gGdaM0KWsx"]


def test_one_authors_posts_in_a_row_are_a_thread_and_nobody_elses(posts):
    assert posts[0].thread_id is not None and posts[0].thread_id == posts[1].thread_id
    assert posts[2].thread_id is None and posts[3].thread_id is None


def test_bare_posts_after_a_copied_post_are_left_to_the_boundary_model():
    text = COPY.read_text(encoding="utf-8") + (
        "@ChloeMaal Nice to see your positive walking experience.\n"
        "@rachel_l_woods And you have started to build a community around AI.\n"
    )
    spans = [(p.line_start, p.line_end) for p in socialscan.parse(text, segmenter="fast")]
    assert spans[-3:] == [(31, 37), (38, 38), (39, 39)]


def test_a_copy_splits_the_same_across_block_edges():
    lines = COPY.read_text(encoding="utf-8").splitlines() * 3
    whole = [s[0][0] for s, _ in segment_lines(enumerate(lines, 1), StaticEmbedder.default())]
    small = [
        s[0][0] for s, _ in segment_lines(enumerate(lines, 1), StaticEmbedder.default(), block=5)
    ]
    assert whole == small == [1, 13, 22, 31, 38, 50, 59, 68, 75, 87, 96, 105]


@pytest.mark.parametrize(
    "lines",
    [
        ["Sam Altman", "@sama", "·", "Jan 5"],
        ["Sam Altman", "@sama", "Jan 5"],
        ["Sam Altman", "@sama · Jan 5"],
        ["Sam Altman @sama · Jan 5"],
        ["Pinned", "Sam Altman @sama · Jan 5"],
        ["Sam Altman", "@sama", "· Jan 5"],
    ],
)
def test_every_shape_of_header_gives_the_handle_and_spans_all_its_lines(lines):
    h = header_at([*lines, "seeing a lot of confusion about this"], 0)
    assert (h.handle, h.time, h.size) == ("sama", "Jan 5", len(lines))


DECK = """Sam Altman @sama 2h
seeing a lot of confusion about this, so for clarity:
openai never trains on anything ever submitted to the api.
Andrej Karpathy @karpathy 5h
The hottest new programming language is English
Rachel Woods @rachel_l_woods Mar 1
Fine tuning is for behaviour, not knowledge.
Use retrieval for knowledge.
"""


def test_tweetdecks_one_line_headers_without_a_dot_start_posts_where_they_recur():
    posts = socialscan.parse(DECK, segmenter="fast")
    assert [(p.line_start, p.line_end) for p in posts] == [(1, 3), (4, 5), (6, 8)]
    assert [p.author for p in posts] == ["sama", "karpathy", "rachel_l_woods"]
    # one such line alone is prose that ends with a handle and a time
    lone = ["We had a great chat with @sama 2h", "about fine tuning"]
    assert header_starts(lone) == [None, None]


QUOTING = """Sam Altman
@sama
·
2h
this is what we meant
Quote
Greg Brockman
@gdb
·
3h
shipping is the best feeling #launch
12
45
300
Greg Brockman
@gdb
·
5h
good morning
3
"""


def test_a_quoted_post_stays_inside_the_post_that_quotes_it():
    posts = socialscan.parse(QUOTING, segmenter="fast")
    assert [(p.line_start, p.line_end, p.author) for p in posts] == [
        (1, 14, "sama"), (15, 20, "gdb")
    ]  # fmt: skip
    # its own words are the quoting post's: the quoted text is not read as its hashtags
    assert posts[0].hashtags == []
    assert split_post(QUOTING.splitlines()[:14]).body == [4]


HEADERLESS = """Replying to @sama
this is great news for developers
can't wait to try it
Show this thread
Greg Brockman reposted
shipping is the best feeling
Replying to @ylecun and @GaryMarcus
not sure about that
We are launching GPT-5 today. It is our best model yet for coding… Show more
Auto-regressive LLMs are doomed.
"""


def test_the_apps_own_lines_start_and_end_posts_where_no_header_was_copied():
    posts = socialscan.parse(HEADERLESS, segmenter="fast")
    assert [(p.line_start, p.kind) for p in posts[:3]] == [(1, "reply"), (5, "post"), (7, "reply")]
    assert (posts[0].line_end, posts[1].line_end) == (4, 6)
    assert (posts[-1].line_start, posts[-1].line_end) == (10, 10)  # the cut post ended at 9
    assert [p.reply_to for p in posts[:3]] == [["sama"], [], ["ylecun", "GaryMarcus"]]
    # the app's lines are not the post's words
    assert posts[2].mentions == [] and mask(posts[0].text).split("\n")[1:3] == [
        "this is great news for developers",
        "can't wait to try it",
    ]
    assert body_text(posts[1].text) == "shipping is the best feeling"


PAGE = """Sam Altman
@sama
·
2h
we are launching a new model today
it is much better at coding
From openai.com
2.1K
40K
Andrej Karpathy
@karpathy
·
5h
Tokenization is the root of all evil.
0:45
ALT
120
4K
Who to follow
Yann LeCun
@ylecun
Follow
Show more
Ad
Notion
@NotionHQ
Write, plan, organize.
Grace Hopper
@grace
·
Mar 1
Ships are safe in harbor, but that's not what ships are for.
12
"""


def test_a_whole_page_copied_keeps_media_badges_and_boxes_out_of_the_posts_words():
    posts = socialscan.parse(PAGE, segmenter="fast")
    # the "Who to follow" box stays with the post above it (nothing is lost), and an ad's
    # header has no time
    assert [(p.line_start, p.line_end, p.author) for p in posts] == [
        (1, 9, "sama"), (10, 23, "karpathy"), (24, 27, "NotionHQ"), (28, 33, "grace")
    ]  # fmt: skip
    assert posts[1].mentions == [] and posts[1].text.endswith("Follow\nShow more")
    assert [body_text(p.text) for p in posts[:2]] == [
        "we are launching a new model today\nit is much better at coding",
        "Tokenization is the root of all evil.",
    ]


def test_a_copied_linkedin_feed_splits_at_its_headers_and_reads_only_the_posts_words():
    path = Path(__file__).parent / "data" / "linkedin_feed_copy.txt"
    posts = socialscan.parse(path, segmenter="fast")
    # the name twice (or over "• 2nd"), the headline and "1d •" start a post; its counts and
    # the Like / Comment / Repost / Send buttons end it
    assert [(p.line_start, p.line_end, p.author) for p in posts] == [
        (1, 16, "Justin Welsh"), (17, 30, "Allie K. Miller")
    ]  # fmt: skip
    assert body_text(posts[1].text) == (
        "Fine-tuning is not the first thing to try.\n"
        "Start with prompts, then retrieval, then fine-tuning."
    )
    assert posts[0].mentions == [] and posts[1].hashtags == []  # "Founder @ ...", "#1 Most ..."
    h = header_at(["Ann Lee", "• 2nd", "Founder", "3w • Edited •", "Follow", "hello"], 0)
    assert (h.size, h.handle, h.time) == (5, "Ann Lee", "3w • Edited •")
    image = "No alternative text description for this image"
    assert split_post(["Ann Lee", "Ann Lee", "1d •", "Big news", image, "12"]).body == [3]
    assert header_at(["lol", "lol", "1d"], 0) is None  # no "• 2nd", no "1d •": no header


def test_names_over_lone_times_start_posts_where_they_recur():
    # copied from Threads: the username, the time, the words, the counts
    text = (
        "zuck\n2h\nThreads now has 275 million monthly users.\nThanks to everyone.\n1.2K\n340\n"
        "mosseri\n5h\nWe're testing a new way to see replies.\n88\n"
    )
    posts = socialscan.parse(text, segmenter="fast")
    assert [(p.line_start, p.line_end, p.author) for p in posts] == [
        (1, 6, "zuck"), (7, 10, "mosseri")
    ]  # fmt: skip
    assert (
        body_text(posts[0].text)
        == "Threads now has 275 million monthly users.\nThanks to everyone."
    )
    # once, such a pair is prose as likely as a header
    prose = ["Big day for the team", "2h", "of sleep and back at it"]
    assert not any(header_starts(prose))
    assert socialscan.parse("\n".join(prose), segmenter="fast")[0].author is None


@pytest.mark.parametrize("handle", ["sama.bsky.social", "sama@mastodon.social"])
def test_bluesky_and_mastodon_headers_are_read_too(handle):
    h = header_at(["Sam Altman", f"@{handle}", "·", "2h", "hello"], 0)
    assert (h.handle, h.size) == (handle, 4)
    assert header_at([f"Sam Altman @{handle} · 2h", "hello"], 0).handle == handle


def test_prose_with_handles_and_times_is_no_header():
    assert header_at(["Make sure you can't do it with prompts.", "@sama is right", "2h"], 0) is None
    assert header_at(["Thanks to", "@sama", "for this"], 0) is None
    assert split_post(["I used to be shy & have no confidence.", "12"]) is None
    assert not is_count("Give it a try") and not is_count("2023")


def test_copied_held_out_posts_split_where_the_headers_are(shared_data):
    dumps = heldout_dumps(pools(shared_data)["heldout"], 10)["copied from the X web app (diverse)"]
    scores = evaluate(dumps, StaticEmbedder.default(), default_model())
    assert scores["f1"] >= 0.99


def test_the_copy_renderer_keeps_gold_spans_on_the_headers():
    d = copied_timeline(Dump(["hello", "@ann hi", "there"], [(1, 1), (2, 3)], "x"), 3)
    assert len(d.spans) == 2 and d.spans[0][0] == 1 and d.spans[-1][1] == len(d.lines)
    assert all(header_at(d.lines, a - 1) is not None for a, _ in d.spans)


def test_the_examples_in_the_chrome_module_hold():
    from socialscan.text import chrome

    result = doctest.testmod(chrome)
    assert result.attempted >= 5 and result.failed == 0


SEPARATED = """---
Make sure you can't do it with prompts.
---
I used to be shy & have no confidence.
Now, I've built a YouTube channel with over 4,500,000 subscribers.
Here are 5-hacks I use to be confident on camera:
* * *
@ChloeMaal Nice to see your positive walking experience.
@HarryStebbings On Running deliver the best cushioning for road running.
* * *
seeing a lot of confusion about this, so for clarity:
"""


def test_separator_lines_end_posts_and_nothing_else_splits_between_them():
    posts = socialscan.parse(SEPARATED, segmenter="fast")
    assert [(p.line_start, p.line_end) for p in posts] == [(1, 3), (4, 7), (8, 10), (11, 11)]
    assert posts[0].text.startswith("---\nMake sure") and posts[1].text.endswith("\n* * *")


def test_a_separator_line_inside_a_post_does_not_split_it():
    text = "My weekly AI digest\n~~~~~~\n1. GPT-4 rumours\n2. New Copilot features\n"
    spans = [(p.line_start, p.line_end) for p in socialscan.parse(text, segmenter="fast")]
    assert spans == [(1, 4)]


EMBEDDED = """seeing a lot of confusion about this, so for clarity:
openai never trains on anything ever submitted to the api.
— Sam Altman (@sama) March 1, 2023
@HarryStebbings On Running deliver the best cushioning for road running.
pic.twitter.com/gGdaM0KWsx
— Chloe Maal (@ChloeMaal) 5 January 2024
"""


def test_an_embed_signature_ends_its_post_and_names_the_author():
    posts = socialscan.parse(EMBEDDED, segmenter="fast")
    assert [(p.line_start, p.line_end) for p in posts] == [(1, 3), (4, 6)]
    assert [(p.author, p.created_at, p.kind) for p in posts] == [
        ("sama", "2023-03-01", "post"),
        ("ChloeMaal", "2024-01-05", "reply"),
    ]
    assert posts[0].mentions == [] and posts[1].mentions == ["HarryStebbings"]


def test_a_separator_between_each_two_long_posts_ends_each(seed_path):
    seed_lines = seed_path.read_text(encoding="utf-8").splitlines()
    # posts longer than the close-run rule allows (median run over 12 lines)
    parts = [seed_lines[:14], seed_lines[14:27], seed_lines[27:]]
    lines = parts[0] + ["---"] + parts[1] + ["---"] + parts[2]
    posts = socialscan.parse("\n".join(lines), segmenter="fast")
    ends = {p.line_end for p in posts}
    starts = {p.line_start for p in posts}
    assert {15, 29} <= ends and {16, 30} <= starts
    # said once, the same line is left to the model (most such lines in real tweets are
    # inside the tweet): the rule does not break there, whatever the model then reads
    once = [t.strip() for t in parts[0] + ["---"] + parts[1] if t.strip()]
    twice = [t.strip() for t in lines if t.strip()]
    g = once.index("---")
    assert not any(breaks_between(once, g, above) for above in (False, True))
    assert breaks_between(twice, g, False)


def test_rare_separators_between_days_leave_the_posts_between_them_to_the_model():
    replies = "".join(f"@user{i} reply number {i} to you\n" for i in range(14))
    text = f"-----\n{replies}-----\n{replies}-----\n"
    posts = socialscan.parse(text, segmenter="fast")
    lines = text.splitlines()
    starts = {p.line_start for p in posts}
    # each reply under a reply is its own post (the layout rule); where a separator line sits
    # between two replies, the model decides, and the separator lands in one post
    under_reply = {n for n in range(2, len(lines) + 1) if lines[n - 2].startswith("@")}
    assert {n for n in under_reply if lines[n - 1].startswith("@")} <= starts
    assert sum(p.text.count("-----") for p in posts) == 3 and len(posts) >= 26


def test_claims_read_the_post_not_the_page_and_point_into_the_verbatim_text(
    posts, tmp_path, monkeypatch
):
    from socialscan.claims import tag_posts

    monkeypatch.setenv("SOCIALSCAN_CACHE_DIR", str(tmp_path))
    records = list(tag_posts(posts))
    products = [
        p for r in records for c in r["claims"] for p in c["attributes"].get("products", [])
    ]
    assert "On Running" in products
    assert not {"Sam Altman", "Chloe Maal", "Replying", "Rachel Woods"} & set(products)
    for r in records:
        for c in r["claims"]:
            assert r["text"][c["start"] : c["end"]] == c["text"]
            assert not re.search(r"@sama\b|Replying to|\b1\.2K\b", c["text"])


def test_topic_terms_leave_out_names_handles_and_counts_of_copied_posts(
    posts, tmp_path, monkeypatch
):
    monkeypatch.setenv("SOCIALSCAN_CACHE_DIR", str(tmp_path))
    result = socialscan.fit_topics(posts, embedder="hashing", nr_topics=1, cache=False)
    terms = " ".join(t for ts in result.table["terms"] for t in ts)
    assert "tuning" in terms
    assert not re.search(r"altman|woods|chloe|maal|pinned|reposted|replying", terms)


def test_the_report_shows_a_copied_post_by_its_words_with_author_and_date_apart(posts, tmp_path):
    from test_report import explorer_data

    from socialscan.report import render_report

    out = render_report(socialscan.to_frame(posts), tmp_path / "copy.html")
    data = explorer_data(out.read_text(encoding="utf-8"))
    assert data["t"][0].startswith("There's a resurgence of interest in fine tuning LLMs")
    assert data["t"][0].endswith("fine tuning *mattering*:")
    assert data["t"][2] == (
        "On Running deliver the best cushioning for road running.\nhttps://t.co/gGdaM0KWsx"
    )
    assert data["au"] == ["rachel_l_woods", "rachel_l_woods", "ChloeMaal", "sama"]
    assert data["ts"][:2] == ["2024-01-05", "2024-01-05"]


def test_no_line_of_real_tweets_reads_as_a_header_or_a_signature(shared_data):
    heldout = pools(shared_data)["heldout"]
    lines = [
        line.strip()
        for posts in (heldout["chatgpt"], heldout["twarc"], heldout["tweeteval"][:20000])
        for t in posts
        for line in t.splitlines()
        if line.strip()
    ]
    assert len(lines) > 20000
    assert not any(header_starts(lines))
    assert not any(signature(line) for line in lines)
