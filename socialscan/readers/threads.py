"""Grouping consecutive records that continue one thread under a shared ``thread_id``.

One rule and one joiner, for every path that reads records: :func:`same_thread` says whether two
neighbours continue one thread, and :class:`ThreadJoiner` gives each run of two or more the
id of its first record (:func:`thread_key`), streaming. :func:`assign_threads` runs it over
Posts; the ``lines`` fast path runs it over compact line records in each block and across the
cuts between blocks (:mod:`.pool`), and ``--engine dask`` across the cuts between partitions
(:mod:`socialscan.distributed.partitions`).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from typing import Any

from ..records import Post
from .dump import thread_marker
from .stats import ParseStats


def same_thread(a: Post, b: Post) -> bool:
    """Whether ``b`` continues ``a``'s thread, ``b`` coming right after ``a``.

    Structured input: the same conversation and the same author. Raw text: both carry thread
    numbering (``1/5``, ``2/``, the thread emoji) and neither is a link line.

    Examples:
        >>> p = lambda text: Post(id=text, kind="post", text=text, line_start=1, line_end=1)
        >>> same_thread(p("Big news 1/2"), p("more 2/2")), same_thread(p("Big news 1/2"), p("hi"))
        (True, False)
    """
    if a.conversation_id or b.conversation_id:
        return bool(
            a.conversation_id
            and a.conversation_id == b.conversation_id
            and a.author
            and a.author == b.author
        )
    return a.kind != "link" and b.kind != "link" and thread_marker(a.text) and thread_marker(b.text)


def thread_key(post: Post) -> str:
    """The ``thread_id`` a run starting with ``post`` takes: its conversation id, else its id."""
    return post.conversation_id or post.id


class ThreadJoiner:
    """Links runs of consecutive records of one thread, streaming, holding at most one record.

    Feed records in order with :meth:`add`, then :meth:`close` at the end of an input. A run
    of two or more takes ``tid_of(first record)`` as its ``thread_id``.

    Args:
        emit: Called as ``emit(record, thread_id)`` once a record's thread is settled, in order
            (``thread_id`` is ``None`` for a record in no run).
        same: ``same(a, b)``: ``b`` continues ``a``'s thread; ``None`` when any two joinable
            records in a row do (the ``joinable`` flag of :meth:`add` says it all).
        tid_of: The thread id of a run from its first record.

    Attributes:
        held: A record that may yet start a run (its successor decides).
        tid: The thread id of the run in progress, once it has two records.
        last: The last record added, while a run may go on.
        threads: Runs that reached two records here.

    Examples:
        >>> out = []
        >>> j = ThreadJoiner(lambda r, tid: out.append((r, tid)), tid_of=str.upper)
        >>> for r, joinable in [("a", True), ("b", True), ("c", False), ("d", True)]:
        ...     j.add(r, joinable)
        >>> j.close(); out
        [('a', 'A'), ('b', 'A'), ('c', None), ('d', None)]
    """

    __slots__ = ("emit", "held", "last", "same", "threads", "tid", "tid_of")

    def __init__(
        self,
        emit: Callable[[Any, str | None], Any],
        same: Callable[[Any, Any], bool] | None = None,
        tid_of: Callable[[Any], str] = thread_key,
    ):
        self.emit = emit
        self.same = same
        self.tid_of = tid_of
        self.held: Any = None
        self.tid: str | None = None
        self.last: Any = None
        self.threads = 0

    @property
    def idle(self) -> bool:
        """No run in progress: the next record cannot join anything before it."""
        return self.last is None

    def add(self, rec: Any, joinable: bool = True) -> None:
        """Take the next record (``joinable``: it may be part of a thread at all)."""
        if not joinable:
            if self.last is not None:
                self.close()
            self.emit(rec, None)
            return
        last = self.last
        if last is not None and (self.same is None or self.same(last, rec)):
            if self.tid is None:
                held, self.held = self.held, None
                self.tid = self.tid_of(held)
                self.threads += 1
                self.emit(held, self.tid)
            self.emit(rec, self.tid)
        else:
            if last is not None:
                self.close()
            self.held = rec
        self.last = rec

    def close(self) -> None:
        """End the run in progress (at a record that does not continue it, or an input's end)."""
        if self.held is not None:
            held, self.held = self.held, None
            self.emit(held, None)
        self.tid = None
        self.last = None

    def state(self) -> tuple[Any, str | None, Any]:
        """``(held, tid, last)``: what the joiner holds, to :meth:`resume` after a cut."""
        return self.held, self.tid, self.last

    def resume(self, state: tuple[Any, str | None, Any]) -> None:
        """Carry on from a :meth:`state` taken at the end of the records before a cut."""
        self.held, self.tid, self.last = state


def assign_threads(posts: Iterable[Post], stats: ParseStats | None = None) -> Iterator[Post]:
    """Give runs of two or more consecutive records of one thread (:func:`same_thread`) the
    same ``thread_id``: the conversation id for structured input, else the first record's id.
    Streams: holds one record at a time. A record the reader already linked (a raw dump's) is
    kept as it is and ends any run."""
    out: list[Post] = []

    def emit(post: Post, tid: str | None) -> None:
        if tid is not None:
            post.thread_id = tid
        out.append(post)

    joiner = ThreadJoiner(emit, same_thread)
    for post in posts:
        if post.thread_id is not None:
            joiner.add(post, False)
            if stats is not None and post.thread_id == post.id:
                stats.threads += 1
        else:
            joiner.add(post)
        if out:
            yield from out
            out.clear()
    joiner.close()
    yield from out
    if stats is not None:
        stats.threads += joiner.threads
