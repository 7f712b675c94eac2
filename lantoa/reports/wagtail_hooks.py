"""Back-office menus of the reports (the semi-annual reports, the province roll-up), the reports
that wait for the user, and the reports on the focal point's landing page."""

import datetime as dt

from django.urls import include, path, reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext
from wagtail import hooks
from wagtail.admin.menu import MenuItem
from wagtail.admin.ui.components import Component

from lantoa.tenancy import inbox, roles
from lantoa.tenancy import selectors as tenancy_selectors

from . import admin_urls, periods, selectors
from .models import Report

# A report appears in the focal point's inbox this many days before its deadline (and stays until issued).
DUE_WITHIN = dt.timedelta(days=30)


@hooks.register("register_admin_urls")
def register_admin_urls():
    return [path("baocao/", include(admin_urls, namespace="reports_admin"))]


class ReportMenuItem(MenuItem):
    def __init__(self, label, name, icon, order, perm, *, several_communes: bool = False):
        super().__init__(label, reverse(f"reports_admin:{name}"), icon_name=icon, order=order)
        self.perm = perm
        self.several_communes = several_communes

    def is_shown(self, request):
        if not request.user.has_perm(self.perm):
            return False
        if self.several_communes:
            return tenancy_selectors.communes_for(request.user).count() > 1
        return True


@hooks.register("register_admin_menu_item")
def reports_item():
    return ReportMenuItem(_("Semi-annual reports"), "index", "doc-full", 104, "reports.view_report")


@hooks.register("register_admin_menu_item")
def province_item():
    return ReportMenuItem(_("Province roll-up"), "province", "table", 105, "reports.view_report", several_communes=True)


# --- What waits for the user (tenancy.inbox) and the focal point's landing page -----------------------------


@hooks.register(inbox.HOOK)
def waiting_reports(request):
    """Reports awaiting approval (leadership), approved ones awaiting issue, and this year's reports falling due."""
    user = request.user
    index = reverse("reports_admin:index")
    submitted = Report.objects.filter(
        commune__in=tenancy_selectors.communes_with_perm(user, "reports.approve_report"),
        status=Report.Status.SUBMITTED,
    ).count()
    approved = Report.objects.filter(
        commune__in=tenancy_selectors.communes_with_perm(user, "reports.issue_report"), status=Report.Status.APPROVED
    ).count()
    items = [
        inbox.Item(
            ngettext("%(n)s report awaiting your approval", "%(n)s reports awaiting your approval", submitted)
            % {"n": submitted},
            submitted,
            index,
            order=15,
        ),
        inbox.Item(
            ngettext("%(n)s approved report to issue", "%(n)s approved reports to issue", approved) % {"n": approved},
            approved,
            index,
            order=25,
        ),
    ]
    today = timezone.localdate()
    for commune in tenancy_selectors.communes_with_perm(user, "reports.add_report")[:5]:
        for kind in selectors.ROLLUP_KINDS:
            span = periods.for_kind(kind, today.year)
            if span.deadline is None or today < span.deadline - DUE_WITHIN:
                continue
            report = selectors.latest(commune, span)
            if report is None or report.status == Report.Status.DRAFT:
                items.append(
                    inbox.Item(selectors.state_text(report, span, today), 1, f"{index}?commune={commune.pk}", 28)
                )
    return items


class ReportsPanel(Component):
    """This year's two reports and where each stands, on the focal point's and the leadership's landing page."""

    name = "reports_landing"
    order = 30
    template_name = "reports/admin/landing_panel.html"

    def __init__(self, panel):
        self.panel = panel

    def get_context_data(self, parent_context):
        return {"panel": self.panel}


@hooks.register("construct_homepage_panels")
def landing_panel(request, panels):
    if not {roles.PVHCC, roles.LEADERSHIP} & tenancy_selectors.roles_of(request.user):
        return
    commune = tenancy_selectors.communes_with_perm(request.user, "reports.add_report").first()
    panel = selectors.overview_panel(commune, request.user) if commune else None
    if panel:
        panels.append(ReportsPanel(panel))
