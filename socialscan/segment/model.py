"""The boundary model: a small MLP over gap features, stored as JSON (no pickle)."""

from __future__ import annotations

import json
from dataclasses import dataclass
from functools import cache
from importlib.resources import files
from pathlib import Path
from typing import Any

import numpy as np

from .features import FEATURES

MODEL_PATH = Path(str(files("socialscan") / "resources" / "boundary_model.json"))


@dataclass
class BoundaryModel:
    """``p(new post starts here | gap features)`` from a one-hidden-layer MLP.

    Attributes:
        mean, scale: Feature standardisation.
        w1, b1, w2, b2: Layer weights (ReLU hidden layer, logistic output).
        threshold: Probability above which a gap is a boundary.
        meta: Training facts (data, scores, embedder) kept with the weights.
    """

    mean: np.ndarray
    scale: np.ndarray
    w1: np.ndarray
    b1: np.ndarray
    w2: np.ndarray
    b2: float
    threshold: float = 0.5
    meta: dict[str, Any] | None = None

    def proba(self, x: np.ndarray) -> np.ndarray:
        """Boundary probabilities for rows of gap features."""
        z = (np.atleast_2d(np.asarray(x, dtype=np.float32)) - self.mean) / self.scale
        h = np.maximum(z @ self.w1 + self.b1, 0.0)
        return 1.0 / (1.0 + np.exp(-(h @ self.w2 + self.b2)))

    def to_json(self) -> dict[str, Any]:
        return {
            "features": list(FEATURES),
            "mean": self.mean.tolist(),
            "scale": self.scale.tolist(),
            "w1": self.w1.tolist(),
            "b1": self.b1.tolist(),
            "w2": self.w2.tolist(),
            "b2": float(self.b2),
            "threshold": self.threshold,
            "meta": self.meta or {},
        }

    def save(self, path: str | Path = MODEL_PATH) -> None:
        Path(path).write_text(json.dumps(self.to_json(), indent=1))

    @classmethod
    def load(cls, path: str | Path = MODEL_PATH) -> BoundaryModel:
        d = json.loads(Path(path).read_text())
        if list(d["features"]) != list(FEATURES):
            raise ValueError(f"{path}: boundary model was trained on other features; retrain it")
        f32 = lambda k: np.asarray(d[k], dtype=np.float32)  # noqa: E731
        return cls(
            mean=f32("mean"),
            scale=f32("scale"),
            w1=f32("w1"),
            b1=f32("b1"),
            w2=f32("w2").reshape(-1),
            b2=float(d["b2"]),
            threshold=float(d.get("threshold", 0.5)),
            meta=d.get("meta"),
        )


@cache
def default_model() -> BoundaryModel:
    """The model shipped with socialscan, loaded once."""
    return BoundaryModel.load(MODEL_PATH)
