"""`make bench`: run every benchmark script in bench/ and collect bench/RESULTS.md."""

import subprocess
import sys
from pathlib import Path

here = Path(__file__).parent
scripts = sorted(here.glob("bench_*.py"))
for s in scripts:
    print(f"== {s.name}", flush=True)
    subprocess.run([sys.executable, str(s)], check=True, cwd=here)
parts = ["# Benchmarks", "", "Each file below is written by the script of the same name.", ""]
for r in sorted(here.glob("results_*.md")):
    parts += [r.read_text(), ""]
(here / "RESULTS.md").write_text("\n".join(parts))
print("wrote bench/RESULTS.md")
