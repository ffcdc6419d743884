"""Progress on a terminal, silence when piped or quiet (never inside the library's results)."""

from __future__ import annotations

import contextlib
import sys
from collections.abc import Iterator


class Silent:
    """A progress display that shows nothing: the default of every API function that takes one."""

    def advance(self, n: int = 1) -> None:  # noqa: D102
        pass

    def stage(self, name: str | None) -> None:  # noqa: D102
        pass


class _Rich:
    def __init__(self, progress, label: str):
        self.progress = progress
        self.task = progress.add_task(label, total=None)

    def advance(self, n: int = 1) -> None:
        self.progress.advance(self.task, n)

    def stage(self, name: str | None) -> None:
        """Start stage ``name`` (``None``: finish); a finished stage stays as a line with its time."""
        import time

        now = time.perf_counter()
        if getattr(self, "_stage_start", None) is not None:
            desc = self.progress.tasks[0].description
            done = int(self.progress.tasks[0].completed)
            count = f" {done:,} records" if done else ""
            self.progress.console.print(
                f"[green]✓[/green] {desc}{count} [dim]{now - self._stage_start:.1f} s[/dim]",
                highlight=False,
            )
        self._stage_start = now if name else None
        if name:
            self.progress.reset(self.task, description=name)


def enabled(quiet: bool = False) -> bool:
    """Progress shows only on an interactive stderr and without ``--quiet``."""
    return not quiet and sys.stderr.isatty()


@contextlib.contextmanager
def progress(label: str, quiet: bool = False) -> Iterator[Silent | _Rich]:
    """A spinner with a count and elapsed time on stderr, or a silent stand-in.

    Examples:
        >>> with progress("parsing", quiet=True) as bar:
        ...     bar.advance()
    """
    if not enabled(quiet):
        yield Silent()
        return
    from rich.console import Console
    from rich.progress import (
        MofNCompleteColumn,
        Progress,
        SpinnerColumn,
        TextColumn,
        TimeElapsedColumn,
    )

    with Progress(
        SpinnerColumn(),
        TextColumn("{task.description}"),
        MofNCompleteColumn(),
        TimeElapsedColumn(),
        console=Console(stderr=True),
        transient=True,
    ) as p:
        bar = _Rich(p, label)
        yield bar
        if getattr(bar, "_stage_start", None) is not None:
            bar.stage(None)
