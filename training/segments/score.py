"""Score the boundary models of one or more folders on the held-out rows, side by side.

    python -m training.segments.score DIR [DIR ...] [--model fast|minilm|both] [--eval-dumps 60]

Each ``DIR`` holds what ``training.segments.train --out DIR`` writes (``boundary_model.json``,
``boundary_model_minilm.json``, ``stem_idf.json``); each folder's models are scored with that
folder's stem weights, and its ``minilm`` model blends in that folder's fast model, not the
package's. The rows are the ones :mod:`training.segments.train` scores (from the pools of
:mod:`~.sources` as they read today), so a model fitted on older pools is compared on the same
dumps as a new one. Prints a Markdown table of boundary F1 per row, with the row's dumps and
posts. To score the shipped models, copy ``socialscan/resources/`` to a folder first: nothing
here reads or writes the package's resources.
"""

from __future__ import annotations

import argparse
from pathlib import Path

from socialscan.embed.static import StaticEmbedder
from socialscan.segment.model import MODEL_PATH, SEMANTIC_MODEL_PATH, BoundaryModel
from socialscan.text import stems

from ..paths import SHARED_DATA
from .heldout import evaluate, heldout_dumps, heldout_long
from .sources import pools
from .train import use_idf


def load(folder: Path, kind: str) -> BoundaryModel:
    """The ``kind`` model of ``folder``; a blended model blends ``folder``'s fast model."""
    if kind == "fast":
        return BoundaryModel.load(folder / MODEL_PATH.name)
    model = BoundaryModel.load(folder / SEMANTIC_MODEL_PATH.name)
    if model.blend is not None:
        model.blend = BoundaryModel.load(folder / MODEL_PATH.name)
    return model


def main(argv: list[str] | None = None) -> None:
    ap = argparse.ArgumentParser(
        prog="python -m training.segments.score",
        description="Boundary F1 per held-out row of the models in each folder, side by side.",
        epilog="See training/README.md.",
    )
    ap.add_argument("folders", type=Path, nargs="+", help="folders written by train --out")
    ap.add_argument(
        "--shared", type=Path, default=SHARED_DATA, help="../shared/data (default: %(default)s)"
    )
    ap.add_argument("--eval-dumps", type=int, default=60)
    ap.add_argument("--model", choices=("fast", "minilm", "both"), default="fast")
    ap.add_argument("--seed", type=int, default=13, help="the pools' seed (train's --seed)")
    args = ap.parse_args(argv)
    kinds = ["fast", "minilm"] if args.model == "both" else [args.model]
    P = pools(args.shared, seed=args.seed)
    rows = heldout_dumps(P["heldout"], args.eval_dumps)
    rows["diverse, with long posts"] = heldout_long(P, args.shared, args.eval_dumps)
    emb = StaticEmbedder.default()
    contextual = None
    if "minilm" in kinds:
        from socialscan.embed.minilm_onnx import OnnxMiniLMEmbedder

        contextual = OnnxMiniLMEmbedder.default()
    columns = [(f, k) for f in args.folders for k in kinds]
    f1: dict[tuple[Path, str], dict[str, float]] = {}
    for folder, kind in columns:
        use_idf(folder / stems.IDF_PATH.name)
        model = load(folder, kind)
        ctx = contextual if kind == "minilm" else None
        f1[folder, kind] = {name: evaluate(d, emb, model, ctx)["f1"] for name, d in rows.items()}
    names = " | ".join(f"{f} {k}" for f, k in columns)
    table = [
        f"| held-out row | dumps | posts | baseline | {names} |",
        "|---|---:|---:|---:|" + "---:|" * len(columns),
    ]
    for name, dumps in rows.items():
        posts = sum(len(d.spans) for d in dumps)
        cells = " | ".join(f"{f1[c][name]:.4f}" for c in columns)
        base = evaluate(dumps, emb, None)["f1"]
        table.append(f"| {name} | {len(dumps)} | {posts:,} | {base:.4f} | {cells} |")
    print("\n".join(table))


if __name__ == "__main__":
    main()
