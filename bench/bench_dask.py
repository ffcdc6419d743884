"""--engine dask against the single-process path, in the same invocation.

100,000 TweetEval lines (``tweeteval/*/*_text.txt`` concatenated), ``--format lines``:
``socialscan parse`` and ``socialscan tag`` with the local engine (one process, writing one
Parquet file) and with ``--engine dask`` (a LocalCluster of 2 single-threaded worker processes,
writing a Parquet dataset), each in fresh processes; median of 3 runs. Writes
``bench/results_dask.md``.

    .venv/bin/python bench/bench_dask.py
"""

from __future__ import annotations

import os
import shutil
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bench.common import SHARED, WORK, env_line, measure, write_results  # noqa: E402

N_LINES = 100_000
RUNS = 3


def corpus() -> Path:
    WORK.mkdir(parents=True, exist_ok=True)
    out = WORK / f"tweeteval_{N_LINES // 1000}k.txt"
    if not out.exists():
        lines: list[bytes] = []
        for p in sorted(SHARED.glob("tweeteval/*/*_text.txt")):
            lines += p.read_bytes().splitlines()
        out.write_bytes(b"\n".join((lines * 2)[:N_LINES]) + b"\n")
    return out


def main() -> None:
    src = corpus()
    load_before = os.getloadavg()[0]
    exe = str(Path(sys.executable).with_name("socialscan"))
    n = sum(1 for line in src.read_bytes().splitlines() if line.strip())
    rows = []
    for cmd in ("parse", "tag"):
        local_out = WORK / f"dask_bench_{cmd}.parquet"
        dask_out = WORK / f"dask_bench_{cmd}.d"
        base = [exe, cmd, str(src), "--format", "lines", "-q"]
        t_local, rss_local = measure([*base, "-o", str(local_out)], runs=RUNS)
        t_dask, rss_dask = measure([*base, "--engine", "dask", "-o", str(dask_out)], runs=RUNS)
        rows.append((cmd, t_local, rss_local, t_dask, rss_dask))
        local_out.unlink(missing_ok=True)
        shutil.rmtree(dask_out, ignore_errors=True)
    load_after = os.getloadavg()[0]
    lines = [
        "# --engine dask vs one process",
        "",
        env_line(),
        f"1-minute load average before/after: {load_before:.1f}/{load_after:.1f} (2 cores: above ~0.5 "
        "another job shares the CPUs, and two workers cannot both get a core)",
        f"input: {n:,} TweetEval posts, one a line ({src.stat().st_size / 1e6:.1f} MB), "
        f"--format lines; median of {RUNS} fresh runs each; dask = LocalCluster(2 workers x 1 "
        "thread, processes), default partitioning (the file is cut in 2, one piece a worker)",
        "",
        "| command | local s | dask s | dask / local | local peak MB | dask peak MB (one process) |",
        "|---|---|---|---|---|---|",
    ]
    for cmd, tl, rl, td, rd in rows:
        lines.append(f"| {cmd} | {tl:.1f} | {td:.1f} | {td / tl:.2f}x | {rl:.0f} | {rd:.0f} |")
    lines += [
        "",
        "dask / local below 1 is a speed-up. The dask column includes starting the cluster "
        "(~1-2 s), importing socialscan and building the claim tagger in each worker, and "
        "moving records between processes. Peak MB is the largest single process (the client "
        "or one worker), not the sum.",
    ]
    write_results("dask", lines)


if __name__ == "__main__":
    main()
