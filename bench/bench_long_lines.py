"""What one huge post costs: ``socialscan scan --report`` on files of very long lines, beside
the same command on the bundled seed in the same invocation. Writes
``bench/results_long_lines.md``.

Every stage reads at most ``socialscan.records.ANALYSED_CHARS`` characters of a record, so the
peak memory should stay near the seed's whatever the line lengths (goal: under ~1 GB).

Run: ``.venv/bin/python bench/bench_long_lines.py [--runs 1]``.
"""

from __future__ import annotations

import argparse
import random

from common import PY, ROOT, WORK, env_line, measure, write_results


def inputs() -> dict[str, object]:
    """The odd files, built once under bench/work (deterministic)."""
    WORK.mkdir(parents=True, exist_ok=True)
    rng = random.Random(7)
    vocab = [
        "".join(rng.choices("abcdefghijklmnopqrstuvwxyz", k=rng.randint(2, 9))) for _ in range(5000)
    ]
    made = {
        "one 10 MB line of words": ("words10mb.txt", lambda: " ".join(rng.choices(vocab, k=1_700_000))),
        "one 12 MB line, no spaces": ("nospace12mb.txt", lambda: "".join(rng.choices("abcdefghij", k=12_000_000))),
        "100 lines of 100 KB": ("lines100x100kb.txt", lambda: "\n".join(" ".join(rng.choices(vocab, k=17_000)) for _ in range(100))),
        "a 1,000-letter run": ("run1000.txt", lambda: "a" * 1000),
    }  # fmt: skip
    out: dict[str, object] = {"seed (baseline)": ROOT / "corpora" / "seed_dump.txt"}
    for label, (name, build) in made.items():
        path = WORK / name
        if not path.exists():
            path.write_text(build() + "\n")
        out[label] = path
    return out


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--runs", type=int, default=1)
    args = ap.parse_args()
    rows, base = [], None
    for label, path in inputs().items():
        cmd = [PY, "-m", "socialscan", "scan", str(path), "-q", "--report", str(WORK / "long.html")]
        t, m = measure(cmd, args.runs)
        base = base or (t, m)
        size = path.stat().st_size / 1e6
        rows.append(
            f"| {label} | {size:.1f} | {t:.1f} | {m:.0f} | {t / base[0]:.1f}x | {m / base[1]:.1f}x |"
        )
    write_results(
        "long_lines",
        [
            "# Long lines",
            "",
            f"`socialscan scan FILE --report` in fresh processes (median of {args.runs}); {env_line()}.",
            "",
            "| input | MB | wall s | peak RSS MB | time vs seed | memory vs seed |",
            "|---|---:|---:|---:|---:|---:|",
            *rows,
            "",
            "Before the bound (issue 20): the 10 MB line took 121 s and 6.9 GB.",
        ],
    )


if __name__ == "__main__":
    main()
