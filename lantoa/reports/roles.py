"""What each role may do with the reports (granted to the commune's role groups at onboarding).

PVHCC compiles the report (drafts, edits, sends for approval); the leadership approves
and, with PVHCC, issues it (number and date from the register); the Fatherland Front, units and the province
read the reports; the province compares every commune's.
"""

_VIEW = ["reports.view_report", "reports.view_reportevent"]

ROLE_PERMISSIONS = {
    "leadership": _VIEW
    + ["reports.add_report", "reports.change_report", "reports.approve_report", "reports.issue_report"],
    "pvhcc": _VIEW + ["reports.add_report", "reports.change_report", "reports.issue_report"],
    "editor": _VIEW,
    "unit": _VIEW,
    "oversight": _VIEW,
    "province": _VIEW,
}
