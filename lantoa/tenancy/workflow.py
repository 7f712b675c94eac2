"""The one approval mechanism for records that are not Wagtail pages: a small state machine per kind of record.

A :class:`Workflow` lists its :class:`Transition` s — an action (``submit``, ``approve``…), the states it leaves
from, the state it arrives at and the commune permission it needs. Services call :meth:`Workflow.check` before
changing a record (wrong state → a Vietnamese ``ValidationError``, missing role → ``PermissionDenied``), then
:meth:`Workflow.apply`; views and templates ask :meth:`Workflow.allowed_actions` which buttons to show. No view
compares statuses itself, so the rules live in one place per kind of record.

Column items (Wagtail pages) keep Wagtail's own page workflow, which is the same idea with revisions; radio
bulletins, reports, and the coming budgets and awards use this one.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from django.core.exceptions import PermissionDenied, ValidationError
from django.utils.translation import gettext as _

from .services import has_commune_perm


@dataclass(frozen=True)
class Transition:
    """One step: ``action`` from any of ``sources`` to ``target``, for a user holding one of ``permissions``.

    ``refused`` is the message a user gets when the record is not in one of ``sources`` (it may name the record's
    ``%(status)s`` and the transition's ``%(action)s`` label). Two transitions may share
    an action when who may take it depends on the state (withdrawing a submission vs reopening an approved one).
    """

    action: str
    sources: tuple[str, ...]
    target: str
    permissions: tuple[str, ...]
    label: str = ""
    refused: str = ""

    def permitted(self, user, commune_id: int) -> bool:
        return any(has_commune_perm(user, perm, commune_id) for perm in self.permissions)


class Workflow:
    """The transitions of one kind of record, read by services, views and templates alike."""

    def __init__(self, transitions: Iterable[Transition], *, status_field: str = "status"):
        self.transitions = tuple(transitions)
        self.status_field = status_field

    def _state(self, obj) -> str:
        return getattr(obj, self.status_field)

    def _for(self, action: str) -> list[Transition]:
        found = [t for t in self.transitions if t.action == action]
        if not found:
            raise ValueError(f"unknown action {action!r}")
        return found

    def check(self, user, obj, action: str) -> Transition:
        """The transition ``user`` may take on ``obj`` now; raises with a Vietnamese message otherwise."""
        candidates = self._for(action)
        if not any(t.permitted(user, obj.commune_id) for t in candidates):
            raise PermissionDenied(_("You do not have permission to do this in this commune."))
        transition = next((t for t in candidates if self._state(obj) in t.sources), None)
        if transition is None:
            refused = candidates[0].refused or _("This cannot be done in the record's current state.")
            if "%(" in str(refused):
                status = getattr(obj, f"get_{self.status_field}_display")()
                refused = str(refused) % {"status": status, "action": candidates[0].label}
            raise ValidationError(refused)
        if not transition.permitted(user, obj.commune_id):
            raise PermissionDenied(_("You do not have permission to do this in this commune."))
        return transition

    def move(self, obj, transition: Transition) -> Transition:
        """Put ``obj`` in the target state of a transition ``check`` returned (the caller saves it).

        For a service that validates more between the check and the move, so the check is not run twice."""
        setattr(obj, self.status_field, transition.target)
        return transition

    def apply(self, user, obj, action: str) -> Transition:
        """Check, then move ``obj`` to the transition's target state (the caller saves it)."""
        return self.move(obj, self.check(user, obj, action))

    def allowed_actions(self, user, obj) -> set[str]:
        """The actions ``user`` may take on ``obj`` in its current state (the buttons a page shows)."""
        state = self._state(obj)
        return {t.action for t in self.transitions if state in t.sources and t.permitted(user, obj.commune_id)}


__all__ = ["Transition", "Workflow"]
