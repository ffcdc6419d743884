"""BERT WordPiece splitting of plain words in Python, giving the Rust tokenizer's pieces.

Most new words a tagger meets (link ids, rare words) are plain ASCII lower-case letters and
digits, which a lower-casing BERT normaliser and pre-tokeniser leave alone; for them WordPiece's
greedy longest match in Python gives the same pieces as ``tokenizers`` at a fraction of its
per-word cost. Other words go through the tokenizer.
"""

from __future__ import annotations

import json
import re

_PLAIN = re.compile(r"[a-z0-9]+", re.ASCII)
_SHORT = (2, 1)  # the lengths of a piece no three-character start names


class WordPieces:
    """The piece ids of words for one tokenizer (``tokenizers.Tokenizer``).

    Examples:
        >>> from socialscan.embed.static import StaticEmbedder
        >>> pieces = WordPieces(StaticEmbedder.default().model.tokenizer)
        >>> pieces.fast, len(pieces.ids(["tokenizer"])[0]) > 1
        (True, True)
    """

    def __init__(self, tokenizer):
        self.tokenizer = tokenizer
        self._plan = _plain_wordpiece(tokenizer)

    @property
    def fast(self) -> bool:
        """True when plain words are split in Python (a lower-casing BERT WordPiece)."""
        return self._plan is not None

    def ids(self, words: list[str]) -> list[list[int]]:
        """Piece ids of each word, unknown pieces kept (as ``encode_batch_fast`` gives them)."""
        out: list[list[int] | None] = [None] * len(words)
        rest = []
        if self._plan is not None:
            (first, first_sizes), (cont, cont_sizes), unk, max_chars = self._plan
            plain = _PLAIN.fullmatch
            for k, w in enumerate(words):
                if not plain(w):
                    rest.append(k)
                    continue
                n = len(w)
                if n > max_chars:
                    out[k] = [unk]
                    continue
                pieces = []
                get, sizes = first.get, first_sizes.get  # a word's first piece, then "##" ones
                start = 0
                while start < n:
                    # the longest piece here: of the lengths that pieces beginning with these
                    # three characters have (longest first), then 2 and 1
                    left = n - start
                    for size in sizes(w[start : start + 3], _SHORT):
                        if size <= left:
                            i = get(w[start : start + size])
                            if i is not None:
                                break
                    else:  # no piece starts here: the word is unknown
                        pieces = [unk]
                        break
                    pieces.append(i)
                    start += size
                    get, sizes = cont.get, cont_sizes.get
                out[k] = pieces
        else:
            rest = list(range(len(words)))
        if rest:
            enc = self.tokenizer.encode_batch_fast(
                [words[k] for k in rest], add_special_tokens=False
            )
            for k, e in zip(rest, enc, strict=True):
                out[k] = e.ids
        return out  # type: ignore[return-value]


_Pieces = tuple[dict[str, int], dict[str, tuple[int, ...]]]


def _plain_wordpiece(tokenizer) -> tuple[_Pieces, _Pieces, int, int] | None:
    """(word-initial pieces, continuing pieces, unknown id, longest word) of a BERT WordPiece
    tokenizer that lower-cases and splits at spaces and punctuation, or None for any other.

    Each of the two is ``(ids, lengths)``: ``ids`` maps a piece's text (without ``##`` for a
    continuing one) to its id; ``lengths`` maps the first three characters of a piece three
    characters long or more to the lengths such pieces have, longest first, then 2 and 1. The
    greedy longest match tries only the lengths a piece can have, where trying every shorter
    substring in turn misses the vocabulary again and again (most prefixes of a rare word are
    no piece).
    """
    try:
        cfg = json.loads(tokenizer.to_str())
        model, norm, pre = cfg["model"], cfg["normalizer"], cfg["pre_tokenizer"]
    except (AttributeError, KeyError, TypeError, ValueError):
        return None
    if (
        model.get("type") != "WordPiece"
        or model.get("continuing_subword_prefix") != "##"
        or (norm or {}).get("type") != "BertNormalizer"
        or not norm.get("lowercase")
        or (pre or {}).get("type") != "BertPreTokenizer"
        or cfg.get("added_tokens")
        and any(not t.get("special") for t in cfg["added_tokens"])
    ):
        return None
    vocab = model["vocab"]
    unk = vocab.get(model.get("unk_token", "[UNK]"))
    if unk is None:
        return None
    first: dict[str, int] = {}
    cont: dict[str, int] = {}
    for w, i in vocab.items():
        if w.startswith("##") and len(w) > 2:
            cont[w[2:]] = i
        else:
            first[w] = i
    return _by_length(first), _by_length(cont), unk, int(model.get("max_input_chars_per_word", 100))


def _by_length(ids: dict[str, int]) -> _Pieces:
    """``(ids, lengths)``: the lengths of the pieces of three characters or more, by their
    first three, longest first, then 2 and 1."""
    sizes: dict[str, set[int]] = {}
    for w in ids:
        if len(w) >= 3:
            sizes.setdefault(w[:3], set()).add(len(w))
    return ids, {k: (*sorted(v, reverse=True), *_SHORT) for k, v in sizes.items()}
