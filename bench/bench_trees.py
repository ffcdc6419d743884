"""Two source trees side by side: every everyday command, timed on the same inputs in one run.

A refactor must not slow anything down. This runs each workload from a base checkout and from
this tree in alternation (base, this, base, this, ...), so both see the same load, and writes
the medians and their ratio to ``bench/results_trees.md``.

Run: ``.venv/bin/python bench/bench_trees.py --base /path/to/base/checkout [--runs 3]``
(the base checkout needs no install: it is put first on ``PYTHONPATH``).
"""

from __future__ import annotations

import argparse
import csv
import os
import statistics
import subprocess
from itertools import islice
from pathlib import Path

from common import PY, ROOT, SHARED, WORK, env_line, measure, write_results


def _reserved() -> dict[str, set[int]]:
    reserved: dict[str, set[int]] = {}
    for line in (SHARED / "RESERVED.tsv").read_text(encoding="utf-8").splitlines():
        if line.strip() and not line.startswith("#"):
            source, position = line.split("\t")[:2]
            reserved.setdefault(source, set()).add(int(position))
    return reserved


def inputs() -> dict[str, Path]:
    """Real posts in the shapes users bring, reserved rows left out."""
    WORK.mkdir(parents=True, exist_ok=True)
    reserved = _reserved()
    rows: list[list[str]] = []
    header: list[str] = []
    for region in ("Europe", "North America"):
        source = f"chatgpt-tweets/{region}.csv"
        with open(SHARED / source, newline="", encoding="utf-8") as handle:
            reader = csv.reader(handle)
            header = next(reader)
            skip = reserved.get(source, set())
            rows += [row for i, row in enumerate(islice(reader, 6000)) if i not in skip]
    paths = {"csv": WORK / "trees_posts.csv", "dump": WORK / "trees_dump.txt"}
    with open(paths["csv"], "w", newline="", encoding="utf-8") as out:
        writer = csv.writer(out)
        writer.writerow(header)
        writer.writerows(rows[:5000])
    text = header.index("Tweet")
    paths["dump"].write_text("\n".join(r[text] for r in rows[5000:8000]) + "\n", encoding="utf-8")
    small = WORK / "trees_dump_small.txt"
    small.write_text("\n".join(r[text] for r in rows[8000:8400]) + "\n", encoding="utf-8")
    paths["dump_small"] = small
    paths["lines"] = SHARED / "tweeteval" / "emoji" / "train_text.txt"
    paths["jsonl"] = SHARED / "twarc-jsonl" / "kpop.jsonl"
    paths["seed"] = ROOT / "corpora" / "seed_dump.txt"
    return paths


def workloads(p: dict[str, Path]) -> list[tuple[str, list[str]]]:
    out = str(WORK / "trees_out")
    quiet = [
        (
            "parse: raw dump, 3,000 posts (fast segmenter)",
            ["parse", str(p["dump"]), "-o", f"{out}.jsonl"],
        ),
        (
            "parse: raw dump, 400 posts (minilm segmenter)",
            ["parse", str(p["dump_small"]), "--segmenter", "minilm", "-o", f"{out}.jsonl"],
        ),
        ("parse: one post a line, 45,000 lines", ["parse", str(p["lines"]), "-o", f"{out}.jsonl"]),
        ("parse: twarc JSONL (kpop) to CSV", ["parse", str(p["jsonl"]), "-o", f"{out}.csv"]),
        ("parse: CSV, 5,000 posts", ["parse", str(p["csv"]), "-o", f"{out}.jsonl"]),
        ("tag: CSV, 5,000 posts", ["tag", str(p["csv"]), "-o", f"{out}.jsonl"]),
        ("topics: CSV, 5,000 posts", ["topics", str(p["csv"]), "-o", f"{out}.jsonl"]),
        ("scan --json: the seed", ["scan", str(p["seed"]), "--json"]),
        ("report: CSV, 5,000 posts", ["report", str(p["csv"]), "-o", f"{out}.html"]),
    ]
    return [(name, [*argv, "-q"]) for name, argv in quiet] + [("--help", ["--help"])]


def timed(tree: Path, argv: list[str]) -> tuple[float, float]:
    env = dict(os.environ, PYTHONPATH=str(tree), TQDM_DISABLE="1")
    return measure([PY, "-m", "socialscan", *argv], runs=1, env=env)


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--base", type=Path, help="a checkout of the base commit")
    ap.add_argument("--runs", type=int, default=3)
    ap.add_argument("--only", default="", help="run only the workloads whose name has this")
    args = ap.parse_args()
    if args.base is None:  # `make bench` runs every script bare: this one compares two trees
        print("bench_trees: nothing to compare without --base", flush=True)
        return
    base = args.base.resolve()
    commit = subprocess.run(
        ["git", "-C", str(base), "rev-parse", "--short", "HEAD"], capture_output=True, text=True
    ).stdout.strip()
    here = subprocess.run(
        ["git", "-C", str(ROOT), "rev-parse", "--short", "HEAD"], capture_output=True, text=True
    ).stdout.strip()
    paths = inputs()
    lines = [
        "# Before and after a refactor: the same commands from two trees",
        "",
        f"Base {commit} against this tree ({here}); {env_line()}; each row the median of "
        f"{args.runs} alternating runs (base, this, ...), fresh processes.",
        "",
        "| workload | base s | this s | this/base | base MB | this MB |",
        "|---|---:|---:|---:|---:|---:|",
    ]
    for name, argv in workloads(paths):
        if args.only not in name:
            continue
        runs = {"base": [], "this": []}
        peaks = {"base": 0.0, "this": 0.0}
        for _ in range(args.runs):
            for key, tree in (("base", base), ("this", ROOT)):
                seconds, peak = timed(tree, argv)
                runs[key].append(seconds)
                peaks[key] = max(peaks[key], peak)
        b, t = statistics.median(runs["base"]), statistics.median(runs["this"])
        lines.append(
            f"| {name} | {b:.2f} | {t:.2f} | {t / b:.2f}x | {peaks['base']:.0f} | {peaks['this']:.0f} |"
        )
        print(lines[-1], flush=True)
    write_results("trees", lines)


if __name__ == "__main__":
    main()
