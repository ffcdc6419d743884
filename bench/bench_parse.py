"""Parse throughput and memory against a minimal per-line JSONL writer, same invocation.

Run: ``.venv/bin/python bench/bench_parse.py [--times 6] [--runs 3]``. Writes
``bench/results_parse.md``.
"""

from __future__ import annotations

import argparse
import sys

from common import PY, ROOT, WORK, env_line, measure, tweeteval_concat, write_results

FLOOR = r"""
import json, sys
with open(sys.argv[1], encoding="utf-8", errors="replace") as f, open(sys.argv[2], "w") as out:
    for n, line in enumerate(f, 1):
        line = line.rstrip("\n")
        if line.strip():
            out.write(json.dumps({"line": n, "text": line}) + "\n")
"""


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--times", type=int, default=6)
    ap.add_argument("--runs", type=int, default=3)
    ap.add_argument(
        "--dump-lines", type=int, default=200_000, help="lines for the (slower) dump segmenter run"
    )
    args = ap.parse_args()
    data = tweeteval_concat(args.times)
    size_mb = data.stat().st_size / 1e6
    n_lines = sum(1 for _ in data.open("rb"))
    dump = WORK / f"dump_{args.dump_lines}.txt"
    with data.open("rb") as src, dump.open("wb") as dst:
        for i, line in enumerate(src):
            if i >= args.dump_lines:
                break
            dst.write(line)
    out = str(WORK / "out.jsonl")
    ss = [PY, "-m", "socialscan"]
    rows = []
    floor_t, floor_m = measure([PY, "-c", FLOOR, str(data), out], args.runs)
    wc_t, wc_m = measure(["wc", "-l", str(data)], args.runs)
    lines_t, lines_m = measure(
        [*ss, "parse", str(data), "--format", "lines", "-q", "-o", out], args.runs
    )
    fdump_t, fdump_m = measure([PY, "-c", FLOOR, str(dump), out], args.runs)
    dump_t, dump_m = measure(
        [*ss, "parse", str(dump), "--format", "dump", "-q", "-o", out], args.runs
    )
    rows.append(("`wc -l`", n_lines, wc_t, wc_m, wc_t / floor_t))
    rows.append(("floor: per-line JSONL writer (Python)", n_lines, floor_t, floor_m, 1.0))
    rows.append(("`socialscan parse --format lines`", n_lines, lines_t, lines_m, lines_t / floor_t))
    rows.append(
        (f"floor on the first {args.dump_lines:,} lines", args.dump_lines, fdump_t, fdump_m, 1.0)
    )
    rows.append(
        (
            "`socialscan parse --format dump` (segmenter) on them",
            args.dump_lines,
            dump_t,
            dump_m,
            dump_t / fdump_t,
        )
    )
    lines = [
        "# Parse benchmark",
        "",
        f"Input: TweetEval text files concatenated {args.times}x ({size_mb:.0f} MB, {n_lines:,} lines); "
        f"median of {args.runs} fresh processes; {env_line()}.",
        "",
        "| run | lines | wall s | peak RSS MB | time vs floor | lines/s |",
        "|---|---:|---:|---:|---:|---:|",
    ]
    for name, n, t, m, r in rows:
        lines.append(f"| {name} | {n:,} | {t:.2f} | {m:.0f} | {r:.2f}x | {n / t:,.0f} |")
    write_results("parse", lines)


if __name__ == "__main__":
    sys.path.insert(0, str(ROOT))
    main()
