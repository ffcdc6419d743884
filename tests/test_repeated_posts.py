"""The same text several times in a row in a raw dump is several posts: each copy its own record
with its own line span, marked ``duplicate_of`` the first, with either segmenter. A post's own
repeated lines ("😂😂", "—", a hashtag line, "Yes.", its link written twice) stay in it."""

from __future__ import annotations

import json

import numpy as np
import pytest
from click.testing import CliRunner

import socialscan
from socialscan.cli import main
from socialscan.segment.features import line_info
from socialscan.segment.items import LineItem
from socialscan.segment.rules import repeated_posts

SEGMENTERS = ["fast", "minilm"]


def spans(text: str, segmenter: str) -> list[tuple[int, int]]:
    return [(p.line_start, p.line_end) for p in socialscan.parse(text, segmenter=segmenter)]


def rule_cuts(texts: list[str], p_model: float = 0.1) -> list[int]:
    """The gaps the repeat rule alone gives a boundary, over a model that sees none."""
    items = [LineItem(i, t, [], line_info(t)) for i, t in enumerate(texts, 1)]
    p = np.asarray([1.0] + [p_model] * (len(texts) - 1))
    repeated_posts(items, p, 0.45, [False] * len(texts))
    return [g + 1 for g in range(1, len(texts)) if p[g] >= 0.45]


# --- one-line repeats -------------------------------------------------------------------------

NOTICES = [
    "This post is unavailable.",
    "This Post was deleted by the Post author. Learn more",
    "This Post is from a suspended account. Learn more",
    "@fin_news’s account has been withheld in Germany in response to a legal demand. Learn more",
    "Deleted post",
]


@pytest.mark.parametrize("segmenter", SEGMENTERS)
@pytest.mark.parametrize("notice", NOTICES)
def test_each_notice_in_a_thread_of_deleted_replies_is_a_post(notice, segmenter):
    text = (
        "Does anyone still use the old API keys after the migration?\n"
        f"{notice}\n{notice}\n{notice}\n"
        "@maria_dev Yes, they keep working until March.\n"
    )
    assert spans(text, segmenter) == [(1, 1), (2, 2), (3, 3), (4, 4), (5, 5)]


@pytest.mark.parametrize("segmenter", SEGMENTERS)
def test_copy_paste_spam_with_its_own_link_each_time_is_one_post_a_copy(segmenter):
    plug = "Grab our free pack of 200 ChatGPT prompts for marketers before Friday!"
    text = "\n".join(
        [
            "Spent the morning rewriting our onboarding emails by hand. Worth it.",
            f"{plug} https://t.co/Ab12Cd34Ef",
            f"{plug} https://t.co/Zx98Yw76Vu",
            f"{plug.upper()}  https://t.co/Qq11Rr22Ss",
            "Anyone else seeing slow responses from the API today?",
        ]
    )
    assert spans(text, segmenter) == [(1, 1), (2, 2), (3, 3), (4, 4), (5, 5)]


@pytest.mark.parametrize("segmenter", SEGMENTERS)
def test_a_bots_one_reply_to_several_people_is_one_post_each(segmenter):
    reply = "Thanks for reaching out!\nPlease DM us your order number and we will sort it out."
    text = f"@ann_k {reply}\n@ben_ops {reply}\n@cara {reply}\n"
    assert spans(text, segmenter) == [(1, 2), (3, 4), (5, 6)]


@pytest.mark.parametrize("segmenter", SEGMENTERS)
def test_a_link_posted_twice_as_a_post_of_its_own_is_two_posts(segmenter):
    text = (
        "https://jobs.example.com/ml-engineer-2023\n"
        "https://jobs.example.com/ml-engineer-2023\n"
        "Anyone else seeing slow responses from the API today?\n"
    )
    assert spans(text, segmenter) == [(1, 1), (2, 2), (3, 3)]


# --- multi-line repeats -----------------------------------------------------------------------

LESSONS = [
    "Three things I learned shipping an LLM feature:",
    "- write the evals before the prompts",
    "- log every output, users paste anything",
    "- the cheap model is fine for 80% of requests",
]


@pytest.mark.parametrize("segmenter", SEGMENTERS)
@pytest.mark.parametrize("blank", [False, True])
def test_a_multi_line_post_pasted_twice_is_two_posts(segmenter, blank):
    sep = [""] if blank else []
    lines = ["Good morning from the conference hall, day two starts now.", *sep]
    lines += [*LESSONS, *sep, *LESSONS, *sep]
    lines += ["Our booth is at B12 if you want stickers."]
    n = len(LESSONS)
    a = 3 if blank else 2
    b = a + n + (1 if blank else 0)
    assert spans("\n".join(lines), segmenter) == [
        (1, 1),
        (a, a + n - 1),
        (b, b + n - 1),
        (len(lines), len(lines)),
    ]


@pytest.mark.parametrize("segmenter", SEGMENTERS)
def test_a_post_with_a_link_line_pasted_three_times_with_new_links(segmenter):
    post = ["New on the blog: how we cut our inference bill by 40% with a router."]
    text = "\n".join(
        [
            *post,
            "https://t.co/Aa11Bb22Cc",
            *post,
            "https://t.co/Dd33Ee44Ff",
            *post,
            "https://t.co/Gg55Hh66Ii",
        ]
    )
    assert spans(text, segmenter) == [(1, 2), (3, 4), (5, 6)]


def test_copies_are_placed_where_the_post_above_ends_like_them():
    # the post above ends with the copies' hashtag line: the copies start at their text
    texts = [
        "Weekly roundup of new AI tools is out.",
        "#AI #ChatGPT",
        "Ten prompts that save me an hour every day, free to copy.",
        "#AI #ChatGPT",
        "Ten prompts that save me an hour every day, free to copy.",
        "#AI #ChatGPT",
    ]
    items = [LineItem(i, t, [], line_info(t)) for i, t in enumerate(texts, 1)]
    p = np.asarray([1.0, 0.0, 0.6, 0.0, 0.2, 0.0])  # the model: a boundary before line 3
    repeated_posts(items, p, 0.45, [False] * 6)
    assert [g + 1 for g in range(6) if p[g] >= 0.45] == [1, 3, 5]


# --- what stays one post ----------------------------------------------------------------------


@pytest.mark.parametrize(
    "texts",
    [
        ["When the demo works on the first try", "😂😂", "😂😂", "😂😂"],
        ["Big update coming next week", "—", "—", "Stay tuned"],
        ["My notes from the keynote", "#AI", "#AI", "more soon"],
        ["Is fine-tuning worth it for a small team?", "Yes.", "Yes.", "Yes."],
        ["Top tips for exams", ".", ".", ".", "#study #exams"],
        ["1/", "We moved our stack to open models.", "2/", "Costs fell by half."],
        ["- one", "- two", "- one", "- three"],
        ["@ann @ben", "@ann @ben", "congrats to you both on the launch"],
    ],
)
def test_a_posts_own_repeated_lines_get_no_boundary(texts):
    assert rule_cuts(texts) == []


def test_a_tweets_link_written_twice_stays_with_it():
    # a real shape: a tweet's trailing link and its card's, the same link on two lines
    texts = [
        "OpenAI released a free tool to tell human from machine writing.",
        "https://t.co/9DD1WHLlBx",
        "https://t.co/9DD1WHLlBx",
    ]
    assert rule_cuts(texts) == []
    assert spans("\n".join(texts), "fast") == [(1, 3)]


def test_the_apps_own_lines_are_left_to_the_page():
    items = [LineItem(i, t, [], line_info(t)) for i, t in enumerate(["Show this thread"] * 2)]
    p = np.asarray([1.0, 0.0])
    repeated_posts(items, p, 0.45, [True, True])
    assert p.tolist() == [1.0, 0.0]


# --- records and the CLI ----------------------------------------------------------------------

DUMP = """Hot take: most teams do not need a vector database yet.
Start with full-text search and see how far it gets you.
This post is unavailable.
This post is unavailable.
Grab our free pack of 200 ChatGPT prompts for marketers before Friday! https://t.co/Ab12Cd34Ef
Grab our free pack of 200 ChatGPT prompts for marketers before Friday! https://t.co/Zx98Yw76Vu

Three things I learned shipping an LLM feature:
- write the evals before the prompts
- log every output, users paste anything
Three things I learned shipping an LLM feature:
- write the evals before the prompts
- log every output, users paste anything
@sam_w congrats on the launch, the docs are great
"""


@pytest.mark.parametrize("segmenter", SEGMENTERS)
def test_each_copy_is_a_record_marked_as_a_repeat_of_the_first(segmenter):
    posts = socialscan.parse(DUMP, segmenter=segmenter)
    assert [(p.line_start, p.line_end) for p in posts] == [
        (1, 2),
        (3, 3),
        (4, 4),
        (5, 5),
        (6, 6),
        (8, 10),
        (11, 13),
        (14, 14),
    ]
    first = {p.line_start: p.id for p in posts}
    assert [p.duplicate_of for p in posts] == [
        None,
        None,
        first[3],
        None,
        first[5],
        None,
        first[8],
        None,
    ]


def test_socialscan_parse_gives_each_copy_its_own_record_and_span(tmp_path):
    path = tmp_path / "timeline.txt"
    path.write_text(DUMP, encoding="utf-8")
    result = CliRunner().invoke(main, ["parse", str(path), "--segmenter", "fast"])
    assert result.exit_code == 0, result.output
    records = [json.loads(line) for line in result.stdout.splitlines()]
    assert [(r["line_start"], r["line_end"]) for r in records][1:3] == [(3, 3), (4, 4)]
    copies = [r for r in records if r["duplicate_of"]]
    assert [(r["line_start"], r["text"].splitlines()[0][:12]) for r in copies] == [
        (4, "This post is"),
        (6, "Grab our fre"),
        (11, "Three things"),
    ]
    lines = DUMP.splitlines()
    assert all(r["text"] == "\n".join(lines[r["line_start"] - 1 : r["line_end"]]) for r in records)
