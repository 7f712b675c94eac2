"""What each role may do with the reports and the budget lines (granted to the commune's role groups at onboarding).

PVHCC compiles the report (drafts, edits, sends for approval) and enters the budget; the leadership approves
and, with PVHCC, issues it (number and date from the register); the Fatherland Front, units and the province
read the reports; the province compares every commune's.
"""

_VIEW = ["reports.view_report", "reports.view_reportevent", "reports.view_budgetline"]
_BUDGET = ["reports.add_budgetline", "reports.change_budgetline", "reports.delete_budgetline"]

ROLE_PERMISSIONS = {
    "leadership": _VIEW
    + _BUDGET
    + ["reports.add_report", "reports.change_report", "reports.approve_report", "reports.issue_report"],
    "pvhcc": _VIEW + _BUDGET + ["reports.add_report", "reports.change_report", "reports.issue_report"],
    "editor": _VIEW,
    "unit": _VIEW,
    "oversight": _VIEW,
    "province": _VIEW,
}
