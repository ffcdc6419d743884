"""The socialscan_claims spaCy component, found through the spacy_factories entry point."""

from __future__ import annotations

import spacy


def test_component_tags_a_blank_pipeline():
    nlp = spacy.blank("en")
    nlp.add_pipe("socialscan_claims")
    doc = nlp("Lovely morning.\nOur new app plans your week for you. Give it a try!")
    assert {c.label for c in doc._.claims} == {"product_plug"}  # one claim per sentence carrying it
    labels = [s._.claim_label for s in doc.sents]
    assert labels[0] is None and "product_plug" in labels


def test_component_pipe_matches_call():
    nlp = spacy.blank("en")
    nlp.add_pipe("socialscan_claims")
    texts = [
        "Give it a try!",
        "The match was great.",
        "We never sell your personal data to anyone.",
    ]
    piped = [[c.label for c in d._.claims] for d in nlp.pipe(texts)]
    called = [[c.label for c in nlp(t)._.claims] for t in texts]
    assert piped == called == [["product_plug"], [], ["privacy_statement"]]


def test_component_config_names_the_model():
    nlp = spacy.blank("en")
    nlp.add_pipe("socialscan_claims", config={"model": "zero-shot"})
    assert nlp.get_pipe("socialscan_claims").tagger.model is None
    nlp = spacy.blank("en")
    nlp.add_pipe("socialscan_claims")
    assert nlp.get_pipe("socialscan_claims").cfg["model"] == "default"
    assert nlp.get_pipe("socialscan_claims").tagger.model is not None


def test_component_config_round_trips(tmp_path):
    nlp = spacy.blank("en")
    nlp.add_pipe("socialscan_claims", config={"threshold": 0.9})
    restored = spacy.blank("en")
    restored.add_pipe("socialscan_claims")
    restored.get_pipe("socialscan_claims").from_bytes(nlp.get_pipe("socialscan_claims").to_bytes())
    assert restored.get_pipe("socialscan_claims").cfg["threshold"] == 0.9

    nlp.to_disk(tmp_path / "pipe")
    loaded = spacy.load(tmp_path / "pipe")
    assert loaded.pipe_names == ["socialscan_claims"]
    assert loaded.get_pipe("socialscan_claims").cfg == nlp.get_pipe("socialscan_claims").cfg
    assert [c.label for c in loaded("Give it a try!")._.claims] == [
        c.label for c in nlp("Give it a try!")._.claims
    ]


def test_extensions_are_registered_once():
    from socialscan.claims.spacy_component import register_extensions

    register_extensions()
    register_extensions()
    assert spacy.tokens.Doc.has_extension("claims") and spacy.tokens.Span.has_extension(
        "claim_label"
    )
