"""The terminal summary of a scan: rich tables that fit the terminal on a TTY, plain aligned
text when piped (no colours, no box drawing), both from one :class:`~.summary.Summary`."""

from __future__ import annotations

import shutil
import sys
from typing import IO

from .summary import Summary


def _span(e: dict) -> str:
    a, b = e.get("line_start"), e.get("line_end")
    if a is None:
        return ""
    return f"line {a}" if a == b or b is None else f"lines {a}-{b}"


def _clip(text: str, width: int) -> str:
    flat = " ".join(str(text).split())
    return flat if len(flat) <= width else flat[: max(1, width - 1)] + "…"


def _plural(n: int, word: str, plural: str | None = None) -> str:
    return f"{n:,} {word if n == 1 else (plural or word + 's')}"


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
    lines = f"{_plural(c['lines'], 'line')}, " if c.get("lines") else ""
    return (
        f"{src or 'input'}: {lines}{_plural(c['records'], 'record')} ({_plural(c['posts'], 'post')}, "
        f"{_plural(c['replies'], 'reply', 'replies')}, {_plural(c['threads'], 'thread')}, "
        f"{_plural(c['links'], 'link line')})"
    )


def _ranked(items) -> str:
    return ", ".join(f"{n} ({k})" for n, k in items) if items else "none"


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
        f"{_plural(c['handles'], 'handle')}, {_plural(c['domains'], 'domain')}, "
        f"{_plural(c['bytes_replaced'], 'byte')} replaced"
        + (f", {_plural(c['skipped'], 'malformed line')} skipped" if c.get("skipped") else "")
    )
    if not s.has_claims:
        out.append("Claims: not tagged.")
    else:
        out.append(f"Claims: {c.get('claims', 0):,} in {c.get('labelled_posts', 0):,} records")
        pad = max((len(lab) for lab in s.label_counts), default=0)
        for lab, n in s.label_counts.items():
            ev = s.evidence.get(lab) or []
            quote = ""
            if ev:
                where = _span(ev[0])
                room = width - pad - 18 - len(where)
                quote = f'  "{_clip(ev[0]["text"], max(10, room))}" ({where})'
            out.append(f"  {lab:<{pad}} {n:>6,}{quote}")
        if s.products:
            out.append(f"  products plugged: {_ranked(s.products[:6])}")
        if s.plugs:
            out.append(
                f"  plugs: {s.plugs['posts']} posts, {s.plugs['undisclosed']} undisclosed "
                "(no #ad, #sponsored, paid partnership or affiliate link)"
            )
        for p in s.privacy[:3]:
            room = width - len(p["actor"]) - len(p["polarity"]) - 24
            out.append(
                f'  privacy: {p["actor"]} ({p["polarity"]}) "{_clip(p["text"], max(10, room))}" ({_span(p)})'
            )
    if not s.has_topics:
        out.append("Topics: not modelled.")
    else:
        out.append(f"Topics: {c.get('topics', 0):,}")
        for t in s.topics[:12]:
            name = "outliers" if t["topic"] < 0 else str(t["topic"])
            # the topic's label (its first three terms, as everywhere), then further terms
            shown = t["terms"][:8] if t["topic"] < 0 else [t["label"], *t["terms"][3:8]]
            out.append(f"  {name:>8} {t['size']:>6,}  {_clip(', '.join(shown), width - 20)}")
    out.append(_clip(f"Top domains: {_ranked(s.domains[:6])}", width))
    out.append(_clip(f"Most mentioned: {_ranked(s.mentions[:6])}", width))
    out.append(_clip(f"Reply targets: {_ranked(s.reply_targets[:6])}", width))
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
        f"[dim]{_plural(c['handles'], 'handle')} · {_plural(c['domains'], 'domain')} · "
        f"{_plural(c['bytes_replaced'], 'byte')} replaced[/dim]"
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
        t = table(f"Claims: {c.get('claims', 0):,} in {c.get('labelled_posts', 0):,} records")
        t.add_column("label", no_wrap=True)
        t.add_column("records", justify="right")
        t.add_column("strongest evidence", overflow="ellipsis", ratio=1)
        t.add_column("where", style="dim", no_wrap=True)
        room = max(20, console.width - 45)
        for lab, n in s.label_counts.items():
            ev = (s.evidence.get(lab) or [{}])[0]
            t.add_row(
                lab, f"{n:,}", Text(_clip(ev.get("text", ""), room * 2)), _span(ev) if ev else ""
            )
        console.print(t)
        if s.products:
            console.print(
                f"  [bold]products plugged[/bold] {_ranked(s.products[:8])}", highlight=False
            )
        if s.plugs:
            console.print(
                f"  [bold]plugs[/bold] {s.plugs['posts']} posts, {s.plugs['undisclosed']} "
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
        console.print(t)
    t = table("Links and mentions")
    t.add_column("top domains", overflow="ellipsis")
    t.add_column("most mentioned", overflow="ellipsis")
    t.add_column("reply targets", overflow="ellipsis")
    rows = max(len(s.domains[:8]), len(s.mentions[:8]), len(s.reply_targets[:8]))
    cell = lambda items, i: f"{items[i][0]} ({items[i][1]})" if i < len(items) else ""  # noqa: E731
    for i in range(rows):
        t.add_row(cell(s.domains, i), cell(s.mentions, i), cell(s.reply_targets, i))
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
