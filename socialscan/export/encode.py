"""Encoding one-post-a-line records straight to output bytes, as the writers would write them.

The fast ``lines`` parser (:mod:`socialscan.readers.lines`) hands over small tuples instead of
:class:`~socialscan.records.Post` objects. An encoder turns them into JSONL bytes (a template
filled with orjson-encoded values, about 5x faster than ``orjson.dumps`` of a 21-key dict), CSV
text (the same cells and formula escaping as :func:`~socialscan.export.writers.write_csv`) or
dicts (for Parquet). Each encoder checks itself once against the dict writer when made, and
``tests/test_parse_parallel.py`` compares whole outputs.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Sequence
from typing import Any

import orjson

from ..records import COLUMNS
from .writers import Encoded, _cell, _dumps, csv_safe

#: Columns a line record fills, in tuple order (``thread_id`` comes apart, see ``one``).
_LINE_FIELDS = (
    "id",
    "kind",
    "text",
    "line_start",
    "links",
    "mentions",
    "hashtags",
    "cashtags",
    "emojis",
    "reply_to",
    "is_retweet",
    "duplicate_of",
)


_EMPTY_ROW: dict[str, Any] = dict.fromkeys(COLUMNS)


def line_record_dict(rec: Sequence[Any], tid: str | None, source: str) -> dict[str, Any]:
    """A line record as the dict a :class:`~socialscan.records.Post` gives (``to_dict``).

    Examples:
        >>> rec = ("ab", "post", "hi", 3, [], [], [], [], [], [], False, None)
        >>> d = line_record_dict(rec, None, "x.txt")
        >>> list(d)[:6], d["line_end"], d["lang"], d["is_retweet"]
        (['id', 'kind', 'thread_id', 'text', 'line_start', 'line_end'], 3, None, False)
    """
    rid, kind, text, n, *entities = rec
    d = dict(_EMPTY_ROW)  # every column in COLUMNS order; a line record leaves the rest None
    d.update(id=rid, kind=kind, thread_id=tid, text=text, line_start=n, line_end=n)
    d.update(zip(_LINE_FIELDS[4:], entities, strict=True))
    d["source"] = source
    return d


_SAMPLE = (
    "0123456789abcdef",
    "reply",
    '=1+"x"\t\\ é 🚀 \u2028',
    7,
    ["https://t.co/x"],
    ["ann"],
    ["AI"],
    ["TSLA"],
    ["🚀"],
    ["ann"],
    True,
    None,
)


class LineEncoder:
    """Base: ``one(record, thread_id)`` encodes a record, ``join(parts)`` a block of them.

    Attributes:
        encodes_blocks: ``join`` gives one :class:`Encoded` item; else a list of dicts.
    """

    encodes_blocks = True

    def __init__(self, source: str):
        self.source = source

    def one(self, rec: Sequence[Any], tid: str | None) -> Any:  # pragma: no cover - abstract
        raise NotImplementedError

    def join(self, parts: list[Any]) -> Any:
        """A block of encoded records as one item for the writer."""
        return parts

    def patch(self, body: Any, dups: dict[int, str]) -> Any:
        """``body`` (what :meth:`join` made) with record ``k``'s ``duplicate_of`` set to
        ``dups[k]``: a repeat of a text that came in an earlier block."""
        for k, rid in dups.items():
            body[k]["duplicate_of"] = rid
        return body

    def _check(self, expected: Any) -> None:
        for tid in (None, "fedcba9876543210"):
            got = self.join([self.one(_SAMPLE, tid)])
            want = expected(line_record_dict(_SAMPLE, tid, self.source))
            if got != want:  # a changed column list or writer: use the dict path's bytes
                raise AssertionError(f"line encoder disagrees with the writer: {got!r} {want!r}")
        repeat = (*_SAMPLE[:-1], "0123456789abcdee")
        got = self.patch(self.join([self.one(_SAMPLE, None)]), {0: repeat[-1]})
        want = expected(line_record_dict(repeat, None, self.source))
        if got != want:
            raise AssertionError(f"line encoder patches differently: {got!r} {want!r}")


class JsonlLineEncoder(LineEncoder):
    """JSONL bytes, byte-identical to :func:`~socialscan.export.writers.write_jsonl`."""

    _KINDS = {"post": b'"post"', "reply": b'"reply"', "link": b'"link"'}

    def __init__(self, source: str):
        super().__init__(source)
        fills = {
            "id": b'"%s"',  # a hex digest: no escaping
            "kind": b"%s",
            "thread_id": b"%s",
            "text": b"%s",
            "line_start": b"%d",
            "line_end": b"%d",
            "source": b"%s",
        }
        fills.update({c: b"%s" for c in _LINE_FIELDS[4:]})
        if COLUMNS[-1] != "duplicate_of":  # patch() rewrites the end of a record
            raise AssertionError("duplicate_of must be the last column")
        parts = []
        for c in COLUMNS:
            value = fills.get(c, b"null")
            parts.append(orjson.dumps(c) + b":" + value)
        self._template = b"{" + b",".join(parts) + b"}\n"
        self._source = orjson.dumps(source)
        self.one = self._make_one()
        self._check(lambda d: Encoded(_dumps(d), 1))

    def __reduce__(self) -> tuple[Any, ...]:
        return (type(self), (self.source,))  # ``one`` is a closure: rebuild it

    def _make_one(self) -> Any:
        """``one(record, thread_id)``: one record as a JSON line (constants bound as locals)."""
        template, kinds, source, d = self._template, self._KINDS, self._source, orjson.dumps

        def one(rec: Sequence[Any], tid: str | None) -> bytes:
            rid, kind, text, n, links, mentions, hashtags, cashtags, emojis, reply_to, rt, dup = rec
            return template % (
                rid.encode(),
                kinds.get(kind) or d(kind),
                b"null" if tid is None else d(tid),
                d(text),
                n,
                n,
                d(links) if links else b"[]",
                d(mentions) if mentions else b"[]",
                d(hashtags) if hashtags else b"[]",
                d(cashtags) if cashtags else b"[]",
                d(emojis) if emojis else b"[]",
                d(reply_to) if reply_to else b"[]",
                source,
                b"true" if rt else b"false",
                b"null" if dup is None else d(dup),
            )

        return one

    def join(self, parts: list[Any]) -> Encoded:
        return Encoded(b"".join(parts), len(parts))

    def patch(self, body: Any, dups: dict[int, str]) -> Encoded:
        """One JSON line a record, each ending ``"duplicate_of":null}``."""
        lines = body.data.split(b"\n")
        for k, rid in dups.items():
            lines[k] = lines[k][: -len(b"null}")] + orjson.dumps(rid) + b"}"
        return Encoded(b"\n".join(lines), body.count)


class CsvLineEncoder(LineEncoder):
    """CSV rows (no header), identical to :func:`~socialscan.export.writers.write_csv`'s."""

    def __init__(self, source: str):
        super().__init__(source)
        self._source = csv_safe(source)
        #: Lines a row takes: one, unless the source's name holds line breaks.
        self._row_lines = 1 + str(self._source).count("\n")

        def expected(d: dict[str, Any]) -> str:
            buf = io.StringIO()
            csv.writer(buf, lineterminator="\n").writerow([csv_safe(_cell(d[c])) for c in COLUMNS])
            return buf.getvalue()

        self._check(lambda d: Encoded(expected(d), 1))

    def one(self, rec: Sequence[Any], tid: str | None) -> list[Any]:
        """One record as a row of cells."""
        rid, kind, text, n, links, mentions, hashtags, cashtags, emojis, reply_to, rt, dup = rec
        d = orjson.dumps
        return [
            rid,
            kind,
            "" if tid is None else tid,
            csv_safe(text),
            n,
            n,
            d(links).decode() if links else "[]",
            d(mentions).decode() if mentions else "[]",
            d(hashtags).decode() if hashtags else "[]",
            d(cashtags).decode() if cashtags else "[]",
            d(emojis).decode() if emojis else "[]",
            d(reply_to).decode() if reply_to else "[]",
            self._source,
            "",
            "",
            "",
            "",
            "",
            "",
            "",
            "",
            rt,
            "" if dup is None else csv_safe(dup),
        ]

    def join(self, parts: list[Any]) -> Encoded:
        buf = io.StringIO()
        csv.writer(buf, lineterminator="\n").writerows(parts)
        return Encoded(buf.getvalue(), len(parts))

    def patch(self, body: Any, dups: dict[int, str]) -> Encoded:
        """Rows (of ``_row_lines`` lines each) ending in an empty ``duplicate_of`` cell."""
        lines = body.data.split("\n")
        for k, rid in dups.items():
            buf = io.StringIO()
            csv.writer(buf, lineterminator="").writerow([csv_safe(rid)])
            lines[(k + 1) * self._row_lines - 1] += buf.getvalue()
        return Encoded("\n".join(lines), body.count)


class DictLineEncoder(LineEncoder):
    """Dicts in :data:`~socialscan.records.COLUMNS` order (for Parquet)."""

    encodes_blocks = False

    def __init__(self, source: str):
        super().__init__(source)

    def one(self, rec: Sequence[Any], tid: str | None) -> dict[str, Any]:
        """One record as a dict."""
        return line_record_dict(rec, tid, self.source)


def line_encoder(to: str, source: str) -> LineEncoder:
    """The encoder for output format ``to`` (``jsonl``, ``csv`` or ``parquet``) and a source.

    Examples:
        >>> enc = line_encoder("jsonl", "a.txt")
        >>> enc.join([enc.one(("ab", "post", "hi", 1, [], [], [], [], [], [], False, None), None)]).data[:40]
        b'{"id":"ab","kind":"post","thread_id":nul'
    """
    if to == "jsonl":
        return JsonlLineEncoder(source)
    if to == "csv":
        return CsvLineEncoder(source)
    return DictLineEncoder(source)
