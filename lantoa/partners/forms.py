"""Forms of the partners app: the registry and the external-information log (back office), and the two forms a
partner fills in through its personal link (public, phone-first)."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from lantoa.reach.models import ScienceTask

from .models import ExternalActivity, Partner

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class PartnerForm(forms.ModelForm):
    class Meta:
        model = Partner
        fields = ["name", "kind", "tax_code", "sector", "address", "active", "science_tasks", "note"]
        widgets = {"science_tasks": forms.CheckboxSelectMultiple, "note": forms.Textarea(attrs={"rows": 3})}

    def __init__(self, *args, commune, show_contact: bool, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["science_tasks"].queryset = ScienceTask.objects.filter(commune=commune)
        if show_contact:
            for name in Partner.PERSONAL_FIELDS:
                self.fields[name] = forms.fields_for_model(Partner, fields=[name])[name]
                if self.instance.pk:
                    self.initial[name] = getattr(self.instance, name)


class LinkForm(forms.Form):
    expires_on = forms.DateField(label=_("Link valid until"), widget=DATE, required=False)


class FilterForm(forms.Form):
    q = forms.CharField(label=_("Search"), required=False)
    kind = forms.ChoiceField(label=_("Kind"), required=False, choices=[("", _("All kinds")), *Partner.Kind.choices])
    active = forms.ChoiceField(
        label=_("Active"), required=False, choices=[("", _("All")), ("1", _("Active")), ("0", _("Inactive"))]
    )


class ExternalActivityForm(forms.ModelForm):
    evidence_file = forms.FileField(label=_("Evidence file"), required=False)

    class Meta:
        model = ExternalActivity
        fields = ["kind", "date", "title", "counterparts", "unit", "plan_task", "evidence_url", "result"]
        widgets = {"date": DATE, "result": forms.Textarea(attrs={"rows": 3})}

    def __init__(self, *args, commune, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = self.fields["unit"].queryset.filter(commune=commune)
        self.fields["plan_task"].queryset = self.fields["plan_task"].queryset.filter(
            commune=commune, plan__status="active"
        )


class PlanSubmitForm(forms.Form):
    file = forms.FileField(label=_("Plan document (PDF, Word or a photo)"), required=False)
    main_activities = forms.CharField(
        label=_("Main activities"), widget=forms.Textarea(attrs={"rows": 4}), required=False
    )
    start_date = forms.DateField(label=_("From"), widget=DATE, required=False)
    end_date = forms.DateField(label=_("To"), widget=DATE, required=False)


class ActivityReportForm(forms.Form):
    date = forms.DateField(label=_("Date"), widget=DATE, required=False)
    description = forms.CharField(label=_("What was done"), widget=forms.Textarea(attrs={"rows": 3}), required=False)
    people_reached = forms.IntegerField(label=_("People reached"), min_value=0, required=False)
    evidence = forms.FileField(label=_("Evidence (photo, PDF…)"), required=False)
    evidence_url = forms.URLField(label=_("Or a link to the evidence"), required=False, assume_scheme="https")
    science_task = forms.ChoiceField(label=_("Publicises an S&T task"), required=False)

    def __init__(self, *args, partner, **kwargs):
        super().__init__(*args, **kwargs)
        tasks = [(str(t.pk), str(t)) for t in partner.science_tasks.all()]
        if tasks:
            self.fields["science_task"].choices = [("", _("No")), *tasks]
        else:
            del self.fields["science_task"]
