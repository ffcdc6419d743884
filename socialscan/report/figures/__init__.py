"""The report's figures: one function per figure, each taking DataFrames and returning a
``plotly.graph_objects.Figure``, grouped by what they show (claims, the topic map, topics,
posts); what they share is in :mod:`~socialscan.report.figures.style` and
:mod:`~socialscan.report.figures.traces`.

Colours come from :mod:`socialscan.report.colors`, so a label or a topic has the same colour in
every figure. Post text shown in hovers is HTML-escaped and truncated: tweet text is hostile.
"""

from .claims import claim_counts
from .map import MAP_MAX_POINTS, map_points, sample_for_map, topic_map
from .posts import record_kinds, reply_targets, top_domains, top_mentions
from .style import (
    FONT,
    HOVER_CHARS,
    LABEL_CHAR_PX,
    NAME_CHARS,
    OTHER_COLOR,
    TOOLBAR_ROOM,
    hover_text,
    short_name,
)
from .topics import HIERARCHY_DOCS, topic_hierarchy, topic_sizes, topics_by_label, topics_over_time
from .traces import OTHER_TOPICS, TOPIC_TRACES

__all__ = [
    "FONT",
    "HIERARCHY_DOCS",
    "HOVER_CHARS",
    "LABEL_CHAR_PX",
    "MAP_MAX_POINTS",
    "NAME_CHARS",
    "OTHER_COLOR",
    "OTHER_TOPICS",
    "TOOLBAR_ROOM",
    "TOPIC_TRACES",
    "claim_counts",
    "hover_text",
    "map_points",
    "record_kinds",
    "reply_targets",
    "sample_for_map",
    "short_name",
    "top_domains",
    "top_mentions",
    "topic_hierarchy",
    "topic_map",
    "topic_sizes",
    "topics_by_label",
    "topics_over_time",
]
