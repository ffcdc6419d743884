"""Parse throughput and memory against a minimal per-line JSONL writer, same invocation.

Run: ``.venv/bin/python bench/bench_parse.py [--times 6] [--runs 3] [--no-before]``. Writes
``bench/results_parse.md``. Each command runs in a fresh process; wall time is the median of
``--runs``; memory is the peak of the whole process tree (parent and forked workers summed,
sampled every 20 ms) and the peak of its largest single process.
"""

from __future__ import annotations

import argparse
import os
import re
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

from common import PY, ROOT, WORK, env_line, tweeteval_concat, write_results

FLOOR = r"""
import json, sys
with open(sys.argv[1], encoding="utf-8", errors="replace") as f, open(sys.argv[2], "w") as out:
    for n, line in enumerate(f, 1):
        line = line.rstrip("\n")
        if line.strip():
            out.write(json.dumps({"line": n, "text": line}) + "\n")
"""

# the path the CLI took before blocks and workers: a Post per line, a dict per Post, orjson
POSTS = r"""
import sys
from socialscan.api import iter_parse
from socialscan.export import write_records
from socialscan.records import COLUMNS
recs = (p.to_dict() for p in iter_parse(sys.argv[1], format="lines"))
write_records(recs, sys.argv[2], to="jsonl", columns=COLUMNS)
"""

ONE_PROCESS = r"""
import sys
from socialscan.api import parse_to
parse_to(sys.argv[1], sys.argv[2], format="lines", workers=1)
"""


# a raw dump on one process and on both cores (the segmenter in pieces, readers/dump_pool.py)
DUMP = r"""
import sys
from socialscan.api import parse_to
parse_to(sys.argv[1], sys.argv[2], format="dump", workers=int(sys.argv[3]), segmenter=sys.argv[4])
"""


def chatgpt_dump(path: Path, n_lines: int) -> Path:
    """Real multi-line ChatGPT-era tweets (reserved ones left out) pasted one after another,
    a blank line after about half, cycled to ``n_lines`` lines; written once."""
    if path.exists():
        return path
    import random

    from training.segments.sources import chatgpt_posts

    posts = chatgpt_posts(
        sorted((ROOT.parent / "shared" / "data" / "chatgpt-tweets").glob("*.csv"))
    )
    rng = random.Random(5)
    out: list[str] = []
    i = 0
    while len(out) < n_lines:
        out.extend(posts[i % len(posts)].splitlines())
        if rng.random() < 0.5:
            out.append("")
        i += 1
    path.write_text("\n".join(out[:n_lines]) + "\n", encoding="utf-8")
    return path


def _tree_rss_mb(pid: int) -> float:
    """Proportional set size (PSS: shared pages split between sharers) of ``pid`` and its
    descendants, in MB: forked workers share the parent's pages, so summing RSS would count
    them once per process."""
    children: dict[int, list[int]] = {}
    rss: dict[int, int] = {}
    for d in Path("/proc").iterdir():
        if not d.name.isdigit():
            continue
        try:
            stat = (d / "stat").read_text()
        except OSError:
            continue
        ppid = int(stat.rsplit(")", 1)[1].split()[1])
        children.setdefault(ppid, []).append(int(d.name))
    total, todo = 0, [pid]
    while todo:
        p = todo.pop()
        try:
            smaps = Path(f"/proc/{p}/smaps_rollup").read_text()
        except OSError:
            smaps = ""
        for line in smaps.splitlines():
            if line.startswith("Pss:"):
                rss[p] = int(line.split()[1])
        total += rss.get(p, 0)
        todo += children.get(p, [])
    return total / 1024


def measure(cmd: list[str], runs: int) -> dict[str, float]:
    """Median wall and CPU seconds (user + system, workers included), peak tree memory and the
    highest load average around ``runs`` fresh runs."""
    times, cpus, trees, loads = [], [], [], []
    for _ in range(runs):
        loads.append(os.getloadavg()[0])
        with tempfile.TemporaryFile() as err:
            t = time.perf_counter()
            proc = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=err)
            peak = [0.0]
            done = threading.Event()

            def sample(pid=proc.pid, peak=peak, done=done) -> None:
                while not done.is_set():
                    peak[0] = max(peak[0], _tree_rss_mb(pid))
                    time.sleep(0.02)

            th = threading.Thread(target=sample)
            th.start()
            _, status, ru = os.wait4(proc.pid, 0)  # ru covers the workers it reaped too
            times.append(time.perf_counter() - t)
            done.set()
            th.join()
            proc.returncode = os.waitstatus_to_exitcode(status)
            if proc.returncode:
                err.seek(0)
                raise RuntimeError(
                    f"{' '.join(cmd)} exited {proc.returncode}: {err.read()[-500:]!r}"
                )
        cpus.append(ru.ru_utime + ru.ru_stime)
        trees.append(peak[0])
        loads.append(os.getloadavg()[0])
    return {
        "t": statistics.median(times),
        "cpu": statistics.median(cpus),
        "tree": max(trees),
        "load": max(loads),
    }


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--times", type=int, default=6)
    ap.add_argument("--runs", type=int, default=3)
    ap.add_argument(
        "--dump-lines", type=int, default=100_000, help="lines for the (slower) dump segmenter run"
    )
    ap.add_argument("--no-before", action="store_true", help="skip the Post-by-Post path")
    ap.add_argument(
        "--chatgpt-lines", type=int, default=100_000, help="lines of the multi-line chatgpt dump"
    )
    ap.add_argument(
        "--minilm-lines", type=int, default=10_000, help="lines of that dump for minilm (0: none)"
    )
    ap.add_argument(
        "--big-lines", type=int, default=0, help="lines of a big dump for memory (0: none)"
    )
    ap.add_argument("--dump-only", action="store_true", help="only the chatgpt dump rows")
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

    def add(name: str, n: int, ms: list[dict[str, float]], bases: list[dict[str, float]] | None):
        """A row from per-round measurements; ratios are medians of per-round ratios."""
        m = {
            "t": statistics.median(x["t"] for x in ms),
            "cpu": statistics.median(x["cpu"] for x in ms),
            "tree": max(x["tree"] for x in ms),
            "load": max(x["load"] for x in ms),
        }
        if bases:
            r = statistics.median(x["t"] / b["t"] for x, b in zip(ms, bases, strict=False))
            c = statistics.median(x["cpu"] / b["cpu"] for x, b in zip(ms, bases, strict=False))
        else:
            r = c = 1.0
        rows.append((name, n, m, r, c))
        print(f"{name}: {m['t']:.2f} s, {r:.2f}x, cpu {c:.2f}x, load {m['load']:.1f}", flush=True)

    # the main rows run interleaved, round by round, so each round's ratios share one load
    main_rows = [
        ("floor: per-line JSONL writer (Python)", [PY, "-c", FLOOR, str(data), out]),
        ("`wc -l`", ["wc", "-l", str(data)]),
        (
            "blocks, one process (`parse_to(..., workers=1)`)",
            [PY, "-c", ONE_PROCESS, str(data), out],
        ),
        (
            "`socialscan parse --format lines` (blocks, both cores)",
            [*ss, "parse", str(data), "--format", "lines", "-q", "-o", out],
        ),
    ]
    if not args.no_before:
        main_rows.insert(
            2,
            (
                "Post-by-Post path (`iter_parse` + `write_records`, the CLI before)",
                [PY, "-c", POSTS, str(data), out],
            ),
        )
    if args.dump_only:
        main_rows = []
    # the chatgpt dump: the floor, one process and both cores, interleaved round by round
    cg = chatgpt_dump(WORK / f"chatgpt_dump_{args.chatgpt_lines}.txt", args.chatgpt_lines)
    cg_mb = cg.stat().st_size / 1e6
    dump_rows = [
        (f"floor on a chatgpt dump ({cg_mb:.1f} MB)", [PY, "-c", FLOOR, str(cg), out]),
        ("dump, fast, one process", [PY, "-c", DUMP, str(cg), out, "1", "fast"]),
        (
            "`socialscan parse` of the dump, fast, both cores",
            [*ss, "parse", str(cg), "--format", "dump", "--segmenter", "fast", "-q", "-o", out],
        ),
    ]
    if args.minilm_lines:
        mini = chatgpt_dump(WORK / f"chatgpt_dump_{args.minilm_lines}.txt", args.minilm_lines)
        mb = mini.stat().st_size / 1e6
        dump_rows += [
            (
                f"floor on {args.minilm_lines:,} lines of it ({mb:.1f} MB)",
                [PY, "-c", FLOOR, str(mini), out],
            ),
            ("dump, minilm, one process", [PY, "-c", DUMP, str(mini), out, "1", "minilm"]),
            ("dump, minilm, both cores", [PY, "-c", DUMP, str(mini), out, "2", "minilm"]),
        ]
    dump_n = {name: args.chatgpt_lines for name, _ in dump_rows[:3]}
    dump_n.update({name: args.minilm_lines for name, _ in dump_rows[3:]})
    dump_rounds: dict[str, list[dict[str, float]]] = {name: [] for name, _ in dump_rows}
    for _ in range(args.runs):
        for name, cmd in dump_rows:
            dump_rounds[name].append(measure(cmd, 1))
    dump_table = []
    for name, _ in dump_rows:
        base = dump_rows[0][0] if name in dict(dump_rows[:3]) else dump_rows[3][0]
        ms = dump_rounds[name]
        bases = None if name == base else dump_rounds[base]
        m = {k: statistics.median(x[k] for x in ms) for k in ("t", "cpu")}
        m["tree"] = max(x["tree"] for x in ms)
        m["load"] = max(x["load"] for x in ms)
        r = (
            statistics.median(x["t"] / b["t"] for x, b in zip(ms, bases, strict=False))
            if bases
            else 1.0
        )
        c = (
            statistics.median(x["cpu"] / b["cpu"] for x, b in zip(ms, bases, strict=False))
            if bases
            else 1.0
        )
        n = dump_n[name]
        size = (cg if n == args.chatgpt_lines else mini).stat().st_size / 1e6
        dump_table.append(
            f"| {name} | {n:,} | {m['t']:.2f} | {r:.2f}x | {m['cpu']:.1f} | {c:.2f}x | "
            f"{m['tree']:.0f} | {n / m['t']:,.0f} | {size / m['t']:.2f} | {m['load']:.1f} |"
        )
        print(dump_table[-1], flush=True)
    if args.big_lines:
        big = chatgpt_dump(WORK / f"chatgpt_dump_{args.big_lines}.txt", args.big_lines)
        mb = big.stat().st_size / 1e6
        m = measure(
            [*ss, "parse", str(big), "--format", "dump", "--segmenter", "fast", "-q", "-o", out], 1
        )
        dump_table.append(
            f"| `socialscan parse` of a {mb:.0f} MB dump (those posts cycled), fast, both cores "
            f"| {args.big_lines:,} | {m['t']:.2f} | | {m['cpu']:.1f} | | {m['tree']:.0f} | "
            f"{args.big_lines / m['t']:,.0f} | {mb / m['t']:.2f} | {m['load']:.1f} |"
        )
        print(dump_table[-1], flush=True)
    if args.dump_only:  # the section replaced in results_parse.md, the rest kept
        path = ROOT / "bench" / "results_parse.md"
        section = "\n".join(_dump_section(dump_table, args, env_line())) + "\n\n"
        parts = re.split(r"(?m)^(?=## )", path.read_text())
        title = section.splitlines()[0]
        if any(x.startswith(title) for x in parts):
            parts = [section if x.startswith(title) else x for x in parts]
        else:
            parts.insert(1, section)
        path.write_text("".join(parts).rstrip("\n") + "\n")
        return
    rounds: dict[str, list[dict[str, float]]] = {name: [] for name, _ in main_rows}
    for k in range(args.runs):
        for name, cmd in main_rows:
            if name.startswith("Post-by-Post") and k:
                continue  # ~40 s a run: one round is enough to show the before
            rounds[name].append(measure(cmd, 1))
    floor_ms = rounds[main_rows[0][0]]
    for name, _ in main_rows:
        add(name, n_lines, rounds[name], None if name == main_rows[0][0] else floor_ms)
    fdump = [measure([PY, "-c", FLOOR, str(dump), out], 1)]
    add(f"floor on the first {args.dump_lines:,} lines", args.dump_lines, fdump, None)
    dump_m = [measure([*ss, "parse", str(dump), "--format", "dump", "-q", "-o", out], 1)]
    add("`socialscan parse --format dump` (segmenter) on them", args.dump_lines, dump_m, fdump)
    floors = [x["t"] for x in floor_ms]
    lines = [
        "# Parse benchmark",
        "",
        f"Input: TweetEval text files concatenated {args.times}x ({size_mb:.0f} MB, {n_lines:,} lines); "
        f"{args.runs} rounds of fresh processes, the main rows interleaved within a round (1 run for "
        f"the Post-by-Post and dump rows); medians; {env_line()}. "
        "CPU is user + system seconds of the process and its workers: less sensitive to load than "
        "wall time, it shows the work done. Peak memory is the whole process tree's PSS (parent + "
        "workers, shared pages split between them; sampled every 20 ms). Load is "
        "the highest 1-minute load average seen around a row's runs: on 2 cores, above ~2 means "
        "other jobs took CPU from this one and wall times (the both-cores row most) are inflated.",
        "",
        "| run | lines | wall s | time vs floor | CPU s | CPU vs floor | peak MB (tree PSS) | lines/s | load |",
        "|---|---:|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for name, n, m, r, c in rows:
        lines.append(
            f"| {name} | {n:,} | {m['t']:.2f} | {r:.2f}x | {m['cpu']:.1f} | {c:.2f}x | "
            f"{m['tree']:.0f} | {n / m['t']:,.0f} | {m['load']:.1f} |"
        )
    wc = next(m["t"] for name, _, m, *_ in rows if name == "`wc -l`")
    cli = next(
        m["t"] for name, _, m, *_ in rows if name.startswith("`socialscan parse --format lines`")
    )
    one = next(m for name, _, m, *_ in rows if name.startswith("blocks, one process"))
    floor_cpu = statistics.median(x["cpu"] for x in floor_ms)
    us_line = one["cpu"] / n_lines * 1e6
    lines += [
        "",
        f"The floor's own runs spread from {min(floors):.2f} s to {max(floors):.2f} s (same "
        "command, minutes apart): the machine is shared, so read the ratios, each taken within "
        "one round, not the seconds.",
        "",
        "## How far from `wc -l`, and why",
        "",
        f"`socialscan parse --format lines` takes {cli / wc:,.0f}x the time of `wc -l` on the same "
        f"file. `wc -l` counts `\\n` bytes with vectorised C at memory speed; it decodes nothing and "
        "writes nothing. The parse decodes UTF-8 (in blocks, C speed), then does per-line work in "
        "Python: a blake2b id, entity prefilters and regexes (links, mentions, hashtags, cashtags, "
        "the emoji library on non-ASCII runs), reply and link-line tests, thread markers, and "
        "about 470 bytes of JSON per record (21 columns, ~5x the input size, against ~1.3x for the "
        f"floor's 2 keys). Each is a few interpreter steps, so one process spends {us_line:.1f} us "
        f"of CPU per line here (the floor: {floor_cpu / n_lines * 1e6:.1f} us), against "
        "nanoseconds for `wc`. Getting near `wc -l` would take a compiled parser (the same rules "
        "in Rust or C), not more Python tuning. Two workers split the per-line work; the parent "
        "only cuts the file at line breaks, counts them, and copies the workers' output files "
        "into the output with sendfile, so on an idle machine the both-cores wall time is about "
        "half the one-process CPU time plus the parent's ~1 s (start-up, cutting, copying).",
    ]
    lines += ["", *_dump_section(dump_table, args, env_line())]
    write_results("parse", lines)


def _dump_section(table: list[str], args: argparse.Namespace, env: str) -> list[str]:
    return [
        "## Raw dumps: one process and both cores",
        "",
        f"Multi-line ChatGPT-era tweets (chatgpt-tweets, reserved posts left out) pasted one after "
        f"another, a blank line after about half; {args.runs} rounds, the rows of a table "
        f"interleaved within a round, medians; {env}. Ratios are to the floor on the same file "
        "in the same round. Both cores: the segmenter decides pieces of the dump in two worker "
        "processes and the parent stitches them (`socialscan/readers/dump_pool.py`); the records "
        "are byte for byte those of one process.",
        "",
        "| run | lines | wall s | time vs floor | CPU s | CPU vs floor | peak MB (tree PSS) | lines/s | MB/s | load |",
        "|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|",
        *table,
    ]


if __name__ == "__main__":
    sys.path.insert(0, str(ROOT))
    main()
