"""Tagging on every core: forked worker processes share one tagger and take chunks in turn."""

from __future__ import annotations

import multiprocessing
from typing import Any

#: Inputs at least this long are tagged in worker processes (below it, start-up costs more).
PARALLEL_MIN = 8192
#: The most texts sent to a worker at once.
CHUNK_MAX = 32768
#: The tagger the forked workers inherit (set only while a pool runs).
_WORKER_TAGGER: Any = None


def may_fork() -> bool:
    """Daemonic processes (Dask workers, pool workers) may not start children."""
    return not multiprocessing.current_process().daemon


def _tag_chunk(args: tuple[list[str], bool]) -> list:
    assert _WORKER_TAGGER is not None
    chunk, gate = args
    return _WORKER_TAGGER.tag_texts(chunk, workers=1, gate=gate)


def tag_in_workers(
    tagger, texts: list[str], batch_size: int, workers: int, gate: bool = True
) -> list:
    """Tag ``texts`` in ``workers`` forked processes that inherit ``tagger`` (a
    :class:`~socialscan.claims.tagger.ClaimTagger`); the claims come back in order."""
    global _WORKER_TAGGER
    _WORKER_TAGGER = tagger
    # one long chunk per worker (capped): each worker's word cache and spaCy vocabulary warm
    # over a long run, so fewer new words are tokenised twice
    size = max(batch_size, min(-(-len(texts) // workers), CHUNK_MAX))
    chunks = [(texts[i : i + size], gate) for i in range(0, len(texts), size)]
    try:
        with multiprocessing.get_context("fork").Pool(workers) as pool:
            parts = pool.map(_tag_chunk, chunks, chunksize=1)
    finally:
        _WORKER_TAGGER = None
    return [claims for part in parts for claims in part]
