"""Events of the commune (conferences, thematic sessions, talks in hamlets…), their invitations and attendance.

An event is a channel: what happens at the door is recorded here, and what counts for the indicators is
written through reach's services (officials present → a ``reach.Briefing``'s attendees; households present →
``reach.Contact`` of channel meeting/event under the event's plan activity). The indicators stay computed by
reach from reach's own records.

Every invitation carries an opaque random ``code``: its QR code holds only that code (or a link with it),
never a name (indico#6101).
"""

from __future__ import annotations

import secrets

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from lantoa.tenancy.models import CommuneScoped, Hamlet, Household, Staff, Unit

CODE_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"  # no 0/O, 1/I: read aloud and typed at the door


def new_code(length: int = 10) -> str:
    """An opaque random invitation code (about 50 bits), easy to type by hand."""
    return "".join(secrets.choice(CODE_ALPHABET) for _i in range(length))


def new_token() -> str:
    return secrets.token_urlsafe(18)


class Event(CommuneScoped):
    class Kind(models.TextChoices):
        CONFERENCE = "conference", _("Conference")
        THEMATIC = "thematic", _("Thematic session")
        SEMINAR = "seminar", _("Seminar")
        HAMLET_TALK = "hamlet_talk", _("Talk in a hamlet")
        EXHIBITION = "exhibition", _("Exhibition")
        COMPETITION = "competition", _("Competition day")

    class Status(models.TextChoices):
        PLANNED = "planned", _("Planned")
        HELD = "held", _("Held")
        CANCELLED = "cancelled", _("Cancelled")

    title = models.CharField(_("title"), max_length=300)
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices, default=Kind.CONFERENCE)
    starts_at = models.DateTimeField(_("starts at"), db_index=True)
    place = models.CharField(_("place"), max_length=200, blank=True)
    unit = models.ForeignKey(
        Unit, on_delete=models.PROTECT, null=True, blank=True, related_name="+", verbose_name=_("organising unit")
    )
    task = models.ForeignKey(
        "plans.Task", on_delete=models.SET_NULL, null=True, blank=True, related_name="+", verbose_name=_("plan task")
    )
    activity = models.ForeignKey(
        "plans.Activity",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("plan activity"),
        help_text=_("Recorded when the first attendance is counted: the contacts of the households count under it."),
    )
    hamlet = models.ForeignKey(
        Hamlet, on_delete=models.SET_NULL, null=True, blank=True, related_name="+", verbose_name=_("hamlet")
    )
    audience = models.CharField(_("audience"), max_length=200, blank=True)
    capacity = models.PositiveIntegerField(
        _("capacity"),
        null=True,
        blank=True,
        validators=[MinValueValidator(1), MaxValueValidator(100_000)],
        help_text=_("Empty: no limit. Registrations beyond it go to the waitlist."),
    )
    open_registration = models.BooleanField(_("open registration"), default=False)
    status = models.CharField(_("status"), max_length=12, choices=Status.choices, default=Status.PLANNED)
    key = models.CharField(_("key"), max_length=60, blank=True, help_text=_("National day proposed by the calendar."))
    makeup_period = models.CharField(_("make-up session for period"), max_length=8, blank=True)
    briefing = models.ForeignKey(
        "reach.Briefing", on_delete=models.SET_NULL, null=True, blank=True, related_name="+", editable=False
    )
    public_token = models.CharField(max_length=40, unique=True, default=new_token, editable=False)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        verbose_name = _("event")
        verbose_name_plural = _("events")
        ordering = ["-starts_at"]
        permissions = [("check_in", _("Can check people in at the door"))]
        constraints = [
            models.UniqueConstraint(
                fields=["commune", "key"], condition=~models.Q(key=""), name="events_event_one_per_key"
            )
        ]

    def __str__(self) -> str:
        return f"{self.starts_at:%d/%m/%Y} {self.title}"

    def period_days(self) -> list:
        from django.utils import timezone  # noqa: PLC0415

        return [timezone.localtime(self.starts_at).date()]

    @property
    def day(self):
        from django.utils import timezone  # noqa: PLC0415

        return timezone.localtime(self.starts_at).date()


class Invitation(CommuneScoped):
    """One invitee of an event: an official, a household, a guest, a person who registered or walked in."""

    class Kind(models.TextChoices):
        OFFICIAL = "official", _("Official")
        HOUSEHOLD = "household", _("Household")
        GUEST = "guest", _("Guest (enterprise, school…)")
        REGISTRANT = "registrant", _("Registered online")
        WALK_IN = "walk_in", _("Walk-in")

    class Status(models.TextChoices):
        INVITED = "invited", _("Invited")
        WAITLISTED = "waitlisted", _("Waitlisted")
        CANCELLED = "cancelled", _("Cancelled")

    event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="invitations", verbose_name=_("event"))
    kind = models.CharField(_("kind"), max_length=12, choices=Kind.choices)
    status = models.CharField(_("status"), max_length=12, choices=Status.choices, default=Status.INVITED)
    staff = models.ForeignKey(
        Staff, on_delete=models.CASCADE, null=True, blank=True, related_name="+", verbose_name=_("official")
    )
    household = models.ForeignKey(
        Household, on_delete=models.CASCADE, null=True, blank=True, related_name="+", verbose_name=_("household")
    )
    hamlet = models.ForeignKey(
        Hamlet, on_delete=models.SET_NULL, null=True, blank=True, related_name="+", verbose_name=_("hamlet")
    )
    name = models.CharField(_("name"), max_length=200, blank=True)
    organisation = models.CharField(_("organisation or unit"), max_length=200, blank=True)
    contact = models.CharField(_("phone or e-mail"), max_length=120, blank=True)
    code = models.CharField(_("code"), max_length=16, unique=True, default=new_code, editable=False)
    client_id = models.UUIDField(null=True, blank=True, unique=True, editable=False)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    cancelled_at = models.DateTimeField(_("cancelled at"), null=True, blank=True)

    class Meta:
        verbose_name = _("invitation")
        verbose_name_plural = _("invitations")
        ordering = ["event", "kind", "name", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["event", "staff"], condition=models.Q(staff__isnull=False), name="events_one_invitation_staff"
            ),
            models.UniqueConstraint(
                fields=["event", "household"],
                condition=models.Q(household__isnull=False),
                name="events_one_invitation_household",
            ),
        ]
        indexes = [models.Index(fields=["event", "status", "created_at"])]

    def __str__(self) -> str:
        return self.display_name

    @property
    def display_name(self) -> str:
        if self.staff_id:
            return self.staff.full_name
        if self.household_id:
            return self.name or self.household.code
        return self.name


class Attendance(CommuneScoped):
    """Someone present at an event: once per invitation, whatever the number of phones or uploads."""

    class Source(models.TextChoices):
        SCAN = "scan", _("QR scan")
        MANUAL = "manual", _("Search or code typed")
        WALK_IN = "walk_in", _("Walk-in")
        SHEET = "sheet", _("Paper sign-in sheet")

    event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="attendances", verbose_name=_("event"))
    invitation = models.ForeignKey(
        Invitation, on_delete=models.CASCADE, related_name="attendances", verbose_name=_("invitation")
    )
    checkin_id = models.UUIDField(_("check-in id"), unique=True)
    device = models.CharField(_("device"), max_length=60, blank=True)
    source = models.CharField(_("source"), max_length=10, choices=Source.choices, default=Source.SCAN)
    checked_at = models.DateTimeField(_("checked in at"))
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")
    contact = models.ForeignKey(
        "reach.Contact", on_delete=models.SET_NULL, null=True, blank=True, related_name="+", db_constraint=False
    )

    class Meta:
        verbose_name = _("attendance")
        verbose_name_plural = _("attendance")
        ordering = ["checked_at"]
        constraints = [models.UniqueConstraint(fields=["event", "invitation"], name="events_attend_once")]

    def __str__(self) -> str:
        return f"{self.invitation} @ {self.event}"
