"""Every write of the awards app: permission in the commune, validation, history, one transaction.

A round is set up as a draft (criteria whose weights add up to 100, a council of the commune's users with its
chair), opened for nominations, closed for scoring, and decided. Units, the PVHCC focal point and the Fatherland
Front nominate within the window; each nomination keeps the evidence the system held that day. Each council
member scores alone and submits once; the chair may close scoring early. The chair issues the decision: its DOCX
is written once, stored with its SHA-256, and the award is recorded in reach so "awards held" reads it. An issued
decision never changes; a correction is a new decision naming the one it corrects.
"""

from __future__ import annotations

import datetime as dt
import hashlib

from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from lantoa.reach import services as reach
from lantoa.tenancy import locks, uploads
from lantoa.tenancy.models import Commune, Hamlet, RoleGroup, Staff, Unit
from lantoa.tenancy.names import full_name
from lantoa.tenancy.services import has_commune_perm, require_commune_perm, unit_of

from . import document, evidence, selectors
from .models import MAX_SCORE, Attachment, AwardRound, Criterion, Decision, Nomination, RoundEvent, Score, Sheet
from .workflow import ROUND_FLOW

S = AwardRound.Status
ATTACHMENT_MAX_BYTES = 10 * 1024 * 1024
ATTACHMENT_SUFFIXES = (".pdf", ".docx", ".xlsx", ".jpg", ".jpeg", ".png", ".odt")
MAX_ATTACHMENTS = 5
FRONT_NAME = "Ủy ban Mặt trận Tổ quốc Việt Nam xã"


def _fmt(day: dt.date) -> str:
    return f"{day.day:02d}/{day.month:02d}/{day.year}"


# --- Setting up a round --------------------------------------------------------------------------------------


def check_criteria(criteria) -> list[tuple[str, int]]:
    """[(name, weight)] cleaned; the weights are whole percentages adding up to exactly 100."""
    rows = []
    for name, weight in criteria:
        name = (name or "").strip()
        if not name and weight in (None, ""):
            continue
        if not name:
            raise ValidationError({"criteria": _("Every criterion needs a name.")})
        try:
            weight = int(weight)
        except (TypeError, ValueError) as exc:
            raise ValidationError(
                {"criteria": _("The weight of “%(name)s” must be a whole number.") % {"name": name}}
            ) from exc
        if not 1 <= weight <= 100:
            raise ValidationError(
                {"criteria": _("The weight of “%(name)s” must be between 1 and 100.") % {"name": name}}
            )
        rows.append((name[:200], weight))
    if not rows:
        raise ValidationError({"criteria": _("Give at least one criterion.")})
    total = sum(w for _n, w in rows)
    if total != 100:
        raise ValidationError(
            {"criteria": _("The weights must add up to 100; they add up to %(total)s.") % {"total": total}}
        )
    return rows


def commune_users(commune: Commune):
    """The active logins holding a role in the commune (who may sit on a council)."""
    groups = RoleGroup.objects.filter(commune=commune).values("group")
    return get_user_model().objects.filter(is_active=True, groups__in=groups).distinct()


def _council(commune: Commune, council_ids, chair_id):
    ids = {int(i) for i in council_ids or () if str(i).strip().isdigit()}
    if not ids:
        raise ValidationError({"council": _("Choose the members of the council.")})
    users = list(commune_users(commune).filter(pk__in=ids))
    if len(users) != len(ids):
        raise ValidationError({"council": _("Every council member must be a user of this commune.")})
    if chair_id in (None, "") or int(chair_id) not in ids:
        raise ValidationError({"chair": _("The chair must be one of the council members.")})
    return users, int(chair_id)


def _round_fields(title, year, nominations_open, nominations_close) -> dict:
    title = (title or "").strip()
    if not title:
        raise ValidationError({"title": _("Give the round a title.")})
    try:
        year = int(year)
    except (TypeError, ValueError) as exc:
        raise ValidationError({"year": _("Give the year as a number.")}) from exc
    if not 2000 <= year <= 2100:
        raise ValidationError({"year": _("The year must be between 2000 and 2100.")})
    if not isinstance(nominations_open, dt.date) or not isinstance(nominations_close, dt.date):
        raise ValidationError({"nominations_open": _("Give the first and the last day of nominations.")})
    if nominations_close < nominations_open:
        raise ValidationError({"nominations_close": _("Nominations cannot close before they open.")})
    return {
        "title": title[:300],
        "year": year,
        "nominations_open": nominations_open,
        "nominations_close": nominations_close,
    }


@transaction.atomic
def create_round(
    actor, commune: Commune, *, title, year, nominations_open, nominations_close, criteria, council, chair
) -> AwardRound:
    require_commune_perm(actor, "awards.manage_round", commune)
    fields = _round_fields(title, year, nominations_open, nominations_close)
    rows = check_criteria(criteria)
    members, chair_id = _council(commune, council, chair)
    award_round = AwardRound.objects.create(commune=commune, created_by=actor, chair_id=chair_id, **fields)
    award_round.council.set(members)
    for i, (name, weight) in enumerate(rows):
        Criterion.objects.create(commune=commune, round=award_round, name=name, weight=weight, order=i)
    RoundEvent.record(award_round, "create", actor)
    return award_round


@transaction.atomic
def update_round(
    actor, award_round: AwardRound, *, title, year, nominations_open, nominations_close, criteria, council, chair
) -> AwardRound:
    award_round = AwardRound.objects.select_for_update().get(pk=award_round.pk)
    ROUND_FLOW.check(actor, award_round, "edit")
    fields = _round_fields(title, year, nominations_open, nominations_close)
    rows = check_criteria(criteria)
    members, chair_id = _council(award_round.commune, council, chair)
    for key, value in fields.items():
        setattr(award_round, key, value)
    award_round.chair_id = chair_id
    award_round.save()
    award_round.council.set(members)
    award_round.criteria.all().delete()
    for i, (name, weight) in enumerate(rows):
        Criterion.objects.create(commune=award_round.commune, round=award_round, name=name, weight=weight, order=i)
    RoundEvent.record(award_round, "edit", actor)
    return award_round


@transaction.atomic
def open_round(actor, award_round: AwardRound) -> AwardRound:
    award_round = AwardRound.objects.select_for_update().get(pk=award_round.pk)
    ROUND_FLOW.apply(actor, award_round, "open")
    award_round.save(update_fields=["status"])
    RoundEvent.record(award_round, "open", actor)
    return award_round


@transaction.atomic
def start_scoring(actor, award_round: AwardRound) -> AwardRound:
    award_round = AwardRound.objects.select_for_update().get(pk=award_round.pk)
    transition = ROUND_FLOW.check(actor, award_round, "score")
    if not award_round.nominations.exists():
        raise ValidationError(_("There is no nomination to score yet."))
    ROUND_FLOW.move(award_round, transition)
    award_round.save(update_fields=["status"])
    RoundEvent.record(award_round, "score", actor)
    return award_round


# --- Nominations ---------------------------------------------------------------------------------------------


def nominee_of(commune: Commune, kind: str, nominee_id):
    """The unit, hamlet or staff member of the commune a nomination names; a ValidationError otherwise."""
    model = {Nomination.Kind.UNIT: Unit, Nomination.Kind.HAMLET: Hamlet, Nomination.Kind.STAFF: Staff}.get(kind)
    if model is None:
        raise ValidationError({"kind": _("Choose whom you nominate: a body, a model or an individual.")})
    try:
        return model.objects.get(commune=commune, pk=int(nominee_id))
    except (TypeError, ValueError, model.DoesNotExist) as exc:
        raise ValidationError({"nominee": _("Choose the nominee from this commune's list.")}) from exc


def nominee_name(kind: str, nominee) -> str:
    if kind == Nomination.Kind.STAFF:
        return f"{nominee.full_name}, {nominee.position}" if nominee.position else nominee.full_name
    return nominee.name


def nominator(actor, commune: Commune) -> tuple[str, Unit | None, bool]:
    """Who nominates: the Fatherland Front when the user holds its role here, else the user's unit, else the user."""
    if RoleGroup.objects.filter(commune=commune, role="oversight", group__user=actor).exists():
        return FRONT_NAME, None, True
    unit = unit_of(actor, commune)
    if unit is not None:
        return unit.name, unit, False
    return full_name(actor), None, False


def check_attachment(upload) -> None:
    name = getattr(upload, "name", "") or ""
    if not name.lower().endswith(ATTACHMENT_SUFFIXES):
        raise ValidationError(
            {"attachments": _("“%(name)s”: attach a PDF, Word, Excel, OpenDocument or image file.") % {"name": name}}
        )
    upload.seek(0)
    uploads.check_upload(upload, name, max_bytes=ATTACHMENT_MAX_BYTES)
    upload.seek(0)


@transaction.atomic
def nominate(actor, award_round: AwardRound, *, kind: str, nominee_id, reason: str, attachments=()) -> Nomination:
    """Nominate a body, a model or an individual, with the evidence the system holds today and the files given."""
    award_round = AwardRound.objects.select_for_update().get(pk=award_round.pk)
    ROUND_FLOW.check(actor, award_round, "nominate")
    today = timezone.localdate()
    if not award_round.nominations_open <= today <= award_round.nominations_close:
        raise ValidationError(
            _("Nominations are accepted from %(start)s to %(end)s.")
            % {"start": _fmt(award_round.nominations_open), "end": _fmt(award_round.nominations_close)}
        )
    commune = award_round.commune
    nominee = nominee_of(commune, kind, nominee_id)
    reason = (reason or "").strip()
    if len(reason) < 20:
        raise ValidationError({"reason": _("Describe the achievements in a few sentences (at least 20 characters).")})
    if award_round.nominations.filter(kind=kind, **{kind: nominee}).exists():
        raise ValidationError({"nominee": _("This nominee is already nominated in this round.")})
    files = [f for f in attachments or () if f]
    if len(files) > MAX_ATTACHMENTS:
        raise ValidationError({"attachments": _("Attach at most %(n)s files.") % {"n": MAX_ATTACHMENTS}})
    for upload in files:
        check_attachment(upload)
    name, unit, by_front = nominator(actor, commune)
    nomination = Nomination.objects.create(
        commune=commune,
        round=award_round,
        kind=kind,
        **{kind: nominee},
        nominee_name=nominee_name(kind, nominee)[:200],
        nominated_by=name[:200],
        nominating_unit=unit,
        by_front=by_front,
        reason=reason,
        evidence=evidence.collect(kind, nominee, today),
        evidence_as_of=today,
        created_by=actor,
    )
    for upload in files:
        attachment = Attachment(commune=commune, nomination=nomination, name=upload.name[:255], size=upload.size)
        attachment.file.save(upload.name, upload, save=False)
        attachment.save()
    return nomination


# --- Scoring ---------------------------------------------------------------------------------------------------


def _member_scoring(actor, award_round: AwardRound) -> None:
    require_commune_perm(actor, "awards.view_awardround", award_round.commune_id)
    if not selectors.is_member(actor, award_round):
        raise PermissionDenied(_("Only the council's members score the nominations."))
    if award_round.status != S.SCORING or award_round.scoring_closed_at:
        raise ValidationError(_("Scoring is not open in this round."))
    if selectors.has_submitted(actor, award_round):
        raise ValidationError(_("You have already submitted your scores; they can no longer be changed."))


@transaction.atomic
def save_scores(actor, award_round: AwardRound, rows, *, submit: bool = False) -> int:
    """Save the member's own scores (``rows``: dicts of nomination, criterion, value, confidence, comment);
    ``submit`` closes their sheet, which needs every nomination scored on every criterion."""
    award_round = AwardRound.objects.select_for_update().get(pk=award_round.pk)
    _member_scoring(actor, award_round)
    noms = {n.pk: n for n in award_round.nominations.all()}
    crits = {c.pk: c for c in award_round.criteria.all()}
    saved = 0
    for row in rows:
        nom, crit = noms.get(int(row["nomination"])), crits.get(int(row["criterion"]))
        if nom is None or crit is None:
            raise ValidationError(_("A score names a nomination or criterion outside this round."))
        value = row.get("value")
        if value in (None, ""):
            Score.objects.filter(nomination=nom, criterion=crit, member=actor).delete()
            continue
        try:
            value = int(value)
        except (TypeError, ValueError) as exc:
            raise ValidationError(_("A score is a whole number from 0 to %(max)s.") % {"max": MAX_SCORE}) from exc
        if not 0 <= value <= MAX_SCORE:
            raise ValidationError(_("A score is a whole number from 0 to %(max)s.") % {"max": MAX_SCORE})
        confidence = row.get("confidence") or None
        if confidence is not None and int(confidence) not in Score.Confidence.values:
            raise ValidationError(_("Unknown confidence."))
        Score.objects.update_or_create(
            nomination=nom,
            criterion=crit,
            member=actor,
            defaults={
                "commune_id": award_round.commune_id,
                "value": value,
                "confidence": int(confidence) if confidence else None,
                "comment": (row.get("comment") or "").strip()[:500],
            },
        )
        saved += 1
    if submit:
        have = Score.objects.filter(nomination__round=award_round, member=actor).count()
        if have < len(noms) * len(crits):
            raise ValidationError(
                _("Score every nomination on every criterion before submitting (%(have)s of %(need)s scored).")
                % {"have": have, "need": len(noms) * len(crits)}
            )
        Sheet.objects.create(
            commune_id=award_round.commune_id, round=award_round, member=actor, submitted_at=timezone.now()
        )
        RoundEvent.record(award_round, "submit", actor)
    return saved


def _chair(actor, award_round: AwardRound) -> None:
    require_commune_perm(actor, "awards.view_awardround", award_round.commune_id)
    if actor.pk != award_round.chair_id:
        raise PermissionDenied(_("Only the chair of the council can do this."))


@transaction.atomic
def close_scoring(actor, award_round: AwardRound) -> AwardRound:
    """The chair ends scoring before every member has submitted; unsubmitted sheets do not count."""
    award_round = AwardRound.objects.select_for_update().get(pk=award_round.pk)
    _chair(actor, award_round)
    if award_round.status != S.SCORING or award_round.scoring_closed_at:
        raise ValidationError(_("Scoring is not open in this round."))
    if not selectors.submitted_members(award_round):
        raise ValidationError(_("No council member has submitted scores yet."))
    award_round.scoring_closed_at = timezone.now()
    award_round.save(update_fields=["scoring_closed_at"])
    RoundEvent.record(award_round, "close", actor)
    return award_round


# --- The decision ----------------------------------------------------------------------------------------------


@transaction.atomic
def issue_decision(
    actor,
    award_round: AwardRound,
    *,
    number: str,
    date: dt.date,
    signer_name: str,
    signer_title: str,
    awardee_ids,
    corrects: Decision | None = None,
) -> Decision:
    """Issue the decision on the round's awards: the DOCX is written and stored once, and the award is recorded
    in reach (``awards_held`` reads it for the decision's year). A date in a locked period is refused."""
    award_round = AwardRound.objects.select_for_update().get(pk=award_round.pk)
    action = "correct" if corrects is not None else "decide"
    transition = ROUND_FLOW.check(actor, award_round, action)
    _chair(actor, award_round)
    if not selectors.scoring_over(award_round):
        raise ValidationError(_("The decision comes after scoring: wait for every member, or close scoring."))
    if corrects is not None and (corrects.round_id != award_round.pk):
        raise ValidationError(_("A correction must correct a decision of the same round."))
    number = (number or "").strip()
    if not number:
        raise ValidationError({"number": _("Give the decision number.")})
    if Decision.objects.filter(commune_id=award_round.commune_id, number=number).exists():
        raise ValidationError({"number": _("A decision with this number was already issued.")})
    if not isinstance(date, dt.date):
        raise ValidationError({"date": _("Give the date of the decision.")})
    if date > timezone.localdate():
        raise ValidationError({"date": _("A decision cannot be dated in the future.")})
    locks.ensure_open(award_round.commune_id, date, field="date")
    signer_name, signer_title = (signer_name or "").strip(), (signer_title or "").strip()
    if not signer_name or not signer_title:
        raise ValidationError({"signer_name": _("Give the name and the title of the signer.")})
    ids = {int(i) for i in awardee_ids or () if str(i).strip().isdigit()}
    awardees = list(award_round.nominations.filter(pk__in=ids))
    if not awardees or len(awardees) != len(ids):
        raise ValidationError({"awardees": _("Choose the awardees among the round's nominations.")})
    ranked = {r.nomination.pk: r for r in selectors.ranking(award_round)}
    awardees.sort(key=lambda n: (ranked[n.pk].rank, n.pk))
    decision = Decision(
        commune_id=award_round.commune_id,
        round=award_round,
        number=number[:60],
        date=date,
        signer_name=signer_name[:120],
        signer_title=signer_title[:120],
        corrects=corrects,
        issued_by=actor,
        issued_at=timezone.now(),
    )
    decision.award = reach.record_award(
        commune=award_round.commune_id,
        date=date,
        decision_number=decision.number,
        title=award_round.title,
        recipients=[n.nominee_name for n in awardees],
    )
    decision.save()
    decision.awardees.set(awardees)
    data = document.build_docx(decision, awardees)
    decision.docx.save(f"quyet-dinh-khen-thuong-{award_round.year}.docx", ContentFile(data), save=False)
    decision.docx_sha256 = hashlib.sha256(data).hexdigest()
    decision.save(update_fields=["docx", "docx_sha256"])
    ROUND_FLOW.move(award_round, transition)
    award_round.save(update_fields=["status"])
    RoundEvent.record(award_round, action, actor, decision.number)
    return decision


def can_manage(user, award_round: AwardRound) -> bool:
    return has_commune_perm(user, "awards.manage_round", award_round.commune_id)
