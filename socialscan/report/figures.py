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

from ..text.body import mask
from ..text.entities import without_links
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
#: Characters of a name on an axis or in a legend (the hover shows it whole).
NAME_CHARS = 30
#: Pixels above the plot kept free for plotly's toolbar (its buttons are 22 px high, 2 px
#: from the top), so the toolbar never covers a point, a bar or the legend.
TOOLBAR_ROOM = 32
#: Pixels per character of a bar's value label (13 px system font, digits and commas).
LABEL_CHAR_PX = 8


def _style(
    fig: go.Figure, height: int, legend: bool = False, toolbar: bool = False, right: int = 10
) -> go.Figure:
    """The report's look; ``toolbar`` figures (the ones worth zooming) get plotly's toolbar
    and room for it above the plot, the others none (``layout.meta.toolbar``, read by
    report.js)."""
    fig.update_layout(
        template="plotly_white",
        height=height + (TOOLBAR_ROOM if toolbar else 0),
        margin={"l": 10, "r": right, "t": TOOLBAR_ROOM if toolbar else 10, "b": 10},
        font={"family": FONT, "size": 13, "color": INK},
        showlegend=legend,
        hoverlabel={"font": {"family": FONT, "size": 12}, "align": "left"},
        paper_bgcolor="rgba(0,0,0,0)",
        plot_bgcolor="rgba(0,0,0,0)",
        meta={**_meta(fig), "toolbar": toolbar},
    )
    return fig


def _meta(fig: go.Figure) -> dict:
    meta = fig.layout.meta
    return dict(meta) if isinstance(meta, dict) else {}


def _legend_below(fig: go.Figure, entries: int, font_size: int = 12, per_row: int = 3) -> int:
    """A horizontal legend at the foot of the figure, in the figure's own coordinates: plotly
    then keeps the plot, its tick labels and its axis title above it (a legend placed at a
    fraction of the plot's height lands on the axis title). It never scrolls.

    Returns:
        The height to add for it: ``entries`` at ``per_row`` a line. Where the page is
        narrower and it takes more lines, report.js grows the figure by the difference
        (``layout.meta.legend_room``), so the plot keeps its height.
    """
    room = (font_size + 9) * -(-entries // per_row) + 6
    fig.update_layout(
        legend={
            "orientation": "h",
            "xref": "container",
            "yref": "container",
            "x": 0,
            "xanchor": "left",
            "y": 0,
            "yanchor": "bottom",
            "maxheight": 1,
            "font": {"size": font_size},
            "traceorder": "normal",
        },
        meta={**_meta(fig), "legend_room": room},
    )
    return room


def short_name(name: str, limit: int = NAME_CHARS) -> str:
    """A name cut to ``limit`` characters at a word boundary, with an ellipsis (not escaped).

    Examples:
        >>> short_name("11 · artificialintelligence, machinelearning", limit=30)
        '11 · artificialintelligence…'
        >>> short_name("0 · llm, prompt")
        '0 · llm, prompt'
    """
    name = " ".join(str(name).split())
    if len(name) <= limit:
        return name
    cut = name[: limit - 1]
    space = cut.rfind(" ")
    if space >= limit // 2:
        cut = cut[:space]
    return cut.rstrip(" ,;·") + "…"


def _category_axis(names: Sequence[str]) -> tuple[list[str], dict]:
    """Escaped full names for a category axis, and its tick settings showing short names."""
    full = [html.escape(str(v)) for v in names]
    return full, {
        "tickmode": "array",
        "tickvals": full,
        "ticktext": [html.escape(short_name(v)) for v in names],
    }


def _value_room(values: Sequence[int]) -> int:
    """Right margin that keeps the longest value label beside its bar inside the figure."""
    longest = max((len(f"{int(v):,}") for v in values), default=1)
    return 14 + LABEL_CHAR_PX * longest


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
    names = [str(n) for n, _ in items][::-1]
    values = [int(c) for _, c in items][::-1]
    return _labelled_bars(
        values, names, [color] * len(values), row_height=height_per_row, unit="", floor=120
    )


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
    counts: list[int],
    names: list[str],
    colors: list[str],
    row_height: int,
    unit: str = " posts",
    floor: int = 140,
) -> go.Figure:
    """Horizontal bars with their counts beside them and escaped names on the axis (cut short
    there, whole in the hover); the right margin fits the longest count."""
    full, ticks = _category_axis(names)
    fig = go.Figure(
        go.Bar(
            x=counts,
            y=full,
            orientation="h",
            marker_color=colors,
            text=[f"{c:,}" for c in counts],
            textposition="outside",
            cliponaxis=False,
            hovertemplate="%{y}: %{x:,}" + unit + "<extra></extra>",
        )
    )
    fig.update_xaxes(visible=False)
    fig.update_yaxes(automargin=True, ticksuffix="  ", **ticks)
    return _style(fig, max(floor, 40 + row_height * len(names)), right=_value_room(counts))


def map_points(df: pd.DataFrame) -> pd.DataFrame:
    """One row per dot of the map: a record, or a thread whose consecutive records share a
    ``thread_id`` and a point (the topics stage models a thread as one document, so its
    records would otherwise be drawn on top of each other and look like one).

    Returns:
        Columns ``x``, ``y``, ``topic``, ``text`` (the records' texts joined), ``line_start``
        and ``line_end`` (the span of all its records, 0 when unknown), ``records`` (how many)
        and ``row`` (the frame index of its first record); rows without a point are dropped.

    Examples:
        >>> d = pd.DataFrame({"x": [0.5, 0.5, 0.5, 1.0], "y": [0.0, 0.0, 0.0, 1.0],
        ...     "topic": [0, 0, 0, 1], "text": ["a", "b", "c", "d"], "thread_id": ["t", "t", None, None],
        ...     "line_start": [1, 3, 5, 6], "line_end": [2, 4, 5, 6]})
        >>> map_points(d)[["text", "records", "line_start", "line_end", "row"]].values.tolist()
        [['a b', 2, 1, 4, 0], ['c', 1, 5, 5, 2], ['d', 1, 6, 6, 3]]
    """
    x, y, topic = df["x"], df["y"], df["topic"]
    if "thread_id" in df.columns:
        tid = df["thread_id"]
        joined = (
            tid.notna()
            & (tid == tid.shift())
            & (x == x.shift())
            & (y == y.shift())
            & (topic == topic.shift())
        )
    else:
        joined = pd.Series(False, index=df.index)
    dot = (~joined).cumsum().to_numpy()
    lines = {
        c: (df[c] if c in df.columns else pd.Series(0, index=df.index)).fillna(0).astype(int)
        for c in ("line_start", "line_end")
    }
    frame = pd.DataFrame(
        {
            "dot": dot,
            "x": x.to_numpy(),
            "y": y.to_numpy(),
            "topic": topic.to_numpy(),
            "text": df["text"].astype(str).to_numpy(),
            "line_start": lines["line_start"].to_numpy(),
            "line_end": lines["line_end"].to_numpy(),
            "row": df.index.to_numpy(),
        }
    )
    if not joined.any():  # every record is its own dot: skip the groupby
        out = frame.drop(columns="dot").assign(records=1)
    else:
        out = frame.groupby("dot", sort=True).agg(
            x=("x", "first"),
            y=("y", "first"),
            topic=("topic", "first"),
            text=("text", " ".join),
            line_start=("line_start", "min"),
            line_end=("line_end", "max"),
            records=("row", "size"),
            row=("row", "first"),
        )
    out = out[out["x"].notna() & out["y"].notna()]
    return out.reset_index(drop=True)[
        ["x", "y", "topic", "text", "line_start", "line_end", "records", "row"]
    ]


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


def _dot_size(records: pd.Series, base: float) -> np.ndarray:
    """Marker sizes: ``base`` for one record, growing with the square root of the records a
    dot holds (its area in proportion), at most three times ``base``."""
    return np.minimum(base * np.sqrt(records.to_numpy(dtype="float64")), 3 * base)


def topic_map(
    df: pd.DataFrame, labels: Mapping[int, str] | None = None, max_points: int = MAP_MAX_POINTS
) -> go.Figure:
    """The 2-D map of posts: a WebGL scatter, one trace (and colour) per topic, one dot per
    record or thread (see :func:`map_points`), larger the more records it holds.

    ``layout.meta`` says what is drawn, for the caption: ``dots`` and ``records`` drawn,
    ``threads`` (dots holding more than one record), and ``all_dots`` and ``all_records``
    before sampling.

    Args:
        df: Columns ``x``, ``y``, ``topic``, ``text`` and, if present, ``thread_id`` and
            ``line_start``/``line_end``.
        labels: Topic id -> name for the legend and hovers.
        max_points: More dots than this are sampled per topic (the caption says so).

    Examples:
        >>> d = pd.DataFrame({"x": [0.0, 1.0], "y": [1.0, 0.0], "topic": [0, -1],
        ...                   "text": ["<b>hi</b>", "yo"], "line_start": [1, 2], "line_end": [1, 2]})
        >>> fig = topic_map(d)
        >>> [t.type for t in fig.data], fig.data[0].customdata[0][0], fig.layout.meta["dots"]
        (['scattergl', 'scattergl'], '&lt;b&gt;hi&lt;/b&gt;', 2)
    """
    labels = labels or {}
    points = map_points(df)
    d = sample_for_map(points, max_points)
    base = 7 if len(d) < 2000 else 4
    fig = go.Figure()
    lead = _leading_topics(d["topic"].value_counts().to_dict())
    rest = d[~d["topic"].isin(lead)]
    groups = [(t, d[d["topic"] == t]) for t in lead if t >= 0]
    groups += [(None, rest)] if len(rest) else []
    groups += [(-1, d[d["topic"] == -1])] if -1 in lead else []
    for t, g in groups:
        lines = [
            "" if not a else (f"line {a}" if a == b else f"lines {a}–{b}")
            for a, b in zip(g["line_start"], g["line_end"], strict=True)
        ]
        held = [f"{n:,} records · " if n > 1 else "" for n in g["records"]]
        names = [html.escape(str(labels.get(int(u), f"topic {u}"))) for u in g["topic"]]
        fig.add_trace(
            go.Scattergl(
                x=g["x"].to_numpy(dtype="float32"),
                y=g["y"].to_numpy(dtype="float32"),
                mode="markers",
                name=OTHER_TOPICS if t is None else _topic_trace_name(t, labels),
                marker={
                    "color": [topic_color(u) for u in g["topic"]] if t is None else topic_color(t),
                    "size": _dot_size(g["records"], base),
                    "opacity": 0.45 if t == -1 else 0.8,
                },
                # [hover text, what it holds, topic name, first row of the frame (the
                # explorer's row), records it holds]
                customdata=np.array(
                    [
                        [hover_text(s), h + ln, n, int(r), int(k)]
                        for s, h, ln, n, r, k in zip(
                            g["text"], held, lines, names, g["row"], g["records"], strict=True
                        )
                    ],
                    dtype=object,
                ).reshape(-1, 5),
                hovertemplate="%{customdata[0]}<br><span style='color:#66788a'>"
                "%{customdata[1]} · %{customdata[2]}</span><extra></extra>",
            )
        )
    fig.update_xaxes(visible=False)
    fig.update_yaxes(visible=False, scaleanchor="x", scaleratio=1)
    fig.update_layout(
        meta={
            "dots": len(d),
            "records": int(d["records"].sum()),
            "threads": int((d["records"] > 1).sum()),
            "all_dots": len(points),
            "all_records": int(points["records"].sum()),
        }
    )
    _style(fig, 560, legend=True, toolbar=True)
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
    """A topic's legend entry: its name, escaped and cut short (hovers show it whole)."""
    if t == OTHER_TOPICS:
        return OTHER_TOPICS
    return html.escape(short_name(labels.get(int(t), f"topic {t}")))


def _topic_full_name(t, labels: Mapping[int, str]) -> str:
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
        fig.add_trace(
            go.Scatter(
                x=table.index,
                y=table[t].astype(int),
                name=_topic_trace_name(t, labels),
                mode="lines",
                stackgroup="one",
                line={"width": 0.5, "color": _topic_trace_color(t)},
                hovertemplate="%{x}: %{y} posts<extra>" + _topic_full_name(t, labels) + "</extra>",
            )
        )
    fig.update_yaxes(title_text=f"posts per {unit}", automargin=True)
    fig.update_xaxes(automargin=True)
    room = _legend_below(fig, len(table.columns), font_size=11)
    return _style(fig, 300 + room, legend=True, toolbar=True)


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
    full, ticks = _category_axis([str(v) for v in table.index])
    for t in table.columns:
        fig.add_trace(
            go.Bar(
                x=table[t].astype(int).tolist(),
                y=full,
                name=_topic_trace_name(t, labels),
                orientation="h",
                marker_color=_topic_trace_color(t),
                hovertemplate="%{y}: %{x} posts<extra>" + _topic_full_name(t, labels) + "</extra>",
            )
        )
    fig.update_layout(barmode="stack")
    room = _legend_below(fig, len(table.columns), font_size=11)
    fig.update_yaxes(automargin=True, ticksuffix="  ", **ticks)
    fig.update_xaxes(title_text="records", automargin=True)
    return _style(fig, max(160, 80 + 30 * len(table)) + room, legend=True)


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
    fig.update_layout(barmode="stack")
    room = _legend_below(fig, 3, font_size=13)
    fig.update_xaxes(visible=False)
    return _style(fig, 70 + room, legend=True)
