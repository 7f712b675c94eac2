"""``{{ address|web_url }}``: a stored address, only if it is safe in an ``href`` (http, https or a path here)."""

from django import template

from lantoa.tenancy.validators import web_url as _web_url

register = template.Library()


@register.filter
def web_url(value) -> str:
    return _web_url(str(value or ""))
