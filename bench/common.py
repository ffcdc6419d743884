"""Helpers for benchmarks: run a command in a fresh process, measure wall time and peak RSS."""

from __future__ import annotations

import os
import re
import resource
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SHARED = ROOT.parent / "shared" / "data"
WORK = ROOT / "bench" / "work"
PY = sys.executable


def measure(
    cmd: list[str], runs: int = 3, stdout=subprocess.DEVNULL, env: dict[str, str] | None = None
) -> tuple[float, float]:
    """Median wall seconds and max peak RSS (MB) of ``cmd`` over ``runs`` fresh processes
    (``env``: their environment, default this one's)."""
    times, peaks = [], []
    for _ in range(runs):
        code = (
            "import resource, subprocess, sys, time\n"
            "t = time.perf_counter()\n"
            "r = subprocess.run(sys.argv[1:], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)\n"
            "dt = time.perf_counter() - t\n"
            "print(dt, resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024, r.returncode)\n"
        )
        out = subprocess.run(
            [PY, "-c", code, *cmd], capture_output=True, text=True, check=True, env=env
        ).stdout.split()
        if out[2] != "0":
            raise RuntimeError(f"{' '.join(cmd)} exited {out[2]}")
        times.append(float(out[0]))
        peaks.append(float(out[1]))
    return statistics.median(times), max(peaks)


def tweeteval_concat(times: int = 6) -> Path:
    """TweetEval's text files concatenated ``times`` times (~78 MB, ~931k lines for 6)."""
    WORK.mkdir(parents=True, exist_ok=True)
    out = WORK / f"tweeteval_x{times}.txt"
    if not out.exists():
        parts = sorted(SHARED.glob("tweeteval/**/*_text.txt"))
        data = b"".join(p.read_bytes() for p in parts)
        out.write_bytes(data * times)
    return out


def write_results(name: str, lines: list[str]) -> None:
    """Write bench/results_NAME.md; the notes sections ("## ...") of the previous file that the
    script does not write itself are kept after the new text (written by hand, they would be
    lost on every run)."""
    path = ROOT / "bench" / f"results_{name}.md"
    text = "\n".join(lines) + "\n"
    if path.exists():
        written = set(re.findall(r"(?m)^## .*$", text))
        for section in re.split(r"(?m)^(?=## )", path.read_text())[1:]:
            if section.splitlines()[0] not in written:
                text += "\n" + section.rstrip("\n") + "\n"
    path.write_text(text)
    print(text)


def env_line() -> str:
    return (
        f"machine: {os.cpu_count()} cores; python {sys.version.split()[0]}; "
        f"{time.strftime('%Y-%m-%d')}; load average at start {os.getloadavg()[0]:.1f}"
    )


_ = resource
