"""The approval of an outside certificate: submitted → approved or refused (an approved one may still be refused,
with a reason, when it proves wrong). See lantoa.tenancy.workflow."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from lantoa.tenancy.workflow import Transition, Workflow

from .models import ExternalCertificate

S = ExternalCertificate.Status

EXTERNAL_FLOW = Workflow(
    [
        Transition(
            "approve",
            (S.SUBMITTED,),
            S.APPROVED,
            ("learning.approve_externalcertificate",),
            label=_("Approve"),
            refused=_("Only a certificate waiting for approval can be approved."),
        ),
        Transition(
            "refuse",
            (S.SUBMITTED, S.APPROVED),
            S.REFUSED,
            ("learning.approve_externalcertificate",),
            label=_("Refuse"),
            refused=_("This certificate has already been refused."),
        ),
    ]
)
