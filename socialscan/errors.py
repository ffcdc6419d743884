"""Every error socialscan raises on purpose.

The CLI maps :class:`SocialscanError` subclasses to ``Error: ...`` on one line and exit code 2;
anything else is an internal fault (exit 1).
"""

from __future__ import annotations


class SocialscanError(Exception):
    """Base class: a problem with the user's input or options, explained in one line."""

    exit_code = 2


class InputNotFound(SocialscanError):
    """The named input does not exist."""


class UnreadableInput(SocialscanError):
    """The input exists but cannot be read as text (a directory, a binary file, no permission)."""


class UnknownFormat(SocialscanError):
    """A ``--format`` or ``--to`` value that socialscan does not know."""


class MalformedInput(SocialscanError):
    """Structured input that cannot be parsed (raised under ``strict=True`` or when nothing parses)."""


class MissingColumn(SocialscanError):
    """A CSV without a text column socialscan recognises."""


class UnwritableOutput(SocialscanError):
    """The output path cannot be written."""


class InvalidOption(SocialscanError):
    """An option value that is out of range or inconsistent with another."""


class InvalidTaxonomy(SocialscanError):
    """A claim taxonomy file that is missing, malformed or incomplete."""


class TooFewPosts(SocialscanError):
    """Too few documents for a stage that models them (topics need at least three)."""


class ClusterUnavailable(SocialscanError):
    """A Dask scheduler that cannot be reached, or workers that cannot run this socialscan."""


class MissingDependency(SocialscanError):
    """An optional package needed for this feature is not installed."""

    def __init__(self, package: str, feature: str, extra: str | None = None):
        hint = f"pip install 'socialscan[{extra}]'" if extra else f"pip install {package}"
        super().__init__(f"{feature} needs the package {package!r}: {hint}")


class ModelNotReady(SocialscanError):
    """A model that needs a one-time offline build (``socialscan models --prepare``) first."""
