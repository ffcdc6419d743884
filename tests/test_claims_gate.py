"""The claim gate: posts that cannot hold a claim skip spaCy, and no claim is ever lost.

The gate only decides which posts go through spaCy for the zero-shot scorer (the labels no
trained model knows); posts that pass are tagged exactly as the spaCy component tags them. These
tests compare the gated zero-shot tagger with the ungated one and with the component on real
posts (400 of the labelled corpus and the seed), so a gate that wrongly drops a post, or a fast
path that drifts from spaCy's sentencizer, fails here.
"""

from __future__ import annotations

import functools
from pathlib import Path

import numpy as np
import pytest
import spacy

from socialscan.claims.encoder import SpanEncoder
from socialscan.claims.gate import ClaimGate, approximate_sentences
from socialscan.claims.sentences import content_sentences, set_line_boundaries, set_sentences
from socialscan.claims.tagger import ClaimTagger

ROOT = Path(__file__).resolve().parents[1]
CORPUS = ROOT / "corpora" / "claims.jsonl"
SHARED_DATA = ROOT.parent / "shared" / "data"
SEED = ROOT / "corpora" / "seed_dump.txt"


@functools.cache
def dev_texts() -> list[str]:
    """400 real posts of the labelled corpus: every labelled dev post, then unlabelled ones."""
    from socialscan.claims.corpus import read_corpus

    dev = read_corpus(CORPUS, SHARED_DATA).part("dev")
    labelled = [t for t, g in zip(dev.texts, dev.labels, strict=True) if g]
    rest = [t for t, g in zip(dev.texts, dev.labels, strict=True) if not g]
    return (labelled + rest)[:400]


def get_tagger(**kw):
    """The zero-shot scorer (the gate's tagger), whatever the default model."""
    from socialscan.claims import get_tagger as tagger

    return tagger(model=None, **kw)


def seed_units() -> list[str]:
    lines = SEED.read_text(encoding="utf-8").split("\n")
    spans = [(1, 27), (28, 30), (31, 32), (33, 33), (34, 35), (36, 38), (39, 39), (40, 42)]
    return ["\n".join(lines[a - 1 : b]) for a, b in spans]


def as_dicts(claims):
    return [[c.to_dict() for c in cs] for cs in claims]


def test_gated_tagging_equals_ungated_on_the_dev_set_and_the_seed():
    tagger = get_tagger()
    texts = dev_texts() + seed_units()
    gated = tagger.tag_texts(texts, workers=1)
    assert as_dicts(gated) == as_dicts(tagger.tag_texts(texts, workers=1, gate=False))
    assert sum(map(bool, gated)) >= 60  # the dev set has claims to lose


def test_the_gate_skips_most_posts_but_never_one_with_a_claim():
    tagger = get_tagger()
    texts = dev_texts()
    keep = tagger.gate.candidates(texts)
    claims = tagger.tag_texts(texts, workers=1, gate=False)
    assert all(keep[i] for i, cs in enumerate(claims) if cs)
    assert keep.mean() < 0.5


@pytest.mark.parametrize(
    ("text", "candidate"),
    [
        ("Give it a try!", True),
        ("We never store your chats.", True),
        ("Here are the 5 hacks I use to grow my followers:", True),
        ("Fine-tuning beats prompting when you have a clean labelled dataset.", True),
        ("Nice weather today.", False),
        ("lol #ChatGPT https://t.co/abc123", False),
        ("", False),
        ("😂😂 1234", False),
    ],
)
def test_gate_candidates(text, candidate):
    assert bool(get_tagger().gate.candidates([text])[0]) is candidate


def test_the_gate_is_off_where_its_bound_does_not_hold():
    from socialscan.embed import HashingEmbedder

    tagger = ClaimTagger(embedder=HashingEmbedder())
    assert tagger.gate is None and not ClaimGate.applies_to(tagger)
    assert [c.label for c in tagger.tag_texts(["Give it a try!"])[0]] == ["product_plug"]


def test_spacy_component_gives_the_gated_taggers_claims():
    nlp = spacy.blank("en")
    nlp.add_pipe("socialscan_claims", config={"model": "zero-shot"})
    texts = dev_texts()[:150] + seed_units()
    from_component = [[c.to_dict() for c in d._.claims] for d in nlp.pipe(texts)]
    assert from_component == as_dicts(get_tagger().tag_texts(texts, workers=1))


def test_spacy_component_gives_the_models_claims():
    from socialscan.claims import get_tagger as default_tagger

    nlp = spacy.blank("en")
    nlp.add_pipe("socialscan_claims")
    texts = dev_texts()[:150] + seed_units()
    from_component = [[c.to_dict() for c in d._.claims] for d in nlp.pipe(texts)]
    assert from_component == as_dicts(default_tagger().tag_texts(texts, workers=1))
    assert sum(map(bool, from_component)) >= 30


@pytest.mark.parametrize(
    "text",
    [
        "Hi! Wow... ok.\nNext",
        'Yes?! "No." she said. e.g. this. U.S. is 3.5. gpt-3.5.',
        "line one\n\n  line two!!!\n",
        "end.Next sentence😂Another one.🤣🤣 #AI https://t.co/x.",
        "   ",
        "!",
        "",
    ],
)
def test_set_sentences_matches_the_sentencizer_and_line_breaks(text):
    nlp = spacy.blank("en")
    sentencizer = nlp.add_pipe("sentencizer")
    expected = sentencizer(nlp.make_doc(text))
    set_line_boundaries(expected)
    got = set_sentences(nlp.make_doc(text))
    assert [t.is_sent_start for t in got] == [t.is_sent_start for t in expected]


def test_set_sentences_matches_the_sentencizer_on_real_posts():
    nlp = spacy.blank("en")
    sentencizer = nlp.add_pipe("sentencizer")
    for text in dev_texts():
        expected = sentencizer(nlp.make_doc(text))
        set_line_boundaries(expected)
        got = set_sentences(nlp.make_doc(text))
        assert [s.text for s in content_sentences(got)] == [
            s.text for s in content_sentences(expected)
        ]


def test_approximate_sentences_split_like_the_sentencizer():
    sents = approximate_sentences("Great tool.Try it now! 😂 #AI\nhttps://t.co/x\n:)")
    assert [" ".join(s) for s in sents] == [
        "great tool .",
        "try it now !",
        "😂 # ai",
        "https : / / t . co / x",
    ]


def test_the_word_cache_starts_afresh_when_full_and_gives_the_same_vectors(monkeypatch):
    import socialscan.claims.encoder as encoder

    tagger = get_tagger()
    nlp = spacy.blank("en")
    spans = [d[:] for d in nlp.pipe(dev_texts()[:60])]
    expected = SpanEncoder(tagger.embedder).encode(spans)
    monkeypatch.setattr(encoder, "MAX_CACHED_WORDS", 400)
    small = SpanEncoder(tagger.embedder)
    got = np.vstack([small.encode(spans[i : i + 10]) for i in range(0, len(spans), 10)])
    assert small._n <= 400
    np.testing.assert_array_equal(got, expected)


def test_plain_words_split_into_the_tokenizers_word_pieces():
    # link ids and rare words skip the Rust tokenizer; their pieces must not change
    import random
    import string

    embedder = get_tagger().embedder
    rnd = random.Random(3)
    alphabet = string.ascii_lowercase + string.digits
    words = ["".join(rnd.choice(alphabet) for _ in range(rnd.randint(1, 30))) for _ in range(3000)]
    words += [w.lower() for text in dev_texts() for w in text.split()]
    words += ["a" * 100, "a" * 101, "", "straße", "naïve", "fine-tuning", "x1", "##ing"]
    tokenizer = embedder.model.tokenizer
    expected = [e.ids for e in tokenizer.encode_batch_fast(words, add_special_tokens=False)]
    assert embedder.piece_ids(words) == expected


def test_the_gate_scans_a_batch_as_it_scans_each_post():
    # posts are joined for one scan; a post holding the join mark makes the batch go post by post
    gate = get_tagger().gate
    texts = dev_texts()[:200] + seed_units()
    batch = gate.similarity_bounds(texts)
    one_by_one = np.vstack([gate.similarity_bounds([t]) for t in texts])
    # (the matrix products may round differently with the batch's size)
    np.testing.assert_allclose(batch, one_by_one, rtol=0, atol=1e-4)
    marked = gate.similarity_bounds(["Give it a try!\x00 We never sell your data."])
    assert np.isfinite(marked).all()


TRICKY = [
    "Checkout is broken. Check out our app!",
    "I cannot believe it.\nGet 50% off today",
    'She said "Unlock it." Then: "unlock the pro plan"',
    "wow!! 😂 grab it now",
    "We hit 10k followers and 1,200 subscribers; ten thousand readers, 3rd course",
    "5 tips: 7-hacks, fingertips, 12 secrets",
    "gonna fine-tune it.Fine tuning beats prompting",
    "my email id. Our new webinar",
    "_Try it out_ (download)",
    "  Join us\n\n  try it now",
]


@pytest.mark.parametrize("text", TRICKY)
def test_the_cue_bound_is_never_below_the_cues_spacy_matches(text):
    # the cue check is tightened with word edges, sentence starts and number tests: it must
    # still hold wherever spaCy's PhraseMatcher and Matcher match
    tagger = get_tagger()
    doc = next(tagger.docs([text]))
    exact = tagger.features([doc[:]]).cue[0]
    assert (tagger.gate.cue_bounds([text])[0] >= exact - 1e-6).all()


def test_word_edges_drop_cues_inside_longer_words():
    bound = get_tagger().gate.cue_bounds
    assert (
        bound(["checkout the fingertips gamechanger"]).sum()
        < bound(["check out the tips game changer"]).sum()
    )
