"""The life of an awards round: draft → open for nominations → council scoring → decided.

Read by the services (every change) and the round's page (which buttons to show); see lantoa.tenancy.workflow.
``correct`` is not a move: it says who may issue a correcting decision after the first one.
"""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from lantoa.tenancy.workflow import Transition, Workflow

from .models import AwardRound

S = AwardRound.Status

ROUND_FLOW = Workflow(
    [
        Transition(
            "edit",
            (S.DRAFT,),
            S.DRAFT,
            ("awards.manage_round",),
            refused=_("The criteria and the council can be changed only while the round is a draft."),
        ),
        Transition(
            "open",
            (S.DRAFT,),
            S.OPEN,
            ("awards.manage_round",),
            label=_("Open for nominations"),
            refused=_("Only a draft round can be opened for nominations."),
        ),
        Transition(
            "nominate",
            (S.OPEN,),
            S.OPEN,
            ("awards.nominate",),
            refused=_("Nominations are accepted only while the round is open for nominations."),
        ),
        Transition(
            "score",
            (S.OPEN,),
            S.SCORING,
            ("awards.manage_round",),
            label=_("Close nominations and start scoring"),
            refused=_("Only a round open for nominations can move to scoring."),
        ),
        Transition(
            "decide",
            (S.SCORING,),
            S.DECIDED,
            ("awards.view_awardround",),
            refused=_("A decision is issued once the council has scored the nominations."),
        ),
        Transition(
            "correct",
            (S.DECIDED,),
            S.DECIDED,
            ("awards.view_awardround",),
            refused=_("Only a decided round can receive a correcting decision."),
        ),
    ]
)
