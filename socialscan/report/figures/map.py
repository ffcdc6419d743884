"""The topic map: one dot per record or thread, placed by the topics stage's 2-D coordinates."""

from __future__ import annotations

import html
from collections.abc import Mapping

import numpy as np
import pandas as pd
import plotly.graph_objects as go

from ..colors import topic_color
from .style import apply_style, hover_text
from .traces import OTHER_TOPICS, leading_topics, topic_trace_name

#: Points drawn on the topic map at most (a stratified sample beyond that).
MAP_MAX_POINTS = 6000


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
    lead = leading_topics(d["topic"].value_counts().to_dict())
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
                name=OTHER_TOPICS if t is None else topic_trace_name(t, labels),
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
    apply_style(fig, 560, legend=True, toolbar=True)
    fig.update_layout(legend={"itemsizing": "constant", "font": {"size": 12}}, dragmode="pan")
    return fig
