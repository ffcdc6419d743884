"""Grouping consecutive records that continue one thread under a shared ``thread_id``."""

from __future__ import annotations

from collections.abc import Iterable, Iterator

from ..records import Post
from .dump import thread_marker
from .stats import ParseStats


def _same_thread(a: Post, b: Post) -> bool:
    if a.conversation_id or b.conversation_id:
        # structured input: same conversation and same author, or an explicit self-reply
        return bool(
            a.conversation_id
            and a.conversation_id == b.conversation_id
            and a.author
            and a.author == b.author
        )
    # raw dump: thread numbering ("1/5", "2/", the thread emoji) on both neighbours
    return a.kind != "link" and b.kind != "link" and thread_marker(a.text) and thread_marker(b.text)


def assign_threads(posts: Iterable[Post], stats: ParseStats | None = None) -> Iterator[Post]:
    """Give runs of two or more consecutive records of one thread the same ``thread_id``.

    The thread id is the conversation id for structured input, else the first record's id.
    Streams: holds one run at a time.
    """
    run: list[Post] = []

    def flush() -> Iterator[Post]:
        if len(run) > 1:
            tid = run[0].conversation_id or run[0].id
            for p in run:
                p.thread_id = tid
            if stats is not None:
                stats.threads += 1
        yield from run
        run.clear()

    for post in posts:
        if post.thread_id is not None:  # the reader already linked it (raw dumps)
            yield from flush()
            if stats is not None and post.thread_id == post.id:
                stats.threads += 1
            yield post
            continue
        if run and not _same_thread(run[-1], post):
            yield from flush()
        run.append(post)
    yield from flush()
