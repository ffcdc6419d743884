"""Claims scored against gold labels: the tagger's post labels, and the zero-shot mapping fitted.

A post is predicted to carry a label as the tagger decides it (the model's threshold for its
labels, the zero-shot scorer's for the others); gold lines are ``{"text": ..., "labels":
[...]}`` (``split`` optional, other keys ignored).
"""

from __future__ import annotations

import os
from collections.abc import Sequence

import numpy as np

from ..claims import get_tagger
from ..claims.corpus import read_corpus
from ..claims.scores import ClaimScores, score_labels
from ..claims.sentences import content_sentences


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
