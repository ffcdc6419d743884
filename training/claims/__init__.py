"""The claims corpus (draws, readings, the stored corpus) and the shipped claims models
(``python -m training.claims.ship``); see training/README.md."""
