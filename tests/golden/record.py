"""Record what every command writes on a fixed set of inputs, so a refactor can prove it changed nothing.

The inputs are every corpus under ``tests/data``, the bundled seed, and samples of ``../shared/data``
(rows listed in ``RESERVED.tsv`` are left out). Each case runs one CLI command in this process, as a
user types it, and keeps stdout, the files it writes and its exit code. Run-to-run noise (stage
timings, the report's clock) is removed; everything else must be byte-identical.

    python -m tests.golden.record --write        # record tests/golden/digests.json
    python -m tests.golden.record --add-machine  # accept this machine's scores and topics too
    python -m tests.golden.record --out DIR      # write every output to DIR, to diff two commits

``tests/test_golden.py`` replays the cases and compares digests; the recorded digests are the
contract. Texts of chatgpt-tweets are never stored here, only digests of outputs.

A model's scores and a topic fit are byte for byte the same from run to run on one machine,
not from one kind of CPU to another: ONNX Runtime and BLAS choose their kernels by the
instruction set (AVX2 or AVX-512, with or without VNNI), so MiniLM's int8 vectors, a claims
score's fourth decimal and the PCA differ in their last bits, and a near tie in k-means or in
the number of topics can move a post to another topic. (Seen: on an AVX2-only EPYC, with ONNX
Runtime 1.31 or 1.32, 30 tag, topics, scan and report cases differed from the digests recorded
on another machine, and no other case did.) So the cases of the commands that write scores or
topics (:data:`MACHINE_NUMERICS`) are kept per kind of machine, told apart by
:func:`numerics`, a digest of what its kernels make of fixed inputs
(``machines.json``): on a kind they were recorded on they must match, on another any
recorded digest is taken and, failing that, the case is skipped with the machine's digest
(record it there with ``--add-machine``). ``--write`` records this machine's digests and
forgets the other kinds' (the code's output changed); ``--add-machine``, on another kind of
machine with the same code, checks that every other case is unchanged and adds this machine's
digests of those cases. Every other case must match on every machine.
"""

from __future__ import annotations

import argparse
import csv
import hashlib
import json
import os
import re
import shutil
import sys
import tempfile
from collections.abc import Iterator
from dataclasses import dataclass
from itertools import islice
from pathlib import Path
from unittest import mock

import numpy as np

ROOT = Path(__file__).resolve().parents[2]
SHARED = ROOT.parent / "shared" / "data"
DIGESTS = Path(__file__).with_name("digests.json")
MACHINES = Path(__file__).with_name("machines.json")
#: The commands whose output holds claims scores or a topic fit (see the module docstring).
MACHINE_NUMERICS = frozenset({"tag", "topics", "scan", "scan-json", "report"})

TWARC_FILES = ("two_tweets", "edited", "withheld", "many_urls", "cotweet", "cashtags", "counts")
CSV_ROWS = 300
DUMP_POSTS = 150
LINES = 400


@dataclass(frozen=True)
class Case:
    """One command on one input: ``argv`` after ``socialscan``; ``files`` it writes."""

    name: str
    argv: tuple[str, ...]
    files: tuple[str, ...] = ()


def _reserved() -> dict[str, set[int]]:
    reserved: dict[str, set[int]] = {}
    for line in (SHARED / "RESERVED.tsv").read_text(encoding="utf-8").splitlines():
        if line.startswith("#") or not line.strip():
            continue
        source, position = line.split("\t")[:2]
        reserved.setdefault(source, set()).add(int(position))
    return reserved


def write_inputs(folder: Path) -> list[str]:
    """Copy or sample every input into ``folder``; return their file names in a fixed order."""
    names: list[str] = []
    for path in sorted((ROOT / "tests" / "data").iterdir()):
        shutil.copyfile(path, folder / path.name)
        names.append(path.name)
    shutil.copyfile(ROOT / "corpora" / "seed_dump.txt", folder / "seed_dump.txt")
    names.append("seed_dump.txt")

    reserved = _reserved()
    for region in ("Europe", "Asia"):
        source = f"chatgpt-tweets/{region}.csv"
        skip = reserved.get(source, set())
        with open(SHARED / source, newline="", encoding="utf-8") as handle:
            reader = csv.reader(handle)
            header = next(reader)
            rows = [row for i, row in enumerate(islice(reader, CSV_ROWS * 2)) if i not in skip]
        name = f"chatgpt_{region.lower()}.csv"
        with open(folder / name, "w", newline="", encoding="utf-8") as out:
            writer = csv.writer(out)
            writer.writerow(header)
            writer.writerows(rows[:CSV_ROWS])
        names.append(name)
        # The same posts pasted one after another with no delimiter: a raw dump to segment.
        text_column = header.index("Tweet") if "Tweet" in header else len(header) - 1
        dump = "\n".join(row[text_column] for row in rows[CSV_ROWS : CSV_ROWS + DUMP_POSTS])
        name = f"chatgpt_{region.lower()}_dump.txt"
        (folder / name).write_text(dump + "\n", encoding="utf-8")
        names.append(name)

    for stem in TWARC_FILES:
        shutil.copyfile(SHARED / "twarc-jsonl" / f"{stem}.jsonl", folder / f"twarc_{stem}.jsonl")
        names.append(f"twarc_{stem}.jsonl")

    for task in ("emotion", "stance/climate"):
        source = f"tweeteval/{task}/train_text.txt"
        skip = reserved.get(source, set())
        lines = (SHARED / source).read_text(encoding="utf-8").splitlines()
        kept = [line for number, line in enumerate(lines, 1) if number not in skip][:LINES]
        name = f"tweeteval_{task.replace('/', '_')}.txt"
        (folder / name).write_text("\n".join(kept) + "\n", encoding="utf-8")
        names.append(name)
    return names


def cases(names: list[str]) -> Iterator[Case]:
    """The commands each input is run through."""
    labels = {"claims_gold.jsonl", "claims_user_labels.jsonl"}
    for name in names:
        stem = Path(name).stem
        yield Case(f"parse {name}", ("parse", name))
        yield Case(
            f"parse-csv {name}", ("parse", name, "-o", f"{stem}.out.csv"), (f"{stem}.out.csv",)
        )
        if name.endswith(".txt"):
            yield Case(f"parse-minilm {name}", ("parse", name, "--segmenter", "minilm"))
            yield Case(f"parse-lines {name}", ("parse", name, "--format", "lines"))
            yield Case(f"parse-dump {name}", ("parse", name, "--format", "dump"))
        if name in labels:
            continue
        yield Case(f"tag {name}", ("tag", name))
        topics = f"{stem}.out.json"
        yield Case(f"topics {name}", ("topics", name, "--topics-out", topics), (topics,))
        yield Case(f"scan {name}", ("scan", name))
        yield Case(f"scan-json {name}", ("scan", name, "--json"))
        report = f"{stem}.out.html"
        yield Case(f"report {name}", ("report", name, "-o", report), (report,))
    yield Case("scan-json many", ("scan", *[n for n in names if n not in labels], "--json"))


TIMINGS = re.compile(rb',"timings":\{[^}]*\}')
STAMP = re.compile(rb"\d{4}-\d\d-\d\d \d\d:\d\d UTC")


def normalise(data: bytes) -> bytes:
    """Drop what differs between two runs of the same code: stage timings, the report's clock."""
    return STAMP.sub(b"<time> UTC", TIMINGS.sub(b"", data))


def run(case: Case) -> dict[str, bytes]:
    """Run one case in the current directory; return its outputs by name."""
    from click.testing import CliRunner

    from socialscan.cli import main

    for name in case.files:
        Path(name).unlink(missing_ok=True)
    result = CliRunner().invoke(main, list(case.argv), catch_exceptions=False)
    outputs = {
        "exit": str(result.exit_code).encode(),
        "stdout": normalise(result.stdout_bytes),
        "stderr": normalise(result.stderr_bytes),
    }
    for name in case.files:
        path = Path(name)
        outputs[name] = normalise(path.read_bytes()) if path.exists() else b"<missing>"
    return outputs


def digest(outputs: dict[str, bytes]) -> dict[str, str]:
    return {key: hashlib.sha256(value).hexdigest()[:20] for key, value in outputs.items()}


def record(out: Path | None) -> dict[str, dict[str, str]]:
    here = Path.cwd()
    with tempfile.TemporaryDirectory(prefix="golden-") as tmp:
        folder = Path(tmp)
        names = write_inputs(folder)
        os.chdir(folder)
        # A cache of its own, cold at the start: int8 MiniLM's vectors depend on their batch
        # mates, so a cache warmed by other runs would change the topics.
        env = {"SOCIALSCAN_CACHE_DIR": str(folder / "cache"), "TQDM_DISABLE": "1"}
        try:
            with mock.patch.dict(os.environ, env):
                digests = {}
                for case in cases(names):
                    outputs = run(case)
                    digests[case.name] = digest(outputs)
                    if out is not None:
                        target = out / case.name.replace(" ", "__")
                        target.mkdir(parents=True, exist_ok=True)
                        for key, value in outputs.items():
                            (target / key).write_bytes(value)
                    print(case.name, file=sys.stderr)
        finally:
            os.chdir(here)
    return digests


def machine_numerics(case: str) -> bool:
    """Whether the case's command writes scores or topics (its name starts with the command)."""
    return case.split(" ", 1)[0] in MACHINE_NUMERICS


#: Fixed inputs of :func:`numerics`: posts of the kinds the cases read (no chatgpt text).
PROBE = (
    "There's a resurgence of interest in fine tuning LLMs",
    "Try better prompts and retrieval before you fine-tune anything.",
    "Our new course on LLM agents opens Monday! Link in bio.",
    "We don't store your prompts. Ever. Privacy first. #privacy",
    "@user the weather is lovely today, off to the beach 🌞",
    "Climate change is the defining issue of our time #climate",
    "I can't believe how good this pizza was last night",
    "Subscribe to my newsletter for weekly AI tips https://t.co/abc",
)


def numerics() -> str:
    """A digest of what this machine's kernels make of :data:`PROBE`: MiniLM's int8 vectors
    (ONNX Runtime), the static vectors (numpy), a float32 product (BLAS, as a claims head
    takes it), a PCA and k-means over them (scikit-learn): machines that agree here write
    the same scores and topics."""
    from sklearn.cluster import KMeans
    from sklearn.decomposition import PCA

    from socialscan.embed.minilm_onnx import OnnxMiniLMEmbedder
    from socialscan.embed.static import StaticEmbedder

    h = hashlib.sha256()
    contextual = OnnxMiniLMEmbedder.default().embed(list(PROBE))
    static = StaticEmbedder.default().embed(list(PROBE))
    weights = np.random.default_rng(0).standard_normal((static.shape[1], 16), dtype=np.float32)
    reduced = PCA(4, random_state=0).fit_transform(contextual)
    clusters = KMeans(3, n_init=1, random_state=0).fit(reduced)
    for part in (contextual, static, static @ weights, reduced, clusters.cluster_centers_):
        h.update(np.ascontiguousarray(part).tobytes())
    h.update(clusters.labels_.astype(np.int64).tobytes())
    return h.hexdigest()[:16]


def machines() -> dict:
    """``{"recorded_on": the numerics of DIGESTS' machine or None, "others": {numerics: {case:
    digests}}}``: the kinds of machine the scores-and-topics cases were recorded on."""
    if not MACHINES.exists():
        return {"recorded_on": None, "others": {}}
    return json.loads(MACHINES.read_text(encoding="utf-8"))


def accepted(case: str, recorded: dict, known: dict) -> list[dict[str, str]]:
    """The digests a replay of ``case`` may give: the recorded ones, and for a case of
    :data:`MACHINE_NUMERICS` those of the other machine kinds."""
    if not machine_numerics(case):
        return [recorded[case]]
    return [recorded[case], *(d[case] for d in known["others"].values() if case in d)]


def _write_machines(known: dict) -> None:
    MACHINES.write_text(json.dumps(known, indent=1, sort_keys=True) + "\n", encoding="utf-8")


def add_machine(digests: dict[str, dict[str, str]], here: str) -> list[str]:
    """Add this machine's (numerics ``here``) digests of :data:`MACHINE_NUMERICS` cases to
    :data:`MACHINES`; return the cases whose digests no kind had.

    Raises:
        SystemExit: a case of another command differs from :data:`DIGESTS` (the code changed:
            record with ``--write``).
    """
    recorded = json.loads(DIGESTS.read_text(encoding="utf-8"))
    changed = [c for c in digests if not machine_numerics(c) and digests[c] != recorded.get(c)]
    if changed or sorted(digests) != sorted(recorded):
        raise SystemExit(
            f"Error: {len(changed)} cases without scores or topics changed ({', '.join(changed[:3])}"
            f"{', ...' if len(changed) > 3 else ''}); record them with --write"
        )
    known = machines()
    new = [c for c in digests if digests[c] not in accepted(c, recorded, known)]
    if here != known["recorded_on"]:
        known["others"][here] = {c: d for c, d in digests.items() if machine_numerics(c)}
    _write_machines(known)
    return new


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    mode = parser.add_mutually_exclusive_group()
    mode.add_argument("--write", action="store_true", help=f"record {DIGESTS.name}")
    mode.add_argument(
        "--add-machine",
        action="store_true",
        help=f"accept this machine's scores and topics too ({MACHINES.name})",
    )
    parser.add_argument("--out", type=Path, help="also write every output under this folder")
    args = parser.parse_args()
    digests = record(args.out.resolve() if args.out else None)
    if args.write:
        DIGESTS.write_text(json.dumps(digests, indent=1, sort_keys=True) + "\n", encoding="utf-8")
        _write_machines({"recorded_on": numerics(), "others": {}})  # the others: older code's
    elif args.add_machine:
        new = add_machine(digests, numerics())
        print(f"{len(new)} cases of scores or topics new on this machine", file=sys.stderr)
    else:
        json.dump(digests, sys.stdout, indent=1, sort_keys=True)


if __name__ == "__main__":
    main()
