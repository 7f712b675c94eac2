from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from lantoa.tenancy.models import Unit

from .models import ACTIVITY_FIELDS, Activity, Channel, Obstacle


class PlanUploadForm(forms.Form):
    file = forms.FileField(
        label=_("Plan document"),
        help_text=_("The signed plan as Word (.docx), PDF with a text layer (.pdf) or plain text (.txt)."),
    )


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
