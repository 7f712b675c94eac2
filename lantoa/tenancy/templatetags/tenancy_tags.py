"""Template tags of tenancy: what a page may offer the signed-in user.

``{% can "radio.add_bulletin" commune as can_compose %}`` answers whether the user's role *in that commune* grants
the permission (tenancy.services.has_commune_perm), so a page shows only the links its reader can open.
``{% guide_url %}`` is the user guide's page for the reader's role.
"""

from __future__ import annotations

from django import template
from django.urls import reverse
from django.utils.translation import pgettext

from .. import guide, names
from ..services import has_commune_perm

register = template.Library()


@register.filter
def readable(value):
    """``{{ value|readable }}``: a value shown as it is, except no value ("—") and yes/no (Có/Không)."""
    if value is None or value in ("None", ""):
        return "—"
    if isinstance(value, bool):
        return pgettext("yes or no", "Yes") if value else pgettext("yes or no", "No")
    return value


@register.filter
def full_name(user) -> str:
    """``{{ user|full_name }}``: the person's full name in Vietnamese order, else the login name (tenancy.names)."""
    return names.full_name(user)


@register.simple_tag(takes_context=True)
def can(context, codename: str, commune) -> bool:
    request = context.get("request")
    user = getattr(request, "user", None) or context.get("user")
    if user is None or commune is None:
        return False
    commune_id = getattr(commune, "pk", commune)
    cache = getattr(request, "_lantoa_can", None) if request is not None else None
    if cache is None:
        cache = {}
        if request is not None:
            request._lantoa_can = cache
    key = (codename, commune_id)
    if key not in cache:
        cache[key] = has_commune_perm(user, codename, commune_id)
    return cache[key]


@register.simple_tag(takes_context=True)
def guide_url(context) -> str:
    """The user guide's page for the signed-in user's role (tenancy.guide)."""
    request = context.get("request")
    user = getattr(request, "user", None) or context.get("user")
    return guide.url_for(user) if user is not None else reverse("guide_index")
