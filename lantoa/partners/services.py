"""Every write of the partners app: permission in the commune, validation, audit (django-auditlog), one transaction.

Two kinds of callers: staff of the commune through the back office (every function takes the acting user first and
checks the role), and a partner through its personal link (``*_by_link``: the link itself is the permission; it must
be live — neither expired nor revoked — and it reaches only its own partner and year).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import mimetypes
import secrets
from dataclasses import dataclass
from pathlib import Path

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from lantoa.plans.models import Task
from lantoa.reach import services as reach_services
from lantoa.reach.models import Publication, ScienceTask
from lantoa.tenancy import locks, uploads
from lantoa.tenancy import services as tenancy
from lantoa.tenancy.models import Commune, PersonalDataAccess, Unit

from . import secretbox
from .models import CommunicationPlan, ExternalActivity, Partner, PartnerActivity, PartnerLink, PartnerReminder
from .tasks import send_reminder_mail

MAX_FILE_BYTES = 10 * 1024 * 1024
# What a plan document or an evidence file may be: its extension and the bytes it must start with.
FILE_TYPES = {
    ".pdf": b"%PDF",
    ".docx": b"PK\x03\x04",
    ".xlsx": b"PK\x03\x04",
    ".doc": b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1",
    ".jpg": b"\xff\xd8\xff",
    ".jpeg": b"\xff\xd8\xff",
    ".png": b"\x89PNG",
}
PLAN_FILE_TYPES = (".pdf", ".docx", ".doc", ".jpg", ".jpeg", ".png")
TOKEN_BYTES = 32
DEFAULT_LINK_DAYS = 60


def hash_token(token: str) -> str:
    """The SHA-256 (hex) of a link's token: the only thing stored."""
    return hashlib.sha256((token or "").encode()).hexdigest()


def _commune_id(commune: Commune | int) -> int:
    return commune if isinstance(commune, int) else commune.pk


def check_file(upload, allowed=tuple(FILE_TYPES)) -> tuple[str, str]:
    """Refuse a file that is not one of ``allowed``, lies about its type, is empty, too large, or a zip bomb."""
    name = Path(getattr(upload, "name", "") or "tep").name
    suffix = Path(name).suffix.lower()
    if suffix not in allowed:
        raise ValidationError(
            _("“%(name)s” is not an accepted file: use %(types)s.")
            % {"name": name, "types": ", ".join(s.lstrip(".").upper() for s in allowed)}
        )
    uploads.check_upload(upload, name, max_bytes=MAX_FILE_BYTES)
    upload.seek(0)
    head = upload.read(8)
    upload.seek(0)
    if not head.startswith(FILE_TYPES[suffix]):
        raise ValidationError(
            _("The file “%(name)s” is damaged or is not what its name says (%(type)s).")
            % {"name": name, "type": suffix.lstrip(".").upper()}
        )
    return name, mimetypes.guess_type(name)[0] or "application/octet-stream"


# --- The registry ----------------------------------------------------------------------------------------------

PARTNER_FIELDS = ("name", "kind", "tax_code", "sector", "address", "active", "note")


@transaction.atomic
def save_partner(
    actor, commune: Commune, partner: Partner | None = None, *, science_task_ids=None, **fields
) -> Partner:
    """Create or change a partner. Contact fields are written only by a role that may read them."""
    perm = "partners.change_partner" if partner and partner.pk else "partners.add_partner"
    tenancy.require_commune_perm(actor, perm, commune)
    if partner is not None and partner.commune_id != commune.pk:
        raise PermissionDenied
    partner = partner or Partner(commune=commune)
    may_contact = tenancy.has_commune_perm(actor, "partners.view_partner_contact", commune)
    for key, value in fields.items():
        if key in PARTNER_FIELDS or (key in Partner.PERSONAL_FIELDS and may_contact):
            setattr(partner, key, value.strip() if isinstance(value, str) else value)
    if Partner.objects.filter(commune=commune, name__iexact=partner.name).exclude(pk=partner.pk).exists():
        raise ValidationError({"name": _("A partner with this name is already registered.")})
    partner.full_clean(exclude=["commune"])
    partner.save()
    if science_task_ids is not None:
        ids = {int(i) for i in science_task_ids}
        found = set(ScienceTask.objects.filter(commune=commune, pk__in=ids).values_list("pk", flat=True))
        if found != ids:
            raise ValidationError({"science_tasks": _("These S&T tasks are not registered in this commune.")})
        partner.science_tasks.set(ids)
    return partner


def read_contact(actor, partner: Partner, *, purpose: str) -> dict[str, str]:
    """A partner's contact person, for a role allowed to read it; the read is logged (Luật BVDLCN 2025)."""
    tenancy.require_commune_perm(actor, "partners.view_partner_contact", partner.commune_id)
    values = {f: getattr(partner, f) for f in Partner.PERSONAL_FIELDS}
    if any(values.values()):
        PersonalDataAccess.objects.create(
            commune_id=partner.commune_id,
            user=actor,
            household=None,
            fields=",".join(Partner.PERSONAL_FIELDS),
            purpose=f"{purpose} · {partner.name}"[:200],
        )
    return values


def plan_of(partner: Partner, year: int) -> CommunicationPlan:
    plan, _made = CommunicationPlan.objects.get_or_create(commune_id=partner.commune_id, partner=partner, year=year)
    return plan


@transaction.atomic
def accept_plan(actor, plan: CommunicationPlan) -> CommunicationPlan:
    tenancy.require_commune_perm(actor, "partners.accept_communicationplan", plan.commune_id)
    plan = CommunicationPlan.objects.select_for_update().get(pk=plan.pk)
    if plan.status != CommunicationPlan.Status.SUBMITTED:
        raise ValidationError(_("Only a submitted plan can be accepted."))
    plan.status = CommunicationPlan.Status.ACCEPTED
    plan.accepted_at = timezone.now()
    plan.accepted_by = actor
    plan.save()
    return plan


# --- Personal links --------------------------------------------------------------------------------------------


@transaction.atomic
def issue_link(actor, partner: Partner, year: int, *, expires_on: dt.date | None = None) -> tuple[PartnerLink, str]:
    """A new personal link for the partner and year; the partner's earlier live links of that year are revoked (only
    the latest link sent works). Returns the link and its token, which is never stored and never shown again."""
    tenancy.require_commune_perm(actor, "partners.add_partnerlink", partner.commune_id)
    if not partner.active:
        raise ValidationError(_("This partner is marked inactive."))
    today = timezone.localdate()
    expires_on = expires_on or today + dt.timedelta(days=DEFAULT_LINK_DAYS)
    if expires_on < today:
        raise ValidationError({"expires_on": _("The expiry date is already past.")})
    if expires_on > today + dt.timedelta(days=400):
        raise ValidationError({"expires_on": _("A link may stay valid for at most 400 days.")})
    now = timezone.now()
    PartnerLink.objects.filter(partner=partner, year=year, revoked_at=None).update(revoked_at=now)
    token = secrets.token_urlsafe(TOKEN_BYTES)
    link = PartnerLink.objects.create(
        commune_id=partner.commune_id,
        partner=partner,
        year=year,
        token_hash=hash_token(token),
        expires_on=expires_on,
        created_by=actor,
    )
    plan = plan_of(partner, year)
    if plan.status == CommunicationPlan.Status.NOT_REQUESTED:
        plan.status = CommunicationPlan.Status.REQUESTED
        plan.save(update_fields=["status"])
    return link, token


@transaction.atomic
def revoke_link(actor, link: PartnerLink) -> PartnerLink:
    tenancy.require_commune_perm(actor, "partners.add_partnerlink", link.commune_id)
    if link.revoked_at is None:
        link.revoked_at = timezone.now()
        link.save(update_fields=["revoked_at"])
    return link


@dataclass
class LinkState:
    """What a token opens: ``live`` (the link), ``expired``, ``revoked`` or ``unknown``; ``link`` except unknown."""

    state: str
    link: PartnerLink | None = None

    @property
    def live(self) -> bool:
        return self.state == "live"


def link_for_token(token: str) -> LinkState:
    link = (
        PartnerLink.objects.filter(token_hash=hash_token(token))
        .select_related("partner", "commune", "commune__province")
        .first()
    )
    if link is None:
        return LinkState("unknown")
    if link.revoked_at is not None:
        return LinkState("revoked", link)
    if link.expires_on < timezone.localdate():
        return LinkState("expired", link)
    if not link.partner.active:
        return LinkState("revoked", link)
    return LinkState("live", link)


def _live(link: PartnerLink) -> PartnerLink:
    """The link again from the database, refusing one that expired or was revoked since the page was opened."""
    fresh = PartnerLink.objects.select_for_update().select_related("partner").get(pk=link.pk)
    if fresh.revoked_at is not None or fresh.expires_on < timezone.localdate() or not fresh.partner.active:
        raise PermissionDenied(_("This link is no longer valid."))
    fresh.last_used_at = timezone.now()
    fresh.save(update_fields=["last_used_at"])
    return fresh


@transaction.atomic
def submit_plan_by_link(
    link: PartnerLink,
    *,
    main_activities: str,
    start_date: dt.date | None,
    end_date: dt.date | None,
    upload=None,
) -> CommunicationPlan:
    """The partner sends (or sends again) its plan of the link's year: the document, main activities and dates."""
    link = _live(link)
    plan = CommunicationPlan.objects.select_for_update().filter(pk=plan_of(link.partner, link.year).pk).get()
    errors = {}
    main_activities = (main_activities or "").strip()
    if not main_activities:
        errors["main_activities"] = _("List the plan's main activities.")
    if not start_date or not end_date:
        errors["start_date"] = _("Give the plan's start and end dates.")
    elif end_date < start_date:
        errors["end_date"] = _("The end date cannot be before the start date.")
    elif start_date.year > link.year or end_date.year < link.year:
        errors["start_date"] = _("The plan's dates must fall in %(year)s.") % {"year": link.year}
    if upload is None and not plan.file:
        errors["file"] = _("Attach the plan document (PDF, Word or a photo).")
    if upload is not None:
        try:
            name, _type = check_file(upload, PLAN_FILE_TYPES)
        except ValidationError as exc:
            errors["file"] = " ".join(exc.messages)
    if errors:
        raise ValidationError(errors)
    if upload is not None:
        old = plan.file.name if plan.file else ""
        plan.file = upload
        plan.file_name = name
        if old:
            transaction.on_commit(lambda: plan.file.storage.delete(old))
    plan.main_activities = main_activities[:5000]
    plan.start_date, plan.end_date = start_date, end_date
    plan.status = CommunicationPlan.Status.SUBMITTED
    plan.submitted_at = timezone.now()
    plan.accepted_at, plan.accepted_by = None, None
    plan.save()
    return plan


def _publication_key(activity: PartnerActivity) -> str:
    return f"partner-activity:{activity.pk}"


@transaction.atomic
def report_activity_by_link(
    link: PartnerLink,
    *,
    date: dt.date | None,
    description: str,
    people_reached: int | None = 0,
    evidence=None,
    evidence_url: str = "",
    science_task_id: int | None = None,
) -> PartnerActivity:
    """The partner reports one activity of the link's year. One that publicises an S&T task the partner carries out,
    with the address where it was published, records a ``reach.Publication`` so the indicator sees it."""
    link = _live(link)
    partner = link.partner
    errors = {}
    today = timezone.localdate()
    if date is None:
        errors["date"] = _("Give the date of the activity.")
    elif date > today:
        errors["date"] = _("An activity is reported after it happens: the date is in the future.")
    elif date.year != link.year:
        errors["date"] = _("This link is for activities of %(year)s.") % {"year": link.year}
    description = (description or "").strip()
    if not description:
        errors["description"] = _("Say what was done.")
    evidence_url = (evidence_url or "").strip()
    task = None
    if science_task_id:
        task = partner.science_tasks.filter(pk=science_task_id).first()
        if task is None:
            errors["science_task"] = _("This S&T task is not one this partner carries out.")
        elif not evidence_url:
            errors["evidence_url"] = _("Give the address where the S&T task was publicised.")
    name = ""
    if evidence is not None:
        try:
            name, _type = check_file(evidence)
        except ValidationError as exc:
            errors["evidence"] = " ".join(exc.messages)
    if errors:
        raise ValidationError(errors)
    activity = PartnerActivity(
        commune_id=partner.commune_id,
        partner=partner,
        year=link.year,
        date=date,
        description=description[:3000],
        people_reached=people_reached or 0,
        evidence_url=evidence_url,
        science_task=task,
    )
    if evidence is not None:
        activity.evidence = evidence
        activity.evidence_name = name
    activity.full_clean(exclude=["evidence", "publication"])
    locks.ensure_open(partner.commune_id, date, field="date")
    activity.save()
    if task is not None:
        activity.publication = reach_services.record_publication(
            commune=partner.commune_id,
            key=_publication_key(activity),
            title=f"{partner.name}: {description}"[:300],
            url=evidence_url,
            published_at=timezone.make_aware(dt.datetime.combine(date, dt.time(12, 0))),
            science_task_ids=[task.pk],
            channel=Publication.Channel.OTHER,
        )
        activity.save(update_fields=["publication"])
    return activity


# --- Reminders -------------------------------------------------------------------------------------------------


@dataclass
class ReminderResult:
    reminder: PartnerReminder
    url: str
    text: str  # the message to copy into Zalo or an SMS


def reminder_text(partner: Partner, year: int, url: str, expires_on: dt.date) -> str:
    commune = partner.commune
    return _(
        "%(commune)s kindly asks %(partner)s to send its communication plan for %(year)s on Resolution 57 and to "
        "report its activities at this link (no account needed, valid until %(expires)s): %(url)s"
    ) % {
        "commune": f"UBND {commune.division_type.lower()} {commune.short_name}",
        "partner": partner.name,
        "year": year,
        "expires": expires_on.strftime("%d/%m/%Y"),
        "url": url,
    }


@transaction.atomic
def send_reminder(
    actor, partner: Partner, year: int, *, base_url: str, expires_on: dt.date | None = None
) -> ReminderResult:
    """A new personal link for the partner (see ``issue_link``), recorded as a reminder; the e-mail to the contact
    person is sent by the worker (the link travels encrypted in the queue)."""
    link, token = issue_link(actor, partner, year, expires_on=expires_on)
    url = base_url.rstrip("/") + reverse("partners:link", kwargs={"token": token})
    text = reminder_text(partner, year, url, link.expires_on)
    emailed = bool(partner.contact_email)
    reminder = PartnerReminder.objects.create(
        commune_id=partner.commune_id, partner=partner, year=year, link=link, sent_by=actor, emailed=emailed
    )
    if emailed:
        sealed = secretbox.seal(text)
        transaction.on_commit(lambda: send_reminder_mail.enqueue(reminder.pk, sealed))
    return ReminderResult(reminder, url, text)


# --- External information and international cooperation --------------------------------------------------------

EXTERNAL_FIELDS = ("kind", "date", "title", "counterparts", "evidence_url", "result")


@transaction.atomic
def save_external_activity(
    actor,
    commune: Commune,
    activity: ExternalActivity | None = None,
    *,
    unit_id: int | None = None,
    plan_task_id: int | None = None,
    evidence=None,
    **fields,
) -> ExternalActivity:
    perm = "partners.change_externalactivity" if activity and activity.pk else "partners.add_externalactivity"
    tenancy.require_commune_perm(actor, perm, commune)
    if activity is not None and activity.commune_id != commune.pk:
        raise PermissionDenied
    creating = activity is None
    activity = activity or ExternalActivity(commune=commune, created_by=actor)
    old_date = activity.date
    for key, value in fields.items():
        if key in EXTERNAL_FIELDS:
            setattr(activity, key, value.strip() if isinstance(value, str) else value)
    errors = {}
    if unit_id and not Unit.objects.filter(commune=commune, pk=unit_id).exists():
        errors["unit"] = _("This must belong to the same commune.")
    if plan_task_id and not Task.objects.filter(commune=commune, pk=plan_task_id).exists():
        errors["plan_task"] = _("This must belong to the same commune.")
    if activity.date and activity.date > timezone.localdate():
        errors["date"] = _("An activity is recorded after it happens: the date is in the future.")
    if evidence is not None:
        try:
            name, _type = check_file(evidence)
        except ValidationError as exc:
            errors["evidence"] = " ".join(exc.messages)
    if errors:
        raise ValidationError(errors)
    activity.unit_id, activity.plan_task_id = unit_id or None, plan_task_id or None
    if evidence is not None:
        activity.evidence, activity.evidence_name = evidence, name
    activity.full_clean(exclude=["evidence"])
    locks.ensure_open(commune, activity.date, *([] if creating else [old_date]), field="date")
    activity.save()
    return activity
