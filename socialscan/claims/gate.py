"""A cheap gate before spaCy: which posts could hold a claim at all, judged from the raw text.

Most posts claim nothing, yet tokenising,
sentence-splitting and matching them in spaCy is most of the tagger's cost. The gate bounds,
per post and label, the logit the tagger could give any of its sentences::

    bias + cue * min(cue bound, 3) + max over sentences(similarity * s + margin * (s - b))

and sends the post to spaCy only when that bound reaches the threshold's logit minus
``slack``. The cue bound is exact as an upper bound: it sums the weight of every cue whose
words occur in the post's lower-cased text with spaces removed (a phrase's tokens, or one word
of each required pattern token), which holds wherever the spaCy match could. The similarity
term is approximate: sentences split by a regex, words by ``\\w+|[^\\w\\s]`` (close to, not
the same as, spaCy's sentencizer and tokens), embedded through the same static word cache;
``slack`` (in logit units) absorbs the difference. Posts that pass are tagged by the very same
spaCy path as :class:`~socialscan.claims.spacy_component.ClaimsComponent`, so their claims are
identical; a post the gate wrongly drops would lose its claims, which the tests and the bench
check against the ungated tagger.
"""

from __future__ import annotations

import math
import re
from collections.abc import Sequence
from typing import Any

import numpy as np

from .zeroshot import CUE_CAP, ZeroShotScorer

#: Logit units below the threshold that a post's approximate bound may fall and still be tagged.
GATE_SLACK = 1.0
#: Where the sentencizer would start a sentence within a line, roughly: after ``!``, ``?`` or a
#: lone ``.`` (closing quotes and brackets stay with it) and the spaces or emoji that follow,
#: and at a ``.`` between a lower-case and an upper-case letter (spaCy splits "end.Next").
_BREAK = re.compile(
    r"(?:[!?]|\.(?<!\.\.))[\"'”’)\],;:]*(?:\s+|(?=[^\w\s\"'”’)\].!?,;:/\-]))|\.(?<=[a-z]\.)(?=[A-Z])"
)
#: Words as the gate sees them: runs of word characters, ellipses, any other character.
_WORD = re.compile(r"\w+|\.{2,}|[^\w\s]")
_LETTER = re.compile(r"[^\W\d_]")
#: The same words, and line breaks (sentence ends once breaks are marked by a line break).
_WORD_OR_LINE = re.compile(r"\w+|\.{2,}|[^\w\s]|\n")
#: Posts joined for one scan: each followed by a line holding only this mark.
_POST_MARK = "\x00"
_SEPARATOR = "\n" + _POST_MARK + "\n"
_SENT_END, _POST_END = -1, -2


#: Any one token without a LOWER test (its text has no space unless it is a whitespace token).
_ANY_TOKEN = "(?:[^ ]+?)"
_ANY_TOKEN_OR_SPACE = "(?:.+?)"


#: Lookarounds: no letter right before / right after.
_NO_LETTER_BEFORE = r"(?<![^\W\d_])"
_NO_LETTER_AFTER = r"(?![^\W\d_])"


def _special_case_edges(nlp) -> tuple[frozenset[str], frozenset[str]]:
    """Lower-cased token texts that may start right after a letter, and end right before one.

    spaCy splits a run of letters only through its special cases ("cannot" -> "can" "not",
    "gonna" -> "gon" "na", "id." -> "i" "d."); prefixes, suffixes and infixes split at
    punctuation, digits and spaces. So a token that starts (ends) inside a letter run is a
    special case's text or one of its pieces: any other cue word needs a word edge there.
    """
    from spacy.attrs import ORTH

    texts: set[str] = set()
    for key, pieces in nlp.tokenizer.rules.items():
        texts.add(key.lower())
        texts.update(str(p.get(ORTH, "")).lower() for p in pieces)
    starts = frozenset(t for t in texts if _LETTER.match(t))
    ends = frozenset(t for t in texts if t and _LETTER.match(t[-1]))
    return starts, ends


def _edged(word: str, first: bool, last: bool, edges: tuple[frozenset[str], frozenset[str]]):
    """``word`` escaped, with a no-letter lookaround where a spaCy token could not run on."""
    rx = re.escape(word)
    if first and _LETTER.match(word) and word not in edges[0]:
        rx = _NO_LETTER_BEFORE + rx
    if last and word and _LETTER.match(word[-1]) and word not in edges[1]:
        rx += _NO_LETTER_AFTER
    return rx


def _like_num_regex(nlp) -> str | None:
    """A lookahead every LIKE_NUM token's text satisfies (English: a digit, a non-ASCII
    character, or a number word whose letters may be split by ``,`` and ``.``), or None when
    the vocabulary's LIKE_NUM is not English's."""
    from spacy.attrs import LIKE_NUM
    from spacy.lang.en import lex_attrs

    if nlp.vocab.lex_attr_getters.get(LIKE_NUM) is not lex_attrs.like_num:
        return None
    words = sorted({*lex_attrs._num_words, *lex_attrs._ordinal_words}, key=len, reverse=True)
    spelled = "|".join("[,.]*".join(re.escape(c) for c in w.lower()) for w in words)
    return f"(?=[^ ]*?(?:[0-9]|[^\\x00-\\x7f]|{spelled}))"


def _token_regex(
    tok: dict[str, Any], edges: tuple[frozenset[str], frozenset[str]], like_num: str | None
) -> tuple[str, list[str] | None]:
    """A regex for one Matcher token's lower-cased text (a superset), and its LOWER words.

    A LOWER word is a whole token: where it starts (ends) with a letter, no letter may come
    right before (after) it, unless spaCy's special cases can split there (see
    :func:`_special_case_edges`). A LIKE_NUM token holds a digit or a number word.
    """
    low = tok.get("LOWER")
    words = None
    if isinstance(low, str):
        words = [low]
    elif isinstance(low, dict) and isinstance(low.get("IN"), list):
        words = [str(w) for w in low["IN"]]
    if not words:
        spacey = any(k in tok for k in ("IS_SPACE", "ORTH", "TEXT", "NORM", "SHAPE")) and not (
            isinstance(tok.get("TEXT"), dict) and "REGEX" in tok["TEXT"] and len(tok) <= 2
        )
        text_rx = _text_regex(tok)
        if text_rx is not None:
            return text_rx, None
        if spacey:
            return _ANY_TOKEN_OR_SPACE, None
        if tok.get("LIKE_NUM") is True and like_num is not None:
            return like_num + _ANY_TOKEN, None
        return _ANY_TOKEN, None
    return _edged_words(words, edges), words


def _edged_words(words: list[str], edges: tuple[frozenset[str], frozenset[str]]) -> str:
    """Alternatives for whole-token words, the words that share their edge tests grouped
    under one lookaround (a lookaround inside every alternative is slower to search)."""
    by_edges: dict[tuple[str, str], list[str]] = {}
    for w in sorted(words, key=len, reverse=True):
        before = _NO_LETTER_BEFORE if _LETTER.match(w) and w not in edges[0] else ""
        after = _NO_LETTER_AFTER if w and _LETTER.match(w[-1]) and w not in edges[1] else ""
        by_edges.setdefault((before, after), []).append(re.escape(w))
    return "(?:" + "|".join(f"{b}(?:{'|'.join(ws)}){a}" for (b, a), ws in by_edges.items()) + ")"


def _text_regex(tok: dict[str, Any]) -> str | None:
    """For a token tested only by ``{"TEXT": {"REGEX": "^...$"}}`` (a plain pattern: no
    groups, alternation or inner anchors), that pattern case-free for the lower-cased text."""
    text = tok.get("TEXT")
    if not (isinstance(text, dict) and set(text) == {"REGEX"} and set(tok) <= {"TEXT", "OP"}):
        return None
    rx = text["REGEX"]
    if not (isinstance(rx, str) and rx.startswith("^") and rx.endswith("$")):
        return None
    inner = rx[1:-1]
    if inner.endswith("\\") or re.search(
        r"[()^$|]", re.sub(r"\[(?:\\.|[^\]\\])*\]|\\.", "", inner)
    ):
        return None
    try:
        re.compile(inner)
    except re.error:
        return None
    return f"(?i:{inner})"


def _sent_start_regex() -> str:
    """What comes before a sentence's first token (see ``set_sentences``): the text's start,
    a line break, or a sentence-final character, then any non-word characters."""
    from spacy.pipeline import Sentencizer

    final = "".join(re.escape(c) for c in Sentencizer.default_punct_chars)
    return f"(?:^|\\n|[{final}])(?:\\W|_)*?"


def _cue_test(tagger: ZeroShotScorer, cue) -> tuple[list[list[str]], str]:
    """A cue's necessary conditions on a post's lower-cased text.

    Returns groups of space-free strings (one of each group must occur in the text with spaces
    removed: cheap to test for all cues at once) and a regex over the lower-cased text that
    any spaCy match must satisfy: its tokens in order, each followed by nothing or one space
    (a token's trailing whitespace is at most one space; more makes a whitespace token).
    """
    edges = _special_case_edges(tagger.nlp)
    if cue.phrase is not None:
        lowers = [t.lower_ for t in tagger.nlp.make_doc(cue.phrase)]
        parts = [_edged(w, True, True, edges) for w in lowers]
        flat = "".join(lowers).replace(" ", "")
        return ([[flat]] if flat else []), " ?".join(parts)
    like_num = _like_num_regex(tagger.nlp)
    groups: list[list[str]] = []
    parts = []
    for k, tok in enumerate(cue.pattern or []):
        rx, words = _token_regex(tok, edges, like_num)
        op = tok.get("OP")
        if k == 0 and op is None and tok.get("IS_SENT_START") is True:
            rx = _sent_start_regex() + rx
        if op == "!":
            rx = _ANY_TOKEN
        if op in ("?", "*"):
            parts.append(f"(?:{rx} ?){'?' if op == '?' else '*'}")
            continue
        if op == "+":
            parts.append(f"(?:{rx} ?)+")
        else:
            parts.append(f"{rx} ?")
        if words and op != "!" and all(w.replace(" ", "") for w in words):
            groups.append([w.replace(" ", "") for w in words])
    return groups, "".join(parts)


def approximate_sentences(text: str) -> list[list[str]]:
    """A post's lower-cased words, split into sentences roughly as the sentencizer would.

    A sentence ends at a line break, or after ``.``, ``!`` or ``?`` (and any closing quotes or
    brackets) followed by a space; sentences without a letter are dropped.

    Examples:
        >>> [" ".join(s) for s in approximate_sentences("Wow... great! Try it.\\nhttps://t.co/x\\n:)")]
        ['wow ... great !', 'try it .', 'https : / / t . co / x']
    """
    findall, letter = _WORD.findall, _LETTER.search
    return [findall(s) for s in _BREAK.sub("\\g<0>\\n", text).lower().split("\n") if letter(s)]


class ClaimGate:
    """Decides from raw text which posts need the full tagger (see the module docstring).

    Args:
        tagger: The tagger (or zero-shot scorer) to gate; its embedder must be word-pooled.
        slack: Logit units of tolerance for the approximate similarity term.

    Examples:
        >>> from socialscan.claims import get_tagger
        >>> gate = ClaimGate(get_tagger())
        >>> gate.candidates(["Give it a try!", "Nice weather today."]).tolist()
        [True, False]
    """

    def __init__(self, tagger: ZeroShotScorer, slack: float = GATE_SLACK):
        self.tagger = tagger
        self.slack = slack
        thr = min(max(tagger.threshold, 1e-6), 1 - 1e-6)
        self._logit = math.log(thr / (1 - thr)) - slack
        self._build_cues(tagger)
        cal = tagger.calibration
        self._bias = cal["bias"].astype(np.float64)
        self._cue_c = np.maximum(cal["cue"], 0).astype(np.float64)
        self._sim_c = cal["similarity"].astype(np.float64)
        self._margin_c = cal["margin"].astype(np.float64)

    @staticmethod
    def applies_to(tagger: ZeroShotScorer) -> bool:
        """The gate's bound holds for the cue + similarity mapping on a word-pooled embedder's
        word cache."""
        return tagger.encoder.word_pooled and bool(tagger.calibration)

    def _build_cues(self, tagger: ZeroShotScorer) -> None:
        import ahocorasick

        n_labels = len(tagger.labels)
        ids: dict[str, int] = {}
        self._always: list[int] = []  # cues with no string to look for: always checked
        by_needle: dict[int, list[int]] = {}
        self._cues: list[tuple[int, float, list[frozenset[int]], re.Pattern[str]]] = []
        for li, label in enumerate(tagger.taxonomy):
            for cue in label.cues:
                groups, rx = _cue_test(tagger, cue)
                g_ids = [frozenset(ids.setdefault(w, len(ids)) for w in g) for g in groups]
                k = len(self._cues)
                self._cues.append((li, cue.weight, g_ids, re.compile(rx, re.DOTALL)))
                if not g_ids:
                    self._always.append(k)
                # index each cue under the words of its most selective group
                for w in min(g_ids, key=len, default=()):
                    by_needle.setdefault(w, []).append(k)
        self._by_needle = by_needle
        self._automaton = ahocorasick.Automaton(ahocorasick.STORE_INTS)
        for w, k in ids.items():
            self._automaton.add_word(w, k)
        if ids:
            self._automaton.make_automaton()
        self._n_labels = n_labels

    def cue_bounds(self, texts: Sequence[str]) -> np.ndarray:
        """(n, L) capped sums of the weights of cues that could match in each post.

        A cue counts when every required token finds one of its words in the post's text with
        spaces removed (one Aho-Corasick pass for all cues) and its token regex matches the
        lower-cased text: both hold wherever spaCy's Matcher or PhraseMatcher would match.
        """
        out = np.zeros((len(texts), self._n_labels), dtype=np.float64)
        found = self._automaton.iter if self._by_needle else None
        cues, by_needle = self._cues, self._by_needle
        for i, text in enumerate(texts):
            low = text.lower()
            present = {k for _, k in found(low.replace(" ", ""))} if found else set()
            todo = set(self._always)
            for k in present:
                todo.update(by_needle.get(k, ()))
            for c in todo:
                li, w, groups, rx = cues[c]
                if all(not g.isdisjoint(present) for g in groups) and rx.search(low):
                    out[i, li] += w
        np.minimum(out, CUE_CAP, out=out)
        return out

    def similarity_bounds(self, texts: Sequence[str]) -> np.ndarray:
        """(n, L) approximate max over a post's sentences of the similarity part of the logit.

        Sentences and words are those of :func:`approximate_sentences`, found for the whole
        batch at once: one break substitution and one word scan over the posts joined by a
        separator line, sentence ends and post ends kept as marks in the word stream.
        """
        t = self.tagger
        n, n_labels = len(texts), len(t.labels)
        out = np.full((n, n_labels), -np.inf)
        if not n:
            return out
        rows = self._word_rows(texts)
        word = rows >= 0
        sent = np.cumsum(~word)[word]  # sentence number of each word
        post = np.cumsum(rows == _POST_END)[word]
        rows = rows[word]
        # a sentence without a letter is dropped (spaCy keeps no content sentence there)
        lettered = np.zeros(len(word) + 1, dtype=bool)
        lettered[sent[t.encoder.has_letter(rows)]] = True
        keep = lettered[sent]
        rows, sent, post = rows[keep], sent[keep], post[keep]
        if not len(rows):
            return out
        first = np.flatnonzero(np.r_[True, sent[1:] != sent[:-1]])
        emb = t.encoder.sum_vectors(rows, np.r_[first, len(rows)])
        owner = post[first]
        all_sims = (
            emb @ t.example_vectors.T
            if len(t.example_vectors)
            else np.zeros((len(emb), 0), np.float32)
        )
        bg = (
            (emb @ t.background_vectors.T).max(axis=1)
            if len(t.background_vectors)
            else np.zeros(len(emb))
        )
        sim = np.zeros((len(emb), n_labels), dtype=np.float64)
        for li in range(n_labels):
            a, b = t.example_bounds[li], t.example_bounds[li + 1]
            if b > a:
                sim[:, li] = all_sims[:, a:b].max(axis=1)
        term = self._sim_c * sim + self._margin_c * (sim - bg[:, None])
        starts = np.flatnonzero(np.r_[True, owner[1:] != owner[:-1]])
        out[owner[starts]] = np.maximum.reduceat(term, starts, axis=0)
        return out

    def _word_rows(self, texts: Sequence[str]) -> np.ndarray:
        """Word-cache rows of the batch's words, ``_SENT_END`` after each sentence and
        ``_POST_END`` after each post."""
        enc = self.tagger.encoder
        joined = _SEPARATOR.join(texts) + _SEPARATOR
        if joined.count(_POST_MARK) == len(texts):
            words = _WORD_OR_LINE.findall(_BREAK.sub("\\g<0>\n", joined).lower())
            return enc.word_rows(words, {"\n": _SENT_END, _POST_MARK: _POST_END})
        # a post holds the separator itself: one post at a time
        parts = []
        for text in texts:
            for ws in approximate_sentences(text):
                parts += [enc.word_rows(ws), [_SENT_END]]
            parts.append([_POST_END])
        return np.concatenate(parts).astype(np.int64)

    def candidates(self, texts: Sequence[str]) -> np.ndarray:
        """A boolean per post: True when the post may hold a claim and must be tagged."""
        if not len(texts):
            return np.zeros(0, dtype=bool)
        z = self._bias + self._cue_c * self.cue_bounds(texts) + self.similarity_bounds(texts)
        # a post with no lettered sentence has no content sentence in spaCy either
        return (z >= self._logit).any(axis=1)
