"""Back-office menus of the plan, what of the plan waits for the user, and the plan on each role's landing page."""

from django.urls import include, path, reverse
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext
from wagtail import hooks
from wagtail.admin.menu import MenuItem
from wagtail.admin.ui.components import Component

from lantoa.tenancy import inbox, roles
from lantoa.tenancy import selectors as tenancy
from lantoa.tenancy import services as tenancy_services

from . import admin_urls, selectors
from .models import Obstacle, Task


@hooks.register("register_admin_urls")
def register_admin_urls():
    return [path("plans/", include(admin_urls, namespace="plans_admin"))]


class PlanMenuItem(MenuItem):
    def __init__(self, label, name, icon, order, perm):
        super().__init__(label, reverse(f"plans_admin:{name}"), icon_name=icon, order=order)
        self.perm = perm

    def is_shown(self, request):
        return request.user.has_perm(self.perm)


@hooks.register("register_admin_menu_item")
def overview_item():
    return PlanMenuItem(_("Plan overview"), "overview", "tasks", 100, "plans.view_plan")


@hooks.register("register_admin_menu_item")
def tasks_item():
    return PlanMenuItem(_("Tasks and activities"), "tasks", "list-ul", 101, "plans.view_task")


@hooks.register("register_admin_menu_item")
def obstacles_item():
    return PlanMenuItem(_("Obstacles and proposals"), "obstacles", "warning", 102, "plans.view_obstacle")


@hooks.register("register_admin_menu_item")
def calendar_item():
    return PlanMenuItem(_("Calendar"), "calendar", "date", 103, "plans.view_calendarevent")


# --- What waits for the user (tenancy.inbox) and the landing page --------------------------------------------


@hooks.register(inbox.HOOK)
def waiting_obstacles(request):
    """Obstacles escalated to the leadership wait for its answer; newly raised ones wait for the focal point."""
    user, url = request.user, reverse("plans_admin:obstacles")
    items = []
    escalated = Obstacle.objects.filter(
        commune__in=tenancy.communes_with_perm(user, "plans.answer_obstacle"), status=Obstacle.Status.ESCALATED
    ).count()
    items.append(
        inbox.Item(
            ngettext(
                "%(n)s obstacle escalated, awaiting your answer",
                "%(n)s obstacles escalated, awaiting your answer",
                escalated,
            )
            % {"n": escalated},
            escalated,
            url,
            order=10,
        )
    )
    raised = Obstacle.objects.filter(
        commune__in=tenancy.communes_with_perm(user, "plans.escalate_obstacle"), status=Obstacle.Status.OPEN
    ).count()
    items.append(
        inbox.Item(
            ngettext("%(n)s new obstacle to handle", "%(n)s new obstacles to handle", raised) % {"n": raised},
            raised,
            url,
            order=20,
        )
    )
    return items


class LandingPanel(Component):
    """The plan as each role needs it on its landing page.

    Leadership: the overview's figures and the late tasks, with a link to the whole overview. PVHCC focal point:
    late tasks and obstacles waiting. A unit: its own tasks. The Fatherland Front: the obstacles not yet closed.
    """

    name = "plans_landing"
    order = 20
    template_name = "plans/admin/landing_panel.html"

    def __init__(self, request, commune, roles_held):
        self.request, self.commune, self.roles = request, commune, roles_held

    def get_context_data(self, parent_context):
        user, commune = self.request.user, self.commune
        plan = selectors.active_plan(commune)
        states = selectors.task_states(plan) if plan else []
        context = {"commune": commune, "plan": plan, "status_labels": selectors.STATUS_LABELS}
        if roles.LEADERSHIP in self.roles or roles.PVHCC in self.roles:
            counts = {status: 0 for status in selectors.STATUS_LABELS}
            for state in states:
                counts[state.status] += 1
            context["counts"] = [(selectors.STATUS_LABELS[s], n, s) for s, n in counts.items()]
            context["late"] = [s for s in states if s.status == Task.Status.LATE][:10]
            context["late_total"] = sum(1 for s in states if s.status == Task.Status.LATE)
            context["show_overview"] = True
        if roles.UNIT in self.roles or roles.EDITOR in self.roles:
            own = tenancy_services.unit_of(user, commune)
            if own is not None:
                context["own_unit"] = own
                context["own_tasks"] = [
                    s for s in states if own in s.task.lead_units.all() or own in s.task.cooperating_units.all()
                ]
        if roles.PVHCC in self.roles or roles.OVERSIGHT in self.roles:
            context["obstacles"] = list(
                selectors.obstacles(user)
                .filter(commune=commune)
                .exclude(status=Obstacle.Status.CLOSED)
                .select_related("unit")
                .order_by("-pk")[:10]
            )
            context["show_obstacles"] = True
        return context


@hooks.register("construct_homepage_panels")
def landing_panel(request, panels):
    held = tenancy.roles_of(request.user)
    if not held & {roles.LEADERSHIP, roles.PVHCC, roles.UNIT, roles.EDITOR, roles.OVERSIGHT}:
        return
    commune = tenancy.communes_with_perm(request.user, "plans.view_plan").first()
    if commune is not None:
        panels.append(LandingPanel(request, commune, held))
