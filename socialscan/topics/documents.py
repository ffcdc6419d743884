"""What the topics stage models: one document per record, or per thread of records.

Consecutive records sharing a ``thread_id`` (a long post the parser cut into records, a
numbered thread) are one document, so they get one topic and one point on the map.
"""

from __future__ import annotations

from typing import Any

from ..errors import InvalidOption, MissingColumn


def texts_of(data: Any) -> list[str]:
    """Texts from a list of Posts, a DataFrame with a ``text`` column, or a list of strings.

    Raises:
        MissingColumn: a DataFrame without ``text``.
        InvalidOption: anything else.
    """
    if isinstance(data, str):
        data = [data]
    if hasattr(data, "columns"):
        if "text" not in data.columns:
            raise MissingColumn("topics need a 'text' column")
        return ["" if v is None or v != v else str(v) for v in data["text"].tolist()]
    try:
        items = list(data)
    except TypeError:
        raise InvalidOption(f"cannot find topics in a {type(data).__name__}") from None
    return [x if isinstance(x, str) else str(getattr(x, "text", x) or "") for x in items]


def thread_groups(data: Any) -> list[list[int]] | None:
    """Row indexes grouped by thread: consecutive rows sharing a ``thread_id`` (a long post
    the parser cut into records, a numbered thread) form one group, every other row its own;
    ``None`` when no two rows share one (or the data has no thread ids).

    Examples:
        >>> import pandas as pd
        >>> thread_groups(pd.DataFrame({"text": list("abcd"), "thread_id": ["t", "t", None, None]}))
        [[0, 1], [2], [3]]
        >>> thread_groups(["a", "b"]) is None
        True
    """
    if hasattr(data, "columns"):
        if "thread_id" not in data.columns:
            return None
        ids = [None if v is None or v != v else v for v in data["thread_id"].tolist()]
    elif isinstance(data, str):
        return None
    else:
        ids = [getattr(x, "thread_id", None) for x in data]
    groups: list[list[int]] = []
    for i, t in enumerate(ids):
        if t is not None and i > 0 and ids[i - 1] == t:
            groups[-1].append(i)
        else:
            groups.append([i])
    return groups if len(groups) < len(ids) else None


def document_text(records: list[str]) -> str:
    """The text a document is modelled by: one record's text, or a thread's records joined
    with their copied-post chrome masked, at most ``ANALYSED_CHARS`` long.

    Examples:
        >>> document_text(["1/2 Fine tuning is for tasks", "2/2 not for knowledge"])
        '1/2 Fine tuning is for tasks\\n2/2 not for knowledge'
    """
    from ..records import analysed
    from ..text.body import mask

    return analysed(records[0] if len(records) == 1 else "\n".join(mask(r) for r in records))
