"""Fitting a claims model's head: a logistic regression per label, calibrated, with thresholds.

1. a logistic head per label over the n-grams, the encoder's post vector and the post features
   (:data:`~socialscan.claims.post_features.POST_FEATURES`), its regularisation chosen on
   ``dev`` (or by cross-validation on train and dev pooled);
2. Platt scaling on held-out scores (0.5 = even odds) and a per-label threshold chosen there
   for F1.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from .model import ClaimModel
from .ngrams import Ngrams
from .post_features import POST_FEATURES, post_features, readable
from .taxonomy import Taxonomy, load_taxonomy

#: Inverse regularisation strengths tried on ``dev``.
C_GRID = (0.1, 0.25, 1.0, 4.0, 16.0)


@dataclass
class Fitted:
    """A fitted linear head for a label set: weights over the inputs, calibration, thresholds."""

    w: np.ndarray  # (L, F)
    b: np.ndarray  # (L,)
    calib_a: np.ndarray
    calib_b: np.ndarray
    thresholds: np.ndarray
    c: list[float]
    #: Per label, the average precision of the scores that chose C (dev, or out-of-fold).
    ap: list[float] = field(default_factory=list)
    #: Per label (:func:`fit_head_cv` only), the raw out-of-fold scores that chose C, one per
    #: row (0 for rows in no fold's scores).
    oof: list[np.ndarray] = field(default_factory=list)


def _platt(z: np.ndarray, y: np.ndarray) -> tuple[float, float]:
    """a, b with sigmoid(a*z + b) calibrated on (z, y); identity where a label has one class."""
    from sklearn.linear_model import LogisticRegression

    if y.min() == y.max():
        return 1.0, 0.0
    lr = LogisticRegression(C=100.0, max_iter=1000)
    lr.fit(z.reshape(-1, 1), y.astype(int))
    return float(lr.coef_[0, 0]), float(lr.intercept_[0])


def best_threshold(p: np.ndarray, y: np.ndarray) -> float:
    """The probability threshold with the best F1 on (p, y); 0.5 where there is no positive.

    Ties go to the threshold nearest 0.5: a flat stretch of F1 is no reason to move off even
    odds. The grid stops at 0.15 and 0.85: positives are few, and a threshold further out
    would be fitted to a handful of posts.
    """
    if not y.any():
        return 0.5
    grid = np.round(np.arange(0.15, 0.851, 0.025), 3)
    f1 = []
    for t in grid:
        pred = p >= t
        tp = int((pred & y).sum())
        denom = int(pred.sum()) + int(y.sum())
        f1.append(2 * tp / denom if denom else 0.0)
    f1 = np.array(f1)
    cands = grid[f1 >= f1.max() - 1e-9]
    return float(cands[np.argmin(np.abs(cands - 0.5))])


def calibrate(z_dev: np.ndarray, y_dev: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Per-label Platt scaling and F1 thresholds for raw dev logits of any model."""
    n = z_dev.shape[1]
    a, b, t = np.ones(n), np.zeros(n), np.full(n, 0.5)
    for j in range(n):
        a[j], b[j] = _platt(z_dev[:, j], y_dev[:, j])
        p = 1.0 / (1.0 + np.exp(-np.clip(a[j] * z_dev[:, j] + b[j], -30, 30)))
        t[j] = best_threshold(p, y_dev[:, j])
    return a.astype(np.float32), b.astype(np.float32), t.astype(np.float32)


def fit_head(
    x_train,
    y_train: np.ndarray,
    x_dev,
    y_dev: np.ndarray,
    c_grid: Sequence[float] = C_GRID,
) -> Fitted:
    """One logistic regression per label (classes balanced) over dense or sparse inputs, C
    chosen by dev average precision; then Platt scaling and thresholds on dev."""
    from sklearn.linear_model import LogisticRegression
    from sklearn.metrics import average_precision_score

    n_labels = y_train.shape[1]
    w = np.zeros((n_labels, x_train.shape[1]), np.float32)
    b = np.zeros(n_labels, np.float32)
    cs = []
    for j in range(n_labels):
        y = y_train[:, j]
        if y.min() == y.max():  # nothing to learn: a constant far from the threshold
            b[j] = 6.0 if y.all() else -6.0
            cs.append(0.0)
            continue
        best = None
        for c in c_grid:
            lr = LogisticRegression(C=c, max_iter=3000, class_weight="balanced")
            lr.fit(x_train, y)
            z = lr.decision_function(x_dev)
            score = average_precision_score(y_dev[:, j], z) if y_dev[:, j].any() else -c
            if best is None or score > best[0] + 1e-9:
                best = (score, c, lr)
        _, c, lr = best
        w[j], b[j] = lr.coef_[0], lr.intercept_[0]
        cs.append(float(c))
    z_dev = np.asarray(x_dev @ w.T) + b
    a, bb, t = calibrate(z_dev, y_dev)
    return Fitted(w, b, a, bb, t, cs)


def fit_head_cv(
    x,
    y: np.ndarray,
    folds: int = 5,
    c_grid: Sequence[float] = C_GRID,
    seed: int = 0,
    always: np.ndarray | None = None,
    weight: np.ndarray | None = None,
) -> Fitted:
    """Like :func:`fit_head`, on one pool of posts (train and dev together): C chosen per label
    by the average precision of out-of-fold scores, Platt scaling and thresholds fitted on those
    out-of-fold scores, then the head refitted on every post. More posts to learn from than a
    fixed dev split, and calibration on scores of posts the head had not seen.

    ``always``: rows in every fold's training part and in no fold's scores (sentences written
    for the labels: no real post's distribution to calibrate on).

    ``weight``: how much each row counts in the fits (e.g. a shipped background post less than
    a person's decision); the classes are then balanced by their weighted mass rather than
    their counts, so many light rows do not dilute the positives. Scores, calibration and
    thresholds count every scored row once: a background post the head fires on is one false
    alarm however light it was in the fit."""
    from sklearn.metrics import average_precision_score
    from sklearn.model_selection import KFold

    n, n_labels = y.shape
    always = np.zeros(n, dtype=bool) if always is None else np.asarray(always, dtype=bool)
    fold_of = np.full(n, -1, dtype=np.int64)
    real = np.nonzero(~always)[0]
    for k, (_, idx) in enumerate(KFold(folds, shuffle=True, random_state=seed).split(real)):
        fold_of[real[idx]] = k
    scored = ~always
    w = np.zeros((n_labels, x.shape[1]), np.float32)
    b = np.zeros(n_labels, np.float32)
    a_cal, b_cal, thr, cs = np.ones(n_labels), np.zeros(n_labels), np.full(n_labels, 0.5), []
    aps: list[float] = []
    oofs: list[np.ndarray] = []
    for j in range(n_labels):
        yj = y[:, j]
        if yj.min() == yj.max():
            b[j] = 6.0 if yj.all() else -6.0
            cs.append(0.0)
            aps.append(float("nan"))
            oofs.append(np.full(n, b[j], np.float64))
            continue
        best = None
        for c in c_grid:
            oof = np.zeros(n, np.float64)
            for k in range(folds):
                tr, te = fold_of != k, fold_of == k
                if yj[tr].min() == yj[tr].max():
                    oof[te] = 0.0
                    continue
                lr = _logistic(c, weight)
                oof[te] = lr.fit(x[tr], yj[tr], **_weighted(yj[tr], weight, tr)).decision_function(
                    x[te]
                )
            score = average_precision_score(yj[scored], oof[scored])
            if best is None or score > best[0] + 1e-9:
                best = (score, c, oof)
        ap, c, oof = best
        aps.append(float(ap))
        oofs.append(oof)
        lr = _logistic(c, weight).fit(x, yj, **_weighted(yj, weight, slice(None)))
        w[j], b[j] = lr.coef_[0], lr.intercept_[0]
        cs.append(float(c))
        oof, yj = oof[scored], yj[scored]
        a_cal[j], b_cal[j] = _platt(oof, yj)
        p = 1.0 / (1.0 + np.exp(-np.clip(a_cal[j] * oof + b_cal[j], -30, 30)))
        thr[j] = best_threshold(p, yj)
    return Fitted(w, b, a_cal.astype(np.float32), b_cal.astype(np.float32), thr, cs, aps, oofs)


def _logistic(c: float, weight: np.ndarray | None):
    """The per-label logistic regression: classes balanced by count, or by the rows' weighted
    mass where rows have weights (see :func:`_weighted`)."""
    from sklearn.linear_model import LogisticRegression

    return LogisticRegression(
        C=c, max_iter=3000, class_weight="balanced" if weight is None else None
    )


def _weighted(y: np.ndarray, weight: np.ndarray | None, rows) -> dict:
    """``sample_weight`` for the rows ``rows`` of weighted data, each class's total weight made
    equal (half the rows' weighted mass each): ``class_weight="balanced"`` by mass, not count.

    Examples:
        >>> w = _weighted(np.array([1, 0, 0, 0]), np.array([1.0, 1.0, 0.5, 0.5]), slice(None))
        >>> [float(v) for v in w["sample_weight"]]
        [1.5, 0.75, 0.375, 0.375]
    """
    if weight is None:
        return {}
    w = np.asarray(weight, dtype=np.float64)[rows]
    y = np.asarray(y, dtype=bool)
    total = w.sum()
    out = w.copy()
    for cls in (True, False):
        mass = w[y == cls].sum()
        if mass > 0:
            out[y == cls] *= total / (2.0 * mass)
    return {"sample_weight": out}


def taxonomy_examples(labels: Sequence[str], taxonomy=None) -> tuple[list[str], list[list[str]]]:
    """The taxonomy's example sentences of these labels (each a positive of its label) and its
    background sentences (negatives): the guide's own words as training posts.

    Real posts are few for a rare label, and the canonical statements of the guide may never
    occur among them; as training posts they teach the model the label's vocabulary without
    moving its held-out scores.

    Examples:
        >>> texts, labels = taxonomy_examples(["privacy_statement"])
        >>> len(texts) > 20 and ["privacy_statement"] in labels and [] in labels
        True
    """
    tax = taxonomy if isinstance(taxonomy, Taxonomy) else load_taxonomy(taxonomy)
    texts: list[str] = []
    out: list[list[str]] = []
    for name in labels:
        if name in tax.labels:
            texts += tax[name].examples
            out += [[name]] * len(tax[name].examples)
    if texts:
        texts += tax.background
        out += [[]] * len(tax.background)
    return texts, out


def feature_stats(texts: Sequence[str]) -> tuple[np.ndarray, np.ndarray]:
    """Mean and scale of the post features on training texts (scale 1 for a constant)."""
    f = post_features(texts)
    mean, scale = f.mean(axis=0), f.std(axis=0)
    scale[scale < 1e-6] = 1.0
    return mean.astype(np.float32), scale.astype(np.float32)


def new_model(
    labels: list[str],
    train_texts: Sequence[str],
    y_train: np.ndarray,
    dev_texts: Sequence[str],
    y_dev: np.ndarray,
    *,
    ngrams: bool = True,
    chars: bool = False,
    with_features: bool = True,
    encoder: dict | None = None,
    directory: Path | None = None,
    pool: bool = False,
    extra: tuple[Sequence[str], np.ndarray] | None = None,
) -> ClaimModel:
    """A :class:`ClaimModel` with a logistic head fitted over its inputs: word and character
    n-grams (``ngrams``), the encoder's vector (``encoder``, default the shipped static model;
    ``{"kind": "none"}`` for none) and the post features (``with_features``).

    With ``pool``, train and dev are pooled and :func:`fit_head_cv` chooses, calibrates and
    refits by cross-validation; else the head learns on train and is tuned on dev. ``extra``
    (texts, label matrix) are training rows that are never scored: the taxonomy's examples."""
    n_extra = 0
    if extra is not None and len(extra[0]):
        n_extra = len(extra[0])
    if pool:
        train_texts = list(train_texts) + list(dev_texts)
        y_train = np.vstack([y_train, y_dev])
    if n_extra:
        train_texts = list(train_texts) + list(extra[0])
        y_train = np.vstack([y_train, extra[1]])
    from scipy.sparse import csr_matrix, hstack

    mean, scale = (
        feature_stats(readable(train_texts)) if with_features else (np.zeros(0), np.ones(0))
    )
    m = ClaimModel(
        labels=list(labels),
        encoder=dict(encoder or {"kind": "static"}),
        features=list(POST_FEATURES) if with_features else [],
        w_dense=np.zeros((len(labels), 0), np.float32),
        w_sparse=None,
        bias=np.zeros(len(labels), np.float32),
        calib_a=np.ones(len(labels), np.float32),
        calib_b=np.zeros(len(labels), np.float32),
        thresholds=np.full(len(labels), 0.5, np.float32),
        feature_mean=mean.astype(np.float32),
        feature_scale=scale.astype(np.float32),
        sparse_spec=Ngrams.fit(readable(train_texts), chars=chars) if ngrams else None,
        directory=directory,
    )

    def inputs(texts):
        texts = readable(texts)
        dense = csr_matrix(m.dense_inputs(texts))
        sp = m.sparse_inputs(texts)
        return hstack([sp, dense], format="csr") if sp is not None else dense

    if pool:
        always = np.zeros(len(train_texts), dtype=bool)
        always[len(train_texts) - n_extra :] = True
        fitted = fit_head_cv(inputs(train_texts), y_train, always=always)
    else:
        fitted = fit_head(inputs(train_texts), y_train, inputs(dev_texts), y_dev)
    v = sum(m.ngrams().sizes) if ngrams else 0
    m.w_sparse = fitted.w[:, :v].copy() if ngrams else None
    m.w_dense = fitted.w[:, v:].copy()
    m.bias = fitted.b
    m.calib_a, m.calib_b = fitted.calib_a, fitted.calib_b
    m.thresholds = fitted.thresholds.astype(np.float32)
    m.info["C"] = dict(zip(labels, fitted.c, strict=True))
    if fitted.ap:
        m.info["cv_average_precision"] = {
            k: round(v, 4) for k, v in zip(labels, fitted.ap, strict=True)
        }
    return m


def refit_toward(
    x,
    y: np.ndarray,
    weight: np.ndarray,
    z0: np.ndarray,
    calib: tuple[float, float],
    strength: float = 1.0,
) -> np.ndarray:
    """A change ``d`` to one label's head, fitted on a few posts and pulled toward none.

    The new head's logit is ``z0 + x @ d`` (``z0`` the shipped head's logit, kept calibrated by
    its own Platt ``calib``); ``d`` minimises the weighted log-loss of the calibrated
    probabilities on ``(x, y)`` plus ``strength / 2 * |d|^2``. Posts like the corrected ones
    move; posts sharing none of their inputs keep their score exactly where ``x`` is sparse.

    Examples:
        >>> from scipy.sparse import csr_matrix
        >>> x = csr_matrix(np.array([[1.0, 0.0], [0.0, 1.0]]))
        >>> d = refit_toward(x, np.array([0, 1]), np.ones(2), np.array([2.0, 2.0]), (1.0, 0.0))
        >>> bool(d[0] < 0), bool(abs(d[1]) < abs(d[0]))
        (True, True)
    """
    from scipy.optimize import minimize

    y = np.asarray(y, dtype=np.float64)
    wt = np.asarray(weight, dtype=np.float64)
    a, b = float(calib[0]), float(calib[1])
    z0 = np.asarray(z0, dtype=np.float64)

    def loss(d):
        u = a * (z0 + x @ d) + b
        # log(1 + e^u) - y*u, stably
        val = float((wt * (np.logaddexp(0.0, u) - y * u)).sum()) + 0.5 * strength * float(d @ d)
        p = 1.0 / (1.0 + np.exp(-np.clip(u, -30, 30)))
        grad = a * np.asarray(x.T @ (wt * (p - y))).ravel() + strength * d
        return val, grad

    res = minimize(loss, np.zeros(x.shape[1]), jac=True, method="L-BFGS-B")
    return res.x.astype(np.float32)
