"""One colour per claim label and per topic, shared by every figure, chip and table of a report."""

from __future__ import annotations

from collections.abc import Iterable

#: Claim labels: a calm qualitative palette (Tableau 10), assigned in sorted label order.
LABEL_PALETTE: tuple[str, ...] = (
    "#4e79a7",
    "#f28e2b",
    "#e15759",
    "#76b7b2",
    "#59a14f",
    "#edc948",
    "#b07aa1",
    "#ff9da7",
    "#9c755f",
    "#bab0ac",
)

#: Topics: 20 well-separated colours (Kelly's, without white and black), cycled beyond 20.
TOPIC_PALETTE: tuple[str, ...] = (
    "#1f77b4",
    "#d62728",
    "#2ca02c",
    "#ff7f0e",
    "#9467bd",
    "#17becf",
    "#e377c2",
    "#8c564b",
    "#bcbd22",
    "#7f7f7f",
    "#393b79",
    "#ad494a",
    "#637939",
    "#8c6d31",
    "#843c39",
    "#7b4173",
    "#3182bd",
    "#e6550d",
    "#31a354",
    "#756bb1",
)

#: The outlier topic (-1) and anything unlabelled.
OUTLIER_COLOR = "#c7c9cc"


#: The default taxonomy's labels keep these colours in every report, whatever labels a user's
#: model adds (a new label takes the next free colour, in sorted order).
DEFAULT_LABELS: tuple[str, ...] = (
    "finetuning_advice",
    "privacy_statement",
    "product_plug",
    "self_promotion",
)


def label_colors(labels: Iterable[str]) -> dict[str, str]:
    """A colour for each label, stable for a given set of labels (sorted, then cycled). Beside
    labels of a user's own, the default labels keep the colours they have in a default report
    and the others take the palette's remaining colours in sorted order, so a model that adds
    a label recolours none of the default ones.

    Examples:
        >>> label_colors(["tip", "advice"])
        {'advice': '#4e79a7', 'tip': '#f28e2b'}
        >>> default = label_colors(DEFAULT_LABELS)
        >>> mine = label_colors([*DEFAULT_LABELS, "giveaway"])
        >>> all(mine[k] == v for k, v in default.items()), mine["giveaway"] in default.values()
        (True, False)
    """
    ordered = sorted(set(labels))
    fixed = {lab: LABEL_PALETTE[i] for i, lab in enumerate(DEFAULT_LABELS) if lab in ordered}
    if not fixed or len(fixed) == len(ordered):  # the default labels alone: sorted as always
        return {lab: LABEL_PALETTE[i % len(LABEL_PALETTE)] for i, lab in enumerate(ordered)}
    free = [c for c in LABEL_PALETTE if c not in fixed.values()] or list(LABEL_PALETTE)
    others = [lab for lab in ordered if lab not in fixed]
    out = {lab: free[i % len(free)] for i, lab in enumerate(others)}
    out.update(fixed)
    return {lab: out[lab] for lab in ordered}


def topic_color(topic: int) -> str:
    """The colour of one topic id; ``-1`` (outliers) is grey.

    Examples:
        >>> topic_color(-1), topic_color(0), topic_color(20) == topic_color(0)
        ('#c7c9cc', '#1f77b4', True)
    """
    topic = int(topic)
    if topic < 0:
        return OUTLIER_COLOR
    return TOPIC_PALETTE[topic % len(TOPIC_PALETTE)]


def topic_colors(topics: Iterable[int]) -> dict[int, str]:
    """A colour for each topic id.

    Examples:
        >>> topic_colors([1, -1])
        {-1: '#c7c9cc', 1: '#d62728'}
    """
    return {int(t): topic_color(t) for t in sorted({int(t) for t in topics})}
