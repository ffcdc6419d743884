"""Sentences of a post as the claims tagger reads them: spaCy's sentencizer rules plus line
breaks, computed in one pass over a doc's token array, and batches of bounded size."""

from __future__ import annotations

from collections.abc import Iterable

import numpy as np
from spacy.attrs import IS_ALPHA, IS_PUNCT, IS_SPACE, LIKE_URL, ORTH, SENT_START


def set_line_boundaries(doc) -> None:
    """Start a new sentence after every line break (the sentencizer only splits on punctuation)."""
    if len(doc) < 2:
        return
    for i in np.nonzero(doc.to_array(IS_SPACE)[:-1])[0].tolist():
        if "\n" in doc[i].text:
            doc[i + 1].is_sent_start = True


#: The longest sentence in tokens: a run with no sentence-final character or line break is cut
#: here (an unpunctuated paste would otherwise be one sentence as long as itself).
MAX_SENTENCE_TOKENS = 100
#: The most characters tagged in one batch, whatever the posts' lengths (bounds the memory of
#: the model's n-gram matrices and of spaCy's docs).
BATCH_CHARS = 1_000_000

_PUNCT_CHARS: frozenset[int] = frozenset()
_HAS_NEWLINE: dict[int, bool] = {}


def set_sentences(doc):
    """Sentence starts as spaCy's default ``sentencizer`` then :func:`set_line_boundaries` set
    them on an unannotated doc, computed in one pass over the token array.

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


def batches(texts: list[str], size: int) -> Iterable[list[str]]:
    """Consecutive batches of at most ``size`` texts and about :data:`BATCH_CHARS` characters.

    Examples:
        >>> [len(b) for b in batches(["a" * 600_000] * 3 + ["b"] * 5, 4)]
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
