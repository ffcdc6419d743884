"""Encoding one-post-a-line records straight to what the writers write, without a Post or a dict.

The fast ``lines`` path (:mod:`socialscan.readers.pool`) hands over compact records: tuples of
:data:`~socialscan.records.LINE_FIELDS`. An encoder is built from the writers' own rules: the
record :func:`~socialscan.records.line_post` makes, encoded once by
:func:`~socialscan.export.writers.jsonl_line` (JSONL) or cell by cell as
:func:`~socialscan.export.writers.write_csv` writes it (CSV), with a slot for each field a line
record sets. So the column order, the cells a line record leaves empty and their encoding come
from :data:`~socialscan.records.COLUMNS`, :class:`~socialscan.records.Post` and the writers;
only the encoding of each field's value is written out here, for speed.
``tests/test_parse_parallel.py`` holds every encoder equal to the writers.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Sequence
from typing import Any

import orjson

from ..records import COLUMNS, LINE_FIELDS, LIST_COLUMNS, line_post
from .writers import Encoded, csv_cell, csv_safe, jsonl_line

#: The values an encoder fills in for one record, in the order ``one`` computes them: the
#: record's fields, then the three a line record does not hold itself.
_FILLED = (*LINE_FIELDS, "thread_id", "line_end", "source")


def _slot(i: int) -> str:
    """A stand-in string for filled value ``i``, one no writer escapes or shortens."""
    return f"\ue000{i}\ue001"


def _slotted() -> dict[str, Any]:
    """The record as the writers see it, each filled value replaced by its slot."""
    slots = {c: _slot(i) for i, c in enumerate(_FILLED)}
    d = line_post(tuple(slots[c] for c in LINE_FIELDS), slots["thread_id"], "").to_dict()
    d.update(line_end=slots["line_end"], source=slots["source"])
    return d


def line_record_dict(rec: Sequence[Any], tid: str | None, source: str) -> dict[str, Any]:
    """A line record as the dict its :class:`~socialscan.records.Post` gives (``to_dict``).

    Examples:
        >>> rec = ("ab", "post", "hi", 3, [], [], [], [], [], [], False, None)
        >>> d = line_record_dict(rec, None, "x.txt")
        >>> list(d)[:6], d["line_end"], d["lang"], d["is_retweet"]
        (['id', 'kind', 'thread_id', 'text', 'line_start', 'line_end'], 3, None, False)
    """
    return line_post(rec, tid, source).to_dict()


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

    def __reduce__(self) -> tuple[Any, ...]:
        return (type(self), (self.source,))  # ``one`` may be a closure: rebuild it


class JsonlLineEncoder(LineEncoder):
    """JSONL bytes, byte-identical to :func:`~socialscan.export.writers.write_jsonl`."""

    _KINDS = {"post": b'"post"', "reply": b'"reply"', "link": b'"link"'}

    def __init__(self, source: str):
        super().__init__(source)
        line = jsonl_line(_slotted())
        fills = []  # (where, which value, its slot, its fill)
        for i, c in enumerate(_FILLED):
            slot = orjson.dumps(_slot(i))
            if c == "id":  # a hex digest: written between the quotes, no escaping needed
                slot = slot[1:-1]
            fill = b"%d" if c in ("line_start", "line_end") else b"%s"
            fills.append((line.index(slot), i, slot, fill))
        fills.sort()
        parts, end = [], 0
        for at, _, slot, fill in fills:
            parts += [line[end:at].replace(b"%", b"%%"), fill]
            end = at + len(slot)
        #: The line with a ``%`` fill for each filled value, and which value each fill takes.
        self._template = b"".join([*parts, line[end:].replace(b"%", b"%%")])
        self._order = [i for _, i, _, _ in fills]
        #: What follows ``duplicate_of``'s value in a line, when no other fill does (``patch``).
        last = fills[-1]
        dup = last[1] == _FILLED.index("duplicate_of")
        self._dup_end = line[last[0] + len(last[2]) : -1] if dup else None
        self._source = orjson.dumps(source)
        self.one = self._make_one()

    #: How each filled value is encoded, as an expression over the record's fields (named as
    #: in :data:`~socialscan.records.LINE_FIELDS`), ``tid`` and the bound constants.
    _JSON = {
        "id": "id.encode()",  # a hex digest, between the template's quotes
        "kind": "kinds.get(kind) or d(kind)",
        "text": "d(text)",
        "line_start": "line_start",
        **{c: f'd({c}) if {c} else b"[]"' for c in LIST_COLUMNS},
        "is_retweet": 'b"true" if is_retweet else b"false"',
        "duplicate_of": 'b"null" if duplicate_of is None else d(duplicate_of)',
        "thread_id": 'b"null" if tid is None else d(tid)',
        "line_end": "line_start",
        "source": "source",
    }

    def _make_one(self) -> Any:
        """``one(record, thread_id)``: one record as a JSON line, its values computed in the
        template's order (written out as code once, so no record pays for the reordering)."""
        values = ", ".join(self._JSON[_FILLED[i]] for i in self._order)
        code = (
            f"def one(rec, tid):\n"
            f"    {', '.join(LINE_FIELDS)}, = rec\n"
            f"    return template % ({values},)\n"
        )
        scope = {
            "template": self._template,
            "kinds": self._KINDS,
            "source": self._source,
            "d": orjson.dumps,
        }
        exec(code, scope)  # noqa: S102 - the code is built from the constants above only
        return scope["one"]

    def join(self, parts: list[Any]) -> Encoded:
        return Encoded(b"".join(parts), len(parts))

    def patch(self, body: Any, dups: dict[int, str]) -> Encoded:
        """One JSON line a record, its ``duplicate_of`` null until set here."""
        lines = body.data.split(b"\n")
        end = self._dup_end
        cut = None if end is None else -len(b"null" + end)
        for k, rid in dups.items():
            if end is not None:  # the value is at a fixed distance from the line's end
                lines[k] = lines[k][:cut] + orjson.dumps(rid) + end
            else:
                lines[k] = jsonl_line({**orjson.loads(lines[k]), "duplicate_of": rid})[:-1]
        return Encoded(b"\n".join(lines), body.count)


class CsvLineEncoder(LineEncoder):
    """CSV rows (no header), identical to :func:`~socialscan.export.writers.write_csv`'s."""

    #: How each filled value is written as a cell (see :attr:`JsonlLineEncoder._JSON`).
    _CELLS = {
        "id": "id",  # a hex digest: nothing to escape
        "kind": "kind",
        "text": "safe(text)",
        "line_start": "line_start",
        **{c: f'd({c}).decode() if {c} else "[]"' for c in LIST_COLUMNS},
        "is_retweet": "is_retweet",
        "duplicate_of": '"" if duplicate_of is None else safe(duplicate_of)',
        "thread_id": '"" if tid is None else tid',
        "line_end": "line_start",
    }

    def __init__(self, source: str):
        super().__init__(source)
        row = [csv_safe(csv_cell(v)) for v in _slotted().values()]
        row[row.index(_slot(_FILLED.index("source")))] = csv_safe(csv_cell(source))
        filled = {_slot(i): c for i, c in enumerate(_FILLED)}
        cells = [self._CELLS[filled[v]] if v in filled else f"k{j}" for j, v in enumerate(row)]
        scope = {f"k{j}": v for j, v in enumerate(row)}
        scope.update(d=orjson.dumps, safe=csv_safe)
        code = (
            f"def one(rec, tid):\n"
            f"    {', '.join(LINE_FIELDS)}, = rec\n"
            f"    return [{', '.join(cells)}]\n"
        )
        exec(code, scope)  # noqa: S102 - the code is built from the constants above only
        self.one = scope["one"]
        #: The ``duplicate_of`` cell's place in a row, and the lines a row takes: one, unless
        #: the source's name holds line breaks.
        self._dup = next(j for j, v in enumerate(row) if filled.get(v) == "duplicate_of")
        self._row_lines = 1 + str(csv_safe(source)).count("\n")

    def join(self, parts: list[Any]) -> Encoded:
        buf = io.StringIO()
        csv.writer(buf, lineterminator="\n").writerows(parts)
        return Encoded(buf.getvalue(), len(parts))

    def patch(self, body: Any, dups: dict[int, str]) -> Encoded:
        """Rows (of ``_row_lines`` lines each) with an empty ``duplicate_of`` cell."""
        if self._dup != len(COLUMNS) - 1:  # not the last cell: rewrite the rows
            rows = list(csv.reader(io.StringIO(body.data)))
            for k, rid in dups.items():
                rows[k][self._dup] = csv_safe(rid)
            buf = io.StringIO()
            csv.writer(buf, lineterminator="\n").writerows(rows)
            return Encoded(buf.getvalue(), body.count)
        lines = body.data.split("\n")
        for k, rid in dups.items():
            buf = io.StringIO()
            csv.writer(buf, lineterminator="").writerow([csv_safe(rid)])
            lines[(k + 1) * self._row_lines - 1] += buf.getvalue()
        return Encoded("\n".join(lines), body.count)


class DictLineEncoder(LineEncoder):
    """Dicts in :data:`~socialscan.records.COLUMNS` order (for Parquet)."""

    encodes_blocks = False

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
