"""The held-out rows (dumps of posts no training dump holds) and a segmenter's boundary scores
on them: what ``bench/bench_segments.py`` reports and the tests check."""

from __future__ import annotations

import random
from pathlib import Path

import numpy as np

from socialscan.evaluation.segments import SegmentScores, score_segments, thread_units
from socialscan.readers.dump import read_dump
from socialscan.readers.stats import ParseStats
from socialscan.segment.model import BoundaryModel
from socialscan.segment.segmenter import segment_lines

from .dumps import Dump, blank_separated, edited_dumps, make_dumps
from .long_posts import long_posts, timeline_dumps, topic_groups
from .pages import copied_timeline, stamped_export
from .repeats import near_copy_groups, with_repeats
from .sources import stance_groups


def heldout_dumps(heldout: dict[str, list[str]], n: int) -> dict[str, list[Dump]]:
    """The held-out rows of ``bench/results_segments.md``: ``n`` dumps of 20-60 posts each,
    reproducible, from posts no training dump holds (``4 n`` short pastes of 2-8 posts, and
    ``2 n`` blank-separated dumps). The sentence-a-line and diverse rows imitate X timelines
    (posts one sentence a line, cut after a hook line, and topics that change from post to
    post: twarc, chatgpt and TweetEval posts in equal parts); the diverse dumps are also given
    as copied from the X web app (:func:`~.pages.copied_timeline`) and as a scraper's export
    stamps them (:func:`~.pages.stamped_export`); short pastes are a few of those posts pasted
    at once. The row with repeated posts holds new draws of diverse dumps with the same text
    several times in a row after some posts (:func:`~.repeats.with_repeats`).
    """
    cg, tw, te = heldout["chatgpt"], heldout["twarc"], heldout["tweeteval"]
    r = random.Random(106)
    diverse = tw + r.sample(cg, len(tw)) + r.sample(te, len(tw))
    sets = {
        "chatgpt-tweets (North America, Oceania)": list(make_dumps(cg, n, 101, "c")),
        "twarc samples": list(make_dumps(tw, n, 102, "t")),
        "TweetEval test (one-line posts)": list(make_dumps(te, n, 103, "e")),
        "mixed": list(make_dumps(cg + tw + te[:2000], n, 104, "m")),
        "mixed, one sentence a line": list(
            make_dumps(
                cg + tw + te[:2000],
                n,
                105,
                "s",
                extra={"sentence_lines": (0.5, 1.0), "hook_cut": (0.0, 0.3)},
            )
        ),
        "diverse (twarc, chatgpt, TweetEval in equal parts)": list(
            make_dumps(
                diverse,
                n,
                106,
                "d",
                extra={"sentence_lines": (0.0, 0.5, 1.0), "hook_cut": (0.0, 0.3)},
            )
        ),
    }
    sets["short pastes (2-8 posts, diverse)"] = list(
        make_dumps(diverse, 4 * n, 108, "p", size=(2, 8), extra={"sentence_lines": (0.0, 0.5)})
    )
    # the same chatgpt and twarc posts pasted with a blank line between each two
    sets["blank-separated (chatgpt, twarc)"] = [
        blank_separated(d) for key in list(sets)[:2] for d in sets[key]
    ]
    # the diverse posts copied from the X web app, headers and counts included
    sets["copied from the X web app (diverse)"] = [
        copied_timeline(d, 109 + i) for i, d in enumerate(sets[list(sets)[5]])
    ]
    # the diverse posts as scrapers' exports keep them, each post stamped with date or author
    sets["stamped by a scraper (diverse)"] = [
        stamped_export(d, 209 + i) for i, d in enumerate(sets[list(sets)[5]])
    ]
    # multi-line posts pasted as a person copies them (links and most hashtags gone)
    sets["copied as text, multi-line posts (chatgpt, twarc)"] = edited_dumps(cg + tw, n, 110, "x")
    # the same text several times in a row: notices, copies, a bot's replies, links twice
    replies = [t for t in tw + te if t.lstrip()[:1] in "@＠" and len(t) > 20]
    groups = near_copy_groups(cg + tw + te)
    extra = {"sentence_lines": (0.0, 0.5, 1.0), "hook_cut": (0.0, 0.3)}
    r = random.Random(111)
    sets["repeated posts (diverse)"] = [
        with_repeats(d, r, replies, groups) for d in make_dumps(diverse, n, 112, "r", extra=extra)
    ]
    return sets


def heldout_long(P: dict, shared: Path, n: int) -> list[Dump]:
    """The held-out row with long posts: the diverse row's posts, long posts from held-out
    chatgpt themes and TweetEval's stance test tweets."""
    he = P["heldout"]
    r = random.Random(106)
    diverse = he["twarc"] + r.sample(he["chatgpt"], len(he["twarc"]))
    diverse += r.sample(he["tweeteval"], len(he["twarc"]))
    groups = topic_groups(he["chatgpt"], 30, 13) + stance_groups(shared, "test")
    return timeline_dumps(diverse, long_posts(groups, 400, 14), n, 107)


def format_scores(s: dict[str, float]) -> str:
    """``P / R / F1 / WindowDiff`` with three decimals."""
    return f"{s['precision']:.3f} / {s['recall']:.3f} / {s['f1']:.3f} / {s['window_diff']:.3f}"


def evaluate(
    dumps: list[Dump], embedder, model: BoundaryModel | None, contextual=None
) -> dict[str, float]:
    """Micro-averaged boundary scores over dumps (None: the line-per-post baseline)."""
    scores = []
    for d in dumps:
        if model is None:
            pred = [(n, n) for n, t in enumerate(d.lines, 1) if t.strip()]
        else:
            lines = iter(enumerate(d.lines, 1))
            pred = [
                (s[0][0], s[-1][0])
                for s, _ in segment_lines(lines, embedder, model, contextual=contextual)
            ]
        scores.append(score_segments(pred, d.spans))
    return micro_average(scores)


def micro_average(scores: list[SegmentScores]) -> dict[str, float]:
    """Boundary precision, recall and F1 over all dumps' boundaries, and the mean WindowDiff."""
    tp = sum(s.true_positives for s in scores)
    fp = sum(s.predicted_units - 1 for s in scores) - tp
    fn = sum(s.gold_units - 1 for s in scores) - tp
    wds = [s.window_diff for s in scores]
    p = tp / (tp + fp) if tp + fp else 1.0
    r = tp / (tp + fn) if tp + fn else 1.0
    return {
        "precision": round(p, 4),
        "recall": round(r, 4),
        "f1": round(2 * p * r / (p + r) if p + r else 0.0, 4),
        "window_diff": round(float(np.mean(wds)), 4),
        "dumps": len(scores),
    }


def unit_scores(dumps: list[Dump], emb, model: BoundaryModel, contextual) -> dict[str, float]:
    """Boundary scores of units: records joined by ``thread_id`` (as read_dump links them)."""
    scores = []
    for d in dumps:
        lines = iter(enumerate(d.lines, 1))
        posts = read_dump(lines, "x", ParseStats(), emb, None, contextual, model)
        scores.append(score_segments(thread_units(posts), d.spans))
    return micro_average(scores)
