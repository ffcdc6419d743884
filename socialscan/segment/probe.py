"""A learned gap feature: how much the two lines either side of a gap read like a post's end
and the next post's start, from their static vectors (and for the accurate model, from their
contextual vectors too).

The trees read the static vectors only through cosines (how alike the lines are); what a line
says (a hook that promises more, a sign-off, an opening) is lost there. A logistic regression
over the two lines' vectors and their product (:func:`pairs`) reads it, and its log-odds
becomes one more column for the trees (:data:`PROBE_FEATURES`). It is fitted with the trees
(``training/segments/train.py``): the trees learn from its out-of-fold log-odds on their own
training gaps, so that they trust it as much as it deserves on posts it has not seen.

The column of gap ``g`` reads lines ``g - 1`` and ``g`` only, so a block decided apart
(:mod:`socialscan.readers.dump_pool`) gives the same values.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np

#: The probe's column, after the first-pass features.
PROBE_FEATURES: tuple[str, ...] = ("probe_lo",)
#: The accurate model's probe over contextual (MiniLM) vectors, after
#: :data:`~.cohesion.SEMANTIC_FEATURES`; the cascade reads it where it reads them.
CONTEXT_PROBE_FEATURES: tuple[str, ...] = ("sem_probe_lo",)


def pairs(emb: np.ndarray) -> np.ndarray:
    """The probe's input of every gap: row ``g`` is the vectors of lines ``g - 1`` and ``g``
    and their elementwise product (row 0, before the first line, is zeros).

    Examples:
        >>> pairs(np.array([[1.0, 0.0], [0.5, 2.0]], dtype=np.float32)).tolist()
        [[0.0, 0.0, 0.0, 0.0, 0.0, 0.0], [1.0, 0.0, 0.5, 2.0, 0.5, 0.0]]
    """
    n, d = emb.shape
    out = np.zeros((n, 3 * d), dtype=np.float32)
    if n > 1:
        out[1:, :d] = emb[:-1]
        out[1:, d : 2 * d] = emb[1:]
        np.multiply(emb[:-1], emb[1:], out=out[1:, 2 * d :])
    return out


@dataclass
class LinearProbe:
    """Log-odds of a boundary from :func:`pairs` of a block's line vectors: ``pairs @ coef +
    intercept``."""

    coef: np.ndarray  # float32, 3 * dim
    intercept: float

    def column(self, emb: np.ndarray) -> np.ndarray:
        """The probe's log-odds for every gap of a block's static vectors, as a ``(n, 1)``
        float32 column (row 0 unused, as in :func:`~.features.pass1`)."""
        n, d = emb.shape
        out = np.zeros((n, 1), dtype=np.float32)
        if n > 1:
            # the three parts' dot products, without building the (n, 3d) input; einsum (not
            # BLAS) sums each row the same way whatever rows come with it
            a, b, c = self.coef[:d], self.coef[d : 2 * d], self.coef[2 * d :]
            prev, nxt = emb[:-1], emb[1:]
            lo = np.einsum("ij,j->i", prev, a) + np.einsum("ij,j->i", nxt, b)
            lo += np.einsum("ij,ij,j->i", prev, nxt, c)
            out[1:, 0] = lo + np.float32(self.intercept)
        return out

    def column_of_pairs(self, x: np.ndarray) -> np.ndarray:
        """The log-odds of :func:`pairs` rows (for training: the same sum as :meth:`column`
        up to rounding)."""
        return (x @ self.coef + np.float32(self.intercept)).astype(np.float32)

    @classmethod
    def fit(cls, x: np.ndarray, y: np.ndarray, c: float = 1.0) -> LinearProbe:
        """A logistic regression (scikit-learn, for training only) on :func:`pairs` rows."""
        from sklearn.linear_model import LogisticRegression

        clf = LogisticRegression(C=c, max_iter=300).fit(x, y)
        return cls(clf.coef_[0].astype(np.float32), float(clf.intercept_[0]))

    def to_json(self) -> dict[str, Any]:
        return {
            "kind": "logistic regression on pairs of line vectors",
            "coef": [round(float(v), 7) for v in self.coef],
            "intercept": round(self.intercept, 7),
        }

    @classmethod
    def from_json(cls, d: dict[str, Any]) -> LinearProbe:
        return cls(np.asarray(d["coef"], dtype=np.float32), float(d["intercept"]))
