"""Back-office screens for the commune's units, staff, hamlets, households and the access log; the menus that
every app shares (Wagtail's reports and help), the inbox of what waits for the user and the landing page."""

from __future__ import annotations

import django_filters
from django.core.exceptions import PermissionDenied
from django.urls import path, reverse
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.filters import WagtailFilterSet
from wagtail.admin.menu import MenuItem
from wagtail.admin.panels import FieldPanel
from wagtail.admin.ui.components import Component
from wagtail.admin.ui.sidebar import LinkMenuItem as LinkMenuItemComponent
from wagtail.admin.ui.tables import UpdatedAtColumn
from wagtail.admin.views.account import BaseSettingsPanel, notifications_tab
from wagtail.admin.widgets import AdminDateInput
from wagtail.log_actions import log
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSetGroup

from . import admin_views, digest, guide, inbox, roles, second_factor, selectors, services
from . import views as second_factor_views
from .forms import InboxDigestForm
from .menus import PermMenuItem
from .models import Hamlet, Household, HouseholdChange, PersonalDataAccess, Staff, Unit, UserAccount
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


@hooks.register("construct_page_chooser_queryset")
def _chooser_pages_of_own_communes(pages, request):
    """The page chooser (browsing and its search) offers only the pages of the user's communes: Wagtail's own
    lists every page of the site, drafts of other communes included."""
    if request.user.is_superuser:
        return pages
    return pages.filter(selectors.commune_pages_filter(request.user))


# Wagtail's help links open its English guide on the internet; Lan Tỏa's own guide (docs/huong-dan/, served at
# /huong-dan/ by tenancy.guide) takes their place, opening on the page of the user's role.
WAGTAIL_HELP_ITEMS = ("editor-guide", "whats-new-in-wagtail-")


class GuideMenuItem(MenuItem):
    """“Hướng dẫn sử dụng” in the help menu: the guide page of the user's own role."""

    def render_component(self, request):
        return LinkMenuItemComponent(self.name, self.label, guide.url_for(request.user), icon_name=self.icon_name)


@hooks.register("register_help_menu_item")
def _guide_menu_item():
    return GuideMenuItem(_("User guide"), reverse("guide_index"), name="lantoa-guide", icon_name="help", order=900)


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


@hooks.register("register_admin_urls")
def register_second_factor_urls():
    return [
        path("xac-thuc-2-buoc/", second_factor_views.verify, name="second_factor_verify"),
        path("xac-thuc-2-buoc/dang-ky/", second_factor_views.enrol, name="second_factor_enrol"),
    ]


class InboxDigestSettingsPanel(BaseSettingsPanel):
    """Account › Notifications: the daily e-mail of what waits for the user (tenancy.digest), shown when e-mail is
    configured. A user with no UserAccount yet gets one when they save."""

    name = "lantoa_inbox_digest"
    title = _("Daily e-mail")
    tab = notifications_tab
    order = 50
    form_class = InboxDigestForm

    def is_active(self):
        return digest.enabled()

    def get_form(self):
        account = UserAccount.objects.filter(user=self.user).first() or UserAccount(user=self.user)
        data = (self.request.POST,) if self.request.method == "POST" else ()
        return self.form_class(*data, instance=account, prefix=self.name)


@hooks.register("register_account_settings_panel")
def _inbox_digest_panel(request, user, profile):
    return InboxDigestSettingsPanel(request, user, profile)


@hooks.register("register_account_menu_item")
def second_factor_account_item(request):
    """On the account page of leadership and province roles: enrol (or see) the two-step sign-in."""
    if not second_factor.may_enrol(request.user):
        return None
    return {
        "url": reverse("second_factor_enrol"),
        "label": _("Two-step sign-in"),
        "help_text": _("Ask for a code from an authenticator app after the password."),
    }


# --- Administration without a shell: the commune's logins, onboarding a commune ----------------------------------


@hooks.register("register_admin_urls")
def _account_urls():
    return [
        path("tai-khoan/", admin_views.logins_index, name="tenancy_logins"),
        path("tai-khoan/them/", admin_views.login_add, name="tenancy_login_add"),
        path("tai-khoan/vai-tro/", admin_views.login_roles, name="tenancy_login_roles"),
        path("tai-khoan/khoa/", admin_views.login_deactivate, name="tenancy_login_deactivate"),
        path("tai-khoan/mo-lai/", admin_views.login_reactivate, name="tenancy_login_reactivate"),
        path("tai-khoan/dat-lai-mat-khau/", admin_views.login_reset_password, name="tenancy_login_reset_password"),
        path(
            "tai-khoan/tat-xac-thuc-2-buoc/",
            admin_views.login_reset_second_factor,
            name="tenancy_login_reset_second_factor",
        ),
        path("mat-khau-moi/", admin_views.password_change, name="tenancy_password_change"),
        path("tiep-nhan-xa/", admin_views.commune_onboard, name="tenancy_commune_onboard"),
    ]


class OnboardMenuItem(MenuItem):
    """Shown to a province's staff (and an administrator)."""

    def is_shown(self, request):
        return bool(selectors.provinces_managed(request.user))


@hooks.register("register_admin_menu_item")
def _logins_menu_item():
    # Shown to whoever manages the logins of at least one commune (the focal point, an administrator).
    return PermMenuItem(
        _("Logins"), reverse("tenancy_logins"), name="logins", icon_name="user", order=210, perm=services.MANAGE_LOGINS
    )


@hooks.register("register_admin_menu_item")
def _onboard_menu_item():
    return OnboardMenuItem(
        _("Onboard a commune"), reverse("tenancy_commune_onboard"), name="onboard", icon_name="site", order=211
    )
