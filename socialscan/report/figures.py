"""The report's figures: one function per figure, each taking DataFrames and returning a
``plotly.graph_objects.Figure``.

Colours come from :mod:`socialscan.report.colors`, so a label or a topic has the same colour in
every figure. Post text shown in hovers is HTML-escaped and truncated: tweet text is hostile.
"""

from __future__ import annotations

import html
from collections.abc import Mapping, Sequence

import numpy as np
import pandas as pd
import plotly.graph_objects as go

from ..entities import without_links
from ..segment.chrome import mask
from .colors import OUTLIER_COLOR, label_colors, topic_color

#: Colour of the trace that gathers the topics without a trace of their own.
OTHER_COLOR = "#8d99a6"

#: System fonts only: the report never loads a web font.
FONT = 'system-ui, -apple-system, "Segoe UI", Roboto, "Helvetica Neue", Arial, sans-serif'
#: Points drawn on the topic map at most (a stratified sample beyond that).
MAP_MAX_POINTS = 6000
#: Characters of post text in a hover.
HOVER_CHARS = 160
#: Posts per topic read for the hierarchy's word vectors.
HIERARCHY_DOCS = 300
#: Topics drawn as their own trace (own legend entry) in multi-topic figures; the rest share
#: one "other topics" trace. Each plotly trace costs draw time, and a legend of 40 topics helps
#: nobody.
TOPIC_TRACES = 12
OTHER_TOPICS = "other topics"
INK = "#1f2933"
MUTED = "#66788a"


def _style(fig: go.Figure, height: int, legend: bool = False) -> go.Figure:
    fig.update_layout(
        template="plotly_white",
        height=height,
        margin={"l": 10, "r": 10, "t": 10, "b": 10},
        font={"family": FONT, "size": 13, "color": INK},
        showlegend=legend,
        hoverlabel={"font": {"family": FONT, "size": 12}, "align": "left"},
        paper_bgcolor="rgba(0,0,0,0)",
        plot_bgcolor="rgba(0,0,0,0)",
    )
    return fig


def hover_text(text: str, limit: int = HOVER_CHARS) -> str:
    """Post text made safe and short for a plotly hover: escaped, one line, truncated.

    Examples:
        >>> hover_text("<script>alert(1)</script>")
        '&lt;script&gt;alert(1)&lt;/script&gt;'
        >>> hover_text("a\\nb " + "x" * 200, limit=10)
        'a b xxxxx…'
    """
    flat = " ".join(str(text).split())
    if len(flat) > limit:
        flat = flat[: limit - 1] + "…"
    return html.escape(flat, quote=True)


def _ranked_bar(
    items: Sequence[tuple[str, int]], color: str, height_per_row: int = 26
) -> go.Figure:
    names = [html.escape(str(n)) for n, _ in items][::-1]
    values = [int(c) for _, c in items][::-1]
    fig = go.Figure(
        go.Bar(
            x=values,
            y=names,
            orientation="h",
            marker_color=color,
            text=values,
            textposition="outside",
            cliponaxis=False,
            hovertemplate="%{y}: %{x}<extra></extra>",
        )
    )
    fig.update_xaxes(visible=False)
    fig.update_yaxes(automargin=True, ticksuffix="  ")
    return _style(fig, max(120, 40 + height_per_row * len(items)))


def claim_counts(counts: pd.DataFrame, colors: Mapping[str, str] | None = None) -> go.Figure:
    """Posts per claim label, one coloured bar each.

    Args:
        counts: Columns ``label`` and ``posts``.
        colors: Label -> colour (default: :func:`~socialscan.report.colors.label_colors`).

    Examples:
        >>> fig = claim_counts(pd.DataFrame({"label": ["tip", "advice"], "posts": [3, 1]}))
        >>> list(fig.data[0].y), list(fig.data[0].x)
        (['advice', 'tip'], [1, 3])
    """
    counts = counts.sort_values(["posts", "label"], ascending=[True, False])
    colors = colors or label_colors(counts["label"])
    labels = [str(v) for v in counts["label"]]
    return _labelled_bars(
        counts["posts"].astype(int).tolist(),
        labels,
        [colors.get(v, OUTLIER_COLOR) for v in labels],
        row_height=30,
    )


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
    return _labelled_bars(
        t["size"].astype(int).tolist(),
        [str(v) for v in t["label"]],
        [topic_color(v) for v in t["topic"]],
        row_height=24,
    )


def _labelled_bars(
    counts: list[int], names: list[str], colors: list[str], row_height: int
) -> go.Figure:
    """Horizontal bars with their counts beside them and escaped names on the axis."""
    fig = go.Figure(
        go.Bar(
            x=counts,
            y=[html.escape(v) for v in names],
            orientation="h",
            marker_color=colors,
            text=counts,
            textposition="outside",
            cliponaxis=False,
            hovertemplate="%{y}: %{x} posts<extra></extra>",
        )
    )
    fig.update_xaxes(visible=False)
    fig.update_yaxes(automargin=True, ticksuffix="  ")
    return _style(fig, max(140, 40 + row_height * len(names)))


def sample_for_map(
    df: pd.DataFrame, max_points: int = MAP_MAX_POINTS, seed: int = 42
) -> pd.DataFrame:
    """At most ``max_points`` rows, sampled per topic in proportion (every topic keeps a point).

    Examples:
        >>> d = pd.DataFrame({"topic": [0] * 90 + [1] * 10})
        >>> s = sample_for_map(d, max_points=10)
        >>> len(s) <= 11, sorted(s["topic"].unique().tolist())
        (True, [0, 1])
    """
    if len(df) <= max_points:
        return df
    frac = max_points / len(df)
    parts = [
        g.sample(n=max(1, int(round(len(g) * frac))), random_state=seed)
        for _, g in df.groupby("topic", sort=True)
    ]
    return pd.concat(parts).sort_index()


def topic_map(
    df: pd.DataFrame, labels: Mapping[int, str] | None = None, max_points: int = MAP_MAX_POINTS
) -> go.Figure:
    """The 2-D map of posts: a WebGL scatter, one trace (and colour) per topic.

    Args:
        df: Columns ``x``, ``y``, ``topic``, ``text`` and, if present, ``line_start``/``line_end``.
        labels: Topic id -> name for the legend and hovers.
        max_points: Larger frames are sampled per topic (the hover says so nowhere; the
            section caption does).

    Examples:
        >>> d = pd.DataFrame({"x": [0.0, 1.0], "y": [1.0, 0.0], "topic": [0, -1],
        ...                   "text": ["<b>hi</b>", "yo"], "line_start": [1, 2], "line_end": [1, 2]})
        >>> fig = topic_map(d)
        >>> [t.type for t in fig.data], fig.data[0].customdata[0][0]
        (['scattergl', 'scattergl'], '&lt;b&gt;hi&lt;/b&gt;')
    """
    labels = labels or {}
    d = sample_for_map(df[df["x"].notna() & df["y"].notna()], max_points)
    fig = go.Figure()
    lead = _leading_topics(d["topic"].value_counts().to_dict())
    rest = d[~d["topic"].isin(lead)]
    groups = [(t, d[d["topic"] == t]) for t in lead if t >= 0]
    groups += [(None, rest)] if len(rest) else []
    groups += [(-1, d[d["topic"] == -1])] if -1 in lead else []
    for t, g in groups:
        lines = (
            [
                f"{a}" if a == b else f"{a}-{b}"
                for a, b in zip(g["line_start"], g["line_end"], strict=True)
            ]
            if "line_start" in g.columns
            else [""] * len(g)
        )
        names = [html.escape(str(labels.get(int(u), f"topic {u}"))) for u in g["topic"]]
        name = OTHER_TOPICS if t is None else names[0]
        fig.add_trace(
            go.Scattergl(
                x=g["x"].to_numpy(dtype="float32"),
                y=g["y"].to_numpy(dtype="float32"),
                mode="markers",
                name=name,
                marker={
                    "color": [topic_color(u) for u in g["topic"]] if t is None else topic_color(t),
                    "size": 7 if len(d) < 2000 else 4,
                    "opacity": 0.45 if t == -1 else 0.8,
                },
                # [hover text, line span, topic name, row of the frame (the explorer's row)]
                customdata=np.array(
                    [
                        [hover_text(s), ln, n, int(r)]
                        for s, ln, n, r in zip(g["text"], lines, names, g.index, strict=True)
                    ],
                    dtype=object,
                ).reshape(-1, 4),
                hovertemplate="%{customdata[0]}<br><span style='color:#66788a'>lines "
                "%{customdata[1]} · %{customdata[2]}</span><extra></extra>",
            )
        )
    fig.update_xaxes(visible=False)
    fig.update_yaxes(visible=False, scaleanchor="x", scaleratio=1)
    _style(fig, 560, legend=True)
    fig.update_layout(legend={"itemsizing": "constant", "font": {"size": 12}}, dragmode="pan")
    return fig


def _leading_topics(sizes: Mapping[int, int], limit: int = TOPIC_TRACES) -> list[int]:
    """The topics that get a trace of their own: the largest ``limit`` non-outlier topics,
    in topic order, then the outliers (-1) when present.

    Examples:
        >>> _leading_topics({-1: 9, 0: 5, 1: 1, 2: 7}, limit=2)
        [0, 2, -1]
    """
    real = sorted((t for t in sizes if t >= 0), key=lambda t: (-sizes[t], t))[:limit]
    return sorted(real) + ([-1] if -1 in sizes else [])


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
        ticktext=[html.escape(str(labels.get(t, f"topic {t}"))) for t in order],
        automargin=True,
        showgrid=False,
        zeroline=False,
    )
    fig.update_xaxes(
        title_text="distance between the topics' words",
        title_font={"size": 12},
        showgrid=False,
        zeroline=False,
        autorange="reversed",
    )
    return _style(fig, max(200, 40 + 26 * len(order)))


def _fold_small_topics(table: pd.DataFrame) -> pd.DataFrame:
    """Columns (topics) beyond the leading ones summed into one ``OTHER_TOPICS`` column.

    Examples:
        >>> t = pd.DataFrame({0: [1], 1: [5], 2: [2], -1: [4]})
        >>> list(_fold_small_topics(t).columns) if TOPIC_TRACES >= 3 else None
        [0, 1, 2, -1]
    """
    lead = _leading_topics(table.sum().to_dict())
    rest = [c for c in table.columns if c not in lead]
    out = table[lead].copy()
    if rest:
        out.insert(len([t for t in lead if t >= 0]), OTHER_TOPICS, table[rest].sum(axis=1))
    return out


def _topic_trace_name(t, labels: Mapping[int, str]) -> str:
    if t == OTHER_TOPICS:
        return OTHER_TOPICS
    return html.escape(str(labels.get(int(t), f"topic {t}")))


def _topic_trace_color(t) -> str:
    return OTHER_COLOR if t == OTHER_TOPICS else topic_color(t)


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
    table = _fold_small_topics(
        d.groupby(["bucket", "topic"]).size().unstack(fill_value=0).sort_index()
    )
    fig = go.Figure()
    for t in table.columns:
        name = _topic_trace_name(t, labels)
        fig.add_trace(
            go.Scatter(
                x=table.index,
                y=table[t].astype(int),
                name=name,
                mode="lines",
                stackgroup="one",
                line={"width": 0.5, "color": _topic_trace_color(t)},
                hovertemplate="%{x}: %{y} posts<extra>" + name + "</extra>",
            )
        )
    fig.update_yaxes(title_text=f"posts per {unit}")
    return _style(fig, 320, legend=True)


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
    table = _fold_small_topics(table.sort_index(ascending=False))
    fig = go.Figure()
    for t in table.columns:
        name = _topic_trace_name(t, labels)
        fig.add_trace(
            go.Bar(
                x=table[t].astype(int).tolist(),
                y=[html.escape(str(v)) for v in table.index],
                name=name,
                orientation="h",
                marker_color=_topic_trace_color(t),
                hovertemplate="%{y}: %{x} posts<extra>" + name + "</extra>",
            )
        )
    fig.update_layout(
        barmode="stack",
        legend={"orientation": "h", "y": -0.15, "yanchor": "top", "font": {"size": 11}},
    )
    fig.update_yaxes(automargin=True, ticksuffix="  ")
    fig.update_xaxes(title_text="records")
    return _style(fig, max(220, 120 + 30 * len(table)), legend=True)


def top_domains(domains: Sequence[tuple[str, int]]) -> go.Figure:
    """The most linked domains.

    Examples:
        >>> top_domains([("t.co", 5), ("x.org", 1)]).data[0].y
        ('x.org', 't.co')
    """
    return _ranked_bar(domains, "#4e79a7")


def top_mentions(handles: Sequence[tuple[str, int]]) -> go.Figure:
    """The most mentioned handles.

    Examples:
        >>> top_mentions([("@ann", 2)]).data[0].x
        (2,)
    """
    return _ranked_bar(handles, "#59a14f")


def reply_targets(handles: Sequence[tuple[str, int]]) -> go.Figure:
    """The handles replies are addressed to most often.

    Examples:
        >>> reply_targets([("@bo", 3), ("@ann", 1)]).data[0].x
        (1, 3)
    """
    return _ranked_bar(handles, "#b07aa1")


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
    fig.update_layout(
        barmode="stack", legend={"orientation": "h", "y": -0.4, "traceorder": "normal"}
    )
    fig.update_xaxes(visible=False)
    return _style(fig, 90, legend=True)
