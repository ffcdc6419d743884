"""Train a claims model on labelled posts: split, fit, calibrate, choose thresholds, score.

The same machinery trains the shipped model's head and a user's own taxonomy
(``socialscan train claims LABELLED.jsonl -o DIR``):

1. a fixed split (see :mod:`socialscan.claims.corpus`): the file's ``split`` field where it
   has one, else a stable hash of the text, so copies of a post share a split;
2. the head fitted on ``train`` and calibrated on ``dev`` (:mod:`socialscan.claims.fit`);
3. scores on ``test`` only, which nothing above has seen: the zero-shot scorer and the trained
   model side by side, a learning curve, and warnings where the model overfits (train F1 far
   above test F1) or a label has too few examples.

Starting from a trained model instead (``train claims --from default``), which learns a
person's corrections and new labels, is :mod:`socialscan.claims.from_default`.
"""

from __future__ import annotations

import os
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from ..errors import MalformedInput
from ..export.atomic import atomic_directory
from .corpus import Labelled, read_corpus
from .fit import new_model, taxonomy_examples
from .from_default import train_from
from .from_report import FromReport
from .scores import ClaimScores, score_labels
from .tagging import get_tagger

#: A label with fewer training positives than this gets a warning.
MIN_POSITIVES = 30
#: A train-minus-test macro-F1 gap above this gets a warning.
MAX_GAP = 0.25


@dataclass
class TrainReport:
    """What ``socialscan train claims`` prints: before / after, the learning curve, warnings."""

    labels: list[str]
    sizes: dict[str, int]
    positives: dict[str, dict[str, int]]
    zero_shot: ClaimScores
    trained: ClaimScores
    train_scores: ClaimScores  # on the training split
    curve: list[tuple[int, float]] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    model_dir: str = ""

    def text(self) -> str:
        """The report as plain text (Markdown tables)."""
        lines = [
            f"posts: train {self.sizes['train']}, dev {self.sizes['dev']}, "
            f"test {self.sizes['test']} (scores below are on test)",
            "",
            "| label | train positives | test support | zero-shot P / R / F1 | trained P / R / F1 |",
            "|---|---:|---:|---|---|",
        ]
        zs = {s.label: s for s in self.zero_shot.labels}
        for s in self.trained.labels:
            z = zs.get(s.label)
            zcell = f"{z.precision:.2f} / {z.recall:.2f} / {z.f1:.2f}" if z else "-"
            lines.append(
                f"| {s.label} | {self.positives['train'][s.label]} | {s.support} | {zcell} | "
                f"{s.precision:.2f} / {s.recall:.2f} / {s.f1:.2f} |"
            )
        lines.append(
            f"| **macro-F1** | | | **{self.zero_shot.macro_f1:.3f}** | **{self.trained.macro_f1:.3f}** |"
        )
        lines.append("")
        lines.append(
            f"train macro-F1 {self.train_scores.macro_f1:.3f}, test {self.trained.macro_f1:.3f} "
            f"(gap {self.train_scores.macro_f1 - self.trained.macro_f1:+.3f})"
        )
        if self.curve:
            lines.append(
                "learning curve (training posts -> test macro-F1): "
                + ", ".join(f"{n} -> {f:.3f}" for n, f in self.curve)
            )
        lines.extend(f"warning: {w}" for w in self.warnings)
        if self.model_dir:
            lines.append(f"model written to {self.model_dir}")
        return "\n".join(lines)


def train_claims(
    labelled: str | os.PathLike[str],
    output: str | os.PathLike[str],
    taxonomy=None,
    *,
    curve: bool = True,
    progress=None,
    data: str | os.PathLike[str] | None = None,
    from_model: str | os.PathLike[str] | None = None,
) -> TrainReport | FromReport:
    """Train a claims model for the labels of labelled JSONL, score it and save it in ``output``.

    With ``from_model`` (``"default"`` or a model directory) the model starts from that one and
    learns the file's corrections and new labels instead
    (:func:`~socialscan.claims.from_default.train_from`, which returns a
    :class:`~socialscan.claims.from_report.FromReport`).

    Args:
        labelled: JSONL, ``{"text": ..., "labels": [...]}`` a line (``split``: ``train`` /
            ``dev`` / ``test`` optional; else a stable hash decides).
        output: Directory for the model (``--model DIR`` on ``tag``, ``scan``, ``report``).
        taxonomy: The zero-shot scorer's taxonomy for the side-by-side scores (default: the
            shipped one, extended by a user file).
        curve: Also fit on 25 / 50 / 100% of the training posts and score each on test.
        progress: Optional callable taking a message, for long steps.
        data: Where the corpus's pointers point (see :mod:`socialscan.claims.corpus`).

    Returns:
        The :class:`TrainReport`; the model is in ``output``.

    Examples:
        >>> r = train_claims("labelled.jsonl", "my-model/")  # doctest: +SKIP
        >>> print(r.text())  # doctest: +SKIP
    """
    if from_model is not None:
        return train_from(labelled, output, from_model, data=data, progress=progress)
    data = read_corpus(labelled, data)
    labels = sorted({x for g in data.labels for x in g})
    if not labels:
        raise MalformedInput(f"{labelled}: no post carries a label: nothing to learn")
    tr, dev, te = data.part("train"), data.part("dev"), data.part("test")
    if not tr.texts or not dev.texts or not te.texts:
        # small files: no empty split
        n = len(data.texts)
        if n < 10:
            raise MalformedInput(f"{labelled}: {n} labelled posts; at least 10 are needed")
        order = list(range(n))
        cut1, cut2 = int(n * 0.6), int(n * 0.8)
        s = ["train"] * cut1 + ["dev"] * (cut2 - cut1) + ["test"] * (n - cut2)
        data = Labelled(data.texts, data.labels, [s[i] for i in order])
        tr, dev, te = data.part("train"), data.part("dev"), data.part("test")
    y_tr, y_dev = tr.matrix(labels), dev.matrix(labels)
    say = progress or (lambda _m: None)

    ex_texts, ex_labels = taxonomy_examples(labels, taxonomy)
    if ex_texts:
        say(
            f"the taxonomy's {len(ex_texts)} example and background sentences join the training posts"
        )
        tr = Labelled(
            tr.texts + ex_texts, tr.labels + ex_labels, ["train"] * (len(tr.texts) + len(ex_texts))
        )
        y_tr = tr.matrix(labels)
    say(f"fitting on {len(tr.texts)} posts")
    model = new_model(labels, tr.texts, y_tr, dev.texts, y_dev)
    pred = model.decide(model.predict(te.texts))
    trained = score_labels(_names(pred, labels), te.labels, labels)
    train_scores = score_labels(
        _names(model.decide(model.predict(tr.texts)), labels), tr.labels, labels
    )

    say("zero-shot scorer")
    zero = _zero_shot_scores(te, labels, taxonomy)

    points: list[tuple[int, float]] = []
    if curve and len(tr.texts) >= 40:
        rng = np.random.default_rng(0)
        order = rng.permutation(len(tr.texts))
        for share in (0.25, 0.5):
            k = max(20, int(len(tr.texts) * share))
            idx = np.sort(order[:k])
            texts = [tr.texts[i] for i in idx]
            if y_tr[idx].any(axis=0).sum() == 0:
                continue
            say(f"learning curve: {k} posts")
            m = new_model(labels, texts, y_tr[idx], dev.texts, y_dev)
            s = score_labels(_names(m.decide(m.predict(te.texts)), labels), te.labels, labels)
            points.append((k, s.macro_f1))
        points.append((len(tr.texts), trained.macro_f1))

    warnings = []
    pos = {
        name: {lab: int(part.matrix([lab]).sum()) for lab in labels}
        for name, part in (("train", tr), ("dev", dev), ("test", te))
    }
    for lab in labels:
        if pos["train"][lab] < MIN_POSITIVES:
            warnings.append(
                f"{lab}: {pos['train'][lab]} training positives (fewer than {MIN_POSITIVES}): "
                "label more posts of it before trusting its scores"
            )
        if pos["test"][lab] < 10:
            warnings.append(f"{lab}: {pos['test'][lab]} test positives: its test F1 is noisy")
    gap = train_scores.macro_f1 - trained.macro_f1
    if gap > MAX_GAP:
        warnings.append(
            f"train macro-F1 {train_scores.macro_f1:.2f} against test {trained.macro_f1:.2f}: "
            "the model overfits; more labelled posts will help more than a bigger model"
        )
    model.info.update(
        trained_on={k: len(p.texts) for k, p in (("train", tr), ("dev", dev), ("test", te))},
        test_macro_f1=round(trained.macro_f1, 4),
        test_f1={s.label: round(s.f1, 4) for s in trained.labels},
    )
    with atomic_directory(output) as tmp:
        model.save(tmp)
    model.directory = Path(output)
    return TrainReport(
        labels,
        {"train": len(tr.texts), "dev": len(dev.texts), "test": len(te.texts)},
        pos,
        zero,
        trained,
        train_scores,
        points,
        warnings,
        os.fspath(output),
    )


def _names(pred: np.ndarray, labels: Sequence[str]) -> list[list[str]]:
    return [[labels[j] for j in np.nonzero(row)[0]] for row in pred]


def _zero_shot_scores(te: Labelled, labels: list[str], taxonomy):
    """The zero-shot scorer's (descriptions, cues, examples) scores for the labels it knows."""
    tagger = get_tagger(taxonomy, model=None)
    known = [lab for lab in labels if lab in tagger.labels]
    p = tagger.post_scores(te.texts) if known else np.zeros((len(te.texts), 0))
    idx = [tagger.labels.index(lab) for lab in known]
    pred = [[known[k] for k, j in enumerate(idx) if row[j] >= tagger.threshold] for row in p]
    return score_labels(pred, te.labels, labels)
