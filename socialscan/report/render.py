"""Assemble the self-contained HTML report: figures, tables and the post explorer in one file.

plotly.js is inlined once; each figure travels as JSON in a ``<script type="application/json">``
block with ``<``, ``>`` and ``&`` escaped, so no tweet can close the script element; the post
explorer's data is gzip-compressed and base64-encoded (and read with ``textContent`` in the
page, never ``innerHTML``). The file requests nothing from the network.
"""

from __future__ import annotations

import datetime as _dt
import os
import re
from collections.abc import Sequence
from importlib import resources
from pathlib import Path
from typing import Any

from ..export import atomic_output
from ..readers.stats import counted
from ..results import ScanResult, StageResult, Summary, skip_note, summarize
from . import figures
from .colors import label_colors, topic_color
from .explorer import posts_payload
from .review import ABOUT, DEFAULT_SIZE, SHARES, ReviewQueue, review_queue
from .scripts import figure_json, jinja2_markup, plotly_bundle

#: Every figure slot of the template (``fig-<name>``), in page order.
FIGURES = (
    "kinds",
    "claims",
    "map",
    "sizes",
    "hierarchy",
    "time",
    "bylabel",
    "domains",
    "mentions",
    "replies",
)


def topic_name(topic: int, label: str | None = None, terms: Sequence[str] = ()) -> str:
    """A short readable name for a topic: the topics stage's label (its terms without repeats,
    "fine tuning" absorbing "fine" and "tuning"), else its first terms.

    Examples:
        >>> topic_name(3, "fine tuning, llms, tasks", ["fine", "fine tuning", "tuning", "llms"])
        '3 · fine tuning, llms, tasks'
        >>> topic_name(3, "3_llm_prompt_tuning", ["llm", "prompt", "tuning", "data"])
        '3 · llm, prompt, tuning'
        >>> topic_name(-1, "-1_the_a")
        'outliers'
    """
    if int(topic) < 0:
        return "outliers"
    named = str(label or "")
    if named and not re.match(r"^-?\d+_", named) and named != f"topic {topic}":
        return f"{topic} · {named}"
    if terms:
        return f"{topic} · " + ", ".join(str(t) for t in list(terms)[:3])
    label = str(label or "")
    if re.match(rf"^{int(topic)}_", label):
        return f"{topic} · " + ", ".join(p for p in label.split("_")[1:4] if p)
    return label or f"topic {topic}"


def _fmt(n: int) -> str:
    return f"{n:,}"


def _lines(item: dict[str, Any], source: bool = True) -> str:
    a, b = item.get("line_start"), item.get("line_end")
    span = "" if a is None else (f"line {a}" if a == b or b is None else f"lines {a}–{b}")
    src = item.get("source")
    if source and src and src not in ("<text>",):
        return f"{os.path.basename(str(src))}, {span}" if span else os.path.basename(str(src))
    return span


def _polarity_class(p: str) -> str:
    p = p.lower()
    if p.startswith(("pos", "affirm", "assur", "protect", "good")):
        return "pos"
    if p.startswith(("neg", "concern", "warn", "leak", "bad", "risk")):
        return "neg"
    return "neu"


def map_caption(meta: dict[str, int]) -> str:
    """What the map's dots are, from the figure's own counts (``topic_map``'s ``layout.meta``),
    so the caption and the dots cannot disagree.

    Examples:
        >>> map_caption({"dots": 8, "records": 13, "all_dots": 8, "all_records": 13, "threads": 1})
        '8 dots for 13 records: a dot is one record, or one thread of records (1 here; the more records, the larger the dot).'
        >>> map_caption({"dots": 3, "records": 3, "all_dots": 9, "all_records": 9, "threads": 0})
        '3 dots for 3 records drawn, a sample of 9 dots in proportion to topic size: a dot is one record.'
    """
    dots, records = meta["dots"], meta["records"]
    head = f"{counted(dots, 'dot')} for {counted(records, 'record')}"
    if meta["all_dots"] > dots:
        head += (
            f" drawn, a sample of {counted(meta['all_dots'], 'dot')} in proportion to topic size"
        )
    if not meta.get("threads"):
        return f"{head}: a dot is one record."
    return (
        f"{head}: a dot is one record, or one thread of records "
        f"({meta['threads']:,} here; the more records, the larger the dot)."
    )


def _figures(
    df, s: Summary, colors: dict[str, str], topic_labels: dict[int, str]
) -> tuple[dict[str, str | None], dict[str, str]]:
    import pandas as pd

    figs: dict[str, str | None] = dict.fromkeys(FIGURES)
    notes = {
        "map_caption": "",
        "hierarchy_note": "A hierarchy needs at least four topics.",
        "time_note": "The input carries no timestamps (raw dumps have none).",
        "bylabel_note": "No record has both a claim label and a topic.",
    }
    c = s.counts
    figs["kinds"] = figure_json(figures.record_kinds(c)) if c["records"] else None
    if s.has_claims and c["claims"]:
        counts = pd.DataFrame(
            {"label": list(s.label_counts), "posts": list(s.label_counts.values())}
        )
        figs["claims"] = figure_json(figures.claim_counts(counts, colors))
    if s.has_topics:
        if {"x", "y"} <= set(df.columns) and df["x"].notna().any():
            fig = figures.topic_map(df, topic_labels)
            figs["map"] = figure_json(fig)
            notes["map_caption"] = map_caption(dict(fig.layout.meta))
        if s.topics:
            table = pd.DataFrame(s.topics).assign(label=lambda t: t["name"])
            figs["sizes"] = figure_json(figures.topic_sizes(table))
        real = df.loc[df["topic"] >= 0, "topic"].nunique()
        if real >= 4:
            try:
                figs["hierarchy"] = figure_json(figures.topic_hierarchy(df, topic_labels))
            except ValueError as e:  # e.g. topics whose posts hold only stop words
                notes["hierarchy_note"] = f"No hierarchy: {e}."
        if s.has_time:
            figs["time"] = figure_json(figures.topics_over_time(df, topic_labels))
        if "labels" in df.columns and c["labelled_posts"]:
            figs["bylabel"] = figure_json(figures.topics_by_label(df, topic_labels))
        elif not s.has_claims:
            notes["bylabel_note"] = "Claims were not tagged."
    figs["domains"] = figure_json(figures.top_domains(s.domains)) if s.domains else None
    figs["mentions"] = figure_json(figures.top_mentions(s.mentions)) if s.mentions else None
    figs["replies"] = (
        figure_json(figures.reply_targets(s.reply_targets)) if s.reply_targets else None
    )
    return figs, notes


def build_html(
    df,
    *,
    stats=None,
    topic_table=None,
    labels: Sequence[str] | None = None,
    notes: Sequence[str] = (),
    stages: dict[str, StageResult] | None = None,
    title: str | None = None,
    review: int = DEFAULT_SIZE,
    claim_model: Any = "default",
    taxonomy: Any = None,
) -> str:
    """The report as one HTML string (see :func:`render_report`)."""
    import jinja2

    from .. import __version__

    df = df.reset_index(drop=True)
    if topic_table is None and "topic" in df.columns:
        topic_table = _table_from_frame(df)
    s = summarize(df, stats=stats, topic_table=topic_table, labels=list(labels or []), notes=notes)
    colors = label_colors(s.labels)
    for t in s.topics:
        t["name"] = topic_name(t["topic"], t["label"], t["terms"])
        t["color"] = topic_color(t["topic"])
        t["short"] = figures.short_name(t["name"])  # as the figures' axes and legends name it
    topic_labels = {t["topic"]: t["name"] for t in s.topics}
    figs, fig_notes = _figures(df, s, colors, topic_labels)
    c = s.counts
    # the review queue needs the claims' model, so only where claims were tagged
    queue = (
        review_queue(df, review, model=claim_model, taxonomy=taxonomy)
        if review > 0 and "labels" in df.columns
        else None
    )
    stats_cards = [
        (_fmt(c["posts"]), "posts"),
        (_fmt(c["replies"]), "replies"),
        (_fmt(c["threads"]), "threads"),
        (_fmt(c["links"]), "link lines"),
        (_fmt(c["handles"]), "handles"),
        (_fmt(c["domains"]), "domains"),
        (_fmt(c["claims"]) if s.has_claims else "–", "claims"),
        (_fmt(c["topics"]) if s.has_topics else "–", "topics"),
        (_fmt(c["bytes_replaced"]), "bytes replaced"),
    ]
    env = jinja2.Environment(
        loader=jinja2.PackageLoader("socialscan.report", "."),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
    )
    files = resources.files("socialscan.report")
    return env.get_template("template.html.j2").render(
        title=title or _title(s.sources),
        version=__version__,
        generated=_dt.datetime.now(_dt.UTC).strftime("%Y-%m-%d %H:%M UTC"),
        summary=s,
        c=c,
        stats=stats_cards,
        figs={k: (jinja2_markup(v) if v else None) for k, v in figs.items()},
        label_colors=colors,
        outliers=int((df["topic"] < 0).sum()) if s.has_topics else 0,
        claims_note=skip_note(stages or {}, "claims"),
        topics_note=skip_note(stages or {}, "topics"),
        lines=_lines,
        polarity_class=_polarity_class,
        plural=counted,
        css=jinja2_markup(files.joinpath("report.css").read_text(encoding="utf-8")),
        js=jinja2_markup(files.joinpath("report.js").read_text(encoding="utf-8")),
        plotly_js=jinja2_markup(plotly_bundle(figs.values())),
        posts_data=posts_payload(df, s.labels, colors, s.topics, queue),
        review=_review_parts(queue),
        **fig_notes,
    )


def _review_parts(queue: ReviewQueue | None) -> dict[str, Any] | None:
    """What the page says of the review queue: its size, and each part's posts and share."""
    if queue is None or not len(queue):
        return None
    parts = []
    for name, _ in SHARES:
        k = queue.counts.get(name, 0)
        share = round(100 * k / len(queue))
        parts.append({"name": name, "n": k, "share": share, "about": ABOUT[name]})
    return {"n": len(queue), "parts": parts, "notes": queue.notes, "candidates": queue.candidates}


def _title(sources: list[str]) -> str:
    if not sources:
        return "socialscan report"
    first = os.path.basename(sources[0]) or sources[0]
    return first if len(sources) == 1 else f"{first} and {len(sources) - 1} more"


def _table_from_frame(df):
    import pandas as pd

    label_col = "topic_label" if "topic_label" in df.columns else None
    rows = []
    for t, g in df.groupby("topic"):
        rows.append(
            {
                "topic": int(t),
                "size": len(g),
                "label": str(g[label_col].iloc[0]) if label_col else f"topic {t}",
                "terms": [],
                "representative": [],
            }
        )
    return pd.DataFrame(rows)


def render_report(
    data,
    output: str | os.PathLike[str],
    *,
    stats=None,
    topic_table=None,
    labels: Sequence[str] | None = None,
    notes: Sequence[str] = (),
    stages: dict[str, StageResult] | None = None,
    title: str | None = None,
    review: int = DEFAULT_SIZE,
    claim_model: Any = "default",
    taxonomy: Any = None,
) -> Path:
    """Write the self-contained HTML report, atomically.

    Args:
        data: A :class:`~socialscan.results.ScanResult`, or a DataFrame of records
            (``socialscan.records.COLUMNS``) optionally enriched with the claims stage's
            ``claims``/``labels`` columns and the topics stage's ``topic``/``x``/``y`` columns.
            Sections whose columns are missing say so instead of breaking.
        output: The ``.html`` path to write.
        stats: The parse's ``ParseStats`` (lines, threads, bytes replaced).
        topic_table: The topics table (topic, size, label, terms, representative).
        labels: Every claim label of the taxonomy (labels with no posts then show as 0).
        notes: Sentences about the input and skipped stages, shown in the report.
        stages: Which stages ran (:class:`~socialscan.results.StageResult` by name): a
            section whose stage was skipped says why. A section whose columns are missing and
            whose stage is not named says only that it is missing.
        title: The report's title (default: the input's file name).
        review: Posts in the review queue (``socialscan report --review N``; 0: none): the
            posts whose label would teach the claims model most (see
            :mod:`socialscan.report.review`). Only where claims were tagged.
        claim_model: The claims model the frame's labels came from, as ``model`` of
            :func:`socialscan.claims.get_tagger`: the queue reads its scores.
        taxonomy: The taxonomy the frame's labels came from (default: the shipped one).

    Returns:
        The path written.

    Examples:
        >>> import socialscan, tempfile, pathlib
        >>> df = socialscan.to_frame(socialscan.parse("hello <b>world</b>\\n@ann hi", format="lines"))
        >>> out = render_report(df, pathlib.Path(tempfile.mkdtemp()) / "r.html")
        >>> html = out.read_text()
        >>> html.count("<b>world</b>"), "Topics were not modelled" in html
        (0, True)
    """
    if isinstance(data, ScanResult):
        result = data
        data = result.frame
        stats = stats if stats is not None else result.stats
        topic_table = topic_table if topic_table is not None else result.topic_table
        labels = labels if labels is not None else result.labels
        notes = notes or result.notes
        stages = stages if stages is not None else result.stages
    page = build_html(
        data,
        stats=stats,
        topic_table=topic_table,
        labels=labels,
        notes=notes,
        stages=stages,
        title=title,
        review=review,
        claim_model=claim_model,
        taxonomy=taxonomy,
    )
    with atomic_output(output, "w") as fh:
        fh.write(page)
    return Path(output)
