"""Topics: :func:`fit_topics_to`, the twin of ``socialscan topics``."""

from __future__ import annotations

import os
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from typing import Any

from ..deprecation import renamed_keywords
from ..progress import Silent
from ..readers.stats import ParseStats
from ..records import COLUMNS
from .parsing import iter_parse

#: The columns ``socialscan topics`` writes: the parse's, then each post's topic and its label.
TOPIC_COLUMNS = (*COLUMNS, "topic", "topic_label")


@dataclass
class TopicsRun:
    """What :func:`fit_topics_to` wrote.

    Attributes:
        rows: Records written.
        stats: The parse's counts (``stats.warnings``: what went wrong without stopping it).
        topics: The fitted :class:`~socialscan.topics.TopicResult`, or ``None`` when the input
            had too few posts to model (the records then go out with empty topics).
        note: Why there are no topics, when ``topics`` is ``None``.
    """

    rows: int
    stats: ParseStats
    topics: Any = None
    note: str | None = None

    def summary(self) -> str:
        """One line for stderr: the topics found, or why there are none."""
        return self.topics.summary() if self.topics is not None else (self.note or "")


@renamed_keywords(embedder="topic_embedder")
def fit_topics_to(
    inputs: str | os.PathLike[str] | Sequence[str | os.PathLike[str]],
    output: str | os.PathLike[str] | None = None,
    to: str | None = None,
    format: str = "auto",
    *,
    topics_out: str | os.PathLike[str] | None = None,
    topic_embedder: Any = "auto",
    min_topic_size: int | None = None,
    nr_topics: int | str | None = None,
    seed: int = 42,
    strict: bool = False,
    stats: ParseStats | None = None,
    progress: Any = None,
    segmenter: str = "auto",
    dedupe: bool = True,
) -> TopicsRun:
    """Parse inputs, fit topics on every post, and write each record with its topic.

    Too few posts to model is not an error: the records are written with ``topic`` and
    ``topic_label`` empty, the topic table (``topics_out``) is ``[]`` and :attr:`TopicsRun.note`
    says why.

    Args:
        inputs: A path, ``-`` (stdin) or a list of them.
        output: The records' file (atomically); ``None`` or ``-``: stdout.
        to: As in :func:`~socialscan.api.parse_to`.
        format: As in :func:`~socialscan.api.iter_parse`.
        topics_out: Also write the topic table here as JSON (atomically). Both outputs' names
            are checked before anything is read.
        topic_embedder, min_topic_size, nr_topics, seed: As ``embedder``, ``min_topic_size``,
            ``nr_topics`` and ``seed`` of :func:`socialscan.fit_topics`.
        strict, segmenter, dedupe: As in :func:`~socialscan.api.iter_parse`.
        stats: Filled with the parse's counts (a new one by default).
        progress: An object with ``stage(name)`` and ``advance(n)``, as for
            :func:`socialscan.scan`; silent by default.

    Returns:
        A :class:`TopicsRun`.

    Examples:
        >>> import tempfile, pathlib
        >>> d = pathlib.Path(tempfile.mkdtemp())
        >>> _ = (d / "in.txt").write_text("cats purr\\ncats nap\\nstocks fall\\nstocks rise\\n")
        >>> run = fit_topics_to(d / "in.txt", d / "t.jsonl", format="lines",
        ...                     topic_embedder="hashing", nr_topics=2)
        >>> run.rows, run.topics.topics[0] == run.topics.topics[1]
        (4, True)
    """
    import orjson

    from ..errors import TooFewPosts
    from ..export import atomic_output, write_records
    from ..export.writers import output_format, require_suffix
    from ..topics import fit_topics

    to = output_format(output, to)
    require_suffix(topics_out, (".json",), "the topic table")
    stats = stats if stats is not None else ParseStats()
    bar = progress or Silent()
    bar.stage("parsing")
    posts = []
    for post in iter_parse(
        inputs, format=format, stats=stats, strict=strict, segmenter=segmenter, dedupe=dedupe
    ):
        posts.append(post)
        bar.advance()
    bar.stage("fitting topics")
    result, note = None, None
    try:
        result = fit_topics(
            posts,
            embedder=topic_embedder,
            min_topic_size=min_topic_size,
            nr_topics=nr_topics,
            seed=seed,
        )
    except TooFewPosts as e:  # not a fault of the input: the records go out without topics
        note = str(e)
    if topics_out:
        with atomic_output(topics_out, "wb") as fh:
            fh.write(orjson.dumps(result.records() if result else [], option=orjson.OPT_INDENT_2))
    topics_of = result.topics if result else [None] * len(posts)
    labels_of = result.labels if result else [None] * len(posts)

    def records() -> Iterator[dict[str, Any]]:
        for post, topic, label in zip(posts, topics_of, labels_of, strict=True):
            yield {**post.to_dict(), "topic": topic, "topic_label": label}

    rows = write_records(records(), output, to=to, columns=TOPIC_COLUMNS)
    return TopicsRun(rows, stats, result, note)
