"""Progress on a terminal, silence when piped or quiet (never inside the library's results)."""

from __future__ import annotations

import contextlib
import sys
import time
from collections.abc import Callable, Iterator
from typing import Any

#: Seconds a counting display waits before it shows: a short run prints nothing extra.
DELAY = 1.0
#: Redraws a second at most (rich redraws on its own thread too, so a stall still ticks).
REFRESH_PER_SECOND = 10
#: The display's clock (the tests run it faster than the wall clock).
clock: Callable[[], float] = time.monotonic


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
        redirect_stdout=False,  # stdout holds the records (CSV through sys.stdout, not the bar)
    ) as p:
        bar = _Rich(p, label)
        yield bar
        if getattr(bar, "_stage_start", None) is not None:
            bar.stage(None)


def _clock() -> float:
    return clock()


def _duration(seconds: float) -> str:
    """``0:07``, ``12:30``, ``1:02:03``."""
    m, s = divmod(int(seconds + 0.5), 60)
    h, m = divmod(m, 60)
    return f"{h}:{m:02d}:{s:02d}" if h else f"{m}:{s:02d}"


def _rate(task: Any) -> float | None:
    """Units a second since the display began: steady over a run that moves in bursts (the
    segmenter decides a block of lines, then hands out its posts), where a window of recent
    samples would swing."""
    elapsed = task.elapsed
    if not elapsed or not task.completed:
        return None
    return task.completed / elapsed


class _Counting:
    """A count of ``unit`` against an optional total, its rate and the time left, drawn by
    rich once the run has lasted :data:`DELAY` seconds (never for a short one), cleared at the
    end so that the summary line follows as when piped."""

    def __init__(self, label: str, total: int | None, unit: str):
        from rich.console import Console
        from rich.progress import Progress, ProgressColumn, SpinnerColumn, TextColumn
        from rich.text import Text

        class Count(ProgressColumn):
            def render(self, task: Any) -> Text:
                done = f"{int(task.completed):,}"
                if task.total is not None:
                    done += f"/{int(task.total):,}"
                return Text(f"{done} {unit}")

        class Rate(ProgressColumn):
            def render(self, task: Any) -> Text:
                rate = _rate(task)
                shown = "-" if not rate else f"{rate:,.0f}" if rate >= 10 else f"{rate:.1f}"
                return Text(f"{shown} {unit}/s", style="dim")

        class Left(ProgressColumn):
            def render(self, task: Any) -> Text:
                if task.total is None:  # stdin: no end to count down to
                    return Text("")
                rate = _rate(task)
                left = max(0.0, task.total - task.completed)
                return Text(f"ETA {_duration(left / rate) if rate else '-:--'}", style="cyan")

        self.progress = Progress(
            SpinnerColumn(),
            TextColumn("{task.description}"),
            Count(),
            Rate(),
            Left(),
            console=Console(stderr=True),
            transient=True,
            redirect_stdout=False,  # stdout holds the records
            refresh_per_second=REFRESH_PER_SECOND,
            get_time=_clock,
        )
        self.task = self.progress.add_task(label, total=total)
        self.begun = _clock()
        self.shown = False
        self.drawn = self.begun

    def advance(self, n: int = 1) -> None:
        """Count ``n`` more; show the display once :data:`DELAY` seconds have passed."""
        self.progress.advance(self.task, n)
        now = _clock()
        if not self.shown:
            if now - self.begun < DELAY:
                return
            self.shown = True
            self.progress.start()
        if now - self.drawn >= 1 / REFRESH_PER_SECOND:
            self.drawn = now
            self.progress.refresh()

    def stage(self, name: str | None) -> None:  # noqa: D102 - one count, no stages
        pass

    def close(self) -> None:
        """Clear the line (when it was ever shown)."""
        if self.shown:
            self.progress.stop()


@contextlib.contextmanager
def counting(
    label: str, quiet: bool = False, total: int | None = None, unit: str = "lines"
) -> Iterator[Silent | _Counting]:
    """``label 52,000/208,749 lines 8,356 lines/s ETA 0:18`` on stderr, or a silent stand-in.

    The display waits :data:`DELAY` seconds before it shows and is cleared at the end; without
    a ``total`` (stdin) it shows the count and rate, no ETA. Piped or ``quiet``, it writes
    nothing at all.

    Examples:
        >>> with counting("parsing", quiet=True, total=10) as bar:
        ...     bar.advance(4)
    """
    if not enabled(quiet):
        yield Silent()
        return
    bar = _Counting(label, total, unit)
    try:
        yield bar
    finally:
        bar.close()
