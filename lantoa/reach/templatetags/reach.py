"""Template filters of the reach pages: numbers (the project's one format, ``{% load numbers %}``) and record cells."""

from __future__ import annotations

from django import template
from django.utils.html import format_html

from lantoa.tenancy.templatetags import numbers
from lantoa.tenancy.validators import web_url

register = template.Library()


# The project's number format (lantoa.tenancy.numbers), under the names the reach pages use.
register.filter("pct", numbers.pct)
register.filter("num", numbers.num)


@register.filter
def cell(value):
    """A record cell: text, or a (text, url) pair rendered as a link."""
    if isinstance(value, tuple) and len(value) == 2:
        text, url = value
        if url := web_url(url):
            return format_html('<a href="{}">{}</a>', url, text)
        return text
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return numbers.num(value)
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
