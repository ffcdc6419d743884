"""Counts a parse keeps, for the one-line summary and the Python result."""

from __future__ import annotations

from dataclasses import dataclass, field

from .text import ReadStats


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
        """One line for stderr.

        Examples:
            >>> ParseStats(lines=42, posts=6, replies=2).summary()
            '42 lines read: 8 records (6 posts, 2 replies, 0 threads, 0 link lines), 0 bytes replaced'
            >>> ParseStats(lines=2, posts=1, duplicate_ids=1).summary()
            '2 lines read: 1 records (1 posts, 0 replies, 0 threads, 0 link lines), 0 bytes replaced, 1 duplicate ids dropped'
        """
        s = (
            f"{self.lines} lines read: {self.records} records ({self.posts} posts, "
            f"{self.replies} replies, {self.threads} threads, {self.links} link lines), "
            f"{self.bytes_replaced} bytes replaced"
        )
        if self.duplicate_ids:
            s += f", {self.duplicate_ids} duplicate ids dropped"
        if self.skipped:
            where = ", ".join(map(str, self.skipped_lines))
            more = "..." if self.skipped > len(self.skipped_lines) else ""
            s += f", {self.skipped} malformed lines skipped (lines {where}{more})"
        if self.segmenters:
            s += f"; dump split by the {' and '.join(sorted(self.segmenters))} segmenter"
        if self.read_as_lines:
            which = "" if self.inputs == 1 else ", ".join(self.read_as_lines) + " "
            s += f"; {which}read as one post a line (--format dump to override)"
        return s
