"""The report stage: a self-contained HTML report and the terminal summary of a scan (the
summary's numbers come from :mod:`socialscan.results`).

Examples:
    >>> from socialscan.report import render_report  # doctest: +SKIP
    >>> render_report(df, "reports/dump.html")  # doctest: +SKIP
"""

from .render import build_html, render_report

__all__ = ["build_html", "render_report"]
