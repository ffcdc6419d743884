"""Labelled posts: read from JSONL, split train / dev / test, texts resolved from pointers.

A line is ``{"text": ..., "labels": [...], "split": optional}``. Its split is the line's own
or a stable hash of its text (:func:`split_of`), so copies of a post share a split.

A line may hold a ``pointer`` into a data directory instead of its ``text``, so text whose
licence forbids copying stays where it is; pointers are resolved when the corpus is read:

- ``chatgpt-tweets/Asia.csv#row=12``: the 0-based data row of a CSV file (the header is no row),
  its ``Tweet`` (or ``text``) column;
- ``tweeteval/emoji/train_text.txt#line=5``: the 1-based line of a text file;
- ``twarc-jsonl/flat.jsonl#id=1391520424614375426``: a tweet of a JSON-lines export, by id.

``corpora/claims.jsonl`` is such a corpus over ``../shared/data``:
``socialscan eval claims corpora/claims.jsonl --data ../shared/data --split test``.
"""

from __future__ import annotations

import csv
import hashlib
import html
import os
import re
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import orjson

from ..errors import InputNotFound, MalformedInput

#: Shares of the stable hash split.
SPLITS = (("train", 0.6), ("dev", 0.2), ("test", 0.2))

_LINKS = re.compile(r"https?://\S+|\bt\.co/\S+")


def text_key(text: str) -> str:
    """What copies of one post share: entities decoded, links dropped, spaces and case folded.

    Examples:
        >>> text_key("Give it a try! https://t.co/x") == text_key("give it a   try!&nbsp;")
        True
    """
    return " ".join(_LINKS.sub(" ", html.unescape(text)).split()).casefold()


def split_of(text: str) -> str:
    """The stable split of a text: a hash of its :func:`text_key`, so copies share a split.

    Examples:
        >>> split_of("Give it a try!") == split_of("give it a try! https://t.co/x")
        True
    """
    key = text_key(text)
    u = int(hashlib.sha1(key.encode("utf-8")).hexdigest()[:8], 16) / 0xFFFFFFFF
    acc = 0.0
    for name, share in SPLITS:
        acc += share
        if u < acc:
            return name
    return SPLITS[-1][0]


@dataclass
class Labelled:
    """Labelled posts: texts, label sets and the split of each; for a report's export also the
    labels a person turned off (``rejected``) and who decided (``person`` or ``model``)."""

    texts: list[str]
    labels: list[list[str]]
    splits: list[str]
    rejected: list[list[str]] | None = None
    decided_by: list[str] | None = None

    def part(self, name: str) -> Labelled:
        keep = [i for i, s in enumerate(self.splits) if s == name]
        return self.rows(keep, [name] * len(keep))

    def rows(self, keep: Sequence[int], splits: Sequence[str] | None = None) -> Labelled:
        """The posts at ``keep`` (with new splits where given)."""
        return Labelled(
            [self.texts[i] for i in keep],
            [self.labels[i] for i in keep],
            list(splits) if splits is not None else [self.splits[i] for i in keep],
            None if self.rejected is None else [self.rejected[i] for i in keep],
            None if self.decided_by is None else [self.decided_by[i] for i in keep],
        )

    def matrix(self, names: Sequence[str]) -> np.ndarray:
        return np.array([[n in g for n in names] for g in self.labels], dtype=bool)


def read_corpus(
    path: str | os.PathLike[str], data: str | os.PathLike[str] | None = None
) -> Labelled:
    """Labelled JSONL: ``{"text": ..., "labels": [...], "split": optional}`` a line.

    A line may hold a ``pointer`` instead of its ``text``, resolved in the directory ``data``.
    A line without a ``split`` (``train``, ``dev`` or ``test``) gets :func:`split_of` its text.

    The report's export (``labels.jsonl``) is read as it is: ``rejected`` (labels a person
    turned off: explicit negatives) and ``decided_by`` (``person`` or ``model``) are kept;
    ``source``, ``line_start``, ``post_id``, ``report_id`` and any other field are ignored.

    Raises:
        InputNotFound: no such file.
        MalformedInput: a line that is not such an object, or no line at all.
    """
    p = Path(path)
    if not p.is_file():
        raise InputNotFound(f"{p}: no such file")
    rows = []
    for n, line in enumerate(p.read_bytes().splitlines(), 1):
        if not line.strip():
            continue
        try:
            o = orjson.loads(line)
        except orjson.JSONDecodeError:
            raise MalformedInput(f"{p}:{n}: not JSON") from None
        if (
            not isinstance(o, dict)
            or not (isinstance(o.get("text"), str) or isinstance(o.get("pointer"), str))
            or not isinstance(o.get("labels"), list)
        ):
            raise MalformedInput(f'{p}:{n}: expected {{"text": "...", "labels": [...]}}')
        _check_row(o, f"{p}:{n}")
        rows.append(o)
    pointers = [o["pointer"] for o in rows if not isinstance(o.get("text"), str)]
    if pointers and data is None:
        raise MalformedInput(
            f"{p}: {len(pointers)} lines hold pointers, not text: say where the data is (--data DIR)"
        )
    resolved = resolve_pointers(pointers, data) if pointers else {}
    texts, labels, splits, rejected, decided = [], [], [], [], []
    for o in rows:
        texts.append(o["text"] if isinstance(o.get("text"), str) else resolved[o["pointer"]])
        labels.append(sorted({str(x) for x in o["labels"]}))
        rejected.append(sorted({str(x) for x in o.get("rejected") or []}))
        decided.append(str(o.get("decided_by") or "person"))
        s = o.get("split")
        splits.append(s if s in ("train", "dev", "test") else split_of(texts[-1]))
    if not texts:
        raise MalformedInput(f"{p}: no labelled lines")
    export = any("rejected" in o or "decided_by" in o for o in rows)
    return Labelled(
        texts, labels, splits, rejected if export else None, decided if export else None
    )


#: Who may have decided a line of the report's export.
DECIDERS = ("person", "model")


def _check_row(o: dict, where: str) -> None:
    """The fields of a line beyond text and labels, where it has them, are of their shape."""
    for name in ("labels", "rejected"):
        v = o.get(name)
        if v is None and name == "rejected":
            continue
        if not isinstance(v, list) or not all(isinstance(x, str) and x.strip() for x in v):
            raise MalformedInput(f"{where}: {name!r} must be a list of label names")
    both = set(o["labels"]) & set(o.get("rejected") or [])
    if both:
        raise MalformedInput(f"{where}: {sorted(both)[0]!r} is both in labels and rejected")
    d = o.get("decided_by")
    if d is not None and d not in DECIDERS:
        raise MalformedInput(f"{where}: decided_by must be 'person' or 'model', not {d!r}")


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
