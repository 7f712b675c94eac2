"""The audit trail (django-auditlog) as a reader sees it: field labels, values in words, people by their names.

auditlog keeps each change as field name → [old, new] strings: ``lead_units``, ``None``, ``True``, a foreign key's
id, and — on a record's creation — its reverse relations printed as ``plans.Activity.None``. :func:`entries` turns
the log of one record into rows a commune's staff can read: the field's label ("Đơn vị chủ trì"), "—" for no value,
Có/Không, the choice's label, the related record's name, dates as 18/11/2026, the person who did it by full name.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from auditlog.models import LogEntry
from django.core.exceptions import FieldDoesNotExist
from django.db import models
from django.utils import timezone
from django.utils.text import capfirst
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, pgettext

from . import names

# Labels of fields declared without a verbose name (Django then uses the field's name, in English).
UNNAMED_FIELDS = {
    "plan": gettext_lazy("plan"),
    "group": gettext_lazy("solution group"),
    "order": gettext_lazy("order in the list"),
}
EMPTY = "—"
LONGEST = 200
HIDDEN = "***"


@dataclass
class Change:
    label: str
    old: str
    new: str


@dataclass
class Entry:
    timestamp: dt.datetime
    actor: str
    action: str
    changes: list[Change] = field(default_factory=list)


def action_label(action: int) -> str:
    return {
        LogEntry.Action.CREATE: _("created"),
        LogEntry.Action.UPDATE: _("changed"),
        LogEntry.Action.DELETE: _("deleted"),
        LogEntry.Action.ACCESS: _("opened"),
    }.get(action, str(action))


def _short(text: str) -> str:
    return text if len(text) <= LONGEST else text[: LONGEST - 1] + "…"


def _related(model, value: str) -> str:
    try:
        obj = model._default_manager.filter(pk=value).first()
    except (ValueError, TypeError):
        obj = None
    if obj is None:
        return f"#{value}"
    if hasattr(obj, "get_username"):
        return names.full_name(obj)
    return str(obj)


def value_text(model_field, value) -> str:
    """One stored value of ``model_field`` in words."""
    if value is None or value in ("None", ""):
        return EMPTY
    text = str(value)
    if isinstance(model_field, models.BooleanField):
        return {"True": pgettext("yes or no", "Yes"), "False": pgettext("yes or no", "No")}.get(text, text)
    choices = dict(model_field.flatchoices) if model_field.choices else None
    if choices:
        for key, label in choices.items():
            if str(key) == text:
                return str(label)
        return text
    if model_field.many_to_one or model_field.one_to_one:
        return _related(model_field.related_model, text)
    if isinstance(model_field, models.DateTimeField):
        try:
            moment = dt.datetime.fromisoformat(text)
        except ValueError:
            return text
        if timezone.is_naive(moment):  # auditlog keeps date-times naive, in UTC
            moment = moment.replace(tzinfo=dt.UTC)
        return timezone.localtime(moment).strftime("%d/%m/%Y %H:%M")
    if isinstance(model_field, models.DateField):
        try:
            return dt.date.fromisoformat(text[:10]).strftime("%d/%m/%Y")
        except ValueError:
            return text
    return _short(text)


def _m2m_text(values: dict) -> tuple[str, str]:
    objects = ", ".join(str(o) for o in values.get("objects", [])) or EMPTY
    if values.get("operation") == "add":
        return EMPTY, _("added: %(names)s") % {"names": objects}
    return _("removed: %(names)s") % {"names": objects}, EMPTY


def field_label(model_field) -> str:
    """The field's label: its verbose name, or for a field declared without one, a Vietnamese word for it."""
    label = str(model_field.verbose_name)
    if label == model_field.name.replace("_", " "):  # Django's default: the name itself
        return str(UNNAMED_FIELDS.get(model_field.name, _(label)))
    return label


def changes_of(entry: LogEntry, model, personal=()) -> list[Change]:
    """The readable changes of one log entry of a ``model`` record; personal fields show no value."""
    rows: list[Change] = []
    for name, values in (entry.changes_dict or {}).items():
        try:
            model_field = model._meta.get_field(name)
        except FieldDoesNotExist:
            continue  # a field since removed
        if not model_field.concrete and not model_field.many_to_many:
            continue  # a reverse relation: auditlog printed its manager ("plans.Activity.None") on creation
        if model_field.primary_key:
            continue  # the row's number, meaningless to a reader
        label = str(capfirst(field_label(model_field)))
        if name in personal:
            rows.append(Change(label, HIDDEN, HIDDEN))
        elif isinstance(values, dict):
            rows.append(Change(label, *_m2m_text(values)))
        elif model_field.many_to_many:
            continue
        else:
            old, new = (list(values) + [None, None])[:2]
            rows.append(Change(label, value_text(model_field, old), value_text(model_field, new)))
    return rows


def entries(obj, limit: int = 200) -> list[Entry]:
    """The audit trail of ``obj``, newest first, in words (``obj.PERSONAL_FIELDS`` never show their values)."""
    model = type(obj)
    personal = set(getattr(model, "PERSONAL_FIELDS", ()))
    log = LogEntry.objects.get_for_object(obj).select_related("actor").order_by("-timestamp")[:limit]
    return [
        Entry(
            timestamp=e.timestamp,
            actor=names.full_name(e.actor) or _("system"),
            action=action_label(e.action),
            changes=changes_of(e, model, personal),
        )
        for e in log
    ]
