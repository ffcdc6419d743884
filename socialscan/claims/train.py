"""Train a claims model on labelled posts: split, fit, calibrate, choose thresholds, score.

The same machinery trains the shipped model's head and a user's own taxonomy
(``socialscan train claims LABELLED.jsonl -o DIR``):

1. a fixed split: the file's ``split`` field (``train`` / ``dev`` / ``test``) where it has one,
   else a stable hash of the text (60 / 20 / 20), so copies of a post share a split;
2. a logistic head per label over the encoder's post vector and the post features
   (:data:`~socialscan.claims.model.POST_FEATURES`), its regularisation chosen on ``dev``;
3. Platt scaling on ``dev`` (0.5 = even odds) and a per-label threshold chosen on ``dev``
   for F1;
4. scores on ``test`` only, which nothing above has seen: the zero-shot scorer and the trained
   model side by side, a learning curve, and warnings where the model overfits (train F1 far
   above test F1) or a label has too few examples.
"""

from __future__ import annotations

import hashlib
import html
import os
import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from ..errors import MalformedInput
from .model import POST_FEATURES, ClaimModel

#: Shares of the stable hash split.
SPLITS = (("train", 0.6), ("dev", 0.2), ("test", 0.2))
#: A label with fewer training positives than this gets a warning.
MIN_POSITIVES = 30
#: A train-minus-test macro-F1 gap above this gets a warning.
MAX_GAP = 0.25
#: Inverse regularisation strengths tried on ``dev``.
C_GRID = (0.1, 0.25, 1.0, 4.0, 16.0)


_LINKS = re.compile(r"https?://\S+|\bt\.co/\S+")


def text_key(text: str) -> str:
    """What copies of one post share: entities decoded, links dropped, spaces and case folded.

    Examples:
        >>> text_key("Give it a try! https://t.co/x") == text_key("give it a   try!&nbsp;")
        True
    """
    return " ".join(_LINKS.sub(" ", html.unescape(text)).split()).casefold()


def split_of(text: str) -> str:
    """The stable split of a text: a hash of its :func:`text_key`, so copies share a split.

    Examples:
        >>> split_of("Give it a try!") == split_of("give it a try! https://t.co/x")
        True
    """
    key = text_key(text)
    u = int(hashlib.sha1(key.encode("utf-8")).hexdigest()[:8], 16) / 0xFFFFFFFF
    acc = 0.0
    for name, share in SPLITS:
        acc += share
        if u < acc:
            return name
    return SPLITS[-1][0]


@dataclass
class Labelled:
    """Labelled posts: texts, label sets and the split of each."""

    texts: list[str]
    labels: list[list[str]]
    splits: list[str]

    def part(self, name: str) -> Labelled:
        keep = [i for i, s in enumerate(self.splits) if s == name]
        return Labelled(
            [self.texts[i] for i in keep], [self.labels[i] for i in keep], [name] * len(keep)
        )

    def matrix(self, names: Sequence[str]) -> np.ndarray:
        return np.array([[n in g for n in names] for g in self.labels], dtype=bool)


def read_corpus(
    path: str | os.PathLike[str], data: str | os.PathLike[str] | None = None
) -> Labelled:
    """Labelled JSONL: ``{"text": ..., "labels": [...], "split": optional}`` a line.

    A line may hold a ``pointer`` instead of its ``text`` (see :mod:`socialscan.claims.corpus`),
    resolved in the directory ``data``. A line without a ``split`` (``train``, ``dev`` or
    ``test``) gets :func:`split_of` its text.

    Raises:
        InputNotFound: no such file.
        MalformedInput: a line that is not such an object, or no line at all.
    """
    import orjson

    from ..errors import InputNotFound

    p = Path(path)
    if not p.is_file():
        raise InputNotFound(f"{p}: no such file")
    rows = []
    for n, line in enumerate(p.read_bytes().splitlines(), 1):
        if not line.strip():
            continue
        try:
            o = orjson.loads(line)
        except orjson.JSONDecodeError:
            raise MalformedInput(f"{p}:{n}: not JSON") from None
        if (
            not isinstance(o, dict)
            or not (isinstance(o.get("text"), str) or isinstance(o.get("pointer"), str))
            or not isinstance(o.get("labels"), list)
        ):
            raise MalformedInput(f'{p}:{n}: expected {{"text": "...", "labels": [...]}}')
        rows.append(o)
    pointers = [o["pointer"] for o in rows if not isinstance(o.get("text"), str)]
    if pointers and data is None:
        raise MalformedInput(
            f"{p}: {len(pointers)} lines hold pointers, not text: say where the data is (--data DIR)"
        )
    from .corpus import resolve_pointers

    resolved = resolve_pointers(pointers, data) if pointers else {}
    texts, labels, splits = [], [], []
    for o in rows:
        texts.append(o["text"] if isinstance(o.get("text"), str) else resolved[o["pointer"]])
        labels.append(sorted({str(x) for x in o["labels"]}))
        s = o.get("split")
        splits.append(s if s in ("train", "dev", "test") else split_of(texts[-1]))
    if not texts:
        raise MalformedInput(f"{p}: no labelled lines")
    return Labelled(texts, labels, splits)


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
) -> Fitted:
    """Like :func:`fit_head`, on one pool of posts (train and dev together): C chosen per label
    by the average precision of out-of-fold scores, Platt scaling and thresholds fitted on those
    out-of-fold scores, then the head refitted on every post. More posts to learn from than a
    fixed dev split, and calibration on scores of posts the head had not seen.

    ``always``: rows in every fold's training part and in no fold's scores (sentences written
    for the labels: no real post's distribution to calibrate on)."""
    from sklearn.linear_model import LogisticRegression
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
    for j in range(n_labels):
        yj = y[:, j]
        if yj.min() == yj.max():
            b[j] = 6.0 if yj.all() else -6.0
            cs.append(0.0)
            aps.append(float("nan"))
            continue
        best = None
        for c in c_grid:
            oof = np.zeros(n, np.float64)
            for k in range(folds):
                tr, te = fold_of != k, fold_of == k
                if yj[tr].min() == yj[tr].max():
                    oof[te] = 0.0
                    continue
                lr = LogisticRegression(C=c, max_iter=3000, class_weight="balanced")
                oof[te] = lr.fit(x[tr], yj[tr]).decision_function(x[te])
            score = average_precision_score(yj[scored], oof[scored])
            if best is None or score > best[0] + 1e-9:
                best = (score, c, oof)
        ap, c, oof = best
        aps.append(float(ap))
        lr = LogisticRegression(C=c, max_iter=3000, class_weight="balanced").fit(x, yj)
        w[j], b[j] = lr.coef_[0], lr.intercept_[0]
        cs.append(float(c))
        oof, yj = oof[scored], yj[scored]
        a_cal[j], b_cal[j] = _platt(oof, yj)
        p = 1.0 / (1.0 + np.exp(-np.clip(a_cal[j] * oof + b_cal[j], -30, 30)))
        thr[j] = best_threshold(p, yj)
    return Fitted(w, b, a_cal.astype(np.float32), b_cal.astype(np.float32), thr, cs, aps)


def taxonomy_examples(labels: Sequence[str], taxonomy=None) -> tuple[list[str], list[list[str]]]:
    """The taxonomy's example sentences of these labels (each a positive of its label) and its
    background sentences (negatives): the guide's own words as training posts.

    Real posts are few for a rare label (privacy statements: about 1 in 400 ChatGPT-era
    tweets), and the canonical statements of the guide may never occur among them; as training
    posts they teach the model the label's vocabulary without moving its held-out scores.

    Examples:
        >>> texts, labels = taxonomy_examples(["privacy_statement"])
        >>> len(texts) > 20 and ["privacy_statement"] in labels and [] in labels
        True
    """
    from .taxonomy import Taxonomy, load_taxonomy

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
    from .model import post_features

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

    from .model import _Sparse, readable

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
        sparse_spec=_Sparse.fit(readable(train_texts), chars=chars) if ngrams else None,
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
    v = sum(m._sparse_part().sizes) if ngrams else 0
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


# -- scores and the report ---------------------------------------------------------------------


@dataclass
class TrainReport:
    """What ``socialscan train claims`` prints: before / after, the learning curve, warnings."""

    labels: list[str]
    sizes: dict[str, int]
    positives: dict[str, dict[str, int]]
    zero_shot: object  # ClaimScores
    trained: object  # ClaimScores
    train_scores: object  # ClaimScores on the training split
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


def train_claims_model(
    labelled: str | os.PathLike[str],
    output: str | os.PathLike[str],
    *,
    taxonomy=None,
    curve: bool = True,
    progress=None,
    data: str | os.PathLike[str] | None = None,
) -> TrainReport:
    """Train a claims model for the labels of a labelled file, score it and save it.

    Args:
        labelled: JSONL, ``{"text": ..., "labels": [...]}`` a line (``split`` optional).
        output: Directory for the model (``--model DIR`` on ``tag``, ``scan``, ``report``).
        taxonomy: The zero-shot scorer's taxonomy for the side-by-side scores (default: the
            shipped one, extended by a user file).
        curve: Also fit on 25 / 50 / 100% of the training posts and score each on test.
        progress: Optional callable taking a message, for long steps.
        data: Where the corpus's pointers point (see :mod:`socialscan.claims.corpus`).

    Returns:
        The :class:`TrainReport`; the model is in ``output``.

    Examples:
        >>> r = train_claims_model("labelled.jsonl", "my-model/")  # doctest: +SKIP
        >>> print(r.text())  # doctest: +SKIP
    """
    from ..evaluation.claims import score_labels
    from ..export.atomic import atomic_directory

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
    from ..evaluation.claims import score_labels
    from . import get_tagger

    tagger = get_tagger(taxonomy, model=None)
    known = [lab for lab in labels if lab in tagger.labels]
    p = tagger.post_scores(te.texts) if known else np.zeros((len(te.texts), 0))
    idx = [tagger.labels.index(lab) for lab in known]
    pred = [[known[k] for k, j in enumerate(idx) if row[j] >= tagger.threshold] for row in p]
    return score_labels(pred, te.labels, labels)
