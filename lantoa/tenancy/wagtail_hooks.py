"""Back-office screens for the commune's units, staff, hamlets, households and the access log."""

from __future__ import annotations

import django_filters
from django.utils.translation import gettext_lazy as _
from wagtail.admin.filters import WagtailFilterSet
from wagtail.admin.panels import FieldPanel
from wagtail.admin.ui.tables import UpdatedAtColumn
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSetGroup

from . import selectors
from .models import Hamlet, Household, PersonalDataAccess, Staff, Unit
from .viewsets import CommuneScopedViewSet


class UnitViewSet(CommuneScopedViewSet):
    model = Unit
    icon = "group"
    menu_label = _("Units")
    list_display = ["name", "kind", "head", "commune"]
    list_filter = ["kind", "active"]
    search_fields = ["name"]
    panels = [
        FieldPanel("commune"),
        FieldPanel("name"),
        FieldPanel("short_name"),
        FieldPanel("kind"),
        FieldPanel("head"),
        FieldPanel("email"),
        FieldPanel("active"),
    ]


class StaffViewSet(CommuneScopedViewSet):
    model = Staff
    icon = "user"
    menu_label = _("Staff")
    list_display = ["full_name", "position", "unit", "category", "is_leadership", "on_comms_duty"]
    list_filter = ["category", "is_leadership", "on_comms_duty", "active"]
    search_fields = ["full_name", "position"]
    panels = [
        FieldPanel("commune"),
        FieldPanel("full_name"),
        FieldPanel("position"),
        FieldPanel("unit"),
        FieldPanel("category"),
        FieldPanel("is_leadership"),
        FieldPanel("on_comms_duty"),
        FieldPanel("active"),
    ]


class HamletViewSet(CommuneScopedViewSet):
    model = Hamlet
    icon = "site"
    menu_label = _("Hamlets")
    list_display = ["name", "kind", "households_baseline", "residents_baseline", "commune"]
    list_filter = ["kind"]
    search_fields = ["name"]
    panels = [
        FieldPanel("commune"),
        FieldPanel("name"),
        FieldPanel("kind"),
        FieldPanel("households_baseline"),
        FieldPanel("residents_baseline"),
    ]


class HouseholdFilterSet(WagtailFilterSet):
    hamlet = django_filters.ModelChoiceFilter(
        label=_("hamlet"),
        queryset=lambda request: selectors.hamlets(request.user) if request else Hamlet.objects.none(),
    )

    class Meta:
        model = Household
        fields = ["hamlet"]


class HouseholdViewSet(CommuneScopedViewSet):
    model = Household
    icon = "home"
    menu_label = _("Households")
    list_display = ["code", "hamlet", "members", UpdatedAtColumn()]
    filterset_class = HouseholdFilterSet
    search_fields = ["code"]
    list_per_page = 50

    def get_queryset(self, request):
        return selectors.households(request.user)

    # Names and phones are not on this form: they are read only through services.read_personal_data,
    # which checks the permission and logs the access.
    panels = [FieldPanel("commune"), FieldPanel("code"), FieldPanel("hamlet"), FieldPanel("members")]


class PersonalDataAccessViewSet(CommuneScopedViewSet):
    model = PersonalDataAccess
    icon = "view"
    menu_label = _("Personal data access log")
    list_display = ["at", "user", "household", "fields", "purpose"]
    list_filter = ["at"]
    inspect_view_enabled = True
    # The log is written by services.read_personal_data only: no role has add/change/delete on it.
    panels = [FieldPanel("purpose", read_only=True)]


class CommuneGroup(SnippetViewSetGroup):
    menu_label = _("Commune")
    menu_icon = "site"
    menu_order = 200
    items = (UnitViewSet, StaffViewSet, HamletViewSet, HouseholdViewSet, PersonalDataAccessViewSet)


register_snippet(CommuneGroup)
