from django.urls import include, path, reverse
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.menu import MenuItem

from . import admin_urls


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
