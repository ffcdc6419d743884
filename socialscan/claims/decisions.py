"""A person's labels file read for ``train claims --from``: which posts they judged, for what.

The report's export (``labels.jsonl``) says per post the labels a person gave (``labels``),
the ones they turned off (``rejected``) and who decided the line (``decided_by``: ``person``
or ``model``). Training from a base model learns from a person's decisions only, keeps the
file's test lines apart for the before / after scores, and needs per label which posts were
judged for it and whether it holds there: a post a person reviewed and left a default label
as the model had it taught nothing about that label, while a label only people give holds on
none of the other posts they decided.

Examples:
    >>> data = Labelled(["Win a tent!", "Nice day."], [["giveaway"], []], ["train", "train"])
    >>> seen, holds = judgements(data, "giveaway", known=False)
    >>> seen.tolist(), holds.tolist()
    ([True, True], [True, False])
    >>> judgements(data, "product_plug", known=True)[0].tolist()
    [False, False]
"""

from __future__ import annotations

import os
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from ..errors import MalformedInput
from .corpus import Labelled


@dataclass
class Decisions:
    """The lines of a labels file a person decided, split, and the labels they name."""

    #: Every line a person decided (test lines too).
    person: Labelled
    #: Those outside the ``test`` split: what the new model learns from.
    train: Labelled
    #: Those in it: what the base model and the new one are scored on.
    test: Labelled
    #: The base model's labels, then the new ones in name order.
    labels: list[str]
    #: Labels a person gave or turned off that the base model does not know.
    new: list[str]
    #: Lines decided by the model, not a person: not learned from.
    skipped: int


def person_decisions(
    corpus: Labelled, known: Sequence[str], labelled: str | os.PathLike[str]
) -> Decisions:
    """The decisions of ``corpus`` (``labelled`` read by
    :func:`~socialscan.claims.corpus.read_corpus`) for a base model that knows the labels
    ``known``.

    Raises:
        MalformedInput: no line a person decided, or every such line is a test line.
    """
    decided = corpus.decided_by or ["person"] * len(corpus.texts)
    person = [i for i, d in enumerate(decided) if d == "person"]
    mine = corpus.rows(person)
    if not mine.texts:
        raise MalformedInput(f"{labelled}: no line decided by a person: nothing to learn")
    train = mine.rows([i for i, s in enumerate(mine.splits) if s != "test"])
    test = mine.part("test")
    mentioned = sorted(
        {x for g in mine.labels for x in g} | {x for g in mine.rejected or [] for x in g}
    )
    new = [lab for lab in mentioned if lab not in known]
    if not train.texts:
        raise MalformedInput(f"{labelled}: every line is in the test split: nothing to learn")
    return Decisions(mine, train, test, list(known) + new, new, len(corpus.texts) - len(person))


def judgements(data: Labelled, label: str, known: bool) -> tuple[np.ndarray, np.ndarray]:
    """Which posts were judged for ``label`` and whether it holds there.

    A label in ``labels`` holds; one in ``rejected`` does not. A label the base model already
    knows is otherwise unjudged: a person who reviewed a post and left a default label as the
    model had it taught nothing about it. A new label (one only people give) does not hold on
    any other post a person decided: it exists because they were labelling with it.
    """
    n = len(data.texts)
    rejected = data.rejected or [[] for _ in range(n)]
    decided = data.decided_by or ["person"] * n
    pos = np.array([label in g for g in data.labels], dtype=bool)
    neg = np.array([label in r for r in rejected], dtype=bool)
    if not known:
        neg |= np.array([d == "person" for d in decided], dtype=bool) & ~pos
    return pos | neg, pos


def judged_one(data: Labelled, i: int, label: str, known: bool) -> tuple[bool, bool]:
    """:func:`judgements` for the one post ``i``: (judged for ``label``, holds there)."""
    if label in data.labels[i]:
        return True, True
    if data.rejected is not None and label in data.rejected[i]:
        return True, False
    if not known and (data.decided_by is None or data.decided_by[i] == "person"):
        return True, False
    return False, False
