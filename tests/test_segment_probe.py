"""The probe: a learned column that reads what the lines either side of a gap say, fitted with
the trees, kept in the model's JSON, the same whichever block a gap is decided in."""

from __future__ import annotations

import json
import math

import numpy as np
import pytest
from sklearn.ensemble import HistGradientBoostingClassifier

from socialscan.segment.cascade import Cascade
from socialscan.segment.features import PASS1_FEATURES
from socialscan.segment.model import BoundaryModel
from socialscan.segment.probe import PROBE_FEATURES, LinearProbe, pairs


def _unit(rng, n, d=16):
    v = rng.normal(size=(n, d)).astype(np.float32)
    return v / np.linalg.norm(v, axis=1, keepdims=True)


def test_a_probe_learns_which_line_pairs_are_boundaries():
    rng = np.random.default_rng(0)
    emb = _unit(rng, 3000)
    # a boundary wherever the line before points one way: a "sign-off"
    y = (emb[:-1, 0] > 0.2).astype(int)
    probe = LinearProbe.fit(pairs(emb)[1:], y)
    lo = probe.column(emb)[1:, 0]
    assert lo.dtype == np.float32
    assert ((lo > 0) == y).mean() > 0.95


def test_the_column_is_the_log_odds_of_the_pairs_and_ignores_other_rows():
    rng = np.random.default_rng(1)
    emb = _unit(rng, 40)
    probe = LinearProbe(rng.normal(size=48).astype(np.float32), 0.25)
    whole = probe.column(emb)
    np.testing.assert_allclose(whole[1:, 0], probe.column_of_pairs(pairs(emb)[1:]), atol=1e-5)
    assert whole[0, 0] == 0.0  # no gap before the first line
    # a block that starts elsewhere gives its gaps the same values, bit for bit
    np.testing.assert_array_equal(probe.column(emb[7:30])[1:], whole[8:30])


def test_a_model_with_a_probe_names_its_column_and_survives_json(tmp_path):
    rng = np.random.default_rng(2)
    n = 2000
    x = np.zeros((n, len(PASS1_FEATURES) + 1), dtype=np.float32)
    x[:, -1] = rng.normal(size=n)  # the probe's column
    x[:, 3] = rng.normal(size=n)
    y = (x[:, -1] + 0.3 * x[:, 3] > 0).astype(int)
    model = BoundaryModel.from_sklearn(HistGradientBoostingClassifier(max_iter=20).fit(x, y))
    model.probe = LinearProbe(rng.normal(size=12).astype(np.float32), -0.5)
    assert model.features == PASS1_FEATURES + PROBE_FEATURES
    model.save(tmp_path / "m.json")
    again = BoundaryModel.load(tmp_path / "m.json")
    assert again.features[-1] == "probe_lo"
    np.testing.assert_allclose(again.probe.coef, model.probe.coef, atol=1e-6)
    assert again.probe.intercept == -0.5
    np.testing.assert_allclose(again.proba(x), model.proba(x), atol=1e-6)


def test_the_accurate_model_must_read_the_columns_its_fast_model_reads():
    rng = np.random.default_rng(3)
    x = rng.normal(size=(500, 2))
    y = (x[:, 0] > 0).astype(int)
    fast = BoundaryModel.from_sklearn(HistGradientBoostingClassifier(max_iter=5).fit(x, y))
    fast.probe = LinearProbe(np.zeros(6, dtype=np.float32), 0.0)
    accurate = BoundaryModel.from_sklearn(HistGradientBoostingClassifier(max_iter=5).fit(x, y))
    accurate.semantic, accurate.blend = "minilm-onnx", fast
    with pytest.raises(ValueError, match="first columns"):
        Cascade(accurate)  # the fast model has a probe column that the accurate one lacks
    accurate.probe = fast.probe
    assert Cascade(accurate).width == len(PASS1_FEATURES) + 1


def test_the_probe_is_stored_as_plain_numbers():
    probe = LinearProbe(np.array([0.5, -1.25, 2.0], dtype=np.float32), 0.125)
    d = json.loads(json.dumps(probe.to_json()))
    assert d["coef"] == [0.5, -1.25, 2.0] and d["intercept"] == 0.125
    assert LinearProbe.from_json(d).coef.dtype == np.float32


def test_the_cascade_reads_the_contextual_probe_where_it_reads_the_contextual_columns():
    from socialscan.segment.cohesion import SEMANTIC_FEATURES
    from socialscan.segment.items import line_items

    rng = np.random.default_rng(4)
    fast = BoundaryModel.from_sklearn(
        HistGradientBoostingClassifier(max_iter=5).fit(rng.normal(size=(400, 2)), [0, 1] * 200)
    )
    accurate = BoundaryModel.from_sklearn(
        HistGradientBoostingClassifier(max_iter=5).fit(rng.normal(size=(400, 2)), [0, 1] * 200)
    )
    accurate.semantic, accurate.blend = "minilm-onnx", fast
    accurate.context_probe = LinearProbe(rng.normal(size=3 * 8).astype(np.float32), 0.5)
    assert accurate.features[-1] == "sem_probe_lo"

    class Vectors:
        name, dim = "minilm-onnx", 8

        def embed(self, texts):
            return _unit(np.random.default_rng(len(texts)), len(texts), 8)

    items = list(line_items(enumerate(["a line", "another", "and more", "the end"] * 5, 1)))
    x = np.zeros((len(items), len(PASS1_FEATURES)), dtype=np.float32)
    casc = Cascade(accurate, margin=math.inf)  # no gap is sure: every one reads MiniLM
    rows = casc.rows(items, x, Vectors())
    assert rows.shape[1] == len(PASS1_FEATURES) + len(SEMANTIC_FEATURES) + 1
    emb = Vectors().embed([it.info.text for it in items])
    np.testing.assert_array_equal(rows[1:, -1], accurate.context_probe.column(emb)[1:, 0])
    sure = Cascade(accurate, margin=0.0).rows(items, x, Vectors())  # every gap sure
    assert np.isnan(sure[1:, -1]).all()
