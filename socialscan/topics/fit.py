"""``fit_topics``: BERTopic over posts with parts sized to the corpus."""

from __future__ import annotations

import contextlib
import sys
import threading
from typing import Any

import numpy as np

from ..errors import InvalidOption, TooFewPosts
from .cluster import cluster
from .documents import document_text, texts_of, thread_groups
from .embedders import resolve_embedder
from .result import TopicResult
from .sampled import SMALL_PROBLEM, fit_on_sample, sample_documents
from .table import build_table

#: Fewest documents (after joining threads) topics are modelled on: one or two documents are
#: not themes, and k-means, PCA and c-TF-IDF have nothing to compare them with.
MIN_DOCUMENTS = 3


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


def _import_in_background() -> threading.Thread | None:
    """Import scikit-learn's clustering parts and BERTopic on another thread, or ``None``.

    Imports take seconds on one core; the transformer embedders keep both busy but leave
    gaps, so importing while they embed shortens a fresh run. Errors are left for the main
    thread's own import to raise.
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
        embedder: ``auto`` (default: ``minilm-onnx`` up to :data:`~socialscan.topics.embedders.AUTO_MINILM_MAX` posts, else
            ``static``), ``static`` (fastest), ``minilm-onnx`` (int8 MiniLM in ONNX Runtime,
            no torch), ``minilm-q8`` (int8 MiniLM in torch),
            ``minilm`` (float MiniLM, slowest), ``hashing`` (tests) or any object with
            ``name``, ``dim`` and ``embed(texts)`` (and ``contextual = True`` for transformer
            vectors, whose number of topics silhouette may pick; see ``nr_topics``).
        min_topic_size: Smallest topic; smaller clusters become outliers (-1)
            [default: 1 under 20 posts, 2 under 100, 5 under 1,000, else 10].
        nr_topics: Number of topics; ``None``: a cap by corpus size (about sqrt(n) up to 100
            posts, 10 up to 3,600, then sqrt(n)/6, at most 30), and above 100 posts with a
            transformer embedder the best silhouette between half that cap and the cap;
            ``"auto"``: best silhouette from 2 to 30.

            Why: transformer vectors have real cluster structure, so silhouette finds a number
            of topics near the true one. Static vectors do not: their silhouette prefers a
            meaningless 2-way split and loses to the cap even within the window, so they keep
            the cap (figures in ``bench/``).
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
    sample = (
        None if corpus_size is not None else sample_documents(data, rows, groups, texts, X, emb)
    )
    if sample is None:
        # Up to SMALL_PROBLEM rows, PCA, k-means and c-TF-IDF take well under a second on one
        # thread; BLAS/OpenMP threads gain little there on an idle machine and cost seconds on
        # a busy one.
        with threadpool_limits(1 if n <= SMALL_PROBLEM else None):
            topics, model, reducer = cluster(
                texts, emb, X, n, settings, nr_topics, auto, seed, size
            )
        topics_arr = np.asarray(topics, dtype=int)
        reps = _representatives(X, topics_arr, texts)
    else:  # terms and representatives from the sample, sizes from every record
        topics_arr, model, reducer, own = fit_on_sample(
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
