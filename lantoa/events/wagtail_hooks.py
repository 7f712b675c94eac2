"""The back-office menu of events: "Sự kiện, hội nghị", shown to the roles that may see events."""

from __future__ import annotations

from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.menu import MenuItem

from lantoa.tenancy import selectors as tenancy


class EventsMenuItem(MenuItem):
    def is_shown(self, request):
        return tenancy.has_perm_anywhere(request.user, "events.view_event")


@hooks.register("register_admin_menu_item")
def events_menu_item():
    return EventsMenuItem(_("Events and meetings"), reverse("events:index"), icon_name="date", order=262)
