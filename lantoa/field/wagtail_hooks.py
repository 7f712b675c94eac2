"""The field app in the back office: the "QR door stickers" page, for the roles that record visits."""

from __future__ import annotations

from django.urls import include, path, reverse
from django.utils.translation import gettext_lazy as _
from wagtail import hooks

from lantoa.tenancy.menus import PermMenuItem

from . import admin_urls, services


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
