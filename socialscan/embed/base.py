"""The embedder contract and the cheap deterministic embedder used in tests."""

from __future__ import annotations

import hashlib
import re
from collections.abc import Sequence
from typing import Protocol, runtime_checkable

import numpy as np

from ..errors import InvalidOption


@runtime_checkable
class Embedder(Protocol):
    """Anything with a ``name``, a ``dim`` and ``embed(texts) -> (n, dim) float32`` rows of norm 1.

    A text's row must depend on that text alone, never on the other texts of the call (the
    embedding cache and the topics' seed rely on it; ``minilm-q8`` is the one documented
    exception). An embedder may also say ``fingerprint`` (what its vectors depend on: model
    file, recipe), which names its cache.
    """

    name: str
    dim: int

    def embed(self, texts: Sequence[str]) -> np.ndarray: ...


def normalize(x: np.ndarray) -> np.ndarray:
    """Rows scaled to unit length (zero rows stay zero)."""
    x = np.asarray(x, dtype=np.float32)
    norms = np.linalg.norm(x, axis=1, keepdims=True)
    norms[norms == 0] = 1.0
    return x / norms


class HashingEmbedder:
    """Bag of hashed lower-cased words: deterministic, instant, no model. For tests.

    Examples:
        >>> e = HashingEmbedder(dim=64)
        >>> v = e.embed(["fine tuning", "fine tuning"])
        >>> bool((v[0] == v[1]).all()), v.shape
        (True, (2, 64))
    """

    name = "hashing"

    def __init__(self, dim: int = 256):
        self.dim = dim

    def embed(self, texts: Sequence[str]) -> np.ndarray:
        out = np.zeros((len(texts), self.dim), dtype=np.float32)
        for i, t in enumerate(texts):
            for w in re.findall(r"\w+", t.lower()):
                h = int.from_bytes(hashlib.blake2b(w.encode(), digest_size=4).digest(), "little")
                out[i, h % self.dim] += 1.0 if (h >> 31) & 1 else -1.0
        return normalize(out)


def get_embedder(name: str = "static") -> Embedder:
    """An embedder by name: ``static`` (default), ``minilm``, ``minilm-q8``, ``minilm-onnx`` or ``hashing``.

    ``minilm-q8`` is MiniLM with torch dynamic int8; ``minilm-onnx`` is MiniLM int8 through ONNX
    Runtime (faster, no torch at run time; exported once from the packaged weights).

    Raises:
        InvalidOption: an unknown name.
    """
    if name == "static":
        from .static import StaticEmbedder

        return StaticEmbedder.default()
    if name in ("minilm", "minilm-q8"):
        from .minilm import MiniLMEmbedder

        return MiniLMEmbedder.default(quantize=name == "minilm-q8")
    if name == "minilm-onnx":
        from .minilm_onnx import OnnxMiniLMEmbedder

        return OnnxMiniLMEmbedder.default()
    if name == "hashing":
        return HashingEmbedder()
    raise InvalidOption(
        f"unknown embedder {name!r}: choose static, minilm, minilm-q8, minilm-onnx or hashing"
    )
