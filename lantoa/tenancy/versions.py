"""Edits that do not overwrite each other: a record's ``version`` and the check made when an edit is saved.

A record that people edit in a form carries ``version`` (``Versioned``), moved on by every save. The edit
form carries the version it was loaded with (a hidden field); the service that saves the edit calls
``ensure_unchanged`` inside its transaction, with the row locked. When the stored version has moved, someone
else saved in between: the save is refused with ``ConcurrentChange``, whose message names who changed which
fields (read from the audit trail, django-auditlog), and the view shows the record as it now stands.
``Versioned.save`` makes the check itself when the instance carries ``loaded_version`` (set by the form), so
every service that saves an edited record refuses a stale one the same way.

A refused form is shown again with what the user typed (``keep_typed_values``), the message naming who changed
which fields, and the current version in its hidden field: the user compares, and saving again replaces the other
person's change knowingly. Nothing typed is lost.
"""

from __future__ import annotations

from auditlog.models import LogEntry
from django.core.exceptions import FieldDoesNotExist, ValidationError
from django.db import models, router, transaction
from django.utils.text import capfirst
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from . import names


class Versioned(models.Model):
    """Adds ``version``: 0 when created, one more at every save of the row through ``save()``."""

    version = models.PositiveIntegerField(gettext_lazy("version"), default=0, editable=False)

    class Meta:
        abstract = True

    def save(self, *args, **kwargs):
        if getattr(self, "loaded_version", None) is not None and not self._state.adding:
            # Saved from an edit form: refuse when someone else saved after the form was loaded.
            with transaction.atomic(using=kwargs.get("using") or router.db_for_write(type(self), instance=self)):
                ensure_unchanged(self, self.loaded_version)
                self.loaded_version = None
                self._bump_and_save(*args, **kwargs)
            return
        self._bump_and_save(*args, **kwargs)

    def _bump_and_save(self, *args, **kwargs):
        if not self._state.adding and self.pk is not None:
            self.version = (self.version or 0) + 1
            update_fields = kwargs.get("update_fields")
            if update_fields is not None:
                kwargs["update_fields"] = {*update_fields, "version"}
        super().save(*args, **kwargs)


class ConcurrentChange(ValidationError):
    """The record was saved by someone else after the form was loaded; nothing of this edit was written."""

    def __init__(self, instance: models.Model, loaded_version: int):
        self.instance = instance
        self.loaded_version = loaded_version
        super().__init__(describe_changes_since(instance, loaded_version), code="concurrent_change")


def loaded_version_of(instance: models.Model) -> int | None:
    """The version the editing form was loaded with (set by the form), else the instance's own."""
    loaded = getattr(instance, "loaded_version", None)
    return loaded if loaded is not None else getattr(instance, "version", None)


def ensure_unchanged(instance: models.Model, loaded_version: int | None = None) -> None:
    """Refuse the save when the stored row moved past ``loaded_version``. Call inside the saving transaction."""
    if loaded_version is None:
        loaded_version = loaded_version_of(instance)
    if loaded_version is None or instance.pk is None:
        return
    stored = (
        type(instance)
        ._default_manager.select_for_update(of=("self",))  # a manager may join nullable relations
        .filter(pk=instance.pk)
        .values_list("version", flat=True)
        .first()
    )
    if stored is not None and stored != loaded_version:
        raise ConcurrentChange(instance, loaded_version)


def _who(actor) -> str:
    if actor is None:
        return _("someone else")
    return names.full_name(actor)


def _field_label(model, name: str) -> str:
    try:
        return str(capfirst(model._meta.get_field(name).verbose_name))
    except FieldDoesNotExist:
        return name


def describe_changes_since(instance: models.Model, loaded_version: int) -> str:
    """Who saved the record after ``loaded_version`` and which fields they changed, in one sentence."""
    model = type(instance)
    actors: list[str] = []
    fields: list[str] = []
    for entry in LogEntry.objects.get_for_object(instance).select_related("actor").order_by("timestamp", "pk"):
        changes = entry.changes_dict or {}
        try:
            new_version = int((changes.get("version") or [None, None])[1])
        except (TypeError, ValueError):
            continue
        if new_version <= loaded_version:
            continue
        who = _who(entry.actor)
        if who not in actors:
            actors.append(who)
        for name in changes:
            label = _field_label(model, name)
            if name != "version" and label not in fields:
                fields.append(label)
    if not actors:
        actors.append(_("someone else"))
    params = {"who": ", ".join(actors), "fields": ", ".join(fields)}
    if fields:
        text = _("While you were editing, %(who)s saved this record and changed: %(fields)s.") % params
    else:
        text = _("While you were editing, %(who)s saved this record.") % params
    return (
        text
        + " "
        + _(
            "Your changes were not saved. The form keeps what you typed: compare it with the current record "
            "(open it in another tab), then save again to replace the other change with yours."
        )
    )


def keep_typed_values(form, instance: models.Model) -> None:
    """Prepare a form refused by ``ConcurrentChange`` to be shown again: what the user typed stays, and its hidden
    ``version`` becomes the stored one, so that saving again is a deliberate overwrite, not a second refusal."""
    stored = type(instance)._default_manager.filter(pk=instance.pk).values_list("version", flat=True).first()
    data = form.data.copy()
    data[form.add_prefix("version")] = "" if stored is None else str(stored)
    form.data = data
    if hasattr(instance, "loaded_version"):
        instance.loaded_version = None
