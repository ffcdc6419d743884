"""The ``socialscan_claims`` spaCy component, found through the ``spacy_factories`` entry point.

Examples:
    >>> import spacy
    >>> nlp = spacy.blank("en")
    >>> _ = nlp.add_pipe("socialscan_claims")
    >>> doc = nlp("Nice day. Give it a try!")
    >>> [(c.label, c.text) for c in doc._.claims]
    [('product_plug', 'Give it a try!')]
    >>> [s._.claim_label for s in doc.sents]
    [None, 'product_plug']
"""

from __future__ import annotations

from spacy.language import Language
from spacy.tokens import Doc, Span

from .sentences import set_sentences
from .tagger import ClaimTagger
from .tagging import get_tagger


def _span_claim_label(span: Span) -> str | None:
    best = None
    for c in span.doc._.claims or []:
        if (
            c.start >= span.start_char
            and c.end <= span.end_char
            and (best is None or c.score > best.score)
        ):
            best = c
    return best.label if best is not None else None


def register_extensions() -> None:
    """``doc._.claims`` (list of Claim) and ``span._.claim_label`` (best label or None), once."""
    if not Doc.has_extension("claims"):
        Doc.set_extension("claims", default=None)
    if not Span.has_extension("claim_label"):
        Span.set_extension("claim_label", getter=_span_claim_label)


class ClaimsComponent:
    """Sets sentence boundaries (punctuation and line breaks) if absent and tags claims.

    Args:
        nlp: The pipeline.
        name: The component name.
        taxonomy: A taxonomy file, or ``None`` for the default.
        embedder: The zero-shot scorer's embedder: ``static`` (default), ``minilm`` or ``hashing``.
        threshold: Minimum score of a zero-shot claim (the model's labels use its own thresholds).
        model: The claims model: ``default`` (shipped), ``accurate``, a directory written by
            ``socialscan train claims``, or ``zero-shot``.
    """

    def __init__(
        self,
        nlp: Language,
        name: str,
        taxonomy: str | None,
        embedder: str,
        threshold: float,
        model: str = "default",
    ):
        register_extensions()
        self.name = name
        self.cfg = {
            "taxonomy": taxonomy,
            "embedder": embedder,
            "threshold": threshold,
            "model": model,
        }
        self._tagger = None

    @property
    def tagger(self):
        if self._tagger is None:
            model = self.cfg.get("model", "default")
            model = None if model in ("zero-shot", "none", None) else model
            base = get_tagger(self.cfg["taxonomy"], self.cfg["embedder"], model=model)
            if base.threshold != self.cfg["threshold"]:
                base = ClaimTagger(
                    base.taxonomy,
                    base.embedder,
                    threshold=self.cfg["threshold"],
                    model=base.model,
                )
            self._tagger = base
        return self._tagger

    def _ensure_sents(self, doc: Doc) -> Doc:
        if not doc.has_annotation("SENT_START"):
            doc = set_sentences(doc)
        return doc

    def __call__(self, doc: Doc) -> Doc:
        doc = self._ensure_sents(doc)
        doc._.claims = self.tagger.tag_docs([doc])[0]
        return doc

    def pipe(self, docs, batch_size: int = 256):
        batch = []
        for doc in docs:
            batch.append(self._ensure_sents(doc))
            if len(batch) >= batch_size:
                yield from self._flush(batch)
        if batch:
            yield from self._flush(batch)

    def _flush(self, batch):
        for doc, claims in zip(batch, self.tagger.tag_docs(batch), strict=True):
            doc._.claims = claims
            yield doc
        batch.clear()

    def to_bytes(self, *, exclude=()) -> bytes:
        import orjson

        return orjson.dumps(self.cfg)

    def from_bytes(self, data: bytes, *, exclude=()):
        import orjson

        self.cfg = orjson.loads(data)
        self._tagger = None
        return self

    def to_disk(self, path, *, exclude=()) -> None:
        from pathlib import Path

        p = Path(path)
        p.mkdir(parents=True, exist_ok=True)
        (p / "cfg.json").write_bytes(self.to_bytes())

    def from_disk(self, path, *, exclude=()):
        from pathlib import Path

        return self.from_bytes((Path(path) / "cfg.json").read_bytes())


@Language.factory(
    "socialscan_claims",
    default_config={"taxonomy": None, "embedder": "static", "threshold": 0.5, "model": "default"},
)
def make_claims_component(
    nlp: Language,
    name: str,
    taxonomy: str | None,
    embedder: str,
    threshold: float,
    model: str = "default",
) -> ClaimsComponent:
    """Build the component (``nlp.add_pipe("socialscan_claims", config={...})``)."""
    return ClaimsComponent(nlp, name, taxonomy, embedder, threshold, model)
