"""Boundary quality of the shipped segmenters on held-out synthetic dumps, beside the
line-per-post baseline, plus segmentation speed. Writes ``bench/results_segments.md``.

Held-out dumps are built from tweets the models never saw (chatgpt-tweets North America and
Oceania, the held-out half of the twarc samples, TweetEval test splits); see
``training/segments/``. One row holds
the same text several times in a row, each copy a post (notices, copies, a bot's replies, links
posted twice: ``training/segments/repeats.py``), as real timelines do. Both
models are scored on the same dumps in the same run: ``fast`` (layout and static vectors) and
``minilm`` (the same and MiniLM's contextual vectors).
"""

from __future__ import annotations

import sys
import time

from common import ROOT, SHARED, env_line, write_results

sys.path.insert(0, str(ROOT))

from socialscan.embed.minilm_onnx import OnnxMiniLMEmbedder  # noqa: E402
from socialscan.embed.static import StaticEmbedder  # noqa: E402
from socialscan.segment.model import default_model, semantic_model  # noqa: E402
from socialscan.segment.segmenter import segment_lines  # noqa: E402
from training.segments.heldout import evaluate, format_scores, heldout_dumps  # noqa: E402
from training.segments.sources import pools  # noqa: E402


def main(n: int = 80) -> None:
    emb = StaticEmbedder.default()
    minilm = OnnxMiniLMEmbedder.default()
    fast, accurate = default_model(), semantic_model()
    sets = heldout_dumps(pools(SHARED)["heldout"], n)
    lines = [
        "# Segmentation quality (held-out synthetic dumps)",
        "",
        f"Thresholds {fast.threshold} (fast) and {accurate.threshold} (minilm); {n} dumps of "
        "20-60 posts per row (160 for blank-separated); micro-averaged boundary precision / "
        f"recall / F1 and mean WindowDiff; {env_line()}.",
        "",
        "| held-out dumps | posts | baseline (line per post) P / R / F1 / WD | fast P / R / F1 / WD | minilm P / R / F1 / WD |",
        "|---|---:|---|---|---|",
    ]
    timing = {"fast": 0.0, "minilm": 0.0}
    total_lines = 0
    for name, dumps in sets.items():
        b = evaluate(dumps, emb, None)
        t = time.perf_counter()
        f = evaluate(dumps, emb, fast)
        timing["fast"] += time.perf_counter() - t
        t = time.perf_counter()
        m = evaluate(dumps, emb, accurate, minilm)
        timing["minilm"] += time.perf_counter() - t
        posts = sum(len(d.spans) for d in dumps)
        total_lines += sum(len(d.lines) for d in dumps)
        lines.append(
            f"| {name} | {posts:,} | {format_scores(b)} | {format_scores(f)} | {format_scores(m)} |"
        )
    seed = (ROOT / "corpora" / "seed_dump.txt").read_text().splitlines()
    lines.append("")
    for label, model, ctx in (("fast", fast, None), ("minilm", accurate, minilm)):
        units = [
            (s[0][0], s[-1][0])
            for s, _ in segment_lines(iter(enumerate(seed, 1)), emb, model, contextual=ctx)
        ]
        lines.append(f"Seed corpus units ({label}): {units}")
    lines += [
        "",
        f"Segmenting all rows ({total_lines:,} lines): fast {timing['fast']:.1f} s "
        f"({total_lines / timing['fast']:,.0f} lines/s), minilm {timing['minilm']:.1f} s "
        f"({total_lines / timing['minilm']:,.0f} lines/s), both on 2 cores, models loaded.",
    ]
    write_results("segments", lines)  # keeps the notes below the table (changes, variants tried)


if __name__ == "__main__":
    main()
