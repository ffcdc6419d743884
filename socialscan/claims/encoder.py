"""Sentence vectors for spaCy spans: a fast word-cache path for the static model, else ``embed()``."""

from __future__ import annotations

import re
from collections.abc import Sequence
from itertools import chain
from typing import Any

import numpy as np
from spacy.attrs import IS_SPACE, LOWER

from ..embed.base import Embedder, normalize

#: Distinct words kept in the vector cache; past this it is emptied and refilled.
MAX_CACHED_WORDS = 200_000
_LETTER = re.compile(r"[^\W\d_]")
_PLAIN = re.compile(r"[a-z0-9]+", re.ASCII)


def _plain_wordpiece(tokenizer) -> tuple[dict[str, int], int, dict[str, int], int] | None:
    """(vocabulary, unknown id, reach, longest word) of a BERT WordPiece tokenizer that
    lower-cases and splits at spaces and punctuation, or None for any other tokenizer.

    ``reach`` maps the first two characters of a piece (after ``##`` for a continuation) to
    the longest piece starting so; the greedy match tries no longer substring.
    """
    import json

    try:
        cfg = json.loads(tokenizer.to_str())
        model, norm, pre = cfg["model"], cfg["normalizer"], cfg["pre_tokenizer"]
    except (AttributeError, KeyError, TypeError, ValueError):
        return None
    if (
        model.get("type") != "WordPiece"
        or model.get("continuing_subword_prefix") != "##"
        or (norm or {}).get("type") != "BertNormalizer"
        or not norm.get("lowercase")
        or (pre or {}).get("type") != "BertPreTokenizer"
        or cfg.get("added_tokens")
        and any(not t.get("special") for t in cfg["added_tokens"])
    ):
        return None
    vocab = model["vocab"]
    unk = vocab.get(model.get("unk_token", "[UNK]"))
    if unk is None:
        return None
    reach: dict[str, int] = {}
    for w in vocab:
        cont = w.startswith("##") and len(w) > 2
        body = w[2:] if cont else w
        key = ("##" if cont else "") + body[:2]
        reach[key] = max(reach.get(key, 0), len(body))
    return vocab, unk, reach, int(model.get("max_input_chars_per_word", 100))


class SpanEncoder:
    """Embeds spaCy spans with an :class:`~socialscan.embed.Embedder`.

    For the shipped static (model2vec) model a sentence vector is the mean of its word-piece
    vectors, exactly what ``StaticModel.encode`` computes; here each distinct spaCy token is
    tokenised once and cached as (sum of piece vectors, piece count), so a batch costs one
    gather and one ``np.add.reduceat`` instead of re-running the tokenizer on every sentence
    (about 4x faster on tweets). Any other embedder gets the span texts.

    Args:
        embedder: The embedder to use.
    """

    def __init__(self, embedder: Embedder):
        self.embedder = embedder
        self.dim = int(embedder.dim)
        model = getattr(embedder, "model", None)
        self._static = (
            model is not None
            and hasattr(model, "tokenize")
            and hasattr(model, "_encode_helper")
            and getattr(embedder, "name", "") == "static"
        )
        if self._static:
            self._model = model
            self._table: np.ndarray | None = None  # the model's piece vectors as float32
            self._wordpiece: Any = False  # see _plain_wordpiece; False until first needed
            self._index: dict[int, int] = {}
            self._sums = np.zeros((1024, self.dim), dtype=np.float32)
            self._counts = np.zeros(1024, dtype=np.float32)
            self._letter = np.zeros(1024, dtype=bool)  # the word holds a letter
            self._n = 1
            self._word_index: dict[str, int] = {}

    @property
    def is_static(self) -> bool:
        """True when spans are embedded through the word cache (the shipped static model)."""
        return self._static

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

    def _piece_ids(self, words: list[str]) -> list[list[int]]:
        """Word-piece ids of each word (``tokenize`` without dropping unknown pieces).

        Plain ASCII words of lower-case letters and digits (most new words: link ids, rare
        words) are split by WordPiece's greedy longest-match in Python, which gives the same
        pieces as the Rust tokenizer for them (its normaliser and pre-tokeniser leave such a
        word alone) at a fraction of the per-word cost; the rest go through the tokenizer.
        """
        wp = self._wordpiece
        if wp is False:
            wp = self._wordpiece = _plain_wordpiece(self._model.tokenizer)
        out: list[list[int] | None] = [None] * len(words)
        rest = []
        if wp is not None:
            vocab, unk, reach, max_chars = wp
            get, plain, reach_get = vocab.get, _PLAIN.fullmatch, reach.get
            for k, w in enumerate(words):
                if not plain(w):
                    rest.append(k)
                    continue
                if len(w) > max_chars:
                    out[k] = [unk]
                    continue
                pieces = []
                start, n = 0, len(w)
                while start < n:
                    prefix = "##" if start else ""
                    # no piece starting with these two characters is longer than this
                    end = min(n, start + reach_get(prefix + w[start : start + 2], 1))
                    while end > start:
                        i = get(prefix + w[start:end])
                        if i is not None:
                            break
                        end -= 1
                    else:
                        pieces = [unk]
                        break
                    pieces.append(i)
                    start = end
                out[k] = pieces
        else:
            rest = list(range(len(words)))
        if rest:
            enc = self._model.tokenizer.encode_batch_fast(
                [words[k] for k in rest], add_special_tokens=False
            )
            for k, e in zip(rest, enc, strict=True):
                out[k] = e.ids
        return out  # type: ignore[return-value]

    def _piece_sums(self, words: list[str]) -> tuple[np.ndarray, np.ndarray]:
        """(sum of piece vectors, piece count) of each word, as ``StaticModel.encode`` sees it."""
        model = self._model
        if model.token_mapping is not None or model.weights is not None:
            ids = model.tokenize(words)
            lengths = np.array([len(x) for x in ids], dtype=np.int64)
            sums = np.zeros((len(words), self.dim), dtype=np.float32)
            has = lengths > 0
            if has.any():
                vecs = model._encode_helper([i for x in ids for i in x]).astype(np.float32)
                starts = np.zeros(len(words), dtype=np.int64)
                np.cumsum(lengths[:-1], out=starts[1:])
                sums[has] = np.add.reduceat(vecs, starts[has], axis=0)
            return sums, lengths.astype(np.float32)
        # the same pieces (``tokenize`` drops the unknown-word piece) gathered from a float32
        # copy of the table (no per-batch cast) and summed by the same reduceat (same bits)
        if self._table is None:
            self._table = np.asarray(model.embedding, dtype=np.float32)
        ids = self._piece_ids(words)
        lengths = np.fromiter(map(len, ids), dtype=np.int64, count=len(ids))
        flat = np.fromiter(chain.from_iterable(ids), dtype=np.int64, count=int(lengths.sum()))
        if model.unk_token_id is not None:
            known = flat != model.unk_token_id
            if not known.all():
                owner = np.repeat(np.arange(len(words)), lengths)[known]
                flat = flat[known]
                lengths = np.bincount(owner, minlength=len(words))
        sums = np.zeros((len(words), self.dim), dtype=np.float32)
        has = lengths > 0
        if has.any():
            starts = np.zeros(len(words), dtype=np.int64)
            np.cumsum(lengths[:-1], out=starts[1:])
            sums[has] = np.add.reduceat(self._table[flat], starts[has], axis=0)
        return sums, lengths.astype(np.float32)

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
        self._sums[rows], self._counts[rows] = self._piece_sums(words)
        search = _LETTER.search
        self._letter[rows] = [search(w) is not None for w in words]
        index.update(zip(keys, range(self._n, self._n + len(words)), strict=True))
        self._n += len(words)

    def encode(self, spans: Sequence) -> np.ndarray:
        """Unit-length vectors, one row per span (``spacy.tokens.Span`` or any token sequence)."""
        if not len(spans):
            return np.zeros((0, self.dim), dtype=np.float32)
        if not self._static:
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

        Only for the static model. ``marks`` maps strings that are not words (a caller's
        separators) to the negative numbers returned for them.
        """
        if not self._static:
            raise TypeError("word_rows needs the static model")
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
