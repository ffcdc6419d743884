"""Topics of a corpus larger than the sample (:mod:`~socialscan.topics.sample`): BERTopic fitted
on the sample's documents, as ``--engine dask`` fits them, every other document assigned to its
nearest topic."""

from __future__ import annotations

import numpy as np

from .assign import assign_vectors, assignment_arrays
from .cluster import cluster
from .documents import document_text

#: Rows up to which the clustering runs on one BLAS/OpenMP thread (see :func:`fit_topics`).
SMALL_PROBLEM = 20_000


def sample_documents(
    data, rows, groups, texts, X, emb
) -> tuple[list[str], np.ndarray, dict[int, int]] | None:
    """What a large corpus is fitted on: ``(texts, vectors, {document: sample document})``.

    The sample is :func:`~socialscan.topics.sample.sampled_rows`' records, as ``--engine
    dask`` fits them: in input order, a thread's sampled records joined as one document (the
    whole thread only when all of it was drawn). Documents equal to a sample document are
    mapped to it (they keep its topic); ``None`` for a corpus within the sample size.
    """
    from .sample import sampled_rows
    from .text import embed_posts

    drawn = sampled_rows(data, len(rows))
    if drawn is None:
        return None
    groups = groups or [[r] for r in range(len(rows))]
    doc_of = {r: j for j, g in enumerate(groups) for r in g}
    parts: list[list[int]] = []  # the sample's documents, as rows
    for r in drawn:
        if parts and doc_of[parts[-1][-1]] == doc_of[r] and len(groups[doc_of[r]]) > 1:
            parts[-1].append(r)
        else:
            parts.append([r])
    same = {doc_of[p[0]]: i for i, p in enumerate(parts) if groups[doc_of[p[0]]] == p}
    vectors = np.empty((len(parts), X.shape[1]), dtype=np.float32)
    partial = [i for i, p in enumerate(parts) if groups[doc_of[p[0]]] != p]
    for doc, i in same.items():
        vectors[i] = X[doc]
    sample_texts = [texts[doc_of[p[0]]] for p in parts]
    if partial:
        joined = [document_text([rows[r] for r in p]) for p in (parts[i] for i in partial)]
        vectors[partial] = np.asarray(embed_posts(emb, joined), dtype=np.float32)
        for i, t in zip(partial, joined, strict=True):
            sample_texts[i] = t
    return sample_texts, vectors, same


def fit_on_sample(sample, X, emb, settings, nr_topics, auto, seed, size):
    """BERTopic fitted on a large corpus's sample, as ``--engine dask`` fits it, and every
    document's topic: a sample document's own, every other the nearest centroid's
    (:func:`~socialscan.topics.result.assign_vectors`, the rule the saved model assigns by).
    So the clustering, the topic ids and the terms (c-TF-IDF counted on the sample's posts)
    are one process's and the cluster's alike: ``(topics, model, reducer, sample topics)``."""
    from threadpoolctl import threadpool_limits

    texts, vectors, same = sample
    with threadpool_limits(1 if len(texts) <= SMALL_PROBLEM else None):
        own, model, reducer = cluster(
            texts, emb, vectors, len(texts), settings, nr_topics, auto, seed, size
        )
    own = np.asarray(own, dtype=int)
    parts = assignment_arrays(model)
    topics = np.full(len(X), -1) if parts is None else assign_vectors(parts, X).astype(int)
    for doc, i in same.items():
        topics[doc] = own[i]
    return topics, model, reducer, own
