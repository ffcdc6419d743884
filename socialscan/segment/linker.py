"""Thread linking: does a record continue the plain post above it (one ``thread_id``)?

The boundary model splits long posts (X allows 25,000 characters; the seed's first post has 27
lines) where a tweet-sized post would end. A logistic regression over the split's boundary
probability, how alike the two records are (the cosine of their static vectors) and their sizes
decides whether the second record continues the first. It is fitted on synthetic dumps that
hold long posts (:mod:`.train`), with a high threshold: on held-out dumps it links more of the
pieces of long posts than the older rule "boundary probability under 0.8" and fewer separate
posts (``bench/results_segments.md``).
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import numpy as np

if TYPE_CHECKING:  # the segmenter imports the model, which holds a Linker
    from .segmenter import Segment

#: The linker's inputs, in order.
LINK_FEATURES: tuple[str, ...] = (
    "logit_p",  # the boundary model's log-odds of a new post at the split
    "cos_static",  # cosine of the two records' static vectors (bare link lines left out)
    "log_lines_prev",
    "log_lines_next",
    "log_chars_prev",
    "log_chars_next",
)


def link_features(prev: Segment, nxt: Segment) -> list[float]:
    """:data:`LINK_FEATURES` of two neighbouring segments."""
    a = [t for _, t in prev.lines if t.strip()]
    b = [t for _, t in nxt.lines if t.strip()]
    q = min(max(nxt.p, 1e-4), 1 - 1e-4)
    u, v = prev.vector, nxt.vector
    norms = math.sqrt(float(u @ u) * float(v @ v))
    cos = float(u @ v) / norms if norms > 0 else 0.0
    return [
        math.log(q / (1 - q)),
        cos,
        math.log(len(a)),
        math.log(len(b)),
        math.log1p(sum(map(len, a))),
        math.log1p(sum(map(len, b))),
    ]


@dataclass
class Linker:
    """``p(the second record continues the first)``; link at ``threshold`` or above."""

    coef: np.ndarray
    intercept: float
    threshold: float = 0.8

    def proba(self, features: list[float]) -> float:
        z = float(np.dot(self.coef, features)) + self.intercept
        return 1.0 / (1.0 + math.exp(-z))

    def links(self, prev: Segment, nxt: Segment) -> bool:
        """Whether ``nxt`` continues ``prev``."""
        return self.proba(link_features(prev, nxt)) >= self.threshold

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
