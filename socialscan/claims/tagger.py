"""Sentence-level claim tagging: a trained classifier per post and sentence, with cues and the
zero-shot scorer (similarity to label examples) as evidence and for labels it was not trained on.

With a :class:`~socialscan.claims.model.ClaimModel` (the shipped one by default), a post holds a
label when the model's calibrated probability reaches the label's threshold; its claims are the
post's sentences that carry it (each sentence scored by the same model; the best one where no
sentence alone reaches the threshold, as a label may need the whole post). Labels of the
taxonomy the model does not know are scored zero-shot: cues + similarity, mapped to
probabilities by the taxonomy's calibration.
"""

from __future__ import annotations

import os
from collections.abc import Sequence
from dataclasses import asdict, dataclass, field
from typing import Any

import numpy as np

from ..embed.base import Embedder, as_embedder
from ..records import analysed
from ..text.body import mask
from . import attributes
from .gate import ClaimGate
from .post_features import disclosed
from .sentences import batches, content_sentences
from .taxonomy import Label, Taxonomy, load_taxonomy
from .workers import PARALLEL_MIN, may_fork, tag_in_workers
from .zeroshot import THRESHOLD, SentenceFeatures, ZeroShotScorer


@dataclass
class Claim:
    """One claim: a sentence of a post, its label and calibrated score, and why.

    Attributes:
        label: The taxonomy label.
        score: Probability-like score in [0, 1] (0.5 = even odds).
        text: The sentence, verbatim.
        start: Character offset of the sentence in the post text.
        end: Character offset just past the sentence (``post[start:end] == text``).
        evidence: ``{"cues": [...], "example": str | None, "similarity": float}``; for a
            trained model's label also ``sentence_score``, ``terms`` and ``model``; and where
            the label holds because a person decided it on this post or a copy of it
            (``train claims --from``), ``"decided_by": "person"`` with the head's own
            ``model_score`` (``score`` is then the person's decision, 1.0).
        attributes: Label-specific details, e.g. ``{"products": [...]}`` or
            ``{"actor": "openai", "polarity": "assurance"}``.
    """

    label: str
    score: float
    text: str
    start: int
    end: int
    evidence: dict[str, Any] = field(default_factory=dict)
    attributes: dict[str, Any] = field(default_factory=dict)

    def to_dict(self) -> dict[str, Any]:
        """The claim as a plain (JSON-ready) dict."""
        return asdict(self)


def with_model_labels(taxonomy: Taxonomy, model) -> Taxonomy:
    """The taxonomy plus the labels only the model knows (learned from a user's labelled posts:
    no cues or examples, so only the model scores them)."""
    by_name = dict(taxonomy.by_name)
    for name in model.labels:
        if name not in by_name:
            desc = (model.info.get("descriptions") or {}).get(name) or "learned from labelled posts"
            by_name[name] = Label(name, desc)
    return Taxonomy(by_name, taxonomy.background, taxonomy.calibration, taxonomy.source)


class ClaimTagger(ZeroShotScorer):
    """Tags sentences with claim labels. Build once, reuse: ``tagger.tag_texts(texts)``.

    With a trained :class:`~socialscan.claims.model.ClaimModel`, the model decides the labels it
    knows (see the module's docstring) and the zero-shot scorer
    (:class:`~socialscan.claims.zeroshot.ZeroShotScorer`, which this extends) the others.

    Args:
        taxonomy: Labels to tag (default: the shipped taxonomy).
        embedder: Sentence embedder (default: the shipped static model).
        model: The trained classifier (``None``: every label zero-shot).
        threshold: Minimum score of a reported claim.

    Examples:
        >>> tagger = ClaimTagger()
        >>> [c.label for c in tagger.tag_texts(["Give it a try, you will love it."])[0]]
        ['product_plug']
    """

    def __init__(
        self,
        taxonomy: Taxonomy | None = None,
        embedder: Embedder | None = None,
        threshold: float = THRESHOLD,
        model=None,
    ):
        taxonomy = taxonomy if taxonomy is not None else load_taxonomy()
        if model is not None and any(n not in taxonomy.labels for n in model.labels):
            taxonomy = with_model_labels(taxonomy, model)
        super().__init__(taxonomy, embedder, threshold)
        #: The trained classifier, and for each taxonomy label its column in it (-1: zero-shot).
        self.model = model
        self._model_col = np.array(
            [
                model.labels.index(n) if model is not None and n in model.labels else -1
                for n in self.labels
            ],
            dtype=np.int64,
        )
        self._zero_shot = self._model_col < 0
        #: Per taxonomy label: the model's threshold, or the tagger's for zero-shot labels.
        self._thresholds = np.full(len(self.labels), threshold, dtype=np.float32)
        if model is not None:
            self._thresholds[~self._zero_shot] = model.thresholds[self._model_col[~self._zero_shot]]
        self._gate: ClaimGate | None | bool = False  # built on first use

    # -- claims -------------------------------------------------------------------------------

    def _claim(
        self, s, li: int, score: float, f: SentenceFeatures, k: int, extra: dict | None = None
    ) -> Claim:
        label = self.labels[li]
        j = int(f.nearest[k, li])
        evidence: dict[str, Any] = {
            "cues": list(f.cue_names[k][li]),
            "example": self.examples[li][j] if j >= 0 else None,
            "similarity": round(float(f.sim[k, li]), 4),
        }
        if extra:
            evidence.update(extra)
        attrs: dict[str, Any] = {}
        if label == "product_plug":
            # the sentence's names first, then the rest of the post's ("Their latest ...")
            names = attributes.products(s)
            attrs["products"] = names + [n for n in attributes.products(s.doc[:]) if n not in names]
            attrs["disclosed"] = disclosed(s.doc.text)
        elif label == "privacy_statement":
            attrs.update(attributes.privacy(s))
        return Claim(label, round(score, 4), s.text, s.start_char, s.end_char, evidence, attrs)

    def _chosen(
        self, n: int, p: np.ndarray, k0: int, post: np.ndarray | None
    ) -> list[tuple[int, int, float]]:
        """(sentence row, label index, claim score) of one post's claims (rows ``k0``..).

        ``p`` holds the sentences' scores: the zero-shot scorer's for zero-shot labels, the
        model's for the others; ``post`` the model's scores of the whole post. A model label
        holds where the post's score reaches its threshold; its claims are the sentences that
        reach it too, or the best sentence where none does alone.
        """
        out: list[tuple[int, int, float]] = []
        if not n:
            return out
        block = p[k0 : k0 + n]
        thr = self._thresholds
        for li in range(len(self.labels)):
            col = self._model_col[li]
            if col < 0:
                out += [
                    (k0 + r, li, float(block[r, li]))
                    for r in np.nonzero(block[:, li] >= thr[li])[0]
                ]
                continue
            if post is None or post[col] < thr[li]:
                continue
            rows = np.nonzero(block[:, li] >= thr[li])[0].tolist() or [int(block[:, li].argmax())]
            out += [(k0 + r, li, float(post[col])) for r in rows]
        return out

    def _sentence_scores(self, spans: Sequence) -> np.ndarray:
        """(n, L) scores of sentences: the model's where it has a column, else zero-shot (only
        computed where the taxonomy has such labels)."""
        p = np.zeros((len(spans), len(self.labels)), dtype=np.float32)
        if not len(spans):
            return p
        if self._zero_shot.any():
            p[:, self._zero_shot] = self.scores(self.features(spans))[:, self._zero_shot]
        if self.model is not None:
            has = ~self._zero_shot
            # a person decided posts, not sentences: a sentence gets the head's own score
            m = self.model.predict([s.text for s in spans], remembered=False)
            p[:, has] = m[:, self._model_col[has]]
        return p

    def _people(self, docs: Sequence, post: np.ndarray | None) -> tuple[list[dict], np.ndarray]:
        """Per doc, the labels a person decided on it (or a copy), and the head's own post
        scores where any was decided (the model's ``post`` scores elsewhere)."""
        if self.model is None or not hasattr(self.model, "remembered"):
            return [{} for _ in docs], post
        texts = [mask(d.text) for d in docs]
        people = self.model.remembered(texts)
        rows = [i for i, got in enumerate(people) if got]
        if rows and post is not None:
            post = post.copy()
            post[rows] = self.model.predict([texts[i] for i in rows], remembered=False)
        return people, post

    def post_probabilities(self, texts: Sequence[str]) -> np.ndarray:
        """(n, L_model) the model's calibrated scores of whole posts (page lines masked)."""
        assert self.model is not None
        return self.model.predict([mask(t) for t in texts])

    def tag_docs(self, docs: Sequence, post: np.ndarray | None = None) -> list[list[Claim]]:
        """Claims for processed docs (sentence boundaries set), one list per doc.

        ``post``: the model's scores of the docs' whole texts, where already computed. The
        zero-shot evidence (cues, nearest example) is computed for the claims' sentences only.
        """
        if self.model is not None and post is None:
            post = self.post_probabilities([d.text for d in docs])
        per_doc = [content_sentences(d) for d in docs]
        spans = [s for ss in per_doc for s in ss]
        p = self._sentence_scores(spans)
        chosen, k0 = [], 0
        for i, ss in enumerate(per_doc):
            chosen.append(self._chosen(len(ss), p, k0, None if post is None else post[i]))
            k0 += len(ss)
        rows = sorted({k for cs in chosen for k, _, _ in cs})
        where = {k: r for r, k in enumerate(rows)}
        f = self.features([spans[k] for k in rows])
        people, own = self._people(docs, post)
        out = []
        for i, cs in enumerate(chosen):
            claims = []
            for k, li, score in cs:
                extra = None
                col = self._model_col[li]
                if col >= 0:
                    extra = {
                        "sentence_score": round(float(p[k, li]), 4),
                        "terms": self.model.top_terms(spans[k].text, self.labels[li]),
                        "model": self.model.name,
                    }
                    if self.labels[li] in people[i]:
                        # the label holds because a person said so: the score is their
                        # decision, the head's own score is kept beside it
                        extra["decided_by"] = "person"
                        extra["model_score"] = round(float(own[i][col]), 4)
                claims.append(self._claim(spans[k], li, score, f, where[k], extra))
            claims.sort(key=lambda c: (c.start, self.labels.index(c.label)))
            out.append(claims)
        return out

    @property
    def fork_safe(self) -> bool:
        """Whether forked worker processes may share this tagger: its embedder and its model
        both say so (a torch or ONNX Runtime thread pool does not survive a fork)."""
        return as_embedder(self.embedder).fork_safe and (
            self.model is None or bool(self.model.fork_safe)
        )

    @property
    def gate(self) -> ClaimGate | None:
        """The :class:`~socialscan.claims.gate.ClaimGate` of this tagger, or ``None`` if its
        bound does not hold (an embedder that is not word-pooled)."""
        if self._gate is False:
            self._gate = ClaimGate(self) if ClaimGate.applies_to(self) else None
        return self._gate  # type: ignore[return-value]

    def tag_texts(
        self,
        texts: Sequence[str],
        batch_size: int = 512,
        workers: int | None = None,
        gate: bool = True,
    ) -> list[list[Claim]]:
        """Claims for each text, aligned with ``texts``.

        With a word-pooled embedder (the default static one), a cheap gate on the raw text
        (:mod:`socialscan.claims.gate`) first picks the posts that could hold a claim; only
        those go through spaCy, exactly as in the spaCy component. ``gate=False`` tags every
        post in spaCy.

        Large inputs (``PARALLEL_MIN`` texts or more) are tagged on every core: forked worker
        processes share this tagger, each takes chunks in turn, results come back in order.
        ``workers=1`` keeps it in this process, and so does a tagger that is not
        :attr:`fork_safe`.
        """
        texts = [analysed(t) for t in texts]  # one huge post costs at most ANALYSED_CHARS
        if workers is None:
            workers = os.cpu_count() or 1 if len(texts) >= PARALLEL_MIN else 1
        if workers > 1 and self.fork_safe and may_fork():
            return tag_in_workers(self, texts, batch_size, workers, gate)
        # the products here are small: BLAS threads would mostly spin
        from threadpoolctl import threadpool_limits

        with threadpool_limits(1, user_api="blas"):
            return self._tag_in_process(texts, batch_size, gate)

    def _tag_in_process(self, texts: list[str], batch_size: int, gate: bool) -> list[list[Claim]]:
        if self.model is not None:
            return self._tag_with_model(texts, batch_size, gate)
        g = self.gate if gate else None
        out: list[list[Claim]] = []
        for batch in batches(texts, batch_size):
            if g is None:
                out.extend(self.tag_docs(list(self.docs(batch, batch_size))))
                continue
            keep = np.nonzero(g.candidates(batch))[0].tolist()
            claims: list[list[Claim]] = [[] for _ in batch]
            tagged = self.tag_docs(list(self.docs([batch[j] for j in keep], batch_size)))
            for j, cs in zip(keep, tagged, strict=True):
                claims[j] = cs
            out.extend(claims)
        return out

    def _tag_with_model(self, texts: list[str], batch_size: int, gate: bool) -> list[list[Claim]]:
        """The model scores every post; only posts it labels (or, for zero-shot labels, that
        the gate passes) go through spaCy for their sentences."""
        g = self.gate if gate and self._zero_shot.any() else None
        thr = self._thresholds[~self._zero_shot]
        out: list[list[Claim]] = []
        for batch in batches(texts, max(batch_size, 4096)):
            post = self.post_probabilities(batch)
            need = (post[:, self._model_col[~self._zero_shot]] >= thr).any(axis=1)
            if self._zero_shot.any():
                need |= g.candidates(batch) if g is not None else True
            keep = np.nonzero(need)[0].tolist()
            claims: list[list[Claim]] = [[] for _ in batch]
            docs = list(self.docs([batch[j] for j in keep], batch_size))
            for j, cs in zip(keep, self.tag_docs(docs, post[keep]), strict=True):
                claims[j] = cs
            out.extend(claims)
        return out

    def post_labels(self, texts: Sequence[str]) -> tuple[np.ndarray, np.ndarray]:
        """(n, L) post scores and (n, L) decisions: the model's for its labels, the zero-shot
        scorer's (max over sentences, at the tagger's threshold) for the others."""
        texts = [analysed(t) for t in texts]
        p = np.zeros((len(texts), len(self.labels)), dtype=np.float32)
        if self._zero_shot.any():
            p[:, self._zero_shot] = self.zero_shot_post_scores(texts)[:, self._zero_shot]
        if self.model is not None:
            has = ~self._zero_shot
            p[:, has] = self.post_probabilities(texts)[:, self._model_col[has]]
        return p, p >= self._thresholds

    def post_scores(self, texts: Sequence[str]) -> np.ndarray:
        """(n, L) post scores: the model's for its labels, else the max over each post's
        sentences of the zero-shot score (0 for a post with none)."""
        return self.post_labels(texts)[0]
