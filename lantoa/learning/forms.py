from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from lantoa.tenancy.models import Staff

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
DATETIME = forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M")


class ExternalCertificateForm(forms.Form):
    staff = forms.ModelChoiceField(label=_("Staff member"), queryset=Staff.objects.none(), required=False)
    title = forms.CharField(label=_("Course"), max_length=200)
    issuer = forms.CharField(label=_("Issued by"), max_length=200)
    code = forms.CharField(label=_("Certificate number"), max_length=60)
    issued_on = forms.DateField(label=_("Issued on"), widget=DATE, input_formats=["%Y-%m-%d", "%d/%m/%Y"])
    file = forms.FileField(label=_("Certificate (PDF, JPG or PNG)"))

    def __init__(self, *args, staff_choices=None, **kwargs):
        super().__init__(*args, **kwargs)
        if staff_choices is None:
            del self.fields["staff"]
        else:
            self.fields["staff"].queryset = staff_choices
            self.fields["staff"].help_text = _("Empty: yourself.")


class ReasonForm(forms.Form):
    reason = forms.CharField(label=_("Reason for refusal"), widget=forms.Textarea(attrs={"rows": 2}), required=False)


class EntrantFields(forms.Form):
    identity = forms.CharField(
        label=_("Phone number or ID number"),
        max_length=30,
        help_text=_("Used only to make sure each person enters once; it is not stored as written."),
    )
    name = forms.CharField(label=_("Full name (optional)"), max_length=120, required=False)
    name_public = forms.BooleanField(label=_("I agree that my full name is published if I win"), required=False)
    contact = forms.CharField(
        label=_("Phone or address to reach you for a prize (optional)"), max_length=200, required=False
    )


class PublicEntryForm(EntrantFields):
    household_code = forms.CharField(
        label=_("Household code (optional)"),
        max_length=32,
        required=False,
        help_text=_("The code on your household's card from the commune, if you have one."),
    )
    website = forms.CharField(required=False, widget=forms.HiddenInput)  # a honeypot: only a bot fills it in


class PaperEntryForm(EntrantFields):
    household_code = forms.CharField(label=_("Household code (optional)"), max_length=32, required=False)
    submitted_at = forms.DateTimeField(
        label=_("Handed in at"), widget=DATETIME, input_formats=["%Y-%m-%dT%H:%M", "%d/%m/%Y %H:%M"]
    )


class PurposeForm(forms.Form):
    purpose = forms.CharField(label=_("Purpose"), max_length=200)
