"""Back-office screens for the commune's units, staff, hamlets, households and the access log; the menus that
every app shares (Wagtail's reports and help), the inbox of what waits for the user and the landing page."""

from __future__ import annotations

import django_filters
from django.core.exceptions import PermissionDenied
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.filters import WagtailFilterSet
from wagtail.admin.menu import MenuItem
from wagtail.admin.panels import FieldPanel
from wagtail.admin.ui.components import Component
from wagtail.admin.ui.sidebar import LinkMenuItem as LinkMenuItemComponent
from wagtail.admin.ui.tables import UpdatedAtColumn
from wagtail.admin.widgets import AdminDateInput
from wagtail.log_actions import log
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSetGroup

from . import inbox, roles, selectors, services
from .models import Hamlet, Household, HouseholdChange, PersonalDataAccess, Staff, Unit
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
    list_display = ["full_name", "position", "unit", "category", "on_comms_duty", "start_date", "end_date"]
    list_filter = ["category", "is_leadership", "on_comms_duty"]
    search_fields = ["full_name", "position"]
    # Staff are never deleted once they appear in a figure: an end date takes them out from that day on.
    panels = [
        FieldPanel("commune"),
        FieldPanel("full_name"),
        FieldPanel("position"),
        FieldPanel("unit"),
        FieldPanel("category"),
        FieldPanel("is_leadership"),
        FieldPanel("on_comms_duty"),
        FieldPanel("hamlets"),
        FieldPanel("start_date", widget=AdminDateInput),
        FieldPanel("end_date", widget=AdminDateInput),
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
    list_display = ["code", "hamlet", "members", "arrived_on", "left_on", UpdatedAtColumn()]
    filterset_class = HouseholdFilterSet
    search_fields = ["code"]
    list_per_page = 50

    def get_queryset(self, request):
        return selectors.households(request.user)

    # Names and phones are not on this form: they are read only through services.read_personal_data,
    # which checks the permission and logs the access. Members are set when the household is created; after
    # that they change only through a dated household change (so that a closed period's figures stay put).
    panels = [FieldPanel("commune"), FieldPanel("code"), FieldPanel("hamlet"), FieldPanel("members")]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.edit_view_class = type("HouseholdEditView", (MembersFixedMixin, self.edit_view_class), {})


class MembersFixedMixin:
    """On an existing household the number of members is shown but not editable (a dated change sets it)."""

    def get_form(self, *args, **kwargs):
        form = super().get_form(*args, **kwargs)
        if "members" in form.fields:
            form.fields["members"].disabled = True
            form.fields["members"].help_text = _("Record a household change (moved in or out, born, deceased…).")
        return form


class HouseholdChangeCreateMixin:
    def save_instance(self):
        i = self.form.instance
        change = services.record_household_change(
            self.request.user,
            i.household,
            kind=i.kind,
            date=i.date,
            members_after=i.members_after,
            note=i.note,
            related=i.related,
        )
        log(change, "wagtail.create", user=self.request.user)
        return change


class HouseholdChangeViewSet(CommuneScopedViewSet):
    """Dated changes of households: recorded here, never edited or deleted (the history stays)."""

    model = HouseholdChange
    icon = "history"
    menu_label = _("Household changes")
    list_display = ["date", "household", "kind", "members_before", "members_after", "recorded_by"]
    list_filter = ["kind", "date"]
    inspect_view_enabled = True
    panels = [
        FieldPanel("commune"),
        FieldPanel("household"),
        FieldPanel("kind"),
        FieldPanel("date", widget=AdminDateInput),
        FieldPanel("members_after"),
        FieldPanel("related"),
        FieldPanel("note"),
    ]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.add_view_class = type("HouseholdChangeCreateView", (HouseholdChangeCreateMixin, self.add_view_class), {})
        for attr in ("edit_view_class", "delete_view_class"):
            setattr(self, attr, type(f"NoChange{attr}", (NoChangeMixin, getattr(self, attr)), {}))


class NoChangeMixin:
    def dispatch(self, request, *args, **kwargs):
        raise PermissionDenied


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
    items = (
        UnitViewSet,
        StaffViewSet,
        HamletViewSet,
        HouseholdViewSet,
        HouseholdChangeViewSet,
        PersonalDataAccessViewSet,
    )


register_snippet(CommuneGroup)


# --- Menus built from permissions, the inbox and the landing page --------------------------------------------


@hooks.register("construct_reports_menu")
def _reports_menu_for_superusers(request, menu_items):
    """Wagtail's own reports (locked pages, workflows, site history, aging pages, page types) list every commune's
    pages: only a superuser opens them (CommuneScopeMiddleware answers 403 to anyone else), so only a superuser
    sees them in the menu."""
    if not request.user.is_superuser:
        menu_items[:] = []


# Wagtail's help links open its English guide on the internet; Lan Tỏa's own guides are in docs/ of the repository.
WAGTAIL_HELP_ITEMS = ("editor-guide", "whats-new-in-wagtail-")


@hooks.register("construct_help_menu")
def _no_wagtail_guide(request, menu_items):
    menu_items[:] = [item for item in menu_items if not item.name.startswith(WAGTAIL_HELP_ITEMS)]


class InboxMenuItem(MenuItem):
    """“Việc chờ bạn (3)” at the top of the sidebar on every back-office page; opens the landing page."""

    def is_shown(self, request):
        return bool(inbox.items_for(request))

    def render_component(self, request):
        label = _("Waiting for you (%(count)s)") % {"count": inbox.total(request)}
        return LinkMenuItemComponent(self.name, label, self.url, icon_name=self.icon_name, attrs=self.attrs)


@hooks.register("register_admin_menu_item")
def _inbox_menu_item():
    return InboxMenuItem(_("Waiting for you"), reverse("wagtailadmin_home"), name="inbox", icon_name="mail", order=1)


class InboxPanel(Component):
    """The landing page opens on what waits for the user, each line a link to where it is done."""

    name = "lantoa_inbox"
    order = 10
    template_name = "tenancy/admin/inbox_panel.html"

    def __init__(self, request):
        self.request = request

    def get_context_data(self, parent_context):
        return {"items": inbox.items_for(self.request)}


# Wagtail's own panels kept on the landing page: pages awaiting the user's review and the user's pages in
# moderation (they show only when there is something). The site summary counts every commune's pages and the
# locked-pages and recent-edits panels are for people who write pages.
WAGTAIL_PANELS_FOR_WRITERS = {"locked_pages", "recent_edits"}


@hooks.register("construct_homepage_panels")
def _landing_panels(request, panels):
    user = request.user
    if not user.is_superuser:
        writes_pages = bool({roles.EDITOR, roles.PVHCC, roles.LEADERSHIP} & selectors.roles_of(user))
        panels[:] = [p for p in panels if writes_pages or getattr(p, "name", "") not in WAGTAIL_PANELS_FOR_WRITERS]
    panels.append(InboxPanel(request))
