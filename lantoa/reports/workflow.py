"""The life of a report: draft → awaiting approval → approved → issued (and back to draft before issue).

Read by the services (every change) and the report page (which buttons and forms to show); see
lantoa.tenancy.workflow. ``edit`` and ``new_draft`` are not moves: they say who may change a draft, and who may
start a corrected report after an issued one, in the same table as the moves.
"""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from lantoa.tenancy.workflow import Transition, Workflow

from .models import Report

S = Report.Status

REPORT_FLOW = Workflow(
    [
        Transition(
            "edit",
            (S.DRAFT,),
            S.DRAFT,
            ("reports.change_report",),
            refused=_("This report is no longer a draft: return it to draft before changing it."),
        ),
        Transition(
            "submit",
            (S.DRAFT,),
            S.SUBMITTED,
            ("reports.change_report",),
            refused=_("Only a draft can be sent for approval."),
        ),
        Transition(
            "approve",
            (S.DRAFT, S.SUBMITTED),
            S.APPROVED,
            ("reports.approve_report",),
            refused=_("Only a draft or a report awaiting approval can be approved."),
        ),
        # The author withdraws a submission, or the leadership sends it back; only the leadership reopens an
        # approved report.
        Transition(
            "return",
            (S.SUBMITTED,),
            S.DRAFT,
            ("reports.approve_report", "reports.change_report"),
            refused=_("Only a report awaiting approval or approved can be returned to draft."),
        ),
        Transition("return", (S.APPROVED,), S.DRAFT, ("reports.approve_report",)),
        Transition(
            "issue",
            (S.APPROVED,),
            S.ISSUED,
            ("reports.issue_report",),
            refused=_("Only an approved report can be issued."),
        ),
        Transition("new_draft", (S.ISSUED,), S.ISSUED, ("reports.add_report",)),
    ]
)
