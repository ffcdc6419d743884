"""Raw-dump segmentation."""
