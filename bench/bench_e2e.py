"""End to end: ``socialscan report`` on 100,000 real posts, beside ``socialscan parse`` of the
same input in the same invocation. Writes ``bench/results_e2e.md``.

Run: ``.venv/bin/python bench/bench_e2e.py [--posts 100000] [--runs 1]``.
"""

from __future__ import annotations

import argparse

from common import PY, SHARED, WORK, env_line, measure, write_results


def corpus(n: int):
    WORK.mkdir(parents=True, exist_ok=True)
    out = WORK / f"posts_{n}.txt"
    if not out.exists():
        lines: list[bytes] = []
        for p in sorted(SHARED.glob("tweeteval/**/*_text.txt")):
            lines += [ln for ln in p.read_bytes().splitlines() if ln.strip()]
        while len(lines) < n:
            lines += lines
        out.write_bytes(b"\n".join(lines[:n]) + b"\n")
    return out


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--posts", type=int, default=100_000)
    ap.add_argument("--runs", type=int, default=1)
    args = ap.parse_args()
    src = corpus(args.posts)
    ss = [PY, "-m", "socialscan"]
    html = str(WORK / "e2e.html")
    parse_t, parse_m = measure(
        [*ss, "parse", str(src), "--format", "lines", "-q", "-o", str(WORK / "e2e.jsonl")],
        args.runs,
    )
    rep_t, rep_m = measure([*ss, "report", str(src), "--format", "lines", "-o", html], args.runs)
    size = (WORK / "e2e.html").stat().st_size / 1e6
    lines = [
        "# End to end",
        "",
        f"{args.posts:,} TweetEval posts (one a line), median of {args.runs} fresh process(es); {env_line()}.",
        "",
        "| run | wall s | peak RSS MB | vs parse |",
        "|---|---:|---:|---:|",
        f"| `socialscan parse --format lines` (floor) | {parse_t:.1f} | {parse_m:.0f} | 1.00x |",
        f"| `socialscan report --format lines` (parse, tag, topics, HTML) | {rep_t:.1f} | {rep_m:.0f} | {rep_t / parse_t:.1f}x |",
        "",
        f"Report size: {size:.1f} MB. Goal: < 60 s and < 3 GB peak.",
    ]
    write_results("e2e", lines)


if __name__ == "__main__":
    main()
