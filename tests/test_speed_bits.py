"""Small per-line speed-ups of the fast segmenter give the same bits as the code they replaced.

``stems`` (lexical cohesion's words) reads ASCII lines with an ASCII pattern; the word-piece
splitter (:mod:`socialscan.embed.wordpiece`) tries only the lengths a piece can have. The
plainer first ``stems`` is kept here as the reference and the tokenizer itself is the word
pieces' one; on real tweets (the chatgpt dump's and TweetEval's lines), hostile lines and
hypothesis text, the new code must give exactly what the reference gives. The static model is
built from its files without model2vec's hub client; it must be the model ``from_pretrained``
loads.
"""

from __future__ import annotations

import re
import subprocess
import sys

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from socialscan.embed.static import STATIC_MODEL_DIR, StaticEmbedder, _local_model
from socialscan.embed.wordpiece import WordPieces
from socialscan.segment.vectors import _WORD as _BERT_WORD
from socialscan.text import entities as ent
from socialscan.text.stems import STEM, stems
from training.segments.sources import chatgpt_posts

_REFERENCE_WORD = re.compile(r"(?<![@＠\w])[^\W\d_]{3,}")


def reference_stems(text: str) -> set[str]:
    """``stems`` as first written: one Unicode pattern for every line."""
    return {w[:STEM] for w in _REFERENCE_WORD.findall(ent.without_links(text).lower())}


@pytest.fixture(scope="module")
def real_lines(shared_data) -> list[str]:
    """Lines of real tweets: the chatgpt-tweets posts' (as a dump holds them) and TweetEval's."""
    posts = chatgpt_posts(sorted((shared_data / "chatgpt-tweets").glob("*.csv")))
    lines = [t for p in posts[:20000] for t in p.splitlines()]
    for path in sorted((shared_data / "tweeteval").glob("*/train_text.txt")):
        lines += path.read_text(encoding="utf-8").splitlines()[:5000]
    return lines


HOSTILE = [
    "",
    "Ünïcödé wörds and ÉCOLE",
    "İstanbul KELVIN Kelvin sign: K",  # lower() turns both into ASCII letters
    "ǅemal ﬁne ﬂow straße",  # title-case digraph, ligatures
    "x²yz abc½def ٣abc abc٣def",  # numeric letters and a non-ASCII digit inside words
    "@handle ＠fullwidth @ünï abc@def.com and_more _under 1abc a1bcd",
    "café au lait — naïve — résumé",
    "日本語のテキスト mixed with english words",
    "Привет мир hello world",
    "emoji 🚀🚀 rocket🚀launch",
    "links https://t.co/abcDEF and www.example.com/path and github.com/a/b kept out",
    "tabs\tand\nnewlines\x0bvt and \u00a0nbsp\u2028sep",
    "a" * 300,
    "#FineTuning #GPT4 #AI2024 word",
]


def test_stems_are_the_reference_stems_on_real_and_hostile_lines(real_lines):
    lines = real_lines + HOSTILE
    assert len(lines) > 50000
    assert any(not t.isascii() for t in lines) and any(t.isascii() for t in lines)
    for t in lines:
        assert stems(t) == reference_stems(t), t


def test_stems_of_a_non_ascii_letter_read_it_as_a_letter():
    assert stems("naïve café résumé") == {"naïve", "café", "résumé"}
    assert stems("x²yz 2abc _abc") == {"x²yz"}  # '²' is a letter here, digits and '_' are not
    assert stems("Kelvin") == {"kelvin"}  # KELVIN SIGN lower-cases to ASCII "k"


@settings(max_examples=400, deadline=None)
@given(
    st.lists(
        st.sampled_from(
            list("abcXYZ019_@＠#/.: \n\t-'’éÉß²٣ǅK🚀日") + ["https://", "t.co", "www."]
        ),
        max_size=40,
    ).map("".join)
)
def test_stems_are_the_reference_stems_on_generated_text(text):
    assert stems(text) == reference_stems(text)


@settings(max_examples=300, deadline=None)
@given(st.text(max_size=40))
def test_stems_are_the_reference_stems_on_any_text(text):
    assert stems(text) == reference_stems(text)


@pytest.fixture(scope="module")
def tokenizer():
    return StaticEmbedder.default().model.tokenizer


def tokenizer_pieces(tokenizer, words: list[str]) -> list[list[int]]:
    return [e.ids for e in tokenizer.encode_batch_fast(words, add_special_tokens=False)]


def test_word_pieces_are_the_tokenizers_on_every_word_of_real_tweets(tokenizer, real_lines):
    pieces = WordPieces(tokenizer)
    assert pieces.fast
    words = sorted({w for t in real_lines for w in _BERT_WORD.findall(t.lower())})
    assert len(words) > 30000
    # rare words (link ids, names) split into several pieces, some into unknown ones
    got = pieces.ids(words)
    assert sum(len(p) > 2 for p in got) > 1000
    assert got == tokenizer_pieces(tokenizer, words)


LONG_AND_ODD = [
    "a" * 100,  # the longest word the tokenizer splits
    "a" * 101,  # one more: unknown
    "x",
    "1",
    "zz",
    "qqqqqqqqqqzxqj",
    "gggaaaa9999",
    "unaffable",
    "tokenization",
    "antidisestablishmentarianism",
    "0123456789",
    "gggdaam0kwsx",
]


def test_word_pieces_are_the_tokenizers_on_long_and_odd_words(tokenizer):
    assert WordPieces(tokenizer).ids(LONG_AND_ODD) == tokenizer_pieces(tokenizer, LONG_AND_ODD)


@settings(max_examples=300, deadline=None)
@given(
    st.lists(
        st.text(alphabet="abcdefghijklmnopqrstuvwxyz0123456789", min_size=1, max_size=24)
        | st.text(alphabet="etaoinshrdlu", min_size=1, max_size=14)
        | st.text(min_size=1, max_size=6).filter(str.strip),
        min_size=1,
        max_size=20,
    )
)
def test_word_pieces_are_the_tokenizers_on_generated_words(tokenizer, words):
    words = [w for w in words if w.strip() == w and " " not in w] or ["x"]
    assert WordPieces(tokenizer).ids(words) == tokenizer_pieces(tokenizer, words)


def same_model(a, b) -> bool:
    """Every attribute of two ``StaticModel``s equal: arrays bit for bit, the tokenizer's JSON."""
    if set(vars(a)) != set(vars(b)) or a.tokenizer.to_str() != b.tokenizer.to_str():
        return False
    for k, x in vars(a).items():
        y = vars(b)[k]
        if k == "tokenizer":
            continue
        if isinstance(x, np.ndarray) or isinstance(y, np.ndarray):
            if not (isinstance(x, np.ndarray) and isinstance(y, np.ndarray)):
                return False
            if x.dtype != y.dtype or not np.array_equal(x, y):
                return False
        elif x != y:
            return False
    return True


def test_the_shipped_static_model_is_the_one_from_pretrained_loads(real_lines):
    from model2vec import StaticModel

    ours, theirs = StaticEmbedder.default().model, StaticModel.from_pretrained(STATIC_MODEL_DIR)
    assert same_model(ours, theirs)
    lines = real_lines[:3000]
    assert np.array_equal(ours.encode(lines), theirs.encode(lines))


def test_a_weighted_model_directory_loads_as_from_pretrained_loads_it(tmp_path):
    from model2vec import StaticModel

    shipped = StaticEmbedder.default().model
    weights = np.linspace(0.5, 1.5, len(shipped.embedding)).astype(np.float32)
    StaticModel(
        vectors=np.asarray(shipped.embedding, np.float32),
        tokenizer=shipped.tokenizer,
        weights=weights,
        normalize=True,
        max_length=128,
    ).save_pretrained(tmp_path / "weighted")
    # with a model card, from_pretrained reads it (names and languages): left to it
    assert (tmp_path / "weighted" / "README.md").exists()
    assert _local_model(tmp_path / "weighted") is None
    (tmp_path / "weighted" / "README.md").unlink()
    ours = _local_model(tmp_path / "weighted")
    assert ours is not None and ours.weights is not None and ours.max_length == 128
    assert same_model(ours, StaticModel.from_pretrained(tmp_path / "weighted"))


def test_loading_the_static_model_imports_no_hub_client():
    code = (
        "import sys; from socialscan.embed.static import StaticEmbedder; StaticEmbedder.default(); "
        "print(sorted({m.split('.')[0] for m in sys.modules} & {'huggingface_hub', 'torch'}))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"
