"""Charts as Vega-Lite specs (built with altair), rendered on the server to SVG (vl-convert): no chart
JavaScript reaches the page. The same specs serve the reports (``to_svg`` / ``to_png``)."""

from __future__ import annotations

import hashlib
import json
import re

from django.core.cache import cache
from django.utils.translation import gettext as _

FONT = "Noto Sans, DejaVu Sans, Arial, sans-serif"
BLUE, ORANGE, GREY, GREEN = "#1f5fa8", "#d9822b", "#8a94a6", "#2e8540"


def _config(spec: dict) -> dict:
    spec.setdefault("config", {}).update(
        {
            "font": FONT,
            # Vega writes English descriptions for screen readers on every axis, legend and mark ("X-axis for a
            # discrete scale with 4 values…"): none; the figures are in the page's text and tables beside the chart.
            "aria": False,
            "view": {"stroke": None},
            "axis": {"labelFontSize": 11, "titleFontSize": 11, "grid": True, "gridColor": "#e6e9ef"},
            "legend": {"labelFontSize": 11, "titleFontSize": 11, "orient": "bottom"},
        }
    )
    spec["background"] = "white"
    return spec


def to_svg(spec: dict) -> str:
    """SVG text of a Vega-Lite spec, cached by the spec's content."""
    import vl_convert as vlc  # noqa: PLC0415 — vl-convert loads a JavaScript engine; only chart rendering needs it

    spec = _config(spec)
    key = "reach-svg-" + hashlib.sha256(json.dumps(spec, sort_keys=True, default=str).encode()).hexdigest()
    svg = cache.get(key)
    if svg is None:
        svg = vlc.vegalite_to_svg(spec)
        # Scales with the page (phones): the intrinsic size stays as the maximum.
        svg = svg.replace("<svg ", '<svg role="img" style="max-width:100%;height:auto" ', 1)
        # Vega labels a title "Title text '…'" in English whatever the config: the title alone.
        svg = re.sub(r"aria-label=\"Title text '(.*?)'\"", r'aria-label="\1"', svg)
        cache.set(key, svg, 3600)
    return svg


def to_png(spec: dict, scale: float = 2) -> bytes:
    import vl_convert as vlc  # noqa: PLC0415 — vl-convert loads a JavaScript engine; only chart rendering needs it

    return vlc.vegalite_to_png(_config(spec), scale=scale)


def trend_spec(series: list[dict], *, target: float | None, title: str, width: int = 300) -> dict:
    """Per quarter: the value within the quarter (bars) and the year-to-date value (line), against the target."""
    import altair as alt  # noqa: PLC0415 — altair takes ~0.3 s to import; only chart rendering needs it

    rows = []
    for point in series:
        if point["value"] is not None:
            rows.append({"quarter": point["label"], "kind": _("In the quarter"), "value": point["value"]})
        if point["ytd"] is not None:
            rows.append({"quarter": point["label"], "kind": _("Year to date"), "value": point["ytd"]})
    order = [p["label"] for p in series]
    base = alt.Chart(alt.Data(values=rows))
    color = alt.Color(
        "kind:N", title=None, scale=alt.Scale(domain=[_("In the quarter"), _("Year to date")], range=[ORANGE, BLUE])
    )
    x = alt.X("quarter:N", sort=order, title=None, axis=alt.Axis(labelAngle=0))
    y = alt.Y("value:Q", title="%", scale=alt.Scale(domain=[0, 100]))
    bars = (
        base.transform_filter(alt.datum.kind == _("In the quarter")).mark_bar(opacity=0.8).encode(x=x, y=y, color=color)
    )
    line = (
        base.transform_filter(alt.datum.kind == _("Year to date"))
        .mark_line(point=True, strokeWidth=2)
        .encode(x=x, y=y, color=color)
    )
    layers = [bars, line]
    if target is not None:
        layers.append(
            alt.Chart(alt.Data(values=[{"target": target}]))
            .mark_rule(color=GREEN, strokeDash=[6, 4], strokeWidth=2)
            .encode(y="target:Q")
        )
    chart = alt.layer(*layers).properties(width=width, height=150, title=title)
    return chart.to_dict()


def hamlet_spec(rows: list[dict], *, title: str, width: int = 300) -> dict:
    """Per hamlet: share of residents reached, radio coverage shown by colour."""
    import altair as alt  # noqa: PLC0415 — altair takes ~0.3 s to import; only chart rendering needs it

    data = [
        {
            "hamlet": r["hamlet"].name,
            "value": r["value"] or 0,
            "radio": _("Covered by radio") if r["covered"] else _("Not covered by radio"),
        }
        for r in rows
    ]
    chart = (
        alt.Chart(alt.Data(values=data))
        .mark_bar()
        .encode(
            y=alt.Y("hamlet:N", sort="-x", title=None),
            x=alt.X("value:Q", title=_("Share of residents reached (percent)"), scale=alt.Scale(domain=[0, 100])),
            color=alt.Color(
                "radio:N",
                title=None,
                scale=alt.Scale(domain=[_("Covered by radio"), _("Not covered by radio")], range=[BLUE, GREY]),
            ),
        )
        .properties(width=width, height=max(60, 18 * len(data)), title=title)
    )
    return chart.to_dict()


def province_spec(rows: list[dict], code: str, *, title: str, width: int = 320) -> dict:
    import altair as alt  # noqa: PLC0415 — altair takes ~0.3 s to import; only chart rendering needs it

    data = [{"commune": r["commune"].name, "value": r["values"][code]["value"] or 0} for r in rows]
    chart = (
        alt.Chart(alt.Data(values=data))
        .mark_bar(color=BLUE)
        .encode(
            y=alt.Y("commune:N", sort="-x", title=None),
            x=alt.X("value:Q", title="%", scale=alt.Scale(domain=[0, 100])),
        )
        .properties(width=width, height=max(60, 16 * len(data)), title=title)
    )
    return chart.to_dict()
