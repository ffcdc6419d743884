"""Renamed keyword arguments: the old name keeps working, with a warning that names the new one."""

from __future__ import annotations

import functools
import warnings
from collections.abc import Callable
from typing import Any, TypeVar

F = TypeVar("F", bound=Callable[..., Any])


def renamed_keywords(**old_to_new: str) -> Callable[[F], F]:
    """Accept each old keyword as its new one, with a :class:`DeprecationWarning`.

    Giving both the old and the new name is a :class:`TypeError`, as any keyword given twice.

    Examples:
        >>> @renamed_keywords(embedder="topic_embedder")
        ... def fit(*, topic_embedder="auto"):
        ...     return topic_embedder
        >>> with warnings.catch_warnings(record=True) as caught:
        ...     warnings.simplefilter("always")
        ...     fit(embedder="static"), str(caught[0].message)
        ('static', 'fit(embedder=) is deprecated: use topic_embedder=')
    """

    def decorate(func: F) -> F:
        @functools.wraps(func)
        def wrapper(*args: Any, **kwargs: Any) -> Any:
            for old, new in old_to_new.items():
                if old not in kwargs:
                    continue
                if new in kwargs:
                    raise TypeError(f"{func.__name__}() got both {old}= and {new}=")
                warnings.warn(
                    f"{func.__name__}({old}=) is deprecated: use {new}=",
                    DeprecationWarning,
                    stacklevel=2,
                )
                kwargs[new] = kwargs.pop(old)
            return func(*args, **kwargs)

        return wrapper  # type: ignore[return-value]

    return decorate
