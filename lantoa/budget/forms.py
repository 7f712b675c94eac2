from __future__ import annotations

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from lantoa.plans.models import Task
from lantoa.tenancy.models import Unit

from .models import Source

DATE_INPUT = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
DATE_FORMATS = ["%Y-%m-%d", "%d/%m/%Y"]


class LineForm(forms.Form):
    """A draft estimate line; a unit user is offered only their own unit."""

    year = forms.IntegerField(label=_("Year"), min_value=2000, max_value=2100)
    unit = forms.ModelChoiceField(label=_("Unit in charge"), queryset=Unit.objects.none())
    task = forms.ModelChoiceField(label=_("Task of the plan"), queryset=Task.objects.none(), required=False)
    title = forms.CharField(label=_("Content"), max_length=300)
    source = forms.ChoiceField(label=_("Funding source"), choices=Source.choices)
    amount = forms.DecimalField(label=_("Estimate (VND)"), min_value=0, max_digits=15, decimal_places=0)
    note = forms.CharField(label=_("Note"), max_length=300, required=False)
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args, commune, units, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = units
        self.fields["task"].queryset = Task.objects.filter(commune=commune, plan__status="active").order_by(
            "order", "code"
        )
        self.fields["task"].label_from_instance = lambda t: f"{t.code} {t.title[:70]}"
        self.fields["year"].initial = timezone.localdate().year
        if units.count() == 1:
            self.fields["unit"].initial = units.first()


class AdjustmentForm(forms.Form):
    amount = forms.DecimalField(label=_("Adjusted estimate (VND)"), min_value=0, max_digits=15, decimal_places=0)
    reason = forms.CharField(label=_("Reason for the adjustment"), widget=forms.Textarea(attrs={"rows": 3}))


class SpendingForm(forms.Form):
    date = forms.DateField(label=_("Date paid"), widget=DATE_INPUT, input_formats=DATE_FORMATS)
    amount = forms.DecimalField(label=_("Amount (VND)"), min_value=1, max_digits=15, decimal_places=0)
    what = forms.CharField(label=_("What was paid for"), max_length=300)
    document_number = forms.CharField(label=_("Document number"), max_length=60, required=False)
    evidence = forms.FileField(
        label=_("Evidence (scan of the voucher: PDF, JPEG or PNG)"),
        required=False,
        help_text=_("Attach the scan or enter the document's number."),
    )


class CommentForm(forms.Form):
    text = forms.CharField(label=_("Comment"), required=False, widget=forms.Textarea(attrs={"rows": 2}))
