"""Forms of the events pages (the services validate again: a form only shapes what a person types)."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from lantoa.plans.models import Task
from lantoa.tenancy.models import Hamlet, Unit

from .models import Event


class EventForm(forms.Form):
    title = forms.CharField(label=_("Title"), max_length=300)
    kind = forms.ChoiceField(label=_("Kind"), choices=Event.Kind.choices)
    starts_at = forms.DateTimeField(
        label=_("Date and time"),
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
        input_formats=["%Y-%m-%dT%H:%M", "%d/%m/%Y %H:%M"],
    )
    place = forms.CharField(label=_("Place"), max_length=200, required=False)
    unit = forms.ModelChoiceField(label=_("Organising unit"), queryset=Unit.objects.none(), required=False)
    task = forms.ModelChoiceField(
        label=_("Plan task"),
        queryset=Task.objects.none(),
        required=False,
        help_text=_("The attendance counts under this task's activity (households present need it)."),
    )
    hamlet = forms.ModelChoiceField(label=_("Hamlet"), queryset=Hamlet.objects.none(), required=False)
    audience = forms.CharField(label=_("Audience"), max_length=200, required=False)
    capacity = forms.IntegerField(label=_("Capacity"), min_value=1, max_value=100_000, required=False)
    open_registration = forms.BooleanField(label=_("Open registration (public page)"), required=False)


class GuestForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=200)
    organisation = forms.CharField(label=_("Enterprise, school or organisation"), max_length=200, required=False)
    contact = forms.CharField(label=_("Phone or e-mail"), max_length=120, required=False)


class SheetForm(forms.Form):
    file = forms.FileField(label=_("Sign-in sheet (Excel or CSV)"))


class RegistrationForm(forms.Form):
    name = forms.CharField(label=_("Full name"), max_length=200)
    phone = forms.CharField(label=_("Phone (optional)"), max_length=20, required=False)
    hamlet = forms.ModelChoiceField(label=_("Hamlet (optional)"), queryset=Hamlet.objects.none(), required=False)
    household_code = forms.CharField(label=_("Household code (optional)"), max_length=32, required=False)

    def __init__(self, *args, hamlets=None, **kwargs):
        super().__init__(*args, **kwargs)
        if hamlets is not None:
            self.fields["hamlet"].queryset = hamlets
