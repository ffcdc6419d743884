"""Threads across the cuts of a dump decided in pieces: one rule for the worker and the parent.

A raw dump's records are one thread when the linker links them
(:func:`~socialscan.readers.dump.continues_thread`, as :func:`~socialscan.readers.dump.read_dump`
does), or when both carry thread numbering and neither is in a linked run
(:func:`~socialscan.readers.threads.assign_threads`). A worker of :mod:`.dump_pool` knows
neither the record before its first nor the one after its last, so :func:`joins` answers with
three values (``None``: not known yet) and the same function settles the rest in the parent,
once the neighbours have come. Records go through a
:class:`~socialscan.readers.threads.ThreadJoiner` as ``(post, joins)`` pairs: :func:`record_id`
and :func:`joins_previous` read them.
"""

from __future__ import annotations

from ..records import Post


def _or(a: bool | None, b: bool | None) -> bool | None:
    """``a or b`` where ``None`` is "not known yet"."""
    if a or b:
        return True
    if a is None or b is None:
        return None
    return False


def joins(
    l_prev: bool | None,
    l_self: bool | None,
    l_next: bool | None,
    m_prev: bool | None,
    m_self: bool,
    first: bool,
) -> bool | None:
    """Whether a record continues the thread of the one before it (``None``: not known yet).

    ``l_*``: the linker links the record before, this one, the one after to the record before
    each (:func:`~socialscan.readers.dump.continues_thread`); ``m_*``: thread numbering on a
    record that is no link line. A linked pair is one thread (read_dump); else two numbered
    records in a row of which neither is in a linked run (assign_threads). ``first``: no
    record comes before.

    Examples:
        >>> joins(False, True, None, None, False, False), joins(False, False, False, True, True, False)
        (True, True)
        >>> joins(True, False, False, True, True, False), joins(None, False, None, False, True, False)
        (False, False)
    """
    if l_self:
        return True
    if first:
        return False
    if l_self is None:
        return None
    if m_self is False or m_prev is False:
        return False
    if m_prev is None:
        return None
    inx, iny = _or(l_prev, l_self), _or(l_self, l_next)
    if inx or iny:
        return False
    if inx is None or iny is None:
        return None
    return True


def numbered(post: Post) -> bool:
    """A record that numbered threads may join (:func:`~socialscan.readers.threads.same_thread`)."""
    from .dump import thread_marker

    return post.kind != "link" and thread_marker(post.text)


def record_id(rec: tuple[Post, bool]) -> str:
    """The thread id a ``(post, joins)`` pair gives the run it starts: the post's id."""
    return rec[0].id


def joins_previous(a: tuple[Post, bool], b: tuple[Post, bool]) -> bool:
    """Whether pair ``b`` continues the thread of ``a``, the pair before it: ``b``'s answer."""
    return b[1]
