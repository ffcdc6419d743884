"""Scoring socialscan against gold data (segments; claims)."""
