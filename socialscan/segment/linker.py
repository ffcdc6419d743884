"""Thread linking: does a record continue the plain post above it (one ``thread_id``)?

The boundary model splits long posts (X allows 25,000 characters; the seed's first post has 27
lines) where a tweet-sized post would end. A logistic regression over the split's boundary
probability, how alike the two records are (the cosine of their static vectors), their sizes
and their authors' habits of hand (capitals at line starts, straight or curly apostrophes and
quotes: one author keeps them through a long post) decides whether the second record continues
the first. It is fitted on synthetic dumps that hold long posts (``training/segments``; each
long post written in one hand, as its author would) and on posts of several lines copied as
text, with a high threshold, so that it links the pieces of long posts and rarely two separate
posts (``bench/results_segments.md``).
"""

from __future__ import annotations

import math
import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np

from ..text.patterns import URL_RE
from .features import HABITS, ways
from .items import Segment

#: The linker's inputs, in order.
LINK_FEATURES: tuple[str, ...] = (
    "logit_p",  # the boundary model's log-odds of a new post at the split
    "cos_static",  # cosine of the two records' static vectors (bare link lines left out)
    "log_lines_prev",
    "log_lines_next",
    "log_chars_prev",
    "log_chars_next",
    # habits of hand (one author keeps them through a long post; the next author may not):
    # how differently the two records start their lines (capital or small letter), and in how
    # many of :data:`~.features.HABITS` both show a habit and differ, or agree
    "case_clash",
    "habit_clash",
    "habit_agree",
)

_FIRST_LETTER = re.compile(r"[^\W\d_]")


def habits(lines: Sequence[str]) -> tuple[float | None, list[int]]:
    """How a record writes: the share of its lines that start with a small letter (None when
    no line starts with a letter; handles, links and list markers are skipped), and per
    :data:`~.features.HABITS` 1 (the first way), -1 (the second) or 0 (neither, or both).

    Examples:
        >>> habits(["seeing a lot of confusion, so:", "openai never trains on the api's data"])
        (1.0, [1, 0])
        >>> habits(["Things like:", "- Dataset design", "@sam don’t", "https://t.co/x"])
        (0.0, [-1, 0])
    """
    starts = []
    for ln in lines:
        t = ln.lstrip()
        if t[:1] in "@＠" or URL_RE.match(t):
            continue
        m = _FIRST_LETTER.search(t[:4])
        if m:
            starts.append(m.group().islower())
    lower = sum(starts) / len(starts) if starts else None
    return lower, list(ways("\n".join(lines)))


def link_features(prev: Segment, nxt: Segment) -> list[float]:
    """:data:`LINK_FEATURES` of two neighbouring segments."""
    lines_a, chars_a, uu = _reading(prev)
    lines_b, chars_b, vv = _reading(nxt)
    q = min(max(nxt.p, 1e-4), 1 - 1e-4)
    norms = math.sqrt(uu * vv)
    cos = float(prev.vector @ nxt.vector) / norms if norms > 0 else 0.0
    (la, wa), (lb, wb) = _habits_of(prev), _habits_of(nxt)
    clash = agree = 0  # habits both records show (each -1 or 1), differing or agreeing
    for x, y in zip(wa, wb, strict=True):
        if x and y:
            if x == y:
                agree += 1
            else:
                clash += 1
    return [
        math.log(q / (1 - q)),
        cos,
        lines_a,
        lines_b,
        chars_a,
        chars_b,
        abs(la - lb) if la is not None and lb is not None else 0.0,
        float(clash),
        float(agree),
    ]


def _text_lines(seg: Segment) -> list[str]:
    return [t for _, t in seg.lines if t.strip()]


def _reading(seg: Segment) -> tuple[float, float, float]:
    """(log of its text lines, log1p of their characters, its vector's squared length) of a
    segment, read once (each is linked as the second record of a pair, then as the first)."""
    if seg.reading is None:
        lines = _text_lines(seg)
        u = seg.vector
        seg.reading = (math.log(len(lines)), math.log1p(sum(map(len, lines))), float(u @ u))
    return seg.reading


def _habits_of(seg: Segment) -> tuple[float | None, list[int]]:
    """:func:`habits` of a segment, read once (each is linked as the second and the first)."""
    if seg.habits is None:
        seg.habits = habits(_text_lines(seg))
    return seg.habits


@dataclass
class Linker:
    """``p(the second record continues the first)``; link at ``threshold`` or above (the
    scores of held-out dumps barely move across a wide range of thresholds around it)."""

    coef: np.ndarray
    intercept: float
    threshold: float = 0.7

    def __post_init__(self) -> None:
        c = [float(x) for x in self.coef]
        self._coef = c
        self._habit_room = max(c[6], 0.0) + len(HABITS) * (max(c[7], 0.0) + max(c[8], 0.0))
        t = float(self.threshold)
        # a pair below this log-odds is below the threshold; 1e-6 is far above the rounding
        # of nine products (~1e-15), so no pair the full model links is ruled out
        self._z_threshold = math.log(t / (1 - t)) - 1e-6 if 0 < t < 1 else -math.inf

    def proba(self, features: list[float]) -> float:
        z = float(np.dot(self.coef, features)) + self.intercept
        return 1.0 / (1.0 + math.exp(-z))

    def links(self, prev: Segment, nxt: Segment) -> bool:
        """Whether ``nxt`` continues ``prev``.

        Most pairs are two posts far below the threshold whatever their habits of hand, which
        are the costly features (a regex scan of each record's lines): :meth:`_habits_can_link`
        rules those out first from the cheap ones, with a margin far above rounding, so the
        answer is the full model's for every pair.
        """
        if not self._habits_can_link(prev, nxt):
            return False
        return self.proba(link_features(prev, nxt)) >= self.threshold

    def _habits_can_link(self, prev: Segment, nxt: Segment) -> bool:
        """Whether any habits of hand could lift this pair to the threshold: the log-odds from
        the split's probability, the cosine and the sizes, plus the most the habit features
        can add (``case_clash`` in [0, 1]; ``habit_clash`` and ``habit_agree`` each in
        [0, len(HABITS)])."""
        lines_a, chars_a, uu = _reading(prev)
        lines_b, chars_b, vv = _reading(nxt)
        q = min(max(nxt.p, 1e-4), 1 - 1e-4)
        norms = math.sqrt(uu * vv)
        cos = float(prev.vector @ nxt.vector) / norms if norms > 0 else 0.0
        c = self._coef
        z = (
            c[0] * math.log(q / (1 - q))
            + c[1] * cos
            + c[2] * lines_a
            + c[3] * lines_b
            + c[4] * chars_a
            + c[5] * chars_b
            + self.intercept
        )
        return z + self._habit_room >= self._z_threshold

    def to_json(self) -> dict[str, Any]:
        return {
            "features": list(LINK_FEATURES),
            "coef": [round(float(c), 6) for c in self.coef],
            "intercept": round(float(self.intercept), 6),
            "threshold": self.threshold,
        }

    @classmethod
    def from_json(cls, d: dict[str, Any]) -> Linker:
        if list(d.get("features", [])) != list(LINK_FEATURES):
            raise ValueError("the thread linker was fitted on other features; retrain it")
        return cls(np.asarray(d["coef"], dtype=np.float64), float(d["intercept"]), d["threshold"])
