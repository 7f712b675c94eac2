"""Back-office menu of the budget, its routes, and the estimates waiting for the leadership's approval."""

from django.urls import include, path, reverse
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext
from wagtail import hooks

from lantoa.tenancy import inbox
from lantoa.tenancy import selectors as tenancy_selectors
from lantoa.tenancy.menus import PermMenuItem

from . import admin_urls
from .models import Adjustment, EstimateLine, Status


@hooks.register("register_admin_urls")
def register_admin_urls():
    return [path("ngansach/", include(admin_urls, namespace="budget_admin"))]


@hooks.register("register_admin_menu_item")
def budget_item():
    return PermMenuItem(
        _("Budget"), reverse("budget_admin:index"), icon_name="form", order=106, perm="budget.view_estimateline"
    )


@hooks.register(inbox.HOOK)
def waiting_estimates(request):
    communes = tenancy_selectors.communes_with_perm(request.user, "budget.approve_estimateline")
    n = (
        EstimateLine.objects.filter(commune__in=communes, status=Status.SUBMITTED).count()
        + Adjustment.objects.filter(commune__in=communes, status=Status.SUBMITTED).count()
    )
    return [
        inbox.Item(
            ngettext("%(n)s estimate awaiting your approval", "%(n)s estimates awaiting your approval", n) % {"n": n},
            n,
            reverse("budget_admin:index"),
            order=17,
        )
    ]
