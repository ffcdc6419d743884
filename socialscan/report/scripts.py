"""What the page's script elements carry: JSON that cannot close its ``<script>`` element, and
plotly.js itself (the partial bundle when it can draw every figure)."""

from __future__ import annotations

import re
from collections.abc import Sequence
from importlib import resources
from typing import Any

import orjson


def script_json(value: Any) -> str:
    """JSON safe to place inside a ``<script>`` element: ``<``, ``>``, ``&`` and line
    separators become ``\\uXXXX`` escapes, so ``</script>`` or ``<!--`` in a tweet stay data.

    Examples:
        >>> script_json({"t": "</script><!--"})
        '{"t":"\\\\u003c/script\\\\u003e\\\\u003c!--"}'
    """
    text = (
        value
        if isinstance(value, str)
        else orjson.dumps(value, option=orjson.OPT_SERIALIZE_NUMPY).decode()
    )
    return (
        text.replace("<", "\\u003c")
        .replace(">", "\\u003e")
        .replace("&", "\\u0026")
        .replace("\u2028", "\\u2028")
        .replace("\u2029", "\\u2029")
    )


def figure_json(fig) -> str:
    """A plotly figure as script-safe JSON (``{"data": ..., "layout": ...}``)."""
    import plotly.io as pio

    return script_json(pio.to_json(fig, validate=False, pretty=False, remove_uids=True))


#: Trace types compiled into ``plotly-partial.min.js`` (see tools/plotly-bundle).
PARTIAL_BUNDLE_TRACES = frozenset({"scatter", "scattergl", "bar"})
_VERSION_RE = re.compile(r"plotly\.js v(\d+\.\d+\.\d+)")


def plotly_bundle(figure_json: Sequence[str | None] = ()) -> str:
    """The plotly.js source to inline: the partial bundle when it can draw every figure.

    The partial bundle (scatter, scattergl and bar only; a third of the full size) is used when
    it was built from the same plotly.js version as the installed plotly package ships and every
    trace in ``figure_json`` is of a type it holds; otherwise plotly's full bundle.

    Examples:
        >>> plotly_bundle(['{"data": [{"type": "bar"}]}']).count("plotly.js v") >= 1
        True
    """
    import plotly.offline

    # a trace without "type" is a scatter; any other type needs the full bundle
    types = {
        trace.get("type", "scatter")
        for fig in figure_json
        if fig
        for trace in orjson.loads(fig).get("data", [])
    }
    partial = resources.files("socialscan.report").joinpath("plotly-partial.min.js")
    if types <= PARTIAL_BUNDLE_TRACES and partial.is_file():
        text = partial.read_text(encoding="utf-8")
        have = _VERSION_RE.search(text[:400])
        if have and have.group(1) == plotly.offline.get_plotlyjs_version():
            return text
    return plotly.offline.get_plotlyjs()


def jinja2_markup(text: str):
    """Mark text we produced ourselves (CSS, JS, escaped JSON) as safe for the template."""
    from markupsafe import Markup

    return Markup(text)
