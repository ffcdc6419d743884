"""A fourth draw, once reading proved cheap and privacy statements rare: every remaining
ChatGPT-era post that any privacy search matches (the keyword pools' patterns, the semantic
pool's data-and-handling filter), and more uniform random posts so that about half the corpus
stays a random draw.

    python -m training.claims.draw_sweep WORKDIR OUT.jsonl

It chooses which posts are read, never their labels.
"""

from __future__ import annotations

import argparse
import json
import random
import re
import sys

from . import draw as cd
from . import draw_semantic as sem
from . import sources as cs

RANDOM = {"chatgpt-tweets": 1300, "twarc-jsonl": 200, "tweeteval": 500}


def main(workdir: str, out_path: str) -> None:
    rng = random.Random(23)
    cands = cs.undrawn(workdir)
    rx = [
        re.compile(cd.POOLS["kw-privacy"][2], re.IGNORECASE),
        re.compile(cd.POOLS["kw-privacy-broad"][2], re.IGNORECASE),
        sem.FILTERS["sem-privacy"],
    ]
    out = []
    sweep = [p for p in cands if p.dataset != "tweeteval" and any(r.search(p.text) for r in rx)]
    out += [(p, "sweep-privacy") for p in sweep]
    taken = {p.pointer for p in sweep}
    for dataset, n in RANDOM.items():
        pool = [p for p in cands if p.dataset == dataset and p.pointer not in taken]
        out += [(p, f"random-{dataset.split('-')[0]}") for p in rng.sample(pool, min(n, len(pool)))]
    with open(out_path, "w", encoding="utf-8") as fh:
        for p, sel in out:
            fh.write(json.dumps({"pointer": p.pointer, "date": p.date, "selection": sel}) + "\n")
    print(len(sweep), "swept;", len(out), "in all", file=sys.stderr)


if __name__ == "__main__":
    ap = argparse.ArgumentParser(
        prog="python -m training.claims.draw_sweep",
        description=__doc__,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    ap.add_argument("workdir")
    ap.add_argument("out", help="the draw, one JSON line a post")
    args = ap.parse_args()
    main(args.workdir, args.out)
