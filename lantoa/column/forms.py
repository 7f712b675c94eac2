"""Forms of the column: the page form of the back office, and the public feedback form."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from wagtail.admin.forms import WagtailAdminPageForm
from wagtail.images import get_image_model
from wagtail.models import Collection, Page

from lantoa.tenancy.models import Commune, CommuneScoped


def commune_of_path(path: str) -> Commune | None:
    """The commune whose root page is the ancestor at depth 2 of a page path."""
    root_path = path[: Page.steplen * 2]
    return Commune.objects.filter(root_page__path=root_path).first()


class ColumnPageForm(WagtailAdminPageForm):
    """Offers only the page's own commune's topics, audiences, units, media files, images and tasks."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk and self.instance.path:
            path = self.instance.path
        elif getattr(self, "parent_page", None) is not None:
            path = self.parent_page.path
        else:
            path = ""
        self.commune = commune_of_path(path) if path else None
        image_model = get_image_model()
        for field in self.fields.values():
            queryset = getattr(field, "queryset", None)
            if queryset is None:
                continue
            model = queryset.model
            if issubclass(model, CommuneScoped):
                field.queryset = queryset.filter(commune=self.commune) if self.commune else queryset.none()
            elif model is image_model:
                field.queryset = (
                    queryset.filter(collection__in=self._collections()) if self.commune else queryset.none()
                )

    def _collections(self):
        if not self.commune or not self.commune.collection_id:
            return Collection.objects.none()
        return Collection.objects.filter(path__startswith=self.commune.collection.path)


class FeedbackForm(forms.Form):
    """The public form under each item and on the column (góp ý, câu hỏi). Name and contact are optional."""

    kind = forms.ChoiceField(
        label=_("This is a"),
        choices=[
            ("comment", pgettext_lazy("feedback kind", "Comment")),
            ("question", pgettext_lazy("feedback kind", "Question")),
        ],
        initial="comment",
        widget=forms.RadioSelect,
    )
    body = forms.CharField(
        label=_("Your comment or question"),
        max_length=3000,
        min_length=5,
        widget=forms.Textarea(attrs={"rows": 4}),
    )
    name = forms.CharField(label=_("Your name (optional)"), max_length=120, required=False)
    contact = forms.CharField(
        label=_("Phone or e-mail, if you want a reply (optional)"),
        max_length=120,
        required=False,
    )
    page = forms.IntegerField(required=False, widget=forms.HiddenInput)
    # A field people never see: bots fill it in.
    website = forms.CharField(required=False, label=_("Leave this field empty"))
