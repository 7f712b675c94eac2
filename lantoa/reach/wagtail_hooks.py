"""Back-office screens of the reach app (Wagtail viewsets, scoped to the user's communes) and its menu.

Contacts are saved through ``reach.services`` (which keeps the figures exact); other records through
tenancy's ``save_record`` (permission in the commune, same-commune relations, full validation).
Publications and broadcasts are written by the channels only: here they can be looked at, not edited.
"""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.panels import FieldPanel
from wagtail.admin.ui.components import Component
from wagtail.admin.widgets import AdminDateInput
from wagtail.log_actions import log
from wagtail.permission_policies import ModelPermissionPolicy
from wagtail.permissions import register_permission_policy
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSetGroup

from lantoa.tenancy import roles
from lantoa.tenancy import selectors as tenancy
from lantoa.tenancy.menus import PermMenuItem
from lantoa.tenancy.viewsets import CommuneScopedForm, CommuneScopedViewSet

from . import services
from .models import (
    Award,
    Briefing,
    Broadcast,
    Contact,
    IndicatorTarget,
    Publication,
    ReachSettings,
    RosterImport,
    ScienceTask,
    Survey,
    SurveyStratum,
    TrainingCompletion,
    TrainingCourse,
)


class SameCommuneM2MForm(CommuneScopedForm):
    """Also checks that every record chosen in a many-to-many field belongs to the record's commune."""

    def clean(self):
        cleaned = super().clean()
        commune = cleaned.get("commune") or getattr(self.instance, "commune", None)
        if commune is not None:
            for name, value in cleaned.items():
                if hasattr(value, "model") and hasattr(value.model, "commune_id"):
                    if value.exclude(commune=commune).exists():
                        self.add_error(name, _("This must belong to the same commune."))
        return cleaned


class SaveM2MMixin:
    """The record is saved by its service (not by the form): the form then saves its many-to-many fields.

    Django's documented way for an instance saved elsewhere: ``save(commit=False)`` (which writes nothing
    here, the instance being saved already) makes ``form.save_m2m()`` available.
    """

    def save_instance(self):
        instance = super().save_instance()
        self.form.save(commit=False)
        self.form.save_m2m()
        return instance


class ReachViewSet(CommuneScopedViewSet):
    base_form_class = SameCommuneM2MForm

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.add_view_class = type("ReachCreateView", (SaveM2MMixin, self.add_view_class), {})
        self.edit_view_class = type("ReachEditView", (SaveM2MMixin, self.edit_view_class), {})


class ContactCreateMixin:
    def save_instance(self):
        i = self.form.instance
        contact = services.record_contact(
            self.request.user,
            activity=i.activity,
            channel=i.channel,
            date=i.date,
            household=i.household,
            hamlet=i.hamlet,
            people=i.people,
            per=i.per,
            note=i.note,
        )
        log(contact, "wagtail.create", user=self.request.user)
        return contact


class ContactEditMixin:
    def save_instance(self):
        i = self.form.instance
        changes = {name: getattr(i, name) for name in services.CONTACT_FIELDS if name in self.form.fields}
        contact = services.update_contact(self.request.user, i, **changes)
        log(contact, "wagtail.edit", user=self.request.user)
        return contact


class ContactDeleteMixin:
    def delete_action(self):
        with transaction.atomic():
            log(self.object, "wagtail.delete", user=self.request.user)
            services.delete_contact(self.request.user, self.object)


class ContactViewSet(CommuneScopedViewSet):
    model = Contact
    icon = "user"
    menu_label = _("Contacts")
    list_display = ["date", "channel", "hamlet", "household", "people", "activity"]
    list_filter = ["channel", "date"]
    search_fields = ["note"]
    list_per_page = 50
    panels = [
        FieldPanel("commune"),
        FieldPanel("activity"),
        FieldPanel("channel"),
        FieldPanel("date", widget=AdminDateInput),
        FieldPanel("hamlet"),
        FieldPanel("household"),
        FieldPanel("per"),
        FieldPanel("people"),
        FieldPanel("note"),
    ]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.add_view_class = type("ContactCreateView", (ContactCreateMixin, self.add_view_class), {})
        self.edit_view_class = type("ContactEditView", (ContactEditMixin, self.edit_view_class), {})
        self.delete_view_class = type("ContactDeleteView", (ContactDeleteMixin, self.delete_view_class), {})


class BriefingViewSet(ReachViewSet):
    model = Briefing
    icon = "group"
    menu_label = _("Briefings")
    list_display = ["date", "title", "activity"]
    list_filter = ["date"]
    search_fields = ["title"]
    panels = [
        FieldPanel("commune"),
        FieldPanel("title"),
        FieldPanel("date", widget=AdminDateInput),
        FieldPanel("activity"),
        FieldPanel("attendees"),
    ]


class TrainingCourseViewSet(ReachViewSet):
    model = TrainingCourse
    icon = "doc-full"
    menu_label = _("Training courses")
    list_display = ["title", "start_date", "in_depth", "organiser"]
    list_filter = ["in_depth"]
    search_fields = ["title"]
    panels = [
        FieldPanel("commune"),
        FieldPanel("title"),
        FieldPanel("organiser"),
        FieldPanel("start_date", widget=AdminDateInput),
        FieldPanel("end_date", widget=AdminDateInput),
        FieldPanel("in_depth"),
        FieldPanel("activity"),
    ]


class TrainingCompletionViewSet(ReachViewSet):
    model = TrainingCompletion
    icon = "tick"
    menu_label = _("Training completions")
    list_display = ["staff", "course", "completed_on", "certificate"]
    list_filter = ["completed_on"]
    panels = [
        FieldPanel("commune"),
        FieldPanel("course"),
        FieldPanel("staff"),
        FieldPanel("completed_on", widget=AdminDateInput),
        FieldPanel("certificate"),
    ]


class ScienceTaskViewSet(ReachViewSet):
    model = ScienceTask
    icon = "cogs"
    menu_label = _("S&T tasks")
    list_display = ["code", "title", "year", "host_organisation", "state_secret"]
    list_filter = ["year", "state_secret"]
    search_fields = ["title", "code"]
    panels = [
        FieldPanel("commune"),
        FieldPanel("title"),
        FieldPanel("code"),
        FieldPanel("decision"),
        FieldPanel("host_organisation"),
        FieldPanel("year"),
        FieldPanel("state_secret"),
        FieldPanel("outside_url"),
        FieldPanel("outside_published_on", widget=AdminDateInput),
        FieldPanel("note"),
    ]


class AwardViewSet(ReachViewSet):
    model = Award
    icon = "pick"
    menu_label = _("Awards")
    list_display = ["date", "decision_number", "title"]
    search_fields = ["title", "decision_number"]
    panels = [
        FieldPanel("commune"),
        FieldPanel("date", widget=AdminDateInput),
        FieldPanel("decision_number"),
        FieldPanel("title"),
        FieldPanel("recipients"),
        FieldPanel("activity"),
    ]


class SurveyViewSet(ReachViewSet):
    model = Survey
    icon = "list-ul"
    menu_label = _("Surveys")
    list_display = ["title", "start_date", "end_date"]
    panels = [
        FieldPanel("commune"),
        FieldPanel("title"),
        FieldPanel("question"),
        FieldPanel("start_date", widget=AdminDateInput),
        FieldPanel("end_date", widget=AdminDateInput),
        FieldPanel("activity"),
    ]


class SurveyStratumViewSet(ReachViewSet):
    model = SurveyStratum
    icon = "list-ol"
    menu_label = _("Survey answers by hamlet")
    list_display = ["survey", "hamlet", "sampled", "yes"]
    panels = [
        FieldPanel("commune"),
        FieldPanel("survey"),
        FieldPanel("hamlet"),
        FieldPanel("sampled"),
        FieldPanel("yes"),
    ]


class IndicatorTargetViewSet(ReachViewSet):
    model = IndicatorTarget
    icon = "pick"
    menu_label = _("Targets entered by hand")
    list_display = ["indicator", "year", "value", "note"]
    panels = [
        FieldPanel("commune"),
        FieldPanel("indicator"),
        FieldPanel("year"),
        FieldPanel("value"),
        FieldPanel("note"),
    ]


class ReachSettingsViewSet(ReachViewSet):
    model = ReachSettings
    icon = "cog"
    menu_label = _("Indicator settings")
    list_display = ["commune", "briefings_per_year", "column_items_per_month"]
    panels = [FieldPanel("commune"), FieldPanel("briefings_per_year"), FieldPanel("column_items_per_month")]


class ReadOnlyCreateMixin:
    def dispatch(self, request, *args, **kwargs):
        raise PermissionDenied


class ReadOnlyPermissionPolicy(ModelPermissionPolicy):
    """No add, change or delete here whatever the role holds, so the listing offers no button that would fail."""

    def user_has_permission(self, user, action):
        return action not in {"add", "change", "delete"} and super().user_has_permission(user, action)


class ChannelRecordViewSet(CommuneScopedViewSet):
    """Records written by a channel (the column, the radio, the roster import): listed and inspected, never edited
    here."""

    inspect_view_enabled = True

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for attr in ("add_view_class", "edit_view_class", "delete_view_class"):
            setattr(self, attr, type(f"ReadOnly{attr}", (ReadOnlyCreateMixin, getattr(self, attr)), {}))


class PublicationViewSet(ChannelRecordViewSet):
    model = Publication
    icon = "doc-full-inverse"
    menu_label = _("Publications")
    list_display = ["published_at", "title", "channel", "withdrawn_at"]
    list_filter = ["channel"]
    search_fields = ["title"]
    panels = [FieldPanel("title", read_only=True)]


class BroadcastViewSet(ChannelRecordViewSet):
    model = Broadcast
    icon = "media"
    menu_label = _("Broadcasts")
    list_display = ["broadcast_at", "title", "cancelled_at"]
    search_fields = ["title"]
    panels = [FieldPanel("title", read_only=True)]


class RosterImportViewSet(ChannelRecordViewSet):
    model = RosterImport
    icon = "upload"
    menu_label = _("Roster imports")
    list_display = ["created_at", "file_name", "created_by"]
    panels = [FieldPanel("file_name", read_only=True)]


for _model in (Publication, Broadcast, RosterImport):
    register_permission_policy(_model, ReadOnlyPermissionPolicy(_model), exact_class=True)


class ReachGroup(SnippetViewSetGroup):
    menu_label = _("Reach and indicators")
    menu_icon = "view"
    menu_order = 250
    items = (
        ContactViewSet,
        BriefingViewSet,
        TrainingCourseViewSet,
        TrainingCompletionViewSet,
        ScienceTaskViewSet,
        AwardViewSet,
        SurveyViewSet,
        SurveyStratumViewSet,
        IndicatorTargetViewSet,
        ReachSettingsViewSet,
        PublicationViewSet,
        BroadcastViewSet,
        RosterImportViewSet,
    )


register_snippet(ReachGroup)


@hooks.register("register_admin_menu_item")
def register_dashboard_menu_item():
    return PermMenuItem(
        _("Indicators dashboard"), reverse("reach:home"), icon_name="table", order=240, perm="reach.view_dashboard"
    )


# --- The landing page of the community digital team and of the province --------------------------------------


class LandingPanel(Component):
    """The digital team: its hamlets, each a link to the visit form. The province: its communes' indicators."""

    name = "reach_landing"
    order = 20
    template_name = "reach/admin/landing_panel.html"

    def __init__(self, request, roles_held):
        self.request, self.roles = request, roles_held

    def get_context_data(self, parent_context):
        user = self.request.user
        context = {}
        if roles.DIGITAL_TEAM in self.roles:
            communes = tenancy.communes_with_perm(user, "reach.add_contact")
            context["hamlets"] = [
                h for c in communes.order_by("name") for h in tenancy.hamlets_in_charge(user, c).order_by("name")
            ]
            context["visit_commune"] = communes.first()
        if roles.PROVINCE in self.roles:
            context["communes"] = list(
                tenancy.communes_with_perm(user, "reach.view_dashboard").select_related("province").order_by("name")
            )
        return context


@hooks.register("construct_homepage_panels")
def landing_panel(request, panels):
    held = tenancy.roles_of(request.user)
    if held & {roles.DIGITAL_TEAM, roles.PROVINCE}:
        panels.append(LandingPanel(request, held))
