"""Which topics get a trace (and a legend entry) of their own in the multi-topic figures, and how
traces are named and coloured; the rest share one "other topics" trace."""

from __future__ import annotations

import html
from collections.abc import Mapping

import pandas as pd

from ..colors import topic_color
from .style import OTHER_COLOR, short_name

#: Topics drawn as their own trace (own legend entry) in multi-topic figures; the rest share
#: one "other topics" trace. Each plotly trace costs draw time, and a legend of 40 topics helps
#: nobody.
TOPIC_TRACES = 12
OTHER_TOPICS = "other topics"


def leading_topics(sizes: Mapping[int, int], limit: int = TOPIC_TRACES) -> list[int]:
    """The topics that get a trace of their own: the largest ``limit`` non-outlier topics,
    in topic order, then the outliers (-1) when present.

    Examples:
        >>> leading_topics({-1: 9, 0: 5, 1: 1, 2: 7}, limit=2)
        [0, 2, -1]
    """
    real = sorted((t for t in sizes if t >= 0), key=lambda t: (-sizes[t], t))[:limit]
    return sorted(real) + ([-1] if -1 in sizes else [])


def fold_small_topics(table: pd.DataFrame) -> pd.DataFrame:
    """Columns (topics) beyond the leading ones summed into one ``OTHER_TOPICS`` column.

    Examples:
        >>> t = pd.DataFrame({0: [1], 1: [5], 2: [2], -1: [4]})
        >>> list(fold_small_topics(t).columns) if TOPIC_TRACES >= 3 else None
        [0, 1, 2, -1]
    """
    lead = leading_topics(table.sum().to_dict())
    rest = [c for c in table.columns if c not in lead]
    out = table[lead].copy()
    if rest:
        out.insert(len([t for t in lead if t >= 0]), OTHER_TOPICS, table[rest].sum(axis=1))
    return out


def topic_trace_name(t, labels: Mapping[int, str]) -> str:
    """A topic's legend entry: its name, escaped and cut short (hovers show it whole)."""
    if t == OTHER_TOPICS:
        return OTHER_TOPICS
    return html.escape(short_name(labels.get(int(t), f"topic {t}")))


def topic_full_name(t, labels: Mapping[int, str]) -> str:
    if t == OTHER_TOPICS:
        return OTHER_TOPICS
    return html.escape(str(labels.get(int(t), f"topic {t}")))


def topic_trace_color(t) -> str:
    return OTHER_COLOR if t == OTHER_TOPICS else topic_color(t)
