"""The field app in the back office: the "QR door stickers" page, for the roles that record visits; the photos
taken at the door, on the page of the contact the visit became."""

from __future__ import annotations

from django.template.loader import render_to_string
from django.urls import include, path, reverse
from django.utils.translation import gettext_lazy as _
from wagtail import hooks

from lantoa.reach import hooks as reach_hooks
from lantoa.reach.models import Contact
from lantoa.tenancy.menus import PermMenuItem

from . import admin_urls, selectors, services


@hooks.register("register_admin_urls")
def register_admin_urls():
    return [path("thuc-dia/", include(admin_urls, namespace="field_admin"))]


@hooks.register("register_admin_menu_item")
def register_stickers_menu_item():
    return PermMenuItem(
        _("QR door stickers"),
        reverse("field_admin:stickers"),
        name="field-stickers",
        icon_name="doc-full",
        order=245,
        perm=services.STICKER_PERM,
    )


@hooks.register(reach_hooks.CONTACT_PANELS)
def visit_photos(request, contact) -> str:
    """The photos of a visit sent from the field app, to whoever may see them (each view logged by the photo's
    view); the others read that there is one."""
    if contact.channel != Contact.Channel.VISIT:
        return ""
    photos = selectors.contact_photos(contact)
    if not photos:
        return ""
    allowed = services.may_see_photos(request.user, contact.commune_id)
    return render_to_string("field/_contact_photos.html", {"photos": photos, "allowed": allowed}, request=request)
