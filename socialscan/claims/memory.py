"""What a claims model remembers of the posts a person decided (``train claims --from``).

A person who labels a post in the report has decided it: that post, and any copy of it in a
later dump, should carry their labels whatever a head scores. A model keeps no post's text
(a user's labels file may hold posts that must not be copied into a model directory), so it
remembers a hash of what copies of the post share (:func:`post_key`) and, per label, whether
it holds there. :class:`~socialscan.claims.model.ClaimModel` reads it through these functions.

Examples:
    >>> memory = {post_key("Win a free pass! https://t.co/x"): {"giveaway": True}}
    >>> remembered_labels(memory, ["giveaway"], ["win a   FREE pass!", "Nice day."])
    [{'giveaway': True}, {}]
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

#: :func:`post_key` of a post's text -> label -> whether it holds on that post.
Memory = dict[str, dict[str, bool]]


def post_key(text: str) -> str:
    """What copies of a post share, hashed (a model keeps no post's text): its
    :func:`~socialscan.claims.corpus.text_key` with the page's lines masked as the tagger
    masks them.

    Examples:
        >>> post_key("Win a free pass! https://t.co/x") == post_key("win a   FREE pass!")
        True
    """
    import hashlib

    from ..text.body import mask
    from .corpus import text_key

    return hashlib.sha1(text_key(mask(text)).encode("utf-8")).hexdigest()[:20]


def remembered_labels(
    memory: Memory, labels: Sequence[str], texts: Sequence[str]
) -> list[dict[str, bool]]:
    """Per text, the labels of ``labels`` a person decided on it or on a copy of it (label ->
    holds; empty for a post nobody labelled). A label the model no longer has is left out."""
    if not memory:
        return [{} for _ in texts]
    known = set(labels)
    return [{k: v for k, v in (memory.get(post_key(t)) or {}).items() if k in known} for t in texts]


def apply_memory(
    memory: Memory, labels: Sequence[str], texts: Sequence[str], out: np.ndarray
) -> None:
    """Set ``out``'s scores (n, len(labels)) of the posts a person decided to their decisions:
    1.0 where a label holds, 0.0 where they turned it off; every other score stays."""
    col = {name: j for j, name in enumerate(labels)}
    for i, got in enumerate(remembered_labels(memory, labels, texts)):
        for name, holds in got.items():
            out[i, col[name]] = 1.0 if holds else 0.0
