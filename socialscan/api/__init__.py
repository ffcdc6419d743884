"""The Python API, the same shape as the CLI: one function a command.

- ``socialscan parse``: :func:`parse`, :func:`iter_parse`, :func:`parse_to` (:mod:`.parsing`).
- ``socialscan tag``: :func:`tag_to` (:mod:`.tagging`).
- ``socialscan topics``: :func:`fit_topics_to` (:mod:`.topics`).
- ``socialscan scan`` and ``report``: :func:`socialscan.scan` (:mod:`socialscan.pipeline`).

A keyword names its stage where a function runs more than one (``topic_embedder``,
``claim_embedder``, ``claim_model``), as the CLI's options do (``--topic-embedder``, ...).
"""

from __future__ import annotations

from .parsing import is_path, iter_parse, parse, parse_to, to_frame
from .tagging import TAG_COLUMNS, TagRun, tag_to
from .topics import TOPIC_COLUMNS, TopicsRun, fit_topics_to

__all__ = [
    "TAG_COLUMNS",
    "TOPIC_COLUMNS",
    "TagRun",
    "TopicsRun",
    "fit_topics_to",
    "is_path",
    "iter_parse",
    "parse",
    "parse_to",
    "tag_to",
    "to_frame",
]
