"""Which embedder the topics stage uses: a name (or ``auto``) resolved to an embedder object,
kept in the on-disk cache."""

from __future__ import annotations

from typing import Any

#: ``embedder="auto"`` uses int8 MiniLM (ONNX Runtime) up to this many posts and the static
#: model beyond: MiniLM's topics are clearly better, and up to here it costs seconds, while the
#: static model's cost stays small at any size (figures in ``bench/``).
AUTO_MINILM_MAX = 10_000


def resolve_embedder(embedder: Any = "auto", cache: bool = True, n: int = 0):
    """An embedder object from a name or an object.

    Names: ``auto`` (``minilm-onnx`` for ``n`` up to :data:`AUTO_MINILM_MAX` posts, else
    ``static``), ``static``, ``minilm``, ``minilm-q8``, ``minilm-onnx`` or ``hashing``.

    Examples:
        >>> resolve_embedder("auto", cache=False, n=50_000).name
        'static'
    """
    from ..embed.cache import CachedEmbedder
    from ..embed.registry import get_embedder

    if embedder == "auto":
        embedder = "minilm-onnx" if n <= AUTO_MINILM_MAX else "static"
    if isinstance(embedder, str):
        embedder = get_embedder(embedder)
    if cache and not isinstance(embedder, CachedEmbedder):
        embedder = CachedEmbedder(embedder)
    return embedder
