"""What each role may do with the budget (granted to the commune's role groups at onboarding).

A unit drafts and sends its own estimate lines and records its spending; PVHCC may do so for any unit; the
leadership approves estimates and adjustments. The consolidated proposal (XLSX + Tờ trình) is made by the
Economic Office — the staff of the unit named "Phòng Kinh tế" (``selectors.can_consolidate``) — and by PVHCC and
the leadership, who hold ``consolidate_estimateline``. The Front and the province read.
"""

_VIEW = ["budget.view_estimateline", "budget.view_adjustment", "budget.view_spending", "budget.view_budgetevent"]
_ENTER = [
    "budget.add_estimateline",
    "budget.change_estimateline",
    "budget.delete_estimateline",
    "budget.add_adjustment",
    "budget.add_spending",
    "budget.delete_spending",
]

ROLE_PERMISSIONS = {
    "leadership": _VIEW
    + _ENTER
    + ["budget.approve_estimateline", "budget.consolidate_estimateline", "budget.enter_for_any_unit"],
    "pvhcc": _VIEW + _ENTER + ["budget.consolidate_estimateline", "budget.enter_for_any_unit"],
    "unit": _VIEW + _ENTER,
    "oversight": _VIEW,
    "province": _VIEW,
}
