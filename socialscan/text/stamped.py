"""Reading a stamped dump: which stamps mark the posts of a block (:func:`stamp_starts`), and
where a post's stamps stand in its lines (:func:`stamp_cuts`, :func:`unstamped`).

A stamp (:func:`~.stamps.stamp`) decides a boundary only where its kind recurs, in a regular
rhythm; a lone date or link line inside a post is none.

Pure functions over line texts, no numpy.
"""

from __future__ import annotations

import itertools
from collections.abc import Sequence
from statistics import median

from .stamps import KINDS, NUMBER_KINDS, Stamp, dialogue_line, stamp

#: Stamps this close (median lines from one to the next) mark every post of a block.
STAMP_RUN = 12


def stamp_starts(
    texts: Sequence[str],
    at_start: bool = True,
    final: bool = True,
    known: frozenset[str] = frozenset(),
) -> tuple[list[Stamp | None], frozenset[str]]:
    """The stamps of a block of non-blank lines that mark its posts, by line (``None`` for
    the rest), and the kinds of stamp in force: ``date``, ``link``, ``prefix``, ``label``
    (above or opening their posts), ``date_below``, ``link_below`` and ``counts`` (under
    them).

    A kind is in force where it recurs: seen twice or more with the block opening with one
    (``at_start``: the block is the dump's beginning), or three times or more at most
    :data:`STAMP_RUN` lines apart (median), or in force in an earlier block (``known``). Bare
    labels need more: a quarter of the lines or more, two names at least, the block opening
    with one, and few lines of dialogue ("Me: ...") beside them. A person's numbering of the
    posts (``number``) or bullets (``bullet``) count where the dump opens with one (and the
    numbers after run on: 1, 2, 3), a list inside one post being the other reading of such
    lines; in later blocks the run starts at the first of them. A handle alone above each
    post (``handle``) counts where the dump opens with one and three or more recur, never
    two in a row (tags). Date and link lines are read
    as under their posts when the dump does not open with one and (in its ``final`` block)
    ends with one; counts are always under their posts.

    Examples:
        >>> texts = ["2023-03-01 14:22", "hello", "there", "2023-03-02 09:00", "again"]
        >>> marks, kinds = stamp_starts(texts)
        >>> [i for i, s in enumerate(marks) if s], sorted(kinds)
        ([0, 3], ['date'])
        >>> stamp_starts(["hello", "Mar 1, 2023", "again", "Mar 2, 2023"])[1] == {"date_below"}
        True
        >>> stamp_starts(["A party on", "2023-03-01 14:22", "at the hall"])[0] == [None] * 3
        True
        >>> texts = ["1. Three tips:", "1. sleep", "2. eat", "2. Launch day", "3. Done"]
        >>> [i for i, s in enumerate(stamp_starts(texts)[0]) if s]
        [0, 3, 4]
        >>> stamp_starts(["Three tips:", "1. sleep", "2. eat", "3. run"])[1]
        frozenset()
    """
    found = [stamp(t) for t in texts]
    kinds: dict[str, list[int]] = {}
    for i, s in enumerate(found):
        if s is not None:
            kinds.setdefault("number" if s.kind in NUMBER_KINDS else s.kind, []).append(i)
    out: list[Stamp | None] = [None] * len(texts)
    force: set[str] = set()
    for kind, idx in kinds.items():
        if kind in ("number", "bullet"):
            # numbers run on from the first (1, 2, 3: a list inside a post, restarting at 1,
            # is passed over); bullets are the first one's ("- ", "• "); from the dump's first
            # line (else they are a list in a post)
            run = _numbered(found, idx) if kind == "number" else _bulleted(texts, idx)
            # one after another, then more lines than they are: a list at the top of the
            # first post ("1. Open your laptop", "2. Search ...")
            listed = run[-1] - run[0] == len(run) - 1 and len(texts) - 1 - run[-1] > len(run)
            if kind not in known and (listed or not (at_start and run[0] == 0 and len(run) > 1)):
                continue
            force.add(kind)
            idx = run
        elif kind == "handle" and kind not in known and not _authors(idx, at_start):
            continue
        elif f"{kind}_below" in known or kind in known:
            force.add(f"{kind}_below" if f"{kind}_below" in known else kind)
        elif len(idx) < 2:
            continue
        elif kind == "label":
            # "Name (@handle): " prefixes among the labels name authors too
            idx = sorted(idx + [i for i in kinds.get("prefix", []) if found[i].author])  # type: ignore[union-attr]
            names = {found[i].author.lower() for i in idx}  # type: ignore[union-attr]
            talk = sum(1 for t in texts if dialogue_line(t))  # "Me: ..." lines: a dialogue
            many = len(idx) >= 3 and len(names) >= 2 and 4 * len(idx) >= len(texts)
            if not (at_start and idx[0] == 0 and many and 4 * talk < len(idx)):
                continue
            force.add(kind)
        else:
            regular = (
                len(idx) >= 3 and median(b - a for a, b in itertools.pairwise(idx)) <= STAMP_RUN
            )
            closes = at_start and final and idx[-1] == len(texts) - 1
            if not (regular or closes or at_start and idx[0] == 0 and kind != "counts"):
                continue
            below = kind in ("date", "link") and at_start and idx[0] > 0
            if below and final:
                below = idx[-1] == len(texts) - 1
            force.add(f"{kind}_below" if below else kind)
        for i in idx:
            out[i] = found[i]
    return out, frozenset(force)


def _authors(idx: list[int], at_start: bool) -> bool:
    """Whether lone ``@handle`` lines at ``idx`` name each post's author above it. Inside
    tweets such a line is a reply's target above its words or a tag under them, and tags come
    one under another; as authors they open the dump, three or more, at most
    :data:`STAMP_RUN` lines apart (median), never two in a row."""
    return (
        at_start
        and idx[0] == 0
        and len(idx) >= 3
        and all(b - a > 1 for a, b in itertools.pairwise(idx))
        and median(b - a for a, b in itertools.pairwise(idx)) <= STAMP_RUN
    )


def _bulleted(texts: Sequence[str], idx: list[int]) -> list[int]:
    """Of the bulleted lines ``idx``, those with the first one's bullet."""
    mark = texts[idx[0]].lstrip()[:1]
    return [i for i in idx if texts[i].lstrip()[:1] == mark]


def _numbered(found: Sequence[Stamp | None], idx: list[int]) -> list[int]:
    """Of the numbered lines ``idx``, those whose numbers run on from the first's: 3, 4, 5.
    A number that goes back (a list inside a post, "1. sleep") opens an inner run, and the
    numbers that go on from it belong to it, not to the posts' run."""
    run: list[int] = []
    want: int | None = None
    inner: int | None = None  # the last number of a list inside the post
    for i in idx:
        n: int = found[i].number  # type: ignore[union-attr, assignment]
        if want is None or n == want and (inner is None or n != inner + 1):
            run.append(i)
            want, inner = n + 1, None
        elif n < want or inner is not None and n == inner + 1:
            inner = n
    return run


def under_post(mark: Stamp, kinds: frozenset[str]) -> bool:
    """Whether a stamp in force sits under its post (it ends it) rather than above it."""
    return mark.kind == "counts" or f"{mark.kind}_below" in kinds


def stamp_cuts(lines: Sequence[str], kinds: frozenset[str] = KINDS) -> dict[int, int]:
    """Where a post's stamps (of ``kinds``) stand in its lines: line index -> characters the
    stamp takes. The lines of their own above and under its words (dates, its own link,
    counts, its author) are taken whole, the opening of its first line of words (a date or
    author prefix) in part; blank lines are passed over, and one line at least is left.

    Examples:
        >>> stamp_cuts(["2023-03-01 14:22", "", "sama: hi", "💬 1  ❤️ 4"])
        {0: 16, 3: 9, 2: 6}
    """
    kept = [i for i, line in enumerate(lines) if line.strip()]
    cut: dict[int, int] = {}
    lo, hi = 0, len(kept)
    while lo < hi and (f := stamp(lines[kept[lo]])) and f.own_line and f.kind in kinds:
        cut[kept[lo]] = len(lines[kept[lo]])
        lo += 1
    while hi > lo + 1 and (f := stamp(lines[kept[hi - 1]])) and f.own_line and f.kind in kinds:
        cut[kept[hi - 1]] = len(lines[kept[hi - 1]])
        hi -= 1
    f = stamp(lines[kept[lo]]) if lo < hi else None
    if f is not None and not f.own_line and f.kind in kinds:
        cut[kept[lo]] = f.end
    return cut


def unstamped(texts: list[str]) -> list[str]:
    """A stamped post's non-blank lines without its stamps (:func:`stamp_cuts`).

    Examples:
        >>> unstamped(["2023-03-01 14:22", "@ann hello", "💬 1  ❤️ 4"])
        ['@ann hello']
        >>> unstamped(["sama: hi", "there"])
        ['hi', 'there']
    """
    cut = stamp_cuts(texts)
    kept = (line[cut.get(i, 0) :].strip() if i in cut else line for i, line in enumerate(texts))
    return [line for line in kept if line]
