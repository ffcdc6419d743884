"""MiniLM int8 through ONNX Runtime: exported once from the packaged weights, no torch at run time."""

from __future__ import annotations

import os
import subprocess
import sys

import numpy as np
import pytest

from socialscan.embed import get_embedder
from socialscan.embed.minilm_onnx import OnnxMiniLMEmbedder, export_onnx, onnx_model_path
from socialscan.topics.embedders import AUTO_MINILM_MAX, resolve_embedder

os.environ.setdefault("HF_HUB_OFFLINE", "1")

POSTS = [
    "Fine-tuning a small LLM on my own support tickets",
    "We fine-tuned a small language model on our support tickets",
    "My new running shoes have great cushioning",
    "",
    "privacy " * 400,  # longer than 128 tokens: truncated, not an error
]


@pytest.fixture(scope="module")
def onnx() -> OnnxMiniLMEmbedder:
    return get_embedder("minilm-onnx")  # exports the model on the first run on a machine


def test_unit_rows_that_group_by_meaning(onnx):
    X = onnx.embed(POSTS)
    assert onnx.name == "minilm-onnx" and onnx.contextual
    assert X.shape == (len(POSTS), 384) and X.dtype == np.float32
    np.testing.assert_allclose(np.linalg.norm(X, axis=1), 1.0, rtol=1e-5)
    assert X[0] @ X[1] > X[0] @ X[2] + 0.2  # two fine-tuning posts beat fine-tuning vs shoes


def test_a_posts_vector_depends_on_its_text_alone(onnx):
    together = onnx.embed(POSTS)
    np.testing.assert_array_equal(onnx.embed(POSTS), together)
    np.testing.assert_array_equal(onnx.embed(POSTS[::-1])[::-1], together)
    alone = np.vstack([onnx.embed([post]) for post in POSTS])
    np.testing.assert_array_equal(alone, together)  # int8 scales would follow batch mates


class CountingSession:
    """The embedder's ONNX session, counting its forward passes."""

    def __init__(self, session):
        self.session, self.runs = session, 0

    def run(self, *args, **kwargs):
        self.runs += 1
        return self.session.run(*args, **kwargs)


def test_repeated_lines_run_once_and_get_the_bits_they_get_alone(onnx, monkeypatch):
    # a copied timeline: the app's words and counts come back under every post, and the
    # uncased vocabulary reads "Reply" and "REPLY" as the same tokens
    lines = [
        "This post is unavailable.",
        "Reply",
        "12",
        POSTS[0],
        "This post is unavailable.",
        "reply",
        "12",
        "REPLY",
        POSTS[2],
        "Reply",
    ]
    alone = {t: onnx.embed([t])[0] for t in set(lines)}
    counting = CountingSession(onnx.session)
    monkeypatch.setattr(onnx, "session", counting)
    together = onnx.embed(lines)
    assert counting.runs == 5  # unavailable, reply, 12 and the two posts
    np.testing.assert_array_equal(together, np.vstack([alone[t] for t in lines]))
    np.testing.assert_array_equal(together[1], together[7])


def test_the_embedding_cache_is_named_for_what_the_vectors_depend_on(onnx, tmp_path, monkeypatch):
    from socialscan.embed.cache import CachedEmbedder

    monkeypatch.setenv("SOCIALSCAN_CACHE_DIR", str(tmp_path))
    cached = CachedEmbedder(onnx)
    assert cached.directory.name == onnx.fingerprint
    assert onnx.path.stem in onnx.fingerprint  # a new export never reads an older one's vectors
    np.testing.assert_array_equal(cached.embed(POSTS[:2]), onnx.embed(POSTS[:2]))
    np.testing.assert_array_equal(cached.embed(POSTS[1:3]), onnx.embed(POSTS[1:3]))


def test_stays_close_to_the_float_model(onnx):
    fp32 = get_embedder("minilm")
    a, b = onnx.embed(POSTS[:3]), fp32.embed(POSTS[:3])
    assert (a * b).sum(1).min() > 0.85
    assert not np.allclose(a, b, atol=1e-3)  # the int8 kernels really are in use


def test_no_texts_no_rows(onnx):
    assert onnx.embed([]).shape == (0, 384)


def test_the_session_is_loaded_on_first_use_with_the_same_vectors(onnx):
    # the dump pool's parent makes an embedder and hands the pieces to workers: no session
    fresh = OnnxMiniLMEmbedder(threads=1)
    assert fresh._session is None
    np.testing.assert_array_equal(fresh.embed(POSTS[:3]), onnx.embed(POSTS[:3]))
    assert fresh._session is not None


def test_the_cached_model_is_named_for_its_sources_and_found_again(onnx):
    assert onnx.path == onnx_model_path()
    assert onnx.path.is_file() and onnx.path.stat().st_size > 10_000_000


def test_model_dir_follows_its_own_variable(tmp_path, monkeypatch):
    monkeypatch.setenv("SOCIALSCAN_MODEL_DIR", str(tmp_path))
    assert onnx_model_path().parent == tmp_path


def test_auto_picks_onnx_minilm_for_small_corpora_and_static_for_large():
    assert resolve_embedder("auto", cache=False, n=40).name == "minilm-onnx"
    assert resolve_embedder("auto", cache=False, n=AUTO_MINILM_MAX).name == "minilm-onnx"
    assert resolve_embedder("auto", cache=False, n=AUTO_MINILM_MAX + 1).name == "static"


def test_embedding_and_topics_never_import_torch(onnx):
    code = (
        "import sys\n"
        "from socialscan.topics import fit_topics\n"
        "posts = ['running shoes', 'new running shoes', 'api privacy', 'privacy of api data']\n"
        "r = fit_topics(posts, embedder='minilm-onnx', nr_topics=2, cache=False)\n"
        "assert r.topics[0] == r.topics[1] and r.topics[2] == r.topics[3], r.topics\n"
        "print(sorted(m for m in ('torch', 'transformers', 'umap', 'numba') if m in sys.modules))\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"


@pytest.mark.slow
def test_export_writes_a_loadable_file_atomically(tmp_path, onnx):
    path = export_onnx(tmp_path / "minilm.onnx")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["minilm.onnx"]
    again = OnnxMiniLMEmbedder(path=path)
    np.testing.assert_allclose(again.embed(POSTS[:3]), onnx.embed(POSTS[:3]), atol=1e-4)


def test_models_command_says_what_is_ready_and_prepare_exports_only_what_is_missing(
    tmp_path, monkeypatch, onnx
):
    from click.testing import CliRunner

    import socialscan.embed.minilm_onnx as minilm_onnx
    from socialscan.cli import main

    monkeypatch.setenv("SOCIALSCAN_MODEL_DIR", str(tmp_path))

    def status() -> dict[str, str]:
        out = CliRunner().invoke(main, ["models"])
        assert out.exit_code == 0
        return {
            line.split()[0]: line.split()[1] for line in out.output.splitlines() if line[:1].strip()
        }

    assert status() == {"static": "ready", "minilm-onnx": "missing", "minilm": "ready"}
    exports = []  # the real export is the slow test above; here the machine's copy is linked in

    def export(dest=None):
        exports.append(dest)
        os.symlink(onnx.path, onnx_model_path())
        return onnx_model_path()

    monkeypatch.setattr(minilm_onnx, "export_onnx", export)
    for _ in range(2):
        prepared = CliRunner().invoke(main, ["models", "--prepare", "--quiet"])
        assert prepared.exit_code == 0 and prepared.output == ""
    assert len(exports) == 1 and status()["minilm-onnx"] == "ready"
