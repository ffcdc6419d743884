"""Embedders by name: the names the CLI and the Python API accept, and what each builds."""

from __future__ import annotations

from ..errors import InvalidOption
from .base import Embedder, HashingEmbedder

#: Every name :func:`get_embedder` knows.
EMBEDDER_NAMES = ("static", "minilm", "minilm-q8", "minilm-onnx", "hashing")


def get_embedder(name: str = "static") -> Embedder:
    """An embedder by name: ``static`` (default), ``minilm``, ``minilm-q8``, ``minilm-onnx`` or ``hashing``.

    ``minilm-q8`` is MiniLM with torch dynamic int8; ``minilm-onnx`` is MiniLM int8 through ONNX
    Runtime (no torch at run time; exported once from the packaged weights). The model-backed
    embedders are imported here, when asked for, so that naming one loads nothing else.

    Raises:
        InvalidOption: an unknown name.

    Examples:
        >>> get_embedder("hashing").name
        'hashing'
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
        f"unknown embedder {name!r}: choose {', '.join(EMBEDDER_NAMES[:-1])} or hashing"
    )
