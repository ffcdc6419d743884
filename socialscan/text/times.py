"""The time a stamp or a copied header writes, read as ISO 8601.

Exports write many shapes ("Wed Mar 01 14:22:00 +0000 2023", "2:22 PM · Mar 1, 2023",
"3/1/2023"); the common ones are read with the standard library, the rest with dateutil.
"""

from __future__ import annotations

import re
from datetime import datetime

#: US and European zone abbreviations exports write (hours from UTC); others are left out.
_ZONES = {
    z: h * 3600
    for z, h in {
        "PST": -8, "PDT": -7, "MST": -7, "MDT": -6, "CST": -6, "CDT": -5, "EST": -5, "EDT": -4,
        "BST": 1, "CET": 1, "CEST": 2, "EET": 2, "EEST": 3,
    }.items()
}  # fmt: skip


#: strptime formats of the shapes exports write most (ISO 8601 goes to fromisoformat).
_FORMATS = (
    "%a %b %d %H:%M:%S %z %Y",  # the v1.1 API
    "%m/%d/%Y %I:%M %p",
    "%m/%d/%Y",
    "%b %d, %Y",
    "%B %d, %Y",
    "%b %d, %Y %I:%M %p",
    "%B %d, %Y at %I:%M %p",
    "%I:%M %p · %b %d, %Y",  # X's own
)


def _fast_time(when: str) -> str | None:
    clock = ":" in when
    try:
        t = datetime.fromisoformat(when)
    except ValueError:
        pass
    else:
        return t.isoformat() if clock else t.date().isoformat()
    for fmt in _FORMATS:
        try:
            t = datetime.strptime(when, fmt)
        except ValueError:
            continue
        return t.isoformat() if clock else t.date().isoformat()
    return None


def iso_time(when: str) -> str | None:
    """An ISO 8601 time or date for a stamp's timestamp text that names its year.

    Examples:
        >>> iso_time("Wed Mar 01 14:22:00 +0000 2023")
        '2023-03-01T14:22:00+00:00'
        >>> iso_time("2:22 PM · Mar 1, 2023"), iso_time("3/1/2023"), iso_time("Mar 1")
        ('2023-03-01T14:22:00', '2023-03-01', None)
        >>> iso_time("Mar 1, 2023 2:22 PM PST"), iso_time("2023-02-30 10:00")
        ('2023-03-01T14:22:00-08:00', None)
    """
    import warnings

    from dateutil import parser

    if not re.search(r"\d{4}|\d{1,2}[/.]\d{1,2}[/.]\d{2}\b", when):
        return None
    fast = _fast_time(when)  # the common shapes, without dateutil's slower parse
    if fast is not None:
        return fast
    try:
        with warnings.catch_warnings():  # a zone it does not know is left out, not warned of
            warnings.simplefilter("ignore")
            t = parser.parse(when.replace("·", " "), fuzzy=True, tzinfos=_ZONES)
    except Exception:  # dateutil's ParserError, OverflowError; "will raise" for unknown zones
        return None
    return t.isoformat() if re.search(r"\d:\d\d", when) else t.date().isoformat()
