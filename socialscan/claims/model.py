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

import html
import os
import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from functools import cache
from importlib.resources import files
from pathlib import Path
from typing import Any

import numpy as np
import orjson

from ..errors import MalformedInput
from ..text.patterns import THREAD_EMOJI, THREAD_NUMBER

MODEL_FILE = "model.json"
HEAD_FILE = "head.safetensors"
NGRAMS_FILE = "ngrams.json"
FORMAT = "socialscan-claims-model/1"
#: The model shipped with socialscan: the default of ``tag``, ``scan`` and ``report``.
DEFAULT_MODEL_DIR = Path(str(files("socialscan") / "resources" / "claims-model"))
#: The slower, more accurate model (``--accurate``).
ACCURATE_MODEL_DIR = Path(str(files("socialscan") / "resources" / "claims-model-accurate"))

_LINK = re.compile(r"https?://\S+|\b(?:t\.co|bit\.ly|pic\.twitter\.com)/\S+", re.IGNORECASE)
_HANDLE = re.compile(r"(?<![\w@])@\w{1,30}")
_HASHTAG = re.compile(r"(?<![\w#])#\w+")
_LEAD_HANDLE = re.compile(r"^\s*(?:@\w{1,30}\s*)+")
_THREAD = re.compile(rf"{THREAD_EMOJI}|\bthread\b|{THREAD_NUMBER}", re.IGNORECASE)
_POINTING = re.compile("[👇👉⬇➡🔗]")
_I = re.compile(r"\b(?:i|i'm|i've|my|me|mine|we|our|us|i’m|i’ve)\b", re.IGNORECASE)
_YOU = re.compile(r"\b(?:you|your|you're|you’re|yours)\b", re.IGNORECASE)
_DIGIT = re.compile(r"\d")
_DISCLOSED = re.compile(
    r"#(?:ad|sponsored|spon|paid|partner|affiliate|advertisement)\b|\bpaid partnership\b|"
    r"\baffiliate link\b|\bsponsored by\b|\b(?:in )?partnership with\b|\bad:\s",
    re.IGNORECASE,
)

#: The post features a head may read beside the text's vector: what a reader sees in the
#: post's shape (links, who is addressed, thread marks) that its words' average hides.
POST_FEATURES = [
    "links",
    "handles",
    "hashtags",
    "reply",
    "thread_mark",
    "pointing",
    "first_person",
    "second_person",
    "question",
    "exclamation",
    "digits",
    "lines",
    "length",
]


def readable(texts: Sequence[str]) -> list[str]:
    """Texts as the model reads them: HTML entities decoded (``&amp;`` as ``&``), since some
    exports keep the API's entities and others do not.

    Examples:
        >>> readable(["Q&amp;A", "plain"])
        ['Q&A', 'plain']
    """
    return [html.unescape(t) if "&" in t else t for t in texts]


#: The flags among the post features (0 or 1); the other columns are counts.
_FLAGS = frozenset({"reply", "thread_mark"})
_COUNTS = np.array([i for i, n in enumerate(POST_FEATURES) if n not in _FLAGS])


def post_features(texts: Sequence[str]) -> np.ndarray:
    """(n, len(POST_FEATURES)) float32: counts squashed by ``log1p``, flags as 0/1.

    Examples:
        >>> f = post_features(["@ann Try it 👉 https://t.co/x"])
        >>> dict(zip(POST_FEATURES, f[0].round(2).tolist()))["reply"]
        1.0
    """
    out = np.zeros((len(texts), len(POST_FEATURES)), dtype=np.float32)
    for i, t in enumerate(texts):
        out[i] = (
            len(_LINK.findall(t)),
            len(_HANDLE.findall(t)),
            len(_HASHTAG.findall(t)),
            1.0 if _LEAD_HANDLE.match(t) else 0.0,
            1.0 if _THREAD.search(t) else 0.0,
            len(_POINTING.findall(t)),
            len(_I.findall(t)),
            len(_YOU.findall(t)),
            t.count("?"),
            t.count("!"),
            len(_DIGIT.findall(t)),
            t.count("\n"),
            len(t) / 100.0,
        )
    np.log1p(out[:, _COUNTS], out=out[:, _COUNTS])
    return out


def disclosed(text: str) -> bool:
    """Whether a post discloses that a plug is paid for (#ad, #sponsored, "paid partnership",
    "affiliate link"): an undisclosed plug is what endorsement rules look for.

    Examples:
        >>> disclosed("Loving my new headphones #ad"), disclosed("Loving my new headphones")
        (True, False)
    """
    return bool(_DISCLOSED.search(text))


class _StaticEncoder:
    """Post vectors from a model2vec model: the shipped one, or one fine-tuned with the head."""

    dim: int

    def __init__(self, path: Path | None):
        if path is None:
            from ..embed.static import StaticEmbedder

            self.model = StaticEmbedder.default().model
        else:
            from model2vec import StaticModel

            self.model = StaticModel.from_pretrained(str(path))
        self.dim = int(self.model.dim)

    def encode(self, texts: Sequence[str]) -> np.ndarray:
        if not texts:
            return np.zeros((0, self.dim), np.float32)
        v = self.model.encode(list(texts), show_progress_bar=False, use_multiprocessing=False)
        return np.asarray(v, dtype=np.float32)


class _OnnxEncoder:
    """Mean-pooled vectors of a (fine-tuned) MiniLM exported to int8 ONNX: no torch at run time."""

    def __init__(self, onnx_path: Path, tokenizer_path: Path, max_length: int):
        from ..embed.minilm_onnx import OnnxMiniLMEmbedder

        self.embedder = OnnxMiniLMEmbedder(onnx_path, max_length=max_length)
        from tokenizers import Tokenizer

        tok = Tokenizer.from_file(str(tokenizer_path))
        tok.no_padding()
        tok.enable_truncation(max_length)
        self.embedder.tokenizer = tok
        self.dim = self.embedder.dim

    def encode(self, texts: Sequence[str]) -> np.ndarray:
        # the pooled vector itself, as the head was trained on it
        return self.embedder.pooled(list(texts))


class _Sparse:
    """Word and character n-gram TF-IDF, rebuilt from a stored vocabulary (no pickle)."""

    def __init__(self, spec: dict[str, Any]):
        from sklearn.feature_extraction.text import TfidfVectorizer

        self.spec = spec
        self.parts = []
        for name in ("word", "char"):
            p = spec.get(name)
            if not p:
                continue
            v = TfidfVectorizer(
                analyzer="word" if name == "word" else "char_wb",
                ngram_range=tuple(p["ngram_range"]),
                sublinear_tf=True,
                lowercase=True,
                vocabulary=p["vocabulary"],
                dtype=np.float32,
            )
            v.idf_ = np.asarray(p["idf"], dtype=np.float64)
            self.parts.append((name, v))
        self.sizes = [len(v.vocabulary) for _, v in self.parts]
        self.analyze = None  # the word analyzer, built on first use
        word = spec.get("word")
        self.word_terms = {i: t for t, i in word["vocabulary"].items()} if word else {}

    def transform(self, texts: Sequence[str]):
        from scipy.sparse import hstack

        mats = [v.transform(texts) for _, v in self.parts]
        return hstack(mats, format="csr", dtype=np.float32) if len(mats) > 1 else mats[0].tocsr()

    @staticmethod
    def fit(texts: Sequence[str], min_df: int = 2, chars: bool = False) -> dict[str, Any]:
        """A vocabulary spec fitted on training texts: words and word pairs, and with ``chars``
        character 2-5-grams (slower, and no better on the claims corpus: see ``bench/``)."""
        from sklearn.feature_extraction.text import TfidfVectorizer

        spec: dict[str, Any] = {}
        kinds = [("word", "word", (1, 2), min_df)]
        if chars:
            kinds.append(("char", "char_wb", (2, 5), min_df + 1))
        for name, analyzer, rng, df in kinds:
            v = TfidfVectorizer(
                analyzer=analyzer, ngram_range=rng, min_df=df, sublinear_tf=True, lowercase=True
            )
            try:
                v.fit(texts)
            except ValueError:  # too few texts for min_df: keep every n-gram
                v = TfidfVectorizer(analyzer=analyzer, ngram_range=rng, sublinear_tf=True)
                v.fit(texts)
            spec[name] = {
                "ngram_range": list(rng),
                "vocabulary": {t: int(i) for t, i in v.vocabulary_.items()},
                "idf": [round(float(x), 5) for x in v.idf_],
            }
        return spec


class _Embedded:
    """Any socialscan embedder as an encoder."""

    def __init__(self, embedder):
        self.embedder = embedder
        self.dim = embedder.dim

    def encode(self, texts: Sequence[str]) -> np.ndarray:
        return self.embedder.embed(list(texts))


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
    #: gate's scores and skip this model (the thresholds are set so that at least 99% of this
    #: model's positives pass; ``bench/`` measures it).
    gate: ClaimModel | None = None
    gate_thresholds: np.ndarray | None = None
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

    def _encoder(self):
        if self._enc is None:
            kind = self.encoder.get("kind", "static")
            d = self.directory
            if kind == "static":
                self._enc = _StaticEncoder(None)
            elif kind == "static-finetuned":
                assert d is not None
                self._enc = _StaticEncoder(d / self.encoder.get("path", "static"))
            elif kind == "minilm":
                assert d is not None
                self._enc = _OnnxEncoder(
                    d / self.encoder.get("path", "encoder.onnx"),
                    d / self.encoder.get("tokenizer", "tokenizer.json"),
                    int(self.encoder.get("max_length", 128)),
                )
            elif kind == "minilm-base":  # all-MiniLM-L6-v2 as shipped (int8 ONNX export)
                from ..embed.minilm_onnx import OnnxMiniLMEmbedder

                self._enc = _Embedded(OnnxMiniLMEmbedder.default())
            elif kind == "none":
                self._enc = None
            else:
                raise MalformedInput(f"claims model: unknown encoder kind {kind!r}")
        return self._enc

    def _sparse_part(self):
        if self._sparse is None and self.sparse_spec:
            self._sparse = _Sparse(self.sparse_spec)
        return self._sparse

    def dense_inputs(self, texts: Sequence[str]) -> np.ndarray:
        """The encoder's vector (scaled by ``encoder["scale"]``) and the scaled post features."""
        parts = []
        enc = self._encoder() if self.encoder.get("kind", "static") != "none" else None
        if enc is not None:
            parts.append(enc.encode(texts) * float(self.encoder.get("scale", 1.0)))
        if self.features:
            f = post_features(texts)
            parts.append(((f - self.feature_mean) / self.feature_scale).astype(np.float32))
        if not parts:
            return np.zeros((len(texts), 0), np.float32)
        return np.hstack(parts).astype(np.float32)

    def sparse_inputs(self, texts: Sequence[str]):
        """The n-gram TF-IDF rows (``None`` for a model without them)."""
        sp = self._sparse_part()
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

    def predict(self, texts: Sequence[str], batch_size: int = 4096) -> np.ndarray:
        """(n, L) calibrated probabilities for texts, in the order of ``labels``.

        HTML entities are read decoded (``&amp;`` as ``&``, see :func:`readable`).
        """
        texts = list(texts)
        if self.gate is not None:
            out = self.gate.predict(texts, batch_size)
            keep = np.nonzero((out >= self.gate_thresholds).any(axis=1))[0]
            if len(keep):
                out[keep] = self._predict([texts[i] for i in keep], batch_size)
            return out
        return self._predict(texts, batch_size)

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
        sp = self._sparse_part()
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

    def predict(self, texts: Sequence[str], batch_size: int = 4096) -> np.ndarray:
        texts = list(texts)
        out = np.zeros((len(texts), len(self.labels)), dtype=np.float32)
        used = {k for k, _ in self._cols}
        preds = {k: self.models[k].predict(texts, batch_size) for k in used}
        for c, (k, j) in enumerate(self._cols):
            out[:, c] = preds[k][:, j]
        return out

    def decide(self, p: np.ndarray) -> np.ndarray:
        return p >= self.thresholds

    def top_terms(self, text: str, label: str, k: int = 3) -> list[str]:
        m, _ = self._cols[self.labels.index(label)]
        return self.models[m].top_terms(text, label, k)
