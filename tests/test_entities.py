"""Entity extraction reads like twitter-text: (text, expected) tables."""

import pytest

from socialscan import entities as ent


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
    ],
)
def test_links(text, expected):
    assert ent.extract_links(text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("@ChloeMaal Nice to see", ["ChloeMaal"]),
        ("mail me at x@y.com", []),
        ("cc @a_b, @c and @a_b", ["a_b", "c"]),
        ("https://x.com/@notahandle", []),
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
