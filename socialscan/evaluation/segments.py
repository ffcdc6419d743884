"""Boundary precision, recall, F1 and WindowDiff of a segmentation against gold spans."""

from __future__ import annotations

import os
from collections.abc import Iterable, Sequence
from dataclasses import asdict, dataclass
from typing import TYPE_CHECKING

import orjson

from ..errors import MalformedInput
from ..readers.text import read_text_lines

if TYPE_CHECKING:
    from ..records import Post

Span = tuple[int, int]


@dataclass
class SegmentScores:
    """Boundary scores; a boundary is the first line of every unit but the first."""

    precision: float
    recall: float
    f1: float
    window_diff: float
    k: int
    gold_units: int
    predicted_units: int
    true_positives: int

    def to_dict(self) -> dict[str, float | int]:
        return asdict(self)


def _starts(spans: Sequence[Span]) -> list[int]:
    return sorted({s for s, _ in spans})


def score_segments(
    predicted: Sequence[Span], gold: Sequence[Span], lines: Sequence[int] | None = None
) -> SegmentScores:
    """Score predicted against gold spans (1-based, inclusive line numbers).

    Only lines covered by a gold span count (blank lines between posts carry no boundary).
    WindowDiff (Pevzner & Hearst 2002) slides a window of ``k`` = half the mean gold unit
    length (in content lines) and counts windows where the number of boundaries differs.

    Examples:
        >>> s = score_segments([(1, 2), (3, 3)], [(1, 2), (3, 3)])
        >>> (s.precision, s.recall, s.f1, s.window_diff)
        (1.0, 1.0, 1.0, 0.0)
        >>> round(score_segments([(1, 1), (2, 2), (3, 3)], [(1, 2), (3, 3)]).precision, 2)
        0.5
    """
    if lines is None:
        lines = sorted({n for s, e in gold for n in range(s, e + 1)})
    first = lines[0] if lines else 1
    gold_b = {s for s in _starts(gold) if s != first}
    pred_b = {s for s in _starts(predicted) if s != first and s in set(lines)}
    tp = len(gold_b & pred_b)
    precision = tp / len(pred_b) if pred_b else (1.0 if not gold_b else 0.0)
    recall = tp / len(gold_b) if gold_b else 1.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    # WindowDiff over the sequence of content lines
    g = [1 if n in gold_b else 0 for n in lines]
    p = [1 if n in pred_b else 0 for n in lines]
    k = max(1, round(len(lines) / max(1, len(gold)) / 2))
    windows = len(lines) - k
    if windows > 0:
        gc = [0, *_cumsum(g)]
        pc = [0, *_cumsum(p)]
        errors = sum(
            (gc[i + k + 1] - gc[i + 1]) != (pc[i + k + 1] - pc[i + 1]) for i in range(windows)
        )
        wd = errors / windows
    else:
        wd = 0.0
    return SegmentScores(precision, recall, f1, wd, k, len(gold), len(predicted), tp)


def _cumsum(xs: list[int]) -> list[int]:
    out, s = [], 0
    for x in xs:
        s += x
        out.append(s)
    return out


def read_gold(path: str | os.PathLike[str]) -> list[Span]:
    """Gold spans from JSONL: one object a line with ``line_start`` and ``line_end``.

    Raises:
        MalformedInput: a line is not JSON or lacks the two fields.
    """
    spans = []
    for n, line in read_text_lines(path):
        if not line.strip():
            continue
        try:
            obj = orjson.loads(line)
            spans.append((int(obj["line_start"]), int(obj["line_end"])))
        except (orjson.JSONDecodeError, KeyError, TypeError, ValueError):
            raise MalformedInput(
                f"{path}:{n}: expected a JSON object with line_start and line_end"
            ) from None
    if not spans:
        raise MalformedInput(f"{path}: no gold spans")
    return sorted(spans)


def eval_segments(
    dump: str | os.PathLike[str],
    gold: str | os.PathLike[str],
    format: str = "dump",
    segmenter: str = "auto",
    join_threads: bool = False,
) -> SegmentScores:
    """Parse ``dump`` and score its record spans against the gold spans in ``gold``.

    With ``join_threads``, consecutive records that share a ``thread_id`` count as one unit
    (a long post cut into records of one thread is then one unit, as a person sees it).
    """
    from ..api import iter_parse

    posts = iter_parse(dump, format=format, segmenter=segmenter)
    spans = thread_units(posts) if join_threads else [(p.line_start, p.line_end) for p in posts]
    return score_segments(spans, read_gold(gold))


def thread_units(posts: Iterable[Post]) -> list[Span]:
    """Spans of records, consecutive records that share a ``thread_id`` joined into one.

    Examples:
        >>> from socialscan import parse
        >>> thread_units(parse("Big news 1/2\\nMore to come 2/2\\n@ann congrats!"))
        [(1, 2), (3, 3)]
    """
    spans: list[Span] = []
    last = None
    for p in posts:
        if spans and p.thread_id is not None and p.thread_id == last:
            spans[-1] = (spans[-1][0], p.line_end)
        else:
            spans.append((p.line_start, p.line_end))
        last = p.thread_id
    return spans
