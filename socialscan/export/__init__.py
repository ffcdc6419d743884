"""Writing records: JSONL, CSV (formula-safe) and Parquet, always atomically."""

from .atomic import atomic_output, atomic_path
from .writers import FORMATS, write_records

__all__ = ["FORMATS", "atomic_output", "atomic_path", "write_records"]
