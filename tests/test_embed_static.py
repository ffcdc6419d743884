"""What embedders can do is stated by each of them, and the static model reads local files only."""

from __future__ import annotations

import numpy as np
import pytest

from socialscan.claims import ClaimModel, get_tagger
from socialscan.embed import HashingEmbedder, StaticEmbedder, as_embedder
from socialscan.embed.cache import CachedEmbedder
from socialscan.errors import InputNotFound


class Plain:
    """A user's embedder: a name, a dimension and embed(), nothing more."""

    name, dim = "plain", 8

    def embed(self, texts):
        return np.ones((len(texts), self.dim), np.float32) / np.sqrt(self.dim)


@pytest.mark.parametrize(
    ("embedder", "contextual", "fork_safe", "word_pooled", "fingerprint"),
    [
        (HashingEmbedder(dim=16), False, True, False, "hashing-16"),
        (StaticEmbedder.default(), False, True, True, "static-256"),
        (as_embedder(Plain()), False, True, False, "plain-8"),
        (CachedEmbedder(Plain(), directory="/nonexistent"), False, True, False, "plain-8"),
    ],
    ids=["hashing", "static", "plain", "cached-plain"],
)
def test_each_embedder_states_its_abilities(
    embedder, contextual, fork_safe, word_pooled, fingerprint
):
    assert (embedder.contextual, embedder.fork_safe, embedder.word_pooled) == (
        contextual,
        fork_safe,
        word_pooled,
    )
    assert embedder.fingerprint == fingerprint


def test_a_plain_embedder_is_adopted_and_one_with_abilities_kept_as_it_is():
    adopted = as_embedder(Plain())
    assert adopted.embed(["a", "b"]).shape == (2, 8)
    static = StaticEmbedder.default()
    assert as_embedder(static) is static


def test_the_tagger_forks_only_when_its_embedder_and_model_may():
    assert get_tagger().fork_safe
    assert get_tagger(embedder=Plain(), model=None).fork_safe
    assert ClaimModel.default().fork_safe
    assert not ClaimModel.accurate().fork_safe  # MiniLM in ONNX Runtime runs a thread pool


def test_a_missing_static_model_directory_is_an_error_not_a_download(tmp_path):
    with pytest.raises(InputNotFound, match="no such model2vec model directory"):
        StaticEmbedder(tmp_path / "sentence-transformers" / "all-MiniLM-L6-v2")


def test_a_weighted_static_model_sums_each_words_pieces_as_model2vec_encodes_them(tmp_path):
    # a model2vec model with per-token weights takes model2vec's own per-word vectors
    from model2vec import StaticModel

    shipped = StaticEmbedder.default().model
    weights = np.linspace(0.5, 1.5, len(shipped.embedding)).astype(np.float32)
    StaticModel(
        vectors=np.asarray(shipped.embedding, np.float32),
        tokenizer=shipped.tokenizer,
        weights=weights,
        normalize=False,
    ).save_pretrained(tmp_path / "weighted")
    weighted = StaticEmbedder(tmp_path / "weighted")
    assert weighted.model.weights is not None
    words = ["fine", "tuning", "cloudsurfer", "@openai", "🧵", "", "https"]
    sums, counts = weighted.piece_sums(words)
    assert counts.tolist()[-2] == 0 and (sums[-2] == 0).all()
    has = counts > 0
    assert has.sum() >= 4
    expected = weighted.model.encode(words, normalize=False)[has]
    np.testing.assert_allclose(sums[has] / counts[has, None], expected, rtol=0, atol=1e-2)
