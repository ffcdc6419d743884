"""The claims figure: records per claim label."""

from __future__ import annotations

from collections.abc import Mapping

import pandas as pd
import plotly.graph_objects as go

from ..colors import OUTLIER_COLOR, label_colors
from .style import labelled_bars


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
    return labelled_bars(
        counts["posts"].astype(int).tolist(),
        labels,
        [colors.get(v, OUTLIER_COLOR) for v in labels],
        row_height=30,
    )
