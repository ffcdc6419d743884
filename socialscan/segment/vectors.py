"""The static vectors of a block's lines, as the static embedder gives them, tokenised faster.

Every line of a dump is embedded, and the Rust tokenizer's per-line work (normalising,
splitting, WordPiece) is the larger part of the fast segmenter's time. A line of printable
ASCII needs none of it beyond lower-casing and splitting into words and punctuation marks,
which a lower-casing BERT normaliser and pre-tokeniser do the same way; each word's pieces are
then those the tokenizer gives the word alone, kept in a cache, so a word is tokenised once per
process. Other lines go through the tokenizer. The pieces are pooled as model2vec pools them
(batches of the same size, lines grouped by length, the same numpy calls), so the vectors are
bit for bit those of :meth:`~socialscan.embed.static.StaticEmbedder.embed`. An embedder of any
other kind, or a model2vec model this reading does not hold for, is simply asked to embed.
"""

from __future__ import annotations

import re
import weakref
from collections import defaultdict
from collections.abc import Sequence
from itertools import chain

import numpy as np

from ..embed.base import Embedder, normalize

_PRINTABLE = re.compile("[ -~]*")  # no control character for the normaliser to drop or blank
_WORD = re.compile("[a-z0-9]+|[^ a-z0-9]")  # BERT's words and punctuation marks, lower-cased
_MAX_CACHED = 200_000  # words (a link id is one): the cache starts over beyond this, flat memory
_BATCH = 1024  # model2vec's encode batch size: lines are pooled in batches of it


class _Pieces:
    """One model2vec model's tokenizer, with a cache of each word's piece ids."""

    def __init__(self, model) -> None:
        self.model = model
        self.tokenizer = model.tokenizer
        self.words: dict[str, list[int]] = {}

    def ids(self, texts: Sequence[str]) -> list[list[int]]:
        """Each text's piece ids, as model2vec's ``tokenize`` gives them (truncated, unknown
        pieces dropped)."""
        model, words = self.model, self.words
        limit = model.max_length
        if limit is not None:  # model2vec cuts the characters before tokenising
            texts = [t[: limit * model.median_token_length] for t in texts]
        split: list[tuple[int, list[str]]] = []
        rest: list[int] = []
        new: set[str] = set()
        for k, t in enumerate(texts):
            if _PRINTABLE.fullmatch(t):
                ws = _WORD.findall(t.lower())
                split.append((k, ws))
                new.update(w for w in ws if w not in words)
            else:
                rest.append(k)
        if len(words) + len(new) > _MAX_CACHED:
            words.clear()
            new = {w for _, ws in split for w in ws}
        if new:
            batch = sorted(new)
            for w, enc in zip(batch, self._encode(batch), strict=True):
                words[w] = enc.ids
        out: list[list[int]] = [[] for _ in texts]
        get = words.__getitem__
        for k, ws in split:
            ids = list(chain.from_iterable(map(get, ws)))
            out[k] = ids[:limit] if limit is not None else ids
        if rest:
            for k, enc in zip(rest, self._encode([texts[k] for k in rest]), strict=True):
                out[k] = enc.ids
        unk = model.unk_token_id
        if unk is not None:
            out = [[i for i in ids if i != unk] if unk in ids else ids for ids in out]
        return out

    def _encode(self, texts: list[str]):
        return self.tokenizer.encode_batch_fast(texts, add_special_tokens=False)


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
    return _Pieces(model) if plain else None


_READERS: weakref.WeakKeyDictionary[Embedder, _Pieces | None] = weakref.WeakKeyDictionary()


def line_vectors(texts: Sequence[str], embedder: Embedder) -> np.ndarray:
    """``embedder.embed(texts)``, the same bits, with the word-piece cache where it holds."""
    if embedder not in _READERS:
        _READERS[embedder] = _readable(embedder)
    pieces = _READERS[embedder]
    if pieces is None or not len(texts):
        return embedder.embed(texts)
    model = pieces.model
    ids = pieces.ids(texts)
    dtype = model.embedding.dtype
    parts = []
    for lo in range(0, len(ids), _BATCH):  # model2vec's _encode_batch, batch by batch
        batch = ids[lo : lo + _BATCH]
        out = np.zeros((len(batch), model.dim), dtype=dtype)
        buckets: dict[int, list[int]] = defaultdict(list)
        for i, id_list in enumerate(batch):
            if id_list:
                buckets[len(id_list)].append(i)
        for indices in buckets.values():
            id_matrix = np.array([batch[i] for i in indices], dtype=np.int64)
            out[indices] = model.embedding[id_matrix].mean(axis=1)
        if model.normalize:
            out32 = out.astype(np.float32)
            norm = np.linalg.norm(out32, axis=1, keepdims=True) + 1e-32
            out = (out32 / norm).astype(out.dtype)
        parts.append(out)
    return normalize(np.asarray(np.concatenate(parts, axis=0), dtype=np.float32))
