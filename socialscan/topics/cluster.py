"""One BERTopic fit: PCA, the number of topics, k-means and c-TF-IDF terms over documents."""

from __future__ import annotations

from typing import Any

import numpy as np


def cluster(
    texts: list[str],
    emb: Any,
    X: np.ndarray,
    n: int,
    settings: Any,
    nr_topics: int | None,
    auto: bool,
    seed: int,
    size: int,
) -> tuple[list[int], Any, Any]:
    """PCA, the number of topics (for a corpus of ``size`` documents), and BERTopic's fit:
    ``(topics, model, reducer)``."""
    from ..text.body import mask
    from .engine import (
        NormalizedPCA,
        SizedKMeans,
        backend_for,
        choose_k,
        class_tfidf,
        default_k,
        import_bertopic,
    )
    from .terms import distinct_terms_model
    from .text import DOC_END, make_vectorizer

    reducer = None
    Z = X
    if settings.n_components is not None:
        reducer = NormalizedPCA(min(settings.n_components, n - 1, X.shape[1]), random_state=seed)
        Z = reducer.fit_transform(X)
    if isinstance(nr_topics, int):
        k = nr_topics
    elif auto:
        k = choose_k(Z, settings.k_max, seed=seed)
    else:
        k = default_k(size, settings.k_max)
        if reducer is not None and getattr(emb, "contextual", False):
            k = choose_k(Z, k, seed=seed, k_min=(k + 1) // 2)
    k = max(1, min(k, n))
    min_size = 1 if isinstance(nr_topics, int) else settings.min_topic_size

    BERTopic = import_bertopic()
    from bertopic.dimensionality import BaseDimensionalityReduction

    # terms stay inside one post (see DOC_END); BERTopic turns line breaks into spaces before
    # the analyzer sees them, so a copied post's header and counts are blanked here
    marked = [mask(t) + DOC_END for t in texts]

    def build(loose: bool):
        model = BERTopic(
            embedding_model=backend_for(emb),
            umap_model=reducer if reducer is not None else BaseDimensionalityReduction(),
            hdbscan_model=SizedKMeans(k, min_size=min_size, random_state=seed),
            vectorizer_model=make_vectorizer(n, loose=loose),
            ctfidf_model=class_tfidf(reduce_frequent_words=True),
            representation_model=distinct_terms_model(10),
            min_topic_size=min_size,
            top_n_words=10,
            calculate_probabilities=False,
        )
        topics, _ = model.fit_transform(marked, embeddings=X)
        return model, topics

    try:
        model, topics = build(loose=False)
    except ValueError as e:  # no ordinary words at all (emoji-only, stop words only)
        if "vocabulary" not in str(e):
            raise
        try:
            model, topics = build(loose=True)
        except ValueError:
            model, topics = None, [-1] * n
    return topics, model, reducer
