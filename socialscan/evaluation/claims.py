"""Per-label precision, recall, F1, support and confusions of post-level claim labels.

A post is predicted to carry a label as the tagger decides it (the model's threshold for its
labels, the zero-shot scorer's for the others); gold lines are ``{"text": ..., "labels":
[...]}`` (``split`` optional, other keys ignored).
"""

from __future__ import annotations

import os
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


def eval_claims(
    gold: str | os.PathLike[str],
    taxonomy=None,
    *,
    embedder=None,
    model="default",
    split: str | None = None,
    data: str | os.PathLike[str] | None = None,
) -> ClaimScores:
    """Tag the gold posts and score the predicted labels.

    Args:
        gold: JSONL, one ``{"text": ..., "labels": [...]}`` a line.
        taxonomy: A taxonomy file or object (default: the shipped one).
        embedder: ``static`` (default), ``minilm``, ``hashing`` or an embedder object.
        model: The claims model (``"default"``: the shipped one; a directory written by
            ``socialscan train claims``; ``None``: the zero-shot scorer alone).
        split: Only score lines of this split (``train``, ``dev`` or ``test``: the line's
            ``split`` field, else a stable hash of its text).
        data: Where the gold file's pointers point (see :mod:`socialscan.claims.corpus`).

    Examples:
        >>> s = eval_claims("labelled.jsonl", split="test")  # doctest: +SKIP
        >>> print(s.table())  # doctest: +SKIP
    """
    from ..claims import get_tagger
    from ..claims.train import read_corpus

    corpus = read_corpus(gold, data)
    if split is not None:
        corpus = corpus.part(split)
    texts, labels = corpus.texts, corpus.labels
    tagger = get_tagger(taxonomy, embedder, model=model)
    p, decided = tagger.post_labels(texts)
    predicted = [[tagger.labels[j] for j in np.nonzero(row)[0]] for row in decided]
    scores = score_labels(predicted, labels, tagger.labels)
    y = np.array([[lab in g for lab in tagger.labels] for g in labels], dtype=np.float32)
    scores.brier = float(((p - y) ** 2).mean()) if len(texts) else None
    return scores


def fit_calibration(
    texts: Sequence[str], gold: Sequence[Sequence[str]], tagger
) -> dict[str, float]:
    """Fit the shared logistic mapping (bias, cue, similarity, margin) to post-level labels.

    A post's probability for a label is the max over its sentences of
    ``sigmoid(bias + cue*c + similarity*s + margin*(s - b))``; the four numbers minimise the
    mean log-loss over all (post, label) pairs, with a small L2 pull towards the current
    values. Use it on a tuning split only and report scores on held-out posts.
    """
    from scipy.optimize import minimize

    from ..claims.tagger import content_sentences

    docs = list(tagger.docs(list(texts)))
    per_doc = [content_sentences(d) for d in docs]
    spans = [s for ss in per_doc for s in ss]
    f = tagger.features(spans)
    owner = np.repeat(np.arange(len(per_doc)), [len(ss) for ss in per_doc])
    y = np.array([[lab in g for lab in tagger.labels] for g in gold], dtype=np.float64)
    c0 = tagger.taxonomy.calibration
    keys = ["bias", "cue", "similarity", "margin"]
    x0 = np.array([c0[k] for k in keys], dtype=np.float64)
    margin = f.sim - f.background[:, None]

    def loss(w: np.ndarray) -> float:
        z = w[0] + w[1] * f.cue + w[2] * f.sim + w[3] * margin
        post = np.full(y.shape, -30.0)
        np.maximum.at(post, owner, z)
        p = 1.0 / (1.0 + np.exp(-np.clip(post, -30, 30)))
        eps = 1e-6
        ll = -(y * np.log(p + eps) + (1 - y) * np.log(1 - p + eps)).mean()
        return float(ll + 1e-3 * ((w - x0) ** 2).sum())

    res = minimize(
        loss, x0, method="Nelder-Mead", options={"maxiter": 4000, "xatol": 1e-3, "fatol": 1e-6}
    )
    return {k: round(float(v), 3) for k, v in zip(keys, res.x, strict=True)}
