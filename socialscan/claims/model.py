"""A trained claims classifier: what a post says (n-grams, a text vector, its shape), a linear
head, calibrated scores per label.

The model reads a whole post (or one sentence of it) and gives, per label, a probability
calibrated on held-out posts (0.5 = even odds) and a decision threshold chosen on the same
held-out posts for F1. It is saved as a directory, with no pickle anywhere:

- ``model.json``: labels, thresholds, calibration, the encoder's kind, the post features used
  and how the model was trained and scored;
- ``head.safetensors``: the head's weights (``w_dense``, ``w_sparse``, ``bias``);
- ``ngrams.json``: the word and character n-gram vocabulary and idf, where the model reads them;
- the encoder: nothing for ``static`` (the static model shipped in the package), a model2vec
  directory ``static/`` for a fine-tuned static model, or ``encoder.onnx`` + ``tokenizer.json``
  for a MiniLM (int8 ONNX; run without torch).

Examples:
    >>> m = ClaimModel.default()
    >>> p = m.predict(["We never sell your data. Chats are deleted after 30 days."])
    >>> bool(p[0, m.labels.index("privacy_statement")] > 0.5)
    True
"""

from __future__ import annotations

import os
from collections.abc import Sequence
from dataclasses import dataclass, field
from functools import cache
from importlib.resources import files
from pathlib import Path
from typing import Any

import numpy as np
import orjson

from ..embed.minilm_onnx import OnnxMiniLMEmbedder
from ..embed.static import StaticEmbedder
from ..errors import MalformedInput
from .memory import apply_memory, remembered_labels
from .ngrams import Ngrams
from .post_features import post_features, readable

MODEL_FILE = "model.json"
HEAD_FILE = "head.safetensors"
NGRAMS_FILE = "ngrams.json"
FORMAT = "socialscan-claims-model/1"
#: The model shipped with socialscan: the default of ``tag``, ``scan`` and ``report``.
DEFAULT_MODEL_DIR = Path(str(files("socialscan") / "resources" / "claims-model"))
#: The slower, more accurate model (``--accurate``).
ACCURATE_MODEL_DIR = Path(str(files("socialscan") / "resources" / "claims-model-accurate"))
#: The encoders a model's ``encoder.kind`` names, each an embedder class (``None``: no vector).
ENCODER_KINDS: dict[str, type | None] = {
    "static": StaticEmbedder,  # the static model shipped in the package
    "static-finetuned": StaticEmbedder,  # a model2vec directory beside the head
    "minilm": OnnxMiniLMEmbedder,  # a fine-tuned MiniLM as int8 ONNX beside the head
    "minilm-base": OnnxMiniLMEmbedder,  # all-MiniLM-L6-v2 as shipped (its int8 ONNX export)
    "none": None,
}


@dataclass
class ClaimModel:
    """Labels, the inputs the head reads, a linear head, and per-label calibration and thresholds.

    The head's logit for a text is ``sparse @ w_sparse.T + dense @ w_dense.T + bias``: ``sparse``
    the word and character n-grams (TF-IDF), ``dense`` the encoder's vector and the scaled post
    features. ``predict(texts)`` gives calibrated probabilities; a label holds where its
    probability reaches ``thresholds`` (chosen on held-out posts for F1).
    """

    labels: list[str]
    encoder: dict[str, Any]
    features: list[str]
    w_dense: np.ndarray  # (L, D): the encoder's dims, then the features
    w_sparse: np.ndarray | None  # (L, V) or None
    bias: np.ndarray  # (L,)
    calib_a: np.ndarray
    calib_b: np.ndarray
    thresholds: np.ndarray
    feature_mean: np.ndarray
    feature_scale: np.ndarray
    sparse_spec: dict[str, Any] | None = None
    info: dict[str, Any] = field(default_factory=dict)
    directory: Path | None = None
    #: An ensemble: (model, weight) pairs whose calibrated log-odds are summed into the logit
    #: (the head's own weights are then unused).
    members: list[tuple[ClaimModel, float]] | None = None
    #: A cheap first stage: posts whose every gate score is below ``gate_thresholds`` keep the
    #: gate's scores and skip this model (the thresholds let nearly all of this model's
    #: positives pass; ``bench/`` measures it).
    gate: ClaimModel | None = None
    gate_thresholds: np.ndarray | None = None
    #: Posts a person labelled (:func:`~socialscan.claims.memory.post_key` of the text -> label
    #: -> holds or not): such a post, and any copy of it, gets the person's decision as its
    #: score (1.0 or 0.0) for those labels, whatever the head says (``train claims --from``).
    memory: dict[str, dict[str, bool]] = field(default_factory=dict)
    _enc: Any = field(default=None, repr=False)
    _sparse: Any = field(default=None, repr=False)

    # -- inference ---------------------------------------------------------------------------

    @property
    def name(self) -> str:
        """What the model reads, for summaries: e.g. ``ngrams+static``, ``minilm``."""
        if self.members:
            return "(" + " + ".join(m.name for m, _ in self.members) + ")"
        kind = str(self.encoder.get("kind", "static"))
        return f"ngrams+{kind}" if self.sparse_spec else kind

    @property
    def fork_safe(self) -> bool:
        """Whether forked worker processes may share this model: its encoder, members and gate
        all may (see :class:`~socialscan.embed.base.Embedder`)."""
        kind = ENCODER_KINDS.get(str(self.encoder.get("kind", "static")))
        return (
            (kind is None or kind.fork_safe)
            and all(m.fork_safe for m, _ in self.members or [])
            and (self.gate is None or self.gate.fork_safe)
        )

    def _encoder(self):
        """The function from texts to the vectors the head was trained on (``None``: none)."""
        if self._enc is None:
            kind = self.encoder.get("kind", "static")
            d = self.directory
            if kind not in ENCODER_KINDS:
                raise MalformedInput(f"claims model: unknown encoder kind {kind!r}")
            if kind == "static":
                self._enc = StaticEmbedder.default().pooled
            elif kind == "static-finetuned":
                assert d is not None
                self._enc = StaticEmbedder(d / self.encoder.get("path", "static")).pooled
            elif kind == "minilm":  # the pooled vector itself, as the head was trained on it
                assert d is not None
                self._enc = OnnxMiniLMEmbedder(
                    d / self.encoder.get("path", "encoder.onnx"),
                    max_length=int(self.encoder.get("max_length", 128)),
                    tokenizer=d / self.encoder.get("tokenizer", "tokenizer.json"),
                ).pooled
            elif kind == "minilm-base":
                self._enc = OnnxMiniLMEmbedder.default().embed
        return self._enc

    def ngrams(self) -> Ngrams | None:
        """The model's n-gram vectorizer (built on first use), ``None`` without n-grams."""
        if self._sparse is None and self.sparse_spec:
            self._sparse = Ngrams(self.sparse_spec)
        return self._sparse

    def dense_inputs(self, texts: Sequence[str]) -> np.ndarray:
        """The encoder's vector (scaled by ``encoder["scale"]``) and the scaled post features."""
        parts = []
        enc = self._encoder() if self.encoder.get("kind", "static") != "none" else None
        if enc is not None:
            parts.append(enc(texts) * float(self.encoder.get("scale", 1.0)))
        if self.features:
            f = post_features(texts)
            parts.append(((f - self.feature_mean) / self.feature_scale).astype(np.float32))
        if not parts:
            return np.zeros((len(texts), 0), np.float32)
        return np.hstack(parts).astype(np.float32)

    def sparse_inputs(self, texts: Sequence[str]):
        """The n-gram TF-IDF rows (``None`` for a model without them)."""
        sp = self.ngrams()
        return sp.transform(texts) if sp is not None else None

    def logits(self, texts: Sequence[str]) -> np.ndarray:
        """The head's raw (n, L) outputs (an ensemble's: its members' weighted log-odds)."""
        texts = readable(texts)
        if self.members:
            z = np.zeros((len(texts), len(self.labels)), np.float32)
            for m, weight in self.members:
                z += weight * (m.calib_a * m.logits(texts) + m.calib_b)
            return z
        z = self.dense_inputs(texts) @ self.w_dense.T + self.bias
        if self.w_sparse is not None:
            z = z + np.asarray(self.sparse_inputs(texts) @ self.w_sparse.T)
        return z.astype(np.float32)

    def probabilities(self, z: np.ndarray) -> np.ndarray:
        """Calibrated probabilities from raw logits (per-label Platt scaling)."""
        return 1.0 / (1.0 + np.exp(-np.clip(self.calib_a * z + self.calib_b, -30, 30)))

    def predict(
        self, texts: Sequence[str], batch_size: int = 4096, remembered: bool = True
    ) -> np.ndarray:
        """(n, L) calibrated probabilities for texts, in the order of ``labels``.

        HTML entities are read decoded (``&amp;`` as ``&``, see :func:`readable`). A post a
        person labelled (see :attr:`memory`) scores 1.0 or 0.0 for the labels they decided;
        ``remembered=False`` gives the head's own scores instead.
        """
        texts = list(texts)
        if self.gate is not None:
            out = self.gate.predict(texts, batch_size)
            keep = np.nonzero((out >= self.gate_thresholds).any(axis=1))[0]
            if len(keep):
                out[keep] = self._predict([texts[i] for i in keep], batch_size)
        else:
            out = self._predict(texts, batch_size)
        if self.memory and remembered:
            apply_memory(self.memory, self.labels, texts, out)
        return out

    def remembered(self, texts: Sequence[str]) -> list[dict[str, bool]]:
        """Per text, the labels a person decided on it or a copy of it (label -> holds; empty
        for a post nobody labelled): what :meth:`predict` puts in place of the head's scores
        (:mod:`~socialscan.claims.memory`).

        Examples:
            >>> ClaimModel.default().remembered(["Give it a try!"])
            [{}]
        """
        return remembered_labels(self.memory, self.labels, texts)

    def _predict(self, texts: list[str], batch_size: int) -> np.ndarray:
        out = np.zeros((len(texts), len(self.labels)), dtype=np.float32)
        for i in range(0, len(texts), batch_size):
            chunk = texts[i : i + batch_size]
            out[i : i + len(chunk)] = self.probabilities(self.logits(chunk))
        return out

    def passes_gate(self, texts: Sequence[str]) -> np.ndarray:
        """(n,) booleans: the posts the first stage sends on to this model (all without one)."""
        if self.gate is None:
            return np.ones(len(texts), dtype=bool)
        return (self.gate.predict(list(texts)) >= self.gate_thresholds).any(axis=1)

    def decide(self, p: np.ndarray) -> np.ndarray:
        """(n, L) booleans: where each label's probability reaches its threshold."""
        return p >= self.thresholds

    def top_terms(self, text: str, label: str, k: int = 3) -> list[str]:
        """The words and word pairs of ``text`` that raise ``label``'s score most: the cues
        that fired, as the model learned them.

        Examples:
            >>> m = ClaimModel.default()
            >>> "sign up" in m.top_terms("Sign up now and get 30% off!", "product_plug", k=5)
            True
        """
        if self.members:
            return self.members[0][0].top_terms(text, label, k)
        sp = self.ngrams()
        if sp is None or not sp.word_terms or self.w_sparse is None:
            return []
        j = self.labels.index(label)
        word = dict(sp.parts)["word"]
        if sp.analyze is None:
            sp.analyze = word.build_analyzer()
        counts: dict[int, int] = {}
        vocab = word.vocabulary
        for term in sp.analyze(readable([text])[0]):
            i = vocab.get(term)
            if i is not None:
                counts[i] = counts.get(i, 0) + 1
        if not counts:
            return []
        # a term's share of the logit, up to the row's norm (the same for every term of it)
        idx = np.fromiter(counts, dtype=np.int64, count=len(counts))
        tf = 1.0 + np.log(np.fromiter(counts.values(), dtype=np.float64, count=len(counts)))
        contrib = tf * word.idf_[idx] * self.w_sparse[j, idx]
        order = np.argsort(-contrib)
        return [sp.word_terms[int(idx[i])] for i in order[:k] if contrib[i] > 0]

    # -- files -------------------------------------------------------------------------------

    def save(self, directory: str | os.PathLike[str]) -> Path:
        """Write ``model.json``, ``head.safetensors`` and (with n-grams) ``ngrams.json`` into
        ``directory`` (created if needed); an encoder's own files are written by its trainer."""
        from safetensors.numpy import save_file

        from ..export import atomic_output

        d = Path(directory)
        d.mkdir(parents=True, exist_ok=True)
        tensors = {
            "w_dense": np.ascontiguousarray(self.w_dense, dtype=np.float32),
            "bias": np.ascontiguousarray(self.bias, dtype=np.float32),
        }
        if self.w_sparse is not None:
            tensors["w_sparse"] = np.ascontiguousarray(self.w_sparse, dtype=np.float32)
        tmp = d / (HEAD_FILE + ".tmp")
        save_file(tensors, str(tmp))
        os.chmod(tmp, 0o644)
        os.replace(tmp, d / HEAD_FILE)
        if self.sparse_spec:
            with atomic_output(d / NGRAMS_FILE, "wb") as fh:
                fh.write(orjson.dumps(self.sparse_spec))
        members = []
        for k, (m, weight) in enumerate(self.members or []):
            # a member saved already (the shipped default model) is referred to where it is
            if m.directory is not None and (m.directory / MODEL_FILE).is_file():
                sub = os.path.relpath(m.directory, d)
            else:
                sub = f"member-{k}"
                m.save(d / sub)
            members.append({"path": sub, "weight": round(float(weight), 6)})
        gate = None
        if self.gate is not None:
            if self.gate.directory is None or not (self.gate.directory / MODEL_FILE).is_file():
                self.gate.save(d / "gate")
            gate = {
                "path": os.path.relpath(self.gate.directory, d),
                "thresholds": [round(float(v), 4) for v in self.gate_thresholds],
            }
        meta = {
            "format": FORMAT,
            "labels": self.labels,
            "encoder": self.encoder,
            "ngrams": bool(self.sparse_spec),
            "features": self.features,
            "feature_mean": [float(v) for v in self.feature_mean],
            "feature_scale": [float(v) for v in self.feature_scale],
            "calibration": {
                "a": [float(v) for v in self.calib_a],
                "b": [float(v) for v in self.calib_b],
            },
            "thresholds": [round(float(v), 4) for v in self.thresholds],
            "members": members,
            "gate": gate,
            "memory": self.memory,
            "info": self.info,
        }
        with atomic_output(d / MODEL_FILE, "wb") as fh:
            fh.write(orjson.dumps(meta, option=orjson.OPT_INDENT_2))
        self.directory = d
        return d

    @classmethod
    def load(cls, directory: str | os.PathLike[str]) -> ClaimModel:
        """Read a model directory written by :meth:`save` (or ``socialscan train claims``)."""
        d = Path(directory)
        if d.is_file() and d.name == MODEL_FILE:
            d = d.parent
        if not (d / MODEL_FILE).is_file() or not (d / HEAD_FILE).is_file():
            raise MalformedInput(f"{d}: no claims model here (train one: socialscan train claims)")
        try:
            from safetensors.numpy import load_file

            meta = orjson.loads((d / MODEL_FILE).read_bytes())
            if meta.get("format") != FORMAT:
                raise ValueError(f"format {meta.get('format')!r}")
            t = load_file(str(d / HEAD_FILE))
            n_f = len(meta["features"])
            spec = orjson.loads((d / NGRAMS_FILE).read_bytes()) if meta.get("ngrams") else None
            return cls(
                labels=list(meta["labels"]),
                encoder=dict(meta["encoder"]),
                features=list(meta["features"]),
                w_dense=t["w_dense"],
                w_sparse=t.get("w_sparse"),
                bias=t["bias"],
                calib_a=np.asarray(meta["calibration"]["a"], np.float32),
                calib_b=np.asarray(meta["calibration"]["b"], np.float32),
                thresholds=np.asarray(meta["thresholds"], np.float32),
                feature_mean=np.asarray(meta.get("feature_mean") or [0.0] * n_f, np.float32),
                feature_scale=np.asarray(meta.get("feature_scale") or [1.0] * n_f, np.float32),
                sparse_spec=spec,
                info=dict(meta.get("info") or {}),
                directory=d,
                members=[
                    (cls.load(d / m["path"]), float(m["weight"])) for m in meta.get("members") or []
                ]
                or None,
                gate=cls.load(d / meta["gate"]["path"]) if meta.get("gate") else None,
                gate_thresholds=(
                    np.asarray(meta["gate"]["thresholds"], np.float32) if meta.get("gate") else None
                ),
                memory={
                    str(k): {str(n): bool(h) for n, h in v.items()}
                    for k, v in (meta.get("memory") or {}).items()
                },
            )
        except (orjson.JSONDecodeError, KeyError, TypeError, ValueError, OSError) as e:
            raise MalformedInput(f"{d}: not a socialscan claims model ({e})") from None

    @classmethod
    @cache
    def default(cls) -> ClaimModel:
        """The shipped model, loaded once per process."""
        return cls.load(DEFAULT_MODEL_DIR)

    @classmethod
    @cache
    def accurate(cls) -> ClaimModel:
        """The shipped accurate model (fine-tuned MiniLM, int8 ONNX), loaded once per process."""
        return cls.load(ACCURATE_MODEL_DIR)
