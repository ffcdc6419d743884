"""The boundary model: synthetic dumps of real posts with known spans, their held-out rows and
scores, and the fitting (``python -m training.segments.train``)."""
