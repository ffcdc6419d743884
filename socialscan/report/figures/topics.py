"""The topic figures: sizes, the hierarchy, topics over time and topics by claim label."""

from __future__ import annotations

import html
from collections.abc import Mapping

import numpy as np
import pandas as pd
import plotly.graph_objects as go

from ...text.body import mask
from ...text.entities import without_links
from ..colors import topic_color
from .style import apply_style, category_axis, labelled_bars, legend_below, short_name
from .traces import fold_small_topics, topic_full_name, topic_trace_color, topic_trace_name

#: Posts per topic read for the hierarchy's word vectors.
HIERARCHY_DOCS = 300


def topic_sizes(table: pd.DataFrame) -> go.Figure:
    """Posts per topic (outliers in grey), largest first.

    Args:
        table: The topics table: ``topic``, ``size``, ``label``.

    Examples:
        >>> t = pd.DataFrame({"topic": [-1, 0, 1], "size": [2, 9, 4], "label": ["-1_x", "0_llm", "1_run"]})
        >>> topic_sizes(t).data[0].x
        (2, 4, 9)
    """
    t = table.sort_values("size", ascending=True)
    return labelled_bars(
        t["size"].astype(int).tolist(),
        [str(v) for v in t["label"]],
        [topic_color(v) for v in t["topic"]],
        row_height=24,
    )


def topic_hierarchy(df: pd.DataFrame, labels: Mapping[int, str] | None = None) -> go.Figure:
    """Which topics are close: a dendrogram of topics by the words their posts use.

    Built from TF-IDF vectors of each topic's posts (English stop words and URLs dropped),
    cosine distance and average linkage. Needs at least three non-outlier topics.

    Examples:
        >>> d = pd.DataFrame({"topic": [0, 0, 1, 1, 2, 2], "text": ["llm prompt", "prompt llm tuning",
        ...     "running shoes", "shoes cushioning", "llm fine tuning", "fine tuning prompt"]})
        >>> len(topic_hierarchy(d).data) > 0
        True
    """
    from scipy.cluster.hierarchy import dendrogram, linkage
    from scipy.spatial.distance import pdist
    from sklearn.feature_extraction.text import TfidfVectorizer

    labels = labels or {}
    d = df[df["topic"] >= 0]
    d = d.groupby("topic", group_keys=False).head(HIERARCHY_DOCS)  # a topic's words settle early
    docs = (
        d.assign(text=d["text"].astype(str).map(lambda t: without_links(mask(t))))
        .groupby("topic")["text"]
        .agg(" ".join)
    )
    if len(docs) < 3:
        raise ValueError("a hierarchy needs at least three topics")
    vec = TfidfVectorizer(
        stop_words="english", min_df=1, sublinear_tf=True, max_features=20_000
    ).fit_transform(docs.tolist())
    dist = np.nan_to_num(pdist(vec.toarray(), metric="cosine"), nan=1.0)
    tree = dendrogram(linkage(dist, method="average"), no_plot=True, orientation="left")
    fig = go.Figure()
    link_x: list[float | None] = []
    link_y: list[float | None] = []
    for xs, ys in zip(tree["dcoord"], tree["icoord"], strict=True):
        link_x += [*xs, None]  # one trace for every link: None lifts the pen
        link_y += [*ys, None]
    fig.add_trace(
        go.Scatter(
            x=link_x,
            y=link_y,
            mode="lines",
            line={"color": "#8a99a8", "width": 1.5},
            hoverinfo="skip",
        )
    )
    order = [int(docs.index[i]) for i in tree["leaves"]]
    ys = [5 + 10 * i for i in range(len(order))]
    fig.add_trace(
        go.Scatter(
            x=[0] * len(order),
            y=ys,
            mode="markers",
            marker={"color": [topic_color(t) for t in order], "size": 11},
            text=[html.escape(str(labels.get(t, f"topic {t}"))) for t in order],
            hovertemplate="%{text}<extra></extra>",
        )
    )
    fig.update_yaxes(
        tickvals=ys,
        ticktext=[html.escape(short_name(labels.get(t, f"topic {t}"))) for t in order],
        automargin=True,
        showgrid=False,
        zeroline=False,
    )
    fig.update_xaxes(  # what the distance is, the card's caption says (a title would be cut)
        showgrid=False,
        zeroline=False,
        autorange="reversed",
        nticks=5,
        automargin=True,
    )
    return apply_style(fig, max(200, 40 + 26 * len(order)))


def _time_bucket(ts: pd.Series) -> tuple[pd.Series, str]:
    span = ts.max() - ts.min()
    if span <= pd.Timedelta(hours=2):
        freq, name = "min", "minute"
    elif span <= pd.Timedelta(days=3):
        freq, name = "h", "hour"
    elif span <= pd.Timedelta(days=120):
        freq, name = "D", "day"
    elif span <= pd.Timedelta(days=3 * 365):
        freq, name = "W", "week"
    else:
        freq, name = "MS", "month"
    if freq == "W":
        return ts.dt.to_period("W").dt.start_time, name
    if freq == "MS":
        return ts.dt.to_period("M").dt.start_time, name
    return ts.dt.floor(freq), name


def topics_over_time(df: pd.DataFrame, labels: Mapping[int, str] | None = None) -> go.Figure:
    """Posts per topic over time, as stacked areas; the bucket (minute to month) fits the span.

    Args:
        df: Columns ``created_at`` (ISO 8601 strings or datetimes) and ``topic``.

    Examples:
        >>> d = pd.DataFrame({"created_at": ["2023-01-01T10:00:00Z", "2023-01-02T10:00:00Z",
        ...     "2023-01-02T11:00:00Z"], "topic": [0, 0, 1]})
        >>> sorted(t.name for t in topics_over_time(d).data)
        ['topic 0', 'topic 1']
    """
    labels = labels or {}
    ts = pd.to_datetime(df["created_at"], errors="coerce", utc=True, format="ISO8601")
    d = pd.DataFrame({"t": ts, "topic": df["topic"].astype(int)}).dropna(subset=["t"])
    if d.empty:
        raise ValueError("no timestamps")
    d["bucket"], unit = _time_bucket(d["t"])
    table = fold_small_topics(
        d.groupby(["bucket", "topic"]).size().unstack(fill_value=0).sort_index()
    )
    fig = go.Figure()
    for t in table.columns:
        fig.add_trace(
            go.Scatter(
                x=table.index,
                y=table[t].astype(int),
                name=topic_trace_name(t, labels),
                mode="lines",
                stackgroup="one",
                line={"width": 0.5, "color": topic_trace_color(t)},
                hovertemplate="%{x}: %{y} posts<extra>" + topic_full_name(t, labels) + "</extra>",
            )
        )
    fig.update_yaxes(title_text=f"posts per {unit}", automargin=True)
    fig.update_xaxes(automargin=True)
    room = legend_below(fig, len(table.columns), font_size=11)
    return apply_style(fig, 300 + room, legend=True, toolbar=True)


def topics_by_label(df: pd.DataFrame, labels: Mapping[int, str] | None = None) -> go.Figure:
    """For each claim label, how its posts spread over topics (stacked bars in topic colours).

    Args:
        df: Columns ``labels`` (list of labels per record) and ``topic``.

    Examples:
        >>> d = pd.DataFrame({"labels": [["tip"], ["tip", "plug"], []], "topic": [0, 1, 1]})
        >>> fig = topics_by_label(d)
        >>> sorted(t.name for t in fig.data), list(fig.data[0].y)
        (['topic 0', 'topic 1'], ['tip', 'plug'])
    """
    labels = labels or {}
    pairs = [
        (lab, int(t))
        for labs, t in zip(df["labels"], df["topic"], strict=True)
        for lab in (labs if isinstance(labs, list | tuple) else list(labs))
    ]
    if not pairs:
        raise ValueError("no labelled posts")
    table = (
        pd.DataFrame(pairs, columns=["label", "topic"])
        .groupby(["label", "topic"])
        .size()
        .unstack(fill_value=0)
    )
    table = fold_small_topics(table.sort_index(ascending=False))
    fig = go.Figure()
    full, ticks = category_axis([str(v) for v in table.index])
    for t in table.columns:
        fig.add_trace(
            go.Bar(
                x=table[t].astype(int).tolist(),
                y=full,
                name=topic_trace_name(t, labels),
                orientation="h",
                marker_color=topic_trace_color(t),
                hovertemplate="%{y}: %{x} posts<extra>" + topic_full_name(t, labels) + "</extra>",
            )
        )
    fig.update_layout(barmode="stack")
    room = legend_below(fig, len(table.columns), font_size=11)
    fig.update_yaxes(automargin=True, ticksuffix="  ", **ticks)
    fig.update_xaxes(title_text="records", automargin=True)
    return apply_style(fig, max(160, 80 + 30 * len(table)) + room, legend=True)
