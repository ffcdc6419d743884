"""Boundary quality of the shipped segmenter on held-out synthetic dumps, beside the
line-per-post baseline, plus segmentation speed. Writes ``bench/results_segments.md``.

Held-out dumps are built from tweets the model never saw (chatgpt-tweets North America and
Oceania, all twarc samples, TweetEval test splits); see ``socialscan/segment/synth.py``.
"""

from __future__ import annotations

import sys
import time

from common import ROOT, SHARED, env_line, write_results

sys.path.insert(0, str(ROOT))

from socialscan.embed.static import StaticEmbedder  # noqa: E402
from socialscan.segment.model import default_model  # noqa: E402
from socialscan.segment.segmenter import segment_lines  # noqa: E402
from socialscan.segment.synth import blank_separated, make_dumps, pools  # noqa: E402
from socialscan.segment.train import evaluate, format_scores  # noqa: E402


def main(n: int = 80) -> None:
    emb = StaticEmbedder.default()
    model = default_model()
    he = pools(SHARED)["heldout"]
    sets = {
        "chatgpt-tweets (North America, Oceania)": list(make_dumps(he["chatgpt"], n, 101, "c")),
        "twarc samples": list(make_dumps(he["twarc"], n, 102, "t")),
        "TweetEval test (one-line posts)": list(make_dumps(he["tweeteval"], n, 103, "e")),
        "mixed": list(
            make_dumps(he["chatgpt"] + he["twarc"] + he["tweeteval"][:2000], n, 104, "m")
        ),
    }
    # the same chatgpt and twarc posts pasted with a blank line between each two
    sets["blank-separated (chatgpt, twarc)"] = [
        blank_separated(d) for key in list(sets)[:2] for d in sets[key]
    ]
    lines = [
        "# Segmentation quality (held-out synthetic dumps)",
        "",
        f"Threshold {model.threshold}; {n} dumps of 20-60 posts per row; micro-averaged boundary "
        f"precision / recall / F1 and mean WindowDiff; {env_line()}.",
        "",
        "| held-out dumps | posts | baseline (line per post) P / R / F1 / WD | socialscan P / R / F1 / WD |",
        "|---|---:|---|---|",
    ]
    total_lines = 0
    t = time.perf_counter()
    for name, dumps in sets.items():
        b, m = evaluate(dumps, emb, None), evaluate(dumps, emb, model)
        posts = sum(len(d.spans) for d in dumps)
        total_lines += sum(len(d.lines) for d in dumps)
        lines.append(f"| {name} | {posts:,} | {format_scores(b)} | {format_scores(m)} |")
    seed = (ROOT / "corpora" / "seed_dump.txt").read_text().splitlines()
    units = [(s[0][0], s[-1][0]) for s, _ in segment_lines(iter(enumerate(seed, 1)), emb, model)]
    lines += ["", f"Seed corpus units: {units}", ""]
    lines.append(
        f"Scoring all rows took {time.perf_counter() - t:.1f} s for {total_lines:,} lines (both runs)."
    )
    write_results("segments", lines)


if __name__ == "__main__":
    main()
