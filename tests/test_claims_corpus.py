"""The labelled claims corpus: pointers not text where the licence says so, no reserved post, a
fixed split, labels that follow the readings, and enough of each label to learn from."""

from __future__ import annotations

from collections import Counter
from pathlib import Path

import orjson
import pytest

from socialscan.claims.corpus import read_corpus, resolve_pointers, split_of, text_key

ROOT = Path(__file__).resolve().parents[1]
CORPUS = ROOT / "corpora" / "claims.jsonl"
LABELS = ["finetuning_advice", "product_plug", "privacy_statement", "self_promotion"]


@pytest.fixture(scope="module")
def rows():
    return [orjson.loads(x) for x in CORPUS.read_bytes().splitlines() if x.strip()]


@pytest.fixture(scope="module")
def corpus(shared_data):
    return read_corpus(CORPUS, shared_data)


def test_chatgpt_tweets_are_stored_as_pointers_never_as_text(rows):
    chatgpt = [r for r in rows if r["pointer"].startswith("chatgpt-tweets/")]
    assert len(chatgpt) > 5000
    assert not any("text" in r for r in chatgpt)
    assert all("#row=" in r["pointer"] and r.get("date") for r in chatgpt)


def test_no_reserved_post_and_no_copy_of_one_is_in_the_corpus(rows, corpus, shared_data):
    reserved = []
    for line in (shared_data / "RESERVED.tsv").read_text(encoding="utf-8").splitlines():
        if line and not line.startswith("#"):
            src, pos = line.split("\t")
            reserved.append(f"{src}#{'row' if src.endswith('.csv') else 'line'}={int(pos)}")
    assert not set(reserved) & {r["pointer"] for r in rows}
    reserved_keys = {text_key(t) for t in resolve_pointers(reserved, shared_data).values()}
    assert not reserved_keys & {text_key(t) for t in corpus.texts}


def test_the_split_is_the_stable_hash_of_each_text(rows, corpus):
    assert [r["split"] for r in rows] == [split_of(t) for t in corpus.texts]
    shares = Counter(r["split"] for r in rows)
    assert 0.55 < shares["train"] / len(rows) < 0.65 and shares["test"] > 1500


def test_each_post_was_read_twice_and_disagreements_thrice(rows):
    for r in rows:
        reads = r["readings"]
        assert set(r["labels"]) <= set(LABELS)
        if r["decided"] == "agreed":
            assert len(reads) == 2 and reads[0] == reads[1] == r["labels"]
        else:
            assert r["decided"] == "third" and len(reads) == 3 and reads[0] != reads[1]
            majority = sorted(x for x in LABELS if sum(x in rd for rd in reads) >= 2)
            assert r["labels"] == majority


def test_the_corpus_is_large_with_every_label_represented(rows):
    assert len(rows) >= 4000
    support = Counter(lab for r in rows for lab in r["labels"])
    for label in ("finetuning_advice", "product_plug", "self_promotion"):
        assert support[label] >= 150
    assert support["privacy_statement"] >= 60  # as many as the data holds: see corpora/claims.md
    random = sum(r["selection"].startswith(("random", "dev400-random")) for r in rows)
    assert 0.4 < random / len(rows) < 0.65
    assert {r["pointer"].split("/")[0] for r in rows} == {
        "chatgpt-tweets",
        "twarc-jsonl",
        "tweeteval",
    }


def test_pointers_resolve_to_the_posts_text(shared_data):
    texts = resolve_pointers(
        ["tweeteval/emotion/test_text.txt#line=1", "chatgpt-tweets/Africa.csv#row=0"], shared_data
    )
    first_line = (shared_data / "tweeteval/emotion/test_text.txt").read_text().split("\n")[0]
    assert texts["tweeteval/emotion/test_text.txt#line=1"] == first_line  # verbatim: "&amp;"
    assert texts["chatgpt-tweets/Africa.csv#row=0"].startswith("That NEW BING!")
