"""What a scan found, as data: the scan's result with its typed stage outcomes, and the
summary (counts and ranked lists) every output shows.

The pipeline builds these and the report renders them; both import them from here, below
either of them.
"""

from .scan import STAGE_NAMES, ScanResult, StageResult, skip_note
from .summary import Summary, summarize

__all__ = ["STAGE_NAMES", "ScanResult", "StageResult", "Summary", "skip_note", "summarize"]
