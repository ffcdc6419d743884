"""Several claims models read as one: a model of a user's own labels on top of the shipped one."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from .model import ClaimModel


class StackedModel:
    """Several models read as one: each label scored by the first model that knows it.

    A model trained on a user's own labels (``giveaway``) is stacked on the shipped one, so the
    default labels keep their trained scores beside the new ones.

    Examples:
        >>> m = StackedModel([ClaimModel.default()])
        >>> m.labels == ClaimModel.default().labels
        True
    """

    def __init__(self, models: Sequence[ClaimModel]):
        self.models = list(models)
        self.labels: list[str] = []
        self._cols: list[tuple[int, int]] = []
        for k, m in enumerate(self.models):
            for j, name in enumerate(m.labels):
                if name not in self.labels:
                    self.labels.append(name)
                    self._cols.append((k, j))
        self.thresholds = np.array(
            [self.models[k].thresholds[j] for k, j in self._cols], dtype=np.float32
        )
        self.info = {"models": [m.info for m in self.models]}

    @property
    def name(self) -> str:
        return "+".join(m.name for m in self.models)

    @property
    def fork_safe(self) -> bool:
        return all(m.fork_safe for m in self.models)

    def predict(
        self, texts: Sequence[str], batch_size: int = 4096, remembered: bool = True
    ) -> np.ndarray:
        texts = list(texts)
        out = np.zeros((len(texts), len(self.labels)), dtype=np.float32)
        used = {k for k, _ in self._cols}
        preds = {k: self.models[k].predict(texts, batch_size, remembered) for k in used}
        for c, (k, j) in enumerate(self._cols):
            out[:, c] = preds[k][:, j]
        return out

    def remembered(self, texts: Sequence[str]) -> list[dict[str, bool]]:
        """Per text, a person's decisions for the labels each model scores (see
        :meth:`ClaimModel.remembered`)."""
        texts = list(texts)
        out: list[dict[str, bool]] = [{} for _ in texts]
        for k, m in enumerate(self.models):
            mine = {self.models[k].labels[j] for kk, j in self._cols if kk == k}
            for row, got in zip(out, m.remembered(texts), strict=True):
                row.update({n: h for n, h in got.items() if n in mine})
        return out

    def decide(self, p: np.ndarray) -> np.ndarray:
        return p >= self.thresholds

    def top_terms(self, text: str, label: str, k: int = 3) -> list[str]:
        m, _ = self._cols[self.labels.index(label)]
        return self.models[m].top_terms(text, label, k)
