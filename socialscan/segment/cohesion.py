"""Continuity across a gap between lines, from what the lines mean and the words they share.

:func:`semantic` reads contextual (MiniLM) vectors: how alike the windows of lines either side
of a gap are, and how coherent each window is (the accurate model's features).
:func:`lexical` reads words: TextTiling's signal, the rare words two stretches of lines share
(part of the first pass, :func:`~.features.pass1`).
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from ..text.stems import stem_idf, stems

#: Window sizes (lines) of the contextual features: a gap's read at most 3 lines either side,
#: so the cascade (:mod:`.cascade`) embeds the 6 lines around each gap the fast trees hesitate
#: on, not 16 as with windows of 5 and 8 lines too, for the same dev F1 of the accurate model
#: refitted on them (0.9422 against 0.9420, ``bench/results_minilm_segments.md``).
SEMANTIC_WINDOWS: tuple[int, ...] = (1, 2, 3)

#: Contextual features (MiniLM vectors), after :data:`~.features.PASS1_FEATURES` in the accurate model.
SEMANTIC_FEATURES: tuple[str, ...] = (
    # per window size k: cosine of the mean vectors of the k lines before and the k lines from
    # the gap on, and the length of each mean vector (how much those lines agree)
    *(f"sem_{name}{k}" for k in SEMANTIC_WINDOWS for name in ("cos", "coh_back", "coh_fwd")),
    "sem_prev_next",  # the two lines either side
    "sem_back3_next",  # the line after the gap against the 3 lines before it
    "sem_prev_fwd3",  # the line before the gap against the 3 lines from the gap on
    "sem_next_back3_minus_fwd3",  # does the line after the gap lean back or forward?
)


def semantic(emb: np.ndarray) -> np.ndarray:
    """Contextual features for gaps 1..n-1 of unit-length line vectors (row 0 unused).

    Examples:
        >>> v = np.eye(4, dtype=np.float32)[[0, 0, 1, 1]]  # two lines on one theme, two on another
        >>> x = semantic(v)
        >>> x.shape == (4, len(SEMANTIC_FEATURES)), float(x[2, 0]), float(x[1, 0])
        (True, 0.0, 1.0)
    """
    n, d = emb.shape
    x = np.zeros((n, len(SEMANTIC_FEATURES)), dtype=np.float32)
    if n < 2:
        return x
    # each window's sum adds its own lines, nearest first: a gap's features then depend on the
    # vectors of the lines its windows hold and of no other (a prefix sum's rounding carries
    # every line before them), so :mod:`.cascade` may leave the other lines unembedded
    top = max(SEMANTIC_WINDOWS)
    pad = np.zeros((n + 2 * top, d), dtype=np.float32)
    pad[top : top + n] = emb
    sum_back, sum_fwd = np.zeros((n, d), dtype=np.float32), np.zeros((n, d), dtype=np.float32)
    sums = {}
    for j in range(1, top + 1):
        sum_back += pad[top - j : top - j + n]  # line i - j, for the gap before line i
        sum_fwd += pad[top + j - 1 : top + j - 1 + n]  # line i + j - 1
        if j in SEMANTIC_WINDOWS:
            sums[j] = (sum_back.copy(), sum_fwd.copy())
    idx = np.arange(n)
    backs, fwds = {}, {}
    col = 0
    for k in SEMANTIC_WINDOWS:
        lo, hi = np.maximum(idx - k, 0), np.minimum(idx + k, n)
        back = sums[k][0] / np.maximum(idx - lo, 1)[:, None]
        fwd = sums[k][1] / np.maximum(hi - idx, 1)[:, None]
        nb, nf = np.linalg.norm(back, axis=1), np.linalg.norm(fwd, axis=1)
        backs[k] = back / np.maximum(nb, 1e-6)[:, None]
        fwds[k] = fwd / np.maximum(nf, 1e-6)[:, None]
        x[:, col] = np.einsum("ij,ij->i", back, fwd) / np.maximum(nb * nf, 1e-6)
        x[:, col + 1], x[:, col + 2] = nb, nf
        col += 3
    prev = np.zeros_like(emb)
    prev[1:] = emb[:-1]
    x[:, col] = np.einsum("ij,ij->i", prev, emb)
    x[:, col + 1] = np.einsum("ij,ij->i", backs[3], emb)
    x[:, col + 2] = np.einsum("ij,ij->i", prev, fwds[3])
    x[:, col + 3] = x[:, col + 1] - np.einsum("ij,ij->i", fwds[3], emb)
    x[0] = 0.0
    return x


_BAND = 12  # lines apart, at most, of two lines whose shared words are counted


class _Numbers(dict):
    """Stem -> its number, a new stem given the next one as it is met (``__getitem__``)."""

    def __missing__(self, key: str) -> int:
        number = self[key] = len(self)
        return number


def lexical(texts: Sequence[str]) -> np.ndarray:
    """Lexical cohesion at each gap (rows as :func:`~.features.pass1`'s): TextTiling's signal, the words two
    stretches of lines share, each weighed by its rarity in tweets.

    Columns: the cosine of the stems (idf-weighted) of the 1, 3 and 6 lines before the gap and as
    many from it on; whether the line after the gap leans back or forward (its cosine with the 3
    lines above minus with the 3 below it), and the same for the line before the gap. Where
    embeddings see one subject everywhere (a dump of tweets about ChatGPT), a post repeats its
    own words ("fine tuning" eight times) and the next post does not.
    """
    n = len(texts)
    x = np.zeros((n, 5), dtype=np.float32)
    if n < 2:
        return x
    idf, default = stem_idf()
    # every line's stems one after another (no line's set kept: thousands of live sets would
    # cost the garbage collector more than this saves), each numbered where it is first met
    words: list[str] = []
    count: list[int] = []
    for t in texts:
        line = stems(t)
        count.append(len(line))
        words += line
    ids = _Numbers()
    total = len(words)
    cols = np.fromiter(map(ids.__getitem__, words), dtype=np.int64, count=total)
    rows = np.repeat(np.arange(n), count)
    # band[i + B, d]: the dot product of lines i and i + d (d <= B), B rows of padding each side
    b = _BAND
    size = (n + 2 * b + 1, b + 1)
    band = np.zeros(size)
    if total:
        weight = np.fromiter((idf.get(s, default) for s in ids), dtype=np.float64, count=len(ids))
        r, c = rows, cols
        order = np.lexsort((r, c))
        r, c = r[order], c[order]
        w2 = weight[c] ** 2
        # every (cell, weight) in the order np.add.at would add them, summed by one bincount:
        # each cell's terms in the same order from 0.0, hence the same bits
        cells, terms = [(r + b) * (b + 1)], [w2]
        for k in range(1, min(b, len(r) - 1) + 1):  # one stem's occurrences k apart
            d = r[k:] - r[:-k]
            ok = (c[k:] == c[:-k]) & (d <= b)
            cells.append((r[:-k][ok] + b) * (b + 1) + d[ok])
            terms.append(w2[k:][ok])
        flat = np.concatenate(cells)
        band = np.bincount(flat, np.concatenate(terms), minlength=band.size).reshape(size)
    # the gap before line g is padded row g + b; the windows' lines are offsets from it, so
    # each term below is a column of ``band`` read down n rows from there (a slice)
    g = b

    def at(row: int, d: int) -> np.ndarray:  # band[g' + row, d] for every gap g'
        return band[row : row + n, d]

    def norm2(start: int, k: int) -> np.ndarray:  # of the lines [start, start + k)
        tot = np.zeros(n)
        for i in range(k):
            tot += at(start + i, 0)
            for j in range(i + 1, k):
                tot += 2 * at(start + i, j - i)
        return tot

    def cross(a: int, ka: int, c0: int, kc: int) -> np.ndarray:  # lines [a, a + ka) before c0
        tot = np.zeros(n)
        for i in range(ka):
            for j in range(kc):
                tot += at(a + i, c0 + j - a - i)
        return tot

    def cos(num: np.ndarray, na: np.ndarray, nb: np.ndarray) -> np.ndarray:
        den = np.sqrt(na * nb)
        return np.where(den > 0, num / np.maximum(den, 1e-12), 0.0)

    for col, k in enumerate((1, 3, 6)):
        x[:, col] = cos(cross(g - k, k, g, k), norm2(g - k, k), norm2(g, k))
    x[:, 3] = cos(cross(g - 3, 3, g, 1), norm2(g - 3, 3), at(g, 0)) - cos(
        cross(g, 1, g + 1, 3), at(g, 0), norm2(g + 1, 3)
    )
    x[:, 4] = cos(cross(g - 4, 3, g - 1, 1), norm2(g - 4, 3), at(g - 1, 0)) - cos(
        cross(g - 1, 1, g, 3), at(g - 1, 0), norm2(g, 3)
    )
    x[0] = 0.0
    return x
