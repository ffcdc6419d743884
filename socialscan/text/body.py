"""A copied post read apart, and its own words: what claims, topics and the report read.

:func:`split_post` reads one post's lines (header, reply target, body, footer); :func:`mask`
blanks the page's lines and a scraper's stamps out of a post (same length, same lines, so
offsets still point into the text) and :func:`body_text` cuts them, for display.

Pure functions over text, no numpy.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field

from . import entities as ent
from .chrome import app_label, is_badge, is_count, is_separator, module_title, opens_post, signature
from .headers import Header, header_at, quote_label
from .patterns import AGE_LINE_RE
from .stamped import stamp_cuts
from .times import iso_time

_REPLYING_RE = re.compile(r"^Replying to\b(.*)$", re.IGNORECASE)
_APP_WORDS = re.compile(r"reposted|retweeted|Pinned|Show|Translate", re.IGNORECASE)
_MORE_HANDLES = re.compile(r"(?:and\s+)?(?:[@＠]\w{1,15}[\s,]*)+(?:and \d+ others?)?", re.ASCII)


@dataclass(slots=True)
class TimelinePost:
    """One copied post read apart: header (``None`` where only the app's other lines were
    copied: "Replying to @x", "Show this thread"), reply target, body and footer line
    indexes."""

    header: Header | None
    reply_to: list[str] = field(default_factory=list)
    body: list[int] = field(default_factory=list)  # indexes of the post's own text lines

    @property
    def created_at(self) -> str | None:
        """The date in ISO 8601 when the header gives a full one ("Jan 5, 2023"); relative
        times ("2h") and dates without a year say too little."""
        return iso_time(self.header.time) if self.header and self.header.time else None


def split_post(texts: Sequence[str]) -> TimelinePost | None:
    """Read a post's non-blank line texts when they open with a header or end with an embed
    signature (a trailing separator line left out of the body).

    Examples:
        >>> p = split_post(["Sam Altman", "@sama", "·", "Jan 5, 2023", "Replying to @a",
        ...                 "hello there", "12", "1.2K"])
        >>> p.header.handle, p.reply_to, p.body, p.created_at
        ('sama', ['a'], [5], '2023-01-05')
        >>> p = split_post(["Sam Altman", "@sama", "·", "2h", "so true", "Quote", "Greg",
        ...                 "@gdb", "·", "3h", "shipping is the best feeling", "12"])
        >>> p.body
        [4]
        >>> p = split_post(["Replying to @sama", "so true", "Show this thread"])
        >>> p.header, p.reply_to, p.body
        (None, ['sama'], [1])
        >>> p = split_post(["hello there", "— Sam Altman (@sama) March 1, 2023", "---"])
        >>> p.header.handle, p.body, p.created_at
        ('sama', [0], '2023-03-01')
    """
    if not texts:
        return None
    h = header_at(texts, 0)
    if h is not None and h.bare and not is_count(texts[-1]):
        h = None  # "Big day" / "2h" / "of sleep": prose as likely
    if h is None:
        end = len(texts)
        while end > 1 and is_separator(texts[end - 1]):
            end -= 1
        m = signature(texts[end - 1]) if end > 1 else None
        if m is not None:
            sig = Header(1, m.group("handle"), m.group("time") or "", m.group("name") or None)
            return TimelinePost(sig, body=list(range(end - 1)))
        opens = opens_post(texts[0])
        if not (opens or app_label(texts[-1])):
            return None
    post = TimelinePost(h)
    i = h.size if h is not None else 0
    if h is None and opens and not _REPLYING_RE.match(texts[0].strip()):
        i = 1  # "Sam Altman reposted"
    m = _REPLYING_RE.match(texts[i].strip()) if i < len(texts) else None
    if m:
        post.reply_to = ent.extract_mentions(m.group(1))
        i += 1
        # "Replying to" with its handles on the lines below ("@a", "and @b")
        while i < len(texts) and _MORE_HANDLES.fullmatch(texts[i].strip()):
            post.reply_to += ent.extract_mentions(texts[i])
            i += 1
    end = len(texts)
    for j in range(i + 1, end):  # a box of the page's under the post ("Who to follow")
        if module_title(texts[j]):
            end = j
            break
    while end > i + 1 and (is_count(texts[end - 1]) or is_badge(texts[end - 1])):
        end -= 1
    for j in range(i + 1, end - 1):  # the post it quotes is not its own words
        if quote_label(texts[j]) and header_at(texts, j + 1) is not None:
            end = j
            break
    post.body = [j for j in range(i, end) if not is_badge(texts[j])] or list(range(i, end))
    return post


def _body_lines(text: str) -> tuple[list[str], set[int]] | None:
    """A copied post's lines and the indexes of its own (body) lines; ``None`` for a post
    without a header, signature or the app's other lines."""
    if "@" not in text and "＠" not in text and "•" not in text and not _APP_WORDS.search(text):
        head = text.split("\n", 2)  # or a name over a lone time ("zuck" / "2h")
        if len(head) < 3 or not AGE_LINE_RE.match(head[1].strip()):
            return None
    lines = text.split("\n")
    kept = [i for i, line in enumerate(lines) if line.strip()]
    post = split_post([lines[i] for i in kept])
    if post is None:
        return None
    return lines, {kept[j] for j in post.body}


def mask(text: str) -> str:
    """The post's text with the page's lines (header, "Replying to", counts, an embed
    signature) or a scraper's stamp (date line, "[date] author:") turned to spaces: what
    claims and topics read. Same length and the same lines, so character offsets and line
    numbers still point into ``text``; a post without any comes back as it is.

    Examples:
        >>> mask("Sam Altman\\n@sama\\n·\\n2h\\nhello there\\n12")
        '          \\n     \\n \\n  \\nhello there\\n  '
        >>> mask("2023-03-01 14:22\\nhello")
        '                \\nhello'
        >>> mask("[Mar 1, 2023] @sama: hi")
        '                     hi'
        >>> mask("@ann hello") == "@ann hello"
        True
    """
    found = _body_lines(text)
    if found is None:
        return _unstamp(text, blank=True)
    lines, body = found
    return "\n".join(line if i in body else " " * len(line) for i, line in enumerate(lines))


#: Stamps (:mod:`.stamps`) claims and topics leave out, and those the report hides: a post's
#: own link stays on show, and so do counts, bare "name:" labels and a number opening the
#: first line ("1. ", "- "), which a post's own words can look like.
_MASKED = frozenset(
    {"date", "author", "counts", "prefix", "label", "number", "number_line", "bullet"}
)
_HIDDEN = frozenset({"date", "author", "prefix", "number_line"})


def _unstamp(text: str, blank: bool) -> str:
    """The text without a scraper's stamps (:func:`.stamped.stamp_cuts`): blanked to spaces
    (``blank``, for claims and topics) or cut (for display)."""
    lines = text.split("\n")
    cut = stamp_cuts(lines, _MASKED if blank else _HIDDEN)
    if not cut:
        return text
    if blank:
        return "\n".join(
            " " * cut[i] + line[cut[i] :] if i in cut else line for i, line in enumerate(lines)
        )
    shown = [(i, line[cut.get(i, 0) :]) for i, line in enumerate(lines)]
    words = [i for i, line in shown if line.strip() and cut.get(i) != len(lines[i])]
    if not words:
        return ""
    return "\n".join(line for _, line in shown[words[0] : words[-1] + 1])


def body_text(text: str) -> str:
    """The post without the page's lines (for display, where author and date have their own
    places): its own lines and the blank lines between them; a post without a header or
    signature comes back as it is.

    Examples:
        >>> body_text("Sam Altman\\n@sama\\n·\\n2h\\nhello\\n\\nthere\\n12")
        'hello\\n\\nthere'
    """
    found = _body_lines(text)
    if found is None:
        return _unstamp(text, blank=False) or text
    if not found[1]:
        return text
    lines, body = found
    lo, hi = min(body), max(body)
    return "\n".join(
        line for i, line in enumerate(lines[lo : hi + 1], lo) if i in body or not line.strip()
    )
