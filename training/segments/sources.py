"""The real posts synthetic dumps are made of, read from ../shared/data and split by source so
that no held-out dump holds a post a training dump saw."""

from __future__ import annotations

import csv
import random
import re
from pathlib import Path

from socialscan.readers.jsonl import read_jsonl
from socialscan.readers.stats import ParseStats
from socialscan.readers.text import read_text_lines

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


def chatgpt_posts(paths: list[Path]) -> list[str]:
    """Tweet texts from the chatgpt-tweets CSVs (quoted fields span lines)."""
    out = []
    for p in paths:
        with p.open(newline="", encoding="utf-8") as fh:
            for row in csv.DictReader(fh):
                t = (row.get("Tweet") or "").strip()
                if t and not t.startswith("RT @"):
                    out.append(t)
    return list(dict.fromkeys(out))


def twarc_posts(paths: list[Path]) -> list[str]:
    """Unique non-retweet tweet texts from twarc JSONL files (read with socialscan's reader)."""
    out = []
    for p in paths:
        for post in read_jsonl(read_text_lines(p), str(p), ParseStats()):
            t = post.text.strip()
            if t and not t.startswith("RT @"):
                out.append(t)
    return list(dict.fromkeys(out))


def line_posts(paths: list[Path], rng: random.Random) -> list[str]:
    """One-line tweets (TweetEval); masked ``@user`` handles get plausible names."""
    out = []
    for p in paths:
        for line in p.read_text(encoding="utf-8").splitlines():
            line = line.strip()
            if line:
                out.append(re.sub(r"@user\b", lambda _: "@" + made_up_handle(rng), line))
    return list(dict.fromkeys(out))


def stance_groups(shared_data: Path, split: str) -> list[list[str]]:
    """TweetEval's stance tweets, one list per target (abortion, atheism, climate, ...)."""
    groups = []
    for path in sorted((shared_data / "tweeteval" / "stance").glob(f"*/{split}_text.txt")):
        groups.append(
            [t.strip() for t in path.read_text(encoding="utf-8").splitlines() if t.strip()]
        )
    return groups


def pools(shared_data: Path, seed: int = 0) -> dict[str, dict[str, list[str]]]:
    """Train and held-out post pools, split by source so that held-out text is unseen.

    Train: chatgpt tweets from Asia, Africa, Europe and South America, TweetEval train splits.
    Held out: chatgpt tweets from North America and Oceania, all twarc samples, TweetEval tests.
    """
    rng = random.Random(seed)
    cg = shared_data / "chatgpt-tweets"
    te = shared_data / "tweeteval"
    return {
        "train": {
            "chatgpt": chatgpt_posts(
                [cg / f"{r}.csv" for r in ("Asia", "Africa", "Europe", "South America")]
            ),
            "tweeteval": line_posts(
                sorted(te.glob("*/train_text.txt")) + sorted(te.glob("stance/*/train_text.txt")),
                rng,
            ),
        },
        "heldout": {
            "chatgpt": chatgpt_posts([cg / f"{r}.csv" for r in ("North America", "Oceania")]),
            "twarc": twarc_posts(sorted((shared_data / "twarc-jsonl").glob("*.jsonl"))),
            "tweeteval": line_posts(
                sorted(te.glob("*/test_text.txt")) + sorted(te.glob("stance/*/test_text.txt")), rng
            ),
        },
    }
