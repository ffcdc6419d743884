"""The figures of what posts link, mention and reply to, and of the kinds of records."""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import plotly.graph_objects as go

from .style import apply_style, legend_below, ranked_bar


def top_domains(domains: Sequence[tuple[str, int]]) -> go.Figure:
    """The most linked domains.

    Examples:
        >>> top_domains([("t.co", 5), ("x.org", 1)]).data[0].y
        ('x.org', 't.co')
    """
    return ranked_bar(domains, "#4e79a7")


def top_mentions(handles: Sequence[tuple[str, int]]) -> go.Figure:
    """The most mentioned handles.

    Examples:
        >>> top_mentions([("@ann", 2)]).data[0].x
        (2,)
    """
    return ranked_bar(handles, "#59a14f")


def reply_targets(handles: Sequence[tuple[str, int]]) -> go.Figure:
    """The handles replies are addressed to most often.

    Examples:
        >>> reply_targets([("@bo", 3), ("@ann", 1)]).data[0].x
        (1, 3)
    """
    return ranked_bar(handles, "#b07aa1")


def record_kinds(counts: Mapping[str, int]) -> go.Figure:
    """Records by kind (posts, replies, link lines) as one stacked bar.

    Examples:
        >>> [t.name for t in record_kinds({"posts": 5, "replies": 2, "links": 1}).data]
        ['posts', 'replies', 'link lines']
    """
    fig = go.Figure()
    for key, name, color in (
        ("posts", "posts", "#4e79a7"),
        ("replies", "replies", "#f28e2b"),
        ("links", "link lines", "#bab0ac"),
    ):
        fig.add_trace(
            go.Bar(
                x=[int(counts.get(key, 0))],
                y=[""],
                name=name,
                orientation="h",
                marker_color=color,
                hovertemplate=f"{name}: %{{x}}<extra></extra>",
            )
        )
    fig.update_layout(barmode="stack")
    room = legend_below(fig, 3, font_size=13)
    fig.update_xaxes(visible=False)
    return apply_style(fig, 70 + room, legend=True)
