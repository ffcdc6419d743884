"""BERTopic's parts, chosen for speed on small machines: no UMAP, no HDBSCAN.

UMAP's numba compilation and HDBSCAN's outliers cost most of BERTopic's default run time; PCA
plus k-means with ``k`` picked by silhouette on a sample is fast and puts every post in a topic
(figures in ``bench/``).
"""

from __future__ import annotations

import contextlib
import importlib.abc
import sys
import threading
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

#: Modules BERTopic imports only for optional representations (LLM text generation, spaCy POS),
#: for ``visualize_topics`` (UMAP, with pynndescent and numba), for its legacy pickle format
#: (``torch``; socialscan saves with safetensors only) and for its default clusterer
#: (``hdbscan``; socialscan passes its own, and BERTopic then falls back to scikit-learn's
#: HDBSCAN where it needs one). They are hidden while BERTopic itself is imported, which saves
#: seconds of a cold start. UMAP is put back lazily.
_OPTIONAL_AT_IMPORT = ("transformers", "spacy", "umap", "torch", "hdbscan")


class _Hidden(importlib.abc.MetaPathFinder):
    """An import hook under which some top-level packages look absent (``ModuleNotFoundError``).

    Unlike a ``None`` entry in ``sys.modules``, nothing is left behind: libraries that probe
    ``sys.modules`` (scipy's array API checks look for ``torch`` there) see an ordinary
    not-yet-imported module. Only the thread that set the hook is affected, so BERTopic can
    be imported in the background while the main thread embeds (and imports what it likes).
    """

    def __init__(self, names: Sequence[str]):
        self.names = frozenset(names)
        self.thread = threading.get_ident()  # other threads import as usual meanwhile

    def find_spec(self, fullname, path=None, target=None):
        if threading.get_ident() == self.thread and fullname.partition(".")[0] in self.names:
            raise ModuleNotFoundError(f"No module named {fullname!r}", name=fullname)
        return None


def _lazy_umap(*args, **kwargs):
    """``umap.UMAP(*args, **kwargs)``, imported on first use (for ``visualize_topics``)."""
    from umap import UMAP

    return UMAP(*args, **kwargs)


def import_bertopic():
    """``bertopic.BERTopic``, imported without its optional transformers/spaCy/torch parts.

    BERTopic guards those imports with ``except ImportError``; hiding the modules for the
    duration of its import turns ``TextGeneration``, ``ZeroShotClassification`` and
    ``PartOfSpeech`` into placeholders instead of loading transformers and spaCy, and
    skips torch, which it needs only to save or load ``serialization="pytorch"`` models.
    UMAP is hidden the same way (only ``bertopic.plotting._topics`` imports it at module
    level, under the same guard) and then handed to that module as a constructor that imports
    it on first call, so ``visualize_topics`` still works. Modules already imported are left
    alone; the hook is removed before returning, so later imports of these packages work.
    """
    if "bertopic" in sys.modules:
        from bertopic import BERTopic

        return BERTopic
    with _hiding(_OPTIONAL_AT_IMPORT) as hidden:
        from bertopic import BERTopic
    if "umap" in hidden:
        from bertopic.plotting import _topics

        if not _topics.HAS_UMAP:
            _topics.UMAP, _topics.HAS_UMAP = _lazy_umap, True
    return BERTopic


@contextlib.contextmanager
def _hiding(names: Sequence[str]):
    """Within the block, those of ``names`` not yet imported cannot be imported; yields them."""
    hidden = [m for m in names if m not in sys.modules]
    hook = _Hidden(hidden)
    sys.meta_path.insert(0, hook)
    try:
        yield hidden
    finally:
        sys.meta_path.remove(hook)


def load_bertopic(directory: str, embedding_model):
    """``BERTopic.load(directory, embedding_model=...)``, offline and without torch.

    BERTopic's loader first tries ``SentenceTransformer(<saved model name>)`` whatever
    ``embedding_model`` says, which imports sentence-transformers, transformers and torch
    and, for a name that is not a local path, asks the Hugging Face hub (retrying for a minute
    when the network is closed). Hiding sentence-transformers makes that attempt fail at
    once; the model given here is then set, as BERTopic does after any load.
    """
    BERTopic = import_bertopic()
    with _hiding(("sentence_transformers",)):
        return BERTopic.load(directory, embedding_model=embedding_model)


def backend_for(embedder):
    """Wrap a socialscan embedder as a BERTopic ``BaseEmbedder`` (so BERTopic never downloads)."""
    import_bertopic()
    from bertopic.backend import BaseEmbedder

    from .text import embed_posts

    class SocialscanBackend(BaseEmbedder):
        def __init__(self, inner):
            super().__init__()
            self.inner = inner
            self.embedding_model = inner

        def embed(self, documents: Sequence[str], verbose: bool = False) -> np.ndarray:
            return embed_posts(self.inner, list(documents))

    return SocialscanBackend(embedder)


class SizedKMeans:
    """k-means whose clusters smaller than ``min_size`` become outliers (-1).

    ``predict`` assigns new points to the nearest kept centroid. Deterministic for a seed.
    (A large corpus is fitted on its sample and its other posts predicted: see
    :mod:`~socialscan.topics.sample`.)
    """

    def __init__(self, n_clusters: int, min_size: int = 1, random_state: int = 42):
        self.n_clusters = n_clusters
        self.min_size = min_size
        self.random_state = random_state

    def fit(self, X: np.ndarray, y=None) -> SizedKMeans:
        from sklearn.cluster import KMeans, MiniBatchKMeans

        X = np.asarray(X, dtype=np.float32)
        k = max(1, min(self.n_clusters, len(X)))
        if len(X) > 20_000:
            km = MiniBatchKMeans(k, batch_size=4096, n_init=3, random_state=self.random_state)
        else:
            km = KMeans(k, n_init=4, random_state=self.random_state)
        labels = km.fit_predict(X)
        sizes = np.bincount(labels, minlength=k)
        keep = np.flatnonzero(sizes >= self.min_size)
        if len(keep) == 0:  # nothing is big enough: one topic beats all outliers
            keep = np.array([int(np.argmax(sizes))])
        remap = np.full(k, -1)
        remap[keep] = np.arange(len(keep))
        self.cluster_centers_ = km.cluster_centers_[keep]
        self.labels_ = remap[labels]
        return self

    def predict(self, X: np.ndarray) -> np.ndarray:
        X = np.asarray(X, dtype=np.float32)
        C = np.asarray(self.cluster_centers_, dtype=np.float32)
        # squared distances without an (n, k, dim) array: |x|^2 is the same for every centroid
        return ((C**2).sum(1)[None, :] - 2 * (X @ C.T)).argmin(1)


def choose_k(X: np.ndarray, k_max: int, seed: int = 42, sample: int = 2000, k_min: int = 2) -> int:
    """The k in ``k_min..k_max`` with the best silhouette on a sample of ``X`` (1 if k_max < 2).

    k-means runs on the sample, one thread (small problems: threads cost more than they save,
    and far more on a busy machine); the sample's distance matrix is computed once for all k.

    Examples:
        >>> rng = np.random.default_rng(0)
        >>> X = np.vstack([rng.normal(c, 0.05, (20, 2)) for c in ((0, 0), (1, 1), (0, 1))])
        >>> choose_k(X, 8)
        3
        >>> choose_k(X, 8, k_min=4) >= 4
        True
    """
    from sklearn.cluster import KMeans
    from sklearn.metrics import pairwise_distances, silhouette_score
    from threadpoolctl import threadpool_limits

    n = len(X)
    k_max = min(k_max, n - 1)
    if k_max < 2:
        return 1
    k_min = max(2, min(k_min, k_max))
    rng = np.random.default_rng(seed)
    S = X[np.sort(rng.choice(n, sample, replace=False))] if n > sample else X
    grid = sorted(
        {k for k in (2, 3, 4, 5, 6, 7, 8, 10, 12, 15, 20, 25, 30) if k_min <= k <= k_max}
        | {k_min, k_max}
    )
    best, best_score = k_min, -np.inf
    with threadpool_limits(1):
        D = pairwise_distances(S)
        for k in grid:
            if k >= len(S):
                break
            labels = KMeans(k, n_init=2, random_state=seed).fit_predict(S)
            if len(np.unique(labels)) < 2:
                continue
            score = silhouette_score(D, labels, metric="precomputed")
            if score > best_score + 1e-9:
                best, best_score = k, score
    return best


def default_k(n: int, k_max: int) -> int:
    """Topics for ``n`` posts when none is asked for: sqrt(n) up to 100, then 10..30.

    Examples:
        >>> default_k(40, 13), default_k(4163, 30), default_k(100_000, 30), default_k(5, 1)
        (6, 11, 30, 1)
    """
    k = round(n**0.5) if n <= 100 else max(10, min(30, round(n**0.5 / 6)))
    return max(1, min(k, k_max))


@dataclass(frozen=True)
class Settings:
    """The parts picked for a corpus of ``n`` documents."""

    n_components: int | None  # PCA size, None: no reduction
    min_topic_size: int
    k_max: int


def settings_for(n: int, min_topic_size: int | None = None) -> Settings:
    """Parts by corpus size: tiny corpora skip reduction and allow small topics.

    Under 20 posts a topic may hold one post: a dump of ten posts on five themes has themes of
    one or two posts, and calling them outliers hides them (the seed's ten records gave one
    topic and two outliers).

    Examples:
        >>> settings_for(40)
        Settings(n_components=None, min_topic_size=2, k_max=13)
        >>> settings_for(10).min_topic_size
        1
        >>> settings_for(100_000).n_components
        48
    """
    if min_topic_size is None:
        min_topic_size = 1 if n < 20 else 2 if n < 100 else 5 if n < 1000 else 10
    k_max = max(1, min(30, n // max(3, min_topic_size)))
    return Settings(
        n_components=None if n <= 100 else 48, min_topic_size=min_topic_size, k_max=k_max
    )


class NormalizedPCA:
    """PCA to ``n_components`` followed by scaling rows to unit length (cosine k-means).

    ``fit_transform`` remembers the array it was last fitted on until it is asked for it once
    more: socialscan reduces the embeddings itself (to choose k) and BERTopic then asks again
    for the same array, which would otherwise fit the PCA twice.
    """

    def __init__(self, n_components: int, random_state: int = 42):
        self.n_components = n_components
        self.random_state = random_state
        self._pending: tuple[np.ndarray, np.ndarray] | None = None

    def fit(self, X: np.ndarray, y=None) -> NormalizedPCA:
        from sklearn.decomposition import PCA

        pca = PCA(self.n_components, random_state=self.random_state).fit(X)
        # kept as plain arrays: the projection is computed here, the same way after a load
        self.mean_ = np.asarray(pca.mean_, dtype=np.float32)
        self.components_ = np.asarray(pca.components_, dtype=np.float32)
        self._pending = None
        return self

    @classmethod
    def from_arrays(cls, mean: np.ndarray, components: np.ndarray) -> NormalizedPCA:
        """A fitted reducer from its saved ``mean_`` and ``components_``."""
        self = cls(len(components))
        self.mean_, self.components_ = mean, components
        return self

    def _project(self, X: np.ndarray, k: int | None = None) -> np.ndarray:
        C = self.components_ if k is None else self.components_[:k]
        return ((np.asarray(X, dtype=np.float32) - self.mean_) @ C.T).astype(np.float32)

    def transform(self, X: np.ndarray) -> np.ndarray:
        Z = self._project(X)
        return Z / np.maximum(np.linalg.norm(Z, axis=1, keepdims=True), 1e-12)

    def fit_transform(self, X: np.ndarray, y=None) -> np.ndarray:
        pending, self._pending = self._pending, None
        if pending is not None and pending[0] is X:
            return pending[1]
        Z = self.fit(X).transform(X)
        self._pending = (X, Z)
        return Z

    def map_2d(self, X: np.ndarray) -> np.ndarray:
        """The first two principal components of ``X`` (the same as a 2-component PCA)."""
        return self._project(X, 2)


def class_tfidf(**kwargs):
    """BERTopic's ``ClassTfidfTransformer``, fitted safely when the vocabulary is one word.

    BERTopic squeezes the column sums to a 0-d array when there is a single term (a one-word
    file, a run of one letter), and ``scipy.sparse.diags`` then fails with "object of type
    'numpy.float64' has no len()". The weighting is the same; only the one-term case is
    computed here.
    """
    import scipy.sparse as sp
    from bertopic.vectorizers import ClassTfidfTransformer

    class _Safe(ClassTfidfTransformer):
        def fit(self, X, multiplier=None):
            if X.shape[1] != 1 or not self.use_idf:
                return super().fit(X, multiplier=multiplier)
            df = float(X.sum())
            avg = int(np.asarray(X.sum(axis=1)).mean())
            if self.bm25_weighting:
                idf = np.log(1 + ((avg - df + 0.5) / (df + 0.5)))
            else:
                idf = np.log((avg / df) + 1)
            if multiplier is not None:
                idf = idf * np.asarray(multiplier).ravel()[0]
            self._idf_diag = sp.csr_matrix(np.array([[idf]], dtype=np.float64))
            return self

    return _Safe(**kwargs)
