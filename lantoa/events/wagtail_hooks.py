"""The back-office menu of events: "Sự kiện, hội nghị", shown to the roles that may see events."""

from __future__ import annotations

from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from wagtail import hooks

from lantoa.tenancy.menus import PermMenuItem


@hooks.register("register_admin_menu_item")
def events_menu_item():
    return PermMenuItem(
        _("Events and meetings"), reverse("events:index"), icon_name="date", order=262, perm="events.view_event"
    )
