"""Raw-dump segmentation, only what runs: per-line and per-gap features, the boundary model, the
rules and page frames over it, and the thread linker. Fitting lives in ``training/segments``."""
