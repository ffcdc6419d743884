"""The topic table: one row per topic with its size, label, terms and representative posts."""

from __future__ import annotations

#: Columns of :attr:`TopicResult.table`.
TABLE_COLUMNS = ("topic", "size", "label", "terms", "representative")

OUTLIER_LABEL = "outliers"


def count(n: int, word: str) -> str:
    """``n`` and ``word``, plural unless ``n`` is one.

    Examples:
        >>> count(1, "post"), count(2, "topic"), count(0, "outlier")
        ('1 post', '2 topics', '0 outliers')
    """
    return f"{n:,} {word}{'' if n == 1 else 's'}"


def label_for(topic: int, terms: list[str]) -> str:
    """A topic's label, the one every output shows: its first three terms that do not repeat a
    higher-ranked one (:func:`~socialscan.topics.terms.distinct`); ``outliers`` for -1.

    Examples:
        >>> label_for(3, ["fine tuning", "fine", "tuning", "llm", "llms", "tasks", "prompt"])
        'fine tuning, llm, tasks'
        >>> label_for(-1, ["the"]), label_for(0, [])
        ('outliers', 'topic 0')
    """
    from .terms import distinct

    if topic == -1:
        return OUTLIER_LABEL
    return ", ".join(distinct(terms, 3)) or f"topic {topic}"


def build_table(terms: dict[int, list[str]], topics: list[int], reps: dict[int, list[str]]):
    """The topic table, one row per topic id (sorted, -1 first when present)."""
    import pandas as pd

    ids = sorted(set(topics))
    counts = {t: 0 for t in ids}
    for t in topics:
        counts[t] += 1
    rows = [
        {
            "topic": t,
            "size": counts[t],
            "label": label_for(t, terms.get(t, [])),
            "terms": list(terms.get(t, [])),
            "representative": list(reps.get(t, [])),
        }
        for t in ids
    ]
    table = pd.DataFrame(rows, columns=list(TABLE_COLUMNS))
    return table.astype({"topic": "int64", "size": "int64"})
