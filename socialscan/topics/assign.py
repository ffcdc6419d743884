"""How new posts get a topic: the nearest kept k-means centroid after the fit's PCA.

The rule is kept as plain arrays, so a saved model, one process and ``--engine dask`` assign
posts the same way without pickling the model.
"""

from __future__ import annotations

from typing import Any

import numpy as np


def assignment_arrays(model: Any) -> dict[str, np.ndarray] | None:
    """A fitted BERTopic model's rule for new posts as arrays: the kept k-means ``centers``,
    the ``topic_of`` each, and the PCA's ``mean`` and ``components`` (when it has one);
    ``None`` for a model not clustered by :class:`~socialscan.topics.engine.SizedKMeans`."""
    from .engine import NormalizedPCA, SizedKMeans

    km = getattr(model, "hdbscan_model", None)
    if not isinstance(km, SizedKMeans) or not hasattr(km, "cluster_centers_"):
        return None
    mapping = model.topic_mapper_.get_mappings(original_topics=True)
    parts = {
        "centers": np.asarray(km.cluster_centers_, dtype=np.float32),
        "topic_of": np.array([mapping.get(i, -1) for i in range(len(km.cluster_centers_))]),
    }
    reducer = getattr(model, "umap_model", None)
    if isinstance(reducer, NormalizedPCA):
        parts["mean"], parts["components"] = reducer.mean_, reducer.components_
    return parts


def assign_vectors(parts: dict[str, np.ndarray], X: np.ndarray) -> np.ndarray:
    """The topic of each embedding under :func:`assignment_arrays`' rule: the nearest kept
    k-means centroid after the PCA. One process assigns a large corpus's unsampled posts with
    it, and ``--engine dask`` every unsampled post (:meth:`TopicResult.transform`)."""
    from .engine import NormalizedPCA, SizedKMeans

    Z = np.asarray(X, dtype=np.float32)
    if "mean" in parts:
        Z = NormalizedPCA.from_arrays(parts["mean"], parts["components"]).transform(Z)
    km = SizedKMeans(len(parts["centers"]))
    km.cluster_centers_ = parts["centers"]
    return parts["topic_of"][km.predict(Z)]
