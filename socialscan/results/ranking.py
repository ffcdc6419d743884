"""Ranked lists of what a frame of records says: top domains and handles, the strongest
evidence per claim label, the products plugged, the privacy statements, the topics by size.

A sentence that bots or retweets repeat shows once in each list (see
:func:`socialscan.readers.repeats.same_text`).
"""

from __future__ import annotations

from collections import Counter
from typing import Any

from ..readers.repeats import same_text
from ..text.entities import domain
from .counts import as_int, claim_rows, count_column, present

#: How many items each ranked list keeps.
TOP_N = 10
#: Evidence sentences kept per claim label.
EVIDENCE_PER_LABEL = 3


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
                "line_start": as_int(r["line_start"]),
                "line_end": as_int(r["line_end"]),
                "source": r["source"],
            }
        )
    return best


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
            if not present(p):
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
                "line_start": as_int(r["line_start"]),
                "line_end": as_int(r["line_end"]),
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
