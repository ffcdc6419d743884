"""socialscan: parse, classify, topic-model and report on scraped social posts, offline.

Examples:
    >>> import socialscan
    >>> posts = socialscan.parse("corpora/seed_dump.txt")  # doctest: +SKIP
    >>> df = socialscan.to_frame(posts)  # doctest: +SKIP
"""

from __future__ import annotations

from importlib import import_module
from typing import Any

__version__ = "0.1.0"

# Public names, imported on first use so that `import socialscan` stays light.
_LAZY = {
    "parse": "socialscan.api",
    "iter_parse": "socialscan.api",
    "parse_to": "socialscan.api",
    "to_frame": "socialscan.api",
    "tag_to": "socialscan.api",
    "fit_topics_to": "socialscan.api",
    "Post": "socialscan.records",
    "COLUMNS": "socialscan.records",
    "ParseStats": "socialscan.readers.stats",
    "SocialscanError": "socialscan.errors",
    "fit_topics": "socialscan.topics",
    "TopicResult": "socialscan.topics",
    "tag": "socialscan.claims",
    "tag_frame": "socialscan.claims",
    "scan": "socialscan.pipeline",
    "ScanResult": "socialscan.results",
    "render_report": "socialscan.report.render",
    "run_dask": "socialscan.distributed.engine",
    "read_dataset": "socialscan.distributed.dataset",
}

__all__ = sorted(_LAZY)


def __getattr__(name: str) -> Any:
    if name in _LAZY:
        return getattr(import_module(_LAZY[name]), name)
    raise AttributeError(f"module 'socialscan' has no attribute {name!r}")
