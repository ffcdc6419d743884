"""The fixed rules over the boundary trees (``socialscan.segment.rules``) added for issue 22's
held-out F1, each with the shapes it must decide and the ones it must leave to the trees.

A bare link that comes three times or more in a row is a link posted again and again: each copy
is a post, the first too, though alone it would read as the post above's own link. Twice in a
row is left to the trees: a scraped tweet may carry its link twice (its text's and its card's).
"""

from __future__ import annotations

import numpy as np
import pytest

import socialscan
from socialscan.segment.features import line_info
from socialscan.segment.items import LineItem
from socialscan.segment.rules import LINK_RUN, repeated_posts

SEGMENTERS = ["fast", "minilm"]


def items_of(texts: list[str]) -> list[LineItem]:
    return [LineItem(i, t, [], line_info(t)) for i, t in enumerate(texts, 1)]


def cuts(texts: list[str], p_model: list[float] | None = None) -> list[int]:
    """The lines (1-based) that start a post once the repeat rule has read ``texts``, over
    model probabilities ``p_model`` (none of its gaps a boundary by default; a bare link under
    a line gets 0, as the attached-link rule gives it)."""
    p = np.asarray(p_model if p_model is not None else [1.0] + [0.0] * (len(texts) - 1))
    repeated_posts(items_of(texts), p, 0.5, [False] * len(texts))
    return [g + 1 for g in range(len(texts)) if p[g] >= 0.5]


def spans(text: str, segmenter: str) -> list[tuple[int, int]]:
    return [(p.line_start, p.line_end) for p in socialscan.parse(text, segmenter=segmenter)]


# --- a link posted again and again ------------------------------------------------------------

LINK = "https://www.example-news.com/2023/02/14/ai-story-512"


@pytest.mark.parametrize(
    "texts, starts",
    [
        # a post, then a link posted three times: each copy is a post
        (["Big week for open models, here is the story:", LINK, LINK, LINK], [1, 2, 3, 4]),
        # four times, under a post that already ended with its own other link
        (
            ["Read the full thread on our blog", "https://t.co/Qm8Zr2LpXa", *[LINK] * 4],
            [1, 3, 4, 5, 6],
        ),
        # a bot's short link three times at the top of a paste
        (["https://t.co/beAJteLLMW"] * 3 + ["Cleaned my room, waiting on her now"], [1, 2, 3]),
    ],
)
def test_each_copy_of_a_link_three_times_in_a_row_is_a_post(texts, starts):
    assert LINK_RUN == 3
    assert cuts(texts) == starts


@pytest.mark.parametrize(
    "texts",
    [
        # a tweet's trailing link and its card's: the same link twice is the post's own
        ["Microsoft gets an early taste of search's dark side #bing", LINK, LINK],
        # three links, each another page: a post's list of sources
        [
            "Sources for today's summary:",
            "https://t.co/Aa11Bb22Cc",
            "https://t.co/Dd33Ee44Ff",
            "https://t.co/Gg55Hh66Ii",
        ],
        # the same link three times, but lines of words between: no run
        ["Part one of the interview", LINK, "Part two", LINK, "Part three", LINK],
    ],
)
def test_a_posts_own_links_stay_with_it(texts):
    assert cuts(texts) == [1]


@pytest.mark.parametrize("segmenter", SEGMENTERS)
@pytest.mark.parametrize("blank", [False, True])
def test_a_link_posted_three_times_comes_out_as_records_of_their_own(segmenter, blank):
    sep = [""] if blank else []
    lines = ["Our new paper on small routers for LLM traffic is out today.", *sep]
    for _ in range(3):
        lines += [LINK, *sep]
    lines += ["Anyone else seeing slow responses from the API this morning?"]
    got = spans("\n".join(lines), segmenter)
    step = 2 if blank else 1
    first = 1 + step  # the line of the first copy
    second, third = first + step, first + 2 * step
    assert got == [(1, 1), (first, first), (second, second), (third, third), (len(lines),) * 2]


def test_one_link_pasted_thousands_of_times_is_a_post_at_every_copy():
    # a bot's link flooding a timeline: every copy a post of its own, with each run of the link
    # walked once (a walk from every copy would take quadratic time in the run's length)
    texts = [
        "Giveaway ends tonight, retweet to enter!",
        *[LINK] * 3000,
        "Back to normal posts now.",
    ]
    # the line after the last copy is left to the trees (none of the model's gaps is one here)
    assert cuts(texts) == list(range(1, len(texts)))
