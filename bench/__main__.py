"""`make bench`: run every bench/bench_*.py and collect bench/RESULTS.md.

``python -m bench --collect`` only collects the results files the scripts last wrote.
"""

import subprocess
import sys
from pathlib import Path

here = Path(__file__).parent
if "--collect" not in sys.argv:
    for s in sorted(here.glob("bench_*.py")):
        print(f"== {s.name}", flush=True)
        subprocess.run([sys.executable, str(s)], check=True, cwd=here)
parts = [
    "# Benchmarks",
    "",
    "Each section is written by the script of the same name in bench/ (ratios against a baseline",
    "run in the same invocation; see each section for the machine's load when it ran).",
    "",
]
for r in sorted(here.glob("results_*.md")):
    parts += [r.read_text().strip(), ""]
(here / "RESULTS.md").write_text("\n".join(parts))
print("wrote bench/RESULTS.md")
