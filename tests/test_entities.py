"""Entity extraction reads like twitter-text: (text, expected) tables."""

import re

import pytest

from socialscan.text import entities as ent
from socialscan.text import patterns


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("see https://t.co/abc.", ["https://t.co/abc"]),
        (
            "wiki https://en.wikipedia.org/wiki/Foo_(bar) ok",
            ["https://en.wikipedia.org/wiki/Foo_(bar)"],
        ),
        ("(www.example.com/path)", ["www.example.com/path"]),
        ("no links here", []),
        # bare, as X displays links: its truncation mark is not part of the link
        ("pic.twitter.com/AbCdEf123", ["pic.twitter.com/AbCdEf123"]),
        ("code: github.com/openai/evals… and t.co/AbC1", ["github.com/openai/evals", "t.co/AbC1"]),
        (
            "try x.ai or huggingface.co, then bbc.co.uk/news.",
            ["x.ai", "huggingface.co", "bbc.co.uk/news"],
        ),
        # not links: file names, a missing space, an e-mail address, a hashtag, a path
        ("edit config.py and main.rs", []),
        ("Node.js/Deno and e.g. GPT-3.5", []),
        ("it works.So good", []),
        ("mail bob@gmail.com", []),
        ("#Fetch.ai is up", []),
        ("/home/me/site.com", []),
    ],
)
def test_links(text, expected):
    assert ent.extract_links(text) == expected


@pytest.mark.parametrize(
    ("line", "expected"),
    [
        ("https://t.co/gGdaM0KWsx", True),
        ("pic.twitter.com/AbC x.com/sama/status/1", True),
        ("github.com/openai/evals…", True),
        ("openai.com is down", False),
        ("config.py", False),
    ],
)
def test_url_only_lines_include_bare_links(line, expected):
    assert ent.is_url_only(line) is expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("@ChloeMaal Nice to see", ["ChloeMaal"]),
        ("mail me at x@y.com", []),
        ("cc @a_b, @c and @a_b", ["a_b", "c"]),
        ("https://x.com/@notahandle", []),
        ("medium.com/@notahandle/post by @ann", ["ann"]),
        # a fediverse handle is one handle; an X handle glued to "@word" is none
        ("congrats @Gargron@mastodon.social.", ["Gargron@mastodon.social"]),
        ("cc @sama@OpenAI and @a@b", []),
    ],
)
def test_mentions(text, expected):
    assert ent.extract_mentions(text) == expected


@pytest.mark.parametrize(
    ("text", "tags", "cash"),
    [
        ("#AI is #1 #ChatGPT", ["AI", "ChatGPT"], []),
        ("$TSLA and $5 and $BRK.B", [], ["TSLA", "BRK.B"]),
        ("https://t.co/x#frag", [], []),
    ],
)
def test_hashtags_and_cashtags(text, tags, cash):
    assert ent.extract_hashtags(text) == tags
    assert ent.extract_cashtags(text) == cash


def test_emojis_keep_sequences_whole():
    assert ent.extract_emojis("ship 🚀 it 👍🏽 🤷‍♂️") == ["🚀", "👍🏽", "🤷‍♂️"]


@pytest.mark.parametrize(
    ("line", "url_only"),
    [
        ("https://t.co/gGdaM0KWsx", True),
        ("  https://t.co/a https://t.co/b ", True),
        ("read https://t.co/a", False),
    ],
)
def test_url_only_lines(line, url_only):
    assert ent.is_url_only(line) is url_only


def test_leading_handles_only_at_start():
    assert ent.leading_handles("@a @b thanks!") == ["a", "b"]
    assert ent.leading_handles("thanks @a") == []
    assert ent.leading_handles("@a @evan@cosocial.ca hi") == ["a", "evan@cosocial.ca"]


# --- the fast paths give what the one-purpose functions and the emoji library give ---

from hypothesis import given, settings  # noqa: E402
from hypothesis import strategies as st  # noqa: E402

_EMOJI_BITS = [
    "🚀",
    "👍",
    "🏽",
    "\u200d",
    "\ufe0f",
    "\ufe0e",
    "♂",
    "🤷",
    "1",
    "#",
    "*",
    "\u20e3",
    "🇫",
    "🇷",
    "🏴",
    "\U000e0067",
    "\U000e0062",
    "\U000e007f",
    "👩",
    "💻",
    "©",
    "é",
    " ",
    "a",
    "@",
    "x",
]


@settings(max_examples=300, deadline=None)
@given(st.lists(st.sampled_from(_EMOJI_BITS), max_size=16).map("".join))
def test_emoji_runs_match_a_whole_text_scan(text):
    import emoji

    if ent._EMOJI_HINT.search(text):
        assert ent.extract_emojis(text) == [e["emoji"] for e in emoji.emoji_list(text)]


def test_emoji_runs_match_a_whole_text_scan_on_real_tweets(shared_data):
    import emoji

    text = (shared_data / "tweeteval" / "emoji" / "test_text.txt").read_text(errors="replace")
    for line in text.splitlines()[:3000]:
        if not line.isascii() and ent._EMOJI_HINT.search(line):
            assert ent.extract_emojis(line) == [e["emoji"] for e in emoji.emoji_list(line)]


_TEXT_BITS = [
    "@ann",
    " ",
    "＠bo",
    "#AI",
    "＃tag",
    "$TSLA",
    "$5",
    "https://t.co/x",
    "www.X.org",
    "WWW.y.io",
    "x.com/a",
    "pic.twitter.com/b…",
    "openai.com",
    "Node.js",
    "it.So",
    "x@y.com",
    "é",
    "🚀",
    ".",
    ",",
    "/",
    "#1",
    "$BRK.B",
    "a_b",
    "\t",
    "&amp;",
    "&gt;",
    "&#64;",
    "RT @ann:",
]


@settings(max_examples=300, deadline=None)
@given(st.lists(st.sampled_from(_TEXT_BITS), max_size=12).map("".join))
def test_post_entities_and_the_lines_reader_agree_with_the_one_purpose_functions(text):
    from socialscan.readers.lines import BlockCounts, line_records, read_lines_format
    from socialscan.readers.stats import ParseStats

    want = (
        ent.extract_links(text),
        ent.extract_mentions(text),
        ent.extract_hashtags(text),
        ent.extract_cashtags(text),
        ent.extract_emojis(text),
    )
    assert ent.post_entities(text) == want
    if text.strip():
        (rec,) = line_records([text], 5, "k", BlockCounts())
        (post,) = read_lines_format(iter([(5, text)]), "src", ParseStats(), "k")
        assert rec == (
            post.id,
            post.kind,
            post.text,
            post.line_start,
            post.links,
            post.mentions,
            post.hashtags,
            post.cashtags,
            post.emojis,
            post.reply_to,
            post.is_retweet,
            None,
        )
        if "&" not in text:
            assert post.links == want[0] and post.mentions == want[1]


# the patterns as first written (look-behind first); the sigil-first ones must match the same
_OLD_PATTERNS = {
    "MENTION_RE": re.compile(rf"(?<![\w@＠!#$%&*/])[@＠]({patterns.HANDLE})", re.ASCII),
    "HASHTAG_RE": re.compile(r"(?<![\w&#＃/])[#＃](\w*[^\W\d_]\w*)"),
    "CASHTAG_RE": re.compile(r"(?<![\w$/])\$([A-Za-z]{1,6}(?:[._][A-Za-z]{1,2})?)(?![\w$])"),
}


@settings(max_examples=400, deadline=None)
@given(st.text(alphabet="@＠#＃$&*/!%_.-aZé1 ٣x\n", max_size=20))
def test_sigil_first_patterns_match_the_look_behind_first_ones(text):
    for name, old in _OLD_PATTERNS.items():
        assert getattr(patterns, name).findall(text) == old.findall(text), name
