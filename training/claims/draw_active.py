"""A third draw for the rarest labels, by uncertainty-free active learning: a logistic regression
fitted on the posts already read twice ranks every post not yet drawn, and the most likely
positives are read next.

    python -m training.claims.draw_active WORKDIR OUT.jsonl LABEL=N [LABEL=N ...]

It chooses which posts are read, never their labels. The corpus's draw ran once, after the
first 5,061 posts had two readings, as ``privacy_statement=520 finetuning_advice=300``; the first
300 and 250 of those were read (the readings it learned from are in the corpus's ``readings``).
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

import numpy as np

from . import corpus as cc
from . import sources as cs


def main(workdir: str, out_path: str, wants: list[str]) -> None:
    from sklearn.linear_model import LogisticRegression

    from socialscan.embed.minilm_onnx import OnnxMiniLMEmbedder

    wd = Path(workdir)
    index = [
        json.loads(x) for x in (wd / "corpus_index.jsonl").read_text(encoding="utf-8").splitlines()
    ]
    reads = cc.readings(wd)
    drawn = {r["pointer"] for r in index}
    by_pointer = {r["pointer"]: r for r in index}
    posts = list(cs.chatgpt_posts()) + list(cs.twarc_posts())
    banned = cs.reserved_keys(list(cs.all_posts()))
    seen = set(banned) | {p.key for p in posts if p.pointer in drawn}
    labelled, y_rows, cands = [], [], []
    for p in posts:
        r = by_pointer.get(p.pointer)
        if r is not None and len(reads.get(r["id"], [])) >= 2:
            (_, a), (_, b) = reads[r["id"]][:2]
            labelled.append(p)
            y_rows.append((a, b))
        elif p.pointer not in drawn and len(p.key) > 15 and p.key not in seen:
            seen.add(p.key)
            cands.append(p)
    emb = OnnxMiniLMEmbedder.default()
    x_l = emb.embed([p.text for p in labelled])
    x_c = emb.embed([p.text for p in cands])
    taken: set[str] = set()
    with open(out_path, "w", encoding="utf-8") as fh:
        for want in wants:
            label, n = want.split("=")
            y = np.array([label in a or label in b for a, b in y_rows])
            clf = LogisticRegression(C=1.0, class_weight="balanced", max_iter=3000).fit(x_l, y)
            s = clf.decision_function(x_c)
            k = 0
            for i in np.argsort(-s):
                p = cands[int(i)]
                if p.pointer in taken:
                    continue
                taken.add(p.pointer)
                rec = {"pointer": p.pointer, "date": p.date, "selection": f"active-{label}"}
                fh.write(json.dumps(rec) + "\n")
                k += 1
                if k >= int(n):
                    break
            print(label, "positives known", int(y.sum()), "drawn", k, file=sys.stderr)


if __name__ == "__main__":
    ap = argparse.ArgumentParser(
        prog="python -m training.claims.draw_active",
        description=__doc__,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    ap.add_argument("workdir")
    ap.add_argument("out", help="the draw, one JSON line a post")
    ap.add_argument("wants", nargs="+", metavar="LABEL=N", help="posts to draw per label")
    args = ap.parse_args()
    main(args.workdir, args.out, args.wants)
