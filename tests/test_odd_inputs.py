"""Any input that parses also scans, tags, topic-models and reports: odd inputs a new user tries."""

from __future__ import annotations

import pytest
from click.testing import CliRunner
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from socialscan.cli import main


@pytest.fixture(autouse=True)
def cache_dir(tmp_path, monkeypatch):
    monkeypatch.setenv("SOCIALSCAN_CACHE_DIR", str(tmp_path / "cache"))


@pytest.mark.parametrize("text", ["hello\n", "a" * 1000 + "\n", "hello\nhello\nhello\n"])
@pytest.mark.parametrize("command", ["scan", "topics", "report"])
def test_a_one_word_vocabulary_scans_topic_models_and_reports(tmp_path, text, command):
    path = tmp_path / "x.txt"
    path.write_text(text)
    args = [command, str(path)] + (["-o", str(tmp_path / "x.html")] if command == "report" else [])
    r = CliRunner().invoke(main, args)
    assert r.exit_code == 0, r.output
    assert "internal error" not in r.output


# -- the whole scan on odd inputs (hypothesis) -------------------------------------------------

WORD = st.from_regex(r"[A-Za-z]{1,20}", fullmatch=True)
EMOJI = st.sampled_from(["🙂", "🔥", "👍🏽", "🇫🇷", "❤️", "👩‍💻", "🤖", "✨"])
URL = st.from_regex(r"https://(t\.co|example\.org)/[A-Za-z0-9]{1,12}", fullmatch=True)
HANDLE = st.from_regex(r"@[A-Za-z0-9_]{1,15}", fullmatch=True)
SCRIPTS = st.text(
    alphabet=st.characters(
        whitelist_categories=("Lu", "Ll", "Lo", "Nd", "Zs", "Po", "So"),
        blacklist_characters="\r\n\x0b\x0c\x1c\x1d\x1e\x85\u2028\u2029",
    ),
    min_size=1,
    max_size=80,
)


def _joined(parts, sep=" "):
    return st.lists(parts, min_size=1, max_size=8).map(sep.join)


POST = st.one_of(
    WORD,  # one word
    _joined(EMOJI, ""),  # all emoji
    _joined(URL),  # all URLs
    _joined(HANDLE),  # only handles
    st.tuples(_joined(WORD), st.sampled_from(["  ", "\t", " \u00a0 ", "\u3000"])).map(
        lambda t: t[1].join(t[0].split(" "))
    ),  # odd whitespace between words
    st.tuples(WORD, st.integers(1_000, 30_000)).map(lambda t: (t[0] + " ") * (t[1] // 8)),
    SCRIPTS,  # mixed scripts: Latin, CJK, Arabic, Cyrillic, ...
)
INPUT = st.one_of(
    st.lists(POST, min_size=1, max_size=10),
    st.tuples(POST, st.integers(2, 12)).map(lambda t: [t[0]] * t[1]),  # every record identical
)


def check_scans(tmp_path, posts: list[str], format: str) -> None:
    """Whatever parses also tags, topic-models and reports: a frame row per record, a summary,
    and an HTML file; no exception."""
    import socialscan
    from socialscan.report.terminal import format_plain

    path = tmp_path / "odd.txt"
    path.write_text("\n".join(posts) + "\n", encoding="utf-8")
    records = socialscan.parse(path, format=format)
    report = tmp_path / "odd.html"
    result = socialscan.scan(path, format=format, topic_embedder="static", report=report)
    assert len(result.frame) == len(records)
    assert report.read_text(encoding="utf-8").lstrip().lower().startswith("<!doctype html")
    assert format_plain(result.summary()).splitlines()[0]
    if len(records) and result.topic_table is not None:
        assert result.frame["topic"].notna().all()


@settings(
    max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(posts=INPUT, format=st.sampled_from(["lines", "dump"]))
def test_odd_inputs_scan_tag_topic_model_and_report(tmp_path, posts, format):
    check_scans(tmp_path, posts, format)


@pytest.mark.slow
@settings(
    max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(posts=INPUT, format=st.sampled_from(["lines", "dump", "auto"]))
def test_odd_inputs_scan_thoroughly(tmp_path, posts, format):
    check_scans(tmp_path, posts, format)


# -- what one huge post costs is bounded -------------------------------------------------------

PLUG = "Try our new course on fine tuning LLMs, link in bio, use code SAVE20 today "


def test_a_huge_post_is_tagged_on_its_first_analysed_chars_in_bounded_sentences():
    from socialscan.claims import tag_texts
    from socialscan.claims.sentences import MAX_SENTENCE_TOKENS
    from socialscan.records import ANALYSED_CHARS

    huge = PLUG * (1_000_000 // len(PLUG))  # 1 MB, no sentence-final character, no line break
    (claims,) = tag_texts([huge])
    assert claims, "the plug is found in the part read"
    assert max(c.end for c in claims) <= ANALYSED_CHARS
    assert all(huge[c.start : c.end] == c.text for c in claims)
    assert max(len(c.text.split()) for c in claims) <= MAX_SENTENCE_TOKENS


def test_topic_terms_of_a_huge_post_come_from_its_first_analysed_chars():
    from socialscan.records import ANALYSED_CHARS
    from socialscan.topics import fit_topics

    head = "running shoes cushioning " * (ANALYSED_CHARS // 25 + 10)
    posts = [head + " zebracorn" * 1000, "running shoes for the road", "new road running shoes"]
    result = fit_topics(posts, embedder="hashing", nr_topics=1, cache=False)
    terms = " ".join(" ".join(t) for t in result.table["terms"])
    assert "running" in terms and "zebracorn" not in terms


def test_scan_says_which_records_were_read_in_part(tmp_path):
    import socialscan

    path = tmp_path / "huge.txt"
    path.write_text("word " * 60_000 + "\nA short post about running shoes\n")
    result = socialscan.scan(path, format="lines", topic_embedder="static")
    assert len(result.frame) == 2 and len(result.frame["text"][0]) == 300_000
    assert any("1 record longer than 25,000 characters" in n for n in result.notes)
