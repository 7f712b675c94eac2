"""The path of an estimate line and of an adjustment: drafted by the unit → sent for approval → approved (or
returned to draft). Read by the services (every move) and the pages (which buttons to show); see
lantoa.tenancy.workflow. An approved line's original estimate is frozen; a change is a new adjustment.
"""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from lantoa.tenancy.workflow import Transition, Workflow

from .models import Status as S

REFUSED = _("This estimate is “%(status)s”: it cannot be %(action)s now.")
DRAFTING = ("budget.add_estimateline",)
APPROVING = ("budget.approve_estimateline",)


def _flow() -> Workflow:
    return Workflow(
        [
            Transition("submit", (S.DRAFT,), S.SUBMITTED, DRAFTING, _("sent for approval"), REFUSED),
            Transition("approve", (S.SUBMITTED,), S.APPROVED, APPROVING, _("approved"), REFUSED),
            Transition("return", (S.SUBMITTED,), S.DRAFT, APPROVING, _("returned to draft"), REFUSED),
        ]
    )


LINE_FLOW = _flow()
ADJUSTMENT_FLOW = _flow()
