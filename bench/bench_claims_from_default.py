"""``train claims --from default`` on 40 read positives of a new label: does the new label find
unseen posts of it, and do the default labels keep working?

    python -m bench.bench_claims_from_default     # -> numbers for results_claims_from_default.md

``corpora/giveaway.jsonl`` (see ``corpora/giveaway.md``) is in the report's export format; its
``train`` lines (40 giveaway posts and 392 read without it, half of them) teach the model, its
``test`` lines score the new label. The default labels are scored on the claims corpus's own
held-out split (``corpora/claims.jsonl``, split ``test``), shipped model against the new one.
Also the CPU time of scoring those posts: the new model has no first stage (see train_from).
"""

from __future__ import annotations

import json
import time

import numpy as np

from socialscan.claims.corpus import read_corpus
from socialscan.claims.model import ClaimModel
from socialscan.claims.scores import score_labels
from socialscan.claims.train import train_from

from .common import ROOT, SHARED, WORK

LABEL = "giveaway"


def main() -> None:
    out = WORK / "claims-from-default"
    t = time.process_time()
    report = train_from(ROOT / "corpora" / "giveaway.jsonl", out, "default", data=SHARED)
    print(f"training: {time.process_time() - t:.1f} s CPU")
    print(report.text())

    gw = read_corpus(ROOT / "corpora" / "giveaway.jsonl", SHARED)
    te = gw.part("test")
    sel = [json.loads(x) for x in (ROOT / "corpora" / "giveaway.jsonl").read_text().splitlines()]
    sel = [o for o in sel if o["split"] == "test"]
    m = ClaimModel.load(out)
    j = m.labels.index(LABEL)
    pred = m.decide(m.predict(te.texts))[:, j]
    gold = np.array([LABEL in g for g in te.labels])
    for name, keep in (
        ("all test posts", np.ones(len(sel), bool)),
        ("found by search", np.array([o["selection"] == "search" for o in sel])),
        ("random posts", np.array([o["selection"] == "random" for o in sel])),
        ("chatgpt-era + twarc", np.array(["tweeteval" not in o["pointer"] for o in sel])),
        ("tweeteval", np.array(["tweeteval" in o["pointer"] for o in sel])),
    ):
        p, g = pred[keep], gold[keep]
        tp = int((p & g).sum())
        print(
            f"{LABEL} on {name}: posts {int(keep.sum())}, support {int(g.sum())}, "
            f"predicted {int(p.sum())}, recall {tp / max(1, g.sum()):.3f}, "
            f"precision {tp / max(1, p.sum()):.3f}"
        )

    claims = read_corpus(ROOT / "corpora" / "claims.jsonl", SHARED).part("test")
    base = ClaimModel.default()
    labels = base.labels
    for name, model in (("shipped", base), ("from default + giveaway", m)):
        t = time.process_time()
        p = model.predict(claims.texts)
        dt = time.process_time() - t
        d = model.decide(p)[:, [model.labels.index(x) for x in labels]]
        names = [[labels[k] for k in np.nonzero(r)[0]] for r in d]
        s = score_labels(names, claims.labels, labels)
        print(f"\n{name}: scoring {len(claims.texts)} posts took {dt:.1f} s CPU")
        print(s.table())
        if name != "shipped":
            g = model.decide(p)[:, j]
            print(f"{LABEL} fires on {int(g.sum())} of the {len(g)} held-out claims posts")


if __name__ == "__main__":
    main()
