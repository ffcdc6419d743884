"""Walking a JSON document value by value: an X archive's ``tweets.js`` array, a ``.json``
export holding an array of tweets (Apify, twscrape, hand-made), or pretty-printed objects one
after another. Each value comes with the input lines it spans."""

from __future__ import annotations

import bisect
import json
from collections.abc import Iterator
from typing import Any

from ..errors import MalformedInput
from .stats import ParseStats


class JsonDocument:
    """The text of numbered input lines, and where each character came from."""

    def __init__(self, numbered: list[tuple[int, str]]) -> None:
        self.numbered = numbered
        self.text = "\n".join(t for _, t in numbered)
        self.starts = [0]
        for _, t in numbered:
            self.starts.append(self.starts[-1] + len(t) + 1)

    def line_of(self, offset: int) -> int:
        """The input line number of a character offset."""
        if not self.numbered:
            return 1
        return self.numbered[bisect.bisect_right(self.starts, offset) - 1][0]

    def values(
        self, pos: int, source: str, stats: ParseStats, strict: bool, what: str = "JSON"
    ) -> Iterator[tuple[Any, int, int]]:
        """``(value, first line, last line)`` from ``pos`` on: the items of an array that
        opens there, or the values that follow one another. A truncated or invalid value
        ends the walk (skipped and counted, or under ``strict`` raised).

        Examples:
            >>> doc = JsonDocument(list(enumerate(['[', ' {"a": 1},', ' {"b": 2}', ']'], 1)))
            >>> list(doc.values(0, "x", ParseStats(), strict=False))
            [({'a': 1}, 2, 2), ({'b': 2}, 3, 3)]
        """
        text, decoder = self.text, json.JSONDecoder()
        while pos < len(text) and text[pos] in " \t\r\n":
            pos += 1
        in_array = pos < len(text) and text[pos] == "["
        pos += in_array
        while True:
            while pos < len(text) and text[pos] in " \t\r\n,":
                pos += 1
            if pos >= len(text):
                if in_array:
                    msg = f"{source}: truncated {what} (no closing ']')"
                    if strict:
                        raise MalformedInput(msg)
                    stats.skip(self.line_of(max(pos - 1, 0)), f"truncated {what}")
                return
            if in_array and text[pos] == "]":
                in_array = False
                pos += 1
                continue
            try:
                obj, end = decoder.raw_decode(text, pos)
            except json.JSONDecodeError as e:
                if strict:
                    raise MalformedInput(
                        f"{source}:{self.line_of(pos)}: truncated or invalid entry ({e.msg})"
                    ) from None
                stats.skip(self.line_of(pos), f"truncated or invalid {what} entry")
                return
            yield obj, self.line_of(pos), self.line_of(end - 1)
            pos = end
