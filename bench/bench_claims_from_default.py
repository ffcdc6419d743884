"""``train claims --from default`` on 40 read positives of a new label: does the new label find
unseen posts of it, how often does it fire on ordinary posts, and do the default labels keep
working?

    python -m bench.bench_claims_from_default     # -> numbers for results_claims_from_default.md

``corpora/giveaway.jsonl`` (see ``corpora/giveaway.md``) is in the report's export format; its
``train`` lines (40 giveaway posts and 196 read without it) teach the model, its ``test`` lines
score the new label. The model is trained twice, without the shipped background sample of
ordinary posts (``background_weight=0``, as before it existed) and with it (the default), and
both are scored on the same posts:

- the new label on the test lines (recall, precision; the random test posts alone);
- how often it fires on the claims corpus's held-out split (``corpora/claims.jsonl``, split
  ``test``: 3,768 posts read for the default labels, not for this one; the posts it fires on
  are printed to be read);
- the default labels on that split, shipped model against each new one.

Every figure is on posts never trained on: a scored post whose text (or a copy's) the model
remembers, or that is in the background sample, is counted and left out (there are none).
"""

from __future__ import annotations

import json
import time

import numpy as np

from socialscan.claims.background import background_posts
from socialscan.claims.corpus import read_corpus
from socialscan.claims.from_default import train_from
from socialscan.claims.from_heads import BACKGROUND_WEIGHT
from socialscan.claims.memory import post_key
from socialscan.claims.model import ClaimModel
from socialscan.claims.scores import score_labels

from .common import ROOT, SHARED, WORK

LABEL = "giveaway"
CORPUS = ROOT / "corpora" / "giveaway.jsonl"


def trained_on(m: ClaimModel, texts: list[str]) -> np.ndarray:
    """Which texts the model remembers or learned from the background sample (copies too)."""
    seen = set(m.memory) | {post_key(t) for t in background_posts()}
    return np.array([post_key(t) in seen for t in texts], dtype=bool)


def main() -> None:
    gw = read_corpus(CORPUS, SHARED)
    te = gw.part("test")
    sel = [json.loads(x) for x in CORPUS.read_text().splitlines()]
    sel = [o for o in sel if o["split"] == "test"]
    gold = np.array([LABEL in g for g in te.labels])
    claims = read_corpus(ROOT / "corpora" / "claims.jsonl", SHARED).part("test")
    base = ClaimModel.default()
    labels = base.labels
    t = time.process_time()
    p0 = base.predict(claims.texts)
    print(f"shipped: scoring {len(claims.texts)} claims posts took {time.process_time() - t:.1f} s")
    print(score_labels(_names(base.decide(p0), labels), claims.labels, labels).table())

    for name, weight in (("without background", 0.0), ("with background", BACKGROUND_WEIGHT)):
        out = WORK / f"claims-from-default-{weight:g}"
        t = time.process_time()
        report = train_from(CORPUS, out, "default", data=SHARED, background_weight=weight)
        print(f"\n## {name} (background_weight={weight:g})")
        print(f"training: {time.process_time() - t:.1f} s CPU")
        print(report.text())
        m = ClaimModel.load(out)
        j = m.labels.index(LABEL)
        leak = trained_on(m, te.texts)
        print(f"test lines the model remembers or trained on: {int(leak.sum())}")
        pred = m.decide(m.predict(te.texts))[:, j]
        for part, keep in (
            ("all test posts", np.ones(len(sel), bool)),
            ("found by search", np.array([o["selection"] == "search" for o in sel])),
            ("random posts", np.array([o["selection"] == "random" for o in sel])),
            ("chatgpt-era + twarc", np.array(["tweeteval" not in o["pointer"] for o in sel])),
            ("tweeteval", np.array(["tweeteval" in o["pointer"] for o in sel])),
        ):
            keep = keep & ~leak
            p, g = pred[keep], gold[keep]
            tp = int((p & g).sum())
            print(
                f"{LABEL} on {part}: posts {int(keep.sum())}, support {int(g.sum())}, "
                f"predicted {int(p.sum())}, recall {tp / max(1, g.sum()):.3f}, "
                f"precision {tp / max(1, p.sum()):.3f}"
            )
        leak = trained_on(m, claims.texts)
        print(f"claims held-out posts the model remembers or trained on: {int(leak.sum())}")
        t = time.process_time()
        p = m.predict(claims.texts)
        dt = time.process_time() - t
        d = m.decide(p)[:, [m.labels.index(x) for x in labels]]
        print(f"scoring {len(claims.texts)} posts took {dt:.1f} s CPU")
        print(score_labels(_names(d, labels), claims.labels, labels).table())
        g = m.decide(p)[:, j] & ~leak
        print(f"{LABEL} fires on {int(g.sum())} of the {int((~leak).sum())} held-out claims posts")
        for i in np.nonzero(g)[0][:40]:
            print("   ", repr(claims.texts[i][:110]))


def _names(d: np.ndarray, labels: list[str]) -> list[list[str]]:
    return [[labels[k] for k in np.nonzero(r)[0]] for r in d]


if __name__ == "__main__":
    main()
