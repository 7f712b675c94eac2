"""Back-office menus of the reports: the semi-annual reports, the province roll-up and the budget lines."""

from django.urls import include, path, reverse
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.menu import MenuItem
from wagtail.admin.panels import FieldPanel
from wagtail.snippets.models import register_snippet

from lantoa.tenancy import selectors as tenancy_selectors
from lantoa.tenancy.viewsets import CommuneScopedForm, CommuneScopedViewSet

from . import admin_urls
from .models import BudgetLine


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


class BudgetLineForm(CommuneScopedForm):
    """Offers only the tasks of plans in force (a superseded version's tasks are history)."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if "task" in self.fields:
            self.fields["task"].queryset = self.fields["task"].queryset.filter(plan__status="active")


class BudgetLineViewSet(CommuneScopedViewSet):
    model = BudgetLine
    base_form_class = BudgetLineForm
    icon = "form"
    menu_label = _("Budget")
    add_to_admin_menu = True
    menu_order = 106
    list_display = ["year", "title", "task", "unit", "estimate", "spent", "source"]
    list_filter = ["year", "source"]
    search_fields = ["title", "note"]
    panels = [
        FieldPanel("commune"),
        FieldPanel("year"),
        FieldPanel("task"),
        FieldPanel("unit"),
        FieldPanel("title"),
        FieldPanel("estimate"),
        FieldPanel("spent"),
        FieldPanel("source"),
        FieldPanel("note"),
    ]


register_snippet(BudgetLineViewSet)
