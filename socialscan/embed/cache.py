"""An on-disk embedding cache keyed by text and embedder, so no corpus is embedded twice.

Vectors live under the user cache directory (``platformdirs``; the environment variable
``SOCIALSCAN_CACHE_DIR`` overrides it), one folder per embedder (its ``fingerprint``), as shards of
two ``.npy`` files: ``<shard>.keys.npy`` (hex digests of the texts) and ``<shard>.vecs.npy``
(float32 rows). Shards are written to a temporary name and renamed (vectors first, keys last, so
a shard without keys is ignored) and never modified, so several processes can share the cache.
Nothing is unpickled: arrays are loaded with ``allow_pickle=False``.
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import tempfile
from collections.abc import Sequence
from pathlib import Path

import numpy as np

from .base import BaseEmbedder, Embedder, as_embedder

#: Environment variable naming the cache root (tests point it at a temporary directory).
CACHE_ENV = "SOCIALSCAN_CACHE_DIR"


def cache_root() -> Path:
    """The socialscan cache directory: ``$SOCIALSCAN_CACHE_DIR`` or the platform's user cache.

    Examples:
        >>> from unittest import mock
        >>> with mock.patch.dict(os.environ, {"SOCIALSCAN_CACHE_DIR": "/tmp/ss-cache"}):
        ...     str(cache_root())
        '/tmp/ss-cache'
    """
    env = os.environ.get(CACHE_ENV)
    if env:
        return Path(env)
    from platformdirs import user_cache_dir

    return Path(user_cache_dir("socialscan"))


def text_key(text: str) -> bytes:
    """The 32-hex-digit key of a text (blake2b-128 of its UTF-8 bytes)."""
    return (
        hashlib.blake2b(text.encode("utf-8", "surrogatepass"), digest_size=16).hexdigest().encode()
    )


def _save_npy_atomic(path: Path, array: np.ndarray) -> None:
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".part", dir=path.parent)
    try:
        with os.fdopen(fd, "wb") as fh:
            np.save(fh, array, allow_pickle=False)
        os.replace(tmp, path)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        raise


class CachedEmbedder(BaseEmbedder):
    """Wrap an embedder so that each distinct text is embedded once, ever.

    Args:
        embedder: Any :class:`~socialscan.embed.Embedder` (its abilities are the cache's).
        directory: Where to keep vectors [default: ``cache_root()/embeddings/<fingerprint>``,
            the embedder's ``fingerprint``: what its vectors depend on].

    Examples:
        >>> import tempfile
        >>> from socialscan.embed import HashingEmbedder
        >>> cached = CachedEmbedder(HashingEmbedder(dim=8), directory=tempfile.mkdtemp())
        >>> first = cached.embed(["a post", "another post"])
        >>> again = cached.embed(["another post"])
        >>> bool((first[1] == again[0]).all()), cached.misses
        (True, 2)
    """

    def __init__(self, embedder: Embedder, directory: str | os.PathLike[str] | None = None):
        inner = as_embedder(embedder)
        self.embedder = embedder
        self.name: str = inner.name
        self.dim: int = int(inner.dim)
        self.contextual: bool = inner.contextual
        self.fork_safe: bool = inner.fork_safe
        self._fingerprint = inner.fingerprint
        if directory is None:
            directory = cache_root() / "embeddings" / self._fingerprint
        self.directory = Path(directory)
        self.hits = 0
        self.misses = 0
        self._index: dict[bytes, tuple[int, int]] = {}
        self._shards: list[np.ndarray] = []
        self._seen: set[str] = set()

    @property
    def fingerprint(self) -> str:
        return self._fingerprint

    def _refresh(self) -> None:
        """Index shards written since the last look (by this or another process)."""
        if not self.directory.is_dir():
            return
        for keys_path in sorted(self.directory.glob("*.keys.npy")):
            stem = keys_path.name[: -len(".keys.npy")]
            if stem in self._seen:
                continue
            try:
                keys = np.load(keys_path, allow_pickle=False)
                vecs = np.load(
                    self.directory / f"{stem}.vecs.npy", mmap_mode="r", allow_pickle=False
                )
            except (OSError, ValueError):
                continue  # unreadable or foreign file: ignore it, it will be re-embedded
            if vecs.ndim != 2 or vecs.shape != (len(keys), self.dim):
                continue
            self._seen.add(stem)
            shard = len(self._shards)
            self._shards.append(vecs)
            for row, key in enumerate(keys.tolist()):
                self._index.setdefault(key, (shard, row))

    def _write(self, keys: list[bytes], vecs: np.ndarray) -> None:
        try:
            self.directory.mkdir(parents=True, exist_ok=True)
            digest = hashlib.blake2b(b"".join(keys), digest_size=12).hexdigest()
            stem = f"shard-{digest}"
            _save_npy_atomic(self.directory / f"{stem}.vecs.npy", vecs.astype(np.float32))
            _save_npy_atomic(self.directory / f"{stem}.keys.npy", np.array(keys, dtype="S32"))
        except OSError:
            return  # a read-only or full cache only costs speed, never a result

    def embed(self, texts: Sequence[str]) -> np.ndarray:
        """Rows for ``texts`` (L2-normalised float32), from the cache where present."""
        out = np.zeros((len(texts), self.dim), dtype=np.float32)
        if len(texts) == 0:
            return out
        self._refresh()
        keys = [text_key(t) for t in texts]
        missing: dict[bytes, list[int]] = {}
        for i, key in enumerate(keys):
            hit = self._index.get(key)
            if hit is None:
                missing.setdefault(key, []).append(i)
            else:
                out[i] = self._shards[hit[0]][hit[1]]
        self.hits += len(texts) - sum(len(v) for v in missing.values())
        if missing:
            new_keys = list(missing)
            vecs = np.asarray(
                self.embedder.embed([texts[missing[k][0]] for k in new_keys]), np.float32
            )
            self.misses += len(new_keys)
            for key, row in zip(new_keys, vecs, strict=True):
                out[missing[key]] = row
            self._write(new_keys, vecs)
        return out
