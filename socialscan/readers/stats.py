"""Counts a parse keeps, for the one-line summary and the Python result."""

from __future__ import annotations

from dataclasses import dataclass, field

from .text import ReadStats


def counted(n: int, word: str, plural: str | None = None) -> str:
    """``n`` with thousands separators and ``word`` in the number it takes.

    Examples:
        >>> counted(1, "reply", "replies"), counted(12345, "line")
        ('1 reply', '12,345 lines')
    """
    return f"{n:,} {word if n == 1 else (plural or word + 's')}"


@dataclass
class ParseStats(ReadStats):
    """What was read, made and skipped while parsing one or more inputs."""

    posts: int = 0
    replies: int = 0
    links: int = 0
    threads: int = 0
    skipped: int = 0
    skipped_lines: list[int] = field(default_factory=list)
    skip_reasons: dict[str, int] = field(default_factory=dict)
    inputs: int = 0
    #: The inputs read, in order (a path, ``-`` for stdin): named in the summary even when
    #: they hold no record.
    sources: list[str] = field(default_factory=list)
    #: Records dropped because their tweet id came before (see :mod:`.repeats`).
    duplicate_ids: int = 0
    #: The boundary models that split raw dumps (``fast``, ``minilm``).
    segmenters: set[str] = field(default_factory=set)
    #: Plain-text inputs that ``format="auto"`` read as one post a line, not as a dump.
    read_as_lines: list[str] = field(default_factory=list)
    #: What went wrong without stopping the parse (most lines skipped, a format that does not
    #: fit), one sentence each: the CLI prints them as warnings.
    warnings: list[str] = field(default_factory=list)

    def skip(self, line: int, reason: str, quiet: bool = False) -> None:
        """Count a skipped line; ``quiet`` ones (non-tweet objects) are counted by reason only."""
        self.skip_reasons[reason] = self.skip_reasons.get(reason, 0) + 1
        if quiet:
            return
        self.skipped += 1
        if len(self.skipped_lines) < 20:
            self.skipped_lines.append(line)

    def count(self, post) -> None:
        """Count one record by its kind."""
        if post.kind == "reply":
            self.replies += 1
        elif post.kind == "link":
            self.links += 1
        else:
            self.posts += 1

    def drop_duplicate(self, post) -> None:
        """Take back the count of a record dropped as a repeated tweet id."""
        self.duplicate_ids += 1
        if post.kind == "reply":
            self.replies -= 1
        elif post.kind == "link":
            self.links -= 1
        else:
            self.posts -= 1

    @property
    def records(self) -> int:
        return self.posts + self.replies + self.links

    def summary(self) -> str:
        """One line for stderr, its counts as the scan's headline writes them
        (:func:`counted`).

        Examples:
            >>> ParseStats(lines=4200, posts=6, replies=1, bytes_replaced=1).summary()
            '4,200 lines read: 7 records (6 posts, 1 reply, 0 threads, 0 link lines), 1 byte replaced'
            >>> ParseStats(lines=2, posts=1, duplicate_ids=1).summary()
            '2 lines read: 1 record (1 post, 0 replies, 0 threads, 0 link lines), 0 bytes replaced, 1 duplicate id dropped'
        """
        s = (
            f"{counted(self.lines, 'line')} read: {counted(self.records, 'record')} "
            f"({counted(self.posts, 'post')}, {counted(self.replies, 'reply', 'replies')}, "
            f"{counted(self.threads, 'thread')}, {counted(self.links, 'link line')}), "
            f"{counted(self.bytes_replaced, 'byte')} replaced"
        )
        if self.duplicate_ids:
            s += f", {counted(self.duplicate_ids, 'duplicate id')} dropped"
        if self.skipped:
            where = ", ".join(map(str, self.skipped_lines))
            more = "..." if self.skipped > len(self.skipped_lines) else ""
            at = "line" if self.skipped == 1 else "lines"
            s += f", {counted(self.skipped, 'malformed line')} skipped ({at} {where}{more})"
        if self.segmenters:
            s += f"; dump split by the {' and '.join(sorted(self.segmenters))} segmenter"
        if self.read_as_lines:
            which = "" if self.inputs == 1 else ", ".join(self.read_as_lines) + " "
            s += f"; {which}read as one post a line (--format dump to override)"
        return s
