"""Speed of the accurate segmenter (``--segmenter minilm``, ``auto``'s choice up to 1 MB), HEAD's
embedding loop against this tree's, alternated in one process. Writes
``bench/results_minilm_segments.md``.

The inputs are the held-out dumps of ``bench/results_segments.md`` (no reserved post, no post a
training dump holds): every row's dumps segmented one by one, as the quality table reads them,
and two big dumps holding each held-out post once (see :func:`big_dump`), segmented as
``socialscan parse`` reads a file. Each variant runs on one core (one thread: its CPU time is
the per-line cost) and on both (``threads=2``, wall time), in turns ``before, after, before,
...`` so that both see the same load; the gap probabilities of both must be the same bits.

``before`` is the loop as it was at 3045f39 (kept below, frozen): every line runs the graph,
copies too. The floor row replaces MiniLM by a lookup of vectors computed in advance: what the
rest of the segmenter costs.

Run: ``.venv/bin/python bench/bench_minilm_segments.py [--rows N] [--reps R]``
"""

from __future__ import annotations

import argparse
import random
import statistics
import sys
import time
from collections.abc import Sequence
from concurrent.futures import ThreadPoolExecutor

import numpy as np
from common import ROOT, SHARED, env_line, write_results

sys.path.insert(0, str(ROOT))

from socialscan.embed.base import BaseEmbedder, normalize  # noqa: E402
from socialscan.embed.minilm_onnx import OnnxMiniLMEmbedder  # noqa: E402
from socialscan.embed.static import StaticEmbedder  # noqa: E402
from socialscan.segment.model import semantic_model  # noqa: E402
from socialscan.segment.segmenter import segment_lines  # noqa: E402
from training.segments.dumps import make_dump  # noqa: E402
from training.segments.heldout import heldout_dumps  # noqa: E402
from training.segments.pages import copied_timeline  # noqa: E402
from training.segments.sources import pools  # noqa: E402


class Before(BaseEmbedder):
    """HEAD's (3045f39) ``OnnxMiniLMEmbedder.embed`` on the same session: one run per line."""

    name, dim, contextual, fork_safe = "minilm-onnx", 384, True, False

    def __init__(self, inner: OnnxMiniLMEmbedder, threads: int):
        self.inner, self.threads = inner, threads

    def embed(self, texts: Sequence[str]) -> np.ndarray:
        out = np.zeros((len(texts), self.dim), dtype=np.float32)
        if len(texts) == 0:
            return out
        ids = [e.ids for e in self.inner.tokenizer.encode_batch(list(texts))]
        lengths = np.fromiter((len(i) for i in ids), dtype=np.int64, count=len(ids))
        order = np.argsort(-lengths, kind="stable")
        batches = [order[s : s + 1] for s in range(len(order))]

        def run(rows: np.ndarray) -> None:
            width = int(lengths[rows[0]])
            tok = np.zeros((len(rows), width), dtype=np.int64)
            mask = np.zeros((len(rows), width), dtype=np.int64)
            for r, i in enumerate(rows):
                tok[r, : lengths[i]] = ids[i]
                mask[r, : lengths[i]] = 1
            out[rows] = self.inner.session.run(None, {"ids": tok, "mask": mask})[0]

        if self.threads == 1 or len(batches) == 1:
            for rows in batches:
                run(rows)
        else:
            with ThreadPoolExecutor(self.threads) as pool:
                list(pool.map(run, batches))
        return normalize(out)


class After(BaseEmbedder):
    """This tree's embedder on the same session, with ``threads`` threads."""

    name, dim, contextual, fork_safe = "minilm-onnx", 384, True, False

    def __init__(self, inner: OnnxMiniLMEmbedder, threads: int):
        self.inner, self.threads = inner, threads

    def embed(self, texts: Sequence[str]) -> np.ndarray:
        self.inner.threads = self.threads
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


def timed(workload: list[list[str]], ctx, emb, model) -> tuple[float, float, list[float]]:
    gaps: list[float] = []
    cpu, wall = time.process_time(), time.perf_counter()
    for lines in workload:
        for _ in segment_lines(
            iter(enumerate(lines, 1)),
            emb,
            model,
            contextual=ctx,
            on_gap=lambda n, p: gaps.append(p),
        ):
            pass
    return time.process_time() - cpu, time.perf_counter() - wall, gaps


def main(argv: list[str] | None = None) -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--rows", type=int, default=3, help="dumps per held-out row")
    ap.add_argument("--reps", type=int, default=2, help="alternated runs of each variant")
    ap.add_argument("--mb", type=float, default=0.5, help="size of each big dump (MB)")
    args = ap.parse_args(argv)
    emb, model = StaticEmbedder.default(), semantic_model()
    inner = OnnxMiniLMEmbedder(threads=1)
    heldout = pools(SHARED)["heldout"]
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
    table = [
        "# The minilm segmenter's speed (issue 22)",
        "",
        f"{env_line()}. Lines are a dump's lines, blank ones included (as in "
        "`results_segments.md`). One core: `threads=1`, lines per CPU second (user+sys). Both "
        "cores: `threads=2`, lines per wall second and per CPU second. Median of "
        f"{args.reps} runs each, variants alternated; models loaded before.",
        "",
        "| input | lines | distinct lines | variant | one core, lines/CPU s | both cores, "
        "lines/wall s (lines/CPU s) | gap probabilities |",
        "|---|---:|---:|---|---:|---:|---|",
    ]
    for label, workload in workloads.items():
        n = sum(len(lines) for lines in workload)
        distinct = sum(len({t for t in lines if t.strip()}) for lines in workload)
        variants = {
            "before (3045f39)": lambda k: Before(inner, k),
            "after (this tree)": lambda k: After(inner, k),
        }
        runs: dict[tuple[str, int], list[tuple[float, float]]] = {}
        probs: dict[str, list[float]] = {}
        timed(workload[:2], After(inner, 1), emb, model)  # warm the session and the caches
        for _ in range(args.reps):
            for name, make in variants.items():
                for k in (1, 2):
                    cpu, wall, gaps = timed(workload, make(k), emb, model)
                    runs.setdefault((name, k), []).append((cpu, wall))
                    if probs.setdefault(name, gaps) != gaps:
                        raise SystemExit(f"{name}: gap probabilities moved between runs")
        same = "same bits" if probs["after (this tree)"] == probs["before (3045f39)"] else "DIFFER"
        for name in variants:
            cpu1 = statistics.median(c for c, _ in runs[(name, 1)])
            cpu2 = statistics.median(c for c, _ in runs[(name, 2)])
            wall2 = statistics.median(w for _, w in runs[(name, 2)])
            table.append(
                f"| {label} | {n:,} | {distinct:,} | {name} | {n / cpu1:,.0f} | "
                f"{n / wall2:,.0f} ({n / cpu2:,.0f}) | {same} |"
            )
        lookup = Lookup(inner)
        timed(workload, lookup, emb, model)
        lookup.record = False
        cpu = statistics.median(timed(workload, lookup, emb, model)[0] for _ in range(args.reps))
        table.append(
            f"| {label} | {n:,} | {distinct:,} | floor: vectors looked up | {n / cpu:,.0f} | | |"
        )
    table += [
        "",
        "Both cores through worker processes (issue 22's dump pool) are not in this table: "
        "they had not landed when it was written.",
    ]
    write_results("minilm_segments", table)


if __name__ == "__main__":
    main()
