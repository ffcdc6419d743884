"""The real posts synthetic dumps are made of, read from ../shared/data and split by source so
that no held-out dump holds a post a training dump saw.

No reader here yields a post that ``RESERVED.tsv`` keeps for blind evaluation, nor a copy of one
(another row with the same :func:`copy_key`: a bot's template reply to another handle is a copy
too): the boundary models are neither fitted nor scored on them.
"""

from __future__ import annotations

import csv
import functools
import hashlib
import random
import re
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from socialscan.claims.corpus import resolve_pointers, text_key
from socialscan.readers.jsonl import read_jsonl
from socialscan.readers.stats import ParseStats
from socialscan.readers.text import read_text_lines

from ..claims.sources import reserved_pointers

_HANDLE_WORDS = [
    "data",
    "ai",
    "dev",
    "news",
    "jane",
    "max",
    "the",
    "real",
    "labs",
    "mike",
    "anna",
    "tech",
]


def made_up_handle(rng: random.Random) -> str:
    """A plausible made-up handle (no ``@``): ``Dataai``, ``tech_news42``."""
    name = rng.choice(_HANDLE_WORDS) + rng.choice(["", "_", ""]) + rng.choice(_HANDLE_WORDS)
    return name.capitalize() if rng.random() < 0.5 else name + str(rng.randint(1, 99))


@dataclass(frozen=True)
class Reserved:
    """The posts a data folder's ``RESERVED.tsv`` keeps for blind evaluation: where each is
    (``positions``: file -> 0-based CSV data rows, as :func:`csv.reader` yields them after the
    header, or 1-based ``.txt`` lines, as the file has them) and the :func:`copy_key` of each
    text (``keys``), so that a copy of a reserved post in another row is left out too."""

    positions: dict[Path, frozenset[int]]
    keys: frozenset[str]

    def of(self, path: Path) -> Callable[[int, str], bool]:
        """Whether the post at a position of ``path`` with a text is reserved or a copy of one."""
        positions = self.positions.get(path.resolve(), frozenset())
        return lambda position, text: position in positions or copy_key(text) in self.keys


NOTHING_RESERVED = Reserved({}, frozenset())


def copy_key(text: str) -> str:
    """What copies of a post share: its :func:`~socialscan.claims.corpus.text_key` with every
    mention read as TweetEval's masked ``@user``.

    Examples:
        >>> copy_key("@AnnaB Thanks! https://t.co/x") == copy_key("@user  thanks!")
        True
    """
    return re.sub(r"@\w+", "@user", text_key(text))


@functools.cache
def reserved(shared_data: Path) -> Reserved:
    """The reserved posts of ``shared_data`` (read once a process, with the claims scripts'
    reader of ``RESERVED.tsv``)."""
    pointers = reserved_pointers(shared_data)
    positions: dict[Path, set[int]] = {}
    for pointer in pointers:
        source, _, pos = pointer.rpartition("#")
        if not source.endswith((".csv", ".txt")):
            raise ValueError(f"{source}: RESERVED.tsv positions are defined for .csv and .txt")
        positions.setdefault((shared_data / source).resolve(), set()).add(
            int(pos.partition("=")[2])
        )
    keys = frozenset(copy_key(t) for t in resolve_pointers(sorted(pointers), shared_data).values())
    return Reserved({p: frozenset(v) for p, v in positions.items()}, keys - {""})


def reserved_for(path: Path) -> Reserved:
    """The reserved posts of the data folder ``path`` is in: the nearest folder above it that
    holds a ``RESERVED.tsv`` (none: a file outside ../shared/data, nothing reserved)."""
    for folder in path.resolve().parents:
        if (folder / "RESERVED.tsv").is_file():
            return reserved(folder)
    return NOTHING_RESERVED


def chatgpt_posts(paths: list[Path]) -> list[str]:
    """Tweet texts from the chatgpt-tweets CSVs (quoted fields span lines), reserved ones left
    out."""
    out = []
    for p in paths:
        skip = reserved_for(p).of(p)
        with p.open(newline="", encoding="utf-8") as fh:
            rows = csv.reader(fh)
            column = next(rows).index("Tweet")
            for n, row in enumerate(rows):
                t = (row[column] if column < len(row) else "").strip()
                if t and not t.startswith("RT @") and not skip(n, t):
                    out.append(t)
    return list(dict.fromkeys(out))


def twarc_posts(paths: list[Path]) -> list[str]:
    """Unique non-retweet tweet texts from twarc JSONL files (read with socialscan's reader),
    copies of reserved posts left out (RESERVED.tsv lists no position in a JSONL file)."""
    out = []
    for p in paths:
        skip = reserved_for(p).of(p)
        for post in read_jsonl(read_text_lines(p), str(p), ParseStats()):
            t = post.text.strip()
            if t and not t.startswith("RT @") and not skip(-1, t):
                out.append(t)
    return list(dict.fromkeys(out))


def text_lines(path: Path) -> list[str]:
    """The posts of a one-post-a-line file (TweetEval), stripped, blank and reserved lines left
    out."""
    skip = reserved_for(path).of(path)
    with path.open(encoding="utf-8") as fh:
        lines = [(n, line.strip()) for n, line in enumerate(fh, start=1)]
    return [t for n, t in lines if t and not skip(n, t)]


def line_posts(paths: list[Path], rng: random.Random) -> list[str]:
    """One-line tweets (TweetEval); masked ``@user`` handles get plausible names."""
    out = []
    for p in paths:
        for line in text_lines(p):
            out.append(re.sub(r"@user\b", lambda _: "@" + made_up_handle(rng), line))
    return list(dict.fromkeys(out))


def stance_groups(shared_data: Path, split: str) -> list[list[str]]:
    """TweetEval's stance tweets, one list per target (abortion, atheism, climate, ...)."""
    paths = sorted((shared_data / "tweeteval" / "stance").glob(f"*/{split}_text.txt"))
    return [text_lines(path) for path in paths]


def held_out_half(text: str) -> bool:
    """Whether a post falls in the held-out half of a source split by text rather than by file:
    a stable hash of its :func:`copy_key`, so that every copy of a post falls on the same side.

    Examples:
        >>> held_out_half("@AnnaB Thanks!") == held_out_half("@user thanks!")
        True
    """
    return hashlib.blake2b(copy_key(text).encode(), digest_size=8).digest()[0] % 2 == 0


def dev_tenth(text: str) -> bool:
    """Whether a training post is kept for the dev dumps (a tenth of each training pool, by
    another stable hash of its :func:`copy_key`).

    The dev dumps choose the threshold and any setting; drawn from posts the trees never saw,
    they score as held-out dumps do. Dev dumps of the training posts themselves flatter what
    memorises posts: deeper trees gained 0.009 F1 there and 0.002 on unseen posts
    (``bench/results_segments.md``).
    """
    return (
        hashlib.blake2b(copy_key(text).encode(), digest_size=8, salt=b"dev").digest()[1] % 10 == 0
    )


def probe_half(text: str) -> int:
    """Which half (0 or 1) of the training posts a post falls in for the probe's cross-fit
    (``training/segments/train.py``): a third stable hash of its :func:`copy_key`, so that
    every copy of a post is on one side.

    Examples:
        >>> probe_half("@AnnaB Thanks!") == probe_half("@user thanks!")
        True
    """
    return hashlib.blake2b(copy_key(text).encode(), digest_size=8, salt=b"probe").digest()[2] % 2


def dev_split(train: dict[str, list[str]]) -> tuple[dict[str, list[str]], dict[str, list[str]]]:
    """The training pools cut into dev posts (:func:`dev_tenth`) and the posts to fit on."""
    dev = {name: [t for t in posts if dev_tenth(t)] for name, posts in train.items()}
    fit = {name: [t for t in posts if not dev_tenth(t)] for name, posts in train.items()}
    return dev, fit


def pools(shared_data: Path, seed: int = 0) -> dict[str, dict[str, list[str]]]:
    """Train and held-out post pools, split so that held-out text is unseen.

    Train: chatgpt tweets from Asia, Africa, Europe and South America, TweetEval train splits,
    half the twarc samples. Held out: chatgpt tweets from North America and Oceania, the other
    half of the twarc samples, TweetEval tests. The twarc files share tweets (one conversation
    captured by several API calls), so they are split by :func:`held_out_half`, not by file:
    the only real posts as a scraper gives them (real handles, links, replies, Italian, Spanish
    and Hindi-English), in training too.
    """
    rng = random.Random(seed)
    cg = shared_data / "chatgpt-tweets"
    te = shared_data / "tweeteval"
    twarc = twarc_posts(sorted((shared_data / "twarc-jsonl").glob("*.jsonl")))
    return {
        "train": {
            "chatgpt": chatgpt_posts(
                [cg / f"{r}.csv" for r in ("Asia", "Africa", "Europe", "South America")]
            ),
            "tweeteval": line_posts(
                sorted(te.glob("*/train_text.txt")) + sorted(te.glob("stance/*/train_text.txt")),
                rng,
            ),
            "twarc": [t for t in twarc if not held_out_half(t)],
        },
        "heldout": {
            "chatgpt": chatgpt_posts([cg / f"{r}.csv" for r in ("North America", "Oceania")]),
            "twarc": [t for t in twarc if held_out_half(t)],
            "tweeteval": line_posts(
                sorted(te.glob("*/test_text.txt")) + sorted(te.glob("stance/*/test_text.txt")), rng
            ),
        },
    }
