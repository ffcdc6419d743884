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

_WORD = re.compile("[a-z0-9]+|[^ a-z0-9]")  # BERT's words and punctuation marks, lower-cased
_TABLE_LINES = 2048  # lines of a block from which the piece vectors are summed from a copy
_SPLIT_IN_PYTHON = 1000  # new keys from which plain words are split by embed.wordpiece
_POOL_ROWS = 256  # lines pooled at once: 256 sums of 256 float32 are 256 kB, in L2 cache
_MAX_CACHED = 200_000  # words (a link id is one): the cache starts over beyond this, flat memory


def _printable(t: str) -> bool:
    """Whether ``t`` is printable ASCII (space to ``~``): no control character for the
    normaliser to drop or blank. An ASCII character is printable exactly when it is one of
    those, and both tests run in C without a regex (a third of the time of ``[ -~]*``)."""
    return t.isascii() and t.isprintable()


def _put(buf: np.ndarray, at: int, new: np.ndarray) -> np.ndarray:
    """``buf`` with ``new`` written from ``at`` on, grown (doubled at least) if it must."""
    end = at + len(new)
    if end > len(buf):
        grown = np.empty(max(2 * len(buf), end), dtype=buf.dtype)
        grown[:at] = buf[:at]
        buf = grown
    buf[at:end] = new
    return buf


class _Slots(dict):
    """Cache key -> slot; a missing key gets the next slot and waits in :attr:`new` for its
    pieces (so one pass over a block's keys both finds the known ones and numbers the new)."""

    def __init__(self) -> None:
        super().__init__()
        self.new: list[str] = []

    def __missing__(self, key: str) -> int:
        slot = self[key] = len(self)
        self.new.append(key)
        return slot


class _Pieces:
    """One model2vec model's tokenizer, with a cache of each word's piece ids."""

    def __init__(self, embedder, added: tuple[str, ...] = ()) -> None:
        self.embedder = embedder
        self.model = model = embedder.model
        self.tokenizer = model.tokenizer
        self.words = _Slots()
        self._clear()
        # the added tokens' texts ("[UNK]"), matched in the raw text before anything else
        self.added = re.compile("|".join(map(re.escape, added))) if added else None
        self.table: np.ndarray | None = None  # the piece vectors to sum in, on first use

    def _keys(self, t: str) -> list[str]:
        """The cache keys of one line: BERT's words of a printable-ASCII line, else its
        space-separated chunks (printable-ASCII ones as words)."""
        added = self.added is not None and self.added.search(t) is not None
        if not added and _printable(t):
            return _WORD.findall(t.lower())
        keys: list[str] = []
        for c in t.split(" "):
            if not c:
                continue
            if _printable(c) and not (added and self.added.search(c)):
                keys += _WORD.findall(c.lower())
            else:
                keys.append(c)
        return keys

    def _clear(self) -> None:
        self.words.clear()  # key -> its slot in the three arrays below
        self.words.new.clear()
        # per slot: where its pieces start in _flat and how many; arrays with room to grow
        # (the first _slots and _used entries hold them), so a block adds only its new keys
        self._starts = np.zeros(1024, dtype=np.int64)
        self._lens = np.zeros(1024, dtype=np.int64)
        self._flat = np.zeros(4096, dtype=np.int64)
        self._slots = self._used = 0

    def _learn(self, batch: list[str]) -> None:
        """Cache the pieces of new keys, each tokenised alone (many at once: plain words split
        in Python, :mod:`socialscan.embed.wordpiece`, the rest by the tokenizer); ``batch``
        holds the keys given slots since the last call, in slot order."""
        if len(batch) >= _SPLIT_IN_PYTHON:  # worth reading the vocabulary for (~20 ms, once)
            pieces = self.embedder.piece_ids(batch)
        else:
            pieces = [
                e.ids for e in self.tokenizer.encode_batch_fast(batch, add_special_tokens=False)
            ]
        lens = np.fromiter(map(len, pieces), dtype=np.int64, count=len(pieces))
        ids = np.fromiter(chain.from_iterable(pieces), dtype=np.int64, count=int(lens.sum()))
        starts = self._used + np.cumsum(lens) - lens
        self._starts = _put(self._starts, self._slots, starts)
        self._lens = _put(self._lens, self._slots, lens)
        self._flat = _put(self._flat, self._used, ids)
        self._slots += len(lens)
        self._used += len(ids)

    def flat_ids(self, texts: Sequence[str]) -> tuple[np.ndarray, np.ndarray]:
        """Every text's piece ids one after another, and how many each has: model2vec's
        ``tokenize`` (truncated, unknown pieces dropped), from the cached keys' pieces."""
        model, words = self.model, self.words
        limit = model.max_length
        if limit is not None:  # model2vec cuts the characters before tokenising
            texts = [t[: limit * model.median_token_length] for t in texts]
        # every line's keys one after another (no list a line: thousands of live lists would
        # cost the garbage collector more than the keys' lookups)
        keys: list[str] = []
        sizes: list[int] = []
        for t in texts:
            line = self._keys(t)
            sizes.append(len(line))
            keys += line
        n = len(texts)
        per_line = np.asarray(sizes, dtype=np.int64)
        # each key's slot, a new key given the next one as it is met (one pass, no set)
        slot = np.fromiter(map(words.__getitem__, keys), dtype=np.int64, count=len(keys))
        if len(words) > _MAX_CACHED:  # start over with this block's keys only
            self._clear()
            slot = np.fromiter(map(words.__getitem__, keys), dtype=np.int64, count=len(keys))
        if words.new:
            self._learn(words.new)
            words.new = []
        starts, lens, flat = self._starts, self._lens, self._flat
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
    step ``j`` adds one gather of the table to that prefix (:data:`_POOL_ROWS` lines at a time,
    whose sums fit the CPU's cache). Each line's sum sees the same additions in the same order,
    hence the same bits, at a fraction of the gathers and casts.
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
    starts = (np.cumsum(lengths) - lengths)[order[:k]]  # where each line's pieces start
    sums = np.empty((min(k, _POOL_ROWS), model.dim), dtype=acc)
    for lo in range(0, k, _POOL_ROWS):  # a few hundred lines at a time: their sums stay in cache
        hi = min(lo + _POOL_ROWS, k)
        first, count, part = starts[lo:hi], size[lo:hi], sums[: hi - lo]
        longest = int(count[0])
        having = np.searchsorted(-count, -np.arange(longest), side="left")  # len > j
        part[...] = table[flat[first]]  # a float16 row is cast exactly
        for j in range(1, longest):
            a = int(having[j])
            rows_j = table[flat[first[:a] + j]]
            part[:a] += rows_j.astype(acc) if cast else rows_j
        np.true_divide(part, count[:, None], out=part, casting="unsafe")
        out[order[lo:hi]] = part
    if model.normalize:
        out32 = out.astype(np.float32)
        norm = np.linalg.norm(out32, axis=1, keepdims=True) + 1e-32
        out = (out32 / norm).astype(out.dtype)
    return normalize(np.asarray(out, dtype=np.float32))
