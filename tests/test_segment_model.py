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


def test_no_rows_no_probabilities():
    clf = HistGradientBoostingClassifier(max_iter=5).fit([[0.0], [1.0]] * 20, [0, 1] * 20)
    assert BoundaryModel.from_sklearn(clf).proba(np.zeros((0, 1))).shape == (0,)
