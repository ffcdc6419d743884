"""Sentence vectors for spaCy spans: a word cache for word-pooled embedders, else ``embed()``."""

from __future__ import annotations

import re
from collections.abc import Sequence

import numpy as np
from spacy.attrs import IS_SPACE, LOWER

from ..embed.base import Embedder, as_embedder, normalize

#: Distinct words kept in the vector cache; past this it is emptied and refilled.
MAX_CACHED_WORDS = 200_000
_LETTER = re.compile(r"[^\W\d_]")


class SpanEncoder:
    """Embeds spaCy spans with an :class:`~socialscan.embed.Embedder`.

    For a word-pooled embedder (the shipped static model) a sentence vector is the mean of its
    word-piece vectors, exactly what the embedder computes; here each distinct spaCy token is
    cached as its (sum of piece vectors, piece count), so a batch costs one gather and one
    ``np.add.reduceat`` instead of re-running the tokenizer on every sentence. Any other
    embedder gets the span texts.

    Args:
        embedder: The embedder to use.
    """

    def __init__(self, embedder: Embedder):
        self.embedder = embedder
        self.dim = int(embedder.dim)
        self._pooled = as_embedder(embedder).word_pooled
        if self._pooled:
            self._index: dict[int, int] = {}
            self._sums = np.zeros((1024, self.dim), dtype=np.float32)
            self._counts = np.zeros(1024, dtype=np.float32)
            self._letter = np.zeros(1024, dtype=bool)  # the word holds a letter
            self._n = 1
            self._word_index: dict[str, int] = {}

    @property
    def word_pooled(self) -> bool:
        """True when spans are embedded through the word cache (a word-pooled embedder)."""
        return self._pooled

    def _ensure(self, keys: set, index: dict, to_str) -> None:
        """Cache the vectors of ``keys`` missing from ``index`` (``to_str(key)`` is the word)."""
        new = [k for k in keys if k not in index]
        if not new:
            return
        if self._n + len(new) > MAX_CACHED_WORDS:
            # unique strings (links, ids) would grow the cache without end: start it afresh
            self._index.clear()
            self._word_index.clear()
            self._n = 1
            new = list(keys)
        words = [to_str(k) for k in new]
        if index is self._word_index:
            self._add_words(words, words, index)
            return
        # spaCy's words (keyed by hash) the gate has cached by string: the same row
        by_word = self._word_index
        found = list(map(by_word.get, words))
        if None not in found:
            index.update(zip(new, found, strict=True))
            return
        add_keys, add_words = [], []
        for k, w, row in zip(new, words, found, strict=True):
            if row is None:
                add_keys.append(k)
                add_words.append(w)
            else:
                index[k] = row
        n0 = self._n
        self._add_words(add_words, add_keys, index)
        by_word.update(zip(add_words, range(n0, self._n), strict=True))

    def _add_words(self, words: list[str], keys: list, index: dict) -> None:
        need = self._n + len(words)
        if need > len(self._counts):
            size = max(need, 2 * len(self._counts))
            sums = np.zeros((size, self.dim), dtype=np.float32)
            sums[: self._n] = self._sums[: self._n]
            counts = np.zeros(size, dtype=np.float32)
            counts[: self._n] = self._counts[: self._n]
            letter = np.zeros(size, dtype=bool)
            letter[: self._n] = self._letter[: self._n]
            self._sums, self._counts, self._letter = sums, counts, letter
        rows = slice(self._n, self._n + len(words))
        self._sums[rows], self._counts[rows] = self.embedder.piece_sums(words)
        search = _LETTER.search
        self._letter[rows] = [search(w) is not None for w in words]
        index.update(zip(keys, range(self._n, self._n + len(words)), strict=True))
        self._n += len(words)

    def encode(self, spans: Sequence) -> np.ndarray:
        """Unit-length vectors, one row per span (``spacy.tokens.Span`` or any token sequence)."""
        if not len(spans):
            return np.zeros((0, self.dim), dtype=np.float32)
        if not self._pooled:
            return np.asarray(self.embedder.embed([s.text for s in spans]), dtype=np.float32)
        index = self._index
        arrays: dict[int, np.ndarray] = {}
        words = []
        for s in spans:
            a = arrays.get(id(s.doc))
            if a is None:
                a = s.doc.to_array([LOWER, IS_SPACE])
                arrays[id(s.doc)] = a
            part = a[s.start : s.end]
            words.append(part[part[:, 1] == 0, 0].tolist())
        strings = spans[0].doc.vocab.strings
        self._ensure({h for ws in words for h in ws}, index, strings.__getitem__)
        flat: list[int] = []
        starts = np.empty(len(words), dtype=np.int64)
        for k, ws in enumerate(words):
            starts[k] = len(flat)
            flat.extend([index[h] for h in ws])
            if not ws:
                flat.append(0)
        idx = np.asarray(flat, dtype=np.int64)
        sums = np.add.reduceat(self._sums[idx], starts, axis=0)
        counts = np.add.reduceat(self._counts[idx], starts)
        counts[counts == 0] = 1.0
        return normalize(sums / counts[:, None])

    def word_rows(self, words: list[str], marks: dict[str, int] | None = None) -> np.ndarray:
        """Rows of the word cache for lower-cased word strings (new ones are cached first).

        Only for a word-pooled embedder. ``marks`` maps strings that are not words (a caller's
        separators) to the negative numbers returned for them.
        """
        if not self._pooled:
            raise TypeError("word_rows needs a word-pooled embedder")
        index = self._word_index
        marks = marks or {}
        index.update(marks)
        try:
            rows = list(map(index.get, words))
            if None in rows:
                self._ensure(set(words).difference(marks), index, str)
                index.update(marks)  # a full cache starts afresh
                rows = list(map(index.get, words))
        finally:
            for k in marks:
                index.pop(k, None)
        return np.array(rows, dtype=np.int64)

    def has_letter(self, rows: np.ndarray) -> np.ndarray:
        """Whether each cached word (rows from :meth:`word_rows`) holds a letter."""
        return self._letter[rows]

    def sum_vectors(self, rows: np.ndarray, indptr: np.ndarray) -> np.ndarray:
        """Unit-length vectors of word groups: ``rows[indptr[k]:indptr[k + 1]]`` is group k.

        The mean of the words' piece vectors, like :meth:`encode` on spaCy tokens: one sparse
        (groups x cached words) count matrix times the cached word sums, no gathered copy of
        every word's vector; the division is dropped (rows are normalised anyway).
        """
        from scipy.sparse import csr_matrix

        counts = csr_matrix(
            (np.ones(len(rows), dtype=np.float32), rows, indptr),
            shape=(len(indptr) - 1, self._n),
        )
        return normalize(counts @ self._sums[: self._n])
