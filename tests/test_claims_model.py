"""The trained claims model: files without pickle, calibrated scores, sentence-level claims
with evidence, product names and disclosure, and a save / load round trip."""

from __future__ import annotations

import numpy as np
import pytest
import spacy

from socialscan.claims import ClaimModel, get_tagger, load_model, tag_texts
from socialscan.claims.attributes import products
from socialscan.claims.fit import new_model
from socialscan.claims.model import DEFAULT_MODEL_DIR
from socialscan.claims.post_features import disclosed, post_features
from socialscan.claims.stacked import StackedModel
from socialscan.export.atomic import atomic_directory

LABELS = ["finetuning_advice", "product_plug", "privacy_statement", "self_promotion"]


def test_the_shipped_model_is_json_and_safetensors_only():
    names = {p.name for p in DEFAULT_MODEL_DIR.iterdir()}
    assert {"model.json", "head.safetensors"} <= names
    files = [p for p in DEFAULT_MODEL_DIR.rglob("*") if p.is_file()]
    assert files and all(p.suffix in (".json", ".safetensors") for p in files)
    m = ClaimModel.default()
    assert m.labels == LABELS and m.info["test_macro_f1"] > 0.5
    assert all(0.15 <= t <= 0.85 for t in m.thresholds)


def test_scores_are_probabilities_and_labels_follow_the_thresholds():
    m = ClaimModel.default()
    texts = ["Sign up now and get 30% off your first month!", "Rainy day at the beach.", ""]
    p = m.predict(texts)
    assert p.shape == (3, 4) and ((p >= 0) & (p <= 1)).all()
    assert (m.decide(p) == (p >= m.thresholds)).all()
    assert p[0, LABELS.index("product_plug")] > 0.5 > p[1].max()


def test_entities_are_read_decoded_as_the_model_was_trained():
    m = ClaimModel.default()
    a = m.predict(["Q&amp;A session: sign up &amp; get 20% off"])
    b = m.predict(["Q&A session: sign up & get 20% off"])
    assert np.allclose(a, b)


def test_a_claim_points_at_its_sentence_with_the_models_evidence():
    text = "Big news today.\nTry our new app, it writes your emails for you. Download it free!"
    (claims,) = tag_texts([text])
    plug = [c for c in claims if c.label == "product_plug"]
    assert plug
    for c in plug:
        assert text[c.start : c.end] == c.text and c.text != "Big news today."
        assert 0 <= c.evidence["sentence_score"] <= 1 and c.evidence["model"].startswith("ngrams")
        assert isinstance(c.evidence["terms"], list)
        assert c.score >= ClaimModel.default().thresholds[LABELS.index("product_plug")]
        assert c.attributes["disclosed"] is False


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Loving these headphones #ad", True),
        ("Loving these headphones #Sponsored", True),
        ("In paid partnership with @brand: our new serum", True),
        ("Grab it here (affiliate link): https://t.co/x", True),
        ("Loving these headphones, get yours now", False),
        ("I read an ad about it and was not impressed", False),
        ("#adhd life hacks", False),
    ],
)
def test_disclosure_of_a_plug(text, expected):
    assert disclosed(text) is expected


@pytest.mark.parametrize(
    ("text", "names"),
    [
        (
            "On Running deliver the best cushioning for road running. Their latest Gen "
            "CloudSurfer are amazingly light - combined with their very comfortable Cloud "
            "stratus for interval training",
            ["On Running", "Gen CloudSurfer", "Cloud stratus"],
        ),
        ("Your personal GenAI assistant featuring LLM and deep app links. Give it a try", []),
        ("Amazing tool! Try Notion AI today", ["Notion AI"]),
        ("ChatGPT is great, but try Perplexity for search", ["ChatGPT", "Perplexity"]),
    ],
)
def test_a_plug_names_its_products_precisely(text, names):
    assert products(spacy.blank("en")(text)[:]) == names


def test_zero_shot_alone_is_one_argument_away():
    tagger = get_tagger(model=None)
    assert tagger.model is None
    assert [c.label for c in tagger.tag_texts(["Give it a try, sign up today!"])[0]] == [
        "product_plug"
    ]


def test_post_features_see_the_posts_shape():
    f = dict(
        zip(
            ["links", "handles", "hashtags", "reply", "thread_mark"],
            post_features(["@ann 1/ a thread 🧵 #ai https://t.co/x"])[0][:5].tolist(),
            strict=True,
        )
    )
    assert f["reply"] == 1.0 and f["thread_mark"] == 1.0
    assert all(f[k] > 0 for k in ("links", "handles", "hashtags"))


def small_model(tmp_path=None):
    give = ["Retweet to win a free phone!", "Giveaway: follow and RT to win", "Win a bike, RT!"]
    other = ["Nice weather today", "The train is late", "Dinner was great", "Reading a book"]
    texts = (give + other) * 4
    y = np.array([[t in give] for t in texts])
    return new_model(["giveaway"], texts, y, texts, y, directory=tmp_path), texts


def test_a_model_saved_and_loaded_scores_the_same(tmp_path):
    m, texts = small_model()
    with atomic_directory(tmp_path / "m") as d:
        m.save(d)
    back = ClaimModel.load(tmp_path / "m")
    assert np.allclose(back.predict(texts), m.predict(texts))
    assert back.predict(["RT to win a free phone"])[0, 0] > back.predict(["Reading today"])[0, 0]


def test_a_users_model_is_stacked_on_the_shipped_one(tmp_path):
    m, _ = small_model()
    m.save(tmp_path / "m")
    stacked = load_model(tmp_path / "m")
    assert isinstance(stacked, StackedModel) and stacked.labels == ["giveaway", *LABELS]
    p = stacked.predict(["We never sell your personal data to anyone."])
    assert p[0, stacked.labels.index("privacy_statement")] >= stacked.thresholds[3]


def test_a_failed_save_leaves_no_directory(tmp_path):
    with pytest.raises(RuntimeError), atomic_directory(tmp_path / "m") as d:
        (d / "half.json").write_text("{")
        raise RuntimeError("interrupted")
    assert list(tmp_path.iterdir()) == []


def test_a_model_directory_that_is_not_one_is_a_clear_error(tmp_path):
    from socialscan.errors import MalformedInput

    (tmp_path / "model.json").write_text('{"format": "something else"}')
    (tmp_path / "head.safetensors").write_bytes(b"")
    with pytest.raises(MalformedInput, match="not a socialscan claims model"):
        ClaimModel.load(tmp_path)
