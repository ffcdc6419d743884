"""Parsing: :func:`parse`, :func:`iter_parse` and :func:`parse_to`, the twins of ``socialscan parse``."""

from __future__ import annotations

import os
import tempfile
from collections.abc import Callable, Iterable, Iterator, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ..errors import InputNotFound, UnknownFormat
from ..readers import iter_posts
from ..readers.stats import ParseStats
from ..records import COLUMNS, LIST_COLUMNS, Post

if TYPE_CHECKING:  # numpy-free at import: `socialscan parse` needs no embedder
    from ..embed.base import Embedder

_PATHLIKE_SUFFIXES = (".txt", ".jsonl", ".ndjson", ".json", ".js", ".csv", ".tsv")


def is_path(value: str | os.PathLike[str]) -> bool:
    """Whether a ``str`` argument names a file (or stdin) rather than holding text to parse.

    A string with a line break is text; one that looks like a file name but names no file is
    an error, not text.

    Raises:
        InputNotFound: ``value`` looks like a file name (``posts.txt``) but no such file exists.

    Examples:
        >>> is_path("-"), is_path("one post\\nanother")
        (True, False)
    """
    if isinstance(value, os.PathLike):
        return True
    if "\n" in value or "\r" in value:
        return False
    if value == "-" or Path(value).exists():
        return True
    if value.lower().endswith(_PATHLIKE_SUFFIXES) and " " not in value.strip():
        raise InputNotFound(f"{value}: no such file")
    return False


def iter_parse(
    inputs: str | os.PathLike[str] | Sequence[str | os.PathLike[str]],
    format: str = "auto",
    stats: ParseStats | None = None,
    strict: bool = False,
    embedder: Embedder | None = None,
    segmenter: str = "auto",
    dedupe: bool = True,
) -> Iterator[Post]:
    """Stream posts from one or more paths (``-`` is stdin), in input order.

    A record whose tweet id came before (overlapping collections, a file given twice) is
    dropped and counted in ``stats.duplicate_ids``; retweets and repeated texts are kept and
    marked (``is_retweet``, ``duplicate_of``: see :mod:`socialscan.readers.repeats`).

    Args:
        inputs: A path or a list of paths.
        format: One of :data:`socialscan.readers.FORMATS` (``auto``, ``dump``, ``lines``,
            ``jsonl``, ``archive``, ``csv``).
        stats: Filled with counts (lines, records, bytes replaced, skipped lines).
        strict: Fail on the first malformed structured record instead of skipping it.
        embedder: Overrides the static embedder used to segment raw dumps.
        segmenter: The boundary model for raw dumps: ``fast``, ``minilm`` (MiniLM vectors
            too: more accurate, much slower) or ``auto`` (``minilm`` for files up to 1 MB once
            ``socialscan models --prepare`` has run, else ``fast``).
        dedupe: Drop records whose tweet id came before; ``False`` keeps them.
    """
    from ..readers.repeats import Repeats

    if isinstance(inputs, str | os.PathLike):
        inputs = [inputs]
    stats = stats if stats is not None else ParseStats()
    repeats = Repeats(dedupe, stats)
    for source in inputs:
        yield from repeats.mark(
            iter_posts(
                source,
                format=format,
                stats=stats,
                strict=strict,
                embedder=embedder,
                segmenter=segmenter,
            )
        )


def parse_to(
    inputs: str | os.PathLike[str] | Sequence[str | os.PathLike[str]],
    output: str | os.PathLike[str] | None = None,
    to: str | None = None,
    format: str = "auto",
    *,
    strict: bool = False,
    stats: ParseStats | None = None,
    workers: int | None = None,
    on_records: Callable[[int], Any] | None = None,
    segmenter: str = "auto",
    dedupe: bool = True,
    on_lines: Callable[[int], Any] | None = None,
) -> int:
    """Parse inputs straight to a JSONL, CSV or Parquet file (or stdout), streaming.

    The records are those of :func:`iter_parse`, in the same order, written as
    :func:`~socialscan.export.write_records` writes them. One-post-a-line input
    (``format="lines"``) takes a fast path: blocks of lines are encoded without
    :class:`Post` objects, on ``workers`` processes when the input is large (see
    :mod:`socialscan.readers.pool`); the output is byte for byte the same. So does plain text
    that ``format="auto"`` finds is one post a line (:func:`~socialscan.readers.resolve_format`).

    Args:
        inputs: A path, ``-`` (stdin) or a list of them.
        output: The file to write (atomically); ``None`` or ``-``: stdout.
        to: One of :data:`socialscan.export.FORMATS` (``jsonl``, ``csv``, ``parquet``);
            ``None``: the one ``output``'s extension names
            (:func:`~socialscan.export.writers.output_format`; an unknown one is refused
            before anything is read).
        format: As in :func:`iter_parse`.
        strict: As in :func:`iter_parse`.
        stats: Filled with the counts.
        workers: Processes for large ``lines`` inputs (``None``: one per core; 1: this one).
        on_records: Called with a number of records as they are parsed (progress).
        segmenter: As in :func:`iter_parse`.
        dedupe: As in :func:`iter_parse`.
        on_lines: Called with a number of input lines as the records made of them are
            handed to the writer (progress: they add up to ``stats.lines``; the total is
            :func:`input_lines`).

    Returns:
        The number of records written.

    Examples:
        >>> import tempfile, pathlib
        >>> d = pathlib.Path(tempfile.mkdtemp())
        >>> _ = (d / "in.txt").write_text("first post\\n@ann a reply\\n")
        >>> parse_to(d / "in.txt", d / "out.jsonl", format="lines")
        2
    """
    from ..export import FORMATS as OUTPUT_FORMATS
    from ..export import write_records
    from ..export.encode import line_encoder
    from ..export.writers import output_format
    from ..readers import FORMATS, resolve_format
    from ..readers.dump_pool import dump_in_pieces, iter_dump_items
    from ..readers.pool import iter_line_items, make_workers
    from ..readers.repeats import Repeats

    if isinstance(inputs, str | os.PathLike):
        inputs = [inputs]
    if format not in FORMATS:
        raise UnknownFormat(f"unknown format {format!r}: choose {', '.join(FORMATS)}")
    to = output_format(output, to)
    stats = stats if stats is not None else ParseStats()
    pool = make_workers(workers)
    repeats = Repeats(dedupe, stats)  # one for every input, whichever path reads it

    def posts(source: str | os.PathLike[str], fmt: str) -> Iterator[dict[str, Any]]:
        before = done = stats.lines  # the lines of the inputs before this one
        for post in repeats.mark(
            iter_posts(source, format=fmt, stats=stats, strict=strict, segmenter=segmenter)
        ):
            if on_records is not None:
                on_records(1)
            if on_lines is not None and before + post.line_end > done:
                on_lines(before + post.line_end - done)
                done = before + post.line_end
            yield post.to_dict()
        if on_lines is not None and stats.lines > done:  # blank lines after the last record
            on_lines(stats.lines - done)

    def items() -> Iterator[Any]:
        for source in inputs:
            fmt = resolve_format(source, format, stats)
            if fmt == "dump" and to in OUTPUT_FORMATS and dump_in_pieces(source, pool, segmenter):
                yield from iter_dump_items(
                    source,
                    to,
                    stats,
                    pool,
                    segmenter,
                    on_records,
                    fallback=lambda source=source: posts(source, "dump"),
                    repeats=repeats,
                    on_lines=on_lines,
                )
                continue
            if fmt != "lines" or to not in OUTPUT_FORMATS:
                yield from posts(source, fmt)
                continue
            yield from iter_line_items(
                source,
                line_encoder(to, str(source)),
                stats,
                pool,
                on_records,
                fallback=lambda source=source: posts(source, "lines"),
                repeats=repeats,
                on_lines=on_lines,
            )

    try:
        return write_records(items(), output, to=to, columns=COLUMNS)
    finally:
        pool.close()


def input_lines(inputs: Sequence[str | os.PathLike[str]]) -> int | None:
    """The lines ``inputs`` hold, as the readers number them: the total of a progress display.

    ``None`` when one of them has no size to count (stdin, a pipe) or is UTF-16 (its bytes
    are not its line breaks). It reads every byte once more, so it is for a terminal's
    display only, never the parse itself.

    Examples:
        >>> import tempfile, pathlib
        >>> p = pathlib.Path(tempfile.mkdtemp()) / "in.txt"
        >>> _ = p.write_bytes(b"one\\r\\ntwo\\rthree")
        >>> input_lines([p, p]), input_lines(["-"])
        (6, None)
    """
    import stat

    from ..readers.blocks import count_line_breaks
    from ..readers.text import utf16_encoding

    total = 0
    for source in inputs:
        try:
            st = os.stat(source) if str(source) != "-" else None
        except OSError:
            st = None
        if st is None or not stat.S_ISREG(st.st_mode):
            return None
        size = st.st_size
        try:
            with open(source, "rb") as fh:
                head = fh.read(4)
                fh.seek(max(0, size - 1))
                last = fh.read(1)
            if utf16_encoding(head):
                return None
            total += count_line_breaks(source, 0, size) + (last not in (b"", b"\n", b"\r"))
        except OSError:  # unreadable: the parse itself says so
            return None
    return total


def parse(
    path_or_text: str | os.PathLike[str] | Sequence[str | os.PathLike[str]],
    format: str = "auto",
    *,
    strict: bool = False,
    stats: ParseStats | None = None,
    segmenter: str = "auto",
    dedupe: bool = True,
) -> list[Post]:
    """Parse a file, several files, or a string of text into posts.

    A string holding a line break, or naming no existing file, is parsed as text. Options are
    those of :func:`iter_parse`.

    Examples:
        >>> posts = parse("@ann Totally agree.\\nhttps://t.co/abc\\nNew post here.")
        >>> [(p.kind, p.line_start, p.line_end) for p in posts]
        [('reply', 1, 2), ('post', 3, 3)]
    """
    if isinstance(path_or_text, str) and not is_path(path_or_text):
        with tempfile.TemporaryDirectory() as d:
            p = Path(d) / "text.txt"
            p.write_text(path_or_text, encoding="utf-8", newline="")
            posts = list(
                iter_parse(
                    p,
                    format=format,
                    stats=stats,
                    strict=strict,
                    segmenter=segmenter,
                    dedupe=dedupe,
                )
            )
        for post in posts:
            post.source = "<text>"
        return posts
    return list(
        iter_parse(
            path_or_text,
            format=format,
            stats=stats,
            strict=strict,
            segmenter=segmenter,
            dedupe=dedupe,
        )
    )


def to_frame(posts: Iterable[Post]):
    """A pandas DataFrame with the columns of :data:`socialscan.records.COLUMNS`, in order.

    List columns (``links``, ``mentions``, ...) hold Python lists; ids are strings; line spans
    are integers.

    Examples:
        >>> df = to_frame(parse("one post.\\n@bo a reply", format="lines"))
        >>> list(df.columns[:6]), df["kind"].tolist()
        (['id', 'kind', 'thread_id', 'text', 'line_start', 'line_end'], ['post', 'reply'])
    """
    import pandas as pd

    rows = [p.to_dict() for p in posts]
    df = pd.DataFrame(rows, columns=list(COLUMNS))
    for c in LIST_COLUMNS:
        df[c] = [list(v) if isinstance(v, list) else [] for v in df[c]]
    df["line_start"] = df["line_start"].astype("int64")
    df["line_end"] = df["line_end"].astype("int64")
    df["is_retweet"] = df["is_retweet"].astype("bool")
    df["duplicate_of"] = pd.Series(
        [v if isinstance(v, str) else None for v in df["duplicate_of"]], dtype=object
    )
    return df
