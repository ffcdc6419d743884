"""--engine dask topics against one process: how many posts land in the same topic (issue 20).

Agreement is the share of posts whose dask topic is the one matched to their one-process topic
under the best one-to-one matching of topic ids (Hungarian algorithm on the contingency table;
ids are ranks by size, which a sample can order apart); adjusted Rand is given beside it.
"Same ids" and "same labels" compare every post's ``topic`` and ``topic_label``; "same table"
the topic tables (sizes, labels, terms, representative posts). Default settings (``auto`` embedder),
LocalCluster of 2 workers; chatgpt-tweets CSVs read as socialscan reads them.

    .venv/bin/python bench/bench_dask_topics.py
"""

from __future__ import annotations

import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bench.common import SHARED, env_line, write_results  # noqa: E402

CSV = sorted(str(p) for p in (SHARED / "chatgpt-tweets").glob("*.csv"))
CASES = [
    ("chatgpt-tweets Oceania.csv", [str(SHARED / "chatgpt-tweets" / "Oceania.csv")], 20_000),
    ("chatgpt-tweets Asia.csv", [str(SHARED / "chatgpt-tweets" / "Asia.csv")], 20_000),
    ("all six chatgpt-tweets CSVs", CSV, 20_000),
    ("all six chatgpt-tweets CSVs, --sample 5000", CSV, 5_000),
]


def agreement(a, b) -> float:
    import numpy as np
    from scipy.optimize import linear_sum_assignment

    ua, ia = np.unique(np.asarray(a), return_inverse=True)
    ub, ib = np.unique(np.asarray(b), return_inverse=True)
    m = np.zeros((len(ua), len(ub)), dtype=int)
    np.add.at(m, (ia, ib), 1)
    r, c = linear_sum_assignment(-m)
    return m[r, c].sum() / len(a)


def main() -> None:
    from sklearn.metrics import adjusted_rand_score

    import socialscan
    from socialscan.distributed import read_dataset, run_dask

    lines = [
        "# --engine dask topics vs one process",
        "",
        env_line(),
        "",
        "| input | posts | --sample | topics local/dask | agreement | adjusted Rand | same ids "
        "| same labels | same table | embedder | local s | dask s |",
        "|---|---|---|---|---|---|---|---|---|---|---|---|",
    ]
    for name, files, sample in CASES:
        posts = list(socialscan.parse(files))
        t = time.perf_counter()
        local = socialscan.fit_topics(posts)
        local_s = time.perf_counter() - t
        out = Path(tempfile.mkdtemp()) / "topics.d"
        t = time.perf_counter()
        r = run_dask(files, out, topics=True, topic_embedder="auto", sample=sample)
        dask_s = time.perf_counter() - t
        df = read_dataset(out)
        got = df["topic_label"], df["topic"]
        yes = {True: "yes", False: "no"}
        lines.append(
            f"| {name} | {len(posts):,} | {sample:,} | {len(local.table)}/{len(r.topics.table)} | "
            f"{agreement(local.topics, got[1]):.2%} | {adjusted_rand_score(local.topics, got[1]):.3f} | "
            f"{yes[list(local.topics) == got[1].tolist()]} | "
            f"{yes[list(local.labels) == got[0].tolist()]} | "
            f"{yes[local.table.equals(r.topics.table)]} | {local.embedder_name} | "
            f"{local_s:.1f} | {dask_s:.1f} |"
        )
        print(lines[-1], file=sys.stderr, flush=True)
    write_results("dask_topics", lines)


if __name__ == "__main__":
    main()
