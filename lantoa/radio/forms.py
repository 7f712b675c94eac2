"""Forms of the radio studio (validation of input only; the rules live in services)."""

from __future__ import annotations

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .models import WEEKDAYS, Language, Slot, Zone


class SpokenTextForm(forms.Form):
    spoken_text = forms.CharField(label=_("Text as read"), widget=forms.Textarea(attrs={"rows": 14}))


class ItemForm(forms.Form):
    title = forms.CharField(label=_("Title"), max_length=255)
    summary = forms.CharField(label=_("Summary"), widget=forms.Textarea(attrs={"rows": 4}), required=False)


class UploadForm(forms.Form):
    file = forms.FileField(label=_("Recording"), help_text=_("MP3, WAV, M4A, OGG, Opus, FLAC, AMR or WebM."))
    language = forms.ChoiceField(
        label=_("Language of the reading"), choices=Language.choices, initial=Language.VIETNAMESE
    )


class RejectForm(forms.Form):
    comment = forms.CharField(label=_("Reason for rejection"), widget=forms.Textarea(attrs={"rows": 3}))


class ScheduleForm(forms.Form):
    slot = forms.ModelChoiceField(
        label=_("Slot"), queryset=Slot.objects.none(), required=False, empty_label=_("— at a time of my choice —")
    )
    day = forms.DateField(
        label=_("Day"),
        required=False,
        # A date field's value must be ISO (yyyy-mm-dd) whatever the language; the browser shows it the local way.
        widget=forms.DateInput(format="%Y-%m-%d", attrs={"type": "date"}),
        input_formats=["%Y-%m-%d", "%d/%m/%Y"],
    )
    time = forms.TimeField(
        label=_("Time (without slot)"),
        required=False,
        widget=forms.TimeInput(attrs={"type": "time"}),
        input_formats=["%H:%M"],
    )
    zone = forms.ModelChoiceField(
        label=_("Zone"),
        queryset=Zone.objects.none(),
        required=False,
        empty_label=_("— the slot's zone, or the whole commune —"),
    )

    def __init__(self, *args, commune_id: int, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["slot"].queryset = Slot.objects.filter(commune_id=commune_id, active=True)
        self.fields["zone"].queryset = Zone.objects.filter(commune_id=commune_id)
        self.fields["day"].initial = timezone.localdate()

    def clean(self):
        cleaned = super().clean()
        if not cleaned.get("day"):
            self.add_error("day", _("Choose the day of the broadcast."))
        elif not cleaned.get("slot") and not cleaned.get("time"):
            self.add_error("time", _("Choose a slot of the program or a time."))
        return cleaned


class WeekdaysField(forms.TypedMultipleChoiceField):
    widget = forms.CheckboxSelectMultiple

    def __init__(self, **kwargs):
        kwargs.setdefault("choices", WEEKDAYS)
        kwargs.setdefault("coerce", int)
        kwargs.setdefault("label", _("days of the week"))
        super().__init__(**kwargs)

    def prepare_value(self, value):
        return [str(v) for v in value] if isinstance(value, list) else value
