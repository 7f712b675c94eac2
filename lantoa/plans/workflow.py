"""An obstacle's path: raised → escalated to the leadership → answered → closed, and reopened by its unit.

Read by the services (every move) and the obstacle page (which moves to offer); see lantoa.tenancy.workflow.
A comment is not a move: anyone who can see the obstacle may add one in any state.
"""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from lantoa.tenancy.workflow import Transition, Workflow

from .models import Obstacle

S = Obstacle.Status
REFUSED = _("This obstacle is “%(status)s”: it cannot be %(action)s now.")

OBSTACLE_FLOW = Workflow(
    [
        Transition("escalate", (S.OPEN,), S.ESCALATED, ("plans.escalate_obstacle",), _("escalated"), REFUSED),
        Transition("answer", (S.OPEN, S.ESCALATED), S.ANSWERED, ("plans.answer_obstacle",), _("answered"), REFUSED),
        Transition("close", (S.ANSWERED,), S.CLOSED, ("plans.escalate_obstacle",), _("closed"), REFUSED),
        Transition("reopen", (S.ANSWERED, S.CLOSED), S.OPEN, ("plans.add_obstacle",), _("reopened"), REFUSED),
    ]
)
