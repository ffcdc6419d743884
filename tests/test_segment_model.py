"""The boundary model: scikit-learn's trees, flattened to JSON, give scikit-learn's answers."""

from __future__ import annotations

import json

import numpy as np
import pytest
from sklearn.ensemble import HistGradientBoostingClassifier

from socialscan.segment.features import PASS1_FEATURES
from socialscan.segment.model import BoundaryModel


def test_flattened_trees_match_scikit_learn_and_survive_json():
    rng = np.random.default_rng(0)
    x = rng.normal(size=(4000, 6))
    y = ((x[:, 0] > 0.3) ^ (x[:, 1] * x[:, 2] > 0.1)).astype(int)
    x[rng.random(x.shape) < 0.02] = np.nan  # missing values take scikit-learn's branch
    clf = HistGradientBoostingClassifier(max_iter=60, max_depth=5, random_state=0).fit(x, y)
    model = BoundaryModel.from_sklearn(clf)
    expected = clf.predict_proba(x)[:, 1]
    np.testing.assert_allclose(model.proba(x), expected, atol=1e-9)

    again = BoundaryModel.from_json(json.loads(json.dumps(model.to_json())))
    np.testing.assert_allclose(again.proba(x), expected, atol=1e-6)  # values rounded to 1e-7
    clean = np.nan_to_num(x)  # the fast walk (no NaN anywhere) agrees too
    np.testing.assert_allclose(again.proba(clean), clf.predict_proba(clean)[:, 1], atol=1e-6)


def test_a_model_saved_before_features_were_added_reads_its_own_by_name(tmp_path):
    rng = np.random.default_rng(2)
    x = rng.normal(size=(2000, 3))
    y = (x[:, 0] + x[:, 2] > 0.2).astype(int)
    clf = HistGradientBoostingClassifier(max_iter=20, random_state=0).fit(x, y)
    saved = BoundaryModel.from_sklearn(clf).to_json()
    # saved when the layout was these three columns, in this order
    saved["features"] = [PASS1_FEATURES[5], PASS1_FEATURES[0], PASS1_FEATURES[-1]]
    (tmp_path / "old.json").write_text(json.dumps(saved))
    model = BoundaryModel.load(tmp_path / "old.json")
    today = np.zeros((len(x), len(PASS1_FEATURES)))
    today[:, [5, 0, len(PASS1_FEATURES) - 1]] = x
    np.testing.assert_allclose(model.proba(today), clf.predict_proba(x)[:, 1], atol=1e-6)

    saved["features"][2] = "a_feature_no_longer_computed"
    (tmp_path / "gone.json").write_text(json.dumps(saved))
    with pytest.raises(ValueError, match="a_feature_no_longer_computed.*retrain it"):
        BoundaryModel.load(tmp_path / "gone.json")


def test_a_blended_model_averages_its_log_odds_with_the_other_models():
    rng = np.random.default_rng(1)
    x = rng.normal(size=(2000, 5))
    y = (x[:, 0] + x[:, 3] > 0).astype(int)
    few = BoundaryModel.from_sklearn(
        HistGradientBoostingClassifier(max_iter=30, random_state=0).fit(x[:, :2], y)
    )
    many = BoundaryModel.from_sklearn(
        HistGradientBoostingClassifier(max_iter=30, random_state=0).fit(x, y)
    )
    alone = many.log_odds(x)
    many.blend = few
    np.testing.assert_allclose(many.log_odds(x), 0.5 * (alone + few.log_odds(x[:, :2])))
    assert many.proba(x).min() > 0 and many.proba(x).max() < 1


def test_the_shipped_accurate_model_blends_the_fast_trees_it_was_fitted_with():
    from socialscan.segment.model import SEMANTIC_MODEL_PATH, default_model, semantic_model

    accurate = semantic_model()
    # the fast model was refitted (block style) and the accurate one not yet: it keeps its
    # own fast trees, in the file beside it; a refit blends the shipped fast model again
    saved = accurate.to_json()["blend"]
    assert saved in ("fast", accurate.blend_name)
    if saved == "fast":
        assert accurate.blend is default_model()
    else:
        assert (SEMANTIC_MODEL_PATH.parent / saved).is_file()
        assert accurate.blend is not default_model() and not accurate.blend.semantic


def test_a_model_names_the_file_of_the_trees_it_blends(tmp_path):
    rng = np.random.default_rng(3)
    x = rng.normal(size=(1000, 2))
    y = (x[:, 0] > 0).astype(int)
    fast = BoundaryModel.from_sklearn(HistGradientBoostingClassifier(max_iter=10).fit(x, y))
    fast.save(tmp_path / "its_fast.json")
    accurate = BoundaryModel.from_sklearn(HistGradientBoostingClassifier(max_iter=10).fit(x, y))
    saved = accurate.to_json()
    saved["blend"] = "its_fast.json"
    (tmp_path / "accurate.json").write_text(json.dumps(saved))
    loaded = BoundaryModel.load(tmp_path / "accurate.json")
    assert loaded.blend_name == "its_fast.json" and loaded.to_json()["blend"] == "its_fast.json"
    today = np.zeros((len(x), len(PASS1_FEATURES)))
    today[:, :2] = x
    np.testing.assert_allclose(
        loaded.log_odds(today),
        accurate.log_odds(today) * 0.5 + 0.5 * fast.log_odds(today),
        atol=1e-6,
    )


def test_no_rows_no_probabilities():
    clf = HistGradientBoostingClassifier(max_iter=5).fit([[0.0], [1.0]] * 20, [0, 1] * 20)
    assert BoundaryModel.from_sklearn(clf).proba(np.zeros((0, 1))).shape == (0,)


def _regime(lines: list[str]) -> list[float]:
    from socialscan.segment.features import blank_regime, line_info

    texts = [ln for ln in lines if ln.strip()]
    blanks, n = [], 0
    for ln in lines:
        if ln.strip():
            blanks.append(n)
            n = 0
        else:
            n += 1
    rows = np.asarray([line_info(t).row for t in texts], dtype=np.float32)
    return blank_regime(rows, np.asarray(blanks, dtype=np.float32)).tolist()


def test_blank_regime_tells_delimiting_blank_lines_from_paragraph_breaks():
    delimited = [
        "Three things I check:",
        "- the data",
        "- the evals",
        "",
        "@ann agreed",
        "",
        "@bob me too",
    ]
    rate, at_starts, at_continuations = _regime(delimited)
    assert (rate, at_starts, at_continuations) == (0.5, 1.0, 0.0)

    paragraphs = ["Three things I check:", "", "- the data", "- the evals", "@ann agreed"]
    assert _regime(paragraphs)[1:] == [0.0, 0.5]

    no_cues = ["Good morning", "Nice weather today"]
    rate, at_starts, at_continuations = _regime(no_cues)
    assert (rate, at_starts, at_continuations) == (0.0, -1.0, -1.0)  # no cue either way
