"""Posts encoded as the writers write them, in a worker, so that the parent only copies bytes.

A worker of :mod:`.dump_pool` encodes the records it settled (JSONL bytes or CSV rows, as
:func:`~socialscan.export.write_records` would write their dicts) and hands them back whole.
Whether a record repeats an earlier text is known only in input order, in the parent, so
:meth:`PostEncoder.patch` sets ``duplicate_of`` in the encoded rows afterwards: only the
records that repeat one are decoded and written again.
"""

from __future__ import annotations

import csv
import io
from typing import Any

import orjson

from ..export.writers import csv_cell, csv_safe, jsonl_line
from ..records import COLUMNS, Post


class PostEncoder:
    """Posts encoded as :func:`~socialscan.export.write_records` writes their dicts: JSONL
    bytes, CSV rows (no header) or, for Parquet, the dicts themselves.

    :meth:`rows` gives the records and where each ends, so that :meth:`patch` can set the
    ``duplicate_of`` of one that repeats a text of an earlier piece.
    """

    def __init__(self, to: str):
        self.to = to
        self.encodes_blocks = to in ("jsonl", "csv")

    def rows(self, posts: list[Post]) -> tuple[Any, list[int] | None]:
        """``posts`` encoded, and for CSV where each row ends (JSONL rows end at newlines)."""
        if self.to == "jsonl":
            parts = [jsonl_line(p.to_dict()) for p in posts]
            return b"".join(parts), None
        if self.to == "csv":
            buf = io.StringIO()
            w = csv.writer(buf, lineterminator="\n")
            ends = []
            for p in posts:
                w.writerow([csv_safe(csv_cell(v)) for v in p.to_dict().values()])
                ends.append(buf.tell())
            return buf.getvalue(), ends
        return [p.to_dict() for p in posts], None

    def patch(self, data: Any, ends: list[int] | None, dups: dict[int, str]) -> Any:
        """``data`` of :meth:`rows` with record ``k``'s ``duplicate_of`` set to ``dups[k]``."""
        if self.to == "jsonl":
            lines = data.split(b"\n")
            for k, rid in dups.items():
                lines[k] = jsonl_line({**orjson.loads(lines[k]), "duplicate_of": rid})[:-1]
            return b"\n".join(lines)
        if self.to == "csv":
            assert ends is not None
            out, at = [], 0
            for k in sorted(dups):
                start = ends[k - 1] if k else 0
                row = next(csv.reader(io.StringIO(data[start : ends[k]], newline="")))
                row[COLUMNS.index("duplicate_of")] = csv_safe(dups[k])
                buf = io.StringIO()
                csv.writer(buf, lineterminator="\n").writerow(row)
                out += [data[at:start], buf.getvalue()]
                at = ends[k]
            out.append(data[at:])
            return "".join(out)
        for k, rid in dups.items():
            data[k]["duplicate_of"] = rid
        return data
