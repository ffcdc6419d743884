"""Build the background sample shipped with socialscan: ordinary posts from licensed sources.

    python -m training.claims.background        # -> socialscan/resources/claims-background.jsonl.gz

``train claims --from default`` learns a label a person adds from the few hundred posts they
read. Those say little about what ordinary posts look like, and the shipped model's own
training corpus is mostly pointers into data that may not be redistributed, so it is not on a
user's machine. This sample is: uniform random distinct posts of the two sources whose licence
lets socialscan ship their text (``../shared/data/README.md``):

- the twarc-csv test captures (MIT): every original tweet (retweets left out), the only
  licensed posts that keep their line breaks and links;
- TweetEval (released "without any restrictions"): uniform random posts of every task's text
  files for the rest (its line breaks and nearly all links were removed upstream:
  :data:`socialscan.claims.background.FLATTENED` says so, and training reads those features
  of its posts as unknown).

Never in it: chatgpt-tweets (no licence), posts of ``RESERVED.tsv`` and any copy of their text,
and any post (or copy) of a labelled corpus under ``corpora/`` or ``tests/data/labels_*.jsonl``,
so that no held-out figure is measured on a post the background taught. Texts of 15 characters
or fewer (after links are dropped) are left out too: they teach nothing.

One JSON object a line, ``{"text": ..., "source": pointer}``, gzip with a fixed mtime so the
file is the same bytes on every build.
"""

from __future__ import annotations

import argparse
import gzip
import json
import random
import sys
from pathlib import Path

from socialscan.claims.background import BACKGROUND_FILE
from socialscan.claims.corpus import read_corpus

from ..paths import ROOT, SHARED_DATA
from .sources import reserved_keys, text_key, twarc_posts, tweeteval_posts

#: Posts in the sample, and the seed that draws them.
SIZE = 8000
SEED = 23


def labelled_keys() -> set[str]:
    """Text keys of every post of the labelled corpora and test fixtures (their pointers read)."""
    files = sorted((ROOT / "corpora").glob("*.jsonl")) + sorted(
        (ROOT / "tests" / "data").glob("labels_*.jsonl")
    )
    keys: set[str] = set()
    for path in files:
        keys |= {text_key(t) for t in read_corpus(path, SHARED_DATA).texts}
    return keys


def build(size: int = SIZE, seed: int = SEED) -> list[dict[str, str]]:
    """The sample: ``size`` distinct posts drawn uniformly from the licensed sources."""
    posts = list(twarc_posts()) + list(tweeteval_posts())
    left_out = reserved_keys(posts) | labelled_keys()
    seen: set[str] = set()
    pool = []
    for p in posts:
        k = p.key
        if len(k) > 15 and k not in left_out and k not in seen:
            seen.add(k)
            pool.append(p)
    # every twarc post: the only licensed source that keeps line breaks and links
    chosen = [p for p in pool if p.dataset == "twarc-jsonl"]
    rest = [p for p in pool if p.dataset != "twarc-jsonl"]
    rng = random.Random(seed)
    chosen += rng.sample(rest, min(max(0, size - len(chosen)), len(rest)))
    chosen.sort(key=lambda p: p.pointer)
    print(
        f"{len(posts)} posts read, {len(pool)} distinct and eligible, {len(chosen)} drawn "
        f"({sum(p.dataset == 'twarc-jsonl' for p in chosen)} twarc, "
        f"{sum(p.dataset == 'tweeteval' for p in chosen)} TweetEval)",
        file=sys.stderr,
    )
    return [{"text": p.text, "source": p.pointer} for p in chosen]


def write(rows: list[dict[str, str]], path: Path = BACKGROUND_FILE) -> None:
    data = "".join(json.dumps(r, ensure_ascii=False) + "\n" for r in rows).encode("utf-8")
    tmp = path.with_suffix(".tmp")
    with open(tmp, "wb") as raw, gzip.GzipFile(filename="", fileobj=raw, mode="wb", mtime=0) as fh:
        fh.write(data)
    tmp.replace(path)
    print(f"{path}: {path.stat().st_size} bytes", file=sys.stderr)


def main(argv: list[str] | None = None) -> None:
    ap = argparse.ArgumentParser(
        prog="python -m training.claims.background",
        description=__doc__,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    ap.add_argument("--out", type=Path, default=BACKGROUND_FILE, help="where to write the sample")
    ap.add_argument("--size", type=int, default=SIZE, help="posts in the sample")
    ap.add_argument("--seed", type=int, default=SEED)
    args = ap.parse_args(argv)
    write(build(args.size, args.seed), args.out)


if __name__ == "__main__":
    main()
