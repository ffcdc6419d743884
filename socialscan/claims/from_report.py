"""What ``train claims --from`` reports: per label what changed, and scores before and after.

A model started from another one (:func:`~socialscan.claims.from_default.train_from`) is
scored with the base model on the file's test posts, each label on the posts a person judged
for it (:func:`~socialscan.claims.decisions.judgements`): a person who left a default label as
the model had it said nothing about it, so those posts count for neither. A test line that is
a copy of a training line is left out: the new model remembers it, so its score would say
what the person decided, not what the head learned.

Examples:
    >>> row = score_row(np.array([True, True, False]), np.array([True, False, False]))
    >>> row.cell(), row.support, row.judged
    ('0.50 / 1.00 / 0.67', 1, 3)
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

import numpy as np

from .corpus import Labelled
from .decisions import judgements
from .memory import post_key


@dataclass
class FromReport:
    """What ``socialscan train claims --from`` prints: per label, what changed and how the base
    model and the new one score on the file's test posts (``--json``: :meth:`to_dict`)."""

    labels: list[str]
    base: str
    kept: list[str]
    refit: list[str]
    new: list[str]
    judged: dict[str, dict[str, int]]  # label -> {"train": n, "train_positives": n, ...}
    before: dict[str, LabelScoresRow]
    after: dict[str, LabelScoresRow]
    remembered: int
    skipped_model_rows: int
    warnings: list[str] = field(default_factory=list)
    model_dir: str = ""
    #: Shipped background posts used as weak negatives, and per new label the share of them it
    #: fires on out of fold (its false-alarm rate on ordinary posts, estimated).
    background: int = 0
    background_rate: dict[str, float] = field(default_factory=dict)

    def text(self) -> str:
        """The report as plain text (a Markdown table, as ``train claims`` prints)."""
        lines = [
            f"starting from {self.base}: {len(self.kept)} labels kept as shipped, "
            f"{len(self.refit)} refitted from your corrections, {len(self.new)} new",
            "scores on the file's test posts (each label on the posts judged for it)",
            "",
            "| label | change | train pos / judged | test support | before P / R / F1 "
            "| after P / R / F1 |",
            "|---|---|---:|---:|---|---|",
        ]
        for lab in self.labels:
            change = "new" if lab in self.new else "refit" if lab in self.refit else "kept"
            j = self.judged.get(lab, {})
            b, a = self.before.get(lab), self.after.get(lab)
            lines.append(
                f"| {lab} | {change} | {j.get('train_positives', 0)} / {j.get('train', 0)} | "
                f"{a.support if a else 0} | {b.cell() if b else '-'} | {a.cell() if a else '-'} |"
            )
        lines.append("")
        if self.background:
            lines.append(
                f"{self.background} shipped ordinary posts were weak negatives of the new labels; "
                "out of fold, "
                + ", ".join(
                    f"{lab} fires on {100 * r:.1f}% of them"
                    for lab, r in self.background_rate.items()
                )
            )
        lines.append(
            f"{self.remembered} posts a person decided are remembered (they and their copies keep those labels)"
        )
        if self.skipped_model_rows:
            lines.append(
                f"{self.skipped_model_rows} lines decided by the model, not a person: not learned from"
            )
        lines.extend(f"warning: {w}" for w in self.warnings)
        if self.model_dir:
            lines.append(f"model written to {self.model_dir}")
        return "\n".join(lines)

    def to_dict(self) -> dict:
        """The report as JSON-ready data (``train claims --from ... --json``)."""
        return {
            "labels": self.labels,
            "base": self.base,
            "kept": self.kept,
            "refit": self.refit,
            "new": self.new,
            "judged": self.judged,
            "before": {k: v.__dict__ for k, v in self.before.items()},
            "after": {k: v.__dict__ for k, v in self.after.items()},
            "remembered": self.remembered,
            "skipped_model_rows": self.skipped_model_rows,
            "background": self.background,
            "background_rate": self.background_rate,
            "warnings": self.warnings,
            "model": self.model_dir,
        }


@dataclass
class LabelScoresRow:
    """One label's precision, recall, F1 and support on the posts judged for it."""

    precision: float
    recall: float
    f1: float
    support: int
    judged: int

    def cell(self) -> str:
        """``P / R / F1`` to two places, as the report's table shows it."""
        if not self.judged:
            return "no judged posts"
        return f"{self.precision:.2f} / {self.recall:.2f} / {self.f1:.2f}"


def score_row(pred: np.ndarray, gold: np.ndarray) -> LabelScoresRow:
    """Precision, recall and F1 of booleans ``pred`` against ``gold`` (the judged posts).

    No prediction and no positive is a precision of 1.0; no positive, a recall of 1.0: a head
    that rightly finds nothing has made no mistake.
    """
    tp = int((pred & gold).sum())
    n_p, n_g = int(pred.sum()), int(gold.sum())
    precision = tp / n_p if n_p else (1.0 if not n_g else 0.0)
    recall = tp / n_g if n_g else 1.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return LabelScoresRow(precision, recall, f1, n_g, len(gold))


def before_after(
    base, model, test: Labelled, taught: Sequence[str], progress=None
) -> tuple[dict[str, LabelScoresRow], dict[str, LabelScoresRow], list[str]]:
    """Per label, the base model's scores (labels it knows) and the new model's on ``test``,
    leaving out the test lines that copy a line of ``taught`` (the training texts); and the
    warnings to report about what was left out or missing. ``progress``: an optional callable
    taking a message.
    """
    before: dict[str, LabelScoresRow] = {}
    after: dict[str, LabelScoresRow] = {}
    warnings = []
    keys = {post_key(t) for t in taught}
    copies = [i for i, t in enumerate(test.texts) if post_key(t) in keys]
    if copies:
        warnings.append(
            f"{len(copies)} test lines are copies of training lines (the model remembers "
            "them): left out of the scores"
        )
        test = test.rows([i for i in range(len(test.texts)) if i not in set(copies)])
    if not test.texts:
        warnings.append("no line is in the test split: nothing scored (give some split: test)")
        return before, after, warnings
    if progress:
        progress("scoring the base model and the new one on the test posts")
    p_before = base.decide(base.predict(test.texts))
    p_after = model.decide(model.predict(test.texts))
    for k, lab in enumerate(model.labels):
        seen, holds = judgements(test, lab, known=lab in base.labels)
        after[lab] = score_row(p_after[seen, k], holds[seen])
        if lab in base.labels:
            before[lab] = score_row(p_before[seen, k], holds[seen])
    return before, after, warnings
