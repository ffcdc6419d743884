"""Which boundary model splits a dump: ``fast`` (layout and static vectors) or ``minilm``
(the same and MiniLM's contextual vectors, read only around the gaps the fast trees hesitate
on, :mod:`.cascade`: a little more accurate, several times slower; see
``bench/results_segments.md`` and ``bench/results_minilm_segments.md``).

``auto`` takes ``minilm`` when its one-time ONNX export is on this machine (``socialscan models
--prepare``; ``make install`` runs it) and the input is a file of at most
:data:`AUTO_MAX_BYTES`, else ``fast``: a parse never exports a model, so it never imports torch.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from ..errors import InvalidOption, ModelNotReady

if TYPE_CHECKING:
    from ..embed.base import Embedder

SEGMENTERS = ("auto", "fast", "minilm")
#: ``auto`` reads files up to this size with MiniLM (about 10,000 tweet lines).
AUTO_MAX_BYTES = 1_000_000


def check_segmenter(segmenter: str) -> None:
    """Raise :class:`~socialscan.errors.InvalidOption` for an unknown segmenter name."""
    if segmenter not in SEGMENTERS:
        raise InvalidOption(f"unknown segmenter {segmenter!r}: choose {', '.join(SEGMENTERS)}")


def minilm_ready() -> bool:
    """Whether MiniLM's ONNX export exists, so that it loads without torch."""
    from ..embed.minilm_onnx import onnx_model_path

    return onnx_model_path().exists()


def choose_segmenter(segmenter: str = "auto", size: int | None = None) -> Embedder | None:
    """The contextual embedder the segmenter should use, or ``None`` for the fast model.

    Args:
        segmenter: ``auto``, ``fast`` or ``minilm``.
        size: The input's size in bytes (``None``: unknown, as for stdin).

    Raises:
        InvalidOption: an unknown ``segmenter``.
        ModelNotReady: ``minilm`` asked for before the one-time export.

    Examples:
        >>> choose_segmenter("fast") is None
        True
        >>> choose_segmenter("auto", size=None) is None  # stdin: the fast model
        True
    """
    check_segmenter(segmenter)
    if segmenter == "fast":
        return None
    if segmenter == "auto" and (size is None or size > AUTO_MAX_BYTES):
        return None
    if not minilm_ready():
        if segmenter == "auto":
            return None
        raise ModelNotReady(
            "the minilm segmenter needs MiniLM's one-time ONNX export: run "
            "'socialscan models --prepare' (or use --segmenter fast)"
        )
    from ..embed.minilm_onnx import OnnxMiniLMEmbedder

    return OnnxMiniLMEmbedder.default()
