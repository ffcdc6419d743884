"""What a scan found, as plain numbers and short lists: the one source for the terminal
summary, ``--json`` and the HTML report's sections.

:func:`summarize` takes the enriched DataFrame (``socialscan.records.COLUMNS`` plus whatever
the claims and topics stages added) and copes with the stage columns being absent; the counting
lives in :mod:`~socialscan.results.counts`, the ranked lists in :mod:`~socialscan.results.ranking`.

Counts of what people say count a text once: a record marked ``duplicate_of`` (a retweet of a
post already counted, the same plug posted again; see :mod:`socialscan.readers.repeats`) adds
nothing to them, and the count with repeats is kept beside (``label_repeats``,
``products``' third field) for the outputs to show.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import asdict, dataclass, field
from typing import Any

from ..text.entities import domain
from .counts import (
    as_lists,
    claim_rows,
    count_column,
    first_texts,
    has_time,
    label_counts,
    plug_disclosure,
    present,
    unique_handles,
)
from .ranking import TOP_N, privacy_statements, product_counts, strongest_evidence, topic_rows


@dataclass
class Summary:
    """Counts and ranked lists describing one scan.

    Attributes:
        counts: records, posts, replies, threads, link lines, lines, unique handles and domains,
            bytes replaced, skipped lines.
        sources: The input names, in order.
        labels: Every claim label known (taxonomy order or sorted); empty if claims were not tagged.
        label_counts: Records carrying each label, a text counted once.
        label_repeats: Records carrying each label, repeats included.
        evidence: Per label, the strongest claims (score, sentence, post line span), one per
            distinct sentence.
        products: Products named by ``product_plug`` claims: ``(name, records, records with
            repeats)``, case and spacing folded ("ChatGPT", "chatGPT" and "Chat GPT" are one,
            named as most records write it).
        plugs: ``{"posts": ..., "undisclosed": ..., "with_repeats": ...}``: posts holding a
            plug, those of them that do not disclose it (no #ad, #sponsored, "paid
            partnership", "affiliate link"), and the posts with repeats.
        totals: How many items each ranked list had before it was cut (``products``,
            ``domains``, ``mentions``, ``reply_targets``, ``privacy``), so outputs can say how
            many they leave out.
        privacy: Privacy statements with actor and polarity.
        topics: One dict per topic (topic, size, label, terms, representative).
        domains: Most linked domains with counts.
        mentions: Most mentioned handles with counts.
        reply_targets: Most replied-to handles with counts.
        has_claims: Whether the frame carries the claims stage's columns.
        has_topics: Whether the frame carries topic assignments.
        has_time: Whether any record has a timestamp.
        notes: What was skipped or missing, one sentence each.
    """

    counts: dict[str, int]
    sources: list[str] = field(default_factory=list)
    labels: list[str] = field(default_factory=list)
    label_counts: dict[str, int] = field(default_factory=dict)
    label_repeats: dict[str, int] = field(default_factory=dict)
    evidence: dict[str, list[dict[str, Any]]] = field(default_factory=dict)
    products: list[tuple[str, int, int]] = field(default_factory=list)
    plugs: dict[str, int] = field(default_factory=dict)
    privacy: list[dict[str, Any]] = field(default_factory=list)
    topics: list[dict[str, Any]] = field(default_factory=list)
    domains: list[tuple[str, int]] = field(default_factory=list)
    mentions: list[tuple[str, int]] = field(default_factory=list)
    reply_targets: list[tuple[str, int]] = field(default_factory=list)
    has_claims: bool = False
    has_topics: bool = False
    has_time: bool = False
    notes: list[str] = field(default_factory=list)
    totals: dict[str, int] = field(default_factory=dict)

    def to_dict(self) -> dict[str, Any]:
        """Plain JSON-ready data (tuples become ``{"name", "count"}`` objects; products also
        carry ``with_repeats``)."""
        d = asdict(self)
        for key in ("domains", "mentions", "reply_targets"):
            d[key] = [{"name": n, "count": c} for n, c in d[key]]
        d["products"] = [{"name": n, "count": c, "with_repeats": r} for n, c, r in d["products"]]
        return d


def summarize(
    df, stats=None, topic_table=None, labels: list[str] | None = None, notes=()
) -> Summary:
    """Everything the terminal summary, ``--json`` and the report show, from one frame.

    Args:
        df: Records (``COLUMNS``), optionally with ``claims``/``labels`` and ``topic`` columns.
        stats: The parse's :class:`~socialscan.readers.stats.ParseStats`, for lines, threads and
            bytes replaced (counted from the frame when absent).
        topic_table: The topics stage's table (topic, size, label, terms, representative).
        labels: Every label of the taxonomy, so that labels with no posts still show as 0.
        notes: Sentences about skipped stages, shown in every output.

    Examples:
        >>> import socialscan
        >>> s = summarize(socialscan.to_frame(socialscan.parse("Hello @ann\\n@bo hi https://t.co/x", format="lines")))
        >>> s.counts["posts"], s.counts["replies"], s.mentions
        (1, 1, [('@ann', 1), ('@bo', 1)])
    """
    kinds = Counter(df["kind"]) if "kind" in df.columns else Counter()
    threads = df["thread_id"].map(present) if "thread_id" in df.columns else None
    counts = {
        "records": len(df),
        "posts": kinds.get("post", 0),
        "replies": kinds.get("reply", 0),
        "threads": int(
            getattr(stats, "threads", 0)
            or (df.loc[threads, "thread_id"].nunique() if threads is not None else 0)
        ),
        "links": kinds.get("link", 0),
        "lines": int(getattr(stats, "lines", 0) or 0),
        "handles": unique_handles(df),
        "domains": len(count_column(df, "links", key=domain)),
        "bytes_replaced": int(getattr(stats, "bytes_replaced", 0) or 0),
        "skipped": int(getattr(stats, "skipped", 0) or 0),
    }
    has_claims = "claims" in df.columns or "labels" in df.columns
    lab_counts = label_counts(df, labels) if has_claims else {}
    lab_repeats = label_counts(df, labels, repeats=True) if has_claims else {}
    counts["repeats"] = len(df) - sum(first_texts(df))
    counts["retweets"] = (
        int(df["is_retweet"].fillna(False).astype(bool).sum())
        if ("is_retweet" in df.columns)
        else 0
    )
    counts["claims"] = sum(1 for _ in claim_rows(df))
    counts["labelled_posts"] = (
        int(sum(1 for labs in as_lists(df["labels"]) if labs)) if "labels" in df.columns else 0
    )
    table_rows = topic_rows(topic_table)
    has_topics = "topic" in df.columns
    counts["topics"] = (
        sum(1 for t in table_rows if t["topic"] >= 0)
        if table_rows
        else (int(df.loc[df["topic"] >= 0, "topic"].nunique()) if has_topics else 0)
    )
    sources = list(getattr(stats, "sources", None) or ())  # every input, empty ones too
    if not sources and "source" in df.columns:
        sources = list(dict.fromkeys(str(s) for s in df["source"] if present(s)))
    all_products = product_counts(df)
    all_privacy = privacy_statements(df, None)
    domains = count_column(df, "links", key=domain)
    mentions = count_column(df, "mentions", key=lambda h: "@" + str(h).lower())
    targets = count_column(df, "reply_to", key=lambda h: "@" + str(h).lower())
    return Summary(
        counts=counts,
        sources=sources,
        labels=list(lab_counts),
        label_counts=lab_counts,
        label_repeats=lab_repeats,
        evidence=strongest_evidence(df),
        products=all_products[:TOP_N],
        plugs=plug_disclosure(df),
        privacy=all_privacy[:20],
        topics=table_rows,
        domains=domains.most_common(TOP_N),
        mentions=mentions.most_common(TOP_N),
        reply_targets=targets.most_common(TOP_N),
        totals={
            "products": len(all_products),
            "privacy": len(all_privacy),
            "domains": len(domains),
            "mentions": len(mentions),
            "reply_targets": len(targets),
        },
        has_claims=has_claims,
        has_topics=has_topics,
        has_time=has_time(df),
        notes=list(notes),
    )
