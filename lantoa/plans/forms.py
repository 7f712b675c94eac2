from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django import forms
from django.utils.translation import gettext_lazy as _

from lantoa.tenancy.models import Unit

from .models import ACTIVITY_FIELDS, Activity, Channel, Obstacle


class PlanUploadForm(forms.Form):
    file = forms.FileField(
        label=_("Plan document"),
        help_text=_(
            "The signed plan as Word (.docx or the older .doc), OpenDocument (.odt), PDF, plain text (.txt), or a "
            "scan: a PDF without a text layer or a photo of each page (.jpg, .png), read by text recognition (OCR)."
        ),
    )


# --- Correcting a draft before it is saved (the import preview) --------------------------------------------------

DATE_FORMATS = ["%Y-%m-%d", "%d/%m/%Y", "%d-%m-%Y"]


class _DraftDateField(forms.DateField):
    """A date typed on the preview: ISO (the date picker) or day/month/year; between 2000 and 2100."""

    def __init__(self, **kwargs):
        kwargs.setdefault("required", False)
        kwargs.setdefault("input_formats", DATE_FORMATS)
        # Typed as the documents write it (a date picker would show mm/dd/yyyy in an English browser).
        kwargs.setdefault(
            "widget", forms.DateInput(attrs={"placeholder": _("dd/mm/yyyy"), "autocomplete": "off"}, format="%d/%m/%Y")
        )
        kwargs.setdefault(
            "error_messages", {"invalid": _("Enter a real date as day/month/year, for example 05/03/2026.")}
        )
        super().__init__(**kwargs)

    def clean(self, value):
        day = super().clean(value)
        if day is not None and not 2000 <= day.year <= 2100:
            raise forms.ValidationError(_("The year must be between 2000 and 2100."), code="year")
        return day


class DraftHeaderForm(forms.Form):
    """The document's number, place, date and signer as the parser read them, to be corrected."""

    number = forms.CharField(label=_("Document number"), max_length=60, required=False)
    place = forms.CharField(label=_("Place"), max_length=120, required=False)
    date = _DraftDateField(label=_("Date of issue"))
    signer_on_behalf = forms.CharField(
        label=_("Signing on behalf (e.g. KT. CHỦ TỊCH)"),
        max_length=120,
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    signer_title = forms.CharField(label=_("Signer's title"), max_length=120, required=False)
    signer_name = forms.CharField(label=_("Signer's name"), max_length=120, required=False)

    @classmethod
    def initial_from(cls, parsed: dict) -> dict:
        signer = parsed.get("signer") or {}
        return {
            "number": parsed.get("number") or "",
            "place": parsed.get("place") or "",
            "date": iso_date(parsed.get("date")),
            "signer_on_behalf": signer.get("on_behalf") or "",
            "signer_title": signer.get("title") or "",
            "signer_name": signer.get("name") or "",
        }


class DraftTargetForm(forms.Form):
    """A target as read: its year (none: for the whole plan), text, value and unit; ticked to remove it."""

    year = forms.IntegerField(
        label=_("Year"),
        required=False,
        min_value=2000,
        max_value=2100,
        widget=forms.NumberInput(attrs={"placeholder": _("Year"), "aria-label": _("Year"), "class": "lt-year"}),
    )
    text = forms.CharField(
        label=_("Target"),
        widget=forms.Textarea(attrs={"rows": 2, "placeholder": _("Target"), "aria-label": _("Target")}),
    )
    value = forms.DecimalField(
        label=_("Value"),
        required=False,
        max_digits=7,  # as PlanTarget.value
        decimal_places=2,
        widget=forms.NumberInput(attrs={"placeholder": _("Value"), "aria-label": _("Value"), "step": "any"}),
    )
    unit = forms.CharField(
        label=_("Unit"),
        max_length=20,
        required=False,
        widget=forms.TextInput(attrs={"placeholder": _("Unit"), "aria-label": _("Unit"), "size": 4}),
    )


class DraftTaskForm(forms.Form):
    """A task as read: title, units (separated by “;”), timing and deadline."""

    title = forms.CharField(label=_("Task"), widget=forms.Textarea(attrs={"rows": 2}))
    lead_units = forms.CharField(label=_("Lead units (separated by ;)"), required=False, max_length=1000)
    cooperating_units = forms.CharField(label=_("Cooperating units (separated by ;)"), required=False, max_length=1000)
    timing = forms.CharField(label=_("Timing as written"), required=False, max_length=300)
    deadline = _DraftDateField(label=_("Deadline"))


DraftTargetFormSet = forms.formset_factory(DraftTargetForm, extra=1, can_delete=True, max_num=200, absolute_max=200)
DraftTaskFormSet = forms.formset_factory(DraftTaskForm, extra=0, max_num=1000, absolute_max=1000)


def iso_date(value: str | None) -> dt.date | None:
    """A date of the parsed JSON (ISO), as the form shows it."""
    try:
        return dt.date.fromisoformat(value) if value else None
    except ValueError:
        return None


def plain_number(value: float | None) -> Decimal | None:
    """A target's value as it will be stored (two decimals at most), without a trailing “.0” (100, 12.5)."""
    if value is None:
        return None
    number = Decimal(str(value)).quantize(Decimal("0.01"))
    return number.quantize(Decimal(1)) if number == number.to_integral_value() else number.normalize()


def units_text(names: list[str]) -> str:
    return "; ".join(names)


def split_units_text(text: str) -> list[str]:
    return [name.strip() for name in (text or "").split(";") if name.strip()]


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    def __init__(self, *args, **kwargs):
        kwargs.setdefault("widget", MultipleFileInput())
        super().__init__(*args, **kwargs)

    def clean(self, data, initial=None):
        single = super().clean
        if isinstance(data, (list, tuple)):
            return [single(d, initial) for d in data if d]
        return [single(data, initial)] if data else []


class ActivityForm(forms.ModelForm):
    files = MultipleFileField(label=_("Evidence (photos, attendance lists, minutes)"), required=False)

    class Meta:
        model = Activity
        fields = list(ACTIVITY_FIELDS)
        widgets = {
            "date": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            "end_date": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            "description": forms.Textarea(attrs={"rows": 3}),
            "links": forms.Textarea(attrs={"rows": 2}),
        }

    def __init__(self, *args, units=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = units if units is not None else Unit.objects.none()
        self.fields["channel"].choices = Channel.choices
        self.fields["date"].input_formats = ["%Y-%m-%d", "%d/%m/%Y"]
        self.fields["end_date"].input_formats = ["%Y-%m-%d", "%d/%m/%Y"]


class ActivityEditForm(ActivityForm):
    """The activity form without new evidence files (evidence is added when recording), carrying the version the
    activity had when the form was loaded."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        del self.fields["files"]
        # The version this form was loaded with: saving refuses when someone changed the activity since.
        self.fields["version"] = forms.IntegerField(
            widget=forms.HiddenInput, required=False, min_value=0, initial=self.instance.version
        )


class ObstacleForm(forms.ModelForm):
    class Meta:
        model = Obstacle
        fields = ["unit", "task", "title", "description", "proposal"]
        widgets = {"description": forms.Textarea(attrs={"rows": 4}), "proposal": forms.Textarea(attrs={"rows": 3})}

    def __init__(self, *args, units=None, tasks=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = units
        self.fields["task"].queryset = tasks
        self.fields["task"].required = False


class ObstacleActionForm(forms.Form):
    action = forms.ChoiceField(
        choices=[
            ("comment", _("Comment")),
            ("escalate", _("Escalate to the leadership")),
            ("answer", _("Answer")),
            ("close", _("Close")),
            ("reopen", _("Reopen")),
        ]
    )
    text = forms.CharField(label=_("Text"), required=False, widget=forms.Textarea(attrs={"rows": 3}))
