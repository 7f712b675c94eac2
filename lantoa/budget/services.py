"""Every write of the budget: estimate lines, their approval, adjustments, spending entries.

Each function checks the actor's permission in the line's commune (and, for a unit, that the line is its own),
validates, writes in one transaction and records a step of the line's history (``BudgetEvent``). A refusal is a
``ValidationError`` or ``PermissionDenied`` with a Vietnamese message and nothing written.
"""

from __future__ import annotations

import datetime as dt
import mimetypes
from decimal import Decimal, InvalidOperation
from pathlib import Path

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from lantoa.tenancy import locks, uploads
from lantoa.tenancy import services as tenancy
from lantoa.tenancy.models import Commune, Unit

from . import selectors
from .models import Adjustment, BudgetEvent, EstimateLine, Spending, Status
from .workflow import ADJUSTMENT_FLOW, LINE_FLOW

LINE_FIELDS = ("year", "unit", "task", "title", "source", "amount", "note")
MAX_EVIDENCE_BYTES = 10 * 1024 * 1024
EVIDENCE_TYPES = {
    "image/jpeg": b"\xff\xd8\xff",
    "image/png": b"\x89PNG",
    "application/pdf": b"%PDF",
}


def _money(value, field: str) -> Decimal:
    try:
        amount = Decimal(str(value)).quantize(Decimal(1))
    except (InvalidOperation, TypeError, ValueError):
        raise ValidationError({field: _("Enter an amount in đồng.")}) from None
    if amount < 0:
        raise ValidationError({field: _("An amount cannot be negative.")})
    return amount


def _require_unit(actor, commune: Commune | int, unit: Unit | None) -> None:
    commune = commune if isinstance(commune, Commune) else Commune.objects.get(pk=commune)
    if not selectors.can_enter_for(actor, commune, unit):
        raise PermissionDenied(_("You can only enter the budget of your own unit."))


def _check_line(line: EstimateLine) -> None:
    if line.task_id and line.task.commune_id != line.commune_id:
        raise ValidationError({"task": _("This must belong to the same commune.")})
    if line.unit_id and line.unit.commune_id != line.commune_id:
        raise ValidationError({"unit": _("This must belong to the same commune.")})
    if line.unit_id is None:
        raise ValidationError({"unit": _("Choose the unit in charge.")})
    line.full_clean(exclude=["version"])


# --- Estimate lines ---------------------------------------------------------------------------------------------


@transaction.atomic
def create_line(actor, commune: Commune, **fields) -> EstimateLine:
    """A unit's draft estimate line (its own unit, unless the actor may enter for any unit)."""
    tenancy.require_commune_perm(actor, "budget.add_estimateline", commune)
    fields["amount"] = _money(fields.get("amount"), "amount")
    line = EstimateLine(commune=commune, created_by=actor, **{k: v for k, v in fields.items() if k in LINE_FIELDS})
    _require_unit(actor, commune, line.unit)
    _check_line(line)
    line.save()
    BudgetEvent.record(line, "create", actor)
    return line


@transaction.atomic
def update_line(actor, line: EstimateLine, *, loaded_version: int | None = None, **fields) -> EstimateLine:
    """Change a draft line. Once sent for approval the original estimate is frozen; an approved line changes only
    through an adjustment."""
    tenancy.require_commune_perm(actor, "budget.change_estimateline", line.commune_id)
    line = EstimateLine.objects.select_for_update(of=("self",)).get(pk=line.pk)
    _require_unit(actor, line.commune, line.unit)
    if line.status == Status.APPROVED:
        raise ValidationError(
            _("The original estimate was approved and is frozen. To change it, record an adjustment with its reason.")
        )
    if line.status != Status.DRAFT:
        raise ValidationError(_("The estimate is awaiting approval: it can be changed only after it is returned."))
    if "amount" in fields:
        fields["amount"] = _money(fields["amount"], "amount")
    for name, value in fields.items():
        if name in LINE_FIELDS:
            setattr(line, name, value)
    _require_unit(actor, line.commune, line.unit)
    _check_line(line)
    line.loaded_version = loaded_version
    line.save()
    BudgetEvent.record(line, "edit", actor)
    return line


@transaction.atomic
def delete_line(actor, line: EstimateLine) -> None:
    tenancy.require_commune_perm(actor, "budget.delete_estimateline", line.commune_id)
    _require_unit(actor, line.commune, line.unit)
    if line.status != Status.DRAFT:
        raise ValidationError(_("Only a draft estimate line can be deleted."))
    line.delete()


def _move(flow, actor, obj, action: str, text: str = ""):
    transition = flow.check(actor, obj, action)
    if action == "submit":
        _require_unit(actor, obj.commune, obj.unit if isinstance(obj, EstimateLine) else obj.line.unit)
    if action == "return" and not text.strip():
        raise ValidationError(_("Say why it is returned."))
    flow.move(obj, transition)
    if action == "approve":
        obj.approved_at, obj.approved_by = timezone.now(), actor
    return transition


@transaction.atomic
def move_line(actor, line: EstimateLine, action: str, text: str = "") -> EstimateLine:
    """submit / approve / return an estimate line (``workflow.LINE_FLOW``)."""
    line = EstimateLine.objects.select_for_update(of=("self",)).select_related("commune", "unit").get(pk=line.pk)
    _move(LINE_FLOW, actor, line, action, text)
    line.save()
    BudgetEvent.record(line, action, actor, text)
    return line


# --- Adjustments ------------------------------------------------------------------------------------------------


@transaction.atomic
def propose_adjustment(actor, line: EstimateLine, *, amount, reason: str) -> Adjustment:
    """A new estimate for an approved line, with its reason; it counts once approved. One open at a time."""
    tenancy.require_commune_perm(actor, "budget.add_adjustment", line.commune_id)
    line = EstimateLine.objects.select_for_update(of=("self",)).select_related("commune", "unit").get(pk=line.pk)
    _require_unit(actor, line.commune, line.unit)
    if line.status != Status.APPROVED:
        raise ValidationError(_("Only an approved estimate can be adjusted; a draft is simply edited."))
    if selectors.open_adjustment(line) is not None:
        raise ValidationError(_("An adjustment of this line is already waiting: finish it first."))
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": _("Give the reason for the adjustment.")})
    amount = _money(amount, "amount")
    current = selectors.current_amounts([line.pk]).get(line.pk, (line.amount, 0))[0]
    if amount == current:
        raise ValidationError({"amount": _("The adjusted estimate is the same as the estimate in force.")})
    number = (line.adjustments.order_by("-number").values_list("number", flat=True).first() or 0) + 1
    adj = Adjustment.objects.create(
        commune_id=line.commune_id, line=line, number=number, amount=amount, reason=reason, created_by=actor
    )
    BudgetEvent.record(line, "adjust", actor, reason)
    return adj


@transaction.atomic
def move_adjustment(actor, adj: Adjustment, action: str, text: str = "") -> Adjustment:
    adj = (
        Adjustment.objects.select_for_update(of=("self",)).select_related("line__unit", "line__commune").get(pk=adj.pk)
    )
    adj.commune = adj.line.commune
    _move(ADJUSTMENT_FLOW, actor, adj, action, text)
    adj.save()
    BudgetEvent.record(adj.line, f"adjust_{action}", actor, text)
    return adj


# --- Spending ---------------------------------------------------------------------------------------------------


def _check_evidence(upload) -> str:
    name = Path(upload.name or "tep").name
    head = upload.read(8)
    upload.seek(0)
    guessed = mimetypes.guess_type(name)[0] or ""
    if guessed not in EVIDENCE_TYPES or not head.startswith(EVIDENCE_TYPES[guessed]):
        raise ValidationError(
            {"evidence": _("“%(name)s” is not an accepted file (a scan as PDF, JPEG or PNG).") % {"name": name}}
        )
    uploads.check_upload(upload, name, max_bytes=MAX_EVIDENCE_BYTES)
    upload.seek(0)
    return name


@transaction.atomic
def record_spending(
    actor, line: EstimateLine, *, date: dt.date, amount, what: str, document_number: str = "", evidence=None
) -> Spending:
    """Money spent on an approved line on a day, with a scanned voucher or the number of its document.

    Refused in a period locked by an issued report, so the report's "spent up to the cut-off" cannot move."""
    tenancy.require_commune_perm(actor, "budget.add_spending", line.commune_id)
    line = EstimateLine.objects.select_related("commune", "unit").get(pk=line.pk)
    _require_unit(actor, line.commune, line.unit)
    if line.status != Status.APPROVED:
        raise ValidationError(_("Spending is recorded against an approved estimate."))
    if date is None:
        raise ValidationError({"date": _("Enter the date of the payment.")})
    if date > timezone.localdate():
        raise ValidationError({"date": _("Spending is recorded after it happens: the date is in the future.")})
    if date.year != line.year:
        raise ValidationError({"date": _("The date must be in the estimate's year (%(year)s).") % {"year": line.year}})
    amount = _money(amount, "amount")
    if amount <= 0:
        raise ValidationError({"amount": _("Enter the amount paid.")})
    document_number = (document_number or "").strip()
    if evidence is None and not document_number:
        raise ValidationError(_("Attach the evidence (a scan of the voucher) or enter the document's number."))
    locks.ensure_open(line.commune_id, date, field="date")
    entry = Spending(
        commune_id=line.commune_id,
        line=line,
        date=date,
        amount=amount,
        what=(what or "").strip(),
        document_number=document_number,
        created_by=actor,
    )
    entry.full_clean(exclude=["evidence"])
    if evidence is not None:
        name = _check_evidence(evidence)
        entry.evidence.save(name, evidence, save=False)
    entry.save()
    BudgetEvent.record(line, "spend", actor, f"{date:%d/%m/%Y}: {amount}")
    return entry


@transaction.atomic
def delete_spending(actor, entry: Spending) -> None:
    tenancy.require_commune_perm(actor, "budget.delete_spending", entry.commune_id)
    _require_unit(actor, entry.line.commune, entry.line.unit)
    locks.ensure_record_open(entry, deleting=True)
    BudgetEvent.record(entry.line, "unspend", actor, f"{entry.date:%d/%m/%Y}: {entry.amount}")
    if entry.evidence:
        name, storage = entry.evidence.name, entry.evidence.storage
        transaction.on_commit(lambda: storage.delete(name))
    entry.delete()
