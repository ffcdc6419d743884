"""Features of the gap between two neighbouring lines of a raw dump, for a whole block at once.

Layout cues of each line (leading handle, bare link, list marker, casing, a first word that
refers back, end punctuation, length, thread numbering), semantic continuity (cosine
similarities of static embeddings between the lines either side and between windows of lines
before and after) and how the block uses blank lines (between posts only, or inside them too)
form the first pass (:func:`pass1`), with lexical cohesion (:func:`~.cohesion.lexical`). A
model may add a learned column after them, its probe of what the two lines say (:mod:`.probe`).
The more accurate model adds :func:`~.cohesion.semantic`: the same kind of continuity read from
contextual (MiniLM) vectors.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass

import numpy as np

from ..text import entities as ent
from ..text.patterns import HANDLE, LEADING_HANDLES_RE, THREAD_NUMBER_RE, THREAD_START_RE, URL_RE
from .cohesion import lexical

_LIST = re.compile(r"^\s*(?:[-+*•▪◦‣–—>]|\d{1,2}[.)]|\(?[a-zA-Z][.)])\s")
_CONJ = re.compile(
    r"^\s*(?:and|but|so|or|because|then|also|plus|which|that|yet|nor|if|when|while|even|"
    r"instead|otherwise|however|therefore|thus|hence|until|unless|though|although|as|to|with|"
    r"for|of|in|on|by)\b",
    re.IGNORECASE,
)
# words that point back to what came before ("That's why...", "There's a few cases of that")
_REFER_BACK = re.compile(
    r"^\s*(?:it|its|it's|it’s|this|these|those|they|they're|they’re|them|their|he|she|his|her|"
    r"there|there's|there’s|such|same|both|that's|that’s|here's|here’s)\b",
    re.IGNORECASE,
)
_END_TERM = tuple(".!?")
_HANDLE_TAGS = re.compile(rf"[@＠]{HANDLE}|[@＠]\w+|[\s.,;:!?&|/\-–—]+")
_HEADLINE = re.compile(r"^(?:[A-Z0-9][\w'’-]*\s+){2,}[A-Z0-9][\w'’-]*$")

#: Ways of writing that differ from author to author (or keyboard to keyboard), each as
#: (name, the first way, the second way): typewriter or typographic apostrophes and quotes.
#: An author writes them one way far more often than both.
HABITS: tuple[tuple[str, re.Pattern[str], re.Pattern[str]], ...] = (
    ("apostrophe", re.compile(r"(?<=\w)'(?=\w)"), re.compile(r"(?<=\w)’(?=\w)")),
    ("quote", re.compile(r'"'), re.compile(r"[“”]")),
)
_HABIT_CHAR = re.compile("['’\"“”]")  # a line without any shows no habit
_NO_WAYS = (0,) * len(HABITS)


def ways(text: str) -> tuple[int, ...]:
    """Per :data:`HABITS`: 1 where ``text`` writes it the first way, -1 the second, 0 neither
    or both.

    Examples:
        >>> ways("don't say “no”"), ways("don’t"), ways("don't, don’t")
        ((1, -1), (-1, 0), (0, 0))
    """
    if not _HABIT_CHAR.search(text):  # most lines: one search, not four
        return _NO_WAYS
    return tuple(
        int(a.search(text) is not None) - int(b.search(text) is not None) for _, a, b in HABITS
    )


@dataclass(slots=True)
class LineInfo:
    """Layout facts about one non-blank line."""

    text: str
    row: tuple[bool | float, ...]  # layout features (see LINE_FEATURES), float32 in pass1
    url_only: bool
    handle: bool
    n_chars: int
    tags: bool = False  # nothing but handles ("@OpenAI @sama")
    thread_start: bool = False  # "1/3", "1/", the thread emoji
    ways: tuple[int, ...] = ()  # how it writes :data:`HABITS`, see :func:`ways`


#: Per-line layout features (each appears for the line before and the line after a gap).
LINE_FEATURES: tuple[str, ...] = (
    "url_only",
    "handle",
    "list_item",
    "upper",
    "lower",
    "digit",
    "other_start",
    "quote_start",
    "conj",
    "refer_back",
    "end_term",
    "end_question",
    "end_colon",
    "end_comma",
    "end_ellipsis",
    "end_tags",
    "end_url",
    "end_emoji",
    "end_alnum",
    "numbering",
    "thread_start",  # "1/3", "(1/5)", "1/" or the thread emoji: the first post of a thread
    "n_tags",
    "n_mentions",
    "has_url",
    "caps",
    "headline",
    "log_chars",
    "short",
    "handles_only",  # "@OpenAI @sama": a tag line inside a post, not a reply
)


def _is_link(word: str) -> bool:
    """Whether a word is a link: with a scheme or ``www.`` as written, or bare (``x.com/a``)."""
    return word.startswith(("http", "www.")) or ("." in word and ent.is_url_only(word))


_TAG_TAIL = re.compile(r"\w+[\s.,!]*$")  # what follows the last "#" of a line its tags end
_ASCII_LOWER = re.compile("[a-z]")


def line_info(text: str) -> LineInfo:
    """Layout facts of one line (stripped of surrounding white space).

    It runs once per line of every dump, so a pattern is tried only where the characters it
    needs occur (a thread's number needs a "/" or the thread emoji, and its first number is
    one; tags that end a line run from its last "#"; a line in capitals has no small ASCII
    letter), and the row keeps the bools and floats that :func:`pass1` casts to float32 in one
    go: the same row as trying every pattern on every line.
    """
    s = text.strip()
    first = s[:1]
    last = s[-1:]
    url_only = ent.is_url_only(s)
    handle = first in "@＠" and bool(LEADING_HANDLES_RE.match(s))
    numbered = ("/" in s or "🧵" in s) and THREAD_NUMBER_RE.search(s) is not None
    thread_start = numbered and THREAD_START_RE.search(s) is not None
    tags = handle and not _HANDLE_TAGS.sub("", s).strip()
    n_hash = s.count("#")
    tags_end = False
    if not url_only and (n_hash or "＃" in s):
        tags_end = _TAG_TAIL.match(s, max(s.rfind("#"), s.rfind("＃")) + 1) is not None
    last_word = s.rsplit(None, 1)[-1] if s else ""
    head = s[:60]
    caps = False
    if _ASCII_LOWER.search(head) is None:
        letters = "".join(filter(str.isalpha, head))
        caps = len(letters) >= 6 and all(map(str.isupper, letters))
    row = (
        url_only,
        handle,
        _LIST.match(s) is not None,
        first.isupper(),
        first.islower(),
        first.isdigit(),
        not first.isalnum() and first not in "@＠\"'“‘",
        first in "\"'“‘",
        _CONJ.match(s) is not None,
        _REFER_BACK.match(s) is not None,
        s.endswith(_END_TERM),
        last == "?",
        last in ":：",
        last in ",;-–—&(/",
        s.endswith(("...", "…")),
        tags_end,
        (not url_only) and bool(last_word) and _is_link(last_word),
        bool(last) and not last.isascii() and not last.isalnum() and last not in "…’”",
        last.isalnum(),
        numbered,
        thread_start,
        min(n_hash, 5) / 5,
        min(s.count("@"), 5) / 5,
        url_only or "http" in s or (ent.url_pattern(s) is URL_RE and URL_RE.search(s) is not None),
        caps,
        _HEADLINE.match(s) is not None and len(s.split()) <= 12,
        math.log1p(len(s)) / 6.0,
        len(s) < 25,
        tags,
    )
    return LineInfo(
        text=s,
        row=row,
        url_only=url_only,
        handle=handle,
        n_chars=len(s),
        tags=tags,
        thread_start=thread_start,
        ways=ways(s),
    )


#: The line features whose share of a block's lines says how the block is written (see
#: :func:`block_style`).
BLOCK_STYLE: tuple[str, ...] = (
    "url_only",
    "has_url",
    "end_term",
    "upper",
    "lower",
    "end_tags",
    "end_url",
    "handle",
    "short",
    "end_emoji",
)

PASS1_FEATURES: tuple[str, ...] = (
    *(f"prev_{f}" for f in LINE_FEATURES),
    *(f"next_{f}" for f in LINE_FEATURES),
    "blank_between",
    "cos_prev_next",
    "cos_next_after",
    "cos_before_prev",
    "depth",
    "cos_back3_next",
    "cos_prev_fwd3",
    "cos_back3_fwd3",
    "cos_back3_fwd1_minus",
    "cos_back8_next",
    "cos_back8_fwd3",
    # one line further out on each side: "Q:" / "A." / new post, a list that ended, a reply
    # two lines up
    *(f"prev2_{f}" for f in LINE_FEATURES),
    *(f"next2_{f}" for f in LINE_FEATURES),
    # how this block uses blank lines: between posts only, inside posts too, or not at all
    "blank_rate",
    "blank_at_starts",
    "blank_at_continuations",
    # lexical cohesion: the words the lines either side repeat (see :func:`~.cohesion.lexical`)
    "lex_cos1",
    "lex_cos3",
    "lex_cos6",
    "lex_next_lean",
    "lex_prev_lean",
    # how the block is written, the same for every gap (see :func:`block_style`)
    *(f"block_{f}" for f in BLOCK_STYLE),
    "block_chars_mean",
    "block_chars_std",
    "prev_chars_rel",
    "next_chars_rel",
)


def _prefix_sums(emb: np.ndarray) -> np.ndarray:
    """``c[i]``: the sum of ``emb[:i]``, the bits of ``np.cumsum(emb, axis=0)`` (``c[0]`` zero).

    cumsum down the rows of a row-major block walks memory a row's width apart for every
    element; adding whole rows one after another makes the same additions in the same order
    (each column's running sum), over contiguous rows.
    """
    n, d = emb.shape
    c = np.zeros((n + 1, d), dtype=np.float32)
    if n:
        c[1] = emb[0]
        add = np.add
        for i in range(1, n):
            add(c[i], emb[i], out=c[i + 1])
    return c


def _window_means(
    emb: np.ndarray, w: int, c: np.ndarray | None = None, forward: bool = True
) -> tuple[np.ndarray, np.ndarray | None]:
    """Normalised mean of the ``w`` lines ending at i-1 (back) and starting at i (forward,
    ``None`` unless ``forward``); ``c``: :func:`_prefix_sums` of ``emb``, when the caller has
    them."""
    n, d = emb.shape
    if c is None:
        c = _prefix_sums(emb)
    # back[i] = c[i] - c[max(i - w, 0)], fwd[i] = c[min(i + w, n)] - c[i], from slices
    k = min(w, n)
    back = np.empty((n, d), dtype=np.float32)
    np.subtract(c[k:n], c[: n - k], out=back[k:])
    np.subtract(c[:k], c[0], out=back[:k])
    fwd = None
    if forward:
        fwd = np.empty((n, d), dtype=np.float32)
        m = max(n - w, 0)  # rows whose window ends inside the block
        np.subtract(c[w : w + m], c[:m], out=fwd[:m])
        np.subtract(c[n], c[m:n], out=fwd[m:])
    for v in (back, fwd):
        if v is not None:
            norms = np.linalg.norm(v, axis=1, keepdims=True)
            norms[norms == 0] = 1.0
            v /= norms
    return back, fwd


def pass1(infos: list[LineInfo], emb: np.ndarray, blanks: np.ndarray) -> np.ndarray:
    """First-pass features for gaps 1..n-1 (row g describes the gap before line g); row 0 unused."""
    n = len(infos)
    rows = np.asarray([i.row for i in infos], dtype=np.float32)
    k = rows.shape[1]
    x = np.zeros((n, len(PASS1_FEATURES)), dtype=np.float32)
    if n < 2:
        return x
    x[1:, :k] = rows[:-1]
    x[1:, k : 2 * k] = rows[1:]
    c = 2 * k  # the scalar columns start here
    x[1:, c] = np.minimum(blanks[1:], 2) / 2.0
    pn = np.zeros(n, dtype=np.float32)
    pn[1:] = np.einsum("ij,ij->i", emb[:-1], emb[1:])
    na = np.zeros(n, dtype=np.float32)
    na[:-1] = pn[1:]
    bp = np.zeros(n, dtype=np.float32)
    bp[1:] = pn[:-1]
    sums = _prefix_sums(emb)
    back, fwd = _window_means(emb, 3, sums)
    x[:, c + 1] = pn
    x[:, c + 2] = na
    x[:, c + 3] = bp
    x[:, c + 4] = pn - 0.5 * (na + bp)
    x[:, c + 5] = np.einsum("ij,ij->i", back, emb)
    prev = np.zeros_like(emb)
    prev[1:] = emb[:-1]
    x[:, c + 6] = np.einsum("ij,ij->i", prev, fwd)
    x[:, c + 7] = np.einsum("ij,ij->i", back, fwd)
    x[:, c + 8] = x[:, c + 7] - 0.5 * (x[:, c + 5] + x[:, c + 6])
    back8, _ = _window_means(emb, 8, sums, forward=False)  # the 8 lines after: not a feature
    x[:, c + 9] = np.einsum("ij,ij->i", back8, emb)
    x[:, c + 10] = np.einsum("ij,ij->i", back8, fwd)
    c += 11
    x[2:, c : c + k] = rows[:-2]  # the line before the line before the gap
    x[1:-1, c + k : c + 2 * k] = rows[2:]  # the line after the line after the gap
    x[:, c + 2 * k : c + 2 * k + 3] = blank_regime(rows, blanks)
    c += 2 * k + 3
    lex = lexical([i.text for i in infos])
    x[:, c : c + lex.shape[1]] = lex
    x[:, c + lex.shape[1] :] = block_style(rows)
    return x


_I = {f: i for i, f in enumerate(LINE_FEATURES)}


def block_style(rows: np.ndarray) -> np.ndarray:
    """How a block is written, for each gap: the share of its lines with each feature of
    :data:`BLOCK_STYLE` (links, full stops, capitals, tags...), the mean and the spread of its
    lines' log lengths, and the log lengths of the lines either side of the gap against that
    mean (``rows``: :func:`pass1`'s float32 line rows, two or more).

    A line that ends in a link or a hashtag ends a post in most dumps; in posts copied as
    text (links and most tags gone) no line does, and a short line under a short line is a
    post written a sentence a line only in a block of short lines. The trees read a gap's
    marks against the block's habits: dev F1 0.9291 -> 0.9326, copied as text 0.798 -> 0.804
    (``bench/results_segments.md``).

    Examples:
        >>> rows = np.zeros((4, len(LINE_FEATURES)), dtype=np.float32)
        >>> rows[:2, _I["has_url"]] = 1
        >>> rows[:, _I["log_chars"]] = [0.5, 0.5, 0.7, 0.9]
        >>> x = block_style(rows)
        >>> float(x[3, BLOCK_STYLE.index("has_url")]), round(float(x[3, -1]), 3)
        (0.5, 0.25)
    """
    n, k = len(rows), len(BLOCK_STYLE)
    out = np.zeros((n, k + 4), dtype=np.float32)
    out[:, :k] = rows[:, [_I[f] for f in BLOCK_STYLE]].mean(axis=0)
    chars = rows[:, _I["log_chars"]]
    mean, spread = float(chars.mean()), float(chars.std())
    out[:, k] = mean
    out[:, k + 1] = spread
    out[1:, k + 2] = chars[:-1] - mean
    out[1:, k + 3] = chars[1:] - mean
    return out


def blank_regime(rows: np.ndarray, blanks: np.ndarray) -> np.ndarray:
    """Whether blank lines delimit posts in this block, the same three numbers for every gap.

    The share of gaps with a blank line; of gaps that layout alone calls new posts (a reply's
    leading handle, the line after a bare link) with a blank; and of gaps that layout calls
    continuations (a conjunction start, a line ending in a comma or colon, one list item after
    another) with a blank. -1 where the block has no such gap (not NaN: the fast tree walk
    takes no missing values).
    """
    blank = blanks[1:] > 0
    prev, nxt = rows[:-1], rows[1:]
    start = (nxt[:, _I["handle"]] > 0) | (prev[:, _I["url_only"]] > 0)
    cont = ~start & (
        (nxt[:, _I["conj"]] > 0)
        | (prev[:, _I["end_comma"]] > 0)
        | (prev[:, _I["end_colon"]] > 0)
        | ((prev[:, _I["list_item"]] > 0) & (nxt[:, _I["list_item"]] > 0))
    )
    out = np.full(3, -1.0, dtype=np.float32)
    if len(blank):
        out[0] = blank.mean()
    for j, sel in ((1, start), (2, cont)):
        if sel.any():
            out[j] = blank[sel].mean()
    return out
