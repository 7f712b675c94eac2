from __future__ import annotations

import datetime as dt

from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from . import drafting, periods
from .models import Report

DATE_INPUT = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
DATE_FORMATS = ["%Y-%m-%d", "%d/%m/%Y"]


class CreateForm(forms.Form):
    kind = forms.ChoiceField(label=_("Report"), choices=Report.Kind.choices)
    year = forms.IntegerField(label=_("Year"), min_value=2000, max_value=2100)
    start = forms.DateField(
        label=_("From (ad-hoc period)"), required=False, widget=DATE_INPUT, input_formats=DATE_FORMATS
    )
    end = forms.DateField(label=_("To (ad-hoc period)"), required=False, widget=DATE_INPUT, input_formats=DATE_FORMATS)
    estimate = forms.BooleanField(
        label=_("Add an estimate to the end of the half or the year (ước thực hiện)"),
        required=False,
        help_text=_(
            "Computed only from the figures at the cut-off, at the pace since 1 January; labelled as an estimate."
        ),
    )
    as_of = forms.DateField(
        label=_("Figures as of (optional)"),
        required=False,
        widget=DATE_INPUT,
        input_formats=DATE_FORMATS,
        help_text=_("By default today, or the end of the period if it has ended."),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        today = timezone.localdate()
        self.fields["year"].initial = today.year
        self.fields["kind"].initial = "h1" if today <= dt.date(today.year, 6, 20) else "year"

    def clean(self):
        data = super().clean()
        kind = data.get("kind")
        if not kind or self.errors:
            return data
        if kind == Report.Kind.ADHOC:
            if not data.get("start") or not data.get("end"):
                raise ValidationError(_("Give the first and last day of the ad-hoc period."))
            data["span"] = periods.adhoc(data["start"], data["end"])
        else:
            data["span"] = periods.for_kind(kind, data["year"])
        return data


class ReopenForm(forms.Form):
    reason = forms.CharField(
        label=_("Reason for re-opening"),
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("Recorded in the period's history."),
    )


class RefreshForm(forms.Form):
    as_of = forms.DateField(label=_("Figures as of"), required=False, widget=DATE_INPUT, input_formats=DATE_FORMATS)


class EditForm(forms.Form):
    """The header fields and the text of every section."""

    place = forms.CharField(label=_("Place"), max_length=120)
    symbol = forms.CharField(label=_("Symbol"), max_length=30)
    summary = forms.CharField(label=_("Summary line"), widget=forms.Textarea(attrs={"rows": 2}))
    addressees = forms.CharField(label=_("Addressees (one per line)"), widget=forms.Textarea(attrs={"rows": 3}))
    recipients = forms.CharField(
        label=_("Recipients (one per line)"), required=False, widget=forms.Textarea(attrs={"rows": 4})
    )
    archive = forms.CharField(label=_("Archive line"), max_length=120)
    signer_on_behalf = forms.CharField(label=_("Signing on behalf (e.g. KT. CHỦ TỊCH)"), required=False, max_length=120)
    signer_title = forms.CharField(label=_("Signer's title"), max_length=120)
    signer_name = forms.CharField(label=_("Signer"), required=False, max_length=120)
    # The report's version when this form was loaded: saving refuses when someone saved the report since.
    version = forms.IntegerField(widget=forms.HiddenInput, required=False, min_value=0)

    def __init__(self, *args, report: Report, **kwargs):
        initial = {"version": report.version}
        initial |= {
            name: getattr(report, name)
            for name in ("place", "symbol", "summary", "archive", "signer_on_behalf", "signer_title", "signer_name")
        }
        initial["addressees"] = "\n".join(report.addressees)
        initial["recipients"] = "\n".join(report.recipients)
        for key in drafting.SECTION_KEYS:
            initial[f"section_{key}"] = report.sections.get(key, "")
        kwargs.setdefault("initial", initial)
        super().__init__(*args, **kwargs)
        for key in drafting.SECTION_KEYS:
            title = drafting.SECTION_TITLES[key] or _("Closing paragraph")
            self.fields[f"section_{key}"] = forms.CharField(
                label=title, required=False, widget=forms.Textarea(attrs={"rows": 12 if key == "results" else 6})
            )

    def split(self) -> tuple[dict, dict]:
        data = self.cleaned_data
        header = {
            name: data[name]
            for name in (
                "place",
                "symbol",
                "summary",
                "addressees",
                "recipients",
                "archive",
                "signer_on_behalf",
                "signer_title",
                "signer_name",
            )
        }
        sections = {key: data.get(f"section_{key}", "") for key in drafting.SECTION_KEYS}
        return sections, header


class IssueForm(forms.Form):
    number = forms.CharField(label=_("Number in the register"), max_length=10)
    issued_on = forms.DateField(label=_("Date of issue"), widget=DATE_INPUT, input_formats=DATE_FORMATS)


class CommentForm(forms.Form):
    text = forms.CharField(label=_("Comment"), required=False, widget=forms.Textarea(attrs={"rows": 2}))
