"""The accurate segmenter (``--segmenter minilm``, ``auto``'s choice up to 1 MB) as a cascade
(:mod:`socialscan.segment.cascade`) against the full accurate model, which runs MiniLM on every
line. Writes ``bench/results_minilm_segments.md``.

Three parts, in one run:

1. The margin, chosen on DEV dumps (``training/segments/train.py``'s ``training_dumps`` from the
   training pools, its dev split: the first tenth), never on held-out rows: for each margin the
   share of gaps the fast trees hesitate on, the share of lines MiniLM embeds, how often the
   accurate model overturns a sure fast decision, and dev boundary F1 against the full model's.
2. Held-out boundary F1 per row (``bench/bench_segments.py``'s rows, reserved posts excluded):
   fast, minilm full and minilm cascade.
3. Speed on one core (one ONNX thread; lines per CPU second, user+sys), full and cascade in
   turns ``full, cascade, full, ...`` so that both see the same load, on the held-out rows'
   dumps segmented one by one and on two big dumps holding each held-out post once
   (:func:`big_dump`), as ``socialscan parse`` reads a file. The floor row looks MiniLM's
   vectors up instead: what the rest of the segmenter costs.

Run: ``.venv/bin/python bench/bench_minilm_segments.py [--dev N] [--rows N] [--reps R]``
"""

from __future__ import annotations

import argparse
import math
import random
import statistics
import sys
import time
from collections.abc import Sequence

import numpy as np
from common import ROOT, SHARED, env_line, write_results

sys.path.insert(0, str(ROOT))

from socialscan.embed.base import BaseEmbedder  # noqa: E402
from socialscan.embed.cache import CachedEmbedder  # noqa: E402
from socialscan.embed.minilm_onnx import OnnxMiniLMEmbedder  # noqa: E402
from socialscan.embed.static import StaticEmbedder  # noqa: E402
from socialscan.segment import cascade  # noqa: E402
from socialscan.segment.items import line_items  # noqa: E402
from socialscan.segment.model import default_model, semantic_model  # noqa: E402
from socialscan.segment.segmenter import gap_features, segment_lines  # noqa: E402
from training.segments.dumps import make_dump  # noqa: E402
from training.segments.heldout import evaluate, format_scores, heldout_dumps  # noqa: E402
from training.segments.pages import copied_timeline  # noqa: E402
from training.segments.sources import pools  # noqa: E402
from training.segments.train import Memo, training_dumps  # noqa: E402

#: Margins tried on the dev dumps (log-odds from the threshold); inf is the full model.
MARGINS = (0.25, 0.5, 0.75, 1.0, 1.5, 2.0, math.inf)
#: The chosen margin is the smallest whose dev boundary F1 is within this of the full model's.
DEV_F1_TOLERANCE = 0.002


class Counting(BaseEmbedder):
    """``inner``'s vectors, counting the lines asked for."""

    name, dim, contextual, fork_safe = "minilm-onnx", 384, True, False

    def __init__(self, inner):
        self.inner, self.lines = inner, 0

    def embed(self, texts: Sequence[str]) -> np.ndarray:
        self.lines += len(texts)
        return self.inner.embed(texts)


class Lookup(BaseEmbedder):
    """Vectors computed in advance: the segmenter without MiniLM's cost. ``record`` fills the
    table from a run of ``inner`` (the texts as the segmenter passes them)."""

    name, dim, contextual, fork_safe = "minilm-onnx", 384, True, False

    def __init__(self, inner: OnnxMiniLMEmbedder):
        self.inner, self.table, self.record = inner, {}, True

    def embed(self, texts: Sequence[str]) -> np.ndarray:
        if self.record:
            self.table.update(zip(texts, self.inner.embed(texts), strict=True))
        if not texts:
            return np.zeros((0, self.dim), dtype=np.float32)
        return np.vstack([self.table[t] for t in texts])


def with_margin(margin: float, fn, *args):
    """``fn(*args)`` with the cascade's :data:`~socialscan.segment.cascade.MARGIN` set."""
    saved, cascade.MARGIN = cascade.MARGIN, margin
    try:
        return fn(*args)
    finally:
        cascade.MARGIN = saved


def big_dump(heldout: dict[str, list[str]], size: float, copied: bool) -> list[str]:
    """About ``size`` bytes of one dump, each held-out post in it once (all chatgpt and twarc
    posts, then TweetEval's to fill it), shuffled, pasted 40 at a time in a random scraping
    style, a blank line between two pastes; with ``copied`` every third 40 as copied from the
    X web app. What repeats in it is what real pastes repeat: the app's lines (names, "·",
    counts), and posts the data holds twice."""
    r = random.Random(22)
    posts = heldout["chatgpt"] + heldout["twarc"] + r.sample(heldout["tweeteval"], 12_000)
    r.shuffle(posts)
    lines: list[str] = []
    done = 0
    for i in range(0, len(posts), 40):
        chunk = posts[i : i + 40]
        d = make_dump(chunk, r, "b", len(chunk))
        if copied and i // 40 % 3 == 2:
            d = copied_timeline(d, i)
        lines += [*d.lines, ""]
        done += sum(len(t.encode()) + 1 for t in d.lines) + 1
        if done >= size:
            break
    return lines


def dev_margins(n_dev: int, emb, model, minilm) -> tuple[float, list[str]]:
    """The margin chosen on ``n_dev`` dev dumps, and the table of what each margin does."""
    P = pools(SHARED, seed=13)
    dumps = training_dumps(P["train"], 5400, 13)
    dev = dumps[: 5400 // 10][:n_dev]  # train.py's dev split
    memo = Memo(minilm)
    fast = model.blend
    width = len(fast.features)
    # every gap's fast and accurate log-odds (the full model's features)
    lf, la = [], []
    for d in dev:
        items = list(line_items(iter(enumerate(d.lines, 1))))
        if len(items) > 1:
            x = gap_features(items, emb, model.center, memo, model.probe, model.context_probe)[1:]
            lf.append(fast.log_odds(x[:, :width]))
            la.append(model.log_odds(x))
    lf_all, la_all = np.concatenate(lf), np.concatenate(la)
    t = math.log(model.threshold / (1 - model.threshold))
    full = with_margin(math.inf, evaluate, dev, emb, model, memo)  # the full model: no cascade
    rows, chosen = [], None
    for margin in MARGINS:
        counter = Counting(memo)
        s = with_margin(margin, evaluate, dev, emb, model, counter)
        sure = np.abs(lf_all - t) >= margin
        overturned = int((sure & ((lf_all >= t) != (la_all >= t))).sum())
        lines = sum(len(d.lines) for d in dev if d.lines)
        nonblank = sum(1 for d in dev for ln in d.lines if ln.strip())
        if chosen is None and s["f1"] >= full["f1"] - DEV_F1_TOLERANCE:
            chosen = margin
        rows.append(
            f"| {margin} | {1 - sure.mean():.1%} | {counter.lines / nonblank:.1%} | "
            f"{overturned} of {int(sure.sum()):,} ({overturned / max(sure.sum(), 1):.2%}) | "
            f"{format_scores(s)} |"
        )
    table = [
        "## How the margin was chosen (dev dumps from the training pools)",
        "",
        f"{len(dev)} dev dumps (`training_dumps(train pools, 5400, seed 13)`, the first tenth, as "
        f"`training/segments/train.py` splits them), {lines:,} lines, {len(lf_all):,} gaps. A gap "
        "is sure when the fast trees' log-odds are at least the margin from the threshold's. "
        "Overturned: sure gaps where the full accurate model decides the other way. The margin "
        f"is the smallest whose dev F1 is within {DEV_F1_TOLERANCE} of the full model's "
        f"({full['f1']:.4f}): **{chosen}**.",
        "",
        "| margin | gaps hesitant | lines MiniLM embeds | sure gaps overturned | dev P / R / F1 / WD |",
        "|---:|---:|---:|---:|---|",
        *rows,
    ]
    return chosen, table


def timed(workload: list[list[str]], ctx, emb, model) -> tuple[float, list[float]]:
    gaps: list[float] = []
    cpu = time.process_time()
    for lines in workload:
        for _ in segment_lines(
            iter(enumerate(lines, 1)),
            emb,
            model,
            contextual=ctx,
            on_gap=lambda n, p: gaps.append(p),
        ):
            pass
    return time.process_time() - cpu, gaps


def main(argv: list[str] | None = None) -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--dev", type=int, default=540, help="dev dumps for the margin")
    ap.add_argument("--heldout", type=int, default=80, help="dumps per held-out row for F1")
    ap.add_argument("--rows", type=int, default=3, help="dumps per held-out row for speed")
    ap.add_argument("--reps", type=int, default=3, help="alternated runs of each variant")
    ap.add_argument("--mb", type=float, default=0.25, help="size of each big dump (MB)")
    args = ap.parse_args(argv)
    emb, model = StaticEmbedder.default(), semantic_model()
    minilm = OnnxMiniLMEmbedder(threads=1)
    # F1 reads vectors through the embedding cache (the same bits: one line a pass); the
    # speed runs below embed every line they time
    cached = CachedEmbedder(minilm)
    margin, dev_table = dev_margins(args.dev, emb, model, cached)
    print("\n".join(dev_table), flush=True)
    cascade.MARGIN = margin

    heldout = pools(SHARED)["heldout"]
    memo = Memo(cached)
    f1 = [
        "## Held-out boundary F1, full and cascade",
        "",
        f"`bench/bench_segments.py`'s rows ({args.heldout} dumps a row, reserved posts left out), "
        "`training/segments/heldout.py` evaluate: micro-averaged boundary P / R / F1 / WindowDiff. "
        f"Cascade: margin {margin}; its share of lines MiniLM embeds.",
        "",
        "| held-out dumps | fast | minilm full | minilm cascade | lines embedded |",
        "|---|---|---|---|---:|",
    ]
    for name, dumps in heldout_dumps(heldout, args.heldout).items():
        f = evaluate(dumps, emb, default_model())
        full = with_margin(math.inf, evaluate, dumps, emb, model, memo)
        counter = Counting(memo)
        cas = evaluate(dumps, emb, model, counter)
        nonblank = sum(1 for d in dumps for ln in d.lines if ln.strip())
        f1.append(
            f"| {name} | {format_scores(f)} | {format_scores(full)} | {format_scores(cas)} | "
            f"{counter.lines / nonblank:.0%} |"
        )
        print(f1[-1], flush=True)

    sets = heldout_dumps(heldout, args.rows)
    workloads = {
        f"held-out rows ({args.rows} dumps a row, each on its own)": [
            d.lines for dumps in sets.values() for d in dumps
        ]
    }
    for copied in (False, True):
        big = big_dump(heldout, args.mb * 1e6, copied)
        what = "a third copied from the X web app" if copied else "plain pastes"
        mb = sum(len(t.encode()) + 1 for t in big) / 1e6
        workloads[f"one dump of {mb:.2f} MB, each post once ({what})"] = [big]
    speed = [
        "# The minilm segmenter's speed: MiniLM only where the fast trees hesitate (issue 22)",
        "",
        f"{env_line()}. Lines are a dump's lines, blank ones included (as in "
        "`results_segments.md`). One core: one ONNX thread, lines per CPU second (user+sys), "
        f"median of {args.reps} runs each, full and cascade alternated in one process; models "
        f"loaded before. Cascade margin {margin} (chosen on dev dumps, below). Lines embedded: "
        "the share of non-blank lines MiniLM runs on.",
        "",
        "| input | lines | variant | lines embedded | lines/CPU s | gaps decided differently |",
        "|---|---:|---|---:|---:|---:|",
    ]
    for label, workload in workloads.items():
        n = sum(len(lines) for lines in workload)
        nonblank = sum(1 for lines in workload for t in lines if t.strip())
        variants = {"full (every line)": math.inf, f"cascade (margin {margin})": margin}
        cpu: dict[str, list[float]] = {}
        gaps: dict[str, list[float]] = {}
        counts: dict[str, int] = {}
        timed(workload[:2], minilm, emb, model)  # warm the session and the caches
        for _ in range(args.reps):
            for name, m in variants.items():
                counter = Counting(minilm)
                c, g = with_margin(m, timed, workload, counter, emb, model)
                cpu.setdefault(name, []).append(c)
                counts[name] = counter.lines
                if gaps.setdefault(name, g) != g:
                    raise SystemExit(f"{name}: gap probabilities moved between runs")
        a, b = (np.asarray(gaps[k]) for k in variants)
        thr = model.threshold
        moved = int(((a >= thr) != (b >= thr)).sum()) if len(a) == len(b) else -1
        for name in variants:
            speed.append(
                f"| {label} | {n:,} | {name} | {counts[name] / nonblank:.0%} | "
                f"{n / statistics.median(cpu[name]):,.0f} | "
                f"{'' if name.startswith('full') else f'{moved} of {len(a):,}'} |"
            )
        lookup = Lookup(minilm)
        with_margin(math.inf, timed, workload, lookup, emb, model)
        lookup.record = False
        floor = statistics.median(
            with_margin(math.inf, timed, workload, lookup, emb, model)[0] for _ in range(args.reps)
        )
        speed.append(f"| {label} | {n:,} | floor: vectors looked up | | {n / floor:,.0f} | |")
        print(speed[-3:], flush=True)
    write_results("minilm_segments", [*speed, "", *f1, "", *dev_table])


if __name__ == "__main__":
    main()
