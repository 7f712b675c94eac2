"""Forms of the reach pages (upload a sign-in sheet or a roster, record visits)."""

from __future__ import annotations

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from lantoa.plans.models import Activity, Channel
from lantoa.tenancy.models import Province

from .models import Contact


class ActivityChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj) -> str:
        return f"{obj.date:%d/%m/%Y} · {obj.title[:80]}"


def activities_of(commune):

    return Activity.objects.filter(commune=commune).select_related("task").order_by("-date", "-pk")


class SheetForm(forms.Form):
    activity = ActivityChoiceField(label=_("Plan activity"), queryset=None)
    channel = forms.ChoiceField(
        label=_("Channel"),
        choices=[
            (Contact.Channel.MEETING, Contact.Channel.MEETING.label),
            (Contact.Channel.EVENT, Contact.Channel.EVENT.label),
            (Contact.Channel.VISIT, Contact.Channel.VISIT.label),
        ],
    )
    date = forms.DateField(
        label=_("Date (for rows without their own)"),
        initial=timezone.localdate,
        input_formats=["%d/%m/%Y", "%Y-%m-%d"],
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )
    per = forms.ChoiceField(label=_("Each row is"), choices=Contact.Per.choices)
    file = forms.FileField(label=_("Sign-in sheet (Excel .xlsx or CSV)"))

    def __init__(self, *args, commune=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["activity"].queryset = activities_of(commune)


class RosterForm(forms.Form):
    file = forms.FileField(label=_("Roster (Excel .xlsx or CSV)"))
    as_of = forms.DateField(
        label=_("Date of the roster"),
        initial=timezone.localdate,
        input_formats=["%d/%m/%Y", "%Y-%m-%d"],
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        help_text=_("Changes found in the file are dated this day; periods before it keep their figures."),
    )
    dry_run = forms.BooleanField(label=_("Only check the file, write nothing"), required=False)


class MovedOutForm(forms.Form):
    """Confirm which households missing from a roster file moved out, and when."""

    date = forms.DateField(
        label=_("Moved out on"),
        input_formats=["%d/%m/%Y", "%Y-%m-%d"],
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )


class VisitForm(forms.Form):
    activity = ActivityChoiceField(label=_("Plan activity"), queryset=None)
    date = forms.DateField(
        label=_("Day of the visits"),
        initial=timezone.localdate,
        input_formats=["%d/%m/%Y", "%Y-%m-%d"],
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )

    def __init__(self, *args, commune=None, **kwargs):
        super().__init__(*args, **kwargs)

        activities = activities_of(commune)
        preferred = activities.filter(channel=Channel.COMMUNITY_TEAM)
        self.fields["activity"].queryset = preferred if preferred.exists() else activities
        first = self.fields["activity"].queryset.first()
        if first is not None:
            self.fields["activity"].initial = first.pk


class PurposeForm(forms.Form):
    purpose = forms.CharField(label=_("Why do you need the name and phone?"), max_length=200)


class HeadlineForm(forms.Form):
    """The province's choice of the headline count of residents reached (for all its communes)."""

    residents_headline = forms.ChoiceField(
        label=_("Headline of residents reached"),
        choices=Province.ResidentsHeadline.choices,
        widget=forms.RadioSelect,
    )
