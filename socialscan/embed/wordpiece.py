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
            vocab, unk, reach, max_chars = self._plan
            get, plain, reach_get = vocab.get, _PLAIN.fullmatch, reach.get
            for k, w in enumerate(words):
                if not plain(w):
                    rest.append(k)
                    continue
                if len(w) > max_chars:
                    out[k] = [unk]
                    continue
                pieces = []
                start, n = 0, len(w)
                while start < n:
                    prefix = "##" if start else ""
                    # no piece starting with these two characters is longer than this
                    end = min(n, start + reach_get(prefix + w[start : start + 2], 1))
                    while end > start:
                        i = get(prefix + w[start:end])
                        if i is not None:
                            break
                        end -= 1
                    else:
                        pieces = [unk]
                        break
                    pieces.append(i)
                    start = end
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


def _plain_wordpiece(tokenizer) -> tuple[dict[str, int], int, dict[str, int], int] | None:
    """(vocabulary, unknown id, reach, longest word) of a BERT WordPiece tokenizer that
    lower-cases and splits at spaces and punctuation, or None for any other tokenizer.

    ``reach`` maps the first two characters of a piece (after ``##`` for a continuation) to
    the longest piece starting so; the greedy match tries no longer substring.
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
    reach: dict[str, int] = {}
    for w in vocab:
        cont = w.startswith("##") and len(w) > 2
        body = w[2:] if cont else w
        key = ("##" if cont else "") + body[:2]
        reach[key] = max(reach.get(key, 0), len(body))
    return vocab, unk, reach, int(model.get("max_input_chars_per_word", 100))
