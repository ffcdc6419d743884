"""The boundary model: gradient-boosted trees over gap features, stored as JSON (no pickle).

Trained with scikit-learn's ``HistGradientBoostingClassifier`` (``training/segments``); the trees
are exported to flat arrays and evaluated here with numpy, so parsing needs neither
scikit-learn at import time nor pickle.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from functools import cache
from importlib.resources import files
from pathlib import Path
from typing import Any

import numpy as np

from .cohesion import SEMANTIC_FEATURES
from .features import PASS1_FEATURES
from .linker import Linker
from .probe import CONTEXT_PROBE_FEATURES, PROBE_FEATURES, LinearProbe

#: The fast model: layout and static-embedding features only.
MODEL_PATH = Path(str(files("socialscan") / "resources" / "boundary_model.json"))
#: The accurate model: the same features and contextual (MiniLM) ones.
SEMANTIC_MODEL_PATH = Path(str(files("socialscan") / "resources" / "boundary_model_minilm.json"))
#: Rows of gap features walked through the trees at once (a block's worth would not fit the
#: CPU's cache; see :meth:`BoundaryModel.log_odds`).
WALK_ROWS = 128


@dataclass
class BoundaryModel:
    """``p(a new post starts at this line | gap features)`` from an ensemble of trees.

    All trees live in flat arrays; ``roots[t]`` is the first node of tree ``t``.
    """

    feature: np.ndarray
    threshold_: np.ndarray
    left: np.ndarray
    right: np.ndarray
    value: np.ndarray
    is_leaf: np.ndarray
    roots: np.ndarray
    baseline: float
    depth: int
    threshold: float = 0.5
    center: np.ndarray | None = None
    meta: dict[str, Any] = field(default_factory=dict)
    #: Per node: a missing (NaN) feature goes left (scikit-learn's ``missing_go_to_left``);
    #: ``None``: it goes right everywhere (a model saved without this field).
    missing_left: np.ndarray | None = None
    #: The contextual embedder whose features follow the first-pass ones (``"minilm-onnx"``),
    #: or ``None`` for the fast model.
    semantic: str | None = None
    #: Decides thread links between records this model split (see :mod:`.linker`);
    #: ``None``: the rule "boundary probability under 0.8".
    linker: Linker | None = None
    #: Another model over the first of this model's features whose log-odds are averaged with
    #: this model's own (the accurate model blends the fast trees' in: ``"fast"`` in JSON).
    blend: BoundaryModel | None = None
    #: Where :attr:`blend` is read from: ``"fast"``, the shipped fast model, or the name of a
    #: model file beside this one (the fast trees this model was fitted with, kept when the
    #: fast model is refitted and this one is not).
    blend_name: str = "fast"
    #: The learned column after the first-pass features (:mod:`.probe`), fitted with the
    #: trees; ``None``: a model without it.
    probe: LinearProbe | None = None
    #: The accurate model's probe over contextual vectors, after the contextual features.
    context_probe: LinearProbe | None = None

    @property
    def features(self) -> tuple[str, ...]:
        """The feature columns this model reads, in order."""
        return _columns(bool(self.semantic), self.probe is not None, self.context_probe is not None)

    @classmethod
    def from_sklearn(cls, clf: Any) -> BoundaryModel:
        """Flatten a fitted binary ``HistGradientBoostingClassifier``."""
        feats, thrs, lefts, rights, vals, leaves, roots, missing = [], [], [], [], [], [], [], []
        offset = 0
        depth = 0
        for predictors in clf._predictors:
            nodes = predictors[0].nodes
            roots.append(offset)
            feats.append(nodes["feature_idx"].astype(np.int32))
            thrs.append(nodes["num_threshold"].astype(np.float64))
            lefts.append(nodes["left"].astype(np.int32) + offset)
            rights.append(nodes["right"].astype(np.int32) + offset)
            vals.append(nodes["value"].astype(np.float64))
            leaves.append(nodes["is_leaf"].astype(bool))
            missing.append(nodes["missing_go_to_left"].astype(bool))
            depth = max(depth, int(nodes["depth"].max()))
            offset += len(nodes)
        return cls(
            feature=np.concatenate(feats),
            threshold_=np.concatenate(thrs),
            left=np.concatenate(lefts),
            right=np.concatenate(rights),
            value=np.concatenate(vals),
            is_leaf=np.concatenate(leaves),
            roots=np.asarray(roots, dtype=np.int32),
            baseline=float(np.ravel(clf._baseline_prediction)[0]),
            depth=depth,
            missing_left=np.concatenate(missing),
        )

    def __post_init__(self) -> None:
        # For the walk, nodes are renumbered tree by tree, level by level, so that every right
        # child sits just after its left child: one step is then ``child[node] + goes_right``
        # (one gather fewer than choosing between two child arrays). Leaves are their own child
        # and compare against +inf, so they never move and the walk needs no leaf test.
        order: list[int] = []
        for root in self.roots.tolist():
            level = [root]
            order.append(root)
            while level:
                inner = [o for o in level if not self.is_leaf[o]]
                level = [c for o in inner for c in (int(self.left[o]), int(self.right[o]))]
                order.extend(level)
        old = np.asarray(order, dtype=np.int64)
        new_of = np.empty(len(self.feature), dtype=np.int64)
        new_of[old] = np.arange(len(old))
        leaf = self.is_leaf[old]
        self._child = np.where(leaf, np.arange(len(old)), new_of[self.left[old]])
        self._feature = np.where(leaf, 0, self.feature[old]).astype(np.int64)
        self._thr = np.where(leaf, np.inf, self.threshold_[old])
        self._value = self.value[old]
        self._roots = new_of[self.roots]
        missing = self.missing_left if self.missing_left is not None else np.zeros(len(old), bool)
        # a leaf's NaN "goes left", to itself
        self._missing_left = np.asarray(missing, dtype=bool)[old] | leaf
        # for float32 rows (gap features are): each threshold rounded down to a float32, the
        # largest one not above it, so that a float32 value is <= one exactly when it is <= the
        # other; the walk then gathers and compares half the bytes
        thr32 = self._thr.astype(np.float32)
        above = thr32.astype(np.float64) > self._thr
        thr32[above] = np.nextafter(thr32[above], np.float32(-np.inf))
        self._thr32 = thr32

    def proba(self, x: np.ndarray) -> np.ndarray:
        """Boundary probabilities for rows of gap features (all trees at once)."""
        raw = self.log_odds(x)
        return 1.0 / (1.0 + np.exp(-raw))

    def log_odds(self, x: np.ndarray) -> np.ndarray:
        """The trees' summed log-odds of a boundary, averaged with :attr:`blend`'s if set."""
        x = np.atleast_2d(x)
        # float32 rows are walked as they are (:attr:`_thr32`), any other as float64
        x = np.ascontiguousarray(x, dtype=np.float32 if x.dtype == np.float32 else np.float64)
        own = self._walk(x)
        if self.blend is None or not len(own):
            return own
        return 0.5 * (own + self.blend.log_odds(x[:, : len(self.blend.features)]))

    def _walk(self, x: np.ndarray) -> np.ndarray:
        # a few hundred rows at a time: their nodes and features stay in the CPU's cache, and
        # each row's log-odds is the same sum whichever rows are walked with it
        if len(x) <= WALK_ROWS:
            return self._walk_rows(x)
        return np.concatenate(
            [self._walk_rows(x[lo : lo + WALK_ROWS]) for lo in range(0, len(x), WALK_ROWS)]
        )

    def _walk_rows(self, x: np.ndarray) -> np.ndarray:
        n, width = x.shape
        if n == 0:
            return np.zeros(0)
        flat = x.ravel()
        offsets = (np.arange(n, dtype=np.int64) * width)[:, None]
        has_nan = bool(np.isnan(flat).any())  # never for gap features: the fast walk
        thr = self._thr32 if x.dtype == np.float32 else self._thr
        feature, child, missing_left = self._feature, self._child, self._missing_left
        node = np.broadcast_to(self._roots, (n, len(self._roots)))
        for level in range(self.depth):
            if level == 0:  # every row at the roots: their features' columns, their thresholds
                v = np.ascontiguousarray(x[:, feature[self._roots]])
                t = thr[self._roots]
            else:  # node numbers are in range: ``take`` clips them instead of checking
                idx = feature.take(node, mode="clip")
                idx += offsets
                v = flat.take(idx, mode="clip")
                t = thr.take(node, mode="clip")
            if has_nan:
                goes_right = ~(v <= t)  # NaN compares false: right, unless...
                goes_right &= ~(np.isnan(v) & missing_left.take(node, mode="clip"))
            else:
                goes_right = v > t  # the same as ~(v <= thr) without a NaN
            node = child.take(node, mode="clip")  # row-major: the leaves sum in that order
            node += goes_right
        return self.baseline + self._value.take(node, mode="clip").sum(axis=1)

    def to_json(self) -> dict[str, Any]:
        return {
            "kind": "gradient-boosted trees",
            "features": list(self.features),
            "semantic": self.semantic,
            "linker": None if self.linker is None else self.linker.to_json(),
            "blend": None if self.blend is None else self.blend_name,
            "probe": None if self.probe is None else self.probe.to_json(),
            "context_probe": None if self.context_probe is None else self.context_probe.to_json(),
            "feature": self.feature.tolist(),
            "threshold_": [float(v) for v in self.threshold_],
            "left": self.left.tolist(),
            "right": self.right.tolist(),
            "value": [round(float(v), 7) for v in self.value],
            "is_leaf": self.is_leaf.astype(int).tolist(),
            "missing_left": None
            if self.missing_left is None
            else self.missing_left.astype(int).tolist(),
            "roots": self.roots.tolist(),
            "baseline": self.baseline,
            "depth": self.depth,
            "threshold": self.threshold,
            "center": None if self.center is None else [round(float(v), 6) for v in self.center],
            "meta": self.meta,
        }

    def save(self, path: str | Path = MODEL_PATH) -> None:
        Path(path).write_text(json.dumps(self.to_json(), separators=(",", ":")))

    @classmethod
    def from_json(cls, d: dict[str, Any]) -> BoundaryModel:
        """A model from :meth:`to_json`'s dict; its nodes read the columns of today's
        :attr:`features` by name (see :func:`_by_name`)."""
        missing = d.get("missing_left")
        feature = np.asarray(d["feature"], dtype=np.int32)
        is_leaf = np.asarray(d["is_leaf"], dtype=bool)
        probe = None if d.get("probe") is None else LinearProbe.from_json(d["probe"])
        ctx = d.get("context_probe")
        context_probe = None if ctx is None else LinearProbe.from_json(ctx)
        if d.get("features") is not None:
            today = _columns(bool(d.get("semantic")), probe is not None, ctx is not None)
            feature = _by_name(feature, is_leaf, list(d["features"]), today)
        return cls(
            feature=feature,
            threshold_=np.asarray(d["threshold_"], dtype=np.float64),
            left=np.asarray(d["left"], dtype=np.int32),
            right=np.asarray(d["right"], dtype=np.int32),
            value=np.asarray(d["value"], dtype=np.float64),
            is_leaf=is_leaf,
            roots=np.asarray(d["roots"], dtype=np.int32),
            baseline=float(d["baseline"]),
            depth=int(d["depth"]),
            threshold=float(d.get("threshold", 0.5)),
            center=None if d.get("center") is None else np.asarray(d["center"], dtype=np.float32),
            meta=d.get("meta", {}),
            missing_left=None if missing is None else np.asarray(missing, dtype=bool),
            semantic=d.get("semantic"),
            linker=None if d.get("linker") is None else Linker.from_json(d["linker"]),
            probe=probe,
            context_probe=context_probe,
        )

    @classmethod
    def load(cls, path: str | Path = MODEL_PATH) -> BoundaryModel:
        """Load a saved model; every feature it was trained on must still be computed (a
        model saved before features were added reads its own by name).

        Raises:
            ValueError: the model reads a feature that is no longer computed."""
        d = json.loads(Path(path).read_text())
        if not d.get("features"):
            raise ValueError(f"{path}: the boundary model names no features; retrain it")
        try:
            model = cls.from_json(d)
        except ValueError as e:
            raise ValueError(f"{path}: {e}") from None
        blend = d.get("blend")
        if blend == "fast":
            model.blend = default_model()
        elif blend:
            model.blend, model.blend_name = cls.load(Path(path).with_name(blend)), blend
        return model


def _columns(semantic: bool, probe: bool = False, context_probe: bool = False) -> tuple[str, ...]:
    """The feature columns the segmenter computes: the first pass's, then a model's
    :mod:`.probe` column, then with contextual vectors :data:`~.cohesion.SEMANTIC_FEATURES`
    and the contextual probe's column."""
    ctx = SEMANTIC_FEATURES + (CONTEXT_PROBE_FEATURES if context_probe else ())
    return PASS1_FEATURES + (PROBE_FEATURES if probe else ()) + (ctx if semantic else ())


def _by_name(
    feature: np.ndarray, is_leaf: np.ndarray, saved: list[str], today: tuple[str, ...]
) -> np.ndarray:
    """Node feature indices into the columns a model was saved with, ``saved``, as indices
    into ``today``'s: a model fitted before features were added (or reordered) reads the same
    values as when it was fitted. Leaves read no feature and keep theirs.

    Raises:
        ValueError: a feature of ``saved`` that a node reads is not in ``today``.

    Examples:
        >>> f = _by_name(np.array([1, 0, 0]), np.array([False, False, True]), ["a", "b"], ("b", "x", "a"))
        >>> f.tolist()
        [0, 2, 0]
    """
    if list(saved) == list(today):
        return feature
    column = {name: i for i, name in enumerate(today)}
    lookup = np.array([column.get(name, -1) for name in saved], dtype=feature.dtype)
    inner = ~is_leaf
    out = feature.copy()
    out[inner] = lookup[feature[inner]]
    gone = np.flatnonzero(out[inner] < 0)
    if len(gone):
        name = saved[feature[inner][gone[0]]]
        raise ValueError(f"the boundary model reads {name!r}, no longer computed; retrain it")
    return out


@cache
def default_model() -> BoundaryModel:
    """The fast model shipped with socialscan, loaded once per process."""
    return BoundaryModel.load(MODEL_PATH)


@cache
def semantic_model() -> BoundaryModel:
    """The accurate model shipped with socialscan (needs MiniLM vectors), loaded once."""
    return BoundaryModel.load(SEMANTIC_MODEL_PATH)
