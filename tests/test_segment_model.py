"""The boundary model: scikit-learn's trees, flattened to JSON, give scikit-learn's answers."""

from __future__ import annotations

import json

import numpy as np
from sklearn.ensemble import HistGradientBoostingClassifier

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


def test_the_shipped_accurate_model_blends_the_fast_one():
    from socialscan.segment.model import default_model, semantic_model

    assert semantic_model().blend is default_model()
    assert semantic_model().to_json()["blend"] == "fast"


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
