"""What a scan found, as plain numbers and short lists: the one source for the terminal
summary, ``--json`` and the HTML report's sections.

Every function here takes the enriched DataFrame (``socialscan.records.COLUMNS`` plus whatever
the claims and topics stages added) and copes with the stage columns being absent.

Counts of what people say count a text once: a record marked ``duplicate_of`` (a retweet of a
post already counted, the same plug posted again; see :mod:`socialscan.readers.repeats`) adds
nothing to them, and the count with repeats is kept beside (``label_repeats``,
``products``' third field) for the outputs to show.
"""

from __future__ import annotations

import math
from collections import Counter
from dataclasses import asdict, dataclass, field
from typing import Any

from ..readers.repeats import same_text
from ..text.entities import domain

#: How many items each ranked list keeps.
TOP_N = 10
#: Evidence sentences kept per claim label.
EVIDENCE_PER_LABEL = 3


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


def _lists(series) -> list[list]:
    return [
        v
        if isinstance(v, list | tuple)
        else list(v)
        if hasattr(v, "__len__") and not isinstance(v, str)
        else []
        for v in series
    ]


def _present(value: Any) -> bool:
    if value is None:
        return False
    if isinstance(value, float) and math.isnan(value):
        return False
    return str(value) != ""


def count_column(df, column: str, key=None) -> Counter:
    """Count the items of a list column (optionally mapped through ``key``).

    Examples:
        >>> import pandas as pd
        >>> count_column(pd.DataFrame({"mentions": [["a", "b"], ["a"], []]}), "mentions")
        Counter({'a': 2, 'b': 1})
    """
    c: Counter = Counter()
    if column not in df.columns:
        return c
    for items in _lists(df[column]):
        for item in items:
            if _present(item):
                c[key(item) if key else item] += 1
    return c


def top_domains(df, n: int = TOP_N) -> list[tuple[str, int]]:
    """The most linked domains.

    Examples:
        >>> import pandas as pd
        >>> top_domains(pd.DataFrame({"links": [["https://t.co/a", "https://x.org"], ["http://t.co/b"]]}))
        [('t.co', 2), ('x.org', 1)]
    """
    return count_column(df, "links", key=domain).most_common(n)


def top_mentions(df, n: int = TOP_N) -> list[tuple[str, int]]:
    """The most mentioned handles (with ``@``), case-folded so ``@Ann`` and ``@ann`` are one."""
    c = count_column(df, "mentions", key=lambda h: "@" + str(h).lower())
    return c.most_common(n)


def top_reply_targets(df, n: int = TOP_N) -> list[tuple[str, int]]:
    """The handles replies are addressed to most often."""
    c = count_column(df, "reply_to", key=lambda h: "@" + str(h).lower())
    return c.most_common(n)


def unique_handles(df) -> int:
    """Distinct handles seen as authors, mentions or reply targets."""
    seen = set(count_column(df, "mentions", key=str.lower))
    seen |= set(count_column(df, "reply_to", key=str.lower))
    if "author" in df.columns:
        seen |= {str(a).lower() for a in df["author"] if _present(a)}
    return len(seen)


def first_texts(df) -> list[bool]:
    """Per record, whether it is the first with its text (no ``duplicate_of``): the records
    that counts "once" count. Every record is, when the frame has no such column.

    Examples:
        >>> import pandas as pd
        >>> first_texts(pd.DataFrame({"duplicate_of": [None, "a", float("nan")]}))
        [True, False, True]
    """
    if "duplicate_of" not in df.columns:
        return [True] * len(df)
    return [not _present(v) for v in df["duplicate_of"]]


def claim_rows(df):
    """Each claim of each record as one dict with the record's index, line span and source,
    and ``first``: whether the record is the first with its text (:func:`first_texts`).

    Yields nothing when the frame has no ``claims`` column.
    """
    if "claims" not in df.columns:
        return
    cols = [
        df[c].tolist() if c in df.columns else [None] * len(df)
        for c in ("line_start", "line_end", "source", "text")
    ]
    firsts = first_texts(df)
    rows = zip(df["claims"].tolist(), *cols, firsts, strict=True)
    for i, (claims, ls, le, src, text, first) in enumerate(rows):
        if not isinstance(claims, list | tuple):
            continue
        for c in claims:
            if isinstance(c, dict) and c.get("label"):
                yield {
                    **c,
                    "row": i,
                    "line_start": ls,
                    "line_end": le,
                    "source": src,
                    "post": text,
                    "first": first,
                }


def label_counts(df, labels: list[str] | None = None, repeats: bool = False) -> dict[str, int]:
    """Records carrying each label (from ``labels``, else from ``claims``), every known label
    listed; a text counted once unless ``repeats``.

    Examples:
        >>> import pandas as pd
        >>> df = pd.DataFrame({"labels": [["product_plug"]] * 3, "duplicate_of": [None, "a", "a"]})
        >>> label_counts(df), label_counts(df, repeats=True)
        ({'product_plug': 1}, {'product_plug': 3})
    """
    c: Counter = Counter()
    firsts = first_texts(df)
    if "labels" in df.columns:
        for labs, first in zip(_lists(df["labels"]), firsts, strict=True):
            if first or repeats:
                c.update(set(labs))
    else:
        for row in {(r["row"], r["label"]) for r in claim_rows(df) if r["first"] or repeats}:
            c[row[1]] += 1
    out = {lab: c.get(lab, 0) for lab in (labels or [])}
    for lab, n in sorted(c.items()):
        out.setdefault(lab, n)
    return out


def strongest_evidence(df, per_label: int = EVIDENCE_PER_LABEL) -> dict[str, list[dict[str, Any]]]:
    """Per label, the highest-scoring claims, one per record and one per sentence: a sentence
    that bots or retweets repeat (the same words, links, case and spacing aside) shows once."""
    best: dict[str, list[dict[str, Any]]] = {}
    said: dict[str, set[str]] = {}
    for r in sorted(claim_rows(df), key=lambda r: -float(r.get("score") or 0.0)):
        kept = best.setdefault(r["label"], [])
        sentence = same_text(str(r.get("text") or r.get("post") or ""))
        seen = said.setdefault(r["label"], set())
        if len(kept) >= per_label or any(k["row"] == r["row"] for k in kept) or sentence in seen:
            continue
        seen.add(sentence)
        ev = r.get("evidence") or {}
        kept.append(
            {
                "row": r["row"],
                "score": round(float(r.get("score") or 0.0), 3),
                "text": str(r.get("text") or r.get("post") or ""),
                "cues": list(ev.get("cues") or []) if isinstance(ev, dict) else [],
                "line_start": _int(r["line_start"]),
                "line_end": _int(r["line_end"]),
                "source": r["source"],
            }
        )
    return best


def plug_disclosure(df) -> dict[str, int]:
    """Posts holding a ``product_plug`` claim (a text once), how many of them do not disclose
    it, and the posts with repeats."""
    posts = undisclosed = raw = 0
    if "claims" not in df.columns:
        return {}
    for claims, first in zip(df["claims"], first_texts(df), strict=True):
        plugs = [
            c
            for c in (claims if isinstance(claims, list) else [])
            if c.get("label") == "product_plug"
        ]
        if plugs:
            raw += 1
            if not first:
                continue
            posts += 1
            attrs = plugs[0].get("attributes") or {}
            undisclosed += not (isinstance(attrs, dict) and attrs.get("disclosed"))
    return {"posts": posts, "undisclosed": undisclosed, "with_repeats": raw} if raw else {}


def product_key(name: str) -> str:
    """What spellings of one product share: case, spacing and punctuation folded.

    Examples:
        >>> {product_key(n) for n in ("ChatGPT", "chatGPT", "Chat GPT", "Chat-GPT")}
        {'chatgpt'}
    """
    return "".join(ch for ch in name.casefold() if ch.isalnum())


def product_counts(df) -> list[tuple[str, int, int]]:
    """Every product named by ``product_plug`` claims: ``(name, records, records with
    repeats)``, most records first. A record counts a product once however many of its
    sentences name it; spellings that :func:`product_key` folds are one product, named as
    most records write it."""
    spellings: dict[str, Counter] = {}
    once: Counter = Counter()
    raw: Counter = Counter()
    seen: set[tuple[int, str]] = set()
    for r in claim_rows(df):
        attrs = r.get("attributes") or {}
        for p in attrs.get("products") or [] if isinstance(attrs, dict) else []:
            if not _present(p):
                continue
            key = product_key(str(p))
            if not key or (r["row"], key) in seen:
                continue
            seen.add((r["row"], key))
            spellings.setdefault(key, Counter())[str(p)] += 1
            raw[key] += 1
            once[key] += r["first"]
    rows = [(spellings[k].most_common(1)[0][0], once[k], raw[k]) for k in raw if once[k]]
    return sorted(rows, key=lambda t: (-t[1], -t[2], t[0].casefold()))


def products(df, n: int = TOP_N) -> list[tuple[str, int, int]]:
    """The ``n`` products most records name (see :func:`product_counts`)."""
    return product_counts(df)[:n]


def privacy_statements(df, n: int | None = 20) -> list[dict[str, Any]]:
    """Claims carrying an ``actor`` or ``polarity`` attribute (the privacy statements), one per
    distinct sentence, strongest first (``n`` of them; ``None``: all)."""
    out = []
    said: set[str] = set()
    for r in sorted(claim_rows(df), key=lambda r: -float(r.get("score") or 0.0)):
        attrs = r.get("attributes") or {}
        if not isinstance(attrs, dict) or not ("actor" in attrs or "polarity" in attrs):
            continue
        if r["label"] != "privacy_statement" and "privacy" not in r["label"]:
            continue
        sentence = same_text(str(r.get("text") or ""))
        if sentence in said:
            continue
        said.add(sentence)
        out.append(
            {
                "actor": str(attrs.get("actor") or "unknown"),
                "polarity": str(attrs.get("polarity") or "unknown"),
                "text": str(r.get("text") or ""),
                "score": round(float(r.get("score") or 0.0), 3),
                "line_start": _int(r["line_start"]),
                "line_end": _int(r["line_end"]),
                "source": r["source"],
            }
        )
        if n is not None and len(out) >= n:
            break
    return out


def topic_rows(table) -> list[dict[str, Any]]:
    """The topic table as plain dicts, largest first, outliers (-1) last."""
    if table is None or len(table) == 0:
        return []
    rows = []
    for rec in table.to_dict("records"):
        rows.append(
            {
                "topic": int(rec.get("topic", -1)),
                "size": int(rec.get("size", 0) or 0),
                "label": str(rec.get("label") or f"topic {rec.get('topic')}"),
                "terms": [
                    str(t)
                    for t in (
                        rec.get("terms")
                        if isinstance(rec.get("terms"), list | tuple)
                        else list(rec.get("terms") or [])
                    )
                ],
                "representative": [
                    str(t)
                    for t in (
                        rec.get("representative")
                        if isinstance(rec.get("representative"), list | tuple)
                        else list(rec.get("representative") or [])
                    )
                ],
            }
        )
    return sorted(rows, key=lambda r: (r["topic"] < 0, -r["size"], r["topic"]))


def has_time(df) -> bool:
    """True when at least one record carries a ``created_at`` timestamp."""
    return "created_at" in df.columns and bool(df["created_at"].map(_present).any())


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
    threads = df["thread_id"].map(_present) if "thread_id" in df.columns else None
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
        int(sum(1 for labs in _lists(df["labels"]) if labs)) if "labels" in df.columns else 0
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
        sources = list(dict.fromkeys(str(s) for s in df["source"] if _present(s)))
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


def _int(v: Any) -> int | None:
    try:
        return int(v)
    except (TypeError, ValueError):
        return None
