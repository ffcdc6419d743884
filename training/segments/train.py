"""Fit the boundary models on synthetic dumps and score them on held-out ones.

    python -m training.segments.train --out socialscan/resources [--model fast|minilm|both]

writes into ``--out`` ``boundary_model.json`` (the fast model), ``boundary_model_minilm.json``
(the accurate one, which also reads MiniLM vectors; it blends in the fast model of ``--out``) and
``stem_idf.json`` (the stem weights both models' features read), and prints a Markdown table of
boundary precision, recall, F1 and WindowDiff on the held-out rows beside the line-per-post
baseline. socialscan reads the three files from ``socialscan/resources/``.

The training dumps mix topics the way a timeline does: three tenths chatgpt tweets, two tenths
TweetEval tweets, half both in equal parts, a tenth more of twarc, chatgpt and TweetEval posts in
equal parts (the training half of the twarc samples), and a fifth more of short pastes (2-8
posts); some dumps write posts one sentence a line or cut posts after a hook line
(:data:`~.dumps.TIMELINE_STYLES`), and half of them put blank lines between posts. Six tenths
more are dumps of posts copied as text (:func:`~.dumps.edited_dumps`), the seed's kind and the
hardest to split. The threshold is chosen on dev dumps of the same kinds made of a tenth of the
training posts that the trees are not fitted on (:func:`~.sources.dev_split`).

Each model carries a thread linker (:mod:`socialscan.segment.linker`), fitted afterwards on
dumps that also hold long posts (several tweets of one theme joined into one post) split by
that model.
"""

from __future__ import annotations

import argparse
import json
import random
import time
from collections.abc import Sequence
from pathlib import Path

import numpy as np

from socialscan.embed.static import StaticEmbedder
from socialscan.readers.dump import linkable, make_post
from socialscan.segment.features import PASS1_FEATURES
from socialscan.segment.items import line_items
from socialscan.segment.linker import Linker, link_features
from socialscan.segment.model import MODEL_PATH, SEMANTIC_MODEL_PATH, BoundaryModel
from socialscan.segment.probe import LinearProbe, pairs
from socialscan.segment.rules import attached_link
from socialscan.segment.segmenter import _features, iter_segments, static_vectors
from socialscan.text import stems
from socialscan.text.stems import idf_table

from ..paths import RESOURCES, SHARED_DATA
from .dumps import TIMELINE_STYLES, Dump, edited_dumps, make_dumps
from .heldout import evaluate, format_scores, heldout_dumps, heldout_long, unit_scores
from .long_posts import long_posts, timeline_dumps, topic_groups
from .sources import dev_split, pools, probe_half, stance_groups

#: Shares of gaps between posts with a blank line, one drawn per training dump: more
#: blank-delimited dumps than the held-out ones hold, so that the model trusts blank lines once
#: a dump shows it puts them between posts.
TRAIN_BLANK_BETWEEN = (0.0, 0.0, 1.0, 1.0, 0.3)
#: Shares of training dumps drawn from chatgpt tweets, TweetEval tweets, and both.
TRAIN_MIX = (0.3, 0.2, 0.5)
#: Dumps of posts copied as text (:func:`~.dumps.edited_dumps`), as a share of the others.
EDITED_SHARE = 0.6
#: Dumps of twarc, chatgpt and TweetEval posts in equal parts, as a share of the others: the
#: training twarc posts are few (~240), so they come mixed, each seen in many dumps.
DIVERSE_SHARE = 0.1


class Memo:
    """An embedder that remembers every line it embedded (training embeds each many times)."""

    def __init__(self, embedder):
        self.embedder, self.name, self.dim = embedder, embedder.name, embedder.dim
        self.memo: dict[str, np.ndarray] = {}

    def embed(self, texts: Sequence[str]) -> np.ndarray:
        new = [t for t in dict.fromkeys(texts) if t not in self.memo]
        for i in range(0, len(new), 20000):
            chunk = new[i : i + 20000]
            self.memo.update(zip(chunk, self.embedder.embed(chunk), strict=True))
        if not texts:
            return np.zeros((0, self.dim), dtype=np.float32)
        return np.stack([self.memo[t] for t in texts])


def features_of(
    dumps: list[Dump], embedder, center: np.ndarray, contextual=None
) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray, np.ndarray | None]:
    """Gap features and gold labels (1 = a post starts here) of every decidable gap, with
    the index of the dump each comes from and the probes' inputs
    (:func:`~socialscan.segment.probe.pairs` of the static vectors, and of the ``contextual``
    ones when given), for :func:`out_of_sample`."""
    xs, ys, groups, pair_rows, context_rows = [], [], [], [], []
    for k, d in enumerate(dumps):
        starts = {s for s, _ in d.spans}
        items = list(line_items(iter(enumerate(d.lines, 1))))
        if len(items) < 2:
            continue
        vectors = static_vectors(items, embedder, center)
        x = _features(items, vectors, contextual)
        keep = [g for g in range(1, len(items)) if not attached_link(items[g])]
        xs.append(x[keep])
        ys.append(np.asarray([items[g].n in starts for g in keep], dtype=np.int8))
        groups.append(np.full(len(keep), k, dtype=np.int32))
        pair_rows.append(pairs(vectors)[keep])
        if contextual is not None:  # remembered: the vectors _features read
            context = contextual.embed([it.info.text for it in items])
            context_rows.append(pairs(context)[keep])
    context_pairs = np.vstack(context_rows) if context_rows else None
    return (
        np.vstack(xs),
        np.concatenate(ys),
        np.concatenate(groups),
        np.vstack(pair_rows),
        context_pairs,
    )


def out_of_sample(inputs: np.ndarray, y: np.ndarray, groups: np.ndarray) -> np.ndarray:
    """A probe's out-of-sample log-odds on every training gap, for the trees to learn from.

    ``groups`` is the half of the training posts each gap's dump is made of
    (:func:`training_halves`): each half's gaps get the log-odds of the probe fitted on the
    other half, which saw none of their posts. Folds of dumps would not do: the pools are
    small and every post is in many dumps, so a probe fitted on other dumps has seen the
    post, and trees that learn to trust it lose on posts nobody has seen (dev diverse 0.944
    -> 0.936). The model keeps the probe fitted on both halves.
    """
    oof = np.zeros(len(y), dtype=np.float32)
    for half in (0, 1):
        probe = LinearProbe.fit(inputs[groups != half], y[groups != half])
        oof[groups == half] = probe.column_of_pairs(inputs[groups == half])
    return oof


def training_halves(train: dict[str, list[str]], n: int, seed: int) -> tuple[list[Dump], list[int]]:
    """:func:`training_dumps` made of each half of the training posts apart
    (:func:`~.sources.probe_half`), ``n`` in all, and the half of each dump."""
    dumps: list[Dump] = []
    halves: list[int] = []
    for half in (0, 1):
        posts = {name: [t for t in ts if probe_half(t) == half] for name, ts in train.items()}
        part = training_dumps(posts, n // 2, seed + 1000 * half)
        dumps += part
        halves += [half] * len(part)
    return dumps, halves


def fit(x: np.ndarray, y: np.ndarray, seed: int = 0) -> BoundaryModel:
    """Gradient-boosted trees (scikit-learn), flattened for numpy inference."""
    from sklearn.ensemble import HistGradientBoostingClassifier

    clf = HistGradientBoostingClassifier(
        max_iter=400,
        learning_rate=0.15,
        max_leaf_nodes=31,
        max_depth=6,  # shallow trees: numpy inference walks every tree level by level
        min_samples_leaf=200,  # with l2: 0.9293 -> 0.9308 dev F1 on unseen posts
        l2_regularization=1.0,
        early_stopping=True,
        random_state=seed,
    )
    clf.fit(x, y)
    model = BoundaryModel.from_sklearn(clf)
    assert np.allclose(model.proba(x[:500]), clf.predict_proba(x[:500])[:, 1], atol=1e-6)
    return model


def training_dumps(train: dict[str, list[str]], n: int, seed: int) -> list[Dump]:
    """``n`` training dumps (see the module docstring), shuffled."""
    mixed = train["chatgpt"] + random.Random(seed).sample(
        train["tweeteval"], min(len(train["chatgpt"]), len(train["tweeteval"]))
    )
    tw = train["twarc"]
    r = random.Random(seed + 4)
    diverse = tw + r.sample(train["chatgpt"], len(tw)) + r.sample(train["tweeteval"], len(tw))
    kw = {"blank_between": TRAIN_BLANK_BETWEEN, "extra": TIMELINE_STYLES}
    a, b, c = TRAIN_MIX
    dumps = (
        list(make_dumps(train["chatgpt"], int(n * a), seed, "chatgpt", **kw))
        + list(make_dumps(train["tweeteval"], int(n * b), seed + 1, "tweeteval", **kw))
        + list(make_dumps(mixed, int(n * c), seed + 2, "mixed", **kw))
        # a few posts pasted at once: gaps near both edges of a dump, where windows are short
        + list(make_dumps(mixed, n // 5, seed + 3, "short", size=(2, 8), **kw))
        + edited_dumps(train["chatgpt"] + tw, int(n * EDITED_SHARE), seed + 5, "edited")
        + list(make_dumps(diverse, int(n * DIVERSE_SHARE), seed + 6, "diverse", **kw))
    )
    random.Random(seed).shuffle(dumps)
    return dumps


def train_one(
    train: list[Dump],
    dev: list[Dump],
    heldout: dict[str, list[Dump]],
    emb,
    center: np.ndarray,
    contextual=None,
    seed: int = 13,
    blend: BoundaryModel | None = None,
    halves: Sequence[int] | None = None,
) -> tuple[BoundaryModel, list[tuple[str, dict, dict]]]:
    """Fit one model, choose its threshold on ``dev``, score it on ``heldout``; with ``blend``
    (the fast model, for the accurate one) the two models' log-odds averaged; ``halves``:
    the half of the posts each training dump is made of (:func:`training_halves`), for the
    probe's column (without them, a model without a probe)."""
    t0 = time.time()
    x, y, groups, inputs, context_inputs = features_of(train, emb, center, contextual)
    # the probe's column after the first pass's: the fast model's own, and the accurate
    # model's where it blends a fast model that has one (their first columns are the same);
    # the accurate model's contextual probe after its contextual columns
    probe = context_probe = None
    if halves is not None:
        half = np.asarray(halves)[groups]
        if blend is None or blend.probe is not None:
            # the accurate model reads its fast model's probe: the same column, not refitted
            probe = LinearProbe.fit(inputs, y) if blend is None else blend.probe
            p1 = len(PASS1_FEATURES)
            x = np.hstack([x[:, :p1], out_of_sample(inputs, y, half)[:, None], x[:, p1:]])
        if context_inputs is not None:
            context_probe = LinearProbe.fit(context_inputs, y)
            x = np.hstack([x, out_of_sample(context_inputs, y, half)[:, None]])
    del inputs, context_inputs
    print(f"{len(x)} gaps ({y.mean():.1%} boundaries), {x.shape[1]} features")
    model = fit(x, y, seed=seed)
    model.probe, model.context_probe = probe, context_probe
    model.blend = blend
    model.center = center.astype(np.float32)
    model.semantic = contextual.name if contextual is not None else None
    # the threshold with the best dev F1 (ties: the higher one, which splits long posts less);
    # thread-internal gaps just above it are linked by thread_id, see readers.dump
    scores = {}
    for th in np.arange(0.3, 0.76, 0.05):
        model.threshold = float(round(th, 2))
        scores[model.threshold] = evaluate(dev, emb, model, contextual)["f1"]
    top = max(scores.values())
    model.threshold = max(th for th, f1 in scores.items() if f1 == top)
    print(f"threshold {model.threshold} (dev F1 {top:.4f}; all: {scores})")
    rows = [
        (name, evaluate(dumps, emb, None), evaluate(dumps, emb, model, contextual))
        for name, dumps in heldout.items()
    ]
    model.meta = {
        "embedder": "static-minilm (model2vec, 256 dims)"
        + (f" + {contextual.name} (384 dims)" if contextual is not None else ""),
        "train_dumps": len(train),
        "train_gaps": int(len(x)),
        "threshold_dev_f1": top,
        "dev_f1_by_threshold": scores,
        "heldout": {name: {"baseline": b, "model": m} for name, b, m in rows},
        "seed": seed,
    }
    print(f"fitted in {time.time() - t0:.0f}s")
    return model, rows


def _pairs(dumps: list[Dump], emb, model: BoundaryModel, contextual) -> tuple[list, list]:
    """Linker features and labels (1: the same gold post) of every linkable record pair."""
    xs, ys = [], []
    for d in dumps:
        starts = {s for s, _ in d.spans}
        prev = prev_post = None
        for seg in iter_segments(iter(enumerate(d.lines, 1)), emb, model, contextual=contextual):
            post = make_post(seg.lines, "x", "x")
            if prev is not None and linkable(prev_post, post):
                xs.append(link_features(prev, seg))
                ys.append(int(seg.lines[0][0] not in starts))
            prev, prev_post = seg, post
    return xs, ys


def fit_linker(
    dumps: list[Dump], emb, model: BoundaryModel, contextual, threshold: float = 0.7
) -> Linker:
    """A logistic regression over :data:`socialscan.segment.linker.LINK_FEATURES` of the records ``model``
    splits ``dumps`` into."""
    from sklearn.linear_model import LogisticRegression

    xs, ys = _pairs(dumps, emb, model, contextual)
    clf = LogisticRegression(C=1.0, max_iter=1000).fit(np.asarray(xs), np.asarray(ys))
    print(f"linker: {len(ys)} record pairs, {np.mean(ys):.1%} to link")
    return Linker(clf.coef_[0].copy(), float(clf.intercept_[0]), threshold)


def use_idf(path: Path) -> None:
    """Let this process's features read the stem weights at ``path`` (the ones the models
    written beside them are fitted with), not the package's."""
    stems.IDF_PATH = path
    stems.stem_idf.cache_clear()


def main(argv: list[str] | None = None) -> None:
    ap = argparse.ArgumentParser(
        prog="python -m training.segments.train",
        description="Fit the boundary models and their thread linkers on synthetic dumps.",
        epilog="See training/README.md.",
    )
    ap.add_argument(
        "--out",
        type=Path,
        required=True,
        help=f"folder to write the models and stem weights into (shipped: {RESOURCES})",
    )
    ap.add_argument(
        "--shared", type=Path, default=SHARED_DATA, help="../shared/data (default: %(default)s)"
    )
    ap.add_argument("--train-dumps", type=int, default=5400)
    ap.add_argument("--eval-dumps", type=int, default=60)
    ap.add_argument("--model", choices=("fast", "minilm", "both"), default="both")
    ap.add_argument("--seed", type=int, default=13)
    ap.add_argument(
        "--no-probe",
        action="store_true",
        help="fit the trees without the probe's column (socialscan/segment/probe.py)",
    )
    ap.add_argument(
        "--linker-only",
        action="store_true",
        help="keep the boundary models saved in --out, fit and score their thread linkers only",
    )
    args = ap.parse_args(argv)
    args.out.mkdir(parents=True, exist_ok=True)
    fast_path, minilm_path = args.out / MODEL_PATH.name, args.out / SEMANTIC_MODEL_PATH.name
    idf_path = args.out / stems.IDF_PATH.name
    t0 = time.time()
    emb = Memo(StaticEmbedder.default())
    P = pools(args.shared, seed=args.seed)
    dev_posts, tr = dev_split(P["train"])
    # each half of the posts in dumps of its own: the probe of one half reads the other's
    train, halves = training_halves(tr, args.train_dumps, args.seed)
    dev = training_dumps(dev_posts, args.train_dumps // 5, args.seed + 64)
    tweets = tr["chatgpt"] + tr["tweeteval"] + tr["twarc"]
    sample = random.Random(args.seed).sample(tweets, 20000)
    center = emb.embed([ln for t in sample for ln in t.splitlines() if ln.strip()]).mean(axis=0)
    if not args.linker_only:  # the stems' weights for lexical cohesion, from training tweets
        idf_path.write_text(
            json.dumps(idf_table(tweets), separators=(",", ":"), ensure_ascii=False),
            encoding="utf-8",
        )
    if idf_path.exists():
        use_idf(idf_path)
    heldout = heldout_dumps(P["heldout"], args.eval_dumps)
    heldout["diverse, with long posts"] = heldout_long(P, args.shared, args.eval_dumps)
    groups = topic_groups(tr["chatgpt"], 150, args.seed) + stance_groups(args.shared, "train")
    mixed = tr["chatgpt"] + random.Random(args.seed).sample(tr["tweeteval"], len(tr["chatgpt"]))
    link_dumps = timeline_dumps(mixed, long_posts(groups, 3000, args.seed), 600, args.seed + 7)
    # posts of several lines as people write them: one author's lines that the model may split
    link_dumps += edited_dumps(tr["chatgpt"] + tr["twarc"], 200, args.seed + 9, "edited")
    print(f"{len(train)} training dumps, {len(dev)} dev dumps, {time.time() - t0:.0f}s")
    kinds = ["fast", "minilm"] if args.model == "both" else [args.model]
    for kind in kinds:
        contextual = None
        if kind == "minilm":
            from socialscan.embed.cache import CachedEmbedder
            from socialscan.embed.minilm_onnx import OnnxMiniLMEmbedder

            # the disk cache: a refit reads the vectors of the lines it embedded before
            contextual = Memo(CachedEmbedder(OnnxMiniLMEmbedder.default()))
        out = minilm_path if kind == "minilm" else fast_path
        # the accurate model averages its log-odds with the fast trees' (fitted first)
        blend = BoundaryModel.load(fast_path) if kind == "minilm" else None
        if args.linker_only:
            saved = json.loads(out.read_text())
            saved["linker"] = None  # refitted below, perhaps on other inputs
            model = BoundaryModel.from_json(saved)
            model.blend = blend
            rows = [(name, v["baseline"], v["model"]) for name, v in model.meta["heldout"].items()]
        else:
            model, rows = train_one(
                train,
                dev,
                heldout,
                emb,
                center,
                contextual,
                args.seed,
                blend,
                None if args.no_probe else halves,
            )
        model.linker = None
        linker = fit_linker(link_dumps, emb, model, contextual)
        units = {}
        for name, dumps in heldout.items():
            rule = unit_scores(dumps, emb, model, contextual)  # thread_id's rule, no linker
            model.linker = linker
            units[name] = {"rule": rule, "linker": unit_scores(dumps, emb, model, contextual)}
            model.linker = None
            print(f"units {name}: rule {rule['f1']:.3f}, linker {units[name]['linker']['f1']:.3f}")
        model.linker = linker
        model.meta["units"] = units
        table = [
            f"{kind}: | held-out dumps | baseline P / R / F1 / WD | model P / R / F1 / WD |",
            "|---|---|---|",
        ]
        for name, b, m in rows:
            table.append(f"| {name} ({m['dumps']}) | {format_scores(b)} | {format_scores(m)} |")
        print("\n".join(table))
        model.save(out)
        print(f"wrote {out} in {time.time() - t0:.0f}s")


if __name__ == "__main__":
    main()
