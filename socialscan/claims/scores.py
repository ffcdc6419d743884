"""Per-label precision, recall, F1, support and confusions of post-level claim labels."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import asdict, dataclass, field

import numpy as np


@dataclass
class LabelScores:
    """Scores of one label."""

    label: str
    precision: float
    recall: float
    f1: float
    support: int
    predicted: int
    true_positives: int


@dataclass
class ClaimScores:
    """Per-label scores, their macro average, and counts."""

    labels: list[LabelScores]
    macro_f1: float
    posts: int
    brier: float | None = None
    extra: dict = field(default_factory=dict)
    #: (gold label or "none", predicted label or "none") -> posts: what each label is taken for.
    confusions: dict[str, dict[str, int]] = field(default_factory=dict)

    def to_dict(self) -> dict:
        return asdict(self)

    def table(self) -> str:
        """A Markdown table of the scores."""
        rows = [
            "| label | precision | recall | F1 | support | predicted |",
            "|---|---|---|---|---|---|",
        ]
        for s in self.labels:
            rows.append(
                f"| {s.label} | {s.precision:.3f} | {s.recall:.3f} | {s.f1:.3f} | {s.support} | {s.predicted} |"
            )
        rows.append(f"| **macro** | | | **{self.macro_f1:.3f}** | {self.posts} posts | |")
        if self.brier is not None:
            rows.append("")
            rows.append(f"Brier score (mean over posts and labels): {self.brier:.4f}")
        if self.confusions:
            names = [s.label for s in self.labels] + ["none"]
            rows += ["", "Confusions (rows: gold, columns: predicted; posts):", ""]
            rows.append("| gold \\ predicted | " + " | ".join(names) + " |")
            rows.append("|---" * (len(names) + 1) + "|")
            for g in names:
                c = self.confusions.get(g, {})
                rows.append(f"| {g} | " + " | ".join(str(c.get(x, 0)) for x in names) + " |")
        return "\n".join(rows)


def score_labels(
    predicted: Sequence[Sequence[str]], gold: Sequence[Sequence[str]], labels: Sequence[str]
) -> ClaimScores:
    """Score predicted label sets against gold label sets.

    A label with no support and no predictions scores 1.0 (nothing to find, nothing wrong);
    macro-F1 averages over labels with gold support (all labels if none has any).

    Examples:
        >>> s = score_labels([["a"], [], ["a", "b"]], [["a"], ["b"], ["a"]], ["a", "b"])
        >>> [(x.label, x.precision, x.recall, x.support) for x in s.labels]
        [('a', 1.0, 1.0, 2), ('b', 0.0, 0.0, 1)]
        >>> s.macro_f1
        0.5
    """
    out = []
    for label in labels:
        p = np.array([label in x for x in predicted])
        g = np.array([label in x for x in gold])
        tp = int((p & g).sum())
        n_p, n_g = int(p.sum()), int(g.sum())
        precision = tp / n_p if n_p else (1.0 if not n_g else 0.0)
        recall = tp / n_g if n_g else 1.0
        f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
        out.append(LabelScores(label, precision, recall, f1, n_g, n_p, tp))
    with_support = [s.f1 for s in out if s.support] or [s.f1 for s in out]
    macro = float(np.mean(with_support)) if with_support else 0.0
    conf: dict[str, dict[str, int]] = {}
    for pred, g in zip(predicted, gold, strict=True):
        for gl in [x for x in g if x in labels] or ["none"]:
            row = conf.setdefault(gl, {})
            for pl in [x for x in pred if x in labels] or ["none"]:
                row[pl] = row.get(pl, 0) + 1
    return ClaimScores(out, macro, len(gold), confusions=conf)
