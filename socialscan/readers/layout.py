"""Whether plain text is one post a line or a raw dump: the ``lines`` / ``dump`` choice of
``format="auto"``.

Both are plain text, so no first bytes tell them apart. Reading one-post-a-line text (a
TweetEval ``*_text.txt``, a column of tweets saved as text) as a dump merges unrelated posts
wherever two neighbours read alike (5-20% of the lines of TweetEval's files) and takes some
twenty times as long; reading a dump as lines cuts every multi-line post into pieces. So the
boundary model that splits dumps is asked, on a sample of the file: where it finds nearly
every line a post of its own, and is almost nowhere sure that a line goes on the one above,
the file is one post a line.

The sample is up to :data:`WINDOW_LINES` non-blank lines at the start, the middle and the end
of the file (a whole small file). It is read as one post a line when

- it holds at least :data:`MIN_LINES` lines (fewer: a short paste, read as a dump),
- blank lines are at most :data:`MAX_BLANK` of its lines (dumps use them between and inside
  posts; the dump reader reads them),
- no line carries a scraper's stamp (a date, an author) that the dump reader would read, and
- the boundary model puts a boundary at :data:`MIN_BOUNDARIES` of the gaps or more, and at
  most :data:`MAX_SURE_JOINS` of them are joins it is sure of (``p`` under
  :data:`SURE_JOIN`): a link line under its post, an X web app header over its text, the
  next line of a sentence.

Measured on all 32 TweetEval text files (every one read as lines) and on synthetic dumps
built from real posts (``training/segments/``; ``bench/bench_layout.py``): the
thresholds were chosen on dumps of training posts with the reserved posts left out.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

from .text import LINE_BREAK, looks_binary, open_binary, read_text_lines, utf16_encoding

#: Non-blank lines read at each of the start, middle and end of a file.
WINDOW_LINES = 150
#: Bytes read for each window of a large file (tweets are rarely over 1 KB a line).
WINDOW_BYTES = 96 * 1024
#: Fewer sampled lines than this: a short paste, read as a dump.
MIN_LINES = 20
#: Most blank lines (a share of the sampled lines) a one-post-a-line file holds.
MAX_BLANK = 0.01
#: Fewest gaps (a share) where the boundary model must find a new post.
MIN_BOUNDARIES = 0.75
#: A join the boundary model is sure of: ``p`` under this.
SURE_JOIN = 0.1
#: Most sure joins (a share of the gaps) a one-post-a-line file holds.
MAX_SURE_JOINS = 0.06


@dataclass
class Layout:
    """What the sample said: its size, blank lines, stamps, and the boundary model's gaps."""

    lines: int = 0
    blank: int = 0
    gaps: int = 0
    boundaries: int = 0
    sure_joins: int = 0
    stamped: bool = False

    @property
    def one_post_a_line(self) -> bool:
        """Whether the sample reads as one post a line (see the module's rules)."""
        if self.lines < MIN_LINES or self.stamped or self.gaps == 0:
            return False
        if self.blank > MAX_BLANK * (self.lines + self.blank):
            return False
        return (
            self.boundaries >= MIN_BOUNDARIES * self.gaps
            and self.sure_joins <= MAX_SURE_JOINS * self.gaps
        )


def _windows(path: str | os.PathLike[str]) -> list[list[str]]:
    """The sampled lines: one window for a small file, three (start, middle, end) for a large
    one, each without the partial lines a cut makes."""
    fh = open_binary(path)
    try:
        size = os.fstat(fh.fileno()).st_size
        head = fh.read(WINDOW_BYTES)
        codec = utf16_encoding(head)
    finally:
        fh.close()
    if looks_binary(head):
        return []  # the reader refuses it
    if codec:  # rare: the line reader decodes it; the start only
        lines = read_text_lines(path)
        try:
            out: list[str] = []
            for _, text in lines:
                out.append(text)
                if len(out) >= 3 * WINDOW_LINES:
                    break
        finally:
            lines.close()
        return [out]
    if size <= 3 * WINDOW_BYTES:
        with open(path, "rb") as f:
            return [_cut(f.read(), 0, size, 3 * WINDOW_LINES)]
    out = []
    with open(path, "rb") as f:
        for offset in (0, (size - WINDOW_BYTES) // 2, size - WINDOW_BYTES):
            f.seek(offset)
            out.append(_cut(f.read(WINDOW_BYTES), offset, size, WINDOW_LINES))
    return out


def _cut(data: bytes, offset: int, size: int, limit: int) -> list[str]:
    """Whole lines of a window, up to ``limit`` non-blank ones."""
    text = data.decode("utf-8", "replace").lstrip("\ufeff")
    lines = LINE_BREAK.split(text)
    if offset > 0:
        lines = lines[1:]  # begun before the window
    if offset + len(data) < size:
        lines = lines[:-1]  # goes on after it
    out = []
    content = 0
    for line in lines:
        out.append(line)
        content += bool(line.strip())
        if content >= limit:
            break
    return out


def sample_layout(path: str | os.PathLike[str]) -> Layout:
    """Read a sample of a plain-text file and score its gaps with the fast boundary model.

    Raises:
        InputNotFound, UnreadableInput: as the readers do.
    """
    from ..segment.model import default_model
    from ..segment.segmenter import iter_segments

    model = default_model()
    layout = Layout()
    for window in _windows(path):
        while window and not window[-1].strip():
            window.pop()
        start = next((i for i, t in enumerate(window) if t.strip()), len(window))
        window = window[start:]
        content = sum(1 for t in window if t.strip())
        layout.lines += content
        layout.blank += len(window) - content
        if content < 2:
            continue

        def gap(_: int, p: float) -> None:
            layout.gaps += 1
            layout.boundaries += p >= model.threshold
            layout.sure_joins += p < SURE_JOIN

        for seg in iter_segments(iter(enumerate(window, 1)), model=model, on_gap=gap):
            layout.stamped |= seg.stamp is not None
    return layout


def one_post_a_line(path: str | os.PathLike[str]) -> bool:
    """Whether a plain-text file (a regular file, not stdin) is one post a line.

    Examples:
        >>> import tempfile, pathlib
        >>> d = pathlib.Path(tempfile.mkdtemp())
        >>> _ = (d / "short.txt").write_text("one post\\nanother post\\n")
        >>> one_post_a_line(d / "short.txt")  # a short paste stays a dump
        False
    """
    if str(path) == "-" or not Path(path).is_file():
        return False
    return sample_layout(path).one_post_a_line
