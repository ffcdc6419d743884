"""An optional supervised head: one logistic regression per label, saved as JSON (no pickle).

Features of a sentence (or, in training, of a whole post): its embedding, and per taxonomy
label the capped cue sum, the similarity to the nearest example and the margin over the
nearest background sentence. Logistic regression outputs are probabilities already; the
regularisation is fixed (C=1) and classes are not reweighted, so 0.5 stays even odds.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import orjson

from ..errors import InvalidOption, MalformedInput
from ..export import atomic_output

HEAD_FILE = "claims_head.json"


def _matrix(labels: list[str], f) -> np.ndarray:
    margin = f.sim - f.background[:, None]
    return np.hstack([f.emb, f.cue, f.sim, margin]).astype(np.float32)


@dataclass
class ClaimHead:
    """Per-label logistic weights over the tagger's features."""

    labels: list[str]
    feature_labels: list[str]
    embedder: str
    coef: np.ndarray  # (L, F)
    intercept: np.ndarray  # (L,)

    def apply(self, tagger_labels: list[str], f, fallback: np.ndarray) -> np.ndarray:
        """Scores for the labels this head knows; ``fallback`` for the others."""
        if list(tagger_labels) != self.feature_labels:
            raise InvalidOption("the claims head was trained with a different taxonomy")
        x = _matrix(tagger_labels, f)
        if x.shape[1] != self.coef.shape[1]:
            raise InvalidOption("the claims head was trained with a different embedder")
        z = x @ self.coef.T + self.intercept
        p = fallback.copy()
        probs = 1.0 / (1.0 + np.exp(-np.clip(z, -30, 30)))
        for j, name in enumerate(self.labels):
            p[:, tagger_labels.index(name)] = probs[:, j]
        return p

    def save(self, directory: str | os.PathLike[str]) -> Path:
        """Write ``claims_head.json`` into ``directory`` (created if needed)."""
        d = Path(directory)
        d.mkdir(parents=True, exist_ok=True)
        data = {
            "format": "socialscan-claims-head/1",
            "labels": self.labels,
            "feature_labels": self.feature_labels,
            "embedder": self.embedder,
            "coef": self.coef.round(6).tolist(),
            "intercept": self.intercept.round(6).tolist(),
        }
        path = d / HEAD_FILE
        with atomic_output(path, "wb") as fh:
            fh.write(orjson.dumps(data))
        return path

    @classmethod
    def load(cls, directory: str | os.PathLike[str]) -> ClaimHead:
        """Read a head written by :meth:`save` (a directory or the JSON file itself)."""
        p = Path(directory)
        if p.is_dir():
            p = p / HEAD_FILE
        if not p.is_file():
            raise MalformedInput(f"{p}: no claims head here (run `socialscan train claims`)")
        try:
            d = orjson.loads(p.read_bytes())
            return cls(
                list(d["labels"]),
                list(d["feature_labels"]),
                str(d["embedder"]),
                np.asarray(d["coef"], dtype=np.float32),
                np.asarray(d["intercept"], dtype=np.float32),
            )
        except (orjson.JSONDecodeError, KeyError, TypeError, ValueError):
            raise MalformedInput(f"{p}: not a socialscan claims head") from None


def read_labelled(path: str | os.PathLike[str]) -> tuple[list[str], list[list[str]]]:
    """Texts and label lists from JSONL lines ``{"text": ..., "labels": [...]}``."""
    from ..errors import InputNotFound

    p = Path(path)
    if not p.is_file():
        raise InputNotFound(f"{p}: no such file")
    texts, labels = [], []
    for n, line in enumerate(p.read_bytes().splitlines(), 1):
        if not line.strip():
            continue
        try:
            o = orjson.loads(line)
        except orjson.JSONDecodeError:
            raise MalformedInput(f"{p}:{n}: not JSON") from None
        if (
            not isinstance(o, dict)
            or not isinstance(o.get("text"), str)
            or not isinstance(o.get("labels"), list)
        ):
            raise MalformedInput(f'{p}:{n}: expected {{"text": "...", "labels": [...]}}')
        texts.append(o["text"])
        labels.append([str(x) for x in o["labels"]])
    if not texts:
        raise MalformedInput(f"{p}: no labelled lines")
    return texts, labels


def train_head(
    labelled: str | os.PathLike[str], output: str | os.PathLike[str], tagger
) -> ClaimHead:
    """Fit one logistic regression per label that has positives and negatives; save to ``output``."""
    from sklearn.linear_model import LogisticRegression

    texts, gold = read_labelled(labelled)
    f = tagger.post_features(texts)
    x = _matrix(tagger.labels, f)
    names, coefs, intercepts = [], [], []
    for name in tagger.labels:
        y = np.array([name in g for g in gold], dtype=np.int64)
        if y.min() == y.max():
            continue
        clf = LogisticRegression(C=1.0, max_iter=2000)
        clf.fit(x, y)
        names.append(name)
        coefs.append(clf.coef_[0])
        intercepts.append(clf.intercept_[0])
    if not names:
        raise MalformedInput(
            f"{labelled}: no taxonomy label has both positive and negative examples"
        )
    head = ClaimHead(
        names,
        list(tagger.labels),
        getattr(tagger.embedder, "name", "custom"),
        np.vstack(coefs).astype(np.float32),
        np.asarray(intercepts, dtype=np.float32),
    )
    head.save(output)
    return head
