"""Back-office menu of the partners app: the registry, the plans of the year, external information."""

from django.urls import include, path, reverse
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.menu import Menu

from lantoa.tenancy.menus import PermMenuItem, PermSubmenuMenuItem

from . import admin_urls


@hooks.register("register_admin_urls")
def register_admin_urls():
    return [path("partners/", include(admin_urls, namespace="partners_admin"))]


def _item(label, name: str, icon: str, order: int, perm: str) -> PermMenuItem:
    return PermMenuItem(label, reverse(f"partners_admin:{name}"), icon_name=icon, order=order, perm=perm)


partners_menu = Menu(
    register_hook_name="register_partners_menu_item",
    construct_hook_name="construct_partners_menu",
)


@hooks.register("register_admin_menu_item")
def partners_submenu():
    return PermSubmenuMenuItem(
        _("Partners and external information"),
        partners_menu,
        icon_name="group",
        order=150,
        perm="partners.view_partner",
    )


@hooks.register("register_partners_menu_item")
def registry_item():
    return _item(_("Partner registry"), "partners", "group", 1, "partners.view_partner")


@hooks.register("register_partners_menu_item")
def plans_item():
    return _item(_("Partners' plans of the year"), "plans", "doc-full", 2, "partners.view_communicationplan")


@hooks.register("register_partners_menu_item")
def external_item():
    return _item(_("External information"), "external", "site", 3, "partners.view_externalactivity")
