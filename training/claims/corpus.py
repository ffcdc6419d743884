"""The claims corpus: two independent readings of each drawn post, a third reading where they
disagree, agreement per label, and the stored corpus (pointers for chatgpt-tweets posts).

    python -m training.claims.corpus merge WORKDIR         # readings -> disagreements.jsonl, kappa
    python -m training.claims.corpus write WORKDIR OUT     # + third readings -> corpora/claims.jsonl

WORKDIR holds ``corpus_index.jsonl`` (id, pointer, date, selection: written with the batches
the readers read), ``out/r*/b*.jsonl`` (each reader's labels) and ``third/*.jsonl``.
"""

from __future__ import annotations

import argparse
import json
from collections import defaultdict
from pathlib import Path

from socialscan.claims.corpus import split_of

from . import sources as cs

LABELS = ["finetuning_advice", "product_plug", "privacy_statement", "self_promotion"]


def readings(workdir: Path) -> dict[str, list[tuple[str, list[str]]]]:
    """Per post id, the (reader, labels) pairs written so far."""
    out: dict[str, list[tuple[str, list[str]]]] = defaultdict(list)
    for f in sorted(workdir.glob("out/r*/*.jsonl")):
        reader = f.parent.name
        for line in f.read_text(encoding="utf-8").splitlines():
            if not line.strip():
                continue
            o = json.loads(line)
            labs = sorted({x for x in o.get("labels", []) if x in LABELS})
            out[o["id"]].append((reader, labs))
    return out


def kappa(a: list[bool], b: list[bool]) -> float:
    """Cohen's kappa of two readers' yes/no decisions."""
    n = len(a)
    if not n:
        return float("nan")
    po = sum(x == y for x, y in zip(a, b, strict=True)) / n
    pa, pb = sum(a) / n, sum(b) / n
    pe = pa * pb + (1 - pa) * (1 - pb)
    return 1.0 if pe == 1 else (po - pe) / (1 - pe)


def f1_of(a: list[bool], b: list[bool]) -> float:
    tp = sum(x and y for x, y in zip(a, b, strict=True))
    fp = sum(y and not x for x, y in zip(a, b, strict=True))
    fn = sum(x and not y for x, y in zip(a, b, strict=True))
    return 2 * tp / (2 * tp + fp + fn) if tp else 0.0


def agreement(pairs: list[tuple[list[str], list[str]]]) -> list[dict]:
    rows = []
    for lab in LABELS:
        a = [lab in x for x, _ in pairs]
        b = [lab in y for _, y in pairs]
        rows.append(
            {
                "label": lab,
                "kappa": kappa(a, b),
                "f1_one_reader_vs_other": f1_of(a, b),
                "reader_a": sum(a),
                "reader_b": sum(b),
                "both": sum(x and y for x, y in zip(a, b, strict=True)),
            }
        )
    return rows


def merge(workdir: Path) -> None:
    index = {
        json.loads(x)["id"]: json.loads(x)
        for x in (workdir / "corpus_index.jsonl").read_text(encoding="utf-8").splitlines()
    }
    reads = readings(workdir)
    pairs, disagreements = [], []
    for pid, rs in reads.items():
        if len(rs) < 2:
            continue
        (_, a), (_, b) = rs[0], rs[1]
        pairs.append((a, b))
        if a != b:
            disagreements.append({"id": pid, **{k: index[pid][k] for k in ("pointer",)}})
    (workdir / "disagreements.jsonl").write_text(
        "".join(json.dumps(d) + "\n" for d in disagreements), encoding="utf-8"
    )
    print(f"{len(pairs)} posts read twice, {len(disagreements)} disagree")
    for r in agreement(pairs):
        print(
            f"{r['label']:18} kappa {r['kappa']:.3f}  F1 {r['f1_one_reader_vs_other']:.3f}  "
            f"A {r['reader_a']}  B {r['reader_b']}  both {r['both']}"
        )


def third_readings(workdir: Path) -> dict[str, list[str]]:
    out = {}
    for f in sorted(workdir.glob("third/*.jsonl")):
        for line in f.read_text(encoding="utf-8").splitlines():
            if line.strip():
                o = json.loads(line)
                out[o["id"]] = sorted({x for x in o.get("labels", []) if x in LABELS})
    return out


def write(workdir: Path, out_path: Path) -> None:
    index = [
        json.loads(x)
        for x in (workdir / "corpus_index.jsonl").read_text(encoding="utf-8").splitlines()
    ]
    reads, third = readings(workdir), third_readings(workdir)
    src = cs.resolve([r["pointer"] for r in index])
    n_written = n_third = 0
    lines = []
    for r in sorted(index, key=lambda r: r["pointer"]):
        rs = reads.get(r["id"], [])
        if len(rs) < 2:
            continue
        a, b = rs[0][1], rs[1][1]
        c = third.get(r["id"], rs[2][1] if len(rs) > 2 else None)
        if a == b:
            labels, decided = a, "agreed"
        elif c is not None:
            # the third reading settles each label the two readers disagree on
            labels = sorted(x for x in LABELS if (x in a) + (x in b) + (x in c) >= 2)
            decided = "third"
            n_third += 1
        else:
            continue
        post = src[r["pointer"]]
        rec = {"pointer": r["pointer"]}
        if post.date:
            rec["date"] = post.date
        if post.dataset != "chatgpt-tweets":  # no licence: never store its text
            rec["text"] = post.text
        rec.update(
            labels=labels,
            readings=[a, b] if decided == "agreed" else [a, b, c],
            decided=decided,
            selection=r["selection"],
            split=split_of(post.text),
        )
        lines.append(json.dumps(rec, ensure_ascii=False) + "\n")
        n_written += 1
    out_path.write_text("".join(lines), encoding="utf-8")
    print(f"{n_written} posts written ({n_third} settled by a third reading)")


def main(argv: list[str] | None = None) -> None:
    ap = argparse.ArgumentParser(
        prog="python -m training.claims.corpus",
        description=__doc__,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    sub = ap.add_subparsers(dest="cmd", required=True)
    sub.add_parser("merge", help="readings -> disagreements.jsonl, kappa").add_argument(
        "workdir", type=Path
    )
    w = sub.add_parser("write", help="+ third readings -> the stored corpus")
    w.add_argument("workdir", type=Path)
    w.add_argument("out", type=Path)
    args = ap.parse_args(argv)
    if args.cmd == "merge":
        merge(args.workdir)
    else:
        write(args.workdir, args.out)


if __name__ == "__main__":
    main()
