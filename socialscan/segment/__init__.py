"""Raw-dump segmentation: where one post ends and the next begins."""

from .segmenter import segment_lines

__all__ = ["segment_lines"]
