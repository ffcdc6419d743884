"""The partitioned Parquet dataset ``--engine dask`` writes, and reading it back.

A dataset is a directory of ``part-00000.parquet``, ``part-00001.parquet``, ... in input order
(one per partition, empty ones included, all with one schema), plus ``_socialscan.json`` (what
wrote it and the counts) and, after topics, ``_topics/`` (the fitted model). pandas, pyarrow,
Dask, DuckDB and Spark read it as one table (files starting with ``_`` are ignored).

Columns: :data:`socialscan.records.COLUMNS`, then with claims ``claims`` (JSON text: the list of
claim dicts, whose attributes differ by label), ``labels`` and ``score_<label>``, and with topics
``topic`` and ``topic_label``.
"""

from __future__ import annotations

import contextlib
import json
import os
from collections.abc import Iterator, Sequence
from pathlib import Path

from ..errors import InputNotFound, UnwritableOutput
from ..records import COLUMNS, LIST_COLUMNS

#: File that marks a directory as a socialscan dataset.
MARKER = "_socialscan.json"
_INT_COLUMNS = ("line_start", "line_end", "topic")
_BOOL_COLUMNS = ("is_retweet",)


def schema_for(labels: Sequence[str] | None = None, topics: bool = False):
    """The Arrow schema of a dataset (``labels``: the claim labels, ``None`` without claims).

    Examples:
        >>> schema_for(["product_plug"], topics=True).names[-5:]
        ['claims', 'labels', 'score_product_plug', 'topic', 'topic_label']
    """
    import pyarrow as pa

    fields = []
    for c in COLUMNS:
        if c in LIST_COLUMNS:
            fields.append(pa.field(c, pa.list_(pa.string())))
        elif c in _INT_COLUMNS:
            fields.append(pa.field(c, pa.int64()))
        elif c in _BOOL_COLUMNS:
            fields.append(pa.field(c, pa.bool_()))
        else:
            fields.append(pa.field(c, pa.string()))
    if labels is not None:
        fields += [pa.field("claims", pa.string()), pa.field("labels", pa.list_(pa.string()))]
        fields += [pa.field(f"score_{label}", pa.float64()) for label in labels]
    if topics:
        fields += [pa.field("topic", pa.int64()), pa.field("topic_label", pa.string())]
    return pa.schema(fields)


def write_part(df, path: str | os.PathLike[str], schema) -> int:
    """Write one partition's frame as a Parquet file with ``schema``; returns the row count."""
    import orjson
    import pyarrow as pa
    import pyarrow.parquet as pq

    columns = {}
    for f in schema:
        values = df[f.name].tolist() if len(df) else []
        if f.name == "claims":
            values = [orjson.dumps(v).decode() for v in values]
        elif f.type == pa.string():
            values = [None if v is None or v != v else v for v in values]
        columns[f.name] = pa.array(values, type=f.type)
    pq.write_table(pa.table(columns, schema=schema), str(path))
    return len(df)


def write_posts(posts, path: str | os.PathLike[str], schema) -> int:
    """Write records (no claims or topics) straight from Posts to a Parquet file."""
    import pyarrow as pa
    import pyarrow.parquet as pq

    columns = {f.name: pa.array([getattr(p, f.name) for p in posts], type=f.type) for f in schema}
    pq.write_table(pa.table(columns, schema=schema), str(path))
    return len(posts)


def part_name(index: int) -> str:
    """File name of partition ``index`` (zero-padded, so names sort in input order)."""
    return f"part-{index:05d}.parquet"


def read_dataset(path: str | os.PathLike[str]):
    """A dataset written by ``--engine dask`` as one pandas DataFrame, rows in input order.

    Columns are as :func:`socialscan.to_frame` (+ :func:`socialscan.tag_frame`) makes them: list
    columns hold Python lists, ``claims`` lists of dicts.

    Raises:
        InputNotFound: ``path`` holds no Parquet parts.

    Examples:
        >>> df = read_dataset("posts.parquet.d")  # doctest: +SKIP
    """
    import orjson
    import pandas as pd
    import pyarrow.parquet as pq

    parts = sorted(Path(path).glob("part-*.parquet"))
    if not parts:
        raise InputNotFound(f"{path}: no Parquet parts here")
    names = pq.read_schema(parts[0]).names
    rows = [r for p in parts for r in pq.read_table(p).to_pylist()]
    df = pd.DataFrame(rows, columns=names)  # built as to_frame builds its frame
    for c in names:
        if c in LIST_COLUMNS or c == "labels":
            df[c] = [list(v) if v is not None else [] for v in df[c]]
        elif c in _INT_COLUMNS:
            df[c] = df[c].astype("int64")
    if "duplicate_of" in df.columns:  # as to_frame: object, None where a text is the first
        df["duplicate_of"] = pd.Series(
            [v if isinstance(v, str) else None for v in df["duplicate_of"]], dtype=object
        )
    if "claims" in df.columns:
        df["claims"] = [orjson.loads(v) if v else [] for v in df["claims"]]
    return df


def read_info(path: str | os.PathLike[str]) -> dict:
    """The ``_socialscan.json`` of a dataset (version, stages, counts)."""
    return json.loads((Path(path) / MARKER).read_text(encoding="utf-8"))


@contextlib.contextmanager
def atomic_directory(path: str | os.PathLike[str]) -> Iterator[Path]:
    """A temporary sibling directory that replaces ``path`` on clean exit.

    An existing ``path`` is replaced only when it is empty or an earlier socialscan dataset
    (it holds ``_socialscan.json``); on any error the temporary directory is removed and
    ``path`` is left as it was.

    Raises:
        UnwritableOutput: ``path`` is a file, a directory of other things, or its parent is missing.
    """
    from ..export.atomic import atomic_directory as replace_directory

    target = Path(path)
    if target.exists():
        if not target.is_dir():
            raise UnwritableOutput(f"{path}: exists and is not a dataset directory")
        if any(target.iterdir()) and not (target / MARKER).is_file():
            raise UnwritableOutput(f"{path}: a directory that is not a socialscan dataset")
    with replace_directory(target) as tmp:
        yield tmp
