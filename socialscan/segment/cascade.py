"""The accurate segmenter as a cascade: MiniLM reads only the lines around the gaps that the fast
trees hesitate on.

The accurate model's log-odds are the average of its own trees' and the fast model's, over
the first columns of the same feature rows (:attr:`~.model.BoundaryModel.blend`), and
MiniLM's forward passes are nearly all of its time (``bench/results_minilm_segments.md``). So
a block's first-pass features and the fast trees' log-odds come first; a gap whose fast
log-odds lie at least :data:`MARGIN` from the decision threshold is *sure* and keeps the fast
model's probability, and only the *hesitant* gaps get the contextual features
(:func:`~.cohesion.semantic`), for which MiniLM embeds the lines their windows read
(:func:`needed_lines`: at most 3 either side, :data:`~.cohesion.SEMANTIC_WINDOWS`). On dev
dumps the full accurate model overturns 0.6% of the sure fast decisions at this margin (0.2% at
0.5, none from 1.0 on; ``bench/results_minilm_segments.md``).

Everything depends on the block's lines only, as before: a dump cut into blocks decided apart
(:mod:`socialscan.readers.dump_pool`) gives the same posts as one process.
"""

from __future__ import annotations

import math

import numpy as np

from ..embed.base import Embedder
from .cohesion import SEMANTIC_FEATURES, SEMANTIC_WINDOWS, semantic
from .items import LineItem
from .model import BoundaryModel

#: How far (in log-odds) the fast trees must be from the threshold for a gap to be sure:
#: the smallest margin tried whose boundary F1 on 540 dev dumps drawn from the training pools
#: is within 0.002 of the full model's (``bench/results_minilm_segments.md``: 0.9405 against
#: 0.9422, MiniLM on 12.5% of the lines; 0.5: 0.9412 on 24%). ``math.inf``: every gap is
#: hesitant, the full accurate model (MiniLM on every line).
MARGIN = 0.25
#: Lines either side of a gap that its contextual features read (the widest window).
REACH = max(SEMANTIC_WINDOWS)


def needed_lines(hesitant: np.ndarray, reach: int = REACH) -> np.ndarray:
    """Which lines the contextual features of the ``hesitant`` gaps read: gap ``g`` (before
    line ``g``) reads lines ``g - reach`` to ``g + reach - 1``, cut at the block's ends.

    Examples:
        >>> needed_lines(np.array([0, 0, 0, 0, 0, 1, 0, 0, 0, 0, 0, 0], bool), reach=2).nonzero()[0].tolist()
        [3, 4, 5, 6]
    """
    n = len(hesitant)
    edges = np.zeros(n + 1, dtype=np.int64)
    g = np.flatnonzero(hesitant)
    np.add.at(edges, np.maximum(g - reach, 0), 1)
    np.add.at(edges, np.minimum(g + reach, n), -1)
    return np.cumsum(edges[:n]) > 0


class Cascade:
    """The accurate model where the fast trees hesitate, the fast model elsewhere.

    :meth:`rows` builds a block's feature rows, the contextual columns NaN for sure gaps (not
    read); :meth:`proba` scores such rows. It stands for the accurate model in
    :func:`~.segmenter._probas` (the same :attr:`threshold`).

    Args:
        model: The accurate model (its :attr:`~.model.BoundaryModel.blend` is the fast one).
        margin: Log-odds from the threshold beyond which the fast model decides alone
            (``None``: :data:`MARGIN` as it is when called).
    """

    def __init__(self, model: BoundaryModel, margin: float | None = None):
        if model.blend is None or not model.semantic:
            raise ValueError("the cascade needs an accurate model that blends in the fast one")
        self.model, self.fast = model, model.blend
        self.margin = MARGIN if margin is None else margin
        self.threshold = model.threshold
        self.width = len(self.fast.features)
        if model.features[: self.width] != self.fast.features:
            raise ValueError("the accurate model's first columns must be the fast model's")
        # a sure gap keeps the fast probability, which the segmenter then reads against this
        # (the accurate) model's threshold: the fast model's own threshold plays no part
        at = math.log(model.threshold / (1 - model.threshold))
        self._low, self._high = at - self.margin, at + self.margin

    def sure(self, fast_log_odds: np.ndarray) -> np.ndarray:
        """Whether each gap's fast log-odds are far enough from the threshold."""
        return (fast_log_odds <= self._low) | (fast_log_odds >= self._high)

    def rows(self, items: list[LineItem], x: np.ndarray, contextual: Embedder) -> np.ndarray:
        """``x`` (the block's first-pass rows, row 0 unused) with the contextual columns:
        MiniLM embeds only the lines the hesitant gaps read; sure gaps' columns are NaN."""
        n = len(items)
        probe = self.model.context_probe
        width = len(SEMANTIC_FEATURES) + (probe is not None)
        out = np.full((n, x.shape[1] + width), np.nan, dtype=np.float32)
        out[:, : x.shape[1]] = x
        if n < 2:
            return out
        hesitant = np.zeros(n, dtype=bool)
        hesitant[1:] = ~self.sure(self.fast.log_odds(x[1:, : self.width]))
        if not hesitant.any():
            return out
        need = np.flatnonzero(needed_lines(hesitant))
        emb = np.zeros((n, contextual.dim), dtype=np.float32)
        emb[need] = contextual.embed([items[i].info.text for i in need])
        # the windows of a hesitant gap hold embedded lines only, so its features are the
        # full model's (up to the rounding of sums that skip the zero rows)
        out[hesitant, x.shape[1] : x.shape[1] + len(SEMANTIC_FEATURES)] = semantic(emb)[hesitant]
        if probe is not None:  # gap g reads lines g - 1 and g, both embedded
            out[hesitant, -1] = probe.column(emb)[hesitant, 0]
        return out

    def proba(self, x: np.ndarray) -> np.ndarray:
        """Boundary probabilities of :meth:`rows`' rows: the accurate model's where the
        contextual columns were read, the fast model's elsewhere."""
        x = np.atleast_2d(x)
        lo = self.fast.log_odds(x[:, : self.width])
        read = ~np.isnan(x[:, self.width]) if x.shape[1] > self.width else np.zeros(len(x), bool)
        if read.any():
            lo[read] = self.model.log_odds(x[read])
        return 1.0 / (1.0 + np.exp(-lo))
