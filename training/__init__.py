"""What builds socialscan's shipped models and data, run from the checkout (never installed):
see training/README.md."""
