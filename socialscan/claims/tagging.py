"""Tagging from options: the shared tagger for a taxonomy, an embedder and a model, and the
functions that tag strings, a DataFrame or posts with it (the CLI's and the API's twins)."""

from __future__ import annotations

import os
from collections.abc import Sequence
from functools import lru_cache
from typing import Any

from ..embed.base import Embedder
from ..embed.registry import get_embedder
from ..errors import MissingColumn
from .model import ClaimModel
from .stacked import StackedModel
from .tagger import Claim, ClaimTagger
from .taxonomy import Taxonomy, load_taxonomy

TaxonomyArg = Taxonomy | str | os.PathLike[str] | None
EmbedderArg = Embedder | str | None
#: ``"default"`` (the shipped model), a model directory, a :class:`ClaimModel`, or ``None``
#: (the zero-shot scorer alone).
ModelArg = ClaimModel | str | os.PathLike[str] | None
DEFAULT_MODEL = "default"
#: The slower, more accurate shipped model (``--accurate``).
ACCURATE_MODEL = "accurate"


def load_model(model: ModelArg) -> ClaimModel | None:
    """The :class:`ClaimModel` a ``model=`` argument names.

    Examples:
        >>> load_model("default").labels[:2], load_model(None)
        (['finetuning_advice', 'product_plug'], None)
    """
    if model is None or isinstance(model, ClaimModel | StackedModel):
        return model
    if isinstance(model, str) and model in (DEFAULT_MODEL, ""):
        return ClaimModel.default()
    if isinstance(model, str) and model == ACCURATE_MODEL:
        return ClaimModel.accurate()
    own = ClaimModel.load(model)
    default = ClaimModel.default()
    if all(n in own.labels for n in default.labels):
        return own
    # a model of the user's own labels: the shipped model keeps scoring the default ones
    return StackedModel([own, default])


@lru_cache(maxsize=8)
def _cached_tagger(taxonomy_path: str | None, embedder_name: str, model: str | None) -> ClaimTagger:
    return ClaimTagger(
        load_taxonomy(taxonomy_path), get_embedder(embedder_name), model=load_model(model)
    )


def get_tagger(
    taxonomy: TaxonomyArg = None,
    embedder: EmbedderArg = None,
    model: ModelArg = DEFAULT_MODEL,
) -> ClaimTagger:
    """A tagger for these options; built once per process for paths and names.

    Args:
        taxonomy: A :class:`Taxonomy`, a taxonomy file, or ``None`` for the default.
        embedder: The zero-shot scorer's embedder: an object, a name (``static``, ``minilm``,
            ``hashing``) or ``None``.
        model: The trained classifier (see :data:`ModelArg`); the shipped one by default.

    Examples:
        >>> get_tagger() is get_tagger()
        True
    """
    if (
        isinstance(taxonomy, Taxonomy)
        or not (embedder is None or isinstance(embedder, str))
        or not (model is None or isinstance(model, str | os.PathLike))
    ):
        tax = taxonomy if isinstance(taxonomy, Taxonomy) else load_taxonomy(taxonomy)
        emb = (
            get_embedder(embedder or "static")
            if embedder is None or isinstance(embedder, str)
            else embedder
        )
        return ClaimTagger(tax, emb, model=load_model(model))
    path = os.fspath(taxonomy) if taxonomy is not None else None
    model_key = None if model is None else os.fspath(model)
    return _cached_tagger(path, embedder or "static", model_key)


def tag_texts(
    texts: Sequence[str],
    taxonomy: TaxonomyArg = None,
    *,
    embedder: EmbedderArg = None,
    model: ModelArg = DEFAULT_MODEL,
) -> list[list[Claim]]:
    """Claims for each text (a list per text, aligned with ``texts``).

    Examples:
        >>> [[c.label for c in cs] for cs in tag_texts(["Give it a try!", "Nice weather today."])]
        [['product_plug'], []]
    """
    return get_tagger(taxonomy, embedder, model=model).tag_texts(list(texts))


def tag_frame(
    df,
    taxonomy: TaxonomyArg = None,
    *,
    embedder: EmbedderArg = None,
    model: ModelArg = DEFAULT_MODEL,
):
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
    if "text" not in df.columns:
        raise MissingColumn("tag_frame needs a 'text' column (use socialscan.to_frame(posts))")
    tagger = get_tagger(taxonomy, embedder, model=model)
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


def tag_posts(
    posts,
    taxonomy: TaxonomyArg = None,
    *,
    embedder: EmbedderArg = None,
    model: ModelArg = DEFAULT_MODEL,
):
    """Yield each post's record (``Post.to_dict()``) plus ``claims`` and ``labels``: the CLI's twin.

    Args:
        posts: An iterable of :class:`~socialscan.records.Post`.
        taxonomy: As in :func:`get_tagger`.
        embedder: As in :func:`get_tagger`.
        model: As in :func:`get_tagger`.

    Examples:
        >>> from socialscan import parse
        >>> [r["labels"] for r in tag_posts(parse("Give it a try!\\nhttps://t.co/x", format="lines"))]
        [['product_plug'], []]
    """
    tagger = get_tagger(taxonomy, embedder, model=model)
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


def tag(
    text_or_posts: Any,
    taxonomy: TaxonomyArg = None,
    *,
    embedder: EmbedderArg = None,
    model: ModelArg = DEFAULT_MODEL,
):
    """Claims in one string, or records for a list of posts.

    Args:
        text_or_posts: A string (returns ``list[Claim]``) or posts (returns a list of dicts:
            the post's ``to_dict()`` plus ``claims`` and ``labels``).

    Examples:
        >>> [c.label for c in tag("Here are 5 hacks I use to grow my followers:")]
        ['self_promotion']
    """
    if isinstance(text_or_posts, str):
        return tag_texts([text_or_posts], taxonomy, embedder=embedder, model=model)[0]
    return list(tag_posts(text_or_posts, taxonomy, embedder=embedder, model=model))
