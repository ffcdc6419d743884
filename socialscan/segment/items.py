"""What the segmenter works on and yields: a dump's non-blank lines (:class:`LineItem`, with
the blank lines above each and its layout facts) and the posts it finds (:class:`Segment`).

Both the segmenter and the thread linker read these types, so they live below both.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

import numpy as np

from ..text.stamps import Stamp
from .features import LineInfo, line_info

#: One line of a post: (1-based line number, verbatim text).
Line = tuple[int, str]


@dataclass(slots=True)
class LineItem:
    """A non-blank line of a dump: its number, verbatim text, the blank lines just above it
    and its layout facts."""

    n: int
    text: str
    blanks: list[Line]  # blank lines just before this line
    info: LineInfo


def line_items(lines: Iterator[Line]) -> Iterator[LineItem]:
    """The non-blank lines of ``(line_number, text)`` pairs, as :class:`LineItem` objects.

    Examples:
        >>> [(it.n, len(it.blanks)) for it in line_items(enumerate(["a", "", "b"], 1))]
        [(1, 0), (3, 1)]
    """
    blanks: list[Line] = []
    for n, text in lines:
        if not text.strip():
            blanks.append((n, text))
            continue
        yield LineItem(n, text, blanks, line_info(text))
        blanks = []


@dataclass(slots=True)
class Segment:
    """One post of a dump: its ``(line_number, text)`` lines (blank lines inside it included),
    the boundary probability at its first line (1.0 for the first post), the sum of the
    static vectors of its text lines (bare link lines left out), for thread linking, and its
    stamp."""

    lines: list[Line]
    p: float
    vector: np.ndarray
    #: The date or author a scraper stamped on this post (:mod:`socialscan.text.stamps`), where the dump
    #: has them.
    stamp: Stamp | None = None
    #: How its author writes (:func:`~.linker.habits`), read once when it is first linked.
    habits: tuple[float | None, list[int]] | None = None
    #: What the thread linker reads of it alone (its size, its vector's squared length), read
    #: once when it is first linked (as the second record of a pair, then as the first).
    reading: tuple[float, float, float] | None = None
