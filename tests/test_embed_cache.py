"""The embedding cache: each text is embedded once, across instances and processes."""

from __future__ import annotations

import numpy as np
import pytest

from socialscan.embed import HashingEmbedder
from socialscan.embed.cache import CachedEmbedder, cache_root


class Counting(HashingEmbedder):
    """A hashing embedder that counts the texts it really embeds."""

    def __init__(self):
        super().__init__(dim=16)
        self.calls: list[str] = []

    def embed(self, texts):
        self.calls += list(texts)
        return super().embed(texts)


@pytest.fixture(autouse=True)
def cache_dir(tmp_path, monkeypatch):
    monkeypatch.setenv("SOCIALSCAN_CACHE_DIR", str(tmp_path / "cache"))
    return tmp_path / "cache"


def test_the_cache_lives_where_the_environment_says(cache_dir):
    assert cache_root() == cache_dir
    cached = CachedEmbedder(Counting())
    cached.embed(["one post"])
    assert cached.directory == cache_dir / "embeddings" / "hashing-16"
    assert list(cached.directory.glob("*.keys.npy"))


def test_vectors_match_the_embedder_and_repeats_are_embedded_once():
    inner = Counting()
    cached = CachedEmbedder(inner)
    texts = ["fine tuning LLMs", "running shoes", "fine tuning LLMs"]
    got = cached.embed(texts)
    np.testing.assert_array_equal(got, HashingEmbedder(dim=16).embed(texts))
    assert inner.calls == ["fine tuning LLMs", "running shoes"]
    cached.embed(["running shoes", "a new one"])
    assert inner.calls[2:] == ["a new one"]
    assert (cached.hits, cached.misses) == (1, 3)  # rows served from disk, texts embedded


def test_a_second_instance_reads_what_the_first_wrote():
    CachedEmbedder(Counting()).embed(["topics then report", "same corpus"])
    inner = Counting()
    again = CachedEmbedder(inner).embed(["same corpus", "topics then report"])
    assert inner.calls == []
    np.testing.assert_array_equal(
        again, HashingEmbedder(dim=16).embed(["same corpus", "topics then report"])
    )


def test_a_damaged_shard_is_ignored_and_re_embedded(cache_dir):
    cached = CachedEmbedder(Counting())
    cached.embed(["a post"])
    for f in cached.directory.glob("*.vecs.npy"):
        f.write_bytes(b"not an array")
    inner = Counting()
    out = CachedEmbedder(inner).embed(["a post"])
    assert inner.calls == ["a post"]
    assert out.shape == (1, 16)


def test_empty_input_gives_an_empty_matrix():
    assert CachedEmbedder(Counting()).embed([]).shape == (0, 16)
