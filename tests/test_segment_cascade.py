"""The accurate segmenter as a cascade: MiniLM embeds only the lines that the gaps the fast
trees hesitate on read; sure gaps keep the fast model's probability."""

from __future__ import annotations

import math
from collections.abc import Sequence

import numpy as np
import pytest

from socialscan.embed.minilm_onnx import OnnxMiniLMEmbedder
from socialscan.embed.static import StaticEmbedder
from socialscan.segment import cascade, segmenter
from socialscan.segment.cascade import REACH, Cascade, needed_lines
from socialscan.segment.choice import choose_segmenter, minilm_ready
from socialscan.segment.cohesion import semantic
from socialscan.segment.items import line_items
from socialscan.segment.model import semantic_model
from socialscan.segment.segmenter import SegmentRun, gap_features, segment_lines
from training.segments.heldout import heldout_dumps
from training.segments.sources import pools


class Recording:
    """MiniLM's vectors, remembered by text (the full and cascade runs share them), and every
    text asked for, in order."""

    name, dim, contextual, fork_safe = "minilm-onnx", 384, True, False

    def __init__(self, inner, memo: dict[str, np.ndarray]):
        self.inner, self.memo, self.asked = inner, memo, []

    def embed(self, texts: Sequence[str]) -> np.ndarray:
        self.asked += texts
        new = [t for t in dict.fromkeys(texts) if t not in self.memo]
        if new:
            self.memo.update(zip(new, self.inner.embed(new), strict=True))
        if not texts:
            return np.zeros((0, self.dim), dtype=np.float32)
        return np.stack([self.memo[t] for t in texts])


@pytest.fixture(scope="module")
def dumps(shared_data):
    """Held-out dumps (no reserved post, none a training dump holds), two of every row."""
    return [d for row in heldout_dumps(pools(shared_data)["heldout"], 2).values() for d in row]


@pytest.fixture(scope="module")
def minilm():
    return OnnxMiniLMEmbedder(threads=1)  # exports the model on the first run on a machine


@pytest.fixture(scope="module")
def memo() -> dict[str, np.ndarray]:
    return {}


def _posts(lines, model, ctx, margin, monkeypatch, gaps=None):
    monkeypatch.setattr(cascade, "MARGIN", margin)
    on_gap = None if gaps is None else (lambda n, p: gaps.append(p))
    segs = segment_lines(
        iter(enumerate(lines, 1)), StaticEmbedder.default(), model, on_gap=on_gap, contextual=ctx
    )
    return [(s[0][0], s[-1][0]) for s, _ in segs]


@pytest.mark.parametrize("g", [1, 5, 8, 9, 20, 31, 38, 39])
def test_a_gaps_contextual_features_read_exactly_the_lines_needed_lines_names(g):
    rng = np.random.default_rng(g)
    emb = rng.normal(size=(40, 16)).astype(np.float32)
    emb /= np.linalg.norm(emb, axis=1, keepdims=True)
    base = semantic(emb)[g]
    hesitant = np.zeros(40, bool)
    hesitant[g] = True
    need = needed_lines(hesitant)
    assert need.sum() == min(g + REACH, 40) - max(g - REACH, 0)
    for line in range(40):
        moved = emb.copy()
        moved[line] = -moved[line]
        changed = not np.array_equal(semantic(moved)[g], base)
        assert changed == need[line], line  # every line it names is read, no other: same bits


def test_it_embeds_only_the_lines_of_hesitant_gaps(dumps, minilm, memo):
    model = semantic_model()
    fast = model.blend
    # sure: the fast log-odds at least the margin from the accurate model's threshold
    t = math.log(model.threshold / (1 - model.threshold))
    embedded = total = 0
    for d in dumps[::3]:
        items = list(line_items(iter(enumerate(d.lines, 1))))
        ctx = Recording(minilm, memo)
        SegmentRun(StaticEmbedder.default(), model, ctx).scores(items)
        x = gap_features(items, StaticEmbedder.default(), model.center, probe=model.probe)
        hesitant = np.zeros(len(items), bool)
        hesitant[1:] = np.abs(fast.log_odds(x[1:]) - t) < cascade.MARGIN
        need = needed_lines(hesitant)
        assert ctx.asked == [items[i].info.text for i in np.flatnonzero(need)]
        embedded, total = embedded + len(ctx.asked), total + len(items)
    assert 0 < embedded < 0.75 * total  # MiniLM reads fewer lines, not none


def test_sure_gaps_take_the_fast_probability_and_hesitant_ones_the_accurate(dumps, minilm, memo):
    model = semantic_model()
    casc = Cascade(model)
    sure_seen = hesitant_seen = 0
    for d in dumps[1::3]:
        items = list(line_items(iter(enumerate(d.lines, 1))))
        if len(items) < 2:
            continue
        ctx = Recording(minilm, memo)
        x1 = gap_features(items, StaticEmbedder.default(), model.center, probe=model.probe)
        rows = casc.rows(items, x1, ctx)
        p = casc.proba(rows[1:])
        fast_lo = model.blend.log_odds(x1[1:])
        sure = casc.sure(fast_lo)
        np.testing.assert_array_equal(p[sure], 1 / (1 + np.exp(-fast_lo[sure])))
        assert (
            (p[sure] >= model.threshold)
            == (fast_lo[sure] >= math.log(model.blend.threshold / (1 - model.blend.threshold)))
        ).all()
        full = model.proba(
            gap_features(
                items, StaticEmbedder.default(), model.center, ctx, model.probe, model.context_probe
            )[1:]
        )
        np.testing.assert_array_equal(p[~sure], full[~sure])  # the windows hold their lines only
        sure_seen, hesitant_seen = sure_seen + sure.sum(), hesitant_seen + (~sure).sum()
    assert sure_seen > hesitant_seen > 0


def test_with_no_margin_it_is_the_full_accurate_model_bit_for_bit(dumps, minilm, memo, monkeypatch):
    model, emb = semantic_model(), StaticEmbedder.default()
    monkeypatch.setattr(cascade, "MARGIN", math.inf)
    for d in dumps[:12]:
        items = list(line_items(iter(enumerate(d.lines, 1))))
        ctx = Recording(minilm, memo)
        _, p = SegmentRun(emb, model, ctx).scores(items)
        assert ctx.asked == [it.info.text for it in items]  # every line, in order
        # the accurate model as it scored a block before the cascade: every line's features
        vectors = segmenter.static_vectors(items, emb, model.center)
        x = segmenter._features(items, vectors, ctx, model.probe, model.context_probe)
        full = segmenter._probas(items, x, model)
        np.testing.assert_array_equal(p, full)


def test_on_held_out_dumps_its_posts_are_the_full_models_but_a_few(
    dumps, minilm, memo, monkeypatch
):
    model, margin = semantic_model(), cascade.MARGIN
    ctx = Recording(minilm, memo)
    posts_full = posts_cascade = same = 0
    differs = 0
    for d in dumps:
        full = _posts(d.lines, model, ctx, math.inf, monkeypatch)
        casc = _posts(d.lines, model, ctx, margin, monkeypatch)
        assert casc == _posts(d.lines, model, ctx, margin, monkeypatch)  # deterministic
        assert margin < math.inf and margin == cascade.MARGIN
        posts_full, posts_cascade = posts_full + len(full), posts_cascade + len(casc)
        same += len(set(full) & set(casc))
        differs += full != casc
    # measured at margin 0.25 with windows of 1-3 lines: 1,051 of the full model's 1,063 posts
    # kept as they are (98.9%), 1,063 posts in all, 6 of the 32 dumps split differently somewhere
    assert same >= 0.98 * posts_full and abs(posts_cascade - posts_full) <= 0.02 * posts_full
    assert differs <= 0.3 * len(dumps)


def test_auto_still_picks_the_accurate_segmenter_for_small_files_and_it_cascades(dumps, minilm):
    if not minilm_ready():
        pytest.fail("MiniLM's ONNX export is missing: the fixture above makes it")
    ctx = choose_segmenter("auto", size=500_000)
    assert isinstance(ctx, OnnxMiniLMEmbedder)
    assert choose_segmenter("auto", size=2_000_000) is None
    counting = Recording(ctx, {})
    lines = [t for d in dumps[:6] for t in (*d.lines, "")]
    list(segment_lines(iter(enumerate(lines, 1)), contextual=counting))
    assert 0 < len(counting.asked) < sum(1 for t in lines if t.strip())
