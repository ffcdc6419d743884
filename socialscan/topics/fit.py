"""``fit_topics``: BERTopic over posts with parts sized to the corpus."""

from __future__ import annotations

import contextlib
import os
import sys
import threading
from typing import Any

import numpy as np

from ..errors import InvalidOption, TooFewPosts
from .result import TopicResult, build_table, document_text, texts_of, thread_groups

#: ``embedder="auto"`` uses int8 MiniLM (ONNX Runtime) up to this many posts and the static
#: model beyond. Measured on TweetEval stance (``bench/results_topics.md``): NMI ~0.44 against
#: ~0.25 for a few seconds more at 4,163 posts; int8 MiniLM embeds ~500-600 posts/s on 2 cores,
#: so 10,000 posts cost ~20 s, while the static model stays near 20,000 posts/s at any size.
AUTO_MINILM_MAX = 10_000
#: Fewest documents (after joining threads) topics are modelled on: one or two documents are
#: not themes, and k-means, PCA and c-TF-IDF have nothing to compare them with.
MIN_DOCUMENTS = 3


def resolve_embedder(embedder: Any = "auto", cache: bool = True, n: int = 0):
    """An embedder object from a name or an object.

    Names: ``auto`` (``minilm-onnx`` for ``n`` up to :data:`AUTO_MINILM_MAX` posts, else
    ``static``), ``static``, ``minilm``, ``minilm-q8``, ``minilm-onnx`` or ``hashing``.

    Examples:
        >>> resolve_embedder("auto", cache=False, n=50_000).name
        'static'
    """
    from ..embed.base import get_embedder
    from ..embed.cache import CachedEmbedder

    if embedder == "auto":
        embedder = "minilm-onnx" if n <= AUTO_MINILM_MAX else "static"
    if isinstance(embedder, str):
        if embedder.startswith("minilm"):
            os.environ.setdefault("HF_HUB_OFFLINE", "1")
        embedder = get_embedder(embedder)
    if cache and not isinstance(embedder, CachedEmbedder):
        embedder = CachedEmbedder(embedder)
    return embedder


def _coords(X: np.ndarray, seed: int) -> np.ndarray:
    n = len(X)
    if n < 3:
        return (
            np.zeros((n, 2), dtype=np.float32)
            if n != 2
            else np.array([[-1, 0], [1, 0]], np.float32)
        )
    from sklearn.decomposition import PCA

    xy = PCA(2, random_state=seed).fit_transform(X).astype(np.float32)
    return xy if xy.shape[1] == 2 else np.hstack([xy, np.zeros((n, 2 - xy.shape[1]), np.float32)])


def _representatives(
    X: np.ndarray, topics: np.ndarray, texts: list[str], n: int = 3
) -> dict[int, list[str]]:
    """The ``n`` posts closest to each topic's centroid (deterministic, distinct texts)."""
    out: dict[int, list[str]] = {}
    for t in np.unique(topics):
        idx = np.flatnonzero(topics == t)
        c = X[idx].mean(0)
        order = idx[np.argsort(-(X[idx] @ c), kind="stable")]
        seen: list[str] = []
        for i in order:
            if texts[i] not in seen:
                seen.append(texts[i])
            if len(seen) == n:
                break
        out[int(t)] = seen
    return out


#: Rows up to which the clustering runs on one BLAS/OpenMP thread (see :func:`fit_topics`).
SMALL_PROBLEM = 20_000


def _import_in_background() -> threading.Thread | None:
    """Import scikit-learn's clustering parts and BERTopic on another thread, or ``None``.

    Imports (~2.5-3 s on 2 cores) run on one core; the transformer embedders keep both busy
    but leave gaps, so importing while they embed saved ~1.5 s of a fresh 4,163-post run
    (``bench/results_topics.md``). Errors are left for the main thread's own import to raise.
    """
    if "bertopic" in sys.modules:
        return None

    def work() -> None:
        try:
            import sklearn.cluster  # noqa: F401
            import sklearn.decomposition  # noqa: F401
            import sklearn.feature_extraction.text  # noqa: F401
            import sklearn.metrics  # noqa: F401

            from .engine import import_bertopic

            import_bertopic()
        except Exception:  # noqa: BLE001 - the main thread imports again and reports it
            pass

    thread = threading.Thread(target=work, name="socialscan-imports", daemon=True)
    thread.start()
    return thread


def _cluster(
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


def _sample(
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


def _fit_on_sample(sample, X, emb, settings, nr_topics, auto, seed, size):
    """BERTopic fitted on a large corpus's sample, as ``--engine dask`` fits it, and every
    document's topic: a sample document's own, every other the nearest centroid's
    (:func:`~socialscan.topics.result.assign_vectors`, the rule the saved model assigns by).
    So the clustering, the topic ids and the terms (c-TF-IDF counted on the sample's posts)
    are one process's and the cluster's alike: ``(topics, model, reducer, sample topics)``."""
    from threadpoolctl import threadpool_limits

    from .result import assign_vectors, assignment_arrays

    texts, vectors, same = sample
    with threadpool_limits(1 if len(texts) <= SMALL_PROBLEM else None):
        own, model, reducer = _cluster(
            texts, emb, vectors, len(texts), settings, nr_topics, auto, seed, size
        )
    own = np.asarray(own, dtype=int)
    parts = assignment_arrays(model)
    topics = np.full(len(X), -1) if parts is None else assign_vectors(parts, X).astype(int)
    for doc, i in same.items():
        topics[doc] = own[i]
    return topics, model, reducer, own


def fit_topics(
    data: Any,
    *,
    embedder: Any = "auto",
    min_topic_size: int | None = None,
    nr_topics: int | str | None = None,
    seed: int = 42,
    cache: bool = True,
    corpus_size: int | None = None,
) -> TopicResult:
    """Find what posts talk about: BERTopic with PCA + k-means and c-TF-IDF terms.

    Args:
        data: A list of :class:`~socialscan.records.Post`, a DataFrame from
            :func:`socialscan.to_frame` (column ``text``), or a list of strings. Consecutive
            records sharing a ``thread_id`` (a long post the parser cut into records, a
            numbered thread) are modelled as one document: they get its topic and point.
        embedder: ``auto`` (default: ``minilm-onnx`` up to :data:`AUTO_MINILM_MAX` posts, else
            ``static``), ``static`` (fastest), ``minilm-onnx`` (int8 MiniLM in ONNX Runtime,
            no torch), ``minilm-q8`` (int8 MiniLM in torch, ~500 posts/s),
            ``minilm`` (float MiniLM, ~300 posts/s), ``hashing`` (tests) or any object with
            ``name``, ``dim`` and ``embed(texts)`` (and ``contextual = True`` for transformer
            vectors, whose number of topics silhouette may pick; see ``nr_topics``).
        min_topic_size: Smallest topic; smaller clusters become outliers (-1)
            [default: 1 under 20 posts, 2 under 100, 5 under 1,000, else 10].
        nr_topics: Number of topics; ``None``: a cap by corpus size (about sqrt(n) up to 100
            posts, 10 up to 3,600, then sqrt(n)/6, at most 30), and above 100 posts with a
            transformer embedder the best silhouette between half that cap and the cap;
            ``"auto"``: best silhouette from 2 to 30.

            Why: transformer vectors have real cluster structure (silhouette peaks at 6 on
            TweetEval stance, 5 targets: NMI 0.44 vs 0.39 at the cap of 11; on TweetEval emotion
            and sentiment it lands within 0.01 of the cap's NMI). Static vectors do not: their
            silhouette prefers a meaningless 2-way split (emotion: NMI 0.002), and even within
            the window it lost to the cap on emotion (0.04 vs 0.07), so they keep the cap.
        seed: Random seed: the same seed and input give the same topics.
        cache: Keep embeddings in the on-disk cache (see :mod:`socialscan.embed.cache`).
        corpus_size: Records in the whole corpus when ``data`` is a sample of it (``--engine
            dask`` fits on a sample): the embedder, the number of topics and the smallest topic
            are then chosen for the whole, as one process fitting all of it would choose them.

    Returns:
        A :class:`TopicResult`.

    Raises:
        InvalidOption: ``nr_topics`` or ``min_topic_size`` below 1, or an unknown embedder.
        TooFewPosts: fewer than :data:`MIN_DOCUMENTS` documents once threads are joined.

    Examples:
        >>> posts = ["fine tuning LLMs", "fine tuning a model", "my running shoes", "new running shoes"]
        >>> result = fit_topics(posts, embedder="hashing", nr_topics=2, cache=False)
        >>> result.topics[0] == result.topics[1], result.topics[2] == result.topics[3]
        (True, True)
    """
    auto = nr_topics == "auto"
    if isinstance(nr_topics, str):
        if not auto:
            try:
                nr_topics = int(nr_topics)
            except ValueError:
                raise InvalidOption(
                    f"nr_topics must be a number or 'auto', not {nr_topics!r}"
                ) from None
        else:
            nr_topics = None
    if nr_topics is not None and nr_topics < 1:
        raise InvalidOption(f"nr_topics must be at least 1, not {nr_topics}")
    if min_topic_size is not None and min_topic_size < 1:
        raise InvalidOption(f"min_topic_size must be at least 1, not {min_topic_size}")

    if not (hasattr(data, "columns") or isinstance(data, str | list)):
        with contextlib.suppress(TypeError):  # (texts_of says what is wrong)
            data = list(data)  # read twice: texts and thread ids
    rows = texts_of(data)
    # a thread (a long post cut into records, a numbered thread) is one document: its records
    # share its topic and its place on the map
    groups = thread_groups(data)
    # one huge post costs at most ANALYSED_CHARS (records.analysed)
    texts = [document_text([rows[i] for i in g]) for g in groups or [[i] for i in range(len(rows))]]
    n = len(texts)
    if n < MIN_DOCUMENTS:
        raise TooFewPosts(f"too few posts for topics: {n} (topics need at least {MIN_DOCUMENTS})")
    # documents the fit stands for: a sample stands for the whole corpus, threads joined alike
    size = n if corpus_size is None else max(n, round(corpus_size * n / max(1, len(rows))))
    emb = resolve_embedder(embedder, cache, n=size)
    name = getattr(emb, "name", type(emb).__name__)

    from threadpoolctl import threadpool_limits

    from .engine import settings_for
    from .text import embed_posts

    settings = settings_for(size, min_topic_size)
    warm = _import_in_background()
    X = np.asarray(embed_posts(emb, texts), dtype=np.float32)
    if warm is not None:
        warm.join()
    sample = None if corpus_size is not None else _sample(data, rows, groups, texts, X, emb)
    if sample is None:
        # Up to SMALL_PROBLEM rows, PCA, k-means and c-TF-IDF take well under a second on one
        # thread; BLAS/OpenMP threads gain little there on an idle machine and cost seconds on
        # a busy one (a 384x384 eigh: 0.03 s on one thread, 2.4 s on two at load 4.5).
        with threadpool_limits(1 if n <= SMALL_PROBLEM else None):
            topics, model, reducer = _cluster(
                texts, emb, X, n, settings, nr_topics, auto, seed, size
            )
        topics_arr = np.asarray(topics, dtype=int)
        reps = _representatives(X, topics_arr, texts)
    else:  # terms and representatives from the sample, sizes from every record
        topics_arr, model, reducer, own = _fit_on_sample(
            sample, X, emb, settings, nr_topics, auto, seed, size
        )
        reps = _representatives(sample[1], own, sample[0])
    terms: dict[int, list[str]] = {}
    if model is not None:
        for t in sorted(set(topics_arr.tolist())):
            words = model.get_topic(t) or []
            terms[t] = [w for w, _ in words if w][:10]
    coords = reducer.map_2d(X) if reducer is not None else _coords(X, seed)
    if groups is not None:  # back to one row per record
        of_row = np.empty(len(rows), dtype=int)
        for j, g in enumerate(groups):
            of_row[g] = j
        topics_arr, coords = topics_arr[of_row], np.asarray(coords)[of_row]
    table = build_table(terms, topics_arr.tolist(), reps)
    label_of = dict(zip(table["topic"], table["label"], strict=True))
    return TopicResult(
        topics=topics_arr.tolist(),
        labels=[label_of[t] for t in topics_arr.tolist()],
        table=table,
        coords=coords,
        model=model,
        embedder_name=name,
        embedder=emb,
    )
