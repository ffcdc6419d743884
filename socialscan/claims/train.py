"""Train a claims model on labelled posts: split, fit, calibrate, choose thresholds, score.

The same machinery trains the shipped model's head and a user's own taxonomy
(``socialscan train claims LABELLED.jsonl -o DIR``):

1. a fixed split (see :mod:`socialscan.claims.corpus`): the file's ``split`` field where it
   has one, else a stable hash of the text, so copies of a post share a split;
2. the head fitted on ``train`` and calibrated on ``dev`` (:mod:`socialscan.claims.fit`);
3. scores on ``test`` only, which nothing above has seen: the zero-shot scorer and the trained
   model side by side, a learning curve, and warnings where the model overfits (train F1 far
   above test F1) or a label has too few examples.
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
    learns the file's corrections and new labels instead (:func:`train_from`, which returns a
    :class:`FromReport`).

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


# -- starting from a trained model (``train claims --from default``) -----------------------------

#: How far a refitted default label's head is pulled back toward the shipped one (the L2
#: strength on its change; see :func:`~socialscan.claims.fit.refit_toward`).
REFIT_STRENGTH = 1.0
#: How much one shipped background post (:mod:`~socialscan.claims.background`) counts in a
#: head's fit against one post a person decided: it is a weak negative (nobody read it, and a
#: label's few real cases among ordinary posts are in it unmarked), yet thousands of them
#: together say what ordinary posts look like.
BACKGROUND_WEIGHT = 0.25
#: Background posts drawn per post a person decided (at most the whole sample): the
#: background's share of a fit stays the same whatever the person labelled, and training
#: time grows with what they labelled, not with the sample.
BACKGROUND_PER_POST = 20


@dataclass
class FromReport:
    """What ``socialscan train claims --from`` prints: per label, what changed and how the base
    model and the new one score on the file's test posts."""

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
        if not self.judged:
            return "no judged posts"
        return f"{self.precision:.2f} / {self.recall:.2f} / {self.f1:.2f}"


def judgements(data: Labelled, label: str, known: bool) -> tuple[np.ndarray, np.ndarray]:
    """Which posts were judged for ``label`` and whether it holds there.

    A label in ``labels`` holds; one in ``rejected`` does not. A label the base model already
    knows is otherwise unjudged: a person who reviewed a post and left a default label as the
    model had it taught nothing about it. A new label (one only people give) does not hold on
    any other post a person decided: it exists because they were labelling with it.
    """
    n = len(data.texts)
    rejected = data.rejected or [[] for _ in range(n)]
    decided = data.decided_by or ["person"] * n
    pos = np.array([label in g for g in data.labels], dtype=bool)
    neg = np.array([label in r for r in rejected], dtype=bool)
    if not known:
        neg |= np.array([d == "person" for d in decided], dtype=bool) & ~pos
    return pos | neg, pos


def train_from(
    labelled: str | os.PathLike[str],
    output: str | os.PathLike[str],
    base: str | os.PathLike[str] = "default",
    *,
    data: str | os.PathLike[str] | None = None,
    person_weight: float = 4.0,
    background_weight: float = BACKGROUND_WEIGHT,
    background: Sequence[tuple[str, str]] | None = None,
    progress=None,
) -> FromReport:
    """A claims model that starts from a trained one (the shipped model by default) and learns
    a person's corrections and new labels, scored before and after on the file's test posts.

    What "starts from" means, so that it works on any machine: the shipped model was trained
    on 14,858 posts of which most are pointers into a data set that is not distributed, so it
    cannot be refitted where socialscan is installed. Instead, the new model reads the same
    inputs as the base (its n-gram vocabulary, the static vectors, the post features) and:

    - a label no line corrects keeps the base model's head, calibration and threshold
      unchanged (the same scores, bit for bit);
    - a label a person corrected (turned off where the model gave it, or gave where the model
      did not) gets a change to its head fitted on the judged posts of the file (weighted by
      ``person_weight``) and the taxonomy's example and background sentences the base model
      was also trained on, pulled toward no change (:func:`~socialscan.claims.fit.refit_toward`),
      so it moves on posts like the corrected ones and stays put elsewhere; its calibration and
      threshold stay the base model's;
    - a label the base model does not know gets a new head over those inputs, fitted on the
      file's posts (every post a person decided without it is a negative), the taxonomy's
      background sentences and the shipped sample of ordinary posts
      (:mod:`~socialscan.claims.background`, weak negatives weighing ``background_weight`` of a
      person's post each); its C, calibration and threshold are chosen on 5-fold out-of-fold
      scores of the person's posts and the ordinary ones together, so that the threshold pays
      for every ordinary post it fires on, as it would in a whole dump;
    - a corrected default label's change is also held to the base model's own scores on the
      ordinary posts (soft targets, the same weight), so a correction moves posts like the
      corrected one rather than every post sharing a word with it;
    - every post a person decided is remembered (a hash of its text, never the text): it and
      its copies get the person's labels, whatever the heads say.

    The base model's first stage (its gate) is dropped: it was set for the shipped heads only,
    so every post goes through the whole model (slower: ``bench/results_claims_from_default.md``
    measures it). Lines decided by the model are not learned from.

    Args:
        labelled: The report's export (``labels.jsonl``) or any labelled JSONL.
        output: Directory for the new model (``--model DIR`` on ``tag``, ``scan``, ``report``).
        base: ``default`` (the shipped model) or a model directory.
        data: Where the file's pointers point (see :mod:`socialscan.claims.corpus`).
        person_weight: How much a person's decision on a post counts against one of the
            taxonomy's sentences.
        background_weight: How much one shipped ordinary post counts against a person's
            decision (0: none are used). Posts that are copies of any the file holds, test
            lines too, are never among them.
        background: (text, source pointer) pairs to draw the ordinary posts from (default:
            the shipped sample); ``BACKGROUND_PER_POST`` of them per post a person decided,
            drawn with a fixed seed.
        progress: Optional callable taking a message.

    Returns:
        The :class:`FromReport`; the model is in ``output``.

    Examples:
        >>> r = train_from("labels.jsonl", "my-model/")  # doctest: +SKIP
        >>> print(r.text())  # doctest: +SKIP
    """
    import copy

    from scipy.sparse import csr_matrix, hstack

    from .background import background_rows, flattened
    from .fit import fit_head_cv, refit_toward
    from .model import ClaimModel, post_key
    from .post_features import readable
    from .tagging import load_model
    from .taxonomy import load_taxonomy

    say = progress or (lambda _m: None)
    corpus = read_corpus(labelled, data)
    m0 = load_model(base)
    if not isinstance(m0, ClaimModel) or m0.members or m0.w_sparse is None:
        raise MalformedInput(
            f"{base}: only a linear n-gram model can be started from (the default model or a "
            "directory written by train claims --from)"
        )
    decided = corpus.decided_by or ["person"] * len(corpus.texts)
    person = [i for i, d in enumerate(decided) if d == "person"]
    skipped = len(corpus.texts) - len(person)
    data_p = corpus.rows(person)
    if not data_p.texts:
        raise MalformedInput(f"{labelled}: no line decided by a person: nothing to learn")
    tr = data_p.rows([i for i, s in enumerate(data_p.splits) if s != "test"])
    te = data_p.part("test")
    mentioned = sorted(
        {x for g in data_p.labels for x in g} | {x for g in data_p.rejected or [] for x in g}
    )
    new = [lab for lab in mentioned if lab not in m0.labels]
    labels = list(m0.labels) + new
    if not tr.texts:
        raise MalformedInput(f"{labelled}: every line is in the test split: nothing to learn")

    def inputs(model, texts, with_features=True):
        texts = readable(texts)
        sp = model.sparse_inputs(texts)
        dense = model.dense_inputs(texts)
        if not with_features and model.features:
            dense = dense[:, : dense.shape[1] - len(model.features)]
        return hstack([sp, csr_matrix(dense)], format="csr")

    tax = load_taxonomy()
    bg: list[str] = []
    bg_sources: list[str] = []
    if background_weight > 0:
        # a post of the file (test lines too) is never also a background negative
        mine = {post_key(t) for t in data_p.texts}
        pool = list(background_rows() if background is None else background)
        order = np.random.default_rng(0).permutation(len(pool))
        rows = [pool[i] for i in order if post_key(pool[i][0]) not in mine]
        rows = rows[: BACKGROUND_PER_POST * len(tr.texts)]
        bg, bg_sources = [t for t, _ in rows], [src for _, src in rows]
    z_tr = m0.logits(tr.texts)
    p_tr = m0.decide(m0.predict(tr.texts)) if len(m0.labels) else np.zeros((len(tr.texts), 0))
    m = copy.copy(m0)
    m.labels = labels
    m.info = dict(m0.info)
    m.memory = dict(m0.memory)
    v = m0.w_sparse.shape[1]
    w_sparse = [m0.w_sparse[j] for j in range(len(m0.labels))]
    w_dense = [m0.w_dense[j] for j in range(len(m0.labels))]
    bias = list(m0.bias)
    calib_a, calib_b, thr = list(m0.calib_a), list(m0.calib_b), list(m0.thresholds)
    kept, refit, warnings = [], [], []
    judged_counts: dict[str, dict[str, int]] = {}
    bg_rate: dict[str, float] = {}
    _bg_z: list[np.ndarray] = []

    def bg_logits() -> np.ndarray:
        """The base model's logits of the background posts, computed once."""
        if not _bg_z:
            _bg_z.append(m0.logits(bg) if bg else np.zeros((0, len(m0.labels)), np.float32))
        return _bg_z[0]

    for j, lab in enumerate(m0.labels):
        seen, holds = judgements(tr, lab, known=True)
        judged_counts[lab] = {"train": int(seen.sum()), "train_positives": int(holds.sum())}
        wrong = seen & (holds != p_tr[:, j])
        if not wrong.any():
            kept.append(lab)
            continue
        say(f"{lab}: {int(wrong.sum())} corrections: refitting its head")
        ex = [t for t in tax[lab].examples] if lab in tax.labels else []
        anchors = ex + list(tax.background)
        ya = np.array([1] * len(ex) + [0] * len(tax.background))
        idx = np.nonzero(seen)[0]
        x_all = inputs(m0, [tr.texts[i] for i in idx] + anchors + bg, with_features=False)
        z_bg = bg_logits()[:, j]
        z_all = np.concatenate(
            [z_tr[idx, j], m0.logits(anchors)[:, j] if anchors else np.zeros(0), z_bg]
        )
        # ordinary posts keep the base model's own (calibrated) scores as soft targets
        y_bg = m0.probabilities(bg_logits())[:, j] if bg else np.zeros(0)
        y_all = np.concatenate([holds[idx].astype(float), ya, y_bg])
        wt = np.concatenate(
            [
                np.full(len(idx), person_weight),
                np.ones(len(anchors)),
                np.full(len(bg), background_weight),
            ]
        )
        used = np.nonzero(x_all.getnnz(axis=0))[0]
        d = np.zeros(x_all.shape[1], np.float32)
        d[used] = refit_toward(
            x_all[:, used], y_all, wt, z_all, (calib_a[j], calib_b[j]), REFIT_STRENGTH
        )
        w_sparse[j] = w_sparse[j] + d[:v]
        w_dense[j] = w_dense[j].copy()
        w_dense[j][: len(d) - v] += d[v:]
        refit.append(lab)

    if new:
        say(f"new labels {', '.join(new)}: fitting their heads")
        sentences = list(tax.background)
        n_tr, n_s = len(tr.texts), len(sentences)
        x_new = inputs(m0, list(tr.texts) + sentences + bg)
        if bg and m0.features:
            x_new = _unknown_features(x_new, m0, n_tr + n_s, flattened(bg_sources, m0.features))
        n_rows = n_tr + n_s + len(bg)
        always = np.zeros(n_rows, dtype=bool)
        always[n_tr : n_tr + n_s] = True
        weight = np.ones(n_rows)
        weight[n_tr + n_s :] = background_weight
        if bg:
            say(f"{len(bg)} shipped ordinary posts join as weak negatives")
        cols, rows_seen = [], []
        for lab in new:
            seen, holds = judgements(tr, lab, known=False)
            judged_counts[lab] = {"train": int(seen.sum()), "train_positives": int(holds.sum())}
            cols.append(np.concatenate([holds, np.zeros(n_s + len(bg), dtype=bool)]))
            rows_seen.append(seen)
            if holds.sum() < 10:
                warnings.append(
                    f"{lab}: {int(holds.sum())} training positives: label more posts of it "
                    "before trusting its scores"
                )
            if (seen & ~holds).sum() < 2 * holds.sum():
                warnings.append(
                    f"{lab}: {int((seen & ~holds).sum())} posts judged without it: label "
                    "posts that are not it too (a review round gives them)"
                )
        for k in range(len(new)):
            keep = np.concatenate([rows_seen[k], np.ones(n_s + len(bg), dtype=bool)])
            # an input no training post has keeps weight 0 under L2: fit on the others only
            xk = x_new[keep]
            used = np.nonzero(xk.getnnz(axis=0))[0]
            f = fit_head_cv(
                xk[:, used],
                cols[k][keep, None],
                always=always[keep],
                weight=weight[keep] if bg else None,
            )
            if bg:
                z = f.oof[0][-len(bg) :]
                p = 1.0 / (1.0 + np.exp(-np.clip(f.calib_a[0] * z + f.calib_b[0], -30, 30)))
                bg_rate[new[k]] = float((p >= f.thresholds[0]).mean())
            w = np.zeros(x_new.shape[1], np.float32)
            w[used] = f.w[0]
            w_sparse.append(w[:v])
            w_dense.append(w[v:])
            bias.append(float(f.b[0]))
            calib_a.append(float(f.calib_a[0]))
            calib_b.append(float(f.calib_b[0]))
            thr.append(float(f.thresholds[0]))
        m.info.setdefault("descriptions", {})
        for lab in new:
            m.info["descriptions"][lab] = f"learned from labelled posts ({labelled_name(labelled)})"

    m.w_sparse = np.vstack(w_sparse).astype(np.float32)
    m.w_dense = np.vstack(w_dense).astype(np.float32)
    m.bias = np.asarray(bias, np.float32)
    m.calib_a = np.asarray(calib_a, np.float32)
    m.calib_b = np.asarray(calib_b, np.float32)
    m.thresholds = np.asarray(thr, np.float32)
    m.gate, m.gate_thresholds = None, None
    for i, text in enumerate(tr.texts):
        mem = dict(m.memory.get(post_key(text), {}))
        for lab in labels:
            seen, holds = _judged_one(tr, i, lab, lab in m0.labels)
            if seen:
                mem[lab] = holds
        if mem:
            m.memory[post_key(text)] = mem
    m._sparse = m0._sparse
    m._enc = m0._enc
    m.directory = None

    before, after = {}, {}
    # a test line that is a copy of a training line would be scored from memory, not by the
    # head: the scores are on posts never trained on
    taught = {post_key(t) for t in tr.texts}
    copies = [i for i, t in enumerate(te.texts) if post_key(t) in taught]
    if copies:
        warnings.append(
            f"{len(copies)} test lines are copies of training lines (the model remembers "
            "them): left out of the scores"
        )
        te = te.rows([i for i in range(len(te.texts)) if i not in set(copies)])
    if te.texts:
        say("scoring the base model and the new one on the test posts")
        p_before = m0.decide(m0.predict(te.texts))
        p_after = m.decide(m.predict(te.texts))
        for k, lab in enumerate(labels):
            seen, holds = judgements(te, lab, known=lab in m0.labels)
            after[lab] = _row(p_after[seen, k], holds[seen])
            if lab in m0.labels:
                before[lab] = _row(p_before[seen, k], holds[seen])
    else:
        warnings.append("no line is in the test split: nothing scored (give some split: test)")
    m.info.update(
        started_from=str(base),
        kept=kept,
        refit=refit,
        new=new,
        corrections_file=labelled_name(labelled),
        background={
            "posts": len(bg),
            "weight": background_weight,
            "fires_out_of_fold": {k: round(v, 5) for k, v in bg_rate.items()},
        },
    )
    with atomic_directory(output) as tmp:
        _save_standalone(m, tmp)
    return FromReport(
        labels,
        str(base),
        kept,
        refit,
        new,
        judged_counts,
        before,
        after,
        len(m.memory) - len(m0.memory),
        skipped,
        warnings,
        os.fspath(output),
        len(bg) if new else 0,
        bg_rate,
    )


def _unknown_features(x, m0, first: int, gone: np.ndarray):
    """``x`` with the post features a background post's source cannot show (``gone``, one row
    per background row from row ``first`` on) set to 0, their scaled mean on the base model's
    training posts: the value that moves a logit least, so those posts teach the head about
    their words and vector, not about a shape their source flattened."""
    if not gone.any():
        return x
    x = x.tocsr(copy=True)
    start = x.shape[1] - len(m0.features)
    row = np.repeat(np.arange(x.shape[0]), np.diff(x.indptr))
    hit = (row >= first) & (x.indices >= start)
    hit[hit] = gone[row[hit] - first, x.indices[hit] - start]
    x.data[hit] = 0.0
    x.eliminate_zeros()
    return x


def labelled_name(path) -> str:
    return Path(path).name


def _judged_one(data: Labelled, i: int, label: str, known: bool) -> tuple[bool, bool]:
    if label in data.labels[i]:
        return True, True
    if data.rejected is not None and label in data.rejected[i]:
        return True, False
    if not known and (data.decided_by is None or data.decided_by[i] == "person"):
        return True, False
    return False, False


def _row(pred: np.ndarray, gold: np.ndarray) -> LabelScoresRow:
    tp = int((pred & gold).sum())
    n_p, n_g = int(pred.sum()), int(gold.sum())
    precision = tp / n_p if n_p else (1.0 if not n_g else 0.0)
    recall = tp / n_g if n_g else 1.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return LabelScoresRow(precision, recall, f1, n_g, len(gold))


def _save_standalone(m, directory) -> None:
    """Save a model copied from another one: its n-grams written beside it (a gate is never
    carried over, see :func:`train_from`)."""
    m.save(directory)
