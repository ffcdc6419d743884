"""The zero-shot claim scorer: cues matched by spaCy and similarity to a label's examples,
mapped to a calibrated score per sentence and label by the taxonomy's logistic mapping."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
from spacy.attrs import LOWER

from ..embed.base import Embedder
from ..errors import InvalidTaxonomy
from ..text.body import mask
from .encoder import SpanEncoder
from .sentences import content_sentences, set_sentences
from .taxonomy import Taxonomy, load_taxonomy

#: Cue weights are summed per sentence and label, then capped here.
CUE_CAP = 3.0
#: A claim is reported when its calibrated score reaches this.
THRESHOLD = 0.5


@dataclass
class SentenceFeatures:
    """What the scorer sees for n sentences and L labels."""

    cue: np.ndarray  # (n, L) capped weight sums
    cue_names: list[list[list[str]]]  # [sentence][label] -> matched cue names
    sim: np.ndarray  # (n, L) max cosine to the label's examples
    nearest: np.ndarray  # (n, L) index into the label's examples, -1 if none
    background: np.ndarray  # (n,) max cosine to background sentences
    emb: np.ndarray  # (n, d)


def _required_words(pattern: list[dict[str, Any]]) -> list[list[str]]:
    """For each required token with a LOWER test, the words it accepts: a match needs one of each."""
    groups: list[list[str]] = []
    for tok in pattern:
        if tok.get("OP") in ("?", "*", "!"):
            continue
        low = tok.get("LOWER")
        if isinstance(low, str):
            groups.append([low])
        elif isinstance(low, dict) and isinstance(low.get("IN"), list):
            groups.append([str(w) for w in low["IN"]])
    return groups


def row_products(a: np.ndarray, b: np.ndarray) -> np.ndarray:
    """``a @ b.T`` in float32 whose rows do not depend on the other rows of ``a``.

    A float32 matrix product may round a row differently with the number of rows (BLAS
    blocking), so a sentence's score could change with the batch it came in (gated or not, one
    worker or two). Products in float64 rounded to float32 do not.
    """
    return (a.astype(np.float64) @ b.T.astype(np.float64)).astype(np.float32)


def sigmoid(z: np.ndarray) -> np.ndarray:
    return 1.0 / (1.0 + np.exp(-np.clip(z, -30, 30)))


class ZeroShotScorer:
    """Scores sentences against a taxonomy without training: ``scores(features(spans))``.

    Per sentence and label (see ``default_taxonomy.yaml``)::

        score = sigmoid(bias + cue * min(sum of matched cue weights, 3)
                        + similarity * s + margin * (s - b))

    where ``s`` is the cosine similarity to the label's nearest example and ``b`` to the nearest
    background sentence.

    Args:
        taxonomy: Labels to score (default: the shipped taxonomy).
        embedder: Sentence embedder (default: the shipped static model).
        threshold: Minimum score of a reported claim.
    """

    def __init__(
        self,
        taxonomy: Taxonomy | None = None,
        embedder: Embedder | None = None,
        threshold: float = THRESHOLD,
    ):
        import spacy
        from spacy.matcher import Matcher, PhraseMatcher

        self.taxonomy = taxonomy if taxonomy is not None else load_taxonomy()
        if embedder is None:
            from ..embed.static import StaticEmbedder

            embedder = StaticEmbedder.default()
        self.embedder = embedder
        self.threshold = threshold
        self.labels = self.taxonomy.labels
        self.nlp = spacy.blank("en")
        self.nlp.add_pipe("sentencizer")
        vocab = self.nlp.vocab
        self.phrase_matcher = PhraseMatcher(vocab, attr="LOWER")
        self.matcher = Matcher(vocab)
        self._cue_info: dict[int, tuple[int, str, float]] = {}
        # The Matcher is the slow part: one per pattern, run only on docs holding, for each of
        # the pattern's required LOWER tokens, one of the words it accepts.
        self._pattern_matchers: list[tuple[list[frozenset[int]], Any]] = []
        for li, label in enumerate(self.taxonomy):
            for ci, cue in enumerate(label.cues):
                key = f"{label.name}\x1f{ci}"
                self._cue_info[vocab.strings.add(key)] = (li, cue.name, cue.weight)
                if cue.phrase is not None:
                    self.phrase_matcher.add(key, [self.nlp.make_doc(cue.phrase)])
                    continue
                m = Matcher(vocab)
                groups = [
                    frozenset(vocab.strings.add(w) for w in g) for g in _required_words(cue.pattern)
                ]
                self._pattern_matchers.append((groups, m))
                try:
                    m.add(key, [cue.pattern])
                    self.matcher.add(key, [cue.pattern])
                except (ValueError, TypeError) as e:  # spaCy's MatchPatternError is a ValueError
                    msg = str(e).splitlines()[-1].strip()
                    raise InvalidTaxonomy(
                        f"label {label.name!r} cue {cue.name!r}: bad pattern ({msg})"
                    ) from None
        self.encoder = SpanEncoder(embedder)
        #: Per label its example sentences; their vectors, label after label, start at
        #: ``example_bounds[li]``; and the vectors of the background sentences.
        self.examples = [label.examples for label in self.taxonomy]
        ex_texts = [e for exs in self.examples for e in exs]
        self.example_bounds = np.cumsum([0] + [len(e) for e in self.examples])
        self.example_vectors = self._embed_texts(ex_texts)
        self.background_vectors = self._embed_texts(self.taxonomy.background)
        #: The logistic mapping's coefficients, one array per term (``bias``, ``cue``, ...).
        cals = [self.taxonomy.calibration_for(n) for n in self.labels]
        self.calibration = (
            {k: np.array([c[k] for c in cals], dtype=np.float32) for k in cals[0]} if cals else {}
        )

    def _embed_texts(self, texts: Sequence[str]) -> np.ndarray:
        docs = [self.nlp.make_doc(t) for t in texts]
        return self.encoder.encode([d[:] for d in docs])

    # -- features -----------------------------------------------------------------------------

    def docs(self, texts: Iterable[str], batch_size: int = 512):
        """spaCy docs with sentence boundaries at punctuation and line breaks; the lines a
        copied post carries from the page (its header, counts) are blanked first
        (:func:`~socialscan.text.body.mask`: offsets stay those of the post's text)."""
        texts = (mask(t) for t in texts)
        for doc in self.nlp.tokenizer.pipe(texts, batch_size=batch_size):
            yield set_sentences(doc)

    def features(self, spans: Sequence) -> SentenceFeatures:
        """Cue sums, similarities and embeddings for sentences (spans of processed docs)."""
        n, n_labels = len(spans), len(self.labels)
        cue = np.zeros((n, n_labels), dtype=np.float32)
        names: list[list[list[str]]] = [[[] for _ in range(n_labels)] for _ in range(n)]
        by_doc: dict[int, list[tuple[int, Any]]] = {}
        for k, s in enumerate(spans):
            by_doc.setdefault(id(s.doc), []).append((k, s))
        for items in by_doc.values():
            doc = items[0][1].doc
            matches = self.phrase_matcher(doc)
            if self._pattern_matchers:
                lowers = set(doc.to_array(LOWER).tolist())
                for groups, m in self._pattern_matchers:
                    if all(not g.isdisjoint(lowers) for g in groups):
                        matches += m(doc)
            if not matches:
                continue
            for k, s in items:
                for key, m_start, m_end in matches:
                    if m_start >= s.start and m_end <= s.end:
                        li, name, w = self._cue_info[key]
                        if name not in names[k][li]:
                            names[k][li].append(name)
                            cue[k, li] += w
        np.minimum(cue, CUE_CAP, out=cue)
        emb = self.encoder.encode(spans)
        sim = np.zeros((n, n_labels), dtype=np.float32)
        nearest = np.full((n, n_labels), -1, dtype=np.int64)
        if len(self.example_vectors) and n:
            all_sims = row_products(emb, self.example_vectors)
            for li in range(n_labels):
                a, b = self.example_bounds[li], self.example_bounds[li + 1]
                if b > a:
                    block = all_sims[:, a:b]
                    nearest[:, li] = block.argmax(axis=1)
                    sim[:, li] = block.max(axis=1)
        bg = (
            row_products(emb, self.background_vectors).max(axis=1)
            if len(self.background_vectors) and n
            else np.zeros(n, np.float32)
        )
        return SentenceFeatures(cue, names, sim, nearest, bg.astype(np.float32), emb)

    def scores(self, f: SentenceFeatures) -> np.ndarray:
        """Calibrated (n, L) scores from features."""
        c = self.calibration
        z = (
            c["bias"]
            + c["cue"] * f.cue
            + c["similarity"] * f.sim
            + c["margin"] * (f.sim - f.background[:, None])
        )
        return sigmoid(z)

    def post_features(self, texts: Sequence[str]) -> SentenceFeatures:
        """Zero-shot features of whole posts (each post one span): cue sums, similarities."""
        docs = list(self.docs(texts))
        return self.features([d[:] for d in docs])

    def zero_shot_post_scores(self, texts: Sequence[str]) -> np.ndarray:
        """(n, L) the max over each post's sentences of the zero-shot score (0 for none)."""
        texts = list(texts)
        p = np.zeros((len(texts), len(self.labels)), dtype=np.float32)
        for i in range(0, len(texts), 512):
            docs = list(self.docs(texts[i : i + 512]))
            per_doc = [content_sentences(d) for d in docs]
            spans = [s for ss in per_doc for s in ss]
            sp = self.scores(self.features(spans))
            k0 = 0
            for j, ss in enumerate(per_doc):
                if ss:
                    p[i + j] = sp[k0 : k0 + len(ss)].max(axis=0)
                k0 += len(ss)
        return p
