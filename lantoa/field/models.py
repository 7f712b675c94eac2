"""The field app's records: every event a device sent (append-only), and the sticker sheets asked for.

A visit recorded on a phone is an event with an id made on the device (a UUID). The event is kept as sent —
with what the server made of it (accepted as contact n°…, a duplicate, or refused with a reason) — and the
visit itself becomes a ``reach.Contact`` through reach's services, so the indicators follow. Corrections and
withdrawals are new events that refer to the first one; nothing is overwritten but the contact.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.text import slugify
from django.utils.translation import gettext_lazy as _

from lantoa.tenancy.files import private_storage, unguessable_name
from lantoa.tenancy.models import CommuneScoped, Household


def photo_path(instance, filename: str) -> str:
    return unguessable_name("field/photos", filename)


class FieldEvent(CommuneScoped):
    """One event sent by the field app: a visit, a correction of a visit, or its withdrawal."""

    class Type(models.TextChoices):
        VISIT = "visit", _("Visit")
        CORRECTION = "correction", _("Correction")
        DISCARD = "discard", _("Withdrawal")

    class Status(models.TextChoices):
        ACCEPTED = "accepted", _("Accepted")
        REJECTED = "rejected", _("Refused")

    # No index of its own: the two below start with the commune.
    commune = models.ForeignKey(
        "tenancy.Commune", on_delete=models.CASCADE, related_name="+", verbose_name=_("commune"), db_index=False
    )
    uuid = models.UUIDField(_("event id"))
    device_id = models.CharField(_("device"), max_length=64)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("sent by")
    )
    type = models.CharField(_("type"), max_length=10, choices=Type.choices)
    refers_to = models.UUIDField(_("refers to"), null=True, blank=True)
    household = models.ForeignKey(
        Household, on_delete=models.SET_NULL, null=True, blank=True, related_name="+", verbose_name=_("household")
    )
    date = models.DateField(_("date"), null=True, blank=True)
    people = models.PositiveIntegerField(_("people"), default=1)
    topics = models.JSONField(_("topics"), default=list, blank=True)
    materials = models.CharField(_("materials left"), max_length=300, blank=True)
    note = models.CharField(_("note"), max_length=300, blank=True)
    photo = models.FileField(_("photo"), storage=private_storage, upload_to=photo_path, blank=True)
    recorded_at = models.DateTimeField(_("recorded on the device at"), null=True, blank=True)
    status = models.CharField(_("status"), max_length=10, choices=Status.choices)
    reason = models.TextField(_("reason"), blank=True)
    # The contact the visit became (reach.Contact). A plain id, not a foreign key: a withdrawn visit's contact
    # is deleted, and the event still says which one it was (a resent event answers with it).
    contact_id = models.BigIntegerField(_("contact"), null=True, blank=True)
    received_at = models.DateTimeField(_("received at"), auto_now_add=True)

    class Meta:
        verbose_name = _("field event")
        verbose_name_plural = _("field events")
        ordering = ["-received_at", "-pk"]
        constraints = [models.UniqueConstraint(fields=["commune", "uuid"], name="field_event_unique_per_commune")]
        # The corrections of a visit; the photos of a contact (its page).
        indexes = [models.Index(fields=["commune", "refers_to"]), models.Index(fields=["commune", "contact_id"])]

    def __str__(self) -> str:
        return f"{self.get_type_display()} {self.uuid}"

    def period_days(self) -> list:
        return [self.date] if self.date else []


def sheet_path(instance, filename: str) -> str:
    return unguessable_name("field/stickers", filename)


class StickerSheet(CommuneScoped):
    """A printed sheet of QR door stickers for one hamlet (a PDF kept privately, made by the worker)."""

    hamlet = models.ForeignKey("tenancy.Hamlet", on_delete=models.CASCADE, related_name="+", verbose_name=_("hamlet"))
    file = models.FileField(_("file"), storage=private_storage, upload_to=sheet_path)
    households = models.PositiveIntegerField(_("households"), default=0)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(_("made at"), auto_now_add=True)

    class Meta:
        verbose_name = _("sticker sheet")
        verbose_name_plural = _("sticker sheets")
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.hamlet} ({self.households})"

    @property
    def filename(self) -> str:
        return f"nhan-qr-{slugify(self.hamlet.name) or self.hamlet_id}.pdf"
