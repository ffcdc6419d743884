"""Word and character n-gram TF-IDF of a claims model, rebuilt from a stored vocabulary."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np


class Ngrams:
    """Word and character n-gram TF-IDF, rebuilt from a stored vocabulary (no pickle)."""

    def __init__(self, spec: dict[str, Any]):
        from sklearn.feature_extraction.text import TfidfVectorizer

        self.spec = spec
        self.parts = []
        for name in ("word", "char"):
            p = spec.get(name)
            if not p:
                continue
            v = TfidfVectorizer(
                analyzer="word" if name == "word" else "char_wb",
                ngram_range=tuple(p["ngram_range"]),
                sublinear_tf=True,
                lowercase=True,
                vocabulary=p["vocabulary"],
                dtype=np.float32,
            )
            v.idf_ = np.asarray(p["idf"], dtype=np.float64)
            self.parts.append((name, v))
        self.sizes = [len(v.vocabulary) for _, v in self.parts]
        self.analyze = None  # the word analyzer, built on first use
        word = spec.get("word")
        self.word_terms = {i: t for t, i in word["vocabulary"].items()} if word else {}

    def transform(self, texts: Sequence[str]):
        from scipy.sparse import hstack

        mats = [v.transform(texts) for _, v in self.parts]
        return hstack(mats, format="csr", dtype=np.float32) if len(mats) > 1 else mats[0].tocsr()

    @staticmethod
    def fit(texts: Sequence[str], min_df: int = 2, chars: bool = False) -> dict[str, Any]:
        """A vocabulary spec fitted on training texts: words and word pairs, and with ``chars``
        character 2-5-grams (slower; ``bench/`` compares them)."""
        from sklearn.feature_extraction.text import TfidfVectorizer

        spec: dict[str, Any] = {}
        kinds = [("word", "word", (1, 2), min_df)]
        if chars:
            kinds.append(("char", "char_wb", (2, 5), min_df + 1))
        for name, analyzer, rng, df in kinds:
            v = TfidfVectorizer(
                analyzer=analyzer, ngram_range=rng, min_df=df, sublinear_tf=True, lowercase=True
            )
            try:
                v.fit(texts)
            except ValueError:  # too few texts for min_df: keep every n-gram
                v = TfidfVectorizer(analyzer=analyzer, ngram_range=rng, sublinear_tf=True)
                v.fit(texts)
            spec[name] = {
                "ngram_range": list(rng),
                "vocabulary": {t: int(i) for t, i in v.vocabulary_.items()},
                "idf": [round(float(x), 5) for x in v.idf_],
            }
        return spec
