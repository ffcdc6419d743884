"""What the page around the posts says, over whatever the boundary model says: a copied
timeline's headers and footers (:mod:`socialscan.text.headers`, :mod:`socialscan.text.chrome`),
separator lines and embed signatures, a scraper's stamps (:mod:`socialscan.text.stamped`).
"""

from __future__ import annotations

import bisect

import numpy as np

from ..text.chrome import (
    MODULE_LINES,
    app_label,
    breaks_between,
    ends_post,
    is_badge,
    is_count,
    is_separator,
    module_title,
)
from ..text.headers import header_starts
from ..text.stamped import stamp_starts, under_post
from ..text.stamps import Stamp
from .items import LineItem

#: Separator lines this close (median lines from one to the next) delimit every post.
DELIMITED_RUN = 12


class Frames:
    """What the page around the posts says, over whatever the model says.

    - Copied from the X web app: a header starts a post, and the lines down to the end of its
      footer stay in it, a quoted post's header and text included.
    - An embed signature ("— Name (@handle) March 1, 2023") ends the post above it.
    - Separator lines ("---", "* * *") that come every few lines (median run between two at
      most :data:`DELIMITED_RUN` lines) delimit every post: each ends the post above it, and
      nothing else splits between two of them. Rarer ones end the post above them too,
      unless they underline a title or divide a post from its hashtags
      (:func:`~socialscan.text.chrome.breaks_between`); the lines between are left to the model.

    - Stamped by a scraper (:mod:`socialscan.text.stamps`): where dates or authors recur at posts' first
      lines (or dates under posts), each stamp starts (ends) a post and nothing else splits
      between two of them, unless the lines between are many more than usual (a stretch
      pasted without stamps, left to the model).

    The state carries over from block to block.
    """

    def __init__(self) -> None:
        self.header_left = 0  # header lines still to come
        self.in_post = False  # inside a header's post, before its footer ended
        self.footer = False  # its counts have begun
        self.module = 0  # lines so far of a box of the page's under the post ("Who to follow")
        self.next_p: float | None = None  # forced on the next line (after a separator)
        self.seen = False  # any line decided yet
        self.stamped: dict[int, Stamp] = {}  # line number -> the stamp that marks its post
        self.stamp_kinds: frozenset[str] = frozenset()  # kinds of stamp in force

    def apply(self, items: list[LineItem], p: np.ndarray, start: int, stop: int) -> None:
        texts = [it.info.text for it in items]
        starts = header_starts(texts)
        if not any(starts):  # a copied timeline's times belong to its headers
            self._stamps(items, texts, p, start, stop)
        ends = [g for g, t in enumerate(texts) if ends_post(t)]
        delimited = len(ends) >= 2 and float(np.median(np.diff(ends))) <= DELIMITED_RUN
        k = bisect.bisect_left(ends, start)  # ends[k] is the first end at or after g
        for g in range(start, stop):
            forced, self.next_p = self.next_p, None
            first, self.seen = not self.seen, True
            while k < len(ends) and ends[k] < g:
                k += 1
            h = starts[g]
            if h is not None and self.header_left == 0:
                # a quoted post's header stays in the post quoting it (the "Quote" line
                # above it is no footer)
                p[g] = 0.0 if h.quoted and self.in_post else 1.0
                self.header_left, self.in_post, self.footer = h.size - 1, True, False
                self.module = 0
            elif self.header_left:
                self.header_left -= 1
                p[g] = 0.0
            elif (
                k < len(ends)
                and ends[k] == g
                and (
                    delimited
                    or not is_separator(texts[g])
                    or breaks_between(texts, g, g > 0 and p[g - 1] >= 0.5)
                )
            ):
                p[g] = 1.0 if first else 0.0  # with the post above it
                self.next_p = 0.0 if first else 1.0
                self.in_post = False
            elif forced is not None:
                p[g] = forced
            elif self.in_post:
                t = texts[g]
                if self.module or (self.footer and module_title(t)):
                    # the page's box stays with the post above, out of its words, down to its
                    # "Show more" or the next header
                    self.module += 1
                    shown_more = app_label(t)  # the box's own "Show more" is its last line
                    if shown_more or self.module > MODULE_LINES:
                        self.in_post, self.module = False, 0
                        if not shown_more:
                            continue
                elif is_count(t):
                    self.footer = True
                elif self.footer and not is_badge(t):
                    self.in_post = False
                    continue
                p[g] = 0.0
            elif delimited and 0 < k < len(ends) and ends[k - 1] < g:  # between two ends
                p[g] = 0.0

    def _stamps(
        self, items: list[LineItem], texts: list[str], p: np.ndarray, start: int, stop: int
    ) -> None:
        marks, kinds = stamp_starts(
            texts, at_start=not self.seen, final=stop == len(items), known=self.stamp_kinds
        )
        self.stamp_kinds |= kinds
        at = [g for g, m in enumerate(marks) if m is not None]
        if not at:
            return
        for g in at:
            if start <= g < stop:
                self.stamped[items[g].n] = marks[g]  # type: ignore[assignment]
        # a post starts at a stamp above it, or right under the stamp that ends the one
        # before; stamps in a row (a date line over "Name (@handle): ...", counts over a
        # date) mark one post
        marked = set(at)
        under = {g for g in at if under_post(marks[g], kinds)}  # type: ignore[arg-type]
        above = {
            g
            for g in at
            if g not in under
            and not (g - 1 in marked and g - 1 not in under and marks[g - 1].own_line)  # type: ignore[union-attr]
        }
        after = {g + 1 for g in under if g + 1 < len(texts) and g + 1 not in under}
        starts = sorted(above | after | ({0} if under else set()))
        cap = 4 * float(np.median(np.diff(starts))) + 10 if len(starts) > 1 else 40.0
        for a, b in zip(starts, [*starts[1:], None], strict=True):
            if b is not None:
                hi = b
            elif any(g >= a for g in under):  # closed by a stamp under it, at the block's end
                hi = len(texts)
            else:  # opened by a stamp above it: down to the end; else another block's or bare
                hi = len(texts) if a in above else a + 1
            if start <= a < stop and a > 0:
                p[a] = 1.0
            if hi - a <= cap:
                p[max(a + 1, start) : min(hi, stop)] = 0.0
