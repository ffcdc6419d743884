"""Record writers. JSONL and Parquet keep text verbatim; CSV defuses spreadsheet formulas."""

from __future__ import annotations

import csv
import io
import itertools
import os
import shutil
import sys
from collections.abc import Iterable, Sequence
from typing import IO, Any, NamedTuple

import orjson

from ..errors import UnknownFormat
from ..formats import OUTPUT_FORMATS
from .atomic import atomic_output, atomic_path

FORMATS = OUTPUT_FORMATS
#: Output file extensions and the format each names. Any other extension is refused unless the
#: format is given (``to=``, ``--to``): JSONL written into ``out.xlsx`` or ``out.json`` is a
#: file its reader cannot open, found out later.
EXTENSIONS = {
    ".jsonl": "jsonl",
    ".ndjson": "jsonl",
    ".csv": "csv",
    ".parquet": "parquet",
    ".pq": "parquet",
}
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def output_format(output: str | os.PathLike[str] | None, to: str | None = None) -> str:
    """The format to write ``output`` in: ``to`` when given, else the one its extension names
    (:data:`EXTENSIONS`); stdout (``None``, ``-``) and names without an extension get JSONL.

    Raises:
        UnknownFormat: ``to`` is not a format, or (without ``to``) the extension names none.

    Examples:
        >>> output_format("posts.CSV"), output_format(None), output_format("out.xlsx", to="csv")
        ('csv', 'jsonl', 'csv')
        >>> output_format("out.xlsx")
        Traceback (most recent call last):
        ...
        socialscan.errors.UnknownFormat: out.xlsx: no output format writes .xlsx files (known: .jsonl, .ndjson, .csv, .parquet, .pq); rename it or give --to jsonl, csv or parquet
    """
    if to is not None:
        if to not in FORMATS:
            raise UnknownFormat(f"unknown output format {to!r}: choose {', '.join(FORMATS)}")
        return to
    if output is None or str(output) == "-":
        return "jsonl"
    suffix = os.path.splitext(os.path.basename(str(output)))[1].lower()
    if not suffix:
        return "jsonl"
    if suffix not in EXTENSIONS:
        raise UnknownFormat(
            f"{output}: no output format writes {suffix} files (known: {', '.join(EXTENSIONS)}); "
            f"rename it or give --to {', '.join(FORMATS[:-1])} or {FORMATS[-1]}"
        )
    return EXTENSIONS[suffix]


def require_suffix(path: str | os.PathLike[str] | None, suffixes: Sequence[str], what: str) -> None:
    """Refuse an output named for another format than the one written there (a report as
    ``.pdf``, a JSON table as ``.csv``); a name without an extension is taken as it is.

    Raises:
        UnknownFormat: ``path`` ends in an extension not in ``suffixes``.

    Examples:
        >>> require_suffix("report.html", (".html", ".htm"), "the report")
        >>> require_suffix("report.pdf", (".html", ".htm"), "the report")
        Traceback (most recent call last):
        ...
        socialscan.errors.UnknownFormat: report.pdf: the report is written as .html or .htm, not .pdf
    """
    if path is None or str(path) == "-":
        return
    suffix = os.path.splitext(os.path.basename(str(path)))[1].lower()
    if suffix and suffix not in suffixes:
        known = " or ".join(suffixes)
        raise UnknownFormat(f"{path}: {what} is written as {known}, not {suffix}")


def csv_safe(value: Any) -> Any:
    """Prefix ``'`` to a string a spreadsheet would run as a formula.

    Examples:
        >>> csv_safe("=HYPERLINK(\\"http://x\\")")
        '\\'=HYPERLINK("http://x")'
        >>> csv_safe("@user hi"), csv_safe("plain"), csv_safe(3)
        ("'@user hi", 'plain', 3)
    """
    if isinstance(value, str) and value.startswith(_FORMULA_START):
        return "'" + value
    return value


def csv_cell(value: Any) -> Any:
    """A record's value as a CSV cell, before :func:`csv_safe`: lists and dicts as JSON, ``None``
    as an empty cell.

    Examples:
        >>> csv_cell(["a", "b"]), csv_cell(None), csv_cell(3)
        ('["a","b"]', '', 3)
    """
    if isinstance(value, list | dict):
        return orjson.dumps(value).decode()
    return "" if value is None else value


def jsonl_line(rec: dict[str, Any]) -> bytes:
    """A record as one JSON line, as :func:`write_jsonl` writes it.

    Examples:
        >>> jsonl_line({"id": "1", "links": []})
        b'{"id":"1","links":[]}\\n'
    """
    return orjson.dumps(rec, option=orjson.OPT_SERIALIZE_NUMPY) + b"\n"


class Encoded(NamedTuple):
    """Records already encoded for the output: JSONL bytes or CSV rows (``count`` records)."""

    data: bytes | str
    count: int


class Spooled(NamedTuple):
    """JSONL records encoded into a temporary file (by a worker process), ``count`` of them.

    :func:`write_jsonl` copies the file into the output in the kernel and deletes it.
    """

    path: str
    count: int


def _copy_file(path: str, fh: IO[bytes]) -> None:
    with open(path, "rb") as src:
        size = os.fstat(src.fileno()).st_size
        try:
            out = fh.fileno()
        except (AttributeError, OSError, io.UnsupportedOperation):
            out = None
        offset = 0
        if out is not None:
            try:
                fh.flush()
                while offset < size:
                    sent = os.sendfile(out, src.fileno(), offset, size - offset)
                    if sent == 0:
                        break
                    offset += sent
            except OSError:
                if offset:
                    raise
        if offset < size:
            src.seek(offset)
            shutil.copyfileobj(src, fh, 1 << 20)
    os.unlink(path)


def write_jsonl(records: Iterable[Any], fh: IO[bytes]) -> int:
    n = 0
    buf: list[bytes] = []
    for rec in records:
        kind = type(rec)
        if kind is dict:
            buf.append(jsonl_line(rec))
            n += 1
            if len(buf) >= 1024:
                fh.write(b"".join(buf))
                buf.clear()
            continue
        fh.write(b"".join(buf))
        buf.clear()
        if kind is Encoded:
            fh.write(rec.data)
        elif kind is Spooled:
            _copy_file(rec.path, fh)
        else:
            fh.write(jsonl_line(rec))
            n += 1
            continue
        n += rec.count
    fh.write(b"".join(buf))
    return n


def write_csv(records: Iterable[dict[str, Any]], fh: IO[str], columns: Sequence[str] | None) -> int:
    it = iter(records)
    first = next(it, None)
    cols = list(columns or (first.keys() if first else []))
    w = csv.writer(fh, lineterminator="\n")
    w.writerow(cols)
    n = 0
    for rec in it if first is None else itertools.chain([first], it):
        if type(rec) is Encoded:  # rows in ``cols`` order, already escaped
            fh.write(rec.data)
            n += rec.count
            continue
        w.writerow([csv_safe(csv_cell(rec.get(c))) for c in cols])
        n += 1
    return n


def write_parquet(
    records: Iterable[dict[str, Any]], path: str, columns: Sequence[str] | None
) -> int:
    import pyarrow as pa
    import pyarrow.parquet as pq

    writer = None
    n = 0
    batch: list[dict[str, Any]] = []

    def flush() -> None:
        nonlocal writer
        if not batch:
            return
        cols = list(columns or batch[0].keys())
        table = pa.Table.from_pylist([{c: r.get(c) for c in cols} for r in batch])
        if writer is None:
            writer = pq.ParquetWriter(path, table.schema)
        writer.write_table(table.cast(writer.schema) if table.schema != writer.schema else table)
        batch.clear()

    for rec in records:
        batch.append(rec)
        n += 1
        if len(batch) >= 50_000:
            flush()
    flush()
    if writer is None:
        cols = list(columns or [])
        pq.write_table(pa.table({c: pa.array([], pa.string()) for c in cols}), path)
    else:
        writer.close()
    return n


def write_records(
    records: Iterable[dict[str, Any]],
    output: str | os.PathLike[str] | None = None,
    to: str | None = None,
    columns: Sequence[str] | None = None,
) -> int:
    """Write dict records to ``output`` (``None`` or ``-``: stdout) as ``to``; returns the count.

    Without ``to``, the output's extension names the format (:func:`output_format`): an
    extension no format claims is refused before anything is written.

    For JSONL and CSV, ``records`` may also hold :class:`Encoded` blocks (records already
    encoded in ``columns`` order, e.g. by worker processes); for JSONL, :class:`Spooled` ones.

    Files are written to a temporary name and renamed, so a failed run leaves nothing behind.

    Raises:
        UnknownFormat: ``to`` is not jsonl, csv or parquet, or (without ``to``) the output's
            extension is none of theirs.
        UnwritableOutput: the output cannot be written.
    """
    to = output_format(output, to)
    stdout = output is None or str(output) == "-"
    if to == "parquet":
        if stdout:
            raise UnknownFormat("parquet needs an output file: add -o PATH")
        with atomic_path(output) as tmp:  # pyarrow writes to the temporary path
            return write_parquet(records, str(tmp), columns)
    if stdout:
        if to == "jsonl":
            return write_jsonl(records, sys.stdout.buffer)
        return write_csv(records, sys.stdout, columns)
    if to == "jsonl":
        with atomic_output(output, "wb") as fh:
            return write_jsonl(records, fh)
    with atomic_output(output, "w") as fh:
        return write_csv(records, fh, columns)
