"""Back-office menu of the partners app: the registry, the plans of the year, external information."""

from django.urls import include, path, reverse
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.menu import Menu, MenuItem, SubmenuMenuItem

from lantoa.tenancy import selectors as tenancy

from . import admin_urls


@hooks.register("register_admin_urls")
def register_admin_urls():
    return [path("partners/", include(admin_urls, namespace="partners_admin"))]


class PartnersMenuItem(MenuItem):
    def __init__(self, label, name, icon, order, perm):
        super().__init__(label, reverse(f"partners_admin:{name}"), icon_name=icon, order=order)
        self.perm = perm

    def is_shown(self, request):
        return tenancy.has_perm_anywhere(request.user, self.perm)


partners_menu = Menu(
    register_hook_name="register_partners_menu_item",
    construct_hook_name="construct_partners_menu",
)


class PartnersSubmenu(SubmenuMenuItem):
    def is_shown(self, request):
        return tenancy.has_perm_anywhere(request.user, "partners.view_partner")


@hooks.register("register_admin_menu_item")
def partners_submenu():
    return PartnersSubmenu(_("Partners and external information"), partners_menu, icon_name="group", order=150)


@hooks.register("register_partners_menu_item")
def registry_item():
    return PartnersMenuItem(_("Partner registry"), "partners", "group", 1, "partners.view_partner")


@hooks.register("register_partners_menu_item")
def plans_item():
    return PartnersMenuItem(_("Partners' plans of the year"), "plans", "doc-full", 2, "partners.view_communicationplan")


@hooks.register("register_partners_menu_item")
def external_item():
    return PartnersMenuItem(_("External information"), "external", "site", 3, "partners.view_externalactivity")
