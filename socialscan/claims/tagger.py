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
from collections.abc import Iterable, Sequence
from dataclasses import asdict, dataclass, field
from typing import Any

import numpy as np
from spacy.attrs import IS_ALPHA, IS_PUNCT, IS_SPACE, LIKE_URL, LOWER, ORTH, SENT_START

from ..embed.base import Embedder
from ..errors import InvalidTaxonomy
from ..records import analysed
from ..text.chrome import mask
from . import attributes
from .encoder import SpanEncoder
from .model import disclosed
from .taxonomy import Taxonomy, load_taxonomy

#: Cue weights are summed per sentence and label, then capped here.
CUE_CAP = 3.0
#: A claim is reported when its calibrated score reaches this.
THRESHOLD = 0.5


@dataclass
class Claim:
    """One claim: a sentence of a post, its label and calibrated score, and why.

    Attributes:
        label: The taxonomy label.
        score: Probability-like score in [0, 1] (0.5 = even odds).
        text: The sentence, verbatim.
        start: Character offset of the sentence in the post text.
        end: Character offset just past the sentence (``post[start:end] == text``).
        evidence: ``{"cues": [...], "example": str | None, "similarity": float}``.
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


@dataclass
class SentenceFeatures:
    """What the scorer sees for n sentences and L labels."""

    cue: np.ndarray  # (n, L) capped weight sums
    cue_names: list[list[list[str]]]  # [sentence][label] -> matched cue names
    sim: np.ndarray  # (n, L) max cosine to the label's examples
    nearest: np.ndarray  # (n, L) index into the label's examples, -1 if none
    background: np.ndarray  # (n,) max cosine to background sentences
    emb: np.ndarray  # (n, d)


def with_model_labels(taxonomy: Taxonomy, model) -> Taxonomy:
    """The taxonomy plus the labels only the model knows (learned from a user's labelled posts:
    no cues or examples, so only the model scores them)."""
    from .taxonomy import Label

    by_name = dict(taxonomy.by_name)
    for name in model.labels:
        if name not in by_name:
            desc = (model.info.get("descriptions") or {}).get(name) or "learned from labelled posts"
            by_name[name] = Label(name, desc)
    return Taxonomy(by_name, taxonomy.background, taxonomy.calibration, taxonomy.source)


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


def _row_products(a: np.ndarray, b: np.ndarray) -> np.ndarray:
    """``a @ b.T`` in float32 whose rows do not depend on the other rows of ``a``.

    A float32 matrix product may round a row differently with the number of rows (BLAS
    blocking), so a sentence's score could change in the 4th decimal with the batch it came
    in (gated or not, one worker or two). Products in float64 rounded to float32 do not.
    """
    return (a.astype(np.float64) @ b.T.astype(np.float64)).astype(np.float32)


def _sigmoid(z: np.ndarray) -> np.ndarray:
    return 1.0 / (1.0 + np.exp(-np.clip(z, -30, 30)))


def set_line_boundaries(doc) -> None:
    """Start a new sentence after every line break (the sentencizer only splits on punctuation)."""
    if len(doc) < 2:
        return
    for i in np.nonzero(doc.to_array(IS_SPACE)[:-1])[0].tolist():
        if "\n" in doc[i].text:
            doc[i + 1].is_sent_start = True


#: The longest sentence in tokens: a run with no sentence-final character or line break is cut
#: here (a tweet is ~60 tokens; an unpunctuated 10 MB paste would otherwise be one sentence).
MAX_SENTENCE_TOKENS = 100
#: The most characters tagged in one batch, whatever the posts' lengths (bounds the memory of
#: the model's n-gram matrices and of spaCy's docs).
BATCH_CHARS = 1_000_000

_PUNCT_CHARS: frozenset[int] = frozenset()
_HAS_NEWLINE: dict[int, bool] = {}


def set_sentences(doc):
    """Sentence starts as spaCy's default ``sentencizer`` then :func:`set_line_boundaries` set
    them on an unannotated doc, computed in one pass over the token array (about 2x faster).

    A token starts a sentence when it is the first, follows a line-break whitespace token, or
    is the first token that is neither punctuation nor a sentence-final character after one
    (``!``, ``.``, ``?`` and the sentencizer's other characters).

    Examples:
        >>> import spacy
        >>> doc = set_sentences(spacy.blank("en").make_doc("Hi! Wow... ok.\\nNext"))
        >>> [s.text for s in doc.sents]
        ['Hi!', 'Wow... ok.', '\\n', 'Next']
    """
    n = len(doc)
    if not n:
        return doc
    global _PUNCT_CHARS
    strings = doc.vocab.strings
    if not _PUNCT_CHARS:  # string hashes are the same in every vocab
        from spacy.pipeline import Sentencizer

        _PUNCT_CHARS = frozenset(strings.add(c) for c in Sentencizer.default_punct_chars)
    punct = _PUNCT_CHARS
    out = [-1] * n
    out[0] = 1
    seen = False
    since = 0
    for i, (orth, is_punct, is_space) in enumerate(
        doc.to_array([ORTH, IS_PUNCT, IS_SPACE]).tolist()
    ):
        if orth in punct:
            seen = True
        elif seen and not is_punct:
            out[i] = 1
            seen = False
        if out[i] == 1:
            since = 0
        elif since >= MAX_SENTENCE_TOKENS and not (is_space or is_punct):
            out[i] = 1  # a run with no stop at all: evidence stays a readable, bounded sentence
            since = 0
        since += 1
        if is_space and i + 1 < n:
            nl = _HAS_NEWLINE.get(orth)
            if nl is None:
                nl = _HAS_NEWLINE[orth] = "\n" in strings[orth]
            if nl:
                out[i + 1] = 1
    doc.from_array([SENT_START], np.array(out, dtype=np.int64).view(np.uint64).reshape(-1, 1))
    return doc


def content_sentences(doc) -> list:
    """Sentences with whitespace trimmed, skipping ones with no word (bare links, emoji)."""
    n = len(doc)
    if not n:
        return []
    a = doc.to_array([IS_SPACE, IS_ALPHA, LIKE_URL, SENT_START]).astype(np.int64)
    content = a[:, 0] == 0
    word = (a[:, 1] == 1) & (a[:, 2] == 0)
    starts = np.nonzero(a[:, 3] == 1)[0].tolist()
    if not starts or starts[0] != 0:
        starts.insert(0, 0)
    out = []
    for k, start in enumerate(starts):
        end = starts[k + 1] if k + 1 < len(starts) else n
        if not word[start:end].any():
            continue
        idx = np.nonzero(content[start:end])[0]
        out.append(doc[start + int(idx[0]) : start + int(idx[-1]) + 1])
    return out


class ClaimTagger:
    """Tags sentences with claim labels. Build once, reuse: ``tagger.tag_texts(texts)``.

    Scoring, per sentence and label (see ``default_taxonomy.yaml``)::

        score = sigmoid(bias + cue * min(sum of matched cue weights, 3)
                        + similarity * s + margin * (s - b))

    where ``s`` is the cosine similarity to the label's nearest example and ``b`` to the nearest
    background sentence. With a trained :class:`~socialscan.claims.model.ClaimModel`, the model
    decides the labels it knows (see the module's docstring) and this mapping the others.

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
        import spacy
        from spacy.matcher import Matcher, PhraseMatcher

        self.taxonomy = taxonomy if taxonomy is not None else load_taxonomy()
        if model is not None and any(n not in self.taxonomy.labels for n in model.labels):
            self.taxonomy = with_model_labels(self.taxonomy, model)
        if embedder is None:
            from ..embed.static import StaticEmbedder

            embedder = StaticEmbedder.default()
        self.embedder = embedder
        self.threshold = threshold
        self.labels = self.taxonomy.labels
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
        self._gate = False  # built on first use
        self._examples = [label.examples for label in self.taxonomy]
        ex_texts = [e for exs in self._examples for e in exs]
        self._bounds = np.cumsum([0] + [len(e) for e in self._examples])
        self._ex_emb = self._embed_texts(ex_texts)
        self._bg_emb = self._embed_texts(self.taxonomy.background)
        cals = [self.taxonomy.calibration_for(n) for n in self.labels]
        self._cal = (
            {k: np.array([c[k] for c in cals], dtype=np.float32) for k in cals[0]} if cals else {}
        )

    def _embed_texts(self, texts: Sequence[str]) -> np.ndarray:
        docs = [self.nlp.make_doc(t) for t in texts]
        return self.encoder.encode([d[:] for d in docs])

    # -- features -----------------------------------------------------------------------------

    def docs(self, texts: Iterable[str], batch_size: int = 512):
        """spaCy docs with sentence boundaries at punctuation and line breaks; the lines a
        copied post carries from the page (its header, counts) are blanked first
        (:func:`~socialscan.text.chrome.mask`: offsets stay those of the post's text)."""
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
        if len(self._ex_emb) and n:
            all_sims = _row_products(emb, self._ex_emb)
            for li in range(n_labels):
                a, b = self._bounds[li], self._bounds[li + 1]
                if b > a:
                    block = all_sims[:, a:b]
                    nearest[:, li] = block.argmax(axis=1)
                    sim[:, li] = block.max(axis=1)
        bg = (
            _row_products(emb, self._bg_emb).max(axis=1)
            if len(self._bg_emb) and n
            else np.zeros(n, np.float32)
        )
        return SentenceFeatures(cue, names, sim, nearest, bg.astype(np.float32), emb)

    def scores(self, f: SentenceFeatures) -> np.ndarray:
        """Calibrated (n, L) scores from features."""
        c = self._cal
        z = (
            c["bias"]
            + c["cue"] * f.cue
            + c["similarity"] * f.sim
            + c["margin"] * (f.sim - f.background[:, None])
        )
        return _sigmoid(z)

    # -- claims -------------------------------------------------------------------------------

    def _claim(
        self, s, li: int, score: float, f: SentenceFeatures, k: int, extra: dict | None = None
    ) -> Claim:
        label = self.labels[li]
        j = int(f.nearest[k, li])
        evidence: dict[str, Any] = {
            "cues": list(f.cue_names[k][li]),
            "example": self._examples[li][j] if j >= 0 else None,
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
            m = self.model.predict([s.text for s in spans])
            p[:, has] = m[:, self._model_col[has]]
        return p

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
        out = []
        for cs in chosen:
            claims = []
            for k, li, score in cs:
                extra = None
                if self._model_col[li] >= 0:
                    extra = {
                        "sentence_score": round(float(p[k, li]), 4),
                        "terms": self.model.top_terms(spans[k].text, self.labels[li]),
                        "model": self.model.name,
                    }
                claims.append(self._claim(spans[k], li, score, f, where[k], extra))
            claims.sort(key=lambda c: (c.start, self.labels.index(c.label)))
            out.append(claims)
        return out

    @property
    def gate(self):
        """The :class:`~socialscan.claims.gate.ClaimGate` of this tagger, or ``None`` if its
        bound does not hold (a non-static embedder)."""
        if self._gate is False:
            from .gate import ClaimGate

            self._gate = ClaimGate(self) if ClaimGate.applies_to(self) else None
        return self._gate

    def tag_texts(
        self,
        texts: Sequence[str],
        batch_size: int = 512,
        workers: int | None = None,
        gate: bool = True,
    ) -> list[list[Claim]]:
        """Claims for each text, aligned with ``texts``.

        With the default static embedder, a cheap gate on the raw text
        (:mod:`socialscan.claims.gate`) first picks the posts that could hold a claim; only
        those go through spaCy, exactly as in the spaCy component. ``gate=False`` tags every
        post in spaCy.

        Large inputs (``PARALLEL_MIN`` texts or more) are tagged on every core: forked worker
        processes share this tagger, each takes chunks in turn, results come back in order.
        ``workers=1`` keeps it in this process. The torch-backed MiniLM embedder and the
        accurate model (MiniLM in ONNX Runtime, which runs its own threads) always stay in one
        process (a thread pool does not survive a fork).
        """
        texts = [analysed(t) for t in texts]  # one huge post costs at most ANALYSED_CHARS
        if workers is None:
            workers = os.cpu_count() or 1 if len(texts) >= PARALLEL_MIN else 1
        if (
            workers > 1
            and not getattr(self.embedder, "name", "").startswith("minilm")
            and "minilm" not in getattr(self.model, "name", "")
            and _may_fork()
        ):
            return _tag_in_workers(self, texts, batch_size, workers, gate)
        # the products here are small: BLAS threads would mostly spin (2.4x the CPU seconds
        # measured on 20,000 posts, and slower on a loaded machine)
        from threadpoolctl import threadpool_limits

        with threadpool_limits(1, user_api="blas"):
            return self._tag_in_process(texts, batch_size, gate)

    def _tag_in_process(self, texts: list[str], batch_size: int, gate: bool) -> list[list[Claim]]:
        if self.model is not None:
            return self._tag_with_model(texts, batch_size, gate)
        g = self.gate if gate else None
        out: list[list[Claim]] = []
        for batch in _batches(texts, batch_size):
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
        for batch in _batches(texts, max(batch_size, 4096)):
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
            p[:, self._zero_shot] = self._zero_shot_post_scores(texts)[:, self._zero_shot]
        if self.model is not None:
            has = ~self._zero_shot
            p[:, has] = self.post_probabilities(texts)[:, self._model_col[has]]
        return p, p >= self._thresholds

    def post_features(self, texts: Sequence[str]) -> SentenceFeatures:
        """Zero-shot features of whole posts (each post one span): cue sums, similarities."""
        docs = list(self.docs(texts))
        return self.features([d[:] for d in docs])

    def post_scores(self, texts: Sequence[str]) -> np.ndarray:
        """(n, L) post scores: the model's for its labels, else the max over each post's
        sentences of the zero-shot score (0 for a post with none)."""
        return self.post_labels(texts)[0]

    def _zero_shot_post_scores(self, texts: Sequence[str]) -> np.ndarray:
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


def _batches(texts: list[str], size: int) -> Iterable[list[str]]:
    """Consecutive batches of at most ``size`` texts and about :data:`BATCH_CHARS` characters.

    Examples:
        >>> [len(b) for b in _batches(["a" * 600_000] * 3 + ["b"] * 5, 4)]
        [1, 1, 4, 2]
    """
    start, chars = 0, 0
    for i, t in enumerate(texts):
        if i > start and (i - start >= size or chars + len(t) > BATCH_CHARS):
            yield texts[start:i]
            start, chars = i, 0
        chars += len(t)
    if start < len(texts):
        yield texts[start:]


#: Inputs at least this long are tagged in worker processes (below it, start-up costs more).
PARALLEL_MIN = 8192
#: The most texts sent to a worker at once.
CHUNK_MAX = 32768
_WORKER_TAGGER: ClaimTagger | None = None


def _may_fork() -> bool:
    """Daemonic processes (Dask workers, pool workers) may not start children."""
    import multiprocessing

    return not multiprocessing.current_process().daemon


def _tag_chunk(args: tuple[list[str], bool]) -> list[list[Claim]]:
    assert _WORKER_TAGGER is not None
    chunk, gate = args
    return _WORKER_TAGGER.tag_texts(chunk, workers=1, gate=gate)


def _tag_in_workers(
    tagger: ClaimTagger, texts: list[str], batch_size: int, workers: int, gate: bool = True
) -> list[list[Claim]]:
    """Tag ``texts`` in ``workers`` forked processes that inherit ``tagger``."""
    import multiprocessing

    global _WORKER_TAGGER
    _WORKER_TAGGER = tagger
    # one long chunk per worker (capped): each worker's word cache and spaCy vocabulary warm
    # over a long run, so fewer new words are tokenised twice (about 10% less CPU than 2,048)
    size = max(batch_size, min(-(-len(texts) // workers), CHUNK_MAX))
    chunks = [(texts[i : i + size], gate) for i in range(0, len(texts), size)]
    try:
        with multiprocessing.get_context("fork").Pool(workers) as pool:
            parts = pool.map(_tag_chunk, chunks, chunksize=1)
    finally:
        _WORKER_TAGGER = None
    return [claims for part in parts for claims in part]
