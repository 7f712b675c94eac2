"""What each role may do with the plan (granted to the commune's role groups at onboarding)."""

_VIEW = ["plans.view_plan", "plans.view_task", "plans.view_activity", "plans.view_obstacle", "plans.view_calendarevent"]

ROLE_PERMISSIONS = {
    "leadership": _VIEW
    + [
        "plans.add_obstacle",
        "plans.answer_obstacle",
        "plans.add_activity",
        "plans.record_any_activity",
        "plans.change_task",
    ],
    "pvhcc": _VIEW
    + [
        "plans.add_plan",
        "plans.change_plan",
        "plans.change_task",
        "plans.add_activity",
        "plans.change_activity",
        "plans.delete_activity",
        "plans.record_any_activity",
        "plans.add_obstacle",
        "plans.escalate_obstacle",
        "plans.add_calendarevent",
    ],
    "editor": _VIEW + ["plans.add_activity", "plans.change_activity", "plans.delete_activity", "plans.add_obstacle"],
    "unit": _VIEW + ["plans.add_activity", "plans.change_activity", "plans.delete_activity", "plans.add_obstacle"],
    "digital_team": _VIEW + ["plans.add_activity", "plans.add_obstacle"],
    "oversight": _VIEW,
    "province": _VIEW,
}
