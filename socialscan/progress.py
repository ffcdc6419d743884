"""Progress on a terminal, silence when piped or quiet (never inside the library's results)."""

from __future__ import annotations

import contextlib
import sys
from collections.abc import Iterator


class _Null:
    def advance(self, n: int = 1) -> None:  # noqa: D102
        pass

    def stage(self, name: str) -> None:  # noqa: D102
        pass


class _Rich:
    def __init__(self, progress, label: str):
        self.progress = progress
        self.task = progress.add_task(label, total=None)

    def advance(self, n: int = 1) -> None:
        self.progress.advance(self.task, n)

    def stage(self, name: str) -> None:
        self.progress.update(self.task, description=name)


def enabled(quiet: bool = False) -> bool:
    """Progress shows only on an interactive stderr and without ``--quiet``."""
    return not quiet and sys.stderr.isatty()


@contextlib.contextmanager
def progress(label: str, quiet: bool = False) -> Iterator[_Null | _Rich]:
    """A spinner with a count and elapsed time on stderr, or a silent stand-in.

    Examples:
        >>> with progress("parsing", quiet=True) as bar:
        ...     bar.advance()
    """
    if not enabled(quiet):
        yield _Null()
        return
    from rich.console import Console
    from rich.progress import MofNCompleteColumn, Progress, SpinnerColumn, TextColumn, TimeElapsedColumn

    with Progress(
        SpinnerColumn(),
        TextColumn("{task.description}"),
        MofNCompleteColumn(),
        TimeElapsedColumn(),
        console=Console(stderr=True),
        transient=True,
    ) as p:
        yield _Rich(p, label)
