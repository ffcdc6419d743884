"""The heads of a model started from another: corrected labels refitted, new labels fitted.

``train claims --from`` cannot refit the shipped model (its corpus is not on a user's
machine), so it changes heads over the base model's own inputs (its n-grams, the static
vectors, the post features) with what a person decided
(:func:`~socialscan.claims.from_default.train_from` says what each kind of label gets):

- :func:`refit_corrected`: a default label a person corrected gets a change to its head,
  pulled toward none, so it moves on posts like the corrected ones and stays put elsewhere;
- :func:`fit_new`: a label the base model does not know gets a head of its own;
- :func:`draw_background`: both also read a sample of ordinary posts shipped with socialscan
  (:mod:`~socialscan.claims.background`) as weak negatives, because a person's few hundred
  posts, most chosen because they might hold the label, say little about ordinary posts.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

import numpy as np

from .background import background_rows, flattened
from .corpus import Labelled
from .decisions import judgements
from .fit import fit_head_cv, refit_toward
from .memory import post_key
from .model import ClaimModel
from .post_features import readable
from .taxonomy import Taxonomy

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

Say = Callable[[str], None]


@dataclass
class Background:
    """The ordinary posts drawn for one training run, their sources and their weight."""

    texts: list[str]
    sources: list[str]
    weight: float
    _logits: list[np.ndarray] = field(default_factory=list, repr=False)

    def base_logits(self, base: ClaimModel) -> np.ndarray:
        """The base model's logits of the posts, computed once (only a refit needs them)."""
        if not self._logits:
            empty = np.zeros((0, len(base.labels)), np.float32)
            self._logits.append(base.logits(self.texts) if self.texts else empty)
        return self._logits[0]


def draw_background(
    file_texts: Sequence[str],
    n_train: int,
    weight: float,
    pool: Sequence[tuple[str, str]] | None = None,
) -> Background:
    """``BACKGROUND_PER_POST`` posts per training post, drawn with a fixed seed from ``pool``
    ((text, source pointer) pairs; default: the shipped sample); none at ``weight`` 0.

    A copy of any post of the file (``file_texts``, test lines too) is never drawn: a post a
    person decided is not also a weak negative, and a test post must not be trained on.
    """
    if weight <= 0:
        return Background([], [], weight)
    mine = {post_key(t) for t in file_texts}
    rows = list(background_rows() if pool is None else pool)
    order = np.random.default_rng(0).permutation(len(rows))
    drawn = [rows[i] for i in order if post_key(rows[i][0]) not in mine]
    drawn = drawn[: BACKGROUND_PER_POST * n_train]
    return Background([t for t, _ in drawn], [src for _, src in drawn], weight)


def head_inputs(model: ClaimModel, texts: Sequence[str], with_features: bool = True):
    """The rows a head of ``model`` reads for ``texts`` (n-grams, then the dense inputs) as one
    sparse matrix; ``with_features=False`` leaves the post features out."""
    from scipy.sparse import csr_matrix, hstack

    texts = readable(texts)
    sp = model.sparse_inputs(texts)
    dense = model.dense_inputs(texts)
    if not with_features and model.features:
        dense = dense[:, : dense.shape[1] - len(model.features)]
    return hstack([sp, csr_matrix(dense)], format="csr")


@dataclass
class Heads:
    """A linear model's heads as lists, one entry per label, so heads can be changed and new
    labels' heads appended before they are stacked into a model again."""

    w_sparse: list[np.ndarray]
    w_dense: list[np.ndarray]
    bias: list[float]
    calib_a: list[float]
    calib_b: list[float]
    thresholds: list[float]

    @classmethod
    def of(cls, m: ClaimModel) -> Heads:
        n = len(m.labels)
        return cls(
            [m.w_sparse[j] for j in range(n)],
            [m.w_dense[j] for j in range(n)],
            list(m.bias),
            list(m.calib_a),
            list(m.calib_b),
            list(m.thresholds),
        )

    def into(self, m: ClaimModel) -> None:
        """Set ``m``'s head arrays to these heads."""
        m.w_sparse = np.vstack(self.w_sparse).astype(np.float32)
        m.w_dense = np.vstack(self.w_dense).astype(np.float32)
        m.bias = np.asarray(self.bias, np.float32)
        m.calib_a = np.asarray(self.calib_a, np.float32)
        m.calib_b = np.asarray(self.calib_b, np.float32)
        m.thresholds = np.asarray(self.thresholds, np.float32)


def refit_corrected(
    base: ClaimModel,
    heads: Heads,
    train: Labelled,
    tax: Taxonomy,
    bg: Background,
    person_weight: float,
    say: Say,
) -> tuple[list[str], list[str], dict[str, dict[str, int]]]:
    """Change ``heads``' rows of the base model's labels a person corrected on ``train``.

    A label is corrected where a person judged a post for it (:func:`judgements`) otherwise
    than the base model decides. Its change is fitted on the judged posts (``person_weight``
    each), the taxonomy's example and background sentences (1 each) and the background posts
    (``bg.weight`` each, the base model's own calibrated scores as soft targets, so the change
    moves posts like the corrected ones rather than every post sharing a word with them), on
    the inputs without post features; calibration and threshold stay the base model's.

    Returns:
        The labels kept as they were, those refitted, and per label the posts judged for it
        in ``train`` and its positives there.
    """
    z_tr = base.logits(train.texts)
    n_tr = len(train.texts)
    p_tr = base.decide(base.predict(train.texts)) if len(base.labels) else np.zeros((n_tr, 0))
    v = base.w_sparse.shape[1]
    kept, refit, judged = [], [], {}
    for j, lab in enumerate(base.labels):
        seen, holds = judgements(train, lab, known=True)
        judged[lab] = {"train": int(seen.sum()), "train_positives": int(holds.sum())}
        wrong = seen & (holds != p_tr[:, j])
        if not wrong.any():
            kept.append(lab)
            continue
        say(f"{lab}: {int(wrong.sum())} corrections: refitting its head")
        ex = [t for t in tax[lab].examples] if lab in tax.labels else []
        anchors = ex + list(tax.background)
        ya = np.array([1] * len(ex) + [0] * len(tax.background))
        idx = np.nonzero(seen)[0]
        x_all = head_inputs(
            base, [train.texts[i] for i in idx] + anchors + bg.texts, with_features=False
        )
        z_bg = bg.base_logits(base)[:, j]
        z_all = np.concatenate(
            [z_tr[idx, j], base.logits(anchors)[:, j] if anchors else np.zeros(0), z_bg]
        )
        # ordinary posts keep the base model's own (calibrated) scores as soft targets
        y_bg = base.probabilities(bg.base_logits(base))[:, j] if bg.texts else np.zeros(0)
        y_all = np.concatenate([holds[idx].astype(float), ya, y_bg])
        wt = np.concatenate(
            [
                np.full(len(idx), person_weight),
                np.ones(len(anchors)),
                np.full(len(bg.texts), bg.weight),
            ]
        )
        used = np.nonzero(x_all.getnnz(axis=0))[0]
        d = np.zeros(x_all.shape[1], np.float32)
        ab = (heads.calib_a[j], heads.calib_b[j])
        d[used] = refit_toward(x_all[:, used], y_all, wt, z_all, ab, REFIT_STRENGTH)
        heads.w_sparse[j] = heads.w_sparse[j] + d[:v]
        heads.w_dense[j] = heads.w_dense[j].copy()
        heads.w_dense[j][: len(d) - v] += d[v:]
        refit.append(lab)
    return kept, refit, judged


def fit_new(
    base: ClaimModel,
    heads: Heads,
    new: Sequence[str],
    train: Labelled,
    tax: Taxonomy,
    bg: Background,
    say: Say,
) -> tuple[dict[str, dict[str, int]], list[str], dict[str, float]]:
    """Append to ``heads`` a head per label of ``new`` (labels the base model does not know).

    Each is fitted over the base model's inputs on the posts judged for it in ``train`` (every
    post a person decided without it is a negative), the taxonomy's background sentences
    (always negatives, in every fold) and the background posts (``bg.weight`` each, their
    unknowable post features set to say nothing, :func:`unknown_features`). Its C,
    calibration and threshold come from 5-fold out-of-fold scores of all of them
    (:func:`~socialscan.claims.fit.fit_head_cv`), so every ordinary post the head fires on
    costs precision, as it would in a whole dump.

    Returns:
        Per label the posts judged for it and its positives; warnings where a label has too
        few positives or too few posts judged without it; per label the share of background
        posts it fires on out of fold (its false-alarm rate on ordinary posts, estimated).
    """
    judged, warnings, bg_rate = {}, [], {}
    sentences = list(tax.background)
    n_tr, n_s, n_bg = len(train.texts), len(sentences), len(bg.texts)
    x_new = head_inputs(base, list(train.texts) + sentences + bg.texts)
    if bg.texts and base.features:
        x_new = unknown_features(x_new, base, n_tr + n_s, flattened(bg.sources, base.features))
    n_rows = n_tr + n_s + n_bg
    always = np.zeros(n_rows, dtype=bool)
    always[n_tr : n_tr + n_s] = True
    weight = np.ones(n_rows)
    weight[n_tr + n_s :] = bg.weight
    if bg.texts:
        say(f"{n_bg} shipped ordinary posts join as weak negatives")
    cols, rows_seen = [], []
    for lab in new:
        seen, holds = judgements(train, lab, known=False)
        judged[lab] = {"train": int(seen.sum()), "train_positives": int(holds.sum())}
        cols.append(np.concatenate([holds, np.zeros(n_s + n_bg, dtype=bool)]))
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
    v = base.w_sparse.shape[1]
    for k in range(len(new)):
        keep = np.concatenate([rows_seen[k], np.ones(n_s + n_bg, dtype=bool)])
        # an input no training post has keeps weight 0 under L2: fit on the others only
        xk = x_new[keep]
        used = np.nonzero(xk.getnnz(axis=0))[0]
        f = fit_head_cv(
            xk[:, used],
            cols[k][keep, None],
            always=always[keep],
            weight=weight[keep] if bg.texts else None,
        )
        if bg.texts:
            z = f.oof[0][-n_bg:]
            p = 1.0 / (1.0 + np.exp(-np.clip(f.calib_a[0] * z + f.calib_b[0], -30, 30)))
            bg_rate[new[k]] = float((p >= f.thresholds[0]).mean())
        w = np.zeros(x_new.shape[1], np.float32)
        w[used] = f.w[0]
        heads.w_sparse.append(w[:v])
        heads.w_dense.append(w[v:])
        heads.bias.append(float(f.b[0]))
        heads.calib_a.append(float(f.calib_a[0]))
        heads.calib_b.append(float(f.calib_b[0]))
        heads.thresholds.append(float(f.thresholds[0]))
    return judged, warnings, bg_rate


def unknown_features(x, base: ClaimModel, first: int, gone: np.ndarray):
    """``x`` with the post features a background post's source cannot show (``gone``, one row
    per background row from row ``first`` on) set to 0, their scaled mean on the base model's
    training posts: the value that moves a logit least, so those posts teach the head about
    their words and vector, not about a shape their source flattened."""
    if not gone.any():
        return x
    x = x.tocsr(copy=True)
    start = x.shape[1] - len(base.features)
    row = np.repeat(np.arange(x.shape[0]), np.diff(x.indptr))
    hit = (row >= first) & (x.indices >= start)
    hit[hit] = gone[row[hit] - first, x.indices[hit] - start]
    x.data[hit] = 0.0
    x.eliminate_zeros()
    return x
