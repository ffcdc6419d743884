"""Scrapers' text exports: the date or author stamped at each post starts it (or, under it,
ends it), and fills the record's author and date."""

from __future__ import annotations

import doctest
import re

import pytest

import socialscan
from socialscan.embed.static import StaticEmbedder
from socialscan.segment.model import default_model
from socialscan.segment.segmenter import segment_lines
from socialscan.text.body import body_text, mask
from socialscan.text.stamped import stamp_starts
from socialscan.text.stamps import stamp
from training.segments.dumps import Dump
from training.segments.heldout import evaluate, heldout_dumps
from training.segments.pages import stamped_export
from training.segments.sources import pools

DATED = """2023-03-01 14:22
Fine-tuning is overrated for most teams.
Start with prompts and retrieval, measure, then decide.
2023-03-01 16:05
Just shipped our new onboarding flow 🚀
Try it: https://t.co/abc123
2023-03-02 09:12
@jane_doe totally agree, we saw the same thing last quarter
2023-03-02 11:40
Hot take: most dashboards are never opened after week two.
"""

AUTHORED = """[Mar 1, 2023 2:22 PM] Sam Altman (@sama): seeing a lot of confusion about this, so for clarity:
openai never trains on anything ever submitted to the api or uses that data to improve our models in any way.
[Mar 1, 2023 4:10 PM] Sam Altman (@sama): more on this soon
[Mar 2, 2023 9:00 AM] Rachel Woods (@rachel_l_woods): Fine tuning is for behaviour, not knowledge.
Use retrieval for knowledge. #LLM
"""

LABELLED = """sama: seeing a lot of confusion about this, so for clarity:
karpathy: The hottest new programming language is English
elonmusk: Going to the moon.
rachel_l_woods: fine tuning is for behaviour, not knowledge
"""

# a post's own page copied one after another: the time under each post
BELOW = """I used to be shy & have no confidence.
Now, I've built a YouTube channel with over 4,500,000 subscribers.
Here are 5-hacks I use to be confident on camera:
10:06 AM · May 27, 2023
Make sure you can't do it with prompts.
2:09 PM · Jul 17, 2023
"""


LINKED = """https://twitter.com/sama/status/1631000000000000001
seeing a lot of confusion about this, so for clarity:
openai never trains on anything ever submitted to the api.
https://x.com/karpathy/status/1617979122625712128
The hottest new programming language is English
https://bsky.app/profile/rachel.bsky.social/post/3kabc2x
Fine tuning is for behaviour, not knowledge.
"""

COUNTED = """Mar 1, 2023
@ChloeMaal seeing a lot of confusion about this, so for clarity:
openai never trains on anything ever submitted to the api.
💬 120  🔁 340  ❤️ 2,100
Jan 24, 2023
The hottest new programming language is English
Replies: 5 | Retweets: 1,200 | Likes: 9.8K
Feb 2, 2023
Fine tuning is for behaviour, not knowledge.
Use retrieval for knowledge.
💬 1  🔁 3  ❤️ 12
"""


HEADED = """Sam Altman (@sama) · Mar 1, 2023
seeing a lot of confusion about this, so for clarity:
openai never trains on anything ever submitted to the api.
Andrej Karpathy (@karpathy) · Jan 24, 2023
The hottest new programming language is English
Rachel Woods (@rachel_l_woods)
Fine tuning is for behaviour, not knowledge.
"""


def spans(posts):
    return [(p.line_start, p.line_end) for p in posts]


def test_a_date_line_above_each_post_starts_it_and_dates_it():
    posts = socialscan.parse(DATED, segmenter="fast")
    assert spans(posts) == [(1, 3), (4, 6), (7, 8), (9, 10)]
    assert [p.created_at for p in posts] == [
        "2023-03-01T14:22:00",
        "2023-03-01T16:05:00",
        "2023-03-02T09:12:00",
        "2023-03-02T11:40:00",
    ]
    assert posts[0].text.startswith("2023-03-01 14:22\n")  # the text stays verbatim


def test_a_stamped_reply_is_a_reply_and_its_entities_come_from_its_words():
    posts = socialscan.parse(DATED, segmenter="fast")
    assert [p.kind for p in posts] == ["post", "post", "reply", "post"]
    assert posts[2].reply_to == ["jane_doe"] and posts[2].mentions == ["jane_doe"]
    assert posts[1].links == ["https://t.co/abc123"]


def test_date_and_author_prefixes_give_author_date_and_threads():
    posts = socialscan.parse(AUTHORED, segmenter="fast")
    assert spans(posts) == [(1, 2), (3, 3), (4, 5)]
    assert [p.author for p in posts] == ["sama", "sama", "rachel_l_woods"]
    assert [p.created_at for p in posts] == [
        "2023-03-01T14:22:00",
        "2023-03-01T16:10:00",
        "2023-03-02T09:00:00",
    ]
    assert posts[0].thread_id is not None and posts[0].thread_id == posts[1].thread_id
    assert posts[2].thread_id is None
    assert posts[0].mentions == [] and posts[2].hashtags == ["LLM"]


def test_bare_name_labels_name_the_authors_where_a_whole_dump_is_written_so():
    posts = socialscan.parse(LABELLED, segmenter="fast")
    assert spans(posts) == [(1, 1), (2, 2), (3, 3), (4, 4)]
    assert [p.author for p in posts] == ["sama", "karpathy", "elonmusk", "rachel_l_woods"]


def test_dates_under_posts_end_them():
    posts = socialscan.parse(BELOW, segmenter="fast")
    assert spans(posts) == [(1, 4), (5, 6)]
    assert [p.created_at for p in posts] == ["2023-05-27T10:06:00", "2023-07-17T14:09:00"]


def test_each_posts_own_link_above_it_starts_it_and_names_author_and_id():
    posts = socialscan.parse(LINKED, segmenter="fast")
    assert spans(posts) == [(1, 3), (4, 5), (6, 7)]
    assert [p.author for p in posts] == ["sama", "karpathy", "rachel.bsky.social"]
    assert [p.tweet_id for p in posts] == ["1631000000000000001", "1617979122625712128", "3kabc2x"]
    assert all(p.links == [] for p in posts)  # its own address is not a link it shares


def test_each_posts_own_link_under_it_ends_it():
    lines = LINKED.splitlines()
    below = "\n".join(lines[1:3] + lines[:1] + lines[4:5] + lines[3:4] + lines[6:7] + lines[5:6])
    posts = socialscan.parse(below, segmenter="fast")
    assert spans(posts) == [(1, 3), (4, 5), (6, 7)]
    assert [p.author for p in posts] == ["sama", "karpathy", "rachel.bsky.social"]


def test_counts_under_each_post_end_it_and_are_no_part_of_its_words():
    posts = socialscan.parse(COUNTED, segmenter="fast")
    assert spans(posts) == [(1, 4), (5, 7), (8, 11)]
    assert [p.created_at for p in posts] == ["2023-03-01", "2023-01-24", "2023-02-02"]
    assert posts[0].kind == "reply" and posts[0].reply_to == ["ChloeMaal"]
    assert mask(posts[0].text).split("\n")[3].strip() == ""


def test_an_author_line_above_each_post_starts_it_and_names_the_author():
    posts = socialscan.parse(HEADED, segmenter="fast")
    assert spans(posts) == [(1, 3), (4, 5), (6, 7)]
    assert [(p.author, p.created_at) for p in posts] == [
        ("sama", "2023-03-01"),
        ("karpathy", "2023-01-24"),
        ("rachel_l_woods", None),
    ]
    assert [p.mentions for p in posts] == [[], [], []]  # the author is not mentioned
    assert body_text(posts[0].text).startswith("seeing a lot of confusion")


@pytest.mark.parametrize(
    "texts",
    [
        ["Join us for the launch party", "March 1, 2023", "at the hall, 7pm"],  # one date
        ["Me: can you write my essay", "ChatGPT: sure", "Me: in French", "ChatGPT: bien sûr"],
        ["Website: https://t.co/x", "Behance: https://t.co/y", "Dribbble: https://t.co/z"],
        ["Hot take: most dashboards are never opened", "PSA: back up your data", "Update: done"],
        ["Call us", "📞+92 213 481 3622", "📞+92 333 762 7837", "📞+92 335 3133035"],
        ["Quoting this:", "https://x.com/sama/status/1631000000000000001", "so true"],
        ["Follow Sam Altman (@sama) for more", "and Andrej Karpathy (@karpathy)", "daily"],
    ],
)
def test_a_date_or_label_in_a_posts_words_is_no_stamp(texts):
    marks, kinds = stamp_starts(texts)
    assert marks == [None] * len(texts) and not kinds


def test_no_real_tweet_would_be_split_by_stamps(shared_data):
    tweets = [
        lines
        for part in pools(shared_data).values()
        for posts in part.values()
        for t in posts
        if len(lines := [x.strip() for x in t.splitlines() if x.strip()]) > 1
    ]
    assert len(tweets) > 1000  # the multi-line ones, each read as a dump of its own
    split = [t for t in tweets if any(stamp_starts(t)[0])]
    # only a tweet that is a numbered or bulleted list from its first line reads as a list of
    # posts on its own ("1. Buy a 3D printer", "2. Register at ChatGPT", ...): 20 of 16,676
    assert all(stamp(t[0]).kind in ("number", "bullet") for t in split)
    assert len(split) <= 1.5 * len(tweets) // 1000
    # followed by other posts, as in a dump, a list that opens it stays one post
    listed = [t for t in split if len(t) >= 3 and all(stamp(x) for x in t[:3])]
    assert len(listed) >= 5
    for t in listed:
        others = ["Another post here.", "@ann a reply to it", "And one more about this."]
        dump = t + others * 4
        assert not any(stamp_starts(dump)[0])


def test_stamps_split_the_same_across_block_edges():
    rng_posts = [f"post number {i} about topic {i % 7}\nand a second line {i}" for i in range(60)]
    gold = Dump([line for t in rng_posts for line in t.split("\n")], [], "x")
    gold.spans = [(2 * i + 1, 2 * i + 2) for i in range(60)]
    for seed in (1, 2, 3, 4, 5, 6, 7):
        d = stamped_export(gold, seed)
        found = [
            (s[0][0], s[-1][0])
            for s, _ in segment_lines(
                iter(enumerate(d.lines, 1)), StaticEmbedder.default(), default_model(), block=40
            )
        ]
        assert [f for f in found if d.lines[f[0] - 1].strip()] == d.spans, seed


def test_held_out_stamped_dumps_split_where_the_stamps_are(shared_data):
    dumps = heldout_dumps(pools(shared_data)["heldout"], 10)["stamped by a scraper (diverse)"]
    scores = evaluate(dumps, StaticEmbedder.default(), default_model())
    assert scores["f1"] >= 0.99


def test_claims_topics_and_the_report_read_the_post_without_its_stamp():
    assert mask("[Mar 1, 2023] Sam Altman (@sama): for clarity") == " " * 34 + "for clarity"
    assert body_text("2023-03-01 14:22\nhello\nthere") == "hello\nthere"
    assert body_text("hello\n2:09 PM · Jul 17, 2023") == "hello"
    assert mask("I met her on March 1, 2023 at noon") == "I met her on March 1, 2023 at noon"


def test_timestamps_in_many_shapes_are_read_with_their_year():
    shapes = {
        "2023-03-01 14:22": "2023-03-01T14:22:00",
        "2023-03-01T14:22:05Z": "2023-03-01T14:22:05+00:00",
        "Wed Mar 01 14:22:00 +0000 2023": "2023-03-01T14:22:00+00:00",
        "3/1/2023 2:22 PM": "2023-03-01T14:22:00",
        "March 1, 2023 at 2:22 PM": "2023-03-01T14:22:00",
        "[Mar 1, 2023]": "2023-03-01",
        "Posted on 1 March 2023": "2023-03-01",
        "Mar 1": None,
    }
    for text, iso in shapes.items():
        found = stamp(text)
        assert found is not None and found.own_line, text
        assert found.created_at == iso, text


def test_the_examples_in_the_stamps_module_hold():
    from socialscan.text import stamps

    result = doctest.testmod(stamps)
    assert result.attempted >= 8 and result.failed == 0


def test_a_stamped_dump_keeps_every_line_verbatim():
    posts = socialscan.parse(AUTHORED, segmenter="fast")
    lines = AUTHORED.splitlines()
    assert all(p.text == "\n".join(lines[p.line_start - 1 : p.line_end]) for p in posts)
    assert not any(re.search(r"\(@sama\)", p.text) is None for p in posts[:2])


def test_a_date_line_over_an_authored_first_line_stamps_one_post_with_both():
    text = (
        "2023-03-01 14:22\nSam Altman (@sama): for clarity:\nopenai never trains on the api.\n"
        "2023-03-01 16:10\nAndrej Karpathy (@karpathy): English is the new language @sama\n"
    )
    posts = socialscan.parse(text, segmenter="fast")
    assert spans(posts) == [(1, 3), (4, 5)]
    assert [(p.author, p.created_at) for p in posts] == [
        ("sama", "2023-03-01T14:22:00"),
        ("karpathy", "2023-03-01T16:10:00"),
    ]
    assert [p.mentions for p in posts] == [[], ["sama"]]


NUMBERED = """1. Just shipped a new feature for our RAG pipeline. Latency down 40%.
2. Hot take: most AI startups are thin wrappers and that's fine.
3. @karpathy This is the best explanation of tokenization I've seen.
4. We're hiring! ML engineers who love evals.
https://t.co/abc123
5. Prompt engineering isn't dead.
It just moved into the system prompt.
Three things to try:
1. few-shot examples
2. a rubric
3. self-critique
6. Never share customer data with third-party LLM APIs without a DPA.
"""


def test_a_numbered_list_of_posts_splits_at_its_numbers():
    posts = socialscan.parse(NUMBERED, segmenter="fast")
    assert [(p.line_start, p.line_end) for p in posts] == [
        (1, 1), (2, 2), (3, 3), (4, 5), (6, 11), (12, 12)
    ]  # fmt: skip
    # the number is the analyst's: a reply still reads as one, and claims skip the "3. "
    assert posts[2].kind == "reply" and posts[2].reply_to == ["karpathy"]
    assert posts[3].links == ["https://t.co/abc123"]
    assert mask(posts[0].text).startswith("   Just shipped")
    assert body_text(posts[0].text) == posts[0].text  # on show as pasted


def test_a_list_inside_a_post_is_not_a_numbering_of_posts():
    text = "Three tips for evals:\n1. sample real traffic\n2. grade blind\n3. track drift\n"
    text += "@ann totally agree\nShipping today!\n"
    posts = socialscan.parse(text, segmenter="fast")
    assert posts[0].line_start == 1 and posts[0].line_end >= 4
    assert not any(stamp_starts(text.splitlines())[0])


def records(text: str, *fields: str) -> list[tuple]:
    """The ``fields`` of each record the fast segmenter makes of ``text``."""
    return [tuple(getattr(p, f) for f in fields) for p in socialscan.parse(text, segmenter="fast")]


def test_markdown_authors_label_each_post():
    text = (
        "**@sama**: GPT-5 is coming along nicely.\n"
        "**@karpathy**: Tokenization is the root of all evil.\n"
        "Seriously, look at how it splits numbers.\n"
        "**Yann LeCun (@ylecun)**: Auto-regressive LLMs are doomed.\n"
        "**@sama**: also, we are hiring\n"
    )
    assert records(text, "line_start", "line_end", "author") == [
        (1, 1, "sama"), (2, 3, "karpathy"), (4, 4, "ylecun"), (5, 5, "sama")
    ]  # fmt: skip


def test_a_handle_alone_above_each_post_names_its_author():
    text = (
        "@sama\nwe are launching a new model today\nit is much better at coding\n"
        "@karpathy\nTokenization is the root of all evil.\n"
        "@ylecun\nAuto-regressive LLMs are doomed.\n@sama\nalso, we are hiring\n"
    )
    assert records(text, "line_start", "author", "kind") == [
        (1, "sama", "post"), (4, "karpathy", "post"), (6, "ylecun", "post"), (8, "sama", "post")
    ]  # fmt: skip
    # a reply's target on a line of its own and a tag under a post are no authors
    reply = (
        "@RelianceDigital\nmy order is a month late\nI asked ChatGPT for a poem\n@jordanbpeterson\n"
    )
    assert not any(stamp_starts(reply.splitlines())[0])


@pytest.mark.parametrize(
    "header",
    ["{name} @{handle}", "{name} (@{handle}) · 2h", "{name} (@{handle}) · Mar 1, 2023"],
)
def test_author_lines_without_parentheses_or_with_a_relative_time(header):
    people = [("Sam Altman", "sama"), ("Andrej Karpathy", "karpathy"), ("Yann LeCun", "ylecun")]
    words = [["we are launching a new model", "it is better at coding"], ["Tokens!"], ["Doomed."]]
    lines = []
    for (name, handle), body in zip(people, words, strict=True):
        lines += [header.format(name=name, handle=handle), *body]
    posts = socialscan.parse("\n".join(lines), segmenter="fast")
    assert [(p.line_start, p.author, p.mentions) for p in posts] == [
        (1, "sama", []), (4, "karpathy", []), (6, "ylecun", [])
    ]  # fmt: skip
    assert stamp("Thanks @sama") is None and stamp("Great thread by @sama") is None


def test_dates_above_posts_that_end_without_a_full_stop_are_no_app_headers():
    # "great day" over "Mar 2, 2023" looks like a name over a time (Threads' header), but only
    # an app's relative time ("2h") makes one: the dates stay the scraper's stamps
    text = "Mar 1, 2023\nhello there\nMar 2, 2023\ngreat day\nMar 3, 2023\nbye now\n"
    assert records(text, "line_start", "created_at", "author") == [
        (1, "2023-03-01", None), (3, "2023-03-02", None), (5, "2023-03-03", None)
    ]  # fmt: skip


def test_mastodon_author_lines_and_replies():
    text = (
        "Eugen Rochko @Gargron@mastodon.social\n"
        "Mastodon 4.3 is out with a new look for notifications.\n"
        "https://blog.joinmastodon.org/2024/10/mastodon-4.3/\n"
        "Evan Prodromou @evan@cosocial.ca\n"
        "@Gargron@mastodon.social congratulations! The grouped notifications are great.\n"
        "Jane Doe @jane@fosstodon.org\n"
        "Anyone else running their own instance on a Raspberry Pi?\n"
        "Mine has been up for two years now.\n"
    )
    assert records(text, "line_start", "line_end", "author", "kind", "reply_to") == [
        (1, 3, "Gargron@mastodon.social", "post", []),
        (4, 5, "evan@cosocial.ca", "reply", ["Gargron@mastodon.social"]),
        (6, 8, "jane@fosstodon.org", "post", []),
    ]


def test_a_bulleted_list_of_posts_splits_at_its_bullets():
    text = (
        "- Most teams don't need an AI strategy. They need a data strategy.\n"
        "- @swyx totally agree, evals are the new unit tests\n"
        '- Stop asking ChatGPT to "write a blog post".\n'
        "  Give it your outline, your voice, and 3 examples.\n"
        "  https://t.co/Xk29LmQp1a\n"
        "- We just raised our Series A 🎉\n"
    )
    assert records(text, "line_start", "line_end", "kind", "reply_to", "links") == [
        (1, 1, "post", [], []),
        (2, 2, "reply", ["swyx"], []),
        (3, 5, "post", [], ["https://t.co/Xk29LmQp1a"]),
        (6, 6, "post", [], []),
    ]


@pytest.mark.parametrize(
    "mark", ["{i}. ", "- ", "@user{i}\n", "Sam Altman{i} @user{i}\n", "**@user{i}**: "]
)
def test_a_persons_marks_split_the_same_across_block_edges(mark):
    posts = [
        f"{mark.format(i=i)}post number {i} about topic {i % 7}\nand a second line"
        for i in range(1, 61)
    ]
    lines = [line for t in posts for line in t.split("\n")]
    gold, n = [], 1
    for t in posts:
        gold.append(n)
        n += len(t.split("\n"))
    for block in (40, 4096):
        found = segment_lines(
            iter(enumerate(lines, 1)), StaticEmbedder.default(), default_model(), block=block
        )
        assert [s[0][0] for s, _ in found] == gold, block
