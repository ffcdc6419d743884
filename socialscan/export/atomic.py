"""Write to a temporary file beside the target, rename on success: no half-written outputs."""

from __future__ import annotations

import contextlib
import os
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import IO

from ..errors import UnwritableOutput


@contextlib.contextmanager
def atomic_path(path: str | os.PathLike[str]) -> Iterator[Path]:
    """A temporary path next to ``path`` for writers that want a file name (pyarrow, plotly).

    On clean exit the temporary file replaces ``path``; on any exception it is removed.

    Raises:
        UnwritableOutput: the directory does not exist or cannot be written.
    """
    with atomic_output(path, "wb") as fh:
        fh.close()
        yield Path(fh.name_path)  # type: ignore[attr-defined]


@contextlib.contextmanager
def atomic_output(path: str | os.PathLike[str], mode: str = "wb") -> Iterator[IO]:
    """Open a temporary file next to ``path``; on clean exit it replaces ``path``.

    On any exception (or KeyboardInterrupt) the temporary file is removed and ``path`` is
    left as it was.

    Raises:
        UnwritableOutput: the directory does not exist or cannot be written.

    Examples:
        >>> import tempfile, pathlib
        >>> d = pathlib.Path(tempfile.mkdtemp())
        >>> with atomic_output(d / "out.txt", "w") as fh:
        ...     _ = fh.write("done")
        >>> (d / "out.txt").read_text()
        'done'
    """
    target = Path(path)
    parent = target.parent if str(target.parent) else Path(".")
    if target.is_dir():
        raise UnwritableOutput(f"{path}: is a directory")
    if not parent.is_dir():
        raise UnwritableOutput(f"{path}: directory {parent} does not exist")
    try:
        fd, tmp = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".part", dir=parent)
    except OSError as e:
        raise UnwritableOutput(f"{path}: cannot write ({e.strerror or e})") from None
    kwargs = {"encoding": "utf-8", "newline": ""} if "b" not in mode else {}
    try:
        with os.fdopen(fd, mode, **kwargs) as fh:
            fh.name_path = tmp  # type: ignore[attr-defined]
            yield fh
        os.chmod(tmp, 0o644)
        os.replace(tmp, target)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        raise


@contextlib.contextmanager
def atomic_directory(path: str | os.PathLike[str]) -> Iterator[Path]:
    """A temporary directory next to ``path``; on clean exit it replaces ``path``.

    For outputs that are several files (a trained model): a failed run leaves ``path`` as it
    was, and a reader never sees half of the files.

    Raises:
        UnwritableOutput: the parent directory does not exist or cannot be written, or ``path``
            is a file.

    Examples:
        >>> import tempfile, pathlib
        >>> d = pathlib.Path(tempfile.mkdtemp()) / "model"
        >>> with atomic_directory(d) as tmp:
        ...     _ = (tmp / "a.json").write_text("{}")
        >>> sorted(p.name for p in d.iterdir())
        ['a.json']
    """
    import shutil

    target = Path(path)
    parent = target.parent if str(target.parent) else Path(".")
    if target.exists() and not target.is_dir():
        raise UnwritableOutput(f"{path}: is a file")
    if not parent.is_dir():
        raise UnwritableOutput(f"{path}: directory {parent} does not exist")
    try:
        tmp = Path(tempfile.mkdtemp(prefix=f".{target.name}.", suffix=".part", dir=parent))
    except OSError as e:
        raise UnwritableOutput(f"{path}: cannot write ({e.strerror or e})") from None
    try:
        yield tmp
        os.chmod(tmp, 0o755)
        if target.exists():
            old = Path(tempfile.mkdtemp(prefix=f".{target.name}.", suffix=".old", dir=parent))
            os.replace(target, old / "x")
            os.replace(tmp, target)
            shutil.rmtree(old, ignore_errors=True)
        else:
            os.replace(tmp, target)
    except BaseException:
        shutil.rmtree(tmp, ignore_errors=True)
        raise
