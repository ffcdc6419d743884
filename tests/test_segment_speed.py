"""The fast segmenter's per-line and per-block features, sped up, score every gap as before.

``line_info`` and ``lexical`` run once per line of every dump; they were rewritten to try each
pattern only where it can match and to sum the shared words' band with one ``bincount``. The
first, plainer versions are kept here as the reference: on held-out dumps (and on hostile
lines) the new code must give the same feature bits, the same boundary probabilities and the
same posts, float equality, not approximately.
"""

from __future__ import annotations

import math
import re
from collections.abc import Sequence
from pathlib import Path

import numpy as np
import pytest

from socialscan.embed.static import StaticEmbedder
from socialscan.segment import cohesion, features, items, linker, model, segmenter, vectors
from socialscan.segment.features import (
    _CONJ,
    _END_TERM,
    _HANDLE_TAGS,
    _HEADLINE,
    _LIST,
    _REFER_BACK,
    LineInfo,
    _is_link,
    ways,
)
from socialscan.segment.items import line_items
from socialscan.segment.model import default_model
from socialscan.segment.segmenter import gap_features, iter_segments
from socialscan.text import entities as ent
from socialscan.text import headers
from socialscan.text.patterns import (
    AGE_LINE_RE,
    LEADING_HANDLES_RE,
    THREAD_NUMBER_RE,
    THREAD_START_RE,
    URL_RE,
)
from socialscan.text.stems import stem_idf, stems
from training.segments.heldout import heldout_dumps
from training.segments.sources import pools

_TAGS_AT_END = re.compile(r"(?:[#＃]\w+[\s.,!]*)+$")


def reference_line_info(text: str) -> LineInfo:
    """``line_info`` as first written: every pattern tried on every line."""
    s = text.strip()
    first = s[:1]
    last = s[-1:] if s else ""
    url_only = ent.is_url_only(s)
    handle = first in "@＠" and bool(LEADING_HANDLES_RE.match(s))
    words = s.split()
    letters = "".join(filter(str.isalpha, s[:60]))
    thread_start = bool(THREAD_START_RE.search(s))
    tags = handle and not _HANDLE_TAGS.sub("", s).strip()
    row = (
        url_only,
        handle,
        bool(_LIST.match(s)),
        first.isupper(),
        first.islower(),
        first.isdigit(),
        not first.isalnum() and first not in "@＠\"'“‘",
        first in "\"'“‘",
        bool(_CONJ.match(s)),
        bool(_REFER_BACK.match(s)),
        s.endswith(_END_TERM),
        last == "?",
        last in ":：",
        last in ",;-–—&(/",
        s.endswith(("...", "…")),
        bool(_TAGS_AT_END.search(s)) and not url_only,
        (not url_only) and bool(words) and _is_link(words[-1]),
        bool(last) and not last.isascii() and not last.isalnum() and last not in "…’”",
        last.isalnum(),
        bool(THREAD_NUMBER_RE.search(s)),
        thread_start,
        min(s.count("#"), 5) / 5,
        min(s.count("@"), 5) / 5,
        url_only or "http" in s or (ent.url_pattern(s) is URL_RE and URL_RE.search(s) is not None),
        len(letters) >= 6 and all(map(str.isupper, letters)),
        bool(_HEADLINE.match(s)) and len(words) <= 12,
        math.log1p(len(s)) / 6.0,
        len(s) < 25,
        tags,
    )
    return LineInfo(
        text=s,
        row=tuple(map(float, row)),
        url_only=url_only,
        handle=handle,
        n_chars=len(s),
        tags=tags,
        thread_start=thread_start,
        ways=ways(s),
    )


_BAND = 12  # lines apart, at most, of two lines whose shared words are counted


def reference_lexical(texts: Sequence[str]) -> np.ndarray:
    """Lexical cohesion at each gap (rows as :func:`~.features.pass1`'s): TextTiling's signal, the words two
    stretches of lines share, each weighed by its rarity in tweets.

    Columns: the cosine of the stems (idf-weighted) of the 1, 3 and 6 lines before the gap and as
    many from it on; whether the line after the gap leans back or forward (its cosine with the 3
    lines above minus with the 3 below it), and the same for the line before the gap. Where
    embeddings see one subject everywhere (a dump of tweets about ChatGPT), a post repeats its
    own words ("fine tuning" eight times) and the next post does not.
    """
    n = len(texts)
    x = np.zeros((n, 5), dtype=np.float32)
    if n < 2:
        return x
    idf, default = stem_idf()
    ids: dict[str, int] = {}
    rows: list[int] = []
    cols: list[int] = []
    wts: list[float] = []
    for i, t in enumerate(texts):
        for s in stems(t):
            rows.append(i)
            cols.append(ids.setdefault(s, len(ids)))
            wts.append(idf.get(s, default))
    # band[i + B, d]: the dot product of lines i and i + d (d <= B), B rows of padding each side
    b = _BAND
    band = np.zeros((n + 2 * b + 1, b + 1))
    if rows:
        r, c, w2 = np.asarray(rows), np.asarray(cols), np.asarray(wts) ** 2
        order = np.lexsort((r, c))
        r, c, w2 = r[order], c[order], w2[order]
        np.add.at(band[:, 0], r + b, w2)
        for k in range(1, min(b, len(r) - 1) + 1):  # one stem's occurrences k apart
            d = r[k:] - r[:-k]
            ok = (c[k:] == c[:-k]) & (d <= b)
            if ok.any():
                np.add.at(band, (r[:-k][ok] + b, d[ok]), w2[k:][ok])
    g = np.arange(n) + b  # the gap before line g, as a padded row

    def norm2(start: np.ndarray, k: int) -> np.ndarray:  # of the lines [start, start + k)
        tot = np.zeros(n)
        for i in range(k):
            tot += band[start + i, 0]
            for j in range(i + 1, k):
                tot += 2 * band[start + i, j - i]
        return tot

    def cross(a: np.ndarray, ka: int, c0: np.ndarray, kc: int) -> np.ndarray:  # a before c0
        tot = np.zeros(n)
        for i in range(ka):
            for j in range(kc):
                tot += band[a + i, c0 + j - a - i]
        return tot

    def cos(num: np.ndarray, na: np.ndarray, nb: np.ndarray) -> np.ndarray:
        den = np.sqrt(na * nb)
        return np.where(den > 0, num / np.maximum(den, 1e-12), 0.0)

    for col, k in enumerate((1, 3, 6)):
        x[:, col] = cos(cross(g - k, k, g, k), norm2(g - k, k), norm2(g, k))
    one = band[:, 0]
    x[:, 3] = cos(cross(g - 3, 3, g, 1), norm2(g - 3, 3), one[g]) - cos(
        cross(g, 1, g + 1, 3), one[g], norm2(g + 1, 3)
    )
    x[:, 4] = cos(cross(g - 4, 3, g - 1, 1), norm2(g - 4, 3), one[g - 1]) - cos(
        cross(g - 1, 1, g, 3), one[g - 1], norm2(g, 3)
    )
    x[0] = 0.0
    return x


def reference_window_means(
    emb: np.ndarray, w: int, c=None, forward: bool = True
) -> tuple[np.ndarray, np.ndarray]:
    """``_window_means`` as first written: a cumsum down the rows per window, fancy-indexed."""
    n, d = emb.shape
    c = np.zeros((n + 1, d), dtype=np.float32)
    np.cumsum(emb, axis=0, out=c[1:])
    idx = np.arange(n)
    back = c[idx] - c[np.maximum(idx - w, 0)]
    fwd = c[np.minimum(idx + w, n)] - c[idx]
    for m in (back, fwd):
        norms = np.linalg.norm(m, axis=1, keepdims=True)
        norms[norms == 0] = 1.0
        m /= norms
    return back, fwd


def same_bits(a: np.ndarray, b: np.ndarray) -> bool:
    """Equal bit for bit (a -0.0 is not a 0.0, a NaN equals itself)."""
    return a.dtype == b.dtype and a.shape == b.shape and a.tobytes() == b.tobytes()


def reference_header_starts(texts: Sequence[str]) -> list:
    """``header_starts`` as first written: ``header_at`` tried at every line."""
    out: list = [None] * len(texts)
    if not any(
        headers._HANDLE_RE.match(t.strip())
        or "·" in t
        or ("@" in t and headers._LOOSE_END.search(t))
        or ("•" in t and headers._LI_TIME_RE.match(t.strip()))
        or AGE_LINE_RE.match(t.strip())
        for t in texts
    ):
        return out
    i, loose = 0, []
    while i < len(texts):
        h = reference_header_at(texts, i)
        if h is not None:
            out[i] = h
            h.quoted = i > 0 and headers.quote_label(texts[i - 1])
            if h.loose:
                loose.append(i)
            i += h.size
        else:
            i += 1
    if len(loose) == 1:
        out[loose[0]] = None
    return out


def reference_header_at(texts: Sequence[str], i: int):
    """``header_at`` as first written: every shape tried at every line."""
    return None if i >= len(texts) else headers._header_at(texts, i)


# Lines where a shortcut could go wrong: tags at the end after other tags or a full-width "＃",
# a "#" mid-word, thread numbers beside links (a "/" that is no numbering), the thread emoji,
# capitals with accents or digits, headlines, quotes two ways, a link alone.
HOSTILE = [
    "",
    "   ",
    "#AI #ChatGPT",
    "so good #AI #ChatGPT!!",
    "so good #AI, #ChatGPT. ",
    "tags #AI then words",
    "mid#word and end#tag",
    "full width ＃タグ",
    "mixed ＃tag #two",
    "#tag then ＃",
    "ends with a lone #",
    "c# is fine #dotnet",
    "1/ Route easy requests.",
    "(1/5) the first",
    "see https://x.com/a/1 2/",
    "https://t.co/gGdaM0KWsx",
    "read https://t.co/x",
    "pic.twitter.com/AbC",
    "24/7 uptime",
    "A thread 🧵",
    "🧵",
    "BREAKING: ÉNORME NEWS TODAY",
    "BREAKING NEWS 2024 ß",
    "ÀÉÎÕÜ ÇÑ",
    "The Quick Brown Fox Jumps",
    "@sama @OpenAI",
    "@sama thanks, this is gold",
    "＠sama full width",
    "don't say “no”",
    "don’t and don't",
    'He said "yes" — it’s fine',
    "and then it broke...",
    "However, that’s why…",
    "Q: what now?",
    "A. list item",
    "- bullet",
    "x" * 300,
    "emoji end 🚀",
    "ends in a quote”",
]


@pytest.fixture(scope="module")
def heldout_lines(shared_data) -> list[list[str]]:
    """The lines of a few dumps of every held-out row (posts no training dump holds)."""
    rows = heldout_dumps(pools(shared_data)["heldout"], 2)
    return [d.lines for dumps in rows.values() for d in dumps]


def test_line_info_gives_the_reference_facts_on_every_line(heldout_lines):
    lines = [t for d in heldout_lines for t in d] + HOSTILE
    for t in lines:
        new, ref = features.line_info(t), reference_line_info(t)
        assert tuple(map(float, new.row)) == ref.row, t
        assert (new.text, new.url_only, new.handle, new.n_chars) == (
            ref.text,
            ref.url_only,
            ref.handle,
            ref.n_chars,
        )
        assert (new.tags, new.thread_start, new.ways) == (ref.tags, ref.thread_start, ref.ways)
    rows = np.asarray([features.line_info(t).row for t in lines], dtype=np.float32)
    assert np.array_equal(rows, np.asarray([reference_line_info(t).row for t in lines], np.float32))


def test_lexical_cohesion_has_the_reference_bits(heldout_lines):
    blocks = [[t.strip() for t in d if t.strip()] for d in heldout_lines]
    # one long block whose lines repeat their words often, for many terms per band cell
    blocks.append([t for b in blocks for t in b][:3000])
    blocks += [[], ["one line"], ["same words here", "same words here", "same words again"]]
    for texts in blocks:
        new, ref = cohesion.lexical(texts), reference_lexical(texts)
        assert new.dtype == ref.dtype and np.array_equal(new, ref)


# Lines the word-piece cache must read as the tokenizer does, or leave to it: tabs and other
# control characters, accents, emoji, a word longer than WordPiece reads, a line longer than
# model2vec's cut (characters, then 512 pieces), punctuation runs, capitals.
ODD_LINES = [
    "tab\tinside",
    "bell\x07 and del\x7f",
    "café crème",
    "naïve CAFÉ",
    "emoji 🚀 and ＃full",
    "a" * 150 + " word",
    " ".join(["token"] * 700),
    "x " * 2000,
    "!!!???...,,,;;;",
    "C++ & C# (2024) -- [ok] {yes} <no> ~tilde~ `code` ^_^",
    "HTTPS://T.CO/ABC DEF",
    "e-mail: a.b@c.io",
    "don’t",
    "中文 mixed",
    # lines cut at their spaces: what the normaliser joins, drops or splits next to a space
    "a \u0301accent after a space, e\u0301 composed, ÉCOLE",
    "nbsp\u00a0inside and ideographic\u3000space  double  spaces ",
    "zero\u200bwidth and joiner 👩\u200d💻 and bom \ufeffx",
    "ΟΔΟΣ ΟΔΟΣ. Σίσυφος İstanbul ǅ ß ﬁ",
    "中文标点，测试。 日本語のテキスト 한국어 텍스트",
    "emoji👍🏽glued,to—words… “quoted” ‘single’ «guillemets»",
    "tab\tand\u2028line sep and \x85 next line",
    "[UNK] a[UNK]b [PAD]x [unk] [Pad] and café [UNK]é",
    "a[UNK]b plain ascii with an added token",
    "é" * 120 + " long non-ascii word",
    " ".join(["ünïcödé"] * 600),
]


def test_line_vectors_are_the_embedders_bits(heldout_lines):
    embedder = StaticEmbedder.default()
    texts = [t.strip() for d in heldout_lines for t in d if t.strip()] + HOSTILE[2:] + ODD_LINES
    assert vectors._readable(embedder) is not None  # the cache serves the shipped model
    for chunk in (texts, texts[:7], ODD_LINES, texts[::-1]):  # cold and warm, batches of all sizes
        fast, plain = vectors.line_vectors(chunk, embedder), embedder.embed(chunk)
        assert fast.dtype == plain.dtype and np.array_equal(fast, plain)


def test_window_means_have_the_reference_bits(heldout_lines):
    embedder = StaticEmbedder.default()
    blocks = [[t.strip() for t in d if t.strip()] for d in heldout_lines]
    blocks.append([t for b in blocks for t in b][:4100])
    center = default_model().center
    rng = np.random.default_rng(3)
    signed = rng.standard_normal((50, 8)).astype(np.float32)
    signed[rng.random(signed.shape) < 0.3] = -0.0  # zeros of either sign
    embs = [
        segmenter.static_vectors(list(line_items(enumerate(b, 1))), embedder, center)
        for b in blocks
        if b
    ]
    embs += [signed, signed[:1], signed[:5], np.zeros((0, 8), np.float32)]
    for emb in embs:
        sums = features._prefix_sums(emb)
        for w in (1, 3, 8, 60):
            new, ref = features._window_means(emb, w, sums), reference_window_means(emb, w)
            assert same_bits(new[0], ref[0]) and same_bits(new[1], ref[1]), (emb.shape, w)
            back, fwd = features._window_means(emb, w, sums, forward=False)
            assert same_bits(back, ref[0]) and fwd is None


# Lines a header's first test could misjudge: cues far from the name, digits of other
# scripts, "now" in capitals, a handle after a full-width at sign.
HEADER_LINES = [
    ["Pinned", "Sam Altman", "Sam Altman", "• 2nd", "CEO", "at OpenAI", "NOW •", "hi"],
    ["Alice Example reposted", "Jane Doe", "Jane Doe", "• 1st", "Founder", "Investor", "1d •"],
    ["Ad", "Notion", "＠NotionHQ", "Write, plan, organize."],
    ["zuck", "٢h", "a lone time in another script"],
    ["Greg", "@gdb", "·", "3h", "shipping is the best feeling", "12"],
    ["Quote", "Greg @gdb · Jan 5, 2023", "text"],
    ["no cue", "here", "at all", "for", "seven", "lines", "then", "@sama", "·", "2h"],
]


def test_headers_are_found_where_the_reference_finds_them(heldout_lines):
    blocks = [[t.strip() for t in d if t.strip()] for d in heldout_lines] + HEADER_LINES
    for name in ("x_timeline_copy.txt", "linkedin_feed_copy.txt"):
        text = (Path(__file__).parent / "data" / name).read_text(encoding="utf-8")
        blocks.append([t.strip() for t in text.splitlines() if t.strip()])
    blocks.append([t for b in blocks for t in b])
    found = 0
    for texts in blocks:
        new, ref = headers.header_starts(texts), reference_header_starts(texts)
        assert new == ref
        found += sum(h is not None for h in new)
        for i in range(len(texts)):
            assert headers.header_at(texts, i) == reference_header_at(texts, i), texts[i]
    assert found > 100  # the copied rows' headers, LinkedIn's, the odd shapes above


def _run(dump_lines: list[list[str]], block: int) -> list:
    out = []
    for lines in dump_lines:
        gaps: list[tuple[int, float]] = []
        segs = iter_segments(
            enumerate(lines, 1),
            StaticEmbedder.default(),
            default_model(),
            block=block,
            on_gap=lambda n, p, gaps=gaps: gaps.append((n, p)),
        )
        out.append(([(s.lines, s.p, s.vector.tolist()) for s in segs], gaps))
    return out


@pytest.mark.parametrize("block", [4096, 40])
def test_the_segmenter_scores_and_splits_as_the_reference_does(heldout_lines, monkeypatch, block):
    new = _run(heldout_lines, block)
    monkeypatch.setattr(items, "line_info", reference_line_info)
    monkeypatch.setattr(features, "lexical", reference_lexical)
    monkeypatch.setattr(features, "_window_means", reference_window_means)
    monkeypatch.setattr(segmenter, "line_vectors", lambda texts, e: e.embed(texts))
    ref = _run(heldout_lines, block)
    assert new == ref  # every gap's probability and every post, float for float
    assert sum(len(g) for _, g in new) > 2000


def test_a_full_word_cache_starts_over_and_reads_the_same(heldout_lines, monkeypatch):
    monkeypatch.setattr(vectors, "_MAX_CACHED", 50)
    monkeypatch.setattr(vectors, "_READERS", vectors.weakref.WeakKeyDictionary())
    embedder = StaticEmbedder.default()
    texts = [t.strip() for d in heldout_lines[:6] for t in d if t.strip()]
    for chunk in (texts[:40], texts[40:], texts):
        assert np.array_equal(vectors.line_vectors(chunk, embedder), embedder.embed(chunk))
    # over the cap, the cache starts over with the words of the block at hand only
    pieces = vectors._READERS[embedder]
    last = {w for t in texts for w in pieces._keys(t)}
    assert len(last) > 50 and set(pieces.words) == last


def fast_rows(fast, dumps: list[list[str]]) -> np.ndarray:
    """The fast model's feature rows of every gap of ``dumps`` (row 0 of each left out)."""
    rows = [
        gap_features(
            list(line_items(enumerate(d, 1))),
            StaticEmbedder.default(),
            fast.center,
            None,
            fast.probe,
        )[1:]
        for d in dumps
    ]
    return np.vstack(rows)


def test_the_trees_walked_a_few_rows_at_a_time_give_the_same_log_odds(heldout_lines, monkeypatch):
    fast = default_model()
    x = fast_rows(fast, heldout_lines)
    # and rows with missing values, which take the trees' other branch
    odd = np.where(np.random.default_rng(0).random(x.shape) < 0.05, np.nan, x)
    assert len(x) > 4 * model.WALK_ROWS
    chunked = [fast.log_odds(x), fast.log_odds(odd)]
    monkeypatch.setattr(model, "WALK_ROWS", 10**9)  # every row in one walk
    assert np.array_equal(chunked[0], fast.log_odds(x))
    assert np.array_equal(chunked[1], fast.log_odds(odd)) and not np.array_equal(
        chunked[0], chunked[1]
    )


def test_float32_rows_walk_the_trees_as_float64_rows_do(heldout_lines):
    """Float32 rows compare against thresholds rounded down to float32: the same branch for
    every value, those right at a threshold and a float32 step either side of it too."""
    fast = default_model()
    x = fast_rows(fast, heldout_lines[:6])
    assert x.dtype == np.float32
    rows = [x, np.where(np.random.default_rng(1).random(x.shape) < 0.05, np.nan, x)]
    for m in (fast, model.semantic_model()):
        inner = ~m.is_leaf
        width = len(m.features)
        edge = np.zeros((3 * int(inner.sum()), width), dtype=np.float32)
        for k, (f, t) in enumerate(zip(m.feature[inner], m.threshold_[inner], strict=True)):
            t32 = np.float32(t)
            for j, v in enumerate((np.nextafter(t32, -np.inf), t32, np.nextafter(t32, np.inf))):
                edge[3 * k + j] = np.resize(x[k % len(x)], width)
                edge[3 * k + j, f] = v
        for r in [edge, *(np.resize(r, (len(r), width)) for r in rows)]:
            assert np.array_equal(m.log_odds(r), m.log_odds(r.astype(np.float64)))


def reference_link_features(prev, nxt) -> list[float]:
    """``link_features`` as first written: each record's lines, sizes and norm read per pair."""
    a = [t for _, t in prev.lines if t.strip()]
    b = [t for _, t in nxt.lines if t.strip()]
    q = min(max(nxt.p, 1e-4), 1 - 1e-4)
    u, v = prev.vector, nxt.vector
    norms = math.sqrt(float(u @ u) * float(v @ v))
    cos = float(u @ v) / norms if norms > 0 else 0.0
    (la, wa), (lb, wb) = linker.habits(a), linker.habits(b)
    shown = [x * y for x, y in zip(wa, wb, strict=True) if x and y]
    return [
        math.log(q / (1 - q)),
        cos,
        math.log(len(a)),
        math.log(len(b)),
        math.log1p(sum(map(len, a))),
        math.log1p(sum(map(len, b))),
        abs(la - lb) if la is not None and lb is not None else 0.0,
        float(shown.count(-1)),
        float(shown.count(1)),
    ]


def test_link_features_read_each_record_once_and_give_the_reference(heldout_lines):
    pairs = 0
    for lines in heldout_lines:
        segs = list(iter_segments(enumerate(lines, 1), StaticEmbedder.default(), default_model()))
        for prev, nxt in zip(segs, segs[1:], strict=False):
            ref = reference_link_features(prev, nxt)
            assert linker.link_features(prev, nxt) == ref
            assert linker.link_features(prev, nxt) == ref  # read again from the records' cache
            pairs += 1
    assert pairs > 1000


def test_small_blocks_sum_the_pieces_as_gathered_and_big_ones_from_a_copy(
    heldout_lines, monkeypatch
):
    """A block under ``_TABLE_LINES`` casts the piece rows it gathers; a bigger one first makes
    a float32 copy of the table that later blocks read too: the same bits either way."""
    monkeypatch.setattr(vectors, "_READERS", vectors.weakref.WeakKeyDictionary())
    monkeypatch.setattr(vectors, "_TABLE_LINES", 300)
    embedder = StaticEmbedder.default()
    texts = [t.strip() for d in heldout_lines for t in d if t.strip()] + ODD_LINES
    assert len(texts) > 600
    small, big = texts[:299], texts[299:]
    assert np.array_equal(vectors.line_vectors(small, embedder), embedder.embed(small))
    pieces = vectors._READERS[embedder]
    assert pieces.table is None
    assert np.array_equal(vectors.line_vectors(big, embedder), embedder.embed(big))
    assert pieces.table is not None and pieces.table.dtype == np.float32
    assert np.array_equal(vectors.line_vectors(small, embedder), embedder.embed(small))


@pytest.mark.parametrize("pool_rows", [1, 7, 256])
def test_lines_pooled_a_few_hundred_at_a_time_have_the_embedders_bits(
    heldout_lines, monkeypatch, pool_rows
):
    """The sums run over :data:`vectors._POOL_ROWS` lines at a time, longest first: any
    chunking adds each line's pieces in the same order, so the vectors do not change."""
    monkeypatch.setattr(vectors, "_READERS", vectors.weakref.WeakKeyDictionary())
    monkeypatch.setattr(vectors, "_POOL_ROWS", pool_rows)
    embedder = StaticEmbedder.default()
    texts = [t.strip() for d in heldout_lines for t in d if t.strip()] + ODD_LINES + [""]
    assert len(texts) > 2 * 256
    for chunk in (texts, texts[:300], texts[-5:]):
        assert np.array_equal(vectors.line_vectors(chunk, embedder), embedder.embed(chunk))
    # the words met in a block are numbered as met, each learnt once
    pieces = vectors._READERS[embedder]
    assert not pieces.words.new and pieces._slots == len(pieces.words)


def reference_log_odds(m, x: np.ndarray) -> np.ndarray:
    """The trees walked as first written: each row down each tree from the saved arrays
    (left and right children, float64 thresholds, NaN to ``missing_left``), the leaves'
    values summed as a row-major walk sums them."""
    x = np.asarray(x, dtype=np.float64)
    leaves = np.zeros((len(x), len(m.roots)))
    for r, row in enumerate(x):
        for t, node in enumerate(m.roots.tolist()):
            while not m.is_leaf[node]:
                v = row[m.feature[node]]
                left = bool(m.missing_left[node]) if np.isnan(v) else v <= m.threshold_[node]
                node = int(m.left[node] if left else m.right[node])
            leaves[r, t] = m.value[node]
    return m.baseline + leaves.sum(axis=1)


def test_the_trees_walked_from_the_roots_columns_give_the_reference_log_odds(heldout_lines):
    """The walk reads the roots' columns, then gathers by node with ``take``: the same leaves
    and the same sums as one row down one tree at a time, NaN rows and float64 rows too."""
    fast = default_model()
    x = fast_rows(fast, heldout_lines[:4])[:300]
    odd = np.where(np.random.default_rng(2).random(x.shape) < 0.05, np.nan, x)
    for rows in (x, odd, x.astype(np.float64), x[:1]):
        assert np.array_equal(fast.log_odds(rows), reference_log_odds(fast, rows))


@pytest.mark.parametrize(
    "text",
    ["", "plain words", "tab\there", "bell\x07", "del\x7f", "nbsp\u00a0", "é", "~ !", "line\n"]
    + [chr(c) for c in range(0x100)],
)
def test_printable_ascii_is_read_without_the_regex_as_with_it(text):
    """The word-piece reader's test for printable ASCII (``isascii`` and ``isprintable``)
    agrees with the pattern it replaced on every ASCII and Latin-1 character."""
    assert vectors._printable(text) == bool(re.fullmatch("[ -~]*", text))
