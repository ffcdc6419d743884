"""``ScanResult``: what a scan found, and ``StageResult``: whether each stage ran.

These types sit below the pipeline that builds them and the report that reads them, so neither
imports the other to share them. Which stages ran is read from :attr:`ScanResult.stages`, never
from the text of the notes.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ..readers.stats import ParseStats
from .summary import Summary, summarize

#: The stages whose outcome a scan records, in order (the parse always runs).
STAGE_NAMES = ("claims", "topics")


@dataclass(frozen=True)
class StageResult:
    """Whether one stage of a scan ran and, when it did not, why.

    Attributes:
        name: The stage (one of :data:`STAGE_NAMES`).
        ran: Whether the stage ran, so its columns are in the frame.
        note: Why it did not run, the sentence every output shows (empty when it ran).

    Examples:
        >>> StageResult("claims", ran=False, note="Claims were skipped (claims=False).").skipped
        True
    """

    name: str
    ran: bool
    note: str = ""

    @property
    def skipped(self) -> bool:
        """The stage did not run."""
        return not self.ran


def skip_note(stages: dict[str, StageResult], name: str) -> str:
    """The note of stage ``name`` when it was skipped, else ``""`` (it ran, or is unknown).

    Examples:
        >>> skip_note({"topics": StageResult("topics", False, "Topics were skipped.")}, "topics")
        'Topics were skipped.'
        >>> skip_note({}, "claims")
        ''
    """
    stage = stages.get(name)
    return stage.note if stage is not None and stage.skipped else ""


@dataclass
class ScanResult:
    """What a scan found.

    Attributes:
        frame: One row a record: ``socialscan.records.COLUMNS``, plus ``claims``, ``labels`` and
            ``score_<label>`` when claims were tagged, and ``topic``, ``topic_label``, ``x``,
            ``y`` when topics were fitted.
        stats: The parse's counts.
        topic_table: topic, size, label, terms, representative (``None`` without topics).
        labels: Every label of the taxonomy used (empty without claims).
        notes: What every output tells the reader: how the input was read, the parse's
            warnings, and one sentence per stage that did not run and why.
        timings: Seconds per stage.
        report: The HTML report written, if any.
        topics: The topics stage's full result (model, coordinates), if it ran.
        stages: Per stage name (:data:`STAGE_NAMES`), whether it ran.
    """

    frame: Any
    stats: ParseStats
    topic_table: Any = None
    labels: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    timings: dict[str, float] = field(default_factory=dict)
    report: Path | None = None
    topics: Any = None
    stages: dict[str, StageResult] = field(default_factory=dict)

    def summary(self) -> Summary:
        """The :class:`~socialscan.results.summary.Summary` the terminal and ``--json`` show."""
        return summarize(
            self.frame,
            stats=self.stats,
            topic_table=self.topic_table,
            labels=self.labels,
            notes=self.notes,
        )

    def to_dict(self) -> dict[str, Any]:
        """The summary as plain data, with the report path and stage timings."""
        d = self.summary().to_dict()
        d["report"] = str(self.report) if self.report else None
        d["timings"] = {k: round(v, 3) for k, v in self.timings.items()}
        return d

    def to_json(self) -> str:
        """The summary as one JSON document (what ``socialscan scan --json`` prints).

        Examples:
            >>> import json
            >>> from socialscan import scan
            >>> r = scan("one post\\n@ann a reply", format="lines", claims=False, topics=False)
            >>> json.loads(r.to_json())["counts"]["replies"]
            1
        """
        import orjson

        return orjson.dumps(
            self.to_dict(), option=orjson.OPT_SERIALIZE_NUMPY | orjson.OPT_NON_STR_KEYS
        ).decode()
