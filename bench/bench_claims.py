"""Claim tagging: speed of the default (trained) tagger beside the zero-shot scorer, and quality,
calibration and reliability on the test split of corpora/claims.jsonl (nothing was tuned on it).

Run: .venv/bin/python bench/bench_claims.py [--posts 20000]
Writes bench/results_claims.md. The side-by-side comparison of model kinds, the learning curve
and the train-vs-test gap are written by ``python -m training.claims.experiments``
(bench/results_claims_models.md).
"""

from __future__ import annotations

import argparse
import csv
import os
import resource
import sys
import time
from pathlib import Path

os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("TOKENIZERS_PARALLELISM", "false")

import numpy as np  # noqa: E402

ROOT = Path(__file__).resolve().parents[1]
DATA = ROOT.parent / "shared" / "data"
CORPUS = ROOT / "corpora" / "claims.jsonl"
SEED = ROOT / "corpora" / "seed_dump.txt"
SEED_UNITS = [
    ((1, 27), ["finetuning_advice"]),
    ((28, 30), ["self_promotion"]),
    ((31, 32), ["privacy_statement"]),
    ((33, 33), []),
    ((34, 35), ["product_plug"]),
    ((36, 38), ["product_plug"]),
    ((40, 42), []),
]


def real_posts(n: int) -> list[str]:
    texts = []
    for path in sorted((DATA / "chatgpt-tweets").glob("*.csv")):
        with path.open(newline="", encoding="utf-8") as fh:
            texts += [r["Tweet"] for r in csv.DictReader(fh) if r["Tweet"]]
    return (texts * (-(-n // len(texts))))[:n]


def _cpu() -> float:
    t = os.times()
    return t.user + t.system + t.children_user + t.children_system


def timed(fn, *args):
    c, t = _cpu(), time.perf_counter()
    out = fn(*args)
    return out, time.perf_counter() - t, _cpu() - c


def reliability(p: np.ndarray, y: np.ndarray, bins=(0, 0.1, 0.2, 0.3, 0.5, 0.7, 0.9, 1.0001)):
    """Rows of (bin, pairs, mean predicted, observed rate) over every (post, label) pair."""
    rows = []
    for lo, hi in zip(bins[:-1], bins[1:], strict=True):
        m = (p >= lo) & (p < hi)
        if m.any():
            rows.append(
                (f"{lo:.1f}-{min(hi, 1):.1f}", int(m.sum()), float(p[m].mean()), float(y[m].mean()))
            )
    return rows


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--posts", type=int, default=20000)
    ap.add_argument("--accurate-posts", type=int, default=2000)
    args = ap.parse_args()

    from socialscan.claims import get_tagger
    from socialscan.claims.corpus import read_corpus
    from socialscan.claims.model import ACCURATE_MODEL_DIR
    from socialscan.claims.scores import score_labels

    lines = ["# Claim tagging: speed and quality", ""]
    posts = real_posts(args.posts)
    lines += [
        f"Machine: {os.cpu_count()} cores; load average at start "
        + ", ".join(f"{x:.1f}" for x in os.getloadavg())
        + f"; posts: real chatgpt-tweets (repeated to {len(posts):,}).",
        "",
        "## Throughput (one invocation; ratios against the zero-shot scorer)",
        "",
        "| method | posts | seconds | posts/s | vs zero-shot | CPU seconds |",
        "|---|---:|---:|---:|---:|---:|",
    ]
    has_accurate = (ACCURATE_MODEL_DIR / "model.json").is_file()
    t0 = time.perf_counter()
    default = get_tagger()
    default.tag_texts(posts[:200], workers=1)  # load the model and spaCy
    load = time.perf_counter() - t0
    zero = get_tagger(model=None)
    zero.tag_texts(posts[:200], workers=1)
    runs = {}
    runs["zero-shot scorer (cues + similarity, gated; 2 workers)"] = (
        len(posts),
        *timed(zero.tag_texts, posts)[1:],
    )
    out, wall, cpu = timed(default.tag_texts, posts)
    runs["default: the trained model, spaCy only for posts it labels (2 workers)"] = (
        len(posts),
        wall,
        cpu,
    )
    runs["default, one process"] = (
        len(posts),
        *timed(lambda x: default.tag_texts(x, workers=1), posts)[1:],
    )
    runs["the model's post scores alone (`ClaimModel.predict`, one process)"] = (
        len(posts),
        *timed(default.model.predict, posts)[1:],
    )
    if has_accurate:
        acc = get_tagger(model="accurate")
        sub = posts[: args.accurate_posts]
        acc.tag_texts(sub[:50], workers=1)
        runs["--accurate: fine-tuned MiniLM (int8 ONNX, 2 threads)"] = (
            len(sub),
            *timed(acc.tag_texts, sub)[1:],
        )
    base = runs["zero-shot scorer (cues + similarity, gated; 2 workers)"]
    base_rate = base[0] / base[1]
    for name, (n, wall, cpu) in runs.items():
        lines.append(
            f"| {name} | {n:,} | {wall:.2f} | {n / wall:,.0f} | {n / wall / base_rate:.2f}x | {cpu:.2f} |"
        )
    n_claims = sum(len(c) for c in out)
    labelled = sum(bool(c) for c in out)
    lines += [
        "",
        f"Default tagger load: {load:.2f} s; {labelled:,} of {len(posts):,} posts get a claim "
        f"({n_claims:,} claims); peak RSS {resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024:.0f} MB.",
        "",
    ]

    # -- quality on the test split ---------------------------------------------------------
    corpus = read_corpus(CORPUS, DATA)
    te = corpus.part("test")
    models = {"zero-shot scorer": zero, "default (trained)": default}
    if has_accurate:
        models["--accurate"] = acc
    lines += [
        f"## Quality: the test split of corpora/claims.jsonl ({len(te.texts):,} posts)",
        "",
        "| method | "
        + " | ".join(f"F1 {lab} (n)" for lab in default.labels)
        + " | macro-F1 | Brier |",
        "|---|" + "---|" * (len(default.labels) + 2),
    ]
    per = {}
    for name, tagger in models.items():
        p, decided = tagger.post_labels(te.texts)
        pred = [[tagger.labels[j] for j in np.nonzero(r)[0]] for r in decided]
        s = score_labels(pred, te.labels, tagger.labels)
        y = np.array([[lab in g for lab in tagger.labels] for g in te.labels], dtype=np.float32)
        s.brier = float(((p - y) ** 2).mean())
        per[name] = (s, p, y)
        lines.append(
            f"| {name} | "
            + " | ".join(f"{x.f1:.3f} ({x.support})" for x in s.labels)
            + f" | **{s.macro_f1:.3f}** | {s.brier:.4f} |"
        )
    s, p, y = per["default (trained)"]
    lines += ["", "Default model, per label, with confusions:", "", s.table(), ""]
    lines += [
        "Reliability of the default model's scores (every post and label of the test split; "
        "0.5 = even odds):",
        "",
        "| score | pairs | mean score | observed rate |",
        "|---|---:|---:|---:|",
    ]
    lines += [f"| {b} | {n:,} | {m:.3f} | {o:.3f} |" for b, n, m, o in reliability(p, y)]
    lines.append("")

    # -- the seed's units -----------------------------------------------------------------
    seed = SEED.read_text(encoding="utf-8").split("\n")
    got = default.tag_texts(["\n".join(seed[a - 1 : b]) for (a, b), _ in SEED_UNITS], workers=1)
    ok = sum(
        sorted({c.label for c in cs}) == want for cs, (_, want) in zip(got, SEED_UNITS, strict=True)
    )
    lines += [
        f"The seed's seven scored units: {ok} of {len(SEED_UNITS)} get exactly their labels.",
        "",
    ]
    text = "\n".join(lines)
    print(text)
    (ROOT / "bench" / "results_claims.md").write_text(text + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
