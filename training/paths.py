"""Where the training scripts read and write: the checkout, ../shared/data beside it, and the
package's resources folder the shipped models live in."""

from __future__ import annotations

from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SHARED_DATA = ROOT.parent / "shared" / "data"
RESOURCES = ROOT / "socialscan" / "resources"
