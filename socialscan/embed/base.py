"""The embedder contract, what an embedder can do, and the cheap deterministic embedder of tests."""

from __future__ import annotations

import hashlib
import re
from collections.abc import Sequence
from typing import Protocol, runtime_checkable

import numpy as np


@runtime_checkable
class Embedder(Protocol):
    """``name``, ``dim``, ``embed(texts) -> (n, dim) float32`` rows of norm 1, and abilities.

    A text's row must depend on that text alone, never on the other texts of the call (the
    embedding cache and the topics' seed rely on it; ``minilm-q8`` is the one documented
    exception).

    The abilities are attributes the stages read instead of guessing from the name:

    - ``contextual``: transformer vectors, whose clusters are real enough for silhouette to
      pick the number of topics;
    - ``fingerprint``: what the vectors depend on (model file, recipe); it names the cache;
    - ``fork_safe``: the embedder still works in a forked worker process after use in its
      parent (a torch or ONNX Runtime thread pool does not survive a fork);
    - ``word_pooled``: a text's vector is the normalised mean of its words' piece vectors, and
      ``piece_sums(words)`` gives each word's (sum of piece vectors, piece count), so a caller
      can cache words instead of re-embedding sentences.

    Subclass :class:`BaseEmbedder` for the defaults; :func:`as_embedder` adopts any object
    with only ``name``, ``dim`` and ``embed``.
    """

    name: str
    dim: int
    contextual: bool
    fingerprint: str
    fork_safe: bool
    word_pooled: bool

    def embed(self, texts: Sequence[str]) -> np.ndarray: ...


class BaseEmbedder:
    """The abilities' defaults: not contextual, fork-safe, not word-pooled, fingerprint
    ``<name>-<dim>``."""

    name: str
    dim: int
    contextual: bool = False
    fork_safe: bool = True
    word_pooled: bool = False

    @property
    def fingerprint(self) -> str:
        return f"{self.name}-{self.dim}"

    def embed(self, texts: Sequence[str]) -> np.ndarray:  # pragma: no cover - abstract
        raise NotImplementedError


class Adopted(BaseEmbedder):
    """An object with ``name``, ``dim`` and ``embed`` only, given the default abilities."""

    def __init__(self, inner):
        self.inner = inner
        self.name = str(inner.name)
        self.dim = int(inner.dim)

    def embed(self, texts: Sequence[str]) -> np.ndarray:
        return self.inner.embed(texts)


def as_embedder(embedder) -> Embedder:
    """``embedder`` itself when it states every ability, else an :class:`Adopted` view of it.

    Examples:
        >>> class Plain:
        ...     name, dim = "plain", 2
        ...     def embed(self, texts):
        ...         return np.ones((len(texts), 2), np.float32)
        >>> e = as_embedder(Plain())
        >>> e.contextual, e.fingerprint, as_embedder(e) is e
        (False, 'plain-2', True)
    """
    return embedder if isinstance(embedder, Embedder) else Adopted(embedder)


def normalize(x: np.ndarray) -> np.ndarray:
    """Rows scaled to unit length (zero rows stay zero)."""
    x = np.asarray(x, dtype=np.float32)
    norms = np.linalg.norm(x, axis=1, keepdims=True)
    norms[norms == 0] = 1.0
    return x / norms


class HashingEmbedder(BaseEmbedder):
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
