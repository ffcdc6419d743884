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
        self.model = _local_model(self.path) or StaticModel.from_pretrained(self.path)
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


#: The files of a model2vec model directory (its own layout, not a sentence-transformers one).
_MODEL2VEC_FILES = ("config.json", "model.safetensors", "tokenizer.json")


def _local_model(path: Path):
    """The ``StaticModel`` of a model2vec directory, built from its files as
    ``StaticModel.from_pretrained`` builds it (the same arrays, tokenizer and config), or None
    for a directory laid out otherwise (left to ``from_pretrained``).

    ``from_pretrained`` imports model2vec's persistence module, which imports the Hugging Face
    hub client (huggingface_hub, to download a model id): ~0.2 s of CPU at every start-up of
    ``socialscan parse`` for a model that is on disk. A README (model card metadata: the base
    model's name, languages) is left to ``from_pretrained`` too.
    """
    import json

    from model2vec import StaticModel
    from safetensors import safe_open
    from tokenizers import Tokenizer

    if not all((path / f).is_file() for f in _MODEL2VEC_FILES) or (path / "README.md").exists():
        return None
    with safe_open(str(path / "model.safetensors"), framework="numpy") as tensors:
        names = set(tensors.keys())
        embeddings = tensors.get_tensor("embeddings")
        weights = tensors.get_tensor("weights") if "weights" in names else None
        mapping = tensors.get_tensor("mapping") if "mapping" in names else None
    config = json.loads((path / "config.json").read_text(encoding="utf-8"))
    return StaticModel(
        vectors=embeddings,
        tokenizer=Tokenizer.from_file(str(path / "tokenizer.json")),
        weights=weights,
        token_mapping=mapping,
        config=config,
        normalize=config.get("normalize", False),  # model2vec 0.10's defaults
        base_model_name=None,
        language=None,
        max_length=config.get("max_length", 512),
    )
