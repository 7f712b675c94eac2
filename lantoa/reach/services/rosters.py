"""The roster of hamlets and households: its import (Excel or CSV, every row valid or nothing written), and
reading a household's personal data (name, phone) for someone allowed to.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

from auditlog.models import LogEntry
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from lantoa.tenancy import locks
from lantoa.tenancy.models import Commune, Hamlet, Household, HouseholdChange, household_code_validator
from lantoa.tenancy.services import (
    has_commune_perm,
    read_personal_data,
    record_household_change,
    require_commune_perm,
)
from lantoa.tenancy.tasks import refresh_baselines

from .. import engine, tables
from ..models import RosterImport
from .common import cap_errors

ROSTER_COLUMNS = {
    "hamlet": ("Thôn", "Thôn, bản", "Thôn/bản", "Thôn/tổ dân phố", "Tổ dân phố", "Hamlet"),
    "code": ("Mã hộ", "Mã số hộ", "Household code", "code"),
    "members": ("Số nhân khẩu", "Nhân khẩu", "Số thành viên", "Số người", "Members"),
    "name": ("Chủ hộ", "Họ tên chủ hộ", "Tên chủ hộ", "Head of household", "Name"),
    "phone": ("Điện thoại", "Số điện thoại", "SĐT", "Phone"),
}
PHONE = re.compile(r"^\+?[0-9 .]{8,15}$")


@dataclass
class RosterResult:
    summary: dict
    changes: list[dict]
    record: RosterImport | None = None


def _roster_rows(table, commune_id):
    errors, rows, seen = [], [], {}
    for number, cells in table.rows:
        hamlet = " ".join(table.get(cells, "hamlet").split())
        code = table.get(cells, "code").strip()
        members_text = table.get(cells, "members").strip()
        name = " ".join(table.get(cells, "name").split())
        phone = table.get(cells, "phone").strip()
        problems = []
        if not hamlet:
            problems.append(_("the hamlet is missing"))
        elif len(hamlet) > 120:
            problems.append(_("the hamlet name is longer than 120 characters"))
        if not code:
            problems.append(_("the household code is missing"))
        else:
            try:
                household_code_validator(code)
            except ValidationError:
                problems.append(
                    _(
                        "the household code “%(code)s” may only have letters without accents, digits, "
                        "“.”, “_” or “-” (at most 32)"
                    )
                    % {"code": code}
                )
            if code in seen:
                problems.append(
                    _("household code %(code)s already appears on row %(row)s") % {"code": code, "row": seen[code]}
                )
            seen.setdefault(code, number)
        try:
            members = int(float(members_text.replace(",", "."))) if members_text else None
            if members is None or members < 1 or members > 99 or float(members_text.replace(",", ".")) != members:
                raise ValueError
        except ValueError:
            problems.append(
                _("the number of members “%(value)s” is not a whole number from 1 to 99") % {"value": members_text}
            )
            members = None
        if len(name) > 120:
            problems.append(_("the name is longer than 120 characters"))
        if phone and not PHONE.match(phone):
            problems.append(_("the phone number is not valid"))
        if problems:
            errors.append(_("Row %(n)s: %(problems)s.") % {"n": number, "problems": "; ".join(problems)})
        else:
            rows.append(
                {
                    "row": number,
                    "hamlet": hamlet,
                    "code": code,
                    "members": members,
                    "name": name,
                    "phone": phone.replace(" ", "").replace(".", ""),
                }
            )
    return errors, rows


@transaction.atomic
def import_roster(
    actor, *, commune: Commune, data: bytes, file_name: str, dry_run: bool = False, as_of=None
) -> RosterResult:
    """Import the roster of hamlets and households (Excel or CSV): every row valid, or nothing is written.

    Columns: hamlet, household code, number of members (required); head of household and phone (optional,
    personal data: stored, never shown in the report, read only through a logged access). A household is
    matched by its code: re-importing updates members, moves it to its new hamlet, and reports created,
    updated, moved and unchanged households (codes only). New hamlets are created. The figures follow
    (incrementally, or rebuilt for large changes).

    ``as_of`` is the day the roster describes (today by default). On a re-import (the commune already has
    households) what changes is dated that day, so that the periods before it keep their figures: a new household
    moves in, a different number of members is a dated correction, a household that had left and is back moves
    in again. Households of the roster missing from the file are not kept silently nor removed: they are listed
    in ``summary["missing"]`` as proposed to have moved out on that day, for the user to confirm
    (``confirm_moved_out``).
    """
    require_commune_perm(actor, "tenancy.add_household", commune)
    require_commune_perm(actor, "tenancy.change_household", commune)
    can_read_personal = has_commune_perm(actor, "tenancy.view_personal_data", commune)
    as_of = as_of or timezone.localdate()
    if as_of > timezone.localdate():
        raise ValidationError({"as_of": _("The date of the roster cannot be in the future.")})
    table = tables.read_table(data, file_name, ROSTER_COLUMNS, ("hamlet", "code", "members"))
    errors, rows = _roster_rows(table, commune.pk)
    if not rows and not errors:
        errors.append(_("The file has no household rows."))
    if errors:
        raise ValidationError(cap_errors(errors))
    hamlets = {tables.plain(h.name): h for h in Hamlet.objects.filter(commune=commune)}
    new_hamlets = []
    for row in rows:
        key = tables.plain(row["hamlet"])
        if key not in hamlets:
            hamlet = Hamlet(commune=commune, name=row["hamlet"])
            hamlets[key] = hamlet
            new_hamlets.append(hamlet)
    existing = {h.code: h for h in Household.objects.filter(commune=commune).select_related("hamlet")}
    counts = {"created": 0, "updated": 0, "moved": 0, "unchanged": 0}
    changes, to_create, to_update, engine_changes = [], [], [], []
    for row in rows:
        hamlet = hamlets[tables.plain(row["hamlet"])]
        household = existing.get(row["code"])
        if household is None:
            counts["created"] += 1
            changes.append(
                {
                    "row": row["row"],
                    "code": row["code"],
                    "change": "created",
                    "hamlet": hamlet.name,
                    "members": row["members"],
                }
            )
            to_create.append((row, hamlet))
            continue
        change = {"row": row["row"], "code": row["code"]}
        old = (household.hamlet_id, household.members)
        if household.left_on is not None:
            change.update({"change": "returned", "members": row["members"]})
        moved = household.hamlet.name != hamlet.name
        if moved:
            change.update({"change": "moved", "from": household.hamlet.name, "to": hamlet.name})
        if household.members != row["members"]:
            change.setdefault("change", "updated")
            change.update({"members_from": household.members, "members": row["members"]})
        personal_changed = (row["name"] and row["name"] != household.head_name) or (
            row["phone"] and row["phone"] != household.phone
        )
        if personal_changed:
            household._personal_changed = True
            if can_read_personal:
                change.setdefault("change", "updated")
                change["contact_details"] = True
        if "change" not in change:
            # A role that may not read names and phones learns nothing about them: a household whose only
            # difference is its name or phone counts as unchanged (it is still written, and audited).
            counts["unchanged"] += 1
            if personal_changed:
                to_update.append((household, row, hamlet, old))
            continue
        counts["moved" if moved else "updated"] += 1
        changes.append(change)
        to_update.append((household, row, hamlet, old))
    in_file = {r["code"] for r in rows}
    missing = sorted(code for code, h in existing.items() if code not in in_file and h.left_on is None)
    reimport = bool(existing)
    summary = {
        **counts,
        "rows": len(rows),
        "as_of": as_of.isoformat(),
        "hamlets_created": [h.name for h in new_hamlets],
        "not_in_file": len(missing),
        "not_in_file_codes": missing[:200],
        "missing": missing,  # proposed as moved out on as_of, until confirmed
        "moved_out": [],
    }
    if reimport and (
        to_create or any(h.left_on is not None or h.members != r["members"] for h, r, _h, _o in to_update)
    ):
        # A later roster dates what it changes (arrivals, returns, new sizes) on its day: refused in a locked period,
        # already in the preview.
        locks.ensure_open(commune, as_of, field="as_of")
    if dry_run:
        transaction.set_rollback(True)
        return RosterResult(summary, changes)
    for hamlet in new_hamlets:
        hamlet.full_clean()
        hamlet.save()
    created = Household.objects.bulk_create(
        [
            Household(
                commune=commune,
                hamlet=hamlets[tables.plain(r["hamlet"])],
                code=r["code"],
                members=r["members"],
                head_name=r["name"],
                phone=r["phone"],
            )
            for r, _h in to_create
        ],
        batch_size=1000,
    )
    dated = []
    if reimport:  # a household new to a later roster arrived that day (the first roster is the baseline)
        for household in created:
            household.arrived_on = as_of
            dated.append(_change(actor, household, HouseholdChange.Kind.MOVED_IN, as_of, 0, household.members))
        Household.objects.bulk_update(created, ["arrived_on"], batch_size=1000)
    for household in created:
        engine_changes.append((household.pk, None, (household.hamlet_id, household.members)))
    updated = []
    for household, row, hamlet, old in to_update:
        if household.left_on is not None:  # it had left and is on the roster again
            dated.append(_change(actor, household, HouseholdChange.Kind.MOVED_IN, as_of, 0, row["members"]))
            household.left_on = None
            household.arrived_on = as_of
        elif household.members != row["members"]:
            kind = HouseholdChange.Kind.ROSTER
            dated.append(_change(actor, household, kind, as_of, household.members, row["members"]))
        household.hamlet = hamlet
        household.members = row["members"]
        if row["name"]:
            household.head_name = row["name"]
        if row["phone"]:
            household.phone = row["phone"]
        household.updated_at = timezone.now()
        household.version += 1  # bulk_update skips save(): an edit form loaded before the import is now stale
        updated.append(household)
        engine_changes.append((household.pk, old, (hamlet.pk, row["members"])))
    Household.objects.bulk_update(
        updated,
        ["hamlet", "members", "head_name", "phone", "updated_at", "left_on", "arrived_on", "version"],
        batch_size=1000,
    )
    HouseholdChange.objects.bulk_create(dated, batch_size=1000)
    _audit_personal_changes(actor, [h for h in updated if getattr(h, "_personal_changed", False)])
    if len(engine_changes) > 500:
        engine.recompute([commune.pk])
    else:
        for pk, old, new in engine_changes:
            engine.apply_household(commune.pk, pk, old, new)
    _refresh_baselines(commune)
    record = RosterImport.objects.create(
        commune=commune,
        file_name=file_name[:255],
        created_by=actor if actor.is_authenticated else None,
        summary=summary,
        changes=changes,
    )
    return RosterResult(summary, changes, record)


def _audit_personal_changes(actor, households) -> None:
    """bulk_update bypasses django-auditlog: one audit entry per household whose name or phone the roster changed,
    saying who changed which field; the values themselves are never written to the history."""
    if not households:
        return
    content_type = ContentType.objects.get_for_model(Household)
    hidden = ["***", "***"]
    LogEntry.objects.bulk_create(
        [
            LogEntry(
                content_type=content_type,
                object_pk=str(h.pk),
                object_id=h.pk,
                object_repr=h.code,
                action=LogEntry.Action.UPDATE,
                changes={field: hidden for field in Household.PERSONAL_FIELDS},
                actor=actor if getattr(actor, "pk", None) else None,
                additional_data={"source": "roster import"},
            )
            for h in households
        ],
        batch_size=1000,
    )


def _change(actor, household, kind, day, before, after) -> HouseholdChange:
    return HouseholdChange(
        commune_id=household.commune_id,
        household=household,
        kind=kind,
        date=day,
        members_before=before,
        members_after=after,
        note=_("Roster import"),
        recorded_by=actor if getattr(actor, "pk", None) else None,
    )


@transaction.atomic
def confirm_moved_out(actor, record: RosterImport, *, codes, date=None) -> list[str]:
    """Households the roster import found missing from its file, confirmed by the user as moved out on ``date``
    (the roster's date by default): each gets a dated "moved out" change. Returns the codes recorded."""
    require_commune_perm(actor, "tenancy.change_household", record.commune_id)
    record = RosterImport.objects.select_for_update().get(pk=record.pk)
    proposed = set(record.summary.get("missing", [])) - set(record.summary.get("moved_out", []))
    chosen = sorted(set(codes or ()) & proposed)
    if not chosen:
        raise ValidationError(_("Tick at least one household of the list."))
    day = date or dt.date.fromisoformat(record.summary.get("as_of") or timezone.localdate().isoformat())
    if day > timezone.localdate():
        raise ValidationError({"date": _("The date cannot be in the future.")})
    for household in Household.objects.filter(commune_id=record.commune_id, code__in=chosen, left_on__isnull=True):
        record_household_change(
            actor,
            household,
            kind=HouseholdChange.Kind.MOVED_OUT,
            date=day,
            note=_("Missing from the roster %(file)s") % {"file": record.file_name},
        )
    record.summary = {**record.summary, "moved_out": sorted({*record.summary.get("moved_out", []), *chosen})}
    record.save(update_fields=["summary"])
    return chosen


def _refresh_baselines(commune: Commune) -> None:
    """Hamlets' household and resident baselines follow the roster (tenancy's own task, run now)."""
    refresh_baselines.call(commune.pk)


def reveal_personal_data(actor, household: Household, *, purpose: str) -> dict[str, str]:
    """A household's name and phone for someone allowed to see them; logged by tenancy."""
    if not purpose.strip():
        raise ValidationError({"purpose": _("Say why you need this household's name and phone.")})
    return read_personal_data(actor, household, purpose=purpose)
