"""The terminal summary of a scan: rich tables that fit the terminal on a TTY, plain aligned
text when piped (no colours, no box drawing), both from one :class:`~socialscan.results.Summary`."""

from __future__ import annotations

import shutil
import sys
from typing import IO

from ..readers.stats import counted
from ..results import Summary


def _span(e: dict) -> str:
    a, b = e.get("line_start"), e.get("line_end")
    if a is None:
        return ""
    return f"line {a}" if a == b or b is None else f"lines {a}-{b}"


def _clip(text: str, width: int) -> str:
    flat = " ".join(str(text).split())
    return flat if len(flat) <= width else flat[: max(1, width - 1)] + "…"


def headline(s: Summary) -> str:
    """The first line: what was read and what it held.

    Examples:
        >>> headline(Summary(counts={"records": 3, "posts": 2, "replies": 1, "threads": 0, "links": 0,
        ...     "lines": 3, "handles": 1, "domains": 0, "bytes_replaced": 0}, sources=["a.txt"]))
        'a.txt: 3 lines, 3 records (2 posts, 1 reply, 0 threads, 0 link lines)'
    """
    c = s.counts
    src = ", ".join(s.sources[:2]) + (
        f" and {len(s.sources) - 2} more" if len(s.sources) > 2 else ""
    )
    lines = f"{counted(c['lines'], 'line')}, " if c.get("lines") else ""
    return (
        f"{src or 'input'}: {lines}{counted(c['records'], 'record')} ({counted(c['posts'], 'post')}, "
        f"{counted(c['replies'], 'reply', 'replies')}, {counted(c['threads'], 'thread')}, "
        f"{counted(c['links'], 'link line')})"
    )


def _claims_line(c: dict) -> str:
    """ "16 claim sentences in 9 records": claims are sentences, the labels' counts records."""
    n = c.get("claims", 0)
    return (
        f"{n:,} claim {'sentence' if n == 1 else 'sentences'} in "
        f"{counted(c.get('labelled_posts', 0), 'record')}"
    )


def _ranked(items) -> str:
    return ", ".join(f"{n} ({k})" for n, k in items) if items else "none"


def _more(shown: int, total: int, what: str = "more") -> str:
    """`` and N more`` when a list of ``total`` items shows ``shown``; else nothing.

    Examples:
        >>> _more(6, 20), _more(3, 3)
        (' and 14 more', '')
    """
    return f" and {total - shown:,} {what}" if total > shown else ""


def _count(n: int, raw: int) -> str:
    """A count of texts counted once, with the count with repeats beside when it differs.

    Examples:
        >>> _count(3, 31), _count(4, 4)
        ('3 (31 with repeats)', '4')
    """
    return f"{n:,} ({raw:,} with repeats)" if raw != n else f"{n:,}"


def _product(p: tuple) -> str:
    name, n, raw = p
    return f"{name} {_count(n, raw)}"


def fit_list(head: str, items: list[str], total: int, width: int, most: int = 6) -> str:
    """``head`` and as many of ``items`` (at most ``most``) as fit in ``width`` characters,
    with " and N more" for every item of ``total`` left out (and "none" when there are none).

    Examples:
        >>> fit_list("Top domains: ", ["a.com (9)", "b.org (4)", "c.net (1)"], 25, 60)
        'Top domains: a.com (9), b.org (4), c.net (1) and 22 more'
        >>> fit_list("Top domains: ", ["a.com (9)", "b.org (4)", "c.net (1)"], 3, 35)
        'Top domains: a.com (9) and 2 more'
    """
    if not items:
        return head + "none"
    shown: list[str] = []
    for item in items[:most]:
        line = head + ", ".join([*shown, item]) + _more(len(shown) + 1, total)
        if shown and len(line) > width:
            break
        shown.append(item)
    line = head + ", ".join(shown) + _more(len(shown), total)
    return line if len(line) <= width else _clip(line, width)


def format_plain(s: Summary, width: int = 100, report: str | None = None) -> str:
    """The summary as plain text lines no wider than ``width`` (for pipes and logs).

    Examples:
        >>> s = Summary(counts={"records": 1, "posts": 1, "replies": 0, "threads": 0, "links": 0,
        ...     "lines": 1, "handles": 0, "domains": 0, "bytes_replaced": 0, "claims": 0, "topics": 0})
        >>> print(format_plain(s).splitlines()[2])
        Claims: not tagged.
    """
    c = s.counts
    out = [headline(s)]
    out.append(
        f"{counted(c['handles'], 'handle')}, {counted(c['domains'], 'domain')}, "
        f"{counted(c['bytes_replaced'], 'byte')} replaced"
        + (f", {counted(c['skipped'], 'malformed line')} skipped" if c.get("skipped") else "")
    )
    if not s.has_claims:
        out.append("Claims: not tagged.")
    else:
        out.append(f"Claims: {_claims_line(c)}; records per label:")
        if c.get("repeats"):
            out.append(
                f"  records per label count a text once: {counted(c['repeats'], 'record')} "
                f"repeat an earlier text ({counted(c.get('retweets', 0), 'retweet')} in all)"
            )
        counts = {lab: _count(n, s.label_repeats.get(lab, n)) for lab, n in s.label_counts.items()}
        pad = max((len(lab) for lab in counts), default=0)
        cpad = max((len(v) for v in counts.values()), default=0)
        for lab, n in counts.items():
            ev = s.evidence.get(lab) or []
            quote = ""
            if ev:
                where = _span(ev[0])
                room = width - pad - cpad - 12 - len(where)
                quote = f'  "{_clip(ev[0]["text"], max(10, room))}" ({where})'
            out.append(f"  {lab:<{pad}} {n:>{cpad}}{quote}")
        if s.products:
            out.append(
                fit_list(
                    "  products plugged: ",
                    [_product(p) for p in s.products],
                    s.totals.get("products", len(s.products)),
                    width,
                )
            )
        if s.plugs:
            posts = _count(s.plugs["posts"], s.plugs.get("with_repeats", s.plugs["posts"]))
            out.append(
                f"  plugs: {posts} posts, {s.plugs['undisclosed']} undisclosed "
                "(no #ad, #sponsored, paid partnership or affiliate link)"
            )
        for p in s.privacy[:3]:
            room = width - len(p["actor"]) - len(p["polarity"]) - 24
            out.append(
                f'  privacy: {p["actor"]} ({p["polarity"]}) "{_clip(p["text"], max(10, room))}" ({_span(p)})'
            )
        total = s.totals.get("privacy", len(s.privacy))
        if total > min(3, len(s.privacy)):
            out.append(f"  {_more(min(3, len(s.privacy)), total, 'more privacy statements')[1:]}")
    if not s.has_topics:
        out.append("Topics: not modelled.")
    else:
        out.append(f"Topics: {c.get('topics', 0):,}")
        for t in s.topics[:12]:
            name = "outliers" if t["topic"] < 0 else str(t["topic"])
            # the topic's label (its first three terms, as everywhere), then further terms
            shown = t["terms"][:8] if t["topic"] < 0 else [t["label"], *t["terms"][3:8]]
            out.append(f"  {name:>8} {t['size']:>6,}  {_clip(', '.join(shown), width - 20)}")
        if len(s.topics) > 12:
            out.append(f"  {_more(12, len(s.topics), 'more topics')[1:]}")
    for head, items, key in (
        ("Top domains: ", s.domains, "domains"),
        ("Most mentioned: ", s.mentions, "mentions"),
        ("Reply targets: ", s.reply_targets, "reply_targets"),
    ):
        ranked = [f"{n} ({k})" for n, k in items]
        out.append(fit_list(head, ranked, s.totals.get(key, len(items)), width))
    for n in s.notes:
        out.append(f"Note: {n}")
    if report:
        out.append(f"Report: {report}")
    return "\n".join(out)


def print_rich(s: Summary, console, report: str | None = None) -> None:
    """The summary as rich tables sized to ``console.width``."""
    from rich import box
    from rich.table import Table
    from rich.text import Text

    c = s.counts
    console.print(Text(headline(s), style="bold"))
    console.print(
        f"[dim]{counted(c['handles'], 'handle')} · {counted(c['domains'], 'domain')} · "
        f"{counted(c['bytes_replaced'], 'byte')} replaced[/dim]"
    )

    def table(title: str) -> Table:
        return Table(
            title=title,
            title_justify="left",
            title_style="bold",
            box=box.SIMPLE_HEAD,
            expand=False,
            pad_edge=False,
        )

    if not s.has_claims:
        console.print("[bold]Claims[/bold] [dim]not tagged[/dim]")
    else:
        t = table(f"Claims: {_claims_line(c)}")
        t.add_column("label", no_wrap=True)
        t.add_column("records", justify="right")
        t.add_column("strongest evidence", overflow="ellipsis", ratio=1)
        t.add_column("where", style="dim", no_wrap=True)
        room = max(20, console.width - 45)
        for lab, n in s.label_counts.items():
            ev = (s.evidence.get(lab) or [{}])[0]
            t.add_row(
                lab,
                _count(n, s.label_repeats.get(lab, n)),
                Text(_clip(ev.get("text", ""), room * 2)),
                _span(ev) if ev else "",
            )
        console.print(t)
        if c.get("repeats"):
            console.print(
                f"  [dim]records count a text once: {counted(c['repeats'], 'record')} repeat an "
                f"earlier text ({counted(c.get('retweets', 0), 'retweet')} in all)[/dim]",
                highlight=False,
            )
        if s.products:
            line = fit_list(
                "",
                [_product(p) for p in s.products],
                s.totals.get("products", len(s.products)),
                max(40, console.width - 20),
                most=8,
            )
            console.print(Text.assemble("  ", ("products plugged", "bold"), " ", line))
        if s.plugs:
            posts = _count(s.plugs["posts"], s.plugs.get("with_repeats", s.plugs["posts"]))
            console.print(
                f"  [bold]plugs[/bold] {posts} posts, {s.plugs['undisclosed']} "
                "undisclosed (no #ad, #sponsored, paid partnership or affiliate link)",
                highlight=False,
            )
        for p in s.privacy[:3]:
            console.print(
                Text.assemble(
                    "  privacy ",
                    (f"{p['actor']} ({p['polarity']})", "bold"),
                    f' "{_clip(p["text"], console.width - 40)}" ',
                    (_span(p), "dim"),
                )
            )
        total = s.totals.get("privacy", len(s.privacy))
        if total > min(3, len(s.privacy)):
            console.print(
                f"  {_more(min(3, len(s.privacy)), total, 'more privacy statements')[1:]}"
            )
    if not s.has_topics:
        console.print("[bold]Topics[/bold] [dim]not modelled[/dim]")
    else:
        t = table(f"Topics: {c.get('topics', 0):,}")
        t.add_column("topic", justify="right", no_wrap=True)
        t.add_column("records", justify="right")
        t.add_column("terms", overflow="ellipsis", ratio=1)
        for row in s.topics[:15]:
            t.add_row(
                "outliers" if row["topic"] < 0 else str(row["topic"]),
                f"{row['size']:,}",
                ", ".join(
                    row["terms"][:10] if row["topic"] < 0 else [row["label"], *row["terms"][3:10]]
                ),
            )
        if len(s.topics) > 15:
            t.add_row("", "", Text(_more(15, len(s.topics), "more topics")[1:], style="dim"))
        console.print(t)
    t = table("Links and mentions")
    t.add_column("top domains", overflow="ellipsis")
    t.add_column("most mentioned", overflow="ellipsis")
    t.add_column("reply targets", overflow="ellipsis")
    rows = max(len(s.domains[:8]), len(s.mentions[:8]), len(s.reply_targets[:8]))
    cell = lambda items, i: f"{items[i][0]} ({items[i][1]})" if i < len(items) else ""  # noqa: E731
    for i in range(rows):
        t.add_row(cell(s.domains, i), cell(s.mentions, i), cell(s.reply_targets, i))
    more = [
        _more(min(8, len(items)), s.totals.get(key, len(items)))[1:]
        for items, key in (
            (s.domains, "domains"),
            (s.mentions, "mentions"),
            (s.reply_targets, "reply_targets"),
        )
    ]
    if any(more):
        t.add_row(*(Text(m, style="dim") for m in more))
    if rows:
        console.print(t)
    for n in s.notes:
        console.print(f"[yellow]Note:[/yellow] {n}", highlight=False)
    if report:
        console.print(f"[bold green]Report:[/bold green] {report}", highlight=False)


def show_summary(
    s: Summary, stream: IO[str] | None = None, report: str | None = None, rich: bool | None = None
) -> None:
    """Print the summary: rich tables on a terminal, plain text otherwise.

    Args:
        s: The summary.
        stream: Where to print (default: stdout).
        report: The report's path, printed last.
        rich: Force (``True``) or refuse (``False``) rich output; default: whether ``stream`` is a TTY.
    """
    stream = stream or sys.stdout
    use_rich = stream.isatty() if rich is None else rich
    if use_rich:
        from rich.console import Console

        print_rich(s, Console(file=stream, highlight=False), report=report)
    else:
        width = shutil.get_terminal_size((100, 24)).columns
        stream.write(format_plain(s, width=max(60, width), report=report) + "\n")
