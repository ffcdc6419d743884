"""Claims models side by side on the corpus's test split (nothing is chosen on it).

    python -m training.claims.experiments [--only KEY,...] [--out bench/results_claims_models.md]

Every model is fitted on ``train``; regularisation, early stopping, calibration and thresholds
use ``dev``; the table reports ``test``. Variants: the zero-shot scorer (descriptions, cues,
examples), logistic heads over static and MiniLM vectors (with and without the cue and post
features), the static model fine-tuned as a classifier (model2vec's trainer), MiniLM fine-tuned
(mean pooling + linear head, BCE), a learning curve and the train-vs-test gap.
"""

from __future__ import annotations

import argparse
import time
from pathlib import Path

import numpy as np

from socialscan.claims.fit import calibrate, feature_stats, fit_head
from socialscan.claims.post_features import post_features
from socialscan.claims.scores import score_labels

from . import sources as cs

ROOT = cs.ROOT
CORPUS = ROOT / "corpora" / "claims.jsonl"
LABELS = ["finetuning_advice", "product_plug", "privacy_statement", "self_promotion"]
WORK = ROOT / "bench" / "work" / "claims"


def load_corpus(path: Path = CORPUS):
    """The stored corpus with each pointer's text read from ../shared/data."""
    from socialscan.claims.corpus import read_corpus
    from socialscan.claims.post_features import readable

    data = read_corpus(path, cs.DATA)
    data.texts = readable(data.texts)  # as the model reads them (MiniLM fine-tuning too)
    return data


def names(pred: np.ndarray) -> list[list[str]]:
    return [[LABELS[j] for j in np.nonzero(r)[0]] for r in pred]


def timed(fn, texts, repeat=1):
    best = None
    for _ in range(repeat):
        t0 = time.perf_counter()
        fn(texts)
        dt = time.perf_counter() - t0
        best = dt if best is None else min(best, dt)
    return len(texts) / best


class Result:
    def __init__(self, name, scores, posts_s, size_mb, note=""):
        self.name, self.scores, self.posts_s, self.size_mb, self.note = (
            name,
            scores,
            posts_s,
            size_mb,
            note,
        )


def head_variant(name, enc_fn, tr, dev, te, y_tr, y_dev, feats=(), speed_texts=None):
    """A logistic head over enc_fn(texts) [+ post features] [+ cue features]."""

    def inputs(texts, stats=None):
        parts = [enc_fn(texts)]
        if "post" in feats:
            f = post_features(texts)
            parts.append((f - stats[0]) / stats[1])
        if "cues" in feats:
            parts.append(cue_features(texts))
        return np.hstack(parts).astype(np.float32)

    stats = feature_stats(tr.texts) if "post" in feats else None
    fitted = fit_head(inputs(tr.texts, stats), y_tr, inputs(dev.texts, stats), y_dev)
    w, b = fitted.w, fitted.b

    def predict(texts):
        z = inputs(texts, stats) @ w.T + b
        return 1 / (1 + np.exp(-(fitted.calib_a * z + fitted.calib_b)))

    p = predict(te.texts)
    sc = score_labels(names(p >= fitted.thresholds), te.labels, LABELS)
    p_tr = predict(tr.texts)
    sc_tr = score_labels(names(p_tr >= fitted.thresholds), tr.labels, LABELS)
    speed = timed(predict, speed_texts) if speed_texts else float("nan")
    return Result(name, sc, speed, 0.0, f"train macro-F1 {sc_tr.macro_f1:.3f}"), p, fitted


_TAGGER = None


def zero_shot():
    global _TAGGER
    if _TAGGER is None:
        from socialscan.claims import get_tagger

        _TAGGER = get_tagger(model=None)
    return _TAGGER


def cue_features(texts):
    t = zero_shot()
    f = t.post_features(texts)
    return np.hstack([f.cue, f.sim, f.sim - f.background[:, None]])


def static_vectors(texts):
    from socialscan.embed.static import StaticEmbedder

    m = StaticEmbedder.default().model
    return np.asarray(
        m.encode(list(texts), show_progress_bar=False, use_multiprocessing=False), np.float32
    )


def minilm_vectors(texts):
    from socialscan.embed.minilm_onnx import OnnxMiniLMEmbedder

    return OnnxMiniLMEmbedder.default().embed(list(texts))


def finetune_static(tr, dev, y_tr, y_dev, epochs=None, seed=42):
    """model2vec's own trainer: the static vectors and a head, fine-tuned together."""
    from model2vec import StaticModel
    from model2vec.train import StaticModelForClassification

    from socialscan.embed.static import STATIC_MODEL_DIR

    base = StaticModel.from_pretrained(str(STATIC_MODEL_DIR))
    clf = StaticModelForClassification.from_static_model(model=base, n_layers=1, hidden_dim=256)
    y = [[LABELS[j] for j in np.nonzero(r)[0]] or ["none"] for r in y_tr]
    yv = [[LABELS[j] for j in np.nonzero(r)[0]] or ["none"] for r in y_dev]
    clf.fit(
        list(tr.texts),
        y,
        X_val=list(dev.texts),
        y_val=yv,
        learning_rate=1e-3,
        early_stopping_patience=5,
        random_seed=seed,
        class_weight=None,
    )
    cols = [list(clf.classes_).index(lab) for lab in LABELS]

    def logits(texts):
        import torch

        with torch.no_grad():
            out = []
            for i in range(0, len(texts), 1024):
                out.append(clf._encode_single_batch(list(texts[i : i + 1024])).numpy())
        return np.vstack(out)[:, cols]

    return clf, logits


def minilm_finetune(
    tr, dev, y_tr, y_dev, epochs=4, lr=5e-5, max_len=96, seed=0, out_dir: Path | None = None
):
    """MiniLM fine-tuned: mean pooling + linear head, BCE with positive weights; the epoch with
    the best dev average precision is kept."""
    import torch
    from sklearn.metrics import average_precision_score
    from transformers import AutoTokenizer, BertModel

    from socialscan.embed.minilm_onnx import minilm_dir

    torch.manual_seed(seed)
    torch.set_num_threads(2)
    src = minilm_dir()
    tok = AutoTokenizer.from_pretrained(str(src))
    bert = BertModel.from_pretrained(str(src))
    head = torch.nn.Linear(bert.config.hidden_size, len(LABELS))
    params = list(bert.parameters()) + list(head.parameters())
    opt = torch.optim.AdamW(params, lr=lr, weight_decay=0.01)
    pos = y_tr.sum(0)
    pw = torch.tensor(np.sqrt((len(y_tr) - pos) / np.maximum(pos, 1)), dtype=torch.float32)
    loss_fn = torch.nn.BCEWithLogitsLoss(pos_weight=pw)
    n_steps = epochs * ((len(tr.texts) + 31) // 32)
    sched = torch.optim.lr_scheduler.LambdaLR(
        opt, lambda s: min(1.0, (s + 1) / (0.1 * n_steps)) * max(0.0, (n_steps - s) / n_steps)
    )

    def enc(texts):
        b = tok(list(texts), padding=True, truncation=True, max_length=max_len, return_tensors="pt")
        h = bert(**b).last_hidden_state
        m = b["attention_mask"].unsqueeze(-1).float()
        return (h * m).sum(1) / m.sum(1).clamp(min=1e-9)

    def logits(texts, bs=128):
        bert.eval()
        with torch.no_grad():
            order = np.argsort([len(t) for t in texts])
            res = np.zeros((len(texts), len(LABELS)), np.float32)
            for i in range(0, len(texts), bs):
                idx = order[i : i + bs]
                res[idx] = head(enc([texts[k] for k in idx])).numpy()
        return res

    best = (-1.0, None)
    rng = np.random.default_rng(seed)
    y_t = torch.tensor(y_tr, dtype=torch.float32)
    for ep in range(epochs):
        bert.train()
        order = rng.permutation(len(tr.texts))
        t0 = time.time()
        for i in range(0, len(order), 32):
            idx = order[i : i + 32]
            z = head(enc([tr.texts[k] for k in idx]))
            loss = loss_fn(z, y_t[idx])
            opt.zero_grad()
            loss.backward()
            opt.step()
            sched.step()
        z_dev = logits(dev.texts)
        ap = np.mean(
            [
                average_precision_score(y_dev[:, j], z_dev[:, j])
                for j in range(len(LABELS))
                if y_dev[:, j].any()
            ]
        )
        print(
            f"  minilm epoch {ep + 1}: dev mean AP {ap:.3f} ({time.time() - t0:.0f} s)", flush=True
        )
        if ap > best[0]:
            best = (
                ap,
                {k: v.detach().clone() for k, v in bert.state_dict().items()},
                {k: v.detach().clone() for k, v in head.state_dict().items()},
            )
    bert.load_state_dict(best[1])
    head.load_state_dict(best[2])
    if out_dir is not None:
        out_dir.mkdir(parents=True, exist_ok=True)
        bert.save_pretrained(str(out_dir / "bert"))
        tok.save_pretrained(str(out_dir / "bert"))
        torch.save(head.state_dict(), out_dir / "head.pt")
    return bert, head, logits


def scores_from_logits(z_dev, y_dev, z_te, te):
    a, b, t = calibrate(z_dev, y_dev)
    p = 1 / (1 + np.exp(-(a * z_te + b)))
    return score_labels(names(p >= t), te.labels, LABELS), p, (a, b, t)


def table(results):
    head = (
        "| model | "
        + " | ".join(f"F1 {lab} (n)" for lab in LABELS)
        + " | macro-F1 | posts/s | size | notes |"
    )
    rows = [head, "|" + "---|" * (len(LABELS) + 5)]
    for r in results:
        cells = [f"{s.f1:.3f} ({s.support})" for s in r.scores.labels]
        rows.append(
            f"| {r.name} | "
            + " | ".join(cells)
            + f" | **{r.scores.macro_f1:.3f}** | {r.posts_s:,.0f} | {r.size_mb} | {r.note} |"
        )
    return "\n".join(rows)


def model_variant(name, tr, dev, te, y_tr, y_dev, speed, size, **kw):
    """A ClaimModel trained by the package's own trainer (the path `socialscan train claims`
    takes), scored on test, timed on ``speed`` texts."""
    from socialscan.claims.fit import new_model

    t0 = time.time()
    m = new_model(LABELS, tr.texts, y_tr, dev.texts, y_dev, **kw)
    fit = time.time() - t0
    p = m.predict(te.texts)
    sc = score_labels(names(m.decide(p)), te.labels, LABELS)
    sc_tr = score_labels(names(m.decide(m.predict(tr.texts))), tr.labels, LABELS)
    m.predict(speed[:200])  # load the encoder before timing
    r = Result(
        name,
        sc,
        timed(m.predict, speed),
        size,
        f"train macro-F1 {sc_tr.macro_f1:.3f}; fit {fit:.0f} s",
    )
    return r, m, p


VARIANTS = {
    # name: (label in the table, new_model options, size)
    "static": (
        "static vectors + logistic head",
        dict(ngrams=False, with_features=False),
        "15 MB (shared)",
    ),
    "static-post": ("static vectors + post features", dict(ngrams=False), "15 MB (shared)"),
    "minilm": (
        "int8 MiniLM vectors + logistic head",
        dict(ngrams=False, with_features=False, encoder={"kind": "minilm-base"}),
        "23 MB (shared)",
    ),
    "minilm-post": (
        "int8 MiniLM vectors + post features",
        dict(ngrams=False, encoder={"kind": "minilm-base"}),
        "23 MB (shared)",
    ),
    "words": (
        "word n-grams (TF-IDF, words and pairs)",
        dict(with_features=False, encoder={"kind": "none"}),
        "n-gram table",
    ),
    "ngrams": (
        "word + character n-grams (TF-IDF)",
        dict(with_features=False, chars=True, encoder={"kind": "none"}),
        "n-gram table",
    ),
    "words-static-post": (
        "word n-grams + static vectors + post features",
        dict(),
        "n-grams + 15 MB",
    ),
    "ngrams-static-post": (
        "word + char n-grams + static vectors + post features",
        dict(chars=True),
        "n-grams + 15 MB",
    ),
    "ngrams-static-post-pool": (
        "the same, train + dev pooled (5-fold choice and calibration)",
        dict(chars=True, pool=True),
        "n-grams + 15 MB",
    ),
    "words-static-post-pool": (
        "word n-grams + static + post features, pooled",
        dict(pool=True),
        "n-grams + 15 MB",
    ),
    "words-minilm-post": (
        "word n-grams + int8 MiniLM vectors + post features",
        dict(encoder={"kind": "minilm-base"}),
        "n-grams + 23 MB",
    ),
}


def main():
    ap = argparse.ArgumentParser(
        prog="python -m training.claims.experiments",
        description=__doc__,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    ap.add_argument("--only", default="", help="comma-separated variants (default: all)")
    ap.add_argument("--out", default=str(ROOT / "bench" / "results_claims_models.md"))
    ap.add_argument("--epochs", type=int, default=4, help="MiniLM fine-tuning epochs")
    ap.add_argument(
        "--examples",
        action="store_true",
        help="add the taxonomy's example and background sentences to train",
    )
    args = ap.parse_args()
    only = [x for x in args.only.split(",") if x]
    data = load_corpus()
    tr, dev, te = data.part("train"), data.part("dev"), data.part("test")
    if args.examples:  # the taxonomy's example and background sentences as training posts
        from socialscan.claims.fit import taxonomy_examples

        ex_t, ex_l = taxonomy_examples(LABELS)
        tr = type(tr)(tr.texts + ex_t, tr.labels + ex_l, ["train"] * (len(tr.texts) + len(ex_t)))
    y_tr, y_dev = tr.matrix(LABELS), dev.matrix(LABELS)
    print(
        f"train {len(tr.texts)} dev {len(dev.texts)} test {len(te.texts)}; "
        f"train positives {dict(zip(LABELS, y_tr.sum(0).tolist(), strict=True))}; "
        f"test {dict(zip(LABELS, te.matrix(LABELS).sum(0).tolist(), strict=True))}",
        flush=True,
    )
    speed = (te.texts * (5000 // max(1, len(te.texts)) + 1))[:5000]
    results = []
    keys = only or ["zero", *VARIANTS, "cues", "m2v", "ft"]
    for key in keys:
        if key == "zero":
            t = zero_shot()
            p = t.post_scores(te.texts)
            sc = score_labels(names(p >= 0.5), te.labels, LABELS)
            r = Result(
                "zero-shot scorer (descriptions, cues, examples)",
                sc,
                timed(lambda x, t=t: t.tag_texts(x, workers=1), speed),
                "15 MB (shared)",
            )
        elif key in VARIANTS:
            label, kw, size = VARIANTS[key]
            sp = speed[:1000] if "minilm" in key else speed
            r, _, _ = model_variant(label, tr, dev, te, y_tr, y_dev, sp, size, **kw)
        elif key.startswith("curve:"):
            # the learning curve of one variant: train on the first n training posts (a fixed
            # random order), score test and train; the gap says whether more posts would help
            label, kw, size = VARIANTS[key.split(":", 1)[1]]
            order = np.random.default_rng(0).permutation(len(tr.texts))
            for n in (250, 500, 1000, 2000, 4000, len(tr.texts)):
                idx = np.sort(order[:n])
                sub = type(tr)(
                    [tr.texts[i] for i in idx], [tr.labels[i] for i in idx], ["train"] * n
                )
                rr, _, _ = model_variant(
                    f"{label}, {n} training posts",
                    sub,
                    dev,
                    te,
                    y_tr[idx],
                    y_dev,
                    speed[:500],
                    size,
                    **kw,
                )
                results.append(rr)
                print(f"{rr.name}: macro-F1 {rr.scores.macro_f1:.3f}, {rr.note}", flush=True)
            continue
        elif key == "ensemble":
            # the fast model and fine-tuned MiniLM (its logits saved by the "ft" run), their
            # calibrated log-odds summed with a weight chosen on dev, then calibrated on dev
            label, kw, size = VARIANTS["ngrams-static-post"]
            rr, fast, _ = model_variant(label, tr, dev, te, y_tr, y_dev, speed[:200], size, **kw)
            saved = np.load(WORK / "minilm-ft" / "logits.npz")
            a, b, _ = calibrate(saved["dev"], y_dev)
            ft_dev, ft_te = a * saved["dev"] + b, a * saved["test"] + b
            fa_dev = fast.calib_a * fast.logits(dev.texts) + fast.calib_b
            fa_te = fast.calib_a * fast.logits(te.texts) + fast.calib_b
            from sklearn.metrics import average_precision_score

            def dev_ap(wt, ft_dev=ft_dev, fa_dev=fa_dev):
                z = wt * ft_dev + (1 - wt) * fa_dev
                return np.mean(
                    [average_precision_score(y_dev[:, j], z[:, j]) for j in range(len(LABELS))]
                )

            wt = max(np.arange(0, 1.01, 0.1), key=dev_ap)
            sc, _, _ = scores_from_logits(
                wt * ft_dev + (1 - wt) * fa_dev, y_dev, wt * ft_te + (1 - wt) * fa_te, te
            )
            r = Result(
                f"n-gram model + MiniLM fine-tuned (log-odds, MiniLM weight {wt:.1f} "
                "chosen on dev)",
                sc,
                float("nan"),
                "n-grams + 23 MB int8",
                f"dev mean AP {dev_ap(wt):.3f} (MiniLM alone {dev_ap(1.0):.3f}, "
                f"n-grams alone {dev_ap(0.0):.3f})",
            )
        elif key == "cues":
            r, _, _ = head_variant(
                "static vectors + post features + zero-shot cue features",
                static_vectors,
                tr,
                dev,
                te,
                y_tr,
                y_dev,
                ("post", "cues"),
                speed,
            )
            r.size_mb = "15 MB (shared)"
        elif key == "m2v":
            t0 = time.time()
            clf, lg = finetune_static(tr, dev, y_tr, y_dev)
            sc, _, _ = scores_from_logits(lg(dev.texts), y_dev, lg(te.texts), te)
            sc_tr, _, _ = scores_from_logits(lg(dev.texts), y_dev, lg(tr.texts), tr)
            r = Result(
                "static model fine-tuned as a classifier (model2vec trainer)",
                sc,
                timed(lg, speed),
                "15 MB",
                f"train macro-F1 {sc_tr.macro_f1:.3f}; fit {time.time() - t0:.0f} s",
            )
        elif key == "ft":
            t0 = time.time()
            bert, head, lg = minilm_finetune(
                tr, dev, y_tr, y_dev, epochs=args.epochs, out_dir=WORK / "minilm-ft"
            )
            z_dev, z_te, z_tr = lg(dev.texts), lg(te.texts), lg(tr.texts)
            np.savez(WORK / "minilm-ft" / "logits.npz", dev=z_dev, test=z_te, train=z_tr)
            sc, _, _ = scores_from_logits(z_dev, y_dev, z_te, te)
            sc_tr, _, _ = scores_from_logits(z_dev, y_dev, z_tr, tr)
            r = Result(
                "MiniLM fine-tuned (mean pooling + linear head; torch fp32)",
                sc,
                timed(lg, speed[:1000]),
                "90 MB",
                f"train macro-F1 {sc_tr.macro_f1:.3f}; fit {time.time() - t0:.0f} s",
            )
        else:
            raise SystemExit(f"unknown variant {key}")
        results.append(r)
        print(
            f"{r.name}: macro-F1 {r.scores.macro_f1:.3f}, {r.posts_s:,.0f} posts/s, {r.note}",
            flush=True,
        )
    text = table(results)
    print(text)
    Path(args.out).write_text(text + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()
