"""The static vectors of a block's lines, as the static embedder gives them, tokenised faster.

Every line of a dump is embedded, and the Rust tokenizer's per-line work (normalising,
splitting, WordPiece) is the larger part of the fast segmenter's time. A line of printable
ASCII needs none of it beyond lower-casing and splitting into words and punctuation marks,
which a lower-casing BERT normaliser and pre-tokeniser do the same way; each word's pieces are
then those the tokenizer gives the word alone, kept in a cache, so a word is tokenised once per
process. Any other line is cut at its spaces: BERT's normaliser works character by character
(a space starts no combining sequence, so Unicode decomposition never reaches across one) and
its pre-tokeniser splits at spaces, so each space-free chunk's pieces are those the tokenizer
gives the chunk alone, and they are cached the same way. Added tokens ("[UNK]") are matched in
the raw text first; a chunk that holds one goes to the tokenizer whole. The pieces are pooled
as model2vec pools them (:func:`_pooled`), so the vectors are bit for bit those of
:meth:`~socialscan.embed.static.StaticEmbedder.embed`. An embedder of any other kind, or a
model2vec model this reading does not hold for, is simply asked to embed.
"""

from __future__ import annotations

import re
import weakref
from collections.abc import Sequence
from itertools import chain

import numpy as np

from ..embed.base import Embedder, normalize

_PRINTABLE = re.compile("[ -~]*")  # no control character for the normaliser to drop or blank
_WORD = re.compile("[a-z0-9]+|[^ a-z0-9]")  # BERT's words and punctuation marks, lower-cased
_TABLE_LINES = 2048  # lines of a block from which the piece vectors are summed from a copy
_SPLIT_IN_PYTHON = 1000  # new keys from which plain words are split by embed.wordpiece
_MAX_CACHED = 200_000  # words (a link id is one): the cache starts over beyond this, flat memory


class _Pieces:
    """One model2vec model's tokenizer, with a cache of each word's piece ids."""

    def __init__(self, embedder, added: tuple[str, ...] = ()) -> None:
        self.embedder = embedder
        self.model = model = embedder.model
        self.tokenizer = model.tokenizer
        self.words: dict[str, int] = {}
        self._clear()
        # the added tokens' texts ("[UNK]"), matched in the raw text before anything else
        self.added = re.compile("|".join(map(re.escape, added))) if added else None
        self.table: np.ndarray | None = None  # the piece vectors to sum in, on first use

    def _keys(self, t: str) -> list[str]:
        """The cache keys of one line: BERT's words of a printable-ASCII line, else its
        space-separated chunks (printable-ASCII ones as words)."""
        added = self.added is not None and self.added.search(t) is not None
        if not added and _PRINTABLE.fullmatch(t):
            return _WORD.findall(t.lower())
        keys: list[str] = []
        for c in t.split(" "):
            if not c:
                continue
            if _PRINTABLE.fullmatch(c) and not (added and self.added.search(c)):
                keys += _WORD.findall(c.lower())
            else:
                keys.append(c)
        return keys

    def _clear(self) -> None:
        self.words.clear()  # key -> its slot in the three arrays below
        self._starts: list[int] = []  # where each slot's pieces start in _flat
        self._lens: list[int] = []
        self._flat: list[int] = []
        self._arrays: tuple[np.ndarray, np.ndarray, np.ndarray] | None = None

    def _learn(self, batch: list[str]) -> None:
        """Cache the pieces of new keys, each tokenised alone (many at once: plain words split
        in Python, :mod:`socialscan.embed.wordpiece`, the rest by the tokenizer)."""
        words, starts, lens, flat = self.words, self._starts, self._lens, self._flat
        if len(batch) >= _SPLIT_IN_PYTHON:  # worth reading the vocabulary for (~20 ms, once)
            pieces = self.embedder.piece_ids(batch)
        else:
            pieces = [
                e.ids for e in self.tokenizer.encode_batch_fast(batch, add_special_tokens=False)
            ]
        for w, ids in zip(batch, pieces, strict=True):
            words[w] = len(starts)
            starts.append(len(flat))
            lens.append(len(ids))
            flat += ids
        self._arrays = None

    def flat_ids(self, texts: Sequence[str]) -> tuple[np.ndarray, np.ndarray]:
        """Every text's piece ids one after another, and how many each has: model2vec's
        ``tokenize`` (truncated, unknown pieces dropped), from the cached keys' pieces."""
        model, words = self.model, self.words
        limit = model.max_length
        if limit is not None:  # model2vec cuts the characters before tokenising
            texts = [t[: limit * model.median_token_length] for t in texts]
        keys = [self._keys(t) for t in texts]
        seen = set(chain.from_iterable(keys))
        new = seen.difference(words)
        if len(words) + len(new) > _MAX_CACHED:
            self._clear()
            new = seen
        if new:
            self._learn(sorted(new))
        if self._arrays is None:
            self._arrays = (
                np.asarray(self._starts, dtype=np.int64),
                np.asarray(self._lens, dtype=np.int64),
                np.asarray(self._flat, dtype=np.int64),
            )
        starts, lens, flat = self._arrays
        n = len(texts)
        per_line = np.fromiter(map(len, keys), dtype=np.int64, count=n)
        slot = np.fromiter(
            map(words.__getitem__, chain.from_iterable(keys)),
            dtype=np.int64,
            count=int(per_line.sum()),
        )
        size = lens[slot]  # pieces of each key, in order
        total = int(size.sum())
        # each key's pieces, in order: its slot's start, counted on from where it lands
        lands = np.cumsum(size) - size
        at = np.repeat(starts[slot] - lands, size) + np.arange(total, dtype=np.int64)
        ids = flat[at]
        line = np.repeat(np.repeat(np.arange(n), per_line), size)  # each piece's line
        keep = None
        if limit is not None:
            counts = np.bincount(line, minlength=n)
            if int(counts.max(initial=0)) > limit:  # the tokenizer's cut, before unknowns go
                first = np.cumsum(counts) - counts
                keep = (np.arange(total) - first[line]) < limit
        unk = model.unk_token_id
        if unk is not None:
            known = ids != unk
            keep = known if keep is None else keep & known
        if keep is not None and not keep.all():
            ids, line = ids[keep], line[keep]
        return ids, np.bincount(line, minlength=n).astype(np.int64)

    def ids(self, texts: Sequence[str]) -> list[list[int]]:
        """Each text's piece ids (:meth:`flat_ids`, one list a text)."""
        flat, lengths = self.flat_ids(texts)
        cuts = np.cumsum(lengths)[:-1]
        return [part.tolist() for part in np.split(flat, cuts)] if len(lengths) else []


def _readable(embedder: Embedder) -> _Pieces | None:
    """The piece reader of ``embedder`` when this module reads its model as it reads itself."""
    from ..embed.static import StaticEmbedder

    if type(embedder) is not StaticEmbedder:
        return None
    model = embedder.model
    tok = model.tokenizer
    try:
        from tokenizers import models, normalizers, pre_tokenizers
    except ImportError:  # pragma: no cover - model2vec needs tokenizers
        return None
    norm = tok.normalizer
    truncation = tok.truncation
    plain = (
        model.token_mapping is None
        and model.weights is None
        and np.issubdtype(model.embedding.dtype, np.floating)
        and isinstance(norm, normalizers.BertNormalizer)
        and norm.lowercase
        and norm.clean_text
        and isinstance(tok.pre_tokenizer, pre_tokenizers.BertPreTokenizer)
        and isinstance(tok.model, models.WordPiece)
        and tok.post_processor is None
        and (tok.padding is None or tok.padding.get("length") == 0)
        and (truncation or {}).get("max_length") == model.max_length
    )
    if not plain:
        return None
    # added tokens ("[UNK]", "[PAD]") are matched in the raw text before anything else: a
    # line that holds one is read around it, which holds only for tokens that span no space
    # and take none from around them
    added = tok.get_added_tokens_decoder().values()
    if any(
        a.normalized or a.lstrip or a.rstrip or a.single_word or not a.content.strip()
        for a in added
    ) or any(ch.isspace() for a in added for ch in a.content):
        return None
    return _Pieces(embedder, tuple(a.content for a in added))


_READERS: weakref.WeakKeyDictionary[Embedder, _Pieces | None] = weakref.WeakKeyDictionary()


def line_vectors(texts: Sequence[str], embedder: Embedder) -> np.ndarray:
    """``embedder.embed(texts)``, the same bits, with the word-piece cache where it holds."""
    if embedder not in _READERS:
        _READERS[embedder] = _readable(embedder)
    pieces = _READERS[embedder]
    if pieces is None or not len(texts):
        return embedder.embed(texts)
    return _pooled(pieces, *pieces.flat_ids(texts))


def _pooled(pieces: _Pieces, flat: np.ndarray, lengths: np.ndarray) -> np.ndarray:
    """model2vec's mean of each line's piece vectors (``flat``: every line's piece ids one
    after another, ``lengths``: how many each has), normalised as it normalises them.

    model2vec averages the lines of one length at a time with ``mean`` over a (lines, pieces,
    dim) gather; for a float16 table ``mean`` adds in float32, piece after piece, then divides
    by the count in float64 and rounds to float16. The sums here run piece after piece too, all
    lines at once: sorted longest first, the lines that have a ``j``-th piece are a prefix, so
    step ``j`` adds one gather of the table to that prefix. Each line's sum sees the same
    additions in the same order, hence the same bits, at a fraction of the gathers and casts.
    """
    model = pieces.model
    dtype = model.embedding.dtype
    acc = np.float32 if dtype.itemsize <= 4 else dtype  # float16 is summed in float32, as numpy
    n = len(lengths)
    if pieces.table is None and n >= _TABLE_LINES:
        pieces.table = np.asarray(model.embedding, dtype=acc)
    # a copy of the table in the sums' type, once a block is big enough to pay for it (~30 MB,
    # tens of ms); before that each step's rows are cast as gathered (exactly, hence the same)
    table = model.embedding if pieces.table is None else pieces.table
    cast = table.dtype != acc
    out = np.zeros((n, model.dim), dtype=dtype)
    order = np.argsort(-lengths, kind="stable")
    size = lengths[order]
    k = int(np.count_nonzero(size))
    if k:
        rows = order[:k]
        first = (np.cumsum(lengths) - lengths)[rows]  # where each line's pieces start
        longest = int(size[0])
        having = np.searchsorted(-size[:k], -np.arange(longest), side="left")  # len > j
        sums = table[flat[first]].astype(acc, copy=cast)
        for j in range(1, longest):
            a = int(having[j])
            rows_j = table[flat[first[:a] + j]]
            sums[:a] += rows_j.astype(acc) if cast else rows_j
        np.true_divide(sums, size[:k, None], out=sums, casting="unsafe")
        out[rows] = sums
    if model.normalize:
        out32 = out.astype(np.float32)
        norm = np.linalg.norm(out32, axis=1, keepdims=True) + 1e-32
        out = (out32 / norm).astype(out.dtype)
    return normalize(np.asarray(out, dtype=np.float32))
