"""The chart of section III: each indicator's result against its target, a Vega-Lite spec (altair) rendered to
PNG on the server (vl-convert) for the DOCX and PDF."""

from __future__ import annotations

from pathlib import Path

import vl_convert as vlc

from . import wording as W

# One family name: vl-convert does not fall back along a CSS list (it then picks its own default).
FONT = "Liberation Serif"
BLUE, RED, GREY = "#1f5fa8", "#c62828", "#5c5c5c"
FONT_DIRS = ["/usr/share/fonts/truetype/liberation2", "/usr/share/fonts/truetype/liberation"]
_fonts_registered = False


def chart_rows(indicators: list[dict]) -> list[dict]:
    """One row per indicator with a target (companions and indicators without a target are left out)."""
    rows = []
    for r in indicators:
        if r.get("companion_of") or r.get("target") is None:
            continue
        value = r.get("value")
        rows.append(
            {
                "label": W.indicator_short(r),
                "value": value if value is not None else 0,
                "target": r["target"],
                "text": W.percent(value) if value is not None else "chưa có số liệu",
            }
        )
    return rows


def results_spec(indicators: list[dict], *, width: int = 300) -> dict | None:
    import altair as alt  # noqa: PLC0415 — altair costs ~0.3 s to import; only drawing a chart needs it

    rows = chart_rows(indicators)
    if not rows:
        return None
    order = [r["label"] for r in rows]
    base = alt.Chart(alt.Data(values=rows))
    y = alt.Y("label:N", sort=order, title=None, axis=alt.Axis(labelLimit=320, labelFontSize=13))
    x = alt.X(
        "value:Q",
        title="Kết quả (%) — vạch đỏ: mục tiêu",
        scale=alt.Scale(domain=[0, 100]),
        axis=alt.Axis(titleFontSize=13, labelFontSize=12, titleFontWeight="normal"),
    )
    bars = base.mark_bar(color=BLUE, height={"band": 0.6}).encode(x=x, y=y)
    target = base.mark_tick(color=RED, thickness=3, size=22).encode(x="target:Q", y=alt.Y("label:N", sort=order))
    labels = base.mark_text(align="left", dx=4, fontSize=13, color=GREY).encode(
        x="value:Q", y=alt.Y("label:N", sort=order), text="text:N"
    )
    chart = alt.layer(bars, target, labels).properties(width=width, height=30 * len(rows))
    spec = chart.to_dict()
    spec["config"] = {
        "font": FONT,
        "view": {"stroke": None},
        "axis": {"grid": True, "gridColor": "#e6e9ef", "labelColor": "#222", "titleColor": "#222"},
    }
    spec["background"] = "white"
    return spec


def _register_fonts() -> None:
    global _fonts_registered
    if _fonts_registered:
        return
    for folder in FONT_DIRS:
        if Path(folder).is_dir():
            vlc.register_font_directory(folder)
    _fonts_registered = True


def results_png(indicators: list[dict], scale: float = 3) -> bytes | None:
    """The chart as PNG (scale 3: sharp when printed at 15 cm), or None when no indicator has a target."""
    spec = results_spec(indicators)
    if spec is None:
        return None
    _register_fonts()
    return vlc.vegalite_to_png(spec, scale=scale)
