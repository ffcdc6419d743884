"""The report stage: a self-contained HTML report and the terminal summary of a scan.

Examples:
    >>> from socialscan.report import render_report  # doctest: +SKIP
    >>> render_report(df, "reports/dump.html")  # doctest: +SKIP
"""

from .render import build_html, render_report
from .summary import Summary, summarize

__all__ = ["Summary", "build_html", "render_report", "summarize"]
