"""What every figure shares: fonts, ink, margins kept free for the toolbar, legends below the
plot, short names and escaped hover text, and the two bar layouts."""

from __future__ import annotations

import html
from collections.abc import Sequence

import plotly.graph_objects as go

#: Colour of the trace that gathers the topics without a trace of their own.
OTHER_COLOR = "#8d99a6"
#: System fonts only: the report never loads a web font.
FONT = 'system-ui, -apple-system, "Segoe UI", Roboto, "Helvetica Neue", Arial, sans-serif'
#: Characters of post text in a hover.
HOVER_CHARS = 160
#: Characters of a name on an axis or in a legend (the hover shows it whole).
NAME_CHARS = 30
#: Pixels above the plot kept free for plotly's toolbar (its buttons are 22 px high, 2 px
#: from the top), so the toolbar never covers a point, a bar or the legend.
TOOLBAR_ROOM = 32
#: Pixels per character of a bar's value label (13 px system font, digits and commas).
LABEL_CHAR_PX = 8
INK = "#1f2933"
MUTED = "#66788a"


def apply_style(
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
        meta={**figure_meta(fig), "toolbar": toolbar},
    )
    return fig


def figure_meta(fig: go.Figure) -> dict:
    meta = fig.layout.meta
    return dict(meta) if isinstance(meta, dict) else {}


def legend_below(fig: go.Figure, entries: int, font_size: int = 12, per_row: int = 3) -> int:
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
        meta={**figure_meta(fig), "legend_room": room},
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


def category_axis(names: Sequence[str]) -> tuple[list[str], dict]:
    """Escaped full names for a category axis, and its tick settings showing short names."""
    full = [html.escape(str(v)) for v in names]
    return full, {
        "tickmode": "array",
        "tickvals": full,
        "ticktext": [html.escape(short_name(v)) for v in names],
    }


def value_room(values: Sequence[int]) -> int:
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


def ranked_bar(items: Sequence[tuple[str, int]], color: str, height_per_row: int = 26) -> go.Figure:
    names = [str(n) for n, _ in items][::-1]
    values = [int(c) for _, c in items][::-1]
    return labelled_bars(
        values, names, [color] * len(values), row_height=height_per_row, unit="", floor=120
    )


def labelled_bars(
    counts: list[int],
    names: list[str],
    colors: list[str],
    row_height: int,
    unit: str = " posts",
    floor: int = 140,
) -> go.Figure:
    """Horizontal bars with their counts beside them and escaped names on the axis (cut short
    there, whole in the hover); the right margin fits the longest count."""
    full, ticks = category_axis(names)
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
    return apply_style(fig, max(floor, 40 + row_height * len(names)), right=value_room(counts))
