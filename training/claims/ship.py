"""Train the shipped claims models on the corpus and write them into the package.

    python -m training.claims.ship fast       # -> socialscan/resources/claims-model
    python -m training.claims.ship accurate   # -> socialscan/resources/claims-model-accurate

``fast`` (the default of ``tag``, ``scan`` and ``report``) learns from ``train`` and ``dev``
pooled: its C chosen, its scores calibrated and its thresholds set on 5-fold out-of-fold scores,
then refitted on both. ``accurate`` needs MiniLM fine-tuned by
``python -m training.claims.experiments --only ft`` (in ``bench/work/claims/minilm-ft``): it is
exported to int8 ONNX, calibrated on ``dev``, and summed with the log-odds of an n-gram model
fitted on ``train`` alone (so that ``dev`` is clean for both) at the weight that gives the best
dev average precision. ``test`` is only scored; the
scores go into each model's ``info``.
"""

from __future__ import annotations

import argparse
import shutil

import numpy as np

from socialscan.claims.fit import calibrate, new_model, taxonomy_examples
from socialscan.claims.model import ACCURATE_MODEL_DIR, DEFAULT_MODEL_DIR, ClaimModel
from socialscan.claims.scores import score_labels

from .experiments import LABELS, WORK, load_corpus, names


def scored(m: ClaimModel, te) -> dict:
    sc = score_labels(names(m.decide(m.predict(te.texts))), te.labels, LABELS)
    print(sc.table())
    return {
        "test_macro_f1": round(sc.macro_f1, 4),
        "test_f1": {s.label: round(s.f1, 4) for s in sc.labels},
        "test_support": {s.label: s.support for s in sc.labels},
    }


#: The share of the full model's positives (per label, on the posts that set it) the first stage
#: must pass (a minimum would hang on one outlier post).
GATE_RECALL = 0.999


def unlabelled_posts(n_tweeteval: int = 30000) -> tuple[list[str], list[str]]:
    """Real posts beyond the corpus to set and to measure the first stage on: every distinct
    ChatGPT-era and twarc post and a sample of TweetEval, reserved ones left out, split by the
    corpus's own hash (posts whose hash says ``test`` only measure)."""
    import random

    from socialscan.claims.corpus import split_of
    from socialscan.claims.post_features import readable

    from . import sources as cs

    posts = list(cs.all_posts())
    banned = cs.reserved_keys(posts)
    seen, out = set(banned), []
    for p in posts:
        if p.key not in seen and len(p.key) > 3:
            seen.add(p.key)
            out.append(p)
    te_posts = [p for p in out if p.dataset == "tweeteval"]
    keep = [p for p in out if p.dataset != "tweeteval"]
    keep += random.Random(5).sample(te_posts, min(n_tweeteval, len(te_posts)))
    choose = readable([p.text for p in keep if split_of(p.text) != "test"])
    measure = readable([p.text for p in keep if split_of(p.text) == "test"])
    return choose, measure


def gate_for(m: ClaimModel, gate: ClaimModel, choose: list[str], measure: list[str]) -> dict:
    """Set the first stage's thresholds on ``choose`` and measure its recall on ``measure``."""
    full, cheap = m.predict(choose), gate.predict(choose)
    pos = m.decide(full)
    thr = np.array(
        [
            min(float(np.quantile(cheap[pos[:, j], j], 1 - GATE_RECALL)), float(m.thresholds[j]))
            if pos[:, j].any()
            else float(m.thresholds[j])
            for j in range(len(m.labels))
        ],
        np.float32,
    )
    m.gate, m.gate_thresholds = gate, np.floor(thr * 1e4) / 1e4
    full_m = m._predict(measure, 4096)
    pos_m = m.decide(full_m)
    passed = m.passes_gate(measure)
    recall = {lab: float(passed[pos_m[:, j]].mean()) for j, lab in enumerate(m.labels)}
    rows = np.nonzero(pos_m)[0]  # every (post, label) the model holds, together
    both = m.decide(m.predict(measure))
    return {
        "gate_recall_of_model_positives": {k: round(v, 4) for k, v in recall.items()},
        "gate_recall_all_labels": round(float(passed[rows].mean()), 4),
        "gate_passed_share": round(float(passed.mean()), 4),
        "gate_measured_on_posts": len(measure),
        "gate_same_labels_share": round(float((both == pos_m).all(axis=1).mean()), 5),
    }


def with_examples(tr):
    """Training posts plus the taxonomy's example and background sentences."""
    texts, labels = taxonomy_examples(LABELS)
    return type(tr)(tr.texts + texts, tr.labels + labels, ["train"] * (len(tr.texts) + len(texts)))


def examples():
    """The taxonomy's example and background sentences, as (texts, label matrix)."""
    texts, labels = taxonomy_examples(LABELS)
    return texts, np.array([[lab in g for lab in LABELS] for g in labels], dtype=bool)


def first_stage(tr, dev) -> ClaimModel:
    """The cheap first stage: word n-grams, the static vector and the post features (no
    character n-grams, the slow part), pooled like the model it spares."""
    return new_model(
        LABELS,
        tr.texts,
        tr.matrix(LABELS),
        dev.texts,
        dev.matrix(LABELS),
        pool=True,
        extra=examples(),
    )


def regate(data) -> None:
    """Fit a new first stage for the shipped default model and set its thresholds."""
    m = ClaimModel.load(DEFAULT_MODEL_DIR)
    gate = first_stage(data.part("train"), data.part("dev"))
    choose, measure = unlabelled_posts()
    shutil.rmtree(DEFAULT_MODEL_DIR / "gate", ignore_errors=True)
    m.gate = None
    g = gate_for(m, gate, choose, measure)
    print(g)
    m.info["first_stage"] = g
    m.save(DEFAULT_MODEL_DIR)


def fast(data) -> None:
    tr, dev, te = data.part("train"), data.part("dev"), data.part("test")
    y_tr, y_dev = tr.matrix(LABELS), dev.matrix(LABELS)
    m = new_model(LABELS, tr.texts, y_tr, dev.texts, y_dev, chars=True, pool=True, extra=examples())
    gate = new_model(
        LABELS,
        tr.texts,
        y_tr,
        dev.texts,
        y_dev,
        with_features=False,
        encoder={"kind": "none"},
        pool=True,
    )
    choose, measure = unlabelled_posts()
    g = gate_for(m, gate, choose, measure)
    print(g)
    m.info.update(
        corpus="corpora/claims.jsonl",
        trained_on={"train+dev (5-fold)": len(tr.texts) + len(dev.texts), "test": len(te.texts)},
        first_stage=g,
        **scored(m, te),
    )
    if DEFAULT_MODEL_DIR.exists():
        shutil.rmtree(DEFAULT_MODEL_DIR)
    m.save(DEFAULT_MODEL_DIR)


def accurate(data) -> None:
    import torch
    from sklearn.metrics import average_precision_score

    from socialscan.embed.minilm_onnx import export_onnx

    tr, dev, te = with_examples(data.part("train")), data.part("dev"), data.part("test")
    y_dev = dev.matrix(LABELS)
    src = WORK / "minilm-ft"
    out = ACCURATE_MODEL_DIR
    if out.exists():
        shutil.rmtree(out)
    member_dir = out / "minilm"
    member_dir.mkdir(parents=True)
    export_onnx(member_dir / "encoder.onnx", source=src / "bert", per_channel=True)
    shutil.copy(src / "bert" / "tokenizer.json", member_dir / "tokenizer.json")
    head = torch.load(src / "head.pt", weights_only=True)
    n = len(LABELS)
    minilm = ClaimModel(
        labels=LABELS,
        encoder={
            "kind": "minilm",
            "path": "encoder.onnx",
            "tokenizer": "tokenizer.json",
            "max_length": 96,
        },
        features=[],
        w_dense=head["weight"].numpy().astype(np.float32),
        w_sparse=None,
        bias=head["bias"].numpy().astype(np.float32),
        calib_a=np.ones(n, np.float32),
        calib_b=np.zeros(n, np.float32),
        thresholds=np.full(n, 0.5, np.float32),
        feature_mean=np.zeros(0, np.float32),
        feature_scale=np.ones(0, np.float32),
        directory=member_dir,
    )
    z_dev = minilm.logits(dev.texts)  # the int8 graph's logits: calibrate what runs
    minilm.calib_a, minilm.calib_b, minilm.thresholds = calibrate(z_dev, y_dev)
    minilm.info.update(
        fine_tuned="all-MiniLM-L6-v2, mean pooling + linear head, BCE, 4 epochs",
        **scored(minilm, te),
    )
    minilm.save(member_dir)
    fast_model = new_model(
        LABELS,
        tr.texts,
        tr.matrix(LABELS),
        dev.texts,
        y_dev,
        chars=True,
        directory=out / "ngrams",
    )
    fast_model.save(out / "ngrams")
    fa_dev = fast_model.calib_a * fast_model.logits(dev.texts) + fast_model.calib_b
    ft_dev = minilm.calib_a * z_dev + minilm.calib_b

    def dev_ap(w):
        z = w * ft_dev + (1 - w) * fa_dev
        return np.mean([average_precision_score(y_dev[:, j], z[:, j]) for j in range(n)])

    w = float(max(np.round(np.arange(0, 1.01, 0.1), 1), key=dev_ap))
    print(
        f"MiniLM weight {w} (dev mean AP {dev_ap(w):.3f}; alone {dev_ap(1.0):.3f}, "
        f"n-grams alone {dev_ap(0.0):.3f})"
    )
    ens = ClaimModel(
        labels=LABELS,
        encoder={"kind": "none"},
        features=[],
        w_dense=np.zeros((n, 0), np.float32),
        w_sparse=None,
        bias=np.zeros(n, np.float32),
        calib_a=np.ones(n, np.float32),
        calib_b=np.zeros(n, np.float32),
        thresholds=np.full(n, 0.5, np.float32),
        feature_mean=np.zeros(0, np.float32),
        feature_scale=np.ones(0, np.float32),
        members=[(fast_model, 1 - w), (minilm, w)],
    )
    ens.calib_a, ens.calib_b, ens.thresholds = calibrate(ens.logits(dev.texts), y_dev)
    # the default model's cheap first stage spares MiniLM most posts
    gate = ClaimModel.load(DEFAULT_MODEL_DIR / "gate")
    choose, measure = unlabelled_posts(n_tweeteval=10000)
    g = gate_for(ens, gate, choose, measure)
    print(g)
    ens.info.update(
        corpus="corpora/claims.jsonl", minilm_weight=w, first_stage=g, **scored(ens, te)
    )
    ens.save(out)


if __name__ == "__main__":
    ap = argparse.ArgumentParser(
        prog="python -m training.claims.ship",
        description=__doc__,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    ap.add_argument("which", nargs="?", choices=("fast", "accurate", "regate"), default="fast")
    which = ap.parse_args().which
    {"fast": fast, "accurate": accurate, "regate": regate}[which](load_corpus())
