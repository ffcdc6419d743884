"""Features of the gap between two neighbouring lines of a raw dump.

Layout cues of each line (leading handle, bare link, list marker, casing, end punctuation,
length, numbering like ``2/5``) and semantic continuity (cosine similarity of static embeddings
of the lines either side, of the open post so far, and of the lines beyond) are turned into one
vector per gap. :func:`gap_vector` is shared by training and inference.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass

import numpy as np

from .. import entities as ent

_LIST = re.compile(r"^\s*(?:[-+*•▪◦‣–—>]|\d{1,2}[.)]|\(?[a-zA-Z][.)])\s")
_NUMBERING = re.compile(r"(?:^|\s)\(?\d{1,2}\s*/\s*\d{0,2}\)?(?:\s|$)|🧵")
_CONJ = re.compile(
    r"^\s*(?:and|but|so|or|because|then|also|plus|which|that|yet|nor|if|when|while|even|"
    r"instead|otherwise|however|therefore|thus|hence|until|unless|though|although|as)\b",
    re.IGNORECASE,
)
_END_TERM = tuple(".!?)\"'”’")
_TAGS_AT_END = re.compile(r"(?:[#＃]\w+\s*)+$")


@dataclass(slots=True)
class LineInfo:
    """Layout facts about one non-blank line."""

    text: str
    url_only: bool
    handle: bool
    list_item: bool
    upper: bool
    lower: bool
    digit: bool
    other_start: bool
    conj: bool
    end_term: bool
    end_colon: bool
    end_comma: bool
    end_ellipsis: bool
    end_tags: bool
    end_url: bool
    end_alnum: bool
    numbering: bool
    has_tag: bool
    n_chars: int
    caps: bool


def line_info(text: str) -> LineInfo:
    """Layout facts of one line (stripped of surrounding white space for the cues)."""
    s = text.strip()
    first = s[:1]
    last = s[-1:] if s else ""
    url_only = ent.is_url_only(s)
    letters = [c for c in s[:40] if c.isalpha()]
    return LineInfo(
        text=s,
        url_only=url_only,
        handle=first in "@＠" and bool(ent.LEADING_HANDLES_RE.match(s)),
        list_item=bool(_LIST.match(s)),
        upper=first.isupper(),
        lower=first.islower(),
        digit=first.isdigit(),
        other_start=not first.isalnum() and first not in "@＠",
        conj=bool(_CONJ.match(s)),
        end_term=s.endswith(_END_TERM),
        end_colon=last in ":：",
        end_comma=last in ",;-–—&",
        end_ellipsis=s.endswith(("...", "…")),
        end_tags=bool(_TAGS_AT_END.search(s)) and not url_only,
        end_url=(not url_only) and bool(ent.URL_RE.search(s[-60:])) and s.split()[-1].startswith(("http", "www.")),
        end_alnum=last.isalnum(),
        numbering=bool(_NUMBERING.search(s)),
        has_tag="#" in s,
        n_chars=len(s),
        caps=len(letters) >= 6 and all(c.isupper() for c in letters),
    )


#: Names of the gap features, in vector order (for model files and inspection).
FEATURES: tuple[str, ...] = (
    "blank_between",
    "next_url_only",
    "prev_url_only",
    "next_handle",
    "prev_handle",
    "seg_reply",
    "next_list",
    "prev_list",
    "next_upper",
    "next_lower",
    "next_digit",
    "next_other",
    "next_conj",
    "prev_end_term",
    "prev_end_colon",
    "prev_end_comma",
    "prev_end_ellipsis",
    "prev_end_tags",
    "prev_end_url",
    "prev_end_alnum",
    "next_end_term",
    "next_numbering",
    "prev_numbering",
    "next_caps",
    "prev_len",
    "next_len",
    "seg_len",
    "seg_lines",
    "seg_over_280",
    "cos_prev_next",
    "cos_seg_next",
    "cos_next_after",
    "cos_before_prev",
    "depth",
    "seg_has_url_line",
)


def gap_vector(
    prev: LineInfo,
    nxt: LineInfo,
    blank: int,
    seg_chars: int,
    seg_lines: int,
    seg_reply: bool,
    seg_has_url_line: bool,
    cos_pn: float,
    cos_sn: float,
    cos_na: float,
    cos_bp: float,
) -> list[float]:
    """The feature vector (order of :data:`FEATURES`) for the gap before ``nxt``."""
    return [
        min(blank, 2) / 2.0,
        nxt.url_only,
        prev.url_only,
        nxt.handle,
        prev.handle,
        seg_reply,
        nxt.list_item,
        prev.list_item,
        nxt.upper,
        nxt.lower,
        nxt.digit,
        nxt.other_start,
        nxt.conj,
        prev.end_term,
        prev.end_colon,
        prev.end_comma,
        prev.end_ellipsis,
        prev.end_tags,
        prev.end_url,
        prev.end_alnum,
        nxt.end_term,
        nxt.numbering,
        prev.numbering,
        nxt.caps,
        math.log1p(prev.n_chars) / 6.0,
        math.log1p(nxt.n_chars) / 6.0,
        math.log1p(seg_chars) / 7.0,
        min(seg_lines, 12) / 12.0,
        (seg_chars + nxt.n_chars) > 280,
        cos_pn,
        cos_sn,
        cos_na,
        cos_bp,
        cos_pn - 0.5 * (cos_na + cos_bp),
        seg_has_url_line,
    ]


def neighbour_cosines(emb: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """For lines 0..n-1: cos(i-1, i), cos(i, i+1), cos(i-2, i-1) as arrays (0 where undefined)."""
    n = len(emb)
    pn = np.zeros(n, dtype=np.float32)
    if n > 1:
        pn[1:] = np.einsum("ij,ij->i", emb[:-1], emb[1:])
    na = np.zeros(n, dtype=np.float32)
    na[:-1] = pn[1:]
    bp = np.zeros(n, dtype=np.float32)
    bp[1:] = pn[:-1]
    return pn, na, bp
