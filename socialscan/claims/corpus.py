"""Labelled posts stored as pointers: text whose licence forbids copying stays where it is.

A line of a labelled corpus holds either the post's ``text`` or a ``pointer`` into a data
directory, resolved when the corpus is read:

- ``chatgpt-tweets/Asia.csv#row=12``: the 0-based data row of a CSV file (the header is no row),
  its ``Tweet`` (or ``text``) column;
- ``tweeteval/emoji/train_text.txt#line=5``: the 1-based line of a text file;
- ``twarc-jsonl/flat.jsonl#id=1391520424614375426``: a tweet of a JSON-lines export, by id.

``corpora/claims.jsonl`` is such a corpus over ``../shared/data``:
``socialscan eval claims corpora/claims.jsonl --data ../shared/data --split test``.
"""

from __future__ import annotations

import csv
import os
import re
from collections import defaultdict
from pathlib import Path

import orjson

from ..errors import InputNotFound, MalformedInput

_POINTER = re.compile(r"^(?P<path>[^#]+)#(?P<kind>row|line|id)=(?P<key>.+)$")


def resolve_pointers(pointers: list[str], data: str | os.PathLike[str]) -> dict[str, str]:
    """Each pointer's text, verbatim as its file holds it (the chatgpt-tweets CSVs keep the
    API's HTML entities, ``&amp;``: the claims model reads them decoded either way).

    Raises:
        InputNotFound: the data directory or a file a pointer names is missing.
        MalformedInput: a pointer of no known shape, or one that points past its file.

    Examples:
        >>> resolve_pointers(["tweeteval/emoji/test_text.txt#line=1"], "../shared/data")  # doctest: +SKIP
        {'tweeteval/emoji/test_text.txt#line=1': '...'}
    """
    root = Path(data)
    if not root.is_dir():
        raise InputNotFound(f"{root}: no such data directory (pointers are resolved in it)")
    by_file: dict[tuple[str, str], set[str]] = defaultdict(set)
    for p in pointers:
        m = _POINTER.match(p)
        if not m:
            raise MalformedInput(f"{p!r}: not a pointer (file#row=N, file#line=N or file#id=ID)")
        by_file[(m["path"], m["kind"])].add(m["key"])
    out: dict[str, str] = {}
    for (rel, kind), keys in by_file.items():
        path = root / rel
        if not path.is_file():
            raise InputNotFound(f"{path}: no such file (named by a pointer)")
        found = _read(path, kind, keys)
        for key in keys:
            if key not in found:
                raise MalformedInput(f"{rel}#{kind}={key}: not in {path}")
            out[f"{rel}#{kind}={key}"] = found[key]
    return out


def _read(path: Path, kind: str, keys: set[str]) -> dict[str, str]:
    found: dict[str, str] = {}
    if kind == "row":
        with path.open(newline="", encoding="utf-8") as fh:
            for n, row in enumerate(csv.DictReader(fh)):
                if str(n) in keys:
                    found[str(n)] = row.get("Tweet") or row.get("text") or ""
    elif kind == "line":
        with path.open(encoding="utf-8") as fh:
            for n, line in enumerate(fh, start=1):
                if str(n) in keys:
                    found[str(n)] = line.rstrip("\n")
    else:  # a tweet id in a JSON-lines export (v2 pages, their includes, or single tweets)
        with path.open(encoding="utf-8") as fh:
            for line in fh:
                try:
                    obj = orjson.loads(line)
                except orjson.JSONDecodeError:
                    continue
                for tw in _tweets(obj):
                    tid = str(tw.get("id_str") or tw.get("id") or "")
                    if tid in keys and tid not in found:
                        note = tw.get("note_tweet") or {}
                        ext = tw.get("extended_tweet") or {}
                        found[tid] = (
                            note.get("text")
                            or ext.get("full_text")
                            or tw.get("full_text")
                            or tw.get("text")
                            or ""
                        )
    return found


def _tweets(obj):
    if not isinstance(obj, dict):
        return
    data = obj.get("data")
    if isinstance(data, list):
        yield from data
    elif isinstance(data, dict):
        yield data
    if data is not None:
        yield from (obj.get("includes") or {}).get("tweets", [])
    elif "text" in obj or "full_text" in obj:
        yield obj
