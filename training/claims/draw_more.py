"""A fifth draw, while the learning curve (``socialscan train claims`` prints it) still rose
steeply with the number of training posts: more uniform random ChatGPT-era and TweetEval posts,
and the unread rest of the fine-tuning search with more of the plug and self-promotion searches.

    python -m training.claims.draw_more WORKDIR OUT.jsonl

It chooses which posts are read, never their labels.
"""

from __future__ import annotations

import argparse
import json
import random
import re
import sys

from . import draw as cd
from . import sources as cs

RANDOM = {"chatgpt-tweets": 6000, "tweeteval": 1000}
POOLS = {"kw-finetuning": 400, "kw-plug": 1100, "kw-self": 1100}


def main(workdir: str, out_path: str) -> None:
    rng = random.Random(29)
    cands = cs.undrawn(workdir)
    out, taken = [], set()
    for name, n in POOLS.items():
        _, datasets, pattern = cd.POOLS[name]
        rx = re.compile(pattern, re.IGNORECASE)
        pool = [
            p
            for p in cands
            if p.dataset in datasets and p.pointer not in taken and rx.search(p.text)
        ]
        for p in rng.sample(pool, min(n, len(pool))):
            out.append((p, name + "-2"))
            taken.add(p.pointer)
        print(name, len(pool), "matches", file=sys.stderr)
    for dataset, n in RANDOM.items():
        pool = [p for p in cands if p.dataset == dataset and p.pointer not in taken]
        for p in rng.sample(pool, min(n, len(pool))):
            out.append((p, f"random-{dataset.split('-')[0]}"))
            taken.add(p.pointer)
    with open(out_path, "w", encoding="utf-8") as fh:
        for p, sel in out:
            fh.write(json.dumps({"pointer": p.pointer, "date": p.date, "selection": sel}) + "\n")
    print(len(out), "in all", file=sys.stderr)


if __name__ == "__main__":
    ap = argparse.ArgumentParser(
        prog="python -m training.claims.draw_more",
        description=__doc__,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    ap.add_argument("workdir")
    ap.add_argument("out", help="the draw, one JSON line a post")
    args = ap.parse_args()
    main(args.workdir, args.out)
