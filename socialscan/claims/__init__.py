"""Claim classification: what posts claim, sentence by sentence, with evidence and scores.

- :func:`tag_texts` / :func:`tag_frame` / :func:`tag`: claims for strings, a DataFrame, or posts.
- :func:`load_taxonomy`: the shipped labels (``default_taxonomy.yaml``), extended by a user file.
- :class:`ClaimModel`: the trained classifier (the shipped one by default, ``model=DIR`` for
  one of yours, ``model=None`` for the zero-shot scorer alone).
- :func:`train_claims`: train a model for your labels on labelled JSONL (no pickle).
- spaCy: ``nlp.add_pipe("socialscan_claims")`` (see :mod:`socialscan.claims.spacy_component`).

Examples:
    >>> from socialscan.claims import tag_texts
    >>> claims = tag_texts(["We never sell your data. Chats are deleted after 30 days."])[0]
    >>> [(c.label, c.attributes["polarity"]) for c in claims]
    [('privacy_statement', 'assurance')]
"""

from __future__ import annotations

from .model import ClaimModel
from .tagger import Claim, ClaimTagger
from .tagging import get_tagger, load_model, tag, tag_frame, tag_posts, tag_texts
from .taxonomy import Label, Taxonomy, load_taxonomy
from .train import train_claims
from .zeroshot import THRESHOLD

__all__ = [
    "THRESHOLD",
    "Claim",
    "ClaimModel",
    "ClaimTagger",
    "Label",
    "Taxonomy",
    "get_tagger",
    "load_model",
    "load_taxonomy",
    "tag",
    "tag_frame",
    "tag_posts",
    "tag_texts",
    "train_claims",
]
