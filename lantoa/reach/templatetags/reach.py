"""Template filters of the reach pages: Vietnamese numbers (1.234,5) and record cells."""

from __future__ import annotations

from django import template
from django.utils import formats
from django.utils.html import format_html

from lantoa.tenancy.validators import web_url

register = template.Library()


@register.filter
def pct(value, digits: int = 1) -> str:
    """12.34 → “12,3%”; None → “—”."""
    if value is None or value == "":
        return "—"
    return (
        formats.number_format(round(float(value), int(digits)), int(digits), use_l10n=True, force_grouping=True) + "%"
    )


@register.filter
def num(value) -> str:
    """1234 → “1.234”; 12.5 → “12,5”."""
    if value is None or value == "":
        return "—"
    value = float(value)
    digits = 0 if value.is_integer() else 1
    return formats.number_format(round(value, digits), digits, use_l10n=True, force_grouping=True)


@register.filter
def cell(value):
    """A record cell: text, or a (text, url) pair rendered as a link."""
    if isinstance(value, tuple) and len(value) == 2:
        text, url = value
        if url := web_url(url):
            return format_html('<a href="{}">{}</a>', url, text)
        return text
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return num(value)
    return value


@register.simple_tag(takes_context=True)
def with_period(context, code: str) -> str:
    """The current URL with ?period= replaced (keeps the other parameters)."""
    request = context["request"]
    params = request.GET.copy()
    params["period"] = code
    params.pop("page", None)
    return f"{request.path}?{params.urlencode()}"


@register.filter
def get_item(mapping, key):
    return mapping.get(key) if mapping else None
