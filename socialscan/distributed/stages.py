"""What each worker does to a parsed partition: tag claims, assign topics, write its Parquet part.

Files a worker needs (a claims taxonomy, the fitted topic model) travel as :class:`FileBundle`:
the files' bytes, written to a private temporary directory on the worker and read there by the
same loaders as on one machine (YAML/JSON, safetensors, npy). Nothing the user supplied is
unpickled.
"""

from __future__ import annotations

import hashlib
import os
import tempfile
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ..records import Post
from ..topics.sample import sample_key  # one process samples a large corpus the same way

#: Texts per batch when assigning topics (bounds a worker's memory on large partitions).
TOPIC_BATCH = 8192


@dataclass(frozen=True)
class FileBundle:
    """A file or a directory as bytes: ``{relative path: content}``.

    Examples:
        >>> import tempfile, pathlib
        >>> d = pathlib.Path(tempfile.mkdtemp()); _ = (d / "a.json").write_text("{}")
        >>> b = FileBundle.of(d)
        >>> sorted(b.files), (b.materialize() / "a.json").read_text()
        (['a.json'], '{}')
    """

    files: dict[str, bytes]
    is_dir: bool = True
    name: str = ""
    digest: str = field(default="", compare=False)

    @classmethod
    def of(cls, path: str | os.PathLike[str]) -> FileBundle:
        """Read a file or every file under a directory."""
        p = Path(path)
        if p.is_dir():
            files = {
                f.relative_to(p).as_posix(): f.read_bytes()
                for f in sorted(p.rglob("*"))
                if f.is_file()
            }
        else:
            files = {p.name: p.read_bytes()}
        h = hashlib.sha256()
        for k in sorted(files):
            h.update(k.encode() + b"\0" + hashlib.sha256(files[k]).digest())
        return cls(files, p.is_dir(), p.name, h.hexdigest()[:16])

    def materialize(self) -> Path:
        """Write the files once per process (keyed by content); the directory or file path."""
        key = self.digest or "bundle"
        if key not in _MATERIALIZED:
            root = Path(tempfile.mkdtemp(prefix=f"socialscan-{key}-"))
            for rel, data in self.files.items():
                target = root / rel
                if root.resolve() not in target.resolve().parents:
                    raise ValueError(f"bundle path escapes its directory: {rel}")
                target.parent.mkdir(parents=True, exist_ok=True)
                target.write_bytes(data)
            _MATERIALIZED[key] = root if self.is_dir else root / next(iter(self.files))
        return _MATERIALIZED[key]


_MATERIALIZED: dict[str, Path] = {}
_TOPIC_MODELS: dict[str, Any] = {}


def load_topic_model(bundle: FileBundle):
    """The :class:`~socialscan.topics.TopicResult` in ``bundle``, loaded once per process."""
    if bundle.digest not in _TOPIC_MODELS:
        from ..topics.result import TopicResult

        _TOPIC_MODELS[bundle.digest] = TopicResult.load(bundle.materialize())
    return _TOPIC_MODELS[bundle.digest]


#: What a partition offers the sample: ``(key, partition index, row, text, thread_id)``.
Candidate = tuple[bytes, int, int, str, "str | None"]


def sample_candidates(posts: Sequence[Post], n: int, index: int = 0) -> list[Candidate]:
    """The ``n`` posts of partition ``index`` with the smallest :func:`sample_key`.

    Each comes with its row in the partition and its ``thread_id``, so that the sample can be
    put back in input order and its threads joined as one process joins them.
    """
    import heapq

    keyed = (
        (sample_key(p.id, p.source, p.line_start), index, row, p.text, p.thread_id)
        for row, p in enumerate(posts)
    )
    return heapq.nsmallest(n, keyed)


def choose_sample(candidates: Sequence[Sequence[Candidate]], n: int):
    """The ``n`` smallest keys over all partitions, in input order: a frame of ``text`` and
    ``thread_id`` with the ``(partition, row)`` of each.

    The same posts as :func:`sample_candidates` over the whole input at once, so the sample
    does not depend on how the input was partitioned; in input order (partitions are), so a
    sample holding every post is the input itself and its fit equals one process's.
    """
    import heapq

    import pandas as pd

    chosen = sorted(heapq.nsmallest(n, (c for cs in candidates for c in cs)), key=lambda c: c[1:3])
    frame = pd.DataFrame(
        {"text": [c[3] for c in chosen], "thread_id": [c[4] for c in chosen]}, dtype=object
    )
    return frame, [(c[1], c[2]) for c in chosen]


def fitted_by_partition(places, topics) -> dict[int, dict[int, int]]:
    """The fit's topic of each sampled row, by partition: ``{partition: {row: topic}}``."""
    out: dict[int, dict[int, int]] = {}
    for (part, row), topic in zip(places, topics, strict=True):
        out.setdefault(part, {})[row] = int(topic)
    return out


def assign_topics(df, result, fitted: dict[int, int] | None = None):
    """A copy of a posts frame with ``topic`` and ``topic_label``: the fit's topic for the rows
    it was fitted on (``fitted``: ``{row: topic}``), ``result.transform`` for the others.

    The single-process twin of what every partition does with the shipped model. As in
    :func:`~socialscan.topics.fit_topics`, the records of a thread (consecutive rows sharing a
    ``thread_id``) are one document and share its topic: the fit's when the sample held the
    whole thread, else the topic of the joined thread. So a sample holding every post gives
    one process's topics, and a sample of a larger corpus the topics one process gives it.

    Examples:
        >>> out = assign_topics(socialscan.to_frame(posts), topic_result)  # doctest: +SKIP
    """
    import numpy as np

    from ..topics.documents import document_text, thread_groups

    fitted = fitted or {}
    texts = ["" if t is None or t != t else str(t) for t in df["text"].tolist()]
    groups = thread_groups(df) or [[i] for i in range(len(texts))]
    topics = np.empty(len(texts), dtype="int64")
    todo = []
    for g in groups:
        if all(i in fitted for i in g):
            topics[g] = [fitted[i] for i in g]
        else:
            todo.append(g)
    for i in range(0, len(todo), TOPIC_BATCH):
        batch = todo[i : i + TOPIC_BATCH]
        assigned = result.transform([document_text([texts[r] for r in g]) for g in batch])[0]
        for g, t in zip(batch, assigned, strict=True):
            topics[g] = t
    label_of = dict(
        zip(result.table["topic"].tolist(), result.table["label"].tolist(), strict=True)
    )
    out = df.copy()
    out["topic"] = topics
    out["topic_label"] = [
        label_of.get(t, "outliers" if t == -1 else f"topic {t}") for t in topics.tolist()
    ]
    return out


@dataclass(frozen=True)
class StageSpec:
    """What to do after parsing, the same for every partition.

    Attributes:
        claims: Tag claims (:func:`socialscan.claims.tag_frame`).
        taxonomy: The claims taxonomy file as a bundle (``None``: the shipped one).
        claims_embedder: Embedder name for claims.
        topics: A bundle of the saved :class:`~socialscan.topics.TopicResult` to assign with.
        labels: Claim label names (the ``score_<label>`` columns), ``None`` without claims.
    """

    claims: bool = False
    taxonomy: FileBundle | None = None
    claims_embedder: str = "static"
    topics: FileBundle | None = None
    labels: tuple[str, ...] | None = None


def process_partition(
    parsed, links, marks, fitted: dict[int, int] | None, spec: StageSpec, out_dir: str
) -> dict[str, Any]:
    """Threads, repeats (``marks``: :class:`~.repeats.RepeatMarks`), claims, topics
    (``fitted``: the sample's rows here and their topics), then the Parquet part (runs on a
    worker); returns its counts (with topics, records per topic too)."""
    import dataclasses

    from ..api import to_frame
    from .dataset import part_name, schema_for, write_part, write_posts
    from .partitions import assign_partition_threads
    from .repeats import apply_marks

    posts, threads = assign_partition_threads(parsed, links)
    stats = dataclasses.replace(parsed.stats, threads=threads)
    posts = apply_marks(posts, marks, stats)
    schema = schema_for(spec.labels if spec.claims else None, topics=spec.topics is not None)
    path = Path(out_dir) / part_name(parsed.part.index)
    if not spec.claims and spec.topics is None:  # records only: no DataFrame needed
        rows = write_posts(posts, path, schema)
        return {"index": parsed.part.index, "rows": rows, "stats": stats}
    df = to_frame(posts)
    if spec.claims:
        from ..claims import tag_frame

        taxonomy = str(spec.taxonomy.materialize()) if spec.taxonomy else None
        df = tag_frame(df, taxonomy, embedder=spec.claims_embedder)
    done: dict[str, Any] = {"index": parsed.part.index, "stats": stats}
    if spec.topics is not None:
        df = assign_topics(df, load_topic_model(spec.topics), fitted)
        done["topic_sizes"] = df["topic"].value_counts().to_dict()
    done["rows"] = write_part(df, path, schema)
    return done
