"""The static (model2vec) embedder shipped with socialscan."""

from __future__ import annotations

from collections.abc import Sequence
from functools import cache
from importlib.resources import files
from itertools import chain
from pathlib import Path

import numpy as np

from ..errors import InputNotFound
from .base import BaseEmbedder, normalize
from .wordpiece import WordPieces

#: The static model distilled offline from all-MiniLM-L6-v2 (256 dims, PCA), shipped in the package.
STATIC_MODEL_DIR = Path(str(files("socialscan") / "resources" / "static-minilm"))


class StaticEmbedder(BaseEmbedder):
    """Mean of static token vectors (model2vec): no torch, and word-pooled.

    Args:
        path: A local model2vec model directory (safetensors, loaded without pickle).

    Examples:
        >>> e = StaticEmbedder.default()
        >>> e.embed(["fine tuning an LLM", "training a language model"]).shape
        (2, 256)
    """

    name = "static"
    word_pooled = True

    def __init__(self, path: str | Path = STATIC_MODEL_DIR):
        from model2vec import StaticModel

        self.path = Path(path)
        if not self.path.is_dir():
            # model2vec would take a missing directory for a hub id and try to download it
            raise InputNotFound(f"{self.path}: no such model2vec model directory")
        self.model = StaticModel.from_pretrained(self.path)
        self.dim = int(self.model.dim)
        self._table: np.ndarray | None = None  # the piece vectors as float32, on first use
        self._pieces: WordPieces | None = None

    @classmethod
    @cache
    def default(cls) -> StaticEmbedder:
        """The shipped model, loaded once per process."""
        return cls()

    def embed(self, texts: Sequence[str]) -> np.ndarray:
        return normalize(self.pooled(texts))

    def pooled(self, texts: Sequence[str]) -> np.ndarray:
        """``StaticModel.encode`` as it is (normalised or not as the model's config says):
        what a claims model's head was trained on."""
        if len(texts) == 0:
            return np.zeros((0, self.dim), dtype=np.float32)
        v = self.model.encode(list(texts), show_progress_bar=False, use_multiprocessing=False)
        return np.asarray(v, dtype=np.float32)

    def piece_ids(self, words: list[str]) -> list[list[int]]:
        """Word-piece ids of each word (``tokenize`` without dropping unknown pieces)."""
        if self._pieces is None:
            self._pieces = WordPieces(self.model.tokenizer)
        return self._pieces.ids(words)

    def piece_sums(self, words: list[str]) -> tuple[np.ndarray, np.ndarray]:
        """(sum of piece vectors, piece count) of each word, as ``StaticModel.encode`` sees it:
        a text's vector is the normalised sum over its words divided by the total count."""
        model = self.model
        sums = np.zeros((len(words), self.dim), dtype=np.float32)
        if model.token_mapping is not None or model.weights is not None:
            # remapped or weighted pieces: model2vec's own per-word vectors
            seqs = model.encode_as_sequence(list(words), use_multiprocessing=False)
            lengths = np.array([len(s) for s in seqs], dtype=np.int64)
            has = lengths > 0
            if has.any():
                vecs = np.concatenate([s for s in seqs if len(s)]).astype(np.float32)
                starts = np.zeros(int(has.sum()), dtype=np.int64)
                np.cumsum(lengths[has][:-1], out=starts[1:])
                sums[has] = np.add.reduceat(vecs, starts, axis=0)
            return sums, lengths.astype(np.float32)
        # the same pieces (``tokenize`` drops the unknown-word piece) gathered from a float32
        # copy of the table (no per-batch cast) and summed by reduceat (the same bits)
        if self._table is None:
            self._table = np.asarray(model.embedding, dtype=np.float32)
        ids = self.piece_ids(words)
        lengths = np.fromiter(map(len, ids), dtype=np.int64, count=len(ids))
        flat = np.fromiter(chain.from_iterable(ids), dtype=np.int64, count=int(lengths.sum()))
        if model.unk_token_id is not None:
            known = flat != model.unk_token_id
            if not known.all():
                owner = np.repeat(np.arange(len(words)), lengths)[known]
                flat = flat[known]
                lengths = np.bincount(owner, minlength=len(words))
        has = lengths > 0
        if has.any():
            starts = np.zeros(len(words), dtype=np.int64)
            np.cumsum(lengths[:-1], out=starts[1:])
            sums[has] = np.add.reduceat(self._table[flat], starts[has], axis=0)
        return sums, lengths.astype(np.float32)
