"""Topics: what a set of posts talks about (BERTopic, with parts chosen for speed).

Nothing heavy is imported here: BERTopic, scikit-learn and the embedders load when
:func:`fit_topics` runs.

Examples:
    >>> from socialscan.topics import fit_topics
    >>> result = fit_topics(["fine tuning LLMs", "running shoes"], embedder="hashing", cache=False)  # doctest: +SKIP
    >>> result.table[["topic", "size", "label"]]  # doctest: +SKIP
"""

from __future__ import annotations

from typing import Any

__all__ = ["TopicResult", "fit_topics"]


def __getattr__(name: str) -> Any:
    if name == "fit_topics":
        from .fit import fit_topics

        return fit_topics
    if name == "TopicResult":
        from .result import TopicResult

        return TopicResult
    raise AttributeError(name)
