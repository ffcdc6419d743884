"""The parent's side of a dump decided in pieces: the pieces joined in input order.

What carries over from piece to piece is stitched here (:class:`Stitch`), so that the records
are byte for byte those of one process:

- **The post across a cut.** A piece gives the rest of the post in progress at its start (its
  lines, stamps and each line's vector, summed here in order: the float32 sum the thread
  linker reads depends on its order) and the post still open at its end.
- **Threads.** The records a worker could not settle come as Posts, with the linker's answer
  for each pair it could ask; the pair across a cut is asked here, and one
  :class:`~socialscan.readers.threads.ThreadJoiner` links them by the rule of
  :mod:`.dump_threads`.
- **Repeated texts** are marked in input order (:meth:`~socialscan.readers.repeats.Repeats.block`),
  patched into the encoded records that repeat an earlier text (:mod:`.post_rows`).

The page's frames are not stitched here: :mod:`.dump_pool` checks each piece's guess of them.
"""

from __future__ import annotations

import os
from typing import Any

from ..export.writers import Encoded, Spooled
from ..records import Post
from .dump_piece import Body, Decided
from .dump_threads import joins, joins_previous, numbered, record_id
from .post_rows import PostEncoder
from .repeats import is_retweet_text, repeat_key
from .threads import ThreadJoiner


class Stitch:
    """Joins decided pieces in input order and yields what the writer takes.

    Args:
        to: The output format (``jsonl``, ``csv`` or ``parquet``).
        stats: The parse's counts, counted here as one process counts them.
        repeats: The parse's :class:`~socialscan.readers.repeats.Repeats`, asked in input order.
        linker: The boundary model's thread linker, for the pairs across cuts.
        source, source_key: The records' ``source`` and the key of their ids.
        segmenter: The segmenter's name, for ``stats.segmenters``.
        on_records: Called with the number of records each time some go to the writer.
    """

    def __init__(self, to, stats, repeats, linker, source, source_key, segmenter, on_records):
        self.enc = PostEncoder(to)
        self.stats = stats
        self.repeats = repeats
        self.linker = linker
        self.source, self.source_key = source, source_key
        self.segmenter = segmenter
        self.on_records = on_records
        self.parts: list[Post] = []
        self.joiner = ThreadJoiner(self._emit, joins_previous, record_id)
        # the last two records whose thread answers are pending: [post or body, numbered,
        # linked]; a body's records pass as (None, ...) entries
        self.window: list[list[Any]] = []
        self.last: tuple[Post, Any] | None = None  # the last record made, and its segment
        self.open: Any = None  # the post in progress
        self.seen_any = False
        self.out: list[Any] = []

    def _emit(self, rec: tuple[Post, bool], tid: str | None) -> None:
        post = rec[0]
        post.thread_id = tid
        stats, repeats = self.stats, self.repeats
        stats.count(post)
        if repeats.again(post.tweet_id, post.id):
            stats.drop_duplicate(post)
            return
        if not post.is_retweet and is_retweet_text(post.text):
            post.is_retweet = True
        post.duplicate_of = repeats.first(repeat_key(post.text), post.id)
        self.parts.append(post)

    def _flush(self) -> None:
        if not self.parts:
            return
        data, _ = self.enc.rows(self.parts)
        n = len(self.parts)
        self.parts = []
        if self.enc.encodes_blocks:
            self.out.append(Encoded(data, n))
        else:
            self.out.extend(data)
        if self.on_records is not None:
            self.on_records(n)

    def _push(self, entry: list[Any]) -> None:
        """The next record: ``[post or a body's tuple, numbered, linked]``."""
        w = self.window
        w.append(entry)
        if len(w) >= 2:
            self._settle(w[-3] if len(w) >= 3 else None, w[-2], entry[2])
        if len(w) > 3:
            del w[0]

    def _settle(self, x: list[Any] | None, y: list[Any], l_next: bool | None) -> None:
        j = joins(x[2] if x else None, y[2], l_next, x[1] if x else None, y[1], x is None)
        assert j is not None
        rec = y[0]
        if isinstance(rec, Post):
            self.joiner.add((rec, j))
        elif rec is not None:  # a body's first record: it starts a run
            assert j is False
            self.joiner.close()
            self._flush()
            self._body(rec)

    def _body(self, body: Body) -> None:
        dups = self.repeats.block(body.keys)
        data = body.data
        if dups:
            if type(data) is Spooled:
                with open(data.path, "rb") as fh:
                    raw = fh.read()
                os.unlink(data.path)
                data = Encoded(self.enc.patch(raw, None, dups), data.count)
            elif type(data) is Encoded:
                data = Encoded(self.enc.patch(data.data, body.ends, dups), data.count)
            else:
                data = self.enc.patch(data, None, dups)
        if self.enc.encodes_blocks:
            self.out.append(data)
        else:
            self.out.extend(data)
        stats = self.stats
        stats.posts += body.kinds[0]
        stats.replies += body.kinds[1]
        stats.links += body.kinds[2]
        stats.threads += body.threads
        if self.on_records is not None:
            self.on_records(body.count)

    def _record(self, post: Post, seg: Any, marked: bool, linked: bool | None) -> None:
        if not self.seen_any:  # said only of a dump that had a post to split
            self.seen_any = True
            self.stats.segmenters.add(self.segmenter)
        if linked is None:  # the pair across a cut: asked here
            from .dump import continues_thread

            prev = self.last
            linked = prev is not None and continues_thread(
                prev[0], post, seg.p, linker=self.linker, segments=(prev[1], seg)
            )
        self._push([post, marked, linked])
        self.last = (post, seg)

    def add(self, d: Decided) -> list[Any]:
        """Stitch the next piece; the writer's items it completes."""
        from .dump import make_post

        if d.head is not None:
            o = self.open
            o.lines.extend(d.head.lines[1:])
            v = o.vector
            for row in d.head.vector:
                v += row
            if d.head.stamp is not None:
                o.stamp = d.head.stamp.merged(o.stamp)
        if d.ended:  # the post across the cut ends here
            o = self.open
            post = make_post(o.lines, self.source, self.source_key, copied=True, stamp=o.stamp)
            self._record(post, o, numbered(post), None)
            self.open = None
        if d.flags:
            body = d.body
            if body is None:
                order: Any = range(len(d.flags))
            else:  # a body's own records settle nothing here: only its first two (the first
                # emits it once the second is known) and its last two (the next record's
                # neighbours) pass through the window
                a, b = body[0], body[1]
                order = sorted({*d.raw, *(i for i in (a, a + 1, b - 2, b - 1) if a <= i < b)})
            flags = d.flags
            for i in order:
                marked, linked = flags[i]
                if i in d.raw:
                    post, seg = d.raw[i]
                    self._record(post, seg, marked, linked)
                else:
                    assert body is not None
                    self._push([body[2] if i == body[0] else None, marked, linked])
                    if i == body[1] - 1:
                        self.last = None  # the next record was linked in the worker
        if d.open is not None:
            self.open = d.open
        out, self.out = self.out, []
        return out

    def close(self) -> list[Any]:
        """The dump's end: the writer's items still held."""
        from .dump import make_post

        o = self.open
        if o is not None:  # the last pieces were all the rest of one post
            post = make_post(o.lines, self.source, self.source_key, copied=True, stamp=o.stamp)
            self._record(post, o, numbered(post), None)
            self.open = None
        w = self.window
        if w:
            self._settle(w[-2] if len(w) >= 2 else None, w[-1], False)
        self.joiner.close()
        self._flush()
        self.stats.threads += self.joiner.threads
        out, self.out = self.out, []
        return out
