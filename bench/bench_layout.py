"""How ``format="auto"`` tells one-post-a-line text from raw dumps (``socialscan/readers/layout.py``).
Writes ``bench/results_layout.md``.

Every TweetEval text file should be read as ``lines``; the seed, the copied timelines of
``tests/data`` and synthetic dumps of real posts (``training/segments/``: held-out
chatgpt and twarc posts, TweetEval test tweets; reserved posts left out) as ``dump``, except
where every post of the dump is one line, where ``lines`` gives the same records. A ``lines``
verdict on a dump holding a multi-line post is an error: its posts are cut at every line.
"""

from __future__ import annotations

import collections
import csv
import sys
import tempfile
import time
from pathlib import Path

from common import ROOT, SHARED, env_line, measure, write_results

sys.path.insert(0, str(ROOT))

from socialscan.readers import resolve_format  # noqa: E402
from socialscan.readers.layout import sample_layout  # noqa: E402
from training.segments.dumps import edited_dumps  # noqa: E402
from training.segments.heldout import heldout_dumps  # noqa: E402
from training.segments.sources import pools  # noqa: E402


def reserved_texts() -> set[str]:
    """The text of every reserved post (RESERVED.tsv), to leave out of the dumps."""
    where = collections.defaultdict(set)
    for line in (SHARED / "RESERVED.tsv").read_text(encoding="utf-8").splitlines():
        if line and not line.startswith("#"):
            src, pos = line.split("\t")
            where[src].add(int(pos))
    out = set()
    for src, positions in where.items():
        path = SHARED / src
        if src.endswith(".csv"):
            with path.open(newline="", encoding="utf-8") as fh:
                rows = enumerate(csv.DictReader(fh))
                out |= {(r.get("Tweet") or "").strip() for i, r in rows if i in positions}
        else:
            lines = enumerate(path.read_text(encoding="utf-8").splitlines(), 1)
            out |= {t.strip() for i, t in lines if i in positions}
    return out


def main(n: int = 60) -> None:
    out = [
        "# Plain text: one post a line or a raw dump",
        "",
        '`format="auto"` on plain text: the fast boundary model on up to 150 lines at the start, '
        "middle and end of the file (`socialscan/readers/layout.py`); one post a line when it "
        "finds a new post at 75% of the gaps or more and is sure of a join at 6% at most, with "
        f"no stamps, blank lines at most 1% and 20 lines or more; {env_line()}.",
        "",
        "| TweetEval file | lines sampled | boundaries | sure joins | read as |",
        "|---|---:|---:|---:|---|",
    ]
    files = sorted((SHARED / "tweeteval").glob("**/*_text.txt"))
    as_lines = 0
    for f in files:
        lay = sample_layout(f)
        verdict = resolve_format(f)
        as_lines += verdict == "lines"
        out.append(
            f"| {f.relative_to(SHARED / 'tweeteval')} | {lay.lines} | "
            f"{lay.boundaries / max(1, lay.gaps):.3f} | {lay.sure_joins / max(1, lay.gaps):.3f} "
            f"| {verdict} |"
        )
    out += ["", f"TweetEval: {as_lines} of {len(files)} files read as one post a line.", ""]
    real = [ROOT / "corpora" / "seed_dump.txt"] + [
        ROOT / "tests" / "data" / n for n in ("x_timeline_copy.txt", "linkedin_feed_copy.txt")
    ]
    out.append(
        "Real dumps: "
        + ", ".join(f"{p.name} {resolve_format(p)}" for p in real)
        + " (the seed: boundaries "
        + f"{(s := sample_layout(real[0])).boundaries / s.gaps:.3f}, sure joins "
        + f"{s.sure_joins / s.gaps:.3f})."
    )
    reserved = reserved_texts()
    heldout = {
        k: [t for t in v if t.strip() not in reserved] for k, v in pools(SHARED)["heldout"].items()
    }
    sets = heldout_dumps(heldout, n)
    out += [
        "",
        f"Synthetic held-out dumps ({n} a row, 4x for short pastes; reserved posts left out): "
        "how many are read as lines, and how many of those hold a multi-line post (an error).",
        "",
        "| dumps | count | one-line posts only | read as lines | of which wrong |",
        "|---|---:|---:|---:|---:|",
    ]
    total = wrong = 0
    t = time.perf_counter()
    with tempfile.TemporaryDirectory() as d:
        for name, dumps in sets.items():
            read_lines = bad = one_line = 0
            for i, dump in enumerate(dumps):
                path = Path(d) / f"{i}.txt"
                path.write_text(dump.text, encoding="utf-8")
                single = all(a == b for a, b in dump.spans)
                one_line += single
                if resolve_format(path) == "lines":
                    read_lines += 1
                    bad += not single
            total += len(dumps)
            wrong += bad
            out.append(f"| {name} | {len(dumps)} | {one_line} | {read_lines} | {bad} |")
        # a large dump (three windows sampled): multi-line posts pasted as a person copies them
        big = Path(d) / "big.txt"
        posts = heldout["chatgpt"] + heldout["twarc"]
        big.write_text("".join(x.text for x in edited_dumps(posts, 400, 11, "b")))
        big_verdict, big_size = resolve_format(big), big.stat().st_size
    seconds = time.perf_counter() - t
    out += [
        "",
        f"Wrong `lines` verdicts: {wrong} of {total} dumps ({seconds / total * 1000:.0f} ms a "
        f"dump, detection and writing). A large dump of multi-line posts "
        f"({big_size:,} bytes, sampled at three places): "
        f"{big_verdict}.",
    ]
    emoji = SHARED / "tweeteval" / "emoji" / "test_text.txt"
    cli = [sys.executable, "-m", "socialscan", "parse", str(emoji)]
    auto, _ = measure(cli)
    lines, _ = measure([*cli, "--format", "lines"])
    dump, _ = measure([*cli, "--format", "dump", "--segmenter", "fast"], runs=1)
    out += [
        "",
        f"`socialscan parse` on emoji/test_text.txt (50,000 lines): auto {auto:.2f} s (read as "
        f"lines), --format lines {lines:.2f} s, --format dump {dump:.2f} s (fresh processes).",
    ]
    write_results("layout", out)


if __name__ == "__main__":
    main()
