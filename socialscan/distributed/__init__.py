"""The distributed engine: ``--engine dask`` for parse, tag and topic assignment.

Inputs are cut into partitions (whole files; ``lines``/``jsonl`` files also at line
boundaries), processed on a Dask cluster (a local one by default), and written as a partitioned
Parquet dataset whose rows equal the single-process path. Nothing here imports dask until
:func:`run_dask` runs. See ``docs/dask.md``.

Examples:
    >>> from socialscan.distributed import run_dask, read_dataset
    >>> r = run_dask(["a.jsonl", "b.jsonl"], "posts.d", claims=True)  # doctest: +SKIP
    >>> df = read_dataset("posts.d")  # doctest: +SKIP
"""

from __future__ import annotations

from importlib import import_module
from typing import Any

_LAZY = {
    "run_dask": ".engine",
    "parse_dask": ".engine",
    "tag_dask": ".engine",
    "topics_dask": ".engine",
    "dask_client": ".engine",
    "DaskResult": ".engine",
    "read_dataset": ".dataset",
    "plan_partitions": ".partitions",
    "Partition": ".partitions",
    "assign_topics": ".stages",
}

__all__ = sorted(_LAZY)


def __getattr__(name: str) -> Any:
    if name in _LAZY:
        return getattr(import_module(_LAZY[name], __name__), name)
    raise AttributeError(f"module 'socialscan.distributed' has no attribute {name!r}")
