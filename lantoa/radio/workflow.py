"""The approval of a radio bulletin: draft → submitted → approved (or rejected) → published, and back to draft.

Read by the services (every change) and the studio page (which buttons to show); see lantoa.tenancy.workflow.
"""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from lantoa.tenancy.workflow import Transition, Workflow

from .models import Bulletin

S = Bulletin.Status

BULLETIN_FLOW = Workflow(
    [
        Transition(
            "submit",
            (S.DRAFT, S.REJECTED),
            S.SUBMITTED,
            ("radio.submit_bulletin",),
            refused=_("Only a draft or a rejected bulletin can be submitted for approval."),
        ),
        Transition(
            "approve",
            (S.SUBMITTED,),
            S.APPROVED,
            ("radio.approve_bulletin",),
            refused=_("Only a bulletin submitted for approval can be approved."),
        ),
        Transition(
            "reject",
            (S.SUBMITTED,),
            S.REJECTED,
            ("radio.approve_bulletin",),
            refused=_("Only a bulletin submitted for approval can be rejected."),
        ),
        Transition(
            "publish",
            (S.APPROVED,),
            S.PUBLISHED,
            ("radio.publish_bulletin",),
            refused=_("Only an approved bulletin can be published."),
        ),
        # The editor withdraws a submission or takes a rejected bulletin back; leadership reopens what it approved.
        Transition(
            "reopen",
            (S.SUBMITTED, S.REJECTED),
            S.DRAFT,
            ("radio.change_bulletin",),
            refused=_("This bulletin is already a draft."),
        ),
        Transition("reopen", (S.APPROVED, S.PUBLISHED), S.DRAFT, ("radio.approve_bulletin",)),
    ]
)
