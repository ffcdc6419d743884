"""Claim classification: what posts claim, sentence by sentence, with evidence and scores.

- :func:`tag_texts` / :func:`tag_frame` / :func:`tag`: claims for strings, a DataFrame, or posts.
- :func:`load_taxonomy`: the shipped labels (``default_taxonomy.yaml``), extended by a user file.
- :func:`train_claims`: fit an optional supervised head on labelled JSONL (saved as JSON).
- spaCy: ``nlp.add_pipe("socialscan_claims")`` (see :mod:`socialscan.claims.spacy_component`).

Examples:
    >>> from socialscan.claims import tag_texts
    >>> claims = tag_texts(["openai never trains on anything submitted to the api."])[0]
    >>> [(c.label, c.attributes["polarity"]) for c in claims]
    [('privacy_statement', 'assurance')]
"""

from __future__ import annotations

import os
from collections.abc import Sequence
from functools import lru_cache
from typing import Any

from ..embed.base import Embedder
from .tagger import THRESHOLD, Claim, ClaimTagger
from .taxonomy import Label, Taxonomy, load_taxonomy

__all__ = [
    "THRESHOLD",
    "Claim",
    "ClaimTagger",
    "Label",
    "Taxonomy",
    "get_tagger",
    "load_taxonomy",
    "tag",
    "tag_frame",
    "tag_posts",
    "tag_texts",
    "train_claims",
]

TaxonomyArg = Taxonomy | str | os.PathLike[str] | None
EmbedderArg = Embedder | str | None


@lru_cache(maxsize=8)
def _cached_tagger(
    taxonomy_path: str | None, embedder_name: str, head_dir: str | None
) -> ClaimTagger:
    from ..embed.base import get_embedder
    from .head import ClaimHead

    head = ClaimHead.load(head_dir) if head_dir else None
    return ClaimTagger(load_taxonomy(taxonomy_path), get_embedder(embedder_name), head=head)


def get_tagger(
    taxonomy: TaxonomyArg = None,
    embedder: EmbedderArg = None,
    head: str | os.PathLike[str] | None = None,
) -> ClaimTagger:
    """A tagger for these options; built once per process for paths and embedder names.

    Args:
        taxonomy: A :class:`Taxonomy`, a taxonomy file, or ``None`` for the default.
        embedder: An embedder object, a name (``static``, ``minilm``, ``hashing``) or ``None``.
        head: A directory written by :func:`train_claims`.

    Examples:
        >>> get_tagger() is get_tagger()
        True
    """
    head_dir = os.fspath(head) if head is not None else None
    if isinstance(taxonomy, Taxonomy) or not (embedder is None or isinstance(embedder, str)):
        from ..embed.base import get_embedder
        from .head import ClaimHead

        tax = taxonomy if isinstance(taxonomy, Taxonomy) else load_taxonomy(taxonomy)
        emb = (
            get_embedder(embedder or "static")
            if embedder is None or isinstance(embedder, str)
            else embedder
        )
        return ClaimTagger(tax, emb, head=ClaimHead.load(head_dir) if head_dir else None)
    path = os.fspath(taxonomy) if taxonomy is not None else None
    return _cached_tagger(path, embedder or "static", head_dir)


def tag_texts(
    texts: Sequence[str], taxonomy: TaxonomyArg = None, *, embedder: EmbedderArg = None
) -> list[list[Claim]]:
    """Claims for each text (a list per text, aligned with ``texts``).

    Examples:
        >>> [[c.label for c in cs] for cs in tag_texts(["Give it a try!", "Nice weather today."])]
        [['product_plug'], []]
    """
    return get_tagger(taxonomy, embedder).tag_texts(list(texts))


def tag_frame(df, taxonomy: TaxonomyArg = None, *, embedder: EmbedderArg = None):
    """A copy of a posts DataFrame (column ``text``) with ``claims``, ``labels`` and ``score_<label>``.

    ``claims`` holds lists of claim dicts, ``labels`` the sorted label names of a post's claims,
    and ``score_<label>`` (one column per taxonomy label) the highest score of that label among
    the post's claims, 0.0 when it has none.

    Examples:
        >>> import pandas as pd
        >>> out = tag_frame(pd.DataFrame({"text": ["Sign up now and get 20% off!", "hello"]}))
        >>> out["labels"].tolist(), bool(out["score_product_plug"][0] >= 0.5)
        ([['product_plug'], []], True)
    """
    from ..errors import MissingColumn

    if "text" not in df.columns:
        raise MissingColumn("tag_frame needs a 'text' column (use socialscan.to_frame(posts))")
    tagger = get_tagger(taxonomy, embedder)
    texts = ["" if t is None or t != t else str(t) for t in df["text"].tolist()]
    claims = tagger.tag_texts(texts)
    out = df.copy()
    out["claims"] = [[c.to_dict() for c in cs] for cs in claims]
    out["labels"] = [sorted({c.label for c in cs}) for cs in claims]
    for label in tagger.labels:
        out[f"score_{label}"] = [
            max((c.score for c in cs if c.label == label), default=0.0) for cs in claims
        ]
    return out


def tag_posts(posts, taxonomy: TaxonomyArg = None, *, embedder: EmbedderArg = None, head=None):
    """Yield each post's record (``Post.to_dict()``) plus ``claims`` and ``labels``: the CLI's twin.

    Args:
        posts: An iterable of :class:`~socialscan.records.Post`.
        taxonomy: As in :func:`get_tagger`.
        embedder: As in :func:`get_tagger`.
        head: A directory written by :func:`train_claims`.

    Examples:
        >>> from socialscan import parse
        >>> [r["labels"] for r in tag_posts(parse("Give it a try!\\nhttps://t.co/x", format="lines"))]
        [['product_plug'], []]
    """
    tagger = get_tagger(taxonomy, embedder, head)
    batch: list = []

    def flush():
        claims = tagger.tag_texts([p.text for p in batch])
        for p, cs in zip(batch, claims, strict=True):
            rec = p.to_dict()
            rec["claims"] = [c.to_dict() for c in cs]
            rec["labels"] = sorted({c.label for c in cs})
            yield rec
        batch.clear()

    for post in posts:
        batch.append(post)
        if len(batch) >= 1024:
            yield from flush()
    if batch:
        yield from flush()


def tag(text_or_posts: Any, taxonomy: TaxonomyArg = None, *, embedder: EmbedderArg = None):
    """Claims in one string, or records for a list of posts.

    Args:
        text_or_posts: A string (returns ``list[Claim]``) or posts (returns a list of dicts:
            the post's ``to_dict()`` plus ``claims`` and ``labels``).

    Examples:
        >>> [c.label for c in tag("Here are 5 hacks I use to grow my followers:")]
        ['self_promotion']
    """
    if isinstance(text_or_posts, str):
        return tag_texts([text_or_posts], taxonomy, embedder=embedder)[0]
    return list(tag_posts(text_or_posts, taxonomy, embedder=embedder))


def train_claims(
    labelled: str | os.PathLike[str],
    output: str | os.PathLike[str],
    taxonomy: TaxonomyArg = None,
    *,
    embedder: EmbedderArg = None,
):
    """Fit a supervised head on labelled JSONL (``{"text": ..., "labels": [...]}``) and save it.

    Returns the :class:`~socialscan.claims.head.ClaimHead`; see :mod:`socialscan.claims.head`.
    """
    from .head import train_head

    return train_head(labelled, output, get_tagger(taxonomy, embedder))
