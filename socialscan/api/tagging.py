"""Claims: :func:`tag_to`, the twin of ``socialscan tag``."""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from typing import Any

from ..deprecation import renamed_keywords
from ..readers.stats import ParseStats
from ..records import COLUMNS
from .parsing import iter_parse

#: The columns ``socialscan tag`` writes: the parse's, then each post's claims and labels.
TAG_COLUMNS = (*COLUMNS, "claims", "labels")


@dataclass
class TagRun:
    """What :func:`tag_to` wrote.

    Attributes:
        rows: Records written.
        stats: The parse's counts (``stats.warnings``: what went wrong without stopping it).
    """

    rows: int
    stats: ParseStats

    def summary(self) -> str:
        """One line for stderr: the parse's counts."""
        return self.stats.summary()


@renamed_keywords(embedder="claim_embedder", model="claim_model")
def tag_to(
    inputs: str | os.PathLike[str] | Sequence[str | os.PathLike[str]],
    output: str | os.PathLike[str] | None = None,
    to: str | None = None,
    format: str = "auto",
    *,
    taxonomy: Any = None,
    claim_embedder: Any = "static",
    claim_model: Any = "default",
    strict: bool = False,
    stats: ParseStats | None = None,
    on_records: Callable[[int], Any] | None = None,
    segmenter: str = "auto",
    dedupe: bool = True,
) -> TagRun:
    """Parse inputs and write each record with its ``claims`` and ``labels``, streaming.

    The records are :func:`socialscan.claims.tag_posts` of :func:`~socialscan.api.iter_parse`,
    in input order, in the columns of :data:`TAG_COLUMNS`.

    Args:
        inputs: A path, ``-`` (stdin) or a list of them.
        output: The file to write (atomically); ``None`` or ``-``: stdout.
        to: As in :func:`~socialscan.api.parse_to` (refused before anything is read).
        format: As in :func:`~socialscan.api.iter_parse`.
        taxonomy: A claims taxonomy file or :class:`~socialscan.claims.Taxonomy`; ``None``: the
            shipped labels.
        claim_embedder: The zero-shot scorer's embedder (``static``, ``minilm``, ``hashing``
            or an object).
        claim_model: The trained claims model: ``default`` (shipped), ``accurate``, a
            directory from ``socialscan train claims``, or ``None`` (zero-shot).
        strict, segmenter, dedupe: As in :func:`~socialscan.api.iter_parse`.
        stats: Filled with the parse's counts (a new one by default).
        on_records: Called with a number of records as they are tagged (progress).

    Returns:
        A :class:`TagRun`.

    Examples:
        >>> import json, tempfile, pathlib
        >>> d = pathlib.Path(tempfile.mkdtemp())
        >>> _ = (d / "in.txt").write_text("Give it a try!\\nNice weather today.\\n")
        >>> run = tag_to(d / "in.txt", d / "tagged.jsonl", format="lines")
        >>> run.rows, [json.loads(r)["labels"] for r in (d / "tagged.jsonl").open()]
        (2, [['product_plug'], []])
    """
    from ..claims import tag_posts
    from ..export import write_records
    from ..export.writers import output_format

    to = output_format(output, to)
    stats = stats if stats is not None else ParseStats()

    def records() -> Iterator[dict[str, Any]]:
        posts = iter_parse(
            inputs, format=format, stats=stats, strict=strict, segmenter=segmenter, dedupe=dedupe
        )
        for record in tag_posts(posts, taxonomy, embedder=claim_embedder, model=claim_model):
            if on_records is not None:
                on_records(1)
            yield record

    rows = write_records(records(), output, to=to, columns=TAG_COLUMNS)
    return TagRun(rows, stats)
